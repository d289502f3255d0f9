//! From a validated TracingPolicy to the generic hook's loads: one
//! [`HookPlan`] per hook entry, with its constant configuration, the values
//! its filters look up, and what user space needs to turn its records
//! into events. Everything the running kernel must offer (a tracepoint, a
//! syscall, Override) is checked here, so a policy that cannot run is
//! refused before anything is loaded.

mod args;
mod selectors;

use std::{collections::BTreeMap, path::PathBuf};

use bytemuck::Zeroable;
use tetragon_policy::{
    ArgSpec, ArgType, KProbeSpec, ListType, PolicyError, PolicyErrors, Selector, TracepointSpec,
    TracingPolicy, UProbeSpec, syscalls,
};

use super::kernel_abi::{ArgKind, GhConfig, GhIntKey, GhStrKey, MAX_ARGS, MAX_SELECTORS};
pub use selectors::UserAction;

/// What the compiler needs to know of the running kernel.
pub struct Kernel {
    /// tracefs, for tracepoint formats and syscall tracepoints.
    pub tracefs: Option<PathBuf>,
    pub arch: syscalls::Arch,
    /// The host's namespace inodes, in `gh_ns_kind` order, for `host_ns`.
    pub host_ns: [u32; 10],
}

/// Where a hook's program attaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attach {
    Tracepoint {
        category: String,
        name: String,
    },
    /// `syscalls:sys_enter_<name>` of each call (and `sys_exit_<name>` with a return).
    Syscalls {
        calls: Vec<SyscallCall>,
        ret: bool,
    },
    Uprobe {
        path: PathBuf,
        symbol: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyscallCall {
    /// `openat`: the tracepoints are sys_enter_openat and sys_exit_openat.
    pub name: String,
    pub nr: u32,
}

/// What an event of this hook says it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum HookKind {
    /// A kprobe on syscalls, served by the syscall tracepoints; function
    /// names by syscall number, as upstream prints them (`__x64_sys_openat`).
    Kprobe {
        functions: BTreeMap<u32, String>,
    },
    Tracepoint {
        subsystem: String,
        event: String,
    },
    Uprobe {
        path: String,
        symbol: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArgInfo {
    pub kind: ArgKind,
    pub ty: ArgType,
    pub label: Option<String>,
}

/// The user-space half of a hook: how its records read.
#[derive(Debug, Clone, PartialEq)]
pub struct HookInfo {
    pub kind: HookKind,
    pub args: Vec<ArgInfo>,
    pub ret: Option<ArgInfo>,
    pub message: Option<String>,
    pub tags: Vec<String>,
    /// Per selector: the actions tetragond runs when it matched.
    pub user_actions: Vec<Vec<UserAction>>,
    /// Per selector: the first action named, for the event's `action`.
    pub actions: Vec<Option<tetragon_policy::ActionKind>>,
}

#[derive(Debug, Clone)]
pub struct HookPlan {
    pub attach: Attach,
    pub config: GhConfig,
    pub strings: Vec<GhStrKey>,
    pub ints: Vec<GhIntKey>,
    pub info: HookInfo,
    pub wants_stacks: bool,
}

/// Collects every problem of a policy, each at its field path.
pub(crate) struct Problems {
    source: String,
    errors: Vec<PolicyError>,
}

impl Problems {
    pub(crate) fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors
            .push(PolicyError::new(self.source.clone(), path, message));
    }
}

/// Compiles every hook of `policy`; all problems at once, or the plans.
pub fn compile(policy: &TracingPolicy, kernel: &Kernel) -> Result<Vec<HookPlan>, PolicyErrors> {
    let mut problems = Problems {
        source: policy.metadata.name.clone(),
        errors: Vec::new(),
    };
    let mut plans = Vec::new();
    for (i, k) in policy.spec.kprobes.iter().enumerate() {
        if let Some(plan) = kprobe(
            policy,
            k,
            &format!("spec.kprobes[{i}]"),
            kernel,
            &mut problems,
        ) {
            plans.push(plan);
        }
    }
    for (i, t) in policy.spec.tracepoints.iter().enumerate() {
        if let Some(plan) = tracepoint(t, &format!("spec.tracepoints[{i}]"), kernel, &mut problems)
        {
            plans.push(plan);
        }
    }
    for (i, u) in policy.spec.uprobes.iter().enumerate() {
        plans.extend(uprobe(
            u,
            &format!("spec.uprobes[{i}]"),
            kernel,
            &mut problems,
        ));
    }
    if !policy.spec.killers.is_empty() || !policy.spec.enforcers.is_empty() {
        let what = if policy.spec.killers.is_empty() {
            "spec.enforcers"
        } else {
            "spec.killers"
        };
        problems.add(
            what,
            "enforcers and killers override a syscall's return value: that needs \
             bpf_override_return on kprobes (CONFIG_BPF_KPROBE_OVERRIDE) or fmod_ret, \
             and this kernel offers neither",
        );
    }
    if problems.errors.is_empty() {
        Ok(plans)
    } else {
        Err(PolicyErrors(problems.errors))
    }
}

/// The syscalls a kprobe's `call` names: itself, or a list's values.
fn syscall_calls(
    policy: &TracingPolicy,
    k: &KProbeSpec,
    path: &str,
    kernel: &Kernel,
    problems: &mut Problems,
) -> Vec<SyscallCall> {
    let names: Vec<String> = match k.list_name() {
        Some(list) => match policy.spec.lists.iter().find(|l| l.name == list) {
            Some(l) if l.ty == ListType::GeneratedSyscalls => {
                syscalls::all_sys_names(kernel.arch).collect()
            }
            Some(l) if l.ty == ListType::Syscalls => l.values.clone(),
            Some(l) => {
                problems.add(
                    format!("{path}.call"),
                    format!(
                        "list `{}` holds kernel functions ({}): kernel-function hooks need \
                         kprobes, which this engine does not serve yet",
                        l.name,
                        l.ty.name()
                    ),
                );
                return Vec::new();
            }
            None => {
                problems.add(
                    format!("{path}.call"),
                    format!("no list named `{list}` in spec.lists"),
                );
                return Vec::new();
            }
        },
        None => {
            if !k.syscall {
                problems.add(
                    format!("{path}.call"),
                    format!(
                        "kernel function `{}` is not a syscall: kernel-function hooks need \
                         kprobes, which this engine does not serve yet",
                        k.call
                    ),
                );
                return Vec::new();
            }
            vec![k.call.clone()]
        }
    };
    let mut calls = Vec::new();
    for name in names {
        let base = syscalls::syscall_base_name(&name).unwrap_or(&name);
        let bare = base.strip_prefix("sys_").unwrap_or(base).to_string();
        let Some(nr) = syscalls::number(kernel.arch, &bare) else {
            // A generated list holds only this arch's syscalls; a named one may not.
            problems.add(
                format!("{path}.call"),
                format!("`{name}` is not a syscall on {}", kernel.arch.name()),
            );
            continue;
        };
        let has_tracepoint = kernel.tracefs.as_ref().is_some_and(|t| {
            t.join("events/syscalls")
                .join(format!("sys_enter_{bare}"))
                .is_dir()
        });
        if !has_tracepoint {
            if k.list_name().is_some_and(|l| {
                policy
                    .spec
                    .lists
                    .iter()
                    .any(|x| x.name == l && x.ty == ListType::GeneratedSyscalls)
            }) {
                continue; // not every syscall has tracepoints; a generated list skips those
            }
            problems.add(
                format!("{path}.call"),
                format!(
                    "syscall `{name}` has no syscalls:sys_enter_{bare} tracepoint on this kernel \
                     (needs CONFIG_FTRACE_SYSCALLS and tracefs), and kprobes are not available"
                ),
            );
            continue;
        }
        calls.push(SyscallCall { name: bare, nr });
    }
    calls
}

fn kprobe(
    policy: &TracingPolicy,
    k: &KProbeSpec,
    path: &str,
    kernel: &Kernel,
    problems: &mut Problems,
) -> Option<HookPlan> {
    let calls = syscall_calls(policy, k, path, kernel, problems);
    let mut config = GhConfig::zeroed();
    config.syscall = 1;
    let args = args::raw_args(&k.args, path, &mut config, problems);
    let mut ret = None;
    if k.return_ {
        config.has_return = 1;
        let ty = k
            .return_arg
            .as_ref()
            .map(|a| a.ty)
            .unwrap_or(ArgType::Int64);
        match args::int_kind(ty) {
            Some(kind) => {
                config.ret_type = kind as u8;
                ret = Some(ArgInfo {
                    kind,
                    ty,
                    label: k.return_arg.as_ref().and_then(|a| a.label.clone()),
                });
            }
            None => problems.add(
                format!("{path}.returnArg.type"),
                format!(
                    "a syscall returns a long: returnArg type `{}` does not read it",
                    ty.name()
                ),
            ),
        }
    } else if k.args.iter().any(|a| a.return_copy) {
        problems.add(format!("{path}.args"), "returnCopy needs `return: true`");
    }
    if k.return_arg_action.is_some() {
        problems.add(
            format!("{path}.returnArgAction"),
            "returnArgAction tracks sockets returned by kernel functions, which need kprobes",
        );
    }
    let compiled = selectors::compile(
        &k.selectors,
        &k.args,
        args::position_by_index,
        path,
        kernel,
        &mut config,
        problems,
    );
    if calls.is_empty() {
        return None;
    }
    let functions = calls
        .iter()
        .map(|c| {
            (
                c.nr,
                format!("{}sys_{}", kernel.arch.symbol_prefix(), c.name),
            )
        })
        .collect();
    Some(HookPlan {
        attach: Attach::Syscalls {
            calls,
            ret: k.return_,
        },
        config,
        strings: compiled.strings,
        ints: compiled.ints,
        info: HookInfo {
            kind: HookKind::Kprobe { functions },
            args,
            ret,
            message: k.message.clone(),
            tags: k.tags.clone(),
            user_actions: compiled.user_actions,
            actions: compiled.actions,
        },
        wants_stacks: compiled.wants_stacks,
    })
}

fn tracepoint(
    t: &TracepointSpec,
    path: &str,
    kernel: &Kernel,
    problems: &mut Problems,
) -> Option<HookPlan> {
    if t.raw {
        problems.add(
            format!("{path}.raw"),
            "raw tracepoints are not served yet: drop `raw: true`",
        );
        return None;
    }
    let Some(root) = kernel.tracefs.as_ref() else {
        problems.add(
            path,
            "tracefs is not mounted (/sys/kernel/tracing): tracepoints cannot be read",
        );
        return None;
    };
    let fields = match super::tracefs::format(root, &t.subsystem, &t.event) {
        Ok(fields) => fields,
        Err(_) => {
            problems.add(
                format!("{path}.event"),
                format!("no tracepoint {}/{} on this kernel", t.subsystem, t.event),
            );
            return None;
        }
    };
    let mut config = GhConfig::zeroed();
    let args = args::field_args(
        &t.args,
        &fields,
        t.subsystem == "syscalls",
        path,
        &mut config,
        problems,
    );
    let position = |args: &[ArgSpec], index: u32| -> Option<usize> {
        args.iter()
            .position(|a| a.index == index)
            .or_else(|| ((index as usize) < args.len()).then_some(index as usize))
    };
    let compiled = selectors::compile(
        &t.selectors,
        &t.args,
        position,
        path,
        kernel,
        &mut config,
        problems,
    );
    Some(HookPlan {
        attach: Attach::Tracepoint {
            category: t.subsystem.clone(),
            name: t.event.clone(),
        },
        config,
        strings: compiled.strings,
        ints: compiled.ints,
        info: HookInfo {
            kind: HookKind::Tracepoint {
                subsystem: t.subsystem.clone(),
                event: t.event.clone(),
            },
            args,
            ret: None,
            message: t.message.clone(),
            tags: t.tags.clone(),
            user_actions: compiled.user_actions,
            actions: compiled.actions,
        },
        wants_stacks: compiled.wants_stacks,
    })
}

fn uprobe(u: &UProbeSpec, path: &str, kernel: &Kernel, problems: &mut Problems) -> Vec<HookPlan> {
    if !u.offsets.is_empty() || !u.addrs.is_empty() || !u.ref_ctr_offsets.is_empty() {
        problems.add(
            path,
            "uprobes by offset, address or USDT semaphore are not served yet: use symbols",
        );
    }
    if !std::path::Path::new(&u.path).is_file() {
        problems.add(format!("{path}.path"), format!("no file `{}`", u.path));
        return Vec::new();
    }
    let mut plans = Vec::new();
    for symbol in &u.symbols {
        let mut config = GhConfig::zeroed();
        let args = args::raw_args(&u.args, path, &mut config, problems);
        let compiled = selectors::compile(
            &u.selectors,
            &u.args,
            args::position_by_index,
            path,
            kernel,
            &mut config,
            problems,
        );
        plans.push(HookPlan {
            attach: Attach::Uprobe {
                path: PathBuf::from(&u.path),
                symbol: symbol.clone(),
            },
            config,
            strings: compiled.strings,
            ints: compiled.ints,
            info: HookInfo {
                kind: HookKind::Uprobe {
                    path: u.path.clone(),
                    symbol: symbol.clone(),
                },
                args,
                ret: None,
                message: u.message.clone(),
                tags: u.tags.clone(),
                user_actions: compiled.user_actions,
                actions: compiled.actions,
            },
            wants_stacks: compiled.wants_stacks,
        });
    }
    plans
}

/// Limits the configuration's arrays impose, checked where the crate's
/// validator does not know them.
pub(crate) fn check_counts(
    selectors: &[Selector],
    args: &[ArgSpec],
    path: &str,
    problems: &mut Problems,
) {
    if args.len() > MAX_ARGS {
        problems.add(
            format!("{path}.args"),
            format!("at most {MAX_ARGS} arguments per hook"),
        );
    }
    if selectors.len() > MAX_SELECTORS {
        problems.add(
            format!("{path}.selectors"),
            format!("at most {MAX_SELECTORS} selectors per hook"),
        );
    }
}
