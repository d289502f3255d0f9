//! The fields of one YAML mapping, checked against the names a policy object accepts.

use super::Ctx;
use crate::source_map::Pos;
use crate::yaml::{Kind, Node};

/// A mapping's fields by canonical name, and where the mapping is.
pub(crate) struct Fields<'n> {
    pub path: String,
    pub pos: Pos,
    entries: Vec<(&'static str, &'n Node)>,
}

impl<'n> Fields<'n> {
    /// The value of `key`, unless absent or null.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_null())
    }

    /// Whether `key` was written (even with a null value).
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| *k == key)
    }

    /// The path of `key` in this mapping.
    pub fn child(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

/// `parent.key`, or `key` at the top.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Reads the mapping `n` at `path`. Keys are matched exactly, or ignoring case as
/// upstream's JSON decoding does (`followforks` is `followForks`); keys in `ignored` are
/// skipped; any other key is an error naming the expected ones. Null reads as an empty
/// mapping; anything else that is not a mapping is an error (and gives `None`).
pub(crate) fn fields<'n>(
    cx: &mut Ctx,
    n: &'n Node,
    path: &str,
    allowed: &[&'static str],
    ignored: &[&str],
) -> Option<Fields<'n>> {
    cx.record(path, n);
    let entries = match &n.kind {
        Kind::Map(entries) => entries,
        _ if n.is_null() => {
            return Some(Fields {
                path: path.to_string(),
                pos: n.pos,
                entries: Vec::new(),
            });
        }
        _ => {
            cx.fail(
                n,
                path,
                format!("expected a mapping, got {}", n.describe()),
                None,
            );
            return None;
        }
    };
    let mut out: Vec<(&'static str, &'n Node)> = Vec::new();
    for (k, v) in entries {
        let Some(name) = k.scalar().filter(|s| !s.is_null()).map(|s| s.text.as_str()) else {
            cx.error(Some(k.pos), path, "mapping keys must be strings", None);
            continue;
        };
        let canonical = allowed
            .iter()
            .find(|a| **a == name)
            .or_else(|| allowed.iter().find(|a| a.eq_ignore_ascii_case(name)))
            .copied();
        let Some(canonical) = canonical else {
            if !ignored.iter().any(|i| i.eq_ignore_ascii_case(name)) {
                cx.error(
                    Some(k.pos),
                    path,
                    format!("unknown field `{}`", crate::yaml::shorten(name)),
                    Some(expected_hint(name, allowed)),
                );
            }
            continue;
        };
        if out.iter().any(|(c, _)| *c == canonical) {
            cx.error(
                Some(k.pos),
                path,
                format!("duplicate field `{canonical}`"),
                None,
            );
            continue;
        }
        cx.record(&join(path, canonical), v);
        out.push((canonical, v));
    }
    Some(Fields {
        path: path.to_string(),
        pos: n.pos,
        entries: out,
    })
}

/// "did you mean `x`? expected one of a, b, c" (the first part when something is close).
pub(crate) fn expected_hint(got: &str, names: &[&str]) -> String {
    let list = names.join(", ");
    match suggest(got, names) {
        Some(s) => format!("did you mean `{s}`? expected one of {list}"),
        None => format!("expected one of {list}"),
    }
}

/// The name closest to `got`: equal ignoring case, or within a small edit distance.
fn suggest<'a>(got: &str, names: &[&'a str]) -> Option<&'a str> {
    if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(got)) {
        return Some(n);
    }
    let got_lower = got.to_ascii_lowercase();
    names
        .iter()
        .map(|n| (edit_distance(&got_lower, &n.to_ascii_lowercase()), *n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 4) && *d < n.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance (on chars; inputs here are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("matchArg", &["matchPIDs", "matchArgs"]),
            Some("matchArgs")
        );
        assert_eq!(suggest("equal", &["Equal", "NotEqual"]), Some("Equal"));
        assert_eq!(suggest("Equals", &["Equal", "NotEqual"]), Some("Equal"));
        assert_eq!(suggest("zzzzzz", &["Equal", "NotEqual"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
