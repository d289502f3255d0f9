//! Pods of this node, from the API server into the `PodStore`.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use futures_util::StreamExt as _;
use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use kube::{
    Api,
    runtime::{WatchStreamExt as _, watcher},
};
use tetragon_api::wkt::Timestamp;

use super::ApiStats;
use crate::pods::{
    model::{ContainerMeta, PodMeta, bare_container_id},
    store::PodStore,
    workload::{self, Owner},
};

/// Our view of an API `Pod`: `None` for an object without a uid or name
/// (which the API server never sends, but a watcher must not trust that).
/// Containers that have no id yet (still waiting to be created) are left
/// out: nothing can run in them.
pub fn pod_meta(pod: &Pod) -> Option<(PodMeta, Vec<ContainerMeta>)> {
    let meta = &pod.metadata;
    let uid = meta.uid.clone().filter(|u| !u.is_empty())?;
    let name = meta.name.clone().filter(|n| !n.is_empty())?;
    let labels = meta.labels.clone().unwrap_or_default();
    let owner = meta
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| Owner {
            kind: o.kind.clone(),
            name: o.name.clone(),
        });
    let (workload, workload_kind) = workload::from_owner(&name, owner.as_ref(), &labels);
    let containers = container_statuses(pod)
        .filter_map(|status| container_meta(&uid, status))
        .collect();
    let pod = PodMeta {
        uid,
        namespace: meta.namespace.clone().unwrap_or_default(),
        name,
        labels,
        annotations: meta.annotations.clone().unwrap_or_default(),
        workload,
        workload_kind,
    };
    Some((pod, containers))
}

/// Regular, init and ephemeral containers alike: a process may run in any.
fn container_statuses(pod: &Pod) -> impl Iterator<Item = &ContainerStatus> {
    let status = pod.status.as_ref();
    [
        status.and_then(|s| s.container_statuses.as_ref()),
        status.and_then(|s| s.init_container_statuses.as_ref()),
        status.and_then(|s| s.ephemeral_container_statuses.as_ref()),
    ]
    .into_iter()
    .flatten()
    .flatten()
}

fn container_meta(pod_uid: &str, status: &ContainerStatus) -> Option<ContainerMeta> {
    let id = bare_container_id(status.container_id.as_deref()?);
    if id.is_empty() {
        return None;
    }
    let started_at = status
        .state
        .as_ref()
        .and_then(|s| s.running.as_ref())
        .and_then(|r| r.started_at.as_ref());
    Some(ContainerMeta {
        id: id.to_string(),
        pod_uid: pod_uid.to_string(),
        name: status.name.clone(),
        image_name: status.image.clone(),
        image_id: status.image_id.clone(),
        start_time: started_at.map(|t| Timestamp::new(t.0.as_second(), t.0.subsec_nanosecond())),
        // The API server does not know host pids; CRI or the process cache
        // fill them in.
        pid: None,
    })
}

/// Applies pod watch events to the store.
///
/// It remembers which containers it put in the store for each pod, so that
/// a container that left a pod's status is removed, but one that another
/// source (CRI) added, and the API does not report yet, is left alone.
pub struct PodSync {
    store: Arc<PodStore>,
    stats: Arc<ApiStats>,
    /// Pod uid -> container ids we stored for it.
    known: HashMap<String, HashSet<String>>,
    /// Pod uids listed since the last `Init`, while a re-list runs.
    relisted: Option<HashSet<String>>,
}

impl PodSync {
    pub fn new(store: Arc<PodStore>, stats: Arc<ApiStats>) -> Self {
        PodSync {
            store,
            stats,
            known: HashMap::new(),
            relisted: None,
        }
    }

    pub fn handle(&mut self, event: watcher::Event<Pod>) {
        ApiStats::count(&self.stats.events);
        match event {
            watcher::Event::Init => {
                ApiStats::count(&self.stats.relists);
                self.relisted = Some(HashSet::new());
            }
            watcher::Event::InitApply(pod) => {
                if let Some(uid) = self.apply(&pod)
                    && let Some(relisted) = &mut self.relisted
                {
                    relisted.insert(uid);
                }
            }
            watcher::Event::InitDone => self.forget_unlisted(),
            watcher::Event::Apply(pod) => {
                self.apply(&pod);
            }
            watcher::Event::Delete(pod) => {
                if let Some(uid) = pod.metadata.uid.as_deref() {
                    self.remove(uid);
                }
            }
        }
    }

    /// Stores `pod`; returns its uid.
    fn apply(&mut self, pod: &Pod) -> Option<String> {
        let (meta, containers) = pod_meta(pod)?;
        let uid = meta.uid.clone();
        let now: HashSet<String> = containers.iter().map(|c| c.id.clone()).collect();
        self.store.upsert_pod(meta);
        for container in containers {
            self.store.upsert_container(container);
        }
        if let Some(before) = self.known.insert(uid.clone(), now.clone()) {
            for gone in before.difference(&now) {
                self.store.remove_container(gone);
            }
        }
        Some(uid)
    }

    fn remove(&mut self, uid: &str) {
        self.known.remove(uid);
        self.store.remove_pod(uid);
    }

    /// After a re-list, pods we knew but the list lacks were deleted while
    /// the watch was down.
    fn forget_unlisted(&mut self) {
        let Some(relisted) = self.relisted.take() else {
            return;
        };
        let gone: Vec<String> = self
            .known
            .keys()
            .filter(|uid| !relisted.contains(*uid))
            .cloned()
            .collect();
        for uid in gone {
            ApiStats::count(&self.stats.missed_deletes);
            self.remove(&uid);
        }
    }

    pub fn known_pods(&self) -> usize {
        self.known.len()
    }
}

/// Keeps `store` in step with the pods scheduled on `node_name`. Runs until
/// the task is dropped; errors are logged, counted and retried with backoff.
pub async fn watch_pods(
    client: kube::Client,
    node_name: String,
    store: Arc<PodStore>,
    stats: Arc<ApiStats>,
) {
    let api: Api<Pod> = Api::all(client);
    // Only this node's pods: a cluster's pods can be many, and processes we
    // see only ever run in ours.
    let config = watcher::Config::default().fields(&format!("spec.nodeName={node_name}"));
    let mut sync = PodSync::new(store, stats.clone());
    let mut events = watcher(api, config).default_backoff().boxed();
    while let Some(event) = events.next().await {
        match event {
            Ok(event) => sync.handle(event),
            Err(e) => {
                ApiStats::count(&stats.errors);
                tracing::warn!(error = %e, node = %node_name, "Kubernetes pod watch failed; retrying");
            }
        }
    }
    // The watcher stream retries forever and does not end; if it ever does,
    // the daemon goes on without API pod metadata.
    tracing::warn!("Kubernetes pod watch ended");
}
