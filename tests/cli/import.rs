//! `wsctl import` end to end: an account made outside wsctl through the SDK
//! is written as a fleet file that validates, plans as adoptions only,
//! applies, and then plans empty.

use std::time::Duration;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    Compute, ComputeType, ConnectionAliasPermission, ConnectionAliasState, IpRuleItem, RootStorage,
    RunningMode, UserStorage, WorkspaceProperties, WorkspaceRequest,
};
use futures::future::join_all;
use serde_json::Value;
use wsctl::sim::SimConfig;

use crate::harness::{Bed, DIRECTORY};
use crate::support::{STANDARD_BUNDLE, eventually, quick, tag};

const USERS: usize = 300;
const POWER_BUNDLE: &str = "wsb-w10power0";
/// Tagged as another stack's.
const FINANCE: [usize; 3] = [10, 20, 30];
/// Terminated before the import.
const LEAVING: [usize; 4] = [40, 50, 60, 70];
/// The account the image and the alias are shared with.
const PARTNER: &str = "111122223333";

/// Long enough that the terminated WorkSpaces are still TERMINATING when
/// the file is written, short enough to wait for AVAILABLE.
fn slow_enough() -> SimConfig {
    SimConfig {
        settle: Duration::from_secs(5),
        ..quick()
    }
}

/// The request for user `i`: three bundles, two running modes, two volume
/// sizes, three sets of tags; a few tagged as stack `finance`'s.
fn request(i: usize, custom_bundle: &str) -> WorkspaceRequest {
    let bundle = match i % 10 {
        0..6 => STANDARD_BUNDLE,
        6..8 => POWER_BUNDLE,
        _ => custom_bundle,
    };
    let mut properties = WorkspaceProperties::builder();
    properties = if i.is_multiple_of(7) {
        properties.running_mode(RunningMode::AlwaysOn)
    } else {
        properties
            .running_mode(RunningMode::AutoStop)
            .running_mode_auto_stop_timeout_in_minutes(60)
    };
    if bundle == STANDARD_BUNDLE && i.is_multiple_of(5) {
        properties = properties.user_volume_size_gib(100);
    }
    let mut tags = match i % 3 {
        0 => vec![tag("team", "eng")],
        1 => vec![tag("team", "ops"), tag("cost-center", "42")],
        _ => Vec::new(),
    };
    if FINANCE.contains(&i) {
        tags.push(tag("wsctl:stack", "finance"));
        tags.push(tag("wsctl:name", &format!("user{i:03}")));
    }
    WorkspaceRequest::builder()
        .directory_id(DIRECTORY)
        .user_name(format!("user{i:03}"))
        .bundle_id(bundle)
        .workspace_properties(properties.build())
        .set_tags(Some(tags))
        .build()
        .expect("request")
}

/// A copied image, a custom bundle, and 300 WorkSpaces, as a console or a
/// script would make them; four of them terminating.
async fn account_made_by_hand(client: &Client) {
    let image = client
        .copy_workspace_image()
        .name("win11-golden")
        .description("Golden Windows 11")
        .source_image_id("wsi-0abc123def")
        .source_region("us-west-2")
        .tags(tag("os", "win11"))
        .send()
        .await
        .expect("CopyWorkspaceImage")
        .image_id
        .expect("image id");
    let bundle = client
        .create_workspace_bundle()
        .bundle_name("eng-desktop")
        .bundle_description("Engineering desktop")
        .image_id("wsi-w10srv22a")
        .compute_type(ComputeType::builder().name(Compute::Standard).build())
        .root_storage(RootStorage::builder().capacity("80").build().expect("root"))
        .user_storage(UserStorage::builder().capacity("50").build().expect("user"))
        .send()
        .await
        .expect("CreateWorkspaceBundle")
        .workspace_bundle
        .and_then(|b| b.bundle_id)
        .expect("bundle id");
    let requests: Vec<WorkspaceRequest> = (0..USERS).map(|i| request(i, &bundle)).collect();
    let created = join_all(requests.chunks(25).map(|chunk| {
        client
            .create_workspaces()
            .set_workspaces(Some(chunk.to_vec()))
            .send()
    }))
    .await;
    let mut ids = Vec::new();
    for output in created {
        let output = output.expect("CreateWorkspaces");
        assert!(output.failed_requests().is_empty(), "{output:?}");
        ids.extend(
            output
                .pending_requests()
                .iter()
                .filter_map(|w| Some((w.user_name()?.to_owned(), w.workspace_id()?.to_owned()))),
        );
    }
    eventually("every WorkSpace AVAILABLE", || async {
        let pages: Vec<_> = client
            .describe_workspaces()
            .directory_id(DIRECTORY)
            .into_paginator()
            .items()
            .send()
            .collect()
            .await;
        let available = pages
            .iter()
            .filter(|w| {
                w.as_ref()
                    .is_ok_and(|w| w.state().is_some_and(|s| s.as_str() == "AVAILABLE"))
            })
            .count();
        (available == USERS).then_some(())
    })
    .await;
    environment_made_by_hand(client, &image).await;
    let leaving: Vec<String> = LEAVING
        .iter()
        .filter_map(|i| {
            let user = format!("user{i:03}");
            ids.iter()
                .find(|(u, _)| *u == user)
                .map(|(_, id)| id.clone())
        })
        .collect();
    let requests = leaving.iter().map(|id| {
        aws_sdk_workspaces::types::TerminateRequest::builder()
            .workspace_id(id)
            .build()
            .expect("terminate request")
    });
    client
        .terminate_workspaces()
        .set_terminate_workspace_requests(Some(requests.collect()))
        .send()
        .await
        .expect("TerminateWorkspaces");
}

/// An IP group associated with the seeded directory, another stack's IP
/// group, an alias associated with the directory and shared, and the
/// copied image shared, once it is AVAILABLE.
async fn environment_made_by_hand(client: &Client, image: &str) {
    let office = client
        .create_ip_group()
        .group_name("office")
        .group_desc("Head office")
        .user_rules(
            IpRuleItem::builder()
                .ip_rule("203.0.113.0/24")
                .rule_desc("3rd floor")
                .build(),
        )
        .tags(tag("site", "hq"))
        .send()
        .await
        .expect("CreateIpGroup")
        .group_id
        .expect("group id");
    client
        .associate_ip_groups()
        .directory_id(DIRECTORY)
        .group_ids(&office)
        .send()
        .await
        .expect("AssociateIpGroups");
    client
        .create_ip_group()
        .group_name("finance-vpn")
        .tags(tag("wsctl:stack", "finance"))
        .tags(tag("wsctl:name", "finance-vpn"))
        .send()
        .await
        .expect("CreateIpGroup");
    let alias = client
        .create_connection_alias()
        .connection_string("desktop.example.com")
        .tags(tag("team", "it"))
        .send()
        .await
        .expect("CreateConnectionAlias")
        .alias_id
        .expect("alias id");
    eventually("the alias CREATED", || async {
        let described = client
            .describe_connection_aliases()
            .alias_ids(&alias)
            .send()
            .await
            .ok()?;
        let state = described.connection_aliases().first()?.state()?.clone();
        (state == ConnectionAliasState::Created).then_some(())
    })
    .await;
    client
        .associate_connection_alias()
        .alias_id(&alias)
        .resource_id(DIRECTORY)
        .send()
        .await
        .expect("AssociateConnectionAlias");
    client
        .update_connection_alias_permission()
        .alias_id(&alias)
        .connection_alias_permission(
            ConnectionAliasPermission::builder()
                .shared_account_id(PARTNER)
                .allow_association(true)
                .build()
                .expect("permission"),
        )
        .send()
        .await
        .expect("UpdateConnectionAliasPermission");
    eventually("the image shared", || async {
        client
            .update_workspace_image_permission()
            .image_id(image)
            .allow_copy_image(true)
            .shared_account_id(PARTNER)
            .send()
            .await
            .ok()
    })
    .await;
}

/// What editors check the file by: `schema/fleet.schema.json`.
fn assert_valid_by_the_schema(text: &str) {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/fleet.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema).expect("the schema")).expect("JSON");
    let document: Value = toml::from_str(text).expect("TOML");
    let validator = jsonschema::validator_for(&schema).expect("a JSON Schema");
    let problems: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert_eq!(problems, Vec::<String>::new());
}

fn summary(plan: &str) -> Value {
    let plan: Value = serde_json::from_str(plan).expect("a JSON plan");
    plan["summary"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_made_by_hand_is_imported_adopted_and_then_left_alone() {
    let bed = Bed::with(slow_enough()).await;
    account_made_by_hand(&bed.client()).await;

    let first = bed
        .wsctl(&["import", "--stack", "eng", "-o", "fleet.toml"])
        .await
        .success();
    assert_eq!(first.stdout, "");
    assert!(
        first
            .stderr
            .starts_with("Wrote fleet.toml: 293 WorkSpaces, 1 bundle, 2 images, 1 directory, 1 IP group, 1 connection alias; 8 left out"),
        "{}",
        first.stderr
    );
    let text = std::fs::read_to_string(bed.path("fleet.toml")).expect("the file");
    // One line a WorkSpace, against about ten for a table with every
    // attribute; the directory's seven settings tables are some 40 lines.
    let lines = text.lines().count();
    assert!(lines < 293 + 110, "{lines} lines:\n{text}");
    for i in FINANCE {
        assert!(
            text.contains(&format!(
                "(user user{i:03} in {DIRECTORY}): owned by stack `finance`"
            )),
            "{text}"
        );
    }
    for i in LEAVING {
        assert!(
            text.contains(&format!("(user user{i:03} in {DIRECTORY}): TERMINATING")),
            "{text}"
        );
    }
    assert!(text.contains("\n[images.win11-golden]\nexisting = true\ndescription = \"Golden Windows 11\"\nshare_with = [\"111122223333\"]\ntags = { os = \"win11\" }\n"), "{text}");
    assert!(text.contains("\n[ip_groups.office]\ndescription = \"Head office\"\nrules = [{ source = \"203.0.113.0/24\", description = \"3rd floor\" }]\ntags = { site = \"hq\" }\n"), "{text}");
    assert!(
        text.contains("(finance-vpn): owned by stack `finance`"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "\n[directories.{DIRECTORY}]\ndirectory_id = \"{DIRECTORY}\"\nsubnet_ids = [\"subnet-0a1b2c3d4e5f60718\", \"subnet-0f1e2d3c4b5a69788\"]\n"
        )),
        "{text}"
    );
    assert!(text.contains("\nip_groups = [\"office\"]\n"), "{text}");
    assert!(text.contains(&format!("\n[connection_aliases.\"desktop.example.com\"]\nconnection_string = \"desktop.example.com\"\ndirectory_id = \"{DIRECTORY}\"\nshare_with = [\"{PARTNER}\"]\ntags = {{ team = \"it\" }}\n")), "{text}");
    assert!(
        text.contains(
            "\n[bundles.eng-desktop]\nimage = \"wsi-w10srv22a\"\ncompute_type = \"STANDARD\"\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\nuser009 = { bundle = \"eng-desktop\""),
        "{text}"
    );

    // The same account gives the same file, to a file or to stdout.
    bed.wsctl(&["import", "--stack", "eng", "-o", "again.toml"])
        .await
        .success();
    let again = std::fs::read_to_string(bed.path("again.toml")).expect("the file");
    assert_eq!(again, text);
    let stdout = bed.wsctl(&["import", "--stack", "eng"]).await.success();
    assert_eq!(stdout.stdout, text);
    let dash = bed
        .wsctl(&["import", "--stack", "eng", "-o", "-"])
        .await
        .success();
    assert_eq!(dash.stdout, text);
    let refused = bed
        .wsctl(&["import", "--stack", "eng", "-o", "fleet.toml"])
        .await
        .failure();
    assert!(
        refused
            .stderr
            .contains("fleet.toml exists; nothing was written"),
        "{}",
        refused.stderr
    );

    bed.wsctl(&["validate"]).await.success();
    assert_valid_by_the_schema(&text);
    let plan = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let counts = summary(&plan.stdout);
    for action in ["create", "update", "migrate", "replace", "delete", "heal"] {
        assert_eq!(counts[action], 0, "{action}: {counts}");
    }
    // 293 WorkSpaces, the bundle, the image and the seeded account's own,
    // the directory, the IP group and the alias.
    assert_eq!(counts["adopt"], 299, "{counts}");
    let plan: Value = serde_json::from_str(&plan.stdout).expect("JSON");
    let operations: Vec<&str> = plan["order"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|step| step["calls"].as_array().into_iter().flatten())
        .filter_map(|call| call["operation"].as_str())
        .collect();
    assert!(
        operations.iter().all(|op| *op == "CreateTags"),
        "{operations:?}"
    );

    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let after = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert!(after.stdout.contains("No changes"), "{}", after.stdout);

    // Now the stack's own: written again only with --include-owned, under
    // the same names.
    bed.wsctl(&[
        "import",
        "--stack",
        "eng",
        "--include-owned",
        "-o",
        "owned.toml",
    ])
    .await
    .success();
    let owned = std::fs::read_to_string(bed.path("owned.toml")).expect("the file");
    let body = |text: &str| text[text.find("\n[settings]").expect("settings")..].to_owned();
    assert_eq!(body(&owned), body(&text));
}

#[tokio::test]
async fn a_directory_that_is_not_registered_is_refused() {
    let bed = Bed::new().await;
    let run = bed
        .wsctl(&["import", "--directory", "d-0000000001", "-o", "fleet.toml"])
        .await
        .failure();
    assert!(
        run.stderr.contains(
            "d-0000000001 is not registered in [endpoint]"
                .replace("[endpoint]", &bed.sim.url())
                .as_str()
        ),
        "{}",
        run.stderr
    );
    assert!(!bed.path("fleet.toml").exists());
}

/// Without the Tagging API every tag is read with DescribeTags, and the
/// file is the same; a tagged WorkSpace costs no DescribeTags when it is
/// there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_are_read_in_bulk_or_one_by_one_to_the_same_file() {
    let denied = Bed::with(SimConfig {
        faults: wsctl::sim::Faults {
            tagging_access_denied: true,
            ..wsctl::sim::Faults::default()
        },
        ..quick()
    })
    .await;
    let bulk = Bed::new().await;
    for bed in [&denied, &bulk] {
        bed.create_by_hand("alice", &[("team", "eng")]).await;
        bed.create_by_hand("bob", &[("team", "ops")]).await;
        bed.create_by_hand("carol", &[]).await;
    }

    let before = bulk.sim.stats();
    let read = bulk.wsctl(&["import", "--stack", "eng"]).await.success();
    let calls = bulk.sim.stats().requests_since(&before);
    // carol, the seeded image and the seeded directory carry no tag: the
    // Tagging API does not list them.
    assert_eq!(calls.get("DescribeTags"), Some(&3), "{calls:?}");
    assert_eq!(calls.get("GetResources"), Some(&1), "{calls:?}");
    assert!(
        read.stdout.ends_with(
            "\n[workspaces]\nalice = { tags = { team = \"eng\" } }\nbob = { tags = { team = \"ops\" } }\ncarol = {}\n"
        ),
        "{}",
        read.stdout
    );

    let fallback = denied.wsctl(&["import", "--stack", "eng"]).await.success();
    assert!(
        fallback
            .stderr
            .starts_with("note: GetResources failed: AccessDeniedException"),
        "{}",
        fallback.stderr
    );
    let per_resource = bulk
        .wsctl(&["import", "--stack", "eng", "--tag-reads", "per-resource"])
        .await
        .success();
    assert_eq!(per_resource.stdout, read.stdout);
    assert_eq!(fallback.stdout, read.stdout);
}
