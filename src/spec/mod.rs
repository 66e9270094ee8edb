//! Desired state: the fleet file's types, loading with spans, validation.

mod load;
mod model;
mod raw;
mod rules;
mod validate;

pub use load::{load, parse};
pub use model::*;
