//! `wsctl snapshots`: what a rebuild or restore would go back to.

use std::process::ExitCode;

use futures::{StreamExt, TryStreamExt, stream};

use super::cli::{Global, SnapshotsArgs};
use super::connect::connect;
use super::workspace::{desired, no_workspace};
use super::{Error, load};
use crate::address::Address;
use crate::live::{WorkspaceKey, describe_snapshots, workspaces_by_key};
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
    let aws = &connection.aws;
    let keys: Vec<WorkspaceKey> = selected.iter().map(|w| w.key()).collect();
    let live = workspaces_by_key(aws, &keys).await?;
    let mut found = Vec::new();
    for (desired, key) in selected.iter().zip(&keys) {
        let address = Address::workspace(&desired.name);
        match live.get(key) {
            Some(workspace) => found.push((address, workspace)),
            // Named on the command line: say so. Listing the file: skip it.
            None if !args.addresses.is_empty() => return Err(no_workspace(desired)),
            None => eprintln!("{address}: no WorkSpace yet"),
        }
    }
    let listing: Vec<SnapshotListing> = stream::iter(found)
        .map(|(address, workspace)| async move {
            let snapshots = describe_snapshots(aws, &workspace.id)
                .await
                .map_err(|error| Error::ResourceApi {
                    address: address.clone(),
                    error: Box::new(error),
                })?;
            Ok::<_, Error>(SnapshotListing {
                address,
                id: workspace.id.clone(),
                state: workspace.shown_state().to_owned(),
                snapshots,
            })
        })
        .buffered(SNAPSHOT_CONCURRENCY)
        .try_collect()
        .await?;
    out!("{}", snapshot_list(&listing, args.format));
    Ok(ExitCode::SUCCESS)
}
