//! The settings of a registered directory: creation properties,
//! self-service permissions, device access and client properties.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, parse};
use crate::sim::account::{Directory, directory_state};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{directory_id, length, list_size, one_of, required, security_group_id};

const ENABLED_DISABLED: &[&str] = &["ENABLED", "DISABLED"];
const ALLOW_DENY: &[&str] = &["ALLOW", "DENY"];

const SELF_SERVICE_MEMBERS: &[&str] = &[
    "RestartWorkspace",
    "IncreaseVolumeSize",
    "ChangeComputeType",
    "SwitchRunningMode",
    "RebuildWorkspace",
    "NestedVirtualization",
    "EnableEndUserAdvisor",
];

const ACCESS_MEMBERS: &[&str] = &[
    "DeviceTypeWindows",
    "DeviceTypeOsx",
    "DeviceTypeWeb",
    "DeviceTypeIos",
    "DeviceTypeAndroid",
    "DeviceTypeChromeOs",
    "DeviceTypeZeroClient",
    "DeviceTypeLinux",
    "DeviceTypeWorkSpacesThinClient",
];

/// The directory a settings call names, which must be REGISTERED: the
/// Modify* operations model no state error, so AWS answers that it is not
/// found.
fn registered<'a>(ctx: &'a mut Ctx<'_>, id: &str) -> ApiResult<&'a mut Directory> {
    ctx.account
        .directories
        .get_mut(id)
        .filter(|d| d.state == directory_state::REGISTERED)
        .ok_or_else(|| ApiError::not_found(id, "Registered directory"))
}

/// The enum members of a settings structure that the request sets, checked;
/// members the structure does not have are ignored, as AWS ignores them.
fn enum_members(
    settings: BTreeMap<String, Value>,
    structure: &str,
    members: &[&str],
    allowed: &[&str],
) -> ApiResult<Vec<(String, String)>> {
    let mut set = Vec::new();
    for (member, value) in settings {
        if !members.contains(&member.as_str()) || value.is_null() {
            continue;
        }
        let name = format!("{structure}.{member}");
        let Value::String(value) = value else {
            return Err(ApiError::serialization(format!("{name} must be a string.")));
        };
        one_of(&value, &name, allowed)?;
        set.push((member, value));
    }
    Ok(set)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SelfServiceInput {
    resource_id: Option<String>,
    selfservice_permissions: Option<BTreeMap<String, Value>>,
}

pub(super) fn modify_self_service(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: SelfServiceInput = parse(body)?;
    let id = required(input.resource_id, "ResourceId")?;
    directory_id(&id, "ResourceId")?;
    let set = enum_members(
        required(input.selfservice_permissions, "SelfservicePermissions")?,
        "SelfservicePermissions",
        SELF_SERVICE_MEMBERS,
        ENABLED_DISABLED,
    )?;
    registered(ctx, &id)?.self_service.extend(set);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AccessInput {
    resource_id: Option<String>,
    workspace_access_properties: Option<BTreeMap<String, Value>>,
}

pub(super) fn modify_access(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: AccessInput = parse(body)?;
    let id = required(input.resource_id, "ResourceId")?;
    directory_id(&id, "ResourceId")?;
    let properties = required(
        input.workspace_access_properties,
        "WorkspaceAccessProperties",
    )?;
    if properties
        .get("AccessEndpointConfig")
        .is_some_and(|v| !v.is_null())
    {
        return Err(ApiError::not_supported(
            "The simulator has no VPC endpoints: AccessEndpointConfig cannot be set.",
        ));
    }
    let set = enum_members(
        properties,
        "WorkspaceAccessProperties",
        ACCESS_MEMBERS,
        ALLOW_DENY,
    )?;
    registered(ctx, &id)?.access.extend(set);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreationInput {
    enable_internet_access: Option<bool>,
    default_ou: Option<String>,
    custom_security_group_id: Option<String>,
    user_enabled_as_local_administrator: Option<bool>,
    enable_maintenance_mode: Option<bool>,
    instance_iam_role_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifyCreationInput {
    resource_id: Option<String>,
    workspace_creation_properties: Option<CreationInput>,
}

/// `^arn:aws[a-z-]{0,7}:service:region:account:resource`, checked by its
/// parts: six colon-separated fields with a service and a resource.
fn arn(value: &str, member: &str) -> ApiResult<()> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[1].len() <= 10
        && !parts[2].is_empty()
        && !parts[5].is_empty();
    if ok {
        return Ok(());
    }
    Err(ApiError::invalid(format!(
        "{member} '{value}' is not an ARN such as arn:aws:iam::123456789012:role/name."
    )))
}

pub(super) fn modify_creation(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifyCreationInput = parse(body)?;
    let id = required(input.resource_id, "ResourceId")?;
    directory_id(&id, "ResourceId")?;
    let p = required(
        input.workspace_creation_properties,
        "WorkspaceCreationProperties",
    )?;
    let member = "WorkspaceCreationProperties";
    if let Some(sg) = &p.custom_security_group_id {
        length(sg, &format!("{member}.CustomSecurityGroupId"), 11, 20)?;
        security_group_id(sg, &format!("{member}.CustomSecurityGroupId"))?;
    }
    if let Some(role) = &p.instance_iam_role_arn {
        arn(role, &format!("{member}.InstanceIamRoleArn"))?;
    }
    let c = &mut registered(ctx, &id)?.creation;
    if let Some(v) = p.enable_internet_access {
        c.enable_internet_access = v;
    }
    if let Some(v) = p.default_ou {
        c.default_ou = Some(v);
    }
    if let Some(v) = p.custom_security_group_id {
        c.custom_security_group_id = Some(v);
    }
    if let Some(v) = p.user_enabled_as_local_administrator {
        c.user_enabled_as_local_administrator = v;
    }
    if let Some(v) = p.enable_maintenance_mode {
        c.enable_maintenance_mode = v;
    }
    if let Some(v) = p.instance_iam_role_arn {
        c.instance_iam_role_arn = Some(v);
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifyClientInput {
    resource_id: Option<String>,
    client_properties: Option<BTreeMap<String, Value>>,
}

pub(super) fn modify_client(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifyClientInput = parse(body)?;
    let id = required(input.resource_id, "ResourceId")?;
    length(&id, "ResourceId", 1, usize::MAX)?;
    let mut properties = required(input.client_properties, "ClientProperties")?;
    let policy = match properties.remove("ClientExperiencePolicy") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) => {
            let member = "ClientProperties.ClientExperiencePolicy";
            length(&p, member, 0, 64)?;
            if !p
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(ApiError::invalid(format!(
                    "{member} '{p}' does not match the pattern ^[A-Z_0-9]+$."
                )));
            }
            Some(p)
        }
        Some(_) => {
            return Err(ApiError::serialization(
                "ClientProperties.ClientExperiencePolicy must be a string.",
            ));
        }
    };
    let mut set = enum_members(
        properties,
        "ClientProperties",
        &["ReconnectEnabled", "LogUploadEnabled"],
        ENABLED_DISABLED,
    )?;
    set.extend(policy.map(|p| ("ClientExperiencePolicy".to_owned(), p)));
    registered(ctx, &id)?.client.extend(set);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeClientInput {
    resource_ids: Option<Vec<String>>,
}

pub(super) fn describe_client(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeClientInput = parse(body)?;
    let ids = required(input.resource_ids, "ResourceIds")?;
    list_size(&ids, "ResourceIds", 1, 25)?;
    let mut list = Vec::new();
    for id in &ids {
        length(id, "ResourceIds", 1, usize::MAX)?;
        let d = registered(ctx, id)?;
        list.push(json!({ "ResourceId": id, "ClientProperties": d.client }));
    }
    Ok(json!({ "ClientPropertiesList": list }))
}
