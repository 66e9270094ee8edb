//! Fingerprints of what a plan read, so a saved plan can tell whether the
//! account changed since: one per natural key (a WorkSpace's directory and
//! user, a bundle's, image's or IP group's name, a directory's id, an
//! alias's connection string, the
//! account), "absent" when nothing had
//! it. States that move by themselves (PENDING → AVAILABLE) are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{LiveIndex, LiveState, Owned, WorkspaceKey};
use crate::address::Kind;
use crate::identity::AliasKey;
use crate::kinds::{connection_alias, ip_group, ownership};
use crate::spec::{BundleRef, Fleet};
use crate::states::{DirectoryState, ImageState, WorkspaceState};

const ABSENT: &str = "absent";

/// What one fingerprint covers: a resource by its natural key, written
/// `kind:name` in a saved plan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Account,
    Workspace(WorkspaceKey),
    /// A bundle by name, AWS's or one of the file's.
    Bundle(String),
    /// A bundle a WorkSpace names by id.
    BundleId(String),
    Image(String),
    Directory(String),
    IpGroup(String),
    ConnectionAlias(AliasKey),
}

impl Key {
    fn alias(connection_string: &str) -> Key {
        Key::ConnectionAlias(AliasKey::new(connection_string))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Account => f.write_str("account"),
            Key::Workspace(key) => write!(f, "workspace:{key}"),
            Key::Bundle(name) => write!(f, "bundle:{name}"),
            Key::BundleId(id) => write!(f, "bundle-id:{id}"),
            Key::Image(name) => write!(f, "image:{name}"),
            Key::Directory(id) => write!(f, "directory:{id}"),
            Key::IpGroup(name) => write!(f, "ip_group:{name}"),
            Key::ConnectionAlias(connection_string) => {
                write!(f, "connection_alias:{connection_string}")
            }
        }
    }
}

/// Every key the plan of `fleet` depends on, with its fingerprint now.
pub fn fingerprints(fleet: &Fleet, live: &LiveState) -> BTreeMap<String, String> {
    fingerprints_in(fleet, &LiveIndex::new(live))
}

/// `fingerprints`, with the index the planner already built.
pub(crate) fn fingerprints_in(fleet: &Fleet, index: &LiveIndex) -> BTreeMap<String, String> {
    let keys: BTreeSet<Key> = Kind::ALL
        .into_iter()
        .flat_map(|kind| keys_of(kind, fleet, index.live()))
        .collect();
    keys.iter()
        .map(|key| (key.to_string(), of(index, key)))
        .collect()
}

/// The keys of `kind` a plan of `fleet` reads: the file's resources and
/// the stack's live ones.
fn keys_of(kind: Kind, fleet: &Fleet, live: &LiveState) -> Vec<Key> {
    let stack = fleet.settings.stack.as_str();
    match kind {
        Kind::Account => fleet.account.iter().map(|_| Key::Account).collect(),
        Kind::Workspace => {
            let file = fleet.workspaces.iter().flat_map(|workspace| {
                let bundle = match &workspace.bundle {
                    BundleRef::Name(name) => Key::Bundle(name.clone()),
                    BundleRef::Id(id) => Key::BundleId(id.clone()),
                };
                [Key::Workspace(workspace.key()), bundle]
            });
            let stacks = live.workspaces.iter().filter(|w| w.stack() == Some(stack));
            file.chain(stacks.map(|w| Key::Workspace(w.key())))
                .collect()
        }
        Kind::Image => {
            let file = fleet.images.iter().map(|i| i.name.as_str());
            ownership::fingerprinted(file, &live.images, stack, |i| &i.name)
                .map(|name| Key::Image(name.to_owned()))
                .collect()
        }
        Kind::Bundle => {
            let file = fleet.bundles.iter().map(|b| b.name.as_str());
            ownership::fingerprinted(file, &live.bundles, stack, |b| &b.name)
                .map(|name| Key::Bundle(name.to_owned()))
                .collect()
        }
        Kind::ConnectionAlias => connection_alias::fingerprinted(
            &fleet.connection_aliases,
            &live.connection_aliases,
            stack,
        )
        .map(Key::alias)
        .collect(),
        Kind::Directory => {
            let file = fleet.directories.iter().map(|d| d.directory_id.as_str());
            ownership::fingerprinted(file, &live.directories, stack, |d| &d.id)
                .map(|id| Key::Directory(id.to_owned()))
                .collect()
        }
        Kind::IpGroup => ip_group::fingerprinted(&fleet.ip_groups, &live.ip_groups, stack)
            .map(|name| Key::IpGroup(name.to_owned()))
            .collect(),
    }
}

fn of(index: &LiveIndex, key: &Key) -> String {
    match key {
        Key::Account => hash(&index.live().account),
        Key::Workspace(key) => {
            let found: Vec<_> = index
                .present(key)
                .iter()
                .map(|w| {
                    let mut read = (*w).clone();
                    read.state = WorkspaceState::default();
                    read.modifying = false;
                    read
                })
                .collect();
            hash_all(&found)
        }
        Key::Image(name) => {
            let found: Vec<_> = index
                .images_named(name)
                .iter()
                .map(|i| {
                    let mut read = (*i).clone();
                    read.state = ImageState::default();
                    read
                })
                .collect();
            hash_all(&found)
        }
        Key::Bundle(name) => hash_all(index.bundles_named(name)),
        Key::Directory(id) => {
            let found: Vec<_> = index
                .directory(id)
                .iter()
                .map(|d| {
                    let mut read = (*d).clone();
                    // REGISTERING → REGISTERED moves by itself. Hashed as
                    // "true" or "false", as saved plans have it.
                    read.state = DirectoryState::Unknown(read.is_registered().to_string());
                    read
                })
                .collect();
            hash_all(&found)
        }
        Key::IpGroup(name) => hash_all(index.ip_groups().named(name)),
        Key::BundleId(id) => hash_all(index.bundle(id).as_slice()),
        Key::ConnectionAlias(key) => hash_all(&connection_alias::read_for_fingerprint(
            &index.live().connection_aliases,
            key,
        )),
    }
}

fn hash_all<T: Serialize>(found: &[T]) -> String {
    if found.is_empty() {
        ABSENT.to_owned()
    } else {
        hash(found)
    }
}

fn hash<T: Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::LiveWorkspace;
    use crate::workspace_properties::WorkspaceProperties;

    const KEY: &str = "workspace:d-1234567890/alice";

    fn fleet() -> Fleet {
        let text = "[settings]\nstack = \"eng\"\n[workspaces.alice]\ndirectory_id = \"d-1234567890\"\nbundle_id = \"wsb-0123abcde\"\n";
        match crate::spec::parse("fleet.toml", text) {
            Ok(fleet) => fleet,
            Err(diagnostics) => panic!("{}", diagnostics.render(false)),
        }
    }

    fn account(user: &str, state: WorkspaceState, compute_type: &str) -> LiveState {
        LiveState {
            workspaces: vec![LiveWorkspace {
                id: "ws-alice".to_owned(),
                directory_id: "d-1234567890".to_owned(),
                user: user.to_owned(),
                state,
                // Encryption as AWS reads: reported or not, on or off.
                properties: WorkspaceProperties {
                    compute_type: Some(compute_type.to_owned()),
                    root_volume_encryption: Some(false),
                    user_volume_encryption: Some(false),
                    ..WorkspaceProperties::default()
                },
                ..LiveWorkspace::default()
            }],
            ..LiveState::default()
        }
    }

    /// Saved plans hold hashes of this JSON: the properties stay flat, in
    /// the order they had before they were a struct.
    #[test]
    fn a_workspace_is_hashed_with_its_properties_flat() {
        let live = account("alice", WorkspaceState::Available, "STANDARD");
        let text = serde_json::to_string(&live.workspaces[0]).unwrap_or_default();
        assert_eq!(
            text,
            concat!(
                r#"{"id":"ws-alice","directory_id":"d-1234567890","user":"alice","#,
                r#""state":"AVAILABLE","bundle_id":"","compute_type":"STANDARD","#,
                r#""running_mode":null,"auto_stop_timeout_minutes":null,"#,
                r#""root_volume_gib":null,"user_volume_gib":null,"#,
                r#""root_volume_encryption":false,"user_volume_encryption":false,"#,
                r#""volume_encryption_key":null,"modifying":false,"tags":{}}"#
            )
        );
    }

    #[test]
    fn a_directory_or_ip_group_that_changed_is_a_new_fingerprint_a_registration_finishing_is_not() {
        let text = "[settings]\nstack = \"eng\"\n[ip_groups.office]\n[directories.corp]\ndirectory_id = \"d-1234567890\"\n";
        let fleet = crate::spec::parse("fleet.toml", text)
            .unwrap_or_else(|d| panic!("{}", d.render(false)));
        let live = |state: DirectoryState, groups: &[&str], rules: usize| LiveState {
            directories: vec![crate::live::LiveDirectory {
                id: "d-1234567890".to_owned(),
                state,
                ip_group_ids: groups.iter().map(|g| (*g).to_owned()).collect(),
                ..Default::default()
            }],
            ip_groups: vec![crate::live::LiveIpGroup {
                id: "wsipg-office001".to_owned(),
                name: "office".to_owned(),
                rules: (0..rules)
                    .map(|i| crate::spec::IpRule {
                        source: format!("10.0.{i}.0/24"),
                        description: None,
                    })
                    .collect(),
                ..Default::default()
            }],
            ..LiveState::default()
        };
        let (directory, group) = ("directory:d-1234567890", "ip_group:office");
        let before = fingerprints(&fleet, &live(DirectoryState::Registering, &[], 1));
        assert_ne!(before[directory], ABSENT);
        let registered = fingerprints(&fleet, &live(DirectoryState::Registered, &[], 1));
        assert_eq!(before, registered);
        let associated = fingerprints(
            &fleet,
            &live(DirectoryState::Registered, &["wsipg-office001"], 1),
        );
        assert_ne!(associated[directory], registered[directory]);
        let more_rules = fingerprints(&fleet, &live(DirectoryState::Registered, &[], 2));
        assert_ne!(more_rules[group], registered[group]);
        assert_eq!(fingerprints(&fleet, &LiveState::default())[group], ABSENT);
    }

    #[test]
    fn dirsettings_a_directory_whose_sign_in_or_streaming_changed_is_a_new_fingerprint() {
        use crate::directory_settings::{Group, GroupSettings, Setting};
        let text =
            "[settings]\nstack = \"eng\"\n[directories.corp]\ndirectory_id = \"d-1234567890\"\n";
        let fleet = crate::spec::parse("fleet.toml", text)
            .unwrap_or_else(|d| panic!("{}", d.render(false)));
        let live = |group: Group, key: &str, value: &str| LiveState {
            directories: vec![crate::live::LiveDirectory {
                id: "d-1234567890".to_owned(),
                state: DirectoryState::Registered,
                settings: [(
                    group,
                    GroupSettings::from([(key.to_owned(), Setting::Text(value.to_owned()))]),
                )]
                .into(),
                ..Default::default()
            }],
            ..LiveState::default()
        };
        let directory = "directory:d-1234567890";
        let read =
            |group, key, value| fingerprints(&fleet, &live(group, key, value))[directory].clone();
        let disabled = read(Group::Saml, "status", "disabled");
        assert_ne!(read(Group::Saml, "status", "enabled"), disabled);
        assert_eq!(read(Group::Saml, "status", "disabled"), disabled);
        assert_ne!(
            read(Group::EndpointEncryption, "mode", "fips_validated"),
            read(Group::EndpointEncryption, "mode", "standard_tls")
        );
        assert_ne!(
            read(Group::Streaming, "preferred_protocol", "udp"),
            read(Group::Streaming, "preferred_protocol", "tcp")
        );
    }

    #[test]
    fn the_file_alice_reads_the_live_alice_in_any_case() {
        let read = fingerprints(
            &fleet(),
            &account("Alice", WorkspaceState::Available, "STANDARD"),
        );
        assert_ne!(read[KEY], ABSENT);
        let lower = fingerprints(
            &fleet(),
            &account("alice", WorkspaceState::Available, "STANDARD"),
        );
        assert_eq!(
            lower.keys().collect::<Vec<_>>(),
            read.keys().collect::<Vec<_>>()
        );
        assert_eq!(fingerprints(&fleet(), &LiveState::default())[KEY], ABSENT);
    }

    #[test]
    fn fingerprints_see_changes_but_not_states_that_move_by_themselves() {
        let read = fingerprints(
            &fleet(),
            &account("Alice", WorkspaceState::Pending, "STANDARD"),
        );
        let settled = account("Alice", WorkspaceState::Available, "STANDARD");
        assert_eq!(fingerprints(&fleet(), &settled), read);
        let changed = account("Alice", WorkspaceState::Available, "POWER");
        assert_ne!(fingerprints(&fleet(), &changed)[KEY], read[KEY]);
        let terminating = account("Alice", WorkspaceState::Terminating, "STANDARD");
        assert_eq!(fingerprints(&fleet(), &terminating)[KEY], ABSENT);
    }
}
