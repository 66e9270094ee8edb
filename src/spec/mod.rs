//! Desired state: the fleet file's types, loading with spans, validation.

mod load;
mod model;
mod raw;
mod schema;
mod validate;

pub(crate) use crate::file_table::rules;
pub(crate) use crate::kinds::ip_group::{MAX_DIRECTORY_IP_GROUPS, is_ip_group_id};
pub use load::{load, parse, read_file};
pub use model::*;
pub(crate) use rules::{
    MAX_USER_TAGS, TAG_KEY_LENGTH, TAG_VALUE_LENGTH, is_access_endpoint_id, is_arn, is_bundle_id,
    is_certificate_authority_arn, is_connection_string, is_description, is_directory_id,
    is_image_id, is_resource_name, is_security_group_id, is_subnet_id, is_tag_char, is_tag_space,
    is_user_access_url, is_user_name, is_workspace_name, operating_system_names, tag_problem,
};
pub use rules::{is_graphics, is_region};
pub use schema::schema;
