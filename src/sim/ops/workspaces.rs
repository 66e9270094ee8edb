//! WorkSpaces: create, describe, change, migrate, terminate.

use std::ops::Bound;

use serde::Deserialize;
use serde_json::{Value, json};

use super::tags::{TagInput, checked};
use super::{Ctx, decode_token, encode_token, parse, secs};
use crate::sim::account::{Modification, Properties, Workspace, state};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{
    AGA_MODES, AGA_PROTOCOLS, COMPUTE_TYPES, DATA_REPLICATION, OPERATING_SYSTEM_NAMES, PROTOCOLS,
    RUNNING_MODES, bundle_id, directory_id, length, list_size, one_of, range, required,
    workspace_id, workspace_name,
};

const MAX_BATCH: usize = 25;
const DEFAULT_PAGE: usize = 25;
/// A reboot may be retried on a WorkSpace stuck in REBOOTING this long (§8.3).
const STUCK_REBOOT_MS: u64 = 20 * 60 * 1000;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PropertiesInput {
    running_mode: Option<String>,
    running_mode_auto_stop_timeout_in_minutes: Option<i64>,
    root_volume_size_gib: Option<i64>,
    user_volume_size_gib: Option<i64>,
    compute_type_name: Option<String>,
    protocols: Option<Vec<String>>,
    operating_system_name: Option<String>,
    global_accelerator: Option<GlobalAcceleratorInput>,
    nested_virtualization_enabled: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GlobalAcceleratorInput {
    mode: Option<String>,
    preferred_protocol: Option<String>,
}

impl PropertiesInput {
    fn check(&self) -> ApiResult<()> {
        let p = "WorkspaceProperties";
        if let Some(m) = &self.running_mode {
            one_of(m, &format!("{p}.RunningMode"), RUNNING_MODES)?;
        }
        if let Some(t) = self.running_mode_auto_stop_timeout_in_minutes {
            // The model: "Configured in 60-minute intervals".
            if t <= 0 || t % 60 != 0 {
                return Err(ApiError::invalid(format!(
                    "{p}.RunningModeAutoStopTimeoutInMinutes must be a positive multiple of 60; got {t}."
                )));
            }
        }
        for (member, size) in [
            ("RootVolumeSizeGib", self.root_volume_size_gib),
            ("UserVolumeSizeGib", self.user_volume_size_gib),
        ] {
            if let Some(size) = size {
                range(size, &format!("{p}.{member}"), 1, 2000)?;
            }
        }
        if let Some(c) = &self.compute_type_name {
            one_of(c, &format!("{p}.ComputeTypeName"), COMPUTE_TYPES)?;
        }
        for protocol in self.protocols.iter().flatten() {
            one_of(protocol, &format!("{p}.Protocols"), PROTOCOLS)?;
        }
        if let Some(os) = &self.operating_system_name {
            one_of(
                os,
                &format!("{p}.OperatingSystemName"),
                OPERATING_SYSTEM_NAMES,
            )?;
        }
        if let Some(ga) = &self.global_accelerator {
            let mode = required(ga.mode.as_deref(), "GlobalAccelerator.Mode")?;
            one_of(mode, "GlobalAccelerator.Mode", AGA_MODES)?;
            if let Some(proto) = &ga.preferred_protocol {
                one_of(proto, "GlobalAccelerator.PreferredProtocol", AGA_PROTOCOLS)?;
            }
        }
        Ok(())
    }
}

fn is_graphics(compute: &str) -> bool {
    compute.starts_with("GRAPHICS")
}

/// The root/user size pairs the admin guide allows (notes §8.2).
fn volumes_allowed(compute: &str, root: i64, user: i64) -> Result<(), String> {
    let max = 2000;
    let ok = if is_graphics(compute) {
        (100..=max).contains(&root) && (100..=max).contains(&user)
    } else {
        matches!((root, user), (80, 10) | (80, 50) | (80, 100))
            || ((175..=max).contains(&root) && (100..=max).contains(&user))
    };
    if ok {
        return Ok(());
    }
    Err(if is_graphics(compute) {
        format!(
            "Graphics: Invalid root and user volume size selected. Root and user volume size (GB) must be (100+|100+); got ({root}|{user})."
        )
    } else {
        format!(
            "Invalid root and user volume size ({root}|{user}). Allowed (GB): (80|10), (80|50), (80|100), (175-2000|100-2000)."
        )
    })
}

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
    if let Some(props) = &request.workspace_properties {
        props.check()?;
    }
    if let Some(ip) = &request.ipv6_address
        && (!ip.contains(':') || !ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':'))
    {
        return Err(ApiError::invalid(format!(
            "Workspaces.Ipv6Address '{ip}' is not an IPv6 address."
        )));
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

type ItemError = (&'static str, String);

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
    let image = ctx.account.images.get(&bundle.image_id);
    let default_protocol = image.map_or("PCOIP", |i| i.protocol.as_str());
    let os_name = image.map(|i| i.os_name.clone());
    let p = item
        .request
        .workspace_properties
        .clone()
        .unwrap_or_default();
    let compute = p
        .compute_type_name
        .unwrap_or_else(|| bundle.compute_type.clone());
    let root = p.root_volume_size_gib.unwrap_or(bundle.root_gib);
    let user = p.user_volume_size_gib.unwrap_or(bundle.user_gib);
    if root < bundle.root_gib || user < bundle.user_gib {
        return Err((
            "InvalidParameterValuesException",
            format!(
                "Volumes ({root}|{user}) are smaller than bundle {}'s ({}|{}).",
                bundle.id, bundle.root_gib, bundle.user_gib
            ),
        ));
    }
    volumes_allowed(&compute, root, user).map_err(|m| ("InvalidParameterValuesException", m))?;
    let running_mode = p.running_mode.unwrap_or_else(|| "AUTO_STOP".to_owned());
    let timeout = p
        .running_mode_auto_stop_timeout_in_minutes
        .or((running_mode == "AUTO_STOP").then_some(60));
    let properties = Properties {
        running_mode,
        auto_stop_timeout_minutes: timeout,
        root_volume_gib: root,
        user_volume_gib: user,
        compute_type: compute,
        protocols: p
            .protocols
            .unwrap_or_else(|| vec![default_protocol.to_owned()]),
        operating_system_name: p.operating_system_name.or(os_name),
        global_accelerator: p
            .global_accelerator
            .map(|g| (g.mode.unwrap_or_default(), g.preferred_protocol)),
        nested_virtualization_enabled: p.nested_virtualization_enabled,
    };
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
        available_since: None,
        properties,
        modification: None,
        volume_encryption_key: item.request.volume_encryption_key.clone(),
        root_volume_encryption_enabled: item.request.root_volume_encryption_enabled,
        user_volume_encryption_enabled: item.request.user_volume_encryption_enabled,
        ip_address: mint_ip(ctx),
        computer_name: format!("WSAMZN-{}", ctx.random_chars(8).to_uppercase()),
        subnet_id,
        tags: item.tags.clone(),
        user_volume_id,
    };
    ctx.account.insert_workspace(ws);
    let at = ctx.settled_at();
    ctx.account
        .transition(&id, state::PENDING, Some(state::AVAILABLE), ctx.now, at);
    Ok(ctx
        .account
        .workspaces
        .get(&id)
        .map_or(Value::Null, |ws| wire(ws, ctx.now)))
}

fn fault_item() -> ItemError {
    (
        "InternalFailure",
        "The request could not be processed (simulated failed-request fault).".to_owned(),
    )
}

fn mint_workspace_id(ctx: &mut Ctx<'_>) -> String {
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

fn mint_ip(ctx: &mut Ctx<'_>) -> String {
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
    json!({
        "WorkspaceId": ws.id,
        "DirectoryId": ws.directory_id,
        "UserName": ws.user_name,
        "IpAddress": ws.ip_address,
        "State": ws.state,
        "BundleId": ws.bundle_id,
        "SubnetId": ws.subnet_id,
        "ComputerName": ws.computer_name,
        "VolumeEncryptionKey": ws.volume_encryption_key,
        "UserVolumeEncryptionEnabled": ws.user_volume_encryption_enabled,
        "RootVolumeEncryptionEnabled": ws.root_volume_encryption_enabled,
        "WorkspaceName": ws.workspace_name,
        "WorkspaceProperties": {
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
            "NestedVirtualizationEnabled": p.nested_virtualization_enabled,
        },
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

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IdItem {
    workspace_id: Option<String>,
}

fn batch_ids(items: Option<Vec<IdItem>>, member: &str, max: usize) -> ApiResult<Vec<String>> {
    let items = required(items, member)?;
    list_size(&items, member, 1, max)?;
    items
        .into_iter()
        .map(|i| {
            let id = required(i.workspace_id, &format!("{member}.WorkspaceId"))?;
            workspace_id(&id, &format!("{member}.WorkspaceId"))?;
            Ok(id)
        })
        .collect()
}

/// Applies `change` to each id; failures become `FailedRequests` entries.
fn change_batch(
    ctx: &mut Ctx<'_>,
    ids: Vec<String>,
    change: fn(&mut Ctx<'_>, &str) -> Result<(), ItemError>,
) -> Value {
    let mut failed = Vec::new();
    for id in ids {
        let outcome = if ctx.item_fault() {
            Err(fault_item())
        } else if ctx.account.workspaces.contains_key(&id) {
            change(ctx, &id)
        } else {
            Err((
                "ResourceNotFound.Workspace",
                format!("WorkSpace {id} does not exist."),
            ))
        };
        if let Err((code, message)) = outcome {
            failed.push(json!({ "WorkspaceId": id, "ErrorCode": code, "ErrorMessage": message }));
        }
    }
    ctx.failed_items += failed.len() as u64;
    json!({ "FailedRequests": failed })
}

fn current_state(ctx: &Ctx<'_>, id: &str) -> (String, u64) {
    ctx.account.workspaces.get(id).map_or_else(
        || (String::new(), 0),
        |ws| {
            let since = ws.next.as_ref().map_or(ws.created, |n| n.since);
            (ws.state.clone(), since)
        },
    )
}

fn wrong_state(id: &str, state: &str, action: &str, allowed: &[&str]) -> ItemError {
    (
        "InvalidResourceState",
        format!(
            "WorkSpace {id} is {state}; it can be {action} only when {}.",
            allowed.join(", ")
        ),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TerminateInput {
    terminate_workspace_requests: Option<Vec<IdItem>>,
}

pub(super) fn terminate(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: TerminateInput = parse(body)?;
    let ids = batch_ids(
        input.terminate_workspace_requests,
        "TerminateWorkspaceRequests",
        MAX_BATCH,
    )?;
    Ok(change_batch(ctx, ids, |ctx, id| {
        let (current, _) = current_state(ctx, id);
        if current == state::SUSPENDED {
            return Err((
                "InvalidResourceState",
                format!("WorkSpace {id} is SUSPENDED and cannot be terminated."),
            ));
        }
        if current != state::TERMINATING {
            let at = ctx.settled_at();
            ctx.account
                .transition(id, state::TERMINATING, None, ctx.now, at);
        }
        Ok(())
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RebootInput {
    reboot_workspace_requests: Option<Vec<IdItem>>,
}

pub(super) fn reboot(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: RebootInput = parse(body)?;
    let ids = batch_ids(
        input.reboot_workspace_requests,
        "RebootWorkspaceRequests",
        MAX_BATCH,
    )?;
    Ok(change_batch(ctx, ids, |ctx, id| {
        let (current, since) = current_state(ctx, id);
        let stuck = current == state::REBOOTING && ctx.now.saturating_sub(since) >= STUCK_REBOOT_MS;
        if !(current == state::AVAILABLE || current == state::UNHEALTHY || stuck) {
            return Err(wrong_state(
                id,
                &current,
                "rebooted",
                &["AVAILABLE", "UNHEALTHY", "REBOOTING for over 20 minutes"],
            ));
        }
        let at = ctx.settled_at();
        ctx.account
            .transition(id, state::REBOOTING, Some(state::AVAILABLE), ctx.now, at);
        Ok(())
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RebuildInput {
    rebuild_workspace_requests: Option<Vec<IdItem>>,
}

pub(super) fn rebuild(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: RebuildInput = parse(body)?;
    let ids = batch_ids(
        input.rebuild_workspace_requests,
        "RebuildWorkspaceRequests",
        1,
    )?;
    Ok(change_batch(ctx, ids, |ctx, id| {
        const ALLOWED: &[&str] = &["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED", "REBOOTING"];
        let (current, _) = current_state(ctx, id);
        if !ALLOWED.contains(&current.as_str()) {
            return Err(wrong_state(id, &current, "rebuilt", ALLOWED));
        }
        // The root volume is re-imaged from the bundle's current image.
        let image = ctx
            .account
            .workspaces
            .get(id)
            .and_then(|ws| ctx.account.bundles.get(&ws.bundle_id))
            .map(|b| b.image_id.clone());
        if let (Some(image), Some(ws)) = (image, ctx.account.workspaces.get_mut(id)) {
            ws.image_id = image;
        }
        let at = ctx.settled_at();
        ctx.account
            .transition(id, state::REBUILDING, Some(state::AVAILABLE), ctx.now, at);
        Ok(())
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SingleInput {
    workspace_id: Option<String>,
}

fn single_id(body: Value) -> ApiResult<String> {
    let input: SingleInput = parse(body)?;
    let id = required(input.workspace_id, "WorkspaceId")?;
    workspace_id(&id, "WorkspaceId")?;
    Ok(id)
}

pub(super) fn restore(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    const ALLOWED: &[&str] = &["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED"];
    let id = single_id(body)?;
    let ws = ctx
        .account
        .workspaces
        .get(&id)
        .ok_or_else(|| ApiError::not_found(&id, "WorkSpace"))?;
    if !ALLOWED.contains(&ws.state.as_str()) {
        // RestoreWorkspace models no InvalidResourceStateException.
        return Err(ApiError::not_supported(format!(
            "WorkSpace {id} is {}; it can be restored only when {}.",
            ws.state,
            ALLOWED.join(", ")
        )));
    }
    let at = ctx.settled_at();
    ctx.account
        .transition(&id, state::RESTORING, Some(state::AVAILABLE), ctx.now, at);
    Ok(json!({}))
}

pub(super) fn describe_snapshots(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    // A snapshot is taken when the WorkSpace first becomes healthy and every
    // 12 hours after; only the latest is kept.
    const EVERY: u64 = 12 * 60 * 60 * 1000;
    let id = single_id(body)?;
    let ws = ctx
        .account
        .workspaces
        .get(&id)
        .ok_or_else(|| ApiError::not_found(&id, "WorkSpace"))?;
    let latest = ws
        .available_since
        .map(|since| since + (ctx.now.saturating_sub(since) / EVERY) * EVERY);
    let snapshots: Vec<Value> = latest
        .map(|t| json!({ "SnapshotTime": secs(t) }))
        .into_iter()
        .collect();
    Ok(json!({ "RebuildSnapshots": snapshots, "RestoreSnapshots": snapshots }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifyInput {
    workspace_id: Option<String>,
    workspace_properties: Option<PropertiesInput>,
    data_replication: Option<String>,
}

pub(super) fn modify_properties(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifyInput = parse(body)?;
    let id = required(input.workspace_id, "WorkspaceId")?;
    workspace_id(&id, "WorkspaceId")?;
    if let Some(d) = &input.data_replication {
        one_of(d, "DataReplication", DATA_REPLICATION)?;
    }
    let props = input.workspace_properties.unwrap_or_default();
    props.check()?;
    let now = ctx.now;
    let until = ctx.settled_at();
    let ws = ctx
        .account
        .workspaces
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found(&id, "WorkSpace"))?;
    if input.data_replication.is_some() {
        return Err(ApiError::unsupported_config(
            "The simulator has no standby WorkSpaces; DataReplication cannot be set.",
        ));
    }
    if ws.state != state::AVAILABLE && ws.state != state::STOPPED {
        return Err(ApiError::state(format!(
            "WorkSpace {id} is {}; its properties can be modified only when AVAILABLE or STOPPED.",
            ws.state
        )));
    }
    if ws.modification.as_ref().is_some_and(|m| m.until > now) {
        return Err(ApiError::in_progress(format!(
            "The properties of WorkSpace {id} are being modified. Try again in a moment."
        )));
    }
    let resource = plan_modification(ws, &props)?;
    apply_modification(ws, props);
    ws.modification = resource.map(|resource| Modification {
        resource: resource.to_owned(),
        until,
    });
    Ok(json!({}))
}

/// Checks a property change against the admin guide's rules (notes §8.2)
/// and names the resource whose modification it starts, if any.
fn plan_modification(ws: &Workspace, p: &PropertiesInput) -> ApiResult<Option<&'static str>> {
    let cur = &ws.properties;
    let changed = |new: Option<i64>, old: i64| new.is_some_and(|n| n != old);
    let root_changed = changed(p.root_volume_size_gib, cur.root_volume_gib);
    let user_changed = changed(p.user_volume_size_gib, cur.user_volume_gib);
    let compute_changed = p
        .compute_type_name
        .as_ref()
        .is_some_and(|c| *c != cur.compute_type);
    if compute_changed && (root_changed || user_changed) {
        return Err(ApiError::invalid(
            "The compute type and a volume size cannot be changed in the same request.",
        ));
    }
    if root_changed && user_changed {
        return Err(ApiError::invalid(
            "The root and user volumes cannot be resized in the same request.",
        ));
    }
    let root = p.root_volume_size_gib.unwrap_or(cur.root_volume_gib);
    let user = p.user_volume_size_gib.unwrap_or(cur.user_volume_gib);
    if root < cur.root_volume_gib || user < cur.user_volume_gib {
        return Err(ApiError::invalid(format!(
            "Volumes cannot shrink: ({}|{}) → ({root}|{user}).",
            cur.root_volume_gib, cur.user_volume_gib
        )));
    }
    if root_changed || user_changed {
        volumes_allowed(&cur.compute_type, root, user).map_err(ApiError::invalid)?;
    }
    if let Some(c) = &p.compute_type_name
        && compute_changed
        && (is_graphics(c) || is_graphics(&cur.compute_type))
    {
        return Err(ApiError::invalid(format!(
            "Compute type {} cannot be changed to {c} in place; migrate to another bundle.",
            cur.compute_type
        )));
    }
    let protocol_changed = p.protocols.as_ref().is_some_and(|v| *v != cur.protocols);
    if protocol_changed
        && p.protocols
            .as_ref()
            .is_some_and(|v| v.iter().any(|x| x == "PCOIP"))
    {
        return Err(ApiError::invalid(
            "The protocol can only be changed from PCOIP to WSP.",
        ));
    }
    Ok(if root_changed {
        Some("ROOT_VOLUME")
    } else if user_changed {
        Some("USER_VOLUME")
    } else if compute_changed {
        Some("COMPUTE_TYPE")
    } else if protocol_changed {
        Some("PROTOCOL")
    } else {
        None
    })
}

fn apply_modification(ws: &mut Workspace, p: PropertiesInput) {
    let cur = &mut ws.properties;
    if let Some(m) = p.running_mode {
        cur.running_mode = m;
    }
    if let Some(t) = p.running_mode_auto_stop_timeout_in_minutes {
        cur.auto_stop_timeout_minutes = Some(t);
    }
    if let Some(r) = p.root_volume_size_gib {
        cur.root_volume_gib = r;
    }
    if let Some(u) = p.user_volume_size_gib {
        cur.user_volume_gib = u;
    }
    if let Some(c) = p.compute_type_name {
        cur.compute_type = c;
    }
    if let Some(protocols) = p.protocols {
        cur.protocols = protocols;
    }
    if let Some(os) = p.operating_system_name {
        cur.operating_system_name = Some(os);
    }
    if let Some(ga) = p.global_accelerator {
        cur.global_accelerator = Some((ga.mode.unwrap_or_default(), ga.preferred_protocol));
    }
    if let Some(n) = p.nested_virtualization_enabled {
        cur.nested_virtualization_enabled = Some(n);
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MigrateInput {
    source_workspace_id: Option<String>,
    bundle_id: Option<String>,
}

pub(super) fn migrate(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    const ALLOWED: &[&str] = &["AVAILABLE", "STOPPED", "ERROR"];
    let input: MigrateInput = parse(body)?;
    let source_id = required(input.source_workspace_id, "SourceWorkspaceId")?;
    workspace_id(&source_id, "SourceWorkspaceId")?;
    let target_bundle = required(input.bundle_id, "BundleId")?;
    bundle_id(&target_bundle, "BundleId")?;
    let source = ctx
        .account
        .workspaces
        .get(&source_id)
        .ok_or_else(|| ApiError::not_found(&source_id, "WorkSpace"))?;
    let bundle = ctx
        .account
        .bundles
        .get(&target_bundle)
        .ok_or_else(|| ApiError::not_found(&target_bundle, "Bundle"))?;
    if !ALLOWED.contains(&source.state.as_str()) {
        return Err(ApiError::unavailable(
            &source_id,
            format!(
                "WorkSpace {source_id} is {}; it can be migrated only when {}.",
                source.state,
                ALLOWED.join(", ")
            ),
        ));
    }
    if source
        .modification
        .as_ref()
        .is_some_and(|m| m.until > ctx.now)
    {
        return Err(ApiError::in_progress(format!(
            "The properties of WorkSpace {source_id} are being modified."
        )));
    }
    if source.bundle_id == target_bundle {
        return Err(ApiError::invalid(format!(
            "WorkSpace {source_id} already uses bundle {target_bundle}."
        )));
    }
    // Root volume from the target bundle, user volume (and its size) kept;
    // tags and running mode carried over (admin guide migrate-workspaces).
    let mut ws = source.clone();
    let image = ctx.account.images.get(&bundle.image_id);
    ws.properties.compute_type = bundle.compute_type.clone();
    ws.properties.root_volume_gib = bundle.root_gib;
    ws.properties.user_volume_gib = ws.properties.user_volume_gib.max(bundle.user_gib);
    if let Some(image) = image {
        ws.properties.operating_system_name = Some(image.os_name.clone());
    }
    ws.bundle_id = target_bundle;
    ws.image_id = bundle.image_id.clone();
    ctx.account.remove_workspace(&source_id);
    let target_id = mint_workspace_id(ctx);
    ws.id = target_id.clone();
    ws.state = state::PENDING.to_owned();
    ws.next = None;
    ws.modification = None;
    ws.created = ctx.now;
    ws.visible_at = ctx.now.saturating_add(ctx.visibility);
    ws.available_since = None;
    ws.ip_address = mint_ip(ctx);
    ws.computer_name = format!("WSAMZN-{}", ctx.random_chars(8).to_uppercase());
    ctx.account.insert_workspace(ws);
    let at = ctx.settled_at();
    ctx.account.transition(
        &target_id,
        state::PENDING,
        Some(state::AVAILABLE),
        ctx.now,
        at,
    );
    Ok(json!({ "SourceWorkspaceId": source_id, "TargetWorkspaceId": target_id }))
}
