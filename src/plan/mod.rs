//! The plan: a pure function of (fleet, live state). No I/O happens here, so
//! every decision is unit-tested on plain data.
//!
//! Resources are planned in the order their ids flow: the account, IP
//! groups, directories (which name IP groups), images, bundles (which name
//! an image), WorkSpaces (which name a bundle), connection aliases (which
//! name a directory); then
//! `order` says which changes wait for which, and lays out the steps, calls
//! and waves that apply walks ([`Order`]).

mod account;
mod bundles;
mod changes;
mod cost;
#[cfg(test)]
mod cost_test;
mod directories;
#[cfg(test)]
mod directory_settings_test;
#[cfg(test)]
mod environment_test;
mod file;
#[cfg(test)]
pub(crate) mod fixtures;
mod heal;
mod images;
mod modify;
mod order;
#[cfg(test)]
mod properties_test;
mod restore;
#[cfg(test)]
mod sharing_test;
mod target;
#[cfg(test)]
mod tests;
mod workspaces;

use std::collections::HashMap;

pub use crate::kinds::{
    Action, AttributeChange, AutoStopHours, BATCH, ChangeCost, HoursSource, IdRef, Modification,
    NewBundle, NewDirectory, NewImage, NewImageSource, NewIpGroup, NewWorkspace, Operation,
    PlanError, ResourceChange, Value,
};
pub use changes::{FleetSource, Plan};
pub use cost::{Keys, Measurable, Measured, MeasuredBasis, PlanCost, keys as price_keys, price};
pub use file::{FORMAT_VERSION, PlanFileError, check_sealed, parse_saved, stale};
pub use order::{Call, Order, Step, Wave};
pub use restore::{RESTORABLE_STATES, restore};
pub use target::limit;

use crate::kinds::{Planned, connection_alias, ip_group, ownership};
use crate::live::{LiveIndex, LiveState};
use crate::spec::Fleet;

/// What every resource planner reads, and the ids the earlier ones settled.
pub(super) struct Context<'a> {
    pub(super) fleet: &'a Fleet,
    pub(super) live: &'a LiveState,
    /// `live` by id and natural key, built once.
    pub(super) index: LiveIndex<'a>,
    pub(super) stack: &'a str,
    /// A file image's id: the live one, or the one this plan creates.
    pub(super) images: HashMap<String, IdRef>,
    /// A file bundle's id: the live one, or the one this plan creates.
    pub(super) bundles: HashMap<String, IdRef>,
}

/// A delete of a live resource whose address (from its user or name) is also
/// the address of a resource of the file names the old object by its id, so
/// every address in a plan is one change.
fn depose_duplicates(changes: &mut [ResourceChange]) {
    let kept: std::collections::HashSet<crate::address::Address> = changes
        .iter()
        .filter(|c| c.action != Action::Delete)
        .map(|c| c.address.clone())
        .collect();
    for change in changes.iter_mut() {
        if let (Action::Delete, Some(id)) = (change.action, change.id.as_deref())
            && kept.contains(&change.address)
        {
            change.address = change.address.deposed(id);
        }
    }
}

pub fn plan(fleet: &Fleet, live: &LiveState) -> Result<Plan, Vec<PlanError>> {
    let mut cx = Context {
        fleet,
        live,
        index: LiveIndex::new(live),
        stack: &fleet.settings.stack,
        images: HashMap::new(),
        bundles: HashMap::new(),
    };
    let mut planned = Planned::default();
    account::plan(&cx, &mut planned);
    let groups = ip_group::Inputs {
        stack: cx.stack,
        file: &fleet.ip_groups,
        live: &live.ip_groups,
        directories: directories::associated(&cx),
    };
    let ip_groups = ip_group::plan(&groups, &mut planned);
    directories::plan(&cx, &ip_groups, &mut planned);
    cx.images = images::plan(&cx, &mut planned);
    cx.bundles = bundles::plan(&cx, &mut planned);
    workspaces::plan(&cx, &mut planned);
    let aliases = connection_alias::Inputs {
        stack: cx.stack,
        file: &fleet.connection_aliases,
        live: &live.connection_aliases,
        account_id: live.account_id.as_deref(),
    };
    connection_alias::plan(&aliases, &mut planned);
    if !planned.errors.is_empty() {
        return Err(planned.errors);
    }
    let mut changes = planned.changes;
    depose_duplicates(&mut changes);
    order::order(&mut changes, &cx.index).map_err(|error| vec![error])?;
    changes.sort_by(|a, b| a.address.cmp(&b.address));
    let mut plan = Plan::new(&fleet.settings.stack, changes);
    plan.unchanged = planned.unchanged;
    plan.warnings = planned.warnings;
    plan.fingerprints = crate::live::fingerprints_in(fleet, &cx.index);
    Ok(plan)
}
