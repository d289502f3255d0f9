//! The policy filter: which pods and containers each pod-scoped policy
//! (TracingPolicyNamespaced, podSelector, containerSelector) applies to,
//! kept in the kernel as (policy id, cgroup id) entries that the policy
//! programs consult before anything else.
//!
//! A policy scoped to pods gets its pods' cgroups, so every container a pod
//! starts later is covered from its first process; one scoped to containers
//! gets those containers' cgroups once they exist.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::{Context, Result};
use aya::maps::{HashMap as AyaHashMap, Map, MapData};
use tetragon_policy::{LabelSelector, PolicyKind, TracingPolicy};
use tokio::sync::watch;
use tracing::{debug, warn};

use super::kernel_abi::PolicyFilterKey;
use crate::pods::{
    cgroups,
    model::{ContainerMeta, PodMeta},
    store::PodStore,
};

/// Which pods and containers a policy is limited to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub namespace: Option<String>,
    pub pods: Option<LabelSelector>,
    pub containers: Option<LabelSelector>,
}

impl Scope {
    /// The scope of `policy`, or None when it applies to the whole host.
    pub fn of(policy: &TracingPolicy) -> Option<Scope> {
        let namespace = (policy.kind == PolicyKind::TracingPolicyNamespaced)
            .then(|| policy.metadata.namespace.clone().unwrap_or_default());
        let scope = Scope {
            namespace,
            pods: policy.spec.pod_selector.clone(),
            containers: policy.spec.container_selector.clone(),
        };
        (scope != Scope::default()).then_some(scope)
    }

    /// What limits the policy, for messages.
    pub fn describe(&self) -> &'static str {
        if self.namespace.is_some() {
            "a TracingPolicyNamespaced"
        } else if self.pods.is_some() {
            "podSelector"
        } else {
            "containerSelector"
        }
    }

    fn takes_pod(&self, pod: &PodMeta) -> bool {
        self.namespace
            .as_ref()
            .is_none_or(|ns| *ns == pod.namespace)
            && self.pods.as_ref().is_none_or(|s| s.matches(&pod.labels))
    }

    /// A container selector sees one label: the container's `name`.
    fn takes_container(&self, container: &ContainerMeta) -> bool {
        self.containers.as_ref().is_none_or(|s| {
            s.matches(&BTreeMap::from([(
                "name".to_string(),
                container.name.clone(),
            )]))
        })
    }
}

type KernelMap = AyaHashMap<MapData, [u8; 16], u8>;

#[derive(Default)]
struct State {
    next_id: u32,
    scopes: BTreeMap<u32, Scope>,
    installed: BTreeSet<PolicyFilterKey>,
    /// Pod uid -> its cgroup directory, once found.
    pod_dirs: HashMap<String, PathBuf>,
}

pub struct PolicyFilter {
    store: Arc<PodStore>,
    cgroup_root: PathBuf,
    /// None where no kernel map is at hand (unit tests).
    map: Mutex<Option<KernelMap>>,
    state: Mutex<State>,
}

impl PolicyFilter {
    /// A filter writing to the base sensor's `policy_filter` map (by id).
    pub fn new(store: Arc<PodStore>, cgroup_root: PathBuf, map_id: u32) -> Result<PolicyFilter> {
        let data = MapData::from_id(map_id).context("opening the policy_filter map")?;
        let map = KernelMap::try_from(Map::HashMap(data))
            .context("the policy_filter map is not a hash map")?;
        let mut filter = Self::without_kernel(store, cgroup_root);
        filter.map = Mutex::new(Some(map));
        Ok(filter)
    }

    fn without_kernel(store: Arc<PodStore>, cgroup_root: PathBuf) -> PolicyFilter {
        PolicyFilter {
            store,
            cgroup_root,
            map: Mutex::new(None),
            state: Mutex::new(State {
                next_id: 1,
                ..Default::default()
            }),
        }
    }

    /// Registers a policy's scope and fills its entries at once, before its
    /// programs attach; returns the id its programs are built with.
    pub fn add(&self, scope: Scope) -> u32 {
        let id = {
            let mut state = self.state();
            let id = state.next_id;
            state.next_id += 1;
            state.scopes.insert(id, scope);
            id
        };
        self.refresh();
        id
    }

    pub fn remove(&self, id: u32) {
        self.state().scopes.remove(&id);
        self.refresh();
    }

    /// Brings the kernel's entries in line with the pods known now.
    pub fn refresh(&self) {
        let pods = self.store.pods();
        let mut state = self.state();
        let wanted = self.wanted(&mut state, &pods);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let stale: Vec<PolicyFilterKey> = state.installed.difference(&wanted).copied().collect();
        for key in stale {
            if let Some(map) = map.as_mut()
                && let Err(e) = map.remove(&bytemuck::cast::<_, [u8; 16]>(key))
            {
                debug!(error = %e, ?key, "removing a policy filter entry");
            }
            state.installed.remove(&key);
        }
        let new: Vec<PolicyFilterKey> = wanted.difference(&state.installed).copied().collect();
        for key in new {
            if let Some(map) = map.as_mut()
                && let Err(e) = map.insert(bytemuck::cast::<_, [u8; 16]>(key), 1, 0)
            {
                warn!(error = %e, ?key, "adding a policy filter entry");
                continue;
            }
            state.installed.insert(key);
        }
    }

    /// The (policy, cgroup) entries for `pods`: a pod's cgroup when its
    /// policy takes all its containers, else each matching container's.
    fn wanted(
        &self,
        state: &mut State,
        pods: &[(PodMeta, Vec<ContainerMeta>)],
    ) -> BTreeSet<PolicyFilterKey> {
        let mut wanted = BTreeSet::new();
        if state.scopes.is_empty() {
            return wanted;
        }
        let live: BTreeSet<&str> = pods.iter().map(|(p, _)| p.uid.as_str()).collect();
        state
            .pod_dirs
            .retain(|uid, dir| live.contains(uid.as_str()) && dir.exists());
        for (pod, containers) in pods {
            let takers: Vec<(u32, &Scope)> = state
                .scopes
                .iter()
                .filter(|(_, s)| s.takes_pod(pod))
                .map(|(id, s)| (*id, s))
                .collect();
            if takers.is_empty() {
                continue;
            }
            let Some(dir) = pod_dir(&mut state.pod_dirs, &self.cgroup_root, &pod.uid) else {
                continue;
            };
            for (id, scope) in takers {
                let key = |cgroup_id| PolicyFilterKey {
                    policy_id: id,
                    pad: 0,
                    cgroup_id,
                };
                if scope.containers.is_none() {
                    wanted.extend(cgroups::cgroup_id(&dir).map(key));
                    continue;
                }
                for c in containers.iter().filter(|c| scope.takes_container(c)) {
                    wanted.extend(
                        cgroups::find_container_cgroup(&dir, &c.id)
                            .and_then(|d| cgroups::cgroup_id(&d))
                            .map(key),
                    );
                }
            }
        }
        wanted
    }

    /// Keeps the entries current: at every change of the pod store, and on
    /// a short timer for cgroups that appear after their container is known.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let mut changes = self.store.subscribe();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                _ = shutdown.changed() => return,
                r = changes.changed() => if r.is_err() { return },
                _ = tick.tick() => {}
            }
            let this = Arc::clone(&self);
            let _ = tokio::task::spawn_blocking(move || this.refresh()).await;
        }
    }

    pub fn store(&self) -> Arc<PodStore> {
        Arc::clone(&self.store)
    }

    /// Entries in the kernel now, for status and tests.
    pub fn installed(&self) -> Vec<PolicyFilterKey> {
        self.state().installed.iter().copied().collect()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn pod_dir(cache: &mut HashMap<String, PathBuf>, root: &Path, uid: &str) -> Option<PathBuf> {
    if let Some(dir) = cache.get(uid) {
        return Some(dir.clone());
    }
    let dir = cgroups::find_pod_cgroup(root, uid)?;
    cache.insert(uid.to_string(), dir.clone());
    Some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{fs, os::unix::fs::MetadataExt};

    const CID_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const CID_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn pod(uid: &str, namespace: &str, labels: &[(&str, &str)]) -> PodMeta {
        PodMeta {
            uid: uid.into(),
            namespace: namespace.into(),
            name: uid.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    fn container(id: &str, uid: &str, name: &str) -> ContainerMeta {
        ContainerMeta {
            id: id.into(),
            pod_uid: uid.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    fn ino(p: &Path) -> u64 {
        fs::metadata(p).unwrap().ino()
    }

    #[test]
    fn scopes_pick_pods_by_namespace_labels_and_containers() {
        let root = tempfile::tempdir().unwrap();
        let xwing_dir = root.path().join("kubepods/besteffort/podx");
        let tie_dir = root.path().join("kubepods/besteffort/podt");
        fs::create_dir_all(xwing_dir.join(CID_A)).unwrap();
        fs::create_dir_all(xwing_dir.join(CID_B)).unwrap();
        fs::create_dir_all(&tie_dir).unwrap();
        let store = Arc::new(PodStore::new());
        store.upsert_pod(pod("x", "default", &[("app", "xwing")]));
        store.upsert_pod(pod("t", "empire", &[("app", "tiefighter")]));
        store.upsert_container(container(CID_A, "x", "spaceship"));
        store.upsert_container(container(CID_B, "x", "sidecar"));
        let filter = PolicyFilter::without_kernel(Arc::clone(&store), root.path().into());

        let ns = filter.add(Scope {
            namespace: Some("default".into()),
            ..Default::default()
        });
        let by_label = filter.add(Scope {
            pods: Some(LabelSelector {
                match_labels: [("app".to_string(), "tiefighter".to_string())].into(),
                ..Default::default()
            }),
            ..Default::default()
        });
        let by_container = filter.add(Scope {
            containers: Some(LabelSelector {
                match_labels: [("name".to_string(), "sidecar".to_string())].into(),
                ..Default::default()
            }),
            ..Default::default()
        });
        let got: BTreeSet<(u32, u64)> = filter
            .installed()
            .iter()
            .map(|k| (k.policy_id, k.cgroup_id))
            .collect();
        let want = BTreeSet::from([
            (ns, ino(&xwing_dir)),
            (by_label, ino(&tie_dir)),
            (by_container, ino(&xwing_dir.join(CID_B))),
        ]);
        assert_eq!(got, want);

        // A pod that goes away takes its entries with it; so does a policy.
        store.remove_pod("t");
        filter.refresh();
        assert!(filter.installed().iter().all(|k| k.policy_id != by_label));
        filter.remove(ns);
        assert!(filter.installed().iter().all(|k| k.policy_id != ns));
    }

    #[test]
    fn a_pod_without_a_cgroup_yet_gets_entries_once_it_has_one() {
        let root = tempfile::tempdir().unwrap();
        let store = Arc::new(PodStore::new());
        store.upsert_pod(pod("late", "default", &[]));
        let filter = PolicyFilter::without_kernel(Arc::clone(&store), root.path().into());
        filter.add(Scope {
            namespace: Some("default".into()),
            ..Default::default()
        });
        assert!(filter.installed().is_empty());
        fs::create_dir_all(root.path().join("kubepods/podlate")).unwrap();
        filter.refresh();
        assert_eq!(filter.installed().len(), 1);
    }
}
