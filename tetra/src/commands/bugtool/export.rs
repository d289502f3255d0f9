//! The last events of the daemon's JSON export file.

use std::{
    fs,
    io::{Read, Seek, SeekFrom},
    path::Path,
};

use anyhow::{Context, Result};

use super::bundle::{Bundle, Keep};

pub const DEFAULT_EXPORT_FILE: &str = "/var/log/tetragon/tetragon.log";
const EXPORT_TAIL: u64 = 256 * 1024;

/// The last complete lines in at most `max` bytes at the end of `path`
/// (a last line without its newline is still being written: left out).
pub fn read_tail(path: &Path, max: u64) -> Result<Vec<u8>> {
    let mut file = fs::File::open(path).with_context(|| path.display().to_string())?;
    let len = file.metadata()?.len();
    let start = len.saturating_sub(max);
    file.seek(SeekFrom::Start(start))?;
    let mut data = Vec::with_capacity((len - start) as usize);
    file.take(max).read_to_end(&mut data)?;
    if start > 0
        && let Some(nl) = data.iter().position(|&b| b == b'\n')
    {
        data.drain(..=nl);
    }
    match data.iter().rposition(|&b| b == b'\n') {
        Some(end) => data.truncate(end + 1),
        None => data.clear(),
    }
    Ok(data)
}

/// `path` is the export file the daemon named; None: the default place.
pub fn collect(bundle: &mut Bundle, path: Option<&str>) {
    const FILE: &str = "daemon/export-tail.jsonl";
    let path = path.unwrap_or(DEFAULT_EXPORT_FILE);
    let what = format!("the last events of the JSON export ({path})");
    bundle.add_or_fail(
        FILE,
        &what,
        read_tail(Path::new(path), EXPORT_TAIL).map_err(|e| format!("{e:#}")),
        Keep::Tail,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_whole_lines_from_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.json");
        fs::write(&path, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"partial").unwrap();
        assert_eq!(
            read_tail(&path, 1000).unwrap(),
            b"{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n"
        );
        // 20 bytes from the end start inside {"b":2}: that line goes too.
        assert_eq!(read_tail(&path, 20).unwrap(), b"{\"c\":3}\n");
        assert!(read_tail(&dir.path().join("none"), 10).is_err());
    }
}
