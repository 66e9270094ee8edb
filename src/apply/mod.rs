//! Carrying a plan out: walk its operations as a graph on tokio, run what is
//! independent concurrently, batch creates and terminates 25 a call, wait
//! for asynchronous results, and report each resource's outcome without
//! stopping unrelated work.

mod calls;
mod progress;
mod task;
mod waiter;

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use tokio::task::JoinSet;

pub use progress::Progress;
pub use waiter::{Polling, Until, WaitError, Waiter};

use crate::address::Address;
use crate::aws::Aws;
use crate::plan::{BATCH, Plan};
use task::{Ids, Task};

#[derive(Clone, Copy, Debug)]
pub struct ApplyOptions {
    /// Wait for asynchronous results even where nothing later depends on them.
    pub wait: bool,
    pub polling: Polling,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed(String),
    /// Not started, because a resource it depends on (or an earlier step of
    /// its own) failed.
    Skipped {
        because: Address,
    },
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
            Outcome::Failed(error) => write!(f, "failed: {error}"),
            Outcome::Skipped { because } => write!(f, "not started, because {because} failed"),
        }
    }
}

/// One operation of one resource change.
#[derive(Clone, Copy, Debug)]
struct Step {
    change: usize,
    operation: usize,
}

struct Graph {
    steps: Vec<Step>,
    /// Steps that wait for each step.
    dependents: Vec<Vec<usize>>,
    waiting_on: Vec<usize>,
}

impl Graph {
    /// Each resource's operations in order; a resource's first operation
    /// after the last operation of every resource it depends on.
    fn build(plan: &Plan) -> Graph {
        let mut steps = Vec::new();
        let mut first = Vec::new();
        let mut last = Vec::new();
        for (change, resource) in plan.changes.iter().enumerate() {
            first.push(steps.len());
            for operation in 0..resource.operations.len() {
                steps.push(Step { change, operation });
            }
            last.push(
                steps
                    .len()
                    .checked_sub(1)
                    .filter(|_| !resource.operations.is_empty()),
            );
        }
        let position: HashMap<&Address, usize> = plan
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.address, i))
            .collect();
        let mut dependents = vec![Vec::new(); steps.len()];
        let mut waiting_on = vec![0; steps.len()];
        for (index, step) in steps.iter().enumerate() {
            let mut before: Vec<usize> = Vec::new();
            if step.operation > 0 {
                before.push(index - 1);
            } else {
                before.extend(
                    plan.changes[step.change]
                        .depends_on
                        .iter()
                        .filter_map(|address| position.get(address))
                        .filter_map(|change| last[*change]),
                );
            }
            for earlier in before {
                dependents[earlier].push(index);
                waiting_on[index] += 1;
            }
        }
        Graph {
            steps,
            dependents,
            waiting_on,
        }
    }
}

/// Calls go within `aws.limit` (`--parallelism`); waiting for their results
/// takes no slot.
pub async fn apply(
    aws: &Aws,
    plan: &Plan,
    options: &ApplyOptions,
    progress: &Progress,
) -> ApplyReport {
    let waiter = Waiter::start(aws, options.polling, progress.clone());
    let mut graph = Graph::build(plan);
    let mut ready: VecDeque<usize> = (0..graph.steps.len())
        .filter(|i| graph.waiting_on[*i] == 0)
        .collect();
    let mut failures: HashMap<usize, String> = HashMap::new();
    let mut skipped: HashMap<usize, Address> = HashMap::new();
    let mut done: HashSet<usize> = HashSet::new();
    let ids = Ids::default();
    let mut running = JoinSet::new();
    loop {
        while let Some(batch) = next_batch(&mut ready, &graph, plan) {
            let task = Task {
                client: aws.workspaces.clone(),
                limit: aws.limit.clone(),
                waiter: waiter.clone(),
                progress: progress.clone(),
                polling: options.polling,
                ids: ids.clone(),
                plan_steps: batch
                    .iter()
                    .map(|index| {
                        let step = graph.steps[*index];
                        let change = &plan.changes[step.change];
                        let wait = options.wait || !graph.dependents[*index].is_empty();
                        (
                            *index,
                            change.address.clone(),
                            change.operations[step.operation].clone(),
                            wait,
                        )
                    })
                    .collect(),
            };
            running.spawn(task.run());
        }
        let Some(finished) = running.join_next().await else {
            break;
        };
        let results = finished.unwrap_or_default();
        for (index, result) in results {
            let step = graph.steps[index];
            let change = &plan.changes[step.change];
            match result {
                Ok(()) => {
                    done.insert(index);
                    if step.operation + 1 == change.operations.len() {
                        progress.event(&format!(
                            "{}: {} [{}s]",
                            change.address,
                            change.action.verb(),
                            progress.elapsed().as_secs()
                        ));
                    }
                    for next in graph.dependents[index].clone() {
                        graph.waiting_on[next] -= 1;
                        if graph.waiting_on[next] == 0 {
                            ready.push_back(next);
                        }
                    }
                }
                Err(error) => {
                    progress.event(&format!("{}: failed: {error}", change.address));
                    failures.insert(index, error);
                    skip_dependents(&graph, plan, index, &mut skipped);
                }
            }
        }
    }
    progress.finish();
    report(plan, &graph, &done, &failures, &skipped)
}

/// The next call to make: up to 25 ready creates, terminates or reboots
/// together, or one other operation.
fn next_batch(ready: &mut VecDeque<usize>, graph: &Graph, plan: &Plan) -> Option<Vec<usize>> {
    let first = ready.pop_front()?;
    let operation = |index: usize| {
        let step = graph.steps[index];
        &plan.changes[step.change].operations[step.operation]
    };
    let api = |index: usize| operation(index).api_name();
    let kind = api(first);
    let mut batch = vec![first];
    if operation(first).is_batched() {
        let mut rest = VecDeque::new();
        while let Some(index) = ready.pop_front() {
            if batch.len() < BATCH && api(index) == kind {
                batch.push(index);
            } else {
                rest.push_back(index);
            }
        }
        *ready = rest;
    }
    Some(batch)
}

fn skip_dependents(
    graph: &Graph,
    plan: &Plan,
    failed: usize,
    skipped: &mut HashMap<usize, Address>,
) {
    let because = plan.changes[graph.steps[failed].change].address.clone();
    let mut stack = graph.dependents[failed].clone();
    while let Some(index) = stack.pop() {
        if skipped.insert(index, because.clone()).is_none() {
            stack.extend(graph.dependents[index].iter().copied());
        }
    }
}

fn report(
    plan: &Plan,
    graph: &Graph,
    finished: &HashSet<usize>,
    failures: &HashMap<usize, String>,
    skipped: &HashMap<usize, Address>,
) -> ApplyReport {
    let mut outcomes: Vec<Outcome> = vec![Outcome::Done; plan.changes.len()];
    for (index, step) in graph.steps.iter().enumerate() {
        let outcome = &mut outcomes[step.change];
        if let Some(error) = failures.get(&index) {
            *outcome = Outcome::Failed(error.clone());
        } else if *outcome != Outcome::Done {
            continue;
        } else if let Some(because) = skipped.get(&index) {
            *outcome = Outcome::Skipped {
                because: because.clone(),
            };
        } else if !finished.contains(&index) {
            *outcome =
                Outcome::Failed("never started: it waits for a change that never ran".to_owned());
        }
    }
    ApplyReport {
        outcomes: plan
            .changes
            .iter()
            .map(|c| c.address.clone())
            .zip(outcomes)
            .collect(),
    }
}
