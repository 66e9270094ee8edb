//! Reading the account through `aws-sdk-workspaces`: paged, 25 a call,
//! one pagination chain per directory, tags fetched concurrently.

use std::collections::BTreeMap;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{ImageType, Workspace, WorkspaceBundle, WorkspaceImage};
use futures::{StreamExt, TryStreamExt, stream};

use super::{CidrOffer, LiveAccount, LiveBundle, LiveImage, LiveState, LiveWorkspace};
use crate::error::{ApiError, api_error};
use crate::spec::Fleet;

/// DescribeWorkspaces and DescribeWorkspaces' `WorkspaceIds` take at most 25.
pub const PAGE: usize = 25;
/// DescribeTags calls in flight at once.
const TAG_CONCURRENCY: usize = 16;

/// DescribeWorkspaceImages takes `MaxResults` 1..25.
const IMAGE_PAGE: i32 = 25;
/// ListAvailableManagementCidrRanges takes `MaxResults` 1..5.
const CIDR_PAGE: i32 = 5;
/// Enough alternatives for an error message.
const CIDR_ALTERNATIVES: usize = 20;

/// Everything the planner reads: the account, every WorkSpace in every
/// registered directory with its tags, AMAZON and own bundles, own images.
/// `fleet`, when planning, says which management range to check the offer of.
pub async fn fetch(client: &Client, fleet: Option<&Fleet>) -> Result<LiveState, ApiError> {
    let (account, workspaces, bundles, (images, shared_images)) = tokio::try_join!(
        fetch_account(client),
        fetch_workspaces(client),
        fetch_bundles(client),
        fetch_images(client),
    )?;
    let cidr_offer = match fleet.and_then(|f| f.account.as_ref()) {
        Some(wanted) if wanted.byol && !account.byol && account.pending_cidr.is_none() => {
            match wanted.management_cidr.as_deref() {
                Some(cidr) => Some(cidr_offer(client, cidr).await?),
                None => None,
            }
        }
        _ => None,
    };
    let healable = fleet
        .map(|f| super::snapshots::healable(f, &workspaces))
        .unwrap_or_default();
    let snapshots = stream::iter(healable)
        .map(|id| async move {
            let found = super::describe_snapshots(client, id).await?;
            Ok::<_, ApiError>((id.to_owned(), found))
        })
        .buffered(TAG_CONCURRENCY)
        .try_collect()
        .await?;
    Ok(LiveState {
        account,
        workspaces,
        bundles,
        images,
        shared_images,
        cidr_offer,
        snapshots,
    })
}

async fn fetch_account(client: &Client) -> Result<LiveAccount, ApiError> {
    let account = client
        .describe_account()
        .send()
        .await
        .map_err(|e| api_error("DescribeAccount", e))?;
    // The newest modification comes first; only a PENDING one matters here.
    let modifications = client
        .describe_account_modifications()
        .send()
        .await
        .map_err(|e| api_error("DescribeAccountModifications", e))?;
    let pending_cidr = modifications
        .account_modifications()
        .iter()
        .find(|m| {
            m.modification_state()
                .is_some_and(|s| s.as_str() == "PENDING")
        })
        .and_then(|m| {
            m.dedicated_tenancy_management_cidr_range()
                .map(str::to_owned)
        });
    Ok(LiveAccount {
        byol: account
            .dedicated_tenancy_support()
            .is_some_and(|s| s.as_str() == "ENABLED"),
        management_cidr: account
            .dedicated_tenancy_management_cidr_range()
            .map(str::to_owned),
        pending_cidr,
    })
}

/// Is `cidr` offered? If not, which ranges in its /8 are.
async fn cidr_offer(client: &Client, cidr: &str) -> Result<CidrOffer, ApiError> {
    let offered = cidr_ranges(client, cidr, 1)
        .await?
        .iter()
        .any(|r| r == cidr);
    let alternatives = if offered {
        Vec::new()
    } else {
        let first_octet = cidr.split('.').next().unwrap_or("10");
        cidr_ranges(client, &format!("{first_octet}.0.0.0/8"), CIDR_ALTERNATIVES).await?
    };
    Ok(CidrOffer {
        requested: cidr.to_owned(),
        offered,
        alternatives,
    })
}

/// ListAvailableManagementCidrRanges has no SDK paginator: paged by hand.
async fn cidr_ranges(
    client: &Client,
    constraint: &str,
    at_most: usize,
) -> Result<Vec<String>, ApiError> {
    let mut ranges = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_available_management_cidr_ranges()
            .management_cidr_range_constraint(constraint)
            .max_results(CIDR_PAGE)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| api_error("ListAvailableManagementCidrRanges", e))?;
        ranges.extend(page.management_cidr_ranges().iter().cloned());
        token = page.next_token().map(str::to_owned);
        if token.is_none() || ranges.len() >= at_most {
            return Ok(ranges);
        }
    }
}

/// The account's own images with their tags, and the images shared with it
/// (another account's: their tags are not ours to read).
async fn fetch_images(client: &Client) -> Result<(Vec<LiveImage>, Vec<LiveImage>), ApiError> {
    let (owned, shared) = tokio::try_join!(
        images_of(client, ImageType::Owned),
        images_of(client, ImageType::Shared)
    )?;
    let owned = stream::iter(owned)
        .map(|mut image| async move {
            image.tags = tags_of(client, &image.id).await?;
            Ok(image)
        })
        .buffered(TAG_CONCURRENCY)
        .try_collect()
        .await?;
    Ok((owned, shared))
}

/// DescribeWorkspaceImages has no SDK paginator: paged by hand.
async fn images_of(client: &Client, kind: ImageType) -> Result<Vec<LiveImage>, ApiError> {
    let mut images = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .describe_workspace_images()
            .image_type(kind.clone())
            .max_results(IMAGE_PAGE)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| api_error("DescribeWorkspaceImages", e))?;
        images.extend(page.images().iter().map(live_image));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(images);
        }
    }
}

pub(crate) fn live_image(image: &WorkspaceImage) -> LiveImage {
    let updates = image.updates();
    LiveImage {
        id: image.image_id().unwrap_or_default().to_owned(),
        name: image.name().unwrap_or_default().to_owned(),
        description: image.description().map(str::to_owned),
        state: image
            .state()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        created: image.created().map(|t| t.as_secs_f64()).unwrap_or_default(),
        update_available: updates.and_then(|u| u.update_available()).unwrap_or(false),
        update_description: updates.and_then(|u| u.description()).map(str::to_owned),
        tags: BTreeMap::new(),
    }
}

async fn tags_of(client: &Client, id: &str) -> Result<BTreeMap<String, String>, ApiError> {
    let output = client
        .describe_tags()
        .resource_id(id)
        .send()
        .await
        .map_err(|e| api_error("DescribeTags", e))?;
    Ok(output
        .tag_list()
        .iter()
        .map(|tag| {
            (
                tag.key().to_owned(),
                tag.value().unwrap_or_default().to_owned(),
            )
        })
        .collect())
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

/// Every WorkSpace in one directory, 25 a page.
pub async fn workspaces_in(client: &Client, directory: &str) -> Result<Vec<Workspace>, ApiError> {
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
    let own: Vec<LiveBundle> = stream::iter(own)
        .map(|mut bundle| async move {
            bundle.tags = tags_of(client, &bundle.id).await?;
            Ok::<_, ApiError>(bundle)
        })
        .buffered(TAG_CONCURRENCY)
        .try_collect()
        .await?;
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
        description: bundle.description().map(str::to_owned),
        image_id: bundle.image_id().map(str::to_owned),
        compute_type: bundle
            .compute_type()
            .and_then(|c| c.name())
            .map(|c| c.as_str().to_owned()),
        root_volume_gib: capacity(bundle.root_storage().map(|s| s.capacity())),
        user_volume_gib: capacity(bundle.user_storage().map(|s| s.capacity())),
        tags: BTreeMap::new(),
    }
}
