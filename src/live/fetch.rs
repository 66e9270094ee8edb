//! Reading the account through `aws-sdk-workspaces`: paged, 25 a call,
//! one pagination chain per directory, tags fetched concurrently.

use std::collections::BTreeMap;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{Workspace, WorkspaceBundle};
use futures::{StreamExt, TryStreamExt, stream};

use super::{LiveBundle, LiveState, LiveWorkspace};
use crate::error::{ApiError, api_error};

/// DescribeWorkspaces and DescribeWorkspaces' `WorkspaceIds` take at most 25.
pub const PAGE: usize = 25;
/// DescribeTags calls in flight at once.
const TAG_CONCURRENCY: usize = 16;

pub async fn fetch(client: &Client) -> Result<LiveState, ApiError> {
    let (workspaces, bundles) = tokio::try_join!(fetch_workspaces(client), fetch_bundles(client))?;
    Ok(LiveState {
        workspaces,
        bundles,
    })
}

async fn fetch_workspaces(client: &Client) -> Result<Vec<LiveWorkspace>, ApiError> {
    let directories = directory_ids(client).await?;
    let chains = directories
        .iter()
        .map(|directory| workspaces_in(client, directory));
    let found: Vec<Workspace> = futures::future::try_join_all(chains)
        .await?
        .into_iter()
        .flatten()
        .collect();
    stream::iter(found)
        .map(|workspace| with_tags(client, workspace))
        .buffered(TAG_CONCURRENCY)
        .try_collect()
        .await
}

/// Every registered directory, so WorkSpaces this stack owns in a directory
/// the file no longer names are still found.
async fn directory_ids(client: &Client) -> Result<Vec<String>, ApiError> {
    let pages = client
        .describe_workspace_directories()
        .limit(PAGE as i32)
        .into_paginator()
        .send();
    let pages: Vec<_> = pages
        .try_collect()
        .await
        .map_err(|e| api_error("DescribeWorkspaceDirectories", e))?;
    Ok(pages
        .iter()
        .flat_map(|page| page.directories())
        .filter_map(|directory| directory.directory_id().map(str::to_owned))
        .collect())
}

async fn workspaces_in(client: &Client, directory: &str) -> Result<Vec<Workspace>, ApiError> {
    let pages: Vec<_> = client
        .describe_workspaces()
        .directory_id(directory)
        .limit(PAGE as i32)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| api_error("DescribeWorkspaces", e))?;
    Ok(pages
        .into_iter()
        .flat_map(|page| page.workspaces.unwrap_or_default())
        .collect())
}

/// DescribeWorkspaces for up to 25 ids. Ids it does not return are either not
/// yet visible (just created) or gone (terminated); the caller knows which.
pub async fn describe_workspaces_by_id(
    client: &Client,
    ids: &[String],
) -> Result<Vec<Workspace>, ApiError> {
    let output = client
        .describe_workspaces()
        .set_workspace_ids(Some(ids.to_vec()))
        .send()
        .await
        .map_err(|e| api_error("DescribeWorkspaces", e))?;
    Ok(output.workspaces.unwrap_or_default())
}

async fn with_tags(client: &Client, workspace: Workspace) -> Result<LiveWorkspace, ApiError> {
    let id = workspace.workspace_id().unwrap_or_default();
    let output = client
        .describe_tags()
        .resource_id(id)
        .send()
        .await
        .map_err(|e| api_error("DescribeTags", e))?;
    let tags = output
        .tag_list()
        .iter()
        .map(|tag| {
            (
                tag.key().to_owned(),
                tag.value().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    Ok(live_workspace(&workspace, tags))
}

pub(crate) fn live_workspace(
    workspace: &Workspace,
    tags: BTreeMap<String, String>,
) -> LiveWorkspace {
    let properties = workspace.workspace_properties();
    LiveWorkspace {
        id: workspace.workspace_id().unwrap_or_default().to_owned(),
        directory_id: workspace.directory_id().unwrap_or_default().to_owned(),
        user: workspace.user_name().unwrap_or_default().to_owned(),
        state: workspace
            .state()
            .map(|state| state.as_str().to_owned())
            .unwrap_or_default(),
        bundle_id: workspace.bundle_id().unwrap_or_default().to_owned(),
        compute_type: properties
            .and_then(|p| p.compute_type_name())
            .map(|c| c.as_str().to_owned()),
        running_mode: properties
            .and_then(|p| p.running_mode())
            .map(|m| m.as_str().to_owned()),
        auto_stop_timeout_minutes: properties
            .and_then(|p| p.running_mode_auto_stop_timeout_in_minutes()),
        root_volume_gib: properties.and_then(|p| p.root_volume_size_gib()),
        user_volume_gib: properties.and_then(|p| p.user_volume_size_gib()),
        root_volume_encryption: workspace.root_volume_encryption_enabled().unwrap_or(false),
        user_volume_encryption: workspace.user_volume_encryption_enabled().unwrap_or(false),
        volume_encryption_key: workspace.volume_encryption_key().map(str::to_owned),
        modifying: !workspace.modification_states().is_empty(),
        tags,
    }
}

async fn fetch_bundles(client: &Client) -> Result<Vec<LiveBundle>, ApiError> {
    let (amazon, own) =
        tokio::try_join!(bundles_of(client, Some("AMAZON")), bundles_of(client, None))?;
    Ok(amazon.into_iter().chain(own).collect())
}

async fn bundles_of(client: &Client, owner: Option<&str>) -> Result<Vec<LiveBundle>, ApiError> {
    let pages: Vec<_> = client
        .describe_workspace_bundles()
        .set_owner(owner.map(str::to_owned))
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| api_error("DescribeWorkspaceBundles", e))?;
    Ok(pages
        .iter()
        .flat_map(|page| page.bundles())
        .map(live_bundle)
        .collect())
}

fn live_bundle(bundle: &WorkspaceBundle) -> LiveBundle {
    let capacity = |text: Option<&str>| text.and_then(|t| t.parse().ok());
    LiveBundle {
        id: bundle.bundle_id().unwrap_or_default().to_owned(),
        name: bundle.name().unwrap_or_default().to_owned(),
        owner: bundle.owner().map(str::to_owned),
        compute_type: bundle
            .compute_type()
            .and_then(|c| c.name())
            .map(|c| c.as_str().to_owned()),
        root_volume_gib: capacity(bundle.root_storage().map(|s| s.capacity())),
        user_volume_gib: capacity(bundle.user_storage().map(|s| s.capacity())),
    }
}
