//! `tetra getevents` reading JSON lines on stdin, as after `kubectl logs`.

use std::{
    io::{Read, Write},
    process::{Command, Stdio},
};

use tetragon_e2e::{binary, tetra_with_input};

const UPSTREAM: &str = include_str!("../../proto/tests/data/upstream_process_kprobe.json");

fn tetra_with_stdin(args: &[&str], input: &str) -> (String, String, bool) {
    let out = tetra_with_input(args, input);
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.success(),
    )
}

/// The upstream event as one line, keys in upstream's order (the file holds
/// it pretty-printed): whitespace outside strings removed.
fn upstream_line() -> String {
    let mut out = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in UPSTREAM.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

#[test]
fn an_upstream_event_prints_compact_and_reencodes_to_the_same_json() {
    let line = upstream_line();
    let (out, err, ok) = tetra_with_stdin(&["getevents", "-o", "compact"], &format!("{line}\n"));
    assert!(ok, "{err}");
    assert_eq!(out, "📝 write   default/file-access /bin/vi /etc/passwd\n");

    let (out, err, ok) = tetra_with_stdin(&["getevents", "-o", "json"], &format!("{line}\n"));
    assert!(ok, "{err}");
    let back: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
    let original: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(back, original);
    // Same keys in the same order, not only the same value.
    assert_eq!(out.trim_end(), line);
}

#[test]
fn a_malformed_line_is_reported_with_its_number_and_skipped() {
    let line = upstream_line();
    let input = format!("{line}\n{{\"process_exec\": oops}}\n\n{line}\n");
    let (out, err, ok) = tetra_with_stdin(&["getevents", "-o", "compact"], &input);
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    let errors: Vec<&str> = err.lines().collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].starts_with("tetra: stdin line 2:"), "{err}");
}

#[test]
fn filters_apply_to_stdin_events() {
    let line = upstream_line();
    let (out, _, ok) = tetra_with_stdin(
        &["getevents", "-o", "compact", "--namespace", "kube-system"],
        &line,
    );
    assert!(ok);
    assert_eq!(out, "");
    let (out, _, ok) =
        tetra_with_stdin(&["getevents", "-o", "compact", "--pod", "file-acc"], &line);
    assert!(ok);
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn a_closed_pipe_ends_tetra_quietly() {
    let line = upstream_line();
    let input: String = (0..20_000).map(|_| format!("{line}\n")).collect();
    let mut child = Command::new(binary("tetra"))
        .args(["getevents", "-o", "compact"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    // Read one line, then hang up, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let _ = stdout.read(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn cel_expressions_filter_stdin_events() {
    let line = upstream_line();
    let (out, err, ok) = tetra_with_stdin(
        &[
            "getevents",
            "-o",
            "compact",
            "--cel-expression",
            "process_kprobe.process.pid == 64746u",
        ],
        &line,
    );
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 1);
    let (out, _, ok) = tetra_with_stdin(
        &[
            "getevents",
            "-o",
            "compact",
            "--cel-expression",
            "process_kprobe.process.pid == 1u",
        ],
        &line,
    );
    assert!(ok);
    assert_eq!(out, "");
    let (_, err, ok) =
        tetra_with_stdin(&["getevents", "--cel-expression", "process_exec.(("], &line);
    assert!(!ok, "a bad expression is refused");
    assert!(
        err.contains("cel_expression") || err.contains("CEL"),
        "{err}"
    );
}
