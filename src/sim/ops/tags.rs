use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, parse};
use crate::sim::account::Tag;
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{length, required, tag_text};

/// At most this many tags on one resource (model doc of `CreateTags`).
const MAX_TAGS: usize = 50;

/// A tag as sent: `Key` is required but checked by hand, so a missing key is
/// an `InvalidParameterValuesException` rather than a parse error.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct TagInput {
    key: Option<String>,
    value: Option<String>,
}

/// Checks tags given at creation or to `CreateTags` (model and admin guide
/// rules: key 1–127, value ≤ 255, AWS's characters, no `aws:` prefix, ≤ 50
/// per resource).
pub(super) fn checked(tags: Option<Vec<TagInput>>) -> ApiResult<Vec<Tag>> {
    let tags = tags.unwrap_or_default();
    if tags.len() > MAX_TAGS {
        return Err(ApiError::limit(format!(
            "A resource can have at most {MAX_TAGS} tags; {} were given.",
            tags.len()
        )));
    }
    tags.into_iter()
        .map(|t| {
            let key = required(t.key, "Tags.Key")?;
            tag_text(&key, "Tags.Key", 1, 127)?;
            if let Some(v) = &t.value {
                tag_text(v, "Tags.Value", 0, 255)?;
            }
            Ok(Tag {
                key,
                value: t.value,
            })
        })
        .collect()
}

/// Adds or overwrites `new` tags on `tags`, refusing to pass the limit.
pub(super) fn merge(tags: &mut Vec<Tag>, new: Vec<Tag>) -> ApiResult<()> {
    let mut merged = tags.clone();
    for tag in new {
        match merged.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value = tag.value,
            None => merged.push(tag),
        }
    }
    if merged.len() > MAX_TAGS {
        return Err(ApiError::limit(format!(
            "A resource can have at most {MAX_TAGS} tags; this would make {}.",
            merged.len()
        )));
    }
    *tags = merged;
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateTagsInput {
    resource_id: Option<String>,
    tags: Option<Vec<TagInput>>,
}

pub(super) fn create(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: CreateTagsInput = parse(body)?;
    let id = resource_id(input.resource_id)?;
    let new = checked(Some(required(input.tags, "Tags")?))?;
    ctx.account
        .change_tags(&id, ctx.now, |tags| merge(tags, new))
        .ok_or_else(|| ApiError::not_found(&id, "Resource"))??;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteTagsInput {
    resource_id: Option<String>,
    tag_keys: Option<Vec<String>>,
}

pub(super) fn delete(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DeleteTagsInput = parse(body)?;
    let id = resource_id(input.resource_id)?;
    let keys = required(input.tag_keys, "TagKeys")?;
    for key in &keys {
        length(key, "TagKeys", 1, usize::MAX)?;
    }
    ctx.account
        .change_tags(&id, ctx.now, |tags| tags.retain(|t| !keys.contains(&t.key)))
        .ok_or_else(|| ApiError::not_found(&id, "Resource"))?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeTagsInput {
    resource_id: Option<String>,
}

pub(super) fn describe(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeTagsInput = parse(body)?;
    let id = resource_id(input.resource_id)?;
    let tags = ctx
        .account
        .tags(&id)
        .ok_or_else(|| ApiError::not_found(&id, "Resource"))?;
    Ok(json!({ "TagList": tags }))
}

fn resource_id(id: Option<String>) -> ApiResult<String> {
    let id = required(id, "ResourceId")?;
    length(&id, "ResourceId", 1, usize::MAX)?;
    Ok(id)
}
