//! KMS `DescribeKey`, for the keys a fleet file encrypts volumes with: the
//! simulator's account holds a few keys (`KEYS`), each with its aliases,
//! and `CreateWorkspaces` keeps the key's ARN for an alias or a key id, as
//! AWS reports `VolumeEncryptionKey`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, parse};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::seed::{ACCOUNT_ID, REGION};

/// The account's keys: (key id, who manages it, its aliases). The first is
/// the one the simulator's tests and examples have used by ARN.
const KEYS: [(&str, &str, &[&str]); 2] = [
    (
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "CUSTOMER",
        &["alias/workspaces", "alias/fleet-volumes"],
    ),
    (
        "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
        "AWS",
        &["alias/aws/workspaces"],
    ),
];

/// The ARN of a key of the account.
fn key_arn(key_id: &str) -> String {
    format!("arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/{key_id}")
}

fn alias_arn(alias: &str) -> String {
    format!("arn:aws:kms:{REGION}:{ACCOUNT_ID}:{alias}")
}

/// Whether `key` names an alias (`alias/NAME` or its ARN), as KMS reads a
/// `KeyId`.
fn is_alias(key: &str) -> bool {
    key.starts_with("alias/") || (key.starts_with("arn:") && key.contains(":alias/"))
}

/// The key `key` names: its id, its ARN, an alias or an alias's ARN.
fn find(key: &str) -> Option<(&'static str, &'static str)> {
    KEYS.iter().find_map(|&(id, manager, aliases)| {
        let named = key == id
            || key == key_arn(id)
            || aliases.iter().any(|a| key == *a || key == alias_arn(a));
        named.then_some((id, manager))
    })
}

/// The key ARN an alias or a key id stands for; None for one the account
/// lacks. A key ARN is kept as given.
pub(crate) fn resolve(key: &str) -> Option<String> {
    if key.starts_with("arn:") && key.contains(":key/") {
        return Some(key.to_owned());
    }
    find(key).map(|(id, _)| key_arn(id))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeKeyInput {
    key_id: String,
}

pub(super) fn describe_key(_ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeKeyInput = parse(body)?;
    if input.key_id.is_empty() || input.key_id.len() > 2048 {
        return Err(ApiError::invalid("KeyId is 1 to 2048 characters."));
    }
    let Some((id, manager)) = find(&input.key_id) else {
        let what = if is_alias(&input.key_id) {
            let name = input
                .key_id
                .rsplit_once(':')
                .map_or(input.key_id.as_str(), |(_, n)| n);
            format!("Alias {}", alias_arn(name))
        } else {
            format!("Key '{}'", input.key_id)
        };
        return Err(not_found(format!("{what} is not found.")));
    };
    Ok(json!({
        "KeyMetadata": {
            "AWSAccountId": ACCOUNT_ID,
            "KeyId": id,
            "Arn": key_arn(id),
            "Enabled": true,
            "KeyState": "Enabled",
            "KeyUsage": "ENCRYPT_DECRYPT",
            "KeySpec": "SYMMETRIC_DEFAULT",
            "KeyManager": manager,
            "Origin": "AWS_KMS",
            "CreationDate": 1_767_225_600.0,
        }
    }))
}

/// KMS's answer for a key or alias the account does not have.
fn not_found(message: String) -> ApiError {
    ApiError {
        code: "NotFoundException",
        ..ApiError::invalid(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_or_key_id_resolves_to_its_key_arn() {
        let arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(resolve("alias/workspaces").as_deref(), Some(arn));
        assert_eq!(
            resolve("arn:aws:kms:us-east-1:123456789012:alias/fleet-volumes").as_deref(),
            Some(arn)
        );
        assert_eq!(resolve(arn).as_deref(), Some(arn));
        assert_eq!(
            resolve("1234abcd-12ab-34cd-56ef-1234567890ab").as_deref(),
            Some(arn)
        );
        assert_eq!(resolve("alias/none"), None);
        assert_eq!(resolve("00000000-0000-0000-0000-000000000000"), None);
    }
}
