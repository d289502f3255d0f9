//! The gRPC server over TLS, with client certificates required.

use std::{path::Path, time::Duration};

use tetragon_api::tetragon::{
    GetHealthStatusRequest, fine_guidance_sensors_client::FineGuidanceSensorsClient,
};
use tetragon_e2e::{Daemon, can_run_bpf, free_port, make_test_certs};
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity};

async fn health(port: u16, dir: &Path, with_client_cert: bool) -> Result<(), String> {
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(read("ca.pem")))
        .domain_name("127.0.0.1");
    if with_client_cert {
        tls = tls.identity(Identity::from_pem(read("client.pem"), read("client.key")));
    }
    let channel = Endpoint::from_shared(format!("https://127.0.0.1:{port}"))
        .unwrap()
        .tls_config(tls)
        .map_err(|e| e.to_string())?
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await
        .map_err(|e| format!("connect: {e:?}"))?;
    FineGuidanceSensorsClient::new(channel)
        .get_health(GetHealthStatusRequest::default())
        .await
        .map(|_| ())
        .map_err(|e| format!("GetHealth: {e:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_certificate_is_required_and_accepted() {
    if !can_run_bpf("a_client_certificate_is_required_and_accepted") {
        return;
    }
    let certs = tempfile::tempdir().unwrap();
    make_test_certs(certs.path());
    let port = free_port();
    let _daemon = Daemon::start_mtls(certs.path(), port).await.unwrap();
    health(port, certs.path(), true)
        .await
        .expect("a client with a certificate is served");
    let refused = health(port, certs.path(), false).await;
    assert!(
        refused.is_err(),
        "a client without a certificate was served"
    );
}
