//! Policy hook records to process_kprobe, process_tracepoint and
//! process_uprobe events.

use tetragon_api::tetragon::{
    KprobeAction, KprobeArgument, KprobeFile, KprobeTruncatedBytes, ProcessKprobe,
    ProcessTracepoint, ProcessUprobe, StackTraceEntry, get_events_response::Event,
    kprobe_argument::Arg,
};
use tetragon_policy::{ActionKind, ArgType};

use crate::policy::{
    compile::{ArgInfo, HookKind},
    kernel_abi::{ArgKind, FLAG_RETURN, RecordGeneric},
    registry::RegisteredHook,
};

/// The event's body; process and parent are filled by the builder.
pub fn event(
    hook: &RegisteredHook,
    rec: &RecordGeneric,
    args: &[u8],
    kernel_stack: Vec<StackTraceEntry>,
) -> Event {
    let info = &hook.info;
    let selector = rec.selector as usize;
    let action = info
        .actions
        .get(selector)
        .copied()
        .flatten()
        .map(kprobe_action)
        .unwrap_or(KprobeAction::Post) as i32;
    let args = decode_args(&info.args, args);
    match &info.kind {
        HookKind::Kprobe { functions } => Event::ProcessKprobe(ProcessKprobe {
            function_name: functions.get(&rec.func_id).cloned().unwrap_or_default(),
            args,
            r#return: (rec.flags & FLAG_RETURN != 0)
                .then(|| info.ret.as_ref().map(|r| int_arg(r, rec.ret as u64)))
                .flatten(),
            action,
            kernel_stack_trace: kernel_stack,
            policy_name: hook.policy_name.clone(),
            return_action: if rec.flags & FLAG_RETURN != 0 {
                KprobeAction::Post as i32
            } else {
                0
            },
            message: info.message.clone().unwrap_or_default(),
            tags: info.tags.clone(),
            ..Default::default()
        }),
        HookKind::Tracepoint { subsystem, event } => Event::ProcessTracepoint(ProcessTracepoint {
            subsys: subsystem.clone(),
            event: event.clone(),
            args,
            policy_name: hook.policy_name.clone(),
            action,
            message: info.message.clone().unwrap_or_default(),
            tags: info.tags.clone(),
            ..Default::default()
        }),
        HookKind::Uprobe { path, symbol } => Event::ProcessUprobe(ProcessUprobe {
            path: path.clone(),
            symbol: symbol.clone(),
            policy_name: hook.policy_name.clone(),
            message: info.message.clone().unwrap_or_default(),
            args,
            tags: info.tags.clone(),
            action,
            ..Default::default()
        }),
    }
}

fn kprobe_action(a: ActionKind) -> KprobeAction {
    match a {
        ActionKind::Post => KprobeAction::Post,
        ActionKind::NoPost => KprobeAction::Nopost,
        ActionKind::Sigkill => KprobeAction::Sigkill,
        ActionKind::Signal => KprobeAction::Signal,
        ActionKind::Override => KprobeAction::Override,
        ActionKind::GetUrl => KprobeAction::Geturl,
        ActionKind::DnsLookup => KprobeAction::Dnslookup,
        ActionKind::NotifyEnforcer | ActionKind::NotifyKiller => KprobeAction::Notifyenforcer,
        _ => KprobeAction::Unknown,
    }
}

/// An integer as its declared type prints.
fn int_arg(info: &ArgInfo, v: u64) -> KprobeArgument {
    let arg = match info.ty.canonical() {
        ArgType::Uint8 | ArgType::Uint16 | ArgType::Uint32 => Arg::UintArg(v as u32),
        ArgType::Int64 | ArgType::Syscall64 => Arg::LongArg(v as i64),
        ArgType::Uint64 | ArgType::SizeT => Arg::SizeArg(v),
        _ => Arg::IntArg(v as i32),
    };
    KprobeArgument {
        arg: Some(arg),
        label: info.label.clone().unwrap_or_default(),
    }
}

/// Reads the arguments in the order the hook declared them; a record cut
/// short yields the arguments it holds.
pub fn decode_args(infos: &[ArgInfo], mut data: &[u8]) -> Vec<KprobeArgument> {
    let mut out = Vec::with_capacity(infos.len());
    for info in infos {
        if info.kind.is_integer() {
            let Some((v, rest)) = data.split_first_chunk::<8>() else {
                break;
            };
            out.push(int_arg(info, u64::from_ne_bytes(*v)));
            data = rest;
            continue;
        }
        let Some((len, rest)) = data.split_first_chunk::<4>() else {
            break;
        };
        let Some((orig, rest)) = rest.split_first_chunk::<4>() else {
            break;
        };
        let (len, orig) = (
            u32::from_ne_bytes(*len) as usize,
            u32::from_ne_bytes(*orig) as u64,
        );
        let Some((bytes, rest)) = rest.split_at_checked(len) else {
            break;
        };
        data = rest;
        let label = info.label.clone().unwrap_or_default();
        let arg = match info.kind {
            ArgKind::CharBuf | ArgKind::CharIovec => {
                if orig > len as u64 {
                    Arg::TruncatedBytesArg(KprobeTruncatedBytes {
                        bytes_arg: bytes.to_vec(),
                        orig_size: orig,
                    })
                } else {
                    Arg::BytesArg(bytes.to_vec())
                }
            }
            ArgKind::Fd => Arg::FileArg(KprobeFile {
                path: String::from_utf8_lossy(bytes).into_owned(),
                ..Default::default()
            }),
            _ => Arg::StringArg(String::from_utf8_lossy(bytes).into_owned()),
        };
        out.push(KprobeArgument {
            arg: Some(arg),
            label,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(kind: ArgKind, ty: ArgType) -> ArgInfo {
        ArgInfo {
            kind,
            ty,
            label: None,
        }
    }

    #[test]
    fn reads_integers_strings_and_truncated_buffers_in_order() {
        let mut data = Vec::new();
        data.extend_from_slice(&(-100i64 as u64).to_ne_bytes());
        data.extend_from_slice(&4u32.to_ne_bytes());
        data.extend_from_slice(&4u32.to_ne_bytes());
        data.extend_from_slice(b"/tmp");
        data.extend_from_slice(&2u32.to_ne_bytes());
        data.extend_from_slice(&9u32.to_ne_bytes());
        data.extend_from_slice(b"ab");
        let args = decode_args(
            &[
                info(ArgKind::S32, ArgType::Int),
                info(ArgKind::String, ArgType::String),
                info(ArgKind::CharBuf, ArgType::CharBuf),
            ],
            &data,
        );
        assert_eq!(args[0].arg, Some(Arg::IntArg(-100)));
        assert_eq!(args[1].arg, Some(Arg::StringArg("/tmp".into())));
        assert_eq!(
            args[2].arg,
            Some(Arg::TruncatedBytesArg(KprobeTruncatedBytes {
                bytes_arg: b"ab".to_vec(),
                orig_size: 9
            }))
        );
    }

    #[test]
    fn a_short_record_yields_what_it_holds() {
        let data = 7u64.to_ne_bytes();
        let args = decode_args(
            &[
                info(ArgKind::U64, ArgType::SizeT),
                info(ArgKind::String, ArgType::String),
            ],
            &data,
        );
        assert_eq!(args.len(), 1);
        assert_eq!(args[0].arg, Some(Arg::SizeArg(7)));
    }
}
