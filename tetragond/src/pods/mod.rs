//! Which Kubernetes pod and container a process runs in.
//!
//! Two sources feed one store: the container runtime over CRI (`cri`) and
//! the Kubernetes API (`k8s_api`). Events look their process's container up
//! in the store (`store`); the policy filter turns the store's pods into
//! cgroup ids the BPF programs consult.

pub mod cgroups;
pub mod cri;
pub mod k8s_api;
pub mod model;
pub mod sources;
pub mod store;
pub mod workload;
