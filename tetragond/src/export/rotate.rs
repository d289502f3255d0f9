//! An append-only JSON-lines file that rotates by size and by age.
//!
//! Backups are named `<stem>-<UTC time>.<ext>` beside the file (and get a
//! `.gz` suffix when compressed), and only the newest `max_backups` are
//! kept. Rotation happens between lines, never inside one, and the current
//! file is flushed before it is renamed, so no line is torn or lost.

use std::{
    fs::{self, File, OpenOptions},
    io::{self, BufWriter, Write},
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use chrono::Utc;
use flate2::{Compression, write::GzEncoder};

#[derive(Debug, Clone)]
pub struct RotateOptions {
    /// Rotate before a line would take the file past this many bytes; 0 never.
    pub max_size: u64,
    /// Rotate when the file is this old; None never.
    pub interval: Option<Duration>,
    /// Backups kept; 0 keeps them all.
    pub max_backups: usize,
    pub compress: bool,
    /// Mode of the created file, e.g. 0o600.
    pub perm: u32,
}

pub struct RotatingFile {
    path: PathBuf,
    opts: RotateOptions,
    out: BufWriter<File>,
    size: u64,
    opened: Instant,
}

impl RotatingFile {
    pub fn open(path: &Path, opts: RotateOptions) -> io::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(opts.perm)
            .open(path)?;
        // An existing file keeps the mode it had unless it is ours to set.
        file.set_permissions(fs::Permissions::from_mode(opts.perm))?;
        let size = file.metadata()?.len();
        Ok(RotatingFile {
            path: path.to_path_buf(),
            opts,
            out: BufWriter::with_capacity(64 * 1024, file),
            size,
            opened: Instant::now(),
        })
    }

    /// Appends `line` and a newline, rotating first when due.
    pub fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        let len = line.len() as u64 + 1;
        let too_big =
            self.opts.max_size > 0 && self.size > 0 && self.size + len > self.opts.max_size;
        let too_old = self
            .opts
            .interval
            .is_some_and(|i| self.opened.elapsed() >= i);
        if too_big || too_old {
            self.rotate()?;
        }
        self.out.write_all(line)?;
        self.out.write_all(b"\n")?;
        self.size += len;
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Moves the current file aside as a backup and starts a new one.
    pub fn rotate(&mut self) -> io::Result<()> {
        self.out.flush()?;
        let backup = self.backup_name();
        fs::rename(&self.path, &backup)?;
        *self = RotatingFile::open(&self.path, self.opts.clone())?;
        if self.opts.compress {
            compress_in_place(&backup)?;
        }
        self.prune_backups()
    }

    fn backup_name(&self) -> PathBuf {
        let stem = self.path.file_stem().unwrap_or_default().to_string_lossy();
        let stamp = Utc::now().format("%Y-%m-%dT%H-%M-%S%.9f");
        let name = match self.path.extension() {
            Some(ext) => format!("{stem}-{stamp}.{}", ext.to_string_lossy()),
            None => format!("{stem}-{stamp}"),
        };
        self.path.with_file_name(name)
    }

    /// Backups of this file, oldest first (their names sort by time).
    pub fn backups(&self) -> io::Result<Vec<PathBuf>> {
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let stem = self.path.file_stem().unwrap_or_default().to_string_lossy();
        let prefix = format!("{stem}-");
        let mut found: Vec<PathBuf> = fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p != &self.path
                    && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.starts_with(&prefix) && is_backup_stamp(&n[prefix.len()..])
                    })
            })
            .collect();
        found.sort();
        Ok(found)
    }

    fn prune_backups(&self) -> io::Result<()> {
        if self.opts.max_backups == 0 {
            return Ok(());
        }
        let backups = self.backups()?;
        let excess = backups.len().saturating_sub(self.opts.max_backups);
        for old in &backups[..excess] {
            fs::remove_file(old)?;
        }
        Ok(())
    }
}

/// `2026-01-02T03-04-05.123456789...`: the stamp backup_name writes.
fn is_backup_stamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 29
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b'-'
        && b[16] == b'-'
        && b[19] == b'.'
        && b[..4].iter().all(u8::is_ascii_digit)
}

fn compress_in_place(path: &Path) -> io::Result<()> {
    let mut gz_name = path.as_os_str().to_owned();
    gz_name.push(".gz");
    let mut input = File::open(path)?;
    let output = File::create(&gz_name)?;
    output.set_permissions(input.metadata()?.permissions())?;
    let mut enc = GzEncoder::new(BufWriter::new(output), Compression::default());
    io::copy(&mut input, &mut enc)?;
    enc.finish()?.flush()?;
    fs::remove_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn opts(max_size: u64, max_backups: usize, compress: bool) -> RotateOptions {
        RotateOptions {
            max_size,
            interval: None,
            max_backups,
            compress,
            perm: 0o600,
        }
    }

    fn all_lines(file: &RotatingFile) -> Vec<String> {
        let mut lines = Vec::new();
        let mut paths = file.backups().unwrap();
        paths.push(file.path.clone());
        for p in paths {
            let mut text = String::new();
            if p.extension().is_some_and(|e| e == "gz") {
                flate2::read::GzDecoder::new(File::open(&p).unwrap())
                    .read_to_string(&mut text)
                    .unwrap();
            } else {
                text = fs::read_to_string(&p).unwrap();
            }
            assert!(
                text.is_empty() || text.ends_with('\n'),
                "{p:?} ends mid-line"
            );
            lines.extend(text.lines().map(String::from));
        }
        lines
    }

    #[test]
    fn rotates_by_size_between_whole_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut f =
            RotatingFile::open(&dir.path().join("events.json"), opts(100, 0, false)).unwrap();
        let written: Vec<String> = (0..50).map(|i| format!("{{\"n\":{i:04}}}")).collect();
        for l in &written {
            f.write_line(l.as_bytes()).unwrap();
        }
        f.flush().unwrap();
        assert!(f.backups().unwrap().len() >= 5);
        for b in f.backups().unwrap() {
            assert!(fs::metadata(&b).unwrap().len() <= 100);
        }
        assert_eq!(all_lines(&f), written);
    }

    #[test]
    fn keeps_only_max_backups_and_compresses_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = RotatingFile::open(&dir.path().join("events.json"), opts(1, 2, true)).unwrap();
        for i in 0..6 {
            f.write_line(format!("line {i}").as_bytes()).unwrap();
        }
        f.flush().unwrap();
        let backups = f.backups().unwrap();
        assert_eq!(backups.len(), 2);
        assert!(
            backups
                .iter()
                .all(|b| b.to_string_lossy().ends_with(".json.gz"))
        );
        assert_eq!(all_lines(&f), ["line 3", "line 4", "line 5"]);
    }

    #[test]
    fn rotates_by_age() {
        let dir = tempfile::tempdir().unwrap();
        let mut o = opts(0, 0, false);
        o.interval = Some(Duration::from_millis(1));
        let mut f = RotatingFile::open(&dir.path().join("e.json"), o).unwrap();
        f.write_line(b"a").unwrap();
        std::thread::sleep(Duration::from_millis(5));
        f.write_line(b"b").unwrap();
        f.flush().unwrap();
        assert_eq!(f.backups().unwrap().len(), 1);
        assert_eq!(all_lines(&f), ["a", "b"]);
    }

    #[test]
    fn creates_the_file_with_the_requested_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/e.json");
        let mut o = opts(0, 0, false);
        o.perm = 0o640;
        RotatingFile::open(&path, o).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}
