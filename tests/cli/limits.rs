//! Safety and limits through the binary: exit codes that mean one thing,
//! odd flag values refused without a panic, bounded files, bounded waits.

use std::time::{Duration, Instant};

use crate::harness::{Bed, fleet_of};
use crate::support::eventually;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_apply_says_what_aws_goes_on_with_and_what_never_started() {
    let bed = Bed::with(wsctl::sim::SimConfig {
        settle: Duration::from_secs(60),
        faults: wsctl::sim::Faults {
            latency: Duration::from_millis(200),
            ..wsctl::sim::Faults::default()
        },
        ..crate::harness::quick()
    })
    .await;
    bed.fleet(&fleet_of("stopme", 60, ""));
    let apply = bed.spawn_captured(&["apply", "--auto-approve", "--parallelism", "1"]);
    eventually("the first CreateWorkspaces call", || async {
        (bed.calls("CreateWorkspaces") >= 1).then_some(())
    })
    .await;
    let pid = apply.id().expect("running").to_string();
    let interrupted = Instant::now();
    let kill = tokio::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .await
        .expect("kill runs");
    assert!(kill.success());
    let output = tokio::time::timeout(Duration::from_secs(20), apply.wait_with_output())
        .await
        .expect("stops within 20 s, not after the 60 s WorkSpaces take")
        .expect("output");
    assert!(interrupted.elapsed() < Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Interrupted: no new call starts"),
        "{stderr}"
    );
    assert!(stdout.contains("Apply interrupted:"), "{stdout}");
    assert!(
        stdout.contains("the apply was interrupted; AWS goes on with the change"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not started: the apply was interrupted"),
        "{stdout}"
    );
    assert!(
        stderr.contains("error: apply interrupted: 0 of 60 changes done"),
        "{stderr}"
    );
    assert!(
        bed.calls("CreateWorkspaces") < 3,
        "the last call never started"
    );
}

/// Every read of a user's file goes through one bounded reader: for each
/// command that reads one, a device that never ends, a FIFO nobody writes
/// to, a directory and a file over the limit are each refused at once,
/// naming the file and what is wrong, before any call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_file_a_command_reads_is_a_bounded_regular_file() {
    let bed = Bed::new().await;
    bed.fleet(&crate::harness::fleet_of("limits", 1, ""));
    bed.wsctl(&["plan", "--out", "plan.json"]).await.success();
    let fifo = bed.path("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    // Sparse: as large as it says, without the disk or the time.
    let large_fleet = bed.path("large.toml");
    let large_plan = bed.path("large.json");
    for (path, size) in [(&large_fleet, 65 << 20), (&large_plan, 513 << 20)] {
        let file = std::fs::File::create(path).expect("created");
        file.set_len(size).expect("sized");
    }
    let directory = bed.path("cache");
    std::fs::create_dir_all(&directory).expect("a directory");
    let [fifo, large_fleet, large_plan, directory] =
        [fifo, large_fleet, large_plan, directory].map(|p| p.display().to_string());
    let bad = [
        ("/dev/zero", "it is a device, not a regular file"),
        (
            fifo.as_str(),
            "it is a FIFO (named pipe), not a regular file",
        ),
        (directory.as_str(), "it is a directory, not a regular file"),
    ];
    let before = bed.calls("DescribeAccount");
    for (path, says) in bad
        .iter()
        .chain(&[(large_fleet.as_str(), "it is larger than 64 MiB, the limit")])
    {
        for args in [
            vec!["validate", "-f", path],
            vec!["plan", "-f", path],
            vec!["apply", "--auto-approve", "-f", path],
        ] {
            let run = bed.wsctl(&args).await.failure();
            assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
            assert!(
                run.stderr.contains(path),
                "{args:?} names the file: {}",
                run.stderr
            );
        }
        // Beside a saved plan, the fleet at hand is read the same way.
        let run = bed
            .wsctl(&["apply", "--auto-approve", "-f", path, "plan.json"])
            .await
            .failure();
        assert!(
            run.stderr
                .contains(&format!("cannot read fleet file {path}: {says}")),
            "{}",
            run.stderr
        );
    }
    for (path, says) in bad
        .iter()
        .chain(&[(large_plan.as_str(), "it is larger than 512 MiB, the limit")])
    {
        for args in [vec!["apply", "--auto-approve", path], vec!["show", path]] {
            let run = bed.wsctl(&args).await.failure();
            assert!(
                run.stderr
                    .contains(&format!("cannot read plan file {path}: {says}")),
                "{args:?}: {}",
                run.stderr
            );
        }
    }
    assert_eq!(bed.calls("DescribeAccount"), before, "no file was planned");
    assert_eq!(bed.calls("CreateWorkspaces"), 0);
}

/// An endpoint that answers every request with `head` and then body bytes
/// without end, as a hostile or broken endpoint might.
async fn endless_endpoint(head: &'static str) -> (String, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let server = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 16 * 1024];
                if stream.read(&mut request).await.is_err()
                    || stream.write_all(head.as_bytes()).await.is_err()
                {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                let raw = !head.contains("chunked");
                let piece = if raw {
                    &chunk[7..chunk.len() - 2]
                } else {
                    &chunk
                };
                while stream.write_all(piece.as_bytes()).await.is_ok() {}
            });
        }
    });
    (url, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_response_is_refused_before_it_fills_memory() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("endless", 1, ""));
    for head in [
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/x-amz-json-1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2147483648\r\n\r\n",
    ] {
        let (url, server) = endless_endpoint(head).await;
        let started = Instant::now();
        let run = bed.wsctl_at(&url, &["plan"]).await.failure();
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{head:?}: {:?}",
            started.elapsed()
        );
        assert!(
            run.stderr
                .contains("the response is larger than 8 MiB, the most wsctl reads"),
            "{head:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        server.abort();
    }
}

/// `--deadline` ends a run that outlasts it: a plan with nothing changed,
/// an apply the way Ctrl-C does (calls in flight finish, waits stop, a
/// summary, exit 1).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_past_its_deadline_ends_drained_and_summarised() {
    let slow = Bed::with(wsctl::sim::SimConfig {
        faults: wsctl::sim::Faults {
            latency: std::time::Duration::from_millis(1500),
            ..wsctl::sim::Faults::default()
        },
        ..crate::harness::quick()
    })
    .await;
    slow.fleet(&fleet_of("deadline", 1, ""));
    let run = slow.wsctl(&["--deadline", "1s", "plan"]).await.failure();
    assert!(
        run.stderr.contains(
            "error: the deadline (1s, --deadline) passed before the run ended; nothing was changed"
        ),
        "{run:#?}"
    );

    // WorkSpaces take 30 s to become AVAILABLE: the apply is still waiting
    // when its deadline passes.
    let waiting = Bed::with(wsctl::sim::SimConfig {
        settle: std::time::Duration::from_secs(30),
        ..crate::harness::quick()
    })
    .await;
    waiting.fleet(&fleet_of("deadline", 3, ""));
    let started = std::time::Instant::now();
    let run = waiting
        .wsctl(&["--deadline", "4s", "apply", "--auto-approve"])
        .await
        .failure();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "it did not wait for AWS"
    );
    assert!(
        run.stderr.contains("The deadline (--deadline) has passed"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("Apply interrupted:"), "{run:#?}");
    assert!(
        run.stderr
            .contains("error: apply stopped at its deadline (4s): "),
        "{run:#?}"
    );
    assert_eq!(
        waiting.calls("CreateWorkspaces"),
        1,
        "the call in flight finished"
    );

    let run = waiting
        .wsctl(&["--deadline", "soon", "plan"])
        .await
        .failure();
    assert!(
        run.stderr
            .contains("a deadline is a duration such as 90s, 30m or 2h"),
        "{run:#?}"
    );
}
