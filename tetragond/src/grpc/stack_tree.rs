//! GetStackTraceTree: per-policy call trees built from the stack traces of
//! the events on the bus (the Post action's `stackTrace` /
//! `kernelStackTrace`), kept for as long as the policy is.
//!
//! A name with no tree is NOT_FOUND unless the caller knows the policy
//! (then the tree is empty: the policy has not collected a trace yet), as
//! upstream's daemon answered "tree does not exist" for an unknown name.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicU64, Ordering},
};

use tetragon_api::{
    stack_tree::{StackTree, StackTrees},
    tetragon::{GetEventsResponse, GetStackTraceTreeResponse},
};
use tonic::Status;

use crate::bus::{Next, Subscriber};

#[derive(Default)]
pub struct StackTraceTrees {
    trees: Mutex<StackTrees>,
    /// Events the feeder missed because it fell behind the bus.
    lost: AtomicU64,
}

impl StackTraceTrees {
    pub fn new() -> Arc<Self> {
        Arc::new(StackTraceTrees::default())
    }

    /// Adds the event's stack trace, if it has one, to its policy's tree.
    pub fn record(&self, ev: &GetEventsResponse) {
        // Most events carry no trace: skip the lock for them.
        if tetragon_api::stack_tree::event_stack(ev).is_none() {
            return;
        }
        self.lock().add_event(ev);
    }

    /// Feeds every event of `events` to the trees until the bus closes.
    pub fn spawn_feeder(self: &Arc<Self>, mut events: Subscriber) -> tokio::task::JoinHandle<()> {
        let trees = self.clone();
        tokio::spawn(async move {
            loop {
                match events.next().await {
                    Next::Event(ev) => trees.record(&ev),
                    Next::Lost(n) => {
                        trees.lost.fetch_add(n, Ordering::Relaxed);
                    }
                    Next::Closed => break,
                }
            }
        })
    }

    /// GetStackTraceTree's answer for `name`. `policy_exists` says whether
    /// a policy of that name is loaded (it may have no trace yet).
    pub fn get(
        &self,
        name: &str,
        policy_exists: bool,
    ) -> Result<GetStackTraceTreeResponse, Status> {
        if name.is_empty() {
            return Err(Status::invalid_argument(
                "GetStackTraceTree needs a tracing policy name",
            ));
        }
        let trees = self.lock();
        let root = match trees.get(name) {
            Some(tree) => tree.to_proto(),
            None if policy_exists => StackTree::new().to_proto(),
            None => {
                return Err(Status::not_found(format!(
                    "no stack trace tree for `{name}`: no tracing policy of that name has collected stack traces"
                )));
            }
        };
        Ok(GetStackTraceTreeResponse { root: Some(root) })
    }

    /// Forgets a policy's tree (call when the policy is deleted).
    pub fn forget(&self, name: &str) {
        self.lock().remove(name);
    }

    /// Events missed by the feeder.
    pub fn lost(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StackTrees> {
        self.trees.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::EventBus;
    use tetragon_api::from_json_line;

    fn kprobe(policy: &str, symbols: &[&str]) -> GetEventsResponse {
        let frames: Vec<String> = symbols
            .iter()
            .map(|s| format!(r#"{{"symbol":"{s}","offset":"8"}}"#))
            .collect();
        from_json_line(&format!(
            r#"{{"process_kprobe":{{"process":{{"binary":"/usr/bin/curl"}},"policy_name":"{policy}","kernel_stack_trace":[{}]}}}}"#,
            frames.join(",")
        ))
        .unwrap()
    }

    #[test]
    fn answers_per_policy_and_not_found_for_unknown_names() {
        let trees = StackTraceTrees::new();
        trees.record(&kprobe("connect", &["tcp_connect", "__sys_connect"]));
        trees.record(&kprobe("connect", &["tcp_connect", "__sys_connect"]));
        trees.record(&from_json_line(r#"{"process_exec":{}}"#).unwrap());

        let root = trees.get("connect", true).unwrap().root.unwrap();
        assert_eq!(root.count, 2);
        let outer = &root.children[0];
        assert_eq!(outer.address.as_ref().unwrap().symbol, "__sys_connect+0x8");
        assert_eq!(outer.children[0].labels[0].key, "/usr/bin/curl");

        // A loaded policy without traces yet: an empty tree.
        let empty = trees.get("quiet", true).unwrap().root.unwrap();
        assert_eq!((empty.count, empty.children.len()), (0, 0));
        // Neither a tree nor a policy.
        let err = trees.get("nope", false).unwrap_err();
        assert_eq!(err.code(), tonic::Code::NotFound);
        assert!(err.message().contains("`nope`"));
        assert_eq!(
            trees.get("", true).unwrap_err().code(),
            tonic::Code::InvalidArgument
        );
        // A tree outlives nothing: deleting the policy forgets it.
        trees.forget("connect");
        assert_eq!(
            trees.get("connect", false).unwrap_err().code(),
            tonic::Code::NotFound
        );
    }

    #[tokio::test]
    async fn the_feeder_reads_the_bus_until_it_closes() {
        let bus = EventBus::new(64);
        let trees = StackTraceTrees::new();
        let feeder = trees.spawn_feeder(bus.subscribe());
        bus.publish(kprobe("p", &["f"]));
        bus.publish(kprobe("p", &["f"]));
        drop(bus);
        feeder.await.unwrap();
        assert_eq!(trees.get("p", false).unwrap().root.unwrap().count, 2);
        assert_eq!(trees.lost(), 0);
    }
}
