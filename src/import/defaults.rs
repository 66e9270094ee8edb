//! `[defaults.workspace]` from the WorkSpaces themselves: the value each
//! key takes most often, where every WorkSpace it would reach has a value to
//! override it with, so that each WorkSpace's table only says how it
//! differs and merging the defaults back gives each one exactly its own.

use std::collections::{BTreeMap, HashMap};

use super::text::Value;
use crate::workspace_properties::RunningMode;

/// Keys whose defaults depend on each other, as the file's rules have it.
const RUNNING_MODE: &str = "running_mode";
const AUTO_STOP: &str = RunningMode::AutoStop.as_str();
const TIMEOUT: &str = "auto_stop_timeout_minutes";
const ENCRYPTION_KEY: &str = "volume_encryption_key";
const ENCRYPTION_FLAGS: [&str; 2] = ["root_volume_encryption", "user_volume_encryption"];
const COMPUTE_TYPE: &str = "compute_type";
const VOLUMES: [&str; 2] = ["root_volume_gib", "user_volume_gib"];
/// Each WorkSpace's own: the file has no default for it.
pub(super) const WORKSPACE_NAME: &str = "workspace_name";

/// A WorkSpace as the file would say it in full: each key with its value,
/// none where AWS reported none (or the key does not apply to it), and its
/// tags. Every WorkSpace has the same keys in the same order.
#[derive(Clone, Debug, Default)]
pub(super) struct Full {
    pub(super) values: Vec<(&'static str, Option<Value>)>,
    pub(super) tags: BTreeMap<String, String>,
}

impl Full {
    fn get(&self, key: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.as_ref())
    }
}

/// What a WorkSpace's table says beyond the defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Own {
    pub(super) values: Vec<(&'static str, Value)>,
    pub(super) tags: BTreeMap<String, String>,
}

#[derive(Debug, Default, PartialEq)]
pub(super) struct Factored {
    pub(super) defaults: Own,
    /// In the order of the WorkSpaces given.
    pub(super) own: Vec<Own>,
}

pub(super) fn factor(workspaces: &[Full]) -> Factored {
    let Some(first) = workspaces.first() else {
        return Factored::default();
    };
    let mut defaults: BTreeMap<&'static str, Value> = first
        .values
        .iter()
        .filter_map(|(key, _)| Some((*key, default_of(key, workspaces)?)))
        .collect();
    keep_consistent(&mut defaults, workspaces);
    let default_tags = default_tags(workspaces);
    let own = workspaces
        .iter()
        .map(|w| Own {
            values: w
                .values
                .iter()
                .filter_map(|(key, value)| {
                    let value = value.as_ref()?;
                    let written = match defaults.get(key) {
                        Some(default) => value != default,
                        // Unset flags are off.
                        None => *value != Value::Flag(false),
                    };
                    written.then(|| (*key, value.clone()))
                })
                .collect(),
            tags: w
                .tags
                .iter()
                .filter(|(k, v)| default_tags.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
        .collect();
    Factored {
        defaults: Own {
            values: first
                .values
                .iter()
                .filter_map(|(key, _)| Some((*key, defaults.get(key)?.clone())))
                .collect(),
            tags: default_tags,
        },
        own,
    }
}

/// Whether a default for `key` reaches `workspace`: a default timeout only
/// reaches AUTO_STOP WorkSpaces; every other key reaches every WorkSpace.
fn reaches(key: &str, workspace: &Full) -> bool {
    key != TIMEOUT || workspace.get(RUNNING_MODE) == Some(&Value::Text(AUTO_STOP.to_owned()))
}

/// The most common value of `key` among the WorkSpaces it reaches (the
/// least, in order, of equally common ones), unless one of them has none:
/// a WorkSpace cannot unset a default. Off is no default, and a
/// WorkSpace's name is never one.
fn default_of(key: &str, workspaces: &[Full]) -> Option<Value> {
    if key == WORKSPACE_NAME {
        return None;
    }
    let mut counts: HashMap<&Value, usize> = HashMap::new();
    for workspace in workspaces.iter().filter(|w| reaches(key, w)) {
        *counts.entry(workspace.get(key)?).or_default() += 1;
    }
    let (value, _) = counts
        .into_iter()
        .max_by(|(a, m), (b, n)| m.cmp(n).then_with(|| b.cmp(a)))?;
    (*value != Value::Flag(false)).then(|| value.clone())
}

/// The rules the file checks `[defaults.workspace]` by, on its own: a
/// timeout needs AUTO_STOP; encryption needs its key and a key needs
/// encryption; a volume pair must be allowed for the compute type.
fn keep_consistent(defaults: &mut BTreeMap<&'static str, Value>, workspaces: &[Full]) {
    if defaults.get(RUNNING_MODE) != Some(&Value::Text(AUTO_STOP.to_owned())) {
        defaults.remove(TIMEOUT);
    }
    let encrypts = ENCRYPTION_FLAGS.iter().any(|f| defaults.contains_key(f));
    if !encrypts || !defaults.contains_key(ENCRYPTION_KEY) {
        defaults.remove(ENCRYPTION_KEY);
        for flag in ENCRYPTION_FLAGS {
            defaults.remove(flag);
        }
    }
    // A pair some WorkSpace of the default compute type has is allowed.
    let pair: Vec<Option<&Value>> = VOLUMES.iter().map(|v| defaults.get(v)).collect();
    let compute = defaults.get(COMPUTE_TYPE);
    let seen = workspaces.iter().any(|w| {
        compute.is_none_or(|c| w.get(COMPUTE_TYPE) == Some(c))
            && VOLUMES.iter().map(|v| w.get(v)).collect::<Vec<_>>() == pair
    });
    if pair.iter().any(Option::is_none) || !seen {
        for volume in VOLUMES {
            defaults.remove(volume);
        }
    }
}

/// Tags every WorkSpace has, each with its most common value: a WorkSpace
/// can override a default tag but not remove it.
fn default_tags(workspaces: &[Full]) -> BTreeMap<String, String> {
    let Some(first) = workspaces.first() else {
        return BTreeMap::new();
    };
    first
        .tags
        .keys()
        .filter_map(|key| {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for workspace in workspaces {
                *counts.entry(workspace.tags.get(key)?).or_default() += 1;
            }
            let (value, _) = counts
                .into_iter()
                .max_by(|(a, m), (b, n)| m.cmp(n).then_with(|| b.cmp(a)))?;
            Some((key.clone(), value.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Option<Value> {
        Some(Value::Text(s.to_owned()))
    }

    fn number(n: i64) -> Option<Value> {
        Some(Value::Number(n))
    }

    fn workspace(values: Vec<(&'static str, Option<Value>)>) -> Full {
        Full {
            values,
            tags: BTreeMap::new(),
        }
    }

    fn keys(own: &Own) -> Vec<&str> {
        own.values.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn the_most_common_value_is_the_default_and_ties_go_to_the_least() {
        let factored = factor(&[
            workspace(vec![(COMPUTE_TYPE, text("POWER"))]),
            workspace(vec![(COMPUTE_TYPE, text("STANDARD"))]),
            workspace(vec![(COMPUTE_TYPE, text("STANDARD"))]),
            workspace(vec![(COMPUTE_TYPE, text("VALUE"))]),
        ]);
        assert_eq!(
            factored.defaults.values,
            [(COMPUTE_TYPE, Value::Text("STANDARD".to_owned()))]
        );
        assert_eq!(keys(&factored.own[0]), [COMPUTE_TYPE]);
        assert!(factored.own[1].values.is_empty());
        let tie = factor(&[
            workspace(vec![(COMPUTE_TYPE, text("VALUE"))]),
            workspace(vec![(COMPUTE_TYPE, text("POWER"))]),
        ]);
        assert_eq!(
            tie.defaults.values,
            [(COMPUTE_TYPE, Value::Text("POWER".to_owned()))]
        );
    }

    #[test]
    fn a_workspace_without_a_value_keeps_the_key_out_of_the_defaults() {
        let factored = factor(&[
            workspace(vec![(COMPUTE_TYPE, text("STANDARD"))]),
            workspace(vec![(COMPUTE_TYPE, text("STANDARD"))]),
            workspace(vec![(COMPUTE_TYPE, None)]),
        ]);
        assert!(factored.defaults.values.is_empty());
        assert_eq!(keys(&factored.own[0]), [COMPUTE_TYPE]);
        assert!(factored.own[2].values.is_empty());
    }

    #[test]
    fn a_default_timeout_reaches_only_auto_stop_workspaces() {
        let auto_stop = |minutes| {
            workspace(vec![
                (RUNNING_MODE, text(AUTO_STOP)),
                (TIMEOUT, number(minutes)),
            ])
        };
        let always_on = workspace(vec![(RUNNING_MODE, text("ALWAYS_ON")), (TIMEOUT, None)]);
        let factored = factor(&[auto_stop(60), auto_stop(60), always_on.clone()]);
        assert_eq!(keys(&factored.defaults), [RUNNING_MODE, TIMEOUT]);
        assert_eq!(
            factored.own[2].values,
            [(RUNNING_MODE, Value::Text("ALWAYS_ON".to_owned()))]
        );
        // Mostly ALWAYS_ON: no default mode, so no default timeout either.
        let factored = factor(&[auto_stop(60), always_on.clone(), always_on]);
        assert_eq!(keys(&factored.defaults), [RUNNING_MODE]);
        assert_eq!(keys(&factored.own[0]), [RUNNING_MODE, TIMEOUT]);
    }

    #[test]
    fn encryption_is_a_default_only_with_its_key_on_every_workspace() {
        let encrypted = |key| {
            workspace(vec![
                (ENCRYPTION_FLAGS[0], Some(Value::Flag(true))),
                (ENCRYPTION_FLAGS[1], Some(Value::Flag(false))),
                (ENCRYPTION_KEY, text(key)),
            ])
        };
        let plain = workspace(vec![
            (ENCRYPTION_FLAGS[0], Some(Value::Flag(false))),
            (ENCRYPTION_FLAGS[1], Some(Value::Flag(false))),
            (ENCRYPTION_KEY, None),
        ]);
        let factored = factor(&[encrypted("k1"), encrypted("k1"), plain.clone()]);
        assert!(factored.defaults.values.is_empty(), "{factored:?}");
        assert!(factored.own[2].values.is_empty());
        assert_eq!(
            keys(&factored.own[0]),
            [ENCRYPTION_FLAGS[0], ENCRYPTION_KEY]
        );
        let factored = factor(&[encrypted("k1"), encrypted("k2")]);
        assert_eq!(
            keys(&factored.defaults),
            [ENCRYPTION_FLAGS[0], ENCRYPTION_KEY]
        );
        assert_eq!(keys(&factored.own[1]), [ENCRYPTION_KEY]);
    }

    #[test]
    fn a_volume_pair_is_a_default_only_as_a_workspace_of_the_default_compute_type_has_it() {
        let sized = |compute, root, user| {
            workspace(vec![
                (COMPUTE_TYPE, text(compute)),
                (VOLUMES[0], number(root)),
                (VOLUMES[1], number(user)),
            ])
        };
        // STANDARD's root (80) with the common user volume (100): a pair
        // a STANDARD WorkSpace has.
        let factored = factor(&[
            sized("STANDARD", 80, 50),
            sized("STANDARD", 80, 10),
            sized("POWER", 175, 100),
            sized("STANDARD", 80, 100),
            sized("POWER", 175, 100),
            sized("STANDARD", 80, 50),
        ]);
        assert_eq!(
            keys(&factored.defaults),
            [COMPUTE_TYPE, VOLUMES[0], VOLUMES[1]]
        );
        // POWER by the least of equals, with root 80 and user 100: no POWER
        // WorkSpace has that pair, so neither size is a default.
        let pair = factor(&[
            sized("STANDARD", 80, 50),
            sized("STANDARD", 80, 10),
            sized("STANDARD", 80, 50),
            sized("POWER", 175, 100),
            sized("POWER", 175, 100),
            sized("POWER", 175, 100),
        ]);
        assert_eq!(keys(&pair.defaults), [COMPUTE_TYPE]);
    }

    #[test]
    fn a_tag_is_a_default_only_when_every_workspace_has_its_key() {
        let tagged = |pairs: &[(&str, &str)]| Full {
            values: Vec::new(),
            tags: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        };
        let factored = factor(&[
            tagged(&[("team", "eng"), ("cost", "1")]),
            tagged(&[("team", "eng")]),
            tagged(&[("team", "ops")]),
        ]);
        assert_eq!(
            factored.defaults.tags,
            BTreeMap::from([("team".to_owned(), "eng".to_owned())])
        );
        assert_eq!(
            factored.own[2].tags,
            BTreeMap::from([("team".to_owned(), "ops".to_owned())])
        );
        assert_eq!(
            factored.own[0].tags,
            BTreeMap::from([("cost".to_owned(), "1".to_owned())])
        );
    }
}
