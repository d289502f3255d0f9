//! Real Kubernetes pods without a cluster: a private containerd driven
//! through its CRI v1 socket the way the kubelet drives it.
//!
//! [`Containerd::start`] builds a tiny busybox image (no registry, no
//! network), starts `containerd` as a child with its own root, state and
//! socket under a temp dir, imports the image and waits until the CRI
//! plugin serves. Pods are host-network pods in cgroupfs-style pod cgroups
//! (`kubepods/besteffort/pod<uid>`), containers get the kubelet's
//! `io.kubernetes.*` labels, so whatever reads the CRI (tetragond's
//! `--cri-endpoint`) sees what it would see on a real node.
//!
//! Dropping the [`Containerd`] removes every pod still running, kills
//! containerd, unmounts what is left under the temp dir, removes the pod
//! cgroups and the `kubepods` parents it created, then the temp dir.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use std::time::Duration;
//! use tetragon_e2e::cri::{Containerd, can_run_pods};
//! if !can_run_pods("demo") {
//!     return Ok(());
//! }
//! let containerd = Containerd::start().await?;
//! let pod = containerd.run_pod("default", "xwing", &[("app", "xwing")]).await?;
//! let c = containerd.start_container(&pod, "spaceship", &["sleep", "3600"]).await?;
//! let out = containerd.exec_sync(&c, &["id"], Duration::from_secs(10)).await?;
//! assert_eq!(out.exit_code, 0);
//! containerd.remove_pod(&pod).await?;
//! # Ok(())
//! # }
//! ```

use std::{
    collections::{BTreeSet, HashMap},
    fs,
    io::Read,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Mutex,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, Result, bail};
use hyper_util::rt::TokioIo;
use k8s_cri::v1::{
    ContainerConfig, ContainerFilter, ContainerMetadata, ContainerStatusRequest,
    CreateContainerRequest, ExecSyncRequest, ImageSpec, ImageStatusRequest, LinuxContainerConfig,
    LinuxContainerResources, LinuxContainerSecurityContext, LinuxPodSandboxConfig,
    LinuxSandboxSecurityContext, ListContainersRequest, NamespaceMode, NamespaceOption,
    PodSandboxConfig, PodSandboxMetadata, RemoveContainerRequest, RemovePodSandboxRequest,
    RunPodSandboxRequest, StartContainerRequest, StopContainerRequest, StopPodSandboxRequest,
    VersionRequest, image_service_client::ImageServiceClient,
    runtime_service_client::RuntimeServiceClient,
};
use tonic::transport::{Channel, Endpoint, Uri};

/// The one image: busybox with its applets, also the pod sandbox ("pause")
/// image, whose default command sleeps forever.
pub const IMAGE: &str = "localhost/tetragon-test/busybox:latest";

/// The containerd namespace the CRI plugin keeps its pods in.
const K8S_NAMESPACE: &str = "k8s.io";

/// Applets the tests rely on; every other applet busybox lists is linked too.
const APPLETS: &[&str] = &[
    "sh", "cat", "sleep", "ls", "echo", "true", "false", "id", "head", "tail", "grep", "ps", "env",
    "wc", "touch", "rm", "mkdir", "readlink", "kill", "chmod", "uname", "hostname",
];

/// The binaries the harness runs.
const BINARIES: &[&str] = &["containerd", "ctr", "containerd-shim-runc-v2", "runc"];

/// Where a static busybox lives (Debian's busybox-static).
const BUSYBOX: &str = "/bin/busybox";

/// Whether this machine can run pods; panics under CI when it cannot,
/// elsewhere prints why and lets the test skip.
pub fn can_run_pods(test: &str) -> bool {
    let why = match missing_prerequisite() {
        None => return true,
        Some(why) => why,
    };
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: cannot run pods under CI: {why}");
    }
    eprintln!("skipping {test}: {why}");
    false
}

/// The first reason pods cannot run here, if any.
fn missing_prerequisite() -> Option<String> {
    // SAFETY: geteuid has no memory effects.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root".into());
    }
    if let Some(missing) = BINARIES.iter().find(|b| which(b).is_none()) {
        return Some(format!(
            "{missing} is not installed (scripts/install-deps.sh)"
        ));
    }
    if !Path::new(BUSYBOX).exists() {
        return Some(format!("{BUSYBOX} is missing (busybox-static)"));
    }
    if cgroup_roots().is_empty() {
        return Some("no cgroup filesystem is mounted".into());
    }
    None
}

/// A binary on PATH, or in the sbin dirs a non-login root shell may lack.
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/local/sbin", "/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A pod sandbox made by [`Containerd::run_pod`].
#[derive(Debug, Clone)]
pub struct Pod {
    /// The CRI pod sandbox id (64 hex).
    pub id: String,
    pub uid: String,
    pub namespace: String,
    pub name: String,
    /// Cgroupfs style, as the kubelet passes it: `/kubepods/besteffort/pod<uid>`.
    pub cgroup_parent: String,
    /// What CreateContainer must be given again, as the kubelet does.
    config: PodSandboxConfig,
}

impl Pod {
    /// The pod's cgroup dirs, one per mounted hierarchy (one on cgroup v2).
    pub fn cgroup_dirs(&self) -> Vec<PathBuf> {
        cgroup_dirs(&self.cgroup_parent)
    }
}

/// A started container of a [`Pod`].
#[derive(Debug, Clone)]
pub struct Container {
    /// The CRI container id (64 hex), also its cgroup's name.
    pub id: String,
    pub name: String,
    pub pod_uid: String,
    /// The container's init process, as the host sees it.
    pub pid: u32,
    /// `<pod cgroup parent>/<id>`: the cgroup path of its processes.
    pub cgroup: String,
}

/// What ExecSync (`kubectl exec`) returns.
#[derive(Debug, Clone)]
pub struct ExecResult {
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A private containerd with the CRI plugin; Drop tears everything down.
pub struct Containerd {
    child: Option<Child>,
    dir: tempfile::TempDir,
    socket: PathBuf,
    runtime: RuntimeServiceClient<Channel>,
    /// Pods not yet removed, for the teardown.
    pods: Mutex<Vec<Pod>>,
    /// `kubepods` and `kubepods/besteffort` dirs that did not exist before
    /// this containerd started, deepest first: the teardown removes them.
    created_parents: Vec<PathBuf>,
}

impl Containerd {
    /// Builds and imports the image, starts containerd and waits until its
    /// CRI plugin serves the image.
    pub async fn start() -> Result<Containerd> {
        let dir = tempfile::Builder::new()
            .prefix("tetragon-cri")
            .tempdir()
            .context("creating the containerd temp dir")?;
        let created_parents = absent_kubepods_parents();
        let config = write_config(dir.path())?;
        let socket = dir.path().join("containerd.sock");
        let log = fs::File::create(dir.path().join("containerd.log"))
            .context("creating containerd.log")?;
        let child = Command::new(which("containerd").context("containerd is not installed")?)
            .arg("--config")
            .arg(&config)
            .env("PATH", child_path())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting containerd")?;
        let runtime = RuntimeServiceClient::new(lazy_channel(&socket)?);
        let mut containerd = Containerd {
            child: Some(child),
            dir,
            socket,
            runtime,
            pods: Mutex::new(Vec::new()),
            created_parents,
        };
        // Build the image while containerd starts.
        let tarball = containerd.dir.path().join("image.tar");
        let build = {
            let tarball = tarball.clone();
            tokio::task::spawn_blocking(move || build_image_tarball(&tarball))
        };
        containerd.wait_ready().await?;
        build.await.context("building the image")??;
        containerd.import_image(&tarball).await?;
        Ok(containerd)
    }

    /// The CRI socket (also containerd's own API), see [`Self::endpoint`].
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// containerd's pid (0 once stopped).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// The CRI endpoint as tetragond's `--cri-endpoint` takes it.
    pub fn endpoint(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// The image containers run, also the sandbox image.
    pub fn image(&self) -> &str {
        IMAGE
    }

    /// The private dir holding containerd's root, state, config and log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// containerd's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("containerd.log")).unwrap_or_default()
    }

    /// The last lines of containerd's log, for error messages.
    fn log_tail(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        format!(
            "containerd log tail ({}):\n{tail}",
            self.dir.path().display()
        )
    }

    /// Waits until containerd answers CRI Version, failing early if it exits.
    async fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                bail!(
                    "containerd exited with {status} while starting\n{}",
                    self.log_tail()
                );
            }
            // containerd serves without the plugins it failed to load.
            if self
                .log()
                .contains("failed to load plugin io.containerd.grpc.v1.cri")
            {
                bail!("containerd's CRI plugin did not load\n{}", self.log_tail());
            }
            if self.socket.exists() {
                let answer = self.runtime().version(VersionRequest::default()).await;
                if answer.is_ok() {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                bail!(
                    "containerd's CRI did not answer within 30s\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Imports the image tarball with ctr and waits until the CRI plugin,
    /// which learns of images through events, knows it.
    async fn import_image(&self, tarball: &Path) -> Result<()> {
        let out = tokio::process::Command::new(which("ctr").context("ctr is not installed")?)
            .arg("-n")
            .arg(K8S_NAMESPACE)
            .arg("-a")
            .arg(&self.socket)
            .args(["images", "import"])
            .arg(tarball)
            .output()
            .await
            .context("running ctr images import")?;
        if !out.status.success() {
            bail!(
                "ctr images import failed ({}): {}{}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                self.log_tail()
            );
        }
        let mut images = ImageServiceClient::new(lazy_channel(&self.socket)?);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let status = images
                .image_status(ImageStatusRequest {
                    image: Some(image_spec()),
                    verbose: false,
                })
                .await
                .with_context(|| format!("CRI ImageStatus {IMAGE}\n{}", self.log_tail()))?;
            if status.into_inner().image.is_some() {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "the CRI does not list {IMAGE} after import\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn runtime(&self) -> RuntimeServiceClient<Channel> {
        self.runtime.clone()
    }

    /// RunPodSandbox for a host-network pod, as the kubelet sends it.
    pub async fn run_pod(
        &self,
        namespace: &str,
        name: &str,
        labels: &[(&str, &str)],
    ) -> Result<Pod> {
        let uid = random_uid()?;
        let cgroup_parent = format!("/kubepods/besteffort/pod{uid}");
        let log_directory = self
            .dir
            .path()
            .join("pods")
            .join(format!("{namespace}_{name}_{uid}"));
        fs::create_dir_all(&log_directory).context("creating the pod log dir")?;
        let mut pod_labels: HashMap<String, String> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        pod_labels.extend(kubernetes_pod_labels(namespace, name, &uid));
        let config = PodSandboxConfig {
            metadata: Some(PodSandboxMetadata {
                name: name.into(),
                uid: uid.clone(),
                namespace: namespace.into(),
                attempt: 0,
            }),
            // The kubelet leaves it empty for host-network pods: the node's.
            hostname: String::new(),
            log_directory: log_directory.display().to_string(),
            labels: pod_labels,
            annotations: HashMap::from([
                ("kubernetes.io/config.source".into(), "api".into()),
                ("kubernetes.io/config.seen".into(), now_epoch_seconds()),
            ]),
            linux: Some(LinuxPodSandboxConfig {
                cgroup_parent: cgroup_parent.clone(),
                security_context: Some(LinuxSandboxSecurityContext {
                    namespace_options: Some(host_network()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let id = self
            .runtime()
            .run_pod_sandbox(RunPodSandboxRequest {
                config: Some(config.clone()),
                runtime_handler: String::new(),
            })
            .await
            .with_context(|| format!("RunPodSandbox {namespace}/{name}\n{}", self.log_tail()))?
            .into_inner()
            .pod_sandbox_id;
        let pod = Pod {
            id,
            uid,
            namespace: namespace.into(),
            name: name.into(),
            cgroup_parent,
            config,
        };
        self.pods
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(pod.clone());
        Ok(pod)
    }

    /// CreateContainer + StartContainer with the kubelet's labels and
    /// annotations; `command` is the whole argv (the image has no
    /// entrypoint for it to follow).
    pub async fn start_container(
        &self,
        pod: &Pod,
        name: &str,
        command: &[&str],
    ) -> Result<Container> {
        let id = self.create_container(pod, name, command).await?;
        self.start_created(pod, name, id).await
    }

    /// CreateContainer alone: the container exists, nothing runs yet (where
    /// an OCI hook would tell tetragond of it).
    pub async fn create_container(
        &self,
        pod: &Pod,
        name: &str,
        command: &[&str],
    ) -> Result<String> {
        // containerd opens the log file but does not make its dir.
        let log_dir = Path::new(&pod.config.log_directory).join(name);
        fs::create_dir_all(&log_dir).context("creating the container log dir")?;
        let config = ContainerConfig {
            metadata: Some(ContainerMetadata {
                name: name.into(),
                attempt: 0,
            }),
            image: Some(image_spec()),
            command: command.iter().map(|s| s.to_string()).collect(),
            log_path: format!("{name}/0.log"),
            labels: kubernetes_container_labels(pod, name),
            annotations: kubernetes_container_annotations(),
            linux: Some(LinuxContainerConfig {
                // What the kubelet gives a BestEffort container.
                resources: Some(LinuxContainerResources {
                    cpu_shares: 2,
                    oom_score_adj: 1000,
                    ..Default::default()
                }),
                security_context: Some(LinuxContainerSecurityContext {
                    namespace_options: Some(host_network()),
                    ..Default::default()
                }),
            }),
            ..Default::default()
        };
        let what = || format!("container {name} of pod {}/{}", pod.namespace, pod.name);
        let mut runtime = self.runtime();
        let id = runtime
            .create_container(CreateContainerRequest {
                pod_sandbox_id: pod.id.clone(),
                config: Some(config),
                sandbox_config: Some(pod.config.clone()),
            })
            .await
            .with_context(|| format!("CreateContainer {}\n{}", what(), self.log_tail()))?
            .into_inner()
            .container_id;
        Ok(id)
    }

    /// StartContainer of a container made by `create_container`.
    pub async fn start_created(&self, pod: &Pod, name: &str, id: String) -> Result<Container> {
        let what = || format!("container {name} of pod {}/{}", pod.namespace, pod.name);
        self.runtime()
            .start_container(StartContainerRequest {
                container_id: id.clone(),
            })
            .await
            .with_context(|| format!("StartContainer {}\n{}", what(), self.log_tail()))?;
        let pid = self
            .container_pid(&id)
            .await
            .with_context(|| format!("the pid of {}", what()))?;
        Ok(Container {
            cgroup: format!("{}/{id}", pod.cgroup_parent),
            id,
            name: name.into(),
            pod_uid: pod.uid.clone(),
            pid,
        })
    }

    /// The container's init pid, from the verbose ContainerStatus info.
    async fn container_pid(&self, id: &str) -> Result<u32> {
        let status = self
            .runtime()
            .container_status(ContainerStatusRequest {
                container_id: id.into(),
                verbose: true,
            })
            .await
            .with_context(|| format!("ContainerStatus {id}\n{}", self.log_tail()))?
            .into_inner();
        let info = status.info.get("info").context("no verbose info")?;
        let info: serde_json::Value = serde_json::from_str(info).context("bad verbose info")?;
        info["pid"]
            .as_u64()
            .and_then(|p| u32::try_from(p).ok())
            .context("no pid in the verbose info")
    }

    /// ExecSync, what `kubectl exec` without a tty does: runs `cmd` in the
    /// container and returns its exit code and output.
    pub async fn exec_sync(
        &self,
        c: &Container,
        cmd: &[&str],
        timeout: Duration,
    ) -> Result<ExecResult> {
        let request = ExecSyncRequest {
            container_id: c.id.clone(),
            cmd: cmd.iter().map(|s| s.to_string()).collect(),
            timeout: i64::try_from(timeout.as_secs().max(1)).unwrap_or(i64::MAX),
        };
        let mut runtime = self.runtime();
        // containerd enforces the timeout; ours only guards a hung daemon.
        let answer = tokio::time::timeout(
            timeout + Duration::from_secs(10),
            runtime.exec_sync(request),
        )
        .await
        .with_context(|| format!("ExecSync {cmd:?} in {} timed out", c.name))?
        .with_context(|| format!("ExecSync {cmd:?} in {}\n{}", c.name, self.log_tail()))?
        .into_inner();
        Ok(ExecResult {
            exit_code: answer.exit_code,
            stdout: String::from_utf8_lossy(&answer.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&answer.stderr).into_owned(),
        })
    }

    /// Stops and removes the pod's containers, then the sandbox, then the
    /// pod cgroup, as the kubelet does when a pod is deleted.
    pub async fn remove_pod(&self, pod: &Pod) -> Result<()> {
        remove_pod_with(&mut self.runtime(), pod)
            .await
            .map_err(|e| e.context(self.log_tail()))?;
        self.pods
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|p| p.id != pod.id);
        Ok(())
    }

    /// Removes the pods still running through a fresh connection on a
    /// thread of its own: Drop may run on a runtime it must not block.
    fn remove_remaining_pods(&self) {
        let pods = std::mem::take(&mut *self.pods.lock().unwrap_or_else(|e| e.into_inner()));
        if pods.is_empty() {
            return;
        }
        let socket = self.socket.clone();
        let removal = std::thread::spawn(move || -> Result<()> {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let mut runtime = RuntimeServiceClient::new(lazy_channel(&socket)?);
                for pod in &pods {
                    let removed = tokio::time::timeout(
                        Duration::from_secs(30),
                        remove_pod_with(&mut runtime, pod),
                    );
                    match removed.await {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => eprintln!("cri teardown: pod {}: {e:#}", pod.name),
                        Err(_) => eprintln!("cri teardown: pod {} timed out", pod.name),
                    }
                }
                Ok(())
            })
        });
        match removal.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("cri teardown: {e:#}"),
            Err(_) => eprintln!("cri teardown: the removal thread panicked"),
        }
    }

    /// Kills the container processes and shims containerd left (only when
    /// CRI removal failed) and removes the shims' sockets.
    fn kill_leftover_tasks(&self) {
        let bundles = self
            .dir
            .path()
            .join("state/io.containerd.runtime.v2.task")
            .join(K8S_NAMESPACE);
        let mut shim_sockets = Vec::new();
        for bundle in fs::read_dir(&bundles).into_iter().flatten().flatten() {
            let bundle = bundle.path();
            let id = bundle
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            // A pid file may outlive its process and the pid be reused: kill
            // only a process that is still in that container's cgroup.
            if let Some(pid) = read_pid(&bundle.join("init.pid"))
                && fs::read_to_string(format!("/proc/{pid}/cgroup")).is_ok_and(|c| c.contains(&id))
            {
                kill(pid, libc::SIGKILL);
                wait_dead(pid);
            }
            // containerd 1.6 puts shim sockets in /run/containerd/s (named by
            // a hash of its address, namespace and pod): the bundle says
            // where. A shim removes its socket only when it exits cleanly.
            if let Ok(address) = fs::read_to_string(bundle.join("address")) {
                shim_sockets.push(PathBuf::from(address.trim().trim_start_matches("unix://")));
            }
        }
        // 1.6 writes no shim pid file: a shim names our socket in its argv.
        for pid in shims_of(&self.socket) {
            kill(pid, libc::SIGKILL);
            wait_dead(pid);
        }
        for socket in shim_sockets {
            let _ = fs::remove_file(socket);
        }
    }

    /// SIGTERM, then SIGKILL after 5s: containerd, only ours, by pid.
    fn stop_containerd(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Ok(pid) = i32::try_from(child.id()) {
            kill(pid, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Unmounts whatever is still mounted under the temp dir (rootfs
    /// overlays, sandbox shm), deepest first.
    fn unmount_leftovers(&self) {
        for mount in mounts_under(self.dir.path()).iter().rev() {
            let Ok(c) = std::ffi::CString::new(mount.as_os_str().as_encoded_bytes()) else {
                continue;
            };
            // SAFETY: c is a valid NUL-terminated path.
            unsafe { libc::umount2(c.as_ptr(), libc::MNT_DETACH) };
        }
    }
}

impl Drop for Containerd {
    fn drop(&mut self) {
        let pods: Vec<Pod> = self.pods.lock().unwrap_or_else(|e| e.into_inner()).clone();
        self.remove_remaining_pods();
        self.kill_leftover_tasks();
        self.stop_containerd();
        self.unmount_leftovers();
        for pod in &pods {
            remove_cgroup_trees(&pod.cgroup_dirs());
        }
        for dir in &self.created_parents {
            // Busy when another harness still has pods there: left to it.
            let _ = fs::remove_dir(dir);
        }
    }
}

/// The StopContainer grace period: the tests' containers are busybox
/// sleeps, which as pid 1 ignore SIGTERM, so waiting would only be slow.
const STOP_TIMEOUT_SECS: i64 = 0;

/// Removes a pod as the kubelet does, over `runtime`: its containers, the
/// sandbox, then the pod cgroup.
async fn remove_pod_with(runtime: &mut RuntimeServiceClient<Channel>, pod: &Pod) -> Result<()> {
    let what = format!("pod {}/{}", pod.namespace, pod.name);
    let containers = runtime
        .list_containers(ListContainersRequest {
            filter: Some(ContainerFilter {
                pod_sandbox_id: pod.id.clone(),
                ..Default::default()
            }),
        })
        .await
        .with_context(|| format!("ListContainers of {what}"))?
        .into_inner()
        .containers;
    for c in containers {
        runtime
            .stop_container(StopContainerRequest {
                container_id: c.id.clone(),
                timeout: STOP_TIMEOUT_SECS,
            })
            .await
            .with_context(|| format!("StopContainer {} of {what}", c.id))?;
        runtime
            .remove_container(RemoveContainerRequest {
                container_id: c.id.clone(),
            })
            .await
            .with_context(|| format!("RemoveContainer {} of {what}", c.id))?;
    }
    runtime
        .stop_pod_sandbox(StopPodSandboxRequest {
            pod_sandbox_id: pod.id.clone(),
        })
        .await
        .with_context(|| format!("StopPodSandbox {what}"))?;
    runtime
        .remove_pod_sandbox(RemovePodSandboxRequest {
            pod_sandbox_id: pod.id.clone(),
        })
        .await
        .with_context(|| format!("RemovePodSandbox {what}"))?;
    // runc removed the containers' cgroups; the pod cgroup is the kubelet's.
    remove_cgroup_trees(&pod.cgroup_dirs());
    if let Some(left) = pod.cgroup_dirs().iter().find(|d| d.exists()) {
        bail!("{what}: cgroup {} is still there", left.display());
    }
    Ok(())
}

/// A channel that dials the unix socket on first use (and again after a
/// failure), so it can be made before containerd listens.
fn lazy_channel(socket: &Path) -> Result<Channel> {
    let socket = socket.to_path_buf();
    // The URI is a placeholder: the connector dials the socket.
    let endpoint = Endpoint::try_from("http://[::]:50051")?;
    Ok(
        endpoint.connect_with_connector_lazy(tower::service_fn(move |_: Uri| {
            let socket = socket.clone();
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                Ok::<_, std::io::Error>(TokioIo::new(stream))
            }
        })),
    )
}

fn image_spec() -> ImageSpec {
    ImageSpec {
        image: IMAGE.into(),
        ..Default::default()
    }
}

/// Host network (no CNI needed), a pid namespace per container, a shared
/// ipc namespace: a `hostNetwork: true` pod.
fn host_network() -> NamespaceOption {
    NamespaceOption {
        network: NamespaceMode::Node.into(),
        pid: NamespaceMode::Container.into(),
        ipc: NamespaceMode::Pod.into(),
        ..Default::default()
    }
}

/// The labels the kubelet adds to a pod sandbox.
fn kubernetes_pod_labels(namespace: &str, name: &str, uid: &str) -> [(String, String); 3] {
    [
        ("io.kubernetes.pod.name".into(), name.into()),
        ("io.kubernetes.pod.namespace".into(), namespace.into()),
        ("io.kubernetes.pod.uid".into(), uid.into()),
    ]
}

/// The labels the kubelet puts on a container.
fn kubernetes_container_labels(pod: &Pod, name: &str) -> HashMap<String, String> {
    let mut labels: HashMap<String, String> =
        kubernetes_pod_labels(&pod.namespace, &pod.name, &pod.uid)
            .into_iter()
            .collect();
    labels.insert("io.kubernetes.container.name".into(), name.into());
    labels
}

/// The annotations the kubelet puts on a container.
fn kubernetes_container_annotations() -> HashMap<String, String> {
    [
        ("io.kubernetes.container.hash", "0"),
        ("io.kubernetes.container.restartCount", "0"),
        (
            "io.kubernetes.container.terminationMessagePath",
            "/dev/termination-log",
        ),
        ("io.kubernetes.container.terminationMessagePolicy", "File"),
        ("io.kubernetes.pod.terminationGracePeriod", "30"),
    ]
    .into_iter()
    .map(|(k, v)| (k.into(), v.into()))
    .collect()
}

/// A random version 4 UUID, the form of a pod uid.
fn random_uid() -> Result<String> {
    let mut b = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .context("reading /dev/urandom")?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// For `kubernetes.io/config.seen`, which nothing reads: seconds since the
/// epoch rather than the kubelet's RFC 3339 time.
fn now_epoch_seconds() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    secs.to_string()
}

/// PATH for containerd: it finds the shim there, the shim finds runc;
/// the dirs the harness found them in come first.
fn child_path() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = BINARIES
        .iter()
        .filter_map(|b| which(b)?.parent().map(Path::to_path_buf))
        .chain(std::env::split_paths(&path))
        .collect();
    let mut seen = BTreeSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    std::env::join_paths(dirs).unwrap_or(path)
}

/// containerd's config: everything under `dir`, CRI with cgroupfs runc,
/// host networking only and the busybox image as sandbox image.
fn write_config(dir: &Path) -> Result<PathBuf> {
    for sub in [
        "root", "state", "opt", "runc", "cni/bin", "cni/conf", "pods",
    ] {
        fs::create_dir_all(dir.join(sub)).with_context(|| format!("creating {sub}"))?;
    }
    let runc = which("runc").context("runc is not installed")?;
    let d = dir.display();
    let config = format!(
        r#"version = 2
root = "{d}/root"
state = "{d}/state"
# Not needed here (the v1 runtime is: the tasks service requires it).
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = "{d}/containerd.sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "{d}/opt"

# Unused, but it would default to /run/containerd/runc.
[plugins."io.containerd.runtime.v1.linux"]
  runtime_root = "{d}/runc-v1"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{IMAGE}"
  # Root without CAP_SYS_RESOURCE cannot lower oom_score_adj.
  restrict_oom_score_adj = true
  disable_apparmor = true
  # Port 0: side-by-side instances must not fight over 10010.
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "{runc}"
        Root = "{d}/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "{d}/cni/bin"
    conf_dir = "{d}/cni/conf"
"#,
        runc = runc.display()
    );
    let path = dir.join("config.toml");
    fs::write(&path, config).context("writing containerd's config")?;
    Ok(path)
}

/// Writes a docker-save style image: manifest.json, the config, one layer
/// holding a static busybox and its applet links.
fn build_image_tarball(path: &Path) -> Result<()> {
    let layer = busybox_layer()?;
    let diff_id = sha256_hex(&layer);
    let config = serde_json::json!({
        "architecture": oci_arch(),
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            // The sandbox ("pause") container runs the default command and
            // must outlive every container of its pod.
            "Entrypoint": ["/bin/sleep"],
            "Cmd": ["2147483647"],
            "WorkingDir": "/",
        },
        "rootfs": { "type": "layers", "diff_ids": [format!("sha256:{diff_id}")] },
        "history": [{ "created_by": "tetragon-e2e cri harness" }],
    });
    let config = serde_json::to_vec(&config)?;
    let config_name = format!("{}.json", sha256_hex(&config));
    let layer_name = format!("{diff_id}/layer.tar");
    let manifest = serde_json::to_vec(&serde_json::json!([{
        "Config": config_name,
        "RepoTags": [IMAGE],
        "Layers": [layer_name],
    }]))?;
    let file = fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut tar = tar::Builder::new(file);
    append_file(&mut tar, "manifest.json", &manifest, 0o644)?;
    append_file(&mut tar, &config_name, &config, 0o644)?;
    append_file(&mut tar, &layer_name, &layer, 0o644)?;
    tar.into_inner().context("writing the image tarball")?;
    Ok(())
}

/// The image's one layer, as an uncompressed tar.
fn busybox_layer() -> Result<Vec<u8>> {
    let busybox = fs::read(BUSYBOX).with_context(|| format!("reading {BUSYBOX}"))?;
    let mut tar = tar::Builder::new(Vec::new());
    for (dir, mode) in [
        ("bin", 0o755),
        ("dev", 0o755),
        ("etc", 0o755),
        ("proc", 0o755),
        ("root", 0o700),
        ("sys", 0o755),
        ("tmp", 0o1777),
        ("usr", 0o755),
        ("usr/bin", 0o755),
        ("var", 0o755),
    ] {
        let mut h = header(tar::EntryType::Directory, mode, 0);
        tar.append_data(&mut h, dir, std::io::empty())?;
    }
    append_file(&mut tar, "bin/busybox", &busybox, 0o755)?;
    for applet in applets()? {
        let mut h = header(tar::EntryType::Symlink, 0o777, 0);
        tar.append_link(&mut h, format!("bin/{applet}"), "busybox")?;
    }
    append_file(
        &mut tar,
        "etc/passwd",
        b"root:x:0:0:root:/root:/bin/sh\n",
        0o644,
    )?;
    append_file(&mut tar, "etc/group", b"root:x:0:\n", 0o644)?;
    tar.into_inner().context("building the busybox layer")
}

/// Every applet the busybox binary lists, with the ones the tests need.
fn applets() -> Result<BTreeSet<String>> {
    let out = Command::new(BUSYBOX)
        .arg("--list")
        .output()
        .with_context(|| format!("running {BUSYBOX} --list"))?;
    let mut applets: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|a| !a.is_empty() && !a.contains('/') && *a != "busybox")
        .map(str::to_string)
        .collect();
    applets.extend(APPLETS.iter().map(|a| a.to_string()));
    Ok(applets)
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(0);
    h
}

fn append_file<W: std::io::Write>(
    tar: &mut tar::Builder<W>,
    path: &str,
    data: &[u8],
    mode: u32,
) -> Result<()> {
    let mut h = header(tar::EntryType::Regular, mode, data.len() as u64);
    tar.append_data(&mut h, path, data)
        .with_context(|| format!("adding {path} to a tar"))
}

fn sha256_hex(data: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The OCI name of this machine's architecture.
fn oci_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64le",
        other => other,
    }
}

/// The mount points of every cgroup hierarchy: one on cgroup v2, one per
/// v1 controller (plus the unified one) on a hybrid host.
fn cgroup_roots() -> Vec<PathBuf> {
    let mountinfo = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mut roots: Vec<PathBuf> = mountinfo
        .lines()
        .filter_map(|line| {
            let (before, after) = line.split_once(" - ")?;
            let fstype = after.split_whitespace().next()?;
            let point = before.split_whitespace().nth(4)?;
            matches!(fstype, "cgroup" | "cgroup2").then(|| PathBuf::from(unescape_mount(point)))
        })
        .collect();
    roots.sort();
    roots.dedup();
    roots
}

/// `cgroup_path` (absolute, cgroupfs style) in every hierarchy.
pub fn cgroup_dirs(cgroup_path: &str) -> Vec<PathBuf> {
    let relative = cgroup_path.trim_start_matches('/');
    cgroup_roots()
        .into_iter()
        .map(|root| root.join(relative))
        .collect()
}

/// The kubepods parents absent now, deepest first: the harness made them
/// if they show up later.
fn absent_kubepods_parents() -> Vec<PathBuf> {
    let mut absent: Vec<PathBuf> = cgroup_dirs("/kubepods/besteffort")
        .into_iter()
        .chain(cgroup_dirs("/kubepods"))
        .filter(|d| !d.exists())
        .collect();
    absent.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    absent
}

/// Removes cgroup dirs and the cgroups below them, bottom up; a cgroup
/// with processes stays (rmdir fails), which the caller may check.
fn remove_cgroup_trees(dirs: &[PathBuf]) {
    fn remove(dir: &Path) {
        if let Ok(entries) = fs::read_dir(dir) {
            for child in entries.flatten() {
                if child.file_type().is_ok_and(|t| t.is_dir()) {
                    remove(&child.path());
                }
            }
        }
        let _ = fs::remove_dir(dir);
    }
    for dir in dirs {
        remove(dir);
    }
}

/// Mount points at or below `dir`, shallowest first.
fn mounts_under(dir: &Path) -> Vec<PathBuf> {
    let mountinfo = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mut points: Vec<PathBuf> = mountinfo
        .lines()
        .filter_map(|line| line.split_whitespace().nth(4))
        .map(|p| PathBuf::from(unescape_mount(p)))
        .filter(|p| p.starts_with(dir))
        .collect();
    points.sort_by_key(|p| p.components().count());
    points
}

/// mountinfo escapes space, tab, newline and backslash as octal.
fn unescape_mount(s: &str) -> String {
    s.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
}

fn read_pid(path: &Path) -> Option<i32> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// The running shims started for the containerd serving `socket`; a test
/// checks there are none after the teardown.
pub fn shims_of(socket: &Path) -> Vec<i32> {
    let address = format!("\0-address\0{}\0", socket.display());
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
                let c = String::from_utf8_lossy(&c);
                c.contains("containerd-shim") && c.contains(&address)
            })
        })
        .collect()
}

/// Waits up to 2s for a killed process to exit (a zombie has exited).
fn wait_dead(pid: i32) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The state follows the parenthesised command name.
        let state = stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.chars().next());
        if matches!(state, None | Some('Z' | 'X')) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn kill(pid: i32, signal: i32) {
    if pid > 0 {
        // SAFETY: kill has no memory effects.
        unsafe { libc::kill(pid, signal) };
    }
}
