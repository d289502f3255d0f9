//! Events and encoders shared by the tests of the compact encoder.

use serde_json::{Value, json};
use tetragon_api::from_json_line;
use tetragon_api::tetragon::GetEventsResponse;

use super::CompactEncoder;

pub(super) fn ev(value: Value) -> GetEventsResponse {
    from_json_line(&value.to_string()).expect("valid event JSON")
}

pub(super) fn plain() -> CompactEncoder {
    CompactEncoder::new(false, false, true)
}

pub(super) fn line(value: Value) -> String {
    plain().encode(&ev(value)).expect("printed")
}

pub(super) fn pod_process(binary: &str, arguments: &str) -> Value {
    json!({
        "binary": binary,
        "arguments": arguments,
        "pod": {"namespace": "kube-system", "name": "tetragon"},
    })
}
