//! Connection aliases: asynchronous create/delete, association with a
//! registered directory, sharing, paging, tags, persistence.

use std::time::Duration;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    AssociationStatus, ConnectionAlias, ConnectionAliasPermission, ConnectionAliasState,
};
use wsctl::sim::{SEED_DIRECTORY_ID, SimConfig};

use crate::common::*;

/// A settle delay long enough to see the intermediate states.
fn slow() -> SimConfig {
    SimConfig {
        settle: Duration::from_millis(400),
        ..quick()
    }
}

async fn create_alias(client: &Client, text: &str) -> String {
    client
        .create_connection_alias()
        .connection_string(text)
        .send()
        .await
        .expect("CreateConnectionAlias")
        .alias_id()
        .expect("id")
        .to_owned()
}

async fn alias(client: &Client, id: &str) -> Option<ConnectionAlias> {
    let out = client
        .describe_connection_aliases()
        .alias_ids(id)
        .send()
        .await
        .expect("DescribeConnectionAliases");
    out.connection_aliases().first().cloned()
}

async fn wait_alias<F: Fn(Option<&ConnectionAlias>) -> bool>(
    client: &Client,
    id: &str,
    what: &str,
    done: F,
) {
    eventually(&format!("{id} {what}"), || async {
        done(alias(client, id).await.as_ref()).then_some(())
    })
    .await;
}

fn status(a: Option<&ConnectionAlias>) -> Option<AssociationStatus> {
    a?.associations().first()?.association_status().cloned()
}

async fn created(client: &Client, text: &str) -> String {
    let id = create_alias(client, text).await;
    wait_alias(client, &id, "to be CREATED", |a| {
        a.and_then(|a| a.state()) == Some(&ConnectionAliasState::Created)
    })
    .await;
    id
}

#[tokio::test]
async fn aliases_are_created_associated_disassociated_and_deleted() {
    let (_sim, client) = start(slow()).await;
    let id = client
        .create_connection_alias()
        .connection_string("desktop.example.com")
        .tags(tag("wsctl:stack", "eng"))
        .send()
        .await
        .expect("create")
        .alias_id()
        .expect("id")
        .to_owned();
    assert!(id.starts_with("wsca-") && id.len() == 14, "{id}");
    let a = alias(&client, &id).await.expect("listed");
    assert_eq!(a.state(), Some(&ConnectionAliasState::Creating));
    assert_eq!(a.connection_string(), Some("desktop.example.com"));
    assert_eq!(a.owner_account_id(), Some("123456789012"));
    assert!(a.associations().is_empty());
    let err = client
        .associate_connection_alias()
        .alias_id(&id)
        .resource_id(SEED_DIRECTORY_ID)
        .send()
        .await
        .expect_err("still creating")
        .into_service_error();
    assert!(err.is_invalid_resource_state_exception(), "{err:?}");
    wait_alias(&client, &id, "to be CREATED", |a| {
        a.and_then(|a| a.state()) == Some(&ConnectionAliasState::Created)
    })
    .await;

    let err = client
        .associate_connection_alias()
        .alias_id(&id)
        .resource_id("d-2345678901")
        .send()
        .await
        .expect_err("directory not registered")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    let identifier = client
        .associate_connection_alias()
        .alias_id(&id)
        .resource_id(SEED_DIRECTORY_ID)
        .send()
        .await
        .expect("associate")
        .connection_identifier()
        .expect("identifier")
        .to_owned();
    assert!(!identifier.is_empty() && identifier.len() <= 20);
    let a = alias(&client, &id).await.expect("listed");
    let assoc = &a.associations()[0];
    assert_eq!(
        assoc.association_status(),
        Some(&AssociationStatus::PendingAssociation)
    );
    assert_eq!(assoc.resource_id(), Some(SEED_DIRECTORY_ID));
    assert_eq!(assoc.connection_identifier(), Some(identifier.as_str()));
    let err = client
        .associate_connection_alias()
        .alias_id(&id)
        .resource_id(SEED_DIRECTORY_ID)
        .send()
        .await
        .expect_err("already associated")
        .into_service_error();
    assert!(err.is_resource_associated_exception(), "{err:?}");
    wait_alias(&client, &id, "to be associated", |a| {
        status(a) == Some(AssociationStatus::AssociatedWithOwnerAccount)
    })
    .await;
    let by_directory = client
        .describe_connection_aliases()
        .resource_id(SEED_DIRECTORY_ID)
        .send()
        .await
        .expect("by directory");
    assert_eq!(by_directory.connection_aliases().len(), 1);

    let err = client
        .delete_connection_alias()
        .alias_id(&id)
        .send()
        .await
        .expect_err("associated")
        .into_service_error();
    assert!(err.is_resource_associated_exception(), "{err:?}");
    let err = client
        .deregister_workspace_directory()
        .directory_id(SEED_DIRECTORY_ID)
        .send()
        .await
        .expect_err("alias associated")
        .into_service_error();
    assert!(err.is_invalid_resource_state_exception(), "{err:?}");

    client
        .disassociate_connection_alias()
        .alias_id(&id)
        .send()
        .await
        .expect("disassociate");
    assert_eq!(
        status(alias(&client, &id).await.as_ref()),
        Some(AssociationStatus::PendingDisassociation)
    );
    wait_alias(&client, &id, "to be disassociated", |a| {
        a.is_some_and(|a| a.associations().is_empty())
    })
    .await;
    let err = client
        .disassociate_connection_alias()
        .alias_id(&id)
        .send()
        .await
        .expect_err("not associated")
        .into_service_error();
    assert!(err.is_invalid_resource_state_exception(), "{err:?}");

    client
        .delete_connection_alias()
        .alias_id(&id)
        .send()
        .await
        .expect("delete");
    let a = alias(&client, &id).await.expect("listed while deleting");
    assert_eq!(a.state(), Some(&ConnectionAliasState::Deleting));
    wait_alias(&client, &id, "to be gone", |a| a.is_none()).await;
    let err = client
        .delete_connection_alias()
        .alias_id(&id)
        .send()
        .await
        .expect_err("gone")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    let err = client
        .describe_tags()
        .resource_id(&id)
        .send()
        .await
        .expect_err("tags gone")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
}

#[tokio::test]
async fn connection_strings_are_checked_unique_and_limited_and_listings_page() {
    let (_sim, client) = sim().await;
    let err = client
        .create_connection_alias()
        .connection_string("desktop_example.com")
        .send()
        .await
        .expect_err("bad character")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(create_alias(&client, &format!("desk{i}.example.com")).await);
    }
    let err = client
        .create_connection_alias()
        .connection_string("DESK0.example.com")
        .send()
        .await
        .expect_err("same string")
        .into_service_error();
    assert!(err.is_resource_already_exists_exception(), "{err:?}");
    let err = client
        .create_connection_alias()
        .connection_string("desk20.example.com")
        .send()
        .await
        .expect_err("21st alias")
        .into_service_error();
    assert!(err.is_resource_limit_exceeded_exception(), "{err:?}");

    let mut seen = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let out = client
            .describe_connection_aliases()
            .limit(8)
            .set_next_token(token)
            .send()
            .await
            .expect("page");
        pages += 1;
        seen.extend(
            out.connection_aliases()
                .iter()
                .filter_map(|a| a.alias_id())
                .map(str::to_owned),
        );
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn aliases_are_shared_with_other_accounts() {
    let (_sim, client) = sim().await;
    let id = created(&client, "desktop.example.com").await;
    for account in ["111122223333", "444455556666", "777788889999"] {
        client
            .update_connection_alias_permission()
            .alias_id(&id)
            .connection_alias_permission(
                ConnectionAliasPermission::builder()
                    .shared_account_id(account)
                    .allow_association(true)
                    .build()
                    .expect("permission"),
            )
            .send()
            .await
            .expect("share");
    }
    client
        .update_connection_alias_permission()
        .alias_id(&id)
        .connection_alias_permission(
            ConnectionAliasPermission::builder()
                .shared_account_id("444455556666")
                .allow_association(false)
                .build()
                .expect("permission"),
        )
        .send()
        .await
        .expect("unshare");
    let first = client
        .describe_connection_alias_permissions()
        .alias_id(&id)
        .max_results(1)
        .send()
        .await
        .expect("permissions");
    assert_eq!(first.alias_id(), Some(id.as_str()));
    let second = client
        .describe_connection_alias_permissions()
        .alias_id(&id)
        .max_results(1)
        .set_next_token(first.next_token().map(str::to_owned))
        .send()
        .await
        .expect("second page");
    assert_eq!(second.next_token(), None);
    let shared: Vec<&str> = first
        .connection_alias_permissions()
        .iter()
        .chain(second.connection_alias_permissions())
        .map(|p| p.shared_account_id())
        .collect();
    assert_eq!(shared, ["111122223333", "777788889999"]);

    for (account, what) in [("123456789012", "the owner"), ("1111", "not an account")] {
        let err = client
            .update_connection_alias_permission()
            .alias_id(&id)
            .connection_alias_permission(
                ConnectionAliasPermission::builder()
                    .shared_account_id(account)
                    .allow_association(true)
                    .build()
                    .expect("permission"),
            )
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
        .describe_connection_alias_permissions()
        .alias_id("wsca-000000000")
        .send()
        .await
        .expect_err("unknown alias")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
}

#[tokio::test]
async fn aliases_are_listed_by_the_tagging_api_and_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SimConfig {
        state_file: Some(dir.path().join("sim.json")),
        ..slow()
    };
    let (sim, client) = start(config.clone()).await;
    let id = client
        .create_connection_alias()
        .connection_string("desktop.example.com")
        .tags(tag("wsctl:stack", "eng"))
        .send()
        .await
        .expect("create")
        .alias_id()
        .expect("id")
        .to_owned();
    assert_eq!(
        arns_of_type(&sim, "workspaces:connectionalias").await,
        [workspaces_arn(&format!("connectionalias/{id}"))]
    );
    sim.shutdown().await;

    let (_sim, client) = start(config).await;
    wait_alias(&client, &id, "to be CREATED after the restart", |a| {
        a.and_then(|a| a.state()) == Some(&ConnectionAliasState::Created)
    })
    .await;
    let tags = client.describe_tags().resource_id(&id).send().await;
    assert_eq!(tags.expect("tags").tag_list().len(), 1);
}
