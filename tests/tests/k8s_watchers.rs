//! tetragond's Kubernetes API watchers on their own, against the fake API
//! server: the requests they make, the store and policy changes the watch
//! events become, and a missing CRD retried rather than the end.

use std::{path::PathBuf, sync::Arc, time::Duration};

use serde_json::Value;
use tetragon_e2e::fake_apiserver::{FakeApiServer, Resource};
use tetragond::pods::{
    k8s_api::{self, ApiStats, PolicyChange},
    store::PodStore,
};
use tokio::sync::mpsc;

const XWING_ID: &str = "3f2c5a0e9b7d41c6a8e2f1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2f1e0d9c";
const COREDNS_ID: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

/// A fixture of tetragond's API mapping tests, as JSON.
fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tetragond/tests/fixtures/k8s")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn namespaced_policy(name: &str) -> Value {
    let mut v = fixture("tracingpolicynamespaced.yaml");
    v["metadata"]["name"] = name.into();
    v
}

fn cluster_policy(name: &str) -> Value {
    let mut v = namespaced_policy(name);
    v["kind"] = "TracingPolicy".into();
    v["metadata"].as_object_mut().unwrap().remove("namespace");
    v
}

fn names(changes: &[PolicyChange]) -> Vec<String> {
    changes
        .iter()
        .map(|c| match c {
            PolicyChange::Applied {
                name, namespace, ..
            } => format!("+{}/{name}", namespace.as_deref().unwrap_or("")),
            PolicyChange::Deleted { name, namespace } => {
                format!("-{}/{name}", namespace.as_deref().unwrap_or(""))
            }
        })
        .collect()
}

/// Polls `done` until it holds, for at most 10 s.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn next_change(rx: &mut mpsc::Receiver<PolicyChange>) -> PolicyChange {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a policy change in time")
        .expect("watcher alive")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_pods_follows_this_nodes_pods() {
    let server = FakeApiServer::start().await.unwrap();
    server.set_objects(Resource::Pods, vec![fixture("pod-bare-xwing.yaml")]);
    let store = Arc::new(PodStore::new());
    let stats = Arc::new(ApiStats::default());
    let task = tokio::spawn(k8s_api::watch_pods(
        k8s_api::client(Some(server.kubeconfig_path()))
            .await
            .unwrap(),
        "kind-worker".into(),
        store.clone(),
        stats.clone(),
    ));
    eventually("xwing listed and the watch open", || {
        store.lookup(XWING_ID).is_some() && server.open_watches(Resource::Pods) > 0
    })
    .await;
    server.push_event(
        Resource::Pods,
        "ADDED",
        fixture("pod-deployment-coredns.yaml"),
    );
    server.push_event(Resource::Pods, "DELETED", fixture("pod-bare-xwing.yaml"));
    eventually("coredns added and xwing deleted", || {
        store.lookup(COREDNS_ID).is_some() && store.lookup(XWING_ID).is_none()
    })
    .await;
    assert_eq!(store.pod_count(), 1);
    assert_eq!(store.lookup(COREDNS_ID).unwrap().workload, "coredns");
    let requests = server.requests();
    assert!(requests.len() >= 2, "{}", server.request_log());
    for r in &requests {
        assert_eq!(
            r.param("fieldSelector"),
            Some("spec.nodeName=kind-worker"),
            "{r}"
        );
    }
    assert!(
        !requests[0].is_watch(),
        "a list first: {}",
        server.request_log()
    );
    assert!(
        requests[1].is_watch() && requests[1].param("resourceVersion").is_some(),
        "then a watch from the list: {}",
        server.request_log()
    );
    // Init, InitApply, InitDone, ADDED, DELETED.
    assert_eq!(stats.events(), 5);
    assert_eq!(stats.errors(), 0);
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_policies_follows_both_kinds() {
    let server = FakeApiServer::start().await.unwrap();
    server.set_objects(
        Resource::TracingPolicies,
        vec![cluster_policy("cluster-wide")],
    );
    server.set_objects(
        Resource::TracingPoliciesNamespaced,
        vec![namespaced_policy("a")],
    );
    let (tx, mut rx) = mpsc::channel(16);
    let stats = Arc::new(ApiStats::default());
    let task = tokio::spawn(k8s_api::watch_policies(
        k8s_api::client(Some(server.kubeconfig_path()))
            .await
            .unwrap(),
        tx,
        stats.clone(),
    ));
    let mut got = vec![next_change(&mut rx).await, next_change(&mut rx).await];
    eventually("the namespaced watch open", || {
        server.open_watches(Resource::TracingPoliciesNamespaced) > 0
    })
    .await;
    server.push_event(
        Resource::TracingPoliciesNamespaced,
        "ADDED",
        namespaced_policy("b"),
    );
    server.push_event(
        Resource::TracingPoliciesNamespaced,
        "DELETED",
        namespaced_policy("a"),
    );
    got.push(next_change(&mut rx).await);
    got.push(next_change(&mut rx).await);
    for change in &got {
        if let PolicyChange::Applied { yaml, .. } = change {
            tetragon_policy::parse_policy("<k8s>", yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        }
    }
    let mut got = names(&got);
    got.sort();
    assert_eq!(got, ["+/cluster-wide", "+shop/a", "+shop/b", "-shop/a"]);
    assert_eq!(stats.errors(), 0);
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_crd_is_an_error_retried_not_the_end() {
    // Only the cluster-wide CRD is installed: the namespaced watch gets 404s.
    let server = FakeApiServer::start().await.unwrap();
    server.uninstall(Resource::TracingPoliciesNamespaced);
    server.set_objects(
        Resource::TracingPolicies,
        vec![cluster_policy("sys-write-in-ns")],
    );
    let (tx, mut rx) = mpsc::channel(16);
    let stats = Arc::new(ApiStats::default());
    let task = tokio::spawn(k8s_api::watch_policies(
        k8s_api::client(Some(server.kubeconfig_path()))
            .await
            .unwrap(),
        tx,
        stats.clone(),
    ));
    let change = next_change(&mut rx).await;
    assert_eq!(names(&[change]), ["+/sys-write-in-ns"]);
    eventually("the 404 counted", || stats.errors() >= 1).await;
    assert!(!task.is_finished());
    task.abort();
}
