//! The metrics endpoint on `--metrics-server`: `GET /metrics` answers the
//! Prometheus text format (gzip when the client accepts it); every other
//! path is 404.
//!
//! Bounded: at most `MAX_CONNECTIONS` connections at once (more wait in the
//! listen backlog), one request per connection, and a connection that has
//! not finished within `CONNECTION_TIMEOUT` is closed. Rendering runs on a
//! blocking thread, so a scrape never holds up the async workers that
//! carry events.

use std::{convert::Infallible, io::Write, net::SocketAddr, pin::Pin, sync::Arc, time::Duration};

use anyhow::{Result, anyhow, bail};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{
    Method, Request, Response, StatusCode,
    body::Incoming,
    header::{self, HeaderValue},
    server::conn::http1,
    service::service_fn,
};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{net::TcpListener, sync::Semaphore, task::JoinSet};
use tracing::{debug, warn};

use super::Metrics;

pub const MAX_CONNECTIONS: usize = 8;
pub const CONNECTION_TIMEOUT: Duration = Duration::from_secs(30);
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// What Go's promhttp answers with for the text format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub type ServeFuture = Pin<Box<dyn Future<Output = Result<()>> + Send>>;

/// Splits `host:port`, `:port` (every interface) or `[v6]:port`.
fn parse(addr: &str) -> Result<(Option<String>, u16)> {
    let Some((host, port)) = addr.rsplit_once(':') else {
        bail!("metrics server address `{addr}`: expected host:port or :port, as in :2112");
    };
    let Ok(port) = port.parse::<u16>() else {
        bail!("metrics server address `{addr}`: `{port}` is not a port number");
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Ok(((!host.is_empty()).then(|| host.to_string()), port))
}

/// Binds `addr` now, so a bad address fails at start with an error that
/// names it, and returns the future that serves `/metrics` until
/// `shutdown` resolves.
pub async fn serve(
    addr: &str,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<ServeFuture> {
    let listener = bind(addr).await?;
    Ok(Box::pin(run(listener, metrics, shutdown)))
}

/// Binds `addr` (`host:port`, `:port` or `[v6]:port`); errors name it.
/// `serve` is `bind` then `run`; apart, they let a caller learn the port
/// bound for `:0`.
pub async fn bind(addr: &str) -> Result<TcpListener> {
    let (host, port) = parse(addr)?;
    let candidates: Vec<SocketAddr> = match &host {
        // Every interface, IPv6 and IPv4 where the host has IPv6.
        None => vec![
            SocketAddr::from(([0u16; 8], port)),
            SocketAddr::from(([0u8; 4], port)),
        ],
        Some(host) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| anyhow!("metrics server address `{addr}`: resolving {host}: {e}"))?
            .collect(),
    };
    let mut last = None;
    for candidate in &candidates {
        match TcpListener::bind(candidate).await {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some((candidate, e)),
        }
    }
    match last {
        Some((candidate, e)) => {
            bail!("metrics server address `{addr}`: cannot listen on {candidate}: {e}")
        }
        None => bail!("metrics server address `{addr}`: resolves to no address"),
    }
}

/// Serves an already bound listener until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => break,
            Some(_) = connections.join_next() => continue,
            p = permits.clone().acquire_owned() => p?,
        };
        let stream = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors and the like: wait, do not spin.
                    warn!(error = %e, "metrics server: accepting a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let metrics = metrics.clone();
        connections.spawn(async move {
            let _permit = permit;
            let service = service_fn(move |req| respond(req, metrics.clone()));
            let connection = http1::Builder::new()
                .keep_alive(false)
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            match tokio::time::timeout(CONNECTION_TIMEOUT, connection).await {
                Ok(Err(e)) => debug!(error = %e, "metrics connection"),
                Err(_) => debug!("metrics connection timed out"),
                Ok(Ok(())) => {}
            }
        });
    }
    connections.shutdown().await;
    Ok(())
}

fn plain(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn accepts_gzip(req: &Request<Incoming>) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
            });
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

fn gzip(text: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(text)?;
    enc.finish()
}

async fn respond(
    req: Request<Incoming>,
    metrics: Arc<Metrics>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if req.uri().path() != "/metrics" {
        return Ok(plain(StatusCode::NOT_FOUND, "404 page not found\n"));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "405 method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(r);
    }
    let compress = accepts_gzip(&req);
    let head = req.method() == Method::HEAD;
    let rendered = tokio::task::spawn_blocking(move || {
        let text = metrics.render();
        if compress {
            gzip(text.as_bytes()).map(|z| (z, true))
        } else {
            Ok((text.into_bytes(), false))
        }
    })
    .await;
    let (body, gzipped) = match rendered {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => {
            warn!(error = %e, "metrics: compressing the response");
            return Ok(plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "error compressing the metrics\n",
            ));
        }
        Err(e) => {
            warn!(error = %e, "metrics: rendering");
            return Ok(plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "error gathering the metrics\n",
            ));
        }
    };
    let len = body.len();
    let mut r = Response::new(Full::new(if head {
        Bytes::new()
    } else {
        Bytes::from(body)
    }));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if gzipped {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(parse(":2112").unwrap(), (None, 2112));
        assert_eq!(
            parse("localhost:2112").unwrap(),
            (Some("localhost".into()), 2112)
        );
        assert_eq!(parse("[::1]:2112").unwrap(), (Some("::1".into()), 2112));
        let e = parse("localhost").unwrap_err().to_string();
        assert!(e.contains("`localhost`"), "{e}");
        let e = parse("localhost:http").unwrap_err().to_string();
        assert!(
            e.contains("`localhost:http`") && e.contains("`http`"),
            "{e}"
        );
    }

    #[test]
    fn gzip_round_trips() {
        let z = gzip(b"tetragon_events_total 1\n").unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&z[..]), &mut out).unwrap();
        assert_eq!(out, "tetragon_events_total 1\n");
    }
}
