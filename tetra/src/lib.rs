//! tetra: the command-line client of tetragond.

pub mod cli;
pub mod client;
pub mod commands;
pub mod getevents;
pub mod output;
pub mod probe;
