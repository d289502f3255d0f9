//! TracingPolicy custom resources, from the API server into policy changes.
//!
//! The CRDs are handled as `DynamicObject`s: the daemon only needs their
//! YAML, which the policy crate parses and validates like any policy file.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use futures_util::StreamExt as _;
use kube::{
    Api,
    api::{ApiResource, DynamicObject, GroupVersionKind},
    runtime::{WatchStreamExt as _, watcher},
};
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use super::ApiStats;

/// `kind` of the cluster-wide policy CRD.
pub const TRACING_POLICY: &str = "TracingPolicy";
/// `kind` of the namespaced policy CRD.
pub const TRACING_POLICY_NAMESPACED: &str = "TracingPolicyNamespaced";

const GROUP: &str = "cilium.io";
const VERSION: &str = "v1alpha1";
/// Annotation `kubectl apply` leaves behind: a copy of the whole object,
/// noise in the policy (and possibly large).
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A policy the cluster added, changed or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyChange {
    /// A new or changed policy; the consumer replaces any policy of that name
    /// and namespace. `yaml` is the object as our policy parser takes it.
    Applied {
        name: String,
        namespace: Option<String>,
        yaml: String,
    },
    Deleted {
        name: String,
        namespace: Option<String>,
    },
}

/// The `ApiResource` of one of the two CRDs, built by hand: no discovery
/// round trip, no Rust types for the CRDs.
pub fn api_resource(kind: &str) -> ApiResource {
    let plural = if kind == TRACING_POLICY_NAMESPACED {
        "tracingpoliciesnamespaced"
    } else {
        "tracingpolicies"
    };
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(GROUP, VERSION, kind), plural)
}

/// The policy YAML of `obj`, an object of resource `ar`: `apiVersion`,
/// `kind`, `metadata` (name, namespace, labels, annotations) and `spec`;
/// server-side fields (status, managedFields, resourceVersion, ...) are
/// dropped. `None` for an object without a name.
pub fn policy_yaml(ar: &ApiResource, obj: &DynamicObject) -> Option<String> {
    let mut metadata = Map::new();
    metadata.insert("name".into(), obj.metadata.name.clone()?.into());
    if let Some(ns) = &obj.metadata.namespace {
        metadata.insert("namespace".into(), ns.clone().into());
    }
    if let Some(labels) = obj.metadata.labels.as_ref().filter(|l| !l.is_empty()) {
        metadata.insert("labels".into(), string_map(labels.iter()));
    }
    let annotations = obj.metadata.annotations.iter().flatten();
    let annotations: Vec<_> = annotations.filter(|(k, _)| *k != LAST_APPLIED).collect();
    if !annotations.is_empty() {
        metadata.insert("annotations".into(), string_map(annotations.into_iter()));
    }
    let mut policy = Map::new();
    policy.insert("apiVersion".into(), ar.api_version.clone().into());
    policy.insert("kind".into(), ar.kind.clone().into());
    policy.insert("metadata".into(), Value::Object(metadata));
    // A policy without a spec is left for the parser to reject, with its
    // usual message.
    if let Some(spec) = obj.data.get("spec") {
        policy.insert("spec".into(), spec.clone());
    }
    serde_yaml::to_string(&Value::Object(policy)).ok()
}

fn string_map<'a>(pairs: impl Iterator<Item = (&'a String, &'a String)>) -> Value {
    Value::Object(
        pairs
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

type Key = (Option<String>, String);

/// Turns one CRD's watch events into policy changes.
///
/// It remembers the YAML it last sent for each policy: an update that does
/// not change it (a status or resourceVersion bump, a re-list) sends
/// nothing, and a re-list that lacks a policy sends its deletion (it was
/// deleted while the watch was down).
pub struct PolicySync {
    resource: ApiResource,
    stats: Arc<ApiStats>,
    known: HashMap<Key, String>,
    relisted: Option<HashSet<Key>>,
}

impl PolicySync {
    pub fn new(kind: &str, stats: Arc<ApiStats>) -> Self {
        PolicySync {
            resource: api_resource(kind),
            stats,
            known: HashMap::new(),
            relisted: None,
        }
    }

    pub fn resource(&self) -> &ApiResource {
        &self.resource
    }

    pub fn handle(&mut self, event: watcher::Event<DynamicObject>) -> Vec<PolicyChange> {
        ApiStats::count(&self.stats.events);
        match event {
            watcher::Event::Init => {
                ApiStats::count(&self.stats.relists);
                self.relisted = Some(HashSet::new());
                Vec::new()
            }
            watcher::Event::InitApply(obj) => {
                let key = key(&obj);
                if let (Some(relisted), Some(key)) = (&mut self.relisted, key) {
                    relisted.insert(key);
                }
                self.apply(&obj).into_iter().collect()
            }
            watcher::Event::InitDone => self.forget_unlisted(),
            watcher::Event::Apply(obj) => self.apply(&obj).into_iter().collect(),
            watcher::Event::Delete(obj) => key(&obj)
                .and_then(|key| self.remove(key))
                .into_iter()
                .collect(),
        }
    }

    fn apply(&mut self, obj: &DynamicObject) -> Option<PolicyChange> {
        let key = key(obj)?;
        let Some(yaml) = policy_yaml(&self.resource, obj) else {
            tracing::warn!(kind = %self.resource.kind, name = %key.1, "cannot render the policy as YAML; ignored");
            return None;
        };
        if self.known.get(&key) == Some(&yaml) {
            return None;
        }
        self.known.insert(key.clone(), yaml.clone());
        let (namespace, name) = key;
        Some(PolicyChange::Applied {
            name,
            namespace,
            yaml,
        })
    }

    fn remove(&mut self, key: Key) -> Option<PolicyChange> {
        self.known.remove(&key)?;
        let (namespace, name) = key;
        Some(PolicyChange::Deleted { name, namespace })
    }

    fn forget_unlisted(&mut self) -> Vec<PolicyChange> {
        let Some(relisted) = self.relisted.take() else {
            return Vec::new();
        };
        let gone: Vec<Key> = self
            .known
            .keys()
            .filter(|k| !relisted.contains(*k))
            .cloned()
            .collect();
        gone.into_iter()
            .filter_map(|key| {
                ApiStats::count(&self.stats.missed_deletes);
                self.remove(key)
            })
            .collect()
    }
}

fn key(obj: &DynamicObject) -> Option<Key> {
    Some((obj.metadata.namespace.clone(), obj.metadata.name.clone()?))
}

/// Sends every change of the cluster's `TracingPolicy` and
/// `TracingPolicyNamespaced` objects to `sink`; those present at start
/// arrive as `Applied`. Runs until `sink` closes; errors are logged, counted
/// and retried with backoff.
pub async fn watch_policies(
    client: kube::Client,
    sink: mpsc::Sender<PolicyChange>,
    stats: Arc<ApiStats>,
) {
    tokio::join!(
        watch_kind(client.clone(), TRACING_POLICY, sink.clone(), stats.clone()),
        watch_kind(client, TRACING_POLICY_NAMESPACED, sink, stats),
    );
}

async fn watch_kind(
    client: kube::Client,
    kind: &str,
    sink: mpsc::Sender<PolicyChange>,
    stats: Arc<ApiStats>,
) {
    let mut sync = PolicySync::new(kind, stats.clone());
    // `all_with` covers every namespace for the namespaced kind.
    let api: Api<DynamicObject> = Api::all_with(client, sync.resource());
    let mut events = watcher(api, watcher::Config::default())
        .default_backoff()
        .boxed();
    while let Some(event) = events.next().await {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                ApiStats::count(&stats.errors);
                // A missing CRD shows here as a 404, retried until the CRD
                // is installed.
                tracing::warn!(error = %e, kind, "Kubernetes policy watch failed; retrying");
                continue;
            }
        };
        for change in sync.handle(event) {
            if sink.send(change).await.is_err() {
                tracing::debug!(kind, "policy consumer gone; stopping the watch");
                return;
            }
        }
    }
    tracing::warn!(kind, "Kubernetes policy watch ended");
}
