//! The TracingPolicy engine end to end: policies added over gRPC, filtered
//! and enforced in the kernel, events as clients see them.

use std::{
    fs,
    os::unix::process::ExitStatusExt,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Duration,
};

use tetragon_api::tetragon::{
    AddTracingPolicyRequest, ConfigureTracingPolicyRequest, DeleteTracingPolicyRequest,
    GetEventsResponse, KprobeArgument, ListTracingPoliciesRequest, TracingPolicyMode,
    get_events_response::Event, kprobe_argument::Arg,
};
use tetragon_e2e::{Daemon, EventSubscription, can_run_bpf, openat_policy_yaml, pid_of};

async fn add(daemon: &Daemon, yaml: &str) -> Result<(), tonic::Status> {
    let mut client = daemon.client().await.expect("connecting");
    client
        .add_tracing_policy(AddTracingPolicyRequest {
            yaml: yaml.to_string(),
            ..Default::default()
        })
        .await
        .map(|_| ())
}

async fn delete(daemon: &Daemon, name: &str) {
    let mut client = daemon.client().await.expect("connecting");
    client
        .delete_tracing_policy(DeleteTracingPolicyRequest {
            name: name.to_string(),
            ..Default::default()
        })
        .await
        .expect("deleting the policy");
}

/// A file under a fresh directory, so no other process opens it.
fn unique_file(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, "data\n").unwrap();
    path
}

fn kprobe_on(
    ev: &GetEventsResponse,
    function: &str,
) -> Option<tetragon_api::tetragon::ProcessKprobe> {
    match &ev.event {
        Some(Event::ProcessKprobe(k)) if k.function_name == function => Some(k.clone()),
        _ => None,
    }
}

fn string_arg(args: &[KprobeArgument], i: usize) -> Option<&str> {
    match args.get(i)?.arg.as_ref()? {
        Arg::StringArg(s) => Some(s),
        _ => None,
    }
}

/// openat of `path` by a process with this pid, as the policy reported it.
async fn openat_of(
    events: &mut EventSubscription,
    pid: u32,
    path: &Path,
) -> tetragon_api::tetragon::ProcessKprobe {
    let path = path.display().to_string();
    let ev = events
        .wait_for(&format!("openat of {path} by {pid}"), |e| {
            pid_of(e) == Some(pid)
                && kprobe_on(e, "__x64_sys_openat")
                    .is_some_and(|k| string_arg(&k.args, 1) == Some(&path))
        })
        .await;
    kprobe_on(&ev, "__x64_sys_openat").unwrap()
}

fn openat_policy(name: &str, file: &Path, extra_selector: &str) -> String {
    openat_policy_yaml(
        &format!("kind: TracingPolicy\nmetadata:\n  name: \"{name}\""),
        "",
        &file.display().to_string(),
        extra_selector,
    )
}

/// A file watched by a policy with no other filter: once its openat event
/// arrives, every event the daemon posted before it has arrived too.
struct Marker(PathBuf);

impl Marker {
    async fn add(daemon: &Daemon, dir: &tempfile::TempDir) -> Marker {
        let file = unique_file(dir, "marker");
        add(daemon, &openat_policy("marker", &file, ""))
            .await
            .unwrap();
        Marker(file)
    }

    /// Opens the marker and waits for its event.
    async fn sync(&self, events: &mut EventSubscription) {
        let (pid, _) = cat(&self.0);
        openat_of(events, pid, &self.0).await;
    }
}

fn run(cmd: &mut Command) -> (u32, std::process::ExitStatus) {
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawning");
    let pid = child.id();
    let status = child.wait_with_output().expect("waiting").status;
    (pid, status)
}

fn cat(path: &Path) -> (u32, std::process::ExitStatus) {
    run(Command::new("/usr/bin/cat").arg(path))
}

/// Programs and maps the daemon holds once they stop changing: its kernel
/// feature probe loads and drops programs of its own for a while at start.
fn settled_bpf_objects(pid: u32) -> (usize, usize) {
    let mut last = bpf_objects(pid);
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(200));
        let now = bpf_objects(pid);
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

/// Programs and maps the daemon holds, from its file descriptors.
fn bpf_objects(pid: u32) -> (usize, usize) {
    let mut progs = 0;
    let mut maps = 0;
    for fd in fs::read_dir(format!("/proc/{pid}/fd")).unwrap().flatten() {
        match fs::read_link(fd.path())
            .map(|l| l.display().to_string())
            .as_deref()
        {
            Ok("anon_inode:bpf-prog") => progs += 1,
            Ok("anon_inode:bpf-map") => maps += 1,
            _ => {}
        }
    }
    (progs, maps)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cat_open_policy_posts_openat_for_cat_and_not_for_other_binaries() {
    if !can_run_bpf("cat_open_policy") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let yaml = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/policies/cat-open.yaml"
    ))
    .unwrap();
    add(&daemon, &yaml).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unique_file(&dir, "cat-open-target");

    let (head_pid, _) = run(Command::new("/usr/bin/head").arg("-c1").arg(&file));
    let (cat_pid, status) = cat(&file);
    assert!(status.success());
    let k = openat_of(&mut events, cat_pid, &file).await;
    assert_eq!(k.policy_name, "cat-open");
    assert_eq!(k.process.as_ref().unwrap().binary, "/usr/bin/cat");
    assert!(
        k.parent.is_some(),
        "the parent comes from the process cache"
    );
    assert!(
        !events.seen.iter().any(
            |e| pid_of(e) == Some(head_pid) && matches!(e.event, Some(Event::ProcessKprobe(_)))
        ),
        "head is not cat: its openat calls are filtered in the kernel"
    );

    // The compact line the documents show.
    let lines = daemon.compact_export();
    let tail = format!("/usr/bin/cat {}", file.display());
    assert!(
        lines
            .lines()
            .any(|l| l.starts_with("📬️ openat") && l.trim_end().ends_with(&tail)),
        "no `📬️ openat ... {tail}` line in:\n{lines}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_on_openat_kills_cat_of_that_file_only_and_monitor_mode_does_not() {
    if !can_run_bpf("sigkill_on_openat") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = unique_file(&dir, "forbidden");
    let other = unique_file(&dir, "allowed");
    let yaml = openat_policy(
        "kill-cat",
        &target,
        "      matchActions:\n      - action: Sigkill\n",
    );
    add(&daemon, &yaml).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();

    let (pid, status) = cat(&target);
    assert_eq!(
        status.signal(),
        Some(libc::SIGKILL),
        "cat of the file is killed: {status:?}"
    );
    let shell = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("/usr/bin/cat {} >/dev/null", target.display()))
        .status()
        .unwrap();
    assert_eq!(shell.code(), Some(137), "a shell sees 128 + SIGKILL");
    let k = openat_of(&mut events, pid, &target).await;
    assert_eq!(
        k.action,
        tetragon_api::tetragon::KprobeAction::Sigkill as i32
    );
    let exit = events
        .wait_for("exit of the killed cat", |e| matches!(&e.event, Some(Event::ProcessExit(x)) if pid_of(e) == Some(pid) && x.signal == "SIGKILL"))
        .await;
    assert!(matches!(exit.event, Some(Event::ProcessExit(_))));
    let (_, status) = cat(&other);
    assert!(status.success(), "another file is untouched");

    // Monitor mode: the event still comes, the process lives.
    let mut client = daemon.client().await.unwrap();
    client
        .configure_tracing_policy(ConfigureTracingPolicyRequest {
            name: "kill-cat".into(),
            mode: Some(TracingPolicyMode::TpModeMonitor as i32),
            ..Default::default()
        })
        .await
        .unwrap();
    let (pid, status) = cat(&target);
    assert!(status.success(), "monitor mode does not kill: {status:?}");
    openat_of(&mut events, pid, &target).await;
    let list = client
        .list_tracing_policies(ListTracingPoliciesRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        list.policies[0].mode,
        TracingPolicyMode::TpModeMonitor as i32
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_lseek_on_fd_minus_one_is_killed_under_the_lseek_policy() {
    if !can_run_bpf("python_lseek") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let yaml = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/policies/lseek-sigkill.yaml"
    ))
    .unwrap();
    add(&daemon, &yaml).await.unwrap();
    let (_, status) = run(Command::new("python3").args([
        "-c",
        "import os\ntry:\n os.lseek(-1, 0, 0)\nexcept OSError:\n pass\nprint('alive')",
    ]));
    assert_eq!(status.signal(), Some(libc::SIGKILL), "{status:?}");
    let (_, status) = run(Command::new("python3").args([
        "-c",
        "import os, tempfile\nf = tempfile.TemporaryFile()\nos.lseek(f.fileno(), 0, 0)",
    ]));
    assert!(status.success(), "lseek on a real fd is fine: {status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_pids_not_in_with_follow_forks_spares_a_process_tree() {
    if !can_run_bpf("match_pids_follow_forks") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unique_file(&dir, "pids");
    let go = dir.path().join("go");
    // A shell waits for the policy, then runs cat as its child.
    let mut shell = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "while [ ! -e {go} ]; do sleep 0.05; done; /usr/bin/cat {file}; true",
            go = go.display(),
            file = file.display()
        ))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let spared = shell.id();
    let selector = format!(
        "      matchPIDs:\n      - operator: NotIn\n        followForks: true\n        values:\n        - {spared}\n"
    );
    add(&daemon, &openat_policy("not-this-tree", &file, &selector))
        .await
        .unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    fs::write(&go, "").unwrap();
    assert!(shell.wait().unwrap().success());
    let (pid, _) = cat(&file);
    openat_of(&mut events, pid, &file).await;
    // Only two processes open the file: the spared shell's cat, and this one.
    let posters: Vec<_> = events
        .seen
        .iter()
        .filter(|e| kprobe_on(e, "__x64_sys_openat").is_some())
        .map(pid_of)
        .collect();
    assert_eq!(posters, [Some(pid)], "the spared shell's cat posts nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_binaries_follow_children_covers_a_shells_children() {
    if !can_run_bpf("match_binaries_follow_children") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unique_file(&dir, "children");
    let selector = "      matchBinaries:\n      - operator: In\n        followChildren: true\n        values:\n        - \"/bin/sh\"\n";
    add(&daemon, &openat_policy("sh-children", &file, selector))
        .await
        .unwrap();
    let marker = Marker::add(&daemon, &dir).await;
    let mut events = daemon.subscribe().await.unwrap();

    let (direct, _) = cat(&file);
    marker.sync(&mut events).await;
    assert!(
        !events
            .seen
            .iter()
            .any(|e| pid_of(e) == Some(direct) && kprobe_on(e, "__x64_sys_openat").is_some()),
        "cat run directly is not a child of /bin/sh"
    );
    let out = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "/usr/bin/cat {} >/dev/null & echo $!; wait",
            file.display()
        ))
        .output()
        .unwrap();
    let child: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let k = openat_of(&mut events, child, &file).await;
    assert_eq!(k.policy_name, "sh-children");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_posts_once_per_window() {
    if !can_run_bpf("rate_limit") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unique_file(&dir, "limited");
    let actions = "      matchActions:\n      - action: Post\n        rateLimit: 1m\n        rateLimitScope: global\n";
    add(&daemon, &openat_policy("limited", &file, actions))
        .await
        .unwrap();
    let marker = Marker::add(&daemon, &dir).await;
    let mut events = daemon.subscribe().await.unwrap();
    let pids: Vec<u32> = (0..4).map(|_| cat(&file).0).collect();
    marker.sync(&mut events).await;
    openat_of(&mut events, pids[0], &file).await;
    let posted = events
        .seen
        .iter()
        .filter(|e| kprobe_on(e, "__x64_sys_openat").is_some_and(|k| k.policy_name == "limited"))
        .count();
    assert_eq!(posted, 1, "four opens within a minute, one event");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_policy_stops_its_events_and_frees_its_programs_and_maps() {
    if !can_run_bpf("delete_policy") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let before = settled_bpf_objects(daemon.pid());
    let dir = tempfile::tempdir().unwrap();
    let file = unique_file(&dir, "deleted");
    add(&daemon, &openat_policy("to-delete", &file, ""))
        .await
        .unwrap();
    let with_policy = settled_bpf_objects(daemon.pid());
    assert!(
        with_policy.0 > before.0 && with_policy.1 > before.1,
        "{before:?} -> {with_policy:?}"
    );
    let mut events = daemon.subscribe().await.unwrap();
    let (pid, _) = cat(&file);
    openat_of(&mut events, pid, &file).await;

    delete(&daemon, "to-delete").await;
    assert_eq!(
        settled_bpf_objects(daemon.pid()),
        before,
        "programs and maps back to where they were"
    );
    let marker = Marker::add(&daemon, &dir).await;
    let (after, _) = cat(&file);
    marker.sync(&mut events).await;
    assert!(
        !events
            .seen
            .iter()
            .any(|e| pid_of(e) == Some(after) && kprobe_on(e, "__x64_sys_openat").is_some()),
        "no event from a deleted policy"
    );
    // The name is free again.
    add(&daemon, &openat_policy("to-delete", &file, ""))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracepoint_return_value_fd_path_and_buffer() {
    if !can_run_bpf("tracepoint_return_fd") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let written = dir.path().join("written");
    add(
        &daemon,
        &format!(
            r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "return-and-fd"
spec:
  kprobes:
  - call: "sys_openat"
    syscall: true
    return: true
    args:
    - index: 1
      type: "string"
    returnArg:
      type: "int"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Prefix"
        values:
        - "{dir}/"
      matchReturnArgs:
      - index: 0
        operator: "LessThan"
        values:
        - "0"
  - call: "sys_write"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Postfix"
        values:
        - "/written"
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "int64"
    selectors:
    - matchBinaries:
      - operator: In
        values:
        - "/usr/bin/cat"
"#,
            dir = dir.path().display()
        ),
    )
    .await
    .unwrap();
    let mut events = daemon.subscribe().await.unwrap();

    let (pid, status) = cat(&missing);
    assert!(!status.success());
    let ev = events
        .wait_for("openat returning an error", |e| {
            pid_of(e) == Some(pid) && kprobe_on(e, "__x64_sys_openat").is_some()
        })
        .await;
    let k = kprobe_on(&ev, "__x64_sys_openat").unwrap();
    assert_eq!(
        k.r#return.and_then(|r| r.arg),
        Some(Arg::IntArg(-2)),
        "ENOENT"
    );
    assert_eq!(
        string_arg(&k.args, 0),
        Some(missing.display().to_string().as_str())
    );
    // raw_syscalls/sys_enter's id of cat's openat (257 on x86_64).
    events
        .wait_for("cat's raw openat", |e| {
            pid_of(e) == Some(pid)
                && matches!(&e.event, Some(Event::ProcessTracepoint(t)) if t.subsys == "raw_syscalls" && t.args.first().and_then(|a| a.arg.clone()) == Some(Arg::LongArg(257)))
        })
        .await;

    let (pid, _) = run(Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("echo hello > {}", written.display())));
    let ev = events
        .wait_for("write to the file", |e| {
            pid_of(e) == Some(pid) && kprobe_on(e, "__x64_sys_write").is_some()
        })
        .await;
    let k = kprobe_on(&ev, "__x64_sys_write").unwrap();
    match k.args[0].arg.as_ref() {
        Some(Arg::FileArg(f)) => assert_eq!(f.path, written.display().to_string()),
        other => panic!("fd as a file: {other:?}"),
    }
    assert_eq!(k.args[1].arg, Some(Arg::BytesArg(b"hello\n".to_vec())));
    assert_eq!(k.args[2].arg, Some(Arg::SizeArg(6)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uprobe_fires_on_a_test_binarys_function() {
    if !can_run_bpf("uprobe") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("probed.c");
    let bin = dir.path().join("probed");
    fs::write(
        &src,
        "#include <stdio.h>\n#include <string.h>\n__attribute__((noinline)) int probed_function(int x, const char *s) { return printf(\"%d %s\\n\", x, s); }\nint main(void) { char s[16]; strcpy(s, \"hello\"); return probed_function(42, s) < 0; }\n",
    )
    .unwrap();
    // The string is on the stack: a BPF program cannot fault in a page of
    // the binary that the process has not touched yet.
    let cc = Command::new("cc")
        .arg("-O1")
        .arg("-o")
        .arg(&bin)
        .arg(&src)
        .status()
        .expect("a C compiler");
    assert!(cc.success());
    let daemon = Daemon::start(&[]).await.unwrap();
    add(
        &daemon,
        &format!(
            "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: uprobe-test\nspec:\n  uprobes:\n  - path: \"{}\"\n    symbols:\n    - \"probed_function\"\n    args:\n    - index: 0\n      type: int\n    - index: 1\n      type: string\n",
            bin.display()
        ),
    )
    .await
    .unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let (pid, status) = run(&mut Command::new(&bin));
    assert!(status.success());
    let ev = events
        .wait_for("the uprobe", |e| {
            pid_of(e) == Some(pid) && matches!(e.event, Some(Event::ProcessUprobe(_)))
        })
        .await;
    let Some(Event::ProcessUprobe(u)) = ev.event else {
        unreachable!()
    };
    assert_eq!(u.symbol, "probed_function");
    assert_eq!(u.path, bin.display().to_string());
    assert_eq!(u.args[0].arg, Some(Arg::IntArg(42)));
    assert_eq!(u.args[1].arg, Some(Arg::StringArg("hello".into())));
    assert_eq!(u.policy_name, "uprobe-test");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_policies_are_refused_and_the_daemon_keeps_its_others() {
    if !can_run_bpf("bad_policies") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unique_file(&dir, "kept");
    add(&daemon, &openat_policy("kept", &file, ""))
        .await
        .unwrap();
    let before = settled_bpf_objects(daemon.pid());
    let six_selectors = format!(
        "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: six\nspec:\n  kprobes:\n  - call: sys_openat\n    syscall: true\n    selectors:\n{}",
        "    - matchPIDs:\n      - operator: In\n        values: [1]\n".repeat(6)
    );
    let cases: Vec<(&str, String, &str)> = vec![
        ("yaml syntax", "apiVersion: [".into(), ""),
        (
            "wrong type",
            openat_policy("wrong-type", &file, "").replace("syscall: true", "syscall: maybe"),
            "syscall",
        ),
        (
            "unknown hook",
            openat_policy("unknown-hook", &file, "").replace("sys_openat", "sys_no_such_call"),
            "sys_no_such_call",
        ),
        (
            "kernel function",
            openat_policy("kfunc", &file, "").replace(
                "call: \"sys_openat\"\n    syscall: true",
                "call: \"fd_install\"\n    syscall: false",
            ),
            "fd_install",
        ),
        ("too many selectors", six_selectors, "selectors"),
        (
            "operator on the wrong type",
            openat_policy("bad-op", &file, "").replace(
                "index: 1\n        operator: \"Equal\"",
                "index: 0\n        operator: \"Prefix\"",
            ),
            "Prefix",
        ),
        (
            "unknown list",
            openat_policy("no-list", &file, "")
                .replace("call: \"sys_openat\"", "call: \"list:nothing\""),
            "nothing",
        ),
        (
            "over the limits",
            openat_policy("long", &file, "").replace(&file.display().to_string(), &"x".repeat(300)),
            "248",
        ),
        (
            "override",
            openat_policy(
                "override",
                &file,
                "      matchActions:\n      - action: Override\n        argError: -1\n",
            ),
            "Override",
        ),
    ];
    for (what, yaml, needle) in cases {
        let err = add(&daemon, &yaml).await.expect_err(what);
        assert_eq!(err.code(), tonic::Code::InvalidArgument, "{what}: {err:?}");
        assert!(
            err.message().contains(needle),
            "{what}: `{needle}` not in: {}",
            err.message()
        );
    }
    assert_eq!(
        settled_bpf_objects(daemon.pid()),
        before,
        "a refused policy leaves nothing loaded"
    );
    let mut events = daemon.subscribe().await.unwrap();
    let (pid, _) = cat(&file);
    openat_of(&mut events, pid, &file).await;
    tokio::time::sleep(Duration::from_millis(10)).await;
}

/// Every example policy: served ones load into a real daemon; the one
/// this kernel cannot serve (Override) is refused with the reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_policy_loads_or_is_refused_with_its_reason() {
    if !can_run_bpf("example_policies") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/policies"));
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 8, "examples: {files:?}");
    for file in files {
        let yaml = fs::read_to_string(&file).unwrap();
        let result = add(&daemon, &yaml).await;
        if file.ends_with("file-access-override.yaml") {
            let err = result.expect_err("Override cannot be served without kprobes");
            assert!(
                err.message().contains("bpf_override_return"),
                "{}",
                err.message()
            );
        } else {
            result.unwrap_or_else(|e| panic!("{}: {}", file.display(), e.message()));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policies_added_over_grpc_persist_across_restarts_when_asked() {
    if !can_run_bpf("persist_grpc_policies") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("grpc-policies");
    let keep_arg = keep.display().to_string();
    let flags = [
        "--persist-grpc-policies",
        "--persist-grpc-policies-dir",
        keep_arg.as_str(),
    ];
    let file = unique_file(&dir, "persisted");
    let mut first = Daemon::start(&flags).await.unwrap();
    add(&first, &openat_policy("kept-over-restart", &file, ""))
        .await
        .unwrap();
    assert!(keep.join("kept-over-restart.yaml").is_file());
    first.stop().unwrap();

    let second = Daemon::start(&flags).await.unwrap();
    let mut client = second.client().await.unwrap();
    let list = client
        .list_tracing_policies(ListTracingPoliciesRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(list.policies.len(), 1);
    assert_eq!(list.policies[0].name, "kept-over-restart");
    let mut events = second.subscribe().await.unwrap();
    let (pid, _) = cat(&file);
    openat_of(&mut events, pid, &file).await;
    delete(&second, "kept-over-restart").await;
    assert!(
        !keep.join("kept-over-restart.yaml").exists(),
        "deleted policies are forgotten"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_url_is_requested_after_the_event_and_stack_traces_reach_the_tree() {
    if !can_run_bpf("get_url_and_stacks") {
        return;
    }
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let daemon = Daemon::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = unique_file(&dir, "canary");
    let actions = format!(
        "      matchActions:\n      - action: GetUrl\n        argUrl: \"http://127.0.0.1:{port}/canary?token=1\"\n      - action: Post\n        kernelStackTrace: true\n"
    );
    add(&daemon, &openat_policy("canary", &file, &actions))
        .await
        .unwrap();
    let mut events = daemon.subscribe().await.unwrap();
    let (pid, status) = cat(&file);
    assert!(status.success(), "GetUrl never blocks the call");

    let request = tokio::task::spawn_blocking(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut line = String::new();
        BufReader::new(conn.try_clone().unwrap())
            .read_line(&mut line)
            .unwrap();
        conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
        line
    });
    let line = tokio::time::timeout(Duration::from_secs(15), request)
        .await
        .expect("a request within 15s")
        .unwrap();
    assert!(line.starts_with("GET /canary?token=1 HTTP/1.1"), "{line}");

    let k = openat_of(&mut events, pid, &file).await;
    assert_eq!(
        k.action,
        tetragon_api::tetragon::KprobeAction::Geturl as i32
    );
    assert!(
        k.kernel_stack_trace
            .iter()
            .any(|f| f.symbol.contains("syscall")),
        "a kernel stack through the syscall entry: {:?}",
        k.kernel_stack_trace
    );
    let tree = daemon
        .tetra()
        .args(["stacktrace-tree", "print", "canary"])
        .output()
        .unwrap();
    assert!(
        tree.status.success(),
        "{}",
        String::from_utf8_lossy(&tree.stderr)
    );
    assert!(
        String::from_utf8_lossy(&tree.stdout).contains("syscall"),
        "{}",
        String::from_utf8_lossy(&tree.stdout)
    );
}
