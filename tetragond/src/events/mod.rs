//! From kernel records to API events.

pub mod builder;
pub mod generic;
pub mod pod_hold;
pub mod signals;
pub mod symbols;
