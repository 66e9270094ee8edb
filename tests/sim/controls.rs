//! The `/_sim/` controls refuse what a web page could send; `sim serve`
//! warns when it listens beyond loopback and stops cleanly on SIGTERM.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use wsctl::sim::SimConfig;

use crate::common::*;

const RESET: &str = "/_sim/reset";

#[tokio::test]
async fn a_cross_site_reset_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let (sim, client) = start(SimConfig {
        state_file: Some(path.clone()),
        ..quick()
    })
    .await;
    let id = create(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    let log = dir.path().join("sim.json.log");
    let saved = std::fs::read(&log).expect("the log of changes");

    // What a web page can send: a form post from its own origin.
    let form = raw_with(
        sim.addr(),
        "POST",
        RESET,
        &[
            ("Origin", "https://evil.example"),
            ("Content-Type", "text/plain"),
        ],
        "{}",
    )
    .await;
    assert_eq!(form.status, 403, "{}", form.body);
    assert_eq!(form.json()["__type"], "CrossSiteRequestRefused");
    let message = form.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("Origin header"), "{message}");

    let json_from_a_page = raw_with(
        sim.addr(),
        "POST",
        RESET,
        &[
            ("Origin", "https://evil.example"),
            ("Content-Type", "application/json"),
        ],
        "{}",
    )
    .await;
    assert_eq!(json_from_a_page.status, 403, "{}", json_from_a_page.body);

    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/x-amz-json-1.1"),
        None,
    ] {
        let headers: Vec<_> = content_type
            .map(|c| ("Content-Type", c))
            .into_iter()
            .collect();
        let r = raw_with(sim.addr(), "POST", RESET, &headers, "{}").await;
        assert_eq!(r.status, 415, "{content_type:?}: {}", r.body);
        assert_eq!(r.json()["__type"], "UnsupportedMediaType");
        let message = r.json()["message"].as_str().unwrap_or_default().to_owned();
        assert!(
            message.contains("accept only Content-Type: application/json"),
            "{message}"
        );
        let found = content_type.map_or("none".to_owned(), |c| format!("{c:?}"));
        assert!(message.ends_with(&format!("is {found}.")), "{message}");
    }

    // The other controls are guarded the same way.
    for control in [
        format!("/_sim/workspaces/{id}/state/ERROR"),
        "/_sim/images/wsi-nothing/update".to_owned(),
    ] {
        let headers = [("Content-Type", "text/plain")];
        let r = raw_with(sim.addr(), "POST", &control, &headers, "").await;
        assert_eq!(r.status, 415, "{control}: {}", r.body);
    }

    assert_eq!(
        std::fs::read(&log).expect("the log of changes"),
        saved,
        "the log of changes is as it was"
    );
    assert!(!path.exists(), "the state file is not written either");
    let workspace = &state(&sim).await["workspaces"][&id];
    assert_eq!(workspace["user_name"], "alice", "still there: {workspace}");
    assert_ne!(workspace["state"], "ERROR", "not forced: {workspace}");

    let allowed = raw_with(
        sim.addr(),
        "POST",
        RESET,
        &[("Content-Type", "application/json; charset=utf-8")],
        "",
    )
    .await;
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    assert!(state(&sim).await["workspaces"].get(&id).is_none());
    let reset: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("state file")).expect("JSON");
    assert_eq!(reset["workspaces"], serde_json::json!({}), "saved reset");
}

#[tokio::test]
async fn reads_and_the_api_are_not_guarded() {
    let (sim, _client) = sim().await;
    let origin = ("Origin", "https://evil.example");
    for read in ["/_sim/state", "/_sim/stats", "/_sim/log"] {
        let r = raw_with(sim.addr(), "GET", read, &[origin], "").await;
        assert_eq!(r.status, 200, "{read}: {}", r.body);
    }
    let api = raw_with(
        sim.addr(),
        "POST",
        "/",
        &[
            origin,
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "WorkspacesService.DescribeAccount"),
        ],
        "{}",
    )
    .await;
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(api.json()["DedicatedTenancySupport"], "DISABLED");
}

/// `wsctl sim serve` with `args`, its output piped; and the address from
/// its first line.
async fn serve(args: &[&str]) -> (tokio::process::Child, SocketAddr) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_wsctl"))
        .args(["sim", "serve"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("wsctl sim serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .await
        .expect("first line");
    let addr = line
        .trim()
        .strip_prefix("wsctl simulator listening on http://")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("the URL line: {line}"));
    (child, addr)
}

/// Sends `signal` to `child` and returns its exit code and standard error.
async fn stop(mut child: tokio::process::Child, signal: &str) -> (Option<i32>, String) {
    let pid = child.id().expect("running").to_string();
    let kill = std::process::Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .await
        .expect("stderr");
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("stops within 10 s")
        .expect("exit status");
    (status.code(), stderr)
}

/// Waits until `count` API requests have reached the simulator at `addr`,
/// for at most 10 s.
async fn arrived(addr: SocketAddr, count: u64) {
    for _ in 0..200 {
        let stats = raw_with(addr, "GET", "/_sim/stats", &[], "").await;
        if stats.json()["arrived"].as_u64() >= Some(count) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{count} requests did not reach the simulator within 10 s");
}

async fn create_ip_group(addr: SocketAddr, name: &str) -> RawResponse {
    raw_with(
        addr,
        "POST",
        "/",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "WorkspacesService.CreateIpGroup"),
        ],
        &format!(r#"{{"GroupName": "{name}"}}"#),
    )
    .await
}

fn saved_ip_groups(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("state file");
    let state: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let groups = state["ip_groups"].as_object().expect("ip_groups");
    let mut names: Vec<String> = groups
        .values()
        .filter_map(|g| g["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_serve_saves_and_exits_0_on_sigterm_finishing_the_request_under_way() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let state_file = path.to_str().expect("UTF-8 path");
    // Every answer waits, so a request is still under way when SIGTERM comes.
    let (child, addr) = serve(&[
        "--listen",
        "127.0.0.1:0",
        "--state",
        state_file,
        "--latency-ms",
        "1500",
    ])
    .await;
    let first = create_ip_group(addr, "office").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let log = dir.path().join("sim.json.log");
    let logged = std::fs::read_to_string(&log).expect("the log of changes");
    assert!(logged.contains(r#""name":"office""#), "{logged}");

    let under_way = tokio::spawn(create_ip_group(addr, "lab"));
    arrived(addr, 2).await;
    let (code, stderr) = stop(child, "-TERM").await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        !stderr.contains("warning"),
        "loopback: no warning: {stderr}"
    );
    let second = under_way.await.expect("the request task");
    assert_eq!(second.status, 200, "answered before exit: {}", second.body);
    assert_eq!(saved_ip_groups(&path), ["lab", "office"]);
    assert!(!log.exists(), "written into the state file at exit");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no half-written state: {leftovers:?}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_serve_beyond_loopback_warns_that_it_has_no_authentication() {
    // Only binds: no traffic goes to a non-loopback address.
    let (child, addr) = serve(&["--listen", "0.0.0.0:0"]).await;
    let (code, stderr) = stop(child, "-TERM").await;
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "warning: the simulator listens on 0.0.0.0:{}, which is not loopback; it has no authentication: anyone who can reach it can read and change its account",
            addr.port()
        )
    );
}
