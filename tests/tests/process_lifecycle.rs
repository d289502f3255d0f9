//! The base sensor end to end: real processes, real BPF, events over gRPC,
//! in the export file, and as `tetra getevents -o compact` prints them.

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
    time::Duration,
};

use tetragon_api::tetragon::{GetEventsResponse, get_events_response::Event};
use tetragon_e2e::{Daemon, can_run_bpf, compact_line_is, pid_of};

fn exec_of(ev: &GetEventsResponse) -> Option<&tetragon_api::tetragon::ProcessExec> {
    match &ev.event {
        Some(Event::ProcessExec(e)) => Some(e),
        _ => None,
    }
}

fn exit_of(ev: &GetEventsResponse) -> Option<&tetragon_api::tetragon::ProcessExit> {
    match &ev.event {
        Some(Event::ProcessExit(e)) => Some(e),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_child_and_exit_status_over_grpc_and_in_the_export_file() {
    if !can_run_bpf("shell_child_and_exit_status") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();

    let sh = Command::new("/bin/sh")
        .args(["-c", "/bin/true; exit 3"])
        .spawn()
        .unwrap();
    let sh_pid = sh.id();
    let status = sh.wait_with_output().unwrap().status;
    assert_eq!(status.code(), Some(3));

    let sh_exec = events.exec_of(sh_pid).await;
    let sh_proc = sh_exec.process().unwrap().clone();
    assert_eq!(sh_proc.binary, "/bin/sh");
    assert_eq!(sh_proc.arguments, "-c \"/bin/true; exit 3\"");
    assert_eq!(sh_proc.tid.map(|t| t.value), Some(sh_pid));
    assert!(sh_proc.flags.contains("execve"), "{}", sh_proc.flags);
    assert_eq!(sh_exec.node_name, daemon.node);
    // The test runner started before the daemon: its entry came from /proc.
    let runner = exec_of(&sh_exec)
        .unwrap()
        .parent
        .as_ref()
        .expect("sh has a parent");
    assert_eq!(runner.pid.map(|p| p.value), Some(std::process::id()));
    assert!(runner.flags.contains("procFS"), "{}", runner.flags);
    assert_eq!(sh_proc.parent_exec_id, runner.exec_id);

    let true_exec = events
        .wait_for("exec of /bin/true", |e| {
            exec_of(e).is_some_and(|x| {
                x.process.as_ref().is_some_and(|p| p.binary == "/bin/true")
                    && x.parent
                        .as_ref()
                        .is_some_and(|p| p.exec_id == sh_proc.exec_id)
            })
        })
        .await;
    let true_proc = true_exec.process().unwrap();
    assert_eq!(true_proc.parent_exec_id, sh_proc.exec_id);
    assert_eq!(true_proc.arguments, "");

    let true_exit = events
        .wait_for("exit of /bin/true", |e| {
            exit_of(e).is_some() && e.process().is_some_and(|p| p.exec_id == true_proc.exec_id)
        })
        .await;
    assert_eq!(exit_of(&true_exit).unwrap().status, 0);

    let sh_exit = events
        .wait_for("exit of /bin/sh", |e| {
            exit_of(e).is_some() && e.process().is_some_and(|p| p.exec_id == sh_proc.exec_id)
        })
        .await;
    let x = exit_of(&sh_exit).unwrap();
    assert_eq!(x.status, 3);
    assert_eq!(x.signal, "");
    assert_eq!(x.parent.as_ref().unwrap().exec_id, runner.exec_id);

    // The same events, in the export file.
    let exported = daemon
        .wait_exported("exit of /bin/sh", |e| {
            exit_of(e).is_some() && e.process().is_some_and(|p| p.exec_id == sh_proc.exec_id)
        })
        .await;
    assert_eq!(exported, sh_exit);
    let exported_exec = daemon
        .wait_exported("exec of /bin/sh", |e| {
            exec_of(e).is_some() && pid_of(e) == Some(sh_pid)
        })
        .await;
    assert_eq!(exported_exec, sh_exec);

    // And as `tetra getevents -o compact` prints them from the file.
    let text = daemon.compact_export();
    let node = &daemon.node;
    for line in [
        format!("🚀 process {node} /bin/sh -c \"/bin/true; exit 3\""),
        format!("🚀 process {node} /bin/true"),
        format!("💥 exit    {node} /bin/true  0"),
        format!("💥 exit    {node} /bin/sh -c \"/bin/true; exit 3\" 3"),
    ] {
        assert!(
            text.lines().any(|l| compact_line_is(l, &line)),
            "no line `{line}` in:\n{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_of_a_process_that_predates_the_daemon() {
    if !can_run_bpf("sigkill_of_a_process_that_predates_the_daemon") {
        return;
    }
    // A unique argument so nothing else on the host matches.
    let marker = format!("{}", 4000 + std::process::id() % 1000);
    let mut old = Command::new("/bin/sleep").arg(&marker).spawn().unwrap();
    let old_pid = old.id();

    let daemon = Daemon::start(&[]).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();

    // And one started under the daemon's eyes.
    let mut young = Command::new("/bin/sleep")
        .arg(format!("{marker}.5"))
        .spawn()
        .unwrap();
    let young_pid = young.id();
    events.exec_of(young_pid).await;

    old.kill().unwrap();
    young.kill().unwrap();
    old.wait().unwrap();
    young.wait().unwrap();

    // A process found in /proc shows its executable's real path (/proc/<pid>/exe,
    // as upstream); one seen exec'ing shows the path it was run as.
    let real_sleep = std::fs::canonicalize("/bin/sleep").unwrap();
    let real_sleep = real_sleep.to_str().unwrap();
    for (pid, what, procfs, binary) in [
        (old_pid, "old", true, real_sleep),
        (young_pid, "young", false, "/bin/sleep"),
    ] {
        let ev = events.exit_of(pid).await;
        let x = exit_of(&ev).unwrap();
        assert_eq!(x.signal, "SIGKILL", "{what}");
        assert_eq!(x.status, 0);
        let p = x.process.as_ref().unwrap();
        assert_eq!(p.binary, binary, "{what}");
        assert_eq!(p.flags.contains("procFS"), procfs, "{what}: {}", p.flags);
    }

    daemon
        .wait_exported("exit of the old sleep", |e| {
            exit_of(e).is_some() && pid_of(e) == Some(old_pid)
        })
        .await;
    let text = daemon.compact_export();
    let line = format!("💥 exit    {} {real_sleep} {marker} SIGKILL", daemon.node);
    assert!(
        text.lines().any(|l| compact_line_is(l, &line)),
        "no line `{line}` in:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tetra_getevents_streams_compact_lines_over_grpc() {
    if !can_run_bpf("tetra_getevents_streams_compact_lines_over_grpc") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let mut tetra = daemon
        .tetra()
        .args(["getevents", "-o", "compact", "--process", "echo"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = tetra.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let word = format!("hello-{}", std::process::id());
    let want = format!("🚀 process {} /bin/echo {word}", daemon.node);
    let mut got = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        // Run until tetra has connected and seen one.
        Command::new("/bin/echo")
            .arg(&word)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(300)) {
            got.push(line);
            if got.iter().any(|l| compact_line_is(l, &want)) {
                break;
            }
        }
    }
    let _ = tetra.kill();
    let _ = tetra.wait();
    assert!(
        got.iter().any(|l| compact_line_is(l, &want)),
        "no `{want}` in {got:#?}"
    );
    assert!(
        got.iter().all(|l| l.contains("/bin/echo")),
        "--process filtered: {got:#?}"
    );
    let _ = std::io::stdout().flush();
}
