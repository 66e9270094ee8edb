//! The Terraform-like plan: a block per changed resource with its attribute
//! diffs, the data-loss warning, and the summary line last.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::{Style, summary};
use crate::address::Kind;
use crate::plan::{Action, AttributeChange, Plan, ResourceChange, Value};

pub fn human(plan: &Plan, style: Style) -> String {
    let plan = &*super::visible::reviewable(plan);
    let partial = partial_note(plan);
    if !plan.has_changes() {
        return format!(
            "{partial}No changes. The account matches the file ({} resources of stack {}).\n",
            plan.unchanged, plan.stack
        );
    }
    let mut out = format!("{partial}wsctl will perform the following actions:\n");
    for change in plan.changes() {
        out.push('\n');
        resource(&mut out, change, style);
    }
    if !plan.warnings.is_empty() {
        out.push('\n');
    }
    for warning in &plan.warnings {
        let _ = writeln!(out, "{} {warning}", style.bold("Note:"));
    }
    let lossy: Vec<&ResourceChange> = plan.data_loss().collect();
    if !lossy.is_empty() {
        data_loss_warning(&mut out, &lossy, style);
    }
    let _ = writeln!(out, "\n{}", style.bold(&summary(plan)));
    if let Some(cost) = &plan.cost {
        let _ = writeln!(out, "{}", style.bold(&super::cost::total(cost)));
        for line in super::cost::basis(cost) {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// `--target` plans say so first: other changes may be waiting.
fn partial_note(plan: &Plan) -> String {
    if plan.targets.is_empty() {
        return String::new();
    }
    let targets: Vec<String> = plan.targets.iter().map(ToString::to_string).collect();
    format!(
        "Partial plan (--target): only {} and what it depends on; {} other changes left out.\n\n",
        targets.join(", "),
        plan.left_out
    )
}

/// Every change that loses user data, and whether apply will refuse it.
fn data_loss_warning(out: &mut String, lossy: &[&ResourceChange], style: Style) {
    let _ = writeln!(
        out,
        "\n{}",
        style.bold(&format!("Warning: {}:", super::guarded(lossy)))
    );
    for change in lossy {
        let allowed = if change.data_loss_allowed {
            "; allow_data_loss = true"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  - {} ({}{allowed})",
            change.address,
            change.action.verb()
        );
    }
    let _ = writeln!(out, "  {}", refusal(lossy));
}

/// What apply does with the data-loss changes: it refuses those whose
/// resource does not say `allow_data_loss = true` unless given
/// `--allow-data-loss`.
fn refusal(lossy: &[&ResourceChange]) -> String {
    let refused: Vec<String> = lossy
        .iter()
        .filter(|change| !change.data_loss_allowed)
        .map(|change| change.address.to_string())
        .collect();
    match (refused.len(), lossy.len()) {
        (0, _) => "allow_data_loss = true lets apply go ahead.".to_owned(),
        (1, 1) => "apply refuses it without --allow-data-loss.".to_owned(),
        (r, n) if r == n => "apply refuses these without --allow-data-loss.".to_owned(),
        _ => format!(
            "apply refuses {} without --allow-data-loss.",
            refused.join(", ")
        ),
    }
}

fn resource(out: &mut String, change: &ResourceChange, style: Style) {
    let action = change.action;
    // A directory loses nothing itself (AWS deregisters only an empty one),
    // but apply guards its deregistration the same way.
    let loss = match (change.data_loss, change.address.kind()) {
        (false, _) => "",
        (true, Kind::Directory) => " (deregistering the directory)",
        (true, _) => " (user data is lost)",
    };
    let _ = writeln!(
        out,
        "  # {} will be {}{loss}",
        change.address,
        action.verb()
    );
    let _ = writeln!(out, "  # because {}", change.reason);
    if let Some(cost) = super::cost::change_cost(change) {
        let _ = writeln!(out, "  # cost: {cost}");
    }
    let symbol = style.paint(action, action.symbol());
    let kind = change.address.kind();
    let name = match kind {
        Kind::Account => String::new(),
        _ => format!(" {:?}", change.address.name()),
    };
    let _ = writeln!(
        out,
        "{symbol:>width$} {}{name} {{",
        kind.as_str(),
        width = 3 + symbol.len() - action.symbol().len()
    );
    let width = change
        .attributes
        .iter()
        .map(|a| a.name.len())
        .max()
        .unwrap_or(0)
        .max(2);
    if let Some(id) = &change.id {
        let _ = writeln!(out, "        {:width$} = {id:?}", "id");
    }
    for attribute in &change.attributes {
        attribute_line(out, attribute, action, width, style);
    }
    out.push_str("    }\n");
}

fn attribute_line(
    out: &mut String,
    attribute: &AttributeChange,
    action: Action,
    width: usize,
    style: Style,
) {
    let name = attribute.name.as_ref();
    let forces = if attribute.forces_replacement {
        " # forces replacement"
    } else {
        ""
    };
    match (&attribute.before, &attribute.after) {
        (Some(Value::Tags(before)), Some(Value::Tags(after))) => {
            let _ = writeln!(
                out,
                "      {} {name:width$} = {{",
                style.paint(Action::Update, "~")
            );
            tag_lines(out, before, after, style);
            out.push_str("        }\n");
        }
        (None, Some(Value::Tags(after))) => {
            let _ = writeln!(out, "      {} {name:width$} = {{", style.paint(action, "+"));
            tag_lines(out, &BTreeMap::new(), after, style);
            out.push_str("        }\n");
        }
        (Some(Value::List(before)), Some(Value::List(after))) => {
            let _ = writeln!(
                out,
                "      {} {name:width$} = [",
                style.paint(Action::Update, "~")
            );
            list_lines(out, before, after, style);
            out.push_str("        ]\n");
        }
        (None, Some(Value::List(after))) => {
            let _ = writeln!(out, "      {} {name:width$} = [", style.paint(action, "+"));
            list_lines(out, &[], after, style);
            out.push_str("        ]\n");
        }
        (None, Some(after)) => {
            let _ = writeln!(
                out,
                "      {} {name:width$} = {after}",
                style.paint(Action::Create, "+")
            );
        }
        (Some(before), None) => {
            let _ = writeln!(
                out,
                "      {} {name:width$} = {before}",
                style.paint(Action::Delete, "-")
            );
        }
        (Some(before), Some(after)) => {
            let _ = writeln!(
                out,
                "      {} {name:width$} = {before} -> {after}{forces}",
                style.paint(Action::Update, "~")
            );
        }
        (None, None) => {}
    }
}

/// Tags a key a line, `=` aligned and sorted by key, as Terraform draws a
/// map: `+` added, `-` removed, `~` changed with `old -> new`.
fn tag_lines(
    out: &mut String,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    style: Style,
) {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let width = keys
        .iter()
        .map(|k| format!("{k:?}").chars().count())
        .max()
        .unwrap_or(0);
    for key in keys {
        let quoted = format!("{key:?}");
        let (marker, value) = match (before.get(key), after.get(key)) {
            (None, Some(new)) => (style.paint(Action::Create, "+"), format!("{new:?}")),
            (Some(old), None) => (style.paint(Action::Delete, "-"), format!("{old:?}")),
            (Some(old), Some(new)) if old == new => (" ".to_owned(), format!("{new:?}")),
            (Some(old), Some(new)) => (
                style.paint(Action::Update, "~"),
                format!("{old:?} -> {new:?}"),
            ),
            (None, None) => continue,
        };
        let _ = writeln!(out, "          {marker} {quoted:width$} = {value}");
    }
}

/// A set an item a line, sorted, as Terraform draws one: `+` added, `-`
/// removed.
fn list_lines(out: &mut String, before: &[String], after: &[String], style: Style) {
    let items: BTreeSet<&String> = before.iter().chain(after).collect();
    for item in items {
        let marker = match (before.contains(item), after.contains(item)) {
            (false, true) => style.paint(Action::Create, "+"),
            (true, false) => style.paint(Action::Delete, "-"),
            _ => " ".to_owned(),
        };
        let _ = writeln!(out, "          {marker} {item:?},");
    }
}
