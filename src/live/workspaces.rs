//! Reading the WorkSpaces a plan needs: the stack's own, found through the
//! Tagging API and described 25 ids a call, and the ones the file names that
//! are not the stack's yet, looked up by user or by paging their directory,
//! whichever costs fewer calls. The per-resource way reads every WorkSpace
//! of every directory and its tags one at a time.

use std::collections::{BTreeMap, HashMap, HashSet};

use aws_sdk_workspaces::types::Workspace;
use futures::{StreamExt, TryStreamExt, stream};
use tokio::task::JoinSet;

use super::fetch::{PAGE, describe_workspaces_by_id, live_workspace};
use super::scope::Scope;
use super::tags::{CONCURRENT_READS, Tagged, Tags, tags_of_each};
use super::{LiveState, LiveWorkspace, Owned, WorkspaceKey};
use crate::aws::Aws;
use crate::aws::{ApiError, api_error};
use crate::states::WorkspaceState;

/// DescribeWorkspaces for every id handed over, 25 a call, each call started
/// as soon as its ids are known.
#[derive(Default)]
pub(super) struct Describer {
    calls: JoinSet<Result<Vec<Workspace>, ApiError>>,
}

impl Describer {
    pub(super) fn describe(&mut self, aws: &Aws, ids: Vec<String>) {
        for chunk in ids.chunks(PAGE) {
            let (aws, chunk) = (aws.clone(), chunk.to_vec());
            self.calls.spawn(async move {
                aws.limit
                    .run(describe_workspaces_by_id(&aws.workspaces, &chunk))
                    .await
            });
        }
    }

    pub(super) async fn finish(mut self) -> Result<Vec<Workspace>, ApiError> {
        let mut found = Vec::new();
        while let Some(done) = self.calls.join_next().await {
            found.extend(done.map_err(|e| joined("DescribeWorkspaces", e))??);
        }
        Ok(found)
    }
}

fn joined(operation: &'static str, error: tokio::task::JoinError) -> ApiError {
    ApiError {
        operation,
        code: "Interrupted".to_owned(),
        message: error.to_string(),
    }
}

/// What the bulk read found, and whether it must be redone per resource.
pub(super) enum Bulk {
    Read(Vec<LiveWorkspace>),
    /// The Tagging API missed WorkSpaces that DescribeTags shows as the
    /// stack's, beyond the lag of a WorkSpace still being created: it cannot
    /// be trusted for this run.
    Disagrees(Vec<String>),
}

/// The stack's WorkSpaces (described from `owned`, the Tagging API's ids
/// with their tags) and the file's WorkSpaces that are not among them.
pub(super) async fn bulk(
    aws: &Aws,
    scope: &Scope<'_>,
    tagged: &Tagged,
    described: Vec<Workspace>,
) -> Result<Bulk, ApiError> {
    let mut workspaces: Vec<LiveWorkspace> = described
        .iter()
        .filter_map(|w| {
            let tags = tagged.workspaces.get(w.workspace_id()?)?;
            Some(live_workspace(w, tags.clone()))
        })
        .collect();
    let owned_keys: HashSet<WorkspaceKey> = workspaces.iter().map(LiveWorkspace::key).collect();
    let missing: Vec<&WorkspaceKey> = scope
        .workspaces
        .iter()
        .filter(|k| !owned_keys.contains(*k))
        .collect();
    let others = look_up(aws, &workspaces, &missing).await?;
    let tags = tags_of_each(aws, others.iter().filter_map(id)).await?;
    let mut late = Vec::new();
    for workspace in &others {
        let tags = id(workspace)
            .and_then(|id| tags.get(&id))
            .cloned()
            .unwrap_or_default();
        let found = live_workspace(workspace, tags);
        if found.stack() == Some(scope.stack.as_str()) && found.state != WorkspaceState::Pending {
            late.push(found.id.clone());
        }
        workspaces.push(found);
    }
    if !late.is_empty() {
        return Ok(Bulk::Disagrees(late));
    }
    confirm_deletions(aws, scope, &mut workspaces).await?;
    Ok(Bulk::Read(workspaces))
}

fn id(workspace: &Workspace) -> Option<String> {
    workspace.workspace_id().map(str::to_owned)
}

/// The live WorkSpaces of `missing` keys, per directory by user (one call
/// each) or by paging the directory (one call per 25 WorkSpaces in it),
/// whichever costs fewer calls. The directory's size is not known before
/// paging it, so the stack's WorkSpaces there plus the missing ones stand in
/// for it.
async fn look_up(
    aws: &Aws,
    owned: &[LiveWorkspace],
    missing: &[&WorkspaceKey],
) -> Result<Vec<Workspace>, ApiError> {
    let mut by_directory: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for key in missing {
        by_directory
            .entry(key.directory_id())
            .or_default()
            .push(key.user());
    }
    let mut owned_in: HashMap<&str, usize> = HashMap::new();
    for workspace in owned {
        *owned_in.entry(workspace.directory_id.as_str()).or_default() += 1;
    }
    let mut pages = Vec::new();
    let mut users = Vec::new();
    for (directory, wanted) in &by_directory {
        let known = owned_in.get(directory).copied().unwrap_or(0) + wanted.len();
        if known.div_ceil(PAGE) < wanted.len() {
            pages.push(*directory);
        } else {
            users.extend(wanted.iter().map(|user| (*directory, *user)));
        }
    }
    let by_directory = &by_directory;
    let paged = stream::iter(pages)
        .map(|directory| async move {
            let listed = super::workspaces_in(aws, directory).await?;
            let wanted: HashSet<WorkspaceKey> = by_directory[directory]
                .iter()
                .map(|user| WorkspaceKey::new(directory, user))
                .collect();
            Ok::<_, ApiError>(
                listed
                    .into_iter()
                    .filter(|w| {
                        w.user_name()
                            .is_some_and(|u| wanted.contains(&WorkspaceKey::new(directory, u)))
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .buffer_unordered(CONCURRENT_READS);
    let by_user = stream::iter(users)
        .map(|(directory, user)| workspaces_of_user(aws, directory, user))
        .buffer_unordered(CONCURRENT_READS);
    let (paged, by_user): (Vec<Vec<Workspace>>, Vec<Vec<Workspace>>) =
        tokio::try_join!(paged.try_collect(), by_user.try_collect())?;
    Ok(paged.into_iter().chain(by_user).flatten().collect())
}

/// DescribeWorkspaces for one user of one directory (AWS matches the user
/// name without regard to case).
async fn workspaces_of_user(
    aws: &Aws,
    directory: &str,
    user: &str,
) -> Result<Vec<Workspace>, ApiError> {
    let call = aws
        .workspaces
        .describe_workspaces()
        .directory_id(directory)
        .user_name(user)
        .send();
    let output = aws
        .limit
        .run(call)
        .await
        .map_err(|e| api_error("DescribeWorkspaces", e))?;
    Ok(output.workspaces.unwrap_or_default())
}

/// The Tagging API may still list a WorkSpace whose stack tag was removed a
/// moment ago; a WorkSpace the plan would terminate has its tags read again
/// with DescribeTags, so letting go of one is never undone by a delete.
async fn confirm_deletions(
    aws: &Aws,
    scope: &Scope<'_>,
    workspaces: &mut [LiveWorkspace],
) -> Result<(), ApiError> {
    let Some(fleet) = scope.fleet else {
        return Ok(());
    };
    let names: HashSet<&str> = fleet.workspaces.iter().map(|w| w.name.as_str()).collect();
    let leaving: Vec<String> = workspaces
        .iter()
        .filter(|w| w.stack() == Some(scope.stack.as_str()) && !w.is_terminating())
        .filter(|w| !w.name_tag().is_some_and(|n| names.contains(n)))
        .filter(|w| !scope.workspaces.contains(&w.key()))
        .map(|w| w.id.clone())
        .collect();
    let mut confirmed = tags_of_each(aws, leaving).await?;
    for workspace in workspaces.iter_mut() {
        if let Some(tags) = confirmed.remove(&workspace.id) {
            workspace.tags = tags;
        }
    }
    Ok(())
}

/// Every WorkSpace of `directories`, each directory paged 25 a call, the
/// directories read concurrently.
pub(super) async fn workspaces_of(
    aws: &Aws,
    directories: &[String],
) -> Result<Vec<Workspace>, ApiError> {
    let listed: Vec<Vec<Workspace>> = stream::iter(directories)
        .map(|directory| super::workspaces_in(aws, directory))
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await?;
    Ok(listed.into_iter().flatten().collect())
}

/// Every WorkSpace of every registered directory (`directories`, so
/// WorkSpaces this stack owns in a directory the file no longer names are
/// still found), each with its tags read by DescribeTags.
pub(super) async fn per_resource(
    aws: &Aws,
    directories: &[String],
) -> Result<Vec<LiveWorkspace>, ApiError> {
    let listed = workspaces_of(aws, directories).await?;
    let mut tags: HashMap<String, Tags> = tags_of_each(aws, listed.iter().filter_map(id)).await?;
    Ok(listed
        .iter()
        .map(|w| {
            let tags = id(w).and_then(|id| tags.remove(&id)).unwrap_or_default();
            live_workspace(w, tags)
        })
        .collect())
}

/// One WorkSpace by natural key, with its tags and snapshots: what a plan
/// about that WorkSpace alone (`wsctl restore`) reads. Terminating ones
/// are left out.
pub async fn fetch_one(aws: &Aws, key: &WorkspaceKey) -> Result<LiveState, ApiError> {
    let found: Vec<Workspace> = workspaces_of_user(aws, key.directory_id(), key.user())
        .await?
        .into_iter()
        .filter(|w| {
            w.state()
                .is_none_or(|s| !WorkspaceState::from(s).is_terminating())
        })
        .collect();
    let mut tags = tags_of_each(aws, found.iter().filter_map(id)).await?;
    let mut live = LiveState::default();
    for workspace in &found {
        let tags = id(workspace)
            .and_then(|id| tags.remove(&id))
            .unwrap_or_default();
        let workspace = live_workspace(workspace, tags);
        let snapshots = aws
            .limit
            .run(super::describe_snapshots(&aws.workspaces, &workspace.id))
            .await?;
        live.snapshots.insert(workspace.id.clone(), snapshots);
        live.workspaces.push(workspace);
    }
    Ok(live)
}
