//! Is the fleet used? For each WorkSpace of the stack: its last connection,
//! its hours over a window, what it costs a month in its running mode and
//! in the other one, and a verdict (keep, move to AUTO_STOP, move to
//! ALWAYS_ON, unused). A pure function of (the stack's WorkSpaces, their
//! usage, the prices, today), as pricing a plan is; `tune` turns the
//! verdicts into an edit of the fleet file.

mod hours;
mod report;
mod tune;
#[cfg(test)]
mod tune_test;
mod verdict;

pub use hours::{DEFAULT_AUTO_STOP_MINUTES, HOURS_PER_MONTH, WindowHours, hours_of};
pub use report::{Judged, Report, Since, judge};
pub use tune::{Edit, Proposal, TuneError, Tuned, diff, tune};
pub use verdict::{
    MARGIN_PERCENT, Verdict, break_even, decide, next_month, prorated_from_today, reason,
};
