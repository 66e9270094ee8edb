//! Bundles: the AMAZON ones of the seed and the account's own.

use serde::Deserialize;
use serde_json::{Value, json};

use super::tags::{TagInput, checked};
use super::{Ctx, decode_token, encode_token, parse, secs};
use crate::sim::account::{Bundle, state};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{
    COMPUTE_TYPES, bundle_id, description, image_id, list_size, one_of, required, resource_name,
};

const PAGE: usize = 25;
/// Custom bundles per account (Service Quotas, not adjustable).
const MAX_CUSTOM_BUNDLES: usize = 50;

fn wire(b: &Bundle) -> Value {
    json!({
        "BundleId": b.id,
        "Name": b.name,
        "Owner": b.owner,
        "Description": b.description,
        "ImageId": b.image_id,
        "RootStorage": { "Capacity": b.root_gib.to_string() },
        "UserStorage": { "Capacity": b.user_gib.to_string() },
        "ComputeType": { "Name": b.compute_type },
        "LastUpdatedTime": secs(b.updated),
        "CreationTime": secs(b.created),
        "State": "AVAILABLE",
        "BundleType": "REGULAR",
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    bundle_ids: Option<Vec<String>>,
    owner: Option<String>,
    next_token: Option<String>,
}

pub(super) fn describe(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeInput = parse(body)?;
    if input.bundle_ids.is_some() && input.owner.is_some() {
        return Err(ApiError::invalid("BundleIds and Owner cannot be combined."));
    }
    let account = &*ctx.account;
    if let Some(ids) = &input.bundle_ids {
        list_size(ids, "BundleIds", 1, 25)?;
        for id in ids {
            bundle_id(id, "BundleIds")?;
        }
        let found: Vec<Value> = ids
            .iter()
            .filter_map(|id| account.bundles.get(id))
            .map(wire)
            .collect();
        return Ok(json!({ "Bundles": found }));
    }
    // No owner means the account's own bundles.
    let owner = input.owner.unwrap_or_else(|| account.account_id.clone());
    let start = match &input.next_token {
        Some(t) => std::ops::Bound::Excluded(decode_token(t, "wsb")?),
        None => std::ops::Bound::Unbounded,
    };
    let mut matching = account
        .bundles
        .range::<String, _>((start, std::ops::Bound::Unbounded))
        .map(|(_, b)| b)
        .filter(|b| b.owner == owner);
    let page: Vec<&Bundle> = matching.by_ref().take(PAGE).collect();
    let next = match (page.last(), matching.next()) {
        (Some(last), Some(_)) => Some(encode_token("wsb", &last.id)),
        _ => None,
    };
    let page: Vec<Value> = page.into_iter().map(wire).collect();
    Ok(json!({ "Bundles": page, "NextToken": next }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Capacity {
    capacity: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ComputeTypeInput {
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateInput {
    bundle_name: Option<String>,
    bundle_description: Option<String>,
    image_id: Option<String>,
    compute_type: Option<ComputeTypeInput>,
    user_storage: Option<Capacity>,
    root_storage: Option<Capacity>,
    tags: Option<Vec<TagInput>>,
}

fn capacity(c: Capacity, member: &str) -> ApiResult<i64> {
    let text = required(c.capacity, &format!("{member}.Capacity"))?;
    text.parse::<i64>()
        .ok()
        .filter(|n| (1..=2000).contains(n))
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "{member}.Capacity '{text}' is not a size in GB between 1 and 2000."
            ))
        })
}

pub(super) fn create(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: CreateInput = parse(body)?;
    let name = required(input.bundle_name, "BundleName")?;
    resource_name(&name, "BundleName")?;
    let desc = required(input.bundle_description, "BundleDescription")?;
    description(&desc, "BundleDescription", 255)?;
    let image = required(input.image_id, "ImageId")?;
    image_id(&image, "ImageId")?;
    let compute = required(
        required(input.compute_type, "ComputeType")?.name,
        "ComputeType.Name",
    )?;
    one_of(&compute, "ComputeType.Name", COMPUTE_TYPES)?;
    let user = capacity(required(input.user_storage, "UserStorage")?, "UserStorage")?;
    let graphics = compute.starts_with("GRAPHICS");
    let root = match input.root_storage {
        Some(c) => capacity(c, "RootStorage")?,
        None if graphics => 100,
        None => 80,
    };
    let tags = checked(input.tags)?;
    let account = &*ctx.account;
    let img = account
        .images
        .get(&image)
        .ok_or_else(|| ApiError::not_found(&image, "Image"))?;
    if img.state != state::AVAILABLE {
        return Err(ApiError::unavailable(
            &image,
            format!(
                "Image {image} is {}; a bundle needs an AVAILABLE image.",
                img.state
            ),
        ));
    }
    let own = account
        .bundles
        .values()
        .filter(|b| b.owner == account.account_id);
    if own.clone().any(|b| b.name == name) {
        return Err(ApiError::exists(format!(
            "A bundle named {name} already exists."
        )));
    }
    if own.count() >= MAX_CUSTOM_BUNDLES {
        return Err(ApiError::limit(format!(
            "The account already has {MAX_CUSTOM_BUNDLES} custom bundles."
        )));
    }
    let sizes_ok = if graphics {
        root >= 100 && user >= 100
    } else {
        matches!((root, user), (80, 10) | (80, 50) | (80, 100)) || (root >= 175 && user >= 100)
    };
    if !sizes_ok {
        return Err(ApiError::invalid(format!(
            "Root and user storage ({root}|{user}) GB is not an allowed combination for {compute}."
        )));
    }
    let id = loop {
        let id = format!("wsb-{}", ctx.random_chars(9));
        if !ctx.account.bundles.contains_key(&id) {
            break id;
        }
    };
    let bundle = Bundle {
        id,
        name,
        owner: ctx.account.account_id.clone(),
        description: desc,
        image_id: image,
        root_gib: root,
        user_gib: user,
        compute_type: compute,
        created: ctx.now,
        updated: ctx.now,
        tags,
    };
    let out = wire(&bundle);
    ctx.account.insert_bundle(bundle, ctx.now);
    Ok(json!({ "WorkspaceBundle": out }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateInput {
    bundle_id: Option<String>,
    image_id: Option<String>,
}

/// Points a custom bundle at another image. Both members are optional in the
/// model, but the call means nothing without them, so both are required here.
pub(super) fn update(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: UpdateInput = parse(body)?;
    let id = required(input.bundle_id, "BundleId")?;
    bundle_id(&id, "BundleId")?;
    let image = required(input.image_id, "ImageId")?;
    image_id(&image, "ImageId")?;
    let img_state = ctx
        .account
        .images
        .get(&image)
        .map(|i| i.state.clone())
        .ok_or_else(|| ApiError::not_found(&image, "Image"))?;
    if img_state != state::AVAILABLE {
        return Err(ApiError::unavailable(
            &image,
            format!("Image {image} is {img_state}; a bundle needs an AVAILABLE image."),
        ));
    }
    let account_id = ctx.account.account_id.clone();
    let now = ctx.now;
    let bundle = ctx
        .account
        .bundles
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found(&id, "Bundle"))?;
    if bundle.owner != account_id {
        return Err(ApiError::not_supported(format!(
            "Bundle {id} is owned by {} and cannot be updated.",
            bundle.owner
        )));
    }
    bundle.image_id = image;
    bundle.updated = now;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteInput {
    bundle_id: Option<String>,
}

pub(super) fn delete(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DeleteInput = parse(body)?;
    let id = required(input.bundle_id, "BundleId")?;
    bundle_id(&id, "BundleId")?;
    let account = &*ctx.account;
    let bundle = account
        .bundles
        .get(&id)
        .ok_or_else(|| ApiError::not_found(&id, "Bundle"))?;
    if bundle.owner != account.account_id {
        return Err(ApiError::access_denied(format!(
            "Bundle {id} is owned by {} and cannot be deleted.",
            bundle.owner
        )));
    }
    if let Some(ws) = account.workspaces.values().find(|ws| ws.bundle_id == id) {
        return Err(ApiError::associated(format!(
            "Bundle {id} is used by WorkSpace {}.",
            ws.id
        )));
    }
    ctx.account.remove_bundle(&id, ctx.now);
    Ok(json!({}))
}
