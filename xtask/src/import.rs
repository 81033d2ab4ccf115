//! `cargo xtask import [--check]`: drafts a spec for every method and event page of the docs
//! snapshot (`docs-snapshot/b24restdocs/`) into `spec/imported/`, with a coverage report.
//!
//! Pages are read and drafted on every core (`b24-import`); each draft is validated in
//! memory by the generator, and one it refuses is made simpler step by step (examples
//! dropped, parameters untyped, result untyped, error rows dropped), each step recorded;
//! a draft still refused is not written and is listed with the error. Then every draft
//! is validated together with the curated specs (names may clash across files). Files are
//! written only when all is done (temporary files renamed into place), and files under
//! `spec/imported/` that no page produces are removed. `--check` writes nothing and fails
//! on any difference, and on a page that changed under a curated spec.

mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

use b24_codegen::SpecError;
use b24_codegen::spec::ApiVersion;
use b24_import::draft::{self, Drafted, EventDraft, Keys, MethodDraft, PageInput};

use super::{EXIT_FAILURE, EXIT_OK};

/// The snapshot, relative to the workspace root.
pub const SNAPSHOT_DIR: &str = "docs-snapshot/b24restdocs";
/// The drafts' folder, relative to the workspace root: `import` owns everything in it.
pub const IMPORTED_DIR: &str = "spec/imported";

/// What became of one page, after validation.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// A method draft that validates (gaps: what it left out).
    Method(Box<MethodDraft>),
    /// An event draft that validates.
    Event(Box<EventDraft>),
    /// A page that yields no file.
    Skipped {
        page: String,
        name: Option<String>,
        module: String,
        event: bool,
        deprecated: bool,
        reason: String,
        detail: String,
    },
}

/// A curated spec and the draft it replaces.
#[derive(Debug, Clone)]
pub(crate) struct Curated {
    /// The curated file.
    pub file: String,
    /// The draft's page.
    pub page: String,
    /// `None`: the curated spec names no `source.sha256`; `Some(true)`: the page changed.
    pub changed: Option<bool>,
}

/// `cargo xtask import [--check]`.
pub fn run(root: &Path, check: bool, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let started = Instant::now();
    let snapshot = root.join(SNAPSHOT_DIR);
    if !snapshot.join("api-reference").is_dir() {
        writeln!(err, "error: no snapshot at `{}`", snapshot.display())?;
        return Ok(EXIT_FAILURE);
    }
    let pages = read_pages(&snapshot, err)?;
    let page_count = pages.len();
    let keys = Keys::ALL;
    writeln!(err, "import: {page_count} pages read; drafting")?;
    let drafted = draft::draft_all(&pages, keys);
    drop(pages);
    let curated = match curated_specs(root) {
        Ok(curated) => curated,
        Err(message) => {
            writeln!(err, "error: {message}")?;
            return Ok(EXIT_FAILURE);
        }
    };
    let mut outcomes = validate_each(drafted, keys, err)?;
    validate_together(&mut outcomes, &curated.files, keys, err)?;
    let curations = compare_curated(&outcomes, &curated);
    let files = render(&outcomes, &curations, keys);
    let summary = report::summary(&outcomes, page_count, started.elapsed());
    let code = sync(root, files, check, &curations, out, err)?;
    writeln!(err, "{summary}")?;
    Ok(code)
}

/// Reads every page (bytes, hash, model) on every core, with a progress line every 200.
fn read_pages(snapshot: &Path, err: &mut dyn Write) -> io::Result<Vec<PageInput>> {
    let paths = b24_import::page_paths(snapshot);
    let threads = b24_codegen::emit::available_threads().clamp(1, 8);
    let (sender, receiver) = mpsc::channel();
    let mut slots: Vec<Option<PageInput>> = vec![None; paths.len()];
    std::thread::scope(|scope| -> io::Result<()> {
        for t in 0..threads {
            let sender = sender.clone();
            let paths = &paths;
            scope.spawn(move || {
                for (i, path) in paths.iter().enumerate().skip(t).step_by(threads) {
                    let bytes = fs::read(snapshot.join(path)).unwrap_or_default();
                    let input = PageInput {
                        page: b24_import::parse_page(snapshot, path),
                        sha256: b24_import::sha256_hex(&bytes),
                    };
                    if sender.send((i, input)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        for (done, (i, input)) in receiver.iter().enumerate() {
            slots[i] = Some(input);
            if (done + 1) % 200 == 0 {
                writeln!(err, "import: read {} of {} pages", done + 1, paths.len())?;
            }
        }
        Ok(())
    })?;
    Ok(slots.into_iter().flatten().collect())
}

/// Loads, validates and resolves in-memory spec files.
pub(crate) fn validate_files(files: Vec<(String, Vec<u8>)>) -> Result<(), Vec<SpecError>> {
    let set = b24_codegen::load_files(files)?;
    b24_codegen::validate::validate(&set)?;
    b24_codegen::model::build(&set).map(|_| ())
}

/// Validates each draft alone, on every core, degrading what the generator refuses.
fn validate_each(
    drafted: Vec<Drafted>,
    keys: Keys,
    err: &mut dyn Write,
) -> io::Result<Vec<Outcome>> {
    let threads = b24_codegen::emit::available_threads().clamp(1, 8);
    let total = drafted.len();
    let chunk = total.div_ceil(threads).max(1);
    let mut outcomes = Vec::with_capacity(total);
    let parts: Vec<Vec<Drafted>> = {
        let mut parts = Vec::new();
        let mut rest = drafted.into_iter();
        loop {
            let part: Vec<Drafted> = rest.by_ref().take(chunk).collect();
            if part.is_empty() {
                break;
            }
            parts.push(part);
        }
        parts
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    part.into_iter()
                        .map(|d| settle(d, keys))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            outcomes.extend(
                handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
    });
    writeln!(err, "import: {total} drafts validated")?;
    Ok(outcomes)
}

/// One draft through the generator's checks.
fn settle(drafted: Drafted, keys: Keys) -> Outcome {
    match drafted {
        Drafted::Method(mut m) => match settle_method(&mut m, keys) {
            Ok(()) => Outcome::Method(m),
            Err(error) => refused(
                &m.page,
                Some(&m.method),
                &m.scope,
                (false, m.deprecated.is_some()),
                error,
            ),
        },
        Drafted::Event(mut e) => match settle_event(&mut e, keys) {
            Ok(()) => Outcome::Event(e),
            Err(error) => refused(&e.page, Some(&e.event), &e.scope, (true, false), error),
        },
        Drafted::Skipped {
            page,
            name,
            module,
            deprecated,
            event,
            gap,
        } => Outcome::Skipped {
            event,
            deprecated,
            page,
            name,
            module,
            reason: gap.reason,
            detail: gap.detail,
        },
    }
}

/// A draft the generator refuses; `(event, deprecated)` says what the page was.
fn refused(
    page: &str,
    name: Option<&str>,
    module: &str,
    (event, deprecated): (bool, bool),
    error: String,
) -> Outcome {
    Outcome::Skipped {
        page: page.to_string(),
        name: name.map(str::to_string),
        module: module.to_string(),
        event,
        deprecated,
        reason: "the generator refuses the draft".into(),
        detail: error,
    }
}

/// Validates a method draft, degrading it until it validates; the error if it never does.
fn settle_method(m: &mut MethodDraft, keys: Keys) -> Result<(), String> {
    const STEPS: [&str; 5] = [
        "paging dropped",
        "examples dropped",
        "parameters untyped",
        "result untyped",
        "error rows dropped",
    ];
    let check = |m: &MethodDraft| {
        let text = draft::method_yaml(m, keys);
        validate_files(vec![(m.file.clone(), text.into_bytes())]).map_err(|e| first_error(&e))
    };
    let mut error = match check(m) {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    for (step, name) in MethodDraft::DEGRADE_STEPS.iter().zip(STEPS) {
        if !step(m) {
            continue;
        }
        m.gaps.push(draft::Gap {
            reason: format!("degraded: {name}"),
            detail: error.clone(),
        });
        match check(m) {
            Ok(()) => return Ok(()),
            Err(next) => error = next,
        }
    }
    Err(error)
}

/// Validates an event draft; without its examples, then with its fields untyped, if need be.
fn settle_event(e: &mut EventDraft, keys: Keys) -> Result<(), String> {
    let check = |e: &EventDraft| {
        let text = draft::event_yaml(e, keys);
        validate_files(vec![(e.file.clone(), text.into_bytes())]).map_err(|e| first_error(&e))
    };
    let mut error = match check(e) {
        Ok(()) => return Ok(()),
        Err(error) => error,
    };
    if !e.examples.is_empty() {
        e.examples.clear();
        e.gaps.push(draft::Gap {
            reason: "degraded: examples dropped".into(),
            detail: error.clone(),
        });
        match check(e) {
            Ok(()) => return Ok(()),
            Err(next) => error = next,
        }
    }
    Err(error)
}

/// The first error, without the file (the report names the page).
fn first_error(errors: &[SpecError]) -> String {
    errors
        .first()
        .map(|e| {
            let path = e.key_path.to_string();
            if path.is_empty() {
                e.message.clone()
            } else {
                format!("{path}: {}", e.message)
            }
        })
        .unwrap_or_default()
}

/// The curated specs: every method and event file under `spec/` outside `spec/imported/`.
struct CuratedSet {
    /// (path, bytes), for validating the whole set.
    files: Vec<(String, Vec<u8>)>,
    /// Method (name, v3) → (file, source.sha256).
    methods: BTreeMap<(String, bool), (String, Option<String>)>,
    /// Event name → (file, source.sha256).
    events: BTreeMap<String, (String, Option<String>)>,
}

fn curated_specs(root: &Path) -> Result<CuratedSet, String> {
    let mut files = Vec::new();
    collect_yaml(root, "spec", &mut files)?;
    let set = b24_codegen::load_files(files.clone()).map_err(|errors| {
        let first = errors.first().map(ToString::to_string).unwrap_or_default();
        format!("the curated specs do not load: {first}")
    })?;
    let methods = set
        .methods
        .iter()
        .map(|s| {
            let v3 = s.spec.api == ApiVersion::V3;
            let hash = s.spec.source.as_ref().map(|s| s.sha256.clone());
            ((s.spec.method.clone(), v3), (s.file.clone(), hash))
        })
        .collect();
    let events = set
        .events
        .iter()
        .map(|s| {
            let hash = s.spec.source.as_ref().map(|s| s.sha256.clone());
            (s.spec.event.clone(), (s.file.clone(), hash))
        })
        .collect();
    Ok(CuratedSet {
        files,
        methods,
        events,
    })
}

/// `.yaml` files under `root/rel`, skipping `spec/imported` and `spec/schema`.
fn collect_yaml(root: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), String> {
    if rel == IMPORTED_DIR || rel == "spec/schema" {
        return Ok(());
    }
    let entries = fs::read_dir(root.join(rel)).map_err(|e| format!("cannot read `{rel}`: {e}"))?;
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{rel}/{name}");
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect_yaml(root, &path, out)?;
        } else if name.ends_with(".yaml") {
            let bytes = fs::read(entry.path()).map_err(|e| format!("cannot read `{path}`: {e}"))?;
            out.push((path, bytes));
        }
    }
    Ok(())
}

/// Validates every draft with the curated specs (the loader leaves out the drafts a curated
/// spec replaces); a draft named in an error is dropped, and the set tried again, until it
/// validates.
fn validate_together(
    outcomes: &mut [Outcome],
    curated: &[(String, Vec<u8>)],
    keys: Keys,
    err: &mut dyn Write,
) -> io::Result<()> {
    for _ in 0..20 {
        let mut files: Vec<(String, Vec<u8>)> = curated.to_vec();
        let mut by_file = BTreeMap::new();
        for (i, o) in outcomes.iter().enumerate() {
            let (file, text) = match o {
                Outcome::Method(m) => (m.file.clone(), draft::method_yaml(m, keys)),
                Outcome::Event(e) => (e.file.clone(), draft::event_yaml(e, keys)),
                Outcome::Skipped { .. } => continue,
            };
            by_file.insert(file.clone(), i);
            files.push((file, text.into_bytes()));
        }
        let errors = match validate_files(files) {
            Ok(()) => return Ok(()),
            Err(errors) => errors,
        };
        let mut dropped = 0;
        let mut seen = BTreeSet::new();
        for error in &errors {
            if let Some(&i) = by_file.get(&error.file)
                && seen.insert(i)
            {
                let detail = format!(
                    "with the other specs: {}",
                    first_error(std::slice::from_ref(error))
                );
                outcomes[i] = match &outcomes[i] {
                    Outcome::Method(m) => refused(
                        &m.page,
                        Some(&m.method),
                        &m.scope,
                        (false, m.deprecated.is_some()),
                        detail,
                    ),
                    Outcome::Event(e) => {
                        refused(&e.page, Some(&e.event), &e.scope, (true, false), detail)
                    }
                    other => other.clone(),
                };
                dropped += 1;
            }
        }
        writeln!(
            err,
            "import: {dropped} draft(s) clash with other specs; left out"
        )?;
        if dropped == 0 {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            writeln!(err, "error: the specs do not validate together: {first}")?;
            return Ok(());
        }
    }
    Ok(())
}

/// Each curated spec that replaces a draft, and whether its page changed since.
fn compare_curated(outcomes: &[Outcome], curated: &CuratedSet) -> Vec<Curated> {
    let mut out = Vec::new();
    for o in outcomes {
        let (found, page, sha) = match o {
            Outcome::Method(m) => (
                curated
                    .methods
                    .get(&(m.method.clone(), m.api == b24_import::ApiVersion::V3)),
                &m.page,
                &m.sha256,
            ),
            Outcome::Event(e) => (curated.events.get(&e.event), &e.page, &e.sha256),
            Outcome::Skipped { .. } => continue,
        };
        if let Some((file, hash)) = found {
            out.push(Curated {
                file: file.clone(),
                page: page.clone(),
                changed: hash.as_ref().map(|h| h != sha),
            });
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// Every file `spec/imported/` should hold: the drafts and the report.
fn render(outcomes: &[Outcome], curated: &[Curated], keys: Keys) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for o in outcomes {
        match o {
            Outcome::Method(m) => {
                files.insert(m.file.clone(), draft::method_yaml(m, keys));
            }
            Outcome::Event(e) => {
                files.insert(e.file.clone(), draft::event_yaml(e, keys));
            }
            Outcome::Skipped { .. } => {}
        }
    }
    files.insert(
        format!("{IMPORTED_DIR}/REPORT.md"),
        report::markdown(outcomes, curated),
    );
    files
}

/// Brings `spec/imported/` to `files` (or, checking, reports how it differs), all at once.
fn sync(
    root: &Path,
    files: BTreeMap<String, String>,
    check: bool,
    curated: &[Curated],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<u8> {
    let mut on_disk = Vec::new();
    list_files(root, IMPORTED_DIR, &mut on_disk)?;
    let wanted: BTreeSet<&String> = files.keys().collect();
    let orphans: Vec<&String> = on_disk.iter().filter(|p| !wanted.contains(p)).collect();
    let changed: Vec<(&String, &String)> = files
        .iter()
        .filter(|(path, text)| fs::read(root.join(path)).ok().as_deref() != Some(text.as_bytes()))
        .collect();
    for c in curated {
        match c.changed {
            Some(true) => writeln!(
                out,
                "page changed under curated spec {} ({})",
                c.file, c.page
            )?,
            None => writeln!(
                out,
                "curated spec {} names no source.sha256 ({})",
                c.file, c.page
            )?,
            Some(false) => {}
        }
    }
    let stale_curation = curated.iter().any(|c| c.changed == Some(true));
    if check {
        for (path, _) in &changed {
            writeln!(out, "differs: {path}")?;
        }
        for path in &orphans {
            writeln!(out, "orphan: {path}")?;
        }
        let clean = changed.is_empty() && orphans.is_empty() && !stale_curation;
        if clean {
            writeln!(out, "imported specs are up to date")?;
        } else {
            writeln!(
                out,
                "{} file(s) differ, {} orphan(s): run `cargo xtask import`",
                changed.len(),
                orphans.len()
            )?;
        }
        return Ok(if clean { EXIT_OK } else { EXIT_FAILURE });
    }
    let mut staged = Vec::new();
    for (path, text) in &changed {
        match super::stage(&root.join(path), text.as_bytes()) {
            Ok(temporary) => staged.push((path.to_string(), temporary)),
            Err(e) => {
                for (_, t) in &staged {
                    let _ = fs::remove_file(t);
                }
                writeln!(err, "error: cannot write `{path}`: {e}")?;
                return Ok(EXIT_FAILURE);
            }
        }
    }
    for (path, temporary) in staged {
        fs::rename(&temporary, root.join(&path))?;
    }
    for path in &orphans {
        fs::remove_file(root.join(path))?;
        remove_empty_dirs(root, path);
    }
    writeln!(
        out,
        "{} files, {} written, {} removed",
        files.len(),
        changed.len(),
        orphans.len()
    )?;
    Ok(if stale_curation {
        EXIT_FAILURE
    } else {
        EXIT_OK
    })
}

/// Files under `root/rel`, relative to the root, sorted.
fn list_files(root: &Path, rel: &str, out: &mut Vec<String>) -> io::Result<()> {
    let entries = match fs::read_dir(root.join(rel)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = format!("{rel}/{}", entry.file_name().to_string_lossy());
        if entry.file_type()?.is_dir() {
            list_files(root, &path, out)?;
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// Removes the folders under `spec/imported/` that a removal left empty.
fn remove_empty_dirs(root: &Path, path: &str) {
    let mut current = Path::new(path).parent();
    while let Some(dir) = current {
        if dir == Path::new(IMPORTED_DIR) || fs::remove_dir(root.join(dir)).is_err() {
            break;
        }
        current = dir.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_of_the_format_validates() {
        let page = b24_import::parse_text(
            "api-reference/x/x-y-get.md",
            "# Get x.y.get\n\n> Scope: [`x`](s)\n>\n> Who can execute the method: anyone\n\n## Method Parameters\n\n#|\n|| **Name**\n`type` | **Description** ||\n|| **id***\n[`integer`](t) | Id ||\n|#\n",
        );
        let pages = [PageInput {
            page,
            sha256: "0".repeat(64),
        }];
        let Drafted::Method(m) = &draft::draft_all(&pages, Keys::ALL)[0] else {
            panic!("no method draft");
        };
        let text = draft::method_yaml(m, Keys::ALL);
        assert_eq!(
            validate_files(vec![(m.file.clone(), text.into_bytes())]),
            Ok(())
        );
    }

    #[test]
    fn a_refused_draft_is_degraded_and_says_why() {
        let page = b24_import::parse_text(
            "api-reference/x/x-y-get.md",
            "# Get x.y.get\n\n> Who can execute the method: anyone\n",
        );
        let pages = [PageInput {
            page,
            sha256: "0".repeat(64),
        }];
        let Drafted::Method(mut m) = draft::draft_all(&pages, Keys::ALL).remove(0) else {
            panic!("no method draft");
        };
        // Two rows the generator cannot tell apart.
        let row = draft::ErrorDraft {
            name: "Same".into(),
            status: 400,
            code: "X".into(),
            description: "D".into(),
            meaning: "M".into(),
            by_code: false,
        };
        m.errors = vec![
            row.clone(),
            draft::ErrorDraft {
                name: "Other".into(),
                ..row
            },
        ];
        assert_eq!(settle_method(&mut m, Keys::ALL), Ok(()));
        assert!(m.errors.is_empty());
        let last = m.gaps.last().unwrap();
        assert_eq!(last.reason, "degraded: error rows dropped");
        assert!(last.detail.contains("errors[1]"), "{}", last.detail);
    }
}
