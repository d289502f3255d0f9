//! The processes that were running before the daemon started, read from
//! `/proc` (or `--procfs`), so their events have a parent and a process.

use std::{
    fs,
    path::{Path, PathBuf},
};

use super::{facts::ProcessFacts, flags};
use crate::bpf::records::{RecordCreds, RecordNamespaces, split_nul};

/// Clock ticks a second, for /proc's start times.
fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no memory effects.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}

/// Every process under `proc_root`, parents before children. A process that
/// exits during the walk is simply left out.
pub fn scan(proc_root: &Path) -> Vec<ProcessFacts> {
    let Ok(dir) = fs::read_dir(proc_root) else {
        return Vec::new();
    };
    let ticks = clock_ticks();
    let host_ns = host_namespaces(proc_root);
    let mut found: Vec<ProcessFacts> = dir
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| read_process(proc_root, pid, ticks, host_ns))
        .collect();
    found.sort_by_key(|f| (f.ktime, f.pid));
    found
}

fn read_process(
    proc_root: &Path,
    pid: u32,
    ticks: u64,
    host_ns: Option<RecordNamespaces>,
) -> Option<ProcessFacts> {
    let dir = proc_root.join(pid.to_string());
    let stat = fs::read_to_string(dir.join("stat")).ok()?;
    let (comm, ppid, start_ticks) = parse_stat(&stat)?;
    let status = fs::read_to_string(dir.join("status")).unwrap_or_default();
    let argv = split_nul(&fs::read(dir.join("cmdline")).unwrap_or_default());
    let cwd = fs::read_link(dir.join("cwd"))
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Kernel threads have no executable and no command line: show their name.
    let filename = fs::read_link(dir.join("exe"))
        .map(|p| {
            p.to_string_lossy()
                .trim_end_matches(" (deleted)")
                .to_string()
        })
        .ok()
        .or_else(|| argv.first().cloned())
        .unwrap_or(comm);
    let mut flags = flags::PROCFS;
    if cwd == "/" {
        flags |= flags::ROOT_CWD;
    }
    Some(ProcessFacts {
        pid,
        tid: pid,
        ppid,
        ktime: start_ticks * (1_000_000_000 / ticks),
        auid: fs::read_to_string(dir.join("loginuid"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(u32::MAX),
        creds: parse_creds(&status),
        ns: read_namespaces(&dir).unwrap_or_default(),
        host_ns,
        cwd,
        filename,
        argv,
        cgroup_name: read_cgroup_leaf(&dir.join("cgroup")),
        file: None,
        flags,
    })
}

/// (comm, ppid, start time in ticks) from /proc/<pid>/stat. The comm may
/// hold spaces and parentheses, so fields are counted from its last `)`.
fn parse_stat(stat: &str) -> Option<(String, u32, u64)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?.to_string();
    let rest: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
    // rest[0] is field 3 (state); ppid is field 4, starttime field 22.
    let ppid = rest.get(1)?.parse().ok()?;
    let start = rest.get(19)?.parse().ok()?;
    Some((comm, ppid, start))
}

fn parse_creds(status: &str) -> RecordCreds {
    let ids = |key: &str| -> [u32; 4] {
        let mut out = [0; 4];
        if let Some(line) = status.lines().find(|l| l.starts_with(key)) {
            for (slot, v) in out.iter_mut().zip(line[key.len()..].split_whitespace()) {
                *slot = v.parse().unwrap_or(0);
            }
        }
        out
    };
    let hex = |key: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
            .unwrap_or(0)
    };
    let [uid, euid, suid, fsuid] = ids("Uid:");
    let [gid, egid, sgid, fsgid] = ids("Gid:");
    RecordCreds {
        uid,
        gid,
        suid,
        sgid,
        euid,
        egid,
        fsuid,
        fsgid,
        cap_permitted: hex("CapPrm:"),
        cap_effective: hex("CapEff:"),
        cap_inheritable: hex("CapInh:"),
        ..Default::default()
    }
}

fn read_namespaces(dir: &Path) -> Option<RecordNamespaces> {
    let inum = |name: &str| -> u32 {
        let link: PathBuf = fs::read_link(dir.join("ns").join(name)).unwrap_or_default();
        parse_ns_link(&link.to_string_lossy()).unwrap_or(0)
    };
    let ns = RecordNamespaces {
        uts: inum("uts"),
        ipc: inum("ipc"),
        mnt: inum("mnt"),
        pid: inum("pid"),
        pid_for_children: inum("pid_for_children"),
        net: inum("net"),
        time: inum("time"),
        time_for_children: inum("time_for_children"),
        cgroup: inum("cgroup"),
        user: inum("user"),
    };
    (ns != RecordNamespaces::default()).then_some(ns)
}

/// The host's namespaces: pid 1's, with kthreadd's (pid 2, a kernel thread
/// and so always in the initial namespaces) where pid 1's cannot be read,
/// as in sandboxes that hide pid 1 even from root.
pub fn host_namespaces(proc_root: &Path) -> Option<RecordNamespaces> {
    let init = read_namespaces(&proc_root.join("1")).unwrap_or_default();
    let kthreadd = read_namespaces(&proc_root.join("2")).unwrap_or_default();
    let pick = |a: u32, b: u32| if a != 0 { a } else { b };
    let ns = RecordNamespaces {
        uts: pick(init.uts, kthreadd.uts),
        ipc: pick(init.ipc, kthreadd.ipc),
        mnt: pick(init.mnt, kthreadd.mnt),
        pid: pick(init.pid, kthreadd.pid),
        pid_for_children: pick(init.pid_for_children, kthreadd.pid_for_children),
        net: pick(init.net, kthreadd.net),
        time: pick(init.time, kthreadd.time),
        time_for_children: pick(init.time_for_children, kthreadd.time_for_children),
        cgroup: pick(init.cgroup, kthreadd.cgroup),
        user: pick(init.user, kthreadd.user),
    };
    (ns != RecordNamespaces::default()).then_some(ns)
}

/// `net:[4026531840]` -> 4026531840
fn parse_ns_link(link: &str) -> Option<u32> {
    link.split_once(":[")?.1.strip_suffix(']')?.parse().ok()
}

/// The last component of the process's cgroup v2 path (`0::/a/b` -> `b`),
/// which is what the kernel side reports for exec'd processes.
fn read_cgroup_leaf(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("0::"))
        .map(|p| p.rsplit('/').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat_with_awkward_comm() {
        let stat = "1234 (a) b (c)) S 77 1234 1234 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 98765 1 2";
        assert_eq!(parse_stat(stat), Some(("a) b (c)".into(), 77, 98765)));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn parses_credentials_and_capabilities() {
        let status = "Name:\tsh\nUid:\t1000\t1001\t1002\t1003\nGid:\t10\t11\t12\t13\n\
                      CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t0000000000200000\n";
        let c = parse_creds(status);
        assert_eq!((c.uid, c.euid, c.suid, c.fsuid), (1000, 1001, 1002, 1003));
        assert_eq!((c.gid, c.egid, c.sgid, c.fsgid), (10, 11, 12, 13));
        assert_eq!(c.cap_permitted, 0x1ffffffffff);
        assert_eq!(c.cap_effective, 1 << 21);
    }

    #[test]
    fn parses_namespace_links_and_cgroup_leaves() {
        assert_eq!(parse_ns_link("net:[4026531840]"), Some(4026531840));
        assert_eq!(parse_ns_link("bogus"), None);
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("cgroup");
        fs::write(&f, "0::/system.slice/docker-abc.scope\n").unwrap();
        assert_eq!(read_cgroup_leaf(&f), "docker-abc.scope");
    }

    #[test]
    fn the_host_namespaces_are_found() {
        let host = host_namespaces(Path::new("/proc")).expect("host namespaces");
        // The initial ipc namespace has a fixed inode number in every kernel.
        assert_eq!(host.ipc, 0xEFFFFFFF);
        assert_ne!(host.net, 0);
    }

    #[test]
    fn scans_this_machines_proc_with_parents_first() {
        let all = scan(Path::new("/proc"));
        let me = std::process::id();
        let pos = |pid: u32| all.iter().position(|f| f.pid == pid);
        let mine = pos(me).expect("the test process is in /proc");
        let f = &all[mine];
        assert!(f.flags & flags::PROCFS != 0);
        assert!(f.filename.starts_with('/'));
        if let Some(parent) = pos(f.ppid) {
            assert!(parent < mine);
        }
    }
}
