//! wsctl: Amazon WorkSpaces fleets as code.
//!
//! The pipeline reads in the module list: `spec` (the fleet file) →
//! `graph` (references between resources) → `live` (what the account has) →
//! `plan` (the diff, a pure function) → `render` (human, JSON) → `apply`
//! (carry the plan out). `sim` is a WorkSpaces-compatible endpoint beside it.

#[macro_use]
mod output;

pub mod address;
pub mod apply;
pub mod aws;
pub mod commands;
pub mod diagnostic;
pub mod graph;
pub mod identity;
pub mod live;
pub mod plan;
pub mod render;
#[cfg(test)]
mod schema_check;
pub mod sim;
pub mod spec;
