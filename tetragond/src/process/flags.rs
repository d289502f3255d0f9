//! The process `flags` string: how a process's details were learnt and
//! what went wrong learning them. Bit values and names follow upstream
//! where it has them (ebpf/include/process_records.h uses the same bits).

pub const EXECVE: u32 = 0x01;
pub const PROCFS: u32 = 0x04;
pub const TRUNC_ARGS: u32 = 0x10;
pub const MISS: u32 = 0x40;
pub const ERROR_FILENAME: u32 = 0x100;
pub const ERROR_ARGS: u32 = 0x200;
pub const NO_CWD_SUPPORT: u32 = 0x800;
pub const ROOT_CWD: u32 = 0x1000;
pub const ERROR_CWD: u32 = 0x2000;
pub const CLONE: u32 = 0x4000;
pub const ERROR_CGROUPS: u32 = 0x100000;
pub const ERROR_PATH_COMPONENTS: u32 = 0x400000;
pub const IN_INIT_TREE: u32 = 0x2000000;
pub const TRUNC_FILENAME: u32 = 0x8000000;

/// In the order upstream prints them.
const NAMES: &[(u32, &str)] = &[
    (EXECVE, "execve"),
    (PROCFS, "procFS"),
    (TRUNC_ARGS, "truncArgs"),
    (MISS, "miss"),
    (ERROR_FILENAME, "errorFilename"),
    (ERROR_ARGS, "errorArgs"),
    (NO_CWD_SUPPORT, "nocwd"),
    (ROOT_CWD, "rootcwd"),
    (ERROR_CWD, "errorCWD"),
    (CLONE, "clone"),
    (ERROR_CGROUPS, "errorCgroups"),
    (ERROR_PATH_COMPONENTS, "errorPathResolutionCwd"),
    (IN_INIT_TREE, "inInitTree"),
    (TRUNC_FILENAME, "truncFilename"),
];

pub fn flag_names(flags: u32) -> String {
    NAMES
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_upstreams_order() {
        assert_eq!(
            flag_names(CLONE | ROOT_CWD | EXECVE),
            "execve rootcwd clone"
        );
        assert_eq!(flag_names(PROCFS | ROOT_CWD), "procFS rootcwd");
        assert_eq!(flag_names(0), "");
    }
}
