//! `[connection_aliases.NAME]`: connection aliases for cross-Region
//! redirection, found by their connection string (a domain name, one
//! whatever its case). AWS changes an alias's association, sharing and
//! tags, never its connection string: a new one is a new alias.
//!
//! Here: the alias's file table as written (`RawConnectionAlias`, its keys)
//! and checked (`check`, into `ConnectionAlias`; connection strings unique
//! across the file), its Tagging API resource type, its live type and its
//! read (DescribeConnectionAliases).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_sdk_workspaces::types::ConnectionAlias as DescribedAlias;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::aws::{ApiError, Aws, all_pages};
use crate::diagnostic::Origin;
use crate::file_table::{Accounts, Check, Entry, Named, Notes, Tags, plain_tags, rules};
use crate::identity::{AliasKey, owned};
use crate::states::AliasState;

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
