//! `[account]`: turning BYOL on. AWS can turn it on once, with a /16 range it
//! offers; it cannot turn it off or change the range.

use super::ownership::text;
use super::{
    Action, AttributeChange, Context, Operation, PlanError, Planned, ResourceChange, Value,
};
use crate::address::Address;
use crate::spec::Account;

pub(super) fn plan(cx: &Context, planned: &mut Planned) {
    let Some(wanted) = &cx.fleet.account else {
        return;
    };
    match decide(cx, wanted) {
        Ok(Some(change)) => planned.changes.push(change),
        Ok(None) => planned.unchanged += 1,
        Err(error) => planned.errors.push(error),
    }
    if let (Some(cidr), true) = (&cx.live.account.pending_cidr, wanted.byol) {
        planned.warnings.push(format!(
            "account: turning BYOL on with {cidr} is still PENDING; BYOL imports wait for it to complete"
        ));
    }
}

fn decide(cx: &Context, wanted: &Account) -> Result<Option<ResourceChange>, PlanError> {
    let live = &cx.live.account;
    let error = |message: String, help: Option<String>| PlanError {
        address: Address::account(),
        origin: Some(Box::new(wanted.origin.clone())),
        message,
        help,
    };
    let cidr = wanted.management_cidr.as_deref().unwrap_or_default();
    match (wanted.byol, live.byol) {
        (false, false) => Ok(None),
        (false, true) => Err(error(
            "the account has BYOL on and AWS cannot turn it off".to_owned(),
            Some("set byol = true, or remove [account] to leave the setting alone".to_owned()),
        )),
        (true, true) => match live.management_cidr.as_deref() {
            Some(current) if current != cidr => Err(error(
                format!("BYOL is on with management range {current}; AWS cannot change the range"),
                Some(format!("set management_cidr = \"{current}\"")),
            )),
            _ => Ok(None),
        },
        (true, false) if live.pending_cidr.is_some() => Ok(None),
        (true, false) => {
            if let Some(offer) = cx.live.cidr_offer.as_ref().filter(|o| !o.offered) {
                let help = match offer.alternatives.as_slice() {
                    [] => "ListAvailableManagementCidrRanges offers no /16 in that /8; try another private range".to_owned(),
                    ranges => format!("ranges on offer: {}", ranges.join(", ")),
                };
                return Err(error(
                    format!(
                        "management range {cidr} is not offered by ListAvailableManagementCidrRanges"
                    ),
                    Some(help),
                ));
            }
            Ok(Some(enable(cidr)))
        }
    }
}

fn enable(cidr: &str) -> ResourceChange {
    ResourceChange {
        address: Address::account(),
        action: Action::Update,
        reason: format!("the file turns BYOL on with management range {cidr}"),
        data_loss: false,
        data_loss_allowed: false,
        id: None,
        attributes: vec![
            AttributeChange {
                name: "byol".into(),
                before: Some(Value::Bool(false)),
                after: Some(Value::Bool(true)),
                forces_replacement: false,
            },
            AttributeChange {
                name: "management_cidr".into(),
                before: None,
                after: Some(text(cidr)),
                forces_replacement: false,
            },
        ],
        operations: vec![Operation::EnableByol {
            management_cidr: cidr.to_owned(),
        }],
        depends_on: Vec::new(),
        cost: None,
    }
}
