use serde_json::{Value, json};
use tetragon_api::tetragon::get_events_response::Event;
use tetragon_api::tetragon::kprobe_argument::Arg;
use tetragon_api::tetragon::{
    EventType, GetEventsResponse, KprobeAction, KprobeArgument, Process, ProcessExec, ProcessExit,
    ProcessKprobe, RateLimitInfo,
};
use tetragon_api::wkt::Timestamp;
use tetragon_api::{from_json_line, to_json_line};

const UPSTREAM_KPROBE: &str = include_str!("data/upstream_process_kprobe.json");

fn as_value(s: &str) -> Value {
    serde_json::from_str(s).expect("valid JSON")
}

#[test]
fn upstream_process_kprobe_round_trips() {
    let ev = from_json_line(UPSTREAM_KPROBE).expect("upstream event parses");
    assert_eq!(as_value(&to_json_line(&ev)), as_value(UPSTREAM_KPROBE));

    // Same event as a single compact line.
    let line = as_value(UPSTREAM_KPROBE).to_string();
    assert!(!line.contains('\n'));
    let ev2 = from_json_line(&line).unwrap();
    assert_eq!(ev2, ev);
}

#[test]
fn upstream_process_kprobe_decodes_fields() {
    let ev = from_json_line(UPSTREAM_KPROBE).unwrap();
    assert_eq!(ev.event_type(), Some(EventType::ProcessKprobe));
    assert_eq!(ev.policy_name(), Some("file-monitoring"));
    assert_eq!(ev.node_name, "tetragon-dev-control-plane");
    assert_eq!(
        ev.time.unwrap().to_string(),
        "2024-04-14T02:18:14.376304204Z"
    );

    let process = ev.process().unwrap();
    assert_eq!(process.pid.unwrap().value, 64746);
    // "uid": 0 is a set wrapper, distinct from an absent one.
    assert_eq!(process.uid.unwrap().value, 0);
    assert_eq!(process.auid.unwrap().value, u32::MAX);
    assert_eq!(process.refcnt, 1);
    assert_eq!(process.binary, "/bin/vi");
    let pod = process.pod.as_ref().unwrap();
    assert_eq!(pod.pod_labels["run"], "file-access");
    assert_eq!(pod.container.as_ref().unwrap().pid.unwrap().value, 12);
    assert_eq!(ev.parent().unwrap().binary, "/bin/sh");
    assert_eq!(ev.parent().unwrap().refcnt, 0);

    let Some(Event::ProcessKprobe(kp)) = &ev.event else {
        panic!("not a kprobe event");
    };
    assert_eq!(kp.function_name, "security_file_permission");
    assert_eq!(kp.action(), KprobeAction::Post);
    assert_eq!(kp.return_action(), KprobeAction::Post);
    match &kp.args[0].arg {
        Some(Arg::FileArg(f)) => {
            assert_eq!(f.path, "/etc/passwd");
            assert_eq!(f.permission, "-rw-r--r--");
        }
        other => panic!("unexpected arg {other:?}"),
    }
    assert_eq!(kp.args[1].arg, Some(Arg::IntArg(2)));
    assert_eq!(kp.r#return.as_ref().unwrap().arg, Some(Arg::IntArg(0)));
}

fn sample_exec() -> GetEventsResponse {
    GetEventsResponse {
        event: Some(Event::ProcessExec(ProcessExec {
            process: Some(Process {
                exec_id: "bm9kZToxMjM0OjU2Nzg=".into(),
                pid: Some(5678.into()),
                uid: Some(0.into()),
                cwd: "/home/user".into(),
                binary: "/usr/bin/curl".into(),
                arguments: "https://example.com".into(),
                flags: "execve clone".into(),
                start_time: Some(Timestamp::new(1_713_061_094, 376_304_204)),
                auid: Some(1000.into()),
                parent_exec_id: "bm9kZToxMDAwOjEyMzQ=".into(),
                refcnt: 1,
                tid: Some(5678.into()),
                in_init_tree: Some(false.into()),
                ..Default::default()
            }),
            parent: Some(Process {
                exec_id: "bm9kZToxMDAwOjEyMzQ=".into(),
                pid: Some(1234.into()),
                binary: "/bin/bash".into(),
                ..Default::default()
            }),
            ancestors: vec![],
        })),
        node_name: "node".into(),
        time: Some(Timestamp::new(1_713_061_094, 500_000_000)),
        ..Default::default()
    }
}

#[test]
fn process_exec_round_trips() {
    let ev = sample_exec();
    let line = to_json_line(&ev);
    assert!(!line.contains('\n'));
    assert_eq!(from_json_line(&line).unwrap(), ev);

    let v = as_value(&line);
    let p = &v["process_exec"]["process"];
    assert_eq!(p["pid"], json!(5678));
    assert_eq!(p["uid"], json!(0));
    assert_eq!(p["refcnt"], json!(1));
    assert_eq!(p["in_init_tree"], json!(false));
    assert_eq!(p["start_time"], json!("2024-04-14T02:18:14.376304204Z"));
    assert_eq!(v["time"], json!("2024-04-14T02:18:14.500Z"));
    // Unset/default fields are omitted.
    assert!(p.get("docker").is_none());
    assert!(p.get("pod").is_none());
    assert!(v["process_exec"].get("ancestors").is_none());
    assert!(v["process_exec"]["parent"].get("refcnt").is_none());
    assert!(v.get("cluster_name").is_none());

    // Binary protobuf round-trip too.
    use prost::Message;
    let bytes = ev.encode_to_vec();
    assert_eq!(GetEventsResponse::decode(bytes.as_slice()).unwrap(), ev);
}

#[test]
fn integer_encodings() {
    let ev = GetEventsResponse {
        event: Some(Event::ProcessKprobe(ProcessKprobe {
            args: vec![
                KprobeArgument {
                    arg: Some(Arg::SizeArg(18_446_744_073_709_551_615)),
                    ..Default::default()
                },
                KprobeArgument {
                    arg: Some(Arg::LongArg(-42)),
                    ..Default::default()
                },
                KprobeArgument {
                    arg: Some(Arg::UintArg(7)),
                    label: "flags".into(),
                },
                KprobeArgument {
                    arg: Some(Arg::BytesArg(b"hi\0".to_vec())),
                    ..Default::default()
                },
            ],
            ..Default::default()
        })),
        ..Default::default()
    };
    let v = as_value(&to_json_line(&ev));
    let args = &v["process_kprobe"]["args"];
    assert_eq!(args[0], json!({"size_arg": "18446744073709551615"}));
    assert_eq!(args[1], json!({"long_arg": "-42"}));
    assert_eq!(args[2], json!({"uint_arg": 7, "label": "flags"}));
    // protojson key order: the oneof is declared before `label`.
    assert!(to_json_line(&ev).contains(r#"{"uint_arg":7,"label":"flags"}"#));
    assert_eq!(args[3], json!({"bytes_arg": "aGkA"}));
    assert_eq!(from_json_line(&v.to_string()).unwrap(), ev);

    let exit = GetEventsResponse {
        event: Some(Event::ProcessExit(ProcessExit {
            status: 137,
            signal: "SIGKILL".into(),
            ..Default::default()
        })),
        ..Default::default()
    };
    let v = as_value(&to_json_line(&exit));
    assert_eq!(v["process_exit"]["status"], json!(137));

    let rl = GetEventsResponse {
        event: Some(Event::RateLimitInfo(RateLimitInfo {
            number_of_dropped_process_events: 12,
        })),
        ..Default::default()
    };
    assert_eq!(
        to_json_line(&rl),
        r#"{"rate_limit_info":{"number_of_dropped_process_events":"12"}}"#
    );
}

#[test]
fn lenient_parsing() {
    // 64-bit ints as numbers, enums as numbers, camelCase keys, unknown fields.
    let ev = from_json_line(
        r#"{"processKprobe":{"functionName":"f","action":3,"args":[{"sizeArg":4096}],"some_future_field":{"x":1}},"nodeName":"n"}"#,
    )
    .unwrap();
    let Some(Event::ProcessKprobe(kp)) = &ev.event else {
        panic!("not a kprobe event");
    };
    assert_eq!(kp.function_name, "f");
    assert_eq!(kp.action(), KprobeAction::Sigkill);
    assert_eq!(kp.args[0].arg, Some(Arg::SizeArg(4096)));
    assert_eq!(ev.node_name, "n");
}

#[test]
fn wire_tags_match_upstream() {
    use prost::Message;
    // node_name = 1000 (length-delimited): key varint 8002 = c2 3e.
    let ev = GetEventsResponse {
        node_name: "n".into(),
        ..Default::default()
    };
    assert_eq!(ev.encode_to_vec(), [0xc2, 0x3e, 0x01, b'n']);
    // rate_limit_info = 40001: key varint (40001 << 3 | 2) = 320010.
    let ev = GetEventsResponse {
        event: Some(Event::RateLimitInfo(RateLimitInfo::default())),
        ..Default::default()
    };
    assert_eq!(ev.encode_to_vec(), [0x8a, 0xc4, 0x13, 0x00]);
}

/// Object keys in textual order (the sample has no `":` inside string values).
fn keys_in_text_order(json: &str) -> Vec<&str> {
    json.split('"')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[1].trim_start().starts_with(':'))
        .map(|w| w[0])
        .collect()
}

#[test]
fn key_order_matches_upstream() {
    let ev = from_json_line(UPSTREAM_KPROBE).unwrap();
    let ours = to_json_line(&ev);
    let theirs = keys_in_text_order(UPSTREAM_KPROBE);
    assert!(theirs.len() > 50);
    assert_eq!(keys_in_text_order(&ours), theirs);
}
