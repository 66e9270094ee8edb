//! What both integration-test binaries share (`tests/cli`, `tests/sim.rs`):
//! a simulator started as a library with short delays, the SDK clients and
//! raw HTTP that talk to it, and waiting on it with a deadline.
//!
//! Both binaries include this file, so it holds only what both use; what
//! one alone needs stays in its own harness (`tests/cli/harness.rs`,
//! `tests/sim/common.rs`), where an unused helper would be dead code.

use std::future::Future;
use std::time::{Duration, Instant};

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{Tag, Workspace, WorkspaceState};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wsctl::sim::{Sim, SimConfig};

/// The seeded AMAZON bundle "Standard with Windows 10 (Server 2022 based)".
pub(crate) const STANDARD_BUNDLE: &str = "wsb-w10stand0";

/// Short delays so tests finish fast; waits poll with a deadline.
pub(crate) fn quick() -> SimConfig {
    SimConfig {
        settle: Duration::from_millis(50),
        visibility: Duration::from_millis(30),
        ..SimConfig::default()
    }
}

/// A simulator on a free loopback port, in this process.
pub(crate) async fn simulator(config: SimConfig) -> Sim {
    wsctl::sim::start(config).await.expect("simulator starts")
}

/// A WorkSpaces client for the simulator.
/// A WorkSpaces client for the simulator, retrying throttled calls as
/// wsctl does, so a test's own reads survive a throttled simulator.
pub(crate) fn client(sim: &Sim) -> Client {
    Client::from_conf(
        wsctl::sim::client_config(&sim.url())
            .to_builder()
            .retry_config(wsctl::aws::retry_config())
            .retry_partition(wsctl::aws::retry_partition())
            .build(),
    )
}

/// A Resource Groups Tagging API client for the simulator.
pub(crate) fn tagging(sim: &Sim) -> aws_sdk_resourcegroupstagging::Client {
    aws_sdk_resourcegroupstagging::Client::from_conf(wsctl::sim::tagging_client_config(&sim.url()))
}

/// Polls `f` until it returns `Some`, failing after ten seconds.
pub(crate) async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub(crate) fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("complete tag")
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

/// A raw HTTP exchange, for what the SDK cannot send: the simulator's
/// `/_sim/` controls, and requests no SDK would make.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    /// The status line and headers, lowercased.
    pub(crate) head: String,
    pub(crate) body: String,
}

impl RawResponse {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

/// `method path` with `body`: the simulator's controls (`/_sim/`) as JSON,
/// which they require, the rest as the SDK sends it (awsJson1_1, with
/// `target` as its `X-Amz-Target`).
pub(crate) async fn raw(
    sim: &Sim,
    method: &str,
    path: &str,
    target: Option<&str>,
    body: &str,
) -> RawResponse {
    let content_type = if path.starts_with("/_sim/") {
        "application/json"
    } else {
        "application/x-amz-json-1.1"
    };
    let mut headers = vec![("Content-Type", content_type)];
    headers.extend(target.map(|t| ("X-Amz-Target", t)));
    raw_with(sim.addr(), method, path, &headers, body).await
}

/// `method path` with exactly `headers` (besides Host, Content-Length and
/// Connection) to the server at `addr`.
pub(crate) async fn raw_with(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> RawResponse {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
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

/// The account as `GET /_sim/state` shows it.
pub(crate) async fn state(sim: &Sim) -> Value {
    let r = raw(sim, "GET", "/_sim/state", None, "").await;
    assert_eq!(r.status, 200, "{}", r.head);
    r.json()
}
