//! The fault flags of a command that runs the sandbox: the `instasent-sandbox` binary and
//! `instasent sandbox` take the same ones, read the same way (the `cli` feature).

use clap::Args;

use crate::config::Faults;

/// `--error-rate`, `--latency-ms`, `--drop-rate`, `--rate-limit-burst`, `--fault-seed`.
#[derive(Debug, Clone, Args)]
#[non_exhaustive]
pub struct FaultFlags {
    /// Share (0–1) of API requests answered 500.
    #[arg(long, default_value_t = 0.0)]
    pub error_rate: f64,
    /// Latency added to every API request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Share (0–1) of sends committed and then answered by dropping the connection.
    // `--drop-after-commit-rate` too: the core's name for it, which `instasent sandbox` took.
    #[arg(long, alias = "drop-after-commit-rate", default_value_t = 0.0)]
    pub drop_rate: f64,
    /// The next N authenticated API requests get 429.
    #[arg(long, default_value_t = 0)]
    pub rate_limit_burst: u32,
    /// Seed for the injected 500s and drops: the same seed, the same faults, request by request.
    #[arg(long, value_name = "N")]
    pub fault_seed: Option<u64>,
}

impl FaultFlags {
    /// The faults these flags ask for, or why they cannot be (a rate outside 0–1), in terms of
    /// the flags.
    pub fn faults(&self) -> Result<Faults, String> {
        let mut faults = Faults::default()
            .error_rate(self.error_rate)
            .latency_ms(self.latency_ms)
            .drop_after_commit_rate(self.drop_rate)
            .rate_limit_burst(self.rate_limit_burst);
        faults.seed = self.fault_seed;
        faults
            .check()
            .map_err(|e| format!("{e} (--error-rate and --drop-rate are shares from 0 to 1)"))?;
        Ok(faults)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        faults: FaultFlags,
    }

    fn faults(args: &[&str]) -> Result<Faults, String> {
        let args = std::iter::once("sandbox").chain(args.iter().copied());
        Command::try_parse_from(args).unwrap().faults.faults()
    }

    #[test]
    fn each_flag_sets_its_fault() {
        let f = faults(&[
            "--error-rate",
            "0.1",
            "--latency-ms",
            "7",
            "--drop-rate",
            "0.2",
            "--rate-limit-burst",
            "3",
            "--fault-seed",
            "42",
        ])
        .unwrap();
        let expected = Faults::default()
            .error_rate(0.1)
            .latency_ms(7)
            .drop_after_commit_rate(0.2)
            .rate_limit_burst(3)
            .seed(42);
        assert_eq!(f, expected);
        assert_eq!(faults(&[]).unwrap(), Faults::default());
    }

    #[test]
    fn the_drop_rate_takes_both_its_names() {
        for flag in ["--drop-rate", "--drop-after-commit-rate"] {
            let f = faults(&[flag, "0.25"]).unwrap();
            assert_eq!(f.drop_after_commit_rate, 0.25, "{flag}");
        }
    }

    #[test]
    fn a_rate_outside_0_to_1_is_refused_naming_the_flags() {
        let e = faults(&["--error-rate", "5"]).unwrap_err();
        assert!(
            e.contains("`errorRate` must be between 0 and 1, got 5"),
            "{e}"
        );
        assert!(e.contains("--error-rate and --drop-rate"), "{e}");
    }
}
