//! Plans priced on plain data: what each change does to the month, and the
//! stack's run-rate before and after.

use super::fixtures::*;
use super::{
    Action, AutoStopHours, HoursSource, Measured, MeasuredBasis, Plan, plan, price, price_keys,
};
use crate::live::{LiveState, LiveWorkspace};
use crate::prices::{Assumptions, Money, Offer, PriceBook, Today};
use crate::spec::{BundleRef, RunningMode};

/// Standard and Performance (80/50 GiB, Windows), both modes: Standard
/// $35 or $9.75 + $0.30/h, Performance $60 or $13 + $0.51/h.
fn book() -> PriceBook {
    let offers = [("standard", 3500, 975, 30), ("performance", 6000, 1300, 51)]
        .into_iter()
        .flat_map(|(bundle, always_on, fee, hourly)| {
            let base = Offer {
                bundle: bundle.to_owned(),
                os: Some("windows".to_owned()),
                byol: Some(false),
                root_gib: Some(80),
                user_gib: Some(50),
                ..Offer::default()
            };
            [
                Offer {
                    mode: Some("alwayson".to_owned()),
                    monthly: Some(Money::cents(always_on)),
                    ..base.clone()
                },
                Offer {
                    mode: Some("autostop".to_owned()),
                    monthly: Some(Money::cents(fee)),
                    hourly: Some(Money::cents(hourly)),
                    ..base
                },
            ]
        })
        .collect();
    PriceBook {
        region: "us-east-1".to_owned(),
        currency: "USD".to_owned(),
        fetched: "2026-12-01".to_owned(),
        offers,
    }
}

/// The 11th of a 30-day month: 20 days are left, today included.
fn today() -> Today {
    Today {
        date: "2026-11-11".to_owned(),
        day: 11,
        days_in_month: 30,
    }
}

/// Standard AUTO_STOP at 80 hours: $9.75 + $24.00.
const STANDARD_AUTO_STOP: i64 = 975 + 80 * 30;

fn priced(fleet: crate::spec::Fleet, live: &LiveState) -> Plan {
    let mut planned = plan(&fleet, live).expect("a plan");
    let keys = price_keys(&planned, live);
    price(
        &mut planned,
        &keys,
        &book(),
        Assumptions::default(),
        None,
        &today(),
    );
    planned
}

fn cost_of<'a>(plan: &'a Plan, name: &str) -> &'a super::ChangeCost {
    plan.changes()
        .iter()
        .find(|c| c.address.name() == name)
        .and_then(|c| c.cost.as_ref())
        .unwrap_or_else(|| panic!("no cost for {name}"))
}

#[test]
fn a_create_adds_its_month_and_a_terminate_takes_it_away() {
    let live = account(vec![owned(live_workspace("ws-bob", "bob"), "bob")]);
    let planned = priced(fleet(vec![workspace("alice")]), &live);
    let alice = cost_of(&planned, "alice");
    assert_eq!(alice.monthly_before, None);
    assert_eq!(alice.monthly_after, Some(Money::cents(STANDARD_AUTO_STOP)));
    assert_eq!(alice.monthly_delta, Money::cents(STANDARD_AUTO_STOP));
    let bob = cost_of(&planned, "bob");
    assert_eq!(bob.monthly_after, None);
    assert_eq!(bob.monthly_delta, Money::cents(-STANDARD_AUTO_STOP));
    let cost = planned.cost.expect("the plan's cost");
    assert_eq!(cost.monthly_before, Money::cents(STANDARD_AUTO_STOP));
    assert_eq!(cost.monthly_after, Money::cents(STANDARD_AUTO_STOP));
    assert_eq!(cost.monthly_delta, Money::ZERO);
    assert_eq!(cost.unpriced, 0);
    assert_eq!(cost.prices_fetched, "2026-12-01");
}

#[test]
fn a_compute_type_change_moves_the_month_by_the_difference() {
    let live = account(vec![owned(live_workspace("ws-carol", "carol"), "carol")]);
    let performance = with(workspace("carol"), |w| {
        w.properties.compute_type = Some("PERFORMANCE".to_owned());
    });
    let planned = priced(fleet(vec![performance]), &live);
    let carol = cost_of(&planned, "carol");
    assert_eq!(planned.changes()[0].action, Action::Update);
    assert_eq!(
        carol.monthly_delta,
        Money::cents((1300 + 80 * 51) - STANDARD_AUTO_STOP)
    );
    assert_eq!(carol.this_month_delta, None);
}

#[test]
fn a_move_to_always_on_is_prorated_this_month_and_whole_from_the_next() {
    let live = account(vec![owned(live_workspace("ws-dan", "dan"), "dan")]);
    let always_on = with(workspace("dan"), |w| {
        w.properties.running_mode = Some(RunningMode::AlwaysOn);
        w.properties.auto_stop_timeout_minutes = None;
    });
    let planned = priced(fleet(vec![always_on]), &live);
    let dan = cost_of(&planned, "dan");
    assert_eq!(dan.monthly_delta, Money::cents(3500 - STANDARD_AUTO_STOP));
    // 20 of 30 days: the ALWAYS_ON fee prorated, less the hours not run.
    assert_eq!(
        dan.this_month_delta,
        Some(Money::cents(3500).prorated(20, 30) - Money::cents(80 * 30).prorated(20, 30))
    );
    let cost = planned.cost.as_ref().expect("the plan's cost");
    assert_eq!(cost.this_month_delta, dan.this_month_delta);
}

#[test]
fn a_move_to_auto_stop_counts_from_next_month() {
    let always_on = |w: LiveWorkspace| {
        with(w, |w| {
            w.properties.running_mode = Some(RunningMode::AlwaysOn)
        })
    };
    let live = account(vec![always_on(owned(
        live_workspace("ws-eve", "eve"),
        "eve",
    ))]);
    let planned = priced(fleet(vec![workspace("eve")]), &live);
    let eve = cost_of(&planned, "eve");
    assert_eq!(eve.monthly_delta, Money::cents(STANDARD_AUTO_STOP - 3500));
    assert_eq!(eve.this_month_delta, Some(Money::ZERO));
}

#[test]
fn a_migration_is_priced_on_the_new_bundle() {
    let live = account(vec![owned(live_workspace("ws-gina", "gina"), "gina")]);
    let moved = with(workspace("gina"), |w| {
        w.bundle = BundleRef::Name(PERFORMANCE.to_owned());
        w.properties.compute_type = None;
    });
    let planned = priced(fleet(vec![moved]), &live);
    assert_eq!(planned.changes()[0].action, Action::Migrate);
    let gina = cost_of(&planned, "gina");
    assert_eq!(
        gina.monthly_delta,
        Money::cents((1300 + 80 * 51) - STANDARD_AUTO_STOP)
    );
}

#[test]
fn an_adoption_shows_what_exists_and_adds_nothing() {
    let live = account(vec![live_workspace("ws-hal", "hal")]);
    let planned = priced(fleet(vec![workspace("hal")]), &live);
    assert_eq!(planned.changes()[0].action, Action::Adopt);
    let hal = cost_of(&planned, "hal");
    assert_eq!(hal.monthly_before, Some(Money::cents(STANDARD_AUTO_STOP)));
    assert_eq!(hal.monthly_delta, Money::ZERO);
    let cost = planned.cost.expect("the plan's cost");
    assert_eq!(cost.monthly_before, Money::cents(STANDARD_AUTO_STOP));
}

#[test]
fn the_stack_run_rate_counts_unchanged_workspaces_and_not_other_stacks() {
    let mut other = live_workspace("ws-other", "other");
    other
        .tags
        .insert(crate::live::STACK_TAG.to_owned(), "finance".to_owned());
    let live = account(vec![owned(live_workspace("ws-ida", "ida"), "ida"), other]);
    let planned = priced(fleet(vec![workspace("ida"), workspace("jo")]), &live);
    let cost = planned.cost.expect("the plan's cost");
    assert_eq!(cost.monthly_before, Money::cents(STANDARD_AUTO_STOP));
    assert_eq!(cost.monthly_after, Money::cents(2 * STANDARD_AUTO_STOP));
}

#[test]
fn an_unpriced_workspace_says_why_and_stays_out_of_the_totals() {
    let live = account(vec![]);
    let manual = with(workspace("kim"), |w| {
        w.properties.running_mode = Some(RunningMode::Manual);
        w.properties.auto_stop_timeout_minutes = None;
    });
    let planned = priced(fleet(vec![manual, workspace("lee")]), &live);
    let kim = cost_of(&planned, "kim");
    assert!(
        kim.unknown
            .as_deref()
            .is_some_and(|why| why.contains("MANUAL")),
        "{kim:?}"
    );
    assert_eq!(kim.monthly_delta, Money::ZERO);
    let cost = planned.cost.expect("the plan's cost");
    assert_eq!(cost.unpriced, 1);
    assert_eq!(cost.monthly_delta, Money::cents(STANDARD_AUTO_STOP));
}

#[test]
fn the_compute_types_to_fetch_are_those_before_and_after() {
    let live = account(vec![owned(live_workspace("ws-carol", "carol"), "carol")]);
    let performance = with(workspace("carol"), |w| {
        w.properties.compute_type = Some("PERFORMANCE".to_owned());
    });
    let planned = plan(&fleet(vec![performance]), &live).expect("a plan");
    let computes: Vec<String> = price_keys(&planned, &live).computes().into_iter().collect();
    assert_eq!(computes, ["PERFORMANCE", "STANDARD"]);
}

fn priced_at(fleet: crate::spec::Fleet, live: &LiveState, measured: &Measured) -> Plan {
    let mut planned = plan(&fleet, live).expect("a plan");
    let keys = price_keys(&planned, live);
    price(
        &mut planned,
        &keys,
        &book(),
        Assumptions::default(),
        Some(measured),
        &today(),
    );
    planned
}

fn measured(hours: &[(&str, u32)]) -> Measured {
    Measured {
        days: 30,
        monthly: hours.iter().map(|(id, h)| ((*id).to_owned(), *h)).collect(),
    }
}

#[test]
fn measured_hours_price_an_auto_stop_change_instead_of_the_assumption() {
    let live = account(vec![owned(live_workspace("ws-carol", "carol"), "carol")]);
    let performance = with(workspace("carol"), |w| {
        w.properties.compute_type = Some("PERFORMANCE".to_owned());
    });
    let planned = priced_at(
        fleet(vec![performance]),
        &live,
        &measured(&[("ws-carol", 20)]),
    );
    let carol = cost_of(&planned, "carol");
    assert_eq!(carol.monthly_before, Some(Money::cents(975 + 20 * 30)));
    assert_eq!(carol.monthly_after, Some(Money::cents(1300 + 20 * 51)));
    assert_eq!(
        carol.auto_stop_hours,
        Some(AutoStopHours {
            per_month: 20,
            source: HoursSource::Measured
        })
    );
    let cost = planned.cost.expect("the plan's cost");
    assert_eq!(cost.monthly_before, Money::cents(975 + 20 * 30));
    assert_eq!(
        cost.measured_hours,
        Some(MeasuredBasis {
            days: 30,
            measured: 1,
            assumed: 0
        })
    );
}

#[test]
fn a_new_workspace_and_one_without_data_fall_back_to_the_assumption() {
    let live = account(vec![
        owned(live_workspace("ws-ida", "ida"), "ida"),
        owned(live_workspace("ws-jo", "jo"), "jo"),
    ]);
    let planned = priced_at(
        fleet(vec![workspace("ida"), workspace("jo"), workspace("kay")]),
        &live,
        &measured(&[("ws-ida", 10)]),
    );
    let kay = cost_of(&planned, "kay");
    assert_eq!(kay.monthly_after, Some(Money::cents(STANDARD_AUTO_STOP)));
    assert_eq!(
        kay.auto_stop_hours,
        Some(AutoStopHours {
            per_month: 80,
            source: HoursSource::Assumed
        })
    );
    let cost = planned.cost.expect("the plan's cost");
    // ida at her 10 hours, jo (no data) at the assumed 80.
    assert_eq!(
        cost.monthly_before,
        Money::cents(975 + 10 * 30 + STANDARD_AUTO_STOP)
    );
    assert_eq!(
        cost.measured_hours,
        Some(MeasuredBasis {
            days: 30,
            measured: 1,
            assumed: 2
        })
    );
}

#[test]
fn a_move_to_auto_stop_is_priced_at_the_hours_measured_while_always_on() {
    let live = account(vec![with(
        owned(live_workspace("ws-eve", "eve"), "eve"),
        |w| {
            w.properties.running_mode = Some(RunningMode::AlwaysOn);
            w.properties.auto_stop_timeout_minutes = None;
        },
    )]);
    let planned = priced_at(
        fleet(vec![workspace("eve")]),
        &live,
        &measured(&[("ws-eve", 40)]),
    );
    let eve = cost_of(&planned, "eve");
    assert_eq!(eve.monthly_before, Some(Money::cents(3500)));
    assert_eq!(eve.monthly_after, Some(Money::cents(975 + 40 * 30)));
    assert_eq!(
        eve.auto_stop_hours.map(|h| h.source),
        Some(HoursSource::Measured)
    );
}

#[test]
fn only_live_workspaces_running_auto_stop_before_or_after_are_measured() {
    let always_on = |w: LiveWorkspace| {
        with(w, |w| {
            w.properties.running_mode = Some(RunningMode::AlwaysOn);
            w.properties.auto_stop_timeout_minutes = None;
        })
    };
    let live = account(vec![
        owned(live_workspace("ws-ann", "ann"), "ann"),
        always_on(owned(live_workspace("ws-ben", "ben"), "ben")),
        always_on(owned(live_workspace("ws-cat", "cat"), "cat")),
    ]);
    let stays_always_on = with(workspace("ben"), |w| {
        w.properties.running_mode = Some(RunningMode::AlwaysOn);
        w.properties.auto_stop_timeout_minutes = None;
    });
    let moves = with(workspace("cat"), |w| {
        w.properties.auto_stop_timeout_minutes = Some(120);
    });
    let planned = plan(
        &fleet(vec![
            workspace("ann"),
            stays_always_on,
            moves,
            workspace("new"),
        ]),
        &live,
    )
    .expect("a plan");
    let keys = price_keys(&planned, &live);
    let measurable: Vec<(&str, Option<i32>)> = keys
        .measurable()
        .iter()
        .map(|m| (m.id.as_str(), m.auto_stop_minutes))
        .collect();
    // ann as she is, cat at the timeout the plan gives her; not ben
    // (ALWAYS_ON) nor the new one (no history).
    assert_eq!(measurable, [("ws-ann", Some(60)), ("ws-cat", Some(120))]);
}

#[test]
fn without_measured_hours_a_change_names_no_hours() {
    let live = account(vec![owned(live_workspace("ws-carol", "carol"), "carol")]);
    let performance = with(workspace("carol"), |w| {
        w.properties.compute_type = Some("PERFORMANCE".to_owned());
    });
    let planned = priced(fleet(vec![performance]), &live);
    assert_eq!(cost_of(&planned, "carol").auto_stop_hours, None);
    assert_eq!(planned.cost.expect("the plan's cost").measured_hours, None);
}
