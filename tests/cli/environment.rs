//! `[ip_groups]` and `[directories]` through the binary: registration with
//! its settings and IP group, changes in place, the refusals, adoption,
//! another stack's group, and teardown in order.

use aws_sdk_workspaces::types::{Tag, WorkspaceDirectory};

use crate::harness::{Bed, DIRECTORY, STANDARD};

const ENG: &str = "d-2345678901";

/// An IP group, the eng directory registered with it, and two WorkSpaces
/// in that directory.
fn environment(stack: &str) -> String {
    format!(
        r#"[settings]
stack = "{stack}"

[ip_groups.office]
description = "Head office"
rules = [{{ source = "203.0.113.0/24", description = "office" }}]

[directories.eng]
directory_id = "{ENG}"
subnet_ids = ["subnet-0e1b2c3d4e5f60718", "subnet-0e2b2c3d4e5f60719"]
enable_self_service = true
ip_groups = ["office"]

[directories.eng.self_service_permissions]
restart_workspace = true
rebuild_workspace = false

[directories.eng.access]
web = "deny"

[directories.eng.client]
reconnect = false

[defaults.workspace]
directory_id = "{ENG}"
bundle = "{STANDARD}"

[workspaces.alice]
[workspaces.bob]
"#
    )
}

async fn directory(bed: &Bed, id: &str) -> Option<WorkspaceDirectory> {
    let out = bed
        .client()
        .describe_workspace_directories()
        .directory_ids(id)
        .send()
        .await
        .expect("DescribeWorkspaceDirectories");
    out.directories().first().cloned()
}

async fn group_ids(bed: &Bed) -> Vec<(String, String)> {
    let out = bed
        .client()
        .describe_ip_groups()
        .send()
        .await
        .expect("DescribeIpGroups");
    out.result()
        .iter()
        .map(|g| {
            (
                g.group_name().unwrap_or_default().to_owned(),
                g.group_id().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn tags_of(bed: &Bed, id: &str) -> Vec<(String, String)> {
    let out = bed
        .client()
        .describe_tags()
        .resource_id(id)
        .send()
        .await
        .expect("DescribeTags");
    out.tag_list()
        .iter()
        .map(|t| (t.key().to_owned(), t.value().unwrap_or_default().to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_environment_is_registered_changed_in_place_and_torn_down_in_order() {
    let bed = Bed::new().await;
    bed.fleet(&environment("env"));
    let plan = bed.wsctl(&["plan"]).await.success();
    insta::assert_snapshot!("environment_plan", bed.masked(&plan.stdout));
    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        apply.stdout.contains("Apply complete! 4 added"),
        "{}",
        apply.stdout
    );
    let registered = directory(&bed, ENG).await.expect("eng registered");
    assert_eq!(registered.state().map(|s| s.as_str()), Some("REGISTERED"));
    let groups = group_ids(&bed).await;
    let office = groups
        .iter()
        .find(|(name, _)| name == "office")
        .map(|(_, id)| id.clone())
        .expect("office created");
    assert_eq!(registered.ip_group_ids(), [office]);
    assert_eq!(
        registered
            .workspace_access_properties()
            .and_then(|a| a.device_type_web())
            .map(|v| v.as_str()),
        Some("DENY")
    );
    assert!(
        tags_of(&bed, ENG)
            .await
            .contains(&("wsctl:stack".to_owned(), "env".to_owned()))
    );
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "a second plan is empty: {again:#?}");

    // In place: a rule more, the web allowed, a new creation default.
    let changed = environment("env")
        .replace(
            r#"rules = [{ source = "203.0.113.0/24", description = "office" }]"#,
            r#"rules = [{ source = "203.0.113.0/24", description = "office" }, { source = "198.51.100.7" }]"#,
        )
        .replace("web = \"deny\"", "web = \"allow\"\n\n[directories.eng.creation]\nenable_internet_access = true");
    bed.fleet(&changed);
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout
            .contains("ip_group.office will be updated in place")
            && plan
                .stdout
                .contains("directory.eng will be updated in place")
            && plan
                .stdout
                .contains("apply only to WorkSpaces created from now on"),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert_eq!(bed.calls("UpdateRulesOfIpGroup"), 1);
    assert_eq!(bed.calls("ModifyWorkspaceAccessProperties"), 2);
    assert_eq!(bed.calls("ModifyWorkspaceCreationProperties"), 1);
    assert_eq!(bed.calls("ModifySelfservicePermissions"), 1, "unchanged");
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{again:#?}");

    // Subnets are set at registration, and the directory has WorkSpaces.
    bed.fleet(&changed.replace("subnet-0e2b2c3d4e5f60719", "subnet-0a1b2c3d4e5f60718"));
    let refused = bed.wsctl(&["plan"]).await.failure();
    assert!(
        refused
            .stderr
            .contains("AWS deregisters only a directory without WorkSpaces"),
        "{}",
        refused.stderr
    );

    // Teardown: refused without --allow-data-loss, then in order.
    bed.fleet(&changed);
    let refused = bed.wsctl(&["destroy", "--auto-approve"]).await.failure();
    assert!(
        refused.stderr.contains("directory.eng"),
        "{}",
        refused.stderr
    );
    assert_eq!(bed.calls("TerminateWorkspaces"), 0);
    bed.wsctl(&["destroy", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    assert!(directory(&bed, ENG).await.is_none(), "deregistered");
    assert!(group_ids(&bed).await.is_empty(), "office deleted");
    assert!(bed.workspaces().await.is_empty());
    assert_eq!(bed.calls("DeregisterWorkspaceDirectory"), 1);
    assert_eq!(bed.calls("DeleteIpGroup"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destroy_plans_terminations_then_deregistration_then_group_deletion() {
    let bed = Bed::new().await;
    bed.fleet(&environment("order"));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.fleet("[settings]\nstack = \"order\"\n");
    let json = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let waves: Vec<Vec<String>> = plan["order"]
        .as_array()
        .expect("waves")
        .iter()
        .map(|wave| {
            wave["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .map(|a| a.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .collect();
    let wave_of = |address: &str| {
        waves
            .iter()
            .position(|w| w.iter().any(|a| a == address))
            .unwrap_or_else(|| panic!("{address} in {waves:?}"))
    };
    assert!(wave_of("workspace.alice") < wave_of("directory.eng"));
    assert!(wave_of("workspace.bob") < wave_of("directory.eng"));
    assert!(wave_of("directory.eng") < wave_of("ip_group.office"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registered_untagged_directory_is_adopted_and_another_stacks_group_is_a_conflict() {
    let bed = Bed::new().await;
    bed.fleet(&format!(
        "[settings]\nstack = \"adopt\"\n\n[directories.main]\ndirectory_id = \"{DIRECTORY}\"\n"
    ));
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout.contains("directory.main will be adopted"),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        tags_of(&bed, DIRECTORY)
            .await
            .contains(&("wsctl:name".to_owned(), "main".to_owned()))
    );
    assert_eq!(bed.calls("RegisterWorkspaceDirectory"), 0);
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{again:#?}");

    let tag = Tag::builder()
        .key("wsctl:stack")
        .value("finance")
        .build()
        .expect("tag");
    bed.client()
        .create_ip_group()
        .group_name("office")
        .tags(tag)
        .send()
        .await
        .expect("CreateIpGroup");
    bed.fleet(&format!(
        "[settings]\nstack = \"adopt\"\n\n[directories.main]\ndirectory_id = \"{DIRECTORY}\"\n\n[ip_groups.office]\n"
    ));
    let refused = bed.wsctl(&["plan"]).await.failure();
    assert!(
        refused
            .stderr
            .contains("belongs to stack `finance`, not this one"),
        "{}",
        refused.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_subnets_re_register_an_empty_directory_only_with_allow_data_loss() {
    let bed = Bed::new().await;
    let first = format!(
        "[settings]\nstack = \"move\"\n\n[directories.eng]\ndirectory_id = \"{ENG}\"\nsubnet_ids = [\"subnet-0e1b2c3d4e5f60718\", \"subnet-0e2b2c3d4e5f60719\"]\n\n[directories.eng.access]\nweb = \"deny\"\n"
    );
    bed.fleet(&first);
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let moved = first.replace("subnet-0e2b2c3d4e5f60719", "subnet-0f1e2d3c4b5a69788");
    bed.fleet(&moved);
    let plan = bed.wsctl(&["plan"]).await.success();
    insta::assert_snapshot!("directory_re_registration_plan", bed.masked(&plan.stdout));
    let refused = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    assert!(
        refused.stderr.contains(
            "refusing to lose user data without --allow-data-loss: directory.eng (replaced)"
        ),
        "{}",
        refused.stderr
    );
    assert_eq!(bed.calls("DeregisterWorkspaceDirectory"), 0);
    bed.wsctl(&["apply", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    let registered = directory(&bed, ENG).await.expect("registered again");
    assert_eq!(
        registered.subnet_ids(),
        ["subnet-0e1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
    );
    assert_eq!(bed.calls("DeregisterWorkspaceDirectory"), 1);
    assert_eq!(bed.calls("RegisterWorkspaceDirectory"), 2);
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "the settings came back with it: {again:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_targeted_directory_plans_its_ip_group_and_not_its_workspaces() {
    let bed = Bed::new().await;
    bed.fleet(&environment("target"));
    let json = bed
        .wsctl(&["plan", "--format", "json", "--target", "directory.eng"])
        .await
        .success();
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let addresses: Vec<&str> = plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["address"].as_str())
        .collect();
    assert_eq!(addresses, ["ip_group.office", "directory.eng"]);
    assert_eq!(plan["left_out"], 2, "{}", json.stdout);
}
