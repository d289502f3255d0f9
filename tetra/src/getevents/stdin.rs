//! `... | tetra getevents`: JSON lines from stdin, filtered here with the
//! same filter code the daemon uses.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, Result};
use tetragon_api::{
    field_filter::CompiledFieldFilter, filter::EventFilter, from_json_line,
    tetragon::GetEventsRequest,
};

use crate::output::printer::Printer;

/// Events come from stdin when it is a pipe or a file (not a terminal,
/// not /dev/null), as with upstream's tetra.
pub fn is_event_source() -> bool {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return false;
    }
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata("/dev/stdin")
        .map(|m| !m.file_type().is_char_device())
        .unwrap_or(false)
}

pub fn run(req: &GetEventsRequest, printer: &mut Printer) -> Result<()> {
    let filter = EventFilter::new(&req.allow_list, &req.deny_list)?;
    let field_filters = req
        .field_filters
        .iter()
        .map(CompiledFieldFilter::new)
        .collect::<Result<Vec<_>, _>>()?;
    let stdin = std::io::stdin().lock();
    for (n, line) in stdin.lines().enumerate() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let mut ev = match from_json_line(&line) {
            Ok(ev) => ev,
            Err(e) => {
                eprintln!("tetra: stdin line {}: {e}", n + 1);
                continue;
            }
        };
        if !filter.passes(&ev) {
            continue;
        }
        for f in &field_filters {
            f.apply(&mut ev);
        }
        printer.print(&ev)?;
    }
    printer.flush()?;
    Ok(())
}
