//! The Terraform-like plan: a block per changed resource with its attribute
//! diffs, the data-loss warning, and the summary line last.

use std::collections::BTreeMap;
use std::fmt::Write;

use similar::{ChangeTag, TextDiff};

use super::{Style, summary};
use crate::plan::{Action, AttributeChange, Plan, ResourceChange, Value};

pub fn human(plan: &Plan, style: Style) -> String {
    if !plan.has_changes() {
        return format!(
            "No changes. The account matches the file ({} resources of stack {}).\n",
            plan.unchanged, plan.stack
        );
    }
    let mut out = String::from("wsctl will perform the following actions:\n");
    for change in &plan.changes {
        out.push('\n');
        resource(&mut out, change, style);
    }
    let lossy: Vec<&ResourceChange> = plan.data_loss().collect();
    if !lossy.is_empty() {
        let noun = if lossy.len() == 1 {
            "change loses"
        } else {
            "changes lose"
        };
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&format!("Warning: {} {noun} user data:", lossy.len()))
        );
        for change in lossy {
            let allowed = if change.data_loss_allowed {
                " (allow_data_loss = true)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  - {} ({}){allowed}",
                change.address,
                change.action.verb()
            );
        }
        out.push_str("  apply refuses these without --allow-data-loss.\n");
    }
    let _ = writeln!(out, "\n{}", style.bold(&summary(plan)));
    out
}

fn resource(out: &mut String, change: &ResourceChange, style: Style) {
    let action = change.action;
    let loss = if change.data_loss {
        " (user data is lost)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "  # {} will be {}{loss}",
        change.address,
        action.verb()
    );
    let _ = writeln!(out, "  # because {}", change.reason);
    let symbol = style.paint(action, action.symbol());
    let _ = writeln!(
        out,
        "{symbol:>width$} {} {:?} {{",
        change.address.kind().as_str(),
        change.address.name(),
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
    let name = attribute.name;
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

/// Tags as `key = "value"` lines, diffed line by line.
fn tag_lines(
    out: &mut String,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    style: Style,
) {
    let lines = |tags: &BTreeMap<String, String>| -> String {
        tags.iter()
            .map(|(k, v)| format!("{k:?} = {v:?}\n"))
            .collect()
    };
    let (old, new) = (lines(before), lines(after));
    for line in TextDiff::from_lines(&old, &new).iter_all_changes() {
        let text = line.value().trim_end();
        let marker = match line.tag() {
            ChangeTag::Delete => style.paint(Action::Delete, "-"),
            ChangeTag::Insert => style.paint(Action::Create, "+"),
            ChangeTag::Equal => " ".to_owned(),
        };
        let _ = writeln!(out, "          {marker} {text}");
    }
}
