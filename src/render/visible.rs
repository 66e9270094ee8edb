//! What a reviewer reads cannot hide what will be applied: the names,
//! users, reasons and notes of a plan are shown with `crate::visible`, in a
//! terminal and in a pull-request comment alike.

use std::borrow::Cow;

use crate::address::Address;
use crate::plan::{Plan, ResourceChange};
use crate::visible::{hidden, visible};

/// `plan` with its free text made visible; attribute values are already
/// shown quoted and escaped.
pub(crate) fn reviewable(plan: &Plan) -> Cow<'_, Plan> {
    let text_of = |change: &ResourceChange| {
        [change.address.name(), change.reason.as_str()]
            .into_iter()
            .chain(change.depends_on.iter().map(Address::name))
            .any(|t| t.chars().any(hidden))
    };
    let clean = !plan.changes().iter().any(text_of)
        && !plan.warnings.iter().any(|w| w.chars().any(hidden))
        && !plan.stack.chars().any(hidden);
    if clean {
        return Cow::Borrowed(plan);
    }
    let changes = plan
        .changes()
        .iter()
        .map(|change| ResourceChange {
            address: address(&change.address),
            reason: visible(&change.reason).into_owned(),
            depends_on: change.depends_on.iter().map(address).collect(),
            ..change.clone()
        })
        .collect();
    let mut shown = plan.with_changes(changes);
    shown.stack = visible(&plan.stack).into_owned();
    for warning in &mut shown.warnings {
        *warning = visible(warning).into_owned();
    }
    Cow::Owned(shown)
}

fn address(address: &Address) -> Address {
    address.renamed(&visible(address.name()))
}
