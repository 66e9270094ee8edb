//! Connection aliases for cross-Region redirection: created and deleted
//! asynchronously, associated with a registered directory, shared with
//! other accounts.

use std::ops::Bound;

use serde::Deserialize;
use serde_json::{Value, json};

use super::tags::{TagInput, checked};
use super::{Ctx, decode_token, encode_token, offset_page, parse};
use crate::sim::account::{
    AliasAssociation, ConnectionAlias, alias_state, association_status, directory_state,
};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{
    account_id, connection_alias_id, length, list_size, page_size, required,
};

/// Connection aliases per account (Service Quotas).
const MAX_ALIASES: usize = 20;
const DEFAULT_PAGE: usize = 25;

fn wire(a: &ConnectionAlias, owner: &str) -> Value {
    let associations = a.association.as_ref().map(|assoc| {
        vec![json!({
            "AssociationStatus": assoc.status,
            "AssociatedAccountId": owner,
            "ResourceId": assoc.directory_id,
            "ConnectionIdentifier": assoc.connection_identifier,
        })]
    });
    json!({
        "ConnectionString": a.connection_string,
        "AliasId": a.id,
        "State": a.state,
        "OwnerAccountId": owner,
        "Associations": associations,
    })
}

/// `^[.0-9a-zA-Z\-]{1,255}$`
fn connection_string(value: &str) -> ApiResult<()> {
    length(value, "ConnectionString", 1, 255)?;
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Ok(());
    }
    Err(ApiError::invalid(format!(
        "ConnectionString '{value}' does not match the pattern ^[.0-9a-zA-Z\\-]{{1,255}}$."
    )))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateInput {
    connection_string: Option<String>,
    tags: Option<Vec<TagInput>>,
}

pub(super) fn create(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: CreateInput = parse(body)?;
    let text = required(input.connection_string, "ConnectionString")?;
    connection_string(&text)?;
    let tags = checked(input.tags)?;
    let aliases = &ctx.account.connection_aliases;
    // A connection string is a domain name: unique whatever its case.
    if let Some(a) = aliases
        .values()
        .find(|a| a.connection_string.eq_ignore_ascii_case(&text))
    {
        return Err(ApiError::exists(format!(
            "Connection string {text} is already used by connection alias {}.",
            a.id
        )));
    }
    if aliases.len() >= MAX_ALIASES {
        return Err(ApiError::limit(format!(
            "The account already has {MAX_ALIASES} connection aliases."
        )));
    }
    let id = loop {
        let id = format!("wsca-{}", ctx.random_chars(9));
        if !ctx.account.connection_aliases.contains_key(&id) {
            break id;
        }
    };
    let alias = ConnectionAlias {
        id: id.clone(),
        connection_string: text,
        state: alias_state::CREATING.to_owned(),
        until: Some(ctx.settled_at()),
        association: None,
        shared_with: Default::default(),
        tags,
    };
    ctx.account.insert_connection_alias(alias, ctx.now);
    Ok(json!({ "AliasId": id }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    alias_ids: Option<Vec<String>>,
    resource_id: Option<String>,
    limit: Option<i64>,
    next_token: Option<String>,
}

pub(super) fn describe(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeInput = parse(body)?;
    if let Some(ids) = &input.alias_ids {
        list_size(ids, "AliasIds", 1, 25)?;
        for id in ids {
            connection_alias_id(id, "AliasIds")?;
        }
    }
    if let Some(r) = &input.resource_id {
        length(r, "ResourceId", 1, usize::MAX)?;
    }
    let page = page_size(input.limit, "Limit", 25, DEFAULT_PAGE)?;
    let start = match &input.next_token {
        Some(t) => Bound::Excluded(decode_token(t, "wsca")?),
        None => Bound::Unbounded,
    };
    let account = &*ctx.account;
    let mut matching = account
        .connection_aliases
        .range::<String, _>((start, Bound::Unbounded))
        .map(|(_, a)| a)
        .filter(|a| {
            input
                .alias_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&a.id))
        })
        .filter(|a| {
            input.resource_id.as_ref().is_none_or(|r| {
                a.association
                    .as_ref()
                    .is_some_and(|assoc| assoc.directory_id == *r)
            })
        });
    let found: Vec<&ConnectionAlias> = matching.by_ref().take(page).collect();
    let next = match (found.last(), matching.next()) {
        (Some(last), Some(_)) => Some(encode_token("wsca", &last.id)),
        _ => None,
    };
    let found: Vec<Value> = found
        .into_iter()
        .map(|a| wire(a, &account.account_id))
        .collect();
    Ok(json!({ "ConnectionAliases": found, "NextToken": next }))
}

/// The alias a call names, which must exist and be CREATED.
fn created<'a>(ctx: &'a mut Ctx<'_>, id: &str) -> ApiResult<&'a mut ConnectionAlias> {
    let alias = ctx
        .account
        .connection_aliases
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found(id, "Connection alias"))?;
    if alias.state != alias_state::CREATED {
        return Err(ApiError::state(format!(
            "Connection alias {id} is {}; it must be CREATED.",
            alias.state
        )));
    }
    Ok(alias)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AssociateInput {
    alias_id: Option<String>,
    resource_id: Option<String>,
}

pub(super) fn associate(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: AssociateInput = parse(body)?;
    let id = required(input.alias_id, "AliasId")?;
    connection_alias_id(&id, "AliasId")?;
    let directory = required(input.resource_id, "ResourceId")?;
    length(&directory, "ResourceId", 1, usize::MAX)?;
    let d = ctx
        .account
        .directories
        .get(&directory)
        .filter(|d| d.is_registered())
        .ok_or_else(|| ApiError::not_found(&directory, "Registered directory"))?;
    if d.state != directory_state::REGISTERED {
        return Err(ApiError::state(format!(
            "Directory {directory} is {}; an alias can be associated once it is REGISTERED.",
            d.state
        )));
    }
    let identifier: String = ctx.random_chars(10).to_uppercase();
    let until = ctx.settled_at();
    let alias = created(ctx, &id)?;
    if let Some(a) = &alias.association {
        return Err(ApiError::associated(format!(
            "Connection alias {id} is already associated with {} ({}).",
            a.directory_id, a.status
        )));
    }
    alias.association = Some(AliasAssociation {
        directory_id: directory,
        connection_identifier: identifier.clone(),
        status: association_status::PENDING_ASSOCIATION.to_owned(),
        until: Some(until),
    });
    Ok(json!({ "ConnectionIdentifier": identifier }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AliasInput {
    alias_id: Option<String>,
}

fn alias_id_of(body: Value) -> ApiResult<String> {
    let input: AliasInput = parse(body)?;
    let id = required(input.alias_id, "AliasId")?;
    connection_alias_id(&id, "AliasId")?;
    Ok(id)
}

pub(super) fn disassociate(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let id = alias_id_of(body)?;
    let until = ctx.settled_at();
    let alias = created(ctx, &id)?;
    let Some(a) = alias.association.as_mut() else {
        return Err(ApiError::state(format!(
            "Connection alias {id} is not associated with a directory."
        )));
    };
    if a.status != association_status::ASSOCIATED {
        return Err(ApiError::state(format!(
            "The association of connection alias {id} is {}; wait until it settles.",
            a.status
        )));
    }
    a.status = association_status::PENDING_DISASSOCIATION.to_owned();
    a.until = Some(until);
    Ok(json!({}))
}

pub(super) fn delete(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let id = alias_id_of(body)?;
    let until = ctx.settled_at();
    let alias = created(ctx, &id)?;
    if let Some(a) = &alias.association {
        return Err(ApiError::associated(format!(
            "Connection alias {id} is associated with {} ({}); disassociate it first.",
            a.directory_id, a.status
        )));
    }
    // The model: an alias can be deleted only once no account shares it.
    if let Some(account) = alias.shared_with.first() {
        return Err(ApiError::associated(format!(
            "Connection alias {id} is shared with account {account}; unshare it before deleting it."
        )));
    }
    alias.state = alias_state::DELETING.to_owned();
    alias.until = Some(until);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PermissionInput {
    shared_account_id: Option<String>,
    allow_association: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdatePermissionInput {
    alias_id: Option<String>,
    connection_alias_permission: Option<PermissionInput>,
}

pub(super) fn update_permission(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: UpdatePermissionInput = parse(body)?;
    let id = required(input.alias_id, "AliasId")?;
    connection_alias_id(&id, "AliasId")?;
    let p = required(
        input.connection_alias_permission,
        "ConnectionAliasPermission",
    )?;
    let member = "ConnectionAliasPermission.SharedAccountId";
    let account = required(p.shared_account_id, member)?;
    account_id(&account, member)?;
    let allow = required(
        p.allow_association,
        "ConnectionAliasPermission.AllowAssociation",
    )?;
    if account == ctx.account.account_id {
        return Err(ApiError::invalid(format!(
            "{member} {account} is the owner of the alias; share it with another account."
        )));
    }
    let alias = created(ctx, &id)?;
    if allow {
        alias.shared_with.insert(account);
    } else {
        alias.shared_with.remove(&account);
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribePermissionsInput {
    alias_id: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

pub(super) fn describe_permissions(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribePermissionsInput = parse(body)?;
    let id = required(input.alias_id, "AliasId")?;
    connection_alias_id(&id, "AliasId")?;
    let page = page_size(input.max_results, "MaxResults", 25, DEFAULT_PAGE)?;
    let alias = ctx
        .account
        .connection_aliases
        .get(&id)
        .ok_or_else(|| ApiError::not_found(&id, "Connection alias"))?;
    let shared: Vec<&String> = alias.shared_with.iter().collect();
    let (found, next) = offset_page(&shared, "wscaperm", input.next_token.as_deref(), page)?;
    let permissions: Vec<Value> = found
        .into_iter()
        .map(|a| json!({ "SharedAccountId": a, "AllowAssociation": true }))
        .collect();
    Ok(json!({
        "AliasId": id,
        "ConnectionAliasPermissions": permissions,
        "NextToken": next,
    }))
}
