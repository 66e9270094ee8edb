//! Saved plans: `wsctl plan --out PLAN.json` writes the JSON document;
//! `wsctl apply PLAN.json` and `wsctl show PLAN.json` read it back. A plan is
//! applied only by the wsctl version that made it, and only while it is
//! sealed: what it read is unchanged, and the plan its fleet makes now is
//! the saved document, to the letter.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use super::{FleetSource, Order, Plan, ResourceChange};
use crate::address::Address;

/// The saved plan's format (the JSON document's `format_version`): bumped
/// when a field changes meaning or disappears; additions keep it, so the
/// schema allows fields it does not list. `fleet` was such an addition: a
/// file without it can be shown, not applied.
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
    #[error(
        "{path} holds no fleet (it was saved by a wsctl that did not seal plans), so apply cannot check its changes; nothing was changed; run plan again with this version and apply the new file"
    )]
    Unsealed { path: String },
    #[error(
        "altered plan: {path} is not the plan wsctl makes now of the fleet it holds and the account as it is, so nothing was changed:\n{}\n  run plan again and apply the new file (if nobody edited {path}, something its fingerprints leave out moved, such as a WorkSpace's state)",
        lines(differences)
    )]
    NotRederived {
        path: String,
        differences: Vec<String>,
    },
    #[error(
        "{path} was made from {made_from}, and {here} here is not that text, so nothing was changed; run plan again with {here}, or pass -f with the file the plan was made from"
    )]
    OtherFleet {
        path: String,
        made_from: String,
        here: String,
    },
}

fn lines(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("  - {item}"))
        .collect::<Vec<_>>()
        .join("\n")
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
    #[serde(default)]
    fleet: Option<FleetSource>,
    #[serde(default)]
    cost: Option<super::PlanCost>,
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
    let Some(mut plan) = Plan::saved(&saved.stack, saved.changes, saved.order) else {
        return Err(PlanFileError::Altered { path: shown });
    };
    plan.unchanged = saved.summary.unchanged;
    plan.warnings = saved.warnings;
    plan.targets = saved.targets;
    plan.left_out = saved.left_out;
    plan.region = saved.region;
    plan.fingerprints = saved.fingerprints;
    plan.fleet = saved.fleet;
    plan.cost = saved.cost;
    Ok(plan)
}

/// What changed between the fingerprints a plan recorded and the ones read
/// now: one line per natural key, those only one side has included.
pub fn stale(recorded: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Vec<String> {
    let absent = |read: &BTreeMap<String, String>, key: &str| {
        read.get(key)
            .cloned()
            .unwrap_or_else(|| "absent".to_owned())
    };
    let keys: BTreeSet<&String> = recorded.keys().chain(now.keys()).collect();
    keys.into_iter()
        .filter_map(|key| {
            let what = match (absent(recorded, key).as_str(), absent(now, key).as_str()) {
                (before, after) if before == after => return None,
                ("absent", _) => "appeared",
                (_, "absent") => "disappeared",
                _ => "changed",
            };
            Some(format!("{key} {what}"))
        })
        .collect()
}

/// How many differences an altered plan names before it says how many more.
const SHOWN_DIFFERENCES: usize = 20;

/// Refuses the saved document `saved` (the text of the file `shown`) unless
/// it is `derived`, the document of the plan made again now: the seal.
pub fn check_sealed(shown: &str, saved: &str, derived: &str) -> Result<(), PlanFileError> {
    // Plan wrote the file with the same renderer: the text is the same
    // unless something rewrote it, and comparing text is much the cheaper.
    if saved == derived {
        return Ok(());
    }
    let parse = |text: &str| {
        serde_json::from_str::<Value>(text).map_err(|source| PlanFileError::Parse {
            path: shown.to_owned(),
            source,
        })
    };
    let (mut saved, mut derived) = (parse(saved)?, parse(derived)?);
    // Costs are sealed but for what moves with the day (the proration, the
    // dates): a plan applied tomorrow is the same plan. Where either side
    // has no prices (the Price List unreachable) or measured hours (which
    // move with every hour of the window), costs are not compared; apply
    // checks the guard on the plan it derived.
    let comparable = |document: &Value| {
        document
            .get("cost")
            .is_some_and(|cost| cost.get("measured_hours").is_none())
    };
    let priced = comparable(&saved) && comparable(&derived);
    for document in [&mut saved, &mut derived] {
        without_daily_costs(document, priced);
    }
    if saved == derived {
        return Ok(());
    }
    let mut differences = Differences::default();
    differences.document(&saved, &derived);
    let mut found = differences.found;
    if found.is_empty() {
        found.push("changes: the same ones in another order".to_owned());
    }
    if found.len() > SHOWN_DIFFERENCES {
        let more = found.len() - SHOWN_DIFFERENCES;
        found.truncate(SHOWN_DIFFERENCES);
        found.push(format!("and {more} more"));
    }
    Err(PlanFileError::NotRederived {
        path: shown.to_owned(),
        differences: found,
    })
}

/// The document without the cost members that move with the day, or
/// without its costs at all when they are not compared (`priced` false).
fn without_daily_costs(document: &mut Value, priced: bool) {
    const DAILY: [&str; 3] = ["this_month_delta", "priced_on", "prices_fetched"];
    let trim = |cost: &mut Value| {
        if let Some(cost) = cost.as_object_mut() {
            for member in DAILY {
                cost.remove(member);
            }
        }
    };
    if let Some(plan) = document.as_object_mut() {
        match plan.get_mut("cost") {
            Some(cost) if priced => trim(cost),
            _ => {
                plan.remove("cost");
            }
        }
    }
    if let Some(changes) = document.get_mut("changes").and_then(Value::as_array_mut) {
        for change in changes.iter_mut().filter_map(Value::as_object_mut) {
            match change.get_mut("cost") {
                Some(cost) if priced => trim(cost),
                _ => {
                    change.remove("cost");
                }
            }
        }
    }
}

/// Where a saved document and the one made again differ, one line each:
/// changes by address, the other members by path.
#[derive(Default)]
struct Differences {
    found: Vec<String>,
}

impl Differences {
    fn document(&mut self, saved: &Value, derived: &Value) {
        for (member, before, after) in members(Some(saved), Some(derived)) {
            match member.as_str() {
                "changes" => self.changes(before, after),
                // The saved order is checked to be the one its changes make,
                // so the changes already say what differs.
                "order" if before != after => {
                    self.found.push("order: not the one made now".to_owned());
                }
                _ => self.value(member, before, after),
            }
        }
    }

    fn changes(&mut self, saved: Option<&Value>, derived: Option<&Value>) {
        let (saved, derived) = (by_address(saved), by_address(derived));
        let addresses: BTreeSet<&str> = saved.keys().chain(derived.keys()).copied().collect();
        for address in addresses {
            match (saved.get(address), derived.get(address)) {
                (Some(_), None) => self.found.push(format!(
                    "{address}: a change in the file that the plan made now does not have"
                )),
                (None, Some(_)) => self.found.push(format!(
                    "{address}: a change of the plan made now that the file does not have"
                )),
                (before, after) => {
                    for (key, before, after) in members(before.copied(), after.copied()) {
                        self.value(&format!("{address}: {key}"), before, after);
                    }
                }
            }
        }
    }

    fn value(&mut self, path: &str, saved: Option<&Value>, derived: Option<&Value>) {
        match (saved, derived) {
            (before, after) if before == after => {}
            (Some(Value::Object(_)), Some(Value::Object(_))) => {
                for (key, before, after) in members(saved, derived) {
                    self.value(&format!("{path}.{key}"), before, after);
                }
            }
            (Some(Value::Array(before)), Some(Value::Array(after)))
                if before.len() == after.len() =>
            {
                for (i, (before, after)) in before.iter().zip(after).enumerate() {
                    self.value(&format!("{path}[{i}]"), Some(before), Some(after));
                }
            }
            (before, after) => self.found.push(format!(
                "{path}: {} in the file, {} now",
                shown(before),
                shown(after)
            )),
        }
    }
}

type Member<'v> = (&'v String, Option<&'v Value>, Option<&'v Value>);

/// The members of two objects, each name once, in order.
fn members<'v>(saved: Option<&'v Value>, derived: Option<&'v Value>) -> Vec<Member<'v>> {
    let object = |value: Option<&'v Value>| value.and_then(Value::as_object);
    let (saved, derived) = (object(saved), object(derived));
    let names: BTreeSet<&String> = saved
        .into_iter()
        .chain(derived)
        .flat_map(|object| object.keys())
        .collect();
    names
        .into_iter()
        .map(|name| {
            let get = |object: Option<&'v serde_json::Map<String, Value>>| {
                object.and_then(|o| o.get(name))
            };
            (name, get(saved), get(derived))
        })
        .collect()
}

/// A document's changes by address.
fn by_address(changes: Option<&Value>) -> BTreeMap<&str, &Value> {
    changes
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|change| {
            let address = change.get("address").and_then(Value::as_str);
            (address.unwrap_or_default(), change)
        })
        .collect()
}

/// A value of the file as a reviewer may read it: strings quoted with
/// control characters and bidirectional overrides escaped, and shortened.
fn shown(value: Option<&Value>) -> String {
    const LONGEST: usize = 60;
    match value {
        None => "absent".to_owned(),
        Some(Value::String(text)) if text.chars().count() > LONGEST => {
            let start: String = text.chars().take(LONGEST).collect();
            format!("{start:?}…")
        }
        Some(Value::String(text)) => format!("{text:?}"),
        Some(Value::Array(items)) => format!("a list of {}", items.len()),
        Some(Value::Object(_)) => "an object".to_owned(),
        Some(other) => other.to_string(),
    }
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
        now.insert("workspace:d-1/carol".to_owned(), "ff".to_owned());
        assert!(stale(&recorded, &now).contains(&"workspace:d-1/carol appeared".to_owned()));
    }

    const SEALED: &str = r#"{"summary": {"create": 1}, "order": [1],
        "changes": [{"address": "workspace.a", "operations": [{"user": "a"}]},
                    {"address": "workspace.b", "id": "ws-b"}]}"#;

    fn differences(altered: &str) -> Vec<String> {
        match check_sealed("plan.json", altered, SEALED) {
            Err(PlanFileError::NotRederived { differences, .. }) => differences,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn a_sealed_plan_is_its_document_made_again_in_any_layout() {
        let compact: Value = serde_json::from_str(SEALED).expect("JSON");
        assert!(check_sealed("plan.json", &compact.to_string(), SEALED).is_ok());
    }

    #[test]
    fn an_altered_plan_names_each_difference_by_address_or_path() {
        let altered = r#"{"summary": {"create": 2}, "order": [2],
            "changes": [{"address": "workspace.a", "operations": [{"user": "m\u202e"}]},
                        {"address": "workspace.c", "id": "ws-b"}]}"#;
        assert_eq!(
            differences(altered),
            [
                r#"workspace.a: operations[0].user: "m\u{202e}" in the file, "a" now"#,
                "workspace.b: a change of the plan made now that the file does not have",
                "workspace.c: a change in the file that the plan made now does not have",
                "order: not the one made now",
                "summary.create: 2 in the file, 1 now",
            ]
        );
    }

    #[test]
    fn changes_in_another_order_are_an_alteration() {
        let swapped = r#"{"summary": {"create": 1}, "order": [1],
            "changes": [{"address": "workspace.b", "id": "ws-b"},
                        {"address": "workspace.a", "operations": [{"user": "a"}]}]}"#;
        assert_eq!(
            differences(swapped),
            ["changes: the same ones in another order"]
        );
    }
}
