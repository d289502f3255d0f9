//! The kernel and user stack traces printed after a kprobe's line (`--stack-traces`).

use tetragon_api::tetragon::GetEventsResponse;
use tetragon_api::tetragon::get_events_response::Event;

use super::CompactEncoder;
use super::color::Paint;
use super::quote::maybe_quote;

impl CompactEncoder {
    /// Upstream's stack-trace block for kprobes: `Kernel:` then one frame a line, then `User:`
    /// and the user frames; every line ends in a newline (inside the last colour).
    pub(super) fn stack_trace_block(&self, ev: &GetEventsResponse, out: &mut String) {
        let Some(Event::ProcessKprobe(kprobe)) = &ev.event else {
            return;
        };
        if !kprobe.kernel_stack_trace.is_empty() {
            out.push_str("Kernel:\n");
            for frame in &kprobe.kernel_stack_trace {
                out.push_str(&self.paint(Paint::Green, &format!("   0x{:x}:", frame.address)));
                out.push_str(&self.paint(Paint::Blue, &format!(" {}", maybe_quote(&frame.symbol))));
                out.push('+');
                out.push_str(&self.paint(Paint::Yellow, &format!("0x{:x}\n", frame.offset)));
            }
        }
        if !kprobe.user_stack_trace.is_empty() {
            out.push_str("User:\n");
            for frame in &kprobe.user_stack_trace {
                out.push_str(&self.paint(Paint::Green, &format!("   0x{:x}:", frame.address)));
                if !frame.symbol.is_empty() {
                    let symbol = format!(" {}", maybe_quote(&frame.symbol));
                    out.push_str(&self.paint(Paint::Blue, &symbol));
                }
                let module = format!(" ({}+0x{:x})\n", maybe_quote(&frame.module), frame.offset);
                out.push_str(&self.paint(Paint::Yellow, &module));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::compact::fixtures::{ev, plain};
    use serde_json::json;

    fn stack_event() -> GetEventsResponse {
        ev(json!({"process_kprobe": {
            "process": {"binary": "/usr/bin/curl"},
            "function_name": "kfree_skb_reason",
            "kernel_stack_trace": [
                {"address": "18446670264256120896", "offset": "272", "symbol": "skb_release_head_state"},
                {"address": "18446670264257081512", "offset": "88", "symbol": "ip_protocol_deliver_rcu"},
            ],
        }, "node_name": "my-node"}))
    }

    #[test]
    fn kernel_stack_traces() {
        let event = stack_event();
        assert_eq!(
            plain().encode(&event).unwrap(),
            "❓ syscall my-node /usr/bin/curl kfree_skb_reason\nKernel:\n   \
             0xffffbcdee5bf4840: skb_release_head_state+0x110\n   \
             0xffffbcdee5cdf0a8: ip_protocol_deliver_rcu+0x58"
        );
        assert_eq!(
            CompactEncoder::new(false, false, false)
                .encode(&event)
                .unwrap(),
            "❓ syscall my-node /usr/bin/curl kfree_skb_reason"
        );
        let colored = CompactEncoder::new(true, false, true)
            .encode(&event)
            .unwrap();
        let frames = colored.split_once("\nKernel:\n").unwrap().1;
        assert_eq!(
            frames,
            "\x1b[32m   0xffffbcdee5bf4840:\x1b[0m\x1b[34m skb_release_head_state\x1b[0m+\x1b[33m0x110\n\x1b[0m\
             \x1b[32m   0xffffbcdee5cdf0a8:\x1b[0m\x1b[34m ip_protocol_deliver_rcu\x1b[0m+\x1b[33m0x58\x1b[0m"
        );
    }

    #[test]
    fn user_stack_traces_and_timestamps() {
        let event = ev(json!({"process_kprobe": {
            "process": {"binary": "/usr/bin/curl"},
            "function_name": "f",
            "kernel_stack_trace": [{"address": "0", "offset": "0", "symbol": "sym"}],
            "user_stack_trace": [
                {"address": "4096", "offset": "16", "symbol": "main", "module": "/usr/bin/curl"},
                {"address": "8192", "offset": "32", "module": "/lib/libc.so.6"},
            ],
        }, "node_name": "n", "time": "2024-04-14T02:18:14.3763042Z"}));
        assert_eq!(
            CompactEncoder::new(false, true, true)
                .encode(&event)
                .unwrap(),
            "2024-04-14T02:18:14.376304200Z ❓ syscall n /usr/bin/curl f\nKernel:\n   0x0: sym+0x0\n\
             User:\n   0x1000: main (/usr/bin/curl+0x10)\n   0x2000: (/lib/libc.so.6+0x20)"
        );
    }
}
