//! The one tokio runtime of the process, for the blocking client and the bindings. Created on
//! first use; a process forked after that gets a fresh one instead of the parent's, whose worker
//! threads do not exist in the child (using it would hang).

use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
// For the bindings' own per-process state (Python's answering thread), not an API of the SDK.
#[doc(hidden)]
pub use crate::per_process::PerProcess;

/// Read without a lock: a lock held by another thread at a `fork()` stays held in the child.
static RUNTIME: PerProcess<Arc<tokio::runtime::Runtime>> = PerProcess::empty();

/// Worker threads of the shared runtime: I/O bound work, two are plenty on any machine and keep
/// the footprint small inside host processes.
const WORKER_THREADS: usize = 2;

/// The runtime of this process (re-created after `fork()`; the parent's, whose threads the
/// child does not have, is leaked: dropping it would wait for them for ever).
pub fn runtime() -> Result<Arc<tokio::runtime::Runtime>> {
    RUNTIME.get_or_make(new_runtime)
}

// Never inlined: leak checkers know the process's runtime, kept for the life of the process, by
// this frame (bindings-c/tests/valgrind.supp).
#[inline(never)]
fn new_runtime() -> Result<Arc<tokio::runtime::Runtime>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("instasent-rt")
        .enable_all()
        .build()
        .map_err(|e| {
            Error::new(ErrorKind::Transport, "could not start the I/O runtime").with_source(e)
        })?;
    Ok(Arc::new(rt))
}

/// Runs `fut` to completion on the shared runtime, from synchronous code: a plain thread, a
/// `spawn_blocking` closure, `block_in_place`, or a callback the blocking client runs itself.
///
/// tokio refuses to start a `block_on` on a thread that is in a runtime's context, and cannot
/// tell a `spawn_blocking` thread (where blocking is what it is for) from an async worker. So
/// there the call runs on a short-lived thread of its own while this one waits. On a worker of
/// a multi-thread runtime the wait goes through `block_in_place`, which hands the worker's
/// queued tasks to another thread: a blocking call from a campaign's `on_progress` (which runs
/// on the SDK's own runtime) waited for ever for a connection task queued behind it. On a
/// current-thread runtime the wait blocks the runtime, as any blocking call does: async code
/// should use the async client.
pub fn block_on<F>(fut: F) -> Result<F::Output>
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    let rt = runtime()?;
    match tokio::runtime::Handle::try_current() {
        Err(_) => Ok(rt.block_on(fut)),
        Ok(here) if here.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| on_a_thread_of_its_own(&rt, fut))
        }
        Ok(_) => on_a_thread_of_its_own(&rt, fut),
    }
}

fn on_a_thread_of_its_own<F>(rt: &tokio::runtime::Runtime, fut: F) -> Result<F::Output>
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("instasent-call".into())
            .spawn_scoped(scope, || rt.block_on(fut))
            .map_err(|e| {
                Error::new(
                    ErrorKind::Transport,
                    "could not start a thread for the call",
                )
                .with_source(e)
            })?
            .join()
            .map_err(|panic| std::panic::resume_unwind(panic))
    })
}

/// [`block_on`] for a future that cannot leave this thread: refused (`InvalidArgument`) where
/// a runtime's context is set, as tokio would panic there.
pub fn block_on_here<F: std::future::Future>(fut: F) -> Result<F::Output> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::invalid_argument(
            "a blocking call was made from inside an async runtime; use the async client there",
        ));
    }
    Ok(runtime()?.block_on(fut))
}

/// Marks a campaign with the process that started it. Its engine runs on that process's
/// runtime, whose threads a `fork()`ed child does not have, and a lock one of them held at the
/// fork stays locked in the child: every entry point checks this first, so that the child gets
/// an error instead of a wait that never ends.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct StartedIn {
    pid: u32,
}

impl StartedIn {
    /// The current process.
    pub fn this_process() -> StartedIn {
        StartedIn {
            pid: std::process::id(),
        }
    }

    /// `InvalidArgument` in a process forked after the campaign started.
    pub fn check(&self) -> Result<()> {
        self.check_for("this campaign")
    }

    /// As [`StartedIn::check`], for something other than a campaign ("this iterator").
    pub fn check_for(&self, what: &str) -> Result<()> {
        if std::process::id() == self.pid {
            Ok(())
        } else {
            Err(Error::invalid_argument(format!(
                "{what} was started in the parent process; start a new one after fork()"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_runtime_per_process() {
        let a = runtime().unwrap();
        let b = runtime().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(block_on(async { 41 + 1 }).unwrap(), 42);
    }

    #[test]
    fn block_on_works_wherever_a_runtime_context_is_set() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let in_spawn_blocking = rt
            .block_on(rt.spawn_blocking(|| block_on(async { 1 })))
            .unwrap();
        assert_eq!(in_spawn_blocking.unwrap(), 1);
        let in_block_in_place =
            rt.block_on(async { tokio::task::block_in_place(|| block_on(async { 2 })) });
        assert_eq!(in_block_in_place.unwrap(), 2);
        let entered = rt.enter();
        assert_eq!(block_on(async { 3 }).unwrap(), 3);
        drop(entered);
        // Even on a current-thread runtime's own thread: it waits instead of panicking.
        let current = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(
            current.block_on(async { block_on(async { 4 }) }).unwrap(),
            4
        );
    }
}
