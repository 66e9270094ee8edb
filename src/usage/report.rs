//! The usage report: each WorkSpace of the stack judged from its usage and
//! the prices, and the totals.

use std::collections::HashMap;

use super::hours::WindowHours;
use super::verdict::{Verdict, break_even, decide, reason};
use crate::live::{ConnectionStatus, LiveState, Usage, Window};
use crate::money::Money;
use crate::prices::{
    Assumptions, Price, PriceBook, PriceKey, StackWorkspace, StackWorkspaces, Today, Unpriced,
};
use crate::workspace_properties::RunningMode;

/// When an unused WorkSpace was last connected to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Since {
    /// Seconds since the epoch.
    LastConnected(i64),
    /// AWS knows of no connection to it.
    Never,
}

/// One WorkSpace, judged.
#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub workspace: StackWorkspace,
    pub connection: ConnectionStatus,
    /// None when CloudWatch could not be read.
    pub hours: Option<WindowHours>,
    /// The billable hours of a month at the window's rate.
    pub monthly_hours: Option<u32>,
    /// A month in its running mode at those hours.
    pub now: Result<Money, Unpriced>,
    /// The other mode (ALWAYS_ON for AUTO_STOP and back) and a month in it;
    /// None for MANUAL.
    pub other: Option<(RunningMode, Result<Money, Unpriced>)>,
    pub verdict: Verdict,
    pub reason: String,
    /// What following the verdict saves a month from next month (a move),
    /// or what the WorkSpace costs a month (unused).
    pub saving: Money,
}

impl Judged {
    /// When an unused WorkSpace was last used.
    pub fn since(&self) -> Since {
        self.connection
            .last_connected
            .map_or(Since::Never, Since::LastConnected)
    }
}

/// The stack's WorkSpaces judged over a window.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub stack: String,
    pub days: u32,
    pub window: Window,
    pub region: String,
    pub currency: String,
    pub prices_fetched: String,
    /// `YYYY-MM-DD`.
    pub today: String,
    /// Why hours are unknown (CloudWatch denied or failing); None when read.
    pub hours_unknown: Option<String>,
    pub rows: Vec<Judged>,
}

impl Report {
    /// What the priced WorkSpaces cost a month now.
    pub fn monthly_now(&self) -> Money {
        self.rows
            .iter()
            .filter_map(|r| r.now.as_ref().ok())
            .copied()
            .sum()
    }

    /// What moving every WorkSpace its verdict moves saves a month.
    pub fn mode_saving(&self) -> Money {
        self.rows
            .iter()
            .filter(|r| r.verdict.target().is_some())
            .map(|r| r.saving)
            .sum()
    }

    /// What the unused WorkSpaces cost a month.
    pub fn unused_monthly(&self) -> Money {
        self.rows
            .iter()
            .filter(|r| r.verdict == Verdict::Unused)
            .map(|r| r.saving)
            .sum()
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.rows.iter().filter(|r| r.verdict == verdict).count()
    }
}

/// Each WorkSpace of `owned` (read into `live`) judged from `usage` and
/// `book` on `today`.
pub fn judge(
    owned: &StackWorkspaces,
    live: &LiveState,
    usage: &Usage,
    book: &PriceBook,
    today: &Today,
    days: u32,
) -> Report {
    let timeouts: HashMap<&str, Option<i32>> = live
        .workspaces
        .iter()
        .map(|w| (w.id.as_str(), w.properties.auto_stop_timeout_minutes))
        .collect();
    let window_hours = usage.window.hours();
    let rows = owned
        .workspaces()
        .iter()
        .map(|workspace| {
            let timeout = timeouts.get(workspace.id.as_str()).copied().flatten();
            let hours = match &usage.samples {
                Ok(samples) => Some(WindowHours::of(samples.get(&workspace.id), timeout)),
                Err(_) => None,
            };
            let connection = usage
                .connections
                .get(&workspace.id)
                .cloned()
                .unwrap_or_default();
            let seen = Seen {
                hours,
                monthly_hours: hours.map(|h| h.monthly(window_hours)),
                connection,
            };
            judge_one(workspace, seen, usage.window, book, today)
        })
        .collect();
    Report {
        stack: owned.stack().to_owned(),
        days,
        window: usage.window,
        region: book.region.clone(),
        currency: book.currency.clone(),
        prices_fetched: book.fetched.clone(),
        today: today.date.clone(),
        hours_unknown: usage.samples.as_ref().err().map(ToString::to_string),
        rows,
    }
}

/// What was read of one WorkSpace's usage.
struct Seen {
    hours: Option<WindowHours>,
    monthly_hours: Option<u32>,
    connection: ConnectionStatus,
}

fn judge_one(
    workspace: &StackWorkspace,
    seen: Seen,
    window: Window,
    book: &PriceBook,
    today: &Today,
) -> Judged {
    let key = workspace.price_key().cloned().map_err(Clone::clone);
    let price = |mode: RunningMode| -> Result<Price, Unpriced> {
        let key = key.clone()?;
        let hours = match (mode, seen.monthly_hours) {
            (RunningMode::AutoStop, None) => {
                return Err(Unpriced(
                    "its hours are unknown: CloudWatch was not read".to_owned(),
                ));
            }
            (_, hours) => hours.unwrap_or(0),
        };
        book.price(
            &PriceKey { mode, ..key },
            Assumptions {
                auto_stop_hours_per_month: hours,
            },
        )
    };
    let mode = key.as_ref().ok().map(|k| k.mode);
    let now = match mode {
        Some(mode) => price(mode).map(|p| p.monthly),
        None => Err(key.clone().err().unwrap_or(Unpriced(String::new()))),
    };
    let other_mode = match mode {
        Some(RunningMode::AlwaysOn) => Some(RunningMode::AutoStop),
        Some(RunningMode::AutoStop) => Some(RunningMode::AlwaysOn),
        _ => None,
    };
    let other = other_mode.map(|m| (m, price(m).map(|p| p.monthly)));
    let mut judged = Judged {
        workspace: workspace.clone(),
        connection: seen.connection,
        hours: seen.hours,
        monthly_hours: seen.monthly_hours,
        now,
        other,
        verdict: Verdict::Keep,
        reason: String::new(),
        saving: Money::ZERO,
    };
    if is_unused(&judged, window) {
        judged.verdict = Verdict::Unused;
        judged.saving = judged.now.clone().unwrap_or_default();
        judged.reason = unused_reason(&judged, window);
        return judged;
    }
    let (Some(mode), Some(hours)) = (mode, seen.monthly_hours) else {
        judged.reason = match (&key, seen.monthly_hours) {
            (Err(why), _) => format!("no price: {why}"),
            _ => "its hours are unknown: CloudWatch was not read".to_owned(),
        };
        return judged;
    };
    let (Ok(always_on), Ok(auto_stop)) =
        (price(RunningMode::AlwaysOn), price(RunningMode::AutoStop))
    else {
        judged.reason = match mode {
            RunningMode::Manual => "MANUAL has no price to compare with".to_owned(),
            _ => "the Price List does not price both running modes of it".to_owned(),
        };
        return judged;
    };
    let Some(even) = break_even(&always_on, &auto_stop) else {
        judged.reason = "the Price List lists no hourly rate for AUTO_STOP".to_owned();
        return judged;
    };
    judged.verdict = decide(mode, hours, even);
    judged.saving = match judged.verdict {
        Verdict::MoveToAlwaysOn => auto_stop.monthly - always_on.monthly,
        Verdict::MoveToAutoStop => always_on.monthly - auto_stop.monthly,
        Verdict::Keep | Verdict::Unused => Money::ZERO,
    };
    judged.reason = reason(
        judged.verdict,
        hours,
        even,
        judged.saving,
        always_on.monthly_fee,
        today,
    );
    judged
}

/// No connection in the window: no connected time (or none known) and no
/// connection AWS knows of since the window began.
fn is_unused(judged: &Judged, window: Window) -> bool {
    let no_hours = judged.hours.is_none_or(|h| h.connected <= 0.0);
    let connected = judged.connection.state.as_deref() == Some("CONNECTED");
    let recent = judged
        .connection
        .last_connected
        .is_some_and(|at| at >= window.start);
    no_hours && !connected && !recent
}

fn unused_reason(judged: &Judged, window: Window) -> String {
    let days = window.seconds() / 86_400;
    match judged.since() {
        Since::Never => format!("no connection in {days} days, and none AWS knows of"),
        Since::LastConnected(at) => format!(
            "no connection in {days} days; the last one was on {}",
            crate::clock::date_of(u64::try_from(at).unwrap_or(0))
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::live::{LiveBundle, LiveWorkspace, Samples};
    use crate::prices::Offer;
    use crate::workspace_properties::WorkspaceProperties;

    /// Standard (80/50 GiB, Windows): $35 ALWAYS_ON, or $9.75 and $0.30 an
    /// hour AUTO_STOP: a break-even of 84.2 hours.
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
            fetched: "2026-11-01".to_owned(),
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

    fn workspace(name: &str, mode: RunningMode) -> LiveWorkspace {
        LiveWorkspace {
            id: format!("ws-{name}"),
            directory_id: "d-1234567890".to_owned(),
            user: name.to_owned(),
            state: crate::states::WorkspaceState::Available,
            bundle_id: "wsb-std".to_owned(),
            properties: WorkspaceProperties {
                running_mode: Some(mode),
                ..WorkspaceProperties::default()
            },
            tags: [("wsctl:stack", "eng"), ("wsctl:name", name)]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
            ..LiveWorkspace::default()
        }
    }

    const WINDOW: Window = Window {
        start: 0,
        end: 30 * 86_400,
    };

    /// `hours` connected hours a day for 30 days, in hourly periods.
    fn daily(hours: i64) -> Samples {
        Samples {
            period_seconds: 3600,
            points: (0..30)
                .flat_map(|day| (0..hours).map(move |h| (day * 86_400 + h * 3600 + 8 * 3600, 12.0)))
                .collect(),
        }
    }

    fn report(samples: Result<BTreeMap<String, Samples>, crate::aws::ApiError>) -> Report {
        use RunningMode::{AlwaysOn, AutoStop};
        let live = LiveState {
            bundles: vec![LiveBundle {
                id: "wsb-std".to_owned(),
                name: "Standard with Windows 10".to_owned(),
                compute_type: Some("STANDARD".to_owned()),
                root_volume_gib: Some(80),
                user_volume_gib: Some(50),
                ..LiveBundle::default()
            }],
            workspaces: vec![
                workspace("heavy", AutoStop),
                workspace("light", AlwaysOn),
                workspace("steady", AutoStop),
                workspace("gone", AlwaysOn),
                workspace("online", AutoStop),
            ],
            ..LiveState::default()
        };
        let connected = |state: &str, at: Option<i64>| ConnectionStatus {
            state: Some(state.to_owned()),
            last_connected: at,
        };
        let usage = Usage {
            window: WINDOW,
            connections: [
                (
                    "ws-heavy",
                    connected("DISCONNECTED", Some(WINDOW.end - 3600)),
                ),
                (
                    "ws-light",
                    connected("DISCONNECTED", Some(WINDOW.end - 86_400)),
                ),
                (
                    "ws-steady",
                    connected("DISCONNECTED", Some(WINDOW.end - 86_400)),
                ),
                ("ws-gone", connected("DISCONNECTED", Some(-86_400 * 10))),
                ("ws-online", connected("CONNECTED", Some(WINDOW.end))),
            ]
            .map(|(id, c)| (id.to_owned(), c))
            .into(),
            samples,
        };
        let today = Today {
            date: "2026-11-29".to_owned(),
            day: 29,
            days_in_month: 30,
        };
        let owned = StackWorkspaces::of(&live, "eng");
        judge(&owned, &live, &usage, &book(), &today, 30)
    }

    fn samples() -> BTreeMap<String, Samples> {
        [
            ("ws-heavy", daily(8)),
            ("ws-light", daily(0)),
            ("ws-steady", daily(2)),
        ]
        .map(|(id, s)| (id.to_owned(), s))
        .into()
    }

    fn verdicts(report: &Report) -> Vec<(&str, Verdict)> {
        report
            .rows
            .iter()
            .map(|r| (r.workspace.user.as_str(), r.verdict))
            .collect()
    }

    #[test]
    fn each_workspace_is_judged_from_its_hours_and_prices() {
        let report = report(Ok(samples()));
        assert_eq!(
            verdicts(&report),
            [
                ("gone", Verdict::Unused),
                ("heavy", Verdict::MoveToAlwaysOn),
                ("light", Verdict::MoveToAutoStop),
                ("online", Verdict::Keep),
                ("steady", Verdict::Keep),
            ]
        );
        let heavy = &report.rows[1];
        // Eight hours and the hour's timeout, 30 days: 270 h, 274 a month.
        assert_eq!(heavy.hours.map(|h| h.billable), Some(270));
        assert_eq!(heavy.monthly_hours, Some(274));
        assert_eq!(heavy.now, Ok(Money::cents(975 + 274 * 30)));
        assert_eq!(heavy.saving, Money::cents(975 + 274 * 30 - 3500));
        assert!(
            heavy.reason.contains("break-even of 84 h"),
            "{}",
            heavy.reason
        );
        assert!(
            heavy.reason.contains("$2.33 for the 2 days left"),
            "{}",
            heavy.reason
        );
        let gone = &report.rows[0];
        assert_eq!(gone.since(), Since::LastConnected(-864_000));
        assert_eq!(gone.saving, Money::cents(3500));
        assert_eq!(report.unused_monthly(), Money::cents(3500));
        assert_eq!(
            report.mode_saving(),
            Money::cents(975 + 274 * 30 - 3500) + Money::cents(3500 - 975)
        );
        assert_eq!(report.hours_unknown, None);
    }

    #[test]
    fn without_cloudwatch_only_the_last_connection_judges() {
        let denied = crate::aws::ApiError {
            operation: "GetMetricData",
            code: "AccessDenied".to_owned(),
            message: "no".to_owned(),
        };
        let report = report(Err(denied));
        assert_eq!(
            verdicts(&report),
            [
                ("gone", Verdict::Unused),
                ("heavy", Verdict::Keep),
                ("light", Verdict::Keep),
                ("online", Verdict::Keep),
                ("steady", Verdict::Keep),
            ]
        );
        let heavy = &report.rows[1];
        assert!(heavy.now.is_err(), "AUTO_STOP without hours has no price");
        assert_eq!(report.rows[2].now, Ok(Money::cents(3500)));
        assert!(
            report
                .hours_unknown
                .as_deref()
                .is_some_and(|w| w.contains("AccessDenied"))
        );
    }
}
