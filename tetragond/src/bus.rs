//! The event bus: one producer (the observer), many consumers (gRPC
//! clients, the exporter). Bounded: a consumer that falls behind loses the
//! oldest events it has not read, learns how many, and never slows the
//! producer or the other consumers.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use tetragon_api::tetragon::GetEventsResponse;
use tokio::sync::broadcast;

pub type SharedEvent = Arc<GetEventsResponse>;

#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<SharedEvent>,
    published: Arc<AtomicU64>,
    lagged: Arc<AtomicU64>,
}

/// What a subscriber gets next.
pub enum Next {
    Event(SharedEvent),
    /// This many events were lost because the subscriber fell behind.
    Lost(u64),
    Closed,
}

pub struct Subscriber {
    rx: broadcast::Receiver<SharedEvent>,
    lagged: Arc<AtomicU64>,
}

impl EventBus {
    pub fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity.max(16));
        EventBus {
            tx,
            published: Arc::default(),
            lagged: Arc::default(),
        }
    }

    pub fn publish(&self, event: GetEventsResponse) {
        self.published.fetch_add(1, Ordering::Relaxed);
        // No subscriber is not an error: events are then simply not wanted.
        let _ = self.tx.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> Subscriber {
        Subscriber {
            rx: self.tx.subscribe(),
            lagged: self.lagged.clone(),
        }
    }

    pub fn published(&self) -> u64 {
        self.published.load(Ordering::Relaxed)
    }

    /// Events lost by slow subscribers, all subscribers together.
    pub fn lost_by_subscribers(&self) -> u64 {
        self.lagged.load(Ordering::Relaxed)
    }

    /// The counter behind `lost_by_subscribers`, for readers that must not
    /// hold a sender (a sender keeps the bus open).
    pub fn lost_counter(&self) -> Arc<AtomicU64> {
        self.lagged.clone()
    }

    pub fn subscribers(&self) -> usize {
        self.tx.receiver_count()
    }
}

impl Subscriber {
    pub async fn next(&mut self) -> Next {
        match self.rx.recv().await {
            Ok(ev) => Next::Event(ev),
            Err(broadcast::error::RecvError::Lagged(n)) => self.lost(n),
            Err(broadcast::error::RecvError::Closed) => Next::Closed,
        }
    }

    /// The next event if one is already waiting.
    pub fn try_next(&mut self) -> Option<Next> {
        match self.rx.try_recv() {
            Ok(ev) => Some(Next::Event(ev)),
            Err(broadcast::error::TryRecvError::Lagged(n)) => Some(self.lost(n)),
            Err(broadcast::error::TryRecvError::Closed) => Some(Next::Closed),
            Err(broadcast::error::TryRecvError::Empty) => None,
        }
    }

    /// The blocking twin of `next`, for consumers on their own thread.
    pub fn blocking_next(&mut self) -> Next {
        match self.rx.blocking_recv() {
            Ok(ev) => Next::Event(ev),
            Err(broadcast::error::RecvError::Lagged(n)) => self.lost(n),
            Err(broadcast::error::RecvError::Closed) => Next::Closed,
        }
    }

    fn lost(&self, n: u64) -> Next {
        self.lagged.fetch_add(n, Ordering::Relaxed);
        Next::Lost(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slow_subscriber_loses_events_and_is_told_how_many() {
        let bus = EventBus::new(16);
        let mut fast = bus.subscribe();
        let mut slow = bus.subscribe();
        for _ in 0..20 {
            bus.publish(GetEventsResponse::default());
            assert!(matches!(fast.next().await, Next::Event(_)));
        }
        assert!(matches!(slow.next().await, Next::Lost(4)));
        assert_eq!(bus.lost_by_subscribers(), 4);
        let mut rest = 0;
        while let Ok(Next::Event(_)) =
            tokio::time::timeout(std::time::Duration::from_millis(10), slow.next()).await
        {
            rest += 1;
        }
        assert_eq!(rest, 16);
        assert_eq!(bus.published(), 20);
    }
}
