//! Bad input to either binary: one line on stderr naming the value and the
//! reason, a non-zero exit, never a panic.

use std::process::{Command, Output, Stdio};

use tetragon_e2e::binary;

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(binary(bin))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The single stderr line of a failed run.
fn one_line_error(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "expected a failure, got {:?}",
        out.status
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line, got:\n{stderr}");
    lines[0].to_string()
}

#[test]
fn tetra_reports_an_unreachable_server() {
    let dir = tempfile::tempdir().unwrap();
    let sock = format!("unix://{}/nobody.sock", dir.path().display());
    let err = one_line_error(&run(
        "tetra",
        &["--server-address", &sock, "--timeout", "2s", "getevents"],
    ));
    assert!(err.contains(&sock), "{err}");
    assert!(err.contains("no such file"), "{err}");

    let err = one_line_error(&run(
        "tetra",
        &[
            "--server-address",
            "127.0.0.1:1",
            "--timeout",
            "2s",
            "getevents",
        ],
    ));
    assert!(
        err.contains("127.0.0.1:1") && err.contains("refused"),
        "{err}"
    );
}

#[test]
fn tetra_rejects_a_bad_server_address() {
    let err = one_line_error(&run(
        "tetra",
        &["--server-address", "no-port-here", "getevents"],
    ));
    assert!(
        err.contains("`no-port-here`") && err.contains("host:port"),
        "{err}"
    );
}

#[test]
fn tetra_rejects_an_unknown_event_type() {
    let err = one_line_error(&run("tetra", &["getevents", "-e", "PROCESS_EXECC"]));
    assert!(err.contains("`PROCESS_EXECC`"), "{err}");
}

#[test]
fn tetragond_rejects_an_unwritable_export_path() {
    let err = one_line_error(&run(
        "tetragond",
        &["--export-filename", "/proc/self/no/such/dir/events.json"],
    ));
    assert!(err.contains("/proc/self/no/such/dir/events.json"), "{err}");
}

#[test]
fn tetragond_rejects_a_malformed_allowlist() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("e.json");
    let err = one_line_error(&run(
        "tetragond",
        &[
            "--export-filename",
            export.to_str().unwrap(),
            "--export-allowlist",
            "{\"binary_regex\":[\"(\"]}",
        ],
    ));
    assert!(
        err.contains("--export-allowlist") && err.contains("binary_regex"),
        "{err}"
    );

    let err = one_line_error(&run(
        "tetragond",
        &[
            "--export-filename",
            export.to_str().unwrap(),
            "--export-denylist",
            "{not json",
        ],
    ));
    assert!(
        err.contains("--export-denylist") && err.contains("line 1"),
        "{err}"
    );
}

#[test]
fn tetragond_rejects_a_bad_server_address() {
    let err = one_line_error(&run("tetragond", &["--server-address", "localhost"]));
    assert!(err.contains("`localhost`"), "{err}");
}
