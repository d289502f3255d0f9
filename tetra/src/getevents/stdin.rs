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
    // A --jq program reads each line as it is, as jq would: the event is
    // decoded only for the filters, and encoded again only when a field
    // filter changed it.
    let jq_reads_lines = printer.has_jq() && field_filters.is_empty();
    let decode = !jq_reads_lines || !req.allow_list.is_empty() || !req.deny_list.is_empty();
    // Lines are read straight from a large buffer (a copy only for a line
    // split across two reads).
    let stdin = std::io::BufReader::with_capacity(1 << 20, std::io::stdin().lock());
    for_each_line(stdin, |n, line| {
        let line = line.trim_ascii();
        if line.is_empty() {
            return Ok(());
        }
        if !decode {
            return Ok(printer.print_json(line)?);
        }
        let Ok(text) = std::str::from_utf8(line) else {
            eprintln!("tetra: stdin line {n}: not UTF-8");
            return Ok(());
        };
        let mut ev = match from_json_line(text) {
            Ok(ev) => ev,
            Err(e) => {
                eprintln!("tetra: stdin line {n}: {e}");
                return Ok(());
            }
        };
        if !filter.passes(&ev) {
            return Ok(());
        }
        if jq_reads_lines {
            return Ok(printer.print_json(line)?);
        }
        for f in &field_filters {
            f.apply(&mut ev);
        }
        Ok(printer.print(&ev)?)
    })?;
    printer.flush()?;
    Ok(())
}

/// Calls `each(number, line)` for every line of `input` (1-based number,
/// line without its newline; a last line without a newline counts).
fn for_each_line(
    mut input: impl BufRead,
    mut each: impl FnMut(usize, &[u8]) -> Result<()>,
) -> Result<()> {
    let mut partial: Vec<u8> = Vec::new();
    let mut n = 0;
    loop {
        let buf = input.fill_buf().context("reading stdin")?;
        if buf.is_empty() {
            if !partial.is_empty() {
                each(n + 1, &partial)?;
            }
            return Ok(());
        }
        let mut start = 0;
        while let Some(i) = memchr::memchr(b'\n', &buf[start..]) {
            let end = start + i;
            n += 1;
            if partial.is_empty() {
                each(n, &buf[start..end])?;
            } else {
                partial.extend_from_slice(&buf[start..end]);
                each(n, &partial)?;
                partial.clear();
            }
            start = end + 1;
        }
        partial.extend_from_slice(&buf[start..]);
        let len = buf.len();
        input.consume(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], capacity: usize) -> Vec<(usize, String)> {
        let mut seen = Vec::new();
        let reader = std::io::BufReader::with_capacity(capacity, input);
        for_each_line(reader, |n, line| {
            seen.push((n, String::from_utf8_lossy(line).into_owned()));
            Ok(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn lines_split_across_reads_are_whole() {
        let input = b"one\n\nthree is longer\nfour";
        let want: Vec<(usize, String)> = [(1, "one"), (2, ""), (3, "three is longer"), (4, "four")]
            .into_iter()
            .map(|(n, l)| (n, l.to_string()))
            .collect();
        for capacity in [1, 2, 3, 5, 64] {
            assert_eq!(lines(input, capacity), want, "capacity {capacity}");
        }
        assert!(lines(b"", 8).is_empty());
        assert_eq!(lines(b"x\n", 8), [(1, "x".to_string())]);
    }
}
