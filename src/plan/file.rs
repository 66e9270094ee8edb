//! Saved plans: `wsctl plan --out PLAN.json` writes the JSON document;
//! `wsctl apply PLAN.json` and `wsctl show PLAN.json` read it back. A plan is
//! applied only by the wsctl version that made it, and only while what it
//! read is unchanged.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Order, Plan, ResourceChange};
use crate::address::Address;

/// The saved plan's format (the JSON document's `format_version`): bumped
/// when a field changes meaning or disappears; additions keep it, so the
/// schema allows fields it does not list.
pub const FORMAT_VERSION: &str = "1";

#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    #[error("{path} is not a wsctl plan file: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error(
        "{path} was made by wsctl {made_by} (plan format {format}); this is wsctl {this} (format {this_format}): run plan again with this version"
    )]
    Version {
        path: String,
        made_by: String,
        format: String,
        this: &'static str,
        this_format: &'static str,
    },
    #[error(
        "{path} was altered: its order is not the one its changes make; run plan again and apply the new file"
    )]
    Altered { path: String },
}

/// The parts of the JSON document a plan is rebuilt from.
#[derive(Deserialize)]
struct Saved {
    stack: String,
    summary: Summary,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    targets: Vec<Address>,
    #[serde(default)]
    left_out: usize,
    region: Option<String>,
    fingerprints: BTreeMap<String, String>,
    order: Order,
    changes: Vec<ResourceChange>,
}

#[derive(Deserialize)]
struct Summary {
    unchanged: usize,
}

/// The plan saved as `text` in the file `shown`: refused when another
/// wsctl made it or its order is not the one its changes make.
pub fn parse_saved(shown: &str, text: &str) -> Result<Plan, PlanFileError> {
    let shown = shown.to_owned();
    // The versions first, so an older or newer file says so rather than
    // failing on a field it spells differently.
    #[derive(Deserialize)]
    struct Versions {
        format_version: String,
        wsctl_version: String,
    }
    let versions: Versions = serde_json::from_str(text).map_err(|source| PlanFileError::Parse {
        path: shown.clone(),
        source,
    })?;
    let this = env!("CARGO_PKG_VERSION");
    if versions.format_version != FORMAT_VERSION || versions.wsctl_version != this {
        return Err(PlanFileError::Version {
            path: shown,
            made_by: versions.wsctl_version,
            format: versions.format_version,
            this,
            this_format: FORMAT_VERSION,
        });
    }
    let saved: Saved = serde_json::from_str(text).map_err(|source| PlanFileError::Parse {
        path: shown.clone(),
        source,
    })?;
    // Apply walks the saved order, so it must be the one the planner makes
    // of the saved changes.
    if saved.order != Order::of(&saved.changes) {
        return Err(PlanFileError::Altered { path: shown });
    }
    Ok(Plan {
        stack: saved.stack,
        order: saved.order,
        changes: saved.changes,
        unchanged: saved.summary.unchanged,
        warnings: saved.warnings,
        targets: saved.targets,
        left_out: saved.left_out,
        region: saved.region,
        fingerprints: saved.fingerprints,
    })
}

/// What changed between the fingerprints a plan recorded and the ones read
/// now: one line per natural key.
pub fn stale(recorded: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Vec<String> {
    recorded
        .iter()
        .filter_map(|(key, before)| {
            let after = now.get(key).map(String::as_str).unwrap_or("absent");
            let what = match (before.as_str(), after) {
                (before, after) if before == after => return None,
                ("absent", _) => "appeared",
                (_, "absent") => "disappeared",
                _ => "changed",
            };
            Some(format!("{key} {what}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_names_what_appeared_changed_and_disappeared() {
        let recorded: BTreeMap<String, String> = [
            ("workspace:d-1/alice", "absent"),
            ("workspace:d-1/bob", "aa"),
            ("bundle:dev", "bb"),
            ("account", "cc"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let mut now = recorded.clone();
        now.insert("workspace:d-1/alice".to_owned(), "dd".to_owned());
        now.insert("workspace:d-1/bob".to_owned(), "ee".to_owned());
        now.insert("bundle:dev".to_owned(), "absent".to_owned());
        assert_eq!(
            stale(&recorded, &now),
            [
                "bundle:dev disappeared",
                "workspace:d-1/alice appeared",
                "workspace:d-1/bob changed"
            ]
        );
        assert!(stale(&recorded, &recorded).is_empty());
    }
}
