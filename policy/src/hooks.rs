//! Hook points: kprobes, tracepoints and uprobes, and the arguments they read.

use crate::arg_type::ArgType;
use crate::selectors::Selector;

/// An argument a hook reads (`args[]`, `data[]`, `returnArg`).
#[derive(Debug, Clone, PartialEq)]
pub struct ArgSpec {
    /// `index`: the argument's position in the function (or the tracepoint's field index).
    pub index: u32,
    /// `type`.
    pub ty: ArgType,
    /// `label`: the name shown in events.
    pub label: Option<String>,
    /// `sizeArgIndex`: 1-based position of the argument holding this buffer's size; 0 = none.
    pub size_arg_index: u32,
    /// `returnCopy`: read the buffer when the function returns.
    pub return_copy: bool,
    /// `maxData`: read up to [`MAX_DATA`](crate::limits::MAX_DATA) bytes of a `char_buf`.
    pub max_data: bool,
    /// `resolve`: a path of struct fields to follow from the argument (BTF).
    pub resolve: Option<String>,
    /// `source`: where `data` entries are read from.
    pub source: Option<String>,
    /// `btfType`: the struct the argument is cast to before `resolve`.
    pub btf_type: Option<String>,
    /// `btfTypeModule`: the kernel module holding `btfType`.
    pub btf_type_module: Option<String>,
}

impl Default for ArgSpec {
    fn default() -> Self {
        ArgSpec {
            index: 0,
            ty: ArgType::Int,
            label: None,
            size_arg_index: 0,
            return_copy: false,
            max_data: false,
            resolve: None,
            source: None,
            btf_type: None,
            btf_type_module: None,
        }
    }
}

/// The argument declared with `index`, if any.
pub fn arg_by_index(args: &[ArgSpec], index: u32) -> Option<&ArgSpec> {
    args.iter().find(|a| a.index == index)
}

/// `ignore` of a kprobe.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KProbeIgnore {
    /// `callNotFound`: skip the hook when the function does not exist.
    pub call_not_found: bool,
}

/// `spec.kprobes[]`: a kernel function or syscall hook.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KProbeSpec {
    /// `call`: the function (`fd_install`, `sys_openat`) or `list:NAME`.
    pub call: String,
    /// `syscall`: whether `call` is a syscall (default false).
    pub syscall: bool,
    /// `return`: also hook the return.
    pub return_: bool,
    /// `message`.
    pub message: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `args`.
    pub args: Vec<ArgSpec>,
    /// `data`: extra values to read (BTF).
    pub data: Vec<ArgSpec>,
    /// `returnArg`: how to read the return value.
    pub return_arg: Option<ArgSpec>,
    /// `returnArgAction`: `TrackSock` or `UntrackSock` on the return value.
    pub return_arg_action: Option<String>,
    /// `selectors`.
    pub selectors: Vec<Selector>,
    /// `ignore`.
    pub ignore: Option<KProbeIgnore>,
}

impl KProbeSpec {
    /// The list name when `call` is `list:NAME`.
    pub fn list_name(&self) -> Option<&str> {
        self.call.strip_prefix("list:")
    }
}

/// `spec.tracepoints[]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TracepointSpec {
    /// `subsystem` (`syscalls`, `raw_syscalls`, `sched`...).
    pub subsystem: String,
    /// `event` (`sys_enter_openat`...).
    pub event: String,
    /// `message`.
    pub message: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `args`: `index` is the field index in the tracepoint's format (raw: the argument).
    pub args: Vec<ArgSpec>,
    /// `selectors`.
    pub selectors: Vec<Selector>,
    /// `raw`: attach as a raw tracepoint and read the raw arguments.
    pub raw: bool,
}

impl TracepointSpec {
    /// The position in `args` that a `matchArgs` `index` refers to. The index names a
    /// tracepoint field (an `args[].index`); older policies used the position in `args`
    /// instead, which is accepted when no field has that index (as upstream does).
    pub fn match_arg_position(&self, index: u32) -> Option<usize> {
        self.args.iter().position(|a| a.index == index).or({
            if (index as usize) < self.args.len() {
                Some(index as usize)
            } else {
                None
            }
        })
    }
}

/// `ignore` of a uprobe.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UProbeIgnore {
    /// `digestVerificationFailure`.
    pub digest_verification_failure: bool,
}

/// `spec.uprobes[]`: a user-space function hook.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UProbeSpec {
    /// `path`: the binary or library.
    pub path: String,
    /// `btfPath`: BTF for the binary.
    pub btf_path: Option<String>,
    /// `symbols`.
    pub symbols: Vec<String>,
    /// `offsets`: file offsets, instead of symbols.
    pub offsets: Vec<u64>,
    /// `addrs`: addresses, instead of symbols.
    pub addrs: Vec<u64>,
    /// `refCtrOffsets`: USDT semaphore offsets, one per symbol or offset.
    pub ref_ctr_offsets: Vec<u64>,
    /// `message`.
    pub message: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `args`.
    pub args: Vec<ArgSpec>,
    /// `data`.
    pub data: Vec<ArgSpec>,
    /// `selectors`.
    pub selectors: Vec<Selector>,
    /// `return`.
    pub return_: bool,
    /// `returnArg`.
    pub return_arg: Option<ArgSpec>,
    /// `binaryDigests`: attach only when the binary has one of these digests.
    pub binary_digests: Vec<String>,
    /// `ignore`.
    pub ignore: Option<UProbeIgnore>,
}
