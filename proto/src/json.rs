//! One-event-per-line JSON, as written by `tetragon --export-filename` and
//! printed by `tetra getevents -o json`.
//!
//! Encoding follows the protobuf JSON mapping with proto field names:
//! unset/default fields are omitted, 64-bit integers are strings, wrappers are
//! bare values, enums are names and timestamps are RFC 3339.

use crate::tetragon::GetEventsResponse;

/// A JSON line could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JsonError(#[from] serde_json::Error);

impl JsonError {
    /// 1-based line of the error (0 when not tied to a position).
    pub fn line(&self) -> usize {
        self.0.line()
    }

    /// 1-based column of the error (0 when not tied to a position).
    pub fn column(&self) -> usize {
        self.0.column()
    }
}

/// Encodes one event as compact JSON (no trailing newline).
///
/// Only fails when the event holds a value that has no JSON form, such as an
/// enum number without a name in the schema; see [`to_json_line`].
pub fn try_to_json_line(ev: &GetEventsResponse) -> Result<String, JsonError> {
    Ok(serde_json::to_string(ev)?)
}

/// Encodes one event as compact JSON (no trailing newline).
///
/// Never panics: if the event cannot be encoded (see [`try_to_json_line`]),
/// the line is a JSON object `{"error": "<reason>"}` plus `node_name` and
/// `time` when set, so a bad event stays visible without breaking the stream.
pub fn to_json_line(ev: &GetEventsResponse) -> String {
    try_to_json_line(ev).unwrap_or_else(|err| {
        let mut obj = serde_json::Map::new();
        obj.insert("error".into(), format!("cannot encode event: {err}").into());
        if !ev.node_name.is_empty() {
            obj.insert("node_name".into(), ev.node_name.clone().into());
        }
        if let Some(time) = ev.time {
            obj.insert("time".into(), time.to_string().into());
        }
        serde_json::Value::Object(obj).to_string()
    })
}

/// Decodes one JSON line. Accepts proto and lowerCamelCase field names,
/// enum names or numbers, and ignores unknown fields.
pub fn from_json_line(line: &str) -> Result<GetEventsResponse, JsonError> {
    Ok(serde_json::from_str(line.trim_end_matches(['\n', '\r']))?)
}

/// Decodes a sequence of JSON values separated by whitespace (typically one
/// per line), as in the daemon's `--export-allowlist`, `--export-denylist`
/// and `--field-filters` flags. An empty or blank string gives an empty list.
pub fn from_json_stream<T: serde::de::DeserializeOwned>(s: &str) -> Result<Vec<T>, JsonError> {
    serde_json::Deserializer::from_str(s)
        .into_iter::<T>()
        .map(|r| r.map_err(JsonError::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tetragon::get_events_response::Event;
    use crate::tetragon::{
        EventType, FieldFilter, FieldFilterAction, Filter, KprobeAction, ProcessKprobe,
    };

    #[test]
    fn filter_stream_from_flags() {
        let allow: Vec<Filter> = from_json_stream(
            r#"{"event_set":["PROCESS_EXEC", "PROCESS_EXIT", "PROCESS_KPROBE", "PROCESS_UPROBE", "PROCESS_TRACEPOINT"]}"#,
        )
        .unwrap();
        assert_eq!(allow.len(), 1);
        assert_eq!(
            allow[0].event_set().collect::<Vec<_>>()[..2],
            [EventType::ProcessExec, EventType::ProcessExit]
        );

        let deny: Vec<Filter> = from_json_stream(
            "{\"health_check\":true}\n{\"namespace\":[\"\", \"cilium\", \"kube-system\"]}",
        )
        .unwrap();
        assert_eq!(deny.len(), 2);
        assert_eq!(deny[0].health_check, Some(true.into()));
        assert_eq!(deny[1].namespace, ["", "cilium", "kube-system"]);

        assert!(from_json_stream::<Filter>("  \n").unwrap().is_empty());
        assert!(from_json_stream::<Filter>("{\"pid\": [1]} {").is_err());
    }

    #[test]
    fn field_filter_from_flag() {
        let ff: Vec<FieldFilter> = from_json_stream(
            r#"{"fields":"process.binary,process.start_time,parent.execId","action":"EXCLUDE","event_set":["PROCESS_EXEC"]}"#,
        )
        .unwrap();
        assert_eq!(ff[0].action(), FieldFilterAction::Exclude);
        assert_eq!(
            ff[0].fields.as_ref().unwrap().paths,
            ["process.binary", "process.start_time", "parent.exec_id"]
        );
    }

    #[test]
    fn error_mentions_column() {
        let err = from_json_line(r#"{"node_name": 5}"#).unwrap_err();
        assert_eq!(err.line(), 1);
        assert!(err.column() > 0);
        assert!(err.to_string().contains("column"), "{err}");
    }

    #[test]
    fn trailing_newline_is_accepted() {
        let ev = from_json_line("{\"node_name\":\"n\"}\n").unwrap();
        assert_eq!(ev.node_name, "n");
    }

    #[test]
    fn unencodable_event_becomes_error_object() {
        let ev = GetEventsResponse {
            event: Some(Event::ProcessKprobe(ProcessKprobe {
                action: 9999,
                ..Default::default()
            })),
            node_name: "node".into(),
            ..Default::default()
        };
        assert!(try_to_json_line(&ev).is_err());
        let v: serde_json::Value = serde_json::from_str(&to_json_line(&ev)).unwrap();
        assert!(v["error"].as_str().unwrap().contains("9999"));
        assert_eq!(v["node_name"], "node");

        let ok = GetEventsResponse {
            event: Some(Event::ProcessKprobe(ProcessKprobe {
                action: KprobeAction::Sigkill as i32,
                ..Default::default()
            })),
            ..Default::default()
        };
        assert_eq!(
            to_json_line(&ok),
            r#"{"process_kprobe":{"action":"KPROBE_ACTION_SIGKILL"}}"#
        );
    }
}
