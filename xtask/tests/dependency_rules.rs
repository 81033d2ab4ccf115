//! ARCHITECTURE.md's dependency rules, checked on the workspace's real dependency graph
//! (`cargo metadata`): what must never depend on what, in any kind of dependency (normal,
//! build or dev), directly or through another crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Every package name each workspace package reaches through its dependencies of any kind,
/// transitively (dev-dependencies of the package itself included, not those of what it
/// reaches, as cargo builds them).
fn reachable() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(&root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata is JSON");
    let names: BTreeMap<&str, &str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|package| {
            (
                package["id"].as_str().expect("an id"),
                package["name"].as_str().expect("a name"),
            )
        })
        .collect();
    let nodes = metadata["resolve"]["nodes"]
        .as_array()
        .expect("a resolve graph");
    let mut normal: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut direct: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for node in nodes {
        let id = node["id"].as_str().expect("an id");
        for dep in node["deps"].as_array().expect("deps") {
            let to = dep["pkg"].as_str().expect("a package");
            let kinds: Vec<&str> = dep["dep_kinds"]
                .as_array()
                .expect("kinds")
                .iter()
                .map(|kind| kind["kind"].as_str().unwrap_or("normal"))
                .collect();
            direct.entry(id).or_default().push(to);
            if kinds.iter().any(|kind| *kind != "dev") {
                normal.entry(id).or_default().push(to);
            }
        }
    }
    let members = metadata["workspace_members"].as_array().expect("members");
    members
        .iter()
        .map(|member| {
            let id = member.as_str().expect("a member id");
            let mut seen = BTreeSet::new();
            let mut todo: Vec<&str> = direct.get(id).cloned().unwrap_or_default();
            while let Some(next) = todo.pop() {
                if seen.insert(names[next].to_owned()) {
                    todo.extend(normal.get(next).into_iter().flatten());
                }
            }
            (names[id].to_owned(), seen)
        })
        .collect()
}

fn assert_never(graph: &BTreeMap<String, BTreeSet<String>>, package: &str, forbidden: &[&str]) {
    let reached = graph
        .get(package)
        .unwrap_or_else(|| panic!("`{package}` is not a workspace member"));
    let found: Vec<&&str> = forbidden
        .iter()
        .filter(|name| reached.contains(**name))
        .collect();
    assert!(
        found.is_empty(),
        "`{package}` must never depend on {found:?} (see ARCHITECTURE.md)"
    );
}

#[test]
fn the_runtime_and_the_contract_never_depend_on_generated_code_or_the_generator() {
    let graph = reachable();
    let generated_or_generator = [
        "b24-rest",
        "b24-cli",
        "b24-codegen",
        "xtask",
        "b24-sdk-tests",
        "prettyplease",
        "serde_yaml",
    ];
    assert_never(&graph, "b24-rest-runtime", &generated_or_generator);
    assert_never(&graph, "b24-rest-contract", &generated_or_generator);
    // The contract is what both sides share: it must stay free of the runtime's weight.
    assert_never(
        &graph,
        "b24-rest-contract",
        &["b24-rest-runtime", "reqwest", "tokio"],
    );
}

#[test]
fn users_never_compile_the_generator() {
    let graph = reachable();
    // `syn` and `quote` are not on the list: serde's derive uses them at build time.
    let generator = [
        "b24-codegen",
        "xtask",
        "prettyplease",
        "serde_yaml",
        "schemars",
    ];
    assert_never(&graph, "b24-rest", &generator);
    assert_never(&graph, "b24-cli", &generator);
}

#[test]
fn the_generator_never_compiles_the_runtime() {
    let graph = reachable();
    assert_never(
        &graph,
        "b24-codegen",
        &["b24-rest-runtime", "b24-rest", "reqwest", "tokio"],
    );
}
