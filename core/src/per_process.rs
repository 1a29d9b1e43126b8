//! A value of which each process has its own (the runtime, a blocking client's connections),
//! read and replaced without a lock.
//!
//! A lock is what a `fork()` breaks: one held by another thread at the fork stays held for good
//! in the child, which has only the forking thread, so the child's next call waited for ever
//! (Python servers fork while other threads are busy: gunicorn `--preload`, multiprocessing).
//! Here a reader takes no lock, and the rare maker holds a lock stamped with its process id,
//! which a child takes over from its parent instead of waiting for it.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

struct Slot<T> {
    pid: u32,
    value: T,
}

/// A value of which each process has its own, read without a lock (see the module's notes).
pub struct PerProcess<T> {
    /// Never freed while another reader may hold it: a slot is only replaced in a forked child,
    /// where the parent's one is leaked (its value belongs to threads the child does not have).
    slot: AtomicPtr<Slot<T>>,
    /// The process id of the thread making this process's value, 0 when none is.
    making: AtomicU32,
    /// Owns its slots (see the `Send` and `Sync` impls).
    _owns: PhantomData<*const Slot<T>>,
}

impl<T> std::fmt::Debug for PerProcess<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The value is not shown: reading it here would need `T: Clone` and could run in a
        // forked child before its own value is made.
        f.debug_struct("PerProcess").finish_non_exhaustive()
    }
}

// SAFETY: a value is made on one thread and cloned and dropped on others: moving one between
// threads needs `T: Send`, sharing the cell needs that and `T: Sync` for the clones.
unsafe impl<T: Send> Send for PerProcess<T> {}
unsafe impl<T: Send + Sync> Sync for PerProcess<T> {}

impl<T: Clone> PerProcess<T> {
    /// Holding nothing yet.
    pub const fn empty() -> Self {
        PerProcess {
            slot: AtomicPtr::new(std::ptr::null_mut()),
            making: AtomicU32::new(0),
            _owns: PhantomData,
        }
    }

    /// Holding `value` for the current process.
    pub fn new(value: T) -> Self {
        let made = PerProcess::empty();
        made.slot.store(
            Box::into_raw(Box::new(Slot {
                pid: std::process::id(),
                value,
            })),
            Ordering::Release,
        );
        made
    }

    /// This process's value; made by `make` the first time this process asks (a value
    /// inherited over a fork is never used, nor dropped). `make` runs once per process at a
    /// time; an error from it is returned and the next call tries again.
    pub fn get_or_make<E>(&self, make: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let pid = std::process::id();
        if let Some(value) = self.of(pid) {
            return Ok(value);
        }
        let _making = self.start_making(pid);
        if let Some(value) = self.of(pid) {
            return Ok(value);
        }
        let fresh = Box::into_raw(Box::new(Slot {
            pid,
            value: make()?,
        }));
        // Only the maker stores, so the slot seen here is still the parent's (or none).
        self.slot.store(fresh, Ordering::Release);
        // SAFETY: `fresh` was just made from a Box and is freed only by `drop`.
        Ok(unsafe { (*fresh).value.clone() })
    }

    /// This process's value, if it has been made.
    pub fn get(&self) -> Option<T> {
        self.of(std::process::id())
    }

    fn of(&self, pid: u32) -> Option<T> {
        // SAFETY: a slot is freed only by `drop`, which has `&mut self`.
        let slot = unsafe { self.slot.load(Ordering::Acquire).as_ref() }?;
        (slot.pid == pid).then(|| slot.value.clone())
    }

    /// Waits while another thread of this process makes the value (once per process, for the
    /// time a runtime or a client takes to build); takes over from a maker of another process
    /// (a parent that forked while making it: that thread is not here).
    fn start_making(&self, pid: u32) -> Making<'_> {
        loop {
            let maker = self.making.load(Ordering::Acquire);
            if maker != pid
                && self
                    .making
                    .compare_exchange(maker, pid, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
            {
                return Making(&self.making);
            }
            std::thread::yield_now();
        }
    }
}

/// Lets go of the making lock.
struct Making<'a>(&'a AtomicU32);

impl Drop for Making<'_> {
    fn drop(&mut self) {
        self.0.store(0, Ordering::Release);
    }
}

impl<T> Drop for PerProcess<T> {
    fn drop(&mut self) {
        let slot = *self.slot.get_mut();
        // SAFETY: `&mut self`: nobody else reads it. Another process's value is leaked on
        // purpose (dropping it could wait on threads that are not in this process).
        if let Some(s) = unsafe { slot.as_ref() } {
            if s.pid == std::process::id() {
                drop(unsafe { Box::from_raw(slot) });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    #[test]
    fn made_once_per_process_and_shared_by_every_thread() {
        let cell = Arc::new(PerProcess::<Arc<u64>>::empty());
        let made = Arc::new(AtomicUsize::new(0));
        let values: Vec<Arc<u64>> = (0..8)
            .map(|i| {
                let (cell, made) = (cell.clone(), made.clone());
                std::thread::spawn(move || {
                    cell.get_or_make(|| {
                        made.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        Ok::<_, ()>(Arc::new(i))
                    })
                    .unwrap()
                })
            })
            .map(|t| t.join().unwrap())
            .collect();
        assert_eq!(made.load(Ordering::SeqCst), 1);
        assert!(values.iter().all(|v| Arc::ptr_eq(v, &values[0])));
    }

    #[test]
    fn a_failed_make_is_tried_again() {
        let cell = PerProcess::<u8>::empty();
        assert_eq!(cell.get_or_make(|| Err("no")), Err("no"));
        assert_eq!(cell.get(), None);
        assert_eq!(cell.get_or_make(|| Ok::<_, ()>(7)), Ok(7));
        assert_eq!(cell.get_or_make(|| Ok::<_, ()>(8)), Ok(7));
    }

    #[test]
    fn a_value_or_a_maker_of_another_process_is_not_this_process() {
        let cell = PerProcess::new(1u8);
        // As a forked child sees them: both stamped with its parent's id.
        // SAFETY: the test owns the cell.
        unsafe { (*cell.slot.load(Ordering::Acquire)).pid = 1 };
        cell.making.store(1, Ordering::Release);
        assert_eq!(cell.get_or_make(|| Ok::<_, ()>(2)), Ok(2));
        assert_eq!(cell.making.load(Ordering::Acquire), 0);
    }
}
