//! exec_id: base64 of `<node>:<ktime>:<pid>`, unique across a cluster as
//! long as node names are.

use base64::{Engine, engine::general_purpose::STANDARD};

pub fn exec_id(node: &str, ktime: u64, pid: u32) -> String {
    STANDARD.encode(format!("{node}:{ktime}:{pid}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_upstreams_encoding() {
        // From the documents' process_kprobe event.
        assert_eq!(
            exec_id("tetragon-dev-control-plane", 16817705012542, 64746),
            "dGV0cmFnb24tZGV2LWNvbnRyb2wtcGxhbmU6MTY4MTc3MDUwMTI1NDI6NjQ3NDY="
        );
    }
}
