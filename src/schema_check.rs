//! Test helpers for the committed JSON Schemas in `schema/`: that each file
//! is what the code generates now, and what a document's problems are.

use std::path::Path;

/// Fails unless `schema/NAME` holds `generated`, saying how to regenerate it.
pub(crate) fn assert_committed(name: &str, generated: &str, command: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/{name} is not what the code generates; regenerate it with\n\n    {command}\n"
    );
}

/// The committed `schema/NAME`, parsed.
pub(crate) fn committed(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{name} is not JSON: {error}"))
}

/// Every way `instance` breaks `schema`, one line each (empty when valid).
pub(crate) fn violations(schema: &serde_json::Value, instance: &serde_json::Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema)
        .unwrap_or_else(|error| panic!("not a usable JSON Schema: {error}"));
    validator
        .iter_errors(instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}
