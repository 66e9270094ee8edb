//! Reading the whole account, as `wsctl import` needs it: every WorkSpace of
//! the registered directories (or of those asked for), paged 25 a call, with
//! all its tags; the account's own bundles and images with theirs, and whom
//! the images are shared with; AMAZON's bundles; every registered
//! directory with its settings, every IP group, every connection alias and
//! whom it is shared with, each with its tags; the BYOL setting. Tags come in bulk from the Tagging API, which
//! lists everything that has or had a tag; DescribeTags reads only what it
//! does not list (never tagged, or too new for its index).

use aws_sdk_workspaces::types::ImageType;
use futures::{StreamExt, TryStreamExt, stream};

use std::collections::{BTreeMap, BTreeSet};

use super::fetch::{PAGE, fetch_account, fetch_bundles, images_of};
use super::tags::{CONCURRENT_READS, Tagged, is_denied, tagged, tags_of_each};
use super::workspaces::workspaces_of;
use super::{
    LiveBundle, LiveConnectionAlias, LiveDirectory, LiveState, LiveWorkspace, Owned, environment,
    sharing,
};
use crate::aws::{ApiError, Aws};
use crate::directory_settings::Group;
use crate::spec::TagReads;
use crate::states::DirectoryState;

/// The account as `wsctl import` reads it.
#[derive(Debug, Default)]
pub struct Inventory {
    /// The WorkSpaces of the directories read, the account's own and
    /// AMAZON's bundles, the account's own images, directories, IP groups
    /// and connection aliases, the BYOL setting.
    pub live: LiveState,
    /// The account's id, where an ARN the Tagging API listed or an image of
    /// its own names it.
    pub account_id: Option<String>,
    /// The directories whose WorkSpaces were read, sorted.
    pub directories: Vec<String>,
    /// Directories asked for that are not registered in the region.
    pub unregistered: Vec<String>,
}

/// Reads every WorkSpace of `directories` (every registered directory when
/// empty), with its tags read as `tag_reads` says, and every directory, IP
/// group, connection alias and own image with its tags and sharing.
pub async fn inventory(
    aws: &Aws,
    directories: &[String],
    tag_reads: TagReads,
) -> Result<Inventory, ApiError> {
    let (
        (found, mut read, mut unregistered, listed),
        account,
        bundles,
        images,
        ip_groups,
        aliases,
        bulk,
    ) = tokio::try_join!(
        listing(aws, directories),
        fetch_account(aws),
        fetch_bundles(aws),
        images_of(aws, ImageType::Owned),
        crate::kinds::ip_group::read(aws, PAGE as i32),
        crate::kinds::connection_alias::read(aws, sharing::PAGE),
        bulk_tags(aws, tag_reads),
    )?;
    let (mut tagged, notes) = bulk;
    // An ARN names the account, else an image or an alias of its own does.
    let account_id = tagged
        .account_id
        .take()
        .or_else(|| images.iter().find_map(|i| i.owner_account_id.clone()))
        .or_else(|| aliases.iter().find_map(|a| a.owner_account_id.clone()));
    let unread = listed
        .iter()
        .map(|w| w.id.as_str())
        .chain(
            bundles
                .iter()
                .filter(|b| b.is_custom())
                .map(|b| b.id.as_str()),
        )
        .chain(images.iter().map(|i| i.id.as_str()))
        .chain(found.iter().map(|d| d.id.as_str()))
        .chain(ip_groups.iter().map(|g| g.id.as_str()))
        .chain(aliases.iter().map(|a| a.id.as_str()))
        .filter(|id| !tagged.lists(id))
        .map(str::to_owned);
    let mut read_one_by_one = tags_of_each(aws, unread.collect::<Vec<_>>()).await?;
    let mut tags_of = |id: &str| {
        read_one_by_one
            .remove(id)
            .or_else(|| tagged.take(id))
            .unwrap_or_default()
    };
    let mut workspaces = with_tags(listed, &mut tags_of);
    workspaces.sort_by(|a, b| a.id.cmp(&b.id));
    let (custom, amazon): (Vec<LiveBundle>, Vec<LiveBundle>) =
        bundles.into_iter().partition(LiveBundle::is_custom);
    let mut bundles = with_tags(custom, &mut tags_of);
    bundles.extend(amazon);
    bundles.sort_by(|a, b| a.id.cmp(&b.id));
    let mut images = with_tags(images, &mut tags_of);
    images.sort_by(|a, b| a.id.cmp(&b.id));
    let mut directories = with_tags(found, &mut tags_of);
    let ip_groups = with_tags(ip_groups, &mut tags_of);
    let aliases = with_tags(aliases, &mut tags_of);
    let registered: Vec<String> = directories
        .iter()
        .filter(|d| d.state == DirectoryState::Registered)
        .map(|d| d.id.clone())
        .collect();
    let (images, connection_aliases, mut clients) = tokio::try_join!(
        sharing::read_image_sharing(aws, images, |_| true),
        alias_sharing(aws, aliases),
        environment::client_settings(aws, &registered),
    )?;
    for directory in &mut directories {
        if let Some(client) = clients.remove(&directory.id) {
            directory.settings.insert(Group::Client, client);
        }
    }
    read.sort();
    unregistered.sort();
    Ok(Inventory {
        live: LiveState {
            account,
            workspaces,
            bundles,
            directories,
            ip_groups,
            images,
            connection_aliases,
            account_id: account_id.clone(),
            notes,
            ..LiveState::default()
        },
        account_id,
        directories: read,
        unregistered,
    })
}

/// Every directory; the registered ones of `directories` (every registered
/// one when empty) and the rest of them; and the WorkSpaces of the first.
async fn listing(
    aws: &Aws,
    directories: &[String],
) -> Result<
    (
        Vec<LiveDirectory>,
        Vec<String>,
        Vec<String>,
        Vec<LiveWorkspace>,
    ),
    ApiError,
> {
    let found = environment::directories(aws).await?;
    let registered = || found.iter().filter(|d| d.is_registered());
    let (read, unregistered): (Vec<String>, Vec<String>) = if directories.is_empty() {
        (registered().map(|d| d.id.clone()).collect(), Vec::new())
    } else {
        directories
            .iter()
            .cloned()
            .partition(|id| registered().any(|d| d.id == *id))
    };
    let listed = workspaces_of(aws, &read).await?;
    Ok((found, read, unregistered, listed))
}

/// `items`, each with the tags `tags_of` its id.
fn with_tags<T: Owned>(
    items: Vec<T>,
    tags_of: &mut impl FnMut(&str) -> BTreeMap<String, String>,
) -> Vec<T> {
    items
        .into_iter()
        .map(|mut item| {
            item.set_tags(tags_of(item.id()));
            item
        })
        .collect()
}

/// The accounts each alias not being deleted is shared with.
async fn alias_sharing(
    aws: &Aws,
    mut aliases: Vec<LiveConnectionAlias>,
) -> Result<Vec<LiveConnectionAlias>, ApiError> {
    let ids: Vec<Option<String>> = aliases
        .iter()
        .map(|a| (!a.is_deleting()).then(|| a.id.clone()))
        .collect();
    let shared: Vec<BTreeSet<String>> = stream::iter(ids)
        .map(|id| async move {
            match id {
                Some(id) => sharing::alias_permissions(aws, &id).await,
                None => Ok(BTreeSet::new()),
            }
        })
        .buffered(CONCURRENT_READS)
        .try_collect()
        .await?;
    for (alias, accounts) in aliases.iter_mut().zip(shared) {
        alias.shared_with = accounts;
    }
    Ok(aliases)
}

/// Every tagged resource's tags from the Tagging API; nothing (so that
/// DescribeTags reads each) when asked to read per resource or when IAM
/// refuses, which a note says.
async fn bulk_tags(aws: &Aws, tag_reads: TagReads) -> Result<(Tagged, Vec<String>), ApiError> {
    if tag_reads == TagReads::PerResource {
        return Ok((Tagged::default(), Vec::new()));
    }
    match tagged(aws, None, |_| {}).await {
        Ok(tagged) => Ok((tagged, Vec::new())),
        Err(error) if is_denied(&error) => Ok((
            Tagged::default(),
            vec![format!(
                "{error}; reading every resource's tags one at a time (allow tag:GetResources, or pass --tag-reads per-resource to say this is meant)"
            )],
        )),
        Err(error) => Err(error),
    }
}
