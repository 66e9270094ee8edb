//! A client other than ours: the AWS CLI (from PyPI) against `wsctl sim serve`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

/// Kills the simulator when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn aws_cli_available() -> bool {
    Command::new("aws")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether `test` can run: the AWS CLI is required in CI, optional
/// elsewhere, where a test without it says that it was skipped.
fn aws_cli_or_skip(test: &str) -> bool {
    if aws_cli_available() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the AWS CLI is required in CI: pip install awscli"
    );
    // The test harness hides what `eprintln!` prints from a passing test;
    // a write to the stderr handle reaches the terminal, one line a test.
    let line = format!("skipped: aws CLI not found (pip install awscli): {test}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    false
}

/// `wsctl sim serve` on a free port, and the URL it prints.
fn serve() -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wsctl"))
        .args(["sim", "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start wsctl sim serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the listening line");
    let url = line
        .trim()
        .strip_prefix("wsctl simulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    (server, url)
}

/// Runs `aws --endpoint-url URL ARGS --output json` with test credentials
/// and returns its standard output.
fn aws(url: &str, args: &[&str]) -> String {
    let output = Command::new("aws")
        .args(["--endpoint-url", url])
        .args(args)
        .args(["--output", "json"])
        .env("AWS_ACCESS_KEY_ID", "AKIDSIM")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_PAGER", "")
        .output()
        .expect("run aws");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "aws {args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn aws_cli_describes_the_amazon_bundles() {
    if !aws_cli_or_skip("aws_cli_describes_the_amazon_bundles") {
        return;
    }
    let (_server, url) = serve();
    let stdout = aws(
        &url,
        &[
            "workspaces",
            "describe-workspace-bundles",
            "--owner",
            "AMAZON",
        ],
    );
    let answer: serde_json::Value = serde_json::from_str(&stdout).expect("JSON from aws");
    let bundles = answer["Bundles"].as_array().expect("Bundles");
    assert!(bundles.len() >= 9, "{bundles:?}");
    assert!(bundles.iter().all(|b| b["Owner"] == "AMAZON"));
    assert!(
        bundles
            .iter()
            .any(|b| b["Name"] == "Standard with Windows 10 (Server 2022 based)")
    );
}

#[test]
fn aws_cli_lists_tagged_resources_with_get_resources() {
    if !aws_cli_or_skip("aws_cli_lists_tagged_resources_with_get_resources") {
        return;
    }
    let (_server, url) = serve();
    aws(
        &url,
        &[
            "workspaces",
            "create-tags",
            "--resource-id",
            "d-1234567890",
            "--tags",
            "Key=wsctl:stack,Value=eng",
        ],
    );
    let stdout = aws(
        &url,
        &[
            "resourcegroupstaggingapi",
            "get-resources",
            "--tag-filters",
            "Key=wsctl:stack,Values=eng",
            "--resource-type-filters",
            "workspaces:directory",
        ],
    );
    let answer: serde_json::Value = serde_json::from_str(&stdout).expect("JSON from aws");
    assert_eq!(
        answer["ResourceTagMappingList"],
        serde_json::json!([{
            "ResourceARN": "arn:aws:workspaces:us-east-1:123456789012:directory/d-1234567890",
            "Tags": [{ "Key": "wsctl:stack", "Value": "eng" }],
        }])
    );
}

#[test]
fn aws_cli_manages_ip_groups_with_their_lower_camel_members() {
    if !aws_cli_or_skip("aws_cli_manages_ip_groups_with_their_lower_camel_members") {
        return;
    }
    let (_server, url) = serve();
    let stdout = aws(
        &url,
        &[
            "workspaces",
            "create-ip-group",
            "--group-name",
            "office",
            "--group-desc",
            "Office networks",
            "--user-rules",
            "ipRule=203.0.113.0/24,ruleDesc=office",
        ],
    );
    let created: serde_json::Value = serde_json::from_str(&stdout).expect("JSON from aws");
    let id = created["GroupId"].as_str().expect("GroupId").to_owned();
    aws(
        &url,
        &[
            "workspaces",
            "associate-ip-groups",
            "--directory-id",
            "d-1234567890",
            "--group-ids",
            &id,
        ],
    );
    let stdout = aws(&url, &["workspaces", "describe-ip-groups"]);
    let groups: serde_json::Value = serde_json::from_str(&stdout).expect("JSON from aws");
    assert_eq!(
        groups["Result"],
        serde_json::json!([{
            "groupId": id,
            "groupName": "office",
            "groupDesc": "Office networks",
            "userRules": [{ "ipRule": "203.0.113.0/24", "ruleDesc": "office" }],
        }])
    );
    let stdout = aws(
        &url,
        &[
            "workspaces",
            "describe-workspace-directories",
            "--directory-ids",
            "d-1234567890",
        ],
    );
    let dirs: serde_json::Value = serde_json::from_str(&stdout).expect("JSON from aws");
    assert_eq!(
        dirs["Directories"][0]["ipGroupIds"],
        serde_json::json!([id])
    );
}
