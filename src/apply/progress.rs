//! What apply shows while it works: one line per finished resource, and
//! while it waits, counts by state — a spinner on a terminal, a plain line
//! every few seconds in a CI log.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a CI log gets a line while apply waits.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

struct Inner {
    started: Instant,
    bar: Option<ProgressBar>,
    last_plain: Mutex<Option<Instant>>,
}

impl Progress {
    /// A spinner when `terminal`, plain lines otherwise.
    pub fn new(terminal: bool) -> Self {
        let bar = terminal.then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            inner: Arc::new(Inner {
                started: Instant::now(),
                bar,
                last_plain: Mutex::new(None),
            }),
        }
    }

    /// A line that stays, printed above the spinner.
    pub fn event(&self, line: &str) {
        match &self.inner.bar {
            Some(bar) => bar.println(line),
            None => println!("{line}"),
        }
    }

    pub fn waiting(&self, counts: BTreeMap<String, usize>) {
        let total: usize = counts.values().sum();
        if total == 0 {
            if let Some(bar) = &self.inner.bar {
                bar.set_message("");
            }
            return;
        }
        let states: Vec<String> = counts
            .iter()
            .map(|(state, n)| format!("{n} {state}"))
            .collect();
        let noun = if total == 1 {
            "WorkSpace"
        } else {
            "WorkSpaces"
        };
        let message = format!("Waiting for {total} {noun}: {}", states.join(", "));
        match &self.inner.bar {
            Some(bar) => bar.set_message(message),
            None => self.plain(&message),
        }
    }

    fn plain(&self, message: &str) {
        let mut last = self
            .inner
            .last_plain
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|at| at.elapsed() < PLAIN_EVERY) {
            return;
        }
        *last = Some(Instant::now());
        println!(
            "{message} ({}s elapsed)",
            self.inner.started.elapsed().as_secs()
        );
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.inner.bar {
            bar.finish_and_clear();
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.inner.started.elapsed()
    }
}
