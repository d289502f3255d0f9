//! `RuntimeHook`: the container runtime tells of a container before it runs
//! (an OCI createRuntime hook, or the CRI client on its behalf), so pod-scoped
//! policies cover it from its first process.

use std::{sync::Arc, time::Duration};

use tetragon_api::tetragon::{CreateContainer, RuntimeHookRequest, runtime_hook_request::Event};
use tonic::Status;
use tracing::{debug, info};

use crate::{
    pods::{
        model::{ContainerMeta, PodMeta, bare_container_id},
        store::PodStore,
    },
    policy::filter::PolicyFilter,
};

/// How long the hook waits for a source to describe the pod (labels,
/// workload) before going on with what the hook itself carries.
const POD_WAIT: Duration = Duration::from_secs(2);

/// What the hook updates.
pub struct RuntimeHooks {
    pub store: Arc<PodStore>,
    pub wake: Option<Arc<tokio::sync::Notify>>,
    pub filter: Option<Arc<PolicyFilter>>,
}

impl RuntimeHooks {
    pub async fn handle(&self, req: RuntimeHookRequest) -> Result<(), Status> {
        match req.event {
            Some(Event::CreateContainer(c)) => self.create_container(c).await,
            None => Err(Status::invalid_argument(
                "RuntimeHookRequest: `event` is empty; expected createContainer",
            )),
        }
    }

    async fn create_container(&self, c: CreateContainer) -> Result<(), Status> {
        if c.pod_uid.is_empty() {
            return Err(Status::invalid_argument(
                "createContainer.podUID is empty: only pod containers are tracked",
            ));
        }
        info!(pod = %format!("{}/{}", c.pod_namespace, c.pod_name), container = %c.container_name,
            id = %c.container_id, cgroups = %c.cgroups_path, "runtime hook: container created");
        let id = bare_container_id(&c.container_id).to_string();
        if !id.is_empty() {
            self.store.upsert_container(ContainerMeta {
                id,
                pod_uid: c.pod_uid.clone(),
                name: c.container_name.clone(),
                image_name: c.container_image.clone(),
                ..Default::default()
            });
        }
        if !self.store.has_pod(&c.pod_uid) {
            // The runtime source knows the pod's labels: ask it now.
            if let Some(wake) = &self.wake {
                wake.notify_one();
            }
            if !self.store.wait_for_pod(&c.pod_uid, POD_WAIT).await {
                debug!(uid = %c.pod_uid, "pod not described by any source yet; using the hook's own data");
                self.store.upsert_pod(PodMeta {
                    uid: c.pod_uid.clone(),
                    namespace: c.pod_namespace.clone(),
                    name: c.pod_name.clone(),
                    workload: c.pod_name.clone(),
                    workload_kind: "Pod".into(),
                    ..Default::default()
                });
            }
        }
        // The policy entries are in the kernel before the hook returns, so
        // before the container's first process.
        if let Some(filter) = &self.filter {
            let filter = Arc::clone(filter);
            tokio::task::spawn_blocking(move || filter.refresh())
                .await
                .map_err(|e| Status::internal(format!("policy filter refresh: {e}")))?;
        }
        Ok(())
    }
}
