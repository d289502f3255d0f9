//! `tetra stacktrace-tree print <policy-name>|-`: the call tree aggregated
//! from stack traces, from the daemon (GetStackTraceTree) for one policy,
//! or built here from the JSON events on stdin (`-`).

use std::{io::BufRead, time::Duration};

use anyhow::{Context, Result};
use tetragon_api::{
    from_json_line,
    stack_tree::{StackTree, render_text},
    tetragon::{GetStackTraceTreeRequest, GetStackTraceTreeResponse},
};

use crate::{
    cli::{StacktraceTreeCommand, TreeOutput},
    client,
    output::write_stdout,
};

pub async fn run(address: &str, timeout: Duration, command: &StacktraceTreeCommand) -> Result<()> {
    let StacktraceTreeCommand::Print { name, output } = command;
    let reply = if name == "-" {
        from_stdin()?
    } else {
        let mut c = client::connect(address, timeout).await?;
        client::unary(
            timeout,
            c.get_stack_trace_tree(GetStackTraceTreeRequest { name: name.clone() }),
        )
        .await
        .map_err(|s| {
            client::call_error(&format!("failed to get the stack trace tree of {name}"), &s)
        })?
    };
    write_stdout(&render(&reply, *output)?)?;
    Ok(())
}

fn render(reply: &GetStackTraceTreeResponse, output: TreeOutput) -> Result<String> {
    Ok(match output {
        TreeOutput::Json => serde_json::to_string(reply)? + "\n",
        TreeOutput::Text => render_text(&reply.root.clone().unwrap_or_default()),
    })
}

/// One tree from the stack traces of every event on stdin (JSON lines, as
/// `tetra getevents -o json` and the export file have them).
fn from_stdin() -> Result<GetStackTraceTreeResponse> {
    let stdin = std::io::stdin().lock();
    let (tree, warnings) = build(stdin)?;
    for w in warnings {
        eprintln!("tetra: {w}");
    }
    Ok(GetStackTraceTreeResponse {
        root: Some(tree.to_proto()),
    })
}

/// The tree, and a line for each input line that is not an event (and one
/// when no event had a stack trace).
fn build(input: impl BufRead) -> Result<(StackTree, Vec<String>)> {
    let mut tree = StackTree::new();
    let mut warnings = Vec::new();
    let mut events = 0u64;
    for (n, line) in input.lines().enumerate() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        match from_json_line(&line) {
            Ok(ev) => {
                events += 1;
                tree.add_event(&ev);
            }
            Err(e) => warnings.push(format!("stdin line {}: {e}", n + 1)),
        }
    }
    if tree.traces() == 0 {
        warnings.push(format!(
            "none of the {events} events on stdin carried a stack trace (a policy's Post action collects them with stackTrace: true)"
        ));
    }
    Ok((tree, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENTS: &str = r#"{"process_kprobe":{"process":{"binary":"/usr/bin/curl"},"policy_name":"p","kernel_stack_trace":[{"symbol":"tcp_connect","offset":"16"},{"symbol":"__sys_connect","offset":"136"}]}}
{"process_exec":{"process":{"binary":"/bin/true"}}}

not json
{"process_kprobe":{"process":{"binary":"/usr/bin/wget"},"policy_name":"p","kernel_stack_trace":[{"symbol":"tcp_connect","offset":"16"},{"symbol":"__sys_connect","offset":"136"}]}}
"#;

    #[test]
    fn builds_one_tree_from_json_lines() {
        let (tree, warnings) = build(EVENTS.as_bytes()).unwrap();
        assert_eq!(tree.traces(), 2);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("stdin line 4: "), "{warnings:?}");
        let reply = GetStackTraceTreeResponse {
            root: Some(tree.to_proto()),
        };
        assert_eq!(
            render(&reply, TreeOutput::Text).unwrap(),
            "\
0x0 () count:2
    0x0 (__sys_connect+0x88) count:2
        0x0 (tcp_connect+0x10) count:2
            /usr/bin/curl count:1
            /usr/bin/wget count:1
"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&reply, TreeOutput::Json).unwrap()).unwrap();
        assert_eq!(json["root"]["count"], "2");
        assert_eq!(
            json["root"]["children"][0]["address"]["symbol"],
            "__sys_connect+0x88"
        );
    }

    #[test]
    fn no_stack_traces_is_said() {
        let (tree, warnings) = build(&b"{\"process_exec\":{}}\n"[..]).unwrap();
        assert_eq!(tree.traces(), 0);
        assert!(
            warnings[0].starts_with("none of the 1 events"),
            "{warnings:?}"
        );
    }
}
