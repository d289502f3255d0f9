//! Writes events to stdout in the chosen format.

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};

use tetragon_api::{tetragon::GetEventsResponse, to_json_line};

use super::compact::{ColorMode, CompactEncoder};
use crate::cli::{Color, GetEventsArgs, Output};

pub struct Printer {
    compact: Option<CompactEncoder>,
    out: BufWriter<Stdout>,
}

impl Printer {
    pub fn new(args: &GetEventsArgs) -> Self {
        let stdout = io::stdout();
        let compact = (args.output == Output::Compact).then(|| {
            let mode = match args.color {
                Color::Auto => ColorMode::Auto,
                Color::Always => ColorMode::Always,
                Color::Never => ColorMode::Never,
            };
            CompactEncoder::new(
                mode.resolve(stdout.is_terminal()),
                args.timestamps,
                args.stack_traces,
            )
        });
        Printer {
            compact,
            out: BufWriter::with_capacity(64 * 1024, stdout),
        }
    }

    /// Writes one event (nothing for events the compact form skips).
    pub fn print(&mut self, ev: &GetEventsResponse) -> io::Result<()> {
        let text = match &self.compact {
            Some(enc) => match enc.encode(ev) {
                Some(text) => text,
                None => return Ok(()),
            },
            None => to_json_line(ev),
        };
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
