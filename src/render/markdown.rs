//! The plan as a pull-request comment, the way Atlantis and tfcmt post it:
//! the summary line, a table of counts, the data-loss warning, then each
//! resource's diff folded in `<details>`. GitHub refuses comments over 65,536
//! characters, so folds that do not fit are left out and the note says so.

use std::fmt::Write;

use similar::{ChangeTag, TextDiff};

use super::summary;
use crate::address::Kind;
use crate::plan::{Action, AttributeChange, Plan, ResourceChange, Value};

/// Below GitHub's 65,536 with room for what a CI step wraps around the plan
/// (a header, a link to the run). Counted in bytes, which is never fewer
/// than the characters GitHub counts.
pub(super) const COMMENT_BUDGET: usize = 60_000;

/// Lines in the data-loss and note banners before they say "and N more", so
/// a plan that terminates thousands still leaves room for the diffs.
const BANNER_NAMES: usize = 50;
/// Refused resources named in the banner's last line; more are counted.
const REFUSED_NAMES: usize = 5;

pub fn markdown(plan: &Plan) -> String {
    markdown_within(plan, COMMENT_BUDGET)
}

/// `markdown` with the size budget as a parameter, so tests can cut small plans.
pub(super) fn markdown_within(plan: &Plan, budget: usize) -> String {
    let plan = &*super::visible::reviewable(plan);
    if !plan.has_changes() {
        return format!(
            "**No changes.** The account matches the file ({} resources of stack `{}`).\n",
            plan.unchanged, plan.stack
        );
    }
    let cost = plan
        .cost
        .as_ref()
        .map(|cost| format!(" **{}**", escape_html(&super::cost::total(cost))))
        .unwrap_or_default();
    let mut out = format!("**{}**{cost}\n\n", summary(plan));
    let noun = if plan.unchanged == 1 {
        "resource"
    } else {
        "resources"
    };
    let _ = writeln!(
        out,
        "Stack `{}`; {} {noun} unchanged.\n",
        plan.stack, plan.unchanged
    );
    counts_table(&mut out, plan);
    if let Some(cost) = &plan.cost {
        for line in super::cost::basis(cost) {
            let _ = writeln!(out, "{}\n", escape_html(&line));
        }
    }
    let lossy: Vec<&ResourceChange> = plan.data_loss().collect();
    if !lossy.is_empty() {
        data_loss_banner(&mut out, &lossy);
    }
    notes(&mut out, &plan.warnings);
    let folds: Vec<String> = plan.changes().iter().map(fold).collect();
    let total = folds.len();
    // The note is written only when something is cut; reserving its room
    // always keeps the arithmetic simple and costs a few hundred bytes.
    let room = budget.saturating_sub(out.len() + cut_note(total, total).len());
    let mut used = 0;
    let mut shown = 0;
    for fold in &folds {
        if used + fold.len() > room {
            break;
        }
        used += fold.len();
        shown += 1;
    }
    for fold in &folds[..shown] {
        out.push_str(fold);
    }
    if shown < total {
        out.push_str(&cut_note(total - shown, total));
    }
    out
}

/// Counts by action (rows) and resource kind (columns), with totals and,
/// when the plan is priced, what each action adds a month. Rows and
/// columns that would hold only zeros are left out.
fn counts_table(out: &mut String, plan: &Plan) {
    let count = |action: Action, kind: Option<Kind>| {
        plan.changes()
            .iter()
            .filter(|c| c.action == action && kind.is_none_or(|k| c.address.kind() == k))
            .count()
    };
    let kinds: Vec<Kind> = Kind::by_column()
        .filter(|k| plan.changes().iter().any(|c| c.address.kind() == *k))
        .collect();
    let actions: Vec<Action> = Action::ALL
        .into_iter()
        .filter(|a| count(*a, None) > 0)
        .collect();
    let priced = plan.cost.is_some();
    out.push_str("| action |");
    for kind in &kinds {
        let _ = write!(out, " {} |", kind.as_str());
    }
    out.push_str(" total |");
    if priced {
        out.push_str(" cost / month |");
    }
    out.push_str("\n| --- |");
    for _ in &kinds {
        out.push_str(" ---: |");
    }
    out.push_str(" ---: |");
    if priced {
        out.push_str(" ---: |");
    }
    out.push('\n');
    for action in actions {
        let _ = write!(out, "| `{}` {} |", action.symbol(), action_name(action));
        for kind in &kinds {
            let _ = write!(out, " {} |", count(action, Some(*kind)));
        }
        let _ = write!(out, " {} |", count(action, None));
        if let Some(delta) = super::cost::action_delta(plan, action) {
            let _ = write!(out, " {} |", delta.signed());
        }
        out.push('\n');
    }
    out.push('\n');
}

/// The row label: what the action does, in the summary line's words.
fn action_name(action: Action) -> &'static str {
    match action {
        Action::Create => "add",
        Action::Update => "change",
        Action::Migrate => "migrate",
        Action::Replace => "replace",
        Action::Delete => "destroy",
        Action::Adopt => "adopt",
        Action::Heal => "heal",
    }
}

/// A GitHub alert naming what loses user data and what apply will refuse.
fn data_loss_banner(out: &mut String, lossy: &[&ResourceChange]) {
    let _ = writeln!(out, "> [!WARNING]\n> **{}:**", super::guarded(lossy));
    for change in lossy.iter().take(BANNER_NAMES) {
        let allowed = if change.data_loss_allowed {
            "; `allow_data_loss = true`"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "> - `{}` ({}{allowed})",
            change.address,
            change.action.verb()
        );
    }
    if lossy.len() > BANNER_NAMES {
        let _ = writeln!(out, "> - and {} more", lossy.len() - BANNER_NAMES);
    }
    let refused: Vec<String> = lossy
        .iter()
        .filter(|c| !c.data_loss_allowed)
        .map(|c| format!("`{}`", c.address))
        .collect();
    let verdict = match refused.len() {
        0 => "Each says `allow_data_loss = true`, so `wsctl apply` goes ahead.".to_owned(),
        1 if lossy.len() == 1 => "`wsctl apply` refuses it without `--allow-data-loss`.".to_owned(),
        n if n == lossy.len() => {
            "`wsctl apply` refuses them without `--allow-data-loss`.".to_owned()
        }
        n if n <= REFUSED_NAMES => format!(
            "`wsctl apply` refuses {} without `--allow-data-loss`.",
            refused.join(", ")
        ),
        n => format!(
            "`wsctl apply` refuses the {n} that do not say `allow_data_loss = true` without `--allow-data-loss`."
        ),
    };
    let _ = writeln!(out, ">\n> {verdict}\n");
}

/// What the planner wants a reviewer to know that is not a change.
fn notes(out: &mut String, warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    out.push_str("> [!NOTE]\n");
    for warning in warnings.iter().take(BANNER_NAMES) {
        let _ = writeln!(out, "> - {warning}");
    }
    if warnings.len() > BANNER_NAMES {
        let _ = writeln!(out, "> - and {} more", warnings.len() - BANNER_NAMES);
    }
    out.push('\n');
}

fn cut_note(left_out: usize, total: usize) -> String {
    format!(
        "**{left_out} of {total} resources are not shown** to keep this comment under \
         GitHub's size limit. See them all with `wsctl plan`, or \
         `wsctl show PLAN.json --format human` for a saved plan.\n"
    )
}

/// One resource: a one-line summary, and its attribute changes as a diff.
fn fold(change: &ResourceChange) -> String {
    let loss = if change.data_loss {
        " (user data is lost)"
    } else {
        ""
    };
    let body = attribute_diff(change);
    let fence = fence_for(&body);
    let cost = super::cost::change_cost(change)
        .map(|cost| format!(" <i>(cost: {})</i>", escape_html(&cost)))
        .unwrap_or_default();
    format!(
        "<details><summary><code>{}</code> <b>{}</b> will be {}{loss}: {}{cost}</summary>\n\n\
         {fence}diff\n{body}{fence}\n\n</details>\n\n",
        escape_html(change.action.symbol()),
        escape_html(&change.address.to_string()),
        change.action.verb(),
        escape_html(&change.reason),
    )
}

/// The resource's attributes before and after as text, diffed line by line:
/// what a reviewer expects in a `diff` block, `-` old and `+` new.
fn attribute_diff(change: &ResourceChange) -> String {
    let mut before = String::new();
    let mut after = String::new();
    if let Some(id) = &change.id {
        let line = format!("id = {id:?}\n");
        before.push_str(&line);
        // A replaced or destroyed resource's id does not survive the apply.
        if matches!(change.action, Action::Update | Action::Adopt) {
            after.push_str(&line);
        }
    }
    for attribute in &change.attributes {
        if let Some(value) = &attribute.before {
            write_attribute(&mut before, &attribute.name, value, "");
        }
        if let Some(value) = &attribute.after {
            write_attribute(&mut after, &attribute.name, value, forces(attribute));
        }
    }
    let diff = TextDiff::from_lines(&before, &after);
    let mut out = String::new();
    for line in diff.iter_all_changes() {
        let marker = match line.tag() {
            ChangeTag::Equal => ' ',
            ChangeTag::Delete => '-',
            ChangeTag::Insert => '+',
        };
        let _ = write!(out, "{marker} {}", line.value());
        if line.missing_newline() {
            out.push('\n');
        }
    }
    out
}

fn forces(attribute: &AttributeChange) -> &'static str {
    if attribute.forces_replacement {
        "  # forces replacement"
    } else {
        ""
    }
}

/// `name = value`; tags a key a line and lists an item a line, so the diff
/// shows which tag or account changed.
fn write_attribute(out: &mut String, name: &str, value: &Value, note: &str) {
    match value {
        Value::Tags(tags) => {
            let _ = writeln!(out, "{name} = {{{note}");
            for (key, value) in tags {
                let _ = writeln!(out, "    {key:?} = {value:?}");
            }
            out.push_str("}\n");
        }
        Value::List(items) => {
            let _ = writeln!(out, "{name} = [{note}");
            for item in items {
                let _ = writeln!(out, "    {item:?},");
            }
            out.push_str("]\n");
        }
        value => {
            let _ = writeln!(out, "{name} = {value}{note}");
        }
    }
}

/// A code fence longer than any run of backticks in the body, so a value
/// holding backticks cannot close the block early.
fn fence_for(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Text inside `<summary>` is HTML: reasons may hold `<`, `>` or `&`.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
