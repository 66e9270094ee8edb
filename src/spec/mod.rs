//! Desired state: the fleet file's types, loading with spans, validation.

mod load;
mod model;
mod origins;
mod raw;
mod rules;
mod schema;
mod validate;

pub use load::{load, parse, read_file};
pub use model::*;
pub use rules::{is_graphics, is_region};
pub use schema::schema;
