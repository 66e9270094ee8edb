//! Waiting for directories to be registered or deregistered. One poller
//! serves every waiting step, 25 ids a DescribeWorkspaceDirectories call, as
//! the WorkSpace waiter does for WorkSpaces.

use aws_sdk_workspaces::types::WorkspaceDirectory;
// What the tests below build their watches with.
#[cfg(test)]
use {std::time::Instant, tokio::sync::oneshot};

use super::poller::{self, Poller, Watched};
use super::waiter::WaitError;
use crate::aws::{ApiError, Aws, api_error};
use crate::states::DirectoryState;

/// What a registration or deregistration is waited for until.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Registration {
    /// REGISTERED: its settings can be changed, WorkSpaces created in it.
    Registered,
    /// No longer listed, or DEREGISTERED: registrable again, its IP groups
    /// deletable.
    Gone,
}

/// One poller answers every registration wait.
pub(super) type Registrations = Poller<Registration>;

type Watch = poller::Watch<Registration>;

impl Watched for Registration {
    type Listed = WorkspaceDirectory;
    const OPERATION: &'static str = "DescribeWorkspaceDirectories";

    async fn describe(aws: &Aws, ids: Vec<String>) -> Result<Vec<WorkspaceDirectory>, ApiError> {
        let call = aws
            .workspaces
            .describe_workspace_directories()
            .set_directory_ids(Some(ids))
            .send();
        call.await
            .map(|out| out.directories().to_vec())
            .map_err(|e| api_error("DescribeWorkspaceDirectories", e))
    }

    fn id(directory: &WorkspaceDirectory) -> Option<&str> {
        directory.directory_id()
    }

    fn state(directory: &WorkspaceDirectory) -> Option<String> {
        directory.state().map(|s| s.as_str().to_owned())
    }

    fn verdict(watch: &Watch, found: Option<&WorkspaceDirectory>) -> Option<Result<(), WaitError>> {
        verdict(watch, found)
    }

    fn phase(self) -> &'static str {
        match self {
            Registration::Registered => "Directories registered",
            Registration::Gone => "Directories deregistered",
        }
    }
}

/// `Some` when the wait is over, `None` to keep waiting.
fn verdict(watch: &Watch, found: Option<&WorkspaceDirectory>) -> Option<Result<(), WaitError>> {
    let state = found.and_then(|d| d.state()).map(DirectoryState::from);
    match (watch.until, state) {
        (Registration::Gone, None | Some(DirectoryState::Deregistered)) => Some(Ok(())),
        (Registration::Registered, Some(DirectoryState::Registered)) => Some(Ok(())),
        (_, Some(DirectoryState::Error)) => Some(Err(WaitError::BadState {
            id: watch.id.clone(),
            state: DirectoryState::Error.to_string(),
            reason: found
                .and_then(|d| d.error_message())
                .unwrap_or("no error message")
                .to_owned(),
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_workspaces::types::WorkspaceDirectoryState;

    use super::*;

    fn watch(until: Registration) -> Watch {
        let (reply, _) = oneshot::channel();
        Watch {
            id: "d-1234567890".to_owned(),
            until,
            started: Instant::now(),
            last_state: String::new(),
            reply,
        }
    }

    fn listed(state: WorkspaceDirectoryState) -> WorkspaceDirectory {
        WorkspaceDirectory::builder()
            .directory_id("d-1234567890")
            .state(state)
            .error_message("the subnets ran out of addresses")
            .build()
    }

    #[test]
    fn a_registration_is_over_at_registered_and_a_deregistration_once_unlisted() {
        let registered = watch(Registration::Registered);
        let gone = watch(Registration::Gone);
        let registering = listed(WorkspaceDirectoryState::Registering);
        assert!(verdict(&registered, Some(&registering)).is_none());
        assert!(verdict(&registered, None).is_none(), "not listed yet");
        let done = listed(WorkspaceDirectoryState::Registered);
        assert_eq!(verdict(&registered, Some(&done)), Some(Ok(())));
        let leaving = listed(WorkspaceDirectoryState::Deregistering);
        assert!(verdict(&gone, Some(&leaving)).is_none());
        assert_eq!(verdict(&gone, None), Some(Ok(())));
        let failed = listed(WorkspaceDirectoryState::Error);
        assert_eq!(
            verdict(&registered, Some(&failed)),
            Some(Err(WaitError::BadState {
                id: "d-1234567890".to_owned(),
                state: "ERROR".to_owned(),
                reason: "the subnets ran out of addresses".to_owned(),
            }))
        );
    }
}
