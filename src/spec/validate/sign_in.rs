//! `[directories.NAME.saml]`, `.certificate_based_auth` and
//! `.endpoint_encryption`: how users sign in and how their streams are
//! encrypted, with the rules AWS enforces checked before any call.

use toml::Spanned;

use super::super::raw::{RawCertificateBasedAuth, RawDirectory, RawEndpointEncryption, RawSaml};
use super::super::rules;
use super::{Check, Notes};
use crate::directory_settings::{
    CERTIFICATE_BASED_AUTH_STATUSES, ENDPOINT_ENCRYPTION_MODES, Group, GroupSettings,
    SAML_STATUSES, Setting,
};

impl Check<'_> {
    /// The three groups the file sets, checked; `None` when any is wrong.
    pub(super) fn sign_in_settings(
        &mut self,
        directory: &RawDirectory,
    ) -> Option<Vec<(Group, GroupSettings)>> {
        let saml = directory.saml.as_ref().map(|s| self.saml(s.get_ref()));
        let certificate = directory
            .certificate_based_auth
            .as_ref()
            .map(|c| self.certificate_based_auth(c.get_ref(), directory.saml.as_ref()));
        let encryption = directory
            .endpoint_encryption
            .as_ref()
            .map(|e| self.endpoint_encryption(e.get_ref()));
        let mut all = Vec::new();
        for (group, checked) in [
            (Group::Saml, saml),
            (Group::CertificateBasedAuth, certificate),
            (Group::EndpointEncryption, encryption),
        ] {
            if let Some(checked) = checked {
                all.push((group, checked?));
            }
        }
        Some(all)
    }

    fn saml(&mut self, saml: &RawSaml) -> Option<GroupSettings> {
        let mut settings = GroupSettings::new();
        let mut ok = self.status(&saml.status, SAML_STATUSES, "SAML status", &mut settings);
        if let Some(url) = &saml.user_access_url {
            let u = url.get_ref();
            if !u.is_empty() && !rules::is_user_access_url(u) {
                self.error(
                    url.span(),
                    format!("invalid user access URL `{u}`"),
                    "not an http(s) URL of 8–200 characters without spaces",
                )
                .with_help("give the identity provider's URL, such as `https://idp.example.com/sso`, or `\"\"` to delete it");
                ok = false;
            }
            settings.insert("user_access_url".to_owned(), Setting::Text(u.clone()));
        }
        if let Some(name) = &saml.relay_state_parameter_name {
            if !name.get_ref().is_empty() {
                self.plain_text(name, "`relay_state_parameter_name`");
            }
            settings.insert(
                "relay_state_parameter_name".to_owned(),
                Setting::Text(name.get_ref().clone()),
            );
        }
        ok.then_some(settings)
    }

    fn certificate_based_auth(
        &mut self,
        certificate: &RawCertificateBasedAuth,
        saml: Option<&Spanned<RawSaml>>,
    ) -> Option<GroupSettings> {
        let mut settings = GroupSettings::new();
        let mut ok = self.status(
            &certificate.status,
            CERTIFICATE_BASED_AUTH_STATUSES,
            "certificate-based authentication status",
            &mut settings,
        );
        if let Some(status) = certificate
            .status
            .as_ref()
            .filter(|s| s.get_ref() == "enabled")
        {
            let saml_status = saml.and_then(|s| s.get_ref().status.as_ref());
            if saml_status.is_none_or(|s| s.get_ref() == "disabled") {
                self.error(
                    status.span(),
                    "certificate-based authentication needs SAML 2.0 enabled",
                    "enabled without SAML",
                )
                .with_help("set `status` in this directory's `[saml]` to `enabled` or `enabled_with_directory_login_fallback`");
                ok = false;
            }
        }
        if let Some(arn) = &certificate.certificate_authority_arn {
            let a = arn.get_ref();
            if !a.is_empty() && !rules::is_certificate_authority_arn(a) {
                self.error(
                    arn.span(),
                    format!("invalid certificate authority ARN `{a}`"),
                    "not an ARN of 5–200 characters",
                )
                .with_help("an AWS Private CA ARN looks like `arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/ID`, or `\"\"` deletes it");
                ok = false;
            }
            settings.insert(
                "certificate_authority_arn".to_owned(),
                Setting::Text(a.clone()),
            );
        }
        ok.then_some(settings)
    }

    fn endpoint_encryption(&mut self, encryption: &RawEndpointEncryption) -> Option<GroupSettings> {
        let mut settings = GroupSettings::new();
        let ok = match &encryption.mode {
            Some(mode) => {
                match self.one_of(mode, ENDPOINT_ENCRYPTION_MODES, "endpoint encryption mode") {
                    Some(m) => {
                        settings.insert("mode".to_owned(), Setting::Text(m.to_owned()));
                        true
                    }
                    None => false,
                }
            }
            None => true,
        };
        ok.then_some(settings)
    }

    /// A `status` of `allowed`, put in `settings`; false when unknown.
    fn status(
        &mut self,
        status: &Option<Spanned<String>>,
        allowed: &[&str],
        what: &str,
        settings: &mut GroupSettings,
    ) -> bool {
        let Some(status) = status else {
            return true;
        };
        match self.one_of(status, allowed, what) {
            Some(s) => {
                settings.insert("status".to_owned(), Setting::Text(s.to_owned()));
                true
            }
            None => false,
        }
    }
}
