//! Hours from CloudWatch's `UserConnected` sums: the time a user was
//! connected, and the hours an AUTO_STOP WorkSpace would be billed for it.
//!
//! WorkSpaces samples `UserConnected` every five minutes (1 while a user is
//! connected), so a period's sum is its connected time in five-minute
//! steps. AWS bills an AUTO_STOP WorkSpace by the hour while it runs: from
//! the connection until the auto-stop time after the user disconnects
//! (billing stops when that time is up). So each run of periods with a
//! connection, one after the other, counts as one session: its connected
//! time plus the auto-stop time (or the time until the next run, if that
//! is shorter), rounded up to whole hours. Two sessions within one period
//! count as one: the samples cannot tell them apart at the period a call
//! of 500 WorkSpaces allows.

use crate::live::{SAMPLE_MINUTES, Samples};

/// The hours AWS counts in a month (365 × 24 / 12), as its prices do.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// The auto-stop time when the account does not say: AWS's default.
pub const DEFAULT_AUTO_STOP_MINUTES: i32 = 60;

/// A WorkSpace's hours over the window read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WindowHours {
    /// Time a user was connected.
    pub connected: f64,
    /// Hours AUTO_STOP would bill for it.
    pub billable: u32,
}

impl WindowHours {
    pub const NONE: WindowHours = WindowHours {
        connected: 0.0,
        billable: 0,
    };

    /// A WorkSpace's hours in what CloudWatch returned for it: none where
    /// it returned nothing (the WorkSpace did not run); the auto-stop time
    /// is AWS's default where the WorkSpace does not say.
    pub fn of(samples: Option<&Samples>, auto_stop_minutes: Option<i32>) -> WindowHours {
        let timeout = auto_stop_minutes.unwrap_or(DEFAULT_AUTO_STOP_MINUTES);
        samples.map_or(WindowHours::NONE, |s| hours_of(s, timeout))
    }

    /// The billable hours of a month at this rate: the window's hours
    /// scaled to [`HOURS_PER_MONTH`], rounded up.
    pub fn monthly(&self, window_hours: f64) -> u32 {
        if window_hours <= 0.0 {
            return 0;
        }
        let scaled = f64::from(self.billable) * HOURS_PER_MONTH / window_hours;
        // At most every hour of a month: a float that rounds above it
        // still bills a month.
        scaled.ceil().clamp(0.0, HOURS_PER_MONTH.ceil()) as u32
    }
}

/// The hours in `samples`, for a WorkSpace that stops `auto_stop_minutes`
/// after its user disconnects.
pub fn hours_of(samples: &Samples, auto_stop_minutes: i32) -> WindowHours {
    let period = samples.period_seconds.max(3600);
    let period_hours = (period / 3600) as f64;
    let timeout = f64::from(auto_stop_minutes.max(0)) / 60.0;
    let mut connected_periods: Vec<(i64, f64)> = samples
        .points
        .iter()
        .filter(|(_, sum)| sum.is_finite() && *sum > 0.0)
        .map(|&(at, sum)| (at, (sum * SAMPLE_MINUTES / 60.0).min(period_hours)))
        .collect();
    connected_periods.sort_by_key(|(at, _)| *at);
    let mut connected = 0.0;
    let mut billable = 0.0;
    let mut run = 0.0;
    for (i, &(at, hours)) in connected_periods.iter().enumerate() {
        connected += hours;
        run += hours;
        let next = connected_periods.get(i + 1).map(|(next, _)| *next);
        if next == Some(at + period) {
            continue;
        }
        // The run ends: its session stops the auto-stop time later, or
        // when the next run starts, whichever comes first.
        let gap = next.map_or(f64::INFINITY, |n| ((n - at - period) / 3600) as f64);
        billable += (run + timeout.min(gap)).ceil();
        run = 0.0;
    }
    WindowHours {
        connected,
        billable: billable.clamp(0.0, f64::from(u32::MAX)) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(period_hours: i64, sums: &[f64]) -> Samples {
        Samples {
            period_seconds: period_hours * 3600,
            points: sums
                .iter()
                .enumerate()
                .map(|(n, sum)| (n as i64 * period_hours * 3600, *sum))
                .collect(),
        }
    }

    #[test]
    fn a_sum_of_samples_is_five_minutes_each() {
        let hours = hours_of(&samples(1, &[12.0, 6.0]), 60);
        assert_eq!(hours.connected, 1.5);
    }

    #[test]
    fn each_session_bills_its_hours_and_the_auto_stop_time_rounded_up() {
        // Ten minutes connected, an hour's timeout: 1 h 10 min, two hours.
        assert_eq!(hours_of(&samples(4, &[2.0]), 60).billable, 2);
        // Two hours connected with a two-hour timeout.
        assert_eq!(hours_of(&samples(4, &[24.0]), 120).billable, 4);
        // Three hours in a row are one session: three hours and the timeout.
        assert_eq!(hours_of(&samples(1, &[12.0, 12.0, 12.0]), 60).billable, 4);
    }

    #[test]
    fn the_same_day_bills_the_same_at_any_period() {
        // 08:00–18:00 connected, an hour's timeout: 11 hours.
        let mut hourly = vec![0.0; 8];
        hourly.extend([12.0; 10]);
        assert_eq!(hours_of(&samples(1, &hourly), 60).billable, 11);
        let four_hourly = [0.0, 0.0, 48.0, 48.0, 24.0];
        assert_eq!(hours_of(&samples(4, &four_hourly), 60).billable, 11);
    }

    #[test]
    fn a_session_stops_being_billed_when_the_next_one_starts() {
        // Connected 00–01 and 02–03 with a three-hour timeout: it never
        // stops in between, 00–06 is billed.
        let sums = [12.0, 0.0, 12.0];
        assert_eq!(hours_of(&samples(1, &sums), 180).billable, 6);
    }

    #[test]
    fn no_sample_no_hours_and_nonsense_is_ignored() {
        assert_eq!(hours_of(&samples(4, &[]), 60), WindowHours::NONE);
        assert_eq!(
            hours_of(&samples(4, &[0.0, -3.0, f64::NAN]), 60),
            WindowHours::NONE
        );
        // A sum above the period's samples counts the period once.
        assert_eq!(hours_of(&samples(1, &[500.0]), 60).connected, 1.0);
    }

    #[test]
    fn window_hours_scale_to_a_month_of_730_hours() {
        let hours = WindowHours {
            connected: 90.0,
            billable: 100,
        };
        assert_eq!(hours.monthly(30.0 * 24.0), 102);
        assert_eq!(hours.monthly(730.0), 100);
        assert_eq!(hours.monthly(0.0), 0);
        let always = WindowHours {
            connected: 720.0,
            billable: 720,
        };
        assert_eq!(always.monthly(720.0), 730);
    }
}
