//! `[ip_groups.NAME]`: IP access control groups, found by name. AWS changes
//! a group's rules (UpdateRulesOfIpGroup) and tags, never its description:
//! a new description replaces a group no directory uses (DeleteIpGroup, then
//! CreateIpGroup of the same name), and is refused for a group in use, since
//! deleting it would first open the directories using it to every address.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::ownership::{self, Found, InPlace, desired_tags, shown, text};
use super::{
    Action, AttributeChange, Context, IdRef, NewIpGroup, Operation, PlanError, Planned,
    ResourceChange,
};
use crate::address::Address;
use crate::live::{LiveIpGroup, Owned};
use crate::spec::{IpGroup, IpGroupRef, IpRule};

/// Plans every group of the file; returns each one's id, live or to be
/// created, for the directories that name it.
pub(super) fn plan(cx: &Context, planned: &mut Planned) -> HashMap<String, IdRef> {
    let mut ids = HashMap::new();
    for group in &cx.fleet.ip_groups {
        match plan_one(cx, group, planned) {
            Ok(id) => {
                ids.insert(group.name.clone(), id);
            }
            Err(error) => planned.errors.push(error),
        }
    }
    let named: HashSet<&str> = cx.fleet.ip_groups.iter().map(|g| g.name.as_str()).collect();
    for group in &cx.live.ip_groups {
        if group.stack() == Some(cx.stack) && !named.contains(group.name.as_str()) {
            planned.changes.push(delete(cx, group));
        }
    }
    ids
}

fn plan_one(cx: &Context, group: &IpGroup, planned: &mut Planned) -> Result<IdRef, PlanError> {
    let address = Address::ip_group(&group.name);
    let found = ownership::by_key(
        cx.stack,
        cx.index.ip_groups_named(&group.name).iter().copied(),
        &address,
        &group.origin,
    )?;
    let Some(existing) = found.live() else {
        planned.changes.push(create(cx, group, &address));
        return Ok(IdRef::created_by(address));
    };
    let adopt = matches!(found, Found::Unowned(_));
    if let Some(wanted) = &group.description
        && existing.description.as_deref() != Some(wanted.as_str())
    {
        return replace(cx, group, existing, adopt, planned);
    }
    let mut change =
        InPlace::retagged(cx.stack, address, existing, adopt, &group.name, &group.tags);
    if let Some(rules) = &group.rules
        && sorted(rules) != sorted(&existing.rules)
    {
        change.attributes.push(AttributeChange {
            name: "rules".into(),
            before: Some(text(&listed(&existing.rules))),
            after: Some(text(&listed(rules))),
            forces_replacement: false,
        });
        change.operations.push(Operation::UpdateIpRules {
            group_id: existing.id.clone(),
            rules: rules.clone(),
        });
    }
    change.settle(planned, None);
    Ok(IdRef::Id(existing.id.clone()))
}

/// AWS keeps no order of rules: the same set is the same group.
fn sorted(rules: &[IpRule]) -> BTreeSet<&IpRule> {
    rules.iter().collect()
}

fn listed(rules: &[IpRule]) -> String {
    let mut shown: Vec<String> = rules.iter().map(ToString::to_string).collect();
    shown.sort();
    match shown.is_empty() {
        true => "none".to_owned(),
        false => shown.join(", "),
    }
}

/// The live directories that have `group_id` associated.
pub(super) fn users<'a>(cx: &Context<'a>, group_id: &str) -> Vec<&'a str> {
    cx.live
        .directories
        .iter()
        .filter(|d| d.ip_group_ids.iter().any(|g| g == group_id))
        .map(|d| d.id.as_str())
        .collect()
}

/// A new description: the group made anew, if nothing uses it and it is ours.
fn replace(
    cx: &Context,
    group: &IpGroup,
    existing: &LiveIpGroup,
    adopt: bool,
    planned: &mut Planned,
) -> Result<IdRef, PlanError> {
    let address = Address::ip_group(&group.name);
    let refuse = |message: String, help: &str| PlanError {
        address: address.clone(),
        origin: Some(Box::new(group.origin.clone())),
        message,
        help: Some(help.to_owned()),
    };
    let before = existing.description.as_deref().unwrap_or("none");
    if adopt {
        return Err(refuse(
            format!(
                "IP group {} has the description {before:?}; AWS cannot change a description, and wsctl replaces only groups of its stack",
                existing.id
            ),
            "leave `description` out (or write the group's own) to adopt the group, then change it in a later apply",
        ));
    }
    let users = users(cx, &existing.id);
    if !users.is_empty() {
        return Err(refuse(
            format!(
                "IP group {} is associated with {}; AWS cannot change a description, and replacing the group would leave those directories open to every address meanwhile",
                existing.id,
                users.join(", ")
            ),
            "keep the description, or give the group a new name: wsctl creates it and moves the directories to it",
        ));
    }
    let mut create = create(cx, group, &address);
    let mut attributes = vec![AttributeChange {
        name: "description".into(),
        before: Some(text(before)),
        after: group.description.as_deref().map(text),
        forces_replacement: true,
    }];
    attributes.extend(
        create
            .attributes
            .drain(..)
            .filter(|a| a.name != "description"),
    );
    let mut operations = vec![Operation::DeleteIpGroup {
        group_id: existing.id.clone(),
    }];
    operations.append(&mut create.operations);
    planned.changes.push(ResourceChange {
        action: Action::Replace,
        reason: format!(
            "AWS cannot change an IP group's description, and no directory uses {}: it is deleted and created again with the same rules",
            existing.id
        ),
        id: Some(existing.id.clone()),
        attributes,
        operations,
        ..create
    });
    Ok(IdRef::created_by(address))
}

fn create(cx: &Context, group: &IpGroup, address: &Address) -> ResourceChange {
    let tags = desired_tags(cx.stack, &group.name, &group.tags);
    let rules = group.rules.clone().unwrap_or_default();
    let attributes = shown(
        vec![
            ("name", Some(text(&group.name))),
            ("description", group.description.as_deref().map(text)),
            ("rules", Some(text(&listed(&rules)))),
            ("tags", Some(super::Value::Tags(tags.clone()))),
        ],
        true,
    );
    ownership::creation(
        address.clone(),
        format!("no IP group is named {}", group.name),
        attributes,
        vec![Operation::CreateIpGroup(NewIpGroup {
            name: group.name.clone(),
            description: group.description.clone(),
            rules,
            tags,
        })],
    )
}

/// Deleting a group the file no longer has. Directories that keep it
/// associated and that this plan leaves alone (the file does not manage
/// their `ip_groups`, or does not name them) let go of it first.
fn delete(cx: &Context, group: &LiveIpGroup) -> ResourceChange {
    let mut operations: Vec<Operation> = users(cx, &group.id)
        .into_iter()
        .filter(|directory| !lets_go_itself(cx, directory))
        .map(|directory| Operation::DisassociateIpGroups {
            directory_id: directory.to_owned(),
            group_ids: vec![group.id.clone()],
        })
        .collect();
    operations.push(Operation::DeleteIpGroup {
        group_id: group.id.clone(),
    });
    ownership::deletion(
        cx.stack,
        Address::ip_group(group.name_tag().unwrap_or(&group.name)),
        group,
        vec![
            ("name", Some(text(&group.name))),
            ("rules", Some(text(&listed(&group.rules)))),
        ],
        operations,
    )
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

/// The id a directory's `ip_groups` entry names.
pub(super) fn resolve(ids: &HashMap<String, IdRef>, group: &IpGroupRef) -> Option<IdRef> {
    match group {
        IpGroupRef::Id(id) => Some(IdRef::Id(id.clone())),
        IpGroupRef::Name(name) => ids.get(name).cloned(),
    }
}
