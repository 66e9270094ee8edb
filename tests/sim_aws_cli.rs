//! A client other than ours: the AWS CLI (from PyPI) against `wsctl sim serve`.

use std::io::{BufRead, BufReader};
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

#[test]
fn aws_cli_describes_the_amazon_bundles() {
    if !aws_cli_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the AWS CLI is required in CI: pip install awscli"
        );
        eprintln!("skipped: `aws` is not on PATH (pip install awscli)");
        return;
    }
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

    let output = Command::new("aws")
        .args([
            "--endpoint-url",
            &url,
            "workspaces",
            "describe-workspace-bundles",
            "--owner",
            "AMAZON",
            "--output",
            "json",
        ])
        .env("AWS_ACCESS_KEY_ID", "AKIDSIM")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_PAGER", "")
        .output()
        .expect("run aws");
    drop(server);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "aws failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
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
