//! Apply, then plan: over random fleets (BYOL or not, an image and a bundle
//! of it or not, WorkSpaces of several bundles, running modes, compute
//! types, volume sizes and tags) on an account that also holds other
//! stacks' and unowned WorkSpaces, an apply followed by a plan gives an
//! empty plan; and so does a second, different fleet applied over the first.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::harness::{Bed, DIRECTORY};

const STACK: &str = "converge";
const VALUE: &str = "Value with Windows 10 (Server 2022 based)";
/// Root and user volume sizes AWS accepts for a bundle of 80/10 GiB.
const VOLUMES: [(i32, i32); 4] = [(80, 10), (80, 50), (80, 100), (175, 100)];

/// One WorkSpace of a random fleet; its bundle and volumes come from its
/// user's number and the case's seed, so two fleets of one case agree on
/// them and a change between them never shrinks a volume.
#[derive(Clone, Debug)]
struct Desk {
    user: usize,
    always_on: bool,
    compute: &'static str,
    team: Option<&'static str>,
}

#[derive(Clone, Debug)]
struct Case {
    byol: bool,
    own_bundle: bool,
    desks: Vec<Desk>,
}

fn desk() -> impl Strategy<Value = Desk> {
    (
        0usize..10,
        any::<bool>(),
        prop::sample::select(vec!["VALUE", "STANDARD", "PERFORMANCE", "POWER"]),
        prop::option::of(prop::sample::select(vec!["red", "blue"])),
    )
        .prop_map(|(user, always_on, compute, team)| Desk {
            user,
            always_on,
            compute,
            team,
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(desk(), 1..7),
    )
        .prop_map(|(byol, own_bundle, mut desks)| {
            desks.sort_by_key(|d| d.user);
            desks.dedup_by_key(|d| d.user);
            Case {
                // Importing a BYOL image needs BYOL on.
                byol: byol || own_bundle,
                own_bundle,
                desks,
            }
        })
}

fn fleet(case: &Case, seed: usize) -> String {
    let mut text = format!("[settings]\nstack = \"{STACK}\"\n\n");
    if case.byol {
        text.push_str("[account]\nbyol = true\nmanagement_cidr = \"10.200.0.0/16\"\n\n");
    }
    if case.own_bundle {
        text.push_str(
            "[images.base]\nimport = { ec2_image_id = \"ami-0123456789abcdef0\", ingestion_process = \"BYOL_REGULAR_WSP\" }\n\n\
             [bundles.desk]\nimage = \"base\"\ncompute_type = \"VALUE\"\nroot_volume_gib = 80\nuser_volume_gib = 10\n\n",
        );
    }
    for desk in &case.desks {
        let bundle = if case.own_bundle && desk.user % 2 == 0 {
            "desk"
        } else {
            VALUE
        };
        let (root, user) = VOLUMES[(desk.user + seed) % VOLUMES.len()];
        let mode = if desk.always_on {
            "ALWAYS_ON"
        } else {
            "AUTO_STOP"
        };
        text.push_str(&format!(
            "[workspaces.user{:02}]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{bundle}\"\n\
             running_mode = \"{mode}\"\ncompute_type = \"{}\"\nroot_volume_gib = {root}\nuser_volume_gib = {user}\n",
            desk.user, desk.compute
        ));
        if let Some(team) = desk.team {
            text.push_str(&format!("tags = {{ team = \"{team}\" }}\n"));
        }
        text.push('\n');
    }
    text
}

/// Applies `text` and plans it again: the plan must be empty.
async fn apply_then_plan(bed: &Bed, text: &str) -> Result<(), TestCaseError> {
    bed.fleet(text);
    let apply = bed
        .wsctl(&["apply", "--auto-approve", "--allow-data-loss"])
        .await;
    prop_assert_eq!(apply.code, 0, "apply of\n{}\n{:#?}", text, apply);
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    prop_assert_eq!(plan.code, 0, "plan after applying\n{}\n{:#?}", text, plan);
    Ok(())
}

#[test]
fn after_an_apply_the_plan_is_empty() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut runner = TestRunner::new(Config {
        cases: 8,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(case(), case(), 0usize..4), |(first, second, seed)| {
            runtime.block_on(async {
                let bed = Bed::new().await;
                // Not this stack's: an unowned WorkSpace and another stack's.
                bed.create_by_hand("outsider", &[]).await;
                bed.create_by_hand("neighbour", &[("wsctl:stack", "other")])
                    .await;
                apply_then_plan(&bed, &fleet(&first, seed)).await?;
                apply_then_plan(&bed, &fleet(&second, seed)).await?;
                let listed = bed.workspaces().await;
                for user in ["outsider", "neighbour"] {
                    prop_assert!(
                        listed.iter().any(|(w, _)| w.user_name() == Some(user)
                            && w.state().is_some_and(|s| s.as_str() == "AVAILABLE")),
                        "{} left alone",
                        user
                    );
                }
                Ok(())
            })
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}
