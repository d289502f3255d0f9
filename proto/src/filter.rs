//! Event filters: which `GetEventsResponse` matches which [`Filter`].
//!
//! This is the one evaluator of `tetragon.Filter` shared by the daemon
//! (GetEvents allow/deny lists, export allow/deny lists) and the `tetra` CLI.
//!
//! Semantics follow upstream Tetragon:
//!
//! * Within one [`Filter`], every field that is set must match (AND). A
//!   filter with no field set matches every event. An empty list counts as
//!   unset (protobuf cannot tell them apart on the wire).
//! * Within one field, the event matches when any of the values matches
//!   (OR), e.g. any of the `binary_regex` patterns.
//! * A list of filters matches when any filter matches (OR).
//! * [`EventFilter::passes`]: an event passes when the allow list is empty or
//!   matches, and the deny list does not match (an empty deny list denies
//!   nothing).
//!
//! Regexes are unanchored searches, as Go's `MatchString`.
//!
//! Checks that depend on the daemon's configuration upstream (capability
//! filters need process credentials enabled, ancestor filters need ancestors
//! enabled for the filtered event types, `pid_set` needs
//! `--enable-pid-set-filter`) are the daemon's to make: this module only
//! evaluates.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use regex::Regex;
use serde_json::Value;

use crate::tetragon::{CapFilter, CapFilterSet, EventType, Filter, GetEventsResponse, Process};

/// A filter could not be compiled or parsed. The message names the field and
/// the offending value.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// A regex field holds an invalid pattern.
    #[error("{field}: `{value}` is not a valid regex: {reason}")]
    Regex {
        field: &'static str,
        value: String,
        /// The regex crate's message, on one line.
        reason: String,
    },
    /// A `labels` entry is not a valid Kubernetes label selector.
    #[error("labels: `{value}` is not a valid label selector: {reason}")]
    LabelSelector { value: String, reason: String },
    /// A capability filter set does not define exactly one match set.
    #[error("capabilities.{set}: {reason}")]
    Capabilities { set: &'static str, reason: String },
    /// A `cel_expression` does not compile.
    #[error("cel_expression: `{value}`: {reason}")]
    Cel { value: String, reason: String },
    /// A filter list (e.g. `--export-allowlist`) is not valid JSON or not a
    /// Filter.
    #[error("line {line}: {message}")]
    Parse { line: usize, message: String },
}

/// One `Filter` field, compiled.
#[derive(Debug, Clone)]
enum Matcher {
    BinaryRegex(Vec<Regex>),
    ParentBinaryRegex(Vec<Regex>),
    AncestorBinaryRegex(Vec<Regex>),
    HealthCheck(bool),
    Namespace(Vec<String>),
    NamespaceRegex(Vec<Regex>),
    Pid(Vec<u32>),
    PidSet(PidSet),
    EventSet(Vec<i32>),
    ArgumentsRegex(Vec<Regex>),
    ParentArgumentsRegex(Vec<Regex>),
    Labels(Vec<labels::Selector>),
    PodRegex(Vec<Regex>),
    PolicyNames(Vec<String>),
    Capabilities(Box<CapFilter>),
    ContainerId(Vec<Regex>),
    InInitTree(bool),
    Cel(cel_expr::CelFilter),
    ContainerNameRegex(Vec<Regex>),
}

/// `pid_set` state: the PIDs of the filter, and the PIDs seen since to
/// descend from them.
#[derive(Debug, Clone)]
struct PidSet {
    pids: Vec<u32>,
    children: Arc<Mutex<HashSet<u32>>>,
}

impl PidSet {
    fn contains(&self, children: &HashSet<u32>, pid: u32) -> bool {
        self.pids.contains(&pid) || children.contains(&pid)
    }

    /// The process matches when its PID is in the set, or when its parent's
    /// (or, when the event carries them, any ancestor's) is in the set or was
    /// itself seen to descend from it. The event only names the parent, so
    /// deeper descendants are recognised through the PIDs this filter
    /// remembers from earlier events: a process whose parent matched is
    /// added to the set, as upstream does. Nothing is ever forgotten (PIDs
    /// may be reused), which is why upstream keeps this filter for testing.
    fn matches(&self, ev: &GetEventsResponse) -> bool {
        let Some(process) = ev.process() else {
            return false;
        };
        let pid = pid_of(process);
        let mut children = self
            .children
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.contains(&children, pid) {
            return true;
        }
        let ancestor_matches = ev
            .parent()
            .into_iter()
            .chain(ev.ancestors())
            .any(|p| self.contains(&children, pid_of(p)));
        if ancestor_matches {
            children.insert(pid);
        }
        ancestor_matches
    }
}

fn pid_of(process: &Process) -> u32 {
    process.pid.as_ref().map_or(0, |p| p.value)
}

fn any_match(regexes: &[Regex], text: &str) -> bool {
    regexes.iter().any(|re| re.is_match(text))
}

fn can_be_health_check(process: Option<&Process>) -> bool {
    process
        .and_then(|p| p.pod.as_ref())
        .and_then(|pod| pod.container.as_ref())
        .is_some_and(|c| c.maybe_exec_probe)
}

/// Whether `caps` satisfies `set` (upstream: only the first non-empty of
/// any/all/exactly/none counts; an unset set is satisfied).
fn cap_set_matches(caps: &[i32], set: Option<&CapFilterSet>) -> bool {
    let Some(set) = set else {
        return true;
    };
    let have: HashSet<i32> = caps.iter().copied().collect();
    if !set.any.is_empty() {
        return set.any.iter().any(|c| have.contains(c));
    }
    if !set.all.is_empty() {
        return set.all.iter().all(|c| have.contains(c));
    }
    if !set.exactly.is_empty() {
        let want: HashSet<i32> = set.exactly.iter().copied().collect();
        return want == have;
    }
    if !set.none.is_empty() {
        return !set.none.iter().any(|c| have.contains(c));
    }
    false
}

fn check_cap_set(set: Option<&CapFilterSet>, name: &'static str) -> Result<(), FilterError> {
    let Some(set) = set else {
        return Ok(());
    };
    let defined: Vec<&str> = [
        ("any", set.any.is_empty()),
        ("all", set.all.is_empty()),
        ("exactly", set.exactly.is_empty()),
        ("none", set.none.is_empty()),
    ]
    .into_iter()
    .filter(|(_, empty)| !empty)
    .map(|(n, _)| n)
    .collect();
    match defined.len() {
        1 => Ok(()),
        0 => Err(FilterError::Capabilities {
            set: name,
            reason: "must define exactly one of any, all, exactly, none".into(),
        }),
        _ => Err(FilterError::Capabilities {
            set: name,
            reason: format!("may define only one match set, got: {}", defined.join(", ")),
        }),
    }
}

impl Matcher {
    fn matches(&self, ev: &GetEventsResponse) -> bool {
        match self {
            Matcher::BinaryRegex(res) => ev.process().is_some_and(|p| any_match(res, &p.binary)),
            Matcher::ParentBinaryRegex(res) => {
                ev.parent().is_some_and(|p| any_match(res, &p.binary))
            }
            Matcher::AncestorBinaryRegex(res) => {
                ev.ancestors().iter().any(|p| any_match(res, &p.binary))
            }
            Matcher::HealthCheck(want) => {
                let maybe = can_be_health_check(ev.process()) || can_be_health_check(ev.parent());
                maybe == *want
            }
            Matcher::Namespace(namespaces) => ev.process().is_some_and(|p| {
                let ns = p.pod.as_ref().map(|pod| pod.namespace.as_str());
                namespaces.iter().any(|want| match ns {
                    None => want.is_empty(),
                    Some(ns) => want == ns,
                })
            }),
            Matcher::NamespaceRegex(res) => ev
                .process()
                .and_then(|p| p.pod.as_ref())
                .is_some_and(|pod| any_match(res, &pod.namespace)),
            Matcher::Pid(pids) => ev.process().is_some_and(|p| pids.contains(&pid_of(p))),
            Matcher::PidSet(set) => set.matches(ev),
            Matcher::EventSet(types) => {
                let t = ev
                    .event_type()
                    .map_or(EventType::Undef as i32, |t| t as i32);
                types.contains(&t)
            }
            Matcher::ArgumentsRegex(res) => {
                ev.process().is_some_and(|p| any_match(res, &p.arguments))
            }
            Matcher::ParentArgumentsRegex(res) => {
                ev.parent().is_some_and(|p| any_match(res, &p.arguments))
            }
            Matcher::Labels(selectors) => ev
                .process()
                .and_then(|p| p.pod.as_ref())
                .is_some_and(|pod| selectors.iter().any(|s| s.matches(&pod.pod_labels))),
            Matcher::PodRegex(res) => ev
                .process()
                .and_then(|p| p.pod.as_ref())
                .is_some_and(|pod| any_match(res, &pod.name)),
            Matcher::PolicyNames(names) => ev
                .policy_name()
                .is_some_and(|name| names.iter().any(|n| n == name)),
            Matcher::Capabilities(filter) => {
                ev.process()
                    .and_then(|p| p.cap.as_ref())
                    .is_some_and(|caps| {
                        cap_set_matches(&caps.effective, filter.effective.as_ref())
                            && cap_set_matches(&caps.inheritable, filter.inheritable.as_ref())
                            && cap_set_matches(&caps.permitted, filter.permitted.as_ref())
                    })
            }
            Matcher::ContainerId(res) => ev.process().is_some_and(|p| any_match(res, &p.docker)),
            Matcher::InInitTree(want) => {
                let in_tree = ev
                    .process()
                    .and_then(|p| p.in_init_tree.as_ref())
                    .is_some_and(|b| b.value);
                in_tree == *want
            }
            Matcher::Cel(cel) => cel.matches(ev),
            Matcher::ContainerNameRegex(res) => ev
                .process()
                .and_then(|p| p.pod.as_ref())
                .and_then(|pod| pod.container.as_ref())
                .is_some_and(|c| any_match(res, &c.name)),
        }
    }
}

/// The regex crate draws its parse errors over several lines (pattern,
/// caret, message); keep the message, so errors stay one line.
pub fn one_line_regex_error(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().trim_start_matches("error: ").to_string())
        .unwrap_or(text)
}

fn compile_regexes(field: &'static str, patterns: &[String]) -> Result<Vec<Regex>, FilterError> {
    patterns
        .iter()
        .map(|p| {
            Regex::new(p).map_err(|error| FilterError::Regex {
                field,
                value: p.clone(),
                reason: one_line_regex_error(&error),
            })
        })
        .collect()
}

/// One [`Filter`], compiled: regexes, label selectors and CEL programs are
/// built once. Clones share the `pid_set` state.
#[derive(Debug, Clone)]
pub struct CompiledFilter {
    checks: Vec<Matcher>,
}

impl CompiledFilter {
    /// Compiles `filter`; the error names the first invalid field and value.
    pub fn new(filter: &Filter) -> Result<Self, FilterError> {
        let mut checks = Vec::new();
        fn regexes(
            field: &'static str,
            patterns: &[String],
            make: fn(Vec<Regex>) -> Matcher,
            checks: &mut Vec<Matcher>,
        ) -> Result<(), FilterError> {
            if !patterns.is_empty() {
                checks.push(make(compile_regexes(field, patterns)?));
            }
            Ok(())
        }
        // Same order as upstream, so that `pid_set` sees the same events.
        regexes(
            "binary_regex",
            &filter.binary_regex,
            Matcher::BinaryRegex,
            &mut checks,
        )?;
        regexes(
            "parent_binary_regex",
            &filter.parent_binary_regex,
            Matcher::ParentBinaryRegex,
            &mut checks,
        )?;
        regexes(
            "ancestor_binary_regex",
            &filter.ancestor_binary_regex,
            Matcher::AncestorBinaryRegex,
            &mut checks,
        )?;
        if let Some(h) = &filter.health_check {
            checks.push(Matcher::HealthCheck(h.value));
        }
        if !filter.namespace.is_empty() {
            checks.push(Matcher::Namespace(filter.namespace.clone()));
        }
        regexes(
            "namespace_regex",
            &filter.namespace_regex,
            Matcher::NamespaceRegex,
            &mut checks,
        )?;
        if !filter.pid.is_empty() {
            checks.push(Matcher::Pid(filter.pid.clone()));
        }
        if !filter.pid_set.is_empty() {
            checks.push(Matcher::PidSet(PidSet {
                pids: filter.pid_set.clone(),
                children: Arc::default(),
            }));
        }
        if !filter.event_set.is_empty() {
            checks.push(Matcher::EventSet(filter.event_set.clone()));
        }
        regexes(
            "arguments_regex",
            &filter.arguments_regex,
            Matcher::ArgumentsRegex,
            &mut checks,
        )?;
        regexes(
            "parent_arguments_regex",
            &filter.parent_arguments_regex,
            Matcher::ParentArgumentsRegex,
            &mut checks,
        )?;
        if !filter.labels.is_empty() {
            let selectors = filter
                .labels
                .iter()
                .map(|s| {
                    labels::Selector::parse(s).map_err(|reason| FilterError::LabelSelector {
                        value: s.clone(),
                        reason,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            checks.push(Matcher::Labels(selectors));
        }
        regexes(
            "pod_regex",
            &filter.pod_regex,
            Matcher::PodRegex,
            &mut checks,
        )?;
        if !filter.policy_names.is_empty() {
            checks.push(Matcher::PolicyNames(filter.policy_names.clone()));
        }
        if let Some(caps) = &filter.capabilities {
            check_cap_set(caps.permitted.as_ref(), "permitted")?;
            check_cap_set(caps.effective.as_ref(), "effective")?;
            check_cap_set(caps.inheritable.as_ref(), "inheritable")?;
            checks.push(Matcher::Capabilities(Box::new(caps.clone())));
        }
        regexes(
            "container_id",
            &filter.container_id,
            Matcher::ContainerId,
            &mut checks,
        )?;
        if let Some(b) = &filter.in_init_tree {
            checks.push(Matcher::InInitTree(b.value));
        }
        if !filter.cel_expression.is_empty() {
            checks.push(Matcher::Cel(cel_expr::CelFilter::compile(
                &filter.cel_expression,
            )?));
        }
        regexes(
            "container_name_regex",
            &filter.container_name_regex,
            Matcher::ContainerNameRegex,
            &mut checks,
        )?;
        Ok(Self { checks })
    }

    /// Whether every set field of the filter matches `ev`.
    pub fn matches(&self, ev: &GetEventsResponse) -> bool {
        self.checks.iter().all(|c| c.matches(ev))
    }
}

/// A list of compiled filters, matching when any of them matches.
#[derive(Debug, Clone, Default)]
pub struct FilterList {
    filters: Vec<CompiledFilter>,
}

impl FilterList {
    /// Compiles every filter; the first error is returned.
    pub fn compile(filters: &[Filter]) -> Result<Self, FilterError> {
        Ok(Self {
            filters: filters
                .iter()
                .map(CompiledFilter::new)
                .collect::<Result<_, _>>()?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    pub fn len(&self) -> usize {
        self.filters.len()
    }

    /// Whether any filter matches `ev` (`false` for an empty list).
    pub fn matches_any(&self, ev: &GetEventsResponse) -> bool {
        self.filters.iter().any(|f| f.matches(ev))
    }
}

/// An allow list and a deny list.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub allow: FilterList,
    pub deny: FilterList,
}

impl EventFilter {
    /// Compiles both lists.
    pub fn new(allow: &[Filter], deny: &[Filter]) -> Result<Self, FilterError> {
        Ok(Self {
            allow: FilterList::compile(allow)?,
            deny: FilterList::compile(deny)?,
        })
    }

    /// Allowed (the allow list is empty or matches) and not denied (the
    /// deny list does not match).
    pub fn passes(&self, ev: &GetEventsResponse) -> bool {
        (self.allow.is_empty() || self.allow.matches_any(ev)) && !self.deny.matches_any(ev)
    }
}

/// Parses a filter list in the format of the daemon's `--export-allowlist`
/// and `--export-denylist`: Filter objects in protobuf JSON (snake_case or
/// lowerCamelCase names), typically one per line, e.g.
/// `{"event_set":["PROCESS_EXEC","PROCESS_EXIT"]}` or
/// `{"health_check":true}`. Blank lines are ignored; a JSON array of filters
/// is accepted too. Unknown field names are rejected, as upstream's protobuf
/// JSON parser does. The error names the line.
pub fn parse_filter_lines(text: &str) -> Result<Vec<Filter>, FilterError> {
    parse_messages(text, "tetragon.Filter")
        .map_err(|(line, message)| FilterError::Parse { line, message })
}

/// Messages of type `type_name` in protobuf JSON, separated by whitespace
/// and/or in JSON arrays, checked for unknown fields; an error carries the
/// line it is on.
pub(crate) fn parse_messages<T: serde::de::DeserializeOwned>(
    text: &str,
    type_name: &str,
) -> Result<Vec<T>, (usize, String)> {
    let mut out = Vec::new();
    for (line, value) in json_values(text)? {
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            if !item.is_object() {
                let short = type_name.trim_start_matches("tetragon.");
                return Err((line, format!("expected a {short} object, got `{item}`")));
            }
            crate::field_filter::schema::check_known_fields(&item, type_name)
                .map_err(|message| (line, message))?;
            out.push(serde_json::from_value(item).map_err(|e| (line, e.to_string()))?);
        }
    }
    Ok(out)
}

/// The JSON values of `text`, separated by whitespace, each with the
/// (1-based) line it starts on. Errors carry the line and serde's message.
pub(crate) fn json_values(text: &str) -> Result<Vec<(usize, Value)>, (usize, String)> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut out = Vec::new();
    loop {
        let offset = stream.byte_offset();
        let rest = &text[offset..];
        let start = offset + (rest.len() - rest.trim_start().len());
        let line = text[..start].matches('\n').count() + 1;
        match stream.next() {
            None => break,
            Some(Ok(value)) => out.push((line, value)),
            Some(Err(e)) => {
                let line = if e.line() > 0 { e.line() } else { line };
                return Err((line, e.to_string()));
            }
        }
    }
    Ok(out)
}

/// Kubernetes label selectors, as `kubectl get -l` takes them.
mod labels {
    use super::BTreeMap;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Op {
        In,
        NotIn,
        Equals,
        DoubleEquals,
        NotEquals,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    #[derive(Debug, Clone)]
    struct Requirement {
        key: String,
        op: Op,
        values: Vec<String>,
    }

    impl Requirement {
        fn new(key: String, op: Op, mut values: Vec<String>) -> Result<Self, String> {
            values.sort();
            values.dedup();
            validate_key(&key)?;
            match op {
                Op::In | Op::NotIn if values.is_empty() => {
                    return Err("for 'in', 'notin' operators, values set can't be empty".into());
                }
                Op::Equals | Op::DoubleEquals | Op::NotEquals if values.len() != 1 => {
                    return Err("exact-match compatibility requires one single value".into());
                }
                Op::Exists | Op::DoesNotExist if !values.is_empty() => {
                    return Err("values set must be empty for exists and does not exist".into());
                }
                Op::GreaterThan | Op::LessThan => {
                    if values.len() != 1 {
                        return Err(
                            "for 'Gt', 'Lt' operators, exactly one value is required".into()
                        );
                    }
                    if values[0].parse::<i64>().is_err() {
                        return Err(format!(
                            "for 'Gt', 'Lt' operators, the value must be an integer, got `{}`",
                            values[0]
                        ));
                    }
                }
                _ => {}
            }
            for v in &values {
                validate_value(v)?;
            }
            Ok(Self { key, op, values })
        }

        fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
            let value = labels.get(&self.key);
            match self.op {
                Op::In | Op::Equals | Op::DoubleEquals => {
                    value.is_some_and(|v| self.values.contains(v))
                }
                Op::NotIn | Op::NotEquals => value.is_none_or(|v| !self.values.contains(v)),
                Op::Exists => value.is_some(),
                Op::DoesNotExist => value.is_none(),
                Op::GreaterThan | Op::LessThan => {
                    let Some(have) = value.and_then(|v| v.parse::<i64>().ok()) else {
                        return false;
                    };
                    let Some(want) = self.values.first().and_then(|v| v.parse::<i64>().ok()) else {
                        return false;
                    };
                    if self.op == Op::GreaterThan {
                        have > want
                    } else {
                        have < want
                    }
                }
            }
        }
    }

    /// A parsed selector: all requirements must hold. The empty selector
    /// matches every label set.
    #[derive(Debug, Clone)]
    pub(crate) struct Selector {
        requirements: Vec<Requirement>,
    }

    impl Selector {
        pub(crate) fn parse(text: &str) -> Result<Self, String> {
            let tokens = lex(text)?;
            let requirements = Parser { tokens, pos: 0 }.parse()?;
            Ok(Self { requirements })
        }

        pub(crate) fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
            self.requirements.iter().all(|r| r.matches(labels))
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Tok {
        End,
        ClosePar,
        Comma,
        Not,
        DoubleEquals,
        Equals,
        Greater,
        Ident(String),
        In,
        Less,
        NotEquals,
        NotIn,
        OpenPar,
    }

    impl Tok {
        fn text(&self) -> String {
            match self {
                Tok::End => String::new(),
                Tok::ClosePar => ")".into(),
                Tok::Comma => ",".into(),
                Tok::Not => "!".into(),
                Tok::DoubleEquals => "==".into(),
                Tok::Equals => "=".into(),
                Tok::Greater => ">".into(),
                Tok::Ident(s) => s.clone(),
                Tok::In => "in".into(),
                Tok::Less => "<".into(),
                Tok::NotEquals => "!=".into(),
                Tok::NotIn => "notin".into(),
                Tok::OpenPar => "(".into(),
            }
        }
    }

    fn is_special(c: char) -> bool {
        matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
    }

    fn is_space(c: char) -> bool {
        matches!(c, ' ' | '\t' | '\r' | '\n')
    }

    fn lex(text: &str) -> Result<Vec<Tok>, String> {
        let chars: Vec<char> = text.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if is_space(c) {
                i += 1;
            } else if is_special(c) {
                // The two-character operators, else the single character.
                let next = chars.get(i + 1).copied();
                let (tok, len) = match (c, next) {
                    ('!', Some('=')) => (Tok::NotEquals, 2),
                    ('=', Some('=')) => (Tok::DoubleEquals, 2),
                    ('!', _) => (Tok::Not, 1),
                    ('=', _) => (Tok::Equals, 1),
                    ('(', _) => (Tok::OpenPar, 1),
                    (')', _) => (Tok::ClosePar, 1),
                    (',', _) => (Tok::Comma, 1),
                    ('>', _) => (Tok::Greater, 1),
                    _ => (Tok::Less, 1),
                };
                tokens.push(tok);
                i += len;
            } else {
                let start = i;
                while i < chars.len() && !is_special(chars[i]) && !is_space(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                tokens.push(match word.as_str() {
                    "in" => Tok::In,
                    "notin" => Tok::NotIn,
                    _ => Tok::Ident(word),
                });
            }
        }
        tokens.push(Tok::End);
        Ok(tokens)
    }

    struct Parser {
        tokens: Vec<Tok>,
        pos: usize,
    }

    impl Parser {
        /// The next token; where values are expected, `in` and `notin` are
        /// plain identifiers.
        fn peek(&self, values: bool) -> Tok {
            let tok = self.tokens.get(self.pos).cloned().unwrap_or(Tok::End);
            match tok {
                Tok::In | Tok::NotIn if values => Tok::Ident(tok.text()),
                other => other,
            }
        }

        fn next(&mut self, values: bool) -> Tok {
            let tok = self.peek(values);
            if self.pos < self.tokens.len() {
                self.pos += 1;
            }
            tok
        }

        fn parse(mut self) -> Result<Vec<Requirement>, String> {
            let mut requirements = Vec::new();
            loop {
                match self.peek(true) {
                    Tok::Ident(_) | Tok::Not => {
                        requirements.push(self.requirement()?);
                        match self.next(true) {
                            Tok::End => return Ok(requirements),
                            Tok::Comma => {
                                let after = self.peek(true);
                                if !matches!(after, Tok::Ident(_) | Tok::Not) {
                                    return Err(format!(
                                        "found '{}', expected: identifier after ','",
                                        after.text()
                                    ));
                                }
                            }
                            other => {
                                return Err(format!(
                                    "found '{}', expected: ',' or 'end of string'",
                                    other.text()
                                ));
                            }
                        }
                    }
                    Tok::End => return Ok(requirements),
                    other => {
                        return Err(format!(
                            "found '{}', expected: !, identifier, or 'end of string'",
                            other.text()
                        ));
                    }
                }
            }
        }

        fn requirement(&mut self) -> Result<Requirement, String> {
            let mut tok = self.next(true);
            let negated = tok == Tok::Not;
            if negated {
                tok = self.next(true);
            }
            let Tok::Ident(key) = tok else {
                return Err(format!("found '{}', expected: identifier", tok.text()));
            };
            validate_key(&key)?;
            let at_end = matches!(self.peek(true), Tok::End | Tok::Comma);
            if negated {
                return Requirement::new(key, Op::DoesNotExist, Vec::new());
            }
            if at_end {
                return Requirement::new(key, Op::Exists, Vec::new());
            }
            let op = match self.next(false) {
                Tok::In => Op::In,
                Tok::NotIn => Op::NotIn,
                Tok::Equals => Op::Equals,
                Tok::DoubleEquals => Op::DoubleEquals,
                Tok::NotEquals => Op::NotEquals,
                Tok::Greater => Op::GreaterThan,
                Tok::Less => Op::LessThan,
                other => {
                    return Err(format!(
                        "found '{}', expected: in, notin, =, ==, !=, gt, lt",
                        other.text()
                    ));
                }
            };
            let values = match op {
                Op::In | Op::NotIn => self.value_set()?,
                _ => self.exact_value()?,
            };
            Requirement::new(key, op, values)
        }

        fn value_set(&mut self) -> Result<Vec<String>, String> {
            let open = self.next(true);
            if open != Tok::OpenPar {
                return Err(format!("found '{}' expected: '('", open.text()));
            }
            match self.peek(true) {
                Tok::Ident(_) | Tok::Comma => {
                    let values = self.identifier_list()?;
                    let close = self.next(true);
                    if close != Tok::ClosePar {
                        return Err(format!("found '{}', expected: ')'", close.text()));
                    }
                    Ok(values)
                }
                Tok::ClosePar => {
                    self.next(true);
                    Ok(vec![String::new()])
                }
                other => Err(format!(
                    "found '{}', expected: ',', ')' or identifier",
                    other.text()
                )),
            }
        }

        /// The values between the parentheses; empty entries (`(a,,b)`,
        /// `(,a)`, `(a,)`) stand for the empty value.
        fn identifier_list(&mut self) -> Result<Vec<String>, String> {
            let mut values = Vec::new();
            loop {
                match self.next(true) {
                    Tok::Ident(v) => {
                        values.push(v);
                        match self.peek(true) {
                            Tok::Comma => {}
                            Tok::ClosePar => return Ok(values),
                            other => {
                                return Err(format!(
                                    "found '{}', expected: ',' or ')'",
                                    other.text()
                                ));
                            }
                        }
                    }
                    Tok::Comma => {
                        if values.is_empty() {
                            values.push(String::new());
                        }
                        match self.peek(true) {
                            Tok::ClosePar => {
                                values.push(String::new());
                                return Ok(values);
                            }
                            Tok::Comma => {
                                self.next(true);
                                values.push(String::new());
                            }
                            _ => {}
                        }
                    }
                    other => {
                        return Err(format!(
                            "found '{}', expected: ',', or identifier",
                            other.text()
                        ));
                    }
                }
            }
        }

        fn exact_value(&mut self) -> Result<Vec<String>, String> {
            if matches!(self.peek(true), Tok::End | Tok::Comma) {
                return Ok(vec![String::new()]);
            }
            match self.next(true) {
                Tok::Ident(v) => Ok(vec![v]),
                other => Err(format!("found '{}', expected: identifier", other.text())),
            }
        }
    }

    /// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63 characters.
    fn is_label_name(s: &str) -> bool {
        let b = s.as_bytes();
        !b.is_empty()
            && b.len() <= 63
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    }

    /// A lowercase RFC 1123 subdomain of at most 253 characters.
    fn is_dns_subdomain(s: &str) -> bool {
        s.len() <= 253
            && s.split('.').all(|label| {
                let b = label.as_bytes();
                !b.is_empty()
                    && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
                    && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
                    && b.iter()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            })
    }

    fn validate_key(key: &str) -> Result<(), String> {
        let (prefix, name) = match key.split_once('/') {
            Some((prefix, name)) => (Some(prefix), name),
            None => (None, key),
        };
        if let Some(prefix) = prefix
            && (prefix.is_empty() || !is_dns_subdomain(prefix))
        {
            return Err(format!(
                "invalid label key `{key}`: prefix must be a DNS-1123 subdomain"
            ));
        }
        if !is_label_name(name) {
            return Err(format!(
                "invalid label key `{key}`: name part must consist of alphanumeric \
                 characters, '-', '_' or '.', start and end with an alphanumeric \
                 character, and be at most 63 characters"
            ));
        }
        Ok(())
    }

    fn validate_value(value: &str) -> Result<(), String> {
        if value.is_empty() || is_label_name(value) {
            Ok(())
        } else {
            Err(format!(
                "invalid label value `{value}`: must be empty or consist of alphanumeric \
                 characters, '-', '_' or '.', start and end with an alphanumeric character, \
                 and be at most 63 characters"
            ))
        }
    }
}

/// `cel_expression`: CEL programs over the event, with the protobuf event
/// messages bound to variables named after the `GetEventsResponse` oneof
/// fields (`process_exec`, `process_kprobe`, ...), as upstream does.
///
/// * Field reads follow protobuf semantics: an unset scalar reads as its
///   default (`""`, `0`, `false`), an unset message as an empty message,
///   an unset wrapper (`pid`, `uid`, ...) as `null`; enums read as ints
///   (`[tetragon.]KprobeAction.KPROBE_ACTION_POST` names one); timestamps
///   and durations are CEL timestamps and durations.
/// * `has(msg.field)` is true when the field is set (non-default for
///   scalars, non-empty for lists and maps). This needs the operand's message
///   type to be known when compiling, which it is for paths from an event
///   variable, through list indexes and comprehension variables over
///   repeated messages; on a message reached otherwise (say, from a list
///   literal) `has()` is true for every field of the message.
/// * A program is run only for events whose variable it refers to; the
///   other event variables are bound to empty messages.
/// * Compiling rejects syntax errors, references to unknown variables and
///   unknown fields of the event messages. Unlike upstream (cel-go), there
///   is no full type checker: a program whose result is not a bool simply
///   does not match, and calls to unknown functions fail at run time.
/// * An evaluation error makes the whole filter field not match (upstream
///   does the same).
/// * The Kubernetes IP and CIDR libraries are provided: `ip()`, `isIP()`,
///   `ip.isCanonical()`, `family()`, `isUnspecified()`, `isLoopback()`,
///   `isLinkLocalMulticast()`, `isLinkLocalUnicast()`, `isGlobalUnicast()`,
///   `cidr()`, `isCIDR()`, `containsIP()`, `containsCIDR()`, `ip()`,
///   `masked()`, `prefixLength()`, and `string()` of both.
mod cel_expr {
    use std::collections::{HashMap, HashSet};
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::sync::{Arc, OnceLock};

    use cel::common::ast::{
        CallExpr, EntryExpr, Expr, IdedExpr, LiteralValue, SelectExpr, operators,
    };
    use cel::common::traits::Indexer;
    use cel::common::types::{
        self as cel_types, CelBool, CelBytes, CelDouble, CelDuration, CelInt, CelList, CelMap,
        CelMapKey, CelNull, CelString, CelTimestamp, CelUInt, Type,
    };
    use cel::common::value::{CowVal, StaticVal, Val};
    use cel::{Context, Env, ExecutionError};
    use prost_types::field_descriptor_proto::Type as ProtoType;
    use serde_json::{Map, Value as Json};

    use super::FilterError;
    use crate::field_filter::schema::{self, FieldInfo, Kind, MessageInfo};
    use crate::tetragon::GetEventsResponse;

    /// Marks a `has()` test on a message field, see [`ProtoMsg`].
    const HAS_PREFIX: &str = "\u{1}has\u{1}";

    /// The event variables: oneof field name and message schema.
    fn event_vars() -> &'static [(String, &'static MessageInfo)] {
        static VARS: OnceLock<Vec<(String, &'static MessageInfo)>> = OnceLock::new();
        VARS.get_or_init(|| {
            let schema = schema::schema();
            let Some(response) = schema.message("tetragon.GetEventsResponse") else {
                return Vec::new();
            };
            response
                .fields
                .iter()
                .filter(|f| f.oneof.as_deref() == Some("event"))
                .filter_map(|f| {
                    let msg = schema.message(f.message_type()?)?;
                    Some((f.name.clone(), msg))
                })
                .collect()
        })
    }

    /// The CEL struct type of each message, by full name.
    fn type_of(msg: &MessageInfo) -> &'static Type {
        static TYPES: OnceLock<HashMap<String, Type>> = OnceLock::new();
        static UNKNOWN: Type = Type::new_unspecified_type("tetragon.Unknown");
        TYPES
            .get_or_init(|| {
                schema::schema()
                    .messages()
                    .map(|m| (m.full_name.clone(), Type::new_struct(m.full_name.clone())))
                    .collect()
            })
            .get(&msg.full_name)
            .unwrap_or(&UNKNOWN)
    }

    fn env() -> &'static Arc<Env> {
        static ENV: OnceLock<Arc<Env>> = OnceLock::new();
        ENV.get_or_init(|| {
            let mut env = Env::stdlib();
            net::register(&mut env);
            Arc::new(env)
        })
    }

    #[derive(Debug, Clone)]
    struct Program {
        expr: IdedExpr,
        /// The event variables the program refers to.
        events: Vec<String>,
    }

    #[derive(Debug, Clone)]
    pub(crate) struct CelFilter {
        programs: Vec<Program>,
    }

    impl CelFilter {
        pub(crate) fn compile(sources: &[String]) -> Result<Self, FilterError> {
            let programs = sources
                .iter()
                .map(|src| {
                    compile_one(src).map_err(|reason| FilterError::Cel {
                        value: src.clone(),
                        reason,
                    })
                })
                .collect::<Result<_, _>>()?;
            Ok(Self { programs })
        }

        pub(crate) fn matches(&self, ev: &GetEventsResponse) -> bool {
            let Some(variant) = ev
                .event_type()
                .map(|t| t.as_str_name().to_ascii_lowercase())
            else {
                return false;
            };
            if !self.programs.iter().any(|p| p.events.contains(&variant)) {
                return false;
            }
            let Ok(json) = serde_json::to_value(ev) else {
                return false;
            };
            let current = json.get(&variant).and_then(Json::as_object);
            let mut ctx = Context::with_env(Arc::clone(env()));
            for (name, msg) in event_vars() {
                let obj = if *name == variant { current } else { None };
                ctx.add_variable_as_val(name.clone(), Box::new(ProtoMsg { msg, obj }));
            }
            for program in &self.programs {
                if !program.events.contains(&variant) {
                    continue;
                }
                match cel::Value::resolve(&program.expr, &ctx) {
                    Ok(cel::Value::Bool(true)) => return true,
                    Ok(cel::Value::Bool(false)) => {}
                    // Not a bool, or an error: upstream gives up on the
                    // whole filter field.
                    _ => return false,
                }
            }
            false
        }
    }

    fn compile_one(src: &str) -> Result<Program, String> {
        let mut expr = env().parser().parse(src).map_err(|e| e.to_string())?;
        let mut checker = Checker {
            events: HashSet::new(),
        };
        checker.check(&mut expr, &Scope::default())?;
        let mut events: Vec<String> = checker.events.into_iter().collect();
        events.sort();
        Ok(Program { expr, events })
    }

    /// What the checker knows of an expression's type.
    #[derive(Debug, Clone, Copy)]
    enum Static {
        Msg(&'static MessageInfo),
        RepeatedMsg(&'static MessageInfo),
        Unknown,
    }

    #[derive(Debug, Clone, Default)]
    struct Scope {
        vars: HashMap<String, Static>,
    }

    /// Walks the expression: checks variables and event message fields,
    /// rewrites `has()` on message fields and enum constants, and records
    /// the event variables used.
    struct Checker {
        events: HashSet<String>,
    }

    fn is_event_var(name: &str) -> bool {
        event_vars().iter().any(|(n, _)| n == name)
    }

    fn field_static(field: &FieldInfo) -> Static {
        let Some(name) = field.message_type() else {
            return Static::Unknown;
        };
        if name.starts_with("google.protobuf.") {
            return Static::Unknown;
        }
        match schema::schema().message(name) {
            Some(msg) if field.repeated => Static::RepeatedMsg(msg),
            Some(msg) => Static::Msg(msg),
            None => Static::Unknown,
        }
    }

    /// The value of the enum constant `segments` names
    /// (`[tetragon.]Enum.VALUE`), if it names one.
    fn enum_constant(segments: &[&str]) -> Option<i64> {
        let (value, enum_path) = segments.split_last()?;
        if enum_path.is_empty() {
            return None;
        }
        let name = enum_path.join(".");
        let schema = schema::schema();
        let info = schema
            .enum_info(&name)
            .or_else(|| schema.enum_info(&format!("tetragon.{name}")))?;
        info.values.get(*value).map(|&v| i64::from(v))
    }

    fn name_segments(expr: &Expr) -> Option<Vec<&str>> {
        let mut segments = Vec::new();
        let mut e = expr;
        loop {
            match e {
                Expr::Ident(name) => {
                    segments.push(name.as_str());
                    segments.reverse();
                    return Some(segments);
                }
                Expr::Select(sel) if !sel.test => {
                    segments.push(sel.field.as_str());
                    e = &sel.operand.expr;
                }
                _ => return None,
            }
        }
    }

    impl Checker {
        fn check(&mut self, e: &mut IdedExpr, scope: &Scope) -> Result<Static, String> {
            match &mut e.expr {
                Expr::Ident(name) => {
                    if let Some(t) = scope.vars.get(name.as_str()) {
                        return Ok(*t);
                    }
                    if let Some((_, msg)) = event_vars().iter().find(|(n, _)| n == name) {
                        self.events.insert(name.clone());
                        return Ok(Static::Msg(msg));
                    }
                    if env().types().find_type(name).is_some() {
                        return Ok(Static::Unknown);
                    }
                    Err(format!("undeclared reference to '{name}'"))
                }
                Expr::Select(_) => {
                    // An enum constant, unless its root is a variable.
                    if let Some(segments) = name_segments(&e.expr) {
                        let root = segments[0];
                        if !scope.vars.contains_key(root)
                            && !is_event_var(root)
                            && let Some(v) = enum_constant(&segments)
                        {
                            e.expr = Expr::Literal(LiteralValue::Int(CelInt::from(v)));
                            return Ok(Static::Unknown);
                        }
                    }
                    let Expr::Select(SelectExpr {
                        operand,
                        field,
                        test,
                    }) = &mut e.expr
                    else {
                        unreachable!("matched a select above");
                    };
                    match self.check(operand, scope)? {
                        Static::Msg(msg) => {
                            let Some(info) = msg.field(field) else {
                                return Err(format!(
                                    "undefined field '{field}' in message {}",
                                    msg.full_name
                                ));
                            };
                            let t = field_static(info);
                            if *test {
                                *field = format!("{HAS_PREFIX}{field}");
                                return Ok(Static::Unknown);
                            }
                            Ok(t)
                        }
                        _ => Ok(Static::Unknown),
                    }
                }
                Expr::Call(CallExpr {
                    func_name,
                    target,
                    args,
                }) => {
                    if let Some(target) = target {
                        // `ns.f(x)` may name a function rather than a method
                        // on a variable.
                        let namespace = matches!(&target.expr, Expr::Ident(n)
                            if !scope.vars.contains_key(n.as_str()) && !is_event_var(n));
                        if !namespace {
                            self.check(target, scope)?;
                        }
                    }
                    let mut types = Vec::with_capacity(args.len());
                    for arg in args.iter_mut() {
                        types.push(self.check(arg, scope)?);
                    }
                    if (func_name == operators::INDEX || func_name == operators::OPT_INDEX)
                        && let Some(Static::RepeatedMsg(msg)) = types.first()
                    {
                        return Ok(Static::Msg(msg));
                    }
                    Ok(Static::Unknown)
                }
                Expr::Comprehension(c) => {
                    let range = self.check(&mut c.iter_range, scope)?;
                    self.check(&mut c.accu_init, scope)?;
                    let mut inner = scope.clone();
                    let element = match range {
                        Static::RepeatedMsg(msg) => Static::Msg(msg),
                        _ => Static::Unknown,
                    };
                    match &c.iter_var2 {
                        // Two variables over a list: index and element.
                        Some(second) => {
                            inner.vars.insert(c.iter_var.clone(), Static::Unknown);
                            inner.vars.insert(second.clone(), element);
                        }
                        None => {
                            inner.vars.insert(c.iter_var.clone(), element);
                        }
                    }
                    inner.vars.insert(c.accu_var.clone(), Static::Unknown);
                    self.check(&mut c.loop_cond, &inner)?;
                    self.check(&mut c.loop_step, &inner)?;
                    self.check(&mut c.result, &inner)?;
                    Ok(Static::Unknown)
                }
                Expr::List(list) => {
                    for el in &mut list.elements {
                        self.check(el, scope)?;
                    }
                    Ok(Static::Unknown)
                }
                Expr::Map(map) => {
                    for entry in &mut map.entries {
                        match &mut entry.expr {
                            EntryExpr::MapEntry(m) => {
                                self.check(&mut m.key, scope)?;
                                self.check(&mut m.value, scope)?;
                            }
                            EntryExpr::StructField(f) => {
                                self.check(&mut f.value, scope)?;
                            }
                        }
                    }
                    Ok(Static::Unknown)
                }
                Expr::Struct(s) => {
                    for entry in &mut s.entries {
                        match &mut entry.expr {
                            EntryExpr::MapEntry(m) => {
                                self.check(&mut m.key, scope)?;
                                self.check(&mut m.value, scope)?;
                            }
                            EntryExpr::StructField(f) => {
                                self.check(&mut f.value, scope)?;
                            }
                        }
                    }
                    Ok(Static::Unknown)
                }
                Expr::Literal(_) | Expr::Unspecified => Ok(Static::Unknown),
            }
        }
    }

    /// A protobuf message, seen through its JSON form.
    #[derive(Debug, Clone, Copy)]
    struct ProtoMsg<'a> {
        msg: &'static MessageInfo,
        /// `None` for an unset message.
        obj: Option<&'a Map<String, Json>>,
    }

    impl Val for ProtoMsg<'_> {
        fn get_type(&self) -> &Type {
            type_of(self.msg)
        }

        fn cel_type() -> &'static Type
        where
            Self: Sized,
        {
            unreachable!("a message's CEL type depends on the message")
        }

        fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn Indexer + 'v)>
        where
            Self: 'v,
        {
            Some(self)
        }

        fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v>
        where
            Self: 'v,
        {
            Box::new(*self)
        }
    }

    impl Indexer for ProtoMsg<'_> {
        fn get<'b, 'v>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'v>, ExecutionError>
        where
            Self: 'v,
        {
            let Some(key) = idx.downcast_ref::<CelString>() else {
                return Err(ExecutionError::UnexpectedType {
                    got: idx.get_type().name().to_owned(),
                    want: "string".into(),
                });
            };
            let key = key.inner();
            if let Some(field) = key.strip_prefix(HAS_PREFIX) {
                if self.msg.field(field).is_none() {
                    return Err(ExecutionError::no_such_key(field));
                }
                let set = self
                    .obj
                    .and_then(|o| o.get(field))
                    .is_some_and(|v| !v.is_null());
                return if set {
                    Ok(CowVal::owned(CelBool::from(true)))
                } else {
                    Err(ExecutionError::no_such_key(field))
                };
            }
            let Some(field) = self.msg.field(key) else {
                return Err(ExecutionError::no_such_key(key));
            };
            let raw = self.obj.and_then(|o| o.get(key));
            Ok(CowVal::Owned(field_value(field, raw)?))
        }

        fn steal<'v>(self: Box<Self>, idx: &dyn Val) -> Result<Box<dyn Val + 'v>, ExecutionError>
        where
            Self: 'v,
        {
            self.get(idx).map(CowVal::into_owned)
        }
    }

    fn bad_value(what: &str, v: &Json) -> ExecutionError {
        ExecutionError::function_error("tetragon", format!("invalid {what} value `{v}`"))
    }

    fn field_value<'a>(
        field: &'static FieldInfo,
        raw: Option<&'a Json>,
    ) -> Result<Box<dyn Val + 'a>, ExecutionError> {
        let raw = raw.filter(|v| !v.is_null());
        if let Some((key_kind, value_kind)) = &field.map {
            let mut map: HashMap<CelMapKey<'a>, Box<dyn Val + 'a>> = HashMap::new();
            if let Some(Json::Object(obj)) = raw {
                for (k, v) in obj {
                    map.insert(map_key(key_kind, k)?, single_value(value_kind, Some(v))?);
                }
            }
            return Ok(Box::new(CelMap::from(map)));
        }
        if field.repeated {
            let mut items: Vec<Box<dyn Val + 'a>> = Vec::new();
            if let Some(Json::Array(values)) = raw {
                for v in values {
                    items.push(single_value(&field.kind, Some(v))?);
                }
            }
            return Ok(Box::new(CelList::from(items)));
        }
        single_value(&field.kind, raw)
    }

    fn map_key<'a>(kind: &Kind, k: &'a str) -> Result<CelMapKey<'a>, ExecutionError> {
        let bad = || bad_value("map key", &Json::String(k.to_owned()));
        Ok(match kind {
            Kind::Scalar(ProtoType::Bool) => CelMapKey::from(k.parse::<bool>().map_err(|_| bad())?),
            Kind::Scalar(
                ProtoType::Int32
                | ProtoType::Int64
                | ProtoType::Sint32
                | ProtoType::Sint64
                | ProtoType::Sfixed32
                | ProtoType::Sfixed64,
            ) => CelMapKey::from(k.parse::<i64>().map_err(|_| bad())?),
            Kind::Scalar(
                ProtoType::Uint32 | ProtoType::Uint64 | ProtoType::Fixed32 | ProtoType::Fixed64,
            ) => CelMapKey::from(k.parse::<u64>().map_err(|_| bad())?),
            _ => CelMapKey::from(k),
        })
    }

    fn json_int(v: &Json) -> Option<i64> {
        match v {
            Json::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Json::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    fn json_uint(v: &Json) -> Option<u64> {
        match v {
            Json::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            }),
            Json::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    fn json_double(v: &Json) -> Option<f64> {
        match v {
            Json::Number(n) => n.as_f64(),
            Json::String(s) => match s.as_str() {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                other => other.parse().ok(),
            },
            _ => None,
        }
    }

    fn scalar_value<'a>(
        ty: ProtoType,
        raw: Option<&'a Json>,
    ) -> Result<Box<dyn Val + 'a>, ExecutionError> {
        use base64::Engine as _;
        Ok(match ty {
            ProtoType::String => Box::new(CelString::from(
                raw.and_then(Json::as_str).unwrap_or_default(),
            )),
            ProtoType::Bytes => {
                let bytes = match raw {
                    None => Vec::new(),
                    Some(v) => {
                        let s = v.as_str().ok_or_else(|| bad_value("bytes", v))?;
                        base64::engine::general_purpose::STANDARD
                            .decode(s)
                            .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(s))
                            .map_err(|_| bad_value("bytes", v))?
                    }
                };
                Box::new(CelBytes::from(bytes))
            }
            ProtoType::Bool => Box::new(CelBool::from(
                raw.and_then(Json::as_bool).unwrap_or_default(),
            )),
            ProtoType::Int32
            | ProtoType::Int64
            | ProtoType::Sint32
            | ProtoType::Sint64
            | ProtoType::Sfixed32
            | ProtoType::Sfixed64 => {
                let v = match raw {
                    None => 0,
                    Some(v) => json_int(v).ok_or_else(|| bad_value("int", v))?,
                };
                Box::new(CelInt::from(v))
            }
            ProtoType::Uint32 | ProtoType::Uint64 | ProtoType::Fixed32 | ProtoType::Fixed64 => {
                let v = match raw {
                    None => 0,
                    Some(v) => json_uint(v).ok_or_else(|| bad_value("uint", v))?,
                };
                Box::new(CelUInt::from(v))
            }
            ProtoType::Float | ProtoType::Double => {
                let v = match raw {
                    None => 0.0,
                    Some(v) => json_double(v).ok_or_else(|| bad_value("double", v))?,
                };
                Box::new(CelDouble::from(v))
            }
            ProtoType::Enum | ProtoType::Message | ProtoType::Group => {
                return Err(ExecutionError::function_error(
                    "tetragon",
                    "not a scalar field",
                ));
            }
        })
    }

    fn parse_duration(s: &str) -> Option<chrono::Duration> {
        let secs = s.strip_suffix('s')?;
        let (negative, secs) = match secs.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, secs),
        };
        let (whole, frac) = secs.split_once('.').unwrap_or((secs, ""));
        let whole: i64 = whole.parse().ok()?;
        let nanos: i64 = if frac.is_empty() {
            0
        } else {
            if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            format!("{frac:0<9}").parse().ok()?
        };
        let d = chrono::Duration::seconds(whole) + chrono::Duration::nanoseconds(nanos);
        Some(if negative { -d } else { d })
    }

    fn json_generic<'a>(v: &'a Json) -> Box<dyn Val + 'a> {
        match v {
            Json::Null => Box::new(CelNull),
            Json::Bool(b) => Box::new(CelBool::from(*b)),
            Json::Number(n) => Box::new(CelDouble::from(n.as_f64().unwrap_or_default())),
            Json::String(s) => Box::new(CelString::from(s.as_str())),
            Json::Array(items) => Box::new(CelList::from(
                items.iter().map(json_generic).collect::<Vec<_>>(),
            )),
            Json::Object(obj) => Box::new(CelMap::from(
                obj.iter()
                    .map(|(k, v)| (CelMapKey::from(k.as_str()), json_generic(v)))
                    .collect::<HashMap<_, _>>(),
            )),
        }
    }

    fn single_value<'a>(
        kind: &'static Kind,
        raw: Option<&'a Json>,
    ) -> Result<Box<dyn Val + 'a>, ExecutionError> {
        let raw = raw.filter(|v| !v.is_null());
        match kind {
            Kind::Scalar(ty) => scalar_value(*ty, raw),
            Kind::Enum(name) => {
                let v = match raw {
                    None => 0,
                    Some(Json::String(s)) => schema::schema()
                        .enum_info(name)
                        .and_then(|e| e.values.get(s))
                        .map(|&n| i64::from(n))
                        .ok_or_else(|| bad_value("enum", &Json::String(s.clone())))?,
                    Some(v) => json_int(v).ok_or_else(|| bad_value("enum", v))?,
                };
                Ok(Box::new(CelInt::from(v)))
            }
            Kind::Message(name) => message_value(name, raw),
        }
    }

    fn message_value<'a>(
        name: &str,
        raw: Option<&'a Json>,
    ) -> Result<Box<dyn Val + 'a>, ExecutionError> {
        let wrapped = |ty: ProtoType| -> Result<Box<dyn Val + 'a>, ExecutionError> {
            match raw {
                None => Ok(Box::new(CelNull)),
                Some(_) => scalar_value(ty, raw),
            }
        };
        match name {
            "google.protobuf.Timestamp" => {
                let ts = match raw {
                    None => chrono::DateTime::UNIX_EPOCH.fixed_offset(),
                    Some(v) => v
                        .as_str()
                        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                        .ok_or_else(|| bad_value("timestamp", v))?,
                };
                Ok(Box::new(CelTimestamp::from(ts)))
            }
            "google.protobuf.Duration" => {
                let d = match raw {
                    None => chrono::Duration::zero(),
                    Some(v) => v
                        .as_str()
                        .and_then(parse_duration)
                        .ok_or_else(|| bad_value("duration", v))?,
                };
                Ok(Box::new(CelDuration::from(d)))
            }
            "google.protobuf.BoolValue" => wrapped(ProtoType::Bool),
            "google.protobuf.StringValue" => wrapped(ProtoType::String),
            "google.protobuf.BytesValue" => wrapped(ProtoType::Bytes),
            "google.protobuf.Int32Value" | "google.protobuf.Int64Value" => {
                wrapped(ProtoType::Int64)
            }
            "google.protobuf.UInt32Value" | "google.protobuf.UInt64Value" => {
                wrapped(ProtoType::Uint64)
            }
            "google.protobuf.FloatValue" | "google.protobuf.DoubleValue" => {
                wrapped(ProtoType::Double)
            }
            _ => match schema::schema().message(name) {
                Some(msg) if !name.starts_with("google.protobuf.") => Ok(Box::new(ProtoMsg {
                    msg,
                    obj: raw.and_then(Json::as_object),
                })),
                _ => Ok(match raw {
                    None => Box::new(CelNull),
                    Some(v) => json_generic(v),
                }),
            },
        }
    }

    /// The Kubernetes CEL IP and CIDR libraries.
    mod net {
        use super::*;

        static IP_TYPE: Type = Type::new_unspecified_type("net.IP");
        static CIDR_TYPE: Type = Type::new_unspecified_type("net.CIDR");

        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) struct Ip(pub IpAddr);

        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) struct Cidr {
            pub addr: IpAddr,
            pub bits: u8,
        }

        impl Val for Ip {
            fn get_type(&self) -> &Type {
                &IP_TYPE
            }
            fn cel_type() -> &'static Type {
                &IP_TYPE
            }
            fn equals(&self, other: &dyn Val) -> bool {
                other.downcast_ref::<Ip>() == Some(self)
            }
            fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
                Box::new(*self)
            }
            fn as_any(&self) -> Option<&dyn std::any::Any> {
                Some(self)
            }
        }
        impl StaticVal for Ip {}

        impl Val for Cidr {
            fn get_type(&self) -> &Type {
                &CIDR_TYPE
            }
            fn cel_type() -> &'static Type {
                &CIDR_TYPE
            }
            fn equals(&self, other: &dyn Val) -> bool {
                other.downcast_ref::<Cidr>() == Some(self)
            }
            fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v> {
                Box::new(*self)
            }
            fn as_any(&self) -> Option<&dyn std::any::Any> {
                Some(self)
            }
        }
        impl StaticVal for Cidr {}

        /// Parses an IP address as the Kubernetes library does: no zones
        /// and no IPv4-mapped IPv6 addresses.
        pub(super) fn parse_ip(s: &str) -> Result<IpAddr, String> {
            let addr: IpAddr = s.parse().map_err(|_| {
                format!("IP Address {s:?} parse error during conversion from string")
            })?;
            if let IpAddr::V6(v6) = addr
                && v6.to_ipv4_mapped().is_some()
            {
                return Err(format!("IPv4-mapped IPv6 address {s:?} is not allowed"));
            }
            Ok(addr)
        }

        pub(super) fn parse_cidr(s: &str) -> Result<Cidr, String> {
            let err =
                || format!("network address parse error during conversion from string: {s:?}");
            let (addr, bits) = s.split_once('/').ok_or_else(err)?;
            let addr = parse_ip(addr)?;
            if bits.is_empty()
                || (bits.len() > 1 && bits.starts_with('0'))
                || !bits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(err());
            }
            let bits: u8 = bits.parse().map_err(|_| err())?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            if bits > max {
                return Err(err());
            }
            Ok(Cidr { addr, bits })
        }

        fn mask(addr: IpAddr, bits: u8) -> IpAddr {
            match addr {
                IpAddr::V4(a) => {
                    let m = if bits == 0 {
                        0
                    } else {
                        u32::MAX << (32 - u32::from(bits))
                    };
                    IpAddr::V4(Ipv4Addr::from(u32::from(a) & m))
                }
                IpAddr::V6(a) => {
                    let m = if bits == 0 {
                        0
                    } else {
                        u128::MAX << (128 - u32::from(bits))
                    };
                    IpAddr::V6(Ipv6Addr::from(u128::from(a) & m))
                }
            }
        }

        impl Cidr {
            pub(super) fn contains(&self, ip: IpAddr) -> bool {
                ip.is_ipv4() == self.addr.is_ipv4()
                    && mask(ip, self.bits) == mask(self.addr, self.bits)
            }
        }

        fn is_global_unicast(ip: IpAddr) -> bool {
            match ip {
                IpAddr::V4(a) => {
                    !(a.is_unspecified()
                        || a.is_broadcast()
                        || a.is_loopback()
                        || a.is_multicast()
                        || is_link_local_unicast(ip))
                }
                IpAddr::V6(a) => {
                    !(a.is_unspecified()
                        || a.is_loopback()
                        || a.is_multicast()
                        || is_link_local_unicast(ip))
                }
            }
        }

        fn is_link_local_unicast(ip: IpAddr) -> bool {
            match ip {
                IpAddr::V4(a) => a.octets()[0] == 169 && a.octets()[1] == 254,
                IpAddr::V6(a) => a.segments()[0] & 0xffc0 == 0xfe80,
            }
        }

        fn is_link_local_multicast(ip: IpAddr) -> bool {
            match ip {
                IpAddr::V4(a) => {
                    let o = a.octets();
                    o[0] == 224 && o[1] == 0 && o[2] == 0
                }
                IpAddr::V6(a) => a.segments()[0] & 0xff0f == 0xff02,
            }
        }

        type R<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;

        fn str_arg<'a>(
            args: &'a [CowVal<'_, '_>],
            i: usize,
            f: &str,
        ) -> Result<&'a str, ExecutionError> {
            args.get(i)
                .and_then(|a| a.downcast_ref::<CelString>())
                .map(|s| s.inner())
                .ok_or_else(|| ExecutionError::function_error(f, "expected a string argument"))
        }

        fn ip_arg(args: &[CowVal<'_, '_>], i: usize, f: &str) -> Result<Ip, ExecutionError> {
            args.get(i)
                .and_then(|a| a.downcast_ref::<Ip>())
                .copied()
                .ok_or_else(|| ExecutionError::function_error(f, "expected an IP argument"))
        }

        fn cidr_arg(args: &[CowVal<'_, '_>], i: usize, f: &str) -> Result<Cidr, ExecutionError> {
            args.get(i)
                .and_then(|a| a.downcast_ref::<Cidr>())
                .copied()
                .ok_or_else(|| ExecutionError::function_error(f, "expected a CIDR argument"))
        }

        fn boolean<'b, 'v>(b: bool) -> R<'b, 'v> {
            Ok(CowVal::owned(CelBool::from(b)))
        }

        fn ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let s = str_arg(&args, 0, "ip")?;
            let addr = parse_ip(s).map_err(|e| ExecutionError::function_error("ip", e))?;
            Ok(CowVal::owned(Ip(addr)))
        }

        fn is_ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            boolean(parse_ip(str_arg(&args, 0, "isIP")?).is_ok())
        }

        fn is_canonical<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let s = str_arg(&args, 0, "ip.isCanonical")?;
            let addr =
                parse_ip(s).map_err(|e| ExecutionError::function_error("ip.isCanonical", e))?;
            boolean(addr.to_string() == s)
        }

        fn family<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let ip = ip_arg(&args, 0, "family")?;
            Ok(CowVal::owned(CelInt::from(if ip.0.is_ipv4() {
                4
            } else {
                6
            })))
        }

        fn is_unspecified<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            boolean(ip_arg(&args, 0, "isUnspecified")?.0.is_unspecified())
        }

        fn is_loopback<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            boolean(ip_arg(&args, 0, "isLoopback")?.0.is_loopback())
        }

        fn is_ll_multicast<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            boolean(is_link_local_multicast(
                ip_arg(&args, 0, "isLinkLocalMulticast")?.0,
            ))
        }

        fn is_ll_unicast<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            boolean(is_link_local_unicast(
                ip_arg(&args, 0, "isLinkLocalUnicast")?.0,
            ))
        }

        fn is_global<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            boolean(is_global_unicast(ip_arg(&args, 0, "isGlobalUnicast")?.0))
        }

        fn ip_string<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let ip = ip_arg(&args, 0, "string")?;
            Ok(CowVal::owned(CelString::from(ip.0.to_string())))
        }

        fn cidr<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let s = str_arg(&args, 0, "cidr")?;
            let c = parse_cidr(s).map_err(|e| ExecutionError::function_error("cidr", e))?;
            Ok(CowVal::owned(c))
        }

        fn is_cidr<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            boolean(parse_cidr(str_arg(&args, 0, "isCIDR")?).is_ok())
        }

        fn contains_ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let c = cidr_arg(&args, 0, "containsIP")?;
            let ip = match ip_arg(&args, 1, "containsIP") {
                Ok(ip) => ip.0,
                Err(_) => parse_ip(str_arg(&args, 1, "containsIP")?)
                    .map_err(|e| ExecutionError::function_error("containsIP", e))?,
            };
            boolean(c.contains(ip))
        }

        fn contains_cidr<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let c = cidr_arg(&args, 0, "containsCIDR")?;
            let other = match cidr_arg(&args, 1, "containsCIDR") {
                Ok(other) => other,
                Err(_) => parse_cidr(str_arg(&args, 1, "containsCIDR")?)
                    .map_err(|e| ExecutionError::function_error("containsCIDR", e))?,
            };
            boolean(c.bits <= other.bits && c.contains(other.addr))
        }

        fn cidr_ip<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            Ok(CowVal::owned(Ip(cidr_arg(&args, 0, "ip")?.addr)))
        }

        fn masked<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let c = cidr_arg(&args, 0, "masked")?;
            Ok(CowVal::owned(Cidr {
                addr: mask(c.addr, c.bits),
                bits: c.bits,
            }))
        }

        fn prefix_length<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let c = cidr_arg(&args, 0, "prefixLength")?;
            Ok(CowVal::owned(CelInt::from(i64::from(c.bits))))
        }

        fn cidr_string<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> R<'b, 'v> {
            let c = cidr_arg(&args, 0, "string")?;
            Ok(CowVal::owned(CelString::from(format!(
                "{}/{}",
                c.addr, c.bits
            ))))
        }

        pub(super) fn register(env: &mut Env) {
            let ip_t = || IP_TYPE.to_owned();
            let cidr_t = || CIDR_TYPE.to_owned();
            let string_t = || cel_types::STRING_TYPE.to_owned();
            let results = [
                env.add_overload("ip", "tetragon_string_to_ip", vec![string_t()], ip),
                env.add_overload("isIP", "tetragon_is_ip", vec![string_t()], is_ip),
                env.add_overload(
                    "ip.isCanonical",
                    "tetragon_ip_is_canonical",
                    vec![string_t()],
                    is_canonical,
                ),
                env.add_member_overload("family", "tetragon_ip_family", ip_t(), vec![], family),
                env.add_member_overload(
                    "isUnspecified",
                    "tetragon_ip_is_unspecified",
                    ip_t(),
                    vec![],
                    is_unspecified,
                ),
                env.add_member_overload(
                    "isLoopback",
                    "tetragon_ip_is_loopback",
                    ip_t(),
                    vec![],
                    is_loopback,
                ),
                env.add_member_overload(
                    "isLinkLocalMulticast",
                    "tetragon_ip_is_link_local_multicast",
                    ip_t(),
                    vec![],
                    is_ll_multicast,
                ),
                env.add_member_overload(
                    "isLinkLocalUnicast",
                    "tetragon_ip_is_link_local_unicast",
                    ip_t(),
                    vec![],
                    is_ll_unicast,
                ),
                env.add_member_overload(
                    "isGlobalUnicast",
                    "tetragon_ip_is_global_unicast",
                    ip_t(),
                    vec![],
                    is_global,
                ),
                env.add_overload("string", "tetragon_ip_to_string", vec![ip_t()], ip_string),
                env.add_overload("cidr", "tetragon_string_to_cidr", vec![string_t()], cidr),
                env.add_overload("isCIDR", "tetragon_is_cidr", vec![string_t()], is_cidr),
                env.add_member_overload(
                    "containsIP",
                    "tetragon_cidr_contains_ip",
                    cidr_t(),
                    vec![ip_t()],
                    contains_ip,
                ),
                env.add_member_overload(
                    "containsIP",
                    "tetragon_cidr_contains_ip_string",
                    cidr_t(),
                    vec![string_t()],
                    contains_ip,
                ),
                env.add_member_overload(
                    "containsCIDR",
                    "tetragon_cidr_contains_cidr",
                    cidr_t(),
                    vec![cidr_t()],
                    contains_cidr,
                ),
                env.add_member_overload(
                    "containsCIDR",
                    "tetragon_cidr_contains_cidr_string",
                    cidr_t(),
                    vec![string_t()],
                    contains_cidr,
                ),
                env.add_member_overload("ip", "tetragon_cidr_ip", cidr_t(), vec![], cidr_ip),
                env.add_member_overload("masked", "tetragon_cidr_masked", cidr_t(), vec![], masked),
                env.add_member_overload(
                    "prefixLength",
                    "tetragon_cidr_prefix_length",
                    cidr_t(),
                    vec![],
                    prefix_length,
                ),
                env.add_overload(
                    "string",
                    "tetragon_cidr_to_string",
                    vec![cidr_t()],
                    cidr_string,
                ),
            ];
            for r in results {
                r.expect("IP/CIDR overloads are declared once");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn selects(selector: &str, pairs: &[(&str, &str)]) -> bool {
        labels::Selector::parse(selector)
            .unwrap_or_else(|e| panic!("{selector}: {e}"))
            .matches(&labels(pairs))
    }

    #[test]
    fn compiled_filters_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<CompiledFilter>();
        assert_send_sync::<FilterList>();
        assert_send_sync::<EventFilter>();
    }

    #[test]
    fn label_selector_syntax() {
        // Operators need no spaces; `in`/`notin` are identifiers where a key
        // or value is expected.
        assert!(selects("a!=b", &[("a", "c")]));
        assert!(selects("a==b", &[("a", "b")]));
        assert!(selects("in=notin", &[("in", "notin")]));
        assert!(selects("a in (in,notin)", &[("a", "notin")]));
        assert!(selects(" a  in(x , y) ,  b ", &[("a", "y"), ("b", "")]));
        // Empty entries of a set stand for the empty value.
        assert!(selects("a in (x,,y)", &[("a", "")]));
        assert!(selects("a in (,x)", &[("a", "")]));
        assert!(selects("a in (x,)", &[("a", "")]));
        assert!(selects("a in ()", &[("a", "")]));
        assert!(!selects("a in (x,y)", &[("a", "")]));
        // `a=` is the empty value, followed by more requirements or not.
        assert!(selects("a=,b", &[("a", ""), ("b", "1")]));
        assert!(!selects("a=", &[("a", "x")]));
        // Prefixed keys.
        assert!(selects(
            "app.kubernetes.io/name=web",
            &[("app.kubernetes.io/name", "web")]
        ));
        // Integers (label values cannot be negative).
        assert!(selects("n>3", &[("n", "10")]));
        assert!(!selects("n<3", &[("n", "10")]));
        assert!(!selects("n<3", &[]));
        assert!(labels::Selector::parse("n>-3").is_err());
    }

    #[test]
    fn label_selector_errors() {
        for bad in [
            "a b",
            ",a",
            "a,,b",
            "a in",
            "a in ()x",
            "a=(b)",
            "a=b=c",
            "!",
            "!a b",
            "a/b/c=x",
            "-a=x",
            "a>1.5",
            &format!("a={}", "x".repeat(64)),
            &format!("{}=x", "k".repeat(64)),
        ] {
            assert!(labels::Selector::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn json_values_report_lines() {
        let text = "\n  {\"a\":1} {\"b\":2}\n\n[1,\n2]\n";
        let values = json_values(text).unwrap();
        let lines: Vec<usize> = values.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 2, 4]);
        assert_eq!(json_values("{}\n{\n\"a\":}\n").unwrap_err().0, 3);
        assert!(json_values("").unwrap().is_empty());
    }

    #[test]
    fn cap_sets() {
        let set = |any: &[i32], all: &[i32], exactly: &[i32], none: &[i32]| CapFilterSet {
            any: any.to_vec(),
            all: all.to_vec(),
            exactly: exactly.to_vec(),
            none: none.to_vec(),
        };
        assert!(cap_set_matches(&[1, 2], None));
        assert!(cap_set_matches(&[1, 2], Some(&set(&[2, 9], &[], &[], &[]))));
        assert!(!cap_set_matches(&[], Some(&set(&[2], &[], &[], &[]))));
        assert!(cap_set_matches(
            &[1, 2, 3],
            Some(&set(&[], &[1, 3], &[], &[]))
        ));
        assert!(cap_set_matches(
            &[2, 1, 1],
            Some(&set(&[], &[], &[1, 2], &[]))
        ));
        assert!(!cap_set_matches(
            &[1, 2, 3],
            Some(&set(&[], &[], &[1, 2], &[]))
        ));
        assert!(cap_set_matches(&[], Some(&set(&[], &[], &[], &[5]))));
        assert!(!cap_set_matches(&[5], Some(&set(&[], &[], &[], &[5]))));
        assert!(!cap_set_matches(&[5], Some(&set(&[], &[], &[], &[]))));
        assert!(check_cap_set(Some(&set(&[1], &[], &[], &[])), "effective").is_ok());
        assert!(check_cap_set(Some(&set(&[1], &[1], &[], &[])), "effective").is_err());
        assert!(check_cap_set(None, "effective").is_ok());
    }
}
