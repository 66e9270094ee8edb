//! The words every format uses for costs: a change's cost line and the
//! plan's total, from the plan's `cost` (see `plan::cost`).

use crate::plan::{Action, AutoStopHours, ChangeCost, HoursSource, Plan, PlanCost, ResourceChange};
use crate::visible::visible;

/// "+$35.00/month", "+$12.10 this month, +$35.00/month from next month",
/// "$35.00/month as it is" (an adoption), "price unknown: REASON"; None for
/// a change that does not move the bill. With measured hours, the hours
/// an AUTO_STOP side is priced at follow: "(AUTO_STOP at 37 h/month,
/// measured)".
pub(super) fn change_cost(change: &ResourceChange) -> Option<String> {
    let cost = change.cost.as_ref()?;
    if let Some(why) = &cost.unknown {
        return Some(format!("price unknown: {}", visible(why)));
    }
    let amount = if change.action == Action::Adopt {
        format!(
            "{}/month as it is (adopted, no change)",
            cost.monthly_before?
        )
    } else {
        match cost.this_month_delta {
            Some(this_month) => format!(
                "{} this month, {}/month from next month",
                this_month.signed(),
                cost.monthly_delta.signed()
            ),
            None if cost.monthly_delta.is_zero() => return None,
            None => format!("{}/month", cost.monthly_delta.signed()),
        }
    };
    Some(match cost.auto_stop_hours {
        Some(hours) => format!("{amount} ({})", auto_stop_hours(hours)),
        None => amount,
    })
}

/// "AUTO_STOP at 37 h/month, measured".
fn auto_stop_hours(hours: AutoStopHours) -> String {
    let source = match hours.source {
        HoursSource::Measured => "measured",
        HoursSource::Assumed => "assumed",
    };
    format!("AUTO_STOP at {} h/month, {source}", hours.per_month)
}

/// The plan's cost in one line: "Cost: +$245.00/month (the stack now
/// $12,340.00/month, after apply $12,585.00/month)".
pub(super) fn total(cost: &PlanCost) -> String {
    let this_month = match cost.this_month_delta {
        Some(m) => format!("; this month {}", m.signed()),
        None => String::new(),
    };
    format!(
        "Cost: {}/month (the stack now {}/month, after apply {}/month{this_month})",
        cost.monthly_delta.signed(),
        cost.monthly_before,
        cost.monthly_after
    )
}

/// What the totals rest on, and what they leave out.
pub(super) fn basis(cost: &PlanCost) -> Vec<String> {
    let assumed = cost.assumptions.auto_stop_hours_per_month;
    let hours = match &cost.measured_hours {
        None => format!("AUTO_STOP WorkSpaces assumed to run {assumed} hours a month"),
        Some(basis) => format!(
            "AUTO_STOP WorkSpaces priced at their own hours over the last {} days where measured ({}: CloudWatch UserConnected, each session and its auto-stop time in whole hours, scaled to a month of 730 hours), else assumed to run {assumed} hours a month ({}: new WorkSpaces have no history)",
            basis.days,
            workspaces(basis.measured),
            workspaces(basis.assumed)
        ),
    };
    let mut lines = vec![format!(
        "Prices: the AWS Price List for {}, fetched {}, in {}; {hours}.",
        cost.region, cost.prices_fetched, cost.currency
    )];
    if cost.unpriced > 0 {
        let noun = if cost.unpriced == 1 {
            "WorkSpace has"
        } else {
            "WorkSpaces have"
        };
        lines.push(format!(
            "{} {noun} no price and {} left out of the totals.",
            cost.unpriced,
            if cost.unpriced == 1 { "is" } else { "are" }
        ));
    }
    lines
}

/// "1 WorkSpace", "3 WorkSpaces".
fn workspaces(n: usize) -> String {
    format!("{n} WorkSpace{}", if n == 1 { "" } else { "s" })
}

/// The sum of the monthly deltas of `plan`'s changes with `action`; None
/// when the plan has no costs.
pub(super) fn action_delta(plan: &Plan, action: Action) -> Option<crate::prices::Money> {
    plan.cost.as_ref()?;
    Some(
        plan.changes()
            .iter()
            .filter(|c| c.action == action)
            .filter_map(|c| c.cost.as_ref())
            .filter(|c| c.unknown.is_none())
            .map(|c: &ChangeCost| c.monthly_delta)
            .sum(),
    )
}
