//! Desired WorkSpaces against live ones: match, compare, decide.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::modify::volume_steps;
use super::{
    Action, AttributeChange, Modification, NewWorkspace, Operation, Plan, PlanError,
    ResourceChange, Value,
};
use crate::address::Address;
use crate::live::{LiveState, LiveWorkspace, NAME_TAG, STACK_TAG};
use crate::spec::{BundleRef, Fleet, Workspace};

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

pub fn plan(fleet: &Fleet, live: &LiveState) -> Result<Plan, Vec<PlanError>> {
    let stack = fleet.settings.stack.as_str();
    let mut errors = Vec::new();
    let matched = match_workspaces(fleet, live, &mut errors);
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for (desired, found) in &matched {
        let change = match found {
            Found::Nothing => create(stack, desired, live),
            Found::Owned(existing) => compare(stack, desired, existing, live, false),
            Found::Unowned(existing) => compare(stack, desired, existing, live, true),
        };
        match change {
            Ok(Some(change)) => changes.push(change),
            Ok(None) => unchanged += 1,
            Err(error) => errors.push(error),
        }
    }
    let claimed: HashSet<&str> = matched
        .iter()
        .filter_map(|(_, found)| found.live())
        .map(|existing| existing.id.as_str())
        .collect();
    changes.extend(
        live.workspaces
            .iter()
            .filter(|w| w.stack() == Some(stack) && !w.is_terminating())
            .filter(|w| !claimed.contains(w.id.as_str()))
            .map(|w| delete(stack, w)),
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    order_key_reuse(&mut changes, live);
    changes.sort_by(|a, b| a.address.cmp(&b.address));
    Ok(Plan {
        stack: stack.to_owned(),
        changes,
        unchanged,
    })
}

enum Found<'a> {
    Nothing,
    /// Tagged with this stack.
    Owned(&'a LiveWorkspace),
    /// Same directory and user, no stack tag: to be adopted.
    Unowned(&'a LiveWorkspace),
}

impl<'a> Found<'a> {
    fn live(&self) -> Option<&'a LiveWorkspace> {
        match self {
            Found::Nothing => None,
            Found::Owned(w) | Found::Unowned(w) => Some(w),
        }
    }
}

/// A desired WorkSpace is its live one by the name tag this stack gave it;
/// failing that, by its natural key (directory, user).
fn match_workspaces<'a>(
    fleet: &'a Fleet,
    live: &'a LiveState,
    errors: &mut Vec<PlanError>,
) -> Vec<(&'a Workspace, Found<'a>)> {
    let stack = fleet.settings.stack.as_str();
    let present: Vec<&LiveWorkspace> = live
        .workspaces
        .iter()
        .filter(|w| !w.is_terminating())
        .collect();
    let by_name: HashMap<&str, &LiveWorkspace> = present
        .iter()
        .filter(|w| w.stack() == Some(stack))
        .filter_map(|w| Some((w.name_tag()?, *w)))
        .collect();
    let by_key: HashMap<(&str, &str), &LiveWorkspace> = present
        .iter()
        .map(|w| ((w.directory_id.as_str(), w.user.as_str()), *w))
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
        let key = (desired.directory_id.as_str(), desired.user.as_str());
        let found = match by_key.get(&key) {
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
    PlanError {
        address: Address::workspace(&desired.name),
        origin: Some(desired.origin.clone()),
        message: format!(
            "{} ({} for user {} in {}) belongs to stack `{owner}`, not this one",
            existing.id, existing.state, existing.user, existing.directory_id
        ),
        help: Some(format!(
            "a WorkSpace is managed by one stack; remove it from the file, or from stack `{owner}` first"
        )),
    }
}

fn create(
    stack: &str,
    desired: &Workspace,
    live: &LiveState,
) -> Result<Option<ResourceChange>, PlanError> {
    let bundle_id = resolve_bundle(desired, live)?;
    let new = new_workspace(stack, desired, &bundle_id);
    let attributes = creation_attributes(&new, live);
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

fn new_workspace(stack: &str, desired: &Workspace, bundle_id: &str) -> NewWorkspace {
    NewWorkspace {
        directory_id: desired.directory_id.clone(),
        user: desired.user.clone(),
        bundle_id: bundle_id.to_owned(),
        compute_type: desired.compute_type.clone(),
        running_mode: desired.running_mode.map(|m| m.as_str().to_owned()),
        auto_stop_timeout_minutes: desired.auto_stop_timeout_minutes,
        root_volume_gib: desired.root_volume_gib,
        user_volume_gib: desired.user_volume_gib,
        root_volume_encryption: desired.root_volume_encryption,
        user_volume_encryption: desired.user_volume_encryption,
        volume_encryption_key: desired.volume_encryption_key.clone(),
        tags: desired_tags(stack, desired),
    }
}

fn desired_tags(stack: &str, desired: &Workspace) -> BTreeMap<String, String> {
    let mut tags = desired.tags.clone();
    tags.insert(STACK_TAG.to_owned(), stack.to_owned());
    tags.insert(NAME_TAG.to_owned(), desired.name.clone());
    tags
}

fn creation_attributes(new: &NewWorkspace, live: &LiveState) -> Vec<AttributeChange> {
    let text = |s: &str| Some(Value::Text(s.to_owned()));
    let number = |n: Option<i32>| n.map(|n| Value::Number(n.into()));
    let flag = |b: bool| b.then_some(Value::Bool(true));
    [
        ("directory_id", text(&new.directory_id)),
        ("user", text(&new.user)),
        ("bundle", text(&bundle_label(&new.bundle_id, live))),
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
            name,
            before: None,
            after: Some(after),
            forces_replacement: false,
        })
    })
    .collect()
}

fn bundle_label(bundle_id: &str, live: &LiveState) -> String {
    match live.bundle_by_id(bundle_id) {
        Some(bundle) if !bundle.name.is_empty() => format!("{} ({bundle_id})", bundle.name),
        _ => bundle_id.to_owned(),
    }
}

fn resolve_bundle(desired: &Workspace, live: &LiveState) -> Result<String, PlanError> {
    let error = |message: String, help: Option<String>| PlanError {
        address: Address::workspace(&desired.name),
        origin: Some(desired.origin.clone()),
        message,
        help,
    };
    match &desired.bundle {
        BundleRef::Id(id) => match live.bundle_by_id(id) {
            Some(_) => Ok(id.clone()),
            None => Err(error(
                format!("bundle {id} does not exist in this region"),
                None,
            )),
        },
        BundleRef::Name(name) => {
            let found: Vec<_> = live.bundles.iter().filter(|b| &b.name == name).collect();
            match found.as_slice() {
                [bundle] => Ok(bundle.id.clone()),
                [] => Err(error(
                    format!("no bundle is named `{name}`"),
                    closest_bundle(name, live).map(|close| format!("did you mean `{close}`?")),
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
            }
        }
    }
}

fn closest_bundle<'a>(name: &str, live: &'a LiveState) -> Option<&'a str> {
    live.bundles
        .iter()
        .map(|b| (strsim::jaro_winkler(name, &b.name), b.name.as_str()))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// A desired WorkSpace against its live one: nothing, an update, a
/// replacement, or (for one without our tag) an adoption.
fn compare(
    stack: &str,
    desired: &Workspace,
    existing: &LiveWorkspace,
    live: &LiveState,
    adopt: bool,
) -> Result<Option<ResourceChange>, PlanError> {
    let address = Address::workspace(&desired.name);
    let error = |message: String, help: Option<String>| PlanError {
        address: address.clone(),
        origin: Some(desired.origin.clone()),
        message,
        help,
    };
    let bundle_id = resolve_bundle(desired, live)?;
    let replacing = replacement_attributes(desired, existing, &bundle_id, live);
    if !replacing.is_empty() {
        if adopt {
            let names: Vec<&str> = replacing.iter().map(|a| a.name).collect();
            return Err(error(
                format!(
                    "{} has no wsctl:stack tag and differs in {}, which only a replacement changes",
                    existing.id,
                    names.join(", ")
                ),
                Some("wsctl replaces only WorkSpaces it owns; change the file to match, or tag it by hand".to_owned()),
            ));
        }
        return Ok(Some(replace(
            stack, desired, existing, &bundle_id, replacing,
        )));
    }
    let (mut attributes, modifications) =
        property_changes(desired, existing).map_err(|m| error(m, None))?;
    let tag_operations = tag_operations(stack, desired, existing, &mut attributes);
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
    let changed: Vec<&str> = attributes.iter().map(|a| a.name).collect();
    let reason = if adopt {
        format!(
            "{} exists for user {} in {} without a wsctl:stack tag; apply tags it",
            existing.id, existing.user, existing.directory_id
        )
    } else {
        let verb = if changed.len() == 1 && changed[0] != "tags" {
            "differs"
        } else {
            "differ"
        };
        format!("{} {verb} from the file", changed.join(", "))
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

/// Attributes no API changes on an existing WorkSpace.
fn replacement_attributes(
    desired: &Workspace,
    existing: &LiveWorkspace,
    bundle_id: &str,
    live: &LiveState,
) -> Vec<AttributeChange> {
    let mut changes = Vec::new();
    let mut differ = |name, before: Value, after: Value| {
        if before != after {
            changes.push(AttributeChange {
                name,
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
    differ("user", text(&existing.user), text(&desired.user));
    differ(
        "bundle",
        text(&bundle_label(&existing.bundle_id, live)),
        text(&bundle_label(bundle_id, live)),
    );
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
    bundle_id: &str,
    because: Vec<AttributeChange>,
) -> ResourceChange {
    let names: Vec<&str> = because.iter().map(|a| a.name).collect();
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
    let mut changed = |name, before: Option<Value>, after: Value| {
        attributes.push(AttributeChange {
            name,
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

/// CreateTags for what is missing or different (ownership first), DeleteTags
/// for keys the file does not have. `aws:` tags are AWS's and left alone.
fn tag_operations(
    stack: &str,
    desired: &Workspace,
    existing: &LiveWorkspace,
    attributes: &mut Vec<AttributeChange>,
) -> Vec<Operation> {
    let wanted = desired_tags(stack, desired);
    let current: BTreeMap<String, String> = existing
        .tags
        .iter()
        .filter(|(key, _)| !key.starts_with("aws:"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if wanted == current {
        return Vec::new();
    }
    attributes.push(AttributeChange {
        name: "tags",
        before: Some(Value::Tags(current.clone())),
        after: Some(Value::Tags(wanted.clone())),
        forces_replacement: false,
    });
    let mut operations = Vec::new();
    let to_set: BTreeMap<String, String> = wanted
        .iter()
        .filter(|(key, value)| current.get(*key) != Some(value))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !to_set.is_empty() {
        operations.push(Operation::TagResource {
            resource_id: existing.id.clone(),
            tags: to_set,
        });
    }
    let to_remove: Vec<String> = current
        .keys()
        .filter(|key| !wanted.contains_key(*key))
        .cloned()
        .collect();
    if !to_remove.is_empty() {
        operations.push(Operation::UntagResource {
            resource_id: existing.id.clone(),
            keys: to_remove,
        });
    }
    operations
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
        name,
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

/// AWS allows one WorkSpace per user per directory: a create whose user and
/// directory belong to a WorkSpace that another change terminates waits for
/// that change.
fn order_key_reuse(changes: &mut [ResourceChange], live: &LiveState) {
    let terminated_by: HashMap<(&str, &str), Address> = changes
        .iter()
        .flat_map(|change| {
            change.operations.iter().filter_map(move |op| match op {
                Operation::TerminateWorkspace { workspace_id } => {
                    Some((workspace_id, &change.address))
                }
                _ => None,
            })
        })
        .filter_map(|(id, address)| {
            let existing = live.workspaces.iter().find(|w| &w.id == id)?;
            Some((
                (existing.directory_id.as_str(), existing.user.as_str()),
                address.clone(),
            ))
        })
        .collect();
    for change in changes.iter_mut() {
        let waits_for: Vec<Address> = change
            .operations
            .iter()
            .filter_map(|op| match op {
                Operation::CreateWorkspace(new) => {
                    terminated_by.get(&(new.directory_id.as_str(), new.user.as_str()))
                }
                _ => None,
            })
            .filter(|address| **address != change.address)
            .cloned()
            .collect();
        change.depends_on.extend(waits_for);
    }
}
