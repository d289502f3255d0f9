//! Finding and connecting to tetragond.

use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
    time::Duration,
};

use anyhow::{Context, Result, bail};
use hyper_util::rt::TokioIo;
use tetragon_api::tetragon::{
    event_log_service_client::EventLogServiceClient,
    fine_guidance_sensors_client::FineGuidanceSensorsClient,
};
use tonic::{
    Status,
    transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity, Uri},
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

/// How to reach the daemon beyond its address: the global flags
/// `--retries`, `--max-recv-size` and the TLS client flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Connection attempts after the first one fails.
    pub retries: u32,
    /// Largest reply accepted, in bytes (None: [`MAX_MESSAGE_SIZE`]).
    pub max_recv_size: Option<usize>,
    /// TLS, when any TLS flag is given.
    pub tls: Option<TlsOptions>,
}

/// The TLS client flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// PEM files of the CAs that sign the server's certificate (none: the
    /// system's CA bundle).
    pub ca_cert_files: Vec<PathBuf>,
    /// The client's certificate and key (PEM), for servers that ask.
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    /// The name the server's certificate must carry (default: the host of
    /// the server address).
    pub server_name: Option<String>,
}

/// The system's CA bundle, trusted when no `--tls-ca-cert-files` is given.
const SYSTEM_CA_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

static OPTIONS: OnceLock<ConnectOptions> = OnceLock::new();

/// Sets the options every later connection uses (once, from the command
/// line); without it, no retries, no TLS and the default size limit.
pub fn configure(options: ConnectOptions) {
    let _ = OPTIONS.set(options);
}

fn options() -> &'static ConnectOptions {
    OPTIONS.get_or_init(ConnectOptions::default)
}

/// The largest reply clients accept.
fn max_recv_size() -> usize {
    options().max_recv_size.unwrap_or(MAX_MESSAGE_SIZE)
}

/// Dials the daemon (TCP or unix socket, over TLS when configured), giving
/// up after `timeout` per attempt and after `--retries` more attempts, with
/// a short doubling pause between them; errors name the address. Every
/// service's client wraps this channel.
pub async fn channel(addr: &str, timeout: Duration) -> Result<Channel> {
    let target = parse_target(addr)?;
    let options = options();
    let endpoint = endpoint(addr, &target, options.tls.as_ref())?.connect_timeout(timeout);
    let mut pause = Duration::from_millis(100);
    let mut attempt = 0;
    loop {
        match dial(&endpoint, &target).await {
            Ok(channel) => return Ok(channel),
            Err(_) if attempt < options.retries => {
                attempt += 1;
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(e) => return Err(connect_error(addr, e)),
        }
    }
}

/// The endpoint to dial: `http://` or, with TLS, `https://` and the TLS
/// configuration read from the flags' files.
fn endpoint(addr: &str, target: &Target, tls: Option<&TlsOptions>) -> Result<Endpoint> {
    let (uri, host) = match target {
        // The URI of a unix socket is unused but for TLS's server name:
        // the connector dials the socket.
        Target::Unix(_) => ("http://localhost".to_string(), "localhost".to_string()),
        Target::Tcp(uri) => {
            let hostport = uri.trim_start_matches("http://");
            let host = hostport
                .rsplit_once(':')
                .map_or(hostport, |(h, _)| h)
                .trim_start_matches('[')
                .trim_end_matches(']');
            (uri.clone(), host.to_string())
        }
    };
    let Some(tls) = tls else {
        return Endpoint::from_shared(uri).with_context(|| format!("server address `{addr}`"));
    };
    let uri = uri.replacen("http://", "https://", 1);
    let endpoint =
        Endpoint::from_shared(uri).with_context(|| format!("server address `{addr}`"))?;
    let config = tls_config(tls, &host)?;
    endpoint
        .tls_config(config)
        .map_err(|e| anyhow::anyhow!("TLS configuration: {}", source_reason(&e)))
}

fn tls_config(tls: &TlsOptions, host: &str) -> Result<ClientTlsConfig> {
    let read = |flag: &str, path: &Path| {
        std::fs::read(path).map_err(|e| {
            anyhow::anyhow!(
                "{flag} {}: {}",
                path.display(),
                plain_reason(&e.to_string())
            )
        })
    };
    let mut config = ClientTlsConfig::new()
        .domain_name(tls.server_name.clone().unwrap_or_else(|| host.to_string()));
    if tls.ca_cert_files.is_empty() {
        let bundle = SYSTEM_CA_BUNDLES
            .iter()
            .map(Path::new)
            .find(|p| p.exists())
            .context("no --tls-ca-cert-files given and no system CA bundle found")?;
        config = config.ca_certificate(Certificate::from_pem(read("CA bundle", bundle)?));
    }
    for file in &tls.ca_cert_files {
        let pem = read("--tls-ca-cert-files", file)?;
        if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
            bail!(
                "--tls-ca-cert-files {}: no PEM certificate in it",
                file.display()
            );
        }
        config = config.ca_certificate(Certificate::from_pem(pem));
    }
    match (&tls.cert_file, &tls.key_file) {
        (Some(cert), Some(key)) => {
            config = config.identity(Identity::from_pem(
                read("--tls-cert-file", cert)?,
                read("--tls-key-file", key)?,
            ));
        }
        (None, None) => {}
        (Some(_), None) => bail!("--tls-cert-file needs --tls-key-file"),
        (None, Some(_)) => bail!("--tls-key-file needs --tls-cert-file"),
    }
    Ok(config)
}

async fn dial(endpoint: &Endpoint, target: &Target) -> Result<Channel, tonic::transport::Error> {
    match target {
        Target::Tcp(_) => endpoint.connect().await,
        Target::Unix(path) => {
            let path = path.clone();
            endpoint
                .connect_with_connector(service_fn(move |_: Uri| {
                    let path = path.clone();
                    async move {
                        let stream = tokio::net::UnixStream::connect(path).await?;
                        Ok::<_, std::io::Error>(TokioIo::new(stream))
                    }
                }))
                .await
        }
    }
}

/// A client of `tetragon.FineGuidanceSensors` (events, health, info, debug).
pub async fn connect(addr: &str, timeout: Duration) -> Result<FineGuidanceSensorsClient<Channel>> {
    let channel = channel(addr, timeout).await?;
    Ok(FineGuidanceSensorsClient::new(channel).max_decoding_message_size(max_recv_size()))
}

/// A client of `tetragon.EventLogService` (the JSON exporter's rotation).
pub async fn connect_event_log(
    addr: &str,
    timeout: Duration,
) -> Result<EventLogServiceClient<Channel>> {
    let channel = channel(addr, timeout).await?;
    Ok(EventLogServiceClient::new(channel).max_decoding_message_size(max_recv_size()))
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
    // "transport error" and the like: say what went wrong underneath (a
    // plaintext client at a TLS server: "connection reset by peer"...).
    let cause = std::error::Error::source(status)
        .map(source_reason)
        .filter(|cause| !reason.to_lowercase().contains(cause.as_str()));
    match cause {
        Some(cause) => anyhow::anyhow!("{what}: {reason}: {}", cause.replace('\n', " ")),
        None => anyhow::anyhow!("{what}: {}", reason.replace('\n', " ")),
    }
}

/// `connecting to localhost:54321: connection refused`, not tonic's
/// nested "transport error".
fn connect_error(addr: &str, e: tonic::transport::Error) -> anyhow::Error {
    anyhow::anyhow!("connecting to {addr}: {}", source_reason(&e))
}

/// The innermost cause of an error, in plain words.
fn source_reason(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    plain_reason(&cause.to_string())
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
