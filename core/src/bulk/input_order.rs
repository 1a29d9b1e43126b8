//! Results handed out in input order, whatever order their batches settle in.

use std::collections::VecDeque;

use super::outcome::ItemResult;

/// Results in input order: the engine yields them as their batches settle, so one waits here
/// until every earlier one has settled.
#[derive(Default)]
pub(super) struct InputOrder {
    /// Results of inputs `next`, `next + 1`, …: ready to hand out.
    ready: Vec<ItemResult>,
    /// Slot `i` holds the result of input `next + ready.len() + i` once it has settled (the
    /// first slot is always empty: that input has not settled).
    early: VecDeque<Option<ItemResult>>,
    next: u64,
}

impl InputOrder {
    pub(super) fn insert(&mut self, r: ItemResult) {
        let at = (r.index - self.next) as usize - self.ready.len();
        if at == 0 {
            // The usual case: results of a batch arrive back to back and in order.
            self.ready.push(r);
            if !self.early.is_empty() {
                self.early.pop_front();
                while let Some(Some(_)) = self.early.front() {
                    self.ready.extend(self.early.pop_front().flatten());
                }
            }
            return;
        }
        if at >= self.early.len() {
            self.early.resize_with(at + 1, || None);
        }
        self.early[at] = Some(r);
    }

    pub(super) fn ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// Results that `take` would hand out now.
    pub(super) fn ready_len(&self) -> usize {
        self.ready.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ready.is_empty() && self.early.is_empty()
    }

    pub(super) fn take(&mut self) -> (u64, Vec<ItemResult>) {
        let start = self.next;
        // As many are likely ready by the next take: room for them now, not grown into.
        let room = Vec::with_capacity(self.ready.len());
        let out = std::mem::replace(&mut self.ready, room);
        self.next += out.len() as u64;
        (start, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::outcome::tests::result as accepted;

    #[test]
    fn results_leave_in_input_order_once_every_earlier_one_settled() {
        let mut order = InputOrder::default();
        order.insert(accepted(1));
        assert!(!order.ready());
        order.insert(accepted(0));
        order.insert(accepted(3));
        assert_eq!(order.ready_len(), 2);
        let (start, out) = order.take();
        assert_eq!(
            (start, out.iter().map(|r| r.index).collect::<Vec<_>>()),
            (0, vec![0, 1])
        );
        order.insert(accepted(2));
        let (start, out) = order.take();
        assert_eq!(
            (start, out.iter().map(|r| r.index).collect::<Vec<_>>()),
            (2, vec![2, 3])
        );
        assert!(order.is_empty());
        assert_eq!(order.take(), (4, vec![]));
        // Far ahead, then the gap filled from its end.
        for i in [9, 7, 8, 5, 6, 4] {
            order.insert(accepted(i));
            assert_eq!(order.ready(), i == 4);
        }
        let (start, out) = order.take();
        assert_eq!(
            (start, out.iter().map(|r| r.index).collect::<Vec<_>>()),
            (4, vec![4, 5, 6, 7, 8, 9])
        );
        assert!(order.is_empty());
    }

    /// A permutation of `0..n` (n < 300): the order in which inputs settle.
    fn arrival_order() -> impl proptest::strategy::Strategy<Value = Vec<u64>> {
        use proptest::prelude::*;
        proptest::collection::vec(any::<u16>(), 0..300).prop_map(|keys| {
            let mut indices: Vec<u64> = (0..keys.len() as u64).collect();
            indices.sort_by_key(|&i| (keys[i as usize], i));
            indices
        })
    }

    proptest::proptest! {
        #[test]
        fn any_arrival_order_hands_out_every_result_once_in_input_order(
            order in arrival_order(),
            take_every in 1..50usize,
        ) {
            use proptest::prelude::*;
            let mut window = InputOrder::default();
            let mut handed = Vec::new();
            for (k, &i) in order.iter().enumerate() {
                window.insert(accepted(i));
                if k % take_every == 0 {
                    let (start, out) = window.take();
                    prop_assert_eq!(start, handed.len() as u64);
                    handed.extend(out.into_iter().map(|r| r.index));
                }
            }
            let (start, out) = window.take();
            prop_assert_eq!(start, handed.len() as u64);
            handed.extend(out.into_iter().map(|r| r.index));
            prop_assert!(window.is_empty());
            prop_assert_eq!(handed, (0..order.len() as u64).collect::<Vec<_>>());
        }
    }
}
