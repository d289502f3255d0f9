//! The line of a kprobe event: a verb and details for each hooked function Tetragon's
//! examples use, `❓ syscall <function>` for the others.

use tetragon_api::tetragon::{KprobeArgument, ProcessKprobe};

use super::args::{
    bpf_attr_arg, bpf_map_arg, file_arg, file_path, int_arg, path_arg_path, perf_event_arg,
    size_arg, sock_arg, string_arg, uint_arg,
};
use super::quote::maybe_quote;
use super::{CompactEncoder, EncodeError};

impl CompactEncoder {
    /// The line of a kprobe event.
    pub(super) fn kprobe(&self, kprobe: &ProcessKprobe, node: &str) -> Result<String, EncodeError> {
        let process = kprobe.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let args = &kprobe.args;
        // Cyan `render` of the argument at `index`, whatever its shape; empty only when there is
        // no such argument.
        let cyan_at = |index: usize, render: &dyn Fn(&KprobeArgument) -> String| {
            args.get(index)
                .map(|arg| self.cyan(&render(arg)))
                .unwrap_or_default()
        };
        // Cyan, quoted path of the file argument at `index`; empty when it is not a file.
        let file_at = |index: usize| {
            args.get(index)
                .and_then(file_arg)
                .map(|file| self.cyan(&maybe_quote(&file.path)))
                .unwrap_or_default()
        };
        let string_at = |index: usize| cyan_at(index, &|arg| maybe_quote(string_arg(arg)).into());
        let sock_at = |index: usize| cyan_at(index, &sock_text);

        let line = match cut_syscall_prefix(&kprobe.function_name) {
            function @ ("sys_write" | "sys_read") => {
                let verb = if function == "sys_write" {
                    self.verb("📝", "write")
                } else {
                    self.verb("📚", "read")
                };
                let bytes = cyan_at(2, &|arg| format!("{} bytes", size_arg(arg)));
                self.finish(verb, process, node, &[&file_at(0), &bytes])
            }
            "fd_install" => self.finish(self.verb("📬", "open"), process, node, &[&file_at(1)]),
            "sys_openat" => self.finish(self.verb("📬️", "openat"), process, node, &[&string_at(1)]),
            "sys_open" => self.finish(self.verb("📬️", "open"), process, node, &[&string_at(1)]),
            "sys_close" => self.finish(self.verb("📪", "close"), process, node, &[&file_at(0)]),
            function @ ("sys_mount" | "sys_pivot_root") => {
                let verb = self.verb("💾", function.trim_start_matches("sys_"));
                self.finish(verb, process, node, &[&string_at(0), &string_at(1)])
            }
            "sys_setuid" => {
                let uid = cyan_at(0, &|arg| int_arg(arg).to_string());
                self.finish(self.verb("🔑", "setuid"), process, node, &[&uid])
            }
            "sys_clock_settime" => {
                self.finish(self.verb("⏰", "clock_settime"), process, node, &[])
            }
            "proc_exec_connector" => {
                self.finish(self.verb("🔧", "proc_exec_connector"), process, node, &[])
            }
            "sys_setns" => {
                let ns = args.get(1).map_or("", |arg| namespace_name(int_arg(arg)));
                self.finish(self.verb("🔧", "setns"), process, node, &[ns])
            }
            "tcp_connect" => self.finish(self.verb("🔌", "connect"), process, node, &[&sock_at(0)]),
            "tcp_close" => self.finish(self.verb("🧹", "close"), process, node, &[&sock_at(0)]),
            "tcp_sendmsg" => {
                let bytes = format!("bytes {}", args.get(1).map_or(0, int_arg));
                self.finish(
                    self.verb("📤", "sendmsg"),
                    process,
                    node,
                    &[&sock_at(0), &bytes],
                )
            }
            "bpf_check" => {
                let attr = cyan_at(0, &|arg| {
                    let attr = bpf_attr_arg(arg);
                    format!(
                        "{} {} instruction count {}",
                        maybe_quote(&attr.prog_type),
                        maybe_quote(&attr.prog_name),
                        attr.insn_cnt
                    )
                });
                self.finish(self.verb("🐝", "bpf_load"), process, node, &[&attr])
            }
            "security_perf_event_alloc" => {
                let attr = cyan_at(0, &|arg| {
                    let perf = perf_event_arg(arg);
                    format!(
                        "{} {}",
                        maybe_quote(&perf.r#type),
                        maybe_quote(&perf.kprobe_func)
                    )
                });
                self.finish(self.verb("🐝", "perf_event_alloc"), process, node, &[&attr])
            }
            "security_bpf_map_alloc" | "security_bpf_map_create" => {
                let attr = cyan_at(0, &|arg| {
                    let map = bpf_map_arg(arg);
                    format!(
                        "{} {} key size {} value size {} max entries {}",
                        maybe_quote(&map.map_type),
                        maybe_quote(&map.map_name),
                        map.key_size,
                        map.value_size,
                        map.max_entries
                    )
                });
                self.finish(self.verb("🗺", "bpf_map_create"), process, node, &[&attr])
            }
            function @ "security_file_permission" => {
                let (verb, path) = match args.get(..2) {
                    Some([file, mask]) => {
                        let verb = match int_arg(mask) {
                            0x02 => self.verb("📝", "write"),
                            0x04 => self.verb("📚", "read"),
                            _ => self.verb("❓", function),
                        };
                        (verb, self.cyan(&maybe_quote(file_path(file))))
                    }
                    _ => (self.verb("❓", function), String::new()),
                };
                self.finish(verb, process, node, &[&path])
            }
            function @ "security_mmap_file" => {
                let (verb, path) = match args.get(..2) {
                    Some([file, prot]) => {
                        let prot = uint_arg(prot);
                        let mut tag = String::from("mmap-");
                        for (bit, flag) in [(0x01, 'r'), (0x02, 'w'), (0x04, 'x')] {
                            if prot & bit != 0 {
                                tag.push(flag);
                            }
                        }
                        (
                            self.verb("📝", &tag),
                            self.cyan(&maybe_quote(file_path(file))),
                        )
                    }
                    _ => (self.verb("❓", function), String::new()),
                };
                self.finish(verb, process, node, &[&path])
            }
            function @ ("security_path_truncate" | "security_file_truncate") => {
                let (verb, path) = match args.first() {
                    Some(arg) => {
                        let path = if function == "security_path_truncate" {
                            path_arg_path(arg)
                        } else {
                            file_path(arg)
                        };
                        (self.verb("📝", "truncate"), self.cyan(&maybe_quote(path)))
                    }
                    None => (self.verb("❓", function), String::new()),
                };
                self.finish(verb, process, node, &[&path])
            }
            _ => {
                let function = maybe_quote(&kprobe.function_name);
                self.finish(self.verb("❓", "syscall"), process, node, &[&function])
            }
        };
        Ok(line)
    }
}

/// Strips an architecture prefix from a syscall symbol (`__x64_sys_write` → `sys_write`).
fn cut_syscall_prefix(symbol: &str) -> &str {
    ["__x64_", "__arm64_", "__ia32_"]
        .iter()
        .find_map(|prefix| symbol.strip_prefix(prefix))
        .unwrap_or(symbol)
}

/// `tcp <saddr>:<sport> -> <daddr>:<dport>` (zero values when the argument is not a socket).
fn sock_text(arg: &KprobeArgument) -> String {
    let sock = sock_arg(arg);
    format!(
        "tcp {}:{} -> {}:{}",
        maybe_quote(&sock.saddr),
        sock.sport,
        maybe_quote(&sock.daddr),
        sock.dport
    )
}

/// The namespace type of a `setns` `nstype` (`CLONE_NEW*` flag); empty when not exactly one.
fn namespace_name(nstype: i32) -> &'static str {
    match nstype {
        0 => "any",
        0x0200_0000 => "cgroup",
        0x0800_0000 => "ipc",
        0x4000_0000 => "net",
        0x0002_0000 => "mnt",
        0x2000_0000 => "pid",
        0x80 => "time",
        0x1000_0000 => "user",
        0x0400_0000 => "uts",
        _ => "",
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::compact::fixtures::{line, pod_process};
    use serde_json::{Value, json};

    fn kprobe(function: &str, args: Value) -> Value {
        json!({
            "process_kprobe": {
                "process": pod_process("/usr/bin/curl", ""),
                "function_name": function,
                "args": args,
            },
            "node_name": "my-node",
        })
    }

    fn kprobe_line(function: &str, args: Value) -> String {
        line(kprobe(function, args))
    }

    #[test]
    fn kprobe_unknown_function() {
        assert_eq!(
            kprobe_line("unhandled_function", json!([])),
            "❓ syscall kube-system/tetragon /usr/bin/curl unhandled_function"
        );
    }

    #[test]
    fn kprobe_files() {
        let file = |path: &str| json!({"file_arg": {"path": path}});
        assert_eq!(
            kprobe_line("fd_install", json!([])),
            "📬 open    kube-system/tetragon /usr/bin/curl "
        );
        assert_eq!(
            kprobe_line("fd_install", json!([{"int_arg": 3}, file("/etc/password")])),
            "📬 open    kube-system/tetragon /usr/bin/curl /etc/password"
        );
        assert_eq!(
            kprobe_line("__x64_sys_write", json!([])),
            "📝 write   kube-system/tetragon /usr/bin/curl  "
        );
        assert_eq!(
            kprobe_line(
                "__x64_sys_write",
                json!([file("/etc/password"), {}, {"size_arg": "1234"}])
            ),
            "📝 write   kube-system/tetragon /usr/bin/curl /etc/password 1234 bytes"
        );
        assert_eq!(
            kprobe_line(
                "__arm64_sys_read",
                json!([file("/etc/shadow"), {"int_arg": 0}, {"int_arg": 5}])
            ),
            "📚 read    kube-system/tetragon /usr/bin/curl /etc/shadow 0 bytes"
        );
        assert_eq!(
            kprobe_line("sys_read", json!([file("/etc/shadow")])),
            "📚 read    kube-system/tetragon /usr/bin/curl /etc/shadow "
        );
        assert_eq!(
            kprobe_line("__x64_sys_close", json!([])),
            "📪 close   kube-system/tetragon /usr/bin/curl "
        );
        assert_eq!(
            kprobe_line("__x64_sys_close", json!([file("/etc/password")])),
            "📪 close   kube-system/tetragon /usr/bin/curl /etc/password"
        );
        assert_eq!(
            kprobe_line(
                "__ia32_sys_openat",
                json!([{"int_arg": -100}, {"string_arg": "/etc/passwd"}])
            ),
            "📬️ openat  kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            kprobe_line(
                "sys_open",
                json!([{"int_arg": -100}, {"string_arg": "/etc/passwd"}])
            ),
            "📬️ open    kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            kprobe_line("sys_openat", json!([{}])),
            "📬️ openat  kube-system/tetragon /usr/bin/curl "
        );
    }

    #[test]
    fn kprobe_security_hooks() {
        let file = json!({"file_arg": {"path": "/etc/passwd", "permission": "-rw-r--r--"}});
        let perm =
            |mask: i32| kprobe_line("security_file_permission", json!([file, {"int_arg": mask}]));
        assert_eq!(
            perm(2),
            "📝 write   kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            perm(4),
            "📚 read    kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            perm(6),
            "❓ security_file_permission kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            kprobe_line("security_file_permission", json!([file])),
            "❓ security_file_permission kube-system/tetragon /usr/bin/curl "
        );
        let mmap = |prot: u32| kprobe_line("security_mmap_file", json!([file, {"uint_arg": prot}]));
        assert_eq!(
            mmap(1),
            "📝 mmap-r  kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            mmap(5),
            "📝 mmap-rx kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            mmap(7),
            "📝 mmap-rwx kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            mmap(0),
            "📝 mmap-   kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            kprobe_line("security_mmap_file", json!([])),
            "❓ security_mmap_file kube-system/tetragon /usr/bin/curl "
        );
        assert_eq!(
            kprobe_line(
                "security_path_truncate",
                json!([{"path_arg": {"path": "/etc/passwd"}}])
            ),
            "📝 truncate kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            kprobe_line("security_path_truncate", json!([])),
            "❓ security_path_truncate kube-system/tetragon /usr/bin/curl "
        );
        assert_eq!(
            kprobe_line("security_file_truncate", json!([file])),
            "📝 truncate kube-system/tetragon /usr/bin/curl /etc/passwd"
        );
        assert_eq!(
            kprobe_line("security_file_truncate", json!([])),
            "❓ security_file_truncate kube-system/tetragon /usr/bin/curl "
        );
    }

    #[test]
    fn kprobe_syscalls() {
        assert_eq!(
            kprobe_line(
                "__x64_sys_mount",
                json!([{"string_arg": "tmpfs"}, {"string_arg": "/mnt"}])
            ),
            "💾 mount   kube-system/tetragon /usr/bin/curl tmpfs /mnt"
        );
        assert_eq!(
            kprobe_line(
                "sys_pivot_root",
                json!([{"string_arg": "/new"}, {"string_arg": "/old"}])
            ),
            "💾 pivot_root kube-system/tetragon /usr/bin/curl /new /old"
        );
        assert_eq!(
            kprobe_line("sys_mount", json!([])),
            "💾 mount   kube-system/tetragon /usr/bin/curl  "
        );
        assert_eq!(
            kprobe_line("__x64_sys_setuid", json!([{"int_arg": 1000}])),
            "🔑 setuid  kube-system/tetragon /usr/bin/curl 1000"
        );
        assert_eq!(
            kprobe_line("__x64_sys_clock_settime", json!([{"int_arg": 0}])),
            "⏰ clock_settime kube-system/tetragon /usr/bin/curl"
        );
        assert_eq!(
            kprobe_line("proc_exec_connector", json!([])),
            "🔧 proc_exec_connector kube-system/tetragon /usr/bin/curl"
        );
        let setns =
            |ns: i32| kprobe_line("__x64_sys_setns", json!([{"int_arg": 3}, {"int_arg": ns}]));
        assert_eq!(
            setns(0x4000_0000),
            "🔧 setns   kube-system/tetragon /usr/bin/curl net"
        );
        assert_eq!(
            setns(0x20000),
            "🔧 setns   kube-system/tetragon /usr/bin/curl mnt"
        );
        assert_eq!(
            setns(0),
            "🔧 setns   kube-system/tetragon /usr/bin/curl any"
        );
        assert_eq!(
            setns(0x80),
            "🔧 setns   kube-system/tetragon /usr/bin/curl time"
        );
        assert_eq!(
            setns(0x6000_0000),
            "🔧 setns   kube-system/tetragon /usr/bin/curl "
        );
        let names: Vec<_> = [
            0,
            0x0200_0000,
            0x0800_0000,
            0x4000_0000,
            0x20000,
            0x2000_0000,
            0x80,
            0x1000_0000,
            0x0400_0000,
        ]
        .into_iter()
        .map(namespace_name)
        .collect();
        assert_eq!(
            names,
            [
                "any", "cgroup", "ipc", "net", "mnt", "pid", "time", "user", "uts"
            ]
        );
    }

    #[test]
    fn kprobe_network() {
        let sock = json!({"sock_arg": {"family": "AF_INET", "type": "SOCK_STREAM", "protocol": "IPPROTO_TCP",
            "saddr": "10.244.0.6", "daddr": "104.198.14.52", "sport": 34965, "dport": 80}});
        assert_eq!(
            kprobe_line("tcp_connect", json!([sock])),
            "🔌 connect kube-system/tetragon /usr/bin/curl tcp 10.244.0.6:34965 -> 104.198.14.52:80"
        );
        assert_eq!(
            kprobe_line("tcp_close", json!([sock])),
            "🧹 close   kube-system/tetragon /usr/bin/curl tcp 10.244.0.6:34965 -> 104.198.14.52:80"
        );
        assert_eq!(
            kprobe_line("tcp_sendmsg", json!([sock, {"int_arg": 73}])),
            "📤 sendmsg kube-system/tetragon /usr/bin/curl tcp 10.244.0.6:34965 -> 104.198.14.52:80 bytes 73"
        );
        assert_eq!(
            kprobe_line("tcp_connect", json!([])),
            "🔌 connect kube-system/tetragon /usr/bin/curl "
        );
        assert_eq!(
            kprobe_line("tcp_sendmsg", json!([])),
            "📤 sendmsg kube-system/tetragon /usr/bin/curl  bytes 0"
        );
        assert_eq!(
            kprobe_line("tcp_connect", json!([{"int_arg": 1}])),
            "🔌 connect kube-system/tetragon /usr/bin/curl tcp :0 -> :0"
        );
    }

    #[test]
    fn kprobe_bpf() {
        assert_eq!(
            kprobe_line("bpf_check", json!([])),
            "🐝 bpf_load kube-system/tetragon /usr/bin/curl "
        );
        assert_eq!(
            kprobe_line(
                "bpf_check",
                json!([{"bpf_attr_arg": {"ProgType": "BPF_PROG_TYPE_KPROBE",
                "InsnCnt": 2048, "ProgName": "amazing-program"}}])
            ),
            "🐝 bpf_load kube-system/tetragon /usr/bin/curl BPF_PROG_TYPE_KPROBE amazing-program instruction count 2048"
        );
        assert_eq!(
            kprobe_line(
                "security_perf_event_alloc",
                json!([{"perf_event_arg": {
                "KprobeFunc": "commit_creds", "Type": "PERF_TYPE_TRACEPOINT"}}])
            ),
            "🐝 perf_event_alloc kube-system/tetragon /usr/bin/curl PERF_TYPE_TRACEPOINT commit_creds"
        );
        assert_eq!(
            kprobe_line("security_perf_event_alloc", json!([])),
            "🐝 perf_event_alloc kube-system/tetragon /usr/bin/curl "
        );
        let map = json!([{"bpf_map_arg": {"MapType": "BPF_MAP_TYPE_HASH", "KeySize": 8,
            "ValueSize": 8, "MaxEntries": 1024, "MapName": "amazing-map"}}]);
        for function in ["security_bpf_map_alloc", "security_bpf_map_create"] {
            assert_eq!(
                kprobe_line(function, map.clone()),
                "🗺 bpf_map_create kube-system/tetragon /usr/bin/curl BPF_MAP_TYPE_HASH amazing-map key size 8 value size 8 max entries 1024"
            );
            assert_eq!(
                kprobe_line(function, json!([])),
                "🗺 bpf_map_create kube-system/tetragon /usr/bin/curl "
            );
        }
    }
}
