//! `tune` on plain text: what moves, what stays byte for byte.

use super::report::Since;
use super::tune::{Proposal, TuneError, Tuned, tune};
use super::verdict::Verdict;

const HEAD: &str = r#"#:schema ./schema/fleet.schema.json
# The engineering fleet.
[settings]
stack = "eng"   # the ownership tag

[defaults.workspace]
directory_id = "d-1234567890"
bundle = "Standard with Windows 10 (Server 2022 based)"
running_mode = "AUTO_STOP"  # most people work part-time
auto_stop_timeout_minutes = 120
"#;

fn file(workspaces: &str) -> String {
    format!("{HEAD}{workspaces}")
}

fn proposal(name: &str, verdict: Verdict) -> Proposal {
    Proposal {
        name: name.to_owned(),
        verdict,
        reason: format!("{name}'s reason"),
        since: None,
    }
}

fn tuned(text: &str, proposals: &[Proposal]) -> Tuned {
    let fleet = crate::spec::parse("fleet.toml", text).expect("a valid fleet");
    let tuned = tune("fleet.toml", text, &fleet, proposals).expect("tuned");
    crate::spec::parse("fleet.toml", &tuned.text).expect("the tuned file is valid");
    tuned
}

const FOUR: &str = r#"
# Alice works full days.
[workspaces.alice]

[workspaces.bob]
user = "bob"

[workspaces.carol]

[workspaces.dave]
"#;

#[test]
fn a_file_nothing_changes_in_is_kept_byte_for_byte() {
    let text = file(FOUR);
    let all_keep: Vec<Proposal> = ["alice", "bob", "carol", "dave"]
        .map(|n| proposal(n, Verdict::Keep))
        .to_vec();
    let result = tuned(&text, &all_keep);
    assert_eq!(result.text, text);
    assert!(result.edits.is_empty());
}

#[test]
fn a_minority_that_moves_gets_its_own_line_and_loses_the_timeout() {
    let text = file(FOUR);
    let result = tuned(&text, &[proposal("alice", Verdict::MoveToAlwaysOn)]);
    let expected = file(
        r#"
# Alice works full days.
[workspaces.alice]
running_mode = "ALWAYS_ON"

[workspaces.bob]
user = "bob"

[workspaces.carol]

[workspaces.dave]
"#,
    );
    assert_eq!(result.text, expected);
    assert_eq!(result.edits.len(), 1);
    assert_eq!(result.edits[0].address, "workspace.alice");
    assert_eq!(result.edits[0].change, "running_mode AUTO_STOP → ALWAYS_ON");
    assert_eq!(result.edits[0].reason, "alice's reason");
}

#[test]
fn when_most_move_the_default_moves_and_those_that_stay_keep_their_mode() {
    let text = file(FOUR);
    let result = tuned(
        &text,
        &[
            proposal("alice", Verdict::MoveToAlwaysOn),
            proposal("bob", Verdict::MoveToAlwaysOn),
            proposal("carol", Verdict::MoveToAlwaysOn),
            proposal("dave", Verdict::Keep),
        ],
    );
    assert!(
        result
            .text
            .contains("running_mode = \"ALWAYS_ON\"  # most people work part-time\n"),
        "the value changes, its comment stays:\n{}",
        result.text
    );
    assert!(
        !result
            .text
            .contains("auto_stop_timeout_minutes = 120\n\n# Alice")
    );
    assert!(
        result.text.ends_with(
            "[workspaces.dave]\nrunning_mode = \"AUTO_STOP\"\nauto_stop_timeout_minutes = 120\n"
        ),
        "{}",
        result.text
    );
    let addresses: Vec<&str> = result.edits.iter().map(|e| e.address.as_str()).collect();
    assert_eq!(
        addresses,
        ["defaults.workspace", "defaults.workspace", "workspace.dave"]
    );
    assert_eq!(result.edits[2].reason, "keeps AUTO_STOP: the default moved");
}

#[test]
fn tune_false_on_a_workspace_or_the_defaults_leaves_modes_alone() {
    let text = file(&FOUR.replace("[workspaces.bob]\n", "[workspaces.bob]\ntune = false\n"));
    let result = tuned(&text, &[proposal("bob", Verdict::MoveToAlwaysOn)]);
    assert_eq!(result.text, text);
    // Opted out, bob keeps AUTO_STOP when the default moves.
    let result = tuned(
        &text,
        &["alice", "bob", "carol", "dave"].map(|n| proposal(n, Verdict::MoveToAlwaysOn)),
    );
    assert!(
        result
            .text
            .contains("[workspaces.bob]\ntune = false\nuser = \"bob\"\nrunning_mode = \"AUTO_STOP\"\nauto_stop_timeout_minutes = 120\n"),
        "{}",
        result.text
    );
    let off = text.replace(
        "auto_stop_timeout_minutes = 120\n",
        "auto_stop_timeout_minutes = 120\ntune = false\n",
    );
    let result = tuned(
        &off,
        &["alice", "bob", "carol", "dave"].map(|n| proposal(n, Verdict::MoveToAlwaysOn)),
    );
    assert_eq!(result.text, off);
}

#[test]
fn an_unused_workspace_gets_a_comment_once_and_loses_it_when_used() {
    let text = file(FOUR);
    let unused = Proposal {
        since: Some(Since::LastConnected(1_790_000_000)),
        ..proposal("carol", Verdict::Unused)
    };
    let once = tuned(&text, std::slice::from_ref(&unused));
    assert!(
        once.text.contains(
            "user = \"bob\"\n\n# wsctl tune: unused, no connection since 2026-09-21\n[workspaces.carol]\n"
        ),
        "{}",
        once.text
    );
    let twice = tuned(&once.text, &[unused]);
    assert_eq!(twice.text, once.text);
    assert!(twice.edits.is_empty());
    let used = tuned(&once.text, &[proposal("carol", Verdict::Keep)]);
    assert_eq!(used.text, text);
    let never = Proposal {
        since: Some(Since::Never),
        ..proposal("alice", Verdict::Unused)
    };
    let commented = tuned(&text, &[never]);
    assert!(
        commented.text.contains(
            "# Alice works full days.\n# wsctl tune: unused, never connected\n[workspaces.alice]"
        ),
        "{}",
        commented.text
    );
}

#[test]
fn inline_tables_are_edited_in_place() {
    let text = file("\n[workspaces]\nalice = { user = \"alice\" }\nbob = {}\ncarol = {}\n");
    let carol = Proposal {
        since: Some(Since::Never),
        ..proposal("carol", Verdict::Unused)
    };
    let one = tuned(
        &text,
        &[proposal("alice", Verdict::MoveToAlwaysOn), carol.clone()],
    );
    assert!(
        one.text.ends_with(
            "alice = { user = \"alice\", running_mode = \"ALWAYS_ON\" }\nbob = {}\n# wsctl tune: unused, never connected\ncarol = {}\n"
        ),
        "{}",
        one.text
    );
    let two = tuned(
        &text,
        &[
            proposal("alice", Verdict::MoveToAlwaysOn),
            proposal("bob", Verdict::MoveToAlwaysOn),
            carol,
        ],
    );
    assert!(
        two.text.ends_with(
            "alice = { user = \"alice\" }\nbob = {}\n# wsctl tune: unused, never connected\ncarol = { running_mode = \"AUTO_STOP\", auto_stop_timeout_minutes = 120 }\n"
        ),
        "{}",
        two.text
    );
}

#[test]
fn a_workspace_written_with_dotted_keys_is_refused_naming_it() {
    let text = file("\n[workspaces]\nalice.user = \"alice\"\nbob = {}\ncarol = {}\n");
    let fleet = crate::spec::parse("fleet.toml", &text).expect("a valid fleet");
    let error = tune(
        "fleet.toml",
        &text,
        &fleet,
        &[proposal("alice", Verdict::MoveToAlwaysOn)],
    )
    .expect_err("no place for the edit");
    assert!(matches!(error, TuneError::CannotPlace { .. }));
    let message = error.to_string();
    assert!(
        message.starts_with("fleet.toml: workspace.alice is written with dotted keys"),
        "{message}"
    );
    // Nothing to change there: no error.
    assert!(
        tune(
            "fleet.toml",
            &text,
            &fleet,
            &[proposal("alice", Verdict::Keep)]
        )
        .is_ok()
    );
}

#[test]
fn a_move_to_auto_stop_under_an_always_on_default() {
    let text = file(FOUR).replace(
        "running_mode = \"AUTO_STOP\"  # most people work part-time\nauto_stop_timeout_minutes = 120\n",
        "running_mode = \"ALWAYS_ON\"\n",
    );
    let result = tuned(&text, &[proposal("dave", Verdict::MoveToAutoStop)]);
    assert!(
        result
            .text
            .ends_with("[workspaces.dave]\nrunning_mode = \"AUTO_STOP\"\n"),
        "{}",
        result.text
    );
}
