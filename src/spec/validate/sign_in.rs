//! `[directories.NAME.saml]`, `.certificate_based_auth` and
//! `.endpoint_encryption`: how users sign in and how their streams are
//! encrypted, with the rules AWS enforces checked before any call.

use toml::Spanned;

use super::super::raw::{RawCertificateBasedAuth, RawDirectory, RawEndpointEncryption, RawSaml};
use super::super::rules;
use crate::directory_settings::{
    CERTIFICATE_BASED_AUTH_STATUSES, ENDPOINT_ENCRYPTION_MODES, Group, GroupSettings,
    SAML_STATUSES, Setting,
};
use crate::file_table::{Check, Notes};

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
                match self.one_of(
                    mode,
                    ENDPOINT_ENCRYPTION_MODES,
                    "mode of endpoint encryption",
                ) {
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

#[cfg(test)]
mod tests {
    use crate::directory_settings::{Group, GroupSettings, Setting};
    use crate::spec::parse;

    const HEAD: &str =
        "[settings]\nstack = \"eng\"\n[directories.corp]\ndirectory_id = \"d-1234567890\"\n";

    /// The problems' messages, and all of them rendered: each place as
    /// `fleet.toml:LINE:COLUMN`.
    fn problems(body: &str) -> (Vec<String>, String) {
        match parse("fleet.toml", &format!("{HEAD}{body}")) {
            Ok(fleet) => panic!("expected problems, got {fleet:#?}"),
            Err(diagnostics) => (
                diagnostics.iter().map(|d| d.message.clone()).collect(),
                diagnostics.render(false),
            ),
        }
    }

    fn text(value: &str) -> Setting {
        Setting::Text(value.to_owned())
    }

    #[test]
    fn saml_certificate_auth_and_fips_are_read_in_the_files_lower_case() {
        let fleet = parse(
            "fleet.toml",
            &format!(
                "{HEAD}[directories.corp.saml]\nstatus = \"enabled_with_directory_login_fallback\"\nuser_access_url = \"https://idp.example.com/sso\"\nrelay_state_parameter_name = \"\"\n[directories.corp.certificate_based_auth]\nstatus = \"enabled\"\ncertificate_authority_arn = \"arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/0a1b\"\n[directories.corp.endpoint_encryption]\nmode = \"fips_validated\"\n"
            ),
        )
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
        let settings = &fleet.directories[0].settings;
        assert_eq!(
            settings[&Group::Saml],
            GroupSettings::from([
                (
                    "status".to_owned(),
                    text("enabled_with_directory_login_fallback")
                ),
                (
                    "user_access_url".to_owned(),
                    text("https://idp.example.com/sso")
                ),
                ("relay_state_parameter_name".to_owned(), text("")),
            ])
        );
        assert_eq!(
            settings[&Group::CertificateBasedAuth]["status"],
            text("enabled")
        );
        assert_eq!(
            settings[&Group::EndpointEncryption],
            GroupSettings::from([("mode".to_owned(), text("fips_validated"))])
        );
    }

    #[test]
    fn certificate_auth_without_saml_enabled_is_refused_at_its_status() {
        let (messages, rendered) =
            problems("[directories.corp.certificate_based_auth]\nstatus = \"enabled\"\n");
        assert_eq!(
            messages,
            ["certificate-based authentication needs SAML 2.0 enabled"]
        );
        assert!(rendered.contains("fleet.toml:6:10"), "{rendered}");
        let (messages, rendered) = problems(
            "[directories.corp.saml]\nstatus = \"disabled\"\n[directories.corp.certificate_based_auth]\nstatus = \"enabled\"\n",
        );
        assert_eq!(messages.len(), 1);
        assert!(rendered.contains("fleet.toml:8:10"), "{rendered}");
        assert!(rendered.contains("enabled_with_directory_login_fallback"));
    }

    #[test]
    fn a_malformed_user_access_url_or_authority_arn_is_refused_where_written() {
        let (messages, rendered) = problems(
            "[directories.corp.saml]\nstatus = \"enabled\"\nuser_access_url = \"idp.example.com/sso\"\n[directories.corp.certificate_based_auth]\ncertificate_authority_arn = \"arn:aws:acm-pca:us-east-1:111122223333:ca/a b\"\n",
        );
        assert_eq!(
            messages,
            [
                "invalid user access URL `idp.example.com/sso`",
                "invalid certificate authority ARN `arn:aws:acm-pca:us-east-1:111122223333:ca/a b`",
            ]
        );
        assert!(rendered.contains("fleet.toml:7:19"), "{rendered}");
        assert!(rendered.contains("fleet.toml:9:29"), "{rendered}");
        let long = format!("https://idp.example.com/{}", "a".repeat(180));
        let (messages, rendered) = problems(&format!(
            "[directories.corp.saml]\nuser_access_url = \"{long}\"\n"
        ));
        assert_eq!(messages.len(), 1);
        assert!(rendered.contains("8–200 characters"), "{rendered}");
    }

    #[test]
    fn an_unknown_status_or_mode_says_what_was_meant() {
        let (messages, rendered) = problems(
            "[directories.corp.saml]\nstatus = \"ENABLED\"\n[directories.corp.endpoint_encryption]\nmode = \"fips\"\n",
        );
        assert_eq!(
            messages,
            [
                "unknown SAML status `ENABLED`",
                "unknown mode of endpoint encryption `fips`"
            ]
        );
        assert!(rendered.contains("did you mean `enabled`?"), "{rendered}");
        assert!(rendered.contains("fleet.toml:6:10"), "{rendered}");
        assert!(
            rendered.contains("`standard_tls`, `fips_validated`"),
            "{rendered}"
        );
    }

    #[test]
    fn an_unknown_key_in_a_sign_in_table_suggests_the_right_one() {
        let (messages, rendered) =
            problems("[directories.corp.saml]\nuser_access_uri = \"https://idp.example.com\"\n");
        assert_eq!(messages, ["unknown key `user_access_uri`"]);
        assert!(
            rendered.contains("did you mean `user_access_url`?"),
            "{rendered}"
        );
    }
}
