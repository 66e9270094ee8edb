//! The WorkSpace properties beyond size and running mode: protocol,
//! operating system, name, encryption, Global Accelerator and nested
//! virtualization, each set at creation and changed (or not) as AWS allows.

use aws_sdk_workspaces::types::{Protocol, Workspace};

use crate::harness::{Bed, fleet_of};

/// The one WorkSpace of the account that is not on its way out.
async fn the_workspace(bed: &Bed) -> Workspace {
    let mut live: Vec<Workspace> = bed
        .workspaces()
        .await
        .into_iter()
        .map(|(workspace, _)| workspace)
        .filter(|w| w.state().is_none_or(|s| s.as_str() != "TERMINATED"))
        .collect();
    assert_eq!(live.len(), 1, "{live:#?}");
    live.remove(0)
}

fn protocols(workspace: &Workspace) -> Vec<Protocol> {
    workspace
        .workspace_properties()
        .map(|p| p.protocols().to_vec())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pcoip_workspace_moves_to_wsp_in_place() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("wsp", 1, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let before = the_workspace(&bed).await;
    assert_eq!(protocols(&before), [Protocol::Pcoip], "the bundle's");

    bed.fleet(&fleet_of("wsp", 1, "protocols = [\"wsp\"]\n"));
    let plan = bed.wsctl(&["plan"]).await.success();
    insta::assert_snapshot!("pcoip_to_wsp_plan", bed.masked(&plan.stdout));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    assert_eq!(bed.calls("ModifyWorkspaceProperties"), 1);
    assert_eq!(bed.calls("TerminateWorkspaces"), 0);
    let after = the_workspace(&bed).await;
    assert_eq!(after.workspace_id(), before.workspace_id(), "the same one");
    assert_eq!(protocols(&after), [Protocol::Wsp]);
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wsp_workspace_goes_back_to_pcoip_only_by_a_replacement_with_data_loss() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("pcoip", 1, "protocols = [\"wsp\"]\n"));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let before = the_workspace(&bed).await;
    assert_eq!(protocols(&before), [Protocol::Wsp], "asked for at creation");

    bed.fleet(&fleet_of("pcoip", 1, "protocols = [\"pcoip\"]\n"));
    let refused = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    insta::assert_snapshot!("wsp_to_pcoip_plan", bed.masked(&refused.stdout));
    assert_eq!(bed.calls("TerminateWorkspaces"), 0);
    assert_eq!(bed.calls("ModifyWorkspaceProperties"), 0);

    bed.wsctl(&["apply", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    let after = the_workspace(&bed).await;
    assert_ne!(after.workspace_id(), before.workspace_id(), "a new one");
    assert_eq!(protocols(&after), [Protocol::Pcoip]);
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

const EVERYTHING: &str = "protocols = [\"wsp\"]\noperating_system_name = \"WINDOWS_SERVER_2022\"\nglobal_accelerator = { mode = \"ENABLED_AUTO\", preferred_protocol = \"TCP\" }\nnested_virtualization = false\nroot_volume_encryption = true\nuser_volume_encryption = true\nvolume_encryption_key = \"alias/workspaces\"\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_property_is_set_at_creation_and_read_back_unchanged() {
    let bed = Bed::new().await;
    let text = fleet_of("all", 1, EVERYTHING).replace(
        "[workspaces.user000]\n",
        "[workspaces.user000]\nworkspace_name = \"user000-dev\"\n",
    );
    bed.fleet(&text);
    let plan = bed.wsctl(&["plan"]).await.success();
    insta::assert_snapshot!("every_property_create_plan", bed.masked(&plan.stdout));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    let created = the_workspace(&bed).await;
    let properties = created.workspace_properties().expect("properties");
    assert_eq!(properties.protocols(), [Protocol::Wsp]);
    assert_eq!(
        properties.operating_system_name().map(|o| o.as_str()),
        Some("WINDOWS_SERVER_2022")
    );
    let accelerator = properties.global_accelerator().expect("accelerator");
    assert_eq!(accelerator.mode().as_str(), "ENABLED_AUTO");
    assert_eq!(
        accelerator.preferred_protocol().map(|p| p.as_str()),
        Some("TCP")
    );
    assert_eq!(properties.nested_virtualization_enabled(), Some(false));
    assert_eq!(created.workspace_name(), Some("user000-dev"));
    assert_eq!(created.root_volume_encryption_enabled(), Some(true));
    assert_eq!(created.user_volume_encryption_enabled(), Some(true));
    // AWS reports the key's ARN for the alias the file names; the plan
    // after apply is empty all the same.
    assert_eq!(
        created.volume_encryption_key(),
        Some("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    );
    let before = bed.calls("DescribeKey");
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert_eq!(
        bed.calls("DescribeKey"),
        before + 1,
        "one call for the alias"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kms_aliases_resolve_once_each_and_an_unknown_one_is_refused_at_plan() {
    let bed = Bed::new().await;
    let keyed = |alias: &str| {
        fleet_of(
            "keys",
            3,
            &format!("user_volume_encryption = true\nvolume_encryption_key = \"{alias}\"\n"),
        )
    };
    bed.fleet(&keyed("alias/nothing"));
    let refused = bed.wsctl(&["plan"]).await.failure();
    assert!(
        refused.stderr.contains("workspace.user000"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("volume_encryption_key alias/nothing names a KMS key this account does not have in this region (KMS DescribeKey: NotFoundException)"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains("set `volume_encryption_key` to the key's ARN"),
        "{}",
        refused.stderr
    );
    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    assert!(apply.stderr.contains("alias/nothing"), "{}", apply.stderr);
    assert_eq!(bed.calls("CreateWorkspaces"), 0, "nothing was tried");
    assert_eq!(
        bed.calls("DescribeKey"),
        2,
        "one a run for three WorkSpaces"
    );

    bed.fleet(&keyed(
        "arn:aws:kms:us-east-1:123456789012:alias/fleet-volumes",
    ));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    // The key's ARN written out means the same: no change, no KMS call.
    let calls = bed.calls("DescribeKey");
    bed.fleet(&keyed(
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ));
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert_eq!(bed.calls("DescribeKey"), calls);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_accelerator_and_nested_virtualization_change_in_place() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("aga", 1, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let before = the_workspace(&bed).await;

    bed.fleet(&fleet_of(
        "aga",
        1,
        "global_accelerator = { mode = \"ENABLED_AUTO\" }\nnested_virtualization = true\n",
    ));
    let plan = bed.wsctl(&["plan"]).await.success();
    insta::assert_snapshot!("accelerator_and_nesting_plan", bed.masked(&plan.stdout));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    assert_eq!(bed.calls("ModifyWorkspaceProperties"), 2);
    let after = the_workspace(&bed).await;
    assert_eq!(after.workspace_id(), before.workspace_id());
    let properties = after.workspace_properties().expect("properties");
    assert_eq!(properties.nested_virtualization_enabled(), Some(true));
    assert_eq!(
        properties.global_accelerator().map(|a| a.mode().as_str()),
        Some("ENABLED_AUTO")
    );
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_operating_system_or_name_is_a_replacement_that_says_why() {
    let bed = Bed::new().await;
    let named = |name: &str, os: &str| {
        fleet_of("os", 1, &format!("operating_system_name = \"{os}\"\n")).replace(
            "[workspaces.user000]\n",
            &format!("[workspaces.user000]\nworkspace_name = \"{name}\"\n"),
        )
    };
    bed.fleet(&named("first", "WINDOWS_SERVER_2022"));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    bed.fleet(&named("second", "WINDOWS_11"));
    let plan = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).expect("JSON");
    let change = &plan["changes"][0];
    assert_eq!(change["action"], "replace");
    assert_eq!(change["data_loss"], true);
    let reason = change["reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("workspace_name, operating_system_name cannot change on an existing WorkSpace (AWS names a WorkSpace only when it is created; AWS documents no in-place change of the operating system)"),
        "{reason}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_names_the_misspelt_protocol_before_any_call() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("typo", 1, "protocols = [\"WSP\"]\n"));
    let run = bed.wsctl(&["plan"]).await.failure();
    assert!(
        run.stderr.contains("unknown protocol `WSP`") && run.stderr.contains("did you mean `wsp`?"),
        "{}",
        run.stderr
    );
    assert_eq!(bed.calls("DescribeWorkspaces"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_workspace_is_not_moved_to_wsp_and_nothing_is_called() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("stopped", 1, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let id = the_workspace(&bed)
        .await
        .workspace_id()
        .unwrap_or_default()
        .to_owned();
    bed.sim_post(&format!("/_sim/workspaces/{id}/state/STOPPED"))
        .await;

    bed.fleet(&fleet_of("stopped", 1, "protocols = [\"wsp\"]\n"));
    let run = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    assert!(
        run.stderr.contains(&format!(
            "{id} is STOPPED; AWS changes its protocol only while it is AVAILABLE"
        )) && run
            .stderr
            .contains("start it (StartWorkspaces, or its user signs in) and plan again"),
        "{}",
        run.stderr
    );
    assert_eq!(bed.calls("ModifyWorkspaceProperties"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graphics_workspace_keeps_its_protocol_unless_replaced() {
    let bed = Bed::new().await;
    let graphics = "Graphics.g4dn with Windows 10 (Server 2022 based)";
    let fleet = |extra: &str| fleet_of("gpu", 1, extra).replace(crate::harness::STANDARD, graphics);
    bed.fleet(&fleet(""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert_eq!(protocols(&the_workspace(&bed).await), [Protocol::Pcoip]);

    bed.fleet(&fleet("protocols = [\"wsp\"]\n"));
    let plan = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).expect("JSON");
    assert_eq!(plan["changes"][0]["action"], "replace");
    assert!(
        plan["changes"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains(
                "AWS does not change the protocol of a Windows 7 or graphics WorkSpace in place"
            ),
        "{plan:#}"
    );
    bed.wsctl(&["apply", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    assert_eq!(bed.calls("ModifyWorkspaceProperties"), 0);
    assert_eq!(protocols(&the_workspace(&bed).await), [Protocol::Wsp]);
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}
