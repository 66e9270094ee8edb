//! The planner on plain data: each test builds a fleet and a live account,
//! plans, and checks the action, its reason, the data-loss flag, the
//! attribute changes and the exact API operations.

use std::collections::BTreeMap;

use super::fixtures::*;
use super::*;
use crate::address::Address;
use crate::live::{LiveBundle, LiveState, LiveWorkspace, NAME_TAG, STACK_TAG};
use crate::spec::{BundleRef, Fleet, GlobalAccelerator, Heal, Protocol, RunningMode, Workspace};
use crate::states::WorkspaceState;
use crate::workspace_properties::WorkspaceProperties;

const OTHER_DIRECTORY: &str = "d-0987654321";

// ---- planning -----------------------------------------------------------------

fn planned(fleet: &Fleet, live: &LiveState) -> Plan {
    match plan(fleet, live) {
        Ok(plan) => plan,
        Err(errors) => panic!("expected a plan, got errors: {errors:#?}"),
    }
}

fn refused(fleet: &Fleet, live: &LiveState) -> Vec<PlanError> {
    match plan(fleet, live) {
        Ok(plan) => panic!("expected errors, got a plan: {plan:#?}"),
        Err(errors) => errors,
    }
}

/// The plan's one change.
fn only(plan: &Plan) -> &ResourceChange {
    assert_eq!(plan.changes().len(), 1, "changes: {:#?}", plan.changes());
    &plan.changes()[0]
}

// ---- create ----------------------------------------------------------------

#[test]
fn a_workspace_missing_from_the_account_is_created_with_ownership_tags() {
    let alice = with(workspace("alice"), |w| {
        w.tags = tags(&[("team", "graphics")]);
    });
    let plan = planned(&fleet(vec![alice]), &account(vec![]));

    let change = only(&plan);
    assert_eq!(change.address, Address::workspace("alice"));
    assert_eq!(change.action, Action::Create);
    assert_eq!(
        change.reason,
        format!("no WorkSpace for user alice in {DIRECTORY}")
    );
    assert!(!change.data_loss);
    assert_eq!(change.id, None);
    assert!(change.depends_on.is_empty());
    let all_tags = tags(&[
        ("team", "graphics"),
        (STACK_TAG, STACK),
        (NAME_TAG, "alice"),
    ]);
    assert_eq!(
        change.operations,
        [Operation::CreateWorkspace(NewWorkspace {
            tags: all_tags.clone(),
            ..new_workspace("alice")
        })]
    );
    assert_eq!(
        change.attributes,
        [
            changed("directory_id", None, text(DIRECTORY)),
            changed("user", None, text("alice")),
            changed("bundle", None, bundle_text(STANDARD, STANDARD_ID)),
            changed("compute_type", None, text("STANDARD")),
            changed("running_mode", None, text("AUTO_STOP")),
            changed("auto_stop_timeout_minutes", None, number(60)),
            changed("root_volume_gib", None, number(80)),
            changed("user_volume_gib", None, number(50)),
            changed("tags", None, Some(Value::Tags(all_tags))),
        ]
    );
    assert_eq!(plan.unchanged, 0);
    assert_eq!(plan.stack, STACK);
}

#[test]
fn a_bundle_named_in_the_file_is_resolved_to_its_id() {
    let alice = with(workspace("alice"), |w| {
        w.bundle = BundleRef::Name(PERFORMANCE.to_owned());
    });
    let plan = planned(&fleet(vec![alice]), &account(vec![]));

    let Operation::CreateWorkspace(new) = &only(&plan).operations[0] else {
        panic!("not a create: {:?}", &plan.changes()[0].operations);
    };
    assert_eq!(new.bundle_id, IdRef::Id(PERFORMANCE_ID.to_owned()));
}

#[test]
fn a_bundle_given_by_id_is_used_as_is() {
    let alice = with(workspace("alice"), |w| {
        w.bundle = BundleRef::Id(PERFORMANCE_ID.to_owned());
    });
    let plan = planned(&fleet(vec![alice]), &account(vec![]));

    let change = only(&plan);
    assert_eq!(
        change.operations,
        [Operation::CreateWorkspace(NewWorkspace {
            bundle_id: IdRef::Id(PERFORMANCE_ID.to_owned()),
            ..new_workspace("alice")
        })]
    );
    assert_eq!(
        change.attributes[2],
        changed("bundle", None, bundle_text(PERFORMANCE, PERFORMANCE_ID))
    );
}

#[test]
fn a_bundle_id_the_region_does_not_have_is_an_error() {
    let alice = with(workspace("alice"), |w| {
        w.bundle = BundleRef::Id("wsb-missing001".to_owned());
    });
    let errors = refused(&fleet(vec![alice]), &account(vec![]));

    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::workspace("alice"));
    assert_eq!(
        errors[0].message,
        "bundle wsb-missing001 does not exist in this region"
    );
}

// ---- no-op -----------------------------------------------------------------

#[test]
fn a_workspace_that_matches_the_account_is_unchanged() {
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![workspace("alice")]), &live);

    assert!(plan.changes().is_empty(), "changes: {:#?}", plan.changes());
    assert!(!plan.has_changes());
    assert_eq!(plan.unchanged, 1);
}

#[test]
fn attributes_the_file_leaves_unset_are_not_compared() {
    let alice = with(workspace("alice"), |w| {
        w.properties.compute_type = None;
        w.properties.running_mode = None;
        w.properties.auto_stop_timeout_minutes = None;
        w.properties.root_volume_gib = None;
        w.properties.user_volume_gib = None;
    });
    let live = account(vec![owned(
        with(live_workspace("ws-alice", "alice"), |w| {
            w.properties.compute_type = Some("POWER".to_owned());
            w.properties.running_mode = Some(RunningMode::AlwaysOn);
            w.properties.auto_stop_timeout_minutes = None;
            w.properties.root_volume_gib = Some(175);
            w.properties.user_volume_gib = Some(100);
        }),
        "alice",
    )]);
    let plan = planned(&fleet(vec![alice]), &live);

    assert!(plan.changes().is_empty(), "changes: {:#?}", plan.changes());
    assert_eq!(plan.unchanged, 1);
}

// ---- update in place -------------------------------------------------------

#[test]
fn a_new_running_mode_is_one_modification() {
    let alice = with(workspace("alice"), |w| {
        w.properties.running_mode = Some(RunningMode::AlwaysOn);
        w.properties.auto_stop_timeout_minutes = None;
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.reason, "running_mode differs from the file");
    assert!(!change.data_loss);
    assert_eq!(change.id.as_deref(), Some("ws-alice"));
    assert_eq!(
        change.attributes,
        [changed(
            "running_mode",
            text("AUTO_STOP"),
            text("ALWAYS_ON")
        )]
    );
    assert_eq!(
        change.operations,
        [modify(
            "ws-alice",
            Modification::RunningMode {
                running_mode: "ALWAYS_ON".to_owned(),
                auto_stop_timeout_minutes: None,
            }
        )]
    );
    assert_eq!(plan.count(Action::Update), 1);
    assert_eq!(plan.unchanged, 0);
}

#[test]
fn a_new_auto_stop_timeout_is_sent_with_the_running_mode() {
    let alice = with(workspace("alice"), |w| {
        w.properties.auto_stop_timeout_minutes = Some(120);
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(
        change.reason,
        "auto_stop_timeout_minutes differs from the file"
    );
    assert_eq!(
        change.attributes,
        [changed(
            "auto_stop_timeout_minutes",
            number(60),
            number(120)
        )]
    );
    assert_eq!(
        change.operations,
        [modify(
            "ws-alice",
            Modification::RunningMode {
                running_mode: "AUTO_STOP".to_owned(),
                auto_stop_timeout_minutes: Some(120),
            }
        )]
    );
}

#[test]
fn a_new_compute_type_is_one_modification() {
    let alice = with(workspace("alice"), |w| {
        w.properties.compute_type = Some("POWERPRO".to_owned());
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.reason, "compute_type differs from the file");
    assert!(!change.data_loss);
    assert_eq!(
        change.attributes,
        [changed("compute_type", text("STANDARD"), text("POWERPRO"))]
    );
    assert_eq!(
        change.operations,
        [modify(
            "ws-alice",
            Modification::ComputeType {
                compute_type: "POWERPRO".to_owned()
            }
        )]
    );
}

#[test]
fn growing_the_user_volume_within_root_80_is_one_modification() {
    let alice = with(workspace("alice"), |w| {
        w.properties.user_volume_gib = Some(100)
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.reason, "user_volume_gib differs from the file");
    assert_eq!(
        change.attributes,
        [changed("user_volume_gib", number(50), number(100))]
    );
    assert_eq!(
        change.operations,
        [modify("ws-alice", Modification::UserVolume { gib: 100 })]
    );
}

#[test]
fn growing_root_past_80_goes_through_a_100_gib_user_volume() {
    let alice = with(workspace("alice"), |w| {
        w.properties.root_volume_gib = Some(175);
        w.properties.user_volume_gib = Some(200);
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(
        change.reason,
        "root_volume_gib, user_volume_gib differ from the file"
    );
    assert_eq!(
        change.attributes,
        [
            changed("root_volume_gib", number(80), number(175)),
            changed("user_volume_gib", number(50), number(200)),
        ]
    );
    assert_eq!(
        change.operations,
        [
            modify("ws-alice", Modification::UserVolume { gib: 100 }),
            modify("ws-alice", Modification::RootVolume { gib: 175 }),
            modify("ws-alice", Modification::UserVolume { gib: 200 }),
        ]
    );
}

#[test]
fn growing_root_alone_also_grows_the_user_volume_to_100_and_says_so() {
    // The file leaves the user volume to the bundle (unset); AWS has no
    // [175, 50] size pair, so the user volume must become 100 first. The
    // plan must show that change, not only the root one.
    let alice = with(workspace("alice"), |w| {
        w.properties.root_volume_gib = Some(175);
        w.properties.user_volume_gib = None;
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(
        change.operations,
        [
            modify("ws-alice", Modification::UserVolume { gib: 100 }),
            modify("ws-alice", Modification::RootVolume { gib: 175 }),
        ]
    );
    assert_eq!(
        change.attributes,
        [
            changed("root_volume_gib", number(80), number(175)),
            changed("user_volume_gib", number(50), number(100)),
        ]
    );
}

#[test]
fn compute_type_and_volume_changes_are_separate_modifications() {
    let alice = with(workspace("alice"), |w| {
        w.properties.compute_type = Some("PERFORMANCE".to_owned());
        w.properties.user_volume_gib = Some(100);
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(
        change.reason,
        "compute_type, user_volume_gib differ from the file"
    );
    assert_eq!(
        change.attributes,
        [
            changed("compute_type", text("STANDARD"), text("PERFORMANCE")),
            changed("user_volume_gib", number(50), number(100)),
        ]
    );
    assert_eq!(
        change.operations,
        [
            modify(
                "ws-alice",
                Modification::ComputeType {
                    compute_type: "PERFORMANCE".to_owned()
                }
            ),
            modify("ws-alice", Modification::UserVolume { gib: 100 }),
        ]
    );
}

#[test]
fn tags_are_added_changed_and_removed_but_aws_tags_are_left_alone() {
    let alice = with(workspace("alice"), |w| {
        w.tags = tags(&[("team", "graphics"), ("cost-center", "42")]);
    });
    let live = account(vec![with(
        owned(live_workspace("ws-alice", "alice"), "alice"),
        |w| {
            w.tags.insert("team".to_owned(), "sound".to_owned());
            w.tags.insert("old".to_owned(), "yes".to_owned());
            w.tags
                .insert("aws:cloudformation:stack-name".to_owned(), "x".to_owned());
        },
    )]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.reason, "tags differ from the file");
    assert!(!change.data_loss);
    let mut before = ownership("alice");
    before.extend(tags(&[("team", "sound"), ("old", "yes")]));
    let mut after = ownership("alice");
    after.extend(tags(&[("team", "graphics"), ("cost-center", "42")]));
    assert_eq!(
        change.attributes,
        [changed(
            "tags",
            Some(Value::Tags(before)),
            Some(Value::Tags(after))
        )]
    );
    assert_eq!(
        change.operations,
        [
            Operation::TagResource {
                resource_id: IdRef::Id("ws-alice".to_owned()),
                tags: tags(&[("cost-center", "42"), ("team", "graphics")]),
            },
            Operation::UntagResource {
                resource_id: IdRef::Id("ws-alice".to_owned()),
                keys: vec!["old".to_owned()],
            },
        ]
    );
}

#[test]
fn shrinking_a_volume_is_an_error_naming_the_resource() {
    let alice = with(workspace("alice"), |w| {
        w.properties.user_volume_gib = Some(10)
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let errors = refused(&fleet(vec![alice]), &live);

    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::workspace("alice"));
    assert_eq!(errors[0].origin.as_ref().map(|o| o.line), Some(10));
    assert_eq!(
        errors[0].message,
        "user_volume_gib would shrink from 50 to 10 GiB on ws-alice; AWS never shrinks a volume"
    );
}

#[test]
fn a_modification_is_refused_while_the_workspace_is_in_error_or_unhealthy() {
    for state in [WorkspaceState::Error, WorkspaceState::Unhealthy] {
        let alice = with(workspace("alice"), |w| {
            w.properties.compute_type = Some("POWER".to_owned());
        });
        let live = account(vec![with(
            owned(live_workspace("ws-alice", "alice"), "alice"),
            |w| w.state = state.clone(),
        )]);
        let errors = refused(&fleet(vec![alice]), &live);

        assert_eq!(errors.len(), 1, "{state}");
        assert_eq!(errors[0].address, Address::workspace("alice"));
        assert_eq!(
            errors[0].message,
            format!(
                "ws-alice is {state}; its properties can change only when it is AVAILABLE or STOPPED"
            )
        );
    }
}

#[test]
fn a_workspace_in_error_with_nothing_to_modify_is_unchanged() {
    let live = account(vec![with(
        owned(live_workspace("ws-alice", "alice"), "alice"),
        |w| w.state = WorkspaceState::Error,
    )]);
    let plan = planned(&fleet(vec![workspace("alice")]), &live);

    assert!(plan.changes().is_empty());
    assert_eq!(plan.unchanged, 1);
}

#[test]
fn a_modification_is_planned_while_the_workspace_is_pending_for_apply_to_wait() {
    let alice = with(workspace("alice"), |w| {
        w.properties.compute_type = Some("POWER".to_owned());
    });
    let live = account(vec![with(
        owned(live_workspace("ws-alice", "alice"), "alice"),
        |w| w.state = WorkspaceState::Pending,
    )]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(
        change.operations,
        [modify(
            "ws-alice",
            Modification::ComputeType {
                compute_type: "POWER".to_owned()
            }
        )]
    );
}

// ---- replace ---------------------------------------------------------------

/// Plans `desired` against alice's owned live WorkSpace (changed by `live`)
/// and checks the replacement: data loss, Terminate then Create.
fn replacement(desired: Workspace, live: impl FnOnce(&mut LiveWorkspace)) -> ResourceChange {
    let live = account(vec![with(
        owned(live_workspace("ws-alice", "alice"), "alice"),
        live,
    )]);
    let plan = planned(&fleet(vec![desired.clone()]), &live);
    let change = only(&plan).clone();
    assert_eq!(change.address, Address::workspace("alice"));
    assert_eq!(change.action, Action::Replace);
    assert!(change.data_loss);
    assert!(!change.data_loss_allowed);
    assert_eq!(change.id.as_deref(), Some("ws-alice"));
    assert_eq!(plan.count(Action::Replace), 1);
    assert_eq!(plan.data_loss().count(), 1);
    let bundle_id = match &desired.bundle {
        BundleRef::Id(id) => id.clone(),
        BundleRef::Name(name) if name == PERFORMANCE => PERFORMANCE_ID.to_owned(),
        BundleRef::Name(_) => STANDARD_ID.to_owned(),
    };
    assert_eq!(
        change.operations,
        [
            terminate("ws-alice"),
            Operation::CreateWorkspace(NewWorkspace {
                directory_id: desired.directory_id.clone(),
                user: desired.user.clone(),
                bundle_id: IdRef::Id(bundle_id),
                properties: desired.properties.clone(),
                ..new_workspace("alice")
            }),
        ]
    );
    change
}

#[test]
fn a_new_directory_replaces_the_workspace() {
    let alice = with(workspace("alice"), |w| {
        w.directory_id = OTHER_DIRECTORY.to_owned();
    });
    let change = replacement(alice, |_| {});

    assert_eq!(
        change.reason,
        "directory_id cannot change on an existing WorkSpace: ws-alice is terminated and a new one created"
    );
    assert_eq!(
        change.attributes,
        [forces(
            "directory_id",
            text(DIRECTORY),
            text(OTHER_DIRECTORY)
        )]
    );
}

#[test]
fn a_new_user_replaces_the_workspace_found_by_its_name_tag() {
    let alice = with(workspace("alice"), |w| w.user = "alice.smith".to_owned());
    let change = replacement(alice, |_| {});

    assert_eq!(
        change.reason,
        "user cannot change on an existing WorkSpace: ws-alice is terminated and a new one created"
    );
    assert_eq!(
        change.attributes,
        [forces("user", text("alice"), text("alice.smith"))]
    );
}

#[test]
fn a_new_bundle_migrates_the_workspace_keeping_its_user_volume() {
    let alice = with(workspace("alice"), |w| {
        w.bundle = BundleRef::Name(PERFORMANCE.to_owned());
        w.properties.compute_type = Some("PERFORMANCE".to_owned());
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);
    let change = only(&plan);

    assert_eq!(change.action, Action::Migrate);
    assert!(!change.data_loss, "the user volume is kept");
    assert!(
        change
            .reason
            .contains("keeping the user volume; the root volume is rebuilt")
    );
    assert_eq!(
        change.attributes,
        [AttributeChange {
            name: "bundle".into(),
            before: bundle_text(STANDARD, STANDARD_ID),
            after: bundle_text(PERFORMANCE, PERFORMANCE_ID),
            forces_replacement: false,
        }]
    );
    assert_eq!(
        change.operations,
        [Operation::MigrateWorkspace {
            workspace_id: "ws-alice".to_owned(),
            bundle_id: IdRef::Id(PERFORMANCE_ID.to_owned()),
        }]
    );
}

#[test]
fn what_a_migration_does_not_carry_over_is_changed_on_the_new_workspace() {
    let alice = with(workspace("alice"), |w| {
        w.bundle = BundleRef::Name(PERFORMANCE.to_owned());
        w.properties.running_mode = Some(RunningMode::AlwaysOn);
        w.properties.auto_stop_timeout_minutes = None;
        w.tags.insert("team".to_owned(), "red".to_owned());
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);
    let change = only(&plan);

    assert_eq!(change.action, Action::Migrate);
    let names: Vec<&str> = change.attributes.iter().map(|a| a.name.as_ref()).collect();
    assert_eq!(names, ["bundle", "running_mode", "compute_type", "tags"]);
    let migrated = IdRef::created_by(Address::workspace("alice"));
    assert_eq!(
        change.operations,
        [
            Operation::MigrateWorkspace {
                workspace_id: "ws-alice".to_owned(),
                bundle_id: IdRef::Id(PERFORMANCE_ID.to_owned()),
            },
            Operation::ModifyWorkspace {
                workspace_id: migrated.clone(),
                modification: Modification::RunningMode {
                    running_mode: "ALWAYS_ON".to_owned(),
                    auto_stop_timeout_minutes: None,
                },
            },
            Operation::ModifyWorkspace {
                workspace_id: migrated.clone(),
                modification: Modification::ComputeType {
                    compute_type: "STANDARD".to_owned(),
                },
            },
            Operation::TagResource {
                resource_id: migrated,
                tags: BTreeMap::from([("team".to_owned(), "red".to_owned())]),
            },
        ]
    );
}

#[test]
fn a_new_bundle_with_a_new_user_replaces_the_workspace() {
    let alice = with(workspace("alice"), |w| {
        w.bundle = BundleRef::Name(PERFORMANCE.to_owned());
        w.user = "alice2".to_owned();
    });
    let change = replacement(alice, |_| {});
    let names: Vec<&str> = change.attributes.iter().map(|a| a.name.as_ref()).collect();
    assert_eq!(names, ["user", "bundle"]);
    assert!(change.attributes.iter().all(|a| a.forces_replacement));
}

#[test]
fn turning_encryption_on_replaces_the_workspace() {
    let alice = with(workspace("alice"), |w| {
        w.properties.user_volume_encryption = Some(true);
        w.properties.volume_encryption_key =
            Some("arn:aws:kms:us-east-1:111122223333:key/k1".to_owned());
    });
    let change = replacement(alice, |_| {});

    assert_eq!(
        change.reason,
        "user_volume_encryption, volume_encryption_key cannot change on an existing WorkSpace (AWS encrypts volumes only when a WorkSpace is created): ws-alice is terminated and a new one created"
    );
    assert_eq!(
        change.attributes,
        [
            forces(
                "user_volume_encryption",
                Some(Value::Bool(false)),
                Some(Value::Bool(true))
            ),
            forces(
                "volume_encryption_key",
                text(""),
                text("arn:aws:kms:us-east-1:111122223333:key/k1")
            ),
        ]
    );
}

#[test]
fn turning_encryption_off_replaces_the_workspace() {
    let alice = workspace("alice");
    let change = replacement(alice, |w| {
        w.properties.root_volume_encryption = Some(true);
        w.properties.volume_encryption_key =
            Some("arn:aws:kms:us-east-1:111122223333:key/k1".to_owned());
    });

    assert_eq!(
        change.attributes,
        [forces(
            "root_volume_encryption",
            Some(Value::Bool(true)),
            Some(Value::Bool(false))
        )]
    );
}

const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/k1";

fn encrypted_with(key: &str) -> impl FnOnce(&mut WorkspaceProperties) + '_ {
    move |p| {
        p.user_volume_encryption = Some(true);
        p.volume_encryption_key = Some(key.to_owned());
    }
}

/// The account with alice encrypted with `KEY_ARN`, as AWS reports a
/// WorkSpace made with an alias, and `alias/desks` resolved to `arn`.
fn keyed(arn: Option<&str>) -> LiveState {
    let mut live = account(vec![with(
        owned(live_workspace("ws-alice", "alice"), "alice"),
        |w| encrypted_with(KEY_ARN)(&mut w.properties),
    )]);
    live.kms_keys
        .insert("alias/desks".to_owned(), arn.map(str::to_owned));
    live
}

#[test]
fn a_kms_alias_is_compared_as_the_key_arn_aws_reports() {
    let alice = with(workspace("alice"), |w| {
        encrypted_with("alias/desks")(&mut w.properties)
    });
    let plan = planned(&fleet(vec![alice.clone()]), &keyed(Some(KEY_ARN)));
    assert!(plan.changes().is_empty(), "{:#?}", plan.changes());

    let other = "arn:aws:kms:us-east-1:111122223333:key/k2";
    let plan = planned(&fleet(vec![alice]), &keyed(Some(other)));
    assert_eq!(
        only(&plan).attributes,
        [forces("volume_encryption_key", text(KEY_ARN), text(other))]
    );
}

#[test]
fn a_kms_alias_the_account_lacks_is_an_error_at_plan() {
    let alice = with(workspace("alice"), |w| {
        encrypted_with("alias/desks")(&mut w.properties)
    });
    let bob = with(workspace("bob"), |w| {
        encrypted_with("alias/desks")(&mut w.properties)
    });
    let errors = refused(&fleet(vec![alice, bob]), &keyed(None));
    let addresses: Vec<&Address> = errors.iter().map(|e| &e.address).collect();
    assert_eq!(
        addresses,
        [&Address::workspace("alice"), &Address::workspace("bob")]
    );
    assert_eq!(
        errors[1].message,
        "volume_encryption_key alias/desks names a KMS key this account does not have in this region (KMS DescribeKey: NotFoundException)"
    );
    assert_eq!(
        errors[1].help.as_deref(),
        Some("create the alias, or set `volume_encryption_key` to the key's ARN")
    );
}

fn speaking(protocol: Protocol) -> impl FnOnce(&mut LiveWorkspace) {
    move |w| w.properties.protocol = Some(protocol)
}

#[test]
fn moving_a_pcoip_workspace_to_wsp_is_one_modification() {
    let alice = with(workspace("alice"), |w| {
        w.properties.protocol = Some(Protocol::Wsp)
    });
    let live = account(vec![with(
        owned(live_workspace("ws-alice", "alice"), "alice"),
        speaking(Protocol::Pcoip),
    )]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert!(!change.data_loss);
    assert_eq!(
        change.attributes,
        [changed("protocols", text("pcoip"), text("wsp"))]
    );
    assert_eq!(
        change.operations,
        [modify(
            "ws-alice",
            Modification::Protocol {
                protocol: Protocol::Wsp
            }
        )]
    );
}

#[test]
fn moving_a_wsp_workspace_back_to_pcoip_replaces_it_and_says_why() {
    let alice = with(workspace("alice"), |w| {
        w.properties.protocol = Some(Protocol::Pcoip)
    });
    let change = replacement(alice, speaking(Protocol::Wsp));

    assert_eq!(
        change.reason,
        "protocols cannot change on an existing WorkSpace (AWS changes the protocol in place only from PCoIP to WSP): ws-alice is terminated and a new one created"
    );
    assert_eq!(
        change.attributes,
        [forces("protocols", text("wsp"), text("pcoip"))]
    );
}

#[test]
fn a_protocol_change_is_refused_while_the_workspace_is_stopped() {
    let alice = with(workspace("alice"), |w| {
        w.properties.protocol = Some(Protocol::Wsp)
    });
    for (state, refused_here) in [
        (WorkspaceState::Stopped, true),
        (WorkspaceState::Stopping, true),
        (WorkspaceState::Starting, false),
    ] {
        let live = account(vec![with(
            owned(live_workspace("ws-alice", "alice"), "alice"),
            |w| {
                w.state = state.clone();
                w.properties.protocol = Some(Protocol::Pcoip);
            },
        )]);
        match plan(&fleet(vec![alice.clone()]), &live) {
            Err(errors) => {
                assert!(refused_here, "{state}: {errors:?}");
                assert_eq!(
                    errors[0].message,
                    format!(
                        "ws-alice is {state}; AWS changes its protocol only while it is AVAILABLE"
                    )
                );
                assert_eq!(
                    errors[0].help.as_deref(),
                    Some("start it (StartWorkspaces, or its user signs in) and plan again")
                );
            }
            Ok(plan) => assert!(!refused_here, "{state}: {plan:?}"),
        }
    }
}

#[test]
fn a_new_operating_system_or_name_replaces_the_workspace() {
    let alice = with(workspace("alice"), |w| {
        w.properties.operating_system_name = Some("WINDOWS_11".to_owned());
        w.properties.workspace_name = Some("alice-11".to_owned());
    });
    let change = replacement(alice, |w| {
        w.properties.operating_system_name = Some("WINDOWS_10".to_owned());
        w.properties.workspace_name = Some("alice-10".to_owned());
    });

    assert_eq!(
        change.reason,
        "workspace_name, operating_system_name cannot change on an existing WorkSpace (AWS names a WorkSpace only when it is created; AWS documents no in-place change of the operating system): ws-alice is terminated and a new one created"
    );
}

#[test]
fn global_accelerator_and_nested_virtualization_are_separate_modifications() {
    let accelerator = GlobalAccelerator {
        mode: "ENABLED_AUTO".to_owned(),
        preferred_protocol: Some("TCP".to_owned()),
    };
    let alice = with(workspace("alice"), |w| {
        w.properties.global_accelerator = Some(accelerator.clone());
        w.properties.nested_virtualization = Some(true);
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(
        change.reason,
        "global_accelerator.mode, global_accelerator.preferred_protocol, nested_virtualization differ from the file"
    );
    assert_eq!(
        change.operations,
        [
            modify(
                "ws-alice",
                Modification::GlobalAccelerator {
                    global_accelerator: accelerator
                }
            ),
            modify(
                "ws-alice",
                Modification::NestedVirtualization { enabled: true }
            ),
        ]
    );
}

#[test]
fn adopting_a_wsp_workspace_the_file_wants_on_pcoip_is_an_error() {
    let alice = with(workspace("alice"), |w| {
        w.properties.protocol = Some(Protocol::Pcoip)
    });
    let live = account(vec![with(
        live_workspace("ws-alice", "alice"),
        speaking(Protocol::Wsp),
    )]);
    let errors = refused(&fleet(vec![alice]), &live);

    assert_eq!(
        errors[0].message,
        "ws-alice has no wsctl:stack tag and differs in protocols, which only a replacement changes"
    );
}

#[test]
fn a_replacement_keeps_the_resources_allow_data_loss() {
    let alice = with(workspace("alice"), |w| {
        w.directory_id = OTHER_DIRECTORY.to_owned();
        w.allow_data_loss = true;
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert!(change.data_loss);
    assert!(change.data_loss_allowed);
}

// ---- delete ----------------------------------------------------------------

#[test]
fn a_workspace_of_this_stack_missing_from_the_file_is_deleted() {
    let live = account(vec![
        owned(live_workspace("ws-alice", "alice"), "alice"),
        owned(live_workspace("ws-bob", "bob"), "bob"),
    ]);
    let plan = planned(&fleet(vec![workspace("alice")]), &live);

    let change = only(&plan);
    assert_eq!(change.address, Address::workspace("bob"));
    assert_eq!(change.action, Action::Delete);
    assert_eq!(
        change.reason,
        format!("ws-bob is tagged {STACK_TAG} = {STACK} but is not in the file")
    );
    assert!(change.data_loss);
    assert_eq!(change.id.as_deref(), Some("ws-bob"));
    assert_eq!(
        change.attributes,
        [
            changed("directory_id", text(DIRECTORY), None),
            changed("user", text("bob"), None),
            changed("state", text("AVAILABLE"), None),
        ]
    );
    assert_eq!(change.operations, [terminate("ws-bob")]);
    assert_eq!(plan.unchanged, 1);
}

#[test]
fn a_replacement_onto_a_user_another_workspace_holds_is_an_error() {
    let alice = with(workspace("alice"), |w| w.user = "bob".to_owned());
    let live = account(vec![
        owned(live_workspace("ws-alice", "alice"), "alice"),
        live_workspace("ws-bob", "bob"),
    ]);
    let errors = plan(&fleet(vec![alice]), &live).expect_err("bob's user is taken");
    assert_eq!(
        errors[0].message,
        format!(
            "user bob in {DIRECTORY} already has WorkSpace ws-bob, which this stack does not own"
        )
    );
}

#[test]
fn a_delete_that_shares_an_address_with_a_create_is_named_by_its_id() {
    // Ours, but without a name tag (tagged by hand): its address comes from
    // its user, which the file uses for another directory.
    let old = with(live_workspace("ws-old", "alice"), |w| {
        w.directory_id = OTHER_DIRECTORY.to_owned();
        w.tags.insert(STACK_TAG.to_owned(), STACK.to_owned());
    });
    let plan = planned(&fleet(vec![workspace("alice")]), &account(vec![old]));
    let addresses: Vec<String> = plan
        .changes()
        .iter()
        .map(|c| c.address.to_string())
        .collect();
    assert_eq!(
        addresses,
        ["workspace.alice", "workspace.alice (deposed ws-old)"]
    );
    assert_eq!(plan.changes()[1].action, Action::Delete);
}

#[test]
fn a_workspace_without_our_tag_and_not_in_the_file_is_never_touched() {
    let live = account(vec![
        live_workspace("ws-carol", "carol"),
        with(live_workspace("ws-dave", "dave"), |w| {
            w.tags = tags(&[("team", "ops")]);
        }),
        with(live_workspace("ws-erin", "erin"), |w| {
            w.tags = tags(&[(STACK_TAG, "finance"), (NAME_TAG, "erin")]);
        }),
    ]);
    let plan = planned(&fleet(vec![]), &live);

    assert!(plan.changes().is_empty(), "changes: {:#?}", plan.changes());
    assert_eq!(plan.unchanged, 0);
}

#[test]
fn terminating_workspaces_are_ignored() {
    let live = account(vec![
        with(owned(live_workspace("ws-bob", "bob"), "bob"), |w| {
            w.state = WorkspaceState::Terminating;
        }),
        with(
            owned(live_workspace("ws-old-alice", "alice"), "alice"),
            |w| {
                w.state = WorkspaceState::Terminated;
                w.properties.compute_type = Some("POWER".to_owned());
            },
        ),
    ]);
    let plan = planned(&fleet(vec![workspace("alice")]), &live);

    // bob is on his way out: no second terminate. alice's old WorkSpace is
    // gone: a new one is created rather than the dead one modified.
    let change = only(&plan);
    assert_eq!(change.address, Address::workspace("alice"));
    assert_eq!(change.action, Action::Create);
    assert_eq!(
        change.operations,
        [Operation::CreateWorkspace(new_workspace("alice"))]
    );
}

// ---- adopt -----------------------------------------------------------------

#[test]
fn an_untagged_workspace_with_the_same_directory_and_user_is_adopted() {
    let live = account(vec![live_workspace("ws-alice", "alice")]);
    let plan = planned(&fleet(vec![workspace("alice")]), &live);

    let change = only(&plan);
    assert_eq!(change.address, Address::workspace("alice"));
    assert_eq!(change.action, Action::Adopt);
    assert_eq!(
        change.reason,
        format!(
            "ws-alice exists for user alice in {DIRECTORY} without a wsctl:stack tag; apply tags it"
        )
    );
    assert!(!change.data_loss);
    assert_eq!(change.id.as_deref(), Some("ws-alice"));
    assert_eq!(
        change.attributes,
        [changed(
            "tags",
            Some(Value::Tags(BTreeMap::new())),
            Some(Value::Tags(ownership("alice")))
        )]
    );
    assert_eq!(
        change.operations,
        [Operation::TagResource {
            resource_id: IdRef::Id("ws-alice".to_owned()),
            tags: ownership("alice"),
        }]
    );
    assert_eq!(plan.count(Action::Adopt), 1);
    assert_eq!(plan.unchanged, 0);
}

#[test]
fn an_adopted_workspace_is_tagged_before_it_is_modified() {
    let alice = with(workspace("alice"), |w| {
        w.properties.compute_type = Some("POWER".to_owned());
    });
    let live = account(vec![live_workspace("ws-alice", "alice")]);
    let plan = planned(&fleet(vec![alice]), &live);

    let change = only(&plan);
    assert_eq!(change.action, Action::Adopt);
    assert_eq!(
        change.attributes,
        [
            changed("compute_type", text("STANDARD"), text("POWER")),
            changed(
                "tags",
                Some(Value::Tags(BTreeMap::new())),
                Some(Value::Tags(ownership("alice")))
            ),
        ]
    );
    assert_eq!(
        change.operations,
        [
            Operation::TagResource {
                resource_id: IdRef::Id("ws-alice".to_owned()),
                tags: ownership("alice"),
            },
            modify(
                "ws-alice",
                Modification::ComputeType {
                    compute_type: "POWER".to_owned()
                }
            ),
        ]
    );
}

#[test]
fn adopting_a_workspace_whose_encryption_differs_is_an_error() {
    let alice = with(workspace("alice"), |w| {
        w.properties.root_volume_encryption = Some(true);
        w.properties.volume_encryption_key = Some("alias/workspaces".to_owned());
    });
    let live = account(vec![live_workspace("ws-alice", "alice")]);
    let errors = refused(&fleet(vec![alice]), &live);

    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::workspace("alice"));
    assert_eq!(
        errors[0].message,
        "ws-alice has no wsctl:stack tag and differs in root_volume_encryption, volume_encryption_key, which only a replacement changes"
    );
    assert!(errors[0].help.is_some());
}

// ---- natural key -------------------------------------------------------------

/// AWS matches user names without regard to case: `Alice` in the account is
/// the file's `alice`.
#[test]
fn a_live_workspace_whose_user_differs_only_in_case_is_the_same_workspace() {
    let owned_alice = account(vec![owned(live_workspace("ws-alice", "Alice"), "alice")]);
    let plan = planned(&fleet(vec![workspace("alice")]), &owned_alice);
    assert!(plan.changes().is_empty(), "changes: {:#?}", plan.changes());
    assert_eq!(plan.unchanged, 1);

    let untagged_alice = account(vec![live_workspace("ws-alice", "Alice")]);
    let plan = planned(&fleet(vec![workspace("alice")]), &untagged_alice);
    let change = only(&plan);
    assert_eq!(change.action, Action::Adopt);
    assert_eq!(change.id.as_deref(), Some("ws-alice"));
    assert_eq!(
        change.operations,
        [Operation::TagResource {
            resource_id: IdRef::Id("ws-alice".to_owned()),
            tags: ownership("alice"),
        }]
    );
}

#[test]
fn a_create_waits_for_the_replacement_that_frees_its_user_in_another_case() {
    let alice = with(workspace("alice"), |w| w.user = "alice.smith".to_owned());
    let carol = with(workspace("carol"), |w| w.user = "alice".to_owned());
    let live = account(vec![owned(live_workspace("ws-alice", "Alice"), "alice")]);
    let plan = planned(&fleet(vec![alice, carol]), &live);

    assert_eq!(plan.changes().len(), 2);
    let (alice, carol) = (&plan.changes()[0], &plan.changes()[1]);
    assert_eq!(alice.action, Action::Replace);
    assert_eq!(carol.action, Action::Create);
    assert_eq!(carol.depends_on, [Address::workspace("alice")]);
}

#[test]
fn a_replacement_onto_a_user_held_in_another_case_is_an_error() {
    let alice = with(workspace("alice"), |w| w.user = "bob".to_owned());
    let live = account(vec![
        owned(live_workspace("ws-alice", "alice"), "alice"),
        live_workspace("ws-bob", "BOB"),
    ]);
    let errors = refused(&fleet(vec![alice]), &live);
    assert_eq!(
        errors[0].message,
        format!(
            "user bob in {DIRECTORY} already has WorkSpace ws-bob, which this stack does not own"
        )
    );
}

#[test]
fn fingerprints_name_a_workspace_by_its_natural_key() {
    let live = account(vec![owned(live_workspace("ws-alice", "Alice"), "alice")]);
    let plan = planned(&fleet(vec![workspace("alice")]), &live);
    let keys: Vec<&str> = plan
        .fingerprints
        .keys()
        .map(String::as_str)
        .filter(|k| k.starts_with("workspace:"))
        .collect();
    assert_eq!(keys, [format!("workspace:{DIRECTORY}/alice")]);
    assert_ne!(plan.fingerprints[keys[0]], "absent");
}

// ---- conflict --------------------------------------------------------------

#[test]
fn a_workspace_of_another_stack_with_the_same_key_is_a_conflict() {
    let live = account(vec![with(live_workspace("ws-alice", "alice"), |w| {
        w.tags = tags(&[(STACK_TAG, "finance"), (NAME_TAG, "alice")]);
    })]);
    let errors = refused(&fleet(vec![workspace("alice"), workspace("bob")]), &live);

    // bob alone would be a create; a conflict stops the whole plan.
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::workspace("alice"));
    assert_eq!(
        errors[0].message,
        format!(
            "ws-alice (AVAILABLE for user alice in {DIRECTORY}) belongs to stack `finance`, not this one"
        )
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some(
            "a WorkSpace is managed by one stack; remove it from the file, or from stack `finance` first"
        )
    );
}

// ---- bundle names ----------------------------------------------------------

#[test]
fn a_bundle_name_that_does_not_exist_suggests_the_closest() {
    let alice = with(workspace("alice"), |w| {
        w.bundle = BundleRef::Name("Standrd with Windows 10".to_owned());
    });
    let errors = refused(&fleet(vec![alice]), &account(vec![]));

    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::workspace("alice"));
    assert_eq!(
        errors[0].message,
        "no bundle is named `Standrd with Windows 10`"
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `Standard with Windows 10`?")
    );
}

#[test]
fn a_bundle_name_shared_by_two_bundles_is_an_error_listing_their_ids() {
    let mut live = account(vec![]);
    live.bundles.push(LiveBundle {
        owner: None,
        ..bundle("wsb-mine00001", STANDARD, "STANDARD")
    });
    let errors = refused(&fleet(vec![workspace("alice")]), &live);

    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::workspace("alice"));
    assert_eq!(
        errors[0].message,
        format!("2 bundles are named `{STANDARD}`")
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some(format!("use bundle_id with one of {STANDARD_ID}, wsb-mine00001").as_str())
    );
}

// ---- ordering --------------------------------------------------------------

#[test]
fn a_create_waits_for_the_replacement_that_frees_its_directory_and_user() {
    // alice's WorkSpace moves to a new user name; carol is a new resource
    // for the old user. AWS allows one WorkSpace per user per directory.
    let alice = with(workspace("alice"), |w| w.user = "alice.smith".to_owned());
    let carol = with(workspace("carol"), |w| w.user = "alice".to_owned());
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let plan = planned(&fleet(vec![alice, carol]), &live);

    assert_eq!(plan.changes().len(), 2);
    let (alice, carol) = (&plan.changes()[0], &plan.changes()[1]);
    assert_eq!(alice.address, Address::workspace("alice"));
    assert_eq!(alice.action, Action::Replace);
    assert!(alice.depends_on.is_empty());
    assert_eq!(carol.address, Address::workspace("carol"));
    assert_eq!(carol.action, Action::Create);
    assert!(!carol.data_loss);
    assert_eq!(carol.depends_on, [Address::workspace("alice")]);
    assert_eq!(
        carol.operations,
        [Operation::CreateWorkspace(NewWorkspace {
            user: "alice".to_owned(),
            tags: ownership("carol"),
            ..new_workspace("carol")
        })]
    );
}

#[test]
fn a_replacement_waits_for_the_delete_that_frees_its_new_user() {
    let alice = with(workspace("alice"), |w| w.user = "bob".to_owned());
    let live = account(vec![
        owned(live_workspace("ws-alice", "alice"), "alice"),
        owned(live_workspace("ws-bob", "bob"), "bob"),
    ]);
    let plan = planned(&fleet(vec![alice]), &live);

    assert_eq!(plan.changes().len(), 2);
    let (alice, bob) = (&plan.changes()[0], &plan.changes()[1]);
    assert_eq!(alice.action, Action::Replace);
    assert_eq!(alice.depends_on, [Address::workspace("bob")]);
    assert_eq!(bob.action, Action::Delete);
    assert!(bob.depends_on.is_empty());
}

#[test]
fn changes_are_sorted_by_address() {
    let live = account(vec![owned(live_workspace("ws-bob", "bob"), "bob")]);
    let plan = planned(&fleet(vec![workspace("carol"), workspace("alice")]), &live);

    let addresses: Vec<String> = plan
        .changes()
        .iter()
        .map(|c| c.address.to_string())
        .collect();
    assert_eq!(
        addresses,
        ["workspace.alice", "workspace.bob", "workspace.carol"]
    );
    assert_eq!(plan.count(Action::Create), 2);
    assert_eq!(plan.count(Action::Delete), 1);
}

// ---- errors ----------------------------------------------------------------

#[test]
fn every_error_is_reported_together() {
    let alice = with(workspace("alice"), |w| {
        w.properties.user_volume_gib = Some(10)
    });
    let bob = with(workspace("bob"), |w| {
        w.bundle = BundleRef::Name("Nonexistent".to_owned());
    });
    let live = account(vec![owned(live_workspace("ws-alice", "alice"), "alice")]);
    let errors = refused(&fleet(vec![alice, bob]), &live);

    let addresses: Vec<String> = errors.iter().map(|e| e.address.to_string()).collect();
    assert_eq!(addresses, ["workspace.alice", "workspace.bob"]);
    assert!(errors[0].message.contains("would shrink"), "{errors:#?}");
    assert_eq!(errors[1].message, "no bundle is named `Nonexistent`");
}

// ---- heal ------------------------------------------------------------------

/// An owned live WorkSpace of `name` in `state`.
fn unwell(name: &str, state: WorkspaceState) -> LiveWorkspace {
    with(
        owned(live_workspace(&format!("ws-{name}"), name), name),
        |w| {
            w.state = state;
        },
    )
}

fn healing(name: &str, heal: Heal) -> Workspace {
    with(workspace(name), |w| w.heal = heal)
}

/// Snapshots taken at 2024-01-01T00:00:00Z and twelve hours earlier.
fn with_snapshots(mut live: LiveState, id: &str) -> LiveState {
    use aws_smithy_types::DateTime;
    let times = vec![
        DateTime::from_secs(1_704_067_200),
        DateTime::from_secs(1_704_024_000),
    ];
    live.snapshots.insert(
        id.to_owned(),
        crate::live::Snapshots {
            restore: times.clone(),
            rebuild: times,
        },
    );
    live
}

#[test]
fn heal_reboot_reboots_an_unhealthy_workspace_and_loses_nothing() {
    let live = with_snapshots(
        account(vec![unwell("alice", WorkspaceState::Unhealthy)]),
        "ws-alice",
    );
    let plan = planned(&fleet(vec![healing("alice", Heal::Reboot)]), &live);

    let change = &plan.changes()[0];
    assert_eq!(change.action, Action::Heal);
    assert_eq!(
        change.reason,
        "ws-alice is UNHEALTHY and heal = \"reboot\": RebootWorkspaces restarts it; nothing is lost (last snapshot 2024-01-01T00:00:00Z)"
    );
    assert!(!change.data_loss);
    assert_eq!(
        change.attributes,
        [changed("state", text("UNHEALTHY"), text("AVAILABLE"))]
    );
    assert_eq!(
        change.operations,
        [Operation::RebootWorkspace {
            workspace_id: "ws-alice".to_owned()
        }]
    );
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn heal_rebuild_and_restore_lose_data_and_name_the_snapshot() {
    let live = with_snapshots(
        with_snapshots(
            account(vec![
                unwell("alice", WorkspaceState::Error),
                unwell("bob", WorkspaceState::Unhealthy),
            ]),
            "ws-alice",
        ),
        "ws-bob",
    );
    let bob = with(healing("bob", Heal::Restore), |w| w.allow_data_loss = true);
    let plan = planned(&fleet(vec![healing("alice", Heal::Rebuild), bob]), &live);

    let (alice, bob) = (&plan.changes()[0], &plan.changes()[1]);
    assert_eq!(
        alice.reason,
        "ws-alice is ERROR and heal = \"rebuild\": RebuildWorkspaces re-images its root volume from the bundle's image and recreates its user volume from its last rebuild snapshot, taken 2024-01-01T00:00:00Z; what changed since is lost"
    );
    assert!(alice.data_loss && !alice.data_loss_allowed);
    assert_eq!(
        alice.operations,
        [Operation::RebuildWorkspace {
            workspace_id: "ws-alice".to_owned()
        }]
    );
    assert_eq!(
        bob.reason,
        "ws-bob is UNHEALTHY and heal = \"restore\": RestoreWorkspace rolls both volumes back to its last restore snapshot, taken 2024-01-01T00:00:00Z; what changed since is lost"
    );
    assert!(bob.data_loss && bob.data_loss_allowed);
    assert_eq!(
        bob.operations,
        [Operation::RestoreWorkspace {
            workspace_id: "ws-bob".to_owned()
        }]
    );
    assert_eq!(plan.count(Action::Heal), 2);
}

#[test]
fn heal_does_nothing_it_cannot_do_and_says_why() {
    let live = account(vec![
        unwell("alice", WorkspaceState::Error),
        unwell("bob", WorkspaceState::Unhealthy),
        unwell("carol", WorkspaceState::Unhealthy),
    ]);
    let plan = planned(
        &fleet(vec![
            healing("alice", Heal::Reboot),
            healing("bob", Heal::Restore),
            healing("carol", Heal::None),
        ]),
        &live,
    );

    assert!(!plan.has_changes(), "{:#?}", plan.changes());
    assert_eq!(plan.warnings.len(), 3, "{:#?}", plan.warnings);
    assert!(plan.warnings[0].starts_with(
        "workspace.alice (ws-alice) is ERROR; heal = \"reboot\" cannot help: RebootWorkspaces takes only AVAILABLE or UNHEALTHY"
    ));
    assert!(
        plan.warnings[1].contains("heal = \"restore\" cannot help: it has no restore snapshot")
    );
    assert!(plan.warnings[2].contains("heal = \"none\" leaves it as it is"));
}

#[test]
fn heal_acts_only_on_unhealthy_or_error_and_defers_other_changes() {
    let healthy = account(vec![unwell("alice", WorkspaceState::Available)]);
    let plan = planned(&fleet(vec![healing("alice", Heal::Restore)]), &healthy);
    assert!(!plan.has_changes());

    let live = account(vec![unwell("alice", WorkspaceState::Unhealthy)]);
    let bigger = with(healing("alice", Heal::Reboot), |w| {
        w.properties.compute_type = Some("PERFORMANCE".to_owned());
    });
    let plan = planned(&fleet(vec![bigger]), &live);
    assert_eq!(plan.changes().len(), 1);
    assert_eq!(plan.changes()[0].action, Action::Heal);
    assert_eq!(
        plan.warnings,
        ["workspace.alice also differs from the file; plan again once it is healed"]
    );
}
