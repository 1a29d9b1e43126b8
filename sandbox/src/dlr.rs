//! Delivery reports: every committed message goes `sent` at once, then through the steps of its
//! outcome (`outcomes::DLR_OUTCOMES`), one every `dlr_delay`. One scheduler task handles whole
//! batches, so a 100-message bulk costs one queue entry and one ledger lock per step.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::clock;
use crate::outcomes;
use crate::state::State;
use crate::webhook::Event;

/// Messages (by ledger sequence number) due for the same step at the same time.
pub struct Batch {
    pub seqs: Vec<u64>,
    pub step: usize,
    pub due: Instant,
}

struct Entry {
    due: Instant,
    order: u64,
    batch: Batch,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.due, self.order) == (other.due, other.order)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.due, self.order).cmp(&(other.due, other.order))
    }
}

pub type DlrSender = mpsc::UnboundedSender<Batch>;

pub async fn run(
    state: Arc<State>,
    mut rx: mpsc::UnboundedReceiver<Batch>,
    delay: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut heap: BinaryHeap<Reverse<Entry>> = BinaryHeap::new();
    let mut order = 0u64;
    let mut push = |heap: &mut BinaryHeap<Reverse<Entry>>, batch: Batch| {
        order += 1;
        heap.push(Reverse(Entry {
            due: batch.due,
            order,
            batch,
        }));
    };
    loop {
        let next_due = heap.peek().map(|e| e.0.due);
        tokio::select! {
            _ = crate::state::stopped(&mut shutdown) => return,
            batch = rx.recv() => match batch {
                Some(batch) => push(&mut heap, batch),
                None => return,
            },
            _ = sleep_until(next_due), if next_due.is_some() => {
                let now = Instant::now();
                while heap.peek().is_some_and(|e| e.0.due <= now) {
                    let Reverse(entry) = heap.pop().expect("peeked");
                    if let Some(next) = apply(&state, entry.batch, delay).await {
                        push(&mut heap, next);
                    }
                }
            }
        }
    }
}

async fn sleep_until(due: Option<Instant>) {
    if let Some(due) = due {
        tokio::time::sleep_until(due).await;
    }
}

/// Applies one step to the ledger, queues the webhooks, and returns the batch of messages that
/// have a further step.
async fn apply(state: &State, batch: Batch, delay: Duration) -> Option<Batch> {
    let event_at = clock::now_rfc3339();
    let mut events = Vec::new();
    let mut next = Vec::new();
    {
        let mut ledger = state.ledger.lock().unwrap();
        for &seq in &batch.seqs {
            // A reset may have cleared the message since it was scheduled.
            let Some(stored) = ledger.get_mut(seq) else {
                continue;
            };
            let Some((status, code)) = outcomes::step(stored.msg.outcome, batch.step) else {
                continue;
            };
            stored.status = status;
            stored.code = code;
            if outcomes::step(stored.msg.outcome, batch.step + 1).is_some() {
                next.push(seq);
            }
            if state.webhooks.is_some() {
                events.push(Event {
                    id: state.ids.format(seq),
                    client_id: stored.msg.sms.client_id.clone(),
                    status,
                    code,
                    event_at: event_at.clone(),
                    message: None,
                    from: None,
                    to: None,
                });
            }
        }
    }
    if let Some(webhooks) = &state.webhooks {
        for event in events {
            webhooks.send(event).await;
        }
    }
    (!next.is_empty()).then(|| Batch {
        seqs: next,
        step: batch.step + 1,
        due: batch.due + delay,
    })
}
