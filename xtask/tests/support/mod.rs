//! Helpers the xtask integration tests share: scratch copies of the workspace.

use std::fs;
use std::path::Path;

/// Copies the tree `from` into `to`, leaving out `target/` folders.
// Not every test crate that includes this module needs it (the bad-spec corpus's does not).
#[allow(dead_code)]
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Copies the workspace's `spec/`, `generated/` and `cli/` into `to` without the imported
/// drafts, the generated modules of modules no hand-written spec folder has, and their
/// command-line catalogues: what the hand-written specs alone generate besides. Most tests
/// exercise the generator's behaviour, which does not depend on 1,600 drafts that would make
/// every copy and run take seconds.
// Not every test crate that includes this module needs it (the fixture crate's does not).
#[allow(dead_code)]
pub(crate) fn copy_curated(workspace: &Path, to: &Path) {
    let curated = |name: &str| name == "shared" || workspace.join("spec").join(name).is_dir();
    copy_filtered(workspace, to, "spec", &|relative: &str| {
        relative != b24_codegen::load::IMPORTED_DIR.trim_end_matches('/')
    });
    copy_filtered(workspace, to, "generated", &|relative: &str| match relative
        .strip_prefix("generated/src/api/")
    {
        Some(rest) if !rest.contains('/') && !rest.ends_with(".rs") => curated(rest),
        _ => true,
    });
    copy_filtered(workspace, to, "cli", &|relative: &str| match relative
        .strip_prefix("cli/src/generated/")
    {
        Some(file) => file.strip_suffix(".json").is_none_or(curated),
        None => true,
    });
}

/// Copies `from/relative` to `to/relative`, leaving out `target/` folders and every path
/// (relative, `/`-separated) that `keep` refuses.
// Only reached from `copy_curated`, which not every test crate uses.
#[allow(dead_code)]
fn copy_filtered(from: &Path, to: &Path, relative: &str, keep: &dyn Fn(&str) -> bool) {
    let source = from.join(relative);
    if source.is_dir() {
        fs::create_dir_all(to.join(relative)).unwrap();
        for entry in fs::read_dir(&source).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let child = format!("{relative}/{name}");
            if name != "target" && keep(&child) {
                copy_filtered(from, to, &child, keep);
            }
        }
    } else {
        fs::copy(&source, to.join(relative)).unwrap();
    }
}
