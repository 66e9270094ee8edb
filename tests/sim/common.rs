//! Starting a simulator, talking to it, waiting for it.

use std::future::Future;
use std::time::{Duration, Instant};

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    RunningMode, Tag, TerminateRequest, Workspace, WorkspaceProperties, WorkspaceRequest,
    WorkspaceState,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wsctl::sim::{SEED_DIRECTORY_ID, Sim, SimConfig};

pub(crate) const VALUE_BUNDLE: &str = "wsb-w10value0";
pub(crate) const STANDARD_BUNDLE: &str = "wsb-w10stand0";
pub(crate) const PERFORMANCE_BUNDLE: &str = "wsb-w10perf00";
pub(crate) const GRAPHICS_BUNDLE: &str = "wsb-w10graph0";

/// Short delays so tests finish fast; polls wait with a deadline.
pub(crate) fn fast() -> SimConfig {
    SimConfig {
        settle: Duration::from_millis(60),
        visibility: Duration::from_millis(30),
        ..SimConfig::default()
    }
}

pub(crate) async fn start(config: SimConfig) -> (Sim, Client) {
    let sim = wsctl::sim::start(config).await.expect("simulator starts");
    let client = Client::from_conf(wsctl::sim::client_config(&sim.url()));
    (sim, client)
}

pub(crate) async fn sim() -> (Sim, Client) {
    start(fast()).await
}

/// A Resource Groups Tagging API client for the simulator.
pub(crate) fn tagging(sim: &Sim) -> aws_sdk_resourcegroupstagging::Client {
    aws_sdk_resourcegroupstagging::Client::from_conf(wsctl::sim::tagging_client_config(&sim.url()))
}

/// Polls `f` until it returns `Some`, failing after five seconds.
pub(crate) async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub(crate) fn request(user: &str, bundle: &str) -> WorkspaceRequest {
    WorkspaceRequest::builder()
        .directory_id(SEED_DIRECTORY_ID)
        .user_name(user)
        .bundle_id(bundle)
        .build()
        .expect("complete request")
}

pub(crate) fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("complete tag")
}

/// Creates one WorkSpace per user and returns their ids, in order.
pub(crate) async fn create(client: &Client, users: &[&str], bundle: &str) -> Vec<String> {
    let mut call = client.create_workspaces();
    for user in users {
        call = call.workspaces(request(user, bundle));
    }
    let out = call.send().await.expect("CreateWorkspaces");
    assert!(
        out.failed_requests().is_empty(),
        "{:?}",
        out.failed_requests()
    );
    out.pending_requests()
        .iter()
        .map(|w| w.workspace_id().unwrap_or_default().to_owned())
        .collect()
}

pub(crate) async fn describe(client: &Client, id: &str) -> Option<Workspace> {
    let out = client
        .describe_workspaces()
        .workspace_ids(id)
        .send()
        .await
        .expect("DescribeWorkspaces");
    out.workspaces().first().cloned()
}

pub(crate) async fn wait_state(client: &Client, id: &str, state: WorkspaceState) -> Workspace {
    eventually(&format!("{id} to be {state}"), || {
        let state = state.clone();
        async move {
            describe(client, id)
                .await
                .filter(|w| w.state() == Some(&state))
        }
    })
    .await
}

/// Waits until a visible WorkSpace disappears (a new id, still invisible,
/// would pass at once).
pub(crate) async fn wait_gone(client: &Client, id: &str) {
    eventually(&format!("{id} to disappear"), || async {
        describe(client, id).await.is_none().then_some(())
    })
    .await;
}

pub(crate) async fn available(client: &Client, users: &[&str], bundle: &str) -> Vec<String> {
    let ids = create(client, users, bundle).await;
    for id in &ids {
        wait_state(client, id, WorkspaceState::Available).await;
    }
    ids
}

pub(crate) async fn terminate(client: &Client, id: &str) {
    let out = client
        .terminate_workspaces()
        .terminate_workspace_requests(
            TerminateRequest::builder()
                .workspace_id(id)
                .build()
                .expect("complete request"),
        )
        .send()
        .await
        .expect("TerminateWorkspaces");
    assert!(out.failed_requests().is_empty());
}

pub(crate) fn always_on() -> WorkspaceProperties {
    WorkspaceProperties::builder()
        .running_mode(RunningMode::AlwaysOn)
        .build()
}

/// A raw HTTP exchange, for what the SDK cannot send.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: String,
}

impl RawResponse {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

pub(crate) async fn raw(
    sim: &Sim,
    method: &str,
    path: &str,
    target: Option<&str>,
    body: &str,
) -> RawResponse {
    let mut stream = tokio::net::TcpStream::connect(sim.addr())
        .await
        .expect("connect");
    let target = target
        .map(|t| format!("X-Amz-Target: {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.1\r\n{target}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        sim.addr(),
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut response))
        .await
        .expect("answer within 5 s")
        .expect("read");
    let (head, body) = response.split_once("\r\n\r\n").expect("HTTP head and body");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    RawResponse {
        status,
        head: head.to_lowercase(),
        body: body.to_owned(),
    }
}

/// A WorkSpaces API call as raw JSON.
pub(crate) async fn call(sim: &Sim, operation: &str, body: &str) -> RawResponse {
    raw(
        sim,
        "POST",
        "/",
        Some(&format!("WorkspacesService.{operation}")),
        body,
    )
    .await
}

/// A Resource Groups Tagging API call as raw JSON.
pub(crate) async fn tagging_call(sim: &Sim, operation: &str, body: &str) -> RawResponse {
    raw(
        sim,
        "POST",
        "/",
        Some(&format!("ResourceGroupsTaggingAPI_20170126.{operation}")),
        body,
    )
    .await
}

/// The account as `GET /_sim/state` shows it.
pub(crate) async fn state(sim: &Sim) -> Value {
    let r = raw(sim, "GET", "/_sim/state", None, "").await;
    assert_eq!(r.status, 200);
    r.json()
}

/// The internal user-volume id of a WorkSpace.
pub(crate) async fn user_volume(sim: &Sim, id: &str) -> String {
    state(sim).await["workspaces"][id]["user_volume_id"]
        .as_str()
        .expect("WorkSpace in state")
        .to_owned()
}
