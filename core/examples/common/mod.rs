//! Where the examples send: the API named by `INSTASENT_BASE_URL` and `INSTASENT_TOKEN`
//! (e.g. a running `instasent sandbox`), or a sandbox embedded in the example when they are
//! unset, so every example runs offline as is.

#![allow(dead_code)]

use instasent_sandbox::{Sandbox, SandboxConfig};

pub struct Target {
    pub base_url: String,
    pub token: String,
    /// Kept alive for the example's lifetime when embedded.
    pub sandbox: Option<Sandbox>,
}

pub fn target(webhook: Option<String>) -> Target {
    match (
        std::env::var("INSTASENT_BASE_URL"),
        std::env::var("INSTASENT_TOKEN"),
    ) {
        (Ok(base_url), Ok(token)) if !base_url.is_empty() && !token.is_empty() => Target {
            base_url,
            token,
            sandbox: None,
        },
        _ => {
            let sandbox = Sandbox::spawn(SandboxConfig {
                webhook,
                ..SandboxConfig::default()
            })
            .expect("the embedded sandbox starts");
            eprintln!(
                "(no INSTASENT_BASE_URL/INSTASENT_TOKEN: using an embedded sandbox at {})",
                sandbox.base_url()
            );
            Target {
                base_url: sandbox.base_url(),
                token: sandbox.token().to_string(),
                sandbox: Some(sandbox),
            }
        }
    }
}

impl Target {
    pub fn builder(&self) -> instasent::ClientBuilder {
        instasent::Client::builder(&self.token).base_url(&self.base_url)
    }
}
