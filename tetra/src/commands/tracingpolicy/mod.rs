//! `tetra tracingpolicy` (`tp`): add, delete, enable, disable, set-mode and
//! list the daemon's tracing policies over gRPC; `validate` and `generate`
//! work offline.
//!
//! As upstream's tetra, the confirmations (`tracing policy "x" added`) go
//! to stderr; stdout carries only what a script would read (the list).

pub mod generate;
pub mod list;
pub mod mode;
pub mod validate;

use std::{path::Path, time::Duration};

use anyhow::{Context, Result, bail};
use tetragon_api::tetragon::{
    AddTracingPolicyRequest, ConfigureTracingPolicyRequest, DeleteTracingPolicyRequest,
    DisableTracingPolicyRequest, EnableTracingPolicyRequest, ListTracingPoliciesRequest,
    TracingPolicyMode, fine_guidance_sensors_client::FineGuidanceSensorsClient,
};
use tonic::{Code, Status, transport::Channel};

use crate::{
    cli::{PolicyMode, PolicyRef, TracingPolicyCommand},
    client,
    output::write_stdout,
};

pub async fn run(address: &str, timeout: Duration, command: &TracingPolicyCommand) -> Result<()> {
    match command {
        TracingPolicyCommand::Add { file, mode, domain } => {
            add(address, timeout, file, *mode, domain).await
        }
        TracingPolicyCommand::Delete(policy) => {
            let mut c = client::connect(address, timeout).await?;
            let req = DeleteTracingPolicyRequest {
                name: policy.name.clone(),
                namespace: policy.namespace.clone(),
                domain: policy.domain.clone(),
            };
            client::unary(timeout, c.delete_tracing_policy(req))
                .await
                .map_err(|s| client::call_error("failed to delete tracing policy", &s))?;
            eprintln!("tracing policy {:?} deleted", policy.name);
            Ok(())
        }
        TracingPolicyCommand::Enable(policy) => {
            let mut c = client::connect(address, timeout).await?;
            configure(&mut c, timeout, policy, Some(true), None)
                .await
                .map_err(|s| client::call_error("failed to enable tracing policy", &s))?;
            eprintln!("tracing policy {:?} enabled", policy.name);
            Ok(())
        }
        TracingPolicyCommand::Disable(policy) => {
            let mut c = client::connect(address, timeout).await?;
            configure(&mut c, timeout, policy, Some(false), None)
                .await
                .map_err(|s| client::call_error("failed to disable tracing policy", &s))?;
            eprintln!("tracing policy {:?} disabled", policy.name);
            Ok(())
        }
        TracingPolicyCommand::SetMode { policy, mode } => {
            let mut c = client::connect(address, timeout).await?;
            configure(&mut c, timeout, policy, None, Some(mode.to_api()))
                .await
                .map_err(|s| {
                    let what = format!("failed to set mode {:?} of tracing policy", mode.as_str());
                    client::call_error(&what, &s)
                })?;
            eprintln!(
                "tracing policy {:?} set to mode {:?}",
                policy.name,
                mode.as_str()
            );
            Ok(())
        }
        TracingPolicyCommand::List { output, domain } => {
            let mut c = client::connect(address, timeout).await?;
            let req = ListTracingPoliciesRequest {
                domain: domain.clone(),
            };
            let reply = client::unary(timeout, c.list_tracing_policies(req))
                .await
                .map_err(|s| client::call_error("failed to list tracing policies", &s))?;
            write_stdout(&list::render(&reply, *output)?)?;
            Ok(())
        }
        TracingPolicyCommand::Generate(args) => generate::run(args),
        TracingPolicyCommand::Validate { files } => validate::run(files),
    }
}

/// `a: b: c` on one line (anyhow's `{:#}`), for errors built with context.
fn one_line(e: anyhow::Error) -> anyhow::Error {
    anyhow::anyhow!("{e:#}")
}

/// Reads the file, checks it with the daemon's own parser (so a typo is
/// reported with its line before anything is sent), applies `-m`, sends it.
async fn add(
    address: &str,
    timeout: Duration,
    file: &Path,
    mode: Option<PolicyMode>,
    domain: &str,
) -> Result<()> {
    let yaml = std::fs::read_to_string(file)
        .with_context(|| format!("failed to read yaml file {}", file.display()))
        .map_err(one_line)?;
    if let Err(errors) = tetragon_policy::parse_policy(&file.display().to_string(), &yaml) {
        for e in errors.iter() {
            eprintln!("tetra: {e}");
        }
        bail!(
            "failed to add tracing policy: {} has {} {}",
            file.display(),
            errors.len(),
            if errors.len() == 1 { "error" } else { "errors" }
        );
    }
    let yaml = match mode {
        Some(mode) => mode::set_mode(&yaml, mode.as_str()).map_err(|e| {
            anyhow::anyhow!(
                "failed to apply mode {:?} to yaml file {}: {e}",
                mode.as_str(),
                file.display()
            )
        })?,
        None => yaml,
    };
    let mut c = client::connect(address, timeout).await?;
    let req = AddTracingPolicyRequest {
        yaml,
        domain: domain.to_string(),
    };
    client::unary(timeout, c.add_tracing_policy(req))
        .await
        .map_err(|s| client::call_error("failed to add tracing policy", &s))?;
    eprintln!("tracing policy {:?} added", file.display().to_string());
    Ok(())
}

/// ConfigureTracingPolicy; a daemon without it (older) gets the deprecated
/// Enable/DisableTracingPolicy for enable and disable.
async fn configure(
    c: &mut FineGuidanceSensorsClient<Channel>,
    timeout: Duration,
    policy: &PolicyRef,
    enable: Option<bool>,
    mode: Option<TracingPolicyMode>,
) -> Result<(), Status> {
    let req = ConfigureTracingPolicyRequest {
        name: policy.name.clone(),
        namespace: policy.namespace.clone(),
        enable,
        mode: mode.map(|m| m as i32),
        domain: policy.domain.clone(),
    };
    match client::unary(timeout, c.configure_tracing_policy(req)).await {
        Ok(_) => Ok(()),
        Err(s) if s.code() == Code::Unimplemented && mode.is_none() => {
            legacy_enable(c, timeout, policy, enable.unwrap_or(true)).await
        }
        Err(s) => Err(s),
    }
}

#[allow(deprecated)]
async fn legacy_enable(
    c: &mut FineGuidanceSensorsClient<Channel>,
    timeout: Duration,
    policy: &PolicyRef,
    enable: bool,
) -> Result<(), Status> {
    if enable {
        let req = EnableTracingPolicyRequest {
            name: policy.name.clone(),
            namespace: policy.namespace.clone(),
            domain: policy.domain.clone(),
        };
        client::unary(timeout, c.enable_tracing_policy(req))
            .await
            .map(drop)
    } else {
        let req = DisableTracingPolicyRequest {
            name: policy.name.clone(),
            namespace: policy.namespace.clone(),
            domain: policy.domain.clone(),
        };
        client::unary(timeout, c.disable_tracing_policy(req))
            .await
            .map(drop)
    }
}
