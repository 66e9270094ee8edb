//! Connection aliases and image sharing through the binary: create,
//! associate and share; change in place; replace on a new connection
//! string; adopt an untagged alias; refuse another stack's; tear down in
//! order; `--target`.

use std::collections::BTreeSet;

use aws_sdk_workspaces::types::{AssociationStatus, ConnectionAlias, ConnectionAliasState};

use crate::harness::{Bed, DIRECTORY, STANDARD};
use crate::support::{eventually, tag};

const PARTNER: &str = "111122223333";
const AUDIT: &str = "444455556666";

fn fleet(body: &str) -> String {
    format!("[settings]\nstack = \"aliases\"\n\n{body}")
}

fn desktop(extra: &str) -> String {
    fleet(&format!(
        "[connection_aliases.desktop]\nconnection_string = \"desktop.example.com\"\n{extra}"
    ))
}

impl Bed {
    /// Every alias of the account, as DescribeConnectionAliases lists it.
    async fn aliases(&self) -> Vec<ConnectionAlias> {
        self.client()
            .describe_connection_aliases()
            .send()
            .await
            .expect("DescribeConnectionAliases")
            .connection_aliases()
            .to_vec()
    }

    async fn alias(&self, connection_string: &str) -> ConnectionAlias {
        self.aliases()
            .await
            .into_iter()
            .find(|a| a.connection_string() == Some(connection_string))
            .unwrap_or_else(|| panic!("no alias for {connection_string}"))
    }

    async fn alias_shared_with(&self, alias_id: &str) -> BTreeSet<String> {
        self.client()
            .describe_connection_alias_permissions()
            .alias_id(alias_id)
            .send()
            .await
            .expect("DescribeConnectionAliasPermissions")
            .connection_alias_permissions()
            .iter()
            .filter(|p| p.allow_association())
            .map(|p| p.shared_account_id().to_owned())
            .collect()
    }

    async fn image_shared_with(&self, image_id: &str) -> BTreeSet<String> {
        self.client()
            .describe_workspace_image_permissions()
            .image_id(image_id)
            .send()
            .await
            .expect("DescribeWorkspaceImagePermissions")
            .image_permissions()
            .iter()
            .filter_map(|p| p.shared_account_id().map(str::to_owned))
            .collect()
    }

    async fn alias_tags(&self, alias_id: &str) -> Vec<(String, String)> {
        self.client()
            .describe_tags()
            .resource_id(alias_id)
            .send()
            .await
            .expect("DescribeTags")
            .tag_list()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().unwrap_or_default().to_owned()))
            .collect()
    }

    /// An alias made by hand, outside any stack unless `tags` say so;
    /// CREATED before it returns.
    async fn alias_by_hand(&self, connection_string: &str, tags: &[(&str, &str)]) -> String {
        let id = self
            .client()
            .create_connection_alias()
            .connection_string(connection_string)
            .set_tags(Some(tags.iter().map(|(k, v)| tag(k, v)).collect()))
            .send()
            .await
            .expect("CreateConnectionAlias")
            .alias_id()
            .expect("an alias id")
            .to_owned();
        eventually("the alias CREATED", || async {
            let alias = self.alias(connection_string).await;
            (alias.state() == Some(&ConnectionAliasState::Created)).then_some(())
        })
        .await;
        id
    }
}

fn owner_association(alias: &ConnectionAlias) -> Option<(&str, &AssociationStatus)> {
    alias
        .associations()
        .iter()
        .find_map(|a| Some((a.resource_id()?, a.association_status()?)))
        .filter(|(_, status)| **status != AssociationStatus::NotAssociated)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alias_is_created_associated_and_shared_then_changed_in_place() {
    let bed = Bed::new().await;
    bed.fleet(&desktop(&format!(
        "directory_id = \"{DIRECTORY}\"\nshare_with = [\"{PARTNER}\"]\n"
    )));
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout.contains("+ connection_alias \"desktop\" {"),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let alias = bed.alias("desktop.example.com").await;
    let id = alias.alias_id().expect("an id").to_owned();
    assert_eq!(alias.state(), Some(&ConnectionAliasState::Created));
    assert_eq!(
        owner_association(&alias),
        Some((DIRECTORY, &AssociationStatus::AssociatedWithOwnerAccount))
    );
    assert_eq!(
        bed.alias_shared_with(&id).await,
        BTreeSet::from([PARTNER.to_owned()])
    );
    let tags = bed.alias_tags(&id).await;
    assert!(
        tags.contains(&("wsctl:stack".to_owned(), "aliases".to_owned())),
        "{tags:?}"
    );
    assert_eq!(bed.calls("CreateTags"), 0, "tagged in the create call");
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{again:#?}");

    // Left without a directory and shared with another account instead.
    bed.fleet(&desktop(&format!("share_with = [\"{AUDIT}\"]\n")));
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout.contains("~ connection_alias \"desktop\" {"),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let alias = bed.alias("desktop.example.com").await;
    assert_eq!(alias.alias_id(), Some(id.as_str()), "changed in place");
    assert_eq!(owner_association(&alias), None);
    assert_eq!(
        bed.alias_shared_with(&id).await,
        BTreeSet::from([AUDIT.to_owned()])
    );
    assert_eq!(bed.calls("UpdateConnectionAliasPermission"), 3);
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{again:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_connection_string_replaces_the_alias() {
    let bed = Bed::new().await;
    bed.fleet(&desktop(&format!("directory_id = \"{DIRECTORY}\"\n")));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let old = bed.alias("desktop.example.com").await;
    bed.fleet(&fleet(&format!(
        "[connection_aliases.desktop]\nconnection_string = \"vdi.example.com\"\ndirectory_id = \"{DIRECTORY}\"\n"
    )));
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout.contains("-/+ connection_alias \"desktop\" {"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains(
            "~ connection_string = \"desktop.example.com\" -> \"vdi.example.com\" # forces replacement"
        ),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let aliases = bed.aliases().await;
    assert!(
        aliases.iter().all(|a| a.alias_id() != old.alias_id()),
        "the old alias is gone: {aliases:?}"
    );
    let new = bed.alias("vdi.example.com").await;
    assert_eq!(
        owner_association(&new),
        Some((DIRECTORY, &AssociationStatus::AssociatedWithOwnerAccount))
    );
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{again:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untagged_alias_is_adopted_and_another_stacks_refused() {
    let bed = Bed::new().await;
    let id = bed.alias_by_hand("desktop.example.com", &[]).await;
    bed.fleet(&desktop(""));
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout.contains("& connection_alias \"desktop\" {"),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let tags = bed.alias_tags(&id).await;
    assert!(
        tags.contains(&("wsctl:name".to_owned(), "desktop".to_owned())),
        "{tags:?}"
    );
    assert_eq!(
        bed.calls("CreateConnectionAlias"),
        1,
        "only the one made by hand"
    );

    bed.alias_by_hand("lab.example.com", &[("wsctl:stack", "finance")])
        .await;
    bed.fleet(&fleet(
        "[connection_aliases.lab]\nconnection_string = \"lab.example.com\"\n",
    ));
    let refused = bed.wsctl(&["plan"]).await.failure();
    assert!(
        refused
            .stderr
            .contains("(lab.example.com) belongs to stack `finance`, not this one"),
        "{}",
        refused.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destroy_disassociates_and_deletes_aliases_after_the_workspaces_are_gone() {
    let bed = Bed::new().await;
    bed.fleet(&desktop(&format!(
        "directory_id = \"{DIRECTORY}\"\nshare_with = [\"{PARTNER}\"]\n\n[workspaces.alice]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{STANDARD}\"\n"
    )));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let plan = bed
        .wsctl(&["destroy", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    assert!(plan.stdout.contains("2 destroyed"), "{}", plan.stdout);
    assert!(bed.aliases().await.is_empty(), "{:?}", bed.aliases().await);
    assert!(bed.workspaces().await.is_empty());
    assert_eq!(bed.sim.stats().get("DeleteConnectionAlias").failed, 0);
    assert_eq!(bed.sim.stats().get("DisassociateConnectionAlias").failed, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_alias_is_planned_alone() {
    let bed = Bed::new().await;
    bed.fleet(&desktop(&format!(
        "\n[workspaces.alice]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{STANDARD}\"\n"
    )));
    let plan = bed
        .wsctl(&["plan", "--target", "connection_alias.desktop"])
        .await
        .success();
    assert!(
        plan.stdout.contains("+ connection_alias \"desktop\" {"),
        "{}",
        plan.stdout
    );
    assert!(
        !plan.stdout.contains("workspace \"alice\""),
        "{}",
        plan.stdout
    );
    bed.wsctl(&[
        "apply",
        "--auto-approve",
        "--target",
        "connection_alias.desktop",
    ])
    .await
    .success();
    assert_eq!(bed.aliases().await.len(), 1);
    assert!(bed.workspaces().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_is_shared_once_available_and_its_sharing_kept_in_line() {
    let bed = Bed::new().await;
    let image = "[images.golden]\ncopy = { source_region = \"us-west-2\", source_image_id = \"wsi-0abc123def\" }\n";
    bed.fleet(&fleet(&format!("{image}share_with = [\"{PARTNER}\"]\n")));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let id = bed.image_named("golden").await;
    assert_eq!(
        bed.image_shared_with(&id).await,
        BTreeSet::from([PARTNER.to_owned()])
    );
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{again:#?}");

    bed.fleet(&fleet(&format!("{image}share_with = [\"{AUDIT}\"]\n")));
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout.contains("- \"111122223333\","),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("+ \"444455556666\","),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert_eq!(
        bed.image_shared_with(&id).await,
        BTreeSet::from([AUDIT.to_owned()])
    );

    bed.wsctl(&["destroy", "--auto-approve"]).await.success();
    assert_eq!(bed.sim.stats().get("DeleteWorkspaceImage").failed, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_with_the_account_itself_is_refused_once_the_account_is_known() {
    let bed = Bed::new().await;
    bed.fleet(&desktop(""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.fleet(&desktop("share_with = [\"123456789012\"]\n"));
    let refused = bed.wsctl(&["plan"]).await.failure();
    assert!(
        refused
            .stderr
            .contains("`share_with` lists 123456789012, the account the connection alias is in"),
        "{}",
        refused.stderr
    );
    assert_eq!(bed.calls("UpdateConnectionAliasPermission"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_association_aws_refuses_names_the_alias_and_the_error() {
    let bed = Bed::new().await;
    bed.fleet(&desktop("directory_id = \"d-2345678901\"\n"));
    let run = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    assert!(
        run.stdout
            .contains("connection_alias.desktop: failed: AssociateConnectionAlias failed:"),
        "{}",
        run.stdout
    );
    let alias = bed.alias("desktop.example.com").await;
    assert_eq!(owner_association(&alias), None);
    // The alias is kept: the next plan only associates it.
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout.contains("~ connection_alias \"desktop\" {"),
        "{}",
        plan.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_rollout_shares_the_new_version_and_unshares_the_old_before_deleting_it() {
    let bed = Bed::new().await;
    bed.fleet(&fleet(&format!(
        "[images.golden]\ncopy = {{ source_region = \"us-west-2\", source_image_id = \"wsi-0abc123def\" }}\nauto_update = true\nshare_with = [\"{PARTNER}\"]\n"
    )));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let old = bed.image_named("golden").await;
    bed.publish_update(&old).await;
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout
            .contains(&format!("# image.golden (deposed {old}) will be destroyed")),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let new = bed.image_named("golden-v2").await;
    assert_eq!(
        bed.image_shared_with(&new).await,
        BTreeSet::from([PARTNER.to_owned()])
    );
    assert!(
        bed.sim_state().await["images"].get(&old).is_none(),
        "the old image is deleted"
    );
    assert_eq!(bed.sim.stats().get("DeleteWorkspaceImage").failed, 0);
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alias_shared_by_hand_since_the_plan_makes_it_stale() {
    let bed = Bed::new().await;
    bed.fleet(&desktop(&format!("share_with = [\"{PARTNER}\"]\n")));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.fleet(&desktop(&format!("share_with = [\"{AUDIT}\"]\n")));
    bed.wsctl(&["plan", "--out", "plan.json"]).await.success();
    let id = bed
        .alias("desktop.example.com")
        .await
        .alias_id()
        .expect("an id")
        .to_owned();
    let permission = aws_sdk_workspaces::types::ConnectionAliasPermission::builder()
        .shared_account_id(AUDIT)
        .allow_association(true)
        .build()
        .expect("a permission");
    bed.client()
        .update_connection_alias_permission()
        .alias_id(&id)
        .connection_alias_permission(permission)
        .send()
        .await
        .expect("UpdateConnectionAliasPermission");
    let before = bed.calls("UpdateConnectionAliasPermission");
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    assert!(run.stderr.contains("stale plan"), "{run:#?}");
    assert!(
        run.stderr.contains("connection_alias:desktop.example.com"),
        "{run:#?}"
    );
    assert_eq!(bed.calls("UpdateConnectionAliasPermission"), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_without_aliases_or_sharing_costs_no_call_for_them() {
    let bed = Bed::new().await;
    bed.fleet(&crate::harness::fleet_of("plain", 3, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.wsctl(&["plan"]).await.success();
    assert_eq!(bed.calls("DescribeConnectionAliases"), 0);
    assert_eq!(bed.calls("DescribeConnectionAliasPermissions"), 0);
    assert_eq!(bed.calls("DescribeWorkspaceImagePermissions"), 0);

    // Once the stack owns an alias, the Tagging API lists it and the plan
    // reads it: one listing and one permission read a plan.
    bed.fleet(&crate::harness::fleet_of(
        "plain",
        3,
        "\n[connection_aliases.desktop]\nconnection_string = \"desktop.example.com\"\n",
    ));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let (listed, read) = (
        bed.calls("DescribeConnectionAliases"),
        bed.calls("DescribeConnectionAliasPermissions"),
    );
    bed.wsctl(&["plan"]).await.success();
    assert_eq!(bed.calls("DescribeConnectionAliases") - listed, 1);
    assert_eq!(bed.calls("DescribeConnectionAliasPermissions") - read, 1);
}
