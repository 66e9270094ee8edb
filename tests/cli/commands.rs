//! The command line as users meet it: every command's help has an example,
//! completion scripts are generated, the schemas print, and a Markdown plan
//! comes out of the binary with the exit codes CI relies on.

use std::path::Path;
use std::process::{Command, Output};

use clap::CommandFactory;
use wsctl::commands::cli::Cli;

fn wsctl(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wsctl"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|error| panic!("cannot run wsctl {args:?}: {error}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every command path (`plan`, `sim serve`, …), read from the same clap
/// definitions the binary parses with, so a new command is checked too.
fn command_paths(command: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for sub in command.get_subcommands() {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_owned());
        out.push(path.clone());
        command_paths(sub, &path, out);
    }
}

#[test]
fn every_commands_help_has_an_example() {
    let mut paths = vec![Vec::new()];
    command_paths(&Cli::command(), &[], &mut paths);
    for name in ["schema", "completions", "sim serve", "plan", "import"] {
        assert!(
            paths.iter().any(|p| p.join(" ") == name),
            "no `{name}` in {paths:?}"
        );
    }
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let output = wsctl(&args, manifest_dir());
        let help = stdout(&output);
        assert!(output.status.success(), "wsctl {args:?} failed");
        assert!(
            help.contains("\nExample:\n  wsctl ") || help.contains("\nExamples:\n  wsctl "),
            "wsctl {} has no example:\n{help}",
            args.join(" ")
        );
    }
}

#[test]
fn completions_for_each_shell() {
    let bash = wsctl(&["completions", "bash"], manifest_dir());
    assert!(bash.status.success());
    let script = stdout(&bash);
    assert!(script.contains("complete -F _wsctl"), "{script}");
    for word in [
        "plan",
        "apply",
        "schema",
        "completions",
        "--format",
        "markdown",
    ] {
        assert!(script.contains(word), "no {word} in the bash script");
    }
    for (shell, marker) in [("zsh", "#compdef wsctl"), ("fish", "complete -c wsctl")] {
        let output = wsctl(&["completions", shell], manifest_dir());
        assert!(output.status.success(), "{shell}");
        assert!(stdout(&output).contains(marker), "{shell}: no {marker}");
    }
    let unknown = wsctl(&["completions", "tcsh"], manifest_dir());
    assert_eq!(
        unknown.status.code(),
        Some(1),
        "a usage error is an error: 2 means changes"
    );
}

#[test]
fn schema_prints_the_committed_files() {
    for which in ["fleet", "plan"] {
        let output = wsctl(&["schema", which], manifest_dir());
        assert!(output.status.success(), "{which}");
        let file = manifest_dir().join(format!("schema/{which}.schema.json"));
        let committed = std::fs::read_to_string(&file).unwrap_or_default();
        assert_eq!(stdout(&output), committed, "{}", file.display());
    }
}

/// What the CI example runs on a pull request: a Markdown plan on stdout,
/// exit 2 while there are changes, 0 once the account matches.
#[test]
fn markdown_plan_from_the_binary_with_detailed_exit_codes() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("no temp dir: {error}"));
    let fleet = manifest_dir().join("examples/quickstart.toml");
    let fleet = fleet.to_string_lossy();
    let plan = [
        "--sim",
        "plan",
        "--format",
        "markdown",
        "--detailed-exitcode",
        "-f",
        &fleet,
    ];

    let changes = wsctl(&plan, dir.path());
    assert_eq!(changes.status.code(), Some(2), "{changes:?}");
    let comment = stdout(&changes);
    assert!(
        comment.starts_with(
            "**Plan: 3 to add, 0 to change, 0 to replace, 0 to destroy, 0 to adopt.** **Cost: +$"
        ),
        "{comment}"
    );
    assert!(
        comment.contains("| action | workspace | total | cost / month |"),
        "{comment}"
    );
    assert_eq!(comment.matches("<details>").count(), 3, "{comment}");

    let apply = wsctl(
        &["--sim", "apply", "--auto-approve", "-f", &fleet],
        dir.path(),
    );
    assert!(apply.status.success(), "{apply:?}");
    // The command over, the account is whole in the state file: its log
    // does not carry over to the next run.
    let state = dir.path().join(".wsctl");
    assert!(state.join("sim.json").is_file(), "no state file");
    assert!(
        !state.join("sim.json.log").exists(),
        "the log outlived apply"
    );

    let none = wsctl(&plan, dir.path());
    assert_eq!(none.status.code(), Some(0), "{none:?}");
    assert!(
        stdout(&none).starts_with("**No changes.**"),
        "{}",
        stdout(&none)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_serve_prints_its_url_and_stops_cleanly_on_ctrl_c() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut serve = tokio::process::Command::new(env!("CARGO_BIN_EXE_wsctl"))
        .args(["sim", "serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("wsctl sim serve starts");
    let stdout = serve.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .await
        .expect("first line");
    let url = line
        .trim()
        .strip_prefix("wsctl simulator listening on ")
        .expect("the URL line")
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let pid = serve.id().expect("running").to_string();
    let kill = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), serve.wait())
        .await
        .expect("stops within 10 s")
        .expect("exit status");
    assert!(status.success(), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sim_serve_on_the_same_state_file_is_refused() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("sim.json");
    let serve = |listen: &str| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_wsctl"));
        command
            .args(["sim", "serve", "--listen", listen, "--state"])
            .arg(&state)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        command
    };
    let mut first = serve("127.0.0.1:0").spawn().expect("the first serves");
    let mut line = String::new();
    BufReader::new(first.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .await
        .expect("its URL");
    assert!(line.starts_with("wsctl simulator listening on "), "{line}");

    let second = serve("127.0.0.1:0")
        .output()
        .await
        .expect("the second runs");
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("is in use by another simulator"),
        "{stderr}"
    );
    first.kill().await.expect("stopped");
}
