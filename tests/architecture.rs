//! The pipeline in ARCHITECTURE.md, checked: the `use crate::` paths of
//! `src/` make a graph of top-level modules that has no cycle and none of
//! the arrows the pipeline forbids.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// (from, to): arrows that must never exist.
const FORBIDDEN: [(&str, &str); 3] = [("plan", "apply"), ("plan", "render"), ("spec", "live")];
/// Modules nothing below the command layer may use.
const COMMAND_LAYER: &str = "commands";
/// The simulator stands beside wsctl: it uses none of it.
const SIMULATOR: &str = "sim";
/// The resource kinds are the domain layer under the engines (`spec`,
/// `graph`, `live`, `plan`, `render`, `apply`, `import`, `usage`, `prices`,
/// `commands`): they use the base modules and nothing else.
const KINDS: &str = "kinds";
const BASE: [&str; 13] = [
    "address",
    "identity",
    "diagnostic",
    "aws",
    "states",
    "money",
    "clock",
    "input",
    "visible",
    "toml_text",
    "file_table",
    "directory_settings",
    "workspace_properties",
];

type Arrows = BTreeMap<String, BTreeSet<String>>;

/// The top-level module a file belongs to: `src/plan/order.rs` → `plan`.
fn module_of(path: &Path, src: &Path) -> Option<String> {
    let relative = path.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_owned())
}

/// Every top-level module named after `crate::` in `text`, grouped
/// imports (`use crate::{live, plan::Plan};`) included.
fn used_modules(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => found.extend(group_heads(group)),
            None => found.extend(head(rest)),
        }
    }
    found
}

/// The first path segment of each item of a `{…}` group (its text after
/// the opening brace), nested groups skipped.
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item_start = true;
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && !c.is_whitespace() => {
                item_start = false;
                heads.extend(head(&group[at..]).filter(|name| name != "self"));
            }
            _ => {}
        }
    }
    heads
}

fn head(path: &str) -> Option<String> {
    let name: String = path
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("src is readable");
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn arrows() -> Arrows {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let mut arrows = Arrows::new();
    for path in paths {
        let Some(from) = module_of(&path, &src) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("source is readable");
        let uses = arrows.entry(from.clone()).or_default();
        uses.extend(used_modules(&text).into_iter().filter(|to| *to != from));
    }
    arrows
}

/// A cycle through `start`, if there is one, as the modules on it.
fn cycle_through(arrows: &Arrows, start: &str) -> Option<Vec<String>> {
    let mut path = vec![start.to_owned()];
    let mut seen = BTreeSet::new();
    fn walk(
        arrows: &Arrows,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let Some(here) = path.last().cloned() else {
            return false;
        };
        for next in arrows.get(&here).into_iter().flatten() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(arrows, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    walk(arrows, start, &mut path, &mut seen).then_some(path)
}

#[test]
fn the_modules_form_no_cycle() {
    let arrows = arrows();
    let cycles: Vec<String> = arrows
        .keys()
        .filter_map(|module| cycle_through(&arrows, module))
        .map(|cycle| cycle.join(" → "))
        .collect();
    assert!(
        cycles.is_empty(),
        "cycles between modules:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn no_forbidden_arrow() {
    let arrows = arrows();
    let mut wrong: Vec<String> = FORBIDDEN
        .iter()
        .filter(|(from, to)| arrows.get(*from).is_some_and(|uses| uses.contains(*to)))
        .map(|(from, to)| format!("{from} → {to}"))
        .collect();
    for (from, uses) in &arrows {
        if from != COMMAND_LAYER && uses.contains(COMMAND_LAYER) {
            wrong.push(format!("{from} → {COMMAND_LAYER} (the command layer)"));
        }
    }
    if let Some(uses) = arrows.get(SIMULATOR) {
        wrong.extend(uses.iter().map(|to| format!("{SIMULATOR} → {to}")));
    }
    let kinds = arrows.get(KINDS).expect("the kinds layer is in src/");
    wrong.extend(
        kinds
            .iter()
            .filter(|to| !BASE.contains(&to.as_str()))
            .map(|to| format!("{KINDS} → {to} (kinds use only the base)")),
    );
    assert!(wrong.is_empty(), "forbidden arrows:\n{}", wrong.join("\n"));
}

#[test]
fn grouped_and_nested_imports_are_read() {
    let found =
        used_modules("use crate::{live::{self, Scope}, plan};\nlet x = crate::spec::parse;");
    assert_eq!(
        found,
        ["live", "plan", "spec"]
            .map(str::to_owned)
            .into_iter()
            .collect()
    );
}
