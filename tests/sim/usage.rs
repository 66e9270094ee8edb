//! Usage through the real clients: `DescribeWorkspacesConnectionStatus`
//! (awsJson1_1, `aws-sdk-workspaces`) and CloudWatch `GetMetricData`
//! (Smithy RPC v2 CBOR, `aws-sdk-cloudwatch`), from profiles drawn from the
//! seed or set with `POST /_sim/usage`.

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_sdk_workspaces::types::{ConnectionState, WorkspaceState};
use aws_smithy_types::DateTime;
use wsctl::sim::{Faults, Sim, SimConfig};

use crate::common::*;

fn cloudwatch(sim: &Sim) -> aws_sdk_cloudwatch::Client {
    aws_sdk_cloudwatch::Client::from_conf(wsctl::sim::cloudwatch_client_config(&sim.url()))
}

/// Monday 2026-11-23 00:00 UTC.
const MONDAY: i64 = 1_795_392_000;

fn query(n: usize, workspace_id: &str, period: i32) -> MetricDataQuery {
    MetricDataQuery::builder()
        .id(format!("q{n}"))
        .metric_stat(
            MetricStat::builder()
                .metric(
                    Metric::builder()
                        .namespace("AWS/WorkSpaces")
                        .metric_name("UserConnected")
                        .dimensions(
                            Dimension::builder()
                                .name("WorkspaceId")
                                .value(workspace_id)
                                .build(),
                        )
                        .build(),
                )
                .period(period)
                .stat("Sum")
                .build(),
        )
        .build()
}

/// A week of `UserConnected` sums by day for `ids`, in query order.
async fn week(sim: &Sim, ids: &[String]) -> Vec<Vec<f64>> {
    let output = cloudwatch(sim)
        .get_metric_data()
        .set_metric_data_queries(Some(
            ids.iter()
                .enumerate()
                .map(|(n, id)| query(n, id, 86_400))
                .collect(),
        ))
        .start_time(DateTime::from_secs(MONDAY))
        .end_time(DateTime::from_secs(MONDAY + 7 * 86_400))
        .scan_by(ScanBy::TimestampAscending)
        .send()
        .await
        .expect("GetMetricData");
    let results = output.metric_data_results();
    assert_eq!(results.len(), ids.len());
    results
        .iter()
        .map(|r| {
            assert_eq!(r.timestamps().len(), r.values().len());
            r.values().to_vec()
        })
        .collect()
}

#[tokio::test]
async fn user_connected_follows_each_profile_over_cbor() {
    let (sim, client) = sim().await;
    let ids = create(&client, &["heavy", "light", "nobody"], STANDARD_BUNDLE).await;
    set_usage(
        &sim,
        r#"{"profiles": {"Heavy": "heavy", "light": "light", "nobody": "never"}}"#,
    )
    .await;
    let sums = week(&sim, &ids).await;
    // Ten hours of 12 samples each working day; two on Tuesday and Thursday.
    assert_eq!(sums[0], [120.0; 5]);
    assert_eq!(sums[1], [24.0, 24.0]);
    assert!(sums[2].is_empty());
    assert_eq!(sim.stats().get("GetMetricData").requests, 1);
}

#[tokio::test]
async fn the_seed_draws_the_same_history_for_a_workspace_made_at_any_time() {
    let users: Vec<String> = (0..30).map(|n| format!("user{n:02}")).collect();
    let names: Vec<&str> = users.iter().map(String::as_str).collect();
    let config = || SimConfig { seed: 7, ..quick() };
    let (first, first_client) = start(config()).await;
    let (second, second_client) = start(config()).await;
    let first_ids = create(&first_client, &names[..25], STANDARD_BUNDLE).await;
    let second_ids = create(&second_client, &names[..25], STANDARD_BUNDLE).await;
    let a = week(&first, &first_ids).await;
    assert_eq!(a, week(&second, &second_ids).await);
    assert!(a.iter().any(|s| s.len() == 5), "a heavy user: {a:?}");
    assert!(a.iter().any(|s| s.len() == 2), "a light user: {a:?}");
    assert!(a.iter().any(Vec::is_empty), "one who never connects: {a:?}");
}

#[tokio::test]
async fn connection_status_names_the_last_connection_and_none_when_stopped() {
    let (sim, client) = sim().await;
    let ids = create(&client, &["heavy", "nobody"], STANDARD_BUNDLE).await;
    set_usage(
        &sim,
        r#"{"profiles": {"heavy": "heavy", "nobody": "never"}}"#,
    )
    .await;
    wait_state(&client, &ids[0], WorkspaceState::Available).await;
    wait_state(&client, &ids[1], WorkspaceState::Available).await;
    let status = |client: aws_sdk_workspaces::Client, ids: Vec<String>| async move {
        client
            .describe_workspaces_connection_status()
            .set_workspace_ids(Some(ids))
            .send()
            .await
            .expect("DescribeWorkspacesConnectionStatus")
            .workspaces_connection_status()
            .to_vec()
    };
    let statuses = status(client.clone(), ids.clone()).await;
    assert_eq!(statuses.len(), 2);
    let heavy = &statuses[0];
    assert!(heavy.last_known_user_connection_timestamp().is_some());
    assert!(matches!(
        heavy.connection_state(),
        Some(ConnectionState::Connected | ConnectionState::Disconnected)
    ));
    assert_eq!(statuses[1].last_known_user_connection_timestamp(), None);
    let response = raw(
        &sim,
        "POST",
        &format!("/_sim/workspaces/{}/state/STOPPED", ids[0]),
        None,
        "",
    )
    .await;
    assert_eq!(response.status, 200);
    let stopped = status(client.clone(), vec![ids[0].clone()]).await;
    assert_eq!(stopped[0].connection_state(), None);
    assert!(stopped[0].last_known_user_connection_timestamp().is_some());
    let too_many: Vec<String> = (0..26).map(|n| format!("ws-{n:08}")).collect();
    let error = client
        .describe_workspaces_connection_status()
        .set_workspace_ids(Some(too_many))
        .send()
        .await
        .expect_err("26 ids");
    assert_eq!(
        aws_sdk_workspaces::error::ProvideErrorMetadata::code(&error),
        Some("InvalidParameterValuesException")
    );
}

#[tokio::test]
async fn get_metric_data_keeps_cloudwatch_limits_and_errors() {
    let (sim, client) = sim().await;
    let ids = create(&client, &["alice"], STANDARD_BUNDLE).await;
    let queries: Vec<MetricDataQuery> = (0..501).map(|n| query(n, &ids[0], 3600)).collect();
    let error = cloudwatch(&sim)
        .get_metric_data()
        .set_metric_data_queries(Some(queries))
        .start_time(DateTime::from_secs(MONDAY))
        .end_time(DateTime::from_secs(MONDAY + 86_400))
        .send()
        .await
        .expect_err("501 queries");
    assert_eq!(
        aws_sdk_cloudwatch::error::ProvideErrorMetadata::code(&error),
        Some("InvalidParameterValue")
    );
    let error = cloudwatch(&sim)
        .get_metric_data()
        .metric_data_queries(query(0, &ids[0], 60))
        .start_time(DateTime::from_secs(MONDAY - 400 * 86_400))
        .end_time(DateTime::from_secs(MONDAY))
        .send()
        .await
        .expect_err("400 days a minute at a time");
    assert_eq!(
        aws_sdk_cloudwatch::error::ProvideErrorMetadata::code(&error),
        Some("InvalidParameterValue")
    );
    // Five weeks of a heavy user are 250 connected hours: 500 hourly series
    // are 125,000 points, more than one call's 100,800.
    set_usage(&sim, r#"{"profiles": {"alice": "heavy"}}"#).await;
    let everyone: Vec<MetricDataQuery> = (0..500).map(|n| query(n, &ids[0], 3600)).collect();
    let mut token = None;
    let mut pages = 0;
    let mut points = 0;
    loop {
        let page = cloudwatch(&sim)
            .get_metric_data()
            .set_metric_data_queries(Some(everyone.clone()))
            .start_time(DateTime::from_secs(MONDAY - 28 * 86_400))
            .end_time(DateTime::from_secs(MONDAY + 7 * 86_400))
            .set_next_token(token)
            .send()
            .await
            .expect("a page");
        pages += 1;
        points += page
            .metric_data_results()
            .iter()
            .map(|r| r.values().len())
            .sum::<usize>();
        token = page.next_token().map(str::to_owned);
        if token.is_none() || pages > 10 {
            break;
        }
    }
    assert_eq!((pages, points), (2, 125_000));
}

#[tokio::test]
async fn cloudwatch_access_denied_is_the_query_error_the_sdk_reads() {
    let config = SimConfig {
        faults: Faults {
            cloudwatch_access_denied: true,
            ..Faults::default()
        },
        ..quick()
    };
    let (sim, _client) = start(config).await;
    let error = cloudwatch(&sim)
        .get_metric_data()
        .metric_data_queries(query(0, "ws-00000000", 3600))
        .start_time(DateTime::from_secs(MONDAY))
        .end_time(DateTime::from_secs(MONDAY + 3600))
        .send()
        .await
        .expect_err("denied");
    assert_eq!(
        aws_sdk_cloudwatch::error::ProvideErrorMetadata::code(&error),
        Some("AccessDenied")
    );
    assert!(
        aws_sdk_cloudwatch::error::ProvideErrorMetadata::message(&error)
            .is_some_and(|m| m.contains("cloudwatch:GetMetricData")),
        "{error:?}"
    );
}

#[tokio::test]
async fn usage_controls_refuse_what_is_not_a_profile() {
    let (sim, _client) = sim().await;
    let response = raw(
        &sim,
        "POST",
        "/_sim/usage",
        None,
        r#"{"profiles": {"a": "often"}}"#,
    )
    .await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(response.body.contains("heavy"), "{}", response.body);
}
