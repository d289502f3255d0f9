//! Writes events to stdout in the chosen format.

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};

use tetragon_api::{tetragon::GetEventsResponse, to_json_line};

use super::compact::{ColorMode, CompactEncoder};
use super::jq::{JqProgram, JqRunError};
use crate::cli::{Color, GetEventsArgs, Output};

pub struct Printer {
    compact: Option<CompactEncoder>,
    jq: Option<JqOutput>,
    out: BufWriter<Stdout>,
}

/// `--jq`: the program, `-r`, and how many events it has seen (for errors).
struct JqOutput {
    program: JqProgram,
    raw: bool,
    events: u64,
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
            jq: None,
            out: BufWriter::with_capacity(64 * 1024, stdout),
        }
    }

    /// Prints what a jq program makes of each event instead of the event
    /// (`-r`: strings without quotes).
    pub fn with_jq(mut self, program: Option<JqProgram>, raw: bool) -> Self {
        self.jq = program.map(|program| JqOutput {
            program,
            raw,
            events: 0,
        });
        self
    }

    /// Whether a `--jq` program prints the events (it then reads their
    /// JSON text: see [`Printer::print_json`]).
    pub fn has_jq(&self) -> bool {
        self.jq.is_some()
    }

    /// Writes one event (nothing for events the compact form skips).
    pub fn print(&mut self, ev: &GetEventsResponse) -> io::Result<()> {
        if self.jq.is_some() {
            return self.print_json(to_json_line(ev).as_bytes());
        }
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

    /// With `--jq`: runs the program over one event's JSON text as it is
    /// (as `jq` reads its input: no decoding into an event and encoding
    /// again). Without `--jq` (and so only for `-o json`): writes the text
    /// as one line.
    pub fn print_json(&mut self, json: &[u8]) -> io::Result<()> {
        let Some(jq) = &mut self.jq else {
            debug_assert!(self.compact.is_none(), "compact output needs the event");
            self.out.write_all(json)?;
            return self.out.write_all(b"\n");
        };
        jq.events += 1;
        match jq.program.run_bytes(json, jq.raw, &mut self.out) {
            Ok(()) => Ok(()),
            Err(JqRunError::Io(e)) => Err(e),
            // As jq does: say so on stderr, go on with the next event.
            Err(JqRunError::Program(e)) => {
                self.out.flush()?;
                eprintln!("tetra: --jq: {}", e.report(jq.events));
                Ok(())
            }
            Err(JqRunError::Input(e)) => {
                self.out.flush()?;
                eprintln!("tetra: --jq: event {}: {e}", jq.events);
                Ok(())
            }
            // `halt`, `halt_error`: the program ends tetra, as it ends jq.
            Err(JqRunError::Halt(code)) => {
                self.out.flush()?;
                std::process::exit(code)
            }
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
