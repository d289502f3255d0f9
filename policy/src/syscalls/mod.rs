//! System call numbers for x86_64 and arm64, and syscall symbol names.
//!
//! The tables (`tables.rs`) are generated once from the Linux UAPI headers by
//! `policy/tools/gen_syscalls.py` and committed. Names in the tables are bare
//! (`openat`); the functions here also take the `sys_openat` and `__x64_sys_openat` forms.

mod tables;

/// An architecture with a syscall table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arch {
    /// x86_64 (`__x64_` symbol prefix).
    X86_64,
    /// arm64 / aarch64 (`__arm64_` symbol prefix).
    Arm64,
}

impl Arch {
    /// Both architectures.
    pub const ALL: [Arch; 2] = [Arch::X86_64, Arch::Arm64];

    /// The architecture this program was built for, when it has a table.
    pub fn host() -> Option<Arch> {
        if cfg!(target_arch = "x86_64") {
            Some(Arch::X86_64)
        } else if cfg!(target_arch = "aarch64") {
            Some(Arch::Arm64)
        } else {
            None
        }
    }

    /// The prefix the kernel puts on syscall symbols (`__x64_sys_openat`).
    pub fn symbol_prefix(&self) -> &'static str {
        match self {
            Arch::X86_64 => "__x64_",
            Arch::Arm64 => "__arm64_",
        }
    }

    /// `x86_64` or `arm64`.
    pub fn name(&self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }

    /// The (bare name, number) table, sorted by number.
    pub fn table(&self) -> &'static [(&'static str, u32)] {
        match self {
            Arch::X86_64 => tables::X86_64,
            Arch::Arm64 => tables::ARM64,
        }
    }
}

/// Symbol prefixes that come before `sys_` in kernel syscall symbols.
const SYMBOL_PREFIXES: &[&str] = &["__x64_", "__arm64_", "__ia32_", "__se_", "__do_"];

/// The `sys_NAME` form of a syscall symbol: strips arch prefixes such as `__x64_`,
/// `__arm64_`, `__ia32_`, `__se_` and `__do_` (`__x64_sys_openat` -> `sys_openat`).
/// `None` when what remains does not start with `sys_` (a plain kernel function).
pub fn syscall_base_name(call: &str) -> Option<&str> {
    let mut rest = call;
    while let Some(p) = SYMBOL_PREFIXES.iter().find(|p| rest.starts_with(**p)) {
        rest = &rest[p.len()..];
    }
    if rest.len() > 4 && rest.starts_with("sys_") {
        Some(rest)
    } else {
        None
    }
}

/// The bare name (`openat`) of `openat`, `sys_openat` or `__x64_sys_openat`.
fn bare(name: &str) -> &str {
    match syscall_base_name(name) {
        Some(base) => &base[4..],
        None => name,
    }
}

/// The syscall number of `name` (`openat`, `sys_openat` or `__x64_sys_openat`) on `arch`.
pub fn number(arch: Arch, name: &str) -> Option<u32> {
    let name = bare(name);
    arch.table()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, nr)| *nr)
}

/// The bare name (`openat`) of syscall number `nr` on `arch`.
pub fn name(arch: Arch, nr: u32) -> Option<&'static str> {
    let table = arch.table();
    table
        .binary_search_by_key(&nr, |(_, n)| *n)
        .ok()
        .and_then(|i| table.get(i))
        .map(|(n, _)| *n)
}

/// Whether `name` (in any of the forms [`number`] takes) is a syscall on x86_64 or arm64.
pub fn is_known(name: &str) -> bool {
    Arch::ALL.iter().any(|a| number(*a, name).is_some())
}

/// Every syscall of `arch` as `sys_NAME`, by number (what a `generated_syscalls` list holds).
pub fn all_sys_names(arch: Arch) -> impl Iterator<Item = String> {
    arch.table().iter().map(|(n, _)| format!("sys_{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names() {
        assert_eq!(syscall_base_name("__x64_sys_openat"), Some("sys_openat"));
        assert_eq!(syscall_base_name("__arm64_sys_write"), Some("sys_write"));
        assert_eq!(syscall_base_name("__se_sys_dup"), Some("sys_dup"));
        assert_eq!(syscall_base_name("sys_dup"), Some("sys_dup"));
        assert_eq!(syscall_base_name("fd_install"), None);
        assert_eq!(syscall_base_name("ksys_write"), None);
        assert_eq!(syscall_base_name("sys_"), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(number(Arch::X86_64, "openat"), Some(257));
        assert_eq!(number(Arch::X86_64, "__x64_sys_openat"), Some(257));
        assert_eq!(number(Arch::Arm64, "sys_openat"), Some(56));
        assert_eq!(number(Arch::Arm64, "open"), None);
        assert_eq!(name(Arch::X86_64, 0), Some("read"));
        assert_eq!(name(Arch::Arm64, 63), Some("read"));
        assert_eq!(name(Arch::X86_64, 100_000), None);
        assert!(is_known("sys_open"));
        assert!(is_known("mseal"));
        assert!(!is_known("sys_nonexistent"));
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        for arch in Arch::ALL {
            let t = arch.table();
            assert!(t.len() > 300, "{}", arch.name());
            assert!(t.windows(2).all(|w| w[0].1 < w[1].1), "{}", arch.name());
        }
    }
}
