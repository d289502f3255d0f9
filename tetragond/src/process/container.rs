//! The container a process runs in, recognised from its cgroup.

/// Length of the `docker` field: upstream shows the first 31 characters of
/// the container id.
const DOCKER_ID_LEN: usize = 31;

/// The 64-hex container id in a cgroup name such as `<id>`,
/// `docker-<id>.scope` or `cri-containerd-<id>.scope`.
pub fn container_id(cgroup_name: &str) -> Option<&str> {
    let bytes = cgroup_name.as_bytes();
    (0..bytes.len().saturating_sub(63)).find_map(|start| {
        let candidate = &bytes[start..start + 64];
        let boundary_before = start == 0 || !bytes[start - 1].is_ascii_hexdigit();
        let boundary_after = bytes.get(start + 64).is_none_or(|b| !b.is_ascii_hexdigit());
        (boundary_before
            && boundary_after
            && candidate
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)))
        .then(|| &cgroup_name[start..start + 64])
    })
}

/// The `docker` field of a process in cgroup `cgroup_name`, empty outside
/// containers.
pub fn docker_field(cgroup_name: &str) -> String {
    container_id(cgroup_name)
        .map(|id| id[..DOCKER_ID_LEN].to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6b742e38ee3a212239e6d48b2954435a407af44b9a354bdf540db22f460ab40e";

    #[test]
    fn finds_the_id_in_the_runtimes_cgroup_names() {
        for name in [
            ID.to_string(),
            format!("docker-{ID}.scope"),
            format!("cri-containerd-{ID}.scope"),
            format!("crio-{ID}"),
        ] {
            assert_eq!(container_id(&name), Some(ID), "{name}");
            assert_eq!(docker_field(&name), "6b742e38ee3a212239e6d48b2954435");
        }
    }

    #[test]
    fn host_cgroups_have_none() {
        assert_eq!(container_id("session-3.scope"), None);
        assert_eq!(container_id(""), None);
        assert_eq!(container_id(&format!("{ID}0")), None);
        assert_eq!(docker_field("user@0.service"), "");
    }
}
