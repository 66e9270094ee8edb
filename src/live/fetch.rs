//! Reading the account through `aws-sdk-workspaces` and the Resource Groups
//! Tagging API: the stack's resources in bulk, bundles and images paged,
//! every call within the run's call limit.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    DedicatedTenancyModificationStateEnum, ImageType, Workspace, WorkspaceBundle, WorkspaceImage,
};
use futures::{StreamExt, TryStreamExt, stream};

use super::environment;
use super::scope::Scope;
use super::sharing;
use super::tags::{CONCURRENT_READS, Tagged, Tags, is_denied, tagged, tags_of_each};
use super::workspaces::{Bulk, Describer, bulk, per_resource};
use super::{
    CidrOffer, LiveAccount, LiveBundle, LiveDirectory, LiveImage, LiveIpGroup, LiveState,
    LiveWorkspace, Owned as _, Snapshots,
};
use crate::address::Kind;
use crate::aws::Aws;
use crate::aws::all_pages;
use crate::aws::{ApiError, api_error};
use crate::directory_settings::{Group, Tenancy};
use crate::spec::TagReads;
use crate::states::{self, ImageState};
use crate::workspace_properties::WorkspaceProperties;

/// DescribeWorkspaces and DescribeWorkspaces' `WorkspaceIds` take at most 25.
pub const PAGE: usize = 25;

/// DescribeWorkspaceImages takes `MaxResults` 1..25.
const IMAGE_PAGE: i32 = 25;
/// ListAvailableManagementCidrRanges takes `MaxResults` 1..5.
const CIDR_PAGE: i32 = 5;
/// Enough alternatives for an error message.
const CIDR_ALTERNATIVES: usize = 20;

/// Everything the planner reads: the account, the WorkSpaces of `scope`
/// with their tags, AMAZON and own bundles, own and shared images.
pub async fn fetch(aws: &Aws, scope: &Scope<'_>) -> Result<LiveState, ApiError> {
    let (account, bundles, images, shared_images, owned, kms_keys) = tokio::try_join!(
        fetch_account(aws),
        fetch_bundles(aws),
        images_of(aws, ImageType::Owned),
        images_of(aws, ImageType::Shared),
        read_owned(aws, scope),
        super::kms::resolve_keys(aws, &scope.kms_keys),
    )?;
    let mut notes = Vec::new();
    let (workspaces, tagged, listed) = owned_workspaces(aws, scope, owned, &mut notes).await?;
    // With the Tagging API's answer, a file and a stack without directories
    // or IP groups cost no DescribeWorkspaceDirectories.
    let directories = match listed {
        Some(listed) => listed,
        None if needs_directories(scope, tagged.as_ref()) => environment::directories(aws).await?,
        None => Vec::new(),
    };
    let bundles = with_tags(
        aws,
        bundles,
        tagged.as_ref().map(|t| t.of(Kind::Bundle)),
        |b| b.is_custom().then(|| scope.bundles.contains(&b.name)),
    );
    let images = with_tags(
        aws,
        images,
        tagged.as_ref().map(|t| t.of(Kind::Image)),
        |i| Some(scope.images.contains(&i.name)),
    );
    let aliases = sharing::read_aliases(
        aws,
        &scope.stack,
        tagged.as_ref().map(|t| t.of(Kind::ConnectionAlias)),
        &scope.connection_strings,
    );
    let (mut bundles, images, connection_aliases) = tokio::try_join!(bundles, images, aliases)?;
    let images = sharing::read_image_sharing(aws, images, |i| {
        i.stack() == Some(scope.stack.as_str()) || scope.shared_images.contains(&i.name)
    })
    .await?;
    let account_id = connection_aliases
        .iter()
        .find_map(|a| a.owner_account_id.clone())
        .or_else(|| tagged.as_ref().and_then(|t| t.account_id.clone()));
    bundles.sort_by(|a, b| a.id.cmp(&b.id));
    let (directories, ip_groups) = environment_of(aws, scope, tagged.as_ref(), directories).await?;
    let cidr_offer = match scope.fleet.and_then(|f| f.account.as_ref()) {
        Some(wanted) if wanted.byol && !account.byol && account.pending_cidr.is_none() => {
            match wanted.management_cidr.as_deref() {
                Some(cidr) => Some(cidr_offer(aws, cidr).await?),
                None => None,
            }
        }
        _ => None,
    };
    let mut workspaces = workspaces;
    workspaces.sort_by(|a, b| a.id.cmp(&b.id));
    let snapshots = snapshots_of(aws, scope, &workspaces).await?;
    Ok(LiveState {
        account,
        workspaces,
        bundles,
        directories,
        ip_groups,
        images,
        shared_images,
        connection_aliases,
        account_id,
        cidr_offer,
        snapshots,
        kms_keys,
        notes,
    })
}

/// The stack's WorkSpaces, the Tagging API's answer (when it was used) and
/// the directories (when read one at a time).
type OwnedRead = (
    Vec<LiveWorkspace>,
    Option<Tagged>,
    Option<Vec<LiveDirectory>>,
);

/// The WorkSpaces of the stack with their tags, as `owned` says to read
/// them: in bulk through the Tagging API's answer, or one at a time when it
/// is denied, disagrees with DescribeWorkspaces or is not wanted (a `note:`
/// says which). Also the Tagging API's answer and, read one at a time, the
/// directories.
async fn owned_workspaces(
    aws: &Aws,
    scope: &Scope<'_>,
    owned: Owned,
    notes: &mut Vec<String>,
) -> Result<OwnedRead, ApiError> {
    Ok(match owned {
        Owned::Bulk { tagged, described } => match bulk(aws, scope, &tagged, described).await? {
            Bulk::Read(workspaces) => (workspaces, Some(*tagged), None),
            Bulk::Disagrees(late) => {
                notes.push(format!(
                "the Resource Groups Tagging API does not list {} WorkSpace(s) tagged wsctl:stack = {} (e.g. {}); reading every WorkSpace's tags one at a time for this run",
                late.len(),
                scope.stack,
                late[0]
            ));
                every_workspace(aws).await?
            }
        },
        Owned::Denied(error) => {
            notes.push(format!(
            "{error}; reading every WorkSpace's tags one at a time for this run (allow tag:GetResources, or set `tag_reads = \"per-resource\"` in [settings] to say this is meant)"
        ));
            every_workspace(aws).await?
        }
        Owned::PerResource => every_workspace(aws).await?,
    })
}

/// The snapshots of each WorkSpace of the file that its `heal` may restore.
async fn snapshots_of(
    aws: &Aws,
    scope: &Scope<'_>,
    workspaces: &[LiveWorkspace],
) -> Result<BTreeMap<String, Snapshots>, ApiError> {
    let healable = scope
        .fleet
        .map(|f| super::snapshots::healable(f, workspaces))
        .unwrap_or_default();
    stream::iter(healable)
        .map(|id| async move {
            let found = super::describe_snapshots(aws, id).await?;
            Ok::<_, ApiError>((id.to_owned(), found))
        })
        .buffered(CONCURRENT_READS)
        .try_collect()
        .await
}

/// Every registered directory, and every WorkSpace in them with its tags
/// read one at a time: what per-resource reads see.
async fn every_workspace(aws: &Aws) -> Result<OwnedRead, ApiError> {
    let directories = environment::directories(aws).await?;
    let ids: Vec<String> = directories.iter().map(|d| d.id.clone()).collect();
    let workspaces = per_resource(aws, &ids).await?;
    Ok((workspaces, None, Some(directories)))
}

/// Whether the plan reads registered directories: the file registers some
/// or names IP groups, or the stack owns directories or IP groups.
fn needs_directories(scope: &Scope<'_>, tagged: Option<&Tagged>) -> bool {
    !scope.directories.is_empty()
        || scope.needs_ip_groups
        || tagged
            .is_none_or(|t| !t.of(Kind::Directory).is_empty() || !t.of(Kind::IpGroup).is_empty())
}

/// Directories with their tags and the client settings the file manages,
/// and IP groups with their tags when the file or the stack has any: with
/// the Tagging API's answer, a directory-less, group-less file and stack
/// cost no DescribeIpGroups.
async fn environment_of(
    aws: &Aws,
    scope: &Scope<'_>,
    tagged: Option<&Tagged>,
    directories: Vec<LiveDirectory>,
) -> Result<(Vec<LiveDirectory>, Vec<LiveIpGroup>), ApiError> {
    let read_groups =
        scope.needs_ip_groups || tagged.is_none_or(|t| !t.of(Kind::IpGroup).is_empty());
    let ip_groups = match read_groups {
        true => crate::kinds::ip_group::read(aws, PAGE as i32).await?,
        false => Vec::new(),
    };
    let directories = with_tags(
        aws,
        directories,
        tagged.map(|t| t.of(Kind::Directory)),
        |d| Some(scope.directories.contains(&d.id)),
    );
    let ip_groups = with_tags(aws, ip_groups, tagged.map(|t| t.of(Kind::IpGroup)), |g| {
        Some(scope.ip_groups.contains(&g.name))
    });
    let (mut directories, ip_groups) = tokio::try_join!(directories, ip_groups)?;
    let client_managed: Vec<String> = scope
        .fleet
        .iter()
        .flat_map(|f| &f.directories)
        .filter(|d| d.settings.contains_key(&Group::Client))
        .filter(|d| {
            directories
                .iter()
                .any(|l| l.id == d.directory_id && l.is_registered())
        })
        .map(|d| d.directory_id.clone())
        .collect();
    if !client_managed.is_empty() {
        let mut clients = environment::client_settings(aws, &client_managed).await?;
        for directory in &mut directories {
            if let Some(client) = clients.remove(&directory.id) {
                directory.settings.insert(Group::Client, client);
            }
        }
    }
    Ok((directories, ip_groups))
}

/// How the stack's WorkSpaces were found.
enum Owned {
    /// Listed by the Tagging API and described by id.
    Bulk {
        tagged: Box<Tagged>,
        described: Vec<LiveWorkspace>,
    },
    /// IAM refused the Tagging API.
    Denied(ApiError),
    /// Asked for: every WorkSpace and its tags, one at a time.
    PerResource,
}

async fn read_owned(aws: &Aws, scope: &Scope<'_>) -> Result<Owned, ApiError> {
    if scope.tag_reads == TagReads::PerResource {
        return Ok(Owned::PerResource);
    }
    let mut describer = Describer::default();
    match tagged(aws, Some(&scope.stack), |ids| describer.describe(aws, ids)).await {
        Ok(tagged) => Ok(Owned::Bulk {
            tagged: Box::new(tagged),
            described: describer.finish().await?,
        }),
        Err(error) if is_denied(&error) => Ok(Owned::Denied(error)),
        Err(error) => Err(error),
    }
}

/// Tags for the account's own bundles or images: the Tagging API's for the
/// stack's, DescribeTags for the others the file names (to adopt, or to
/// refuse as another stack's), none for the rest. Without the Tagging API,
/// DescribeTags for every one.
async fn with_tags<T: crate::identity::Owned>(
    aws: &Aws,
    mut items: Vec<T>,
    tagged: Option<&HashMap<String, Tags>>,
    named: impl Fn(&T) -> Option<bool>,
) -> Result<Vec<T>, ApiError> {
    // `named`: None for what has no tags of the account's (AMAZON's
    // bundles), else whether the file names it.
    let unread: Vec<String> = items
        .iter()
        .filter(|item| match (tagged, named(item)) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(tagged), Some(named)) => named && !tagged.contains_key(item.id()),
        })
        .map(|item| item.id().to_owned())
        .collect();
    let mut read = tags_of_each(aws, unread).await?;
    for item in &mut items {
        let tags = read
            .remove(item.id())
            .or_else(|| tagged.and_then(|t| t.get(item.id()).cloned()));
        if let Some(tags) = tags {
            item.set_tags(tags);
        }
    }
    Ok(items)
}

pub(super) async fn fetch_account(aws: &Aws) -> Result<LiveAccount, ApiError> {
    let account = aws
        .limit
        .run(aws.workspaces.describe_account().send())
        .await
        .map_err(|e| api_error("DescribeAccount", e))?;
    // The newest modification comes first; only a PENDING one matters here.
    let modifications = aws
        .limit
        .run(aws.workspaces.describe_account_modifications().send())
        .await
        .map_err(|e| api_error("DescribeAccountModifications", e))?;
    let pending_cidr = modifications
        .account_modifications()
        .iter()
        .find(|m| {
            m.modification_state()
                .is_some_and(|s| *s == DedicatedTenancyModificationStateEnum::Pending)
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
async fn cidr_offer(aws: &Aws, cidr: &str) -> Result<CidrOffer, ApiError> {
    let offered = cidr_ranges(aws, cidr, 1).await?.iter().any(|r| r == cidr);
    let alternatives = if offered {
        Vec::new()
    } else {
        let first_octet = cidr.split('.').next().unwrap_or("10");
        cidr_ranges(aws, &format!("{first_octet}.0.0.0/8"), CIDR_ALTERNATIVES).await?
    };
    Ok(CidrOffer {
        requested: cidr.to_owned(),
        offered,
        alternatives,
    })
}

/// ListAvailableManagementCidrRanges has no SDK paginator: paged by hand.
async fn cidr_ranges(aws: &Aws, constraint: &str, at_most: usize) -> Result<Vec<String>, ApiError> {
    all_pages(
        aws,
        "ListAvailableManagementCidrRanges",
        |token| {
            aws.workspaces
                .list_available_management_cidr_ranges()
                .management_cidr_range_constraint(constraint)
                .max_results(CIDR_PAGE)
                .set_next_token(token)
                .send()
        },
        |page, ranges| {
            ranges.extend(page.management_cidr_ranges().iter().cloned());
            page.next_token()
                .filter(|_| ranges.len() < at_most)
                .map(str::to_owned)
        },
    )
    .await
}

/// DescribeWorkspaceImages has no SDK paginator: paged by hand.
pub(super) async fn images_of(aws: &Aws, kind: ImageType) -> Result<Vec<LiveImage>, ApiError> {
    all_pages(
        aws,
        "DescribeWorkspaceImages",
        |token| {
            aws.workspaces
                .describe_workspace_images()
                .image_type(kind.clone())
                .max_results(IMAGE_PAGE)
                .set_next_token(token)
                .send()
        },
        |page, images| {
            images.extend(page.images().iter().map(live_image));
            page.next_token().map(str::to_owned)
        },
    )
    .await
}

pub(crate) fn live_image(image: &WorkspaceImage) -> LiveImage {
    let updates = image.updates();
    LiveImage {
        id: image.image_id().unwrap_or_default().to_owned(),
        name: image.name().unwrap_or_default().to_owned(),
        description: image.description().map(str::to_owned),
        state: image.state().map(ImageState::from).unwrap_or_default(),
        created: image.created().map(|t| t.as_secs_f64()).unwrap_or_default(),
        update_available: updates.and_then(|u| u.update_available()).unwrap_or(false),
        update_description: updates.and_then(|u| u.description()).map(str::to_owned),
        tags: BTreeMap::new(),
        owner_account_id: image.owner_account_id().map(str::to_owned),
        shared_with: None,
        operating_system: image
            .operating_system()
            .and_then(|os| os.r#type())
            .map(|t| t.as_str().to_owned()),
        required_tenancy: image
            .required_tenancy()
            .map(|t| Tenancy::from(t.as_str().to_owned())),
    }
}

/// Every WorkSpace in one directory, 25 a page, each page within the
/// run's call limit; their tags are not read.
pub(super) async fn workspaces_in(
    aws: &Aws,
    directory: &str,
) -> Result<Vec<LiveWorkspace>, ApiError> {
    all_pages(
        aws,
        "DescribeWorkspaces",
        |token| {
            aws.workspaces
                .describe_workspaces()
                .directory_id(directory)
                .limit(PAGE as i32)
                .set_next_token(token)
                .send()
        },
        |page: &aws_sdk_workspaces::operation::describe_workspaces::DescribeWorkspacesOutput,
         found: &mut Vec<LiveWorkspace>| {
            found.extend(page.workspaces().iter().map(live_workspace));
            page.next_token().map(str::to_owned)
        },
    )
    .await
}

/// DescribeWorkspaces for up to 25 ids, their tags not read. Ids it does not
/// return are either not yet visible (just created) or gone (terminated);
/// the caller knows which.
pub async fn describe_workspaces_by_id(
    client: &Client,
    ids: &[String],
) -> Result<Vec<LiveWorkspace>, ApiError> {
    let output = client
        .describe_workspaces()
        .set_workspace_ids(Some(ids.to_vec()))
        .send()
        .await
        .map_err(|e| api_error("DescribeWorkspaces", e))?;
    Ok(output.workspaces().iter().map(live_workspace).collect())
}

/// A described WorkSpace as plain data, without its tags (DescribeWorkspaces
/// does not return them).
pub(super) fn live_workspace(workspace: &Workspace) -> LiveWorkspace {
    LiveWorkspace {
        id: workspace.workspace_id().unwrap_or_default().to_owned(),
        directory_id: workspace.directory_id().unwrap_or_default().to_owned(),
        user: workspace.user_name().unwrap_or_default().to_owned(),
        state: workspace
            .state()
            .map(states::WorkspaceState::from)
            .unwrap_or_default(),
        bundle_id: workspace.bundle_id().unwrap_or_default().to_owned(),
        properties: WorkspaceProperties::read(workspace),
        modifying: !workspace.modification_states().is_empty(),
        tags: BTreeMap::new(),
        error_code: workspace.error_code().map(str::to_owned),
        error_message: workspace.error_message().map(str::to_owned),
    }
}

pub(super) async fn fetch_bundles(aws: &Aws) -> Result<Vec<LiveBundle>, ApiError> {
    let (amazon, own) = tokio::try_join!(bundles_of(aws, Some("AMAZON")), bundles_of(aws, None))?;
    Ok(amazon.into_iter().chain(own).collect())
}

async fn bundles_of(aws: &Aws, owner: Option<&str>) -> Result<Vec<LiveBundle>, ApiError> {
    all_pages(
        aws,
        "DescribeWorkspaceBundles",
        |token| {
            aws.workspaces
                .describe_workspace_bundles()
                .set_owner(owner.map(str::to_owned))
                .set_next_token(token)
                .send()
        },
        |page: &aws_sdk_workspaces::operation::describe_workspace_bundles::DescribeWorkspaceBundlesOutput,
         found: &mut Vec<LiveBundle>| {
            found.extend(page.bundles().iter().map(live_bundle));
            page.next_token().map(str::to_owned)
        },
    )
    .await
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

#[cfg(test)]
mod tests {
    use aws_sdk_workspaces::types::builders::WorkspaceBuilder;
    use aws_sdk_workspaces::types::{
        Compute, ModificationResourceEnum, ModificationState, ModificationStateEnum, RunningMode,
        WorkspaceProperties as SdkProperties, WorkspaceState,
    };

    use super::*;
    use crate::spec;

    fn described() -> WorkspaceBuilder {
        Workspace::builder()
            .workspace_id("ws-alice0001")
            .directory_id("d-1234567890")
            .user_name("Alice")
            .state(WorkspaceState::Available)
            .bundle_id("wsb-std000001")
            .workspace_properties(
                SdkProperties::builder()
                    .compute_type_name(Compute::Power)
                    .running_mode(RunningMode::AutoStop)
                    .running_mode_auto_stop_timeout_in_minutes(120)
                    .root_volume_size_gib(175)
                    .user_volume_size_gib(100)
                    .build(),
            )
            .user_volume_encryption_enabled(true)
            .volume_encryption_key("alias/workspaces")
    }

    #[test]
    fn a_described_workspace_reads_as_its_properties() {
        let live = live_workspace(&described().build());
        assert_eq!(
            live,
            LiveWorkspace {
                id: "ws-alice0001".to_owned(),
                directory_id: "d-1234567890".to_owned(),
                user: "Alice".to_owned(),
                state: states::WorkspaceState::Available,
                bundle_id: "wsb-std000001".to_owned(),
                properties: WorkspaceProperties {
                    compute_type: Some("POWER".to_owned()),
                    running_mode: Some(spec::RunningMode::AutoStop),
                    auto_stop_timeout_minutes: Some(120),
                    root_volume_gib: Some(175),
                    user_volume_gib: Some(100),
                    root_volume_encryption: Some(false),
                    user_volume_encryption: Some(true),
                    volume_encryption_key: Some("alias/workspaces".to_owned()),
                    ..WorkspaceProperties::default()
                },
                modifying: false,
                tags: BTreeMap::new(),
                error_code: None,
                error_message: None,
            }
        );
    }

    #[test]
    fn a_workspace_in_error_says_why() {
        let described = described()
            .state(WorkspaceState::Error)
            .error_code("ResourceLimitExceeded")
            .error_message("no capacity")
            .build();
        let live = live_workspace(&described);
        assert_eq!(live.state, states::WorkspaceState::Error);
        assert_eq!(live.error_code.as_deref(), Some("ResourceLimitExceeded"));
        assert_eq!(live.error_message.as_deref(), Some("no capacity"));
    }

    #[test]
    fn a_workspace_being_modified_says_so() {
        let modification = ModificationState::builder()
            .resource(ModificationResourceEnum::ComputeType)
            .state(ModificationStateEnum::UpdateInProgress)
            .build();
        let described = described().modification_states(modification).build();
        assert!(live_workspace(&described).modifying);
    }

    #[test]
    fn what_aws_leaves_out_reads_as_unset() {
        let live = live_workspace(&Workspace::builder().build());
        // Volumes AWS does not call encrypted are not.
        let unencrypted = WorkspaceProperties {
            root_volume_encryption: Some(false),
            user_volume_encryption: Some(false),
            ..WorkspaceProperties::default()
        };
        assert_eq!(live.properties, unencrypted);
        assert_eq!(live.state, states::WorkspaceState::default());
        assert_eq!(live.shown_state(), "UNKNOWN");
    }
}
