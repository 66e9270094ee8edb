//! `wsctl cost`: the stack's monthly run-rate as it is now. The account is
//! read as `plan` reads it, the Price List beside it; pricing and grouping
//! are a pure function (`prices::StackWorkspaces`), drawn by
//! `render::cost_report`. Unlike `plan`, which goes on without prices, this
//! command is nothing without them: a Price List that cannot be read ends
//! it with exit 1.

use std::process::ExitCode;

use super::cli::{CostArgs, Global};
use super::connect::connect;
use super::{Error, load, read};
use crate::aws::ApiError;
use crate::live::Scope;
use crate::prices::{Assumptions, DEFAULT_AUTO_STOP_HOURS, GroupBy, StackWorkspaces, read_prices};
use crate::render::cost_report;

pub(super) async fn cost(global: &Global, args: &CostArgs) -> Result<ExitCode, Error> {
    let fleet = load(&args.file)?;
    let connection = connect(
        global,
        fleet.settings.region.as_deref(),
        args.calls.parallelism.into(),
    )
    .await?;
    let tag_reads = args.calls.tag_reads.unwrap_or(fleet.settings.tag_reads);
    let live = read(&connection, &Scope::of_fleet(&fleet, tag_reads)).await?;
    let owned = StackWorkspaces::of(&live, &fleet.settings.stack);
    // `connect` refuses AWS without a region; the simulator always has one.
    let region = connection.region.as_deref().unwrap_or("us-east-1");
    let mut cache = connection.prices.clone();
    cache.refresh = args.refresh_prices;
    let prices = read_prices(&connection.aws, region, &owned.computes(), &cache)
        .await
        .map_err(
            |error| match Error::from_call(error, &connection.endpoint) {
                Error::Api(error) => Error::Api(unread(error)),
                unreachable => unreachable,
            },
        )?;
    for text in &prices.notes {
        super::note(text);
    }
    let assumptions = Assumptions {
        auto_stop_hours_per_month: args
            .auto_stop_hours
            .or(fleet.settings.auto_stop_hours_per_month)
            .unwrap_or(DEFAULT_AUTO_STOP_HOURS),
    };
    let by = if args.by.is_empty() {
        GroupBy::DEFAULT.to_vec()
    } else {
        args.by.clone()
    };
    let run_rate = owned.priced(&prices.book, assumptions, &by);
    out!("{}", cost_report(&run_rate, args.format));
    Ok(ExitCode::SUCCESS)
}

/// The Price List's refusal, with what it means here and, for a denial,
/// the permissions it takes.
fn unread(error: ApiError) -> ApiError {
    let denied = matches!(
        error.code.as_str(),
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation"
    );
    let help = if denied {
        "; grant pricing:DescribeServices, pricing:GetAttributeValues and pricing:GetProducts to the identity wsctl runs as"
    } else {
        ""
    };
    ApiError {
        message: format!(
            "{}\n  wsctl cost shows nothing without the AWS Price List{help}",
            error.message
        ),
        ..error
    }
}
