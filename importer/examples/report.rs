//! Prints how well `b24-import` reads the snapshot, as markdown:
//! `cargo run -p b24-import --example report [SNAPSHOT_ROOT]`.

use std::path::PathBuf;

fn main() {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs-snapshot/b24restdocs")
        });
    print!("{}", b24_import::report(&root).to_markdown());
}
