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
    let clean = !plan.changes.iter().any(text_of)
        && !plan.warnings.iter().any(|w| w.chars().any(hidden))
        && !plan.stack.chars().any(hidden);
    if clean {
        return Cow::Borrowed(plan);
    }
    let mut shown = plan.clone();
    shown.stack = visible(&plan.stack).into_owned();
    for warning in &mut shown.warnings {
        *warning = visible(warning).into_owned();
    }
    for change in &mut shown.changes {
        change.address = address(&change.address);
        change.reason = visible(&change.reason).into_owned();
        for dependency in &mut change.depends_on {
            *dependency = address(dependency);
        }
    }
    Cow::Owned(shown)
}

fn address(address: &Address) -> Address {
    address.renamed(&visible(address.name()))
}
