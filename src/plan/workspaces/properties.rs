//! The diff of two WorkSpace property sets, the live one's and the file's:
//! what only a replacement changes, what ModifyWorkspaceProperties changes
//! and in which requests. Also how a new WorkSpace's properties show.

use crate::plan::modify::volume_steps;
use crate::plan::{AttributeChange, Modification, Value};
use crate::workspace_properties::WorkspaceProperties;

/// How a live WorkSpace's properties differ from the file's.
#[derive(Debug, PartialEq)]
pub(super) struct Diff {
    /// What AWS cannot change on an existing WorkSpace.
    pub replacing: Vec<AttributeChange>,
    /// What ModifyWorkspaceProperties changes, unless a volume would shrink.
    pub in_place: Result<InPlace, Shrink>,
}

/// The attributes ModifyWorkspaceProperties changes, and its requests: one
/// change a request, as AWS requires.
#[derive(Debug, Default, PartialEq)]
pub(super) struct InPlace {
    pub attributes: Vec<AttributeChange>,
    pub modifications: Vec<Modification>,
}

/// A volume the file wants smaller than it is: AWS never shrinks one.
#[derive(Debug, PartialEq)]
pub(super) struct Shrink {
    pub volume: &'static str,
    pub from: i32,
    pub to: i32,
}

impl Shrink {
    /// Why the plan stops, for the WorkSpace `workspace_id`.
    pub(super) fn refusal(&self, workspace_id: &str) -> String {
        format!(
            "{} would shrink from {} to {} GiB on {workspace_id}; AWS never shrinks a volume",
            self.volume, self.from, self.to
        )
    }
}

impl WorkspaceProperties {
    /// From these (live) properties to `desired`. What the file leaves unset
    /// does not differ.
    pub(super) fn diff(&self, desired: &WorkspaceProperties) -> Diff {
        Diff {
            replacing: replacing(self, desired),
            in_place: in_place(self, desired),
        }
    }

    /// Each attribute and the value a new WorkSpace gets, as a plan shows
    /// it: none for what is left to the bundle or not encrypted.
    pub(super) fn creation_values(&self) -> [(&'static str, Option<Value>); 8] {
        let flag = |on: bool| on.then_some(Value::Bool(true));
        [
            ("compute_type", self.compute_type.as_deref().map(text)),
            ("running_mode", self.running_mode.map(|m| text(m.as_str()))),
            (
                "auto_stop_timeout_minutes",
                self.auto_stop_timeout_minutes.map(number),
            ),
            ("root_volume_gib", self.root_volume_gib.map(number)),
            ("user_volume_gib", self.user_volume_gib.map(number)),
            ("root_volume_encryption", flag(self.root_volume_encryption)),
            ("user_volume_encryption", flag(self.user_volume_encryption)),
            (
                "volume_encryption_key",
                self.volume_encryption_key.as_deref().map(text),
            ),
        ]
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn number(n: i32) -> Value {
    Value::Number(n.into())
}

/// The volumes' encryption, and the key when the file encrypts one.
fn replacing(live: &WorkspaceProperties, desired: &WorkspaceProperties) -> Vec<AttributeChange> {
    let key =
        |p: &WorkspaceProperties| text(p.volume_encryption_key.as_deref().unwrap_or_default());
    let mut compared = vec![
        (
            "root_volume_encryption",
            Value::Bool(live.root_volume_encryption),
            Value::Bool(desired.root_volume_encryption),
        ),
        (
            "user_volume_encryption",
            Value::Bool(live.user_volume_encryption),
            Value::Bool(desired.user_volume_encryption),
        ),
    ];
    if desired.root_volume_encryption || desired.user_volume_encryption {
        compared.push(("volume_encryption_key", key(live), key(desired)));
    }
    compared
        .into_iter()
        .filter_map(|(name, before, after)| replaced(name, before, after))
        .collect()
}

/// `name` going from `before` to `after`, which only a replacement does;
/// none when they are equal.
pub(super) fn replaced(name: &'static str, before: Value, after: Value) -> Option<AttributeChange> {
    (before != after).then(|| AttributeChange {
        name: name.into(),
        before: Some(before),
        after: Some(after),
        forces_replacement: true,
    })
}

/// Running mode, compute type and volumes.
fn in_place(live: &WorkspaceProperties, desired: &WorkspaceProperties) -> Result<InPlace, Shrink> {
    let mut change = InPlace::default();
    running_mode(live, desired, &mut change);
    compute_type(live, desired, &mut change);
    volumes(live, desired, &mut change)?;
    Ok(change)
}

impl InPlace {
    fn show(&mut self, name: &'static str, before: Option<Value>, after: Value) {
        self.attributes.push(AttributeChange {
            name: name.into(),
            before,
            after: Some(after),
            forces_replacement: false,
        });
    }
}

/// The mode and its timeout go in one request.
fn running_mode(live: &WorkspaceProperties, desired: &WorkspaceProperties, change: &mut InPlace) {
    let Some(mode) = desired.running_mode else {
        return;
    };
    let timeout = desired.auto_stop_timeout_minutes;
    let mode_differs = live.running_mode != Some(mode);
    let timeout_differs = timeout.is_some() && live.auto_stop_timeout_minutes != timeout;
    if mode_differs {
        let before = live.running_mode.map(|m| text(m.as_str()));
        change.show("running_mode", before, text(mode.as_str()));
    }
    if let (true, Some(minutes)) = (timeout_differs, timeout) {
        let before = live.auto_stop_timeout_minutes.map(number);
        change.show("auto_stop_timeout_minutes", before, number(minutes));
    }
    if mode_differs || timeout_differs {
        change.modifications.push(Modification::RunningMode {
            running_mode: mode.as_str().to_owned(),
            auto_stop_timeout_minutes: timeout,
        });
    }
}

fn compute_type(live: &WorkspaceProperties, desired: &WorkspaceProperties, change: &mut InPlace) {
    let Some(compute) = desired.compute_type.as_deref() else {
        return;
    };
    if live.compute_type.as_deref() == Some(compute) {
        return;
    }
    let before = live.compute_type.as_deref().map(text);
    change.show("compute_type", before, text(compute));
    change.modifications.push(Modification::ComputeType {
        compute_type: compute.to_owned(),
    });
}

/// Only when AWS reports both sizes: the steps depend on them.
fn volumes(
    live: &WorkspaceProperties,
    desired: &WorkspaceProperties,
    change: &mut InPlace,
) -> Result<(), Shrink> {
    let (Some(live_root), Some(live_user)) = (live.root_volume_gib, live.user_volume_gib) else {
        return Ok(());
    };
    let want_root = desired.root_volume_gib.unwrap_or(live_root);
    let want_user = desired.user_volume_gib.unwrap_or(live_user);
    for (volume, from, to) in [
        ("root_volume_gib", live_root, want_root),
        ("user_volume_gib", live_user, want_user),
    ] {
        if to < from {
            return Err(Shrink { volume, from, to });
        }
    }
    let steps = volume_steps((live_root, live_user), (want_root, want_user));
    // Show the sizes the steps reach: growing root past 80 GiB also grows
    // the user volume to 100 GiB when the file leaves it unset.
    let (mut root, mut user) = (live_root, live_user);
    for step in &steps {
        match step {
            Modification::RootVolume { gib } => root = *gib,
            Modification::UserVolume { gib } => user = *gib,
            _ => {}
        }
    }
    for (name, before, after) in [
        ("root_volume_gib", live_root, root),
        ("user_volume_gib", live_user, user),
    ] {
        if after > before {
            change.show(name, Some(number(before)), number(after));
        }
    }
    change.modifications.extend(steps);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace_properties::RunningMode;

    /// AUTO_STOP after an hour on STANDARD, 80/50 GiB, unencrypted.
    fn standard() -> WorkspaceProperties {
        WorkspaceProperties {
            compute_type: Some("STANDARD".to_owned()),
            running_mode: Some(RunningMode::AutoStop),
            auto_stop_timeout_minutes: Some(60),
            root_volume_gib: Some(80),
            user_volume_gib: Some(50),
            ..WorkspaceProperties::default()
        }
    }

    fn with(change: impl FnOnce(&mut WorkspaceProperties)) -> WorkspaceProperties {
        let mut properties = standard();
        change(&mut properties);
        properties
    }

    fn in_place(diff: Diff) -> InPlace {
        match diff.in_place {
            Ok(in_place) => in_place,
            Err(shrink) => panic!("expected modifications, got {shrink:?}"),
        }
    }

    #[test]
    fn equal_properties_do_not_differ() {
        let diff = standard().diff(&standard());
        assert_eq!(diff.replacing, []);
        assert_eq!(in_place(diff), InPlace::default());
    }

    #[test]
    fn what_the_file_leaves_unset_does_not_differ() {
        let diff = standard().diff(&WorkspaceProperties::default());
        assert_eq!(diff.replacing, []);
        assert_eq!(in_place(diff), InPlace::default());
    }

    #[test]
    fn a_compute_type_change_is_one_modification() {
        let diff = standard().diff(&with(|p| p.compute_type = Some("POWER".to_owned())));
        assert_eq!(diff.replacing, []);
        let change = in_place(diff);
        assert_eq!(
            change.attributes,
            [AttributeChange {
                name: "compute_type".into(),
                before: Some(text("STANDARD")),
                after: Some(text("POWER")),
                forces_replacement: false,
            }]
        );
        assert_eq!(
            change.modifications,
            [Modification::ComputeType {
                compute_type: "POWER".to_owned()
            }]
        );
    }

    #[test]
    fn an_encryption_change_forces_replacement() {
        let encrypted = with(|p| {
            p.root_volume_encryption = true;
            p.volume_encryption_key = Some("alias/workspaces".to_owned());
        });
        let diff = standard().diff(&encrypted);
        let names: Vec<&str> = diff.replacing.iter().map(|a| a.name.as_ref()).collect();
        assert_eq!(names, ["root_volume_encryption", "volume_encryption_key"]);
        assert!(diff.replacing.iter().all(|a| a.forces_replacement));
        assert_eq!(in_place(diff), InPlace::default());
    }

    #[test]
    fn the_key_of_unencrypted_volumes_does_not_matter() {
        let diff =
            with(|p| p.volume_encryption_key = Some("alias/old".to_owned())).diff(&standard());
        assert_eq!(diff.replacing, []);
    }

    #[test]
    fn a_shrinking_volume_cannot_be_modified() {
        let diff = standard().diff(&with(|p| p.user_volume_gib = Some(10)));
        assert_eq!(
            diff.in_place,
            Err(Shrink {
                volume: "user_volume_gib",
                from: 50,
                to: 10
            })
        );
    }

    #[test]
    fn a_new_workspace_shows_what_it_sets() {
        let shown: Vec<&str> = standard()
            .creation_values()
            .into_iter()
            .filter_map(|(name, value)| value.map(|_| name))
            .collect();
        assert_eq!(
            shown,
            [
                "compute_type",
                "running_mode",
                "auto_stop_timeout_minutes",
                "root_volume_gib",
                "user_volume_gib"
            ]
        );
    }
}
