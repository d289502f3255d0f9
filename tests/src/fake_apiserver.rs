//! A small fake Kubernetes API server on 127.0.0.1, plain HTTP, for the
//! tests of tetragond's `--enable-k8s-api` path (no real API server runs
//! where the tests run).
//!
//! It serves three collections: pods (`/api/v1/pods`) and the two
//! TracingPolicy CRDs (`/apis/cilium.io/v1alpha1/tracingpolicies` and
//! `.../tracingpoliciesnamespaced`). A request without `watch` gets the
//! collection's current objects as a list with a resourceVersion; a watch
//! (`watch=true` or `watch=1`) gets every event after the resourceVersion
//! it asks for and then the events the test pushes, the stream staying open
//! until the test closes it ([`FakeApiServer::close_watches`]) or the server
//! goes. Anything else is a 404 `Status`. Every request is logged, so a test
//! can check what the client asked for (`fieldSelector`, ...).

use std::{
    collections::HashMap,
    convert::Infallible,
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, StreamBody, combinators::BoxBody};
use hyper::{Request, Response, body::Frame, service::service_fn};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_stream::{StreamExt as _, wrappers::UnboundedReceiverStream};

/// A collection the fake server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Pods,
    TracingPolicies,
    TracingPoliciesNamespaced,
}

impl Resource {
    pub const ALL: [Resource; 3] = [
        Resource::Pods,
        Resource::TracingPolicies,
        Resource::TracingPoliciesNamespaced,
    ];

    /// The collection's path (all namespaces).
    pub fn path(self) -> &'static str {
        match self {
            Resource::Pods => "/api/v1/pods",
            Resource::TracingPolicies => "/apis/cilium.io/v1alpha1/tracingpolicies",
            Resource::TracingPoliciesNamespaced => {
                "/apis/cilium.io/v1alpha1/tracingpoliciesnamespaced"
            }
        }
    }

    fn api_version(self) -> &'static str {
        match self {
            Resource::Pods => "v1",
            _ => "cilium.io/v1alpha1",
        }
    }

    fn list_kind(self) -> &'static str {
        match self {
            Resource::Pods => "PodList",
            Resource::TracingPolicies => "TracingPolicyList",
            Resource::TracingPoliciesNamespaced => "TracingPolicyNamespacedList",
        }
    }

    fn from_path(path: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.path() == path)
    }
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// Query parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
}

impl LoggedRequest {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_watch(&self) -> bool {
        matches!(self.param("watch"), Some("true" | "1"))
    }
}

impl std::fmt::Display for LoggedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        for (i, (k, v)) in self.query.iter().enumerate() {
            write!(f, "{}{k}={v}", if i == 0 { '?' } else { '&' })?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct Collection {
    /// Current objects by `namespace/name`.
    objects: Vec<(String, Value)>,
    /// Every event so far: (resourceVersion, serialized line).
    history: Vec<(u64, Bytes)>,
    /// Open watch streams.
    watchers: Vec<mpsc::UnboundedSender<Bytes>>,
    /// A watch from before this resourceVersion is answered `410 Gone`
    /// (its history was compacted away): the client must list again.
    compacted: u64,
}

struct State {
    /// The last resourceVersion handed out, shared by all collections as a
    /// real API server's is.
    revision: u64,
    collections: HashMap<Resource, Collection>,
    requests: Vec<LoggedRequest>,
}

/// The running fake API server; it stops when dropped (and with the
/// runtime it was started on).
pub struct FakeApiServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    _dir: tempfile::TempDir,
    kubeconfig: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

type Body = BoxBody<Bytes, Infallible>;

impl FakeApiServer {
    /// Listens on a free port of 127.0.0.1 and writes a kubeconfig for it.
    pub async fn start() -> Result<FakeApiServer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            revision: 100,
            collections: Resource::ALL
                .into_iter()
                .map(|r| (r, Collection::default()))
                .collect(),
            requests: Vec::new(),
        }));
        let dir = tempfile::Builder::new()
            .prefix("fake-apiserver")
            .tempdir()?;
        let kubeconfig = dir.path().join("kubeconfig");
        // JSON is YAML: kube reads it as a kubeconfig.
        let config = json!({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "fake", "cluster": {"server": format!("http://{addr}")}}],
            "users": [{"name": "fake", "user": {}}],
            "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
            "current-context": "fake",
        });
        std::fs::write(&kubeconfig, serde_json::to_vec_pretty(&config)?)
            .context("writing the fake kubeconfig")?;
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let Ok((conn, _)) = listener.accept().await else {
                    return;
                };
                let state = Arc::clone(&shared);
                // Held by the JoinSet: the connections (and their open
                // watches) end when the server task does.
                connections.spawn(async move {
                    let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                        let reply = answer(&req, &state);
                        async move { Ok::<_, Infallible>(reply) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(conn), service)
                        .await;
                });
                // Reap finished connections.
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(FakeApiServer {
            addr,
            state,
            _dir: dir,
            kubeconfig,
            task,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A kubeconfig whose current context points at this server.
    pub fn kubeconfig_path(&self) -> &Path {
        &self.kubeconfig
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces the objects of `resource` without any watch event (what a
    /// list returns from now on).
    pub fn set_objects(&self, resource: Resource, objects: Vec<Value>) {
        let mut state = self.lock();
        let mut stored = Vec::new();
        for mut object in objects {
            state.revision += 1;
            object["metadata"]["resourceVersion"] = state.revision.to_string().into();
            stored.push((object_key(&object), object));
        }
        state.collections.get_mut(&resource).unwrap().objects = stored;
    }

    /// The objects a list of `resource` returns now.
    pub fn objects(&self, resource: Resource) -> Vec<Value> {
        let state = self.lock();
        let c = &state.collections[&resource];
        c.objects.iter().map(|(_, o)| o.clone()).collect()
    }

    /// Stops serving `resource`, as when its CRD is not installed: every
    /// request for it is a 404.
    pub fn uninstall(&self, resource: Resource) {
        self.lock().collections.remove(&resource);
    }

    /// Applies a watch event (`ADDED`, `MODIFIED` or `DELETED`) to the
    /// collection, with a fresh resourceVersion, and sends it to the open
    /// watches (and to any later watch that resumes from before it).
    pub fn push_event(&self, resource: Resource, kind: &str, mut object: Value) {
        let mut state = self.lock();
        state.revision += 1;
        let revision = state.revision;
        object["metadata"]["resourceVersion"] = revision.to_string().into();
        let c = state.collections.get_mut(&resource).unwrap();
        let key = object_key(&object);
        c.objects.retain(|(k, _)| *k != key);
        match kind {
            "ADDED" | "MODIFIED" => c.objects.push((key, object.clone())),
            "DELETED" => {}
            other => panic!("push_event: unknown watch event type {other}"),
        }
        let line = Bytes::from(format!("{}\n", json!({"type": kind, "object": object})));
        c.history.push((revision, line.clone()));
        c.watchers.retain(|w| w.send(line.clone()).is_ok());
    }

    /// Ends every open watch stream, as a real API server does at a watch's
    /// timeout: the client must watch again (or re-list).
    pub fn close_watches(&self) {
        let mut state = self.lock();
        for c in state.collections.values_mut() {
            c.watchers.clear();
        }
    }

    /// Forgets the event history, as etcd compaction does: a watch that
    /// resumes from an earlier resourceVersion gets a `410 Expired` error
    /// event, and the client must list again. With [`Self::close_watches`]
    /// and [`Self::set_objects`] this makes changes only a re-list sees
    /// (objects deleted while the client was not watching).
    pub fn compact(&self) {
        let mut state = self.lock();
        let revision = state.revision;
        for c in state.collections.values_mut() {
            c.history.clear();
            c.compacted = revision;
        }
    }

    /// Open watch streams of `resource` (that the client still reads, as
    /// far as the server knows).
    pub fn open_watches(&self, resource: Resource) -> usize {
        let mut state = self.lock();
        let c = state.collections.get_mut(&resource).unwrap();
        c.watchers.retain(|w| !w.is_closed());
        c.watchers.len()
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.lock().requests.clone()
    }

    /// The requests so far, one a line, for assertion messages.
    pub fn request_log(&self) -> String {
        self.requests()
            .iter()
            .map(|r| format!("{r}\n"))
            .collect::<String>()
    }
}

impl Drop for FakeApiServer {
    fn drop(&mut self) {
        self.close_watches();
        self.task.abort();
    }
}

fn object_key(object: &Value) -> String {
    let meta = &object["metadata"];
    format!(
        "{}/{}",
        meta["namespace"].as_str().unwrap_or(""),
        meta["name"].as_str().unwrap_or("")
    )
}

fn answer(req: &Request<hyper::body::Incoming>, state: &Mutex<State>) -> Response<Body> {
    let logged = LoggedRequest {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        query: req.uri().query().map(parse_query).unwrap_or_default(),
    };
    let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
    state.requests.push(logged.clone());
    let resource = Resource::from_path(&logged.path)
        .filter(|r| logged.method == "GET" && state.collections.contains_key(r));
    let Some(resource) = resource else {
        let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "reason": "NotFound", "code": 404,
            "message": format!("the server could not find the requested resource ({})", logged.path)});
        return json_response(404, status.to_string());
    };
    let revision = state.revision;
    let c = state.collections.get_mut(&resource).unwrap();
    if !logged.is_watch() {
        let items: Vec<&Value> = c.objects.iter().map(|(_, o)| o).collect();
        let list = json!({"apiVersion": resource.api_version(), "kind": resource.list_kind(),
            "metadata": {"resourceVersion": revision.to_string()}, "items": items});
        return json_response(200, list.to_string());
    }
    // Events after the resourceVersion asked for ("" or "0": from now).
    let since = logged
        .param("resourceVersion")
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|v| *v != 0)
        .unwrap_or(revision);
    if since < c.compacted {
        // What the API server sends: 200, one ERROR event, end of stream.
        let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "reason": "Expired", "code": 410,
            "message": format!("too old resource version: {since} ({})", c.compacted)});
        let line = format!("{}\n", json!({"type": "ERROR", "object": status}));
        return json_response(200, line);
    }
    let (tx, rx) = mpsc::unbounded_channel();
    for (_, line) in c.history.iter().filter(|(rv, _)| *rv > since) {
        let _ = tx.send(line.clone());
    }
    c.watchers.push(tx);
    let body = StreamBody::new(
        UnboundedReceiverStream::new(rx).map(|line| Ok::<_, Infallible>(Frame::data(line))),
    );
    Response::builder()
        .header("content-type", "application/json")
        .body(body.boxed())
        .unwrap()
}

fn json_response(status: u16, body: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)).boxed())
        .unwrap()
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
