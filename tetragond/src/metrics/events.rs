//! Counting events by type and by the process they concern
//! (`tetragon_events_total`), and policy events by policy and hook
//! (`tetragon_policy_events_total`), with the label filter applied.
//!
//! `EventMetrics::observe` is on the event path: the observer calls it once
//! per event. It allocates nothing for a label set it has seen before: one
//! hash of the label values, a shared (read) lock and an atomic add. Only a
//! new label set takes the exclusive lock, briefly.
//!
//! Cardinality: as upstream, the labels are the event's binary, pod,
//! namespace, workload and node name; on a busy host the binaries alone can
//! make thousands of series. Each family is bounded at `MAX_SERIES` label
//! sets; past that, events with a new label set are counted with their
//! process labels (binary, namespace, pod, workload) empty, so the totals
//! per type, node, policy and hook stay exact. Removing labels with
//! `--metrics-label-filter` is the way to keep well under the bound.

use std::{
    collections::HashMap,
    hash::{BuildHasher, BuildHasherDefault, Hasher},
    sync::{
        PoisonError, RwLock,
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
    },
};

use prometheus::{core::Desc, proto::MetricFamily};
use tetragon_api::tetragon::{GetEventsResponse, get_events_response::Event};
use tracing::warn;

use super::families::{EVENTS_MISSING_PROCESS_INFO_TOTAL, EVENTS_TOTAL, POLICY_EVENTS_TOTAL};

/// Upstream's default for `--metrics-label-filter`: every process label but
/// `node_name`.
pub const DEFAULT_LABEL_FILTER: &str = "namespace,workload,pod,binary";

/// Label sets kept per family before new ones are folded (see the module
/// documentation).
pub const MAX_SERIES: usize = 16 * 1024;

/// Which process labels carry their value. A disabled label is still
/// written, with an empty value, as upstream does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelFilter {
    pub namespace: bool,
    pub workload: bool,
    pub pod: bool,
    pub binary: bool,
    pub node_name: bool,
}

impl LabelFilter {
    /// The labels the filter can turn off.
    pub const LABELS: [&'static str; 5] = ["namespace", "workload", "pod", "binary", "node_name"];

    /// Parses a comma-separated list of enabled labels, as upstream does:
    /// names are trimmed and unknown ones are ignored (and returned, so the
    /// caller can warn). An empty list is the default,
    /// `DEFAULT_LABEL_FILTER` (`--metrics-label-filter` unset enables every
    /// label, as the documented flag says; upstream's flag has that list as
    /// its default value).
    pub fn parse(list: &str) -> (LabelFilter, Vec<String>) {
        if list.split(',').all(|n| n.trim().is_empty()) {
            return Self::parse(DEFAULT_LABEL_FILTER);
        }
        let mut filter = LabelFilter {
            namespace: false,
            workload: false,
            pod: false,
            binary: false,
            node_name: false,
        };
        let mut unknown = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "namespace" => filter.namespace = true,
                "workload" => filter.workload = true,
                "pod" => filter.pod = true,
                "binary" => filter.binary = true,
                "node_name" => filter.node_name = true,
                other => unknown.push(other.to_string()),
            }
        }
        (filter, unknown)
    }

    fn keep(enabled: bool, value: &str) -> &str {
        if enabled { value } else { "" }
    }
}

/// The process labels of one event, after the filter.
struct ProcessLabels<'a> {
    binary: &'a str,
    namespace: &'a str,
    node_name: &'a str,
    pod: &'a str,
    workload: &'a str,
}

/// Per-event counters; shared between the observer (which calls
/// `observe`) and the metrics collector (which reads them).
pub struct EventMetrics {
    filter: LabelFilter,
    /// binary, namespace, node_name, pod, type, workload
    events: SeriesTable<6>,
    /// binary, hook, namespace, node_name, pod, policy, workload
    policy_events: SeriesTable<7>,
    missing_process_info: AtomicU64,
    descs: Vec<Desc>,
}

impl EventMetrics {
    pub fn new(filter: LabelFilter) -> EventMetrics {
        Self::with_limit(filter, MAX_SERIES)
    }

    /// As `new`, with another bound on the label sets of each family.
    pub fn with_limit(filter: LabelFilter, max_series: usize) -> EventMetrics {
        EventMetrics {
            filter,
            events: SeriesTable::new(
                EVENTS_TOTAL.name,
                max_series,
                [true, true, false, true, false, true],
            ),
            policy_events: SeriesTable::new(
                POLICY_EVENTS_TOTAL.name,
                max_series,
                [true, false, true, false, true, false, true],
            ),
            missing_process_info: AtomicU64::new(0),
            descs: vec![
                EVENTS_TOTAL.desc(),
                POLICY_EVENTS_TOTAL.desc(),
                EVENTS_MISSING_PROCESS_INFO_TOTAL.desc(),
            ],
        }
    }

    pub fn label_filter(&self) -> LabelFilter {
        self.filter
    }

    /// Counts one event. Cheap enough for the event path; never blocks for
    /// longer than another thread needs to add a new label set.
    pub fn observe(&self, ev: &GetEventsResponse) {
        let f = self.filter;
        let process = ev.process();
        if process.is_none() {
            self.missing_process_info.fetch_add(1, Ordering::Relaxed);
        }
        let pod = process.and_then(|p| p.pod.as_ref());
        let labels = ProcessLabels {
            binary: LabelFilter::keep(f.binary, process.map_or("", |p| p.binary.as_str())),
            namespace: LabelFilter::keep(f.namespace, pod.map_or("", |p| p.namespace.as_str())),
            node_name: LabelFilter::keep(f.node_name, &ev.node_name),
            pod: LabelFilter::keep(f.pod, pod.map_or("", |p| p.name.as_str())),
            workload: LabelFilter::keep(f.workload, pod.map_or("", |p| p.workload.as_str())),
        };
        let event_type = ev
            .event
            .as_ref()
            .map_or("unhandled", |e| e.event_type().as_str_name());
        self.events.inc([
            labels.binary,
            labels.namespace,
            labels.node_name,
            labels.pod,
            event_type,
            labels.workload,
        ]);
        if let Some((policy, hook)) = ev.event.as_ref().and_then(policy_hook) {
            self.policy_events.inc([
                labels.binary,
                &hook,
                labels.namespace,
                labels.node_name,
                labels.pod,
                policy,
                labels.workload,
            ]);
        }
    }

    pub(crate) fn descs(&self) -> Vec<&Desc> {
        self.descs.iter().collect()
    }

    pub(crate) fn collect(&self) -> Vec<MetricFamily> {
        let mut events = EVENTS_TOTAL.samples();
        self.events
            .for_each(|labels, n| events.add(labels, n as f64));
        let mut policy = POLICY_EVENTS_TOTAL.samples();
        self.policy_events
            .for_each(|labels, n| policy.add(labels, n as f64));
        vec![
            events.finish(),
            policy.finish(),
            EVENTS_MISSING_PROCESS_INFO_TOTAL
                .single(self.missing_process_info.load(Ordering::Relaxed) as f64),
        ]
    }
}

/// The policy and hook of an event a policy produced, named as upstream
/// names hooks: `kprobe:<function>`, `tracepoint:<subsys>/<event>`,
/// `uprobe:<path>/<symbol>`, `lsm:<hook>`, `usdt:<provider>/<name>`.
fn policy_hook(event: &Event) -> Option<(&str, String)> {
    let (policy, hook) = match event {
        Event::ProcessKprobe(e) => (&e.policy_name, format!("kprobe:{}", e.function_name)),
        Event::ProcessTracepoint(e) => (
            &e.policy_name,
            format!("tracepoint:{}/{}", e.subsys, e.event),
        ),
        Event::ProcessUprobe(e) => (&e.policy_name, format!("uprobe:{}/{}", e.path, e.symbol)),
        Event::ProcessLsm(e) => (&e.policy_name, format!("lsm:{}", e.function_name)),
        Event::ProcessUsdt(e) => (&e.policy_name, format!("usdt:{}/{}", e.provider, e.name)),
        Event::ProcessExec(_)
        | Event::ProcessExit(_)
        | Event::ProcessLoader(_)
        | Event::ProcessThrottle(_)
        | Event::Test(_)
        | Event::RateLimitInfo(_) => return None,
    };
    (!policy.is_empty()).then_some((policy.as_str(), hook))
}

/// The map below is keyed by hashes already: no need to hash them again.
#[derive(Default)]
struct KeyIsHash(u64);

impl Hasher for KeyIsHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; fold anything else in all the same.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Counters keyed by a fixed number of label values, bounded in size.
struct SeriesTable<const N: usize> {
    name: &'static str,
    /// Seeded per table, so label values chosen to collide cannot be
    /// prepared in advance.
    hasher: foldhash::fast::RandomState,
    /// Keyed by the hash of the label values; a bucket holds the (rare)
    /// label sets whose hashes collide.
    series: RwLock<HashMap<u64, Vec<Series<N>>, BuildHasherDefault<KeyIsHash>>>,
    len: AtomicUsize,
    limit: usize,
    /// The labels emptied for label sets past the limit.
    fold: [bool; N],
    folded: AtomicBool,
}

struct Series<const N: usize> {
    labels: [Box<str>; N],
    count: AtomicU64,
}

impl<const N: usize> Series<N> {
    fn is(&self, labels: &[&str; N]) -> bool {
        // Empty values (filtered labels) are common: comparing lengths
        // first keeps them from reaching memcmp, which is slow on the
        // dangling pointer an empty `Box<str>` has (a masked vector load
        // from an unmapped page).
        self.labels
            .iter()
            .zip(labels)
            .all(|(a, b)| a.len() == b.len() && (a.is_empty() || **a == **b))
    }
}

impl<const N: usize> SeriesTable<N> {
    fn new(name: &'static str, limit: usize, fold: [bool; N]) -> Self {
        SeriesTable {
            name,
            hasher: foldhash::fast::RandomState::default(),
            series: RwLock::default(),
            len: AtomicUsize::new(0),
            limit,
            fold,
            folded: AtomicBool::new(false),
        }
    }

    fn inc(&self, labels: [&str; N]) {
        let hash = self.hasher.hash_one(labels);
        if self.try_inc(hash, &labels) {
            return;
        }
        if self.len.load(Ordering::Relaxed) >= self.limit {
            let mut folded = labels;
            for (value, fold) in folded.iter_mut().zip(self.fold) {
                if fold {
                    *value = "";
                }
            }
            if !self.folded.swap(true, Ordering::Relaxed) {
                warn!(
                    metric = self.name,
                    limit = self.limit,
                    "too many label sets: counting new ones without their process labels; \
                     --metrics-label-filter can drop labels"
                );
            }
            let hash = self.hasher.hash_one(folded);
            if !self.try_inc(hash, &folded) {
                self.insert(hash, folded);
            }
            return;
        }
        self.insert(hash, labels);
    }

    fn try_inc(&self, hash: u64, labels: &[&str; N]) -> bool {
        let series = self.series.read().unwrap_or_else(PoisonError::into_inner);
        match series
            .get(&hash)
            .and_then(|bucket| bucket.iter().find(|s| s.is(labels)))
        {
            Some(s) => {
                s.count.fetch_add(1, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    fn insert(&self, hash: u64, labels: [&str; N]) {
        let mut series = self.series.write().unwrap_or_else(PoisonError::into_inner);
        let bucket = series.entry(hash).or_default();
        // Another thread may have added it since the shared lock was let go.
        if let Some(s) = bucket.iter().find(|s| s.is(&labels)) {
            s.count.fetch_add(1, Ordering::Relaxed);
            return;
        }
        bucket.push(Series {
            labels: labels.map(Box::from),
            count: AtomicU64::new(1),
        });
        self.len.fetch_add(1, Ordering::Relaxed);
    }

    fn for_each(&self, mut f: impl FnMut(&[&str], u64)) {
        let series = self.series.read().unwrap_or_else(PoisonError::into_inner);
        for s in series.values().flatten() {
            let labels = s.labels.each_ref().map(|l| &**l);
            f(&labels, s.count.load(Ordering::Relaxed));
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.len.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tetragon_api::tetragon::{Pod, Process, ProcessExec, ProcessKprobe, ProcessTracepoint};

    fn process(binary: &str, pod: Option<(&str, &str, &str)>) -> Option<Process> {
        Some(Process {
            binary: binary.into(),
            pod: pod.map(|(namespace, name, workload)| Pod {
                namespace: namespace.into(),
                name: name.into(),
                workload: workload.into(),
                ..Default::default()
            }),
            ..Default::default()
        })
    }

    fn exec(binary: &str) -> GetEventsResponse {
        GetEventsResponse {
            node_name: "node1".into(),
            event: Some(Event::ProcessExec(ProcessExec {
                process: process(binary, Some(("default", "xwing", "deathstar"))),
                ..Default::default()
            })),
            ..Default::default()
        }
    }

    fn counts(m: &EventMetrics) -> Vec<(Vec<String>, u64)> {
        let mut out = Vec::new();
        m.events.for_each(|l, n| {
            out.push((l.iter().map(|s| s.to_string()).collect(), n));
        });
        out.sort();
        out
    }

    #[test]
    fn parses_the_filter_as_upstream() {
        let (all, unknown) = LabelFilter::parse(DEFAULT_LABEL_FILTER);
        assert!(unknown.is_empty());
        assert!(all.namespace && all.workload && all.pod && all.binary && !all.node_name);

        assert_eq!(LabelFilter::parse("").0, all);
        assert_eq!(LabelFilter::parse(" , ,").0, all);

        let (none, unknown) = LabelFilter::parse("none");
        assert!(!none.namespace && !none.workload && !none.pod && !none.binary);
        assert_eq!(unknown, ["none"]);

        let (some, unknown) = LabelFilter::parse("namespace , workload ,ppod,, binary");
        assert!(some.namespace && some.workload && !some.pod && some.binary);
        assert_eq!(unknown, ["ppod"]);
    }

    #[test]
    fn counts_each_event_once_under_its_labels() {
        let m = EventMetrics::new(LabelFilter::parse(DEFAULT_LABEL_FILTER).0);
        for _ in 0..3 {
            m.observe(&exec("/bin/cat"));
        }
        m.observe(&exec("/bin/ls"));
        let labels = |b: &str| -> Vec<String> {
            [b, "default", "", "xwing", "PROCESS_EXEC", "deathstar"]
                .map(String::from)
                .to_vec()
        };
        assert_eq!(
            counts(&m),
            vec![(labels("/bin/cat"), 3), (labels("/bin/ls"), 1)]
        );
    }

    #[test]
    fn disabled_labels_are_empty() {
        let m = EventMetrics::new(LabelFilter::parse("namespace,node_name").0);
        m.observe(&exec("/bin/cat"));
        m.observe(&exec("/bin/ls"));
        let expected = ["", "default", "node1", "", "PROCESS_EXEC", ""].map(String::from);
        assert_eq!(counts(&m), vec![(expected.to_vec(), 2)]);
    }

    #[test]
    fn events_without_a_process_or_an_event_are_counted() {
        let m = EventMetrics::new(LabelFilter::parse(DEFAULT_LABEL_FILTER).0);
        m.observe(&GetEventsResponse::default());
        assert_eq!(m.missing_process_info.load(Ordering::Relaxed), 1);
        assert_eq!(
            counts(&m),
            vec![(
                ["", "", "", "", "unhandled", ""].map(String::from).to_vec(),
                1
            )]
        );
    }

    #[test]
    fn policy_events_carry_policy_and_hook() {
        let m = EventMetrics::new(LabelFilter::parse(DEFAULT_LABEL_FILTER).0);
        let kprobe = GetEventsResponse {
            event: Some(Event::ProcessKprobe(ProcessKprobe {
                process: process("/bin/cat", None),
                function_name: "fd_install".into(),
                policy_name: "fd-install".into(),
                ..Default::default()
            })),
            ..Default::default()
        };
        let tracepoint = GetEventsResponse {
            event: Some(Event::ProcessTracepoint(ProcessTracepoint {
                process: process("/bin/cat", None),
                subsys: "syscalls".into(),
                event: "sys_enter_openat".into(),
                policy_name: "open".into(),
                ..Default::default()
            })),
            ..Default::default()
        };
        let unnamed = GetEventsResponse {
            event: Some(Event::ProcessKprobe(ProcessKprobe::default())),
            ..Default::default()
        };
        m.observe(&kprobe);
        m.observe(&kprobe);
        m.observe(&tracepoint);
        m.observe(&unnamed);
        let mut seen = Vec::new();
        m.policy_events.for_each(|l, n| {
            seen.push((l[1].to_string(), l[5].to_string(), n));
        });
        seen.sort();
        assert_eq!(
            seen,
            [
                ("kprobe:fd_install".into(), "fd-install".into(), 2),
                (
                    "tracepoint:syscalls/sys_enter_openat".into(),
                    "open".into(),
                    1
                ),
            ]
        );
    }

    #[test]
    fn label_sets_past_the_bound_lose_their_process_labels() {
        let m = EventMetrics::with_limit(LabelFilter::parse(DEFAULT_LABEL_FILTER).0, 2);
        for i in 0..10 {
            m.observe(&exec(&format!("/bin/b{i}")));
        }
        m.observe(&exec("/bin/b0"));
        assert_eq!(m.events.len(), 3);
        let c = counts(&m);
        let folded = ["", "", "", "", "PROCESS_EXEC", ""]
            .map(String::from)
            .to_vec();
        assert!(c.contains(&(folded, 8)), "{c:?}");
        assert_eq!(c.iter().map(|(_, n)| n).sum::<u64>(), 11);
    }
}
