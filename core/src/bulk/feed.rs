//! A campaign fed from outside the runtime a push at a time and drained in input order: what a
//! binding streams its caller's iterable through (Node with the async methods, Python with the
//! blocking ones, C and PHP through [`blocking::Campaign`](crate::blocking::Campaign)). The
//! engine runs on the process-wide runtime. Two bounds keep memory flat however long the input:
//! - at most `concurrency` pushes wait in the queue (the engine takes them as requests go out);
//! - at most `batch_size × (2 × concurrency + 2)` inputs are held between their push and the
//!   caller's return for the results after theirs (queued, in flight, settled and not yet
//!   taken, or taken and not yet consumed): the requests in flight, as many queued behind them,
//!   and two batches of slack. A caller that consumes results slowly slows its own input down
//!   instead of piling results up. [`ready`](Feed::ready) waits for that room; a caller that
//!   pushes and drains on one thread asks [`has_room`](Feed::has_room) instead, and may also
//!   push everything before it drains ([`push_blocking`](Feed::push_blocking) waits only for
//!   the queue).
//!
//! Pushing never blocks: a push that finds the feed full says [`Pushed::Wait`], and the caller
//! awaits [`Feed::ready`] before the next one, so an event loop never stalls on it. A caller
//! with no event loop uses [`Feed::push_blocking`] and [`Feed::next_blocking`] instead.

use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Poll;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use futures_util::FutureExt;
use tokio::sync::{mpsc, Notify};

use super::input_order::InputOrder;
use super::options::{CampaignOptions, LatestProgress, Progress};
use super::outcome::ItemResult;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::SmsRequest;
use crate::runtime::StartedIn;

/// What one push carries. A binding may push its own packed form and let the runtime decode it,
/// off the caller's thread.
pub trait Pushable: Send + 'static {
    /// Messages in it.
    fn len(&self) -> usize;
    /// Whether it carries no message (pushing it does nothing).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The messages, decoded; called on the runtime, off the pushing thread.
    fn into_requests(self) -> Vec<SmsRequest>;
}

impl Pushable for Vec<SmsRequest> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn into_requests(self) -> Vec<SmsRequest> {
        self
    }
}

/// What [`Feed::push`] did with the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// Queued; push on.
    Queued,
    /// Taken, but the feed is full: await [`Feed::ready`] before the next push.
    Wait,
    /// The campaign takes no more input (ended or stopped): the messages were not taken.
    Closed,
}

/// What [`Feed::next`] hands out.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Settled {
    /// Input index of the first result.
    pub start: u64,
    /// The results settled since the previous call, in input order (`start`, `start + 1`, …).
    pub results: Vec<ItemResult>,
    /// The campaign's totals so far.
    pub progress: Progress,
    /// Over: no input is taken any more and every result has been handed out.
    pub done: bool,
}

#[derive(Default)]
struct State {
    order: InputOrder,
    /// The engine's stream has ended: every result is in `order` or was handed out.
    finished: bool,
    /// Inputs pushed and not yet released (dropped ones included, once stopped). A hand-out is
    /// released when the caller comes back for more: until then its results are still with it.
    held: usize,
    /// Results of the latest hand-out, not yet released.
    with_caller: usize,
    /// Inputs taken by `push`: the input index the next pushed one will have.
    pushed: u64,
    /// The engine's panic (a panicking `on_progress`), for the caller's next [`Feed::next`]
    /// once the results before it are handed out: without it the campaign would never finish.
    panic: Option<Box<dyn std::any::Any + Send>>,
}

struct Shared {
    state: Mutex<State>,
    /// Results became ready to hand out, or the campaign finished.
    settled: Notify,
    /// Results were handed out, the feed stopped taking input, or the campaign finished.
    room: Notify,
    stopped: AtomicBool,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What the caller owes after a [`Pushed::Wait`].
struct Owed<P> {
    /// A `ready` call: pushes are refused until one returns.
    ready: bool,
    /// A push that found the queue full; `ready` queues it.
    parked: Option<P>,
}

/// A running campaign (see the module's doc). Every method may be called from any thread; one
/// caller pushes (awaiting [`ready`](Self::ready) after a [`Pushed::Wait`]) while another may
/// drain. Dropping it stops the input: what is queued is dropped unsent, the batches in flight
/// finish on the runtime.
pub struct Feed<P: Pushable = Vec<SmsRequest>> {
    input: Mutex<Option<mpsc::Sender<P>>>,
    owed: Mutex<Owed<P>>,
    shared: Arc<Shared>,
    batch_size: usize,
    max_held: usize,
    /// Inputs in half the requests in flight: [`ready`](Self::ready) waits until this many
    /// more fit within `max_held`, so that the pushes after it go through without a wait each
    /// (a wait is a round trip through the caller's event loop).
    half_in_flight: usize,
    /// Every entry point checks it before it touches the state shared with the engine: in a
    /// forked child a lock may be held for good, and waking a waiter would schedule onto a
    /// runtime whose threads are gone.
    started_in: StartedIn,
    progress: LatestProgress,
}

impl<P: Pushable> std::fmt::Debug for Feed<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Feed")
            .field("batch_size", &self.batch_size)
            .field("max_held", &self.max_held)
            .finish_non_exhaustive()
    }
}

impl<P: Pushable> Feed<P> {
    /// Starts the campaign's engine on the process-wide runtime, waiting for input.
    pub fn start(client: Client, options: CampaignOptions) -> Result<Feed<P>> {
        let rt = crate::runtime::runtime()?;
        let (batch_size, concurrency) = options.shape(&client)?;
        let max_held = batch_size.saturating_mul(concurrency.saturating_add(1).saturating_mul(2));
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            settled: Notify::new(),
            room: Notify::new(),
            stopped: AtomicBool::new(false),
        });

        let (options, progress) = options.recording_progress();

        let (input, mut queued) = mpsc::channel::<P>(concurrency);
        let stopped = shared.clone();
        let stopping = shared.clone();
        // Stopping ends the input at the next message, whether it is the first of a push or
        // in the middle of one (checked by plain iterators: a stream combinator per message
        // cost ~100 instructions).
        let messages = stream::poll_fn(move |cx| {
            if stopped.stopped.load(Ordering::Acquire) {
                Poll::Ready(None)
            } else {
                queued.poll_recv(cx)
            }
        })
        .flat_map(move |pushed| {
            let stopped = stopping.clone();
            stream::iter(
                pushed
                    .into_requests()
                    .into_iter()
                    .take_while(move |_| !stopped.stopped.load(Ordering::Acquire)),
            )
        });
        let results = client.campaign(messages, options)?;
        let task = shared.clone();
        rt.spawn(async move {
            let collecting = async {
                // A batch's results come out of the engine back to back: taken together, they
                // are handed out together.
                let mut results = pin!(results.ready_chunks(1024));
                while let Some(settled) = results.next().await {
                    let mut s = task.state();
                    for r in settled {
                        s.order.insert(r);
                    }
                    if s.order.ready() {
                        drop(s);
                        task.settled.notify_waiters();
                    }
                }
            };
            // The state is only ever changed whole under its lock, so it stays sound.
            let panicked = AssertUnwindSafe(collecting).catch_unwind().await.err();
            {
                let mut s = task.state();
                s.finished = true;
                s.panic = panicked;
            }
            task.settled.notify_waiters();
            task.room.notify_waiters();
        });
        Ok(Feed {
            input: Mutex::new(Some(input)),
            owed: Mutex::new(Owed {
                ready: false,
                parked: None,
            }),
            shared,
            batch_size,
            max_held,
            half_in_flight: batch_size.saturating_mul(concurrency.div_ceil(2)),
            started_in: StartedIn::this_process(),
            progress,
        })
    }

    /// Cloned out of the lock: a push waiting for room must not hold up `end` or `stop`.
    fn sender(&self) -> Option<mpsc::Sender<P>> {
        if self.shared.stopped.load(Ordering::Acquire) {
            return None;
        }
        self.input.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn owed(&self) -> MutexGuard<'_, Owed<P>> {
        self.owed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues messages; batches of `batch_size` are formed across pushes (a batch goes out once
    /// it is full, or at [`end`](Self::end)). Never waits: after [`Pushed::Wait`],
    /// [`ready`](Self::ready) must be awaited before the next push.
    pub fn push(&self, messages: P) -> Result<Pushed> {
        self.started_in.check()?;
        let mut owed = self.owed();
        if owed.ready {
            return Err(Error::invalid_argument(
                "campaign push: await ready() after a push that had to wait",
            ));
        }
        let Some(input) = self.sender() else {
            return Ok(Pushed::Closed);
        };
        if messages.is_empty() {
            return Ok(Pushed::Queued);
        }
        let count = messages.len();
        let held = {
            let mut s = self.shared.state();
            s.held += count;
            s.pushed += count as u64;
            s.held
        };
        match input.try_send(messages) {
            // Full once another batch would not fit: a caller that pushes until told to wait
            // then holds no more than the bound (waiting only past it held a batch more).
            Ok(()) if held.saturating_add(self.batch_size) > self.max_held => {
                owed.ready = true;
                Ok(Pushed::Wait)
            }
            Ok(()) => Ok(Pushed::Queued),
            Err(mpsc::error::TrySendError::Full(messages)) => {
                *owed = Owed {
                    ready: true,
                    parked: Some(messages),
                };
                Ok(Pushed::Wait)
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                let mut s = self.shared.state();
                s.held -= count;
                s.pushed -= count as u64;
                Ok(Pushed::Closed)
            }
        }
    }

    /// Inputs pushed so far: the input index (`ItemResult::index`) the next pushed input's
    /// result will have, for a caller that names a bad input before pushing it.
    pub fn pushed(&self) -> u64 {
        self.shared.state().pushed
    }

    /// After [`Pushed::Wait`]: resolves once the push is queued and there is room for the next
    /// ones (half the queue free, and half the requests in flight's worth within the holding
    /// bound), so that they go through without a wait each. False when the campaign stopped taking input.
    pub async fn ready(&self) -> bool {
        // After fork() the engine is not in this process: waiting would never end. False sends
        // the caller on to `next`, which says why.
        if self.started_in.check().is_err() {
            return false;
        }
        let room = self.queue_room().await && self.held_room().await;
        self.owed().ready = false;
        room
    }

    /// Queues a parked push, then waits for half the queue to be free.
    async fn queue_room(&self) -> bool {
        let parked = self.owed().parked.take();
        let Some(input) = self.sender() else {
            return false;
        };
        if let Some(messages) = parked {
            if input.send(messages).await.is_err() {
                return false;
            }
            // The permits go back at once: this only waits for the room.
            if input
                .reserve_many(input.max_capacity().div_ceil(2))
                .await
                .is_err()
            {
                return false;
            }
        }
        true
    }

    /// Waits until `half_in_flight` more inputs fit within the holding bound.
    async fn held_room(&self) -> bool {
        loop {
            let mut room = pin!(self.shared.room.notified());
            room.as_mut().enable();
            if self.shared.stopped.load(Ordering::Acquire) {
                return false;
            }
            {
                let s = self.shared.state();
                if s.finished {
                    // The engine stopped reading (a 401 or 402 halts the campaign).
                    return false;
                }
                if s.held.saturating_add(self.half_in_flight) <= self.max_held {
                    return true;
                }
            }
            room.await;
        }
    }

    /// Whether a batch more fits within the holding bound now: what a caller that pushes and
    /// drains on one thread checks before it reads more input (see
    /// [`push_blocking`](Self::push_blocking)). It asks once it is done with the results it was
    /// handed last, so those count as consumed (it could only wait for room they give back).
    /// False once the campaign was stopped, and in a process forked after it started.
    pub fn has_room(&self) -> bool {
        if self.started_in.check().is_err() || self.shared.stopped.load(Ordering::Acquire) {
            return false;
        }
        let s = self.shared.state();
        s.held
            .saturating_sub(s.with_caller)
            .saturating_add(self.batch_size)
            <= self.max_held
    }

    /// No more input: the campaign finishes once what is queued has been sent.
    pub fn end(&self) {
        if self.started_in.check().is_err() {
            // Closing the queue would wake the engine's task on the parent's runtime, which
            // has no threads here: the sender is left as it is, unused.
            if let Ok(mut input) = self.input.try_lock() {
                std::mem::forget(input.take());
            }
            return;
        }
        self.input.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// Sends nothing more: queued input is dropped unsent (it gets no result); the batches in
    /// flight settle and [`next`](Self::next) still hands out their results, then `done`.
    pub fn stop(&self) {
        if self.started_in.check().is_err() {
            return self.end();
        }
        self.shared.stopped.store(true, Ordering::Release);
        self.owed().parked.take();
        self.end();
        self.shared.room.notify_waiters();
    }

    /// The results ready now (perhaps none), without waiting.
    pub fn take_ready(&self) -> Result<Settled> {
        self.started_in.check()?;
        self.release_last_hand_out();
        Ok(self.hand_out(self.shared.state()))
    }

    /// The caller is back for more: it is done with what it was handed last.
    fn release_last_hand_out(&self) {
        let mut s = self.shared.state();
        if s.with_caller > 0 {
            s.held = s.held.saturating_sub(std::mem::take(&mut s.with_caller));
            drop(s);
            self.shared.room.notify_waiters();
        }
    }

    fn hand_out(&self, mut s: MutexGuard<'_, State>) -> Settled {
        let (start, results) = s.order.take();
        s.with_caller = results.len();
        Settled {
            start,
            done: s.finished && s.order.is_empty(),
            progress: self.progress.get(),
            results,
        }
    }

    /// Inputs in half the requests in flight: a `gather` for [`next`](Self::next) that hands
    /// out a few batches at a time.
    pub fn half_in_flight(&self) -> usize {
        self.half_in_flight
    }

    /// The results settled since the previous call, in input order. Waits for the first one (or
    /// for the campaign to be over); then, until `gather` are ready, lingers up to `linger` for
    /// more, so that a caller paying per hand-out (a crossing into another runtime) pays once
    /// per few batches.
    pub async fn next(&self, gather: usize, linger: Duration) -> Result<Settled> {
        self.started_in.check()?;
        self.release_last_hand_out();
        let mut deadline: Option<Instant> = None;
        loop {
            let mut settled = pin!(self.shared.settled.notified());
            settled.as_mut().enable();
            {
                let mut s = self.shared.state();
                if s.order.is_empty() {
                    if let Some(panic) = s.panic.take() {
                        drop(s);
                        std::panic::resume_unwind(panic);
                    }
                }
                let enough = s.finished || s.order.ready_len() >= gather;
                let lingered = deadline.is_some_and(|d| Instant::now() >= d);
                if enough || (lingered && s.order.ready()) {
                    return Ok(self.hand_out(s));
                }
                if deadline.is_none() && s.order.ready() {
                    deadline = Some(Instant::now() + linger);
                    continue;
                }
            }
            match deadline {
                None => settled.await,
                Some(d) => {
                    let _ = tokio::time::timeout_at(d.into(), settled).await;
                }
            }
        }
    }
}

/// Blocking forms, for a caller on a plain thread or a `spawn_blocking` one (see
/// [`crate::runtime::block_on`]); inside an async task they would block its worker.
impl<P: Pushable> Feed<P> {
    /// [`push`](Self::push), waiting while the queue is full. It never waits for results to be
    /// taken, so one thread may push and drain; that thread checks
    /// [`has_room`](Self::has_room) before it reads more input. False when the campaign takes no
    /// more input.
    pub fn push_blocking(&self, messages: P) -> Result<bool> {
        match self.push(messages)? {
            Pushed::Queued => Ok(true),
            Pushed::Closed => Ok(false),
            Pushed::Wait => {
                let queued = crate::runtime::block_on(self.queue_room())?;
                self.owed().ready = false;
                Ok(queued)
            }
        }
    }

    /// [`next`](Self::next) without lingering, waiting up to `wait` for a first result (or the
    /// end); on time out, whatever is ready then (perhaps nothing).
    pub fn next_blocking(&self, wait: Duration) -> Result<Settled> {
        // Before the runtime is looked up: after a fork that would start one, to say no more.
        self.started_in.check()?;
        if wait.is_zero() {
            // Not through a timer: tokio's round up to the next millisecond, so a caller that
            // looks for results once per push would idle up to 1 ms each time.
            return self.take_ready();
        }
        crate::runtime::block_on(async {
            match tokio::time::timeout(wait, self.next(1, Duration::ZERO)).await {
                Ok(settled) => settled,
                Err(_) => self.take_ready(),
            }
        })?
    }
}

impl<P: Pushable> Drop for Feed<P> {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc as sync_mpsc;

    use futures_util::FutureExt;

    use super::*;
    use crate::testing::{in_child, no_server, Child};

    fn messages(count: usize) -> Vec<SmsRequest> {
        (0..count)
            .map(|i| SmsRequest::new("Acme", format!("+3460000{i:04}"), "hi"))
            .collect()
    }

    #[test]
    fn pushed_counts_the_inputs_taken_so_the_next_index_is_known() {
        let client = no_server().build().unwrap();
        let feed: Feed = Feed::start(client, CampaignOptions::default()).unwrap();
        assert_eq!(feed.pushed(), 0);
        assert_eq!(feed.push(messages(3)).unwrap(), Pushed::Queued);
        assert_eq!(feed.push(Vec::new()).unwrap(), Pushed::Queued);
        assert_eq!(feed.push(messages(2)).unwrap(), Pushed::Queued);
        assert_eq!(feed.pushed(), 5);
        feed.end();
        // Not taken: not counted.
        assert_eq!(feed.push(messages(1)).unwrap(), Pushed::Closed);
        assert_eq!(feed.pushed(), 5);
        feed.stop();
    }

    #[test]
    fn a_forked_child_is_told_why_even_when_the_parent_held_the_feeds_lock_at_the_fork() {
        // Every batch fails to connect, so the engine keeps settling results, and so taking the
        // feed's lock, while the test runs.
        let client = no_server().build().unwrap();
        let options = CampaignOptions {
            batch_size: 2,
            concurrency: Some(1),
            ..CampaignOptions::default()
        };
        let feed: Feed = Feed::start(client, options).unwrap();
        assert_eq!(feed.push(messages(2)).unwrap(), Pushed::Queued);

        // Another thread holds the lock across the fork, as the engine's task does whenever
        // results settle: in the child nobody ever releases it.
        let (locked, is_locked) = sync_mpsc::channel();
        let (release, released) = sync_mpsc::channel::<()>();
        let shared = feed.shared.clone();
        let holder = std::thread::spawn(move || {
            let _state = shared.state();
            locked.send(()).unwrap();
            let _ = released.recv();
        });
        is_locked.recv().unwrap();

        let child = in_child(Duration::from_secs(10), || {
            let is_fork_error = |r: Result<Settled>| {
                matches!(r, Err(e) if e.kind() == crate::ErrorKind::InvalidArgument
                    && e.to_string().contains("fork()"))
            };
            let refused = !feed.has_room()
                && feed.push(messages(1)).is_err()
                && is_fork_error(feed.take_ready())
                && is_fork_error(feed.next_blocking(Duration::from_millis(50)))
                && is_fork_error(feed.next_blocking(Duration::ZERO))
                && feed.ready().now_or_never() == Some(false);
            feed.stop();
            refused
        });
        release.send(()).unwrap();
        holder.join().unwrap();
        assert_eq!(child, Child::Passed);

        // The parent's campaign is untouched by its child.
        feed.end();
        let mut results = 0;
        loop {
            let settled = feed.next_blocking(Duration::from_secs(10)).unwrap();
            results += settled.results.len();
            if settled.done {
                break;
            }
        }
        assert_eq!(results, 2);
    }
}
