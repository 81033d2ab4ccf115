//! `cargo xtask import --check` on the checked-in tree: `spec/imported/` is what the docs
//! snapshot drafts to, byte for byte, and no curated spec's page changed under it.

#[test]
fn imported_specs_are_up_to_date() {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let root = xtask::default_root();
    let code = xtask::run(
        ["import", "--check", "--root", &root.to_string_lossy()],
        &mut out,
        &mut err,
    );
    let out = String::from_utf8_lossy(&out);
    let err = String::from_utf8_lossy(&err);
    assert_eq!(
        code,
        xtask::EXIT_OK,
        "run `cargo xtask import`:\n{out}\n{err}"
    );
    assert!(out.contains("imported specs are up to date"), "{out}");
    assert!(err.contains("method pages:"), "{err}");
}
