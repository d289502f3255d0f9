//! The policy and sensor methods of the service, over the policy manager.
//! Loading runs on a blocking thread: the verifier can take a while.

use std::sync::Arc;

use tetragon_api::tetragon::{self as api, TracingPolicyMode};
use tonic::Status;

use crate::policy::manager::{ManagerError, Mode, PolicyManager};

/// gRPC carries the message in a header: a verifier log is kept to its end,
/// where the reason is, within what HTTP/2 peers accept.
const MESSAGE_MAX: usize = 4096;

fn bounded(message: String) -> String {
    if message.len() <= MESSAGE_MAX {
        return message;
    }
    let mut start = message.len() - MESSAGE_MAX;
    while !message.is_char_boundary(start) {
        start += 1;
    }
    let head = message.lines().next().unwrap_or_default();
    let head: String = head.chars().take(512).collect();
    format!("{head} [...] {}", &message[start..])
}

fn status(e: ManagerError) -> Status {
    let message = bounded(e.to_string());
    match e {
        ManagerError::Invalid(_) => Status::invalid_argument(message),
        ManagerError::Exists(_) => Status::already_exists(message),
        ManagerError::NotFound(_) | ManagerError::SensorNotFound(_) => Status::not_found(message),
        ManagerError::Load(_) | ManagerError::NoPolicyFilter(..) => {
            Status::failed_precondition(message)
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_keep_their_first_line_and_their_end() {
        let log = format!("load failed\n{}\nthe reason", "x".repeat(10_000));
        let m = bounded(log);
        assert!(m.len() <= MESSAGE_MAX + 600);
        assert!(m.starts_with("load failed [...] "));
        assert!(m.ends_with("the reason"));
        assert_eq!(bounded("short".into()), "short");
    }
}
