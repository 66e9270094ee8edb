//! The `snapshots` command's listing: a block per WorkSpace for people, a
//! versioned document for programs.

use std::fmt::Write;

use serde::Serialize;

use crate::address::Address;
use crate::live::{Snapshots, timestamp};
use crate::visible::visible;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SnapshotFormat {
    Human,
    Json,
}

/// One WorkSpace of the listing.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotListing {
    pub address: Address,
    pub id: String,
    pub state: String,
    pub snapshots: Snapshots,
}

pub fn snapshot_list(listing: &[SnapshotListing], format: SnapshotFormat) -> String {
    match format {
        SnapshotFormat::Human => human(listing),
        SnapshotFormat::Json => json(listing),
    }
}

fn human(listing: &[SnapshotListing]) -> String {
    let mut out = String::new();
    for (i, entry) in listing.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{} ({}, {})",
            visible(&entry.address.to_string()),
            visible(&entry.id),
            visible(&entry.state)
        );
        for (kind, times) in [
            ("restore", &entry.snapshots.restore),
            ("rebuild", &entry.snapshots.rebuild),
        ] {
            if times.is_empty() {
                let _ = writeln!(out, "  {kind}: none");
            }
            for time in times {
                let _ = writeln!(out, "  {kind}  {}", timestamp(time));
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    workspaces: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    address: &'a Address,
    id: &'a str,
    state: &'a str,
    /// Newest first, RFC 3339.
    restore_snapshots: Vec<String>,
    rebuild_snapshots: Vec<String>,
}

fn json(listing: &[SnapshotListing]) -> String {
    let times = |list: &[aws_smithy_types::DateTime]| list.iter().map(timestamp).collect();
    let document = Document {
        format_version: "1",
        workspaces: listing
            .iter()
            .map(|entry| Entry {
                address: &entry.address,
                id: &entry.id,
                state: &entry.state,
                restore_snapshots: times(&entry.snapshots.restore),
                rebuild_snapshots: times(&entry.snapshots.rebuild),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
