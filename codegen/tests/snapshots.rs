//! Snapshot tests: the code emitted for each fixture under `tests/fixtures/<name>/spec/`
//! must equal the files checked in under `tests/fixtures/<name>/expected/`.
//!
//! The fixtures exercise what the share spec does not: keyword names, string and list
//! parameters, object results, nested groups, patterns with several captures, grammars with
//! text forms, and the command line's method catalogue and its typed code for all of them
//! (`cli/`). (The share spec's own snapshot is the checked-in `generated/src/api/`, which
//! `cargo xtask gen --check` and the xtask tests compare.) After an intended change to the
//! emitter, run `UPDATE_EXPECT=1 cargo test -p b24-codegen --test snapshots` (the variable
//! rust-analyzer's `expect-test` uses; `xtask/tests/bad_specs.rs` reads it too) and review the
//! diff.

use std::fs;
use std::path::{Path, PathBuf};

fn read_tree(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("readable fixture dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(root, &path, out);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("inside root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, fs::read(&path).expect("readable fixture")));
        }
    }
}

fn check_fixture(name: &str) {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut files = Vec::new();
    read_tree(&fixture, &fixture.join("spec"), &mut files);
    let specs = b24_codegen::load_files(files).unwrap_or_else(|errors| panic!("{errors:#?}"));
    let generated = b24_codegen::generate(&specs).unwrap_or_else(|errors| panic!("{errors:#?}"));
    let again = b24_codegen::generate(&specs).expect("second run");
    assert_eq!(generated, again, "generation is deterministic");

    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let expected_root = fixture.join("expected");
    let mut stale = Vec::new();
    for file in generated
        .iter()
        .filter(|f| f.path.starts_with("generated/") || f.path.starts_with("cli/"))
    {
        let path = expected_root.join(&file.path);
        if update {
            fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
            fs::write(&path, &file.contents).expect("write snapshot");
        } else if fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            stale.push(file.path.clone());
        }
    }
    let mut expected = Vec::new();
    if expected_root.exists() {
        read_tree(&expected_root, &expected_root, &mut expected);
    }
    for (path, _) in expected {
        if !generated.iter().any(|f| f.path == path) {
            if update {
                fs::remove_file(expected_root.join(&path)).expect("remove orphan snapshot");
            } else {
                stale.push(format!("{path} (no longer generated)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots of fixture `{name}` differ: {stale:#?}\nrerun with UPDATE_EXPECT=1 and review the diff"
    );
}

#[test]
fn features_fixture_matches_its_snapshot() {
    check_fixture("features");
}
