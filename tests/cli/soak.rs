//! A soak: 500 WorkSpaces against a simulator that throttles, fails 5 % of
//! requests, refuses 10 % of batch items and lists new WorkSpaces late.
//! Apply converges within three rounds, with no duplicate and every
//! WorkSpace tagged with its stack.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::harness::{Bed, fleet_of, quick};
use wsctl::sim::{Faults, SimConfig};

const FLEET: usize = 500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_workspaces_converge_through_faults_within_three_applies() {
    let bed = Bed::with(SimConfig {
        visibility: Duration::from_millis(200),
        faults: Faults {
            max_requests_per_second: Some(50),
            server_error_rate: 0.05,
            failed_request_rate: 0.10,
            ..Faults::default()
        },
        seed: 7,
        ..quick()
    })
    .await;
    bed.fleet(&fleet_of("soak", FLEET, ""));
    let mut rounds = 0;
    loop {
        rounds += 1;
        let apply = bed.wsctl(&["apply", "--auto-approve"]).await;
        if apply.code == 0 {
            break;
        }
        assert!(
            rounds < 3,
            "not converged after {rounds} applies:\n{apply:#?}"
        );
    }
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(plan.code, 0, "{plan:#?}");

    let listed = bed.workspaces().await;
    let live: Vec<_> = listed
        .iter()
        .filter(|(w, _)| w.state().is_some_and(|s| s.as_str() != "TERMINATED"))
        .collect();
    assert_eq!(live.len(), FLEET, "no duplicate, none missing");
    let users: BTreeSet<&str> = live.iter().filter_map(|(w, _)| w.user_name()).collect();
    assert_eq!(users.len(), FLEET);
    assert!(
        live.iter()
            .all(|(_, tags)| tags.contains(&("wsctl:stack".to_owned(), "soak".to_owned()))),
        "every WorkSpace tagged"
    );
}
