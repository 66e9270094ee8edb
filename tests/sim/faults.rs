//! Faults on demand: throttling, 5xx, per-item failures, latency, seeds.

use std::time::{Duration, Instant};

use aws_sdk_workspaces::Client;
use wsctl::sim::{Faults, SimConfig};

use crate::common::*;

fn with(faults: Faults) -> SimConfig {
    SimConfig { faults, ..quick() }
}

#[tokio::test]
async fn throttling_is_retried_by_the_sdk_and_counted() {
    let (sim, client) = start(with(Faults {
        max_requests_per_second: Some(10),
        ..Faults::default()
    }))
    .await;
    // A burst of 10 passes; the SDK's backoff spreads the other 3 out.
    let calls = (0..13).map(|_| {
        let client = client.clone();
        async move { client.describe_account().send().await }
    });
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let stats = sim.stats().get("DescribeAccount");
    assert!(stats.throttled > 0, "{stats:?}");
    assert_eq!(stats.requests, 13 + stats.throttled);
}

#[tokio::test]
async fn server_errors_are_retried_and_counted() {
    let (sim, client) = start(SimConfig {
        seed: 7,
        ..with(Faults {
            server_error_rate: 0.3,
            ..Faults::default()
        })
    })
    .await;
    for _ in 0..10 {
        client
            .describe_account()
            .send()
            .await
            .expect("retried to success");
    }
    let stats = sim.stats().get("DescribeAccount");
    assert!(stats.failed > 0, "{stats:?}");
    assert_eq!(stats.requests, 10 + stats.failed);
    let raw_errors = {
        let mut n = 0;
        for _ in 0..20 {
            let r = call(&sim, "DescribeAccount", "{}").await;
            if r.status >= 500 {
                assert!(r.json()["__type"].is_string());
                n += 1;
            }
        }
        n
    };
    assert!(raw_errors > 0);
}

async fn failure_pattern(seed: u64) -> Vec<bool> {
    let (sim, client) = start(SimConfig {
        seed,
        ..with(Faults {
            failed_request_rate: 0.5,
            ..Faults::default()
        })
    })
    .await;
    let users: Vec<String> = (0..25).map(|i| format!("u{i}")).collect();
    let mut call = client.create_workspaces();
    for u in &users {
        call = call.workspaces(request(u, VALUE_BUNDLE));
    }
    let out = call.send().await.expect("create");
    let failed: Vec<&str> = out
        .failed_requests()
        .iter()
        .filter_map(|f| f.workspace_request().map(|r| r.user_name()))
        .collect();
    assert_eq!(
        out.failed_requests().len() + out.pending_requests().len(),
        25
    );
    assert_eq!(
        sim.stats().get("CreateWorkspaces").failed_items,
        out.failed_requests().len() as u64
    );
    users.iter().map(|u| failed.contains(&u.as_str())).collect()
}

#[tokio::test]
async fn failed_requests_fault_fails_items_and_replays_with_the_seed() {
    let first = failure_pattern(42).await;
    assert!(
        first.iter().any(|f| *f) && first.iter().any(|f| !*f),
        "{first:?}"
    );
    assert_eq!(failure_pattern(42).await, first);
}

#[tokio::test]
async fn every_item_fails_at_rate_one() {
    let (_sim, client) = start(with(Faults {
        failed_request_rate: 1.0,
        ..Faults::default()
    }))
    .await;
    let ids = {
        let out = client
            .create_workspaces()
            .workspaces(request("a", VALUE_BUNDLE))
            .workspaces(request("b", VALUE_BUNDLE))
            .send()
            .await
            .expect("create");
        assert!(out.pending_requests().is_empty());
        out.failed_requests().len()
    };
    assert_eq!(ids, 2);
}

async fn time_one_call(client: &Client) -> Duration {
    let started = Instant::now();
    client.describe_account().send().await.expect("call");
    started.elapsed()
}

#[tokio::test]
async fn latency_is_added_to_every_answer() {
    let (_sim, client) = start(with(Faults {
        latency: Duration::from_millis(80),
        ..Faults::default()
    }))
    .await;
    time_one_call(&client).await;
    assert!(time_one_call(&client).await >= Duration::from_millis(80));
}
