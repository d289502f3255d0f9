//! The probes that ask the kernel by loading programs from
//! `ebpf/probes.bpf.c` (and a few raw calls from [`crate::sys`]): each one
//! loads its program, attaches it where attaching is the question, and
//! detaches again at once.

use std::{
    error::Error,
    os::fd::AsFd,
    panic::{AssertUnwindSafe, catch_unwind},
    path::{Path, PathBuf},
};

use aya::{
    Btf, Ebpf, EbpfLoader, Endianness,
    programs::{
        BtfTracePoint, FEntry, FExit, KProbe, Lsm, Program, ProgramError, RawTracePoint,
        TracePoint, UProbe, uprobe::UProbeScope,
    },
};
use aya_obj::btf::BtfKind;

use crate::{
    BtfError, Feature, names,
    securityfs::SecurityView,
    sys::{self, Stage},
    tracefs::{ProbeKind, SCHED_EXEC, SYS_ENTER_GETPID, TracefsView, Tracepoint},
};

/// `ebpf/probes.bpf.c`, built by build.rs.
static OBJECT: &[u8] = aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/probes.bpf.o"));

/// Kernel functions the kprobe, kprobe_multi, fentry and fexit probes
/// attach to: the first one the kernel's BTF has. All are ordinary,
/// traceable functions called rarely enough that a moment's probe costs
/// nothing.
const KERNEL_FUNCTIONS: &[&str] = &["security_task_prctl", "vfs_getattr", "do_sys_openat2"];
/// The LSM hook the LSM probe attaches to.
const LSM_HOOK: &str = "file_open";
/// The libc function the uprobe probe attaches to (for this process only).
const UPROBE_SYMBOL: &str = "getpid";
const UPROBE_TARGET: &str = "libc";
const KPROBE_PMU: &str = "/sys/bus/event_source/devices/kprobe";
const UPROBE_PMU: &str = "/sys/bus/event_source/devices/uprobe";

/// The facts the program probes build on, found before them.
pub(crate) struct Environment<'a> {
    pub btf: Option<&'a Btf>,
    pub tracefs: &'a TracefsView,
    pub security: &'a Result<SecurityView, String>,
}

/// The BTF feature, and the parsed BTF when there is one.
pub(crate) fn btf_feature(found: &Result<PathBuf, BtfError>) -> (Feature, Option<Btf>) {
    match found {
        Err(e) => (Feature::no(names::BTF, e.to_string()), None),
        Ok(path) => match Btf::parse_file(path, Endianness::default()) {
            Ok(btf) => (
                Feature::yes(names::BTF, path.display().to_string()),
                Some(btf),
            ),
            Err(e) => (
                Feature::no(
                    names::BTF,
                    format!("{} is not usable BTF: {}", path.display(), chain(&e)),
                ),
                None,
            ),
        },
    }
}

struct Probing<'a> {
    /// The loaded object, or why it would not load.
    ebpf: Result<Ebpf, String>,
    env: &'a Environment<'a>,
}

/// A probe: `Ok(detail)` when the feature is there, `Err(reason)` when not.
type ProbeFn = fn(&mut Probing<'_>) -> Result<String, String>;

/// Every program probe, in report order (after btf and the mounts).
const PROBES: &[(&str, ProbeFn)] = &[
    (names::TRACEPOINT, |p| tracepoint(p, &SCHED_EXEC)),
    (names::SYSCALL_TRACEPOINT, |p| {
        tracepoint(p, &SYS_ENTER_GETPID)
    }),
    (names::RAW_TRACEPOINT, raw_tracepoint),
    (names::BTF_TRACEPOINT, btf_tracepoint),
    (names::KPROBE, kprobe),
    (names::KPROBE_MULTI, kprobe_multi),
    (names::OVERRIDE_RETURN, override_return),
    (names::FENTRY, fentry),
    (names::FEXIT, fexit),
    (names::LSM, lsm),
    (names::UPROBE, uprobe),
    (names::RING_BUFFER, ring_buffer),
    (names::SIGNAL, send_signal),
    (names::BPF_LOOP, bpf_loop),
    (names::PROBE_READ_KERNEL, probe_read_kernel),
];

pub(crate) fn probe_all(env: &Environment<'_>) -> Vec<Feature> {
    let ebpf = catch_unwind(AssertUnwindSafe(|| {
        EbpfLoader::new()
            .btf(env.btf)
            .load(OBJECT)
            .map_err(|e| format!("loading the probe object failed: {}", chain(&e)))
    }))
    .unwrap_or_else(|panic| Err(crate::panic_message(&*panic)));
    let mut probing = Probing { ebpf, env };
    PROBES
        .iter()
        .map(
            |(name, probe)| match catch_unwind(AssertUnwindSafe(|| probe(&mut probing))) {
                Ok(Ok(detail)) => Feature::yes(name, detail),
                Ok(Err(reason)) => Feature::no(name, reason),
                Err(panic) => Feature::no(name, crate::panic_message(&*panic)),
            },
        )
        .collect()
}

impl<'a> Probing<'a> {
    fn program<'p, T>(&'p mut self, name: &str) -> Result<&'p mut T, String>
    where
        &'p mut T: TryFrom<&'p mut Program, Error = ProgramError>,
    {
        let ebpf = self.ebpf.as_mut().map_err(|e| e.clone())?;
        let program = ebpf
            .program_mut(name)
            .ok_or_else(|| format!("program {name} missing from the probe object"))?;
        program
            .try_into()
            .map_err(|e: ProgramError| format!("program {name}: {}", chain(&e)))
    }

    fn btf(&self) -> Result<&'a Btf, String> {
        self.env
            .btf
            .ok_or_else(|| "needs BTF, and there is none usable (see the btf line)".to_string())
    }

    /// The first of [`KERNEL_FUNCTIONS`] the BTF knows (the first one when
    /// there is no BTF to ask).
    fn kernel_function(&self) -> &'static str {
        self.env
            .btf
            .and_then(|btf| {
                KERNEL_FUNCTIONS
                    .iter()
                    .find(|f| btf.id_by_type_name_kind(f, BtfKind::Func).is_ok())
            })
            .copied()
            .unwrap_or(KERNEL_FUNCTIONS[0])
    }

    /// Why probes of `kind` ("kprobe" or "uprobe") cannot attach, when the
    /// kernel's own files say it has none: no `<kind>` PMU and no
    /// `<kind>_events` in tracefs.
    fn no_probes_reason(&self, kind: ProbeKind) -> Option<String> {
        let (name, pmu, config) = match kind {
            ProbeKind::Kprobe => ("kprobe", KPROBE_PMU, "CONFIG_KPROBES"),
            ProbeKind::Uprobe => ("uprobe", UPROBE_PMU, "CONFIG_UPROBE_EVENTS"),
        };
        if Path::new(pmu).exists() {
            return None;
        }
        match &self.env.tracefs.facts {
            Ok(facts) if facts.probe_events(kind) => None,
            Ok(_) => Some(format!(
                "the kernel has no {name}s (built without {config}: no {name}_events in \
                 tracefs, no {name} PMU in /sys/bus/event_source/devices)"
            )),
            Err(_) => Some(format!("the kernel has no {name} PMU ({pmu} is missing)")),
        }
    }
}

fn tracepoint(p: &mut Probing<'_>, tp: &Tracepoint) -> Result<String, String> {
    let id = match &p.env.tracefs.facts {
        Ok(facts) => facts.id(tp).clone(),
        Err(why) => Err(why.clone()),
    };
    let prog: &mut TracePoint = p.program("probe_tracepoint")?;
    if prog.fd().is_err() {
        prog.load().map_err(load_failed)?;
    }
    let id = id.map_err(|why| format!("load ok, attach not tried: {why}"))?;
    let fd = prog.fd().map_err(|e| chain(&e))?;
    let link = sys::attach_tracepoint(fd.as_fd(), id)
        .map_err(|e| format!("load ok, attach to {} failed: {e}", tp.label()))?;
    drop(link);
    Ok(format!("attached to {}", tp.label()))
}

fn raw_tracepoint(p: &mut Probing<'_>) -> Result<String, String> {
    let prog: &mut RawTracePoint = p.program("probe_raw_tracepoint")?;
    prog.load().map_err(load_failed)?;
    let link = prog
        .attach(SCHED_EXEC.name)
        .map_err(|e| attach_failed(SCHED_EXEC.name, &e))?;
    prog.detach(link).map_err(|e| chain(&e))?;
    Ok(format!("attached to {}", SCHED_EXEC.name))
}

fn btf_tracepoint(p: &mut Probing<'_>) -> Result<String, String> {
    let btf = p.btf()?;
    let prog: &mut BtfTracePoint = p.program("probe_btf_tracepoint")?;
    prog.load(SCHED_EXEC.name, btf).map_err(load_failed)?;
    let link = prog
        .attach()
        .map_err(|e| attach_failed(SCHED_EXEC.name, &e))?;
    prog.detach(link).map_err(|e| chain(&e))?;
    Ok(format!("attached to {}", SCHED_EXEC.name))
}

fn kprobe(p: &mut Probing<'_>) -> Result<String, String> {
    let function = p.kernel_function();
    let no_kprobes = p.no_probes_reason(ProbeKind::Kprobe);
    let prog: &mut KProbe = p.program("probe_kprobe")?;
    prog.load().map_err(load_failed)?;
    match prog.attach(function, 0) {
        Ok(link) => {
            prog.detach(link).map_err(|e| chain(&e))?;
            Ok(format!("attached to {function}"))
        }
        // The kernel's files are the clearer reason; aya's error then only
        // names the missing PMU file.
        Err(e) => Err(match no_kprobes {
            Some(reason) => format!("load ok, attach to {function} failed: {reason}"),
            None => attach_failed(function, &e),
        }),
    }
}

fn kprobe_multi(p: &mut Probing<'_>) -> Result<String, String> {
    let function = p.kernel_function();
    match sys::kprobe_multi(function) {
        Ok(()) => Ok(format!("attached to {function}")),
        Err(Stage::Load(e)) => Err(format!("load failed: {e}")),
        Err(Stage::Attach(e)) => {
            let hint = match e.raw_os_error() {
                Some(libc::EOPNOTSUPP) => Some(
                    "the kernel was built without CONFIG_FPROBE, which kprobe_multi links need"
                        .to_string(),
                ),
                _ => p.no_probes_reason(ProbeKind::Kprobe),
            };
            Err(with_reason(
                format!("load ok, attach to {function} failed: {e}"),
                hint,
            ))
        }
    }
}

fn override_return(p: &mut Probing<'_>) -> Result<String, String> {
    let prog: &mut KProbe = p.program("probe_override_return")?;
    prog.load().map_err(|e| {
        let hint = unknown_helper(&e)
            .then(|| "the kernel was built without CONFIG_BPF_KPROBE_OVERRIDE".to_string());
        with_reason(load_failed(e), hint)
    })?;
    Ok("the verifier accepts bpf_override_return in a kprobe program".to_string())
}

fn fentry(p: &mut Probing<'_>) -> Result<String, String> {
    let function = p.kernel_function();
    let btf = p.btf()?;
    let prog: &mut FEntry = p.program("probe_fentry")?;
    prog.load(function, btf).map_err(load_failed)?;
    let link = prog.attach().map_err(|e| attach_failed(function, &e))?;
    prog.detach(link).map_err(|e| chain(&e))?;
    Ok(format!("attached to {function}"))
}

fn fexit(p: &mut Probing<'_>) -> Result<String, String> {
    let function = p.kernel_function();
    let btf = p.btf()?;
    let prog: &mut FExit = p.program("probe_fexit")?;
    prog.load(function, btf).map_err(load_failed)?;
    let link = prog.attach().map_err(|e| attach_failed(function, &e))?;
    prog.detach(link).map_err(|e| chain(&e))?;
    Ok(format!("attached to {function}"))
}

fn lsm(p: &mut Probing<'_>) -> Result<String, String> {
    // Whether the bpf LSM is active: its programs load and attach without
    // it, but never run.
    let active = match p.env.security {
        Ok(view) if view.lsms.iter().any(|l| l == "bpf") => Ok(()),
        Ok(view) => Err(format!(
            "bpf is not an active LSM (active: {}; add bpf to the lsm= boot parameter)",
            view.lsms.join(",")
        )),
        Err(why) => Err(format!("cannot tell whether bpf is an active LSM: {why}")),
    };
    let btf = p.btf()?;
    let prog: &mut Lsm = p.program("probe_lsm")?;
    let tried = prog
        .load(LSM_HOOK, btf)
        .map_err(load_failed)
        .and_then(|()| {
            let link = prog.attach().map_err(|e| attach_failed(LSM_HOOK, &e))?;
            prog.detach(link).map_err(|e| chain(&e))
        });
    match (active, tried) {
        (Ok(()), Ok(())) => Ok(format!("bpf is an active LSM; attached to {LSM_HOOK}")),
        (Err(inactive), Ok(())) => Err(format!(
            "{inactive}; a program on {LSM_HOOK} loads and attaches but would never run"
        )),
        (Ok(()), Err(failed)) => Err(format!("bpf is an active LSM, but {failed}")),
        (Err(inactive), Err(failed)) => Err(format!("{inactive}; {failed}")),
    }
}

fn uprobe(p: &mut Probing<'_>) -> Result<String, String> {
    let no_uprobes = p.no_probes_reason(ProbeKind::Uprobe);
    let prog: &mut UProbe = p.program("probe_uprobe")?;
    prog.load().map_err(load_failed)?;
    let place = format!("{UPROBE_SYMBOL} in {UPROBE_TARGET}");
    let link = prog
        .attach(UPROBE_SYMBOL, UPROBE_TARGET, UProbeScope::CallingProcess)
        .map_err(|e| match &no_uprobes {
            Some(reason) => format!("load ok, attach to {place} failed: {reason}"),
            None => attach_failed(&place, &e),
        })?;
    prog.detach(link).map_err(|e| chain(&e))?;
    Ok(format!("attached to {place} (this process only)"))
}

fn ring_buffer(_: &mut Probing<'_>) -> Result<String, String> {
    let size = sys::page_size();
    sys::create_ring_buffer(size)
        .map(|()| format!("created a {size}-byte ring buffer map"))
        .map_err(|e| format!("creating a ring buffer map failed: {e}"))
}

/// Loads (never attaches) a tracepoint program that calls `helper`.
fn helper_load(p: &mut Probing<'_>, program: &str, helper: &str) -> Result<String, String> {
    let prog: &mut TracePoint = p.program(program)?;
    prog.load().map_err(load_failed)?;
    Ok(format!(
        "the verifier accepts {helper} in a tracepoint program"
    ))
}

fn send_signal(p: &mut Probing<'_>) -> Result<String, String> {
    helper_load(p, "probe_send_signal", "bpf_send_signal")
}

fn bpf_loop(p: &mut Probing<'_>) -> Result<String, String> {
    helper_load(p, "probe_bpf_loop", "bpf_loop")
}

fn probe_read_kernel(p: &mut Probing<'_>) -> Result<String, String> {
    let lockdown = match p.env.security {
        Ok(SecurityView {
            lockdown: Some(mode),
            ..
        }) if mode == "confidentiality" => {
            Some("kernel lockdown is confidentiality, which forbids BPF kernel reads".to_string())
        }
        _ => None,
    };
    helper_load(p, "probe_kernel_read", "bpf_probe_read_kernel")
        .map_err(|failed| with_reason(failed, lockdown))
}

fn with_reason(text: String, reason: Option<String>) -> String {
    match reason {
        Some(reason) => format!("{text}; {reason}"),
        None => text,
    }
}

fn load_failed(e: ProgramError) -> String {
    format!("load failed: {}", describe(&e))
}

fn attach_failed(place: &str, e: &ProgramError) -> String {
    format!("load ok, attach to {place} failed: {}", describe(e))
}

/// Whether a load failed because the verifier does not know a helper.
fn unknown_helper(e: &ProgramError) -> bool {
    match e {
        ProgramError::LoadError { verifier_log, .. } => {
            let log = verifier_log.to_string();
            UNKNOWN_HELPER.iter().any(|m| log.contains(m))
        }
        _ => false,
    }
}

const UNKNOWN_HELPER: &[&str] = &[
    "unknown func ",
    "invalid func ",
    "program of this type cannot use helper ",
];

/// An error in one line: for a refused load, the errno and the verifier's
/// reason rather than its whole log.
fn describe(e: &ProgramError) -> String {
    match e {
        ProgramError::LoadError {
            io_error,
            verifier_log,
        } => match verifier_reason(&verifier_log.to_string()) {
            Some(reason) => format!("{io_error}: {reason}"),
            None => io_error.to_string(),
        },
        other => chain(other),
    }
}

/// The line of a verifier log that says why it refused.
fn verifier_reason(log: &str) -> Option<String> {
    let lines: Vec<&str> = log
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let is_stats = |l: &&&str| {
        [
            "processed ",
            "verification time",
            "stack depth",
            "mark_read",
            "peak_states",
        ]
        .iter()
        .any(|s| l.starts_with(s))
    };
    lines
        .iter()
        .find(|l| UNKNOWN_HELPER.iter().any(|m| l.contains(m)))
        .or_else(|| lines.iter().rev().find(|l| !is_stats(l)))
        .map(|l| l.to_string())
}

/// An error and its sources on one line, without repeating a source the
/// message already contains.
pub(crate) fn chain(e: &dyn Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_cover_the_program_features_in_order() {
        let probed: Vec<&str> = PROBES.iter().map(|(name, _)| *name).collect();
        assert_eq!(&names::ALL[4..], probed.as_slice());
    }

    #[test]
    fn verifier_reason_prefers_the_unknown_helper_line() {
        let log = "0: R1=ctx() R10=fp0\n; bpf_override_return(ctx, 0);\n\
                   0: (85) call bpf_override_return#58\nunknown func bpf_override_return#58\n\
                   processed 1 insns (limit 1000000) max_states_per_insn 0\n";
        assert_eq!(
            verifier_reason(log).as_deref(),
            Some("unknown func bpf_override_return#58")
        );
        let log = "Tracing programs must provide btf_id\nprocessed 0 insns\n";
        assert_eq!(
            verifier_reason(log).as_deref(),
            Some("Tracing programs must provide btf_id")
        );
        assert_eq!(verifier_reason("\n\n"), None);
    }

    #[test]
    fn chain_does_not_repeat_sources() {
        let inner = std::io::Error::other("inner");
        assert_eq!(chain(&inner), "inner");
        let outer = crate::BtfError::Explicit {
            path: "/x".into(),
            source: std::io::Error::other("gone"),
        };
        assert_eq!(
            chain(&outer),
            "the BTF file given with --btf, /x, cannot be used: gone"
        );
    }
}
