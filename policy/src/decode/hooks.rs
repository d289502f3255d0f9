//! Decoding of kprobes, tracepoints, uprobes and their arguments.

use super::fields::fields;
use super::{Ctx, list_of, opt_bool, opt_string, opt_u32, req_string, strings, u32_, u64_};
use crate::arg_type::ArgType;
use crate::hooks::{ArgSpec, KProbeIgnore, KProbeSpec, TracepointSpec, UProbeIgnore, UProbeSpec};
use crate::yaml::Node;

const KPROBE_KEYS: &[&str] = &[
    "call",
    "syscall",
    "return",
    "message",
    "args",
    "data",
    "returnArg",
    "returnArgAction",
    "selectors",
    "tags",
    "ignore",
];
const TRACEPOINT_KEYS: &[&str] = &[
    "subsystem",
    "event",
    "message",
    "args",
    "selectors",
    "tags",
    "raw",
];
const UPROBE_KEYS: &[&str] = &[
    "path",
    "btfPath",
    "symbols",
    "offsets",
    "addrs",
    "refCtrOffsets",
    "message",
    "selectors",
    "args",
    "data",
    "tags",
    "return",
    "returnArg",
    "binaryDigests",
    "ignore",
];
const ARG_KEYS: &[&str] = &[
    "index",
    "type",
    "resolve",
    "sizeArgIndex",
    "returnCopy",
    "maxData",
    "label",
    "source",
    "btfType",
    "btfTypeModule",
];

/// How an argument entry is used, which decides what it must have.
#[derive(Clone, Copy, PartialEq)]
enum ArgUse {
    /// `args[]`: index and type required.
    Arg,
    /// `returnArg` and `data[]`: type required, index optional.
    Other,
}

pub(super) fn kprobe(cx: &mut Ctx, n: &Node, path: &str) -> KProbeSpec {
    let mut k = KProbeSpec::default();
    let Some(f) = fields(cx, n, path, KPROBE_KEYS, &[]) else {
        return k;
    };
    k.call = req_string(cx, &f, "call").unwrap_or_default();
    k.syscall = opt_bool(cx, &f, "syscall");
    k.return_ = opt_bool(cx, &f, "return");
    k.message = opt_string(cx, &f, "message");
    k.args = list_of(cx, &f, "args", |cx, n, p| arg(cx, n, p, ArgUse::Arg));
    k.data = list_of(cx, &f, "data", |cx, n, p| arg(cx, n, p, ArgUse::Other));
    k.return_arg = f
        .get("returnArg")
        .map(|n| arg(cx, n, &f.child("returnArg"), ArgUse::Other));
    k.return_arg_action = opt_string(cx, &f, "returnArgAction");
    k.selectors = list_of(cx, &f, "selectors", super::selectors::selector);
    k.tags = strings(cx, &f, "tags");
    k.ignore = f.get("ignore").map(|n| {
        let mut ig = KProbeIgnore::default();
        if let Some(f) = fields(cx, n, &f.child("ignore"), &["callNotFound"], &[]) {
            ig.call_not_found = opt_bool(cx, &f, "callNotFound");
        }
        ig
    });
    k
}

pub(super) fn tracepoint(cx: &mut Ctx, n: &Node, path: &str) -> TracepointSpec {
    let mut t = TracepointSpec::default();
    let Some(f) = fields(cx, n, path, TRACEPOINT_KEYS, &[]) else {
        return t;
    };
    t.subsystem = req_string(cx, &f, "subsystem").unwrap_or_default();
    t.event = req_string(cx, &f, "event").unwrap_or_default();
    t.message = opt_string(cx, &f, "message");
    t.args = list_of(cx, &f, "args", |cx, n, p| arg(cx, n, p, ArgUse::Arg));
    t.selectors = list_of(cx, &f, "selectors", super::selectors::selector);
    t.tags = strings(cx, &f, "tags");
    t.raw = opt_bool(cx, &f, "raw");
    t
}

pub(super) fn uprobe(cx: &mut Ctx, n: &Node, path: &str) -> UProbeSpec {
    let mut u = UProbeSpec::default();
    let Some(f) = fields(cx, n, path, UPROBE_KEYS, &[]) else {
        return u;
    };
    u.path = req_string(cx, &f, "path").unwrap_or_default();
    u.btf_path = opt_string(cx, &f, "btfPath");
    u.symbols = strings(cx, &f, "symbols");
    u.offsets = list_of(cx, &f, "offsets", |cx, n, p| u64_(cx, n, p).unwrap_or(0));
    u.addrs = list_of(cx, &f, "addrs", |cx, n, p| u64_(cx, n, p).unwrap_or(0));
    u.ref_ctr_offsets = list_of(cx, &f, "refCtrOffsets", |cx, n, p| {
        u64_(cx, n, p).unwrap_or(0)
    });
    u.message = opt_string(cx, &f, "message");
    u.selectors = list_of(cx, &f, "selectors", super::selectors::selector);
    u.args = list_of(cx, &f, "args", |cx, n, p| arg(cx, n, p, ArgUse::Arg));
    u.data = list_of(cx, &f, "data", |cx, n, p| arg(cx, n, p, ArgUse::Other));
    u.tags = strings(cx, &f, "tags");
    u.return_ = opt_bool(cx, &f, "return");
    u.return_arg = f
        .get("returnArg")
        .map(|n| arg(cx, n, &f.child("returnArg"), ArgUse::Other));
    u.binary_digests = strings(cx, &f, "binaryDigests");
    u.ignore = f.get("ignore").map(|n| {
        let mut ig = UProbeIgnore::default();
        if let Some(f) = fields(
            cx,
            n,
            &f.child("ignore"),
            &["digestVerificationFailure"],
            &[],
        ) {
            ig.digest_verification_failure = opt_bool(cx, &f, "digestVerificationFailure");
        }
        ig
    });
    u
}

fn arg(cx: &mut Ctx, n: &Node, path: &str, usage: ArgUse) -> ArgSpec {
    let mut a = ArgSpec::default();
    let Some(f) = fields(cx, n, path, ARG_KEYS, &[]) else {
        cx.locs.mark_bad(&format!("{path}.index"));
        cx.locs.mark_bad(&format!("{path}.type"));
        return a;
    };
    match f.get("index") {
        Some(i) => a.index = u32_(cx, i, &f.child("index")).unwrap_or(0),
        None if usage == ArgUse::Arg => cx.missing(&f, "index"),
        None => {}
    }
    match f.get("type") {
        Some(t) => {
            let names: Vec<&str> = ArgType::all_names().collect();
            match super::enum_value(cx, t, &f.child("type"), "type", ArgType::from_name, &names) {
                Some(ty) => a.ty = ty,
                None => cx.locs.mark_bad(&f.child("type")),
            }
        }
        None => cx.missing(&f, "type"),
    }
    a.resolve = opt_string(cx, &f, "resolve").filter(|s| !s.is_empty());
    a.size_arg_index = opt_u32(cx, &f, "sizeArgIndex");
    a.return_copy = opt_bool(cx, &f, "returnCopy");
    a.max_data = opt_bool(cx, &f, "maxData");
    a.label = opt_string(cx, &f, "label").filter(|s| !s.is_empty());
    a.source = opt_string(cx, &f, "source").filter(|s| !s.is_empty());
    a.btf_type = opt_string(cx, &f, "btfType").filter(|s| !s.is_empty());
    a.btf_type_module = opt_string(cx, &f, "btfTypeModule").filter(|s| !s.is_empty());
    a
}
