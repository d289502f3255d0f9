//! `tetra stacktrace-tree print`: the call tree from JSON events piped on
//! stdin, and the daemon's answer for a policy.

use std::process::{Command, Stdio};

use serde_json::{Value, json};
use tetragon_e2e::{Daemon, binary, can_run_bpf, tetra_with_input};

/// A process_kprobe event of `policy` by `binary` with these frames,
/// innermost first (as the kernel reports them).
fn kprobe(
    policy: &str,
    binary: &str,
    kernel: &[(&str, u64)],
    user: &[(&str, &str, u64)],
) -> String {
    let kernel: Vec<Value> = kernel
        .iter()
        .map(|(symbol, offset)| json!({"address": "0", "offset": offset.to_string(), "symbol": symbol}))
        .collect();
    let user: Vec<Value> = user
        .iter()
        .enumerate()
        .map(|(i, (symbol, module, offset))| {
            json!({
                // Per-process addresses differ (ASLR); module+offset do not.
                "address": (0x7f00_0000_0000u64 + i as u64 * 0x1000 + binary.len() as u64).to_string(),
                "offset": offset.to_string(),
                "symbol": symbol,
                "module": module,
            })
        })
        .collect();
    json!({
        "process_kprobe": {
            "process": {"binary": binary, "pid": 42},
            "function_name": kernel.first().map(|f| f["symbol"].clone()).unwrap_or_default(),
            "policy_name": policy,
            "kernel_stack_trace": kernel,
            "user_stack_trace": user,
        },
        "node_name": "test-node",
        "time": "2026-01-01T00:00:00.000000001Z",
    })
    .to_string()
}

fn corpus() -> String {
    let connect = [
        ("tcp_v4_connect", 0x10),
        ("__sys_connect", 0x88),
        ("do_syscall_64", 0x80),
        ("entry_SYSCALL_64_after_hwframe", 0x76),
    ];
    let sendto = [
        ("tcp_sendmsg", 0x30),
        ("__sys_sendto", 0x120),
        ("do_syscall_64", 0x80),
        ("entry_SYSCALL_64_after_hwframe", 0x76),
    ];
    let libc_connect = [
        ("connect", "/usr/lib/x86_64-linux-gnu/libc.so.6", 0x11a3b),
        ("main", "/usr/bin/curl", 0x2040),
    ];
    [
        kprobe("net", "/usr/bin/curl", &connect, &libc_connect),
        // Not an event: warned about, skipped.
        "{\"process_kprobe\": oops".to_string(),
        kprobe("net", "/usr/bin/curl", &connect, &libc_connect),
        json!({"process_exec": {"process": {"binary": "/bin/true"}}}).to_string(),
        kprobe("net", "/usr/bin/wget", &connect, &[]),
        kprobe("net", "/usr/bin/curl", &sendto, &[]),
        String::new(),
    ]
    .join("\n")
}

#[test]
fn the_tree_of_piped_events_as_text() {
    let out = tetra_with_input(&["stacktrace-tree", "print", "-"], &corpus());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.starts_with("tetra: stdin line 2: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // Equal counts: kernel-only paths (no module) sort before user ones.
    let want = "\
0x0 () count:4
    0x0 (entry_SYSCALL_64_after_hwframe+0x76) count:2
        0x0 (do_syscall_64+0x80) count:2
            0x0 (__sys_connect+0x88) count:1
                0x0 (tcp_v4_connect+0x10) count:1
                    /usr/bin/wget count:1
            0x0 (__sys_sendto+0x120) count:1
                0x0 (tcp_sendmsg+0x30) count:1
                    /usr/bin/curl count:1
    0x7f000000100d (main (/usr/bin/curl+0x2040)) count:2
        0x7f000000000d (connect (/usr/lib/x86_64-linux-gnu/libc.so.6+0x11a3b)) count:2
            0x0 (entry_SYSCALL_64_after_hwframe+0x76) count:2
                0x0 (do_syscall_64+0x80) count:2
                    0x0 (__sys_connect+0x88) count:2
                        0x0 (tcp_v4_connect+0x10) count:2
                            /usr/bin/curl count:2
";
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
}

#[test]
fn the_tree_of_piped_events_as_json() {
    let out = tetra_with_input(&["stacktrace-tree", "print", "-o", "json", "-"], &corpus());
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON object a line");
    let reply: Value = serde_json::from_str(&stdout).unwrap();
    let root = &reply["root"];
    // uint64 as strings, as protojson writes them.
    assert_eq!(root["count"], "4");
    let counts: Vec<&str> = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_str().unwrap())
        .collect();
    assert_eq!(counts, ["2", "2"]);
    let kernel_side = &root["children"][0];
    assert_eq!(
        kernel_side["address"]["symbol"],
        "entry_SYSCALL_64_after_hwframe+0x76"
    );
    let leaf = &kernel_side["children"][0]["children"][0]["children"][0];
    assert_eq!(leaf["address"]["symbol"], "tcp_v4_connect+0x10");
    assert_eq!(leaf["labels"][0]["key"], "/usr/bin/wget");
    assert_eq!(leaf["labels"][0]["count"], "1");
}

#[test]
fn piped_events_without_stack_traces_give_an_empty_tree_and_a_note() {
    let input = json!({"process_exec": {"process": {"binary": "/bin/true"}}}).to_string() + "\n";
    let out = tetra_with_input(&["stacktrace-tree", "print", "-"], &input);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "0x0 () count:0\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("none of the 1 events on stdin carried a stack trace"),
        "{stderr}"
    );
}

#[test]
fn print_needs_a_name() {
    let out = Command::new(binary("tetra"))
        .args(["stacktrace-tree", "print"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_policy_is_one_line_and_exit_1() {
    if !can_run_bpf("an_unknown_policy_is_one_line_and_exit_1") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    let out = daemon
        .tetra()
        .args(["stacktrace-tree", "print", "no-such-policy"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("tetra: failed to get the stack trace tree of no-such-policy: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
}
