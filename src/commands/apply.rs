//! `wsctl apply`: a fresh plan, or a saved one made again and checked
//! against the file, shown, guarded for data loss, confirmed, and carried out.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use super::cli::{ApplyArgs, Approval, Calls, Costs, FileArgs, Global};
use super::connect::connect;
use super::cost::guard;
use super::plan::{Planned, derive, loaded, make_plan};
use super::{Deadline, Error, stdout_style};
use crate::apply::{self as applier, ApplyOptions, Outcome, Polling, Progress};
use crate::plan::{self, Action, FleetSource, PlanFileError};
use crate::{input, render, spec};

pub(super) async fn apply(
    global: &Global,
    args: &ApplyArgs,
    deadline: Deadline,
) -> Result<ExitCode, Error> {
    let planned = deadline
        .within(async {
            match &args.saved {
                Some(saved) => {
                    saved_plan(global, saved, &args.file, &args.calls, &args.costs).await
                }
                None => {
                    make_plan(
                        global,
                        &args.file,
                        &args.target.targets,
                        &args.calls,
                        &args.costs,
                        false,
                    )
                    .await
                }
            }
        })
        .await?;
    guard(&planned, &args.costs, "nothing was changed")?;
    let options = ApplyOptions {
        wait: !args.no_wait,
        polling: Polling::default(),
    };
    carry_out(planned, &args.approval, &options, deadline).await
}

/// A saved plan, sealed: made by this wsctl for this region, and the plan
/// its fleet makes against the account now is the saved document exactly.
/// What is carried out is that plan made now, never the file's changes as
/// written.
async fn saved_plan(
    global: &Global,
    path: &Path,
    file: &FileArgs,
    calls: &Calls,
    costs: &Costs,
) -> Result<Planned, Error> {
    let shown = path.display().to_string();
    let text = input::read_text(path, input::PLAN_FILE_LIMIT).map_err(|why| Error::Input {
        what: format!("cannot read plan file {shown}"),
        why,
    })?;
    let saved = plan::parse_saved(&shown, &text).map_err(Error::PlanFile)?;
    let Some(source) = saved.fleet else {
        return Err(Error::PlanFile(PlanFileError::Unsealed { path: shown }));
    };
    fleet_at_hand(&shown, &saved.stack, &source, file)?;
    let reader = calls.tag_reads.unwrap_or(source.tag_reads);
    let loaded = loaded(source.file, source.text, Some(source.tag_reads))?;
    let cost_limit = loaded.fleet.settings.max_monthly_increase;
    // The region comes from the sealed fleet (and --region, the AWS chain),
    // as it did for plan; the file's `region` only has to agree with it.
    let connection = connect(
        global,
        loaded.fleet.settings.region.as_deref(),
        calls.parallelism.into(),
    )
    .await?;
    if connection.region != saved.region {
        return Err(Error::WrongPlan(format!(
            "{shown} is a plan for region {}, not {}",
            saved.region.as_deref().unwrap_or("(none)"),
            connection.region.as_deref().unwrap_or("(none)")
        )));
    }
    let now = derive(&connection, loaded, &saved.targets, reader, costs, false).await?;
    // The account moving is the likelier cause, and fingerprints say where.
    let changed = plan::stale(&saved.fingerprints, &now.fingerprints);
    if !changed.is_empty() {
        return Err(Error::StalePlan(changed));
    }
    plan::check_sealed(&shown, &text, &render::json(&now)).map_err(Error::PlanFile)?;
    Ok(Planned {
        plan: now,
        connection,
        cost_limit,
    })
}

/// The fleet file here, when there is one, must be the text the plan was
/// made from: otherwise the plan is of another revision (applying it would
/// make the account follow a file this checkout does not hold), or its
/// fleet was edited along with its changes, which planning again cannot
/// tell from a real plan.
fn fleet_at_hand(
    shown: &str,
    stack: &str,
    source: &FleetSource,
    file: &FileArgs,
) -> Result<(), Error> {
    let here = file.file.display().to_string();
    let text = match input::read_text(&file.file, input::FLEET_FILE_LIMIT) {
        Ok(text) => text,
        Err(input::ReadError::Io(err)) if err.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "note: no {here} here to check {shown} against; applying the fleet it holds ({})",
                source.file
            );
            return Ok(());
        }
        Err(why) => {
            return Err(Error::Input {
                what: format!("cannot read fleet file {here}"),
                why,
            });
        }
    };
    if text == source.text {
        return Ok(());
    }
    if let Ok(fleet) = spec::parse(&here, &text)
        && fleet.settings.stack != stack
    {
        return Err(Error::WrongPlan(format!(
            "{shown} is a plan for stack `{stack}`, but {here} is stack `{}`",
            fleet.settings.stack
        )));
    }
    Err(Error::PlanFile(PlanFileError::OtherFleet {
        path: shown.to_owned(),
        made_from: source.file.clone(),
        here,
    }))
}

pub(super) async fn carry_out(
    planned: Planned,
    approval: &Approval,
    options: &ApplyOptions,
    deadline: Deadline,
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
    let (stop, interrupt) = applier::interrupt();
    let signals = tokio::spawn(on_signals(stop, deadline));
    let report = applier::apply(
        &planned.connection.aws,
        plan,
        options,
        &progress,
        &interrupt,
    )
    .await;
    signals.abort();
    let failed = report.failed().count();
    if interrupt.is_triggered() {
        outln!("\nApply interrupted:");
        for (address, outcome) in &report.outcomes {
            outln!("  {address}: {outcome}");
        }
        return Err(Error::Interrupted {
            done: report.outcomes.len() - failed,
            total: plan.changes().len(),
            deadline: deadline.passed_after(),
        });
    }
    if failed > 0 {
        outln!("\nApply incomplete:");
        for (address, outcome) in report.failed() {
            outln!("  {address}: {outcome}");
        }
        return Err(Error::ApplyFailed {
            failed,
            total: plan.changes().len(),
        });
    }
    let done = |action: Action| {
        report
            .outcomes
            .iter()
            .zip(plan.changes())
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

/// The first Ctrl-C or SIGTERM, or the deadline, stops the apply
/// gracefully; a second signal exits at once.
async fn on_signals(stop: applier::Stop, deadline: Deadline) {
    let Ok(mut terminate) = terminate_signal() else {
        return;
    };
    let mut deadline_passed = false;
    for time in 0.. {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
            () = deadline.passed(), if !deadline_passed => {
                deadline_passed = true;
                eprintln!(
                    "\nThe deadline (--deadline) has passed: no new call starts; calls in flight finish and waiting stops."
                );
                stop.stop();
                continue;
            }
        }
        if time > 0 {
            eprintln!("\nInterrupted again: exiting now; AWS goes on with the calls it accepted.");
            std::process::exit(130);
        }
        eprintln!(
            "\nInterrupted: no new call starts; calls in flight finish and waiting stops. Interrupt again to exit at once."
        );
        stop.stop();
    }
}

#[cfg(unix)]
fn terminate_signal() -> std::io::Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
}

/// Windows has no SIGTERM: closing the console is how it asks a program to
/// end.
#[cfg(windows)]
fn terminate_signal() -> std::io::Result<tokio::signal::windows::CtrlClose> {
    tokio::signal::windows::ctrl_close()
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
