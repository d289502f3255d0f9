//! Selectors: each filter into the constant configuration, its values
//! into the string trie or the integer set.

use bytemuck::Zeroable;
use tetragon_policy::{
    ActionKind, ArgOp, ArgSelector, ArgSpec, BinaryOp, CapabilitySet, NamespaceKind,
    NamespaceValue, RateLimitScope, Selector, SetOp,
};

use super::{Kernel, Problems};
use crate::policy::kernel_abi::{
    ARG_RETURN, GhAction, GhArgFilter, GhBinFilter, GhCapFilter, GhConfig, GhIntKey, GhSelector,
    GhStrKey, MAX_ACTIONS, MAX_CAP_FILTERS, MAX_INLINE, MAX_MATCH_ARGS, MAX_NS_FILTERS,
    MAX_NS_VALUES, MAX_PID_FILTERS, MAX_PIDS, MAX_SELECTORS, OP_IN, OP_NOT_IN, STR_KEY,
    STR_MATCH_MAX, action, arg_op, bin_op,
};

/// An action tetragond runs on the event, off the event path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserAction {
    GetUrl(String),
    DnsLookup(String),
}

#[derive(Default)]
pub struct Compiled {
    pub strings: Vec<GhStrKey>,
    pub ints: Vec<GhIntKey>,
    pub user_actions: Vec<Vec<UserAction>>,
    pub actions: Vec<Option<ActionKind>>,
    pub wants_stacks: bool,
}

struct Builder<'a> {
    out: Compiled,
    next_slot: u32,
    problems: &'a mut Problems,
}

impl Builder<'_> {
    fn slot(&mut self) -> u32 {
        self.next_slot += 1;
        self.next_slot
    }

    /// `value` under `slot`: exact values end in NUL, postfixes are reversed.
    fn string(&mut self, slot: u32, value: &str, how: StrHow, at: &str) {
        // A value written with an explicit trailing NUL (`"/etc/passwd\0"`) means the same.
        let value = value.strip_suffix('\0').unwrap_or(value);
        let mut bytes: Vec<u8> = value.as_bytes().to_vec();
        if bytes.len() > STR_MATCH_MAX {
            self.problems.add(
                at,
                format!(
                    "value `{value}` is {} bytes: the kernel compares at most {STR_MATCH_MAX}",
                    bytes.len()
                ),
            );
            return;
        }
        match how {
            StrHow::Exact => bytes.push(0),
            StrHow::Prefix => {}
            StrHow::Postfix => bytes.reverse(),
        }
        let mut key = GhStrKey::zeroed();
        key.prefixlen = 32 + 8 * bytes.len() as u32;
        key.slot = slot;
        key.data[..bytes.len().min(STR_KEY)].copy_from_slice(&bytes[..bytes.len().min(STR_KEY)]);
        self.out.strings.push(key);
    }
}

#[derive(Clone, Copy)]
enum StrHow {
    Exact,
    Prefix,
    Postfix,
}

pub fn compile(
    selectors: &[Selector],
    args: &[ArgSpec],
    position: impl Fn(&[ArgSpec], u32) -> Option<usize>,
    path: &str,
    kernel: &Kernel,
    config: &mut GhConfig,
    problems: &mut Problems,
) -> Compiled {
    super::check_counts(selectors, args, path, problems);
    let mut b = Builder {
        out: Compiled::default(),
        next_slot: 0,
        problems,
    };
    for (s, sel) in selectors.iter().enumerate().take(MAX_SELECTORS) {
        let at = format!("{path}.selectors[{s}]");
        let mut g = GhSelector::zeroed();
        pids(&mut g, sel, &at, &mut b);
        namespaces(&mut g, sel, &at, kernel, &mut b);
        capabilities(&mut g, sel, &at, &mut b);
        binaries(&mut g, sel, &at, &mut b);
        for (j, f) in sel.match_args.iter().enumerate() {
            let fat = format!("{at}.matchArgs[{j}]");
            if j >= MAX_MATCH_ARGS {
                b.problems.add(
                    fat,
                    format!("at most {MAX_MATCH_ARGS} matchArgs per selector"),
                );
                break;
            }
            let Some(pos) = position(args, f.index) else {
                b.problems.add(
                    format!("{fat}.index"),
                    format!("no argument with index {} in args", f.index),
                );
                continue;
            };
            let Some(spec) = args.get(pos) else { continue };
            g.args[j] = arg_filter(
                f,
                spec.ty.is_string_like(),
                spec.ty.int_width().is_some_and(|w| w.signed),
                pos as u8,
                &fat,
                &mut b,
            );
            g.n_args = (j + 1) as u8;
        }
        for (j, f) in sel.match_return_args.iter().enumerate() {
            let fat = format!("{at}.matchReturnArgs[{j}]");
            if j >= MAX_MATCH_ARGS {
                b.problems.add(
                    fat,
                    format!("at most {MAX_MATCH_ARGS} matchReturnArgs per selector"),
                );
                break;
            }
            if config.has_return == 0 {
                b.problems
                    .add(fat.clone(), "matchReturnArgs needs `return: true`");
            }
            // A syscall returns a signed long.
            let mut filter = arg_filter(f, false, true, ARG_RETURN, &fat, &mut b);
            filter.arg = ARG_RETURN;
            g.ret[j] = filter;
            g.n_ret = (j + 1) as u8;
        }
        if !sel.match_return_actions.is_empty() {
            b.problems.add(
                format!("{at}.matchReturnActions"),
                "matchReturnActions are not served yet: use matchActions",
            );
        }
        if !sel.match_data.is_empty() {
            b.problems.add(
                format!("{at}.matchData"),
                "matchData reads BTF data of kernel-function hooks, which need kprobes",
            );
        }
        if sel.match_workloads.is_some() {
            b.problems.add(
                format!("{at}.matchWorkloads"),
                "matchWorkloads is not served yet",
            );
        }
        let (user, first) = actions(&mut g, sel, &at, &mut b);
        b.out.user_actions.push(user);
        b.out.actions.push(first);
        config.sel[s] = g;
        config.n_selectors = (s + 1) as u8;
    }
    b.out
}

fn set_op(op: SetOp) -> u8 {
    match op {
        SetOp::In => OP_IN,
        SetOp::NotIn => OP_NOT_IN,
    }
}

fn pids(g: &mut GhSelector, sel: &Selector, at: &str, b: &mut Builder) {
    for (j, f) in sel.match_pids.iter().enumerate() {
        let fat = format!("{at}.matchPIDs[{j}]");
        if j >= MAX_PID_FILTERS {
            b.problems.add(
                fat,
                format!("at most {MAX_PID_FILTERS} matchPIDs per selector"),
            );
            return;
        }
        if f.values.len() > MAX_PIDS {
            b.problems.add(
                format!("{fat}.values"),
                format!("at most {MAX_PIDS} values"),
            );
            continue;
        }
        let p = &mut g.pids[j];
        p.op = set_op(f.operator);
        p.follow_forks = f.follow_forks as u8;
        p.ns_pid = f.is_namespace_pid as u8;
        p.count = f.values.len() as u8;
        p.values[..f.values.len()].copy_from_slice(&f.values);
        g.n_pids = (j + 1) as u8;
    }
}

fn ns_kind(kind: NamespaceKind) -> u8 {
    match kind {
        NamespaceKind::Uts => 0,
        NamespaceKind::Ipc => 1,
        NamespaceKind::Mnt => 2,
        NamespaceKind::Pid => 3,
        NamespaceKind::PidForChildren => 4,
        NamespaceKind::Net => 5,
        NamespaceKind::Time => 6,
        NamespaceKind::TimeForChildren => 7,
        NamespaceKind::Cgroup => 8,
        NamespaceKind::User => 9,
    }
}

fn cap_set(set: CapabilitySet) -> u8 {
    match set {
        CapabilitySet::Effective => 0,
        CapabilitySet::Inheritable => 1,
        CapabilitySet::Permitted => 2,
    }
}

fn namespaces(g: &mut GhSelector, sel: &Selector, at: &str, kernel: &Kernel, b: &mut Builder) {
    for (j, f) in sel.match_namespaces.iter().enumerate() {
        let fat = format!("{at}.matchNamespaces[{j}]");
        if j >= MAX_NS_FILTERS {
            b.problems.add(
                fat,
                format!("at most {MAX_NS_FILTERS} matchNamespaces per selector"),
            );
            return;
        }
        if f.values.len() > MAX_NS_VALUES {
            b.problems.add(
                format!("{fat}.values"),
                format!("at most {MAX_NS_VALUES} values"),
            );
            continue;
        }
        let kind = ns_kind(f.namespace);
        let n = &mut g.ns[j];
        n.kind = kind;
        n.op = set_op(f.operator);
        n.count = f.values.len() as u8;
        for (k, v) in f.values.iter().enumerate() {
            n.values[k] = match v {
                NamespaceValue::Inode(i) => *i,
                NamespaceValue::HostNs => kernel.host_ns[kind as usize],
            };
        }
        g.n_ns = (j + 1) as u8;
    }
    if let Some(f) = sel.match_namespace_changes.first() {
        if sel.match_namespace_changes.len() > 1 {
            b.problems.add(
                format!("{at}.matchNamespaceChanges"),
                "at most one matchNamespaceChanges per selector",
            );
        }
        g.has_nschg = 1;
        g.nschg_op = set_op(f.operator);
        g.nschg_mask = f.values.iter().fold(0, |m, k| m | 1 << ns_kind(*k));
    }
}

fn capabilities(g: &mut GhSelector, sel: &Selector, at: &str, b: &mut Builder) {
    let fill = |f: &tetragon_policy::CapabilitiesSelector| GhCapFilter {
        set: cap_set(f.ty),
        op: set_op(f.operator),
        is_ns: f.is_namespace_capability as u8,
        pad: [0; 5],
        mask: f.values.iter().fold(0, |m, c| m | c.mask()),
    };
    for (j, f) in sel.match_capabilities.iter().enumerate() {
        if j >= MAX_CAP_FILTERS {
            b.problems.add(
                format!("{at}.matchCapabilities"),
                format!("at most {MAX_CAP_FILTERS} per selector"),
            );
            break;
        }
        g.caps[j] = fill(f);
        g.n_caps = (j + 1) as u8;
    }
    for (j, f) in sel.match_capability_changes.iter().enumerate() {
        if j >= MAX_CAP_FILTERS {
            b.problems.add(
                format!("{at}.matchCapabilityChanges"),
                format!("at most {MAX_CAP_FILTERS} per selector"),
            );
            break;
        }
        g.capchg[j] = fill(f);
        g.n_capchg = (j + 1) as u8;
    }
}

fn bin_filter(f: &tetragon_policy::BinarySelector, fat: &str, b: &mut Builder) -> GhBinFilter {
    let slot = b.slot();
    let (op, how) = match f.operator {
        BinaryOp::In => (bin_op::IN, StrHow::Exact),
        BinaryOp::NotIn => (bin_op::NOT_IN, StrHow::Exact),
        BinaryOp::Prefix => (bin_op::PREFIX, StrHow::Prefix),
        BinaryOp::NotPrefix => (bin_op::NOT_PREFIX, StrHow::Prefix),
        BinaryOp::Postfix => (bin_op::POSTFIX, StrHow::Postfix),
        BinaryOp::NotPostfix => (bin_op::NOT_POSTFIX, StrHow::Postfix),
    };
    for (k, v) in f.values.iter().enumerate() {
        b.string(slot, v, how, &format!("{fat}.values[{k}]"));
    }
    GhBinFilter {
        op,
        follow_children: f.follow_children as u8,
        pad: [0; 2],
        slot,
    }
}

fn binaries(g: &mut GhSelector, sel: &Selector, at: &str, b: &mut Builder) {
    if sel.match_binaries.len() > 1 {
        b.problems.add(
            format!("{at}.matchBinaries"),
            "at most one matchBinaries entry per selector: put the values in one",
        );
    }
    if let Some(f) = sel.match_binaries.first() {
        g.bins = bin_filter(f, &format!("{at}.matchBinaries[0]"), b);
        g.has_bins = 1;
    }
    if sel.match_parent_binaries.len() > 1 {
        b.problems.add(
            format!("{at}.matchParentBinaries"),
            "at most one matchParentBinaries entry per selector",
        );
    }
    if let Some(f) = sel.match_parent_binaries.first() {
        g.parent_bins = bin_filter(f, &format!("{at}.matchParentBinaries[0]"), b);
        g.has_parent_bins = 1;
    }
}

/// An integer as the policy writes it: decimal, 0x hex, 0o/0 octal, negative.
pub fn parse_int(s: &str) -> Option<u64> {
    let s = s.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let v = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = digits.strip_prefix("0o") {
        u64::from_str_radix(o, 8).ok()?
    } else {
        digits.parse::<u64>().ok()?
    };
    Some(if neg {
        (v as i64).checked_neg()? as u64
    } else {
        v
    })
}

fn arg_filter(
    f: &ArgSelector,
    is_string: bool,
    signed: bool,
    pos: u8,
    fat: &str,
    b: &mut Builder,
) -> GhArgFilter {
    let mut g = GhArgFilter::zeroed();
    g.arg = pos;
    g.is_string = is_string as u8;
    g.is_signed = signed as u8;
    let op = f.operator;
    g.op = match op {
        ArgOp::Equal | ArgOp::InMap => arg_op::EQUAL,
        ArgOp::NotEqual | ArgOp::NotInMap => arg_op::NOT_EQUAL,
        ArgOp::Prefix => arg_op::PREFIX,
        ArgOp::NotPrefix => arg_op::NOT_PREFIX,
        ArgOp::Postfix => arg_op::POSTFIX,
        ArgOp::NotPostfix => arg_op::NOT_POSTFIX,
        ArgOp::Mask => arg_op::MASK,
        ArgOp::GreaterThan => arg_op::GT,
        ArgOp::LessThan => arg_op::LT,
        ArgOp::InRange => arg_op::IN_RANGE,
        ArgOp::NotInRange => arg_op::NOT_IN_RANGE,
        other => {
            b.problems.add(
                format!("{fat}.operator"),
                format!(
                    "operator `{}` is not served on syscall, tracepoint or uprobe arguments",
                    other.name()
                ),
            );
            return g;
        }
    };
    if is_string {
        let how = match g.op {
            arg_op::EQUAL | arg_op::NOT_EQUAL => StrHow::Exact,
            arg_op::PREFIX | arg_op::NOT_PREFIX => StrHow::Prefix,
            arg_op::POSTFIX | arg_op::NOT_POSTFIX => StrHow::Postfix,
            _ => {
                b.problems.add(
                    format!("{fat}.operator"),
                    format!(
                        "operator `{}` compares integers; this argument is a string",
                        op.name()
                    ),
                );
                return g;
            }
        };
        g.slot = b.slot();
        for (k, v) in f.values.iter().enumerate() {
            b.string(g.slot, v, how, &format!("{fat}.values[{k}]"));
        }
        return g;
    }
    if matches!(
        g.op,
        arg_op::PREFIX | arg_op::NOT_PREFIX | arg_op::POSTFIX | arg_op::NOT_POSTFIX
    ) {
        b.problems.add(
            format!("{fat}.operator"),
            format!(
                "operator `{}` compares strings; this argument is an integer",
                op.name()
            ),
        );
        return g;
    }
    if matches!(g.op, arg_op::EQUAL | arg_op::NOT_EQUAL) {
        g.slot = b.slot();
        for (k, v) in f.values.iter().enumerate() {
            match parse_int(v) {
                Some(value) => b.out.ints.push(GhIntKey {
                    slot: g.slot,
                    pad: 0,
                    value,
                }),
                None => b.problems.add(
                    format!("{fat}.values[{k}]"),
                    format!("`{v}` is not an integer"),
                ),
            }
        }
        return g;
    }
    if f.values.len() > MAX_INLINE {
        b.problems.add(
            format!("{fat}.values"),
            format!("at most {MAX_INLINE} values for {}", op.name()),
        );
        return g;
    }
    g.count = f.values.len() as u8;
    for (k, v) in f.values.iter().enumerate() {
        let vat = format!("{fat}.values[{k}]");
        if matches!(g.op, arg_op::IN_RANGE | arg_op::NOT_IN_RANGE) {
            let parsed = v
                .split_once(':')
                .and_then(|(lo, hi)| Some((parse_int(lo)?, parse_int(hi)?)));
            match parsed {
                Some((lo, hi)) => {
                    g.values[2 * k] = lo;
                    g.values[2 * k + 1] = hi;
                }
                None => b
                    .problems
                    .add(vat, format!("`{v}` is not a range `low:high`")),
            }
        } else {
            match parse_int(v) {
                Some(value) => g.values[k] = value,
                None => b.problems.add(vat, format!("`{v}` is not an integer")),
            }
        }
    }
    g
}

fn actions(
    g: &mut GhSelector,
    sel: &Selector,
    at: &str,
    b: &mut Builder,
) -> (Vec<UserAction>, Option<ActionKind>) {
    let mut user = Vec::new();
    for (k, a) in sel.match_actions.iter().enumerate() {
        let aat = format!("{at}.matchActions[{k}]");
        if k >= MAX_ACTIONS {
            b.problems
                .add(aat, format!("at most {MAX_ACTIONS} actions per selector"));
            break;
        }
        let mut ga = GhAction::zeroed();
        ga.kind = match a.action {
            ActionKind::Post => {
                ga.rate_ns = a
                    .rate_limit
                    .map(|d| d.as_nanos().min(u64::MAX as u128) as u64)
                    .unwrap_or(0);
                ga.scope = match a.rate_limit_scope {
                    RateLimitScope::Thread => 0,
                    RateLimitScope::Process => 1,
                    RateLimitScope::Global => 2,
                };
                ga.kernel_stack = a.wants_kernel_stack() as u8;
                ga.user_stack = a.user_stack_trace as u8;
                if ga.kernel_stack != 0 || ga.user_stack != 0 {
                    b.out.wants_stacks = true;
                }
                action::POST
            }
            ActionKind::NoPost => action::NOPOST,
            ActionKind::Sigkill => action::SIGKILL,
            ActionKind::Signal => {
                ga.arg = a.arg_sig as i32;
                action::SIGNAL
            }
            ActionKind::GetUrl => {
                user.push(UserAction::GetUrl(a.arg_url.clone().unwrap_or_default()));
                action::USER
            }
            ActionKind::DnsLookup => {
                user.push(UserAction::DnsLookup(
                    a.arg_fqdn.clone().unwrap_or_default(),
                ));
                action::USER
            }
            ActionKind::Override => {
                b.problems.add(
                    format!("{aat}.action"),
                    "Override needs bpf_override_return on a kprobe (CONFIG_BPF_KPROBE_OVERRIDE) \
                     or an fmod_ret program; this kernel has no kprobes and refuses fmod_ret, so the \
                     call cannot be overridden: use Sigkill or Signal",
                );
                continue;
            }
            ActionKind::NotifyKiller | ActionKind::NotifyEnforcer => {
                b.problems.add(
                    format!("{aat}.action"),
                    "NotifyEnforcer needs an enforcer that overrides syscalls (bpf_override_return or \
                     fmod_ret), which this kernel does not offer: use Sigkill or Signal",
                );
                continue;
            }
            other => {
                b.problems.add(
                    format!("{aat}.action"),
                    format!("action `{}` needs kernel-function hooks (kprobes), which this engine does not serve yet", other.name()),
                );
                continue;
            }
        };
        g.actions[k] = ga;
        g.n_actions = (k + 1) as u8;
    }
    (user, sel.match_actions.first().map(|a| a.action))
}

#[cfg(test)]
mod tests {
    use super::parse_int;

    #[test]
    fn integers_as_policies_write_them() {
        assert_eq!(parse_int("9999"), Some(9999));
        assert_eq!(parse_int("0x10"), Some(16));
        assert_eq!(parse_int("-1"), Some(u64::MAX));
        assert_eq!(parse_int(" 3 "), Some(3));
        assert_eq!(parse_int("abc"), None);
    }
}
