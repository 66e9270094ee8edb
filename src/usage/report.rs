//! The usage report: each WorkSpace of the stack judged from its usage and
//! the prices, and the totals.

use std::collections::HashMap;

use super::hours::{DEFAULT_AUTO_STOP_MINUTES, WindowHours, hours_of};
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
    let window_hours = usage.window.seconds() as f64 / 3600.0;
    let rows = owned
        .workspaces()
        .iter()
        .map(|workspace| {
            let timeout = timeouts
                .get(workspace.id.as_str())
                .copied()
                .flatten()
                .unwrap_or(DEFAULT_AUTO_STOP_MINUTES);
            let hours = match &usage.samples {
                Ok(samples) => Some(
                    samples
                        .get(&workspace.id)
                        .map_or(WindowHours::NONE, |s| hours_of(s, timeout)),
                ),
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
