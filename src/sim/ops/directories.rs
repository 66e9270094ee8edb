use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, offset_page, parse};
use crate::sim::account::Directory;
use crate::sim::api_error::ApiResult;
use crate::sim::validate::{directory_id, list_size, one_of, range, required};

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
        "Tenancy": "SHARED",
        "WorkspaceType": "PERSONAL",
        "UserIdentityType": "AWS_DIRECTORY_SERVICE",
        "WorkspaceCreationProperties": {
            "EnableInternetAccess": false,
            "UserEnabledAsLocalAdministrator": false,
            "EnableMaintenanceMode": true,
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
