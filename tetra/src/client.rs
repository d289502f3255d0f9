//! Finding and connecting to tetragond.

use std::{path::Path, time::Duration};

use anyhow::{Context, Result, bail};
use hyper_util::rt::TokioIo;
use tetragon_api::tetragon::{
    event_log_service_client::EventLogServiceClient,
    fine_guidance_sensors_client::FineGuidanceSensorsClient,
};
use tonic::{
    Status,
    transport::{Channel, Endpoint, Uri},
};
use tower::service_fn;

pub const DEFAULT_SERVER_ADDRESS: &str = "localhost:54321";
pub const INFO_FILE: &str = "/var/run/tetragon/tetragon-info.json";
/// Largest reply accepted (a process-cache dump can be big).
const MAX_MESSAGE_SIZE: usize = 64 * 1024 * 1024;

/// The address to use: the flag, else the running daemon's info file,
/// else the default.
pub fn resolve_address(flag: Option<&str>, info_file: &Path) -> String {
    if let Some(addr) = flag.filter(|a| !a.is_empty()) {
        return addr.to_string();
    }
    std::fs::read_to_string(info_file)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v.get("server_address")?.as_str().map(str::to_string))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| DEFAULT_SERVER_ADDRESS.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Tcp(String),
    Unix(String),
}

fn parse_target(addr: &str) -> Result<Target> {
    if let Some(path) = addr.strip_prefix("unix://") {
        if !path.starts_with('/') {
            bail!(
                "server address `{addr}`: a unix socket needs an absolute path, as in unix:///var/run/tetragon/tetragon.sock"
            );
        }
        return Ok(Target::Unix(path.to_string()));
    }
    let hostport = addr
        .strip_prefix("http://")
        .or_else(|| addr.strip_prefix("dns:///"))
        .unwrap_or(addr);
    match hostport.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => {
            let host = if host.is_empty() { "localhost" } else { host };
            Ok(Target::Tcp(format!("http://{host}:{port}")))
        }
        _ => bail!("server address `{addr}`: expected host:port or unix:///path"),
    }
}

/// Dials the daemon (TCP or unix socket), giving up after `timeout`;
/// errors name the address. Every service's client wraps this channel.
pub async fn channel(addr: &str, timeout: Duration) -> Result<Channel> {
    let target = parse_target(addr)?;
    let channel = match &target {
        Target::Tcp(uri) => Endpoint::from_shared(uri.clone())
            .with_context(|| format!("server address `{addr}`"))?
            .connect_timeout(timeout)
            .connect()
            .await
            .map_err(|e| connect_error(addr, e))?,
        Target::Unix(path) => {
            let path = path.clone();
            // The URI is unused: the connector dials the socket.
            Endpoint::from_static("http://localhost")
                .connect_timeout(timeout)
                .connect_with_connector(service_fn(move |_: Uri| {
                    let path = path.clone();
                    async move {
                        let stream = tokio::net::UnixStream::connect(path).await?;
                        Ok::<_, std::io::Error>(TokioIo::new(stream))
                    }
                }))
                .await
                .map_err(|e| connect_error(addr, e))?
        }
    };
    Ok(channel)
}

/// A client of `tetragon.FineGuidanceSensors` (events, health, info, debug).
pub async fn connect(addr: &str, timeout: Duration) -> Result<FineGuidanceSensorsClient<Channel>> {
    let channel = channel(addr, timeout).await?;
    Ok(FineGuidanceSensorsClient::new(channel).max_decoding_message_size(MAX_MESSAGE_SIZE))
}

/// A client of `tetragon.EventLogService` (the JSON exporter's rotation).
pub async fn connect_event_log(
    addr: &str,
    timeout: Duration,
) -> Result<EventLogServiceClient<Channel>> {
    let channel = channel(addr, timeout).await?;
    Ok(EventLogServiceClient::new(channel).max_decoding_message_size(MAX_MESSAGE_SIZE))
}

/// Awaits a unary call for at most `timeout`; running out of time is
/// reported as DEADLINE_EXCEEDED, as a gRPC deadline would be.
pub async fn unary<T>(
    timeout: Duration,
    call: impl Future<Output = Result<tonic::Response<T>, Status>>,
) -> Result<T, Status> {
    match tokio::time::timeout(timeout, call).await {
        Ok(reply) => reply.map(tonic::Response::into_inner),
        Err(_) => Err(Status::deadline_exceeded(format!(
            "no answer within {timeout:?}"
        ))),
    }
}

/// `failed to get health status: <the server's message>`, one line.
pub fn call_error(what: &str, status: &Status) -> anyhow::Error {
    let reason = match status.message().trim() {
        "" => status.code().description(),
        message => message,
    };
    anyhow::anyhow!("{what}: {}", reason.replace('\n', " "))
}

/// `connecting to localhost:54321: connection refused`, not tonic's
/// nested "transport error".
fn connect_error(addr: &str, e: tonic::transport::Error) -> anyhow::Error {
    let mut cause: &dyn std::error::Error = &e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    anyhow::anyhow!("connecting to {addr}: {}", plain_reason(&cause.to_string()))
}

/// `Connection refused (os error 111)` -> `connection refused`.
fn plain_reason(reason: &str) -> String {
    let reason = match reason.rfind(" (os error ") {
        Some(at) if reason.ends_with(')') => &reason[..at],
        _ => reason,
    };
    match reason.trim() {
        "" => "failed".to_string(),
        reason => reason.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_server_addresses() {
        assert_eq!(
            parse_target("localhost:54321").unwrap(),
            Target::Tcp("http://localhost:54321".into())
        );
        assert_eq!(
            parse_target(":54321").unwrap(),
            Target::Tcp("http://localhost:54321".into())
        );
        assert_eq!(
            parse_target("unix:///run/t.sock").unwrap(),
            Target::Unix("/run/t.sock".into())
        );
        for bad in ["nonsense", "host:port", "unix://rel.sock"] {
            assert!(parse_target(bad).unwrap_err().to_string().contains(bad));
        }
    }

    #[test]
    fn connect_errors_drop_the_os_error_number() {
        assert_eq!(
            plain_reason("Connection refused (os error 111)"),
            "connection refused"
        );
        assert_eq!(
            plain_reason("No such file or directory (os error 2)"),
            "no such file or directory"
        );
        assert_eq!(plain_reason("tcp connect error"), "tcp connect error");
        assert_eq!(plain_reason(""), "failed");
    }

    #[test]
    fn resolves_flag_then_info_file_then_default() {
        let dir = tempfile::tempdir().unwrap();
        let info = dir.path().join("tetragon-info.json");
        assert_eq!(resolve_address(None, &info), DEFAULT_SERVER_ADDRESS);
        std::fs::write(&info, r#"{"server_address":"unix:///x.sock","pid":1}"#).unwrap();
        assert_eq!(resolve_address(None, &info), "unix:///x.sock");
        assert_eq!(resolve_address(Some("h:1"), &info), "h:1");
    }
}
