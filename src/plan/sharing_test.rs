//! The planner on connection aliases and image sharing: fleets written as
//! the user writes them, accounts as plain data.

use std::collections::BTreeSet;

use super::fixtures::{STACK, ownership, tags, with};
use super::*;
use crate::address::Address;
use crate::live::{
    LiveAliasAssociation, LiveConnectionAlias, LiveImage, LiveState, LiveWorkspace, STACK_TAG,
};
use crate::spec::Fleet;
use crate::states::{AliasState, ImageState, WorkspaceState};

const DIRECTORY: &str = "d-1234567890";
const OTHER_DIRECTORY: &str = "d-2345678901";
const OWN_ACCOUNT: &str = "123456789012";
const PARTNER: &str = "111122223333";
const AUDIT: &str = "444455556666";
const ALIAS_ID: &str = "wsca-0123456789";

fn fleet(body: &str) -> Fleet {
    let text = format!("[settings]\nstack = \"{STACK}\"\n{body}");
    crate::spec::parse("fleet.toml", &text).unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn planned(fleet: &Fleet, live: &LiveState) -> Plan {
    plan(fleet, live).unwrap_or_else(|errors| panic!("expected a plan: {errors:#?}"))
}

fn refused(fleet: &Fleet, live: &LiveState) -> Vec<PlanError> {
    match plan(fleet, live) {
        Ok(plan) => panic!("expected errors, got a plan: {plan:#?}"),
        Err(errors) => errors,
    }
}

fn only(plan: &Plan) -> &ResourceChange {
    assert_eq!(plan.changes().len(), 1, "changes: {:#?}", plan.changes());
    &plan.changes()[0]
}

fn accounts(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|a| (*a).to_owned()).collect()
}

fn list(ids: &[&str]) -> Option<Value> {
    Some(Value::List(ids.iter().map(|a| (*a).to_owned()).collect()))
}

fn text(s: &str) -> Option<Value> {
    Some(Value::Text(s.to_owned()))
}

const DESKTOP: &str = "[connection_aliases.desktop]\nconnection_string = \"desktop.example.com\"\n";

/// `desktop.example.com`, CREATED, associated with `DIRECTORY` by its owner,
/// shared with no one, untagged.
fn live_alias() -> LiveConnectionAlias {
    LiveConnectionAlias {
        id: ALIAS_ID.to_owned(),
        connection_string: "desktop.example.com".to_owned(),
        state: AliasState::Created,
        owner_account_id: Some(OWN_ACCOUNT.to_owned()),
        associations: vec![association(
            "ASSOCIATED_WITH_OWNER_ACCOUNT",
            OWN_ACCOUNT,
            DIRECTORY,
        )],
        shared_with: BTreeSet::new(),
        tags: Default::default(),
    }
}

fn association(status: &str, account: &str, directory: &str) -> LiveAliasAssociation {
    LiveAliasAssociation {
        status: status.to_owned(),
        account_id: Some(account.to_owned()),
        directory_id: Some(directory.to_owned()),
    }
}

fn owned_alias(name: &str) -> LiveConnectionAlias {
    with(live_alias(), |a| a.tags = ownership(name))
}

fn account(aliases: Vec<LiveConnectionAlias>) -> LiveState {
    LiveState {
        account_id: Some(OWN_ACCOUNT.to_owned()),
        connection_aliases: aliases,
        ..LiveState::default()
    }
}

fn share(alias: IdRef, account: &str, allow: bool) -> Operation {
    Operation::UpdateConnectionAliasPermission {
        alias_id: alias,
        account_id: account.to_owned(),
        allow_association: allow,
    }
}

fn id() -> IdRef {
    IdRef::Id(ALIAS_ID.to_owned())
}

// ---- connection aliases ----------------------------------------------------------

#[test]
fn a_new_alias_is_created_with_its_tags_then_associated_and_shared() {
    let file = fleet(&format!(
        "{DESKTOP}directory_id = \"{DIRECTORY}\"\nshare_with = [\"{PARTNER}\"]\ntags = {{ team = \"it\" }}\n"
    ));
    let plan = planned(&file, &account(Vec::new()));
    let change = only(&plan);
    let address = Address::connection_alias("desktop");
    let mut wanted = ownership("desktop");
    wanted.insert("team".to_owned(), "it".to_owned());
    assert_eq!(change.address, address);
    assert_eq!(change.action, Action::Create);
    assert_eq!(
        change.reason,
        "no connection alias has the connection string desktop.example.com"
    );
    assert_eq!(
        change.operations,
        [
            Operation::CreateConnectionAlias {
                connection_string: "desktop.example.com".to_owned(),
                tags: wanted.clone(),
            },
            Operation::AssociateConnectionAlias {
                alias_id: IdRef::created_by(address.clone()),
                directory_id: DIRECTORY.to_owned(),
            },
            share(IdRef::created_by(address), PARTNER, true),
        ]
    );
    let names: Vec<&str> = change.attributes.iter().map(|a| a.name.as_ref()).collect();
    assert_eq!(
        names,
        ["connection_string", "directory_id", "share_with", "tags"]
    );
    assert_eq!(change.attributes[2].after, list(&[PARTNER]));
}

#[test]
fn an_alias_as_the_file_says_is_unchanged() {
    let file = fleet(&format!("{DESKTOP}directory_id = \"{DIRECTORY}\"\n"));
    let plan = planned(&file, &account(vec![owned_alias("desktop")]));
    assert!(plan.changes().is_empty(), "{:#?}", plan.changes());
    assert_eq!(plan.unchanged, 1);
}

#[test]
fn a_new_directory_disassociates_then_associates() {
    let file = fleet(&format!("{DESKTOP}directory_id = \"{OTHER_DIRECTORY}\"\n"));
    let plan = planned(&file, &account(vec![owned_alias("desktop")]));
    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.reason, "directory_id differs from the file");
    assert_eq!(
        change.attributes[0]
            .before
            .as_ref()
            .zip(change.attributes[0].after.as_ref()),
        text(DIRECTORY).as_ref().zip(text(OTHER_DIRECTORY).as_ref())
    );
    assert_eq!(
        change.operations,
        [
            Operation::DisassociateConnectionAlias {
                alias_id: ALIAS_ID.to_owned(),
                directory_id: DIRECTORY.to_owned(),
            },
            Operation::AssociateConnectionAlias {
                alias_id: id(),
                directory_id: OTHER_DIRECTORY.to_owned(),
            },
        ]
    );
}

#[test]
fn no_directory_in_the_file_disassociates() {
    let plan = planned(&fleet(DESKTOP), &account(vec![owned_alias("desktop")]));
    let change = only(&plan);
    assert_eq!(change.attributes[0].after, None);
    assert_eq!(
        change.operations,
        [Operation::DisassociateConnectionAlias {
            alias_id: ALIAS_ID.to_owned(),
            directory_id: DIRECTORY.to_owned(),
        }]
    );
}

#[test]
fn a_pending_association_counts_as_made_and_a_pending_disassociation_as_done() {
    let file = fleet(&format!("{DESKTOP}directory_id = \"{DIRECTORY}\"\n"));
    let pending = with(owned_alias("desktop"), |a| {
        a.associations = vec![association("PENDING_ASSOCIATION", OWN_ACCOUNT, DIRECTORY)];
    });
    assert!(planned(&file, &account(vec![pending])).changes().is_empty());
    let leaving = with(owned_alias("desktop"), |a| {
        a.associations = vec![association(
            "PENDING_DISASSOCIATION",
            OWN_ACCOUNT,
            DIRECTORY,
        )];
    });
    assert!(
        planned(&fleet(DESKTOP), &account(vec![leaving]))
            .changes()
            .is_empty()
    );
}

#[test]
fn sharing_adds_and_removes_one_account_a_call() {
    let file = fleet(&format!(
        "{DESKTOP}directory_id = \"{DIRECTORY}\"\nshare_with = [\"{AUDIT}\", \"{PARTNER}\"]\n"
    ));
    let live = with(owned_alias("desktop"), |a| {
        a.shared_with = accounts(&[PARTNER, "777788889999"]);
    });
    let plan = planned(&file, &account(vec![live]));
    let change = only(&plan);
    assert_eq!(change.reason, "share_with differs from the file");
    assert_eq!(
        change.attributes[0].before,
        list(&[PARTNER, "777788889999"])
    );
    assert_eq!(change.attributes[0].after, list(&[PARTNER, AUDIT]));
    assert_eq!(
        change.operations,
        [share(id(), AUDIT, true), share(id(), "777788889999", false)]
    );
}

#[test]
fn sharing_the_file_leaves_out_is_left_alone() {
    let file = fleet(&format!("{DESKTOP}directory_id = \"{DIRECTORY}\"\n"));
    let live = with(owned_alias("desktop"), |a| {
        a.shared_with = accounts(&[PARTNER])
    });
    assert!(planned(&file, &account(vec![live])).changes().is_empty());
}

#[test]
fn sharing_with_the_aliass_own_account_is_an_error() {
    let file = fleet(&format!("{DESKTOP}share_with = [\"{OWN_ACCOUNT}\"]\n"));
    let errors = refused(&file, &account(Vec::new()));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::connection_alias("desktop"));
    assert_eq!(
        errors[0].message,
        format!("`share_with` lists {OWN_ACCOUNT}, the account the connection alias is in")
    );
}

#[test]
fn a_new_connection_string_replaces_the_alias() {
    let file = fleet(
        "[connection_aliases.desktop]\nconnection_string = \"vdi.example.com\"\ndirectory_id = \"d-1234567890\"\n",
    );
    let old = with(owned_alias("desktop"), |a| {
        a.shared_with = accounts(&[PARTNER])
    });
    let plan = planned(&file, &account(vec![old]));
    let change = only(&plan);
    let address = Address::connection_alias("desktop");
    assert_eq!(change.action, Action::Replace);
    assert!(!change.data_loss);
    assert_eq!(change.id.as_deref(), Some(ALIAS_ID));
    assert_eq!(
        change.reason,
        format!(
            "its connection string changes from desktop.example.com to vdi.example.com; AWS cannot change one, so {ALIAS_ID} is deleted and a new alias created"
        )
    );
    assert!(change.attributes[0].forces_replacement);
    assert_eq!(change.attributes[0].name, "connection_string");
    assert_eq!(
        change.operations,
        [
            Operation::DisassociateConnectionAlias {
                alias_id: ALIAS_ID.to_owned(),
                directory_id: DIRECTORY.to_owned(),
            },
            share(id(), PARTNER, false),
            Operation::DeleteConnectionAlias {
                alias_id: ALIAS_ID.to_owned(),
            },
            Operation::CreateConnectionAlias {
                connection_string: "vdi.example.com".to_owned(),
                tags: ownership("desktop"),
            },
            Operation::AssociateConnectionAlias {
                alias_id: IdRef::created_by(address),
                directory_id: DIRECTORY.to_owned(),
            },
        ]
    );
}

#[test]
fn an_untagged_alias_with_the_connection_string_in_any_case_is_adopted() {
    let file = fleet(&format!("{DESKTOP}directory_id = \"{DIRECTORY}\"\n"));
    let live = with(live_alias(), |a| {
        a.connection_string = "Desktop.Example.com".to_owned();
    });
    let plan = planned(&file, &account(vec![live]));
    let change = only(&plan);
    assert_eq!(change.action, Action::Adopt);
    assert_eq!(
        change.reason,
        format!(
            "connection alias {ALIAS_ID} (Desktop.Example.com) exists without a wsctl:stack tag; apply tags it"
        )
    );
    assert_eq!(
        change.operations,
        [Operation::TagResource {
            resource_id: IdRef::Id(ALIAS_ID.to_owned()),
            tags: ownership("desktop"),
        }]
    );
}

#[test]
fn another_stacks_alias_with_the_connection_string_is_a_conflict() {
    let live = with(live_alias(), |a| {
        a.tags = tags(&[(STACK_TAG, "finance")]);
    });
    let errors = refused(&fleet(DESKTOP), &account(vec![live]));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        format!(
            "connection alias {ALIAS_ID} (desktop.example.com) belongs to stack `finance`, not this one"
        )
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some(
            "a connection alias is managed by one stack; remove it from the file, or from stack `finance` first"
        )
    );
}

#[test]
fn an_owned_alias_missing_from_the_file_is_disassociated_unshared_then_deleted() {
    let live = with(owned_alias("desktop"), |a| {
        a.shared_with = accounts(&[PARTNER])
    });
    let plan = planned(&fleet(""), &account(vec![live]));
    let change = only(&plan);
    assert_eq!(change.address, Address::connection_alias("desktop"));
    assert_eq!(change.action, Action::Delete);
    assert_eq!(
        change.operations,
        [
            Operation::DisassociateConnectionAlias {
                alias_id: ALIAS_ID.to_owned(),
                directory_id: DIRECTORY.to_owned(),
            },
            share(id(), PARTNER, false),
            Operation::DeleteConnectionAlias {
                alias_id: ALIAS_ID.to_owned(),
            },
        ]
    );
}

#[test]
fn an_alias_leaves_its_directory_after_the_workspaces_terminated_there() {
    let workspace = LiveWorkspace {
        id: "ws-alice0001".to_owned(),
        directory_id: DIRECTORY.to_owned(),
        user: "alice".to_owned(),
        state: WorkspaceState::Available,
        tags: ownership("alice"),
        ..LiveWorkspace::default()
    };
    let live = LiveState {
        workspaces: vec![workspace],
        ..account(vec![owned_alias("desktop")])
    };
    let plan = planned(&fleet(""), &live);
    let alias = &plan.changes()[1];
    assert_eq!(alias.address, Address::connection_alias("desktop"));
    assert_eq!(alias.depends_on, [Address::workspace("alice")]);
    let waves: Vec<Vec<String>> = plan
        .order()
        .waves
        .iter()
        .map(|w| w.calls.iter().map(|c| c.operation.clone()).collect())
        .collect();
    assert_eq!(
        waves,
        [
            vec!["TerminateWorkspaces"],
            vec!["DisassociateConnectionAlias"],
            vec!["DeleteConnectionAlias"],
        ]
    );
}

#[test]
fn an_alias_another_account_associated_is_not_deleted() {
    let live = with(owned_alias("desktop"), |a| {
        a.associations.push(association(
            "ASSOCIATED_WITH_SHARED_ACCOUNT",
            PARTNER,
            "d-9999999999",
        ));
    });
    let errors = refused(&fleet(""), &account(vec![live]));
    assert_eq!(
        errors[0].message,
        format!(
            "connection alias {ALIAS_ID} (desktop.example.com) is associated with directory d-9999999999 of account {PARTNER}; AWS deletes an alias only once no other account uses it"
        )
    );
}

#[test]
fn untagged_and_deleting_aliases_are_never_touched() {
    let deleting = with(owned_alias("old"), |a| a.state = AliasState::Deleting);
    let plan = planned(&fleet(""), &account(vec![live_alias(), deleting]));
    assert!(plan.changes().is_empty(), "{:#?}", plan.changes());
}

#[test]
fn a_saved_plan_goes_stale_when_the_aliass_sharing_changes_but_not_when_association_settles() {
    let file = fleet(&format!("{DESKTOP}directory_id = \"{DIRECTORY}\"\n"));
    let pending = with(owned_alias("desktop"), |a| {
        a.associations = vec![association("PENDING_ASSOCIATION", OWN_ACCOUNT, DIRECTORY)];
    });
    let before = crate::live::fingerprints(&file, &account(vec![pending]));
    let key = "connection_alias:desktop.example.com";
    assert_ne!(before[key], "absent");
    let settled = crate::live::fingerprints(&file, &account(vec![owned_alias("desktop")]));
    assert_eq!(settled, before);
    let shared = with(owned_alias("desktop"), |a| {
        a.shared_with = accounts(&[PARTNER])
    });
    let after = crate::live::fingerprints(&file, &account(vec![shared]));
    assert_ne!(after[key], before[key]);
}

// ---- image sharing ---------------------------------------------------------------

const IMAGE_ID: &str = "wsi-0123abcde";
const BASE: &str = "[images.base]\ncopy = { source_region = \"us-west-2\", source_image_id = \"wsi-0987zyxwv\" }\n";

fn owned_image(shared_with: Option<&[&str]>) -> LiveImage {
    LiveImage {
        id: IMAGE_ID.to_owned(),
        name: "base".to_owned(),
        description: Some("base".to_owned()),
        state: ImageState::Available,
        tags: ownership("base"),
        shared_with: shared_with.map(accounts),
        ..LiveImage::default()
    }
}

fn images(images: Vec<LiveImage>) -> LiveState {
    LiveState {
        images,
        ..LiveState::default()
    }
}

fn share_image(image: IdRef, account: &str, allow: bool) -> Operation {
    Operation::UpdateImagePermission {
        image_id: image,
        account_id: account.to_owned(),
        allow_copy_image: allow,
    }
}

fn image_id() -> IdRef {
    IdRef::Id(IMAGE_ID.to_owned())
}

#[test]
fn a_new_image_is_shared_after_it_is_made() {
    let file = fleet(&format!("{BASE}share_with = [\"{PARTNER}\"]\n"));
    let plan = planned(&file, &LiveState::default());
    let change = only(&plan);
    let address = Address::image("base");
    assert_eq!(change.action, Action::Create);
    assert!(matches!(change.operations[0], Operation::CreateImage(_)));
    assert_eq!(
        change.operations[1..],
        [share_image(IdRef::created_by(address), PARTNER, true)]
    );
    let shown = change.attributes.iter().find(|a| a.name == "share_with");
    assert_eq!(shown.and_then(|a| a.after.clone()), list(&[PARTNER]));
}

#[test]
fn an_images_sharing_is_brought_in_line_like_its_tags() {
    let file = fleet(&format!("{BASE}share_with = [\"{AUDIT}\"]\n"));
    let plan = planned(&file, &images(vec![owned_image(Some(&[PARTNER]))]));
    let change = only(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.reason, "share_with differs from the file");
    assert_eq!(change.attributes[0].before, list(&[PARTNER]));
    assert_eq!(change.attributes[0].after, list(&[AUDIT]));
    assert_eq!(
        change.operations,
        [
            share_image(image_id(), AUDIT, true),
            share_image(image_id(), PARTNER, false),
        ]
    );
    let same = fleet(&format!("{BASE}share_with = [\"{PARTNER}\"]\n"));
    let unchanged = planned(&same, &images(vec![owned_image(Some(&[PARTNER]))]));
    assert!(unchanged.changes().is_empty());
    let unmanaged = planned(&fleet(BASE), &images(vec![owned_image(Some(&[PARTNER]))]));
    assert!(unmanaged.changes().is_empty());
}

#[test]
fn an_image_update_rollout_shares_the_new_version_and_unshares_the_old_before_deleting_it() {
    let file = fleet(&format!(
        "{BASE}auto_update = true\nshare_with = [\"{PARTNER}\"]\n"
    ));
    let current = with(owned_image(Some(&[PARTNER])), |i| i.update_available = true);
    let plan = planned(&file, &images(vec![current]));
    let address = Address::image("base");
    let rollout = plan
        .changes()
        .iter()
        .find(|c| c.address == address)
        .unwrap_or_else(|| panic!("no rollout: {:#?}", plan.changes()));
    assert!(matches!(rollout.operations[0], Operation::CreateImage(_)));
    assert_eq!(
        rollout.operations[1..],
        [share_image(
            IdRef::created_by(address.clone()),
            PARTNER,
            true
        )]
    );
    let old = plan
        .changes()
        .iter()
        .find(|c| c.address == address.deposed(IMAGE_ID))
        .unwrap_or_else(|| panic!("no delete of the old version: {:#?}", plan.changes()));
    assert_eq!(
        old.operations,
        [
            share_image(image_id(), PARTNER, false),
            Operation::DeleteImage {
                image_id: IMAGE_ID.to_owned(),
            },
        ]
    );
}

#[test]
fn a_shared_image_missing_from_the_file_is_unshared_then_deleted() {
    let plan = planned(&fleet(""), &images(vec![owned_image(Some(&[PARTNER]))]));
    let change = only(&plan);
    assert_eq!(change.action, Action::Delete);
    assert_eq!(
        change.operations,
        [
            share_image(image_id(), PARTNER, false),
            Operation::DeleteImage {
                image_id: IMAGE_ID.to_owned(),
            },
        ]
    );
}

#[test]
fn sharing_an_image_with_its_own_account_is_an_error() {
    let file = fleet(&format!("{BASE}share_with = [\"{OWN_ACCOUNT}\"]\n"));
    let live = LiveState {
        account_id: Some(OWN_ACCOUNT.to_owned()),
        ..LiveState::default()
    };
    let errors = refused(&file, &live);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].address, Address::image("base"));
    assert_eq!(
        errors[0].message,
        format!("`share_with` lists {OWN_ACCOUNT}, the account the image is in")
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("list only other accounts: the image's own account always has it")
    );
}
