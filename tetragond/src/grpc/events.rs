//! GetEvents: one bounded stream per client, filtered on the server side.

use std::pin::Pin;

use tetragon_api::{
    field_filter::CompiledFieldFilter,
    filter::EventFilter,
    tetragon::{GetEventsRequest, GetEventsResponse, RateLimitInfo, get_events_response::Event},
    wkt::Timestamp,
};
use tokio::sync::{mpsc, watch};
use tokio_stream::{Stream, wrappers::ReceiverStream};
use tonic::Status;

use crate::bus::{EventBus, Next};

pub type EventStream = Pin<Box<dyn Stream<Item = Result<GetEventsResponse, Status>> + Send>>;

/// Events queued for one client before its bus subscription starts to lag.
const CLIENT_QUEUE: usize = 1024;

/// Starts a client's stream; it ends when the client leaves or when
/// `shutdown` turns true.
pub fn subscribe(
    bus: &EventBus,
    node: &str,
    req: GetEventsRequest,
    mut shutdown: watch::Receiver<bool>,
) -> Result<EventStream, Status> {
    let filter = EventFilter::new(&req.allow_list, &req.deny_list)
        .map_err(|e| Status::invalid_argument(e.to_string()))?;
    let field_filters = req
        .field_filters
        .iter()
        .map(CompiledFieldFilter::new)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Status::invalid_argument(e.to_string()))?;
    let mut sub = bus.subscribe();
    let node = node.to_string();
    let (tx, rx) = mpsc::channel(CLIENT_QUEUE);
    tokio::spawn(async move {
        loop {
            let next = tokio::select! {
                next = sub.next() => next,
                _ = shutdown.wait_for(|stop| *stop) => break,
            };
            let out = match next {
                Next::Event(ev) if filter.passes(&ev) => {
                    let mut ev = (*ev).clone();
                    for f in &field_filters {
                        f.apply(&mut ev);
                    }
                    ev
                }
                Next::Event(_) => continue,
                Next::Lost(n) => lost_notice(&node, n),
                Next::Closed => break,
            };
            if tx.send(Ok(out)).await.is_err() {
                break; // the client went away
            }
        }
    });
    Ok(Box::pin(ReceiverStream::new(rx)))
}

/// Tells a client how many events it missed by reading too slowly.
fn lost_notice(node: &str, n: u64) -> GetEventsResponse {
    GetEventsResponse {
        event: Some(Event::RateLimitInfo(RateLimitInfo {
            number_of_dropped_process_events: n,
        })),
        node_name: node.to_string(),
        time: Some(Timestamp::now()),
        ..Default::default()
    }
}
