//! Messages into bulk batches. A batch is sent when it is full or the input has ended, and also
//! when the input has had nothing more to give for [`LINGER`]: a campaign fed by a long-lived
//! queue (a service handing it OTPs as they come) must not hold a message until 99 others
//! arrive. An input that is always ready (an iterator) never arms the timer.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;

/// How long a part-filled batch waits for more input that is not ready yet.
pub(crate) const LINGER: Duration = Duration::from_millis(20);

pub(crate) struct Batches<S: Stream> {
    input: Pin<Box<S>>,
    size: usize,
    batch: Vec<S::Item>,
    /// Armed while a part-filled batch waits for input that is not ready.
    lingering: Option<Pin<Box<tokio::time::Sleep>>>,
    ended: bool,
}

impl<S: Stream> Batches<S> {
    pub(crate) fn new(input: S, size: usize) -> Self {
        Batches {
            input: Box::pin(input),
            size,
            batch: Vec::with_capacity(size),
            lingering: None,
            ended: false,
        }
    }

    fn take(&mut self) -> Vec<S::Item> {
        self.lingering = None;
        std::mem::replace(&mut self.batch, Vec::with_capacity(self.size))
    }
}

impl<S: Stream> Unpin for Batches<S> {}

impl<S: Stream> Stream for Batches<S> {
    type Item = Vec<S::Item>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        loop {
            match this.input.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => {
                    this.batch.push(item);
                    if this.batch.len() >= this.size {
                        return Poll::Ready(Some(this.take()));
                    }
                }
                Poll::Ready(None) => {
                    this.ended = true;
                    return Poll::Ready((!this.batch.is_empty()).then(|| this.take()));
                }
                Poll::Pending if this.batch.is_empty() => return Poll::Pending,
                Poll::Pending => {
                    let lingering = this
                        .lingering
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(LINGER)));
                    return match lingering.as_mut().poll(cx) {
                        Poll::Ready(()) => Poll::Ready(Some(this.take())),
                        Poll::Pending => Poll::Pending,
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::{stream, StreamExt};

    use super::*;

    #[tokio::test]
    async fn a_ready_input_makes_full_batches_and_a_last_short_one() {
        let sizes: Vec<usize> = Batches::new(stream::iter(0..250), 100)
            .map(|b| b.len())
            .collect()
            .await;
        assert_eq!(sizes, [100, 100, 50]);
    }

    #[tokio::test]
    async fn a_part_filled_batch_goes_once_the_input_has_lingered() {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let mut batches = Batches::new(tokio_stream_of(rx), 100);
        for i in 0..3 {
            tx.send(i).unwrap();
        }
        let started = std::time::Instant::now();
        // The queue stays open and idle: the three go after the linger, not after 97 more
        // (which never come: without the linger this would wait for ever).
        let first = tokio::time::timeout(Duration::from_secs(30), batches.next()).await;
        assert_eq!(first.expect("sent without 97 more"), Some(vec![0, 1, 2]));
        assert!(started.elapsed() >= LINGER);
        tx.send(3).unwrap();
        drop(tx);
        assert_eq!(batches.next().await, Some(vec![3]));
        assert_eq!(batches.next().await, None);
    }

    fn tokio_stream_of<T>(
        mut rx: tokio::sync::mpsc::UnboundedReceiver<T>,
    ) -> impl Stream<Item = T> {
        stream::poll_fn(move |cx| rx.poll_recv(cx))
    }
}
