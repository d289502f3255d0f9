//! Decoding of selectors, their filters and their actions.

use super::fields::fields;
use super::{
    Ctx, boolean, enum_value, i32_, i64_, label_selector, list_of, opt_bool, opt_string, opt_u32,
    string, strings, u32_, u64_,
};
use crate::actions::{ActionKind, ActionSelector, RateLimitScope, parse_rate_limit};
use crate::capabilities::Capability;
use crate::selectors::{
    ArgOp, ArgSelector, BinaryOp, BinarySelector, CapabilitiesSelector, CapabilitySet,
    NamespaceChangesSelector, NamespaceKind, NamespaceSelector, NamespaceValue, PidSelector,
    Selector, SetOp, WorkloadsSelector,
};
use crate::yaml::{Node, shorten};

const SELECTOR_KEYS: &[&str] = &[
    "label",
    "matchPIDs",
    "matchArgs",
    "matchData",
    "matchActions",
    "matchReturnArgs",
    "matchReturnActions",
    "matchBinaries",
    "matchParentBinaries",
    "matchNamespaces",
    "matchNamespaceChanges",
    "matchCapabilities",
    "matchCapabilityChanges",
    "matchWorkloads",
];
const ACTION_KEYS: &[&str] = &[
    "action",
    "argFd",
    "argName",
    "argUrl",
    "argFqdn",
    "argError",
    "argSig",
    "argSock",
    "argIndex",
    "argValue",
    "argRegs",
    "argNewSymbol",
    "argNewAddr",
    "argNewOffset",
    "rateLimit",
    "rateLimitScope",
    "stackTrace",
    "kernelStackTrace",
    "userStackTrace",
    "imaHash",
];

pub(super) fn selector(cx: &mut Ctx, n: &Node, path: &str) -> Selector {
    let mut s = Selector::default();
    let Some(f) = fields(cx, n, path, SELECTOR_KEYS, &[]) else {
        return s;
    };
    s.label = opt_string(cx, &f, "label");
    s.match_pids = list_of(cx, &f, "matchPIDs", pid);
    s.match_args = list_of(cx, &f, "matchArgs", arg_selector);
    s.match_data = list_of(cx, &f, "matchData", arg_selector);
    s.match_actions = list_of(cx, &f, "matchActions", action);
    s.match_return_args = list_of(cx, &f, "matchReturnArgs", arg_selector);
    s.match_return_actions = list_of(cx, &f, "matchReturnActions", action);
    s.match_binaries = list_of(cx, &f, "matchBinaries", binary);
    s.match_parent_binaries = list_of(cx, &f, "matchParentBinaries", binary);
    s.match_namespaces = list_of(cx, &f, "matchNamespaces", namespace);
    s.match_namespace_changes = list_of(cx, &f, "matchNamespaceChanges", namespace_changes);
    s.match_capabilities = list_of(cx, &f, "matchCapabilities", capabilities);
    s.match_capability_changes = list_of(cx, &f, "matchCapabilityChanges", capabilities);
    s.match_workloads = f.get("matchWorkloads").map(|n| {
        let p = f.child("matchWorkloads");
        let mut w = WorkloadsSelector::default();
        if let Some(f) = fields(
            cx,
            n,
            &p,
            &["podSelector", "containerSelector", "hostSelector"],
            &[],
        ) {
            w.pod_selector = f
                .get("podSelector")
                .map(|n| label_selector(cx, n, &f.child("podSelector")));
            w.container_selector = f
                .get("containerSelector")
                .map(|n| label_selector(cx, n, &f.child("containerSelector")));
            w.host_selector = f
                .get("hostSelector")
                .map(|n| label_selector(cx, n, &f.child("hostSelector")));
        }
        w
    });
    s
}

/// The required `operator` of a set filter (In / NotIn).
fn set_op(cx: &mut Ctx, f: &super::Fields<'_>) -> SetOp {
    match f.get("operator") {
        Some(o) => enum_value(
            cx,
            o,
            &f.child("operator"),
            "operator",
            SetOp::from_name,
            SetOp::NAMES,
        )
        .unwrap_or_default(),
        None => {
            cx.missing(f, "operator");
            SetOp::default()
        }
    }
}

/// The required, non-empty `values` list.
fn require_values(cx: &mut Ctx, f: &super::Fields<'_>) {
    if f.get("values").is_none() {
        cx.missing(f, "values");
    }
}

fn pid(cx: &mut Ctx, n: &Node, path: &str) -> PidSelector {
    let mut p = PidSelector::default();
    let Some(f) = fields(
        cx,
        n,
        path,
        &["operator", "values", "isNamespacePID", "followForks"],
        &[],
    ) else {
        return p;
    };
    p.operator = set_op(cx, &f);
    require_values(cx, &f);
    p.values = list_of(cx, &f, "values", |cx, n, p| u32_(cx, n, p).unwrap_or(0));
    p.is_namespace_pid = opt_bool(cx, &f, "isNamespacePID");
    p.follow_forks = opt_bool(cx, &f, "followForks");
    p
}

fn arg_selector(cx: &mut Ctx, n: &Node, path: &str) -> ArgSelector {
    let mut a = ArgSelector::default();
    let Some(f) = fields(cx, n, path, &["index", "args", "operator", "values"], &[]) else {
        cx.locs.mark_bad(&format!("{path}.operator"));
        return a;
    };
    a.index = opt_u32(cx, &f, "index");
    a.args = list_of(cx, &f, "args", |cx, n, p| u32_(cx, n, p).unwrap_or(0));
    match f.get("operator") {
        Some(o) => {
            let names: Vec<&str> = ArgOp::all_names().collect();
            a.operator = enum_value(
                cx,
                o,
                &f.child("operator"),
                "operator",
                ArgOp::from_name,
                &names,
            )
            .unwrap_or_default();
        }
        None => cx.missing(&f, "operator"),
    }
    a.values = strings(cx, &f, "values");
    a
}

fn binary(cx: &mut Ctx, n: &Node, path: &str) -> BinarySelector {
    let mut b = BinarySelector::default();
    let Some(f) = fields(cx, n, path, &["operator", "values", "followChildren"], &[]) else {
        return b;
    };
    match f.get("operator") {
        Some(o) => {
            let names: Vec<&str> = BinaryOp::all_names().collect();
            b.operator = enum_value(
                cx,
                o,
                &f.child("operator"),
                "operator",
                BinaryOp::from_name,
                &names,
            )
            .unwrap_or_default();
        }
        None => cx.missing(&f, "operator"),
    }
    require_values(cx, &f);
    b.values = strings(cx, &f, "values");
    b.follow_children = opt_bool(cx, &f, "followChildren");
    b
}

fn namespace(cx: &mut Ctx, n: &Node, path: &str) -> NamespaceSelector {
    let mut s = NamespaceSelector::default();
    let Some(f) = fields(cx, n, path, &["namespace", "operator", "values"], &[]) else {
        return s;
    };
    let names: Vec<&str> = NamespaceKind::all_names().collect();
    match f.get("namespace") {
        Some(v) => {
            s.namespace = enum_value(
                cx,
                v,
                &f.child("namespace"),
                "namespace",
                NamespaceKind::from_name,
                &names,
            )
            .unwrap_or_default();
        }
        None => cx.missing(&f, "namespace"),
    }
    s.operator = set_op(cx, &f);
    require_values(cx, &f);
    s.values = list_of(cx, &f, "values", |cx, n, p| {
        let v = string(cx, n, p)?;
        if v == "host_ns" {
            return Some(NamespaceValue::HostNs);
        }
        match v.parse::<u32>() {
            Ok(inode) => Some(NamespaceValue::Inode(inode)),
            Err(_) => {
                cx.fail(
                    n,
                    p,
                    format!("invalid namespace value `{}`", shorten(&v)),
                    Some("expected a namespace inode number or host_ns".into()),
                );
                None
            }
        }
    })
    .into_iter()
    .map(|v| v.unwrap_or(NamespaceValue::Inode(0)))
    .collect();
    s
}

fn namespace_changes(cx: &mut Ctx, n: &Node, path: &str) -> NamespaceChangesSelector {
    let mut s = NamespaceChangesSelector::default();
    let Some(f) = fields(cx, n, path, &["operator", "values"], &[]) else {
        return s;
    };
    s.operator = set_op(cx, &f);
    require_values(cx, &f);
    let names: Vec<&str> = NamespaceKind::all_names().collect();
    s.values = list_of(cx, &f, "values", |cx, n, p| {
        enum_value(cx, n, p, "namespace", NamespaceKind::from_name, &names).unwrap_or_default()
    });
    s
}

fn capabilities(cx: &mut Ctx, n: &Node, path: &str) -> CapabilitiesSelector {
    let mut s = CapabilitiesSelector::default();
    let Some(f) = fields(
        cx,
        n,
        path,
        &["type", "operator", "isNamespaceCapability", "values"],
        &[],
    ) else {
        return s;
    };
    if let Some(t) = f.get("type") {
        s.ty = enum_value(
            cx,
            t,
            &f.child("type"),
            "capability type",
            CapabilitySet::from_name,
            CapabilitySet::NAMES,
        )
        .unwrap_or_default();
    }
    s.operator = set_op(cx, &f);
    s.is_namespace_capability = opt_bool(cx, &f, "isNamespaceCapability");
    require_values(cx, &f);
    s.values = list_of(cx, &f, "values", capability)
        .into_iter()
        .map(|c| c.unwrap_or(Capability::Chown))
        .collect();
    s
}

/// A `CAP_` name (any case).
pub(crate) fn capability(cx: &mut Ctx, n: &Node, path: &str) -> Option<Capability> {
    let v = string(cx, n, path)?;
    if let Some(c) = Capability::from_name(&v) {
        return Some(c);
    }
    let hint = match Capability::from_name(&format!("CAP_{}", v.trim())) {
        Some(c) => format!(
            "did you mean `{}`? capability names start with CAP_",
            c.name()
        ),
        None => {
            "expected a capability name such as CAP_SYS_ADMIN (see capabilities(7))".to_string()
        }
    };
    cx.fail(
        n,
        path,
        format!("unknown capability `{}`", shorten(&v)),
        Some(hint),
    );
    None
}

fn action(cx: &mut Ctx, n: &Node, path: &str) -> ActionSelector {
    let mut a = ActionSelector::default();
    let Some(f) = fields(cx, n, path, ACTION_KEYS, &[]) else {
        cx.locs.mark_bad(&format!("{path}.action"));
        return a;
    };
    match f.get("action") {
        Some(v) => {
            let names: Vec<&str> = ActionKind::all_names().collect();
            a.action = enum_value(
                cx,
                v,
                &f.child("action"),
                "action",
                ActionKind::from_name,
                &names,
            )
            .unwrap_or_default();
        }
        None => cx.missing(&f, "action"),
    }
    a.arg_fd = opt_u32(cx, &f, "argFd");
    a.arg_name = opt_u32(cx, &f, "argName");
    a.arg_url = opt_string(cx, &f, "argUrl");
    a.arg_fqdn = opt_string(cx, &f, "argFqdn");
    a.arg_error = f
        .get("argError")
        .and_then(|n| i32_(cx, n, &f.child("argError")))
        .unwrap_or(0);
    a.arg_sig = opt_u32(cx, &f, "argSig");
    a.arg_sock = opt_u32(cx, &f, "argSock");
    a.arg_index = opt_u32(cx, &f, "argIndex");
    a.arg_value = opt_u32(cx, &f, "argValue");
    a.arg_regs = strings(cx, &f, "argRegs");
    a.arg_new_symbol = opt_string(cx, &f, "argNewSymbol");
    a.arg_new_addr = f
        .get("argNewAddr")
        .and_then(|n| u64_(cx, n, &f.child("argNewAddr")));
    a.arg_new_offset = f
        .get("argNewOffset")
        .and_then(|n| i64_(cx, n, &f.child("argNewOffset")));
    if let Some(v) = f.get("rateLimit") {
        let p = f.child("rateLimit");
        if let Some(s) = string(cx, v, &p) {
            match parse_rate_limit(&s) {
                Some(d) => a.rate_limit = Some(d),
                None => cx.fail(
                    v,
                    &p,
                    format!("invalid rateLimit `{}`", shorten(&s)),
                    Some("expected a whole number of seconds, optionally followed by s, m or h (5, 30s, 1m, 2h)".into()),
                ),
            }
        }
    }
    if let Some(v) = f.get("rateLimitScope") {
        a.rate_limit_scope = enum_value(
            cx,
            v,
            &f.child("rateLimitScope"),
            "rateLimitScope",
            RateLimitScope::from_name,
            RateLimitScope::NAMES,
        )
        .unwrap_or_default();
    }
    a.stack_trace = opt_bool(cx, &f, "stackTrace");
    a.kernel_stack_trace = opt_bool(cx, &f, "kernelStackTrace");
    a.user_stack_trace = opt_bool(cx, &f, "userStackTrace");
    a.ima_hash = f
        .get("imaHash")
        .and_then(|n| boolean(cx, n, &f.child("imaHash")))
        .unwrap_or(false);
    a
}
