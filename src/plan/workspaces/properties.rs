//! The diff of two WorkSpace property sets, the live one's and the file's:
//! what only a replacement changes (and why), what ModifyWorkspaceProperties
//! changes and in which requests. Also how a new WorkSpace's properties show.

use crate::plan::modify::volume_steps;
use crate::plan::{AttributeChange, Modification, Value};
use crate::spec::is_graphics;
use crate::workspace_properties::{
    Compared, ENCRYPTION_AT_CREATION, GlobalAccelerator, PROPERTIES, Protocol, Setting,
    WorkspaceProperties,
};

/// How a live WorkSpace's properties differ from the file's.
#[derive(Debug, PartialEq)]
pub(super) struct Diff {
    /// What AWS cannot change on an existing WorkSpace.
    pub replacing: Vec<AttributeChange>,
    /// Why each of `replacing` needs a new WorkSpace, for the plan's reason.
    pub why: Vec<&'static str>,
    /// What ModifyWorkspaceProperties changes, unless a volume would shrink.
    pub in_place: Result<InPlace, Shrink>,
}

/// The attributes ModifyWorkspaceProperties changes, and its requests: one
/// change a request, as AWS requires.
#[derive(Debug, Default, PartialEq)]
pub(super) struct InPlace {
    pub attributes: Vec<AttributeChange>,
    pub modifications: Vec<Modification>,
    /// A protocol change, which AWS makes only on an AVAILABLE WorkSpace
    /// (not a STOPPED one).
    pub needs_available: bool,
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

// Why a change needs a new WorkSpace, each from the source that says so.
/// The model: `WorkspaceName` is a member of the creation request only.
const NAME_AT_CREATION: &str = "AWS names a WorkSpace only when it is created";
/// The model documents no in-place change of `OperatingSystemName`, and
/// the admin guide's in-place upgrade (upgrade-windows-10-byol-workspaces)
/// cannot take Windows 10 to Windows 11.
const OS_AT_CREATION: &str = "AWS documents no in-place change of the operating system";
/// The model's `Protocols` doc and AWS's blog on converting WorkSpaces to
/// WSP: PCoIP to WSP only.
const WSP_TO_PCOIP: &str = "AWS changes the protocol in place only from PCoIP to WSP";
/// The model's `Protocols` doc: unavailable for Windows 7 and GPU-based
/// bundles.
const PROTOCOL_FIXED: &str =
    "AWS does not change the protocol of a Windows 7 or graphics WorkSpace in place";

impl WorkspaceProperties {
    /// From these (live) properties to `desired`. What the file leaves unset
    /// does not differ.
    pub(super) fn diff(&self, desired: &WorkspaceProperties) -> Diff {
        let mut replacing = Replacing::default();
        let mut by_table = InPlace::default();
        compare_by_table(self, desired, &mut by_table, &mut replacing);
        encryption_key(self, desired, &mut replacing);
        created_with(self, desired, &mut replacing);
        // The table's replacements come first and its in-place changes
        // last, where the plan has always listed them.
        let in_place = in_place(self, desired, &mut replacing).map(|mut change| {
            change.attributes.extend(by_table.attributes);
            change.modifications.extend(by_table.modifications);
            change
        });
        Diff {
            replacing: replacing.attributes,
            why: replacing.why,
            in_place,
        }
    }

    /// Each attribute a new WorkSpace gets and its value, as a plan shows
    /// it: what is left to the bundle, or not encrypted, is left out;
    /// Global Accelerator shows as its two members.
    pub(super) fn creation_values(&self) -> Vec<(&'static str, Value)> {
        let mut values = Vec::new();
        for (key, setting) in self.settings() {
            match setting {
                None => {}
                Some(Setting::Flag(false)) if key.ends_with("_encryption") => {}
                Some(Setting::GlobalAccelerator(aga)) => {
                    values.push(("global_accelerator.mode", text(&aga.mode)));
                    if let Some(protocol) = &aga.preferred_protocol {
                        values.push(("global_accelerator.preferred_protocol", text(protocol)));
                    }
                }
                Some(setting) => values.push((key, value(setting))),
            }
        }
        values
    }
}

/// A property's value as a plan shows it; Global Accelerator's is its mode.
fn value(setting: Setting<'_>) -> Value {
    match setting {
        Setting::Text(s) => text(s),
        Setting::Number(n) => number(n),
        Setting::Flag(on) => Value::Bool(on),
        Setting::Protocol(p) => text(p.as_str()),
        Setting::GlobalAccelerator(aga) => text(&aga.mode),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn number(n: i32) -> Value {
    Value::Number(n.into())
}

/// The attributes only a replacement changes, and why, each reason once.
#[derive(Default)]
struct Replacing {
    attributes: Vec<AttributeChange>,
    why: Vec<&'static str>,
}

impl Replacing {
    fn compare(&mut self, name: &'static str, before: Value, after: Value, why: &'static str) {
        if let Some(change) = replaced(name, before, after) {
            self.attributes.push(change);
            if !self.why.contains(&why) {
                self.why.push(why);
            }
        }
    }
}

/// The properties the table says how to compare: each one the file sets,
/// against the live value or what AWS leaving it unreported means.
fn compare_by_table(
    live: &WorkspaceProperties,
    desired: &WorkspaceProperties,
    in_place: &mut InPlace,
    replacing: &mut Replacing,
) {
    let pairs = PROPERTIES
        .iter()
        .zip(live.settings())
        .zip(desired.settings());
    for ((property, (_, before)), (_, after)) in pairs {
        let Some(after) = after else {
            continue;
        };
        match property.compared {
            Compared::ByItsOwnRule => {}
            Compared::InPlace {
                unreported,
                request,
            } => {
                let before = before.or(unreported);
                if before != Some(after) {
                    in_place.show(property.key, before.map(value), value(after));
                    in_place.modifications.extend(request(desired));
                }
            }
            Compared::Replaced { unreported, why } => {
                if let Some(before) = before.or(unreported) {
                    replacing.compare(property.key, value(before), value(after), why);
                }
            }
        }
    }
}

/// The key, when the file encrypts a volume.
fn encryption_key(live: &WorkspaceProperties, desired: &WorkspaceProperties, out: &mut Replacing) {
    if desired.encrypts() {
        let key =
            |p: &WorkspaceProperties| text(p.volume_encryption_key.as_deref().unwrap_or_default());
        out.compare(
            "volume_encryption_key",
            key(live),
            key(desired),
            ENCRYPTION_AT_CREATION,
        );
    }
}

/// The name and the operating system, compared only when AWS reports them:
/// the model says a user's WorkSpace may have no name, and a value AWS
/// never reports would otherwise replace the WorkSpace on every plan.
fn created_with(live: &WorkspaceProperties, desired: &WorkspaceProperties, out: &mut Replacing) {
    for (name, before, after, why) in [
        (
            "workspace_name",
            &live.workspace_name,
            &desired.workspace_name,
            NAME_AT_CREATION,
        ),
        (
            "operating_system_name",
            &live.operating_system_name,
            &desired.operating_system_name,
            OS_AT_CREATION,
        ),
    ] {
        if let (Some(before), Some(after)) = (before, after) {
            out.compare(name, text(before), text(after), why);
        }
    }
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

/// Running mode, compute type, volumes, protocol and Global Accelerator; a
/// protocol change AWS does not make in place goes to `replacing`.
fn in_place(
    live: &WorkspaceProperties,
    desired: &WorkspaceProperties,
    replacing: &mut Replacing,
) -> Result<InPlace, Shrink> {
    let mut change = InPlace::default();
    protocol(live, desired, &mut change, replacing);
    running_mode(live, desired, &mut change);
    compute_type(live, desired, &mut change);
    volumes(live, desired, &mut change)?;
    global_accelerator(live, desired, &mut change);
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

/// PCoIP to WSP in place, except on Windows 7 and graphics WorkSpaces;
/// WSP to PCoIP only by a new WorkSpace. Compared only when AWS reports
/// the live protocol.
fn protocol(
    live: &WorkspaceProperties,
    desired: &WorkspaceProperties,
    change: &mut InPlace,
    replacing: &mut Replacing,
) {
    let (Some(before), Some(after)) = (live.protocol, desired.protocol) else {
        return;
    };
    if before == after {
        return;
    }
    // The GPU-based bundles the model names are the graphics compute types.
    let fixed = live.operating_system_name.as_deref() == Some("WINDOWS_7")
        || live.compute_type.as_deref().is_some_and(is_graphics);
    let why = match (before, after) {
        (Protocol::Pcoip, Protocol::Wsp) if !fixed => {
            change.show(
                "protocols",
                Some(text(before.as_str())),
                text(after.as_str()),
            );
            change
                .modifications
                .push(Modification::Protocol { protocol: after });
            change.needs_available = true;
            return;
        }
        (Protocol::Pcoip, _) => PROTOCOL_FIXED,
        (Protocol::Wsp, _) => WSP_TO_PCOIP,
    };
    replacing.compare(
        "protocols",
        text(before.as_str()),
        text(after.as_str()),
        why,
    );
}

/// In place (the model's ModifyWorkspaceProperties takes it). A preferred
/// protocol the file leaves unset keeps the live one.
fn global_accelerator(
    live: &WorkspaceProperties,
    desired: &WorkspaceProperties,
    change: &mut InPlace,
) {
    let Some(wanted) = &desired.global_accelerator else {
        return;
    };
    let live_aga = live.global_accelerator.as_ref();
    let live_mode = live_aga.map(|a| a.mode.as_str());
    let live_protocol = live_aga.and_then(|a| a.preferred_protocol.as_deref());
    let mode_differs = live_mode != Some(wanted.mode.as_str());
    let protocol_differs = wanted
        .preferred_protocol
        .as_deref()
        .is_some_and(|p| live_protocol != Some(p));
    if mode_differs {
        change.show(
            "global_accelerator.mode",
            live_mode.map(text),
            text(&wanted.mode),
        );
    }
    if let (true, Some(protocol)) = (protocol_differs, &wanted.preferred_protocol) {
        change.show(
            "global_accelerator.preferred_protocol",
            live_protocol.map(text),
            text(protocol),
        );
    }
    if mode_differs || protocol_differs {
        change.modifications.push(Modification::GlobalAccelerator {
            global_accelerator: GlobalAccelerator {
                mode: wanted.mode.clone(),
                preferred_protocol: wanted
                    .preferred_protocol
                    .clone()
                    .or_else(|| live_protocol.map(str::to_owned)),
            },
        });
    }
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
            p.root_volume_encryption = Some(true);
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
            .map(|(name, _)| name)
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

    fn names(changes: &[AttributeChange]) -> Vec<&str> {
        changes.iter().map(|a| a.name.as_ref()).collect()
    }

    fn on(protocol: Protocol) -> WorkspaceProperties {
        with(|p| p.protocol = Some(protocol))
    }

    #[test]
    fn pcoip_to_wsp_is_one_modification_that_needs_an_available_workspace() {
        let diff = on(Protocol::Pcoip).diff(&on(Protocol::Wsp));
        assert_eq!(diff.replacing, []);
        let change = in_place(diff);
        assert_eq!(
            change.attributes,
            [AttributeChange {
                name: "protocols".into(),
                before: Some(text("pcoip")),
                after: Some(text("wsp")),
                forces_replacement: false,
            }]
        );
        assert_eq!(
            change.modifications,
            [Modification::Protocol {
                protocol: Protocol::Wsp
            }]
        );
        assert!(change.needs_available);
    }

    #[test]
    fn wsp_to_pcoip_is_a_replacement_and_says_why() {
        let diff = on(Protocol::Wsp).diff(&on(Protocol::Pcoip));
        assert_eq!(names(&diff.replacing), ["protocols"]);
        assert!(diff.replacing[0].forces_replacement);
        assert_eq!(diff.why, [WSP_TO_PCOIP]);
        assert_eq!(in_place(diff), InPlace::default());
    }

    #[test]
    fn graphics_and_windows_7_workspaces_keep_their_protocol() {
        let graphics = with(|p| {
            p.protocol = Some(Protocol::Pcoip);
            p.compute_type = Some("GRAPHICS_G4DN".to_owned());
        });
        let wanted = with(|p| {
            p.protocol = Some(Protocol::Wsp);
            p.compute_type = None;
        });
        let diff = graphics.diff(&wanted);
        assert_eq!(names(&diff.replacing), ["protocols"]);
        assert_eq!(diff.why, [PROTOCOL_FIXED]);
        let windows_7 = with(|p| {
            p.protocol = Some(Protocol::Pcoip);
            p.operating_system_name = Some("WINDOWS_7".to_owned());
        });
        assert_eq!(windows_7.diff(&on(Protocol::Wsp)).why, [PROTOCOL_FIXED]);
    }

    #[test]
    fn a_protocol_aws_does_not_report_is_not_compared() {
        let diff = standard().diff(&on(Protocol::Pcoip));
        assert_eq!(diff.replacing, []);
        assert_eq!(in_place(diff), InPlace::default());
        let diff = on(Protocol::Wsp).diff(&standard());
        assert_eq!(in_place(diff), InPlace::default());
    }

    #[test]
    fn an_operating_system_change_is_a_replacement() {
        let windows = |name: &str| with(|p| p.operating_system_name = Some(name.to_owned()));
        let diff = windows("WINDOWS_10").diff(&windows("WINDOWS_11"));
        assert_eq!(
            diff.replacing,
            [AttributeChange {
                name: "operating_system_name".into(),
                before: Some(text("WINDOWS_10")),
                after: Some(text("WINDOWS_11")),
                forces_replacement: true,
            }]
        );
        assert_eq!(diff.why, [OS_AT_CREATION]);
        assert_eq!(
            windows("WINDOWS_11").diff(&windows("WINDOWS_11")).replacing,
            []
        );
        assert_eq!(standard().diff(&windows("WINDOWS_11")).replacing, []);
    }

    #[test]
    fn a_name_is_given_at_creation_only() {
        let named = |name: &str| with(|p| p.workspace_name = Some(name.to_owned()));
        let diff = named("alice-dev").diff(&named("alice-build"));
        assert_eq!(names(&diff.replacing), ["workspace_name"]);
        assert_eq!(diff.why, [NAME_AT_CREATION]);
        // AWS may keep no name for a user's WorkSpace: not a difference.
        assert_eq!(standard().diff(&named("alice-dev")).replacing, []);
        assert_eq!(named("alice-dev").diff(&standard()).replacing, []);
    }

    #[test]
    fn encryption_the_file_leaves_unset_is_not_managed() {
        let encrypted = with(|p| {
            p.root_volume_encryption = Some(true);
            p.user_volume_encryption = Some(true);
            p.volume_encryption_key = Some("alias/workspaces".to_owned());
        });
        assert_eq!(encrypted.diff(&standard()).replacing, []);
        let diff = encrypted.diff(&with(|p| p.user_volume_encryption = Some(false)));
        assert_eq!(names(&diff.replacing), ["user_volume_encryption"]);
        assert_eq!(diff.why, [ENCRYPTION_AT_CREATION]);
    }

    #[test]
    fn each_reason_for_a_replacement_is_given_once() {
        let live = with(|p| {
            p.protocol = Some(Protocol::Wsp);
            p.workspace_name = Some("a1".to_owned());
        });
        let desired = with(|p| {
            p.protocol = Some(Protocol::Pcoip);
            p.workspace_name = Some("a2".to_owned());
            p.root_volume_encryption = Some(true);
            p.user_volume_encryption = Some(true);
            p.volume_encryption_key = Some("alias/workspaces".to_owned());
        });
        let diff = live.diff(&desired);
        assert_eq!(
            names(&diff.replacing),
            [
                "root_volume_encryption",
                "user_volume_encryption",
                "volume_encryption_key",
                "workspace_name",
                "protocols"
            ]
        );
        assert_eq!(
            diff.why,
            [ENCRYPTION_AT_CREATION, NAME_AT_CREATION, WSP_TO_PCOIP]
        );
    }

    fn accelerated(mode: &str, preferred_protocol: Option<&str>) -> WorkspaceProperties {
        with(|p| {
            p.global_accelerator = Some(GlobalAccelerator {
                mode: mode.to_owned(),
                preferred_protocol: preferred_protocol.map(str::to_owned),
            })
        })
    }

    #[test]
    fn global_accelerator_changes_in_place_keeping_an_unmanaged_protocol() {
        let live = accelerated("DISABLED", Some("TCP"));
        let change = in_place(live.diff(&accelerated("ENABLED_AUTO", None)));
        assert_eq!(names(&change.attributes), ["global_accelerator.mode"]);
        assert_eq!(
            change.modifications,
            [Modification::GlobalAccelerator {
                global_accelerator: GlobalAccelerator {
                    mode: "ENABLED_AUTO".to_owned(),
                    preferred_protocol: Some("TCP".to_owned()),
                }
            }]
        );
        let change = in_place(live.diff(&accelerated("DISABLED", Some("NONE"))));
        assert_eq!(
            names(&change.attributes),
            ["global_accelerator.preferred_protocol"]
        );
        assert!(!change.needs_available);
        let unreported = in_place(standard().diff(&accelerated("INHERITED", None)));
        assert_eq!(unreported.attributes[0].before, None);
        assert_eq!(
            in_place(live.diff(&accelerated("DISABLED", None))),
            InPlace::default()
        );
    }

    #[test]
    fn nested_virtualization_changes_in_place_and_unreported_is_off() {
        let nested = |on: bool| with(|p| p.nested_virtualization = Some(on));
        let change = in_place(standard().diff(&nested(true)));
        assert_eq!(
            change.attributes,
            [AttributeChange {
                name: "nested_virtualization".into(),
                before: Some(Value::Bool(false)),
                after: Some(Value::Bool(true)),
                forces_replacement: false,
            }]
        );
        assert_eq!(
            change.modifications,
            [Modification::NestedVirtualization { enabled: true }]
        );
        assert_eq!(
            in_place(standard().diff(&nested(false))),
            InPlace::default()
        );
        assert_eq!(in_place(nested(true).diff(&standard())), InPlace::default());
    }

    #[test]
    fn a_new_workspace_shows_every_property_it_sets() {
        let everything = with(|p| {
            p.root_volume_encryption = Some(true);
            p.user_volume_encryption = Some(false);
            p.volume_encryption_key = Some("alias/workspaces".to_owned());
            p.protocol = Some(Protocol::Wsp);
            p.operating_system_name = Some("WINDOWS_11".to_owned());
            p.global_accelerator = Some(GlobalAccelerator {
                mode: "ENABLED_AUTO".to_owned(),
                preferred_protocol: Some("TCP".to_owned()),
            });
            p.nested_virtualization = Some(false);
            p.workspace_name = Some("alice-dev".to_owned());
        });
        let shown: Vec<(&str, Value)> = everything.creation_values().into_iter().skip(5).collect();
        assert_eq!(
            shown,
            [
                ("root_volume_encryption", Value::Bool(true)),
                ("volume_encryption_key", text("alias/workspaces")),
                ("protocols", text("wsp")),
                ("operating_system_name", text("WINDOWS_11")),
                ("global_accelerator.mode", text("ENABLED_AUTO")),
                ("global_accelerator.preferred_protocol", text("TCP")),
                ("nested_virtualization", Value::Bool(false)),
                ("workspace_name", text("alice-dev")),
            ]
        );
    }
}
