//! `wsctl plan`: load, read the account, diff, render; `--out` saves it.

use std::path::Path;
use std::process::ExitCode;

use super::cli::{Calls, FileArgs, Global, PlanArgs};
use super::connect::{Connection, connect};
use super::{Error, load, read, stdout_style};
use crate::graph::ResourceGraph;
use crate::live::Scope;
use crate::plan::{self as planner, Plan};
use crate::render;

pub(super) async fn plan(global: &Global, args: &PlanArgs) -> Result<ExitCode, Error> {
    let planned = make_plan(global, &args.file, &args.target.targets, &args.calls, false).await?;
    if let Some(out) = &args.out {
        save(&planned.plan, out)?;
    }
    out!(
        "{}",
        render::render(&planned.plan, args.format, stdout_style())
    );
    let code = if args.detailed_exitcode && planned.plan.has_changes() {
        2
    } else {
        0
    };
    Ok(ExitCode::from(code))
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

pub(super) struct Planned {
    pub(super) plan: Plan,
    pub(super) connection: Connection,
}

/// Load, read the account, diff. `destroy` plans against a file with the
/// same stack and nothing in it.
pub(super) async fn make_plan(
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
    let mut plan = planner::plan(&fleet, &live).map_err(Error::Plan)?;
    plan.region = connection.region.clone();
    let plan = planner::limit(plan, targets, &graph).map_err(Error::Plan)?;
    Ok(Planned { plan, connection })
}
