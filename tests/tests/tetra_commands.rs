//! The `tetra` commands that ask the running daemon one question: status,
//! version, loglevel, info, eventlog.

use std::{
    process::{Command, Output},
    time::Duration,
};

use tetragon_e2e::{Daemon, binary, can_run_bpf};

fn run(mut cmd: Command, args: &[&str]) -> Output {
    cmd.args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `tetra <args>` against the daemon and returns its stdout, failing
/// the test when it exits non-zero.
fn tetra_ok(daemon: &Daemon, args: &[&str]) -> String {
    let out = run(daemon.tetra(), args);
    assert!(
        out.status.success(),
        "tetra {args:?}: {}\n{}",
        stderr(&out),
        daemon.log()
    );
    stdout(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_says_running() {
    if !can_run_bpf("status_says_running") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    assert_eq!(tetra_ok(&daemon, &["status"]), "Health Status: running\n");
}

#[test]
fn status_fails_in_one_line_when_nothing_listens() {
    let dir = tempfile::tempdir().unwrap();
    let address = format!("unix://{}", dir.path().join("none.sock").display());
    let out = Command::new(binary("tetra"))
        .args(["--server-address", &address, "--timeout", "2s", "status"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.starts_with("tetra: connecting to unix://"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_server_shows_both_versions() {
    if !can_run_bpf("version_server_shows_both_versions") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        tetra_ok(&daemon, &["version", "-s"]),
        format!("CLI version: {version}\nServer version: {version}\n")
    );
    let build = tetra_ok(&daemon, &["version", "--build"]);
    let mut lines = build.lines();
    assert_eq!(
        lines.next(),
        Some(format!("CLI version: {version}").as_str())
    );
    assert!(
        lines.next().is_some_and(|l| l.starts_with("RustVersion: ")),
        "{build}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loglevel_set_then_get() {
    if !can_run_bpf("loglevel_set_then_get") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    assert_eq!(
        tetra_ok(&daemon, &["loglevel", "get"]),
        "Current log level: LOG_LEVEL_INFO\n"
    );
    assert_eq!(
        tetra_ok(&daemon, &["loglevel", "set", "debug"]),
        "Log level set to: LOG_LEVEL_DEBUG\n"
    );
    assert_eq!(
        tetra_ok(&daemon, &["loglevel", "get"]),
        "Current log level: LOG_LEVEL_DEBUG\n"
    );
    // The alias and the `debug` path reach the same command.
    assert_eq!(
        tetra_ok(&daemon, &["log", "set", "WARNING"]),
        "Log level set to: LOG_LEVEL_WARN\n"
    );
    assert_eq!(
        tetra_ok(&daemon, &["debug", "loglevel", "get"]),
        "Current log level: LOG_LEVEL_WARN\n"
    );

    let out = run(daemon.tetra(), &["loglevel", "set", "verbose"]);
    assert!(!out.status.success());
    assert_eq!(stderr(&out), "tetra: invalid log level: verbose\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn info_shows_settings_with_sources_and_probes() {
    if !can_run_bpf("info_shows_settings_with_sources_and_probes") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    // The daemon probes the kernel just after it starts listening.
    let mut text = String::new();
    for _ in 0..100 {
        text = tetra_ok(&daemon, &["info"]);
        if !text.contains("Probes: none reported") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(text.starts_with("Name: tetragon\nVersion: "), "{text}");
    let row = |name: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row {name}:\n{text}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(row("NAME"), ["NAME", "ENABLED"]);
    assert_eq!(row("tracepoint"), ["tracepoint", "true"]);
    assert_eq!(
        row("server-address"),
        ["server-address", &daemon.address(), "flag"]
    );
    let names: Vec<&str> = text
        .split("\nConfiguration:\n")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert!(names.is_sorted(), "{names:?}");

    let json: serde_json::Value =
        serde_json::from_str(&tetra_ok(&daemon, &["info", "-o", "json"])).unwrap();
    assert_eq!(json["Name"], "tetragon");
    assert_eq!(json["Probes"]["tracepoint"], true);
    assert_eq!(json["Conf"]["server-address"], daemon.address());
    assert_eq!(json["Conf"]["server-address.source"], "flag");
    assert!(json["Build"]["GoVersion"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eventlog_says_the_service_is_not_served() {
    if !can_run_bpf("eventlog_says_the_service_is_not_served") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    for args in [
        &["eventlog", "get"][..],
        &[
            "eventlog",
            "set",
            "--max-backups",
            "3",
            "--rotation-interval",
            "1h",
        ],
    ] {
        let out = run(daemon.tetra(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&out),
            "tetra: the daemon does not serve EventLogService yet\n"
        );
        assert!(out.stdout.is_empty());
    }
}
