//! `wsctl restore`: one WorkSpace rolled back to its restore snapshot.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::cli::{Global, RestoreArgs};
use super::connect::connect;
use super::error::RESTORABLE_STATES;
use super::workspace::{desired, find_live, no_workspace, state_of};
use super::{Error, load};
use crate::address::Address;
use crate::apply::{Polling, Progress, Until, Waiter};
use crate::aws::api_error;
use crate::live::{describe_snapshots, timestamp};

pub(super) async fn restore(global: &Global, args: &RestoreArgs) -> Result<ExitCode, Error> {
    let fleet = load(&args.file)?;
    let desired = desired(&fleet, &args.address, &args.file)?;
    let address = Address::workspace(&desired.name);
    // Both refusals come before any call, so nothing is changed.
    if !args.allow_data_loss && !desired.allow_data_loss {
        return Err(Error::DataLoss(vec![format!("{address} (restored)")]));
    }
    if args.snapshot_current_volumes {
        return Err(Error::SnapshotCurrentVolumes { address });
    }
    let connection = connect(
        global,
        fleet.settings.region.as_deref(),
        crate::aws::DEFAULT_PARALLELISM,
    )
    .await?;
    let client = &connection.aws.workspaces;
    let live = find_live(client, &[desired]).await?;
    let workspace = live
        .get(&desired.name)
        .ok_or_else(|| no_workspace(desired))?;
    let id = workspace.workspace_id().unwrap_or_default().to_owned();
    let state = state_of(workspace);
    if !RESTORABLE_STATES.contains(&state.as_str()) {
        return Err(Error::RestoreState { address, id, state });
    }
    let api = |error| Error::ResourceApi {
        address: address.clone(),
        error: Box::new(error),
    };
    let snapshots = describe_snapshots(client, &id).await.map_err(api)?;
    let point = snapshots
        .restore
        .first()
        .map_or_else(|| "no restore snapshot is listed".to_owned(), timestamp);
    outln!(
        "{address} ({id}) is {state}; restoring its root and user volumes to the restore snapshot of {point}; what changed since is lost."
    );
    client
        .restore_workspace()
        .workspace_id(&id)
        .send()
        .await
        .map_err(|e| api(api_error("RestoreWorkspace", e)))?;
    let progress = Progress::new(std::io::stderr().is_terminal());
    let waiter = Waiter::start(&connection.aws, Polling::default(), progress.clone());
    let waited = waiter.wait(&id, Until::Available).await;
    progress.finish();
    waited.map_err(|error| Error::ResourceWait {
        address: address.clone(),
        error: Box::new(error),
    })?;
    outln!(
        "{address}: restored and AVAILABLE [{}s]",
        progress.elapsed().as_secs()
    );
    Ok(ExitCode::SUCCESS)
}
