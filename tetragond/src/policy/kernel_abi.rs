//! The generic hook's configuration and record, as `ebpf/include/generic_config.h`
//! lays them out. Sizes are checked at compile time against the C side's.

use bytemuck::{Pod, Zeroable};

pub const MAX_ARGS: usize = 5;
pub const MAX_RAW: usize = 6;
pub const MAX_SELECTORS: usize = 5;
pub const MAX_MATCH_ARGS: usize = 5;
pub const MAX_INLINE: usize = 8;
pub const MAX_PID_FILTERS: usize = 2;
pub const MAX_PIDS: usize = 16;
pub const MAX_NS_FILTERS: usize = 10;
pub const MAX_NS_VALUES: usize = 8;
pub const MAX_CAP_FILTERS: usize = 3;
pub const MAX_ACTIONS: usize = 4;
pub const STR_KEY: usize = 252;
pub const STR_MATCH_MAX: usize = 248;
pub const CHAR_BUF_MAX: u32 = 4096;
pub const MAX_DATA: u32 = 32736;
pub const BINARY_MAX: usize = 256;
pub const NS_KINDS: usize = 10;

pub const RECORD_GENERIC: u32 = 4;
pub const FLAG_RETURN: u32 = 0x1;

/// `enum gh_arg_type`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ArgKind {
    S64 = 1,
    U64 = 2,
    S32 = 3,
    U32 = 4,
    String = 5,
    CharBuf = 6,
    CharIovec = 7,
    Fd = 8,
    S16 = 9,
    U16 = 10,
    S8 = 11,
    U8 = 12,
    DataLoc = 13,
    InlineStr = 14,
}

impl ArgKind {
    pub fn from_u8(v: u8) -> Option<ArgKind> {
        use ArgKind::*;
        Some(match v {
            1 => S64,
            2 => U64,
            3 => S32,
            4 => U32,
            5 => String,
            6 => CharBuf,
            7 => CharIovec,
            8 => Fd,
            9 => S16,
            10 => U16,
            11 => S8,
            12 => U8,
            13 => DataLoc,
            14 => InlineStr,
            _ => return None,
        })
    }

    /// Integers travel as 8 bytes; the rest as length, original length, bytes.
    pub fn is_integer(self) -> bool {
        use ArgKind::*;
        matches!(self, S64 | U64 | S32 | U32 | S16 | U16 | S8 | U8)
    }

    pub fn is_signed(self) -> bool {
        use ArgKind::*;
        matches!(self, S64 | S32 | S16 | S8)
    }
}

pub const SRC_RAW: u8 = 0;
pub const SRC_FIELD: u8 = 1;

pub const OP_IN: u8 = 0;
pub const OP_NOT_IN: u8 = 1;

/// `enum gh_arg_op`
pub mod arg_op {
    pub const EQUAL: u8 = 0;
    pub const NOT_EQUAL: u8 = 1;
    pub const PREFIX: u8 = 2;
    pub const NOT_PREFIX: u8 = 3;
    pub const POSTFIX: u8 = 4;
    pub const NOT_POSTFIX: u8 = 5;
    pub const MASK: u8 = 6;
    pub const GT: u8 = 7;
    pub const LT: u8 = 8;
    pub const IN_RANGE: u8 = 9;
    pub const NOT_IN_RANGE: u8 = 10;
}

/// `enum gh_bin_op`
pub mod bin_op {
    pub const IN: u8 = 0;
    pub const NOT_IN: u8 = 1;
    pub const PREFIX: u8 = 2;
    pub const NOT_PREFIX: u8 = 3;
    pub const POSTFIX: u8 = 4;
    pub const NOT_POSTFIX: u8 = 5;
}

/// `enum gh_action_kind`
pub mod action {
    pub const POST: u8 = 1;
    pub const NOPOST: u8 = 2;
    pub const SIGKILL: u8 = 3;
    pub const SIGNAL: u8 = 4;
    pub const USER: u8 = 5;
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhArg {
    pub ty: u8,
    pub source: u8,
    pub user: u8,
    pub return_copy: u8,
    pub offset: u16,
    pub size: u8,
    pub has_size: u8,
    pub size_offset: u16,
    pub size_size: u8,
    pub pad: u8,
    pub max_bytes: u32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhPidFilter {
    pub op: u8,
    pub follow_forks: u8,
    pub ns_pid: u8,
    pub count: u8,
    pub values: [u32; MAX_PIDS],
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhNsFilter {
    pub kind: u8,
    pub op: u8,
    pub count: u8,
    pub pad: u8,
    pub values: [u32; MAX_NS_VALUES],
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhCapFilter {
    pub set: u8,
    pub op: u8,
    pub is_ns: u8,
    pub pad: [u8; 5],
    pub mask: u64,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhBinFilter {
    pub op: u8,
    pub follow_children: u8,
    pub pad: [u8; 2],
    pub slot: u32,
}

pub const ARG_RETURN: u8 = 0xff;

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhArgFilter {
    pub arg: u8,
    pub op: u8,
    pub count: u8,
    pub is_signed: u8,
    pub is_string: u8,
    pub pad: [u8; 3],
    pub slot: u32,
    pub pad2: u32,
    pub values: [u64; MAX_INLINE * 2],
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhAction {
    pub kind: u8,
    pub scope: u8,
    pub kernel_stack: u8,
    pub user_stack: u8,
    pub arg: i32,
    pub rate_ns: u64,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhSelector {
    pub n_pids: u8,
    pub n_ns: u8,
    pub n_caps: u8,
    pub n_capchg: u8,
    pub n_args: u8,
    pub n_ret: u8,
    pub n_actions: u8,
    pub has_bins: u8,
    pub has_parent_bins: u8,
    pub has_nschg: u8,
    pub nschg_op: u8,
    pub pad: u8,
    pub nschg_mask: u32,
    pub pids: [GhPidFilter; MAX_PID_FILTERS],
    pub ns: [GhNsFilter; MAX_NS_FILTERS],
    pub caps: [GhCapFilter; MAX_CAP_FILTERS],
    pub capchg: [GhCapFilter; MAX_CAP_FILTERS],
    pub bins: GhBinFilter,
    pub parent_bins: GhBinFilter,
    pub args: [GhArgFilter; MAX_MATCH_ARGS],
    pub ret: [GhArgFilter; MAX_MATCH_ARGS],
    pub actions: [GhAction; MAX_ACTIONS],
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhConfig {
    pub hook_id: u32,
    pub n_args: u8,
    pub n_selectors: u8,
    pub has_return: u8,
    pub ret_type: u8,
    pub syscall: u8,
    pub pad: [u8; 3],
    pub func_id: u32,
    /// 0, or the id under which `policy_filter` lists the policy's cgroups.
    pub policy_id: u32,
    pub pad2: u32,
    pub args: [GhArg; MAX_ARGS],
    pub sel: [GhSelector; MAX_SELECTORS],
}

/// `struct policy_filter_key`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolicyFilterKey {
    pub policy_id: u32,
    pub pad: u32,
    pub cgroup_id: u64,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhStrKey {
    pub prefixlen: u32,
    pub slot: u32,
    pub data: [u8; STR_KEY],
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct GhIntKey {
    pub slot: u32,
    pub pad: u32,
    pub value: u64,
}

/// `struct exec_entry`: the base sensor's per-process facts for filters.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct ExecEntry {
    pub tgid: u32,
    pub ppid: u32,
    pub nspid: u32,
    pub binary_len: u32,
    pub ns: [u32; NS_KINDS],
    pub cap_permitted: u64,
    pub cap_effective: u64,
    pub cap_inheritable: u64,
    pub binary: [u8; BINARY_MAX],
}

/// `struct record_generic`, header included.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct RecordGeneric {
    pub kind: u32,
    pub size: u32,
    pub ktime: u64,
    pub pid: u32,
    pub tid: u32,
    pub hook_id: u32,
    pub func_id: u32,
    pub ret: i64,
    pub flags: u32,
    pub selector: u32,
    pub action: u32,
    pub args_len: u32,
    pub kernel_stack_id: i64,
    pub user_stack_id: i64,
}

// The C side's sizes (gcc and clang -target bpf agree on LP64 layouts).
const _: () = assert!(size_of::<GhArg>() == 16);
const _: () = assert!(size_of::<GhPidFilter>() == 68);
const _: () = assert!(size_of::<GhNsFilter>() == 36);
const _: () = assert!(size_of::<GhArgFilter>() == 144);
const _: () = assert!(size_of::<GhSelector>() == 2128);
const _: () = assert!(size_of::<GhConfig>() == 10744);
const _: () = assert!(size_of::<GhStrKey>() == 260);
const _: () = assert!(size_of::<PolicyFilterKey>() == 16);
const _: () = assert!(size_of::<ExecEntry>() == 336);
const _: () = assert!(size_of::<RecordGeneric>() == 72);
