//! Saved plans are sealed: `apply PLAN.json` plans the fleet the file holds
//! again and carries out only that, refusing a file edited since plan wrote
//! it, having made no call that changes the account.

use serde_json::{Value, json};
use wsctl::plan::{Order, ResourceChange};

use crate::harness::{Bed, DIRECTORY, fleet_of};

/// Calls that change the account.
const MUTATING: [&str; 9] = [
    "CreateWorkspaces",
    "TerminateWorkspaces",
    "ModifyWorkspaceProperties",
    "MigrateWorkspace",
    "RebootWorkspaces",
    "RebuildWorkspaces",
    "RestoreWorkspace",
    "CreateTags",
    "DeleteTags",
];

const GRAPHICS_PRO: &str = "wsb-w10gpro00";

fn mutations(bed: &Bed) -> u64 {
    MUTATING.iter().map(|op| bed.calls(op)).sum()
}

/// Two WorkSpaces of stack `sealed` exist; `plan.json` tags both (two
/// updates) and creates a third.
async fn planned() -> Bed {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("sealed", 2, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.fleet(&fleet_of("sealed", 3, "tags = { team = \"new\" }\n"));
    bed.wsctl(&["plan", "--out", "plan.json"]).await.success();
    bed
}

/// Edits plan.json as someone careful would: the order is made again from
/// the edited changes, so it is the one they make.
fn tamper(bed: &Bed, edit: impl FnOnce(&mut Value)) {
    let path = bed.path("plan.json");
    let text = std::fs::read_to_string(&path).expect("plan saved");
    let mut plan: Value = serde_json::from_str(&text).expect("JSON");
    edit(&mut plan);
    let changes: Vec<ResourceChange> =
        serde_json::from_value(plan["changes"].clone()).expect("changes");
    plan["order"] = serde_json::to_value(Order::of(&changes)).expect("order");
    std::fs::write(&path, plan.to_string()).expect("plan written");
}

fn change<'p>(plan: &'p mut Value, address: &str) -> &'p mut Value {
    plan["changes"]
        .as_array_mut()
        .and_then(|changes| changes.iter_mut().find(|c| c["address"] == address))
        .unwrap_or_else(|| panic!("no change of {address}"))
}

/// `apply plan.json` fails, says the plan was altered and names `what`, and
/// nothing changed the account.
async fn refused_as_altered(bed: &Bed, what: &str) {
    let before = mutations(bed);
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    assert!(run.stderr.contains("altered plan: plan.json"), "{run:#?}");
    assert!(run.stderr.contains(what), "{what}: {run:#?}");
    assert!(run.stderr.contains("nothing was changed"), "{run:#?}");
    assert_eq!(mutations(bed), before, "no mutating call: {run:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untouched_saved_plan_applies() {
    let bed = planned().await;
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .success();
    assert!(
        run.stdout.contains("Apply complete! 1 added, 2 changed"),
        "{run:#?}"
    );
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_pointed_at_another_workspace_is_refused() {
    let bed = planned().await;
    tamper(&bed, |plan| {
        let other = change(plan, "workspace.user001")["id"].clone();
        let victim = change(plan, "workspace.user000");
        victim["id"] = other.clone();
        for operation in victim["operations"].as_array_mut().expect("operations") {
            operation["resource_id"] = other.clone();
        }
    });
    refused_as_altered(&bed, "workspace.user000: id: \"ws-").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_for_another_user_is_refused() {
    let bed = planned().await;
    tamper(&bed, |plan| {
        change(plan, "workspace.user002")["operations"][0]["user"] = json!("mallory");
    });
    refused_as_altered(
        &bed,
        "workspace.user002: operations[0].user: \"mallory\" in the file, \"user002\" now",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_tagged_for_another_stack_is_refused() {
    let bed = planned().await;
    tamper(&bed, |plan| {
        change(plan, "workspace.user002")["operations"][0]["tags"]["wsctl:stack"] = json!("other");
    });
    refused_as_altered(
        &bed,
        "workspace.user002: operations[0].tags.wsctl:stack: \"other\" in the file, \"sealed\" now",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_on_another_bundle_is_refused() {
    let bed = planned().await;
    tamper(&bed, |plan| {
        change(plan, "workspace.user002")["operations"][0]["bundle_id"] = json!(GRAPHICS_PRO);
    });
    refused_as_altered(
        &bed,
        &format!("workspace.user002: operations[0].bundle_id: \"{GRAPHICS_PRO}\" in the file"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_summary_counts_are_refused() {
    let bed = planned().await;
    tamper(&bed, |plan| {
        plan["summary"]["create"] = json!(0);
    });
    refused_as_altered(&bed, "summary.create: 0 in the file, 1 now").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_change_is_refused() {
    let bed = planned().await;
    tamper(&bed, |plan| {
        let changes = plan["changes"].as_array_mut().expect("changes");
        changes.retain(|c| c["address"] != "workspace.user000");
        plan["summary"]["update"] = json!(1);
    });
    refused_as_altered(
        &bed,
        "workspace.user000: a change of the plan made now that the file does not have",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_change_is_refused() {
    let bed = planned().await;
    tamper(&bed, |plan| {
        let mut extra = change(plan, "workspace.user002").clone();
        extra["address"] = json!("workspace.user003");
        extra["operations"][0]["user"] = json!("user003");
        extra["operations"][0]["tags"]["wsctl:name"] = json!("user003");
        plan["changes"].as_array_mut().expect("changes").push(extra);
        plan["summary"]["create"] = json!(2);
    });
    refused_as_altered(
        &bed,
        "workspace.user003: a change in the file that the plan made now does not have",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_without_its_fleet_is_refused() {
    let bed = planned().await;
    tamper(&bed, |plan| {
        plan.as_object_mut().expect("document").remove("fleet");
    });
    let before = mutations(&bed);
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    assert!(run.stderr.contains("plan.json holds no fleet"), "{run:#?}");
    assert_eq!(mutations(&bed), before, "no mutating call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_of_the_stack_made_since_makes_the_plan_stale() {
    let bed = planned().await;
    bed.create_by_hand(
        "intruder",
        &[("wsctl:stack", "sealed"), ("wsctl:name", "intruder")],
    )
    .await;
    let before = mutations(&bed);
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    assert!(run.stderr.contains("stale plan"), "{run:#?}");
    assert!(
        run.stderr
            .contains(&format!("workspace:{DIRECTORY}/intruder appeared")),
        "{run:#?}"
    );
    assert_eq!(mutations(&bed), before, "no mutating call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plan_applies_without_the_checkout_but_not_beside_another_fleet() {
    let bed = planned().await;
    bed.fleet(&fleet_of("sealed", 4, "tags = { team = \"new\" }\n"));
    let before = mutations(&bed);
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    assert!(
        run.stderr
            .contains("plan.json was made from fleet.toml, and fleet.toml here is not that text"),
        "{run:#?}"
    );
    assert_eq!(mutations(&bed), before, "no mutating call");

    std::fs::remove_file(bed.path("fleet.toml")).expect("checkout gone");
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .success();
    assert!(
        run.stderr
            .contains("note: no fleet.toml here to check plan.json against"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("Apply complete! 1 added, 2 changed"),
        "{run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plan_is_made_again_with_its_targets_and_reader() {
    let bed = planned().await;
    bed.wsctl(&[
        "plan",
        "--out",
        "plan.json",
        "--target",
        "workspace.user002",
        "--tag-reads",
        "per-resource",
    ])
    .await
    .success();
    let text = std::fs::read_to_string(bed.path("plan.json")).expect("plan saved");
    let plan: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(plan["fleet"]["tag_reads"], "per-resource");
    let listed = bed.calls("GetResources");
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .success();
    assert!(
        run.stdout.contains("Apply complete! 1 added, 0 changed"),
        "{run:#?}"
    );
    assert_eq!(
        bed.calls("GetResources"),
        listed,
        "read tag by tag, as planned"
    );
}

/// Every member of a saved plan that apply reads is sealed or made again
/// from the sealed fleet: an edit to any of them is refused, with nothing
/// changed. The list is the document's members, so a member added later
/// fails here until it is sealed and listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_to_any_member_of_a_saved_plan_is_refused() {
    /// Each member, and an edit a hand or a script might make to it.
    type Edit = fn(&mut Value);
    let edits: [(&str, Edit); 14] = [
        ("format_version", |v| *v = json!("0")),
        ("wsctl_version", |v| *v = json!("0.0.1")),
        ("stack", |v| *v = json!("other")),
        ("summary", |v| v["create"] = json!(7)),
        ("data_loss", |v| *v = json!(["workspace.user000"])),
        ("warnings", |v| *v = json!(["all is well"])),
        ("targets", |v| *v = json!(["workspace.user000"])),
        ("left_out", |v| *v = json!(3)),
        ("region", |v| *v = json!("eu-west-1")),
        ("fleet", |v| {
            v["text"] = json!(
                v["text"]
                    .as_str()
                    .unwrap_or_default()
                    .replace("\"new\"", "\"newer\"")
            )
        }),
        ("fingerprints", |v| {
            if let Some((_, first)) = v.as_object_mut().and_then(|m| m.iter_mut().next()) {
                *first = json!("0000");
            }
        }),
        ("order", |v| *v = json!({"waves": []})),
        ("cost", |v| v["monthly_delta"] = json!(0.0)),
        ("changes", |v| {
            if let Some(first) = v.as_array_mut().and_then(|c| c.first_mut()) {
                first["reason"] = json!("because I say so");
            }
        }),
    ];
    let bed = planned().await;
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(bed.path("plan.json")).expect("plan saved"))
            .expect("JSON");
    let mut members: Vec<&str> = saved
        .as_object()
        .expect("a document")
        .keys()
        .map(String::as_str)
        .collect();
    members.sort_unstable();
    let mut listed: Vec<&str> = edits.iter().map(|(member, _)| *member).collect();
    listed.sort_unstable();
    assert_eq!(
        members, listed,
        "every member of the saved plan has an edit here"
    );

    let original = std::fs::read_to_string(bed.path("plan.json")).expect("plan saved");
    for (member, edit) in edits {
        let mut plan = saved.clone();
        edit(&mut plan[member]);
        assert_ne!(plan, saved, "{member}: the edit changes something");
        std::fs::write(bed.path("plan.json"), plan.to_string()).expect("plan written");
        let before = mutations(&bed);
        let run = bed.wsctl(&["apply", "plan.json", "--auto-approve"]).await;
        assert_eq!(run.code, 1, "{member} edited and applied: {run:#?}");
        assert!(
            run.stderr.contains("nothing was changed") || run.stderr.contains("plan.json"),
            "{member}: {run:#?}"
        );
        assert_eq!(mutations(&bed), before, "{member}: no mutating call");
    }
    std::fs::write(bed.path("plan.json"), original).expect("plan written");
    bed.wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .success();
}

/// The region a saved plan is applied in is the one its sealed fleet gives
/// (with --region and the AWS chain), never the file's `region` member.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plans_region_edited_is_refused_without_region_given() {
    let bed = planned().await;
    tamper(&bed, |plan| plan["region"] = json!("eu-west-1"));
    let before = mutations(&bed);
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    assert!(
        run.stderr.contains(
            "plan.json is a plan for region eu-west-1, not us-east-1; nothing was changed"
        ),
        "{run:#?}"
    );
    assert_eq!(mutations(&bed), before);
}
