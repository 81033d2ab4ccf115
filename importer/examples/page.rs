//! Prints the model of one page as JSON:
//! `cargo run -p b24-import --example page -- api-reference/log/log-blogpost-share.md`.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(rel) = args.next() else {
        eprintln!("usage: page <path relative to the snapshot root> [SNAPSHOT_ROOT]");
        std::process::exit(2);
    };
    let root = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs-snapshot/b24restdocs")
    });
    let page = b24_import::parse_page(&root, &rel);
    match serde_json::to_string_pretty(&page) {
        Ok(json) => println!("{json}"),
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}
