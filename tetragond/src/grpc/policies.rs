//! The policy and sensor methods of the service, over the policy manager.
//! Loading runs on a blocking thread: the verifier can take a while.

use std::sync::Arc;

use tetragon_api::tetragon::{self as api, TracingPolicyMode};
use tonic::Status;

use crate::policy::manager::{ManagerError, Mode, PolicyManager};

fn status(e: ManagerError) -> Status {
    match e {
        ManagerError::Invalid(_) => Status::invalid_argument(e.to_string()),
        ManagerError::Exists(_) => Status::already_exists(e.to_string()),
        ManagerError::NotFound(_) | ManagerError::SensorNotFound(_) => {
            Status::not_found(e.to_string())
        }
        ManagerError::Load(_) => Status::failed_precondition(e.to_string()),
    }
}

async fn blocking<T: Send + 'static>(
    manager: &Arc<PolicyManager>,
    f: impl FnOnce(&PolicyManager) -> Result<T, ManagerError> + Send + 'static,
) -> Result<T, Status> {
    let manager = manager.clone();
    tokio::task::spawn_blocking(move || f(&manager))
        .await
        .map_err(|e| Status::internal(format!("policy task failed: {e}")))?
        .map_err(status)
}

pub async fn add(m: &Arc<PolicyManager>, req: api::AddTracingPolicyRequest) -> Result<(), Status> {
    blocking(m, move |m| m.add_from_client(&req.yaml).map(|_| ())).await
}

pub async fn delete(m: &Arc<PolicyManager>, name: String, namespace: String) -> Result<(), Status> {
    blocking(m, move |m| m.delete(&name, &namespace)).await
}

pub async fn configure(
    m: &Arc<PolicyManager>,
    name: String,
    namespace: String,
    enable: Option<bool>,
    mode: Option<i32>,
) -> Result<(), Status> {
    let mode = match mode.map(TracingPolicyMode::try_from) {
        None => None,
        Some(Ok(TracingPolicyMode::TpModeEnforce)) => Some(Mode::Enforce),
        Some(Ok(TracingPolicyMode::TpModeMonitor)) => Some(Mode::Monitor),
        Some(_) => return Err(Status::invalid_argument("mode must be enforce or monitor")),
    };
    blocking(m, move |m| m.configure(&name, &namespace, enable, mode)).await
}

pub async fn configure_sensor(
    m: &Arc<PolicyManager>,
    name: String,
    enable: bool,
) -> Result<(), Status> {
    blocking(m, move |m| m.configure_sensor(&name, enable)).await
}
