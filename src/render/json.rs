//! The machine-readable plan: a versioned document.

use serde::Serialize;

use crate::plan::{Action, Plan, ResourceChange};

/// Bumped when a field changes meaning or disappears; additions keep it.
pub const FORMAT_VERSION: &str = "1";

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    wsctl_version: &'static str,
    stack: &'a str,
    summary: Summary,
    data_loss: Vec<String>,
    warnings: &'a [String],
    changes: &'a [ResourceChange],
}

#[derive(Serialize)]
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
        changes: &plan.changes,
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
