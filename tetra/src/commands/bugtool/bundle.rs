//! The support bundle being assembled: files kept in memory under a size
//! budget, every file and every failure listed in `manifest.json`, written
//! out as one `.tar.gz`.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};
use flate2::{Compression, write::GzEncoder};
use serde::Serialize;

/// No single file takes more than this (before compression).
pub const FILE_CAP: usize = 256 * 1024;
/// All files together stay under this (before compression), so the
/// compressed bundle is always well under 2 MiB.
pub const TOTAL_CAP: usize = 1536 * 1024;
pub const MANIFEST: &str = "manifest.json";

/// Which end of an over-long file to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The beginning (dumps, listings).
    Head,
    /// The end, from a line start (logs: the latest lines matter).
    Tail,
}

#[derive(Debug, Serialize)]
pub struct FileEntry {
    pub path: String,
    /// What the file holds, in a few words.
    pub what: String,
    pub bytes: usize,
    /// Set when the file was cut to fit: what was left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Failure {
    /// The file that would have held it.
    pub path: String,
    pub what: String,
    pub error: String,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: String,
    pub tetra_version: String,
    pub created: String,
    pub server_address: String,
    pub files: Vec<FileEntry>,
    pub failures: Vec<Failure>,
}

pub struct Bundle {
    pub manifest: Manifest,
    contents: Vec<Vec<u8>>,
    total: usize,
}

impl Bundle {
    pub fn new(server_address: &str) -> Self {
        Bundle {
            manifest: Manifest {
                tool: "tetra bugtool".into(),
                tetra_version: crate::commands::version::VERSION.into(),
                created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                server_address: server_address.into(),
                files: Vec::new(),
                failures: Vec::new(),
            },
            contents: Vec::new(),
            total: 0,
        }
    }

    /// Adds a file, cut to the per-file cap and to what the budget has left.
    pub fn add(&mut self, path: &str, what: &str, data: impl Into<Vec<u8>>, keep: Keep) {
        let mut data = data.into();
        let room = FILE_CAP.min(TOTAL_CAP.saturating_sub(self.total));
        let mut truncated = None;
        if data.len() > room {
            let full = data.len();
            data = cut(data, room, keep);
            let side = match keep {
                Keep::Head => "first",
                Keep::Tail => "last",
            };
            truncated = Some(format!("kept the {side} {} of {full} bytes", data.len()));
        }
        self.total += data.len();
        self.manifest.files.push(FileEntry {
            path: path.into(),
            what: what.into(),
            bytes: data.len(),
            truncated,
        });
        self.contents.push(data);
    }

    /// Records that `path` could not be collected, and why (one line).
    pub fn fail(&mut self, path: &str, what: &str, error: impl std::fmt::Display) {
        let error = error.to_string().replace('\n', " ");
        self.manifest.failures.push(Failure {
            path: path.into(),
            what: what.into(),
            error,
        });
    }

    /// Adds the file, or records the failure.
    pub fn add_or_fail<E: std::fmt::Display>(
        &mut self,
        path: &str,
        what: &str,
        data: Result<impl Into<Vec<u8>>, E>,
        keep: Keep,
    ) {
        match data {
            Ok(data) => self.add(path, what, data, keep),
            Err(e) => self.fail(path, what, e),
        }
    }

    pub fn has(&self, path: &str) -> bool {
        self.manifest.files.iter().any(|f| f.path == path)
    }

    /// Bytes before compression, manifest excluded.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Writes the bundle to `out` (through a temporary file beside it, so a
    /// failure leaves no half-written bundle); returns the bundle's size.
    pub fn write(&self, out: &Path) -> Result<u64> {
        let mut manifest = serde_json::to_vec_pretty(&self.manifest)?;
        manifest.push(b'\n');
        let tmp = temporary_name(out);
        let result = self.write_to(&tmp, &manifest);
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            return Err(e.context(format!("writing {}", out.display())));
        }
        fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
        Ok(fs::metadata(out)?.len())
    }

    fn write_to(&self, tmp: &Path, manifest: &[u8]) -> Result<()> {
        let file = fs::File::create(tmp)?;
        let gz = GzEncoder::new(file, Compression::default());
        let mut tar = tar::Builder::new(gz);
        let mtime = chrono::Utc::now().timestamp().max(0) as u64;
        append(&mut tar, MANIFEST, manifest, mtime)?;
        for (entry, data) in self.manifest.files.iter().zip(&self.contents) {
            append(&mut tar, &entry.path, data, mtime)?;
        }
        let mut gz = tar.into_inner()?;
        gz.flush()?;
        let file = gz.finish()?;
        file.sync_all()?;
        Ok(())
    }
}

fn append<W: Write>(tar: &mut tar::Builder<W>, path: &str, data: &[u8], mtime: u64) -> Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(mtime);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, path, data)
        .with_context(|| format!("adding {path}"))
}

fn temporary_name(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    out.with_file_name(name)
}

/// `data` cut to at most `room` bytes, at a line boundary where there is one.
fn cut(mut data: Vec<u8>, room: usize, keep: Keep) -> Vec<u8> {
    match keep {
        Keep::Head => {
            data.truncate(room);
            if let Some(end) = data.iter().rposition(|&b| b == b'\n') {
                data.truncate(end + 1);
            }
            data
        }
        Keep::Tail => {
            let mut start = data.len() - room;
            // Drop the partial first line, unless it is the only line.
            if let Some(nl) = data[start..].iter().position(|&b| b == b'\n')
                && start + nl + 1 < data.len()
            {
                start += nl + 1;
            }
            data.split_off(start)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_line_boundaries() {
        let text = b"one\ntwo\nthree\n".to_vec();
        assert_eq!(cut(text.clone(), 9, Keep::Head), b"one\ntwo\n");
        assert_eq!(cut(text.clone(), 8, Keep::Tail), b"three\n");
        assert_eq!(cut(b"abcdef".to_vec(), 3, Keep::Tail), b"def");
    }

    #[test]
    fn files_are_capped_and_the_cut_is_recorded() {
        let mut b = Bundle::new("localhost:54321");
        let line = "x".repeat(99) + "\n";
        b.add("big.log", "a log", line.repeat(FILE_CAP / 50), Keep::Tail);
        b.add("small.txt", "a note", "hello\n", Keep::Head);
        b.fail("daemon/metrics.txt", "metrics", "no\nmetrics server");
        let big = &b.manifest.files[0];
        assert!(big.bytes <= FILE_CAP && big.bytes > FILE_CAP - 100);
        assert!(
            big.truncated
                .as_deref()
                .unwrap()
                .starts_with("kept the last")
        );
        assert!(b.manifest.files[1].truncated.is_none());
        assert_eq!(b.manifest.failures[0].error, "no metrics server");
        assert!(b.has("small.txt") && !b.has("daemon/metrics.txt"));
    }

    #[test]
    fn the_total_budget_holds() {
        let mut b = Bundle::new("x:1");
        for i in 0..10 {
            b.add(&format!("f{i}"), "filler", vec![b'a'; FILE_CAP], Keep::Head);
        }
        assert!(b.total() <= TOTAL_CAP);
        assert_eq!(b.manifest.files[9].bytes, 0);
    }

    #[test]
    fn writes_a_tar_gz_with_the_manifest_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.tar.gz");
        let mut b = Bundle::new("x:1");
        b.add("kernel/uname.txt", "uname", "Linux\n", Keep::Head);
        let size = b.write(&out).unwrap();
        assert_eq!(size, fs::metadata(&out).unwrap().len());
        let gz = flate2::read::GzDecoder::new(fs::File::open(&out).unwrap());
        let mut archive = tar::Archive::new(gz);
        let names: Vec<String> = archive
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect();
        assert_eq!(names, [MANIFEST, "kernel/uname.txt"]);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }
}
