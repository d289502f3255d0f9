//! Tetragon API v1 (protobuf package `tetragon`): generated messages, gRPC
//! client/server for `FineGuidanceSensors` and `EventLogService`, protobuf
//! JSON (serde) impls, and small helpers shared by the daemon and the CLI.

pub mod build;
mod case;
pub mod duration;
mod event;
pub mod field_filter;
pub mod filter;
pub mod json;
pub mod stack_tree;
pub mod wkt;

#[allow(
    clippy::all,
    clippy::pedantic,
    deprecated,
    missing_docs,
    rustdoc::all,
    unused_qualifications
)]
pub mod tetragon {
    include!(concat!(env!("OUT_DIR"), "/tetragon.rs"));
    include!(concat!(env!("OUT_DIR"), "/tetragon.serde.rs"));
}

/// Encoded `FileDescriptorSet` of the Tetragon protos (and the well-known
/// types they import), e.g. for gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/tetragon_descriptor.bin"));

pub use json::{JsonError, from_json_line, from_json_stream, to_json_line, try_to_json_line};
