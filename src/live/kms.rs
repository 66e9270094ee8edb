//! The KMS keys a fleet file names other than by ARN: AWS keeps a
//! WorkSpace's `VolumeEncryptionKey` as the key's ARN whatever the request
//! named, so an alias or a key id is resolved (KMS `DescribeKey`, one call
//! per distinct one) for the planner to compare what AWS reports with what
//! the file means.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_kms::operation::describe_key::DescribeKeyError;
use futures::{StreamExt, TryStreamExt, stream};

use super::tags::CONCURRENT_READS;
use crate::aws::{ApiError, Aws, api_error};

/// The key ARN of each of `keys`; None for one KMS does not find.
pub(crate) async fn resolve_keys(
    aws: &Aws,
    keys: &BTreeSet<String>,
) -> Result<BTreeMap<String, Option<String>>, ApiError> {
    stream::iter(keys)
        .map(|key| async move { Ok::<_, ApiError>((key.clone(), key_arn(aws, key).await?)) })
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await
}

async fn key_arn(aws: &Aws, key: &str) -> Result<Option<String>, ApiError> {
    let call = aws.kms.describe_key().key_id(key).send();
    match aws.limit.run(call).await {
        Ok(output) => Ok(output
            .key_metadata()
            .map(|k| k.arn().unwrap_or(k.key_id()).to_owned())),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(DescribeKeyError::is_not_found_exception) =>
        {
            Ok(None)
        }
        Err(error) => Err(api_error("DescribeKey", error)),
    }
}
