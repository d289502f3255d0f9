//! Smoke test of the CRI pod harness: real pods through a private
//! containerd, in the kubelet's cgroups, and nothing left behind.

use std::time::{Duration, Instant};

use tetragon_e2e::cri::{Containerd, can_run_pods, cgroup_dirs, shims_of};

const EXEC_TIMEOUT: Duration = Duration::from_secs(10);

fn is_container_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a process runs; a zombie has exited (reaping it is its parent's
/// business, here often pid 1's, which the shims are reparented to).
fn alive(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat
        .rsplit_once(") ")
        .and_then(|(_, rest)| rest.chars().next());
    !matches!(state, None | Some('Z' | 'X'))
}

#[tokio::test]
async fn pods_run_in_kubepods_cgroups_and_leave_nothing() -> anyhow::Result<()> {
    if !can_run_pods("cri_pods") {
        return Ok(());
    }
    let t0 = Instant::now();
    let containerd = Containerd::start().await?;
    eprintln!("containerd ready with the image in {:?}", t0.elapsed());

    let pod = containerd
        .run_pod("default", "xwing", &[("app", "xwing"), ("org", "alliance")])
        .await?;
    assert!(is_container_id(&pod.id), "sandbox id {}", pod.id);
    assert_eq!(
        pod.cgroup_parent,
        format!("/kubepods/besteffort/pod{}", pod.uid)
    );
    let ship = containerd
        .start_container(&pod, "spaceship", &["sleep", "3600"])
        .await?;
    assert!(is_container_id(&ship.id), "container id {}", ship.id);
    eprintln!("pod and container running after {:?}", t0.elapsed());

    let hostname = containerd
        .exec_sync(&ship, &["cat", "/etc/hostname"], EXEC_TIMEOUT)
        .await?;
    assert_eq!(hostname.exit_code, 0, "{hostname:?}");
    assert!(!hostname.stdout.trim().is_empty(), "{hostname:?}");

    let expected = format!("kubepods/besteffort/pod{}/{}", pod.uid, ship.id);
    let cgroup = containerd
        .exec_sync(&ship, &["sh", "-c", "cat /proc/self/cgroup"], EXEC_TIMEOUT)
        .await?;
    assert_eq!(cgroup.exit_code, 0, "{cgroup:?}");
    // A private cgroup namespace (cgroup v2) shows "0::/" inside; the host
    // view must show the kubelet's path either way.
    assert!(
        cgroup.stdout.contains(&expected) || cgroup.stdout.trim() == "0::/",
        "{expected} not in {cgroup:?}"
    );
    let host_view = std::fs::read_to_string(format!("/proc/{}/cgroup", ship.pid))?;
    assert!(
        host_view.contains(&expected),
        "{expected} not in {host_view}"
    );
    assert!(
        cgroup_dirs(&ship.cgroup).iter().any(|d| d.is_dir()),
        "no cgroup dir for {}",
        ship.cgroup
    );

    let failing = containerd
        .exec_sync(&ship, &["sh", "-c", "echo oops >&2; exit 3"], EXEC_TIMEOUT)
        .await?;
    assert_eq!(failing.exit_code, 3, "{failing:?}");
    assert_eq!(failing.stderr, "oops\n");

    containerd.remove_pod(&pod).await?;
    assert!(!alive(ship.pid), "spaceship pid {} survived", ship.pid);
    for dir in pod.cgroup_dirs() {
        assert!(!dir.exists(), "{} survived remove_pod", dir.display());
    }

    // A pod still running at drop: the teardown removes it.
    let left = containerd.run_pod("default", "tie-fighter", &[]).await?;
    let pilot = containerd
        .start_container(&left, "pilot", &["sleep", "3600"])
        .await?;
    let dir = containerd.dir().to_path_buf();
    let socket = containerd.socket().to_path_buf();
    drop(containerd);
    assert_eq!(
        shims_of(&socket),
        Vec::<i32>::new(),
        "shims survived the drop"
    );
    eprintln!("torn down after {:?}", t0.elapsed());

    assert!(
        !alive(pilot.pid),
        "pilot pid {} survived the drop",
        pilot.pid
    );
    for uid in [&pod.uid, &left.uid] {
        for dir in cgroup_dirs(&format!("/kubepods/besteffort/pod{uid}")) {
            assert!(!dir.exists(), "{} survived the drop", dir.display());
        }
    }
    assert!(!dir.exists(), "{} survived the drop", dir.display());
    Ok(())
}

/// When containerd dies with pods running, the teardown still kills the
/// containers and shims it started and removes their cgroups and mounts.
#[tokio::test]
async fn teardown_cleans_up_after_a_dead_containerd() -> anyhow::Result<()> {
    if !can_run_pods("cri_pods") {
        return Ok(());
    }
    let containerd = Containerd::start().await?;
    let pod = containerd.run_pod("default", "deathstar", &[]).await?;
    let c = containerd
        .start_container(&pod, "reactor", &["sleep", "3600"])
        .await?;
    // SAFETY: kill has no memory effects; the pid is our child's.
    unsafe { libc::kill(containerd.pid() as i32, libc::SIGKILL) };
    let dir = containerd.dir().to_path_buf();
    let socket = containerd.socket().to_path_buf();
    drop(containerd);
    assert_eq!(
        shims_of(&socket),
        Vec::<i32>::new(),
        "shims survived the drop"
    );

    assert!(!alive(c.pid), "reactor pid {} survived the drop", c.pid);
    for dir in pod.cgroup_dirs() {
        assert!(!dir.exists(), "{} survived the drop", dir.display());
    }
    assert!(!dir.exists(), "{} survived the drop", dir.display());
    Ok(())
}
