//! `wsctl cost`'s report of a stack's run-rate: each WorkSpace and its
//! monthly price, the totals of each grouping, and what the prices rest on;
//! for a terminal, a program (JSON), a pull-request comment (Markdown, with
//! a pie chart) or a spreadsheet (CSV). What the account says (user names,
//! tags, bundle names) is data: escaped for each format, never markup.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::address::Address;
use crate::prices::{Assumptions, Group, GroupBy, Grouping, Money, RunRate, StackWorkspace};
use crate::visible::visible;
use crate::workspace_properties::RunningMode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CostFormat {
    /// Aligned tables, for a terminal
    Human,
    /// A versioned document, for programs
    Json,
    /// A pull-request comment: tables and a pie chart by compute type
    Markdown,
    /// One row per WorkSpace (RFC 4180), for a spreadsheet
    Csv,
}

pub fn cost_report(run_rate: &RunRate, format: CostFormat) -> String {
    match format {
        CostFormat::Human => human(run_rate),
        CostFormat::Json => json(run_rate),
        CostFormat::Markdown => markdown(run_rate),
        CostFormat::Csv => csv(run_rate),
    }
}

/// What a grouping is called in a heading, and its key's column.
fn title(by: &GroupBy) -> (String, String) {
    match by {
        GroupBy::Bundle => ("bundle".to_owned(), "bundle".to_owned()),
        GroupBy::Compute => ("compute type".to_owned(), "compute".to_owned()),
        GroupBy::Mode => ("running mode".to_owned(), "mode".to_owned()),
        GroupBy::Directory => ("directory".to_owned(), "directory".to_owned()),
        GroupBy::Tag(key) => (format!("tag {key}"), key.clone()),
    }
}

/// A group as people read it: a bundle by name and id; "(none)" for
/// WorkSpaces without the tag, "(unknown)" where the account does not say.
fn label(by: &GroupBy, group: &Group) -> String {
    match (&group.key, &group.name) {
        (Some(id), Some(name)) => format!("{name} ({id})"),
        (Some(key), None) => key.clone(),
        (None, _) if matches!(by, GroupBy::Tag(_)) => "(none)".to_owned(),
        (None, _) => "(unknown)".to_owned(),
    }
}

/// "4 WorkSpaces", "1 WorkSpace".
fn workspaces(n: usize) -> String {
    format!("{n} WorkSpace{}", if n == 1 { "" } else { "s" })
}

/// What the prices rest on, as the plan says it.
fn basis(run_rate: &RunRate) -> String {
    format!(
        "Prices: the AWS Price List for {}, fetched {}, in {}; AUTO_STOP WorkSpaces assumed to run {} hours a month.",
        run_rate.region,
        run_rate.prices_fetched,
        run_rate.currency,
        run_rate.assumptions.auto_stop_hours_per_month
    )
}

/// "1 WorkSpace has no price and is left out of the totals:"; None when
/// every WorkSpace is priced.
fn unpriced_head(run_rate: &RunRate) -> Option<String> {
    match run_rate.unpriced().count() {
        0 => None,
        1 => Some("1 WorkSpace has no price and is left out of the totals:".to_owned()),
        n => Some(format!(
            "{n} WorkSpaces have no price and are left out of the totals:"
        )),
    }
}

/// `workspace.alice`, or "-" for a WorkSpace without a `wsctl:name` tag.
fn address(workspace: &StackWorkspace) -> String {
    workspace
        .address
        .as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

fn mode(workspace: &StackWorkspace) -> &'static str {
    workspace.mode.map_or("", RunningMode::as_str)
}

/// One cell of an aligned table.
pub(super) enum Cell {
    Left(String),
    Right(String),
    /// Printed as it is, and not counted in its column's width: a reason
    /// in the last column, which would push every amount far right.
    Free(String),
}

impl Cell {
    fn text(&self) -> &str {
        match self {
            Cell::Left(text) | Cell::Right(text) | Cell::Free(text) => text,
        }
    }
}

/// `rows` in columns two spaces apart, each line starting with `indent`.
pub(super) fn aligned(out: &mut String, indent: &str, rows: &[Vec<Cell>]) {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if widths.len() <= i {
                widths.push(0);
            }
            if !matches!(cell, Cell::Free(_)) {
                widths[i] = widths[i].max(cell.text().chars().count());
            }
        }
    }
    for row in rows {
        let mut line = indent.to_owned();
        for (i, cell) in row.iter().enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            let pad = width.saturating_sub(cell.text().chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            match cell {
                Cell::Left(text) | Cell::Free(text) => {
                    line.push_str(text);
                    line.push_str(&" ".repeat(pad));
                }
                Cell::Right(text) => {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(text);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn human(run_rate: &RunRate) -> String {
    let stack = visible(&run_rate.stack);
    if run_rate.rows.is_empty() {
        return format!("Stack {stack} owns no WorkSpaces: $0.00/month.\n");
    }
    let mut out = format!(
        "Stack {stack}: {}, {}/month.\n\n",
        workspaces(run_rate.rows.len()),
        run_rate.total
    );
    let shown = |text: &str| Cell::Left(visible(text).into_owned());
    let mut rows = vec![
        [
            "WORKSPACE",
            "ID",
            "USER",
            "DIRECTORY",
            "BUNDLE",
            "BUNDLE NAME",
            "COMPUTE",
            "MODE",
        ]
        .map(|h| Cell::Left(h.to_owned()))
        .into_iter()
        .chain([Cell::Right("MONTHLY".to_owned())])
        .collect::<Vec<_>>(),
    ];
    for row in &run_rate.rows {
        let w = &row.workspace;
        rows.push(vec![
            shown(&address(w)),
            shown(&w.id),
            shown(&w.user),
            shown(&w.directory_id),
            shown(&w.bundle_id),
            shown(w.bundle_name.as_deref().unwrap_or("")),
            shown(w.compute.as_deref().unwrap_or("")),
            Cell::Left(mode(w).to_owned()),
            match &row.price {
                Ok(price) => Cell::Right(price.monthly.to_string()),
                Err(why) => Cell::Free(format!("price unknown: {}", visible(&why.0))),
            },
        ]);
    }
    aligned(&mut out, "", &rows);
    for grouping in &run_rate.groupings {
        human_grouping(&mut out, grouping);
    }
    let _ = writeln!(out, "\nTotal: {}/month.", run_rate.total);
    if let Some(head) = unpriced_head(run_rate) {
        let _ = writeln!(out, "{head}");
        for (workspace, why) in run_rate.unpriced() {
            let _ = writeln!(
                out,
                "  {} ({}): {}",
                visible(&address(workspace)),
                visible(&workspace.id),
                visible(&why.0)
            );
        }
    }
    let _ = writeln!(out, "{}", basis(run_rate));
    out
}

fn human_grouping(out: &mut String, grouping: &Grouping) {
    let (title, column) = title(&grouping.by);
    let _ = writeln!(out, "\nBy {}:", visible(&title));
    let mut rows = vec![vec![
        Cell::Left(visible(&column).to_uppercase()),
        Cell::Right("WORKSPACES".to_owned()),
        Cell::Right("MONTHLY".to_owned()),
    ]];
    for group in &grouping.groups {
        let mut row = vec![
            Cell::Left(visible(&label(&grouping.by, group)).into_owned()),
            Cell::Right(group.count.to_string()),
            Cell::Right(group.monthly.to_string()),
        ];
        if group.unpriced > 0 {
            row.push(Cell::Free(format!("({} without a price)", group.unpriced)));
        }
        rows.push(row);
    }
    aligned(out, "  ", &rows);
}

/// The document's format; bumped when a field changes meaning or disappears.
const FORMAT_VERSION: &str = "1";

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    /// The wsctl that wrote it.
    wsctl_version: &'static str,
    stack: &'a str,
    /// The Price List region the prices are for.
    region: &'a str,
    currency: &'a str,
    /// When the prices were fetched, `YYYY-MM-DD`.
    prices_fetched: &'a str,
    assumptions: Assumptions,
    workspaces: Vec<WorkspaceEntry<'a>>,
    /// By grouping (`bundle`, `tag:team`): its groups, largest first.
    groups: BTreeMap<String, Vec<GroupEntry<'a>>>,
    /// The sum of the priced WorkSpaces, a month.
    total: Money,
    /// The WorkSpaces left out of the totals, and why.
    unpriced: Vec<UnpricedEntry<'a>>,
}

#[derive(Serialize)]
struct WorkspaceEntry<'a> {
    /// None for a WorkSpace without a `wsctl:name` tag.
    address: Option<&'a Address>,
    id: &'a str,
    user: &'a str,
    directory_id: &'a str,
    bundle_id: &'a str,
    bundle_name: Option<&'a str>,
    compute_type: Option<&'a str>,
    running_mode: Option<RunningMode>,
    tags: &'a BTreeMap<String, String>,
    /// The month as assumed; None without a price.
    monthly: Option<Money>,
    /// The fixed monthly part (AUTO_STOP's fee, or ALWAYS_ON's month).
    #[serde(skip_serializing_if = "Option::is_none")]
    monthly_fee: Option<Money>,
    /// AUTO_STOP's rate an hour.
    #[serde(skip_serializing_if = "Option::is_none")]
    hourly: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price_unknown: Option<&'a str>,
}

#[derive(Serialize)]
struct GroupEntry<'a> {
    /// None for WorkSpaces without the tag, or whose compute type or mode
    /// the account does not say.
    key: Option<&'a str>,
    /// A bundle's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    count: usize,
    /// Of `count`, the WorkSpaces without a price, left out of `monthly`.
    unpriced: usize,
    monthly: Money,
}

#[derive(Serialize)]
struct UnpricedEntry<'a> {
    address: Option<&'a Address>,
    id: &'a str,
    reason: &'a str,
}

fn json(run_rate: &RunRate) -> String {
    let document = Document {
        format_version: FORMAT_VERSION,
        wsctl_version: env!("CARGO_PKG_VERSION"),
        stack: &run_rate.stack,
        region: &run_rate.region,
        currency: &run_rate.currency,
        prices_fetched: &run_rate.prices_fetched,
        assumptions: run_rate.assumptions,
        workspaces: run_rate
            .rows
            .iter()
            .map(|row| {
                let w = &row.workspace;
                let price = row.price.as_ref().ok();
                WorkspaceEntry {
                    address: w.address.as_ref(),
                    id: &w.id,
                    user: &w.user,
                    directory_id: &w.directory_id,
                    bundle_id: &w.bundle_id,
                    bundle_name: w.bundle_name.as_deref(),
                    compute_type: w.compute.as_deref(),
                    running_mode: w.mode,
                    tags: &w.tags,
                    monthly: price.map(|p| p.monthly),
                    monthly_fee: price.map(|p| p.monthly_fee),
                    hourly: price.and_then(|p| p.hourly),
                    price_unknown: row.price.as_ref().err().map(|why| why.0.as_str()),
                }
            })
            .collect(),
        groups: run_rate
            .groupings
            .iter()
            .map(|grouping| {
                let groups = grouping
                    .groups
                    .iter()
                    .map(|g| GroupEntry {
                        key: g.key.as_deref(),
                        name: g.name.as_deref(),
                        count: g.count,
                        unpriced: g.unpriced,
                        monthly: g.monthly,
                    })
                    .collect();
                (grouping.by.to_string(), groups)
            })
            .collect(),
        total: run_rate.total,
        unpriced: run_rate
            .unpriced()
            .map(|(w, why)| UnpricedEntry {
                address: w.address.as_ref(),
                id: &w.id,
                reason: &why.0,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// Text from the account in a Markdown table cell or line: shown visibly,
/// HTML-escaped, and with Markdown's own marks (and `|`, which would end
/// the cell) escaped, so it can neither format nor mention anyone.
pub(super) fn md(text: &str) -> String {
    let mut out = String::new();
    for c in visible(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A GitHub mention would notify whoever a tag value names.
            '@' => out.push_str("&#64;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A label in a Mermaid pie chart: inside double quotes, which Mermaid
/// cannot escape, so everything but plain letters, digits and a few marks
/// is written as its entity code (`#34;`).
fn mermaid_label(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " _-.()/:+,".contains(c) {
                c.to_string()
            } else {
                format!("#{};", u32::from(c))
            }
        })
        .collect()
}

/// `35.5` as `35.50`: the amount in whole units with every digit of it,
/// at least to the cent, for the chart and the spreadsheet.
pub(super) fn decimal(amount: Money) -> String {
    let micros = amount.micros();
    let sign = if micros < 0 { "-" } else { "" };
    let micros = micros.unsigned_abs();
    let fraction = format!("{:06}", micros % 1_000_000);
    let fraction = fraction.trim_end_matches('0');
    let fraction = format!("{fraction:0<2}");
    format!("{sign}{}.{fraction}", micros / 1_000_000)
}

fn markdown(run_rate: &RunRate) -> String {
    let stack = md(&run_rate.stack);
    if run_rate.rows.is_empty() {
        return format!("**Stack {stack} owns no WorkSpaces: $0.00/month.**\n");
    }
    let mut out = format!(
        "**Run-rate of stack {stack}: {}/month** ({})\n\n",
        run_rate.total,
        workspaces(run_rate.rows.len())
    );
    out.push_str("| WorkSpace | id | user | directory | bundle | compute | mode | monthly |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | ---: |\n");
    for row in &run_rate.rows {
        let w = &row.workspace;
        let bundle = match &w.bundle_name {
            Some(name) => format!("{} ({})", md(name), md(&w.bundle_id)),
            None => md(&w.bundle_id),
        };
        let monthly = match &row.price {
            Ok(price) => price.monthly.to_string(),
            Err(why) => format!("price unknown: {}", md(&why.0)),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {bundle} | {} | {} | {monthly} |",
            md(&address(w)),
            md(&w.id),
            md(&w.user),
            md(&w.directory_id),
            md(w.compute.as_deref().unwrap_or("")),
            md(mode(w)),
        );
    }
    let unpriced = run_rate.unpriced().count() > 0;
    for grouping in &run_rate.groupings {
        markdown_grouping(&mut out, grouping, run_rate.total, unpriced);
    }
    pie(&mut out, run_rate);
    let _ = writeln!(out, "\n**Total: {}/month.**\n", run_rate.total);
    if let Some(head) = unpriced_head(run_rate) {
        let _ = writeln!(out, "{head}\n");
        for (workspace, why) in run_rate.unpriced() {
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                md(&address(workspace)),
                md(&workspace.id),
                md(&why.0)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", md(&basis(run_rate)));
    out
}

/// A grouping's table, with its total; the count of WorkSpaces without a
/// price only where some have none.
fn markdown_grouping(out: &mut String, grouping: &Grouping, total: Money, unpriced: bool) {
    let (title, column) = title(&grouping.by);
    let _ = writeln!(out, "\n#### By {}\n", md(&title));
    let (extra_head, extra_rule) = if unpriced {
        (" without a price |", " ---: |")
    } else {
        ("", "")
    };
    let _ = writeln!(
        out,
        "| {} | WorkSpaces | monthly |{extra_head}",
        md(&column)
    );
    let _ = writeln!(out, "| --- | ---: | ---: |{extra_rule}");
    for group in &grouping.groups {
        let extra = if unpriced {
            format!(" {} |", group.unpriced)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |{extra}",
            md(&label(&grouping.by, group)),
            group.count,
            group.monthly
        );
    }
    let count: usize = grouping.groups.iter().map(|g| g.count).sum();
    let extra = if unpriced {
        let none: usize = grouping.groups.iter().map(|g| g.unpriced).sum();
        format!(" **{none}** |")
    } else {
        String::new()
    };
    let _ = writeln!(out, "| **total** | **{count}** | **{total}** |{extra}");
}

/// The run-rate by compute type as a Mermaid pie chart (GitHub draws
/// ```` ```mermaid ```` blocks); nothing when no compute type has a price.
fn pie(out: &mut String, run_rate: &RunRate) {
    let by_compute = run_rate.grouped(&GroupBy::Compute);
    let slices: Vec<&Group> = by_compute
        .groups
        .iter()
        .filter(|g| g.monthly > Money::ZERO)
        .collect();
    if slices.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n```mermaid\npie showData title {}",
        mermaid_label(&format!(
            "Run-rate by compute type, {} a month",
            run_rate.currency
        ))
    );
    for group in slices {
        let _ = writeln!(
            out,
            "    \"{}\" : {}",
            mermaid_label(&label(&GroupBy::Compute, group)),
            decimal(group.monthly)
        );
    }
    out.push_str("```\n");
}

/// A CSV field (RFC 4180): quoted where it holds a quote, comma or line
/// break; and a value a spreadsheet would run as a formula (starting
/// `=`, `+`, `-`, `@`, a tab or a carriage return) made text with a `'`.
pub(super) fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn csv(run_rate: &RunRate) -> String {
    let tags: Vec<&str> = run_rate
        .groupings
        .iter()
        .filter_map(|g| match &g.by {
            GroupBy::Tag(key) => Some(key.as_str()),
            _ => None,
        })
        .collect();
    let mut header: Vec<String> = [
        "address",
        "id",
        "user",
        "directory_id",
        "bundle_id",
        "bundle_name",
        "compute_type",
        "running_mode",
        "currency",
        "monthly",
        "price_unknown",
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(tags.iter().map(|key| format!("tag:{key}")));
    let mut lines = vec![header];
    for row in &run_rate.rows {
        let w = &row.workspace;
        let mut line = vec![
            w.address
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            w.id.clone(),
            w.user.clone(),
            w.directory_id.clone(),
            w.bundle_id.clone(),
            w.bundle_name.clone().unwrap_or_default(),
            w.compute.clone().unwrap_or_default(),
            mode(w).to_owned(),
            run_rate.currency.clone(),
            row.price
                .as_ref()
                .map(|p| decimal(p.monthly))
                .unwrap_or_default(),
            row.price
                .as_ref()
                .err()
                .map(|why| why.0.clone())
                .unwrap_or_default(),
        ];
        line.extend(
            tags.iter()
                .map(|key| w.tags.get(*key).cloned().unwrap_or_default()),
        );
        lines.push(line);
    }
    lines
        .iter()
        .map(|line| {
            let fields: Vec<String> = line.iter().map(|f| csv_field(f)).collect();
            format!("{}\r\n", fields.join(","))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::{LiveBundle, LiveState, LiveWorkspace};
    use crate::prices::{PriceBook, StackWorkspaces};
    use crate::states::WorkspaceState;

    /// One WorkSpace of stack `eng` whose user, tags and bundle name carry
    /// what no format may pass on as it is, on a bundle the (empty) Price
    /// List does not price.
    fn hostile() -> RunRate {
        let tags = [
            ("wsctl:stack", "eng"),
            ("wsctl:name", "mallory"),
            ("team", "@here|x"),
            ("owner", "=HYPERLINK(\"x\")"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let live = LiveState {
            bundles: vec![LiveBundle {
                id: "wsb-evil".to_owned(),
                name: "Standard <b>Windows</b> | `x`".to_owned(),
                compute_type: Some("STANDARD".to_owned()),
                root_volume_gib: Some(80),
                user_volume_gib: Some(50),
                ..LiveBundle::default()
            }],
            workspaces: vec![LiveWorkspace {
                id: "ws-mallory".to_owned(),
                directory_id: "d-1234567890".to_owned(),
                user: "evil\u{202e}txt".to_owned(),
                state: WorkspaceState::Available,
                bundle_id: "wsb-evil".to_owned(),
                tags: tags.into_iter().collect(),
                ..LiveWorkspace::default()
            }],
            ..LiveState::default()
        };
        let book = PriceBook {
            region: "us-east-1".to_owned(),
            currency: "USD".to_owned(),
            fetched: "2026-12-01".to_owned(),
            offers: Vec::new(),
        };
        let by = [
            GroupBy::Bundle,
            GroupBy::Tag("team".to_owned()),
            GroupBy::Tag("owner".to_owned()),
        ];
        StackWorkspaces::of(&live, "eng").priced(&book, Assumptions::default(), &by)
    }

    #[test]
    fn an_unpriced_workspace_is_named_and_never_given_a_number() {
        let rate = hostile();
        let human = cost_report(&rate, CostFormat::Human);
        assert!(
            human.contains("Stack eng: 1 WorkSpace, $0.00/month."),
            "{human}"
        );
        assert!(
            human.contains("price unknown: the Price List for us-east-1 lists no STANDARD"),
            "{human}"
        );
        assert!(human.contains("1 WorkSpace has no price and is left out of the totals:\n  workspace.mallory (ws-mallory): "), "{human}");
        assert!(human.contains("evil\\u{202e}txt"), "{human}");
        assert!(!human.contains('\u{202e}'), "{human}");
        let json: serde_json::Value =
            serde_json::from_str(&cost_report(&rate, CostFormat::Json)).expect("JSON");
        assert_eq!(json["workspaces"][0]["monthly"], serde_json::Value::Null);
        assert_eq!(json["unpriced"][0]["address"], "workspace.mallory");
        assert_eq!(json["groups"]["tag:team"][0]["unpriced"], 1);
        let markdown = cost_report(&rate, CostFormat::Markdown);
        assert!(
            !markdown.contains("```mermaid"),
            "no price, no chart:\n{markdown}"
        );
    }

    #[test]
    fn what_the_account_says_is_data_in_every_format() {
        let rate = hostile();
        let markdown = cost_report(&rate, CostFormat::Markdown);
        assert!(markdown.contains("| &#64;here\\|x | 1 |"), "{markdown}");
        assert!(
            markdown.contains("Standard &lt;b&gt;Windows&lt;/b&gt; \\| \\`x\\` (wsb-evil)"),
            "{markdown}"
        );
        assert!(markdown.contains("evil\\\\u{202e}txt"), "{markdown}");
        let csv = cost_report(&rate, CostFormat::Csv);
        let line = csv.split("\r\n").nth(1).expect("a WorkSpace's line");
        assert!(
            line.ends_with(",'@here|x,\"'=HYPERLINK(\"\"x\"\")\""),
            "{line}"
        );
        assert!(
            line.contains(",evil\u{202e}txt,"),
            "a spreadsheet gets the data as it is: {line}"
        );
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("alice"), "alice");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=1+2"), "'=1+2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("+x,y"), "\"'+x,y\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn markdown_cells_cannot_format_break_the_table_or_mention() {
        assert_eq!(md("a|b"), "a\\|b");
        assert_eq!(md("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(md("@team *now*"), "&#64;team \\*now\\*");
        assert_eq!(md("evil\u{202e}txt"), "evil\\\\u{202e}txt");
        assert_eq!(md("Zoë"), "Zoë");
    }

    #[test]
    fn mermaid_labels_cannot_close_their_quotes_or_the_block() {
        assert_eq!(mermaid_label("STANDARD"), "STANDARD");
        assert_eq!(mermaid_label("a\"b"), "a#34;b");
        assert_eq!(mermaid_label("```\n"), "#96;#96;#96;#10;");
    }

    #[test]
    fn amounts_keep_every_digit_and_at_least_the_cents() {
        assert_eq!(decimal(Money::cents(3375)), "33.75");
        assert_eq!(decimal(Money::cents(3500)), "35.00");
        assert_eq!(decimal(Money::from_micros(1_234_500)), "1.2345");
        assert_eq!(decimal(Money::ZERO), "0.00");
    }
}
