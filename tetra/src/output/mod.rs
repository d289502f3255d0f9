//! How events are printed: protobuf JSON lines or the compact one-liners.

pub mod compact;
pub mod jq;
pub mod printer;
