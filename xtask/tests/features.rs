//! Every scope of the API has a cargo feature of its own in `generated/Cargo.toml`, on by
//! default and in `full`, so that a downstream crate can compile only the scopes it uses.

use std::collections::BTreeSet;
use std::fs;

#[test]
fn every_scope_has_a_default_feature() {
    let root = xtask::default_root();
    let specs = b24_codegen::load_dir(&root).expect("the specs load");
    let model = b24_codegen::model::build(&specs).expect("the specs resolve");
    let manifest = fs::read_to_string(root.join("generated/Cargo.toml")).expect("manifest");

    let section: Vec<&str> = manifest
        .lines()
        .skip_while(|line| line.trim() != "[features]")
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .collect();
    let features: BTreeSet<&str> = section
        .iter()
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim()))
        .collect();
    let line = |name: &str| {
        section
            .iter()
            .find(|line| {
                line.split_once('=')
                    .is_some_and(|(key, _)| key.trim() == name)
            })
            .unwrap_or_else(|| panic!("a feature `{name}`"))
    };
    let (default_line, full_line) = (line("default"), line("full"));

    for scope in &model.scopes {
        assert!(
            features.contains(scope.wire.as_str()),
            "generated/Cargo.toml needs a feature `{0} = []` for the scope `{0}`",
            scope.wire
        );
        assert!(
            default_line.contains(&format!("\"{}\"", scope.wire)),
            "the feature `{}` should be on by default",
            scope.wire
        );
        assert!(
            full_line.contains(&format!("\"{}\"", scope.wire)),
            "the feature `full` should turn on `{}`",
            scope.wire
        );
    }
}
