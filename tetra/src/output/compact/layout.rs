//! The shape every line shares: `<icon> <verb> <source> <binary> <details>`, then the
//! capabilities trailer.

use tetragon_api::tetragon::{CapabilitiesType, Process};

use super::CompactEncoder;
use super::color::Paint;
use super::quote::maybe_quote;

/// Width the line is padded to before the capabilities trailer, counted in bytes (colour
/// codes included), exactly as upstream does.
const CAPS_PAD: usize = 120;

impl CompactEncoder {
    /// `<icon> <verb padded to 7>`, in blue.
    pub(super) fn verb(&self, icon: &str, verb: &str) -> String {
        self.paint(Paint::Blue, &format!("{icon} {verb:<7}"))
    }

    /// `(<source> <binary>, <caps trailer>)`; the trailer is coloured even when empty, as
    /// upstream (so with colours every line gets padded).
    fn process_info(&self, node: &str, process: &Process) -> (String, String) {
        let source = match &process.pod {
            Some(pod) => format!("{}/{}", maybe_quote(&pod.namespace), maybe_quote(&pod.name)),
            None => maybe_quote(node).into_owned(),
        };
        let info = format!(
            "{} {}",
            self.paint(Paint::Green, &source),
            self.paint(Paint::Magenta, &maybe_quote(&process.binary))
        );
        let sys_admin = CapabilitiesType::CapSysAdmin as i32;
        let has_sys_admin = process
            .cap
            .as_ref()
            .is_some_and(|caps| caps.effective.contains(&sys_admin));
        let caps = if has_sys_admin {
            "🛑 CAP_SYS_ADMIN"
        } else {
            ""
        };
        (info, self.paint(Paint::Magenta, caps))
    }

    /// Pads `line` to [`CAPS_PAD`] bytes and appends `caps`, right-aligned in the remaining
    /// width counted in characters (upstream's `%s %*s`).
    fn with_caps(line: String, caps: &str) -> String {
        if caps.is_empty() {
            return line;
        }
        let width = CAPS_PAD.saturating_sub(line.len());
        format!("{line} {caps:>width$}")
    }

    /// Joins `verb`, the process info and the details with single spaces, then adds the caps.
    pub(super) fn finish(
        &self,
        verb: String,
        process: &Process,
        node: &str,
        details: &[&str],
    ) -> String {
        let (info, caps) = self.process_info(node, process);
        let mut line = verb;
        line.push(' ');
        line.push_str(&info);
        for detail in details {
            line.push(' ');
            line.push_str(detail);
        }
        Self::with_caps(line, &caps)
    }
}

#[cfg(test)]
mod tests {
    use crate::output::compact::fixtures::line;
    use serde_json::json;

    #[test]
    fn caps_trailer_pads_to_120_bytes() {
        let event = json!({"process_exec": {"process": {
            "binary": "/bin/sleep", "arguments": "365d",
            "pod": {"namespace": "default", "name": "test-pod"},
            "cap": {"effective": ["CAP_CHOWN", "CAP_SYS_ADMIN"]}}}});
        let text = line(event);
        // 45 bytes of line, a space, then the 15-character trailer right-aligned in 75.
        let head = "🚀 process default/test-pod /bin/sleep 365d";
        assert_eq!(head.len(), 45);
        assert_eq!(text, format!("{head} {}🛑 CAP_SYS_ADMIN", " ".repeat(60)));
        // Without CAP_SYS_ADMIN (or without caps at all) there is no trailer.
        let event = json!({"process_exec": {"process": {"binary": "/bin/sleep", "arguments": "365d",
            "cap": {"effective": ["CAP_CHOWN"]}}}, "node_name": "n"});
        assert_eq!(line(event), "🚀 process n /bin/sleep 365d");
        // A line already past 120 bytes gets just one space.
        let long_args = "x".repeat(130);
        let event = json!({"process_exec": {"process": {"binary": "/bin/echo", "arguments": long_args,
            "cap": {"effective": ["CAP_SYS_ADMIN"]}}}, "node_name": "n"});
        assert_eq!(
            line(event),
            format!("🚀 process n /bin/echo {long_args} 🛑 CAP_SYS_ADMIN")
        );
        // Kprobes carry the trailer too.
        let event = json!({"process_kprobe": {"process": {"binary": "/bin/x",
            "cap": {"effective": ["CAP_SYS_ADMIN"]}}, "function_name": "f"}, "node_name": "n"});
        let head = "❓ syscall n /bin/x f";
        assert_eq!(
            line(event),
            format!(
                "{head} {}🛑 CAP_SYS_ADMIN",
                " ".repeat(120 - head.len() - 15)
            )
        );
    }
}
