//! Arbitrary input never panics the readers of the user's files: the
//! fleet loader and the saved-plan reader answer any bytes with a plan, a
//! fleet or errors.

use proptest::prelude::*;

/// Fleet-file-shaped noise: TOML punctuation, the file's own keys and
/// values, and anything else.
fn fleetish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("[settings]\n".to_owned()),
        Just("stack = \"s\"\n".to_owned()),
        Just("[workspaces.a]\n".to_owned()),
        Just("[defaults.workspace]\n".to_owned()),
        Just("[images.i]\n".to_owned()),
        Just("[bundles.b]\n".to_owned()),
        Just("image = \"i\"\n".to_owned()),
        Just("update_of = \"i\"\n".to_owned()),
        Just("directory_id = \"d-1234567890\"\n".to_owned()),
        Just("bundle = \"b\"\n".to_owned()),
        Just("root_volume_gib = 80\n".to_owned()),
        Just("tags = { a = \"b\" }\n".to_owned()),
        Just("\"".to_owned()),
        Just("=".to_owned()),
        any::<String>(),
    ];
    proptest::collection::vec(pieces, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_fleet_loader_answers_any_text(text in fleetish()) {
        let _ = crate::spec::parse("fleet.toml", &text)
            .map(|fleet| crate::graph::ResourceGraph::build(&fleet).is_ok());
    }

    #[test]
    fn the_fleet_loader_answers_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = crate::spec::parse("fleet.toml", &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn the_plan_reader_answers_any_text(text in any::<String>()) {
        let _ = crate::plan::parse_saved("plan.json", &text);
        let json = format!("{{\"format_version\":\"1\",\"wsctl_version\":\"{}\",{text}}}", env!("CARGO_PKG_VERSION"));
        let _ = crate::plan::parse_saved("plan.json", &json);
    }
}
