//! From kernel records to API events.

pub mod builder;
pub mod generic;
pub mod signals;
pub mod symbols;
