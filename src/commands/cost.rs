//! Prices in plans: the Price List read beside the account (and, with
//! `--usage-hours`, the AUTO_STOP WorkSpaces' hours from CloudWatch), the
//! plan priced (a pure function, `plan::price`), and the guard that fails a
//! plan adding more a month than `max_monthly_increase`.

use super::Error;
use super::cli::Costs;
use super::connect::Connection;
use super::plan::Planned;
use crate::live::{self, LiveState};
use crate::plan::{self as planner, Keys, Measured, Plan};
use crate::prices::{Assumptions, DEFAULT_AUTO_STOP_HOURS, Money, Today, read_prices};
use crate::spec::Settings;
use crate::usage::WindowHours;

/// Changes named when the guard stops a plan.
const CONTRIBUTORS: usize = 5;

/// Prices `plan` (made against `live`) where the Price List can be read;
/// where it cannot, the plan goes on without costs and one note says why.
pub(super) async fn price_plan(
    connection: &Connection,
    plan: &mut Plan,
    live: &LiveState,
    settings: &Settings,
    costs: &Costs,
) {
    let keys = planner::price_keys(plan, live);
    let region = connection.region.as_deref().unwrap_or("us-east-1");
    let mut cache = connection.prices.clone();
    cache.refresh = costs.refresh_prices;
    match read_prices(&connection.aws, region, &keys.computes(), &cache).await {
        Ok(prices) => {
            for text in &prices.notes {
                super::note(text);
            }
            let assumptions = Assumptions {
                auto_stop_hours_per_month: costs
                    .auto_stop_hours
                    .or(settings.auto_stop_hours_per_month)
                    .unwrap_or(DEFAULT_AUTO_STOP_HOURS),
            };
            let measured = match costs.usage_hours {
                Some(days) => measure(connection, &keys, days, assumptions).await,
                None => None,
            };
            let today = Today::now();
            planner::price(
                plan,
                &keys,
                &prices.book,
                assumptions,
                measured.as_ref(),
                &today,
            );
        }
        Err(error) => super::note(&format!(
            "the plan shows no costs: the AWS Price List could not be read ({error})"
        )),
    }
}

/// The billable hours a month of each live WorkSpace that runs AUTO_STOP
/// before or after the plan, over the last `days` days; None, with a note,
/// when CloudWatch cannot be read. No call when there is none to measure.
async fn measure(
    connection: &Connection,
    keys: &Keys,
    days: u32,
    assumptions: Assumptions,
) -> Option<Measured> {
    let measurable = keys.measurable();
    let ids: Vec<String> = measurable.iter().map(|m| m.id.clone()).collect();
    let window = live::Window::days_before(crate::clock::now(), days);
    let samples = if ids.is_empty() {
        Default::default()
    } else {
        match live::read_samples(&connection.aws, &ids, window).await {
            Ok(samples) => samples,
            Err(error) => {
                super::note(&format!(
                    "AUTO_STOP WorkSpaces are priced at the assumed {} hours a month: their hours could not be read from CloudWatch ({})",
                    assumptions.auto_stop_hours_per_month,
                    super::usage::refused(error)
                ));
                return None;
            }
        }
    };
    let monthly = measurable
        .iter()
        .map(|m| {
            let hours = WindowHours::of(samples.get(&m.id), m.auto_stop_minutes);
            (m.id.clone(), hours.monthly(window.hours()))
        })
        .collect();
    Some(Measured { days, monthly })
}

/// The guard: with a limit (`--max-monthly-increase`, else the file's
/// `max_monthly_increase`),
/// a plan that adds more a month, or cannot be priced, is refused unless
/// `--allow-cost-increase`. `done` says what the command did before.
pub(super) fn guard(planned: &Planned, costs: &Costs, done: &'static str) -> Result<(), Error> {
    let plan = &planned.plan;
    let Some(limit) = costs.max_monthly_increase.or(planned.cost_limit) else {
        return Ok(());
    };
    if costs.allow_cost_increase {
        return Ok(());
    }
    let Some(cost) = &plan.cost else {
        return Err(Error::CostUnknown { limit, done });
    };
    if cost.monthly_delta <= limit {
        return Ok(());
    }
    let mut contributors: Vec<_> = plan
        .changes()
        .iter()
        .filter_map(|c| Some((c.address.clone(), c.cost.as_ref()?.monthly_delta)))
        .filter(|(_, delta)| *delta > Money::ZERO)
        .collect();
    contributors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    contributors.truncate(CONTRIBUTORS);
    Err(Error::CostGuard {
        delta: cost.monthly_delta,
        limit,
        contributors,
        done,
    })
}
