//! Which changes wait for which. Creates follow what they refer to (account →
//! BYOL import → image → bundle → WorkSpace); deletes go the other way
//! (WorkSpaces gone → their bundle deleted → its image deleted); a create
//! whose user a terminate frees waits for it.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::DiGraph;
use serde::Serialize;

use super::{BATCH, IdRef, NewImageSource, Operation, PlanError, ResourceChange};
use crate::address::{Address, Kind};
use crate::live::{LiveIndex, WorkspaceKey};

pub(super) fn order(changes: &mut [ResourceChange], index: &LiveIndex) -> Result<(), PlanError> {
    let waits = Waits::of(changes, index);
    let found: Vec<Vec<Address>> = changes.iter().map(|c| waits.dependencies(c)).collect();
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

/// The changes of a plan by what they free or move away from, read once so
/// that each change finds what it waits for without scanning the others.
/// Each list keeps the order of the changes.
#[derive(Default)]
struct Waits<'a> {
    account: Vec<&'a Address>,
    /// Terminating a WorkSpace frees its (directory, user).
    frees_user: HashMap<WorkspaceKey, Vec<&'a Address>>,
    /// UpdateWorkspaceBundle of a bundle id.
    updates_bundle: HashMap<&'a str, Vec<&'a Address>>,
    /// Terminating or migrating a WorkSpace that uses the bundle id.
    moves_off_bundle: HashMap<&'a str, Vec<&'a Address>>,
    /// Deleting or repointing a bundle that uses the image id, or making the
    /// image's update (which needs its source).
    moves_off_image: HashMap<&'a str, Vec<&'a Address>>,
}

impl<'a> Waits<'a> {
    fn of(changes: &'a [ResourceChange], index: &LiveIndex<'a>) -> Self {
        let mut waits = Waits::default();
        for change in changes {
            if change.address.kind() == Kind::Account {
                waits.account.push(&change.address);
            }
            for operation in &change.operations {
                waits.read(&change.address, operation, index);
            }
        }
        waits
    }

    fn read(&mut self, address: &'a Address, operation: &'a Operation, index: &LiveIndex<'a>) {
        match operation {
            Operation::TerminateWorkspace { workspace_id } => {
                if let Some(workspace) = index.workspace(workspace_id) {
                    note(&mut self.frees_user, workspace.key(), address);
                    note(&mut self.moves_off_bundle, &workspace.bundle_id, address);
                }
            }
            Operation::MigrateWorkspace { workspace_id, .. } => {
                if let Some(workspace) = index.workspace(workspace_id) {
                    note(&mut self.moves_off_bundle, &workspace.bundle_id, address);
                }
            }
            Operation::UpdateBundle { bundle_id, .. } => {
                note(&mut self.updates_bundle, bundle_id, address);
                self.bundle_moves_off_image(bundle_id, address, index);
            }
            Operation::DeleteBundle { bundle_id } => {
                self.bundle_moves_off_image(bundle_id, address, index);
            }
            Operation::CreateImage(new) => {
                if let NewImageSource::UpdateOf {
                    source_image_id: IdRef::Id(source),
                } = &new.source
                {
                    note(&mut self.moves_off_image, source, address);
                }
            }
            _ => {}
        }
    }

    fn bundle_moves_off_image(
        &mut self,
        bundle_id: &str,
        address: &'a Address,
        index: &LiveIndex<'a>,
    ) {
        if let Some(image) = index.bundle(bundle_id).and_then(|b| b.image_id.as_deref()) {
            note(&mut self.moves_off_image, image, address);
        }
    }

    /// The changes that must finish before `change` starts.
    fn dependencies(&self, change: &ResourceChange) -> Vec<Address> {
        let mut found = Vec::new();
        let mut having =
            |addresses: &[&Address]| found.extend(addresses.iter().map(|a| (*a).clone()));
        for operation in &change.operations {
            match operation {
                Operation::CreateImage(image) => match &image.source {
                    NewImageSource::UpdateOf { source_image_id } => {
                        having(created(source_image_id).as_slice())
                    }
                    NewImageSource::Import { .. } => having(&self.account),
                    NewImageSource::Copy { .. } => {}
                },
                Operation::CreateBundle(bundle) => having(created(&bundle.image_id).as_slice()),
                Operation::UpdateBundle { image_id, .. } => having(created(image_id).as_slice()),
                Operation::MigrateWorkspace { bundle_id, .. } => {
                    having(created(bundle_id).as_slice())
                }
                Operation::CreateWorkspace(new) => {
                    having(created(&new.bundle_id).as_slice());
                    if let IdRef::Id(bundle) = &new.bundle_id {
                        // New WorkSpaces on a bundle that moves to a new image get it.
                        having(listed(self.updates_bundle.get(bundle.as_str())));
                    }
                    having(listed(self.frees_user.get(&new.key())));
                }
                Operation::DeleteBundle { bundle_id } => {
                    having(listed(self.moves_off_bundle.get(bundle_id.as_str())))
                }
                Operation::DeleteImage { image_id } => {
                    having(listed(self.moves_off_image.get(image_id.as_str())))
                }
                _ => {}
            }
        }
        found
    }
}

/// The change that creates what `id` names, if this plan creates it.
fn created(id: &IdRef) -> Option<&Address> {
    match id {
        IdRef::CreatedBy { created_by } => Some(created_by),
        IdRef::Id(_) => None,
    }
}

fn listed<'m, 'a>(addresses: Option<&'m Vec<&'a Address>>) -> &'m [&'a Address] {
    addresses.map_or(&[], Vec::as_slice)
}

/// Lists `address` under `key`; a change with several operations on the
/// same thing is listed once.
fn note<'a, K: Hash + Eq>(map: &mut HashMap<K, Vec<&'a Address>>, key: K, address: &'a Address) {
    let list = map.entry(key).or_default();
    if list.last() != Some(&address) {
        list.push(address);
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

/// Changes that can start together once the waves before them are done.
#[derive(Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Wave {
    /// The changes of this wave, by address.
    pub changes: Vec<Address>,
    /// The API calls that start them; creates, terminates and reboots go
    /// 25 to a call.
    pub calls: Vec<Call>,
}

#[derive(Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Call {
    /// The WorkSpaces API operation.
    pub operation: &'static str,
    /// The changes it carries.
    pub addresses: Vec<Address>,
}

/// The order apply follows: each change in the wave after the last of the
/// changes it depends on, and its first call batched with its wave's others.
pub fn waves(changes: &[ResourceChange]) -> Vec<Wave> {
    let mut members: Vec<Vec<&ResourceChange>> = Vec::new();
    for (change, level) in changes.iter().zip(levels(changes)) {
        let Some(level) = level else {
            continue;
        };
        if members.len() <= level {
            members.resize_with(level + 1, Vec::new);
        }
        members[level].push(change);
    }
    members
        .iter()
        .map(|wave| Wave {
            changes: wave.iter().map(|c| c.address.clone()).collect(),
            calls: calls(wave),
        })
        .collect()
}

/// Each change's wave: one after the latest of its dependencies, found in
/// topological order (Kahn's). The plan has no cycles (checked when it was
/// made); a change on one would be left without a wave.
fn levels(changes: &[ResourceChange]) -> Vec<Option<usize>> {
    let index: HashMap<&Address, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.address, i))
        .collect();
    let mut waiting: Vec<usize> = vec![0; changes.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); changes.len()];
    for (i, change) in changes.iter().enumerate() {
        for j in change.depends_on.iter().filter_map(|d| index.get(d)) {
            waiting[i] += 1;
            dependents[*j].push(i);
        }
    }
    let mut after: Vec<usize> = vec![0; changes.len()];
    let mut level: Vec<Option<usize>> = vec![None; changes.len()];
    let mut ready: Vec<usize> = (0..changes.len()).filter(|i| waiting[*i] == 0).collect();
    while let Some(i) = ready.pop() {
        level[i] = Some(after[i]);
        for &j in &dependents[i] {
            after[j] = after[j].max(after[i] + 1);
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(j);
            }
        }
    }
    level
}

fn calls(members: &[&ResourceChange]) -> Vec<Call> {
    let mut calls: Vec<Call> = Vec::new();
    // The call of each batched operation that still has room.
    let mut open: HashMap<&'static str, usize> = HashMap::new();
    for change in members {
        let Some(first) = change.operations.first() else {
            continue;
        };
        let operation = first.api_name();
        let joins = open
            .get(operation)
            .copied()
            .filter(|i| first.is_batched() && calls[*i].addresses.len() < BATCH);
        match joins {
            Some(i) => calls[i].addresses.push(change.address.clone()),
            None => {
                if first.is_batched() {
                    open.insert(operation, calls.len());
                }
                calls.push(Call {
                    operation,
                    addresses: vec![change.address.clone()],
                });
            }
        }
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, Modification};

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
                workspace_id,
                modification,
            },
            &[],
        )
    }

    /// The names of each wave's changes.
    fn wave_names(changes: &[ResourceChange]) -> Vec<Vec<String>> {
        let names = |wave: &Wave| wave.changes.iter().map(|a| a.name().to_owned()).collect();
        waves(changes).iter().map(names).collect()
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
        let found: Vec<(&str, usize)> = waves(&changes)[0]
            .calls
            .iter()
            .map(|c| (c.operation, c.addresses.len()))
            .collect();
        assert_eq!(
            found,
            [
                ("TerminateWorkspaces", 25),
                ("ModifyWorkspaceProperties", 1),
                ("TerminateWorkspaces", 5),
                ("ModifyWorkspaceProperties", 1),
            ]
        );
    }
}
