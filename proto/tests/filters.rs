//! Event filters (`tetragon_api::filter`) and field filters
//! (`tetragon_api::field_filter`), on events built in Rust.

use std::collections::BTreeMap;

use tetragon_api::field_filter::{
    CompiledFieldFilter, FieldFilterError, apply_all, compile_all, parse_field_filter_lines,
};
use tetragon_api::filter::{
    CompiledFilter, EventFilter, FilterError, FilterList, parse_filter_lines,
};
use tetragon_api::tetragon::get_events_response::Event;
use tetragon_api::tetragon::kprobe_argument::Arg;
use tetragon_api::tetragon::{
    CapFilter, CapFilterSet, Capabilities, CapabilitiesType, Container, EventType, FieldFilter,
    FieldFilterAction, Filter, GetEventsResponse, KprobeArgument, KprobeSock, Pod, Process,
    ProcessExec, ProcessExit, ProcessKprobe, RateLimitInfo,
};
use tetragon_api::wkt::{FieldMask, Timestamp};

// ---------------------------------------------------------------- helpers

fn process(binary: &str, pid: u32) -> Process {
    Process {
        exec_id: format!("exec-{pid}"),
        binary: binary.into(),
        pid: Some(pid.into()),
        ..Default::default()
    }
}

fn with_args(mut p: Process, args: &str) -> Process {
    p.arguments = args.into();
    p
}

fn with_pod(mut p: Process, namespace: &str, name: &str, labels: &[(&str, &str)]) -> Process {
    p.pod = Some(Pod {
        namespace: namespace.into(),
        name: name.into(),
        pod_labels: labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        container: Some(Container {
            id: "containerd://0123456789abcdef".into(),
            name: "main-container".into(),
            ..Default::default()
        }),
        ..Default::default()
    });
    p
}

fn response(event: Event) -> GetEventsResponse {
    GetEventsResponse {
        event: Some(event),
        node_name: "node-1".into(),
        time: Some(Timestamp::new(1_700_000_000, 0)),
        ..Default::default()
    }
}

fn exec(process: Process, parent: Option<Process>) -> GetEventsResponse {
    response(Event::ProcessExec(ProcessExec {
        process: Some(process),
        parent,
        ancestors: vec![],
    }))
}

fn exec_with_ancestors(
    process: Process,
    parent: Process,
    ancestors: Vec<Process>,
) -> GetEventsResponse {
    response(Event::ProcessExec(ProcessExec {
        process: Some(process),
        parent: Some(parent),
        ancestors,
    }))
}

fn exit(process: Process, status: u32) -> GetEventsResponse {
    response(Event::ProcessExit(ProcessExit {
        process: Some(process),
        status,
        ..Default::default()
    }))
}

fn kprobe(process: Process, function: &str, policy: &str) -> GetEventsResponse {
    response(Event::ProcessKprobe(ProcessKprobe {
        process: Some(process),
        function_name: function.into(),
        policy_name: policy.into(),
        ..Default::default()
    }))
}

fn kprobe_sock(saddr: &str) -> GetEventsResponse {
    response(Event::ProcessKprobe(ProcessKprobe {
        process: Some(process("/usr/bin/curl", 10)),
        function_name: "tcp_connect".into(),
        args: vec![KprobeArgument {
            arg: Some(Arg::SockArg(KprobeSock {
                saddr: saddr.into(),
                daddr: "1.1.1.1".into(),
                ..Default::default()
            })),
            ..Default::default()
        }],
        ..Default::default()
    }))
}

fn rate_limit() -> GetEventsResponse {
    response(Event::RateLimitInfo(RateLimitInfo {
        number_of_dropped_process_events: 3,
    }))
}

/// Compiles the one filter that `json` (protobuf JSON of a Filter) holds.
fn compile(json: &str) -> CompiledFilter {
    let filters = parse_filter_lines(json).expect("valid filter JSON");
    assert_eq!(filters.len(), 1, "{json}");
    CompiledFilter::new(&filters[0]).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn compile_err(json: &str) -> String {
    let filters = parse_filter_lines(json).expect("valid filter JSON");
    CompiledFilter::new(&filters[0])
        .err()
        .unwrap_or_else(|| panic!("{json} should not compile"))
        .to_string()
}

// ------------------------------------------------------- AND / OR / lists

#[test]
fn empty_filter_matches_everything() {
    let f = CompiledFilter::new(&Filter::default()).unwrap();
    assert!(f.matches(&exec(process("/bin/sh", 1), None)));
    assert!(f.matches(&rate_limit()));
    assert!(f.matches(&GetEventsResponse::default()));
}

#[test]
fn fields_of_one_filter_are_anded() {
    let f = compile(r#"{"binary_regex":["sh$"],"event_set":["PROCESS_EXEC"]}"#);
    assert!(f.matches(&exec(process("/bin/sh", 1), None)));
    assert!(!f.matches(&exit(process("/bin/sh", 1), 0)));
    assert!(!f.matches(&exec(process("/bin/ls", 1), None)));
}

#[test]
fn values_of_one_field_are_ored() {
    let f = compile(r#"{"binary_regex":["^/bin/sh$","^/bin/ls$"]}"#);
    assert!(f.matches(&exec(process("/bin/sh", 1), None)));
    assert!(f.matches(&exec(process("/bin/ls", 1), None)));
    assert!(!f.matches(&exec(process("/bin/cat", 1), None)));
}

#[test]
fn filter_list_is_ored_and_empty_list_matches_nothing() {
    let filters =
        parse_filter_lines("{\"binary_regex\":[\"sh$\"]}\n{\"event_set\":[\"PROCESS_EXIT\"]}\n")
            .unwrap();
    let list = FilterList::compile(&filters).unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.matches_any(&exec(process("/bin/sh", 1), None)));
    assert!(list.matches_any(&exit(process("/bin/ls", 1), 0)));
    assert!(!list.matches_any(&exec(process("/bin/ls", 1), None)));

    let empty = FilterList::compile(&[]).unwrap();
    assert!(empty.is_empty());
    assert!(!empty.matches_any(&exec(process("/bin/sh", 1), None)));
}

#[test]
fn event_filter_allow_and_deny() {
    let sh = exec(process("/bin/sh", 1), None);
    let ls = exec(process("/bin/ls", 1), None);
    let ls_exit = exit(process("/bin/ls", 1), 0);

    // Both empty: everything passes.
    let all = EventFilter::default();
    assert!(all.passes(&sh) && all.passes(&ls_exit));

    // Allow list only.
    let allow = parse_filter_lines(r#"{"event_set":["PROCESS_EXEC"]}"#).unwrap();
    let f = EventFilter::new(&allow, &[]).unwrap();
    assert!(f.passes(&sh) && f.passes(&ls));
    assert!(!f.passes(&ls_exit));

    // Deny list only: everything but what it matches.
    let deny = parse_filter_lines(r#"{"binary_regex":["/ls$"]}"#).unwrap();
    let f = EventFilter::new(&[], &deny).unwrap();
    assert!(f.passes(&sh));
    assert!(!f.passes(&ls) && !f.passes(&ls_exit));

    // Both: allowed and not denied.
    let f = EventFilter::new(&allow, &deny).unwrap();
    assert!(f.passes(&sh));
    assert!(!f.passes(&ls));
    assert!(!f.passes(&ls_exit));
}

// ------------------------------------------------------------- each field

#[test]
fn binary_regex() {
    let f = compile(r#"{"binary_regex":["bin/s"]}"#);
    assert!(
        f.matches(&exec(process("/usr/bin/sleep", 1), None)),
        "unanchored"
    );
    assert!(!f.matches(&exec(process("/usr/sbin/ip", 1), None)));
    assert!(!f.matches(&rate_limit()), "no process");
}

#[test]
fn parent_binary_regex() {
    let f = compile(r#"{"parent_binary_regex":["^/usr/bin/bash$"]}"#);
    assert!(f.matches(&exec(
        process("/bin/ls", 2),
        Some(process("/usr/bin/bash", 1))
    )));
    assert!(!f.matches(&exec(
        process("/usr/bin/bash", 2),
        Some(process("/bin/init", 1))
    )));
    assert!(!f.matches(&exec(process("/bin/ls", 2), None)), "no parent");
}

#[test]
fn ancestor_binary_regex() {
    let f = compile(r#"{"ancestor_binary_regex":["containerd-shim"]}"#);
    let ev = exec_with_ancestors(
        process("/bin/ls", 3),
        process("/bin/sh", 2),
        vec![
            process("/usr/bin/containerd-shim-runc-v2", 1),
            process("/sbin/init", 0),
        ],
    );
    assert!(f.matches(&ev));
    let ev = exec_with_ancestors(
        process("/bin/ls", 3),
        process("/usr/bin/containerd-shim", 2),
        vec![process("/sbin/init", 1)],
    );
    assert!(!f.matches(&ev), "the parent is not an ancestor");
    assert!(
        !f.matches(&exec(process("/bin/ls", 3), None)),
        "no ancestors"
    );
}

#[test]
fn namespace() {
    let f = compile(r#"{"namespace":["kube-system","default"]}"#);
    assert!(f.matches(&exec(
        with_pod(process("/bin/sh", 1), "default", "web", &[]),
        None
    )));
    assert!(!f.matches(&exec(
        with_pod(process("/bin/sh", 1), "prod", "web", &[]),
        None
    )));
    assert!(
        !f.matches(&exec(process("/bin/sh", 1), None)),
        "host process"
    );

    // The empty namespace selects host processes (no pod).
    let host = compile(r#"{"namespace":[""]}"#);
    assert!(host.matches(&exec(process("/bin/sh", 1), None)));
    assert!(!host.matches(&exec(
        with_pod(process("/bin/sh", 1), "default", "web", &[]),
        None
    )));
    assert!(!host.matches(&rate_limit()));
}

#[test]
fn namespace_regex() {
    let f = compile(r#"{"namespace_regex":["^kube-"]}"#);
    assert!(f.matches(&exec(
        with_pod(process("/bin/sh", 1), "kube-system", "dns", &[]),
        None
    )));
    assert!(!f.matches(&exec(
        with_pod(process("/bin/sh", 1), "default", "dns", &[]),
        None
    )));
    assert!(!f.matches(&exec(process("/bin/sh", 1), None)));
}

#[test]
fn health_check() {
    let probe = |mut p: Process| {
        p = with_pod(p, "default", "web", &[]);
        p.pod
            .as_mut()
            .unwrap()
            .container
            .as_mut()
            .unwrap()
            .maybe_exec_probe = true;
        p
    };
    let is_probe = compile(r#"{"health_check":true}"#);
    let not_probe = compile(r#"{"health_check":false}"#);
    let own = exec(probe(process("/bin/check", 2)), None);
    let parents = exec(
        process("/bin/curl", 3),
        Some(probe(process("/bin/check", 2))),
    );
    let plain = exec(with_pod(process("/bin/sh", 2), "default", "web", &[]), None);
    assert!(is_probe.matches(&own) && is_probe.matches(&parents));
    assert!(!is_probe.matches(&plain));
    assert!(!not_probe.matches(&own) && !not_probe.matches(&parents));
    assert!(not_probe.matches(&plain));
    // Upstream: an event without process cannot be a health check.
    assert!(not_probe.matches(&rate_limit()));
}

#[test]
fn pid() {
    let f = compile(r#"{"pid":[42,43]}"#);
    assert!(f.matches(&exec(process("/bin/sh", 42), None)));
    assert!(!f.matches(&exec(process("/bin/sh", 44), Some(process("/p", 42)))));
    assert!(!f.matches(&rate_limit()));
}

#[test]
fn pid_set_follows_descendants() {
    let f = compile(r#"{"pid_set":[100]}"#);
    // The process itself.
    assert!(f.matches(&exec(process("/bin/sh", 100), Some(process("/init", 1)))));
    // A child: its parent is in the set.
    assert!(f.matches(&exec(
        process("/bin/ls", 101),
        Some(process("/bin/sh", 100))
    )));
    // A grandchild: its parent was remembered from the child's event.
    assert!(f.matches(&exec(
        process("/bin/cat", 102),
        Some(process("/bin/ls", 101))
    )));
    // A later event of the child (e.g. its exit).
    assert!(f.matches(&exit(process("/bin/ls", 101), 0)));
    // Unrelated.
    assert!(!f.matches(&exec(process("/bin/top", 200), Some(process("/init", 1)))));
    assert!(!f.matches(&rate_limit()));
    // Clones share the remembered descendants.
    let clone = f.clone();
    assert!(clone.matches(&exec(
        process("/bin/x", 103),
        Some(process("/bin/cat", 102))
    )));
    assert!(f.matches(&exit(process("/bin/x", 103), 0)));
}

#[test]
fn pid_set_uses_ancestors_when_present() {
    let f = compile(r#"{"pid_set":[7]}"#);
    let ev = exec_with_ancestors(
        process("/bin/ls", 30),
        process("/bin/sh", 20),
        vec![process("/bin/bash", 7), process("/sbin/init", 1)],
    );
    assert!(f.matches(&ev));
    // and the process is now remembered
    assert!(f.matches(&exit(process("/bin/ls", 30), 0)));
}

#[test]
fn event_set() {
    let f = compile(r#"{"event_set":["PROCESS_EXIT","PROCESS_KPROBE"]}"#);
    assert!(f.matches(&exit(process("/bin/sh", 1), 0)));
    assert!(f.matches(&kprobe(process("/bin/sh", 1), "fn", "")));
    assert!(!f.matches(&exec(process("/bin/sh", 1), None)));
    assert!(!f.matches(&rate_limit()));
    let f = compile(r#"{"event_set":["RATE_LIMIT_INFO"]}"#);
    assert!(f.matches(&rate_limit()));
}

#[test]
fn pod_regex() {
    let f = compile(r#"{"pod_regex":["^web-"]}"#);
    assert!(f.matches(&exec(
        with_pod(process("/bin/sh", 1), "default", "web-7d9f", &[]),
        None
    )));
    assert!(!f.matches(&exec(
        with_pod(process("/bin/sh", 1), "default", "db-0", &[]),
        None
    )));
    assert!(!f.matches(&exec(process("/bin/sh", 1), None)));
}

#[test]
fn arguments_regex_and_parent_arguments_regex() {
    let ev = exec(
        with_args(process("/usr/bin/curl", 2), "-s https://example.com"),
        Some(with_args(process("/bin/bash", 1), "-c ./script.sh")),
    );
    assert!(compile(r#"{"arguments_regex":["example\\.com"]}"#).matches(&ev));
    assert!(!compile(r#"{"arguments_regex":["script"]}"#).matches(&ev));
    assert!(compile(r#"{"parent_arguments_regex":["^-c "]}"#).matches(&ev));
    assert!(!compile(r#"{"parent_arguments_regex":["example"]}"#).matches(&ev));
    assert!(
        !compile(r#"{"parent_arguments_regex":[""]}"#).matches(&exec(process("/bin/sh", 1), None)),
        "no parent"
    );
}

#[test]
fn labels_selectors() {
    let ev = exec(
        with_pod(
            process("/bin/sh", 1),
            "default",
            "web",
            &[("app", "web"), ("tier", "front"), ("replicas", "3")],
        ),
        None,
    );
    let cases = [
        ("app=web", true),
        ("app==web", true),
        ("app=db", false),
        ("app!=db", true),
        ("app!=web", false),
        ("missing!=x", true),
        ("app in (db, web)", true),
        ("app in (db,cache)", false),
        ("app notin (db,cache)", true),
        ("app notin (web)", false),
        ("missing notin (web)", true),
        ("missing in (web)", false),
        ("app", true),
        ("missing", false),
        ("!missing", true),
        ("!app", false),
        ("app=web,tier=front", true),
        ("app=web, tier=back", false),
        ("app in (web),!missing,tier", true),
        ("replicas>2", true),
        ("replicas<3", false),
        ("app>2", false),
        ("", true),
    ];
    for (selector, want) in cases {
        let f = CompiledFilter::new(&Filter {
            labels: vec![selector.into()],
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{selector}: {e}"));
        assert_eq!(f.matches(&ev), want, "{selector:?}");
    }
    // Several selectors are ored.
    let f = compile(r#"{"labels":["app=db","tier=front"]}"#);
    assert!(f.matches(&ev));
    // No pod: no match.
    assert!(!compile(r#"{"labels":["!app"]}"#).matches(&exec(process("/bin/sh", 1), None)));
}

#[test]
fn invalid_label_selectors_are_errors() {
    for selector in [
        "app=",
        "=web",
        "app in web",
        "app in (web",
        "app=web,",
        "app=a b",
        "app=web!",
        "Bad Key=x",
        "app=-web",
        "app>x",
        "!app=web",
        "example.com/=x",
        "UPPER.example.com/app=x",
    ] {
        if selector == "app=" {
            // `app=` is valid: the empty value.
            continue;
        }
        let err = CompiledFilter::new(&Filter {
            labels: vec![selector.into()],
            ..Default::default()
        })
        .err()
        .unwrap_or_else(|| panic!("{selector:?} should be rejected"));
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!(
                "labels: `{selector}` is not a valid label selector"
            )),
            "{msg}"
        );
    }
    // The empty value, and a prefixed key.
    let ev = exec(
        with_pod(
            process("/bin/sh", 1),
            "default",
            "web",
            &[("example.com/app", ""), ("app", "web")],
        ),
        None,
    );
    assert!(compile(r#"{"labels":["example.com/app="]}"#).matches(&ev));
    assert!(compile(r#"{"labels":["app in (,web)"]}"#).matches(&ev));
}

#[test]
fn policy_names() {
    let f = compile(r#"{"policy_names":["files","network"]}"#);
    assert!(f.matches(&kprobe(process("/bin/sh", 1), "fd_install", "network")));
    assert!(!f.matches(&kprobe(process("/bin/sh", 1), "fd_install", "other")));
    assert!(!f.matches(&kprobe(process("/bin/sh", 1), "fd_install", "")));
    assert!(!f.matches(&exec(process("/bin/sh", 1), None)));
}

fn with_caps(
    mut p: Process,
    effective: &[CapabilitiesType],
    permitted: &[CapabilitiesType],
) -> Process {
    p.cap = Some(Capabilities {
        effective: effective.iter().map(|c| *c as i32).collect(),
        permitted: permitted.iter().map(|c| *c as i32).collect(),
        inheritable: vec![],
    });
    p
}

#[test]
fn capabilities() {
    use CapabilitiesType::{CapChown, CapNetRaw, CapSysAdmin};
    let ev = exec(
        with_caps(
            process("/bin/sh", 1),
            &[CapSysAdmin, CapNetRaw],
            &[CapSysAdmin, CapNetRaw, CapChown],
        ),
        None,
    );
    let cases = [
        (
            r#"{"capabilities":{"effective":{"any":["CAP_SYS_ADMIN","CAP_CHOWN"]}}}"#,
            true,
        ),
        (
            r#"{"capabilities":{"effective":{"any":["CAP_CHOWN"]}}}"#,
            false,
        ),
        (
            r#"{"capabilities":{"effective":{"all":["CAP_SYS_ADMIN","CAP_NET_RAW"]}}}"#,
            true,
        ),
        (
            r#"{"capabilities":{"effective":{"all":["CAP_SYS_ADMIN","CAP_CHOWN"]}}}"#,
            false,
        ),
        (
            r#"{"capabilities":{"effective":{"exactly":["CAP_NET_RAW","CAP_SYS_ADMIN"]}}}"#,
            true,
        ),
        (
            r#"{"capabilities":{"effective":{"exactly":["CAP_SYS_ADMIN"]}}}"#,
            false,
        ),
        (
            r#"{"capabilities":{"effective":{"none":["CAP_CHOWN"]}}}"#,
            true,
        ),
        (
            r#"{"capabilities":{"effective":{"none":["CAP_CHOWN","CAP_NET_RAW"]}}}"#,
            false,
        ),
        (
            r#"{"capabilities":{"permitted":{"any":["CAP_CHOWN"]}}}"#,
            true,
        ),
        // All given sets must match.
        (
            r#"{"capabilities":{"effective":{"none":["CAP_CHOWN"]},"permitted":{"all":["CAP_CHOWN"]}}}"#,
            true,
        ),
        (
            r#"{"capabilities":{"effective":{"any":["CAP_CHOWN"]},"permitted":{"all":["CAP_CHOWN"]}}}"#,
            false,
        ),
        (
            r#"{"capabilities":{"inheritable":{"none":["CAP_CHOWN"]}}}"#,
            true,
        ),
        (
            r#"{"capabilities":{"inheritable":{"any":["CAP_CHOWN"]}}}"#,
            false,
        ),
    ];
    for (json, want) in cases {
        assert_eq!(compile(json).matches(&ev), want, "{json}");
    }
    // No capabilities in the event: no match.
    let f = compile(r#"{"capabilities":{"effective":{"none":["CAP_CHOWN"]}}}"#);
    assert!(!f.matches(&exec(process("/bin/sh", 1), None)));

    // Built in Rust too.
    let f = CompiledFilter::new(&Filter {
        capabilities: Some(CapFilter {
            effective: Some(CapFilterSet {
                all: vec![CapSysAdmin as i32],
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    })
    .unwrap();
    assert!(f.matches(&ev));
}

#[test]
fn capability_sets_must_define_exactly_one_list() {
    let msg = compile_err(
        r#"{"capabilities":{"effective":{"any":["CAP_CHOWN"],"none":["CAP_NET_RAW"]}}}"#,
    );
    assert_eq!(
        msg,
        "capabilities.effective: may define only one match set, got: any, none"
    );
    let msg = compile_err(r#"{"capabilities":{"permitted":{}}}"#);
    assert!(
        msg.starts_with("capabilities.permitted: must define exactly one"),
        "{msg}"
    );
}

#[test]
fn container_id_matches_process_docker() {
    let mut p = with_pod(process("/bin/sh", 1), "default", "web", &[]);
    p.docker = "0123456789abcdef".into();
    let ev = exec(p, None);
    assert!(compile(r#"{"container_id":["^0123"]}"#).matches(&ev));
    assert!(!compile(r#"{"container_id":["^fff"]}"#).matches(&ev));
    assert!(!compile(r#"{"container_id":["."]}"#).matches(&exec(process("/bin/sh", 1), None)));
}

#[test]
fn in_init_tree() {
    let mut p = process("/bin/sh", 1);
    p.in_init_tree = Some(true.into());
    let init = exec(p, None);
    let mut p = process("/bin/sh", 1);
    p.in_init_tree = Some(false.into());
    let not_init = exec(p, None);
    let unknown = exec(process("/bin/sh", 1), None);

    let yes = compile(r#"{"in_init_tree":true}"#);
    let no = compile(r#"{"in_init_tree":false}"#);
    assert!(yes.matches(&init) && !yes.matches(&not_init) && !yes.matches(&unknown));
    assert!(!no.matches(&init) && no.matches(&not_init) && no.matches(&unknown));
}

#[test]
fn container_name_regex() {
    let ev = exec(with_pod(process("/bin/sh", 1), "default", "web", &[]), None);
    assert!(compile(r#"{"container_name_regex":["^main-"]}"#).matches(&ev));
    assert!(!compile(r#"{"container_name_regex":["^side"]}"#).matches(&ev));
    assert!(
        !compile(r#"{"container_name_regex":[""]}"#).matches(&exec(process("/bin/sh", 1), None))
    );
}

#[test]
fn invalid_regexes_name_the_field_and_value() {
    for field in [
        "binary_regex",
        "parent_binary_regex",
        "ancestor_binary_regex",
        "namespace_regex",
        "pod_regex",
        "arguments_regex",
        "parent_arguments_regex",
        "container_id",
        "container_name_regex",
    ] {
        let msg = compile_err(&format!(r#"{{"{field}":["ok","[a"]}}"#));
        assert!(
            msg.starts_with(&format!("{field}: `[a` is not a valid regex: ")),
            "{msg}"
        );
    }
}

// --------------------------------------------------------------------- CEL

#[test]
fn cel_process_exec_pid() {
    let f = compile(r#"{"cel_expression":["process_exec.process.pid > uint(1)"]}"#);
    assert!(!f.matches(&exec(process("/bin/sh", 1), None)));
    assert!(f.matches(&exec(process("/bin/sh", 2), None)));
    // Not about exit events: never evaluated for them.
    assert!(!f.matches(&exit(process("/bin/sh", 2), 0)));
}

#[test]
fn cel_has_and_several_event_types() {
    let f = compile(
        r#"{"cel_expression":["(has(process_exec.process) && process_exec.process.pid > uint(1)) || (has(process_exit.process) && process_exit.process.pid > uint(1))"]}"#,
    );
    assert!(f.matches(&exec(process("/bin/sh", 2), None)));
    assert!(!f.matches(&exec(process("/bin/sh", 1), None)));
    assert!(f.matches(&exit(process("/bin/sh", 2), 0)));
    assert!(!f.matches(&exit(process("/bin/sh", 1), 0)));
}

#[test]
fn cel_kprobe_function_name_and_policy() {
    let f = compile(
        r#"{"cel_expression":["process_kprobe.function_name == 'security_file_permission'"]}"#,
    );
    assert!(f.matches(&kprobe(
        process("/bin/sh", 1),
        "security_file_permission",
        ""
    )));
    assert!(!f.matches(&kprobe(process("/bin/sh", 1), "something_else", "")));
}

#[test]
fn cel_ip_and_cidr_library() {
    let f = compile(
        r#"{"cel_expression":["cidr('10.0.0.0/16').containsIP(process_kprobe.args[0].sock_arg.saddr)"]}"#,
    );
    assert!(f.matches(&kprobe_sock("10.0.2.21")));
    assert!(!f.matches(&kprobe_sock("192.0.2.21")));

    let f = compile(
        r#"{"cel_expression":["ip(process_kprobe.args[0].sock_arg.saddr).family() == 4"]}"#,
    );
    assert!(f.matches(&kprobe_sock("10.0.2.21")));
    assert!(!f.matches(&kprobe_sock("2001:db8::abcd")));

    let ev = kprobe_sock("127.0.0.1");
    for expr in [
        "ip('127.0.0.1').isLoopback()",
        "!ip('10.1.2.3').isLoopback()",
        "ip('0.0.0.0').isUnspecified()",
        "ip('fe80::1').isLinkLocalUnicast()",
        "ip('169.254.1.1').isLinkLocalUnicast()",
        "ip('224.0.0.251').isLinkLocalMulticast()",
        "ip('ff02::1').isLinkLocalMulticast()",
        "ip('10.1.2.3').isGlobalUnicast()",
        "!ip('255.255.255.255').isGlobalUnicast()",
        "isIP('::1') && !isIP('1.2.3') && !isIP('::ffff:1.2.3.4')",
        "ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1')",
        "string(ip('2001:db8:0:0:0:0:0:1')) == '2001:db8::1'",
        "ip('10.0.0.1') == ip('10.0.0.1')",
        "isCIDR('10.0.0.0/8') && !isCIDR('10.0.0.0/33') && !isCIDR('10.0.0.0')",
        "cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')",
        "!cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))",
        "cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8')",
        "cidr('10.1.2.3/8').ip() == ip('10.1.2.3')",
        "cidr('10.1.2.3/8').prefixLength() == 8",
        "string(cidr('10.0.0.0/8')) == '10.0.0.0/8'",
        "!cidr('10.0.0.0/8').containsIP('2001:db8::1')",
        "cidr('::/0').containsIP(ip('2001:db8::1'))",
        "cidr('127.0.0.0/8').containsIP(process_kprobe.args[0].sock_arg.saddr)",
    ] {
        // Only programs that refer to the event's variable run for it.
        let json = serde_json::json!({ "cel_expression": [expr] }).to_string();
        assert_eq!(
            compile(&json).matches(&ev),
            expr.contains("process_kprobe"),
            "{expr}"
        );
        let expr = format!("has(process_kprobe.process) && {expr}");
        let json = serde_json::json!({ "cel_expression": [expr] }).to_string();
        assert!(compile(&json).matches(&ev), "{expr}");
    }
    // A runtime error (bad address) is no match.
    let f = compile(
        r#"{"cel_expression":["ip(process_kprobe.args[0].sock_arg.saddr).family() == 4"]}"#,
    );
    assert!(!f.matches(&kprobe_sock("not-an-ip")));
}

#[test]
fn cel_protobuf_field_semantics() {
    let host = exec(with_args(process("/bin/sh", 5), "-c true"), None);
    let pod = exec(
        with_pod(
            process("/bin/sh", 5),
            "kube-system",
            "dns",
            &[("app", "dns")],
        ),
        None,
    );
    let cases: &[(&str, &GetEventsResponse, bool)] = &[
        // Unset message fields read as empty messages, unset strings as "".
        (
            "process_exec.process.pod.namespace != 'kube-system'",
            &host,
            true,
        ),
        (
            "process_exec.process.pod.namespace != 'kube-system'",
            &pod,
            false,
        ),
        ("has(process_exec.process.pod)", &host, false),
        ("has(process_exec.process.pod)", &pod, true),
        ("!has(process_exec.parent)", &host, true),
        ("has(process_exec.process.arguments)", &host, true),
        ("has(process_exec.process.cwd)", &host, false),
        ("process_exec.process.cwd == ''", &host, true),
        // Maps and lists.
        (
            "process_exec.process.pod.pod_labels['app'] == 'dns'",
            &pod,
            true,
        ),
        ("has(process_exec.process.pod.pod_labels.app)", &pod, true),
        ("has(process_exec.process.pod.pod_labels.tier)", &pod, false),
        ("size(process_exec.ancestors) == 0", &host, true),
        // Unset wrappers are null, set ones their value.
        ("process_exec.process.uid == null", &host, true),
        ("process_exec.process.pid == 5u", &host, true),
        // Strings functions of the standard library.
        ("process_exec.process.binary.endsWith('/sh')", &host, true),
        ("process_exec.process.binary.matches('^/bin/')", &host, true),
        (
            "process_exec.process.arguments.contains('true')",
            &host,
            true,
        ),
        // Timestamps.
        (
            "process_exec.process.start_time == timestamp('1970-01-01T00:00:00Z')",
            &host,
            true,
        ),
    ];
    for (expr, ev, want) in cases {
        let json = serde_json::json!({ "cel_expression": [expr] }).to_string();
        assert_eq!(compile(&json).matches(ev), *want, "{expr}");
    }

    // Unset scalars read as their default.
    let f = compile(r#"{"cel_expression":["process_exit.status == 0u"]}"#);
    assert!(f.matches(&exit(process("/bin/sh", 5), 0)));
    assert!(!f.matches(&exit(process("/bin/sh", 5), 1)));

    // Enums are ints, and can be named.
    let mut ev = kprobe(process("/bin/sh", 1), "fn", "");
    if let Some(Event::ProcessKprobe(k)) = ev.event.as_mut() {
        k.action = 1;
    }
    for expr in [
        "process_kprobe.action == 1",
        "process_kprobe.action == KprobeAction.KPROBE_ACTION_POST",
        "process_kprobe.action == tetragon.KprobeAction.KPROBE_ACTION_POST",
        "process_kprobe.action != tetragon.KprobeAction.KPROBE_ACTION_SIGKILL",
    ] {
        let json = serde_json::json!({ "cel_expression": [expr] }).to_string();
        assert!(compile(&json).matches(&ev), "{expr}");
    }

    // Comprehensions over repeated messages.
    let f = compile(
        r#"{"cel_expression":["process_kprobe.args.exists(a, a.sock_arg.daddr == '1.1.1.1')"]}"#,
    );
    assert!(f.matches(&kprobe_sock("10.0.0.1")));
}

#[test]
fn cel_expressions_are_ored_and_non_bool_is_no_match() {
    let f = compile(
        r#"{"cel_expression":["process_exec.process.pid == 1u","process_exec.process.pid == 2u"]}"#,
    );
    assert!(f.matches(&exec(process("/bin/sh", 1), None)));
    assert!(f.matches(&exec(process("/bin/sh", 2), None)));
    assert!(!f.matches(&exec(process("/bin/sh", 3), None)));

    let f = compile(r#"{"cel_expression":["process_exec.process.binary"]}"#);
    assert!(!f.matches(&exec(process("/bin/sh", 1), None)));
}

#[test]
fn cel_compile_errors() {
    for (expr, want) in [
        (
            "process_exec.process.bad_field_name == 'curl'",
            "undefined field 'bad_field_name'",
        ),
        (
            "processexec.process.binary == 'x'",
            "undeclared reference to 'processexec'",
        ),
        (
            "process_exec.process.binary == ",
            "cel_expression: `process_exec.process.binary == `",
        ),
        (
            "process_kprobe.args.exists(a, a.nope == 1)",
            "undefined field 'nope'",
        ),
    ] {
        let json = serde_json::json!({ "cel_expression": [expr] }).to_string();
        let msg = compile_err(&json);
        assert!(msg.starts_with("cel_expression: `"), "{msg}");
        assert!(msg.contains(want), "{expr}: {msg}");
    }
}

// ------------------------------------------------------- filter list JSON

#[test]
fn parse_filter_lines_formats() {
    let text = "\n{\"event_set\":[\"PROCESS_EXEC\",\"PROCESS_EXIT\"]}\n\n  {\"health_check\":true}\n\
                {\"binaryRegex\":[\"sh\"]}\n[{\"pid\":[1]},{\"namespace\":[\"x\"]}]\n";
    let filters = parse_filter_lines(text).unwrap();
    assert_eq!(filters.len(), 5);
    assert_eq!(
        filters[0].event_set,
        vec![EventType::ProcessExec as i32, EventType::ProcessExit as i32]
    );
    assert_eq!(
        filters[1].health_check.as_ref().map(|b| b.value),
        Some(true)
    );
    assert_eq!(filters[2].binary_regex, vec!["sh".to_owned()]);
    assert_eq!(filters[3].pid, vec![1]);
    assert_eq!(filters[4].namespace, vec!["x".to_owned()]);
    assert!(parse_filter_lines("").unwrap().is_empty());
    assert!(parse_filter_lines("  \n\n").unwrap().is_empty());
}

#[test]
fn parse_filter_lines_errors_name_the_line() {
    let err = parse_filter_lines("{\"pid\":[1]}\n\n{\"pid\":[1]\n").unwrap_err();
    assert!(matches!(err, FilterError::Parse { line: 4, .. }), "{err}");
    assert!(err.to_string().starts_with("line 4: "), "{err}");

    let err = parse_filter_lines("{\"pid\":[1]}\n{\"event_set\":[\"NOPE\"]}").unwrap_err();
    assert!(matches!(err, FilterError::Parse { line: 2, .. }), "{err}");

    let err = parse_filter_lines("{\"pid\":[1]}\n\n{\"binary_regx\":[\"sh\"]}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3: unknown field `binary_regx` in tetragon.Filter"
    );
    let err = parse_filter_lines("{\"capabilities\":{\"effective\":{\"some\":[]}}}").unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown field `capabilities.effective.some`"),
        "{err}"
    );
    let err = parse_filter_lines("42").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("line 1: expected a Filter object"),
        "{err}"
    );
}

// ----------------------------------------------------------- field filters

fn field_filter(event_set: &[EventType], fields: &str, action: FieldFilterAction) -> FieldFilter {
    FieldFilter {
        event_set: event_set.iter().map(|t| *t as i32).collect(),
        fields: Some(FieldMask {
            paths: fields
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        }),
        action: action as i32,
        invert_event_set: None,
    }
}

fn rich_exec() -> GetEventsResponse {
    let mut p = with_pod(
        with_args(process("/bin/sh", 5), "-c true"),
        "default",
        "web",
        &[("app", "web")],
    );
    p.cwd = "/root".into();
    exec_with_ancestors(
        p,
        with_args(process("/bin/bash", 4), "-l"),
        vec![process("/sbin/init", 1)],
    )
}

fn exec_of(ev: &GetEventsResponse) -> &ProcessExec {
    match ev.event.as_ref() {
        Some(Event::ProcessExec(e)) => e,
        other => panic!("not an exec: {other:?}"),
    }
}

#[test]
fn field_filter_include_keeps_only_listed_paths() {
    let mut ev = rich_exec();
    let f = CompiledFieldFilter::new(&field_filter(
        &[],
        "process.binary,parent.exec_id",
        FieldFilterAction::Include,
    ))
    .unwrap();
    f.apply(&mut ev);
    let e = exec_of(&ev);
    assert_eq!(
        e.process,
        Some(Process {
            binary: "/bin/sh".into(),
            ..Default::default()
        })
    );
    assert_eq!(
        e.parent,
        Some(Process {
            exec_id: "exec-4".into(),
            ..Default::default()
        })
    );
    assert!(e.ancestors.is_empty());
    // Outside the event: untouched.
    assert_eq!(ev.node_name, "node-1");
    assert_eq!(ev.time, Some(Timestamp::new(1_700_000_000, 0)));
}

#[test]
fn field_filter_include_whole_messages_and_nested_paths() {
    let mut ev = rich_exec();
    let f = CompiledFieldFilter::new(&field_filter(
        &[],
        "parent,process.pod.name,ancestors.binary",
        FieldFilterAction::Include,
    ))
    .unwrap();
    f.apply(&mut ev);
    let e = exec_of(&ev);
    let orig = rich_exec();
    assert_eq!(e.parent, exec_of(&orig).parent, "kept whole");
    let p = e.process.as_ref().unwrap();
    assert_eq!(p.binary, "");
    assert_eq!(
        p.pod,
        Some(Pod {
            name: "web".into(),
            ..Default::default()
        })
    );
    assert_eq!(
        e.ancestors,
        vec![Process {
            binary: "/sbin/init".into(),
            ..Default::default()
        }]
    );
}

#[test]
fn field_filter_leaf_and_longer_path_acts_as_longer_path() {
    let mut ev = rich_exec();
    CompiledFieldFilter::new(&field_filter(
        &[],
        "process,process.binary",
        FieldFilterAction::Include,
    ))
    .unwrap()
    .apply(&mut ev);
    assert_eq!(
        exec_of(&ev).process,
        Some(Process {
            binary: "/bin/sh".into(),
            ..Default::default()
        })
    );
}

#[test]
fn field_filter_exclude_removes_listed_paths() {
    let mut ev = rich_exec();
    let f = CompiledFieldFilter::new(&field_filter(
        &[EventType::ProcessExec],
        "process.pod,process.arguments,parent",
        FieldFilterAction::Exclude,
    ))
    .unwrap();
    f.apply(&mut ev);
    let e = exec_of(&ev);
    let p = e.process.as_ref().unwrap();
    assert_eq!(p.pod, None);
    assert_eq!(p.arguments, "");
    assert_eq!(p.binary, "/bin/sh");
    assert_eq!(p.cwd, "/root");
    assert_eq!(e.parent, None);
    assert_eq!(e.ancestors.len(), 1);
}

#[test]
fn field_filter_empty_mask_changes_nothing() {
    for action in [FieldFilterAction::Include, FieldFilterAction::Exclude] {
        let mut ev = rich_exec();
        CompiledFieldFilter::new(&field_filter(&[], "", action))
            .unwrap()
            .apply(&mut ev);
        assert_eq!(ev, rich_exec(), "{action:?}");
    }
}

#[test]
fn field_filter_event_set_and_invert() {
    let only_exit = field_filter(
        &[EventType::ProcessExit],
        "process.binary",
        FieldFilterAction::Include,
    );
    let mut ev = rich_exec();
    CompiledFieldFilter::new(&only_exit).unwrap().apply(&mut ev);
    assert_eq!(ev, rich_exec(), "exec is not in the event set");

    let mut ex = exit(with_args(process("/bin/sh", 5), "-c true"), 3);
    CompiledFieldFilter::new(&only_exit).unwrap().apply(&mut ex);
    match ex.event.as_ref() {
        Some(Event::ProcessExit(e)) => {
            assert_eq!(e.status, 0);
            assert_eq!(e.process.as_ref().unwrap().arguments, "");
            assert_eq!(e.process.as_ref().unwrap().binary, "/bin/sh");
        }
        other => panic!("{other:?}"),
    }

    // Inverted: every type but exit.
    let mut inverted = only_exit.clone();
    inverted.invert_event_set = Some(true.into());
    let inverted = CompiledFieldFilter::new(&inverted).unwrap();
    assert!(inverted.applies_to(Some(EventType::ProcessExec)));
    assert!(!inverted.applies_to(Some(EventType::ProcessExit)));
    let mut ev = rich_exec();
    inverted.apply(&mut ev);
    assert_eq!(exec_of(&ev).parent, None);
    let mut ex = exit(process("/bin/sh", 5), 3);
    inverted.apply(&mut ex);
    assert_eq!(ex, exit(process("/bin/sh", 5), 3));
}

#[test]
fn field_filter_oneof_by_name_or_member() {
    let f = CompiledFieldFilter::new(&field_filter(
        &[],
        "function_name,args.arg",
        FieldFilterAction::Include,
    ))
    .unwrap();
    let mut ev = kprobe_sock("10.0.0.1");
    if let Some(Event::ProcessKprobe(k)) = ev.event.as_mut() {
        k.args[0].label = "sock".into();
    }
    f.apply(&mut ev);
    let Some(Event::ProcessKprobe(k)) = ev.event.as_ref() else {
        panic!()
    };
    assert_eq!(k.function_name, "tcp_connect");
    assert!(k.process.is_none());
    assert_eq!(k.args.len(), 1);
    assert_eq!(k.args[0].label, "");
    assert!(matches!(&k.args[0].arg, Some(Arg::SockArg(s)) if s.saddr == "10.0.0.1"));

    // The member name, and a path inside it.
    let f = CompiledFieldFilter::new(&field_filter(
        &[],
        "args.sock_arg.daddr",
        FieldFilterAction::Include,
    ))
    .unwrap();
    let mut ev = kprobe_sock("10.0.0.1");
    f.apply(&mut ev);
    let Some(Event::ProcessKprobe(k)) = ev.event.as_ref() else {
        panic!()
    };
    assert_eq!(
        k.args[0].arg,
        Some(Arg::SockArg(KprobeSock {
            daddr: "1.1.1.1".into(),
            ..Default::default()
        }))
    );

    // Excluding the oneof drops whichever member is set.
    let f = CompiledFieldFilter::new(&field_filter(&[], "args.arg", FieldFilterAction::Exclude))
        .unwrap();
    let mut ev = kprobe_sock("10.0.0.1");
    f.apply(&mut ev);
    let Some(Event::ProcessKprobe(k)) = ev.event.as_ref() else {
        panic!()
    };
    assert_eq!(k.args.len(), 1);
    assert_eq!(k.args[0].arg, None);
}

#[test]
fn field_filter_camel_case_segments() {
    let mut ev = rich_exec();
    CompiledFieldFilter::new(&field_filter(
        &[],
        "process.execId",
        FieldFilterAction::Include,
    ))
    .unwrap()
    .apply(&mut ev);
    assert_eq!(
        exec_of(&ev).process,
        Some(Process {
            exec_id: "exec-5".into(),
            ..Default::default()
        })
    );
}

#[test]
fn field_filter_apply_all_in_order() {
    let filters = compile_all(&[
        field_filter(&[], "process", FieldFilterAction::Include),
        field_filter(&[], "process.pod", FieldFilterAction::Exclude),
    ])
    .unwrap();
    let mut ev = rich_exec();
    apply_all(&filters, &mut ev);
    let e = exec_of(&ev);
    assert!(e.parent.is_none());
    let p = e.process.as_ref().unwrap();
    assert!(p.pod.is_none());
    assert_eq!(p.binary, "/bin/sh");

    // A response without event is left alone; other variants are filtered
    // by the same paths (RateLimitInfo has no `process`: all is dropped).
    let mut empty = GetEventsResponse::default();
    apply_all(&filters, &mut empty);
    assert_eq!(empty, GetEventsResponse::default());
    let mut rl = rate_limit();
    apply_all(&filters, &mut rl);
    assert_eq!(
        rl.event,
        Some(Event::RateLimitInfo(RateLimitInfo::default()))
    );
    assert_eq!(rl.node_name, "node-1");
}

#[test]
fn field_filter_errors() {
    let err = CompiledFieldFilter::new(&field_filter(
        &[],
        "process..binary",
        FieldFilterAction::Include,
    ))
    .unwrap_err();
    assert!(matches!(err, FieldFilterError::InvalidPath(_)), "{err}");
    let mut bad = field_filter(&[], "process", FieldFilterAction::Include);
    bad.action = 7;
    assert!(matches!(
        CompiledFieldFilter::new(&bad),
        Err(FieldFilterError::InvalidAction(7))
    ));
}

#[test]
fn parse_field_filter_lines_formats() {
    let lines = r#"{"event_set":["PROCESS_EXEC"],"fields":"process.binary,parent.exec_id","action":"INCLUDE"}
{"fields":"process.start_time","action":"EXCLUDE","invert_event_set":true,"event_set":["PROCESS_EXIT"]}
"#;
    let filters = parse_field_filter_lines(lines).unwrap();
    assert_eq!(filters.len(), 2);
    assert_eq!(
        filters[0].fields.as_ref().unwrap().paths,
        vec!["process.binary", "parent.exec_id"]
    );
    assert_eq!(filters[0].action, FieldFilterAction::Include as i32);
    assert_eq!(filters[1].action, FieldFilterAction::Exclude as i32);
    assert_eq!(
        filters[1].invert_event_set.as_ref().map(|b| b.value),
        Some(true)
    );

    let array = r#"[{"fields":"process.binary","action":"INCLUDE"},
                    {"fields":"process.startTime","action":"EXCLUDE"}]"#;
    let filters = parse_field_filter_lines(array).unwrap();
    assert_eq!(filters.len(), 2);
    assert_eq!(
        filters[1].fields.as_ref().unwrap().paths,
        vec!["process.start_time"]
    );
    assert!(parse_field_filter_lines("\n").unwrap().is_empty());

    let err = parse_field_filter_lines("{\"fields\":\"a\"}\n{\"action\":\"KEEP\"}").unwrap_err();
    assert!(
        matches!(err, FieldFilterError::Parse { line: 2, .. }),
        "{err}"
    );
    let err = parse_field_filter_lines("{\"field\":\"a\"}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1: unknown field `field` in tetragon.FieldFilter"
    );
    let err = parse_field_filter_lines("{\"fields\":\"a\"}\n{").unwrap_err();
    assert!(
        matches!(err, FieldFilterError::Parse { line: 2, .. }),
        "{err}"
    );
}
