//! `wsctl restore ADDRESS`: a plan of one change, the file's WorkSpace
//! rolled back to its restore snapshot. It is rendered, guarded for data
//! loss and applied by the same code as every plan.

use super::heal::last;
use super::ownership::conflict;
use super::{Action, AttributeChange, Operation, Plan, PlanError, ResourceChange, Value};
use crate::address::Address;
use crate::live::{LiveState, LiveWorkspace, Owned, timestamp};
use crate::spec::{Fleet, Workspace};
use crate::states::WorkspaceState;

/// RestoreWorkspace accepts a WorkSpace only in these states (model text).
pub const RESTORABLE_STATES: [WorkspaceState; 4] = [
    WorkspaceState::Available,
    WorkspaceState::Error,
    WorkspaceState::Unhealthy,
    WorkspaceState::Stopped,
];

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
    if !RESTORABLE_STATES.contains(&existing.state) {
        return Err(vec![refusal(
            &address,
            format!(
                "{} is {}; RestoreWorkspace accepts only {} WorkSpaces; nothing was changed, wait until it is in one of these states",
                existing.id,
                existing.state,
                RESTORABLE_STATES.map(|s| s.to_string()).join(", ")
            ),
        )]);
    }
    Ok(Plan::new(
        stack,
        vec![restore_change(desired, existing, live)],
    ))
}

fn restore_change(
    desired: &Workspace,
    existing: &LiveWorkspace,
    live: &LiveState,
) -> ResourceChange {
    let snapshots = live.snapshots.get(&existing.id);
    let point = snapshots.and_then(|s| s.restore.first()).map_or_else(
        || "no restore snapshot listed".to_owned(),
        |t| format!("restore snapshot of {}", timestamp(t)),
    );
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
            name: "volumes".into(),
            before: Some(Value::Text("as they are".to_owned())),
            after: Some(Value::Text(point)),
            forces_replacement: false,
        }],
        operations: vec![Operation::RestoreWorkspace {
            workspace_id: existing.id.clone(),
        }],
        depends_on: Vec::new(),
        cost: None,
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::live::{STACK_TAG, Snapshots};

    const FILE: &str = "[settings]\nstack = \"ops\"\n\n[workspaces.alice]\ndirectory_id = \"d-1234567890\"\nbundle_id = \"wsb-w10stand0\"\n";

    fn fleet() -> Fleet {
        crate::spec::parse("fleet.toml", FILE).unwrap_or_else(|d| panic!("{}", d.render(false)))
    }

    fn account(state: WorkspaceState, stack: Option<&str>) -> LiveState {
        let mut tags = BTreeMap::new();
        if let Some(stack) = stack {
            tags.insert(STACK_TAG.to_owned(), stack.to_owned());
        }
        let mut live = LiveState {
            workspaces: vec![LiveWorkspace {
                id: "ws-1".to_owned(),
                directory_id: "d-1234567890".to_owned(),
                user: "Alice".to_owned(),
                state,
                tags,
                ..LiveWorkspace::default()
            }],
            ..LiveState::default()
        };
        live.snapshots
            .insert("ws-1".to_owned(), Snapshots::default());
        live
    }

    #[test]
    fn a_restore_is_one_heal_that_loses_data_and_calls_restore_workspace() {
        let fleet = fleet();
        let plan = restore(
            &fleet,
            &fleet.workspaces[0],
            &account(WorkspaceState::Unhealthy, Some("ops")),
        )
        .expect("a plan");
        assert_eq!(plan.changes().len(), 1);
        let change = &plan.changes()[0];
        assert_eq!(change.action, Action::Heal);
        assert!(change.data_loss);
        assert_eq!(
            change.operations,
            [Operation::RestoreWorkspace {
                workspace_id: "ws-1".to_owned()
            }]
        );
    }

    #[test]
    fn a_restore_is_refused_in_a_state_restore_workspace_does_not_take() {
        let fleet = fleet();
        let errors = restore(
            &fleet,
            &fleet.workspaces[0],
            &account(WorkspaceState::Suspended, None),
        )
        .expect_err("refused");
        assert!(
            errors[0]
                .message
                .contains("ws-1 is SUSPENDED; RestoreWorkspace accepts only")
        );
    }

    #[test]
    fn a_restore_of_another_stacks_workspace_is_a_conflict() {
        let fleet = fleet();
        let errors = restore(
            &fleet,
            &fleet.workspaces[0],
            &account(WorkspaceState::Available, Some("dev")),
        )
        .expect_err("refused");
        assert!(errors[0].message.contains("belongs to stack `dev`"));
    }

    #[test]
    fn a_restore_with_no_live_workspace_says_to_apply_first() {
        let fleet = fleet();
        let errors =
            restore(&fleet, &fleet.workspaces[0], &LiveState::default()).expect_err("refused");
        assert!(errors[0].message.contains("run apply to create it"));
    }
}
