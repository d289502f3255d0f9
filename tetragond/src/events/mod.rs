//! From kernel records to API events.

pub mod builder;
pub mod signals;
pub mod generic;
pub mod symbols;
