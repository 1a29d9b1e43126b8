//! `instasent.Sandbox`: the embedded `instasent-sandbox` emulator, started in-process on a free
//! loopback port, for tests and demos.

use std::sync::Mutex;

use instasent_sandbox::{Faults, RateLimits, Sandbox as Core, SandboxConfig};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{from_py, real, seconds, ser_to_py, whole, Str};
use crate::error::{invalid, to_py_err};

/// A local Instasent API on a loopback port, stateful (ledger, balance, verifications, delivery
/// reports to a webhook) for your tests. Use it as a context manager; it stops on exit (or on
/// `stop()`). `client()` gives a `Client` of it.
///
/// `Sandbox(**options)`, every option by keyword:
/// - token: the token requests must carry (default "sandbox-token")
/// - require_token: when False, requests without a token are served too (default True)
/// - balance: starting balance in EUR (default 1000.0)
/// - dlr_delay: seconds between a message's `sent` report and the next one (default 0.05)
/// - webhook: URL the delivery reports and inbound messages are POSTed to (default None)
/// - faults: dict of `error_rate`, `latency_ms`, `drop_after_commit_rate`, `rate_limit_burst`,
///   `seed` (see `set_faults`)
/// - limits: dict of `window_secs`, `sms`, `bulk`, `other`: requests allowed per window
/// - port: the loopback port (default 0: a free one)
#[pyclass(frozen, module = "instasent")]
pub struct Sandbox {
    inner: Mutex<Option<Core>>,
}

/// `faults`/`limits` from their keyword arguments; a key nobody reads is refused (a typo such
/// as `error_rates=1.0` would otherwise leave the faults off without a word), named as the
/// caller spells keys.
fn json_into<T: serde::de::DeserializeOwned>(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    serde_path_to_error::deserialize(from_py(obj)?).map_err(|e| {
        let (path, reason) = (e.path().to_string(), e.inner().to_string());
        // The key is written between backticks so that `snake_names` spells it as the caller did.
        let key = match instasent::error::input_path(&path, &reason) {
            Some(path) => format!("`{path}`: "),
            None => String::new(),
        };
        invalid(format!(
            "invalid {what}: {}",
            snake_names(&format!("{key}{reason}"))
        ))
    })
}

/// serde's message with every `` `camelCase` `` name in it written `` `snake_case` ``.
fn snake_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 8);
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 0 {
            out.push_str(part);
            continue;
        }
        for c in part.chars() {
            if c.is_ascii_uppercase() {
                out.push('_');
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// `{"error_rate": 1.0}` and `{"errorRate": 1.0}` both name `Faults::error_rate`.
fn camel_keys<'py>(kwargs: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(kwargs.py());
    for (k, v) in kwargs.iter() {
        let key = k.extract::<Str>()?;
        let mut camel = String::with_capacity(key.len());
        let mut upper = false;
        for c in key.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                camel.extend(c.to_uppercase());
                upper = false;
            } else {
                camel.push(c);
            }
        }
        out.set_item(camel, v)?;
    }
    Ok(out)
}

/// The faults a `faults=` dict or `set_faults(**faults)` asks for, refused with the keys
/// spelled as the caller spelled them.
fn faults_of(faults: Option<&Bound<'_, PyDict>>) -> PyResult<Faults> {
    let Some(d) = faults else {
        return Ok(Faults::default());
    };
    let faults = json_into::<Faults>("faults", camel_keys(d)?.as_any())?;
    faults
        .check()
        .map_err(|e| invalid(format!("invalid faults: {}", snake_names(&e))))?;
    Ok(faults)
}

impl Sandbox {
    fn with<T>(&self, f: impl FnOnce(&Core) -> T) -> PyResult<T> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| invalid("the sandbox has been stopped"))
    }
}

#[pymethods]
impl Sandbox {
    // Documented on the class: Python shows the class's docstring for its constructor.
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut config = SandboxConfig::default();
        if let Some(options) = options {
            for (key, value) in options.iter() {
                let key = key.extract::<Str>()?;
                match &*key {
                    "token" => config.token = value.extract::<Str>()?.into(),
                    "balance" => config.balance = real("balance", &value)?,
                    "require_token" => config.require_token = value.extract()?,
                    "dlr_delay" => config.dlr_delay = seconds("dlr_delay", &value)?,
                    "webhook" => config.webhook = value.extract::<Option<Str>>()?.map(String::from),
                    "port" => config.addr.set_port(whole("port", &value)?),
                    "faults" => {
                        config.faults = faults_of(Some(value.cast::<PyDict>()?))?;
                    }
                    "limits" => {
                        let d = value.cast::<PyDict>()?;
                        config.limits = json_into::<RateLimits>("limits", camel_keys(d)?.as_any())?;
                    }
                    other => {
                        return Err(invalid(format!(
                            "unknown sandbox option {other:?} (expected token, balance, \
                             require_token, dlr_delay, webhook, faults, limits, port)"
                        )))
                    }
                }
            }
        }
        let core = py
            .detach(|| Core::spawn(config))
            .map_err(|e| to_py_err(Core::start_error(e)))?;
        Ok(Sandbox {
            inner: Mutex::new(Some(core)),
        })
    }

    /// `http://127.0.0.1:PORT/transactional/v1`.
    #[getter]
    fn base_url(&self) -> PyResult<String> {
        self.with(Core::base_url)
    }

    /// The token the sandbox accepts.
    #[getter]
    fn token(&self) -> PyResult<String> {
        self.with(|s| s.token().to_owned())
    }

    /// The loopback port it listens on.
    #[getter]
    fn port(&self) -> PyResult<u16> {
        self.with(|s| s.addr().port())
    }

    /// The ledger: every accepted message, as dicts in the API's camelCase names.
    fn messages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let messages = self.with(Core::messages)?;
        let list = PyList::empty(py);
        for m in &messages {
            list.append(ser_to_py(py, m)?)?;
        }
        Ok(list)
    }

    /// Counters since start (or `reset()`), in the API's camelCase names: `requests`,
    /// `acceptedMessages`, `rejectedItems`, `rateLimited`, `injectedErrors`,
    /// `droppedConnections`, `webhooksSent`, `webhooksFailed`.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let stats = self.with(Core::stats)?;
        ser_to_py(py, &stats)
    }

    /// The injected faults now in force: `errorRate`, `latencyMs`, `dropAfterCommitRate`,
    /// `rateLimitBurst` (the 429s still to send) and `seed`.
    fn faults<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let faults = self.with(Core::faults)?;
        ser_to_py(py, &faults)
    }

    /// Replaces the injected faults: `set_faults(error_rate=1.0)`, `latency_ms=…`,
    /// `drop_after_commit_rate=…`, `rate_limit_burst=…`; omitted ones are cleared.
    #[pyo3(signature = (**faults))]
    fn set_faults(&self, faults: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        let faults = faults_of(faults)?;
        self.with(|s| s.set_faults(faults))?
            .map_err(|e| invalid(format!("invalid faults: {e}")))
    }

    /// Clears the ledger, verifications and faults, and restores the balance.
    fn reset(&self) -> PyResult<()> {
        self.with(Core::reset)
    }

    /// Simulates an inbound SMS (delivered to the webhook, when one is set).
    fn inject_inbound(&self, sender: Str, to: Str, text: Str) -> PyResult<()> {
        self.with(|s| s.inject_inbound(&sender, &to, &text))
    }

    /// The code a verification sent (what the handset would have received).
    fn verify_code(&self, verify_id: Str) -> PyResult<Option<String>> {
        self.with(|s| s.verify_code(&verify_id))
    }

    /// A `Client` for this sandbox (its base URL and token); options as `Client`'s. The client
    /// keeps the sandbox running while it lives (until `stop()`).
    #[pyo3(signature = (**options))]
    fn client(
        slf: &Bound<'_, Self>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<crate::client::Client> {
        let b = slf.get().client_builder(options)?;
        Ok(crate::client::Client {
            inner: std::sync::Arc::new(
                instasent::blocking::Client::from_builder(b).map_err(to_py_err)?,
            ),
            serves: Some(slf.clone().into_any().unbind()),
        })
    }

    /// Stops the server (idempotent).
    fn stop(&self, py: Python<'_>) {
        let core = self.inner.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(core) = core {
            py.detach(|| core.shutdown());
        }
    }

    /// The sandbox itself; leaving the `with` block stops it.
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Stops the sandbox (as `stop()`); an exception raised in the block goes on.
    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.stop(py);
        false
    }

    fn __repr__(&self) -> String {
        match self.with(Core::base_url) {
            Ok(url) => format!("instasent.Sandbox(base_url={url:?})"),
            Err(_) => "instasent.Sandbox(stopped)".into(),
        }
    }
}

impl Sandbox {
    fn client_builder(
        &self,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<instasent::ClientBuilder> {
        let (url, token) = self.with(|s| (s.base_url(), s.token().to_owned()))?;
        let mut b = crate::convert::builder(&token, options)?;
        let has_url = options
            .map(|o| o.contains("base_url"))
            .transpose()?
            .unwrap_or(false);
        if !has_url {
            b = b.base_url(url);
        }
        Ok(b)
    }
}
