//! `tetra getevents -o compact`: one short, human-readable line per event.
//!
//! The line is `<icon> <verb padded to 7> <source> <binary> <details>`, optionally preceded by
//! the event time and followed by a `🛑 CAP_SYS_ADMIN` trailer, kernel/user stack traces and IMA
//! hashes. It follows Tetragon's own encoder byte for byte, including its spacing quirks (an
//! empty detail still leaves its separating space, and with colours the empty caps trailer still
//! pads the line to 120 bytes) and its colours:
//!
//! | part | colour |
//! | --- | --- |
//! | icon and verb | blue (red for `throttle`) |
//! | source (pod or node) | green |
//! | binary, caps trailer | magenta |
//! | details (arguments, paths, sockets, bpf attributes) | cyan |
//! | exit status or signal | red |
//! | loader path | yellow |
//! | stack frame: address / symbol / offset | green / blue / yellow |
//!
//! Where this module knowingly differs from upstream's current source:
//! - a plain space never causes quoting (see [`maybe_quote`]);
//! - the caps trailer appears when the effective set *contains* CAP_SYS_ADMIN (upstream tests
//!   the list's indices, so it shows for any list longer than 21 entries);
//! - `☎  syscall` prints the syscall name only, without upstream's argument signature;
//! - with colours, the reset code that upstream writes after the last stack-trace newline comes
//!   before the newline the caller adds (the text has no trailing newline);
//! - events upstream cannot encode (no process, unknown kind) are skipped, not fatal.
//!
//! Every string that comes from the event is passed through [`maybe_quote`]: printed as is when
//! all its characters are printable, otherwise quoted and escaped like Go's `strconv.Quote`, so an
//! event can never smuggle a control sequence into the terminal.

mod args;
mod color;
mod events;
#[cfg(test)]
mod fixtures;
mod ima;
mod kprobe;
mod layout;
mod printable;
mod quote;
mod stack;
mod syscalls;
mod timestamp;

use std::borrow::Cow;

use tetragon_api::tetragon::GetEventsResponse;

pub use color::ColorMode;
pub use quote::{maybe_quote, quote};

use color::RESET;
use timestamp::format_utc;

/// Why an event has no compact line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The response holds no event at all.
    #[error("invalid event")]
    NoEvent,
    /// The event has no `process`.
    #[error("process field is not set")]
    MissingProcess,
    /// An event kind the compact form does not print (e.g. `rate_limit_info`).
    #[error("unknown event type")]
    UnknownEventType,
}

/// Encodes events as the compact one-liners of `tetra getevents -o compact`.
#[derive(Clone, Copy, Debug)]
pub struct CompactEncoder {
    color: bool,
    timestamps: bool,
    stack_traces: bool,
    ima_hash: bool,
}

impl CompactEncoder {
    /// `color`: already resolved (see [`ColorMode::resolve`]); `timestamps`: prefix each line
    /// with the event time; `stack_traces`: print kprobe stack traces after the line.
    /// IMA hashes of LSM events are printed too (upstream's `--ima-hash` default); see
    /// [`with_ima_hash`](Self::with_ima_hash).
    pub fn new(color: bool, timestamps: bool, stack_traces: bool) -> Self {
        CompactEncoder {
            color,
            timestamps,
            stack_traces,
            ima_hash: true,
        }
    }

    /// Whether to print the IMA hash line of LSM events (default: on).
    pub fn with_ima_hash(mut self, ima_hash: bool) -> Self {
        self.ima_hash = ima_hash;
        self
    }

    /// The text for one event: the line (then stack-trace and IMA lines, if any), without a
    /// trailing newline; `None` for events the compact form does not print (no event, an
    /// event without its process, or a kind it does not know).
    pub fn encode(&self, ev: &GetEventsResponse) -> Option<String> {
        self.try_encode(ev).ok()
    }

    /// As [`encode`](Self::encode), saying why an event is not printed.
    pub fn try_encode(&self, ev: &GetEventsResponse) -> Result<String, EncodeError> {
        let line = self.event_line(ev)?;
        let mut text = if self.timestamps {
            let (seconds, nanos) = ev.time.map_or((0, 0), |t| (t.seconds, t.nanos));
            format!("{} {line}", format_utc(seconds, nanos))
        } else {
            line
        };

        // Upstream writes the line and its newline, then these blocks, each of whose lines ends
        // in a newline (inside the colour codes when coloured). The caller adds one newline after
        // the text, so the block's last newline is dropped.
        let mut extra = String::new();
        if self.stack_traces {
            self.stack_trace_block(ev, &mut extra);
        }
        if self.ima_hash {
            self.ima_block(ev, &mut extra);
        }
        if !extra.is_empty() {
            text.push('\n');
            text.push_str(&drop_last_newline(&extra));
        }
        Ok(text)
    }
}

/// Drops the block's final newline, which sits either at the very end or just before the
/// last colour reset.
fn drop_last_newline(block: &str) -> Cow<'_, str> {
    if let Some(rest) = block.strip_suffix('\n') {
        return Cow::Borrowed(rest);
    }
    match block
        .strip_suffix(RESET)
        .and_then(|rest| rest.strip_suffix('\n'))
    {
        Some(rest) => Cow::Owned(format!("{rest}{RESET}")),
        None => Cow::Borrowed(block),
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{ev, line};
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn escaping_applies_to_every_event_string() {
        let evil = "a\x1b[2J\nb";
        let quoted = "\"a\\x1b[2J\\nb\"";
        let file = json!({"file_arg": {"path": evil}});
        let process = json!({"binary": evil, "arguments": evil});
        let exec = line(json!({"process_exec": {"process": process}, "node_name": evil}));
        assert_eq!(exec, format!("🚀 process {quoted} {quoted} {quoted}"));
        let pod_process = json!({"binary": "/b", "pod": {"namespace": evil, "name": "p"}});
        let exec = line(json!({"process_exec": {"process": pod_process}}));
        assert_eq!(exec, format!("🚀 process {quoted}/p /b "));
        let fd = line(json!({"process_kprobe": {"process": {"binary": "/b"},
            "function_name": "fd_install", "args": [{}, file]}, "node_name": "n"}));
        assert_eq!(fd, format!("📬 open    n /b {quoted}"));
        let unknown = line(json!({"process_kprobe": {"process": {"binary": "/b"},
            "function_name": evil}, "node_name": "n"}));
        assert_eq!(unknown, format!("❓ syscall n /b {quoted}"));
    }

    /// Every kind of event, every kprobe function, with every argument shape: no panic, and with
    /// colours off no control character other than the newlines between lines.
    #[test]
    fn never_panics_nor_leaks_control_characters() {
        let evil = "x\x1b]0;pwn\x07\r\u{9b}31m";
        let args = [
            json!({}),
            json!({"string_arg": evil}),
            json!({"int_arg": 2}),
            json!({"int_arg": 4}),
            json!({"uint_arg": 7}),
            json!({"size_arg": "18446744073709551615"}),
            json!({"long_arg": "-9223372036854775808"}),
            json!({"file_arg": {"path": evil}}),
            json!({"path_arg": {"path": evil}}),
            json!({"linux_binprm_arg": {"path": evil}}),
            json!({"sock_arg": {"saddr": evil, "daddr": evil, "sport": 1, "dport": 2}}),
            json!({"bpf_attr_arg": {"ProgType": evil, "ProgName": evil, "InsnCnt": 1}}),
            json!({"perf_event_arg": {"KprobeFunc": evil, "Type": evil}}),
            json!({"bpf_map_arg": {"MapType": evil, "MapName": evil}}),
            json!({"syscall_id": {"id": 4_000_000_000u32, "abi": evil}}),
        ];
        let functions = [
            "fd_install",
            "sys_openat",
            "__x64_sys_open",
            "sys_write",
            "sys_read",
            "sys_close",
            "sys_mount",
            "sys_pivot_root",
            "sys_setuid",
            "sys_clock_settime",
            "sys_setns",
            "proc_exec_connector",
            "tcp_connect",
            "tcp_close",
            "tcp_sendmsg",
            "bpf_check",
            "security_perf_event_alloc",
            "security_bpf_map_alloc",
            "security_bpf_map_create",
            "security_file_permission",
            "security_mmap_file",
            "security_path_truncate",
            "security_file_truncate",
            "file_open",
            "bprm_check_security",
            evil,
        ];
        let process = json!({"binary": evil, "arguments": evil,
            "cap": {"effective": ["CAP_SYS_ADMIN"]}});
        let mut events = vec![
            json!({"process_exec": {"process": process}}),
            json!({"process_exit": {"process": process, "signal": evil}}),
            json!({"process_loader": {"process": process, "path": evil, "buildid": "AAE="}}),
            json!({"process_uprobe": {"process": process, "path": evil, "symbol": evil}}),
            json!({"process_usdt": {"process": process, "path": evil, "provider": evil, "name": evil}}),
            json!({"process_throttle": {"type": "THROTTLE_UNKNOWN", "cgroup": evil}}),
            json!({"process_tracepoint": {"process": process, "subsys": evil, "event": evil}}),
        ];
        let stack = json!([{"address": "1", "offset": "2", "symbol": evil, "module": evil}]);
        for function in functions {
            for n in 0..=3 {
                for arg in &args {
                    let list: Vec<Value> = (0..n).map(|_| arg.clone()).collect();
                    events.push(json!({"process_kprobe": {"process": process,
                        "function_name": function, "args": list,
                        "kernel_stack_trace": stack, "user_stack_trace": stack}}));
                    events.push(json!({"process_lsm": {"process": process,
                        "function_name": function, "args": list, "ima_hash": evil}}));
                    events.push(json!({"process_tracepoint": {"process": process,
                        "subsys": "raw_syscalls", "event": "sys_enter", "args": list}}));
                }
            }
        }
        for color in [false, true] {
            let enc = CompactEncoder::new(color, true, true);
            for event in &events {
                let mut event = ev(event.clone());
                event.node_name = evil.to_owned();
                let text = enc.encode(&event).expect("printed");
                if !color {
                    assert!(
                        !text
                            .chars()
                            .any(|c| c != '\n' && (c.is_control() || c == '\u{9b}')),
                        "{text:?}"
                    );
                }
            }
        }
    }
}
