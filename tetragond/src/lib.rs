//! tetragond: the eBPF security observability and enforcement daemon.
//!
//! Data flows one way: kernel programs (`bpf`) -> records decoded into
//! events with the process cache (`events`, `process`) -> the event bus
//! (`bus`) -> gRPC clients (`grpc`) and the JSON export file (`export`).

pub mod bpf;
pub mod bus;
pub mod config;
pub mod daemon;
pub mod events;
pub mod export;
pub mod grpc;
pub mod health;
pub mod info_file;
pub mod logging;
pub mod metrics;
pub mod observer;
pub mod pods;
pub mod policy;
pub mod process;
