//! `[connection_aliases.NAME]`: create an alias with its tags, associate it
//! with its directory, share it with the accounts the file lists; a new
//! connection string is a new alias (no API changes one); owned aliases the
//! file no longer lists are disassociated, unshared and deleted.
//!
//! An account has at most 20 aliases (AWS's quota), so they are matched by
//! a scan of the live ones rather than an index.

use std::collections::{BTreeSet, HashSet};

use super::ownership::{self, Found, InPlace, accounts, desired_tags, shown, text};
use super::{
    Action, AttributeChange, Context, IdRef, Operation, PlanError, Planned, ResourceChange, Value,
};
use crate::address::Address;
use crate::identity::AliasKey;
use crate::live::{LiveConnectionAlias, Owned};
use crate::spec::ConnectionAlias;

pub(super) fn plan(cx: &Context, planned: &mut Planned) {
    let mut claimed: HashSet<&str> = HashSet::new();
    for alias in &cx.fleet.connection_aliases {
        if let Err(error) = plan_one(cx, alias, &mut claimed, planned) {
            planned.errors.push(error);
        }
    }
    for live in present(cx) {
        if live.stack() == Some(cx.stack) && !claimed.contains(live.id.as_str()) {
            let address = Address::connection_alias(live.name_tag().unwrap_or(&live.id));
            match teardown(live, &address) {
                Ok(operations) => planned
                    .changes
                    .push(deleted(cx.stack, live, address, operations)),
                Err(error) => planned.errors.push(error),
            }
        }
    }
}

/// The aliases not on their way out.
fn present<'a>(cx: &Context<'a>) -> impl Iterator<Item = &'a LiveConnectionAlias> {
    cx.live
        .connection_aliases
        .iter()
        .filter(|a| !a.is_deleting())
}

/// Connection strings are domain names: one whatever the case.
fn plan_one<'a>(
    cx: &Context<'a>,
    alias: &ConnectionAlias,
    claimed: &mut HashSet<&'a str>,
    planned: &mut Planned,
) -> Result<(), PlanError> {
    let address = Address::connection_alias(&alias.name);
    let own = cx.live.account_id.as_deref();
    ownership::not_shared_with_itself(own, alias.share_with.as_ref(), &address, &alias.origin)?;
    // This stack's alias of this name: the current one, or one with an old
    // connection string that the file's replaces.
    let named: Vec<&LiveConnectionAlias> = present(cx)
        .filter(|a| a.stack() == Some(cx.stack) && a.name_tag() == Some(alias.name.as_str()))
        .collect();
    let found = match named
        .iter()
        .find(|a| AliasKey::new(&alias.connection_string).is(&a.connection_string))
    {
        Some(current) => Found::Owned(*current),
        None => ownership::by_key(
            cx.stack,
            present(cx)
                .filter(|a| AliasKey::new(&alias.connection_string).is(&a.connection_string)),
            &address,
            &alias.origin,
        )?,
    };
    let Some(existing) = found.live() else {
        let changes = match named.first() {
            Some(old) => {
                claimed.insert(&old.id);
                replace(cx, alias, old, &address)?
            }
            None => create(cx, alias, &address),
        };
        planned.changes.push(changes);
        return Ok(());
    };
    claimed.insert(&existing.id);
    let adopt = matches!(found, Found::Unowned(_));
    let mut change =
        InPlace::retagged(cx.stack, address, existing, adopt, &alias.name, &alias.tags);
    change
        .operations
        .extend(association(alias, existing, &mut change.attributes));
    if let Some(share_with) = &alias.share_with {
        change.operations.extend(sharing(
            IdRef::Id(existing.id.clone()),
            &existing.shared_with,
            share_with,
            &mut change.attributes,
        ));
    }
    change.settle(planned, None);
    Ok(())
}

/// Disassociate from the live directory and associate with the file's,
/// as far as they differ.
fn association(
    alias: &ConnectionAlias,
    existing: &LiveConnectionAlias,
    attributes: &mut Vec<AttributeChange>,
) -> Vec<Operation> {
    let live = existing.directory_id();
    let wanted = alias.directory_id.as_deref();
    if live == wanted {
        return Vec::new();
    }
    attributes.push(AttributeChange {
        name: "directory_id".into(),
        before: live.map(text),
        after: wanted.map(text),
        forces_replacement: false,
    });
    let mut operations = Vec::new();
    if let Some(directory_id) = live {
        operations.push(Operation::DisassociateConnectionAlias {
            alias_id: existing.id.clone(),
            directory_id: directory_id.to_owned(),
        });
    }
    if let Some(directory_id) = wanted {
        operations.push(Operation::AssociateConnectionAlias {
            alias_id: IdRef::Id(existing.id.clone()),
            directory_id: directory_id.to_owned(),
        });
    }
    operations
}

/// One UpdateConnectionAliasPermission per account added or removed.
fn sharing(
    alias_id: IdRef,
    live: &BTreeSet<String>,
    wanted: &BTreeSet<String>,
    attributes: &mut Vec<AttributeChange>,
) -> Vec<Operation> {
    if live == wanted {
        return Vec::new();
    }
    attributes.push(AttributeChange {
        name: "share_with".into(),
        before: Some(accounts(live)),
        after: Some(accounts(wanted)),
        forces_replacement: false,
    });
    ownership::sharing_changes(live, wanted)
        .map(
            |(account, allow)| Operation::UpdateConnectionAliasPermission {
                alias_id: alias_id.clone(),
                account_id: account.clone(),
                allow_association: allow,
            },
        )
        .collect()
}

/// Create, then associate and share the new alias.
fn creating(cx: &Context, alias: &ConnectionAlias, address: &Address) -> Vec<Operation> {
    let id = IdRef::created_by(address.clone());
    let mut operations = vec![Operation::CreateConnectionAlias {
        connection_string: alias.connection_string.clone(),
        tags: desired_tags(cx.stack, &alias.name, &alias.tags),
    }];
    if let Some(directory_id) = &alias.directory_id {
        operations.push(Operation::AssociateConnectionAlias {
            alias_id: id.clone(),
            directory_id: directory_id.clone(),
        });
    }
    for account in alias.share_with.iter().flatten() {
        operations.push(Operation::UpdateConnectionAliasPermission {
            alias_id: id.clone(),
            account_id: account.clone(),
            allow_association: true,
        });
    }
    operations
}

fn created_attributes(cx: &Context, alias: &ConnectionAlias) -> Vec<AttributeChange> {
    shown(
        vec![
            ("connection_string", Some(text(&alias.connection_string))),
            ("directory_id", alias.directory_id.as_deref().map(text)),
            ("share_with", alias.share_with.as_ref().map(accounts)),
            (
                "tags",
                Some(Value::Tags(desired_tags(
                    cx.stack,
                    &alias.name,
                    &alias.tags,
                ))),
            ),
        ],
        true,
    )
}

fn create(cx: &Context, alias: &ConnectionAlias, address: &Address) -> ResourceChange {
    ownership::creation(
        address.clone(),
        format!(
            "no connection alias has the connection string {}",
            alias.connection_string
        ),
        created_attributes(cx, alias),
        creating(cx, alias, address),
    )
}

/// No API changes a connection string: the old alias goes, a new one comes.
fn replace(
    cx: &Context,
    alias: &ConnectionAlias,
    old: &LiveConnectionAlias,
    address: &Address,
) -> Result<ResourceChange, PlanError> {
    let mut operations = teardown(old, address)?;
    operations.extend(creating(cx, alias, address));
    let mut attributes = vec![AttributeChange {
        name: "connection_string".into(),
        before: Some(text(&old.connection_string)),
        after: Some(text(&alias.connection_string)),
        forces_replacement: true,
    }];
    attributes.extend(
        created_attributes(cx, alias)
            .into_iter()
            .filter(|a| a.name != "connection_string"),
    );
    Ok(ResourceChange {
        address: address.clone(),
        action: Action::Replace,
        reason: format!(
            "its connection string changes from {} to {}; AWS cannot change one, so {} is deleted and a new alias created",
            old.connection_string, alias.connection_string, old.id
        ),
        data_loss: false,
        data_loss_allowed: false,
        id: Some(old.id.clone()),
        attributes,
        operations,
        depends_on: Vec::new(),
        cost: None,
    })
}

/// What deleting an alias takes: AWS refuses while it is associated or
/// shared, so disassociate and unshare first. An association another
/// account made is theirs to end.
fn teardown(live: &LiveConnectionAlias, address: &Address) -> Result<Vec<Operation>, PlanError> {
    if let Some(other) = live.shared_associations().next() {
        return Err(PlanError {
            address: address.clone(),
            origin: None,
            message: format!(
                "connection alias {} ({}) is associated with directory {} of account {}; AWS deletes an alias only once no other account uses it",
                live.id,
                live.connection_string,
                other.directory_id.as_deref().unwrap_or("(unknown)"),
                other.account_id.as_deref().unwrap_or("(unknown)")
            ),
            help: Some("ask that account to disassociate it (DisassociateConnectionAlias), then plan again".to_owned()),
        });
    }
    let mut operations = Vec::new();
    if let Some(directory_id) = live.directory_id() {
        operations.push(Operation::DisassociateConnectionAlias {
            alias_id: live.id.clone(),
            directory_id: directory_id.to_owned(),
        });
    }
    for account in &live.shared_with {
        operations.push(Operation::UpdateConnectionAliasPermission {
            alias_id: IdRef::Id(live.id.clone()),
            account_id: account.clone(),
            allow_association: false,
        });
    }
    operations.push(Operation::DeleteConnectionAlias {
        alias_id: live.id.clone(),
    });
    Ok(operations)
}

fn deleted(
    stack: &str,
    live: &LiveConnectionAlias,
    address: Address,
    operations: Vec<Operation>,
) -> ResourceChange {
    ownership::deletion(
        stack,
        address,
        live,
        vec![
            ("connection_string", Some(text(&live.connection_string))),
            ("directory_id", live.directory_id().map(text)),
            (
                "share_with",
                (!live.shared_with.is_empty()).then(|| accounts(&live.shared_with)),
            ),
        ],
        operations,
    )
}
