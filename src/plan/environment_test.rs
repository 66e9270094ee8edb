//! The planner on IP groups and directories: each test reads a small fleet
//! file, plans it against a live account, and checks the actions, their
//! operations in order, the order between changes, and the refusals.

use super::fixtures::{STACK, STANDARD, account, live_workspace, owned, ownership, tags};
use super::*;
use crate::address::Address;
use crate::directory_settings::{Group, GroupSettings, Setting};
use crate::live::{LiveDirectory, LiveIpGroup, LiveState};
use crate::spec::{Fleet, IpRule};
use crate::states::DirectoryState;

const DIRECTORY: &str = "d-1234567890";
const SUBNETS: &str = r#"subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]"#;

fn fleet(body: &str) -> Fleet {
    let text = format!("[settings]\nstack = \"{STACK}\"\n{body}");
    crate::spec::parse("fleet.toml", &text).unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn planned(fleet: &Fleet, live: &LiveState) -> Plan {
    plan(fleet, live).unwrap_or_else(|errors| panic!("{errors:#?}"))
}

fn refused(fleet: &Fleet, live: &LiveState) -> Vec<PlanError> {
    match plan(fleet, live) {
        Ok(plan) => panic!("expected errors, got {plan:#?}"),
        Err(errors) => errors,
    }
}

fn change<'p>(plan: &'p Plan, address: &Address) -> &'p ResourceChange {
    plan.changes()
        .iter()
        .find(|c| c.address == *address)
        .unwrap_or_else(|| panic!("no change of {address} in {:#?}", plan.changes()))
}

fn api_names(change: &ResourceChange) -> Vec<&'static str> {
    change.operations.iter().map(Operation::api_name).collect()
}

fn rule(source: &str, description: Option<&str>) -> IpRule {
    IpRule {
        source: source.to_owned(),
        description: description.map(str::to_owned),
    }
}

fn live_group(id: &str, name: &str, rules: Vec<IpRule>) -> LiveIpGroup {
    LiveIpGroup {
        id: id.to_owned(),
        name: name.to_owned(),
        description: None,
        rules,
        tags: Default::default(),
    }
}

fn our_group(id: &str, name: &str, rules: Vec<IpRule>) -> LiveIpGroup {
    LiveIpGroup {
        tags: ownership(name),
        ..live_group(id, name, rules)
    }
}

/// A registered directory with the seeded subnets, shared tenancy,
/// `restart_workspace` on and every device allowed.
fn live_directory(tags: std::collections::BTreeMap<String, String>) -> LiveDirectory {
    LiveDirectory {
        id: DIRECTORY.to_owned(),
        state: DirectoryState::Registered,
        subnet_ids: vec![
            "subnet-0a1b2c3d4e5f60718".to_owned(),
            "subnet-0f1e2d3c4b5a69788".to_owned(),
        ],
        tenancy: Some(crate::directory_settings::Tenancy::Shared),
        ip_group_ids: Vec::new(),
        settings: [
            (
                Group::SelfServicePermissions,
                GroupSettings::from([
                    ("restart_workspace".to_owned(), Setting::Bool(true)),
                    ("rebuild_workspace".to_owned(), Setting::Bool(false)),
                ]),
            ),
            (
                Group::Access,
                GroupSettings::from([
                    ("web".to_owned(), Setting::Text("allow".to_owned())),
                    ("windows".to_owned(), Setting::Text("allow".to_owned())),
                ]),
            ),
        ]
        .into(),
        tags,
    }
}

fn account_with(directories: Vec<LiveDirectory>, ip_groups: Vec<LiveIpGroup>) -> LiveState {
    LiveState {
        directories,
        ip_groups,
        ..LiveState::default()
    }
}

const OFFICE: &str = r#"
[ip_groups.office]
description = "Head office"
rules = [
  { source = "203.0.113.0/24", description = "office" },
  { source = "198.51.100.7" },
]
"#;

// ---- IP groups ----------------------------------------------------------------

#[test]
fn a_new_ip_group_is_created_with_its_rules_and_ownership_tags_in_one_call() {
    let plan = planned(&fleet(OFFICE), &LiveState::default());
    let created = change(&plan, &Address::ip_group("office"));
    assert_eq!(created.action, Action::Create);
    assert_eq!(created.reason, "no IP group is named office");
    assert_eq!(
        created.operations,
        [Operation::CreateIpGroup(NewIpGroup {
            name: "office".to_owned(),
            description: Some("Head office".to_owned()),
            rules: vec![
                rule("203.0.113.0/24", Some("office")),
                rule("198.51.100.7", None)
            ],
            tags: ownership("office"),
        })]
    );
}

#[test]
fn rules_are_compared_as_a_set_and_replaced_whole_when_they_differ() {
    let same = our_group(
        "wsipg-office001",
        "office",
        vec![
            rule("198.51.100.7", None),
            rule("203.0.113.0/24", Some("office")),
        ],
    );
    let same = LiveIpGroup {
        description: Some("Head office".to_owned()),
        ..same
    };
    let plan = planned(&fleet(OFFICE), &account_with(vec![], vec![same.clone()]));
    assert!(!plan.has_changes(), "{:#?}", plan.changes());
    assert_eq!(plan.unchanged, 1);

    let fewer = LiveIpGroup {
        rules: vec![rule("203.0.113.0/24", Some("office"))],
        ..same
    };
    let plan = planned(&fleet(OFFICE), &account_with(vec![], vec![fewer]));
    let updated = change(&plan, &Address::ip_group("office"));
    assert_eq!(updated.action, Action::Update);
    assert_eq!(updated.reason, "rules differs from the file");
    assert_eq!(
        updated.attributes[0].after,
        Some(Value::Text(
            "198.51.100.7, 203.0.113.0/24 (office)".to_owned()
        ))
    );
    assert_eq!(
        updated.operations,
        [Operation::UpdateIpRules {
            group_id: "wsipg-office001".to_owned(),
            rules: vec![
                rule("203.0.113.0/24", Some("office")),
                rule("198.51.100.7", None)
            ],
        }]
    );
}

#[test]
fn a_new_description_replaces_an_unused_group_and_is_refused_for_one_in_use() {
    let group = LiveIpGroup {
        description: Some("Old office".to_owned()),
        ..our_group("wsipg-office001", "office", vec![])
    };
    let plan = planned(&fleet(OFFICE), &account_with(vec![], vec![group.clone()]));
    let replaced = change(&plan, &Address::ip_group("office"));
    assert_eq!(replaced.action, Action::Replace);
    assert!(!replaced.data_loss);
    assert_eq!(api_names(replaced), ["DeleteIpGroup", "CreateIpGroup"]);
    assert!(replaced.attributes[0].forces_replacement);

    let directory = LiveDirectory {
        ip_group_ids: vec!["wsipg-office001".to_owned()],
        ..live_directory(Default::default())
    };
    let errors = refused(&fleet(OFFICE), &account_with(vec![directory], vec![group]));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::ip_group("office"));
    assert!(
        errors[0]
            .message
            .starts_with("IP group wsipg-office001 is associated with d-1234567890; AWS cannot change a description"),
        "{}",
        errors[0].message
    );
}

#[test]
fn an_untagged_group_of_the_same_name_is_adopted_and_another_stacks_is_a_conflict() {
    let untagged = LiveIpGroup {
        description: Some("Head office".to_owned()),
        ..live_group(
            "wsipg-office001",
            "office",
            vec![
                rule("203.0.113.0/24", Some("office")),
                rule("198.51.100.7", None),
            ],
        )
    };
    let plan = planned(
        &fleet(OFFICE),
        &account_with(vec![], vec![untagged.clone()]),
    );
    let adopted = change(&plan, &Address::ip_group("office"));
    assert_eq!(adopted.action, Action::Adopt);
    assert_eq!(
        adopted.operations,
        [Operation::TagResource {
            resource_id: IdRef::Id("wsipg-office001".to_owned()),
            tags: ownership("office"),
        }]
    );

    let theirs = LiveIpGroup {
        tags: tags(&[("wsctl:stack", "finance")]),
        ..untagged
    };
    let errors = refused(&fleet(OFFICE), &account_with(vec![], vec![theirs]));
    assert_eq!(
        errors[0].message,
        "IP group wsipg-office001 (office) belongs to stack `finance`, not this one"
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some(
            "an IP access control group is managed by one stack; remove it from the file, or from stack `finance` first"
        )
    );
}

// ---- directories --------------------------------------------------------------

#[test]
fn a_registration_waits_for_its_new_group_and_its_workspaces_wait_for_it() {
    let body = format!(
        r#"{OFFICE}
[directories.corp]
directory_id = "{DIRECTORY}"
{SUBNETS}
enable_self_service = true
ip_groups = ["office"]

[directories.corp.access]
web = "deny"

[workspaces.alice]
directory_id = "{DIRECTORY}"
bundle = "{STANDARD}"
"#
    );
    let plan = planned(&fleet(&body), &account(vec![]));
    let registered = change(&plan, &Address::directory("corp"));
    assert_eq!(registered.action, Action::Create);
    assert_eq!(
        api_names(registered),
        [
            "RegisterWorkspaceDirectory",
            "ModifyWorkspaceAccessProperties",
            "AssociateIpGroups"
        ]
    );
    let Operation::RegisterDirectory(new) = &registered.operations[0] else {
        panic!("{:?}", registered.operations[0]);
    };
    assert_eq!(new.enable_self_service, Some(true));
    assert_eq!(new.tags, ownership("corp"));
    assert_eq!(new.subnet_ids.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        registered.operations[2],
        Operation::AssociateIpGroups {
            directory_id: DIRECTORY.to_owned(),
            group_ids: vec![IdRef::created_by(Address::ip_group("office"))],
        }
    );
    assert_eq!(registered.depends_on, [Address::ip_group("office")]);
    let alice = change(&plan, &Address::workspace("alice"));
    assert_eq!(alice.depends_on, [Address::directory("corp")]);
    let wave_of = |address: &Address| {
        plan.order()
            .waves
            .iter()
            .position(|w| w.changes.contains(address))
    };
    assert!(wave_of(&Address::ip_group("office")) < wave_of(&Address::directory("corp")));
    assert!(wave_of(&Address::directory("corp")) < wave_of(&Address::workspace("alice")));
}

#[test]
fn only_the_settings_groups_that_differ_are_modified_each_sent_whole() {
    let body = format!(
        r#"
[directories.corp]
directory_id = "{DIRECTORY}"

[directories.corp.self_service_permissions]
restart_workspace = true
rebuild_workspace = true

[directories.corp.access]
web = "allow"
"#
    );
    let live = account_with(vec![live_directory(ownership("corp"))], vec![]);
    let plan = planned(&fleet(&body), &live);
    let updated = change(&plan, &Address::directory("corp"));
    assert_eq!(updated.action, Action::Update);
    assert_eq!(
        updated.reason,
        "self_service_permissions.rebuild_workspace differs from the file"
    );
    assert_eq!(
        updated.operations,
        [Operation::ModifyDirectory {
            directory_id: DIRECTORY.to_owned(),
            group: Group::SelfServicePermissions,
            settings: GroupSettings::from([
                ("restart_workspace".to_owned(), Setting::Bool(true)),
                ("rebuild_workspace".to_owned(), Setting::Bool(true)),
            ]),
        }]
    );
    assert!(plan.warnings.is_empty());
}

#[test]
fn new_creation_properties_warn_that_existing_workspaces_keep_theirs() {
    let body = format!(
        "[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\n[directories.corp.creation]\nenable_internet_access = true\ndefault_ou = \"OU=WorkSpaces,DC=corp\"\n"
    );
    let live = LiveState {
        workspaces: vec![live_workspace("ws-alice0001", "alice")],
        ..account_with(vec![live_directory(ownership("corp"))], vec![])
    };
    let plan = planned(&fleet(&body), &live);
    let updated = change(&plan, &Address::directory("corp"));
    assert_eq!(api_names(updated), ["ModifyWorkspaceCreationProperties"]);
    assert_eq!(
        plan.warnings,
        [
            "directory.corp gets new creation properties, which apply only to WorkSpaces created from now on; the 1 WorkSpace(s) already in d-1234567890 keep theirs"
        ]
    );
}

#[test]
fn ip_groups_the_file_drops_are_disassociated_before_new_ones_are_associated() {
    let body = format!(
        "{OFFICE}\n[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\nip_groups = [\"office\", \"wsipg-shared001\"]\n"
    );
    let directory = LiveDirectory {
        ip_group_ids: vec!["wsipg-shared001".to_owned(), "wsipg-legacy001".to_owned()],
        ..live_directory(ownership("corp"))
    };
    let plan = planned(&fleet(&body), &account_with(vec![directory], vec![]));
    let updated = change(&plan, &Address::directory("corp"));
    assert_eq!(
        updated.operations,
        [
            Operation::DisassociateIpGroups {
                directory_id: DIRECTORY.to_owned(),
                group_ids: vec!["wsipg-legacy001".to_owned()],
            },
            Operation::AssociateIpGroups {
                directory_id: DIRECTORY.to_owned(),
                group_ids: vec![IdRef::created_by(Address::ip_group("office"))],
            },
        ]
    );
}

#[test]
fn new_subnets_re_register_an_empty_directory_guarded_like_data_loss() {
    let body = format!(
        "[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\nsubnet_ids = [\"subnet-0e1b2c3d4e5f60718\", \"subnet-0e2b2c3d4e5f60719\"]\n"
    );
    let directory = LiveDirectory {
        ip_group_ids: vec!["wsipg-shared001".to_owned()],
        ..live_directory(ownership("corp"))
    };
    let plan = planned(&fleet(&body), &account_with(vec![directory], vec![]));
    let replaced = change(&plan, &Address::directory("corp"));
    assert_eq!(replaced.action, Action::Replace);
    assert!(replaced.data_loss);
    assert!(!replaced.data_loss_allowed);
    assert_eq!(
        replaced.reason,
        "AWS sets subnet_ids only at registration: d-1234567890 is deregistered and registered again"
    );
    assert_eq!(
        api_names(replaced),
        [
            "DisassociateIpGroups",
            "DeregisterWorkspaceDirectory",
            "RegisterWorkspaceDirectory"
        ]
    );
    let allowed = format!("{body}allow_data_loss = true\n");
    let live = account_with(vec![live_directory(ownership("corp"))], vec![]);
    let plan = planned(&fleet(&allowed), &live);
    assert!(change(&plan, &Address::directory("corp")).data_loss_allowed);
}

#[test]
fn a_new_tenancy_for_a_directory_with_workspaces_is_refused() {
    let body = format!(
        "[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\ntenancy = \"dedicated\"\n[account]\nbyol = true\nmanagement_cidr = \"10.200.0.0/16\"\n"
    );
    let live = LiveState {
        workspaces: vec![live_workspace("ws-alice0001", "alice")],
        ..account_with(vec![live_directory(ownership("corp"))], vec![])
    };
    let errors = refused(&fleet(&body), &live);
    assert_eq!(
        errors[0].message,
        "directory d-1234567890 differs in tenancy, which AWS sets only at registration, and it has 1 WorkSpace(s); AWS deregisters only a directory without WorkSpaces"
    );
}

#[test]
fn dedicated_tenancy_needs_byol_in_the_file_or_the_account() {
    let body =
        format!("[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\ntenancy = \"dedicated\"\n");
    let errors = refused(&fleet(&body), &LiveState::default());
    assert_eq!(errors[0].address, Address::directory("corp"));
    assert_eq!(
        errors[0].message,
        "directory d-1234567890 asks for dedicated tenancy, and BYOL is not enabled for the account"
    );
    let mut byol = LiveState::default();
    byol.account.byol = true;
    let plan = planned(&fleet(&body), &byol);
    assert_eq!(
        change(&plan, &Address::directory("corp")).action,
        Action::Create
    );
}

#[test]
fn an_untagged_registration_is_adopted_and_another_stacks_is_a_conflict() {
    let body = format!("[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\n");
    let plan = planned(
        &fleet(&body),
        &account_with(vec![live_directory(Default::default())], vec![]),
    );
    let adopted = change(&plan, &Address::directory("corp"));
    assert_eq!(adopted.action, Action::Adopt);
    assert_eq!(api_names(adopted), ["CreateTags"]);

    let theirs = live_directory(tags(&[("wsctl:stack", "finance")]));
    let errors = refused(&fleet(&body), &account_with(vec![theirs], vec![]));
    assert_eq!(
        errors[0].message,
        "directory d-1234567890 belongs to stack `finance`, not this one"
    );
}

#[test]
fn teardown_terminates_then_deregisters_then_deletes_the_groups() {
    let directory = LiveDirectory {
        ip_group_ids: vec!["wsipg-office001".to_owned()],
        ..live_directory(ownership("corp"))
    };
    let live = LiveState {
        workspaces: vec![owned(live_workspace("ws-alice0001", "alice"), "alice")],
        ..account_with(
            vec![directory],
            vec![our_group("wsipg-office001", "office", vec![])],
        )
    };
    let plan = planned(&fleet(""), &live);
    let deregistered = change(&plan, &Address::directory("corp"));
    assert_eq!(deregistered.action, Action::Delete);
    assert!(deregistered.data_loss);
    assert_eq!(
        api_names(deregistered),
        ["DisassociateIpGroups", "DeregisterWorkspaceDirectory"]
    );
    assert_eq!(deregistered.depends_on, [Address::workspace("alice")]);
    let deleted = change(&plan, &Address::ip_group("office"));
    assert_eq!(api_names(deleted), ["DeleteIpGroup"]);
    assert_eq!(deleted.depends_on, [Address::directory("corp")]);
    let waves: Vec<Vec<String>> = plan
        .order()
        .waves
        .iter()
        .map(|w| w.changes.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(
        waves,
        [
            vec!["workspace.alice"],
            vec!["directory.corp"],
            vec!["directory.corp"],
            vec!["ip_group.office"]
        ]
    );
}

#[test]
fn a_directory_that_keeps_workspaces_of_others_is_not_deregistered() {
    let live = LiveState {
        workspaces: vec![live_workspace("ws-bob00001", "bob")],
        ..account_with(vec![live_directory(ownership("corp"))], vec![])
    };
    let errors = refused(&fleet(""), &live);
    assert_eq!(
        errors[0].message,
        "directory d-1234567890 is to be deregistered, and AWS deregisters only a directory without WorkSpaces; these stay in it: ws-bob00001"
    );
}

#[test]
fn a_deleted_group_is_first_let_go_by_a_directory_the_file_does_not_manage() {
    let unmanaged = LiveDirectory {
        ip_group_ids: vec!["wsipg-office001".to_owned()],
        ..live_directory(Default::default())
    };
    let live = account_with(
        vec![unmanaged],
        vec![our_group("wsipg-office001", "office", vec![])],
    );
    let plan = planned(&fleet(""), &live);
    let deleted = change(&plan, &Address::ip_group("office"));
    assert_eq!(
        deleted.operations,
        [
            Operation::DisassociateIpGroups {
                directory_id: DIRECTORY.to_owned(),
                group_ids: vec!["wsipg-office001".to_owned()],
            },
            Operation::DeleteIpGroup {
                group_id: "wsipg-office001".to_owned()
            },
        ]
    );
}

#[test]
fn a_targeted_directory_brings_its_ip_groups_and_leaves_its_workspaces_out() {
    let body = format!(
        "{OFFICE}\n[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\nip_groups = [\"office\"]\n[workspaces.alice]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{STANDARD}\"\n"
    );
    let fleet = fleet(&body);
    let graph = crate::graph::ResourceGraph::build(&fleet).expect("no cycle");
    let plan = planned(&fleet, &account(vec![]));
    let limited = limit(plan, &[Address::directory("corp")], &graph)
        .unwrap_or_else(|errors| panic!("{errors:#?}"));
    let kept: Vec<String> = limited
        .changes()
        .iter()
        .map(|c| c.address.to_string())
        .collect();
    assert_eq!(kept, ["ip_group.office", "directory.corp"]);
    assert_eq!(limited.left_out, 1);
}

#[test]
fn a_registration_under_way_is_unchanged_until_something_differs_and_a_deregistration_blocks() {
    let body = format!(
        "[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\n[directories.corp.access]\nweb = \"allow\"\n"
    );
    let registering = LiveDirectory {
        state: DirectoryState::Registering,
        ..live_directory(ownership("corp"))
    };
    let plan = planned(
        &fleet(&body),
        &account_with(vec![registering.clone()], vec![]),
    );
    assert!(!plan.has_changes(), "{:#?}", plan.changes());

    let denied = body.replace("\"allow\"", "\"deny\"");
    let errors = refused(&fleet(&denied), &account_with(vec![registering], vec![]));
    assert_eq!(
        errors[0].message,
        "directory d-1234567890 is REGISTERING in AWS; its settings and tags can be changed once it is REGISTERED"
    );

    let leaving = LiveDirectory {
        state: DirectoryState::Deregistering,
        ..live_directory(ownership("corp"))
    };
    let errors = refused(&fleet(&body), &account_with(vec![leaving], vec![]));
    assert_eq!(
        errors[0].message,
        "directory d-1234567890 is DEREGISTERING in AWS, and can be registered again only once that is over"
    );
}
