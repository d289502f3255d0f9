//! Typed views of the records `ebpf/base_sensor.bpf.c` posts, mirroring
//! `ebpf/include/process_records.h`. Decoding checks every length against
//! the bytes received: a short or inconsistent record is an error, not a
//! panic.

use bytemuck::{Pod, Zeroable};
use thiserror::Error;

pub const RECORD_EXEC: u32 = 1;
pub const RECORD_CLONE: u32 = 2;
pub const RECORD_EXIT: u32 = 3;
pub use crate::policy::kernel_abi::{RECORD_GENERIC, RecordGeneric};

pub const CGROUP_NAME_MAX: usize = 128;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RecordError {
    #[error("record of {got} bytes is shorter than its {what} ({need} bytes)")]
    Short {
        what: &'static str,
        need: usize,
        got: usize,
    },
    #[error("unknown record kind {0}")]
    UnknownKind(u32),
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct RecordHeader {
    pub kind: u32,
    pub size: u32,
    pub ktime: u64,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable, Default, PartialEq, Eq)]
pub struct RecordCreds {
    pub uid: u32,
    pub gid: u32,
    pub suid: u32,
    pub sgid: u32,
    pub euid: u32,
    pub egid: u32,
    pub fsuid: u32,
    pub fsgid: u32,
    pub securebits: u32,
    pub pad: u32,
    pub cap_permitted: u64,
    pub cap_effective: u64,
    pub cap_inheritable: u64,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable, Default, PartialEq, Eq)]
pub struct RecordNamespaces {
    pub uts: u32,
    pub ipc: u32,
    pub mnt: u32,
    pub pid: u32,
    pub pid_for_children: u32,
    pub net: u32,
    pub time: u32,
    pub time_for_children: u32,
    pub cgroup: u32,
    pub user: u32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct RecordExecFixed {
    pub hdr: RecordHeader,
    pub pid: u32,
    pub tid: u32,
    pub ppid: u32,
    pub auid: u32,
    pub flags: u32,
    pub filename_len: u32,
    pub args_len: u32,
    pub cwd_len: u32,
    pub cgroup_id: u64,
    pub creds: RecordCreds,
    pub ns: RecordNamespaces,
    pub file_mode: u32,
    pub file_uid: u32,
    pub file_gid: u32,
    pub pad: u32,
    pub cgroup_name: [u8; CGROUP_NAME_MAX],
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct RecordClone {
    pub hdr: RecordHeader,
    pub pid: u32,
    pub ppid: u32,
    pub start_boottime: u64,
    pub cgroup_id: u64,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct RecordExit {
    pub hdr: RecordHeader,
    pub pid: u32,
    pub tid: u32,
    pub exit_code: u32,
    pub pad: u32,
}

/// An exec with its variable-length parts split out.
#[derive(Debug, Clone)]
pub struct ExecRecord {
    pub fixed: RecordExecFixed,
    /// The path as passed to execve, lossily UTF-8.
    pub filename: String,
    /// argv, argv[0] included.
    pub argv: Vec<String>,
    /// cwd components, leaf first.
    pub cwd_components: Vec<String>,
}

impl ExecRecord {
    pub fn cgroup_name(&self) -> String {
        nul_terminated(&self.fixed.cgroup_name)
    }

    /// The absolute cwd the components spell.
    pub fn cwd(&self) -> String {
        let mut cwd = String::new();
        for c in self.cwd_components.iter().rev() {
            cwd.push('/');
            cwd.push_str(c);
        }
        if cwd.is_empty() {
            cwd.push('/');
        }
        cwd
    }
}

#[derive(Debug, Clone)]
pub enum Record {
    Exec(Box<ExecRecord>),
    Clone(RecordClone),
    Exit(RecordExit),
    /// A policy hook's call: its fixed part, then its arguments.
    Generic(Box<GenericRecord>),
}

#[derive(Debug, Clone)]
pub struct GenericRecord {
    pub fixed: RecordGeneric,
    pub args: Vec<u8>,
}

impl Record {
    pub fn decode(data: &[u8]) -> Result<Record, RecordError> {
        let hdr: RecordHeader = read_pod(data, "header")?;
        match hdr.kind {
            RECORD_EXEC => decode_exec(data).map(|e| Record::Exec(Box::new(e))),
            RECORD_CLONE => read_pod(data, "clone record").map(Record::Clone),
            RECORD_EXIT => read_pod(data, "exit record").map(Record::Exit),
            RECORD_GENERIC => {
                let fixed: RecordGeneric = read_pod(data, "policy hook record")?;
                let args = data[size_of::<RecordGeneric>()..].to_vec();
                Ok(Record::Generic(Box::new(GenericRecord { fixed, args })))
            }
            other => Err(RecordError::UnknownKind(other)),
        }
    }

    pub fn ktime(&self) -> u64 {
        match self {
            Record::Exec(e) => e.fixed.hdr.ktime,
            Record::Clone(c) => c.hdr.ktime,
            Record::Exit(e) => e.hdr.ktime,
            Record::Generic(g) => g.fixed.ktime,
        }
    }
}

fn read_pod<T: Pod>(data: &[u8], what: &'static str) -> Result<T, RecordError> {
    let need = std::mem::size_of::<T>();
    data.get(..need)
        .map(bytemuck::pod_read_unaligned)
        .ok_or(RecordError::Short {
            what,
            need,
            got: data.len(),
        })
}

fn decode_exec(data: &[u8]) -> Result<ExecRecord, RecordError> {
    let fixed: RecordExecFixed = read_pod(data, "exec record")?;
    let mut rest = &data[std::mem::size_of::<RecordExecFixed>()..];
    let mut take = |len: u32, what: &'static str| -> Result<&[u8], RecordError> {
        let len = len as usize;
        if rest.len() < len {
            return Err(RecordError::Short {
                what,
                need: len,
                got: rest.len(),
            });
        }
        let (head, tail) = rest.split_at(len);
        rest = tail;
        Ok(head)
    };
    let filename = nul_terminated(take(fixed.filename_len, "filename")?);
    let argv = split_nul(take(fixed.args_len, "arguments")?);
    let cwd_components = split_nul(take(fixed.cwd_len, "cwd")?);
    Ok(ExecRecord {
        fixed,
        filename,
        argv,
        cwd_components,
    })
}

/// The string before the first NUL (all of it when there is none).
pub fn nul_terminated(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// NUL-separated strings; a trailing NUL ends the last one rather than
/// starting an empty one.
pub fn split_nul(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes.strip_suffix(&[0]).unwrap_or(bytes);
    if bytes.is_empty() {
        return Vec::new();
    }
    bytes
        .split(|&b| b == 0)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exec_bytes(filename: &[u8], args: &[u8], cwd: &[u8]) -> Vec<u8> {
        let mut fixed = RecordExecFixed::zeroed();
        fixed.hdr.kind = RECORD_EXEC;
        fixed.hdr.ktime = 42;
        fixed.pid = 7;
        fixed.filename_len = filename.len() as u32;
        fixed.args_len = args.len() as u32;
        fixed.cwd_len = cwd.len() as u32;
        fixed.cgroup_name[..4].copy_from_slice(b"user");
        let mut out = bytemuck::bytes_of(&fixed).to_vec();
        out.extend_from_slice(filename);
        out.extend_from_slice(args);
        out.extend_from_slice(cwd);
        out
    }

    #[test]
    fn layout_matches_the_c_header() {
        assert_eq!(std::mem::size_of::<RecordHeader>(), 16);
        assert_eq!(std::mem::size_of::<RecordCreds>(), 64);
        assert_eq!(std::mem::size_of::<RecordNamespaces>(), 40);
        assert_eq!(
            std::mem::size_of::<RecordExecFixed>(),
            16 + 32 + 8 + 64 + 40 + 16 + 128
        );
        assert_eq!(std::mem::size_of::<RecordClone>(), 40);
        assert_eq!(std::mem::size_of::<RecordExit>(), 32);
    }

    #[test]
    fn decodes_an_exec_with_its_strings() {
        let bytes = exec_bytes(b"/bin/sh\0", b"sh\0-c\0echo hi\0", b"tmp\0home\0");
        let Record::Exec(e) = Record::decode(&bytes).unwrap() else {
            panic!("not an exec")
        };
        assert_eq!(e.filename, "/bin/sh");
        assert_eq!(e.argv, ["sh", "-c", "echo hi"]);
        assert_eq!(e.cwd(), "/home/tmp");
        assert_eq!(e.cgroup_name(), "user");
        assert_eq!(e.fixed.pid, 7);
    }

    #[test]
    fn root_cwd_has_no_components() {
        let bytes = exec_bytes(b"/bin/true\0", b"true\0", b"");
        let Record::Exec(e) = Record::decode(&bytes).unwrap() else {
            panic!("not an exec")
        };
        assert_eq!(e.cwd(), "/");
        assert!(e.argv.len() == 1);
    }

    #[test]
    fn a_length_past_the_end_is_an_error() {
        let mut bytes = exec_bytes(b"/bin/true\0", b"true\0", b"");
        bytes.truncate(bytes.len() - 2);
        assert!(matches!(
            Record::decode(&bytes),
            Err(RecordError::Short {
                what: "arguments",
                ..
            })
        ));
    }

    #[test]
    fn short_and_unknown_records_are_errors() {
        assert!(matches!(
            Record::decode(&[1, 0]),
            Err(RecordError::Short { .. })
        ));
        let mut hdr = RecordHeader::zeroed();
        hdr.kind = 99;
        assert_eq!(
            Record::decode(bytemuck::bytes_of(&hdr)).unwrap_err(),
            RecordError::UnknownKind(99)
        );
    }
}
