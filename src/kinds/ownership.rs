//! What every owned resource shares: the ownership tags, matching a file
//! resource to a live one, and the tag calls that bring tags in line.

use std::collections::BTreeMap;

use super::{Action, AttributeChange, IdRef, Operation, PlanError, Planned, ResourceChange, Value};
use crate::address::Address;
use crate::diagnostic::Origin;
use crate::identity::{NAME_TAG, Owned, STACK_TAG};

/// The file's tags plus the two that say who owns the resource.
pub fn desired_tags(
    stack: &str,
    name: &str,
    tags: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut tags = tags.clone();
    tags.insert(STACK_TAG.to_owned(), stack.to_owned());
    tags.insert(NAME_TAG.to_owned(), name.to_owned());
    tags
}

/// The natural keys a saved plan's fingerprints cover for one kind: the
/// file's (`file`) and those (`key`) of the stack's live resources, whether
/// the file still has them or not.
pub fn fingerprinted<'a, L: Owned>(
    file: impl Iterator<Item = &'a str>,
    live: &'a [L],
    stack: &'a str,
    key: impl Fn(&'a L) -> &'a str,
) -> impl Iterator<Item = &'a str> {
    let ours = live.iter().filter(move |l| l.stack() == Some(stack));
    file.chain(ours.map(key))
}

/// How a file resource relates to the live ones.
pub enum Found<'a, T> {
    Nothing,
    /// Tagged with this stack.
    Owned(&'a T),
    /// Same natural key, no stack tag: to be adopted.
    Unowned(&'a T),
}

impl<'a, T> Found<'a, T> {
    pub fn live(&self) -> Option<&'a T> {
        match self {
            Found::Nothing => None,
            Found::Owned(t) | Found::Unowned(t) => Some(t),
        }
    }
}

/// Among live resources with the file resource's natural key (its name, for
/// images and bundles), the one it is; another stack's is a conflict at the
/// file resource's `address` and `origin`.
pub fn by_key<'a, T: Owned>(
    stack: &str,
    candidates: impl IntoIterator<Item = &'a T>,
    address: &Address,
    origin: &Origin,
) -> Result<Found<'a, T>, PlanError> {
    let Some(existing) = candidates.into_iter().next() else {
        return Ok(Found::Nothing);
    };
    match existing.stack() {
        None => Ok(Found::Unowned(existing)),
        Some(owner) if owner == stack => Ok(Found::Owned(existing)),
        Some(owner) => Err(conflict(address, origin, existing.described(), owner)),
    }
}

pub fn conflict(address: &Address, origin: &Origin, what: String, owner: &str) -> PlanError {
    PlanError {
        address: address.clone(),
        origin: Some(Box::new(origin.clone())),
        message: format!("{what} belongs to stack `{owner}`, not this one"),
        help: Some(format!(
            "{} is managed by one stack; remove it from the file, or from stack `{owner}` first",
            with_article(address.kind().noun())
        )),
    }
}

/// "a bundle", "an IP access control group".
fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    match vowel {
        true => format!("an {noun}"),
        false => format!("a {noun}"),
    }
}

/// CreateTags for what is missing or different (ownership first), DeleteTags
/// for keys the file does not have. `aws:` tags are AWS's and left alone.
pub fn tag_operations(
    resource_id: &str,
    wanted: &BTreeMap<String, String>,
    live: &BTreeMap<String, String>,
    attributes: &mut Vec<AttributeChange>,
) -> Vec<Operation> {
    tag_operations_of(&IdRef::Id(resource_id.to_owned()), wanted, live, attributes)
}

/// As [`tag_operations`], for a resource that may be one this plan makes.
pub fn tag_operations_of(
    resource_id: &IdRef,
    wanted: &BTreeMap<String, String>,
    live: &BTreeMap<String, String>,
    attributes: &mut Vec<AttributeChange>,
) -> Vec<Operation> {
    let current: BTreeMap<String, String> = live
        .iter()
        .filter(|(key, _)| !key.starts_with("aws:"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if *wanted == current {
        return Vec::new();
    }
    attributes.push(AttributeChange {
        name: "tags".into(),
        before: Some(Value::Tags(current.clone())),
        after: Some(Value::Tags(wanted.clone())),
        forces_replacement: false,
    });
    let mut operations = Vec::new();
    let to_set: BTreeMap<String, String> = wanted
        .iter()
        .filter(|(key, value)| current.get(*key) != Some(value))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !to_set.is_empty() {
        operations.push(Operation::TagResource {
            resource_id: resource_id.clone(),
            tags: to_set,
        });
    }
    let to_remove: Vec<String> = current
        .keys()
        .filter(|key| !wanted.contains_key(*key))
        .cloned()
        .collect();
    if !to_remove.is_empty() {
        operations.push(Operation::UntagResource {
            resource_id: resource_id.clone(),
            keys: to_remove,
        });
    }
    operations
}

/// "compute_type differs from the file", "tags differ from the file".
pub fn differs(attributes: &[AttributeChange]) -> String {
    let changed: Vec<&str> = attributes.iter().map(|a| a.name.as_ref()).collect();
    let verb = if changed.len() == 1 && changed[0] != "tags" {
        "differs"
    } else {
        "differ"
    };
    format!("{} {verb} from the file", changed.join(", "))
}

/// AWS shares a resource only with other accounts; the account's own id is
/// known when an answer named it.
pub fn not_shared_with_itself(
    own_account: Option<&str>,
    share_with: Option<&std::collections::BTreeSet<String>>,
    address: &Address,
    origin: &Origin,
) -> Result<(), PlanError> {
    match (share_with, own_account) {
        (Some(accounts), Some(own)) if accounts.contains(own) => Err(PlanError {
            address: address.clone(),
            origin: Some(Box::new(origin.clone())),
            message: format!(
                "`share_with` lists {own}, the account the {} is in",
                address.kind().noun()
            ),
            help: Some(format!(
                "list only other accounts: the {}'s own account always has it",
                address.kind().noun()
            )),
        }),
        _ => Ok(()),
    }
}

/// Who to start sharing with (`true`) and who to stop (`false`): one
/// permission call per account, as AWS takes them.
pub fn sharing_changes<'a>(
    live: &'a std::collections::BTreeSet<String>,
    wanted: &'a std::collections::BTreeSet<String>,
) -> impl Iterator<Item = (&'a String, bool)> {
    let added = wanted.difference(live).map(|a| (a, true));
    let removed = live.difference(wanted).map(|a| (a, false));
    added.chain(removed)
}

/// The accounts a resource is shared with, as a plan shows them.
pub fn accounts(accounts: &std::collections::BTreeSet<String>) -> Value {
    Value::List(accounts.iter().cloned().collect())
}

pub fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// An attribute shown only after (created) or only before (deleted).
pub fn shown(
    attributes: Vec<(&'static str, Option<Value>)>,
    created: bool,
) -> Vec<AttributeChange> {
    attributes
        .into_iter()
        .filter_map(|(name, value)| {
            let value = value?;
            let (before, after) = if created {
                (None, Some(value))
            } else {
                (Some(value), None)
            };
            Some(AttributeChange {
                name: name.into(),
                before,
                after,
                forces_replacement: false,
            })
        })
        .collect()
}

/// A live resource the file names, as far as the file changes it in
/// place: what changes, and the operations that change it.
pub struct InPlace<'a, T> {
    pub address: Address,
    pub existing: &'a T,
    /// It has no stack tag yet: the change adopts it.
    pub adopt: bool,
    pub attributes: Vec<AttributeChange>,
    pub operations: Vec<Operation>,
}

impl<'a, T: Owned> InPlace<'a, T> {
    /// The change that starts with the tag calls giving `existing` the
    /// file's `tags` for `name`, with the stack's two.
    pub fn retagged(
        stack: &str,
        address: Address,
        existing: &'a T,
        adopt: bool,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> Self {
        let mut attributes = Vec::new();
        let wanted = desired_tags(stack, name, tags);
        let operations = tag_operations(existing.id(), &wanted, existing.tags(), &mut attributes);
        InPlace {
            address,
            existing,
            adopt,
            attributes,
            operations,
        }
    }

    /// Nothing to do (counted as unchanged), or one change: an adoption or
    /// an update, whose reason is `why` when the planner has one, else the
    /// adoption, else the attributes that differ. Neither loses anything.
    pub fn settle(self, planned: &mut Planned, why: Option<String>) {
        if self.operations.is_empty() && !self.adopt {
            planned.unchanged += 1;
            return;
        }
        let reason = match (why, self.adopt) {
            (Some(why), _) => why,
            (None, true) => self.existing.unowned(),
            (None, false) => differs(&self.attributes),
        };
        planned.changes.push(ResourceChange {
            address: self.address,
            action: if self.adopt {
                Action::Adopt
            } else {
                Action::Update
            },
            reason,
            data_loss: false,
            data_loss_allowed: false,
            id: Some(self.existing.id().to_owned()),
            attributes: self.attributes,
            operations: self.operations,
            depends_on: Vec::new(),
            cost: None,
        });
    }
}

/// Making a resource the file has and the account does not.
pub fn creation(
    address: Address,
    reason: String,
    attributes: Vec<AttributeChange>,
    operations: Vec<Operation>,
) -> ResourceChange {
    ResourceChange {
        address,
        action: Action::Create,
        reason,
        data_loss: false,
        data_loss_allowed: false,
        id: None,
        attributes,
        operations,
        depends_on: Vec::new(),
        cost: None,
    }
}

/// Deleting a resource of this stack that the file no longer has:
/// `attributes` as they were, `operations` ending with the delete itself.
pub fn deletion<T: Owned>(
    stack: &str,
    address: Address,
    existing: &T,
    attributes: Vec<(&'static str, Option<Value>)>,
    operations: Vec<Operation>,
) -> ResourceChange {
    ResourceChange {
        address,
        action: Action::Delete,
        reason: format!(
            "{} is tagged wsctl:stack = {stack} but is not in the file",
            existing.described()
        ),
        data_loss: false,
        data_loss_allowed: false,
        id: Some(existing.id().to_owned()),
        attributes: shown(attributes, false),
        operations,
        depends_on: Vec::new(),
        cost: None,
    }
}
