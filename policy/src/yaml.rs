//! YAML text to a tree of nodes that remember their line and column.
//!
//! Built from `saphyr-parser`'s events. Scalars keep their text and whether they were quoted;
//! typing (string, integer, boolean) is left to the decoder, which knows what each field wants.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::source_map::Pos;

/// Deepest nesting accepted (a policy needs about 10).
const MAX_DEPTH: usize = 64;
/// Most nodes in a document, aliases counted as often as they are used.
const MAX_NODES: usize = 200_000;

/// A YAML node with its position.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone)]
pub(crate) struct Scalar {
    pub text: String,
    /// Written quoted or as a block scalar: always a string.
    pub quoted: bool,
}

impl Scalar {
    /// A plain `~`, `null` or empty scalar.
    pub fn is_null(&self) -> bool {
        !self.quoted && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }

    /// A plain boolean (YAML 1.1 spellings too, as Kubernetes' YAML reader accepts).
    pub fn as_bool(&self) -> Option<bool> {
        if self.quoted {
            return None;
        }
        match self.text.as_str() {
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
            _ => None,
        }
    }

    /// A plain integer: decimal, `0x` hex, `0o` octal or `0b` binary, with an optional sign.
    pub fn as_int(&self) -> Option<i128> {
        if self.quoted {
            return None;
        }
        parse_int(&self.text)
    }

    /// A plain number that is not an integer (`1.5`, `1e3`, `.inf`).
    pub fn is_float(&self) -> bool {
        if self.quoted {
            return false;
        }
        let t = self.text.as_str();
        matches!(
            t,
            ".inf" | ".Inf" | ".INF" | "-.inf" | "+.inf" | ".nan" | ".NaN" | ".NAN"
        ) || (t.parse::<f64>().is_ok() && t.bytes().any(|b| b.is_ascii_digit()))
    }
}

/// Parses an integer the way YAML and Go's `strconv.ParseInt(s, 0, ...)` read them:
/// optional sign, then decimal, `0x`/`0X` hex, `0o`/`0O` octal or `0b`/`0B` binary;
/// `_` separators are allowed between digits.
pub(crate) fn parse_int(s: &str) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.get(..2).map(|p| p.to_ascii_lowercase());
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0b") => (2, &body[2..]),
        _ => (10, body),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if clean.is_empty() || !clean.chars().all(|c| c.is_digit(radix)) || clean.len() > 40 {
        return None;
    }
    let v = i128::from_str_radix(&clean, radix).ok()?;
    Some(if neg { -v } else { v })
}

impl Node {
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.scalar().is_some_and(Scalar::is_null)
    }

    /// How the node reads in an error message: "string `abc`", "integer `5`", "a list".
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Seq(_) => "a list".to_string(),
            Kind::Map(_) => "a mapping".to_string(),
            Kind::Scalar(s) if s.is_null() => "null".to_string(),
            Kind::Scalar(s) => {
                let what = if s.as_bool().is_some() {
                    "boolean"
                } else if s.as_int().is_some() {
                    "integer"
                } else if s.is_float() {
                    "number"
                } else {
                    "string"
                };
                format!("{what} `{}`", shorten(&s.text))
            }
        }
    }

    fn count(&self) -> usize {
        match &self.kind {
            Kind::Scalar(_) => 1,
            Kind::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Kind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
        }
    }
}

/// At most 60 characters of `s`, for quoting in messages; control characters escaped.
pub(crate) fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(60).flat_map(char::escape_default).collect();
    if s.chars().count() > 60 {
        out.push_str("...");
    }
    out
}

/// Why a source did not give one document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LoadError {
    /// A YAML syntax error (or a structural limit) at a position.
    Syntax { pos: Pos, message: String },
    /// Nothing but comments and blanks.
    Empty,
    /// More than one non-empty document; `pos` is the second one.
    MultipleDocuments { pos: Pos, count: usize },
}

fn pos(span: &Span) -> Pos {
    Pos {
        line: span.start.line().max(1),
        column: span.start.col() + 1,
    }
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

/// Parses `src` into exactly one document's tree.
pub(crate) fn load(src: &str) -> Result<Node, LoadError> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut docs: Vec<Node> = Vec::new();
    let mut extra_doc: Option<Pos> = None;
    let mut doc_count = 0usize;
    let mut nodes = 0usize;
    let mut current_doc: Option<Node> = None;

    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(ev)) => ev,
            Some(Err(e)) => {
                let m = e.marker();
                return Err(LoadError::Syntax {
                    pos: Pos {
                        line: m.line().max(1),
                        column: m.col() + 1,
                    },
                    message: format!("invalid YAML: {}", e.info()),
                });
            }
        };
        let here = pos(&span);
        let done: Option<Node> = match event {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                anchors.clear();
                current_doc = None;
                None
            }
            Event::DocumentEnd => {
                if let Some(doc) = current_doc.take()
                    && !doc.is_null()
                {
                    doc_count += 1;
                    if doc_count == 1 {
                        docs.push(doc);
                    } else if extra_doc.is_none() {
                        extra_doc = Some(doc.pos);
                    }
                }
                None
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(n) => {
                    nodes += n.count();
                    Some(n.clone())
                }
                None => {
                    return Err(LoadError::Syntax {
                        pos: here,
                        message: "invalid YAML: unknown alias".into(),
                    });
                }
            },
            Event::Scalar(text, style, anchor, tag) => {
                // `!!str 5` is a string; other tags are ignored.
                let tagged_str = tag
                    .as_ref()
                    .is_some_and(|t| t.suffix == "str" || t.suffix.ends_with(":str"));
                let node = Node {
                    kind: Kind::Scalar(Scalar {
                        text: text.into_owned(),
                        quoted: style != ScalarStyle::Plain || tagged_str,
                    }),
                    pos: here,
                };
                nodes += 1;
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq {
                    pos: here,
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map {
                    pos: here,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match stack.pop() {
                    Some(Frame::Seq { pos, anchor, items }) => (
                        Node {
                            kind: Kind::Seq(items),
                            pos,
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        pos,
                        anchor,
                        entries,
                        ..
                    }) => (
                        Node {
                            kind: Kind::Map(entries),
                            pos,
                        },
                        anchor,
                    ),
                    None => {
                        return Err(LoadError::Syntax {
                            pos: here,
                            message: "invalid YAML: unbalanced collection".into(),
                        });
                    }
                };
                nodes += 1;
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
        };
        if stack.len() > MAX_DEPTH {
            return Err(LoadError::Syntax {
                pos: here,
                message: format!("document nested deeper than {MAX_DEPTH} levels"),
            });
        }
        if nodes > MAX_NODES {
            return Err(LoadError::Syntax {
                pos: here,
                message: format!("document has more than {MAX_NODES} nodes"),
            });
        }
        if let Some(node) = done {
            match stack.last_mut() {
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map { entries, key, .. }) => match key.take() {
                    None => *key = Some(node),
                    Some(k) => entries.push((k, node)),
                },
                None => current_doc = Some(node),
            }
        }
    }
    if let Some(pos) = extra_doc {
        return Err(LoadError::MultipleDocuments {
            pos,
            count: doc_count,
        });
    }
    docs.pop().ok_or(LoadError::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_keys(n: &Node) -> Vec<String> {
        match &n.kind {
            Kind::Map(e) => e
                .iter()
                .map(|(k, _)| k.scalar().map(|s| s.text.clone()).unwrap_or_default())
                .collect(),
            _ => vec![],
        }
    }

    #[test]
    fn positions() {
        let n = load("a: 1\nb:\n  - x\n  - 'y'\n").unwrap();
        assert_eq!(map_keys(&n), vec!["a", "b"]);
        let Kind::Map(entries) = &n.kind else {
            panic!()
        };
        assert_eq!(entries[1].0.pos, Pos { line: 2, column: 1 });
        let Kind::Seq(items) = &entries[1].1.kind else {
            panic!()
        };
        assert_eq!(items[1].pos, Pos { line: 4, column: 5 });
        assert!(items[1].scalar().unwrap().quoted);
    }

    #[test]
    fn documents() {
        assert!(matches!(load("# nothing\n"), Err(LoadError::Empty)));
        assert!(load("a: 1\n---\n").is_ok());
        assert!(matches!(
            load("a: 1\n---\nb: 2\n"),
            Err(LoadError::MultipleDocuments { count: 2, .. })
        ));
        assert!(matches!(load("a: [1\n"), Err(LoadError::Syntax { .. })));
    }

    #[test]
    fn aliases_and_limits() {
        let n = load("a: &x [1, 2]\nb: *x\n").unwrap();
        let Kind::Map(entries) = &n.kind else {
            panic!()
        };
        assert!(matches!(entries[1].1.kind, Kind::Seq(ref v) if v.len() == 2));
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(matches!(load(&deep), Err(LoadError::Syntax { .. })));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(matches!(load(&bomb), Err(LoadError::Syntax { .. })));
    }

    #[test]
    fn ints() {
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("-12"), Some(-12));
        assert_eq!(parse_int("0o17"), Some(15));
        assert_eq!(parse_int("1_000"), Some(1000));
        assert_eq!(parse_int("0x"), None);
        assert_eq!(parse_int("12a"), None);
        assert_eq!(parse_int("-"), None);
        assert_eq!(parse_int(""), None);
    }
}
