//! The pull-request workflow: saved plans that refuse to apply when stale,
//! `show`, `--target`, and JSON plans that match the committed schema.

use crate::harness::{Bed, fleet_of};

const QUICKSTART: &str = include_str!("../../examples/quickstart.toml");

/// Calls that change the account.
const MUTATING: [&str; 6] = [
    "CreateWorkspaces",
    "TerminateWorkspaces",
    "ModifyWorkspaceProperties",
    "MigrateWorkspace",
    "CreateTags",
    "DeleteTags",
];

fn mutations(bed: &Bed) -> u64 {
    MUTATING.iter().map(|op| bed.calls(op)).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plan_applies_and_show_renders_it() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);
    let plan = bed
        .wsctl(&["plan", "--out", "plan.json", "--detailed-exitcode"])
        .await;
    assert_eq!(plan.code, 2, "{plan:#?}");

    let shown = bed.wsctl(&["show", "plan.json"]).await.success();
    assert_eq!(
        shown.stdout, plan.stdout,
        "show renders the saved plan as plan printed it"
    );
    let markdown = bed
        .wsctl(&["show", "plan.json", "--format", "markdown"])
        .await
        .success();
    assert!(markdown.stdout.contains("<details>"), "{}", markdown.stdout);

    let apply = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .success();
    assert!(
        apply.stdout.contains("Apply complete! 3 added"),
        "{}",
        apply.stdout
    );
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_behind_wsctls_back_makes_a_saved_plan_stale() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("stale", 2, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.fleet(&fleet_of("stale", 2, "tags = { team = \"new\" }\n"));
    bed.wsctl(&["plan", "--out", "plan.json"]).await.success();

    // Someone changes user000's compute type through the API.
    let (workspace, _) = bed
        .workspaces()
        .await
        .into_iter()
        .find(|(w, _)| w.user_name() == Some("user000"))
        .expect("user000");
    let properties = aws_sdk_workspaces::types::WorkspaceProperties::builder()
        .compute_type_name(aws_sdk_workspaces::types::Compute::Power)
        .build();
    bed.client()
        .modify_workspace_properties()
        .workspace_id(workspace.workspace_id().unwrap_or_default())
        .workspace_properties(properties)
        .send()
        .await
        .expect("modified behind wsctl's back");

    let before = mutations(&bed);
    let apply = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    insta::assert_snapshot!("stale_plan_refused", bed.masked(&apply.stderr));
    assert_eq!(mutations(&bed), before, "no mutating call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_file_of_another_stack_or_version_or_garbage_is_refused() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);
    bed.wsctl(&["plan", "--out", "plan.json"]).await.success();
    let text = std::fs::read_to_string(bed.path("plan.json")).expect("plan saved");

    bed.fleet(&QUICKSTART.replace("stack = \"quickstart\"", "stack = \"other\""));
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    insta::assert_snapshot!("plan_of_another_stack", bed.masked(&run.stderr));

    let older = text.replace(
        &format!("\"wsctl_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"wsctl_version\": \"0.0.1\"",
    );
    std::fs::write(bed.path("old.json"), older).expect("written");
    let run = bed
        .wsctl(&["apply", "old.json", "--auto-approve", "-f", "missing.toml"])
        .await
        .failure();
    let this_version = format!("this is wsctl {}", env!("CARGO_PKG_VERSION"));
    insta::assert_snapshot!(
        "plan_of_another_version",
        bed.masked(&run.stderr)
            .replace(&this_version, "this is wsctl [version]")
    );

    bed.fleet(QUICKSTART);
    let run = bed
        .wsctl(&[
            "apply",
            "plan.json",
            "--auto-approve",
            "--region",
            "eu-west-1",
        ])
        .await
        .failure();
    insta::assert_snapshot!("plan_of_another_region", bed.masked(&run.stderr));

    std::fs::write(bed.path("garbage.json"), "{\"format_version\": ").expect("written");
    let run = bed.wsctl(&["show", "garbage.json"]).await.failure();
    insta::assert_snapshot!("not_a_plan_file", bed.masked(&run.stderr));
    assert_eq!(mutations(&bed), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_plans_only_the_target_and_what_it_depends_on() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);
    let plan = bed
        .wsctl(&["plan", "--target", "workspace.alice"])
        .await
        .success();
    insta::assert_snapshot!("partial_plan", bed.masked(&plan.stdout));

    bed.wsctl(&["apply", "--auto-approve", "--target", "workspace.alice"])
        .await
        .success();
    assert_eq!(bed.workspaces().await.len(), 1);

    let unknown = bed
        .wsctl(&["plan", "--target", "workspace.nobody"])
        .await
        .failure();
    insta::assert_snapshot!("target_of_nothing", bed.masked(&unknown.stderr));
    let malformed = bed.wsctl(&["plan", "--target", "stack.x"]).await;
    assert_eq!(malformed.code, 1, "clap refuses it: {malformed:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_brings_in_the_bundle_and_image_a_workspace_needs() {
    let bed = Bed::new().await;
    bed.fleet(&format!(
        "[settings]\nstack = \"deps\"\n\n[images.base]\ncopy = {{ source_region = \"us-west-2\", source_image_id = \"wsi-0abc123def\" }}\n\n[bundles.dev]\nimage = \"base\"\ncompute_type = \"STANDARD\"\nuser_volume_gib = 50\n\n[defaults.workspace]\ndirectory_id = \"{}\"\nbundle = \"dev\"\n\n[workspaces.alice]\n[workspaces.bob]\n",
        crate::harness::DIRECTORY
    ));
    let plan = bed
        .wsctl(&["plan", "--target", "workspace.bob"])
        .await
        .success();
    for wanted in ["image \"base\"", "bundle \"dev\"", "workspace \"bob\""] {
        assert!(plan.stdout.contains(wanted), "{wanted}: {}", plan.stdout);
    }
    assert!(!plan.stdout.contains("workspace \"alice\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_plans_from_the_binary_match_the_committed_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schema/plan.schema.json")).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("a usable schema");
    let bed = Bed::new().await;
    for fleet in [
        QUICKSTART.to_owned(),
        include_str!("../../examples/byol-pipeline.toml").to_owned(),
    ] {
        bed.fleet(&fleet);
        let run = bed.wsctl(&["plan", "--format", "json"]).await.success();
        let document: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let problems: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_without_a_terminal_logs_progress_per_phase() {
    let bed = Bed::with(wsctl::sim::SimConfig {
        settle: std::time::Duration::from_millis(1500),
        ..crate::harness::quick()
    })
    .await;
    bed.fleet(QUICKSTART);
    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let progress: Vec<&str> = apply
        .stdout
        .lines()
        .filter(|l| l.starts_with("WorkSpaces ready: "))
        .collect();
    assert!(!progress.is_empty(), "{}", apply.stdout);
    assert!(
        progress[0].starts_with("WorkSpaces ready: 0/3 done; waiting on 3 "),
        "{progress:?}"
    );
    assert!(progress[0].ends_with("s elapsed)"), "{progress:?}");
    assert!(
        !apply.stdout.contains('\u{1b}'),
        "no terminal codes in a log"
    );
}
