//! An account and files as a hostile user makes them, through the binary
//! (issue 20): tag values AWS refuses that an account still holds, control
//! and bidirectional characters, and a line no terminal should print whole.

use aws_sdk_workspaces::error::ProvideErrorMetadata;
use serde_json::Value;
use wsctl::sim::SimConfig;

use crate::harness::Bed;
use crate::support::{quick, simulator, tag};

/// What a reader could not see, or that reorders what they see: control
/// characters, bidirectional controls and zero-width characters. The line
/// break is the one control character output may hold.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'
            | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[track_caller]
fn assert_nothing_hidden(what: &str, text: &str) {
    let raw: Vec<char> = text.chars().filter(|&c| hidden(c)).collect();
    assert!(raw.is_empty(), "{what} holds {raw:?} raw:\n{text}");
}

/// Every string in `value` that is `from` made `to`.
fn replace_strings(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(text) if text == from => *text = to.to_owned(),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_strings(v, from, to)),
        Value::Object(members) => members
            .values_mut()
            .for_each(|v| replace_strings(v, from, to)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_holding_odd_values_imports_to_a_file_that_validates_and_only_adopts() {
    let state = tempfile::tempdir().expect("state dir");
    let config = || SimConfig {
        state_file: Some(state.path().join("sim.json")),
        ..quick()
    };
    let bed = Bed::with(config()).await;
    bed.create_by_hand("alice", &[("team", "eng")]).await;
    bed.create_by_hand("evil\u{202e}txt.exe", &[("team", "eng")])
        .await;
    bed.create_by_hand("quote", &[("team", "placeholder-quote")])
        .await;
    bed.create_by_hand("escape", &[("team", "placeholder-escape")])
        .await;
    // AWS refuses these values today, and so does the simulator; an
    // account tagged before, or by a path that did not check, holds them
    // still. Its state file stands in for that account.
    let Bed { sim, dir } = bed;
    sim.shutdown().await;
    let file = state.path().join("sim.json");
    let mut account: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("state")).expect("JSON");
    replace_strings(&mut account, "placeholder-quote", "a\"b");
    replace_strings(&mut account, "placeholder-escape", "a\u{1b}]0;owned\u{7}");
    std::fs::write(&file, account.to_string()).expect("state written");
    let bed = Bed {
        sim: simulator(config()).await,
        dir,
    };

    let run = bed
        .wsctl(&["import", "--stack", "hostile", "-o", "fleet.toml"])
        .await
        .success();
    assert_nothing_hidden("import's output", &run.stderr);
    let text = std::fs::read_to_string(bed.path("fleet.toml")).expect("the file");
    assert_nothing_hidden("the file", &text);
    for line in [
        "(user quote in d-1234567890): the file cannot hold its tag `team`: the value cannot contain `\"`\n",
        "(user escape in d-1234567890): the file cannot hold its tag `team`: the value cannot contain `\\u{1b}`\n",
        "\n\"evil_txt.exe\" = { user = \"evil\\u202Etxt.exe\" }\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }

    bed.wsctl(&["validate"]).await.success();
    let plan = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let plan: Value = serde_json::from_str(&plan.stdout).expect("JSON");
    let counts = &plan["summary"];
    for action in ["create", "update", "migrate", "replace", "delete", "heal"] {
        assert_eq!(counts[action], 0, "{action}: {counts}");
    }
    assert!(counts["adopt"].as_u64() >= Some(2), "{counts}");
    for format in ["human", "markdown"] {
        let shown = bed.wsctl(&["plan", "--format", format]).await.success();
        assert_nothing_hidden(format, &shown.stdout);
        assert!(
            shown.stdout.contains("evil\\u{202e}txt.exe"),
            "{}",
            shown.stdout
        );
    }
}

#[tokio::test]
async fn the_simulator_refuses_the_tags_aws_refuses() {
    let bed = Bed::new().await;
    let id = bed.create_by_hand("alice", &[]).await;
    let client = bed.client();
    for value in ["a\"b", "a\u{1b}b", "x ", "aws:x"] {
        let refused = client
            .create_tags()
            .resource_id(&id)
            .tags(tag("team", value))
            .send()
            .await
            .expect_err(value);
        assert_eq!(
            refused.code(),
            Some("InvalidParameterValuesException"),
            "{value:?}"
        );
    }
    let fine = client
        .create_tags()
        .resource_id(&id)
        .tags(tag("équipe", "Zoë 日本 a+b=c.d_e:f/g@h-i"))
        .send()
        .await;
    assert!(fine.is_ok(), "{fine:?}");
}

#[tokio::test]
async fn a_diagnostic_shows_escape_and_bidi_characters_escaped() {
    let bed = Bed::new().await;
    bed.fleet(concat!(
        "[settings]\n",
        "stack = \"s\"\n",
        "\n",
        "[workspaces.alice]\n",
        "directory_id = \"d-1234567890\"\n",
        "bundle = \"Standard with Windows 10 (Server 2022 based)\"\n",
        "tags = { team = \"a\\u001b]0;owned\\u0007\", \"evil\u{202e}\" = \"x\" }\n",
    ));
    let run = bed.wsctl(&["validate"]).await.failure();
    assert_nothing_hidden("the diagnostics", &run.stderr);
    for shown in [
        "error: a tag value cannot contain `\\u{1b}`",
        "error: a tag key cannot contain `\\u{202e}`",
        "\"evil\\u{202e}\" = \"x\"",
    ] {
        assert!(run.stderr.contains(shown), "{shown}\n{}", run.stderr);
    }
}

#[tokio::test]
async fn a_long_line_is_cut_around_the_error() {
    let bed = Bed::new().await;
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    bed.fleet(&format!("[settings]\nstack = \"s\"\nx = {deep}\n"));
    let run = bed.wsctl(&["validate"]).await.failure();
    assert!(
        run.stderr.contains("fleet.toml:3:"),
        "{}",
        &run.stderr[..run.stderr.len().min(2_000)]
    );
    assert!(run.stderr.contains("[[[[…"), "{}", run.stderr);
    assert!(run.stderr.len() < 2_000, "{} bytes", run.stderr.len());
}
