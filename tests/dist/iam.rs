//! The IAM policies in `examples/iam/` grant exactly what wsctl's code
//! calls: `plan.json` every read, `apply.json` every read and write. The
//! calls are found in the source — each SDK operation method called in the
//! modules under `src/` that the crate compiles outside tests, the
//! simulator (the server side of the API) left out — so a call added to
//! wsctl fails here until the policies grant it, and a policy that grants
//! an operation wsctl no longer calls fails too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The SDK crates wsctl calls AWS through, with their IAM service prefix.
const SDKS: [(&str, &str); 5] = [
    ("aws-sdk-workspaces", "workspaces"),
    ("aws-sdk-resourcegroupstagging", "tag"),
    ("aws-sdk-pricing", "pricing"),
    ("aws-sdk-cloudwatch", "cloudwatch"),
    ("aws-sdk-kms", "kms"),
];

/// Permissions AWS checks besides the operation's own: the "dependent
/// actions" the Service Authorization Reference lists for an operation
/// wsctl calls. An import reads the EC2 image and shares it with
/// WorkSpaces' account.
const DEPENDENT: [(&str, &[&str]); 1] = [(
    "workspaces:ImportWorkspaceImage",
    &["ec2:DescribeImages", "ec2:ModifyImageAttribute"],
)];

/// Top-level modules that do not call AWS as a client: the simulator is the
/// API's server side.
const NOT_CLIENT: [&str; 1] = ["sim"];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// IAM action of every operation each SDK crate offers, by the name of the
/// client method that calls it (`describe_workspaces` →
/// `workspaces:DescribeWorkspaces`), read from the crates' sources.
///
/// Cargo is asked only about this platform's packages: a fresh cargo cache
/// holds only what the build downloaded, not the crates other platforms
/// need (`anstyle-wincon` on Windows), and `--offline` cannot fetch them.
fn sdk_operations() -> BTreeMap<String, String> {
    let metadata = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host_triple()])
        .current_dir(manifest_dir())
        .output()
        .unwrap_or_else(|error| panic!("cannot run cargo metadata: {error}"));
    assert!(
        metadata.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&metadata.stdout).unwrap_or_else(|error| panic!("{error}"));
    let mut operations = BTreeMap::new();
    for (krate, prefix) in SDKS {
        let package = metadata["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == krate)
            .unwrap_or_else(|| panic!("{krate} is not a dependency"));
        let manifest = Path::new(package["manifest_path"].as_str().unwrap_or_default());
        let dir = manifest.with_file_name("src").join("operation");
        for entry in std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
            .flatten()
        {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let method = path.file_stem().unwrap_or_default().to_string_lossy();
                let name = operation_name(&path);
                operations.insert(method.into_owned(), format!("{prefix}:{name}"));
            }
        }
    }
    operations
}

/// The platform the tests run on, as rustc names it (`host: …`).
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = std::process::Command::new(&rustc)
        .arg("-vV")
        .output()
        .unwrap_or_else(|error| panic!("cannot run {rustc} -vV: {error}"));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .unwrap_or_else(|| panic!("{rustc} -vV names no host"))
        .to_owned()
}

/// The operation's wire name, as the SDK sends it in its request metadata.
fn operation_name(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let marker = "operation_name(\"";
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{} names no operation", path.display()))
        + marker.len();
    text[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Every method called with no arguments in the modules the crate compiles
/// outside tests, starting at `src/lib.rs` and `src/main.rs`.
fn called_methods() -> BTreeSet<String> {
    let src = manifest_dir().join("src");
    let mut visitor = Calls::default();
    for root in ["lib.rs", "main.rs"] {
        visit_file(&src.join(root), &src, true, &mut visitor);
    }
    visitor.methods
}

/// Parses `path`, records its calls, and follows its `mod NAME;`
/// declarations into `dir` (where the child modules' files are).
fn visit_file(path: &Path, dir: &Path, crate_root: bool, visitor: &mut Calls) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let file = syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    visitor.visit_file(&file);
    for item in &file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let name = module.ident.to_string();
        if module.content.is_some()
            || is_test_only(&module.attrs)
            || (crate_root && NOT_CLIENT.contains(&name.as_str()))
        {
            continue;
        }
        let flat = dir.join(format!("{name}.rs"));
        let (child, child_dir) = if flat.exists() {
            (flat, dir.join(&name))
        } else {
            (dir.join(&name).join("mod.rs"), dir.join(&name))
        };
        visit_file(&child, &child_dir, false, visitor);
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Meta>()
                .is_ok_and(|meta| meta.path().is_ident("test"))
    })
}

/// Method calls without arguments — the shape of an SDK operation call
/// (`client.describe_workspaces()`), whose inputs are set on the builder it
/// returns — outside items compiled only for tests.
#[derive(Default)]
struct Calls {
    methods: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Calls {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.args.is_empty() {
            self.methods.insert(call.method.to_string());
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if !is_test_only(&module.attrs) {
            syn::visit::visit_item_mod(self, module);
        }
    }

    fn visit_item_fn(&mut self, function: &'ast syn::ItemFn) {
        if !is_test_only(&function.attrs) {
            syn::visit::visit_item_fn(self, function);
        }
    }
}

/// The IAM actions wsctl calls, with the permissions they depend on.
struct Needed {
    reads: BTreeSet<String>,
    all: BTreeSet<String>,
}

/// A read is what IAM classes as List or Read: the WorkSpaces, Tagging and
/// CloudWatch operations named Describe, List or Get.
fn is_read(action: &str) -> bool {
    let name = action.split_once(':').map_or(action, |(_, name)| name);
    ["Describe", "List", "Get"]
        .iter()
        .any(|verb| name.starts_with(verb))
}

fn needed() -> Needed {
    let operations = sdk_operations();
    let called: BTreeSet<String> = called_methods()
        .iter()
        .filter_map(|method| operations.get(method).cloned())
        .collect();
    let with_dependents = |actions: BTreeSet<String>| -> BTreeSet<String> {
        let mut all = actions.clone();
        for (action, dependents) in DEPENDENT {
            if actions.contains(action) {
                all.extend(dependents.iter().map(|d| (*d).to_owned()));
            }
        }
        all
    };
    Needed {
        reads: with_dependents(called.iter().filter(|a| is_read(a)).cloned().collect()),
        all: with_dependents(called),
    }
}

/// The actions a policy document allows.
fn granted(policy: &serde_json::Value) -> BTreeSet<String> {
    let mut actions = BTreeSet::new();
    for statement in policy["Statement"].as_array().into_iter().flatten() {
        assert_eq!(statement["Effect"], "Allow", "{statement}");
        match &statement["Action"] {
            serde_json::Value::String(action) => {
                actions.insert(action.clone());
            }
            serde_json::Value::Array(list) => {
                actions.extend(list.iter().filter_map(|a| a.as_str()).map(str::to_owned));
            }
            other => panic!("an Action is a string or a list, not {other}"),
        }
    }
    actions
}

/// What is wrong with policy `name`, which should grant exactly `needed`
/// (`what` wsctl makes: "read" or "call"), one line each; empty when right.
fn compare(
    name: &str,
    granted: &BTreeSet<String>,
    needed: &BTreeSet<String>,
    what: &str,
) -> Vec<String> {
    let missing = needed
        .difference(granted)
        .map(|action| format!("{name} lacks {action}, a {what} wsctl makes"));
    let extra = granted
        .difference(needed)
        .map(|action| format!("{name} grants {action}, which is no {what} wsctl makes"));
    missing.chain(extra).collect()
}

fn policy(name: &str) -> serde_json::Value {
    let path = manifest_dir().join("examples/iam").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn policies_grant_exactly_the_calls_wsctl_makes() {
    let needed = needed();
    let mut problems = compare(
        "plan.json",
        &granted(&policy("plan.json")),
        &needed.reads,
        "read",
    );
    problems.extend(compare(
        "apply.json",
        &granted(&policy("apply.json")),
        &needed.all,
        "call",
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The scan finds the calls of each stage: ownership reads, live-state
/// reads, snapshots, writes, waits.
#[test]
fn the_scan_finds_the_calls_of_every_stage() {
    let needed = needed();
    for read in [
        "tag:GetResources",
        "workspaces:DescribeWorkspaces",
        "workspaces:DescribeAccount",
        "workspaces:DescribeWorkspaceSnapshots",
        "workspaces:DescribeWorkspaceImages",
    ] {
        assert!(needed.reads.contains(read), "{read} not found in src/");
    }
    for write in [
        "workspaces:CreateWorkspaces",
        "workspaces:TerminateWorkspaces",
        "workspaces:RestoreWorkspace",
    ] {
        assert!(needed.all.contains(write), "{write} not found in src/");
        assert!(!needed.reads.contains(write), "{write} taken for a read");
    }
}

#[test]
fn a_policy_missing_a_call_or_granting_one_too_many_fails() {
    let needed = needed();
    let full = granted(&policy("apply.json"));

    let mut short = full.clone();
    short.remove("workspaces:TerminateWorkspaces");
    assert_eq!(
        compare("apply.json", &short, &needed.all, "call"),
        ["apply.json lacks workspaces:TerminateWorkspaces, a call wsctl makes"]
    );

    let mut long = full.clone();
    long.insert("workspaces:StartWorkspaces".to_owned());
    assert_eq!(
        compare("apply.json", &long, &needed.all, "call"),
        ["apply.json grants workspaces:StartWorkspaces, which is no call wsctl makes"]
    );

    let mut without_import = needed.all.clone();
    without_import.remove("ec2:ModifyImageAttribute");
    assert_eq!(
        compare("apply.json", &without_import, &needed.all, "call"),
        ["apply.json lacks ec2:ModifyImageAttribute, a call wsctl makes"]
    );

    assert!(compare("plan.json", &full, &needed.reads, "read").contains(
        &"plan.json grants workspaces:CreateWorkspaces, which is no read wsctl makes".to_owned()
    ));
}
