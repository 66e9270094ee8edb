//! Plans as people and programs read them. Computing the plan and drawing it
//! are kept apart: a new format is one file here.

mod cost;
mod cost_report;
mod human;
mod json;
mod markdown;

mod snapshot_list;
mod usage_report;
mod visible;

pub use cost_report::{CostFormat, cost_report};
pub use human::human;
pub use json::{json, schema as plan_schema};
pub use markdown::markdown;
pub use snapshot_list::{SnapshotFormat, SnapshotListing, snapshot_list};
pub use usage_report::usage_report;

use crate::plan::{Action, Plan};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terraform-like, for a terminal
    Human,
    /// A versioned document (schema/plan.schema.json)
    Json,
    /// A pull-request comment: counts, data-loss warning, diffs in folds
    Markdown,
}

/// Colour for terminals; nothing for pipes, files and `NO_COLOR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn paint(self, action: Action, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match action {
            Action::Create => "32",
            Action::Update | Action::Migrate => "33",
            Action::Replace => "35",
            Action::Delete => "31",
            Action::Adopt => "36",
            Action::Heal => "34",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    pub fn bold(self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

pub fn render(plan: &Plan, format: Format, style: Style) -> String {
    match format {
        Format::Human => human(plan, style),
        Format::Json => json(plan),
        Format::Markdown => markdown(plan),
    }
}

/// `Plan: 1 to add, 2 to change, 0 to replace, 0 to destroy, 0 to adopt.`,
/// and `, 3 to heal` only when some WorkSpace is to be healed.
/// "1 change loses user data", and "… or deregisters a directory" when one
/// of them is a directory: apply guards both the same way.
fn guarded(lossy: &[&crate::plan::ResourceChange]) -> String {
    let directory = lossy
        .iter()
        .any(|c| c.address.kind() == crate::address::Kind::Directory);
    let (verb, deregister) = match lossy.len() {
        1 => ("change loses", "deregisters"),
        _ => ("changes lose", "deregister"),
    };
    match directory {
        true => format!(
            "{} {verb} user data or {deregister} a directory",
            lossy.len()
        ),
        false => format!("{} {verb} user data", lossy.len()),
    }
}

pub fn summary(plan: &Plan) -> String {
    let heal = match plan.count(Action::Heal) {
        0 => String::new(),
        n => format!(", {n} to heal"),
    };
    format!(
        "Plan: {} to add, {} to change, {} to replace, {} to destroy, {} to adopt{heal}.",
        plan.count(Action::Create),
        plan.count(Action::Update) + plan.count(Action::Migrate),
        plan.count(Action::Replace),
        plan.count(Action::Delete),
        plan.count(Action::Adopt),
    )
}

#[cfg(test)]
mod tests;
