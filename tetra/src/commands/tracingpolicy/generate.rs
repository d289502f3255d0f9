//! `tetra tp generate empty|all-syscalls|all-syscalls-list|ftrace-list`:
//! policy YAML to start from, printed on stdout. The syscalls are those of
//! the syscall table (tetragon-policy's) that the running kernel has; the
//! ftrace list is the kernel's traceable functions, optionally filtered.

use std::{
    collections::HashSet,
    fs,
    io::{BufRead, BufReader},
};

use anyhow::{Context, Result, bail};
use serde_yaml::{Mapping, Value};
use tetragon_policy::syscalls::Arch;

use crate::{
    cli::{GenerateArgs, GenerateCommand},
    output::write_stdout,
};

const TRACEFS_DIRS: &[&str] = &["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];

pub fn run(args: &GenerateArgs) -> Result<()> {
    let binary = args.match_binary.as_deref();
    let policy = match &args.what {
        GenerateCommand::Empty => policy("empty", Mapping::new()),
        GenerateCommand::AllSyscalls => {
            let kprobes = available_syscalls()?
                .into_iter()
                .map(|call| kprobe(&call, true, binary))
                .collect();
            policy("syscalls", spec(None, kprobes))
        }
        GenerateCommand::AllSyscallsList => {
            let list = list("syscalls", Some("syscalls"), available_syscalls()?);
            policy(
                "syscalls",
                spec(Some(list), vec![kprobe("list:syscalls", true, binary)]),
            )
        }
        GenerateCommand::FtraceList { regex } => {
            let list = list("ftrace", None, ftrace_functions(regex.as_deref())?);
            policy(
                "ftrace",
                spec(Some(list), vec![kprobe("list:ftrace", false, binary)]),
            )
        }
    };
    write_stdout(&serde_yaml::to_string(&policy)?)?;
    Ok(())
}

fn policy(name: &str, spec: Mapping) -> Value {
    let mut metadata = Mapping::new();
    metadata.insert("name".into(), name.into());
    let mut p = Mapping::new();
    p.insert("apiVersion".into(), "cilium.io/v1alpha1".into());
    p.insert("kind".into(), "TracingPolicy".into());
    p.insert("metadata".into(), Value::Mapping(metadata));
    p.insert("spec".into(), Value::Mapping(spec));
    Value::Mapping(p)
}

fn spec(list: Option<Value>, kprobes: Vec<Value>) -> Mapping {
    let mut spec = Mapping::new();
    if let Some(list) = list {
        spec.insert("lists".into(), Value::Sequence(vec![list]));
    }
    spec.insert("kprobes".into(), Value::Sequence(kprobes));
    spec
}

fn list(name: &str, kind: Option<&str>, values: Vec<String>) -> Value {
    let mut list = Mapping::new();
    list.insert("name".into(), name.into());
    if let Some(kind) = kind {
        list.insert("type".into(), kind.into());
    }
    list.insert(
        "values".into(),
        Value::Sequence(values.into_iter().map(Value::from).collect()),
    );
    Value::Mapping(list)
}

/// `call: ...`, `syscall: true` when it is one, and with `-m BINARY` a
/// selector matching that binary.
fn kprobe(call: &str, syscall: bool, binary: Option<&str>) -> Value {
    let mut k = Mapping::new();
    k.insert("call".into(), call.into());
    if syscall {
        k.insert("syscall".into(), true.into());
    }
    if let Some(binary) = binary {
        let mut matcher = Mapping::new();
        matcher.insert("operator".into(), "In".into());
        matcher.insert("values".into(), Value::Sequence(vec![binary.into()]));
        let mut selector = Mapping::new();
        selector.insert(
            "matchBinaries".into(),
            Value::Sequence(vec![Value::Mapping(matcher)]),
        );
        k.insert(
            "selectors".into(),
            Value::Sequence(vec![Value::Mapping(selector)]),
        );
    }
    Value::Mapping(k)
}

/// `sys_<name>` for each syscall of this architecture that the running
/// kernel has (its `__x64_sys_<name>` symbol is in /proc/kallsyms).
fn available_syscalls() -> Result<Vec<String>> {
    let Some(arch) = Arch::host() else {
        bail!(
            "no syscall table for {}: only x86_64 and arm64 have one",
            std::env::consts::ARCH
        );
    };
    let prefix = format!("{}sys_", arch.symbol_prefix());
    let kallsyms = fs::File::open("/proc/kallsyms")
        .context("cannot tell which syscalls this kernel has: /proc/kallsyms")?;
    let in_kernel: HashSet<String> = BufReader::new(kallsyms)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| {
            let symbol = line.split_whitespace().nth(2)?;
            symbol.strip_prefix(&prefix).map(str::to_string)
        })
        .collect();
    let names: Vec<String> = arch
        .table()
        .iter()
        .filter(|(name, _)| in_kernel.contains(*name))
        .map(|(name, _)| format!("sys_{name}"))
        .collect();
    if names.is_empty() {
        bail!(
            "no syscall of the {} table is in /proc/kallsyms",
            arch.name()
        );
    }
    Ok(names)
}

/// The kernel's traceable functions (tracefs' available_filter_functions,
/// modules' left out), sorted, those matching `regex` when given.
fn ftrace_functions(regex: Option<&str>) -> Result<Vec<String>> {
    let regex = regex
        .map(regex::Regex::new)
        .transpose()
        .context("--regex")?;
    let Some(tracefs) = TRACEFS_DIRS
        .iter()
        .find(|dir| std::path::Path::new(dir).join("trace_pipe").exists())
    else {
        bail!(
            "tracefs is not mounted (looked in {})",
            TRACEFS_DIRS.join(" and ")
        );
    };
    let path = format!("{tracefs}/available_filter_functions");
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{path} does not exist: this kernel has no function tracer (CONFIG_FUNCTION_TRACER)"
        ),
        Err(e) => bail!("{path}: {e}"),
    };
    let mut names: Vec<String> = text
        .lines()
        // `name [module]`: the kernel's own functions come first.
        .take_while(|l| !l.contains(' '))
        .filter(|l| !l.is_empty() && !l.contains("__ftrace_invalid_address__"))
        .filter(|l| regex.as_ref().is_none_or(|r| r.is_match(l)))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        bail!(
            "ftrace: '{}' not found",
            regex.map(|r| r.to_string()).unwrap_or_default()
        );
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_policy() {
        let yaml = serde_yaml::to_string(&policy("empty", Mapping::new())).unwrap();
        assert_eq!(
            yaml,
            "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: empty\nspec: {}\n"
        );
    }

    #[test]
    fn a_syscall_list_policy_with_a_binary_selector() {
        let l = list(
            "syscalls",
            Some("syscalls"),
            vec!["sys_read".into(), "sys_write".into()],
        );
        let p = policy(
            "syscalls",
            spec(
                Some(l),
                vec![kprobe("list:syscalls", true, Some("/usr/bin/cat"))],
            ),
        );
        assert_eq!(
            serde_yaml::to_string(&p).unwrap(),
            "\
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: syscalls
spec:
  lists:
  - name: syscalls
    type: syscalls
    values:
    - sys_read
    - sys_write
  kprobes:
  - call: list:syscalls
    syscall: true
    selectors:
    - matchBinaries:
      - operator: In
        values:
        - /usr/bin/cat
"
        );
    }

    #[test]
    fn this_kernel_has_read_and_write() {
        if Arch::host().is_none() || !std::path::Path::new("/proc/kallsyms").exists() {
            return;
        }
        let names = available_syscalls().unwrap();
        assert!(names.iter().any(|n| n == "sys_read"), "{names:?}");
        assert!(names.iter().any(|n| n == "sys_openat"));
    }
}
