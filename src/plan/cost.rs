//! What a plan does to the bill: a pure function of the plan, the account
//! as read, the Price List's offers, the assumptions and, when asked for,
//! the hours each AUTO_STOP WorkSpace was measured to run. Each WorkSpace
//! change is priced before and after (a create has no before, a terminate
//! no after); the stack's monthly run-rate is every WorkSpace it owns or
//! adopts, as it is now and as the plan leaves it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::{
    Action, AutoStopHours, ChangeCost, HoursSource, IdRef, Modification, NewBundle, NewImageSource,
    Operation, Plan, ResourceChange,
};
use crate::address::{Address, Kind};
use crate::live::{LiveIndex, LiveState, LiveWorkspace, Owned};
use crate::prices::{
    Assumptions, BundleFacts, Money, Os, Price, PriceBook, PriceKey, Today, Unpriced,
    key_of_bundle, key_of_live,
};
use crate::workspace_properties::{RunningMode, WorkspaceProperties};

/// The plan's cost, and what it rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PlanCost {
    /// The prices' currency (`USD`).
    pub currency: String,
    /// The Price List region the prices are for.
    pub region: String,
    /// When the prices were fetched from the Price List, `YYYY-MM-DD`.
    pub prices_fetched: String,
    /// The day the plan was priced, `YYYY-MM-DD`: mid-month changes are
    /// prorated from it.
    pub priced_on: String,
    pub assumptions: Assumptions,
    /// The stack's WorkSpaces a month as they are (adopted ones included).
    pub monthly_before: Money,
    /// … and after apply.
    pub monthly_after: Money,
    /// After less before: what the plan adds to every month from the next.
    pub monthly_delta: Money,
    /// What the plan adds to this month, where that differs (a move to
    /// ALWAYS_ON is billed prorated from today; a move to AUTO_STOP counts
    /// from next month).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub this_month_delta: Option<Money>,
    /// WorkSpaces (of the stack, or changed) with no price: left out of
    /// the totals, each with its reason on its change or in `cost`.
    pub unpriced: usize,
    /// Present when AUTO_STOP WorkSpaces were priced at their measured
    /// hours (`plan --usage-hours`); the others at the assumption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured_hours: Option<MeasuredBasis>,
}

/// What measured hours rest on, for the footer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeasuredBasis {
    /// Days of CloudWatch `UserConnected` read, ending at the last hour.
    pub days: u32,
    /// AUTO_STOP WorkSpaces priced at their own hours.
    pub measured: usize,
    /// AUTO_STOP WorkSpaces priced at the assumption: new ones, which have
    /// no history.
    pub assumed: usize,
}

/// Each live AUTO_STOP WorkSpace's billable hours a month as measured over
/// `days`, by WorkSpace id: what `price` uses instead of the assumption.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Measured {
    pub days: u32,
    pub monthly: BTreeMap<String, u32>,
}

/// A live WorkSpace that runs AUTO_STOP before or after the plan: its hours
/// can be measured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measurable {
    pub id: String,
    /// Its auto-stop time as the plan leaves it; None where neither the
    /// account nor the plan says.
    pub auto_stop_minutes: Option<i32>,
}

/// The price keys of a plan's WorkSpaces, before pricing: what tells which
/// bundles' prices to fetch.
pub struct Keys {
    /// By change address: before, after, and the live WorkSpace whose
    /// hours can be measured.
    changes: BTreeMap<Address, (Side, Side, Option<Measurable>)>,
    /// The stack's WorkSpaces no change touches.
    unchanged: Vec<(Side, Option<Measurable>)>,
}

/// One side of a WorkSpace: nothing (not there), a key, or why there is none.
#[derive(Clone, Debug)]
enum Side {
    Absent,
    Key(PriceKey),
    Unknown(Unpriced),
}

impl Keys {
    /// The compute types the prices must cover.
    pub fn computes(&self) -> BTreeSet<String> {
        self.changes
            .values()
            .flat_map(|(before, after, _)| [before, after])
            .chain(self.unchanged.iter().map(|(side, _)| side))
            .filter_map(|side| match side {
                Side::Key(key) => Some(key.compute.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether any WorkSpace is to be priced at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.unchanged.is_empty()
    }

    /// The live WorkSpaces that run AUTO_STOP before or after the plan,
    /// each once: those whose hours `Measured` can give.
    pub fn measurable(&self) -> Vec<&Measurable> {
        let mut by_id: BTreeMap<&str, &Measurable> = BTreeMap::new();
        let all = self
            .changes
            .values()
            .filter_map(|(_, _, m)| m.as_ref())
            .chain(self.unchanged.iter().filter_map(|(_, m)| m.as_ref()));
        for measurable in all {
            by_id.entry(measurable.id.as_str()).or_insert(measurable);
        }
        by_id.into_values().collect()
    }
}

/// The price keys of `plan`'s WorkSpaces and the stack's others.
pub fn keys(plan: &Plan, live: &LiveState) -> Keys {
    let index = LiveIndex::new(live);
    let created = Created::of(plan);
    let mut changed_ids = BTreeSet::new();
    let mut changes = BTreeMap::new();
    for change in plan
        .changes()
        .iter()
        .filter(|c| c.address.kind() == Kind::Workspace)
    {
        let workspace = match change.action {
            Action::Create => None,
            _ => change.id.as_deref().and_then(|id| index.workspace(id)),
        };
        let before = match workspace {
            None => Side::Absent,
            Some(workspace) => {
                changed_ids.insert(workspace.id.as_str());
                side(key_of_live(workspace, &index))
            }
        };
        let after = after(&created, change, &before, &index);
        let hours = workspace.and_then(|w| measurable(w, Some(change), &before, &after));
        changes.insert(change.address.clone(), (before, after, hours));
    }
    let unchanged = live
        .workspaces
        .iter()
        .filter(|w| !w.is_terminating() && w.stack() == Some(plan.stack.as_str()))
        .filter(|w| !changed_ids.contains(w.id.as_str()))
        .map(|w| {
            let side = side(key_of_live(w, &index));
            let hours = measurable(w, None, &side, &side);
            (side, hours)
        })
        .collect();
    Keys { changes, unchanged }
}

/// `workspace`, when it runs AUTO_STOP before or after `change`, with the
/// auto-stop time the change leaves it.
fn measurable(
    workspace: &LiveWorkspace,
    change: Option<&ResourceChange>,
    before: &Side,
    after: &Side,
) -> Option<Measurable> {
    if !before.is_auto_stop() && !after.is_auto_stop() {
        return None;
    }
    let planned = change
        .into_iter()
        .flat_map(|c| &c.operations)
        .find_map(|operation| match operation {
            Operation::ModifyWorkspace {
                modification:
                    Modification::RunningMode {
                        auto_stop_timeout_minutes,
                        ..
                    },
                ..
            } => *auto_stop_timeout_minutes,
            _ => None,
        });
    Some(Measurable {
        id: workspace.id.clone(),
        auto_stop_minutes: planned.or(workspace.properties.auto_stop_timeout_minutes),
    })
}

impl Side {
    fn is_auto_stop(&self) -> bool {
        matches!(self, Side::Key(key) if key.mode == RunningMode::AutoStop)
    }
}

fn side(key: Result<PriceKey, Unpriced>) -> Side {
    match key {
        Ok(key) => Side::Key(key),
        Err(why) => Side::Unknown(why),
    }
}

/// The WorkSpace as the change leaves it.
fn after<'a>(
    created: &Created<'a>,
    change: &ResourceChange,
    before: &Side,
    index: &LiveIndex<'a>,
) -> Side {
    if change.action == Action::Delete {
        return Side::Absent;
    }
    let mut key = None;
    for operation in &change.operations {
        match operation {
            Operation::CreateWorkspace(new) => {
                key = Some(match bundle_facts(created, &new.bundle_id, index) {
                    Ok(facts) => key_of_bundle(&facts, &new.properties),
                    Err(why) => Err(why),
                });
            }
            Operation::MigrateWorkspace { bundle_id, .. } => {
                let mode = match before {
                    Side::Key(before) => Some(before.mode),
                    _ => None,
                };
                let properties = WorkspaceProperties {
                    running_mode: mode,
                    ..WorkspaceProperties::default()
                };
                key = Some(
                    bundle_facts(created, bundle_id, index)
                        .and_then(|facts| key_of_bundle(&facts, &properties)),
                );
            }
            Operation::ModifyWorkspace { modification, .. } => {
                let current = key.take().unwrap_or_else(|| match before {
                    Side::Key(before) => Ok(before.clone()),
                    Side::Unknown(why) => Err(why.clone()),
                    Side::Absent => Err(Unpriced("the WorkSpace is not read".to_owned())),
                });
                key = Some(current.map(|k| modified(k, modification)));
            }
            _ => {}
        }
    }
    match key {
        Some(key) => side(key),
        None => before.clone(),
    }
}

/// `key` after `modification`: what it changes of the running mode, the
/// compute type and the volumes.
fn modified(mut key: PriceKey, modification: &Modification) -> PriceKey {
    let mut changed = WorkspaceProperties::default();
    modification.apply_to(&mut changed);
    if let Some(mode) = changed.running_mode {
        key.mode = mode;
    }
    if let Some(compute) = changed.compute_type {
        key.compute = compute;
    }
    if let Some(gib) = changed.root_volume_gib {
        key.root_gib = gib;
    }
    if let Some(gib) = changed.user_volume_gib {
        key.user_gib = gib;
    }
    key
}

/// What a bundle tells of its WorkSpaces: a live one, or one this plan
/// creates (from its image, live or created too).
fn bundle_facts<'a>(
    created: &Created<'a>,
    bundle: &IdRef,
    index: &LiveIndex<'a>,
) -> Result<BundleFacts<'a>, Unpriced> {
    match bundle {
        IdRef::Id(id) => index
            .bundle(id)
            .map(|b| BundleFacts::of_live(b, b.image_id.as_deref().and_then(|i| index.image(i))))
            .ok_or_else(|| Unpriced(format!("bundle {id} is not read"))),
        IdRef::CreatedBy { created_by } => {
            let new = created
                .bundles
                .get(created_by)
                .ok_or_else(|| Unpriced(format!("{created_by} is not in the plan")))?;
            Ok(new_bundle_facts(created, new, index))
        }
    }
}

fn new_bundle_facts<'a>(
    created: &Created<'a>,
    new: &'a NewBundle,
    index: &LiveIndex<'a>,
) -> BundleFacts<'a> {
    let (image_os, byol) = match &new.image_id {
        IdRef::Id(id) => index
            .image(id)
            .map(|i| (i.operating_system.as_deref(), i.is_byol()))
            .unwrap_or((None, false)),
        IdRef::CreatedBy { created_by } => {
            match created.images.get(created_by) {
                // ImportWorkspaceImage takes Windows images for BYOL only.
                Some(NewImageSource::Import { .. }) => (Some(Os::Windows.name()), true),
                _ => (None, false),
            }
        }
    };
    BundleFacts {
        name: &new.name,
        compute: Some(&new.compute_type),
        root_gib: new.root_volume_gib,
        user_gib: Some(new.user_volume_gib),
        image_os,
        byol,
    }
}

/// The bundles and images this plan creates, by address: indexed once, as
/// every WorkSpace on a new bundle looks its bundle up.
struct Created<'a> {
    bundles: HashMap<&'a Address, &'a NewBundle>,
    images: HashMap<&'a Address, &'a NewImageSource>,
}

impl<'a> Created<'a> {
    fn of(plan: &'a Plan) -> Self {
        let mut created = Created {
            bundles: HashMap::new(),
            images: HashMap::new(),
        };
        for change in plan.changes() {
            for operation in &change.operations {
                match operation {
                    Operation::CreateBundle(new) => {
                        created.bundles.insert(&change.address, new);
                    }
                    Operation::CreateImage(new) => {
                        created.images.insert(&change.address, &new.source);
                    }
                    _ => {}
                }
            }
        }
        created
    }
}

/// Prices `keys` with `book`: each WorkSpace change gets its cost, the plan
/// its totals. AUTO_STOP hours are `measured` where it has the WorkSpace,
/// else the assumption.
pub fn price(
    plan: &mut Plan,
    keys: &Keys,
    book: &PriceBook,
    assumptions: Assumptions,
    measured: Option<&Measured>,
    today: &Today,
) {
    let mut pricer = Pricer {
        book,
        assumptions,
        measured,
        prices: BTreeMap::new(),
    };
    let mut unpriced = 0;
    let mut before_total = Money::ZERO;
    let mut delta_total = Money::ZERO;
    let mut this_month_total = Money::ZERO;
    let mut basis = MeasuredBasis {
        days: measured.map_or(0, |m| m.days),
        measured: 0,
        assumed: 0,
    };
    for (side, live) in &keys.unchanged {
        let hours = pricer.hours(side, side, live.as_ref());
        basis.count(hours);
        match pricer.price(side, hours) {
            Some(Ok(price)) => before_total += price.monthly,
            Some(Err(_)) => unpriced += 1,
            None => {}
        }
    }
    for (address, priced) in plan.costs_mut() {
        let Some((before, after, live)) = keys.changes.get(address) else {
            continue;
        };
        let hours = pricer.hours(before, after, live.as_ref());
        basis.count(hours);
        let prices = (pricer.price(before, hours), pricer.price(after, hours));
        let mut cost = change_cost(prices, before, after, today);
        if measured.is_some() {
            cost.auto_stop_hours = hours;
        }
        if cost.unknown.is_some() {
            unpriced += 1;
        } else {
            before_total += cost.monthly_before.unwrap_or_default();
            delta_total += cost.monthly_delta;
            this_month_total += cost.this_month_delta.unwrap_or(cost.monthly_delta);
        }
        *priced = Some(cost);
    }
    plan.cost = Some(PlanCost {
        currency: book.currency.clone(),
        region: book.region.clone(),
        prices_fetched: book.fetched.clone(),
        priced_on: today.date.clone(),
        assumptions,
        monthly_before: before_total,
        monthly_after: before_total + delta_total,
        monthly_delta: delta_total,
        this_month_delta: (this_month_total != delta_total).then_some(this_month_total),
        unpriced,
        measured_hours: measured.map(|_| basis),
    });
}

impl MeasuredBasis {
    fn count(&mut self, hours: Option<AutoStopHours>) {
        match hours.map(|h| h.source) {
            Some(HoursSource::Measured) => self.measured += 1,
            Some(HoursSource::Assumed) => self.assumed += 1,
            None => {}
        }
    }
}

/// Prices sides, each configuration at each number of hours once.
struct Pricer<'a> {
    book: &'a PriceBook,
    assumptions: Assumptions,
    measured: Option<&'a Measured>,
    prices: BTreeMap<(PriceKey, u32), Result<Price, Unpriced>>,
}

impl Pricer<'_> {
    /// The hours a WorkSpace with these sides runs AUTO_STOP at; None when
    /// neither side is AUTO_STOP.
    fn hours(
        &self,
        before: &Side,
        after: &Side,
        live: Option<&Measurable>,
    ) -> Option<AutoStopHours> {
        if !before.is_auto_stop() && !after.is_auto_stop() {
            return None;
        }
        let measured = live.and_then(|live| self.measured?.monthly.get(&live.id));
        Some(match measured {
            Some(&per_month) => AutoStopHours {
                per_month,
                source: HoursSource::Measured,
            },
            None => AutoStopHours {
                per_month: self.assumptions.auto_stop_hours_per_month,
                source: HoursSource::Assumed,
            },
        })
    }

    fn price(&mut self, side: &Side, hours: Option<AutoStopHours>) -> Priced {
        match side {
            Side::Absent => None,
            Side::Unknown(why) => Some(Err(why.clone())),
            Side::Key(key) => {
                let hours =
                    hours.map_or(self.assumptions.auto_stop_hours_per_month, |h| h.per_month);
                let book = self.book;
                Some(
                    self.prices
                        .entry((key.clone(), hours))
                        .or_insert_with(|| {
                            book.price(
                                key,
                                Assumptions {
                                    auto_stop_hours_per_month: hours,
                                },
                            )
                        })
                        .clone(),
                )
            }
        }
    }
}

type Priced = Option<Result<Price, Unpriced>>;

fn change_cost(
    (before, after): (Priced, Priced),
    before_key: &Side,
    after_key: &Side,
    today: &Today,
) -> ChangeCost {
    let unknown = [&before, &after].into_iter().find_map(|p| match p {
        Some(Err(why)) => Some(why.0.clone()),
        _ => None,
    });
    if let Some(unknown) = unknown {
        return ChangeCost {
            monthly_before: None,
            monthly_after: None,
            monthly_delta: Money::ZERO,
            this_month_delta: None,
            unknown: Some(unknown),
            auto_stop_hours: None,
        };
    }
    let before = before.and_then(Result::ok);
    let after = after.and_then(Result::ok);
    let monthly_delta = after.map(|p| p.monthly).unwrap_or_default()
        - before.map(|p| p.monthly).unwrap_or_default();
    let mode = |side: &Side| match side {
        Side::Key(key) => Some(key.mode),
        _ => None,
    };
    let remaining = i64::from(today.days_in_month) - i64::from(today.day) + 1;
    let days = i64::from(today.days_in_month);
    let this_month_delta = match (mode(before_key), mode(after_key), before, after) {
        // AWS bills the ALWAYS_ON fee prorated from the day of the switch;
        // the AUTO_STOP hours stop.
        (Some(RunningMode::AutoStop), Some(RunningMode::AlwaysOn), Some(before), Some(after)) => {
            let hours = before.monthly - before.monthly_fee;
            Some(after.monthly_fee.prorated(remaining, days) - hours.prorated(remaining, days))
        }
        // A move to AUTO_STOP is billed from the next month.
        (Some(RunningMode::AlwaysOn), Some(RunningMode::AutoStop), Some(_), Some(_)) => {
            Some(Money::ZERO)
        }
        _ => None,
    };
    ChangeCost {
        monthly_before: before.map(|p| p.monthly),
        monthly_after: after.map(|p| p.monthly),
        monthly_delta,
        this_month_delta: this_month_delta.filter(|m| *m != monthly_delta),
        unknown: None,
        auto_stop_hours: None,
    }
}
