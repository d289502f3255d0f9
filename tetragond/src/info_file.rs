//! `/var/run/tetragon/tetragon-info.json`: where a running daemon tells
//! clients (`tetra`, bugtool) how to reach it. Same keys as upstream's, so
//! either side's tools read the other's file.

use std::{fs, io, path::Path};

use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InfoFile {
    pub export_fname: String,
    pub lib_dir: String,
    pub btf_fname: String,
    pub server_address: String,
    pub metrics_address: String,
    pub gops_address: String,
    pub map_dir: String,
    pub bpftool_path: String,
    pub gops_path: String,
    pub max_recv_size: u64,
    pub pid: u32,
}

impl InfoFile {
    /// Written to a temporary name and renamed, so a reader never sees half.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_upstreams_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run/tetragon-info.json");
        let info = InfoFile {
            server_address: "unix:///tmp/t.sock".into(),
            pid: 7,
            ..Default::default()
        };
        info.write(&path).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"server_address\": \"unix:///tmp/t.sock\""));
        assert_eq!(serde_json::from_str::<InfoFile>(&text).unwrap(), info);
    }
}
