//! What the daemon says over gRPC: version, info and configuration, health,
//! tracing policies, sensors, log level, and the start of its process
//! cache. Each answer is one file; each failure one manifest entry.

use std::{collections::BTreeMap, time::Duration};

use serde::Serialize;
use tetragon_api::tetragon::{
    ConfigFlag, DumpProcessCacheReqArgs, GetDebugRequest, GetHealthStatusRequest, GetInfoRequest,
    GetInfoResponse, GetVersionRequest, ListSensorsRequest, ListTracingPoliciesRequest,
    fine_guidance_sensors_client::FineGuidanceSensorsClient, get_debug_request, get_debug_response,
};
use tonic::transport::Channel;

use super::bundle::{Bundle, Keep};
use crate::{client, commands::info};

/// The process cache can hold many thousands of processes: keep its start.
const PROCESS_CACHE_CAP: usize = 128 * 1024;

/// The files this step writes, for the manifest when the daemon cannot be
/// reached at all.
const FILES: &[(&str, &str)] = &[
    ("daemon/version.txt", "server version"),
    ("daemon/info.json", "GetInfo"),
    (
        "daemon/configuration.txt",
        "settings in effect and their sources",
    ),
    ("daemon/health.json", "GetHealth"),
    ("daemon/tracing-policies.json", "ListTracingPolicies"),
    ("daemon/sensors.json", "ListSensors"),
    ("daemon/loglevel.txt", "log level"),
    ("daemon/process-cache.jsonl", "process cache (start of)"),
];

/// The daemon's settings as GetInfo reported them (name -> value).
#[derive(Debug, Default)]
pub struct DaemonSettings(BTreeMap<String, String>);

impl DaemonSettings {
    pub fn from_info(reply: &GetInfoResponse) -> Self {
        DaemonSettings(
            info::settings(reply)
                .into_iter()
                .map(|(name, s)| (name, s.value))
                .collect(),
        )
    }

    /// A setting's value, when set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Asks the daemon everything; returns its settings when GetInfo answered.
pub async fn collect(
    bundle: &mut Bundle,
    address: &str,
    timeout: Duration,
) -> Option<DaemonSettings> {
    let mut c = match client::connect(address, timeout).await {
        Ok(c) => c,
        Err(e) => {
            let why = format!("{e:#}; is tetragond running?");
            for (path, what) in FILES {
                bundle.fail(path, what, &why);
            }
            return None;
        }
    };
    let version = client::unary(timeout, c.get_version(GetVersionRequest::default())).await;
    bundle.add_or_fail(
        FILES[0].0,
        FILES[0].1,
        version.map(|v| {
            format!(
                "server version: {}\ntetra version: {}\n",
                v.version,
                crate::commands::version::VERSION
            )
        }),
        Keep::Head,
    );

    let settings = match client::unary(timeout, c.get_info(GetInfoRequest {})).await {
        Ok(reply) => {
            bundle.add_or_fail(
                FILES[1].0,
                FILES[1].1,
                info::render_json(&reply).map(|s| s + "\n"),
                Keep::Head,
            );
            bundle.add(
                FILES[2].0,
                FILES[2].1,
                info::render_text(&reply),
                Keep::Head,
            );
            Some(DaemonSettings::from_info(&reply))
        }
        Err(status) => {
            bundle.fail(FILES[1].0, FILES[1].1, status_line(&status));
            bundle.fail(FILES[2].0, FILES[2].1, status_line(&status));
            None
        }
    };

    let health = client::unary(timeout, c.get_health(GetHealthStatusRequest::default())).await;
    add_json(bundle, FILES[3], health);
    let policies = client::unary(
        timeout,
        c.list_tracing_policies(ListTracingPoliciesRequest::default()),
    )
    .await;
    add_json(bundle, FILES[4], policies);
    #[allow(deprecated)]
    let sensors = client::unary(timeout, c.list_sensors(ListSensorsRequest {})).await;
    add_json(bundle, FILES[5], sensors);
    log_level(bundle, &mut c, timeout).await;
    process_cache(bundle, &mut c, timeout).await;
    settings
}

fn status_line(status: &tonic::Status) -> String {
    let message = status.message().trim().replace('\n', " ");
    format!("{:?}: {message}", status.code())
}

/// The answer as pretty protobuf JSON (proto field names), or the failure.
fn add_json<T: Serialize>(
    bundle: &mut Bundle,
    (path, what): (&str, &str),
    reply: Result<T, tonic::Status>,
) {
    let text = reply
        .map_err(|s| status_line(&s))
        .and_then(|r| serde_json::to_string_pretty(&r).map_err(|e| e.to_string()))
        .map(|s| s + "\n");
    bundle.add_or_fail(path, what, text, Keep::Head);
}

async fn log_level(
    bundle: &mut Bundle,
    c: &mut FineGuidanceSensorsClient<Channel>,
    timeout: Duration,
) {
    let (path, what) = FILES[6];
    let req = GetDebugRequest {
        flag: ConfigFlag::LogLevel as i32,
        arg: None,
    };
    let text = client::unary(timeout, c.get_debug(req))
        .await
        .map_err(|s| status_line(&s))
        .and_then(|reply| match reply.arg {
            Some(get_debug_response::Arg::Level(l)) => Ok(format!(
                "{}\n",
                tetragon_api::tetragon::LogLevel::try_from(l)
                    .map(|l| l
                        .as_str_name()
                        .trim_start_matches("LOG_LEVEL_")
                        .to_lowercase())
                    .unwrap_or_else(|_| l.to_string())
            )),
            _ => Err("the answer holds no log level".to_string()),
        });
    bundle.add_or_fail(path, what, text, Keep::Head);
}

/// One process a line, the first ones up to the cap.
async fn process_cache(
    bundle: &mut Bundle,
    c: &mut FineGuidanceSensorsClient<Channel>,
    timeout: Duration,
) {
    let (path, what) = FILES[7];
    let req = GetDebugRequest {
        flag: ConfigFlag::DumpProcessCache as i32,
        arg: Some(get_debug_request::Arg::Dump(DumpProcessCacheReqArgs {
            skip_zero_refcnt: true,
            exclude_execve_map_processes: false,
        })),
    };
    let reply = match client::unary(timeout, c.get_debug(req)).await {
        Ok(r) => r,
        Err(s) => return bundle.fail(path, what, status_line(&s)),
    };
    let Some(get_debug_response::Arg::Processes(dump)) = reply.arg else {
        return bundle.fail(path, what, "the answer holds no processes");
    };
    let mut text = String::new();
    let mut kept = 0;
    for p in &dump.processes {
        let Ok(line) = serde_json::to_string(p) else {
            continue;
        };
        if text.len() + line.len() + 1 > PROCESS_CACHE_CAP {
            break;
        }
        text.push_str(&line);
        text.push('\n');
        kept += 1;
    }
    let what = if kept < dump.processes.len() {
        format!(
            "process cache: the first {kept} of {} processes",
            dump.processes.len()
        )
    } else {
        format!("process cache: {kept} processes")
    };
    bundle.add(path, &what, text, Keep::Head);
}
