//! The kernel-to-bus path: drain the ring buffer, decode each record, turn
//! it into an event with the process cache, publish it. Nothing here waits
//! on a consumer.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use tetragon_api::tetragon::{GetEventsResponse, ProcessInternal};
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, warn};

use crate::{
    bpf::{base_sensor::BaseSensor, records::Record, ringbuf::RingBufReader},
    bus::EventBus,
    events::{
        builder::EventBuilder,
        pod_hold::{HoldStats, PodHold},
    },
    metrics::EventMetrics,
};

/// Counters the observer keeps for health, status and metrics.
#[derive(Default)]
pub struct ObserverStats {
    pub records_received: AtomicU64,
    pub decode_errors: AtomicU64,
    /// Records the kernel dropped because the ring buffer was full.
    pub kernel_lost: AtomicU64,
    pub cache_size: AtomicU64,
    pub cache_evictions: AtomicU64,
    pub cache_misses: AtomicU64,
    pub running: AtomicBool,
    /// Events held for their pod's information.
    pub pod_hold: Arc<HoldStats>,
}

/// Questions for the observer, which alone owns the process cache.
pub enum Request {
    DumpProcessCache(oneshot::Sender<Vec<ProcessInternal>>),
}

/// How often kernel-side counters are read into the stats.
const STATS_INTERVAL: Duration = Duration::from_secs(1);

/// Where built events go: held until their pod is known when need be,
/// counted, published on the bus.
pub struct Outlet {
    pub bus: EventBus,
    pub metrics: Option<Arc<EventMetrics>>,
    pub pod_hold: Option<PodHold>,
}

impl Outlet {
    fn send(&mut self, event: GetEventsResponse) {
        let event = match &mut self.pod_hold {
            Some(hold) => hold.offer(event, Instant::now()),
            None => Some(event),
        };
        if let Some(event) = event {
            publish(&self.bus, &self.metrics, event);
        }
    }

    /// Sends the held events whose wait is over.
    fn release_held(&mut self) {
        if let Some(hold) = &mut self.pod_hold {
            hold.release(Instant::now(), |e| publish(&self.bus, &self.metrics, e));
        }
    }
}

fn publish(bus: &EventBus, metrics: &Option<Arc<EventMetrics>>, event: GetEventsResponse) {
    if let Some(m) = metrics {
        m.observe(&event);
    }
    bus.publish(event);
}

pub async fn run(
    mut reader: RingBufReader,
    sensor: BaseSensor,
    mut builder: EventBuilder,
    mut outlet: Outlet,
    stats: Arc<ObserverStats>,
    mut requests: mpsc::Receiver<Request>,
) -> anyhow::Result<()> {
    stats.running.store(true, Ordering::Relaxed);
    let mut last_stats = Instant::now();
    let result = loop {
        let batch = reader.read_batch(|data| {
            stats.records_received.fetch_add(1, Ordering::Relaxed);
            match Record::decode(data) {
                Ok(record) => {
                    if let Some(event) = builder.handle(record) {
                        outlet.send(event);
                    }
                }
                Err(e) => {
                    stats.decode_errors.fetch_add(1, Ordering::Relaxed);
                    debug!(error = %e, "dropping an undecodable record");
                }
            }
        });
        if let Err(e) = batch.await {
            warn!(error = %e, "ring buffer reader stopped");
            break Err(e);
        }
        outlet.release_held();
        while let Ok(request) = requests.try_recv() {
            match request {
                Request::DumpProcessCache(reply) => {
                    let dump = builder
                        .cache()
                        .dump()
                        .into_iter()
                        .map(|(process, refs)| ProcessInternal {
                            process: Some(process),
                            refcnt: Some(refs.into()),
                            ..Default::default()
                        })
                        .collect();
                    let _ = reply.send(dump);
                }
            }
        }
        if last_stats.elapsed() >= STATS_INTERVAL {
            last_stats = Instant::now();
            let cache = builder.cache_stats();
            stats
                .kernel_lost
                .store(sensor.lost_records(), Ordering::Relaxed);
            stats.cache_size.store(cache.size as u64, Ordering::Relaxed);
            stats
                .cache_evictions
                .store(cache.evictions, Ordering::Relaxed);
            stats.cache_misses.store(cache.misses, Ordering::Relaxed);
        }
    };
    stats.running.store(false, Ordering::Relaxed);
    result
}
