//! The `wsctl` binary end to end against the simulator, through the real
//! SDK over loopback HTTP: one test binary, one module per feature.

#[path = "../support/mod.rs"]
mod support;

mod aliases;
mod bootstrap;
mod commands;
mod converge;
mod cost_report;
mod costs;
mod crash;
mod directory_settings;
mod environment;
mod harness;
mod heal;
mod hostile;
mod import;
mod limits;
mod order;
mod paging;
mod pipeline;
mod properties;
mod reads;
mod review;
mod sealed;
mod soak;
mod spine;
mod usage;
mod workflow;
