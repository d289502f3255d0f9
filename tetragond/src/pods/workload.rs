//! The workload a pod belongs to: its controller's name and kind.
//!
//! The API server names the owner (`ownerReferences`); the container runtime
//! only has the pod's labels, from which the usual controllers can still be
//! recognised by the labels they stamp on their pods.

use std::collections::BTreeMap;

/// A pod's controlling owner, as `ownerReferences` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub kind: String,
    pub name: String,
}

const POD_TEMPLATE_HASH: &str = "pod-template-hash";
const REVISION_HASH: &str = "controller-revision-hash";
const STATEFULSET_POD_NAME: &str = "statefulset.kubernetes.io/pod-name";
const DAEMONSET_GENERATION: &str = "pod-template-generation";
const JOB_NAMES: [&str; 2] = ["batch.kubernetes.io/job-name", "job-name"];

/// `(workload, workload_kind)` of a pod whose controller is `owner`.
pub fn from_owner(
    pod_name: &str,
    owner: Option<&Owner>,
    labels: &BTreeMap<String, String>,
) -> (String, String) {
    let Some(owner) = owner else {
        return (pod_name.to_string(), "Pod".to_string());
    };
    // A Deployment's pods are owned by a ReplicaSet named
    // `<deployment>-<pod-template-hash>`.
    if owner.kind == "ReplicaSet"
        && let Some(hash) = labels.get(POD_TEMPLATE_HASH)
        && let Some(deployment) = owner.name.strip_suffix(&format!("-{hash}"))
    {
        return (deployment.to_string(), "Deployment".to_string());
    }
    (owner.name.clone(), owner.kind.clone())
}

/// `(workload, workload_kind)` of a pod known only by its name and labels.
pub fn from_labels(pod_name: &str, labels: &BTreeMap<String, String>) -> (String, String) {
    let owned = |kind: &str, name: &str| (name.to_string(), kind.to_string());
    if let Some(hash) = labels.get(POD_TEMPLATE_HASH) {
        // `<deployment>-<hash>-<suffix>`
        if let Some((rs, _)) = pod_name.rsplit_once('-')
            && let Some(deployment) = rs.strip_suffix(&format!("-{hash}"))
        {
            return owned("Deployment", deployment);
        }
    }
    if let Some(job) = JOB_NAMES.iter().find_map(|k| labels.get(*k)) {
        return owned("Job", job);
    }
    if labels.contains_key(REVISION_HASH) {
        if labels.contains_key(STATEFULSET_POD_NAME)
            && let Some((set, ordinal)) = pod_name.rsplit_once('-')
            && !ordinal.is_empty()
            && ordinal.bytes().all(|b| b.is_ascii_digit())
        {
            return owned("StatefulSet", set);
        }
        if labels.contains_key(DAEMONSET_GENERATION)
            && let Some((set, _)) = pod_name.rsplit_once('-')
        {
            return owned("DaemonSet", set);
        }
    }
    owned("Pod", pod_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_bare_pod_is_its_own_workload() {
        let none = BTreeMap::new();
        assert_eq!(
            from_owner("xwing", None, &none),
            ("xwing".into(), "Pod".into())
        );
        assert_eq!(from_labels("xwing", &none), ("xwing".into(), "Pod".into()));
    }

    #[test]
    fn a_replicaset_with_a_template_hash_is_a_deployment() {
        let l = labels(&[("pod-template-hash", "5d8f7c9b4")]);
        let rs = Owner {
            kind: "ReplicaSet".into(),
            name: "deathstar-5d8f7c9b4".into(),
        };
        assert_eq!(
            from_owner("deathstar-5d8f7c9b4-x2x7k", Some(&rs), &l),
            ("deathstar".into(), "Deployment".into())
        );
        assert_eq!(
            from_labels("deathstar-5d8f7c9b4-x2x7k", &l),
            ("deathstar".into(), "Deployment".into())
        );
    }

    #[test]
    fn other_owners_are_reported_as_they_are() {
        let ds = Owner {
            kind: "DaemonSet".into(),
            name: "tetragon".into(),
        };
        assert_eq!(
            from_owner("tetragon-abcde", Some(&ds), &BTreeMap::new()),
            ("tetragon".into(), "DaemonSet".into())
        );
    }

    #[test]
    fn controllers_are_recognised_by_their_labels() {
        let sts = labels(&[
            ("controller-revision-hash", "web-7d9"),
            ("statefulset.kubernetes.io/pod-name", "web-0"),
        ]);
        assert_eq!(
            from_labels("web-0", &sts),
            ("web".into(), "StatefulSet".into())
        );
        let ds = labels(&[
            ("controller-revision-hash", "6c7"),
            ("pod-template-generation", "1"),
        ]);
        assert_eq!(
            from_labels("tetragon-q8z5p", &ds),
            ("tetragon".into(), "DaemonSet".into())
        );
        let job = labels(&[("batch.kubernetes.io/job-name", "backup-28911")]);
        assert_eq!(
            from_labels("backup-28911-k2j4d", &job),
            ("backup-28911".into(), "Job".into())
        );
    }
}
