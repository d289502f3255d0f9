//! `--release-pinned-bpf`: what an earlier run left pinned under the BPF
//! file system is unpinned at start, so no program or map outlives the run
//! that wanted it. This daemon pins nothing itself: a SIGKILL leaves no
//! enforcement behind.

use std::{fs, io, path::Path};

/// Where Tetragon pins its programs and maps.
pub const PIN_DIR: &str = "/sys/fs/bpf/tetragon";

/// Removes everything under `dir` (and `dir`), returning how many pins went.
/// A missing directory is nothing to do.
pub fn release(dir: &Path) -> io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut released = 0;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            released += release(&path)?;
        } else {
            // Unpinning drops the file system's reference; the kernel frees
            // the object once nothing else holds it.
            fs::remove_file(&path)?;
            released += 1;
        }
    }
    fs::remove_dir(dir)?;
    Ok(released)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_a_tree_and_counts_what_it_held() {
        let dir = tempfile::tempdir().unwrap();
        let pins = dir.path().join("tetragon");
        fs::create_dir_all(pins.join("policy_1")).unwrap();
        fs::write(pins.join("execve_map"), "").unwrap();
        fs::write(pins.join("policy_1/prog"), "").unwrap();
        assert_eq!(release(&pins).unwrap(), 2);
        assert!(!pins.exists());
        assert_eq!(release(&pins).unwrap(), 0, "nothing left is nothing to do");
    }
}
