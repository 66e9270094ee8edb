//! WorkSpaces: create and describe.

use std::ops::Bound;

use serde::Deserialize;
use serde_json::{Value, json};

use super::properties::{PropertiesInput, initial_properties};
use super::tags::{TagInput, checked};
use super::{Ctx, decode_token, encode_token, parse};
use crate::sim::account::{Workspace, state};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{
    bundle_id, directory_id, ipv6_address, length, list_size, range, required, workspace_id,
    workspace_name,
};

pub(super) const MAX_BATCH: usize = 25;
/// The user name of a user-decoupled WorkSpace.
const UNDEFINED_USER: &str = "[UNDEFINED]";
const DEFAULT_PAGE: usize = 25;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WorkspaceRequest {
    directory_id: Option<String>,
    user_name: Option<String>,
    bundle_id: Option<String>,
    volume_encryption_key: Option<String>,
    user_volume_encryption_enabled: Option<bool>,
    root_volume_encryption_enabled: Option<bool>,
    workspace_properties: Option<PropertiesInput>,
    tags: Option<Vec<TagInput>>,
    workspace_name: Option<String>,
    ipv6_address: Option<String>,
}

/// A create request after its model constraints were checked.
struct CheckedRequest {
    raw: Value,
    directory_id: String,
    user_name: String,
    bundle_id: String,
    request: WorkspaceRequest,
    tags: Vec<crate::sim::account::Tag>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateInput {
    workspaces: Option<Vec<Value>>,
}

fn check_request(raw: Value) -> ApiResult<CheckedRequest> {
    let mut request: WorkspaceRequest = parse(raw.clone())?;
    let directory = required(request.directory_id.take(), "Workspaces.DirectoryId")?;
    directory_id(&directory, "Workspaces.DirectoryId")?;
    let user = required(request.user_name.take(), "Workspaces.UserName")?;
    length(&user, "Workspaces.UserName", 1, 63)?;
    let bundle = required(request.bundle_id.take(), "Workspaces.BundleId")?;
    bundle_id(&bundle, "Workspaces.BundleId")?;
    if let Some(name) = &request.workspace_name {
        workspace_name(name, "Workspaces.WorkspaceName")?;
    }
    // The model: "WorkspaceName is required if UserName is [UNDEFINED]".
    if user == UNDEFINED_USER && request.workspace_name.is_none() {
        return Err(ApiError::invalid(format!(
            "Workspaces.WorkspaceName is required when UserName is {UNDEFINED_USER}."
        )));
    }
    if let Some(props) = &request.workspace_properties {
        props.check()?;
    }
    if let Some(ip) = &request.ipv6_address {
        ipv6_address(ip, "Workspaces.Ipv6Address")?;
    }
    let tags = checked(request.tags.take())?;
    Ok(CheckedRequest {
        raw,
        directory_id: directory,
        user_name: user,
        bundle_id: bundle,
        request,
        tags,
    })
}

pub(super) fn create(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: CreateInput = parse(body)?;
    let items = required(input.workspaces, "Workspaces")?;
    list_size(&items, "Workspaces", 1, MAX_BATCH)?;
    let checked = items
        .into_iter()
        .map(check_request)
        .collect::<ApiResult<Vec<_>>>()?;
    let mut pending = Vec::new();
    let mut failed = Vec::new();
    for item in checked {
        match create_one(ctx, &item) {
            Ok(ws) => pending.push(ws),
            Err((code, message)) => failed.push(json!({
                "WorkspaceRequest": item.raw,
                "ErrorCode": code,
                "ErrorMessage": message,
            })),
        }
    }
    ctx.failed_items += failed.len() as u64;
    Ok(json!({ "FailedRequests": failed, "PendingRequests": pending }))
}

/// A per-item failure: `ErrorCode` and `ErrorMessage`.
pub(super) type ItemError = (&'static str, String);

fn create_one(ctx: &mut Ctx<'_>, item: &CheckedRequest) -> Result<Value, ItemError> {
    if ctx.item_fault() {
        return Err(fault_item());
    }
    let directory = ctx
        .account
        .directories
        .get(&item.directory_id)
        .filter(|d| d.state == "REGISTERED")
        .ok_or_else(|| {
            (
                "ResourceNotFound.Directory",
                format!(
                    "Directory {} is not registered with WorkSpaces.",
                    item.directory_id
                ),
            )
        })?;
    let subnet_id = directory.subnet_ids.first().cloned().unwrap_or_default();
    let bundle = ctx.account.bundles.get(&item.bundle_id).ok_or_else(|| {
        (
            "ResourceNotFound.Bundle",
            format!("Bundle {} does not exist.", item.bundle_id),
        )
    })?;
    if let Some(existing) = ctx
        .account
        .workspace_of_user(&item.directory_id, &item.user_name)
    {
        return Err((
            "ResourceExists.WorkSpace",
            format!(
                "User {} already has WorkSpace {existing} in directory {}.",
                item.user_name, item.directory_id
            ),
        ));
    }
    let volume_encryption_key = volume_encryption_key(&item.request)?;
    let image = ctx.account.images.get(&bundle.image_id);
    let properties = initial_properties(bundle, image, item.request.workspace_properties.clone())?;
    let image_id = bundle.image_id.clone();
    let id = mint_workspace_id(ctx);
    let user_volume_id = mint_volume_id(ctx);
    let ws = Workspace {
        id: id.clone(),
        directory_id: item.directory_id.clone(),
        user_name: item.user_name.clone(),
        workspace_name: item.request.workspace_name.clone(),
        bundle_id: item.bundle_id.clone(),
        image_id,
        state: state::PENDING.to_owned(),
        next: None,
        created: ctx.now,
        visible_at: ctx.now.saturating_add(ctx.visibility),
        first_available: None,
        healthy_since: None,
        healthy_periods: Vec::new(),
        falls_ill_after: ctx.unhealthy_fault().then_some(ctx.settle),
        properties,
        modification: None,
        volume_encryption_key,
        root_volume_encryption_enabled: item.request.root_volume_encryption_enabled,
        user_volume_encryption_enabled: item.request.user_volume_encryption_enabled,
        ip_address: mint_ip(ctx),
        ipv6_address: item.request.ipv6_address.clone(),
        computer_name: format!("WSAMZN-{}", ctx.random_chars(8).to_uppercase()),
        subnet_id,
        tags: item.tags.clone(),
        user_volume_id,
    };
    ctx.account.insert_workspace(ws, ctx.now);
    let at = ctx.settled_at();
    ctx.account
        .transition(&id, state::PENDING, Some(state::AVAILABLE), ctx.now, at);
    Ok(ctx
        .account
        .workspaces
        .get(&id)
        .map_or(Value::Null, |ws| wire(ws, ctx.now)))
}

/// The volume encryption key AWS keeps for a request, refused when
/// encryption has no key or KMS does not know the key.
fn volume_encryption_key(request: &WorkspaceRequest) -> Result<Option<String>, ItemError> {
    let encrypted = request.root_volume_encryption_enabled == Some(true)
        || request.user_volume_encryption_enabled == Some(true);
    if encrypted && request.volume_encryption_key.is_none() {
        return Err((
            "InvalidParameterValuesException",
            "Volume encryption needs a VolumeEncryptionKey (the ARN of a symmetric KMS key)."
                .to_owned(),
        ));
    }
    // AWS keeps the key's ARN for an alias or a key id
    // (terraform-provider-aws#16805), and refuses a key it cannot find
    // (#13560).
    let Some(key) = request.volume_encryption_key.as_deref() else {
        return Ok(None);
    };
    super::kms::resolve(key).map(Some).ok_or_else(|| {
        (
            "InvalidParameterValuesException",
            "The specified key could not be found. Please provide a valid key for encryption."
                .to_owned(),
        )
    })
}

pub(super) fn fault_item() -> ItemError {
    (
        "InternalFailure",
        "The request could not be processed (simulated failed-request fault).".to_owned(),
    )
}

pub(super) fn mint_workspace_id(ctx: &mut Ctx<'_>) -> String {
    loop {
        let id = format!("ws-{}", ctx.random_chars(9));
        if !ctx.account.workspaces.contains_key(&id) {
            return id;
        }
    }
}

fn mint_volume_id(ctx: &mut Ctx<'_>) -> String {
    let hex: String = ctx
        .random_chars(17)
        .chars()
        .map(|c| {
            let n = c.to_digit(36).unwrap_or(0) % 16;
            char::from_digit(n, 16).unwrap_or('0')
        })
        .collect();
    format!("vol-{hex}")
}

pub(super) fn mint_ip(ctx: &mut Ctx<'_>) -> String {
    use rand::Rng;
    let (a, b) = (ctx.rng.random_range(1..=2), ctx.rng.random_range(4..=254));
    format!("10.0.{a}.{b}")
}

/// A WorkSpace as `DescribeWorkspaces` shows it.
pub(super) fn wire(ws: &Workspace, now: u64) -> Value {
    let p = &ws.properties;
    let modifications = ws
        .modification
        .as_ref()
        .filter(|m| m.until > now)
        .map(|m| vec![json!({ "Resource": m.resource, "State": "UPDATE_IN_PROGRESS" })]);
    let mut properties = json!({
        "RunningMode": p.running_mode,
        "RunningModeAutoStopTimeoutInMinutes": p.auto_stop_timeout_minutes,
        "RootVolumeSizeGib": p.root_volume_gib,
        "UserVolumeSizeGib": p.user_volume_gib,
        "ComputeTypeName": p.compute_type,
        "Protocols": p.protocols,
        "OperatingSystemName": p.operating_system_name,
        "GlobalAccelerator": p.global_accelerator.as_ref().map(|(mode, proto)| json!({
            "Mode": mode, "PreferredProtocol": proto,
        })),
    });
    if let Some(members) = properties.as_object_mut() {
        members.extend(p.other.clone());
    }
    json!({
        "WorkspaceId": ws.id,
        "DirectoryId": ws.directory_id,
        "UserName": ws.user_name,
        "IpAddress": ws.ip_address,
        "Ipv6Address": ws.ipv6_address,
        "State": ws.state,
        "BundleId": ws.bundle_id,
        "SubnetId": ws.subnet_id,
        "ComputerName": ws.computer_name,
        "VolumeEncryptionKey": ws.volume_encryption_key,
        "UserVolumeEncryptionEnabled": ws.user_volume_encryption_enabled,
        "RootVolumeEncryptionEnabled": ws.root_volume_encryption_enabled,
        "WorkspaceName": ws.workspace_name,
        "WorkspaceProperties": properties,
        "ModificationStates": modifications,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    workspace_ids: Option<Vec<String>>,
    directory_id: Option<String>,
    user_name: Option<String>,
    bundle_id: Option<String>,
    limit: Option<i64>,
    next_token: Option<String>,
    workspace_name: Option<String>,
}

impl DescribeInput {
    fn check(&self) -> ApiResult<()> {
        if let Some(ids) = &self.workspace_ids {
            list_size(ids, "WorkspaceIds", 1, MAX_BATCH)?;
            for id in ids {
                workspace_id(id, "WorkspaceIds")?;
            }
        }
        if let Some(d) = &self.directory_id {
            directory_id(d, "DirectoryId")?;
        }
        if let Some(u) = &self.user_name {
            length(u, "UserName", 1, 63)?;
        }
        if let Some(b) = &self.bundle_id {
            bundle_id(b, "BundleId")?;
        }
        if let Some(n) = &self.workspace_name {
            workspace_name(n, "WorkspaceName")?;
        }
        if let Some(l) = self.limit {
            range(l, "Limit", 1, 25)?;
        }
        // The model: WorkspaceIds, DirectoryId (+ UserName) and BundleId can
        // each not be combined with any other filter.
        let filters = [
            self.workspace_ids.is_some(),
            self.directory_id.is_some(),
            self.bundle_id.is_some(),
            self.workspace_name.is_some(),
        ];
        if filters.iter().filter(|f| **f).count() > 1 {
            return Err(ApiError::invalid(
                "WorkspaceIds, DirectoryId, BundleId and WorkspaceName cannot be combined.",
            ));
        }
        if self.user_name.is_some() && self.directory_id.is_none() {
            return Err(ApiError::invalid(
                "UserName must be given with DirectoryId.",
            ));
        }
        Ok(())
    }

    fn matches(&self, ws: &Workspace) -> bool {
        self.directory_id
            .as_ref()
            .is_none_or(|d| *d == ws.directory_id)
            && self.bundle_id.as_ref().is_none_or(|b| *b == ws.bundle_id)
            && self
                .workspace_name
                .as_ref()
                .is_none_or(|n| ws.workspace_name.as_ref() == Some(n))
    }
}

pub(super) fn describe(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeInput = parse(body)?;
    input.check()?;
    let now = ctx.now;
    let visible = |ws: &&Workspace| ws.visible_at <= now;
    let account = &*ctx.account;
    if let Some(ids) = &input.workspace_ids {
        let found: Vec<Value> = ids
            .iter()
            .filter_map(|id| account.workspaces.get(id))
            .filter(visible)
            .map(|ws| wire(ws, now))
            .collect();
        return Ok(json!({ "Workspaces": found }));
    }
    if let (Some(d), Some(u)) = (&input.directory_id, &input.user_name) {
        let found: Vec<Value> = account
            .workspace_of_user(d, u)
            .and_then(|id| account.workspaces.get(id))
            .filter(visible)
            .map(|ws| wire(ws, now))
            .into_iter()
            .collect();
        return Ok(json!({ "Workspaces": found }));
    }
    let page = input
        .limit
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(DEFAULT_PAGE);
    let start = match &input.next_token {
        Some(t) => Bound::Excluded(decode_token(t, "ws")?),
        None => Bound::Unbounded,
    };
    let mut matching = account
        .workspaces
        .range::<String, _>((start, Bound::Unbounded))
        .map(|(_, ws)| ws)
        .filter(visible)
        .filter(|ws| input.matches(ws));
    let found: Vec<&Workspace> = matching.by_ref().take(page).collect();
    let next = match (found.last(), matching.next()) {
        (Some(last), Some(_)) => Some(encode_token("ws", &last.id)),
        _ => None,
    };
    let found: Vec<Value> = found.into_iter().map(|ws| wire(ws, now)).collect();
    Ok(json!({ "Workspaces": found, "NextToken": next }))
}
