//! Which changes wait for which. Creates follow what they refer to (account →
//! BYOL import → image → bundle → WorkSpace; IP group → directory
//! registration and settings → WorkSpace and connection alias); deletes go
//! the other way (WorkSpaces gone → their bundle deleted → its image
//! deleted; WorkSpaces gone and aliases let go → directory deregistered;
//! IP group let go of → deleted); a create whose user a terminate frees
//! waits for it; a connection alias leaves a directory once the WorkSpaces
//! terminated there are gone. Those rules are the operations' facts
//! (`kinds::facts`); this file only files the changes by them.

use std::collections::{BTreeSet, HashMap, HashSet};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::DiGraph;
use serde::{Deserialize, Serialize};

use super::{BATCH, PlanError, ResourceChange};
use crate::address::{Address, Kind};
use crate::kinds::facts::{Effect, LiveLookup, PlacedWorkspace, Wait};
use crate::live::LiveIndex;

pub(super) fn order(changes: &mut [ResourceChange], index: &LiveIndex) -> Result<(), PlanError> {
    let filed = Filed::of(changes, index);
    let found: Vec<Vec<Address>> = changes.iter().map(|c| filed.dependencies(c)).collect();
    for (change, dependencies) in changes.iter_mut().zip(found) {
        let mut known: HashSet<Address> = change.depends_on.iter().cloned().collect();
        for dependency in dependencies {
            if dependency != change.address && known.insert(dependency.clone()) {
                change.depends_on.push(dependency);
            }
        }
    }
    check_cycles(changes)
}

/// The changes of a plan by what their operations do (`Operation::effects`),
/// read once so that each change finds what it waits for
/// (`Operation::waits`) without scanning the others. Each list keeps the
/// order of the changes.
struct Filed<'a> {
    account: Vec<&'a Address>,
    by_effect: HashMap<Effect<'a>, Vec<&'a Address>>,
}

impl<'a> Filed<'a> {
    fn of(changes: &'a [ResourceChange], index: &LiveIndex<'a>) -> Self {
        let mut filed = Filed {
            account: Vec::new(),
            by_effect: HashMap::new(),
        };
        for change in changes {
            if change.address.kind() == Kind::Account {
                filed.account.push(&change.address);
            }
            for operation in &change.operations {
                for effect in operation.effects(index) {
                    filed.note(effect, &change.address);
                }
            }
        }
        filed
    }

    /// Lists `address` under `effect`; a change with several operations
    /// doing the same is listed once.
    fn note(&mut self, effect: Effect<'a>, address: &'a Address) {
        let list = self.by_effect.entry(effect).or_default();
        if list.last() != Some(&address) {
            list.push(address);
        }
    }

    /// The changes that must finish before `change` starts.
    fn dependencies(&self, change: &ResourceChange) -> Vec<Address> {
        let mut found = Vec::new();
        for operation in &change.operations {
            for wait in operation.waits() {
                match wait {
                    Wait::Byol => found.extend(self.account.iter().map(|a| (*a).clone())),
                    Wait::Made(address) => found.push(address),
                    Wait::Every(effect) => found.extend(
                        self.by_effect
                            .get(&effect)
                            .into_iter()
                            .flatten()
                            .map(|a| (*a).clone()),
                    ),
                }
            }
        }
        found
    }
}

impl<'a> LiveLookup<'a> for LiveIndex<'a> {
    fn workspace(&self, workspace_id: &str) -> Option<PlacedWorkspace<'a>> {
        LiveIndex::workspace(self, workspace_id).map(|workspace| PlacedWorkspace {
            key: workspace.key(),
            bundle_id: &workspace.bundle_id,
            directory_id: &workspace.directory_id,
        })
    }

    fn bundle_image(&self, bundle_id: &str) -> Option<&'a str> {
        self.bundle(bundle_id).and_then(|b| b.image_id.as_deref())
    }
}

/// Changes that wait for each other cannot be applied: say which.
fn check_cycles(changes: &[ResourceChange]) -> Result<(), PlanError> {
    let mut graph = DiGraph::<usize, ()>::new();
    let nodes: Vec<_> = (0..changes.len()).map(|i| graph.add_node(i)).collect();
    let index: HashMap<&Address, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.address, i))
        .collect();
    for (i, change) in changes.iter().enumerate() {
        for dependency in &change.depends_on {
            if let Some(j) = index.get(dependency) {
                graph.add_edge(nodes[*j], nodes[i], ());
            }
        }
    }
    if toposort(&graph, None).is_ok() {
        return Ok(());
    }
    let cycle = tarjan_scc(&graph)
        .into_iter()
        .find(|scc| scc.len() > 1)
        .unwrap_or_default();
    let mut members: Vec<String> = cycle
        .iter()
        .map(|n| changes[graph[*n]].address.to_string())
        .collect();
    members.sort();
    let first = members.first().cloned().unwrap_or_default();
    Err(PlanError {
        address: changes[cycle.first().map(|n| graph[*n]).unwrap_or_default()]
            .address
            .clone(),
        origin: None,
        message: format!(
            "these changes wait for each other: {} → {first}",
            members.join(" → ")
        ),
        help: Some(
            "make the change in two applies, e.g. move one WorkSpace to a new user first"
                .to_owned(),
        ),
    })
}

/// The plan as apply walks it. Each operation of each change is a step; a
/// step waits for the steps in its `after` (the change's previous operation,
/// or the last operation of each change it depends on). Steps go to AWS in
/// calls — creates, terminates and reboots up to 25 to a call, any other
/// operation alone — and calls in waves: each step in the wave after the
/// latest step it waits for. The steps of one call wait for the same earlier
/// calls, so they are ready at the same moment and none holds another back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Order {
    pub waves: Vec<Wave>,
}

/// Calls that can start once the waves before them are done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Wave {
    /// The changes with a step in this wave, by address.
    pub changes: Vec<Address>,
    /// The API calls that carry this wave's steps.
    pub calls: Vec<Call>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Call {
    /// The WorkSpaces API operation.
    pub operation: String,
    /// The changes it carries, one per step.
    pub addresses: Vec<Address>,
    /// The steps it carries, in the order of `addresses`.
    pub steps: Vec<Step>,
}

/// One operation of one change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Step {
    /// The step's number: steps are numbered from 0 in the order of the
    /// waves and their calls.
    pub id: usize,
    /// The change it belongs to.
    pub address: Address,
    /// Which of the change's `operations`, from 0.
    pub operation: usize,
    /// The steps that must finish before this one starts, by number.
    pub after: Vec<usize>,
}

impl Order {
    /// The steps of `changes`, what each waits for, and the calls and waves
    /// that carry them. The changes have no cycle (checked when the plan
    /// was made); a step on one would be left out.
    pub fn of(changes: &[ResourceChange]) -> Order {
        let graph = StepGraph::of(changes);
        let waves = graph.waves();
        let mut calls: Vec<Vec<usize>> = Vec::new();
        let mut call_of: Vec<usize> = vec![0; graph.steps.len()];
        let mut wave_calls: Vec<Vec<usize>> = Vec::new();
        for wave in &waves {
            let first = calls.len();
            for call in batch(&graph, wave, &call_of, changes) {
                for &step in &call {
                    call_of[step] = calls.len();
                }
                calls.push(call);
            }
            wave_calls.push((first..calls.len()).collect());
        }
        graph.numbered(changes, &calls, &wave_calls)
    }

    /// Every step, in the order of its number.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.calls().flat_map(|c| c.steps.iter())
    }

    /// Every call, wave by wave.
    pub fn calls(&self) -> impl Iterator<Item = &Call> {
        self.waves.iter().flat_map(|w| w.calls.iter())
    }
}

/// Steps as (change, operation) pairs in plan order, with the steps each
/// waits for.
struct StepGraph {
    steps: Vec<(usize, usize)>,
    after: Vec<Vec<usize>>,
}

impl StepGraph {
    fn of(changes: &[ResourceChange]) -> StepGraph {
        let mut steps = Vec::new();
        let mut last: Vec<Option<usize>> = Vec::new();
        for (change, resource) in changes.iter().enumerate() {
            steps.extend((0..resource.operations.len()).map(|operation| (change, operation)));
            last.push(
                steps
                    .len()
                    .checked_sub(1)
                    .filter(|_| !resource.operations.is_empty()),
            );
        }
        let position: HashMap<&Address, usize> = changes
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.address, i))
            .collect();
        let after = steps
            .iter()
            .enumerate()
            .map(|(index, &(change, operation))| match operation {
                0 => changes[change]
                    .depends_on
                    .iter()
                    .filter_map(|address| position.get(address))
                    .filter_map(|dependency| last[*dependency])
                    .collect(),
                _ => vec![index - 1],
            })
            .collect();
        StepGraph { steps, after }
    }

    /// The steps of each wave, in plan order: each step one wave after the
    /// latest it waits for, found in topological order (Kahn's).
    fn waves(&self) -> Vec<Vec<usize>> {
        let mut waiting: Vec<usize> = self.after.iter().map(Vec::len).collect();
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); self.steps.len()];
        for (step, after) in self.after.iter().enumerate() {
            for &earlier in after {
                dependents[earlier].push(step);
            }
        }
        let mut level: Vec<Option<usize>> = vec![None; self.steps.len()];
        let mut earliest: Vec<usize> = vec![0; self.steps.len()];
        let mut ready: Vec<usize> = (0..self.steps.len()).filter(|s| waiting[*s] == 0).collect();
        while let Some(step) = ready.pop() {
            level[step] = Some(earliest[step]);
            for &next in &dependents[step] {
                earliest[next] = earliest[next].max(earliest[step] + 1);
                waiting[next] -= 1;
                if waiting[next] == 0 {
                    ready.push(next);
                }
            }
        }
        let mut waves: Vec<Vec<usize>> = Vec::new();
        for (step, level) in level.iter().enumerate() {
            let Some(level) = *level else {
                continue;
            };
            if waves.len() <= level {
                waves.resize_with(level + 1, Vec::new);
            }
            waves[level].push(step);
        }
        waves
    }

    /// The order with steps numbered as the calls list them.
    fn numbered(
        &self,
        changes: &[ResourceChange],
        calls: &[Vec<usize>],
        wave_calls: &[Vec<usize>],
    ) -> Order {
        let mut number: Vec<usize> = vec![0; self.steps.len()];
        for (n, &step) in calls.iter().flatten().enumerate() {
            number[step] = n;
        }
        let step = |step: usize| {
            let (change, operation) = self.steps[step];
            Step {
                id: number[step],
                address: changes[change].address.clone(),
                operation,
                after: self.after[step].iter().map(|s| number[*s]).collect(),
            }
        };
        let call = |members: &Vec<usize>| {
            let (change, operation) = self.steps[members[0]];
            Call {
                operation: changes[change].operations[operation].api_name().to_owned(),
                addresses: members
                    .iter()
                    .map(|s| changes[self.steps[*s].0].address.clone())
                    .collect(),
                steps: members.iter().map(|s| step(*s)).collect(),
            }
        };
        let wave = |indexes: &Vec<usize>| {
            let made: Vec<Call> = indexes.iter().map(|i| call(&calls[*i])).collect();
            // A change's steps wait for each other, so no two share a wave.
            let members = made.iter().flat_map(|c| c.addresses.iter().cloned());
            Wave {
                changes: members.collect(),
                calls: made,
            }
        };
        Order {
            waves: wave_calls.iter().map(wave).collect(),
        }
    }
}

/// The calls of one wave: a batched operation's steps that wait for the same
/// earlier calls go together, up to [`BATCH`] a call; any other step alone.
fn batch(
    graph: &StepGraph,
    wave: &[usize],
    call_of: &[usize],
    changes: &[ResourceChange],
) -> Vec<Vec<usize>> {
    let mut calls: Vec<Vec<usize>> = Vec::new();
    // The call of each (operation, calls waited for) that still has room.
    let mut open: HashMap<(&'static str, BTreeSet<usize>), usize> = HashMap::new();
    for &step in wave {
        let (change, operation) = graph.steps[step];
        let operation = &changes[change].operations[operation];
        if !operation.is_batched() {
            calls.push(vec![step]);
            continue;
        }
        let waits_for = graph.after[step].iter().map(|s| call_of[*s]).collect();
        let key = (operation.api_name(), waits_for);
        match open.get(&key).copied() {
            Some(i) if calls[i].len() < BATCH => calls[i].push(step),
            _ => {
                open.insert(key, calls.len());
                calls.push(vec![step]);
            }
        }
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, IdRef, Modification, Operation};

    fn change(name: &str, operation: Operation, depends_on: &[&str]) -> ResourceChange {
        ResourceChange {
            address: Address::workspace(name),
            action: Action::Update,
            reason: String::new(),
            data_loss: false,
            data_loss_allowed: false,
            id: None,
            attributes: Vec::new(),
            operations: vec![operation],
            depends_on: depends_on.iter().map(|d| Address::workspace(d)).collect(),
            cost: None,
        }
    }

    fn terminate(name: &str, depends_on: &[&str]) -> ResourceChange {
        let workspace_id = format!("ws-{name}");
        change(
            name,
            Operation::TerminateWorkspace { workspace_id },
            depends_on,
        )
    }

    fn modify(name: &str) -> ResourceChange {
        let modification = Modification::ComputeType {
            compute_type: "POWER".to_owned(),
        };
        let workspace_id = format!("ws-{name}");
        change(
            name,
            Operation::ModifyWorkspace {
                workspace_id: IdRef::Id(workspace_id),
                modification,
            },
            &[],
        )
    }

    /// A change of several operations on one WorkSpace.
    fn chain(name: &str, operations: Vec<Operation>, depends_on: &[&str]) -> ResourceChange {
        ResourceChange {
            operations,
            ..change(
                name,
                Operation::RebootWorkspace {
                    workspace_id: String::new(),
                },
                depends_on,
            )
        }
    }

    fn terminate_then_reboot(name: &str) -> ResourceChange {
        let workspace_id = format!("ws-{name}");
        chain(
            name,
            vec![
                Operation::TerminateWorkspace {
                    workspace_id: workspace_id.clone(),
                },
                Operation::RebootWorkspace { workspace_id },
            ],
            &[],
        )
    }

    /// The names of each wave's changes.
    fn wave_names(changes: &[ResourceChange]) -> Vec<Vec<String>> {
        let names = |wave: &Wave| wave.changes.iter().map(|a| a.name().to_owned()).collect();
        Order::of(changes).waves.iter().map(names).collect()
    }

    /// Each call of each wave as (operation, how many steps).
    fn call_sizes(order: &Order) -> Vec<Vec<(&str, usize)>> {
        fn size(call: &Call) -> (&str, usize) {
            (call.operation.as_str(), call.steps.len())
        }
        let sizes = |wave| -> Vec<(&str, usize)> {
            let wave: &Wave = wave;
            wave.calls.iter().map(size).collect()
        };
        order.waves.iter().map(sizes).collect()
    }

    #[test]
    fn a_change_starts_in_the_wave_after_the_last_it_waits_for() {
        let changes = [
            terminate("c", &["b", "a"]),
            terminate("b", &["a"]),
            terminate("a", &[]),
            terminate("d", &["outside-the-plan"]),
        ];
        let found = wave_names(&changes);
        assert_eq!(found, [vec!["a", "d"], vec!["b"], vec!["c"]]);
    }

    #[test]
    fn a_change_on_a_cycle_gets_no_wave() {
        let changes = [
            terminate("a", &["b"]),
            terminate("b", &["a"]),
            terminate("c", &[]),
        ];
        let found = wave_names(&changes);
        assert_eq!(found, [vec!["c"]]);
    }

    #[test]
    fn batched_calls_take_25_and_others_one_each_in_the_order_met() {
        let mut changes: Vec<ResourceChange> = (0..25)
            .map(|i| terminate(&format!("t{i:02}"), &[]))
            .collect();
        changes.push(modify("m0"));
        changes.extend((25..30).map(|i| terminate(&format!("t{i:02}"), &[])));
        changes.push(modify("m1"));
        let order = Order::of(&changes);
        assert_eq!(
            call_sizes(&order),
            [[
                ("TerminateWorkspaces", 25),
                ("ModifyWorkspaceProperties", 1),
                ("TerminateWorkspaces", 5),
                ("ModifyWorkspaceProperties", 1),
            ]]
        );
        let first = &order.waves[0].calls[0];
        assert_eq!(first.addresses[24], Address::workspace("t24"));
        assert_eq!(first.steps[24].address, first.addresses[24]);
    }

    #[test]
    fn each_operation_of_a_change_is_a_step_after_the_one_before() {
        let changes = [terminate_then_reboot("alice"), terminate("bob", &["alice"])];
        let order = Order::of(&changes);
        let steps: Vec<(String, usize, Vec<usize>)> = order
            .steps()
            .map(|s| (s.address.name().to_owned(), s.operation, s.after.clone()))
            .collect();
        assert_eq!(
            steps,
            [
                ("alice".to_owned(), 0, vec![]),
                ("alice".to_owned(), 1, vec![0]),
                ("bob".to_owned(), 0, vec![1]),
            ]
        );
        assert_eq!(
            wave_names(&changes),
            [vec!["alice"], vec!["alice"], vec!["bob"]]
        );
    }

    #[test]
    fn a_batch_carries_only_steps_that_wait_for_the_same_calls() {
        // 30 terminates go in two calls; each one's next step waits for its
        // own call, so they are ready in the same two groups.
        let mut changes: Vec<ResourceChange> = (0..30)
            .map(|i| terminate_then_reboot(&format!("w{i:02}")))
            .collect();
        changes.push(chain(
            "late",
            vec![Operation::RebootWorkspace {
                workspace_id: "ws-late".to_owned(),
            }],
            &["w29"],
        ));
        let order = Order::of(&changes);
        assert_eq!(
            call_sizes(&order),
            [
                vec![("TerminateWorkspaces", 25), ("TerminateWorkspaces", 5)],
                vec![("RebootWorkspaces", 25), ("RebootWorkspaces", 5)],
                vec![("RebootWorkspaces", 1)],
            ]
        );
        let ids: Vec<usize> = order.steps().map(|s| s.id).collect();
        assert_eq!(ids, (0..61).collect::<Vec<_>>());
    }

    #[test]
    fn an_order_survives_json() {
        let changes = [terminate_then_reboot("alice"), terminate("bob", &["alice"])];
        let order = Order::of(&changes);
        let text = serde_json::to_string(&order).unwrap_or_default();
        let read: Result<Order, _> = serde_json::from_str(&text);
        assert_eq!(read.ok(), Some(order));
    }

    /// The file's resource graph is the reference: whatever the planner
    /// orders, a resource is created after everything it refers to.
    #[test]
    fn creates_follow_the_file_graph() {
        let file = r#"
[settings]
stack = "ops"

[images.base]
copy = { source_region = "us-west-2", source_image_id = "wsi-0123abcde" }

[images.next]
update_of = "base"

[bundles.dev]
image = "next"
compute_type = "POWER"
root_volume_gib = 80
user_volume_gib = 50

[workspaces.alice]
directory_id = "d-1234567890"
bundle = "dev"

[workspaces.bob]
directory_id = "d-1234567890"
bundle = "dev"
"#;
        let fleet = crate::spec::parse("fleet.toml", file)
            .unwrap_or_else(|d| panic!("{}", d.render(false)));
        let graph = crate::graph::ResourceGraph::build(&fleet).expect("no cycle");
        let plan = crate::plan::plan(&fleet, &crate::live::LiveState::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let wave_of = |address: &Address| {
            plan.order()
                .waves
                .iter()
                .position(|w| w.changes.contains(address))
                .unwrap_or_else(|| panic!("{address} has no wave"))
        };
        let mut checked = 0;
        for change in plan.changes() {
            for needed in graph.dependencies(&change.address) {
                assert!(
                    wave_of(&needed) < wave_of(&change.address),
                    "{} before {needed}",
                    change.address
                );
                checked += 1;
            }
        }
        assert_eq!(
            checked,
            1 + 2 + 3 + 3,
            "next, dev, alice and bob each checked"
        );
    }
}
