//! Where each step of the plan's order stands during an apply, as plain
//! data: which calls can start, which steps a failure skips, and what
//! became of each change. The async loop in `apply` only runs what this
//! hands it, so the walk is tested without a network.

use std::collections::HashMap;

use super::{ApplyReport, Outcome, StepError};
use crate::address::Address;
use crate::plan::{Operation, Plan, ResourceChange};

pub(super) struct Walk<'p> {
    plan: &'p Plan,
    /// By step, in the order's numbering.
    steps: Vec<Place>,
    dependents: Vec<Vec<usize>>,
    states: Vec<State>,
    /// By call: the steps it carries.
    calls: Vec<Vec<usize>>,
    /// By call: waits of its steps on steps not yet over.
    open: Vec<usize>,
}

/// Where a step sits in the plan and its order.
struct Place {
    change: usize,
    operation: usize,
    call: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Done,
    Failed(StepError),
    /// Not started because the change at this address failed.
    Skipped(Address),
}

impl<'p> Walk<'p> {
    /// The walk of `plan.order()`. A step naming no operation of the plan's
    /// changes is left out (a saved order is checked against its changes
    /// when read, so none does).
    pub(super) fn new(plan: &'p Plan) -> Self {
        let change: HashMap<&Address, usize> = plan
            .changes()
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.address, i))
            .collect();
        let mut walk = Walk {
            plan,
            steps: Vec::new(),
            dependents: Vec::new(),
            states: Vec::new(),
            calls: Vec::new(),
            open: Vec::new(),
        };
        let mut number: HashMap<usize, usize> = HashMap::new();
        let mut after: Vec<&[usize]> = Vec::new();
        for (call, planned) in plan.order().calls().enumerate() {
            walk.calls.push(Vec::new());
            for step in &planned.steps {
                let Some(&index) = change.get(&step.address) else {
                    continue;
                };
                if step.operation >= plan.changes()[index].operations.len() {
                    continue;
                }
                number.insert(step.id, walk.steps.len());
                walk.calls[call].push(walk.steps.len());
                walk.steps.push(Place {
                    change: index,
                    operation: step.operation,
                    call,
                });
                after.push(&step.after);
            }
        }
        walk.dependents = vec![Vec::new(); walk.steps.len()];
        walk.states = vec![State::Waiting; walk.steps.len()];
        walk.open = vec![0; walk.calls.len()];
        for (index, after) in after.into_iter().enumerate() {
            for earlier in after.iter().filter_map(|id| number.get(id)) {
                walk.dependents[*earlier].push(index);
                walk.open[walk.steps[index].call] += 1;
            }
        }
        walk
    }

    /// The calls that wait for nothing.
    pub(super) fn start(&mut self) -> Vec<Vec<usize>> {
        let ready: Vec<usize> = (0..self.calls.len())
            .filter(|c| self.open[*c] == 0)
            .collect();
        ready.into_iter().filter_map(|c| self.launch(c)).collect()
    }

    /// Records how `step` ended and returns the calls that can start now,
    /// each as the steps it carries. A failure skips every step that waits
    /// for it, directly or not, naming the change that failed.
    pub(super) fn finished(
        &mut self,
        step: usize,
        result: Result<(), StepError>,
    ) -> Vec<Vec<usize>> {
        let Some(state) = self.states.get_mut(step) else {
            return Vec::new();
        };
        *state = match result {
            Ok(()) => State::Done,
            Err(error) => State::Failed(error),
        };
        let because = self.change(step).address.clone();
        let mut ready = Vec::new();
        let mut over = vec![step];
        while let Some(earlier) = over.pop() {
            let failed = self.states[earlier] != State::Done;
            for index in self.dependents[earlier].clone() {
                if failed && self.states[index] == State::Waiting {
                    self.states[index] = State::Skipped(because.clone());
                    over.push(index);
                }
                let call = self.steps[index].call;
                self.open[call] -= 1;
                if self.open[call] == 0 {
                    ready.push(call);
                }
            }
        }
        ready.into_iter().filter_map(|c| self.launch(c)).collect()
    }

    /// The steps of `call` still to run, now running; `None` when a failure
    /// skipped them all.
    fn launch(&mut self, call: usize) -> Option<Vec<usize>> {
        let steps: Vec<usize> = self.calls[call]
            .iter()
            .copied()
            .filter(|s| self.states[*s] == State::Waiting)
            .collect();
        for step in &steps {
            self.states[*step] = State::Running;
        }
        (!steps.is_empty()).then_some(steps)
    }

    pub(super) fn change(&self, step: usize) -> &'p ResourceChange {
        &self.plan.changes()[self.steps[step].change]
    }

    pub(super) fn operation(&self, step: usize) -> &'p Operation {
        &self.change(step).operations[self.steps[step].operation]
    }

    /// Some later step waits for this one.
    pub(super) fn has_dependents(&self, step: usize) -> bool {
        !self.dependents[step].is_empty()
    }

    /// The last operation of its change.
    pub(super) fn ends_change(&self, step: usize) -> bool {
        self.steps[step].operation + 1 == self.change(step).operations.len()
    }

    /// Each change's outcome: its first failed step's error, or why its
    /// steps were skipped, or done.
    /// What became of each change; after an interrupt, a step that never
    /// started says so.
    pub(super) fn report(self, interrupted: bool) -> ApplyReport {
        let mut outcomes: Vec<Outcome> = vec![Outcome::Done; self.plan.changes().len()];
        for (place, state) in self.steps.iter().zip(self.states) {
            let outcome = &mut outcomes[place.change];
            if matches!(outcome, Outcome::Failed(_)) {
                continue;
            }
            match state {
                State::Done => {}
                State::Failed(StepError::NotStarted) => {
                    if matches!(outcome, Outcome::Done) {
                        *outcome = Outcome::NotStarted;
                    }
                }
                State::Failed(error) => *outcome = Outcome::Failed(error),
                State::Skipped(because) => *outcome = Outcome::Skipped { because },
                State::Waiting if interrupted => {
                    if matches!(outcome, Outcome::Done) {
                        *outcome = Outcome::NotStarted;
                    }
                }
                State::Waiting | State::Running => {
                    let error = StepError::Lost("the apply ended before it did".to_owned());
                    *outcome = Outcome::Failed(error);
                }
            }
        }
        ApplyReport {
            outcomes: self
                .plan
                .changes()
                .iter()
                .map(|c| c.address.clone())
                .zip(outcomes)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ApiError;
    use crate::plan::Action;

    fn change(name: &str, operations: Vec<Operation>, depends_on: &[&str]) -> ResourceChange {
        ResourceChange {
            address: Address::workspace(name),
            action: Action::Replace,
            reason: String::new(),
            data_loss: false,
            data_loss_allowed: false,
            id: None,
            attributes: Vec::new(),
            operations,
            depends_on: depends_on.iter().map(|d| Address::workspace(d)).collect(),
            cost: None,
        }
    }

    fn terminate(name: &str) -> Operation {
        Operation::TerminateWorkspace {
            workspace_id: format!("ws-{name}"),
        }
    }

    fn reboot(name: &str) -> Operation {
        Operation::RebootWorkspace {
            workspace_id: format!("ws-{name}"),
        }
    }

    fn plan(changes: Vec<ResourceChange>) -> Plan {
        Plan::new("eng", changes)
    }

    /// `n` WorkSpaces terminated, then each rebooted (a stand-in for its
    /// replacement's create), and `carol` after `w00`.
    fn replacements(n: usize) -> Plan {
        let mut changes: Vec<ResourceChange> = (0..n)
            .map(|i| {
                let name = format!("w{i:02}");
                change(&name, vec![terminate(&name), reboot(&name)], &[])
            })
            .collect();
        changes.push(change("carol", vec![reboot("carol")], &["w00"]));
        plan(changes)
    }

    fn names(walk: &Walk, calls: &[Vec<usize>]) -> Vec<Vec<String>> {
        let name = |step: &usize| walk.change(*step).address.name().to_owned();
        calls.iter().map(|c| c.iter().map(name).collect()).collect()
    }

    fn refused(name: &str) -> StepError {
        StepError::Item {
            operation: "TerminateWorkspaces",
            code: "ResourceNotFoundException".to_owned(),
            message: format!("ws-{name} is gone"),
        }
    }

    #[test]
    fn calls_start_as_planned_25_to_a_batch_once_what_they_wait_for_is_done() {
        let plan = replacements(30);
        let mut walk = Walk::new(&plan);
        let started = walk.start();
        assert_eq!(started.iter().map(Vec::len).collect::<Vec<_>>(), [25, 5]);
        assert!(started.iter().flatten().all(|s| walk.has_dependents(*s)));
        let mut next = Vec::new();
        for step in &started[0] {
            assert!(next.is_empty(), "nothing starts before its call is over");
            next = walk.finished(*step, Ok(()));
        }
        let sizes: Vec<usize> = next.iter().map(Vec::len).collect();
        assert_eq!(sizes, [25], "w00..w24 rebooted together");
        let reboots = &next[0];
        assert!(reboots.iter().all(|s| walk.ends_change(*s)));
        assert!(walk.has_dependents(reboots[0]), "carol waits for w00");
        assert!(!walk.has_dependents(reboots[1]));
        let first = walk.finished(reboots[0], Ok(()));
        assert_eq!(
            names(&walk, &first),
            [vec!["carol"]],
            "carol waits for w00 alone"
        );
    }

    #[test]
    fn a_failure_skips_what_waits_for_it_and_the_rest_of_its_batch_goes_on() {
        let plan = replacements(3);
        let mut walk = Walk::new(&plan);
        let started = walk.start();
        let [terminates] = started.as_slice() else {
            panic!("one terminate call: {started:?}");
        };
        assert!(walk.finished(terminates[0], Err(refused("w00"))).is_empty());
        assert!(walk.finished(terminates[1], Ok(())).is_empty());
        let next = walk.finished(terminates[2], Ok(()));
        assert_eq!(names(&walk, &next), [vec!["w01", "w02"]]);
        for step in next.iter().flatten() {
            assert!(walk.finished(*step, Ok(())).is_empty());
        }
        let report: Vec<(String, Outcome)> = walk
            .report(false)
            .outcomes
            .into_iter()
            .map(|(a, o)| (a.name().to_owned(), o))
            .collect();
        let w00 = Address::workspace("w00");
        assert_eq!(
            report,
            [
                ("w00".to_owned(), Outcome::Failed(refused("w00"))),
                ("w01".to_owned(), Outcome::Done),
                ("w02".to_owned(), Outcome::Done),
                ("carol".to_owned(), Outcome::Skipped { because: w00 }),
            ]
        );
    }

    #[test]
    fn a_call_whose_steps_were_all_skipped_is_not_made() {
        let plan = plan(vec![
            change("a", vec![terminate("a")], &[]),
            change("b", vec![reboot("b")], &["a"]),
            change("c", vec![reboot("c")], &["b"]),
        ]);
        let mut walk = Walk::new(&plan);
        let started = walk.start();
        assert_eq!(names(&walk, &started), [vec!["a"]]);
        let error = StepError::Api(ApiError {
            operation: "TerminateWorkspaces",
            code: "ThrottlingException".to_owned(),
            message: "Rate exceeded".to_owned(),
        });
        assert!(walk.finished(started[0][0], Err(error.clone())).is_empty());
        let report = walk.report(false);
        let outcomes: Vec<String> = report.outcomes.iter().map(|(_, o)| o.to_string()).collect();
        assert_eq!(
            outcomes,
            [
                "failed: TerminateWorkspaces failed: ThrottlingException: Rate exceeded",
                "not started, because workspace.a failed",
                "not started, because workspace.a failed",
            ]
        );
        assert!(!report.succeeded());
    }

    #[test]
    fn a_step_its_call_never_answered_for_is_reported_lost() {
        let plan = plan(vec![change("a", vec![terminate("a"), reboot("a")], &[])]);
        let mut walk = Walk::new(&plan);
        let started = walk.start();
        assert_eq!(started.len(), 1);
        let report = walk.report(false);
        assert_eq!(
            report.outcomes[0].1.to_string(),
            "failed: it never finished: the apply ended before it did"
        );
    }
}
