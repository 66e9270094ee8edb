//! Directories: the Directory Service catalog, registration with
//! WorkSpaces (asynchronous both ways) and the IP groups of a registration.

use serde::Deserialize;
use serde_json::{Value, json};

use super::tags::{TagInput, checked};
use super::{Ctx, offset_page, parse};
use crate::sim::account::{Directory, directory_state, self_service_defaults};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::seed;
use crate::sim::validate::{
    arn, directory_description, directory_filter_value, directory_id, directory_name, domain_name,
    ip_group_id, list_size, one_of, range, required, secret_arn, subnet_id, tenant_id,
};

/// IP access control groups per directory (Service Quotas).
const MAX_IP_GROUPS: usize = 25;
/// Directories registered with WorkSpaces per Region (Service Quotas).
const MAX_REGISTERED: usize = 50;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FilterInput {
    name: Option<String>,
    values: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    directory_ids: Option<Vec<String>>,
    workspace_directory_names: Option<Vec<String>>,
    limit: Option<i64>,
    next_token: Option<String>,
    filters: Option<Vec<FilterInput>>,
}

fn wire(d: &Directory) -> Value {
    let c = &d.creation;
    json!({
        "DirectoryId": d.id,
        "Alias": d.alias,
        "DirectoryName": d.name,
        "RegistrationCode": d.registration_code,
        "SubnetIds": d.subnet_ids,
        "DnsIpAddresses": d.dns_ip_addresses,
        "CustomerUserName": d.customer_user_name,
        "DirectoryType": d.directory_type,
        "WorkspaceSecurityGroupId": d.security_group_id,
        "State": d.state,
        "Tenancy": d.tenancy,
        "WorkspaceType": "PERSONAL",
        "UserIdentityType": "AWS_DIRECTORY_SERVICE",
        "ipGroupIds": d.ip_group_ids,
        "SelfservicePermissions": d.self_service,
        "WorkspaceAccessProperties": d.access,
        "WorkspaceCreationProperties": {
            "EnableInternetAccess": c.enable_internet_access,
            "DefaultOu": c.default_ou,
            "CustomSecurityGroupId": c.custom_security_group_id,
            "UserEnabledAsLocalAdministrator": c.user_enabled_as_local_administrator,
            "EnableMaintenanceMode": c.enable_maintenance_mode,
            "InstanceIamRoleArn": c.instance_iam_role_arn,
        },
    })
}

/// What each directory is for the `USER_IDENTITY_TYPE` / `WORKSPACE_TYPE`
/// filters: every simulated directory is an AWS Directory Service one.
fn filter_value(name: &str) -> &'static str {
    if name == "USER_IDENTITY_TYPE" {
        "AWS_DIRECTORY_SERVICE"
    } else {
        "PERSONAL"
    }
}

pub(super) fn describe(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeInput = parse(body)?;
    if let Some(ids) = &input.directory_ids {
        list_size(ids, "DirectoryIds", 1, 25)?;
        for id in ids {
            directory_id(id, "DirectoryIds")?;
        }
    }
    if let Some(names) = &input.workspace_directory_names {
        list_size(names, "WorkspaceDirectoryNames", 1, 25)?;
        for name in names {
            directory_name(name, "WorkspaceDirectoryNames")?;
        }
    }
    if let Some(l) = input.limit {
        range(l, "Limit", 1, 25)?;
    }
    let mut filters = Vec::new();
    if let Some(fs) = input.filters {
        list_size(&fs, "Filters", 1, 25)?;
        for f in fs {
            let name = required(f.name, "Filters.Name")?;
            one_of(
                &name,
                "Filters.Name",
                &["USER_IDENTITY_TYPE", "WORKSPACE_TYPE"],
            )?;
            let values = required(f.values, "Filters.Values")?;
            list_size(&values, "Filters.Values", 1, 25)?;
            for value in &values {
                directory_filter_value(value, "Filters.Values")?;
            }
            filters.push((name, values));
        }
    }
    let page = input
        .limit
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(25);
    let found: Vec<&Directory> = ctx
        .account
        .directories
        .values()
        .filter(|d| d.is_registered())
        .filter(|d| {
            input
                .directory_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&d.id))
        })
        .filter(|d| {
            input
                .workspace_directory_names
                .as_ref()
                .is_none_or(|names| names.contains(&d.name))
        })
        .filter(|_| {
            filters
                .iter()
                .all(|(name, values)| values.iter().any(|v| v == filter_value(name)))
        })
        .collect();
    let (page, next) = offset_page(&found, "dir", input.next_token.as_deref(), page)?;
    let page: Vec<Value> = page.into_iter().map(wire).collect();
    Ok(json!({ "Directories": page, "NextToken": next }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RegisterInput {
    directory_id: Option<String>,
    subnet_ids: Option<Vec<String>>,
    enable_self_service: Option<bool>,
    tenancy: Option<String>,
    tags: Option<Vec<TagInput>>,
    workspace_type: Option<String>,
    user_identity_type: Option<String>,
    workspace_directory_name: Option<String>,
    workspace_directory_description: Option<String>,
    idc_instance_arn: Option<String>,
    microsoft_entra_config: Option<EntraInput>,
    active_directory_config: Option<ActiveDirectoryInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EntraInput {
    tenant_id: Option<String>,
    application_config_secret_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ActiveDirectoryInput {
    domain_name: Option<String>,
    service_account_secret_arn: Option<String>,
}

impl RegisterInput {
    /// The constraints of the members for directories other than AWS
    /// Directory Service ones, which the simulator then refuses to register.
    fn check_other_members(&self) -> ApiResult<()> {
        if let Some(name) = &self.workspace_directory_name {
            directory_name(name, "WorkspaceDirectoryName")?;
        }
        if let Some(text) = &self.workspace_directory_description {
            directory_description(text, "WorkspaceDirectoryDescription")?;
        }
        if let Some(a) = &self.idc_instance_arn {
            arn(a, "IdcInstanceArn")?;
        }
        if let Some(entra) = &self.microsoft_entra_config {
            if let Some(t) = &entra.tenant_id {
                tenant_id(t, "MicrosoftEntraConfig.TenantId")?;
            }
            if let Some(a) = &entra.application_config_secret_arn {
                secret_arn(a, "MicrosoftEntraConfig.ApplicationConfigSecretArn")?;
            }
        }
        if let Some(ad) = &self.active_directory_config {
            let member = "ActiveDirectoryConfig.DomainName";
            domain_name(required(ad.domain_name.as_deref(), member)?, member)?;
            let member = "ActiveDirectoryConfig.ServiceAccountSecretArn";
            secret_arn(
                required(ad.service_account_secret_arn.as_deref(), member)?,
                member,
            )?;
        }
        Ok(())
    }
}

/// Two subnets of the directory's VPC in different Availability Zones, as
/// WorkSpaces needs for a directory of AWS Directory Service. The model:
/// subnets not in separate Availability Zones are an
/// `OperationNotSupportedException`.
fn check_subnets(d: &Directory, subnets: &[String]) -> ApiResult<()> {
    if subnets.len() != 2 {
        return Err(ApiError::not_supported(format!(
            "SubnetIds must name two subnets in different Availability Zones; got {}.",
            subnets.len()
        )));
    }
    let mut zones = Vec::new();
    for s in subnets {
        let (vpc, az) = seed::subnet(s)
            .ok_or_else(|| ApiError::invalid(format!("Subnet {s} does not exist.")))?;
        if vpc != d.vpc_id {
            return Err(ApiError::invalid(format!(
                "Subnet {s} is in {vpc}, not in {} of directory {}.",
                d.vpc_id, d.id
            )));
        }
        zones.push(az);
    }
    if zones[0] == zones[1] {
        return Err(ApiError::not_supported(format!(
            "Subnets {} and {} are both in {}; they must be in different Availability Zones.",
            subnets[0], subnets[1], zones[0]
        )));
    }
    Ok(())
}

/// The model's rules for the directory itself: it must be `Active` in
/// Directory Service (else `InvalidResourceStateException`), and the account
/// must be under its quota of registrations (else
/// `ResourceLimitExceededException`).
fn check_registrable(ctx: &Ctx<'_>, id: &str) -> ApiResult<()> {
    let stage = seed::directory_stage(id);
    if stage != "Active" {
        return Err(ApiError::state(format!(
            "Directory {id} is {stage} in Directory Service; only an Active directory can be registered."
        )));
    }
    let registered = ctx
        .account
        .directories
        .values()
        .filter(|d| d.is_registered())
        .count();
    if registered >= MAX_REGISTERED {
        return Err(ApiError::limit(format!(
            "The account already has {registered} directories registered with WorkSpaces, its quota."
        )));
    }
    Ok(())
}

pub(super) fn register(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: RegisterInput = parse(body)?;
    input.check_other_members()?;
    let id = required(input.directory_id, "DirectoryId")?;
    directory_id(&id, "DirectoryId")?;
    if let Some(subnets) = &input.subnet_ids {
        list_size(subnets, "SubnetIds", 0, 2)?;
        for s in subnets {
            subnet_id(s, "SubnetIds")?;
        }
    }
    let tenancy = input.tenancy.unwrap_or_else(|| "SHARED".to_owned());
    one_of(&tenancy, "Tenancy", &["DEDICATED", "SHARED"])?;
    if let Some(t) = &input.workspace_type {
        one_of(t, "WorkspaceType", &["PERSONAL", "POOLS"])?;
    }
    if let Some(t) = &input.user_identity_type {
        one_of(
            t,
            "UserIdentityType",
            &[
                "CUSTOMER_MANAGED",
                "AWS_DIRECTORY_SERVICE",
                "AWS_IAM_IDENTITY_CENTER",
            ],
        )?;
    }
    let tags = checked(input.tags)?;
    if input.workspace_type.as_deref() == Some("POOLS")
        || input
            .user_identity_type
            .as_deref()
            .is_some_and(|t| t != "AWS_DIRECTORY_SERVICE")
    {
        return Err(ApiError::not_supported(
            "The simulator registers PERSONAL directories of AWS Directory Service only.",
        ));
    }
    let d = ctx
        .account
        .directories
        .get(&id)
        .ok_or_else(|| ApiError::not_found(&id, "Directory"))?;
    match d.state.as_str() {
        directory_state::DEREGISTERED => {}
        directory_state::DEREGISTERING => {
            return Err(ApiError::state(format!(
                "Directory {id} is DEREGISTERING; register it again once it is deregistered."
            )));
        }
        other => {
            return Err(ApiError::exists(format!(
                "Directory {id} is already registered ({other})."
            )));
        }
    }
    check_registrable(ctx, &id)?;
    let subnets = input
        .subnet_ids
        .unwrap_or_else(|| d.directory_subnet_ids.clone());
    check_subnets(d, &subnets)?;
    if tenancy == "DEDICATED" && !ctx.account.byol.enabled {
        return Err(ApiError::invalid(
            "Tenancy DEDICATED needs BYOL enabled for the account (ModifyAccount DedicatedTenancySupport ENABLED).",
        ));
    }
    let code = format!("SLiad+{}", ctx.random_chars(6).to_uppercase());
    let security_group = format!("sg-{}", hex17(ctx));
    let until = ctx.settled_at();
    // EnableSelfService turns on every self-service permission; without it
    // the registration starts from the defaults.
    let mut self_service = self_service_defaults();
    if input.enable_self_service == Some(true) {
        for member in [
            "RestartWorkspace",
            "IncreaseVolumeSize",
            "ChangeComputeType",
            "SwitchRunningMode",
            "RebuildWorkspace",
        ] {
            self_service.insert(member.to_owned(), "ENABLED".to_owned());
        }
    }
    ctx.account.register_directory(&id, ctx.now, |d| {
        d.state = directory_state::REGISTERING.to_owned();
        d.state_until = Some(until);
        d.subnet_ids = subnets;
        d.tenancy = tenancy;
        d.self_service = self_service;
        d.registration_code = code;
        d.security_group_id = security_group;
        d.tags = tags;
    });
    Ok(json!({ "DirectoryId": id, "State": directory_state::REGISTERING }))
}

/// 17 lowercase hex digits, the tail of new EC2 ids.
fn hex17(ctx: &mut Ctx<'_>) -> String {
    ctx.random_chars(17)
        .chars()
        .map(|c| char::from_digit(c.to_digit(36).unwrap_or(0) % 16, 16).unwrap_or('0'))
        .collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeregisterInput {
    directory_id: Option<String>,
}

pub(super) fn deregister(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DeregisterInput = parse(body)?;
    let id = required(input.directory_id, "DirectoryId")?;
    directory_id(&id, "DirectoryId")?;
    let account = &*ctx.account;
    let d = account
        .directories
        .get(&id)
        .filter(|d| d.is_registered())
        .ok_or_else(|| ApiError::not_found(&id, "Registered directory"))?;
    if d.state != directory_state::REGISTERED {
        return Err(ApiError::state(format!(
            "Directory {id} is {}; only a REGISTERED directory can be deregistered.",
            d.state
        )));
    }
    // The model: WorkSpaces left in the directory are an
    // OperationNotSupportedException.
    if let Some(ws) = account.workspaces.values().find(|ws| ws.directory_id == id) {
        return Err(ApiError::not_supported(format!(
            "Directory {id} still has WorkSpace {} ({}); terminate its WorkSpaces first.",
            ws.id, ws.state
        )));
    }
    if let Some(alias) = account.connection_aliases.values().find(|a| {
        a.association
            .as_ref()
            .is_some_and(|assoc| assoc.directory_id == id)
    }) {
        return Err(ApiError::state(format!(
            "Connection alias {} is associated with directory {id}; disassociate it first.",
            alias.id
        )));
    }
    let until = ctx.settled_at();
    if let Some(d) = ctx.account.directories.get_mut(&id) {
        d.state = directory_state::DEREGISTERING.to_owned();
        d.state_until = Some(until);
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IpGroupsInput {
    directory_id: Option<String>,
    group_ids: Option<Vec<String>>,
}

/// The registered directory and the existing groups an IP group call names.
fn ip_groups_call(ctx: &Ctx<'_>, body: Value) -> ApiResult<(String, Vec<String>)> {
    let input: IpGroupsInput = parse(body)?;
    let id = required(input.directory_id, "DirectoryId")?;
    directory_id(&id, "DirectoryId")?;
    let groups = required(input.group_ids, "GroupIds")?;
    list_size(&groups, "GroupIds", 1, usize::MAX)?;
    for g in &groups {
        ip_group_id(g, "GroupIds")?;
    }
    let d = ctx
        .account
        .directories
        .get(&id)
        .filter(|d| d.is_registered())
        .ok_or_else(|| ApiError::not_found(&id, "Registered directory"))?;
    if d.state != directory_state::REGISTERED {
        return Err(ApiError::state(format!(
            "Directory {id} is {}; IP groups can be changed once it is REGISTERED.",
            d.state
        )));
    }
    if let Some(g) = groups
        .iter()
        .find(|g| !ctx.account.ip_groups.contains_key(*g))
    {
        return Err(ApiError::not_found(g, "IP access control group"));
    }
    Ok((id, groups))
}

pub(super) fn associate_ip_groups(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let (id, groups) = ip_groups_call(ctx, body)?;
    let Some(d) = ctx.account.directories.get_mut(&id) else {
        return Err(ApiError::not_found(&id, "Registered directory"));
    };
    let mut associated = d.ip_group_ids.clone();
    for g in groups {
        if !associated.contains(&g) {
            associated.push(g);
        }
    }
    if associated.len() > MAX_IP_GROUPS {
        return Err(ApiError::limit(format!(
            "A directory can have at most {MAX_IP_GROUPS} IP access control groups; this would make {}.",
            associated.len()
        )));
    }
    d.ip_group_ids = associated;
    Ok(json!({}))
}

pub(super) fn disassociate_ip_groups(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let (id, groups) = ip_groups_call(ctx, body)?;
    if let Some(d) = ctx.account.directories.get_mut(&id) {
        d.ip_group_ids.retain(|g| !groups.contains(g));
    }
    Ok(json!({}))
}
