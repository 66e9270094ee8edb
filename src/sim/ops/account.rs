//! The account's BYOL (dedicated tenancy) settings.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, offset_page, parse, secs};
use crate::sim::account::AccountModification;
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{cidr, management_cidr, one_of, page_size, required};

const MODIFICATIONS_PAGE: usize = 25;
const CIDR_PAGE: usize = 5;

pub(super) fn describe(ctx: &mut Ctx<'_>, _body: Value) -> ApiResult<Value> {
    let byol = &ctx.account.byol;
    Ok(json!({
        "DedicatedTenancySupport": if byol.enabled { "ENABLED" } else { "DISABLED" },
        "DedicatedTenancyManagementCidrRange": byol.management_cidr,
    }))
}

/// Refuses a BYOL call on an account AWS has not enabled for BYOL.
fn not_enabled_for_byol(ctx: &Ctx<'_>) -> ApiResult<()> {
    if ctx.faults.byol_not_enabled {
        return Err(ApiError::access_denied(
            "This account is not enabled for BYOL; ask AWS to enable it first.",
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifyInput {
    dedicated_tenancy_support: Option<String>,
    dedicated_tenancy_management_cidr_range: Option<String>,
}

/// Enables BYOL. The model makes both members optional, but `ENABLED` is the
/// only value and it needs a range, so both are required here.
pub(super) fn modify(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifyInput = parse(body)?;
    let support = required(input.dedicated_tenancy_support, "DedicatedTenancySupport")?;
    one_of(&support, "DedicatedTenancySupport", &["ENABLED"])?;
    let range = required(
        input.dedicated_tenancy_management_cidr_range,
        "DedicatedTenancyManagementCidrRange",
    )?;
    management_cidr(&range, "DedicatedTenancyManagementCidrRange")?;
    not_enabled_for_byol(ctx)?;
    let account = &*ctx.account;
    if account.modifications.iter().any(|m| m.state == "PENDING") {
        return Err(ApiError::state(
            "An account modification is already in progress.",
        ));
    }
    if account.byol.enabled {
        return Err(ApiError::state("BYOL is already enabled for this account."));
    }
    if !account.byol.available_cidrs.contains(&range) {
        return Err(ApiError::invalid(format!(
            "{range} is not offered by ListAvailableManagementCidrRanges."
        )));
    }
    let modification = AccountModification {
        state: "PENDING".to_owned(),
        cidr: range,
        start: ctx.now,
        done_at: ctx.settled_at(),
        fails: ctx.faults.fail_account_modification,
    };
    ctx.account.modifications.push(modification);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeModificationsInput {
    next_token: Option<String>,
}

pub(super) fn describe_modifications(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeModificationsInput = parse(body)?;
    let newest_first: Vec<&AccountModification> = ctx.account.modifications.iter().rev().collect();
    let (page, next) = offset_page(
        &newest_first,
        "mod",
        input.next_token.as_deref(),
        MODIFICATIONS_PAGE,
    )?;
    let page: Vec<Value> = page
        .into_iter()
        .map(|m| {
            let failed = m.state == "FAILED";
            json!({
                "ModificationState": m.state,
                "DedicatedTenancySupport": "ENABLED",
                "DedicatedTenancyManagementCidrRange": m.cidr,
                "StartTime": secs(m.start),
                "ErrorCode": failed.then_some("InvalidResourceState.ManagementCidrRange"),
                "ErrorMessage": failed.then_some(
                    "The management network interfaces could not be created (simulated fault).",
                ),
            })
        })
        .collect();
    Ok(json!({ "AccountModifications": page, "NextToken": next }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListCidrInput {
    management_cidr_range_constraint: Option<String>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// The model: "This operation can be run only by Amazon Web Services
/// accounts that are enabled for BYOL", which AWS does on request before
/// `ModifyAccount` can turn BYOL on; the seed's account is such an account
/// unless the `byol_not_enabled` fault says otherwise.
pub(super) fn list_cidr_ranges(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ListCidrInput = parse(body)?;
    not_enabled_for_byol(ctx)?;
    let constraint = required(
        input.management_cidr_range_constraint,
        "ManagementCidrRangeConstraint",
    )?;
    let (net, prefix) = cidr(&constraint, "ManagementCidrRangeConstraint")?;
    let page = page_size(input.max_results, "MaxResults", 5, CIDR_PAGE)?;
    // A /16 overlaps the constraint when their first min(prefix, 16) bits agree.
    let bits = prefix.min(16);
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    let offered: Vec<String> = ctx
        .account
        .byol
        .available_cidrs
        .iter()
        .filter(|r| cidr(r, "range").is_ok_and(|(ip, _)| ip & mask == net & mask))
        .cloned()
        .collect();
    let token_kind = format!("cidr{constraint}");
    let (ranges, next) = offset_page(&offered, &token_kind, input.next_token.as_deref(), page)?;
    Ok(json!({ "ManagementCidrRanges": ranges, "NextToken": next }))
}
