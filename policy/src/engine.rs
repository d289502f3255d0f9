//! What this engine can serve: a static check, the same for `tetra tracingpolicy validate`
//! and the daemon. Whether the running kernel offers a feature (Override, for example) is
//! the daemon's to decide.

use crate::actions::ActionKind;
use crate::arg_type::ArgType;
use crate::error::{PolicyError, PolicyErrors};
use crate::hooks::ArgSpec;
use crate::policy::{ListType, TracingPolicy};
use crate::selectors::{ArgSelector, Selector};

/// Argument types syscall and tracepoint hooks can read.
const SERVED_TYPES: &[ArgType] = &[
    ArgType::Int,
    ArgType::Uint32,
    ArgType::Int32,
    ArgType::Sint32,
    ArgType::Int64,
    ArgType::Sint64,
    ArgType::Long,
    ArgType::Uint64,
    ArgType::Ulong,
    ArgType::SizeT,
    ArgType::String,
    ArgType::CharBuf,
    ArgType::CharIovec,
    ArgType::Fd,
    ArgType::Filename,
    ArgType::Nop,
];

const KPROBES_MISSING: &str = "which this engine does not serve yet";

/// Refuses what the engine cannot serve: kernel-function hooks (`syscall: false` kprobes,
/// `generated_ftrace` lists, `returnArgAction`), argument types and operators that need
/// them, actions that need them, BTF argument resolution, and upstream sections it does
/// not implement. Every refusal is reported, with the field's position.
pub fn check_engine_support(p: &TracingPolicy) -> Result<(), PolicyErrors> {
    let mut c = Checker {
        p,
        errors: Vec::new(),
    };
    c.policy();
    if c.errors.is_empty() {
        Ok(())
    } else {
        let mut errors = PolicyErrors(c.errors);
        errors.sort();
        Err(errors)
    }
}

struct Checker<'a> {
    p: &'a TracingPolicy,
    errors: Vec<PolicyError>,
}

impl Checker<'_> {
    fn err(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        let mut e = PolicyError::new(self.p.source.clone(), path, message);
        if let Some(pos) = self.p.locations.nearest(path) {
            e = e.at(pos.line, pos.column);
        }
        e.hint = hint;
        self.errors.push(e);
    }

    fn policy(&mut self) {
        let spec = &self.p.spec;
        for path in &spec.unsupported {
            self.err(
                path,
                format!("`{path}` is not served by this engine yet"),
                None,
            );
        }
        for (i, l) in spec.lists.iter().enumerate() {
            if l.ty == ListType::GeneratedFtrace {
                self.err(
                    &format!("spec.lists[{i}].type"),
                    format!("list type `generated_ftrace` lists kernel functions, which need kprobes, {KPROBES_MISSING}"),
                    None,
                );
            }
        }
        for (i, k) in spec.kprobes.iter().enumerate() {
            let path = format!("spec.kprobes[{i}]");
            let list = k.list_name().and_then(|n| spec.list(n));
            let ftrace_list = list.is_some_and(|l| l.ty == ListType::GeneratedFtrace);
            if !spec.kprobe_is_syscall(k) && !ftrace_list {
                let what = match list {
                    Some(l) => format!("list `{}` holds kernel functions, not syscalls", l.name),
                    None => format!("kernel function `{}` is not a syscall", k.call),
                };
                self.err(
                    &format!("{path}.call"),
                    format!("{what}: kernel-function hooks need kprobes, {KPROBES_MISSING}"),
                    Some("hook syscalls (`syscall: true`) or tracepoints instead".into()),
                );
            }
            if k.return_arg_action.is_some() {
                self.err(
                    &format!("{path}.returnArgAction"),
                    format!("returnArgAction needs kprobes, {KPROBES_MISSING}"),
                    None,
                );
            }
            self.args(&path, "args", &k.args);
            self.data(&path, &k.data);
            if let Some(ra) = &k.return_arg {
                self.arg(&format!("{path}.returnArg"), ra);
            }
            self.selectors(&path, &k.selectors);
        }
        for (i, t) in spec.tracepoints.iter().enumerate() {
            let path = format!("spec.tracepoints[{i}]");
            self.args(&path, "args", &t.args);
            self.selectors(&path, &t.selectors);
        }
        for (i, u) in spec.uprobes.iter().enumerate() {
            let path = format!("spec.uprobes[{i}]");
            self.args(&path, "args", &u.args);
            self.data(&path, &u.data);
            if let Some(ra) = &u.return_arg {
                self.arg(&format!("{path}.returnArg"), ra);
            }
            self.selectors(&path, &u.selectors);
        }
    }

    fn args(&mut self, path: &str, key: &str, args: &[ArgSpec]) {
        for (i, a) in args.iter().enumerate() {
            self.arg(&format!("{path}.{key}[{i}]"), a);
        }
    }

    fn data(&mut self, path: &str, data: &[ArgSpec]) {
        if !data.is_empty() {
            self.err(
                &format!("{path}.data"),
                format!("data entries need BTF argument resolution, {KPROBES_MISSING}"),
                None,
            );
        }
    }

    fn arg(&mut self, ap: &str, a: &ArgSpec) {
        if self.p.locations.is_bad(&format!("{ap}.type")) {
            return;
        }
        if !SERVED_TYPES.contains(&a.ty) {
            let served: Vec<&str> = SERVED_TYPES.iter().map(|t| t.name()).collect();
            let message = if a.ty == ArgType::Auto {
                format!("type `auto` needs BTF type resolution, {KPROBES_MISSING}")
            } else {
                format!(
                    "type `{}` needs a kernel-function hook (kprobes), {KPROBES_MISSING}",
                    a.ty.name()
                )
            };
            self.err(
                &format!("{ap}.type"),
                message,
                Some(format!(
                    "syscall and tracepoint hooks read {}",
                    served.join(", ")
                )),
            );
        }
        for (key, set) in [
            ("resolve", a.resolve.is_some()),
            ("btfType", a.btf_type.is_some()),
            ("btfTypeModule", a.btf_type_module.is_some()),
            ("source", a.source.is_some()),
        ] {
            if set {
                self.err(
                    &format!("{ap}.{key}"),
                    format!("{key} needs BTF argument resolution, {KPROBES_MISSING}"),
                    None,
                );
            }
        }
    }

    fn selectors(&mut self, path: &str, selectors: &[Selector]) {
        for (i, s) in selectors.iter().enumerate() {
            let sp = format!("{path}.selectors[{i}]");
            for (key, filters) in [
                ("matchArgs", &s.match_args),
                ("matchData", &s.match_data),
                ("matchReturnArgs", &s.match_return_args),
            ] {
                for (j, m) in filters.iter().enumerate() {
                    self.filter(&format!("{sp}.{key}[{j}]"), m);
                }
            }
            if s.match_workloads.is_some() {
                self.err(
                    &format!("{sp}.matchWorkloads"),
                    "matchWorkloads is not served by this engine yet",
                    None,
                );
            }
            for (key, actions) in [
                ("matchActions", &s.match_actions),
                ("matchReturnActions", &s.match_return_actions),
            ] {
                for (j, a) in actions.iter().enumerate() {
                    let ap = format!("{sp}.{key}[{j}]");
                    if self.p.locations.is_bad(&format!("{ap}.action")) {
                        continue;
                    }
                    match a.action {
                        ActionKind::FollowFD
                        | ActionKind::UnfollowFD
                        | ActionKind::CopyFD
                        | ActionKind::TrackSock
                        | ActionKind::UntrackSock
                        | ActionKind::Set => self.err(
                            &format!("{ap}.action"),
                            format!("action `{}` needs a kernel-function hook (kprobes), {KPROBES_MISSING}", a.action.name()),
                            None,
                        ),
                        _ => {}
                    }
                    if a.ima_hash {
                        self.err(
                            &format!("{ap}.imaHash"),
                            format!("imaHash needs LSM hooks, {KPROBES_MISSING}"),
                            None,
                        );
                    }
                    if !a.arg_regs.is_empty()
                        || a.arg_new_symbol.is_some()
                        || a.arg_new_addr.is_some()
                        || a.arg_new_offset.is_some()
                    {
                        self.err(
                            &format!("{ap}.action"),
                            "uprobe register and call overrides (argRegs, argNewSymbol, argNewAddr, argNewOffset) are not served by this engine yet",
                            None,
                        );
                    }
                }
            }
        }
    }

    fn filter(&mut self, fp: &str, m: &ArgSelector) {
        if self.p.locations.is_bad(&format!("{fp}.operator")) {
            return;
        }
        let op = m.operator;
        if op.is_socket_op() {
            self.err(
                &format!("{fp}.operator"),
                format!(
                    "operator `{}` needs socket arguments, which need kprobes, {KPROBES_MISSING}",
                    op.name()
                ),
                None,
            );
        } else if matches!(
            op,
            crate::selectors::ArgOp::CapabilitiesGained
                | crate::selectors::ArgOp::FileType
                | crate::selectors::ArgOp::NotFileType
                | crate::selectors::ArgOp::SubString
                | crate::selectors::ArgOp::SubStringIgnCase
                | crate::selectors::ArgOp::CelExpr
        ) {
            self.err(
                &format!("{fp}.operator"),
                format!("operator `{}` is not served by this engine yet", op.name()),
                None,
            );
        }
    }
}
