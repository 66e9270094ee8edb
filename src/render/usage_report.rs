//! `wsctl usage`'s report: each WorkSpace of the stack with its last
//! connection, hours, cost in both running modes and verdict, and the
//! totals; for a terminal, a program (JSON), a pull-request comment
//! (Markdown) or a spreadsheet (CSV). What the account says is data:
//! escaped for each format, as the cost report escapes it.

use std::fmt::Write;

use serde::Serialize;

use super::CostFormat;
use super::cost_report::{Cell, aligned, csv_field, decimal, md};
use crate::address::Address;
use crate::live::timestamp;
use crate::money::Money;
use crate::prices::Unpriced;
use crate::usage::{Judged, MARGIN_PERCENT, Report, Verdict};
use crate::visible::visible;
use crate::workspace_properties::RunningMode;

pub fn usage_report(report: &Report, format: CostFormat) -> String {
    match format {
        CostFormat::Human => human(report),
        CostFormat::Json => json(report),
        CostFormat::Markdown => markdown(report),
        CostFormat::Csv => csv(report),
    }
}

fn address(row: &Judged) -> String {
    row.workspace
        .address
        .as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

fn mode(row: &Judged) -> &'static str {
    row.workspace.mode.map_or("", RunningMode::as_str)
}

fn time(at: i64) -> String {
    timestamp(&aws_smithy_types::DateTime::from_secs(at))
}

/// `2026-11-28`, `connected now`, or `never`.
fn last_connection(row: &Judged) -> String {
    if row.connection.state.as_deref() == Some("CONNECTED") {
        return "connected now".to_owned();
    }
    row.connection.last_connected.map_or_else(
        || "never".to_owned(),
        |at| crate::clock::date_of(u64::try_from(at).unwrap_or(0)),
    )
}

fn hours(row: &Judged) -> String {
    row.hours
        .map_or_else(|| "?".to_owned(), |h| format!("{:.1}", h.connected))
}

fn monthly_hours(row: &Judged) -> String {
    row.monthly_hours
        .map_or_else(|| "?".to_owned(), |h| h.to_string())
}

fn amount(price: &Result<Money, Unpriced>) -> String {
    price
        .as_ref()
        .map_or_else(|_| "?".to_owned(), ToString::to_string)
}

fn other(row: &Judged) -> String {
    match &row.other {
        Some((mode, price)) => format!("{} {}", amount(price), mode.as_str()),
        None => String::new(),
    }
}

/// "6 WorkSpaces over 30 days: 1 to move to ALWAYS_ON, …".
fn headline(report: &Report) -> String {
    let counts: Vec<String> = Verdict::ALL
        .into_iter()
        .filter(|v| report.count(*v) > 0)
        .map(|v| match v {
            Verdict::Keep => format!("{} to keep", report.count(v)),
            Verdict::Unused => format!("{} unused", report.count(v)),
            v => format!("{} to {}", report.count(v), v.text()),
        })
        .collect();
    let n = report.rows.len();
    format!(
        "{n} WorkSpace{} over the last {} days ({} to {}): {}",
        if n == 1 { "" } else { "s" },
        report.days,
        crate::clock::date_of(u64::try_from(report.window.start).unwrap_or(0)),
        crate::clock::date_of(u64::try_from(report.window.end).unwrap_or(0)),
        counts.join(", ")
    )
}

/// The totals, as a sentence.
fn totals(report: &Report) -> String {
    let unused = report.count(Verdict::Unused);
    let mut text = format!(
        "Now {}/month. Following every verdict saves {}/month from running modes",
        report.monthly_now(),
        report.mode_saving()
    );
    if unused > 0 {
        let _ = write!(
            text,
            "; the {unused} unused WorkSpace{} cost{} {}/month",
            if unused == 1 { "" } else { "s" },
            if unused == 1 { "s" } else { "" },
            report.unused_monthly()
        );
    }
    text.push('.');
    text
}

/// What the numbers rest on.
fn basis(report: &Report) -> String {
    format!(
        "Prices: the AWS Price List for {}, fetched {}, in {}. Hours: CloudWatch UserConnected; AUTO_STOP bills each session's hours and its auto-stop time, whole hours, scaled to a month of 730 hours. A mode moves past the break-even by more than {MARGIN_PERCENT}%.",
        report.region, report.prices_fetched, report.currency
    )
}

fn human(report: &Report) -> String {
    let stack = visible(&report.stack);
    if report.rows.is_empty() {
        return format!("Stack {stack} owns no WorkSpaces.\n");
    }
    let mut out = format!("Stack {stack}: {}.\n\n", headline(report));
    let shown = |text: &str| Cell::Left(visible(text).into_owned());
    let head = [
        "WORKSPACE",
        "USER",
        "MODE",
        "LAST CONNECTION",
        "HOURS",
        "H/MONTH",
        "MONTHLY",
        "OTHER MODE",
        "VERDICT",
    ];
    let mut rows = vec![head.into_iter().map(|h| Cell::Left(h.to_owned())).collect()];
    for row in &report.rows {
        rows.push(vec![
            shown(&address(row)),
            shown(&row.workspace.user),
            Cell::Left(mode(row).to_owned()),
            Cell::Left(last_connection(row)),
            Cell::Right(hours(row)),
            Cell::Right(monthly_hours(row)),
            Cell::Right(amount(&row.now)),
            Cell::Left(other(row)),
            Cell::Left(row.verdict.text().to_owned()),
        ]);
    }
    aligned(&mut out, "", &rows);
    let moved: Vec<&Judged> = report
        .rows
        .iter()
        .filter(|r| r.verdict != Verdict::Keep)
        .collect();
    if !moved.is_empty() {
        out.push_str("\nWhy:\n");
        for row in moved {
            let _ = writeln!(
                out,
                "  {}: {}",
                visible(&address(row)),
                visible(&row.reason)
            );
        }
    }
    if let Some(why) = &report.hours_unknown {
        let _ = writeln!(
            out,
            "\nHours unknown: {}; verdicts rest on the last connection alone.",
            visible(why)
        );
    }
    let _ = writeln!(out, "\n{}\n{}", totals(report), basis(report));
    out
}

/// The document's format; bumped when a field changes meaning or disappears.
const FORMAT_VERSION: &str = "1";

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    wsctl_version: &'static str,
    stack: &'a str,
    days: u32,
    window_start: String,
    window_end: String,
    region: &'a str,
    currency: &'a str,
    prices_fetched: &'a str,
    margin_percent: u32,
    /// Why hours are unknown; absent when CloudWatch was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    hours_unknown: Option<&'a str>,
    workspaces: Vec<Entry<'a>>,
    monthly_now: Money,
    mode_saving: Money,
    unused_monthly: Money,
}

#[derive(Serialize)]
struct Entry<'a> {
    address: Option<&'a Address>,
    id: &'a str,
    user: &'a str,
    running_mode: Option<RunningMode>,
    connection_state: Option<&'a str>,
    last_connection: Option<String>,
    hours_connected: Option<f64>,
    billable_hours: Option<u32>,
    monthly_hours: Option<u32>,
    monthly: Option<Money>,
    other_mode: Option<RunningMode>,
    other_monthly: Option<Money>,
    verdict: Verdict,
    reason: &'a str,
    /// A month saved by following the verdict (unused: its whole cost).
    saving: Money,
}

fn json(report: &Report) -> String {
    let document = Document {
        format_version: FORMAT_VERSION,
        wsctl_version: env!("CARGO_PKG_VERSION"),
        stack: &report.stack,
        days: report.days,
        window_start: time(report.window.start),
        window_end: time(report.window.end),
        region: &report.region,
        currency: &report.currency,
        prices_fetched: &report.prices_fetched,
        margin_percent: MARGIN_PERCENT,
        hours_unknown: report.hours_unknown.as_deref(),
        workspaces: report.rows.iter().map(entry).collect(),
        monthly_now: report.monthly_now(),
        mode_saving: report.mode_saving(),
        unused_monthly: report.unused_monthly(),
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn entry(row: &Judged) -> Entry<'_> {
    Entry {
        address: row.workspace.address.as_ref(),
        id: &row.workspace.id,
        user: &row.workspace.user,
        running_mode: row.workspace.mode,
        connection_state: row.connection.state.as_deref(),
        last_connection: row.connection.last_connected.map(time),
        hours_connected: row.hours.map(|h| (h.connected * 100.0).round() / 100.0),
        billable_hours: row.hours.map(|h| h.billable),
        monthly_hours: row.monthly_hours,
        monthly: row.now.as_ref().ok().copied(),
        other_mode: row.other.as_ref().map(|(m, _)| *m),
        other_monthly: row
            .other
            .as_ref()
            .and_then(|(_, p)| p.as_ref().ok().copied()),
        verdict: row.verdict,
        reason: &row.reason,
        saving: row.saving,
    }
}

fn markdown(report: &Report) -> String {
    let stack = md(&report.stack);
    if report.rows.is_empty() {
        return format!("**Stack {stack} owns no WorkSpaces.**\n");
    }
    let mut out = format!("**Usage of stack {stack}**: {}\n\n", md(&headline(report)));
    out.push_str("| WorkSpace | user | mode | last connection | hours | h/month | monthly | other mode | verdict | why |\n");
    out.push_str("| --- | --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |\n");
    for row in &report.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | **{}** | {} |",
            md(&address(row)),
            md(&row.workspace.user),
            md(mode(row)),
            last_connection(row),
            hours(row),
            monthly_hours(row),
            amount(&row.now),
            md(&other(row)),
            md(row.verdict.text()),
            md(&row.reason),
        );
    }
    if let Some(why) = &report.hours_unknown {
        let _ = writeln!(out, "\nHours unknown: {}.", md(why));
    }
    let _ = writeln!(
        out,
        "\n**{}**\n\n{}",
        md(&totals(report)),
        md(&basis(report))
    );
    out
}

fn csv(report: &Report) -> String {
    let header = [
        "address",
        "id",
        "user",
        "running_mode",
        "connection_state",
        "last_connection",
        "hours_connected",
        "billable_hours",
        "monthly_hours",
        "currency",
        "monthly",
        "other_mode",
        "other_monthly",
        "verdict",
        "saving",
        "reason",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut lines = vec![header];
    for row in &report.rows {
        let optional =
            |m: &Result<Money, Unpriced>| m.as_ref().map(|m| decimal(*m)).unwrap_or_default();
        lines.push(vec![
            row.workspace
                .address
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            row.workspace.id.clone(),
            row.workspace.user.clone(),
            mode(row).to_owned(),
            row.connection.state.clone().unwrap_or_default(),
            row.connection.last_connected.map(time).unwrap_or_default(),
            row.hours
                .map(|h| format!("{:.2}", h.connected))
                .unwrap_or_default(),
            row.hours
                .map(|h| h.billable.to_string())
                .unwrap_or_default(),
            row.monthly_hours.map(|h| h.to_string()).unwrap_or_default(),
            report.currency.clone(),
            optional(&row.now),
            row.other
                .as_ref()
                .map(|(m, _)| m.as_str().to_owned())
                .unwrap_or_default(),
            row.other
                .as_ref()
                .map(|(_, p)| optional(p))
                .unwrap_or_default(),
            row.verdict.id().to_owned(),
            decimal(row.saving),
            row.reason.clone(),
        ]);
    }
    lines
        .iter()
        .map(|line| {
            let fields: Vec<String> = line.iter().map(|f| csv_field(f)).collect();
            format!("{}\r\n", fields.join(","))
        })
        .collect()
}
