//! Images, custom bundles, BYOL and migration end to end: the `wsctl` binary
//! against the simulator, which refuses a wrong order (an image deleted while
//! a bundle uses it, a BYOL import before BYOL is on).

use crate::harness::{Bed, DIRECTORY, quick};
use wsctl::sim::{Faults, SimConfig};

/// BYOL, an imported image, a copied image, an updated image, two bundles
/// and 30 WorkSpaces.
fn bootstrap() -> String {
    let mut text = format!(
        r#"[settings]
stack = "pipeline"

[account]
byol = true
management_cidr = "10.200.0.0/16"

[images.win11-byol]
import = {{ ec2_image_id = "ami-0123456789abcdef0", ingestion_process = "BYOL_REGULAR_WSP" }}
description = "Windows 11 BYOL"

[images.win11-copy]
copy = {{ source_region = "us-west-2", source_image_id = "wsi-0abc123def" }}

[images.legacy-updated]
update_of = "wsi-legacy001"

[bundles.dev]
image = "win11-byol"
compute_type = "POWER"
root_volume_gib = 175
user_volume_gib = 100

[bundles.analyst]
image = "win11-copy"
compute_type = "STANDARD"
root_volume_gib = 80
user_volume_gib = 50

[defaults.workspace]
directory_id = "{DIRECTORY}"
bundle = "dev"
"#
    );
    for i in 0..20 {
        text.push_str(&format!("[workspaces.dev{i:02}]\n"));
    }
    for i in 0..10 {
        text.push_str(&format!(
            "[workspaces.analyst{i:02}]\nbundle = \"analyst\"\n"
        ));
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_byol_environment_is_bootstrapped_and_torn_down_in_one_apply_each() {
    let bed = Bed::new().await;
    bed.fleet(&bootstrap());
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(plan.stdout.contains("~ account {"), "{}", plan.stdout);
    assert!(
        plan.stdout
            .contains("ImportWorkspaceImage brings in ami-0123456789abcdef0")
    );
    assert!(
        plan.stdout
            .contains("CopyWorkspaceImage copies wsi-0abc123def from us-west-2")
    );
    assert!(
        plan.stdout
            .contains("CreateUpdatedWorkspaceImage makes it from wsi-legacy001")
    );
    assert!(
        plan.stdout
            .contains("\nPlan: 35 to add, 1 to change, 0 to replace, 0 to destroy, 0 to adopt.\n"),
        "{}",
        plan.stdout
    );

    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        apply.stdout.contains("Apply complete! 35 added, 1 changed"),
        "{}",
        apply.stdout
    );
    assert_eq!(bed.calls("ModifyAccount"), 1);
    assert_eq!(bed.calls("CreateWorkspaceBundle"), 2);
    assert_eq!(
        bed.calls("CreateWorkspaces"),
        2,
        "20 dev and 10 analyst WorkSpaces, ready at different times"
    );
    assert_eq!(bed.workspaces().await.len(), 30);

    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{again:#?}");

    let down = bed
        .wsctl(&["destroy", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    assert!(
        down.stdout.contains("30 destroyed") || down.stdout.contains("35 destroyed"),
        "{}",
        down.stdout
    );
    assert_eq!(bed.sim.stats().get("DeleteWorkspaceImage").failed, 0);
    assert_eq!(bed.sim.stats().get("DeleteWorkspaceBundle").failed, 0);
    assert!(bed.workspaces().await.is_empty());
    let state = bed.sim_state().await;
    let images: Vec<&str> = state["images"]
        .as_object()
        .map(|images| images.values().filter_map(|i| i["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        !images
            .iter()
            .any(|n| n.starts_with("win11") || *n == "legacy-updated"),
        "{images:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_update_rolls_the_new_image_out_to_bundles_then_deletes_the_old() {
    let bed = Bed::new().await;
    let fleet = format!(
        r#"[settings]
stack = "rollout"

[account]
byol = true
management_cidr = "10.201.0.0/16"

[images.base]
import = {{ ec2_image_id = "ami-0123456789abcdef0", ingestion_process = "BYOL_REGULAR_WSP" }}
auto_update = true

[bundles.dev]
image = "base"
compute_type = "STANDARD"
user_volume_gib = 50

[workspaces.alice]
directory_id = "{DIRECTORY}"
bundle = "dev"
"#
    );
    bed.fleet(&fleet);
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let old = bed.image_named("base").await;
    bed.publish_update(&old).await;

    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout
            .contains(&format!("AWS has an update for {old}")),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains(&format!("# image.base (deposed {old}) will be destroyed"))
    );
    assert!(
        plan.stdout.contains("~ image = \"base (wsi-"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("keep the old image until rebuilt: workspace.alice")
    );

    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let new = bed.image_named("base-v2").await;
    let state = bed.sim_state().await;
    assert!(
        state["images"].get(&old).is_none(),
        "the old image is deleted"
    );
    let bundle_images: Vec<&str> = state["bundles"]
        .as_object()
        .map(|b| b.values().filter_map(|b| b["image_id"].as_str()).collect())
        .unwrap_or_default();
    assert!(bundle_images.contains(&new.as_str()), "{bundle_images:?}");
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_change_migrates_and_keeps_the_user_volume() {
    let bed = Bed::new().await;
    let fleet = |bundle: &str| {
        format!(
            "[settings]\nstack = \"migrate\"\n\n[workspaces.alice]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{bundle}\"\n"
        )
    };
    bed.fleet(&fleet("Standard with Windows 10 (Server 2022 based)"));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let before = bed.sim_state().await;
    let (old_id, old_volume) = only_workspace(&before);

    bed.fleet(&fleet("Performance with Windows 10 (Server 2022 based)"));
    let plan = bed.wsctl(&["plan"]).await.success();
    // A migration keeps the user volume: no data-loss warning.
    insta::assert_snapshot!("migrate_plan", bed.masked(&plan.stdout));

    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert_eq!(bed.calls("MigrateWorkspace"), 1);
    assert_eq!(bed.calls("TerminateWorkspaces"), 0);
    let after = bed.sim_state().await;
    let (new_id, new_volume) = only_workspace(&after);
    assert_ne!(new_id, old_id, "migration makes a new WorkSpace");
    assert_eq!(new_volume, old_volume, "the user volume survives");
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

fn only_workspace(state: &serde_json::Value) -> (String, String) {
    let workspaces: Vec<&serde_json::Value> = state["workspaces"]
        .as_object()
        .map(|w| w.values().filter(|w| w["state"] != "TERMINATED").collect())
        .unwrap_or_default();
    assert_eq!(workspaces.len(), 1, "{workspaces:?}");
    let text = |key: &str| workspaces[0][key].as_str().unwrap_or_default().to_owned();
    (text("id"), text("user_volume_id"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_management_range_not_on_offer_names_the_ones_that_are() {
    let bed = Bed::new().await;
    bed.fleet("[settings]\nstack = \"cidr\"\n\n[account]\nbyol = true\nmanagement_cidr = \"10.99.0.0/16\"\n");
    let run = bed.wsctl(&["plan"]).await.failure();
    insta::assert_snapshot!("management_range_not_on_offer", bed.masked(&run.stderr));
    assert_eq!(bed.calls("ModifyAccount"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_aws_has_not_enabled_for_byol_stops_the_plan_with_aws_s_code() {
    let bed = Bed::with(SimConfig {
        faults: Faults {
            byol_not_enabled: true,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    bed.fleet("[settings]\nstack = \"rules\"\n\n[account]\nbyol = true\nmanagement_cidr = \"10.200.0.0/16\"\n");
    let run = bed.wsctl(&["plan"]).await.failure();
    assert!(
        run.stderr.contains("ListAvailableManagementCidrRanges")
            && run.stderr.contains("AccessDeniedException"),
        "{}",
        run.stderr
    );
    assert_eq!(bed.calls("ModifyAccount"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_account_modification_is_reported_and_stops_byol_imports() {
    let bed = Bed::with(SimConfig {
        faults: Faults {
            fail_account_modification: true,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    bed.fleet(
        "[settings]\nstack = \"failing\"\n\n[account]\nbyol = true\nmanagement_cidr = \"10.200.0.0/16\"\n\n[images.base]\nimport = { ec2_image_id = \"ami-0123456789abcdef0\", ingestion_process = \"BYOL_REGULAR\" }\n",
    );
    let run = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    assert!(run.stdout.contains("account: failed: account went FAILED while waiting: InvalidResourceState.ManagementCidrRange"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("image.base: not started, because account failed")
    );
    assert_eq!(bed.calls("ImportWorkspaceImage"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_json_plan_names_each_new_action_and_why() {
    let bed = Bed::new().await;
    bed.fleet(&bootstrap());
    let run = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let change = |address: &str| {
        plan["changes"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["address"] == address))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        change("image.win11-byol")["operations"][0]["source"]["kind"],
        "import"
    );
    assert_eq!(
        change("image.win11-copy")["operations"][0]["source"]["kind"],
        "copy"
    );
    assert_eq!(
        change("image.legacy-updated")["operations"][0]["source"]["kind"],
        "update_of"
    );
    assert_eq!(
        change("bundle.dev")["operations"][0]["image_id"]["created_by"],
        "image.win11-byol"
    );
    assert_eq!(change("workspace.dev00")["depends_on"][0], "bundle.dev");
    // account, copy and update → the BYOL import and the analyst bundle →
    // the dev bundle and the analysts → the developers.
    let waves = plan["order"].as_array().cloned().unwrap_or_default();
    assert_eq!(waves.len(), 4, "{waves:#?}");
    assert_eq!(
        waves[0]["changes"],
        serde_json::json!(["account", "image.legacy-updated", "image.win11-copy"])
    );
    let last = &waves[3]["calls"];
    assert_eq!(last.as_array().map(Vec::len), Some(1));
    assert_eq!(last[0]["operation"], "CreateWorkspaces");
    assert_eq!(last[0]["addresses"].as_array().map(Vec::len), Some(20));
    assert!(
        change("account")["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("turns BYOL on")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_byol_pipeline_example_applies_and_converges() {
    let bed = Bed::new().await;
    bed.fleet(include_str!("../../examples/byol-pipeline.toml"));
    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        apply.stdout.contains("Apply complete! 35 added, 1 changed"),
        "{}",
        apply.stdout
    );
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}
