//! The ownership rule, over random accounts: whatever the account holds,
//! a plan touches only what carries this stack's tag, or adopts a WorkSpace
//! of the file that carries no stack tag at all.

use proptest::prelude::*;

use super::fixtures::{STACK, account, fleet, live_workspace, owned, workspace};
use super::{Action, plan};
use crate::live::{LiveWorkspace, STACK_TAG};
use crate::states::WorkspaceState;

/// Who a live WorkSpace belongs to.
#[derive(Clone, Copy, Debug)]
enum Owner {
    Nobody,
    Us,
    Other,
}

fn owner() -> impl Strategy<Value = Owner> {
    prop_oneof![Just(Owner::Nobody), Just(Owner::Us), Just(Owner::Other)]
}

/// Live WorkSpaces for users `u0`…`u7` (some twice, as AWS allows in
/// different states), each with an owner; and which users the file names.
fn accounts() -> impl Strategy<Value = (Vec<(usize, Owner, bool)>, Vec<bool>)> {
    (
        proptest::collection::vec((0usize..8, owner(), any::<bool>()), 0..12),
        proptest::collection::vec(any::<bool>(), 8),
    )
}

fn live(index: usize, user: usize, owner: Owner, terminating: bool) -> LiveWorkspace {
    let name = format!("u{user}");
    let mut live = live_workspace(&format!("ws-{index:08}"), &name);
    if terminating {
        live.state = WorkspaceState::Terminating;
    }
    match owner {
        Owner::Nobody => live,
        Owner::Us => owned(live, &name),
        Owner::Other => {
            live.tags.insert(STACK_TAG.to_owned(), "other".to_owned());
            live
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_plan_touches_only_what_the_stack_owns_or_adopts(
        (live_ones, named) in accounts()
    ) {
        let workspaces: Vec<LiveWorkspace> = live_ones
            .iter()
            .enumerate()
            .map(|(i, (user, owner, terminating))| live(i, *user, *owner, *terminating))
            .collect();
        let file = fleet(
            named
                .iter()
                .enumerate()
                .filter(|(_, named)| **named)
                .map(|(user, _)| workspace(&format!("u{user}")))
                .collect(),
        );
        let account = account(workspaces.clone());
        // Another stack's WorkSpace in the way is a refusal: nothing changes.
        let Ok(planned) = plan(&file, &account) else {
            return Ok(());
        };
        for change in planned.changes() {
            let Some(id) = &change.id else {
                prop_assert_eq!(change.action, Action::Create);
                continue;
            };
            let touched = workspaces.iter().find(|w| &w.id == id);
            let Some(touched) = touched else {
                return Err(TestCaseError::fail(format!("{} names no live WorkSpace", change.address)));
            };
            let stack = touched.tags.get(STACK_TAG).map(String::as_str);
            match stack {
                Some(STACK) => {}
                None => prop_assert_eq!(change.action, Action::Adopt, "{} untagged", id),
                Some(other) => {
                    return Err(TestCaseError::fail(format!("{} of stack {other} changed", id)));
                }
            }
        }
    }
}
