//! End-to-end tests of `cargo xtask gen` on a scratch copy of the workspace's `spec/`,
//! `generated/` and `cli/`.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use support::copy_tree;

use b24_codegen::GENERATED_MARKER;
use tempfile::TempDir;

/// A copy of the workspace's `spec/`, `generated/` and `cli/` (without build output).
fn scratch_whole() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let workspace = xtask::default_root();
    for top in ["spec", "generated", "cli"] {
        copy_tree(&workspace.join(top), &dir.path().join(top));
    }
    dir
}

/// [`scratch_whole`] with the hand-written specs only: what these tests exercise (writing,
/// checking, orphans, failures) does not depend on the 1,600 imported drafts, which would
/// make each run take seconds instead of milliseconds.
fn scratch() -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    support::copy_curated(&xtask::default_root(), dir.path());
    regen(dir.path());
    dir
}

/// Every file under `root` as (relative path, bytes).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let bytes = fs::read(&path).unwrap();
                files.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

struct Run {
    code: u8,
    out: String,
    err: String,
}

fn xtask(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "gen".to_owned(),
        "--root".to_owned(),
        root.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::run(args, &mut out, &mut err);
    Run {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
    }
}

fn regen(root: &Path) -> Run {
    let run = xtask(root, &[]);
    assert_eq!(run.code, 0, "gen failed:\n{}{}", run.out, run.err);
    run
}

fn check(root: &Path) -> Run {
    xtask(root, &["--check"])
}

/// The files the specs produce, by path: generated Rust sources first, as the most likely to
/// be hand-edited.
fn produced(root: &Path) -> Vec<String> {
    let specs = b24_codegen::load_dir(root).expect("specs load");
    let files = b24_codegen::generate(&specs).expect("specs generate");
    let mut paths: Vec<String> = files.into_iter().map(|f| f.path).collect();
    paths.sort_by_key(|path| (!path.ends_with(".rs"), path.clone()));
    paths
}

#[test]
fn checked_in_code_is_up_to_date() {
    let dir = scratch_whole();
    let run = check(dir.path());
    assert_eq!(
        run.code, 0,
        "the checked-in generated code differs from the specs; run `cargo xtask gen`:\n{}{}",
        run.out, run.err
    );
    assert!(
        run.out.contains("generated code is up to date"),
        "{}",
        run.out
    );
}

#[test]
fn gen_then_check_is_clean_and_idempotent() {
    let dir = scratch();
    let first = regen(dir.path());
    assert!(first.out.contains(" files, "), "{}", first.out);
    let before = snapshot(dir.path());
    let second = regen(dir.path());
    assert!(
        second.out.ends_with(", 0 written, 0 removed\n"),
        "{}",
        second.out
    );
    assert_eq!(snapshot(dir.path()), before);
    let run = check(dir.path());
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert_eq!(run.out, "generated code is up to date\n");
}

#[test]
fn check_names_a_hand_edit_and_writes_nothing() {
    let dir = scratch();
    regen(dir.path());
    let path = produced(dir.path()).remove(0);
    let full = dir.path().join(&path);
    let mut text = fs::read_to_string(&full).unwrap();
    text.push_str("// hand edit\n");
    fs::write(&full, &text).unwrap();
    let before = snapshot(dir.path());

    let run = check(dir.path());
    assert_eq!(run.code, 1);
    assert!(run.out.contains(&format!("changed: {path}")), "{}", run.out);
    assert!(
        run.out.contains(&format!("--- a/{path} (checked in)")),
        "{}",
        run.out
    );
    assert!(
        run.out.contains(&format!("+++ b/{path} (from specs)")),
        "{}",
        run.out
    );
    assert!(run.out.contains("\n-// hand edit\n"), "{}", run.out);
    assert!(
        run.out.contains("run `cargo xtask gen` to update"),
        "{}",
        run.out
    );
    assert_eq!(snapshot(dir.path()), before, "--check must not write");

    regen(dir.path());
    assert_eq!(check(dir.path()).code, 0);
}

#[test]
fn check_names_a_missing_file() {
    let dir = scratch();
    regen(dir.path());
    let path = produced(dir.path()).remove(0);
    fs::remove_file(dir.path().join(&path)).unwrap();

    let run = check(dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.out.contains(&format!("missing: {path}\n")),
        "{}",
        run.out
    );
    assert!(
        run.out.contains(&format!("+++ b/{path} (from specs)")),
        "{}",
        run.out
    );
    assert!(!dir.path().join(&path).exists(), "--check must not write");

    let run = regen(dir.path());
    assert!(run.out.contains(", 1 written, 0 removed"), "{}", run.out);
    assert!(dir.path().join(&path).exists());
}

#[test]
fn check_names_orphans_and_gen_removes_them() {
    let dir = scratch();
    regen(dir.path());
    let marked = format!("// {GENERATED_MARKER}. Do not edit.\npub fn gone() {{}}\n");
    let in_owned = "generated/src/api/zz_orphan/nested/gone.rs";
    // The whole generated crate is the generator's: a file without the marker is an orphan
    // there too.
    let elsewhere = "generated/zz_notes.md";
    let hand_written = "cli/src/zz_hand_written.rs";
    let schema_orphan = "spec/schema/zz_old.schema.json";
    let cli_orphan = "cli/src/generated/zz_gone.rs";
    for (path, text) in [
        (in_owned, marked.as_str()),
        (cli_orphan, marked.as_str()),
        (elsewhere, "Notes written by hand.\n"),
        (hand_written, marked.as_str()),
        (schema_orphan, "{}\n"),
    ] {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    }

    let run = check(dir.path());
    assert_eq!(run.code, 1);
    for path in [in_owned, elsewhere, schema_orphan, cli_orphan] {
        assert!(
            run.out
                .contains(&format!("orphan: {path} (no spec produces it)")),
            "{path}:\n{}",
            run.out
        );
    }
    assert!(!run.out.contains(hand_written), "{}", run.out);
    assert!(run.out.contains("-pub fn gone() {}"), "{}", run.out);

    let run = regen(dir.path());
    assert!(run.out.contains(", 0 written, 4 removed"), "{}", run.out);
    for path in [in_owned, elsewhere, schema_orphan, cli_orphan] {
        assert!(!dir.path().join(path).exists(), "{path} must be removed");
    }
    assert!(
        !dir.path().join("generated/src/api/zz_orphan").exists(),
        "emptied folders go too"
    );
    assert!(
        dir.path().join("generated/src/api").is_dir(),
        "the owned folder stays"
    );
    assert!(
        dir.path().join(hand_written).exists(),
        "hand-written files stay"
    );
    assert_eq!(check(dir.path()).code, 0);
}

#[test]
fn bad_spec_is_reported_and_nothing_is_written() {
    let dir = scratch();
    // A stale file, so that a run that wrongly went ahead would change something.
    let stale = "generated/src/api/zz_stale.rs";
    fs::write(dir.path().join(stale), format!("// {GENERATED_MARKER}\n")).unwrap();
    let broken = "spec/zzbroken/zzbroken.method.yaml";
    fs::create_dir_all(dir.path().join("spec/zzbroken")).unwrap();
    fs::write(
        dir.path().join(broken),
        "method: zzbroken.method\nscope: [zzbroken\ntitle: x\n",
    )
    .unwrap();
    let before = snapshot(dir.path());

    for extra in [&[][..], &["--check"][..]] {
        let run = xtask(dir.path(), extra);
        assert_eq!(run.code, 1, "{extra:?}:\n{}{}", run.out, run.err);
        let first = run.err.lines().next().unwrap_or_default();
        let prefix = format!("error: {broken}:");
        assert!(first.starts_with(&prefix), "{extra:?}: {}", run.err);
        // `file:line:column: ...`
        let mut position = first[prefix.len()..].split(':');
        let line: usize = position.next().unwrap().parse().expect("line number");
        let column: usize = position.next().unwrap().parse().expect("column number");
        assert!(line >= 2 && column >= 1, "{first}");
        assert!(run.out.is_empty(), "{}", run.out);
        assert_eq!(snapshot(dir.path()), before, "{extra:?} must write nothing");
    }
}

#[test]
fn usage_errors_exit_2() {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(xtask::run(["gen", "--chek"], &mut out, &mut err), 2);
    assert!(
        String::from_utf8(err)
            .unwrap()
            .contains("usage: cargo xtask")
    );
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(xtask::run(Vec::<String>::new(), &mut out, &mut err), 2);
}

#[test]
fn check_names_code_made_stale_by_a_spec_change() {
    let dir = scratch();
    regen(dir.path());
    let spec = dir.path().join("spec/log/log.blogpost.share.yaml");
    let text = fs::read_to_string(&spec).unwrap();
    let edited = text.replacen(
        "summary: Adds new recipients to a news feed message.",
        "summary: Adds new recipients to a News Feed message, freshly reworded.",
        1,
    );
    assert_ne!(edited, text, "test bug: the summary line was not found");
    fs::write(&spec, edited).unwrap();
    let before = snapshot(dir.path());

    let run = check(dir.path());
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    assert!(
        run.out
            .contains("changed: generated/src/api/log/blogpost_share.rs"),
        "{}",
        run.out
    );
    assert!(run.out.contains("+//! `log.blogpost.share`: Adds new recipients to a News Feed message, freshly reworded."), "{}", run.out);
    assert_eq!(snapshot(dir.path()), before, "--check must not write");
}

#[test]
fn a_run_that_fails_half_way_writes_nothing() {
    let dir = scratch();
    let root = dir.path();
    // Two stale files gen would rewrite, and a generated file it cannot read (a folder in
    // its place): the run fails, and neither stale file may have been rewritten.
    for stale in ["generated/src/api/mod.rs", "cli/src/generated/mod.rs"] {
        let path = root.join(stale);
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str("// stale\n");
        fs::write(&path, text).unwrap();
    }
    let unreadable = root.join("generated/src/api/log/blogpost_share.rs");
    fs::remove_file(&unreadable).unwrap();
    fs::create_dir(&unreadable).unwrap();
    let before = snapshot(root);

    let run = xtask(root, &[]);
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    assert!(
        run.err
            .contains("cannot read `generated/src/api/log/blogpost_share.rs`"),
        "{}",
        run.err
    );
    assert_eq!(
        snapshot(root),
        before,
        "nothing written, no temporary file left"
    );
    assert!(unreadable.is_dir());
}
