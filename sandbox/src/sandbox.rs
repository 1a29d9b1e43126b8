//! The running sandbox: started on the caller's runtime (`start`) or on its own (`spawn`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use crate::admin;
use crate::clock;
use crate::config::{Faults, SandboxConfig};
use crate::dlr;
use crate::ledger::LedgerMessage;
use crate::registry::new_id;
use crate::router::API_PREFIX;
use crate::server;
use crate::state::State;
use crate::stats::{Counters, Stats};
use crate::webhook::{Event, Webhooks};

/// Inbound texts that are opt-outs (compared case-insensitively, surrounding spaces ignored).
pub const STOP_WORDS: &[&str] = &["STOP", "BAJA"];

/// A running sandbox. Dropping it (or `shutdown`) stops the server, the DLRs and the webhooks.
pub struct Sandbox {
    state: Arc<State>,
    addr: SocketAddr,
    runtime: tokio::runtime::Handle,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
    /// The process whose thread `thread` is.
    spawned_in: u32,
}

impl Sandbox {
    /// Starts on the caller's tokio runtime and returns once listening.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        config.checked()?;
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let counters = Arc::new(Counters::default());
        let webhooks = config
            .webhook
            .clone()
            .map(|url| Webhooks::start(url, counters.clone(), stopped.clone()))
            .transpose()?;
        let (dlr_tx, dlr_rx) = mpsc::unbounded_channel();
        let state = Arc::new(State::new(&config, counters, dlr_tx, webhooks));
        tokio::spawn(dlr::run(
            state.clone(),
            dlr_rx,
            config.dlr_delay,
            stopped.clone(),
        ));
        tokio::spawn(server::accept_loop(listener, state.clone(), stopped));
        Ok(Sandbox {
            state,
            addr,
            runtime: tokio::runtime::Handle::current(),
            stop,
            thread: None,
            spawned_in: std::process::id(),
        })
    }

    /// Starts on a thread of its own with its own 2-worker runtime; usable from sync code and
    /// FFI. Returns once listening.
    pub fn spawn(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("instasent-sandbox")
            .enable_all()
            .build()?;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("instasent-sandbox".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match Sandbox::start(config).await {
                        Ok(sandbox) => {
                            let mut stopped = sandbox.stop.subscribe();
                            let _ = ready_tx.send(Ok(sandbox));
                            let _ = stopped.wait_for(|stop| *stop).await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let mut sandbox = ready_rx.recv().map_err(|_| {
            std::io::Error::other("the sandbox thread ended before it was listening")
        })??;
        sandbox.thread = Some(thread);
        Ok(sandbox)
    }

    /// A failure of `start` or `spawn` as an SDK error, for the bindings: a refused setting (a
    /// fault rate outside 0-1) is the caller's mistake, anything else (the port taken, no
    /// threads left) is the machine's.
    pub fn start_error(e: std::io::Error) -> instasent::Error {
        let kind = match e.kind() {
            std::io::ErrorKind::InvalidInput => instasent::ErrorKind::InvalidArgument,
            _ => instasent::ErrorKind::Transport,
        };
        instasent::Error::new(kind, format!("the sandbox could not start: {e}")).with_source(e)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/transactional/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, API_PREFIX)
    }

    pub fn token(&self) -> &str {
        &self.state.token
    }

    /// Every accepted message, in ledger order, with its latest status.
    pub fn messages(&self) -> Vec<LedgerMessage> {
        admin::messages(&self.state, None)
    }

    pub fn stats(&self) -> Stats {
        self.state.counters.snapshot()
    }

    pub fn faults(&self) -> Faults {
        self.state.faults()
    }

    /// Replaces the injected faults; a rate outside 0–1 is refused (`InvalidInput`) and the
    /// faults stay as they were.
    pub fn set_faults(&self, faults: Faults) -> std::io::Result<()> {
        faults.checked()?;
        self.state.set_faults(faults);
        Ok(())
    }

    /// Clears the ledger, lookups, verifications, stats and rate-limit windows; restores the
    /// starting balance. Faults stay as they are.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Posts an inbound message to the webhook: status `stop` for an opt-out word
    /// ([`STOP_WORDS`]), `inbound` otherwise.
    pub fn inject_inbound(&self, from: &str, to: &str, text: &str) {
        let event = inbound_event(from, to, text);
        if let Some(webhooks) = self.state.webhooks.clone() {
            self.runtime
                .spawn(async move { webhooks.send(event).await });
        }
    }

    /// The code a verification sent, for tests.
    pub fn verify_code(&self, verify_id: &str) -> Option<String> {
        self.state.registry.lock().unwrap().verify_code(verify_id)
    }

    pub fn shutdown(self) {}
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            // In a fork()ed child the thread is the parent's: joining it there fails (std
            // panics and prints a backtrace), and there is nothing of it to wait for.
            if self.spawned_in == std::process::id() {
                let _ = thread.join();
            } else {
                std::mem::forget(thread);
            }
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish()
    }
}

/// The webhook body of an inbound message.
pub fn inbound_event(from: &str, to: &str, text: &str) -> Event {
    let stop = STOP_WORDS
        .iter()
        .any(|w| text.trim().eq_ignore_ascii_case(w));
    Event {
        id: new_id(),
        client_id: None,
        status: if stop { "stop" } else { "inbound" },
        code: 0,
        event_at: clock::now_rfc3339(),
        message: Some(text.to_string()),
        from: Some(from.to_string()),
        to: Some(to.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use instasent::ErrorKind;

    fn start_error_of(config: SandboxConfig) -> instasent::Error {
        match Sandbox::spawn(config) {
            Ok(_) => panic!("the sandbox started"),
            Err(e) => Sandbox::start_error(e),
        }
    }

    #[test]
    fn a_port_in_use_is_the_machines_failure_and_a_bad_fault_rate_the_callers() {
        let first = Sandbox::spawn(SandboxConfig::default()).unwrap();
        let taken = start_error_of(SandboxConfig {
            addr: first.addr(),
            ..SandboxConfig::default()
        });
        assert_eq!(taken.kind(), ErrorKind::Transport);
        assert!(taken.to_string().contains("could not start"), "{taken}");

        let refused = start_error_of(SandboxConfig {
            faults: Faults {
                error_rate: 1.5,
                ..Faults::default()
            },
            ..SandboxConfig::default()
        });
        assert_eq!(refused.kind(), ErrorKind::InvalidArgument);
        assert!(refused.to_string().contains("errorRate"), "{refused}");
    }
}
