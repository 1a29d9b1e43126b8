//! Where commands send to: the API named by the global options, or a sandbox embedded in this
//! process whose webhook points at an embedded DLR receiver (so delivery reports really travel
//! over HTTP back to us).

use std::net::SocketAddr;

use instasent::{Client, ClientBuilder};
use instasent_sandbox::{Sandbox, SandboxConfig};

use crate::args::Global;
use crate::fail::{insecure_http_hint_for, CliResult, Failure};
use crate::receiver::{Echo, Receiver};

/// Identifies this front end in the User-Agent (`instasent-cli/0.1.0 instasent-rust/…`).
const USER_AGENT: &str = concat!("instasent-cli/", env!("CARGO_PKG_VERSION"));

pub struct Target {
    pub client: Client,
    /// The embedded sandbox, when `--sandbox` was given; shut down on drop.
    pub sandbox: Option<Sandbox>,
    /// Receives the embedded sandbox's delivery reports.
    pub receiver: Option<Receiver>,
}

impl Target {
    pub async fn connect(global: &Global) -> CliResult<Target> {
        if global.sandbox {
            return Target::embedded().await;
        }
        let token = global
            .token
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| {
                Failure::usage(
                    "no API token: set INSTASENT_TOKEN or pass --token (or use --sandbox)",
                )
            })?;
        // `INSTASENT_BASE_URL=` (set but empty, as `VAR= cmd` or an emptied .env leaves it)
        // means no choice, as the core reads it, not a URL to refuse.
        let base_url = global
            .base_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or(instasent::DEFAULT_BASE_URL);
        let client = ClientBuilder::new(token)
            .user_agent(USER_AGENT)
            .base_url(base_url)
            .build()
            .map_err(|e| Failure::from(e).map_message(insecure_http_hint_for))?;
        Ok(Target {
            client,
            sandbox: None,
            receiver: None,
        })
    }

    /// The base URL requests go to, without the `user:password@` it may carry: for messages.
    pub fn shown_base_url(&self) -> String {
        without_userinfo(self.client.base_url())
    }

    /// Stops the embedded sandbox, if any.
    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            let _ = tokio::task::spawn_blocking(move || sandbox.shutdown()).await;
        }
    }

    async fn embedded() -> CliResult<Target> {
        let receiver = Receiver::start(SocketAddr::from(([127, 0, 0, 1], 0)), Echo::Quiet)
            .await
            .map_err(|e| Failure::run(format!("could not start the DLR receiver: {e}")))?;
        let config = SandboxConfig::default().webhook(receiver.url());
        let sandbox = spawn_sandbox(config).await?;
        let client = ClientBuilder::new(sandbox.token())
            .base_url(sandbox.base_url())
            .user_agent(USER_AGENT)
            .build()?;
        Ok(Target {
            client,
            sandbox: Some(sandbox),
            receiver: Some(receiver),
        })
    }
}

/// `Sandbox::spawn` blocks until the sandbox listens, so it runs off the async workers.
pub async fn spawn_sandbox(config: SandboxConfig) -> CliResult<Sandbox> {
    let addr = config.addr;
    tokio::task::spawn_blocking(move || Sandbox::spawn(config))
        .await
        .map_err(|e| Failure::run(format!("could not start the sandbox: {e}")))?
        .map_err(|e| Failure::run(format!("could not start the sandbox on {addr}: {e}")))
}

/// `url` (as the core parsed it: a `/` in a password is escaped) without its userinfo.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    match authority.rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_url_keeps_no_credentials() {
        assert_eq!(
            without_userinfo("https://ops:p%2Fw@api.example.com/transactional/v1"),
            "https://api.example.com/transactional/v1"
        );
        assert_eq!(
            without_userinfo("http://127.0.0.1:4010/v1/a@b"),
            "http://127.0.0.1:4010/v1/a@b"
        );
    }
}
