//! Selectors: the in-kernel filters of a hook (`selectors[]`) and their operators.

use crate::actions::ActionSelector;
use crate::capabilities::Capability;
use crate::policy::LabelSelector;

/// One selector: its filters are ANDed; a hook's selectors are ORed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selector {
    /// `label`: a name for the selector in status and metrics.
    pub label: Option<String>,
    /// `matchPIDs`.
    pub match_pids: Vec<PidSelector>,
    /// `matchArgs`.
    pub match_args: Vec<ArgSelector>,
    /// `matchData` (filters on `data` entries).
    pub match_data: Vec<ArgSelector>,
    /// `matchReturnArgs`: filters on the return value (`returnArg`).
    pub match_return_args: Vec<ArgSelector>,
    /// `matchBinaries`.
    pub match_binaries: Vec<BinarySelector>,
    /// `matchParentBinaries`.
    pub match_parent_binaries: Vec<BinarySelector>,
    /// `matchNamespaces`.
    pub match_namespaces: Vec<NamespaceSelector>,
    /// `matchCapabilities`.
    pub match_capabilities: Vec<CapabilitiesSelector>,
    /// `matchNamespaceChanges`.
    pub match_namespace_changes: Vec<NamespaceChangesSelector>,
    /// `matchCapabilityChanges`.
    pub match_capability_changes: Vec<CapabilitiesSelector>,
    /// `matchActions`: what to do when the selector matches.
    pub match_actions: Vec<ActionSelector>,
    /// `matchReturnActions`: what to do when `matchReturnArgs` match.
    pub match_return_actions: Vec<ActionSelector>,
    /// `matchWorkloads`: Kubernetes workloads the selector applies to.
    pub match_workloads: Option<WorkloadsSelector>,
}

/// `matchWorkloads`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkloadsSelector {
    /// `podSelector`.
    pub pod_selector: Option<LabelSelector>,
    /// `containerSelector`.
    pub container_selector: Option<LabelSelector>,
    /// `hostSelector`.
    pub host_selector: Option<LabelSelector>,
}

/// `In` or `NotIn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SetOp {
    /// `In`.
    #[default]
    In,
    /// `NotIn`.
    NotIn,
}

impl SetOp {
    /// Parses `In` / `NotIn` (exact spelling, as upstream).
    pub fn from_name(s: &str) -> Option<SetOp> {
        match s {
            "In" => Some(SetOp::In),
            "NotIn" => Some(SetOp::NotIn),
            _ => None,
        }
    }

    /// `In` or `NotIn`.
    pub fn name(&self) -> &'static str {
        match self {
            SetOp::In => "In",
            SetOp::NotIn => "NotIn",
        }
    }

    pub(crate) const NAMES: &'static [&'static str] = &["In", "NotIn"];
}

/// `matchPIDs` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PidSelector {
    /// `operator`.
    pub operator: SetOp,
    /// `values`.
    pub values: Vec<u32>,
    /// `isNamespacePID`: values are PIDs in the process's PID namespace.
    pub is_namespace_pid: bool,
    /// `followForks`: also match descendants.
    pub follow_forks: bool,
}

/// A `matchArgs` / `matchReturnArgs` / `matchData` operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(missing_docs)]
pub enum ArgOp {
    #[default]
    Equal,
    NotEqual,
    Prefix,
    NotPrefix,
    Postfix,
    NotPostfix,
    Mask,
    GreaterThan,
    LessThan,
    InRange,
    NotInRange,
    InMap,
    NotInMap,
    SPort,
    NotSPort,
    SPortPriv,
    NotSPortPriv,
    DPort,
    NotDPort,
    DPortPriv,
    NotDPortPriv,
    SAddr,
    NotSAddr,
    DAddr,
    NotDAddr,
    Protocol,
    Family,
    State,
    CapabilitiesGained,
    SubString,
    SubStringIgnCase,
    FileType,
    NotFileType,
    CelExpr,
}

/// Canonical name and the other spellings upstream accepts.
const ARG_OPS: &[(ArgOp, &str, &[&str])] = &[
    (ArgOp::Equal, "Equal", &["eq"]),
    (ArgOp::NotEqual, "NotEqual", &["neq"]),
    (ArgOp::Prefix, "Prefix", &["prefix"]),
    (ArgOp::NotPrefix, "NotPrefix", &["notprefix"]),
    (ArgOp::Postfix, "Postfix", &["postfix"]),
    (ArgOp::NotPostfix, "NotPostfix", &["notpostfix"]),
    (ArgOp::Mask, "Mask", &["mask"]),
    (ArgOp::GreaterThan, "GreaterThan", &["GT", "gt"]),
    (ArgOp::LessThan, "LessThan", &["LT", "lt"]),
    (ArgOp::InRange, "InRange", &[]),
    (ArgOp::NotInRange, "NotInRange", &[]),
    (ArgOp::InMap, "InMap", &[]),
    (ArgOp::NotInMap, "NotInMap", &[]),
    (ArgOp::SPort, "SPort", &["Sport", "sport"]),
    (ArgOp::NotSPort, "NotSPort", &["NotSport", "notsport"]),
    (ArgOp::SPortPriv, "SPortPriv", &["SportPriv", "sportpriv"]),
    (
        ArgOp::NotSPortPriv,
        "NotSPortPriv",
        &["NotSportPriv", "notsportpriv"],
    ),
    (ArgOp::DPort, "DPort", &["Dport", "dport"]),
    (ArgOp::NotDPort, "NotDPort", &["NotDport", "notdport"]),
    (ArgOp::DPortPriv, "DPortPriv", &["DportPriv", "dportpriv"]),
    (
        ArgOp::NotDPortPriv,
        "NotDPortPriv",
        &["NotDportPriv", "notdportpriv"],
    ),
    (ArgOp::SAddr, "SAddr", &["Saddr", "saddr"]),
    (ArgOp::NotSAddr, "NotSAddr", &["NotSaddr", "notsaddr"]),
    (ArgOp::DAddr, "DAddr", &["Daddr", "daddr"]),
    (ArgOp::NotDAddr, "NotDAddr", &["NotDaddr", "notdaddr"]),
    (ArgOp::Protocol, "Protocol", &["protocol"]),
    (ArgOp::Family, "Family", &["family"]),
    (ArgOp::State, "State", &["state"]),
    (ArgOp::CapabilitiesGained, "CapabilitiesGained", &[]),
    (ArgOp::SubString, "SubString", &[]),
    (ArgOp::SubStringIgnCase, "SubStringIgnCase", &[]),
    (ArgOp::FileType, "FileType", &[]),
    (ArgOp::NotFileType, "NotFileType", &[]),
    (ArgOp::CelExpr, "CelExpr", &[]),
];

impl ArgOp {
    /// Parses an operator as upstream spells it (`Equal`, `GT`, `gt`, `GreaterThan`, `SPort`...).
    pub fn from_name(s: &str) -> Option<ArgOp> {
        ARG_OPS
            .iter()
            .find(|(_, n, aliases)| *n == s || aliases.contains(&s))
            .map(|(op, _, _)| *op)
    }

    /// The canonical name.
    pub fn name(&self) -> &'static str {
        ARG_OPS
            .iter()
            .find(|(op, _, _)| op == self)
            .map(|(_, n, _)| *n)
            .unwrap_or("Equal")
    }

    /// Every canonical name.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        ARG_OPS.iter().map(|(_, n, _)| *n)
    }

    /// String operators: Equal and NotEqual (also integer), Prefix, Postfix, SubString and negations.
    pub fn is_string_op(&self) -> bool {
        matches!(
            self,
            ArgOp::Prefix
                | ArgOp::NotPrefix
                | ArgOp::Postfix
                | ArgOp::NotPostfix
                | ArgOp::SubString
                | ArgOp::SubStringIgnCase
        )
    }

    /// Integer-only operators: Mask, GreaterThan, LessThan, InRange, NotInRange, InMap, NotInMap.
    pub fn is_integer_op(&self) -> bool {
        matches!(
            self,
            ArgOp::Mask
                | ArgOp::GreaterThan
                | ArgOp::LessThan
                | ArgOp::InRange
                | ArgOp::NotInRange
                | ArgOp::InMap
                | ArgOp::NotInMap
        )
    }

    /// Operators whose values are compared inline in the BPF program (limit
    /// [`MAX_INLINE_INT_VALUES`](crate::limits::MAX_INLINE_INT_VALUES)).
    pub fn is_inline(&self) -> bool {
        matches!(
            self,
            ArgOp::Mask | ArgOp::GreaterThan | ArgOp::LessThan | ArgOp::InRange | ArgOp::NotInRange
        )
    }

    /// Port operators (values are ports or `min:max` ranges).
    pub fn is_port_op(&self) -> bool {
        matches!(
            self,
            ArgOp::SPort | ArgOp::NotSPort | ArgOp::DPort | ArgOp::NotDPort
        )
    }

    /// Privileged-port operators (take no values).
    pub fn is_port_priv_op(&self) -> bool {
        matches!(
            self,
            ArgOp::SPortPriv | ArgOp::NotSPortPriv | ArgOp::DPortPriv | ArgOp::NotDPortPriv
        )
    }

    /// Address operators (values are IP addresses or CIDRs).
    pub fn is_addr_op(&self) -> bool {
        matches!(
            self,
            ArgOp::SAddr | ArgOp::NotSAddr | ArgOp::DAddr | ArgOp::NotDAddr
        )
    }

    /// All operators on sockets: ports, addresses, Protocol, Family, State.
    pub fn is_socket_op(&self) -> bool {
        self.is_port_op()
            || self.is_port_priv_op()
            || self.is_addr_op()
            || matches!(self, ArgOp::Protocol | ArgOp::Family | ArgOp::State)
    }

    /// Whether the operator is used without values.
    pub fn takes_no_values(&self) -> bool {
        self.is_port_priv_op()
    }
}

impl std::fmt::Display for ArgOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `matchArgs` / `matchReturnArgs` / `matchData` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArgSelector {
    /// `index`: the argument filtered, by its `args[].index`.
    pub index: u32,
    /// `operator`.
    pub operator: ArgOp,
    /// `values`, as written (numbers stringified: `- 9999` and `- "9999"` are both `"9999"`).
    pub values: Vec<String>,
    /// `args`: positions in `args` the operator takes (CelExpr and multi-argument operators).
    pub args: Vec<u32>,
}

/// `matchBinaries` / `matchParentBinaries` operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(missing_docs)]
pub enum BinaryOp {
    #[default]
    In,
    NotIn,
    Prefix,
    NotPrefix,
    Postfix,
    NotPostfix,
}

const BINARY_OPS: &[(BinaryOp, &str, &[&str])] = &[
    (BinaryOp::In, "In", &[]),
    (BinaryOp::NotIn, "NotIn", &[]),
    (BinaryOp::Prefix, "Prefix", &["prefix"]),
    (BinaryOp::NotPrefix, "NotPrefix", &["notprefix"]),
    (BinaryOp::Postfix, "Postfix", &["postfix"]),
    (BinaryOp::NotPostfix, "NotPostfix", &["notpostfix"]),
];

impl BinaryOp {
    /// Parses an operator as upstream spells it.
    pub fn from_name(s: &str) -> Option<BinaryOp> {
        BINARY_OPS
            .iter()
            .find(|(_, n, aliases)| *n == s || aliases.contains(&s))
            .map(|(op, _, _)| *op)
    }

    /// The canonical name.
    pub fn name(&self) -> &'static str {
        BINARY_OPS
            .iter()
            .find(|(op, _, _)| op == self)
            .map(|(_, n, _)| *n)
            .unwrap_or("In")
    }

    /// Every canonical name.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        BINARY_OPS.iter().map(|(_, n, _)| *n)
    }
}

/// `matchBinaries` / `matchParentBinaries` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BinarySelector {
    /// `operator`.
    pub operator: BinaryOp,
    /// `values`: binary paths (or prefixes / suffixes).
    pub values: Vec<String>,
    /// `followChildren`: also match the children of matching binaries.
    pub follow_children: bool,
}

/// A Linux namespace kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(missing_docs)]
pub enum NamespaceKind {
    #[default]
    Uts,
    Ipc,
    Mnt,
    Pid,
    PidForChildren,
    Net,
    Time,
    TimeForChildren,
    Cgroup,
    User,
}

const NAMESPACES: &[(NamespaceKind, &str)] = &[
    (NamespaceKind::Uts, "Uts"),
    (NamespaceKind::Ipc, "Ipc"),
    (NamespaceKind::Mnt, "Mnt"),
    (NamespaceKind::Pid, "Pid"),
    (NamespaceKind::PidForChildren, "PidForChildren"),
    (NamespaceKind::Net, "Net"),
    (NamespaceKind::Time, "Time"),
    (NamespaceKind::TimeForChildren, "TimeForChildren"),
    (NamespaceKind::Cgroup, "Cgroup"),
    (NamespaceKind::User, "User"),
];

impl NamespaceKind {
    /// Parses a namespace name, ignoring case as upstream does.
    pub fn from_name(s: &str) -> Option<NamespaceKind> {
        NAMESPACES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(s))
            .map(|(k, _)| *k)
    }

    /// The canonical name (`Mnt`, `PidForChildren`...).
    pub fn name(&self) -> &'static str {
        NAMESPACES
            .iter()
            .find(|(k, _)| k == self)
            .map(|(_, n)| *n)
            .unwrap_or("Uts")
    }

    /// Every canonical name.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        NAMESPACES.iter().map(|(_, n)| *n)
    }

    /// Upstream's number for the kind (its bit in `matchNamespaceChanges`).
    pub fn number(&self) -> u32 {
        NAMESPACES.iter().position(|(k, _)| k == self).unwrap_or(0) as u32
    }
}

/// A `matchNamespaces` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamespaceValue {
    /// A namespace inode number (as `lsns` shows).
    Inode(u32),
    /// `host_ns`: the host's namespace of that kind.
    HostNs,
}

/// `matchNamespaces` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NamespaceSelector {
    /// `namespace`.
    pub namespace: NamespaceKind,
    /// `operator`.
    pub operator: SetOp,
    /// `values`.
    pub values: Vec<NamespaceValue>,
}

/// A capability set of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(missing_docs)]
pub enum CapabilitySet {
    #[default]
    Effective,
    Inheritable,
    Permitted,
}

impl CapabilitySet {
    /// Parses `Effective`, `Inheritable` or `Permitted`, ignoring case as upstream does.
    pub fn from_name(s: &str) -> Option<CapabilitySet> {
        [
            CapabilitySet::Effective,
            CapabilitySet::Inheritable,
            CapabilitySet::Permitted,
        ]
        .into_iter()
        .find(|c| c.name().eq_ignore_ascii_case(s))
    }

    /// The canonical name.
    pub fn name(&self) -> &'static str {
        match self {
            CapabilitySet::Effective => "Effective",
            CapabilitySet::Inheritable => "Inheritable",
            CapabilitySet::Permitted => "Permitted",
        }
    }

    pub(crate) const NAMES: &'static [&'static str] = &["Effective", "Inheritable", "Permitted"];
}

/// `matchCapabilities` / `matchCapabilityChanges` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CapabilitiesSelector {
    /// `type` (default Effective).
    pub ty: CapabilitySet,
    /// `operator`.
    pub operator: SetOp,
    /// `isNamespaceCapability`.
    pub is_namespace_capability: bool,
    /// `values`.
    pub values: Vec<Capability>,
}

/// `matchNamespaceChanges` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NamespaceChangesSelector {
    /// `operator`.
    pub operator: SetOp,
    /// `values`: the namespace kinds whose change is matched.
    pub values: Vec<NamespaceKind>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_aliases() {
        assert_eq!(ArgOp::from_name("GT"), Some(ArgOp::GreaterThan));
        assert_eq!(ArgOp::from_name("LT"), Some(ArgOp::LessThan));
        assert_eq!(ArgOp::from_name("NotSportPriv"), Some(ArgOp::NotSPortPriv));
        assert_eq!(ArgOp::from_name("Equals"), None);
        for name in ArgOp::all_names() {
            assert_eq!(ArgOp::from_name(name).map(|o| o.name()), Some(name));
        }
        assert_eq!(BinaryOp::from_name("prefix"), Some(BinaryOp::Prefix));
        assert_eq!(NamespaceKind::from_name("mnt"), Some(NamespaceKind::Mnt));
        assert_eq!(NamespaceKind::User.number(), 9);
        assert_eq!(
            CapabilitySet::from_name("permitted"),
            Some(CapabilitySet::Permitted)
        );
    }
}
