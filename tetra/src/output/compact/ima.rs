//! The IMA hash printed after an LSM event's line: the file the hook saw and its hash.

use tetragon_api::tetragon::GetEventsResponse;
use tetragon_api::tetragon::get_events_response::Event;

use super::CompactEncoder;
use super::args::{binprm_path, file_path};
use super::color::Paint;
use super::quote::maybe_quote;

impl CompactEncoder {
    /// Upstream's IMA block for LSM events: `   <path> <hash>`.
    pub(super) fn ima_block(&self, ev: &GetEventsResponse, out: &mut String) {
        let Some(Event::ProcessLsm(lsm)) = &ev.event else {
            return;
        };
        if lsm.ima_hash.is_empty() {
            return;
        }
        let first = lsm.args.first();
        let path = match lsm.function_name.as_str() {
            "bprm_check_security"
            | "bprm_committed_creds"
            | "bprm_committing_creds"
            | "bprm_creds_for_exec"
            | "bprm_creds_from_file" => first.map_or("", binprm_path),
            "file_ioctl" | "file_lock" | "file_open" | "file_post_open" | "file_receive"
            | "mmap_file" => first.map_or("", file_path),
            _ => "",
        };
        if !path.is_empty() {
            out.push_str(&self.paint(Paint::Green, &format!("   {}", maybe_quote(path))));
            let hash = format!(" {}\n", maybe_quote(&lsm.ima_hash));
            out.push_str(&self.paint(Paint::Blue, &hash));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::output::compact::fixtures::{ev, plain};
    use serde_json::json;

    #[test]
    fn ima_hash_lines() {
        let event = ev(json!({"process_lsm": {
            "process": {"binary": "/usr/bin/cat"},
            "function_name": "file_open",
            "args": [{"file_arg": {"path": "/etc/passwd"}}],
            "ima_hash": "sha256:abcd",
        }, "node_name": "n"}));
        assert_eq!(
            plain().encode(&event).unwrap(),
            "🔒 LSM     n /usr/bin/cat file_open\n   /etc/passwd sha256:abcd"
        );
        assert_eq!(
            plain().with_ima_hash(false).encode(&event).unwrap(),
            "🔒 LSM     n /usr/bin/cat file_open"
        );
        let event = ev(json!({"process_lsm": {
            "process": {"binary": "/usr/bin/cat"},
            "function_name": "bprm_check_security",
            "args": [{"linux_binprm_arg": {"path": "/usr/bin/cat"}}],
            "ima_hash": "sha256:ef",
        }, "node_name": "n"}));
        assert_eq!(
            plain().encode(&event).unwrap(),
            "🔒 LSM     n /usr/bin/cat bprm_check_security\n   /usr/bin/cat sha256:ef"
        );
        // Unknown hooks and missing arguments print no IMA line.
        let event = ev(json!({"process_lsm": {"process": {"binary": "/b"},
            "function_name": "file_open", "ima_hash": "sha256:ef"}, "node_name": "n"}));
        assert_eq!(plain().encode(&event).unwrap(), "🔒 LSM     n /b file_open");
    }
}
