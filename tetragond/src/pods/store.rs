//! The pods and containers known to the daemon, shared by every source
//! (CRI, the Kubernetes API, runtime hooks) and every reader (event
//! enrichment, the policy filter).

use std::{
    collections::HashMap,
    sync::{
        Mutex, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use tetragon_api::tetragon::Pod;
use tokio::sync::watch;

use super::model::{ContainerMeta, PodMeta};

#[derive(Default)]
struct Inner {
    pods: HashMap<String, PodMeta>,
    /// By the first characters of the id: processes know only those (the
    /// `docker` field).
    containers: HashMap<String, ContainerMeta>,
}

/// How much of a container id identifies it here: what `docker` holds.
const KEY_LEN: usize = 31;

fn key(id: &str) -> &str {
    id.get(..KEY_LEN).unwrap_or(id)
}

pub struct PodStore {
    inner: RwLock<Inner>,
    /// Bumped on every change, so the policy filter can recompute.
    generation: watch::Sender<u64>,
    lookups_missed: AtomicU64,
    /// When the last complete runtime listing began.
    listed_at: Mutex<Option<Instant>>,
}

impl Default for PodStore {
    fn default() -> Self {
        PodStore {
            inner: RwLock::default(),
            generation: watch::channel(0).0,
            lookups_missed: AtomicU64::new(0),
            listed_at: Mutex::new(None),
        }
    }
}

impl PodStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// The `pod` block for a process in container `container_id` (the bare
    /// id, or its first 31 characters as in `docker`), when its pod is known.
    pub fn lookup(&self, container_id: &str) -> Option<Pod> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let found = inner
            .containers
            .get(key(container_id))
            .and_then(|c| inner.pods.get(&c.pod_uid).map(|p| p.to_api(c)));
        if found.is_none() {
            self.lookups_missed.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    /// Adds or replaces a pod; unchanged pods are not a change.
    pub fn upsert_pod(&self, pod: PodMeta) {
        self.change(|inner| inner.pods.insert(pod.uid.clone(), pod.clone()).as_ref() != Some(&pod));
    }

    /// Adds or replaces a container. A container whose pod is not known yet
    /// is kept: its pod may arrive next.
    pub fn upsert_container(&self, container: ContainerMeta) {
        self.change(|inner| {
            inner
                .containers
                .insert(key(&container.id).to_string(), container.clone())
                .as_ref()
                != Some(&container)
        });
    }

    /// Forgets a pod and its containers.
    pub fn remove_pod(&self, uid: &str) {
        self.change(|inner| {
            let before = inner.containers.len();
            inner.containers.retain(|_, c| c.pod_uid != uid);
            inner.pods.remove(uid).is_some() || inner.containers.len() != before
        });
    }

    pub fn remove_container(&self, id: &str) {
        self.change(|inner| inner.containers.remove(key(id)).is_some());
    }

    /// A complete listing of the runtime, begun at `started`, is in.
    pub fn listed(&self, started: Instant) {
        *self.listed_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(started);
    }

    /// Whether a complete runtime listing began after `t`: a container
    /// unknown now was not the runtime's at `t` (a Docker container, say).
    pub fn listed_since(&self, t: Instant) -> bool {
        self.listed_at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|at| at > t)
    }

    /// Every pod with its containers.
    pub fn pods(&self) -> Vec<(PodMeta, Vec<ContainerMeta>)> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner
            .pods
            .values()
            .map(|p| {
                let containers = inner
                    .containers
                    .values()
                    .filter(|c| c.pod_uid == p.uid)
                    .cloned()
                    .collect();
                (p.clone(), containers)
            })
            .collect()
    }

    pub fn has_pod(&self, uid: &str) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .pods
            .contains_key(uid)
    }

    /// Waits up to `timeout` for the pod `uid` to be known.
    pub async fn wait_for_pod(&self, uid: &str, timeout: std::time::Duration) -> bool {
        let mut changes = self.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.has_pod(uid) {
                return true;
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                _ => return self.has_pod(uid),
            }
        }
    }

    pub fn pod_count(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .pods
            .len()
    }

    pub fn container_count(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .containers
            .len()
    }

    pub fn lookups_missed(&self) -> u64 {
        self.lookups_missed.load(Ordering::Relaxed)
    }

    /// Tells when the store changes (the value is a change counter).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.generation.subscribe()
    }

    fn change(&self, f: impl FnOnce(&mut Inner) -> bool) {
        let changed = {
            let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
            f(&mut inner)
        };
        if changed {
            self.generation.send_modify(|g| *g += 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(uid: &str, name: &str) -> PodMeta {
        PodMeta {
            uid: uid.into(),
            namespace: "default".into(),
            name: name.into(),
            ..Default::default()
        }
    }

    fn container(id: &str, pod_uid: &str) -> ContainerMeta {
        ContainerMeta {
            id: id.into(),
            pod_uid: pod_uid.into(),
            name: "c".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_container_resolves_once_its_pod_is_known() {
        let store = PodStore::new();
        store.upsert_container(container("c1", "u1"));
        assert!(store.lookup("c1").is_none());
        store.upsert_pod(pod("u1", "xwing"));
        assert_eq!(store.lookup("c1").unwrap().name, "xwing");
        assert_eq!(store.lookups_missed(), 1);
        let long = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        store.upsert_container(container(long, "u1"));
        assert!(
            store.lookup(&long[..31]).is_some(),
            "found by its docker field"
        );
        assert!(store.lookup(long).is_some());
    }

    #[test]
    fn removing_a_pod_removes_its_containers_and_signals_a_change() {
        let store = PodStore::new();
        let rx = store.subscribe();
        store.upsert_pod(pod("u1", "xwing"));
        store.upsert_container(container("c1", "u1"));
        let before = *rx.borrow();
        store.upsert_pod(pod("u1", "xwing"));
        assert_eq!(*rx.borrow(), before, "an unchanged pod is no change");
        store.remove_pod("u1");
        assert!(*rx.borrow() > before);
        assert_eq!(store.container_count(), 0);
        assert!(store.lookup("c1").is_none());
    }
}
