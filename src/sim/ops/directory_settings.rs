//! The settings of a registered directory: creation properties,
//! self-service permissions, device access, client properties, SAML 2.0,
//! certificate-based authentication, the endpoint encryption mode and the
//! streaming properties.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, parse};
use crate::sim::account::{AccessEndpointConfig, Directory, StreamingProperties, directory_state};
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
    let mut properties = required(
        input.workspace_access_properties,
        "WorkspaceAccessProperties",
    )?;
    let endpoints = match properties.remove("AccessEndpointConfig") {
        None | Some(Value::Null) => None,
        Some(config) => Some(access_endpoint_config(config)?),
    };
    let set = enum_members(
        properties,
        "WorkspaceAccessProperties",
        ACCESS_MEMBERS,
        ALLOW_DENY,
    )?;
    let directory = registered(ctx, &id)?;
    directory.access.extend(set);
    if endpoints.is_some() {
        directory.access_endpoints = endpoints;
    }
    Ok(json!({}))
}

/// `AccessEndpointConfig` as the model has it: `AccessEndpoints` required,
/// each endpoint `STREAMING_WSP` with an id of `^[a-zA-Z0-9_-]{1,1000}$`,
/// the fallback protocols `PCOIP`. The simulator has no VPC endpoints to
/// look the id up in, so any such id is taken.
fn access_endpoint_config(config: Value) -> ApiResult<AccessEndpointConfig> {
    let member = "WorkspaceAccessProperties.AccessEndpointConfig";
    if config.get("AccessEndpoints").is_none_or(Value::is_null) {
        return Err(ApiError::invalid(format!(
            "{member}.AccessEndpoints is required."
        )));
    }
    let config: AccessEndpointConfig = serde_json::from_value(config)
        .map_err(|e| ApiError::serialization(format!("{member}: {e}")))?;
    for endpoint in &config.access_endpoints {
        if let Some(kind) = &endpoint.access_endpoint_type {
            one_of(
                kind,
                &format!("{member}.AccessEndpointType"),
                &["STREAMING_WSP"],
            )?;
        }
        if let Some(id) = &endpoint.vpc_endpoint_id {
            let ok = (1..=1000).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !ok {
                return Err(ApiError::invalid(format!(
                    "{member}.VpcEndpointId '{id}' does not match the pattern ^[a-zA-Z0-9\\_\\-]{{1,1000}}$."
                )));
            }
        }
    }
    for protocol in &config.internet_fallback_protocols {
        one_of(
            protocol,
            &format!("{member}.InternetFallbackProtocols"),
            &["PCOIP"],
        )?;
    }
    Ok(config)
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

const SAML_STATUSES: &[&str] = &[
    "DISABLED",
    "ENABLED",
    "ENABLED_WITH_DIRECTORY_LOGIN_FALLBACK",
];
const SAML_DELETABLE: &[&str] = &[
    "SAML_PROPERTIES_USER_ACCESS_URL",
    "SAML_PROPERTIES_RELAY_STATE_PARAMETER_NAME",
];
const CERTIFICATE_DELETABLE: &[&str] =
    &["CERTIFICATE_BASED_AUTH_PROPERTIES_CERTIFICATE_AUTHORITY_ARN"];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SamlInput {
    status: Option<String>,
    user_access_url: Option<String>,
    relay_state_parameter_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifySamlInput {
    resource_id: Option<String>,
    saml_properties: Option<SamlInput>,
    properties_to_delete: Option<Vec<String>>,
}

/// `SamlUserAccessUrl`: 8–200 characters, `^(http|https)\://\S+$`.
fn user_access_url(url: &str, member: &str) -> ApiResult<()> {
    length(url, member, 8, 200)?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    if rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace)) {
        return Ok(());
    }
    Err(ApiError::invalid(format!(
        "{member} '{url}' does not match the pattern ^(http|https)\\://\\S+$."
    )))
}

/// The members a `PropertiesToDelete` names, each one of `allowed`.
fn deletions(list: Option<Vec<String>>, allowed: &[&str]) -> ApiResult<Vec<String>> {
    let list = list.unwrap_or_default();
    for item in &list {
        one_of(item, "PropertiesToDelete", allowed)?;
    }
    Ok(list)
}

pub(super) fn modify_saml(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifySamlInput = parse(body)?;
    let id = required(input.resource_id, "ResourceId")?;
    directory_id(&id, "ResourceId")?;
    let member = "SamlProperties";
    let p = input.saml_properties.unwrap_or(SamlInput {
        status: None,
        user_access_url: None,
        relay_state_parameter_name: None,
    });
    if let Some(status) = &p.status {
        one_of(status, &format!("{member}.Status"), SAML_STATUSES)?;
    }
    if let Some(url) = &p.user_access_url {
        user_access_url(url, &format!("{member}.UserAccessUrl"))?;
    }
    if let Some(name) = &p.relay_state_parameter_name {
        length(
            name,
            &format!("{member}.RelayStateParameterName"),
            1,
            usize::MAX,
        )?;
    }
    let deleted = deletions(input.properties_to_delete, SAML_DELETABLE)?;
    let saml = &mut registered(ctx, &id)?.saml;
    if let Some(status) = p.status {
        saml.status = status;
    }
    if let Some(url) = p.user_access_url {
        saml.user_access_url = Some(url);
    }
    if let Some(name) = p.relay_state_parameter_name {
        saml.relay_state_parameter_name = Some(name);
    }
    for item in deleted {
        match item.as_str() {
            "SAML_PROPERTIES_USER_ACCESS_URL" => saml.user_access_url = None,
            _ => saml.relay_state_parameter_name = None,
        }
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CertificateInput {
    status: Option<String>,
    certificate_authority_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifyCertificateInput {
    resource_id: Option<String>,
    certificate_based_auth_properties: Option<CertificateInput>,
    properties_to_delete: Option<Vec<String>>,
}

/// `CertificateAuthorityArn`: 5–200 characters,
/// `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:[\w+=/,.@-]*:[0-9]*:[\w+=,.@-]+(/[\w+=,.@-]+)*`.
fn certificate_authority_arn(value: &str, member: &str) -> ApiResult<()> {
    length(value, member, 5, 200)?;
    let field = |c: char| c.is_ascii_alphanumeric() || "_+=/,.@-".contains(c);
    let name = |c: char| c != '/' && field(c);
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let ok = match parts.as_slice() {
        [arn, partition, service, region, account, resource] => {
            *arn == "arn"
                && !partition.is_empty()
                && partition.chars().all(field)
                && !service.is_empty()
                && service.chars().all(field)
                && region.chars().all(field)
                && account.chars().all(|c| c.is_ascii_digit())
                && resource
                    .split('/')
                    .all(|part| !part.is_empty() && part.chars().all(name))
        }
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(ApiError::invalid(format!(
        "{member} '{value}' is not a certificate authority ARN."
    )))
}

pub(super) fn modify_certificate_based_auth(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifyCertificateInput = parse(body)?;
    let id = required(input.resource_id, "ResourceId")?;
    directory_id(&id, "ResourceId")?;
    let member = "CertificateBasedAuthProperties";
    let p = input
        .certificate_based_auth_properties
        .unwrap_or(CertificateInput {
            status: None,
            certificate_authority_arn: None,
        });
    if let Some(status) = &p.status {
        one_of(status, &format!("{member}.Status"), ENABLED_DISABLED)?;
    }
    if let Some(arn) = &p.certificate_authority_arn {
        certificate_authority_arn(arn, &format!("{member}.CertificateAuthorityArn"))?;
    }
    let deleted = deletions(input.properties_to_delete, CERTIFICATE_DELETABLE)?;
    let directory = registered(ctx, &id)?;
    // Certificate-based authentication signs in the users SAML 2.0
    // federates (admin guide, "Certificate-based authentication").
    if p.status.as_deref() == Some("ENABLED") && directory.saml.status == "DISABLED" {
        return Err(ApiError::invalid(format!(
            "Certificate-based authentication needs SAML 2.0 authentication enabled on directory {id}."
        )));
    }
    let certificate = &mut directory.certificate_based_auth;
    if let Some(status) = p.status {
        certificate.status = status;
    }
    if let Some(arn) = p.certificate_authority_arn {
        certificate.certificate_authority_arn = Some(arn);
    }
    if !deleted.is_empty() {
        certificate.certificate_authority_arn = None;
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifyEncryptionInput {
    directory_id: Option<String>,
    endpoint_encryption_mode: Option<String>,
}

pub(super) fn modify_endpoint_encryption(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifyEncryptionInput = parse(body)?;
    let id = required(input.directory_id, "DirectoryId")?;
    directory_id(&id, "DirectoryId")?;
    let mode = required(input.endpoint_encryption_mode, "EndpointEncryptionMode")?;
    one_of(
        &mode,
        "EndpointEncryptionMode",
        &["STANDARD_TLS", "FIPS_VALIDATED"],
    )?;
    registered(ctx, &id)?.endpoint_encryption_mode = mode;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifyStreamingInput {
    resource_id: Option<String>,
    streaming_properties: Option<StreamingProperties>,
}

const USER_SETTING_ACTIONS: &[&str] = &[
    "CLIPBOARD_COPY_FROM_LOCAL_DEVICE",
    "CLIPBOARD_COPY_TO_LOCAL_DEVICE",
    "PRINTING_TO_LOCAL_DEVICE",
    "SMART_CARD",
];

/// The model's rules on `StreamingProperties`: its enums, lists of at least
/// one item, and maximum lengths of at least 0.
fn check_streaming(p: &StreamingProperties) -> ApiResult<()> {
    let member = "StreamingProperties";
    if let Some(protocol) = &p.streaming_experience_preferred_protocol {
        one_of(
            protocol,
            &format!("{member}.StreamingExperiencePreferredProtocol"),
            &["TCP", "UDP"],
        )?;
    }
    if let Some(settings) = &p.user_settings {
        list_size(settings, &format!("{member}.UserSettings"), 1, usize::MAX)?;
        for s in settings {
            one_of(
                &s.action,
                &format!("{member}.UserSettings.Action"),
                USER_SETTING_ACTIONS,
            )?;
            one_of(
                &s.permission,
                &format!("{member}.UserSettings.Permission"),
                ENABLED_DISABLED,
            )?;
            if s.maximum_length.is_some_and(|n| n < 0) {
                return Err(ApiError::invalid(format!(
                    "{member}.UserSettings.MaximumLength must be at least 0."
                )));
            }
        }
    }
    if let Some(connectors) = &p.storage_connectors {
        list_size(
            connectors,
            &format!("{member}.StorageConnectors"),
            1,
            usize::MAX,
        )?;
        for c in connectors {
            one_of(
                &c.connector_type,
                &format!("{member}.StorageConnectors.ConnectorType"),
                &["HOME_FOLDER"],
            )?;
            one_of(
                &c.status,
                &format!("{member}.StorageConnectors.Status"),
                ENABLED_DISABLED,
            )?;
        }
    }
    if let Some(accelerator) = &p.global_accelerator {
        one_of(
            &accelerator.mode,
            &format!("{member}.GlobalAccelerator.Mode"),
            &["ENABLED_AUTO", "DISABLED"],
        )?;
        if let Some(protocol) = &accelerator.preferred_protocol {
            one_of(
                protocol,
                &format!("{member}.GlobalAccelerator.PreferredProtocol"),
                &["TCP", "NONE"],
            )?;
        }
    }
    Ok(())
}

pub(super) fn modify_streaming(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifyStreamingInput = parse(body)?;
    let id = required(input.resource_id, "ResourceId")?;
    directory_id(&id, "ResourceId")?;
    let p = input.streaming_properties.unwrap_or_default();
    check_streaming(&p)?;
    let streaming = registered(ctx, &id)?.streaming.get_or_insert_default();
    if p.streaming_experience_preferred_protocol.is_some() {
        streaming.streaming_experience_preferred_protocol =
            p.streaming_experience_preferred_protocol;
    }
    if p.user_settings.is_some() {
        streaming.user_settings = p.user_settings;
    }
    if p.storage_connectors.is_some() {
        streaming.storage_connectors = p.storage_connectors;
    }
    if p.global_accelerator.is_some() {
        streaming.global_accelerator = p.global_accelerator;
    }
    Ok(json!({}))
}
