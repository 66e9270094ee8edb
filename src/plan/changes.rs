//! The plan as a whole: its changes and their order, kept in step, and
//! what it was made from and read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Action, ResourceChange};
use crate::address::Address;
use crate::identity::TagReads;

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub stack: String,
    /// Changed resources, sorted by address. Unchanged ones are only counted.
    changes: Vec<ResourceChange>,
    /// The steps of `changes` as apply walks them: made whenever `changes`
    /// is, and saved with it, so the two are private to keep them in step.
    order: super::Order,
    pub unchanged: usize,
    /// What a reviewer should know that is not a change, e.g. WorkSpaces that
    /// an updated bundle does not rebuild.
    pub warnings: Vec<String>,
    /// `--target`: the plan covers only these and what they depend on.
    pub targets: Vec<Address>,
    /// Changes `--target` left out.
    pub left_out: usize,
    /// The region the plan was made for; set once the connection knows it.
    pub region: Option<String>,
    /// What the plan read, by natural key: a saved plan is applied only
    /// while these are unchanged.
    pub fingerprints: BTreeMap<String, String>,
    /// The fleet the plan was made from: what `apply PLAN.json` plans again
    /// to check the saved changes. None for a plan no file makes (restore).
    pub fleet: Option<FleetSource>,
    /// What the plan does to the bill; None where no prices were read.
    pub cost: Option<super::PlanCost>,
}

/// A fleet file as plan loaded it, and how the account's ownership tags
/// were read: enough to make the same plan again without the checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FleetSource {
    /// The file's name as plan was given it (`-f`).
    pub file: String,
    /// The file's text, as loaded.
    pub text: String,
    /// How the plan read ownership tags (`--tag-reads`, else the file's
    /// `[settings] tag_reads`).
    pub tag_reads: TagReads,
}

impl Plan {
    /// A plan of `changes` for `stack`, in the order they make; the rest is
    /// empty until the caller says otherwise.
    pub fn new(stack: &str, changes: Vec<ResourceChange>) -> Self {
        Plan {
            stack: stack.to_owned(),
            order: super::Order::of(&changes),
            changes,
            unchanged: 0,
            warnings: Vec::new(),
            targets: Vec::new(),
            left_out: 0,
            region: None,
            fingerprints: BTreeMap::new(),
            fleet: None,
            cost: None,
        }
    }

    /// A saved plan's changes with the order saved beside them, if it is
    /// the order they make: apply walks the order.
    pub(super) fn saved(
        stack: &str,
        changes: Vec<ResourceChange>,
        order: super::Order,
    ) -> Option<Self> {
        let plan = Plan::new(stack, changes);
        (plan.order == order).then_some(plan)
    }

    /// This plan with other changes, in the order they make.
    pub fn with_changes(&self, changes: Vec<ResourceChange>) -> Self {
        Plan {
            order: super::Order::of(&changes),
            changes,
            ..self.clone()
        }
    }

    pub fn changes(&self) -> &[ResourceChange] {
        &self.changes
    }

    pub fn order(&self) -> &super::Order {
        &self.order
    }

    /// Each change's address and its cost, to price: the order does not
    /// depend on costs.
    pub(super) fn costs_mut(
        &mut self,
    ) -> impl Iterator<Item = (&Address, &mut Option<super::ChangeCost>)> {
        self.changes.iter_mut().map(|c| (&c.address, &mut c.cost))
    }

    /// Keeps the changes `keep` says to (one answer a change, in order),
    /// and their order; returns how many were left out.
    pub(super) fn keep(&mut self, keep: Vec<bool>) -> usize {
        let before = self.changes.len();
        self.changes = std::mem::take(&mut self.changes)
            .into_iter()
            .zip(keep)
            .filter_map(|(change, keep)| keep.then_some(change))
            .collect();
        self.order = super::Order::of(&self.changes);
        before - self.changes.len()
    }

    pub fn count(&self, action: Action) -> usize {
        self.changes.iter().filter(|c| c.action == action).count()
    }

    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    pub fn data_loss(&self) -> impl Iterator<Item = &ResourceChange> {
        self.changes.iter().filter(|c| c.data_loss)
    }
}
