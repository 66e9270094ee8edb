//! Desired state: the fleet file's types, loading with spans, validation.

mod model;

pub use model::*;
