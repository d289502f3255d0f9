//! The process cache: what is known of every process an event may name.
//!
//! Entries are keyed by exec_id. Each holds one reference for the process
//! image while it runs (until it exits or execs again) and one for every
//! entry whose parent it is, so an entry lives exactly as long as the
//! process or any of its descendants does. The cache is also bounded: past
//! its capacity the least recently used entry is evicted and counted.

use std::collections::{BTreeMap, HashMap};

use tetragon_api::tetragon::Process;

#[derive(Debug, Clone)]
pub struct Entry {
    pub process: Process,
    /// A fork that has not exec'd: it shows its parent's image.
    forked: bool,
    refs: u32,
    lru: u64,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub size: usize,
    pub capacity: usize,
    pub evictions: u64,
    pub misses: u64,
}

pub struct ProcessCache {
    entries: HashMap<String, Entry>,
    /// The running image of each live process (thread-group id).
    by_pid: HashMap<u32, String>,
    /// Use order: sequence number -> exec_id.
    lru: BTreeMap<u64, String>,
    next_seq: u64,
    capacity: usize,
    evictions: u64,
    misses: u64,
}

impl ProcessCache {
    pub fn new(capacity: usize) -> Self {
        ProcessCache {
            entries: HashMap::new(),
            by_pid: HashMap::new(),
            lru: BTreeMap::new(),
            next_seq: 0,
            capacity: capacity.max(1),
            evictions: 0,
            misses: 0,
        }
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            size: self.entries.len(),
            capacity: self.capacity,
            evictions: self.evictions,
            misses: self.misses,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The running image of `pid`; a miss is counted.
    pub fn current(&mut self, pid: u32) -> Option<&Process> {
        let Some(id) = self.by_pid.get(&pid).cloned() else {
            self.misses += 1;
            return None;
        };
        self.get(&id)
    }

    /// The entry for `exec_id`, marked as recently used; a miss is counted.
    pub fn get(&mut self, exec_id: &str) -> Option<&Process> {
        let seq = self.bump_seq();
        let Some(entry) = self.entries.get_mut(exec_id) else {
            self.misses += 1;
            return None;
        };
        self.lru.remove(&entry.lru);
        entry.lru = seq;
        self.lru.insert(seq, exec_id.to_string());
        Some(&entry.process)
    }

    /// Records the pod of the process `exec_id`, learnt after it was cached.
    pub fn set_pod(&mut self, exec_id: &str, pod: &tetragon_api::tetragon::Pod) {
        if let Some(entry) = self.entries.get_mut(exec_id) {
            entry.process.pod = Some(pod.clone());
        }
    }

    /// Whether `pid`'s running image is a fork that has not exec'd.
    pub fn is_fork(&self, pid: u32) -> bool {
        self.by_pid
            .get(&pid)
            .and_then(|id| self.entries.get(id))
            .is_some_and(|e| e.forked)
    }

    /// Makes `process` the running image of its pid. Its `parent_exec_id`,
    /// when set and cached, gains a reference; the image it replaces (an
    /// exec over a fork or over an earlier exec) loses its own. `forked`
    /// marks the image of a fork that has not exec'd.
    pub fn insert(&mut self, process: Process, forked: bool) {
        let pid = process.pid.map(|p| p.value).unwrap_or_default();
        let exec_id = process.exec_id.clone();
        if self.entries.contains_key(&exec_id) {
            return;
        }
        if let Some(parent) = self.entries.get_mut(&process.parent_exec_id) {
            parent.refs += 1;
        }
        while self.entries.len() >= self.capacity {
            self.evict_oldest();
        }
        let seq = self.bump_seq();
        self.lru.insert(seq, exec_id.clone());
        self.entries.insert(
            exec_id.clone(),
            Entry {
                process,
                forked,
                refs: 1,
                lru: seq,
            },
        );
        if let Some(replaced) = self.by_pid.insert(pid, exec_id) {
            self.release(&replaced);
        }
    }

    /// `pid` has exited: returns its running image, and drops the image's
    /// own reference (the entry stays while descendants need it).
    pub fn exit(&mut self, pid: u32) -> Option<Process> {
        let Some(exec_id) = self.by_pid.remove(&pid) else {
            self.misses += 1;
            return None;
        };
        let process = self.entries.get(&exec_id).map(|e| e.process.clone());
        self.release(&exec_id);
        process
    }

    /// Every entry with its reference count, for `GetDebug`'s cache dump.
    pub fn dump(&self) -> Vec<(Process, u32)> {
        self.entries
            .values()
            .map(|e| (e.process.clone(), e.refs))
            .collect()
    }

    fn bump_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Drops one reference, freeing the entry and, in turn, its parent's
    /// reference when it was the last.
    fn release(&mut self, exec_id: &str) {
        let mut next = Some(exec_id.to_string());
        while let Some(id) = next.take() {
            let Some(entry) = self.entries.get_mut(&id) else {
                return;
            };
            entry.refs -= 1;
            if entry.refs == 0 {
                let entry = self.entries.remove(&id).expect("entry looked up above");
                self.lru.remove(&entry.lru);
                next = Some(entry.process.parent_exec_id);
            }
        }
    }

    fn evict_oldest(&mut self) {
        let Some((_, exec_id)) = self.lru.pop_first() else {
            return;
        };
        if let Some(entry) = self.entries.remove(&exec_id) {
            self.evictions += 1;
            let pid = entry.process.pid.map(|p| p.value).unwrap_or_default();
            if self.by_pid.get(&pid) == Some(&exec_id) {
                self.by_pid.remove(&pid);
            }
            // The evicted entry no longer holds its parent.
            self.release(&entry.process.parent_exec_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc(exec_id: &str, pid: u32, parent: &str) -> Process {
        Process {
            exec_id: exec_id.into(),
            pid: Some(pid.into()),
            parent_exec_id: parent.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_parent_lives_until_its_last_child_is_gone() {
        let mut c = ProcessCache::new(100);
        c.insert(proc("sh", 10, ""), false);
        c.insert(proc("child-fork", 11, "sh"), true);
        assert!(c.is_fork(11));
        c.insert(proc("child-exec", 11, "sh"), false);
        assert!(!c.is_fork(11));
        assert_eq!(c.len(), 2, "the exec replaced the fork's image");
        let mut refs: Vec<(String, u32)> =
            c.dump().into_iter().map(|(p, r)| (p.exec_id, r)).collect();
        refs.sort();
        assert_eq!(refs, [("child-exec".to_string(), 1), ("sh".to_string(), 2)]);
        assert!(c.exit(10).is_some());
        assert!(c.get("sh").is_some(), "sh is kept for its child");
        assert_eq!(c.exit(11).unwrap().exec_id, "child-exec");
        assert!(c.is_empty());
    }

    #[test]
    fn exit_returns_the_image_of_the_last_exec() {
        let mut c = ProcessCache::new(100);
        c.insert(proc("a", 5, ""), false);
        c.insert(proc("b", 5, ""), false);
        assert_eq!(c.current(5).unwrap().exec_id, "b");
        assert_eq!(c.exit(5).unwrap().exec_id, "b");
        assert!(c.exit(5).is_none());
        assert_eq!(c.stats().misses, 1);
        assert!(c.is_empty());
    }

    #[test]
    fn thousands_of_short_processes_leave_nothing_behind() {
        let mut c = ProcessCache::new(100_000);
        c.insert(proc("init", 1, ""), false);
        for i in 0..5000u32 {
            let pid = 100 + i;
            c.insert(proc(&format!("fork-{i}"), pid, "init"), true);
            c.insert(proc(&format!("exec-{i}"), pid, "init"), false);
            c.exit(pid);
        }
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn capacity_bounds_the_cache_and_evictions_are_counted() {
        let mut c = ProcessCache::new(3);
        for i in 0..10u32 {
            c.insert(proc(&format!("p{i}"), i, ""), false);
        }
        let stats = c.stats();
        assert_eq!(stats.size, 3);
        assert_eq!(stats.evictions, 7);
        assert!(c.get("p9").is_some());
        assert!(c.get("p0").is_none());
        // An evicted process's exit finds nothing, and nothing breaks.
        assert!(c.exit(0).is_none());
    }
}
