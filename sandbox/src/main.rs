//! `instasent-sandbox`: runs the emulator until SIGINT/SIGTERM. Prints exactly one line on
//! stdout, `INSTASENT_BASE_URL=…`, once it is listening; diagnostics go to stderr.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use instasent_sandbox::{
    FaultFlags, RateLimits, Sandbox, SandboxConfig, DEFAULT_READ_TIMEOUT, DEFAULT_TOKEN,
};

#[derive(Parser)]
#[command(
    name = "instasent-sandbox",
    version,
    about = "Local emulator of the Instasent Transactional SMS API"
)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Token requests must carry.
    #[arg(long, env = "INSTASENT_TOKEN", default_value = DEFAULT_TOKEN, hide_env_values = true, hide_default_value = true)]
    token: String,
    /// Serve requests that carry no token (a wrong token is still refused).
    #[arg(long)]
    no_auth: bool,
    /// Webhook URL for DLRs and inbound messages.
    #[arg(long)]
    webhook: Option<String>,
    #[command(flatten)]
    faults: FaultFlags,
    /// Rate-limit window, in seconds.
    #[arg(long, default_value_t = RateLimits::default().window_secs)]
    window_secs: u64,
    /// POST /sms requests per window.
    #[arg(long, default_value_t = RateLimits::default().sms)]
    limit_sms: u64,
    /// POST /sms/bulk requests per window.
    #[arg(long, default_value_t = RateLimits::default().bulk)]
    limit_bulk: u64,
    /// Requests per window of each other endpoint, counted apart (GET /sms, GET /sms/{id},
    /// POST /lookup, GET /organization/account, ...: each may make this many).
    #[arg(long, default_value_t = RateLimits::default().other)]
    limit_other: u64,
    /// Starting balance, EUR.
    #[arg(long, default_value_t = 1000.0)]
    balance: f64,
    /// Time between the `sent` DLR and the next one, in milliseconds.
    #[arg(long, default_value_t = 50)]
    dlr_delay_ms: u64,
    /// Seconds a client may take to send a request's head, then its body: a stalled head
    /// closes the connection, a stalled body is answered 408.
    #[arg(long, default_value_t = DEFAULT_READ_TIMEOUT.as_secs())]
    read_timeout_secs: u64,
}

impl Args {
    fn into_config(self) -> Result<SandboxConfig, String> {
        let faults = self.faults.faults()?;
        let mut config = SandboxConfig::default()
            .token(self.token)
            .addr(self.addr)
            .faults(faults)
            .limits(
                RateLimits::default()
                    .window_secs(self.window_secs)
                    .sms(self.limit_sms)
                    .bulk(self.limit_bulk)
                    .other(self.limit_other),
            )
            .balance(self.balance)
            .dlr_delay(Duration::from_millis(self.dlr_delay_ms))
            .require_token(!self.no_auth)
            .read_timeout(Duration::from_secs(self.read_timeout_secs));
        config.webhook = self.webhook;
        Ok(config)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Args::parse().into_config() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("instasent-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("instasent-sandbox: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let printed =
        writeln!(stdout, "INSTASENT_BASE_URL={}", sandbox.base_url()).and_then(|_| stdout.flush());
    drop(stdout);
    if let Err(e) = printed {
        eprintln!("instasent-sandbox: cannot write to stdout: {e}");
        return ExitCode::FAILURE;
    }
    wait_for_signal().await;
    sandbox.shutdown();
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fault_flags_reach_the_config() {
        let args = [
            "instasent-sandbox",
            "--drop-rate",
            "0.25",
            "--fault-seed",
            "3",
        ];
        let config = Args::try_parse_from(args).unwrap().into_config().unwrap();
        assert_eq!(config.faults.drop_after_commit_rate, 0.25);
        assert_eq!(config.faults.seed, Some(3));
        let args = ["instasent-sandbox", "--error-rate", "1.5"];
        let refused = Args::try_parse_from(args)
            .unwrap()
            .into_config()
            .unwrap_err();
        assert!(refused.contains("--error-rate"), "{refused}");
    }
}
