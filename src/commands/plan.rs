//! `wsctl plan`: load, read the account, diff, render; `--out` saves it.

use std::path::Path;
use std::process::ExitCode;

use super::cli::{Calls, Costs, FileArgs, Global, PlanArgs};
use super::connect::{Connection, connect};
use super::cost::{guard, price_plan};
use super::{Error, read, stdout_style};
use crate::address::Address;
use crate::graph::ResourceGraph;
use crate::live::Scope;
use crate::plan::{self as planner, FleetSource, Plan};
use crate::render;
use crate::spec::{self, Fleet, TagReads};

pub(super) async fn plan(global: &Global, args: &PlanArgs) -> Result<ExitCode, Error> {
    let planned = make_plan(
        global,
        &args.file,
        &args.target.targets,
        &args.calls,
        &args.costs,
        false,
    )
    .await?;
    if let Some(out) = &args.out {
        save(&planned.plan, out)?;
    }
    out!(
        "{}",
        render::render(&planned.plan, args.format, stdout_style())
    );
    guard(&planned, &args.costs, "the plan is shown above")?;
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
    /// The file's cost guard (`[settings] max_monthly_increase`).
    pub(super) cost_limit: Option<crate::prices::Money>,
}

/// A fleet file's text, checked: what a plan is made from and a saved plan
/// keeps.
pub(super) struct Loaded {
    pub(super) fleet: Fleet,
    graph: ResourceGraph,
    source: FleetSource,
}

/// Checks `text`, the fleet file `file`, with the loader plan uses; the
/// ownership tags are read as `tag_reads` says, else as the file does.
pub(super) fn loaded(
    file: String,
    text: String,
    tag_reads: Option<TagReads>,
) -> Result<Loaded, Error> {
    let fleet = spec::parse(&file, &text).map_err(Error::Spec)?;
    let graph = ResourceGraph::build(&fleet).map_err(Error::Cycle)?;
    let tag_reads = tag_reads.unwrap_or(fleet.settings.tag_reads);
    let source = FleetSource {
        file,
        text,
        tag_reads,
    };
    Ok(Loaded {
        fleet,
        graph,
        source,
    })
}

/// Reads the fleet file once, so the text a plan keeps is the text it
/// planned.
fn load_file(args: &FileArgs, tag_reads: Option<TagReads>) -> Result<Loaded, Error> {
    let text = spec::read_file(&args.file).map_err(Error::Spec)?;
    loaded(args.file.display().to_string(), text, tag_reads)
}

/// Load, read the account, diff. `destroy` plans against a file with the
/// same stack and nothing in it.
pub(super) async fn make_plan(
    global: &Global,
    args: &FileArgs,
    targets: &[Address],
    calls: &Calls,
    costs: &Costs,
    destroy: bool,
) -> Result<Planned, Error> {
    let loaded = load_file(args, calls.tag_reads)?;
    let connection = connect(
        global,
        loaded.fleet.settings.region.as_deref(),
        calls.parallelism.into(),
    )
    .await?;
    let tag_reads = loaded.source.tag_reads;
    let cost_limit = loaded.fleet.settings.max_monthly_increase;
    let plan = derive(&connection, loaded, targets, tag_reads, costs, destroy).await?;
    Ok(Planned {
        plan,
        connection,
        cost_limit,
    })
}

/// The plan of `loaded` against the account as `connection` reads it now
/// (ownership tags as `tag_reads` says), cut down to `targets`, priced.
pub(super) async fn derive(
    connection: &Connection,
    loaded: Loaded,
    targets: &[Address],
    tag_reads: TagReads,
    costs: &Costs,
    destroy: bool,
) -> Result<Plan, Error> {
    let Loaded {
        fleet,
        graph,
        source,
    } = loaded;
    let fleet = if destroy { fleet.emptied() } else { fleet };
    let live = read(connection, &Scope::of_fleet(&fleet, tag_reads)).await?;
    let refused = |errors| Error::Plan {
        errors,
        source: source.text.clone(),
    };
    let planned = planner::plan(&fleet, &live).map_err(refused)?;
    let mut plan = planner::limit(planned, targets, &graph).map_err(refused)?;
    plan.region = connection.region.clone();
    plan.fleet = Some(source);
    price_plan(connection, &mut plan, &live, &fleet.settings, costs).await;
    Ok(plan)
}
