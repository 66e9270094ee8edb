//! `[ip_groups.NAME]` and `[directories.NAME]`: the rules AWS enforces on IP
//! access control groups and directory registration, checked before any call.

use std::collections::{BTreeMap, HashMap, HashSet};

use toml::Spanned;

use super::super::raw::{
    Entry, RawAccess, RawAccount, RawClient, RawCreation, RawDirectory, RawSelfService,
};
use super::super::rules;
use crate::diagnostic::did_you_mean;
use crate::directory_settings::{
    ACCESS_VALUES, DirectorySettings, Group, GroupSettings, Setting, Tenancy,
};
use crate::file_table::{Check, Notes, plain_tags};
use crate::kinds::ip_group;
use crate::spec::model::{Directory, IpGroupRef};

/// What the file spells `shared` / `dedicated`, and AWS `SHARED` / `DEDICATED`.
const TENANCIES: &[&str] = &["shared", "dedicated"];

impl Check<'_> {
    pub(super) fn directory(
        &mut self,
        entry: &Entry<RawDirectory>,
        groups: &[&str],
        account: Option<&Entry<RawAccount>>,
    ) -> Option<Directory> {
        let directory = &entry.value;
        self.name_in_tag(entry, "directory");
        self.tags(directory.tags.as_ref());
        let id = self.required(entry, "directory_id", &directory.directory_id);
        let id = id.filter(|id| {
            // Only Directory Service directories are registered; `wsd-` ids
            // are given by AWS to directories it creates itself.
            let ok = rules::is_directory_id(id.get_ref()) && id.get_ref().starts_with("d-");
            if !ok {
                self.error(
                    id.span(),
                    format!("invalid directory id `{}`", id.get_ref()),
                    "not a Directory Service directory id",
                )
                .with_help("a directory id is `d-` and 8–63 lowercase hex digits");
            }
            ok
        });
        let subnets = directory.subnet_ids.as_ref().map(|s| self.subnets(s));
        let tenancy = directory.tenancy.as_ref().map(|t| self.tenancy(t, account));
        let ip_groups = directory
            .ip_groups
            .as_ref()
            .map(|g| self.group_refs(g, groups));
        let settings = self.directory_settings(directory);
        Some(Directory {
            name: entry.name.clone(),
            origin: self.origin(entry.span.start),
            directory_id: id?.get_ref().clone(),
            subnet_ids: subnets.map(|s| s.ok_or(())).transpose().ok()?,
            tenancy: tenancy.map(|t| t.ok_or(())).transpose().ok()?,
            enable_self_service: directory.enable_self_service.as_ref().map(|e| *e.get_ref()),
            ip_groups: ip_groups.map(|g| g.ok_or(())).transpose().ok()?,
            settings: settings?,
            tags: plain_tags(directory.tags.as_ref()),
            allow_data_loss: directory
                .allow_data_loss
                .as_ref()
                .is_some_and(|a| *a.get_ref()),
        })
    }

    fn subnets(&mut self, subnets: &Spanned<Vec<Spanned<String>>>) -> Option<Vec<String>> {
        let list = subnets.get_ref();
        let mut ok = true;
        if list.len() > 2 {
            self.error(
                subnets.span(),
                format!("too many subnets: {}", list.len()),
                "at most 2",
            )
            .with_note(
                "RegisterWorkspaceDirectory takes two subnets, in different Availability Zones",
            );
            ok = false;
        }
        let mut seen = HashSet::new();
        for subnet in list {
            let s = subnet.get_ref();
            if !rules::is_subnet_id(s) {
                self.error(
                    subnet.span(),
                    format!("invalid subnet id `{s}`"),
                    "not a subnet id",
                )
                .with_help("a subnet id is `subnet-` and 8 or 17 lowercase hex digits");
                ok = false;
            } else if !seen.insert(s.as_str()) {
                self.error(
                    subnet.span(),
                    format!("duplicate subnet `{s}`"),
                    "written twice",
                );
                ok = false;
            }
        }
        ok.then(|| list.iter().map(|s| s.get_ref().clone()).collect())
    }

    fn tenancy(
        &mut self,
        tenancy: &Spanned<String>,
        account: Option<&Entry<RawAccount>>,
    ) -> Option<Tenancy> {
        let value = self.one_of(tenancy, TENANCIES, "tenancy")?;
        let byol_off = account
            .and_then(|a| a.value.byol.as_ref())
            .is_some_and(|b| !*b.get_ref());
        if value == "dedicated" && byol_off {
            self.error(
                tenancy.span(),
                "dedicated tenancy needs BYOL, and `[account]` sets `byol = false`",
                "dedicated",
            )
            .with_help("set `byol = true` in `[account]`, or `tenancy = \"shared\"`");
            return None;
        }
        Some(Tenancy::from(value.to_ascii_uppercase()))
    }

    /// Names of the file's `[ip_groups]` or ids; each once.
    fn group_refs(
        &mut self,
        refs: &Spanned<Vec<Spanned<String>>>,
        names: &[&str],
    ) -> Option<Vec<IpGroupRef>> {
        let list = refs.get_ref();
        let mut ok = true;
        if list.len() > ip_group::MAX_DIRECTORY_IP_GROUPS {
            self.error(
                refs.span(),
                format!("too many IP groups: {}", list.len()),
                format!("at most {}", ip_group::MAX_DIRECTORY_IP_GROUPS),
            );
            ok = false;
        }
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        for value in list {
            let v = value.get_ref();
            if !seen.insert(v.as_str()) {
                self.error(
                    value.span(),
                    format!("IP group `{v}` is named twice"),
                    "written twice",
                );
                ok = false;
                continue;
            }
            if v.starts_with("wsipg-") {
                if ip_group::is_ip_group_id(v) {
                    found.push(IpGroupRef::Id(v.clone()));
                    continue;
                }
                self.error(
                    value.span(),
                    format!("invalid IP group id `{v}`"),
                    "not an IP group id",
                )
                .with_help("an IP group id is `wsipg-` and 8–63 lowercase letters or digits");
                ok = false;
                continue;
            }
            if names.contains(&v.as_str()) {
                found.push(IpGroupRef::Name(v.clone()));
                continue;
            }
            let help = match did_you_mean(v, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "name an `[ip_groups.NAME]` of this file, or give a group id (`wsipg-…`)"
                    .to_owned(),
            };
            self.error(
                value.span(),
                format!("no IP group `{v}` in this file"),
                "unknown IP group",
            )
            .with_help(help);
            ok = false;
        }
        ok.then_some(found)
    }

    /// The settings groups, each only with the keys the file sets.
    fn directory_settings(&mut self, directory: &RawDirectory) -> Option<DirectorySettings> {
        let mut all = DirectorySettings::new();
        if let Some(s) = &directory.self_service_permissions {
            all.insert(
                Group::SelfServicePermissions,
                switches(&self_service(s.get_ref())),
            );
        }
        if let Some(c) = &directory.client {
            all.insert(Group::Client, switches(&client(c.get_ref())));
        }
        // Both are checked before either failure ends the directory.
        let creation = directory
            .creation
            .as_ref()
            .map(|c| self.creation(c.get_ref()));
        let access = directory.access.as_ref().map(|a| self.access(a.get_ref()));
        let sign_in = self.sign_in_settings(directory);
        let streaming = directory
            .streaming
            .as_ref()
            .map(|s| self.streaming(s.get_ref()));
        for (group, checked) in [(Group::Creation, creation), (Group::Access, access)] {
            if let Some(checked) = checked {
                all.insert(group, checked?);
            }
        }
        all.extend(sign_in?);
        if let Some(streaming) = streaming {
            all.insert(Group::Streaming, streaming?);
        }
        Some(all)
    }

    fn creation(&mut self, creation: &RawCreation) -> Option<GroupSettings> {
        let mut ok = true;
        if let Some(sg) = &creation.custom_security_group_id
            && !rules::is_security_group_id(sg.get_ref())
        {
            self.error(
                sg.span(),
                format!("invalid security group id `{}`", sg.get_ref()),
                "not a security group id",
            )
            .with_help("a security group id is `sg-` and 8 or 17 lowercase hex digits");
            ok = false;
        }
        if let Some(arn) = &creation.instance_iam_role_arn
            && !rules::is_arn(arn.get_ref())
        {
            self.error(
                arn.span(),
                format!("invalid role ARN `{}`", arn.get_ref()),
                "not an ARN",
            )
            .with_help("an IAM role ARN looks like `arn:aws:iam::111122223333:role/NAME`");
            ok = false;
        }
        if let Some(ou) = &creation.default_ou {
            self.plain_text(ou, "`default_ou`");
        }
        let mut settings = switches(&[
            ("enable_internet_access", &creation.enable_internet_access),
            (
                "user_enabled_as_local_administrator",
                &creation.user_enabled_as_local_administrator,
            ),
            ("enable_maintenance_mode", &creation.enable_maintenance_mode),
        ]);
        let texts = [
            ("default_ou", &creation.default_ou),
            (
                "custom_security_group_id",
                &creation.custom_security_group_id,
            ),
            ("instance_iam_role_arn", &creation.instance_iam_role_arn),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                settings.insert(key.to_owned(), Setting::Text(value.get_ref().clone()));
            }
        }
        ok.then_some(settings)
    }

    fn access(&mut self, access: &RawAccess) -> Option<GroupSettings> {
        let devices = [
            ("windows", &access.windows),
            ("macos", &access.macos),
            ("linux", &access.linux),
            ("web", &access.web),
            ("ios", &access.ios),
            ("android", &access.android),
            ("chromeos", &access.chromeos),
            ("zeroclient", &access.zeroclient),
            ("thin_client", &access.thin_client),
        ];
        let mut settings = BTreeMap::new();
        let mut ok = true;
        for (key, value) in devices {
            let Some(value) = value else {
                continue;
            };
            match self.one_of(value, ACCESS_VALUES, "access value") {
                Some(v) => {
                    settings.insert(key.to_owned(), Setting::Text(v.to_owned()));
                }
                None => ok = false,
            }
        }
        ok &= self.access_endpoint(access, &mut settings);
        ok.then_some(settings)
    }

    /// `streaming_vpc_endpoint_id` and `internet_fallback_pcoip`: AWS takes
    /// the fallback only with the endpoint (`AccessEndpoints` is required).
    fn access_endpoint(&mut self, access: &RawAccess, settings: &mut GroupSettings) -> bool {
        let mut ok = true;
        if let Some(id) = &access.streaming_vpc_endpoint_id {
            if rules::is_access_endpoint_id(id.get_ref()) {
                settings.insert(
                    "streaming_vpc_endpoint_id".to_owned(),
                    Setting::Text(id.get_ref().clone()),
                );
            } else {
                self.error(
                    id.span(),
                    format!("invalid VPC endpoint id `{}`", id.get_ref()),
                    "not 1–1000 letters, digits, `_` or `-`",
                )
                .with_help("give the interface endpoint's id, such as `vpce-0123456789abcdef0`");
                ok = false;
            }
        }
        if let Some(fallback) = &access.internet_fallback_pcoip {
            if access.streaming_vpc_endpoint_id.is_none() {
                self.error(
                    fallback.span(),
                    "`internet_fallback_pcoip` needs `streaming_vpc_endpoint_id`",
                    "no VPC endpoint to fall back from",
                )
                .with_help(
                    "AWS sets the fallback with the endpoint: add `streaming_vpc_endpoint_id`",
                );
                ok = false;
            }
            settings.insert(
                "internet_fallback_pcoip".to_owned(),
                Setting::Bool(*fallback.get_ref()),
            );
        }
        ok
    }

    /// Each directory id once: one registration has one table.
    pub(super) fn unique_directories(&mut self, directories: &[Entry<RawDirectory>]) {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for entry in directories {
            let Some(id) = &entry.value.directory_id else {
                continue;
            };
            match first.get(id.get_ref().as_str()) {
                Some(other) => {
                    let other = (*other).to_owned();
                    self.error(
                        id.span(),
                        format!("directory `{}` is in the file twice", id.get_ref()),
                        format!("also `[directories.{other}]`"),
                    )
                    .with_help("a directory is registered once; keep one table for it");
                }
                None => {
                    first.insert(id.get_ref(), &entry.name);
                }
            }
        }
    }
}

type Switch<'r> = (&'static str, &'r Option<Spanned<bool>>);

fn self_service(s: &RawSelfService) -> [Switch<'_>; 5] {
    [
        ("restart_workspace", &s.restart_workspace),
        ("increase_volume_size", &s.increase_volume_size),
        ("change_compute_type", &s.change_compute_type),
        ("switch_running_mode", &s.switch_running_mode),
        ("rebuild_workspace", &s.rebuild_workspace),
    ]
}

fn client(c: &RawClient) -> [Switch<'_>; 2] {
    [("reconnect", &c.reconnect), ("log_upload", &c.log_upload)]
}

/// The switches the file sets.
fn switches(values: &[Switch<'_>]) -> GroupSettings {
    values
        .iter()
        .filter_map(|(key, value)| {
            let value = value.as_ref()?;
            Some(((*key).to_owned(), Setting::Bool(*value.get_ref())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::directory_settings::{Group, Setting};
    use crate::spec::{Fleet, IpGroupRef, parse};

    const SETTINGS: &str = "[settings]\nstack = \"eng\"\n";

    fn fleet(body: &str) -> Fleet {
        parse("fleet.toml", &format!("{SETTINGS}{body}"))
            .unwrap_or_else(|d| panic!("{}", d.render(false)))
    }

    /// Each problem as (message, label, notes), in file order.
    fn problems(body: &str) -> Vec<(String, String, Vec<String>)> {
        match parse("fleet.toml", &format!("{SETTINGS}{body}")) {
            Ok(fleet) => panic!("expected problems, got {fleet:#?}"),
            Err(diagnostics) => diagnostics
                .iter()
                .map(|d| (d.message.clone(), d.label.clone(), d.notes.clone()))
                .collect(),
        }
    }

    fn messages(body: &str) -> Vec<String> {
        problems(body).into_iter().map(|(m, _, _)| m).collect()
    }

    #[test]
    fn a_group_and_a_directory_with_every_setting() {
        let fleet = fleet(
            r#"
[ip_groups.office]
description = "Head office, Berlin"
rules = [{ source = "203.0.113.0/24", description = "office, 3rd floor" }, { source = "198.51.100.7" }]

[directories.corp]
directory_id = "d-1234567890"
subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
tenancy = "shared"
enable_self_service = true
ip_groups = ["office", "wsipg-abc12345"]
tags = { team = "it" }

[directories.corp.self_service_permissions]
restart_workspace = true
rebuild_workspace = false

[directories.corp.creation]
default_ou = "OU=WorkSpaces,DC=corp,DC=example,DC=com"
custom_security_group_id = "sg-0123abcd"
instance_iam_role_arn = "arn:aws:iam::111122223333:role/workspaces"

[directories.corp.access]
web = "deny"
macos = "allow"

[directories.corp.client]
reconnect = false
"#,
        );
        let office = &fleet.ip_groups[0];
        assert_eq!(office.rules.as_ref().map(Vec::len), Some(2));
        let corp = &fleet.directories[0];
        assert_eq!(
            corp.tenancy,
            Some(crate::directory_settings::Tenancy::Shared)
        );
        assert_eq!(
            corp.ip_groups,
            Some(vec![
                IpGroupRef::Name("office".to_owned()),
                IpGroupRef::Id("wsipg-abc12345".to_owned())
            ])
        );
        assert_eq!(
            corp.settings[&Group::Access]["web"],
            Setting::Text("deny".to_owned())
        );
        assert_eq!(
            corp.settings[&Group::Client]["reconnect"],
            Setting::Bool(false)
        );
        assert_eq!(corp.settings[&Group::Creation].len(), 3);
        assert_eq!(corp.settings[&Group::SelfServicePermissions].len(), 2);
        assert_eq!(corp.tags["team"], "it");
    }

    #[test]
    fn rule_sources_are_ipv4_ranges_or_addresses_each_once() {
        let found = problems(
            r#"
[ip_groups.office]
rules = [
  { source = "203.0.113.0/33" },
  { source = "10.1.0.0/8" },
  { source = "office" },
  { source = "198.51.100.7" },
  { source = "198.51.100.7" },
  { description = "no source" },
]
"#,
        );
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(m, l, _)| (m.as_str(), l.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "invalid rule source `203.0.113.0/33`",
                    "`/33` is not a prefix length of 0–32"
                ),
                (
                    "invalid rule source `10.1.0.0/8`",
                    "10.1.0.0 has bits set past /8; the range is 10.0.0.0/8"
                ),
                (
                    "invalid rule source `office`",
                    "not an IPv4 address or range"
                ),
                ("duplicate rule source `198.51.100.7`", "written twice"),
                ("missing `source`", "a rule needs `source`"),
            ]
        );
    }

    #[test]
    fn at_most_ten_rules() {
        let rules: Vec<String> = (0..11)
            .map(|i| format!("{{ source = \"10.0.{i}.0/24\" }}"))
            .collect();
        let found = problems(&format!(
            "[ip_groups.office]\nrules = [{}]\n",
            rules.join(", ")
        ));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "too many rules: 11");
        assert_eq!(found[0].1, "at most 10");
    }

    #[test]
    fn unknown_keys_in_rules_and_settings_tables_say_what_was_meant() {
        let found = problems(
            r#"
[ip_groups.office]
rules = [{ sorce = "203.0.113.0/24" }]

[directories.corp]
directory_id = "d-1234567890"

[directories.corp.access]
windos = "allow"
"#,
        );
        let found: Vec<(&str, &[String])> = found
            .iter()
            .map(|(m, _, n)| (m.as_str(), n.as_slice()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "unknown key `sorce`",
                    &["help: did you mean `source`?".to_owned()][..]
                ),
                (
                    "unknown key `windos`",
                    &["help: did you mean `windows`?".to_owned()][..]
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_ip_group_name_suggests_the_files_closest() {
        let found = problems(
            "[ip_groups.office]\n[directories.corp]\ndirectory_id = \"d-1234567890\"\nip_groups = [\"ofice\", \"wsipg-x\"]\n",
        );
        assert_eq!(
            found,
            [
                (
                    "no IP group `ofice` in this file".to_owned(),
                    "unknown IP group".to_owned(),
                    vec!["help: did you mean `office`?".to_owned()]
                ),
                (
                    "invalid IP group id `wsipg-x`".to_owned(),
                    "not an IP group id".to_owned(),
                    vec![
                        "help: an IP group id is `wsipg-` and 8–63 lowercase letters or digits"
                            .to_owned()
                    ]
                ),
            ]
        );
    }

    #[test]
    fn dedicated_tenancy_with_byol_off_in_the_file() {
        let found = problems(
            "[account]\nbyol = false\n[directories.corp]\ndirectory_id = \"d-1234567890\"\ntenancy = \"dedicated\"\n",
        );
        assert_eq!(
            found[0].0,
            "dedicated tenancy needs BYOL, and `[account]` sets `byol = false`"
        );
        let found = messages(
            "[directories.corp]\ndirectory_id = \"d-1234567890\"\ntenancy = \"private\"\n",
        );
        assert_eq!(found, ["unknown tenancy `private`"]);
    }

    #[test]
    fn directory_ids_subnets_and_settings_values() {
        let found = messages(
            r#"
[directories.corp]
directory_id = "wsd-abcdefgh"
subnet_ids = ["subnet-0a1b2c3d", "subnet-0a1b2c3d", "subnet-x"]

[directories.corp.creation]
custom_security_group_id = "sg-1"
instance_iam_role_arn = "role/ws"

[directories.corp.access]
web = "block"

[directories.lab]
[directories.twin]
directory_id = "d-1234567890"
[directories.twin2]
directory_id = "d-1234567890"
"#,
        );
        assert_eq!(
            found,
            [
                "invalid directory id `wsd-abcdefgh`",
                "too many subnets: 3",
                "duplicate subnet `subnet-0a1b2c3d`",
                "invalid subnet id `subnet-x`",
                "invalid security group id `sg-1`",
                "invalid role ARN `role/ws`",
                "unknown access value `block`",
                "missing `directory_id`",
                "directory `d-1234567890` is in the file twice",
            ]
        );
    }

    #[test]
    fn dirsettings_a_vpc_endpoint_is_checked_and_its_fallback_needs_it() {
        let corp = fleet(
            "[directories.corp]\ndirectory_id = \"d-1234567890\"\n[directories.corp.access]\nstreaming_vpc_endpoint_id = \"vpce-0123456789abcdef0\"\ninternet_fallback_pcoip = false\n",
        );
        assert_eq!(
            corp.directories[0].settings[&Group::Access]["streaming_vpc_endpoint_id"],
            Setting::Text("vpce-0123456789abcdef0".to_owned())
        );
        let found = problems(
            "[directories.corp]\ndirectory_id = \"d-1234567890\"\n[directories.corp.access]\ninternet_fallback_pcoip = true\n[directories.other]\ndirectory_id = \"d-2345678901\"\n[directories.other.access]\nstreaming_vpc_endpoint_id = \"vpce 01\"\n",
        );
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|(m, l, _)| (m.as_str(), l.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "`internet_fallback_pcoip` needs `streaming_vpc_endpoint_id`",
                    "no VPC endpoint to fall back from"
                ),
                (
                    "invalid VPC endpoint id `vpce 01`",
                    "not 1–1000 letters, digits, `_` or `-`"
                ),
            ]
        );
    }
}
