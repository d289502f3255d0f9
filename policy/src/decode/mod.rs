//! YAML node tree to policy model: field names, value types, enum values, required fields
//! and the checks that need only the value at hand. Every problem is collected; a field
//! that cannot be decoded gets its default and its path is marked bad so that later
//! checks do not pile up on it.

mod fields;
mod hooks;
mod selectors;

use std::collections::BTreeMap;

use crate::error::PolicyError;
use crate::policy::{
    API_VERSION, EnforcerSpec, KillerSpec, LabelSelector, LabelSelectorOp,
    LabelSelectorRequirement, ListSpec, ListType, Metadata, OptionSpec, PolicyKind, Spec,
    TracingPolicy, is_dns1123_label, is_dns1123_subdomain,
};
use crate::source_map::{Pos, SourceMap};
use crate::yaml::{Kind, Node};

pub(crate) use fields::{Fields, join};

/// Decoding state: the errors found so far and the positions of every field.
pub(crate) struct Ctx<'s> {
    source: &'s str,
    pub errors: Vec<PolicyError>,
    pub locs: SourceMap,
}

impl<'s> Ctx<'s> {
    pub fn new(source: &'s str) -> Self {
        Ctx {
            source,
            errors: Vec::new(),
            locs: SourceMap::default(),
        }
    }

    /// Records an error at `pos` (when known).
    pub fn error(
        &mut self,
        pos: Option<Pos>,
        path: &str,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let mut e = PolicyError::new(self.source, path, message);
        if let Some(p) = pos {
            e = e.at(p.line, p.column);
        }
        e.hint = hint;
        self.errors.push(e);
    }

    /// Records the position of the value at `path`.
    pub fn record(&mut self, path: &str, node: &Node) {
        self.locs.insert(path, node.pos);
    }

    /// Records an error about the value `node` at `path` and marks the path bad.
    pub fn fail(
        &mut self,
        node: &Node,
        path: &str,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.record(path, node);
        self.locs.mark_bad(path);
        self.error(Some(node.pos), path, message, hint);
    }

    /// Records a missing required field of the mapping `f`.
    pub fn missing(&mut self, f: &Fields<'_>, key: &str) {
        let child = f.child(key);
        self.locs.mark_bad(&child);
        self.error(
            Some(f.pos),
            &f.path,
            format!("missing required field `{key}`"),
            None,
        );
    }
}

// ---------------------------------------------------------------- scalar decoders

/// A string: any non-null scalar, numbers and booleans as written.
pub(crate) fn string(cx: &mut Ctx, n: &Node, path: &str) -> Option<String> {
    cx.record(path, n);
    match n.scalar() {
        Some(s) if !s.is_null() => Some(s.text.clone()),
        _ => {
            cx.fail(
                n,
                path,
                format!("expected a string, got {}", n.describe()),
                None,
            );
            None
        }
    }
}

/// A boolean: plain `true`/`false` (and YAML 1.1's yes/no/on/off).
pub(crate) fn boolean(cx: &mut Ctx, n: &Node, path: &str) -> Option<bool> {
    cx.record(path, n);
    if let Some(b) = n.scalar().and_then(|s| s.as_bool()) {
        return Some(b);
    }
    let hint = n
        .scalar()
        .filter(|s| s.quoted && matches!(s.text.to_ascii_lowercase().as_str(), "true" | "false"))
        .map(|_| "write true or false without quotes".to_string());
    cx.fail(
        n,
        path,
        format!("expected a boolean, got {}", n.describe()),
        hint,
    );
    None
}

/// An integer within `min..=max`.
pub(crate) fn integer(cx: &mut Ctx, n: &Node, path: &str, min: i128, max: i128) -> Option<i128> {
    cx.record(path, n);
    match n.scalar().and_then(|s| s.as_int()) {
        Some(v) if v >= min && v <= max => Some(v),
        Some(v) => {
            cx.fail(
                n,
                path,
                format!("integer `{v}` is out of range ({min} to {max})"),
                None,
            );
            None
        }
        None => {
            let hint = n
                .scalar()
                .filter(|s| s.quoted && crate::yaml::parse_int(&s.text).is_some())
                .map(|_| "write the number without quotes".to_string());
            cx.fail(
                n,
                path,
                format!("expected an integer, got {}", n.describe()),
                hint,
            );
            None
        }
    }
}

pub(crate) fn u32_(cx: &mut Ctx, n: &Node, path: &str) -> Option<u32> {
    integer(cx, n, path, 0, i128::from(u32::MAX)).and_then(|v| u32::try_from(v).ok())
}

pub(crate) fn i32_(cx: &mut Ctx, n: &Node, path: &str) -> Option<i32> {
    integer(cx, n, path, i128::from(i32::MIN), i128::from(i32::MAX))
        .and_then(|v| i32::try_from(v).ok())
}

pub(crate) fn u64_(cx: &mut Ctx, n: &Node, path: &str) -> Option<u64> {
    integer(cx, n, path, 0, i128::from(u64::MAX)).and_then(|v| u64::try_from(v).ok())
}

pub(crate) fn i64_(cx: &mut Ctx, n: &Node, path: &str) -> Option<i64> {
    integer(cx, n, path, i128::from(i64::MIN), i128::from(i64::MAX))
        .and_then(|v| i64::try_from(v).ok())
}

/// The items of a list (null is an empty list).
pub(crate) fn seq<'n>(cx: &mut Ctx, n: &'n Node, path: &str) -> &'n [Node] {
    cx.record(path, n);
    match &n.kind {
        Kind::Seq(items) => items,
        _ if n.is_null() => &[],
        _ => {
            cx.fail(
                n,
                path,
                format!("expected a list, got {}", n.describe()),
                None,
            );
            &[]
        }
    }
}

/// Decodes each item of the list at `f.key`, keeping one model item per source item.
pub(crate) fn list_of<T>(
    cx: &mut Ctx,
    f: &Fields<'_>,
    key: &str,
    mut item: impl FnMut(&mut Ctx, &Node, &str) -> T,
) -> Vec<T> {
    let Some(n) = f.get(key) else {
        return Vec::new();
    };
    let path = f.child(key);
    let items = seq(cx, n, &path);
    items
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let p = format!("{path}[{i}]");
            cx.record(&p, node);
            item(cx, node, &p)
        })
        .collect()
}

/// A list of strings (each item stringified; a bad item becomes "").
pub(crate) fn strings(cx: &mut Ctx, f: &Fields<'_>, key: &str) -> Vec<String> {
    list_of(cx, f, key, |cx, n, p| string(cx, n, p).unwrap_or_default())
}

/// A mapping of strings to strings (labels, annotations).
pub(crate) fn string_map(cx: &mut Ctx, f: &Fields<'_>, key: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(n) = f.get(key) else { return out };
    let path = f.child(key);
    cx.record(&path, n);
    match &n.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                let Some(name) = k.scalar().filter(|s| !s.is_null()).map(|s| s.text.clone()) else {
                    cx.fail(k, &path, "mapping keys must be strings", None);
                    continue;
                };
                let p = join(&path, &name);
                let value = if v.is_null() {
                    cx.record(&p, v);
                    String::new()
                } else {
                    string(cx, v, &p).unwrap_or_default()
                };
                if out.insert(name.clone(), value).is_some() {
                    cx.error(
                        Some(k.pos),
                        &path,
                        format!("duplicate field `{name}`"),
                        None,
                    );
                }
            }
        }
        _ => cx.fail(
            n,
            &path,
            format!("expected a mapping, got {}", n.describe()),
            None,
        ),
    }
    out
}

/// A name from a fixed set: `unknown {what} `{value}`` with the valid names as the hint.
pub(crate) fn enum_value<E>(
    cx: &mut Ctx,
    n: &Node,
    path: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<E>,
    names: &[&str],
) -> Option<E> {
    let s = string(cx, n, path)?;
    if let Some(v) = parse(&s) {
        return Some(v);
    }
    let hint = fields::expected_hint(&s, names);
    cx.fail(
        n,
        path,
        format!("unknown {what} `{}`", crate::yaml::shorten(&s)),
        Some(hint),
    );
    None
}

pub(crate) fn opt_string(cx: &mut Ctx, f: &Fields<'_>, key: &str) -> Option<String> {
    let n = f.get(key)?;
    string(cx, n, &f.child(key))
}

pub(crate) fn req_string(cx: &mut Ctx, f: &Fields<'_>, key: &str) -> Option<String> {
    match f.get(key) {
        Some(n) => string(cx, n, &f.child(key)),
        None => {
            cx.missing(f, key);
            None
        }
    }
}

pub(crate) fn opt_bool(cx: &mut Ctx, f: &Fields<'_>, key: &str) -> bool {
    f.get(key)
        .and_then(|n| boolean(cx, n, &f.child(key)))
        .unwrap_or(false)
}

pub(crate) fn opt_u32(cx: &mut Ctx, f: &Fields<'_>, key: &str) -> u32 {
    f.get(key)
        .and_then(|n| u32_(cx, n, &f.child(key)))
        .unwrap_or(0)
}

// ---------------------------------------------------------------- the policy

const TOP_KEYS: &[&str] = &["apiVersion", "kind", "metadata", "spec"];
const METADATA_KEYS: &[&str] = &["name", "namespace", "labels", "annotations"];
/// Kubernetes object metadata that a policy exported from a cluster may carry.
const METADATA_IGNORED: &[&str] = &[
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "generateName",
    "managedFields",
    "ownerReferences",
    "finalizers",
    "selfLink",
];
const SPEC_KEYS: &[&str] = &[
    "kprobes",
    "tracepoints",
    "uprobes",
    "lists",
    "options",
    "killers",
    "enforcers",
    "podSelector",
    "containerSelector",
    "hostSelector",
    "nodeSelector",
    "loader",
    "lsmhooks",
    "usdts",
    "fentries",
    "selectorsMacros",
];

/// Decodes a whole policy document.
pub(crate) fn policy(cx: &mut Ctx, root: &Node) -> TracingPolicy {
    let mut tp = TracingPolicy::default();
    let Some(f) = fields::fields(cx, root, "", TOP_KEYS, &["status"]) else {
        return tp;
    };

    if let Some(v) = req_string(cx, &f, "apiVersion") {
        if v != API_VERSION
            && let Some(n) = f.get("apiVersion")
        {
            cx.fail(
                n,
                "apiVersion",
                format!("unsupported apiVersion `{}`", crate::yaml::shorten(&v)),
                Some(format!("expected {API_VERSION}")),
            );
        }
        tp.api_version = v;
    }
    match f.get("kind") {
        Some(n) => {
            if let Some(k) = enum_value(
                cx,
                n,
                "kind",
                "kind",
                PolicyKind::from_name,
                &["TracingPolicy", "TracingPolicyNamespaced"],
            ) {
                tp.kind = k;
            }
        }
        None => cx.missing(&f, "kind"),
    }
    match f.get("metadata") {
        Some(n) => tp.metadata = metadata(cx, n, tp.kind),
        None => cx.missing(&f, "metadata"),
    }
    match f.get("spec") {
        Some(n) => tp.spec = spec(cx, n),
        None => cx.missing(&f, "spec"),
    }
    tp
}

fn metadata(cx: &mut Ctx, n: &Node, kind: PolicyKind) -> Metadata {
    let mut m = Metadata::default();
    let Some(f) = fields::fields(cx, n, "metadata", METADATA_KEYS, METADATA_IGNORED) else {
        return m;
    };
    if let Some(name) = req_string(cx, &f, "name") {
        if !is_dns1123_subdomain(&name)
            && let Some(v) = f.get("name")
        {
            cx.fail(
                    v,
                    "metadata.name",
                    format!("invalid name `{}`: not a DNS-1123 subdomain", crate::yaml::shorten(&name)),
                    Some(
                        "use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
                            .into(),
                    ),
                );
        }
        m.name = name;
    }
    let namespace = opt_string(cx, &f, "namespace");
    if let (Some(ns), Some(v)) = (&namespace, f.get("namespace"))
        && !is_dns1123_label(ns)
    {
        cx.fail(
                v,
                "metadata.namespace",
                format!("invalid namespace `{}`: not a DNS-1123 label", crate::yaml::shorten(ns)),
                Some("use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit".into()),
            );
    }
    match kind {
        PolicyKind::TracingPolicyNamespaced => {
            if namespace.is_none() && !cx.locs.is_bad("metadata.namespace") {
                cx.error(
                    Some(f.pos),
                    "metadata",
                    "a TracingPolicyNamespaced needs metadata.namespace",
                    None,
                );
            }
            m.namespace = namespace;
        }
        // Cluster-wide policies have no namespace; Kubernetes ignores one, and so do we.
        PolicyKind::TracingPolicy => m.namespace = None,
    }
    m.labels = string_map(cx, &f, "labels");
    m.annotations = string_map(cx, &f, "annotations");
    m
}

fn spec(cx: &mut Ctx, n: &Node) -> Spec {
    let mut s = Spec::default();
    let Some(f) = fields::fields(cx, n, "spec", SPEC_KEYS, &[]) else {
        return s;
    };
    s.kprobes = list_of(cx, &f, "kprobes", hooks::kprobe);
    s.tracepoints = list_of(cx, &f, "tracepoints", hooks::tracepoint);
    s.uprobes = list_of(cx, &f, "uprobes", hooks::uprobe);
    s.lists = list_of(cx, &f, "lists", list);
    s.options = list_of(cx, &f, "options", option);
    s.killers = list_of(cx, &f, "killers", killer);
    s.enforcers = list_of(cx, &f, "enforcers", enforcer);
    s.pod_selector = f
        .get("podSelector")
        .map(|n| label_selector(cx, n, &f.child("podSelector")));
    s.container_selector = f
        .get("containerSelector")
        .map(|n| label_selector(cx, n, &f.child("containerSelector")));
    s.host_selector = f
        .get("hostSelector")
        .map(|n| label_selector(cx, n, &f.child("hostSelector")));
    s.node_selector = f
        .get("nodeSelector")
        .map(|n| label_selector(cx, n, &f.child("nodeSelector")));
    s.loader = opt_bool(cx, &f, "loader");
    for key in ["lsmhooks", "usdts", "fentries", "selectorsMacros"] {
        if let Some(n) = f.get(key) {
            let p = f.child(key);
            cx.record(&p, n);
            s.unsupported.push(p);
        }
    }
    s
}

fn list(cx: &mut Ctx, n: &Node, path: &str) -> ListSpec {
    let mut l = ListSpec::default();
    let Some(f) = fields::fields(
        cx,
        n,
        path,
        &["name", "values", "type", "pattern", "validated"],
        &[],
    ) else {
        return l;
    };
    l.name = req_string(cx, &f, "name").unwrap_or_default();
    l.values = strings(cx, &f, "values");
    if let Some(t) = f.get("type") {
        l.ty = enum_value(
            cx,
            t,
            &f.child("type"),
            "list type",
            ListType::from_name,
            ListType::NAMES,
        )
        .unwrap_or_default();
    }
    l.pattern = opt_string(cx, &f, "pattern");
    let _ = opt_bool(cx, &f, "validated");
    l
}

fn option(cx: &mut Ctx, n: &Node, path: &str) -> OptionSpec {
    let mut o = OptionSpec::default();
    let Some(f) = fields::fields(cx, n, path, &["name", "value"], &[]) else {
        return o;
    };
    o.name = req_string(cx, &f, "name").unwrap_or_default();
    o.value = opt_string(cx, &f, "value").unwrap_or_default();
    o
}

fn killer(cx: &mut Ctx, n: &Node, path: &str) -> KillerSpec {
    let mut k = KillerSpec::default();
    let Some(f) = fields::fields(cx, n, path, &["syscalls", "calls"], &[]) else {
        return k;
    };
    k.calls = strings(cx, &f, "syscalls");
    k.calls.extend(strings(cx, &f, "calls"));
    if !f.has("syscalls") && !f.has("calls") {
        cx.missing(&f, "syscalls");
    }
    k
}

fn enforcer(cx: &mut Ctx, n: &Node, path: &str) -> EnforcerSpec {
    let mut e = EnforcerSpec::default();
    let Some(f) = fields::fields(cx, n, path, &["calls"], &[]) else {
        return e;
    };
    if !f.has("calls") {
        cx.missing(&f, "calls");
    }
    e.calls = strings(cx, &f, "calls");
    e
}

pub(crate) fn label_selector(cx: &mut Ctx, n: &Node, path: &str) -> LabelSelector {
    let mut s = LabelSelector::default();
    let Some(f) = fields::fields(cx, n, path, &["matchLabels", "matchExpressions"], &[]) else {
        return s;
    };
    s.match_labels = string_map(cx, &f, "matchLabels");
    s.match_expressions = list_of(cx, &f, "matchExpressions", |cx, n, p| {
        let mut r = LabelSelectorRequirement::default();
        let Some(f) = fields::fields(cx, n, p, &["key", "operator", "values"], &[]) else {
            return r;
        };
        r.key = req_string(cx, &f, "key").unwrap_or_default();
        match f.get("operator") {
            Some(o) => {
                r.operator = enum_value(
                    cx,
                    o,
                    &f.child("operator"),
                    "operator",
                    LabelSelectorOp::from_name,
                    LabelSelectorOp::NAMES,
                )
                .unwrap_or_default();
            }
            None => cx.missing(&f, "operator"),
        }
        r.values = strings(cx, &f, "values");
        if !cx.locs.is_bad(&f.child("operator")) && f.has("operator") {
            let needs_values = matches!(r.operator, LabelSelectorOp::In | LabelSelectorOp::NotIn);
            if needs_values && r.values.is_empty() {
                cx.error(
                    Some(f.pos),
                    p,
                    format!("operator `{}` needs at least one value", r.operator.name()),
                    None,
                );
            } else if !needs_values && !r.values.is_empty() {
                let pos = f.get("values").map(|v| v.pos);
                cx.error(
                    pos,
                    &f.child("values"),
                    format!("operator `{}` takes no values", r.operator.name()),
                    None,
                );
            }
        }
        r
    });
    s
}
