//! What a change costs, through the binary: every plan priced from the
//! simulator's Price List (its sample us-east-1 prices: Standard Windows
//! 80/50 $35 ALWAYS_ON or $9.75 + $0.30/h, Performance 80/100 $60 or
//! $13 + $0.51/h; AUTO_STOP at the 80 hours assumed), the cache that saves
//! the calls, the guard, and a Price List that cannot be read.

use crate::harness::{Bed, DIRECTORY, STANDARD};
use wsctl::sim::{Faults, SimConfig};

const PERFORMANCE: &str = "Performance with Windows 10 (Server 2022 based)";

fn fleet(workspaces: &str, settings: &str) -> String {
    format!(
        "[settings]\nstack = \"costs\"\n{settings}\n[defaults.workspace]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{STANDARD}\"\nrunning_mode = \"AUTO_STOP\"\n\n{workspaces}"
    )
}

/// Alice on Standard AUTO_STOP ($33.75), Bob on Performance ALWAYS_ON
/// ($60.00), Dan on Standard AUTO_STOP ($33.75).
fn three() -> String {
    fleet(
        &format!(
            "[workspaces.alice]\n\n[workspaces.bob]\nbundle = \"{PERFORMANCE}\"\nrunning_mode = \"ALWAYS_ON\"\n\n[workspaces.dan]\n"
        ),
        "",
    )
}

/// Alice migrated to Performance, Bob moved to AUTO_STOP, Dan gone.
fn changed() -> String {
    fleet(
        &format!(
            "[workspaces.alice]\nbundle = \"{PERFORMANCE}\"\n\n[workspaces.bob]\nbundle = \"{PERFORMANCE}\"\n"
        ),
        "",
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_changes_migrations_and_terminations_are_priced_in_every_format() {
    let bed = Bed::new().await;
    bed.fleet(&three());
    let plan = bed.wsctl(&["plan"]).await.success();
    for line in [
        "  # cost: +$33.75/month\n  + workspace \"alice\"",
        "  # cost: +$60.00/month\n  + workspace \"bob\"",
        "\nCost: +$127.50/month (the stack now $0.00/month, after apply $127.50/month)\n",
        "\nPrices: the AWS Price List for us-east-1, fetched 2026-11-29, in USD; AUTO_STOP WorkSpaces assumed to run 80 hours a month.\n",
    ] {
        assert!(
            plan.stdout.contains(line),
            "no {line:?} in\n{}",
            plan.stdout
        );
    }
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    bed.fleet(&changed());
    let plan = bed.wsctl(&["plan"]).await.success();
    for line in [
        "  # workspace.alice will be migrated\n",
        "  # cost: +$20.05/month\n",
        "  # cost: $0.00 this month, -$6.20/month from next month\n",
        "  # cost: -$33.75/month\n",
        "\nCost: -$19.90/month (the stack now $127.50/month, after apply $107.60/month; this month -$13.70)\n",
    ] {
        assert!(
            plan.stdout.contains(line),
            "no {line:?} in\n{}",
            plan.stdout
        );
    }

    let document = json(
        &bed.wsctl(&["plan", "--format", "json"])
            .await
            .success()
            .stdout,
    );
    let cost = &document["cost"];
    assert_eq!(cost["currency"], "USD");
    assert_eq!(cost["monthly_before"], 127.5);
    assert_eq!(cost["monthly_after"], 107.6);
    assert_eq!(cost["monthly_delta"], -19.9);
    assert_eq!(cost["this_month_delta"], -13.7);
    assert_eq!(cost["unpriced"], 0);
    assert_eq!(cost["assumptions"]["auto_stop_hours_per_month"], 80);
    assert_eq!(cost["prices_fetched"], "2026-11-29");
    let change = |name: &str| {
        document["changes"]
            .as_array()
            .and_then(|changes| {
                changes
                    .iter()
                    .find(|c| c["address"] == format!("workspace.{name}"))
            })
            .unwrap_or_else(|| panic!("no change of {name}"))
            .clone()
    };
    assert_eq!(change("alice")["action"], "migrate");
    assert_eq!(change("alice")["cost"]["monthly_before"], 33.75);
    assert_eq!(change("alice")["cost"]["monthly_after"], 53.8);
    assert_eq!(change("bob")["cost"]["monthly_delta"], -6.2);
    assert_eq!(change("bob")["cost"]["this_month_delta"], 0.0);
    assert_eq!(change("dan")["action"], "delete");
    assert_eq!(change("dan")["cost"]["monthly_delta"], -33.75);
    assert!(change("dan")["cost"].get("monthly_after").is_none());

    let markdown = bed
        .wsctl(&["plan", "--format", "markdown"])
        .await
        .success()
        .stdout;
    for line in [
        "**Plan: 0 to add, 2 to change, 0 to replace, 1 to destroy, 0 to adopt.** **Cost: -$19.90/month (the stack now $127.50/month, after apply $107.60/month; this month -$13.70)**\n",
        "| action | workspace | total | cost / month |\n",
        "| `~` change | 1 | 1 | -$6.20 |\n",
        "| `~>` migrate | 1 | 1 | +$20.05 |\n",
        "| `-` destroy | 1 | 1 | -$33.75 |\n",
        "<i>(cost: -$33.75/month)</i>",
    ] {
        assert!(markdown.contains(line), "no {line:?} in\n{markdown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prices_are_fetched_once_and_reused_until_refreshed() {
    let bed = Bed::new().await;
    bed.fleet(&three());
    bed.wsctl(&["plan"]).await.success();
    // Standard and Performance: one GetProducts page each.
    assert_eq!(bed.calls("DescribeServices"), 1);
    assert_eq!(bed.calls("GetAttributeValues"), 1);
    assert_eq!(bed.calls("GetProducts"), 2);

    let again = bed.wsctl(&["plan"]).await.success();
    assert!(
        again.stdout.contains("\nCost: +$127.50/month"),
        "{}",
        again.stdout
    );
    assert_eq!(
        bed.calls("GetProducts"),
        2,
        "the second plan used the cache"
    );
    assert_eq!(bed.calls("DescribeServices"), 1);

    bed.wsctl(&["plan", "--refresh-prices"]).await.success();
    assert_eq!(bed.calls("GetProducts"), 4);

    // A cache that cannot be read is fetched again, and says so.
    let cache = std::fs::read_dir(bed.path("cache"))
        .expect("the cache directory")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("prices-us-east-1-"))
        .expect("the endpoint's price file");
    std::fs::write(&cache, "{ not json").expect("cache overwritten");
    let refetched = bed.wsctl(&["plan"]).await.success();
    assert!(
        refetched.stderr.contains("is unreadable"),
        "{}",
        refetched.stderr
    );
    assert!(
        refetched.stdout.contains("\nCost: +$127.50/month"),
        "{}",
        refetched.stdout
    );
    assert_eq!(bed.calls("GetProducts"), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guard_fails_a_plan_that_adds_too_much_and_apply_changes_nothing() {
    let bed = Bed::new().await;
    bed.fleet(&three());
    let refused = bed
        .wsctl(&["plan", "--max-monthly-increase", "100"])
        .await
        .failure();
    assert!(
        refused.stdout.contains("\nCost: +$127.50/month"),
        "the plan is shown"
    );
    assert!(
        refused.stderr.contains(
            "error: the plan adds +$127.50/month, more than the guard's $100.00 (max_monthly_increase); the plan is shown above\n  the most it adds:\n  - workspace.bob: +$60.00/month\n  - workspace.alice: +$33.75/month\n  - workspace.dan: +$33.75/month\n  pass --allow-cost-increase"
        ),
        "{}",
        refused.stderr
    );
    bed.wsctl(&[
        "plan",
        "--max-monthly-increase",
        "100",
        "--allow-cost-increase",
    ])
    .await
    .success();
    bed.wsctl(&["plan", "--max-monthly-increase", "127.50"])
        .await
        .success();

    // The file's guard, and apply refusing before any change.
    bed.fleet(&three().replace(
        "stack = \"costs\"\n",
        "stack = \"costs\"\nmax_monthly_increase = 50\n",
    ));
    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    assert!(
        apply
            .stderr
            .contains("more than the guard's $50.00 (max_monthly_increase); nothing was changed"),
        "{}",
        apply.stderr
    );
    assert_eq!(bed.calls("CreateWorkspaces"), 0);

    // A saved plan is priced again when applied, and guarded again.
    bed.fleet(&three());
    bed.wsctl(&["plan", "--out", "plan.json"]).await.success();
    let saved = bed
        .wsctl(&[
            "apply",
            "--auto-approve",
            "--max-monthly-increase",
            "10",
            "plan.json",
        ])
        .await
        .failure();
    assert!(
        saved.stderr.contains("more than the guard's $10.00"),
        "{}",
        saved.stderr
    );
    assert_eq!(bed.calls("CreateWorkspaces"), 0);
    bed.wsctl(&["apply", "--auto-approve", "plan.json"])
        .await
        .success();
    assert_eq!(bed.calls("CreateWorkspaces"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_access_to_the_price_list_plans_as_before_with_one_note() {
    let bed = Bed::with(SimConfig {
        faults: Faults {
            pricing_access_denied: true,
            ..Faults::default()
        },
        ..crate::harness::quick()
    })
    .await;
    bed.fleet(&three());
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(!plan.stdout.contains("# cost:"), "{}", plan.stdout);
    assert!(!plan.stdout.contains("Cost:"), "{}", plan.stdout);
    assert!(plan.stdout.ends_with("0 to adopt.\n"), "{}", plan.stdout);
    assert_eq!(plan.stderr.lines().count(), 1, "{}", plan.stderr);
    assert!(
        plan.stderr.starts_with("note: the plan shows no costs: the AWS Price List could not be read (DescribeServices failed: AccessDeniedException: "),
        "{}",
        plan.stderr
    );
    let document = json(
        &bed.wsctl(&["plan", "--format", "json"])
            .await
            .success()
            .stdout,
    );
    assert!(document.get("cost").is_none());

    // With a guard, a plan that cannot be priced cannot pass it.
    let guarded = bed
        .wsctl(&["plan", "--max-monthly-increase", "1000"])
        .await
        .failure();
    assert!(
        guarded
            .stderr
            .contains("the plan has no price to check against the guard's $1,000.00"),
        "{}",
        guarded.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpriced_workspace_says_why_and_the_totals_say_how_many() {
    let bed = Bed::new().await;
    bed.fleet(&fleet(
        "[workspaces.alice]\n\n[workspaces.manual]\nrunning_mode = \"MANUAL\"\n",
        "",
    ));
    let plan = bed.wsctl(&["plan"]).await.success();
    for line in [
        "  # cost: price unknown: the Price List prices ALWAYS_ON and AUTO_STOP, not MANUAL\n",
        "\nCost: +$33.75/month (the stack now $0.00/month, after apply $33.75/month)\n",
        "\n1 WorkSpace has no price and is left out of the totals.\n",
    ] {
        assert!(
            plan.stdout.contains(line),
            "no {line:?} in\n{}",
            plan.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_guard_or_assumption_is_refused_with_where_it_is() {
    let bed = Bed::new().await;
    for bad in ["-5", "lots", "NaN"] {
        let flag = format!("--max-monthly-increase={bad}");
        let run = bed.wsctl(&["plan", &flag]).await.failure();
        assert!(
            run.stderr.contains("an amount is a number, 0 or more"),
            "{bad}: {}",
            run.stderr
        );
    }
    let run = bed
        .wsctl(&["plan", "--auto-stop-hours", "800"])
        .await
        .failure();
    assert!(
        run.stderr.contains("800 is not in 0..=744"),
        "{}",
        run.stderr
    );

    bed.fleet(&fleet(
        "[workspaces.alice]\n",
        "max_monthly_increase = \"lots\"\n",
    ));
    let run = bed.wsctl(&["validate"]).await.failure();
    assert!(run.stderr.contains("fleet.toml:3:"), "{}", run.stderr);
    bed.fleet(&fleet(
        "[workspaces.alice]\n",
        "max_monthly_increase = -1\n",
    ));
    let run = bed.wsctl(&["validate"]).await.failure();
    assert!(
        run.stderr
            .contains("`max_monthly_increase` is not an amount the guard can hold"),
        "{}",
        run.stderr
    );
    bed.fleet(&fleet(
        "[workspaces.alice]\n",
        "auto_stop_hours_per_month = 1000\n",
    ));
    let run = bed.wsctl(&["validate"]).await.failure();
    assert!(
        run.stderr.contains("`auto_stop_hours_per_month` is 1000"),
        "{}",
        run.stderr
    );

    // The file's assumption, stated in the plan.
    bed.fleet(&fleet(
        "[workspaces.alice]\n",
        "auto_stop_hours_per_month = 40\n",
    ));
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout.contains("  # cost: +$21.75/month\n"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("assumed to run 40 hours a month"),
        "{}",
        plan.stdout
    );
    let plan = bed
        .wsctl(&["plan", "--auto-stop-hours", "0"])
        .await
        .success();
    assert!(
        plan.stdout.contains("  # cost: +$9.75/month\n"),
        "{}",
        plan.stdout
    );
}
