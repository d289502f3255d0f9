//! Where pods and containers sit in the cgroup v2 hierarchy, and their
//! cgroup ids (the ids BPF programs see).
//!
//! The kubelet names a pod's cgroup `pod<uid>` (cgroupfs driver) or
//! `kubepods-<qos>-pod<uid with _>.slice` (systemd driver), under a root
//! such as `/kubepods/<qos>`; a container's cgroup below it holds its id.
//! Knowing only the pod's uid is enough, whichever source told of the pod.

use std::{
    fs,
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
};

use crate::process::container::container_id;

/// Where the cgroup v2 hierarchy (the one BPF's cgroup ids name) is
/// mounted: /sys/fs/cgroup on a unified host, /sys/fs/cgroup/unified on a
/// hybrid one.
pub fn v2_root() -> PathBuf {
    fs::read_to_string("/proc/self/mounts")
        .ok()
        .and_then(|mounts| cgroup2_mount(&mounts))
        .unwrap_or_else(|| PathBuf::from("/sys/fs/cgroup"))
}

fn cgroup2_mount(mounts: &str) -> Option<PathBuf> {
    mounts.lines().find_map(|line| {
        let mut fields = line.split_whitespace();
        let (_, dir, fstype) = (fields.next()?, fields.next()?, fields.next()?);
        (fstype == "cgroup2").then(|| PathBuf::from(dir))
    })
}

/// How deep below the cgroup root a pod's cgroup may be.
const MAX_POD_DEPTH: usize = 5;

/// Whether `dir_name` is the cgroup of the pod with `uid`.
pub fn is_pod_cgroup(dir_name: &str, uid: &str) -> bool {
    if uid.is_empty() {
        return false;
    }
    if dir_name.strip_prefix("pod") == Some(uid) {
        return true;
    }
    let systemd_uid = uid.replace('-', "_");
    dir_name
        .strip_suffix(".slice")
        .and_then(|s| s.rsplit_once("-pod"))
        .is_some_and(|(_, u)| u == systemd_uid)
}

/// The cgroup directory of the pod with `uid`, searched below `root`
/// (normally /sys/fs/cgroup) in the kubelet's subtrees.
pub fn find_pod_cgroup(root: &Path, uid: &str) -> Option<PathBuf> {
    let mut level: Vec<PathBuf> = vec![root.to_path_buf()];
    for depth in 0..MAX_POD_DEPTH {
        let mut next = Vec::new();
        for dir in &level {
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                    continue;
                }
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if is_pod_cgroup(&name, uid) {
                    return Some(entry.path());
                }
                // Only the kubelet's subtree is worth walking at the top.
                if depth > 0 || name.contains("kubepods") {
                    next.push(entry.path());
                }
            }
        }
        level = next;
    }
    None
}

/// The cgroup directory of container `id` inside its pod's directory.
pub fn find_container_cgroup(pod_dir: &Path, id: &str) -> Option<PathBuf> {
    fs::read_dir(pod_dir)
        .ok()?
        .flatten()
        .find(|e| container_id(&e.file_name().to_string_lossy()) == Some(id))
        .map(|e| e.path())
}

/// A cgroup's id: the inode number of its directory in cgroup v2.
pub fn cgroup_id(dir: &Path) -> Option<u64> {
    fs::metadata(dir).ok().map(|m| m.ino())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UID: &str = "6b1f7a0c-2d3e-4f50-8a9b-0c1d2e3f4a5b";
    const CID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn finds_the_v2_mount_on_unified_and_hybrid_hosts() {
        let hybrid = "tmpfs /sys/fs/cgroup tmpfs ro 0 0\n\
                      cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n\
                      cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n";
        assert_eq!(
            cgroup2_mount(hybrid),
            Some(PathBuf::from("/sys/fs/cgroup/unified"))
        );
        assert_eq!(
            cgroup2_mount("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"),
            Some(PathBuf::from("/sys/fs/cgroup"))
        );
        assert_eq!(cgroup2_mount("proc /proc proc rw 0 0\n"), None);
    }

    #[test]
    fn recognises_both_drivers_names() {
        assert!(is_pod_cgroup(&format!("pod{UID}"), UID));
        assert!(is_pod_cgroup(
            "kubepods-besteffort-pod6b1f7a0c_2d3e_4f50_8a9b_0c1d2e3f4a5b.slice",
            UID
        ));
        assert!(!is_pod_cgroup(&format!("pod{UID}x"), UID));
        assert!(!is_pod_cgroup("pod", ""));
    }

    #[test]
    fn finds_pod_and_container_cgroups_in_a_tree() {
        let root = tempfile::tempdir().unwrap();
        let pod = root.path().join(format!("kubepods/besteffort/pod{UID}"));
        let container = pod.join(CID);
        fs::create_dir_all(&container).unwrap();
        fs::create_dir_all(root.path().join("system.slice/pod-lookalike")).unwrap();
        assert_eq!(find_pod_cgroup(root.path(), UID), Some(pod.clone()));
        assert_eq!(find_container_cgroup(&pod, CID), Some(container.clone()));
        assert_eq!(find_pod_cgroup(root.path(), "other"), None);
        assert!(cgroup_id(&container).is_some());

        let systemd = root.path().join(format!(
            "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{}.slice/cri-containerd-{CID}.scope",
            "a_b"
        ));
        fs::create_dir_all(&systemd).unwrap();
        let pod_dir = systemd.parent().unwrap();
        assert_eq!(
            find_pod_cgroup(root.path(), "a-b").as_deref(),
            Some(pod_dir)
        );
        assert_eq!(find_container_cgroup(pod_dir, CID), Some(systemd.clone()));
    }
}
