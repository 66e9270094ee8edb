//! The resource graph: resources of the fleet file and the references between
//! them. An edge runs from a resource to one that depends on it, so a
//! topological order creates dependencies first.

use std::collections::HashMap;

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, Reversed};

use crate::address::Address;
use crate::spec::{BundleRef, Fleet, ImageRef, ImageSource};

#[derive(Debug)]
pub struct ResourceGraph {
    graph: DiGraph<Address, ()>,
    index: HashMap<Address, NodeIndex>,
}

/// Resources that refer to each other in a circle, named in order.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("these resources refer to each other in a cycle: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" → "))]
pub struct CycleError(pub Vec<Address>);

impl ResourceGraph {
    pub fn build(fleet: &Fleet) -> Result<Self, CycleError> {
        let mut graph = ResourceGraph {
            graph: DiGraph::new(),
            index: HashMap::new(),
        };
        let byol_imports = fleet.images.iter().any(|image| {
            matches!(&image.source, ImageSource::Import { ingestion_process, .. } if ingestion_process.starts_with("BYOL"))
        });
        if fleet.account.is_some() {
            graph.add(Address::account());
        }
        for image in &fleet.images {
            let address = Address::image(&image.name);
            graph.add(address.clone());
            match &image.source {
                ImageSource::UpdateOf(ImageRef::Name(source)) => {
                    graph.refer(&address, Address::image(source));
                }
                ImageSource::Import { .. } if byol_imports && fleet.account.is_some() => {
                    graph.refer(&address, Address::account());
                }
                _ => {}
            }
        }
        let file_bundles: Vec<&str> = fleet.bundles.iter().map(|b| b.name.as_str()).collect();
        for bundle in &fleet.bundles {
            let address = Address::bundle(&bundle.name);
            graph.add(address.clone());
            if let ImageRef::Name(image) = &bundle.image {
                graph.refer(&address, Address::image(image));
            }
        }
        for workspace in &fleet.workspaces {
            let address = Address::workspace(&workspace.name);
            graph.add(address.clone());
            if let BundleRef::Name(bundle) = &workspace.bundle
                && file_bundles.contains(&bundle.as_str())
            {
                graph.refer(&address, Address::bundle(bundle));
            }
        }
        graph.check_cycles()?;
        Ok(graph)
    }

    fn add(&mut self, address: Address) -> NodeIndex {
        if let Some(node) = self.index.get(&address) {
            return *node;
        }
        let node = self.graph.add_node(address.clone());
        self.index.insert(address, node);
        node
    }

    /// `from` refers to `to`: `to` comes first.
    fn refer(&mut self, from: &Address, to: Address) {
        let from = self.add(from.clone());
        let to = self.add(to);
        self.graph.update_edge(to, from, ());
    }

    fn check_cycles(&self) -> Result<(), CycleError> {
        if toposort(&self.graph, None).is_ok() {
            return Ok(());
        }
        let cycle = tarjan_scc(&self.graph)
            .into_iter()
            .find(|scc| scc.len() > 1 || self.graph.contains_edge(scc[0], scc[0]))
            .unwrap_or_default();
        let mut members: Vec<Address> = cycle.iter().map(|n| self.graph[*n].clone()).collect();
        members.sort();
        if let Some(first) = members.first().cloned() {
            members.push(first);
        }
        Err(CycleError(members))
    }

    /// Addresses in an order where every resource follows those it refers to.
    pub fn order(&self) -> Vec<Address> {
        toposort(&self.graph, None)
            .map(|nodes| nodes.into_iter().map(|n| self.graph[n].clone()).collect())
            .unwrap_or_default()
    }

    /// What `address` refers to, directly or through others.
    pub fn dependencies(&self, address: &Address) -> Vec<Address> {
        let Some(start) = self.index.get(address) else {
            return Vec::new();
        };
        let reversed = Reversed(&self.graph);
        let mut dfs = Dfs::new(reversed, *start);
        let mut found = Vec::new();
        while let Some(node) = dfs.next(reversed) {
            if node != *start {
                found.push(self.graph[node].clone());
            }
        }
        found.sort();
        found
    }

    pub fn contains(&self, address: &Address) -> bool {
        self.index.contains_key(address)
    }
}
