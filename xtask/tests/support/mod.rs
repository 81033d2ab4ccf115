//! Helpers the xtask integration tests share: scratch copies of the workspace.

use std::fs;
use std::path::Path;

/// Copies the tree `from` into `to`, leaving out `target/` folders.
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
