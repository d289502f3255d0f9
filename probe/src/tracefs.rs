//! What tracefs says about the kernel: the ids of the tracepoints the probes
//! attach to, and whether kprobe and uprobe events exist at all.
//!
//! Read from tracefs where it is mounted, else from a private scratch mount
//! (root only), so the answer does not depend on whether someone mounted it.

use std::{
    fs,
    path::{Path, PathBuf},
};

use crate::mounts::{MountState, ScratchMount, TRACEFS};

/// A tracepoint, as `<category>/<name>` under tracefs `events/`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tracepoint {
    pub category: &'static str,
    pub name: &'static str,
}

impl Tracepoint {
    pub(crate) fn label(&self) -> String {
        format!("{}/{}", self.category, self.name)
    }
}

/// Fires on every exec; present wherever tracepoints are.
pub(crate) const SCHED_EXEC: Tracepoint = Tracepoint {
    category: "sched",
    name: "sched_process_exec",
};
/// Present when the kernel has syscall tracepoints (CONFIG_FTRACE_SYSCALLS).
pub(crate) const SYS_ENTER_GETPID: Tracepoint = Tracepoint {
    category: "syscalls",
    name: "sys_enter_getpid",
};

#[derive(Debug)]
pub(crate) struct TracefsView {
    /// Where tracefs is mounted for everyone (where aya looks), if anywhere.
    pub mounted_at: Option<PathBuf>,
    /// What it says, or why it could not be read.
    pub facts: Result<TracefsFacts, String>,
}

#[derive(Debug)]
pub(crate) struct TracefsFacts {
    /// `Ok(id)` or why there is none.
    pub sched_exec: Result<u64, String>,
    pub sys_enter_getpid: Result<u64, String>,
    /// Whether `kprobe_events` exists: the kernel has kprobe events.
    pub kprobe_events: bool,
    pub uprobe_events: bool,
}

/// The dynamic probe kinds tracefs has an `<kind>_events` file for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProbeKind {
    Kprobe,
    Uprobe,
}

impl TracefsFacts {
    /// Whether the kernel has `kind` events (CONFIG_KPROBE_EVENTS,
    /// CONFIG_UPROBE_EVENTS).
    pub(crate) fn probe_events(&self, kind: ProbeKind) -> bool {
        match kind {
            ProbeKind::Kprobe => self.kprobe_events,
            ProbeKind::Uprobe => self.uprobe_events,
        }
    }

    pub(crate) fn id(&self, tracepoint: &Tracepoint) -> &Result<u64, String> {
        if tracepoint.category == SYS_ENTER_GETPID.category {
            &self.sys_enter_getpid
        } else {
            &self.sched_exec
        }
    }
}

/// The standard tracefs locations, in the order aya looks at them.
const LOCATIONS: [&str; 2] = [TRACEFS, "/sys/kernel/debug/tracing"];

/// The first standard location where tracefs is mounted: by the mount
/// table, or by its `events` directory being there (looking also triggers
/// debugfs's tracefs automount).
fn mounted_tracefs(mounts: &MountState) -> Option<PathBuf> {
    LOCATIONS
        .iter()
        .map(PathBuf::from)
        .find(|p| mounts.has(p, "tracefs") || p.join("events").is_dir())
}

pub(crate) fn view(mounts: &MountState, may_mount: bool) -> TracefsView {
    let mounted_at = mounted_tracefs(mounts);
    let facts = match &mounted_at {
        Some(path) => read(path),
        None if !may_mount => Err(format!(
            "tracefs is not mounted at {TRACEFS} and reading it from a private mount needs root"
        )),
        None => ScratchMount::new("tracefs")
            .map_err(|e| format!("tracefs is not mounted and mounting a private copy failed: {e}"))
            .and_then(|scratch| read(scratch.path())),
    };
    TracefsView { mounted_at, facts }
}

fn read(root: &Path) -> Result<TracefsFacts, String> {
    // Unreadable (not root: tracefs is mode 700) is not the same as absent.
    fs::metadata(root.join("events"))
        .map_err(|e| format!("cannot read tracefs at {}: {e}", root.display()))?;
    let exists = |name: &str| root.join(name).try_exists().unwrap_or(false);
    Ok(TracefsFacts {
        sched_exec: read_id(root, &SCHED_EXEC),
        sys_enter_getpid: read_id(root, &SYS_ENTER_GETPID),
        kprobe_events: exists("kprobe_events"),
        uprobe_events: exists("uprobe_events"),
    })
}

fn read_id(root: &Path, tracepoint: &Tracepoint) -> Result<u64, String> {
    let file = root
        .join("events")
        .join(tracepoint.category)
        .join(tracepoint.name)
        .join("id");
    let text = fs::read_to_string(&file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!("the kernel has no {} tracepoint", tracepoint.label())
        }
        _ => format!("reading the id of {}: {e}", tracepoint.label()),
    })?;
    text.trim()
        .parse()
        .map_err(|e| format!("the id of {} is not a number: {e}", tracepoint.label()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_and_probe_event_files() {
        let root =
            std::env::temp_dir().join(format!("tetragon-probe-tracefs-{}", std::process::id()));
        let exec = root.join("events/sched/sched_process_exec");
        fs::create_dir_all(&exec).unwrap();
        fs::write(exec.join("id"), "321\n").unwrap();
        fs::write(root.join("uprobe_events"), "").unwrap();

        let view = read(&root).unwrap();
        assert_eq!(view.sched_exec, Ok(321));
        assert_eq!(
            view.sys_enter_getpid,
            Err("the kernel has no syscalls/sys_enter_getpid tracepoint".to_string())
        );
        assert!(!view.kprobe_events);
        assert!(view.uprobe_events);
        assert_eq!(view.id(&SYS_ENTER_GETPID), &view.sys_enter_getpid);
        fs::remove_dir_all(&root).unwrap();
        assert!(
            read(&root)
                .unwrap_err()
                .starts_with("cannot read tracefs at ")
        );
    }
}
