//! Verdicts: for each WorkSpace, whether its running mode suits its hours.
//! The break-even is where both modes cost the same a month, from the
//! Price List (never a fixed threshold); a WorkSpace moves only when its
//! hours are past the break-even by more than [`MARGIN_PERCENT`], so one
//! near the line does not flip every month.

use crate::money::Money;
use crate::prices::{Price, Today};
use crate::workspace_properties::RunningMode;

/// How far past the break-even a WorkSpace's hours must be to move it.
pub const MARGIN_PERCENT: u32 = 15;

/// What to do with a WorkSpace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Keep,
    MoveToAutoStop,
    MoveToAlwaysOn,
    /// No connection in the window.
    Unused,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Keep,
        Verdict::MoveToAutoStop,
        Verdict::MoveToAlwaysOn,
        Verdict::Unused,
    ];

    /// As people read it.
    pub fn text(self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::MoveToAutoStop => "move to AUTO_STOP",
            Verdict::MoveToAlwaysOn => "move to ALWAYS_ON",
            Verdict::Unused => "unused",
        }
    }

    /// As JSON and CSV name it.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::MoveToAutoStop => "move_to_auto_stop",
            Verdict::MoveToAlwaysOn => "move_to_always_on",
            Verdict::Unused => "unused",
        }
    }

    /// The running mode the verdict moves to.
    pub fn target(self) -> Option<RunningMode> {
        match self {
            Verdict::MoveToAutoStop => Some(RunningMode::AutoStop),
            Verdict::MoveToAlwaysOn => Some(RunningMode::AlwaysOn),
            Verdict::Keep | Verdict::Unused => None,
        }
    }
}

/// The hours a month at which AUTO_STOP costs what ALWAYS_ON does: the
/// difference of the monthly fees over the hourly rate. None when
/// AUTO_STOP has no hourly rate.
pub fn break_even(always_on: &Price, auto_stop: &Price) -> Option<f64> {
    let hourly = auto_stop.hourly.filter(|h| *h > Money::ZERO)?;
    let fees = always_on.monthly_fee - auto_stop.monthly_fee;
    Some((fees.as_f64() / hourly.as_f64()).max(0.0))
}

/// The verdict for a WorkSpace in `mode` billed `hours` a month, given
/// the break-even.
pub fn decide(mode: RunningMode, hours: u32, break_even: f64) -> Verdict {
    // In hundredths, so that a WorkSpace exactly at the margin stays.
    let hours = f64::from(hours) * 100.0;
    let above = break_even * f64::from(100 + MARGIN_PERCENT);
    let below = break_even * f64::from(100 - MARGIN_PERCENT);
    match mode {
        RunningMode::AutoStop if hours > above => Verdict::MoveToAlwaysOn,
        RunningMode::AlwaysOn if hours < below => Verdict::MoveToAutoStop,
        _ => Verdict::Keep,
    }
}

/// The first day of next month, `YYYY-MM-01`: when a move to AUTO_STOP
/// starts to count, and when every month's saving starts.
pub fn next_month(today: &Today) -> String {
    let mut parts = today.date.split('-').map(|p| p.parse::<u32>().unwrap_or(1));
    let (year, month) = (parts.next().unwrap_or(1970), parts.next().unwrap_or(1));
    let (year, month) = if month >= 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    format!("{year:04}-{month:02}-01")
}

/// What a move to ALWAYS_ON adds to this month: AWS bills its monthly fee
/// prorated from today (the day included).
pub fn prorated_from_today(monthly_fee: Money, today: &Today) -> (Money, i64) {
    let days = i64::from(today.days_in_month);
    let left = (days - i64::from(today.day) + 1).clamp(0, days);
    (monthly_fee.prorated(left, days), left)
}

/// Why a priced WorkSpace got `verdict`, and when its saving or cost
/// starts.
pub fn reason(
    verdict: Verdict,
    hours: u32,
    break_even: f64,
    saving: Money,
    always_on_fee: Money,
    today: &Today,
) -> String {
    let line = format!("{hours} h a month against a break-even of {break_even:.0} h");
    let from = next_month(today);
    match verdict {
        Verdict::MoveToAlwaysOn => {
            let (this_month, left) = prorated_from_today(always_on_fee, today);
            format!(
                "{line} (+{MARGIN_PERCENT}%): ALWAYS_ON saves {saving} a month from {from}; AWS bills it from today, {this_month} for the {left} day{} left of this month",
                if left == 1 { "" } else { "s" }
            )
        }
        Verdict::MoveToAutoStop => format!(
            "{line} (-{MARGIN_PERCENT}%): AUTO_STOP saves {saving} a month; AWS bills it from the next month ({from}), this month's ALWAYS_ON fee being paid"
        ),
        Verdict::Keep | Verdict::Unused => format!("{line}, within its mode"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(fee: i64, hourly: Option<i64>) -> Price {
        Price {
            monthly_fee: Money::cents(fee),
            hourly: hourly.map(Money::cents),
            monthly: Money::cents(fee),
        }
    }

    fn today(date: &str, day: u8, days_in_month: u8) -> Today {
        Today {
            date: date.to_owned(),
            day,
            days_in_month,
        }
    }

    #[test]
    fn the_break_even_comes_from_the_prices() {
        // $35 ALWAYS_ON, or $9.75 and $0.30 an hour: 84.2 hours.
        let hours = break_even(&price(3500, None), &price(975, Some(30))).expect("hourly");
        assert!((hours - 84.166).abs() < 0.01, "{hours}");
        assert_eq!(break_even(&price(3500, None), &price(975, None)), None);
        assert_eq!(
            break_even(&price(500, None), &price(975, Some(30))),
            Some(0.0)
        );
    }

    #[test]
    fn the_margin_keeps_a_workspace_near_the_line_where_it_is() {
        let even = 100.0;
        assert_eq!(decide(RunningMode::AutoStop, 110, even), Verdict::Keep);
        assert_eq!(decide(RunningMode::AutoStop, 115, even), Verdict::Keep);
        assert_eq!(
            decide(RunningMode::AutoStop, 116, even),
            Verdict::MoveToAlwaysOn
        );
        assert_eq!(decide(RunningMode::AlwaysOn, 90, even), Verdict::Keep);
        assert_eq!(decide(RunningMode::AlwaysOn, 85, even), Verdict::Keep);
        assert_eq!(
            decide(RunningMode::AlwaysOn, 84, even),
            Verdict::MoveToAutoStop
        );
        assert_eq!(decide(RunningMode::Manual, 0, even), Verdict::Keep);
    }

    #[test]
    fn a_move_to_always_on_is_billed_from_today_and_one_to_auto_stop_next_month() {
        let november = today("2026-11-29", 29, 30);
        assert_eq!(next_month(&november), "2026-12-01");
        assert_eq!(next_month(&today("2026-12-31", 31, 31)), "2027-01-01");
        assert_eq!(
            prorated_from_today(Money::cents(3000), &november),
            (Money::cents(200), 2)
        );
        assert_eq!(
            prorated_from_today(Money::cents(3100), &today("2026-12-01", 1, 31)),
            (Money::cents(3100), 31)
        );
        let up = reason(
            Verdict::MoveToAlwaysOn,
            200,
            84.2,
            Money::cents(2500),
            Money::cents(3000),
            &november,
        );
        assert!(
            up.contains("saves $25.00 a month from 2026-12-01; AWS bills it from today, $2.00 for the 2 days left"),
            "{up}"
        );
        let down = reason(
            Verdict::MoveToAutoStop,
            10,
            84.2,
            Money::cents(2200),
            Money::cents(3000),
            &november,
        );
        assert!(
            down.contains("AWS bills it from the next month (2026-12-01)"),
            "{down}"
        );
    }
}
