//! The file's WorkSpace a command names, and its live one: what
//! `snapshots` and `restore` work on.

use std::collections::BTreeMap;

use aws_sdk_workspaces::types::Workspace as LiveWorkspace;

use super::Error;
use super::cli::FileArgs;
use crate::address::{Address, Kind};
use crate::diagnostic::did_you_mean;
use crate::live::workspaces_in;
use crate::spec::{Fleet, Workspace};
use crate::states::WorkspaceState;

/// The file's WorkSpace at `address`, or what the user may have meant.
pub(super) fn desired<'f>(
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
    let close = did_you_mean(
        address.name(),
        fleet.workspaces.iter().map(|w| w.name.as_str()),
    )
    .map(|name| format!("did you mean `workspace.{name}`?"));
    Err(unknown(close))
}

/// The live WorkSpace of each desired one, by WorkSpace name, found by its
/// natural key (directory, user): one paged DescribeWorkspaces per directory.
pub(super) async fn find_live(
    aws: &crate::aws::Aws,
    desired: &[&Workspace],
) -> Result<BTreeMap<String, LiveWorkspace>, Error> {
    let mut directories: Vec<&str> = desired.iter().map(|w| w.directory_id.as_str()).collect();
    directories.sort_unstable();
    directories.dedup();
    let mut found = BTreeMap::new();
    for directory in directories {
        let listed = workspaces_in(aws, directory).await?;
        for workspace in listed {
            let terminating = workspace
                .state()
                .is_some_and(|s| WorkspaceState::from(s).is_terminating());
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

pub(super) fn state_of(workspace: &LiveWorkspace) -> String {
    workspace
        .state()
        .map_or_else(|| "UNKNOWN".to_owned(), |s| s.as_str().to_owned())
}

pub(super) fn no_workspace(desired: &Workspace) -> Error {
    Error::NoWorkspace {
        address: Address::workspace(&desired.name),
        directory_id: desired.directory_id.clone(),
        user: desired.user.clone(),
    }
}
