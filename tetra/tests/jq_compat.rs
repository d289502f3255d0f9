//! `tetra getevents --jq` against the real jq: the same program over the same
//! events must print the same bytes as `jq -c` (and `jq -r -c` with `-r`).
//!
//! The same events go to `tetra getevents --jq ...` and to `jq` on stdin:
//! without field filters, tetra's program reads each line as it is, as jq
//! does. (From the server, the program reads what `tetra getevents -o json`
//! prints.) Without jq on PATH these tests are skipped, except in CI
//! (`CI=true`), where `scripts/install-deps.sh` must install it.

use std::{
    io::Write,
    path::Path,
    process::{Command, Output, Stdio},
};

/// Events for the recipes of the documents: exec in /tmp, sudo, set-uid
/// binaries, egress and close, kernel modules, BPF loads, setuid syscalls,
/// library loads; and strings that need escaping.
const RECIPE_EVENTS: &str = r#"{"process_exec":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjIwMDAwMDoyMDA=","pid":200,"uid":0,"cwd":"/","binary":"/tmp/nc","arguments":"ebpf.io 1234","flags":"execve clone","start_time":"2023-10-31T18:44:22.770000000Z","auid":4294967295,"pod":{"namespace":"default","name":"xwing","container":{"id":"containerd://b1","name":"spaceship","image":{"id":"docker.io/tgraf/netperf@sha256:c3","name":"docker.io/tgraf/netperf:latest"},"start_time":"2023-10-31T18:40:00Z","pid":12},"pod_labels":{"app.kubernetes.io/name":"xwing","org":"alliance"},"workload":"xwing","workload_kind":"Pod"},"docker":"b1","parent_exec_id":"a2luZC1jb250cm9sLXBsYW5lOjE5OTAwMDoxOTk=","tid":200},"parent":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjE5OTAwMDoxOTk=","pid":199,"uid":0,"cwd":"/","binary":"/bin/bash","flags":"execve","start_time":"2023-10-31T18:44:00Z","auid":4294967295,"tid":199}},"node_name":"kind-control-plane","time":"2023-10-31T18:44:22.777962637Z"}
{"process_exec":{"process":{"exec_id":"bWluaWt1YmU6MzAwMDAwOjMwMA==","pid":300,"uid":1000,"cwd":"/home/user","binary":"/usr/bin/sudo","arguments":"-i","flags":"execve","start_time":"2023-10-31T19:03:35.270000000Z","auid":1000,"parent_exec_id":"bWluaWt1YmU6Mjk5MDAwOjI5OQ==","tid":300,"process_credentials":{"uid":1000,"gid":1000,"euid":0,"egid":1000,"suid":0,"sgid":1000,"fsuid":0,"fsgid":1000},"binary_properties":{"setuid":0}}},"node_name":"minikube","time":"2023-10-31T19:03:35.273111185Z"}
{"process_exec":{"process":{"exec_id":"bWluaWt1YmU6MzAxMDAwOjMwMQ==","pid":301,"uid":1000,"cwd":"/home/user","binary":"/usr/bin/wall","arguments":"hello","flags":"execve","start_time":"2023-11-13T08:20:45.500000000Z","auid":1000,"tid":301,"process_credentials":{"uid":1000,"gid":1000,"euid":1000,"egid":5},"binary_properties":{"setgid":5}}},"node_name":"minikube","time":"2023-11-13T08:20:45.591560940Z"}
{"process_kprobe":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjQwMDAwMDo0MDA=","pid":400,"uid":0,"cwd":"/","binary":"/usr/bin/curl","arguments":"http://ebpf.io","flags":"execve","start_time":"2023-11-01T05:25:14Z","auid":4294967295,"pod":{"namespace":"default","name":"xwing"},"tid":400},"function_name":"tcp_connect","args":[{"sock_arg":{"family":"AF_INET","type":"SOCK_STREAM","protocol":"IPPROTO_TCP","saddr":"10.168.0.45","daddr":"104.198.14.52","sport":48272,"dport":80,"cookie":"18446629516458459392","state":"TCP_SYN_SENT"}}],"action":"KPROBE_ACTION_POST","policy_name":"monitor-network-activity-outside-cluster"},"node_name":"kind-control-plane","time":"2023-11-01T05:25:14.837745007Z"}
{"process_kprobe":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjUwMDAwMDo1MDA=","pid":500,"uid":0,"cwd":"/","binary":"/usr/sbin/sshd","arguments":"default/xwing","flags":"execve","start_time":"2023-11-01T04:51:20Z","auid":4294967295,"tid":500},"function_name":"tcp_close","args":[{"sock_arg":{"family":"AF_INET","type":"SOCK_STREAM","protocol":"IPPROTO_TCP","saddr":"127.0.0.1","daddr":"127.0.0.1","sport":22,"dport":51234}}],"action":"KPROBE_ACTION_POST","policy_name":"monitor-network-activity"},"node_name":"kind-control-plane","time":"2023-11-01T04:51:20.109146920Z"}
{"process_kprobe":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjYwMDAwMDo2MDA=","pid":600,"uid":0,"cwd":"/","binary":"/sbin/iptables","arguments":"-A OUTPUT -m cgroup --cgroup 1 -j LOG","flags":"execve","start_time":"2023-11-01T04:11:38Z","auid":4294967295,"tid":600},"function_name":"security_kernel_module_request","args":[{"string_arg":"ipt_LOG"}],"action":"KPROBE_ACTION_POST","policy_name":"monitor-kernel-modules"},"node_name":"kind-control-plane","time":"2023-11-01T04:11:38.390880528Z"}
{"process_kprobe":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjcwMDAwMDo3MDA=","pid":700,"uid":0,"cwd":"/","binary":"/usr/bin/bpftool","arguments":"prog list","flags":"execve","start_time":"2023-11-01T02:56:54Z","auid":4294967295,"tid":700},"function_name":"bpf_check","args":[{"bpf_attr_arg":{"ProgType":"BPF_PROG_TYPE_SOCKET_FILTER","InsnCnt":2,"ProgName":"x"}}],"action":"KPROBE_ACTION_POST","policy_name":"bpf"},"node_name":"kind-control-plane","time":"2023-11-01T02:56:54.926403604Z"}
{"process_kprobe":{"process":{"exec_id":"bWluaWt1YmU6ODAwMDAwOjgwMA==","pid":800,"uid":1000,"cwd":"/","binary":"/usr/bin/sudo","arguments":"id","flags":"execve","start_time":"2023-11-12T22:17:40Z","auid":1000,"tid":800},"function_name":"__sys_setresgid","args":[{"int_arg":-1},{"int_arg":0},{"int_arg":-1}],"action":"KPROBE_ACTION_POST","policy_name":"privileges-setuid-root"},"node_name":"minikube","time":"2023-11-12T22:17:40.754680857Z"}
{"process_loader":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjkwMDAwMDo5MDA=","pid":900,"uid":0,"cwd":"/","binary":"/usr/bin/curl","arguments":"https://ebpf.io","flags":"execve","start_time":"2023-10-31T19:42:33Z","auid":4294967295,"pod":{"namespace":"default","name":"xwing"},"tid":900},"path":"/usr/lib/x86_64-linux-gnu/libssl.so.3","buildid":"AQIDBA=="},"node_name":"kind-control-plane","time":"2023-10-31T19:42:33.065233159Z"}
{"process_exit":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjIwMDAwMDoyMDA=","pid":200,"uid":0,"cwd":"/","binary":"/tmp/nc","arguments":"ebpf.io 1234","flags":"execve clone","start_time":"2023-10-31T18:44:22.770000000Z","auid":4294967295,"pod":{"namespace":"default","name":"xwing"},"tid":200},"signal":"SIGKILL","status":9,"time":"2023-10-31T18:44:23Z"},"node_name":"kind-control-plane","time":"2023-10-31T18:44:23Z"}
{"process_exec":{"process":{"exec_id":"ZXNjYXBlczoxOjE=","pid":1,"uid":0,"cwd":"/tmp/é","binary":"/tmp/a\"b\\c","arguments":"\u007f \u0001 \u001b[31m tab\there\nnew é 😀 \u2028 </script> ' ,\r","flags":"execve","start_time":"2024-01-01T00:00:00Z","tid":1}},"node_name":"n","time":"2024-01-01T00:00:00.000000001Z"}
"#;

/// The documents' recipes, as written there.
const RECIPES: &[&str] = &[
    r#"select(.process_exec != null) | select(.process_exec.process.binary | contains("/tmp/")) | "\(.time) \(.process_exec.process.pod.namespace) \(.process_exec.process.pod.name) \(.process_exec.process.binary) \(.process_exec.process.arguments)""#,
    r#"select(.process_exec != null) | select(.process_exec.process.binary | contains("sudo")) | "\(.time) \(.process_exec.process.pod.namespace) \(.process_exec.process.binary) \(.process_exec.process.arguments)""#,
    r#"select(.process_exec != null) | select(.process_exec.process.binary_properties != null) | select(.process_exec.process.binary_properties.setuid != null or .process_exec.process.binary_properties.setgid != null) | "\(.time) \(.process_exec.process.pod.namespace) \(.process_exec.process.pod.name) \(.process_exec.process.binary) \(.process_exec.process.arguments) uid=\(.process_exec.process.process_credentials.uid) euid=\(.process_exec.process.process_credentials.euid) gid=\(.process_exec.process.process_credentials.gid) egid=\(.process_exec.process.process_credentials.egid)""#,
    r#"select(.process_kprobe != null) | select(.process_kprobe.policy_name | test("privileges-setuid-root")) | "\(.time) \(.process_kprobe.process.pod.namespace) \(.process_kprobe.process.pod.name) \(.process_kprobe.process.binary) \(.process_kprobe.process.arguments) \(.process_kprobe.function_name) \(.process_kprobe.args)""#,
    r#"select(.process_kprobe != null) | select(.process_kprobe.function_name | test("tcp_close")) | "\(.time) \(.process_kprobe.process.binary) \(.process_kprobe.process.arguments) \(.process_kprobe.args[0].sock_arg.family) \(.process_kprobe.args[0].sock_arg.type) \(.process_kprobe.args[0].sock_arg.protocol) \(.process_kprobe.args[0].sock_arg.saddr):\(.process_kprobe.args[0].sock_arg.sport)""#,
    r#"select(.process_kprobe != null) | select(.process_kprobe.function_name | test("tcp_connect")) | "\(.time) \(.process_kprobe.process.binary) \(.process_kprobe.process.arguments) \(.process_kprobe.args[0].sock_arg.saddr):\(.process_kprobe.args[0].sock_arg.sport) -> \(.process_kprobe.args[0].sock_arg.daddr):\(.process_kprobe.args[0].sock_arg.dport)""#,
    r#"select(.process_kprobe != null) | select(.process_kprobe.function_name | test("security_kernel_module_request")) | "\(.time) \(.process_kprobe.process.binary) \(.process_kprobe.process.arguments) module:\(.process_kprobe.args[0].string_arg)""#,
    r#"select(.process_kprobe != null) | select(.process_kprobe.function_name | test("bpf_check")) | "\(.time) \(.process_kprobe.process.binary) \(.process_kprobe.process.arguments) programType:\(.process_kprobe.args[0].bpf_attr_arg.ProgType) programInsn:\(.process_kprobe.args[0].bpf_attr_arg.InsnCnt)""#,
    r#"select(.process_loader != null) | "\(.time) \(.process_loader.process.pod.namespace) \(.process_loader.process.binary) \(.process_loader.process.arguments) \(.process_loader.path)""#,
    r#"select(.process_exec.process.pod.name=="xwing" or .process_exit.process.pod.name=="xwing")"#,
];

/// Edge cases: paths, interpolation, arithmetic, key order, formats,
/// errors on some events, several outputs, none.
const PROGRAMS: &[&str] = &[
    ".",
    "keys",
    "keys_unsorted",
    "to_entries | map(.key)",
    "with_entries(select(.key != \"time\"))",
    ".process_exec.process.pid",
    ".process_exec.process.exec_id | @base64d",
    "select(.process_exec) | .process_exec.process.exec_id | @base64d | split(\":\")",
    ".[] | .process.pid",
    ".time, .node_name",
    "empty",
    "[paths] | length",
    "[paths(type == \"number\")]",
    "[leaf_paths | join(\".\")?] | .[0:5]",
    "[.. | numbers]",
    "[.. | strings] | length",
    "tojson",
    "tostring | length",
    "\"\\(.)\" | length",
    "del(.node_name) | keys_unsorted",
    "del(.. | .pid?)",
    "del(.[] | .process)",
    ".process_exec.process | del(.pid, .uid) | keys_unsorted",
    ".process_exec |= empty | keys_unsorted",
    ".extra.deep[2] = 1 | .extra",
    ".process_exec.process.pod.pod_labels.new = \"x\" | .process_exec.process.pod.pod_labels",
    "[.[] | .process.pid / 7]",
    "[.[] | .process.pid * 1.5, .process.pid % 7, -.process.pid]",
    ".[] | .process.pid * 10000000000000",
    "(.process_exec.process.pid // 1) / 3 | . * 3, floor, sqrt",
    "\"pid \\(.process_exec.process.pid / 4) of \\(.node_name)\"",
    "[.[] | .process.auid] | add",
    ".process_kprobe.args",
    "\"\\(.process_kprobe.args)\"",
    ".process_kprobe.args[]?.int_arg? // empty",
    "[.process_kprobe.args[]? | keys[0]]",
    ".time | test(\"Z$\"), sub(\"T\"; \" \"), .[11:19], ltrimstr(\"2023-\")",
    "[.time | scan(\"[0-9]+\")] | length",
    ".time | capture(\"(?<year>[0-9]{4})-(?<month>[0-9]{2})\")",
    ".node_name | ascii_upcase, split(\"-\"), (split(\"-\") | join(\"+\")), length",
    "[.process_exec.process.pid, .process_exec.process.binary, null, true] | @csv, @tsv, @sh",
    ".process_exec.process.arguments | @json, @text, @html, @uri, @sh, @base64, length, utf8bytelength, explode",
    ".process_exec.process.arguments | @base64 | @base64d",
    "{(.node_name): .time, pid: .process_exec.process.pid}",
    ".process_exec.process | {pid, binary, extra: null}",
    "[.[] | type]",
    "map_values(type)",
    "to_entries[] | .key",
    "try (.time + 1) catch .",
    "try (.process_exec.process.pid | .x) catch .",
    "try (.process_exec.process.pid / 0) catch .",
    "try error({\"event\": .node_name}) catch .",
    ".process_exec.process.pid | . + 1",
    ".time | .[0:4] | tonumber",
    "[limit(2; .. | strings)]",
    "first(.. | numbers)",
    "any(.. ; . == \"/bin/bash\"), all(.[]; type == \"object\" or type == \"string\")",
    "[.. | objects | select(has(\"pid\")) | .pid] | unique",
    "[.[] | .process.binary] | sort_by(length) | first",
    "getpath([\"process_exec\", \"process\", \"pod\", \"name\"])",
    "[tostream] | length",
    "walk(if type == \"number\" then . + 0.5 else . end) | [.. | numbers]",
    "reduce (.. | numbers) as $n (0; . + $n)",
    "[splits(\"x\")?]",
    "if .process_exec then \"exec\" elif .process_exit then \"exit\" else \"other\" end",
    ".process_exec.process.pid as $p | [$p, ($p | tostring), ($p | tojson)]",
];

/// Programs printed with `-r`.
const RAW_PROGRAMS: &[&str] = &[
    ".process_exec.process.binary",
    ".process_exec.process.arguments",
    ".node_name, .time, .process_exec.process.pid",
    "select(.process_exec) | \"\\(.process_exec.process.binary)\\t\\(.process_exec.process.arguments)\"",
    ".process_kprobe.args",
    "[.node_name] | @csv",
];

fn tetra() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tetra"))
}

/// Whether the real jq is here; in CI its absence is a failure.
fn have_jq() -> bool {
    let found = Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "jq is not on PATH: scripts/install-deps.sh must install it for CI"
        );
        eprintln!("skipped: jq is not on PATH");
    }
    found
}

fn run_with_stdin(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_string();
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("wait");
    writer.join().unwrap().expect("write stdin");
    out
}

/// The recipe events, the compact golden events and upstream's kprobe event,
/// one JSON line each.
fn events() -> String {
    let mut lines = RECIPE_EVENTS.to_string();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/compact");
    let mut files: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        lines.push_str(&std::fs::read_to_string(file).unwrap());
    }
    let upstream = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../proto/tests/data/upstream_process_kprobe.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(upstream).unwrap()).unwrap();
    lines.push_str(&value.to_string());
    lines.push('\n');
    lines
}

/// What `tetra getevents -o json <args>` prints for the events.
fn as_tetra_prints_them(events: &str, args: &[&str]) -> String {
    let mut cmd = tetra();
    cmd.args(["getevents", "-o", "json"]).args(args);
    let out = run_with_stdin(cmd, events);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `program` through tetra and jq; panics with both outputs when the
/// bytes differ.
fn assert_same(program: &str, raw: bool, events: &str, json: &str) {
    let flag = if raw { "-r" } else { "-c" };
    let mut cmd = tetra();
    cmd.args(["getevents", "--jq", program]);
    if raw {
        cmd.arg("-r");
    }
    let ours = run_with_stdin(cmd, events);
    let mut cmd = Command::new("jq");
    cmd.args(["-c", flag, program]);
    let theirs = run_with_stdin(cmd, json);
    assert!(
        ours.status.success(),
        "tetra failed on {program}: {}",
        String::from_utf8_lossy(&ours.stderr)
    );
    if ours.stdout != theirs.stdout {
        let (a, b) = (
            String::from_utf8_lossy(&ours.stdout).into_owned(),
            String::from_utf8_lossy(&theirs.stdout).into_owned(),
        );
        let line = a
            .split_inclusive('\n')
            .zip(b.split_inclusive('\n'))
            .position(|(x, y)| x != y)
            .unwrap_or(a.lines().count().min(b.lines().count()));
        panic!(
            "`{program}` ({flag}): output line {} differs\n tetra: {:?}\n    jq: {:?}\n(tetra printed {} lines, jq {})",
            line + 1,
            a.split_inclusive('\n').nth(line),
            b.split_inclusive('\n').nth(line),
            a.lines().count(),
            b.lines().count(),
        );
    }
    // An error on an event is reported for the events jq reports it for.
    let count = |o: &Output, word: &str| String::from_utf8_lossy(&o.stderr).matches(word).count();
    assert_eq!(
        count(&ours, "error (at event"),
        count(&theirs, "error (at <stdin>"),
        "`{program}`: tetra's stderr: {}; jq's stderr: {}",
        String::from_utf8_lossy(&ours.stderr),
        String::from_utf8_lossy(&theirs.stderr),
    );
}

#[test]
fn the_documents_recipes_print_as_jq_does() {
    if !have_jq() {
        return;
    }
    let events = events();
    for recipe in RECIPES {
        assert_same(recipe, false, &events, &events);
        assert_same(recipe, true, &events, &events);
    }
    // The recipes find what the documents show.
    let mut cmd = tetra();
    cmd.args(["getevents", "-r", "--jq", RECIPES[0]]);
    let first = RECIPE_EVENTS.lines().next().unwrap();
    let out = run_with_stdin(cmd, &format!("{first}\n"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "2023-10-31T18:44:22.777962637Z default xwing /tmp/nc ebpf.io 1234\n"
    );
}

#[test]
fn edge_cases_print_as_jq_does() {
    if !have_jq() {
        return;
    }
    let events = events();
    for program in PROGRAMS {
        assert_same(program, false, &events, &events);
    }
}

#[test]
fn raw_output_prints_as_jq_r_does() {
    if !have_jq() {
        return;
    }
    let events = events();
    for program in RAW_PROGRAMS {
        assert_same(program, true, &events, &events);
    }
}

#[test]
fn an_error_on_one_event_is_reported_and_the_next_events_go_on() {
    let events = "{\"process_exec\":{\"process\":{\"pid\":1,\"binary\":\"/bin/a\"}},\"time\":\"2024-01-01T00:00:00Z\"}\n\
                  {\"process_exit\":{\"process\":{\"pid\":2,\"binary\":\"/bin/b\"}},\"time\":\"2024-01-01T00:00:01Z\"}\n\
                  {\"process_exec\":{\"process\":{\"pid\":3,\"binary\":\"/bin/c\"}},\"time\":\"2024-01-01T00:00:02Z\"}\n";
    let mut cmd = tetra();
    cmd.args([
        "getevents",
        "--jq",
        ".time, (.process_exec.process.pid | . + 1)",
    ]);
    let out = run_with_stdin(cmd, events);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "\"2024-01-01T00:00:00Z\"\n2\n\"2024-01-01T00:00:01Z\"\n1\n\"2024-01-01T00:00:02Z\"\n4\n"
    );
    let program = ".time, (.process_exec.process.pid | . - 1)";
    let mut cmd = tetra();
    cmd.args(["getevents", "--jq", program]);
    let out = run_with_stdin(cmd, events);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "\"2024-01-01T00:00:00Z\"\n0\n\"2024-01-01T00:00:01Z\"\n\"2024-01-01T00:00:02Z\"\n2\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tetra: --jq: error (at event 2): null (null) and number (1) cannot be subtracted\n"
    );
    if have_jq() {
        assert_same(program, false, events, events);
    }
}

#[test]
fn with_field_filters_the_program_reads_the_filtered_event() {
    // The recipe events are not as tetra would print them (`.770000000Z`):
    // with a field filter, the program reads the event encoded again.
    let events = format!("{RECIPE_EVENTS}\n");
    let filtered = as_tetra_prints_them(&events, &["-F", "parent"]);
    let mut cmd = tetra();
    cmd.args(["getevents", "-F", "parent", "--jq", "."]);
    let out = run_with_stdin(cmd, &events);
    assert!(out.status.success());
    // (jq's escapes differ from -o json's: compare a plain event.)
    let first = filtered.lines().next().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next(),
        Some(first)
    );
    assert!(!first.contains("\"parent\""), "{first}");
    assert!(first.contains(".770Z"), "{first}");
    // Without, it reads each line as it is, as jq does.
    let mut cmd = tetra();
    cmd.args(["getevents", "--jq", "."]);
    let out = run_with_stdin(cmd, &events);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next(),
        events.lines().next()
    );
}

#[test]
fn a_program_that_does_not_compile_is_reported_before_connecting() {
    // Nothing listens there: getting as far as connecting would say so.
    let out = tetra()
        .args([
            "--server-address",
            "127.0.0.1:9",
            "--timeout",
            "1s",
            "getevents",
            "--jq",
            "select(.process_exec != null) | .time )",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "tetra: --jq: unexpected `)` at column 39\n"
    );
}

#[test]
fn raw_output_needs_a_program_and_jq_needs_json() {
    let out = tetra()
        .args(["getevents", "-r"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--jq"));
    let out = tetra()
        .args(["getevents", "-o", "compact", "--jq", "."])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o compact"));
}
