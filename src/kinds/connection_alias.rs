//! `[connection_aliases.NAME]`: connection aliases for cross-Region
//! redirection, found by their connection string (a domain name, one
//! whatever its case). AWS changes an alias's association, sharing and
//! tags, never its connection string: a new one is a new alias.
//!
//! Here: the alias's file table as written (`RawConnectionAlias`, its keys)
//! and checked (`check`, into `ConnectionAlias`; connection strings unique
//! across the file), its Tagging API resource type, its live type and its
//! read (DescribeConnectionAliases), and its planner on the shared skeleton
//! (`ownership`): create an alias with its tags, associate it with its
//! directory, share it with the accounts the file lists; owned aliases the
//! file no longer lists are disassociated, unshared and deleted. An account
//! has at most 20 aliases (AWS's quota), so they are matched by a scan of
//! the live ones rather than an index. And its import table.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use aws_sdk_workspaces::types::ConnectionAlias as DescribedAlias;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::ownership::{self, Found, InPlace, accounts, desired_tags, shown, text};
use super::{Action, AttributeChange, IdRef, Operation, PlanError, Planned, ResourceChange, Value};
use crate::address::Address;
use crate::aws::{ApiError, Aws, all_pages};
use crate::diagnostic::Origin;
use crate::file_table::{Accounts, Check, Entry, Named, Notes, Tags, plain_tags, rules};
use crate::identity::{AliasKey, Owned, owned};
use crate::states::AliasState;
use crate::toml_text::{key, quoted, share_with, table_tags};

/// Its resource type in ARNs and the Tagging API.
pub const TAGGING_TYPE: &str = "connectionalias";

/// The keys `[connection_aliases.NAME]` takes.
pub const CONNECTION_ALIAS_KEYS: &[&str] =
    &["connection_string", "directory_id", "share_with", "tags"];

/// `[connection_aliases.NAME]`: a connection alias for cross-Region redirection.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "ConnectionAlias")]
pub struct RawConnectionAlias {
    /// The fully qualified domain name users type, e.g. `desktop.example.com`. AWS cannot change it: a new one replaces the alias.
    #[schemars(
        with = "String",
        length(min = 1, max = 255),
        regex(pattern = r"^[.0-9a-zA-Z\-]{1,255}$")
    )]
    pub connection_string: Option<Spanned<String>>,
    /// The registered directory (`d-…` or `wsd-…`) the alias is associated with; absent, it is associated with none.
    #[schemars(with = "String")]
    pub directory_id: Option<Spanned<String>>,
    /// The AWS accounts (12 digits each) allowed to associate the alias with their directories (UpdateConnectionAliasPermission); absent leaves the alias's sharing as it is.
    #[schemars(with = "Vec<String>", extend("items" = { "type": "string", "pattern": r"^\d{12}$" }, "uniqueItems" = true))]
    pub share_with: Option<Spanned<Accounts>>,
    /// Tags on the alias; wsctl adds its `wsctl:` ownership tags.
    #[schemars(with = "BTreeMap<String, String>")]
    pub tags: Option<Spanned<Tags>>,
}

/// `[connection_aliases.NAME]`: a connection alias, its association with a
/// directory and the accounts it is shared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionAlias {
    pub name: String,
    pub origin: Origin,
    /// The natural key: a fully qualified domain name, compared in lower case.
    pub connection_string: String,
    /// The directory it is associated with; `None`, it is associated with none.
    pub directory_id: Option<String>,
    /// Accounts allowed to associate it; `None` leaves its sharing alone.
    pub share_with: Option<BTreeSet<String>>,
    pub tags: BTreeMap<String, String>,
}

impl Named for ConnectionAlias {
    fn name(&self) -> &str {
        &self.name
    }
}

/// `[connection_aliases.NAME]` checked: its name, tags, accounts, connection
/// string and directory id.
pub(crate) fn check(
    check: &mut Check,
    entry: &Entry<RawConnectionAlias>,
) -> Option<ConnectionAlias> {
    let alias = &entry.value;
    check.resource_name(entry, "connection alias");
    check.tags(alias.tags.as_ref());
    let share_with = check.accounts(alias.share_with.as_ref(), "connection alias");
    let connection_string = check.required(entry, "connection_string", &alias.connection_string);
    let connection_ok = match connection_string {
        Some(fqdn) if !rules::is_connection_string(fqdn.get_ref()) => {
            check.error(
                fqdn.span(),
                format!("invalid connection string `{}`", fqdn.get_ref()),
                "not a fully qualified domain name",
            )
            .with_help("a connection string is a domain name such as `desktop.example.com`: up to 255 characters, labels of 1–63 letters, digits and `-` joined by `.`");
            false
        }
        _ => true,
    };
    let directory_ok = match &alias.directory_id {
        Some(directory) if !rules::is_directory_id(directory.get_ref()) => {
            check.error(directory.span(), format!("invalid directory id `{}`", directory.get_ref()), "not a directory id")
                .with_help("a directory id is `d-` and 8–63 hex digits, or `wsd-` and 8–63 lowercase letters or digits");
            false
        }
        _ => true,
    };
    Some(ConnectionAlias {
        name: entry.name.clone(),
        origin: check.origin(entry.span.start),
        connection_string: connection_string?.get_ref().clone(),
        directory_id: alias.directory_id.as_ref().map(|d| d.get_ref().clone()),
        share_with: share_with?,
        tags: plain_tags(alias.tags.as_ref()),
    })
    .filter(|_| connection_ok && directory_ok)
}

/// A connection string is the natural key of an alias, and AWS reserves
/// it for one account whatever its case.
pub(crate) fn unique_connection_strings(check: &mut Check, aliases: &[Entry<RawConnectionAlias>]) {
    let mut first: HashMap<AliasKey, &Entry<RawConnectionAlias>> = HashMap::new();
    for entry in aliases {
        let Some(fqdn) = &entry.value.connection_string else {
            continue;
        };
        let key = AliasKey::new(fqdn.get_ref());
        let Some(earlier) = first.get(&key).copied() else {
            first.insert(key, entry);
            continue;
        };
        let note = format!(
            "`[connection_aliases.{}]` at {} is the first",
            earlier.name,
            check.origin(earlier.span.start)
        );
        check
            .error(
                fqdn.span(),
                format!("connection string `{}` has two aliases", fqdn.get_ref()),
                "a second alias for this connection string",
            )
            .with_note(note);
    }
}

/// A connection alias (DescribeConnectionAliases) and the accounts it is
/// shared with (DescribeConnectionAliasPermissions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LiveConnectionAlias {
    pub id: String,
    pub connection_string: String,
    pub state: AliasState,
    pub owner_account_id: Option<String>,
    pub associations: Vec<LiveAliasAssociation>,
    /// Accounts allowed to associate it; read for the stack's aliases and
    /// those the file names.
    pub shared_with: BTreeSet<String>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LiveAliasAssociation {
    /// ASSOCIATED_WITH_OWNER_ACCOUNT, ASSOCIATED_WITH_SHARED_ACCOUNT,
    /// PENDING_ASSOCIATION, PENDING_DISASSOCIATION or NOT_ASSOCIATED.
    pub status: String,
    pub account_id: Option<String>,
    pub directory_id: Option<String>,
}

impl LiveConnectionAlias {
    pub fn is_deleting(&self) -> bool {
        self.state == AliasState::Deleting
    }

    /// The directory this account associated it with, or is associating it
    /// with; one being disassociated counts as none.
    pub fn directory_id(&self) -> Option<&str> {
        self.associations
            .iter()
            .filter(|a| self.is_own(a))
            .find(|a| {
                matches!(
                    a.status.as_str(),
                    "ASSOCIATED_WITH_OWNER_ACCOUNT" | "PENDING_ASSOCIATION"
                )
            })
            .and_then(|a| a.directory_id.as_deref())
    }

    /// Associations other accounts made: they must end theirs before the
    /// alias can be deleted.
    pub fn shared_associations(&self) -> impl Iterator<Item = &LiveAliasAssociation> {
        self.associations.iter().filter(|a| {
            !self.is_own(a)
                && matches!(
                    a.status.as_str(),
                    "ASSOCIATED_WITH_SHARED_ACCOUNT" | "PENDING_ASSOCIATION"
                )
        })
    }

    fn is_own(&self, association: &LiveAliasAssociation) -> bool {
        association.status == "ASSOCIATED_WITH_OWNER_ACCOUNT"
            || association.account_id.is_none()
            || association.account_id == self.owner_account_id
    }
}

owned!(LiveConnectionAlias, |a| format!(
    "connection alias {} ({})",
    a.id, a.connection_string
));

/// Every alias of the account. DescribeConnectionAliases has no SDK
/// paginator: paged by hand,
/// `page_size` aliases a call. Sorted by id.
pub async fn read(aws: &Aws, page_size: i32) -> Result<Vec<LiveConnectionAlias>, ApiError> {
    let mut aliases = all_pages(
        aws,
        "DescribeConnectionAliases",
        |token| {
            aws.workspaces
                .describe_connection_aliases()
                .limit(page_size)
                .set_next_token(token)
                .send()
        },
        |page, aliases| {
            aliases.extend(page.connection_aliases().iter().map(live_alias));
            page.next_token().map(str::to_owned)
        },
    )
    .await?;
    aliases.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(aliases)
}

fn live_alias(alias: &DescribedAlias) -> LiveConnectionAlias {
    LiveConnectionAlias {
        id: alias.alias_id().unwrap_or_default().to_owned(),
        connection_string: alias.connection_string().unwrap_or_default().to_owned(),
        state: alias.state().map(AliasState::from).unwrap_or_default(),
        owner_account_id: alias.owner_account_id().map(str::to_owned),
        associations: alias
            .associations()
            .iter()
            .map(|a| LiveAliasAssociation {
                status: a
                    .association_status()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                account_id: a.associated_account_id().map(str::to_owned),
                directory_id: a.resource_id().map(str::to_owned),
            })
            .collect(),
        shared_with: BTreeSet::new(),
        tags: BTreeMap::new(),
    }
}

/// What the alias planner reads, given explicitly: it needs nothing of
/// the engines' state.
pub struct Inputs<'a> {
    pub stack: &'a str,
    /// The file's aliases.
    pub file: &'a [ConnectionAlias],
    /// The account's aliases.
    pub live: &'a [LiveConnectionAlias],
    /// The account's own id, which an alias is never shared with.
    pub account_id: Option<&'a str>,
}

/// Plans every alias of the file, and the deletion of the stack's aliases
/// the file no longer has.
pub fn plan(cx: &Inputs, planned: &mut Planned) {
    let mut claimed: HashSet<&str> = HashSet::new();
    for alias in cx.file {
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
fn present<'a>(cx: &Inputs<'a>) -> impl Iterator<Item = &'a LiveConnectionAlias> {
    cx.live.iter().filter(|a| !a.is_deleting())
}

/// Connection strings are domain names: one whatever the case.
fn plan_one<'a>(
    cx: &Inputs<'a>,
    alias: &ConnectionAlias,
    claimed: &mut HashSet<&'a str>,
    planned: &mut Planned,
) -> Result<(), PlanError> {
    let address = Address::connection_alias(&alias.name);
    let own = cx.account_id;
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
fn creating(cx: &Inputs, alias: &ConnectionAlias, address: &Address) -> Vec<Operation> {
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

fn created_attributes(cx: &Inputs, alias: &ConnectionAlias) -> Vec<AttributeChange> {
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

fn create(cx: &Inputs, alias: &ConnectionAlias, address: &Address) -> ResourceChange {
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
    cx: &Inputs,
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

/// The connection strings a saved plan's fingerprints key aliases on: the
/// file's and the stack's, whether the file still has them or not.
pub fn fingerprinted<'a>(
    file: &'a [ConnectionAlias],
    live: &'a [LiveConnectionAlias],
    stack: &'a str,
) -> impl Iterator<Item = &'a str> {
    let file = file.iter().map(|a| a.connection_string.as_str());
    ownership::fingerprinted(file, live, stack, |a| &a.connection_string)
}

/// What the plan reads of an alias: a pending association counts as made
/// and a pending disassociation as done, as the planner reads them, so
/// neither makes a saved plan stale.
#[derive(Serialize)]
pub struct AliasRead<'a> {
    id: &'a str,
    connection_string: &'a str,
    directory_id: Option<&'a str>,
    shared_associations: usize,
    shared_with: &'a BTreeSet<String>,
    tags: &'a BTreeMap<String, String>,
}

/// What a plan reads of the aliases with connection string `key`, not
/// being deleted. An account has at most 20: a scan.
pub fn read_for_fingerprint<'a>(
    live: &'a [LiveConnectionAlias],
    key: &AliasKey,
) -> Vec<AliasRead<'a>> {
    live.iter()
        .filter(|a| !a.is_deleting() && key.is(&a.connection_string))
        .map(|a| AliasRead {
            id: &a.id,
            connection_string: &a.connection_string,
            directory_id: a.directory_id(),
            shared_associations: a.shared_associations().count(),
            shared_with: &a.shared_with,
            tags: &a.tags,
        })
        .collect()
}

/// `[connection_aliases.NAME]` as import writes the alias, adopting it as it is.
pub fn import_table(name: &str, alias: &LiveConnectionAlias) -> String {
    let mut out = format!(
        "\n[connection_aliases.{}]\nconnection_string = {}\n",
        key(name),
        quoted(&alias.connection_string)
    );
    if let Some(directory) = alias.directory_id().filter(|d| rules::is_directory_id(d)) {
        out.push_str(&format!("directory_id = {}\n", quoted(directory)));
    }
    out.push_str(&share_with(&alias.shared_with));
    out.push_str(&table_tags(&alias.tags));
    out
}

/// The calls apply makes for connection aliases.
pub mod calls {
    use std::collections::BTreeMap;

    use aws_sdk_workspaces::Client;
    use aws_sdk_workspaces::types::ConnectionAliasPermission;

    use crate::aws::{ApiError, api_error};
    use crate::kinds::{invalid, tags};

    /// CreateConnectionAlias with its tags; returns the new alias id.
    pub async fn create(
        client: &Client,
        connection_string: &str,
        set: &BTreeMap<String, String>,
    ) -> Result<String, ApiError> {
        let output = client
            .create_connection_alias()
            .connection_string(connection_string)
            .set_tags(Some(tags(set)?))
            .send()
            .await
            .map_err(|e| api_error("CreateConnectionAlias", e))?;
        output
            .alias_id()
            .map(str::to_owned)
            .ok_or_else(|| ApiError {
                operation: "CreateConnectionAlias",
                code: "MissingAliasId".to_owned(),
                message: format!(
                    "the answer for connection string {connection_string} named no alias id"
                ),
            })
    }

    pub async fn associate(
        client: &Client,
        alias_id: &str,
        directory_id: &str,
    ) -> Result<(), ApiError> {
        client
            .associate_connection_alias()
            .alias_id(alias_id)
            .resource_id(directory_id)
            .send()
            .await
            .map_err(|e| api_error("AssociateConnectionAlias", e))?;
        Ok(())
    }

    pub async fn disassociate(client: &Client, alias_id: &str) -> Result<(), ApiError> {
        client
            .disassociate_connection_alias()
            .alias_id(alias_id)
            .send()
            .await
            .map_err(|e| api_error("DisassociateConnectionAlias", e))?;
        Ok(())
    }

    pub async fn update_permission(
        client: &Client,
        alias_id: &str,
        account_id: &str,
        allow: bool,
    ) -> Result<(), ApiError> {
        let permission = ConnectionAliasPermission::builder()
            .shared_account_id(account_id)
            .allow_association(allow)
            .build()
            .map_err(|e| invalid("UpdateConnectionAliasPermission", e))?;
        client
            .update_connection_alias_permission()
            .alias_id(alias_id)
            .connection_alias_permission(permission)
            .send()
            .await
            .map_err(|e| api_error("UpdateConnectionAliasPermission", e))?;
        Ok(())
    }

    pub async fn delete(client: &Client, alias_id: &str) -> Result<(), ApiError> {
        client
            .delete_connection_alias()
            .alias_id(alias_id)
            .send()
            .await
            .map_err(|e| api_error("DeleteConnectionAlias", e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_workspaces::types::{
        AssociationStatus, ConnectionAliasAssociation, ConnectionAliasState,
    };

    use super::*;

    #[test]
    fn a_described_alias_reads_as_its_state_and_associations() {
        let described = DescribedAlias::builder()
            .alias_id("wsca-0123456789")
            .connection_string("desktop.example.com")
            .state(ConnectionAliasState::Created)
            .owner_account_id("123456789012")
            .associations(
                ConnectionAliasAssociation::builder()
                    .association_status(AssociationStatus::AssociatedWithOwnerAccount)
                    .associated_account_id("123456789012")
                    .resource_id("d-1234567890")
                    .build(),
            )
            .associations(
                ConnectionAliasAssociation::builder()
                    .association_status(AssociationStatus::AssociatedWithSharedAccount)
                    .associated_account_id("111122223333")
                    .resource_id("d-9999999999")
                    .build(),
            )
            .build();
        let live = live_alias(&described);
        assert_eq!(live.state, AliasState::Created);
        assert_eq!(live.directory_id(), Some("d-1234567890"));
        let others: Vec<_> = live
            .shared_associations()
            .map(|a| a.account_id.as_deref())
            .collect();
        assert_eq!(others, [Some("111122223333")]);
    }

    #[test]
    fn an_alias_being_disassociated_has_no_directory() {
        let described = DescribedAlias::builder()
            .alias_id("wsca-0123456789")
            .connection_string("desktop.example.com")
            .state(ConnectionAliasState::Created)
            .owner_account_id("123456789012")
            .associations(
                ConnectionAliasAssociation::builder()
                    .association_status(AssociationStatus::PendingDisassociation)
                    .associated_account_id("123456789012")
                    .resource_id("d-1234567890")
                    .build(),
            )
            .build();
        assert_eq!(live_alias(&described).directory_id(), None);
    }
}
