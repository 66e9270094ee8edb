//! One background task answers every wait on one kind of resource: the ids
//! watched are described 25 a call, a round at a time, with growing pauses
//! while nothing changes. WorkSpaces and directory registrations are waited
//! for this way; what differs between them is a [`Watched`].

use std::collections::BTreeMap;
use std::time::Instant;

use futures::{StreamExt, stream};
use tokio::sync::{mpsc, oneshot};

use super::interrupt::Interrupt;
use super::progress::Progress;
use super::waiter::{Polling, WaitError};
use crate::aws::{ApiError, Aws};
use crate::live::PAGE;

/// Describe rounds in a row that may fail before waiting gives up, and calls
/// of a round in flight at once.
const POLL_FAILURES_TOLERATED: u32 = 5;
const POLL_CONCURRENCY: usize = 4;

/// What a wait is for (`Until::Available`, `Registration::Gone`), and how to
/// read AWS's listing of what is watched.
pub trait Watched: Copy + Send + Sync + 'static {
    /// One resource as the describe call lists it.
    type Listed: Send + 'static;
    /// The describe call, named when the poller stops.
    const OPERATION: &'static str;

    /// The listing of `ids`, at most [`PAGE`] of them; those not listed are
    /// left out.
    fn describe(
        aws: &Aws,
        ids: Vec<String>,
    ) -> impl Future<Output = Result<Vec<Self::Listed>, ApiError>> + Send;
    fn id(listed: &Self::Listed) -> Option<&str>;
    /// The state shown on the progress display and in a timeout; `None`
    /// keeps the last one.
    fn state(listed: &Self::Listed) -> Option<String>;
    /// `Some` when the wait is over, `None` to keep waiting.
    fn verdict(watch: &Watch<Self>, found: Option<&Self::Listed>) -> Option<Result<(), WaitError>>;
    /// The name of the wait on the progress display.
    fn phase(self) -> &'static str;
}

/// One wait under way, answered through `reply` when it is over.
pub struct Watch<U> {
    pub(super) id: String,
    pub(super) until: U,
    pub(super) started: Instant,
    pub(super) last_state: String,
    pub(super) reply: oneshot::Sender<Result<(), WaitError>>,
}

/// The handle on one poller's task: [`Poller::wait`] hands it a watch.
#[derive(Clone)]
pub struct Poller<U> {
    watches: mpsc::UnboundedSender<Watch<U>>,
    interrupt: Interrupt,
}

impl<U: Watched> Poller<U> {
    /// One poller for `aws.workspaces`, its calls within `aws.limit`; every
    /// wait ends at once when `interrupt` is triggered.
    pub fn start(aws: &Aws, polling: Polling, progress: Progress, interrupt: Interrupt) -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(poll(aws.clone(), polling, progress, receiver));
        Poller {
            watches: sender,
            interrupt,
        }
    }

    pub async fn wait(&self, id: &str, until: U) -> Result<(), WaitError> {
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
                operation: U::OPERATION,
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

async fn poll<U: Watched>(
    aws: Aws,
    polling: Polling,
    progress: Progress,
    mut incoming: mpsc::UnboundedReceiver<Watch<U>>,
) {
    let mut watches: Vec<Watch<U>> = Vec::new();
    // Waits started per phase, for "12/60" in the progress display.
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
        // A wait that ended (interrupted) needs no more polls.
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

async fn describe_all<U: Watched>(
    aws: &Aws,
    watches: &[Watch<U>],
) -> Result<BTreeMap<String, U::Listed>, ApiError> {
    let mut ids: Vec<String> = watches.iter().map(|w| w.id.clone()).collect();
    ids.sort();
    ids.dedup();
    let chunks: Vec<Vec<String>> = ids.chunks(PAGE).map(<[String]>::to_vec).collect();
    let pages: Vec<Result<Vec<U::Listed>, ApiError>> = stream::iter(chunks)
        .map(|chunk| aws.limit.run(U::describe(aws, chunk)))
        .buffer_unordered(POLL_CONCURRENCY)
        .collect()
        .await;
    let mut listed = BTreeMap::new();
    for page in pages {
        for resource in page? {
            if let Some(id) = U::id(&resource) {
                listed.insert(id.to_owned(), resource);
            }
        }
    }
    Ok(listed)
}

/// Answer the watches that are over; keep the rest.
fn settle<U: Watched>(
    watches: Vec<Watch<U>>,
    listed: &BTreeMap<String, U::Listed>,
    polling: Polling,
) -> Vec<Watch<U>> {
    let mut waiting = Vec::new();
    for mut watch in watches {
        let found = listed.get(&watch.id);
        if let Some(state) = found.and_then(U::state) {
            watch.last_state = state;
        }
        match U::verdict(&watch, found) {
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

/// Counts of the resources still watched in `phase`, by last known state.
fn counts<U: Watched>(watches: &[Watch<U>], phase: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for watch in watches.iter().filter(|w| w.until.phase() == phase) {
        *counts.entry(watch.last_state.clone()).or_default() += 1;
    }
    counts
}
