//! The file's WorkSpace a command names: what `snapshots` and `restore`
//! work on.

use super::Error;
use super::cli::FileArgs;
use crate::address::{Address, Kind};
use crate::diagnostic::did_you_mean;
use crate::spec::{Fleet, Workspace};

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

pub(super) fn no_workspace(desired: &Workspace) -> Error {
    Error::NoWorkspace {
        address: Address::workspace(&desired.name),
        directory_id: desired.directory_id.clone(),
        user: desired.user.clone(),
    }
}
