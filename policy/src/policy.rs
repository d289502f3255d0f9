//! The policy object: `apiVersion`, `kind`, `metadata` and `spec`.

use std::collections::BTreeMap;

use crate::hooks::{KProbeSpec, TracepointSpec, UProbeSpec};
use crate::selectors::Selector;
use crate::source_map::SourceMap;

/// The only `apiVersion` there is.
pub const API_VERSION: &str = "cilium.io/v1alpha1";

/// A parsed, validated TracingPolicy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TracingPolicy {
    /// `apiVersion` (always [`API_VERSION`]).
    pub api_version: String,
    /// `kind`.
    pub kind: PolicyKind,
    /// `metadata`.
    pub metadata: Metadata,
    /// `spec`.
    pub spec: Spec,
    /// Where the policy came from (file name or `<grpc>`), as passed to the parser.
    pub source: String,
    /// Line and column of every field, by path, for errors found after parsing.
    pub locations: SourceMap,
}

/// `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PolicyKind {
    /// `TracingPolicy`: cluster-wide.
    #[default]
    TracingPolicy,
    /// `TracingPolicyNamespaced`: applies to one Kubernetes namespace.
    TracingPolicyNamespaced,
}

impl PolicyKind {
    /// Parses the kind (exact spelling).
    pub fn from_name(s: &str) -> Option<PolicyKind> {
        match s {
            "TracingPolicy" => Some(PolicyKind::TracingPolicy),
            "TracingPolicyNamespaced" => Some(PolicyKind::TracingPolicyNamespaced),
            _ => None,
        }
    }

    /// `TracingPolicy` or `TracingPolicyNamespaced`.
    pub fn name(&self) -> &'static str {
        match self {
            PolicyKind::TracingPolicy => "TracingPolicy",
            PolicyKind::TracingPolicyNamespaced => "TracingPolicyNamespaced",
        }
    }
}

/// `metadata`. Other Kubernetes object fields (`uid`, `generation`, `managedFields`...)
/// are accepted and ignored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// `name`: a DNS-1123 subdomain.
    pub name: String,
    /// `namespace`: set for `TracingPolicyNamespaced` only (ignored on cluster-wide policies,
    /// as Kubernetes does).
    pub namespace: Option<String>,
    /// `labels`.
    pub labels: BTreeMap<String, String>,
    /// `annotations`.
    pub annotations: BTreeMap<String, String>,
}

/// `spec`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    /// `kprobes`.
    pub kprobes: Vec<KProbeSpec>,
    /// `tracepoints`.
    pub tracepoints: Vec<TracepointSpec>,
    /// `uprobes`.
    pub uprobes: Vec<UProbeSpec>,
    /// `lists`.
    pub lists: Vec<ListSpec>,
    /// `options`.
    pub options: Vec<OptionSpec>,
    /// `killers`.
    pub killers: Vec<KillerSpec>,
    /// `enforcers`.
    pub enforcers: Vec<EnforcerSpec>,
    /// `podSelector`.
    pub pod_selector: Option<LabelSelector>,
    /// `containerSelector`.
    pub container_selector: Option<LabelSelector>,
    /// `hostSelector`.
    pub host_selector: Option<LabelSelector>,
    /// `nodeSelector`.
    pub node_selector: Option<LabelSelector>,
    /// `loader`: emit loader events.
    pub loader: bool,
    /// Paths of upstream sections this model does not describe (`spec.lsmhooks`,
    /// `spec.usdts`, `spec.fentries`, `spec.selectorsMacros`): accepted by the parser,
    /// refused by [`check_engine_support`](crate::check_engine_support).
    pub unsupported: Vec<String>,
}

impl Spec {
    /// The list named `name`.
    pub fn list(&self, name: &str) -> Option<&ListSpec> {
        self.lists.iter().find(|l| l.name == name)
    }

    /// Whether the policy has any hook.
    pub fn has_hooks(&self) -> bool {
        !self.kprobes.is_empty() || !self.tracepoints.is_empty() || !self.uprobes.is_empty()
    }

    /// Whether kprobe `k` hooks syscalls: its `syscall` flag, or a `list:` call naming a
    /// `syscalls` or `generated_syscalls` list.
    pub fn kprobe_is_syscall(&self, k: &KProbeSpec) -> bool {
        match k.list_name().and_then(|n| self.list(n)) {
            Some(list) if list.ty.is_syscalls() => true,
            _ => k.syscall,
        }
    }

    /// Every selector of every hook, with the hook's path (`spec.kprobes[0]`).
    pub fn all_selectors(&self) -> Vec<(String, &Selector)> {
        let mut out = Vec::new();
        for (i, k) in self.kprobes.iter().enumerate() {
            out.extend(
                k.selectors
                    .iter()
                    .map(|s| (format!("spec.kprobes[{i}]"), s)),
            );
        }
        for (i, t) in self.tracepoints.iter().enumerate() {
            out.extend(
                t.selectors
                    .iter()
                    .map(|s| (format!("spec.tracepoints[{i}]"), s)),
            );
        }
        for (i, u) in self.uprobes.iter().enumerate() {
            out.extend(
                u.selectors
                    .iter()
                    .map(|s| (format!("spec.uprobes[{i}]"), s)),
            );
        }
        out
    }
}

/// `lists[].type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ListType {
    /// No type: plain function names.
    #[default]
    None,
    /// `syscalls`: syscall names.
    Syscalls,
    /// `generated_syscalls`: every syscall of the machine.
    GeneratedSyscalls,
    /// `generated_ftrace`: the kernel functions matching `pattern`.
    GeneratedFtrace,
}

impl ListType {
    /// Parses a list type (any case; empty is [`ListType::None`]).
    pub fn from_name(s: &str) -> Option<ListType> {
        match s.to_ascii_lowercase().as_str() {
            "" => Some(ListType::None),
            "syscalls" => Some(ListType::Syscalls),
            "generated_syscalls" => Some(ListType::GeneratedSyscalls),
            "generated_ftrace" => Some(ListType::GeneratedFtrace),
            _ => None,
        }
    }

    /// The name (`""` for none).
    pub fn name(&self) -> &'static str {
        match self {
            ListType::None => "",
            ListType::Syscalls => "syscalls",
            ListType::GeneratedSyscalls => "generated_syscalls",
            ListType::GeneratedFtrace => "generated_ftrace",
        }
    }

    /// `syscalls` or `generated_syscalls`.
    pub fn is_syscalls(&self) -> bool {
        matches!(self, ListType::Syscalls | ListType::GeneratedSyscalls)
    }

    pub(crate) const NAMES: &'static [&'static str] =
        &["syscalls", "generated_syscalls", "generated_ftrace"];
}

/// `spec.lists[]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListSpec {
    /// `name`, used as `list:NAME`.
    pub name: String,
    /// `type`.
    pub ty: ListType,
    /// `values`: for `syscalls`, names such as `sys_dup` (optionally `x64/`, `i386/`,
    /// `arm64/` or `arm32/` first, for the ABI); empty for generated lists.
    pub values: Vec<String>,
    /// `pattern`: the regular expression of a `generated_ftrace` list.
    pub pattern: Option<String>,
}

/// `spec.options[]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptionSpec {
    /// `name`.
    pub name: String,
    /// `value`.
    pub value: String,
}

/// `spec.killers[]`: syscalls where the NotifyKiller action takes effect.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KillerSpec {
    /// `syscalls` (also accepted as `calls`): syscall names or `list:NAME`.
    pub calls: Vec<String>,
    /// Always empty: upstream's killers have no selectors (kept for symmetry with hooks).
    pub selectors: Vec<Selector>,
}

/// `spec.enforcers[]`: calls where the NotifyEnforcer action takes effect.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EnforcerSpec {
    /// `calls`: syscall names or `list:NAME`.
    pub calls: Vec<String>,
    /// Always empty: upstream's enforcers have no selectors (kept for symmetry with hooks).
    pub selectors: Vec<Selector>,
}

/// A Kubernetes label selector.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelector {
    /// `matchLabels`.
    pub match_labels: BTreeMap<String, String>,
    /// `matchExpressions`.
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

impl LabelSelector {
    /// Whether `labels` satisfy every `matchLabels` pair and every `matchExpressions`
    /// requirement, as Kubernetes decides it: an empty selector matches everything.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

impl LabelSelectorRequirement {
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            LabelSelectorOp::In => value.is_some_and(|v| self.values.contains(v)),
            LabelSelectorOp::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            LabelSelectorOp::Exists => value.is_some(),
            LabelSelectorOp::DoesNotExist => value.is_none(),
        }
    }
}

/// A `matchExpressions` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelectorRequirement {
    /// `key`.
    pub key: String,
    /// `operator`.
    pub operator: LabelSelectorOp,
    /// `values`: non-empty for In / NotIn, empty for Exists / DoesNotExist.
    pub values: Vec<String>,
}

/// A `matchExpressions` operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(missing_docs)]
pub enum LabelSelectorOp {
    #[default]
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl LabelSelectorOp {
    /// Parses an operator (exact spelling).
    pub fn from_name(s: &str) -> Option<LabelSelectorOp> {
        match s {
            "In" => Some(LabelSelectorOp::In),
            "NotIn" => Some(LabelSelectorOp::NotIn),
            "Exists" => Some(LabelSelectorOp::Exists),
            "DoesNotExist" => Some(LabelSelectorOp::DoesNotExist),
            _ => None,
        }
    }

    /// The name.
    pub fn name(&self) -> &'static str {
        match self {
            LabelSelectorOp::In => "In",
            LabelSelectorOp::NotIn => "NotIn",
            LabelSelectorOp::Exists => "Exists",
            LabelSelectorOp::DoesNotExist => "DoesNotExist",
        }
    }

    pub(crate) const NAMES: &'static [&'static str] = &["In", "NotIn", "Exists", "DoesNotExist"];
}

#[cfg(test)]
mod label_selector_tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn req(key: &str, operator: LabelSelectorOp, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn selectors_match_as_kubernetes_does() {
        let xwing = labels(&[("app", "xwing"), ("org", "alliance")]);
        let tie = labels(&[("app", "tiefighter"), ("org", "empire")]);
        assert!(LabelSelector::default().matches(&tie), "empty matches all");
        let by_label = LabelSelector {
            match_labels: labels(&[("org", "alliance")]),
            ..Default::default()
        };
        assert!(by_label.matches(&xwing) && !by_label.matches(&tie));
        let exprs = |r| LabelSelector {
            match_expressions: vec![r],
            ..Default::default()
        };
        let not_in = exprs(req("org", LabelSelectorOp::NotIn, &["empire"]));
        assert!(not_in.matches(&xwing) && !not_in.matches(&tie));
        assert!(
            not_in.matches(&BTreeMap::new()),
            "NotIn holds for a missing key"
        );
        let in_ = exprs(req("app", LabelSelectorOp::In, &["xwing", "ywing"]));
        assert!(in_.matches(&xwing) && !in_.matches(&tie));
        assert!(exprs(req("org", LabelSelectorOp::Exists, &[])).matches(&tie));
        assert!(!exprs(req("org", LabelSelectorOp::DoesNotExist, &[])).matches(&tie));
    }
}

/// Whether `s` is a DNS-1123 subdomain (Kubernetes object names): at most 253 characters of
/// lowercase letters, digits, `-` and `.`, each dot-separated part starting and ending with a
/// letter or digit.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= crate::limits::MAX_NAME_LEN && s.split('.').all(is_label_chars)
}

/// Whether `s` is a DNS-1123 label (Kubernetes namespaces): at most 63 characters of
/// lowercase letters, digits and `-`, starting and ending with a letter or digit.
pub fn is_dns1123_label(s: &str) -> bool {
    s.len() <= 63 && is_label_chars(s)
}

fn is_label_chars(part: &str) -> bool {
    let b = part.as_bytes();
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            alnum(first) && alnum(last) && b.iter().all(|c| alnum(c) || *c == b'-')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names() {
        assert!(is_dns1123_subdomain("fd-install"));
        assert!(is_dns1123_subdomain("a.b-c.d1"));
        assert!(!is_dns1123_subdomain("example_ns_1"));
        assert!(!is_dns1123_subdomain("Foo"));
        assert!(!is_dns1123_subdomain("-a"));
        assert!(!is_dns1123_subdomain("a..b"));
        assert!(!is_dns1123_subdomain(""));
        assert!(is_dns1123_label("default"));
        assert!(!is_dns1123_label("a.b"));
    }
}
