//! The WorkSpaces operations, one file per resource family, the tagging
//! API's `GetResources`, the Price List API's queries, and what they share:
//! the request context, input parsing, paging tokens, output helpers.

mod account;
mod aliases;
mod bundles;
mod directories;
mod directory_settings;
mod images;
mod ip_groups;
pub(crate) mod kms;
mod lifecycle;
mod pricing;
mod properties;
mod tagging;
mod tags;
mod usage;
mod workspaces;

use rand::Rng;
use rand::rngs::StdRng;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::account::{Account, Millis};
use super::api_error::{ApiError, ApiResult, INTERNAL, INVALID, THROTTLING};
use super::cbor;
use super::config::Faults;

/// What an operation may read and change while it runs under the lock.
pub(crate) struct Ctx<'a> {
    pub(crate) account: &'a mut Account,
    pub(crate) rng: &'a mut StdRng,
    pub(crate) faults: &'a Faults,
    pub(crate) now: Millis,
    pub(crate) settle: Millis,
    pub(crate) visibility: Millis,
    /// How often a healthy WorkSpace is snapshotted.
    pub(crate) snapshot_every: Millis,
    /// Items the call returned in `FailedRequests`, for the stats.
    pub(crate) failed_items: u64,
    /// The simulator's seed: usage profiles are drawn from it.
    pub(crate) seed: u64,
}

/// The APIs the simulator answers on its one endpoint, told apart by the
/// `X-Amz-Target` prefix on awsJson1_1 and by the path on RPC v2 CBOR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Workspaces,
    /// The Resource Groups Tagging API.
    Tagging,
    /// The AWS Price List Query API.
    Pricing,
    /// CloudWatch's `GetMetricData`, on Smithy RPC v2 CBOR alone.
    CloudWatch,
    /// KMS's `DescribeKey`.
    Kms,
}

impl Api {
    pub(crate) const ALL: [Api; 5] = [
        Api::Workspaces,
        Api::Tagging,
        Api::Pricing,
        Api::CloudWatch,
        Api::Kms,
    ];

    pub(crate) fn target_prefix(self) -> &'static str {
        match self {
            Api::Workspaces => "WorkspacesService.",
            Api::Tagging => "ResourceGroupsTaggingAPI_20170126.",
            Api::Pricing => "AWSPriceListService.",
            Api::CloudWatch => "GraniteServiceVersion20100801.",
            Api::Kms => "TrentService.",
        }
    }

    /// How this API's answers are typed on Smithy RPC v2 CBOR; `None` for
    /// the Price List API and KMS, whose clients send awsJson1_1 alone.
    pub(crate) fn cbor_shapes(self) -> Option<&'static cbor::Shapes> {
        match self {
            Api::Workspaces => Some(&cbor::WORKSPACES),
            Api::Tagging => Some(&cbor::UNTYPED),
            Api::Pricing | Api::Kms => None,
            Api::CloudWatch => Some(&cbor::CLOUDWATCH),
        }
    }

    /// The IAM service prefix of this API's actions (`tag:GetResources`)
    /// when the faults refuse every call to it, as for a role without them.
    pub(crate) fn denied(self, faults: &Faults) -> Option<&'static str> {
        match self {
            Api::Workspaces | Api::Kms => None,
            Api::Tagging => faults.tagging_access_denied.then_some("tag"),
            Api::Pricing => faults.pricing_access_denied.then_some("pricing"),
            Api::CloudWatch => faults.cloudwatch_access_denied.then_some("cloudwatch"),
        }
    }
}

impl Ctx<'_> {
    /// When asynchronous work started now completes.
    pub(crate) fn settled_at(&self) -> Millis {
        self.now.saturating_add(self.settle)
    }

    /// `n` random characters of `[0-9a-z]`, the alphabet of AWS ids.
    pub(crate) fn random_chars(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        (0..n)
            .map(|_| char::from(ALPHABET[self.rng.random_range(0..ALPHABET.len())]))
            .collect()
    }

    /// Draws whether the failed-request fault hits this batch item.
    pub(crate) fn item_fault(&mut self) -> bool {
        let rate = self.faults.failed_request_rate;
        rate > 0.0 && self.rng.random::<f64>() < rate
    }

    /// Draws whether the unhealthy fault picks a new WorkSpace.
    pub(crate) fn unhealthy_fault(&mut self) -> bool {
        let rate = self.faults.unhealthy_rate;
        rate > 0.0 && self.rng.random::<f64>() < rate
    }
}

type Handler = fn(&mut Ctx<'_>, Value) -> ApiResult<Value>;

pub(crate) struct Operation {
    pub(crate) api: Api,
    pub(crate) name: &'static str,
    pub(crate) run: Handler,
    /// Changes the account, so the state file is written after it.
    pub(crate) mutating: bool,
    /// The model lists `InvalidParameterValuesException` for it; otherwise a
    /// broken constraint is answered with `ValidationException`.
    pub(crate) models_invalid_parameter_values: bool,
}

const fn op(name: &'static str, run: Handler, mutating: bool, ipve: bool) -> Operation {
    Operation {
        api: Api::Workspaces,
        name,
        run,
        mutating,
        models_invalid_parameter_values: ipve,
    }
}

/// An operation of an API other than WorkSpaces: none of them changes the
/// account.
const fn read_op(api: Api, name: &'static str, run: Handler) -> Operation {
    Operation {
        api,
        name,
        run,
        mutating: false,
        models_invalid_parameter_values: false,
    }
}

impl Operation {
    /// The code this operation's API answers for an error the simulator
    /// raised under a generic code: a broken constraint, throttling, a
    /// server error (each API's model has its own names for them).
    pub(crate) fn error_code(&self, code: &'static str) -> &'static str {
        match (self.api, code) {
            (Api::Workspaces, INVALID) if self.models_invalid_parameter_values => {
                "InvalidParameterValuesException"
            }
            (Api::Workspaces, INVALID) => "ValidationException",
            (Api::Tagging | Api::Pricing, INVALID) => "InvalidParameterException",
            (Api::Tagging, THROTTLING) => "ThrottledException",
            (Api::Tagging, INTERNAL) => "InternalServiceException",
            (Api::Pricing, INTERNAL) => "InternalErrorException",
            (Api::CloudWatch, INVALID) => "InvalidParameterValue",
            (Api::CloudWatch, THROTTLING) => "Throttling",
            (Api::CloudWatch, INTERNAL) => "InternalServiceFault",
            (Api::CloudWatch, "AccessDeniedException") => "AccessDenied",
            (Api::Kms, INVALID) => "ValidationException",
            (Api::Kms, INTERNAL) => "KMSInternalException",
            (_, code) => code,
        }
    }
}

const OPERATIONS: &[Operation] = &[
    op("CreateWorkspaces", workspaces::create, true, true),
    op("TerminateWorkspaces", lifecycle::terminate, true, false),
    op("DescribeWorkspaces", workspaces::describe, false, true),
    op("ModifyWorkspaceProperties", properties::modify, true, true),
    op("MigrateWorkspace", lifecycle::migrate, true, true),
    op("RebuildWorkspaces", lifecycle::rebuild, true, false),
    op("RebootWorkspaces", lifecycle::reboot, true, false),
    op("RestoreWorkspace", lifecycle::restore, true, true),
    op(
        "DescribeWorkspaceSnapshots",
        lifecycle::describe_snapshots,
        false,
        true,
    ),
    op("CreateTags", tags::create, true, true),
    op("DeleteTags", tags::delete, true, true),
    op("DescribeTags", tags::describe, false, false),
    op("DescribeWorkspaceBundles", bundles::describe, false, true),
    op("CreateWorkspaceBundle", bundles::create, true, true),
    op("UpdateWorkspaceBundle", bundles::update, true, true),
    op("DeleteWorkspaceBundle", bundles::delete, true, true),
    op("DescribeWorkspaceImages", images::describe, false, false),
    op("ImportWorkspaceImage", images::import, true, true),
    op("CopyWorkspaceImage", images::copy, true, true),
    op(
        "CreateUpdatedWorkspaceImage",
        images::create_updated,
        true,
        true,
    ),
    op("DeleteWorkspaceImage", images::delete, true, false),
    op(
        "UpdateWorkspaceImagePermission",
        images::update_permission,
        true,
        true,
    ),
    op(
        "DescribeWorkspaceImagePermissions",
        images::describe_permissions,
        false,
        true,
    ),
    op("DescribeAccount", account::describe, false, false),
    op("ModifyAccount", account::modify, true, true),
    op(
        "DescribeAccountModifications",
        account::describe_modifications,
        false,
        false,
    ),
    op(
        "ListAvailableManagementCidrRanges",
        account::list_cidr_ranges,
        false,
        true,
    ),
    op(
        "DescribeWorkspaceDirectories",
        directories::describe,
        false,
        true,
    ),
    op("CreateIpGroup", ip_groups::create, true, true),
    op("DescribeIpGroups", ip_groups::describe, false, true),
    op("UpdateRulesOfIpGroup", ip_groups::update_rules, true, true),
    op("AuthorizeIpRules", ip_groups::authorize_rules, true, true),
    op("RevokeIpRules", ip_groups::revoke_rules, true, true),
    op("DeleteIpGroup", ip_groups::delete, true, true),
    op(
        "RegisterWorkspaceDirectory",
        directories::register,
        true,
        true,
    ),
    op(
        "DeregisterWorkspaceDirectory",
        directories::deregister,
        true,
        true,
    ),
    op(
        "AssociateIpGroups",
        directories::associate_ip_groups,
        true,
        true,
    ),
    op(
        "DisassociateIpGroups",
        directories::disassociate_ip_groups,
        true,
        true,
    ),
    op(
        "ModifyWorkspaceCreationProperties",
        directory_settings::modify_creation,
        true,
        true,
    ),
    op(
        "ModifySelfservicePermissions",
        directory_settings::modify_self_service,
        true,
        true,
    ),
    op(
        "ModifyWorkspaceAccessProperties",
        directory_settings::modify_access,
        true,
        true,
    ),
    op(
        "ModifyClientProperties",
        directory_settings::modify_client,
        true,
        true,
    ),
    op(
        "DescribeClientProperties",
        directory_settings::describe_client,
        false,
        true,
    ),
    op("CreateConnectionAlias", aliases::create, true, true),
    op("DescribeConnectionAliases", aliases::describe, false, true),
    op("AssociateConnectionAlias", aliases::associate, true, true),
    op(
        "DisassociateConnectionAlias",
        aliases::disassociate,
        true,
        true,
    ),
    op(
        "UpdateConnectionAliasPermission",
        aliases::update_permission,
        true,
        true,
    ),
    op(
        "DescribeConnectionAliasPermissions",
        aliases::describe_permissions,
        false,
        true,
    ),
    op("DeleteConnectionAlias", aliases::delete, true, true),
    op(
        "DescribeWorkspacesConnectionStatus",
        usage::describe_connection_status,
        false,
        true,
    ),
    read_op(Api::Tagging, "GetResources", tagging::get_resources),
    read_op(Api::CloudWatch, "GetMetricData", usage::get_metric_data),
    read_op(Api::Kms, "DescribeKey", kms::describe_key),
    read_op(Api::Pricing, "DescribeServices", pricing::describe_services),
    read_op(
        Api::Pricing,
        "GetAttributeValues",
        pricing::get_attribute_values,
    ),
    read_op(Api::Pricing, "GetProducts", pricing::get_products),
];

/// The operation an `X-Amz-Target` header names.
pub(crate) fn find(target: &str) -> Option<&'static Operation> {
    let (api, name) = Api::ALL
        .into_iter()
        .find_map(|api| Some((api, target.strip_prefix(api.target_prefix())?)))?;
    OPERATIONS.iter().find(|o| o.api == api && o.name == name)
}

/// Reads a request body into the operation's input type; a member of the
/// wrong JSON type is a `SerializationException`, as on AWS.
pub(crate) fn parse<T: DeserializeOwned>(body: Value) -> ApiResult<T> {
    serde_json::from_value(body)
        .map_err(|e| ApiError::serialization(format!("cannot read the request: {e}")))
}

/// Epoch seconds, the wire form of a timestamp.
pub(crate) fn secs(ms: Millis) -> f64 {
    // The milliseconds fit an f64 exactly; the seconds are the nearest
    // double, which awsJson1_1 prints exactly (CBOR: `cbor::write`).
    ms as f64 / 1000.0
}

/// Removes `null` members so unset members are omitted, as AWS does.
pub(crate) fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// An opaque `NextToken`: the kind of listing and its cursor, hex-encoded.
pub(crate) fn encode_token(kind: &str, cursor: &str) -> String {
    format!("{kind}:{cursor}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The cursor inside a `NextToken` made by [`encode_token`] for `kind`.
pub(crate) fn decode_token(token: &str, kind: &str) -> ApiResult<String> {
    let invalid = || ApiError::invalid(format!("NextToken '{token}' is not valid."));
    if token.is_empty() || token.len() > 2048 || !token.len().is_multiple_of(2) {
        return Err(invalid());
    }
    let bytes = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(token.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    text.strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix(':'))
        .map(str::to_owned)
        .ok_or_else(invalid)
}

/// A page of an indexed list: the cursor of the next page is an offset.
pub(crate) fn offset_page<T: Clone>(
    items: &[T],
    kind: &str,
    token: Option<&str>,
    page: usize,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let start = match token {
        None => 0,
        Some(t) => decode_token(t, kind)?
            .parse::<usize>()
            .map_err(|_| ApiError::invalid(format!("NextToken '{t}' is not valid.")))?,
    };
    let end = start.saturating_add(page).min(items.len());
    let slice = items.get(start..end).unwrap_or_default().to_vec();
    let next = (end < items.len()).then(|| encode_token(kind, &end.to_string()));
    Ok((slice, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_other_kinds() {
        let t = encode_token("ws", "ws-abc");
        assert_eq!(decode_token(&t, "ws").ok().as_deref(), Some("ws-abc"));
        assert!(decode_token(&t, "wsb").is_err());
        assert!(decode_token("zz", "ws").is_err());
    }
}
