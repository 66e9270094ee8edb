//! The account's collections by id, each remembering which entries changed
//! since its changes were last written and what they were then: the journal
//! writes only those entries, so a call costs what it changed, not what the
//! account holds; and a write that fails puts them back.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Entries by id. Reads go through `Deref`; every change goes through a
/// method here, so none escapes the journal.
#[derive(Debug, Clone)]
pub(crate) struct Tracked<V> {
    entries: BTreeMap<String, V>,
    /// Each entry changed since the last record, with its value then
    /// (`None`: it did not exist).
    before: BTreeMap<String, Option<V>>,
}

impl<V> Default for Tracked<V> {
    fn default() -> Self {
        Tracked {
            entries: BTreeMap::new(),
            before: BTreeMap::new(),
        }
    }
}

impl<V> Deref for Tracked<V> {
    type Target = BTreeMap<String, V>;

    fn deref(&self) -> &Self::Target {
        &self.entries
    }
}

impl<V> From<BTreeMap<String, V>> for Tracked<V> {
    fn from(entries: BTreeMap<String, V>) -> Self {
        Tracked {
            entries,
            before: BTreeMap::new(),
        }
    }
}

impl<V: Clone> Tracked<V> {
    /// Notes `id`'s value before its first change since the last record.
    fn touch(&mut self, id: &str) {
        if !self.before.contains_key(id) {
            let was = self.entries.get(id).cloned();
            self.before.insert(id.to_owned(), was);
        }
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut V> {
        if self.entries.contains_key(id) {
            self.touch(id);
        }
        self.entries.get_mut(id)
    }

    pub(crate) fn insert(&mut self, id: String, value: V) -> Option<V> {
        self.touch(&id);
        self.entries.insert(id, value)
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<V> {
        if !self.entries.contains_key(id) {
            return None;
        }
        self.touch(id);
        self.entries.remove(id)
    }

    /// The entries changed since the last record, as they are now (`None`:
    /// gone).
    pub(crate) fn changed(&self) -> BTreeMap<String, Option<V>> {
        self.before
            .keys()
            .map(|id| (id.clone(), self.entries.get(id).cloned()))
            .collect()
    }

    /// The changes are written: the next record starts from here.
    pub(crate) fn forget_changes(&mut self) {
        self.before.clear();
    }

    /// Back to the values of the last record.
    pub(crate) fn undo_changes(&mut self) {
        for (id, was) in std::mem::take(&mut self.before) {
            match was {
                Some(value) => self.entries.insert(id, value),
                None => self.entries.remove(&id),
            };
        }
    }

    /// Applies a record read from the journal, as its own state: nothing
    /// counts as changed after.
    pub(crate) fn replay(&mut self, record: BTreeMap<String, Option<V>>) {
        for (id, value) in record {
            match value {
                Some(value) => self.entries.insert(id, value),
                None => self.entries.remove(&id),
            };
        }
    }
}

/// The state file holds the entries alone, as a JSON object by id.
impl<V: Serialize> Serialize for Tracked<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.entries.serialize(serializer)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Tracked<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(deserializer).map(Tracked::from)
    }
}

/// A set of ids, tracked like [`Tracked`]; in the state file a JSON array.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrackedSet(Tracked<()>);

impl TrackedSet {
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn insert(&mut self, id: String) {
        if !self.0.contains_key(&id) {
            self.0.insert(id, ());
        }
    }

    pub(crate) fn remove(&mut self, id: &str) {
        self.0.remove(id);
    }

    /// The ids added (`true`) or removed (`false`) since the last record.
    pub(crate) fn changed(&self) -> BTreeMap<String, bool> {
        self.0
            .changed()
            .into_iter()
            .map(|(id, now)| (id, now.is_some()))
            .collect()
    }

    pub(crate) fn forget_changes(&mut self) {
        self.0.forget_changes();
    }

    pub(crate) fn undo_changes(&mut self) {
        self.0.undo_changes();
    }

    pub(crate) fn replay(&mut self, record: BTreeMap<String, bool>) {
        self.0.replay(
            record
                .into_iter()
                .map(|(id, present)| (id, present.then_some(())))
                .collect(),
        );
    }
}

impl Serialize for TrackedSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.keys())
    }
}

impl<'de> Deserialize<'de> for TrackedSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ids = BTreeSet::<String>::deserialize(deserializer)?;
        Ok(TrackedSet(Tracked::from(
            ids.into_iter()
                .map(|id| (id, ()))
                .collect::<BTreeMap<_, _>>(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_the_entries_touched_since_the_last_record() {
        let mut map = Tracked::from(BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]));
        *map.get_mut("a").expect("a") = 10;
        *map.get_mut("a").expect("a") = 11;
        map.remove("b");
        map.insert("c".to_owned(), 3);
        assert!(map.get_mut("missing").is_none());
        assert!(map.remove("missing").is_none());
        let changed = map.changed();
        assert_eq!(
            changed,
            BTreeMap::from([
                ("a".to_owned(), Some(11)),
                ("b".to_owned(), None),
                ("c".to_owned(), Some(3)),
            ])
        );
        map.forget_changes();
        assert!(map.changed().is_empty());

        let mut replayed =
            Tracked::from(BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]));
        replayed.replay(changed);
        assert_eq!(*replayed, *map);
        assert!(replayed.changed().is_empty());
    }

    #[test]
    fn undo_puts_back_the_values_of_the_last_record() {
        let original = BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]);
        let mut map = Tracked::from(original.clone());
        *map.get_mut("a").expect("a") = 10;
        map.remove("b");
        map.insert("c".to_owned(), 3);
        map.undo_changes();
        assert_eq!(*map, original);
        assert!(map.changed().is_empty());
    }

    #[test]
    fn a_set_is_an_array_in_the_file_and_tracks_ids() {
        let mut set: TrackedSet = serde_json::from_str(r#"["x", "y"]"#).expect("array");
        set.insert("x".to_owned());
        set.remove("y");
        set.insert("z".to_owned());
        assert_eq!(
            set.changed(),
            BTreeMap::from([("y".to_owned(), false), ("z".to_owned(), true)])
        );
        assert_eq!(serde_json::to_string(&set).expect("json"), r#"["x","z"]"#);
    }
}
