//! wsctl: Amazon WorkSpaces fleets as code.
//!
//! The pipeline reads in the module list: `spec` (the fleet file) →
//! `graph` (references between resources) → `live` (what the account has) →
//! `plan` (the diff, a pure function) → `render` (human, JSON) → `apply`
//! (carry the plan out). `sim` is a WorkSpaces-compatible endpoint beside it.
//! Under them: `aws` (the clients, retries, the call limit, API errors),
//! `identity` (natural keys and ownership tags), `workspace_properties` (a
//! WorkSpace's configuration, as the file, the account and a plan hold it),
//! `directory_settings` (a registered directory's settings groups, likewise),
//! `states` (the states AWS reports for WorkSpaces, images, directories and
//! aliases),
//! `address`, `diagnostic`, `input` (the user's files, bounded in size),
//! `visible` (what a reader could not see, escaped), `toml_text` (TOML as
//! import writes it).
//! `kinds` holds each resource kind's own code, on the base only; the
//! pipeline's engines use it.
//! `import` is the pipeline backwards: live state → fleet file text.
//! `usage` judges the stack's WorkSpaces by their hours and prices, and
//! `tune`s the fleet file's running modes to match (a reviewed edit).
//! Above them all, `commands` turns arguments into an exit code; nothing
//! below uses it (`tests/architecture.rs` checks that, and that the modules
//! form no cycle).

#[macro_use]
mod output;

pub mod address;
pub mod apply;
pub mod aws;
pub mod clock;
pub mod commands;
pub mod diagnostic;
pub mod directory_settings;
mod file_table;
pub mod graph;
pub mod identity;
pub mod import;
pub mod input;
#[cfg(test)]
mod input_fuzz_test;
pub mod kinds;
pub mod live;
pub mod money;
pub mod plan;
pub mod prices;
pub mod render;
#[cfg(test)]
mod schema_check;
pub mod sim;
pub mod spec;
pub mod states;
mod toml_text;
pub mod usage;
mod visible;
pub mod workspace_properties;
