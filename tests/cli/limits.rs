//! Safety and limits through the binary: exit codes that mean one thing,
//! odd flag values refused without a panic, bounded files, bounded waits.

use std::time::{Duration, Instant};

use crate::harness::{Bed, fleet_of};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_1_so_detailed_exitcode_2_only_means_changes() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("usage", 1, ""));
    for args in [
        &["plan", "--detailed-exitcode", "--target", "bogus"][..],
        &["plan", "--detailed-exitcode", "--formt", "json"],
        &["plan", "--detailed-exitcode", "--format", "yaml"],
        &["plan", "--parallelism", "0"],
        &["nonsense"],
    ] {
        let run = bed.wsctl(args).await;
        assert_eq!(run.code, 1, "{args:?}: {run:#?}");
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
    }
    let help = bed.wsctl(&["plan", "--help"]).await;
    assert_eq!(help.code, 0, "{help:#?}");
    assert_eq!(bed.calls("DescribeWorkspaces"), 0, "nothing was read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_or_odd_flag_values_are_refused_without_a_panic() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("odd", 1, ""));
    for (args, says) in [
        (
            &["--endpoint-url", "", "plan"][..],
            "http:// or https:// URL",
        ),
        (
            &["--endpoint-url", "ftp://x", "plan"],
            "http:// or https:// URL",
        ),
        (&["--region", "", "plan"], "a region is"),
        (&["--region", "US East", "plan"], "a region is"),
        (&["--profile", "", "plan"], "error:"),
        (&["--call-timeout", "0", "plan"], "error:"),
    ] {
        // Run as given: the test bed would add an endpoint of its own.
        let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_wsctl"))
            .args(args)
            .current_dir(bed.path(""))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .await
            .expect("wsctl runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_file_that_never_ends_is_refused_before_it_fills_memory() {
    let bed = Bed::new().await;
    let run = bed.wsctl(&["validate", "-f", "/dev/zero"]).await.failure();
    assert!(
        run.stderr
            .contains("cannot read `/dev/zero`: it is larger than 64 MiB, the limit"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_endpoint_ends_the_run_naming_it_and_the_call() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    // Accepts every connection and never answers.
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("silent", 1, ""));
    let started = Instant::now();
    let run = bed
        .wsctl_at(&url, &["--call-timeout", "2", "plan"])
        .await
        .failure();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(
        run.stderr
            .starts_with(&format!("error: {url} did not answer: ")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("failed: Timeout"), "{}", run.stderr);
    silent.abort();
}
