//! `tetra tracingpolicy` (validate and generate offline; add, list, enable,
//! disable, set-mode and delete against the daemon) and `tetra sensors`.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use serde_json::Value;
use tetragon_e2e::{Daemon, binary, can_run_bpf};

fn tetra(args: &[&str]) -> Output {
    Command::new(binary("tetra"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn out(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no example policies in {}",
        dir.display()
    );
    files
}

/// `file:line:col: path: message` (with a line and column).
fn is_positioned_error(line: &str, file: &Path) -> bool {
    let Some(rest) = line.strip_prefix(&format!("{}:", file.display())) else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let (Some(l), Some(c), Some(msg)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok() && msg.starts_with(' ')
}

const BAD_POLICY: &str = "\
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: Bad_Name
spec:
  tracepoints:
  - subsystem: syscalls
    event: sys_enter_openat
    args:
    - index: 1
      type: strng
";

#[test]
fn validate_accepts_the_example_policies() {
    let files = examples();
    let mut args = vec!["tracingpolicy", "validate"];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let o = tetra(&args);
    let (stdout, stderr) = out(&o);
    assert!(o.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    let want: String = names.iter().map(|n| format!("{n}: ok\n")).collect();
    assert_eq!(stdout, want);
}

#[test]
fn validate_reports_every_error_with_its_place_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    fs::write(&bad, BAD_POLICY).unwrap();
    let not_yaml = dir.path().join("not-yaml.yaml");
    fs::write(&not_yaml, "spec: [\n  kprobes\n").unwrap();
    let missing = dir.path().join("missing.yaml");
    let good = examples().remove(0);

    let o = Command::new(binary("tetra"))
        .args(["tp", "validate"])
        .args([&bad, &not_yaml, &missing, &good])
        .output()
        .unwrap();
    let (stdout, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}{stderr}");
    // The good file is still checked and reported.
    assert_eq!(stdout, format!("{}: ok\n", good.display()));

    let lines: Vec<&str> = stderr.lines().collect();
    let bad_lines: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with(&bad.display().to_string()))
        .collect();
    assert_eq!(bad_lines.len(), 2, "{stderr}");
    assert!(
        bad_lines.iter().all(|l| is_positioned_error(l, &bad)),
        "{stderr}"
    );
    assert!(
        bad_lines[0].starts_with(&format!("{}:4:9: metadata.name: ", bad.display())),
        "{stderr}"
    );
    assert!(
        bad_lines[1].contains(":11:13: spec.tracepoints[0].args[0].type: unknown type `strng`"),
        "{stderr}"
    );
    assert!(bad_lines[1].contains("did you mean `string`"), "{stderr}");

    let yaml_line = lines
        .iter()
        .find(|l| l.starts_with(&not_yaml.display().to_string()))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(is_positioned_error(yaml_line, &not_yaml), "{yaml_line}");

    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{}: ", missing.display()))
                && l.contains("No such file")),
        "{stderr}"
    );
    assert_eq!(lines.last(), Some(&"tetra: 4 errors in 3 of 4 files"));
}

#[test]
fn validate_needs_a_file() {
    assert_eq!(tetra(&["tp", "validate"]).status.code(), Some(2));
}

#[test]
fn generate_empty_is_a_bare_policy() {
    let o = tetra(&["tp", "generate", "empty"]);
    assert!(o.status.success());
    assert_eq!(
        out(&o).0,
        "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: empty\nspec: {}\n"
    );
    // A starting point that validates, and loads doing nothing, as upstream's does.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.yaml");
    std::fs::write(&file, &o.stdout).unwrap();
    let v = tetra(&["tp", "validate", file.to_str().unwrap()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

#[test]
fn generated_syscall_policies_validate() {
    let dir = tempfile::tempdir().unwrap();
    let mut generated = Vec::new();
    if Path::new("/proc/kallsyms").exists() {
        generated.push((
            "all-syscalls",
            tetra(&["tp", "generate", "all-syscalls", "-m", "/usr/bin/cat"]),
        ));
        generated.push((
            "all-syscalls-list",
            tetra(&["tp", "generate", "all-syscalls-list"]),
        ));
    }
    for (what, o) in generated {
        let (stdout, stderr) = out(&o);
        assert!(o.status.success(), "{what}: {stderr}");
        assert!(stdout.starts_with("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\n"));
        let file = dir.path().join(format!("{what}.yaml"));
        fs::write(&file, &stdout).unwrap();
        let v = Command::new(binary("tetra"))
            .args(["tp", "validate"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(v.status.success(), "{what}: {}\n{stdout}", out(&v).1);
    }
    let syscalls = tetra(&["tp", "generate", "all-syscalls", "-m", "/usr/bin/cat"]);
    let text = out(&syscalls).0;
    assert!(
        text.contains("  - call: sys_openat\n    syscall: true\n"),
        "{text}"
    );
    assert!(text.contains("      - operator: In\n        values:\n        - /usr/bin/cat\n"));
}

#[test]
fn add_reports_bad_files_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens here: the errors below come before any connection.
    let address = format!("unix://{}", dir.path().join("none.sock").display());
    let missing = dir.path().join("missing.yaml");
    let o = Command::new(binary("tetra"))
        .args(["--server-address", &address, "tp", "add"])
        .arg(&missing)
        .output()
        .unwrap();
    let (_, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr,
        format!(
            "tetra: failed to read yaml file {}: No such file or directory (os error 2)\n",
            missing.display()
        )
    );

    let not_yaml = dir.path().join("not-yaml.yaml");
    fs::write(&not_yaml, "{{{ this is not yaml\n").unwrap();
    let o = Command::new(binary("tetra"))
        .args(["--server-address", &address, "tp", "add"])
        .arg(&not_yaml)
        .output()
        .unwrap();
    let (_, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with(&format!("tetra: {}:", not_yaml.display()))
            && lines[0].contains("invalid YAML"),
        "{stderr}"
    );
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(
        lines.last().copied(),
        Some(
            format!(
                "tetra: failed to add tracing policy: {} has 1 error",
                not_yaml.display()
            )
            .as_str()
        )
    );

    assert_eq!(
        tetra(&["tp", "add", "x.yaml", "-m", "loud"]).status.code(),
        Some(2)
    );
    assert_eq!(
        tetra(&["tp", "set-mode", "x", "loud"]).status.code(),
        Some(2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sensors_are_listed_as_a_table_and_as_json() {
    if !can_run_bpf("sensors_are_listed_as_a_table_and_as_json") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let o = daemon.tetra().args(["sensors", "list"]).output().unwrap();
    let (stdout, stderr) = out(&o);
    assert!(o.status.success(), "{stderr}");
    let mut lines = stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["NAME", "ENABLED", "COLLECTION"]);
    assert!(
        lines.any(|l| l.split_whitespace().collect::<Vec<_>>() == ["__base__", "true", "base"]),
        "{stdout}"
    );

    let o = daemon
        .tetra()
        .args(["sensors", "list", "-o", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["sensors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "__base__" && s["enabled"] == true),
        "{v}"
    );
}

/// The example policy whose name is `cat-open`.
fn cat_open() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies/cat-open.yaml")
}

fn tetra_ok(daemon: &Daemon, args: &[&str]) -> (String, String) {
    let o = daemon.tetra().args(args).output().unwrap();
    let (stdout, stderr) = out(&o);
    assert!(
        o.status.success(),
        "tetra {args:?}: {stderr}\n{}",
        daemon.log()
    );
    (stdout, stderr)
}

/// The row of `name` in `tetra tp list`, split into columns at the
/// header's column starts (a cell may hold a space: `4.46 MB`).
fn row(daemon: &Daemon, name: &str) -> Option<Vec<String>> {
    let (table, _) = tetra_ok(daemon, &["tp", "list"]);
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    let names = [
        "ID",
        "NAME",
        "STATE",
        "FILTERID",
        "NAMESPACE",
        "SENSORS",
        "KERNELMEMORY",
        "MODE",
        "ERROR",
    ];
    assert_eq!(header.split_whitespace().collect::<Vec<_>>(), names);
    let starts: Vec<usize> = names.iter().map(|n| header.find(n).unwrap()).collect();
    lines
        .map(|line| {
            (0..starts.len())
                .map(|i| {
                    let end = starts.get(i + 1).copied().unwrap_or(line.len());
                    line.get(starts[i]..end.min(line.len()))
                        .unwrap_or("")
                        .trim()
                        .to_string()
                })
                .collect::<Vec<_>>()
        })
        .find(|cols| cols[1] == name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policies_are_added_listed_disabled_enabled_and_deleted() {
    if !can_run_bpf("policies_are_added_listed_disabled_enabled_and_deleted") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let file = cat_open();
    let (stdout, stderr) = tetra_ok(&daemon, &["tp", "add", file.to_str().unwrap()]);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!("tracing policy {:?} added\n", file.display().to_string())
    );

    let cols = row(&daemon, "cat-open").expect("cat-open is listed");
    assert_eq!(cols[2], "enabled", "{cols:?}");
    assert_eq!(cols[4], "(global)", "{cols:?}");

    let (json, _) = tetra_ok(&daemon, &["tp", "list", "-o", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let policy = v["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "cat-open")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(policy["state"], "TP_STATE_ENABLED");

    let (_, stderr) = tetra_ok(&daemon, &["tp", "disable", "cat-open"]);
    assert_eq!(stderr, "tracing policy \"cat-open\" disabled\n");
    assert_eq!(row(&daemon, "cat-open").unwrap()[2], "disabled");
    let (_, stderr) = tetra_ok(&daemon, &["tp", "enable", "cat-open"]);
    assert_eq!(stderr, "tracing policy \"cat-open\" enabled\n");
    assert_eq!(row(&daemon, "cat-open").unwrap()[2], "enabled");

    let (_, stderr) = tetra_ok(&daemon, &["tp", "set-mode", "cat-open", "monitor"]);
    assert_eq!(
        stderr,
        "tracing policy \"cat-open\" set to mode \"monitor\"\n"
    );
    assert_eq!(row(&daemon, "cat-open").unwrap()[7], "monitor");

    let (_, stderr) = tetra_ok(&daemon, &["tp", "delete", "cat-open"]);
    assert_eq!(stderr, "tracing policy \"cat-open\" deleted\n");
    assert!(row(&daemon, "cat-open").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_with_a_mode_loads_the_policy_in_that_mode() {
    if !can_run_bpf("add_with_a_mode_loads_the_policy_in_that_mode") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let file = cat_open();
    tetra_ok(
        &daemon,
        &["tp", "add", file.to_str().unwrap(), "-m", "monitor"],
    );
    assert_eq!(row(&daemon, "cat-open").unwrap()[7], "monitor");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_an_unknown_policy_is_one_line_and_exit_1() {
    if !can_run_bpf("deleting_an_unknown_policy_is_one_line_and_exit_1") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let o = daemon
        .tetra()
        .args(["tp", "delete", "no-such-policy"])
        .output()
        .unwrap();
    let (stdout, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("tetra: failed to delete tracing policy: ")
            && stderr.contains("no-such-policy"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
