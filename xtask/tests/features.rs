//! Every scope of the API has a cargo feature of its own in `generated/Cargo.toml`, in `full`
//! and off by default (the default build is lean), so that a downstream crate compiles only the
//! scopes it uses; the command line turns on `full`.

use std::collections::BTreeSet;
use std::fs;

#[test]
fn every_scope_has_a_feature_in_full_and_none_is_on_by_default() {
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
    assert_eq!(
        default_line.split_once('=').map(|(_, value)| value.trim()),
        Some("[]"),
        "the default build is lean: {default_line}"
    );
    let cli = fs::read_to_string(root.join("cli/Cargo.toml")).expect("the CLI's manifest");
    assert!(
        cli.lines()
            .any(|line| line.starts_with("b24-rest =") && line.contains("\"full\"")),
        "the command line covers every scope: it depends on b24-rest with `full`"
    );

    for scope in &model.scopes {
        assert!(
            features.contains(scope.wire.as_str()),
            "generated/Cargo.toml needs a feature `{0} = []` for the scope `{0}`",
            scope.wire
        );
        assert!(
            full_line.contains(&format!("\"{}\"", scope.wire)),
            "the feature `full` should turn on `{}`",
            scope.wire
        );
    }
}
