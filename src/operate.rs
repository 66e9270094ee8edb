//! The operator's commands beside plan and apply: `snapshots` lists what a
//! rebuild or restore would go back to, `restore` rolls one WorkSpace back.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::process::ExitCode;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::Workspace as LiveWorkspace;
use futures::{StreamExt, TryStreamExt, stream};

use crate::address::{Address, Kind};
use crate::apply::{Polling, Progress, Until, Waiter};
use crate::cli::{FileArgs, Global, RestoreArgs, SnapshotsArgs};
use crate::connect::connect;
use crate::error::{Error, RESTORABLE_STATES, api_error};
use crate::live::{describe_snapshots, timestamp, workspaces_in};
use crate::render::{SnapshotListing, snapshot_list};
use crate::run::load;
use crate::spec::{Fleet, Workspace};

/// DescribeWorkspaceSnapshots calls in flight at once.
const SNAPSHOT_CONCURRENCY: usize = 8;

pub async fn snapshots(global: &Global, args: &SnapshotsArgs) -> Result<ExitCode, Error> {
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
    let live = find_live(client, &selected).await?;
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

pub async fn restore(global: &Global, args: &RestoreArgs) -> Result<ExitCode, Error> {
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

/// The file's WorkSpace at `address`, or what the user may have meant.
fn desired<'f>(
    fleet: &'f Fleet,
    address: &Address,
    file: &FileArgs,
) -> Result<&'f Workspace, Error> {
    let unknown = |help: Option<String>| Error::UnknownAddress {
        address: address.to_string(),
        file: file.file.display().to_string(),
        help,
    };
    if address.kind() != Kind::Workspace {
        return Err(unknown(Some(
            "snapshots and restore are for WorkSpaces: `workspace.NAME`".to_owned(),
        )));
    }
    if let Some(found) = fleet.workspaces.iter().find(|w| w.name == address.name()) {
        return Ok(found);
    }
    let close = fleet
        .workspaces
        .iter()
        .map(|w| (strsim::jaro_winkler(address.name(), &w.name), &w.name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| format!("did you mean `workspace.{name}`?"));
    Err(unknown(close))
}

/// The live WorkSpace of each desired one, by WorkSpace name, found by its
/// natural key (directory, user): one paged DescribeWorkspaces per directory.
async fn find_live(
    client: &Client,
    desired: &[&Workspace],
) -> Result<BTreeMap<String, LiveWorkspace>, Error> {
    let mut directories: Vec<&str> = desired.iter().map(|w| w.directory_id.as_str()).collect();
    directories.sort_unstable();
    directories.dedup();
    let mut found = BTreeMap::new();
    for directory in directories {
        let listed = workspaces_in(client, directory).await?;
        for workspace in listed {
            let terminating = matches!(state_of(&workspace).as_str(), "TERMINATING" | "TERMINATED");
            let owner = desired.iter().find(|w| {
                w.directory_id == directory
                    && workspace
                        .user_name()
                        .is_some_and(|u| u.eq_ignore_ascii_case(&w.user))
            });
            if let (Some(owner), false) = (owner, terminating) {
                found.insert(owner.name.clone(), workspace);
            }
        }
    }
    Ok(found)
}

fn state_of(workspace: &LiveWorkspace) -> String {
    workspace
        .state()
        .map_or_else(|| "UNKNOWN".to_owned(), |s| s.as_str().to_owned())
}

fn no_workspace(desired: &Workspace) -> Error {
    Error::NoWorkspace {
        address: Address::workspace(&desired.name),
        directory_id: desired.directory_id.clone(),
        user: desired.user.clone(),
    }
}
