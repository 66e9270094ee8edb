//! The test bed: a simulator started as a library with short delays, a
//! temporary directory for fleet files, and the `wsctl` binary run against
//! the simulator over loopback HTTP with the real SDK. Starting, calling
//! and waiting on the simulator is `tests/support`, shared with the
//! simulator's own tests.

use std::path::PathBuf;
use std::process::Stdio;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    RunningMode, WorkspaceProperties, WorkspaceRequest, WorkspaceState,
};
use tempfile::TempDir;
use wsctl::sim::{self, Sim, SimConfig};

pub(crate) use crate::support::quick;
use crate::support::{STANDARD_BUNDLE, raw, simulator, tag, wait_state};

pub(crate) const DIRECTORY: &str = sim::SEED_DIRECTORY_ID;
pub(crate) const STANDARD: &str = "Standard with Windows 10 (Server 2022 based)";

pub(crate) struct Bed {
    pub(crate) sim: Sim,
    pub(crate) dir: TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn success(self) -> Run {
        assert_eq!(self.code, 0, "expected success:\n{self:#?}");
        self
    }

    #[track_caller]
    pub(crate) fn failure(self) -> Run {
        assert_eq!(self.code, 1, "expected exit code 1:\n{self:#?}");
        self
    }
}

impl Bed {
    pub(crate) async fn new() -> Bed {
        Bed::with(quick()).await
    }

    pub(crate) async fn with(config: SimConfig) -> Bed {
        let dir = tempfile::tempdir().expect("temporary directory");
        let sim = simulator(config).await;
        Bed { sim, dir }
    }

    /// Replaces the simulator with one on the same state file (`config`
    /// must name it), as a restart with other faults would.
    pub(crate) async fn restart(self, config: SimConfig) -> Bed {
        let Bed { sim, dir } = self;
        sim.shutdown().await;
        let sim = simulator(config).await;
        Bed { sim, dir }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `fleet.toml`.
    pub(crate) fn fleet(&self, text: &str) -> &Bed {
        std::fs::write(self.path("fleet.toml"), text).expect("fleet file written");
        self
    }

    pub(crate) async fn wsctl(&self, args: &[&str]) -> Run {
        self.wsctl_at(&self.sim.url(), args).await
    }

    /// Runs wsctl against another endpoint than the simulator.
    pub(crate) async fn wsctl_at(&self, endpoint: &str, args: &[&str]) -> Run {
        let output = self
            .command(endpoint, args)
            .stdin(Stdio::null())
            .output()
            .await
            .expect("wsctl runs");
        Run::from(output)
    }

    /// Runs wsctl on a terminal (through `script`), typing `answer` at it.
    pub(crate) async fn wsctl_on_terminal(&self, args: &[&str], answer: &str) -> Run {
        use tokio::io::AsyncWriteExt;
        let mut line = vec![
            env!("CARGO_BIN_EXE_wsctl").to_owned(),
            "--endpoint-url".to_owned(),
            self.sim.url(),
        ];
        line.extend(args.iter().map(|a| (*a).to_owned()));
        let mut script = tokio::process::Command::new("script");
        script
            .args(["-qec", &line.join(" "), "/dev/null"])
            .current_dir(self.dir.path())
            .envs(self.environment())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut running = script.spawn().expect("script runs");
        let mut stdin = running.stdin.take().expect("stdin");
        stdin
            .write_all(format!("{answer}\n").as_bytes())
            .await
            .expect("answer typed");
        drop(stdin);
        Run::from(running.wait_with_output().await.expect("script finishes"))
    }

    /// Starts wsctl and leaves it running.
    pub(crate) fn spawn(&self, args: &[&str]) -> tokio::process::Child {
        self.started(args, Stdio::null)
    }

    /// Starts wsctl with its output kept, for `wait_with_output`.
    pub(crate) fn spawn_captured(&self, args: &[&str]) -> tokio::process::Child {
        self.started(args, Stdio::piped)
    }

    fn started(&self, args: &[&str], output: fn() -> Stdio) -> tokio::process::Child {
        self.command(&self.sim.url(), args)
            .stdin(Stdio::null())
            .stdout(output())
            .stderr(output())
            .spawn()
            .expect("wsctl starts")
    }

    fn environment(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        vec![
            ("AWS_ACCESS_KEY_ID", "AKIDTEST".into()),
            ("AWS_SECRET_ACCESS_KEY", "secret".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_CONFIG_FILE", self.path("no-aws-config").into()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                self.path("no-aws-credentials").into(),
            ),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("NO_COLOR", "1".into()),
            // A fixed day for files that say when they were written
            // (`wsctl import`): 2026-11-29.
            ("SOURCE_DATE_EPOCH", "1795996799".into()),
            // Each bed keeps its prices to itself, never in the user's cache.
            ("WSCTL_CACHE_DIR", self.path("cache").into()),
        ]
    }

    fn command(&self, endpoint: &str, args: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_wsctl"));
        command
            .arg("--endpoint-url")
            .arg(endpoint)
            .args(args)
            .current_dir(self.dir.path())
            .envs(self.environment());
        command
    }
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Bed {
    /// The simulator's account as `GET /_sim/state` shows it.
    pub(crate) async fn sim_state(&self) -> serde_json::Value {
        crate::support::state(&self.sim).await
    }

    /// Makes AWS report an update for `image_id`, as it does when new
    /// WorkSpaces agents and drivers come out.
    pub(crate) async fn publish_update(&self, image_id: &str) {
        self.sim_http("POST", &format!("/_sim/images/{image_id}/update"))
            .await;
    }

    /// The id of the account's image called `name`.
    pub(crate) async fn image_named(&self, name: &str) -> String {
        let state = self.sim_state().await;
        state["images"]
            .as_object()
            .and_then(|images| images.values().find(|i| i["name"] == name))
            .and_then(|i| i["id"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no image named {name}"))
    }

    /// A `POST` to one of the simulator's `/_sim/` controls.
    pub(crate) async fn sim_post(&self, path: &str) -> serde_json::Value {
        self.sim_http("POST", path).await
    }

    /// A call to one of the simulator's `/_sim/` controls, which must
    /// succeed; its JSON answer, if it has one.
    pub(crate) async fn sim_http(&self, method: &str, path: &str) -> serde_json::Value {
        let response = raw(&self.sim, method, path, None, "").await;
        assert_eq!(response.status, 200, "{method} {path}: {}", response.head);
        serde_json::from_str(&response.body).unwrap_or(serde_json::Value::Null)
    }

    pub(crate) fn client(&self) -> Client {
        crate::support::client(&self.sim)
    }

    /// How many resources GetResources lists as `stack`'s now.
    pub(crate) async fn tagged(&self, stack: &str) -> usize {
        use aws_sdk_resourcegroupstagging::types::TagFilter;
        let client = crate::support::tagging(&self.sim);
        let filter = TagFilter::builder()
            .key("wsctl:stack")
            .values(stack)
            .build();
        client
            .get_resources()
            .tag_filters(filter)
            .send()
            .await
            .expect("GetResources")
            .resource_tag_mapping_list()
            .len()
    }

    pub(crate) fn calls(&self, operation: &str) -> u64 {
        self.sim.stats().get(operation).requests
    }

    /// Every WorkSpace in the account (any state), with its tags.
    pub(crate) async fn workspaces(
        &self,
    ) -> Vec<(aws_sdk_workspaces::types::Workspace, Vec<(String, String)>)> {
        let client = self.client();
        let mut found = Vec::new();
        let mut pages = client.describe_workspaces().into_paginator().items().send();
        while let Some(workspace) = pages.next().await {
            let workspace = workspace.expect("DescribeWorkspaces");
            let id = workspace.workspace_id().unwrap_or_default().to_owned();
            let tags = client
                .describe_tags()
                .resource_id(&id)
                .send()
                .await
                .expect("DescribeTags")
                .tag_list()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().unwrap_or_default().to_owned()))
                .collect();
            found.push((workspace, tags));
        }
        found
    }

    /// Creates a WorkSpace behind wsctl's back and waits until it is
    /// AVAILABLE.
    pub(crate) async fn create_by_hand(&self, user: &str, tags: &[(&str, &str)]) -> String {
        let request = WorkspaceRequest::builder()
            .directory_id(DIRECTORY)
            .user_name(user)
            .bundle_id(STANDARD_BUNDLE)
            // The running mode the tests' fleets give it, so that adopting
            // it changes nothing else.
            .workspace_properties(
                WorkspaceProperties::builder()
                    .running_mode(RunningMode::AutoStop)
                    .build(),
            )
            .set_tags(Some(tags.iter().map(|(k, v)| tag(k, v)).collect()))
            .build()
            .expect("request");
        let client = self.client();
        let output = client
            .create_workspaces()
            .workspaces(request)
            .send()
            .await
            .expect("CreateWorkspaces");
        let id = output.pending_requests()[0]
            .workspace_id()
            .expect("id")
            .to_owned();
        wait_state(&client, &id, WorkspaceState::Available).await;
        id
    }
}

impl Bed {
    /// `text` with what differs from run to run masked, so a whole output
    /// can be compared: the temporary directory (`[dir]`), the simulator's
    /// URL (`[endpoint]`), WorkSpace ids (`ws-[1]`, `ws-[2]`… in the order
    /// they first appear) and timestamps (`[time]`).
    pub(crate) fn masked(&self, text: &str) -> String {
        let text = text
            .replace(&self.dir.path().display().to_string(), "[dir]")
            .replace(&self.sim.url(), "[endpoint]");
        mask_times(&mask_ids(&text))
    }
}

/// Each `ws-…` id as `ws-[n]`, numbered in the order of first appearance.
fn mask_ids(text: &str) -> String {
    let mut ids: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("ws-") {
        let starts_word = !rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let length = rest[at + 3..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        out.push_str(&rest[..at]);
        if !starts_word || length == 0 {
            out.push_str("ws-");
            rest = &rest[at + 3..];
            continue;
        }
        let id = &rest[at..at + 3 + length];
        let number = match ids.iter().position(|seen| *seen == id) {
            Some(index) => index + 1,
            None => {
                ids.push(id);
                ids.len()
            }
        };
        out.push_str(&format!("ws-[{number}]"));
        rest = &rest[at + 3 + length..];
    }
    out.push_str(rest);
    out
}

/// Each RFC 3339 timestamp (`2024-01-01T00:00:00.123Z`) as `[time]`.
fn mask_times(text: &str) -> String {
    let is_date = |s: &str| {
        let b = s.as_bytes();
        b.len() >= 11
            && b[..10].iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            })
            && b[10] == b'T'
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if is_date(rest) {
            let length = 11
                + rest[11..]
                    .bytes()
                    .take_while(|c| c.is_ascii_digit() || b":.+-Z".contains(c))
                    .count();
            out.push_str("[time]");
            rest = &rest[length..];
        } else {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            out.push_str(&rest[..digits]);
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn masking_hides_ids_and_times_but_keeps_the_rest() {
    assert_eq!(
        mask_ids("ws-abc12 and (ws-def34), ws-abc12; news-x, wsb-1 ws-"),
        "ws-[1] and (ws-[2]), ws-[1]; news-x, wsb-1 ws-"
    );
    assert_eq!(
        mask_times("taken 2024-01-01T00:00:00.123Z, at 2026-11-29T21:52:23+00:00; 2024-01-01 12"),
        "taken [time], at [time]; 2024-01-01 12"
    );
}

/// A fleet of `n` users through defaults.
pub(crate) fn fleet_of(stack: &str, users: usize, extra: &str) -> String {
    let mut text = format!(
        "[settings]\nstack = \"{stack}\"\n\n[defaults.workspace]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{STANDARD}\"\nrunning_mode = \"AUTO_STOP\"\n{extra}\n"
    );
    for i in 0..users {
        text.push_str(&format!("[workspaces.user{i:03}]\n"));
    }
    text
}
