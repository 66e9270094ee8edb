//! BYOL account settings, CIDR ranges, directories.

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    DedicatedTenancyModificationStateEnum, DedicatedTenancySupportEnum,
    DedicatedTenancySupportResultEnum, WorkspaceDirectoryState,
};
use wsctl::sim::{Faults, SEED_DIRECTORY_ID, SimConfig};

use crate::common::*;

async fn list_ranges(client: &Client, constraint: &str, page: i32) -> (usize, Vec<String>) {
    let mut token = None;
    let mut pages = 0;
    let mut ranges = Vec::new();
    loop {
        let out = client
            .list_available_management_cidr_ranges()
            .management_cidr_range_constraint(constraint)
            .max_results(page)
            .set_next_token(token)
            .send()
            .await
            .expect("list ranges");
        pages += 1;
        ranges.extend(out.management_cidr_ranges().iter().cloned());
        token = out.next_token;
        if token.is_none() {
            return (pages, ranges);
        }
    }
}

#[tokio::test]
async fn cidr_ranges_page_and_filter() {
    let (_sim, client) = sim().await;
    let (pages, ranges) = list_ranges(&client, "0.0.0.0/0", 2).await;
    assert_eq!((pages, ranges.len()), (4, 7));
    assert!(ranges.contains(&"10.200.0.0/16".to_owned()));
    let (_, tens) = list_ranges(&client, "10.0.0.0/8", 5).await;
    assert_eq!(tens, ["10.200.0.0/16", "10.201.0.0/16", "10.202.0.0/16"]);
    for bad in [
        client
            .list_available_management_cidr_ranges()
            .management_cidr_range_constraint("10.0.0.0/8")
            .max_results(6),
        client
            .list_available_management_cidr_ranges()
            .management_cidr_range_constraint("10.0.0/8"),
        client.list_available_management_cidr_ranges(),
    ] {
        let err = bad.send().await.expect_err("invalid").into_service_error();
        assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
    }
}

#[tokio::test]
async fn modify_account_enables_byol_after_a_pending_modification() {
    let (_sim, client) = sim().await;
    let account = client.describe_account().send().await.expect("describe");
    assert_eq!(
        account.dedicated_tenancy_support(),
        Some(&DedicatedTenancySupportResultEnum::Disabled)
    );
    for (cidr, what) in [
        ("10.99.0.0/16", "not offered"),
        ("10.200.0.0/24", "not a /16"),
    ] {
        let err = client
            .modify_account()
            .dedicated_tenancy_support(DedicatedTenancySupportEnum::Enabled)
            .dedicated_tenancy_management_cidr_range(cidr)
            .send()
            .await
            .expect_err(what)
            .into_service_error();
        assert!(
            err.is_invalid_parameter_values_exception(),
            "{what}: {err:?}"
        );
    }
    let err = client
        .modify_account()
        .dedicated_tenancy_support(DedicatedTenancySupportEnum::from("DISABLED"))
        .dedicated_tenancy_management_cidr_range("10.200.0.0/16")
        .send()
        .await
        .expect_err("only ENABLED")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception());
    client
        .modify_account()
        .dedicated_tenancy_support(DedicatedTenancySupportEnum::Enabled)
        .dedicated_tenancy_management_cidr_range("172.16.0.0/16")
        .send()
        .await
        .expect("modify");
    let mods = client
        .describe_account_modifications()
        .send()
        .await
        .expect("mods");
    assert_eq!(
        mods.account_modifications()[0].modification_state(),
        Some(&DedicatedTenancyModificationStateEnum::Pending)
    );
    let err = client
        .modify_account()
        .dedicated_tenancy_support(DedicatedTenancySupportEnum::Enabled)
        .dedicated_tenancy_management_cidr_range("10.200.0.0/16")
        .send()
        .await
        .expect_err("already in progress")
        .into_service_error();
    assert!(err.is_invalid_resource_state_exception());
    eventually("COMPLETED", || async {
        let mods = client
            .describe_account_modifications()
            .send()
            .await
            .expect("mods");
        (mods.account_modifications()[0].modification_state()
            == Some(&DedicatedTenancyModificationStateEnum::Completed))
        .then_some(())
    })
    .await;
    let account = client.describe_account().send().await.expect("describe");
    assert_eq!(
        account.dedicated_tenancy_support(),
        Some(&DedicatedTenancySupportResultEnum::Enabled)
    );
    assert_eq!(
        account.dedicated_tenancy_management_cidr_range(),
        Some("172.16.0.0/16")
    );
}

#[tokio::test]
async fn a_failing_account_modification_reports_why() {
    let (_sim, client) = start(SimConfig {
        faults: Faults {
            fail_account_modification: true,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    client
        .modify_account()
        .dedicated_tenancy_support(DedicatedTenancySupportEnum::Enabled)
        .dedicated_tenancy_management_cidr_range("10.200.0.0/16")
        .send()
        .await
        .expect("modify");
    let failed = eventually("FAILED", || async {
        let mods = client
            .describe_account_modifications()
            .send()
            .await
            .expect("mods");
        mods.account_modifications()
            .first()
            .filter(|m| {
                m.modification_state() == Some(&DedicatedTenancyModificationStateEnum::Failed)
            })
            .cloned()
    })
    .await;
    assert!(failed.error_code().is_some() && failed.error_message().is_some());
    let account = client.describe_account().send().await.expect("describe");
    assert_eq!(
        account.dedicated_tenancy_support(),
        Some(&DedicatedTenancySupportResultEnum::Disabled)
    );
}

#[tokio::test]
async fn the_seeded_directory_is_registered() {
    let (_sim, client) = sim().await;
    let dirs = client
        .describe_workspace_directories()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("directories");
    assert_eq!(dirs.len(), 1);
    assert_eq!(dirs[0].directory_id(), Some(SEED_DIRECTORY_ID));
    assert_eq!(dirs[0].state(), Some(&WorkspaceDirectoryState::Registered));
    let none = client
        .describe_workspace_directories()
        .directory_ids("d-0000000000")
        .send()
        .await
        .expect("filtered");
    assert!(none.directories().is_empty());
    let err = client
        .describe_workspace_directories()
        .limit(30)
        .send()
        .await
        .expect_err("limit")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception());
}
