//! The builders the planner's and the renderer's tests share: a fleet of
//! WorkSpaces and the live account it is planned against, and the pieces of
//! a plan (changes, attributes, operations) as the planner makes them.
//!
//! One WorkSpace is the model throughout: `workspace(name)` in the file,
//! `live_workspace(id, user)` in the account, `new_workspace(name)` in the
//! CreateWorkspaces call; all three carry `properties()` and the Standard
//! bundle, so a test changes only what it is about (`with`).

use std::collections::BTreeMap;

use super::{
    Action, AttributeChange, IdRef, Modification, NewWorkspace, Operation, Plan, ResourceChange,
    Value,
};
use crate::address::Address;
use crate::live::{LiveBundle, LiveState, LiveWorkspace, NAME_TAG, STACK_TAG};
use crate::spec::{
    BundleRef, Fleet, Heal, Origin, RunningMode, Settings, TagReads, Workspace, WorkspaceProperties,
};
use crate::states::WorkspaceState;

pub(crate) const STACK: &str = "engineering";
pub(crate) const DIRECTORY: &str = "d-1234567890";
pub(crate) const STANDARD: &str = "Standard with Windows 10";
pub(crate) const STANDARD_ID: &str = "wsb-std000001";
pub(crate) const PERFORMANCE: &str = "Performance with Windows 10";
pub(crate) const PERFORMANCE_ID: &str = "wsb-perf00001";

/// `value`, changed by `change`: the one thing a test is about.
pub(crate) fn with<T>(mut value: T, change: impl FnOnce(&mut T)) -> T {
    change(&mut value);
    value
}

pub(crate) fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The tags this stack's apply gives the resource `[….name]`.
pub(crate) fn ownership(name: &str) -> BTreeMap<String, String> {
    tags(&[(STACK_TAG, STACK), (NAME_TAG, name)])
}

// ---- the file -----------------------------------------------------------------

/// The fleet of stack `engineering` in us-east-1 with these WorkSpaces,
/// sorted by name as validation leaves them.
pub(crate) fn fleet(workspaces: Vec<Workspace>) -> Fleet {
    let mut workspaces = workspaces;
    workspaces.sort_by(|a, b| a.name.cmp(&b.name));
    Fleet {
        settings: Settings {
            stack: STACK.to_owned(),
            region: Some("us-east-1".to_owned()),
            tag_reads: TagReads::default(),
            auto_stop_hours_per_month: None,
            max_monthly_increase: None,
        },
        account: None,
        ip_groups: Vec::new(),
        directories: Vec::new(),
        images: Vec::new(),
        bundles: Vec::new(),
        workspaces,
        connection_aliases: Vec::new(),
    }
}

/// What `[defaults.workspace]` typically gives: AUTO_STOP after 60
/// minutes on STANDARD, 80/50 GiB, unencrypted.
pub(crate) fn properties() -> WorkspaceProperties {
    WorkspaceProperties {
        compute_type: Some("STANDARD".to_owned()),
        running_mode: Some(RunningMode::AutoStop),
        auto_stop_timeout_minutes: Some(60),
        root_volume_gib: Some(80),
        user_volume_gib: Some(50),
        root_volume_encryption: Some(false),
        user_volume_encryption: Some(false),
        volume_encryption_key: None,
        ..WorkspaceProperties::default()
    }
}

/// `[workspaces.NAME]` with the Standard bundle by name and `properties()`.
pub(crate) fn workspace(name: &str) -> Workspace {
    Workspace {
        name: name.to_owned(),
        origin: Origin {
            file: "fleet.toml".to_owned(),
            line: 10,
            column: 1,
        },
        directory_id: DIRECTORY.to_owned(),
        user: name.to_owned(),
        bundle: BundleRef::Name(STANDARD.to_owned()),
        properties: properties(),
        tags: BTreeMap::new(),
        allow_data_loss: false,
        heal: Heal::None,
        tune: true,
    }
}

// ---- the account --------------------------------------------------------------

/// A live WorkSpace that matches `workspace(user)` exactly, except that it
/// carries no tags: see `owned`.
pub(crate) fn live_workspace(id: &str, user: &str) -> LiveWorkspace {
    LiveWorkspace {
        id: id.to_owned(),
        directory_id: DIRECTORY.to_owned(),
        user: user.to_owned(),
        state: WorkspaceState::Available,
        bundle_id: STANDARD_ID.to_owned(),
        properties: properties(),
        modifying: false,
        tags: BTreeMap::new(),
        ..LiveWorkspace::default()
    }
}

/// `live` with the tags this stack's apply gives the WorkSpace `[workspaces.name]`.
pub(crate) fn owned(mut live: LiveWorkspace, name: &str) -> LiveWorkspace {
    live.tags.extend(ownership(name));
    live
}

/// An AMAZON bundle of 80/50 GiB.
pub(crate) fn bundle(id: &str, name: &str, compute_type: &str) -> LiveBundle {
    LiveBundle {
        id: id.to_owned(),
        name: name.to_owned(),
        owner: Some("AMAZON".to_owned()),
        compute_type: Some(compute_type.to_owned()),
        root_volume_gib: Some(80),
        user_volume_gib: Some(50),
        ..LiveBundle::default()
    }
}

/// The account: the AMAZON bundles the fleet names, and these WorkSpaces.
pub(crate) fn account(workspaces: Vec<LiveWorkspace>) -> LiveState {
    LiveState {
        workspaces,
        bundles: vec![
            bundle(STANDARD_ID, STANDARD, "STANDARD"),
            bundle(PERFORMANCE_ID, PERFORMANCE, "PERFORMANCE"),
        ],
        ..LiveState::default()
    }
}

// ---- the plan -----------------------------------------------------------------

pub(crate) fn text(s: &str) -> Option<Value> {
    Some(Value::Text(s.to_owned()))
}

pub(crate) fn number(n: i64) -> Option<Value> {
    Some(Value::Number(n))
}

/// A bundle as a plan shows it: `name (id)`.
pub(crate) fn bundle_text(name: &str, id: &str) -> Option<Value> {
    text(&format!("{name} ({id})"))
}

pub(crate) fn changed(
    name: &'static str,
    before: Option<Value>,
    after: Option<Value>,
) -> AttributeChange {
    AttributeChange {
        name: name.into(),
        before,
        after,
        forces_replacement: false,
    }
}

/// An attribute AWS cannot change on an existing resource.
pub(crate) fn forces(
    name: &'static str,
    before: Option<Value>,
    after: Option<Value>,
) -> AttributeChange {
    AttributeChange {
        forces_replacement: true,
        ..changed(name, before, after)
    }
}

pub(crate) fn modify(id: &str, modification: Modification) -> Operation {
    Operation::ModifyWorkspace {
        workspace_id: IdRef::Id(id.to_owned()),
        modification,
    }
}

pub(crate) fn terminate(id: &str) -> Operation {
    Operation::TerminateWorkspace {
        workspace_id: id.to_owned(),
    }
}

/// What CreateWorkspaces gets for `workspace(name)`.
pub(crate) fn new_workspace(name: &str) -> NewWorkspace {
    NewWorkspace {
        directory_id: DIRECTORY.to_owned(),
        user: name.to_owned(),
        bundle_id: IdRef::Id(STANDARD_ID.to_owned()),
        properties: properties(),
        tags: ownership(name),
    }
}

/// `workspace.NAME`'s change, with no attributes, operations or
/// dependencies yet.
pub(crate) fn change(name: &str, action: Action, reason: &str) -> ResourceChange {
    ResourceChange {
        address: Address::workspace(name),
        action,
        reason: reason.to_owned(),
        data_loss: false,
        data_loss_allowed: false,
        id: None,
        attributes: Vec::new(),
        operations: Vec::new(),
        depends_on: Vec::new(),
        cost: None,
    }
}

/// A plan of stack `engineering` in us-east-1 made of `changes`, in the
/// order the planner would walk them.
pub(crate) fn plan_of(changes: Vec<ResourceChange>) -> Plan {
    let mut plan = Plan::new(STACK, changes);
    plan.region = Some("us-east-1".to_owned());
    plan
}
