//! Starts the pod sources the configuration asks for, all feeding one
//! store, and applies the cluster's TracingPolicy resources.

use std::{sync::Arc, time::Duration};

use tokio::sync::{Notify, mpsc, watch};
use tracing::{debug, info, warn};

use super::{
    cri::{self, CriSource, CriStats},
    k8s_api::{self, ApiStats, PolicyChange},
    store::PodStore,
};
use crate::{
    config::Config,
    policy::manager::{ManagerError, PolicyManager},
};

/// Counters of the pod sources, for metrics; kept whether or not a source
/// runs, so metrics can be set up before them.
#[derive(Debug, Default)]
pub struct PodSourceStats {
    pub cri: Arc<CriStats>,
    pub api: Arc<ApiStats>,
    /// Policy resources the daemon could not load.
    pub policy_errors: std::sync::atomic::AtomicU64,
}

/// The running pod sources and what they feed.
pub struct PodSources {
    pub store: Arc<PodStore>,
    /// Asks the runtime source to list now; None without CRI.
    pub wake: Option<Arc<Notify>>,
    /// TracingPolicy resources from the API server, for `apply_policies`.
    pub policies: Option<mpsc::Receiver<PolicyChange>>,
}

const API_RETRY_MAX: Duration = Duration::from_secs(60);
const POLICY_QUEUE: usize = 64;

impl PodSources {
    /// None when neither CRI nor the Kubernetes API is enabled: events then
    /// carry no pod information, as upstream's do without them.
    pub fn start(
        config: &Config,
        stats: &Arc<PodSourceStats>,
        shutdown: &watch::Receiver<bool>,
    ) -> Option<PodSources> {
        if !config.enable_cri && !config.enable_k8s_api {
            return None;
        }
        let store = Arc::new(PodStore::new());
        let mut sources = PodSources {
            store: Arc::clone(&store),
            wake: None,
            policies: None,
        };
        if config.enable_cri {
            match cri::socket_path(config.cri_endpoint.as_deref()) {
                Ok(socket) => {
                    let wake = Arc::new(Notify::new());
                    info!(socket = %socket.display(), "pod information from the container runtime (CRI)");
                    let source =
                        CriSource::new(socket, Arc::clone(&store), stats.cri.clone(), wake.clone());
                    tokio::spawn(source.run(shutdown.clone()));
                    sources.wake = Some(wake);
                }
                // Not fatal: the daemon serves events without pods.
                Err(e) => {
                    stats
                        .cri
                        .errors
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    warn!(error = %format!("{e:#}"), "--enable-cri: no container runtime");
                }
            }
        }
        if config.enable_k8s_api {
            let (tx, rx) = mpsc::channel(POLICY_QUEUE);
            sources.policies = Some(rx);
            tokio::spawn(run_api(
                config.k8s_kubeconfig_path.clone(),
                config.node_name(),
                Arc::clone(&store),
                stats.api.clone(),
                tx,
                shutdown.clone(),
            ));
        }
        Some(sources)
    }
}

/// Connects to the API server (retrying with backoff until it can) and
/// runs the pod and policy watchers until shutdown.
async fn run_api(
    kubeconfig: Option<std::path::PathBuf>,
    node: String,
    store: Arc<PodStore>,
    stats: Arc<ApiStats>,
    policies: mpsc::Sender<PolicyChange>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_secs(1);
    let client = loop {
        match k8s_api::client(kubeconfig.as_deref()).await {
            Ok(client) => break client,
            Err(e) => {
                stats
                    .errors
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                warn!(error = %format!("{e:#}"), retry_in = ?backoff,
                    "--enable-k8s-api: no API server configuration; events carry pod information from CRI only");
            }
        }
        tokio::select! {
            _ = shutdown.changed() => return,
            _ = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(API_RETRY_MAX);
    };
    info!(node = %node, "watching this node's pods and TracingPolicy resources on the API server");
    tokio::select! {
        _ = shutdown.changed() => {}
        _ = async {
            tokio::join!(
                k8s_api::watch_pods(client.clone(), node, store, stats.clone()),
                k8s_api::watch_policies(client, policies, stats),
            )
        } => {}
    }
}

/// Loads and unloads policies as the cluster's resources change. A changed
/// resource replaces the loaded policy.
pub async fn apply_policies(
    mut changes: mpsc::Receiver<PolicyChange>,
    manager: Arc<PolicyManager>,
    stats: Arc<PodSourceStats>,
) {
    while let Some(change) = changes.recv().await {
        let manager = Arc::clone(&manager);
        let stats = Arc::clone(&stats);
        let _ = tokio::task::spawn_blocking(move || apply(&manager, change, &stats)).await;
    }
}

fn apply(manager: &PolicyManager, change: PolicyChange, stats: &PodSourceStats) {
    match change {
        PolicyChange::Applied {
            name,
            namespace,
            yaml,
        } => {
            let ns = namespace.unwrap_or_default();
            // Replaced whole: a failed load leaves the old one gone, as the
            // resource no longer describes it.
            let _ = manager.delete(&name, &ns);
            let source = if ns.is_empty() {
                format!("TracingPolicy/{name}")
            } else {
                format!("TracingPolicyNamespaced/{ns}/{name}")
            };
            if let Err(e) = manager.add(&source, &yaml) {
                stats
                    .policy_errors
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                warn!(policy = %source, error = %e, "cannot load the cluster's tracing policy");
            } else {
                info!(policy = %source, "tracing policy from the API server loaded");
            }
        }
        PolicyChange::Deleted { name, namespace } => {
            let ns = namespace.unwrap_or_default();
            match manager.delete(&name, &ns) {
                Ok(()) => {
                    info!(policy = %name, namespace = %ns, "tracing policy deleted from the cluster unloaded")
                }
                // It never loaded (refused when applied): nothing to undo.
                Err(ManagerError::NotFound(_)) => {
                    debug!(policy = %name, namespace = %ns, "deleted tracing policy was not loaded")
                }
                Err(e) => {
                    warn!(policy = %name, error = %e, "deleting the cluster's tracing policy")
                }
            }
        }
    }
}
