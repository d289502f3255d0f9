//! Tracing policy metrics: how many policies are in each state, and the
//! kernel memory each one's maps hold. Read at scrape time from whatever
//! keeps the policies, through `PolicySource`.

use std::{collections::BTreeMap, sync::Arc};

use prometheus::{
    core::{Collector, Desc},
    proto::MetricFamily,
};
use tetragon_api::tetragon::{TracingPolicyState, TracingPolicyStatus};

use super::families::{TRACINGPOLICY_KERNEL_MEMORY_BYTES, TRACINGPOLICY_LOADED};

/// Lists the tracing policies for the metrics. Called at scrape time on a
/// blocking thread (never on the event path), so it may wait briefly, e.g.
/// with `blocking_lock` or `blocking_recv`; it should not wait long.
pub trait PolicySource: Send + Sync {
    fn policies(&self) -> Vec<TracingPolicyStatus>;
}

impl<F> PolicySource for F
where
    F: Fn() -> Vec<TracingPolicyStatus> + Send + Sync,
{
    fn policies(&self) -> Vec<TracingPolicyStatus> {
        self()
    }
}

/// The states upstream writes out, always, in its order.
const STATES: [TracingPolicyState; 6] = [
    TracingPolicyState::TpStateLoadError,
    TracingPolicyState::TpStateError,
    TracingPolicyState::TpStateDisabled,
    TracingPolicyState::TpStateEnabled,
    TracingPolicyState::TpStateSkipped,
    TracingPolicyState::TpStatePartiallyEnabled,
];

/// `TP_STATE_LOAD_ERROR` -> `load_error`, as upstream labels states.
fn state_label(state: TracingPolicyState) -> String {
    let name = state.as_str_name();
    name.strip_prefix("TP_STATE_")
        .unwrap_or(name)
        .to_ascii_lowercase()
}

pub struct PolicyCollector {
    source: Option<Arc<dyn PolicySource>>,
    descs: Vec<Desc>,
}

impl PolicyCollector {
    pub fn new(source: Option<Arc<dyn PolicySource>>) -> Self {
        PolicyCollector {
            source,
            descs: vec![
                TRACINGPOLICY_LOADED.desc(),
                TRACINGPOLICY_KERNEL_MEMORY_BYTES.desc(),
            ],
        }
    }
}

impl Collector for PolicyCollector {
    fn desc(&self) -> Vec<&Desc> {
        self.descs.iter().collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let policies = self
            .source
            .as_ref()
            .map(|s| s.policies())
            .unwrap_or_default();
        let mut by_state = [0u64; STATES.len()];
        let mut memory: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        for p in &policies {
            if let Some(i) = STATES.iter().position(|s| *s as i32 == p.state) {
                by_state[i] += 1;
            }
            *memory
                .entry((p.name.as_str(), p.namespace.as_str()))
                .or_default() += p.kernel_memory_bytes;
        }
        let mut loaded = TRACINGPOLICY_LOADED.samples();
        for (state, n) in STATES.iter().zip(by_state) {
            loaded.add(&[&state_label(*state)], n as f64);
        }
        let mut mem = TRACINGPOLICY_KERNEL_MEMORY_BYTES.samples();
        for ((name, namespace), bytes) in memory {
            mem.add(&[name, namespace], bytes as f64);
        }
        vec![loaded.finish(), mem.finish()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_labelled_as_upstream() {
        let labels: Vec<_> = STATES.iter().map(|s| state_label(*s)).collect();
        assert_eq!(
            labels,
            [
                "load_error",
                "error",
                "disabled",
                "enabled",
                "skipped",
                "partially_enabled"
            ]
        );
    }

    #[test]
    fn counts_policies_by_state() {
        let policy = |name: &str, state: TracingPolicyState, mem: u64| TracingPolicyStatus {
            name: name.into(),
            state: state as i32,
            kernel_memory_bytes: mem,
            ..Default::default()
        };
        let source = move || {
            vec![
                policy("a", TracingPolicyState::TpStateEnabled, 4096),
                policy("b", TracingPolicyState::TpStateEnabled, 0),
                policy("c", TracingPolicyState::TpStateLoadError, 0),
            ]
        };
        let c = PolicyCollector::new(Some(Arc::new(source)));
        let families = c.collect();
        let loaded = &families[0];
        let value = |state: &str| {
            loaded
                .get_metric()
                .iter()
                .find(|m| m.get_label()[0].value() == state)
                .map(|m| m.get_gauge().get_value())
        };
        assert_eq!(value("enabled"), Some(2.0));
        assert_eq!(value("load_error"), Some(1.0));
        assert_eq!(value("disabled"), Some(0.0));
        assert_eq!(families[1].get_metric().len(), 3);
    }
}
