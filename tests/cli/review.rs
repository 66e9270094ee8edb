//! What reviewers read cannot lie: names that become tag values are checked
//! as tag values, and characters that hide or reorder text are shown
//! escaped in the plan a pull request shows.

use crate::harness::{Bed, DIRECTORY, STANDARD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_written_into_tags_are_checked_as_tag_values() {
    let bed = Bed::new().await;
    for name in [
        "a,b",
        "smile\u{1f600}",
        "evil\u{202e}txt",
        "zero\u{200b}width",
    ] {
        bed.fleet(&format!(
            "[settings]\nstack = \"names\"\n\n[workspaces.\"{name}\"]\ndirectory_id = \"{DIRECTORY}\"\nuser = \"someone\"\nbundle = \"{STANDARD}\"\n"
        ));
        let run = bed.wsctl(&["validate"]).await.failure();
        assert!(
            run.stderr
                .contains("the WorkSpace name (its `wsctl:name` tag) cannot contain"),
            "{name:?}: {}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_request_comment_shows_a_bidirectional_override_escaped() {
    let bed = Bed::new().await;
    bed.fleet(&format!(
        "[settings]\nstack = \"review\"\n\n[workspaces.mallory]\ndirectory_id = \"{DIRECTORY}\"\nuser = \"admin\u{202e}nimda\"\nbundle = \"{STANDARD}\"\n"
    ));
    for format in ["markdown", "human"] {
        let plan = bed.wsctl(&["plan", "--format", format]).await.success();
        assert!(
            !plan.stdout.contains('\u{202e}'),
            "{format}: a raw override reached the reader"
        );
        assert!(
            plan.stdout.contains("admin\\u{202e}nimda"),
            "{format}: {}",
            plan.stdout
        );
    }
}
