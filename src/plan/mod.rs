//! The plan: a pure function of (fleet, live state). No I/O happens here, so
//! every decision is unit-tested on plain data.

mod action;
mod diff;
mod modify;

pub use action::*;
pub use diff::plan;

#[cfg(test)]
mod tests;
