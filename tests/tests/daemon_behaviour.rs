//! Daemon behaviour beyond single events: export filters, the process
//! cache over thousands of processes, optional process details, shutdown.

use std::{process::Command, time::Duration};

use tetragon_api::tetragon::{
    ConfigFlag, GetDebugRequest, get_debug_response::Arg, get_events_response::Event,
};
use tetragon_e2e::{Daemon, can_run_bpf, pid_of};

async fn cache_size(daemon: &Daemon) -> usize {
    let mut client = daemon.client().await.unwrap();
    let resp = client
        .get_debug(GetDebugRequest {
            flag: ConfigFlag::DumpProcessCache as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    match resp.arg {
        Some(Arg::Processes(dump)) => dump.processes.len(),
        other => panic!("no process dump: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_process_cache_returns_to_its_size_after_thousands_of_processes() {
    if !can_run_bpf("the_process_cache_returns_to_its_size") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let before = cache_size(&daemon).await;
    // Forks that exec and forks that do not, 3000 processes in all.
    let script = "i=0; while [ $i -lt 1000 ]; do /bin/true; (:); i=$((i+1)); done";
    let sh = Command::new("/bin/sh")
        .args(["-c", script])
        .spawn()
        .unwrap();
    let sh_pid = sh.id();
    assert!(sh.wait_with_output().unwrap().status.success());
    events.exit_of(sh_pid).await;
    // The loop's processes are gone; allow for the host's own comings and goings.
    let mut after = cache_size(&daemon).await;
    for _ in 0..50 {
        if after <= before + 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        after = cache_size(&daemon).await;
    }
    assert!(after <= before + 3, "cache grew from {before} to {after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_allow_and_deny_lists_filter_the_file() {
    if !can_run_bpf("export_allow_and_deny_lists_filter_the_file") {
        return;
    }
    let daemon = Daemon::start(&[
        "--export-allowlist",
        r#"{"binary_regex":["^/bin/echo$"]}"#,
        "--export-denylist",
        r#"{"event_set":["PROCESS_EXIT"]}"#,
    ])
    .await
    .unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let echo = Command::new("/bin/echo").arg("allowed").output().unwrap();
    assert!(echo.status.success());
    // gRPC clients see everything; only the file is filtered.
    events
        .wait_for("exit of echo over gRPC", |e| {
            matches!(e.event, Some(Event::ProcessExit(_)))
                && e.process().is_some_and(|p| p.binary == "/bin/echo")
        })
        .await;
    daemon
        .wait_exported("exec of echo", |e| {
            e.process().is_some_and(|p| p.binary == "/bin/echo")
        })
        .await;
    let exported = daemon.exported();
    assert!(
        exported
            .iter()
            .all(|e| e.process().is_some_and(|p| p.binary == "/bin/echo"))
    );
    assert!(
        exported
            .iter()
            .all(|e| matches!(e.event, Some(Event::ProcessExec(_))))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namespaces_and_credentials_when_enabled() {
    if !can_run_bpf("namespaces_and_credentials_when_enabled") {
        return;
    }
    let daemon = Daemon::start(&["--enable-process-ns", "--enable-process-cred"])
        .await
        .unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let child = Command::new("/bin/true").spawn().unwrap();
    let pid = child.id();
    child.wait_with_output().unwrap();
    let ev = events.exec_of(pid).await;
    let p = ev.process().unwrap();
    let ns = p.ns.as_ref().expect("namespaces");
    let net = ns.net.as_ref().unwrap();
    assert!(net.inum != 0 && net.is_host, "{net:?}");
    let own_net = std::fs::read_link("/proc/self/ns/net").unwrap();
    assert_eq!(own_net.to_string_lossy(), format!("net:[{}]", net.inum));
    let creds = p.process_credentials.as_ref().expect("credentials");
    assert_eq!(creds.uid.map(|u| u.value), Some(0));
    assert_eq!(creds.euid.map(|u| u.value), Some(0));
    let caps = p.cap.as_ref().expect("capabilities");
    assert!(caps.effective.contains(&21), "root has CAP_SYS_ADMIN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_flags_events_carry_no_namespaces_or_credentials() {
    if !can_run_bpf("without_flags_events_carry_no_namespaces_or_credentials") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let child = Command::new("/bin/true").spawn().unwrap();
    let pid = child.id();
    child.wait_with_output().unwrap();
    let ev = events.exec_of(pid).await;
    let p = ev.process().unwrap();
    assert!(p.ns.is_none() && p.process_credentials.is_none() && p.cap.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_info_file_names_the_server_and_shutdown_is_clean() {
    if !can_run_bpf("the_info_file_names_the_server_and_shutdown_is_clean") {
        return;
    }
    let mut daemon = Daemon::start(&[]).await.unwrap();
    let info_path = daemon.dir.path().join("tetragon-info.json");
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&info_path).unwrap()).unwrap();
    assert_eq!(info["server_address"], daemon.address());
    assert_eq!(info["pid"], daemon.pid());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&daemon.socket)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o660, "only root and its group may connect");
    let _events = daemon.subscribe().await.unwrap();
    let (progs, maps) = bpf_objects_of(daemon.pid());
    assert!(progs.len() >= 3 && !maps.is_empty(), "{progs:?} {maps:?}");
    let status = daemon.stop().unwrap();
    assert!(status.success(), "{status}");
    for id in progs {
        assert!(
            !bpf_object_exists(BPF_PROG_GET_FD_BY_ID, id),
            "program {id} outlived the daemon"
        );
    }
    for id in maps {
        assert!(
            !bpf_object_exists(BPF_MAP_GET_FD_BY_ID, id),
            "map {id} outlived the daemon"
        );
    }
    assert!(!info_path.exists(), "info file left behind");
    assert!(!daemon.socket.exists(), "socket left behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relative_binaries_cwd_and_long_argument_lists() {
    if !can_run_bpf("relative_binaries_cwd_and_long_argument_lists") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("deep/er");
    std::fs::create_dir_all(&work).unwrap();
    let work = std::fs::canonicalize(&work).unwrap();
    std::fs::copy("/bin/true", work.join("my-true")).unwrap();

    let child = Command::new("./my-true")
        .current_dir(&work)
        .args(["a b", "c"])
        .spawn()
        .unwrap();
    let pid = child.id();
    child.wait_with_output().unwrap();
    let ev = events.exec_of(pid).await;
    let p = ev.process().unwrap();
    assert_eq!(p.cwd, work.to_str().unwrap());
    assert_eq!(p.binary, work.join("my-true").to_str().unwrap());
    assert_eq!(p.arguments, "\"a b\" c");
    assert!(!p.flags.contains("rootcwd"), "{}", p.flags);

    // An argument list longer than the kernel side copies is cut and flagged.
    let long: Vec<String> = (0..1000).map(|i| format!("argument-{i:04}")).collect();
    let child = Command::new("/bin/true")
        .current_dir("/")
        .args(&long)
        .spawn()
        .unwrap();
    let pid = child.id();
    child.wait_with_output().unwrap();
    let ev = events.exec_of(pid).await;
    let p = ev.process().unwrap();
    assert!(p.flags.contains("truncArgs"), "{}", p.flags);
    assert!(p.flags.contains("rootcwd"), "{}", p.flags);
    assert_eq!(p.cwd, "/");
    assert!(
        p.arguments.starts_with("argument-0000 argument-0001"),
        "{}",
        &p.arguments[..40]
    );
    assert!(p.arguments.len() < long.join(" ").len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_threaded_process_exits_once() {
    if !can_run_bpf("a_threaded_process_exits_once") {
        return;
    }
    let Ok(python) = which("python3") else {
        panic!("python3 is needed to make a threaded process");
    };
    let daemon = Daemon::start(&[]).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let script = "import threading\n\
                  ts = [threading.Thread(target=lambda: None) for _ in range(8)]\n\
                  [t.start() for t in ts]\n[t.join() for t in ts]\n";
    let child = Command::new(&python).args(["-c", script]).spawn().unwrap();
    let pid = child.id();
    assert!(child.wait_with_output().unwrap().status.success());
    events.exit_of(pid).await;
    // A later process's exit marks the point by which any duplicate would have come.
    let marker = Command::new("/bin/true").spawn().unwrap();
    let marker_pid = marker.id();
    marker.wait_with_output().unwrap();
    events.exit_of(marker_pid).await;
    let exits = events
        .seen
        .iter()
        .filter(|e| matches!(e.event, Some(Event::ProcessExit(_))) && pid_of(e) == Some(pid))
        .count();
    assert_eq!(exits, 1, "one exit per process, not per thread");
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

const BPF_PROG_GET_FD_BY_ID: libc::c_long = 13;
const BPF_MAP_GET_FD_BY_ID: libc::c_long = 14;

/// Ids of the BPF programs and maps a process holds, from its fdinfo.
fn bpf_objects_of(pid: u32) -> (Vec<u32>, Vec<u32>) {
    let (mut progs, mut maps) = (Vec::new(), Vec::new());
    for entry in std::fs::read_dir(format!("/proc/{pid}/fdinfo"))
        .unwrap()
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines() {
            if let Some(id) = line.strip_prefix("prog_id:") {
                progs.push(id.trim().parse().unwrap());
            } else if let Some(id) = line.strip_prefix("map_id:") {
                maps.push(id.trim().parse().unwrap());
            }
        }
    }
    progs.sort();
    progs.dedup();
    maps.sort();
    maps.dedup();
    (progs, maps)
}

/// Whether the kernel still has the program or map with this id.
fn bpf_object_exists(cmd: libc::c_long, id: u32) -> bool {
    let mut attr = [0u8; 128];
    attr[..4].copy_from_slice(&id.to_ne_bytes());
    // SAFETY: bpf(2) reads the attr buffer we pass, of the size we pass.
    let fd = unsafe { libc::syscall(libc::SYS_bpf, cmd, attr.as_mut_ptr(), attr.len()) };
    if fd >= 0 {
        // SAFETY: closes the fd the call above opened.
        unsafe { libc::close(fd as i32) };
        return true;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_leaves_no_programs_or_maps_behind() {
    if !can_run_bpf("sigkill_leaves_no_programs_or_maps_behind") {
        return;
    }
    let mut daemon = Daemon::start(&[]).await.unwrap();
    let (progs, maps) = bpf_objects_of(daemon.pid());
    assert!(!progs.is_empty());
    // SAFETY: kills only the daemon this test started.
    unsafe { libc::kill(daemon.pid() as i32, libc::SIGKILL) };
    let _ = daemon.stop();
    // The kernel frees a program once its last file and link are gone.
    for _ in 0..50 {
        let left = progs
            .iter()
            .any(|id| bpf_object_exists(BPF_PROG_GET_FD_BY_ID, *id))
            || maps
                .iter()
                .any(|id| bpf_object_exists(BPF_MAP_GET_FD_BY_ID, *id));
        if !left {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("programs {progs:?} or maps {maps:?} outlived a SIGKILLed daemon");
}
