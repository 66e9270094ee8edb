//! IP access control groups: the CIDR ranges users may connect from, once
//! a group is associated with a directory.

use std::ops::Bound;

use serde::Deserialize;
use serde_json::{Value, json};

use super::tags::{TagInput, checked};
use super::{Ctx, decode_token, encode_token, parse};
use crate::sim::account::{IpGroup, IpRule};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{ip_group_id, ip_rule, length, page_size, required};

/// Service Quotas: IP access control groups per Region and rules per group.
const MAX_GROUPS: usize = 100;
const MAX_RULES: usize = 10;
const DEFAULT_PAGE: usize = 25;

fn wire(g: &IpGroup) -> Value {
    json!({
        "groupId": g.id,
        "groupName": g.name,
        "groupDesc": g.description,
        "userRules": g.rules,
    })
}

/// An `IpRuleItem` as sent: both members are optional in the model.
#[derive(Deserialize)]
struct RuleInput {
    #[serde(rename = "ipRule")]
    ip_rule: Option<String>,
    #[serde(rename = "ruleDesc")]
    rule_desc: Option<String>,
}

fn checked_rules(rules: Vec<RuleInput>) -> ApiResult<Vec<IpRule>> {
    let rules = rules
        .into_iter()
        .map(|r| {
            let source = required(r.ip_rule, "UserRules.ipRule")?;
            ip_rule(&source, "UserRules.ipRule")?;
            Ok(IpRule {
                source,
                description: r.rule_desc,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    within_quota(&rules)?;
    Ok(rules)
}

/// A group holds at most [`MAX_RULES`] rules, each source once.
fn within_quota(rules: &[IpRule]) -> ApiResult<()> {
    if rules.len() > MAX_RULES {
        return Err(ApiError::limit(format!(
            "An IP access control group can have at most {MAX_RULES} rules; this would make {}.",
            rules.len()
        )));
    }
    for (i, rule) in rules.iter().enumerate() {
        if rules[..i].iter().any(|r| r.source == rule.source) {
            return Err(ApiError::invalid(format!(
                "The rule {} appears more than once in the group.",
                rule.source
            )));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateInput {
    group_name: Option<String>,
    group_desc: Option<String>,
    user_rules: Option<Vec<RuleInput>>,
    tags: Option<Vec<TagInput>>,
}

pub(super) fn create(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: CreateInput = parse(body)?;
    let name = required(input.group_name, "GroupName")?;
    length(&name, "GroupName", 1, usize::MAX)?;
    let rules = checked_rules(input.user_rules.unwrap_or_default())?;
    let tags = checked(input.tags)?;
    let groups = &ctx.account.ip_groups;
    if groups.values().any(|g| g.name == name) {
        return Err(ApiError::exists(format!(
            "An IP access control group named {name} already exists."
        )));
    }
    if groups.len() >= MAX_GROUPS {
        return Err(ApiError::limit(format!(
            "The account already has {MAX_GROUPS} IP access control groups."
        )));
    }
    let id = loop {
        let id = format!("wsipg-{}", ctx.random_chars(9));
        if !ctx.account.ip_groups.contains_key(&id) {
            break id;
        }
    };
    let group = IpGroup {
        id: id.clone(),
        name,
        description: input.group_desc,
        rules,
        tags,
    };
    ctx.account.insert_ip_group(group, ctx.now);
    Ok(json!({ "GroupId": id }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    group_ids: Option<Vec<String>>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

pub(super) fn describe(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeInput = parse(body)?;
    for id in input.group_ids.iter().flatten() {
        ip_group_id(id, "GroupIds")?;
    }
    let page = page_size(input.max_results, "MaxResults", 25, DEFAULT_PAGE)?;
    let start = match &input.next_token {
        Some(t) => Bound::Excluded(decode_token(t, "wsipg")?),
        None => Bound::Unbounded,
    };
    let mut matching = ctx
        .account
        .ip_groups
        .range::<String, _>((start, Bound::Unbounded))
        .map(|(_, g)| g)
        .filter(|g| {
            input
                .group_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&g.id))
        });
    let found: Vec<&IpGroup> = matching.by_ref().take(page).collect();
    let next = match (found.last(), matching.next()) {
        (Some(last), Some(_)) => Some(encode_token("wsipg", &last.id)),
        _ => None,
    };
    let found: Vec<Value> = found.into_iter().map(wire).collect();
    Ok(json!({ "Result": found, "NextToken": next }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RulesInput {
    group_id: Option<String>,
    user_rules: Option<Vec<RuleInput>>,
}

/// The group a rules call names, checked, with the rules it sends.
fn rules_call(ctx: &Ctx<'_>, body: Value) -> ApiResult<(String, Vec<IpRule>)> {
    let input: RulesInput = parse(body)?;
    let id = required(input.group_id, "GroupId")?;
    ip_group_id(&id, "GroupId")?;
    let rules = checked_rules(required(input.user_rules, "UserRules")?)?;
    if !ctx.account.ip_groups.contains_key(&id) {
        return Err(ApiError::not_found(&id, "IP access control group"));
    }
    Ok((id, rules))
}

fn group_mut<'a>(ctx: &'a mut Ctx<'_>, id: &str) -> ApiResult<&'a mut IpGroup> {
    ctx.account
        .ip_groups
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found(id, "IP access control group"))
}

/// Replaces all the rules of a group.
pub(super) fn update_rules(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let (id, rules) = rules_call(ctx, body)?;
    group_mut(ctx, &id)?.rules = rules;
    Ok(json!({}))
}

/// Adds rules; the group's total counts against the quota.
pub(super) fn authorize_rules(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let (id, new) = rules_call(ctx, body)?;
    let group = group_mut(ctx, &id)?;
    let mut rules = group.rules.clone();
    rules.extend(new);
    within_quota(&rules)?;
    group.rules = rules;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RevokeInput {
    group_id: Option<String>,
    user_rules: Option<Vec<String>>,
}

/// Removes rules by source; a source the group does not have is an error,
/// so a caller never believes it revoked a range it never had.
pub(super) fn revoke_rules(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: RevokeInput = parse(body)?;
    let id = required(input.group_id, "GroupId")?;
    ip_group_id(&id, "GroupId")?;
    let sources = required(input.user_rules, "UserRules")?;
    for source in &sources {
        ip_rule(source, "UserRules")?;
    }
    let group = group_mut(ctx, &id)?;
    if let Some(missing) = sources
        .iter()
        .find(|s| !group.rules.iter().any(|r| r.source == **s))
    {
        return Err(ApiError::invalid(format!(
            "IP access control group {id} has no rule {missing}."
        )));
    }
    group.rules.retain(|r| !sources.contains(&r.source));
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteInput {
    group_id: Option<String>,
}

pub(super) fn delete(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DeleteInput = parse(body)?;
    let id = required(input.group_id, "GroupId")?;
    ip_group_id(&id, "GroupId")?;
    if !ctx.account.ip_groups.contains_key(&id) {
        return Err(ApiError::not_found(&id, "IP access control group"));
    }
    if let Some(d) = ctx
        .account
        .directories
        .values()
        .find(|d| d.ip_group_ids.contains(&id))
    {
        return Err(ApiError::associated(format!(
            "IP access control group {id} is associated with directory {}.",
            d.id
        )));
    }
    ctx.account.remove_ip_group(&id, ctx.now);
    Ok(json!({}))
}
