//! Usage: WorkSpaces' `DescribeWorkspacesConnectionStatus` and
//! CloudWatch's `GetMetricData` for `AWS/WorkSpaces` `UserConnected`, both
//! read from each WorkSpace's usage profile (`sim::usage`).

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, offset_page, parse, secs};
use crate::sim::account::{Workspace, state};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::usage::seconds;
use crate::sim::validate::{list_size, workspace_id};

/// `WorkspaceIds` takes at most 25, and a page without them holds 25.
const PAGE: usize = 25;
/// CloudWatch's limits on one `GetMetricData` call.
const MAX_QUERIES: usize = 500;
const MAX_POINTS: usize = 100_800;
const MAX_SPAN_SECONDS: f64 = 455.0 * 86_400.0;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StatusInput {
    workspace_ids: Option<Vec<String>>,
    next_token: Option<String>,
}

pub(super) fn describe_connection_status(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: StatusInput = parse(body)?;
    let account = &*ctx.account;
    let (listed, next): (Vec<&Workspace>, Option<String>) = match &input.workspace_ids {
        Some(ids) => {
            list_size(ids, "WorkspaceIds", 1, PAGE)?;
            for id in ids {
                workspace_id(id, "WorkspaceIds")?;
            }
            let found = ids
                .iter()
                .filter_map(|id| account.workspaces.get(id))
                .collect();
            (found, None)
        }
        None => {
            let all: Vec<&Workspace> = account.workspaces.values().collect();
            offset_page(&all, "status", input.next_token.as_deref(), PAGE)?
        }
    };
    let now = seconds(ctx.now);
    let statuses: Vec<Value> = listed
        .into_iter()
        .filter(|ws| ws.visible_at <= ctx.now && ws.state != state::TERMINATING)
        .map(|ws| {
            let profile = account.profile(ctx.seed, ws);
            let last = profile.last_connection(now);
            // AWS knows no connection state of a stopped WorkSpace.
            let connection = (ws.state != state::STOPPED).then(|| {
                if last == Some(now) {
                    "CONNECTED"
                } else {
                    "DISCONNECTED"
                }
            });
            json!({
                "WorkspaceId": ws.id,
                "ConnectionState": connection,
                "ConnectionStateCheckTimestamp": connection.map(|_| secs(ctx.now)),
                "LastKnownUserConnectionTimestamp": last.map(|at| at as f64),
            })
        })
        .collect();
    Ok(json!({ "WorkspacesConnectionStatus": statuses, "NextToken": next }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetricDataInput {
    metric_data_queries: Option<Vec<Query>>,
    start_time: Option<f64>,
    end_time: Option<f64>,
    next_token: Option<String>,
    scan_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Query {
    id: String,
    metric_stat: Option<MetricStat>,
    return_data: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetricStat {
    metric: Metric,
    period: i64,
    stat: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Metric {
    namespace: Option<String>,
    metric_name: Option<String>,
    #[serde(default)]
    dimensions: Vec<Dimension>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Dimension {
    name: String,
    value: String,
}

/// A checked request: its queries, its span, and where this page starts.
struct Checked {
    queries: Vec<Query>,
    start: i64,
    end: i64,
    first: usize,
    ascending: bool,
}

fn check(input: MetricDataInput) -> ApiResult<Checked> {
    let queries = input.metric_data_queries.unwrap_or_default();
    list_size(&queries, "MetricDataQueries", 1, MAX_QUERIES)?;
    let mut ids = HashSet::new();
    for query in &queries {
        let id_ok = query.id.starts_with(|c: char| c.is_ascii_lowercase())
            && query
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !id_ok || !ids.insert(query.id.as_str()) {
            return Err(ApiError::invalid(format!(
                "The value {} for parameter MetricDataQueries.member.Id is not valid or is not unique.",
                query.id
            )));
        }
        let stat = query.metric_stat.as_ref().ok_or_else(|| {
            ApiError::invalid("The parameter MetricDataQueries.member.MetricStat is required (expressions are not simulated).")
        })?;
        if stat.period <= 0 || stat.period % 60 != 0 {
            return Err(ApiError::invalid(
                "The parameter MetricDataQueries.member.MetricStat.Period must be a multiple of 60.",
            ));
        }
    }
    let (Some(start), Some(end)) = (input.start_time, input.end_time) else {
        return Err(ApiError::invalid("StartTime and EndTime are required."));
    };
    if start >= end {
        return Err(ApiError::invalid(
            "The parameter StartTime must be less than the parameter EndTime.",
        ));
    }
    // CloudWatch keeps hourly data 455 days: a longer span has nothing more,
    // and a bound keeps every query's loop over its periods short.
    if end - start > MAX_SPAN_SECONDS {
        return Err(ApiError::invalid(format!(
            "The span from StartTime to EndTime must be at most {} days.",
            MAX_SPAN_SECONDS / 86_400.0
        )));
    }
    if queries
        .iter()
        .filter_map(|q| q.metric_stat.as_ref())
        .any(|stat| (end - start) / stat.period as f64 > MAX_POINTS as f64)
    {
        return Err(ApiError::invalid(format!(
            "A query may ask for at most {MAX_POINTS} periods."
        )));
    }
    let first = match &input.next_token {
        None => 0,
        Some(token) => super::decode_token(token, "metrics")?
            .parse()
            .map_err(|_| ApiError::invalid(format!("NextToken '{token}' is not valid.")))?,
    };
    Ok(Checked {
        queries,
        start: start as i64,
        end: end as i64,
        first,
        ascending: input.scan_by.as_deref() == Some("TimestampAscending"),
    })
}

pub(super) fn get_metric_data(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: MetricDataInput = parse(body)?;
    let checked = check(input)?;
    let mut results = Vec::new();
    let mut points = 0;
    let mut next = None;
    for (n, query) in checked.queries.iter().enumerate().skip(checked.first) {
        let series = series(ctx, query, &checked);
        if points + series.len() > MAX_POINTS && !results.is_empty() {
            next = Some(super::encode_token("metrics", &n.to_string()));
            break;
        }
        points += series.len();
        if query.return_data == Some(false) {
            continue;
        }
        let (timestamps, values): (Vec<f64>, Vec<f64>) = series.into_iter().unzip();
        results.push(json!({
            "Id": query.id,
            "Label": query.metric_stat.as_ref().and_then(|s| s.metric.metric_name.clone()),
            "Timestamps": timestamps,
            "Values": values,
            "StatusCode": "Complete",
        }));
    }
    Ok(json!({ "MetricDataResults": results, "Messages": [], "NextToken": next }))
}

/// The query's points: for `UserConnected` of a WorkSpace of the account,
/// each period with a user connected and its statistic; nothing for any
/// other metric, as CloudWatch has no data for it.
fn series(ctx: &Ctx<'_>, query: &Query, checked: &Checked) -> Vec<(f64, f64)> {
    let Some(stat) = &query.metric_stat else {
        return Vec::new();
    };
    let metric = &stat.metric;
    let ours = metric.namespace.as_deref() == Some("AWS/WorkSpaces")
        && metric.metric_name.as_deref() == Some("UserConnected");
    let workspace = match metric.dimensions.as_slice() {
        [d] if ours && d.name == "WorkspaceId" => ctx.account.workspaces.get(&d.value),
        _ => None,
    };
    let Some(workspace) = workspace else {
        return Vec::new();
    };
    let profile = ctx.account.profile(ctx.seed, workspace);
    let periods = (checked.end - checked.start).div_euclid(stat.period).max(0);
    let mut points: Vec<(f64, f64)> = (0..periods)
        .filter_map(|p| {
            let from = checked.start + p * stat.period;
            let samples = profile.samples(from, from + stat.period);
            let value = match stat.stat.as_str() {
                "Sum" => f64::from(samples),
                "SampleCount" => f64::from(samples),
                _ => 1.0,
            };
            (samples > 0).then_some((from as f64, value))
        })
        .collect();
    if !checked.ascending {
        points.reverse();
    }
    points
}
