//! tetragond's Kubernetes API path (`--enable-k8s-api`) end to end, against
//! a fake API server on 127.0.0.1 (no real one runs where the tests run):
//! pod metadata on the events of a real pod's processes with no CRI source,
//! and TracingPolicy resources loaded, replaced and unloaded as the cluster
//! changes them.

use std::{
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::Result;
use serde_json::{Value, json};
use tetragon_api::tetragon::{
    GetEventsResponse, ListTracingPoliciesRequest, Process, TracingPolicyState,
    TracingPolicyStatus, get_events_response::Event,
};
use tetragon_e2e::{
    Daemon, can_run_bpf,
    cri::{Container, Containerd, Pod, can_run_pods},
    fake_apiserver::{FakeApiServer, Resource},
    free_port, metric_value, scrape_metrics,
};

const EXEC_TIMEOUT: Duration = Duration::from_secs(10);
/// `status.containerStatuses[].state.running.startedAt` of the fake pod.
const STARTED_AT: &str = "2026-01-02T03:04:05Z";
const STARTED_AT_EPOCH: i64 = 1_767_323_045;
const IMAGE_ID: &str = "docker.io/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The node name the harness gives the daemon (`Daemon::start`).
fn harness_node() -> String {
    format!("e2e-node-{}", std::process::id())
}

async fn daemon_for(api: &FakeApiServer, extra: &[&str]) -> Result<Daemon> {
    let kubeconfig = api.kubeconfig_path().display().to_string();
    let mut args = vec![
        "--enable-k8s-api",
        "--k8s-kubeconfig-path",
        kubeconfig.as_str(),
    ];
    args.extend_from_slice(extra);
    let daemon = Daemon::start(&args).await?;
    assert_eq!(daemon.node, harness_node());
    Ok(daemon)
}

/// Polls `done` every 100 ms until it holds; panics after `secs` seconds
/// with `what` and `context()`.
async fn eventually(
    what: &str,
    secs: u64,
    mut done: impl AsyncFnMut() -> bool,
    context: impl Fn() -> String,
) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if done().await {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {secs}s waiting for {what}\n{}",
            context()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the daemon has listed `resource` and then watches it: the
/// list's objects have been handled by then (kube's watcher only watches
/// once the list's events were taken).
async fn wait_watching(api: &FakeApiServer, daemon: &Daemon, resource: Resource) {
    eventually(
        &format!("a watch of {}", resource.path()),
        20,
        async || {
            api.requests()
                .iter()
                .any(|r| r.path == resource.path() && r.is_watch())
        },
        || format!("requests:\n{}\n{}", api.request_log(), daemon.log()),
    )
    .await;
}

/// The Pod object the API server would hold for `pod` running `container`,
/// with `labels` and owned by `owner` (kind, name).
fn pod_object(
    pod: &Pod,
    container: &Container,
    node: &str,
    image: &str,
    labels: &[(&str, &str)],
    owner: (&str, &str),
) -> Value {
    let labels: serde_json::Map<String, Value> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    let api_version = if owner.0 == "Job" {
        "batch/v1"
    } else {
        "apps/v1"
    };
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": pod.name,
            "namespace": pod.namespace,
            "uid": pod.uid,
            "labels": labels,
            "ownerReferences": [{
                "apiVersion": api_version,
                "kind": owner.0,
                "name": owner.1,
                "uid": "5f0e8c4a-1b2c-4d3e-8f90-a1b2c3d4e5f6",
                "controller": true,
                "blockOwnerDeletion": true,
            }],
        },
        "spec": {
            "nodeName": node,
            "containers": [{"name": container.name, "image": image,
                "command": ["sleep", "3600"]}],
        },
        "status": {
            "phase": "Running",
            "containerStatuses": [{
                "name": container.name,
                "containerID": format!("containerd://{}", container.id),
                "image": image,
                "imageID": IMAGE_ID,
                "ready": true,
                "restartCount": 0,
                "started": true,
                "state": {"running": {"startedAt": STARTED_AT}},
            }],
        },
    })
}

/// SIGTERM stops the daemon, its API watches open, with status 0.
///
/// The tests run on a multi-threaded runtime: `Daemon::stop` blocks its
/// thread, and on a current-thread runtime the test's own gRPC connections
/// (and the fake API server) would stall, while tetragond's graceful
/// shutdown waits for its gRPC connections to close.
fn stops_cleanly(mut daemon: Daemon) {
    let t = Instant::now();
    match daemon.stop() {
        Ok(status) => assert!(status.success(), "tetragond: {status}\n{}", daemon.log()),
        Err(e) => panic!("{e:#}\n{}", daemon.log()),
    }
    eprintln!("tetragond stopped in {:.1?}", t.elapsed());
}

fn exec_process(e: &GetEventsResponse) -> Option<&Process> {
    match &e.event {
        Some(Event::ProcessExec(x)) => x.process.as_ref(),
        _ => None,
    }
}

/// Pod metadata from the API server alone (no `--enable-cri`): the process
/// is matched to its container by its cgroup, the container to its pod by
/// the pod's `status.containerStatuses`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pod_metadata_from_the_api_server_alone() -> Result<()> {
    let test = "pod_metadata_from_the_api_server_alone";
    if !(can_run_bpf(test) && can_run_pods(test)) {
        return Ok(());
    }
    let started = Instant::now();
    let containerd = Containerd::start().await?;
    let labels = [("app", "deathstar"), ("pod-template-hash", "5d8f7c9b4")];
    let pod = containerd
        .run_pod("default", "deathstar-5d8f7c9b4-x2x7k", &labels)
        .await?;
    let main = containerd
        .start_container(&pod, "main", &["sleep", "3600"])
        .await?;
    let api = FakeApiServer::start().await?;
    let node = harness_node();
    // Served before the daemon starts: it arrives in the first list.
    api.set_objects(
        Resource::Pods,
        vec![pod_object(
            &pod,
            &main,
            &node,
            containerd.image(),
            &labels,
            ("ReplicaSet", "deathstar-5d8f7c9b4"),
        )],
    );
    let daemon = daemon_for(&api, &[]).await?;
    wait_watching(&api, &daemon, Resource::Pods).await;
    let requests = api.requests();
    eprintln!("requests of the daemon so far:\n{}", api.request_log());
    let pod_requests: Vec<_> = requests
        .iter()
        .filter(|r| r.path == Resource::Pods.path())
        .collect();
    assert!(!pod_requests.is_empty());
    for r in &pod_requests {
        assert_eq!(
            r.param("fieldSelector"),
            Some(format!("spec.nodeName={node}").as_str()),
            "{r}"
        );
    }

    let mut events = daemon.subscribe().await?;
    let out = containerd
        .exec_sync(&main, &["cat", "/etc/hostname"], EXEC_TIMEOUT)
        .await?;
    assert_eq!(out.exit_code, 0, "{out:?}");
    let ev = events
        .wait_for("cat /etc/hostname in the deathstar pod", |e| {
            exec_process(e).is_some_and(|p| {
                p.binary == "/bin/cat"
                    && p.arguments == "/etc/hostname"
                    && p.docker == main.id[..31]
            })
        })
        .await;
    let process = exec_process(&ev).unwrap();
    let p = process
        .pod
        .as_ref()
        .unwrap_or_else(|| panic!("no pod on the exec event: {ev:?}\n{}", daemon.log()));
    assert_eq!(p.namespace, "default");
    assert_eq!(p.name, "deathstar-5d8f7c9b4-x2x7k");
    assert_eq!(p.uid, pod.uid);
    let labels: Vec<(&str, &str)> = {
        let mut l: Vec<_> = p
            .pod_labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        l.sort();
        l
    };
    assert_eq!(
        labels,
        [("app", "deathstar"), ("pod-template-hash", "5d8f7c9b4")]
    );
    assert_eq!(
        (p.workload.as_str(), p.workload_kind.as_str()),
        ("deathstar", "Deployment")
    );
    let c = p.container.as_ref().expect("the container");
    assert_eq!(c.name, "main");
    assert_eq!(c.id, main.id);
    let image = c.image.as_ref().expect("the image");
    assert_eq!(image.name, containerd.image());
    assert_eq!(image.id, IMAGE_ID);
    assert_eq!(
        c.start_time.as_ref().map(|t| t.seconds),
        Some(STARTED_AT_EPOCH)
    );

    // A pod made after the daemon started, announced by a watch event.
    let tie = containerd
        .run_pod("empire", "tiefighter-0", &[("app", "tiefighter")])
        .await?;
    let cockpit = containerd
        .start_container(&tie, "cockpit", &["sleep", "3600"])
        .await?;
    api.push_event(
        Resource::Pods,
        "ADDED",
        pod_object(
            &tie,
            &cockpit,
            &node,
            containerd.image(),
            &[("app", "tiefighter")],
            ("StatefulSet", "tiefighter"),
        ),
    );
    let out = containerd
        .exec_sync(&cockpit, &["cat", "/etc/hostname"], EXEC_TIMEOUT)
        .await?;
    assert_eq!(out.exit_code, 0, "{out:?}");
    let ev = events
        .wait_for("cat /etc/hostname in the tiefighter pod", |e| {
            exec_process(e).is_some_and(|p| {
                p.binary == "/bin/cat"
                    && p.arguments == "/etc/hostname"
                    && p.docker == cockpit.id[..31]
            })
        })
        .await;
    let p = exec_process(&ev).unwrap().pod.as_ref();
    let p = p.unwrap_or_else(|| panic!("no pod on the exec event: {ev:?}\n{}", daemon.log()));
    assert_eq!(
        (p.namespace.as_str(), p.name.as_str()),
        ("empire", "tiefighter-0")
    );
    assert_eq!(
        (p.workload.as_str(), p.workload_kind.as_str()),
        ("tiefighter", "StatefulSet")
    );
    assert_eq!(
        p.container.as_ref().map(|c| c.name.as_str()),
        Some("cockpit")
    );
    eprintln!("{test}: {:.1?}", started.elapsed());
    stops_cleanly(daemon);
    Ok(())
}

fn open_policy(kind: &str, name: &str, namespace: Option<&str>, path: &Path, op: &str) -> Value {
    let mut metadata = json!({"name": name, "uid": format!("uid-{name}"), "generation": 1});
    if let Some(ns) = namespace {
        metadata["namespace"] = ns.into();
    }
    json!({
        "apiVersion": "cilium.io/v1alpha1",
        "kind": kind,
        "metadata": metadata,
        "spec": {"kprobes": [{
            "call": "sys_openat",
            "syscall": true,
            "args": [{"index": 0, "type": "int"}, {"index": 1, "type": "string"}],
            "selectors": [{
                "matchArgs": [{"index": 1, "operator": op,
                    "values": [path.display().to_string()]}],
                "matchActions": [{"action": "Post"}],
            }],
        }]},
    })
}

async fn policies(daemon: &Daemon) -> Vec<TracingPolicyStatus> {
    daemon
        .client()
        .await
        .expect("connecting")
        .list_tracing_policies(ListTracingPoliciesRequest::default())
        .await
        .expect("ListTracingPolicies")
        .into_inner()
        .policies
}

fn named<'a>(list: &'a [TracingPolicyStatus], name: &str) -> Vec<&'a TracingPolicyStatus> {
    list.iter().filter(|p| p.name == name).collect()
}

/// TracingPolicy and TracingPolicyNamespaced resources: those listed at
/// start are loaded, watch events add, replace and remove them, an invalid
/// one is counted and skipped, and a watch that ends is resumed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracing_policy_resources_follow_the_cluster() -> Result<()> {
    let test = "tracing_policy_resources_follow_the_cluster";
    if !can_run_bpf(test) {
        return Ok(());
    }
    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    let target = dir.path().join("k8s-api-target");
    std::fs::write(&target, "data\n")?;
    let other = dir.path().join("k8s-api-other");
    std::fs::write(&other, "data\n")?;
    let pid = std::process::id();
    let cluster = format!("e2e-k8s-open-{pid}");
    let bad = format!("e2e-k8s-bad-{pid}");
    let scoped = format!("e2e-k8s-scoped-{pid}");
    let late = format!("e2e-k8s-late-{pid}");

    let api = FakeApiServer::start().await?;
    api.set_objects(
        Resource::TracingPolicies,
        vec![
            open_policy("TracingPolicy", &cluster, None, &target, "Equal"),
            open_policy("TracingPolicy", &bad, None, &target, "NoSuchOperator"),
        ],
    );
    let port = free_port();
    let metrics = format!("127.0.0.1:{port}");
    let daemon = daemon_for(
        &api,
        &["--enable-policy-filter", "--metrics-server", &metrics],
    )
    .await?;
    let context = || format!("requests:\n{}\n{}", api.request_log(), daemon.log());

    // The listed policy is loaded and enabled.
    eventually(
        "the listed TracingPolicy loaded",
        20,
        async || {
            named(&policies(&daemon).await, &cluster)
                .first()
                .is_some_and(|p| p.state == TracingPolicyState::TpStateEnabled as i32)
        },
        context,
    )
    .await;
    let list = policies(&daemon).await;
    let loaded = named(&list, &cluster);
    assert_eq!(loaded.len(), 1, "{list:?}");
    assert_eq!(loaded[0].namespace, "");
    // The invalid one is not loaded, and is counted.
    assert!(named(&list, &bad).is_empty(), "{list:?}");
    eventually(
        "tetragon_k8s_policy_errors_total 1",
        10,
        async || {
            metric_value(&scrape_metrics(port), "tetragon_k8s_policy_errors_total") == Some(1.0)
        },
        || scrape_metrics(port),
    )
    .await;
    eprintln!("requests of the daemon so far:\n{}", api.request_log());
    for resource in [
        Resource::TracingPolicies,
        Resource::TracingPoliciesNamespaced,
    ] {
        wait_watching(&api, &daemon, resource).await;
    }

    // It works: an open of the target is reported under its name.
    let mut events = daemon.subscribe().await?;
    let cat = Command::new("cat")
        .arg(&target)
        .stdout(Stdio::null())
        .status()?;
    assert!(cat.success());
    events
        .wait_for(
            "openat of the target under the cluster's policy",
            |e| matches!(&e.event, Some(Event::ProcessKprobe(k)) if k.policy_name == cluster),
        )
        .await;

    // Deleted from the cluster: unloaded.
    api.push_event(
        Resource::TracingPolicies,
        "DELETED",
        open_policy("TracingPolicy", &cluster, None, &target, "Equal"),
    );
    eventually(
        "the deleted TracingPolicy unloaded",
        10,
        async || named(&policies(&daemon).await, &cluster).is_empty(),
        context,
    )
    .await;

    // A namespaced policy added by the watch: loaded in its namespace.
    api.push_event(
        Resource::TracingPoliciesNamespaced,
        "ADDED",
        open_policy(
            "TracingPolicyNamespaced",
            &scoped,
            Some("e2e-k8s-ns"),
            &target,
            "Equal",
        ),
    );
    eventually(
        "the namespaced policy loaded",
        10,
        async || {
            named(&policies(&daemon).await, &scoped)
                .first()
                .is_some_and(|p| {
                    p.namespace == "e2e-k8s-ns"
                        && p.state == TracingPolicyState::TpStateEnabled as i32
                })
        },
        context,
    )
    .await;
    let first_id = named(&policies(&daemon).await, &scoped)[0].id;

    // Its spec changed: replaced (a new load), still one of that name.
    let mut changed = open_policy(
        "TracingPolicyNamespaced",
        &scoped,
        Some("e2e-k8s-ns"),
        &other,
        "Equal",
    );
    changed["metadata"]["generation"] = 2.into();
    api.push_event(Resource::TracingPoliciesNamespaced, "MODIFIED", changed);
    eventually(
        "the changed namespaced policy reloaded",
        10,
        async || {
            let list = policies(&daemon).await;
            let same = named(&list, &scoped);
            same.len() == 1
                && same[0].id != first_id
                && same[0].namespace == "e2e-k8s-ns"
                && same[0].state == TracingPolicyState::TpStateEnabled as i32
        },
        context,
    )
    .await;

    // The API server ends the watches (as at their timeout); a policy added
    // meanwhile still arrives when kube watches again.
    let watches_before = api
        .requests()
        .iter()
        .filter(|r| r.is_watch() && r.path == Resource::TracingPolicies.path())
        .count();
    api.close_watches();
    api.push_event(
        Resource::TracingPolicies,
        "ADDED",
        open_policy("TracingPolicy", &late, None, &target, "Equal"),
    );
    eventually(
        "the policy added while the watch was down loaded",
        20,
        async || {
            named(&policies(&daemon).await, &late)
                .first()
                .is_some_and(|p| p.state == TracingPolicyState::TpStateEnabled as i32)
        },
        context,
    )
    .await;
    let watches_after = api
        .requests()
        .iter()
        .filter(|r| r.is_watch() && r.path == Resource::TracingPolicies.path())
        .count();
    assert!(watches_after > watches_before, "{}", api.request_log());

    // A longer outage: the history is compacted, so kube's watch is
    // refused (410 Expired) and it lists again; `late` was deleted
    // meanwhile (no event says so) and `relisted` added.
    let relisted = format!("e2e-k8s-relisted-{pid}");
    let lists_before = api
        .requests()
        .iter()
        .filter(|r| !r.is_watch() && r.path == Resource::TracingPolicies.path())
        .count();
    api.set_objects(
        Resource::TracingPolicies,
        vec![open_policy(
            "TracingPolicy",
            &relisted,
            None,
            &target,
            "Equal",
        )],
    );
    api.compact();
    api.close_watches();
    eventually(
        "the re-list's changes applied",
        30,
        async || {
            let list = policies(&daemon).await;
            named(&list, &late).is_empty()
                && named(&list, &relisted)
                    .first()
                    .is_some_and(|p| p.state == TracingPolicyState::TpStateEnabled as i32)
        },
        context,
    )
    .await;
    let lists_after = api
        .requests()
        .iter()
        .filter(|r| !r.is_watch() && r.path == Resource::TracingPolicies.path())
        .count();
    assert!(lists_after > lists_before, "{}", api.request_log());

    // The daemon is still well, and the error count did not move.
    let list = policies(&daemon).await;
    assert!(named(&list, &cluster).is_empty(), "{list:?}");
    assert!(named(&list, &bad).is_empty(), "{list:?}");
    assert_eq!(named(&list, &scoped).len(), 1, "{list:?}");
    assert_eq!(
        metric_value(&scrape_metrics(port), "tetragon_k8s_policy_errors_total"),
        Some(1.0)
    );
    eprintln!("all requests of the daemon:\n{}", api.request_log());
    eprintln!("{test}: {:.1?}", started.elapsed());
    stops_cleanly(daemon);
    Ok(())
}
