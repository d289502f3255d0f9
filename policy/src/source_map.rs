//! Where each field of a parsed policy was written: field path -> line and column.

use std::collections::{HashMap, HashSet};

/// A 1-based line and column in the policy source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Positions of the fields of a parsed policy, by path (`spec.kprobes[0].call`), so that
/// problems found after parsing (by the daemon, for example) can point into the file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceMap {
    values: HashMap<String, Pos>,
    /// Paths whose value could not be decoded (checks that depend on them are skipped).
    bad: HashSet<String>,
}

impl SourceMap {
    /// The position of the value at `path`, if it was written in the source.
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.values.get(path).copied()
    }

    /// Whether `path` was written in the source (even as null).
    pub fn contains(&self, path: &str) -> bool {
        self.values.contains_key(path)
    }

    /// The position of `path`, or of its nearest written ancestor
    /// (`spec.kprobes[0].selectors` for a missing `spec.kprobes[0].selectors[0].matchArgs`).
    pub fn nearest(&self, path: &str) -> Option<Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = self.values.get(p) {
                return Some(*pos);
            }
            p = parent_path(p)?;
        }
    }

    /// Whether the value at `path` could not be decoded.
    pub fn is_bad(&self, path: &str) -> bool {
        self.bad.contains(path)
    }

    pub(crate) fn insert(&mut self, path: &str, pos: Pos) {
        self.values.entry(path.to_string()).or_insert(pos);
    }

    pub(crate) fn mark_bad(&mut self, path: &str) {
        self.bad.insert(path.to_string());
    }
}

/// `a.b[0].c` -> `a.b[0]` -> `a.b` -> `a` -> None.
pub(crate) fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        return path.rfind('[').map(|i| &path[..i]);
    }
    match path.rfind('.') {
        Some(i) => Some(&path[..i]),
        None => Some(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents() {
        assert_eq!(parent_path("a.b[0].c"), Some("a.b[0]"));
        assert_eq!(parent_path("a.b[0]"), Some("a.b"));
        assert_eq!(parent_path("a"), Some(""));
        assert_eq!(parent_path(""), None);
    }

    #[test]
    fn nearest_walks_up() {
        let mut m = SourceMap::default();
        m.insert("spec", Pos { line: 5, column: 1 });
        m.insert("spec.kprobes[0]", Pos { line: 7, column: 3 });
        assert_eq!(
            m.nearest("spec.kprobes[0].selectors[1].matchArgs")
                .map(|p| p.line),
            Some(7)
        );
        assert_eq!(m.nearest("metadata.name"), None);
    }
}
