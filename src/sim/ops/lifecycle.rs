//! WorkSpace lifecycle: terminate, reboot, rebuild, restore, snapshots,
//! migrate.

use serde::Deserialize;
use serde_json::{Value, json};

use super::workspaces::{ItemError, MAX_BATCH, fault_item, mint_ip, mint_workspace_id};
use super::{Ctx, parse, secs};
use crate::sim::account::state;
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{bundle_id, list_size, required, workspace_id};

/// How many snapshots of each kind DescribeWorkspaceSnapshots lists, newest
/// first. AWS documents no number; a few show the history.
const SNAPSHOTS_LISTED: usize = 5;

/// A reboot may be retried on a WorkSpace stuck in REBOOTING this long (§8.3).
const STUCK_REBOOT_MS: u64 = 20 * 60 * 1000;

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
    let id = single_id(body)?;
    let ws = ctx
        .account
        .workspaces
        .get(&id)
        .ok_or_else(|| ApiError::not_found(&id, "WorkSpace"))?;
    // Both volumes are snapshotted together on the schedule, so every
    // restore snapshot (root + user) is also a rebuild snapshot (user).
    let snapshots: Vec<Value> = ws
        .snapshot_times(ctx.now, ctx.snapshot_every, SNAPSHOTS_LISTED)
        .into_iter()
        .map(|t| json!({ "SnapshotTime": secs(t) }))
        .collect();
    Ok(json!({ "RebuildSnapshots": snapshots, "RestoreSnapshots": snapshots }))
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
    ctx.account.remove_workspace(&source_id, ctx.now);
    let target_id = mint_workspace_id(ctx);
    ws.id = target_id.clone();
    ws.state = state::PENDING.to_owned();
    ws.next = None;
    ws.modification = None;
    ws.created = ctx.now;
    ws.visible_at = ctx.now.saturating_add(ctx.visibility);
    // A new WorkSpace: its snapshot schedule starts when it is AVAILABLE.
    ws.first_available = None;
    ws.healthy_since = None;
    ws.healthy_periods.clear();
    ws.ip_address = mint_ip(ctx);
    ws.computer_name = format!("WSAMZN-{}", ctx.random_chars(8).to_uppercase());
    ctx.account.insert_workspace(ws, ctx.now);
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
