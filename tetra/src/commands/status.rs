//! `tetra status`: the daemon's health, as `Health Status: running`.

use std::time::Duration;

use anyhow::{Result, bail};
use tetragon_api::tetragon::{GetHealthStatusRequest, GetHealthStatusResponse, HealthStatusResult};

use crate::{client, output::write_stdout};

/// Prints the health line; fails (non-zero exit) unless the daemon says
/// it is running.
pub async fn run(address: &str, timeout: Duration) -> Result<()> {
    let mut c = client::connect(address, timeout).await?;
    let reply = client::unary(timeout, c.get_health(GetHealthStatusRequest::default()))
        .await
        .map_err(|s| client::call_error("failed to get health status", &s))?;
    let (line, running) = render(&reply);
    write_stdout(&format!("{line}\n"))?;
    match running {
        Ok(()) => Ok(()),
        Err(why) => bail!("{why}"),
    }
}

/// The line to print, and whether the status is RUNNING (else why not).
fn render(reply: &GetHealthStatusResponse) -> (String, Result<(), String>) {
    let Some(first) = reply.health_status.first() else {
        return (
            "Health Status: no status available".to_string(),
            Err("the daemon reported no health status".to_string()),
        );
    };
    let line = format!("Health Status: {}", first.details);
    let status = HealthStatusResult::try_from(first.status);
    if status == Ok(HealthStatusResult::HealthStatusRunning) {
        return (line, Ok(()));
    }
    let name = status
        .map(|s| {
            s.as_str_name()
                .trim_start_matches("HEALTH_STATUS_")
                .to_lowercase()
        })
        .unwrap_or_else(|_| first.status.to_string());
    (
        line,
        Err(format!("the daemon is not running (status {name})")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tetragon_api::tetragon::HealthStatus;

    fn reply(status: HealthStatusResult, details: &str) -> GetHealthStatusResponse {
        GetHealthStatusResponse {
            health_status: vec![HealthStatus {
                event: 1,
                status: status as i32,
                details: details.to_string(),
            }],
        }
    }

    #[test]
    fn running_prints_the_details() {
        let (line, ok) = render(&reply(HealthStatusResult::HealthStatusRunning, "running"));
        assert_eq!(line, "Health Status: running");
        assert!(ok.is_ok());
    }

    #[test]
    fn anything_but_running_fails() {
        let (line, err) = render(&reply(
            HealthStatusResult::HealthStatusError,
            "the JSON exporter is not running",
        ));
        assert_eq!(line, "Health Status: the JSON exporter is not running");
        assert_eq!(err.unwrap_err(), "the daemon is not running (status error)");

        let (line, err) = render(&GetHealthStatusResponse::default());
        assert_eq!(line, "Health Status: no status available");
        assert!(err.is_err());
    }
}
