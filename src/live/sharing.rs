//! Connection aliases and who things are shared with: every alias of the
//! account (AWS allows 20, so one paged listing), their tags and
//! permissions, and the accounts the stack's images are shared with. Only
//! the stack's resources and those the file names cost a call of their own.

use std::collections::{BTreeSet, HashMap};

use futures::{StreamExt, TryStreamExt, stream};

use super::tags::{CONCURRENT_READS, Tags, tags_of_each};
use super::{LiveConnectionAlias, LiveImage, Owned};
use crate::aws::all_pages;
use crate::aws::{ApiError, Aws};
use crate::identity::AliasKey;
use crate::kinds::connection_alias;

/// DescribeConnectionAliases, DescribeConnectionAliasPermissions and
/// DescribeWorkspaceImagePermissions take `Limit`/`MaxResults` 1..25.
pub(super) const PAGE: i32 = 25;

/// The aliases that matter to the plan, with their tags and permissions:
/// those the Tagging API listed as the stack's, and those whose connection
/// string the file names (to adopt, or to refuse as another stack's). None
/// are listed when the file names none and the Tagging API lists none of
/// the stack's. Without the Tagging API (`tagged` None), every alias is
/// listed and its tags read one by one.
pub(super) async fn read_aliases(
    aws: &Aws,
    stack: &str,
    tagged: Option<&HashMap<String, Tags>>,
    named: &BTreeSet<AliasKey>,
) -> Result<Vec<LiveConnectionAlias>, ApiError> {
    if named.is_empty() && tagged.is_some_and(HashMap::is_empty) {
        return Ok(Vec::new());
    }
    let mut aliases = connection_alias::read(aws, PAGE).await?;
    let in_file = |a: &LiveConnectionAlias| named.contains(&AliasKey::new(&a.connection_string));
    let unread: Vec<String> = aliases
        .iter()
        .filter(|a| match tagged {
            None => true,
            Some(tagged) => in_file(a) && !tagged.contains_key(&a.id),
        })
        .map(|a| a.id.clone())
        .collect();
    let mut read = tags_of_each(aws, unread).await?;
    for alias in &mut aliases {
        if let Some(tags) = read
            .remove(&alias.id)
            .or_else(|| tagged.and_then(|t| t.get(&alias.id).cloned()))
        {
            alias.tags = tags;
        }
    }
    let wanted: Vec<usize> = aliases
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.is_deleting() && (a.stack() == Some(stack) || in_file(a)))
        .map(|(i, _)| i)
        .collect();
    let ids: Vec<String> = wanted.iter().map(|i| aliases[*i].id.clone()).collect();
    let shared: Vec<BTreeSet<String>> = stream::iter(ids)
        .map(|id| async move { alias_permissions(aws, &id).await })
        .buffered(CONCURRENT_READS)
        .try_collect()
        .await?;
    for (i, accounts) in wanted.into_iter().zip(shared) {
        aliases[i].shared_with = accounts;
    }
    Ok(aliases)
}

/// The accounts allowed to associate the alias.
pub(super) async fn alias_permissions(
    aws: &Aws,
    alias_id: &str,
) -> Result<BTreeSet<String>, ApiError> {
    let accounts = all_pages(
        aws,
        "DescribeConnectionAliasPermissions",
        |token| {
            aws.workspaces
                .describe_connection_alias_permissions()
                .alias_id(alias_id)
                .max_results(PAGE)
                .set_next_token(token)
                .send()
        },
        |page, accounts| {
            accounts.extend(
                page.connection_alias_permissions()
                    .iter()
                    .filter(|p| p.allow_association())
                    .map(|p| p.shared_account_id().to_owned()),
            );
            page.next_token().map(str::to_owned)
        },
    )
    .await?;
    Ok(accounts.into_iter().collect())
}

/// The accounts each image of `wanted` is shared with.
pub(super) async fn read_image_sharing(
    aws: &Aws,
    mut images: Vec<LiveImage>,
    wanted: impl Fn(&LiveImage) -> bool,
) -> Result<Vec<LiveImage>, ApiError> {
    let read: Vec<usize> = images
        .iter()
        .enumerate()
        .filter(|(_, image)| wanted(image))
        .map(|(i, _)| i)
        .collect();
    let ids: Vec<String> = read.iter().map(|i| images[*i].id.clone()).collect();
    let shared: Vec<BTreeSet<String>> = stream::iter(ids)
        .map(|id| async move { image_permissions(aws, &id).await })
        .buffered(CONCURRENT_READS)
        .try_collect()
        .await?;
    for (i, accounts) in read.into_iter().zip(shared) {
        images[i].shared_with = Some(accounts);
    }
    Ok(images)
}

/// DescribeWorkspaceImagePermissions has no SDK paginator: paged by hand.
async fn image_permissions(aws: &Aws, image_id: &str) -> Result<BTreeSet<String>, ApiError> {
    let accounts = all_pages(
        aws,
        "DescribeWorkspaceImagePermissions",
        |token| {
            aws.workspaces
                .describe_workspace_image_permissions()
                .image_id(image_id)
                .max_results(PAGE)
                .set_next_token(token)
                .send()
        },
        |page, accounts| {
            accounts.extend(
                page.image_permissions()
                    .iter()
                    .filter_map(|p| p.shared_account_id().map(str::to_owned)),
            );
            page.next_token().map(str::to_owned)
        },
    )
    .await?;
    Ok(accounts.into_iter().collect())
}
