//! Golden tests for `tetra getevents -o compact`.
//!
//! Every `tests/data/compact/<name>[.<option>]*.json` holds JSON events, one a line; the matching
//! `<name>[.<option>]*.compact` holds the exact bytes `tetra getevents -o compact` prints for them
//! (each event's text and a newline; nothing for events compact mode skips). The expected files
//! were written from the compact-output specification and Tetragon's documentation, not captured
//! from this encoder.
//!
//! Options in the file name:
//! - `timestamps`: `--timestamps`;
//! - `color`: `--color always`;
//! - `nostack`: `--stack-traces=false`;
//! - `x86_64`, `aarch64`: only run on that architecture (syscall numbers are per architecture).

use std::fs;
use std::path::{Path, PathBuf};

use tetra::output::compact::CompactEncoder;
use tetragon_api::from_json_line;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/compact")
}

/// The `(name, input, expected)` golden cases, sorted by name.
fn cases() -> Vec<(String, PathBuf, PathBuf)> {
    let mut cases: Vec<_> = fs::read_dir(data_dir())
        .expect("tests/data/compact exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|input| {
            let name = input.file_stem().unwrap().to_string_lossy().into_owned();
            let expected = input.with_extension("compact");
            (name, input, expected)
        })
        .collect();
    cases.sort();
    cases
}

struct Options {
    timestamps: bool,
    color: bool,
    stack_traces: bool,
    /// False when the case is for another architecture.
    runs_here: bool,
}

fn options(name: &str) -> Options {
    let mut options = Options {
        timestamps: false,
        color: false,
        stack_traces: true,
        runs_here: true,
    };
    for option in name.split('.').skip(1) {
        match option {
            "timestamps" => options.timestamps = true,
            "color" => options.color = true,
            "nostack" => options.stack_traces = false,
            "x86_64" | "aarch64" => options.runs_here &= option == std::env::consts::ARCH,
            other => panic!("{name}: unknown option `{other}` in the file name"),
        }
    }
    options
}

fn render(name: &str, input: &Path, options: &Options) -> String {
    let encoder = CompactEncoder::new(options.color, options.timestamps, options.stack_traces);
    let json = fs::read_to_string(input).unwrap_or_else(|err| panic!("{name}: {err}"));
    let mut out = String::new();
    for (number, line) in json.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event = from_json_line(line)
            .unwrap_or_else(|err| panic!("{name}.json line {}: {err}", number + 1));
        if let Some(text) = encoder.encode(&event) {
            out.push_str(&text);
            out.push('\n');
        }
    }
    out
}

/// First differing line, shown with escapes so colour codes and trailing spaces are visible.
fn first_difference(actual: &str, expected: &str) -> String {
    let mut actual_lines = actual.split_inclusive('\n');
    let mut expected_lines = expected.split_inclusive('\n');
    for number in 1.. {
        match (actual_lines.next(), expected_lines.next()) {
            (None, None) => break,
            (a, e) if a == e => continue,
            (a, e) => return format!("line {number}:\n  actual:   {a:?}\n  expected: {e:?}"),
        }
    }
    "identical".to_owned()
}

#[test]
fn golden_files() {
    let cases = cases();
    assert!(
        cases.len() >= 15,
        "golden cases went missing: {}",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, input, expected_path) in &cases {
        let options = options(name);
        let expected = fs::read_to_string(expected_path)
            .unwrap_or_else(|err| panic!("{name}: missing {}: {err}", expected_path.display()));
        if !options.runs_here {
            continue;
        }
        ran += 1;
        let actual = render(name, input, &options);
        if actual != expected {
            failures.push(format!("{name}: {}", first_difference(&actual, &expected)));
        }
    }
    assert!(ran >= 14, "too few golden cases ran: {ran}");
    assert!(
        failures.is_empty(),
        "golden mismatches:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_expected_file_has_an_input() {
    for entry in fs::read_dir(data_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "compact") {
            assert!(
                path.with_extension("json").exists(),
                "{} has no input",
                path.display()
            );
        }
    }
}

/// The example lines of the compact-output reference and of the product documents, each
/// present byte for byte in some golden output.
#[test]
fn documented_lines_are_covered() {
    let all: String = cases()
        .iter()
        .map(|(_, _, expected)| fs::read_to_string(expected).unwrap())
        .collect();
    let lines: Vec<&str> = all.lines().collect();
    for documented in [
        "🚀 process default/xwing /bin/cat /etc/shadow",
        "📚 read    default/xwing /bin/cat /etc/shadow",
        "💥 exit    default/xwing /bin/cat /etc/shadow 0",
        "💥 exit    my-node /usr/bin/cat /tmp/tetragon SIGKILL",
        "🔌 connect default/xwing /usr/bin/curl tcp 10.32.0.19:33978 -> 104.198.14.52:443",
        "📝 truncate default/file-access /bin/vi /etc/passwd",
        "🚀 process default/xwing /bin/bash -c \"cat /etc/shadow\"",
        "🚀 process default/xwing /bin/bash -c \"echo foo >>  /etc/bar\"",
        "📝 write   default/xwing /bin/bash /etc/bar",
        "🚀 process default/file-access /bin/vi /etc/passwd",
        "📚 read    default/file-access /bin/vi /etc/passwd",
        "📝 write   default/file-access /bin/vi /etc/passwd",
        "💥 exit    default/file-access /bin/vi /etc/passwd 0",
        "🚀 process default/xwing /usr/bin/curl https://ebpf.io/applications/#tetragon",
        "💥 exit    default/xwing /usr/bin/curl https://ebpf.io/applications/#tetragon 60",
        "🚀 process default/xwing /usr/bin/curl http://cilium.io",
        "📤 sendmsg default/xwing /usr/bin/curl tcp 10.244.0.6:34965 -> 104.198.14.52:80 bytes 73",
        "🚀 process my-node /usr/bin/cat /tmp/tetragon",
        "📬 open    my-node /usr/bin/cat /tmp/tetragon",
        "❓ syscall my-node /usr/bin/curl kfree_skb_reason",
        "   0xffffbcdee5bf4840: skb_release_head_state+0x110",
        "   0xffffbcdee4de1e38: el0t_64_sync+0x1a4",
    ] {
        assert!(lines.contains(&documented), "not covered: {documented:?}");
    }
    // The privileged-pod lines of the capabilities use case, with the trailer at column 120.
    for head in [
        "🚀 process default/test-pod /bin/sleep 365d",
        "🚀 process default/test-pod /usr/bin/jq -r .bundle",
    ] {
        let line = lines
            .iter()
            .find(|line| line.starts_with(head))
            .unwrap_or_else(|| panic!("not covered: {head:?}"));
        assert!(line.ends_with(" 🛑 CAP_SYS_ADMIN"), "{line:?}");
        // The line is padded to 120 bytes, then one space and the trailer right-aligned over
        // the rest: 120 + 1 bytes, minus the trailer's 15 characters, plus its 18 bytes.
        assert_eq!(line.len(), 120 + 1 - 15 + 18, "{line:?}");
    }
}
