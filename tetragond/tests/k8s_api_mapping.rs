//! The Kubernetes API source: API objects (fixtures under `fixtures/k8s/`)
//! mapped to our pod metadata and policy changes, and the watch state
//! machines driven with hand-made watch events.

use std::{collections::BTreeMap, path::PathBuf, sync::Arc};

use k8s_openapi::api::core::v1::Pod;
use kube::{api::DynamicObject, runtime::watcher::Event};
use tetragon_api::wkt::Timestamp;
use tetragond::pods::{
    k8s_api::{
        ApiStats, PodSync, PolicyChange, PolicySync, TRACING_POLICY, TRACING_POLICY_NAMESPACED,
        pod_meta, policy_yaml,
    },
    model::{ContainerMeta, PodMeta},
    store::PodStore,
};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/k8s")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pod(name: &str) -> Pod {
    serde_yaml::from_str(&fixture(name)).expect("fixture is a Pod")
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn mapped(name: &str) -> (PodMeta, Vec<ContainerMeta>) {
    pod_meta(&pod(name)).expect("pod maps")
}

#[test]
fn bare_pod_is_its_own_workload() {
    let (meta, containers) = mapped("pod-bare-xwing.yaml");
    assert_eq!(
        meta,
        PodMeta {
            uid: "6f1a4c8e-3b1d-4d8e-9a53-0c2f8e6b7a11".into(),
            namespace: "default".into(),
            name: "xwing".into(),
            labels: map(&[("app", "xwing"), ("org", "alliance")]),
            annotations: map(&[(
                "kubectl.kubernetes.io/last-applied-configuration",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"labels\":{\"app\":\"xwing\",\"org\":\"alliance\"},\"name\":\"xwing\",\"namespace\":\"default\"}}\n",
            )]),
            workload: "xwing".into(),
            workload_kind: "Pod".into(),
        }
    );
    assert_eq!(
        containers,
        vec![ContainerMeta {
            id: "3f2c5a0e9b7d41c6a8e2f1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2f1e0d9c".into(),
            pod_uid: "6f1a4c8e-3b1d-4d8e-9a53-0c2f8e6b7a11".into(),
            name: "spaceship".into(),
            image_name: "docker.io/tgraf/netperf:v1.0".into(),
            image_id: "docker.io/tgraf/netperf@sha256:8e86f744bfea165fd4ce68caa05abc96500f40130b857773186401926af7e9e6".into(),
            start_time: Some(Timestamp::new(1713061094, 0)),
            pid: None,
        }]
    );
}

#[test]
fn deployment_pod_names_the_deployment() {
    let (meta, containers) = mapped("pod-deployment-coredns.yaml");
    assert_eq!(meta.name, "coredns-7db6d8ff4d-9xk2p");
    assert_eq!(meta.namespace, "kube-system");
    assert_eq!(meta.uid, "0b7e2d4a-5c1f-4e3a-8d9b-1a2c3e4f5a6b");
    assert_eq!(
        meta.labels,
        map(&[("k8s-app", "kube-dns"), ("pod-template-hash", "7db6d8ff4d")])
    );
    assert!(meta.annotations.is_empty());
    assert_eq!(
        (meta.workload.as_str(), meta.workload_kind.as_str()),
        ("coredns", "Deployment")
    );
    assert_eq!(containers.len(), 1);
    let c = &containers[0];
    assert_eq!(
        c.id,
        "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
    );
    assert_eq!(c.name, "coredns");
    assert_eq!(c.image_name, "registry.k8s.io/coredns/coredns:v1.11.1");
    // The running state's start, not the previous (terminated) run's.
    assert_eq!(c.start_time, Some(Timestamp::new(1714557902, 123456789)));
}

#[test]
fn daemonset_pod_takes_the_controller_owner_only() {
    let (meta, containers) = mapped("pod-daemonset-tetragon.yaml");
    assert_eq!(
        (meta.workload.as_str(), meta.workload_kind.as_str()),
        ("tetragon", "DaemonSet")
    );
    let names: Vec<_> = containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["export-stdout", "tetragon"]);
    assert_eq!(
        containers[1].id,
        "9999888877776666555544443333222211110000ffffeeeeddddccccbbbbaaaa"
    );
    assert_eq!(
        containers[1].start_time,
        Some(Timestamp::new(1717317001, 500_000_000))
    );
    assert!(
        containers
            .iter()
            .all(|c| c.pod_uid == meta.uid && c.pid.is_none())
    );
}

#[test]
fn waiting_container_without_id_is_skipped_init_container_kept() {
    let (meta, containers) = mapped("pod-init-waiting.yaml");
    assert_eq!(
        (meta.workload.as_str(), meta.workload_kind.as_str()),
        ("db", "StatefulSet")
    );
    assert_eq!(containers.len(), 1, "{containers:?}");
    let init = &containers[0];
    assert_eq!(init.name, "init-perms");
    assert_eq!(
        init.id,
        "cafe0000cafe0000cafe0000cafe0000cafe0000cafe0000cafe0000cafe0000"
    );
    assert_eq!(init.image_name, "docker.io/library/busybox:1.36");
    // Terminated: no running start time.
    assert_eq!(init.start_time, None);
}

#[test]
fn crio_ids_and_ephemeral_containers() {
    let (meta, containers) = mapped("pod-crio-debug.yaml");
    assert_eq!(meta.namespace, "ops");
    assert_eq!(
        (meta.workload.as_str(), meta.workload_kind.as_str()),
        ("backup-28512345", "Job")
    );
    let got: Vec<_> = containers
        .iter()
        .map(|c| (c.name.as_str(), c.id.as_str(), c.start_time))
        .collect();
    assert_eq!(
        got,
        [
            (
                "backup",
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                Some(Timestamp::new(1722744244, 0))
            ),
            (
                "debugger-abcde",
                "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
                Some(Timestamp::new(1722747600, 0))
            ),
        ]
    );
}

#[test]
fn pod_without_uid_is_ignored() {
    let mut p = pod("pod-bare-xwing.yaml");
    p.metadata.uid = None;
    assert!(pod_meta(&p).is_none());
}

// --- PodSync -------------------------------------------------------------

fn sync() -> (PodSync, Arc<PodStore>, Arc<ApiStats>) {
    let store = Arc::new(PodStore::new());
    let stats = Arc::new(ApiStats::default());
    (PodSync::new(store.clone(), stats.clone()), store, stats)
}

const XWING_ID: &str = "3f2c5a0e9b7d41c6a8e2f1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2f1e0d9c";

#[test]
fn pod_events_fill_and_empty_the_store() {
    let (mut sync, store, stats) = sync();
    sync.handle(Event::Init);
    sync.handle(Event::InitApply(pod("pod-bare-xwing.yaml")));
    sync.handle(Event::InitDone);
    let api = store.lookup(XWING_ID).expect("container known");
    assert_eq!(api.name, "xwing");
    assert_eq!(api.workload_kind, "Pod");
    assert_eq!(api.pod_labels["org"], "alliance");

    sync.handle(Event::Apply(pod("pod-daemonset-tetragon.yaml")));
    assert_eq!((store.pod_count(), store.container_count()), (2, 3));

    sync.handle(Event::Delete(pod("pod-bare-xwing.yaml")));
    assert!(store.lookup(XWING_ID).is_none());
    assert_eq!((store.pod_count(), store.container_count()), (1, 2));
    assert_eq!(stats.events(), 5);
}

#[test]
fn a_container_that_left_the_status_is_removed() {
    let (mut sync, store, _) = sync();
    let mut p = pod("pod-daemonset-tetragon.yaml");
    sync.handle(Event::Apply(p.clone()));
    assert_eq!(store.container_count(), 2);
    // Another source (CRI) knows a container the API does not report yet:
    // it must survive the API's updates.
    store.upsert_container(ContainerMeta {
        id: "feed".into(),
        pod_uid: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a".into(),
        ..Default::default()
    });
    p.status
        .as_mut()
        .unwrap()
        .container_statuses
        .as_mut()
        .unwrap()
        .remove(0);
    sync.handle(Event::Apply(p));
    assert_eq!(store.container_count(), 2);
    assert!(
        store
            .lookup("1111aaaa2222bbbb3333cccc4444dddd5555eeee6666ffff7777000088889999")
            .is_none()
    );
    assert!(store.lookup("feed").is_some());
}

#[test]
fn a_relist_drops_pods_deleted_while_disconnected() {
    let (mut sync, store, stats) = sync();
    sync.handle(Event::Init);
    sync.handle(Event::InitApply(pod("pod-bare-xwing.yaml")));
    sync.handle(Event::InitApply(pod("pod-deployment-coredns.yaml")));
    sync.handle(Event::InitDone);
    assert_eq!(store.pod_count(), 2);
    // The watch broke; xwing was deleted meanwhile.
    sync.handle(Event::Init);
    sync.handle(Event::InitApply(pod("pod-deployment-coredns.yaml")));
    assert_eq!(
        store.pod_count(),
        2,
        "nothing is dropped before the list is complete"
    );
    sync.handle(Event::InitDone);
    assert_eq!(store.pod_count(), 1);
    assert!(store.lookup(XWING_ID).is_none());
    assert_eq!(sync.known_pods(), 1);
    assert_eq!(
        stats
            .missed_deletes
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    assert_eq!(stats.relists.load(std::sync::atomic::Ordering::Relaxed), 2);
}

// --- policies ------------------------------------------------------------

fn policy_object() -> DynamicObject {
    serde_yaml::from_str(&fixture("tracingpolicynamespaced.yaml")).expect("fixture parses")
}

#[test]
fn policy_yaml_parses_with_the_policy_crate() {
    let sync = PolicySync::new(TRACING_POLICY_NAMESPACED, Arc::new(ApiStats::default()));
    let yaml = policy_yaml(sync.resource(), &policy_object()).expect("renders");
    for noise in [
        "managedFields",
        "resourceVersion",
        "status",
        "uid",
        "last-applied",
    ] {
        assert!(!yaml.contains(noise), "{noise} in\n{yaml}");
    }
    let policy =
        tetragon_policy::parse_policy("<k8s>", &yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(
        policy.kind,
        tetragon_policy::PolicyKind::TracingPolicyNamespaced
    );
    assert_eq!(policy.metadata.name, "sys-write-in-ns");
    assert_eq!(policy.metadata.namespace.as_deref(), Some("shop"));
    assert_eq!(policy.metadata.labels, map(&[("team", "security")]));
    assert_eq!(policy.spec.kprobes.len(), 1);
    assert_eq!(policy.spec.kprobes[0].call, "sys_write");
}

#[test]
fn cluster_policy_yaml_parses() {
    let mut obj = policy_object();
    obj.metadata.namespace = None;
    let sync = PolicySync::new(TRACING_POLICY, Arc::new(ApiStats::default()));
    assert_eq!(sync.resource().plural, "tracingpolicies");
    let yaml = policy_yaml(sync.resource(), &obj).expect("renders");
    let policy =
        tetragon_policy::parse_policy("<k8s>", &yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(policy.kind, tetragon_policy::PolicyKind::TracingPolicy);
    assert_eq!(policy.metadata.namespace, None);
}

fn names(changes: &[PolicyChange]) -> Vec<String> {
    changes
        .iter()
        .map(|c| match c {
            PolicyChange::Applied {
                name, namespace, ..
            } => {
                format!("+{}/{name}", namespace.as_deref().unwrap_or(""))
            }
            PolicyChange::Deleted { name, namespace } => {
                format!("-{}/{name}", namespace.as_deref().unwrap_or(""))
            }
        })
        .collect()
}

fn named(name: &str) -> DynamicObject {
    let mut obj = policy_object();
    obj.metadata.name = Some(name.into());
    obj
}

#[test]
fn policy_events_become_changes() {
    let stats = Arc::new(ApiStats::default());
    let mut sync = PolicySync::new(TRACING_POLICY_NAMESPACED, stats.clone());
    assert!(sync.handle(Event::Init).is_empty());
    let mut all = sync.handle(Event::InitApply(named("a")));
    all.extend(sync.handle(Event::InitApply(named("b"))));
    all.extend(sync.handle(Event::InitDone));
    assert_eq!(names(&all), ["+shop/a", "+shop/b"]);

    // A status or resourceVersion change is no policy change.
    let mut same = named("a");
    same.metadata.resource_version = Some("999999".into());
    same.data["status"] = serde_json::json!({"state": "error"});
    assert!(sync.handle(Event::Apply(same)).is_empty());

    // A spec change (generation bump) is sent again.
    let mut changed = named("a");
    changed.metadata.generation = Some(4);
    changed.data["spec"]["kprobes"][0]["call"] = "sys_read".into();
    let got = sync.handle(Event::Apply(changed));
    assert_eq!(names(&got), ["+shop/a"]);
    let PolicyChange::Applied { yaml, .. } = &got[0] else {
        unreachable!()
    };
    assert!(yaml.contains("sys_read"), "{yaml}");

    assert_eq!(names(&sync.handle(Event::Delete(named("b")))), ["-shop/b"]);
    // A delete of something never sent is not forwarded.
    assert!(sync.handle(Event::Delete(named("zz"))).is_empty());

    // Re-list after a disconnect: `a` is gone, `c` is new.
    let mut all = sync.handle(Event::Init);
    all.extend(sync.handle(Event::InitApply(named("c"))));
    all.extend(sync.handle(Event::InitDone));
    assert_eq!(names(&all), ["+shop/c", "-shop/a"]);
}

#[tokio::test]
async fn client_from_a_kubeconfig_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let Err(err) = tetragond::pods::k8s_api::client(Some(&missing)).await else {
        panic!("a missing kubeconfig is an error");
    };
    assert!(format!("{err:#}").contains("nope"), "{err:#}");

    let path = dir.path().join("kubeconfig");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:1\n\
         contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n    namespace: ops\n\
         current-context: x\nusers:\n- name: u\n  user:\n    token: t\n",
    )
    .unwrap();
    let client = tetragond::pods::k8s_api::client(Some(&path)).await.unwrap();
    assert_eq!(client.default_namespace(), "ops");
}
