//! The `tetra` subcommands that ask the daemon one question and print the
//! answer. (`getevents` streams and lives in its own module.)

pub mod bugtool;
pub mod eventlog;
pub mod info;
pub mod loglevel;
pub mod sensors;
pub mod stacktrace_tree;
pub mod status;
pub mod tracingpolicy;
pub mod version;
