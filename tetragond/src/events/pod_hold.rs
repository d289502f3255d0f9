//! Holds events of container processes whose pod is not known yet, so they
//! leave with pod information instead of without (`--event-cache-retries`,
//! `--event-cache-retry-delay`).
//!
//! A held event leaves as soon as its pod is known, once a runtime listing
//! begun after it shows its container is no pod's (a plain Docker container),
//! or when its retries run out; the hold is bounded and every outcome is
//! counted. Events of one container leave in the order they came.

use std::{
    collections::{HashMap, VecDeque},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use tetragon_api::tetragon::GetEventsResponse;
use tokio::sync::{Notify, watch};

use crate::pods::store::PodStore;

#[derive(Debug, Default)]
pub struct HoldStats {
    pub held: AtomicU64,
    /// Events held now.
    pub holding: AtomicU64,
    pub resolved: AtomicU64,
    pub expired: AtomicU64,
    /// Released because a runtime listing showed no pod has the container.
    pub not_a_pod: AtomicU64,
    /// Released without a pod because the hold was full.
    pub overflow: AtomicU64,
}

#[derive(Debug, Clone, Copy)]
pub struct HoldConfig {
    pub retries: u32,
    pub delay: Duration,
    pub capacity: usize,
}

struct Held {
    event: GetEventsResponse,
    container: String,
    since: Instant,
}

pub struct PodHold {
    store: Arc<PodStore>,
    config: HoldConfig,
    queue: VecDeque<Held>,
    /// Held events per container.
    waiting: HashMap<String, usize>,
    stats: Arc<HoldStats>,
    /// Asks the runtime source to list now.
    wake: Option<Arc<Notify>>,
    /// Tells when the store changes: held events are looked at again then,
    /// else only every `RECHECK`.
    changes: watch::Receiver<u64>,
    next_check: Option<Instant>,
}

/// How often held events are looked at when the store has not changed (a
/// runtime listing that finds nothing new, a retry coming due).
const RECHECK: Duration = Duration::from_millis(100);

impl PodHold {
    pub fn new(
        store: Arc<PodStore>,
        config: HoldConfig,
        stats: Arc<HoldStats>,
        wake: Option<Arc<Notify>>,
    ) -> Self {
        PodHold {
            changes: store.subscribe(),
            store,
            config,
            queue: VecDeque::new(),
            waiting: HashMap::new(),
            stats,
            wake,
            next_check: None,
        }
    }

    /// Takes `event`: gives it back when it may leave now, else holds it.
    pub fn offer(&mut self, event: GetEventsResponse, now: Instant) -> Option<GetEventsResponse> {
        let container = match waiting_container(&event) {
            Some(c) => c,
            None => {
                // Behind an earlier event of its container, it waits too.
                let c = event.process().map(|p| p.docker.as_str());
                match c {
                    Some(c) if self.waiting.contains_key(c) => c.to_string(),
                    _ => return Some(event),
                }
            }
        };
        // Full: the oldest leaves without its pod, in its place in line.
        let overflowed = if self.queue.len() >= self.config.capacity.max(1) {
            self.queue.pop_front().map(|oldest| {
                self.stats.overflow.fetch_add(1, Ordering::Relaxed);
                self.forget(&oldest.container);
                oldest.event
            })
        } else {
            None
        };
        let first_of_container = !self.waiting.contains_key(&container);
        *self.waiting.entry(container.clone()).or_default() += 1;
        self.queue.push_back(Held {
            event,
            container,
            since: now,
        });
        self.stats.held.fetch_add(1, Ordering::Relaxed);
        self.stats
            .holding
            .store(self.queue.len() as u64, Ordering::Relaxed);
        if first_of_container && let Some(wake) = &self.wake {
            wake.notify_one();
        }
        overflowed
    }

    /// Events that may leave now, in order: their pod became known, their
    /// container is known to be no pod's, or their time is up.
    pub fn release(&mut self, now: Instant, mut out: impl FnMut(GetEventsResponse)) {
        if self.queue.is_empty() {
            return;
        }
        let changed = self.changes.has_changed().unwrap_or(false);
        if !changed && self.next_check.is_some_and(|t| now < t) {
            return;
        }
        self.changes.borrow_and_update();
        self.next_check = Some(now + RECHECK);
        let expiry = self.config.delay * self.config.retries;
        let mut kept = VecDeque::with_capacity(self.queue.len());
        while let Some(mut held) = self.queue.pop_front() {
            let pod = self.store.lookup(&held.container);
            let outcome = if let Some(pod) = pod {
                fill_pod(&mut held.event, &held.container, &pod);
                Some(&self.stats.resolved)
            } else if self.store.listed_since(held.since) {
                Some(&self.stats.not_a_pod)
            } else if now.duration_since(held.since) >= expiry {
                Some(&self.stats.expired)
            } else {
                None
            };
            match outcome {
                Some(counter) => {
                    counter.fetch_add(1, Ordering::Relaxed);
                    self.forget(&held.container);
                    out(held.event);
                }
                None => kept.push_back(held),
            }
        }
        self.queue = kept;
        self.stats
            .holding
            .store(self.queue.len() as u64, Ordering::Relaxed);
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    fn forget(&mut self, container: &str) {
        if let Some(n) = self.waiting.get_mut(container) {
            *n -= 1;
            if *n == 0 {
                self.waiting.remove(container);
            }
        }
    }
}

/// The container whose pod `event` waits for: its process is in a
/// container and has no pod yet.
fn waiting_container(event: &GetEventsResponse) -> Option<String> {
    let p = event.process()?;
    (!p.docker.is_empty() && p.pod.is_none()).then(|| p.docker.clone())
}

/// Gives the event's process, and its parent when in the same container,
/// the pod found.
fn fill_pod(event: &mut GetEventsResponse, container: &str, pod: &tetragon_api::tetragon::Pod) {
    if let Some(p) = event.process_mut() {
        p.pod = Some(pod.clone());
    }
    if let Some(parent) = event.parent_mut()
        && parent.docker == container
        && parent.pod.is_none()
    {
        parent.pod = Some(pod.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pods::model::{ContainerMeta, PodMeta};
    use tetragon_api::tetragon::{Process, ProcessExec, ProcessExit, get_events_response::Event};

    const C: &str = "0123456789abcdef0123456789abcde";

    fn process(docker: &str, pid: u32) -> Option<Process> {
        Some(Process {
            docker: docker.into(),
            pid: Some(pid.into()),
            ..Default::default()
        })
    }

    fn response(event: Event) -> GetEventsResponse {
        GetEventsResponse {
            event: Some(event),
            ..Default::default()
        }
    }

    fn exec(docker: &str, pid: u32) -> GetEventsResponse {
        response(Event::ProcessExec(ProcessExec {
            process: process(docker, pid),
            ..Default::default()
        }))
    }

    fn exit(docker: &str, pid: u32) -> GetEventsResponse {
        response(Event::ProcessExit(ProcessExit {
            process: process(docker, pid),
            ..Default::default()
        }))
    }

    fn hold(store: &Arc<PodStore>, capacity: usize) -> (PodHold, Arc<HoldStats>) {
        let stats = Arc::new(HoldStats::default());
        let config = HoldConfig {
            retries: 3,
            delay: Duration::from_secs(1),
            capacity,
        };
        (
            PodHold::new(Arc::clone(store), config, Arc::clone(&stats), None),
            stats,
        )
    }

    fn pod_of(e: &GetEventsResponse) -> Option<String> {
        e.process()
            .and_then(|p| p.pod.as_ref().map(|p| p.name.clone()))
    }

    fn learn_xwing(store: &PodStore) {
        store.upsert_pod(PodMeta {
            uid: "u".into(),
            namespace: "default".into(),
            name: "xwing".into(),
            ..Default::default()
        });
        store.upsert_container(ContainerMeta {
            id: format!("{C}0123456789abcdef0123456789abcdef0"),
            pod_uid: "u".into(),
            ..Default::default()
        });
    }

    #[test]
    fn host_events_pass_and_container_events_wait_for_their_pod() {
        let store = Arc::new(PodStore::new());
        let (mut h, stats) = hold(&store, 100);
        let t0 = Instant::now();
        assert!(h.offer(exec("", 1), t0).is_some(), "a host process");
        assert!(h.offer(exec(C, 2), t0).is_none());
        assert!(h.offer(exit(C, 2), t0).is_none(), "queued behind the exec");
        let mut out = Vec::new();
        h.release(t0, |e| out.push(e));
        assert!(out.is_empty());
        learn_xwing(&store);
        h.release(t0, |e| out.push(e));
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|e| pod_of(e).as_deref() == Some("xwing")));
        assert!(
            matches!(out[0].event, Some(Event::ProcessExec(_))),
            "in order"
        );
        assert_eq!(stats.resolved.load(Ordering::Relaxed), 2);
        assert!(h.is_empty());
    }

    #[test]
    fn events_leave_without_a_pod_when_time_is_up_or_no_pod_has_the_container() {
        let store = Arc::new(PodStore::new());
        let (mut h, stats) = hold(&store, 100);
        let t0 = Instant::now();
        assert!(h.offer(exec(C, 2), t0).is_none());
        let mut out = Vec::new();
        h.release(t0 + Duration::from_secs(2), |e| out.push(e));
        assert!(out.is_empty());
        h.release(t0 + Duration::from_secs(3), |e| out.push(e));
        assert_eq!(out.len(), 1);
        assert_eq!(pod_of(&out[0]), None);
        assert_eq!(stats.expired.load(Ordering::Relaxed), 1);

        let t1 = t0 + Duration::from_secs(10);
        assert!(h.offer(exec(C, 3), t1).is_none());
        // A listing begun after the event, without its container.
        store.listed(t1 + Duration::from_millis(1));
        h.release(t1 + Duration::from_millis(200), |e| out.push(e));
        assert_eq!(out.len(), 2);
        assert_eq!(stats.not_a_pod.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn a_full_hold_lets_the_oldest_go() {
        let store = Arc::new(PodStore::new());
        let (mut h, stats) = hold(&store, 2);
        let t0 = Instant::now();
        assert!(h.offer(exec(C, 1), t0).is_none());
        assert!(h.offer(exec(C, 2), t0).is_none());
        let out = h.offer(exec(C, 3), t0).expect("the oldest leaves");
        assert_eq!(out.process().unwrap().pid.unwrap().value, 1);
        assert_eq!(h.len(), 2);
        assert_eq!(stats.overflow.load(Ordering::Relaxed), 1);
    }
}
