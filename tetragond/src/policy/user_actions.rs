//! GetUrl and DnsLookup: done by tetragond after the event, on their own
//! task, each with a timeout, so the event path never waits for a network.

use std::time::Duration;

use http_body_util::Empty;
use hyper::{Request, body::Bytes};
use hyper_util::rt::TokioIo;
use tokio::{net::TcpStream, sync::mpsc, time::timeout};
use tracing::{debug, warn};

use super::compile::UserAction;

const TIMEOUT: Duration = Duration::from_secs(5);
/// Actions waiting beyond this are dropped rather than queued without end.
pub const QUEUE: usize = 1024;

/// Runs actions as they come until every sender is gone; at most a few at
/// once, each bounded by [`TIMEOUT`].
pub async fn run(mut rx: mpsc::Receiver<UserAction>) {
    let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
    while let Some(action) = rx.recv().await {
        let Ok(permit) = limit.clone().try_acquire_owned() else {
            warn!(?action, "dropping a policy action: too many in flight");
            continue;
        };
        tokio::spawn(async move {
            let result = match &action {
                UserAction::GetUrl(url) => timeout(TIMEOUT, get_url(url)).await,
                UserAction::DnsLookup(fqdn) => timeout(TIMEOUT, dns_lookup(fqdn)).await,
            };
            match result {
                Ok(Ok(what)) => debug!(?action, result = %what, "policy action done"),
                Ok(Err(e)) => warn!(?action, error = %e, "policy action failed"),
                Err(_) => warn!(?action, "policy action timed out"),
            }
            drop(permit);
        });
    }
}

async fn dns_lookup(fqdn: &str) -> anyhow::Result<String> {
    let addrs: Vec<_> = tokio::net::lookup_host((fqdn, 0)).await?.collect();
    Ok(format!("{} addresses", addrs.len()))
}

/// An HTTP GET of `url`; the response's status is all that matters.
async fn get_url(url: &str) -> anyhow::Result<String> {
    let uri: hyper::Uri = url.parse()?;
    if uri.scheme_str() != Some("http") {
        anyhow::bail!("only http:// URLs are requested (TLS is not built in for GetUrl)");
    }
    let host = uri
        .host()
        .ok_or_else(|| anyhow::anyhow!("no host in {url}"))?
        .to_string();
    let port = uri.port_u16().unwrap_or(80);
    let stream = TcpStream::connect((host.as_str(), port)).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let authority = uri.authority().map(|a| a.to_string()).unwrap_or(host);
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
        .to_string();
    let req = Request::get(path)
        .header(hyper::header::HOST, authority)
        .body(Empty::<Bytes>::new())?;
    let resp = sender.send_request(req).await?;
    Ok(resp.status().to_string())
}
