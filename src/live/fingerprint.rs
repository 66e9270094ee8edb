//! Fingerprints of what a plan read, so a saved plan can tell whether the
//! account changed since: one per natural key (a WorkSpace's directory and
//! user, a bundle's or image's name, the account), "absent" when nothing had
//! it. States that move by themselves (PENDING → AVAILABLE) are left out.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{LiveState, Owned};
use crate::spec::{BundleRef, Fleet};

const ABSENT: &str = "absent";

/// Every key the plan of `fleet` depends on, with its fingerprint now.
pub fn fingerprints(fleet: &Fleet, live: &LiveState) -> BTreeMap<String, String> {
    let stack = fleet.settings.stack.as_str();
    let mut keys = BTreeSet::new();
    if fleet.account.is_some() {
        keys.insert("account".to_owned());
    }
    for workspace in &fleet.workspaces {
        keys.insert(workspace_key(&workspace.directory_id, &workspace.user));
        keys.insert(match &workspace.bundle {
            BundleRef::Name(name) => format!("bundle:{name}"),
            BundleRef::Id(id) => format!("bundle-id:{id}"),
        });
    }
    keys.extend(fleet.images.iter().map(|i| format!("image:{}", i.name)));
    keys.extend(fleet.bundles.iter().map(|b| format!("bundle:{}", b.name)));
    let ours = |tags: Option<&str>| tags == Some(stack);
    keys.extend(
        live.workspaces
            .iter()
            .filter(|w| ours(w.stack()))
            .map(|w| workspace_key(&w.directory_id, &w.user)),
    );
    keys.extend(
        live.images
            .iter()
            .filter(|i| ours(i.stack()))
            .map(|i| format!("image:{}", i.name)),
    );
    keys.extend(
        live.bundles
            .iter()
            .filter(|b| ours(b.stack()))
            .map(|b| format!("bundle:{}", b.name)),
    );
    recheck(live, keys.iter())
}

/// The fingerprints of `keys` in `live`, to compare with a saved plan's.
pub fn recheck<'a>(
    live: &LiveState,
    keys: impl Iterator<Item = &'a String>,
) -> BTreeMap<String, String> {
    keys.map(|key| (key.clone(), of(live, key))).collect()
}

fn workspace_key(directory: &str, user: &str) -> String {
    format!("workspace:{directory}/{}", user.to_lowercase())
}

fn of(live: &LiveState, key: &str) -> String {
    let (kind, name) = key.split_once(':').unwrap_or((key, ""));
    match kind {
        "account" => hash(&live.account),
        "workspace" => {
            let found: Vec<_> = live
                .workspaces
                .iter()
                .filter(|w| !w.is_terminating() && workspace_key(&w.directory_id, &w.user) == key)
                .map(|w| {
                    let mut read = w.clone();
                    read.state.clear();
                    read.modifying = false;
                    read
                })
                .collect();
            hash_all(&found)
        }
        "image" => {
            let found: Vec<_> = live
                .images
                .iter()
                .filter(|i| i.name == name)
                .map(|i| {
                    let mut read = i.clone();
                    read.state.clear();
                    read
                })
                .collect();
            hash_all(&found)
        }
        "bundle" => hash_all(
            &live
                .bundles
                .iter()
                .filter(|b| b.name == name)
                .collect::<Vec<_>>(),
        ),
        "bundle-id" => hash_all(
            &live
                .bundles
                .iter()
                .filter(|b| b.id == name)
                .collect::<Vec<_>>(),
        ),
        _ => ABSENT.to_owned(),
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
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
