//! Reading the fleet file: TOML with spans → raw types → checked `Fleet`.
//!
//! The document is parsed once into toml's spanned tree. Keys are checked by
//! hand, so every unknown key is reported (serde stops at the first), and each
//! table is handed to serde on its own, so one wrong type does not hide the
//! rest of the file.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use super::model::Fleet;
use super::raw::{self, Entry, RawFleet};
use super::validate;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::directory_settings::Group;
use crate::file_table::{Key, Reader, Value};
use crate::input::{FLEET_FILE_LIMIT, read_text};
use crate::kinds::{connection_alias, ip_group};

/// Reads and checks a fleet file. A read error is a diagnostic naming the path.
pub fn load(path: &Path) -> Result<Fleet, Diagnostics> {
    parse(&path.display().to_string(), &read_file(path)?)
}

/// A fleet file's text, bounded in size; a read error is a diagnostic
/// naming the path.
pub fn read_file(path: &Path) -> Result<String, Diagnostics> {
    read_text(path, FLEET_FILE_LIMIT).map_err(|err| {
        let file = path.display().to_string();
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(Diagnostic::error(
            &file,
            format!("cannot read `{file}`: {err}"),
        ));
        diagnostics
    })
}

/// Checks fleet-file text; `file_name` is what diagnostics call it.
/// Every problem found is returned, not only the first.
pub fn parse(file_name: &str, text: &str) -> Result<Fleet, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    diagnostics.add_source(file_name, text);
    let mut found = Vec::new();
    let fleet = read(file_name, text, &mut found)
        .and_then(|raw| validate::validate(file_name, text, &raw, &mut found));
    diagnostics.extend(found);
    diagnostics.sort_and_dedup();
    match fleet {
        Some(fleet) if !diagnostics.has_errors() => Ok(fleet),
        _ => Err(diagnostics),
    }
}

/// TOML text → raw types; `None` only when the text is not TOML at all.
fn read(file: &str, text: &str, found: &mut Vec<Diagnostic>) -> Option<RawFleet> {
    let root = match DeTable::parse(text) {
        Ok(root) => root.into_inner(),
        Err(err) => {
            found.push(syntax_error(file, text, &err));
            return None;
        }
    };
    let mut reader = Reader { file, found };
    Some(reader.fleet(root))
}

fn syntax_error(file: &str, text: &str, err: &toml::de::Error) -> Diagnostic {
    let message = err
        .message()
        .lines()
        .next()
        .unwrap_or("syntax error")
        .to_owned();
    let diagnostic = Diagnostic::error(file, format!("invalid TOML: {message}"));
    match err.span() {
        Some(span) => diagnostic.at(visible(span, text), "here"),
        None => diagnostic,
    }
}

/// An empty span at a character widens to that character, so it gets a `^`.
fn visible(span: Range<usize>, text: &str) -> Range<usize> {
    if !span.is_empty() {
        return span;
    }
    match text.get(span.start..).and_then(|rest| rest.chars().next()) {
        Some(c) if c != '\n' => span.start..span.start + c.len_utf8(),
        _ => span,
    }
}

/// The inline tables of a WorkSpace and their keys.
const WORKSPACE_NESTED: &[(&str, &[&str])] =
    &[("global_accelerator", raw::GLOBAL_ACCELERATOR_KEYS)];

impl Reader<'_> {
    fn fleet(&mut self, mut root: DeTable<'_>) -> RawFleet {
        let mut fleet = RawFleet::default();
        self.check_keys(&mut root, raw::TOP_KEYS, "the fleet file", &mut Vec::new());
        for (key, value) in root {
            match key.get_ref().as_ref() {
                "settings" => fleet.settings = self.entry("", key, value, raw::SETTINGS_KEYS, &[]),
                "account" => fleet.account = self.entry("", key, value, raw::ACCOUNT_KEYS, &[]),
                "ip_groups" => {
                    for (name, group) in self.tables(key, value) {
                        let group = ip_group::read_table(self, name, group);
                        fleet.ip_groups.extend(group);
                    }
                }
                "directories" => {
                    let nested = Group::ALL.map(|g| (g.key(), g.keys()));
                    for (name, directory) in self.tables(key, value) {
                        fleet.directories.extend(self.entry(
                            "directories",
                            name,
                            directory,
                            raw::DIRECTORY_KEYS,
                            &nested,
                        ));
                    }
                }
                "images" => {
                    let nested = [("import", raw::IMPORT_KEYS), ("copy", raw::COPY_KEYS)];
                    for (name, image) in self.tables(key, value) {
                        fleet.images.extend(self.entry(
                            "images",
                            name,
                            image,
                            raw::IMAGE_KEYS,
                            &nested,
                        ));
                    }
                }
                "bundles" => {
                    for (name, bundle) in self.tables(key, value) {
                        fleet.bundles.extend(self.entry(
                            "bundles",
                            name,
                            bundle,
                            raw::BUNDLE_KEYS,
                            &[],
                        ));
                    }
                }
                "workspaces" => {
                    for (name, ws) in self.tables(key, value) {
                        fleet.workspaces.extend(self.entry(
                            "workspaces",
                            name,
                            ws,
                            raw::WORKSPACE_KEYS,
                            WORKSPACE_NESTED,
                        ));
                    }
                }
                "connection_aliases" => {
                    for (name, alias) in self.tables(key, value) {
                        fleet.connection_aliases.extend(self.entry(
                            "connection_aliases",
                            name,
                            alias,
                            connection_alias::CONNECTION_ALIAS_KEYS,
                            &[],
                        ));
                    }
                }
                _ => fleet.defaults = self.defaults(key, value),
            }
        }
        fleet
    }

    /// `[defaults]`: only `workspace`, which takes every WorkSpace key but
    /// `user` and `workspace_name`.
    fn defaults<T: DeserializeOwned>(
        &mut self,
        key: Key<'_>,
        value: Value<'_>,
    ) -> Option<Entry<T>> {
        let mut defaults = None;
        for (name, mut table) in self.tables(key, value) {
            if name.get_ref() != "workspace" {
                self.unknown_key(&name, raw::DEFAULTS_KEYS, "[defaults]", &mut Vec::new());
                continue;
            }
            for (own, help) in [
                (
                    "user",
                    "each WorkSpace's user is set in its own table and defaults to its name",
                ),
                (
                    "workspace_name",
                    "a name is one WorkSpace's: set it in that WorkSpace's table",
                ),
            ] {
                if let DeValue::Table(inner) = table.get_mut()
                    && let Some((key, _)) = inner.remove_entry(own)
                {
                    self.found.push(
                        Diagnostic::error(self.file, format!("`{own}` cannot have a default"))
                            .at(key.span(), "not a key of [defaults.workspace]")
                            .help(help),
                    );
                }
            }
            defaults = self.entry(
                "defaults",
                name,
                table,
                raw::WORKSPACE_DEFAULT_KEYS,
                WORKSPACE_NESTED,
            );
        }
        defaults
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{BundleRef, RunningMode};

    fn render(text: &str) -> String {
        match parse("fleet.toml", text) {
            Ok(fleet) => panic!("expected errors, got {fleet:?}"),
            Err(diagnostics) => diagnostics.render(false),
        }
    }

    #[test]
    fn snapshot_syntax_error() {
        insta::assert_snapshot!(render("[settings]\nstack = eng\n"));
    }

    #[test]
    fn snapshot_unknown_key_with_did_you_mean() {
        let text = "[settings]\nstack = \"eng\"\n\n[workspaces.alice]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\nruning_mode = \"AUTO_STOP\"\n";
        insta::assert_snapshot!(render(text));
    }

    #[test]
    fn snapshot_several_problems() {
        insta::assert_snapshot!(render(include_str!("testdata/several_problems.toml")));
    }

    #[test]
    fn syntax_error_is_one_diagnostic_at_its_span() {
        let Err(diagnostics) = parse(
            "fleet.toml",
            "[settings]\nstack = \"eng\"\nstack = \"ops\"\n",
        ) else {
            panic!("a duplicate key is a syntax error");
        };
        let found: Vec<_> = diagnostics.iter().collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "invalid TOML: duplicate key");
        assert_eq!(found[0].span, Some(25..30));
    }

    #[test]
    fn unknown_key_far_from_any_lists_the_allowed_keys() {
        let Err(diagnostics) = parse(
            "fleet.toml",
            "[settings]\nstack = \"eng\"\nowner = \"me\"\n",
        ) else {
            panic!("unknown key accepted");
        };
        let d = diagnostics.iter().next().expect("a diagnostic");
        assert_eq!(d.message, "unknown key `owner`");
        assert_eq!(d.label, "not a key of [settings]");
        assert_eq!(
            d.notes,
            [
                "help: [settings] takes `stack`, `region`, `tag_reads`, `auto_stop_hours_per_month`, `max_monthly_increase`"
            ]
        );
        assert_eq!(d.span, Some(25..30));
    }

    #[test]
    fn unknown_tables_and_defaults_members() {
        let text = "[settings]\nstack = \"eng\"\n[workspace.alice]\n[defaults.bundle]\n";
        let Err(diagnostics) = parse("fleet.toml", text) else {
            panic!("unknown tables accepted");
        };
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.message.as_str(), d.notes.clone()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "unknown key `workspace`",
                    vec!["help: did you mean `workspaces`?".to_owned()]
                ),
                (
                    "unknown key `bundle`",
                    vec!["help: [defaults] takes `workspace`".to_owned()]
                ),
            ]
        );
    }

    #[test]
    fn a_misspelt_required_key_is_not_also_missing() {
        let text = "[settings]\nstak = \"eng\"\n";
        let Err(diagnostics) = parse("fleet.toml", text) else {
            panic!("misspelt key accepted");
        };
        let messages: Vec<_> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["unknown key `stak`"]);
    }

    #[test]
    fn wrong_types_are_reported_at_the_value_every_one() {
        let text = "[settings]\nstack = \"eng\"\n[workspaces.alice]\ndirectory_id = 5\nbundle = \"dev\"\nroot_volume_gib = \"80\"\nallow_data_loss = \"yes\"\n";
        let Err(diagnostics) = parse("fleet.toml", text) else {
            panic!("wrong types accepted");
        };
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| {
                (
                    d.message.as_str(),
                    d.label.as_str(),
                    &text[d.span.clone().unwrap_or(0..0)],
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "wrong type for `directory_id`",
                    "invalid type: integer `5`, expected a string",
                    "5"
                ),
                (
                    "wrong type for `root_volume_gib`",
                    "invalid type: string \"80\", expected an integer",
                    "\"80\""
                ),
                (
                    "wrong type for `allow_data_loss`",
                    "invalid type: string \"yes\", expected `true` or `false`",
                    "\"yes\""
                ),
            ]
        );
    }

    #[test]
    fn a_table_where_a_table_of_tables_belongs() {
        let Err(diagnostics) = parse("fleet.toml", "settings = 5\nworkspaces = \"all\"\n") else {
            panic!("accepted");
        };
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.message.as_str(), d.label.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "wrong type for `settings`",
                    "expected a table, found integer"
                ),
                (
                    "wrong type for `workspaces`",
                    "expected a table, found string"
                ),
                ("missing `[settings]`", ""),
            ]
        );
    }

    #[test]
    fn schema_comment_and_inline_tables_are_fine() {
        let text = "#:schema ./schema/fleet.schema.json\n[settings]\nstack = \"eng\"\n[workspaces]\nbob = { directory_id = \"d-1234567890\", bundle_id = \"wsb-0123abcd\" }\n";
        let fleet = parse("fleet.toml", text)
            .map_err(|d| d.render(false))
            .expect("valid");
        let bob = &fleet.workspaces[0];
        assert_eq!(bob.bundle, BundleRef::Id("wsb-0123abcd".into()));
        // An inline table's origin is its key.
        assert_eq!((bob.origin.line, bob.origin.column), (5, 1));
    }

    #[test]
    fn a_hundred_workspaces_through_defaults() {
        let mut text = String::from(
            "[settings]\nstack = \"eng\"\nregion = \"us-east-1\"\n\n[defaults.workspace]\ndirectory_id = \"d-1234567890\"\nbundle = \"Standard with Windows 10 (Server 2022 based)\"\nrunning_mode = \"AUTO_STOP\"\nauto_stop_timeout_minutes = 60\nroot_volume_gib = 80\nuser_volume_gib = 50\ntags = { team = \"eng\" }\n\n",
        );
        for i in 0..100 {
            text.push_str(&format!("[workspaces.user{i:03}]\n"));
        }
        let text = text.replacen(
            "[workspaces.user042]\n",
            "[workspaces.user042]\ncompute_type = \"POWERPRO\"\ntags = { team = \"graphics\", gpu = \"yes\" }\n",
            1,
        );
        let fleet = parse("fleet.toml", &text)
            .map_err(|d| d.render(false))
            .expect("valid");
        assert_eq!(fleet.workspaces.len(), 100);
        assert_eq!(fleet.settings.region.as_deref(), Some("us-east-1"));
        for (i, ws) in fleet.workspaces.iter().enumerate() {
            assert_eq!(ws.name, format!("user{i:03}"));
            assert_eq!(ws.user, ws.name);
            assert_eq!(ws.directory_id, "d-1234567890");
            assert_eq!(
                ws.bundle,
                BundleRef::Name("Standard with Windows 10 (Server 2022 based)".into())
            );
            assert_eq!(ws.properties.auto_stop_timeout_minutes, Some(60));
            assert_eq!(
                (ws.properties.root_volume_gib, ws.properties.user_volume_gib),
                (Some(80), Some(50))
            );
            assert_eq!(ws.origin.line, 14 + i + if i > 42 { 2 } else { 0 });
        }
        let special = &fleet.workspaces[42];
        assert_eq!(special.properties.compute_type.as_deref(), Some("POWERPRO"));
        assert_eq!(special.properties.running_mode, Some(RunningMode::AutoStop));
        assert_eq!(special.tags["team"], "graphics");
        assert_eq!(special.tags["gpu"], "yes");
        assert_eq!(fleet.workspaces[41].tags["team"], "eng");
        assert_eq!(fleet.workspaces[0].properties.compute_type, None);
    }

    #[test]
    fn load_reads_a_file_and_names_it_when_it_cannot() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("fleet.toml");
        let missing = load(&path).expect_err("no file yet");
        let d = missing.iter().next().expect("a diagnostic");
        assert!(
            d.message
                .starts_with(&format!("cannot read `{}`", path.display())),
            "{}",
            d.message
        );
        assert!(missing.render(false).contains("fleet.toml"));
        std::fs::write(&path, "[settings]\nstack = \"eng\"\n").expect("written");
        assert_eq!(load(&path).expect("valid").settings.stack, "eng");
        std::fs::write(&path, "[settings]\nstak = \"eng\"\n").expect("written");
        let rendered = load(&path).expect_err("typo").render(false);
        assert!(
            rendered.contains(&format!("{}:2:1", path.display())),
            "{rendered}"
        );
    }
}
