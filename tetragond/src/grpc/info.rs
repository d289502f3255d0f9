//! GetInfo: what this daemon is and how it is configured, in the shape
//! upstream's `tetra info` decodes (string wrappers packed in Any).

use prost::Message;
use tetragon_api::tetragon::{
    GetInfoResponse,
    get_info_response::{ConfVal, Probe},
};

use crate::config::Config;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const STRING_VALUE_URL: &str = "type.googleapis.com/google.protobuf.StringValue";

/// `google.protobuf.StringValue`'s wire form, field 1.
#[derive(Clone, PartialEq, Message)]
struct StringValue {
    #[prost(string, tag = "1")]
    value: String,
}

fn string_any(s: &str) -> pbjson_types::Any {
    pbjson_types::Any {
        type_url: STRING_VALUE_URL.to_string(),
        value: StringValue {
            value: s.to_string(),
        }
        .encode_to_vec()
        .into(),
    }
}

/// Every setting in effect as `<name>` = value, with `<name>.source` saying
/// where the value came from (default, flag, env, or a file path).
pub fn info_response(config: &Config, probes: &[(String, bool)]) -> GetInfoResponse {
    let conf = config
        .effective()
        .iter()
        .flat_map(|s| {
            [
                ConfVal {
                    key: s.name.to_string(),
                    value: Some(string_any(&s.value)),
                },
                ConfVal {
                    key: format!("{}.source", s.name),
                    value: Some(string_any(&s.source.to_string())),
                },
            ]
        })
        .collect();
    GetInfoResponse {
        version: VERSION.to_string(),
        name: "tetragon".to_string(),
        probes: self::probes(probes),
        conf,
        build: Some(tetragon_api::build::this_build()),
    }
}

/// Kernel features as GetInfo's probes: name and whether the kernel has it.
pub fn probes(features: &[(String, bool)]) -> Vec<Probe> {
    features
        .iter()
        .map(|(name, enabled)| Probe {
            name: name.clone(),
            enabled: Some((*enabled).into()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_their_sources_are_string_values() {
        let config = Config::load_from(
            ["tetragon", "--export-filename", "/tmp/e.json"],
            Vec::<(String, String)>::new(),
        )
        .unwrap();
        let info = info_response(&config, &[("kprobe".into(), false)]);
        let find = |key: &str| {
            let v = info
                .conf
                .iter()
                .find(|c| c.key == key)
                .unwrap()
                .value
                .clone()
                .unwrap();
            assert_eq!(v.type_url, STRING_VALUE_URL);
            StringValue::decode(v.value).unwrap().value
        };
        assert_eq!(find("export-filename"), "/tmp/e.json");
        assert_eq!(find("export-filename.source"), "flag");
        assert_eq!(find("server-address.source"), "default");
        assert_eq!(info.probes[0].name, "kprobe");
    }
}
