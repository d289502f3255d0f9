//! `tetra getevents -o compact`: one short, human-readable line per event.
//!
//! The line is `<icon> <verb padded to 7> <source> <binary> <details>`, optionally preceded by
//! the event time and followed by a `🛑 CAP_SYS_ADMIN` trailer, kernel/user stack traces and IMA
//! hashes. It follows Tetragon's own encoder byte for byte, including its spacing quirks (an
//! empty detail still leaves its separating space, and with colours the empty caps trailer still
//! pads the line to 120 bytes) and its colours:
//!
//! | part | colour |
//! | --- | --- |
//! | icon and verb | blue (red for `throttle`) |
//! | source (pod or node) | green |
//! | binary, caps trailer | magenta |
//! | details (arguments, paths, sockets, bpf attributes) | cyan |
//! | exit status or signal | red |
//! | loader path | yellow |
//! | stack frame: address / symbol / offset | green / blue / yellow |
//!
//! Where this module knowingly differs from upstream's current source:
//! - a plain space never causes quoting (see [`maybe_quote`]);
//! - the caps trailer appears when the effective set *contains* CAP_SYS_ADMIN (upstream tests
//!   the list's indices, so it shows for any list longer than 21 entries);
//! - `☎  syscall` prints the syscall name only, without upstream's argument signature;
//! - with colours, the reset code that upstream writes after the last stack-trace newline comes
//!   before the newline the caller adds (the text has no trailing newline);
//! - events upstream cannot encode (no process, unknown kind) are skipped, not fatal.
//!
//! Every string that comes from the event is passed through [`maybe_quote`]: printed as is when
//! all its characters are printable, otherwise quoted and escaped like Go's `strconv.Quote`, so an
//! event can never smuggle a control sequence into the terminal.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

use tetragon_api::tetragon::get_events_response::Event;
use tetragon_api::tetragon::kprobe_argument::Arg;
use tetragon_api::tetragon::{
    CapabilitiesType, GetEventsResponse, KprobeArgument, KprobeFile, Process, ProcessExec,
    ProcessExit, ProcessKprobe, ProcessLoader, ProcessLsm, ProcessThrottle, ProcessTracepoint,
    ProcessUprobe, ProcessUsdt, ThrottleType,
};

/// When the compact output is coloured (`--color`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorMode {
    /// Colours when stdout is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`.
    #[default]
    Auto,
    /// Always colour (even with `NO_COLOR` set: an explicit flag wins, as upstream).
    Always,
    /// Never colour.
    Never,
}

impl ColorMode {
    /// Whether to colour, given whether stdout is a terminal; reads `NO_COLOR` and `TERM`.
    pub fn resolve(self, is_terminal: bool) -> bool {
        let no_color = std::env::var_os("NO_COLOR");
        let term = std::env::var_os("TERM");
        // A value that is not UTF-8 is still a non-empty value.
        let no_color = no_color.as_deref().map(|v| v.to_str().unwrap_or("?"));
        self.resolve_with(
            is_terminal,
            no_color,
            term.as_deref().and_then(|v| v.to_str()),
        )
    }

    /// [`resolve`](Self::resolve) with the environment passed in: `no_color` and `term` are the
    /// values of `NO_COLOR` and `TERM` (`None` when unset).
    pub fn resolve_with(
        self,
        is_terminal: bool,
        no_color: Option<&str>,
        term: Option<&str>,
    ) -> bool {
        match self {
            ColorMode::Always => true,
            ColorMode::Never => false,
            ColorMode::Auto => {
                is_terminal && no_color.is_none_or(str::is_empty) && term != Some("dumb")
            }
        }
    }
}

/// Why an event has no compact line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The response holds no event at all.
    #[error("invalid event")]
    NoEvent,
    /// The event has no `process`.
    #[error("process field is not set")]
    MissingProcess,
    /// An event kind the compact form does not print (e.g. `rate_limit_info`).
    #[error("unknown event type")]
    UnknownEventType,
}

/// Encodes events as the compact one-liners of `tetra getevents -o compact`.
#[derive(Clone, Copy, Debug)]
pub struct CompactEncoder {
    color: bool,
    timestamps: bool,
    stack_traces: bool,
    ima_hash: bool,
}

/// Width the line is padded to before the capabilities trailer, counted in bytes (colour
/// codes included), exactly as upstream does.
const CAPS_PAD: usize = 120;

#[derive(Clone, Copy)]
enum Paint {
    Red = 31,
    Green = 32,
    Yellow = 33,
    Blue = 34,
    Magenta = 35,
    Cyan = 36,
}

impl CompactEncoder {
    /// `color`: already resolved (see [`ColorMode::resolve`]); `timestamps`: prefix each line
    /// with the event time; `stack_traces`: print kprobe stack traces after the line.
    /// IMA hashes of LSM events are printed too (upstream's `--ima-hash` default); see
    /// [`with_ima_hash`](Self::with_ima_hash).
    pub fn new(color: bool, timestamps: bool, stack_traces: bool) -> Self {
        CompactEncoder {
            color,
            timestamps,
            stack_traces,
            ima_hash: true,
        }
    }

    /// Whether to print the IMA hash line of LSM events (default: on).
    pub fn with_ima_hash(mut self, ima_hash: bool) -> Self {
        self.ima_hash = ima_hash;
        self
    }

    /// The text for one event: the line (then stack-trace and IMA lines, if any), without a
    /// trailing newline; `None` for events the compact form does not print (no event, an
    /// event without its process, or a kind it does not know).
    pub fn encode(&self, ev: &GetEventsResponse) -> Option<String> {
        self.try_encode(ev).ok()
    }

    /// As [`encode`](Self::encode), saying why an event is not printed.
    pub fn try_encode(&self, ev: &GetEventsResponse) -> Result<String, EncodeError> {
        let line = self.event_line(ev)?;
        let mut text = if self.timestamps {
            let (seconds, nanos) = ev.time.map_or((0, 0), |t| (t.seconds, t.nanos));
            format!("{} {line}", format_utc(seconds, nanos))
        } else {
            line
        };

        // Upstream writes the line and its newline, then these blocks, each of whose lines ends
        // in a newline (inside the colour codes when coloured). The caller adds one newline after
        // the text, so the block's last newline is dropped.
        let mut extra = String::new();
        if self.stack_traces {
            self.stack_trace_block(ev, &mut extra);
        }
        if self.ima_hash {
            self.ima_block(ev, &mut extra);
        }
        if !extra.is_empty() {
            text.push('\n');
            text.push_str(&drop_last_newline(&extra));
        }
        Ok(text)
    }

    /// The event's line alone: no timestamp, no stack trace.
    pub fn event_line(&self, ev: &GetEventsResponse) -> Result<String, EncodeError> {
        let node = ev.node_name.as_str();
        match ev.event.as_ref().ok_or(EncodeError::NoEvent)? {
            Event::ProcessExec(exec) => self.exec(exec, node),
            Event::ProcessExit(exit) => self.exit(exit, node),
            Event::ProcessKprobe(kprobe) => self.kprobe(kprobe, node),
            Event::ProcessTracepoint(tp) => self.tracepoint(tp, node),
            Event::ProcessLoader(loader) => self.loader(loader, node),
            Event::ProcessUprobe(uprobe) => self.uprobe(uprobe, node),
            Event::ProcessLsm(lsm) => self.lsm(lsm, node),
            Event::ProcessUsdt(usdt) => self.usdt(usdt, node),
            Event::ProcessThrottle(throttle) => Ok(self.throttle(throttle)),
            Event::Test(_) => Ok("TEST EVENT".to_owned()),
            Event::RateLimitInfo(_) => Err(EncodeError::UnknownEventType),
        }
    }

    fn paint(&self, paint: Paint, text: &str) -> String {
        if self.color {
            format!("\x1b[{}m{text}\x1b[0m", paint as u8)
        } else {
            text.to_owned()
        }
    }

    /// `<icon> <verb padded to 7>`, in blue.
    fn verb(&self, icon: &str, verb: &str) -> String {
        self.paint(Paint::Blue, &format!("{icon} {verb:<7}"))
    }

    fn cyan(&self, text: &str) -> String {
        self.paint(Paint::Cyan, text)
    }

    /// `(<source> <binary>, <caps trailer>)`; the trailer is coloured even when empty, as
    /// upstream (so with colours every line gets padded).
    fn process_info(&self, node: &str, process: &Process) -> (String, String) {
        let source = match &process.pod {
            Some(pod) => format!("{}/{}", maybe_quote(&pod.namespace), maybe_quote(&pod.name)),
            None => maybe_quote(node).into_owned(),
        };
        let info = format!(
            "{} {}",
            self.paint(Paint::Green, &source),
            self.paint(Paint::Magenta, &maybe_quote(&process.binary))
        );
        let sys_admin = CapabilitiesType::CapSysAdmin as i32;
        let has_sys_admin = process
            .cap
            .as_ref()
            .is_some_and(|caps| caps.effective.contains(&sys_admin));
        let caps = if has_sys_admin {
            "🛑 CAP_SYS_ADMIN"
        } else {
            ""
        };
        (info, self.paint(Paint::Magenta, caps))
    }

    /// Pads `line` to [`CAPS_PAD`] bytes and appends `caps`, right-aligned in the remaining
    /// width counted in characters (upstream's `%s %*s`).
    fn with_caps(line: String, caps: &str) -> String {
        if caps.is_empty() {
            return line;
        }
        let width = CAPS_PAD.saturating_sub(line.len());
        format!("{line} {caps:>width$}")
    }

    /// Joins `verb`, the process info and the details with single spaces, then adds the caps.
    fn finish(&self, verb: String, process: &Process, node: &str, details: &[&str]) -> String {
        let (info, caps) = self.process_info(node, process);
        let mut line = verb;
        line.push(' ');
        line.push_str(&info);
        for detail in details {
            line.push(' ');
            line.push_str(detail);
        }
        Self::with_caps(line, &caps)
    }

    fn exec(&self, exec: &ProcessExec, node: &str) -> Result<String, EncodeError> {
        let process = exec.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let args = self.cyan(&maybe_quote(&process.arguments));
        Ok(self.finish(self.verb("🚀", "process"), process, node, &[&args]))
    }

    fn exit(&self, exit: &ProcessExit, node: &str) -> Result<String, EncodeError> {
        let process = exit.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let args = self.cyan(&maybe_quote(&process.arguments));
        let status = if exit.signal.is_empty() {
            exit.status.to_string()
        } else {
            maybe_quote(&exit.signal).into_owned()
        };
        let status = self.paint(Paint::Red, &status);
        Ok(self.finish(self.verb("💥", "exit"), process, node, &[&args, &status]))
    }

    fn loader(&self, loader: &ProcessLoader, node: &str) -> Result<String, EncodeError> {
        let process = loader.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        // The build id and the path share one field: `<hex> <path>`, or just `<path>`.
        let mut detail = String::new();
        for byte in &loader.buildid {
            let _ = write!(detail, "{byte:02x}");
        }
        if !detail.is_empty() {
            detail.push(' ');
        }
        detail.push_str(&self.paint(Paint::Yellow, &maybe_quote(&loader.path)));
        Ok(self.finish(self.verb("🧬", "loader"), process, node, &[&detail]))
    }

    fn throttle(&self, throttle: &ProcessThrottle) -> String {
        let verb = self.paint(Paint::Red, &format!("🧬 {:<7}", "throttle"));
        let kind = match ThrottleType::try_from(throttle.r#type) {
            Ok(ThrottleType::ThrottleStart) => self.paint(Paint::Red, "START"),
            Ok(ThrottleType::ThrottleStop) => self.paint(Paint::Green, "STOP "),
            _ => String::new(),
        };
        format!("{verb} {kind} {}", maybe_quote(&throttle.cgroup))
    }

    fn uprobe(&self, uprobe: &ProcessUprobe, node: &str) -> Result<String, EncodeError> {
        let process = uprobe.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let path = maybe_quote(&uprobe.path);
        let symbol = maybe_quote(&uprobe.symbol);
        Ok(self.finish(self.verb("🕵️", "uprobe"), process, node, &[&path, &symbol]))
    }

    fn usdt(&self, usdt: &ProcessUsdt, node: &str) -> Result<String, EncodeError> {
        let process = usdt.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let path = maybe_quote(&usdt.path);
        let provider = maybe_quote(&usdt.provider);
        let name = maybe_quote(&usdt.name);
        let details: [&str; 3] = [&path, &provider, &name];
        Ok(self.finish(self.verb("🕵️", "usdt"), process, node, &details))
    }

    fn lsm(&self, lsm: &ProcessLsm, node: &str) -> Result<String, EncodeError> {
        let process = lsm.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let function = maybe_quote(&lsm.function_name);
        Ok(self.finish(self.verb("🔒", "LSM"), process, node, &[&function]))
    }

    fn tracepoint(&self, tp: &ProcessTracepoint, node: &str) -> Result<String, EncodeError> {
        let process = tp.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        if tp.subsys == "raw_syscalls" && tp.event == "sys_enter" {
            let name = raw_syscall_name(&tp.args, DEFAULT_ABI);
            return Ok(self.finish(self.verb("☎ ", "syscall"), process, node, &[&name]));
        }
        let subsys = maybe_quote(&tp.subsys);
        let event = maybe_quote(&tp.event);
        Ok(self.finish(
            self.verb("⁉️", "tracepoint"),
            process,
            node,
            &[&subsys, &event],
        ))
    }

    fn kprobe(&self, kprobe: &ProcessKprobe, node: &str) -> Result<String, EncodeError> {
        let process = kprobe.process.as_ref().ok_or(EncodeError::MissingProcess)?;
        let args = &kprobe.args;
        // Cyan, quoted path of the file argument at `index`; empty when it is not a file.
        let file_at = |index: usize| {
            args.get(index)
                .and_then(file_arg)
                .map(|file| self.cyan(&maybe_quote(&file.path)))
                .unwrap_or_default()
        };
        // Cyan, quoted string argument at `index`; empty only when there is no such argument.
        let string_at = |index: usize| {
            args.get(index)
                .map(|arg| self.cyan(&maybe_quote(string_arg(arg))))
                .unwrap_or_default()
        };
        let sock_at = |index: usize| {
            args.get(index)
                .map(|arg| self.cyan(&sock_text(arg)))
                .unwrap_or_default()
        };

        let line = match cut_syscall_prefix(&kprobe.function_name) {
            function @ ("sys_write" | "sys_read") => {
                let verb = if function == "sys_write" {
                    self.verb("📝", "write")
                } else {
                    self.verb("📚", "read")
                };
                let bytes = args
                    .get(2)
                    .map(|arg| self.cyan(&format!("{} bytes", size_arg(arg))))
                    .unwrap_or_default();
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
                let uid = args
                    .first()
                    .map(|arg| self.cyan(&int_arg(arg).to_string()))
                    .unwrap_or_default();
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
                let attr = args
                    .first()
                    .map(|arg| {
                        let attr = match &arg.arg {
                            Some(Arg::BpfAttrArg(attr)) => attr.clone(),
                            _ => Default::default(),
                        };
                        self.cyan(&format!(
                            "{} {} instruction count {}",
                            maybe_quote(&attr.prog_type),
                            maybe_quote(&attr.prog_name),
                            attr.insn_cnt
                        ))
                    })
                    .unwrap_or_default();
                self.finish(self.verb("🐝", "bpf_load"), process, node, &[&attr])
            }
            "security_perf_event_alloc" => {
                let attr = args
                    .first()
                    .map(|arg| {
                        let perf = match &arg.arg {
                            Some(Arg::PerfEventArg(perf)) => perf.clone(),
                            _ => Default::default(),
                        };
                        self.cyan(&format!(
                            "{} {}",
                            maybe_quote(&perf.r#type),
                            maybe_quote(&perf.kprobe_func)
                        ))
                    })
                    .unwrap_or_default();
                self.finish(self.verb("🐝", "perf_event_alloc"), process, node, &[&attr])
            }
            "security_bpf_map_alloc" | "security_bpf_map_create" => {
                let attr = args
                    .first()
                    .map(|arg| {
                        let map = match &arg.arg {
                            Some(Arg::BpfMapArg(map)) => map.clone(),
                            _ => Default::default(),
                        };
                        self.cyan(&format!(
                            "{} {} key size {} value size {} max entries {}",
                            maybe_quote(&map.map_type),
                            maybe_quote(&map.map_name),
                            map.key_size,
                            map.value_size,
                            map.max_entries
                        ))
                    })
                    .unwrap_or_default();
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
                        let path = match &arg.arg {
                            Some(Arg::PathArg(path)) if function == "security_path_truncate" => {
                                path.path.as_str()
                            }
                            Some(Arg::FileArg(file)) if function == "security_file_truncate" => {
                                file.path.as_str()
                            }
                            _ => "",
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

    /// Upstream's stack-trace block for kprobes: `Kernel:` then one frame a line, then `User:`
    /// and the user frames; every line ends in a newline (inside the last colour).
    fn stack_trace_block(&self, ev: &GetEventsResponse, out: &mut String) {
        let Some(Event::ProcessKprobe(kprobe)) = &ev.event else {
            return;
        };
        if !kprobe.kernel_stack_trace.is_empty() {
            out.push_str("Kernel:\n");
            for frame in &kprobe.kernel_stack_trace {
                out.push_str(&self.paint(Paint::Green, &format!("   0x{:x}:", frame.address)));
                out.push_str(&self.paint(Paint::Blue, &format!(" {}", maybe_quote(&frame.symbol))));
                out.push('+');
                out.push_str(&self.paint(Paint::Yellow, &format!("0x{:x}\n", frame.offset)));
            }
        }
        if !kprobe.user_stack_trace.is_empty() {
            out.push_str("User:\n");
            for frame in &kprobe.user_stack_trace {
                out.push_str(&self.paint(Paint::Green, &format!("   0x{:x}:", frame.address)));
                if !frame.symbol.is_empty() {
                    let symbol = format!(" {}", maybe_quote(&frame.symbol));
                    out.push_str(&self.paint(Paint::Blue, &symbol));
                }
                let module = format!(" ({}+0x{:x})\n", maybe_quote(&frame.module), frame.offset);
                out.push_str(&self.paint(Paint::Yellow, &module));
            }
        }
    }

    /// Upstream's IMA block for LSM events: `   <path> <hash>`.
    fn ima_block(&self, ev: &GetEventsResponse, out: &mut String) {
        let Some(Event::ProcessLsm(lsm)) = &ev.event else {
            return;
        };
        if lsm.ima_hash.is_empty() {
            return;
        }
        let first = lsm.args.first().and_then(|arg| arg.arg.as_ref());
        let path = match lsm.function_name.as_str() {
            "bprm_check_security"
            | "bprm_committed_creds"
            | "bprm_committing_creds"
            | "bprm_creds_for_exec"
            | "bprm_creds_from_file" => match first {
                Some(Arg::LinuxBinprmArg(binprm)) => binprm.path.as_str(),
                _ => "",
            },
            "file_ioctl" | "file_lock" | "file_open" | "file_post_open" | "file_receive"
            | "mmap_file" => match first {
                Some(Arg::FileArg(file)) => file.path.as_str(),
                _ => "",
            },
            _ => "",
        };
        if !path.is_empty() {
            out.push_str(&self.paint(Paint::Green, &format!("   {}", maybe_quote(path))));
            let hash = format!(" {}\n", maybe_quote(&lsm.ima_hash));
            out.push_str(&self.paint(Paint::Blue, &hash));
        }
    }
}

/// Drops the block's final newline, which sits either at the very end or just before the
/// last colour reset.
fn drop_last_newline(block: &str) -> Cow<'_, str> {
    const RESET: &str = "\x1b[0m";
    if let Some(rest) = block.strip_suffix('\n') {
        return Cow::Borrowed(rest);
    }
    match block
        .strip_suffix(RESET)
        .and_then(|rest| rest.strip_suffix('\n'))
    {
        Some(rest) => Cow::Owned(format!("{rest}{RESET}")),
        None => Cow::Borrowed(block),
    }
}

/// Strips an architecture prefix from a syscall symbol (`__x64_sys_write` → `sys_write`).
fn cut_syscall_prefix(symbol: &str) -> &str {
    ["__x64_", "__arm64_", "__ia32_"]
        .iter()
        .find_map(|prefix| symbol.strip_prefix(prefix))
        .unwrap_or(symbol)
}

fn file_arg(arg: &KprobeArgument) -> Option<&KprobeFile> {
    match &arg.arg {
        Some(Arg::FileArg(file)) => Some(file),
        _ => None,
    }
}

fn file_path(arg: &KprobeArgument) -> &str {
    file_arg(arg).map_or("", |file| file.path.as_str())
}

fn string_arg(arg: &KprobeArgument) -> &str {
    match &arg.arg {
        Some(Arg::StringArg(s)) => s,
        _ => "",
    }
}

fn int_arg(arg: &KprobeArgument) -> i32 {
    match arg.arg {
        Some(Arg::IntArg(v)) => v,
        _ => 0,
    }
}

fn uint_arg(arg: &KprobeArgument) -> u32 {
    match arg.arg {
        Some(Arg::UintArg(v)) => v,
        _ => 0,
    }
}

fn size_arg(arg: &KprobeArgument) -> u64 {
    match arg.arg {
        Some(Arg::SizeArg(v)) => v,
        _ => 0,
    }
}

/// `tcp <saddr>:<sport> -> <daddr>:<dport>` (zero values when the argument is not a socket).
fn sock_text(arg: &KprobeArgument) -> String {
    let sock = match &arg.arg {
        Some(Arg::SockArg(sock)) => sock.clone(),
        _ => Default::default(),
    };
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

/// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` in UTC, nanoseconds normalised like Go's `time.Unix`.
fn format_utc(seconds: i64, nanos: i32) -> String {
    let nanos = i64::from(nanos);
    let seconds = seconds.saturating_add(nanos.div_euclid(1_000_000_000));
    let nanos = nanos.rem_euclid(1_000_000_000);
    let days = seconds.div_euclid(86_400);
    let secs_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let year = if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    };
    format!(
        "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        secs_of_day / 3600,
        secs_of_day % 3600 / 60,
        secs_of_day % 60
    )
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// ---------------------------------------------------------------------------------------------
// Escaping

/// `s` unchanged when every character is printable, otherwise [`quote`]d.
///
/// Printable is Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the
/// ASCII space (Unicode 15.0, as in the Go releases Tetragon ships with). Unlike upstream's
/// unreleased change that also quotes strings containing spaces, a plain space never causes
/// quoting here: `-c "cat /etc/shadow"` stays as in every documented output.
pub fn maybe_quote(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_print) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(quote(s))
    }
}

/// A double-quoted string literal of `s` with Go's `strconv.Quote` escapes: `\"`, `\\`,
/// `\a \b \f \n \r \t \v`, `\xHH` for other ASCII controls and DEL, `\uHHHH` / `\UHHHHHHHH`
/// for other non-printable characters; printable characters are kept.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) => out.push(c),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if c < ' ' || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x1_0000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`.
fn is_print(c: char) -> bool {
    let c = c as u32;
    if c < 0x80 {
        return (0x20..0x7f).contains(&c);
    }
    PRINTABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

// ---------------------------------------------------------------------------------------------
// raw_syscalls/sys_enter

/// The ABI of the syscall numbers this tetra runs among (upstream: `runtime.GOARCH`).
const DEFAULT_ABI: Option<&str> = if cfg!(target_arch = "x86_64") {
    Some("x64")
} else if cfg!(target_arch = "aarch64") {
    Some("arm64")
} else {
    None
};

/// The name of the syscall of a `raw_syscalls/sys_enter` event: its number is the first argument,
/// a `long_arg` (in `default_abi`) or a `syscall_id` (with its own ABI, shown as `<abi>/<name>`
/// when not the default one); `unknown` when there is no number or no such syscall.
fn raw_syscall_name(args: &[KprobeArgument], default_abi: Option<&str>) -> String {
    let Some(default_abi) = default_abi else {
        return "unknown".to_owned();
    };
    let (id, abi) = match args.first().and_then(|arg| arg.arg.as_ref()) {
        Some(Arg::LongArg(id)) => (*id, default_abi),
        Some(Arg::SyscallId(sc)) => (i64::from(sc.id), sc.abi.as_str()),
        _ => (-1, default_abi),
    };
    match syscall_name(abi, id) {
        Some(name) if abi == default_abi => name.to_owned(),
        Some(name) => format!("{}/{name}", maybe_quote(abi)),
        None => "unknown".to_owned(),
    }
}

/// The name of syscall `id` of `abi` (`x64`, `arm64` or `i386`).
fn syscall_name(abi: &str, id: i64) -> Option<&'static str> {
    static X64: OnceLock<Vec<&str>> = OnceLock::new();
    static ARM64: OnceLock<Vec<&str>> = OnceLock::new();
    static I386: OnceLock<Vec<&str>> = OnceLock::new();
    let (cell, table) = match abi {
        "x64" => (&X64, SYSCALLS_X64),
        "arm64" => (&ARM64, SYSCALLS_ARM64),
        "i386" => (&I386, SYSCALLS_I386),
        _ => return None,
    };
    let names = cell.get_or_init(|| table.split_whitespace().collect());
    let name = *names.get(usize::try_from(id).ok()?)?;
    (name != "-").then_some(name)
}

// Syscall names by number ("-": no syscall), generated from the Linux 6.1 UAPI headers
// (asm/unistd_64.h, asm/unistd_32.h, and asm-generic/unistd.h as arm64 configures it:
// RENAMEAT, NEW_STAT, SET_GET_RLIMIT, SYS_CLONE3, MEMFD_SECRET, 64-bit longs), extended with the
// numbers 451-462 that later kernels assign on every architecture (cachestat … mseal).
const SYSCALLS_X64: &str = concat!(
    "read write open close stat fstat lstat poll lseek mmap mprotect munmap brk ",
    "rt_sigaction rt_sigprocmask rt_sigreturn ioctl pread64 pwrite64 readv writev access ",
    "pipe select sched_yield mremap msync mincore madvise shmget shmat shmctl dup dup2 ",
    "pause nanosleep getitimer alarm setitimer getpid sendfile socket connect accept ",
    "sendto recvfrom sendmsg recvmsg shutdown bind listen getsockname getpeername ",
    "socketpair setsockopt getsockopt clone fork vfork execve exit wait4 kill uname semget ",
    "semop semctl shmdt msgget msgsnd msgrcv msgctl fcntl flock fsync fdatasync truncate ",
    "ftruncate getdents getcwd chdir fchdir rename mkdir rmdir creat link unlink symlink ",
    "readlink chmod fchmod chown fchown lchown umask gettimeofday getrlimit getrusage ",
    "sysinfo times ptrace getuid syslog getgid setuid setgid geteuid getegid setpgid ",
    "getppid getpgrp setsid setreuid setregid getgroups setgroups setresuid getresuid ",
    "setresgid getresgid getpgid setfsuid setfsgid getsid capget capset rt_sigpending ",
    "rt_sigtimedwait rt_sigqueueinfo rt_sigsuspend sigaltstack utime mknod uselib ",
    "personality ustat statfs fstatfs sysfs getpriority setpriority sched_setparam ",
    "sched_getparam sched_setscheduler sched_getscheduler sched_get_priority_max ",
    "sched_get_priority_min sched_rr_get_interval mlock munlock mlockall munlockall ",
    "vhangup modify_ldt pivot_root _sysctl prctl arch_prctl adjtimex setrlimit chroot sync ",
    "acct settimeofday mount umount2 swapon swapoff reboot sethostname setdomainname iopl ",
    "ioperm create_module init_module delete_module get_kernel_syms query_module quotactl ",
    "nfsservctl getpmsg putpmsg afs_syscall tuxcall security gettid readahead setxattr ",
    "lsetxattr fsetxattr getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr ",
    "removexattr lremovexattr fremovexattr tkill time futex sched_setaffinity ",
    "sched_getaffinity set_thread_area io_setup io_destroy io_getevents io_submit ",
    "io_cancel get_thread_area lookup_dcookie epoll_create epoll_ctl_old epoll_wait_old ",
    "remap_file_pages getdents64 set_tid_address restart_syscall semtimedop fadvise64 ",
    "timer_create timer_settime timer_gettime timer_getoverrun timer_delete clock_settime ",
    "clock_gettime clock_getres clock_nanosleep exit_group epoll_wait epoll_ctl tgkill ",
    "utimes vserver mbind set_mempolicy get_mempolicy mq_open mq_unlink mq_timedsend ",
    "mq_timedreceive mq_notify mq_getsetattr kexec_load waitid add_key request_key keyctl ",
    "ioprio_set ioprio_get inotify_init inotify_add_watch inotify_rm_watch migrate_pages ",
    "openat mkdirat mknodat fchownat futimesat newfstatat unlinkat renameat linkat ",
    "symlinkat readlinkat fchmodat faccessat pselect6 ppoll unshare set_robust_list ",
    "get_robust_list splice tee sync_file_range vmsplice move_pages utimensat epoll_pwait ",
    "signalfd timerfd_create eventfd fallocate timerfd_settime timerfd_gettime accept4 ",
    "signalfd4 eventfd2 epoll_create1 dup3 pipe2 inotify_init1 preadv pwritev ",
    "rt_tgsigqueueinfo perf_event_open recvmmsg fanotify_init fanotify_mark prlimit64 ",
    "name_to_handle_at open_by_handle_at clock_adjtime syncfs sendmmsg setns getcpu ",
    "process_vm_readv process_vm_writev kcmp finit_module sched_setattr sched_getattr ",
    "renameat2 seccomp getrandom memfd_create kexec_file_load bpf execveat userfaultfd ",
    "membarrier mlock2 copy_file_range preadv2 pwritev2 pkey_mprotect pkey_alloc pkey_free ",
    "statx io_pgetevents rseq - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - ",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - ",
    "- - - - - - - - - - - - - - - - pidfd_send_signal io_uring_setup io_uring_enter ",
    "io_uring_register open_tree move_mount fsopen fsconfig fsmount fspick pidfd_open ",
    "clone3 close_range openat2 pidfd_getfd faccessat2 process_madvise epoll_pwait2 ",
    "mount_setattr quotactl_fd landlock_create_ruleset landlock_add_rule ",
    "landlock_restrict_self memfd_secret process_mrelease futex_waitv ",
    "set_mempolicy_home_node cachestat fchmodat2 map_shadow_stack futex_wake futex_wait ",
    "futex_requeue statmount listmount lsm_get_self_attr lsm_set_self_attr ",
    "lsm_list_modules mseal ",
);

const SYSCALLS_ARM64: &str = concat!(
    "io_setup io_destroy io_submit io_cancel io_getevents setxattr lsetxattr fsetxattr ",
    "getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr removexattr lremovexattr ",
    "fremovexattr getcwd lookup_dcookie eventfd2 epoll_create1 epoll_ctl epoll_pwait dup ",
    "dup3 fcntl inotify_init1 inotify_add_watch inotify_rm_watch ioctl ioprio_set ",
    "ioprio_get flock mknodat mkdirat unlinkat symlinkat linkat renameat umount2 mount ",
    "pivot_root nfsservctl statfs fstatfs truncate ftruncate fallocate faccessat chdir ",
    "fchdir chroot fchmod fchmodat fchownat fchown openat close vhangup pipe2 quotactl ",
    "getdents64 lseek read write readv writev pread64 pwrite64 preadv pwritev sendfile ",
    "pselect6 ppoll signalfd4 vmsplice splice tee readlinkat newfstatat fstat sync fsync ",
    "fdatasync sync_file_range timerfd_create timerfd_settime timerfd_gettime utimensat ",
    "acct capget capset personality exit exit_group waitid set_tid_address unshare futex ",
    "set_robust_list get_robust_list nanosleep getitimer setitimer kexec_load init_module ",
    "delete_module timer_create timer_gettime timer_getoverrun timer_settime timer_delete ",
    "clock_settime clock_gettime clock_getres clock_nanosleep syslog ptrace sched_setparam ",
    "sched_setscheduler sched_getscheduler sched_getparam sched_setaffinity ",
    "sched_getaffinity sched_yield sched_get_priority_max sched_get_priority_min ",
    "sched_rr_get_interval restart_syscall kill tkill tgkill sigaltstack rt_sigsuspend ",
    "rt_sigaction rt_sigprocmask rt_sigpending rt_sigtimedwait rt_sigqueueinfo ",
    "rt_sigreturn setpriority getpriority reboot setregid setgid setreuid setuid setresuid ",
    "getresuid setresgid getresgid setfsuid setfsgid times setpgid getpgid getsid setsid ",
    "getgroups setgroups uname sethostname setdomainname getrlimit setrlimit getrusage ",
    "umask prctl getcpu gettimeofday settimeofday adjtimex getpid getppid getuid geteuid ",
    "getgid getegid gettid sysinfo mq_open mq_unlink mq_timedsend mq_timedreceive ",
    "mq_notify mq_getsetattr msgget msgctl msgrcv msgsnd semget semctl semtimedop semop ",
    "shmget shmctl shmat shmdt socket socketpair bind listen accept connect getsockname ",
    "getpeername sendto recvfrom setsockopt getsockopt shutdown sendmsg recvmsg readahead ",
    "brk munmap mremap add_key request_key keyctl clone execve mmap fadvise64 swapon ",
    "swapoff mprotect msync mlock munlock mlockall munlockall mincore madvise ",
    "remap_file_pages mbind get_mempolicy set_mempolicy migrate_pages move_pages ",
    "rt_tgsigqueueinfo perf_event_open accept4 recvmmsg - - - - - - - - - - - - - - - - ",
    "wait4 prlimit64 fanotify_init fanotify_mark name_to_handle_at open_by_handle_at ",
    "clock_adjtime syncfs setns sendmmsg process_vm_readv process_vm_writev kcmp ",
    "finit_module sched_setattr sched_getattr renameat2 seccomp getrandom memfd_create bpf ",
    "execveat userfaultfd membarrier mlock2 copy_file_range preadv2 pwritev2 pkey_mprotect ",
    "pkey_alloc pkey_free statx io_pgetevents rseq kexec_file_load - - - - - - - - - - - - ",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - ",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - ",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - pidfd_send_signal ",
    "io_uring_setup io_uring_enter io_uring_register open_tree move_mount fsopen fsconfig ",
    "fsmount fspick pidfd_open clone3 close_range openat2 pidfd_getfd faccessat2 ",
    "process_madvise epoll_pwait2 mount_setattr quotactl_fd landlock_create_ruleset ",
    "landlock_add_rule landlock_restrict_self memfd_secret process_mrelease futex_waitv ",
    "set_mempolicy_home_node cachestat fchmodat2 map_shadow_stack futex_wake futex_wait ",
    "futex_requeue statmount listmount lsm_get_self_attr lsm_set_self_attr ",
    "lsm_list_modules mseal ",
);

const SYSCALLS_I386: &str = concat!(
    "restart_syscall exit fork read write open close waitpid creat link unlink execve ",
    "chdir time mknod chmod lchown break oldstat lseek getpid mount umount setuid getuid ",
    "stime ptrace alarm oldfstat pause utime stty gtty access nice ftime sync kill rename ",
    "mkdir rmdir dup pipe times prof brk setgid getgid signal geteuid getegid acct umount2 ",
    "lock ioctl fcntl mpx setpgid ulimit oldolduname umask chroot ustat dup2 getppid ",
    "getpgrp setsid sigaction sgetmask ssetmask setreuid setregid sigsuspend sigpending ",
    "sethostname setrlimit getrlimit getrusage gettimeofday settimeofday getgroups ",
    "setgroups select symlink oldlstat readlink uselib swapon reboot readdir mmap munmap ",
    "truncate ftruncate fchmod fchown getpriority setpriority profil statfs fstatfs ioperm ",
    "socketcall syslog setitimer getitimer stat lstat fstat olduname iopl vhangup idle ",
    "vm86old wait4 swapoff sysinfo ipc fsync sigreturn clone setdomainname uname ",
    "modify_ldt adjtimex mprotect sigprocmask create_module init_module delete_module ",
    "get_kernel_syms quotactl getpgid fchdir bdflush sysfs personality afs_syscall ",
    "setfsuid setfsgid _llseek getdents _newselect flock msync readv writev getsid ",
    "fdatasync _sysctl mlock munlock mlockall munlockall sched_setparam sched_getparam ",
    "sched_setscheduler sched_getscheduler sched_yield sched_get_priority_max ",
    "sched_get_priority_min sched_rr_get_interval nanosleep mremap setresuid getresuid ",
    "vm86 query_module poll nfsservctl setresgid getresgid prctl rt_sigreturn rt_sigaction ",
    "rt_sigprocmask rt_sigpending rt_sigtimedwait rt_sigqueueinfo rt_sigsuspend pread64 ",
    "pwrite64 chown getcwd capget capset sigaltstack sendfile getpmsg putpmsg vfork ",
    "ugetrlimit mmap2 truncate64 ftruncate64 stat64 lstat64 fstat64 lchown32 getuid32 ",
    "getgid32 geteuid32 getegid32 setreuid32 setregid32 getgroups32 setgroups32 fchown32 ",
    "setresuid32 getresuid32 setresgid32 getresgid32 chown32 setuid32 setgid32 setfsuid32 ",
    "setfsgid32 pivot_root mincore madvise getdents64 fcntl64 - - gettid readahead ",
    "setxattr lsetxattr fsetxattr getxattr lgetxattr fgetxattr listxattr llistxattr ",
    "flistxattr removexattr lremovexattr fremovexattr tkill sendfile64 futex ",
    "sched_setaffinity sched_getaffinity set_thread_area get_thread_area io_setup ",
    "io_destroy io_getevents io_submit io_cancel fadvise64 - exit_group lookup_dcookie ",
    "epoll_create epoll_ctl epoll_wait remap_file_pages set_tid_address timer_create ",
    "timer_settime timer_gettime timer_getoverrun timer_delete clock_settime clock_gettime ",
    "clock_getres clock_nanosleep statfs64 fstatfs64 tgkill utimes fadvise64_64 vserver ",
    "mbind get_mempolicy set_mempolicy mq_open mq_unlink mq_timedsend mq_timedreceive ",
    "mq_notify mq_getsetattr kexec_load waitid - add_key request_key keyctl ioprio_set ",
    "ioprio_get inotify_init inotify_add_watch inotify_rm_watch migrate_pages openat ",
    "mkdirat mknodat fchownat futimesat fstatat64 unlinkat renameat linkat symlinkat ",
    "readlinkat fchmodat faccessat pselect6 ppoll unshare set_robust_list get_robust_list ",
    "splice sync_file_range tee vmsplice move_pages getcpu epoll_pwait utimensat signalfd ",
    "timerfd_create eventfd fallocate timerfd_settime timerfd_gettime signalfd4 eventfd2 ",
    "epoll_create1 dup3 pipe2 inotify_init1 preadv pwritev rt_tgsigqueueinfo ",
    "perf_event_open recvmmsg fanotify_init fanotify_mark prlimit64 name_to_handle_at ",
    "open_by_handle_at clock_adjtime syncfs sendmmsg setns process_vm_readv ",
    "process_vm_writev kcmp finit_module sched_setattr sched_getattr renameat2 seccomp ",
    "getrandom memfd_create bpf execveat socket socketpair bind connect listen accept4 ",
    "getsockopt setsockopt getsockname getpeername sendto sendmsg recvfrom recvmsg ",
    "shutdown userfaultfd membarrier mlock2 copy_file_range preadv2 pwritev2 pkey_mprotect ",
    "pkey_alloc pkey_free statx arch_prctl io_pgetevents rseq - - - - - - semget semctl ",
    "shmget shmctl shmat shmdt msgget msgsnd msgrcv msgctl clock_gettime64 clock_settime64 ",
    "clock_adjtime64 clock_getres_time64 clock_nanosleep_time64 timer_gettime64 ",
    "timer_settime64 timerfd_gettime64 timerfd_settime64 utimensat_time64 pselect6_time64 ",
    "ppoll_time64 - io_pgetevents_time64 recvmmsg_time64 mq_timedsend_time64 ",
    "mq_timedreceive_time64 semtimedop_time64 rt_sigtimedwait_time64 futex_time64 ",
    "sched_rr_get_interval_time64 pidfd_send_signal io_uring_setup io_uring_enter ",
    "io_uring_register open_tree move_mount fsopen fsconfig fsmount fspick pidfd_open ",
    "clone3 close_range openat2 pidfd_getfd faccessat2 process_madvise epoll_pwait2 ",
    "mount_setattr quotactl_fd landlock_create_ruleset landlock_add_rule ",
    "landlock_restrict_self memfd_secret process_mrelease futex_waitv ",
    "set_mempolicy_home_node cachestat fchmodat2 map_shadow_stack futex_wake futex_wait ",
    "futex_requeue statmount listmount lsm_get_self_attr lsm_set_self_attr ",
    "lsm_list_modules mseal ",
);

// Printable characters (Go's `unicode.IsPrint`: categories L, M, N, P, S and U+0020) as
// inclusive ranges, generated from the Unicode 15.0.0 character database.
const PRINTABLE: &[(u32, u32)] = &[
    (0x0020, 0x007e),
    (0x00a1, 0x00ac),
    (0x00ae, 0x0377),
    (0x037a, 0x037f),
    (0x0384, 0x038a),
    (0x038c, 0x038c),
    (0x038e, 0x03a1),
    (0x03a3, 0x052f),
    (0x0531, 0x0556),
    (0x0559, 0x058a),
    (0x058d, 0x058f),
    (0x0591, 0x05c7),
    (0x05d0, 0x05ea),
    (0x05ef, 0x05f4),
    (0x0606, 0x061b),
    (0x061d, 0x06dc),
    (0x06de, 0x070d),
    (0x0710, 0x074a),
    (0x074d, 0x07b1),
    (0x07c0, 0x07fa),
    (0x07fd, 0x082d),
    (0x0830, 0x083e),
    (0x0840, 0x085b),
    (0x085e, 0x085e),
    (0x0860, 0x086a),
    (0x0870, 0x088e),
    (0x0898, 0x08e1),
    (0x08e3, 0x0983),
    (0x0985, 0x098c),
    (0x098f, 0x0990),
    (0x0993, 0x09a8),
    (0x09aa, 0x09b0),
    (0x09b2, 0x09b2),
    (0x09b6, 0x09b9),
    (0x09bc, 0x09c4),
    (0x09c7, 0x09c8),
    (0x09cb, 0x09ce),
    (0x09d7, 0x09d7),
    (0x09dc, 0x09dd),
    (0x09df, 0x09e3),
    (0x09e6, 0x09fe),
    (0x0a01, 0x0a03),
    (0x0a05, 0x0a0a),
    (0x0a0f, 0x0a10),
    (0x0a13, 0x0a28),
    (0x0a2a, 0x0a30),
    (0x0a32, 0x0a33),
    (0x0a35, 0x0a36),
    (0x0a38, 0x0a39),
    (0x0a3c, 0x0a3c),
    (0x0a3e, 0x0a42),
    (0x0a47, 0x0a48),
    (0x0a4b, 0x0a4d),
    (0x0a51, 0x0a51),
    (0x0a59, 0x0a5c),
    (0x0a5e, 0x0a5e),
    (0x0a66, 0x0a76),
    (0x0a81, 0x0a83),
    (0x0a85, 0x0a8d),
    (0x0a8f, 0x0a91),
    (0x0a93, 0x0aa8),
    (0x0aaa, 0x0ab0),
    (0x0ab2, 0x0ab3),
    (0x0ab5, 0x0ab9),
    (0x0abc, 0x0ac5),
    (0x0ac7, 0x0ac9),
    (0x0acb, 0x0acd),
    (0x0ad0, 0x0ad0),
    (0x0ae0, 0x0ae3),
    (0x0ae6, 0x0af1),
    (0x0af9, 0x0aff),
    (0x0b01, 0x0b03),
    (0x0b05, 0x0b0c),
    (0x0b0f, 0x0b10),
    (0x0b13, 0x0b28),
    (0x0b2a, 0x0b30),
    (0x0b32, 0x0b33),
    (0x0b35, 0x0b39),
    (0x0b3c, 0x0b44),
    (0x0b47, 0x0b48),
    (0x0b4b, 0x0b4d),
    (0x0b55, 0x0b57),
    (0x0b5c, 0x0b5d),
    (0x0b5f, 0x0b63),
    (0x0b66, 0x0b77),
    (0x0b82, 0x0b83),
    (0x0b85, 0x0b8a),
    (0x0b8e, 0x0b90),
    (0x0b92, 0x0b95),
    (0x0b99, 0x0b9a),
    (0x0b9c, 0x0b9c),
    (0x0b9e, 0x0b9f),
    (0x0ba3, 0x0ba4),
    (0x0ba8, 0x0baa),
    (0x0bae, 0x0bb9),
    (0x0bbe, 0x0bc2),
    (0x0bc6, 0x0bc8),
    (0x0bca, 0x0bcd),
    (0x0bd0, 0x0bd0),
    (0x0bd7, 0x0bd7),
    (0x0be6, 0x0bfa),
    (0x0c00, 0x0c0c),
    (0x0c0e, 0x0c10),
    (0x0c12, 0x0c28),
    (0x0c2a, 0x0c39),
    (0x0c3c, 0x0c44),
    (0x0c46, 0x0c48),
    (0x0c4a, 0x0c4d),
    (0x0c55, 0x0c56),
    (0x0c58, 0x0c5a),
    (0x0c5d, 0x0c5d),
    (0x0c60, 0x0c63),
    (0x0c66, 0x0c6f),
    (0x0c77, 0x0c8c),
    (0x0c8e, 0x0c90),
    (0x0c92, 0x0ca8),
    (0x0caa, 0x0cb3),
    (0x0cb5, 0x0cb9),
    (0x0cbc, 0x0cc4),
    (0x0cc6, 0x0cc8),
    (0x0cca, 0x0ccd),
    (0x0cd5, 0x0cd6),
    (0x0cdd, 0x0cde),
    (0x0ce0, 0x0ce3),
    (0x0ce6, 0x0cef),
    (0x0cf1, 0x0cf3),
    (0x0d00, 0x0d0c),
    (0x0d0e, 0x0d10),
    (0x0d12, 0x0d44),
    (0x0d46, 0x0d48),
    (0x0d4a, 0x0d4f),
    (0x0d54, 0x0d63),
    (0x0d66, 0x0d7f),
    (0x0d81, 0x0d83),
    (0x0d85, 0x0d96),
    (0x0d9a, 0x0db1),
    (0x0db3, 0x0dbb),
    (0x0dbd, 0x0dbd),
    (0x0dc0, 0x0dc6),
    (0x0dca, 0x0dca),
    (0x0dcf, 0x0dd4),
    (0x0dd6, 0x0dd6),
    (0x0dd8, 0x0ddf),
    (0x0de6, 0x0def),
    (0x0df2, 0x0df4),
    (0x0e01, 0x0e3a),
    (0x0e3f, 0x0e5b),
    (0x0e81, 0x0e82),
    (0x0e84, 0x0e84),
    (0x0e86, 0x0e8a),
    (0x0e8c, 0x0ea3),
    (0x0ea5, 0x0ea5),
    (0x0ea7, 0x0ebd),
    (0x0ec0, 0x0ec4),
    (0x0ec6, 0x0ec6),
    (0x0ec8, 0x0ece),
    (0x0ed0, 0x0ed9),
    (0x0edc, 0x0edf),
    (0x0f00, 0x0f47),
    (0x0f49, 0x0f6c),
    (0x0f71, 0x0f97),
    (0x0f99, 0x0fbc),
    (0x0fbe, 0x0fcc),
    (0x0fce, 0x0fda),
    (0x1000, 0x10c5),
    (0x10c7, 0x10c7),
    (0x10cd, 0x10cd),
    (0x10d0, 0x1248),
    (0x124a, 0x124d),
    (0x1250, 0x1256),
    (0x1258, 0x1258),
    (0x125a, 0x125d),
    (0x1260, 0x1288),
    (0x128a, 0x128d),
    (0x1290, 0x12b0),
    (0x12b2, 0x12b5),
    (0x12b8, 0x12be),
    (0x12c0, 0x12c0),
    (0x12c2, 0x12c5),
    (0x12c8, 0x12d6),
    (0x12d8, 0x1310),
    (0x1312, 0x1315),
    (0x1318, 0x135a),
    (0x135d, 0x137c),
    (0x1380, 0x1399),
    (0x13a0, 0x13f5),
    (0x13f8, 0x13fd),
    (0x1400, 0x167f),
    (0x1681, 0x169c),
    (0x16a0, 0x16f8),
    (0x1700, 0x1715),
    (0x171f, 0x1736),
    (0x1740, 0x1753),
    (0x1760, 0x176c),
    (0x176e, 0x1770),
    (0x1772, 0x1773),
    (0x1780, 0x17dd),
    (0x17e0, 0x17e9),
    (0x17f0, 0x17f9),
    (0x1800, 0x180d),
    (0x180f, 0x1819),
    (0x1820, 0x1878),
    (0x1880, 0x18aa),
    (0x18b0, 0x18f5),
    (0x1900, 0x191e),
    (0x1920, 0x192b),
    (0x1930, 0x193b),
    (0x1940, 0x1940),
    (0x1944, 0x196d),
    (0x1970, 0x1974),
    (0x1980, 0x19ab),
    (0x19b0, 0x19c9),
    (0x19d0, 0x19da),
    (0x19de, 0x1a1b),
    (0x1a1e, 0x1a5e),
    (0x1a60, 0x1a7c),
    (0x1a7f, 0x1a89),
    (0x1a90, 0x1a99),
    (0x1aa0, 0x1aad),
    (0x1ab0, 0x1ace),
    (0x1b00, 0x1b4c),
    (0x1b50, 0x1b7e),
    (0x1b80, 0x1bf3),
    (0x1bfc, 0x1c37),
    (0x1c3b, 0x1c49),
    (0x1c4d, 0x1c88),
    (0x1c90, 0x1cba),
    (0x1cbd, 0x1cc7),
    (0x1cd0, 0x1cfa),
    (0x1d00, 0x1f15),
    (0x1f18, 0x1f1d),
    (0x1f20, 0x1f45),
    (0x1f48, 0x1f4d),
    (0x1f50, 0x1f57),
    (0x1f59, 0x1f59),
    (0x1f5b, 0x1f5b),
    (0x1f5d, 0x1f5d),
    (0x1f5f, 0x1f7d),
    (0x1f80, 0x1fb4),
    (0x1fb6, 0x1fc4),
    (0x1fc6, 0x1fd3),
    (0x1fd6, 0x1fdb),
    (0x1fdd, 0x1fef),
    (0x1ff2, 0x1ff4),
    (0x1ff6, 0x1ffe),
    (0x2010, 0x2027),
    (0x2030, 0x205e),
    (0x2070, 0x2071),
    (0x2074, 0x208e),
    (0x2090, 0x209c),
    (0x20a0, 0x20c0),
    (0x20d0, 0x20f0),
    (0x2100, 0x218b),
    (0x2190, 0x2426),
    (0x2440, 0x244a),
    (0x2460, 0x2b73),
    (0x2b76, 0x2b95),
    (0x2b97, 0x2cf3),
    (0x2cf9, 0x2d25),
    (0x2d27, 0x2d27),
    (0x2d2d, 0x2d2d),
    (0x2d30, 0x2d67),
    (0x2d6f, 0x2d70),
    (0x2d7f, 0x2d96),
    (0x2da0, 0x2da6),
    (0x2da8, 0x2dae),
    (0x2db0, 0x2db6),
    (0x2db8, 0x2dbe),
    (0x2dc0, 0x2dc6),
    (0x2dc8, 0x2dce),
    (0x2dd0, 0x2dd6),
    (0x2dd8, 0x2dde),
    (0x2de0, 0x2e5d),
    (0x2e80, 0x2e99),
    (0x2e9b, 0x2ef3),
    (0x2f00, 0x2fd5),
    (0x2ff0, 0x2ffb),
    (0x3001, 0x303f),
    (0x3041, 0x3096),
    (0x3099, 0x30ff),
    (0x3105, 0x312f),
    (0x3131, 0x318e),
    (0x3190, 0x31e3),
    (0x31f0, 0x321e),
    (0x3220, 0xa48c),
    (0xa490, 0xa4c6),
    (0xa4d0, 0xa62b),
    (0xa640, 0xa6f7),
    (0xa700, 0xa7ca),
    (0xa7d0, 0xa7d1),
    (0xa7d3, 0xa7d3),
    (0xa7d5, 0xa7d9),
    (0xa7f2, 0xa82c),
    (0xa830, 0xa839),
    (0xa840, 0xa877),
    (0xa880, 0xa8c5),
    (0xa8ce, 0xa8d9),
    (0xa8e0, 0xa953),
    (0xa95f, 0xa97c),
    (0xa980, 0xa9cd),
    (0xa9cf, 0xa9d9),
    (0xa9de, 0xa9fe),
    (0xaa00, 0xaa36),
    (0xaa40, 0xaa4d),
    (0xaa50, 0xaa59),
    (0xaa5c, 0xaac2),
    (0xaadb, 0xaaf6),
    (0xab01, 0xab06),
    (0xab09, 0xab0e),
    (0xab11, 0xab16),
    (0xab20, 0xab26),
    (0xab28, 0xab2e),
    (0xab30, 0xab6b),
    (0xab70, 0xabed),
    (0xabf0, 0xabf9),
    (0xac00, 0xd7a3),
    (0xd7b0, 0xd7c6),
    (0xd7cb, 0xd7fb),
    (0xf900, 0xfa6d),
    (0xfa70, 0xfad9),
    (0xfb00, 0xfb06),
    (0xfb13, 0xfb17),
    (0xfb1d, 0xfb36),
    (0xfb38, 0xfb3c),
    (0xfb3e, 0xfb3e),
    (0xfb40, 0xfb41),
    (0xfb43, 0xfb44),
    (0xfb46, 0xfbc2),
    (0xfbd3, 0xfd8f),
    (0xfd92, 0xfdc7),
    (0xfdcf, 0xfdcf),
    (0xfdf0, 0xfe19),
    (0xfe20, 0xfe52),
    (0xfe54, 0xfe66),
    (0xfe68, 0xfe6b),
    (0xfe70, 0xfe74),
    (0xfe76, 0xfefc),
    (0xff01, 0xffbe),
    (0xffc2, 0xffc7),
    (0xffca, 0xffcf),
    (0xffd2, 0xffd7),
    (0xffda, 0xffdc),
    (0xffe0, 0xffe6),
    (0xffe8, 0xffee),
    (0xfffc, 0xfffd),
    (0x10000, 0x1000b),
    (0x1000d, 0x10026),
    (0x10028, 0x1003a),
    (0x1003c, 0x1003d),
    (0x1003f, 0x1004d),
    (0x10050, 0x1005d),
    (0x10080, 0x100fa),
    (0x10100, 0x10102),
    (0x10107, 0x10133),
    (0x10137, 0x1018e),
    (0x10190, 0x1019c),
    (0x101a0, 0x101a0),
    (0x101d0, 0x101fd),
    (0x10280, 0x1029c),
    (0x102a0, 0x102d0),
    (0x102e0, 0x102fb),
    (0x10300, 0x10323),
    (0x1032d, 0x1034a),
    (0x10350, 0x1037a),
    (0x10380, 0x1039d),
    (0x1039f, 0x103c3),
    (0x103c8, 0x103d5),
    (0x10400, 0x1049d),
    (0x104a0, 0x104a9),
    (0x104b0, 0x104d3),
    (0x104d8, 0x104fb),
    (0x10500, 0x10527),
    (0x10530, 0x10563),
    (0x1056f, 0x1057a),
    (0x1057c, 0x1058a),
    (0x1058c, 0x10592),
    (0x10594, 0x10595),
    (0x10597, 0x105a1),
    (0x105a3, 0x105b1),
    (0x105b3, 0x105b9),
    (0x105bb, 0x105bc),
    (0x10600, 0x10736),
    (0x10740, 0x10755),
    (0x10760, 0x10767),
    (0x10780, 0x10785),
    (0x10787, 0x107b0),
    (0x107b2, 0x107ba),
    (0x10800, 0x10805),
    (0x10808, 0x10808),
    (0x1080a, 0x10835),
    (0x10837, 0x10838),
    (0x1083c, 0x1083c),
    (0x1083f, 0x10855),
    (0x10857, 0x1089e),
    (0x108a7, 0x108af),
    (0x108e0, 0x108f2),
    (0x108f4, 0x108f5),
    (0x108fb, 0x1091b),
    (0x1091f, 0x10939),
    (0x1093f, 0x1093f),
    (0x10980, 0x109b7),
    (0x109bc, 0x109cf),
    (0x109d2, 0x10a03),
    (0x10a05, 0x10a06),
    (0x10a0c, 0x10a13),
    (0x10a15, 0x10a17),
    (0x10a19, 0x10a35),
    (0x10a38, 0x10a3a),
    (0x10a3f, 0x10a48),
    (0x10a50, 0x10a58),
    (0x10a60, 0x10a9f),
    (0x10ac0, 0x10ae6),
    (0x10aeb, 0x10af6),
    (0x10b00, 0x10b35),
    (0x10b39, 0x10b55),
    (0x10b58, 0x10b72),
    (0x10b78, 0x10b91),
    (0x10b99, 0x10b9c),
    (0x10ba9, 0x10baf),
    (0x10c00, 0x10c48),
    (0x10c80, 0x10cb2),
    (0x10cc0, 0x10cf2),
    (0x10cfa, 0x10d27),
    (0x10d30, 0x10d39),
    (0x10e60, 0x10e7e),
    (0x10e80, 0x10ea9),
    (0x10eab, 0x10ead),
    (0x10eb0, 0x10eb1),
    (0x10efd, 0x10f27),
    (0x10f30, 0x10f59),
    (0x10f70, 0x10f89),
    (0x10fb0, 0x10fcb),
    (0x10fe0, 0x10ff6),
    (0x11000, 0x1104d),
    (0x11052, 0x11075),
    (0x1107f, 0x110bc),
    (0x110be, 0x110c2),
    (0x110d0, 0x110e8),
    (0x110f0, 0x110f9),
    (0x11100, 0x11134),
    (0x11136, 0x11147),
    (0x11150, 0x11176),
    (0x11180, 0x111df),
    (0x111e1, 0x111f4),
    (0x11200, 0x11211),
    (0x11213, 0x11241),
    (0x11280, 0x11286),
    (0x11288, 0x11288),
    (0x1128a, 0x1128d),
    (0x1128f, 0x1129d),
    (0x1129f, 0x112a9),
    (0x112b0, 0x112ea),
    (0x112f0, 0x112f9),
    (0x11300, 0x11303),
    (0x11305, 0x1130c),
    (0x1130f, 0x11310),
    (0x11313, 0x11328),
    (0x1132a, 0x11330),
    (0x11332, 0x11333),
    (0x11335, 0x11339),
    (0x1133b, 0x11344),
    (0x11347, 0x11348),
    (0x1134b, 0x1134d),
    (0x11350, 0x11350),
    (0x11357, 0x11357),
    (0x1135d, 0x11363),
    (0x11366, 0x1136c),
    (0x11370, 0x11374),
    (0x11400, 0x1145b),
    (0x1145d, 0x11461),
    (0x11480, 0x114c7),
    (0x114d0, 0x114d9),
    (0x11580, 0x115b5),
    (0x115b8, 0x115dd),
    (0x11600, 0x11644),
    (0x11650, 0x11659),
    (0x11660, 0x1166c),
    (0x11680, 0x116b9),
    (0x116c0, 0x116c9),
    (0x11700, 0x1171a),
    (0x1171d, 0x1172b),
    (0x11730, 0x11746),
    (0x11800, 0x1183b),
    (0x118a0, 0x118f2),
    (0x118ff, 0x11906),
    (0x11909, 0x11909),
    (0x1190c, 0x11913),
    (0x11915, 0x11916),
    (0x11918, 0x11935),
    (0x11937, 0x11938),
    (0x1193b, 0x11946),
    (0x11950, 0x11959),
    (0x119a0, 0x119a7),
    (0x119aa, 0x119d7),
    (0x119da, 0x119e4),
    (0x11a00, 0x11a47),
    (0x11a50, 0x11aa2),
    (0x11ab0, 0x11af8),
    (0x11b00, 0x11b09),
    (0x11c00, 0x11c08),
    (0x11c0a, 0x11c36),
    (0x11c38, 0x11c45),
    (0x11c50, 0x11c6c),
    (0x11c70, 0x11c8f),
    (0x11c92, 0x11ca7),
    (0x11ca9, 0x11cb6),
    (0x11d00, 0x11d06),
    (0x11d08, 0x11d09),
    (0x11d0b, 0x11d36),
    (0x11d3a, 0x11d3a),
    (0x11d3c, 0x11d3d),
    (0x11d3f, 0x11d47),
    (0x11d50, 0x11d59),
    (0x11d60, 0x11d65),
    (0x11d67, 0x11d68),
    (0x11d6a, 0x11d8e),
    (0x11d90, 0x11d91),
    (0x11d93, 0x11d98),
    (0x11da0, 0x11da9),
    (0x11ee0, 0x11ef8),
    (0x11f00, 0x11f10),
    (0x11f12, 0x11f3a),
    (0x11f3e, 0x11f59),
    (0x11fb0, 0x11fb0),
    (0x11fc0, 0x11ff1),
    (0x11fff, 0x12399),
    (0x12400, 0x1246e),
    (0x12470, 0x12474),
    (0x12480, 0x12543),
    (0x12f90, 0x12ff2),
    (0x13000, 0x1342f),
    (0x13440, 0x13455),
    (0x14400, 0x14646),
    (0x16800, 0x16a38),
    (0x16a40, 0x16a5e),
    (0x16a60, 0x16a69),
    (0x16a6e, 0x16abe),
    (0x16ac0, 0x16ac9),
    (0x16ad0, 0x16aed),
    (0x16af0, 0x16af5),
    (0x16b00, 0x16b45),
    (0x16b50, 0x16b59),
    (0x16b5b, 0x16b61),
    (0x16b63, 0x16b77),
    (0x16b7d, 0x16b8f),
    (0x16e40, 0x16e9a),
    (0x16f00, 0x16f4a),
    (0x16f4f, 0x16f87),
    (0x16f8f, 0x16f9f),
    (0x16fe0, 0x16fe4),
    (0x16ff0, 0x16ff1),
    (0x17000, 0x187f7),
    (0x18800, 0x18cd5),
    (0x18d00, 0x18d08),
    (0x1aff0, 0x1aff3),
    (0x1aff5, 0x1affb),
    (0x1affd, 0x1affe),
    (0x1b000, 0x1b122),
    (0x1b132, 0x1b132),
    (0x1b150, 0x1b152),
    (0x1b155, 0x1b155),
    (0x1b164, 0x1b167),
    (0x1b170, 0x1b2fb),
    (0x1bc00, 0x1bc6a),
    (0x1bc70, 0x1bc7c),
    (0x1bc80, 0x1bc88),
    (0x1bc90, 0x1bc99),
    (0x1bc9c, 0x1bc9f),
    (0x1cf00, 0x1cf2d),
    (0x1cf30, 0x1cf46),
    (0x1cf50, 0x1cfc3),
    (0x1d000, 0x1d0f5),
    (0x1d100, 0x1d126),
    (0x1d129, 0x1d172),
    (0x1d17b, 0x1d1ea),
    (0x1d200, 0x1d245),
    (0x1d2c0, 0x1d2d3),
    (0x1d2e0, 0x1d2f3),
    (0x1d300, 0x1d356),
    (0x1d360, 0x1d378),
    (0x1d400, 0x1d454),
    (0x1d456, 0x1d49c),
    (0x1d49e, 0x1d49f),
    (0x1d4a2, 0x1d4a2),
    (0x1d4a5, 0x1d4a6),
    (0x1d4a9, 0x1d4ac),
    (0x1d4ae, 0x1d4b9),
    (0x1d4bb, 0x1d4bb),
    (0x1d4bd, 0x1d4c3),
    (0x1d4c5, 0x1d505),
    (0x1d507, 0x1d50a),
    (0x1d50d, 0x1d514),
    (0x1d516, 0x1d51c),
    (0x1d51e, 0x1d539),
    (0x1d53b, 0x1d53e),
    (0x1d540, 0x1d544),
    (0x1d546, 0x1d546),
    (0x1d54a, 0x1d550),
    (0x1d552, 0x1d6a5),
    (0x1d6a8, 0x1d7cb),
    (0x1d7ce, 0x1da8b),
    (0x1da9b, 0x1da9f),
    (0x1daa1, 0x1daaf),
    (0x1df00, 0x1df1e),
    (0x1df25, 0x1df2a),
    (0x1e000, 0x1e006),
    (0x1e008, 0x1e018),
    (0x1e01b, 0x1e021),
    (0x1e023, 0x1e024),
    (0x1e026, 0x1e02a),
    (0x1e030, 0x1e06d),
    (0x1e08f, 0x1e08f),
    (0x1e100, 0x1e12c),
    (0x1e130, 0x1e13d),
    (0x1e140, 0x1e149),
    (0x1e14e, 0x1e14f),
    (0x1e290, 0x1e2ae),
    (0x1e2c0, 0x1e2f9),
    (0x1e2ff, 0x1e2ff),
    (0x1e4d0, 0x1e4f9),
    (0x1e7e0, 0x1e7e6),
    (0x1e7e8, 0x1e7eb),
    (0x1e7ed, 0x1e7ee),
    (0x1e7f0, 0x1e7fe),
    (0x1e800, 0x1e8c4),
    (0x1e8c7, 0x1e8d6),
    (0x1e900, 0x1e94b),
    (0x1e950, 0x1e959),
    (0x1e95e, 0x1e95f),
    (0x1ec71, 0x1ecb4),
    (0x1ed01, 0x1ed3d),
    (0x1ee00, 0x1ee03),
    (0x1ee05, 0x1ee1f),
    (0x1ee21, 0x1ee22),
    (0x1ee24, 0x1ee24),
    (0x1ee27, 0x1ee27),
    (0x1ee29, 0x1ee32),
    (0x1ee34, 0x1ee37),
    (0x1ee39, 0x1ee39),
    (0x1ee3b, 0x1ee3b),
    (0x1ee42, 0x1ee42),
    (0x1ee47, 0x1ee47),
    (0x1ee49, 0x1ee49),
    (0x1ee4b, 0x1ee4b),
    (0x1ee4d, 0x1ee4f),
    (0x1ee51, 0x1ee52),
    (0x1ee54, 0x1ee54),
    (0x1ee57, 0x1ee57),
    (0x1ee59, 0x1ee59),
    (0x1ee5b, 0x1ee5b),
    (0x1ee5d, 0x1ee5d),
    (0x1ee5f, 0x1ee5f),
    (0x1ee61, 0x1ee62),
    (0x1ee64, 0x1ee64),
    (0x1ee67, 0x1ee6a),
    (0x1ee6c, 0x1ee72),
    (0x1ee74, 0x1ee77),
    (0x1ee79, 0x1ee7c),
    (0x1ee7e, 0x1ee7e),
    (0x1ee80, 0x1ee89),
    (0x1ee8b, 0x1ee9b),
    (0x1eea1, 0x1eea3),
    (0x1eea5, 0x1eea9),
    (0x1eeab, 0x1eebb),
    (0x1eef0, 0x1eef1),
    (0x1f000, 0x1f02b),
    (0x1f030, 0x1f093),
    (0x1f0a0, 0x1f0ae),
    (0x1f0b1, 0x1f0bf),
    (0x1f0c1, 0x1f0cf),
    (0x1f0d1, 0x1f0f5),
    (0x1f100, 0x1f1ad),
    (0x1f1e6, 0x1f202),
    (0x1f210, 0x1f23b),
    (0x1f240, 0x1f248),
    (0x1f250, 0x1f251),
    (0x1f260, 0x1f265),
    (0x1f300, 0x1f6d7),
    (0x1f6dc, 0x1f6ec),
    (0x1f6f0, 0x1f6fc),
    (0x1f700, 0x1f776),
    (0x1f77b, 0x1f7d9),
    (0x1f7e0, 0x1f7eb),
    (0x1f7f0, 0x1f7f0),
    (0x1f800, 0x1f80b),
    (0x1f810, 0x1f847),
    (0x1f850, 0x1f859),
    (0x1f860, 0x1f887),
    (0x1f890, 0x1f8ad),
    (0x1f8b0, 0x1f8b1),
    (0x1f900, 0x1fa53),
    (0x1fa60, 0x1fa6d),
    (0x1fa70, 0x1fa7c),
    (0x1fa80, 0x1fa88),
    (0x1fa90, 0x1fabd),
    (0x1fabf, 0x1fac5),
    (0x1face, 0x1fadb),
    (0x1fae0, 0x1fae8),
    (0x1faf0, 0x1faf8),
    (0x1fb00, 0x1fb92),
    (0x1fb94, 0x1fbca),
    (0x1fbf0, 0x1fbf9),
    (0x20000, 0x2a6df),
    (0x2a700, 0x2b739),
    (0x2b740, 0x2b81d),
    (0x2b820, 0x2cea1),
    (0x2ceb0, 0x2ebe0),
    (0x2f800, 0x2fa1d),
    (0x30000, 0x3134a),
    (0x31350, 0x323af),
    (0xe0100, 0xe01ef),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};
    use tetragon_api::from_json_line;

    fn ev(value: Value) -> GetEventsResponse {
        from_json_line(&value.to_string()).expect("valid event JSON")
    }

    fn plain() -> CompactEncoder {
        CompactEncoder::new(false, false, true)
    }

    fn line(value: Value) -> String {
        plain().encode(&ev(value)).expect("printed")
    }

    fn pod_process(binary: &str, arguments: &str) -> Value {
        json!({
            "binary": binary,
            "arguments": arguments,
            "pod": {"namespace": "kube-system", "name": "tetragon"},
        })
    }

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
    fn color_mode_resolution() {
        use ColorMode::*;
        assert!(Always.resolve_with(false, None, None));
        assert!(Always.resolve_with(false, Some("1"), Some("dumb")));
        assert!(!Never.resolve_with(true, None, None));
        assert!(Auto.resolve_with(true, None, Some("xterm-256color")));
        assert!(Auto.resolve_with(true, Some(""), None));
        assert!(!Auto.resolve_with(false, None, None));
        assert!(!Auto.resolve_with(true, Some("1"), None));
        assert!(!Auto.resolve_with(true, None, Some("dumb")));
        assert!(!Never.resolve(true));
        assert!(Always.resolve(false));
    }

    #[test]
    fn exec_with_and_without_pod() {
        let exec = json!({
            "process_exec": {"process": {"binary": "/usr/bin/curl", "arguments": "cilium.io"}},
            "node_name": "my-node",
        });
        assert_eq!(line(exec), "🚀 process my-node /usr/bin/curl cilium.io");
        let exec = json!({"process_exec": {"process": pod_process("/usr/bin/curl", "cilium.io")}});
        assert_eq!(
            line(exec),
            "🚀 process kube-system/tetragon /usr/bin/curl cilium.io"
        );
        // Arguments with spaces and quotes are printable: as is.
        let exec = json!({"process_exec": {"process": {
            "binary": "/bin/bash", "arguments": "-c \"cat /etc/shadow\"",
            "pod": {"namespace": "default", "name": "xwing"}}}});
        assert_eq!(
            line(exec),
            "🚀 process default/xwing /bin/bash -c \"cat /etc/shadow\""
        );
        // No arguments: the separating space stays.
        let exec = json!({"process_exec": {"process": {"binary": "/bin/sh",
            "pod": {"namespace": "default", "name": "file-access"}}}});
        assert_eq!(line(exec), "🚀 process default/file-access /bin/sh ");
    }

    #[test]
    fn exit_status_and_signal() {
        let exit = json!({"process_exit": {"process": pod_process("/usr/bin/curl", "cilium.io"),
            "status": 1}});
        assert_eq!(
            line(exit),
            "💥 exit    kube-system/tetragon /usr/bin/curl cilium.io 1"
        );
        let exit = json!({"process_exit": {"process": pod_process("/usr/bin/curl", "cilium.io")}});
        assert_eq!(
            line(exit),
            "💥 exit    kube-system/tetragon /usr/bin/curl cilium.io 0"
        );
        let exit = json!({"process_exit": {"process": {"binary": "/usr/bin/cat",
            "arguments": "/tmp/tetragon"}, "signal": "SIGKILL", "status": 9}, "node_name": "my-node"});
        assert_eq!(
            line(exit),
            "💥 exit    my-node /usr/bin/cat /tmp/tetragon SIGKILL"
        );
    }

    #[test]
    fn events_without_process_or_kind_are_skipped() {
        let enc = plain();
        assert_eq!(
            enc.try_encode(&GetEventsResponse::default()),
            Err(EncodeError::NoEvent)
        );
        for kind in [
            "process_exec",
            "process_exit",
            "process_kprobe",
            "process_tracepoint",
            "process_loader",
            "process_uprobe",
            "process_lsm",
            "process_usdt",
        ] {
            let event = ev(json!({kind: {}, "node_name": "n"}));
            assert_eq!(
                enc.try_encode(&event),
                Err(EncodeError::MissingProcess),
                "{kind}"
            );
            assert_eq!(enc.encode(&event), None);
        }
        let rate = ev(json!({"rate_limit_info": {"number_of_dropped_process_events": "3"}}));
        assert_eq!(enc.try_encode(&rate), Err(EncodeError::UnknownEventType));
        assert_eq!(
            enc.encode(&ev(json!({"test": {}}))).as_deref(),
            Some("TEST EVENT")
        );
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

    #[test]
    fn tracepoints_uprobes_loader_lsm_usdt_throttle() {
        let process = pod_process("/usr/bin/curl", "");
        assert_eq!(
            line(
                json!({"process_tracepoint": {"process": process, "subsys": "sched",
                "event": "sched_process_fork"}})
            ),
            "⁉️ tracepoint kube-system/tetragon /usr/bin/curl sched sched_process_fork"
        );
        assert_eq!(
            line(
                json!({"process_uprobe": {"process": process, "path": "/usr/lib/libssl.so.3",
                "symbol": "SSL_write"}})
            ),
            "🕵️ uprobe  kube-system/tetragon /usr/bin/curl /usr/lib/libssl.so.3 SSL_write"
        );
        // build id bytes 0x01 0xab 0xff.
        assert_eq!(
            line(
                json!({"process_loader": {"process": process, "path": "/usr/lib/libc.so.6",
                "buildid": "Aav/"}})
            ),
            "🧬 loader  kube-system/tetragon /usr/bin/curl 01abff /usr/lib/libc.so.6"
        );
        assert_eq!(
            line(json!({"process_loader": {"process": process, "path": "/usr/lib/libc.so.6"}})),
            "🧬 loader  kube-system/tetragon /usr/bin/curl /usr/lib/libc.so.6"
        );
        assert_eq!(
            line(json!({"process_lsm": {"process": process, "function_name": "file_open"}})),
            "🔒 LSM     kube-system/tetragon /usr/bin/curl file_open"
        );
        assert_eq!(
            line(
                json!({"process_usdt": {"process": process, "path": "/usr/bin/python3",
                "provider": "python", "name": "function__entry"}})
            ),
            "🕵️ usdt    kube-system/tetragon /usr/bin/curl /usr/bin/python3 python function__entry"
        );
        assert_eq!(
            line(
                json!({"process_throttle": {"type": "THROTTLE_START", "cgroup": "/kubepods/pod1"}})
            ),
            "🧬 throttle START /kubepods/pod1"
        );
        assert_eq!(
            line(
                json!({"process_throttle": {"type": "THROTTLE_STOP", "cgroup": "/kubepods/pod1"}})
            ),
            "🧬 throttle STOP  /kubepods/pod1"
        );
        assert_eq!(line(json!({"process_throttle": {}})), "🧬 throttle  ");
        let unknown = GetEventsResponse {
            event: Some(Event::ProcessThrottle(ProcessThrottle {
                r#type: 7,
                cgroup: "/c".into(),
            })),
            ..Default::default()
        };
        assert_eq!(plain().encode(&unknown).as_deref(), Some("🧬 throttle  /c"));
    }

    #[test]
    fn raw_syscalls() {
        let arg = |v: Value| -> Vec<KprobeArgument> {
            vec![serde_json::from_value(v).expect("argument")]
        };
        let long = |id: i64| arg(json!({"long_arg": id.to_string()}));
        assert_eq!(raw_syscall_name(&long(257), Some("x64")), "openat");
        assert_eq!(raw_syscall_name(&long(0), Some("x64")), "read");
        assert_eq!(raw_syscall_name(&long(56), Some("arm64")), "openat");
        assert_eq!(raw_syscall_name(&long(79), Some("arm64")), "newfstatat");
        assert_eq!(raw_syscall_name(&long(462), Some("x64")), "mseal");
        assert_eq!(raw_syscall_name(&long(400), Some("x64")), "unknown");
        assert_eq!(raw_syscall_name(&long(-1), Some("x64")), "unknown");
        assert_eq!(raw_syscall_name(&long(100_000), Some("x64")), "unknown");
        assert_eq!(raw_syscall_name(&[], Some("x64")), "unknown");
        assert_eq!(raw_syscall_name(&long(0), None), "unknown");
        let id = |id: u32, abi: &str| arg(json!({"syscall_id": {"id": id, "abi": abi}}));
        assert_eq!(raw_syscall_name(&id(59, "x64"), Some("x64")), "execve");
        assert_eq!(
            raw_syscall_name(&id(11, "i386"), Some("x64")),
            "i386/execve"
        );
        assert_eq!(
            raw_syscall_name(&id(221, "arm64"), Some("x64")),
            "arm64/execve"
        );
        assert_eq!(raw_syscall_name(&id(11, "arm32"), Some("arm64")), "unknown");
        // Table sanity: well-known numbers on each ABI.
        assert_eq!(syscall_name("x64", 334), Some("rseq"));
        assert_eq!(syscall_name("x64", 335), None);
        assert_eq!(syscall_name("x64", 424), Some("pidfd_send_signal"));
        assert_eq!(syscall_name("x64", 451), Some("cachestat"));
        assert_eq!(syscall_name("arm64", 0), Some("io_setup"));
        assert_eq!(syscall_name("arm64", 63), Some("read"));
        assert_eq!(syscall_name("arm64", 64), Some("write"));
        assert_eq!(syscall_name("arm64", 244), None);
        assert_eq!(syscall_name("arm64", 435), Some("clone3"));
        assert_eq!(syscall_name("arm64", 447), Some("memfd_secret"));
        assert_eq!(syscall_name("i386", 5), Some("open"));
        assert_eq!(syscall_name("i386", 462), Some("mseal"));
        for abi in ["x64", "arm64", "i386"] {
            assert_eq!(syscall_name(abi, 462), Some("mseal"), "{abi}");
            assert_eq!(syscall_name(abi, 463), None, "{abi}");
        }
    }

    #[test]
    fn raw_syscall_line_uses_the_host_abi() {
        let event = json!({"process_tracepoint": {"process": pod_process("/bin/cat", ""),
            "subsys": "raw_syscalls", "event": "sys_enter", "args": [{"long_arg": "9999"}]}});
        assert_eq!(
            line(event),
            "☎  syscall kube-system/tetragon /bin/cat unknown"
        );
        if DEFAULT_ABI == Some("x64") {
            let event = json!({"process_tracepoint": {"process": pod_process("/bin/cat", ""),
                "subsys": "raw_syscalls", "event": "sys_enter", "args": [{"long_arg": "257"}]}});
            assert_eq!(
                line(event),
                "☎  syscall kube-system/tetragon /bin/cat openat"
            );
        }
    }

    #[test]
    fn caps_trailer_pads_to_120_bytes() {
        let event = json!({"process_exec": {"process": {
            "binary": "/bin/sleep", "arguments": "365d",
            "pod": {"namespace": "default", "name": "test-pod"},
            "cap": {"effective": ["CAP_CHOWN", "CAP_SYS_ADMIN"]}}}});
        let text = line(event);
        // 45 bytes of line, a space, then the 15-character trailer right-aligned in 75.
        let head = "🚀 process default/test-pod /bin/sleep 365d";
        assert_eq!(head.len(), 45);
        assert_eq!(text, format!("{head} {}🛑 CAP_SYS_ADMIN", " ".repeat(60)));
        // Without CAP_SYS_ADMIN (or without caps at all) there is no trailer.
        let event = json!({"process_exec": {"process": {"binary": "/bin/sleep", "arguments": "365d",
            "cap": {"effective": ["CAP_CHOWN"]}}}, "node_name": "n"});
        assert_eq!(line(event), "🚀 process n /bin/sleep 365d");
        // A line already past 120 bytes gets just one space.
        let long_args = "x".repeat(130);
        let event = json!({"process_exec": {"process": {"binary": "/bin/echo", "arguments": long_args,
            "cap": {"effective": ["CAP_SYS_ADMIN"]}}}, "node_name": "n"});
        assert_eq!(
            line(event),
            format!("🚀 process n /bin/echo {long_args} 🛑 CAP_SYS_ADMIN")
        );
        // Kprobes carry the trailer too.
        let event = json!({"process_kprobe": {"process": {"binary": "/bin/x",
            "cap": {"effective": ["CAP_SYS_ADMIN"]}}, "function_name": "f"}, "node_name": "n"});
        let head = "❓ syscall n /bin/x f";
        assert_eq!(
            line(event),
            format!(
                "{head} {}🛑 CAP_SYS_ADMIN",
                " ".repeat(120 - head.len() - 15)
            )
        );
    }

    #[test]
    fn colours() {
        let enc = CompactEncoder::new(true, false, true);
        let event = ev(json!({"process_exec": {"process": {"binary": "/bin/cat",
            "arguments": "/etc/shadow", "pod": {"namespace": "default", "name": "xwing"}}}}));
        let head = "\x1b[34m🚀 process\x1b[0m \x1b[32mdefault/xwing\x1b[0m \x1b[35m/bin/cat\x1b[0m \x1b[36m/etc/shadow\x1b[0m";
        assert_eq!(head.len(), 83);
        // The empty caps trailer is still a coloured (non-empty) string: the line gets padded
        // to 120 bytes, the 9-character escape pair right-aligned in the remaining 37.
        let expected = format!("{head} {}\x1b[35m\x1b[0m", " ".repeat(28));
        assert_eq!(enc.encode(&event).unwrap(), expected);

        let event = ev(json!({"process_exit": {"process": {"binary": "/bin/cat",
            "arguments": "/etc/shadow", "cap": {"effective": ["CAP_SYS_ADMIN"]}},
            "signal": "SIGKILL"}, "node_name": "my-node"}));
        let head = "\x1b[34m💥 exit   \x1b[0m \x1b[32mmy-node\x1b[0m \x1b[35m/bin/cat\x1b[0m \x1b[36m/etc/shadow\x1b[0m \x1b[31mSIGKILL\x1b[0m";
        let caps = "\x1b[35m🛑 CAP_SYS_ADMIN\x1b[0m";
        let pad = 120 - head.len() - caps.chars().count();
        assert_eq!(
            enc.encode(&event).unwrap(),
            format!("{head} {}{caps}", " ".repeat(pad))
        );

        let event = ev(json!({"process_throttle": {"type": "THROTTLE_STOP", "cgroup": "/c"}}));
        assert_eq!(
            enc.encode(&event).unwrap(),
            "\x1b[31m🧬 throttle\x1b[0m \x1b[32mSTOP \x1b[0m /c"
        );
    }

    fn stack_event() -> GetEventsResponse {
        ev(json!({"process_kprobe": {
            "process": {"binary": "/usr/bin/curl"},
            "function_name": "kfree_skb_reason",
            "kernel_stack_trace": [
                {"address": "18446670264256120896", "offset": "272", "symbol": "skb_release_head_state"},
                {"address": "18446670264257081512", "offset": "88", "symbol": "ip_protocol_deliver_rcu"},
            ],
        }, "node_name": "my-node"}))
    }

    #[test]
    fn kernel_stack_traces() {
        let event = stack_event();
        assert_eq!(
            plain().encode(&event).unwrap(),
            "❓ syscall my-node /usr/bin/curl kfree_skb_reason\nKernel:\n   \
             0xffffbcdee5bf4840: skb_release_head_state+0x110\n   \
             0xffffbcdee5cdf0a8: ip_protocol_deliver_rcu+0x58"
        );
        assert_eq!(
            CompactEncoder::new(false, false, false)
                .encode(&event)
                .unwrap(),
            "❓ syscall my-node /usr/bin/curl kfree_skb_reason"
        );
        let colored = CompactEncoder::new(true, false, true)
            .encode(&event)
            .unwrap();
        let frames = colored.split_once("\nKernel:\n").unwrap().1;
        assert_eq!(
            frames,
            "\x1b[32m   0xffffbcdee5bf4840:\x1b[0m\x1b[34m skb_release_head_state\x1b[0m+\x1b[33m0x110\n\x1b[0m\
             \x1b[32m   0xffffbcdee5cdf0a8:\x1b[0m\x1b[34m ip_protocol_deliver_rcu\x1b[0m+\x1b[33m0x58\x1b[0m"
        );
    }

    #[test]
    fn user_stack_traces_and_timestamps() {
        let event = ev(json!({"process_kprobe": {
            "process": {"binary": "/usr/bin/curl"},
            "function_name": "f",
            "kernel_stack_trace": [{"address": "0", "offset": "0", "symbol": "sym"}],
            "user_stack_trace": [
                {"address": "4096", "offset": "16", "symbol": "main", "module": "/usr/bin/curl"},
                {"address": "8192", "offset": "32", "module": "/lib/libc.so.6"},
            ],
        }, "node_name": "n", "time": "2024-04-14T02:18:14.3763042Z"}));
        assert_eq!(
            CompactEncoder::new(false, true, true)
                .encode(&event)
                .unwrap(),
            "2024-04-14T02:18:14.376304200Z ❓ syscall n /usr/bin/curl f\nKernel:\n   0x0: sym+0x0\n\
             User:\n   0x1000: main (/usr/bin/curl+0x10)\n   0x2000: (/lib/libc.so.6+0x20)"
        );
    }

    #[test]
    fn ima_hash_lines() {
        let event = ev(json!({"process_lsm": {
            "process": {"binary": "/usr/bin/cat"},
            "function_name": "file_open",
            "args": [{"file_arg": {"path": "/etc/passwd"}}],
            "ima_hash": "sha256:abcd",
        }, "node_name": "n"}));
        assert_eq!(
            plain().encode(&event).unwrap(),
            "🔒 LSM     n /usr/bin/cat file_open\n   /etc/passwd sha256:abcd"
        );
        assert_eq!(
            plain().with_ima_hash(false).encode(&event).unwrap(),
            "🔒 LSM     n /usr/bin/cat file_open"
        );
        let event = ev(json!({"process_lsm": {
            "process": {"binary": "/usr/bin/cat"},
            "function_name": "bprm_check_security",
            "args": [{"linux_binprm_arg": {"path": "/usr/bin/cat"}}],
            "ima_hash": "sha256:ef",
        }, "node_name": "n"}));
        assert_eq!(
            plain().encode(&event).unwrap(),
            "🔒 LSM     n /usr/bin/cat bprm_check_security\n   /usr/bin/cat sha256:ef"
        );
        // Unknown hooks and missing arguments print no IMA line.
        let event = ev(json!({"process_lsm": {"process": {"binary": "/b"},
            "function_name": "file_open", "ima_hash": "sha256:ef"}, "node_name": "n"}));
        assert_eq!(plain().encode(&event).unwrap(), "🔒 LSM     n /b file_open");
    }

    #[test]
    fn timestamps() {
        assert_eq!(format_utc(0, 0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(
            format_utc(1_713_061_094, 376_304_204),
            "2024-04-14T02:18:14.376304204Z"
        );
        assert_eq!(format_utc(951_782_400, 5), "2000-02-29T00:00:00.000000005Z");
        assert_eq!(format_utc(-1, 0), "1969-12-31T23:59:59.000000000Z");
        assert_eq!(format_utc(0, -1), "1969-12-31T23:59:59.999999999Z");
        assert_eq!(
            format_utc(253_402_300_799, 999_999_999),
            "9999-12-31T23:59:59.999999999Z"
        );
        assert_eq!(
            format_utc(253_402_300_800, 0),
            "10000-01-01T00:00:00.000000000Z"
        );
        assert_eq!(
            format_utc(-62_167_219_200 - 86_400, 0),
            "-0001-12-31T00:00:00.000000000Z"
        );
        // Extreme values do not panic.
        let _ = format_utc(i64::MAX, i32::MAX);
        let _ = format_utc(i64::MIN, i32::MIN);

        let enc = CompactEncoder::new(false, true, true);
        let event = ev(json!({"process_exec": {"process": {"binary": "/b"}}, "node_name": "n"}));
        assert_eq!(
            enc.encode(&event).unwrap(),
            "1970-01-01T00:00:00.000000000Z 🚀 process n /b "
        );
        let event = ev(
            json!({"process_exec": {"process": {"binary": "/b"}}, "node_name": "n",
            "time": "2024-04-14T02:18:14Z"}),
        );
        assert_eq!(
            enc.encode(&event).unwrap(),
            "2024-04-14T02:18:14.000000000Z 🚀 process n /b "
        );
    }

    #[test]
    fn go_printable_and_quote() {
        for c in [
            ' ',
            'a',
            '~',
            '"',
            '\\',
            '¡',
            'é',
            'ÿ',
            'ア',
            '中',
            '🚀',
            '\u{fe0f}',
            '\u{0301}',
            '\u{fffd}',
            '\u{1f6d1}',
            '\u{20000}',
        ] {
            assert!(is_print(c), "{c:?} should be printable");
        }
        for c in [
            '\0',
            '\n',
            '\x1b',
            '\x7f',
            '\u{80}',
            '\u{85}',
            '\u{a0}',
            '\u{ad}',
            '\u{200b}',
            '\u{200d}',
            '\u{2028}',
            '\u{202e}',
            '\u{3000}',
            '\u{feff}',
            '\u{e000}',
            '\u{378}',
            '\u{10ffff}',
            '\u{e0001}',
        ] {
            assert!(!is_print(c), "{c:?} should not be printable");
        }
        assert_eq!(maybe_quote("/etc/passwd"), "/etc/passwd");
        assert_eq!(maybe_quote("a \"b\" \\c"), "a \"b\" \\c");
        assert_eq!(maybe_quote("héllo wörld 🚀"), "héllo wörld 🚀");
        assert_eq!(maybe_quote(""), "");
        assert_eq!(
            maybe_quote("/usr/bin/\x1b[31mmalicious\x1b[0m"),
            "\"/usr/bin/\\x1b[31mmalicious\\x1b[0m\""
        );
        assert_eq!(
            maybe_quote("echo \0null\rbyte"),
            "\"echo \\x00null\\rbyte\""
        );
        assert_eq!(
            maybe_quote("host\nwith\nnewlines"),
            "\"host\\nwith\\nnewlines\""
        );
        assert_eq!(
            maybe_quote("\x07\x08\x0c\n\r\t\x0b\x01\x7f\"\\"),
            "\"\\a\\b\\f\\n\\r\\t\\v\\x01\\x7f\\\"\\\\\""
        );
        assert_eq!(
            maybe_quote("a\u{85}b\u{a0}c\u{202e}d"),
            "\"a\\u0085b\\u00a0c\\u202ed\""
        );
        assert_eq!(maybe_quote("é\u{10ffff}🚀"), "\"é\\U0010ffff🚀\"");
    }

    #[test]
    fn escaping_applies_to_every_event_string() {
        let evil = "a\x1b[2J\nb";
        let quoted = "\"a\\x1b[2J\\nb\"";
        let file = json!({"file_arg": {"path": evil}});
        let process = json!({"binary": evil, "arguments": evil});
        let exec = line(json!({"process_exec": {"process": process}, "node_name": evil}));
        assert_eq!(exec, format!("🚀 process {quoted} {quoted} {quoted}"));
        let pod_process = json!({"binary": "/b", "pod": {"namespace": evil, "name": "p"}});
        let exec = line(json!({"process_exec": {"process": pod_process}}));
        assert_eq!(exec, format!("🚀 process {quoted}/p /b "));
        let fd = line(json!({"process_kprobe": {"process": {"binary": "/b"},
            "function_name": "fd_install", "args": [{}, file]}, "node_name": "n"}));
        assert_eq!(fd, format!("📬 open    n /b {quoted}"));
        let unknown = line(json!({"process_kprobe": {"process": {"binary": "/b"},
            "function_name": evil}, "node_name": "n"}));
        assert_eq!(unknown, format!("❓ syscall n /b {quoted}"));
    }

    /// Every kind of event, every kprobe function, with every argument shape: no panic, and with
    /// colours off no control character other than the newlines between lines.
    #[test]
    fn never_panics_nor_leaks_control_characters() {
        let evil = "x\x1b]0;pwn\x07\r\u{9b}31m";
        let args = [
            json!({}),
            json!({"string_arg": evil}),
            json!({"int_arg": 2}),
            json!({"int_arg": 4}),
            json!({"uint_arg": 7}),
            json!({"size_arg": "18446744073709551615"}),
            json!({"long_arg": "-9223372036854775808"}),
            json!({"file_arg": {"path": evil}}),
            json!({"path_arg": {"path": evil}}),
            json!({"linux_binprm_arg": {"path": evil}}),
            json!({"sock_arg": {"saddr": evil, "daddr": evil, "sport": 1, "dport": 2}}),
            json!({"bpf_attr_arg": {"ProgType": evil, "ProgName": evil, "InsnCnt": 1}}),
            json!({"perf_event_arg": {"KprobeFunc": evil, "Type": evil}}),
            json!({"bpf_map_arg": {"MapType": evil, "MapName": evil}}),
            json!({"syscall_id": {"id": 4_000_000_000u32, "abi": evil}}),
        ];
        let functions = [
            "fd_install",
            "sys_openat",
            "__x64_sys_open",
            "sys_write",
            "sys_read",
            "sys_close",
            "sys_mount",
            "sys_pivot_root",
            "sys_setuid",
            "sys_clock_settime",
            "sys_setns",
            "proc_exec_connector",
            "tcp_connect",
            "tcp_close",
            "tcp_sendmsg",
            "bpf_check",
            "security_perf_event_alloc",
            "security_bpf_map_alloc",
            "security_bpf_map_create",
            "security_file_permission",
            "security_mmap_file",
            "security_path_truncate",
            "security_file_truncate",
            "file_open",
            "bprm_check_security",
            evil,
        ];
        let process = json!({"binary": evil, "arguments": evil,
            "cap": {"effective": ["CAP_SYS_ADMIN"]}});
        let mut events = vec![
            json!({"process_exec": {"process": process}}),
            json!({"process_exit": {"process": process, "signal": evil}}),
            json!({"process_loader": {"process": process, "path": evil, "buildid": "AAE="}}),
            json!({"process_uprobe": {"process": process, "path": evil, "symbol": evil}}),
            json!({"process_usdt": {"process": process, "path": evil, "provider": evil, "name": evil}}),
            json!({"process_throttle": {"type": "THROTTLE_UNKNOWN", "cgroup": evil}}),
            json!({"process_tracepoint": {"process": process, "subsys": evil, "event": evil}}),
        ];
        let stack = json!([{"address": "1", "offset": "2", "symbol": evil, "module": evil}]);
        for function in functions {
            for n in 0..=3 {
                for arg in &args {
                    let list: Vec<Value> = (0..n).map(|_| arg.clone()).collect();
                    events.push(json!({"process_kprobe": {"process": process,
                        "function_name": function, "args": list,
                        "kernel_stack_trace": stack, "user_stack_trace": stack}}));
                    events.push(json!({"process_lsm": {"process": process,
                        "function_name": function, "args": list, "ima_hash": evil}}));
                    events.push(json!({"process_tracepoint": {"process": process,
                        "subsys": "raw_syscalls", "event": "sys_enter", "args": list}}));
                }
            }
        }
        for color in [false, true] {
            let enc = CompactEncoder::new(color, true, true);
            for event in &events {
                let mut event = ev(event.clone());
                event.node_name = evil.to_owned();
                let text = enc.encode(&event).expect("printed");
                if !color {
                    assert!(
                        !text
                            .chars()
                            .any(|c| c != '\n' && (c.is_control() || c == '\u{9b}')),
                        "{text:?}"
                    );
                }
            }
        }
    }
}
