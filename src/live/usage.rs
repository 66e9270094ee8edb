//! How the stack's WorkSpaces are used, read in bulk: each one's last
//! known connection (`DescribeWorkspacesConnectionStatus`, 25 ids a call)
//! and the time a user was connected over a window (CloudWatch
//! `GetMetricData`, `AWS/WorkSpaces` `UserConnected` by `WorkspaceId`,
//! 500 queries a call). The calls of each kind run concurrently within the
//! run's call limit; what they read is plain data for `usage` to judge.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_smithy_types::DateTime;
use futures::{StreamExt, TryStreamExt, stream};

use super::PAGE;
use super::tags::CONCURRENT_READS;
use crate::aws::{ApiError, Aws, all_pages};

/// Queries in one `GetMetricData` call: AWS's limit.
pub const QUERIES_PER_CALL: usize = 500;
/// Data points one `GetMetricData` call returns at most: AWS's limit.
const POINTS_PER_CALL: u64 = 100_800;
/// The metric: WorkSpaces publishes it every five minutes while a
/// WorkSpace runs, 1 when a user is connected.
pub const NAMESPACE: &str = "AWS/WorkSpaces";
pub const METRIC: &str = "UserConnected";
pub const DIMENSION: &str = "WorkspaceId";
/// Minutes each `UserConnected` sample stands for.
pub const SAMPLE_MINUTES: f64 = 5.0;

/// The span of time usage is read over, in seconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

impl Window {
    /// The `days` before `now`, ending on the hour (CloudWatch aligns
    /// periods of an hour or more to the hour).
    pub fn days_before(now: u64, days: u32) -> Window {
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        let end = now - now.rem_euclid(3600);
        Window {
            start: end - i64::from(days) * 86_400,
            end,
        }
    }

    pub fn seconds(&self) -> i64 {
        (self.end - self.start).max(0)
    }

    pub fn hours(&self) -> f64 {
        self.seconds() as f64 / 3600.0
    }
}

/// A WorkSpace's connection as DescribeWorkspacesConnectionStatus reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionStatus {
    /// CONNECTED, DISCONNECTED or UNKNOWN (AWS's answer for a stopped
    /// WorkSpace); None when AWS said nothing.
    pub state: Option<String>,
    /// Seconds since the epoch; None for a WorkSpace nobody connected to.
    pub last_connected: Option<i64>,
}

/// One WorkSpace's `UserConnected` sums, one per period with samples.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Samples {
    pub period_seconds: i64,
    /// (start of the period, sum of its samples), oldest first.
    pub points: Vec<(i64, f64)>,
}

/// What was read of the WorkSpaces' usage.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    pub window: Window,
    /// By WorkSpace id.
    pub connections: BTreeMap<String, ConnectionStatus>,
    /// By WorkSpace id; the error when CloudWatch could not be read.
    pub samples: Result<BTreeMap<String, Samples>, ApiError>,
}

/// The usage of the WorkSpaces `ids` over `window`. A refusal by
/// CloudWatch is kept in `samples` (the connection reads still count);
/// a failure of DescribeWorkspacesConnectionStatus ends the read.
pub async fn read_usage(aws: &Aws, ids: &[String], window: Window) -> Result<Usage, ApiError> {
    let (connections, samples) =
        tokio::join!(connections(aws, ids), read_samples(aws, ids, window));
    Ok(Usage {
        window,
        connections: connections?,
        samples,
    })
}

async fn connections(
    aws: &Aws,
    ids: &[String],
) -> Result<BTreeMap<String, ConnectionStatus>, ApiError> {
    let pages: Vec<Vec<(String, ConnectionStatus)>> = stream::iter(ids.chunks(PAGE))
        .map(|chunk| connections_of(aws, chunk))
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await?;
    Ok(pages.into_iter().flatten().collect())
}

/// One call's worth of ids (at most 25), paged should AWS page it.
async fn connections_of(
    aws: &Aws,
    chunk: &[String],
) -> Result<Vec<(String, ConnectionStatus)>, ApiError> {
    all_pages(
        aws,
        "DescribeWorkspacesConnectionStatus",
        |token| {
            aws.workspaces
                .describe_workspaces_connection_status()
                .set_workspace_ids(Some(chunk.to_vec()))
                .set_next_token(token)
                .send()
        },
        |page, items: &mut Vec<(String, ConnectionStatus)>| {
            for status in page.workspaces_connection_status() {
                let Some(id) = status.workspace_id() else {
                    continue;
                };
                items.push((
                    id.to_owned(),
                    ConnectionStatus {
                        state: status.connection_state().map(|s| s.as_str().to_owned()),
                        last_connected: status
                            .last_known_user_connection_timestamp()
                            .map(DateTime::secs),
                    },
                ));
            }
            page.next_token().map(str::to_owned)
        },
    )
    .await
}

/// The smallest whole number of hours a period can be so that `queries`
/// series over `window` fit one call's data points.
pub fn period_for(queries: usize, window: Window) -> i64 {
    let queries = u64::try_from(queries.max(1)).unwrap_or(u64::MAX);
    let per_query = (POINTS_PER_CALL / queries).max(1);
    let hours = u64::try_from(window.seconds().div_euclid(3600)).unwrap_or(0);
    let period_hours = hours.div_ceil(per_query).max(1);
    i64::try_from(period_hours * 3600).unwrap_or(i64::MAX)
}

/// The `UserConnected` sums of the WorkSpaces `ids` over `window`, one
/// `GetMetricData` call per 500: all `plan --usage-hours` reads.
pub async fn read_samples(
    aws: &Aws,
    ids: &[String],
    window: Window,
) -> Result<BTreeMap<String, Samples>, ApiError> {
    let calls: Vec<BTreeMap<String, Samples>> = stream::iter(ids.chunks(QUERIES_PER_CALL))
        .map(|chunk| samples_of(aws, chunk, window))
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await?;
    Ok(calls.into_iter().flatten().collect())
}

/// One `GetMetricData` call for at most 500 WorkSpaces, query `wN` for the
/// Nth id, paged should AWS page it.
async fn samples_of(
    aws: &Aws,
    chunk: &[String],
    window: Window,
) -> Result<BTreeMap<String, Samples>, ApiError> {
    let period = period_for(chunk.len(), window);
    let period_field = i32::try_from(period).unwrap_or(i32::MAX);
    let queries: Vec<MetricDataQuery> = chunk
        .iter()
        .enumerate()
        .map(|(n, id)| query(n, id, period_field))
        .collect();
    let results = all_pages(
        aws,
        "GetMetricData",
        |token| {
            aws.cloudwatch
                .get_metric_data()
                .set_metric_data_queries(Some(queries.clone()))
                .start_time(DateTime::from_secs(window.start))
                .end_time(DateTime::from_secs(window.end))
                .scan_by(ScanBy::TimestampAscending)
                .set_next_token(token)
                .send()
        },
        |page, items: &mut Vec<(String, Vec<(i64, f64)>)>| {
            for result in page.metric_data_results() {
                let points = result
                    .timestamps()
                    .iter()
                    .map(DateTime::secs)
                    .zip(result.values().iter().copied())
                    .collect();
                items.push((result.id().unwrap_or_default().to_owned(), points));
            }
            page.next_token().map(str::to_owned)
        },
    )
    .await?;
    let mut by_id: BTreeMap<String, Samples> = BTreeMap::new();
    for (query_id, points) in results {
        let Some(id) = query_index(&query_id).and_then(|n| chunk.get(n)) else {
            continue;
        };
        let samples = by_id.entry(id.clone()).or_insert_with(|| Samples {
            period_seconds: period,
            points: Vec::new(),
        });
        samples.points.extend(points);
    }
    for samples in by_id.values_mut() {
        samples.points.sort_by_key(|(at, _)| *at);
    }
    Ok(by_id)
}

fn query(n: usize, id: &str, period: i32) -> MetricDataQuery {
    let metric = Metric::builder()
        .namespace(NAMESPACE)
        .metric_name(METRIC)
        .dimensions(Dimension::builder().name(DIMENSION).value(id).build())
        .build();
    MetricDataQuery::builder()
        .id(format!("w{n}"))
        .metric_stat(
            MetricStat::builder()
                .metric(metric)
                .period(period)
                .stat("Sum")
                .build(),
        )
        .return_data(true)
        .build()
}

/// `w12` → 12.
fn query_index(query_id: &str) -> Option<usize> {
    query_id.strip_prefix('w')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(days: i64) -> Window {
        Window {
            start: 0,
            end: days * 86_400,
        }
    }

    #[test]
    fn the_period_keeps_a_call_within_its_data_points() {
        assert_eq!(period_for(1, days(30)), 3600);
        assert_eq!(period_for(139, days(30)), 3600);
        assert_eq!(period_for(500, days(30)), 4 * 3600);
        assert_eq!(period_for(500, days(90)), 11 * 3600);
        for (queries, window) in [(500, days(30)), (500, days(455)), (7, days(1))] {
            let period = period_for(queries, window);
            let points = (window.seconds() / period) as u64 * queries as u64;
            assert!(points <= POINTS_PER_CALL, "{queries} over {window:?}");
            assert_eq!(period % 3600, 0);
        }
    }

    #[test]
    fn the_window_ends_on_the_hour() {
        let window = Window::days_before(1_795_996_799, 30);
        assert_eq!(window.end, 1_795_993_200);
        assert_eq!(window.seconds(), 30 * 86_400);
    }

    #[test]
    fn query_ids_name_their_workspace() {
        assert_eq!(query_index("w0"), Some(0));
        assert_eq!(query_index("w499"), Some(499));
        assert_eq!(query_index("x1"), None);
    }
}
