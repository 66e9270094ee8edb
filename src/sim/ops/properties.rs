//! WorkSpace properties: what a create or modify request may ask for, and
//! the admin guide's rules for changing them in place (notes §8.2).

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Ctx, parse};
use crate::sim::account::{Bundle, Image, Modification, Properties, Workspace, state};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::validate::{
    AGA_MODES, AGA_PROTOCOLS, COMPUTE_TYPES, DATA_REPLICATION, OPERATING_SYSTEM_NAMES, PROTOCOLS,
    RUNNING_MODES, one_of, range, required, workspace_id,
};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PropertiesInput {
    running_mode: Option<String>,
    running_mode_auto_stop_timeout_in_minutes: Option<i64>,
    root_volume_size_gib: Option<i64>,
    user_volume_size_gib: Option<i64>,
    compute_type_name: Option<String>,
    protocols: Option<Vec<String>>,
    operating_system_name: Option<String>,
    global_accelerator: Option<GlobalAcceleratorInput>,
    /// The members the simulator has no rule for, as sent.
    #[serde(flatten)]
    other: Map<String, Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GlobalAcceleratorInput {
    mode: Option<String>,
    preferred_protocol: Option<String>,
}

impl PropertiesInput {
    pub(super) fn check(&self) -> ApiResult<()> {
        let p = "WorkspaceProperties";
        if let Some(m) = &self.running_mode {
            one_of(m, &format!("{p}.RunningMode"), RUNNING_MODES)?;
        }
        if let Some(t) = self.running_mode_auto_stop_timeout_in_minutes {
            // The model: "Configured in 60-minute intervals".
            if t <= 0 || t % 60 != 0 {
                return Err(ApiError::invalid(format!(
                    "{p}.RunningModeAutoStopTimeoutInMinutes must be a positive multiple of 60; got {t}."
                )));
            }
        }
        for (member, size) in [
            ("RootVolumeSizeGib", self.root_volume_size_gib),
            ("UserVolumeSizeGib", self.user_volume_size_gib),
        ] {
            if let Some(size) = size {
                range(size, &format!("{p}.{member}"), 1, 2000)?;
            }
        }
        if let Some(c) = &self.compute_type_name {
            one_of(c, &format!("{p}.ComputeTypeName"), COMPUTE_TYPES)?;
        }
        for protocol in self.protocols.iter().flatten() {
            one_of(protocol, &format!("{p}.Protocols"), PROTOCOLS)?;
        }
        if let Some(os) = &self.operating_system_name {
            one_of(
                os,
                &format!("{p}.OperatingSystemName"),
                OPERATING_SYSTEM_NAMES,
            )?;
        }
        if let Some(ga) = &self.global_accelerator {
            let mode = required(ga.mode.as_deref(), "GlobalAccelerator.Mode")?;
            one_of(mode, "GlobalAccelerator.Mode", AGA_MODES)?;
            if let Some(proto) = &ga.preferred_protocol {
                one_of(proto, "GlobalAccelerator.PreferredProtocol", AGA_PROTOCOLS)?;
            }
        }
        Ok(())
    }
}

/// Windows or Linux: a WorkSpace's operating system name may be corrected
/// within its family (say after an in-place upgrade), never across.
/// `UNKNOWN` belongs to both.
fn os_family(os: &str) -> Option<bool> {
    (os != "UNKNOWN").then(|| os.starts_with("WINDOWS"))
}

fn is_graphics(compute: &str) -> bool {
    compute.starts_with("GRAPHICS")
}

/// The root/user size pairs the admin guide allows (notes §8.2).
fn volumes_allowed(compute: &str, root: i64, user: i64) -> Result<(), String> {
    let max = 2000;
    let ok = if is_graphics(compute) {
        (100..=max).contains(&root) && (100..=max).contains(&user)
    } else {
        matches!((root, user), (80, 10) | (80, 50) | (80, 100))
            || ((175..=max).contains(&root) && (100..=max).contains(&user))
    };
    if ok {
        return Ok(());
    }
    Err(if is_graphics(compute) {
        format!(
            "Graphics: Invalid root and user volume size selected. Root and user volume size (GB) must be (100+|100+); got ({root}|{user})."
        )
    } else {
        format!(
            "Invalid root and user volume size ({root}|{user}). Allowed (GB): (80|10), (80|50), (80|100), (175-2000|100-2000)."
        )
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ModifyInput {
    workspace_id: Option<String>,
    workspace_properties: Option<PropertiesInput>,
    data_replication: Option<String>,
}

pub(super) fn modify(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: ModifyInput = parse(body)?;
    let id = required(input.workspace_id, "WorkspaceId")?;
    workspace_id(&id, "WorkspaceId")?;
    if let Some(d) = &input.data_replication {
        one_of(d, "DataReplication", DATA_REPLICATION)?;
    }
    let props = input.workspace_properties.unwrap_or_default();
    props.check()?;
    let now = ctx.now;
    let until = ctx.settled_at();
    let ws = ctx
        .account
        .workspaces
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found(&id, "WorkSpace"))?;
    if input.data_replication.is_some() {
        return Err(ApiError::unsupported_config(
            "The simulator has no standby WorkSpaces; DataReplication cannot be set.",
        ));
    }
    if ws.state != state::AVAILABLE && ws.state != state::STOPPED {
        return Err(ApiError::state(format!(
            "WorkSpace {id} is {}; its properties can be modified only when AVAILABLE or STOPPED.",
            ws.state
        )));
    }
    if ws.modification.as_ref().is_some_and(|m| m.until > now) {
        return Err(ApiError::in_progress(format!(
            "The properties of WorkSpace {id} are being modified. Try again in a moment."
        )));
    }
    let resource = plan_modification(ws, &props)?;
    apply_modification(ws, props);
    ws.modification = resource.map(|resource| Modification {
        resource: resource.to_owned(),
        until,
    });
    Ok(json!({}))
}

/// Checks a property change against the admin guide's rules (notes §8.2)
/// and names the resource whose modification it starts, if any.
fn plan_modification(ws: &Workspace, p: &PropertiesInput) -> ApiResult<Option<&'static str>> {
    let cur = &ws.properties;
    let changed = |new: Option<i64>, old: i64| new.is_some_and(|n| n != old);
    let root_changed = changed(p.root_volume_size_gib, cur.root_volume_gib);
    let user_changed = changed(p.user_volume_size_gib, cur.user_volume_gib);
    let compute_changed = p
        .compute_type_name
        .as_ref()
        .is_some_and(|c| *c != cur.compute_type);
    if compute_changed && (root_changed || user_changed) {
        return Err(ApiError::invalid(
            "The compute type and a volume size cannot be changed in the same request.",
        ));
    }
    if root_changed && user_changed {
        return Err(ApiError::invalid(
            "The root and user volumes cannot be resized in the same request.",
        ));
    }
    let root = p.root_volume_size_gib.unwrap_or(cur.root_volume_gib);
    let user = p.user_volume_size_gib.unwrap_or(cur.user_volume_gib);
    if root < cur.root_volume_gib || user < cur.user_volume_gib {
        return Err(ApiError::invalid(format!(
            "Volumes cannot shrink: ({}|{}) → ({root}|{user}).",
            cur.root_volume_gib, cur.user_volume_gib
        )));
    }
    if root_changed || user_changed {
        volumes_allowed(&cur.compute_type, root, user).map_err(ApiError::invalid)?;
    }
    if let Some(c) = &p.compute_type_name
        && compute_changed
        && (is_graphics(c) || is_graphics(&cur.compute_type))
    {
        return Err(ApiError::invalid(format!(
            "Compute type {} cannot be changed to {c} in place; migrate to another bundle.",
            cur.compute_type
        )));
    }
    let protocol_changed = p.protocols.as_ref().is_some_and(|v| *v != cur.protocols);
    // The model's Protocols doc: not for GPU bundles or Windows 7.
    if protocol_changed
        && (is_graphics(&cur.compute_type)
            || cur.operating_system_name.as_deref() == Some("WINDOWS_7"))
    {
        return Err(ApiError::unsupported_config(format!(
            "The protocol of WorkSpace {} ({}, {}) cannot be changed: not for GPU-based bundles or Windows 7.",
            ws.id,
            cur.compute_type,
            cur.operating_system_name.as_deref().unwrap_or("UNKNOWN")
        )));
    }
    if let Some(os) = &p.operating_system_name
        && let Some(current) = &cur.operating_system_name
        && let (Some(to), Some(from)) = (os_family(os), os_family(current))
        && to != from
    {
        return Err(ApiError::unsupported_config(format!(
            "WorkSpace {} runs {current}; its operating system name cannot become {os}, another family.",
            ws.id
        )));
    }
    if protocol_changed
        && p.protocols
            .as_ref()
            .is_some_and(|v| v.iter().any(|x| x == "PCOIP"))
    {
        return Err(ApiError::invalid(
            "The protocol can only be changed from PCOIP to WSP.",
        ));
    }
    Ok(if root_changed {
        Some("ROOT_VOLUME")
    } else if user_changed {
        Some("USER_VOLUME")
    } else if compute_changed {
        Some("COMPUTE_TYPE")
    } else if protocol_changed {
        Some("PROTOCOL")
    } else {
        None
    })
}

fn apply_modification(ws: &mut Workspace, p: PropertiesInput) {
    let cur = &mut ws.properties;
    if let Some(m) = p.running_mode {
        cur.running_mode = m;
    }
    if let Some(t) = p.running_mode_auto_stop_timeout_in_minutes {
        cur.auto_stop_timeout_minutes = Some(t);
    }
    if let Some(r) = p.root_volume_size_gib {
        cur.root_volume_gib = r;
    }
    if let Some(u) = p.user_volume_size_gib {
        cur.user_volume_gib = u;
    }
    if let Some(c) = p.compute_type_name {
        cur.compute_type = c;
    }
    if let Some(protocols) = p.protocols {
        cur.protocols = protocols;
    }
    if let Some(os) = p.operating_system_name {
        cur.operating_system_name = Some(os);
    }
    if let Some(ga) = p.global_accelerator {
        cur.global_accelerator = Some((ga.mode.unwrap_or_default(), ga.preferred_protocol));
    }
    cur.other.extend(sent(p.other));
}

/// The members a request sets: null is not a value.
fn sent(members: Map<String, Value>) -> impl Iterator<Item = (String, Value)> {
    members.into_iter().filter(|(_, value)| !value.is_null())
}

/// The properties of a new WorkSpace: the bundle's, overridden by the
/// request's within the allowed volume sizes.
pub(super) fn initial_properties(
    bundle: &Bundle,
    image: Option<&Image>,
    requested: Option<PropertiesInput>,
) -> Result<Properties, (&'static str, String)> {
    let p = requested.unwrap_or_default();
    let compute = p
        .compute_type_name
        .unwrap_or_else(|| bundle.compute_type.clone());
    let root = p.root_volume_size_gib.unwrap_or(bundle.root_gib);
    let user = p.user_volume_size_gib.unwrap_or(bundle.user_gib);
    let invalid = "InvalidParameterValuesException";
    if root < bundle.root_gib || user < bundle.user_gib {
        return Err((
            invalid,
            format!(
                "Volumes ({root}|{user}) are smaller than bundle {}'s ({}|{}).",
                bundle.id, bundle.root_gib, bundle.user_gib
            ),
        ));
    }
    volumes_allowed(&compute, root, user).map_err(|m| (invalid, m))?;
    // A WorkSpace launched without a running mode is ALWAYS_ON ("leave the
    // running mode as AlwaysOn when you launch the WorkSpace", AWS knowledge
    // center, workspace-modify-running-mode), as the plan's prices assume.
    let running_mode = p.running_mode.unwrap_or_else(|| "ALWAYS_ON".to_owned());
    // The console's default AutoStop time is one hour.
    let timeout = p
        .running_mode_auto_stop_timeout_in_minutes
        .or((running_mode == "AUTO_STOP").then_some(60));
    let default_protocol = image.map_or("PCOIP", |i| i.protocol.as_str());
    Ok(Properties {
        running_mode,
        auto_stop_timeout_minutes: timeout,
        root_volume_gib: root,
        user_volume_gib: user,
        compute_type: compute,
        protocols: p
            .protocols
            .unwrap_or_else(|| vec![default_protocol.to_owned()]),
        operating_system_name: p
            .operating_system_name
            .or_else(|| image.map(|i| i.os_name.clone())),
        global_accelerator: p
            .global_accelerator
            .map(|g| (g.mode.unwrap_or_default(), g.preferred_protocol)),
        other: sent(p.other).collect(),
    })
}
