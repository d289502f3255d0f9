//! One test per validation rule, asserting the exact error text (file:line:column: path:
//! message; hint).

use tetragon_policy::*;

/// The errors of `yaml`, one string each (none when it parses).
fn errors(yaml: &str) -> Vec<String> {
    match parse_policy("p.yaml", yaml) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(ToString::to_string).collect(),
    }
}

/// Asserts that `yaml` gives exactly the `expected` errors.
#[track_caller]
fn check(yaml: &str, expected: &[&str]) {
    let got = errors(yaml);
    assert_eq!(got, expected, "\n--- policy:\n{yaml}");
}

/// A policy named `p` whose `spec` body (written at column 0) starts on line 6, column 3.
fn wrap(spec: &str) -> String {
    let body: String = spec.lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: p\nspec:\n{body}"
    )
}

/// A `sys_openat` kprobe (call on line 7) with args int (index 0) and string (index 1),
/// then the given selector lines (written at column 0; the first on line 15).
fn openat(selectors: &str) -> String {
    let sel: String = selectors.lines().map(|l| format!("  {l}\n")).collect();
    wrap(&format!(
        "kprobes:\n- call: sys_openat\n  syscall: true\n  args:\n  - index: 0\n    type: int\n  - index: 1\n    type: string\n  selectors:\n{sel}"
    ))
}

// ------------------------------------------------------------------ documents and syntax

#[test]
fn yaml_syntax_error() {
    check(
        "apiVersion: cilium.io/v1alpha1\nkind: [TracingPolicy\n",
        &["p.yaml:3:1: invalid YAML: while parsing a flow sequence, expected ',' or ']'"],
    );
}

#[test]
fn multiple_documents() {
    let one = wrap("kprobes:\n- call: sys_dup\n  syscall: true\n");
    check(
        &format!("{one}---\n{one}"),
        &[
            "p.yaml:10:1: 2 YAML documents: a file holds exactly one policy; split the policies into separate files",
        ],
    );
}

#[test]
fn empty_document() {
    check(
        "# nothing here\n",
        &["p.yaml: no policy: the document is empty"],
    );
}

#[test]
fn trailing_document_separator_is_fine() {
    let one = wrap("kprobes:\n- call: sys_dup\n  syscall: true\n");
    check(&format!("---\n{one}---\n"), &[]);
}

// ------------------------------------------------------------------ fields and types

#[test]
fn unknown_top_level_field() {
    let yaml = format!(
        "{}specs: {{}}\n",
        wrap("kprobes:\n- call: sys_dup\n  syscall: true\n")
    );
    check(
        &yaml,
        &[
            "p.yaml:9:1: unknown field `specs`; did you mean `spec`? expected one of apiVersion, kind, metadata, spec",
        ],
    );
}

#[test]
fn unknown_field_names_expected_ones() {
    check(
        &openat("- matchArg:\n  - index: 0\n    operator: Equal\n    values: [1]\n"),
        &[
            "p.yaml:15:7: spec.kprobes[0].selectors[0]: unknown field `matchArg`; did you mean `matchArgs`? expected one of label, matchPIDs, matchArgs, matchData, matchActions, matchReturnArgs, matchReturnActions, matchBinaries, matchParentBinaries, matchNamespaces, matchNamespaceChanges, matchCapabilities, matchCapabilityChanges, matchWorkloads",
        ],
    );
}

#[test]
fn field_names_match_ignoring_case() {
    check(
        &openat("- matchPIDs:\n  - operator: In\n    followforks: true\n    values: [1]\n"),
        &[],
    );
}

#[test]
fn duplicate_field() {
    check(
        &wrap("kprobes:\n- call: sys_dup\n  call: sys_dup2\n  syscall: true\n"),
        &["p.yaml:8:5: spec.kprobes[0]: duplicate field `call`"],
    );
}

#[test]
fn expected_an_integer() {
    check(
        &wrap(
            "kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n  - index: abc\n    type: int\n",
        ),
        &["p.yaml:10:14: spec.kprobes[0].args[0].index: expected an integer, got string `abc`"],
    );
}

#[test]
fn quoted_integer_has_a_hint() {
    check(
        &wrap(
            "kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n  - index: \"0\"\n    type: int\n",
        ),
        &[
            "p.yaml:10:14: spec.kprobes[0].args[0].index: expected an integer, got string `0`; write the number without quotes",
        ],
    );
}

#[test]
fn integer_out_of_range() {
    check(
        &wrap(
            "kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n  - index: -1\n    type: int\n",
        ),
        &[
            "p.yaml:10:14: spec.kprobes[0].args[0].index: integer `-1` is out of range (0 to 4294967295)",
        ],
    );
}

#[test]
fn expected_a_boolean() {
    check(
        &wrap("kprobes:\n- call: sys_dup\n  syscall: \"true\"\n"),
        &[
            "p.yaml:8:14: spec.kprobes[0].syscall: expected a boolean, got string `true`; write true or false without quotes",
        ],
    );
}

#[test]
fn expected_a_list() {
    check(
        &wrap("kprobes:\n- call: sys_dup\n  syscall: true\n  tags: security\n"),
        &["p.yaml:9:11: spec.kprobes[0].tags: expected a list, got string `security`"],
    );
}

#[test]
fn expected_a_mapping() {
    check(
        "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata: [p]\nspec:\n  kprobes:\n  - call: sys_dup\n    syscall: true\n",
        &["p.yaml:3:11: metadata: expected a mapping, got a list"],
    );
}

#[test]
fn expected_a_string() {
    check(
        &wrap("kprobes:\n- call: [sys_dup]\n  syscall: true\n"),
        &["p.yaml:7:11: spec.kprobes[0].call: expected a string, got a list"],
    );
}

// ------------------------------------------------------------------ enums

#[test]
fn unknown_operator() {
    check(
        &openat("- matchArgs:\n  - index: 0\n    operator: Equals\n    values: [1]\n"),
        &[
            "p.yaml:17:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: unknown operator `Equals`; did you mean `Equal`? expected one of Equal, NotEqual, Prefix, NotPrefix, Postfix, NotPostfix, Mask, GreaterThan, LessThan, InRange, NotInRange, InMap, NotInMap, SPort, NotSPort, SPortPriv, NotSPortPriv, DPort, NotDPort, DPortPriv, NotDPortPriv, SAddr, NotSAddr, DAddr, NotDAddr, Protocol, Family, State, CapabilitiesGained, SubString, SubStringIgnCase, FileType, NotFileType, CelExpr",
        ],
    );
}

#[test]
fn operator_aliases() {
    check(
        &openat("- matchArgs:\n  - index: 0\n    operator: GT\n    values: [1]\n"),
        &[],
    );
    check(
        &openat("- matchArgs:\n  - index: 0\n    operator: LT\n    values: [1]\n"),
        &[],
    );
}

#[test]
fn unknown_arg_type() {
    let errs = errors(&wrap(
        "kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n  - index: 0\n    type: integer\n",
    ));
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("p.yaml:11:13: spec.kprobes[0].args[0].type: unknown type `integer`; expected one of auto, int, sint8,"),
        "{}",
        errs[0]
    );
}

#[test]
fn unknown_action() {
    check(
        &openat("- matchActions:\n  - action: Kill\n"),
        &[
            "p.yaml:16:17: spec.kprobes[0].selectors[0].matchActions[0].action: unknown action `Kill`; expected one of Post, NoPost, Sigkill, Signal, Override, FollowFD, UnfollowFD, CopyFD, GetUrl, DnsLookup, TrackSock, UntrackSock, NotifyKiller, NotifyEnforcer, CleanupEnforcerNotification, Set",
        ],
    );
}

#[test]
fn actions_ignore_case() {
    check(&openat("- matchActions:\n  - action: sigkill\n"), &[]);
}

#[test]
fn unknown_set_operator() {
    check(
        &openat("- matchPIDs:\n  - operator: in\n    values: [1]\n"),
        &[
            "p.yaml:16:19: spec.kprobes[0].selectors[0].matchPIDs[0].operator: unknown operator `in`; did you mean `In`? expected one of In, NotIn",
        ],
    );
}

#[test]
fn unknown_namespace() {
    check(
        &openat(
            "- matchNamespaces:\n  - namespace: Network\n    operator: In\n    values: [host_ns]\n",
        ),
        &[
            "p.yaml:16:20: spec.kprobes[0].selectors[0].matchNamespaces[0].namespace: unknown namespace `Network`; expected one of Uts, Ipc, Mnt, Pid, PidForChildren, Net, Time, TimeForChildren, Cgroup, User",
        ],
    );
}

#[test]
fn unknown_capability() {
    check(
        &openat("- matchCapabilities:\n  - operator: In\n    values: [SYS_ADMIN]\n"),
        &[
            "p.yaml:17:18: spec.kprobes[0].selectors[0].matchCapabilities[0].values[0]: unknown capability `SYS_ADMIN`; did you mean `CAP_SYS_ADMIN`? capability names start with CAP_",
        ],
    );
}

#[test]
fn unknown_capability_type() {
    check(
        &openat(
            "- matchCapabilities:\n  - type: Bounding\n    operator: In\n    values: [CAP_BPF]\n",
        ),
        &[
            "p.yaml:16:15: spec.kprobes[0].selectors[0].matchCapabilities[0].type: unknown capability type `Bounding`; expected one of Effective, Inheritable, Permitted",
        ],
    );
}

#[test]
fn invalid_namespace_value() {
    check(
        &openat("- matchNamespaces:\n  - namespace: Mnt\n    operator: In\n    values: [host]\n"),
        &[
            "p.yaml:18:18: spec.kprobes[0].selectors[0].matchNamespaces[0].values[0]: invalid namespace value `host`; expected a namespace inode number or host_ns",
        ],
    );
}

#[test]
fn pid_values_are_integers() {
    check(
        &openat("- matchPIDs:\n  - operator: In\n    values:\n    - pid1\n"),
        &[
            "p.yaml:18:11: spec.kprobes[0].selectors[0].matchPIDs[0].values[0]: expected an integer, got string `pid1`",
        ],
    );
}

#[test]
fn unknown_list_type() {
    check(
        &wrap(
            "lists:\n- name: l\n  type: syscall\n  values: [sys_dup]\nkprobes:\n- call: sys_dup\n  syscall: true\n",
        ),
        &[
            "p.yaml:8:11: spec.lists[0].type: unknown list type `syscall`; did you mean `syscalls`? expected one of syscalls, generated_syscalls, generated_ftrace",
        ],
    );
}

#[test]
fn unknown_rate_limit_scope() {
    check(
        &openat(
            "- matchActions:\n  - action: Post\n    rateLimit: 1m\n    rateLimitScope: cluster\n",
        ),
        &[
            "p.yaml:18:25: spec.kprobes[0].selectors[0].matchActions[0].rateLimitScope: unknown rateLimitScope `cluster`; expected one of thread, process, global",
        ],
    );
}

// ------------------------------------------------------------------ required fields

#[test]
fn missing_metadata_name() {
    check(
        "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  labels: {a: b}\nspec:\n  kprobes:\n  - call: sys_dup\n    syscall: true\n",
        &["p.yaml:4:3: metadata: missing required field `name`"],
    );
}

#[test]
fn missing_top_level_fields() {
    check(
        "metadata:\n  name: p\n",
        &[
            "p.yaml:1:1: missing required field `apiVersion`",
            "p.yaml:1:1: missing required field `kind`",
            "p.yaml:1:1: missing required field `spec`",
        ],
    );
}

#[test]
fn missing_call() {
    check(
        &wrap("kprobes:\n- syscall: true\n"),
        &["p.yaml:7:5: spec.kprobes[0]: missing required field `call`"],
    );
}

#[test]
fn missing_tracepoint_subsystem_and_event() {
    check(
        &wrap("tracepoints:\n- args: []\n"),
        &[
            "p.yaml:7:5: spec.tracepoints[0]: missing required field `subsystem`",
            "p.yaml:7:5: spec.tracepoints[0]: missing required field `event`",
        ],
    );
}

#[test]
fn missing_uprobe_path_and_symbols() {
    check(
        &wrap("uprobes:\n- message: hi\n"),
        &[
            "p.yaml:7:5: spec.uprobes[0]: missing required field `path`",
            "p.yaml:7:5: spec.uprobes[0]: a uprobe needs exactly one of symbols, offsets or addrs (found 0)",
        ],
    );
}

#[test]
fn missing_arg_index_and_type() {
    check(
        &wrap("kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n  - label: fd\n"),
        &[
            "p.yaml:10:7: spec.kprobes[0].args[0]: missing required field `index`",
            "p.yaml:10:7: spec.kprobes[0].args[0]: missing required field `type`",
        ],
    );
}

#[test]
fn missing_operator_and_values() {
    check(
        &openat("- matchArgs:\n  - index: 0\n- matchBinaries:\n  - operator: In\n"),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchArgs[0]: missing required field `operator`",
            "p.yaml:18:9: spec.kprobes[0].selectors[1].matchBinaries[0]: missing required field `values`",
        ],
    );
}

#[test]
fn missing_action() {
    check(
        &openat("- matchActions:\n  - argSig: 9\n"),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchActions[0]: missing required field `action`",
        ],
    );
}

// ------------------------------------------------------------------ apiVersion, kind, metadata

#[test]
fn wrong_api_version() {
    let yaml = wrap("kprobes:\n- call: sys_dup\n  syscall: true\n")
        .replace("cilium.io/v1alpha1", "cilium.io/v1");
    check(
        &yaml,
        &[
            "p.yaml:1:13: apiVersion: unsupported apiVersion `cilium.io/v1`; expected cilium.io/v1alpha1",
        ],
    );
}

#[test]
fn unknown_kind() {
    let yaml = wrap("kprobes:\n- call: sys_dup\n  syscall: true\n")
        .replace("kind: TracingPolicy", "kind: TracingPolicies");
    check(
        &yaml,
        &[
            "p.yaml:2:7: kind: unknown kind `TracingPolicies`; did you mean `TracingPolicy`? expected one of TracingPolicy, TracingPolicyNamespaced",
        ],
    );
}

#[test]
fn name_must_be_dns1123() {
    let yaml =
        wrap("kprobes:\n- call: sys_dup\n  syscall: true\n").replace("name: p", "name: My_Policy");
    check(
        &yaml,
        &[
            "p.yaml:4:9: metadata.name: invalid name `My_Policy`: not a DNS-1123 subdomain; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
        ],
    );
}

#[test]
fn namespaced_needs_namespace() {
    let yaml = wrap("kprobes:\n- call: sys_dup\n  syscall: true\n")
        .replace("kind: TracingPolicy", "kind: TracingPolicyNamespaced");
    check(
        &yaml,
        &["p.yaml:4:3: metadata: a TracingPolicyNamespaced needs metadata.namespace"],
    );
    let with_ns = yaml.replace("  name: p\n", "  name: p\n  namespace: Bad_NS\n");
    check(
        &with_ns,
        &[
            "p.yaml:5:14: metadata.namespace: invalid namespace `Bad_NS`: not a DNS-1123 label; use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
        ],
    );
}

#[test]
fn cluster_policy_namespace_is_ignored() {
    let yaml = wrap("kprobes:\n- call: sys_dup\n  syscall: true\n").replace(
        "  name: p\n",
        "  name: p\n  namespace: default\n  uid: 1234\n",
    );
    let p = parse_policy("p.yaml", &yaml).unwrap();
    assert_eq!(p.metadata.namespace, None);
}

// ------------------------------------------------------------------ hooks and args

#[test]
fn no_hooks() {
    check(
        &wrap("lists:\n- name: l\n  type: syscalls\n  values: [sys_dup]\n"),
        &[
            "p.yaml:6:3: spec: the policy has no hooks; add at least one of spec.kprobes, spec.tracepoints, spec.uprobes",
        ],
    );
}

#[test]
fn too_many_selectors() {
    let sel = "- matchActions:\n  - action: Post\n".repeat(6);
    check(
        &openat(&sel),
        &["p.yaml:15:7: spec.kprobes[0].selectors: too many selectors: 6 (at most 5)"],
    );
}

#[test]
fn too_many_args() {
    let args: String = (0..6)
        .map(|i| format!("  - index: {}\n    type: int\n", i % 5))
        .collect();
    let errs = errors(&wrap(&format!(
        "kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n{args}"
    )));
    assert_eq!(
        errs[0],
        "p.yaml:10:7: spec.kprobes[0].args: too many args: 6 (at most 5)"
    );
}

#[test]
fn duplicate_arg_index() {
    check(
        &wrap(
            "kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n  - index: 0\n    type: int\n  - index: 0\n    type: fd\n",
        ),
        &["p.yaml:12:14: spec.kprobes[0].args[1].index: duplicate argument index 0 (also args[0])"],
    );
}

#[test]
fn arg_index_out_of_range() {
    check(
        &wrap("kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n  - index: 5\n    type: int\n"),
        &["p.yaml:10:14: spec.kprobes[0].args[0].index: argument index 5 is out of range (0 to 4)"],
    );
}

#[test]
fn tracepoint_arg_index_is_a_field_index() {
    check(
        &wrap(
            "tracepoints:\n- subsystem: raw_syscalls\n  event: sys_enter\n  args:\n  - index: 9\n    type: int64\n",
        ),
        &[],
    );
}

#[test]
fn size_arg_index_out_of_range() {
    check(
        &wrap(
            "kprobes:\n- call: sys_write\n  syscall: true\n  args:\n  - index: 1\n    type: char_buf\n    sizeArgIndex: 7\n",
        ),
        &[
            "p.yaml:12:21: spec.kprobes[0].args[0].sizeArgIndex: sizeArgIndex 7 is out of range (1 to 5); sizeArgIndex counts from 1: the argument at index 2 is sizeArgIndex 3",
        ],
    );
}

#[test]
fn size_arg_index_only_on_buffers() {
    check(
        &wrap(
            "kprobes:\n- call: sys_write\n  syscall: true\n  args:\n  - index: 1\n    type: string\n    sizeArgIndex: 3\n",
        ),
        &[
            "p.yaml:12:21: spec.kprobes[0].args[0].sizeArgIndex: sizeArgIndex applies only to char_buf and char_iovec arguments",
        ],
    );
}

#[test]
fn size_arg_index_must_point_at_an_integer() {
    check(
        &wrap(
            "kprobes:\n- call: sys_write\n  syscall: true\n  args:\n  - index: 1\n    type: char_buf\n    sizeArgIndex: 1\n  - index: 0\n    type: string\n",
        ),
        &[
            "p.yaml:12:21: spec.kprobes[0].args[0].sizeArgIndex: sizeArgIndex 1 points at argument 0 of type `string`, which is not an integer; sizeArgIndex counts from 1: the argument at index 2 is sizeArgIndex 3",
        ],
    );
}

#[test]
fn size_arg_index_not_itself() {
    check(
        &wrap(
            "kprobes:\n- call: sys_write\n  syscall: true\n  args:\n  - index: 1\n    type: char_buf\n    sizeArgIndex: 2\n",
        ),
        &[
            "p.yaml:12:21: spec.kprobes[0].args[0].sizeArgIndex: sizeArgIndex points at the argument itself; sizeArgIndex counts from 1: the argument at index 2 is sizeArgIndex 3",
        ],
    );
}

#[test]
fn return_copy_only_on_buffers() {
    check(
        &wrap(
            "kprobes:\n- call: sys_read\n  syscall: true\n  args:\n  - index: 0\n    type: int\n    returnCopy: true\n",
        ),
        &[
            "p.yaml:12:19: spec.kprobes[0].args[0].returnCopy: returnCopy applies only to char_buf and char_iovec arguments",
        ],
    );
}

#[test]
fn max_data_only_on_char_buf() {
    check(
        &wrap(
            "kprobes:\n- call: sys_writev\n  syscall: true\n  args:\n  - index: 1\n    type: char_iovec\n    maxData: true\n",
        ),
        &[
            "p.yaml:12:16: spec.kprobes[0].args[0].maxData: maxData applies only to char_buf arguments",
        ],
    );
}

#[test]
fn max_data_not_with_return_copy() {
    check(
        &wrap(
            "kprobes:\n- call: sys_read\n  syscall: true\n  args:\n  - index: 1\n    type: char_buf\n    returnCopy: true\n    maxData: true\n",
        ),
        &[
            "p.yaml:13:16: spec.kprobes[0].args[0].maxData: maxData cannot be combined with returnCopy",
        ],
    );
}

#[test]
fn return_needs_return_arg() {
    check(
        &wrap("kprobes:\n- call: sys_dup\n  syscall: true\n  return: true\n"),
        &[
            "p.yaml:9:13: spec.kprobes[0].return: `return: true` needs a returnArg; add for example `returnArg: {type: int}`",
        ],
    );
}

#[test]
fn return_arg_action_values() {
    check(
        &wrap(
            "kprobes:\n- call: sk_alloc\n  return: true\n  returnArg:\n    type: sock\n  returnArgAction: Track\n",
        ),
        &[
            "p.yaml:11:22: spec.kprobes[0].returnArgAction: unknown returnArgAction `Track`; expected one of TrackSock, UntrackSock",
        ],
    );
}

#[test]
fn message_and_tags_limits() {
    let msg = "m".repeat(257);
    let tags: String = (0..17).map(|i| format!("  - t{i}\n")).collect();
    check(
        &wrap(&format!(
            "kprobes:\n- call: sys_dup\n  syscall: true\n  message: {msg}\n  tags:\n{tags}"
        )),
        &[
            "p.yaml:9:14: spec.kprobes[0].message: message is 257 bytes long (at most 256)",
            "p.yaml:11:7: spec.kprobes[0].tags: too many tags: 17 (at most 16)",
        ],
    );
}

#[test]
fn empty_tracepoint_event() {
    check(
        &wrap("tracepoints:\n- subsystem: sched\n  event: \"\"\n"),
        &["p.yaml:8:12: spec.tracepoints[0].event: event is empty"],
    );
}

#[test]
fn uprobe_one_target_kind() {
    check(
        &wrap("uprobes:\n- path: /bin/bash\n  symbols: [readline]\n  offsets: [0x10]\n"),
        &[
            "p.yaml:7:5: spec.uprobes[0]: a uprobe needs exactly one of symbols, offsets or addrs (found 2)",
        ],
    );
}

#[test]
fn uprobe_ref_ctr_offsets_match_symbols() {
    check(
        &wrap("uprobes:\n- path: /bin/bash\n  symbols: [a, b]\n  refCtrOffsets: [1]\n"),
        &[
            "p.yaml:9:20: spec.uprobes[0].refCtrOffsets: refCtrOffsets has 1 entries but symbols has 2",
        ],
    );
}

#[test]
fn uprobe_no_get_url() {
    check(
        &wrap(
            "uprobes:\n- path: /bin/bash\n  symbols: [readline]\n  selectors:\n  - matchActions:\n    - action: GetUrl\n      argUrl: http://x.io\n",
        ),
        &[
            "p.yaml:11:17: spec.uprobes[0].selectors[0].matchActions[0].action: GetUrl is not available on uprobes",
        ],
    );
}

// ------------------------------------------------------------------ calls and lists

#[test]
fn syscall_kprobe_must_be_a_known_syscall() {
    check(
        &wrap("kprobes:\n- call: sys_opnat\n  syscall: true\n"),
        &[
            "p.yaml:7:11: spec.kprobes[0].call: `sys_opnat` is not a known syscall; syscall names look like sys_openat, optionally with an arch prefix such as __x64_; set `syscall: false` for other kernel functions",
        ],
    );
    check(
        &wrap(
            "kprobes:\n- call: __x64_sys_openat\n  syscall: true\n- call: __arm64_sys_write\n  syscall: true\n",
        ),
        &[],
    );
}

#[test]
fn list_call_names_a_list() {
    check(
        &wrap(
            "lists:\n- name: dups\n  type: syscalls\n  values: [sys_dup]\nkprobes:\n- call: list:dup\n",
        ),
        &[
            "p.yaml:11:11: spec.kprobes[0].call: `list:dup` names no list in spec.lists; lists: dups",
        ],
    );
}

#[test]
fn syscalls_list_values_are_syscalls() {
    check(
        &wrap(
            "lists:\n- name: dups\n  type: syscalls\n  values: [sys_dup, dup2, x32/sys_dup3, i386/sys_dup3]\nkprobes:\n- call: list:dups\n",
        ),
        &[
            "p.yaml:9:23: spec.lists[0].values[1]: unknown syscall `dup2`; syscall names look like sys_openat, optionally with an arch prefix such as __x64_",
            "p.yaml:9:29: spec.lists[0].values[2]: unknown ABI `x32` in `x32/sys_dup3`; expected x64, i386, arm64 or arm32",
        ],
    );
}

#[test]
fn generated_lists_take_no_values() {
    check(
        &wrap(
            "lists:\n- name: all\n  type: generated_syscalls\n  values: [sys_dup]\nkprobes:\n- call: list:all\n",
        ),
        &["p.yaml:9:13: spec.lists[0].values: a generated_syscalls list takes no values"],
    );
}

#[test]
fn generated_ftrace_needs_a_valid_pattern() {
    check(
        &wrap("lists:\n- name: k\n  type: generated_ftrace\nkprobes:\n- call: list:k\n"),
        &["p.yaml:7:5: spec.lists[0]: a generated_ftrace list needs a pattern"],
    );
    check(
        &wrap(
            "lists:\n- name: k\n  type: generated_ftrace\n  pattern: \"ksys_(\"\nkprobes:\n- call: list:k\n",
        ),
        &["p.yaml:9:14: spec.lists[0].pattern: invalid pattern: unclosed group"],
    );
}

#[test]
fn duplicate_list_names() {
    check(
        &wrap(
            "lists:\n- name: l\n  type: syscalls\n- name: l\n  type: syscalls\nkprobes:\n- call: list:l\n",
        ),
        &["p.yaml:9:11: spec.lists[1].name: duplicate list name `l` (also spec.lists[0])"],
    );
}

#[test]
fn killers_name_syscalls_and_lists() {
    check(
        &wrap(
            "killers:\n- syscalls: [list:nope, sys_nope]\nkprobes:\n- call: sys_dup\n  syscall: true\n",
        ),
        &[
            "p.yaml:7:16: spec.killers[0].syscalls[0]: `list:nope` names no list in spec.lists; define it under spec.lists",
            "p.yaml:7:27: spec.killers[0].syscalls[1]: unknown syscall `sys_nope`; syscall names look like sys_openat, optionally with an arch prefix such as __x64_",
        ],
    );
}

#[test]
fn at_most_one_killer() {
    check(
        &wrap(
            "killers:\n- syscalls: [sys_dup]\n- syscalls: [sys_dup2]\nkprobes:\n- call: sys_dup\n  syscall: true\n",
        ),
        &["p.yaml:7:5: spec.killers: too many killers: 2 (at most 1)"],
    );
}

// ------------------------------------------------------------------ matchArgs

#[test]
fn match_args_index_must_be_declared() {
    check(
        &openat("- matchArgs:\n  - index: 2\n    operator: Equal\n    values: [1]\n"),
        &[
            "p.yaml:16:16: spec.kprobes[0].selectors[0].matchArgs[0].index: index 2 names no argument declared in args; declared indexes: 0, 1",
        ],
    );
}

#[test]
fn tracepoint_match_args_by_field_or_position() {
    let tp = |index: u32| {
        wrap(&format!(
            "tracepoints:\n- subsystem: raw_syscalls\n  event: sys_enter\n  args:\n  - index: 4\n    type: int64\n  selectors:\n  - matchArgs:\n    - index: {index}\n      operator: Equal\n      values: [59]\n"
        ))
    };
    check(&tp(4), &[]);
    check(&tp(0), &[]);
    check(
        &tp(2),
        &[
            "p.yaml:14:16: spec.tracepoints[0].selectors[0].matchArgs[0].index: index 2 names no argument declared in args; declared indexes: 4",
        ],
    );
}

#[test]
fn string_operator_on_integer() {
    check(
        &openat("- matchArgs:\n  - index: 0\n    operator: Prefix\n    values: [\"/etc\"]\n"),
        &[
            "p.yaml:17:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator `Prefix` does not apply to argument 0 of type `int`; Prefix applies to string-like types: string, char_buf, char_iovec, fd, filename, file, path, dentry, linux_binprm, data_loc, net_device, sockaddr_un",
        ],
    );
}

#[test]
fn integer_operator_on_string() {
    check(
        &openat("- matchArgs:\n  - index: 1\n    operator: Mask\n    values: [\"4\"]\n"),
        &[
            "p.yaml:17:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator `Mask` does not apply to argument 1 of type `string`; Mask applies to integer and capability-set types",
        ],
    );
}

#[test]
fn socket_operator_on_integer() {
    check(
        &openat("- matchArgs:\n  - index: 0\n    operator: DPort\n    values: [\"443\"]\n"),
        &[
            "p.yaml:17:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator `DPort` does not apply to argument 0 of type `int`; DPort applies to sock, socket, skb and sockaddr",
        ],
    );
}

#[test]
fn integer_values_must_parse() {
    check(
        &openat(
            "- matchArgs:\n  - index: 0\n    operator: Equal\n    values: [abc, \"0x10\", -5]\n",
        ),
        &[
            "p.yaml:18:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: value `abc` is not an integer",
        ],
    );
}

#[test]
fn integer_values_in_range_of_type() {
    check(
        &wrap(
            "kprobes:\n- call: sys_dup\n  syscall: true\n  args:\n  - index: 0\n    type: uint8\n  selectors:\n  - matchArgs:\n    - index: 0\n      operator: Equal\n      values: [\"256\", \"-1\"]\n",
        ),
        &[
            "p.yaml:16:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: value `256` is out of range for uint8 (0 to 255)",
            "p.yaml:16:25: spec.kprobes[0].selectors[0].matchArgs[0].values[1]: value `-1` is out of range for uint8 (0 to 255)",
        ],
    );
}

#[test]
fn in_range_values_are_ranges() {
    check(
        &openat(
            "- matchArgs:\n  - index: 0\n    operator: InRange\n    values: [\"1:5\", \"7\"]\n",
        ),
        &[
            "p.yaml:18:25: spec.kprobes[0].selectors[0].matchArgs[0].values[1]: value `7` is not a range; write ranges as min:max",
        ],
    );
}

#[test]
fn inline_values_limit() {
    check(
        &openat(
            "- matchArgs:\n  - index: 0\n    operator: GT\n    values: [1, 2, 3, 4, 5, 6, 7, 8, 9]\n",
        ),
        &[
            "p.yaml:18:17: spec.kprobes[0].selectors[0].matchArgs[0].values: too many values for operator `GreaterThan`: 9 (at most 8); use InMap or NotInMap for longer sets",
        ],
    );
}

#[test]
fn string_value_length_limit() {
    let long = "a".repeat(249);
    check(
        &openat(&format!(
            "- matchArgs:\n  - index: 1\n    operator: Equal\n    values: [\"{long}\"]\n"
        )),
        &[
            "p.yaml:18:18: spec.kprobes[0].selectors[0].matchArgs[0].values[0]: value is 249 bytes long (at most 248)",
        ],
    );
}

#[test]
fn operator_needs_values() {
    check(
        &openat("- matchArgs:\n  - index: 1\n    operator: Equal\n"),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchArgs[0]: operator `Equal` needs at least one value",
        ],
    );
}

#[test]
fn too_many_match_args() {
    let filters = "  - index: 0\n    operator: Equal\n    values: [1]\n".repeat(6);
    check(
        &openat(&format!("- matchArgs:\n{filters}")),
        &["p.yaml:16:9: spec.kprobes[0].selectors[0].matchArgs: too many matchArgs: 6 (at most 5)"],
    );
}

#[test]
fn in_map_list_must_be_a_syscalls_list() {
    check(
        &wrap(
            "lists:\n- name: fns\n  values: [fd_install]\ntracepoints:\n- subsystem: raw_syscalls\n  event: sys_enter\n  args:\n  - index: 4\n    type: uint64\n  selectors:\n  - matchArgs:\n    - index: 4\n      operator: InMap\n      values: [\"list:fns\", \"list:none\"]\n",
        ),
        &[
            "p.yaml:19:18: spec.tracepoints[0].selectors[0].matchArgs[0].values[0]: list `fns` is not a syscalls list; InMap takes lists of type syscalls or generated_syscalls",
            "p.yaml:19:30: spec.tracepoints[0].selectors[0].matchArgs[0].values[1]: `list:none` names no list in spec.lists",
        ],
    );
}

#[test]
fn match_return_args_need_return() {
    check(
        &openat("- matchReturnArgs:\n  - operator: Equal\n    values: [0]\n"),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchReturnArgs: matchReturnArgs needs `return: true` and a returnArg",
        ],
    );
}

#[test]
fn match_return_actions_need_return() {
    check(
        &openat("- matchReturnActions:\n  - action: Post\n"),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchReturnActions: matchReturnActions needs `return: true`",
        ],
    );
}

// ------------------------------------------------------------------ other filters

#[test]
fn match_pids_values_limit() {
    let values: Vec<String> = (1..=17).map(|i| i.to_string()).collect();
    check(
        &openat(&format!(
            "- matchPIDs:\n  - operator: In\n    values: [{}]\n",
            values.join(", ")
        )),
        &[
            "p.yaml:17:17: spec.kprobes[0].selectors[0].matchPIDs[0].values: too many values: 17 (at most 16)",
        ],
    );
}

#[test]
fn empty_values_list() {
    check(
        &openat("- matchPIDs:\n  - operator: In\n    values: []\n"),
        &[
            "p.yaml:17:17: spec.kprobes[0].selectors[0].matchPIDs[0].values: needs at least one value",
        ],
    );
}

#[test]
fn match_binaries_limits() {
    let long = format!("/{}", "b".repeat(248));
    check(
        &openat(&format!(
            "- matchBinaries:\n  - operator: In\n    values: [\"{long}\"]\n  - operator: In\n    values: [/bin/true]\n"
        )),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchBinaries: too many matchBinaries entries: 2 (at most 1)",
            "p.yaml:17:18: spec.kprobes[0].selectors[0].matchBinaries[0].values[0]: value is 249 bytes long (at most 248)",
        ],
    );
}

#[test]
fn follow_children_only_with_in() {
    check(
        &openat(
            "- matchBinaries:\n  - operator: Prefix\n    followChildren: true\n    values: [/usr/]\n",
        ),
        &[
            "p.yaml:17:25: spec.kprobes[0].selectors[0].matchBinaries[0].followChildren: followChildren applies only to the In and NotIn operators",
        ],
    );
}

#[test]
fn match_namespaces_limits() {
    let values: Vec<String> = (1..=9).map(|i| format!("\"{i}\"")).collect();
    let entry = format!(
        "  - namespace: Mnt\n    operator: In\n    values: [{}]\n",
        values.join(", ")
    );
    let small = "  - namespace: Pid\n    operator: In\n    values: [host_ns]\n".repeat(10);
    check(
        &openat(&format!("- matchNamespaces:\n{entry}{small}")),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchNamespaces: too many matchNamespaces: 11 (at most 10)",
            "p.yaml:18:17: spec.kprobes[0].selectors[0].matchNamespaces[0].values: too many values: 9 (at most 8)",
        ],
    );
}

// ------------------------------------------------------------------ actions

#[test]
fn too_many_actions() {
    check(
        &openat(&format!(
            "- matchActions:\n{}",
            "  - action: Post\n".repeat(5)
        )),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchActions: too many actions: 5 (at most 4)",
        ],
    );
}

#[test]
fn signal_needs_arg_sig() {
    check(
        &openat("- matchActions:\n  - action: Signal\n"),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchActions[0]: Signal needs argSig; a signal number from 1 to 64, such as 9 for SIGKILL",
        ],
    );
    check(
        &openat("- matchActions:\n  - action: Signal\n    argSig: 65\n"),
        &[
            "p.yaml:17:17: spec.kprobes[0].selectors[0].matchActions[0].argSig: argSig 65 is out of range (1 to 64)",
        ],
    );
}

#[test]
fn override_needs_arg_error() {
    check(
        &openat("- matchActions:\n  - action: Override\n"),
        &[
            "p.yaml:16:9: spec.kprobes[0].selectors[0].matchActions[0]: Override needs argError; the value the call returns instead, such as -1 (-EPERM)",
        ],
    );
}

#[test]
fn get_url_needs_an_http_url() {
    check(
        &openat("- matchActions:\n  - action: GetUrl\n"),
        &["p.yaml:16:9: spec.kprobes[0].selectors[0].matchActions[0]: GetUrl needs argUrl"],
    );
    check(
        &openat("- matchActions:\n  - action: GetUrl\n    argUrl: ebpf.io\n"),
        &[
            "p.yaml:17:17: spec.kprobes[0].selectors[0].matchActions[0].argUrl: argUrl `ebpf.io` is not an http or https URL",
        ],
    );
}

#[test]
fn dns_lookup_needs_a_domain() {
    check(
        &openat("- matchActions:\n  - action: DnsLookup\n    argFqdn: \"not a name\"\n"),
        &[
            "p.yaml:17:18: spec.kprobes[0].selectors[0].matchActions[0].argFqdn: argFqdn `not a name` is not a valid domain name",
        ],
    );
}

#[test]
fn follow_fd_args_must_be_declared() {
    check(
        &openat("- matchActions:\n  - action: FollowFD\n    argFd: 0\n    argName: 3\n"),
        &[
            "p.yaml:18:18: spec.kprobes[0].selectors[0].matchActions[0].argName: argName 3 names no argument declared in args; declared indexes: 0, 1",
        ],
    );
    check(
        &openat("- matchActions:\n  - action: CopyFD\n    argName: 1\n"),
        &["p.yaml:16:9: spec.kprobes[0].selectors[0].matchActions[0]: CopyFD needs argFd"],
    );
}

#[test]
fn track_sock_needs_a_sock_arg() {
    check(
        &openat("- matchActions:\n  - action: TrackSock\n    argSock: 0\n"),
        &[
            "p.yaml:17:18: spec.kprobes[0].selectors[0].matchActions[0].argSock: argSock 0 names argument 0 of type `int`, not `sock`",
        ],
    );
}

#[test]
fn notify_killer_needs_killers() {
    check(
        &openat("- matchActions:\n  - action: NotifyKiller\n    argSig: 9\n"),
        &[
            "p.yaml:16:17: spec.kprobes[0].selectors[0].matchActions[0].action: NotifyKiller needs spec.killers",
        ],
    );
    check(
        &openat("- matchActions:\n  - action: NotifyEnforcer\n"),
        &[
            "p.yaml:16:17: spec.kprobes[0].selectors[0].matchActions[0].action: NotifyEnforcer needs spec.enforcers",
        ],
    );
}

#[test]
fn rate_limit_must_parse() {
    check(
        &openat("- matchActions:\n  - action: Post\n    rateLimit: 5 minutes\n"),
        &[
            "p.yaml:17:20: spec.kprobes[0].selectors[0].matchActions[0].rateLimit: invalid rateLimit `5 minutes`; expected a whole number of seconds, optionally followed by s, m or h (5, 30s, 1m, 2h)",
        ],
    );
}

#[test]
fn post_only_parameters() {
    check(
        &openat(
            "- matchActions:\n  - action: Sigkill\n    rateLimit: 1m\n    kernelStackTrace: true\n",
        ),
        &[
            "p.yaml:17:20: spec.kprobes[0].selectors[0].matchActions[0].rateLimit: rateLimit applies only to the Post action",
            "p.yaml:18:27: spec.kprobes[0].selectors[0].matchActions[0].kernelStackTrace: kernelStackTrace applies only to the Post action",
        ],
    );
}

// ------------------------------------------------------------------ everything at once

#[test]
fn every_problem_at_once_in_file_order() {
    let yaml = r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: Bad_Name
spec:
  kprobes:
  - call: sys_openat
    syscall: yes
    args:
    - index: 1
      type: strng
    selectors:
    - matchArgs:
      - index: 3
        operator: Equal
        values: ["/etc/passwd"]
      matchActions:
      - action: Signal
        argSig: 0
"#;
    check(
        yaml,
        &[
            "p.yaml:4:9: metadata.name: invalid name `Bad_Name`: not a DNS-1123 subdomain; use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
            "p.yaml:11:13: spec.kprobes[0].args[0].type: unknown type `strng`; did you mean `string`? expected one of auto, int, sint8, int8, uint8, sint16, int16, uint16, uint32, sint32, int32, ulong, uint64, size_t, long, sint64, int64, char_buf, char_iovec, skb, sock, sockaddr, socket, sockaddr_un, string, fd, file, filename, path, nop, bpf_attr, perf_event, bpf_map, user_namespace, capability, kiocb, iov_iter, cred, const_buf, load_info, module, syscall64, kernel_cap_t, cap_inheritable, cap_permitted, cap_effective, linux_binprm, data_loc, net_device, bpf_cmd, dentry, bpf_prog",
            "p.yaml:14:16: spec.kprobes[0].selectors[0].matchArgs[0].index: index 3 names no argument declared in args; declared indexes: 1",
            "p.yaml:19:17: spec.kprobes[0].selectors[0].matchActions[0].argSig: argSig 0 is out of range (1 to 64)",
        ],
    );
}

#[test]
fn grpc_source_and_error_fields() {
    let errs = parse_policy("<grpc>", "kind: [\n").unwrap_err();
    let e = &errs.0[0];
    assert_eq!(e.source, "<grpc>");
    assert!(e.line.is_some() && e.column.is_some());
    assert!(errs.to_string().starts_with("<grpc>:"));
    let as_error: &dyn std::error::Error = &errs;
    assert!(!as_error.to_string().is_empty());
}

#[test]
fn parse_policy_file_reads_and_reports() {
    let dir = std::env::temp_dir().join(format!("tetragon-policy-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.yaml");
    std::fs::write(&good, wrap("kprobes:\n- call: sys_dup\n  syscall: true\n")).unwrap();
    assert_eq!(
        parse_policy_file(&good).unwrap().source,
        good.display().to_string()
    );
    let missing = dir.join("missing.yaml");
    let errs = parse_policy_file(&missing).unwrap_err();
    assert!(
        errs.to_string()
            .starts_with(&format!("{}: cannot read the file: ", missing.display())),
        "{errs}"
    );
    let binary = dir.join("binary.yaml");
    std::fs::write(&binary, [b'a', 0xff, b'b']).unwrap();
    assert_eq!(
        parse_policy_file(&binary).unwrap_err().to_string(),
        format!(
            "{}: the file is not UTF-8 text (invalid byte at offset 1)",
            binary.display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ------------------------------------------------------------------ engine support

#[test]
fn engine_refuses_kernel_function_hooks() {
    let p = parse_policy("p.yaml", &wrap("kprobes:\n- call: security_file_open\n")).unwrap();
    assert_eq!(
        check_engine_support(&p).unwrap_err().to_string(),
        "p.yaml:7:11: spec.kprobes[0].call: kernel function `security_file_open` is not a syscall: kernel-function hooks need kprobes, which this engine does not serve yet; hook syscalls (`syscall: true`) or tracepoints instead"
    );
}

#[test]
fn engine_refuses_types_operators_and_actions() {
    let p = parse_policy(
        "p.yaml",
        &wrap("kprobes:\n- call: sys_connect\n  syscall: true\n  args:\n  - index: 1\n    type: sockaddr\n  selectors:\n  - matchArgs:\n    - index: 1\n      operator: SAddr\n      values: [10.0.0.0/8]\n    matchActions:\n    - action: FollowFD\n      argFd: 1\n      argName: 1\n"),
    )
    .unwrap();
    assert_eq!(
        check_engine_support(&p).unwrap_err().to_string(),
        "p.yaml:11:13: spec.kprobes[0].args[0].type: type `sockaddr` needs a kernel-function hook (kprobes), which this engine does not serve yet; syscall and tracepoint hooks read int, uint32, int32, sint32, int64, sint64, long, uint64, ulong, size_t, string, char_buf, char_iovec, fd, filename, nop\n\
         p.yaml:15:19: spec.kprobes[0].selectors[0].matchArgs[0].operator: operator `SAddr` needs socket arguments, which need kprobes, which this engine does not serve yet\n\
         p.yaml:18:17: spec.kprobes[0].selectors[0].matchActions[0].action: action `FollowFD` needs a kernel-function hook (kprobes), which this engine does not serve yet"
    );
}

#[test]
fn engine_refuses_unmodelled_sections_but_parser_accepts_them() {
    let p = parse_policy("p.yaml", &wrap("lsmhooks:\n- hook: file_open\n")).unwrap();
    assert_eq!(p.spec.unsupported, vec!["spec.lsmhooks"]);
    assert_eq!(
        check_engine_support(&p).unwrap_err().to_string(),
        "p.yaml:7:5: spec.lsmhooks: `spec.lsmhooks` is not served by this engine yet"
    );
}

#[test]
fn engine_accepts_override_and_enforcers() {
    let p = parse_policy(
        "p.yaml",
        &wrap("enforcers:\n- calls: [sys_dup]\nkprobes:\n- call: sys_dup\n  syscall: true\n  selectors:\n  - matchActions:\n    - action: Override\n      argError: -1\n    - action: NotifyEnforcer\n      argSig: 9\n"),
    )
    .unwrap();
    check_engine_support(&p).unwrap();
}

// ------------------------------------------------------------------ odd input

#[test]
fn byte_order_mark_is_accepted() {
    check(
        &format!(
            "\u{feff}{}",
            wrap("kprobes:\n- call: sys_dup\n  syscall: true\n")
        ),
        &[],
    );
}

#[test]
fn tab_indentation_is_a_syntax_error() {
    let errs = errors(&wrap("kprobes:\n- call: sys_dup\n\tsyscall: true\n"));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("p.yaml:7:"), "{}", errs[0]);
    assert!(errs[0].contains("invalid YAML"), "{}", errs[0]);
}

#[test]
fn same_field_in_other_case_is_a_duplicate() {
    check(
        &wrap("kprobes:\n- call: sys_dup\n  Call: sys_dup2\n  syscall: true\n"),
        &["p.yaml:8:5: spec.kprobes[0]: duplicate field `call`"],
    );
}

#[test]
fn aliases_are_resolved() {
    let p = parse_policy(
        "p.yaml",
        &wrap("kprobes:\n- call: sys_dup\n  syscall: true\n  selectors: &s\n  - matchPIDs:\n    - operator: In\n      values: [1]\n- call: sys_dup2\n  syscall: true\n  selectors: *s\n"),
    )
    .unwrap();
    assert_eq!(p.spec.kprobes[1].selectors[0].match_pids[0].values, vec![1]);
}

#[test]
fn values_are_stringified_as_written() {
    let p = parse_policy(
        "p.yaml",
        &openat("- matchArgs:\n  - index: 0\n    operator: Equal\n    values: [9999, \"9999\", 0x10, -1]\n"),
    )
    .unwrap();
    assert_eq!(
        p.spec.kprobes[0].selectors[0].match_args[0].values,
        vec!["9999", "9999", "0x10", "-1"]
    );
    assert_eq!(
        p.locations
            .get("spec.kprobes[0].selectors[0].matchArgs[0].values[2]"),
        Some(Pos {
            line: 18,
            column: 32
        })
    );
}
