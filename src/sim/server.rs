//! The wire protocols: awsJson1_1 on `POST /`, dispatch on `X-Amz-Target`
//! (WorkSpaces, the tagging API's `GetResources`, the Price List API, KMS's
//! `DescribeKey`);
//! Smithy RPC v2 CBOR on `POST /service/SERVICE/operation/OPERATION` with
//! `smithy-protocol: rpc-v2-cbor` (WorkSpaces, the tagging API, CloudWatch);
//! faults and stats around every call, whichever protocol carried it; and
//! the `/_sim/*` introspection and controls (the controls refuse what a web
//! page could send).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use super::account::{Account, now_millis};
use super::api_error::ApiError;
use super::config::SimConfig;
use super::error::SimError;
use super::faults::TokenBucket;
use super::journal::{self, Journal};
use super::ops::{self, Api, Ctx, Operation};
use super::stats::Stats;
use super::{cbor, seed, store};

const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

pub(crate) struct Shared {
    config: SimConfig,
    inner: Mutex<Inner>,
    request_ids: AtomicU64,
    /// API requests that arrived, latency not yet served included.
    arrived: AtomicU64,
    /// Held as long as the simulator serves its state file.
    _lock: Option<store::StateLock>,
}

struct Inner {
    account: Account,
    /// Where changes are written, with a state file.
    journal: Option<Journal>,
    rng: StdRng,
    bucket: Option<TokenBucket>,
    stats: Stats,
    /// The operation of each request in arrival order, the latest
    /// [`LOG_LIMIT`]: tests check the order calls came in.
    log: VecDeque<&'static str>,
}

/// Requests `GET /_sim/log` remembers.
const LOG_LIMIT: usize = 10_000;

impl Shared {
    pub(crate) fn new(
        config: SimConfig,
        mut account: Account,
        journal: Option<Journal>,
        lock: Option<store::StateLock>,
    ) -> Self {
        account.tag_history.set_lag(millis(config.tag_lag));
        let inner = Inner {
            account,
            journal,
            rng: StdRng::seed_from_u64(config.seed),
            bucket: config.faults.max_requests_per_second.map(TokenBucket::new),
            stats: Stats::default(),
            log: VecDeque::new(),
        };
        Shared {
            config,
            inner: Mutex::new(inner),
            request_ids: AtomicU64::new(1),
            arrived: AtomicU64::new(0),
            _lock: lock,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn stats(&self) -> Stats {
        let mut stats = self.lock().stats.clone();
        stats.arrived = self.arrived.load(Ordering::Relaxed);
        stats
    }

    /// An API request has arrived; it is answered after the latency.
    fn arrive(&self) {
        self.arrived.fetch_add(1, Ordering::Relaxed);
    }

    fn request_id(&self) -> String {
        let n = self.request_ids.fetch_add(1, Ordering::Relaxed);
        format!("00000000-0000-4000-8000-{n:012x}")
    }

    /// Writes the state file whole and removes its log: the simulator has
    /// stopped, and the next one starts from the file alone.
    pub(crate) fn close(&self) -> Result<(), SimError> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        match inner.journal.take() {
            Some(journal) => journal.close(&mut inner.account),
            None => Ok(()),
        }
    }

    /// Runs one API call under the lock: throttling, access and 5xx faults
    /// first, then the operation, then the journal. Errors leave with the
    /// names the operation's API gives them.
    fn call(&self, op: &Operation, body: Body<'_>) -> Result<Value, ApiError> {
        let mut guard = self.lock();
        let started = Instant::now();
        let result = self.call_locked(&mut guard, op, body);
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        guard.stats.entry(op.name).server_micros += micros;
        result.map_err(|mut e| {
            e.code = op.error_code(e.code);
            e
        })
    }

    fn call_locked(
        &self,
        inner: &mut Inner,
        op: &Operation,
        body: Body<'_>,
    ) -> Result<Value, ApiError> {
        let faults = &self.config.faults;
        inner.stats.entry(op.name).requests += 1;
        if inner.log.len() == LOG_LIMIT {
            inner.log.pop_front();
        }
        inner.log.push_back(op.name);
        if let Some(bucket) = &mut inner.bucket
            && !bucket.try_take(Instant::now())
        {
            inner.stats.entry(op.name).throttled += 1;
            return Err(ApiError::throttled());
        }
        if let Some(service) = op.api.denied(faults) {
            inner.stats.entry(op.name).failed += 1;
            let action = format!("{service}:{}", op.name);
            return Err(ApiError::access_denied(format!(
                "User: arn:aws:iam::{}:user/sim is not authorized to perform: {action} \
                 because no identity-based policy allows the {action} action",
                inner.account.account_id
            )));
        }
        if faults.server_error_rate > 0.0 && inner.rng.random::<f64>() < faults.server_error_rate {
            inner.stats.entry(op.name).failed += 1;
            return Err(if inner.rng.random::<bool>() {
                ApiError::internal("We encountered an internal error. Please try again.")
            } else {
                ApiError::service_unavailable()
            });
        }
        let now = now_millis();
        inner.account.settle(now);
        let mut ctx = Ctx {
            account: &mut inner.account,
            rng: &mut inner.rng,
            faults,
            now,
            settle: millis(self.config.settle),
            visibility: millis(self.config.visibility),
            snapshot_every: millis(self.config.snapshot_interval),
            failed_items: 0,
            seed: self.config.seed,
        };
        let result = read_body(body).and_then(|body| (op.run)(&mut ctx, body));
        let failed_items = ctx.failed_items;
        let stats = inner.stats.entry(op.name);
        match result {
            Ok(mut value) => {
                stats.failed_items += failed_items;
                // Without a journal, even a read forgets what settling changed.
                if (op.mutating || inner.journal.is_none())
                    && let Err(error) = inner.keep()
                {
                    inner.stats.entry(op.name).failed += 1;
                    return Err(error);
                }
                ops::strip_nulls(&mut value);
                Ok(value)
            }
            Err(e) => {
                stats.failed += 1;
                Err(e)
            }
        }
    }

    fn publish_update(&self, image_id: &str) -> Result<(), ApiError> {
        let mut inner = self.lock();
        let image = inner
            .account
            .images
            .get_mut(image_id)
            .ok_or_else(|| ApiError::not_found(image_id, "Image"))?;
        // AWS offers updates only for images it can update.
        if !image.updatable() {
            return Err(ApiError::invalid(format!(
                "Image {image_id} runs {}; AWS updates only {} images.",
                image.os_name,
                super::account::Image::UPDATABLE_OS.join(", ")
            )));
        }
        image.update_available = true;
        image.update_description = Some("New WorkSpaces agent and drivers".to_owned());
        inner.keep()
    }

    /// Puts a WorkSpace in `state` now, cancelling any transition under way.
    fn force_state(&self, id: &str, state: &str) -> Result<(), ApiError> {
        use super::account::state::{ADMIN_MAINTENANCE, ERROR, STOPPED, UNHEALTHY};
        const FORCEABLE: [&str; 4] = [UNHEALTHY, ERROR, STOPPED, ADMIN_MAINTENANCE];
        if !FORCEABLE.contains(&state) {
            return Err(ApiError::invalid(format!(
                "A WorkSpace can be put only in {}.",
                FORCEABLE.join(", ")
            )));
        }
        let mut inner = self.lock();
        let now = now_millis();
        inner.account.settle(now);
        let ws = inner
            .account
            .workspaces
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found(id, "WorkSpace"))?;
        ws.next = None;
        ws.enter(state, now);
        inner.keep()
    }

    /// Sets the usage profiles of WorkSpaces, by id or user name.
    fn set_usage(&self, body: &[u8]) -> Result<(), ApiError> {
        #[derive(serde::Deserialize)]
        struct Input {
            profiles: std::collections::BTreeMap<String, super::usage::Profile>,
        }
        let input: Input = serde_json::from_slice(body).map_err(|e| {
            ApiError::serialization(format!(
                "expected {{\"profiles\": {{\"USER or WORKSPACE ID\": \"heavy\" | \"light\" | \"never\"}}}}: {e}"
            ))
        })?;
        let mut inner = self.lock();
        for (key, profile) in input.profiles {
            let key = if key.starts_with("ws-") {
                key
            } else {
                key.to_lowercase()
            };
            inner.account.usage.insert(key, profile);
        }
        inner.keep()
    }

    fn reset(&self) -> Result<(), ApiError> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let mut account = seed::account();
        account.tag_history.set_lag(millis(self.config.tag_lag));
        if let Some(journal) = &mut inner.journal {
            // The seeded account is written whole; kept only once it is.
            journal.compact(&mut account).map_err(internal)?;
        }
        inner.account = account;
        inner.rng = StdRng::seed_from_u64(self.config.seed);
        inner.bucket = self
            .config
            .faults
            .max_requests_per_second
            .map(TokenBucket::new);
        inner.stats = Stats::default();
        self.arrived.store(0, Ordering::Relaxed);
        inner.log.clear();
        Ok(())
    }

    fn account_json(&self) -> Value {
        let mut inner = self.lock();
        inner.account.settle(now_millis());
        if inner.journal.is_none() {
            journal::forget_changes(&mut inner.account);
        }
        serde_json::to_value(&inner.account).unwrap_or(Value::Null)
    }
}

impl Inner {
    /// Writes the account's changes to the journal before the call is
    /// answered; a change it cannot keep is not kept in memory either.
    /// Without a state file there is nothing to write them to.
    fn keep(&mut self) -> Result<(), ApiError> {
        match &mut self.journal {
            Some(journal) => journal.record(&mut self.account).map_err(internal),
            None => {
                journal::forget_changes(&mut self.account);
                Ok(())
            }
        }
    }
}

fn internal(e: SimError) -> ApiError {
    eprintln!("wsctl simulator: {e}");
    ApiError::internal(e.to_string())
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A request body on the wire protocol of its API.
#[derive(Clone, Copy)]
enum Body<'a> {
    /// awsJson1_1 (WorkSpaces, Tagging, the Price List).
    Json(&'a [u8]),
    /// Smithy RPC v2 CBOR (WorkSpaces, Tagging, CloudWatch).
    Cbor(&'a [u8]),
}

fn read_body(body: Body<'_>) -> Result<Value, ApiError> {
    match body {
        Body::Json(bytes) => read_json(bytes),
        Body::Cbor(bytes) => match cbor::read(bytes) {
            Ok(value @ Value::Object(_)) => Ok(value),
            Ok(_) => Err(ApiError::serialization(
                "The request body must be a CBOR map.",
            )),
            Err(why) => Err(ApiError::serialization(format!(
                "The request body is not valid CBOR: {why}"
            ))),
        },
    }
}

/// The SDK always sends a JSON object; an empty body is read as `{}`.
fn read_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(ApiError::serialization(
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(ApiError::serialization(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", post(api))
        .route(
            "/service/{service}/operation/{operation}",
            post(rpc_v2_cbor),
        )
        .route("/_sim/usage", post(set_usage))
        .route("/_sim/stats", get(stats))
        .route("/_sim/log", get(log))
        .route("/_sim/reset", post(reset))
        .route("/_sim/state", get(state))
        .route("/_sim/images/{image_id}/update", post(publish_update))
        .route(
            "/_sim/workspaces/{workspace_id}/state/{state}",
            post(force_state),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            refuse_cross_site,
        ))
        .with_state(shared)
}

/// A web page open in the user's browser may POST to any address, loopback
/// included, without asking first when the request looks like a form
/// (`text/plain`, form encodings): enough to reset the account. Browsers send
/// `Origin` with such a request, and cannot send `Content-Type:
/// application/json` without a CORS preflight, which the simulator never
/// answers; so a `/_sim/` request that changes state must have no `Origin`
/// and a JSON body type. The API needs no guard: the `X-Amz-Target` header
/// it needs on `/`, and `smithy-protocol` on `/service/`, already force a
/// preflight.
async fn refuse_cross_site(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD);
    if changes_state && request.uri().path().starts_with("/_sim/") {
        let headers = request.headers();
        if headers.contains_key(header::ORIGIN) {
            return respond(&shared, Err(ApiError::cross_site()));
        }
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()));
        // Parameters such as `; charset=utf-8` do not change the type.
        let is_json = content_type
            .as_deref()
            .and_then(|c| c.split(';').next())
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return respond(&shared, Err(ApiError::not_json(content_type.as_deref())));
        }
    }
    next.run(request).await
}

async fn api(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    shared.arrive();
    let latency = shared.config.faults.latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let result = match ops::find(target) {
        Some(op) => shared.call(op, Body::Json(&body)),
        None if target.is_empty() => {
            let expected: Vec<String> = Api::ALL
                .iter()
                .map(|api| format!("{}<Operation>", api.target_prefix()))
                .collect();
            Err(ApiError::unknown_operation(format!(
                "The X-Amz-Target header is missing; expected one of {}.",
                expected.join(", ")
            )))
        }
        None => Err(ApiError::unknown_operation(format!(
            "Operation {target} is not supported by the wsctl simulator."
        ))),
    };
    respond(&shared, result)
}

fn respond(shared: &Shared, result: Result<Value, ApiError>) -> Response {
    let (status, body) = match result {
        Ok(v) => (StatusCode::OK, v),
        Err(e) => (e.status, e.body()),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, CONTENT_TYPE.to_owned()),
            (
                header::HeaderName::from_static("x-amzn-requestid"),
                shared.request_id(),
            ),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The `smithy-protocol` header value of RPC v2 CBOR, on every request and
/// answer.
const RPC_V2_CBOR: &str = "rpc-v2-cbor";

/// Smithy RPC v2 CBOR: `POST /service/SERVICE/operation/OPERATION`, SERVICE
/// the service shape's name (`WorkspacesService`), with `smithy-protocol:
/// rpc-v2-cbor`; AWS routes on both, and so does the simulator. The
/// operation is the one awsJson1_1 runs, on the same JSON value.
async fn rpc_v2_cbor(
    State(shared): State<Arc<Shared>>,
    Path((service, operation)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.arrive();
    let latency = shared.config.faults.latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let found = ops::find(&format!("{service}.{operation}"))
        .and_then(|op| Some((op, op.api.cbor_shapes()?)));
    let query_compatible = found.is_some_and(|(op, _)| op.api == Api::CloudWatch);
    let protocol = headers
        .get("smithy-protocol")
        .map(|v| String::from_utf8_lossy(v.as_bytes()));
    let (result, shapes) = match found {
        _ if protocol.as_deref() != Some(RPC_V2_CBOR) => (
            Err(ApiError::unknown_operation(format!(
                "A Smithy RPC v2 CBOR request needs the header smithy-protocol: {RPC_V2_CBOR}; \
                 this one has {}.",
                protocol.map_or_else(|| "none".to_owned(), |p| format!("{p:?}"))
            ))),
            &cbor::UNTYPED,
        ),
        Some((op, shapes)) => (shared.call(op, Body::Cbor(&body)), shapes),
        None => (
            Err(ApiError::unknown_operation(format!(
                "Operation {operation} of {service} is not supported by the wsctl simulator \
                 on Smithy RPC v2 CBOR."
            ))),
            &cbor::UNTYPED,
        ),
    };
    respond_cbor(&shared, result, shapes, query_compatible)
}

/// An RPC v2 CBOR answer: errors carry `__type` in the body, and, for an
/// API the model marks `awsQueryCompatible` (CloudWatch), the awsQuery code
/// in `x-amzn-query-error`.
fn respond_cbor(
    shared: &Shared,
    result: Result<Value, ApiError>,
    shapes: &cbor::Shapes,
    query_compatible: bool,
) -> Response {
    let (status, value, query_error) = match result {
        Ok(value) => (StatusCode::OK, value, None),
        Err(e) => {
            let fault = if e.status.is_server_error() {
                "Receiver"
            } else {
                "Sender"
            };
            let query_error = query_compatible.then(|| format!("{};{fault}", e.code));
            (e.status, e.body(), query_error)
        }
    };
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "application/cbor".to_owned()),
            (
                header::HeaderName::from_static("smithy-protocol"),
                RPC_V2_CBOR.to_owned(),
            ),
            (
                header::HeaderName::from_static("x-amzn-requestid"),
                shared.request_id(),
            ),
        ],
        cbor::write(&value, shapes),
    )
        .into_response();
    if let Some(code) = query_error.and_then(|c| header::HeaderValue::from_str(&c).ok()) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-amzn-query-error"), code);
    }
    response
}

/// Tests set who uses which WorkSpace how: `{"profiles": {"alice":
/// "heavy", "ws-0123abcd": "never"}}`.
async fn set_usage(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let result = shared.set_usage(&body).map(|()| serde_json::json!({}));
    respond(&shared, result)
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let stats = serde_json::to_value(shared.stats()).unwrap_or(Value::Null);
    respond(&shared, Ok(stats))
}

/// The operations of the latest requests, oldest first.
async fn log(State(shared): State<Arc<Shared>>) -> Response {
    let operations: Vec<&str> = shared.lock().log.iter().copied().collect();
    respond(&shared, Ok(serde_json::json!({ "operations": operations })))
}

async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    let result = shared.reset().map(|()| serde_json::json!({}));
    respond(&shared, result)
}

async fn state(State(shared): State<Arc<Shared>>) -> Response {
    let account = shared.account_json();
    respond(&shared, Ok(account))
}

/// AWS reports updates for an image when new WorkSpaces agents and drivers
/// come out; tests of `auto_update` need to make that happen on demand.
async fn publish_update(
    State(shared): State<Arc<Shared>>,
    Path(image_id): Path<String>,
) -> Response {
    let result = shared
        .publish_update(&image_id)
        .map(|()| serde_json::json!({}));
    respond(&shared, result)
}

/// Tests of restore and self-healing need a WorkSpace UNHEALTHY, in ERROR
/// or in a state restore refuses, on demand.
async fn force_state(
    State(shared): State<Arc<Shared>>,
    Path((workspace_id, state)): Path<(String, String)>,
) -> Response {
    let result = shared
        .force_state(&workspace_id, &state)
        .map(|()| serde_json::json!({}));
    respond(&shared, result)
}

async fn not_found(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    respond(&shared, Err(ApiError::not_found_path(uri.path())))
}
