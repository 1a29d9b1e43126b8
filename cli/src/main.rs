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
    instasent::logging::log_to_stderr_from_env();
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

/// Help and version go to stdout as clap renders them (exit 0). A command line without its
/// command (`instasent`, `instasent dlr`) gets the help that lists the commands, on stderr
/// (exit 2). Any other usage mistake is one line: clap's message and its tips (the similar
/// subcommand or argument a typo may have meant), without the usage block.
fn exit_on_clap_error(e: clap::Error) -> ! {
    match e.kind() {
        ClapErrorKind::DisplayHelp | ClapErrorKind::DisplayVersion => e.exit(),
        ClapErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            note(e.render().to_string().trim_end());
            std::process::exit(2);
        }
        _ => {
            note(format_args!("error: {} (see --help)", clap_message(&e)));
            std::process::exit(2);
        }
    }
}

/// clap renders paragraphs: the message (a missing-argument list continues on indented lines),
/// then `tip:` lines, the usage and a pointer to --help.
fn clap_message(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let mut paragraphs = rendered.split("\n\n").map(str::trim);
    let message = paragraphs.next().unwrap_or("");
    let message = message.strip_prefix("error:").unwrap_or(message).trim();
    let mut line = one_line(message);
    for tip in paragraphs.flat_map(str::lines).map(str::trim) {
        if tip.starts_with("tip:") {
            line.push_str("; ");
            line.push_str(&one_line(tip));
        }
    }
    line
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
                Command::History(args) => commands::history::run(&target, args).await,
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
