//! Which changes wait for which. Creates follow what they refer to (account →
//! BYOL import → image → bundle → WorkSpace); deletes go the other way
//! (WorkSpaces gone → their bundle deleted → its image deleted); a create
//! whose user a terminate frees waits for it.

use std::collections::HashMap;

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::DiGraph;
use serde::Serialize;

use super::{BATCH, IdRef, NewImageSource, Operation, PlanError, ResourceChange};
use crate::address::{Address, Kind};
use crate::live::LiveState;

pub(super) fn order(changes: &mut [ResourceChange], live: &LiveState) -> Result<(), PlanError> {
    let found: Vec<Vec<Address>> = changes
        .iter()
        .map(|c| dependencies(c, changes, live))
        .collect();
    for (change, dependencies) in changes.iter_mut().zip(found) {
        for dependency in dependencies {
            if dependency != change.address && !change.depends_on.contains(&dependency) {
                change.depends_on.push(dependency);
            }
        }
    }
    check_cycles(changes)
}

/// The changes that must finish before `change` starts.
fn dependencies(change: &ResourceChange, all: &[ResourceChange], live: &LiveState) -> Vec<Address> {
    let having = |wanted: &dyn Fn(&Operation) -> bool| -> Vec<Address> {
        all.iter()
            .filter(|other| other.operations.iter().any(wanted))
            .map(|other| other.address.clone())
            .collect()
    };
    let created = |id: &IdRef| match id {
        IdRef::CreatedBy { created_by } => vec![created_by.clone()],
        IdRef::Id(_) => Vec::new(),
    };
    let mut found = Vec::new();
    for operation in &change.operations {
        match operation {
            Operation::CreateImage(image) => match &image.source {
                NewImageSource::UpdateOf { source_image_id } => {
                    found.extend(created(source_image_id))
                }
                NewImageSource::Import { .. } => found.extend(
                    all.iter()
                        .filter(|c| c.address.kind() == Kind::Account)
                        .map(|c| c.address.clone()),
                ),
                NewImageSource::Copy { .. } => {}
            },
            Operation::CreateBundle(bundle) => found.extend(created(&bundle.image_id)),
            Operation::UpdateBundle { image_id, .. } => found.extend(created(image_id)),
            Operation::MigrateWorkspace { bundle_id, .. } => found.extend(created(bundle_id)),
            Operation::CreateWorkspace(new) => {
                found.extend(created(&new.bundle_id));
                if let IdRef::Id(bundle) = &new.bundle_id {
                    // New WorkSpaces on a bundle that moves to a new image get it.
                    found.extend(having(&|op| matches!(op, Operation::UpdateBundle { bundle_id, .. } if bundle_id == bundle)));
                }
                found.extend(having(&|op| {
                    terminates_user(op, live, &new.directory_id, &new.user)
                }));
            }
            Operation::DeleteBundle { bundle_id } => {
                found.extend(having(&|op| moves_off_bundle(op, live, bundle_id)));
            }
            Operation::DeleteImage { image_id } => {
                found.extend(having(&|op| moves_off_image(op, live, image_id)));
            }
            _ => {}
        }
    }
    found
}

fn terminates_user(operation: &Operation, live: &LiveState, directory: &str, user: &str) -> bool {
    let Operation::TerminateWorkspace { workspace_id } = operation else {
        return false;
    };
    live.workspaces
        .iter()
        .any(|w| &w.id == workspace_id && w.directory_id == directory && w.user == user)
}

/// Terminating or migrating a WorkSpace that uses the bundle.
fn moves_off_bundle(operation: &Operation, live: &LiveState, bundle: &str) -> bool {
    let workspace = match operation {
        Operation::TerminateWorkspace { workspace_id }
        | Operation::MigrateWorkspace { workspace_id, .. } => workspace_id,
        _ => return false,
    };
    live.workspaces
        .iter()
        .any(|w| &w.id == workspace && w.bundle_id == bundle)
}

/// Deleting or repointing a bundle that uses the image, or making the
/// image's update (which needs its source).
fn moves_off_image(operation: &Operation, live: &LiveState, image: &str) -> bool {
    let uses_image = |bundle: &str| {
        live.bundles
            .iter()
            .any(|b| b.id == bundle && b.image_id.as_deref() == Some(image))
    };
    match operation {
        Operation::DeleteBundle { bundle_id } | Operation::UpdateBundle { bundle_id, .. } => {
            uses_image(bundle_id)
        }
        Operation::CreateImage(new) => matches!(
            &new.source,
            NewImageSource::UpdateOf { source_image_id: IdRef::Id(source) } if source == image
        ),
        _ => false,
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
    let index: HashMap<&Address, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.address, i))
        .collect();
    let mut level: Vec<Option<usize>> = vec![None; changes.len()];
    // The plan has no cycles (checked when it was made): each pass settles
    // at least one change whose dependencies are settled.
    while level.iter().any(Option::is_none) {
        let mut progressed = false;
        for (i, change) in changes.iter().enumerate() {
            if level[i].is_some() {
                continue;
            }
            let before: Option<Vec<usize>> = change
                .depends_on
                .iter()
                .filter_map(|d| index.get(d))
                .map(|j| level[*j])
                .collect();
            if let Some(before) = before {
                level[i] = Some(before.into_iter().map(|l| l + 1).max().unwrap_or(0));
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    let depth = level.iter().flatten().max().map_or(0, |d| d + 1);
    (0..depth)
        .map(|wave| {
            let members: Vec<&ResourceChange> = changes
                .iter()
                .zip(&level)
                .filter(|(_, l)| **l == Some(wave))
                .map(|(c, _)| c)
                .collect();
            Wave {
                changes: members.iter().map(|c| c.address.clone()).collect(),
                calls: calls(&members),
            }
        })
        .collect()
}

fn calls(members: &[&ResourceChange]) -> Vec<Call> {
    let mut calls: Vec<Call> = Vec::new();
    for change in members {
        let Some(first) = change.operations.first() else {
            continue;
        };
        let operation = first.api_name();
        let joins = calls
            .iter_mut()
            .find(|c| first.is_batched() && c.operation == operation && c.addresses.len() < BATCH);
        match joins {
            Some(call) => call.addresses.push(change.address.clone()),
            None => calls.push(Call {
                operation,
                addresses: vec![change.address.clone()],
            }),
        }
    }
    calls
}
