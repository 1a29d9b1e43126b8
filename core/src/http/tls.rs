//! TLS settings of the HTTP client.
//!
//! Reading and parsing the system's root certificates took 3–4 ms of every `Client`'s
//! construction (base64 of the whole PEM bundle; `bench/import.sh`, second client of a
//! process), which a web app that builds a client per request paid on every request. The settings are built once per process and shared; like
//! most HTTP stacks, a process sees root certificates installed after its first `https`
//! client only when restarted. A plain-`http` client (the sandbox on loopback) reads none at
//! all, so it also works where the system has no certificates (slim containers).

use std::sync::{Arc, OnceLock};

use rustls::client::Resumption;
use rustls::crypto::CryptoProvider;
use rustls::ClientConfig;

/// What reqwest offers when it builds the settings itself (`http2` feature, no version pinned).
const ALPN: [&[u8]; 2] = [b"h2", b"http/1.1"];

/// The settings of every `https` client: the platform's verifier over the system's roots,
/// the crypto provider the application installed (else aws-lc-rs, as reqwest picks), and
/// reqwest's own defaults otherwise. A failure is not kept: the next client tries again.
pub(crate) fn shared_https_config() -> Result<ClientConfig, rustls::Error> {
    static SHARED: OnceLock<ClientConfig> = OnceLock::new();
    let shared = match SHARED.get() {
        Some(config) => config,
        None => {
            let config = platform_config()?;
            SHARED.get_or_init(|| config)
        }
    };
    let mut config = shared.clone();
    // The session cache is the one part that changes, behind a lock: each client keeps its own,
    // as before, so a client made in a forked child never waits on a lock the parent held.
    config.resumption = Resumption::default();
    Ok(config)
}

fn platform_config() -> Result<ClientConfig, rustls::Error> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = ALPN.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_https_settings_are_built_once_and_offer_h2_then_http1() {
        let config = shared_https_config().expect("this machine has root certificates");
        assert_eq!(
            config.alpn_protocols,
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
        assert!(config.enable_sni);
        // Built once: a second client shares the first one's settings (the provider is a new
        // `Arc` each time they are built, as no application installed one in this test).
        let again = shared_https_config().unwrap();
        assert!(Arc::ptr_eq(
            config.crypto_provider(),
            again.crypto_provider()
        ));
    }

    /// What an `https` client says in its TLS ClientHello, read by a plain TCP listener
    /// standing in for the API: the handshake goes no further.
    async fn client_hello_of(base: &str) -> (Vec<u8>, crate::ErrorKind) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let client = crate::ClientBuilder::new("t")
            .base_url(base.replace("PORT", &port.to_string()))
            .retry_policy(crate::RetryPolicy::none())
            .build()
            .unwrap();
        let hello = tokio::spawn(async move {
            use tokio::io::AsyncReadExt;
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut hello = vec![0u8; 4096];
            let n = socket.read(&mut hello).await.unwrap();
            hello.truncate(n);
            hello
        });
        let err = client.get_account_balance().await.unwrap_err();
        (hello.await.unwrap(), err.kind())
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[tokio::test]
    async fn an_https_client_speaks_tls_with_sni_and_alpn_through_the_shared_settings() {
        let (hello, kind) = client_hello_of("https://localhost:PORT/transactional/v1").await;
        assert_eq!(hello.first(), Some(&0x16), "a TLS handshake record");
        assert!(contains(&hello, b"localhost"), "SNI names the host");
        assert!(
            contains(&hello, b"\x02h2\x08http/1.1"),
            "ALPN offers h2, then http/1.1"
        );
        assert_eq!(kind, crate::ErrorKind::Transport);
    }

    #[tokio::test]
    async fn a_plain_http_client_sends_plain_http() {
        let (hello, kind) = client_hello_of("http://127.0.0.1:PORT/transactional/v1").await;
        assert!(hello.starts_with(b"GET /transactional/v1/organization/account HTTP/1.1"));
        assert_eq!(kind, crate::ErrorKind::Transport);
    }
}
