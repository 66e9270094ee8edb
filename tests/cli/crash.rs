//! kill -9 at seeded points of each phase of an apply (BYOL, image, bundle,
//! create, modify, terminate), then applies again: the account converges
//! within three applies with no duplicate, nothing untagged and nothing of
//! the file missing.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::harness::{Bed, DIRECTORY, quick};
use crate::support::eventually;
use wsctl::sim::{Faults, SimConfig};

const STACK: &str = "crash";
const USERS: usize = 60;

/// BYOL, an imported image, a bundle of it and `users` WorkSpaces of the
/// bundle with `compute` (the bundle's own compute type is STANDARD).
fn fleet(users: usize, compute: &str) -> String {
    let mut text = format!(
        r#"[settings]
stack = "{STACK}"

[account]
byol = true
management_cidr = "10.200.0.0/16"

[images.base]
import = {{ ec2_image_id = "ami-0123456789abcdef0", ingestion_process = "BYOL_REGULAR_WSP" }}

[bundles.desk]
image = "base"
compute_type = "STANDARD"
root_volume_gib = 80
user_volume_gib = 50

[defaults.workspace]
directory_id = "{DIRECTORY}"
bundle = "desk"
running_mode = "AUTO_STOP"
compute_type = "{compute}"
"#
    );
    for i in 0..users {
        text.push_str(&format!("\n[workspaces.user{i:03}]\n"));
    }
    text
}

/// The seeded point of a phase: which call of `operation` (1-based, at most
/// `calls`) the apply is killed after.
fn point(seed: u64, calls: u64) -> u64 {
    1 + seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) % calls
}

async fn bed() -> Bed {
    Bed::with(SimConfig {
        faults: Faults {
            latency: Duration::from_millis(20),
            ..Faults::default()
        },
        seed: 11,
        ..quick()
    })
    .await
}

/// Starts `apply`, kills it (SIGKILL) once the simulator has received the
/// `nth` call of `operation`, then applies until one exits 0 (at most
/// three), and checks that the account is what the file says.
async fn kill_and_converge(bed: &Bed, operation: &str, nth: u64, users: usize) {
    let before = bed.calls(operation);
    let mut apply = bed.spawn(&[
        "apply",
        "--auto-approve",
        "--allow-data-loss",
        "--parallelism",
        "4",
    ]);
    eventually(&format!("call {nth} of {operation}"), || async {
        (bed.calls(operation) >= before + nth).then_some(())
    })
    .await;
    assert!(
        apply.try_wait().expect("apply's status").is_none(),
        "apply was still running when killed at {operation} #{nth}"
    );
    apply.kill().await.expect("apply killed");
    let mut rounds = 0;
    loop {
        rounds += 1;
        let run = bed
            .wsctl(&["apply", "--auto-approve", "--allow-data-loss"])
            .await;
        if run.code == 0 {
            break;
        }
        assert!(
            rounds < 3,
            "killed at {operation} #{nth}: not converged after {rounds} applies:\n{run:#?}"
        );
    }
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(plan.code, 0, "killed at {operation} #{nth}: {plan:#?}");
    converged(bed, users, &format!("killed at {operation} #{nth}")).await;
}

async fn converged(bed: &Bed, users: usize, context: &str) {
    let listed = bed.workspaces().await;
    let live: Vec<_> = listed
        .iter()
        .filter(|(w, _)| w.state().is_some_and(|s| s.as_str() != "TERMINATED"))
        .collect();
    assert_eq!(live.len(), users, "{context}: no duplicate, none missing");
    let names: BTreeSet<&str> = live.iter().filter_map(|(w, _)| w.user_name()).collect();
    assert_eq!(names.len(), users, "{context}: one WorkSpace a user");
    assert!(
        live.iter()
            .all(|(_, tags)| tags.contains(&("wsctl:stack".to_owned(), STACK.to_owned()))),
        "{context}: every WorkSpace tagged"
    );
    let client = bed.client();
    let images = client
        .describe_workspace_images()
        .send()
        .await
        .expect("DescribeWorkspaceImages");
    let named_base = images
        .images()
        .iter()
        .filter(|i| i.name() == Some("base"))
        .count();
    assert_eq!(named_base, 1, "{context}: one image `base`");
    let bundles = client
        .describe_workspace_bundles()
        .send()
        .await
        .expect("DescribeWorkspaceBundles");
    let named_desk = bundles
        .bundles()
        .iter()
        .filter(|b| b.name() == Some("desk"))
        .count();
    assert_eq!(named_desk, 1, "{context}: one bundle `desk`");
    let account = client
        .describe_account()
        .send()
        .await
        .expect("DescribeAccount");
    assert_eq!(
        account.dedicated_tenancy_support().map(|s| s.as_str()),
        Some("ENABLED"),
        "{context}: BYOL on"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_creating_the_environment_converges() {
    for (seed, operation, calls) in [
        (1, "ModifyAccount", 1),
        (2, "ImportWorkspaceImage", 1),
        (3, "CreateWorkspaceBundle", 1),
        (4, "CreateWorkspaces", USERS.div_ceil(25) as u64),
    ] {
        let bed = bed().await;
        bed.fleet(&fleet(USERS, "STANDARD"));
        kill_and_converge(&bed, operation, point(seed, calls), USERS).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_modifying_or_terminating_converges() {
    let bed = bed().await;
    bed.fleet(&fleet(USERS, "STANDARD"));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    bed.fleet(&fleet(USERS, "PERFORMANCE"));
    kill_and_converge(
        &bed,
        "ModifyWorkspaceProperties",
        point(5, USERS as u64),
        USERS,
    )
    .await;
    let compute: BTreeSet<String> = bed
        .workspaces()
        .await
        .iter()
        .filter_map(|(w, _)| w.workspace_properties()?.compute_type_name())
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(compute, BTreeSet::from(["PERFORMANCE".to_owned()]));

    let kept = 10;
    bed.fleet(&fleet(kept, "PERFORMANCE"));
    let calls = (USERS - kept).div_ceil(25) as u64;
    kill_and_converge(&bed, "TerminateWorkspaces", point(6, calls), kept).await;
}
