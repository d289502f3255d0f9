//! What is known of one process image, wherever it was learnt (an exec
//! record from the kernel or a /proc walk at startup), and the one place
//! that turns it into the API's `Process`.

use tetragon_api::tetragon::{
    BinaryProperties, Namespace, Namespaces, Process, ProcessCredentials, SecureBitsType,
};

use super::{
    arguments::{absolute_binary, join_arguments},
    capabilities::capabilities,
    clock::BootClock,
    container::docker_field,
    exec_id::exec_id,
    flags,
};
use crate::bpf::records::{RecordCreds, RecordNamespaces};

#[derive(Debug, Clone, Default)]
pub struct ProcessFacts {
    pub pid: u32,
    pub tid: u32,
    pub ppid: u32,
    /// Boot-clock nanoseconds of the exec (or the process start).
    pub ktime: u64,
    pub auid: u32,
    pub creds: RecordCreds,
    pub ns: RecordNamespaces,
    /// Namespaces of pid 1, to tell host namespaces from others.
    pub host_ns: Option<RecordNamespaces>,
    pub cwd: String,
    /// The path as executed, possibly relative to `cwd`.
    pub filename: String,
    pub argv: Vec<String>,
    pub cgroup_name: String,
    /// Mode, uid and gid of the executed file, when known.
    pub file: Option<(u32, u32, u32)>,
    pub flags: u32,
}

/// Which optional parts of a process the daemon reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessDetail {
    /// `ancestors` in exec and exit events: the parent's parent upwards.
    pub ancestors: bool,
    pub namespaces: bool,
    /// Capabilities, credentials and setuid/setgid binary properties.
    pub credentials: bool,
}

const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;

impl ProcessFacts {
    pub fn to_process(
        &self,
        node: &str,
        clock: &BootClock,
        parent_exec_id: &str,
        detail: ProcessDetail,
    ) -> Process {
        let c = &self.creds;
        let mut process = Process {
            exec_id: exec_id(node, self.ktime, self.pid),
            pid: Some(self.pid.into()),
            tid: Some(self.tid.into()),
            uid: Some(c.uid.into()),
            auid: Some(self.auid.into()),
            cwd: self.cwd.clone(),
            binary: absolute_binary(&self.filename, &self.cwd),
            arguments: join_arguments(&self.argv),
            flags: flags::flag_names(self.flags),
            start_time: Some(clock.timestamp(self.ktime)),
            docker: docker_field(&self.cgroup_name),
            parent_exec_id: parent_exec_id.to_string(),
            ..Default::default()
        };
        if detail.namespaces {
            process.ns = Some(self.namespaces());
        }
        if detail.credentials {
            process.cap = Some(capabilities(
                c.cap_permitted,
                c.cap_effective,
                c.cap_inheritable,
            ));
            process.process_credentials = Some(ProcessCredentials {
                uid: Some(c.uid.into()),
                gid: Some(c.gid.into()),
                euid: Some(c.euid.into()),
                egid: Some(c.egid.into()),
                suid: Some(c.suid.into()),
                sgid: Some(c.sgid.into()),
                fsuid: Some(c.fsuid.into()),
                fsgid: Some(c.fsgid.into()),
                securebits: secure_bits(c.securebits),
                ..Default::default()
            });
            process.binary_properties = self.binary_properties();
        }
        process
    }

    fn namespaces(&self) -> Namespaces {
        let ns = &self.ns;
        let host = self.host_ns.unwrap_or_default();
        let one = |inum: u32, host_inum: u32| {
            Some(Namespace {
                inum,
                is_host: inum != 0 && inum == host_inum,
            })
        };
        Namespaces {
            uts: one(ns.uts, host.uts),
            ipc: one(ns.ipc, host.ipc),
            mnt: one(ns.mnt, host.mnt),
            pid: one(ns.pid, host.pid),
            pid_for_children: one(ns.pid_for_children, host.pid_for_children),
            net: one(ns.net, host.net),
            time: one(ns.time, host.time),
            time_for_children: one(ns.time_for_children, host.time_for_children),
            cgroup: one(ns.cgroup, host.cgroup),
            user: one(ns.user, host.user),
        }
    }

    /// setuid/setgid of an executed file that carries the bit: the owner
    /// the process runs as because of it.
    fn binary_properties(&self) -> Option<BinaryProperties> {
        let (mode, uid, gid) = self.file?;
        let setuid = (mode & S_ISUID != 0).then_some(uid.into());
        let setgid = (mode & S_ISGID != 0).then_some(gid.into());
        (setuid.is_some() || setgid.is_some()).then(|| BinaryProperties {
            setuid,
            setgid,
            ..Default::default()
        })
    }
}

/// The secure bits set in `bits`, as the API names them.
fn secure_bits(bits: u32) -> Vec<i32> {
    (0..7)
        .map(|b| 1i32 << b)
        .filter(|v| bits & *v as u32 != 0)
        .filter(|v| SecureBitsType::try_from(*v).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> ProcessFacts {
        ProcessFacts {
            pid: 42,
            tid: 42,
            ppid: 1,
            ktime: 5_000_000_000,
            auid: u32::MAX,
            cwd: "/tmp".into(),
            filename: "./x".into(),
            argv: vec!["./x".into(), "a b".into(), "c".into()],
            cgroup_name:
                "docker-6b742e38ee3a212239e6d48b2954435a407af44b9a354bdf540db22f460ab40e.scope"
                    .into(),
            file: Some((0o104755, 0, 0)),
            flags: flags::EXECVE,
            ..Default::default()
        }
    }

    #[test]
    fn builds_the_api_process() {
        let p = facts().to_process(
            "node1",
            &BootClock::now(),
            "parent",
            ProcessDetail::default(),
        );
        assert_eq!(p.exec_id, exec_id("node1", 5_000_000_000, 42));
        assert_eq!(p.binary, "/tmp/x");
        assert_eq!(p.arguments, "\"a b\" c");
        assert_eq!(p.flags, "execve");
        assert_eq!(p.docker, "6b742e38ee3a212239e6d48b2954435");
        assert_eq!(p.parent_exec_id, "parent");
        assert_eq!(p.auid, Some(u32::MAX.into()));
        assert!(p.ns.is_none() && p.process_credentials.is_none() && p.cap.is_none());
    }

    #[test]
    fn namespaces_and_credentials_on_request() {
        let mut f = facts();
        f.ns.net = 7;
        f.host_ns = Some(RecordNamespaces {
            net: 7,
            mnt: 9,
            ..Default::default()
        });
        f.ns.mnt = 8;
        f.creds.securebits = 1 | 16;
        let detail = ProcessDetail {
            ancestors: false,
            namespaces: true,
            credentials: true,
        };
        let p = f.to_process("n", &BootClock::now(), "", detail);
        let ns = p.ns.unwrap();
        assert!(ns.net.unwrap().is_host);
        assert!(!ns.mnt.unwrap().is_host);
        let creds = p.process_credentials.unwrap();
        assert_eq!(creds.securebits, vec![1, 16]);
        let props = p.binary_properties.unwrap();
        assert_eq!(props.setuid, Some(0.into()));
        assert_eq!(props.setgid, None);
    }
}
