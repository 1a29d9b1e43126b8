//! The command line: global options and one struct per subcommand.

use std::net::SocketAddr;
use std::num::NonZeroU64;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use instasent_sandbox::FaultFlags;

#[derive(Debug, Parser)]
#[command(
    name = "instasent",
    version,
    about = "Send SMS through the Instasent Transactional API, run campaigns, count segments and receive delivery reports",
    after_help = "Token from INSTASENT_TOKEN (or --token); base URL from INSTASENT_BASE_URL (or --base-url).\n\
                  --sandbox runs the command against a local sandbox started for this process only.\n\
                  INSTASENT_LOG=info logs retries to stderr; =debug also every HTTP attempt (never the token, a text or a number)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// API token (`api_sms` scope). Prefer INSTASENT_TOKEN: a flag's value shows in `ps` to
    /// every user of the machine.
    #[arg(long, global = true, env = "INSTASENT_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// API base URL (default `https://api.instasent.com/transactional/v1`).
    // Its value stays out of --help: a URL may carry `user:pass@`.
    #[arg(
        long,
        global = true,
        env = "INSTASENT_BASE_URL",
        hide_env_values = true
    )]
    pub base_url: Option<String>,
    /// Run against an embedded sandbox on 127.0.0.1 whose delivery reports come back to this
    /// process; nothing leaves the machine.
    #[arg(long, global = true)]
    pub sandbox: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send one SMS (POST /sms).
    Send(SendArgs),
    /// Send every row of a CSV or JSON-lines file through POST /sms/bulk.
    ///
    /// Ctrl-C stops reading rows, lets the requests in flight finish, records them, prints the
    /// summary and exits 130; running the same command again sends the rest, and no row twice.
    Campaign(CampaignArgs),
    /// Show how a text travels: encoding, segments, units and the text of each part.
    Segments(SegmentsArgs),
    /// Delivery reports (DLR webhooks).
    #[command(subcommand)]
    Dlr(DlrCommand),
    /// The account's sent messages (GET /sms): list them, or find one by --id or --client-id.
    ///
    /// After a send whose answer was lost, `--client-id` tells whether the API took it.
    History(HistoryArgs),
    /// HLR lookup of one number (POST /lookup).
    Lookup(LookupArgs),
    /// Available balance (GET /organization/account).
    Balance(JsonFlag),
    /// Price per SMS segment (or per lookup) and country.
    Prices(PricesArgs),
    /// Run the local Transactional API emulator in the foreground until Ctrl-C.
    Sandbox(SandboxArgs),
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print the API's JSON body instead of a readable line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Sender ID: up to 11 letters/digits, or up to 14 digits.
    #[arg(long)]
    pub from: String,
    /// Destination in E.164 (+34600000000).
    #[arg(long)]
    pub to: String,
    /// The message. Characters outside GSM-7 need --unicode; `instasent segments` shows how it
    /// travels and what it costs in segments.
    #[arg(long)]
    pub text: String,
    /// Allow UCS-2 when the text has characters outside GSM-7.
    #[arg(long)]
    pub unicode: bool,
    /// Your reference (≤ 40 characters); one is generated when absent.
    #[arg(long)]
    pub client_id: Option<String>,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Args)]
pub struct CampaignArgs {
    /// CSV with a header row, JSON lines (.jsonl/.ndjson, or content starting with `{`) or a
    /// JSON array of objects (content starting with `[`, read whole); `-` reads standard input.
    /// A JSON `null` is an absent column.
    pub file: PathBuf,
    /// Text with `{column}` placeholders, for rows without a `text` or `template` column.
    #[arg(long)]
    pub template: Option<String>,
    /// Sender for rows without a `from` value.
    #[arg(long)]
    pub from: Option<String>,
    /// Allow UCS-2 for rows without an `allowUnicode` value.
    #[arg(long)]
    pub unicode: bool,
    /// Write one JSON line per input row (completion order, each with its `index`).
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Bulk requests in flight at once (default 8).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: Option<u16>,
    /// Messages per bulk request, 1–100.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub batch_size: u16,
    /// Part of every derived clientId: the same file name, messages and run id never send twice,
    /// whatever rows are added or removed around them; identical rows are told apart by their
    /// order (give them your own clientIds to repeat a message on purpose). A new run id sends
    /// the file again on purpose.
    #[arg(long, default_value = "")]
    pub run_id: String,
    /// After sending, wait for delivery reports and summarise them (with --sandbox they come
    /// back on their own; otherwise give --dlr-listen and point your account's webhook at it).
    #[arg(long)]
    pub wait_dlr: bool,
    /// Where to receive delivery reports while waiting (e.g. 0.0.0.0:8080).
    #[arg(long, value_name = "ADDR")]
    pub dlr_listen: Option<SocketAddr>,
    /// Longest wait for delivery reports, in seconds.
    #[arg(long, default_value_t = 30)]
    pub dlr_timeout: u64,
}

#[derive(Debug, Args)]
pub struct SegmentsArgs {
    /// The message text (quote it). Nothing is sent: the analysis is local.
    pub text: String,
    /// Replace look-alike characters by GSM-7 ones when that makes the message cheaper.
    #[arg(long)]
    pub smart: bool,
    /// Allow a national shift table when it saves segments.
    #[arg(long, value_enum)]
    pub shift_table: Option<ShiftTableArg>,
    /// Print the analysis as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShiftTableArg {
    Spanish,
    Portuguese,
    Turkish,
}

#[derive(Debug, Subcommand)]
pub enum DlrCommand {
    /// Receive DLR webhooks over HTTP and print one line per report.
    Listen(DlrListenArgs),
}

#[derive(Debug, Args)]
pub struct DlrListenArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Print each report as a JSON line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// One message by its Instasent id (GET /sms/{id}).
    #[arg(long, conflicts_with = "client_id")]
    pub id: Option<String>,
    /// The message sent with this clientId, looked for page by page (the API has no filter).
    #[arg(long)]
    pub client_id: Option<String>,
    /// How many messages to list, in the API's order.
    #[arg(long, default_value = "20", conflicts_with_all = ["id", "client_id"])]
    pub limit: NonZeroU64,
    /// Print each message as one JSON line, with every field the API gave (the text included).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Number in E.164 (+34600000000).
    pub number: String,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Args)]
pub struct PricesArgs {
    /// Prices of HLR lookups instead of SMS segments.
    #[arg(long)]
    pub lookup: bool,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub addr: SocketAddr,
    /// URL the sandbox POSTs delivery reports and inbound messages to.
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,
    /// Starting balance in EUR.
    #[arg(long, default_value_t = 1000.0)]
    pub balance: f64,
    /// Time between a message's `sent` report and the next one, in milliseconds.
    #[arg(long, default_value_t = 50)]
    pub dlr_delay_ms: u64,
    #[command(flatten)]
    pub faults: FaultFlags,
}
