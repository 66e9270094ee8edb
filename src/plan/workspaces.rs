//! Desired WorkSpaces against live ones: match, compare, decide.

use std::collections::{HashMap, HashSet};

use super::modify::volume_steps;
use super::ownership::{self, Found, desired_tags};
use super::{
    Action, AttributeChange, Context, IdRef, Modification, NewWorkspace, Operation, PlanError,
    Planned, ResourceChange, Value,
};
use crate::address::Address;
use crate::diagnostic::did_you_mean;
use crate::live::{LiveIndex, LiveWorkspace, Owned, STACK_TAG};
use crate::spec::{BundleRef, Workspace};

/// States from which a WorkSpace returns to AVAILABLE or STOPPED by itself:
/// apply waits them out before modifying it.
const PASSING_STATES: [&str; 8] = [
    "PENDING",
    "STARTING",
    "REBOOTING",
    "REBUILDING",
    "RESTORING",
    "UPDATING",
    "STOPPING",
    "MAINTENANCE",
];
/// ModifyWorkspaceProperties is accepted only in these.
const MODIFIABLE_STATES: [&str; 2] = ["AVAILABLE", "STOPPED"];

pub(super) fn plan(cx: &Context, planned: &mut Planned) {
    let matched = match_workspaces(cx, &mut planned.errors);
    for (desired, found) in &matched {
        let change = match found {
            Found::Nothing => create(cx, desired),
            Found::Owned(existing) => {
                match super::heal::heal(cx, desired, existing, &mut planned.warnings) {
                    Some(change) => Ok(Some(change)),
                    None => compare(cx, desired, existing, false),
                }
            }
            Found::Unowned(existing) => compare(cx, desired, existing, true),
        };
        match change {
            Ok(Some(change)) => planned.changes.push(change),
            Ok(None) => planned.unchanged += 1,
            Err(error) => planned.errors.push(error),
        }
    }
    let claimed: HashSet<&str> = matched
        .iter()
        .filter_map(|(_, found)| found.live())
        .map(|existing| existing.id.as_str())
        .collect();
    planned.changes.extend(
        cx.live
            .workspaces
            .iter()
            .filter(|w| w.stack() == Some(cx.stack) && !w.is_terminating())
            .filter(|w| !claimed.contains(w.id.as_str()))
            .map(|w| delete(cx.stack, w)),
    );
}

/// A desired WorkSpace is its live one by the name tag this stack gave it;
/// failing that, by its natural key (directory, user).
fn match_workspaces<'a>(
    cx: &Context<'a>,
    errors: &mut Vec<PlanError>,
) -> Vec<(&'a Workspace, Found<'a, LiveWorkspace>)> {
    let (fleet, live, stack) = (cx.fleet, cx.live, cx.stack);
    let by_name: HashMap<&str, &LiveWorkspace> = live
        .workspaces
        .iter()
        .filter(|w| !w.is_terminating() && w.stack() == Some(stack))
        .filter_map(|w| Some((w.name_tag()?, w)))
        .collect();
    let named: HashSet<&str> = fleet
        .workspaces
        .iter()
        .filter_map(|d| by_name.get(d.name.as_str()).map(|w| w.id.as_str()))
        .collect();
    let mut matched = Vec::new();
    for desired in &fleet.workspaces {
        if let Some(&existing) = by_name.get(desired.name.as_str()) {
            matched.push((desired, Found::Owned(existing)));
            continue;
        }
        // Two hold a key only while AWS migrates one: the later listed.
        let found = match cx.index.present(&desired.key()).last().copied() {
            None => Found::Nothing,
            Some(existing) if named.contains(existing.id.as_str()) => Found::Nothing,
            Some(existing) => match existing.stack() {
                None => Found::Unowned(existing),
                Some(owner) if owner == stack => Found::Owned(existing),
                Some(owner) => {
                    errors.push(conflict(desired, existing, owner));
                    continue;
                }
            },
        };
        matched.push((desired, found));
    }
    matched
}

fn conflict(desired: &Workspace, existing: &LiveWorkspace, owner: &str) -> PlanError {
    ownership::conflict(
        &Address::workspace(&desired.name),
        &desired.origin,
        format!(
            "{} ({} for user {} in {})",
            existing.id, existing.state, existing.user, existing.directory_id
        ),
        owner,
    )
}

fn create(cx: &Context, desired: &Workspace) -> Result<Option<ResourceChange>, PlanError> {
    let bundle_id = resolve_bundle(cx, desired)?;
    let new = new_workspace(cx.stack, desired, &bundle_id);
    let attributes = creation_attributes(&new, &cx.index);
    Ok(Some(ResourceChange {
        address: Address::workspace(&desired.name),
        action: Action::Create,
        reason: format!(
            "no WorkSpace for user {} in {}",
            desired.user, desired.directory_id
        ),
        data_loss: false,
        data_loss_allowed: desired.allow_data_loss,
        id: None,
        attributes,
        operations: vec![Operation::CreateWorkspace(new)],
        depends_on: Vec::new(),
    }))
}

fn new_workspace(stack: &str, desired: &Workspace, bundle_id: &IdRef) -> NewWorkspace {
    NewWorkspace {
        directory_id: desired.directory_id.clone(),
        user: desired.user.clone(),
        bundle_id: bundle_id.clone(),
        compute_type: desired.compute_type.clone(),
        running_mode: desired.running_mode.map(|m| m.as_str().to_owned()),
        auto_stop_timeout_minutes: desired.auto_stop_timeout_minutes,
        root_volume_gib: desired.root_volume_gib,
        user_volume_gib: desired.user_volume_gib,
        root_volume_encryption: desired.root_volume_encryption,
        user_volume_encryption: desired.user_volume_encryption,
        volume_encryption_key: desired.volume_encryption_key.clone(),
        tags: desired_tags(stack, &desired.name, &desired.tags),
    }
}

fn creation_attributes(new: &NewWorkspace, index: &LiveIndex) -> Vec<AttributeChange> {
    let text = |s: &str| Some(Value::Text(s.to_owned()));
    let number = |n: Option<i32>| n.map(|n| Value::Number(n.into()));
    let flag = |b: bool| b.then_some(Value::Bool(true));
    [
        ("directory_id", text(&new.directory_id)),
        ("user", text(&new.user)),
        ("bundle", text(&bundle_label(&new.bundle_id, index))),
        ("compute_type", new.compute_type.as_deref().and_then(text)),
        ("running_mode", new.running_mode.as_deref().and_then(text)),
        (
            "auto_stop_timeout_minutes",
            number(new.auto_stop_timeout_minutes),
        ),
        ("root_volume_gib", number(new.root_volume_gib)),
        ("user_volume_gib", number(new.user_volume_gib)),
        ("root_volume_encryption", flag(new.root_volume_encryption)),
        ("user_volume_encryption", flag(new.user_volume_encryption)),
        (
            "volume_encryption_key",
            new.volume_encryption_key.as_deref().and_then(text),
        ),
        ("tags", Some(Value::Tags(new.tags.clone()))),
    ]
    .into_iter()
    .filter_map(|(name, after)| {
        after.map(|after| AttributeChange {
            name: name.into(),
            before: None,
            after: Some(after),
            forces_replacement: false,
        })
    })
    .collect()
}

fn bundle_label(bundle_id: &IdRef, index: &LiveIndex) -> String {
    match bundle_id {
        IdRef::Id(id) => match index.bundle(id) {
            Some(bundle) if !bundle.name.is_empty() => format!("{} ({id})", bundle.name),
            _ => id.clone(),
        },
        IdRef::CreatedBy { created_by } => format!("{} (created by this plan)", created_by.name()),
    }
}

/// A bundle of the file, or a live one by name or id.
fn resolve_bundle(cx: &Context, desired: &Workspace) -> Result<IdRef, PlanError> {
    if let BundleRef::Name(name) = &desired.bundle
        && let Some(id) = cx.bundles.get(name)
    {
        return Ok(id.clone());
    }
    resolve_live_bundle(desired, &cx.index).map(IdRef::Id)
}

fn resolve_live_bundle(desired: &Workspace, index: &LiveIndex) -> Result<String, PlanError> {
    let error = |message: String, help: Option<String>| PlanError {
        address: Address::workspace(&desired.name),
        origin: Some(Box::new(desired.origin.clone())),
        message,
        help,
    };
    match &desired.bundle {
        BundleRef::Id(id) => match index.bundle(id) {
            Some(_) => Ok(id.clone()),
            None => Err(error(
                format!("bundle {id} does not exist in this region"),
                None,
            )),
        },
        BundleRef::Name(name) => match index.bundles_named(name) {
            [bundle] => Ok(bundle.id.clone()),
            [] => Err(error(
                format!("no bundle is named `{name}`"),
                did_you_mean(name, index.live().bundles.iter().map(|b| b.name.as_str()))
                    .map(|close| format!("did you mean `{close}`?")),
            )),
            several => Err(error(
                format!("{} bundles are named `{name}`", several.len()),
                Some(format!(
                    "use bundle_id with one of {}",
                    several
                        .iter()
                        .map(|b| b.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )),
        },
    }
}

/// A desired WorkSpace against its live one: nothing, an update, a
/// replacement, or (for one without our tag) an adoption.
pub(super) fn compare(
    cx: &Context,
    desired: &Workspace,
    existing: &LiveWorkspace,
    adopt: bool,
) -> Result<Option<ResourceChange>, PlanError> {
    let (stack, index) = (cx.stack, &cx.index);
    let address = Address::workspace(&desired.name);
    let error = |message: String, help: Option<String>| PlanError {
        address: address.clone(),
        origin: Some(Box::new(desired.origin.clone())),
        message,
        help,
    };
    let bundle_id = resolve_bundle(cx, desired)?;
    let bundle_changes = bundle_id != IdRef::Id(existing.bundle_id.clone());
    let mut replacing = replacement_attributes(desired, existing);
    if bundle_changes && !replacing.is_empty() {
        replacing.push(bundle_change(existing, &bundle_id, index, true));
    }
    if !replacing.is_empty() {
        if adopt {
            let names: Vec<&str> = replacing.iter().map(|a| a.name.as_ref()).collect();
            return Err(error(
                format!(
                    "{} has no wsctl:stack tag and differs in {}, which only a replacement changes",
                    existing.id,
                    names.join(", ")
                ),
                Some("wsctl replaces only WorkSpaces it owns; change the file to match, or tag it by hand".to_owned()),
            ));
        }
        // AWS allows one WorkSpace per user and directory: one this stack
        // does not own would make the new WorkSpace fail at apply.
        if let Some(holder) = index
            .present(&desired.key())
            .iter()
            .find(|w| w.id != existing.id && w.stack() != Some(stack))
        {
            return Err(error(
                format!(
                    "user {} in {} already has WorkSpace {}, which this stack does not own",
                    desired.user, desired.directory_id, holder.id
                ),
                Some("AWS allows one WorkSpace per user and directory".to_owned()),
            ));
        }
        return Ok(Some(replace(
            stack, desired, existing, &bundle_id, replacing,
        )));
    }
    if bundle_changes {
        if adopt {
            return Err(error(
                format!(
                    "{} has no wsctl:stack tag and is on another bundle; wsctl migrates only WorkSpaces it owns",
                    existing.id
                ),
                Some("change the file to name its bundle, or tag it by hand".to_owned()),
            ));
        }
        return Ok(Some(migrate(desired, existing, &bundle_id, index)));
    }
    let (mut attributes, modifications) =
        property_changes(desired, existing).map_err(|m| error(m, None))?;
    let wanted = desired_tags(stack, &desired.name, &desired.tags);
    let tag_operations =
        ownership::tag_operations(&existing.id, &wanted, &existing.tags, &mut attributes);
    if !modifications.is_empty()
        && !MODIFIABLE_STATES.contains(&existing.state.as_str())
        && !PASSING_STATES.contains(&existing.state.as_str())
    {
        return Err(error(
            format!(
                "{} is {}; its properties can change only when it is AVAILABLE or STOPPED",
                existing.id, existing.state
            ),
            None,
        ));
    }
    if attributes.is_empty() && !adopt {
        return Ok(None);
    }
    let mut operations = tag_operations;
    operations.extend(
        modifications
            .into_iter()
            .map(|modification| Operation::ModifyWorkspace {
                workspace_id: existing.id.clone(),
                modification,
            }),
    );
    let reason = if adopt {
        format!(
            "{} exists for user {} in {} without a wsctl:stack tag; apply tags it",
            existing.id, existing.user, existing.directory_id
        )
    } else {
        ownership::differs(&attributes)
    };
    Ok(Some(ResourceChange {
        address,
        action: if adopt { Action::Adopt } else { Action::Update },
        reason,
        data_loss: false,
        data_loss_allowed: desired.allow_data_loss,
        id: Some(existing.id.clone()),
        attributes,
        operations,
        depends_on: Vec::new(),
    }))
}

fn bundle_change(
    existing: &LiveWorkspace,
    bundle_id: &IdRef,
    index: &LiveIndex,
    forces_replacement: bool,
) -> AttributeChange {
    AttributeChange {
        name: "bundle".into(),
        before: Some(Value::Text(bundle_label(
            &IdRef::Id(existing.bundle_id.clone()),
            index,
        ))),
        after: Some(Value::Text(bundle_label(bundle_id, index))),
        forces_replacement,
    }
}

/// MigrateWorkspace: a new WorkSpace (new id) on the new bundle; the user
/// volume comes from the last snapshot, the root volume from the bundle.
fn migrate(
    desired: &Workspace,
    existing: &LiveWorkspace,
    bundle_id: &IdRef,
    index: &LiveIndex,
) -> ResourceChange {
    ResourceChange {
        address: Address::workspace(&desired.name),
        action: Action::Migrate,
        reason: format!(
            "its bundle changes: MigrateWorkspace moves {} to a new WorkSpace on the new bundle, keeping the user volume; the root volume is rebuilt from the bundle's image",
            existing.id
        ),
        data_loss: false,
        data_loss_allowed: desired.allow_data_loss,
        id: Some(existing.id.clone()),
        attributes: vec![bundle_change(existing, bundle_id, index, false)],
        operations: vec![Operation::MigrateWorkspace {
            workspace_id: existing.id.clone(),
            bundle_id: bundle_id.clone(),
        }],
        depends_on: Vec::new(),
    }
}

/// Attributes no API changes on an existing WorkSpace. (The bundle changes
/// by migration, unless one of these forces a replacement anyway.)
fn replacement_attributes(desired: &Workspace, existing: &LiveWorkspace) -> Vec<AttributeChange> {
    let mut changes = Vec::new();
    let mut differ = |name: &'static str, before: Value, after: Value| {
        if before != after {
            changes.push(AttributeChange {
                name: name.into(),
                before: Some(before),
                after: Some(after),
                forces_replacement: true,
            });
        }
    };
    let text = |s: &str| Value::Text(s.to_owned());
    differ(
        "directory_id",
        text(&existing.directory_id),
        text(&desired.directory_id),
    );
    // The user's case is not a difference: AWS matches the name without it.
    if existing.key().user() != desired.key().user() {
        differ("user", text(&existing.user), text(&desired.user));
    }
    differ(
        "root_volume_encryption",
        Value::Bool(existing.root_volume_encryption),
        Value::Bool(desired.root_volume_encryption),
    );
    differ(
        "user_volume_encryption",
        Value::Bool(existing.user_volume_encryption),
        Value::Bool(desired.user_volume_encryption),
    );
    if desired.root_volume_encryption || desired.user_volume_encryption {
        differ(
            "volume_encryption_key",
            text(
                existing
                    .volume_encryption_key
                    .as_deref()
                    .unwrap_or_default(),
            ),
            text(desired.volume_encryption_key.as_deref().unwrap_or_default()),
        );
    }
    changes
}

fn replace(
    stack: &str,
    desired: &Workspace,
    existing: &LiveWorkspace,
    bundle_id: &IdRef,
    because: Vec<AttributeChange>,
) -> ResourceChange {
    let names: Vec<&str> = because.iter().map(|a| a.name.as_ref()).collect();
    ResourceChange {
        address: Address::workspace(&desired.name),
        action: Action::Replace,
        reason: format!(
            "{} cannot change on an existing WorkSpace: {} is terminated and a new one created",
            names.join(", "),
            existing.id
        ),
        data_loss: true,
        data_loss_allowed: desired.allow_data_loss,
        id: Some(existing.id.clone()),
        attributes: because,
        operations: vec![
            Operation::TerminateWorkspace {
                workspace_id: existing.id.clone(),
            },
            Operation::CreateWorkspace(new_workspace(stack, desired, bundle_id)),
        ],
        depends_on: Vec::new(),
    }
}

/// Running mode, compute type and volumes: the attribute changes to show and
/// the requests that make them, or why they cannot be made.
fn property_changes(
    desired: &Workspace,
    existing: &LiveWorkspace,
) -> Result<(Vec<AttributeChange>, Vec<Modification>), String> {
    let mut attributes = Vec::new();
    let mut modifications = Vec::new();
    let mut changed = |name: &'static str, before: Option<Value>, after: Value| {
        attributes.push(AttributeChange {
            name: name.into(),
            before,
            after: Some(after),
            forces_replacement: false,
        })
    };
    let text = |s: &str| Value::Text(s.to_owned());
    let number = |n: i32| Value::Number(n.into());

    if let Some(mode) = desired.running_mode.map(|m| m.as_str()) {
        let timeout = desired.auto_stop_timeout_minutes;
        let mode_differs = existing.running_mode.as_deref() != Some(mode);
        let timeout_differs = timeout.is_some() && existing.auto_stop_timeout_minutes != timeout;
        if mode_differs {
            changed(
                "running_mode",
                existing.running_mode.as_deref().map(text),
                text(mode),
            );
        }
        if let (true, Some(minutes)) = (timeout_differs, timeout) {
            changed(
                "auto_stop_timeout_minutes",
                existing.auto_stop_timeout_minutes.map(number),
                number(minutes),
            );
        }
        if mode_differs || timeout_differs {
            modifications.push(Modification::RunningMode {
                running_mode: mode.to_owned(),
                auto_stop_timeout_minutes: timeout,
            });
        }
    }
    if let Some(compute) = desired.compute_type.as_deref()
        && existing.compute_type.as_deref() != Some(compute)
    {
        changed(
            "compute_type",
            existing.compute_type.as_deref().map(text),
            text(compute),
        );
        modifications.push(Modification::ComputeType {
            compute_type: compute.to_owned(),
        });
    }
    let live_root = existing.root_volume_gib;
    let live_user = existing.user_volume_gib;
    let want_root = desired.root_volume_gib.or(live_root);
    let want_user = desired.user_volume_gib.or(live_user);
    if let (Some(live_root), Some(live_user), Some(want_root), Some(want_user)) =
        (live_root, live_user, want_root, want_user)
    {
        for (name, before, after) in [
            ("root_volume_gib", live_root, want_root),
            ("user_volume_gib", live_user, want_user),
        ] {
            if after < before {
                return Err(format!(
                    "{name} would shrink from {before} to {after} GiB on {}; AWS never shrinks a volume",
                    existing.id
                ));
            }
        }
        let steps = volume_steps((live_root, live_user), (want_root, want_user));
        // Show the sizes the steps reach: growing root past 80 GiB also
        // grows the user volume to 100 GiB when the file leaves it unset.
        let (mut root, mut user) = (live_root, live_user);
        for step in &steps {
            match step {
                Modification::RootVolume { gib } => root = *gib,
                Modification::UserVolume { gib } => user = *gib,
                _ => {}
            }
        }
        for (name, before, after) in [
            ("root_volume_gib", live_root, root),
            ("user_volume_gib", live_user, user),
        ] {
            if after > before {
                changed(name, Some(number(before)), number(after));
            }
        }
        modifications.extend(steps);
    }
    Ok((attributes, modifications))
}

fn delete(stack: &str, existing: &LiveWorkspace) -> ResourceChange {
    let name = existing.name_tag().unwrap_or(&existing.user);
    let text = |s: &str| Some(Value::Text(s.to_owned()));
    let attributes = [
        ("directory_id", text(&existing.directory_id)),
        ("user", text(&existing.user)),
        ("state", text(&existing.state)),
    ]
    .into_iter()
    .map(|(name, before)| AttributeChange {
        name: name.into(),
        before,
        after: None,
        forces_replacement: false,
    })
    .collect();
    ResourceChange {
        address: Address::workspace(name),
        action: Action::Delete,
        reason: format!(
            "{} is tagged {STACK_TAG} = {stack} but is not in the file",
            existing.id
        ),
        data_loss: true,
        data_loss_allowed: false,
        id: Some(existing.id.clone()),
        attributes,
        operations: vec![Operation::TerminateWorkspace {
            workspace_id: existing.id.clone(),
        }],
        depends_on: Vec::new(),
    }
}
