//! What the policy filters know of processes that predate the daemon:
//! entries of the base sensor's exec map, made from /proc.

use std::path::Path;

use bytemuck::Zeroable;

use super::facts::ProcessFacts;
use crate::policy::kernel_abi::{BINARY_MAX, ExecEntry};

/// The pid in the process's own pid namespace: the last `NSpid:` field.
fn ns_pid(proc_root: &Path, pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(proc_root.join(pid.to_string()).join("status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("NSpid:"))?;
    line.split_whitespace().last()?.parse().ok()
}

pub fn exec_entry(facts: &ProcessFacts, proc_root: &Path) -> ExecEntry {
    let mut e = ExecEntry::zeroed();
    e.tgid = facts.pid;
    e.ppid = facts.ppid;
    e.nspid = ns_pid(proc_root, facts.pid).unwrap_or(facts.pid);
    let ns = &facts.ns;
    e.ns = [
        ns.uts,
        ns.ipc,
        ns.mnt,
        ns.pid,
        ns.pid_for_children,
        ns.net,
        ns.time,
        ns.time_for_children,
        ns.cgroup,
        ns.user,
    ];
    e.cap_permitted = facts.creds.cap_permitted;
    e.cap_effective = facts.creds.cap_effective;
    e.cap_inheritable = facts.creds.cap_inheritable;
    let name = facts.filename.as_bytes();
    let len = name.len().min(BINARY_MAX - 1);
    e.binary[..len].copy_from_slice(&name[..len]);
    e.binary_len = len as u32;
    e
}
