//! Any strings in an account's free text (user names, tags, names,
//! descriptions) through `wsctl import`'s writer: the file it writes
//! validates, shows nothing hidden raw, and plans to adoptions only.
//!
//! The input is split at each 0xFF byte, which UTF-8 never holds, into the
//! strings the account is made of; each may hold any other character.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use wsctl::import::{Options, write};
use wsctl::live::{
    LiveBundle, LiveConnectionAlias, LiveDirectory, LiveImage, LiveIpGroup, LiveState,
    LiveWorkspace,
};
use wsctl::plan::Action;
use wsctl::spec::{IpRule, WorkspaceProperties};

const DIRECTORY: &str = "d-1234567890";
const AMAZON_BUNDLE: &str = "wsb-amazon001";
const IMAGE: &str = "wsi-custom0001";

/// The strings, taken in turn; empty once the input runs out.
struct Strings(Vec<String>);

impl Strings {
    fn next(&mut self) -> String {
        self.0.pop().unwrap_or_default()
    }

    fn tags(&mut self) -> BTreeMap<String, String> {
        let count = self.next().len() % 3;
        (0..count).map(|_| (self.next(), self.next())).collect()
    }
}

fn account(strings: &mut Strings) -> LiveState {
    let workspaces = (0..strings.next().len() % 5)
        .map(|i| LiveWorkspace {
            id: format!("ws-fuzz{i:05}"),
            directory_id: DIRECTORY.to_owned(),
            user: strings.next(),
            state: "AVAILABLE".to_owned(),
            bundle_id: AMAZON_BUNDLE.to_owned(),
            properties: WorkspaceProperties {
                root_volume_gib: Some(80),
                user_volume_gib: Some(50),
                workspace_name: Some(strings.next()),
                ..WorkspaceProperties::default()
            },
            tags: strings.tags(),
            ..LiveWorkspace::default()
        })
        .collect();
    LiveState {
        workspaces,
        bundles: vec![
            LiveBundle {
                id: AMAZON_BUNDLE.to_owned(),
                name: strings.next(),
                owner: Some("AMAZON".to_owned()),
                compute_type: Some("STANDARD".to_owned()),
                root_volume_gib: Some(80),
                user_volume_gib: Some(50),
                ..LiveBundle::default()
            },
            LiveBundle {
                id: "wsb-custom001".to_owned(),
                name: strings.next(),
                owner: Some("123456789012".to_owned()),
                description: Some(strings.next()),
                image_id: Some(IMAGE.to_owned()),
                compute_type: Some("STANDARD".to_owned()),
                root_volume_gib: Some(80),
                user_volume_gib: Some(50),
                tags: strings.tags(),
            },
        ],
        images: vec![LiveImage {
            id: IMAGE.to_owned(),
            name: strings.next(),
            description: Some(strings.next()),
            state: "AVAILABLE".to_owned(),
            tags: strings.tags(),
            ..LiveImage::default()
        }],
        ip_groups: vec![LiveIpGroup {
            id: "wsipg-fuzz0001".to_owned(),
            name: strings.next(),
            description: Some(strings.next()),
            rules: vec![IpRule {
                source: "203.0.113.0/24".to_owned(),
                description: Some(strings.next()),
            }],
            tags: strings.tags(),
        }],
        directories: vec![LiveDirectory {
            id: DIRECTORY.to_owned(),
            state: "REGISTERED".to_owned(),
            subnet_ids: vec!["subnet-0a1b2c3d".to_owned()],
            ip_group_ids: vec!["wsipg-fuzz0001".to_owned()],
            tags: strings.tags(),
            ..LiveDirectory::default()
        }],
        connection_aliases: vec![LiveConnectionAlias {
            id: "wsca-fuzz00001".to_owned(),
            connection_string: strings.next(),
            state: "CREATED".to_owned(),
            owner_account_id: Some("123456789012".to_owned()),
            tags: strings.tags(),
            ..LiveConnectionAlias::default()
        }],
        account_id: Some("123456789012".to_owned()),
        ..LiveState::default()
    }
}

/// Control, zero-width and bidirectional characters: none may be written
/// raw but the line breaks.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'
            | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

fuzz_target!(|data: &[u8]| {
    let mut strings: Vec<String> = data
        .split(|&b| b == 0xff)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    strings.reverse();
    let live = account(&mut Strings(strings));
    let options = Options {
        stack: "fuzz".to_owned(),
        region: Some("us-east-1".to_owned()),
        account_id: Some("123456789012".to_owned()),
        written_on: "2026-11-29".to_owned(),
        directories: vec![DIRECTORY.to_owned()],
        ..Options::default()
    };
    let text = write(&live, &options).text;
    assert!(!text.chars().any(hidden), "written raw:\n{text}");
    let fleet = match wsctl::spec::parse("imported.toml", &text) {
        Ok(fleet) => fleet,
        Err(problems) => panic!("{problems}\n{text}"),
    };
    let plan = match wsctl::plan::plan(&fleet, &live) {
        Ok(plan) => plan,
        Err(errors) => panic!("{errors:#?}\n{text}"),
    };
    for change in &plan.changes {
        assert_eq!(change.action, Action::Adopt, "{change:#?}\n{text}");
    }
});
