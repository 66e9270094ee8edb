//! Waiting for WorkSpaces to reach a state. One poller serves every waiting
//! step, so a fleet of 100 creates is watched with 4 DescribeWorkspaces calls
//! a round (25 ids a call), not 100.

use std::time::{Duration, Instant};

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{ConnectionAlias, DedicatedTenancyModificationStateEnum};

use super::poller::{Poller, Watch, Watched};
use super::progress::Progress;
use crate::aws::ApiError;
use crate::aws::{Aws, CallLimit};
use crate::live::{LiveWorkspace, describe_workspaces_by_id};
use crate::states::{AliasState, ImageState, WorkspaceState};

/// How often to poll and how long to wait.
#[derive(Clone, Copy, Debug)]
pub struct Polling {
    /// First interval, used again whenever a new wait starts.
    pub min_interval: Duration,
    /// The interval grows by half each quiet round, up to this.
    pub max_interval: Duration,
    /// A WorkSpace that has not arrived by then is reported as timed out.
    pub timeout: Duration,
}

impl Default for Polling {
    fn default() -> Self {
        Polling {
            min_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(15),
            // AWS documents creation as taking up to 20 minutes, and a
            // compute or volume change up to an hour.
            timeout: Duration::from_secs(90 * 60),
        }
    }
}

/// How long an UNHEALTHY report is taken for a state still on its way out.
const UNHEALTHY_GRACE: Duration = Duration::from_secs(120);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// Created and ready. Not being listed yet is normal for a while.
    Available,
    /// AVAILABLE or STOPPED with no property change in progress: ready to be
    /// modified.
    Settled,
    /// No longer listed.
    Gone,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WaitError {
    #[error("{id} went {state} while waiting: {reason}")]
    BadState {
        id: String,
        state: String,
        reason: String,
    },
    #[error("{id} was still {state} after {minutes} minutes")]
    TimedOut {
        id: String,
        state: String,
        minutes: u64,
    },
    #[error("polling kept failing: {0}")]
    Polling(ApiError),
    #[error("stopped waiting for {id}: the apply was interrupted; AWS goes on with the change")]
    Interrupted { id: String },
}

/// One poller answers every WorkSpace wait.
pub type Waiter = Poller<Until>;

impl Watched for Until {
    type Listed = LiveWorkspace;
    const OPERATION: &'static str = "DescribeWorkspaces";

    async fn describe(aws: &Aws, ids: Vec<String>) -> Result<Vec<LiveWorkspace>, ApiError> {
        describe_workspaces_by_id(&aws.workspaces, &ids).await
    }

    fn id(workspace: &LiveWorkspace) -> Option<&str> {
        Some(&workspace.id)
    }

    fn state(workspace: &LiveWorkspace) -> Option<String> {
        let state = workspace.shown_state();
        Some(match workspace.modifying {
            false => state.to_owned(),
            true => format!("{state} (modifying)"),
        })
    }

    fn verdict(
        watch: &Watch<Until>,
        found: Option<&LiveWorkspace>,
    ) -> Option<Result<(), WaitError>> {
        let Some(workspace) = found else {
            // Just created: not listed for a while. Terminated: gone for good.
            return (watch.until == Until::Gone).then_some(Ok(()));
        };
        let state = &workspace.state;
        let bad = |reason: &str| {
            Some(Err(WaitError::BadState {
                id: watch.id.clone(),
                state: state.to_string(),
                reason: reason.to_owned(),
            }))
        };
        match (watch.until, state) {
            (Until::Gone, _) => None,
            (_, WorkspaceState::Error) => bad(&format!(
                "{} {}",
                workspace.error_code.as_deref().unwrap_or("no error code"),
                workspace.error_message.as_deref().unwrap_or_default()
            )),
            (_, WorkspaceState::Terminating | WorkspaceState::Terminated) => {
                bad("it is being terminated")
            }
            (Until::Available, WorkspaceState::Available | WorkspaceState::Stopped) => Some(Ok(())),
            (Until::Settled, WorkspaceState::Available | WorkspaceState::Stopped)
                if !workspace.modifying =>
            {
                Some(Ok(()))
            }
            // Just after a reboot, rebuild or restore AWS may still report the
            // old unhealthy state for a moment.
            (_, WorkspaceState::Impaired | WorkspaceState::Unhealthy)
                if watch.started.elapsed() < UNHEALTHY_GRACE =>
            {
                None
            }
            (
                _,
                WorkspaceState::Suspended
                | WorkspaceState::AdminMaintenance
                | WorkspaceState::Impaired
                | WorkspaceState::Unhealthy,
            ) => bad("it is not healthy and cannot be used or modified in this state"),
            _ => None,
        }
    }

    fn phase(self) -> &'static str {
        match self {
            Until::Available => "WorkSpaces ready",
            Until::Settled => "Modifications",
            Until::Gone => "Terminations",
        }
    }
}

/// Growing pauses between polls of one resource, up to the timeout.
struct Backoff {
    polling: Polling,
    interval: Duration,
    started: Instant,
}

impl Backoff {
    fn new(polling: Polling) -> Self {
        Backoff {
            polling,
            interval: polling.min_interval,
            started: Instant::now(),
        }
    }

    /// Sleeps; once the timeout has passed, says that `id` was still `state`.
    async fn pause(&mut self, id: &str, state: &str) -> Result<(), WaitError> {
        if self.started.elapsed() > self.polling.timeout {
            return Err(WaitError::TimedOut {
                id: id.to_owned(),
                state: state.to_owned(),
                minutes: self.polling.timeout.as_secs() / 60,
            });
        }
        tokio::time::sleep(self.interval).await;
        self.interval = (self.interval * 3 / 2).min(self.polling.max_interval);
        Ok(())
    }
}

/// Until DescribeWorkspaceImages says AVAILABLE; ERROR carries AWS's reasons.
pub(super) async fn image_available(
    client: &Client,
    limit: &CallLimit,
    image_id: &str,
    polling: Polling,
    progress: &Progress,
) -> Result<(), WaitError> {
    let _shown = progress.single("Images ready");
    let mut backoff = Backoff::new(polling);
    let mut state = "not yet listed".to_owned();
    loop {
        let output = limit
            .run(
                client
                    .describe_workspace_images()
                    .image_ids(image_id)
                    .send(),
            )
            .await
            .map_err(|e| WaitError::Polling(crate::aws::api_error("DescribeWorkspaceImages", e)))?;
        if let Some(image) = output.images().first() {
            let listed = image.state().map(ImageState::from).unwrap_or_default();
            state = listed.to_string();
            match listed {
                ImageState::Available => return Ok(()),
                ImageState::Error => {
                    let details: Vec<String> = image
                        .error_details()
                        .iter()
                        .filter_map(|d| d.error_code().map(|c| c.as_str().to_owned()))
                        .collect();
                    return Err(WaitError::BadState {
                        id: image_id.to_owned(),
                        state,
                        reason: format!(
                            "{}: {}{}",
                            image.error_code().unwrap_or("no error code"),
                            image.error_message().unwrap_or_default(),
                            if details.is_empty() {
                                String::new()
                            } else {
                                format!(" ({})", details.join(", "))
                            }
                        ),
                    });
                }
                _ => {}
            }
        }
        backoff.pause(image_id, &state).await?;
    }
}

/// Until the account modification for `cidr` is COMPLETED; FAILED carries
/// AWS's code and message.
pub(super) async fn byol_enabled(
    client: &Client,
    limit: &CallLimit,
    cidr: &str,
    polling: Polling,
    progress: &Progress,
) -> Result<(), WaitError> {
    let _shown = progress.single("BYOL enabled");
    let mut backoff = Backoff::new(polling);
    let mut state = "not yet listed".to_owned();
    loop {
        let output = limit
            .run(client.describe_account_modifications().send())
            .await
            .map_err(|e| {
                WaitError::Polling(crate::aws::api_error("DescribeAccountModifications", e))
            })?;
        // Newest first: the first one for this range is ours.
        let ours = output
            .account_modifications()
            .iter()
            .find(|m| m.dedicated_tenancy_management_cidr_range() == Some(cidr));
        if let Some(modification) = ours {
            let listed = modification.modification_state();
            state = listed.map(|s| s.as_str().to_owned()).unwrap_or_default();
            match listed {
                Some(DedicatedTenancyModificationStateEnum::Completed) => return Ok(()),
                Some(DedicatedTenancyModificationStateEnum::Failed) => {
                    return Err(WaitError::BadState {
                        id: "account".to_owned(),
                        state,
                        reason: format!(
                            "{}: {}",
                            modification.error_code().unwrap_or("no error code"),
                            modification.error_message().unwrap_or_default()
                        ),
                    });
                }
                _ => {}
            }
        }
        backoff.pause("account", &state).await?;
    }
}

/// What an alias wait is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AliasUntil<'a> {
    /// CREATED: associations and permissions need it.
    Created,
    /// Associated with the directory by this account.
    Associated(&'a str),
    /// No longer associated with the directory.
    Disassociated(&'a str),
    /// No longer listed.
    Gone,
}

impl AliasUntil<'_> {
    fn phase(self) -> &'static str {
        match self {
            AliasUntil::Created => "Aliases created",
            AliasUntil::Associated(_) => "Aliases associated",
            AliasUntil::Disassociated(_) => "Aliases disassociated",
            AliasUntil::Gone => "Aliases deleted",
        }
    }

    /// Done, still on its way (with the state to report), or gone wrong.
    fn verdict(self, alias: Option<&ConnectionAlias>) -> Result<bool, String> {
        let Some(alias) = alias else {
            return match self {
                AliasUntil::Gone => Ok(true),
                _ => Err("it is no longer listed".to_owned()),
            };
        };
        let in_directory = |directory: &str| {
            alias
                .associations()
                .iter()
                .filter(|a| a.resource_id() == Some(directory))
                .filter_map(|a| a.association_status())
                .map(|s| s.as_str().to_owned())
                .collect::<Vec<_>>()
        };
        match self {
            AliasUntil::Created => match alias.state().map(AliasState::from) {
                Some(AliasState::Created) => Ok(true),
                Some(AliasState::Deleting) => Err("it is being deleted".to_owned()),
                _ => Ok(false),
            },
            AliasUntil::Associated(directory) => {
                let states = in_directory(directory);
                if states.iter().any(|s| s == "ASSOCIATED_WITH_OWNER_ACCOUNT") {
                    Ok(true)
                } else if states.iter().any(|s| s == "PENDING_ASSOCIATION") {
                    Ok(false)
                } else {
                    Err(format!("it is not associated with {directory}"))
                }
            }
            AliasUntil::Disassociated(directory) => Ok(in_directory(directory)
                .iter()
                .all(|s| s == "NOT_ASSOCIATED")),
            AliasUntil::Gone => Ok(false),
        }
    }
}

/// Until the alias reaches `until`; a state it cannot leave is an error.
pub(super) async fn connection_alias(
    client: &Client,
    limit: &CallLimit,
    alias_id: &str,
    until: AliasUntil<'_>,
    polling: Polling,
    progress: &Progress,
) -> Result<(), WaitError> {
    let _shown = progress.single(until.phase());
    let mut backoff = Backoff::new(polling);
    loop {
        let answer = limit
            .run(
                client
                    .describe_connection_aliases()
                    .alias_ids(alias_id)
                    .send(),
            )
            .await
            .map_err(|e| crate::aws::api_error("DescribeConnectionAliases", e));
        let alias = match answer {
            Ok(output) => output.connection_aliases().first().cloned(),
            // A deleted alias's id may be refused rather than left out.
            Err(error) if error.code == "ResourceNotFoundException" => None,
            Err(error) => return Err(WaitError::Polling(error)),
        };
        let state = alias
            .as_ref()
            .and_then(|a| a.state())
            .map_or("not listed", |s| s.as_str())
            .to_owned();
        match until.verdict(alias.as_ref()) {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(reason) => {
                return Err(WaitError::BadState {
                    id: alias_id.to_owned(),
                    state,
                    reason,
                });
            }
        }
        backoff.pause(alias_id, &state).await?;
    }
}
