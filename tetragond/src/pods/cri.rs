//! Pods and containers from the container runtime, over CRI (the API the
//! kubelet itself uses): containerd and CRI-O.
//!
//! The runtime is listed on a short timer and at once when an event names a
//! container the store does not know; each new container's status is asked
//! once for its image, start time and pid. An unreachable runtime is logged,
//! counted and retried with backoff; events keep flowing meanwhile.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use hyper_util::rt::TokioIo;
use k8s_cri::v1::{
    ContainerStatusRequest, ListContainersRequest, ListPodSandboxRequest, PodSandbox,
    runtime_service_client::RuntimeServiceClient,
};
use tetragon_api::wkt::Timestamp;
use tokio::sync::{Notify, watch};
use tonic::transport::{Channel, Endpoint, Uri};
use tower::service_fn;
use tracing::{debug, info, warn};

use super::{
    model::{ContainerMeta, PodMeta},
    store::PodStore,
    workload,
};

/// Where containerd, CRI-O and k3s listen by default, in the order tried.
pub const DEFAULT_SOCKETS: &[&str] = &[
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
    "/run/crio/crio.sock",
    "/var/run/crio/crio.sock",
    "/run/k3s/containerd/containerd.sock",
];

/// How often the runtime is listed when nothing asks sooner.
const LIST_INTERVAL: Duration = Duration::from_secs(2);
const CALL_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Labels the kubelet adds to a sandbox beside the pod's own.
const KUBELET_LABEL_PREFIX: &str = "io.kubernetes.";

/// `SANDBOX_READY` and `CONTAINER_RUNNING` in CRI's enums.
const SANDBOX_READY: i32 = 0;
const CONTAINER_RUNNING: i32 = 1;

#[derive(Debug, Default)]
pub struct CriStats {
    pub errors: AtomicU64,
    pub listings: AtomicU64,
    pub connected: AtomicBool,
}

pub struct CriSource {
    socket: PathBuf,
    store: Arc<PodStore>,
    stats: Arc<CriStats>,
    /// Asks for a listing now (an event named an unknown container).
    wake: Arc<Notify>,
}

/// The socket path of a `--cri-endpoint` value (`unix:///path` or a path),
/// or the first default socket that exists.
pub fn socket_path(endpoint: Option<&str>) -> Result<PathBuf> {
    if let Some(e) = endpoint.filter(|e| !e.is_empty()) {
        let path = e.strip_prefix("unix://").unwrap_or(e);
        if !path.starts_with('/') {
            bail!("--cri-endpoint {e}: expected unix:///path/to/socket or an absolute path");
        }
        return Ok(PathBuf::from(path));
    }
    DEFAULT_SOCKETS
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .with_context(|| {
            format!(
                "no container runtime socket found (tried {}); set --cri-endpoint",
                DEFAULT_SOCKETS.join(", ")
            )
        })
}

/// What one listing found: pods by sandbox id, containers by id.
#[derive(Default)]
struct Listing {
    pods: HashMap<String, PodMeta>,
    containers: HashMap<String, ContainerMeta>,
}

impl CriSource {
    pub fn new(
        socket: PathBuf,
        store: Arc<PodStore>,
        stats: Arc<CriStats>,
        wake: Arc<Notify>,
    ) -> Self {
        CriSource {
            socket,
            store,
            stats,
            wake,
        }
    }

    /// Keeps the store in step with the runtime until shutdown.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut backoff = Duration::from_secs(1);
        let mut last = Listing::default();
        let mut failures = 0u64;
        loop {
            match self.connect().await {
                Ok(mut client) => {
                    info!(socket = %self.socket.display(), "connected to the container runtime (CRI)");
                    loop {
                        match self.sync(&mut client, &mut last).await {
                            Ok(()) => {
                                self.stats.connected.store(true, Ordering::Relaxed);
                                backoff = Duration::from_secs(1);
                                failures = 0;
                            }
                            Err(e) => {
                                self.failed(&mut failures, &e);
                                break;
                            }
                        }
                        tokio::select! {
                            _ = shutdown.changed() => return,
                            _ = self.wake.notified() => {}
                            _ = tokio::time::sleep(LIST_INTERVAL) => {}
                        }
                    }
                }
                Err(e) => self.failed(&mut failures, &e),
            }
            self.stats.connected.store(false, Ordering::Relaxed);
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Counts a failure; logs the first of a run and every tenth after.
    fn failed(&self, failures: &mut u64, e: &anyhow::Error) {
        self.stats.errors.fetch_add(1, Ordering::Relaxed);
        if failures.is_multiple_of(10) {
            warn!(socket = %self.socket.display(), error = %format!("{e:#}"), failures = *failures + 1,
                "container runtime (CRI) unavailable; retrying, events carry no pod information meanwhile");
        }
        *failures += 1;
    }

    async fn connect(&self) -> Result<RuntimeServiceClient<Channel>> {
        let socket = self.socket.clone();
        // The URI is a placeholder: the connector dials the socket.
        let channel = Endpoint::from_static("http://[::1]:0")
            .connect_timeout(CALL_TIMEOUT)
            .timeout(CALL_TIMEOUT)
            .connect_with_connector(service_fn(move |_: Uri| {
                let socket = socket.clone();
                async move {
                    let stream = tokio::net::UnixStream::connect(socket).await?;
                    Ok::<_, std::io::Error>(TokioIo::new(stream))
                }
            }))
            .await
            .with_context(|| format!("connecting to {}", self.socket.display()))?;
        Ok(RuntimeServiceClient::new(channel))
    }

    /// Lists the runtime and applies the difference to the store.
    async fn sync(
        &self,
        client: &mut RuntimeServiceClient<Channel>,
        last: &mut Listing,
    ) -> Result<()> {
        let started = Instant::now();
        let sandboxes = client
            .list_pod_sandbox(ListPodSandboxRequest { filter: None })
            .await
            .context("ListPodSandbox")?
            .into_inner()
            .items;
        let mut now = Listing::default();
        for sandbox in sandboxes
            .iter()
            .filter(|s| s.state == SANDBOX_READY)
            .filter_map(pod_of)
        {
            now.pods.insert(sandbox.0, sandbox.1);
        }
        let containers = client
            .list_containers(ListContainersRequest { filter: None })
            .await
            .context("ListContainers")?
            .into_inner()
            .containers;
        for c in containers {
            let Some(pod) = now.pods.get(&c.pod_sandbox_id) else {
                continue;
            };
            let known = last.containers.get(&c.id);
            // Status once per container, and again once it runs (pid, start).
            let meta = match known {
                Some(k) if k.pid.is_some() || c.state != CONTAINER_RUNNING => k.clone(),
                _ => self
                    .status(client, &c.id, &pod.uid)
                    .await
                    .unwrap_or_else(|e| {
                        debug!(container = %c.id, error = %format!("{e:#}"), "ContainerStatus");
                        ContainerMeta {
                            id: c.id.clone(),
                            pod_uid: pod.uid.clone(),
                            name: c
                                .metadata
                                .as_ref()
                                .map(|m| m.name.clone())
                                .unwrap_or_default(),
                            image_name: c
                                .image
                                .as_ref()
                                .map(|i| i.image.clone())
                                .unwrap_or_default(),
                            image_id: c.image_ref.clone(),
                            ..Default::default()
                        }
                    }),
            };
            now.containers.insert(c.id.clone(), meta);
        }
        self.apply(last, &now);
        *last = now;
        self.store.listed(started);
        self.stats.listings.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    async fn status(
        &self,
        client: &mut RuntimeServiceClient<Channel>,
        id: &str,
        pod_uid: &str,
    ) -> Result<ContainerMeta> {
        let reply = client
            .container_status(ContainerStatusRequest {
                container_id: id.to_string(),
                verbose: true,
            })
            .await
            .context("ContainerStatus")?
            .into_inner();
        let status = reply.status.context("ContainerStatus without a status")?;
        Ok(ContainerMeta {
            id: id.to_string(),
            pod_uid: pod_uid.to_string(),
            name: status.metadata.map(|m| m.name).unwrap_or_default(),
            image_name: status.image.map(|i| i.image).unwrap_or_default(),
            image_id: status.image_ref,
            start_time: (status.started_at > 0)
                .then(|| Timestamp::from_unix_nanos(status.started_at as u64)),
            pid: pid_of(&reply.info),
        })
    }

    /// Adds what is new or changed, removes what this source saw before and
    /// is gone now (pods other sources told of are left alone).
    fn apply(&self, last: &Listing, now: &Listing) {
        for pod in now.pods.values() {
            self.store.upsert_pod(pod.clone());
        }
        for c in now.containers.values() {
            if last.containers.get(&c.id) != Some(c) {
                self.store.upsert_container(c.clone());
            }
        }
        let now_ids: HashSet<&str> = now.containers.keys().map(String::as_str).collect();
        for id in last
            .containers
            .keys()
            .filter(|id| !now_ids.contains(id.as_str()))
        {
            self.store.remove_container(id);
        }
        let now_uids: HashSet<&str> = now.pods.values().map(|p| p.uid.as_str()).collect();
        for pod in last
            .pods
            .values()
            .filter(|p| !now_uids.contains(p.uid.as_str()))
        {
            self.store.remove_pod(&pod.uid);
        }
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }
}

/// (sandbox id, pod) of a sandbox the kubelet made.
fn pod_of(s: &PodSandbox) -> Option<(String, PodMeta)> {
    let m = s.metadata.as_ref()?;
    let labels: BTreeMap<String, String> = s
        .labels
        .iter()
        .filter(|(k, _)| !k.starts_with(KUBELET_LABEL_PREFIX))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let (workload, workload_kind) = workload::from_labels(&m.name, &labels);
    let annotations = s
        .annotations
        .iter()
        .filter(|(k, _)| !k.starts_with(KUBELET_LABEL_PREFIX))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some((
        s.id.clone(),
        PodMeta {
            uid: m.uid.clone(),
            namespace: m.namespace.clone(),
            name: m.name.clone(),
            labels,
            annotations,
            workload,
            workload_kind,
        },
    ))
}

/// The container's first process, from the verbose status containerd and
/// CRI-O both give as JSON under `info`.
fn pid_of(info: &HashMap<String, String>) -> Option<u32> {
    let json: serde_json::Value = serde_json::from_str(info.get("info")?).ok()?;
    let pid = json.get("pid")?.as_u64()?;
    u32::try_from(pid).ok().filter(|p| *p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_cri::v1::PodSandboxMetadata;

    #[test]
    fn endpoints_are_unix_sockets() {
        assert_eq!(
            socket_path(Some("unix:///run/x.sock")).unwrap(),
            PathBuf::from("/run/x.sock")
        );
        assert_eq!(
            socket_path(Some("/run/x.sock")).unwrap(),
            PathBuf::from("/run/x.sock")
        );
        let err = socket_path(Some("tcp://host:1")).unwrap_err().to_string();
        assert!(err.contains("--cri-endpoint tcp://host:1"), "{err}");
    }

    #[test]
    fn a_sandbox_is_a_pod_without_the_kubelets_labels() {
        let sandbox = PodSandbox {
            id: "sb".into(),
            metadata: Some(PodSandboxMetadata {
                name: "xwing".into(),
                uid: "u1".into(),
                namespace: "default".into(),
                attempt: 0,
            }),
            labels: [
                ("app", "xwing"),
                ("org", "alliance"),
                ("io.kubernetes.pod.name", "xwing"),
                ("io.kubernetes.pod.uid", "u1"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            ..Default::default()
        };
        let (id, pod) = pod_of(&sandbox).unwrap();
        assert_eq!(id, "sb");
        assert_eq!(
            (pod.namespace.as_str(), pod.name.as_str()),
            ("default", "xwing")
        );
        assert_eq!(pod.labels.len(), 2);
        assert_eq!(
            (pod.workload.as_str(), pod.workload_kind.as_str()),
            ("xwing", "Pod")
        );
    }

    #[test]
    fn the_pid_comes_from_the_verbose_info() {
        let info = |s: &str| HashMap::from([("info".to_string(), s.to_string())]);
        assert_eq!(
            pid_of(&info(r#"{"pid": 4242, "sandboxID": "x"}"#)),
            Some(4242)
        );
        assert_eq!(pid_of(&info(r#"{"pid": 0}"#)), None);
        assert_eq!(pid_of(&info("not json")), None);
        assert_eq!(pid_of(&HashMap::new()), None);
    }
}
