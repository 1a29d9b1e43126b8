//! What every request handler shares.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::config::{Faults, SandboxConfig};
use crate::countries::eur_to_micros;
use crate::dlr::{Batch, DlrSender};
use crate::ledger::{IdScheme, Ledger};
use crate::registry::Registry;
use crate::stats::Counters;
use crate::webhook::Webhooks;
use crate::window::Windows;

pub struct State {
    pub token: String,
    pub require_token: bool,
    /// `SandboxConfig::read_timeout`.
    pub read_timeout: Duration,
    pub ids: IdScheme,
    pub ledger: Mutex<Ledger>,
    pub registry: Mutex<Registry>,
    pub windows: Windows,
    faults: Mutex<Faults>,
    /// Fault decisions come from here, not from the thread-local generator, so a seed pins them.
    fault_rng: Mutex<fastrand::Rng>,
    /// Forced 429s still to send (`Faults::rate_limit_burst` counts down here).
    burst: AtomicU32,
    pub counters: Arc<Counters>,
    pub dlr: DlrSender,
    pub webhooks: Option<Webhooks>,
}

impl State {
    pub fn new(
        config: &SandboxConfig,
        counters: Arc<Counters>,
        dlr: DlrSender,
        webhooks: Option<Webhooks>,
    ) -> Self {
        State {
            token: config.token.clone(),
            require_token: config.require_token,
            read_timeout: config.read_timeout,
            ids: IdScheme {
                tag: fastrand::u32(..),
            },
            ledger: Mutex::new(Ledger::new(eur_to_micros(config.balance))),
            registry: Mutex::new(Registry::default()),
            windows: Windows::new(config.limits.clone()),
            burst: AtomicU32::new(config.faults.rate_limit_burst),
            faults: Mutex::new(config.faults.clone()),
            fault_rng: Mutex::new(
                config
                    .faults
                    .seed
                    .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed),
            ),
            counters,
            dlr,
            webhooks,
        }
    }

    /// The current faults, with the forced 429s that are left.
    pub fn faults(&self) -> Faults {
        let mut faults = self.faults.lock().unwrap().clone();
        faults.rate_limit_burst = self.burst.load(Ordering::Relaxed);
        faults
    }

    pub fn set_faults(&self, faults: Faults) {
        self.burst.store(faults.rate_limit_burst, Ordering::Relaxed);
        if let Some(seed) = faults.seed {
            self.fault_rng.lock().unwrap().seed(seed);
        }
        *self.faults.lock().unwrap() = faults;
    }

    /// The draws one request is judged by: (500 before commit, drop after commit). Always both,
    /// so that with a seed the k-th request's fate does not depend on the ones before it.
    pub fn fault_draws(&self) -> (f64, f64) {
        let mut rng = self.fault_rng.lock().unwrap();
        (rng.f64(), rng.f64())
    }

    /// Takes one forced 429, if any are left.
    pub fn take_burst(&self) -> bool {
        self.burst
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
    }

    /// Starts the DLRs of freshly committed messages.
    pub fn schedule_dlrs(&self, seqs: Vec<u64>) {
        if !seqs.is_empty() {
            let _ = self.dlr.send(Batch {
                seqs,
                step: 0,
                due: Instant::now(),
            });
        }
    }

    pub fn reset(&self) {
        self.ledger.lock().unwrap().reset();
        self.registry.lock().unwrap().clear();
        self.counters.reset();
        self.windows.reset();
    }
}

/// Resolves once the sandbox is shutting down (or its handle is gone).
pub async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}
