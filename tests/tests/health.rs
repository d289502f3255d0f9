//! Health as Kubernetes probes see it: the gRPC health service
//! (`liveness`) on --health-server-address, and GetHealth.

use std::time::Duration;

use tetragon_api::tetragon::{GetHealthStatusRequest, HealthStatusResult};
use tetragon_e2e::{Daemon, can_run_bpf, free_port};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn liveness_is_served_while_the_daemon_runs() {
    if !can_run_bpf("liveness_is_served_while_the_daemon_runs") {
        return;
    }
    let port = free_port();
    let daemon = Daemon::start(&[
        "--health-server-address",
        &format!("127.0.0.1:{port}"),
        "--health-server-interval",
        "1",
    ])
    .await
    .unwrap();

    let health = daemon
        .client()
        .await
        .unwrap()
        .get_health(GetHealthStatusRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        health.health_status[0].status,
        HealthStatusResult::HealthStatusRunning as i32
    );

    let channel = tonic::transport::Endpoint::from_shared(format!("http://127.0.0.1:{port}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut probe = HealthClient::new(channel);
    let mut status = None;
    for _ in 0..40 {
        let resp = probe
            .check(HealthCheckRequest {
                service: "liveness".into(),
            })
            .await;
        if let Ok(r) = resp {
            status = Some(r.into_inner().status);
            if status == Some(ServingStatus::Serving as i32) {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, Some(ServingStatus::Serving as i32));
}
