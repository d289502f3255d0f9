//! The metric families this daemon exposes, named, described and labelled
//! exactly as upstream Tetragon does, so its dashboards and alerts work
//! unchanged. Label names are listed in the order they are written out:
//! sorted by name, as Go's client writes them.
//!
//! Every family is produced at scrape time by a collector that reads the
//! daemon's own counters; `Samples` turns values into a `MetricFamily`.

use prometheus::{
    core::Desc,
    proto::{self, LabelPair, Metric, MetricFamily, MetricType},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
}

/// One metric family: the contract with existing dashboards.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    /// Sorted by name; sample values are given in this order.
    pub labels: &'static [&'static str],
}

impl Family {
    pub fn desc(&self) -> Desc {
        Desc::new(
            self.name.to_string(),
            self.help.to_string(),
            self.labels.iter().map(|l| l.to_string()).collect(),
            Default::default(),
        )
        .unwrap_or_else(|e| panic!("metric family {}: {e}", self.name))
    }

    pub fn samples(&'static self) -> Samples {
        Samples {
            family: self,
            metrics: Vec::new(),
        }
    }

    /// A family without labels, with its one sample.
    pub fn single(&'static self, value: f64) -> MetricFamily {
        let mut s = self.samples();
        s.add(&[], value);
        s.finish()
    }
}

/// Samples of one family being collected.
pub struct Samples {
    family: &'static Family,
    metrics: Vec<Metric>,
}

impl Samples {
    /// One sample; `values` in the order of the family's label names.
    pub fn add(&mut self, values: &[&str], value: f64) {
        debug_assert_eq!(
            values.len(),
            self.family.labels.len(),
            "{}",
            self.family.name
        );
        let labels = self
            .family
            .labels
            .iter()
            .zip(values)
            .map(|(name, value)| {
                let mut pair = LabelPair::default();
                pair.set_name(name.to_string());
                pair.set_value(value.to_string());
                pair
            })
            .collect();
        let mut metric = Metric::from_label(labels);
        match self.family.kind {
            Kind::Counter => {
                let mut c = proto::Counter::default();
                c.set_value(value);
                metric.set_counter(c);
            }
            Kind::Gauge => {
                let mut g = proto::Gauge::default();
                g.set_value(value);
                metric.set_gauge(g);
            }
        }
        self.metrics.push(metric);
    }

    pub fn finish(self) -> MetricFamily {
        let mut mf = MetricFamily::default();
        mf.set_name(self.family.name.to_string());
        mf.set_help(self.family.help.to_string());
        mf.set_field_type(match self.family.kind {
            Kind::Counter => MetricType::COUNTER,
            Kind::Gauge => MetricType::GAUGE,
        });
        mf.set_metric(self.metrics);
        mf
    }
}

const fn counter(
    name: &'static str,
    help: &'static str,
    labels: &'static [&'static str],
) -> Family {
    Family {
        name,
        help,
        kind: Kind::Counter,
        labels,
    }
}

const fn gauge(name: &'static str, help: &'static str, labels: &'static [&'static str]) -> Family {
    Family {
        name,
        help,
        kind: Kind::Gauge,
        labels,
    }
}

// Events metrics (the labels the label filter acts on are the process labels:
// binary, namespace, node_name, pod, workload).

pub static EVENTS_TOTAL: Family = counter(
    "tetragon_events_total",
    "The total number of Tetragon events",
    &[
        "binary",
        "namespace",
        "node_name",
        "pod",
        "type",
        "workload",
    ],
);
pub static POLICY_EVENTS_TOTAL: Family = counter(
    "tetragon_policy_events_total",
    "Policy events calls observed.",
    &[
        "binary",
        "hook",
        "namespace",
        "node_name",
        "pod",
        "policy",
        "workload",
    ],
);

// Health metrics.

pub static EVENTS_MISSING_PROCESS_INFO_TOTAL: Family = counter(
    "tetragon_events_missing_process_info_total",
    "Number of events missing process info.",
    &[],
);
pub static ERRORS_TOTAL: Family = counter(
    "tetragon_errors_total",
    "The total number of Tetragon errors. For internal use only.",
    &["error"],
);
pub static HANDLER_ERRORS_TOTAL: Family = counter(
    "tetragon_handler_errors_total",
    "The total number of event handler errors. For internal use only.",
    &["error", "opcode"],
);
pub static BPF_MISSED_EVENTS_TOTAL: Family = counter(
    "tetragon_bpf_missed_events_total",
    "Number of Tetragon perf events that are failed to be sent from the kernel.",
    &["error", "msg_op"],
);
pub static RINGBUF_EVENTS_RECEIVED_TOTAL: Family = counter(
    "tetragon_observer_ringbuf_events_received_total",
    "Number of perf events Tetragon ring buffer received.",
    &[],
);
pub static RINGBUF_EVENTS_LOST_TOTAL: Family = counter(
    "tetragon_observer_ringbuf_events_lost_total",
    "Number of perf events Tetragon ring buffer lost.",
    &[],
);
pub static NOTIFY_OVERFLOWED_EVENTS_TOTAL: Family = counter(
    "tetragon_notify_overflowed_events_total",
    "The total number of events dropped because listener buffer was full",
    &[],
);
pub static EXPORT_RATELIMIT_EVENTS_DROPPED_TOTAL: Family = counter(
    "tetragon_export_ratelimit_events_dropped_total",
    "Number of events dropped on export due to rate limiting",
    &[],
);
pub static EVENTS_EXPORTED_TOTAL: Family = counter(
    "tetragon_events_exported_total",
    "Total number of events exported",
    &[],
);
pub static EVENTS_EXPORTED_BYTES_TOTAL: Family = counter(
    "tetragon_events_exported_bytes_total",
    "Number of bytes exported for events",
    &[],
);
pub static PROCESS_CACHE_SIZE: Family = gauge(
    "tetragon_process_cache_size",
    "The size of the process cache",
    &[],
);
pub static PROCESS_CACHE_CAPACITY: Family = gauge(
    "tetragon_process_cache_capacity",
    "The capacity of the process cache. Expected to be constant.",
    &[],
);
pub static PROCESS_CACHE_EVICTIONS_TOTAL: Family = counter(
    "tetragon_process_cache_evictions_total",
    "Number of process cache LRU evictions. This includes all evictions: both explicit and capacity (implicit).",
    &[],
);
pub static PROCESS_CACHE_MISSES_TOTAL: Family = counter(
    "tetragon_process_cache_misses_total",
    "Number of process cache misses.",
    &["operation"],
);
pub static MAP_ENTRIES: Family = gauge(
    "tetragon_map_entries",
    "The total number of in-use entries per map.",
    &["map"],
);
pub static MAP_CAPACITY: Family = gauge(
    "tetragon_map_capacity",
    "Capacity of a BPF map. Expected to be constant.",
    &["map"],
);
pub static TRACINGPOLICY_LOADED: Family = gauge(
    "tetragon_tracingpolicy_loaded",
    "The number of loaded tracing policy by state.",
    &["state"],
);
pub static TRACINGPOLICY_KERNEL_MEMORY_BYTES: Family = gauge(
    "tetragon_tracingpolicy_kernel_memory_bytes",
    "The amount of kernel memory in bytes used by policy's sensors non-shared BPF maps (memlock).",
    &["policy", "policy_namespace"],
);
pub static OVERHEAD_PROGRAM_RUNS_TOTAL: Family = counter(
    "tetragon_overhead_program_runs_total",
    "The total number of times BPF program was executed.",
    &["attach", "policy", "policy_namespace", "section", "sensor"],
);
pub static OVERHEAD_PROGRAM_SECONDS_TOTAL: Family = counter(
    "tetragon_overhead_program_seconds_total",
    "The total time of BPF program running.",
    &["attach", "policy", "policy_namespace", "section", "sensor"],
);
pub static BUILD_INFO: Family = gauge(
    "tetragon_build_info",
    "Build information about tetragon",
    &["commit", "go_version", "modified", "time", "version"],
);
/// Upstream's HTTP handler reports its own failures under this name.
pub static HANDLER_SCRAPE_ERRORS_TOTAL: Family = counter(
    "promhttp_metric_handler_errors_total",
    "Total number of internal errors encountered by the promhttp metric handler.",
    &["cause"],
);

// Resource metrics, as Go's process collector names them.

pub static PROCESS_CPU_SECONDS_TOTAL: Family = counter(
    "process_cpu_seconds_total",
    "Total user and system CPU time spent in seconds.",
    &[],
);
pub static PROCESS_RESIDENT_MEMORY_BYTES: Family = gauge(
    "process_resident_memory_bytes",
    "Resident memory size in bytes.",
    &[],
);
pub static PROCESS_VIRTUAL_MEMORY_BYTES: Family = gauge(
    "process_virtual_memory_bytes",
    "Virtual memory size in bytes.",
    &[],
);
pub static PROCESS_VIRTUAL_MEMORY_MAX_BYTES: Family = gauge(
    "process_virtual_memory_max_bytes",
    "Maximum amount of virtual memory available in bytes.",
    &[],
);
pub static PROCESS_OPEN_FDS: Family =
    gauge("process_open_fds", "Number of open file descriptors.", &[]);
pub static PROCESS_MAX_FDS: Family = gauge(
    "process_max_fds",
    "Maximum number of open file descriptors.",
    &[],
);
pub static PROCESS_START_TIME_SECONDS: Family = gauge(
    "process_start_time_seconds",
    "Start time of the process since unix epoch in seconds.",
    &[],
);

// Pod association: events held for their pod, and the pod sources.
pub static EVENT_CACHE_ENTRIES: Family = gauge(
    "tetragon_event_cache_entries",
    "Events of container processes held now until their pod is known.",
    &[],
);
pub static EVENT_CACHE_HELD_TOTAL: Family = counter(
    "tetragon_event_cache_held_total",
    "Events held until their pod was known, or their hold ended.",
    &[],
);
pub static EVENT_CACHE_RELEASED_TOTAL: Family = counter(
    "tetragon_event_cache_released_total",
    "Held events released, by why: pod_found, not_a_pod (a runtime listing showed no pod has the container), expired (--event-cache-retries ran out), hold_full.",
    &["reason"],
);
pub static CRI_ERRORS_TOTAL: Family = counter(
    "tetragon_cri_errors_total",
    "Failed connections and calls to the container runtime (CRI); each is retried.",
    &[],
);
pub static CRI_LISTINGS_TOTAL: Family = counter(
    "tetragon_cri_listings_total",
    "Complete listings of the container runtime's pods and containers.",
    &[],
);
pub static CRI_CONNECTED: Family = gauge(
    "tetragon_cri_connected",
    "1 while the last call to the container runtime (CRI) succeeded.",
    &[],
);
pub static K8S_API_ERRORS_TOTAL: Family = counter(
    "tetragon_k8s_api_errors_total",
    "Kubernetes API configuration, list and watch errors; each is retried.",
    &[],
);
pub static K8S_API_EVENTS_TOTAL: Family = counter(
    "tetragon_k8s_api_events_total",
    "Watch events received from the Kubernetes API server.",
    &[],
);
pub static K8S_POLICY_ERRORS_TOTAL: Family = counter(
    "tetragon_k8s_policy_errors_total",
    "TracingPolicy resources from the API server that could not be loaded.",
    &[],
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_sorted_as_written_out() {
        for f in [
            &EVENTS_TOTAL,
            &POLICY_EVENTS_TOTAL,
            &HANDLER_ERRORS_TOTAL,
            &BPF_MISSED_EVENTS_TOTAL,
            &TRACINGPOLICY_KERNEL_MEMORY_BYTES,
            &OVERHEAD_PROGRAM_RUNS_TOTAL,
            &OVERHEAD_PROGRAM_SECONDS_TOTAL,
            &BUILD_INFO,
        ] {
            assert!(f.labels.is_sorted(), "{}", f.name);
            f.desc();
        }
    }
}
