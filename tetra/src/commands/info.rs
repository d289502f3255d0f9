//! `tetra info [-o text|json]`: what the daemon is, what the kernel offers
//! it, and every setting in effect with where it came from.
//!
//! The JSON is upstream's (its `tetragoninfo.Info` as Go marshals it); the
//! text shows the same as `Key: value` lines and two tables.

use std::{collections::BTreeMap, time::Duration};

use anyhow::Result;
use prost::Message;
use serde::Serialize;
use serde_json::Value;
use tetragon_api::tetragon::{GetInfoRequest, GetInfoResponse};

use crate::{
    cli::{InfoArgs, InfoOutput},
    client,
    commands::version::BuildInfo,
    output::{table, write_stdout},
};

/// The key suffix under which the daemon says where a setting came from.
const SOURCE_SUFFIX: &str = ".source";

pub async fn run(address: &str, timeout: Duration, args: &InfoArgs) -> Result<()> {
    let mut c = client::connect(address, timeout).await?;
    let reply = client::unary(timeout, c.get_info(GetInfoRequest {}))
        .await
        .map_err(|s| client::call_error("failed to retrieve info", &s))?;
    let text = match args.output {
        InfoOutput::Json => render_json(&reply)? + "\n",
        InfoOutput::Text => render_text(&reply),
    };
    Ok(write_stdout(&text)?)
}

/// A configuration value unpacked from its `Any`: a string, an int64, a
/// bool or a list; or why it could not be.
fn decode_value(any: Option<&pbjson_types::Any>) -> Result<Value, String> {
    let any = any.ok_or("no value")?;
    let type_name = any.type_url.rsplit('/').next().unwrap_or_default();
    let bytes = any.value.as_ref();
    let bad = |e: prost::DecodeError| format!("failed to unmarshal {type_name}: {e}");
    Ok(match type_name {
        "google.protobuf.StringValue" => {
            Value::String(pbjson_types::StringValue::decode(bytes).map_err(bad)?.value)
        }
        "google.protobuf.Int64Value" => {
            Value::from(pbjson_types::Int64Value::decode(bytes).map_err(bad)?.value)
        }
        "google.protobuf.BoolValue" => {
            Value::Bool(pbjson_types::BoolValue::decode(bytes).map_err(bad)?.value)
        }
        "google.protobuf.ListValue" => {
            let list = pbjson_types::ListValue::decode(bytes).map_err(bad)?;
            serde_json::to_value(&list.values).map_err(|e| e.to_string())?
        }
        other => return Err(format!("unknown value type: {other}")),
    })
}

fn probes(reply: &GetInfoResponse) -> BTreeMap<String, bool> {
    reply
        .probes
        .iter()
        .map(|p| (p.name.clone(), p.enabled.as_ref().is_some_and(|b| b.value)))
        .collect()
}

/// Upstream's JSON: one line, keys as Go's field names, maps sorted.
pub(crate) fn render_json(reply: &GetInfoResponse) -> Result<String> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Info {
        name: String,
        version: String,
        probes: BTreeMap<String, bool>,
        conf: BTreeMap<String, Value>,
        build: Build,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Build {
        go_version: String,
        commit: String,
        time: String,
        modified: String,
    }
    let build = BuildInfo::from_api(reply.build.as_ref());
    let info = Info {
        name: reply.name.clone(),
        version: reply.version.clone(),
        probes: probes(reply),
        conf: reply
            .conf
            .iter()
            // Go marshals the error it keeps for an undecodable value as {}.
            .map(|c| {
                let value = decode_value(c.value.as_ref())
                    .unwrap_or_else(|_| Value::Object(Default::default()));
                (c.key.clone(), value)
            })
            .collect(),
        build: Build {
            go_version: build.toolchain,
            commit: build.commit,
            time: build.time,
            modified: build.modified,
        },
    };
    Ok(escape_like_go(&serde_json::to_string(&info)?))
}

/// Go's encoder writes `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`; in
/// serde_json's output they can only stand inside strings.
fn escape_like_go(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// A setting's row: its value and where it came from, as text.
#[derive(Debug, Default)]
pub(crate) struct Setting {
    pub value: String,
    pub source: String,
}

fn value_text(value: Result<Value, String>) -> String {
    match value {
        Ok(Value::String(s)) => s,
        Ok(Value::Array(items)) => items
            .into_iter()
            .map(|v| value_text(Ok(v)))
            .collect::<Vec<_>>()
            .join(","),
        Ok(other) => other.to_string(),
        Err(why) => format!("<{why}>"),
    }
}

/// `<name>` and `<name>.source` folded into one row per setting, sorted.
pub(crate) fn settings(reply: &GetInfoResponse) -> BTreeMap<String, Setting> {
    let mut rows: BTreeMap<String, Setting> = BTreeMap::new();
    for conf in &reply.conf {
        let text = value_text(decode_value(conf.value.as_ref()));
        match conf.key.strip_suffix(SOURCE_SUFFIX) {
            Some(name) => rows.entry(name.to_string()).or_default().source = text,
            None => rows.entry(conf.key.clone()).or_default().value = text,
        }
    }
    rows
}

pub(crate) fn render_text(reply: &GetInfoResponse) -> String {
    let mut out = format!("Name: {}\nVersion: {}\n", reply.name, reply.version);
    for line in BuildInfo::from_api(reply.build.as_ref()).lines() {
        out.push_str(&line);
        out.push('\n');
    }

    let probes = probes(reply);
    if probes.is_empty() {
        out.push_str("\nProbes: none reported\n");
    } else {
        out.push_str("\nProbes:\n");
        out.push_str(&table::render(
            &["NAME", "ENABLED"],
            probes
                .into_iter()
                .map(|(name, enabled)| [name, enabled.to_string()]),
        ));
    }

    let settings = settings(reply);
    if settings.is_empty() {
        out.push_str("\nConfiguration: none reported\n");
    } else {
        out.push_str("\nConfiguration:\n");
        out.push_str(&table::render(
            &["NAME", "VALUE", "SOURCE"],
            settings
                .into_iter()
                .map(|(name, s)| [name, s.value, s.source]),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tetragon_api::tetragon::get_info_response::{self, ConfVal, Probe};

    fn any<M: Message>(name: &str, m: M) -> Option<pbjson_types::Any> {
        Some(pbjson_types::Any {
            type_url: format!("type.googleapis.com/google.protobuf.{name}"),
            value: m.encode_to_vec().into(),
        })
    }

    fn string(s: &str) -> Option<pbjson_types::Any> {
        any(
            "StringValue",
            pbjson_types::StringValue {
                value: s.to_string(),
            },
        )
    }

    fn conf(key: &str, value: Option<pbjson_types::Any>) -> ConfVal {
        ConfVal {
            key: key.to_string(),
            value,
        }
    }

    fn reply() -> GetInfoResponse {
        GetInfoResponse {
            version: "0.1.0".into(),
            name: "tetragon".into(),
            probes: vec![
                Probe {
                    name: "tracepoint".into(),
                    enabled: Some(true.into()),
                },
                Probe {
                    name: "kprobe".into(),
                    enabled: Some(false.into()),
                },
            ],
            conf: vec![
                conf("server-address.source", string("flag")),
                conf("server-address", string("unix:///run/t.sock")),
                conf(
                    "export-file-max-backups",
                    any("Int64Value", pbjson_types::Int64Value { value: 5 }),
                ),
                conf(
                    "enable-k8s-api",
                    any("BoolValue", pbjson_types::BoolValue { value: false }),
                ),
                conf(
                    "cri-endpoints",
                    any(
                        "ListValue",
                        pbjson_types::ListValue::from(vec![
                            pbjson_types::Value::from("a<b"),
                            pbjson_types::Value::from("c"),
                        ]),
                    ),
                ),
                conf("odd", any("Duration", pbjson_types::Duration::default())),
            ],
            build: Some(get_info_response::BuildInfo {
                go_version: "rust 1.95".into(),
                commit: "abc123".into(),
                time: String::new(),
                modified: String::new(),
            }),
        }
    }

    #[test]
    fn text_has_build_lines_then_probes_then_sorted_settings() {
        let want = "\
Name: tetragon
Version: 0.1.0
RustVersion: 1.95
GitCommit: abc123

Probes:
NAME         ENABLED
kprobe       false
tracepoint   true

Configuration:
NAME                      VALUE                                            SOURCE
cri-endpoints             a<b,c
enable-k8s-api            false
export-file-max-backups   5
odd                       <unknown value type: google.protobuf.Duration>
server-address            unix:///run/t.sock                               flag
";
        assert_eq!(render_text(&reply()), want);
    }

    #[test]
    fn json_is_upstreams_object() {
        let json = render_json(&reply()).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"Name":"tetragon","Version":"0.1.0","#,
                r#""Probes":{"kprobe":false,"tracepoint":true},"#,
                r#""Conf":{"cri-endpoints":["a\u003cb","c"],"enable-k8s-api":false,"#,
                r#""export-file-max-backups":5,"odd":{},"#,
                r#""server-address":"unix:///run/t.sock","server-address.source":"flag"},"#,
                r#""Build":{"GoVersion":"rust 1.95","Commit":"abc123","Time":"","Modified":""}}"#
            )
        );
    }

    #[test]
    fn nothing_reported_says_so() {
        let text = render_text(&GetInfoResponse::default());
        assert!(text.contains("\nProbes: none reported\n"), "{text}");
        assert!(text.contains("\nConfiguration: none reported\n"), "{text}");
        assert_eq!(
            render_json(&GetInfoResponse::default()).unwrap(),
            r#"{"Name":"","Version":"","Probes":{},"Conf":{},"Build":{"GoVersion":"","Commit":"","Time":"","Modified":""}}"#
        );
    }
}
