//! What apply shows while it works: one line per finished resource, and
//! while it waits, a bar per phase (WorkSpaces ready, modifications,
//! terminations, images, BYOL) with counts by state on a terminal, or a plain
//! line per phase every few seconds in a CI log.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// How often a CI log gets a line per phase while apply waits.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

struct Inner {
    started: Instant,
    /// `None` without a terminal.
    bars: Option<MultiProgress>,
    phases: Mutex<BTreeMap<&'static str, Phase>>,
}

struct Phase {
    bar: Option<ProgressBar>,
    total: usize,
    done: usize,
    last_plain: Option<Instant>,
}

/// A wait counted in a phase while it lives: see [`Progress::single`].
pub struct Shown {
    progress: Progress,
    phase: &'static str,
}

impl Drop for Shown {
    fn drop(&mut self) {
        self.progress
            .update(self.phase, |phase| phase.done += 1, BTreeMap::new());
    }
}

impl Progress {
    /// Bars when `terminal`, plain lines otherwise.
    pub fn new(terminal: bool) -> Self {
        Progress {
            inner: Arc::new(Inner {
                started: Instant::now(),
                bars: terminal.then(MultiProgress::new),
                phases: Mutex::new(BTreeMap::new()),
            }),
        }
    }

    /// A line that stays, printed above the bars; what AWS said in it is
    /// shown escaped.
    pub fn event(&self, line: &str) {
        let line = crate::visible::visible_lines(line);
        match &self.inner.bars {
            Some(bars) => {
                let _ = bars.println(line);
            }
            None => outln!("{line}"),
        }
    }

    /// Where a phase stands: `total` waits started, the ones still going by
    /// state.
    pub fn phase(&self, name: &'static str, total: usize, pending: BTreeMap<String, usize>) {
        let done = total.saturating_sub(pending.values().sum());
        self.update(
            name,
            |phase| {
                phase.total = total;
                phase.done = done;
            },
            pending,
        );
    }

    /// One more wait in `name` (an image, the account) until the returned
    /// guard is dropped.
    pub fn single(&self, name: &'static str) -> Shown {
        self.update(name, |phase| phase.total += 1, BTreeMap::new());
        Shown {
            progress: self.clone(),
            phase: name,
        }
    }

    fn update(
        &self,
        name: &'static str,
        change: impl FnOnce(&mut Phase),
        pending: BTreeMap<String, usize>,
    ) {
        let mut phases = self.inner.phases.lock().unwrap_or_else(|e| e.into_inner());
        let phase = phases.entry(name).or_insert_with(|| Phase {
            bar: self.inner.bars.as_ref().map(|bars| bars.add(new_bar(name))),
            total: 0,
            done: 0,
            last_plain: None,
        });
        change(phase);
        let states: Vec<String> = pending
            .iter()
            .map(|(state, n)| format!("{n} {state}"))
            .collect();
        match &phase.bar {
            Some(bar) => {
                bar.set_length(phase.total as u64);
                bar.set_position(phase.done as u64);
                bar.set_message(states.join(", "));
            }
            None => {
                let due = phase
                    .last_plain
                    .is_none_or(|at| at.elapsed() >= PLAIN_EVERY);
                if due && !states.is_empty() {
                    phase.last_plain = Some(Instant::now());
                    outln!(
                        "{name}: {}/{} done; waiting on {} ({}s elapsed)",
                        phase.done,
                        phase.total,
                        states.join(", "),
                        self.inner.started.elapsed().as_secs()
                    );
                }
            }
        }
    }

    pub fn finish(&self) {
        let phases = self.inner.phases.lock().unwrap_or_else(|e| e.into_inner());
        for phase in phases.values() {
            if let Some(bar) = &phase.bar {
                bar.finish_and_clear();
            }
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.inner.started.elapsed()
    }
}

fn new_bar(name: &str) -> ProgressBar {
    let bar = ProgressBar::new(0).with_prefix(name.to_owned());
    bar.set_style(
        ProgressStyle::with_template("{prefix:>16} [{bar:30}] {pos}/{len} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
