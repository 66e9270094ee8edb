//! `[directories.NAME]`: directories registered with WorkSpaces, found by
//! directory id. Settings change in place, one Modify* call per group that
//! differs; IP groups are associated and disassociated; subnets and tenancy
//! are fixed at registration, so a change to them re-registers the
//! directory (deregister + register). Deregistering is guarded like a
//! data-loss change, and AWS allows it only once the directory has no
//! WorkSpaces.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::ownership::{self, Found, InPlace, desired_tags, shown, text};
use super::{
    Action, AttributeChange, Context, IdRef, NewDirectory, Operation, PlanError, Planned,
    ResourceChange, Value,
};
use crate::address::Address;
use crate::directory_settings::{Group, GroupSettings, Setting, Tenancy};
use crate::kinds::ip_group::{Associated, resolve};
use crate::live::{LiveDirectory, Owned};
use crate::spec::Directory;
use crate::states::DirectoryState;

pub(super) fn plan(cx: &Context, ip_groups: &HashMap<String, IdRef>, planned: &mut Planned) {
    for directory in &cx.fleet.directories {
        if let Err(error) = plan_one(cx, directory, ip_groups, planned) {
            planned.errors.push(error);
        }
    }
    let named: HashSet<&str> = cx
        .fleet
        .directories
        .iter()
        .map(|d| d.directory_id.as_str())
        .collect();
    for directory in &cx.live.directories {
        let ours = directory.stack() == Some(cx.stack);
        if ours && directory.is_registered() && !named.contains(directory.id.as_str()) {
            match delete(cx, directory) {
                Ok(change) => planned.changes.push(change),
                Err(error) => planned.errors.push(error),
            }
        }
    }
}

/// The account's directories and their IP groups, as the group planner
/// reads them.
pub(super) fn associated<'a>(cx: &Context<'a>) -> Vec<Associated<'a>> {
    cx.live
        .directories
        .iter()
        .map(|d| Associated {
            directory_id: &d.id,
            group_ids: &d.ip_group_ids,
            lets_go_itself: lets_go_itself(cx, &d.id),
        })
        .collect()
}

/// Whether the directory planner disassociates the groups of `directory`
/// the file does not name: the file manages its `ip_groups`, or the
/// directory is this stack's and leaves the file (deregistered).
fn lets_go_itself(cx: &Context, directory: &str) -> bool {
    let in_file = cx
        .fleet
        .directories
        .iter()
        .find(|d| d.directory_id == directory);
    match in_file {
        Some(d) => d.ip_groups.is_some(),
        None => cx
            .index
            .directory(directory)
            .is_some_and(|d| d.stack() == Some(cx.stack)),
    }
}

fn plan_one(
    cx: &Context,
    directory: &Directory,
    ip_groups: &HashMap<String, IdRef>,
    planned: &mut Planned,
) -> Result<(), PlanError> {
    let address = Address::directory(&directory.name);
    let error = |message: String, help: &str| refusal(directory, message, help);
    if directory
        .tenancy
        .as_ref()
        .is_some_and(Tenancy::is_dedicated)
        && !byol(cx)
    {
        return Err(error(
            format!(
                "directory {} asks for dedicated tenancy, and BYOL is not enabled for the account",
                directory.directory_id
            ),
            "add `[account]` with `byol = true` and a `management_cidr`, or set `tenancy = \"shared\"`",
        ));
    }
    let live = cx.index.directory(&directory.directory_id);
    if let Some(leaving) = live.filter(|d| !d.is_registered()) {
        return Err(error(
            format!(
                "directory {} is {} in AWS, and can be registered again only once that is over",
                leaving.id, leaving.state
            ),
            "plan again once the deregistration has finished",
        ));
    }
    let found = ownership::by_key(cx.stack, live, &address, &directory.origin)?;
    let group_ids: Option<Vec<IdRef>> = directory
        .ip_groups
        .as_ref()
        .map(|refs| refs.iter().filter_map(|g| resolve(ip_groups, g)).collect());
    let Some(existing) = found.live() else {
        planned
            .changes
            .push(register(cx, directory, &address, group_ids));
        return Ok(());
    };
    let adopt = matches!(found, Found::Unowned(_));
    let fixed = fixed_differences(directory, existing);
    if !fixed.is_empty() {
        let change = reregistration(cx, directory, existing, adopt, fixed, group_ids)?;
        planned.changes.push(change);
        return Ok(());
    }
    if let Some(refused) = sign_in_refusal(directory, existing) {
        return Err(refused);
    }
    let mut change = InPlace::retagged(
        cx.stack,
        address.clone(),
        existing,
        adopt,
        &directory.name,
        &directory.tags,
    );
    settings_changes(cx, directory, &mut change, planned);
    if let Some(wanted) = &group_ids {
        change
            .operations
            .extend(group_changes(cx, existing, wanted, &mut change.attributes));
    }
    let changes = adopt || !change.operations.is_empty();
    if changes && existing.state != DirectoryState::Registered {
        return Err(error(
            format!(
                "directory {} is {} in AWS; its settings and tags can be changed once it is REGISTERED",
                existing.id, existing.state
            ),
            "plan again once the registration has finished",
        ));
    }
    change.settle(planned, None);
    Ok(())
}

/// A plan error at the file's directory.
fn refusal(directory: &Directory, message: String, help: &str) -> PlanError {
    PlanError {
        address: Address::directory(&directory.name),
        origin: Some(Box::new(directory.origin.clone())),
        message,
        help: Some(help.to_owned()),
    }
}

/// What AWS sets only at registration differs (`fixed`): the directory is
/// registered again, if it is this stack's and holds no WorkSpace.
fn reregistration(
    cx: &Context,
    directory: &Directory,
    existing: &LiveDirectory,
    adopt: bool,
    fixed: Vec<AttributeChange>,
    group_ids: Option<Vec<IdRef>>,
) -> Result<ResourceChange, PlanError> {
    let names = fixed
        .iter()
        .map(|a| a.name.as_ref())
        .collect::<Vec<_>>()
        .join(" and ");
    if adopt {
        return Err(refusal(
            directory,
            format!(
                "directory {} is registered without a wsctl:stack tag, with other {names} than the file's; re-registering it would take it from whoever registered it",
                existing.id
            ),
            "write its registered values in the file to adopt it, then change them in a later apply",
        ));
    }
    let blocking = cx.index.in_directory(&existing.id).len();
    if blocking > 0 {
        return Err(refusal(
            directory,
            format!(
                "directory {} differs in {names}, which AWS sets only at registration, and it has {blocking} WorkSpace(s); AWS deregisters only a directory without WorkSpaces",
                existing.id
            ),
            "keep the registered values, or move the WorkSpaces away first",
        ));
    }
    let address = Address::directory(&directory.name);
    Ok(reregister(
        cx, directory, existing, &address, fixed, group_ids,
    ))
}

/// ModifyDirectory for each settings group the file sets that differs,
/// with the group's live settings the file leaves unset kept as they are.
fn settings_changes(
    cx: &Context,
    directory: &Directory,
    change: &mut InPlace<'_, LiveDirectory>,
    planned: &mut Planned,
) {
    let existing = change.existing;
    let mut groups: Vec<(&Group, &GroupSettings)> = directory.settings.iter().collect();
    // Certificate-based authentication goes off before SAML, which it needs.
    if status_after(directory, existing, Group::CertificateBasedAuth) == Some("disabled") {
        groups.sort_by_key(|(group, _)| **group != Group::CertificateBasedAuth);
    }
    for (group, settings) in groups {
        let live = existing.settings.get(group);
        let changed = setting_changes(*group, settings, live);
        if changed.is_empty() {
            continue;
        }
        if *group == Group::Creation {
            warn_about_creation(cx, &change.address, existing, planned);
        }
        change.attributes.extend(changed);
        let mut whole = live.cloned().unwrap_or_default();
        whole.extend(settings.iter().map(|(k, v)| (k.clone(), v.clone())));
        change.operations.push(Operation::ModifyDirectory {
            directory_id: existing.id.clone(),
            group: *group,
            settings: whole,
        });
    }
}

/// The `status` of a sign-in group once applied: the file's, or AWS's.
fn status_after<'a>(
    directory: &'a Directory,
    existing: &'a LiveDirectory,
    group: Group,
) -> Option<&'a str> {
    let status = |settings: Option<&'a GroupSettings>| match settings?.get("status")? {
        Setting::Text(status) => Some(status.as_str()),
        Setting::Bool(_) | Setting::Number(_) => None,
    };
    status(directory.settings.get(&group)).or_else(|| status(existing.settings.get(&group)))
}

/// Certificate-based authentication needs SAML 2.0: `validate` checks the
/// file's two; this checks a file that disables SAML against a directory
/// whose certificate-based authentication it leaves on.
fn sign_in_refusal(directory: &Directory, existing: &LiveDirectory) -> Option<PlanError> {
    let certificates = status_after(directory, existing, Group::CertificateBasedAuth);
    let saml = status_after(directory, existing, Group::Saml);
    (certificates == Some("enabled") && saml == Some("disabled")).then(|| {
        refusal(
            directory,
            format!(
                "directory {} has certificate-based authentication enabled, which needs SAML 2.0, and the file disables SAML",
                existing.id
            ),
            "add `[directories.NAME.certificate_based_auth]` with `status = \"disabled\"`, or keep SAML enabled",
        )
    })
}

/// Dedicated tenancy needs BYOL: the file turns it on, or it is on.
fn byol(cx: &Context) -> bool {
    cx.fleet.account.as_ref().is_some_and(|a| a.byol) || cx.live.account.byol
}

/// Subnets and tenancy the file sets that differ from the registration.
fn fixed_differences(directory: &Directory, existing: &LiveDirectory) -> Vec<AttributeChange> {
    let mut changes = Vec::new();
    if let Some(subnets) = &directory.subnet_ids {
        let wanted: BTreeSet<&String> = subnets.iter().collect();
        let live: BTreeSet<&String> = existing.subnet_ids.iter().collect();
        if wanted != live {
            changes.push(AttributeChange {
                name: "subnet_ids".into(),
                before: Some(text(&existing.subnet_ids.join(", "))),
                after: Some(text(&subnets.join(", "))),
                forces_replacement: true,
            });
        }
    }
    if let Some(tenancy) = &directory.tenancy
        && existing.tenancy.as_ref().unwrap_or(&Tenancy::Shared) != tenancy
    {
        changes.push(AttributeChange {
            name: "tenancy".into(),
            before: existing.tenancy.as_ref().map(|t| text(t.as_str())),
            after: Some(text(tenancy.as_str())),
            forces_replacement: true,
        });
    }
    changes
}

fn setting_value(setting: &Setting) -> Value {
    match setting {
        Setting::Bool(b) => Value::Bool(*b),
        Setting::Text(t) => text(t),
        Setting::Number(n) => Value::Number(*n),
    }
}

/// One attribute (`access.web`) per key the file sets that AWS has
/// otherwise.
fn setting_changes(
    group: Group,
    wanted: &GroupSettings,
    live: Option<&GroupSettings>,
) -> Vec<AttributeChange> {
    wanted
        .iter()
        .filter(|(key, value)| live.and_then(|l| l.get(*key)) != Some(*value))
        .map(|(key, value)| AttributeChange {
            name: format!("{}.{key}", group.key()).into(),
            before: live.and_then(|l| l.get(key)).map(setting_value),
            after: Some(setting_value(value)),
            forces_replacement: false,
        })
        .collect()
}

/// ModifyWorkspaceCreationProperties leaves WorkSpaces already created as
/// they are: say so.
fn warn_about_creation(
    cx: &Context,
    address: &Address,
    existing: &LiveDirectory,
    planned: &mut Planned,
) {
    let count = cx.index.in_directory(&existing.id).len();
    planned.warnings.push(format!(
        "{address} gets new creation properties, which apply only to WorkSpaces created from now on; the {count} WorkSpace(s) already in {} keep theirs",
        existing.id
    ));
}

/// Disassociate what the file no longer names, then associate what it adds.
fn group_changes(
    cx: &Context,
    existing: &LiveDirectory,
    wanted: &[IdRef],
    attributes: &mut Vec<AttributeChange>,
) -> Vec<Operation> {
    let live: HashSet<&str> = existing.ip_group_ids.iter().map(String::as_str).collect();
    let kept: HashSet<&str> = wanted
        .iter()
        .filter_map(|id| match id {
            IdRef::Id(id) => Some(id.as_str()),
            IdRef::CreatedBy { .. } => None,
        })
        .collect();
    let to_remove: Vec<String> = existing
        .ip_group_ids
        .iter()
        .filter(|id| !kept.contains(id.as_str()))
        .cloned()
        .collect();
    let to_add: Vec<IdRef> = wanted
        .iter()
        .filter(|id| match id {
            IdRef::Id(id) => !live.contains(id.as_str()),
            IdRef::CreatedBy { .. } => true,
        })
        .cloned()
        .collect();
    if to_remove.is_empty() && to_add.is_empty() {
        return Vec::new();
    }
    attributes.push(AttributeChange {
        name: "ip_groups".into(),
        before: Some(text(&group_labels(
            cx,
            &existing
                .ip_group_ids
                .iter()
                .map(|id| IdRef::Id(id.clone()))
                .collect::<Vec<_>>(),
        ))),
        after: Some(text(&group_labels(cx, wanted))),
        forces_replacement: false,
    });
    let mut operations = Vec::new();
    if !to_remove.is_empty() {
        operations.push(Operation::DisassociateIpGroups {
            directory_id: existing.id.clone(),
            group_ids: to_remove,
        });
    }
    if !to_add.is_empty() {
        operations.push(Operation::AssociateIpGroups {
            directory_id: existing.id.clone(),
            group_ids: to_add,
        });
    }
    operations
}

fn group_labels(cx: &Context, ids: &[IdRef]) -> String {
    if ids.is_empty() {
        return "none".to_owned();
    }
    let labels: Vec<String> = ids
        .iter()
        .map(|id| match id {
            IdRef::Id(id) => match cx.index.ip_groups().get(id) {
                Some(group) => format!("{} ({id})", group.name),
                None => id.clone(),
            },
            IdRef::CreatedBy { created_by } => format!("{created_by} (created by this plan)"),
        })
        .collect();
    labels.join(", ")
}

/// RegisterWorkspaceDirectory, then each settings group the file sets and
/// the IP groups it names.
fn registration(
    cx: &Context,
    directory: &Directory,
    group_ids: Option<Vec<IdRef>>,
) -> (Vec<AttributeChange>, Vec<Operation>) {
    let tags = desired_tags(cx.stack, &directory.name, &directory.tags);
    let mut attributes = shown(
        vec![
            ("directory_id", Some(text(&directory.directory_id))),
            (
                "subnet_ids",
                directory.subnet_ids.as_ref().map(|s| text(&s.join(", "))),
            ),
            (
                "tenancy",
                directory.tenancy.as_ref().map(|t| text(t.as_str())),
            ),
            (
                "enable_self_service",
                directory.enable_self_service.map(Value::Bool),
            ),
            ("tags", Some(Value::Tags(tags.clone()))),
        ],
        true,
    );
    let mut operations = vec![Operation::RegisterDirectory(NewDirectory {
        directory_id: directory.directory_id.clone(),
        subnet_ids: directory.subnet_ids.clone(),
        tenancy: directory.tenancy.clone(),
        enable_self_service: directory.enable_self_service,
        tags,
    })];
    for (group, settings) in &directory.settings {
        attributes.extend(setting_changes(*group, settings, None));
        operations.push(Operation::ModifyDirectory {
            directory_id: directory.directory_id.clone(),
            group: *group,
            settings: settings.clone(),
        });
    }
    if let Some(ids) = group_ids.filter(|ids| !ids.is_empty()) {
        attributes.push(AttributeChange {
            name: "ip_groups".into(),
            before: None,
            after: Some(text(&group_labels(cx, &ids))),
            forces_replacement: false,
        });
        operations.push(Operation::AssociateIpGroups {
            directory_id: directory.directory_id.clone(),
            group_ids: ids,
        });
    }
    (attributes, operations)
}

fn register(
    cx: &Context,
    directory: &Directory,
    address: &Address,
    group_ids: Option<Vec<IdRef>>,
) -> ResourceChange {
    let (attributes, operations) = registration(cx, directory, group_ids);
    ownership::creation(
        address.clone(),
        format!(
            "directory {} is not registered with WorkSpaces",
            directory.directory_id
        ),
        attributes,
        operations,
    )
}

/// Deregister and register again: subnets or tenancy differ.
fn reregister(
    cx: &Context,
    directory: &Directory,
    existing: &LiveDirectory,
    address: &Address,
    fixed: Vec<AttributeChange>,
    group_ids: Option<Vec<IdRef>>,
) -> ResourceChange {
    let (created, registration) = registration(cx, directory, group_ids);
    let names: Vec<&str> = fixed.iter().map(|a| a.name.as_ref()).collect();
    let mut attributes = fixed.clone();
    attributes.extend(
        created
            .into_iter()
            .filter(|a| !names.contains(&a.name.as_ref())),
    );
    let mut operations = leaving(existing);
    operations.extend(registration);
    ResourceChange {
        address: address.clone(),
        action: Action::Replace,
        reason: format!(
            "AWS sets {} only at registration: {} is deregistered and registered again",
            names.join(" and "),
            existing.id
        ),
        data_loss: true,
        data_loss_allowed: directory.allow_data_loss,
        id: Some(existing.id.clone()),
        attributes,
        operations,
        depends_on: Vec::new(),
        cost: None,
    }
}

/// Let go of its IP groups, then deregister.
fn leaving(existing: &LiveDirectory) -> Vec<Operation> {
    let mut operations = Vec::new();
    if !existing.ip_group_ids.is_empty() {
        operations.push(Operation::DisassociateIpGroups {
            directory_id: existing.id.clone(),
            group_ids: existing.ip_group_ids.clone(),
        });
    }
    operations.push(Operation::DeregisterDirectory {
        directory_id: existing.id.clone(),
    });
    operations
}

/// This stack's directory, gone from the file: deregistered once its
/// WorkSpaces are, which this plan must terminate.
fn delete(cx: &Context, existing: &LiveDirectory) -> Result<ResourceChange, PlanError> {
    let address = Address::directory(existing.name_tag().unwrap_or(&existing.id));
    let kept: HashSet<_> = cx.fleet.workspaces.iter().map(|w| w.key()).collect();
    let staying: Vec<String> = cx
        .index
        .in_directory(&existing.id)
        .iter()
        .filter(|w| w.stack() != Some(cx.stack) || kept.contains(&w.key()))
        .map(|w| match w.name_tag() {
            Some(name) if w.stack() == Some(cx.stack) => format!("workspace.{name}"),
            _ => w.id.clone(),
        })
        .collect();
    if !staying.is_empty() {
        return Err(PlanError {
            address,
            origin: None,
            message: format!(
                "directory {} is to be deregistered, and AWS deregisters only a directory without WorkSpaces; these stay in it: {}",
                existing.id,
                staying.join(", ")
            ),
            help: Some(
                "keep the directory in the file, or remove those WorkSpaces from it first"
                    .to_owned(),
            ),
        });
    }
    // A deregistered directory's settings and IP group associations are
    // gone: that takes `allow_data_loss`, as re-registering does.
    Ok(ResourceChange {
        data_loss: true,
        ..ownership::deletion(
            cx.stack,
            address,
            existing,
            vec![("subnet_ids", Some(text(&existing.subnet_ids.join(", "))))],
            leaving(existing),
        )
    })
}
