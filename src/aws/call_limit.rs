//! How many calls a run has in flight and how fast it sends them: one
//! limit shared by every read and write of a run, and by every retry of a
//! throttled call.
//!
//! - **In flight:** at most `--parallelism` calls. A run starts with
//!   [`FIRST_WINDOW`] and adds one for each call AWS accepts (TCP's slow
//!   start), so the first crowding, before anything says what the account
//!   allows, costs a few throttled requests, not `--parallelism`.
//! - **Pace:** none until AWS throttles a call; then one rate for every
//!   call, which falls when AWS throttles and climbs back while it does not
//!   (additive increase, multiplicative decrease, as the SDK's adaptive
//!   mode does).
//!
//! The SDK decides that a response was throttling (its own list of codes,
//! and 429). [`Pacing`], a retry classifier on every client, runs after
//! the SDK's classifiers, hears every attempt's verdict, and gives a
//! throttled call's retry its turn on the shared pace, as the delay the SDK
//! waits before it sends the retry. First attempts take their turn in
//! [`CallLimit::run`].

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use aws_sdk_workspaces::config::interceptors::{
    BeforeDeserializationInterceptorContextMut, InterceptorContext,
};
use aws_sdk_workspaces::config::retry::{ClassifyRetry, RetryAction};
use aws_sdk_workspaces::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_workspaces::error::BoxError;
use aws_smithy_runtime_api::client::retries::classifiers::{RetryClassifierPriority, RetryReason};
use aws_smithy_types::retry::ErrorKind;

/// The fraction of its rate the pace falls to on a throttle: the SDK's
/// adaptive mode and TCP use 0.7.
const DECREASE: f64 = 0.7;
/// After a fall the rate climbs by this fraction of itself each second, so
/// it is back where it fell from in about ten seconds: slow enough that a
/// throttle comes once in dozens of accepted calls, and by at least
/// [`MIN_INCREASE`] calls a second each second, so that a pace at its floor
/// does not take minutes to recover.
const INCREASE: f64 = 0.05;
const MIN_INCREASE: f64 = 0.05;
/// The slowest pace: one call every five seconds.
const MIN_RATE: f64 = 0.2;
/// The first fall's floor, where the probe starts when AWS accepted
/// nothing yet: one call a second.
const FIRST_FLOOR: f64 = 1.0;
/// Throttles within this long of a fall answer calls sent before it: one
/// crowding, one fall.
const SETTLE: Duration = Duration::from_secs(1);
/// The accepted rate is measured over this much of the recent past: one
/// second, the span of a token bucket's burst.
const WINDOW: Duration = Duration::from_secs(1);

/// How many times a call waiting for its turn takes a new one because the
/// pace fell meanwhile; then it goes at the last.
const RETAKES: usize = 4;

/// Calls in flight at the start of a run. One: four made a run that starts
/// on a spent allowance send 1.24–1.29 requests per accepted call instead
/// of 1.10–1.14, and gained no measurable time at 50 ms a call
/// (BENCHMARKS.md).
const FIRST_WINDOW: usize = 1;

/// At most this many API calls in flight, reads and writes alike
/// (`--parallelism`), at the pace AWS allows once it throttles; waiting
/// between polls holds no slot.
#[derive(Clone, Debug)]
pub struct CallLimit(Arc<Shared>);

/// The retry classifier (with the interceptor that numbers responses for
/// it) that paces the retries of throttled calls on a run's [`CallLimit`].
#[derive(Clone, Debug)]
pub struct Pacing(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    slots: Semaphore,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Slots not yet opened: one opens for each accepted call.
    closed: usize,
    /// None until the first throttle: every call goes at once.
    paced: Option<Paced>,
    /// The accepted calls of the last [`WINDOW`].
    accepted: VecDeque<Instant>,
    /// Calls throttled so far, for the run's summary.
    throttled: u64,
    /// Times the pace fell so far: a turn taken before a fall is void.
    falls: u64,
    /// Responses numbered so far.
    attempts: u64,
    /// The verdicts of the last responses heard: a throttled one's turn.
    heard: VecDeque<(Attempt, Option<Duration>)>,
}

#[derive(Clone, Copy, Debug)]
struct Paced {
    /// Calls a second at the last fall, and when it was.
    rate: f64,
    fell_at: Instant,
    /// The earliest moment the next call may be sent.
    next: Instant,
    /// After the first fall, whose rate is a guess from a moment (a run
    /// may start just after another drained the account's allowance), the
    /// rate doubles each second until the next throttle finds the limit
    /// (no faster than the cap in `turn` lets it).
    probing: bool,
}

/// How much a probing rate grows each second.
const PROBE: f64 = 2.0;
/// The fastest pace a probe climbs to: far above any account's limit.
const MAX_RATE: f64 = 10_000.0;

impl Paced {
    /// The rate now: the rate at the last fall, climbed since.
    fn rate(&self, now: Instant) -> f64 {
        let climbed = now.saturating_duration_since(self.fell_at).as_secs_f64();
        if self.probing {
            (self.rate * PROBE.powf(climbed)).min(MAX_RATE)
        } else {
            self.rate + (self.rate * INCREASE).max(MIN_INCREASE) * climbed
        }
    }
}

impl CallLimit {
    pub fn new(calls: usize) -> Self {
        let calls = calls.max(1);
        let open = calls.min(FIRST_WINDOW);
        CallLimit(Arc::new(Shared {
            slots: Semaphore::new(open),
            state: Mutex::new(State {
                closed: calls - open,
                ..State::default()
            }),
        }))
    }

    /// Runs one call (with its retries) within the limit, once its turn on
    /// the pace comes.
    pub async fn run<T>(&self, call: impl Future<Output = T>) -> T {
        // The semaphore is never closed, so a permit always comes.
        let _slot = self.0.slots.acquire().await.ok();
        // A turn taken before the pace fell was spaced at the pace AWS just
        // refused: the call takes another, at most RETAKES times.
        for _ in 0..RETAKES {
            let (turn, falls) = self.0.lock().turn(Instant::now());
            tokio::time::sleep(turn).await;
            if self.0.lock().falls == falls {
                break;
            }
        }
        call.await
    }

    /// The retry classifier for this run's clients.
    pub fn pacing(&self) -> Pacing {
        Pacing(Arc::clone(&self.0))
    }

    /// The requests AWS throttled in this run so far and the pace the run
    /// keeps now (calls a second), if AWS throttled any.
    pub fn throttled(&self) -> Option<(u64, f64)> {
        let now = Instant::now();
        let state = self.0.lock();
        state.paced.map(|paced| (state.throttled, paced.rate(now)))
    }
}

impl Default for CallLimit {
    fn default() -> Self {
        CallLimit::new(super::DEFAULT_PARALLELISM)
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent between statements: a panic elsewhere
        // cannot leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Verdicts remembered: far more than the calls in flight.
const HEARD: usize = 256;

impl State {
    fn next_attempt(&mut self) -> Attempt {
        self.attempts += 1;
        Attempt(self.attempts)
    }

    /// The verdict on one response (a throttled call's turn, if it was
    /// throttled), and whether it opens a slot: the same answer each time
    /// the same response is heard, and the pace moves only the first time.
    fn heard(
        &mut self,
        attempt: Attempt,
        throttled: bool,
        now: Instant,
    ) -> (Option<Duration>, bool) {
        if let Some((_, verdict)) = self.heard.iter().find(|(seen, _)| *seen == attempt) {
            return (*verdict, false);
        }
        let (verdict, opens) = if throttled {
            (Some(self.throttled(now)), false)
        } else {
            (None, self.accepted(now))
        };
        if self.heard.len() == HEARD {
            self.heard.pop_front();
        }
        self.heard.push_back((attempt, verdict));
        (verdict, opens)
    }

    /// The wait for the next turn, which it takes. Once paced, the pace is
    /// also held to half as much again as AWS accepted in the last second,
    /// and one more, so that a rate that climbed in a quiet moment does not
    /// become a crowd when calls come again; but never below one a second,
    /// the first fall's floor, or a run that starts throttled would crawl.
    fn turn(&mut self, now: Instant) -> (Duration, u64) {
        let Some(paced) = &mut self.paced else {
            return (Duration::ZERO, self.falls);
        };
        let used = (1.5 * accepted_rate(&self.accepted, now) + 0.5).max(FIRST_FLOOR);
        let at = paced.next.max(now);
        paced.next = at + Duration::from_secs_f64(1.0 / paced.rate(now).min(used));
        (at - now, self.falls)
    }

    /// A call was accepted: it counts towards the accepted rate, and opens
    /// a slot, if any is still closed (the answer).
    fn accepted(&mut self, now: Instant) -> bool {
        self.accepted.push_back(now);
        while self
            .accepted
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) > WINDOW)
        {
            self.accepted.pop_front();
        }
        let opens = self.closed > 0;
        self.closed -= usize::from(opens);
        opens
    }

    /// A call was throttled: the pace falls (once per crowding), and the
    /// call's retry takes the next turn; the answer is how long it waits.
    /// The first fall is from the rate AWS accepted in the last window
    /// (a burst makes it too high, and the next falls correct it); when
    /// nothing was accepted (a run that starts on an allowance another run
    /// spent), the probe starts at one call a second.
    fn throttled(&mut self, now: Instant) -> Duration {
        self.throttled += 1;
        let settling = self
            .paced
            .is_some_and(|paced| now.saturating_duration_since(paced.fell_at) < SETTLE);
        if !settling {
            let rate = match self.paced {
                Some(paced) if paced.probing => {
                    paced.rate(now).min(accepted_rate(&self.accepted, now))
                }
                Some(paced) => paced.rate(now),
                None => accepted_rate(&self.accepted, now),
            };
            let fallen = match self.paced {
                None => (rate * DECREASE).max(FIRST_FLOOR),
                Some(_) => (rate * DECREASE).max(MIN_RATE),
            };
            // The turns taken before are void: their calls take new ones.
            self.falls += 1;
            self.paced = Some(Paced {
                rate: fallen,
                fell_at: now,
                next: now,
                probing: self.paced.is_none(),
            });
        }
        // AWS has no allowance left this moment: no call goes before one
        // turn from now, the retry of this one included.
        if let Some(paced) = &mut self.paced {
            let turn = Duration::from_secs_f64(1.0 / paced.rate(now));
            paced.next = paced.next.max(now + turn);
        }
        self.turn(now).0
    }
}

/// The number of one attempt's response, so that its verdict is heard
/// once: the SDK runs the retry classifiers twice on each response (to
/// decide whether to close the connection, then whether to retry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Attempt(u64);

impl Intercept for Pacing {
    fn name(&self) -> &'static str {
        "Pacing"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempt = self.0.lock().next_attempt();
        context.response_mut().add_extension(attempt);
        Ok(())
    }
}

/// Calls a second accepted over the last window.
fn accepted_rate(accepted: &VecDeque<Instant>, now: Instant) -> f64 {
    let recent = accepted
        .iter()
        .filter(|&&at| now.saturating_duration_since(at) <= WINDOW)
        .count();
    recent as f64 / WINDOW.as_secs_f64()
}

impl ClassifyRetry for Pacing {
    fn classify_retry(&self, _context: &InterceptorContext) -> RetryAction {
        RetryAction::NoActionIndicated
    }

    /// Runs after the SDK's classifiers: a throttle it found is retried at
    /// the call's turn on the shared pace; any other answer counts as
    /// accepted, since AWS took the call.
    fn classify_retry_v2(
        &self,
        context: &InterceptorContext,
        previous: &RetryAction,
    ) -> RetryAction {
        let Some(&attempt) = context
            .response()
            .and_then(|response| response.extension::<Attempt>())
        else {
            return RetryAction::NoActionIndicated;
        };
        let throttled = matches!(
            previous,
            RetryAction::RetryIndicated(RetryReason::RetryableError {
                kind: ErrorKind::ThrottlingError,
                ..
            })
        );
        let (verdict, opens) = self.0.lock().heard(attempt, throttled, Instant::now());
        if opens {
            self.0.slots.add_permits(1);
        }
        match verdict {
            Some(turn) => {
                RetryAction::retryable_error_with_explicit_delay(ErrorKind::ThrottlingError, turn)
            }
            None => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "Pacing"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn each_accepted_call_opens_one_more_slot_up_to_the_limit() {
        let start = Instant::now();
        let mut state = State {
            closed: 2,
            ..State::default()
        };
        assert!(state.accepted(start));
        assert!(state.accepted(start));
        assert!(!state.accepted(start));
        assert_eq!(state.closed, 0);
    }

    #[test]
    fn a_response_heard_twice_moves_the_pace_once() {
        let start = Instant::now();
        let mut state = State {
            closed: 5,
            ..State::default()
        };
        let accepted = state.next_attempt();
        assert_eq!(state.heard(accepted, false, start), (None, true));
        assert_eq!(state.heard(accepted, false, start), (None, false));
        assert_eq!(state.closed, 4);
        let throttled = state.next_attempt();
        let first = state.heard(throttled, true, start);
        assert_eq!(state.heard(throttled, true, start), first);
        assert_eq!(state.throttled, 1);
    }

    #[test]
    fn calls_go_at_once_until_the_first_throttle() {
        let start = Instant::now();
        let mut state = State::default();
        for _ in 0..20 {
            assert_eq!(state.turn(start).0, Duration::ZERO);
        }
    }

    /// `n` calls accepted evenly over the second before `at`.
    fn accepted_before(state: &mut State, at: Instant, n: u32) {
        for i in 0..n {
            state.accepted(at - Duration::from_secs(1) * (n - i) / (n + 1));
        }
    }

    fn close(a: Duration, b: f64) -> bool {
        (a.as_secs_f64() - b).abs() < 0.001
    }

    #[test]
    fn a_throttle_paces_calls_at_a_fraction_of_the_accepted_rate() {
        let at = Instant::now() + Duration::from_secs(2);
        let mut state = State::default();
        accepted_before(&mut state, at, 10);
        // 10 accepted in the last second: the pace falls to 7 a second, and
        // the throttled call's retry waits one turn.
        let wait = state.throttled(at);
        assert!(close(wait, 1.0 / 7.0), "{wait:?}");
        assert!(state.paced.is_some_and(|p| p.probing));
        let next = state.turn(at).0;
        assert!(close(next, 2.0 / 7.0), "{next:?}");
        assert_eq!(state.throttled, 1);
    }

    #[test]
    fn a_run_throttled_before_any_call_was_accepted_probes_from_one_a_second() {
        let start = Instant::now();
        let mut state = State::default();
        let wait = state.throttled(start);
        let rate = state.paced.map(|p| p.rate).unwrap_or_default();
        assert!((rate - 1.0).abs() < 1e-9, "{rate}");
        // Nothing accepted yet holds the pace to its floor, not below.
        assert!(close(wait, 1.0), "{wait:?}");
        assert!(close(state.turn(start).0, 2.0), "{:?}", state.turn(start));
    }

    #[test]
    fn throttles_of_one_crowding_make_one_fall() {
        let at = Instant::now() + Duration::from_secs(2);
        let mut state = State::default();
        accepted_before(&mut state, at, 10);
        state.throttled(at);
        let fallen = state.paced.map(|p| p.rate);
        state.throttled(at + ms(100));
        state.throttled(at + ms(200));
        assert_eq!(state.paced.map(|p| p.rate), fallen);
        assert_eq!(state.throttled, 3);
    }

    #[test]
    fn a_probe_ends_at_the_next_throttle_and_the_rate_then_climbs_slowly() {
        let start = Instant::now() + Duration::from_secs(2);
        let mut state = State::default();
        accepted_before(&mut state, start, 5);
        state.throttled(start);
        // Three seconds later the probe is at 3.5 × 2³ = 28 a second;
        // AWS accepted 5 in the last second: the pace falls to 3.5.
        let later = start + Duration::from_secs(3);
        accepted_before(&mut state, later, 5);
        state.throttled(later);
        let paced = state.paced.expect("paced");
        assert!(!paced.probing);
        assert!((paced.rate - 3.5).abs() < 1e-9, "{}", paced.rate);
        // The next fall is from the rate, not from what was accepted.
        let then = later + Duration::from_secs(2);
        state.throttled(then);
        let paced = state.paced.expect("paced");
        assert!(
            (paced.rate - 0.7 * (3.5 + 0.175 * 2.0)).abs() < 1e-9,
            "{}",
            paced.rate
        );
    }

    #[test]
    fn the_rate_climbs_back_while_nothing_is_throttled() {
        let start = Instant::now();
        let paced = Paced {
            rate: 5.0,
            fell_at: start,
            next: start,
            probing: false,
        };
        assert!((paced.rate(start) - 5.0).abs() < 1e-9);
        assert!((paced.rate(start + Duration::from_secs(2)) - 5.5).abs() < 1e-9);
        let probing = Paced {
            probing: true,
            ..paced
        };
        assert!((probing.rate(start + Duration::from_secs(2)) - 20.0).abs() < 1e-9);
    }

    #[test]
    fn a_paced_run_sends_no_faster_than_half_again_what_aws_accepted() {
        let at = Instant::now() + Duration::from_secs(2);
        let mut state = State::default();
        accepted_before(&mut state, at, 2);
        state.paced = Some(Paced {
            rate: 100.0,
            fell_at: at,
            next: at,
            probing: false,
        });
        state.turn(at);
        // 2 accepted in the last second: at most 1.5 × 2 + 0.5 a second.
        assert!(close(state.turn(at).0, 1.0 / 3.5));
    }

    #[test]
    fn the_pace_never_falls_below_its_floor() {
        let start = Instant::now();
        let mut state = State::default();
        for n in 0..20 {
            state.throttled(start + Duration::from_secs(n));
        }
        let rate = state.paced.map(|p| p.rate).unwrap_or_default();
        assert!((rate - MIN_RATE).abs() < 1e-9, "{rate}");
    }

    #[test]
    fn a_fall_voids_the_turns_taken_before_it() {
        let at = Instant::now() + Duration::from_secs(2);
        let mut state = State::default();
        accepted_before(&mut state, at, 10);
        state.throttled(at);
        // Turns at 7 a second for calls waiting in line, after the
        // throttled call's retry.
        let (_, taken) = state.turn(at);
        let (far, _) = state.turn(at);
        assert!(close(far, 3.0 / 7.0), "{far:?}");
        // The next crowding: the pace falls, and those turns are void.
        let later = at + Duration::from_secs(2);
        accepted_before(&mut state, later, 5);
        state.throttled(later);
        let (turn, now) = state.turn(later);
        assert_ne!(now, taken);
        // A new turn follows the throttled call's retry, not the void ones.
        let rate = state.paced.map(|p| p.rate).unwrap_or_default();
        assert!(close(turn, 2.0 / rate), "{turn:?} at {rate}");
    }

    #[test]
    fn each_throttled_retry_takes_the_next_turn() {
        let at = Instant::now() + Duration::from_secs(2);
        let mut state = State::default();
        accepted_before(&mut state, at, 2);
        // 2 accepted in the last second: the pace falls to 1.4 a second.
        let waits: Vec<Duration> = (0..3).map(|_| state.throttled(at)).collect();
        let turn = 1.0 / 1.4;
        assert!(close(waits[0], turn), "{waits:?}");
        assert!(close(waits[1], 2.0 * turn), "{waits:?}");
        assert!(close(waits[2], 3.0 * turn), "{waits:?}");
    }
}
