//! The planner on a directory's SAML, certificate-based authentication and
//! endpoint encryption settings: each test plans a small fleet file
//! against a registered directory and checks the Modify* calls, each
//! carrying its group whole.

use super::fixtures::{STACK, ownership};
use super::*;
use crate::address::Address;
use crate::directory_settings::{DirectorySettings, Group, GroupSettings, Setting};
use crate::live::{LiveDirectory, LiveState};
use crate::spec::Fleet;
use crate::states::DirectoryState;

const DIRECTORY: &str = "d-1234567890";
const ARN: &str = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/0a1b";

fn fleet(settings: &str) -> Fleet {
    let text = format!(
        "[settings]\nstack = \"{STACK}\"\n[directories.corp]\ndirectory_id = \"{DIRECTORY}\"\n{settings}"
    );
    crate::spec::parse("fleet.toml", &text).unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn text(value: &str) -> Setting {
    Setting::Text(value.to_owned())
}

fn group(pairs: &[(&str, &str)]) -> GroupSettings {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), text(v)))
        .collect()
}

/// What DescribeWorkspaceDirectories reads of a registration nobody has
/// changed: SAML and certificate-based authentication off, standard TLS.
fn defaults() -> DirectorySettings {
    DirectorySettings::from([
        (
            Group::Saml,
            group(&[
                ("status", "disabled"),
                ("user_access_url", ""),
                ("relay_state_parameter_name", ""),
            ]),
        ),
        (
            Group::CertificateBasedAuth,
            group(&[("status", "disabled"), ("certificate_authority_arn", "")]),
        ),
        (
            Group::EndpointEncryption,
            group(&[("mode", "standard_tls")]),
        ),
    ])
}

fn live(settings: DirectorySettings) -> LiveState {
    LiveState {
        directories: vec![LiveDirectory {
            id: DIRECTORY.to_owned(),
            state: DirectoryState::Registered,
            subnet_ids: Vec::new(),
            tenancy: None,
            ip_group_ids: Vec::new(),
            settings,
            tags: ownership("corp"),
        }],
        ..LiveState::default()
    }
}

fn planned(fleet: &Fleet, live: &LiveState) -> Plan {
    plan(fleet, live).unwrap_or_else(|errors| panic!("{errors:#?}"))
}

fn modify(group: Group, settings: GroupSettings) -> Operation {
    Operation::ModifyDirectory {
        directory_id: DIRECTORY.to_owned(),
        group,
        settings,
    }
}

const SAML_ON: &str = "[directories.corp.saml]\nstatus = \"enabled\"\nuser_access_url = \"https://idp.example.com/sso\"\nrelay_state_parameter_name = \"RelayState\"\n";

#[test]
fn a_new_registration_enables_saml_before_certificate_auth_then_fips() {
    let body = format!(
        "subnet_ids = [\"subnet-0a1b2c3d4e5f60718\", \"subnet-0f1e2d3c4b5a69788\"]\n{SAML_ON}[directories.corp.certificate_based_auth]\nstatus = \"enabled\"\ncertificate_authority_arn = \"{ARN}\"\n[directories.corp.endpoint_encryption]\nmode = \"fips_validated\"\n"
    );
    let plan = planned(&fleet(&body), &LiveState::default());
    let registered = &plan.changes()[0];
    assert_eq!(registered.action, Action::Create);
    let calls: Vec<&str> = registered
        .operations
        .iter()
        .map(Operation::api_name)
        .collect();
    assert_eq!(
        calls,
        [
            "RegisterWorkspaceDirectory",
            "ModifySamlProperties",
            "ModifyCertificateBasedAuthProperties",
            "ModifyEndpointEncryptionMode",
        ]
    );
    let names: Vec<&str> = registered
        .attributes
        .iter()
        .map(|a| a.name.as_ref())
        .collect();
    for name in [
        "saml.status",
        "saml.user_access_url",
        "saml.relay_state_parameter_name",
        "certificate_based_auth.status",
        "certificate_based_auth.certificate_authority_arn",
        "endpoint_encryption.mode",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
}

#[test]
fn enabling_saml_in_place_sends_the_group_whole_with_what_the_file_leaves_out() {
    let plan = planned(
        &fleet(
            "[directories.corp.saml]\nstatus = \"enabled\"\nuser_access_url = \"https://idp.example.com/sso\"\n",
        ),
        &live(defaults()),
    );
    let updated = &plan.changes()[0];
    assert_eq!(updated.address, Address::directory("corp"));
    assert_eq!(updated.action, Action::Update);
    assert_eq!(
        updated.operations,
        [modify(
            Group::Saml,
            group(&[
                ("status", "enabled"),
                ("user_access_url", "https://idp.example.com/sso"),
                ("relay_state_parameter_name", ""),
            ])
        )]
    );
    let status = &updated.attributes[0];
    assert_eq!(status.name, "saml.status");
    assert_eq!(status.before, Some(Value::Text("disabled".to_owned())));
    assert_eq!(status.after, Some(Value::Text("enabled".to_owned())));
    assert!(!status.forces_replacement);
}

#[test]
fn an_emptied_user_access_url_is_a_change_and_an_absent_one_is_none() {
    let mut settings = defaults();
    settings.insert(
        Group::Saml,
        group(&[
            ("status", "enabled"),
            ("user_access_url", "https://idp.example.com/sso"),
            ("relay_state_parameter_name", ""),
        ]),
    );
    let plan = planned(
        &fleet(
            "[directories.corp.saml]\nuser_access_url = \"\"\nrelay_state_parameter_name = \"\"\n",
        ),
        &live(settings),
    );
    let updated = &plan.changes()[0];
    assert_eq!(updated.attributes.len(), 1);
    assert_eq!(updated.attributes[0].name, "saml.user_access_url");
    assert_eq!(
        updated.attributes[0].after,
        Some(Value::Text(String::new()))
    );
    let (_, deleted) = crate::directory_settings::saml_request(match &updated.operations[0] {
        Operation::ModifyDirectory { settings, .. } => settings,
        other => panic!("{other:?}"),
    });
    assert_eq!(deleted.len(), 2);
}

#[test]
fn certificate_auth_and_fips_change_in_place_each_with_its_own_call() {
    let mut settings = defaults();
    settings.insert(Group::Saml, group(&[("status", "enabled")]));
    let body = format!(
        "[directories.corp.saml]\nstatus = \"enabled\"\n[directories.corp.certificate_based_auth]\nstatus = \"enabled\"\ncertificate_authority_arn = \"{ARN}\"\n[directories.corp.endpoint_encryption]\nmode = \"fips_validated\"\n"
    );
    let plan = planned(&fleet(&body), &live(settings));
    let updated = &plan.changes()[0];
    assert_eq!(
        updated.operations,
        [
            modify(
                Group::CertificateBasedAuth,
                group(&[("status", "enabled"), ("certificate_authority_arn", ARN)])
            ),
            modify(
                Group::EndpointEncryption,
                group(&[("mode", "fips_validated")])
            ),
        ]
    );
    assert_eq!(
        updated.reason,
        "certificate_based_auth.certificate_authority_arn, certificate_based_auth.status, endpoint_encryption.mode differ from the file"
    );
}

#[test]
fn settings_as_the_account_has_them_plan_nothing() {
    let body = "[directories.corp.saml]\nstatus = \"disabled\"\nuser_access_url = \"\"\n[directories.corp.certificate_based_auth]\nstatus = \"disabled\"\n[directories.corp.endpoint_encryption]\nmode = \"standard_tls\"\n";
    let plan = planned(&fleet(body), &live(defaults()));
    assert!(plan.changes().is_empty(), "{:#?}", plan.changes());
}

#[test]
fn an_adopted_directory_with_its_read_settings_is_adopted_without_a_modify_call() {
    let mut directory = live(defaults());
    directory.directories[0].tags.clear();
    let body = "[directories.corp.saml]\nstatus = \"disabled\"\n[directories.corp.endpoint_encryption]\nmode = \"standard_tls\"\n";
    let plan = planned(&fleet(body), &directory);
    let adopted = &plan.changes()[0];
    assert_eq!(adopted.action, Action::Adopt);
    assert!(
        adopted
            .operations
            .iter()
            .all(|o| !matches!(o, Operation::ModifyDirectory { .. })),
        "{:?}",
        adopted.operations
    );
}

#[test]
fn dirsettings_a_streaming_change_keeps_the_user_settings_the_file_leaves_out() {
    let mut settings = defaults();
    settings.insert(
        Group::Streaming,
        GroupSettings::from([
            ("preferred_protocol".to_owned(), text("tcp")),
            ("printing_to_local_device".to_owned(), Setting::Bool(true)),
            (
                "clipboard_copy_to_local_device".to_owned(),
                Setting::Bool(false),
            ),
        ]),
    );
    let body = "[directories.corp.streaming]\npreferred_protocol = \"udp\"\nclipboard_copy_to_local_device = true\nclipboard_copy_to_local_device_max_length = 4096\n";
    let plan = planned(&fleet(body), &live(settings));
    let updated = &plan.changes()[0];
    assert_eq!(
        updated.operations,
        [modify(
            Group::Streaming,
            GroupSettings::from([
                ("preferred_protocol".to_owned(), text("udp")),
                ("printing_to_local_device".to_owned(), Setting::Bool(true)),
                (
                    "clipboard_copy_to_local_device".to_owned(),
                    Setting::Bool(true)
                ),
                (
                    "clipboard_copy_to_local_device_max_length".to_owned(),
                    Setting::Number(4096)
                ),
            ])
        )]
    );
    let limit = updated
        .attributes
        .iter()
        .find(|a| a.name == "streaming.clipboard_copy_to_local_device_max_length")
        .expect("the limit is shown");
    assert_eq!(limit.before, None);
    assert_eq!(limit.after, Some(Value::Number(4096)));
    let same = planned(
        &fleet("[directories.corp.streaming]\npreferred_protocol = \"tcp\"\n"),
        &live({
            let mut s = defaults();
            s.insert(Group::Streaming, group(&[("preferred_protocol", "tcp")]));
            s
        }),
    );
    assert!(same.changes().is_empty(), "{:#?}", same.changes());
}

#[test]
fn dirsettings_a_vpc_endpoint_is_added_with_the_device_access_aws_has() {
    let mut settings = defaults();
    settings.insert(
        Group::Access,
        group(&[("web", "deny"), ("windows", "allow")]),
    );
    let body = "[directories.corp.access]\nstreaming_vpc_endpoint_id = \"vpce-0123456789abcdef0\"\ninternet_fallback_pcoip = true\n";
    let plan = planned(&fleet(body), &live(settings));
    let updated = &plan.changes()[0];
    let mut whole = group(&[
        ("web", "deny"),
        ("windows", "allow"),
        ("streaming_vpc_endpoint_id", "vpce-0123456789abcdef0"),
    ]);
    whole.insert("internet_fallback_pcoip".to_owned(), Setting::Bool(true));
    assert_eq!(updated.operations, [modify(Group::Access, whole)]);
    assert_eq!(
        updated.reason,
        "access.internet_fallback_pcoip, access.streaming_vpc_endpoint_id differ from the file"
    );
}

#[test]
fn dirsettings_disabling_saml_under_certificate_auth_is_refused_unless_both_go_off_in_order() {
    let mut settings = defaults();
    settings.insert(Group::Saml, group(&[("status", "enabled")]));
    settings.insert(
        Group::CertificateBasedAuth,
        group(&[("status", "enabled"), ("certificate_authority_arn", ARN)]),
    );
    let saml_off = "[directories.corp.saml]\nstatus = \"disabled\"\n";
    let errors = match plan(&fleet(saml_off), &live(settings.clone())) {
        Ok(plan) => panic!("expected a refusal, got {plan:#?}"),
        Err(errors) => errors,
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "directory d-1234567890 has certificate-based authentication enabled, which needs SAML 2.0, and the file disables SAML"
    );
    assert!(
        errors[0].origin.is_some(),
        "the refusal points into the file"
    );
    let both_off =
        format!("{saml_off}[directories.corp.certificate_based_auth]\nstatus = \"disabled\"\n");
    let plan = planned(&fleet(&both_off), &live(settings));
    let calls: Vec<&str> = plan.changes()[0]
        .operations
        .iter()
        .map(Operation::api_name)
        .collect();
    assert_eq!(
        calls,
        [
            "ModifyCertificateBasedAuthProperties",
            "ModifySamlProperties"
        ]
    );
}
