//! The gRPC API: the service, the event streams, and the listener.

pub mod events;
pub mod info;
pub mod listen;
pub mod policies;
pub mod runtime_hook;
pub mod service;
pub mod stack_tree;
