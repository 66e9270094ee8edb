//! The lag of the Resource Groups Tagging API: `GetResources` reads an index
//! that follows the account a while behind, so a new WorkSpace is missing
//! from it, a changed tag shows its old value and a terminated WorkSpace is
//! still there for a while. The history keeps, for each recent change, what
//! the index showed of the resource before it.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::account::{Millis, Tag};
use super::arn::{ResourceKey, ResourceType};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct TagHistory {
    /// How far the index is behind; 0 keeps no history. Comes from the
    /// simulator's configuration, not from the state file.
    #[serde(skip)]
    lag: Millis,
    /// Oldest first.
    changes: VecDeque<TagChange>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TagChange {
    at: Millis,
    resource: ResourceKey,
    /// The resource's tags as listed just before `at`; `None`: not listed.
    before: Option<Vec<Tag>>,
}

/// Resources whose listing `lag` ago differs from now, with that listing
/// (`None`: not listed then).
pub(crate) type PastView<'a> = BTreeMap<(ResourceType, &'a str), Option<&'a [Tag]>>;

impl TagHistory {
    pub(crate) fn set_lag(&mut self, lag: Millis) {
        self.lag = lag;
        if lag == 0 {
            self.changes.clear();
        }
    }

    /// Takes the changes of `saved`, keeping this history's lag (which
    /// comes from the configuration).
    pub(crate) fn restore(&mut self, saved: TagHistory) {
        self.changes = saved.changes;
    }

    /// Whether changes need recording; without a lag they cost nothing.
    pub(crate) fn lags(&self) -> bool {
        self.lag > 0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Notes that `resource` was listed as `before` until a change at `at`.
    pub(crate) fn record(&mut self, at: Millis, resource: ResourceKey, before: Option<Vec<Tag>>) {
        if !self.lags() {
            return;
        }
        self.prune(at);
        self.changes.push_back(TagChange {
            at,
            resource,
            before,
        });
    }

    /// Forgets the changes that the index already shows at `now` (and so at
    /// every later moment): those older than `now - lag`.
    pub(crate) fn prune(&mut self, now: Millis) {
        let shown_until = now.saturating_sub(self.lag);
        while self.changes.front().is_some_and(|c| c.at <= shown_until) {
            self.changes.pop_front();
        }
    }

    /// The index at `now` where it differs from the account: for each
    /// resource changed in the last `lag`, what it showed before its earliest
    /// such change. Changes are recorded in time order (the account settles
    /// before each request), so the first one found is the earliest.
    pub(crate) fn past(&self, now: Millis) -> PastView<'_> {
        let shown_until = now.saturating_sub(self.lag);
        let mut past = PastView::new();
        for change in self.changes.iter().filter(|c| c.at > shown_until) {
            past.entry((change.resource.kind, change.resource.id.as_str()))
                .or_insert(change.before.as_deref());
        }
        past
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.to_owned(),
            value: Some(value.to_owned()),
        }
    }

    fn ws(id: &str) -> ResourceKey {
        ResourceKey::new(ResourceType::Workspace, id)
    }

    #[test]
    fn the_past_shows_each_resource_before_its_earliest_recent_change() {
        let mut history = TagHistory::default();
        history.set_lag(100);
        // ws-a created at 1000, retagged at 1050 and 1080; ws-b gone at 1090.
        history.record(1000, ws("ws-a"), None);
        history.record(1050, ws("ws-a"), Some(vec![tag("stack", "eng")]));
        history.record(1080, ws("ws-a"), Some(vec![tag("stack", "ops")]));
        history.record(1090, ws("ws-b"), Some(vec![tag("stack", "eng")]));

        let at_1090 = history.past(1090);
        assert_eq!(at_1090.get(&(ResourceType::Workspace, "ws-a")), Some(&None));
        let eng = [tag("stack", "eng")];
        let b = at_1090.get(&(ResourceType::Workspace, "ws-b"));
        assert_eq!(b, Some(&Some(&eng[..])));

        // At 1120 the index shows 1020: created, not yet retagged.
        let a = history.past(1120);
        let a = a.get(&(ResourceType::Workspace, "ws-a"));
        assert_eq!(a, Some(&Some(&eng[..])));
        // At 1160 it shows 1060: the first retag (to ops) is in.
        let ops = [tag("stack", "ops")];
        let a = history.past(1160);
        let a = a.get(&(ResourceType::Workspace, "ws-a"));
        assert_eq!(a, Some(&Some(&ops[..])));

        // At 1190 everything is indexed: no difference left.
        assert!(history.past(1190).is_empty());
    }

    #[test]
    fn old_changes_are_pruned_and_no_lag_keeps_nothing() {
        let mut history = TagHistory::default();
        history.set_lag(100);
        history.record(1000, ws("ws-a"), None);
        history.record(1060, ws("ws-b"), None);
        history.record(1150, ws("ws-c"), None);
        assert_eq!(history.changes.len(), 2, "the change at 1000 is pruned");
        history.prune(1200);
        assert_eq!(history.changes.len(), 1);

        history.set_lag(0);
        assert!(history.is_empty());
        history.record(1300, ws("ws-d"), None);
        assert!(history.is_empty());
        assert!(history.past(1300).is_empty());
    }
}
