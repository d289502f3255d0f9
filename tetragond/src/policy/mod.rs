//! The TracingPolicy engine: policies (model and validation in the
//! tetragon-policy crate) compiled into generic hook loads, their
//! lifecycle, and the user-space half of their actions.

pub mod compile;
pub mod filter;
pub mod kernel_abi;
pub mod loader;
pub mod manager;
pub mod registry;
pub mod tracefs;
pub mod user_actions;
