//! `wsctl usage`: is the fleet used? The account is read as `cost` reads
//! it; the WorkSpaces' connections and CloudWatch hours beside it
//! (`live::read_usage`), and the Price List; the verdicts are a pure
//! function (`usage::judge`), drawn by `render::usage_report`.

use std::process::ExitCode;

use super::cli::{Calls, UsageArgs, Window};
use super::connect::connect;
use super::{Error, load, read};
use crate::aws::ApiError;
use crate::live::{self, Scope};
use crate::prices::{StackWorkspaces, Today, read_prices};
use crate::render::usage_report;
use crate::spec::Fleet;
use crate::usage::{Report, judge};

pub(super) async fn usage(
    global: &super::cli::Global,
    args: &UsageArgs,
) -> Result<ExitCode, Error> {
    let fleet = load(&args.file)?;
    let (report, cloudwatch) = read_report(global, &fleet, &args.window, &args.calls).await?;
    if let Some(error) = cloudwatch {
        super::note(&format!(
            "hours are unknown, so verdicts rest on the last connection alone: {}",
            refused(error).message
        ));
    }
    out!("{}", usage_report(&report, args.format));
    Ok(ExitCode::SUCCESS)
}

/// The stack's WorkSpaces judged over `window`, and CloudWatch's error
/// when it could not be read (the report then has no hours).
pub(super) async fn read_report(
    global: &super::cli::Global,
    fleet: &Fleet,
    window: &Window,
    calls: &Calls,
) -> Result<(Report, Option<ApiError>), Error> {
    let connection = connect(
        global,
        fleet.settings.region.as_deref(),
        calls.parallelism.into(),
    )
    .await?;
    let tag_reads = calls.tag_reads.unwrap_or(fleet.settings.tag_reads);
    let live = read(&connection, &Scope::of_fleet(fleet, tag_reads)).await?;
    let owned = StackWorkspaces::of(&live, &fleet.settings.stack);
    let ids: Vec<String> = owned.workspaces().iter().map(|w| w.id.clone()).collect();
    let span = live::Window::days_before(crate::clock::now(), window.days);
    let used = live::read_usage(&connection.aws, &ids, span)
        .await
        .map_err(|error| Error::from_call(error, &connection.endpoint))?;
    // `connect` refuses AWS without a region; the simulator always has one.
    let region = connection.region.as_deref().unwrap_or("us-east-1");
    let mut cache = connection.prices.clone();
    cache.refresh = window.refresh_prices;
    let prices = read_prices(&connection.aws, region, &owned.computes(), &cache)
        .await
        .map_err(|error| Error::from_call(error, &connection.endpoint))?;
    for text in &prices.notes {
        super::note(text);
    }
    let report = judge(
        &owned,
        &live,
        &used,
        &prices.book,
        &Today::now(),
        window.days,
    );
    Ok((report, used.samples.err()))
}

/// CloudWatch's refusal, with what it means here and, for a denial, the
/// permission it takes.
pub(super) fn refused(error: ApiError) -> ApiError {
    let help = if live::is_denied(&error) {
        "; grant cloudwatch:GetMetricData to the identity wsctl runs as"
    } else {
        ""
    };
    ApiError {
        message: format!("{}{help}", error.message),
        ..error
    }
}
