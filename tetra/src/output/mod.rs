//! How tetra prints: events as protobuf JSON lines or compact one-liners,
//! and the other commands' answers as tables.

pub mod byte_count;
pub mod compact;
pub mod jq;
pub mod printer;
pub mod table;

/// Writes `text` to stdout and flushes it; a reader that went away
/// (`tetra info | head`) comes back as a BrokenPipe error, which `main`
/// treats as success, rather than as a panic.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}
