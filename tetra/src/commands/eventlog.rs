//! `tetra eventlog get|set`: the JSON exporter's rotation parameters through
//! `tetragon.EventLogService`.

use std::time::Duration;

use anyhow::{Result, anyhow};
use tetragon_api::tetragon::{
    GetEventLogParamsRequest, GetEventLogParamsResponse, SetEventLogParamsRequest,
};
use tonic::{Code, Status};

use crate::{
    cli::{EventlogCommand, EventlogSetArgs},
    client,
    output::write_stdout,
};

pub async fn run(address: &str, timeout: Duration, command: &EventlogCommand) -> Result<()> {
    let mut c = client::connect_event_log(address, timeout).await?;
    match command {
        EventlogCommand::Get => {
            let params =
                client::unary(timeout, c.get_event_log_params(GetEventLogParamsRequest {}))
                    .await
                    .map_err(|s| call_error("failed to get logging parameters", &s))?;
            write_stdout(&format!(
                "Current logging parameters: {}\n",
                render(&params)
            ))?;
        }
        EventlogCommand::Set(args) => {
            client::unary(timeout, c.set_event_log_params(request(args)))
                .await
                .map_err(|s| call_error("failed to set logging parameters", &s))?;
        }
    }
    Ok(())
}

/// Only what was given on the command line; the duration in Go's canonical
/// form (`1h30m0s`), which the daemon parses.
fn request(args: &EventlogSetArgs) -> SetEventLogParamsRequest {
    SetEventLogParamsRequest {
        max_size: args.max_size,
        rotation_interval: args.rotation_interval.map(|d| d.to_string()),
        max_backups: args.max_backups,
    }
}

fn call_error(what: &str, status: &Status) -> anyhow::Error {
    if status.code() == Code::Unimplemented {
        return anyhow!("the daemon does not serve EventLogService yet");
    }
    client::call_error(what, status)
}

/// The message in protobuf text format, as upstream prints it: the fields
/// that are set, `name:value`, space-separated.
fn render(params: &GetEventLogParamsResponse) -> String {
    let mut fields = Vec::new();
    if params.max_size != 0 {
        fields.push(format!("max_size:{}", params.max_size));
    }
    if !params.rotation_interval.is_empty() {
        fields.push(format!(
            "rotation_interval:{}",
            quote(&params.rotation_interval)
        ));
    }
    if params.max_backups != 0 {
        fields.push(format!("max_backups:{}", params.max_backups));
    }
    fields.join(" ")
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tetragon_api::duration::GoDuration;

    #[test]
    fn renders_set_fields_in_text_format() {
        let params = GetEventLogParamsResponse {
            max_size: 10,
            rotation_interval: "1h0m0s".into(),
            max_backups: 5,
        };
        assert_eq!(
            render(&params),
            r#"max_size:10 rotation_interval:"1h0m0s" max_backups:5"#
        );
        let only_backups = GetEventLogParamsResponse {
            max_backups: 3,
            ..Default::default()
        };
        assert_eq!(render(&only_backups), "max_backups:3");
        assert_eq!(render(&GetEventLogParamsResponse::default()), "");
    }

    #[test]
    fn sends_only_the_flags_given() {
        let req = request(&EventlogSetArgs {
            max_size: None,
            max_backups: Some(0),
            rotation_interval: Some(GoDuration(90 * 60 * 1_000_000_000)),
        });
        assert_eq!(req.max_size, None);
        assert_eq!(req.max_backups, Some(0));
        assert_eq!(req.rotation_interval.as_deref(), Some("1h30m0s"));
    }

    #[test]
    fn unimplemented_is_one_clear_line() {
        let e = call_error("x", &Status::unimplemented(""));
        assert_eq!(
            e.to_string(),
            "the daemon does not serve EventLogService yet"
        );
        let e = call_error(
            "failed to get logging parameters",
            &Status::internal("boom"),
        );
        assert_eq!(e.to_string(), "failed to get logging parameters: boom");
    }
}
