//! Self-healing: a WorkSpace AWS reports UNHEALTHY or in ERROR gets the
//! action its `heal` policy names, instead of the usual comparison.

use aws_smithy_types::DateTime;

use super::workspaces::compare;
use super::{Action, AttributeChange, Context, Operation, ResourceChange, Value};
use crate::address::Address;
use crate::live::{LiveWorkspace, Snapshots, UNWELL_STATES, timestamp};
use crate::spec::{Heal, Workspace};
use crate::states::WorkspaceState;

/// RebootWorkspaces refuses ERROR (it takes AVAILABLE, UNHEALTHY, REBOOTING).
const REBOOTABLE: [WorkspaceState; 1] = [WorkspaceState::Unhealthy];

/// The heal change for `existing`, when it is unwell and the policy acts on
/// it; `None` leaves it to the usual comparison. What stops a heal, or what
/// waits for one, goes into `warnings`.
pub(super) fn heal(
    cx: &Context,
    desired: &Workspace,
    existing: &LiveWorkspace,
    warnings: &mut Vec<String>,
) -> Option<ResourceChange> {
    let state = &existing.state;
    if !UNWELL_STATES.contains(state) {
        return None;
    }
    let address = Address::workspace(&desired.name);
    let snapshots = cx.live.snapshots.get(&existing.id);
    let blocked = |why: String| format!("{address} ({}) is {state}; {why}", existing.id);
    let (operation, what) = match desired.heal {
        Heal::None => {
            warnings.push(blocked(
                "heal = \"none\" leaves it as it is; set heal = \"reboot\", \"rebuild\" or \"restore\" to repair it, or see `wsctl restore`".to_owned(),
            ));
            return None;
        }
        Heal::Reboot if !REBOOTABLE.contains(state) => {
            warnings.push(blocked(
                "heal = \"reboot\" cannot help: RebootWorkspaces takes only AVAILABLE or UNHEALTHY WorkSpaces; use heal = \"rebuild\" or \"restore\"".to_owned(),
            ));
            return None;
        }
        Heal::Restore if snapshots.is_none_or(|s| s.restore.is_empty()) => {
            warnings.push(blocked(
                "heal = \"restore\" cannot help: it has no restore snapshot to go back to; use heal = \"rebuild\"".to_owned(),
            ));
            return None;
        }
        Heal::Reboot => (
            Operation::RebootWorkspace {
                workspace_id: existing.id.clone(),
            },
            "RebootWorkspaces restarts it; nothing is lost".to_owned(),
        ),
        Heal::Rebuild => (
            Operation::RebuildWorkspace {
                workspace_id: existing.id.clone(),
            },
            format!(
                "RebuildWorkspaces re-images its root volume from the bundle's image and recreates its user volume from {}",
                last(snapshots.map(|s| &s.rebuild[..]), "rebuild")
            ),
        ),
        Heal::Restore => (
            Operation::RestoreWorkspace {
                workspace_id: existing.id.clone(),
            },
            format!(
                "RestoreWorkspace rolls both volumes back to {}",
                last(snapshots.map(|s| &s.restore[..]), "restore")
            ),
        ),
    };
    // Other differences are planned once it is AVAILABLE again.
    if !matches!(compare(cx, desired, existing, false), Ok(None)) {
        warnings.push(format!(
            "{address} also differs from the file; plan again once it is healed"
        ));
    }
    let reason = match (desired.heal, snapshots) {
        (Heal::Reboot, Some(snapshots)) => format!(
            "{} is {state} and heal = \"reboot\": {what} (last snapshot {})",
            existing.id,
            last_time(snapshots)
        ),
        _ => format!(
            "{} is {state} and heal = \"{}\": {what}",
            existing.id,
            desired.heal.as_str()
        ),
    };
    Some(ResourceChange {
        address,
        action: Action::Heal,
        reason,
        data_loss: desired.heal != Heal::Reboot,
        data_loss_allowed: desired.allow_data_loss,
        id: Some(existing.id.clone()),
        attributes: vec![AttributeChange {
            name: "state".into(),
            before: Some(Value::Text(existing.state.to_string())),
            after: Some(Value::Text(WorkspaceState::Available.to_string())),
            forces_replacement: false,
        }],
        operations: vec![operation],
        depends_on: Vec::new(),
        cost: None,
    })
}

/// "its rebuild snapshot of 2024-01-01T00:00:00Z", or that there is none.
pub(super) fn last(times: Option<&[DateTime]>, kind: &str) -> String {
    match times.and_then(<[_]>::first) {
        Some(time) => format!(
            "its last {kind} snapshot, taken {}; what changed since is lost",
            timestamp(time)
        ),
        None => format!("no {kind} snapshot (none is listed); what it holds is lost"),
    }
}

fn last_time(snapshots: &Snapshots) -> String {
    snapshots
        .restore
        .first()
        .or(snapshots.rebuild.first())
        .map_or_else(|| "none listed".to_owned(), timestamp)
}
