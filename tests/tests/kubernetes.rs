//! Kubernetes awareness with real pods, made through a private containerd's
//! CRI as the kubelet makes them: pod metadata on events, `tetra getevents
//! --namespace/--pod`, and policies scoped to namespaces and pods, enforced
//! in the kernel.

use std::{
    io::{BufRead, BufReader},
    os::unix::process::ExitStatusExt,
    process::{Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use anyhow::Result;
use tetragon_api::tetragon::{
    AddTracingPolicyRequest, CreateContainer, GetEventsResponse, Process, RuntimeHookRequest,
    get_events_response::Event, runtime_hook_request,
};
use tetragon_e2e::{
    Daemon, can_run_bpf,
    cri::{Container, Containerd, Pod, can_run_pods},
    free_port, metric_value, openat_policy_yaml, scrape_metrics,
};

const EXEC_TIMEOUT: Duration = Duration::from_secs(10);

fn can_run(test: &str) -> bool {
    can_run_bpf(test) && can_run_pods(test)
}

async fn daemon_for(containerd: &Containerd, extra: &[&str]) -> Result<Daemon> {
    let endpoint = containerd.endpoint();
    let mut args = vec!["--enable-cri", "--cri-endpoint", endpoint.as_str()];
    args.extend_from_slice(extra);
    Daemon::start(&args).await
}

async fn add_policy(daemon: &Daemon, yaml: &str) {
    daemon
        .client()
        .await
        .expect("connecting")
        .add_tracing_policy(AddTracingPolicyRequest {
            yaml: yaml.to_string(),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| panic!("adding a policy: {e}\n{yaml}"));
}

/// A policy that kills whoever opens `path`; `scope` is put in `spec`,
/// `kind_and_meta` says what kind and where.
fn sigkill_on_open(kind_and_meta: &str, scope: &str, path: &str) -> String {
    openat_policy_yaml(
        kind_and_meta,
        scope,
        path,
        "      matchActions:\n      - action: Sigkill\n",
    )
}

fn exec_process(e: &GetEventsResponse) -> Option<&Process> {
    match &e.event {
        Some(Event::ProcessExec(x)) => x.process.as_ref(),
        _ => None,
    }
}

fn exit_of(e: &GetEventsResponse) -> Option<(&Process, &str)> {
    match &e.event {
        Some(Event::ProcessExit(x)) => Some((x.process.as_ref()?, x.signal.as_str())),
        _ => None,
    }
}

fn in_pod(p: &Process, pod: &Pod) -> bool {
    p.pod
        .as_ref()
        .is_some_and(|x| x.namespace == pod.namespace && x.name == pod.name)
}

async fn exec(containerd: &Containerd, c: &Container, cmd: &[&str]) -> i32 {
    containerd
        .exec_sync(c, cmd, EXEC_TIMEOUT)
        .await
        .unwrap_or_else(|e| panic!("exec {cmd:?} in {}: {e:#}", c.name))
        .exit_code
}

/// `cat path` on the host: its exit signal, if any.
fn host_cat(path: &str) -> Option<i32> {
    Command::new("cat")
        .arg(path)
        .stdout(Stdio::null())
        .status()
        .expect("running cat")
        .signal()
}

/// `tetra getevents ...` in the background, its lines on a channel.
struct Tetra {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
}

impl Tetra {
    fn start(daemon: &Daemon, args: &[&str]) -> Tetra {
        let mut child = daemon
            .tetra()
            .arg("getevents")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting tetra");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Tetra { child, lines }
    }

    /// Lines until one satisfies `done`, all of them returned.
    fn lines_until(&self, what: &str, done: impl Fn(&str) -> bool) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            match self.lines.recv_timeout(Duration::from_secs(20)) {
                Ok(line) => {
                    let hit = done(&line);
                    seen.push(line);
                    if hit {
                        return seen;
                    }
                }
                Err(_) => panic!("tetra printed no {what}; it printed:\n{}", seen.join("\n")),
            }
        }
    }
}

impl Drop for Tetra {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The documents' pod: default/xwing (app=xwing, org=alliance), its
/// container spaceship sleeping.
async fn xwing(containerd: &Containerd) -> Result<(Pod, Container)> {
    let pod = containerd
        .run_pod("default", "xwing", &[("app", "xwing"), ("org", "alliance")])
        .await?;
    let ship = containerd
        .start_container(&pod, "spaceship", &["sleep", "3600"])
        .await?;
    Ok((pod, ship))
}

#[tokio::test]
async fn events_carry_the_pod_and_tetra_filters_by_namespace_and_pod() -> Result<()> {
    if !can_run("events_carry_the_pod") {
        return Ok(());
    }
    let containerd = Containerd::start().await?;
    // Started before the daemon: its processes are found in /proc.
    let (xwing, ship) = xwing(&containerd).await?;
    let tie = containerd
        .run_pod("empire", "tiefighter", &[("app", "tiefighter")])
        .await?;
    let daemon = daemon_for(&containerd, &[]).await?;
    let mut events = daemon.subscribe().await?;
    let compact = Tetra::start(
        &daemon,
        &["-o", "compact", "--namespace", "default", "--pod", "xwing"],
    );
    let json = Tetra::start(&daemon, &["-o", "json", "--pod", "xwing"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // A pod made after the daemon started, and the host: neither is xwing.
    let fighter = containerd
        .start_container(&tie, "cockpit", &["sleep", "3600"])
        .await?;
    assert_eq!(
        exec(&containerd, &fighter, &["cat", "/etc/hostname"]).await,
        0
    );
    assert_eq!(host_cat("/etc/hostname"), None);
    assert_eq!(exec(&containerd, &ship, &["cat", "/etc/hostname"]).await, 0);

    let ev = events
        .wait_for("cat /etc/hostname in default/xwing", |e| {
            exec_process(e).is_some_and(|p| {
                p.binary == "/bin/cat" && p.arguments == "/etc/hostname" && in_pod(p, &xwing)
            })
        })
        .await;
    let process = exec_process(&ev).unwrap();
    let pod = process.pod.as_ref().unwrap();
    assert_eq!(pod.uid, xwing.uid);
    assert_eq!(pod.pod_labels.get("app").map(String::as_str), Some("xwing"));
    assert_eq!(
        pod.pod_labels.get("org").map(String::as_str),
        Some("alliance")
    );
    assert!(
        !pod.pod_labels
            .keys()
            .any(|k| k.starts_with("io.kubernetes.")),
        "the kubelet's own labels are not the pod's: {:?}",
        pod.pod_labels
    );
    assert_eq!(
        (pod.workload.as_str(), pod.workload_kind.as_str()),
        ("xwing", "Pod")
    );
    let container = pod.container.as_ref().unwrap();
    assert_eq!(container.id, ship.id);
    assert_eq!(container.name, "spaceship");
    assert_eq!(container.pid.map(|p| p.value), Some(ship.pid));
    assert!(container.start_time.is_some());
    assert_eq!(
        container.image.as_ref().map(|i| i.name.as_str()),
        Some(containerd.image())
    );
    assert_eq!(process.docker, ship.id[..31]);

    // The other pod's events carry its own pod.
    events
        .wait_for("cat in empire/tiefighter", |e| {
            exec_process(e).is_some_and(|p| p.binary == "/bin/cat" && in_pod(p, &tie))
        })
        .await;

    let lines = compact.lines_until("exec line for xwing", |l| {
        l.starts_with("🚀 process default/xwing /bin/cat /etc/hostname")
    });
    let exit = compact.lines_until("exit line for xwing", |l| {
        l.starts_with("💥 exit") && l.contains(" default/xwing /bin/cat /etc/hostname")
    });
    for line in lines.iter().chain(&exit) {
        assert!(line.contains(" default/xwing "), "not xwing's: {line}");
    }
    let first = json.lines_until("a JSON event", |_| true);
    let v: serde_json::Value = serde_json::from_str(&first[0])?;
    let key = v
        .as_object()
        .unwrap()
        .keys()
        .find(|k| k.starts_with("process_"))
        .unwrap()
        .clone();
    assert_eq!(v[&key]["process"]["pod"]["name"], "xwing", "{v}");
    assert_eq!(
        v[&key]["process"]["pod"]["pod_labels"]["org"], "alliance",
        "{v}"
    );
    assert_eq!(
        v[&key]["process"]["pod"]["container"]["name"], "spaceship",
        "{v}"
    );
    Ok(())
}

#[tokio::test]
async fn scoped_sigkill_policies_act_only_on_their_pods() -> Result<()> {
    if !can_run("scoped_sigkill_policies") {
        return Ok(());
    }
    let containerd = Containerd::start().await?;
    let (xwing, ship) = xwing(&containerd).await?;
    let tie = containerd
        .run_pod(
            "empire",
            "tiefighter",
            &[("app", "tiefighter"), ("org", "empire")],
        )
        .await?;
    let fighter = containerd
        .start_container(&tie, "cockpit", &["sleep", "3600"])
        .await?;
    let daemon = daemon_for(&containerd, &["--enable-policy-filter"]).await?;
    let mut events = daemon.subscribe().await?;

    // Only default's pods may not read /etc/hosts.
    add_policy(
        &daemon,
        &sigkill_on_open(
            "kind: TracingPolicyNamespaced\nmetadata:\n  name: deny-hosts\n  namespace: default",
            "",
            "/etc/hosts",
        ),
    )
    .await;
    // Only the empire's pods may not read /etc/resolv.conf.
    add_policy(
        &daemon,
        &sigkill_on_open(
            "kind: TracingPolicy\nmetadata:\n  name: deny-resolv",
            "  podSelector:\n    matchLabels:\n      org: empire",
            "/etc/resolv.conf",
        ),
    )
    .await;

    // Only containers named cockpit may not read /proc/version.
    add_policy(
        &daemon,
        &sigkill_on_open(
            "kind: TracingPolicy\nmetadata:\n  name: deny-version",
            "  containerSelector:\n    matchExpressions:\n    - key: name\n      operator: In\n      values: [cockpit]",
            "/proc/version",
        ),
    )
    .await;

    const KILLED: i32 = 128 + 9;
    assert_eq!(
        exec(&containerd, &ship, &["cat", "/etc/hosts"]).await,
        KILLED
    );
    assert_eq!(exec(&containerd, &fighter, &["cat", "/etc/hosts"]).await, 0);
    assert_eq!(host_cat("/etc/hosts"), None, "the host is no pod");
    assert_eq!(
        exec(&containerd, &fighter, &["cat", "/etc/resolv.conf"]).await,
        KILLED
    );
    assert_eq!(
        exec(&containerd, &ship, &["cat", "/etc/resolv.conf"]).await,
        0
    );
    assert_eq!(host_cat("/etc/resolv.conf"), None);
    assert_eq!(
        exec(&containerd, &fighter, &["cat", "/proc/version"]).await,
        KILLED
    );
    assert_eq!(exec(&containerd, &ship, &["cat", "/proc/version"]).await, 0);
    assert_eq!(host_cat("/proc/version"), None);
    events
        .wait_for("SIGKILL exit of cat in xwing", |e| {
            exit_of(e).is_some_and(|(p, sig)| {
                p.binary == "/bin/cat" && in_pod(p, &xwing) && sig == "SIGKILL"
            })
        })
        .await;

    // A pod made after the policy: the runtime hook tells the daemon before
    // the container starts, so its very first process is covered.
    let awing = containerd
        .run_pod("default", "awing", &[("app", "awing")])
        .await?;
    let id = containerd
        .create_container(
            &awing,
            "pilot",
            &["sh", "-c", "cat /etc/hosts; exec sleep 3600"],
        )
        .await?;
    daemon
        .client()
        .await?
        .runtime_hook(RuntimeHookRequest {
            event: Some(runtime_hook_request::Event::CreateContainer(
                CreateContainer {
                    cgroups_path: format!("{}/{id}", awing.cgroup_parent),
                    container_id: id.clone(),
                    container_name: "pilot".into(),
                    pod_name: awing.name.clone(),
                    pod_uid: awing.uid.clone(),
                    pod_namespace: awing.namespace.clone(),
                    ..Default::default()
                },
            )),
        })
        .await?;
    containerd.start_created(&awing, "pilot", id).await?;
    // busybox sh may run cat in-process: then sh itself, the container's
    // first process, is the one killed.
    let killed = events
        .wait_for("SIGKILL exit of the first process in default/awing", |e| {
            exit_of(e).is_some_and(|(p, sig)| in_pod(p, &awing) && sig == "SIGKILL")
        })
        .await;
    let (p, _) = exit_of(&killed).unwrap();
    assert_eq!(
        p.pod.as_ref().unwrap().container.as_ref().unwrap().name,
        "pilot"
    );

    // Removing a pod drops its entries; the daemon keeps serving.
    containerd.remove_pod(&tie).await?;
    assert_eq!(exec(&containerd, &ship, &["cat", "/etc/hostname"]).await, 0);
    Ok(())
}

/// The cgroup v2 mount (the hierarchy BPF sees), unified or hybrid host.
fn cgroup2_root() -> std::path::PathBuf {
    std::fs::read_to_string("/proc/self/mounts")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.get(2) == Some(&"cgroup2")).then(|| std::path::PathBuf::from(f[1]))
        })
        .unwrap_or_else(|| "/sys/fs/cgroup".into())
}

/// A counter or gauge, 0 when absent.
fn metric(text: &str, series: &str) -> f64 {
    metric_value(text, series).unwrap_or(0.0)
}

/// No runtime and no API server: both are logged, counted and retried, the
/// daemon keeps running, and a container process's events leave without
/// pod information once their hold expires.
#[tokio::test]
async fn unreachable_sources_are_counted_and_events_still_flow() -> Result<()> {
    if !can_run_bpf("unreachable_sources") {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:1\n\
         contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user: {}\n",
    )?;
    let port = free_port();
    let metrics_addr = format!("127.0.0.1:{port}");
    let daemon = Daemon::start(&[
        "--enable-cri",
        "--cri-endpoint",
        &format!("unix://{}/no-such-runtime.sock", dir.path().display()),
        "--enable-k8s-api",
        "--k8s-kubeconfig-path",
        kubeconfig.to_str().unwrap(),
        "--event-cache-retries",
        "2",
        "--event-cache-retry-delay",
        "1",
        "--metrics-server",
        &metrics_addr,
    ])
    .await?;
    let mut events = daemon.subscribe().await?;

    // A process in a cgroup named like a container: its pod is never known.
    let id = format!("{:064x}", u128::from(std::process::id()) << 64 | 0x7e7a);
    let cgroup = cgroup2_root().join(format!("tetragon-e2e-{id}"));
    std::fs::create_dir_all(&cgroup)?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "echo $$ > {}/cgroup.procs && exec cat /etc/hostname",
            cgroup.display()
        ))
        .stdout(Stdio::null())
        .status()?;
    assert!(status.success());
    let ev = events
        .wait_for(
            "the container process's exec, released from the hold",
            |e| exec_process(e).is_some_and(|p| p.binary.ends_with("/cat") && p.docker == id[..31]),
        )
        .await;
    assert!(exec_process(&ev).unwrap().pod.is_none());
    let _ = std::fs::remove_dir(&cgroup);

    let text = scrape_metrics(port);
    assert!(
        metric(
            &text,
            "tetragon_event_cache_released_total{reason=\"expired\"}"
        ) >= 1.0,
        "{text}"
    );
    assert!(metric(&text, "tetragon_cri_errors_total") >= 1.0, "{text}");
    assert_eq!(metric(&text, "tetragon_cri_connected"), 0.0);
    // The API server is retried with backoff; its first failure comes fast.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while metric(&scrape_metrics(port), "tetragon_k8s_api_errors_total") < 1.0 {
        assert!(std::time::Instant::now() < deadline, "no API error counted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let log = daemon.log();
    assert!(log.contains("container runtime (CRI) unavailable"), "{log}");
    // Host events never wait.
    assert_eq!(host_cat("/etc/hostname"), None);
    Ok(())
}
