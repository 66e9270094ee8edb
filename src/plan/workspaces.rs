//! Desired WorkSpaces against live ones: match, compare, decide.

mod properties;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::ownership::{self, Found, desired_tags};
use super::{
    Action, AttributeChange, Context, IdRef, NewWorkspace, Operation, PlanError, Planned,
    ResourceChange, Value,
};
use crate::address::Address;
use crate::diagnostic::did_you_mean;
use crate::live::{LiveIndex, LiveWorkspace, Owned, STACK_TAG};
use crate::spec::{BundleRef, Workspace};
use crate::states::WorkspaceState;
use crate::workspace_properties::{WorkspaceProperties, is_kms_key_arn};
use properties::{InPlace, replaced};

/// ModifyWorkspaceProperties is accepted only in these.
const MODIFIABLE_STATES: [WorkspaceState; 2] = [WorkspaceState::Available, WorkspaceState::Stopped];

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
    as_reported(cx, desired)?;
    let bundle_id = resolve_bundle(cx, desired)?;
    let new = new_workspace(cx.stack, desired, &bundle_id);
    let attributes = creation_attributes(&new, &cx.index);
    let reason = format!(
        "no WorkSpace for user {} in {}",
        desired.user, desired.directory_id
    );
    Ok(Some(ResourceChange {
        data_loss_allowed: desired.allow_data_loss,
        ..ownership::creation(
            Address::workspace(&desired.name),
            reason,
            attributes,
            vec![Operation::CreateWorkspace(new)],
        )
    }))
}

fn new_workspace(stack: &str, desired: &Workspace, bundle_id: &IdRef) -> NewWorkspace {
    NewWorkspace {
        directory_id: desired.directory_id.clone(),
        user: desired.user.clone(),
        bundle_id: bundle_id.clone(),
        properties: desired.properties.clone(),
        tags: desired_tags(stack, &desired.name, &desired.tags),
    }
}

fn creation_attributes(new: &NewWorkspace, index: &LiveIndex) -> Vec<AttributeChange> {
    let text = |s: &str| Some(Value::Text(s.to_owned()));
    [
        ("directory_id", text(&new.directory_id)),
        ("user", text(&new.user)),
        ("bundle", text(&bundle_label(&new.bundle_id, index))),
    ]
    .into_iter()
    .chain(
        new.properties
            .creation_values()
            .into_iter()
            .map(|(name, value)| (name, Some(value))),
    )
    .chain([("tags", Some(Value::Tags(new.tags.clone())))])
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
    let index = &cx.index;
    let error = |message: String, help: Option<String>| refusal(desired, message, help);
    let bundle_id = resolve_bundle(cx, desired)?;
    let bundle_changes = bundle_id != IdRef::Id(existing.bundle_id.clone());
    let reported = as_reported(cx, desired)?;
    let diff = existing.properties.diff(&reported);
    // The bundle changes by migration, unless something only a replacement
    // changes differs too.
    let mut replacing = identity_changes(desired, existing);
    replacing.extend(diff.replacing);
    let why = diff.why;
    if bundle_changes && !replacing.is_empty() {
        replacing.push(bundle_change(existing, &bundle_id, index, true));
    }
    if !replacing.is_empty() {
        return replacement(cx, desired, existing, adopt, &bundle_id, replacing, &why).map(Some);
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
        return migrate(cx, desired, existing, &bundle_id).map(Some);
    }
    let in_place = diff
        .in_place
        .map_err(|shrink| error(shrink.refusal(&existing.id), None))?;
    in_place_change(cx.stack, desired, existing, adopt, in_place)
}

/// The file's properties as AWS reports them once made: AWS keeps the
/// key's ARN for a KMS alias (terraform-provider-aws#16805) or key id, so
/// either is compared as the ARN it stands for. A key KMS does not find is
/// refused here, before CreateWorkspaces would fail it halfway through an
/// apply.
fn as_reported<'a>(
    cx: &Context,
    desired: &'a Workspace,
) -> Result<Cow<'a, WorkspaceProperties>, PlanError> {
    let named = desired
        .properties
        .volume_encryption_key
        .as_deref()
        .filter(|key| !is_kms_key_arn(key));
    match named.and_then(|key| Some((key, cx.live.kms_keys.get(key)?))) {
        Some((_, Some(arn))) => Ok(Cow::Owned(WorkspaceProperties {
            volume_encryption_key: Some(arn.clone()),
            ..desired.properties.clone()
        })),
        Some((key, None)) => Err(refusal(
            desired,
            format!(
                "volume_encryption_key {key} names a KMS key this account does not have in this region (KMS DescribeKey: NotFoundException)"
            ),
            Some("create the alias, or set `volume_encryption_key` to the key's ARN".to_owned()),
        )),
        None => Ok(Cow::Borrowed(&desired.properties)),
    }
}

/// A plan error at the file's WorkSpace.
fn refusal(desired: &Workspace, message: String, help: Option<String>) -> PlanError {
    PlanError {
        address: Address::workspace(&desired.name),
        origin: Some(Box::new(desired.origin.clone())),
        message,
        help,
    }
}

/// What only a new WorkSpace changes differs (`replacing`): a replacement,
/// of a WorkSpace this stack owns, whose user has no other WorkSpace.
fn replacement(
    cx: &Context,
    desired: &Workspace,
    existing: &LiveWorkspace,
    adopt: bool,
    bundle_id: &IdRef,
    replacing: Vec<AttributeChange>,
    why: &[&'static str],
) -> Result<ResourceChange, PlanError> {
    if adopt {
        let names: Vec<&str> = replacing.iter().map(|a| a.name.as_ref()).collect();
        return Err(refusal(
            desired,
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
    if let Some(holder) = cx
        .index
        .present(&desired.key())
        .iter()
        .find(|w| w.id != existing.id && w.stack() != Some(cx.stack))
    {
        return Err(refusal(
            desired,
            format!(
                "user {} in {} already has WorkSpace {}, which this stack does not own",
                desired.user, desired.directory_id, holder.id
            ),
            Some("AWS allows one WorkSpace per user and directory".to_owned()),
        ));
    }
    Ok(replace(
        cx.stack, desired, existing, bundle_id, replacing, why,
    ))
}

/// The properties ModifyWorkspaceProperties changes and the tags: nothing,
/// an update, or an adoption; refused while AWS cannot make them.
fn in_place_change(
    stack: &str,
    desired: &Workspace,
    existing: &LiveWorkspace,
    adopt: bool,
    in_place: InPlace,
) -> Result<Option<ResourceChange>, PlanError> {
    let InPlace {
        mut attributes,
        modifications,
        needs_available,
    } = in_place;
    let error = |message: String, help: Option<String>| refusal(desired, message, help);
    let wanted = desired_tags(stack, &desired.name, &desired.tags);
    let tag_operations =
        ownership::tag_operations(&existing.id, &wanted, &existing.tags, &mut attributes);
    if !modifications.is_empty()
        && !MODIFIABLE_STATES.contains(&existing.state)
        && !existing.state.is_transitional()
    {
        return Err(error(
            format!(
                "{} is {}; its properties can change only when it is AVAILABLE or STOPPED",
                existing.id, existing.state
            ),
            None,
        ));
    }
    if needs_available && !becomes_available(&existing.state) {
        return Err(error(
            format!(
                "{} is {}; AWS changes its protocol only while it is AVAILABLE",
                existing.id, existing.state
            ),
            Some("start it (StartWorkspaces, or its user signs in) and plan again".to_owned()),
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
                workspace_id: IdRef::Id(existing.id.clone()),
                modification,
            }),
    );
    let reason = if adopt {
        existing.unowned()
    } else {
        ownership::differs(&attributes)
    };
    Ok(Some(ResourceChange {
        address: Address::workspace(&desired.name),
        action: if adopt { Action::Adopt } else { Action::Update },
        reason,
        data_loss: false,
        data_loss_allowed: desired.allow_data_loss,
        id: Some(existing.id.clone()),
        attributes,
        operations,
        depends_on: Vec::new(),
        cost: None,
    }))
}

/// AVAILABLE, or on its way there by itself (apply waits for it).
fn becomes_available(state: &WorkspaceState) -> bool {
    match state {
        WorkspaceState::Available => true,
        WorkspaceState::Stopping => false,
        other => other.is_transitional(),
    }
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
/// The new WorkSpace keeps the old one's tags and running mode and takes
/// the bundle's compute type and root volume; what still differs from the
/// file is changed on it once it is AVAILABLE, in the same change.
fn migrate(
    cx: &Context,
    desired: &Workspace,
    existing: &LiveWorkspace,
    bundle_id: &IdRef,
) -> Result<ResourceChange, PlanError> {
    let address = Address::workspace(&desired.name);
    let migrated = IdRef::created_by(address.clone());
    // The new WorkSpace is AVAILABLE when apply changes it, as a protocol
    // change needs.
    let InPlace {
        attributes: changed,
        modifications,
        ..
    } = migrated_properties(cx, existing, bundle_id)
        .diff(&desired.properties)
        .in_place
        .map_err(|shrink| PlanError {
            address: address.clone(),
            origin: Some(Box::new(desired.origin.clone())),
            message: shrink.refusal(&existing.id),
            help: None,
        })?;
    let mut attributes = vec![bundle_change(existing, bundle_id, &cx.index, false)];
    attributes.extend(changed);
    let wanted = desired_tags(cx.stack, &desired.name, &desired.tags);
    let mut operations = vec![Operation::MigrateWorkspace {
        workspace_id: existing.id.clone(),
        bundle_id: bundle_id.clone(),
    }];
    operations.extend(
        modifications
            .into_iter()
            .map(|modification| Operation::ModifyWorkspace {
                workspace_id: migrated.clone(),
                modification,
            }),
    );
    operations.extend(ownership::tag_operations_of(
        &migrated,
        &wanted,
        &existing.tags,
        &mut attributes,
    ));
    Ok(ResourceChange {
        address,
        action: Action::Migrate,
        reason: format!(
            "its bundle changes: MigrateWorkspace moves {} to a new WorkSpace on the new bundle, keeping the user volume; the root volume is rebuilt from the bundle's image",
            existing.id
        ),
        data_loss: false,
        data_loss_allowed: desired.allow_data_loss,
        id: Some(existing.id.clone()),
        attributes,
        operations,
        depends_on: Vec::new(),
        cost: None,
    })
}

/// The properties of the WorkSpace MigrateWorkspace makes of `existing` on
/// the bundle `bundle_id`: the bundle's compute type and root volume, the
/// user volume at least the bundle's.
fn migrated_properties(
    cx: &Context,
    existing: &LiveWorkspace,
    bundle_id: &IdRef,
) -> WorkspaceProperties {
    let (compute, root, user) = match bundle_id {
        IdRef::Id(id) => cx.index.bundle(id).map_or((None, None, None), |b| {
            (b.compute_type.clone(), b.root_volume_gib, b.user_volume_gib)
        }),
        IdRef::CreatedBy { created_by } => cx
            .fleet
            .bundles
            .iter()
            .find(|b| b.name == created_by.name())
            .map_or((None, None, None), |b| {
                (
                    Some(b.compute_type.clone()),
                    b.root_volume_gib,
                    Some(b.user_volume_gib),
                )
            }),
    };
    let mut after = existing.properties.clone();
    after.compute_type = compute.or(after.compute_type);
    after.root_volume_gib = root.or(after.root_volume_gib);
    after.user_volume_gib = after.user_volume_gib.max(user);
    after
}

/// The directory and user a WorkSpace was created for, which no API changes
/// on an existing one.
fn identity_changes(desired: &Workspace, existing: &LiveWorkspace) -> Vec<AttributeChange> {
    let text = |s: &str| Value::Text(s.to_owned());
    let mut compared = vec![(
        "directory_id",
        text(&existing.directory_id),
        text(&desired.directory_id),
    )];
    // The user's case is not a difference: AWS matches the name without it.
    if existing.key().user() != desired.key().user() {
        compared.push(("user", text(&existing.user), text(&desired.user)));
    }
    compared
        .into_iter()
        .filter_map(|(name, before, after)| replaced(name, before, after))
        .collect()
}

fn replace(
    stack: &str,
    desired: &Workspace,
    existing: &LiveWorkspace,
    bundle_id: &IdRef,
    because: Vec<AttributeChange>,
    why: &[&str],
) -> ResourceChange {
    let names: Vec<&str> = because.iter().map(|a| a.name.as_ref()).collect();
    let why = match why {
        [] => String::new(),
        why => format!(" ({})", why.join("; ")),
    };
    ResourceChange {
        address: Address::workspace(&desired.name),
        action: Action::Replace,
        reason: format!(
            "{} cannot change on an existing WorkSpace{why}: {} is terminated and a new one created",
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
        cost: None,
    }
}

fn delete(stack: &str, existing: &LiveWorkspace) -> ResourceChange {
    let name = existing.name_tag().unwrap_or(&existing.user);
    let text = |s: &str| Some(Value::Text(s.to_owned()));
    let attributes = [
        ("directory_id", text(&existing.directory_id)),
        ("user", text(&existing.user)),
        ("state", text(existing.state.as_str())),
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
        cost: None,
    }
}
