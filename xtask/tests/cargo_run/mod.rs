//! Running cargo in a scratch workspace as a user would, in the workspace's own target
//! folder so that its dependencies are built once (the names and fixture crate tests).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's target folder.
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| xtask::default_root().join("target"), PathBuf::from)
}

/// `cargo <args>` in `dir`, building in the workspace's target folder.
pub(crate) fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir());
    // What cargo sets for this test (`CARGO_PKG_VERSION_MAJOR`, …) is no setting of the build:
    // build scripts that watch those variables (ring's) would run again, and rebuild their
    // crates, each time such a test and a plain cargo take turns.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if is_set_by_cargo_for_a_test(&name) {
            command.env_remove(&*name);
        }
    }
    command.output().expect("cargo runs")
}

/// Whether cargo sets the variable `name` for the tests it runs (rather than the user).
fn is_set_by_cargo_for_a_test(name: &str) -> bool {
    const PREFIXES: [&str; 3] = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_"];
    const NAMES: [&str; 5] = [
        "CARGO_CRATE_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    PREFIXES.iter().any(|prefix| name.starts_with(prefix)) || NAMES.contains(&name)
}
