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
pub use rules::is_region;
pub(crate) use rules::{
    MAX_USER_TAGS, bad_tag_char, is_bundle_id, is_description, is_directory_id, is_image_id,
    is_resource_name,
};
pub use schema::schema;
