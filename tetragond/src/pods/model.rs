//! What the daemon knows of a pod and its containers, whichever source
//! told it, and the one place that turns it into the API's `Pod`.

use std::collections::BTreeMap;

use tetragon_api::{
    tetragon::{Container, Image, Pod},
    wkt::Timestamp,
};

/// A pod, as the runtime or the API server describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodMeta {
    pub uid: String,
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// The controller that owns the pod (e.g. a Deployment's name), or the
    /// pod's own name for a bare pod.
    pub workload: String,
    /// The controller's kind ("Deployment", "DaemonSet", ... or "Pod").
    pub workload_kind: String,
}

/// One container of a pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerMeta {
    /// The runtime's 64-hex id, without a `containerd://` style prefix.
    pub id: String,
    pub pod_uid: String,
    pub name: String,
    pub image_name: String,
    pub image_id: String,
    pub start_time: Option<Timestamp>,
    /// The container's first process, as seen from the host.
    pub pid: Option<u32>,
}

impl PodMeta {
    /// The API's `pod` block for a process in `container` of this pod.
    pub fn to_api(&self, container: &ContainerMeta) -> Pod {
        Pod {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            uid: self.uid.clone(),
            container: Some(Container {
                id: container.id.clone(),
                name: container.name.clone(),
                image: Some(Image {
                    id: container.image_id.clone(),
                    name: container.image_name.clone(),
                }),
                start_time: container.start_time,
                pid: container.pid.map(Into::into),
                ..Default::default()
            }),
            pod_labels: self.labels.clone().into_iter().collect(),
            workload: self.workload.clone(),
            workload_kind: self.workload_kind.clone(),
            pod_annotations: Default::default(),
        }
    }
}

/// The bare id in a runtime-qualified container id such as
/// `containerd://<id>` or `cri-o://<id>`.
pub fn bare_container_id(id: &str) -> &str {
    id.split_once("://").map_or(id, |(_, bare)| bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_runtime_scheme() {
        assert_eq!(bare_container_id("containerd://abc"), "abc");
        assert_eq!(bare_container_id("cri-o://abc"), "abc");
        assert_eq!(bare_container_id("abc"), "abc");
    }

    #[test]
    fn the_api_pod_carries_labels_and_container() {
        let pod = PodMeta {
            uid: "u".into(),
            namespace: "default".into(),
            name: "xwing".into(),
            labels: [("app".to_string(), "xwing".to_string())].into(),
            workload: "xwing".into(),
            workload_kind: "Pod".into(),
            ..Default::default()
        };
        let c = ContainerMeta {
            id: "c1".into(),
            name: "spaceship".into(),
            image_name: "busybox:latest".into(),
            pid: Some(42),
            ..Default::default()
        };
        let api = pod.to_api(&c);
        assert_eq!(api.pod_labels["app"], "xwing");
        let container = api.container.unwrap();
        assert_eq!(container.name, "spaceship");
        assert_eq!(container.pid.map(|p| p.value), Some(42));
        assert_eq!(container.image.unwrap().name, "busybox:latest");
    }
}
