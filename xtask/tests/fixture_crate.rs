//! The fixture spec set `codegen/tests/fixtures/features/spec/` exercises what the real specs
//! do not (a typed list method with filter, order and select builders, grammars, enums, error
//! patterns, a result union, …); `codegen/tests/snapshots.rs` pins its generated crate under
//! `expected/generated/`. This test compiles that crate: copied into a scratch workspace beside
//! the real `runtime/` and `contract/` crates, building in the workspace's target folder (so no
//! dependency is built again), it must pass `cargo clippy --all-targets --all-features -D
//! warnings` and `cargo test --all-features` (its conformance tests among them).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Instant;

mod cargo_run;
mod support;

/// `text` as a TOML string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string encodes")
}

/// The scratch workspace: the expected crate as its only member, its runtime the real one.
/// The crate keeps its name `b24-rest`, which its doc tests use; its path (another than the
/// real crate's) keeps its builds apart from the real crate's in the target folder.
fn scratch_workspace(root: &Path) -> PathBuf {
    let scratch = cargo_run::target_dir().join("tmp/b24-fixture");
    let _ = fs::remove_dir_all(&scratch);
    let expected = root.join("codegen/tests/fixtures/features/expected/generated");
    let member = scratch.join("fixture");
    support::copy_tree(&expected, &member);

    let manifest = fs::read_to_string(member.join("Cargo.toml")).expect("the fixture manifest");
    let runtime = quoted(&root.join("runtime").display().to_string());
    assert!(
        manifest.contains("path = \"../runtime\""),
        "the fixture manifest finds its runtime at `../runtime`"
    );
    let manifest = manifest.replace("path = \"../runtime\"", &format!("path = {runtime}"));
    fs::write(member.join("Cargo.toml"), manifest).expect("the manifest is written");

    let workspace = fs::read_to_string(root.join("Cargo.toml")).expect("the workspace manifest");
    // The one member is the fixture (named `b24-rest`): a profile section of another package
    // would only make cargo warn that it matches none.
    let mut other_package = false;
    let lines: Vec<String> = workspace
        .lines()
        .filter(|line| {
            if line.starts_with('[') {
                other_package = line.starts_with("[profile.")
                    && line.contains(".package.")
                    && !line.contains("b24-rest]");
            }
            !other_package
        })
        .map(|line| {
            if line.starts_with("members = ") {
                "members = [\"fixture\"]".to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect();
    fs::write(scratch.join("Cargo.toml"), lines.join("\n") + "\n").expect("written");
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("Cargo.lock copies");
    scratch
}

/// `cargo <args>` in `dir`, timed.
fn cargo(dir: &Path, args: &[&str]) -> Output {
    let started = Instant::now();
    let output = cargo_run::cargo(dir, args);
    eprintln!(
        "fixture crate: cargo {} in {:.1?}",
        args[0],
        started.elapsed()
    );
    output
}

/// What `output` printed, for a failure message.
fn shown(output: &Output) -> String {
    format!(
        "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_fixture_crate_passes_clippy_and_its_tests() {
    let root = xtask::default_root();
    let scratch = scratch_workspace(&root);

    let clippy = cargo(
        &scratch,
        &[
            "clippy",
            "--all-targets",
            "--all-features",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(
        clippy.status.success(),
        "the fixture crate in {} does not pass clippy: {}",
        scratch.display(),
        shown(&clippy)
    );

    let test = cargo(&scratch, &["test", "--all-features"]);
    assert!(
        test.status.success(),
        "the fixture crate's tests in {} fail: {}",
        scratch.display(),
        shown(&test)
    );
}
