//! Argument types: how a hook argument is read and printed (`args[].type`).

/// An argument's `type`, one variant per name upstream accepts (aliases included, so that
/// [`ArgType::name`] gives back what the policy said; [`ArgType::canonical`] folds aliases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArgType {
    /// `auto`: the type is taken from the kernel's BTF.
    Auto,
    /// `int` (signed 32-bit).
    Int,
    /// `int8`.
    Int8,
    /// `sint8`, alias of `int8`.
    Sint8,
    /// `uint8`.
    Uint8,
    /// `int16`.
    Int16,
    /// `sint16`, alias of `int16`.
    Sint16,
    /// `uint16`.
    Uint16,
    /// `int32`.
    Int32,
    /// `sint32`, alias of `int32`.
    Sint32,
    /// `uint32`.
    Uint32,
    /// `int64`.
    Int64,
    /// `sint64`, alias of `int64`.
    Sint64,
    /// `long`, alias of `int64`.
    Long,
    /// `uint64`.
    Uint64,
    /// `ulong` (also spelled `unsigned long`), alias of `uint64`.
    Ulong,
    /// `size_t`.
    SizeT,
    /// `syscall64`: a 64-bit syscall id, printed with its name.
    Syscall64,
    /// `bpf_cmd`: a bpf(2) command number, printed with its name.
    BpfCmd,
    /// `string`: a NUL-terminated string in memory.
    String,
    /// `char_buf`: a byte buffer, usually sized by `sizeArgIndex`.
    CharBuf,
    /// `char_iovec`: an iovec array, sized by `sizeArgIndex`.
    CharIovec,
    /// `const_buf`: a buffer of a size given by `sizeArgIndex` as a constant.
    ConstBuf,
    /// `fd`: a file descriptor, resolved to its path when followed.
    Fd,
    /// `filename`: a `struct filename *`.
    Filename,
    /// `file`: a `struct file *`, matched by its path.
    File,
    /// `path`: a `struct path *`.
    Path,
    /// `dentry`: a `struct dentry *`.
    Dentry,
    /// `linux_binprm`: a `struct linux_binprm *`, matched by its file's path.
    LinuxBinprm,
    /// `data_loc`: a tracepoint `__data_loc` string.
    DataLoc,
    /// `net_device`: a `struct net_device *`, matched by name.
    NetDevice,
    /// `sock`: a `struct sock *`.
    Sock,
    /// `socket`: a `struct socket *`.
    Socket,
    /// `skb`: a `struct sk_buff *`.
    Skb,
    /// `sockaddr`: a `struct sockaddr *`.
    Sockaddr,
    /// `sockaddr_un`: a `struct sockaddr_un *`.
    SockaddrUn,
    /// `cred`: a `struct cred *`.
    Cred,
    /// `nop`: the argument is not read.
    Nop,
    /// `bpf_attr`: a `union bpf_attr *`.
    BpfAttr,
    /// `perf_event`: a `struct perf_event *`.
    PerfEvent,
    /// `bpf_map`: a `struct bpf_map *`.
    BpfMap,
    /// `bpf_prog`: a `struct bpf_prog *`.
    BpfProg,
    /// `user_namespace`: a `struct user_namespace *`.
    UserNamespace,
    /// `capability`: a capability number.
    Capability,
    /// `kiocb`: a `struct kiocb *`.
    Kiocb,
    /// `iov_iter`: a `struct iov_iter *`.
    IovIter,
    /// `load_info`: a `struct load_info *` (module loading).
    LoadInfo,
    /// `module`: a `struct module *`.
    Module,
    /// `kernel_cap_t`: a capability set.
    KernelCapT,
    /// `cap_inheritable`: the inheritable set of a `struct cred *`.
    CapInheritable,
    /// `cap_permitted`: the permitted set of a `struct cred *`.
    CapPermitted,
    /// `cap_effective`: the effective set of a `struct cred *`.
    CapEffective,
}

/// Every type with its name, in the order upstream documents them.
const NAMES: &[(ArgType, &str)] = &[
    (ArgType::Auto, "auto"),
    (ArgType::Int, "int"),
    (ArgType::Sint8, "sint8"),
    (ArgType::Int8, "int8"),
    (ArgType::Uint8, "uint8"),
    (ArgType::Sint16, "sint16"),
    (ArgType::Int16, "int16"),
    (ArgType::Uint16, "uint16"),
    (ArgType::Uint32, "uint32"),
    (ArgType::Sint32, "sint32"),
    (ArgType::Int32, "int32"),
    (ArgType::Ulong, "ulong"),
    (ArgType::Uint64, "uint64"),
    (ArgType::SizeT, "size_t"),
    (ArgType::Long, "long"),
    (ArgType::Sint64, "sint64"),
    (ArgType::Int64, "int64"),
    (ArgType::CharBuf, "char_buf"),
    (ArgType::CharIovec, "char_iovec"),
    (ArgType::Skb, "skb"),
    (ArgType::Sock, "sock"),
    (ArgType::Sockaddr, "sockaddr"),
    (ArgType::Socket, "socket"),
    (ArgType::SockaddrUn, "sockaddr_un"),
    (ArgType::String, "string"),
    (ArgType::Fd, "fd"),
    (ArgType::File, "file"),
    (ArgType::Filename, "filename"),
    (ArgType::Path, "path"),
    (ArgType::Nop, "nop"),
    (ArgType::BpfAttr, "bpf_attr"),
    (ArgType::PerfEvent, "perf_event"),
    (ArgType::BpfMap, "bpf_map"),
    (ArgType::UserNamespace, "user_namespace"),
    (ArgType::Capability, "capability"),
    (ArgType::Kiocb, "kiocb"),
    (ArgType::IovIter, "iov_iter"),
    (ArgType::Cred, "cred"),
    (ArgType::ConstBuf, "const_buf"),
    (ArgType::LoadInfo, "load_info"),
    (ArgType::Module, "module"),
    (ArgType::Syscall64, "syscall64"),
    (ArgType::KernelCapT, "kernel_cap_t"),
    (ArgType::CapInheritable, "cap_inheritable"),
    (ArgType::CapPermitted, "cap_permitted"),
    (ArgType::CapEffective, "cap_effective"),
    (ArgType::LinuxBinprm, "linux_binprm"),
    (ArgType::DataLoc, "data_loc"),
    (ArgType::NetDevice, "net_device"),
    (ArgType::BpfCmd, "bpf_cmd"),
    (ArgType::Dentry, "dentry"),
    (ArgType::BpfProg, "bpf_prog"),
];

/// Integer width and signedness, for checking values written for an integer argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntWidth {
    /// Size in bits (8, 16, 32 or 64).
    pub bits: u32,
    /// Whether negative values are allowed.
    pub signed: bool,
}

impl IntWidth {
    /// Smallest value of this width.
    pub fn min(&self) -> i128 {
        if self.signed {
            -(1i128 << (self.bits - 1))
        } else {
            0
        }
    }

    /// Largest value of this width.
    pub fn max(&self) -> i128 {
        if self.signed {
            (1i128 << (self.bits - 1)) - 1
        } else {
            (1i128 << self.bits) - 1
        }
    }
}

impl ArgType {
    /// Parses a type name as upstream spells it (`int`, `char_buf`, `unsigned long`, ...).
    pub fn from_name(name: &str) -> Option<ArgType> {
        if name == "unsigned long" {
            return Some(ArgType::Ulong);
        }
        NAMES.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
    }

    /// The name as upstream spells it.
    pub fn name(&self) -> &'static str {
        NAMES
            .iter()
            .find(|(t, _)| t == self)
            .map(|(_, n)| *n)
            .unwrap_or("auto")
    }

    /// Every type name, for error hints and documentation.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(_, n)| *n)
    }

    /// Folds aliases: `long`/`sint64` to `int64`, `ulong` to `uint64`, `sintN` to `intN`.
    pub fn canonical(&self) -> ArgType {
        match self {
            ArgType::Sint8 => ArgType::Int8,
            ArgType::Sint16 => ArgType::Int16,
            ArgType::Sint32 => ArgType::Int32,
            ArgType::Sint64 | ArgType::Long => ArgType::Int64,
            ArgType::Ulong => ArgType::Uint64,
            other => *other,
        }
    }

    /// Width and signedness when this is an integer type.
    pub fn int_width(&self) -> Option<IntWidth> {
        let (bits, signed) = match self.canonical() {
            ArgType::Int8 => (8, true),
            ArgType::Uint8 => (8, false),
            ArgType::Int16 => (16, true),
            ArgType::Uint16 => (16, false),
            ArgType::Int | ArgType::Int32 | ArgType::BpfCmd => (32, true),
            ArgType::Uint32 => (32, false),
            ArgType::Int64 | ArgType::Syscall64 => (64, true),
            ArgType::Uint64 | ArgType::SizeT => (64, false),
            _ => return None,
        };
        Some(IntWidth { bits, signed })
    }

    /// Integer types: compared with Equal, Mask, GreaterThan, InRange, InMap...
    pub fn is_integer(&self) -> bool {
        self.int_width().is_some()
    }

    /// Types read as a string or path, compared with Equal, Prefix, Postfix...
    pub fn is_string_like(&self) -> bool {
        matches!(
            self,
            ArgType::String
                | ArgType::CharBuf
                | ArgType::CharIovec
                | ArgType::Fd
                | ArgType::Filename
                | ArgType::File
                | ArgType::Path
                | ArgType::LinuxBinprm
                | ArgType::Dentry
                | ArgType::DataLoc
                | ArgType::NetDevice
                | ArgType::SockaddrUn
        )
    }

    /// Socket types, compared with the port, address, protocol, family and state operators.
    pub fn is_socket(&self) -> bool {
        matches!(
            self,
            ArgType::Sock | ArgType::Socket | ArgType::Skb | ArgType::Sockaddr
        )
    }

    /// Capability-set types, compared with capability names.
    pub fn is_capability_set(&self) -> bool {
        matches!(
            self,
            ArgType::KernelCapT
                | ArgType::CapInheritable
                | ArgType::CapPermitted
                | ArgType::CapEffective
        )
    }

    /// Types that name a file (FileType operators apply).
    pub fn is_file(&self) -> bool {
        matches!(
            self,
            ArgType::Fd | ArgType::File | ArgType::Path | ArgType::Dentry | ArgType::LinuxBinprm
        )
    }
}

impl std::fmt::Display for ArgType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in ArgType::all_names() {
            let t = ArgType::from_name(name).expect(name);
            assert_eq!(t.name(), name);
        }
        assert_eq!(ArgType::from_name("unsigned long"), Some(ArgType::Ulong));
        assert_eq!(ArgType::from_name("Int"), None);
    }

    #[test]
    fn widths() {
        assert_eq!(
            ArgType::Long.int_width(),
            Some(IntWidth {
                bits: 64,
                signed: true
            })
        );
        assert_eq!(
            IntWidth {
                bits: 8,
                signed: true
            }
            .min(),
            -128
        );
        assert_eq!(
            IntWidth {
                bits: 32,
                signed: false
            }
            .max(),
            4294967295
        );
        assert!(ArgType::SizeT.is_integer());
        assert!(!ArgType::String.is_integer());
        assert!(ArgType::Filename.is_string_like());
    }
}
