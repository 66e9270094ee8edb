//! The fleet file's JSON Schema, for editors (Taplo, Even Better TOML) that
//! read the `#:schema` line. It is made from the raw serde types that `load`
//! reads the tables with, so a key added there appears here.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::raw::{
    RawAccount, RawBundle, RawConnectionAlias, RawDirectory, RawImage, RawIpGroup, RawSettings,
    RawWorkspace,
};

/// The whole file. `load` reads its top-level tables by hand (to report
/// every problem at once), so this type only describes them.
struct FleetFile;

impl JsonSchema for FleetFile {
    fn schema_name() -> Cow<'static, str> {
        "FleetFile".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let settings = generator.subschema_for::<RawSettings>();
        let account = generator.subschema_for::<RawAccount>();
        let ip_groups = generator.subschema_for::<BTreeMap<String, RawIpGroup>>();
        let directories = generator.subschema_for::<BTreeMap<String, RawDirectory>>();
        let images = generator.subschema_for::<BTreeMap<String, RawImage>>();
        let bundles = generator.subschema_for::<BTreeMap<String, RawBundle>>();
        let defaults = generator.subschema_for::<WorkspaceDefaults>();
        let workspaces = generator.subschema_for::<BTreeMap<String, RawWorkspace>>();
        let aliases = generator.subschema_for::<BTreeMap<String, RawConnectionAlias>>();
        json_schema!({
            "title": "wsctl fleet file",
            "description": "An Amazon WorkSpaces fleet as code: what `wsctl plan` and `wsctl apply` make the account match.",
            "type": "object",
            "properties": {
                "settings": settings,
                "account": account,
                "ip_groups": described(
                    ip_groups,
                    "IP access control groups, by name (the AWS group name).",
                ),
                "directories": described(
                    directories,
                    "Directories registered with WorkSpaces, by name.",
                ),
                "images": described(images, "Custom images, by name."),
                "bundles": described(bundles, "Custom bundles, by name."),
                "defaults": {
                    "description": "Values for every resource of a kind that does not set them.",
                    "type": "object",
                    "properties": { "workspace": defaults },
                    "additionalProperties": false,
                },
                "workspaces": described(
                    workspaces,
                    "WorkSpaces, by name; the name is the user unless `user` says otherwise.",
                ),
                "connection_aliases": described(
                    aliases,
                    "Connection aliases for cross-Region redirection, by name.",
                ),
            },
            "required": ["settings"],
            "additionalProperties": false,
        })
    }
}

fn described(mut schema: Schema, description: &str) -> Schema {
    schema.insert("description".to_owned(), description.into());
    schema
}

/// `[defaults.workspace]`: a WorkSpace's keys but `user` and
/// `workspace_name`, which are each WorkSpace's own.
struct WorkspaceDefaults;

impl JsonSchema for WorkspaceDefaults {
    fn schema_name() -> Cow<'static, str> {
        "WorkspaceDefaults".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = RawWorkspace::json_schema(generator);
        if let Some(properties) = schema
            .get_mut("properties")
            .and_then(serde_json::Value::as_object_mut)
        {
            properties.remove("user");
            properties.remove("workspace_name");
        }
        schema.insert(
            "description".to_owned(),
            "Any WorkSpace key but `user` and `workspace_name`, for every WorkSpace that does not set it.".into(),
        );
        schema
    }
}

/// `schema/fleet.schema.json`, as `wsctl schema fleet` prints it.
pub fn schema() -> String {
    // The raw types say `#[serde(default)]` so that no key is required, and
    // schemars then writes each key's default, `None`, as `"default": null`:
    // TOML has no null, so those are taken out.
    let generator = SchemaSettings::draft2020_12()
        .with_transform(RecursiveTransform(|schema: &mut Schema| {
            if schema
                .get("default")
                .is_some_and(serde_json::Value::is_null)
            {
                schema.remove("default");
            }
        }))
        .into_generator();
    let mut text = serde_json::to_string_pretty(&generator.into_root_schema_for::<FleetFile>())
        .unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::kinds::ip_group;
    use crate::schema_check::{assert_committed, committed, violations};
    use crate::spec::raw;

    fn toml_as_json(text: &str) -> serde_json::Value {
        toml::from_str(text).unwrap_or_else(|error| panic!("not TOML: {error}\n{text}"))
    }

    #[test]
    fn fleet_schema_file_is_generated_from_the_types() {
        assert_committed(
            "fleet.schema.json",
            &schema(),
            "cargo run -- schema fleet > schema/fleet.schema.json",
        );
    }

    /// Every example says where its schema is on its first line, and is
    /// valid by it: editors show no complaint.
    #[test]
    fn examples_validate_against_the_schema() {
        let schema = committed("fleet.schema.json");
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut checked = 0;
        for entry in std::fs::read_dir(&examples).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            // Editors resolve the directive's path from the file's folder.
            let directive = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("#:schema "));
            let target = directive.map(|relative| examples.join(relative));
            assert!(
                target.is_some_and(|t| t.ends_with("schema/fleet.schema.json") && t.is_file()),
                "{} does not start with a `#:schema` line naming schema/fleet.schema.json",
                path.display()
            );
            let problems = violations(&schema, &toml_as_json(&text));
            assert!(
                problems.is_empty(),
                "{}:\n{}",
                path.display(),
                problems.join("\n")
            );
            checked += 1;
        }
        assert!(
            checked >= 3,
            "only {checked} examples in {}",
            examples.display()
        );
    }

    /// The keys the schema offers are the keys `load` accepts, table by table.
    #[test]
    fn schema_keys_are_the_keys_load_accepts() {
        let schema = committed("fleet.schema.json");
        let keys = |pointer: &str| -> Vec<String> {
            let mut keys: Vec<String> = schema
                .pointer(pointer)
                .and_then(serde_json::Value::as_object)
                .map(|properties| properties.keys().cloned().collect())
                .unwrap_or_default();
            keys.sort();
            keys
        };
        let sorted = |list: &[&str]| -> Vec<String> {
            let mut list: Vec<String> = list.iter().map(|k| (*k).to_owned()).collect();
            list.sort();
            list
        };
        for (pointer, accepted) in [
            ("/properties", raw::TOP_KEYS),
            ("/properties/defaults/properties", raw::DEFAULTS_KEYS),
            ("/$defs/Settings/properties", raw::SETTINGS_KEYS),
            ("/$defs/Account/properties", raw::ACCOUNT_KEYS),
            ("/$defs/IpGroup/properties", ip_group::IP_GROUP_KEYS),
            ("/$defs/IpRule/properties", ip_group::IP_RULE_KEYS),
            ("/$defs/Directory/properties", raw::DIRECTORY_KEYS),
            (
                "/$defs/SelfServicePermissions/properties",
                crate::directory_settings::SELF_SERVICE_KEYS,
            ),
            (
                "/$defs/CreationProperties/properties",
                crate::directory_settings::CREATION_KEYS,
            ),
            (
                "/$defs/AccessProperties/properties",
                crate::directory_settings::ACCESS_KEYS,
            ),
            (
                "/$defs/ClientProperties/properties",
                crate::directory_settings::CLIENT_KEYS,
            ),
            (
                "/$defs/SamlProperties/properties",
                crate::directory_settings::SAML_KEYS,
            ),
            (
                "/$defs/CertificateBasedAuthProperties/properties",
                crate::directory_settings::CERTIFICATE_BASED_AUTH_KEYS,
            ),
            (
                "/$defs/EndpointEncryption/properties",
                crate::directory_settings::ENDPOINT_ENCRYPTION_KEYS,
            ),
            (
                "/$defs/StreamingProperties/properties",
                crate::directory_settings::STREAMING_KEYS,
            ),
            ("/$defs/Image/properties", raw::IMAGE_KEYS),
            ("/$defs/Import/properties", raw::IMPORT_KEYS),
            ("/$defs/Copy/properties", raw::COPY_KEYS),
            ("/$defs/Bundle/properties", raw::BUNDLE_KEYS),
            ("/$defs/Workspace/properties", raw::WORKSPACE_KEYS),
            (
                "/$defs/ConnectionAlias/properties",
                crate::kinds::connection_alias::CONNECTION_ALIAS_KEYS,
            ),
            (
                "/$defs/GlobalAccelerator/properties",
                raw::GLOBAL_ACCELERATOR_KEYS,
            ),
            (
                "/$defs/WorkspaceDefaults/properties",
                raw::WORKSPACE_DEFAULT_KEYS,
            ),
        ] {
            assert_eq!(keys(pointer), sorted(accepted), "{pointer}");
        }
    }

    /// What editors flag: a misspelt key, a value outside an enum, a
    /// timeout off the 60-minute steps, a missing `[settings]`.
    #[test]
    fn the_fleet_schema_rejects_what_validate_rejects() {
        let schema = committed("fleet.schema.json");
        let base = "[settings]\nstack = \"s\"\n";
        assert_eq!(
            violations(&schema, &toml_as_json(base)),
            Vec::<String>::new()
        );
        for (case, text) in [
            (
                "misspelt key",
                "[workspaces.a]\nruning_mode = \"AUTO_STOP\"\n",
            ),
            ("compute type", "[workspaces.a]\ncompute_type = \"HUGE\"\n"),
            (
                "running mode",
                "[defaults.workspace]\nrunning_mode = \"SOMETIMES\"\n",
            ),
            (
                "timeout",
                "[workspaces.a]\nauto_stop_timeout_minutes = 90\n",
            ),
            ("user in defaults", "[defaults.workspace]\nuser = \"a\"\n"),
            ("protocol", "[workspaces.a]\nprotocols = [\"dcv\"]\n"),
            (
                "two protocols",
                "[workspaces.a]\nprotocols = [\"wsp\", \"pcoip\"]\n",
            ),
            (
                "name in defaults",
                "[defaults.workspace]\nworkspace_name = \"a1\"\n",
            ),
            (
                "accelerator mode",
                "[workspaces.a]\nglobal_accelerator = { preferred_protocol = \"TCP\" }\n",
            ),
            (
                "ingestion",
                "[images.i]\nimport = { ec2_image_id = \"ami-0123456789abcdef0\", ingestion_process = \"BYOL\" }\n",
            ),
            ("top-level table", "[workspace.a]\n"),
            (
                "connection string",
                "[connection_aliases.a]\nconnection_string = \"desk top.example.com\"\n",
            ),
            ("account id", "[images.i]\nshare_with = [\"12345\"]\n"),
        ] {
            let problems = violations(&schema, &toml_as_json(&format!("{base}{text}")));
            assert_eq!(problems.len(), 1, "{case}: {problems:?}");
        }
        let problems = violations(&schema, &toml_as_json("[workspaces.a]\n"));
        assert_eq!(problems.len(), 1, "no settings: {problems:?}");
    }
}
