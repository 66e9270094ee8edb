//! Reading the WorkSpaces a plan needs: the stack's own, found through the
//! Tagging API and described 25 ids a call, and the ones the file names that
//! are not the stack's yet, looked up by user or by paging their directory,
//! whichever costs fewer calls. The per-resource way reads every WorkSpace
//! of every directory and its tags one at a time.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use futures::{StreamExt, TryStreamExt, stream};
use tokio::task::JoinSet;

use super::fetch::{PAGE, describe_workspaces_by_id, live_workspace, workspaces_in};
use super::scope::Scope;
use super::tags::{CONCURRENT_READS, Tagged, Tags, tags_of_each};
use super::{LiveState, LiveWorkspace, Owned, WorkspaceKey};
use crate::address::Kind;
use crate::aws::Aws;
use crate::aws::{ApiError, api_error};
use crate::states::WorkspaceState;

/// DescribeWorkspaces for every id handed over, 25 a call, each call started
/// as soon as its ids are known.
#[derive(Default)]
pub(super) struct Describer {
    calls: JoinSet<Result<Vec<LiveWorkspace>, ApiError>>,
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

    pub(super) async fn finish(mut self) -> Result<Vec<LiveWorkspace>, ApiError> {
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
    described: Vec<LiveWorkspace>,
) -> Result<Bulk, ApiError> {
    let mut workspaces: Vec<LiveWorkspace> = described
        .into_iter()
        .filter_map(|mut w| {
            w.tags = tagged.of(Kind::Workspace).get(&w.id)?.clone();
            Some(w)
        })
        .collect();
    let owned_keys: HashSet<WorkspaceKey> = workspaces.iter().map(LiveWorkspace::key).collect();
    let missing: Vec<&WorkspaceKey> = scope
        .workspaces
        .iter()
        .filter(|k| !owned_keys.contains(*k))
        .collect();
    let others = look_up(aws, &workspaces, &missing).await?;
    let tags = tags_of_each(aws, others.iter().map(|w| w.id.clone())).await?;
    let mut late = Vec::new();
    for mut found in others {
        found.tags = tags.get(&found.id).cloned().unwrap_or_default();
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

/// The live WorkSpaces of `missing` keys, per directory by user (one call
/// each) or by paging the directory (one call per 25 WorkSpaces in it),
/// whichever costs fewer calls. The directory's size is not known before
/// paging it, so the stack's WorkSpaces there plus the missing ones stand in
/// for it.
async fn look_up(
    aws: &Aws,
    owned: &[LiveWorkspace],
    missing: &[&WorkspaceKey],
) -> Result<Vec<LiveWorkspace>, ApiError> {
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
            let listed = workspaces_in(aws, directory).await?;
            let wanted: HashSet<WorkspaceKey> = by_directory[directory]
                .iter()
                .map(|user| WorkspaceKey::new(directory, user))
                .collect();
            Ok::<_, ApiError>(
                listed
                    .into_iter()
                    .filter(|w| wanted.contains(&WorkspaceKey::new(directory, &w.user)))
                    .collect::<Vec<_>>(),
            )
        })
        .buffer_unordered(CONCURRENT_READS);
    let by_user = stream::iter(users)
        .map(|(directory, user)| workspaces_of_user(aws, directory, user))
        .buffer_unordered(CONCURRENT_READS);
    let (paged, by_user): (Vec<Vec<LiveWorkspace>>, Vec<Vec<LiveWorkspace>>) =
        tokio::try_join!(paged.try_collect(), by_user.try_collect())?;
    Ok(paged.into_iter().chain(by_user).flatten().collect())
}

/// DescribeWorkspaces for one user of one directory (AWS matches the user
/// name without regard to case), their tags not read.
async fn workspaces_of_user(
    aws: &Aws,
    directory: &str,
    user: &str,
) -> Result<Vec<LiveWorkspace>, ApiError> {
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
    Ok(output.workspaces().iter().map(live_workspace).collect())
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
/// directories read concurrently; their tags are not read.
pub(super) async fn workspaces_of(
    aws: &Aws,
    directories: &[String],
) -> Result<Vec<LiveWorkspace>, ApiError> {
    let listed: Vec<Vec<LiveWorkspace>> = stream::iter(directories)
        .map(|directory| workspaces_in(aws, directory))
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
    let mut listed = workspaces_of(aws, directories).await?;
    let mut tags: HashMap<String, Tags> =
        tags_of_each(aws, listed.iter().map(|w| w.id.clone())).await?;
    for workspace in &mut listed {
        workspace.tags = tags.remove(&workspace.id).unwrap_or_default();
    }
    Ok(listed)
}

/// One WorkSpace by natural key, with its tags and snapshots: what a plan
/// about that WorkSpace alone (`wsctl restore`) reads. Terminating ones
/// are left out.
pub async fn fetch_one(aws: &Aws, key: &WorkspaceKey) -> Result<LiveState, ApiError> {
    let found: Vec<LiveWorkspace> = workspaces_of_user(aws, key.directory_id(), key.user())
        .await?
        .into_iter()
        .filter(|w| !w.is_terminating())
        .collect();
    let mut tags = tags_of_each(aws, found.iter().map(|w| w.id.clone())).await?;
    let mut live = LiveState::default();
    for mut workspace in found {
        workspace.tags = tags.remove(&workspace.id).unwrap_or_default();
        let snapshots = super::describe_snapshots(aws, &workspace.id).await?;
        live.snapshots.insert(workspace.id.clone(), snapshots);
        live.workspaces.push(workspace);
    }
    Ok(live)
}

/// The live WorkSpace of each of `keys`, terminating ones left out, their
/// tags not read: one paged DescribeWorkspaces per directory, what
/// `wsctl snapshots` reads.
pub async fn workspaces_by_key(
    aws: &Aws,
    keys: &[WorkspaceKey],
) -> Result<HashMap<WorkspaceKey, LiveWorkspace>, ApiError> {
    let wanted: HashSet<&WorkspaceKey> = keys.iter().collect();
    let directories: BTreeSet<&str> = keys.iter().map(WorkspaceKey::directory_id).collect();
    let mut found = HashMap::new();
    for directory in directories {
        for workspace in workspaces_in(aws, directory).await? {
            let key = WorkspaceKey::new(directory, &workspace.user);
            if wanted.contains(&key) && !workspace.is_terminating() {
                found.insert(key, workspace);
            }
        }
    }
    Ok(found)
}
