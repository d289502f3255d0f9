//! What the daemon knows of each process: facts from the kernel and /proc,
//! their API form, and the cache that links events to their processes.

pub mod arguments;
pub mod cache;
pub mod capabilities;
pub mod clock;
pub mod container;
pub mod exec_id;
pub mod exec_map;
pub mod facts;
pub mod flags;
pub mod procfs;
