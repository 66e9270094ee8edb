//! Rendering on a plan built by hand: one change of each action, drawn as
//! people read it (snapshot) and as programs read it (snapshot and fields).

use std::collections::BTreeMap;

use super::markdown::markdown_within;
use super::*;
use crate::address::Address;
use crate::plan::fixtures::*;
use crate::plan::{IdRef, Modification, NewWorkspace, Operation, Plan, ResourceChange, Value};
use crate::states::{AliasState, ImageState};

const PLAIN: Style = Style { color: false };
const COLOR: Style = Style { color: true };

// ---- one change of each action ------------------------------------------------

/// The Standard and Performance bundles as a plan shows them.
fn standard() -> Option<Value> {
    bundle_text(STANDARD, STANDARD_ID)
}

fn performance() -> Option<Value> {
    bundle_text(PERFORMANCE, PERFORMANCE_ID)
}

/// alice is new, with tags of her own.
fn create() -> ResourceChange {
    let alice_tags = with(ownership("alice"), |t| {
        t.insert("team".to_owned(), "platform".to_owned());
    });
    ResourceChange {
        attributes: vec![
            changed("directory_id", None, text(DIRECTORY)),
            changed("user", None, text("alice")),
            changed("bundle", None, standard()),
            changed("compute_type", None, text("STANDARD")),
            changed("running_mode", None, text("AUTO_STOP")),
            changed("auto_stop_timeout_minutes", None, number(60)),
            changed("root_volume_gib", None, number(80)),
            changed("user_volume_gib", None, number(50)),
            changed("tags", None, Some(Value::Tags(alice_tags.clone()))),
        ],
        operations: vec![Operation::CreateWorkspace(NewWorkspace {
            tags: alice_tags,
            ..new_workspace("alice")
        })],
        ..change(
            "alice",
            Action::Create,
            &format!("no WorkSpace for user alice in {DIRECTORY}"),
        )
    }
}

/// bob moves to PERFORMANCE; one tag is added, one changed, one removed.
fn update() -> ResourceChange {
    let before = with(ownership("bob"), |t| {
        t.extend(tags(&[("cost-center", "1234"), ("project", "apollo")]));
    });
    let after = with(ownership("bob"), |t| {
        t.extend(tags(&[("cost-center", "5678"), ("team", "data")]));
    });
    ResourceChange {
        id: Some("ws-bob000001".to_owned()),
        attributes: vec![
            changed("compute_type", text("STANDARD"), text("PERFORMANCE")),
            changed("tags", Some(Value::Tags(before)), Some(Value::Tags(after))),
        ],
        operations: vec![
            Operation::TagResource {
                resource_id: IdRef::Id("ws-bob000001".to_owned()),
                tags: tags(&[("cost-center", "5678"), ("team", "data")]),
            },
            Operation::UntagResource {
                resource_id: IdRef::Id("ws-bob000001".to_owned()),
                keys: vec!["project".to_owned()],
            },
            modify(
                "ws-bob000001",
                Modification::ComputeType {
                    compute_type: "PERFORMANCE".to_owned(),
                },
            ),
        ],
        ..change(
            "bob",
            Action::Update,
            "compute_type, tags differs from the file",
        )
    }
}

/// carol's bundle cannot change in place; she allows the data loss.
fn replace() -> ResourceChange {
    ResourceChange {
        data_loss: true,
        data_loss_allowed: true,
        id: Some("ws-carol00001".to_owned()),
        attributes: vec![forces("bundle", standard(), performance())],
        operations: vec![
            terminate("ws-carol00001"),
            Operation::CreateWorkspace(NewWorkspace {
                bundle_id: IdRef::Id(PERFORMANCE_ID.to_owned()),
                ..new_workspace("carol")
            }),
        ],
        ..change(
            "carol",
            Action::Replace,
            "bundle cannot change on an existing WorkSpace: ws-carol00001 is terminated and a new one created",
        )
    }
}

/// dave left the file.
fn delete() -> ResourceChange {
    ResourceChange {
        data_loss: true,
        id: Some("ws-dave000001".to_owned()),
        attributes: vec![
            changed("directory_id", text(DIRECTORY), None),
            changed("user", text("dave"), None),
            changed("state", text("AVAILABLE"), None),
        ],
        operations: vec![terminate("ws-dave000001")],
        ..change(
            "dave",
            Action::Delete,
            "ws-dave000001 is tagged wsctl:stack = engineering but is not in the file",
        )
    }
}

/// erin's WorkSpace matches the file but carries no stack tag yet.
fn adopt() -> ResourceChange {
    ResourceChange {
        id: Some("ws-erin000001".to_owned()),
        attributes: vec![changed(
            "tags",
            Some(Value::Tags(BTreeMap::new())),
            Some(Value::Tags(ownership("erin"))),
        )],
        operations: vec![Operation::TagResource {
            resource_id: IdRef::Id("ws-erin000001".to_owned()),
            tags: ownership("erin"),
        }],
        ..change(
            "erin",
            Action::Adopt,
            "ws-erin000001 exists for user erin in d-1234567890 without a wsctl:stack tag; apply tags it",
        )
    }
}

/// One change of each action, sorted by address as the planner sorts them,
/// and three resources unchanged.
fn every_action() -> Plan {
    let mut plan = plan_of(vec![create(), update(), replace(), delete(), adopt()]);
    plan.unchanged = 3;
    plan
}

fn no_changes() -> Plan {
    let mut plan = plan_of(Vec::new());
    plan.unchanged = 3;
    plan
}

fn parsed(text: &str) -> serde_json::Value {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => panic!("not JSON ({error}):\n{text}"),
    }
}

// ---- human ------------------------------------------------------------------

#[test]
fn human_plan_with_every_action() {
    insta::assert_snapshot!(human(&every_action(), PLAIN));
}

#[test]
fn render_picks_the_format() {
    let plan = every_action();
    assert_eq!(render(&plan, Format::Human, PLAIN), human(&plan, PLAIN));
    assert_eq!(render(&plan, Format::Json, PLAIN), json(&plan));
}

#[test]
fn no_changes_is_one_sentence() {
    assert_eq!(
        human(&no_changes(), PLAIN),
        "No changes. The account matches the file (3 resources of stack engineering).\n"
    );
}

#[test]
fn summary_line_is_last() {
    let out = human(&every_action(), PLAIN);
    assert!(out.ends_with('\n'), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy, 1 to adopt.")
    );
    assert_eq!(
        summary(&every_action()),
        "Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy, 1 to adopt."
    );
}

#[test]
fn data_loss_warning_lists_the_lossy_changes_above_the_summary() {
    let out = human(&every_action(), PLAIN);
    let lines: Vec<&str> = out.lines().collect();
    let warning = lines
        .iter()
        .position(|l| l.starts_with("Warning:"))
        .unwrap_or_else(|| panic!("no warning in:\n{out}"));
    let summary_at = lines.len() - 1;
    assert!(warning < summary_at);
    let block: Vec<&str> = lines[warning..summary_at]
        .iter()
        .copied()
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        block,
        [
            "Warning: 2 changes lose user data:",
            "  - workspace.carol (replaced; allow_data_loss = true)",
            "  - workspace.dave (destroyed)",
            "  apply refuses workspace.dave without --allow-data-loss.",
        ]
    );
    // Nothing but a blank line between the warning and the summary.
    assert_eq!(warning + block.len() + 2, lines.len());
}

/// The warning's last line says what apply will refuse: carol says
/// `allow_data_loss = true`, dave cannot (he is not in the file).
#[test]
fn data_loss_warning_says_what_apply_refuses() {
    let warning_end = |changes: Vec<ResourceChange>| -> String {
        let out = human(&every_action().with_changes(changes), PLAIN);
        let lines: Vec<&str> = out.lines().collect();
        lines[lines.len() - 3].to_owned()
    };
    let frank = || ResourceChange {
        address: Address::workspace("frank"),
        ..delete()
    };
    assert_eq!(
        warning_end(vec![delete()]),
        "  apply refuses it without --allow-data-loss."
    );
    assert_eq!(
        warning_end(vec![delete(), frank()]),
        "  apply refuses these without --allow-data-loss."
    );
    assert_eq!(
        warning_end(vec![replace()]),
        "  allow_data_loss = true lets apply go ahead."
    );
    assert_eq!(
        warning_end(vec![replace(), delete(), frank()]),
        "  apply refuses workspace.dave, workspace.frank without --allow-data-loss."
    );
}

#[test]
fn data_loss_warning_is_absent_without_data_loss() {
    let plan = every_action().with_changes(vec![create(), update(), adopt()]);
    let out = human(&plan, PLAIN);
    assert!(!out.contains("Warning"), "{out}");
    assert!(!out.contains("allow-data-loss"), "{out}");
}

#[test]
fn colour_only_when_asked() {
    let plain = human(&every_action(), PLAIN);
    assert!(!plain.contains('\x1b'), "{plain}");

    let coloured = human(&every_action(), COLOR);
    for code in ["\x1b[32m", "\x1b[33m", "\x1b[35m", "\x1b[31m", "\x1b[36m"] {
        assert!(coloured.contains(code), "no {code:?} in:\n{coloured}");
    }
    assert!(coloured.contains("\x1b[1mPlan: 1 to add"), "{coloured}");
    // The same text once the codes are taken out.
    assert_eq!(strip_ansi(&coloured), plain);

    let none = human(&no_changes(), COLOR);
    assert!(!none.contains('\x1b'), "{none}");
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('\x1b') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('m')
            .map_or(rest.len(), |m| start + m + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

// ---- JSON -------------------------------------------------------------------

/// The document with the crate version masked, so a release does not change it.
fn json_without_version(plan: &Plan) -> String {
    let text = json(plan);
    let version = format!("\"wsctl_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version), "{text}");
    text.replace(&version, "\"wsctl_version\": \"[version]\"")
}

#[test]
fn json_plan_with_every_action() {
    insta::assert_snapshot!(json_without_version(&every_action()));
}

#[test]
fn json_is_versioned_and_counts_each_action() {
    let document = parsed(&json(&every_action()));
    assert_eq!(document["format_version"], crate::plan::FORMAT_VERSION);
    assert_eq!(document["format_version"], "1");
    assert_eq!(document["wsctl_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(document["stack"], STACK);
    assert_eq!(
        document["summary"],
        serde_json::json!({
            "create": 1,
            "update": 1,
            "migrate": 0,
            "replace": 1,
            "delete": 1,
            "adopt": 1,
            "heal": 0,
            "unchanged": 3,
        })
    );
    assert_eq!(
        document["data_loss"],
        serde_json::json!(["workspace.carol", "workspace.dave"])
    );
    let actions: Vec<&str> = document["changes"]
        .as_array()
        .map(|changes| {
            changes
                .iter()
                .filter_map(|c| c["action"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(actions, ["create", "update", "replace", "delete", "adopt"]);
}

#[test]
fn json_without_changes() {
    let document = parsed(&json(&no_changes()));
    assert_eq!(document["format_version"], "1");
    assert_eq!(document["summary"]["unchanged"], 3);
    assert_eq!(document["summary"]["create"], 0);
    assert_eq!(document["changes"], serde_json::json!([]));
    assert_eq!(document["data_loss"], serde_json::json!([]));
}

// ---- Markdown ---------------------------------------------------------------

#[test]
fn markdown_plan_with_every_action() {
    insta::assert_snapshot!(markdown(&every_action()));
}

#[test]
fn markdown_starts_with_the_summary_line() {
    let out = render(&every_action(), Format::Markdown, PLAIN);
    assert_eq!(out, markdown(&every_action()));
    assert_eq!(
        out.lines().next(),
        Some("**Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy, 1 to adopt.**")
    );
}

#[test]
fn markdown_without_changes_is_one_sentence() {
    assert_eq!(
        markdown(&no_changes()),
        "**No changes.** The account matches the file (3 resources of stack `engineering`).\n"
    );
}

#[test]
fn markdown_counts_by_action_and_kind() {
    let bundle = ResourceChange {
        address: Address::bundle("dev"),
        ..change("dev", Action::Create, "no bundle named dev")
    };
    let plan =
        every_action().with_changes(vec![create(), bundle, update(), delete(), frank_deleted()]);
    let out = markdown(&plan);
    for row in [
        "| action | workspace | bundle | total |",
        "| `+` add | 1 | 1 | 2 |",
        "| `~` change | 1 | 0 | 1 |",
        "| `-` destroy | 2 | 0 | 2 |",
    ] {
        assert!(out.lines().any(|l| l == row), "no {row:?} in:\n{out}");
    }
    // Rows and columns of zeros only are left out.
    for absent in ["` replace", "` adopt", "| image |", "| account |"] {
        assert!(!out.contains(absent), "{absent:?} in:\n{out}");
    }
}

#[test]
fn markdown_counts_directories_and_ip_groups_only_when_the_plan_has_them() {
    let directory = ResourceChange {
        address: Address::directory("corp"),
        ..change("corp", Action::Create, "not registered")
    };
    let group = ResourceChange {
        address: Address::ip_group("office"),
        ..change("office", Action::Update, "rules differ")
    };
    let out = markdown(&plan_of(vec![directory, group, create()]));
    for row in [
        "| action | workspace | directory | ip_group | total |",
        "| `+` add | 1 | 1 | 0 | 2 |",
        "| `~` change | 0 | 0 | 1 | 1 |",
    ] {
        assert!(out.lines().any(|l| l == row), "no {row:?} in:\n{out}");
    }
    let out = markdown(&plan_of(vec![create()]));
    assert!(
        out.lines().any(|l| l == "| action | workspace | total |"),
        "{out}"
    );
}

fn frank_deleted() -> ResourceChange {
    ResourceChange {
        address: Address::workspace("frank"),
        ..delete()
    }
}

#[test]
fn markdown_warning_names_what_loses_data_and_what_apply_refuses() {
    let out = markdown(&every_action());
    let banner: Vec<&str> = out.lines().filter(|l| l.starts_with('>')).collect();
    assert_eq!(
        banner,
        [
            "> [!WARNING]",
            "> **2 changes lose user data:**",
            "> - `workspace.carol` (replaced; `allow_data_loss = true`)",
            "> - `workspace.dave` (destroyed)",
            ">",
            "> `wsctl apply` refuses `workspace.dave` without `--allow-data-loss`.",
        ]
    );
    let verdict = |changes: Vec<ResourceChange>| -> String {
        let out = markdown(&every_action().with_changes(changes));
        let banner: Vec<&str> = out.lines().filter(|l| l.starts_with('>')).collect();
        banner.last().map(|l| (*l).to_owned()).unwrap_or_default()
    };
    assert_eq!(
        verdict(vec![delete(), frank_deleted()]),
        "> `wsctl apply` refuses them without `--allow-data-loss`."
    );
    assert_eq!(
        verdict(vec![replace()]),
        "> Each says `allow_data_loss = true`, so `wsctl apply` goes ahead."
    );
    let many: Vec<ResourceChange> = std::iter::once(replace())
        .chain((0..6).map(|i| ResourceChange {
            address: Address::workspace(&format!("gone{i}")),
            ..delete()
        }))
        .collect();
    assert_eq!(
        verdict(many),
        "> `wsctl apply` refuses the 6 that do not say `allow_data_loss = true` without `--allow-data-loss`."
    );
    let safe = every_action().with_changes(vec![create(), update(), adopt()]);
    let out = markdown(&safe);
    assert!(!out.contains("[!WARNING]"), "{out}");
}

/// Each changed resource is a fold whose diff block shows old lines with `-`
/// and new ones with `+`; unchanged tags stay as context.
#[test]
fn markdown_folds_hold_a_diff_per_resource() {
    let out = markdown(&every_action());
    assert_eq!(out.matches("<details>").count(), 5, "{out}");
    assert_eq!(out.matches("</details>").count(), 5, "{out}");
    assert_eq!(out.matches("```diff").count(), 5, "{out}");
    assert!(out.contains(
        "<details><summary><code>~</code> <b>workspace.bob</b> will be updated in place: compute_type, tags differs from the file</summary>"
    ), "{out}");
    for line in [
        "  id = \"ws-bob000001\"",
        "- compute_type = \"STANDARD\"",
        "+ compute_type = \"PERFORMANCE\"",
        "-     \"cost-center\" = \"1234\"",
        "+     \"cost-center\" = \"5678\"",
        "-     \"project\" = \"apollo\"",
        "+     \"team\" = \"data\"",
        "      \"wsctl:name\" = \"bob\"",
    ] {
        assert!(out.lines().any(|l| l == line), "no {line:?} in:\n{out}");
    }
}

#[test]
fn markdown_escapes_html_in_the_summary() {
    let odd = change("x", Action::Create, "a <b> & c");
    let out = markdown(&every_action().with_changes(vec![odd]));
    assert!(out.contains(": a &lt;b&gt; &amp; c</summary>"), "{out}");
}

/// A fleet of 2,000 new WorkSpaces (and 2,000 terminated ones) gives a
/// Markdown comment that GitHub accepts, cut at whole folds, saying what
/// was cut and how to see it.
#[test]
fn markdown_of_a_huge_plan_stays_under_the_comment_limit() {
    let mut changes: Vec<ResourceChange> = (0..2000)
        .map(|i| ResourceChange {
            address: Address::workspace(&format!("user{i:04}")),
            ..create()
        })
        .collect();
    changes.extend((0..2000).map(|i| ResourceChange {
        address: Address::workspace(&format!("zz-gone{i:04}")),
        ..delete()
    }));
    let plan = every_action().with_changes(changes);
    let out = markdown(&plan);
    assert!(out.len() <= 60_000, "{} bytes", out.len());
    assert!(out.chars().count() < 65_536);
    let shown = out.matches("<details>").count();
    assert_eq!(out.matches("</details>").count(), shown);
    assert!(shown > 10, "only {shown} folds");
    assert!(out.starts_with("**Plan: 2000 to add, 0 to change"), "{out}");
    assert!(out.contains("> - and 1950 more\n"), "{out}");
    let note = format!(
        "**{} of 4000 resources are not shown** to keep this comment under GitHub's size limit. \
         See them all with `wsctl plan`, or `wsctl show PLAN.json --format human` for a saved plan.",
        4000 - shown
    );
    assert!(
        out.trim_end().ends_with(&note),
        "{}",
        &out[out.len() - 500..]
    );
}

#[test]
fn markdown_cuts_folds_from_the_end() {
    let full = markdown(&every_action());
    let budget = full.find("<b>workspace.dave</b>").unwrap_or(0) + 300;
    let cut = markdown_within(&every_action(), budget);
    assert!(cut.len() <= budget, "{} > {budget}", cut.len());
    assert!(cut.contains("<b>workspace.carol</b>"), "{cut}");
    assert!(!cut.contains("<b>workspace.dave</b>"), "{cut}");
    assert!(!cut.contains("<b>workspace.erin</b>"), "{cut}");
    assert!(cut.contains("**2 of 5 resources are not shown**"), "{cut}");
    assert!(!full.contains("not shown"), "{full}");
}

/// A migration has its own row (the summary line counts it as a change), and
/// the planner's notes come as a GitHub note.
#[test]
fn markdown_shows_migrations_and_the_planners_notes() {
    let migrate = ResourceChange {
        id: Some("ws-gina000001".to_owned()),
        attributes: vec![changed("bundle", standard(), performance())],
        ..change("gina", Action::Migrate, "its bundle changes")
    };
    let mut plan = every_action().with_changes(vec![migrate]);
    plan.warnings = vec!["bundle.dev's new image does not rebuild existing WorkSpaces".to_owned()];
    let out = markdown(&plan);
    assert!(out.starts_with("**Plan: 0 to add, 1 to change,"), "{out}");
    assert!(out.contains("\n| `~>` migrate | 1 | 1 |\n"), "{out}");
    assert!(
        out.contains(
            "\n> [!NOTE]\n> - bundle.dev's new image does not rebuild existing WorkSpaces\n"
        ),
        "{out}"
    );
    assert!(out.contains("<code>~&gt;</code> <b>workspace.gina</b> will be migrated: its bundle changes</summary>"), "{out}");
    assert!(
        out.contains("```diff\n- id = \"ws-gina000001\"\n- bundle = "),
        "{out}"
    );
}

// ---- the plan's JSON Schema -------------------------------------------------

#[test]
fn plan_schema_file_is_generated_from_the_types() {
    crate::schema_check::assert_committed(
        "plan.schema.json",
        &plan_schema(),
        "cargo run -- schema plan > schema/plan.schema.json",
    );
}

#[test]
fn json_plans_validate_against_the_schema() {
    let schema = crate::schema_check::committed("plan.schema.json");
    for (name, plan) in [
        ("every action", every_action()),
        ("no changes", no_changes()),
    ] {
        let document = parsed(&json(&plan));
        let problems = crate::schema_check::violations(&schema, &document);
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

/// The schema is strict enough to catch a document that is wrong.
#[test]
fn the_plan_schema_rejects_a_wrong_document() {
    let schema = crate::schema_check::committed("plan.schema.json");
    let mut document = parsed(&json(&every_action()));
    document["format_version"] = serde_json::json!("2");
    document["changes"][0]["action"] = serde_json::json!("explode");
    document["changes"][1]["address"] = serde_json::json!("desk.bob");
    let problems = crate::schema_check::violations(&schema, &document);
    assert_eq!(problems.len(), 3, "{}", problems.join("\n"));
}

// ---- the resources beyond WorkSpaces, planned from a file -------------------

/// BYOL turned on, an image rolled out to its bundle (the old one deposed),
/// an image copied and a bundle made on it, a WorkSpace migrated to a file
/// bundle and one created on a bundle this plan creates.
fn planned_pipeline() -> Plan {
    use crate::live::{CidrOffer, LiveBundle, LiveImage, LiveState};
    let file = format!(
        r#"[settings]
stack = "{STACK}"

[account]
byol = true
management_cidr = "10.200.0.0/16"

[images.base]
import = {{ ec2_image_id = "ami-0123456789abcdef0", ingestion_process = "BYOL_REGULAR_WSP" }}
auto_update = true

[images.golden]
copy = {{ source_region = "us-west-2", source_image_id = "wsi-0abc123def" }}

[bundles.dev]
image = "base"
compute_type = "STANDARD"
user_volume_gib = 50

[bundles.analyst]
image = "golden"
compute_type = "VALUE"
user_volume_gib = 10

[workspaces.alice]
directory_id = "{DIRECTORY}"
bundle = "dev"

[workspaces.bob]
directory_id = "{DIRECTORY}"
bundle = "analyst"
"#
    );
    let fleet =
        crate::spec::parse("fleet.toml", &file).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let live = LiveState {
        images: vec![LiveImage {
            id: "wsi-base00001".to_owned(),
            name: "base".to_owned(),
            state: ImageState::Available,
            update_available: true,
            update_description: Some("New WorkSpaces agent".to_owned()),
            tags: ownership("base"),
            ..LiveImage::default()
        }],
        bundles: vec![
            bundle(STANDARD_ID, STANDARD, "STANDARD"),
            LiveBundle {
                id: "wsb-dev000001".to_owned(),
                name: "dev".to_owned(),
                owner: Some("123456789012".to_owned()),
                image_id: Some("wsi-base00001".to_owned()),
                compute_type: Some("STANDARD".to_owned()),
                user_volume_gib: Some(50),
                tags: ownership("dev"),
                ..LiveBundle::default()
            },
        ],
        workspaces: vec![owned(live_workspace("ws-alice0001", "alice"), "alice")],
        cidr_offer: Some(CidrOffer {
            requested: "10.200.0.0/16".to_owned(),
            offered: true,
            alternatives: Vec::new(),
        }),
        ..LiveState::default()
    };
    crate::plan::plan(&fleet, &live).unwrap_or_else(|errors| panic!("{errors:#?}"))
}

#[test]
fn human_plan_of_images_bundles_byol_and_migration() {
    insta::assert_snapshot!(human(&planned_pipeline(), PLAIN));
}

#[test]
fn json_plan_of_images_bundles_byol_and_migration_matches_the_schema() {
    let schema = crate::schema_check::committed("plan.schema.json");
    let document = parsed(&json(&planned_pipeline()));
    assert!(crate::schema_check::violations(&schema, &document).is_empty());
    let actions: Vec<(&str, &str)> = document["changes"]
        .as_array()
        .map(|changes| {
            changes
                .iter()
                .filter_map(|c| Some((c["address"].as_str()?, c["action"].as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        actions,
        [
            ("account", "update"),
            ("image.base", "update"),
            ("image.base (deposed wsi-base00001)", "delete"),
            ("image.golden", "create"),
            ("bundle.analyst", "create"),
            ("bundle.dev", "update"),
            ("workspace.alice", "migrate"),
            ("workspace.bob", "create"),
        ]
    );
}

// ---- connection aliases and sharing, planned from a file ---------------------

/// An alias created, associated and shared; one moved to another directory
/// and shared differently; one replaced by a new connection string; one
/// deleted; an image shared with one more account.
fn planned_sharing() -> Plan {
    use crate::live::{LiveAliasAssociation, LiveConnectionAlias, LiveImage, LiveState};
    let file = format!(
        r#"[settings]
stack = "{STACK}"

[images.golden]
copy = {{ source_region = "us-west-2", source_image_id = "wsi-0abc123def" }}
share_with = ["111122223333", "444455556666"]

[connection_aliases.desktop]
connection_string = "desktop.example.com"
directory_id = "{DIRECTORY}"
share_with = ["111122223333"]

[connection_aliases.lab]
connection_string = "lab.example.com"
directory_id = "d-2345678901"
share_with = ["444455556666"]

[connection_aliases.vdi]
connection_string = "vdi2.example.com"
"#
    );
    let fleet =
        crate::spec::parse("fleet.toml", &file).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let alias = |id: &str, fqdn: &str, name: &str, shared: &[&str]| LiveConnectionAlias {
        id: id.to_owned(),
        connection_string: fqdn.to_owned(),
        state: AliasState::Created,
        owner_account_id: Some("123456789012".to_owned()),
        associations: vec![LiveAliasAssociation {
            status: "ASSOCIATED_WITH_OWNER_ACCOUNT".to_owned(),
            account_id: Some("123456789012".to_owned()),
            directory_id: Some(DIRECTORY.to_owned()),
        }],
        shared_with: shared.iter().map(|a| (*a).to_owned()).collect(),
        tags: ownership(name),
    };
    let live = LiveState {
        images: vec![LiveImage {
            id: "wsi-golden001".to_owned(),
            name: "golden".to_owned(),
            state: ImageState::Available,
            tags: ownership("golden"),
            shared_with: Some(["111122223333".to_owned()].into()),
            ..LiveImage::default()
        }],
        connection_aliases: vec![
            alias(
                "wsca-lab000001",
                "lab.example.com",
                "lab",
                &["111122223333"],
            ),
            alias("wsca-vdi000001", "vdi.example.com", "vdi", &[]),
            alias("wsca-old000001", "old.example.com", "old", &[]),
        ],
        account_id: Some("123456789012".to_owned()),
        ..LiveState::default()
    };
    crate::plan::plan(&fleet, &live).unwrap_or_else(|errors| panic!("{errors:#?}"))
}

#[test]
fn human_plan_of_connection_aliases_and_image_sharing() {
    insta::assert_snapshot!(human(&planned_sharing(), PLAIN));
}

#[test]
fn markdown_plan_of_connection_aliases_and_image_sharing() {
    insta::assert_snapshot!(markdown(&planned_sharing()));
}

#[test]
fn json_plan_of_connection_aliases_and_image_sharing_matches_the_schema() {
    let schema = crate::schema_check::committed("plan.schema.json");
    let document = parsed(&json(&planned_sharing()));
    assert!(crate::schema_check::violations(&schema, &document).is_empty());
    let golden = &document["changes"][0];
    assert_eq!(golden["address"], "image.golden");
    assert_eq!(
        golden["attributes"][0],
        serde_json::json!({
            "name": "share_with",
            "before": ["111122223333"],
            "after": ["111122223333", "444455556666"],
            "forces_replacement": false,
        })
    );
    let read: Vec<ResourceChange> =
        serde_json::from_value(document["changes"].clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        read,
        planned_sharing().changes(),
        "lists read back as lists"
    );
}
