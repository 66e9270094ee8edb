//! `--target`: a plan cut down to some resources and what they depend on, as
//! Terraform does. It says it is partial.

use std::collections::{HashMap, HashSet};

use super::{Plan, PlanError, ResourceChange};
use crate::address::{Address, Kind};
use crate::graph::ResourceGraph;

pub fn limit(
    mut plan: Plan,
    targets: &[Address],
    graph: &ResourceGraph,
) -> Result<Plan, Vec<PlanError>> {
    if targets.is_empty() {
        return Ok(plan);
    }
    let named = Named::new(plan.changes());
    let unknown: Vec<PlanError> = targets
        .iter()
        .filter(|t| !graph.contains(t) && named.changes(t).is_empty())
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
    let kept = kept(plan.changes(), &named, targets, graph);
    plan.left_out = plan.keep(kept);
    plan.targets = targets.to_vec();
    Ok(plan)
}

/// Which changes run: the targets', what they depend on in the file, and
/// whatever a kept change waits for.
fn kept(
    changes: &[ResourceChange],
    named: &Named,
    targets: &[Address],
    graph: &ResourceGraph,
) -> Vec<bool> {
    let mut kept = vec![false; changes.len()];
    let mut wanted: HashSet<Address> = HashSet::new();
    let mut queue: Vec<Address> = targets.to_vec();
    for target in targets {
        queue.extend(graph.dependencies(target));
    }
    while let Some(address) = queue.pop() {
        if !wanted.insert(address.clone()) {
            continue;
        }
        for &i in named.changes(&address) {
            if !kept[i] {
                kept[i] = true;
                queue.extend(changes[i].depends_on.iter().cloned());
            }
        }
    }
    kept
}

/// The changes an address names: a deposed address its own change, any
/// other every change of its resource (`image.base` also names its deposed
/// versions).
struct Named<'a> {
    exact: HashMap<&'a Address, Vec<usize>>,
    resource: HashMap<(Kind, &'a str), Vec<usize>>,
}

impl<'a> Named<'a> {
    fn new(changes: &'a [ResourceChange]) -> Self {
        let mut named = Named {
            exact: HashMap::new(),
            resource: HashMap::new(),
        };
        for (i, change) in changes.iter().enumerate() {
            let address = &change.address;
            named.exact.entry(address).or_default().push(i);
            let resource = (address.kind(), address.name());
            named.resource.entry(resource).or_default().push(i);
        }
        named
    }

    fn changes<'s>(&'s self, address: &'s Address) -> &'s [usize] {
        let found = if address.is_deposed() {
            self.exact.get(address)
        } else {
            self.resource.get(&(address.kind(), address.name()))
        };
        found.map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, Operation};
    use crate::spec::parse;

    fn change(address: Address, depends_on: Vec<Address>) -> ResourceChange {
        let image_id = format!("wsi-{}", address.name());
        ResourceChange {
            address,
            action: Action::Delete,
            reason: String::new(),
            data_loss: false,
            data_loss_allowed: false,
            id: None,
            attributes: Vec::new(),
            operations: vec![Operation::DeleteImage { image_id }],
            depends_on,
            cost: None,
        }
    }

    fn plan(changes: Vec<ResourceChange>) -> Plan {
        Plan::new("eng", changes)
    }

    fn kept(targets: &[Address]) -> Vec<String> {
        let graph = match parse("fleet.toml", "[settings]\nstack = \"eng\"\n") {
            Ok(fleet) => ResourceGraph::build(&fleet).ok(),
            Err(_) => None,
        };
        let Some(graph) = graph else {
            panic!("an empty fleet has a graph");
        };
        let base = Address::image("base");
        let changes = vec![
            change(base.clone(), Vec::new()),
            change(base.deposed("wsi-old"), vec![Address::image("tools")]),
            change(Address::image("tools"), vec![Address::image("fonts")]),
            change(Address::image("fonts"), Vec::new()),
            change(Address::image("other"), Vec::new()),
        ];
        match limit(plan(changes), targets, &graph) {
            Ok(plan) => plan
                .changes()
                .iter()
                .map(|c| c.address.to_string())
                .collect(),
            Err(errors) => panic!("{errors:?}"),
        }
    }

    #[test]
    fn a_target_brings_its_deposed_versions_and_what_they_wait_for() {
        assert_eq!(
            kept(&[Address::image("base")]),
            [
                "image.base",
                "image.base (deposed wsi-old)",
                "image.tools",
                "image.fonts"
            ]
        );
    }

    #[test]
    fn a_deposed_target_is_that_version_alone_with_what_it_waits_for() {
        assert_eq!(
            kept(&[Address::image("base").deposed("wsi-old")]),
            ["image.base (deposed wsi-old)", "image.tools", "image.fonts"]
        );
    }
}
