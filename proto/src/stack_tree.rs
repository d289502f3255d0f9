//! Call trees aggregated from the stack traces that events carry, for
//! `GetStackTraceTree` and `tetra stacktrace-tree`.
//!
//! Every trace adds one path from the root (the outermost frame first: the
//! user frames, then the kernel frames, down to the hooked function) and
//! counts 1 on each node it passes. Each node also counts the binaries
//! whose traces passed through it (its labels). The root is a frame-less
//! node (address 0, no symbol) counting every trace.
//!
//! Events list frames innermost first (the hooked function is frame 0), as
//! upstream's `kernel_stack_trace` and `user_stack_trace` do. Of the event
//! types, only `process_kprobe` has stack-trace fields in API v1; events
//! without frames add nothing.

use std::collections::BTreeMap;

use crate::tetragon::{
    GetEventsResponse, StackAddress, StackTraceEntry, StackTraceLabel, StackTraceNode,
    get_events_response::Event,
};

/// Nodes one tree may hold; traces that would need more are counted at the
/// root (and under the label [`DROPPED_LABEL`]) but not placed.
pub const MAX_NODES: usize = 100_000;
/// The root's label counting traces that did not fit.
pub const DROPPED_LABEL: &str = "(dropped: tree full)";
/// A binary's name stands for at most this many labels per node; past it,
/// traces count under [`OTHER_LABEL`].
pub const MAX_LABELS: usize = 64;
pub const OTHER_LABEL: &str = "(other binaries)";
/// Frames kept of one trace, the outermost ones (the kernel records at
/// most 127 by default, `kernel.perf_event_max_stack`).
pub const MAX_DEPTH: usize = 256;

/// One frame, ready to be placed in a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Identity across traces: what makes two frames the same node.
    key: FrameKey,
    address: u64,
    /// How the frame is shown: `sym+0x10` (kernel),
    /// `sym (libc.so.6+0x1234)` (user).
    symbol: String,
}

/// Kernel frames are the same frame when symbol and offset match (their
/// addresses are 0 unless the daemon exposes kernel addresses); user
/// frames when module and offset match (addresses move with ASLR). A frame
/// with neither symbol nor module is known by its address alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FrameKey {
    module: String,
    symbol: String,
    offset: u64,
    address: u64,
}

impl Frame {
    pub fn kernel(entry: &StackTraceEntry) -> Frame {
        let symbol = match (entry.symbol.as_str(), entry.offset) {
            ("", _) => String::new(),
            (sym, 0) => sym.to_string(),
            (sym, off) => format!("{sym}+0x{off:x}"),
        };
        Frame::new(entry, symbol)
    }

    pub fn user(entry: &StackTraceEntry) -> Frame {
        let place = match entry.module.as_str() {
            "" => String::new(),
            module => format!("({module}+0x{:x})", entry.offset),
        };
        let symbol = match (entry.symbol.as_str(), place.as_str()) {
            (sym, "") => sym.to_string(),
            ("", place) => place.to_string(),
            (sym, place) => format!("{sym} {place}"),
        };
        Frame::new(entry, symbol)
    }

    fn new(entry: &StackTraceEntry, symbol: String) -> Frame {
        let anonymous = entry.symbol.is_empty() && entry.module.is_empty();
        Frame {
            key: FrameKey {
                module: entry.module.clone(),
                symbol: entry.symbol.clone(),
                offset: if anonymous { 0 } else { entry.offset },
                address: if anonymous { entry.address } else { 0 },
            },
            address: entry.address,
            symbol,
        }
    }
}

/// What an event contributes: its policy, its binary and its frames,
/// outermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventStack<'a> {
    pub policy_name: &'a str,
    pub binary: &'a str,
    pub frames: Vec<Frame>,
}

/// The stack of an event that carries one (`None` for the others).
pub fn event_stack(ev: &GetEventsResponse) -> Option<EventStack<'_>> {
    let Some(Event::ProcessKprobe(kprobe)) = &ev.event else {
        return None;
    };
    if kprobe.kernel_stack_trace.is_empty() && kprobe.user_stack_trace.is_empty() {
        return None;
    }
    let frames = kprobe
        .user_stack_trace
        .iter()
        .rev()
        .map(Frame::user)
        .chain(kprobe.kernel_stack_trace.iter().rev().map(Frame::kernel))
        .collect();
    Some(EventStack {
        policy_name: &kprobe.policy_name,
        binary: kprobe
            .process
            .as_ref()
            .map(|p| p.binary.as_str())
            .unwrap_or(""),
        frames,
    })
}

#[derive(Debug, Default, Clone)]
struct Node {
    address: u64,
    symbol: String,
    count: u64,
    labels: BTreeMap<String, u64>,
    children: BTreeMap<FrameKey, Node>,
}

impl Node {
    fn label(&mut self, label: &str) {
        if label.is_empty() {
            return;
        }
        if let Some(n) = self.labels.get_mut(label) {
            *n += 1;
        } else if self.labels.len() < MAX_LABELS {
            self.labels.insert(label.to_string(), 1);
        } else {
            *self.labels.entry(OTHER_LABEL.to_string()).or_default() += 1;
        }
    }

    /// Children by count (largest first), then by frame.
    fn to_proto(&self) -> StackTraceNode {
        let mut children: Vec<&Node> = self.children.values().collect();
        children.sort_by_key(|c| std::cmp::Reverse(c.count));
        let mut labels: Vec<StackTraceLabel> = self
            .labels
            .iter()
            .map(|(key, &count)| StackTraceLabel {
                key: key.clone(),
                count,
            })
            .collect();
        labels.sort_by_key(|l| std::cmp::Reverse(l.count));
        StackTraceNode {
            address: Some(StackAddress {
                address: self.address,
                symbol: self.symbol.clone(),
            }),
            count: self.count,
            labels,
            children: children.into_iter().map(Node::to_proto).collect(),
        }
    }
}

/// One call tree (one policy's).
#[derive(Debug, Default, Clone)]
pub struct StackTree {
    root: Node,
    nodes: usize,
}

impl StackTree {
    pub fn new() -> Self {
        StackTree::default()
    }

    /// Traces added.
    pub fn traces(&self) -> u64 {
        self.root.count
    }

    /// Nodes below the root.
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    /// Adds one trace, `frames` outermost first, counted for `label` (the
    /// binary). An empty trace adds nothing.
    pub fn add(&mut self, frames: &[Frame], label: &str) {
        if frames.is_empty() {
            return;
        }
        let frames = &frames[..frames.len().min(MAX_DEPTH)];
        if self.nodes + self.new_nodes(frames) > MAX_NODES {
            self.root.count += 1;
            *self
                .root
                .labels
                .entry(DROPPED_LABEL.to_string())
                .or_default() += 1;
            return;
        }
        self.root.count += 1;
        self.root.label(label);
        let mut node = &mut self.root;
        for frame in frames {
            let nodes = &mut self.nodes;
            node = node.children.entry(frame.key.clone()).or_insert_with(|| {
                *nodes += 1;
                Node {
                    address: frame.address,
                    symbol: frame.symbol.clone(),
                    ..Node::default()
                }
            });
            node.count += 1;
            node.label(label);
        }
    }

    /// Adds the event's trace, if it has one; whether it had.
    pub fn add_event(&mut self, ev: &GetEventsResponse) -> bool {
        match event_stack(ev) {
            Some(stack) => {
                self.add(&stack.frames, stack.binary);
                true
            }
            None => false,
        }
    }

    /// Nodes the trace would create.
    fn new_nodes(&self, frames: &[Frame]) -> usize {
        let mut node = &self.root;
        for (depth, frame) in frames.iter().enumerate() {
            match node.children.get(&frame.key) {
                Some(child) => node = child,
                None => return frames.len() - depth,
            }
        }
        0
    }

    pub fn to_proto(&self) -> StackTraceNode {
        self.root.to_proto()
    }
}

/// Trees by policy name, from a stream of events.
#[derive(Debug, Default, Clone)]
pub struct StackTrees {
    trees: BTreeMap<String, StackTree>,
}

impl StackTrees {
    pub fn new() -> Self {
        StackTrees::default()
    }

    /// Adds the event's trace to its policy's tree; whether it had one.
    pub fn add_event(&mut self, ev: &GetEventsResponse) -> bool {
        let Some(stack) = event_stack(ev) else {
            return false;
        };
        let tree = match self.trees.get_mut(stack.policy_name) {
            Some(tree) => tree,
            None => self.trees.entry(stack.policy_name.to_string()).or_default(),
        };
        tree.add(&stack.frames, stack.binary);
        true
    }

    pub fn get(&self, policy_name: &str) -> Option<&StackTree> {
        self.trees.get(policy_name)
    }

    /// Drops a policy's tree (the policy was deleted).
    pub fn remove(&mut self, policy_name: &str) -> Option<StackTree> {
        self.trees.remove(policy_name)
    }

    pub fn policy_names(&self) -> impl Iterator<Item = &str> {
        self.trees.keys().map(String::as_str)
    }
}

/// The tree as text, as upstream's tetra printed it: one node a line,
/// `0x<address> (<symbol>) count:<n>`, four spaces deeper per level, and
/// under each leaf its labels as `<label> count:<n>`.
pub fn render_text(root: &StackTraceNode) -> String {
    let mut out = String::new();
    render_node(root, 0, &mut out);
    out
}

fn render_node(node: &StackTraceNode, depth: usize, out: &mut String) {
    const INDENT: &str = "    ";
    let indent = INDENT.repeat(depth);
    let (address, symbol) = node
        .address
        .as_ref()
        .map(|a| (a.address, a.symbol.as_str()))
        .unwrap_or((0, ""));
    out.push_str(&format!(
        "{indent}0x{address:x} ({symbol}) count:{}\n",
        node.count
    ));
    for child in &node.children {
        render_node(child, depth + 1, out);
    }
    if node.children.is_empty() {
        for label in &node.labels {
            out.push_str(&format!(
                "{indent}{INDENT}{} count:{}\n",
                label.key, label.count
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_json_line;

    fn kernel(symbol: &str, offset: u64) -> StackTraceEntry {
        StackTraceEntry {
            address: 0,
            offset,
            symbol: symbol.into(),
            module: String::new(),
        }
    }

    /// Innermost first, as events list them.
    fn trace(frames: &[(&str, u64)]) -> Vec<Frame> {
        frames
            .iter()
            .rev()
            .map(|(s, o)| Frame::kernel(&kernel(s, *o)))
            .collect()
    }

    #[test]
    fn shared_prefixes_share_nodes_and_counts() {
        let mut tree = StackTree::new();
        let connect = [
            ("tcp_connect", 0x10),
            ("__sys_connect", 0x88),
            ("entry_SYSCALL_64", 0x20),
        ];
        let sendmsg = [
            ("tcp_sendmsg", 0x30),
            ("__sys_sendto", 0x40),
            ("entry_SYSCALL_64", 0x20),
        ];
        tree.add(&trace(&connect), "/usr/bin/curl");
        tree.add(&trace(&connect), "/usr/bin/wget");
        tree.add(&trace(&sendmsg), "/usr/bin/curl");
        assert_eq!(tree.traces(), 3);
        assert_eq!(tree.nodes(), 5);
        let text = render_text(&tree.to_proto());
        assert_eq!(
            text,
            "\
0x0 () count:3
    0x0 (entry_SYSCALL_64+0x20) count:3
        0x0 (__sys_connect+0x88) count:2
            0x0 (tcp_connect+0x10) count:2
                /usr/bin/curl count:1
                /usr/bin/wget count:1
        0x0 (__sys_sendto+0x40) count:1
            0x0 (tcp_sendmsg+0x30) count:1
                /usr/bin/curl count:1
"
        );
    }

    #[test]
    fn children_come_largest_first() {
        let mut tree = StackTree::new();
        tree.add(&trace(&[("a", 0)]), "x");
        tree.add(&trace(&[("b", 0)]), "x");
        tree.add(&trace(&[("b", 0)]), "x");
        let root = tree.to_proto();
        let names: Vec<&str> = root
            .children
            .iter()
            .map(|c| c.address.as_ref().unwrap().symbol.as_str())
            .collect();
        assert_eq!(names, ["b", "a"]);
    }

    #[test]
    fn frames_are_told_apart_by_symbol_and_offset_not_hidden_addresses() {
        let a = Frame::kernel(&kernel("f", 8));
        let b = Frame::kernel(&kernel("f", 16));
        assert_ne!(a.key, b.key);
        // The same user call site in two processes (ASLR moves the address).
        let user = |address| StackTraceEntry {
            address,
            offset: 0x1234,
            symbol: "malloc".into(),
            module: "/usr/lib/libc.so.6".into(),
        };
        let (u1, u2) = (
            Frame::user(&user(0x7f00_0000)),
            Frame::user(&user(0x7e00_0000)),
        );
        assert_eq!(u1.key, u2.key);
        assert_eq!(u1.symbol, "malloc (/usr/lib/libc.so.6+0x1234)");
        // Nothing but an address: the address is the identity.
        let anon = |address| {
            Frame::kernel(&StackTraceEntry {
                address,
                ..Default::default()
            })
        };
        assert_ne!(anon(1).key, anon(2).key);
    }

    #[test]
    fn events_give_user_then_kernel_frames_outermost_first() {
        let ev = from_json_line(
            r#"{"process_kprobe":{"process":{"binary":"/usr/bin/curl"},"policy_name":"connect",
                "kernel_stack_trace":[{"symbol":"tcp_connect","offset":"16"},{"symbol":"__sys_connect","offset":"136"}],
                "user_stack_trace":[{"address":"140000","offset":"4660","symbol":"connect","module":"/usr/lib/libc.so.6"},
                                    {"address":"150000","offset":"32","symbol":"main","module":"/usr/bin/curl"}]}}"#,
        )
        .unwrap();
        let stack = event_stack(&ev).unwrap();
        assert_eq!(stack.policy_name, "connect");
        assert_eq!(stack.binary, "/usr/bin/curl");
        let symbols: Vec<&str> = stack.frames.iter().map(|f| f.symbol.as_str()).collect();
        assert_eq!(
            symbols,
            [
                "main (/usr/bin/curl+0x20)",
                "connect (/usr/lib/libc.so.6+0x1234)",
                "__sys_connect+0x88",
                "tcp_connect+0x10",
            ]
        );
        let exec =
            from_json_line(r#"{"process_exec":{"process":{"binary":"/bin/true"}}}"#).unwrap();
        assert_eq!(event_stack(&exec), None);
        let bare = from_json_line(r#"{"process_kprobe":{"policy_name":"p"}}"#).unwrap();
        assert_eq!(event_stack(&bare), None);
    }

    #[test]
    fn trees_are_kept_per_policy() {
        let line = |policy: &str, symbol: &str| {
            from_json_line(&format!(
                r#"{{"process_kprobe":{{"policy_name":"{policy}","kernel_stack_trace":[{{"symbol":"{symbol}"}}]}}}}"#
            ))
            .unwrap()
        };
        let mut trees = StackTrees::new();
        assert!(trees.add_event(&line("p1", "a")));
        assert!(trees.add_event(&line("p1", "a")));
        assert!(trees.add_event(&line("p2", "b")));
        assert!(!trees.add_event(&GetEventsResponse::default()));
        assert_eq!(trees.get("p1").unwrap().traces(), 2);
        assert_eq!(trees.get("p2").unwrap().traces(), 1);
        assert_eq!(trees.policy_names().collect::<Vec<_>>(), ["p1", "p2"]);
        assert!(trees.remove("p1").is_some());
        assert!(trees.get("p1").is_none());
    }

    #[test]
    fn a_full_tree_counts_what_it_cannot_place() {
        let mut tree = StackTree::new();
        for i in 0..MAX_NODES as u64 {
            tree.add(&[Frame::kernel(&kernel("f", i))], "x");
        }
        assert_eq!(tree.nodes(), MAX_NODES);
        tree.add(&trace(&[("other", 0)]), "x");
        // An existing path still fits.
        tree.add(&trace(&[("f", 0)]), "x");
        assert_eq!(tree.traces(), MAX_NODES as u64 + 2);
        assert_eq!(tree.nodes(), MAX_NODES);
        let root = tree.to_proto();
        assert!(
            root.labels
                .iter()
                .any(|l| l.key == DROPPED_LABEL && l.count == 1)
        );
    }

    #[test]
    fn only_the_outermost_frames_of_a_deep_trace_are_kept() {
        let mut tree = StackTree::new();
        let frames: Vec<Frame> = (0..MAX_DEPTH as u64 + 50)
            .map(|i| Frame::kernel(&kernel("f", i)))
            .collect();
        tree.add(&frames, "x");
        assert_eq!(tree.nodes(), MAX_DEPTH);
        assert_eq!(render_text(&tree.to_proto()).lines().count(), MAX_DEPTH + 2);
    }

    #[test]
    fn labels_are_bounded() {
        let mut tree = StackTree::new();
        let frames = trace(&[("f", 0)]);
        for i in 0..MAX_LABELS + 10 {
            tree.add(&frames, &format!("/bin/b{i}"));
        }
        let leaf = &tree.to_proto().children[0];
        assert_eq!(leaf.labels.len(), MAX_LABELS + 1);
        assert_eq!(leaf.labels[0].key, OTHER_LABEL);
        assert_eq!(leaf.labels[0].count, 10);
    }
}
