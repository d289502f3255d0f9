//! GetEvents: one bounded stream per client, filtered on the server side.

use std::pin::Pin;

use tetragon_api::{
    field_filter::CompiledFieldFilter,
    filter::EventFilter,
    tetragon::{GetEventsRequest, GetEventsResponse},
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
                // Tell the client how many it missed by reading too slowly.
                Next::Lost(n) => GetEventsResponse::rate_limit_info(&node, Timestamp::now(), n),
                Next::Closed => break,
            };
            if tx.send(Ok(out)).await.is_err() {
                break; // the client went away
            }
        }
    });
    Ok(Box::pin(ReceiverStream::new(rx)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tetragon_api::tetragon::{Filter, Process, ProcessExec, get_events_response::Event};
    use tokio_stream::StreamExt;

    fn exec(binary: &str) -> GetEventsResponse {
        GetEventsResponse {
            event: Some(Event::ProcessExec(ProcessExec {
                process: Some(Process {
                    binary: binary.into(),
                    ..Default::default()
                }),
                ..Default::default()
            })),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn a_client_gets_only_what_its_allow_list_lets_through() {
        let bus = EventBus::new(64);
        let (_stop, shutdown) = watch::channel(false);
        let req = GetEventsRequest {
            allow_list: vec![Filter {
                binary_regex: vec!["curl$".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut stream = subscribe(&bus, "n", req, shutdown).unwrap();
        bus.publish(exec("/bin/ls"));
        bus.publish(exec("/usr/bin/curl"));
        let ev = stream.next().await.unwrap().unwrap();
        assert_eq!(ev.process().unwrap().binary, "/usr/bin/curl");
    }

    #[tokio::test]
    async fn a_slow_client_is_told_how_many_events_it_lost() {
        let bus = EventBus::new(16);
        let (_stop, shutdown) = watch::channel(false);
        let mut stream = subscribe(&bus, "n", GetEventsRequest::default(), shutdown).unwrap();
        let total = CLIENT_QUEUE + 500;
        for i in 0..total {
            bus.publish(exec(&format!("/bin/{i}")));
            // Let the forwarding task run as it would between kernel batches.
            if i % 8 == 0 {
                tokio::task::yield_now().await;
            }
        }
        let (mut delivered, mut lost) = (0, 0);
        while let Ok(Some(ev)) =
            tokio::time::timeout(std::time::Duration::from_millis(100), stream.next()).await
        {
            match ev.unwrap().event {
                Some(Event::RateLimitInfo(info)) => lost += info.number_of_dropped_process_events,
                _ => delivered += 1,
            }
        }
        assert!(lost > 0, "the client was told of no loss");
        assert_eq!(delivered + lost as usize, total);
        assert_eq!(bus.lost_by_subscribers(), lost);
    }

    #[tokio::test]
    async fn streams_end_at_shutdown() {
        let bus = EventBus::new(16);
        let (stop, shutdown) = watch::channel(false);
        let mut stream = subscribe(&bus, "n", GetEventsRequest::default(), shutdown).unwrap();
        stop.send(true).unwrap();
        assert!(stream.next().await.is_none());
    }

    #[test]
    fn a_bad_filter_is_an_invalid_argument() {
        let bus = EventBus::new(16);
        let (_stop, shutdown) = watch::channel(false);
        let req = GetEventsRequest {
            allow_list: vec![Filter {
                pod_regex: vec!["(".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        let Err(status) = subscribe(&bus, "n", req, shutdown) else {
            panic!("accepted a bad regex")
        };
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert!(
            status.message().contains("pod_regex"),
            "{}",
            status.message()
        );
    }
}
