//! Carrying a plan out: walk the plan's order (its steps, what each waits
//! for, and the calls that carry them) on tokio, run independent calls
//! concurrently, wait for asynchronous results, and report each resource's
//! outcome without stopping unrelated work.

mod calls;
mod interrupt;
mod poller;
mod progress;
mod registrations;
mod step_error;
mod task;
mod waiter;
mod walk;

use std::collections::HashMap;
use std::fmt;
use tokio::task::JoinSet;

pub use interrupt::{Interrupt, Stop, interrupt};
pub use progress::Progress;
pub use step_error::StepError;
pub use waiter::{Polling, Until, WaitError, Waiter};

use crate::address::Address;
use crate::aws::Aws;
use crate::plan::Plan;
use registrations::Registrations;
use task::{Ids, Task, TaskStep};
use walk::Walk;

#[derive(Clone, Copy, Debug)]
pub struct ApplyOptions {
    /// Wait for asynchronous results even where nothing later depends on them.
    pub wait: bool,
    pub polling: Polling,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed(StepError),
    /// Not started, because a resource it depends on (or an earlier step of
    /// its own) failed.
    Skipped {
        because: Address,
    },
    /// Not started, because the apply was interrupted first.
    NotStarted,
}

#[derive(Debug, Default)]
pub struct ApplyReport {
    pub outcomes: Vec<(Address, Outcome)>,
}

impl ApplyReport {
    pub fn failed(&self) -> impl Iterator<Item = &(Address, Outcome)> {
        self.outcomes.iter().filter(|(_, o)| *o != Outcome::Done)
    }

    pub fn succeeded(&self) -> bool {
        self.failed().next().is_none()
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Done => f.write_str("done"),
            // AWS's message, shown escaped.
            Outcome::Failed(error) => write!(
                f,
                "failed: {}",
                crate::visible::visible_lines(&error.to_string())
            ),
            Outcome::Skipped { because } => write!(f, "not started, because {because} failed"),
            Outcome::NotStarted => f.write_str("not started: the apply was interrupted"),
        }
    }
}

/// Walks `plan.order()`: each call once the steps it waits for are done, as
/// many at once as `aws.limit` (`--parallelism`) allows; waiting for their
/// results takes no slot.
pub async fn apply(
    aws: &Aws,
    plan: &Plan,
    options: &ApplyOptions,
    progress: &Progress,
    interrupt: &Interrupt,
) -> ApplyReport {
    let waiter = Waiter::start(aws, options.polling, progress.clone(), interrupt.clone());
    let registrations =
        Registrations::start(aws, options.polling, progress.clone(), interrupt.clone());
    let mut walk = Walk::new(plan);
    let ids = Ids::default();
    let mut running = JoinSet::new();
    // The steps of each call under way, to answer for them if its task dies.
    let mut carried: HashMap<tokio::task::Id, Vec<usize>> = HashMap::new();
    let mut ready = walk.start();
    loop {
        if interrupt.is_triggered() {
            ready.clear();
        }
        for steps in ready.drain(..) {
            let task = Task {
                client: aws.workspaces.clone(),
                limit: aws.limit.clone(),
                waiter: waiter.clone(),
                registrations: registrations.clone(),
                progress: progress.clone(),
                polling: options.polling,
                ids: ids.clone(),
                interrupt: interrupt.clone(),
                steps: steps
                    .iter()
                    .map(|index| task_step(&walk, *index, options))
                    .collect(),
            };
            let handle = running.spawn(task.run());
            carried.insert(handle.id(), steps);
        }
        let joined = tokio::select! {
            joined = running.join_next_with_id() => joined,
            // Wakes the loop so nothing new starts; waits end by themselves.
            () = interrupt.triggered(), if !interrupt.is_triggered() => continue,
        };
        let Some(joined) = joined else {
            break;
        };
        let results = match joined {
            Ok((id, results)) => {
                carried.remove(&id);
                results
            }
            Err(error) => {
                let lost = StepError::Lost(error.to_string());
                let steps = carried.remove(&error.id()).unwrap_or_default();
                steps.into_iter().map(|s| (s, Err(lost.clone()))).collect()
            }
        };
        for (index, result) in results {
            show(&walk, index, &result, progress);
            ready.extend(walk.finished(index, result));
        }
    }
    progress.finish();
    walk.report(interrupt.is_triggered())
}

fn task_step(walk: &Walk, index: usize, options: &ApplyOptions) -> TaskStep {
    TaskStep {
        index,
        address: walk.change(index).address.clone(),
        operation: walk.operation(index).clone(),
        wait: options.wait || walk.has_dependents(index),
    }
}

/// A line for each change done. Failures are listed once, in the summary
/// the command prints at the end, with what they held back.
fn show(walk: &Walk, index: usize, result: &Result<(), StepError>, progress: &Progress) {
    let change = walk.change(index);
    if result.is_ok() && walk.ends_change(index) {
        progress.event(&format!(
            "{}: {} [{}s]",
            change.address,
            change.action.verb(),
            progress.elapsed().as_secs()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_aws_says_of_a_failure_is_shown_escaped() {
        let failed = Outcome::Failed(StepError::Item {
            operation: "CreateWorkspaces",
            code: "InvalidParameterValuesException".to_owned(),
            message: "user \u{1b}]0;owned\u{7}\u{202e}".to_owned(),
        });
        assert_eq!(
            failed.to_string(),
            "failed: CreateWorkspaces failed: InvalidParameterValuesException: user \\u{1b}]0;owned\\u{7}\\u{202e}"
        );
    }
}
