//! The command line: one flag per setting, spelt as upstream's daemon
//! spells them (`--flag value`, `--flag=value`, a boolean `--flag` alone
//! or `--flag=false`, `-d` for `--debug`).

use std::ffi::OsString;

use anyhow::{Result, anyhow};
use clap::{Arg, ArgAction, ArgMatches, Command, parser::ValueSource};

use super::{
    flags::{self, Kind},
    sources::{Entry, Source},
};

const ABOUT: &str = "Tetragon - eBPF-based Security Observability and Runtime Enforcement";

/// The daemon's command line, built from the settings catalogue.
pub fn command() -> Command {
    let mut cmd = Command::new("tetragon")
        .about(ABOUT)
        .version(env!("CARGO_PKG_VERSION"))
        .override_usage("tetragon [flags]")
        .next_help_heading("Flags")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .args_override_self(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .help("help for tetragon")
                .action(ArgAction::Help),
        )
        .arg(
            Arg::new("version")
                .long("version")
                .help("version for tetragon")
                .action(ArgAction::Version),
        );
    for setting in flags::settings() {
        let mut arg = Arg::new(setting.name)
            .long(setting.name)
            .help(setting.help_with_default())
            .hide(setting.hidden);
        if let Some(c) = setting.short {
            arg = arg.short(c);
        }
        arg = match setting.kind {
            Kind::Bool => arg
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value("true")
                .hide_possible_values(true)
                .value_name("bool"),
            Kind::Value(type_name) => arg
                .num_args(1)
                .value_name(type_name)
                .allow_negative_numbers(true),
            Kind::List => arg
                .num_args(1)
                .value_name("strings")
                .action(ArgAction::Append),
        };
        cmd = cmd.arg(arg);
    }
    cmd
}

/// The settings given on the command line. `--help` and `--version` come
/// back as a `clap::Error` to print (its `use_stderr()` is false); other
/// mistakes as a one-line error.
pub fn read<I, T>(args: I) -> Result<Vec<Entry>>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = command().try_get_matches_from(args).map_err(|e| {
        if e.use_stderr() {
            anyhow!(one_line(&e))
        } else {
            anyhow::Error::new(e)
        }
    })?;
    Ok(flags::settings()
        .iter()
        .filter(|s| matches.value_source(s.name) == Some(ValueSource::CommandLine))
        .map(|setting| Entry {
            setting,
            raw: given(&matches, setting.name).trim().to_string(),
            source: Source::Flag,
        })
        .collect())
}

/// The value of a flag: the last one given, or for a list every item.
fn given(matches: &ArgMatches, name: &str) -> String {
    let values: Vec<&String> = matches
        .get_many::<String>(name)
        .map(Iterator::collect)
        .unwrap_or_default();
    match flags::find(name).map(|s| s.kind) {
        Some(Kind::List) => values
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(","),
        _ => values.last().map(|v| v.to_string()).unwrap_or_default(),
    }
}

/// clap's message without the usage block: the error line and any tip.
fn one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut parts = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .map(|l| l.strip_prefix("error: ").unwrap_or(l));
    let mut line = parts.next().unwrap_or("bad command line").to_string();
    for part in parts {
        line.push_str("; ");
        line.push_str(part);
    }
    line
}
