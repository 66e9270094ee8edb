//! `examples/environment.toml` from nothing: one apply makes the whole
//! environment in the graph's order, the next plan is empty, and destroy
//! takes it down in reverse, leaving the account as it was.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::harness::Bed;

const ENVIRONMENT: &str = include_str!("../../examples/environment.toml");
const DIRECTORY: &str = "d-2345678901";

/// What the account holds that an environment could leave behind.
#[derive(Debug, PartialEq)]
struct Account {
    registered: BTreeSet<String>,
    ip_groups: BTreeSet<String>,
    aliases: BTreeSet<String>,
    images: BTreeSet<String>,
    bundles: BTreeSet<String>,
    workspaces: usize,
}

async fn account(bed: &Bed) -> Account {
    let client = bed.client();
    let directories = client
        .describe_workspace_directories()
        .send()
        .await
        .expect("DescribeWorkspaceDirectories");
    let groups = client
        .describe_ip_groups()
        .send()
        .await
        .expect("DescribeIpGroups");
    let aliases = client
        .describe_connection_aliases()
        .send()
        .await
        .expect("DescribeConnectionAliases");
    let images = client
        .describe_workspace_images()
        .send()
        .await
        .expect("DescribeWorkspaceImages");
    let bundles = client
        .describe_workspace_bundles()
        .send()
        .await
        .expect("DescribeWorkspaceBundles");
    let workspaces = bed
        .workspaces()
        .await
        .iter()
        .filter(|(w, _)| w.state().is_some_and(|s| s.as_str() != "TERMINATED"))
        .count();
    let set = |items: Vec<Option<&str>>| items.into_iter().flatten().map(str::to_owned).collect();
    Account {
        registered: set(directories
            .directories()
            .iter()
            .map(|d| d.directory_id())
            .collect()),
        ip_groups: set(groups.result().iter().map(|g| g.group_name()).collect()),
        aliases: set(aliases
            .connection_aliases()
            .iter()
            .map(|a| a.connection_string())
            .collect()),
        images: set(images.images().iter().map(|i| i.image_id()).collect()),
        bundles: set(bundles.bundles().iter().map(|b| b.bundle_id()).collect()),
        workspaces,
    }
}

async fn log(bed: &Bed) -> Vec<String> {
    let log = bed.sim_http("GET", "/_sim/log").await;
    log["operations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Where `operation` first and last appears in `calls`.
fn span(calls: &[String], operation: &str) -> (usize, usize) {
    let first = calls.iter().position(|c| c == operation);
    let last = calls.iter().rposition(|c| c == operation);
    match (first, last) {
        (Some(first), Some(last)) => (first, last),
        _ => panic!("no {operation} in {calls:?}"),
    }
}

/// Every call of `before` was made before any call of `after`.
#[track_caller]
fn before(calls: &[String], before: &str, after: &str) {
    let (_, last) = span(calls, before);
    let (first, _) = span(calls, after);
    assert!(last < first, "{before} before {after}: {calls:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_environment_is_made_in_one_apply_and_destroyed_in_reverse() {
    let bed = Bed::new().await;
    let empty = account(&bed).await;
    bed.fleet(ENVIRONMENT);
    let valid = bed.wsctl(&["validate"]).await.success();
    assert!(
        valid.stdout.contains(
            "is valid: 30 WorkSpaces, 1 bundle, 1 image, 1 directory, 1 IP group, 1 connection alias (stack environment)"
        ),
        "{}",
        valid.stdout
    );

    let start = log(&bed).await.len();
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let made = &log(&bed).await[start..];
    before(made, "CreateIpGroup", "RegisterWorkspaceDirectory");
    before(
        made,
        "RegisterWorkspaceDirectory",
        "ModifySelfservicePermissions",
    );
    before(
        made,
        "RegisterWorkspaceDirectory",
        "ModifyWorkspaceAccessProperties",
    );
    before(made, "RegisterWorkspaceDirectory", "AssociateIpGroups");
    before(
        made,
        "RegisterWorkspaceDirectory",
        "AssociateConnectionAlias",
    );
    before(made, "CopyWorkspaceImage", "CreateWorkspaceBundle");
    before(made, "CopyWorkspaceImage", "UpdateWorkspaceImagePermission");
    before(made, "CreateWorkspaceBundle", "CreateWorkspaces");
    before(made, "AssociateIpGroups", "CreateWorkspaces");
    assert_eq!(
        made.iter().filter(|c| *c == "CreateWorkspaces").count(),
        2,
        "30 WorkSpaces in two calls"
    );

    let built = account(&bed).await;
    assert_eq!(built.workspaces, 30);
    assert!(built.registered.contains(DIRECTORY));
    assert!(built.ip_groups.contains("office"));
    assert!(built.aliases.contains("desktop.eng.example.com"));
    let client = bed.client();
    let listed = client
        .describe_workspaces()
        .directory_id(DIRECTORY)
        .send()
        .await
        .expect("DescribeWorkspaces");
    assert!(
        listed.workspaces().iter().all(|w| w
            .workspace_properties()
            .map(|p| p.protocols())
            .is_some_and(|p| p.iter().map(|p| p.as_str()).eq(["WSP"]))),
        "every WorkSpace on WSP"
    );
    let image = bed.image_named("golden").await;
    let shared = client
        .describe_workspace_image_permissions()
        .image_id(&image)
        .send()
        .await
        .expect("DescribeWorkspaceImagePermissions");
    assert_eq!(
        shared
            .image_permissions()
            .iter()
            .filter_map(|p| p.shared_account_id())
            .collect::<Vec<_>>(),
        ["111122223333"]
    );
    let directory = client
        .describe_workspace_directories()
        .directory_ids(DIRECTORY)
        .send()
        .await
        .expect("DescribeWorkspaceDirectories");
    let directory = &directory.directories()[0];
    assert_eq!(directory.ip_group_ids().len(), 1);
    let access = directory.workspace_access_properties().expect("access");
    assert_eq!(access.device_type_web().map(|a| a.as_str()), Some("DENY"));

    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();

    let start = log(&bed).await.len();
    bed.wsctl(&["destroy", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    let taken = &log(&bed).await[start..];
    before(taken, "TerminateWorkspaces", "DeregisterWorkspaceDirectory");
    before(
        taken,
        "DisassociateConnectionAlias",
        "DeregisterWorkspaceDirectory",
    );
    before(taken, "TerminateWorkspaces", "DeleteWorkspaceBundle");
    before(taken, "DeleteWorkspaceBundle", "DeleteWorkspaceImage");
    before(taken, "DeregisterWorkspaceDirectory", "DeleteIpGroup");
    before(
        taken,
        "DisassociateConnectionAlias",
        "DeleteConnectionAlias",
    );

    assert_eq!(account(&bed).await, empty, "the account as it was");
}
