//! The bad-spec corpus (`codegen/tests/bad-specs/`): each case, laid over a scratch copy of the
//! workspace, must make `cargo xtask gen` (and `gen --check`) exit 1 with exactly one error
//! line, the expected one (file, line:column, key path, message), without a panic, within a
//! time bound, and without touching a single byte of the workspace.
//!
//! A case is a folder holding:
//! - files under `spec/`, added to the workspace's `spec/` or replacing a file there; a file
//!   whose name ends in `.append` is appended to the file of the same name without it;
//! - `recipe.txt` (optional) for inputs too large or too odd to check in, one per line:
//!   `pad <path> <bytes>` writes a valid method spec padded with comment lines to that size,
//!   `alias-bomb <path> <length> <count>` a valid method spec with a string of `length` bytes
//!   and `count` aliases of it, `link <path> <target>` a symbolic link (the case is skipped
//!   where links cannot be made);
//! - `expected.txt`: the one `error:` line. `{end}` stands for the number of lines of the file
//!   an `.append` extends (`{end+3}` for three more), `{any}` for any text, and a trailing
//!   `...` for any rest: for what depends on the workspace's own specs (line numbers of a file
//!   an `.append` extends) or grows with the spec format or the generated crate (lists of every
//!   known key or type, of the names a scope may not take).
//!
//! The folder `_valid` holds the same files without faults and must generate: each case is
//! one fault away from it. With `UPDATE_EXPECT=1` (the workspace's one snapshot-update
//! variable, rust-analyzer's convention), a case whose line does not match gets its actual
//! line written to `expected.txt`, to review.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use b24_codegen::GENERATED_MARKER;

/// How long one run of `cargo xtask gen` may take before it counts as a hang: far above what
/// a case needs (under a second in a debug build), while a loader that read `/dev/zero` to the
/// end or built an alias bomb would never finish.
const CASE_LIMIT: Duration = Duration::from_secs(60);

/// The corpus has at least this many cases; fewer means some were lost.
const MIN_CASES: usize = 30;

fn corpus() -> PathBuf {
    xtask::default_root().join("codegen/tests/bad-specs")
}

/// Every file under `root` as (relative path, bytes); symbolic links as their target.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                files.insert(relative, target.to_string_lossy().into_owned().into_bytes());
            } else if meta.is_dir() {
                walk(root, &path, files);
            } else {
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

/// All files of a case folder under `spec/`, relative to the case folder.
fn overlay_files(case: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut files = Vec::new();
    if case.join("spec").is_dir() {
        walk(case, &case.join("spec"), &mut files);
    }
    files.sort();
    files
}

/// A valid method spec of at least `size` bytes: the corpus's valid method, then comments.
fn padded_spec(size: usize) -> Vec<u8> {
    let base = fs::read(corpus().join("_valid/spec/zz/zz.thing.make.yaml")).unwrap();
    let mut bytes = base;
    let line = format!("# {}\n", "padding ".repeat(12));
    while bytes.len() < size {
        bytes.extend_from_slice(line.as_bytes());
    }
    bytes
}

/// The corpus's valid method with a string of `length` bytes anchored in one description and
/// `count` aliases of it in a list: small as text, `length × count` bytes once expanded.
fn alias_bomb(length: usize, count: usize) -> String {
    let base = fs::read_to_string(corpus().join("_valid/spec/zz/zz.thing.make.yaml")).unwrap();
    let anchor = format!("    description: &long {}\n", "x".repeat(length));
    let aliases = vec!["*long"; count].join(", ");
    let bomb = base.replacen(
        "    description: A label.\n",
        &format!("{anchor}    obtain_from: [{aliases}]\n"),
        1,
    );
    assert_ne!(bomb, base, "the valid method has a `LABEL` parameter");
    bomb
}

/// Lays the case over the scratch workspace at `root`. Returns `{end}`: the line count of the
/// file an `.append` extended (0 if none), or `None` when the case cannot run here.
fn apply_case(case: &Path, root: &Path) -> Option<usize> {
    let mut end = 0;
    for relative in overlay_files(case) {
        let source = case.join(&relative);
        let name = relative.to_string_lossy().into_owned();
        if let Some(target) = name.strip_suffix(".append") {
            let target = root.join(target);
            let mut text = fs::read(&target).expect("the file an .append extends");
            if !text.ends_with(b"\n") {
                text.push(b'\n');
            }
            end = text.iter().filter(|&&b| b == b'\n').count();
            text.extend(fs::read(&source).unwrap());
            fs::write(&target, text).unwrap();
        } else {
            let target = root.join(&relative);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(&source, &target).unwrap();
        }
    }
    let recipe = case.join("recipe.txt");
    if recipe.exists() {
        for line in fs::read_to_string(recipe).unwrap().lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [] => {}
                ["pad", path, size] => {
                    let target = root.join(path);
                    fs::create_dir_all(target.parent().unwrap()).unwrap();
                    fs::write(target, padded_spec(size.parse().unwrap())).unwrap();
                }
                ["alias-bomb", path, length, count] => {
                    let target = root.join(path);
                    fs::create_dir_all(target.parent().unwrap()).unwrap();
                    let bomb = alias_bomb(length.parse().unwrap(), count.parse().unwrap());
                    fs::write(target, bomb).unwrap();
                }
                ["link", path, to] => {
                    let target = root.join(path);
                    fs::create_dir_all(target.parent().unwrap()).unwrap();
                    if !make_link(Path::new(to), &target) {
                        return None;
                    }
                }
                other => panic!("{}: unknown recipe line {other:?}", case.display()),
            }
        }
    }
    Some(end)
}

#[cfg(unix)]
fn make_link(to: &Path, at: &Path) -> bool {
    to.exists() && std::os::unix::fs::symlink(to, at).is_ok()
}

#[cfg(not(unix))]
fn make_link(_: &Path, _: &Path) -> bool {
    false
}

/// `{end}` and `{end+N}` replaced by line numbers.
fn expand(expected: &str, end: usize) -> String {
    let mut out = String::new();
    let mut rest = expected;
    while let Some(open) = rest.find("{end") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 4..];
        let close = after.find('}').expect("`{end…}` is closed");
        let offset: usize = match after[..close].strip_prefix('+') {
            Some(n) => n.parse().expect("`{end+N}`"),
            None => 0,
        };
        out.push_str(&(end + offset).to_string());
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether `actual` is `expected`, where `{any}` stands for any text and a trailing `...` for
/// any rest.
fn matches(actual: &str, expected: &str) -> bool {
    let (expected, open_end) = match expected.strip_suffix("...") {
        Some(prefix) => (prefix, true),
        None => (expected, false),
    };
    let mut parts = expected.split("{any}");
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if last && !open_end {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    open_end || rest.is_empty()
}

#[test]
fn expected_lines_match_with_wildcards() {
    assert!(matches("a b c", "a b c"));
    assert!(!matches("a b c", "a b"));
    assert!(matches("a b c", "a b..."));
    assert!(matches(
        "a [12].b (first at [3])",
        "a [{any}].b (first at [{any}])"
    ));
    assert!(!matches("a [12].c", "a [{any}].b"));
    assert!(matches("x: 1 y", "x: {any} y..."));
    assert!(!matches("x: 1 z", "x: {any} y..."));
}

struct Run {
    code: u8,
    out: String,
    err: String,
}

/// Runs `cargo xtask gen --root <root> [extra]` in a thread; an error if it panics or
/// outlives `limit`.
fn xtask(root: &Path, extra: Option<&str>, limit: Duration) -> Result<Run, String> {
    let mut args = vec![
        "gen".to_owned(),
        "--root".to_owned(),
        root.display().to_string(),
    ];
    args.extend(extra.map(str::to_owned));
    let (send, receive) = mpsc::channel();
    // Detached on a hang: the test fails, and the process ends with it.
    std::thread::spawn(move || {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = xtask::run(args, &mut out, &mut err);
        let _ = send.send(Run {
            code,
            out: String::from_utf8_lossy(&out).into_owned(),
            err: String::from_utf8_lossy(&err).into_owned(),
        });
    });
    receive
        .recv_timeout(limit)
        .map_err(|failure| match failure {
            mpsc::RecvTimeoutError::Timeout => format!("no answer within {limit:?}"),
            mpsc::RecvTimeoutError::Disconnected => "xtask panicked".to_owned(),
        })
}

/// A scratch copy of the workspace's `spec/`, `generated/` and `cli/`, with a stale generated
/// file and a hand edit, so that a run that wrongly went ahead would change bytes.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    // Every folder `gen` reads or writes, without the imported drafts: what they exercise,
    // `cargo xtask gen --check` on the workspace does.
    support::copy_curated(&xtask::default_root(), dir.path());
    fs::write(
        dir.path().join("generated/src/api/zz_stale.rs"),
        format!("// {GENERATED_MARKER}\n"),
    )
    .unwrap();
    let edited = dir.path().join("generated/src/api/mod.rs");
    let mut text = fs::read_to_string(&edited).unwrap();
    text.push_str("// hand edit\n");
    fs::write(edited, text).unwrap();
    dir
}

/// Runs one case: how long it took, or what is wrong with its outcome.
fn check_case(case: &Path, update: bool) -> Result<Duration, String> {
    let dir = scratch();
    let Some(end) = apply_case(case, dir.path()) else {
        eprintln!("{}: skipped (needs symbolic links)", case.display());
        return Ok(Duration::ZERO);
    };
    let before = snapshot(dir.path());
    let expected_path = case.join("expected.txt");
    let started = Instant::now();
    let mut lines = Vec::new();
    for extra in [None, Some("--check")] {
        let run = xtask(dir.path(), extra, CASE_LIMIT).map_err(|e| format!("{extra:?}: {e}"))?;
        if run.code != xtask::EXIT_FAILURE {
            return Err(format!(
                "{extra:?}: exit code {} instead of 1\n{}{}",
                run.code, run.out, run.err
            ));
        }
        if !run.out.is_empty() {
            return Err(format!("{extra:?}: printed on stdout: {}", run.out));
        }
        let errors: Vec<&str> = run
            .err
            .lines()
            .filter(|line| line.starts_with("error:"))
            .collect();
        if errors.len() != 1 {
            return Err(format!(
                "{extra:?}: {} error lines instead of one:\n{}",
                errors.len(),
                run.err
            ));
        }
        let tail: Vec<&str> = run.err.lines().skip(1).collect();
        if tail != ["1 spec error(s); nothing was written"] {
            return Err(format!("{extra:?}: unexpected output:\n{}", run.err));
        }
        if snapshot(dir.path()) != before {
            return Err(format!("{extra:?}: the workspace changed"));
        }
        lines.push(errors[0].to_owned());
    }
    let elapsed = started.elapsed();
    if lines[0] != lines[1] {
        return Err(format!(
            "gen and gen --check disagree:\n{}\n{}",
            lines[0], lines[1]
        ));
    }
    let actual = &lines[0];
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    let expected = expand(expected.trim_end_matches(['\n', '\r']), end);
    if update && !matches(actual, &expected) {
        fs::write(&expected_path, format!("{actual}\n")).unwrap();
        return Ok(elapsed);
    }
    if !matches(actual, &expected) {
        return Err(format!("expected\n  {expected}\ngot\n  {actual}"));
    }
    // Every message names the file, line:column and key path: `error: FILE:L:C: PATH: ...`.
    let located = actual
        .strip_prefix("error: spec/")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(place, rest)| {
            let mut parts = place.rsplitn(3, ':');
            let column: usize = parts.next()?.parse().ok()?;
            let line: usize = parts.next()?.parse().ok()?;
            (line >= 1 && column >= 1 && rest.contains(": ")).then_some(())
        });
    if located.is_none() {
        return Err(format!("not located as FILE:LINE:COLUMN: KEY: …: {actual}"));
    }
    Ok(elapsed)
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("the corpus folder")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && !path.ends_with("_valid"))
        .collect();
    cases.sort();
    cases
}

#[test]
fn the_valid_base_generates() {
    let dir = scratch();
    apply_case(&corpus().join("_valid"), dir.path()).expect("no links needed");
    let run = xtask(dir.path(), None, CASE_LIMIT).expect("finishes");
    assert_eq!(run.code, xtask::EXIT_OK, "{}{}", run.out, run.err);
    assert!(
        dir.path()
            .join("generated/src/api/zz/thing_make.rs")
            .exists(),
        "the valid base must reach the emitter"
    );
}

#[test]
fn every_bad_spec_gives_one_located_error_and_writes_nothing() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let cases = cases();
    assert!(
        cases.len() >= MIN_CASES,
        "only {} cases in the corpus",
        cases.len()
    );
    // Cases are independent (each has its own scratch workspace): a few workers share them.
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<(String, Result<Duration, String>)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let name = case.file_name().unwrap().to_string_lossy().into_owned();
                    let outcome = check_case(case, update);
                    outcomes.lock().unwrap().push((name, outcome));
                }
            });
        }
    });
    let mut outcomes = outcomes.into_inner().unwrap();
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(outcomes.len(), cases.len(), "every case ran");
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for (name, outcome) in outcomes {
        match outcome {
            Ok(elapsed) if elapsed > slowest.0 => slowest = (elapsed, name),
            Ok(_) => {}
            Err(problem) => failures.push(format!("{name}: {problem}")),
        }
    }
    eprintln!(
        "{} bad specs checked; slowest: {} ({:?})",
        cases.len(),
        slowest.1,
        slowest.0
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Most virtual memory the `xtask` process may map in [`inputs_built_to_hurt_stay_within_memory`]:
/// ample for generating the whole workspace, far below what any of those inputs would take if
/// it were read or built whole (10 MiB of YAML as a tree, gigabytes of expanded aliases, an
/// endless device).
#[cfg(unix)]
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

/// The cases made to exhaust memory, run by the real `xtask` binary in a process whose address
/// space is limited (`ulimit -v`): each must still end with its one expected error.
#[cfg(unix)]
#[test]
fn inputs_built_to_hurt_stay_within_memory() {
    use std::process::{Command, Stdio};

    let binary = env!("CARGO_BIN_EXE_xtask");
    for name in [
        "alias-bomb-billion-laughs",
        "alias-bomb-long-string",
        "deep-nesting",
        "endless-device",
        "file-of-10-mib",
    ] {
        let case = corpus().join(name);
        let dir = scratch();
        let Some(end) = apply_case(&case, dir.path()) else {
            continue;
        };
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" gen --root \"$1\""
            ))
            .arg(binary)
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sh runs");
        let started = Instant::now();
        while child
            .try_wait()
            .expect("the child can be waited for")
            .is_none()
        {
            if started.elapsed() > CASE_LIMIT {
                let _ = child.kill();
                panic!("{name}: no answer within {CASE_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().expect("output");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(i32::from(xtask::EXIT_FAILURE)),
            "{name}: {:?}\n{err}",
            output.status
        );
        let expected = fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
        let expected = expand(expected.trim_end_matches(['\n', '\r']), end);
        let first = err.lines().next().unwrap_or_default();
        assert!(matches(first, &expected), "{name}: {err}");
    }
}
