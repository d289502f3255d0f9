//! `tetra sensors list|enable|disable|rm`: the daemon's sensors (upstream
//! deprecated these in favour of `tetra tracingpolicy`; they still work).

use std::time::Duration;

use anyhow::Result;
use tetragon_api::tetragon::{
    DisableSensorRequest, EnableSensorRequest, ListSensorsRequest, ListSensorsResponse,
    RemoveSensorRequest,
};

use crate::{
    cli::{ListOutput, SensorsCommand},
    client,
    output::{table, write_stdout},
};

#[allow(deprecated)]
pub async fn run(address: &str, timeout: Duration, command: &SensorsCommand) -> Result<()> {
    let mut c = client::connect(address, timeout).await?;
    match command {
        SensorsCommand::List { output } => {
            let reply = client::unary(timeout, c.list_sensors(ListSensorsRequest {}))
                .await
                .map_err(|s| client::call_error("failed to list sensors", &s))?;
            write_stdout(&render(&reply, *output)?)?;
        }
        SensorsCommand::Enable { name } => {
            let req = EnableSensorRequest { name: name.clone() };
            client::unary(timeout, c.enable_sensor(req))
                .await
                .map_err(|s| client::call_error(&format!("failed to enable sensor {name}"), &s))?;
            eprintln!("sensor {name} enabled");
        }
        SensorsCommand::Disable { name } => {
            let req = DisableSensorRequest { name: name.clone() };
            client::unary(timeout, c.disable_sensor(req))
                .await
                .map_err(|s| client::call_error(&format!("failed to disable sensor {name}"), &s))?;
            eprintln!("sensor {name} disabled");
        }
        SensorsCommand::Rm { name } => {
            let req = RemoveSensorRequest { name: name.clone() };
            client::unary(timeout, c.remove_sensor(req))
                .await
                .map_err(|s| client::call_error("failed to remove sensor", &s))?;
            eprintln!("sensor {name} removed");
        }
    }
    Ok(())
}

fn render(reply: &ListSensorsResponse, output: ListOutput) -> Result<String> {
    Ok(match output {
        ListOutput::Json => serde_json::to_string(reply)? + "\n",
        ListOutput::Text => table::render(
            &["NAME", "ENABLED", "COLLECTION"],
            reply
                .sensors
                .iter()
                .map(|s| [s.name.clone(), s.enabled.to_string(), s.collection.clone()]),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tetragon_api::tetragon::SensorStatus;

    #[test]
    fn lists_as_a_table_and_as_json() {
        let reply = ListSensorsResponse {
            sensors: vec![
                SensorStatus {
                    name: "base".into(),
                    enabled: true,
                    collection: "base".into(),
                },
                SensorStatus {
                    name: "generic_kprobe".into(),
                    enabled: false,
                    collection: "file-monitoring".into(),
                },
            ],
        };
        assert_eq!(
            render(&reply, ListOutput::Text).unwrap(),
            "NAME             ENABLED   COLLECTION\nbase             true      base\ngeneric_kprobe   false     file-monitoring\n"
        );
        assert_eq!(
            render(&reply, ListOutput::Json).unwrap(),
            "{\"sensors\":[{\"name\":\"base\",\"enabled\":true,\"collection\":\"base\"},{\"name\":\"generic_kprobe\",\"collection\":\"file-monitoring\"}]}\n"
        );
    }
}
