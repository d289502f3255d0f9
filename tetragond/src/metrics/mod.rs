//! Prometheus metrics under upstream Tetragon's names, labels, help texts
//! and types, so existing dashboards and alerts keep working.
//!
//! The data flows one way: this module only reads. At scrape time the
//! collectors read the counters the observer, the bus and the exporter
//! already keep (`health`), the kernel's numbers for our BPF objects
//! (`bpf`), the policies (`policies`) and /proc/self (`process`). The one
//! thing counted here is events by type and process (`events`), through
//! `EventMetrics::observe`, which the observer calls once per event.
//!
//! `server` serves the text format on `--metrics-server`.

pub mod bpf;
pub mod events;
pub mod families;
pub mod health;
pub mod pods;
pub mod policies;
pub mod process;
pub mod server;

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use anyhow::{Context, Result};
use prometheus::{
    Encoder, Registry, TextEncoder,
    core::{Collector, Desc},
    proto::MetricFamily,
};
use tracing::warn;

pub use bpf::{BpfObjects, ProgramLabels, RunStats};
pub use events::{DEFAULT_LABEL_FILTER, EventMetrics, LabelFilter};
pub use policies::PolicySource;

use crate::{
    export::exporter::ExportStats, observer::ObserverStats, pods::sources::PodSourceStats,
};

/// What the metrics read. Each is shared with the part of the daemon that
/// updates it; none of them keeps anything else alive.
pub struct MetricSources {
    pub observer: Arc<ObserverStats>,
    pub export: Arc<ExportStats>,
    /// Events slow subscribers lost, as the bus counts them
    /// (`EventBus::lost_by_subscribers`). The counter rather than the bus:
    /// a bus clone held here would keep the channel open at shutdown.
    pub subscriber_lost: Arc<AtomicU64>,
    /// `--process-cache-size`.
    pub process_cache_capacity: u64,
    /// Programs and maps to report; the daemon registers them as it loads
    /// them (`Metrics::bpf` gives the same registry back).
    pub bpf: BpfObjects,
    /// The tracing policies, when something keeps them.
    pub policies: Option<Arc<dyn PolicySource>>,
    /// The pod sources' counters.
    pub pods: Arc<PodSourceStats>,
}

/// The daemon's metrics: a registry of collectors and the per-event
/// counters.
pub struct Metrics {
    registry: Registry,
    events: Arc<EventMetrics>,
    bpf: BpfObjects,
    scrape_errors: Arc<health::ScrapeErrors>,
}

/// Lets the shared `EventMetrics` sit in the registry.
struct EventsCollector(Arc<EventMetrics>);

impl Collector for EventsCollector {
    fn desc(&self) -> Vec<&Desc> {
        self.0.descs()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        self.0.collect()
    }
}

impl Metrics {
    /// `label_filter` is `--metrics-label-filter`: the comma-separated
    /// process labels that keep their values; empty for the default
    /// (`DEFAULT_LABEL_FILTER`). Unknown names are ignored, as upstream
    /// ignores them, with a warning.
    pub fn new(label_filter: &str, sources: MetricSources) -> Result<Metrics> {
        let (filter, unknown) = LabelFilter::parse(label_filter);
        if !unknown.is_empty() {
            warn!(
                ignored = ?unknown,
                known = ?LabelFilter::LABELS,
                "--metrics-label-filter: ignoring unknown labels"
            );
        }
        let events = Arc::new(EventMetrics::new(filter));
        let scrape_errors = Arc::new(health::ScrapeErrors::default());
        let registry = Registry::new();
        let collectors: Vec<Box<dyn Collector>> = vec![
            Box::new(EventsCollector(events.clone())),
            Box::new(health::HealthCollector::new(health::HealthSources {
                observer: sources.observer.clone(),
                export: sources.export,
                subscriber_lost: sources.subscriber_lost,
                process_cache_capacity: sources.process_cache_capacity,
                scrape_errors: scrape_errors.clone(),
            })),
            Box::new(policies::PolicyCollector::new(sources.policies)),
            Box::new(pods::PodsCollector::new(
                sources.observer.pod_hold.clone(),
                sources.pods,
            )),
            Box::new(bpf::BpfCollector::new(sources.bpf.clone())),
            Box::new(process::ProcessCollector::new()),
        ];
        for c in collectors {
            registry
                .register(c)
                .context("registering the metric collectors")?;
        }
        Ok(Metrics {
            registry,
            events,
            bpf: sources.bpf,
            scrape_errors,
        })
    }

    /// The per-event counters, for the observer to call `observe` on.
    pub fn events(&self) -> Arc<EventMetrics> {
        self.events.clone()
    }

    /// The registry of reported BPF programs and maps.
    pub fn bpf(&self) -> &BpfObjects {
        &self.bpf
    }

    /// Every metric in the Prometheus text format (version 0.0.4).
    /// Reads /proc and asks the kernel about BPF objects: call it off the
    /// async workers (the server does, with `spawn_blocking`).
    pub fn render(&self) -> String {
        let families = self.registry.gather();
        let mut out = Vec::with_capacity(16 * 1024);
        if let Err(e) = TextEncoder::new().encode(&families, &mut out) {
            self.scrape_errors.encoding.fetch_add(1, Ordering::Relaxed);
            warn!(error = %e, "encoding the metrics");
        }
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }
}
