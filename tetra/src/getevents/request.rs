//! The filters of `tetra getevents` as one API request, the same request
//! whether it goes to the server or filters JSON read from stdin.

use anyhow::{Result, bail};
use tetragon_api::{
    tetragon::{EventType, FieldFilter, FieldFilterAction, Filter, GetEventsRequest},
    wkt::FieldMask,
};

use crate::cli::GetEventsArgs;

pub fn build(args: &GetEventsArgs) -> Result<GetEventsRequest> {
    let mut namespace = args.namespace.clone();
    if args.host {
        // Host processes are the ones with no namespace.
        namespace.push(String::new());
    }
    let event_set = args
        .event_types
        .iter()
        .map(|name| parse_event_type(name).map(|t| t as i32))
        .collect::<Result<Vec<_>>>()?;
    let filter = Filter {
        binary_regex: args.process.clone(),
        namespace,
        pod_regex: args.pod.clone(),
        container_name_regex: args.container.clone(),
        event_set,
        policy_names: args.policy_names.clone(),
        namespace_regex: args.namespace_regex.clone(),
        cel_expression: args.cel_expression.clone(),
        ..Default::default()
    };
    let mut field_filters = Vec::new();
    for (paths, action) in [
        (&args.include_fields, FieldFilterAction::Include),
        (&args.exclude_fields, FieldFilterAction::Exclude),
    ] {
        if !paths.is_empty() {
            field_filters.push(FieldFilter {
                fields: Some(paths.iter().cloned().collect::<FieldMask>()),
                action: action as i32,
                ..Default::default()
            });
        }
    }
    Ok(GetEventsRequest {
        allow_list: if filter == Filter::default() {
            Vec::new()
        } else {
            vec![filter]
        },
        field_filters,
        ..Default::default()
    })
}

/// `PROCESS_EXEC` (also accepted: `process_exec`).
fn parse_event_type(name: &str) -> Result<EventType> {
    match EventType::from_str_name(&name.to_ascii_uppercase()) {
        Some(t) if t != EventType::Undef => Ok(t),
        _ => {
            let known: Vec<&str> = (1..=40001)
                .filter_map(|v| EventType::try_from(v).ok())
                .map(|t| t.as_str_name())
                .collect();
            bail!(
                "--event-types: unknown event type `{name}`, expected one of {}",
                known.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn args(argv: &[&str]) -> GetEventsArgs {
        let mut full = vec!["tetra", "getevents"];
        full.extend_from_slice(argv);
        match Cli::parse_from(full).command {
            Command::Getevents(a) => *a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn no_flags_means_no_filter() {
        let req = build(&args(&[])).unwrap();
        assert!(req.allow_list.is_empty());
        assert!(req.field_filters.is_empty());
    }

    #[test]
    fn flags_become_one_allow_filter() {
        let req = build(&args(&[
            "--process",
            "curl",
            "-n",
            "default",
            "--host",
            "-e",
            "process_exec",
        ]))
        .unwrap();
        let f = &req.allow_list[0];
        assert_eq!(f.binary_regex, ["curl"]);
        assert_eq!(f.namespace, ["default", ""]);
        assert_eq!(f.event_set, [EventType::ProcessExec as i32]);
    }

    #[test]
    fn cel_expressions_go_into_the_filter() {
        let req = build(&args(&[
            "--cel-expression",
            "process_exec.process.pid > 1u",
        ]))
        .unwrap();
        assert_eq!(
            req.allow_list[0].cel_expression,
            ["process_exec.process.pid > 1u"]
        );
    }

    #[test]
    fn field_flags_become_field_filters() {
        let req = build(&args(&["-f", "process,parent.pod", "-F", "parent"])).unwrap();
        assert_eq!(req.field_filters.len(), 2);
        assert_eq!(
            req.field_filters[0].fields.as_ref().unwrap().paths,
            ["process", "parent.pod"]
        );
        assert_eq!(
            req.field_filters[1].action,
            FieldFilterAction::Exclude as i32
        );
    }

    #[test]
    fn an_unknown_event_type_is_named() {
        let err = build(&args(&["-e", "PROCESS_EXCE"]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`PROCESS_EXCE`") && err.contains("PROCESS_EXIT"),
            "{err}"
        );
    }
}
