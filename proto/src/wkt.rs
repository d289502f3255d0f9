//! Well-known protobuf types used by the Tetragon API.
//!
//! Everything is re-exported from `pbjson_types`, except [`Timestamp`] and
//! [`FieldMask`], whose JSON form there differs from the canonical protobuf
//! JSON mapping that upstream Tetragon (Go `protojson`) produces and accepts.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

pub use pbjson_types::*;

/// `google.protobuf.Timestamp`.
///
/// JSON: RFC 3339 in UTC with a `Z` suffix and 0, 3, 6 or 9 fractional
/// digits, e.g. `"2024-04-14T02:18:14.376304204Z"`. Any RFC 3339 offset is
/// accepted when parsing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Message)]
pub struct Timestamp {
    #[prost(int64, tag = "1")]
    pub seconds: i64,
    #[prost(int32, tag = "2")]
    pub nanos: i32,
}

impl Timestamp {
    pub const fn new(seconds: i64, nanos: i32) -> Self {
        Self { seconds, nanos }
    }

    pub fn now() -> Self {
        SystemTime::now().into()
    }

    /// Builds a timestamp from nanoseconds since the Unix epoch.
    pub const fn from_unix_nanos(nanos: u64) -> Self {
        Self {
            seconds: (nanos / 1_000_000_000) as i64,
            nanos: (nanos % 1_000_000_000) as i32,
        }
    }
}

impl prost::Name for Timestamp {
    const NAME: &'static str = "Timestamp";
    const PACKAGE: &'static str = "google.protobuf";
}

impl From<prost_types::Timestamp> for Timestamp {
    fn from(t: prost_types::Timestamp) -> Self {
        Self::new(t.seconds, t.nanos)
    }
}

impl From<Timestamp> for prost_types::Timestamp {
    fn from(t: Timestamp) -> Self {
        prost_types::Timestamp {
            seconds: t.seconds,
            nanos: t.nanos,
        }
    }
}

impl From<pbjson_types::Timestamp> for Timestamp {
    fn from(t: pbjson_types::Timestamp) -> Self {
        Self::new(t.seconds, t.nanos)
    }
}

impl From<Timestamp> for pbjson_types::Timestamp {
    fn from(t: Timestamp) -> Self {
        pbjson_types::Timestamp {
            seconds: t.seconds,
            nanos: t.nanos,
        }
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        prost_types::Timestamp::from(t).into()
    }
}

impl TryFrom<Timestamp> for SystemTime {
    type Error = prost_types::TimestampError;

    fn try_from(t: Timestamp) -> Result<Self, Self::Error> {
        SystemTime::try_from(prost_types::Timestamp::from(t))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        prost_types::Timestamp::from(*self).fmt(f)
    }
}

impl FromStr for Timestamp {
    type Err = prost_types::TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        prost_types::Timestamp::from_str(s).map(Into::into)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !(0..1_000_000_000).contains(&self.nanos) {
            return Err(serde::ser::Error::custom(format!(
                "timestamp nanos out of range: {}",
                self.nanos
            )));
        }
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp string")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Timestamp, E> {
                s.parse()
                    .map_err(|_| E::custom(format!("invalid RFC 3339 timestamp: {s:?}")))
            }
        }

        deserializer.deserialize_str(TimestampVisitor)
    }
}

/// `google.protobuf.FieldMask`.
///
/// `paths` hold proto field names (`process.start_time`). JSON is a single
/// comma-separated string of lowerCamelCase paths (`"process.startTime"`);
/// parsing accepts camelCase and snake_case paths.
#[derive(Clone, PartialEq, Eq, Hash, ::prost::Message)]
pub struct FieldMask {
    #[prost(string, repeated, tag = "1")]
    pub paths: Vec<String>,
}

impl prost::Name for FieldMask {
    const NAME: &'static str = "FieldMask";
    const PACKAGE: &'static str = "google.protobuf";
}

impl<S: Into<String>> FromIterator<S> for FieldMask {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        Self {
            paths: iter.into_iter().map(Into::into).collect(),
        }
    }
}

fn camel_to_snake(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 4);
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl Serialize for FieldMask {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let joined = self
            .paths
            .iter()
            .map(|p| crate::case::camel(p, false))
            .collect::<Vec<_>>()
            .join(",");
        serializer.serialize_str(&joined)
    }
}

impl<'de> Deserialize<'de> for FieldMask {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldMaskVisitor;

        impl Visitor<'_> for FieldMaskVisitor {
            type Value = FieldMask;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a comma-separated field mask string")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<FieldMask, E> {
                Ok(s.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(camel_to_snake)
                    .collect())
            }
        }

        deserializer.deserialize_str(FieldMaskVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_json_matches_protojson() {
        let cases = [
            (Timestamp::new(1_713_061_066, 0), "\"2024-04-14T02:17:46Z\""),
            (
                Timestamp::new(1_713_061_094, 376_304_204),
                "\"2024-04-14T02:18:14.376304204Z\"",
            ),
            (
                Timestamp::new(1_713_061_094, 500_000_000),
                "\"2024-04-14T02:18:14.500Z\"",
            ),
            (
                Timestamp::new(1_713_061_094, 120_000),
                "\"2024-04-14T02:18:14.000120Z\"",
            ),
        ];
        for (ts, json) in cases {
            assert_eq!(serde_json::to_string(&ts).unwrap(), json);
            assert_eq!(serde_json::from_str::<Timestamp>(json).unwrap(), ts);
        }
    }

    #[test]
    fn timestamp_accepts_offsets_and_rejects_garbage() {
        let ts: Timestamp = serde_json::from_str("\"2024-04-14T04:17:46+02:00\"").unwrap();
        assert_eq!(ts, Timestamp::new(1_713_061_066, 0));
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(serde_json::to_string(&Timestamp::new(0, -1)).is_err());
    }

    #[test]
    fn timestamp_from_unix_nanos() {
        assert_eq!(
            Timestamp::from_unix_nanos(1_713_061_094_376_304_204),
            Timestamp::new(1_713_061_094, 376_304_204)
        );
    }

    #[test]
    fn field_mask_json_is_a_camel_case_string() {
        let mask: FieldMask = ["process.binary", "process.start_time", "parent.exec_id"]
            .into_iter()
            .collect();
        let json = serde_json::to_string(&mask).unwrap();
        assert_eq!(json, "\"process.binary,process.startTime,parent.execId\"");
        assert_eq!(serde_json::from_str::<FieldMask>(&json).unwrap(), mask);
        let snake: FieldMask =
            serde_json::from_str("\"process.start_time, parent.exec_id\"").unwrap();
        assert_eq!(snake.paths, ["process.start_time", "parent.exec_id"]);
        let empty: FieldMask = serde_json::from_str("\"\"").unwrap();
        assert!(empty.paths.is_empty());
    }
}
