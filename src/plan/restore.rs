//! `wsctl restore ADDRESS`: a plan of one change, the file's WorkSpace
//! rolled back to its restore snapshot. It is rendered, guarded for data
//! loss and applied by the same code as every plan.

use super::heal::last;
use super::ownership::conflict;
use super::{Action, AttributeChange, Operation, Plan, PlanError, ResourceChange, Value};
use crate::address::Address;
use crate::live::{LiveState, LiveWorkspace, Owned};
use crate::spec::{Fleet, Workspace};

/// RestoreWorkspace accepts a WorkSpace only in these states (model text).
pub const RESTORABLE_STATES: [&str; 4] = ["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED"];

/// The plan that restores `desired`, whose live WorkSpace (and its
/// snapshots) `live` holds; refused for a WorkSpace another stack owns or
/// in a state RestoreWorkspace does not accept.
pub fn restore(
    fleet: &Fleet,
    desired: &Workspace,
    live: &LiveState,
) -> Result<Plan, Vec<PlanError>> {
    let address = Address::workspace(&desired.name);
    let key = desired.key();
    let existing = live
        .workspaces
        .iter()
        .find(|w| !w.is_terminating() && w.key() == key)
        .ok_or_else(|| {
            vec![refusal(
                &address,
                format!(
                    "no WorkSpace exists for user {} in {}; run apply to create it",
                    desired.user, desired.directory_id
                ),
            )]
        })?;
    let stack = fleet.settings.stack.as_str();
    if let Some(owner) = existing.stack().filter(|owner| *owner != stack) {
        return Err(vec![conflict(
            &address,
            &desired.origin,
            format!("{} (user {})", existing.id, existing.user),
            owner,
        )]);
    }
    if !RESTORABLE_STATES.contains(&existing.state.as_str()) {
        return Err(vec![refusal(
            &address,
            format!(
                "{} is {}; RestoreWorkspace accepts only {} WorkSpaces; nothing was changed, wait until it is in one of these states",
                existing.id,
                existing.state,
                RESTORABLE_STATES.join(", ")
            ),
        )]);
    }
    let change = restore_change(desired, existing, live);
    Ok(Plan {
        stack: stack.to_owned(),
        changes: vec![change],
        unchanged: 0,
        warnings: Vec::new(),
        targets: Vec::new(),
        left_out: 0,
        region: None,
        fingerprints: Default::default(),
    })
}

fn restore_change(
    desired: &Workspace,
    existing: &LiveWorkspace,
    live: &LiveState,
) -> ResourceChange {
    let snapshots = live.snapshots.get(&existing.id);
    ResourceChange {
        address: Address::workspace(&desired.name),
        action: Action::Heal,
        reason: format!(
            "{} is {}; `wsctl restore` asked for: RestoreWorkspace rolls its root and user volumes back to {}",
            existing.id,
            existing.state,
            last(snapshots.map(|s| &s.restore[..]), "restore")
        ),
        data_loss: true,
        data_loss_allowed: desired.allow_data_loss,
        id: Some(existing.id.clone()),
        attributes: vec![AttributeChange {
            name: "state".into(),
            before: Some(Value::Text(existing.state.clone())),
            after: Some(Value::Text("AVAILABLE".to_owned())),
            forces_replacement: false,
        }],
        operations: vec![Operation::RestoreWorkspace {
            workspace_id: existing.id.clone(),
        }],
        depends_on: Vec::new(),
    }
}

fn refusal(address: &Address, message: String) -> PlanError {
    PlanError {
        address: address.clone(),
        origin: None,
        message,
        help: None,
    }
}
