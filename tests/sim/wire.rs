//! The wire protocol seen raw, and the `/_sim/*` introspection.

use crate::common::*;

#[tokio::test]
async fn unknown_operation_and_malformed_bodies_get_clean_400s() {
    let (sim, _client) = sim().await;
    let unknown = call(&sim, "FlyToTheMoon", "{}").await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json()["__type"], "UnknownOperationException");
    assert!(unknown.head.contains("x-amzn-requestid: "));
    assert!(
        unknown
            .head
            .contains("content-type: application/x-amz-json-1.1")
    );
    let missing = raw(&sim, "POST", "/", None, "{}").await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json()["__type"], "UnknownOperationException");
    for body in ["{not json", "[1, 2]", "{\"Workspaces\": 5}"] {
        let r = call(&sim, "CreateWorkspaces", body).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.json()["__type"], "SerializationException", "{body}");
    }
    let ok = call(&sim, "DescribeAccount", "").await;
    assert_eq!(ok.status, 200, "an empty body reads as {{}}");
    assert_eq!(ok.json()["DedicatedTenancySupport"], "DISABLED");
    assert!(
        ok.json()
            .get("DedicatedTenancyManagementCidrRange")
            .is_none(),
        "unset members are omitted"
    );
    let elsewhere = raw(&sim, "GET", "/nothing", None, "").await;
    assert_eq!(elsewhere.status, 404);
}

#[tokio::test]
async fn timestamps_are_epoch_seconds() {
    let (sim, _client) = sim().await;
    let r = call(&sim, "DescribeWorkspaceBundles", r#"{"Owner":"AMAZON"}"#).await;
    let created = &r.json()["Bundles"][0]["CreationTime"];
    assert_eq!(created.as_f64(), Some(1_704_067_200.0));
}

#[tokio::test]
async fn stats_count_requests_and_failures_per_operation() {
    let (sim, client) = sim().await;
    create(&client, &["alice"], VALUE_BUNDLE).await;
    client
        .create_workspaces()
        .workspaces(request("x", "nope"))
        .send()
        .await
        .expect_err("invalid");
    let r = raw(&sim, "GET", "/_sim/stats", None, "").await;
    let create_stats = &r.json()["operations"]["CreateWorkspaces"];
    assert_eq!(create_stats["requests"], 2);
    assert_eq!(create_stats["failed"], 1);
    assert_eq!(create_stats["throttled"], 0);
    assert_eq!(sim.stats().get("CreateWorkspaces").requests, 2);
}

#[tokio::test]
async fn reset_returns_to_the_seed_and_zeroes_stats() {
    let (sim, client) = sim().await;
    let id = create(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    assert!(state(&sim).await["workspaces"].get(&id).is_some());
    let r = raw(&sim, "POST", "/_sim/reset", None, "").await;
    assert_eq!(r.status, 200);
    assert!(sim.stats().operations.is_empty());
    let after = state(&sim).await;
    assert_eq!(after["workspaces"].as_object().map(|m| m.len()), Some(0));
    assert!(after["bundles"].get(VALUE_BUNDLE).is_some());
}
