//! `instasent`: a thin command-line front end over the `instasent` core.

mod args;
mod campaign;
mod commands;
mod connect;
mod fail;
mod output;
mod receiver;

use clap::error::ErrorKind as ClapErrorKind;
use clap::Parser;

use args::{Cli, Command};
use connect::Target;
use fail::{one_line, CliResult, Failure};
use output::note;

fn main() {
    quiet_panics();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => exit_on_clap_error(e),
    };
    let code = match run(cli) {
        Ok(()) => 0,
        Err(failure) => {
            note(format_args!("error: {failure}"));
            failure.exit_code()
        }
    };
    std::process::exit(code);
}

/// A panic must not reach the user as a stack trace: it becomes one `error:` line. Output
/// cut short by a closed pipe (`instasent … | head`) ends the process quietly, as a SIGPIPE
/// would for any other tool. The hook itself must not panic (a closed stderr): a panic inside
/// it aborts the process.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unexpected failure".into());
        if !message.contains("Broken pipe") {
            note(format_args!(
                "error: internal error: {}",
                one_line(&message)
            ));
        }
        std::process::exit(1);
    }));
}

/// Help and version go to stdout as clap renders them; a usage mistake is one line.
fn exit_on_clap_error(e: clap::Error) -> ! {
    match e.kind() {
        ClapErrorKind::DisplayHelp | ClapErrorKind::DisplayVersion => e.exit(),
        _ => {
            // clap's first paragraph is the message (a missing-argument list continues on
            // indented lines); the usage and tips after it stay behind --help.
            let rendered = e.render().to_string();
            let first = rendered.trim_start().split("\n\n").next().unwrap_or("");
            let message = first.trim().trim_start_matches("error:").trim();
            note(format_args!("error: {} (see --help)", one_line(message)));
            std::process::exit(2);
        }
    }
}

fn run(cli: Cli) -> CliResult {
    // The process-wide runtime of the core: the client's connections live on it.
    let runtime = instasent::runtime::runtime()?;
    runtime.block_on(dispatch(cli))
}

async fn dispatch(cli: Cli) -> CliResult {
    let Cli { global, command } = cli;
    match command {
        Command::Segments(args) => commands::segments::run(args),
        Command::Dlr(args) => commands::dlr::run(args).await,
        Command::Sandbox(args) => {
            if global.sandbox {
                return Err(Failure::usage(
                    "`sandbox` already runs a sandbox; drop --sandbox",
                ));
            }
            commands::sandbox::run(&global, args).await
        }
        command => {
            let target = Target::connect(&global).await?;
            let result = match command {
                Command::Send(args) => commands::send::run(&target, args).await,
                Command::Campaign(args) => campaign::run(&target, args).await,
                Command::Lookup(args) => commands::account::lookup(&target, args).await,
                Command::Balance(args) => commands::account::balance(&target, args).await,
                Command::Prices(args) => commands::account::prices(&target, args).await,
                Command::Segments(_) | Command::Dlr(_) | Command::Sandbox(_) => Ok(()),
            };
            target.close().await;
            result
        }
    }
}
