//! `wsctl apply`: a fresh plan, or a saved one checked against the account,
//! shown, guarded for data loss, confirmed, and carried out.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use super::cli::{ApplyArgs, Approval, Calls, FileArgs, Global};
use super::connect::connect;
use super::plan::{Planned, make_plan};
use super::{Error, load, read, read_saved, stdout_style};
use crate::apply::{self as applier, ApplyOptions, Outcome, Polling, Progress};
use crate::live::{self, Scope};
use crate::plan::{self, Action};
use crate::render;

pub(super) async fn apply(global: &Global, args: &ApplyArgs) -> Result<ExitCode, Error> {
    let planned = match &args.saved {
        Some(saved) => saved_plan(global, saved, &args.file, &args.calls).await?,
        None => make_plan(global, &args.file, &args.target.targets, &args.calls, false).await?,
    };
    let options = ApplyOptions {
        wait: !args.no_wait,
        polling: Polling::default(),
    };
    carry_out(planned, &args.approval, &options).await
}

/// A saved plan, checked against the account as it is now: the same wsctl,
/// stack and region, and nothing it read has changed since.
async fn saved_plan(
    global: &Global,
    path: &Path,
    file: &FileArgs,
    calls: &Calls,
) -> Result<Planned, Error> {
    let plan = read_saved(path)?;
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

pub(super) async fn carry_out(
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
    let report = applier::apply(&planned.connection.aws, plan, options, &progress).await;
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
