//! From parsed arguments to an exit code: each command's flow, in order.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::apply::{self, ApplyOptions, Outcome, Polling, Progress};
use crate::cli::{Approval, Calls, Cli, Command, FileArgs, Global, SchemaKind, Shell, SimCommand};
use crate::connect::{Connection, connect};
use crate::error::Error;
use crate::graph::ResourceGraph;
use crate::live::{self, LiveState, Scope};
use crate::plan::{self, Action, Plan};
use crate::render::{self, Style};
use crate::spec::{self, Fleet};

pub async fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Validate(args) => validate(&args),
        Command::Plan(args) => {
            let plan = make_plan(
                &cli.global,
                &args.file,
                &args.target.targets,
                &args.calls,
                false,
            )
            .await?;
            if let Some(out) = &args.out {
                save(&plan.plan, out)?;
            }
            out!(
                "{}",
                render::render(&plan.plan, args.format, stdout_style())
            );
            let code = if args.detailed_exitcode && plan.plan.has_changes() {
                2
            } else {
                0
            };
            Ok(ExitCode::from(code))
        }
        Command::Apply(args) => {
            let planned = match &args.saved {
                Some(saved) => saved_plan(&cli.global, saved, &args.file, &args.calls).await?,
                None => {
                    make_plan(
                        &cli.global,
                        &args.file,
                        &args.target.targets,
                        &args.calls,
                        false,
                    )
                    .await?
                }
            };
            let options = ApplyOptions {
                wait: !args.no_wait,
                polling: Polling::default(),
            };
            carry_out(planned, &args.approval, &options).await
        }
        Command::Destroy(args) => {
            let planned = make_plan(&cli.global, &args.file, &[], &args.calls, true).await?;
            let options = ApplyOptions {
                wait: true,
                polling: Polling::default(),
            };
            carry_out(planned, &args.approval, &options).await
        }
        Command::Show(args) => {
            let plan = plan::read(&args.saved).map_err(Error::PlanFile)?;
            out!("{}", render::render(&plan, args.format, stdout_style()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { which } => {
            out!(
                "{}",
                match which {
                    SchemaKind::Fleet => spec::schema(),
                    SchemaKind::Plan => render::plan_schema(),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            completions(shell);
            Ok(ExitCode::SUCCESS)
        }
        Command::Snapshots(args) => crate::operate::snapshots(&cli.global, &args).await,
        Command::Restore(args) => crate::operate::restore(&cli.global, &args).await,
        Command::Sim {
            command: SimCommand::Serve(args),
        } => {
            crate::sim::serve(args).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The completion script for `shell`, generated from the same clap
/// definitions that parse the arguments.
fn completions(shell: Shell) {
    use clap::CommandFactory;
    use clap_complete::{Shell as Target, generate};
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    let mut script = Vec::new();
    generate(target, &mut Cli::command(), "wsctl", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
}

pub(crate) fn load(args: &FileArgs) -> Result<Fleet, Error> {
    let fleet = spec::load(&args.file).map_err(Error::Spec)?;
    ResourceGraph::build(&fleet).map_err(Error::Cycle)?;
    Ok(fleet)
}

fn validate(args: &FileArgs) -> Result<ExitCode, Error> {
    let fleet = load(args)?;
    outln!(
        "{} is valid: {} WorkSpaces, {} bundles, {} images (stack {}).",
        args.file.display(),
        fleet.workspaces.len(),
        fleet.bundles.len(),
        fleet.images.len(),
        fleet.settings.stack
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the plan where `plan --out` says, whole or not at all.
fn save(plan: &Plan, path: &Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        what: format!("cannot write the plan to {}", path.display()),
        source,
    };
    let partial = path.with_extension("json.partial");
    std::fs::write(&partial, render::json(plan)).map_err(io)?;
    std::fs::rename(&partial, path).map_err(io)
}

/// A saved plan, checked against the account as it is now: the same wsctl,
/// stack and region, and nothing it read has changed since.
async fn saved_plan(
    global: &Global,
    path: &Path,
    file: &FileArgs,
    calls: &Calls,
) -> Result<Planned, Error> {
    let plan = plan::read(path).map_err(Error::PlanFile)?;
    let mut tag_reads = calls.tag_reads;
    if file.file.exists() {
        let fleet = load(file)?;
        tag_reads = tag_reads.or(Some(fleet.settings.tag_reads));
        if fleet.settings.stack != plan.stack {
            return Err(Error::WrongPlan(format!(
                "{} is a plan for stack `{}`, but {} is stack `{}`",
                path.display(),
                plan.stack,
                file.file.display(),
                fleet.settings.stack
            )));
        }
    }
    let connection = connect(global, plan.region.as_deref(), calls.parallelism.into()).await?;
    if connection.region != plan.region {
        return Err(Error::WrongPlan(format!(
            "{} is a plan for region {}, not {}",
            path.display(),
            plan.region.as_deref().unwrap_or("(none)"),
            connection.region.as_deref().unwrap_or("(none)")
        )));
    }
    let scope = Scope::of_fingerprints(
        &plan.stack,
        plan.fingerprints.keys(),
        tag_reads.unwrap_or_default(),
    );
    let live = read(&connection, &scope).await?;
    let now = live::recheck(&live, plan.fingerprints.keys());
    let changed = plan::stale(&plan.fingerprints, &now);
    if !changed.is_empty() {
        return Err(Error::StalePlan(changed));
    }
    Ok(Planned { plan, connection })
}

/// The account as `scope` needs it; what the reader had to do differently
/// is said on stderr, one line each.
async fn read(connection: &Connection, scope: &Scope<'_>) -> Result<LiveState, Error> {
    let live = live::fetch(&connection.aws, scope).await?;
    for note in &live.notes {
        eprintln!("note: {note}");
    }
    Ok(live)
}

struct Planned {
    plan: Plan,
    connection: Connection,
}

/// Load, read the account, diff. `destroy` plans against a file with the
/// same stack and nothing in it.
async fn make_plan(
    global: &Global,
    args: &FileArgs,
    targets: &[crate::address::Address],
    calls: &Calls,
    destroy: bool,
) -> Result<Planned, Error> {
    let mut fleet = load(args)?;
    let graph = ResourceGraph::build(&fleet).map_err(Error::Cycle)?;
    if destroy {
        fleet.workspaces.clear();
        fleet.bundles.clear();
        fleet.images.clear();
        fleet.account = None;
    }
    let connection = connect(
        global,
        fleet.settings.region.as_deref(),
        calls.parallelism.into(),
    )
    .await?;
    let tag_reads = calls.tag_reads.unwrap_or(fleet.settings.tag_reads);
    let live = read(&connection, &Scope::of_fleet(&fleet, tag_reads)).await?;
    let mut plan = plan::plan(&fleet, &live).map_err(Error::Plan)?;
    plan.region = connection.region.clone();
    let plan = plan::limit(plan, targets, &graph).map_err(Error::Plan)?;
    Ok(Planned { plan, connection })
}

async fn carry_out(
    planned: Planned,
    approval: &Approval,
    options: &ApplyOptions,
) -> Result<ExitCode, Error> {
    let plan = &planned.plan;
    out!("{}", render::human(plan, stdout_style()));
    if !plan.has_changes() {
        return Ok(ExitCode::SUCCESS);
    }
    let refused: Vec<String> = plan
        .data_loss()
        .filter(|change| !approval.allow_data_loss && !change.data_loss_allowed)
        .map(|change| format!("{} ({})", change.address, change.action.verb()))
        .collect();
    if !refused.is_empty() {
        return Err(Error::DataLoss(refused));
    }
    if !approval.auto_approve {
        confirm()?;
    }
    outln!();
    let progress = Progress::new(std::io::stderr().is_terminal());
    let report = apply::apply(&planned.connection.aws, plan, options, &progress).await;
    let failed = report.failed().count();
    if failed > 0 {
        outln!("\nApply incomplete:");
        for (address, outcome) in report.failed() {
            outln!("  {address}: {outcome}");
        }
        return Err(Error::ApplyFailed {
            failed,
            total: plan.changes.len(),
        });
    }
    let done = |action: Action| {
        report
            .outcomes
            .iter()
            .zip(&plan.changes)
            .filter(|((_, outcome), change)| *outcome == Outcome::Done && change.action == action)
            .count()
    };
    let healed = match done(Action::Heal) {
        0 => String::new(),
        n => format!(", {n} healed"),
    };
    outln!(
        "\nApply complete! {} added, {} changed, {} replaced, {} destroyed, {} adopted{healed}.",
        done(Action::Create),
        done(Action::Update) + done(Action::Migrate),
        done(Action::Replace),
        done(Action::Delete),
        done(Action::Adopt)
    );
    Ok(ExitCode::SUCCESS)
}

fn confirm() -> Result<(), Error> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Error::NoTerminal);
    }
    out!("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|source| Error::Io {
            what: "cannot read the answer".to_owned(),
            source,
        })?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(Error::Declined)
    }
}

/// Colour only on a terminal, and never with `NO_COLOR` set.
pub fn color_for(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub(crate) fn stdout_style() -> Style {
    Style {
        color: color_for(std::io::stdout().is_terminal()),
    }
}
