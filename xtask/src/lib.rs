//! `cargo xtask`: regenerates the checked-in code from `spec/` (`gen`), or checks that it is
//! up to date (`gen --check`), drafts specs from the docs snapshot (`import`, in
//! [`import`](mod@import)), and measures the generator and its output (`bench`). The only
//! program that writes generated files.
//!
//! [`run`] takes the arguments and the output streams, so tests drive it like the command line.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use b24_codegen::OWNED_DIRS;

pub mod bench;
pub mod import;

/// Exit code: success (nothing to do, or done).
pub const EXIT_OK: u8 = 0;
/// Exit code: bad specs, drift found by `--check`, or an I/O failure.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: the command line is wrong.
pub const EXIT_USAGE: u8 = 2;

/// The folder, relative to the workspace root, that holds the generated crate: owned by the
/// generator (in [`OWNED_DIRS`]) except for its build output, which `files_under` skips.
const GENERATED_DIR: &str = "generated";

/// Short help for the command line.
pub const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  gen [--check] [--root DIR]   regenerate the code from spec/ (with --check: write nothing,
                               show the differences and fail if there are any)
  import [--check] [--root DIR]
                               draft a spec for every method and event page of
                               docs-snapshot/ into spec/imported/, with REPORT.md (with
                               --check: write nothing, fail on any difference)
  bench [SECTION...] [--json]  measure generation, the drift check, compile cost and
                               runtime overhead (`cargo xtask bench --help`)
  help                         show this text

--root DIR   workspace root to work on (default: the one holding xtask)
";

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `gen`, writing files, or with `check` only comparing them.
    Gen {
        /// The workspace root.
        root: PathBuf,
        /// `--check`: write nothing, report drift.
        check: bool,
    },
    /// `import`, writing `spec/imported/`, or with `check` only comparing it.
    Import {
        /// The workspace root.
        root: PathBuf,
        /// `--check`: write nothing, report drift.
        check: bool,
    },
    /// `bench`: measurements (see [`bench`](mod@bench)).
    Bench(bench::BenchCommand),
    /// `bench --help`.
    BenchHelp,
    /// `help`.
    Help,
}

/// The workspace root this xtask was built in: the parent of its own folder.
pub fn default_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Parses the arguments that follow `cargo xtask`.
pub fn parse_args<I, S>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut args = args.into_iter().map(Into::into);
    match args.next().as_deref() {
        None => Err("no command given".to_owned()),
        Some("help" | "-h" | "--help") => Ok(Command::Help),
        Some(command @ ("gen" | "import")) => {
            let mut check = false;
            let mut root = None;
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    "--check" => check = true,
                    "--root" => match args.next() {
                        Some(dir) => root = Some(PathBuf::from(dir)),
                        None => return Err("`--root` needs a folder".to_owned()),
                    },
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unknown argument to `{command}`: `{other}`")),
                }
            }
            let root = root.unwrap_or_else(default_root);
            Ok(match command {
                "gen" => Command::Gen { root, check },
                _ => Command::Import { root, check },
            })
        }
        Some("bench") => {
            let rest: Vec<String> = args.collect();
            if rest.iter().any(|arg| arg == "-h" || arg == "--help") {
                return Ok(Command::BenchHelp);
            }
            bench::parse_args(rest.into_iter(), default_root()).map(Command::Bench)
        }
        Some(other) => Err(format!("unknown command `{other}`")),
    }
}

/// Runs one command line; returns the process exit code.
pub fn run<I, S>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let result = match parse_args(args) {
        Ok(Command::Help) => write!(out, "{USAGE}").map(|()| EXIT_OK),
        Ok(Command::BenchHelp) => write!(out, "{}", bench::USAGE).map(|()| EXIT_OK),
        Ok(Command::Bench(command)) => bench::run(command, out, err),
        Ok(Command::Gen { root, check: false }) => generate(&root, out, err),
        Ok(Command::Gen { root, check: true }) => check(&root, out, err),
        Ok(Command::Import { root, check }) => import::run(&root, check, out, err),
        Err(problem) => write!(err, "error: {problem}\n\n{USAGE}").map(|()| EXIT_USAGE),
    };
    // Output that cannot be written (closed pipe) is no reason to panic.
    result.unwrap_or(EXIT_FAILURE)
}

/// `cargo xtask gen`: writes what differs, removes orphans, prints a summary.
///
/// On spec errors prints them and writes nothing.
pub fn generate(root: &Path, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    match sync(root, Mode::Write) {
        Ok(outcome) => {
            writeln!(
                out,
                "{} files, {} written, {} removed",
                outcome.file_count, outcome.written, outcome.removed
            )?;
            Ok(EXIT_OK)
        }
        Err(failure) => report_failure(&failure, err),
    }
}

/// `cargo xtask gen --check`: writes nothing; prints each difference as a unified diff.
pub fn check(root: &Path, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let outcome = match sync(root, Mode::Check) {
        Ok(outcome) => outcome,
        Err(failure) => return report_failure(&failure, err),
    };
    if outcome.drifts.is_empty() {
        writeln!(out, "generated code is up to date")?;
        return Ok(EXIT_OK);
    }
    for drift in &outcome.drifts {
        write!(out, "{}", render(drift))?;
    }
    writeln!(
        out,
        "{} generated file(s) differ from what the specs produce: run `cargo xtask gen` to update",
        outcome.drifts.len()
    )?;
    Ok(EXIT_FAILURE)
}

/// Why nothing could be generated.
#[derive(Debug)]
pub enum Failure {
    /// The specs are wrong.
    Specs(Vec<b24_codegen::SpecError>),
    /// A file could not be read or written.
    Io(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Specs(errors) => {
                for (i, error) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "error: {error}")?;
                }
                Ok(())
            }
            Failure::Io(message) => write!(f, "error: {message}"),
        }
    }
}

fn report_failure(failure: &Failure, err: &mut dyn Write) -> io::Result<u8> {
    writeln!(err, "{failure}")?;
    if let Failure::Specs(errors) = failure {
        writeln!(err, "{} spec error(s); nothing was written", errors.len())?;
    }
    Ok(EXIT_FAILURE)
}

impl From<b24_codegen::GenerateError<Failure>> for Failure {
    fn from(error: b24_codegen::GenerateError<Failure>) -> Failure {
        match error {
            b24_codegen::GenerateError::Specs(errors) => Failure::Specs(errors),
            b24_codegen::GenerateError::Sink(failure) => failure,
        }
    }
}

/// One way the files on disk differ from the generator's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file exists with other contents (hand edit or stale spec).
    Changed {
        /// Path relative to the workspace root.
        path: String,
        /// Contents on disk.
        on_disk: String,
        /// Contents the specs produce.
        generated: String,
    },
    /// The specs produce a file that does not exist.
    Missing {
        /// Path relative to the workspace root.
        path: String,
        /// Contents the specs produce.
        generated: String,
    },
    /// A generated file that no spec produces any more.
    Orphan {
        /// Path relative to the workspace root.
        path: String,
        /// Contents on disk.
        on_disk: String,
    },
}

impl Drift {
    /// The file's path, relative to the workspace root.
    pub fn path(&self) -> &str {
        match self {
            Drift::Changed { path, .. }
            | Drift::Missing { path, .. }
            | Drift::Orphan { path, .. } => path,
        }
    }
}

/// Whether [`sync`] brings the disk up to date or only reports how it differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `gen`: write changed and missing files, delete orphans.
    Write,
    /// `gen --check`: write nothing, collect every difference.
    Check,
}

/// What [`sync`] found and did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// How many files the generator produces.
    pub file_count: usize,
    /// Files created or rewritten ([`Mode::Write`]).
    pub written: usize,
    /// Orphans deleted ([`Mode::Write`]).
    pub removed: usize,
    /// Every difference from the disk, sorted by path ([`Mode::Check`]).
    pub drifts: Vec<Drift>,
}

/// Loads the specs under `root`, generates, and compares each file with the disk as soon as
/// it is formatted: [`Mode::Write`] writes it if it differs, [`Mode::Check`] records the
/// difference. Then handles orphans.
///
/// Every spec is validated and resolved before the first file is compared, so bad specs
/// write nothing; generated files are never all held in memory at once.
pub fn sync(root: &Path, mode: Mode) -> Result<Outcome, Failure> {
    let specs = b24_codegen::load_dir(root).map_err(Failure::Specs)?;
    let mut writer = Writer::new(root, mode);
    let threads = b24_codegen::emit::available_threads();
    b24_codegen::generate_each(specs, threads, |file| writer.accept(file))?;
    writer.finish()
}

/// Takes generated files one by one and brings `root` up to date with them (or, checking,
/// records how it differs); [`Writer::finish`] then deals with the files no one produced.
///
/// Writing, a changed file goes to a temporary file beside its place as it arrives (so that
/// memory never holds the output), and all of them are renamed into place only by
/// [`Writer::finish`]: a run that fails half-way (a file that cannot be read, a generator
/// fault) leaves the tree as it was. A writer dropped without finishing removes its
/// temporary files.
#[derive(Debug)]
pub struct Writer<'r> {
    root: &'r Path,
    mode: Mode,
    produced: BTreeSet<String>,
    outcome: Outcome,
    /// Files written to temporary files, not yet renamed into place: (path, temporary file).
    staged: Vec<(String, PathBuf)>,
}

impl<'r> Writer<'r> {
    /// A writer for the workspace at `root`.
    pub fn new(root: &'r Path, mode: Mode) -> Writer<'r> {
        Writer {
            root,
            mode,
            produced: BTreeSet::new(),
            outcome: Outcome::default(),
            staged: Vec::new(),
        }
    }

    /// Compares one generated file with the disk, and writes it or records the difference.
    pub fn accept(&mut self, file: b24_codegen::GeneratedFile) -> Result<(), Failure> {
        let b24_codegen::GeneratedFile { path, contents } = file;
        if !is_safe_relative(&path) {
            return Err(Failure::Io(format!(
                "the generator produced a path outside the workspace: `{path}`"
            )));
        }
        if !self.produced.insert(path.clone()) {
            return Err(Failure::Io(format!(
                "the generator produced `{path}` twice"
            )));
        }
        self.outcome.file_count += 1;
        let on_disk = match fs::read(self.root.join(&path)) {
            Ok(bytes) if bytes == contents.as_bytes() => return Ok(()),
            Ok(bytes) => Some(bytes),
            Err(err) if err.kind() == io::ErrorKind::NotFound => None,
            Err(err) => return Err(Failure::Io(format!("cannot read `{path}`: {err}"))),
        };
        match (self.mode, on_disk) {
            (Mode::Write, _) => {
                let temporary = stage(&self.root.join(&path), contents.as_bytes())
                    .map_err(|err| Failure::Io(format!("cannot write `{path}`: {err}")))?;
                self.staged.push((path, temporary));
            }
            (Mode::Check, Some(bytes)) => self.outcome.drifts.push(Drift::Changed {
                path,
                on_disk: String::from_utf8_lossy(&bytes).into_owned(),
                generated: contents,
            }),
            (Mode::Check, None) => self.outcome.drifts.push(Drift::Missing {
                path,
                generated: contents,
            }),
        }
        Ok(())
    }

    /// Renames the written files into place, deletes (or, checking, records) the generated
    /// files on disk that no accepted file replaced, and returns what was done.
    pub fn finish(mut self) -> Result<Outcome, Failure> {
        for (path, temporary) in std::mem::take(&mut self.staged) {
            if let Err(err) = fs::rename(&temporary, self.root.join(&path)) {
                let _ = fs::remove_file(&temporary);
                return Err(Failure::Io(format!("cannot write `{path}`: {err}")));
            }
            self.outcome.written += 1;
        }
        for path in orphans(self.root, &self.produced).map_err(Failure::Io)? {
            match self.mode {
                Mode::Write => {
                    fs::remove_file(self.root.join(&path))
                        .map_err(|err| Failure::Io(format!("cannot remove `{path}`: {err}")))?;
                    self.outcome.removed += 1;
                    remove_empty_parents(self.root, &path).map_err(|err| {
                        Failure::Io(format!("cannot remove the empty folder of `{path}`: {err}"))
                    })?;
                }
                Mode::Check => {
                    let on_disk = fs::read(self.root.join(&path))
                        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                        .map_err(|err| Failure::Io(format!("cannot read `{path}`: {err}")))?;
                    self.outcome.drifts.push(Drift::Orphan { path, on_disk });
                }
            }
        }
        self.outcome.drifts.sort_by(|a, b| a.path().cmp(b.path()));
        Ok(std::mem::take(&mut self.outcome))
    }
}

impl Drop for Writer<'_> {
    /// A run that did not finish: its temporary files go, and the tree stays as it was.
    fn drop(&mut self) {
        for (path, temporary) in self.staged.drain(..) {
            let _ = fs::remove_file(&temporary);
            let _ = remove_empty_parents(self.root, &path);
        }
    }
}

/// Renders one drift: a named header, then a unified diff from the disk to the specs' output.
pub fn render(drift: &Drift) -> String {
    let (header, old, new) = match drift {
        Drift::Changed {
            path,
            on_disk,
            generated,
        } => (
            format!("changed: {path} (hand edit or stale spec)"),
            on_disk.as_str(),
            generated.as_str(),
        ),
        Drift::Missing { path, generated } => (format!("missing: {path}"), "", generated.as_str()),
        Drift::Orphan { path, on_disk } => (
            format!("orphan: {path} (no spec produces it)"),
            on_disk.as_str(),
            "",
        ),
    };
    let path = drift.path();
    let mut text = String::new();
    let _ = writeln!(text, "{header}");
    let diff = similar::TextDiff::from_lines(old, new);
    let _ = write!(
        text,
        "{}",
        diff.unified_diff().header(
            &format!("a/{path} (checked in)"),
            &format!("b/{path} (from specs)")
        )
    );
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// A generator path is usable if it is relative, `/`-separated and stays inside the root.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains(':'))
}

/// Files on disk that are generated but not wanted: every file in the owned folders (the
/// whole generated crate among them) that the generator did not produce.
fn orphans(root: &Path, wanted: &BTreeSet<String>) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    for dir in OWNED_DIRS {
        for path in files_under(root, dir)? {
            if !wanted.contains(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// Every file under `root/dir` (relative to `root`, `/`-separated), sorted; none if the folder
/// does not exist. Does not enter `target` build folders.
fn files_under(root: &Path, dir: &str) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(relative) = pending.pop() {
        let entries = match fs::read_dir(root.join(&relative)) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
            Err(err) => return Err(format!("cannot read the folder `{relative}`: {err}")),
        };
        for entry in entries {
            let entry =
                entry.map_err(|err| format!("cannot read the folder `{relative}`: {err}"))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = format!("{relative}/{name}");
            let kind = entry
                .file_type()
                .map_err(|err| format!("cannot read `{path}`: {err}"))?;
            if kind.is_dir() {
                if path != format!("{GENERATED_DIR}/target") {
                    pending.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Writes `contents` to a temporary file in `path`'s folder (created if need be) and returns
/// it; [`Writer::finish`] renames it into place, so that an interrupted run never leaves a
/// half-written file behind.
fn stage(path: &Path, contents: &[u8]) -> io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.xtask-{}.tmp", std::process::id()));
    if let Err(err) = fs::write(&temporary, contents) {
        let _ = fs::remove_file(&temporary);
        return Err(err);
    }
    Ok(temporary)
}

/// Removes the folders that `path`'s removal left empty, up to (not including) its owned folder.
fn remove_empty_parents(root: &Path, path: &str) -> io::Result<()> {
    let Some(owned) = OWNED_DIRS
        .iter()
        .find(|dir| path.starts_with(&format!("{dir}/")))
    else {
        return Ok(());
    };
    let mut current = Path::new(path).parent();
    while let Some(dir) = current {
        if dir == Path::new(owned) || !dir.starts_with(owned) {
            break;
        }
        let full = root.join(dir);
        if fs::read_dir(&full)?.next().is_some() {
            break;
        }
        fs::remove_dir(&full)?;
        current = dir.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_command_lines() {
        assert_eq!(parse_args(["help"]), Ok(Command::Help));
        assert_eq!(parse_args(["--help"]), Ok(Command::Help));
        assert_eq!(
            parse_args(["gen", "--check", "--root", "/x"]),
            Ok(Command::Gen {
                root: PathBuf::from("/x"),
                check: true
            })
        );
        assert_eq!(
            parse_args(["gen"]),
            Ok(Command::Gen {
                root: default_root(),
                check: false
            })
        );
        assert!(parse_args(Vec::<String>::new()).is_err());
        assert!(parse_args(["gen", "--frobnicate"]).is_err());
        assert!(parse_args(["gen", "--root"]).is_err());
        assert_eq!(
            parse_args(["import", "--check"]),
            Ok(Command::Import {
                root: default_root(),
                check: true
            })
        );
        assert!(parse_args(["import", "--frobnicate"]).is_err());
        assert!(parse_args(["generate"]).is_err());
    }

    #[test]
    fn default_root_is_the_workspace() {
        assert!(default_root().join("xtask").join("Cargo.toml").is_file());
    }

    #[test]
    fn usage_errors_exit_2() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(run(["bogus"], &mut out, &mut err), EXIT_USAGE);
        let err = String::from_utf8(err).unwrap();
        assert!(err.starts_with("error: unknown command `bogus`"), "{err}");
        assert!(err.contains("usage: cargo xtask"), "{err}");

        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(run(["help"], &mut out, &mut err), EXIT_OK);
        assert!(String::from_utf8(out).unwrap().starts_with("usage:"));
    }

    #[test]
    fn safe_paths() {
        assert!(is_safe_relative("generated/src/api/log.rs"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a\\b",
            "C:/x",
            "./a",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn renders_named_unified_diffs() {
        let changed = render(&Drift::Changed {
            path: "generated/src/api/log.rs".into(),
            on_disk: "a\nb\n".into(),
            generated: "a\nc\n".into(),
        });
        assert!(
            changed.starts_with("changed: generated/src/api/log.rs"),
            "{changed}"
        );
        assert!(
            changed.contains("--- a/generated/src/api/log.rs (checked in)"),
            "{changed}"
        );
        assert!(
            changed.contains("+++ b/generated/src/api/log.rs (from specs)"),
            "{changed}"
        );
        assert!(changed.contains("-b\n+c\n"), "{changed}");

        let missing = render(&Drift::Missing {
            path: "x.rs".into(),
            generated: "new\n".into(),
        });
        assert!(missing.starts_with("missing: x.rs\n"), "{missing}");
        assert!(missing.contains("+new\n"), "{missing}");

        let orphan = render(&Drift::Orphan {
            path: "y.rs".into(),
            on_disk: "old".into(),
        });
        assert!(
            orphan.starts_with("orphan: y.rs (no spec produces it)\n"),
            "{orphan}"
        );
        assert!(orphan.contains("-old"), "{orphan}");
        assert!(orphan.ends_with('\n'));
    }
}
