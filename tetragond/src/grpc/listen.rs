//! Serving the API on `--server-address`: `host:port`, `:port` (every
//! interface) or `unix:///path/to.sock`.

use std::{net::SocketAddr, os::unix::fs::PermissionsExt, path::PathBuf};

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};
use tokio_stream::Stream;
use tokio_stream::wrappers::{TcpListenerStream, UnixListenerStream};
use tonic::transport::{
    Certificate, Identity, Server, ServerTlsConfig,
    server::{Connected, Router},
};

use tetragon_api::tetragon::fine_guidance_sensors_server::FineGuidanceSensorsServer;

use super::service::Service;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAddress {
    Tcp(String),
    Unix(PathBuf),
}

impl ListenAddress {
    pub fn parse(s: &str) -> Result<Self> {
        if let Some(path) = s.strip_prefix("unix://") {
            if !path.starts_with('/') {
                bail!(
                    "server address `{s}`: a unix socket needs an absolute path, as in unix:///var/run/tetragon/tetragon.sock"
                );
            }
            return Ok(ListenAddress::Unix(PathBuf::from(path)));
        }
        let Some((host, port)) = s.rsplit_once(':') else {
            bail!("server address `{s}`: expected host:port, :port or unix:///path");
        };
        if port.parse::<u16>().is_err() {
            bail!("server address `{s}`: `{port}` is not a port number");
        }
        let host = if host.is_empty() { "0.0.0.0" } else { host };
        Ok(ListenAddress::Tcp(format!("{host}:{port}")))
    }
}

/// `--server-tls-*`: the server's certificate and key, and the CAs that
/// sign client certificates (required or optional).
#[derive(Debug, Clone)]
pub struct TlsSettings {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub client_cas: Vec<PathBuf>,
    pub require_client_cert: bool,
}

impl TlsSettings {
    /// Reads the files now, so a missing or bad one fails the start.
    fn server_config(&self) -> Result<ServerTlsConfig> {
        let read = |flag: &str, path: &PathBuf| {
            std::fs::read(path).with_context(|| format!("{flag} {}", path.display()))
        };
        let cert = read("--server-tls-cert-file", &self.cert)?;
        let key = read("--server-tls-key-file", &self.key)?;
        let mut config = ServerTlsConfig::new().identity(Identity::from_pem(cert, key));
        if !self.client_cas.is_empty() {
            let mut bundle = Vec::new();
            for ca in &self.client_cas {
                bundle.extend(read("--server-tls-client-ca-files", ca)?);
                bundle.push(b'\n');
            }
            config = config
                .client_ca_root(Certificate::from_pem(bundle))
                .client_auth_optional(!self.require_client_cert);
        }
        Ok(config)
    }
}

/// Binds the address (so errors surface before the daemon says it is up)
/// and returns the future that serves until `shutdown` resolves. TLS, when
/// set, applies to TCP; a unix socket is guarded by its file mode.
pub async fn bind(
    addr: &ListenAddress,
    service: Service,
    tls: Option<&TlsSettings>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<ServeFuture> {
    let mut server = Server::builder();
    if let (Some(tls), ListenAddress::Tcp(_)) = (tls, addr) {
        server = server
            .tls_config(tls.server_config()?)
            .context("configuring TLS for the gRPC server")?;
    }
    let router = server.add_service(FineGuidanceSensorsServer::new(service));
    Ok(match addr {
        ListenAddress::Tcp(hostport) => {
            let resolved: Vec<SocketAddr> = tokio::net::lookup_host(hostport)
                .await
                .with_context(|| format!("resolving server address {hostport}"))?
                .collect();
            let first = resolved
                .first()
                .with_context(|| format!("server address {hostport} resolves to nothing"))?;
            let listener = TcpListener::bind(first)
                .await
                .with_context(|| format!("listening on {first}"))?;
            serve(router, TcpListenerStream::new(listener), shutdown)
        }
        ListenAddress::Unix(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            // A socket left by an earlier run would make bind fail.
            if path.exists() {
                std::fs::remove_file(path)
                    .with_context(|| format!("removing stale {}", path.display()))?;
            }
            let listener = UnixListener::bind(path)
                .with_context(|| format!("listening on {}", path.display()))?;
            // Whoever can connect can add policies: root and its group only.
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))
                .with_context(|| format!("setting the mode of {}", path.display()))?;
            serve(router, UnixListenerStream::new(listener), shutdown)
        }
    })
}

pub type ServeFuture = std::pin::Pin<Box<dyn Future<Output = Result<()>> + Send>>;

fn serve<IO>(
    router: Router,
    incoming: impl Stream<Item = std::io::Result<IO>> + Send + 'static,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> ServeFuture
where
    IO: AsyncRead + AsyncWrite + Connected + Unpin + Send + 'static,
{
    Box::pin(async move {
        router
            .serve_with_incoming_shutdown(incoming, shutdown)
            .await
            .context("gRPC server")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(
            ListenAddress::parse("localhost:54321").unwrap(),
            ListenAddress::Tcp("localhost:54321".into())
        );
        assert_eq!(
            ListenAddress::parse(":2112").unwrap(),
            ListenAddress::Tcp("0.0.0.0:2112".into())
        );
        assert_eq!(
            ListenAddress::parse("unix:///var/run/tetragon/tetragon.sock").unwrap(),
            ListenAddress::Unix("/var/run/tetragon/tetragon.sock".into())
        );
    }

    #[test]
    fn rejects_bad_addresses_naming_them() {
        for bad in [
            "localhost",
            "localhost:http",
            "unix://relative.sock",
            "host:99999",
        ] {
            let err = ListenAddress::parse(bad).unwrap_err().to_string();
            assert!(err.contains(bad), "{err}");
        }
    }
}
