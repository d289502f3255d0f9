//! Checks across fields of a decoded policy: arguments named by selectors and actions,
//! operators against argument types, values against operators, lists, limits.

mod values;

use std::collections::HashMap;

use crate::actions::{ActionKind, ActionSelector};
use crate::arg_type::ArgType;
use crate::error::PolicyError;
use crate::hooks::{ArgSpec, TracepointSpec, arg_by_index};
use crate::limits::*;
use crate::policy::{ListType, Spec, TracingPolicy};
use crate::selectors::{ArgSelector, BinaryOp, BinarySelector, Selector};
use crate::syscalls;

/// Runs every check; returns the problems found.
pub(crate) fn validate(tp: &TracingPolicy) -> Vec<PolicyError> {
    let mut v = Validator {
        tp,
        errors: Vec::new(),
    };
    v.policy();
    v.errors
}

pub(crate) struct Validator<'a> {
    tp: &'a TracingPolicy,
    errors: Vec<PolicyError>,
}

/// What kind of hook a selector belongs to.
#[derive(Clone, Copy, PartialEq)]
enum HookKind {
    KProbe,
    Tracepoint { raw: bool },
    UProbe,
}

/// The parts of a hook the checks need, whatever its kind.
struct Hook<'a> {
    path: String,
    kind: HookKind,
    args: &'a [ArgSpec],
    data: &'a [ArgSpec],
    selectors: &'a [Selector],
    return_: bool,
    return_arg: Option<&'a ArgSpec>,
    message: Option<&'a String>,
    tags: &'a [String],
    tracepoint: Option<&'a TracepointSpec>,
}

/// Where a `matchArgs`-like filter takes its argument from.
#[derive(Clone, Copy, PartialEq)]
enum FilterSource {
    Args,
    Data,
    Return,
}

impl<'a> Validator<'a> {
    pub(crate) fn err(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        let mut e = PolicyError::new(self.tp.source.clone(), path, message);
        if let Some(p) = self.tp.locations.nearest(path) {
            e = e.at(p.line, p.column);
        }
        e.hint = hint;
        self.errors.push(e);
    }

    fn bad(&self, path: &str) -> bool {
        self.tp.locations.is_bad(path)
    }

    fn has(&self, path: &str) -> bool {
        self.tp.locations.contains(path)
    }

    fn spec(&self) -> &'a Spec {
        &self.tp.spec
    }

    fn policy(&mut self) {
        let spec = self.spec();
        let hook_sections = ["spec.lsmhooks", "spec.usdts", "spec.fentries"];
        if self.has("spec")
            && !self.bad("spec")
            && !spec.has_hooks()
            && !spec_is_empty(spec)
            && !spec
                .unsupported
                .iter()
                .any(|p| hook_sections.contains(&p.as_str()))
        {
            self.err(
                "spec",
                "the policy has no hooks",
                Some("add at least one of spec.kprobes, spec.tracepoints, spec.uprobes".into()),
            );
        }
        self.lists();
        self.killers();
        for (i, k) in spec.kprobes.iter().enumerate() {
            let path = format!("spec.kprobes[{i}]");
            self.kprobe_call(&path, k);
            if let Some(action) = &k.return_arg_action {
                let p = format!("{path}.returnArgAction");
                if !["TrackSock", "UntrackSock"]
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(action))
                {
                    self.err(
                        &p,
                        format!("unknown returnArgAction `{}`", crate::yaml::shorten(action)),
                        Some("expected one of TrackSock, UntrackSock".into()),
                    );
                } else if !k.return_ || k.return_arg.is_none() {
                    self.err(
                        &p,
                        "returnArgAction needs `return: true` and a returnArg",
                        None,
                    );
                }
            }
            self.hook(Hook {
                path,
                kind: HookKind::KProbe,
                args: &k.args,
                data: &k.data,
                selectors: &k.selectors,
                return_: k.return_,
                return_arg: k.return_arg.as_ref(),
                message: k.message.as_ref(),
                tags: &k.tags,
                tracepoint: None,
            });
        }
        for (i, t) in spec.tracepoints.iter().enumerate() {
            let path = format!("spec.tracepoints[{i}]");
            for key in ["subsystem", "event"] {
                let value = if key == "subsystem" {
                    &t.subsystem
                } else {
                    &t.event
                };
                let p = format!("{path}.{key}");
                if value.is_empty() && !self.bad(&p) {
                    self.err(&p, format!("{key} is empty"), None);
                }
            }
            self.hook(Hook {
                path,
                kind: HookKind::Tracepoint { raw: t.raw },
                args: &t.args,
                data: &[],
                selectors: &t.selectors,
                return_: false,
                return_arg: None,
                message: t.message.as_ref(),
                tags: &t.tags,
                tracepoint: Some(t),
            });
        }
        for (i, u) in spec.uprobes.iter().enumerate() {
            let path = format!("spec.uprobes[{i}]");
            self.uprobe_targets(&path, u);
            self.hook(Hook {
                path,
                kind: HookKind::UProbe,
                args: &u.args,
                data: &u.data,
                selectors: &u.selectors,
                return_: u.return_,
                return_arg: u.return_arg.as_ref(),
                message: u.message.as_ref(),
                tags: &u.tags,
                tracepoint: None,
            });
        }
    }

    // ------------------------------------------------------------ lists, killers

    fn lists(&mut self) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, l) in self.spec().lists.iter().enumerate() {
            let lp = format!("spec.lists[{i}]");
            let name_path = format!("{lp}.name");
            if !self.bad(&name_path) {
                if l.name.is_empty() {
                    self.err(&name_path, "list name is empty", None);
                } else if let Some(first) = seen.insert(&l.name, i) {
                    self.err(
                        &name_path,
                        format!(
                            "duplicate list name `{}` (also spec.lists[{first}])",
                            l.name
                        ),
                        None,
                    );
                }
            }
            if self.bad(&format!("{lp}.type")) {
                continue;
            }
            match l.ty {
                ListType::GeneratedSyscalls | ListType::GeneratedFtrace if !l.values.is_empty() => {
                    self.err(
                        &format!("{lp}.values"),
                        format!("a {} list takes no values", l.ty.name()),
                        None,
                    );
                }
                _ => {}
            }
            if l.ty == ListType::GeneratedFtrace {
                match l.pattern.as_deref() {
                    None | Some("") => {
                        self.err(&lp, "a generated_ftrace list needs a pattern", None)
                    }
                    Some(p) => {
                        if let Err(e) = regex::Regex::new(p) {
                            let detail = e.to_string();
                            let last = detail
                                .lines()
                                .rev()
                                .find(|l| !l.trim().is_empty())
                                .unwrap_or("");
                            let last = last.trim().trim_start_matches("error: ");
                            self.err(
                                &format!("{lp}.pattern"),
                                format!("invalid pattern: {last}"),
                                None,
                            );
                        }
                    }
                }
            }
            if l.ty == ListType::Syscalls {
                for (j, value) in l.values.iter().enumerate() {
                    let vp = format!("{lp}.values[{j}]");
                    if !self.bad(&vp) {
                        self.syscall_list_value(&vp, value);
                    }
                }
            }
        }
    }

    /// A `syscalls` list value: `[ABI/]sys_NAME` (an arch prefix such as `__x64_` allowed).
    fn syscall_list_value(&mut self, path: &str, value: &str) {
        let name = match value.split_once('/') {
            Some((abi, name)) => {
                if !["x64", "i386", "arm64", "arm32"].contains(&abi) {
                    self.err(
                        path,
                        format!(
                            "unknown ABI `{}` in `{}`",
                            crate::yaml::shorten(abi),
                            crate::yaml::shorten(value)
                        ),
                        Some("expected x64, i386, arm64 or arm32".into()),
                    );
                    return;
                }
                name
            }
            None => value,
        };
        if syscalls::syscall_base_name(name).is_none() || !syscalls::is_known(name) {
            self.err(
                path,
                format!("unknown syscall `{}`", crate::yaml::shorten(value)),
                Some(syscall_hint(name)),
            );
        }
    }

    fn killers(&mut self) {
        let spec = self.spec();
        for (key, entries) in [
            (
                "killers",
                spec.killers.iter().map(|k| &k.calls).collect::<Vec<_>>(),
            ),
            (
                "enforcers",
                spec.enforcers.iter().map(|e| &e.calls).collect::<Vec<_>>(),
            ),
        ] {
            if entries.len() > MAX_KILLERS {
                self.err(
                    &format!("spec.{key}"),
                    format!("too many {key}: {} (at most {MAX_KILLERS})", entries.len()),
                    None,
                );
            }
            for (i, calls) in entries.iter().enumerate() {
                let field = if key == "killers" && self.has(&format!("spec.killers[{i}].calls")) {
                    "calls"
                } else if key == "killers" {
                    "syscalls"
                } else {
                    "calls"
                };
                for (j, call) in calls.iter().enumerate() {
                    let cp = format!("spec.{key}[{i}].{field}[{j}]");
                    if self.bad(&cp) {
                        continue;
                    }
                    if let Some(list) = call.strip_prefix("list:") {
                        self.list_ref(&cp, call, list);
                    } else if !syscalls::is_known(call)
                        || syscalls::syscall_base_name(call).is_none()
                    {
                        self.err(
                            &cp,
                            format!("unknown syscall `{}`", crate::yaml::shorten(call)),
                            Some(syscall_hint(call)),
                        );
                    }
                }
            }
        }
    }

    /// A `list:NAME` reference: the list must exist.
    fn list_ref(
        &mut self,
        path: &str,
        written: &str,
        name: &str,
    ) -> Option<&'a crate::policy::ListSpec> {
        let list = self.spec().list(name);
        if list.is_none() {
            let names: Vec<&str> = self.spec().lists.iter().map(|l| l.name.as_str()).collect();
            let hint = if names.is_empty() {
                "define it under spec.lists".to_string()
            } else {
                format!("lists: {}", names.join(", "))
            };
            self.err(
                path,
                format!(
                    "`{}` names no list in spec.lists",
                    crate::yaml::shorten(written)
                ),
                Some(hint),
            );
        }
        list
    }

    // ------------------------------------------------------------ hooks

    fn kprobe_call(&mut self, path: &str, k: &crate::hooks::KProbeSpec) {
        let cp = format!("{path}.call");
        if self.bad(&cp) {
            return;
        }
        if k.call.is_empty() {
            self.err(&cp, "call is empty", None);
        } else if let Some(name) = k.list_name() {
            self.list_ref(&cp, &k.call, name);
        } else if k.syscall
            && (syscalls::syscall_base_name(&k.call).is_none() || !syscalls::is_known(&k.call))
        {
            self.err(
                &cp,
                format!("`{}` is not a known syscall", crate::yaml::shorten(&k.call)),
                Some(format!(
                    "{}; set `syscall: false` for other kernel functions",
                    syscall_hint(&k.call)
                )),
            );
        }
    }

    fn uprobe_targets(&mut self, path: &str, u: &crate::hooks::UProbeSpec) {
        let pp = format!("{path}.path");
        if u.path.is_empty() && !self.bad(&pp) {
            self.err(&pp, "path is empty", None);
        }
        let methods = [
            !u.symbols.is_empty(),
            !u.offsets.is_empty(),
            !u.addrs.is_empty(),
        ];
        let count = methods.iter().filter(|m| **m).count();
        if count != 1 {
            self.err(
                path,
                format!("a uprobe needs exactly one of symbols, offsets or addrs (found {count})"),
                None,
            );
        }
        if !u.ref_ctr_offsets.is_empty() {
            for (name, len) in [("symbols", u.symbols.len()), ("offsets", u.offsets.len())] {
                if len != 0 && len != u.ref_ctr_offsets.len() {
                    self.err(
                        &format!("{path}.refCtrOffsets"),
                        format!(
                            "refCtrOffsets has {} entries but {name} has {len}",
                            u.ref_ctr_offsets.len()
                        ),
                        None,
                    );
                }
            }
        }
    }

    fn hook(&mut self, h: Hook<'a>) {
        if let Some(m) = h.message
            && m.len() > MAX_MESSAGE_LEN
        {
            self.err(
                &format!("{}.message", h.path),
                format!(
                    "message is {} bytes long (at most {MAX_MESSAGE_LEN})",
                    m.len()
                ),
                None,
            );
        }
        if h.tags.len() > MAX_TAGS {
            self.err(
                &format!("{}.tags", h.path),
                format!("too many tags: {} (at most {MAX_TAGS})", h.tags.len()),
                None,
            );
        }
        self.hook_args(&h);
        if h.return_ && h.return_arg.is_none() {
            self.err(
                &format!("{}.return", h.path),
                "`return: true` needs a returnArg",
                Some("add for example `returnArg: {type: int}`".into()),
            );
        }
        if h.selectors.len() > MAX_SELECTORS {
            self.err(
                &format!("{}.selectors", h.path),
                format!(
                    "too many selectors: {} (at most {MAX_SELECTORS})",
                    h.selectors.len()
                ),
                None,
            );
        }
        for (i, s) in h.selectors.iter().enumerate() {
            let sp = format!("{}.selectors[{i}]", h.path);
            self.selector(&h, &sp, s);
        }
    }

    fn hook_args(&mut self, h: &Hook<'a>) {
        if h.args.len() > MAX_ARGS {
            self.err(
                &format!("{}.args", h.path),
                format!("too many args: {} (at most {MAX_ARGS})", h.args.len()),
                None,
            );
        }
        let max_index = match h.kind {
            HookKind::KProbe | HookKind::UProbe => Some(MAX_ARG_INDEX),
            HookKind::Tracepoint { raw: true } => Some(MAX_RAW_TRACEPOINT_ARG_INDEX),
            HookKind::Tracepoint { raw: false } => None,
        };
        let mut seen: HashMap<u32, usize> = HashMap::new();
        for (i, a) in h.args.iter().enumerate() {
            let ap = format!("{}.args[{i}]", h.path);
            let ip = format!("{ap}.index");
            if !self.bad(&ip) {
                if let Some(first) = seen.insert(a.index, i) {
                    seen.insert(a.index, first);
                    self.err(
                        &ip,
                        format!("duplicate argument index {} (also args[{first}])", a.index),
                        None,
                    );
                } else if let Some(max) = max_index.filter(|m| a.index > *m) {
                    self.err(
                        &ip,
                        format!("argument index {} is out of range (0 to {max})", a.index),
                        None,
                    );
                }
            }
            self.arg_flags(h, &ap, a);
        }
    }

    fn arg_flags(&mut self, h: &Hook<'a>, ap: &str, a: &ArgSpec) {
        if self.bad(&format!("{ap}.type")) {
            return;
        }
        let buffer = matches!(a.ty, ArgType::CharBuf | ArgType::CharIovec);
        if a.size_arg_index != 0 {
            let sp = format!("{ap}.sizeArgIndex");
            let max = MAX_ARG_INDEX + 1;
            if !buffer {
                self.err(
                    &sp,
                    "sizeArgIndex applies only to char_buf and char_iovec arguments",
                    None,
                );
            } else if matches!(h.kind, HookKind::KProbe | HookKind::UProbe)
                && a.size_arg_index > max
            {
                self.err(
                    &sp,
                    format!(
                        "sizeArgIndex {} is out of range (1 to {max})",
                        a.size_arg_index
                    ),
                    Some(
                        "sizeArgIndex counts from 1: the argument at index 2 is sizeArgIndex 3"
                            .into(),
                    ),
                );
            } else if a.size_arg_index - 1 == a.index {
                self.err(
                    &sp,
                    "sizeArgIndex points at the argument itself",
                    Some(
                        "sizeArgIndex counts from 1: the argument at index 2 is sizeArgIndex 3"
                            .into(),
                    ),
                );
            } else if let Some(size_arg) = arg_by_index(h.args, a.size_arg_index - 1)
                && !size_arg.ty.is_integer()
                && size_arg.ty != ArgType::Auto
            {
                self.err(
                        &sp,
                        format!(
                            "sizeArgIndex {} points at argument {} of type `{}`, which is not an integer",
                            a.size_arg_index,
                            size_arg.index,
                            size_arg.ty.name()
                        ),
                        Some("sizeArgIndex counts from 1: the argument at index 2 is sizeArgIndex 3".into()),
                    );
            }
        }
        if a.return_copy {
            let rp = format!("{ap}.returnCopy");
            if matches!(h.kind, HookKind::Tracepoint { .. }) {
                self.err(&rp, "returnCopy applies only to kprobes and uprobes", None);
            } else if !buffer {
                self.err(
                    &rp,
                    "returnCopy applies only to char_buf and char_iovec arguments",
                    None,
                );
            }
        }
        if a.max_data {
            let mp = format!("{ap}.maxData");
            if a.ty != ArgType::CharBuf {
                self.err(&mp, "maxData applies only to char_buf arguments", None);
            } else if a.return_copy {
                self.err(&mp, "maxData cannot be combined with returnCopy", None);
            }
        }
    }

    // ------------------------------------------------------------ selectors

    fn selector(&mut self, h: &Hook<'a>, sp: &str, s: &'a Selector) {
        let filters = s.match_args.len() + s.match_data.len();
        if filters > MAX_MATCH_ARGS {
            self.err(
                &format!("{sp}.matchArgs"),
                format!("too many matchArgs: {filters} (at most {MAX_MATCH_ARGS})"),
                None,
            );
        }
        for (i, m) in s.match_args.iter().enumerate() {
            self.arg_filter(h, &format!("{sp}.matchArgs[{i}]"), m, FilterSource::Args);
        }
        for (i, m) in s.match_data.iter().enumerate() {
            self.arg_filter(h, &format!("{sp}.matchData[{i}]"), m, FilterSource::Data);
        }
        if !s.match_return_args.is_empty() {
            if !h.return_ || h.return_arg.is_none() {
                self.err(
                    &format!("{sp}.matchReturnArgs"),
                    "matchReturnArgs needs `return: true` and a returnArg",
                    None,
                );
            } else {
                for (i, m) in s.match_return_args.iter().enumerate() {
                    self.arg_filter(
                        h,
                        &format!("{sp}.matchReturnArgs[{i}]"),
                        m,
                        FilterSource::Return,
                    );
                }
            }
        }
        if !s.match_return_actions.is_empty() && !h.return_ {
            self.err(
                &format!("{sp}.matchReturnActions"),
                "matchReturnActions needs `return: true`",
                None,
            );
        }
        for (i, p) in s.match_pids.iter().enumerate() {
            let vp = format!("{sp}.matchPIDs[{i}].values");
            self.value_count(&vp, p.values.len(), MAX_MATCH_PIDS_VALUES);
        }
        for (key, list) in [
            ("matchBinaries", &s.match_binaries),
            ("matchParentBinaries", &s.match_parent_binaries),
        ] {
            self.binaries(&format!("{sp}.{key}"), key, list);
        }
        if s.match_namespaces.len() > MAX_MATCH_NAMESPACES {
            self.err(
                &format!("{sp}.matchNamespaces"),
                format!(
                    "too many matchNamespaces: {} (at most {MAX_MATCH_NAMESPACES})",
                    s.match_namespaces.len()
                ),
                None,
            );
        }
        for (i, n) in s.match_namespaces.iter().enumerate() {
            self.value_count(
                &format!("{sp}.matchNamespaces[{i}].values"),
                n.values.len(),
                MAX_NAMESPACE_VALUES,
            );
        }
        if s.match_namespace_changes.len() > MAX_MATCH_NAMESPACE_CHANGES {
            self.err(
                &format!("{sp}.matchNamespaceChanges"),
                format!(
                    "too many matchNamespaceChanges: {} (at most {MAX_MATCH_NAMESPACE_CHANGES})",
                    s.match_namespace_changes.len()
                ),
                None,
            );
        }
        for (i, n) in s.match_namespace_changes.iter().enumerate() {
            self.value_count(
                &format!("{sp}.matchNamespaceChanges[{i}].values"),
                n.values.len(),
                usize::MAX,
            );
        }
        for (key, list) in [
            ("matchCapabilities", &s.match_capabilities),
            ("matchCapabilityChanges", &s.match_capability_changes),
        ] {
            for (i, c) in list.iter().enumerate() {
                self.value_count(
                    &format!("{sp}.{key}[{i}].values"),
                    c.values.len(),
                    usize::MAX,
                );
            }
        }
        for (key, actions) in [
            ("matchActions", &s.match_actions),
            ("matchReturnActions", &s.match_return_actions),
        ] {
            if actions.len() > MAX_ACTIONS {
                self.err(
                    &format!("{sp}.{key}"),
                    format!(
                        "too many actions: {} (at most {MAX_ACTIONS})",
                        actions.len()
                    ),
                    None,
                );
            }
            for (i, a) in actions.iter().enumerate() {
                self.action(h, &format!("{sp}.{key}[{i}]"), a);
            }
        }
    }

    /// A non-empty `values` list of at most `max` entries (when it was decoded).
    fn value_count(&mut self, vp: &str, len: usize, max: usize) {
        if self.bad(vp) || !self.has(vp) {
            return;
        }
        if len == 0 {
            self.err(vp, "needs at least one value", None);
        } else if len > max {
            self.err(vp, format!("too many values: {len} (at most {max})"), None);
        }
    }

    fn binaries(&mut self, path: &str, key: &str, list: &[BinarySelector]) {
        if list.len() > MAX_MATCH_BINARIES {
            self.err(
                path,
                format!(
                    "too many {key} entries: {} (at most {MAX_MATCH_BINARIES})",
                    list.len()
                ),
                None,
            );
        }
        for (i, b) in list.iter().enumerate() {
            let bp = format!("{path}[{i}]");
            self.value_count(&format!("{bp}.values"), b.values.len(), MAX_BINARY_VALUES);
            for (j, v) in b.values.iter().enumerate() {
                if v.len() > MAX_STRING_VALUE_LEN {
                    self.err(
                        &format!("{bp}.values[{j}]"),
                        format!(
                            "value is {} bytes long (at most {MAX_STRING_VALUE_LEN})",
                            v.len()
                        ),
                        None,
                    );
                }
            }
            if b.follow_children
                && !matches!(b.operator, BinaryOp::In | BinaryOp::NotIn)
                && !self.bad(&format!("{bp}.operator"))
            {
                self.err(
                    &format!("{bp}.followChildren"),
                    "followChildren applies only to the In and NotIn operators",
                    None,
                );
            }
        }
    }

    /// Resolves the argument a filter compares and checks operator and values against it.
    fn arg_filter(&mut self, h: &Hook<'a>, p: &str, m: &ArgSelector, source: FilterSource) {
        if self.bad(&format!("{p}.operator")) {
            return;
        }
        let target: Option<(&ArgSpec, String, String)> = match source {
            FilterSource::Return => {
                let Some(ra) = h.return_arg else { return };
                if m.index != ra.index && !self.bad(&format!("{p}.index")) {
                    self.err(
                        &format!("{p}.index"),
                        format!(
                            "index {} does not name the returnArg (index {})",
                            m.index, ra.index
                        ),
                        None,
                    );
                    return;
                }
                Some((
                    ra,
                    format!("{}.returnArg.type", h.path),
                    format!("the return value of type `{}`", ra.ty.name()),
                ))
            }
            FilterSource::Data => {
                if self.bad(&format!("{p}.index")) {
                    return;
                }
                match h.data.get(m.index as usize) {
                    Some(d) => Some((
                        d,
                        format!("{}.data[{}].type", h.path, m.index),
                        format!("data entry {} of type `{}`", m.index, d.ty.name()),
                    )),
                    None => {
                        self.err(
                            &format!("{p}.index"),
                            format!(
                                "index {} names no entry of data (the hook has {})",
                                m.index,
                                h.data.len()
                            ),
                            None,
                        );
                        return;
                    }
                }
            }
            FilterSource::Args => {
                let position = if !m.args.is_empty() {
                    let mut ok = true;
                    for (j, pos) in m.args.iter().enumerate() {
                        if *pos as usize >= h.args.len() && !self.bad(&format!("{p}.args[{j}]")) {
                            self.err(
                                &format!("{p}.args[{j}]"),
                                format!("args entry {pos} names no position in args (the hook declares {})", h.args.len()),
                                None,
                            );
                            ok = false;
                        }
                    }
                    if !ok {
                        return;
                    }
                    m.args.first().map(|p| *p as usize)
                } else {
                    if self.bad(&format!("{p}.index")) {
                        return;
                    }
                    match h.tracepoint {
                        Some(tp) => tp.match_arg_position(m.index),
                        None => h.args.iter().position(|a| a.index == m.index),
                    }
                };
                match position.and_then(|i| h.args.get(i).map(|a| (i, a))) {
                    Some((i, a)) => Some((
                        a,
                        format!("{}.args[{i}].type", h.path),
                        format!("argument {} of type `{}`", a.index, a.ty.name()),
                    )),
                    None => {
                        let declared: Vec<String> =
                            h.args.iter().map(|a| a.index.to_string()).collect();
                        let hint = if declared.is_empty() {
                            "the hook declares no args".to_string()
                        } else {
                            format!("declared indexes: {}", declared.join(", "))
                        };
                        self.err(
                            &format!("{p}.index"),
                            format!("index {} names no argument declared in args", m.index),
                            Some(hint),
                        );
                        return;
                    }
                }
            }
        };
        let ty = target.as_ref().and_then(|(a, type_path, _)| {
            if self.bad(type_path) || a.ty == ArgType::Auto {
                None
            } else {
                Some(a.ty)
            }
        });
        let desc = target.map(|(_, _, d)| d).unwrap_or_default();
        self.filter_values(p, m, ty, &desc);
    }

    // ------------------------------------------------------------ actions

    fn action(&mut self, h: &Hook<'a>, ap: &str, a: &ActionSelector) {
        if self.bad(&format!("{ap}.action")) {
            return;
        }
        let name = a.action.name();
        if a.action != ActionKind::Post {
            for key in [
                "rateLimit",
                "rateLimitScope",
                "stackTrace",
                "kernelStackTrace",
                "userStackTrace",
                "imaHash",
            ] {
                let kp = format!("{ap}.{key}");
                let set = match key {
                    "stackTrace" => a.stack_trace,
                    "kernelStackTrace" => a.kernel_stack_trace,
                    "userStackTrace" => a.user_stack_trace,
                    "imaHash" => a.ima_hash,
                    _ => self.has(&kp) && !self.bad(&kp),
                };
                if set {
                    self.err(&kp, format!("{key} applies only to the Post action"), None);
                }
            }
        }
        let need = |v: &mut Self, key: &str, hint: Option<&str>| -> bool {
            let kp = format!("{ap}.{key}");
            if v.bad(&kp) {
                return false;
            }
            if !v.has(&kp) {
                v.err(ap, format!("{name} needs {key}"), hint.map(String::from));
                return false;
            }
            true
        };
        match a.action {
            ActionKind::Signal
                if need(
                    self,
                    "argSig",
                    Some("a signal number from 1 to 64, such as 9 for SIGKILL"),
                ) && !(1..=MAX_SIGNAL).contains(&a.arg_sig) =>
            {
                self.err(
                    &format!("{ap}.argSig"),
                    format!("argSig {} is out of range (1 to {MAX_SIGNAL})", a.arg_sig),
                    None,
                );
            }
            ActionKind::Override => {
                need(
                    self,
                    "argError",
                    Some("the value the call returns instead, such as -1 (-EPERM)"),
                );
            }
            ActionKind::GetUrl if need(self, "argUrl", None) => {
                let url = a.arg_url.as_deref().unwrap_or("");
                if !values::is_http_url(url) {
                    self.err(
                        &format!("{ap}.argUrl"),
                        format!(
                            "argUrl `{}` is not an http or https URL",
                            crate::yaml::shorten(url)
                        ),
                        None,
                    );
                }
            }
            ActionKind::DnsLookup if need(self, "argFqdn", None) => {
                let fqdn = a.arg_fqdn.as_deref().unwrap_or("");
                if !values::is_fqdn(fqdn) {
                    self.err(
                        &format!("{ap}.argFqdn"),
                        format!(
                            "argFqdn `{}` is not a valid domain name",
                            crate::yaml::shorten(fqdn)
                        ),
                        None,
                    );
                }
            }
            ActionKind::FollowFD | ActionKind::CopyFD | ActionKind::UnfollowFD => {
                let mut keys = vec![("argFd", a.arg_fd)];
                if a.action != ActionKind::UnfollowFD {
                    keys.push(("argName", a.arg_name));
                }
                for (key, index) in keys {
                    if need(self, key, None) {
                        self.action_arg(h, ap, key, index, None);
                    }
                }
            }
            ActionKind::TrackSock | ActionKind::UntrackSock if need(self, "argSock", None) => {
                self.action_arg(h, ap, "argSock", a.arg_sock, Some(ArgType::Sock));
            }
            ActionKind::NotifyKiller if self.spec().killers.is_empty() => {
                self.err(
                    &format!("{ap}.action"),
                    "NotifyKiller needs spec.killers",
                    None,
                );
            }
            ActionKind::NotifyEnforcer if self.spec().enforcers.is_empty() => {
                self.err(
                    &format!("{ap}.action"),
                    "NotifyEnforcer needs spec.enforcers",
                    None,
                );
            }
            _ => {}
        }
        if h.kind == HookKind::UProbe
            && matches!(a.action, ActionKind::GetUrl | ActionKind::DnsLookup)
        {
            self.err(
                &format!("{ap}.action"),
                format!("{name} is not available on uprobes"),
                None,
            );
        }
    }

    /// An action argument naming an `args` entry by index (of type `want`, when given).
    fn action_arg(&mut self, h: &Hook<'a>, ap: &str, key: &str, index: u32, want: Option<ArgType>) {
        let kp = format!("{ap}.{key}");
        match arg_by_index(h.args, index) {
            None => {
                let declared: Vec<String> = h.args.iter().map(|a| a.index.to_string()).collect();
                let hint = if declared.is_empty() {
                    "the hook declares no args".to_string()
                } else {
                    format!("declared indexes: {}", declared.join(", "))
                };
                self.err(
                    &kp,
                    format!("{key} {index} names no argument declared in args"),
                    Some(hint),
                );
            }
            Some(arg) => {
                if let Some(want) = want
                    && arg.ty != want
                    && arg.ty != ArgType::Auto
                {
                    self.err(
                        &kp,
                        format!(
                            "{key} {index} names argument {index} of type `{}`, not `{}`",
                            arg.ty.name(),
                            want.name()
                        ),
                        None,
                    );
                }
            }
        }
    }
}

/// The hint for a name that is not a known syscall.
fn syscall_hint(name: &str) -> String {
    let _ = name;
    "syscall names look like sys_openat, optionally with an arch prefix such as __x64_".to_string()
}

/// `spec: {}`, as `tetra tracingpolicy generate empty` writes: a policy that
/// hooks nothing yet, which loads (and does nothing) as upstream's does.
fn spec_is_empty(spec: &crate::Spec) -> bool {
    spec.lists.is_empty()
        && spec.options.is_empty()
        && spec.killers.is_empty()
        && spec.enforcers.is_empty()
        && spec.pod_selector.is_none()
        && spec.container_selector.is_none()
}
