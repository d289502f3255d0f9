//! The line of each kind of event (kprobes have their own module, `kprobe`).

use std::fmt::Write as _;

use tetragon_api::tetragon::get_events_response::Event;
use tetragon_api::tetragon::{
    GetEventsResponse, ProcessExec, ProcessExit, ProcessLoader, ProcessLsm, ProcessThrottle,
    ProcessTracepoint, ProcessUprobe, ProcessUsdt, ThrottleType,
};

use super::color::Paint;
use super::quote::maybe_quote;
use super::syscalls::{DEFAULT_ABI, raw_syscall_name};
use super::{CompactEncoder, EncodeError};

impl CompactEncoder {
    /// The event's line alone: no timestamp, no stack trace.
    pub fn event_line(&self, ev: &GetEventsResponse) -> Result<String, EncodeError> {
        let node = ev.node_name.as_str();
        match ev.event.as_ref().ok_or(EncodeError::NoEvent)? {
            Event::ProcessExec(exec) => self.exec(exec, node),
            Event::ProcessExit(exit) => self.exit(exit, node),
            Event::ProcessKprobe(kprobe) => self.kprobe(kprobe, node),
            Event::ProcessTracepoint(tp) => self.tracepoint(tp, node),
            Event::ProcessLoader(loader) => self.loader(loader, node),
            Event::ProcessUprobe(uprobe) => self.uprobe(uprobe, node),
            Event::ProcessLsm(lsm) => self.lsm(lsm, node),
            Event::ProcessUsdt(usdt) => self.usdt(usdt, node),
            Event::ProcessThrottle(throttle) => Ok(self.throttle(throttle)),
            Event::Test(_) => Ok("TEST EVENT".to_owned()),
            Event::RateLimitInfo(_) => Err(EncodeError::UnknownEventType),
        }
    }

    fn exec(&self, exec: &ProcessExec, node: &str) -> Result<String, EncodeError> {
        let process = exec.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let args = self.cyan(&maybe_quote(&process.arguments));
        Ok(self.finish(self.verb("🚀", "process"), process, node, &[&args]))
    }

    fn exit(&self, exit: &ProcessExit, node: &str) -> Result<String, EncodeError> {
        let process = exit.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let args = self.cyan(&maybe_quote(&process.arguments));
        let status = if exit.signal.is_empty() {
            exit.status.to_string()
        } else {
            maybe_quote(&exit.signal).into_owned()
        };
        let status = self.paint(Paint::Red, &status);
        Ok(self.finish(self.verb("💥", "exit"), process, node, &[&args, &status]))
    }

    fn loader(&self, loader: &ProcessLoader, node: &str) -> Result<String, EncodeError> {
        let process = loader.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        // The build id and the path share one field: `<hex> <path>`, or just `<path>`.
        let mut detail = String::new();
        for byte in &loader.buildid {
            let _ = write!(detail, "{byte:02x}");
        }
        if !detail.is_empty() {
            detail.push(' ');
        }
        detail.push_str(&self.paint(Paint::Yellow, &maybe_quote(&loader.path)));
        Ok(self.finish(self.verb("🧬", "loader"), process, node, &[&detail]))
    }

    fn throttle(&self, throttle: &ProcessThrottle) -> String {
        let verb = self.paint(Paint::Red, &format!("🧬 {:<7}", "throttle"));
        let kind = match ThrottleType::try_from(throttle.r#type) {
            Ok(ThrottleType::ThrottleStart) => self.paint(Paint::Red, "START"),
            Ok(ThrottleType::ThrottleStop) => self.paint(Paint::Green, "STOP "),
            _ => String::new(),
        };
        format!("{verb} {kind} {}", maybe_quote(&throttle.cgroup))
    }

    fn uprobe(&self, uprobe: &ProcessUprobe, node: &str) -> Result<String, EncodeError> {
        let process = uprobe.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let path = maybe_quote(&uprobe.path);
        let symbol = maybe_quote(&uprobe.symbol);
        Ok(self.finish(self.verb("🕵️", "uprobe"), process, node, &[&path, &symbol]))
    }

    fn usdt(&self, usdt: &ProcessUsdt, node: &str) -> Result<String, EncodeError> {
        let process = usdt.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let path = maybe_quote(&usdt.path);
        let provider = maybe_quote(&usdt.provider);
        let name = maybe_quote(&usdt.name);
        let details: [&str; 3] = [&path, &provider, &name];
        Ok(self.finish(self.verb("🕵️", "usdt"), process, node, &details))
    }

    fn lsm(&self, lsm: &ProcessLsm, node: &str) -> Result<String, EncodeError> {
        let process = lsm.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let function = maybe_quote(&lsm.function_name);
        Ok(self.finish(self.verb("🔒", "LSM"), process, node, &[&function]))
    }

    fn tracepoint(&self, tp: &ProcessTracepoint, node: &str) -> Result<String, EncodeError> {
        let process = tp.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        if tp.subsys == "raw_syscalls" && tp.event == "sys_enter" {
            let name = raw_syscall_name(&tp.args, DEFAULT_ABI);
            return Ok(self.finish(self.verb("☎ ", "syscall"), process, node, &[&name]));
        }
        let subsys = maybe_quote(&tp.subsys);
        let event = maybe_quote(&tp.event);
        Ok(self.finish(
            self.verb("⁉️", "tracepoint"),
            process,
            node,
            &[&subsys, &event],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::compact::fixtures::{ev, line, plain, pod_process};
    use serde_json::json;

    #[test]
    fn exec_with_and_without_pod() {
        let exec = json!({
            "process_exec": {"process": {"binary": "/usr/bin/curl", "arguments": "cilium.io"}},
            "node_name": "my-node",
        });
        assert_eq!(line(exec), "🚀 process my-node /usr/bin/curl cilium.io");
        let exec = json!({"process_exec": {"process": pod_process("/usr/bin/curl", "cilium.io")}});
        assert_eq!(
            line(exec),
            "🚀 process kube-system/tetragon /usr/bin/curl cilium.io"
        );
        // Arguments with spaces and quotes are printable: as is.
        let exec = json!({"process_exec": {"process": {
            "binary": "/bin/bash", "arguments": "-c \"cat /etc/shadow\"",
            "pod": {"namespace": "default", "name": "xwing"}}}});
        assert_eq!(
            line(exec),
            "🚀 process default/xwing /bin/bash -c \"cat /etc/shadow\""
        );
        // No arguments: the separating space stays.
        let exec = json!({"process_exec": {"process": {"binary": "/bin/sh",
            "pod": {"namespace": "default", "name": "file-access"}}}});
        assert_eq!(line(exec), "🚀 process default/file-access /bin/sh ");
    }

    #[test]
    fn exit_status_and_signal() {
        let exit = json!({"process_exit": {"process": pod_process("/usr/bin/curl", "cilium.io"),
            "status": 1}});
        assert_eq!(
            line(exit),
            "💥 exit    kube-system/tetragon /usr/bin/curl cilium.io 1"
        );
        let exit = json!({"process_exit": {"process": pod_process("/usr/bin/curl", "cilium.io")}});
        assert_eq!(
            line(exit),
            "💥 exit    kube-system/tetragon /usr/bin/curl cilium.io 0"
        );
        let exit = json!({"process_exit": {"process": {"binary": "/usr/bin/cat",
            "arguments": "/tmp/tetragon"}, "signal": "SIGKILL", "status": 9}, "node_name": "my-node"});
        assert_eq!(
            line(exit),
            "💥 exit    my-node /usr/bin/cat /tmp/tetragon SIGKILL"
        );
    }

    #[test]
    fn events_without_process_or_kind_are_skipped() {
        let enc = plain();
        assert_eq!(
            enc.try_encode(&GetEventsResponse::default()),
            Err(EncodeError::NoEvent)
        );
        for kind in [
            "process_exec",
            "process_exit",
            "process_kprobe",
            "process_tracepoint",
            "process_loader",
            "process_uprobe",
            "process_lsm",
            "process_usdt",
        ] {
            let event = ev(json!({kind: {}, "node_name": "n"}));
            assert_eq!(
                enc.try_encode(&event),
                Err(EncodeError::MissingProcess),
                "{kind}"
            );
            assert_eq!(enc.encode(&event), None);
        }
        let rate = ev(json!({"rate_limit_info": {"number_of_dropped_process_events": "3"}}));
        assert_eq!(enc.try_encode(&rate), Err(EncodeError::UnknownEventType));
        assert_eq!(
            enc.encode(&ev(json!({"test": {}}))).as_deref(),
            Some("TEST EVENT")
        );
    }

    #[test]
    fn tracepoints_uprobes_loader_lsm_usdt_throttle() {
        let process = pod_process("/usr/bin/curl", "");
        assert_eq!(
            line(
                json!({"process_tracepoint": {"process": process, "subsys": "sched",
                "event": "sched_process_fork"}})
            ),
            "⁉️ tracepoint kube-system/tetragon /usr/bin/curl sched sched_process_fork"
        );
        assert_eq!(
            line(
                json!({"process_uprobe": {"process": process, "path": "/usr/lib/libssl.so.3",
                "symbol": "SSL_write"}})
            ),
            "🕵️ uprobe  kube-system/tetragon /usr/bin/curl /usr/lib/libssl.so.3 SSL_write"
        );
        // build id bytes 0x01 0xab 0xff.
        assert_eq!(
            line(
                json!({"process_loader": {"process": process, "path": "/usr/lib/libc.so.6",
                "buildid": "Aav/"}})
            ),
            "🧬 loader  kube-system/tetragon /usr/bin/curl 01abff /usr/lib/libc.so.6"
        );
        assert_eq!(
            line(json!({"process_loader": {"process": process, "path": "/usr/lib/libc.so.6"}})),
            "🧬 loader  kube-system/tetragon /usr/bin/curl /usr/lib/libc.so.6"
        );
        assert_eq!(
            line(json!({"process_lsm": {"process": process, "function_name": "file_open"}})),
            "🔒 LSM     kube-system/tetragon /usr/bin/curl file_open"
        );
        assert_eq!(
            line(
                json!({"process_usdt": {"process": process, "path": "/usr/bin/python3",
                "provider": "python", "name": "function__entry"}})
            ),
            "🕵️ usdt    kube-system/tetragon /usr/bin/curl /usr/bin/python3 python function__entry"
        );
        assert_eq!(
            line(
                json!({"process_throttle": {"type": "THROTTLE_START", "cgroup": "/kubepods/pod1"}})
            ),
            "🧬 throttle START /kubepods/pod1"
        );
        assert_eq!(
            line(
                json!({"process_throttle": {"type": "THROTTLE_STOP", "cgroup": "/kubepods/pod1"}})
            ),
            "🧬 throttle STOP  /kubepods/pod1"
        );
        assert_eq!(line(json!({"process_throttle": {}})), "🧬 throttle  ");
        let unknown = GetEventsResponse {
            event: Some(Event::ProcessThrottle(ProcessThrottle {
                r#type: 7,
                cgroup: "/c".into(),
            })),
            ..Default::default()
        };
        assert_eq!(plain().encode(&unknown).as_deref(), Some("🧬 throttle  /c"));
    }
}
