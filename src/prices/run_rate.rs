//! The stack's monthly run-rate as it is now (`wsctl cost`): each WorkSpace
//! the stack owns, priced from the Price List, and the totals grouped by
//! what the reader asks for. A pure function of the account as read, the
//! prices and the assumptions, as pricing a plan is; no price is guessed,
//! and a WorkSpace without one is named and left out of every total.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use super::{Assumptions, Money, Price, PriceBook, PriceKey, Unpriced, key_of_live};
use crate::address::Address;
use crate::live::{LiveIndex, LiveState, Owned};
use crate::workspace_properties::RunningMode;

/// What the totals are grouped by (`--by`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupBy {
    Bundle,
    Compute,
    Mode,
    Directory,
    /// The value of the tag with this key.
    Tag(String),
}

impl GroupBy {
    /// The groupings shown when `--by` is not given.
    pub const DEFAULT: [GroupBy; 4] = [
        GroupBy::Bundle,
        GroupBy::Compute,
        GroupBy::Mode,
        GroupBy::Directory,
    ];

    /// The group `row` falls in; None where the WorkSpace has no such tag or
    /// the account does not say.
    fn key_of(&self, row: &Row) -> Option<String> {
        let workspace = &row.workspace;
        match self {
            GroupBy::Bundle => Some(workspace.bundle_id.clone()),
            GroupBy::Compute => workspace.compute.clone(),
            GroupBy::Mode => workspace.mode.map(|m| m.as_str().to_owned()),
            GroupBy::Directory => Some(workspace.directory_id.clone()),
            GroupBy::Tag(key) => workspace.tags.get(key).cloned(),
        }
    }
}

/// AWS's longest tag key.
const TAG_KEY_CHARS: usize = 128;

/// `bundle`, `compute`, `mode`, `directory`, `tag:KEY`: as `--by` takes it
/// and the JSON document names the grouping.
impl FromStr for GroupBy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let by = match text {
            "bundle" => GroupBy::Bundle,
            "compute" => GroupBy::Compute,
            "mode" => GroupBy::Mode,
            "directory" => GroupBy::Directory,
            _ => match text.strip_prefix("tag:") {
                Some(key) if (1..=TAG_KEY_CHARS).contains(&key.chars().count()) => {
                    GroupBy::Tag(key.to_owned())
                }
                Some(_) => return Err("a tag key is 1–128 characters, like tag:team".to_owned()),
                None => {
                    return Err(
                        "group by one of bundle, compute, mode, directory, or tag:KEY (like tag:team)"
                            .to_owned(),
                    );
                }
            },
        };
        Ok(by)
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupBy::Bundle => f.write_str("bundle"),
            GroupBy::Compute => f.write_str("compute"),
            GroupBy::Mode => f.write_str("mode"),
            GroupBy::Directory => f.write_str("directory"),
            GroupBy::Tag(key) => write!(f, "tag:{key}"),
        }
    }
}

/// One WorkSpace of the stack, as the account says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackWorkspace {
    /// `workspace.NAME` from its `wsctl:name` tag; None for one without.
    pub address: Option<Address>,
    pub id: String,
    pub user: String,
    pub directory_id: String,
    pub bundle_id: String,
    /// None where the bundle is not among those read (deleted, or another
    /// account's).
    pub bundle_name: Option<String>,
    /// The WorkSpace's compute type, else its bundle's.
    pub compute: Option<String>,
    pub mode: Option<RunningMode>,
    pub tags: BTreeMap<String, String>,
    /// What prices it, or why nothing can.
    key: Result<PriceKey, Unpriced>,
}

impl StackWorkspace {
    /// What prices it, or why nothing can.
    pub fn price_key(&self) -> Result<&PriceKey, &Unpriced> {
        self.key.as_ref()
    }
}

/// The stack's WorkSpaces before pricing: what tells which compute types'
/// prices to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackWorkspaces {
    stack: String,
    /// Sorted by address (those without one last), then id.
    workspaces: Vec<StackWorkspace>,
}

/// A WorkSpace and its price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub workspace: StackWorkspace,
    pub price: Result<Price, Unpriced>,
}

/// The WorkSpaces that share one value of a grouping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The bundle id, compute type, running mode, directory id or tag
    /// value; None for WorkSpaces without the tag, or whose compute type or
    /// mode the account does not say.
    pub key: Option<String>,
    /// The bundle's name, for a bundle group.
    pub name: Option<String>,
    pub count: usize,
    /// Of `count`, the WorkSpaces with no price: left out of `monthly`.
    pub unpriced: usize,
    pub monthly: Money,
}

/// The totals of one grouping, largest first: together they add up to the
/// run-rate's total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grouping {
    pub by: GroupBy,
    pub groups: Vec<Group>,
}

/// The stack's monthly run-rate, and what it rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRate {
    pub stack: String,
    /// The Price List region, currency and day of the prices.
    pub region: String,
    pub currency: String,
    pub prices_fetched: String,
    pub assumptions: Assumptions,
    pub rows: Vec<Row>,
    pub groupings: Vec<Grouping>,
    /// The sum of the priced WorkSpaces.
    pub total: Money,
}

impl RunRate {
    /// The WorkSpaces left out of the totals, each with its reason.
    pub fn unpriced(&self) -> impl Iterator<Item = (&StackWorkspace, &Unpriced)> {
        self.rows
            .iter()
            .filter_map(|row| row.price.as_ref().err().map(|why| (&row.workspace, why)))
    }

    /// The totals grouped `by`, whether or not it was asked for (the
    /// Markdown chart is always by compute type).
    pub fn grouped(&self, by: &GroupBy) -> Grouping {
        grouping(by, &self.rows)
    }
}

impl StackWorkspaces {
    /// The WorkSpaces `live` holds that `stack` owns (its `wsctl:stack`
    /// tag), terminating ones left out as a plan leaves them out.
    pub fn of(live: &LiveState, stack: &str) -> Self {
        let index = LiveIndex::new(live);
        let mut workspaces: Vec<StackWorkspace> = live
            .workspaces
            .iter()
            .filter(|w| !w.is_terminating() && w.stack() == Some(stack))
            .map(|w| {
                let bundle = index.bundle(&w.bundle_id);
                let key = key_of_live(w, &index);
                StackWorkspace {
                    address: w.name_tag().map(Address::workspace),
                    id: w.id.clone(),
                    user: w.user.clone(),
                    directory_id: w.directory_id.clone(),
                    bundle_id: w.bundle_id.clone(),
                    bundle_name: bundle.map(|b| b.name.clone()),
                    compute: w
                        .properties
                        .compute_type
                        .clone()
                        .or_else(|| bundle.and_then(|b| b.compute_type.clone())),
                    // The mode the price is for, so the groups match the prices.
                    mode: key
                        .as_ref()
                        .ok()
                        .map(|k| k.mode)
                        .or(w.properties.running_mode),
                    tags: w.tags.clone(),
                    key,
                }
            })
            .collect();
        workspaces.sort_by(|a, b| {
            (a.address.is_none(), &a.address, &a.id).cmp(&(b.address.is_none(), &b.address, &b.id))
        });
        StackWorkspaces {
            stack: stack.to_owned(),
            workspaces,
        }
    }

    /// The WorkSpaces, sorted by address (those without one last), then id.
    pub fn workspaces(&self) -> &[StackWorkspace] {
        &self.workspaces
    }

    pub fn stack(&self) -> &str {
        &self.stack
    }

    /// The compute types the prices must cover.
    pub fn computes(&self) -> BTreeSet<String> {
        self.workspaces
            .iter()
            .filter_map(|w| w.key.as_ref().ok().map(|k| k.compute.clone()))
            .collect()
    }

    /// Each WorkSpace priced from `book`, and the totals grouped `by` each
    /// grouping (once each, in the order given).
    pub fn priced(self, book: &PriceBook, assumptions: Assumptions, by: &[GroupBy]) -> RunRate {
        let rows: Vec<Row> = self
            .workspaces
            .into_iter()
            .map(|workspace| Row {
                price: match &workspace.key {
                    Ok(key) => book.price(key, assumptions),
                    Err(why) => Err(why.clone()),
                },
                workspace,
            })
            .collect();
        let mut seen = BTreeSet::new();
        let groupings = by
            .iter()
            .filter(|by| seen.insert(*by))
            .map(|by| grouping(by, &rows))
            .collect();
        RunRate {
            stack: self.stack,
            region: book.region.clone(),
            currency: book.currency.clone(),
            prices_fetched: book.fetched.clone(),
            assumptions,
            total: rows.iter().filter_map(monthly).sum(),
            rows,
            groupings,
        }
    }
}

fn monthly(row: &Row) -> Option<Money> {
    row.price.as_ref().ok().map(|p| p.monthly)
}

fn grouping(by: &GroupBy, rows: &[Row]) -> Grouping {
    let mut groups: BTreeMap<Option<String>, Group> = BTreeMap::new();
    for row in rows {
        let key = by.key_of(row);
        let group = groups.entry(key.clone()).or_insert_with(|| Group {
            name: match by {
                GroupBy::Bundle => row.workspace.bundle_name.clone(),
                _ => None,
            },
            key,
            count: 0,
            unpriced: 0,
            monthly: Money::ZERO,
        });
        group.count += 1;
        match monthly(row) {
            Some(amount) => group.monthly += amount,
            None => group.unpriced += 1,
        }
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    // Largest first; the WorkSpaces without a value after those with one.
    groups.sort_by(|a, b| {
        b.monthly
            .cmp(&a.monthly)
            .then_with(|| a.key.is_none().cmp(&b.key.is_none()))
            .then_with(|| a.key.cmp(&b.key))
    });
    Grouping {
        by: by.clone(),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::{LiveBundle, LiveWorkspace};
    use crate::prices::Offer;
    use crate::states::WorkspaceState;
    use crate::workspace_properties::WorkspaceProperties;

    /// Standard (80/50 GiB, Windows): $35 ALWAYS_ON, or $9.75 and $0.30 an
    /// hour AUTO_STOP. Power is not listed.
    fn book() -> PriceBook {
        let base = Offer {
            bundle: "standard".to_owned(),
            os: Some("windows".to_owned()),
            byol: Some(false),
            root_gib: Some(80),
            user_gib: Some(50),
            ..Offer::default()
        };
        PriceBook {
            region: "us-east-1".to_owned(),
            currency: "USD".to_owned(),
            fetched: "2026-12-01".to_owned(),
            offers: vec![
                Offer {
                    mode: Some("alwayson".to_owned()),
                    monthly: Some(Money::cents(3500)),
                    ..base.clone()
                },
                Offer {
                    mode: Some("autostop".to_owned()),
                    monthly: Some(Money::cents(975)),
                    hourly: Some(Money::cents(30)),
                    ..base
                },
            ],
        }
    }

    const ALWAYS_ON: i64 = 3500;
    /// $9.75 + 80 hours at $0.30, in cents.
    const AUTO_STOP: i64 = 975 + 80 * 30;

    fn cents(cents: i64) -> Money {
        Money::cents(cents)
    }

    fn bundle(id: &str, name: &str, compute: &str) -> LiveBundle {
        LiveBundle {
            id: id.to_owned(),
            name: name.to_owned(),
            compute_type: Some(compute.to_owned()),
            root_volume_gib: Some(80),
            user_volume_gib: Some(50),
            ..LiveBundle::default()
        }
    }

    /// A WorkSpace of `stack` named `name` on `bundle_id`, with `tags`.
    fn workspace(
        stack: &str,
        name: &str,
        bundle_id: &str,
        mode: RunningMode,
        tags: &[(&str, &str)],
    ) -> LiveWorkspace {
        let mut all: BTreeMap<String, String> = tags
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        all.insert("wsctl:stack".to_owned(), stack.to_owned());
        all.insert("wsctl:name".to_owned(), name.to_owned());
        LiveWorkspace {
            id: format!("ws-{name}"),
            directory_id: "d-1234567890".to_owned(),
            user: name.to_owned(),
            state: WorkspaceState::Available,
            bundle_id: bundle_id.to_owned(),
            properties: WorkspaceProperties {
                running_mode: Some(mode),
                ..WorkspaceProperties::default()
            },
            tags: all,
            ..LiveWorkspace::default()
        }
    }

    /// alice (Standard, AUTO_STOP, team a), bob (Standard, ALWAYS_ON, team
    /// b), carol (Standard, AUTO_STOP, no team), dave (Power: not listed,
    /// team a); and WorkSpaces that are not the stack's to count.
    fn account() -> LiveState {
        use RunningMode::{AlwaysOn, AutoStop};
        let mut terminating = workspace("eng", "gone", "wsb-std", AlwaysOn, &[]);
        terminating.state = WorkspaceState::Terminating;
        LiveState {
            bundles: vec![
                bundle("wsb-std", "Standard with Windows 10", "STANDARD"),
                bundle("wsb-pow", "Power with Windows 10", "POWER"),
            ],
            workspaces: vec![
                workspace("eng", "carol", "wsb-std", AutoStop, &[]),
                workspace("eng", "bob", "wsb-std", AlwaysOn, &[("team", "b")]),
                workspace("eng", "dave", "wsb-pow", AutoStop, &[("team", "a")]),
                workspace("eng", "alice", "wsb-std", AutoStop, &[("team", "a")]),
                workspace("ops", "olga", "wsb-std", AlwaysOn, &[("team", "a")]),
                terminating,
            ],
            ..LiveState::default()
        }
    }

    fn run_rate(by: &[GroupBy]) -> RunRate {
        StackWorkspaces::of(&account(), "eng").priced(&book(), Assumptions::default(), by)
    }

    fn group<'a>(run_rate: &'a RunRate, by: &GroupBy, key: Option<&str>) -> &'a Group {
        run_rate
            .groupings
            .iter()
            .find(|g| &g.by == by)
            .and_then(|g| g.groups.iter().find(|group| group.key.as_deref() == key))
            .unwrap_or_else(|| panic!("no group {key:?} by {by}"))
    }

    #[test]
    fn only_the_stacks_live_workspaces_are_counted_sorted_by_address() {
        let owned = StackWorkspaces::of(&account(), "eng");
        let names: Vec<String> = owned
            .workspaces
            .iter()
            .filter_map(|w| w.address.as_ref().map(ToString::to_string))
            .collect();
        assert_eq!(
            names,
            [
                "workspace.alice",
                "workspace.bob",
                "workspace.carol",
                "workspace.dave"
            ]
        );
        assert_eq!(
            owned.computes(),
            BTreeSet::from(["STANDARD".to_owned(), "POWER".to_owned()])
        );
    }

    #[test]
    fn the_total_is_the_priced_workspaces_and_the_unpriced_are_named() {
        let rate = run_rate(&GroupBy::DEFAULT);
        assert_eq!(rate.total, cents(AUTO_STOP + ALWAYS_ON + AUTO_STOP));
        let unpriced: Vec<&str> = rate.unpriced().map(|(w, _)| w.id.as_str()).collect();
        assert_eq!(unpriced, ["ws-dave"]);
        let (_, why) = rate.unpriced().next().expect("dave");
        assert!(why.0.contains("POWER"), "{why}");
        assert_eq!(rate.prices_fetched, "2026-12-01");
    }

    #[test]
    fn every_grouping_adds_up_to_the_total_and_counts_every_workspace() {
        let rate = run_rate(&[
            GroupBy::Bundle,
            GroupBy::Compute,
            GroupBy::Mode,
            GroupBy::Directory,
            GroupBy::Tag("team".to_owned()),
        ]);
        for grouping in &rate.groupings {
            let sum: Money = grouping.groups.iter().map(|g| g.monthly).sum();
            let count: usize = grouping.groups.iter().map(|g| g.count).sum();
            let unpriced: usize = grouping.groups.iter().map(|g| g.unpriced).sum();
            assert_eq!(sum, rate.total, "by {}", grouping.by);
            assert_eq!((count, unpriced), (4, 1), "by {}", grouping.by);
        }
    }

    #[test]
    fn groups_hold_their_workspaces_largest_first() {
        let rate = run_rate(&GroupBy::DEFAULT);
        let standard = group(&rate, &GroupBy::Bundle, Some("wsb-std"));
        assert_eq!(
            (standard.name.as_deref(), standard.count, standard.monthly),
            (
                Some("Standard with Windows 10"),
                3,
                cents(AUTO_STOP + ALWAYS_ON + AUTO_STOP)
            )
        );
        let power = group(&rate, &GroupBy::Compute, Some("POWER"));
        assert_eq!(
            (power.count, power.unpriced, power.monthly),
            (1, 1, Money::ZERO)
        );
        let auto_stop = group(&rate, &GroupBy::Mode, Some("AUTO_STOP"));
        assert_eq!((auto_stop.count, auto_stop.unpriced), (3, 1));
        assert_eq!(auto_stop.monthly, cents(2 * AUTO_STOP));
        let modes: Vec<Option<&str>> = rate.groupings[2]
            .groups
            .iter()
            .map(|g| g.key.as_deref())
            .collect();
        assert_eq!(modes, [Some("AUTO_STOP"), Some("ALWAYS_ON")]);
    }

    #[test]
    fn workspaces_without_the_tag_are_a_group_of_their_own() {
        let team = GroupBy::Tag("team".to_owned());
        let rate = run_rate(std::slice::from_ref(&team));
        let keys: Vec<(Option<&str>, usize, Money)> = rate.groupings[0]
            .groups
            .iter()
            .map(|g| (g.key.as_deref(), g.count, g.monthly))
            .collect();
        assert_eq!(
            keys,
            [
                (Some("b"), 1, cents(ALWAYS_ON)),
                (Some("a"), 2, cents(AUTO_STOP)),
                (None, 1, cents(AUTO_STOP)),
            ]
        );
    }

    #[test]
    fn a_grouping_asked_for_twice_is_shown_once() {
        let rate = run_rate(&[GroupBy::Mode, GroupBy::Bundle, GroupBy::Mode]);
        let by: Vec<&GroupBy> = rate.groupings.iter().map(|g| &g.by).collect();
        assert_eq!(by, [&GroupBy::Mode, &GroupBy::Bundle]);
    }

    #[test]
    fn an_empty_stack_costs_nothing() {
        let rate = StackWorkspaces::of(&account(), "nobody").priced(
            &book(),
            Assumptions::default(),
            &GroupBy::DEFAULT,
        );
        assert!(rate.rows.is_empty());
        assert_eq!(rate.total, Money::ZERO);
        assert!(rate.groupings.iter().all(|g| g.groups.is_empty()));
    }

    #[test]
    fn groupings_are_read_as_by_takes_them() {
        for text in ["bundle", "compute", "mode", "directory", "tag:cost-center"] {
            let by: GroupBy = text.parse().expect("a grouping");
            assert_eq!(by.to_string(), text);
        }
        for bad in ["", "tag:", "tags:team", "Bundle", "user"] {
            assert!(bad.parse::<GroupBy>().is_err(), "{bad}");
        }
        let long = format!("tag:{}", "k".repeat(129));
        assert!(long.parse::<GroupBy>().is_err());
    }
}
