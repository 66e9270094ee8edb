//! `--target`: a plan cut down to some resources and what they depend on, as
//! Terraform does. It says it is partial.

use std::collections::BTreeSet;

use super::{Plan, PlanError};
use crate::address::Address;
use crate::graph::ResourceGraph;

pub fn limit(
    mut plan: Plan,
    targets: &[Address],
    graph: &ResourceGraph,
) -> Result<Plan, Vec<PlanError>> {
    if targets.is_empty() {
        return Ok(plan);
    }
    let unknown: Vec<PlanError> = targets
        .iter()
        .filter(|t| {
            !graph.contains(t) && !plan.changes.iter().any(|c| same_resource(&c.address, t))
        })
        .map(|t| PlanError {
            address: t.clone(),
            origin: None,
            message: "--target names a resource that is neither in the file nor in the plan"
                .to_owned(),
            help: None,
        })
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let mut wanted: BTreeSet<Address> = targets.iter().cloned().collect();
    for target in targets {
        wanted.extend(graph.dependencies(target));
    }
    // Whatever a kept change waits for must run too.
    loop {
        let more: Vec<Address> = plan
            .changes
            .iter()
            .filter(|c| wanted.iter().any(|w| same_resource(&c.address, w)))
            .flat_map(|c| c.depends_on.iter().cloned())
            .filter(|d| !wanted.contains(d))
            .collect();
        if more.is_empty() {
            break;
        }
        wanted.extend(more);
    }
    let before = plan.changes.len();
    plan.changes
        .retain(|c| wanted.iter().any(|w| same_resource(&c.address, w)));
    plan.targets = targets.to_vec();
    plan.left_out = before - plan.changes.len();
    Ok(plan)
}

/// `image.base` also names its deposed versions.
fn same_resource(change: &Address, wanted: &Address) -> bool {
    change == wanted
        || (change.kind() == wanted.kind()
            && change.name() == wanted.name()
            && !wanted.is_deposed())
}
