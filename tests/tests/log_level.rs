//! Changing the running daemon's log level: SIGRTMIN+20/21/22 and SetDebug.

use std::time::Duration;

use tetragon_api::tetragon::{
    ConfigFlag, GetDebugRequest, LogLevel, SetDebugRequest, get_debug_response, set_debug_request,
};
use tetragon_e2e::{Daemon, can_run_bpf};

async fn level(daemon: &Daemon) -> LogLevel {
    let resp = daemon
        .client()
        .await
        .unwrap()
        .get_debug(GetDebugRequest {
            flag: ConfigFlag::LogLevel as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    match resp.arg {
        Some(get_debug_response::Arg::Level(l)) => LogLevel::try_from(l).unwrap(),
        other => panic!("no level: {other:?}"),
    }
}

async fn after_signal(daemon: &Daemon, offset: i32, want: LogLevel) {
    // SAFETY: signals only the daemon this test started.
    unsafe { libc::kill(daemon.pid() as i32, libc::SIGRTMIN() + offset) };
    for _ in 0..50 {
        if level(daemon).await == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("SIGRTMIN+{offset} did not switch the level to {want:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signals_and_set_debug_change_the_log_level() {
    if !can_run_bpf("signals_and_set_debug_change_the_log_level") {
        return;
    }
    let daemon = Daemon::start(&[]).await.unwrap();
    assert_eq!(level(&daemon).await, LogLevel::Info);
    after_signal(&daemon, 20, LogLevel::Debug).await;
    after_signal(&daemon, 21, LogLevel::Trace).await;
    after_signal(&daemon, 22, LogLevel::Info).await;

    let resp = daemon
        .client()
        .await
        .unwrap()
        .set_debug(SetDebugRequest {
            flag: ConfigFlag::LogLevel as i32,
            arg: Some(set_debug_request::Arg::Level(LogLevel::Warn as i32)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.flag, ConfigFlag::LogLevel as i32);
    assert_eq!(level(&daemon).await, LogLevel::Warn);
    assert!(daemon.log().contains("log level changed"));
}
