//! `[directories.NAME.streaming]`: the streaming properties, checked
//! before any call.

use toml::Spanned;

use super::super::raw::RawStreaming;
use crate::directory_settings::{
    GLOBAL_ACCELERATOR_MODES, GLOBAL_ACCELERATOR_PROTOCOLS, GroupSettings, STREAMING_PROTOCOLS,
    Setting,
};
use crate::file_table::{Check, Notes};

impl Check<'_> {
    /// The streaming settings the file sets; `None` when any is wrong.
    pub(super) fn streaming(&mut self, streaming: &RawStreaming) -> Option<GroupSettings> {
        let mut settings = GroupSettings::new();
        let mut ok = true;
        let words = [
            (
                "preferred_protocol",
                &streaming.preferred_protocol,
                STREAMING_PROTOCOLS,
                "streaming protocol",
            ),
            (
                "global_accelerator",
                &streaming.global_accelerator,
                GLOBAL_ACCELERATOR_MODES,
                "Global Accelerator mode",
            ),
            (
                "global_accelerator_preferred_protocol",
                &streaming.global_accelerator_preferred_protocol,
                GLOBAL_ACCELERATOR_PROTOCOLS,
                "Global Accelerator protocol",
            ),
        ];
        for (key, value, allowed, what) in words {
            let Some(value) = value else {
                continue;
            };
            match self.one_of(value, allowed, what) {
                Some(v) => {
                    settings.insert(key.to_owned(), Setting::Text(v.to_owned()));
                }
                None => ok = false,
            }
        }
        let switches = [
            (
                "clipboard_copy_from_local_device",
                &streaming.clipboard_copy_from_local_device,
            ),
            (
                "clipboard_copy_to_local_device",
                &streaming.clipboard_copy_to_local_device,
            ),
            (
                "printing_to_local_device",
                &streaming.printing_to_local_device,
            ),
            ("smart_card", &streaming.smart_card),
            ("home_folder", &streaming.home_folder),
        ];
        for (key, value) in switches {
            if let Some(value) = value {
                settings.insert(key.to_owned(), Setting::Bool(*value.get_ref()));
            }
        }
        let limits = [
            (
                "clipboard_copy_from_local_device",
                &streaming.clipboard_copy_from_local_device_max_length,
            ),
            (
                "clipboard_copy_to_local_device",
                &streaming.clipboard_copy_to_local_device_max_length,
            ),
        ];
        for (action, limit) in limits {
            ok &= self.max_length(action, limit.as_ref(), &mut settings);
        }
        if let Some(protocol) = &streaming.global_accelerator_preferred_protocol
            && streaming.global_accelerator.is_none()
        {
            self.error(
                protocol.span(),
                "`global_accelerator_preferred_protocol` needs `global_accelerator`",
                "without a mode",
            )
            .with_help("AWS sets Global Accelerator's protocol with its mode: add `global_accelerator = \"enabled_auto\"` or `\"disabled\"`");
            ok = false;
        }
        ok.then_some(settings)
    }

    /// `ACTION_max_length`: a number of characters AWS can hold, for an
    /// action whose switch the file sets (AWS takes them together).
    fn max_length(
        &mut self,
        action: &str,
        limit: Option<&Spanned<i64>>,
        settings: &mut GroupSettings,
    ) -> bool {
        let Some(limit) = limit else {
            return true;
        };
        let key = format!("{action}_max_length");
        let n = *limit.get_ref();
        if !(0..=i64::from(i32::MAX)).contains(&n) {
            self.error(
                limit.span(),
                format!("`{key}` must be 0–{}", i32::MAX),
                format!("{n}"),
            );
            return false;
        }
        if !settings.contains_key(action) {
            self.error(
                limit.span(),
                format!("`{key}` needs `{action}`"),
                "without its switch",
            )
            .with_help(format!(
                "AWS sets the maximum length with the permission: add `{action} = true`"
            ));
            return false;
        }
        settings.insert(key, Setting::Number(n));
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::directory_settings::{Group, GroupSettings, Setting};
    use crate::spec::parse;

    const HEAD: &str = "[settings]\nstack = \"eng\"\n[directories.corp]\ndirectory_id = \"d-1234567890\"\n[directories.corp.streaming]\n";

    fn problems(body: &str) -> (Vec<String>, String) {
        match parse("fleet.toml", &format!("{HEAD}{body}")) {
            Ok(fleet) => panic!("expected problems, got {fleet:#?}"),
            Err(diagnostics) => (
                diagnostics.iter().map(|d| d.message.clone()).collect(),
                diagnostics.render(false),
            ),
        }
    }

    #[test]
    fn dirsettings_streaming_settings_are_read_by_the_files_keys() {
        let fleet = parse(
            "fleet.toml",
            &format!(
                "{HEAD}preferred_protocol = \"udp\"\nclipboard_copy_from_local_device = true\nclipboard_copy_from_local_device_max_length = 20971520\nprinting_to_local_device = false\nhome_folder = true\nglobal_accelerator = \"enabled_auto\"\nglobal_accelerator_preferred_protocol = \"tcp\"\n"
            ),
        )
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
        let text = |v: &str| Setting::Text(v.to_owned());
        assert_eq!(
            fleet.directories[0].settings[&Group::Streaming],
            GroupSettings::from([
                ("preferred_protocol".to_owned(), text("udp")),
                (
                    "clipboard_copy_from_local_device".to_owned(),
                    Setting::Bool(true)
                ),
                (
                    "clipboard_copy_from_local_device_max_length".to_owned(),
                    Setting::Number(20_971_520)
                ),
                ("printing_to_local_device".to_owned(), Setting::Bool(false)),
                ("home_folder".to_owned(), Setting::Bool(true)),
                ("global_accelerator".to_owned(), text("enabled_auto")),
                (
                    "global_accelerator_preferred_protocol".to_owned(),
                    text("tcp")
                ),
            ])
        );
    }

    #[test]
    fn dirsettings_an_unknown_streaming_setting_or_value_is_refused_where_written() {
        let (messages, rendered) = problems(
            "preferred_protocol = \"quic\"\nclipboard = true\nclipboard_copy_to_local_device_max_length = -1\n",
        );
        assert_eq!(
            messages,
            [
                "unknown streaming protocol `quic`",
                "unknown key `clipboard`",
                "`clipboard_copy_to_local_device_max_length` must be 0–2147483647",
            ],
            "{rendered}"
        );
        assert!(rendered.contains("fleet.toml:6:22"), "{rendered}");
        assert!(rendered.contains("fleet.toml:7:1"), "{rendered}");
        assert!(rendered.contains("fleet.toml:8:45"), "{rendered}");
    }

    #[test]
    fn dirsettings_a_max_length_or_accelerator_protocol_needs_its_switch() {
        let (messages, _) = problems(
            "clipboard_copy_from_local_device_max_length = 100\nglobal_accelerator_preferred_protocol = \"tcp\"\n",
        );
        assert_eq!(
            messages,
            [
                "`clipboard_copy_from_local_device_max_length` needs `clipboard_copy_from_local_device`",
                "`global_accelerator_preferred_protocol` needs `global_accelerator`",
            ]
        );
    }
}
