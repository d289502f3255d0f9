//! Turns decoded kernel records into API events, keeping the process cache
//! in step: an exec becomes `process_exec`, a fork updates the cache only,
//! an exit becomes `process_exit`.

use tetragon_api::tetragon::{
    GetEventsResponse, Process, ProcessExec, ProcessExit, get_events_response::Event,
};

use std::sync::Arc;

use super::{generic, signals::signal_name, symbols::KernelSymbols};
use crate::bpf::records::GenericRecord;
use crate::bpf::records::RecordNamespaces;
use crate::pods::store::PodStore;
use crate::policy::{compile::UserAction, registry::HookRegistry};
use crate::{
    bpf::records::{ExecRecord, Record, RecordClone, RecordExit},
    process::{
        cache::{CacheStats, ProcessCache},
        clock::BootClock,
        exec_id::exec_id,
        facts::{ProcessDetail, ProcessFacts},
        flags,
    },
};

pub struct EventBuilder {
    node: String,
    clock: BootClock,
    detail: ProcessDetail,
    cache: ProcessCache,
    host_ns: Option<RecordNamespaces>,
    hooks: Option<PolicyHooks>,
    /// Pod metadata for processes in containers, when a source is on.
    pods: Option<Arc<PodStore>>,
}

/// What policy hook records need: their hooks, and where user-space
/// actions go (never waited for).
pub struct PolicyHooks {
    pub registry: Arc<HookRegistry>,
    pub actions: tokio::sync::mpsc::Sender<UserAction>,
    pub kernel_symbols: Arc<KernelSymbols>,
}

impl EventBuilder {
    pub fn new(node: String, cache_size: usize, detail: ProcessDetail) -> Self {
        EventBuilder {
            node,
            clock: BootClock::now(),
            detail,
            cache: ProcessCache::new(cache_size),
            host_ns: None,
            hooks: None,
            pods: None,
        }
    }

    /// Gives processes in containers their pod, from `store`.
    pub fn with_pods(mut self, store: Arc<PodStore>) -> Self {
        self.pods = Some(store);
        self
    }

    /// `process` with its pod, when it is in a container whose pod became
    /// known since it was cached; the cache learns it too.
    fn with_pod(&mut self, process: Option<Process>) -> Option<Process> {
        process.map(|mut p| {
            self.fill_pod(&mut p);
            p
        })
    }

    fn fill_pod(&mut self, process: &mut Process) {
        if process.pod.is_none()
            && !process.docker.is_empty()
            && let Some(store) = &self.pods
            && let Some(pod) = store.lookup(&process.docker)
        {
            self.cache.set_pod(&process.exec_id, &pod);
            process.pod = Some(pod);
        }
    }

    /// Makes events of policy hook records.
    pub fn with_policy_hooks(mut self, hooks: PolicyHooks) -> Self {
        self.hooks = Some(hooks);
        self
    }

    pub fn cache_stats(&self) -> CacheStats {
        self.cache.stats()
    }

    pub fn cache(&self) -> &ProcessCache {
        &self.cache
    }

    /// Caches processes that were running before the daemon started
    /// (parents first), so their later events have a process and a parent.
    pub fn seed(&mut self, existing: Vec<ProcessFacts>) {
        self.host_ns = existing.iter().find_map(|f| f.host_ns);
        for facts in existing {
            let parent_id = self
                .cache
                .current(facts.ppid)
                .map(|p| p.exec_id.clone())
                .unwrap_or_default();
            let mut process = facts.to_process(&self.node, &self.clock, &parent_id, self.detail);
            self.fill_pod(&mut process);
            self.cache.insert(process, false);
        }
    }

    /// The event a record makes, if any.
    pub fn handle(&mut self, record: Record) -> Option<GetEventsResponse> {
        match record {
            Record::Exec(exec) => Some(self.exec(*exec)),
            Record::Clone(clone) => {
                self.clone_process(&clone);
                None
            }
            Record::Exit(exit) => self.exit(&exit),
            Record::Generic(rec) => self.generic(&rec),
        }
    }

    fn generic(&mut self, rec: &GenericRecord) -> Option<GetEventsResponse> {
        let hooks = self.hooks.as_ref()?;
        // A deleted policy's last records find no hook: they are dropped.
        let hook = hooks.registry.get(rec.fixed.hook_id)?;
        let kernel_stack = match (&hook.stacks, rec.fixed.kernel_stack_id) {
            (Some(stacks), id) if id >= 0 => {
                let stacks = stacks.lock().unwrap_or_else(|e| e.into_inner());
                hooks.kernel_symbols.stack(&stacks, id as u32)
            }
            _ => Vec::new(),
        };
        for action in hook
            .info
            .user_actions
            .get(rec.fixed.selector as usize)
            .into_iter()
            .flatten()
        {
            // A full queue drops the action: the event path never waits.
            let _ = hooks.actions.try_send(action.clone());
        }
        let mut event = generic::event(&hook, &rec.fixed, &rec.args, kernel_stack);
        let process = self.cache.current(rec.fixed.pid).cloned();
        let process = self.with_pod(process);
        let parent = process
            .as_ref()
            .and_then(|p| self.cache.get(&p.parent_exec_id).cloned());
        let parent = self.with_pod(parent);
        let ancestors = match &process {
            Some(p) => self.ancestors(p),
            None => Vec::new(),
        };
        match &mut event {
            Event::ProcessKprobe(e) => {
                (e.process, e.parent, e.ancestors) = (process, parent, ancestors);
            }
            Event::ProcessTracepoint(e) => {
                (e.process, e.parent, e.ancestors) = (process, parent, ancestors);
            }
            Event::ProcessUprobe(e) => {
                (e.process, e.parent, e.ancestors) = (process, parent, ancestors);
            }
            _ => {}
        }
        Some(self.response(rec.fixed.ktime, event))
    }

    fn exec(&mut self, rec: ExecRecord) -> GetEventsResponse {
        let f = &rec.fixed;
        let mut flag_bits = f.flags;
        if self.cache.is_fork(f.pid) {
            flag_bits |= flags::CLONE;
        }
        let parent = self.cache.current(f.ppid).cloned();
        let parent = self.with_pod(parent);
        if parent.is_none() {
            flag_bits |= flags::MISS;
        }
        let cwd = rec.cwd();
        let facts = ProcessFacts {
            pid: f.pid,
            tid: f.tid,
            ppid: f.ppid,
            ktime: f.hdr.ktime,
            auid: f.auid,
            creds: f.creds,
            ns: f.ns,
            host_ns: self.host_ns,
            cgroup_name: rec.cgroup_name(),
            file: Some((f.file_mode, f.file_uid, f.file_gid)),
            flags: flag_bits,
            cwd,
            filename: rec.filename,
            argv: rec.argv,
        };
        let parent_id = parent.as_ref().map(|p| p.exec_id.as_str()).unwrap_or("");
        let mut process = facts.to_process(&self.node, &self.clock, parent_id, self.detail);
        self.fill_pod(&mut process);
        self.cache.insert(process.clone(), false);
        let ancestors = self.ancestors(&process);
        self.response(
            f.hdr.ktime,
            Event::ProcessExec(ProcessExec {
                process: Some(process),
                parent,
                ancestors,
            }),
        )
    }

    /// A new process shows its parent's image until it execs.
    fn clone_process(&mut self, rec: &RecordClone) {
        let Some(parent) = self.cache.current(rec.ppid).cloned() else {
            return;
        };
        let mut child = parent.clone();
        child.exec_id = exec_id(&self.node, rec.hdr.ktime, rec.pid);
        child.pid = Some(rec.pid.into());
        child.tid = Some(rec.pid.into());
        child.start_time = Some(self.clock.timestamp(rec.hdr.ktime));
        child.parent_exec_id = parent.exec_id;
        if !child.flags.split(' ').any(|f| f == "clone") {
            child.flags = if child.flags.is_empty() {
                "clone".to_string()
            } else {
                format!("{} clone", child.flags)
            };
        }
        self.cache.insert(child, true);
    }

    fn exit(&mut self, rec: &RecordExit) -> Option<GetEventsResponse> {
        let process: Process = self.cache.exit(rec.pid)?;
        let process = self.with_pod(Some(process))?;
        let parent = self.cache.get(&process.parent_exec_id).cloned();
        let parent = self.with_pod(parent);
        let ancestors = self.ancestors(&process);
        let signal = rec.exit_code & 0x7f;
        let time = self.clock.timestamp(rec.hdr.ktime);
        Some(self.response(
            rec.hdr.ktime,
            Event::ProcessExit(ProcessExit {
                process: Some(process),
                parent,
                signal: if signal != 0 {
                    signal_name(signal)
                } else {
                    String::new()
                },
                status: (rec.exit_code >> 8) & 0xff,
                time: Some(time),
                ancestors,
            }),
        ))
    }

    /// The parent's parent and on up, as far as the cache knows, stopping at
    /// pid 2 or below (init, kthreadd), as upstream does; none for those.
    fn ancestors(&mut self, process: &Process) -> Vec<Process> {
        const OLDEST_ANCESTOR_PID: u32 = 2;
        let pid = |p: &Process| p.pid.map(|v| v.value).unwrap_or_default();
        let mut out = Vec::new();
        if !self.detail.ancestors || pid(process) <= OLDEST_ANCESTOR_PID {
            return out;
        }
        let Some(mut current) = self.cache.get(&process.parent_exec_id).cloned() else {
            return out;
        };
        while pid(&current) > OLDEST_ANCESTOR_PID {
            let Some(next) = self.cache.get(&current.parent_exec_id).cloned() else {
                break;
            };
            out.push(next.clone());
            current = next;
        }
        out
    }

    fn response(&self, ktime: u64, event: Event) -> GetEventsResponse {
        GetEventsResponse {
            event: Some(event),
            node_name: self.node.clone(),
            time: Some(self.clock.timestamp(ktime)),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bpf::records::{RECORD_CLONE, RECORD_EXIT, RecordExecFixed, RecordHeader};
    use bytemuck::Zeroable;

    fn exec(pid: u32, ppid: u32, ktime: u64, argv: &[&str]) -> Record {
        let mut fixed = RecordExecFixed::zeroed();
        fixed.hdr.ktime = ktime;
        fixed.pid = pid;
        fixed.tid = pid;
        fixed.ppid = ppid;
        fixed.flags = flags::EXECVE | flags::ROOT_CWD; // as the kernel sets them for cwd /
        Record::Exec(Box::new(ExecRecord {
            fixed,
            filename: argv[0].into(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            cwd_components: vec![],
        }))
    }

    fn clone(pid: u32, ppid: u32, ktime: u64) -> Record {
        Record::Clone(RecordClone {
            hdr: RecordHeader {
                kind: RECORD_CLONE,
                size: 40,
                ktime,
            },
            pid,
            ppid,
            start_boottime: ktime,
            cgroup_id: 0,
        })
    }

    fn exit(pid: u32, ktime: u64, code: u32) -> Record {
        Record::Exit(RecordExit {
            hdr: RecordHeader {
                kind: RECORD_EXIT,
                size: 32,
                ktime,
            },
            pid,
            tid: pid,
            exit_code: code,
            pad: 0,
        })
    }

    fn builder() -> EventBuilder {
        let mut b = EventBuilder::new("node".into(), 1000, ProcessDetail::default());
        b.seed(vec![ProcessFacts {
            pid: 100,
            tid: 100,
            ppid: 1,
            ktime: 1,
            filename: "/bin/bash".into(),
            argv: vec!["bash".into()],
            cwd: "/".into(),
            flags: flags::PROCFS | flags::ROOT_CWD,
            ..Default::default()
        }]);
        b
    }

    #[test]
    fn fork_exec_exit_links_parents_and_reports_status() {
        let mut b = builder();
        assert!(b.handle(clone(200, 100, 10)).is_none());
        let ev = b
            .handle(exec(200, 100, 20, &["/bin/sh", "-c", "/bin/true; exit 3"]))
            .unwrap();
        let Some(Event::ProcessExec(pe)) = ev.event else {
            panic!()
        };
        let p = pe.process.unwrap();
        let parent = pe.parent.unwrap();
        assert_eq!(parent.binary, "/bin/bash");
        assert_eq!(parent.flags, "procFS rootcwd");
        assert_eq!(p.parent_exec_id, parent.exec_id);
        assert_eq!(p.arguments, "-c \"/bin/true; exit 3\"");
        assert_eq!(p.flags, "execve rootcwd clone");

        let ev = b.handle(exit(200, 30, 3 << 8)).unwrap();
        let Some(Event::ProcessExit(px)) = ev.event else {
            panic!()
        };
        assert_eq!(px.process.unwrap().exec_id, p.exec_id);
        assert_eq!(px.parent.unwrap().exec_id, parent.exec_id);
        assert_eq!(px.status, 3);
        assert_eq!(px.signal, "");
        assert_eq!(b.cache_stats().size, 1, "only the seeded bash remains");
    }

    #[test]
    fn ancestors_run_from_the_grandparent_up_to_pid_2() {
        let mut b = EventBuilder::new(
            "node".into(),
            1000,
            ProcessDetail {
                ancestors: true,
                ..Default::default()
            },
        );
        let seed = |pid: u32, ppid: u32, ktime: u64| ProcessFacts {
            pid,
            tid: pid,
            ppid,
            ktime,
            filename: format!("/bin/p{pid}"),
            flags: flags::PROCFS,
            ..Default::default()
        };
        b.seed(vec![seed(1, 0, 1), seed(50, 1, 2), seed(60, 50, 3)]);
        b.handle(clone(70, 60, 10));
        let ev = b.handle(exec(70, 60, 20, &["/bin/true"])).unwrap();
        let Some(Event::ProcessExec(pe)) = ev.event else {
            panic!()
        };
        assert_eq!(pe.parent.unwrap().binary, "/bin/p60");
        let chain: Vec<String> = pe.ancestors.iter().map(|a| a.binary.clone()).collect();
        assert_eq!(chain, ["/bin/p50", "/bin/p1"]);
        let ev = b.handle(exit(70, 30, 0)).unwrap();
        let Some(Event::ProcessExit(px)) = ev.event else {
            panic!()
        };
        assert_eq!(px.ancestors.len(), 2);
    }

    #[test]
    fn a_killed_process_reports_its_signal() {
        let mut b = builder();
        b.handle(clone(300, 100, 10));
        b.handle(exec(300, 100, 20, &["/bin/sleep", "60"]));
        let ev = b.handle(exit(300, 30, 9)).unwrap();
        let Some(Event::ProcessExit(px)) = ev.event else {
            panic!()
        };
        assert_eq!(px.signal, "SIGKILL");
        assert_eq!(px.status, 0);
    }

    #[test]
    fn a_fork_that_never_execs_exits_as_its_parents_image() {
        let mut b = builder();
        b.handle(clone(400, 100, 10));
        let ev = b.handle(exit(400, 20, 0)).unwrap();
        let Some(Event::ProcessExit(px)) = ev.event else {
            panic!()
        };
        let p = px.process.unwrap();
        assert_eq!(p.binary, "/bin/bash");
        assert_eq!(p.pid, Some(400.into()));
        assert!(p.flags.ends_with("clone"));
    }

    #[test]
    fn an_exec_without_a_known_parent_is_flagged_miss() {
        let mut b = builder();
        let ev = b.handle(exec(500, 499, 20, &["/bin/true"])).unwrap();
        let Some(Event::ProcessExec(pe)) = ev.event else {
            panic!()
        };
        assert!(pe.parent.is_none());
        assert!(pe.process.unwrap().flags.contains("miss"));
    }
}
