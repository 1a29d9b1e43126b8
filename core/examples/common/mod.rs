//! Where the examples send: the API at `INSTASENT_BASE_URL` with `INSTASENT_TOKEN` (e.g. a
//! running `instasent sandbox`), or a sandbox embedded in the example, so every example runs
//! offline as is.

#![allow(dead_code)]

use instasent_sandbox::{Sandbox, SandboxConfig};

pub struct Target {
    /// `None`: the SDK's default (`INSTASENT_BASE_URL`, else production).
    pub base_url: Option<String>,
    pub token: String,
    /// Kept alive for the example's lifetime when embedded.
    pub sandbox: Option<Sandbox>,
}

fn unset(var: &str) -> bool {
    std::env::var(var).map_or(true, |v| v.is_empty())
}

/// The sending examples embed a sandbox unless both `INSTASENT_BASE_URL` and `INSTASENT_TOKEN`
/// are set: a token alone in the shell must not send the campaign example's 2,000 messages to
/// production.
pub fn not_both_set() -> bool {
    unset("INSTASENT_TOKEN") || unset("INSTASENT_BASE_URL")
}

/// The webhook examples embed one when no API is named, as in every language: a real API
/// could not reach their loopback receiver anyway.
pub fn no_base_url() -> bool {
    unset("INSTASENT_BASE_URL")
}

pub fn target(embed: bool, webhook: Option<String>) -> Target {
    match embed {
        false => Target {
            base_url: None,
            token: std::env::var("INSTASENT_TOKEN").expect("INSTASENT_TOKEN is set"),
            sandbox: None,
        },
        true => {
            let mut config = SandboxConfig::default();
            config.webhook = webhook;
            let sandbox = Sandbox::spawn(config).expect("the embedded sandbox starts");
            eprintln!("(using an embedded sandbox at {})", sandbox.base_url());
            Target {
                base_url: Some(sandbox.base_url()),
                token: sandbox.token().to_string(),
                sandbox: Some(sandbox),
            }
        }
    }
}

impl Target {
    pub fn builder(&self) -> instasent::ClientBuilder {
        let builder = instasent::Client::builder(&self.token);
        match &self.base_url {
            Some(url) => builder.base_url(url),
            None => builder,
        }
    }
}
