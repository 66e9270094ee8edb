//! A registered directory's SAML 2.0 sign-in, certificate-based
//! authentication and endpoint encryption mode, with the rules AWS
//! enforces on them.

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    AccessEndpoint, AccessEndpointConfig, AccessEndpointType, AgaModeForDirectoryEnum,
    CertificateBasedAuthProperties, CertificateBasedAuthStatusEnum,
    DeletableCertificateBasedAuthProperty, DeletableSamlProperty, EndpointEncryptionMode,
    GlobalAcceleratorForDirectory, InternetFallbackProtocol, SamlProperties, SamlStatusEnum,
    StorageConnector, StorageConnectorStatusEnum, StorageConnectorTypeEnum,
    StreamingExperiencePreferredProtocolEnum, StreamingProperties, UserSetting,
    UserSettingActionEnum, UserSettingPermissionEnum, WorkspaceAccessProperties,
    WorkspaceDirectory,
};
use wsctl::sim::SEED_DIRECTORY_ID;

use crate::common::*;

const ARN: &str = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/0a1b2c3d";

async fn seed_directory(client: &Client) -> WorkspaceDirectory {
    let out = client
        .describe_workspace_directories()
        .directory_ids(SEED_DIRECTORY_ID)
        .send()
        .await
        .expect("DescribeWorkspaceDirectories");
    out.directories()[0].clone()
}

fn code(err: &impl aws_sdk_workspaces::error::ProvideErrorMetadata) -> String {
    err.code().unwrap_or_default().to_owned()
}

async fn saml(client: &Client, properties: SamlProperties) -> Result<(), String> {
    client
        .modify_saml_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .saml_properties(properties)
        .send()
        .await
        .map(drop)
        .map_err(|e| code(&e))
}

async fn certificate_auth(
    client: &Client,
    status: CertificateBasedAuthStatusEnum,
) -> Result<(), String> {
    client
        .modify_certificate_based_auth_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .certificate_based_auth_properties(
            CertificateBasedAuthProperties::builder()
                .status(status)
                .certificate_authority_arn(ARN)
                .build(),
        )
        .send()
        .await
        .map(drop)
        .map_err(|e| code(&e))
}

#[tokio::test]
async fn dirsettings_a_registration_has_saml_and_certificate_auth_off_and_standard_tls() {
    let (_sim, client) = sim().await;
    let d = seed_directory(&client).await;
    let s = d.saml_properties().expect("SAML properties");
    assert_eq!(s.status(), Some(&SamlStatusEnum::Disabled));
    assert_eq!(s.user_access_url(), None);
    let c = d
        .certificate_based_auth_properties()
        .expect("certificate-based auth properties");
    assert_eq!(c.status(), Some(&CertificateBasedAuthStatusEnum::Disabled));
    assert_eq!(
        d.endpoint_encryption_mode(),
        Some(&EndpointEncryptionMode::StandardTls)
    );
}

#[tokio::test]
async fn dirsettings_certificate_auth_is_refused_until_saml_is_enabled() {
    let (_sim, client) = sim().await;
    assert_eq!(
        certificate_auth(&client, CertificateBasedAuthStatusEnum::Enabled).await,
        Err("InvalidParameterValuesException".to_owned())
    );
    let d = seed_directory(&client).await;
    let c = d.certificate_based_auth_properties().expect("unchanged");
    assert_eq!(c.status(), Some(&CertificateBasedAuthStatusEnum::Disabled));
    assert_eq!(c.certificate_authority_arn(), None);
    saml(
        &client,
        SamlProperties::builder()
            .status(SamlStatusEnum::EnabledWithDirectoryLoginFallback)
            .user_access_url("https://idp.example.com/sso")
            .build(),
    )
    .await
    .expect("SAML on");
    certificate_auth(&client, CertificateBasedAuthStatusEnum::Enabled)
        .await
        .expect("certificate-based auth on once SAML is");
    let d = seed_directory(&client).await;
    let c = d.certificate_based_auth_properties().expect("changed");
    assert_eq!(c.status(), Some(&CertificateBasedAuthStatusEnum::Enabled));
    assert_eq!(c.certificate_authority_arn(), Some(ARN));
    client
        .modify_certificate_based_auth_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .properties_to_delete(
            DeletableCertificateBasedAuthProperty::CertificateBasedAuthPropertiesCertificateAuthorityArn,
        )
        .send()
        .await
        .expect("delete the authority");
    let d = seed_directory(&client).await;
    let c = d.certificate_based_auth_properties().expect("deleted");
    assert_eq!(c.certificate_authority_arn(), None);
    assert_eq!(c.status(), Some(&CertificateBasedAuthStatusEnum::Enabled));
}

#[tokio::test]
async fn dirsettings_saml_checks_its_url_and_status_and_deletes_what_it_is_told() {
    let (_sim, client) = sim().await;
    for (url, why) in [
        ("idp.example.com/sso", "no scheme"),
        ("https://idp example", "a space"),
        ("http://", "too short"),
    ] {
        let refused = saml(
            &client,
            SamlProperties::builder().user_access_url(url).build(),
        )
        .await;
        assert_eq!(
            refused,
            Err("InvalidParameterValuesException".to_owned()),
            "{why}"
        );
    }
    let long = format!("https://idp.example.com/{}", "a".repeat(177));
    assert_eq!(
        saml(
            &client,
            SamlProperties::builder().user_access_url(long).build()
        )
        .await,
        Err("InvalidParameterValuesException".to_owned())
    );
    assert_eq!(
        saml(
            &client,
            SamlProperties::builder()
                .status(SamlStatusEnum::from("ON"))
                .build()
        )
        .await,
        Err("InvalidParameterValuesException".to_owned())
    );
    saml(
        &client,
        SamlProperties::builder()
            .status(SamlStatusEnum::Enabled)
            .user_access_url("https://idp.example.com/sso")
            .relay_state_parameter_name("RelayState")
            .build(),
    )
    .await
    .expect("SAML on");
    let d = seed_directory(&client).await;
    let s = d.saml_properties().expect("SAML");
    assert_eq!(s.status(), Some(&SamlStatusEnum::Enabled));
    assert_eq!(s.user_access_url(), Some("https://idp.example.com/sso"));
    assert_eq!(s.relay_state_parameter_name(), Some("RelayState"));
    client
        .modify_saml_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .properties_to_delete(DeletableSamlProperty::SamlPropertiesRelayStateParameterName)
        .send()
        .await
        .expect("delete the relay state parameter");
    let d = seed_directory(&client).await;
    let s = d.saml_properties().expect("SAML");
    assert_eq!(s.relay_state_parameter_name(), None);
    assert_eq!(s.user_access_url(), Some("https://idp.example.com/sso"));
    assert_eq!(s.status(), Some(&SamlStatusEnum::Enabled));
}

#[tokio::test]
async fn dirsettings_endpoint_encryption_is_fips_or_standard_tls_on_registered_directories() {
    let (_sim, client) = sim().await;
    client
        .modify_endpoint_encryption_mode()
        .directory_id(SEED_DIRECTORY_ID)
        .endpoint_encryption_mode(EndpointEncryptionMode::FipsValidated)
        .send()
        .await
        .expect("FIPS");
    assert_eq!(
        seed_directory(&client).await.endpoint_encryption_mode(),
        Some(&EndpointEncryptionMode::FipsValidated)
    );
    let unknown = client
        .modify_endpoint_encryption_mode()
        .directory_id(SEED_DIRECTORY_ID)
        .endpoint_encryption_mode(EndpointEncryptionMode::from("TLS_1_3"))
        .send()
        .await
        .expect_err("an unknown mode");
    assert_eq!(code(&unknown), "ValidationException");
    let missing = client
        .modify_endpoint_encryption_mode()
        .directory_id("d-2345678901")
        .endpoint_encryption_mode(EndpointEncryptionMode::StandardTls)
        .send()
        .await
        .expect_err("a directory not registered");
    assert_eq!(code(&missing), "ResourceNotFoundException");
    let missing = client
        .modify_saml_properties()
        .resource_id("d-2345678901")
        .saml_properties(
            SamlProperties::builder()
                .status(SamlStatusEnum::Enabled)
                .build(),
        )
        .send()
        .await
        .expect_err("a directory not registered");
    assert_eq!(code(&missing), "ResourceNotFoundException");
}

fn user_setting(action: UserSettingActionEnum, on: bool, limit: Option<i32>) -> UserSetting {
    let permission = match on {
        true => UserSettingPermissionEnum::Enabled,
        false => UserSettingPermissionEnum::Disabled,
    };
    UserSetting::builder()
        .action(action)
        .permission(permission)
        .set_maximum_length(limit)
        .build()
        .expect("a user setting")
}

async fn streaming(client: &Client, properties: StreamingProperties) -> Result<(), String> {
    client
        .modify_streaming_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .streaming_properties(properties)
        .send()
        .await
        .map(drop)
        .map_err(|e| code(&e))
}

#[tokio::test]
async fn dirsettings_streaming_properties_are_kept_by_member_and_checked_by_the_model() {
    let (_sim, client) = sim().await;
    assert!(
        seed_directory(&client)
            .await
            .streaming_properties()
            .is_none()
    );
    streaming(
        &client,
        StreamingProperties::builder()
            .streaming_experience_preferred_protocol(StreamingExperiencePreferredProtocolEnum::Udp)
            .user_settings(user_setting(
                UserSettingActionEnum::ClipboardCopyFromLocalDevice,
                true,
                Some(1024),
            ))
            .user_settings(user_setting(
                UserSettingActionEnum::PrintingToLocalDevice,
                false,
                None,
            ))
            .storage_connectors(
                StorageConnector::builder()
                    .connector_type(StorageConnectorTypeEnum::HomeFolder)
                    .status(StorageConnectorStatusEnum::Enabled)
                    .build()
                    .expect("a connector"),
            )
            .build(),
    )
    .await
    .expect("streaming properties");
    // A member left out keeps its value; a list set replaces the list.
    streaming(
        &client,
        StreamingProperties::builder()
            .user_settings(user_setting(UserSettingActionEnum::SmartCard, true, None))
            .global_accelerator(
                GlobalAcceleratorForDirectory::builder()
                    .mode(AgaModeForDirectoryEnum::EnabledAuto)
                    .build()
                    .expect("an accelerator"),
            )
            .build(),
    )
    .await
    .expect("more streaming properties");
    let d = seed_directory(&client).await;
    let p = d.streaming_properties().expect("set");
    assert_eq!(
        p.streaming_experience_preferred_protocol(),
        Some(&StreamingExperiencePreferredProtocolEnum::Udp)
    );
    let actions: Vec<&str> = p
        .user_settings()
        .iter()
        .map(|s| s.action().as_str())
        .collect();
    assert_eq!(actions, ["SMART_CARD"]);
    assert_eq!(p.storage_connectors().len(), 1);
    assert_eq!(
        p.global_accelerator().map(|g| g.mode()),
        Some(&AgaModeForDirectoryEnum::EnabledAuto)
    );
    for (refused, why) in [
        (
            StreamingProperties::builder()
                .user_settings(user_setting(
                    UserSettingActionEnum::from("SCREEN_CAPTURE"),
                    true,
                    None,
                ))
                .build(),
            "an unknown action",
        ),
        (
            StreamingProperties::builder()
                .user_settings(user_setting(
                    UserSettingActionEnum::ClipboardCopyToLocalDevice,
                    true,
                    Some(-1),
                ))
                .build(),
            "a negative maximum length",
        ),
        (
            StreamingProperties::builder()
                .streaming_experience_preferred_protocol(
                    StreamingExperiencePreferredProtocolEnum::from("QUIC"),
                )
                .build(),
            "an unknown protocol",
        ),
        (
            StreamingProperties::builder()
                .set_user_settings(Some(Vec::new()))
                .build(),
            "an empty list",
        ),
    ] {
        assert_eq!(
            streaming(&client, refused).await,
            Err("InvalidParameterValuesException".to_owned()),
            "{why}"
        );
    }
}

async fn endpoints(client: &Client, config: AccessEndpointConfig) -> Result<(), String> {
    client
        .modify_workspace_access_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .workspace_access_properties(
            WorkspaceAccessProperties::builder()
                .access_endpoint_config(config)
                .build(),
        )
        .send()
        .await
        .map(drop)
        .map_err(|e| code(&e))
}

fn config(id: &str, fallback: Option<InternetFallbackProtocol>) -> AccessEndpointConfig {
    AccessEndpointConfig::builder()
        .access_endpoints(
            AccessEndpoint::builder()
                .access_endpoint_type(AccessEndpointType::StreamingWsp)
                .vpc_endpoint_id(id)
                .build(),
        )
        .set_internet_fallback_protocols(fallback.map(|f| vec![f]))
        .build()
        .expect("an access endpoint configuration")
}

#[tokio::test]
async fn dirsettings_a_vpc_endpoint_is_kept_beside_the_device_access() {
    let (server, client) = sim().await;
    let before = seed_directory(&client).await;
    let access = before.workspace_access_properties().expect("access");
    assert!(access.access_endpoint_config().is_none());
    endpoints(
        &client,
        config(
            "vpce-0123456789abcdef0",
            Some(InternetFallbackProtocol::Pcoip),
        ),
    )
    .await
    .expect("an endpoint");
    let after = seed_directory(&client).await;
    let access = after.workspace_access_properties().expect("access");
    let config_read = access.access_endpoint_config().expect("the endpoint");
    assert_eq!(
        config_read.access_endpoints()[0].vpc_endpoint_id(),
        Some("vpce-0123456789abcdef0")
    );
    assert_eq!(
        config_read.internet_fallback_protocols(),
        [InternetFallbackProtocol::Pcoip]
    );
    assert_eq!(
        access.device_type_windows(),
        before
            .workspace_access_properties()
            .and_then(|a| a.device_type_windows()),
        "the devices are as they were"
    );
    for (refused, why) in [
        (config("vpce 0123", None), "a space in the id"),
        (
            config("vpce-0123", Some(InternetFallbackProtocol::from("WSP"))),
            "an unknown fallback",
        ),
    ] {
        assert_eq!(
            endpoints(&client, refused).await,
            Err("InvalidParameterValuesException".to_owned()),
            "{why}"
        );
    }
    let missing = call(
        &server,
        "ModifyWorkspaceAccessProperties",
        &format!(
            r#"{{"ResourceId":"{SEED_DIRECTORY_ID}","WorkspaceAccessProperties":{{"AccessEndpointConfig":{{"InternetFallbackProtocols":["PCOIP"]}}}}}}"#
        ),
    )
    .await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    assert!(
        missing.body.contains("AccessEndpoints is required"),
        "{}",
        missing.body
    );
}
