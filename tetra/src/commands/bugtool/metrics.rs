//! A snapshot of the daemon's Prometheus metrics (`--metrics-server`).

use std::{
    io::{Read, Write},
    net::{TcpStream, ToSocketAddrs},
    time::Duration,
};

use anyhow::{Context, Result, bail};

use super::bundle::{Bundle, Keep};

const FILE: &str = "daemon/metrics.txt";
const WHAT: &str = "Prometheus metrics snapshot";
/// Read no more than this of the answer.
const MAX_BODY: u64 = 512 * 1024;

/// Where the metrics are served, as far as is known.
pub enum MetricsAddress {
    /// The daemon's `--metrics-server`.
    Set(String),
    /// The daemon says it has none.
    NotServed,
    /// Neither the daemon nor its info file could say.
    Unknown,
}

pub fn collect(bundle: &mut Bundle, address: MetricsAddress, timeout: Duration) {
    match address {
        MetricsAddress::NotServed => bundle.fail(
            FILE,
            WHAT,
            "the daemon serves no metrics (--metrics-server is not set)",
        ),
        MetricsAddress::Unknown => bundle.fail(
            FILE,
            WHAT,
            "the metrics address is unknown: neither the daemon nor its info file said",
        ),
        MetricsAddress::Set(addr) => bundle.add_or_fail(
            FILE,
            WHAT,
            scrape(&addr, timeout).map_err(|e| format!("{addr}: {e:#}")),
            Keep::Head,
        ),
    }
}

/// Where to connect for a listen address: `:2112` and `0.0.0.0:2112` are
/// this host's loopback.
fn dial_address(listen: &str) -> String {
    let listen = listen
        .trim_start_matches("http://")
        .trim_end_matches("/metrics");
    let (host, port) = listen.rsplit_once(':').unwrap_or((listen, "2112"));
    let host = match host {
        "" | "0.0.0.0" => "127.0.0.1",
        "[::]" => "[::1]",
        h => h,
    };
    format!("{host}:{port}")
}

/// GET /metrics over plain HTTP/1.0; the body.
fn scrape(listen: &str, timeout: Duration) -> Result<Vec<u8>> {
    let addr = dial_address(listen);
    let sock = addr
        .to_socket_addrs()
        .with_context(|| format!("resolving {addr}"))?
        .next()
        .with_context(|| format!("resolving {addr}: no address"))?;
    let mut stream = TcpStream::connect_timeout(&sock, timeout).context("connecting")?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET /metrics HTTP/1.0\r\nHost: {addr}\r\nAccept: text/plain\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream
        .take(MAX_BODY)
        .read_to_end(&mut answer)
        .context("reading the answer")?;
    let Some(split) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        bail!("not an HTTP answer");
    };
    let head = String::from_utf8_lossy(&answer[..split]).to_string();
    let status = head.lines().next().unwrap_or("");
    if status.split(' ').nth(1) != Some("200") {
        bail!("the server answered `{status}`");
    }
    Ok(answer.split_off(split + 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses_become_loopback() {
        assert_eq!(dial_address(":2112"), "127.0.0.1:2112");
        assert_eq!(dial_address("0.0.0.0:9000"), "127.0.0.1:9000");
        assert_eq!(dial_address("[::]:2112"), "[::1]:2112");
        assert_eq!(dial_address("10.0.0.1:2112"), "10.0.0.1:2112");
    }

    #[test]
    fn scrapes_a_metrics_endpoint() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            // The whole request before answering: closing with some of it
            // unread would reset the connection under the client.
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = conn.read(&mut buf).unwrap();
                assert!(n > 0, "the request ended early");
                request.extend_from_slice(&buf[..n]);
            }
            conn.write_all(
                b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\ntetragon_events_total 3\n",
            )
            .unwrap();
        });
        let body = scrape(&format!(":{port}"), Duration::from_secs(5)).unwrap();
        assert_eq!(body, b"tetragon_events_total 3\n");
        server.join().unwrap();
    }
}
