//! `tetra getevents`: events from the server (or stdin), filtered, printed.

pub mod request;
pub mod stdin;

use std::time::Duration;

use anyhow::{Context, Result};
use tokio_stream::StreamExt;

use crate::{
    cli::{GetEventsArgs, Output},
    client,
    output::{jq::JqProgram, printer::Printer},
};

pub async fn run(address: &str, timeout: Duration, args: &GetEventsArgs) -> Result<()> {
    // A program that does not compile is reported before connecting.
    let jq = args
        .jq
        .as_deref()
        .map(JqProgram::compile)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--jq: {e}"))?;
    if jq.is_some() && args.output == Output::Compact {
        anyhow::bail!("--jq works on JSON events; it cannot be combined with -o compact");
    }
    let req = request::build(args)?;
    let mut printer = Printer::new(args).with_jq(jq, args.raw_output);
    if stdin::is_event_source() {
        return stdin::run(&req, &mut printer);
    }
    loop {
        let result = stream(address, timeout, req.clone(), &mut printer).await;
        match result {
            Err(e) if args.reconnect && !is_broken_pipe(&e) => {
                eprintln!("getevents: {e:#}; retrying in {:?}", args.reconnect_wait);
                tokio::time::sleep(args.reconnect_wait).await;
            }
            other => return other,
        }
    }
}

async fn stream(
    address: &str,
    timeout: Duration,
    req: tetragon_api::tetragon::GetEventsRequest,
    printer: &mut Printer,
) -> Result<()> {
    let mut client = client::connect(address, timeout).await?;
    let mut events = client
        .get_events(req)
        .await
        .map_err(|s| anyhow::anyhow!("GetEvents: {}", s.message()))?
        .into_inner();
    while let Some(ev) = events.next().await {
        let ev = ev.map_err(|s| anyhow::anyhow!("receiving events: {}", s.message()))?;
        printer.print(&ev).context("writing to stdout")?;
        printer.flush().context("writing to stdout")?;
    }
    Ok(())
}

pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
