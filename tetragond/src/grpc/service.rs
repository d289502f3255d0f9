//! The `tetragon.FineGuidanceSensors` service.

use std::sync::Arc;

use tetragon_api::tetragon::{
    self as api, GetEventsRequest, GetHealthStatusRequest, GetHealthStatusResponse, HealthStatus,
    HealthStatusType, SensorStatus, fine_guidance_sensors_server::FineGuidanceSensors,
};
use tonic::{Request, Response, Status};

use super::{
    events::{self, EventStream},
    policies,
    runtime_hook::RuntimeHooks,
    stack_tree::StackTraceTrees,
};
use crate::{
    bus::EventBus,
    health::HealthSources,
    logging::{Level, LogControl},
    observer::Request as ObserverRequest,
    policy::manager::PolicyManager,
};

pub use super::info::VERSION;

/// What the service reads from the rest of the daemon.
pub struct ServiceContext {
    pub bus: EventBus,
    pub node_name: String,
    pub health: HealthSources,
    /// Sensors loaded (name, collection).
    pub sensors: Vec<(String, String)>,
    pub observer_requests: tokio::sync::mpsc::Sender<ObserverRequest>,
    pub log: LogControl,
    /// Turns true when the daemon stops: event streams end then.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// GetInfo's answer: fixed at start but for the kernel probes, which
    /// arrive a moment later.
    pub info: std::sync::RwLock<api::GetInfoResponse>,
    pub policies: Arc<PolicyManager>,
    /// Kernel stack traces of policy events, aggregated per policy.
    pub stack_trees: Arc<StackTraceTrees>,
    /// Where RuntimeHook calls go, when pods are tracked.
    pub runtime_hooks: Option<RuntimeHooks>,
}

impl ServiceContext {
    pub fn set_probes(&self, probes: &[(String, bool)]) {
        let mut info = self.info.write().unwrap_or_else(|e| e.into_inner());
        info.probes = super::info::probes(probes);
    }
}

pub struct Service {
    ctx: Arc<ServiceContext>,
}

impl Service {
    pub fn new(ctx: Arc<ServiceContext>) -> Self {
        Service { ctx }
    }
}

type Reply<T> = Result<Response<T>, Status>;

fn not_yet(method: &str) -> Status {
    Status::unimplemented(format!("{method} is not implemented by this tetragond yet"))
}

#[tonic::async_trait]
impl FineGuidanceSensors for Service {
    type GetEventsStream = EventStream;

    async fn get_events(&self, req: Request<GetEventsRequest>) -> Reply<EventStream> {
        let shutdown = self.ctx.shutdown.clone();
        events::subscribe(
            &self.ctx.bus,
            &self.ctx.node_name,
            req.into_inner(),
            shutdown,
        )
        .map(Response::new)
    }

    async fn get_health(
        &self,
        _req: Request<GetHealthStatusRequest>,
    ) -> Reply<GetHealthStatusResponse> {
        let (status, details) = self.ctx.health.status();
        Ok(Response::new(GetHealthStatusResponse {
            health_status: vec![HealthStatus {
                event: HealthStatusType::Status as i32,
                status: status as i32,
                details,
            }],
        }))
    }

    async fn add_tracing_policy(
        &self,
        req: Request<api::AddTracingPolicyRequest>,
    ) -> Reply<api::AddTracingPolicyResponse> {
        policies::add(&self.ctx.policies, req.into_inner()).await?;
        Ok(Response::new(api::AddTracingPolicyResponse {}))
    }

    async fn delete_tracing_policy(
        &self,
        req: Request<api::DeleteTracingPolicyRequest>,
    ) -> Reply<api::DeleteTracingPolicyResponse> {
        let req = req.into_inner();
        let name = req.name.clone();
        policies::delete(&self.ctx.policies, req.name, req.namespace).await?;
        self.ctx.stack_trees.forget(&name);
        Ok(Response::new(api::DeleteTracingPolicyResponse {}))
    }

    async fn list_tracing_policies(
        &self,
        req: Request<api::ListTracingPoliciesRequest>,
    ) -> Reply<api::ListTracingPoliciesResponse> {
        let _ = req;
        Ok(Response::new(api::ListTracingPoliciesResponse {
            policies: self.ctx.policies.list(),
        }))
    }

    async fn configure_tracing_policy(
        &self,
        req: Request<api::ConfigureTracingPolicyRequest>,
    ) -> Reply<api::ConfigureTracingPolicyResponse> {
        let req = req.into_inner();
        policies::configure(
            &self.ctx.policies,
            req.name,
            req.namespace,
            req.enable,
            req.mode,
        )
        .await?;
        Ok(Response::new(api::ConfigureTracingPolicyResponse {}))
    }

    async fn enable_tracing_policy(
        &self,
        req: Request<api::EnableTracingPolicyRequest>,
    ) -> Reply<api::EnableTracingPolicyResponse> {
        let req = req.into_inner();
        policies::configure(
            &self.ctx.policies,
            req.name,
            req.namespace,
            Some(true),
            None,
        )
        .await?;
        Ok(Response::new(api::EnableTracingPolicyResponse {}))
    }

    async fn disable_tracing_policy(
        &self,
        req: Request<api::DisableTracingPolicyRequest>,
    ) -> Reply<api::DisableTracingPolicyResponse> {
        let req = req.into_inner();
        policies::configure(
            &self.ctx.policies,
            req.name,
            req.namespace,
            Some(false),
            None,
        )
        .await?;
        Ok(Response::new(api::DisableTracingPolicyResponse {}))
    }

    async fn list_sensors(
        &self,
        _req: Request<api::ListSensorsRequest>,
    ) -> Reply<api::ListSensorsResponse> {
        let sensors = self
            .ctx
            .sensors
            .iter()
            .map(|(name, collection)| SensorStatus {
                name: name.clone(),
                enabled: true,
                collection: collection.clone(),
            })
            .chain(self.ctx.policies.sensors())
            .collect();
        Ok(Response::new(api::ListSensorsResponse { sensors }))
    }

    async fn enable_sensor(
        &self,
        req: Request<api::EnableSensorRequest>,
    ) -> Reply<api::EnableSensorResponse> {
        policies::configure_sensor(&self.ctx.policies, req.into_inner().name, true).await?;
        Ok(Response::new(api::EnableSensorResponse {}))
    }

    async fn disable_sensor(
        &self,
        req: Request<api::DisableSensorRequest>,
    ) -> Reply<api::DisableSensorResponse> {
        policies::configure_sensor(&self.ctx.policies, req.into_inner().name, false).await?;
        Ok(Response::new(api::DisableSensorResponse {}))
    }

    async fn remove_sensor(
        &self,
        req: Request<api::RemoveSensorRequest>,
    ) -> Reply<api::RemoveSensorResponse> {
        let name = req.into_inner().name;
        if self.ctx.policies.sensors().iter().any(|s| s.name == name) {
            return Err(Status::failed_precondition(format!(
                "sensor {name} belongs to a tracing policy: delete the policy to remove it"
            )));
        }
        Err(Status::not_found(format!("sensor {name} not found")))
    }

    async fn list_domains(
        &self,
        _req: Request<api::ListDomainsRequest>,
    ) -> Reply<api::ListDomainsResponse> {
        Err(not_yet("ListDomains"))
    }

    async fn get_stack_trace_tree(
        &self,
        req: Request<api::GetStackTraceTreeRequest>,
    ) -> Reply<api::GetStackTraceTreeResponse> {
        let name = req.into_inner().name;
        let known = self.ctx.policies.list().iter().any(|p| p.name == name);
        self.ctx.stack_trees.get(&name, known).map(Response::new)
    }

    async fn get_version(
        &self,
        _req: Request<api::GetVersionRequest>,
    ) -> Reply<api::GetVersionResponse> {
        Ok(Response::new(api::GetVersionResponse {
            version: VERSION.to_string(),
        }))
    }

    async fn get_info(&self, _req: Request<api::GetInfoRequest>) -> Reply<api::GetInfoResponse> {
        let info = self.ctx.info.read().unwrap_or_else(|e| e.into_inner());
        Ok(Response::new(info.clone()))
    }

    async fn runtime_hook(
        &self,
        req: Request<api::RuntimeHookRequest>,
    ) -> Reply<api::RuntimeHookResponse> {
        let Some(hooks) = &self.ctx.runtime_hooks else {
            return Err(Status::failed_precondition(
                "RuntimeHook: no pod source is enabled (--enable-cri, --enable-k8s-api or --enable-policy-filter)",
            ));
        };
        hooks.handle(req.into_inner()).await?;
        Ok(Response::new(api::RuntimeHookResponse {}))
    }

    async fn get_debug(&self, req: Request<api::GetDebugRequest>) -> Reply<api::GetDebugResponse> {
        let flag = req.into_inner().flag;
        let arg = match api::ConfigFlag::try_from(flag) {
            Ok(api::ConfigFlag::LogLevel) => {
                api::get_debug_response::Arg::Level(self.ctx.log.level().to_api() as i32)
            }
            Ok(api::ConfigFlag::DumpProcessCache) => {
                let (tx, rx) = tokio::sync::oneshot::channel();
                self.ctx
                    .observer_requests
                    .send(ObserverRequest::DumpProcessCache(tx))
                    .await
                    .map_err(|_| Status::unavailable("the event observer is not running"))?;
                let processes = rx
                    .await
                    .map_err(|_| Status::unavailable("the event observer is not running"))?;
                api::get_debug_response::Arg::Processes(api::DumpProcessCacheResArgs { processes })
            }
            Err(_) => {
                return Err(Status::invalid_argument(format!(
                    "unknown debug flag {flag}"
                )));
            }
        };
        Ok(Response::new(api::GetDebugResponse {
            flag,
            arg: Some(arg),
        }))
    }

    async fn set_debug(&self, req: Request<api::SetDebugRequest>) -> Reply<api::SetDebugResponse> {
        let req = req.into_inner();
        match (api::ConfigFlag::try_from(req.flag), req.arg) {
            (Ok(api::ConfigFlag::LogLevel), Some(api::set_debug_request::Arg::Level(level))) => {
                let level = api::LogLevel::try_from(level)
                    .map_err(|_| Status::invalid_argument(format!("unknown log level {level}")))?;
                self.ctx
                    .log
                    .set(Level::from_api(level))
                    .map_err(|e| Status::internal(format!("{e:#}")))?;
                Ok(Response::new(api::SetDebugResponse {
                    flag: req.flag,
                    arg: Some(api::set_debug_response::Arg::Level(
                        self.ctx.log.level().to_api() as i32,
                    )),
                }))
            }
            (Ok(api::ConfigFlag::LogLevel), _) => {
                Err(Status::invalid_argument("SetDebug LOG_LEVEL needs a level"))
            }
            _ => Err(Status::invalid_argument(format!(
                "debug flag {} cannot be set",
                req.flag
            ))),
        }
    }
}
