//! What the unit tests share: a client with no server behind it, and test code run in a forked
//! child, the way a host process (gunicorn, multiprocessing) forks after using the SDK.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::{ClientBuilder, RetryPolicy};

/// Nothing listens on port 9 of loopback: a request that goes out fails at once with
/// `Transport` (no retries), and plain http needs no certificates to build the client.
pub fn no_server() -> ClientBuilder {
    ClientBuilder::new("t")
        .base_url("http://127.0.0.1:9/transactional/v1")
        .retry_policy(RetryPolicy::none())
}

/// How a forked child ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Child {
    /// `check` returned true.
    Passed,
    /// `check` returned false or panicked.
    Failed,
    /// Still running at the deadline: killed.
    Hung,
}

/// Forks; the child runs `check` and exits at once (the test harness's threads do not exist
/// there, so it must not return into the harness); the parent waits up to `deadline`.
pub fn in_child(deadline: Duration, check: impl FnOnce() -> bool) -> Child {
    // SAFETY: the child runs only `check` and then `_exit`, and never returns into the parent's
    // code; glibc keeps malloc usable in a child forked from a threaded process.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let passed = catch_unwind(AssertUnwindSafe(check)).unwrap_or(false);
        unsafe { libc::_exit(if passed { 0 } else { 1 }) }
    }
    let until = Instant::now() + deadline;
    let mut status = 0;
    loop {
        // SAFETY: waits for our own child only.
        let done = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if done == pid {
            let passed = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
            return if passed { Child::Passed } else { Child::Failed };
        }
        if Instant::now() > until {
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            return Child::Hung;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
