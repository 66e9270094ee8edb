//! Waiting for directories to be registered or deregistered. One poller
//! serves every waiting step, 25 ids a DescribeWorkspaceDirectories call, as
//! the WorkSpace waiter does for WorkSpaces.

use std::collections::BTreeMap;
use std::time::Instant;

use aws_sdk_workspaces::types::WorkspaceDirectory;
use futures::{StreamExt, stream};
use tokio::sync::{mpsc, oneshot};

use super::interrupt::Interrupt;
use super::progress::Progress;
use super::waiter::{Polling, WaitError};
use crate::aws::{ApiError, Aws, api_error};
use crate::live::PAGE;

/// DescribeWorkspaceDirectories rounds in a row that may fail before
/// waiting gives up, and calls of a round in flight at once.
const POLL_FAILURES_TOLERATED: u32 = 5;
const POLL_CONCURRENCY: usize = 4;

/// What a registration or deregistration is waited for until.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Registration {
    /// REGISTERED: its settings can be changed, WorkSpaces created in it.
    Registered,
    /// No longer listed, or DEREGISTERED: registrable again, its IP groups
    /// deletable.
    Gone,
}

impl Registration {
    /// The name of the wait on the progress display.
    fn phase(self) -> &'static str {
        match self {
            Registration::Registered => "Directories registered",
            Registration::Gone => "Directories deregistered",
        }
    }
}

struct Watch {
    id: String,
    until: Registration,
    started: Instant,
    last_state: String,
    reply: oneshot::Sender<Result<(), WaitError>>,
}

#[derive(Clone)]
pub(super) struct Registrations {
    watches: mpsc::UnboundedSender<Watch>,
    interrupt: Interrupt,
}

impl Registrations {
    /// One poller for `aws.workspaces`, its calls within `aws.limit`; every
    /// wait ends at once when `interrupt` is triggered.
    pub(super) fn start(
        aws: &Aws,
        polling: Polling,
        progress: Progress,
        interrupt: Interrupt,
    ) -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(poll(aws.clone(), polling, progress, receiver));
        Registrations {
            watches: sender,
            interrupt,
        }
    }

    pub(super) async fn wait(&self, id: &str, until: Registration) -> Result<(), WaitError> {
        let (reply, answer) = oneshot::channel();
        let watch = Watch {
            id: id.to_owned(),
            until,
            started: Instant::now(),
            last_state: "not yet listed".to_owned(),
            reply,
        };
        let stopped = || {
            WaitError::Polling(ApiError {
                operation: "DescribeWorkspaceDirectories",
                code: "PollerStopped".to_owned(),
                message: "the poller stopped before the wait ended".to_owned(),
            })
        };
        self.watches.send(watch).map_err(|_| stopped())?;
        tokio::select! {
            answer = answer => answer.unwrap_or_else(|_| Err(stopped())),
            () = self.interrupt.triggered() => Err(WaitError::Interrupted { id: id.to_owned() }),
        }
    }
}

async fn poll(
    aws: Aws,
    polling: Polling,
    progress: Progress,
    mut incoming: mpsc::UnboundedReceiver<Watch>,
) {
    let mut watches: Vec<Watch> = Vec::new();
    let mut totals: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut interval = polling.min_interval;
    let mut failures = 0;
    loop {
        if watches.is_empty() {
            match incoming.recv().await {
                Some(watch) => {
                    *totals.entry(watch.until.phase()).or_default() += 1;
                    watches.push(watch);
                }
                None => return,
            }
            interval = polling.min_interval;
        }
        tokio::time::sleep(interval).await;
        watches.retain(|w| !w.reply.is_closed());
        while let Ok(watch) = incoming.try_recv() {
            *totals.entry(watch.until.phase()).or_default() += 1;
            watches.push(watch);
            interval = polling.min_interval;
        }
        match describe_all(&aws, &watches).await {
            Ok(listed) => {
                failures = 0;
                let before = watches.len();
                watches = settle(watches, &listed, polling);
                for (phase, total) in &totals {
                    progress.phase(phase, *total, counts(&watches, phase));
                }
                if watches.len() == before {
                    interval = (interval * 3 / 2).min(polling.max_interval);
                }
            }
            Err(error) => {
                failures += 1;
                if failures >= POLL_FAILURES_TOLERATED {
                    for watch in watches.drain(..) {
                        let _ = watch.reply.send(Err(WaitError::Polling(error.clone())));
                    }
                    failures = 0;
                }
            }
        }
    }
}

async fn describe_all(
    aws: &Aws,
    watches: &[Watch],
) -> Result<BTreeMap<String, WorkspaceDirectory>, ApiError> {
    let mut ids: Vec<String> = watches.iter().map(|w| w.id.clone()).collect();
    ids.sort();
    ids.dedup();
    let chunks: Vec<Vec<String>> = ids.chunks(PAGE).map(<[String]>::to_vec).collect();
    let pages: Vec<Result<Vec<WorkspaceDirectory>, ApiError>> = stream::iter(chunks)
        .map(|chunk| async move {
            let call = aws
                .workspaces
                .describe_workspace_directories()
                .set_directory_ids(Some(chunk))
                .send();
            aws.limit
                .run(call)
                .await
                .map(|out| out.directories().to_vec())
                .map_err(|e| api_error("DescribeWorkspaceDirectories", e))
        })
        .buffer_unordered(POLL_CONCURRENCY)
        .collect()
        .await;
    let mut listed = BTreeMap::new();
    for page in pages {
        for directory in page? {
            if let Some(id) = directory.directory_id() {
                listed.insert(id.to_owned(), directory);
            }
        }
    }
    Ok(listed)
}

/// Answer the watches that are over; keep the rest.
fn settle(
    watches: Vec<Watch>,
    listed: &BTreeMap<String, WorkspaceDirectory>,
    polling: Polling,
) -> Vec<Watch> {
    let mut waiting = Vec::new();
    for mut watch in watches {
        let found = listed.get(&watch.id);
        if let Some(state) = found.and_then(|d| d.state()) {
            watch.last_state = state.as_str().to_owned();
        }
        match verdict(&watch, found) {
            Some(result) => {
                let _ = watch.reply.send(result);
            }
            None if watch.started.elapsed() > polling.timeout => {
                let error = WaitError::TimedOut {
                    id: watch.id.clone(),
                    state: watch.last_state.clone(),
                    minutes: polling.timeout.as_secs() / 60,
                };
                let _ = watch.reply.send(Err(error));
            }
            None => waiting.push(watch),
        }
    }
    waiting
}

/// `Some` when the wait is over, `None` to keep waiting.
fn verdict(watch: &Watch, found: Option<&WorkspaceDirectory>) -> Option<Result<(), WaitError>> {
    let state = found.and_then(|d| d.state()).map(|s| s.as_str());
    match (watch.until, state) {
        (Registration::Gone, None | Some("DEREGISTERED")) => Some(Ok(())),
        (Registration::Registered, Some("REGISTERED")) => Some(Ok(())),
        (_, Some("ERROR")) => Some(Err(WaitError::BadState {
            id: watch.id.clone(),
            state: "ERROR".to_owned(),
            reason: found
                .and_then(|d| d.error_message())
                .unwrap_or("no error message")
                .to_owned(),
        })),
        _ => None,
    }
}

/// Counts of the directories still watched in `phase`, by last known state.
fn counts(watches: &[Watch], phase: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for watch in watches.iter().filter(|w| w.until.phase() == phase) {
        *counts.entry(watch.last_state.clone()).or_default() += 1;
    }
    counts
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
