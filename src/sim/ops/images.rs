//! Images: the account's own (imported, copied, updated) and AMAZON's.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::{Value, json};

use super::tags::{TagInput, checked};
use super::{Ctx, decode_token, encode_token, offset_page, parse, secs};
use crate::sim::account::{Image, Tag, state};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::seed;
use crate::sim::validate::{
    APPLICATIONS, INGESTION_PROCESSES, account_id, description, ec2_image_id, image_id, list_size,
    one_of, page_size, range, region, required, resource_name,
};

const DEFAULT_PAGE: usize = 25;

fn wire(i: &Image) -> Value {
    json!({
        "ImageId": i.id,
        "Name": i.name,
        "Description": i.description,
        "OperatingSystem": { "Type": i.os_type },
        "State": i.state,
        "RequiredTenancy": i.required_tenancy,
        "Created": secs(i.created),
        "OwnerAccountId": i.owner_account_id,
        "Updates": {
            "UpdateAvailable": i.update_available,
            "Description": i.update_description,
        },
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    image_ids: Option<Vec<String>>,
    image_type: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// Without `ImageIds`, lists the account's own images; AMAZON images are
/// found only by id. The simulator shares no images, so `SHARED` is empty.
pub(super) fn describe(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeInput = parse(body)?;
    if let Some(t) = &input.image_type {
        one_of(t, "ImageType", &["OWNED", "SHARED"])?;
    }
    if let Some(m) = input.max_results {
        range(m, "MaxResults", 1, 25)?;
    }
    let account = &*ctx.account;
    if let Some(ids) = &input.image_ids {
        list_size(ids, "ImageIds", 1, 25)?;
        for id in ids {
            image_id(id, "ImageIds")?;
        }
        let found: Vec<Value> = ids
            .iter()
            .filter_map(|id| account.images.get(id))
            .map(wire)
            .collect();
        return Ok(json!({ "Images": found }));
    }
    if input.image_type.as_deref() == Some("SHARED") {
        return Ok(json!({ "Images": [] }));
    }
    let page = input
        .max_results
        .and_then(|m| usize::try_from(m).ok())
        .unwrap_or(DEFAULT_PAGE);
    let start = match &input.next_token {
        Some(t) => std::ops::Bound::Excluded(decode_token(t, "wsi")?),
        None => std::ops::Bound::Unbounded,
    };
    let mut own = account
        .images
        .range::<String, _>((start, std::ops::Bound::Unbounded))
        .map(|(_, i)| i)
        .filter(|i| i.owner_account_id.is_some());
    let found: Vec<&Image> = own.by_ref().take(page).collect();
    let next = match (found.last(), own.next()) {
        (Some(last), Some(_)) => Some(encode_token("wsi", &last.id)),
        _ => None,
    };
    let found: Vec<Value> = found.into_iter().map(wire).collect();
    Ok(json!({ "Images": found, "NextToken": next }))
}

fn check_name_free(ctx: &Ctx<'_>, name: &str) -> ApiResult<()> {
    let taken = ctx
        .account
        .images
        .values()
        .any(|i| i.owner_account_id.is_some() && i.name == name);
    if taken {
        return Err(ApiError::exists(format!(
            "An image named {name} already exists."
        )));
    }
    Ok(())
}

/// Adds a new PENDING image of the account; it becomes AVAILABLE on settle.
fn add_image(ctx: &mut Ctx<'_>, template: NewImage) -> String {
    let id = loop {
        let id = format!("wsi-{}", ctx.random_chars(9));
        if !ctx.account.images.contains_key(&id) {
            break id;
        }
    };
    let image = Image {
        id: id.clone(),
        name: template.name,
        description: template.description,
        os_type: template.os_type,
        os_name: template.os_name,
        protocol: template.protocol,
        state: state::PENDING.to_owned(),
        ready_at: Some(ctx.settled_at()),
        required_tenancy: template.required_tenancy,
        created: ctx.now,
        owner_account_id: Some(ctx.account.account_id.clone()),
        update_available: false,
        update_description: None,
        shared_with: BTreeSet::new(),
        tags: template.tags,
    };
    ctx.account.insert_image(image, ctx.now);
    id
}

struct NewImage {
    name: String,
    description: String,
    os_type: String,
    os_name: String,
    protocol: String,
    required_tenancy: String,
    tags: Vec<Tag>,
}

impl NewImage {
    fn like(source: &Image, name: String, description: String, tags: Vec<Tag>) -> Self {
        NewImage {
            name,
            description,
            os_type: source.os_type.clone(),
            os_name: source.os_name.clone(),
            protocol: source.protocol.clone(),
            required_tenancy: source.required_tenancy.clone(),
            tags,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ImportInput {
    ec2_image_id: Option<String>,
    ingestion_process: Option<String>,
    image_name: Option<String>,
    image_description: Option<String>,
    tags: Option<Vec<TagInput>>,
    applications: Option<Vec<String>>,
}

pub(super) fn import(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ImportInput = parse(body)?;
    let ami = required(input.ec2_image_id, "Ec2ImageId")?;
    ec2_image_id(&ami, "Ec2ImageId")?;
    let process = required(input.ingestion_process, "IngestionProcess")?;
    one_of(&process, "IngestionProcess", INGESTION_PROCESSES)?;
    let name = required(input.image_name, "ImageName")?;
    resource_name(&name, "ImageName")?;
    let desc = required(input.image_description, "ImageDescription")?;
    description(&desc, "ImageDescription", 256)?;
    if let Some(apps) = &input.applications {
        list_size(apps, "Applications", 1, 5)?;
        for app in apps {
            one_of(app, "Applications", APPLICATIONS)?;
        }
        // The model: "only one item is allowed at this time".
        if apps.len() > 1 {
            return Err(ApiError::invalid(format!(
                "Applications takes one application at this time; got {}.",
                apps.len()
            )));
        }
    }
    let tags = checked(input.tags)?;
    if !ctx.account.byol.enabled {
        return Err(ApiError::not_supported(
            "BYOL is not enabled for this account: enable it with ModifyAccount first.",
        ));
    }
    check_name_free(ctx, &name)?;
    let protocol = if process.ends_with("_WSP") {
        "WSP"
    } else {
        "PCOIP"
    };
    let id = add_image(
        ctx,
        NewImage {
            name,
            description: desc,
            os_type: "WINDOWS".to_owned(),
            os_name: "WINDOWS_10".to_owned(),
            protocol: protocol.to_owned(),
            required_tenancy: "DEDICATED".to_owned(),
            tags,
        },
    );
    Ok(json!({ "ImageId": id }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CopyInput {
    name: Option<String>,
    description: Option<String>,
    source_image_id: Option<String>,
    source_region: Option<String>,
    tags: Option<Vec<TagInput>>,
}

/// The simulator has one image store for every region, so the source is
/// looked up there whatever `SourceRegion` says.
pub(super) fn copy(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: CopyInput = parse(body)?;
    let name = required(input.name, "Name")?;
    resource_name(&name, "Name")?;
    if let Some(d) = &input.description {
        description(d, "Description", 256)?;
    }
    let source_id = required(input.source_image_id, "SourceImageId")?;
    image_id(&source_id, "SourceImageId")?;
    let source_region = required(input.source_region, "SourceRegion")?;
    region(&source_region, "SourceRegion")?;
    let tags = checked(input.tags)?;
    let description = input.description;
    // The simulator is one region: it cannot see another region's images, so
    // a copy from elsewhere takes any well-formed id and yields a Windows 10
    // image, one AWS can update.
    if source_region != seed::REGION {
        let template = NewImage {
            name: name.clone(),
            description: description
                .unwrap_or_else(|| format!("Copy of {source_id} from {source_region}")),
            os_type: "WINDOWS".to_owned(),
            os_name: "WINDOWS_10".to_owned(),
            protocol: "WSP".to_owned(),
            required_tenancy: "DEFAULT".to_owned(),
            tags,
        };
        check_name_free(ctx, &name)?;
        let id = add_image(ctx, template);
        return Ok(json!({ "ImageId": id }));
    }
    let source = ctx
        .account
        .images
        .get(&source_id)
        .ok_or_else(|| ApiError::not_found(&source_id, "Image"))?;
    if source.state != state::AVAILABLE {
        return Err(ApiError::unavailable(
            &source_id,
            format!(
                "Image {source_id} is {}; only AVAILABLE images can be copied.",
                source.state
            ),
        ));
    }
    let template = NewImage::like(
        source,
        name.clone(),
        description.unwrap_or_else(|| source.description.clone()),
        tags,
    );
    check_name_free(ctx, &name)?;
    let id = add_image(ctx, template);
    Ok(json!({ "ImageId": id }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateUpdatedInput {
    name: Option<String>,
    description: Option<String>,
    source_image_id: Option<String>,
    tags: Option<Vec<TagInput>>,
}

pub(super) fn create_updated(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: CreateUpdatedInput = parse(body)?;
    let name = required(input.name, "Name")?;
    resource_name(&name, "Name")?;
    let desc = required(input.description, "Description")?;
    description(&desc, "Description", 256)?;
    let source_id = required(input.source_image_id, "SourceImageId")?;
    image_id(&source_id, "SourceImageId")?;
    let tags = checked(input.tags)?;
    let source = ctx
        .account
        .images
        .get(&source_id)
        .ok_or_else(|| ApiError::not_found(&source_id, "Image"))?;
    if source.state != state::AVAILABLE {
        return Err(ApiError::state(format!(
            "Image {source_id} is {}; it must be AVAILABLE.",
            source.state
        )));
    }
    if !source.updatable() {
        return Err(ApiError::not_supported(format!(
            "Image {source_id} runs {}; only {} images can be updated.",
            source.os_name,
            Image::UPDATABLE_OS.join(", ")
        )));
    }
    if !source.update_available {
        return Err(ApiError::not_supported(format!(
            "Image {source_id} has no updates available."
        )));
    }
    let template = NewImage::like(source, name.clone(), desc, tags);
    check_name_free(ctx, &name)?;
    let id = add_image(ctx, template);
    Ok(json!({ "ImageId": id }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteInput {
    image_id: Option<String>,
}

/// Deleting an image that does not exist succeeds, as the operation models
/// no `ResourceNotFoundException`.
pub(super) fn delete(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DeleteInput = parse(body)?;
    let id = required(input.image_id, "ImageId")?;
    image_id(&id, "ImageId")?;
    let account = &*ctx.account;
    let Some(image) = account.images.get(&id) else {
        return Ok(json!({}));
    };
    if image.owner_account_id.is_none() {
        return Err(ApiError::access_denied(format!(
            "Image {id} belongs to AMAZON and cannot be deleted."
        )));
    }
    if image.state == state::PENDING {
        return Err(ApiError::state(format!(
            "Image {id} is PENDING and cannot be deleted yet."
        )));
    }
    if let Some(b) = account.bundles.values().find(|b| b.image_id == id) {
        return Err(ApiError::associated(format!(
            "Image {id} is used by bundle {} ({}).",
            b.id, b.name
        )));
    }
    // The model: unshare an image before deleting it.
    if let Some(shared) = image.shared_with.first() {
        return Err(ApiError::associated(format!(
            "Image {id} is shared with account {shared}; unshare it before deleting it."
        )));
    }
    ctx.account.remove_image(&id, ctx.now);
    Ok(json!({}))
}

/// One of the account's own images, which alone can be shared.
fn own_image<'a>(ctx: &'a mut Ctx<'_>, id: &str) -> ApiResult<&'a mut Image> {
    let image = ctx
        .account
        .images
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found(id, "Image"))?;
    if image.owner_account_id.is_none() {
        let mut e = ApiError::not_found(id, "Image");
        e.message = format!("Image {id} belongs to AMAZON, not to this account.");
        return Err(e);
    }
    Ok(image)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdatePermissionInput {
    image_id: Option<String>,
    allow_copy_image: Option<bool>,
    shared_account_id: Option<String>,
}

/// Shares an AVAILABLE image with an account, or unshares it.
pub(super) fn update_permission(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: UpdatePermissionInput = parse(body)?;
    let id = required(input.image_id, "ImageId")?;
    image_id(&id, "ImageId")?;
    let allow = required(input.allow_copy_image, "AllowCopyImage")?;
    let account = required(input.shared_account_id, "SharedAccountId")?;
    account_id(&account, "SharedAccountId")?;
    if account == ctx.account.account_id {
        return Err(ApiError::invalid(format!(
            "SharedAccountId {account} owns image {id}; share it with another account."
        )));
    }
    let image = own_image(ctx, &id)?;
    if image.state != state::AVAILABLE {
        return Err(ApiError::unavailable(
            &id,
            format!(
                "Image {id} is {}; only AVAILABLE images can be shared.",
                image.state
            ),
        ));
    }
    if allow {
        image.shared_with.insert(account);
    } else if !image.shared_with.remove(&account) {
        // The model: the permission can be revoked only once granted.
        return Err(ApiError::invalid(format!(
            "Image {id} is not shared with account {account}."
        )));
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribePermissionsInput {
    image_id: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

pub(super) fn describe_permissions(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribePermissionsInput = parse(body)?;
    let id = required(input.image_id, "ImageId")?;
    image_id(&id, "ImageId")?;
    let page = page_size(input.max_results, "MaxResults", 25, DEFAULT_PAGE)?;
    let image = own_image(ctx, &id)?;
    let shared: Vec<&String> = image.shared_with.iter().collect();
    let (found, next) = offset_page(&shared, "wsiperm", input.next_token.as_deref(), page)?;
    let permissions: Vec<Value> = found
        .into_iter()
        .map(|a| json!({ "SharedAccountId": a }))
        .collect();
    Ok(json!({ "ImageId": id, "ImagePermissions": permissions, "NextToken": next }))
}
