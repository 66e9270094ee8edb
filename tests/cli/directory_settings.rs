//! A directory's SAML 2.0 sign-in, certificate-based authentication,
//! endpoint encryption mode, streaming properties and VPC endpoint through
//! the binary:
//! set at registration, changed in place, imported and adopted, and bad
//! input refused before any call.

use aws_sdk_workspaces::types::{
    AccessEndpoint, AccessEndpointConfig, AccessEndpointType, CertificateBasedAuthProperties,
    CertificateBasedAuthStatusEnum, EndpointEncryptionMode, SamlProperties, SamlStatusEnum,
    StreamingExperiencePreferredProtocolEnum, StreamingProperties, UserSetting,
    UserSettingActionEnum, UserSettingPermissionEnum, WorkspaceAccessProperties,
    WorkspaceDirectory,
};
use serde_json::Value;

use crate::harness::{Bed, DIRECTORY};

const ENG: &str = "d-2345678901";
const ARN: &str = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/0a1b2c3d";

fn registered(settings: &str) -> String {
    format!(
        r#"[settings]
stack = "sign-in"

[directories.eng]
directory_id = "{ENG}"
subnet_ids = ["subnet-0e1b2c3d4e5f60718", "subnet-0e2b2c3d4e5f60719"]
{settings}"#
    )
}

const SIGN_IN: &str = r#"
[directories.eng.saml]
status = "enabled"
user_access_url = "https://idp.example.com/sso"
relay_state_parameter_name = "RelayState"

[directories.eng.certificate_based_auth]
status = "enabled"
certificate_authority_arn = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/0a1b2c3d"

[directories.eng.endpoint_encryption]
mode = "fips_validated"

[directories.eng.access]
streaming_vpc_endpoint_id = "vpce-0123456789abcdef0"
internet_fallback_pcoip = true

[directories.eng.streaming]
preferred_protocol = "udp"
clipboard_copy_from_local_device = true
clipboard_copy_from_local_device_max_length = 1024
printing_to_local_device = false
home_folder = true
global_accelerator = "enabled_auto"
"#;

async fn directory(bed: &Bed, id: &str) -> WorkspaceDirectory {
    let out = bed
        .client()
        .describe_workspace_directories()
        .directory_ids(id)
        .send()
        .await
        .expect("DescribeWorkspaceDirectories");
    out.directories().first().cloned().expect("registered")
}

async fn empty_plan(bed: &Bed) {
    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "a plan after apply is empty: {again:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dirsettings_sign_in_is_set_at_registration_then_changed_in_place() {
    let bed = Bed::new().await;
    bed.fleet(&registered(SIGN_IN));
    let plan = bed.wsctl(&["plan"]).await.success();
    for line in [
        "saml.status",
        "certificate_based_auth.status",
        "endpoint_encryption.mode",
        "streaming.clipboard_copy_from_local_device_max_length",
        "access.streaming_vpc_endpoint_id",
    ] {
        assert!(plan.stdout.contains(line), "{line}: {}", plan.stdout);
    }
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let eng = directory(&bed, ENG).await;
    let saml = eng.saml_properties().expect("SAML");
    assert_eq!(saml.status(), Some(&SamlStatusEnum::Enabled));
    assert_eq!(saml.user_access_url(), Some("https://idp.example.com/sso"));
    assert_eq!(saml.relay_state_parameter_name(), Some("RelayState"));
    let certificate = eng.certificate_based_auth_properties().expect("CBA");
    assert_eq!(
        certificate.status(),
        Some(&CertificateBasedAuthStatusEnum::Enabled)
    );
    assert_eq!(certificate.certificate_authority_arn(), Some(ARN));
    assert_eq!(
        eng.endpoint_encryption_mode(),
        Some(&EndpointEncryptionMode::FipsValidated)
    );
    let streaming = eng.streaming_properties().expect("streaming");
    assert_eq!(
        streaming.streaming_experience_preferred_protocol(),
        Some(&StreamingExperiencePreferredProtocolEnum::Udp)
    );
    assert_eq!(streaming.user_settings().len(), 2);
    assert_eq!(streaming.storage_connectors().len(), 1);
    let endpoint = eng
        .workspace_access_properties()
        .and_then(|a| a.access_endpoint_config())
        .expect("the VPC endpoint");
    assert_eq!(
        endpoint.access_endpoints()[0].vpc_endpoint_id(),
        Some("vpce-0123456789abcdef0")
    );
    assert_eq!(bed.calls("ModifyWorkspaceAccessProperties"), 1);
    for call in [
        "ModifySamlProperties",
        "ModifyCertificateBasedAuthProperties",
        "ModifyEndpointEncryptionMode",
        "ModifyStreamingProperties",
    ] {
        assert_eq!(bed.calls(call), 1, "{call}");
    }
    empty_plan(&bed).await;

    // In place: SAML's fallback, no relay state, standard TLS again, TCP,
    // printing, and no PCoIP fallback to the internet.
    let changed = SIGN_IN
        .replace(
            "status = \"enabled\"\nuser_access_url",
            "status = \"enabled_with_directory_login_fallback\"\nuser_access_url",
        )
        .replace("\"RelayState\"", "\"\"")
        .replace("fips_validated", "standard_tls")
        .replace("\"udp\"", "\"tcp\"")
        .replace(
            "printing_to_local_device = false",
            "printing_to_local_device = true",
        )
        .replace(
            "internet_fallback_pcoip = true",
            "internet_fallback_pcoip = false",
        );
    bed.fleet(&registered(&changed));
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout
            .contains("directory.eng will be updated in place"),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert_eq!(bed.calls("ModifySamlProperties"), 2);
    assert_eq!(bed.calls("ModifyEndpointEncryptionMode"), 2);
    assert_eq!(bed.calls("ModifyStreamingProperties"), 2);
    assert_eq!(bed.calls("ModifyWorkspaceAccessProperties"), 2);
    assert_eq!(
        bed.calls("ModifyCertificateBasedAuthProperties"),
        1,
        "unchanged"
    );
    let eng = directory(&bed, ENG).await;
    let saml = eng.saml_properties().expect("SAML");
    assert_eq!(
        saml.status(),
        Some(&SamlStatusEnum::EnabledWithDirectoryLoginFallback)
    );
    assert_eq!(saml.relay_state_parameter_name(), None, "deleted");
    assert_eq!(
        eng.endpoint_encryption_mode(),
        Some(&EndpointEncryptionMode::StandardTls)
    );
    let streaming = eng.streaming_properties().expect("streaming");
    assert_eq!(
        streaming.streaming_experience_preferred_protocol(),
        Some(&StreamingExperiencePreferredProtocolEnum::Tcp)
    );
    let printing = streaming
        .user_settings()
        .iter()
        .find(|s| *s.action() == UserSettingActionEnum::PrintingToLocalDevice)
        .expect("printing");
    assert_eq!(printing.permission(), &UserSettingPermissionEnum::Enabled);
    let endpoint = eng
        .workspace_access_properties()
        .and_then(|a| a.access_endpoint_config())
        .expect("the VPC endpoint");
    assert!(
        endpoint.internet_fallback_protocols().is_empty(),
        "no fallback"
    );
    empty_plan(&bed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dirsettings_sign_in_set_by_hand_is_imported_and_only_adopted() {
    let bed = Bed::new().await;
    let client = bed.client();
    client
        .modify_saml_properties()
        .resource_id(DIRECTORY)
        .saml_properties(
            SamlProperties::builder()
                .status(SamlStatusEnum::Enabled)
                .user_access_url("https://idp.example.com/sso")
                .build(),
        )
        .send()
        .await
        .expect("SAML");
    client
        .modify_certificate_based_auth_properties()
        .resource_id(DIRECTORY)
        .certificate_based_auth_properties(
            CertificateBasedAuthProperties::builder()
                .status(CertificateBasedAuthStatusEnum::Enabled)
                .certificate_authority_arn(ARN)
                .build(),
        )
        .send()
        .await
        .expect("certificate-based auth");
    client
        .modify_endpoint_encryption_mode()
        .directory_id(DIRECTORY)
        .endpoint_encryption_mode(EndpointEncryptionMode::FipsValidated)
        .send()
        .await
        .expect("FIPS");
    client
        .modify_streaming_properties()
        .resource_id(DIRECTORY)
        .streaming_properties(
            StreamingProperties::builder()
                .streaming_experience_preferred_protocol(
                    StreamingExperiencePreferredProtocolEnum::Udp,
                )
                .user_settings(
                    UserSetting::builder()
                        .action(UserSettingActionEnum::ClipboardCopyFromLocalDevice)
                        .permission(UserSettingPermissionEnum::Enabled)
                        .maximum_length(1024)
                        .build()
                        .expect("a user setting"),
                )
                .build(),
        )
        .send()
        .await
        .expect("streaming");
    client
        .modify_workspace_access_properties()
        .resource_id(DIRECTORY)
        .workspace_access_properties(
            WorkspaceAccessProperties::builder()
                .access_endpoint_config(
                    AccessEndpointConfig::builder()
                        .access_endpoints(
                            AccessEndpoint::builder()
                                .access_endpoint_type(AccessEndpointType::StreamingWsp)
                                .vpc_endpoint_id("vpce-0123456789abcdef0")
                                .build(),
                        )
                        .build()
                        .expect("an endpoint"),
                )
                .build(),
        )
        .send()
        .await
        .expect("a VPC endpoint");
    bed.wsctl(&["import", "--stack", "eng", "-o", "fleet.toml"])
        .await
        .success();
    let text = std::fs::read_to_string(bed.path("fleet.toml")).expect("the file");
    let expected = format!(
        "\n[directories.{DIRECTORY}.saml]\nstatus = \"enabled\"\nuser_access_url = \"https://idp.example.com/sso\"\n\n[directories.{DIRECTORY}.certificate_based_auth]\nstatus = \"enabled\"\ncertificate_authority_arn = \"{ARN}\"\n\n[directories.{DIRECTORY}.endpoint_encryption]\nmode = \"fips_validated\"\n\n[directories.{DIRECTORY}.streaming]\npreferred_protocol = \"udp\"\nclipboard_copy_from_local_device = true\nclipboard_copy_from_local_device_max_length = 1024\n"
    );
    assert!(text.contains(&expected), "{text}");
    assert!(
        text.contains(
            "\nstreaming_vpc_endpoint_id = \"vpce-0123456789abcdef0\"\ninternet_fallback_pcoip = false\n"
        ),
        "{text}"
    );
    let plan = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let plan: Value = serde_json::from_str(&plan.stdout).expect("a JSON plan");
    let counts = &plan["summary"];
    for action in ["create", "update", "migrate", "replace", "delete", "heal"] {
        assert_eq!(counts[action], 0, "{action}: {counts}");
    }
    assert!(counts["adopt"].as_u64() > Some(0), "{counts}");
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    for call in [
        "ModifySamlProperties",
        "ModifyCertificateBasedAuthProperties",
        "ModifyEndpointEncryptionMode",
        "ModifyStreamingProperties",
        "ModifyWorkspaceAccessProperties",
    ] {
        assert_eq!(bed.calls(call), 1, "only the call made by hand: {call}");
    }
    empty_plan(&bed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dirsettings_bad_sign_in_input_is_refused_by_validate_and_plan_before_any_call() {
    let bed = Bed::new().await;
    bed.fleet(&registered(
        "\n[directories.eng.certificate_based_auth]\nstatus = \"enabled\"\n",
    ));
    let refused = bed.wsctl(&["validate"]).await.failure();
    assert!(
        refused
            .stderr
            .contains("certificate-based authentication needs SAML 2.0 enabled")
            && refused.stderr.contains("fleet.toml:9:10"),
        "{}",
        refused.stderr
    );
    bed.fleet(&registered(
        "\n[directories.eng.saml]\nuser_access_url = \"ftp://idp.example.com\"\n\n[directories.eng.endpoint_encryption]\nmode = \"FIPS\"\n",
    ));
    let refused = bed.wsctl(&["plan"]).await.failure();
    for expected in [
        "invalid user access URL `ftp://idp.example.com`",
        "fleet.toml:9:19",
        "unknown mode of endpoint encryption `FIPS`",
        "fleet.toml:12:8",
        "expected one of `standard_tls`, `fips_validated`",
    ] {
        assert!(
            refused.stderr.contains(expected),
            "{expected}: {}",
            refused.stderr
        );
    }
    bed.fleet(&registered(
        "\n[directories.eng.streaming]\nclipboard = true\n",
    ));
    let refused = bed.wsctl(&["validate"]).await.failure();
    assert!(
        refused.stderr.contains("unknown key `clipboard`")
            && refused.stderr.contains("fleet.toml:9:1"),
        "{}",
        refused.stderr
    );
    assert_eq!(bed.calls("RegisterWorkspaceDirectory"), 0);
    assert_eq!(bed.calls("ModifySamlProperties"), 0);
}
