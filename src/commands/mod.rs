//! The command layer: from parsed arguments to an exit code, one command a
//! file. Nothing below this module uses it.

mod apply;
pub mod cli;
mod completions;
mod connect;
mod cost;
mod cost_report;
mod destroy;
mod error;
mod import;
mod plan;
mod restore;
mod schema;
mod show;
mod snapshots;
mod tune;
mod usage;
mod validate;
mod workspace;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub use error::Error;

use crate::address::Kind;
use crate::graph::ResourceGraph;
use crate::live::{self, LiveState, Scope};
use crate::render::Style;
use crate::spec::{self, Fleet};
use cli::{Cli, Command, FileArgs, SimCommand};
use connect::Connection;

pub async fn run(cli: Cli) -> Result<ExitCode, Error> {
    let global = &cli.global;
    let deadline = Deadline::from(global.deadline);
    match cli.command {
        Command::Validate(args) => validate::validate(&args),
        Command::Plan(args) => deadline.within(plan::plan(global, &args)).await,
        Command::Apply(args) => apply::apply(global, &args, deadline).await,
        Command::Destroy(args) => destroy::destroy(global, &args, deadline).await,
        Command::Import(args) => deadline.within(import::import(global, &args)).await,
        Command::Cost(args) => deadline.within(cost_report::cost(global, &args)).await,
        Command::Usage(args) => deadline.within(usage::usage(global, &args)).await,
        Command::Tune(args) => deadline.within(tune::tune(global, &args)).await,
        Command::Show(args) => show::show(&args),
        Command::Schema { which } => Ok(schema::schema(which)),
        Command::Completions { shell } => Ok(completions::completions(shell)),
        Command::Snapshots(args) => deadline.within(snapshots::snapshots(global, &args)).await,
        Command::Restore(args) => restore::restore(global, &args, deadline).await,
        Command::Sim {
            command: SimCommand::Serve(args),
        } => {
            crate::sim::serve(args).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `--deadline`: when the run must end, if it must.
#[derive(Clone, Copy, Debug)]
pub(super) struct Deadline(Option<(tokio::time::Instant, std::time::Duration)>);

impl Deadline {
    fn from(after: Option<std::time::Duration>) -> Self {
        Deadline(after.map(|after| (tokio::time::Instant::now() + after, after)))
    }

    /// `work`, ended with an error if the deadline passes first (it has
    /// changed nothing: only apply changes the account, and it stops as
    /// Ctrl-C stops it).
    pub(super) async fn within<T>(
        self,
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        match self.0 {
            None => work.await,
            Some((at, after)) => tokio::time::timeout_at(at, work)
                .await
                .unwrap_or(Err(Error::Deadline(after))),
        }
    }

    /// The deadline's duration, once it has passed.
    fn passed_after(self) -> Option<std::time::Duration> {
        self.0
            .filter(|(at, _)| tokio::time::Instant::now() >= *at)
            .map(|(_, after)| after)
    }

    /// Resolves when the deadline passes; never without one.
    async fn passed(self) {
        match self.0 {
            Some((at, _)) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    }
}

/// "30 WorkSpaces, 1 bundle, 2 images": each counted kind, in column
/// order, with its count and noun (one, many), joined; kinds `said` refuses
/// go unsaid.
fn counted(count: impl Fn(Kind) -> usize, said: impl Fn(Kind, usize) -> bool) -> String {
    Kind::by_column()
        .filter_map(|kind| Some((kind, count(kind), kind.counted()?)))
        .filter(|(kind, n, _)| said(*kind, *n))
        .map(|(_, n, (one, many))| format!("{n} {}", if n == 1 { one } else { many }))
        .collect::<Vec<_>>()
        .join(", ")
}

fn load(args: &FileArgs) -> Result<Fleet, Error> {
    load_with_text(args).map(|(fleet, _)| fleet)
}

/// The fleet file, checked, and its text (for errors that point into it).
fn load_with_text(args: &FileArgs) -> Result<(Fleet, String), Error> {
    let text = spec::read_file(&args.file).map_err(Error::Spec)?;
    let fleet = spec::parse(&args.file.display().to_string(), &text).map_err(Error::Spec)?;
    ResourceGraph::build(&fleet).map_err(Error::Cycle)?;
    Ok((fleet, text))
}

/// A plan saved by `plan --out`.
fn read_saved(path: &std::path::Path) -> Result<crate::plan::Plan, Error> {
    let text = crate::input::read_text(path, crate::input::PLAN_FILE_LIMIT).map_err(|why| {
        Error::Input {
            what: format!("cannot read plan file {}", path.display()),
            why,
        }
    })?;
    crate::plan::parse_saved(&path.display().to_string(), &text).map_err(Error::PlanFile)
}

/// The account as `scope` needs it; what the reader had to do differently
/// is said on stderr, one line each.
async fn read(connection: &Connection, scope: &Scope<'_>) -> Result<LiveState, Error> {
    let live = live::fetch(&connection.aws, scope)
        .await
        .map_err(|error| Error::from_call(error, &connection.endpoint))?;
    for text in &live.notes {
        note(text);
    }
    Ok(live)
}

/// A `note:` line on stderr; what AWS said in it is shown escaped.
fn note(text: &str) {
    eprintln!("note: {}", crate::visible::visible(text));
}

/// Colour only on a terminal, and never with `NO_COLOR` set.
pub fn color_for(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn stdout_style() -> Style {
    Style {
        color: color_for(std::io::stdout().is_terminal()),
    }
}

/// `text` into `path`, whole or not at all: `FILE.partial` beside it,
/// flushed to disk with the file's permissions, then renamed over it.
pub(super) fn write_whole(path: &Path, text: &str) -> Result<(), Error> {
    let io = |source| Error::Io {
        what: format!("cannot write {}", path.display()),
        source,
    };
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = Path::new(&partial);
    let mut file = std::fs::File::create(partial).map_err(io)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io)?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(partial, metadata.permissions()).map_err(io)?;
    }
    std::fs::rename(partial, path).map_err(io)
}
