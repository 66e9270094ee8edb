//! The writer on plain data: what it writes is a valid fleet file that the
//! planner, against the same account, only adopts from.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;
use crate::directory_settings::{DirectorySettings, Group, GroupSettings, Setting};
use crate::live::{
    LiveAccount, LiveAliasAssociation, LiveBundle, LiveConnectionAlias, LiveDirectory, LiveImage,
    LiveIpGroup, LiveState, LiveWorkspace,
};
use crate::plan::{self, Action, Plan};
use crate::spec::{BundleRef, Fleet, IpRule, RunningMode, WorkspaceProperties};
use crate::states::{AliasState, DirectoryState, WorkspaceState};
use crate::workspace_properties::{GlobalAccelerator, Protocol};

const DIRECTORY: &str = "d-1234567890";
const OTHER_DIRECTORY: &str = "d-0987654321";
const STANDARD: &str = "Standard with Windows 10";
const STANDARD_ID: &str = "wsb-std000001";
const POWER: &str = "Power with Windows 10";
const POWER_ID: &str = "wsb-power0001";
/// Two AMAZON bundles share this name: WorkSpaces on them go by id.
const TWIN: &str = "Twin";
const TWIN_IDS: [&str; 2] = ["wsb-twin00001", "wsb-twin00002"];
const CUSTOM_ID: &str = "wsb-custom001";
const IMAGE_ID: &str = "wsi-custom0001";
const ACCOUNT: &str = "123456789012";
/// The account the image and the alias are shared with.
const PARTNER: &str = "111122223333";
const OFFICE_ID: &str = "wsipg-office001";
const FINANCE_GROUP_ID: &str = "wsipg-finance01";

fn options() -> Options {
    Options {
        stack: "imported".to_owned(),
        region: Some("us-east-1".to_owned()),
        account_id: Some("123456789012".to_owned()),
        written_on: "2026-11-29".to_owned(),
        directories: vec![DIRECTORY.to_owned(), OTHER_DIRECTORY.to_owned()],
        ..Options::default()
    }
}

fn amazon(id: &str, name: &str, compute: &str, root: i32, user: i32) -> LiveBundle {
    LiveBundle {
        id: id.to_owned(),
        name: name.to_owned(),
        owner: Some("AMAZON".to_owned()),
        compute_type: Some(compute.to_owned()),
        root_volume_gib: Some(root),
        user_volume_gib: Some(user),
        ..LiveBundle::default()
    }
}

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn standard_properties() -> WorkspaceProperties {
    WorkspaceProperties {
        compute_type: Some("STANDARD".to_owned()),
        running_mode: Some(RunningMode::AutoStop),
        auto_stop_timeout_minutes: Some(60),
        root_volume_gib: Some(80),
        user_volume_gib: Some(50),
        ..WorkspaceProperties::default()
    }
}

fn workspace(id: &str, user: &str) -> LiveWorkspace {
    LiveWorkspace {
        id: id.to_owned(),
        directory_id: DIRECTORY.to_owned(),
        user: user.to_owned(),
        state: WorkspaceState::Available,
        bundle_id: STANDARD_ID.to_owned(),
        properties: standard_properties(),
        modifying: false,
        tags: tags(&[("team", "eng")]),
        ..LiveWorkspace::default()
    }
}

fn with<T>(mut value: T, change: impl FnOnce(&mut T)) -> T {
    change(&mut value);
    value
}

/// An account of every kind of WorkSpace the writer meets, a custom bundle
/// on a custom image, and resources it must leave out.
fn account() -> LiveState {
    let power = WorkspaceProperties {
        compute_type: Some("POWER".to_owned()),
        running_mode: Some(RunningMode::AlwaysOn),
        auto_stop_timeout_minutes: Some(60),
        root_volume_gib: Some(175),
        user_volume_gib: Some(100),
        ..WorkspaceProperties::default()
    };
    LiveState {
        account: LiveAccount::default(),
        workspaces: vec![
            workspace("ws-a0000001", "alice"),
            workspace("ws-a0000002", "bob"),
            workspace("ws-a0000003", "carol"),
            with(workspace("ws-a0000004", "dave"), |w| {
                w.properties.auto_stop_timeout_minutes = Some(120);
                w.tags = tags(&[("team", "graphics"), ("gpu", "yes")]);
            }),
            with(workspace("ws-a0000005", "erin"), |w| {
                w.bundle_id = POWER_ID.to_owned();
                w.properties = power.clone();
            }),
            with(workspace("ws-a0000006", "frank.smith@corp"), |w| {
                w.bundle_id = TWIN_IDS[1].to_owned();
                w.properties.root_volume_encryption = Some(true);
                w.properties.volume_encryption_key = Some("alias/workspaces".to_owned());
            }),
            with(workspace("ws-a0000007", "alice"), |w| {
                w.directory_id = OTHER_DIRECTORY.to_owned();
                w.bundle_id = CUSTOM_ID.to_owned();
                w.tags = tags(&[("team", "eng"), ("aws:cloudformation:stack-name", "x")]);
            }),
            with(workspace("ws-a0000008", "grace"), |w| {
                w.tags.insert(STACK_TAG.to_owned(), "finance".to_owned());
            }),
            with(workspace("ws-a0000009", "heidi"), |w| {
                w.state = WorkspaceState::Terminating;
            }),
            with(workspace("ws-a0000010", "ivan"), |w| {
                w.state = WorkspaceState::Error;
            }),
            with(workspace("ws-a0000012", "Ken Lee"), |w| {
                w.properties.running_mode = Some(RunningMode::Manual);
                w.properties.user_volume_gib = Some(100);
            }),
        ],
        bundles: vec![
            amazon(STANDARD_ID, STANDARD, "STANDARD", 80, 50),
            amazon(POWER_ID, POWER, "POWER", 175, 100),
            amazon(TWIN_IDS[0], TWIN, "STANDARD", 80, 50),
            amazon(TWIN_IDS[1], TWIN, "STANDARD", 80, 50),
            LiveBundle {
                id: CUSTOM_ID.to_owned(),
                name: "dev".to_owned(),
                owner: Some("123456789012".to_owned()),
                description: Some("Developer desktops".to_owned()),
                image_id: Some(IMAGE_ID.to_owned()),
                compute_type: Some("STANDARD".to_owned()),
                root_volume_gib: Some(80),
                user_volume_gib: Some(50),
                tags: tags(&[("cost", "dev")]),
            },
            LiveBundle {
                id: "wsb-finance01".to_owned(),
                name: "finance".to_owned(),
                owner: Some("123456789012".to_owned()),
                image_id: Some(IMAGE_ID.to_owned()),
                compute_type: Some("STANDARD".to_owned()),
                user_volume_gib: Some(50),
                tags: tags(&[(STACK_TAG, "finance")]),
                ..LiveBundle::default()
            },
        ],
        images: vec![LiveImage {
            id: IMAGE_ID.to_owned(),
            name: "win11-base".to_owned(),
            description: Some("Windows 11; hardened".to_owned()),
            state: ImageState::Available,
            tags: tags(&[("os", "win11")]),
            shared_with: Some(BTreeSet::from([PARTNER.to_owned()])),
            ..LiveImage::default()
        }],
        ip_groups: vec![
            LiveIpGroup {
                id: OFFICE_ID.to_owned(),
                name: "office".to_owned(),
                description: Some("Head office".to_owned()),
                rules: vec![
                    IpRule {
                        source: "203.0.113.0/24".to_owned(),
                        description: Some("3rd floor".to_owned()),
                    },
                    IpRule {
                        source: "198.51.100.7".to_owned(),
                        description: None,
                    },
                ],
                tags: tags(&[("site", "hq")]),
            },
            LiveIpGroup {
                id: FINANCE_GROUP_ID.to_owned(),
                name: "finance-vpn".to_owned(),
                tags: tags(&[(STACK_TAG, "finance")]),
                ..LiveIpGroup::default()
            },
        ],
        directories: vec![
            LiveDirectory {
                id: DIRECTORY.to_owned(),
                state: DirectoryState::Registered,
                subnet_ids: vec![
                    "subnet-0a1b2c3d4e5f60718".to_owned(),
                    "subnet-0f1e2d3c4b5a69788".to_owned(),
                ],
                tenancy: Some(crate::directory_settings::Tenancy::Shared),
                ip_group_ids: vec![OFFICE_ID.to_owned(), FINANCE_GROUP_ID.to_owned()],
                settings: DirectorySettings::from([
                    (
                        Group::SelfServicePermissions,
                        GroupSettings::from([
                            ("restart_workspace".to_owned(), Setting::Bool(true)),
                            ("rebuild_workspace".to_owned(), Setting::Bool(false)),
                        ]),
                    ),
                    (
                        Group::Creation,
                        GroupSettings::from([
                            (
                                "default_ou".to_owned(),
                                Setting::Text("OU=WorkSpaces,DC=corp".to_owned()),
                            ),
                            ("enable_internet_access".to_owned(), Setting::Bool(false)),
                        ]),
                    ),
                    (
                        Group::Access,
                        GroupSettings::from([
                            ("web".to_owned(), Setting::Text("deny".to_owned())),
                            ("windows".to_owned(), Setting::Text("allow".to_owned())),
                        ]),
                    ),
                    (
                        Group::Client,
                        GroupSettings::from([("reconnect".to_owned(), Setting::Bool(true))]),
                    ),
                ]),
                tags: tags(&[("team", "it")]),
            },
            LiveDirectory {
                id: OTHER_DIRECTORY.to_owned(),
                state: DirectoryState::Registered,
                subnet_ids: vec!["subnet-0a1b2c3d".to_owned()],
                ..LiveDirectory::default()
            },
        ],
        connection_aliases: vec![
            LiveConnectionAlias {
                id: "wsca-0000000001".to_owned(),
                connection_string: "desktop.example.com".to_owned(),
                state: AliasState::Created,
                owner_account_id: Some(ACCOUNT.to_owned()),
                associations: vec![LiveAliasAssociation {
                    status: "ASSOCIATED_WITH_OWNER_ACCOUNT".to_owned(),
                    account_id: Some(ACCOUNT.to_owned()),
                    directory_id: Some(DIRECTORY.to_owned()),
                }],
                shared_with: BTreeSet::from([PARTNER.to_owned()]),
                tags: tags(&[("team", "it")]),
            },
            LiveConnectionAlias {
                id: "wsca-0000000002".to_owned(),
                connection_string: "old.example.com".to_owned(),
                state: AliasState::Deleting,
                owner_account_id: Some(ACCOUNT.to_owned()),
                ..LiveConnectionAlias::default()
            },
        ],
        account_id: Some(ACCOUNT.to_owned()),
        ..LiveState::default()
    }
}

fn parsed(text: &str) -> Fleet {
    crate::spec::parse("imported.toml", text)
        .unwrap_or_else(|d| panic!("{}\n{text}", d.render(false)))
}

fn planned(text: &str, live: &LiveState) -> Plan {
    let fleet = parsed(text);
    plan::plan(&fleet, live).unwrap_or_else(|errors| panic!("{errors:#?}\n{text}"))
}

/// Every change adopts, and only tags change.
#[track_caller]
fn assert_only_adoptions(plan: &Plan) {
    for change in plan.changes() {
        assert_eq!(change.action, Action::Adopt, "{change:#?}");
        let names: Vec<&str> = change.attributes.iter().map(|a| a.name.as_ref()).collect();
        assert!(names.iter().all(|n| *n == "tags"), "{change:#?}");
        let tagged = change
            .attributes
            .iter()
            .all(|a| match (&a.before, &a.after) {
                (Some(plan::Value::Tags(before)), Some(plan::Value::Tags(after))) => {
                    let mine: BTreeMap<_, _> = after
                        .iter()
                        .filter(|(k, _)| !k.starts_with("wsctl:"))
                        .collect();
                    let theirs: BTreeMap<_, _> = before
                        .iter()
                        .filter(|(k, _)| !k.starts_with("wsctl:"))
                        .collect();
                    mine == theirs
                }
                _ => false,
            });
        assert!(tagged, "only wsctl's tags are added: {change:#?}");
    }
}

#[test]
fn the_file_adopts_everything_it_lists_and_changes_nothing_else() {
    let live = account();
    let imported = write(&live, &options());
    let plan = planned(&imported.text, &live);
    assert_only_adoptions(&plan);
    // 8 WorkSpaces, the bundle, the image, the IP group, the two
    // directories and the alias.
    assert_eq!(plan.changes().len(), 14, "{}", imported.text);
    assert_eq!(
        (imported.workspaces, imported.bundles, imported.images),
        (8, 1, 1)
    );
    assert_eq!(
        (
            imported.directories,
            imported.ip_groups,
            imported.connection_aliases
        ),
        (2, 1, 1)
    );
    // grace (another stack), heidi, ivan, the finance bundle and IP group,
    // the alias being deleted.
    assert_eq!(imported.left_out, 6);
    assert_eq!(imported.owned_left_out, 0);
}

#[test]
fn the_whole_file() {
    let text = write(&account(), &options()).text;
    assert_eq!(
        text,
        r#"# Written by `wsctl import` on 2026-11-29 from account 123456789012 in us-east-1.
# Planned against that account, it adopts what it lists (apply tags each with wsctl:stack and wsctl:name) and changes nothing else.
# WorkSpaces read from every registered directory: d-1234567890, d-0987654321.
#
# Left out:
#   IP group wsipg-finance01 (finance-vpn): owned by stack `finance`
#   WorkSpace ws-a0000008 (user grace in d-1234567890): owned by stack `finance`
#   WorkSpace ws-a0000009 (user heidi in d-1234567890): TERMINATING: it is on its way out
#   WorkSpace ws-a0000010 (user ivan in d-1234567890): in ERROR, which wsctl does not adopt
#   bundle wsb-finance01 (finance): owned by stack `finance`
#   connection alias wsca-0000000002 (old.example.com): DELETING: it is on its way out

[settings]
stack = "imported"
region = "us-east-1"

[account]
byol = false

[images.win11-base]
existing = true
share_with = ["111122223333"]
tags = { os = "win11" }

[bundles.dev]
image = "win11-base"
compute_type = "STANDARD"
root_volume_gib = 80
user_volume_gib = 50
description = "Developer desktops"
tags = { cost = "dev" }

[ip_groups.office]
description = "Head office"
rules = [{ source = "203.0.113.0/24", description = "3rd floor" }, { source = "198.51.100.7" }]
tags = { site = "hq" }

[directories.d-0987654321]
directory_id = "d-0987654321"
subnet_ids = ["subnet-0a1b2c3d"]
ip_groups = []

[directories.d-1234567890]
directory_id = "d-1234567890"
subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
tenancy = "shared"
ip_groups = ["office", "wsipg-finance01"]
tags = { team = "it" }

[directories.d-1234567890.self_service_permissions]
restart_workspace = true
rebuild_workspace = false

[directories.d-1234567890.creation]
enable_internet_access = false
default_ou = "OU=WorkSpaces,DC=corp"

[directories.d-1234567890.access]
windows = "allow"
web = "deny"

[directories.d-1234567890.client]
reconnect = true

[connection_aliases."desktop.example.com"]
connection_string = "desktop.example.com"
directory_id = "d-1234567890"
share_with = ["111122223333"]
tags = { team = "it" }

[defaults.workspace]
directory_id = "d-1234567890"
bundle = "Standard with Windows 10"
compute_type = "STANDARD"
running_mode = "AUTO_STOP"
auto_stop_timeout_minutes = 60
root_volume_gib = 80
user_volume_gib = 50
tags = { team = "eng" }

[workspaces]
"Ken Lee" = { running_mode = "MANUAL", user_volume_gib = 100 }
alice = { directory_id = "d-0987654321", bundle = "dev" }
alice-d-1234567890 = { user = "alice" }
bob = {}
carol = {}
dave = { auto_stop_timeout_minutes = 120, tags = { gpu = "yes", team = "graphics" } }
erin = { bundle = "Power with Windows 10", compute_type = "POWER", running_mode = "ALWAYS_ON", root_volume_gib = 175, user_volume_gib = 100 }
"frank.smith@corp" = { bundle_id = "wsb-twin00002", root_volume_encryption = true, volume_encryption_key = "alias/workspaces" }
"#
    );
}

#[test]
fn a_second_import_is_the_same_file_whatever_order_aws_lists_in() {
    let live = account();
    let mut reversed = live.clone();
    reversed.workspaces.reverse();
    reversed.bundles.reverse();
    assert_eq!(write(&live, &options()), write(&reversed, &options()));
}

/// The account, with one WorkSpace this stack made as `judy-desk`.
fn with_judy() -> LiveState {
    let mut live = account();
    live.workspaces
        .push(with(workspace("ws-a0000011", "judy"), |w| {
            w.tags.insert(STACK_TAG.to_owned(), "imported".to_owned());
            w.tags.insert(NAME_TAG.to_owned(), "judy-desk".to_owned());
        }));
    live
}

#[test]
fn with_include_owned_the_stack_s_own_keep_their_names_and_plan_unchanged() {
    let live = with_judy();
    let options = Options {
        include_owned: true,
        ..options()
    };
    let imported = write(&live, &options);
    assert!(
        imported
            .text
            .contains("\njudy-desk = { user = \"judy\" }\n"),
        "{}",
        imported.text
    );
    let plan = planned(&imported.text, &live);
    assert_only_adoptions(&plan);
    assert!(
        plan.changes()
            .iter()
            .all(|c| c.address.name() != "judy-desk")
    );
    // judy-desk and the account.
    assert_eq!(plan.unchanged, 2);
}

#[test]
fn without_include_owned_the_stack_s_own_are_left_out_and_counted() {
    let mut live = with_judy();
    // The stack's, but on its way out: no plan deletes it.
    live.workspaces
        .push(with(workspace("ws-a0000013", "leo"), |w| {
            w.tags.insert(STACK_TAG.to_owned(), "imported".to_owned());
            w.state = WorkspaceState::Terminating;
        }));
    let imported = write(&live, &options());
    assert_eq!(imported.owned_left_out, 1);
    assert!(imported.text.contains(
        "#   WorkSpace ws-a0000011 (user judy in d-1234567890): already this stack's; a plan of this file alone would delete it (--include-owned writes it)\n"
    ), "{}", imported.text);
    assert!(!imported.text.contains("judy ="));
}

#[test]
fn a_user_pattern_counts_the_stack_s_own_it_leaves_out() {
    let options = Options {
        user_pattern: Some("a*".parse().expect("a pattern")),
        include_owned: true,
        ..options()
    };
    let imported = write(&with_judy(), &options);
    assert_eq!(imported.owned_left_out, 1);
    assert!(
        imported.text.contains(
            "#     1 of them already this stack's; a plan of this file alone would delete them\n"
        ),
        "{}",
        imported.text
    );
}

#[test]
fn of_two_workspaces_of_one_user_the_file_has_the_one_the_plan_matches() {
    let mut live = account();
    // AWS migrating bob: the new WorkSpace (listed later) holds him too.
    live.workspaces
        .push(with(workspace("ws-b0000002", "bob"), |w| {
            w.bundle_id = POWER_ID.to_owned();
            w.properties.compute_type = Some("POWER".to_owned());
            w.properties.root_volume_gib = Some(175);
            w.properties.user_volume_gib = Some(100);
        }));
    let imported = write(&live, &options());
    assert!(imported.text.contains(
        "#   WorkSpace ws-a0000002 (user bob in d-1234567890): ws-b0000002 holds the same user (AWS is migrating it)\n"
    ), "{}", imported.text);
    assert!(
        imported
            .text
            .contains("\nbob = { bundle = \"Power with Windows 10\"")
    );
    assert_only_adoptions(&planned(&imported.text, &live));
}

#[test]
fn a_workspace_with_more_tags_than_wsctl_can_add_to_is_left_out() {
    let mut live = account();
    live.workspaces[1].tags = (0..49).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    let imported = write(&live, &options());
    assert!(imported.text.contains(
        "#   WorkSpace ws-a0000002 (user bob in d-1234567890): it has 49 tags, and wsctl needs 2 of the 50 AWS allows for its own\n"
    ), "{}", imported.text);
    assert_only_adoptions(&planned(&imported.text, &live));
}

#[test]
fn a_user_pattern_filters_and_says_how_many() {
    let options = Options {
        user_pattern: Some("a*".parse().expect("a pattern")),
        ..options()
    };
    let imported = write(&account(), &options);
    assert_eq!(imported.workspaces, 2);
    assert!(
        imported
            .text
            .contains("#   9 WorkSpace(s) whose user does not match --user-pattern a*\n"),
        "{}",
        imported.text
    );
}

#[test]
fn an_account_with_byol_on_keeps_its_range() {
    let mut live = account();
    live.account = LiveAccount {
        byol: true,
        management_cidr: Some("10.200.0.0/16".to_owned()),
        pending_cidr: None,
    };
    let text = write(&live, &options()).text;
    assert!(text.contains("\n[account]\nbyol = true\nmanagement_cidr = \"10.200.0.0/16\"\n"));
    assert_only_adoptions(&planned(&text, &live));
    live.account = LiveAccount {
        byol: false,
        management_cidr: None,
        pending_cidr: Some("10.201.0.0/16".to_owned()),
    };
    let text = write(&live, &options()).text;
    assert!(text.contains("management_cidr = \"10.201.0.0/16\""));
    assert_only_adoptions(&planned(&text, &live));
}

#[test]
fn an_empty_account_is_settings_and_account_alone() {
    let live = LiveState::default();
    let text = write(&live, &options()).text;
    let fleet = parsed(&text);
    assert!(fleet.workspaces.is_empty());
    assert!(text.contains("# Nothing was left out.\n"));
    assert!(planned(&text, &live).changes().is_empty());
}

#[test]
fn the_file_is_valid_by_the_fleet_schema() {
    let schema = crate::schema_check::committed("fleet.schema.json");
    let text = write(&account(), &options()).text;
    let document: serde_json::Value = toml::from_str(&text).expect("TOML");
    assert_eq!(
        crate::schema_check::violations(&schema, &document),
        Vec::<String>::new()
    );
}

#[test]
fn encryption_shared_by_all_is_a_default() {
    let encrypted = |id: &str, user: &str, key: &str| {
        with(workspace(id, user), |w| {
            w.properties.user_volume_encryption = Some(true);
            w.properties.volume_encryption_key = Some(key.to_owned());
        })
    };
    let mut live = account();
    live.workspaces = vec![
        encrypted("ws-e0000001", "a", "alias/one"),
        encrypted("ws-e0000002", "b", "alias/one"),
        encrypted("ws-e0000003", "c", "alias/two"),
    ];
    let text = write(&live, &options()).text;
    assert!(
        text.contains("user_volume_encryption = true\nvolume_encryption_key = \"alias/one\"\n")
    );
    assert!(text.contains("\nc = { volume_encryption_key = \"alias/two\" }\n"));
    assert_only_adoptions(&planned(&text, &live));
}

/// A switch that is off reads the same as one left unset: the file writes
/// `false` only to override a default that is on.
fn off_as_unset(properties: &WorkspaceProperties) -> WorkspaceProperties {
    let on = |flag: Option<bool>| flag.filter(|on| *on);
    WorkspaceProperties {
        root_volume_encryption: on(properties.root_volume_encryption),
        user_volume_encryption: on(properties.user_volume_encryption),
        nested_virtualization: on(properties.nested_virtualization),
        ..properties.clone()
    }
}

fn arbitrary_workspace() -> impl Strategy<Value = LiveWorkspace> {
    let users = prop::sample::select(vec![
        "alice", "Alice", "bob", "b o b", "c#d", "x.y@z", "ümlaut", "a\"q",
    ]);
    let directories = prop::sample::select(vec![DIRECTORY, OTHER_DIRECTORY]);
    let bundles = prop::sample::select(vec![STANDARD_ID, POWER_ID, TWIN_IDS[0], CUSTOM_ID]);
    let modes = prop::sample::select(vec![
        None,
        Some(RunningMode::AutoStop),
        Some(RunningMode::AlwaysOn),
        Some(RunningMode::Manual),
    ]);
    let timeouts = prop::sample::select(vec![None, Some(60), Some(120)]);
    let volumes = prop::sample::select(vec![(80, 10), (80, 50), (175, 100), (200, 300)]);
    let computes = prop::sample::select(vec![None, Some("STANDARD"), Some("POWER")]);
    let encryption = prop::sample::select(vec![
        (false, false, None),
        (true, false, Some("alias/a")),
        (false, true, Some("alias/b")),
        (true, true, Some("alias/a")),
    ]);
    let tag_sets = prop::collection::btree_map(
        prop::sample::select(vec!["team", "cost", "owner"]),
        prop::sample::select(vec!["eng", "ops", "x y"]),
        0..3,
    );
    let protocols = prop::sample::select(vec![None, Some(Protocol::Pcoip), Some(Protocol::Wsp)]);
    let systems = prop::sample::select(vec![None, Some("WINDOWS_10"), Some("WINDOWS_11")]);
    let accelerators = prop::sample::select(vec![
        None,
        Some(("INHERITED", None)),
        Some(("ENABLED_AUTO", Some("TCP"))),
        Some(("ENABLED_AUTO", Some("INHERITED"))),
    ]);
    let nesting = prop::sample::select(vec![None, Some(false), Some(true)]);
    let names = prop::sample::select(vec![None, Some("dev-1"), Some("(shared)")]);
    (
        (users, directories, bundles, modes, timeouts),
        (volumes, computes, encryption, tag_sets),
        (protocols, systems, accelerators, nesting, names),
    )
        .prop_map(
            |(
                (user, directory, bundle, mode, timeout),
                (volumes, compute, enc, tags),
                (protocol, system, accelerator, nested, name),
            )| {
                LiveWorkspace {
                    id: String::new(),
                    directory_id: directory.to_owned(),
                    user: user.to_owned(),
                    state: WorkspaceState::Available,
                    bundle_id: bundle.to_owned(),
                    properties: WorkspaceProperties {
                        compute_type: compute.map(str::to_owned),
                        running_mode: mode,
                        auto_stop_timeout_minutes: timeout,
                        root_volume_gib: Some(volumes.0),
                        user_volume_gib: Some(volumes.1),
                        root_volume_encryption: Some(enc.0),
                        user_volume_encryption: Some(enc.1),
                        volume_encryption_key: enc.2.map(str::to_owned),
                        protocol,
                        operating_system_name: system.map(str::to_owned),
                        global_accelerator: accelerator.map(|(mode, preferred)| {
                            GlobalAccelerator {
                                mode: mode.to_owned(),
                                preferred_protocol: preferred.map(str::to_owned),
                            }
                        }),
                        nested_virtualization: nested,
                        workspace_name: name.map(str::to_owned),
                    },
                    modifying: false,
                    tags: tags
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect(),
                    ..LiveWorkspace::default()
                }
            },
        )
}

/// An IP group of one of a few names, with any of a few descriptions and
/// rules, and whether the first directory uses it.
fn arbitrary_ip_group() -> impl Strategy<Value = (LiveIpGroup, bool)> {
    let names = prop::sample::select(vec!["office", "vpn", "home.office", "a b"]);
    let descriptions = prop::sample::select(vec![None, Some("Head office"), Some("tab\there")]);
    let rules = prop::collection::vec(
        (
            prop::sample::select(vec!["203.0.113.0/24", "198.51.100.7", "192.0.2.0/28"]),
            prop::sample::select(vec![None, Some("hq"), Some("")]),
        ),
        0..4,
    );
    (names, descriptions, rules, any::<bool>()).prop_map(|(name, description, rules, used)| {
        let mut seen = BTreeSet::new();
        let group = LiveIpGroup {
            id: String::new(),
            name: name.to_owned(),
            description: description.map(str::to_owned),
            rules: rules
                .into_iter()
                .filter(|(source, _)| seen.insert(*source))
                .map(|(source, description)| IpRule {
                    source: source.to_owned(),
                    description: description.map(str::to_owned),
                })
                .collect(),
            tags: BTreeMap::new(),
        };
        (group, used)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Over random IP groups and their use by a directory: the file is
    /// valid and the plan only adopts.
    #[test]
    fn any_ip_groups_import_to_a_file_that_only_adopts(
        groups in prop::collection::vec(arbitrary_ip_group(), 0..5)
    ) {
        let mut live = account();
        live.ip_groups = groups.iter().enumerate().map(|(i, (g, _))| LiveIpGroup {
            id: format!("wsipg-prop{i:04}"),
            ..g.clone()
        }).collect();
        live.directories[0].ip_group_ids = groups
            .iter()
            .enumerate()
            .filter(|(_, (_, used))| *used)
            .map(|(i, _)| format!("wsipg-prop{i:04}"))
            .collect();
        let imported = write(&live, &options());
        let fleet = parsed(&imported.text);
        prop_assert_eq!(fleet.ip_groups.len(), imported.ip_groups);
        assert_only_adoptions(&planned(&imported.text, &live));
    }

    /// Over random accounts: the file is valid, every WorkSpace in it is
    /// its live one exactly, and the plan only adopts.
    #[test]
    fn any_account_imports_to_a_file_that_only_adopts(
        workspaces in prop::collection::vec(arbitrary_workspace(), 0..12)
    ) {
        let mut live = account();
        // One WorkSpace per (directory, user), as AWS allows.
        let mut seen = std::collections::HashSet::new();
        live.workspaces = workspaces
            .into_iter()
            .filter(|w| seen.insert(w.key()))
            .enumerate()
            .map(|(i, w)| LiveWorkspace { id: format!("ws-p{i:07}"), ..w })
            .collect();
        let text = write(&live, &options()).text;
        let fleet = parsed(&text);
        prop_assert_eq!(fleet.workspaces.len(), live.workspaces.len());
        for desired in &fleet.workspaces {
            let existing = live
                .workspaces
                .iter()
                .find(|w| w.key() == desired.key())
                .expect("a live WorkSpace for each");
            let expected = WorkspaceProperties {
                auto_stop_timeout_minutes: existing
                    .properties
                    .auto_stop_timeout_minutes
                    .filter(|_| existing.properties.running_mode == Some(RunningMode::AutoStop)),
                ..existing.properties.clone()
            };
            prop_assert_eq!(off_as_unset(&desired.properties), off_as_unset(&expected));
            prop_assert_eq!(&desired.tags, &existing.tags);
            prop_assert!(matches!(&desired.bundle, BundleRef::Name(_) | BundleRef::Id(_)));
        }
        assert_only_adoptions(&planned(&text, &live));
    }
}

#[test]
fn protocols_systems_accelerators_and_nesting_are_defaults_and_names_are_each_own() {
    let modern = |id: &str, user: &str, name: &str| {
        with(workspace(id, user), |w| {
            w.properties.protocol = Some(Protocol::Wsp);
            w.properties.operating_system_name = Some("WINDOWS_11".to_owned());
            w.properties.global_accelerator = Some(GlobalAccelerator {
                mode: "ENABLED_AUTO".to_owned(),
                preferred_protocol: Some("TCP".to_owned()),
            });
            w.properties.nested_virtualization = Some(true);
            w.properties.workspace_name = Some(name.to_owned());
        })
    };
    let mut live = account();
    live.workspaces = vec![
        modern("ws-n0000001", "a", "desk-a"),
        modern("ws-n0000002", "b", "desk-b"),
        with(modern("ws-n0000003", "c", "desk-c"), |w| {
            w.properties.protocol = Some(Protocol::Pcoip);
            w.properties.nested_virtualization = Some(false);
            w.properties.global_accelerator = Some(GlobalAccelerator {
                mode: "INHERITED".to_owned(),
                preferred_protocol: None,
            });
        }),
    ];
    let text = write(&live, &options()).text;
    assert!(
        text.contains(concat!(
            "protocols = [\"wsp\"]\n",
            "operating_system_name = \"WINDOWS_11\"\n",
            "global_accelerator = { mode = \"ENABLED_AUTO\", preferred_protocol = \"TCP\" }\n",
            "nested_virtualization = true\n",
        )),
        "{text}"
    );
    assert!(
        text.contains("\na = { workspace_name = \"desk-a\" }\n"),
        "{text}"
    );
    assert!(
        text.contains(concat!(
            "\nc = { protocols = [\"pcoip\"], global_accelerator = { mode = \"INHERITED\" }, ",
            "nested_virtualization = false, workspace_name = \"desk-c\" }\n"
        )),
        "{text}"
    );
    assert_only_adoptions(&planned(&text, &live));
}

#[test]
fn directories_groups_and_aliases_left_out_say_why() {
    let mut live = account();
    live.directories[1].state = DirectoryState::Deregistering;
    live.ip_groups[0]
        .tags
        .insert(STACK_TAG.to_owned(), "imported".to_owned());
    let imported = write(&live, &options());
    for line in [
        "#   directory d-0987654321: DEREGISTERING: only a registered directory is adopted\n",
        "#   IP group wsipg-office001 (office): already this stack's; a plan of this file alone would delete it (--include-owned writes it)\n",
        "#   connection alias wsca-0000000002 (old.example.com): DELETING: it is on its way out\n",
    ] {
        assert!(imported.text.contains(line), "{}", imported.text);
    }
    assert_eq!((imported.directories, imported.ip_groups), (1, 0));
    assert_eq!(imported.owned_left_out, 1);
    // A group the file does not write is named by its id.
    assert!(
        imported
            .text
            .contains("\nip_groups = [\"wsipg-office001\", \"wsipg-finance01\"]\n"),
        "{}",
        imported.text
    );
}

#[test]
fn values_the_file_cannot_hold_are_left_unmanaged_and_the_rest_still_only_adopts() {
    let mut live = account();
    live.ip_groups[0].rules[0].description = Some("line\nbreak".to_owned());
    live.directories[0]
        .settings
        .get_mut(&Group::Creation)
        .expect("creation settings")
        .insert(
            "default_ou".to_owned(),
            Setting::Text("OU=a\u{7}b".to_owned()),
        );
    live.connection_aliases[0].connection_string = format!("{0}.{0}.example.com", "x".repeat(30));
    let text = write(&live, &options()).text;
    assert!(!text.contains("rules ="), "{text}");
    assert!(!text.contains("default_ou"), "{text}");
    // Too long for a name: the alias goes by its id.
    assert!(
        text.contains("\n[connection_aliases.wsca-0000000001]\n"),
        "{text}"
    );
    assert_only_adoptions(&planned(&text, &live));
}

#[test]
fn the_stack_s_own_directory_and_alias_keep_their_names() {
    let mut live = account();
    let ours = |tags: &mut BTreeMap<String, String>, name: &str| {
        tags.insert(STACK_TAG.to_owned(), "imported".to_owned());
        tags.insert(NAME_TAG.to_owned(), name.to_owned());
    };
    ours(&mut live.directories[0].tags, "corp");
    ours(&mut live.connection_aliases[0].tags, "desktop");
    let options = Options {
        include_owned: true,
        ..options()
    };
    let text = write(&live, &options).text;
    assert!(text.contains("\n[directories.corp]\n"), "{text}");
    assert!(text.contains("\n[directories.corp.client]\n"), "{text}");
    assert!(text.contains("\n[connection_aliases.desktop]\n"), "{text}");
    // Already the stack's and as the file says: unchanged.
    let plan = planned(&text, &live);
    let addresses: Vec<String> = plan
        .changes()
        .iter()
        .map(|c| c.address.to_string())
        .collect();
    for ours in ["directory.corp", "connection_alias.desktop"] {
        assert!(!addresses.iter().any(|a| a == ours), "{addresses:?}");
    }
    assert_only_adoptions(&plan);
}

/// What an account may hold that a TOML file, a terminal or AWS's tag rule
/// chokes on: quotes, escapes, TOML's punctuation, reserved prefixes,
/// control, bidirectional and zero-width characters, odd spaces and marks,
/// and any character at all.
fn odd_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "a",
            "Zoë",
            "日本",
            " ",
            "\"",
            "\\",
            "'",
            "#",
            "=",
            "[",
            "]",
            "{",
            "}",
            ".",
            ",",
            ":",
            "aws:",
            "wsctl:",
            "(",
            "\u{1b}[31m",
            "\u{7}",
            "\u{0}",
            "\n",
            "\r",
            "\t",
            "\u{202e}",
            "\u{2066}",
            "\u{200b}",
            "\u{feff}",
            "\u{2028}",
            "\u{3000}",
            "e\u{301}",
            "\u{7f}",
        ])
        .prop_map(str::to_owned),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

/// Nothing a reader could not see is written raw, but the lines' ends.
#[track_caller]
fn assert_nothing_hidden(text: &str) {
    let raw = text
        .chars()
        .find(|&c| c != '\n' && crate::visible::hidden(c));
    assert_eq!(raw, None, "{text}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Over odd strings in every free-text value an account holds (users,
    /// tags, names, descriptions): the file validates, holds nothing
    /// hidden raw, and the plan only adopts.
    #[test]
    fn odd_strings_import_to_a_valid_file_that_only_adopts(
        users in prop::collection::vec(odd_string(), 1..5),
        tag_pairs in prop::collection::vec((0..8usize, odd_string(), odd_string()), 0..5),
        texts in prop::collection::vec(odd_string(), 8),
    ) {
        let mut live = account();
        let mut seen = std::collections::HashSet::new();
        for (i, user) in users.iter().enumerate() {
            let workspace = with(workspace(&format!("ws-o{i:07}"), user), |w| {
                w.properties.workspace_name = Some(texts[0].clone());
            });
            if seen.insert(workspace.key()) {
                live.workspaces.push(workspace);
            }
        }
        live.bundles[4].name = texts[1].clone();
        live.bundles[4].description = Some(texts[4].clone());
        live.images[0].name = texts[2].clone();
        live.images[0].description = Some(texts[5].clone());
        live.ip_groups[0].name = texts[3].clone();
        live.ip_groups[0].description = Some(texts[6].clone());
        live.ip_groups[0].rules[0].description = Some(texts[7].clone());
        let workspaces = live.workspaces.len();
        for (to, key, value) in tag_pairs {
            let tags = match to {
                0 => &mut live.bundles[4].tags,
                1 => &mut live.images[0].tags,
                2 => &mut live.ip_groups[0].tags,
                3 => &mut live.directories[0].tags,
                4 => &mut live.connection_aliases[0].tags,
                n => &mut live.workspaces[n % workspaces].tags,
            };
            tags.insert(key, value);
        }
        let text = write(&live, &options()).text;
        assert_nothing_hidden(&text);
        assert_only_adoptions(&planned(&text, &live));
    }
}

#[test]
fn a_tag_the_file_cannot_hold_leaves_its_resource_out_and_says_why() {
    let mut live = account();
    live.workspaces.extend([
        with(workspace("ws-q0000001", "quote"), |w| {
            w.tags = tags(&[("team", "a\"b")]);
        }),
        with(workspace("ws-q0000002", "escape"), |w| {
            w.tags = tags(&[("team", "a\u{1b}]0;owned\u{7}")]);
        }),
        workspace("ws-q0000003", "evil\u{202e}txt.exe"),
    ]);
    live.images[0]
        .tags
        .insert("os".to_owned(), "aws:win11".to_owned());
    let imported = write(&live, &options());
    let text = &imported.text;
    for line in [
        "#   WorkSpace ws-q0000001 (user quote in d-1234567890): the file cannot hold its tag `team`: the value cannot contain `\"`\n",
        "#   WorkSpace ws-q0000002 (user escape in d-1234567890): the file cannot hold its tag `team`: the value cannot contain `\\u{1b}`\n",
        "#   image wsi-custom0001 (win11-base): the file cannot hold its tag `os`: the value cannot begin with `aws:`\n",
        "\n\"evil_txt.exe\" = { user = \"evil\\u202Etxt.exe\" }\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert_nothing_hidden(text);
    assert_only_adoptions(&planned(text, &live));
}
