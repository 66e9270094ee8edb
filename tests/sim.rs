//! The simulator driven through the real `aws-sdk-workspaces` client (on
//! awsJson1_1 and on Smithy RPC v2 CBOR), `aws-sdk-resourcegroupstagging`
//! for `GetResources`, `aws-sdk-pricing` for the Price List API, `aws-sdk-kms` for `DescribeKey`.

#[path = "support/mod.rs"]
mod support;

#[path = "sim/common.rs"]
mod common;

#[path = "sim/account.rs"]
mod account;
#[path = "sim/aliases.rs"]
mod aliases;
#[path = "sim/bundles.rs"]
mod bundles;
#[path = "sim/cbor.rs"]
mod cbor;
#[path = "sim/controls.rs"]
mod controls;
#[path = "sim/directories.rs"]
mod directories;
#[path = "sim/documented_rules.rs"]
mod documented_rules;
#[path = "sim/faults.rs"]
mod faults;
#[path = "sim/heal.rs"]
mod heal;
#[path = "sim/image_permissions.rs"]
mod image_permissions;
#[path = "sim/images.rs"]
mod images;
#[path = "sim/ip_groups.rs"]
mod ip_groups;
#[path = "sim/kms.rs"]
mod kms;
#[path = "sim/persistence.rs"]
mod persistence;
#[path = "sim/pricing.rs"]
mod pricing;
#[path = "sim/tagging.rs"]
mod tagging;
#[path = "sim/tags.rs"]
mod tags;
#[path = "sim/usage.rs"]
mod usage;
#[path = "sim/wire.rs"]
mod wire;
#[path = "sim/workspaces.rs"]
mod workspaces;
