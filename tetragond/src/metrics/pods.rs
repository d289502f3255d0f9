//! Pod association metrics: the event hold and the pod sources.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use prometheus::{
    core::{Collector, Desc},
    proto::MetricFamily,
};

use super::families::{
    CRI_CONNECTED, CRI_ERRORS_TOTAL, CRI_LISTINGS_TOTAL, EVENT_CACHE_ENTRIES,
    EVENT_CACHE_HELD_TOTAL, EVENT_CACHE_RELEASED_TOTAL, Family, K8S_API_ERRORS_TOTAL,
    K8S_API_EVENTS_TOTAL, K8S_POLICY_ERRORS_TOTAL,
};
use crate::{events::pod_hold::HoldStats, pods::sources::PodSourceStats};

const FAMILIES: [&Family; 9] = [
    &EVENT_CACHE_ENTRIES,
    &EVENT_CACHE_HELD_TOTAL,
    &EVENT_CACHE_RELEASED_TOTAL,
    &CRI_ERRORS_TOTAL,
    &CRI_LISTINGS_TOTAL,
    &CRI_CONNECTED,
    &K8S_API_ERRORS_TOTAL,
    &K8S_API_EVENTS_TOTAL,
    &K8S_POLICY_ERRORS_TOTAL,
];

pub struct PodsCollector {
    hold: Arc<HoldStats>,
    sources: Arc<PodSourceStats>,
    descs: Vec<Desc>,
}

impl PodsCollector {
    pub fn new(hold: Arc<HoldStats>, sources: Arc<PodSourceStats>) -> Self {
        PodsCollector {
            hold,
            sources,
            descs: FAMILIES.iter().map(|f| f.desc()).collect(),
        }
    }
}

fn read(counter: &AtomicU64) -> f64 {
    counter.load(Ordering::Relaxed) as f64
}

impl Collector for PodsCollector {
    fn desc(&self) -> Vec<&Desc> {
        self.descs.iter().collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let h = &self.hold;
        let s = &self.sources;
        let mut released = EVENT_CACHE_RELEASED_TOTAL.samples();
        released.add(&["pod_found"], read(&h.resolved));
        released.add(&["not_a_pod"], read(&h.not_a_pod));
        released.add(&["expired"], read(&h.expired));
        released.add(&["hold_full"], read(&h.overflow));
        vec![
            EVENT_CACHE_ENTRIES.single(read(&h.holding)),
            EVENT_CACHE_HELD_TOTAL.single(read(&h.held)),
            released.finish(),
            CRI_ERRORS_TOTAL.single(read(&s.cri.errors)),
            CRI_LISTINGS_TOTAL.single(read(&s.cri.listings)),
            CRI_CONNECTED.single(f64::from(u8::from(s.cri.connected.load(Ordering::Relaxed)))),
            K8S_API_ERRORS_TOTAL.single(read(&s.api.errors)),
            K8S_API_EVENTS_TOTAL.single(read(&s.api.events)),
            K8S_POLICY_ERRORS_TOTAL.single(read(&s.policy_errors)),
        ]
    }
}
