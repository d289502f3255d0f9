//! The Kubernetes API server as a source of pod metadata (for this node's
//! pods) and of TracingPolicy custom resources.
//!
//! Each watcher turns kube's watch events into changes of our own types
//! (`PodStore` updates, [`PolicyChange`]s) through a small synchronous state
//! machine (`PodSync`, `PolicySync`) so that the mapping can be tested
//! without an API server. The async loops only pump the stream: they log and
//! count errors, and kube's backoff retries; they never end the daemon.

mod pod;
mod policy;

use std::{
    path::Path,
    sync::atomic::{AtomicU64, Ordering},
};

use anyhow::Context as _;
use kube::config::{KubeConfigOptions, Kubeconfig};

pub use pod::{PodSync, pod_meta, watch_pods};
pub use policy::{
    PolicyChange, PolicySync, TRACING_POLICY, TRACING_POLICY_NAMESPACED, policy_yaml,
    watch_policies,
};

/// Counters of the API watchers, for metrics and `tetra status`-like output.
#[derive(Debug, Default)]
pub struct ApiStats {
    /// Watch events received (any kind).
    pub events: AtomicU64,
    /// Watch or list errors (each is retried after a backoff).
    pub errors: AtomicU64,
    /// Full re-lists (the first list included): each follows a start or a
    /// watch that could not be resumed.
    pub relists: AtomicU64,
    /// Objects found gone on a re-list: deleted while we were not watching.
    pub missed_deletes: AtomicU64,
}

impl ApiStats {
    pub(crate) fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }

    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }
}

/// A client for the API server: from `kubeconfig` when given
/// (`--k8s-kubeconfig-path`), else the pod's service account (the usual case
/// for a DaemonSet), else the default kubeconfig (`$KUBECONFIG`,
/// `~/.kube/config`).
pub async fn client(kubeconfig: Option<&Path>) -> anyhow::Result<kube::Client> {
    let config = match kubeconfig {
        Some(path) => from_kubeconfig_file(path).await?,
        None => match kube::Config::incluster() {
            Ok(config) => config,
            Err(in_cluster) => kube::Config::from_kubeconfig(&KubeConfigOptions::default())
                .await
                .map_err(|kubeconfig| {
                    anyhow::anyhow!(
                        "no Kubernetes API configuration: in-cluster (service account) \
                         config failed: {in_cluster}; default kubeconfig \
                         ($KUBECONFIG or ~/.kube/config) failed: {kubeconfig}"
                    )
                })?,
        },
    };
    kube::Client::try_from(config).context("cannot build a Kubernetes API client")
}

async fn from_kubeconfig_file(path: &Path) -> anyhow::Result<kube::Config> {
    let kubeconfig = Kubeconfig::read_from(path)
        .with_context(|| format!("cannot read kubeconfig {}", path.display()))?;
    kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .with_context(|| format!("invalid kubeconfig {}", path.display()))
}
