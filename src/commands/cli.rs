//! The command line, as clap definitions. Parsing produces these typed
//! structs before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::render::Format;

#[derive(Debug, Parser)]
#[command(
    name = "wsctl",
    version,
    about = "Amazon WorkSpaces fleets as code: plan and apply images, bundles, BYOL and WorkSpaces from one TOML file",
    after_help = "Examples:\n  wsctl --sim plan -f examples/quickstart.toml      try it on the built-in simulator\n  wsctl plan --detailed-exitcode                    exit 2 when the account differs from fleet.toml\n  wsctl apply --auto-approve                        carry the plan out without asking"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Where to reach WorkSpaces. Credentials and the default region come from
/// the standard AWS chain (environment, profiles, SSO, instance roles).
#[derive(Debug, Args)]
pub struct Global {
    /// AWS region (default: the file's `settings.region`, then the AWS chain)
    #[arg(long, global = true, value_parser = region)]
    pub region: Option<String>,
    /// Named AWS profile
    #[arg(long, global = true, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub profile: Option<String>,
    /// Send API calls to this endpoint instead of AWS (e.g. a `wsctl sim serve`)
    #[arg(long, global = true, value_name = "URL", conflicts_with = "sim", value_parser = endpoint)]
    pub endpoint_url: Option<String>,
    /// Run against the built-in simulator, its account kept in .wsctl/sim.json
    #[arg(long, global = true)]
    pub sim: bool,
    /// Seconds to wait for a connection to the endpoint
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub connect_timeout: u64,
    /// Seconds one API call may take, its retries included
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub call_timeout: u64,
    /// End the run after this long (e.g. 30m, 2h), as Ctrl-C does: an apply stops starting calls, lets those in flight finish, says what was done, and exits 1
    #[arg(long, global = true, value_name = "DURATION", value_parser = deadline)]
    pub deadline: Option<std::time::Duration>,
}

/// `--deadline`: a duration as people write one (`90s`, `30m`, `1h 30m`).
fn deadline(text: &str) -> Result<std::time::Duration, String> {
    match humantime::parse_duration(text) {
        Ok(duration) if !duration.is_zero() => Ok(duration),
        _ => Err("a deadline is a duration such as 90s, 30m or 2h".to_owned()),
    }
}

/// `--region`: the rule the fleet file's `region` follows.
fn region(text: &str) -> Result<String, String> {
    if crate::spec::is_region(text) {
        Ok(text.to_owned())
    } else {
        Err("a region is 1–31 lowercase letters, digits and `-`, like `us-east-1`".to_owned())
    }
}

/// `--endpoint-url`: an http or https URL with a host.
fn endpoint(text: &str) -> Result<String, String> {
    let host = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Ok(text.to_owned())
        }
        _ => Err(
            "an endpoint is an http:// or https:// URL with a host, like http://127.0.0.1:4599"
                .to_owned(),
        ),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the fleet file without calling AWS
    #[command(after_help = "Example:\n  wsctl validate -f fleet.toml")]
    Validate(FileArgs),
    /// Show what apply would change
    #[command(
        after_help = "Examples:\n  wsctl plan\n  wsctl plan --format json > plan.json\n  wsctl plan --format markdown > plan.md   # a pull-request comment\n  wsctl plan --detailed-exitcode   # 0 no changes, 1 error, 2 changes\n  wsctl plan --out plan.json        # then: wsctl apply plan.json\n  wsctl plan --target workspace.alice"
    )]
    Plan(PlanArgs),
    /// Change the account to match the fleet file
    #[command(
        after_help = "Examples:\n  wsctl apply\n  wsctl apply --auto-approve --parallelism 20\n  wsctl apply plan.json    # a saved plan; refused if it was altered or the account changed since"
    )]
    Apply(ApplyArgs),
    /// Show the stack's monthly run-rate: each WorkSpace it owns, priced, and the totals
    #[command(
        after_help = "Examples:\n  wsctl cost\n  wsctl cost --by tag:team --by compute\n  wsctl cost --format markdown > cost.md    # a pull-request comment, with a pie chart\n  wsctl cost --format csv > cost.csv        # a spreadsheet\n  wsctl cost --format json | jq .total\n  wsctl --sim cost -f examples/quickstart.toml\n\nPrices come from the AWS Price List (pricing:GetProducts), kept a week in the\nuser's cache; a WorkSpace the Price List does not price is named, never guessed."
    )]
    Cost(CostArgs),
    /// Is the fleet used? Each WorkSpace's last connection, hours, cost in both running modes, and a verdict
    #[command(
        after_help = "Examples:\n  wsctl usage\n  wsctl usage --days 60 --format markdown > usage.md   # a pull-request comment\n  wsctl usage --format csv > usage.csv\n  wsctl --sim usage -f examples/quickstart.toml\n\nReads DescribeWorkspacesConnectionStatus (25 WorkSpaces a call) and CloudWatch\nGetMetricData (AWS/WorkSpaces UserConnected, 500 WorkSpaces a call); prices as\n`wsctl cost` does."
    )]
    Usage(UsageArgs),
    /// Tune the fleet file's running modes to usage: a diff to review, or --write
    #[command(
        after_help = "Examples:\n  wsctl tune                 # the fleet file's diff, nothing written\n  wsctl tune --write         # edit fleet.toml in place, comments kept\n  wsctl tune --days 60 -f fleet.toml\n\nA WorkSpace moves where its hours pass the break-even of the two running modes'\nprices by more than the margin; an unused one gets a comment, never removed.\n`tune = false` on a WorkSpace or in [defaults.workspace] opts out."
    )]
    Tune(TuneArgs),
    /// Render a saved plan
    #[command(
        after_help = "Examples:\n  wsctl show plan.json\n  wsctl show plan.json --format markdown"
    )]
    Show(ShowArgs),
    /// Write the fleet file of what the account has already, to adopt it
    #[command(
        after_help = "Examples:\n  wsctl import --stack engineering -o fleet.toml\n  wsctl import --directory d-1234567890 --user-pattern 'dev-*' -o dev.toml\n  wsctl import --stack engineering --include-owned -o fleet.toml --force   # a lost file, again\n\nThen `wsctl plan -f fleet.toml` shows only adoptions; `wsctl apply` tags what\nthe file lists as the stack's; commit the file."
    )]
    Import(ImportArgs),
    /// Terminate everything this stack owns
    #[command(after_help = "Example:\n  wsctl destroy --auto-approve --allow-data-loss")]
    Destroy(DestroyArgs),
    /// Print a JSON Schema: of the fleet file, or of `plan --format json`
    #[command(
        after_help = "Examples:\n  wsctl schema fleet > schema/fleet.schema.json\n  wsctl schema plan  > schema/plan.schema.json\n\nA fleet file whose first line is `#:schema ./schema/fleet.schema.json` (the\npath is relative to the fleet file) gets completion and checks in editors\nthat read it (Taplo, Even Better TOML)."
    )]
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  wsctl completions bash > ~/.local/share/bash-completion/completions/wsctl\n  wsctl completions zsh  > \"${fpath[1]}/_wsctl\"\n  wsctl completions fish > ~/.config/fish/completions/wsctl.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// List the rebuild and restore snapshots of the fleet's WorkSpaces
    #[command(
        after_help = "Examples:\n  wsctl snapshots\n  wsctl snapshots workspace.alice --format json"
    )]
    Snapshots(SnapshotsArgs),
    /// Restore one WorkSpace to its last restore snapshot (loses what changed since)
    #[command(after_help = "Example:\n  wsctl restore workspace.alice --allow-data-loss")]
    Restore(RestoreArgs),
    /// The WorkSpaces simulator
    #[command(after_help = "Example:\n  wsctl sim serve --listen 127.0.0.1:4599 --state sim.json")]
    Sim {
        #[command(subcommand)]
        command: SimCommand,
    },
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A plan saved by `wsctl plan --out`
    #[arg(value_name = "PLAN.json")]
    pub saved: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// The fleet file (schema/fleet.schema.json)
    Fleet,
    /// The document of `plan --format json` (schema/plan.schema.json)
    Plan,
}

/// The shells `completions` writes for; the scripts come from clap_complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct FileArgs {
    /// The fleet file
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        default_value = "fleet.toml"
    )]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub file: FileArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Exit 2 when there are changes, 0 when there are none
    #[arg(long)]
    pub detailed_exitcode: bool,
    #[command(flatten)]
    pub target: Targets,
    /// Also save the plan (JSON, with fingerprints of what it read) for `wsctl apply PLAN.json`
    #[arg(long, value_name = "PLAN.json")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub calls: Calls,
    #[command(flatten)]
    pub costs: Costs,
}

/// How a plan is priced, and the guard on what it may add to the bill.
#[derive(Debug, Args)]
pub struct Costs {
    /// Fetch the Price List's prices again, whatever the cache holds
    #[arg(long)]
    pub refresh_prices: bool,
    /// Hours an AUTO_STOP WorkSpace is assumed to run a month (default: `[settings] auto_stop_hours_per_month`, else 80)
    #[arg(long, value_name = "HOURS", value_parser = clap::value_parser!(u32).range(0..=744))]
    pub auto_stop_hours: Option<u32>,
    /// Price each existing AUTO_STOP WorkSpace at its own hours over the last DAYS days (CloudWatch GetMetricData, 500 WorkSpaces a call; DAYS defaults to 30) instead of the assumed hours
    #[arg(
        long,
        value_name = "DAYS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "30",
        value_parser = clap::value_parser!(u32).range(1..=455)
    )]
    pub usage_hours: Option<u32>,
    /// Fail (exit 1) when the plan adds more than this a month (default: `[settings] max_monthly_increase`)
    #[arg(long, value_name = "AMOUNT", value_parser = amount)]
    pub max_monthly_increase: Option<crate::prices::Money>,
    /// Go on when the plan adds more a month than the guard allows
    #[arg(long)]
    pub allow_cost_increase: bool,
}

#[derive(Debug, Args)]
pub struct CostArgs {
    #[command(flatten)]
    pub file: FileArgs,
    /// Group the totals by bundle, compute, mode, directory or tag:KEY; repeatable (default: the first four)
    #[arg(long = "by", value_name = "KEY")]
    pub by: Vec<crate::prices::GroupBy>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: crate::render::CostFormat,
    /// Fetch the Price List's prices again, whatever the cache holds
    #[arg(long)]
    pub refresh_prices: bool,
    /// Hours an AUTO_STOP WorkSpace is assumed to run a month (default: `[settings] auto_stop_hours_per_month`, else 80)
    #[arg(long, value_name = "HOURS", value_parser = clap::value_parser!(u32).range(0..=744))]
    pub auto_stop_hours: Option<u32>,
    #[command(flatten)]
    pub calls: Calls,
}

/// The window usage is read over.
#[derive(Debug, Args)]
pub struct Window {
    /// Days of usage to judge by, ending now (CloudWatch keeps hourly data 455 days)
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=455))]
    pub days: u32,
    /// Fetch the Price List's prices again, whatever the cache holds
    #[arg(long)]
    pub refresh_prices: bool,
}

#[derive(Debug, Args)]
pub struct UsageArgs {
    #[command(flatten)]
    pub file: FileArgs,
    #[command(flatten)]
    pub window: Window,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: crate::render::CostFormat,
    #[command(flatten)]
    pub calls: Calls,
}

#[derive(Debug, Args)]
pub struct TuneArgs {
    #[command(flatten)]
    pub file: FileArgs,
    #[command(flatten)]
    pub window: Window,
    /// Write the edits into the fleet file (a temporary file, then renamed over it) instead of printing its diff
    #[arg(long)]
    pub write: bool,
    #[command(flatten)]
    pub calls: Calls,
}

/// `--max-monthly-increase`: a non-negative amount.
fn amount(text: &str) -> Result<crate::prices::Money, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(crate::prices::Money::of_amount)
        .ok_or_else(|| "an amount is a number, 0 or more, like 1000 or 250.50".to_owned())
}

/// How the account is called: how many calls at once, how ownership is read.
#[derive(Debug, Args)]
pub struct Calls {
    /// API calls (or batches of 25) in flight at once, reads and writes alike
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub parallelism: u16,
    /// How ownership tags are read (default: `[settings] tag_reads`, else bulk)
    #[arg(long, value_enum, value_name = "HOW")]
    pub tag_reads: Option<crate::spec::TagReads>,
}

#[derive(Debug, Args)]
pub struct Targets {
    /// Plan only this resource (e.g. workspace.alice) and what it depends on; repeatable
    #[arg(long = "target", value_name = "ADDRESS")]
    pub targets: Vec<crate::address::Address>,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved by `wsctl plan --out`: applied only if planning its stored fleet again gives the same plan
    #[arg(value_name = "PLAN.json", conflicts_with = "targets")]
    pub saved: Option<PathBuf>,
    #[command(flatten)]
    pub file: FileArgs,
    #[command(flatten)]
    pub approval: Approval,
    #[command(flatten)]
    pub calls: Calls,
    #[command(flatten)]
    pub costs: Costs,
    /// Return once the calls are accepted, without waiting for WorkSpaces to be ready
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub target: Targets,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The stack the file is for: its `[settings] stack`, the `wsctl:stack` tag apply gives what it lists
    #[arg(long, value_name = "NAME", default_value = "main", value_parser = stack)]
    pub stack: String,
    /// Write only this registered directory and its WorkSpaces; repeatable (default: every registered directory)
    #[arg(long = "directory", value_name = "ID", value_parser = directory)]
    pub directories: Vec<String>,
    /// Only WorkSpaces whose user name matches this glob (`*` and `?`, any case)
    #[arg(long, value_name = "GLOB")]
    pub user_pattern: Option<crate::import::UserPattern>,
    /// Also write what the stack owns already (to write its lost fleet file again)
    #[arg(long)]
    pub include_owned: bool,
    /// Write the file here; `-` or no -o: standard output
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write over FILE when it exists
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub calls: Calls,
}

/// `--stack`: a tag value, as `[settings] stack` is.
fn stack(text: &str) -> Result<String, String> {
    let length = (1, crate::spec::TAG_VALUE_LENGTH.1);
    match crate::spec::tag_problem(text, length) {
        None => Ok(text.to_owned()),
        Some(_) => Err(
            "a stack is 1–255 letters, numbers, spaces and `_ . : / = + - @`, like `engineering`"
                .to_owned(),
        ),
    }
}

/// `--directory`: a directory id.
fn directory(text: &str) -> Result<String, String> {
    if crate::spec::is_directory_id(text) {
        Ok(text.to_owned())
    } else {
        Err("a directory id is `d-` and 8–63 hex digits, or `wsd-` and 8–63 lowercase letters or digits".to_owned())
    }
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub file: FileArgs,
    #[command(flatten)]
    pub approval: Approval,
    #[command(flatten)]
    pub calls: Calls,
    #[command(flatten)]
    pub costs: Costs,
}

#[derive(Debug, Args)]
pub struct Approval {
    /// Do not ask for confirmation
    #[arg(long)]
    pub auto_approve: bool,
    /// Allow changes that lose user data (terminate, replace)
    #[arg(long)]
    pub allow_data_loss: bool,
}

#[derive(Debug, Args)]
pub struct SnapshotsArgs {
    /// WorkSpaces to list, e.g. `workspace.alice` (default: every WorkSpace of the file)
    #[arg(value_name = "ADDRESS")]
    pub addresses: Vec<crate::address::Address>,
    #[command(flatten)]
    pub file: FileArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: crate::render::SnapshotFormat,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The WorkSpace, e.g. `workspace.alice`
    #[arg(value_name = "ADDRESS")]
    pub address: crate::address::Address,
    #[command(flatten)]
    pub file: FileArgs,
    /// Not possible through the WorkSpaces API: RestoreWorkspace takes only the
    /// WorkSpace id, and no call snapshots volumes on demand. wsctl refuses the
    /// flag, having changed nothing, rather than ignore it.
    #[arg(long)]
    pub snapshot_current_volumes: bool,
    /// Allow the restore: what changed since the last restore snapshot is lost
    #[arg(long)]
    pub allow_data_loss: bool,
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve a WorkSpaces-compatible endpoint on loopback until Ctrl-C
    #[command(
        after_help = "Example:\n  wsctl sim serve --listen 127.0.0.1:4599 --state sim.json --throttle-rps 20"
    )]
    Serve(crate::sim::ServeArgs),
}
