//! The JSON export file: filtering, rate limiting, rotation.

pub mod exporter;
pub mod ratelimit;
pub mod rotate;
