//! `wsctl snapshots`: what a rebuild or restore would go back to.

use std::process::ExitCode;

use futures::{StreamExt, TryStreamExt, stream};

use super::cli::{Global, SnapshotsArgs};
use super::connect::connect;
use super::workspace::{desired, find_live, no_workspace, state_of};
use super::{Error, load};
use crate::address::Address;
use crate::live::describe_snapshots;
use crate::render::{SnapshotListing, snapshot_list};
use crate::spec::Workspace;

/// DescribeWorkspaceSnapshots calls in flight at once.
const SNAPSHOT_CONCURRENCY: usize = 8;

pub(super) async fn snapshots(global: &Global, args: &SnapshotsArgs) -> Result<ExitCode, Error> {
    let fleet = load(&args.file)?;
    let selected: Vec<&Workspace> = match args.addresses.as_slice() {
        [] => fleet.workspaces.iter().collect(),
        addresses => addresses
            .iter()
            .map(|address| desired(&fleet, address, &args.file))
            .collect::<Result<_, _>>()?,
    };
    let connection = connect(
        global,
        fleet.settings.region.as_deref(),
        crate::aws::DEFAULT_PARALLELISM,
    )
    .await?;
    let client = &connection.aws.workspaces;
    let live = find_live(&connection.aws, &selected).await?;
    let mut found = Vec::new();
    for desired in &selected {
        let address = Address::workspace(&desired.name);
        match live.get(&desired.name) {
            Some(workspace) => found.push((address, workspace)),
            // Named on the command line: say so. Listing the file: skip it.
            None if !args.addresses.is_empty() => return Err(no_workspace(desired)),
            None => eprintln!("{address}: no WorkSpace yet"),
        }
    }
    let listing: Vec<SnapshotListing> = stream::iter(found)
        .map(|(address, workspace)| async move {
            let id = workspace.workspace_id().unwrap_or_default().to_owned();
            let snapshots =
                describe_snapshots(client, &id)
                    .await
                    .map_err(|error| Error::ResourceApi {
                        address: address.clone(),
                        error: Box::new(error),
                    })?;
            Ok::<_, Error>(SnapshotListing {
                address,
                id,
                state: state_of(workspace),
                snapshots,
            })
        })
        .buffered(SNAPSHOT_CONCURRENCY)
        .try_collect()
        .await?;
    out!("{}", snapshot_list(&listing, args.format));
    Ok(ExitCode::SUCCESS)
}
