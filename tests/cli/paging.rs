//! Paging is bounded and honest: an endpoint that answers every page of a
//! listing with the same next token ends the run with an error naming the
//! operation, after two pages — never a loop, never a plan on the first
//! page only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use serde_json::{Value, json};

use crate::harness::{Bed, fleet_of};

/// Requests per operation the fake endpoint answered.
type Counts = Arc<Mutex<HashMap<String, u64>>>;

/// An endpoint that answers `looping` with its page again and again (the
/// same token every time), and every other call with an empty answer and
/// one registered directory, so a plan reaches the looping listing.
async fn looping_endpoint(looping: &'static str) -> (String, Counts) {
    let counts: Counts = Arc::default();
    let seen = Arc::clone(&counts);
    let app = axum::Router::new().route(
        "/",
        axum::routing::post(move |headers: HeaderMap| {
            let seen = Arc::clone(&seen);
            async move {
                let target = headers
                    .get("x-amz-target")
                    .and_then(|t| t.to_str().ok())
                    .unwrap_or_default();
                let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
                *seen
                    .lock()
                    .expect("counts")
                    .entry(operation.clone())
                    .or_default() += 1;
                let mut body = match operation.as_str() {
                    "DescribeWorkspaceDirectories" => json!({"Directories": [
                        {"DirectoryId": "d-1234567890", "State": "REGISTERED"}
                    ]}),
                    _ => json!({}),
                };
                if operation == looping {
                    body["NextToken"] = json!("the-same-token");
                    body["PaginationToken"] = json!("the-same-token");
                }
                (
                    [("content-type", "application/x-amz-json-1.1")],
                    body.to_string(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, counts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_next_token_that_never_changes_ends_every_listing_with_an_error() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("paging", 1, ""));
    let cases: [(&str, &[&str]); 6] = [
        ("GetResources", &["plan"]),
        ("DescribeWorkspaceImages", &["plan"]),
        ("DescribeWorkspaceBundles", &["plan"]),
        (
            "DescribeWorkspaces",
            &["plan", "--tag-reads", "per-resource"],
        ),
        ("DescribeIpGroups", &["import", "--stack", "paging"]),
        (
            "DescribeConnectionAliases",
            &["import", "--stack", "paging"],
        ),
    ];
    for (looping, args) in cases {
        let (url, counts) = looping_endpoint(looping).await;
        let run = bed.wsctl_at(&url, args).await;
        assert_eq!(run.code, 1, "{looping}: {run:#?}");
        assert!(
            run.stderr
                .contains(&format!("{looping} failed: RepeatedNextToken")),
            "{looping}: {run:#?}"
        );
        // Two pages, then the repeat is seen; images are two listings
        // (the account's own and those shared with it), read at once.
        let pages = counts
            .lock()
            .expect("counts")
            .get(looping)
            .copied()
            .unwrap_or(0);
        assert!((2..=4).contains(&pages), "{looping}: {pages} pages");
        let document: Option<Value> = serde_json::from_str(&run.stdout).ok();
        assert!(
            document.is_none() && !run.stdout.contains("No changes"),
            "{looping}: no plan on part of a listing: {run:#?}"
        );
    }
}
