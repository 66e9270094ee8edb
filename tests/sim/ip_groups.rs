//! IP access control groups: rules, quotas, paging, tags, persistence.

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{IpRuleItem, WorkspacesIpGroup};
use wsctl::sim::SimConfig;

use crate::common::*;

fn rule(source: &str, description: &str) -> IpRuleItem {
    IpRuleItem::builder()
        .ip_rule(source)
        .rule_desc(description)
        .build()
}

/// `n` rules `10.0.{first+i}.0/24`.
fn rules(first: usize, n: usize) -> Vec<IpRuleItem> {
    (first..first + n)
        .map(|i| rule(&format!("10.0.{i}.0/24"), &format!("net {i}")))
        .collect()
}

async fn create_group(client: &Client, name: &str, rules: Vec<IpRuleItem>) -> String {
    client
        .create_ip_group()
        .group_name(name)
        .set_user_rules(Some(rules))
        .send()
        .await
        .expect("CreateIpGroup")
        .group_id()
        .expect("id")
        .to_owned()
}

async fn group(client: &Client, id: &str) -> WorkspacesIpGroup {
    let out = client
        .describe_ip_groups()
        .group_ids(id)
        .send()
        .await
        .expect("DescribeIpGroups");
    assert_eq!(out.result().len(), 1, "{out:?}");
    out.result()[0].clone()
}

fn sources(g: &WorkspacesIpGroup) -> Vec<&str> {
    g.user_rules().iter().filter_map(|r| r.ip_rule()).collect()
}

#[tokio::test]
async fn groups_are_created_described_changed_and_deleted() {
    let (_sim, client) = sim().await;
    let id = client
        .create_ip_group()
        .group_name("office")
        .group_desc("Office networks")
        .user_rules(rule("203.0.113.0/24", "office"))
        .user_rules(rule("198.51.100.7", "vpn"))
        .tags(tag("wsctl:stack", "eng"))
        .send()
        .await
        .expect("create")
        .group_id()
        .expect("id")
        .to_owned();
    assert!(id.starts_with("wsipg-") && id.len() == 15, "{id}");
    let g = group(&client, &id).await;
    assert_eq!(g.group_name(), Some("office"));
    assert_eq!(g.group_desc(), Some("Office networks"));
    assert_eq!(sources(&g), ["203.0.113.0/24", "198.51.100.7"]);
    assert_eq!(g.user_rules()[0].rule_desc(), Some("office"));
    let tags = client.describe_tags().resource_id(&id).send().await;
    assert_eq!(tags.expect("tags").tag_list().len(), 1);

    client
        .authorize_ip_rules()
        .group_id(&id)
        .user_rules(rule("192.0.2.0/24", "lab"))
        .send()
        .await
        .expect("authorize");
    assert_eq!(sources(&group(&client, &id).await).len(), 3);
    client
        .revoke_ip_rules()
        .group_id(&id)
        .user_rules("198.51.100.7")
        .send()
        .await
        .expect("revoke");
    assert_eq!(
        sources(&group(&client, &id).await),
        ["203.0.113.0/24", "192.0.2.0/24"]
    );
    let err = client
        .revoke_ip_rules()
        .group_id(&id)
        .user_rules("198.51.100.7")
        .send()
        .await
        .expect_err("not a rule of the group")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
    client
        .update_rules_of_ip_group()
        .group_id(&id)
        .user_rules(rule("10.1.0.0/16", "all"))
        .send()
        .await
        .expect("update");
    assert_eq!(sources(&group(&client, &id).await), ["10.1.0.0/16"]);

    client
        .delete_ip_group()
        .group_id(&id)
        .send()
        .await
        .expect("delete");
    let out = client.describe_ip_groups().send().await.expect("describe");
    assert!(out.result().is_empty());
    let err = client
        .delete_ip_group()
        .group_id(&id)
        .send()
        .await
        .expect_err("gone")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    let err = client
        .authorize_ip_rules()
        .group_id("wsipg-000000000")
        .user_rules(rule("10.2.0.0/16", "x"))
        .send()
        .await
        .expect_err("unknown group")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
}

#[tokio::test]
async fn rules_must_be_ipv4_ranges_within_the_quota() {
    let (_sim, client) = sim().await;
    for bad in ["203.0.113.0/33", "203.0.113", "2001:db8::/32", "office"] {
        let err = client
            .create_ip_group()
            .group_name("bad")
            .user_rules(rule(bad, "x"))
            .send()
            .await
            .expect_err(bad)
            .into_service_error();
        assert!(
            err.is_invalid_parameter_values_exception(),
            "{bad}: {err:?}"
        );
    }
    let err = client
        .create_ip_group()
        .group_name("many")
        .set_user_rules(Some(rules(0, 11)))
        .send()
        .await
        .expect_err("11 rules")
        .into_service_error();
    assert!(err.is_resource_limit_exceeded_exception(), "{err:?}");

    let id = create_group(&client, "full", rules(0, 9)).await;
    let err = client
        .authorize_ip_rules()
        .group_id(&id)
        .set_user_rules(Some(rules(9, 2)))
        .send()
        .await
        .expect_err("9 + 2 rules")
        .into_service_error();
    assert!(err.is_resource_limit_exceeded_exception(), "{err:?}");
    assert_eq!(sources(&group(&client, &id).await).len(), 9);
    client
        .authorize_ip_rules()
        .group_id(&id)
        .set_user_rules(Some(rules(9, 1)))
        .send()
        .await
        .expect("the tenth rule");
    let err = client
        .update_rules_of_ip_group()
        .group_id(&id)
        .set_user_rules(Some(rules(0, 11)))
        .send()
        .await
        .expect_err("11 rules")
        .into_service_error();
    assert!(err.is_resource_limit_exceeded_exception(), "{err:?}");
}

#[tokio::test]
async fn names_are_unique_groups_are_limited_and_listings_page() {
    let (_sim, client) = sim().await;
    let mut ids = Vec::new();
    for i in 0..100 {
        ids.push(create_group(&client, &format!("g{i:03}"), Vec::new()).await);
    }
    let err = client
        .create_ip_group()
        .group_name("g000")
        .send()
        .await
        .expect_err("same name")
        .into_service_error();
    assert!(err.is_resource_already_exists_exception(), "{err:?}");
    let err = client
        .create_ip_group()
        .group_name("g100")
        .send()
        .await
        .expect_err("101st group")
        .into_service_error();
    assert!(err.is_resource_limit_exceeded_exception(), "{err:?}");

    let mut seen = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let out = client
            .describe_ip_groups()
            .max_results(25)
            .set_next_token(token)
            .send()
            .await
            .expect("page");
        pages += 1;
        assert!(out.result().len() <= 25);
        seen.extend(
            out.result()
                .iter()
                .filter_map(|g| g.group_id())
                .map(str::to_owned),
        );
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 4);
    ids.sort();
    assert_eq!(seen, ids);
    let err = client
        .describe_ip_groups()
        .max_results(26)
        .send()
        .await
        .expect_err("page too large")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
}

#[tokio::test]
async fn groups_are_listed_by_the_tagging_api_and_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SimConfig {
        state_file: Some(dir.path().join("sim.json")),
        ..quick()
    };
    let (sim, client) = start(config.clone()).await;
    let id = client
        .create_ip_group()
        .group_name("office")
        .user_rules(rule("203.0.113.0/24", "office"))
        .tags(tag("wsctl:stack", "eng"))
        .send()
        .await
        .expect("create")
        .group_id()
        .expect("id")
        .to_owned();
    assert_eq!(
        arns_of_type(&sim, "workspaces:workspaceipgroup").await,
        [workspaces_arn(&format!("workspaceipgroup/{id}"))]
    );
    sim.shutdown().await;

    let (_sim, client) = start(config).await;
    let g = group(&client, &id).await;
    assert_eq!(g.group_name(), Some("office"));
    assert_eq!(sources(&g), ["203.0.113.0/24"]);
    let tags = client.describe_tags().resource_id(&id).send().await;
    assert_eq!(tags.expect("tags").tag_list().len(), 1);
}
