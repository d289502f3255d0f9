//! The typed value of a kprobe argument; its zero value (`None` for [`file_arg`]) when the
//! argument has another shape.

use tetragon_api::tetragon::kprobe_argument::Arg;
use tetragon_api::tetragon::{
    KprobeArgument, KprobeBpfAttr, KprobeBpfMap, KprobeFile, KprobePerfEvent, KprobeSock,
};

pub(super) fn file_arg(arg: &KprobeArgument) -> Option<&KprobeFile> {
    match &arg.arg {
        Some(Arg::FileArg(file)) => Some(file),
        _ => None,
    }
}

pub(super) fn file_path(arg: &KprobeArgument) -> &str {
    file_arg(arg).map_or("", |file| file.path.as_str())
}

/// The path of a `path_arg` (`struct path`).
pub(super) fn path_arg_path(arg: &KprobeArgument) -> &str {
    match &arg.arg {
        Some(Arg::PathArg(path)) => &path.path,
        _ => "",
    }
}

/// The path of a `linux_binprm_arg` (the program being executed).
pub(super) fn binprm_path(arg: &KprobeArgument) -> &str {
    match &arg.arg {
        Some(Arg::LinuxBinprmArg(binprm)) => &binprm.path,
        _ => "",
    }
}

pub(super) fn string_arg(arg: &KprobeArgument) -> &str {
    match &arg.arg {
        Some(Arg::StringArg(s)) => s,
        _ => "",
    }
}

pub(super) fn int_arg(arg: &KprobeArgument) -> i32 {
    match arg.arg {
        Some(Arg::IntArg(v)) => v,
        _ => 0,
    }
}

pub(super) fn uint_arg(arg: &KprobeArgument) -> u32 {
    match arg.arg {
        Some(Arg::UintArg(v)) => v,
        _ => 0,
    }
}

pub(super) fn size_arg(arg: &KprobeArgument) -> u64 {
    match arg.arg {
        Some(Arg::SizeArg(v)) => v,
        _ => 0,
    }
}

pub(super) fn sock_arg(arg: &KprobeArgument) -> KprobeSock {
    match &arg.arg {
        Some(Arg::SockArg(sock)) => sock.clone(),
        _ => Default::default(),
    }
}

pub(super) fn bpf_attr_arg(arg: &KprobeArgument) -> KprobeBpfAttr {
    match &arg.arg {
        Some(Arg::BpfAttrArg(attr)) => attr.clone(),
        _ => Default::default(),
    }
}

pub(super) fn perf_event_arg(arg: &KprobeArgument) -> KprobePerfEvent {
    match &arg.arg {
        Some(Arg::PerfEventArg(perf)) => perf.clone(),
        _ => Default::default(),
    }
}

pub(super) fn bpf_map_arg(arg: &KprobeArgument) -> KprobeBpfMap {
    match &arg.arg {
        Some(Arg::BpfMapArg(map)) => map.clone(),
        _ => Default::default(),
    }
}
