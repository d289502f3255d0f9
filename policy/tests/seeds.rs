//! Every policy the product documents show (shared/seeds), re-indented (the documents lost
//! their indentation) and, where a document shows only a part, wrapped into a whole policy.

use std::time::Duration;

use tetragon_policy::*;

fn ok(yaml: &str) -> TracingPolicy {
    parse_policy("seed.yaml", yaml).unwrap_or_else(|e| panic!("{e}\n--- policy:\n{yaml}"))
}

/// A whole policy named `name` around a `spec` body written at column 0.
fn wrap(name: &str, spec: &str) -> String {
    let body: String = spec.lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: \"{name}\"\nspec:\n{body}"
    )
}

fn engine_ok(p: &TracingPolicy) -> bool {
    check_engine_support(p).is_ok()
}

const FD_INSTALL: &str = r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "fd-install"
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "/tmp/tetragon"
      matchActions:
      - action: Sigkill
"#;

#[test]
fn fd_install_sigkill() {
    let p = ok(FD_INSTALL);
    assert_eq!(p.api_version, "cilium.io/v1alpha1");
    assert_eq!(p.kind, PolicyKind::TracingPolicy);
    assert_eq!(p.metadata.name, "fd-install");
    let k = &p.spec.kprobes[0];
    assert_eq!(k.call, "fd_install");
    assert!(!k.syscall);
    assert_eq!(k.args[1].ty, ArgType::File);
    let m = &k.selectors[0].match_args[0];
    assert_eq!(
        (m.index, m.operator, m.values.clone()),
        (1, ArgOp::Equal, vec!["/tmp/tetragon".to_string()])
    );
    assert_eq!(k.selectors[0].match_actions[0].action, ActionKind::Sigkill);
    let errs = check_engine_support(&p).unwrap_err();
    assert_eq!(
        errs.to_string(),
        "seed.yaml:7:11: spec.kprobes[0].call: kernel function `fd_install` is not a syscall: kernel-function hooks need kprobes, which this engine does not serve yet; hook syscalls (`syscall: true`) or tracepoints instead\n\
         seed.yaml:13:13: spec.kprobes[0].args[1].type: type `file` needs a kernel-function hook (kprobes), which this engine does not serve yet; syscall and tracepoint hooks read int, uint32, int32, sint32, int64, sint64, long, uint64, ulong, size_t, string, char_buf, char_iovec, fd, filename, nop"
    );
}

#[test]
fn fd_install_message() {
    let p = ok(&wrap(
        "fd-install",
        "kprobes:\n- call: \"fd_install\"\n  message: \"Installing a file descriptor\"\n",
    ));
    assert_eq!(
        p.spec.kprobes[0].message.as_deref(),
        Some("Installing a file descriptor")
    );
}

#[test]
fn raw_syscalls_tracepoint() {
    let p = ok(r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "raw-syscalls"
spec:
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "int64"
"#);
    let t = &p.spec.tracepoints[0];
    assert_eq!(
        (t.subsystem.as_str(), t.event.as_str()),
        ("raw_syscalls", "sys_enter")
    );
    assert_eq!((t.args[0].index, t.args[0].ty), (4, ArgType::Int64));
    assert!(engine_ok(&p));
}

#[test]
fn sys_write_return_copy() {
    let p = ok(&wrap(
        "sys-write",
        r#"kprobes:
- call: "sys_write"
  syscall: true
  args:
  - index: 0
    type: "int"
  - index: 1
    type: "char_buf"
    returnCopy: true
    sizeArgIndex: 3
  - index: 2
    type: "size_t"
"#,
    ));
    let a = &p.spec.kprobes[0].args[1];
    assert!(a.return_copy);
    assert_eq!(a.size_arg_index, 3);
    assert!(engine_ok(&p));
}

#[test]
fn sys_write_only_buffer() {
    let p = ok(&wrap(
        "sys-write",
        r#"kprobes:
- call: "sys_write"
  syscall: true
  args:
  - index: 1
    type: "char_buf"
    returnCopy: true
    sizeArgIndex: 3
  - index: 2
    type: "size_t"
"#,
    ));
    assert_eq!(p.spec.kprobes[0].args.len(), 2);
}

#[test]
fn sys_write_max_data() {
    let p = ok(&wrap(
        "sys-write",
        r#"kprobes:
- call: "sys_write"
  syscall: true
  args:
  - index: 1
    type: "char_buf"
    maxData: true
    sizeArgIndex: 3
  - index: 2
    type: "size_t"
"#,
    ));
    assert!(p.spec.kprobes[0].args[0].max_data);
}

#[test]
fn sk_alloc_track_sock() {
    let p = ok(&wrap(
        "sk-alloc",
        r#"kprobes:
- call: "sk_alloc"
  syscall: false
  return: true
  args:
  - index: 1
    type: int
    label: "family"
  returnArg:
    type: sock
  returnArgAction: TrackSock
"#,
    ));
    let k = &p.spec.kprobes[0];
    assert!(k.return_);
    assert_eq!(k.return_arg.as_ref().map(|a| a.ty), Some(ArgType::Sock));
    assert_eq!(k.args[0].label.as_deref(), Some("family"));
    assert_eq!(k.return_arg_action.as_deref(), Some("TrackSock"));
    assert!(!engine_ok(&p));
}

const DUPS_LIST: &str = r#"lists:
- name: "dups"
  type: "syscalls"
  values:
  - "sys_dup"
  - "sys_dup2"
  - "sys_dup3"
"#;

#[test]
fn list_call() {
    let p = ok(&wrap(
        "dups",
        &format!("{DUPS_LIST}kprobes:\n- call: \"list:dups\"\n"),
    ));
    assert_eq!(p.spec.list("dups").map(|l| l.ty), Some(ListType::Syscalls));
    assert_eq!(p.spec.kprobes[0].list_name(), Some("dups"));
    assert!(p.spec.kprobe_is_syscall(&p.spec.kprobes[0]));
    assert!(engine_ok(&p));
}

#[test]
fn list_shortcut_equivalent() {
    let p = ok(&wrap(
        "dups",
        r#"kprobes:
- call: "sys_dup"
  syscall: true
- call: "sys_dup2"
  syscall: true
- call: "sys_dup3"
  syscall: true
"#,
    ));
    assert_eq!(p.spec.kprobes.len(), 3);
    assert!(engine_ok(&p));
}

#[test]
fn list_with_pid_filter() {
    let p = ok(&wrap(
        "dups",
        &format!(
            "{DUPS_LIST}{}",
            r#"kprobes:
- call: "list:dups"
  selectors:
  - matchPIDs:
    - operator: In
      followForks: true
      isNamespacePID: false
      values:
      - 12345
"#
        ),
    ));
    let pid = &p.spec.kprobes[0].selectors[0].match_pids[0];
    assert_eq!(
        (pid.operator, pid.values.clone(), pid.follow_forks),
        (SetOp::In, vec![12345], true)
    );
}

#[test]
fn list_with_arg_filter() {
    let p = ok(&wrap(
        "dups",
        &format!(
            "{DUPS_LIST}{}",
            r#"kprobes:
- call: "list:dups"
  args:
  - index: 0
    type: int
  selectors:
  - matchArgs:
    - index: 0
      operator: "Equal"
      values:
      - 9999
"#
        ),
    ));
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_args[0].values,
        vec!["9999"]
    );
    assert!(engine_ok(&p));
}

#[test]
fn generated_syscalls_list() {
    let p = ok(&wrap(
        "all-syscalls",
        r#"lists:
- name: "all-syscalls"
  type: "generated_syscalls"
kprobes:
- call: "list:all-syscalls"
  selectors:
  - matchBinaries:
    - operator: "In"
      values:
      - "/usr/bin/kill"
"#,
    ));
    assert_eq!(p.spec.lists[0].ty, ListType::GeneratedSyscalls);
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_binaries[0].values,
        vec!["/usr/bin/kill"]
    );
    assert!(engine_ok(&p));
}

#[test]
fn generated_ftrace_list() {
    let p = ok(&wrap(
        "ksys",
        r#"lists:
- name: "ksys"
  type: "generated_ftrace"
  pattern: "^ksys_*"
kprobes:
- call: "list:ksys"
  selectors:
  - matchBinaries:
    - operator: "In"
      values:
      - "/usr/bin/kill"
"#,
    ));
    assert_eq!(p.spec.lists[0].pattern.as_deref(), Some("^ksys_*"));
    let errs = check_engine_support(&p).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs}");
    assert!(errs.to_string().contains("generated_ftrace"));
}

#[test]
fn options() {
    let p = ok(&wrap(
        "options",
        r#"options:
- name: "option-1"
  value: "True"
- name: "option-2"
  value: "10"
- name: "disable-kprobe-multi"
  value: "1"
kprobes:
- call: "sys_dup"
  syscall: true
"#,
    ));
    let names: Vec<(&str, &str)> = p
        .spec
        .options
        .iter()
        .map(|o| (o.name.as_str(), o.value.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("option-1", "True"),
            ("option-2", "10"),
            ("disable-kprobe-multi", "1")
        ]
    );
}

const FD_INSTALL_HOOK: &str = r#"kprobes:
- call: "fd_install"
  syscall: false
  args:
  - index: 0
    type: "int"
  - index: 1
    type: "file"
  selectors:
"#;

/// A selector list written at column 0 under the fd_install hook.
fn fd_install_with(selectors: &str) -> String {
    let sel: String = selectors.lines().map(|l| format!("  {l}\n")).collect();
    wrap("fd-install", &format!("{FD_INSTALL_HOOK}{sel}"))
}

#[test]
fn match_args_equal_two_files() {
    let p = ok(&fd_install_with(
        r#"- matchArgs:
  - index: 1
    operator: "Equal"
    values:
    - "/etc/passwd"
    - "/etc/shadow"
"#,
    ));
    assert_eq!(p.spec.kprobes[0].selectors[0].match_args[0].values.len(), 2);
}

#[test]
fn match_args_prefix_and_fd() {
    let p = ok(&fd_install_with(
        r#"- matchArgs:
  - index: 0
    operator: "Equal"
    values:
    - "3"
  - index: 1
    operator: "Prefix"
    values:
    - "/etc"
"#,
    ));
    let m = &p.spec.kprobes[0].selectors[0].match_args;
    assert_eq!(
        (m[0].values[0].as_str(), m[1].operator),
        ("3", ArgOp::Prefix)
    );
}

#[test]
fn match_return_args() {
    let p = ok(&wrap(
        "openat-fail",
        r#"kprobes:
- call: "sys_openat"
  syscall: true
  return: true
  args:
  - index: 1
    type: "string"
  returnArg:
    type: "int"
  selectors:
  - matchReturnArgs:
    - operator: "NotEqual"
      values:
      - 0
"#,
    ));
    let m = &p.spec.kprobes[0].selectors[0].match_return_args[0];
    assert_eq!(
        (m.operator, m.values.clone()),
        (ArgOp::NotEqual, vec!["0".to_string()])
    );
    assert!(engine_ok(&p));
}

#[test]
fn match_pids_not_in_lowercase_followforks() {
    // The document writes `followforks`; field names match ignoring case, as upstream.
    let p = ok(&fd_install_with(
        r#"- matchPIDs:
  - operator: NotIn
    followforks: false
    isNamespacePID: true
    values:
    - 1
"#,
    ));
    let pid = &p.spec.kprobes[0].selectors[0].match_pids[0];
    assert_eq!(
        (pid.operator, pid.is_namespace_pid, pid.follow_forks),
        (SetOp::NotIn, true, false)
    );
}

#[test]
fn match_binaries_cat_tail() {
    let p = ok(&fd_install_with(
        r#"- matchBinaries:
  - operator: "In"
    values:
    - "/usr/bin/cat"
    - "/usr/bin/tail"
"#,
    ));
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_binaries[0].operator,
        BinaryOp::In
    );
}

#[test]
fn sshd_sys_write() {
    let p = ok(&wrap(
        "sshd-write",
        r#"kprobes:
- call: "sys_write"
  syscall: true
  args:
  - index: 0
    type: "int"
  - index: 1
    type: "char_buf"
    sizeArgIndex: 3
  - index: 2
    type: "size_t"
  selectors:
  # match to /sbin/sshd
  - matchBinaries:
    - operator: "In"
      values:
      - "/usr/sbin/sshd"
    # match to stdin/stdout/stderr
    matchArgs:
    - index: 0
      operator: "Equal"
      values:
      - "1"
      - "2"
      - "3"
"#,
    ));
    let s = &p.spec.kprobes[0].selectors[0];
    assert_eq!(
        (s.match_binaries.len(), s.match_args[0].values.len()),
        (1, 3)
    );
    assert!(engine_ok(&p));
}

#[test]
fn match_namespaces_pid() {
    let p = ok(&fd_install_with(
        r#"- matchNamespaces:
  - namespace: Pid
    operator: In
    values:
    - "4026531836"
    - "4026531835"
  - namespace: Mnt
    operator: In
    values:
    - "4026531833"
    - "4026531834"
"#,
    ));
    let ns = &p.spec.kprobes[0].selectors[0].match_namespaces;
    assert_eq!(ns[0].namespace, NamespaceKind::Pid);
    assert_eq!(
        ns[0].values,
        vec![
            NamespaceValue::Inode(4026531836),
            NamespaceValue::Inode(4026531835)
        ]
    );
    assert_eq!(ns[1].namespace, NamespaceKind::Mnt);
}

const EXAMPLE_NS_1: &str = r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "example_ns_1"
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: int
    - index: 1
      type: "file"
    selectors:
    - matchBinaries:
      - operator: "In"
        values:
        - "/bin/cat"
      matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "/etc/shadow"
      matchNamespaces:
      - namespace: Mnt
        operator: In
        values:
        - "host_ns"
    - matchBinaries:
      - operator: "In"
        values:
        - "/bin/cat"
      matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "/etc/shadow"
      matchNamespaces:
      - namespace: Net
        operator: In
        values:
        - "host_ns"
"#;

#[test]
fn example_ns_1_name_is_not_dns1123() {
    // The document's name has underscores, which Kubernetes names cannot have: that is
    // the only problem.
    let errs = parse_policy("seed.yaml", EXAMPLE_NS_1).unwrap_err();
    assert_eq!(
        errs.to_string(),
        "seed.yaml:4:9: metadata.name: invalid name `example_ns_1`: not a DNS-1123 subdomain; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
    );
    let p = ok(&EXAMPLE_NS_1.replace("example_ns_1", "example-ns-1"));
    let s = &p.spec.kprobes[0].selectors;
    assert_eq!(s.len(), 2);
    assert_eq!(
        s[1].match_namespaces[0].values,
        vec![NamespaceValue::HostNs]
    );
}

#[test]
fn example_ns_2_two_namespaces() {
    let p = ok(&fd_install_with(
        r#"- matchBinaries:
  - operator: "In"
    values:
    - "/bin/cat"
  matchArgs:
  - index: 1
    operator: "Equal"
    values:
    - "/etc/shadow"
  matchNamespaces:
  - namespace: Mnt
    operator: In
    values:
    - "host_ns"
  - namespace: Net
    operator: In
    values:
    - "host_ns"
"#,
    ));
    assert_eq!(p.spec.kprobes[0].selectors[0].match_namespaces.len(), 2);
}

#[test]
fn match_capabilities() {
    let p = ok(&fd_install_with(
        r#"- matchCapabilities:
  - type: Effective
    operator: In
    values:
    - "CAP_CHOWN"
    - "CAP_NET_RAW"
"#,
    ));
    let c = &p.spec.kprobes[0].selectors[0].match_capabilities[0];
    assert_eq!(
        (c.ty, c.values.clone()),
        (
            CapabilitySet::Effective,
            vec![Capability::Chown, Capability::NetRaw]
        )
    );
}

#[test]
fn match_namespace_and_capability_changes() {
    let p = ok(&fd_install_with(
        r#"- matchNamespaceChanges:
  - operator: In
    values:
    - "Mnt"
  matchCapabilityChanges:
  - type: Effective
    operator: In
    isNamespaceCapability: false
    values:
    - "CAP_SETUID"
"#,
    ));
    let s = &p.spec.kprobes[0].selectors[0];
    assert_eq!(
        s.match_namespace_changes[0].values,
        vec![NamespaceKind::Mnt]
    );
    assert_eq!(
        s.match_capability_changes[0].values,
        vec![Capability::Setuid]
    );
}

const SYS_WRITE_PASSWD: &str = r#"kprobes:
- call: "sys_write"
  syscall: true
  args:
  - index: 0
    type: "fd"
  - index: 1
    type: "char_buf"
    sizeArgIndex: 3
  - index: 2
    type: "size_t"
  selectors:
  - matchPIDs:
    - operator: NotIn
      followForks: true
      isNamespacePID: true
      values:
      - 0
      - 1
    matchArgs:
    - index: 0
      operator: "Prefix"
      values:
      - "/etc/passwd"
    matchActions:
"#;

#[test]
fn sigkill_sys_write() {
    let p = ok(&wrap(
        "kill-write",
        &format!("{SYS_WRITE_PASSWD}    - action: Sigkill\n"),
    ));
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_pids[0].values,
        vec![0, 1]
    );
    assert!(engine_ok(&p));
}

#[test]
fn signal_sys_write() {
    let p = ok(&wrap(
        "kill-write",
        &format!("{SYS_WRITE_PASSWD}    - action: Signal\n      argSig: 9\n"),
    ));
    let a = &p.spec.kprobes[0].selectors[0].match_actions[0];
    assert_eq!((a.action, a.arg_sig), (ActionKind::Signal, 9));
}

#[test]
fn override_symlinkat() {
    let p = ok(&wrap(
        "symlinkat",
        r#"kprobes:
- call: "sys_symlinkat"
  syscall: true
  args:
  - index: 0
    type: "string"
  - index: 1
    type: "int"
  - index: 2
    type: "string"
  selectors:
  - matchArgs:
    - index: 0
      operator: "Equal"
      values:
      - "/etc/passwd\0"
    matchActions:
    - action: Override
      argError: -1
"#,
    ));
    let s = &p.spec.kprobes[0].selectors[0];
    assert_eq!(s.match_args[0].values[0], "/etc/passwd\0");
    assert_eq!(
        (s.match_actions[0].action, s.match_actions[0].arg_error),
        (ActionKind::Override, -1)
    );
    assert!(engine_ok(&p));
}

#[test]
fn follow_fd() {
    // `# [...]` leaves matchPIDs and matchArgs null: empty filters.
    let p = ok(&fd_install_with(
        r#"- matchPIDs:
  # [...]
  matchArgs:
  # [...]
  matchActions:
  - action: FollowFD
    argFd: 0
    argName: 1
"#,
    ));
    let a = &p.spec.kprobes[0].selectors[0].match_actions[0];
    assert_eq!(
        (a.action, a.arg_fd, a.arg_name),
        (ActionKind::FollowFD, 0, 1)
    );
}

#[test]
fn unfollow_fd() {
    let p = ok(&wrap(
        "close",
        r#"kprobes:
- call: "sys_close"
  syscall: true
  args:
  - index: 0
    type: "int"
  selectors:
  - matchPIDs:
    - operator: NotIn
      followForks: true
      isNamespacePID: true
      values:
      - 0
      - 1
    matchActions:
    - action: UnfollowFD
      argFd: 0
"#,
    ));
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_actions[0].action,
        ActionKind::UnfollowFD
    );
    assert!(!engine_ok(&p));
}

#[test]
fn copy_fd() {
    let p = ok(&wrap(
        "dup",
        r#"kprobes:
- call: "sys_dup2"
  syscall: true
  args:
  - index: 0
    type: "fd"
  - index: 1
    type: "int"
  selectors:
  - matchPIDs:
    # [...]
    matchActions:
    - action: CopyFD
      argFd: 0
      argName: 1
- call: "sys_dup3"
  syscall: true
  args:
  - index: 0
    type: "fd"
  - index: 1
    type: "int"
  - index: 2
    type: "int"
  selectors:
  - matchPIDs:
    # [...]
    matchActions:
    - action: CopyFD
      argFd: 0
      argName: 1
"#,
    ));
    assert_eq!(
        p.spec.kprobes[1].selectors[0].match_actions[0].action,
        ActionKind::CopyFD
    );
}

#[test]
fn get_url_and_dns_lookup() {
    let p = ok(&wrap(
        "canary",
        r#"kprobes:
- call: "sys_openat"
  syscall: true
  selectors:
  - matchActions:
    - action: GetUrl
      argUrl: http://ebpf.io
  - matchActions:
    - action: DnsLookup
      argFqdn: ebpf.io
"#,
    ));
    let s = &p.spec.kprobes[0].selectors;
    assert_eq!(
        s[0].match_actions[0].arg_url.as_deref(),
        Some("http://ebpf.io")
    );
    assert_eq!(s[1].match_actions[0].arg_fqdn.as_deref(), Some("ebpf.io"));
    assert!(engine_ok(&p));
}

#[test]
fn post_rate_limit() {
    let p = ok(&wrap(
        "rate",
        r#"kprobes:
- call: "sys_openat"
  syscall: true
  selectors:
  - matchActions:
    - action: Post
      rateLimit: 5m
"#,
    ));
    let a = &p.spec.kprobes[0].selectors[0].match_actions[0];
    assert_eq!(a.rate_limit, Some(Duration::from_secs(300)));
    assert_eq!(a.rate_limit_scope, RateLimitScope::Thread);
}

#[test]
fn post_stack_trace_lowercase_action() {
    let p = ok(&wrap(
        "skb-drop",
        r#"kprobes:
- call: kfree_skb_reason
  selectors:
  - matchActions:
    - action: post
      stackTrace: true
"#,
    ));
    let a = &p.spec.kprobes[0].selectors[0].match_actions[0];
    assert_eq!(a.action, ActionKind::Post);
    assert!(a.wants_kernel_stack());
}

#[test]
fn no_post_override() {
    let p = ok(&wrap(
        "openat-override",
        r#"kprobes:
- call: "sys_openat"
  return: true
  syscall: true
  args:
  - index: 0
    type: int
  - index: 1
    type: "string"
  - index: 2
    type: "int"
  returnArg:
    type: "int"
  selectors:
  - matchPIDs:
    matchArgs:
    - index: 1
      operator: "Equal"
      values:
      - "/etc/passwd"
    matchActions:
    - action: Override
      argError: -2
    - action: NoPost
"#,
    ));
    let acts: Vec<ActionKind> = p.spec.kprobes[0].selectors[0]
        .match_actions
        .iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(acts, vec![ActionKind::Override, ActionKind::NoPost]);
    assert!(engine_ok(&p));
}

#[test]
fn untrack_sock() {
    let p = ok(&wrap(
        "sk-free",
        r#"kprobes:
- call: "__sk_free"
  syscall: false
  args:
  - index: 0
    type: sock
  selectors:
  - matchActions:
    - action: UntrackSock
      argSock: 0
"#,
    ));
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_actions[0].action,
        ActionKind::UntrackSock
    );
}

#[test]
fn notify_killer() {
    let p = ok(&wrap(
        "killer",
        r#"lists:
- name: "dups"
  type: "syscalls"
  values:
  - "sys_dup"
  - "sys_dup2"
killers:
- syscalls:
  - "list:dups"
tracepoints:
- subsystem: "raw_syscalls"
  event: "sys_enter"
  args:
  - index: 4
    type: "uint64"
  selectors:
  - matchArgs:
    - index: 0
      operator: "InMap"
      values:
      - "list:dups"
    matchBinaries:
    - operator: "In"
      values:
      - "/usr/bin/bash"
    matchActions:
    - action: "NotifyKiller"
      argSig: 9
"#,
    ));
    assert_eq!(p.spec.killers[0].calls, vec!["list:dups"]);
    let t = &p.spec.tracepoints[0];
    assert_eq!(
        t.match_arg_position(t.selectors[0].match_args[0].index),
        Some(0)
    );
    assert_eq!(
        t.selectors[0].match_actions[0].action,
        ActionKind::NotifyKiller
    );
    assert!(engine_ok(&p));
}

#[test]
fn notify_killer_error_and_signal() {
    let p = ok(&wrap(
        "killer",
        r#"killers:
- syscalls:
  - "sys_dup"
kprobes:
- call: "sys_dup"
  syscall: true
  selectors:
  - matchActions:
    - action: "NotifyKiller"
      argError: -1
      argSig: 9
"#,
    ));
    let a = &p.spec.kprobes[0].selectors[0].match_actions[0];
    assert_eq!((a.arg_error, a.arg_sig), (-1, 9));
}

#[test]
fn kprobe_multi_replacement() {
    let p = ok(&wrap(
        "syscalls-kill",
        r#"lists:
- name: "syscalls"
  type: "syscalls"
  values:
  - "sys_dup"
  - "sys_dup2"
kprobes:
- call: "list:syscalls"
  selectors:
  - matchBinaries:
    - operator: "In"
      values:
      - "/usr/bin/bash"
    matchActions:
    - action: "Sigkill"
"#,
    ));
    assert!(engine_ok(&p));
}

#[test]
fn sys_read_pids_and_files() {
    let p = ok(&wrap(
        "sys-read",
        r#"kprobes:
- call: "sys_read"
  syscall: true
  args:
  - index: 0
    type: "fd"
  selectors:
  - matchPIDs:
    - operator: NotIn
      followForks: true
      values:
      - 0
      - 1
    matchArgs:
    - index: 0
      operator: "Equal"
      values:
      - "/etc/passwd"
      - "/etc/shadow"
"#,
    ));
    assert_eq!(p.spec.kprobes[0].selectors[0].match_args[0].values.len(), 2);
}

const LSEEK_NAMESPACED: &str = r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicyNamespaced
metadata:
  name: "lseek-namespaced"
spec:
  kprobes:
  - call: "sys_lseek"
    syscall: true
    args:
    - index: 0
      type: "int"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "-1"
      matchActions:
      - action: Sigkill
"#;

#[test]
fn lseek_namespaced() {
    // The document applies it with `kubectl apply -n default`; a file needs the namespace.
    let errs = parse_policy("seed.yaml", LSEEK_NAMESPACED).unwrap_err();
    assert_eq!(
        errs.to_string(),
        "seed.yaml:4:3: metadata: a TracingPolicyNamespaced needs metadata.namespace"
    );
    let p = ok(&LSEEK_NAMESPACED.replace(
        "  name: \"lseek-namespaced\"\n",
        "  name: \"lseek-namespaced\"\n  namespace: default\n",
    ));
    assert_eq!(p.kind, PolicyKind::TracingPolicyNamespaced);
    assert_eq!(p.metadata.namespace.as_deref(), Some("default"));
    // The engine serves it; whether pods are scoped is the daemon's to check.
    check_engine_support(&p).unwrap();
}

#[test]
fn lseek_pod_selector() {
    let p = ok(r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "lseek-podfilter"
spec:
  podSelector:
    matchLabels:
      app: "lseek-test"
  kprobes:
  - call: "sys_lseek"
    syscall: true
    args:
    - index: 0
      type: "int"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "-1"
      matchActions:
      - action: Sigkill
"#);
    let sel = p.spec.pod_selector.as_ref().unwrap();
    assert_eq!(
        sel.match_labels.get("app").map(String::as_str),
        Some("lseek-test")
    );
    check_engine_support(&p).unwrap();
}

#[test]
fn cat_open() {
    let p = ok(r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "cat-open"
spec:
  kprobes:
  - call: "sys_openat"
    syscall: true
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "string"
    - index: 2
      type: "int"
    selectors:
    - matchBinaries:
      - operator: In
        values:
        - "/usr/bin/cat"
"#);
    assert_eq!(p.spec.kprobes[0].args.len(), 3);
    assert!(engine_ok(&p));
}

const FILE_ACCESS: &str = r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "file-access"
spec:
  kprobes:
  - call: "sys_openat"
    syscall: true
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "string"
    selectors:
    - matchBinaries:
      - operator: In
        values:
        - "/usr/bin/cat"
      matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "tracing_policy.yaml\0"
      matchActions:
"#;

#[test]
fn file_access_override() {
    let p = ok(&format!(
        "{FILE_ACCESS}      - action: Override\n        argError: -1\n"
    ));
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_args[0].values[0],
        "tracing_policy.yaml\0"
    );
    assert!(engine_ok(&p));
}

#[test]
fn file_access_sigkill() {
    let p = ok(&format!("{FILE_ACCESS}      - action: Sigkill\n"));
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_actions[0].action,
        ActionKind::Sigkill
    );
}

#[test]
fn security_file_permission() {
    let p = ok(&wrap(
        "file-permission",
        r#"kprobes:
  - call: "security_file_permission"
    syscall: false
    args:
    - index: 0
      type: "file" # (struct file *) used for getting the path
    - index: 1
      type: "int" # 0x04 is MAY_READ, 0x02 is MAY_WRITE
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "/etc/passwd" # filter by filename (/etc/passwd)
      - index: 1
        operator: "Equal"
        values:
        - "2" # filter by type of access (MAY_WRITE)
"#,
    ));
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_args[1].values,
        vec!["2"]
    );
}
