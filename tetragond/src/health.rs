//! Whether the daemon is doing its job, for GetHealth and for Kubernetes
//! probes: the gRPC health service (`grpc.health.v1`, service `liveness`)
//! on `--health-server-address`, as upstream serves it.

use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use anyhow::{Context, Result};
use tetragon_api::tetragon::HealthStatusResult;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Server;
use tonic_health::ServingStatus;

use crate::{export::exporter::ExportStats, observer::ObserverStats};

/// The health service's name that probes ask about.
pub const LIVENESS: &str = "liveness";

/// What the daemon's health depends on.
#[derive(Clone)]
pub struct HealthSources {
    pub observer: Arc<ObserverStats>,
    /// The exporter, when an export file is configured.
    pub export: Option<Arc<ExportStats>>,
}

impl HealthSources {
    /// Running when the ring-buffer reader runs (and so the base sensor is
    /// attached) and the exporter, if any, is writing; else an error naming
    /// what is not.
    pub fn status(&self) -> (HealthStatusResult, String) {
        let mut problems = Vec::new();
        if !self.observer.running.load(Ordering::Relaxed) {
            problems.push("the ring buffer reader is not running");
        }
        if let Some(export) = &self.export
            && !export.running.load(Ordering::Relaxed)
        {
            problems.push("the JSON exporter is not running");
        }
        if problems.is_empty() {
            (
                HealthStatusResult::HealthStatusRunning,
                "running".to_string(),
            )
        } else {
            (HealthStatusResult::HealthStatusError, problems.join("; "))
        }
    }
}

pub type ServeFuture = std::pin::Pin<Box<dyn Future<Output = Result<()>> + Send>>;

/// Binds `addr` (`:6789`, `host:port`) now and returns the server, which
/// re-checks health every `interval` until `shutdown`.
pub async fn serve(
    addr: &str,
    interval: Duration,
    sources: HealthSources,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<ServeFuture> {
    let hostport = match addr.strip_prefix(':') {
        Some(port) => format!("0.0.0.0:{port}"),
        None => addr.to_string(),
    };
    let listener = TcpListener::bind(&hostport)
        .await
        .with_context(|| format!("health server address `{addr}`: cannot listen"))?;
    let (reporter, service) = tonic_health::server::health_reporter();
    let update = {
        let reporter = reporter.clone();
        async move {
            let mut tick = tokio::time::interval(interval.max(Duration::from_millis(100)));
            loop {
                tick.tick().await;
                let status = match sources.status().0 {
                    HealthStatusResult::HealthStatusRunning => ServingStatus::Serving,
                    _ => ServingStatus::NotServing,
                };
                reporter.set_service_status(LIVENESS, status).await;
            }
        }
    };
    Ok(Box::pin(async move {
        let updater = tokio::spawn(update);
        let served = Server::builder()
            .add_service(service)
            .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
            .await
            .context("health server");
        updater.abort();
        served
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_names_what_is_not_running() {
        let observer = Arc::new(ObserverStats::default());
        let export = Arc::new(ExportStats::default());
        let sources = HealthSources {
            observer: observer.clone(),
            export: Some(export.clone()),
        };
        let (status, details) = sources.status();
        assert_eq!(status, HealthStatusResult::HealthStatusError);
        assert!(details.contains("ring buffer reader") && details.contains("exporter"));
        observer.running.store(true, Ordering::Relaxed);
        export.running.store(true, Ordering::Relaxed);
        assert_eq!(sources.status().0, HealthStatusResult::HealthStatusRunning);
    }
}
