//! The machine-readable plan: a versioned document.

use schemars::generate::SchemaSettings;
use serde::Serialize;

use crate::plan::{Action, FORMAT_VERSION, Plan, ResourceChange};

#[derive(Serialize, schemars::JsonSchema)]
#[schemars(
    title = "wsctl plan",
    description = "What `wsctl plan --format json` prints: the changes the plan makes to the account."
)]
struct Document<'a> {
    /// The document's format; bumped when a field changes meaning or disappears.
    #[schemars(extend("const" = FORMAT_VERSION))]
    format_version: &'static str,
    /// The wsctl that wrote it.
    wsctl_version: &'static str,
    /// The fleet file's stack: the value of the `wsctl:stack` ownership tag.
    stack: &'a str,
    summary: Summary,
    /// Addresses of the changes that lose user data.
    data_loss: Vec<String>,
    /// What a reviewer should know that is not a change.
    warnings: &'a [String],
    /// `--target` addresses; empty for a full plan.
    targets: &'a [crate::address::Address],
    /// Changes `--target` left out.
    left_out: usize,
    /// The region the plan was made for.
    region: Option<&'a str>,
    /// The fleet file the plan was made from, as loaded, and how it read
    /// ownership tags: `wsctl apply PLAN.json` plans it again against the
    /// account and applies only if that makes exactly these changes.
    fleet: Option<&'a crate::plan::FleetSource>,
    /// What the plan read, by natural key (`workspace:DIRECTORY/USER`,
    /// `bundle:NAME`, `image:NAME`, `account`): a hash, or "absent".
    /// `wsctl apply PLAN.json` applies only while these are unchanged.
    fingerprints: &'a std::collections::BTreeMap<String, String>,
    /// The order apply walks: waves of API calls (25 WorkSpaces to a create,
    /// terminate or reboot call), each carrying steps (one operation of one
    /// change each) and what each step waits for.
    order: &'a crate::plan::Order,
    /// What the plan does to the bill, from the AWS Price List: monthly
    /// before, after and delta, and what they assume; each WorkSpace change
    /// has its own `cost`. Absent when the Price List could not be read.
    /// Not sealed: apply prices the plan it derives again.
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<&'a crate::plan::PlanCost>,
    /// Changed resources, sorted by address; unchanged ones are only counted.
    changes: &'a [ResourceChange],
}

/// How many resources each action touches.
#[derive(Serialize, schemars::JsonSchema)]
struct Summary {
    create: usize,
    update: usize,
    migrate: usize,
    replace: usize,
    delete: usize,
    adopt: usize,
    heal: usize,
    unchanged: usize,
}

pub fn json(plan: &Plan) -> String {
    let document = Document {
        format_version: FORMAT_VERSION,
        wsctl_version: env!("CARGO_PKG_VERSION"),
        stack: &plan.stack,
        summary: Summary {
            create: plan.count(Action::Create),
            update: plan.count(Action::Update),
            migrate: plan.count(Action::Migrate),
            replace: plan.count(Action::Replace),
            delete: plan.count(Action::Delete),
            adopt: plan.count(Action::Adopt),
            heal: plan.count(Action::Heal),
            unchanged: plan.unchanged,
        },
        data_loss: plan.data_loss().map(|c| c.address.to_string()).collect(),
        warnings: &plan.warnings,
        targets: &plan.targets,
        left_out: plan.left_out,
        region: plan.region.as_deref(),
        fleet: plan.fleet.as_ref(),
        fingerprints: &plan.fingerprints,
        order: plan.order(),
        cost: plan.cost.as_ref(),
        changes: plan.changes(),
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema of what `json` prints, made from the same types so the
/// two cannot drift; `schema/plan.schema.json` is a copy kept by a test.
pub fn schema() -> String {
    // The document is only ever written, so the schema describes it as
    // serialized: an `Option` is always present, as `null` when empty.
    let schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Document<'static>>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
