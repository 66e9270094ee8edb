//! The CI example installs the release of this version through the
//! repository's action, which downloads an archive the release builds and
//! checks it: no job compiles wsctl.

use std::path::Path;

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

#[test]
fn the_ci_example_installs_this_version_and_builds_nothing() {
    let example = read("examples/ci/github-actions.yml");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        example.contains(&format!("WSCTL_VERSION: \"{version}\"")),
        "the example pins another version than {version}"
    );
    let installs: Vec<&str> = example
        .lines()
        .filter(|line| line.trim_start().starts_with("uses: wsctl/wsctl@"))
        .collect();
    assert_eq!(installs.len(), 3, "one install in each job");
    for line in installs {
        assert_eq!(line.trim(), format!("uses: wsctl/wsctl@v{version}"));
    }
    assert!(!example.contains("cargo "), "the example runs cargo");
}

/// The monthly tune job installs the same way, writes the file only through
/// `tune --write`, and proposes it as a pull request.
#[test]
fn the_tune_example_installs_this_version_and_opens_a_pull_request() {
    let example = read("examples/ci/tune.yml");
    let version = env!("CARGO_PKG_VERSION");
    assert!(example.contains(&format!("WSCTL_VERSION: \"{version}\"")));
    let installs: Vec<&str> = example
        .lines()
        .filter(|line| line.trim_start().starts_with("uses: wsctl/wsctl@"))
        .collect();
    assert_eq!(installs, [format!("        uses: wsctl/wsctl@v{version}")]);
    assert!(example.contains("schedule:"));
    assert!(example.contains("wsctl tune --days 30 --write"));
    assert!(example.contains("gh pr create"));
    assert!(example.contains("WSCTL_PLAN_ROLE_ARN"), "a read-only role");
    assert!(!example.contains("cargo "), "the example runs cargo");
}

/// Every runner the action installs for gets an archive from the release,
/// by the name the action downloads, and the download is checked.
#[test]
fn the_action_downloads_archives_the_release_builds() {
    let action = read("action.yml");
    let release = read("dist-workspace.toml");
    let targets: Vec<&str> = action
        .lines()
        .filter_map(|line| line.split_once(") target=")?.1.split(' ').next())
        .collect();
    assert_eq!(targets.len(), 4, "{targets:?}");
    for target in targets {
        assert!(
            release.contains(&format!("\"{target}\"")),
            "the release builds no archive for {target}"
        );
    }
    assert!(action.contains("ARCHIVE: wsctl-${{ steps.paths.outputs.target }}.tar.xz"));
    assert!(release.contains("unix-archive = \".tar.xz\""));
    assert!(action.contains("shasum -a 256 --check"));
}
