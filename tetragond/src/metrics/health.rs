//! The daemon's health metrics, read at scrape time from the counters the
//! observer, the event bus and the exporter already keep: nothing is
//! counted twice and nothing here is on the event path.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use prometheus::{
    core::{Collector, Desc},
    proto::MetricFamily,
};

use super::families::{
    BPF_MISSED_EVENTS_TOTAL, BUILD_INFO, ERRORS_TOTAL, EVENTS_EXPORTED_BYTES_TOTAL,
    EVENTS_EXPORTED_TOTAL, EXPORT_RATELIMIT_EVENTS_DROPPED_TOTAL, Family, HANDLER_ERRORS_TOTAL,
    HANDLER_SCRAPE_ERRORS_TOTAL, NOTIFY_OVERFLOWED_EVENTS_TOTAL, PROCESS_CACHE_CAPACITY,
    PROCESS_CACHE_EVICTIONS_TOTAL, PROCESS_CACHE_MISSES_TOTAL, PROCESS_CACHE_SIZE,
    RINGBUF_EVENTS_LOST_TOTAL, RINGBUF_EVENTS_RECEIVED_TOTAL,
};
use crate::{export::exporter::ExportStats, observer::ObserverStats};

/// The error kinds upstream counts in `tetragon_errors_total`, all written
/// out (as zeros until something counts them), as upstream does.
const ERROR_KINDS: [&str; 5] = [
    "event_finalize_process_info_failed",
    "process_metadata_username_failed",
    "process_pid_tid_mismatch_clone",
    "process_pid_tid_mismatch_exec",
    "process_pid_tid_mismatch_exit",
];

/// Failures of the metrics endpoint itself, by upstream's causes.
#[derive(Default)]
pub struct ScrapeErrors {
    pub encoding: AtomicU64,
    pub gathering: AtomicU64,
}

/// What the health collector reads.
pub struct HealthSources {
    pub observer: Arc<ObserverStats>,
    pub export: Arc<ExportStats>,
    pub subscriber_lost: Arc<AtomicU64>,
    pub process_cache_capacity: u64,
    pub scrape_errors: Arc<ScrapeErrors>,
}

pub struct HealthCollector {
    sources: HealthSources,
    descs: Vec<Desc>,
}

const FAMILIES: [&Family; 15] = [
    &ERRORS_TOTAL,
    &HANDLER_ERRORS_TOTAL,
    &BPF_MISSED_EVENTS_TOTAL,
    &RINGBUF_EVENTS_RECEIVED_TOTAL,
    &RINGBUF_EVENTS_LOST_TOTAL,
    &NOTIFY_OVERFLOWED_EVENTS_TOTAL,
    &EXPORT_RATELIMIT_EVENTS_DROPPED_TOTAL,
    &EVENTS_EXPORTED_TOTAL,
    &EVENTS_EXPORTED_BYTES_TOTAL,
    &PROCESS_CACHE_SIZE,
    &PROCESS_CACHE_CAPACITY,
    &PROCESS_CACHE_EVICTIONS_TOTAL,
    &PROCESS_CACHE_MISSES_TOTAL,
    &BUILD_INFO,
    &HANDLER_SCRAPE_ERRORS_TOTAL,
];

impl HealthCollector {
    pub fn new(sources: HealthSources) -> Self {
        HealthCollector {
            sources,
            descs: FAMILIES.iter().map(|f| f.desc()).collect(),
        }
    }
}

fn read(counter: &AtomicU64) -> f64 {
    counter.load(Ordering::Relaxed) as f64
}

/// Labels of `tetragon_build_info`. `go_version` stays empty: this daemon
/// is not built with Go; `commit`, `time` and `modified` come from the
/// build environment when it sets `TETRAGON_BUILD_COMMIT`,
/// `TETRAGON_BUILD_TIME` and `TETRAGON_BUILD_MODIFIED`.
fn build_info() -> [&'static str; 5] {
    [
        option_env!("TETRAGON_BUILD_COMMIT").unwrap_or(""),
        "",
        option_env!("TETRAGON_BUILD_MODIFIED").unwrap_or(""),
        option_env!("TETRAGON_BUILD_TIME").unwrap_or(""),
        env!("CARGO_PKG_VERSION"),
    ]
}

impl Collector for HealthCollector {
    fn desc(&self) -> Vec<&Desc> {
        self.descs.iter().collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let s = &self.sources;
        let observer = &s.observer;
        let export = &s.export;

        let mut errors = ERRORS_TOTAL.samples();
        for kind in ERROR_KINDS {
            errors.add(&[kind], 0.0);
        }

        // Records that failed to decode: their kind is not kept apart, so
        // they are counted against the undefined opcode, as upstream counts
        // records it cannot attribute.
        let mut handler = HANDLER_ERRORS_TOTAL.samples();
        handler.add(
            &["event_handler_failed", "0"],
            read(&observer.decode_errors),
        );
        handler.add(&["perf_empty_data", "0"], 0.0);
        handler.add(&["unknown_opcode", "0"], 0.0);

        // A ring buffer reservation that fails is what upstream's kernel
        // side counts as EAGAIN; ours is not kept per record kind.
        let mut missed = BPF_MISSED_EVENTS_TOTAL.samples();
        let lost = observer.kernel_lost.load(Ordering::Relaxed);
        if lost > 0 {
            missed.add(&["EAGAIN", "0"], lost as f64);
        }

        let mut misses = PROCESS_CACHE_MISSES_TOTAL.samples();
        misses.add(&["get"], read(&observer.cache_misses));
        misses.add(&["remove"], 0.0);

        let mut build = BUILD_INFO.samples();
        build.add(&build_info(), 1.0);

        let mut scrape = HANDLER_SCRAPE_ERRORS_TOTAL.samples();
        scrape.add(&["encoding"], read(&s.scrape_errors.encoding));
        scrape.add(&["gathering"], read(&s.scrape_errors.gathering));

        vec![
            errors.finish(),
            handler.finish(),
            missed.finish(),
            RINGBUF_EVENTS_RECEIVED_TOTAL.single(read(&observer.records_received)),
            RINGBUF_EVENTS_LOST_TOTAL.single(lost as f64),
            NOTIFY_OVERFLOWED_EVENTS_TOTAL.single(read(&s.subscriber_lost)),
            EXPORT_RATELIMIT_EVENTS_DROPPED_TOTAL.single(read(&export.rate_limited)),
            EVENTS_EXPORTED_TOTAL.single(read(&export.events_exported)),
            EVENTS_EXPORTED_BYTES_TOTAL.single(read(&export.bytes_exported)),
            PROCESS_CACHE_SIZE.single(read(&observer.cache_size)),
            PROCESS_CACHE_CAPACITY.single(s.process_cache_capacity as f64),
            PROCESS_CACHE_EVICTIONS_TOTAL.single(read(&observer.cache_evictions)),
            misses.finish(),
            build.finish(),
            scrape.finish(),
        ]
    }
}
