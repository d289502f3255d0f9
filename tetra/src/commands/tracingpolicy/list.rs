//! `tetra tp list`: the policies as a table (kubectl style) or as
//! upstream's JSON (`ListTracingPoliciesResponse`, proto field names).

use anyhow::Result;
use tetragon_api::tetragon::{
    HookState, ListTracingPoliciesResponse, TracingPolicyMode, TracingPolicyState,
    TracingPolicyStatus,
};

use crate::{
    cli::ListOutput,
    output::{byte_count::human, table},
};

pub fn render(reply: &ListTracingPoliciesResponse, output: ListOutput) -> Result<String> {
    Ok(match output {
        ListOutput::Json => serde_json::to_string(reply)? + "\n",
        ListOutput::Text => render_table(&reply.policies),
    })
}

const HEADER: &[&str] = &[
    "ID",
    "NAME",
    "STATE",
    "FILTERID",
    "NAMESPACE",
    "SENSORS",
    "KERNELMEMORY",
    "MODE",
    "ERROR",
];

/// One row a policy; under a partially enabled policy, its hooks' states.
fn render_table(policies: &[TracingPolicyStatus]) -> String {
    let rows: Vec<[String; 9]> = policies.iter().map(row).collect();
    let text = table::render(HEADER, rows);
    // The hook tables line up under NAME.
    let indent = " ".repeat(text.find("NAME").unwrap_or(0));
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(policy) = i.checked_sub(1).and_then(|p| policies.get(p)) else {
            continue;
        };
        if policy.state() == TracingPolicyState::TpStatePartiallyEnabled
            && !policy.hook_statuses.is_empty()
        {
            let hooks = table::render(
                &["SECTION", "CFGIDX", "DESCRIPTION", "STATUS"],
                policy.hook_statuses.iter().map(|h| {
                    [
                        h.section.clone(),
                        h.hook_idx.to_string(),
                        h.hook_description.clone(),
                        hook_state(h.state),
                    ]
                }),
            );
            for line in hooks.lines() {
                out.push_str(&indent);
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn row(p: &TracingPolicyStatus) -> [String; 9] {
    [
        p.id.to_string(),
        p.name.clone(),
        state(p),
        p.filter_id.to_string(),
        if p.namespace.is_empty() {
            "(global)".to_string()
        } else {
            p.namespace.clone()
        },
        p.sensors.join(","),
        human(p.kernel_memory_bytes),
        mode(p.mode),
        p.error.replace('\n', " "),
    ]
}

/// `enabled`, `load_error`, ...: the enum name without `TP_STATE_`. A
/// daemon that only sets the deprecated `enabled` says enabled through it.
fn state(p: &TracingPolicyStatus) -> String {
    #[allow(deprecated)]
    let enabled = p.enabled;
    let state = match TracingPolicyState::try_from(p.state) {
        Ok(TracingPolicyState::TpStateUnknown) if enabled => TracingPolicyState::TpStateEnabled,
        Ok(s) => s,
        Err(_) => return p.state.to_string(),
    };
    state
        .as_str_name()
        .trim_start_matches("TP_STATE_")
        .to_lowercase()
}

fn mode(m: i32) -> String {
    TracingPolicyMode::try_from(m)
        .map(|m| {
            m.as_str_name()
                .trim_start_matches("TP_MODE_")
                .to_lowercase()
        })
        .unwrap_or_else(|_| m.to_string())
}

fn hook_state(s: i32) -> String {
    HookState::try_from(s)
        .map(|s| s.as_str_name().trim_start_matches("STATUS_").to_lowercase())
        .unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tetragon_api::tetragon::HookStatus;

    fn policies() -> Vec<TracingPolicyStatus> {
        vec![
            TracingPolicyStatus {
                id: 1,
                name: "file-monitoring".into(),
                sensors: vec!["generic_kprobe".into()],
                state: TracingPolicyState::TpStateEnabled as i32,
                kernel_memory_bytes: 4_458_824,
                mode: TracingPolicyMode::TpModeEnforce as i32,
                ..Default::default()
            },
            TracingPolicyStatus {
                id: 2,
                name: "net".into(),
                namespace: "default".into(),
                filter_id: 7,
                sensors: vec!["generic_tracepoint".into(), "generic_uprobe".into()],
                state: TracingPolicyState::TpStateLoadError as i32,
                error: "kprobes are not\navailable".into(),
                ..Default::default()
            },
        ]
    }

    #[test]
    fn the_table_has_one_row_a_policy() {
        let text = render(
            &ListTracingPoliciesResponse {
                policies: policies(),
            },
            ListOutput::Text,
        )
        .unwrap();
        assert_eq!(
            text,
            "\
ID   NAME              STATE        FILTERID   NAMESPACE   SENSORS                             KERNELMEMORY   MODE      ERROR
1    file-monitoring   enabled      0          (global)    generic_kprobe                      4.46 MB        enforce
2    net               load_error   7          default     generic_tracepoint,generic_uprobe   0 B            unknown   kprobes are not available
"
        );
    }

    #[test]
    fn partially_enabled_policies_show_their_hooks() {
        let p = TracingPolicyStatus {
            id: 3,
            name: "half".into(),
            state: TracingPolicyState::TpStatePartiallyEnabled as i32,
            hook_statuses: vec![HookStatus {
                section: "kprobe".into(),
                state: HookState::StatusCallNotFound as i32,
                hook_description: "no_such_fn".into(),
                hook_idx: 1,
            }],
            ..Default::default()
        };
        let text = render_table(&[p]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(
            lines[1].starts_with("3    half   partially_enabled"),
            "{text}"
        );
        assert_eq!(lines[2], "     SECTION   CFGIDX   DESCRIPTION   STATUS");
        assert_eq!(
            lines[3],
            "     kprobe    1        no_such_fn    call_not_found"
        );
    }

    #[test]
    fn json_uses_proto_names_and_enum_names() {
        let json = render(
            &ListTracingPoliciesResponse {
                policies: policies(),
            },
            ListOutput::Json,
        )
        .unwrap();
        assert!(json.ends_with("}\n") && json.lines().count() == 1);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["policies"][0]["name"], "file-monitoring");
        assert_eq!(v["policies"][0]["state"], "TP_STATE_ENABLED");
        assert_eq!(v["policies"][0]["kernel_memory_bytes"], "4458824");
        assert_eq!(v["policies"][1]["filter_id"], "7");
    }

    #[test]
    fn the_deprecated_enabled_flag_still_counts() {
        #[allow(deprecated)]
        let p = TracingPolicyStatus {
            enabled: true,
            ..Default::default()
        };
        assert_eq!(state(&p), "enabled");
    }
}
