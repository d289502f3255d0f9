//! Arguments: where each is read from and as what.

use tetragon_policy::{ArgSpec, ArgType};

use super::{ArgInfo, Problems};
use crate::policy::{
    kernel_abi::{
        ArgKind, CHAR_BUF_MAX, GhArg, GhConfig, MAX_ARGS, MAX_DATA, MAX_RAW, SRC_FIELD, SRC_RAW,
    },
    tracefs::Field,
};

/// The kernel's reading of an integer type.
pub fn int_kind(ty: ArgType) -> Option<ArgKind> {
    let w = ty.int_width()?;
    Some(match (w.bits, w.signed) {
        (8, true) => ArgKind::S8,
        (8, false) => ArgKind::U8,
        (16, true) => ArgKind::S16,
        (16, false) => ArgKind::U16,
        (32, true) => ArgKind::S32,
        (32, false) => ArgKind::U32,
        (_, true) => ArgKind::S64,
        (_, false) => ArgKind::U64,
    })
}

/// The position in `args` of the argument declared with `index`.
pub fn position_by_index(args: &[ArgSpec], index: u32) -> Option<usize> {
    args.iter().position(|a| a.index == index)
}

fn max_bytes(spec: &ArgSpec) -> u32 {
    if spec.max_data {
        MAX_DATA
    } else {
        CHAR_BUF_MAX
    }
}

fn unsupported(spec: &ArgSpec, path: &str, problems: &mut Problems) {
    problems.add(
        format!("{path}.type"),
        format!(
            "type `{}` needs a kernel-function hook (kprobes), which this engine does not serve yet; \
             on syscalls, tracepoints and uprobes use int, uint32, int64, uint64, size_t, long, \
             string, char_buf, char_iovec, fd or filename",
            spec.ty.name()
        ),
    );
}

/// Adds an argument the hook reads, in the kernel's and user space's lists.
fn push(
    config: &mut GhConfig,
    infos: &mut Vec<ArgInfo>,
    mut arg: GhArg,
    kind: ArgKind,
    spec: &ArgSpec,
) {
    arg.ty = kind as u8;
    config.args[infos.len()] = arg;
    infos.push(ArgInfo {
        kind,
        ty: spec.ty,
        label: spec.label.clone(),
    });
    config.n_args = infos.len() as u8;
}

/// Syscall and uprobe arguments: the raw values (syscall arguments or
/// registers), pointers into the calling process's memory.
pub fn raw_args(
    specs: &[ArgSpec],
    path: &str,
    config: &mut GhConfig,
    problems: &mut Problems,
) -> Vec<ArgInfo> {
    let mut infos = Vec::new();
    for (i, spec) in specs.iter().enumerate().take(MAX_ARGS) {
        let at = format!("{path}.args[{i}]");
        if spec.index as usize >= MAX_RAW {
            problems.add(
                format!("{at}.index"),
                format!("index {} is past the sixth argument", spec.index),
            );
            continue;
        }
        let mut arg = GhArg {
            source: SRC_RAW,
            user: 1,
            offset: spec.index as u16,
            ..bytemuck::Zeroable::zeroed()
        };
        let kind = match spec.ty.canonical() {
            ArgType::String | ArgType::Filename => ArgKind::String,
            ArgType::CharBuf => ArgKind::CharBuf,
            ArgType::CharIovec => ArgKind::CharIovec,
            ArgType::Fd => ArgKind::Fd,
            ty => match int_kind(ty) {
                Some(kind) => kind,
                None => {
                    unsupported(spec, &at, problems);
                    continue;
                }
            },
        };
        arg.max_bytes = match kind {
            ArgKind::CharBuf | ArgKind::CharIovec => max_bytes(spec),
            _ => CHAR_BUF_MAX,
        };
        arg.return_copy = spec.return_copy as u8;
        if spec.size_arg_index > 0 {
            let size_at = spec.size_arg_index - 1;
            if size_at as usize >= MAX_RAW {
                problems.add(
                    format!("{at}.sizeArgIndex"),
                    format!("{} is past the sixth argument", spec.size_arg_index),
                );
            }
            arg.has_size = 1;
            arg.size_offset = size_at as u16;
        }
        push(config, &mut infos, arg, kind, spec);
    }
    infos
}

/// Tracepoint arguments: fields of the record, `index` counting the
/// format's fields from the first common one.
pub fn field_args(
    specs: &[ArgSpec],
    fields: &[Field],
    user_pointers: bool,
    path: &str,
    config: &mut GhConfig,
    problems: &mut Problems,
) -> Vec<ArgInfo> {
    let mut infos = Vec::new();
    for (i, spec) in specs.iter().enumerate().take(MAX_ARGS) {
        let at = format!("{path}.args[{i}]");
        let Some(field) = fields.get(spec.index as usize) else {
            problems.add(
                format!("{at}.index"),
                format!(
                    "index {} is past the tracepoint's last field ({} fields)",
                    spec.index,
                    fields.len()
                ),
            );
            continue;
        };
        let mut arg = GhArg {
            source: SRC_FIELD,
            offset: field.offset,
            size: field.size.min(8) as u8,
            user: user_pointers as u8,
            max_bytes: CHAR_BUF_MAX,
            ..bytemuck::Zeroable::zeroed()
        };
        let kind = match spec.ty.canonical() {
            ArgType::String | ArgType::Filename | ArgType::DataLoc => {
                if field.is_data_loc() {
                    arg.size = 4;
                    ArgKind::DataLoc
                } else if field.is_char_array() {
                    arg.max_bytes = u32::from(field.size);
                    ArgKind::InlineStr
                } else if field.is_pointer() || field.size == 8 {
                    ArgKind::String
                } else {
                    problems.add(
                        format!("{at}.type"),
                        format!("field `{}` is `{}`: not a string", field.name, field.ty),
                    );
                    continue;
                }
            }
            ArgType::CharBuf => {
                arg.max_bytes = max_bytes(spec);
                ArgKind::CharBuf
            }
            ArgType::Fd => ArgKind::Fd,
            ty => match int_kind(ty) {
                Some(kind) => kind,
                None => {
                    unsupported(spec, &at, problems);
                    continue;
                }
            },
        };
        if spec.size_arg_index > 0 {
            match fields.get(spec.size_arg_index as usize - 1) {
                Some(size) => {
                    arg.has_size = 1;
                    arg.size_offset = size.offset;
                    arg.size_size = size.size.min(8) as u8;
                }
                None => problems.add(
                    format!("{at}.sizeArgIndex"),
                    format!(
                        "{} is past the tracepoint's last field",
                        spec.size_arg_index
                    ),
                ),
            }
        }
        if spec.return_copy {
            problems.add(
                format!("{at}.returnCopy"),
                "a tracepoint has no return to copy at",
            );
        }
        push(config, &mut infos, arg, kind, spec);
    }
    infos
}
