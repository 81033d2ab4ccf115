//! Reading `spec/`: finds the spec files, sorts them by kind and parses each one.
//!
//! This is the only place the generator reads files. [`load_files`] does the work on
//! in-memory files (tests, fuzzing, benchmarks); [`load_dir`] only adds the reading.
//!
//! Layout, paths relative to the workspace root:
//! - `spec/shared/grammars/*.yaml`: [`GrammarSpec`]
//! - `spec/shared/objects/*.yaml`: [`ObjectSpec`]
//! - `spec/shared/enums/*.yaml`: [`EnumSpec`]
//! - `spec/<scope>/events/*.yaml`: [`EventSpec`]
//! - `spec/<scope>/*.yaml`: [`MethodSpec`], scope folders in lowercase
//! - `spec/imported/<scope>/*.yaml` (`<method>.yaml`, `<method>.v3.yaml`) and
//!   `spec/imported/<scope>/events/*.yaml`: the drafts `cargo xtask import` writes from the
//!   official pages, of the same kinds; `spec/imported/REPORT.md` is not a spec.
//!
//! A hand-written ("curated") spec replaces the imported draft it covers: a method spec outside
//! `spec/imported/` with the same wire name and `api` as a draft, or an event spec with the same
//! `event` name, makes the loader drop the draft ([`SpecSet::replaced`] says which), so the
//! curated facts win and the draft is still regenerated untouched beside them.
//!
//! `spec/README.md` and `spec/schema/` are not specs. Other files that do not end in `.yaml`
//! are ignored, except `.yml`, which is refused so that a misnamed spec is not silently lost.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use crate::diag::{KeyPath, SpecError};
use crate::parallel;
use crate::spec::{EnumSpec, EventSpec, GrammarSpec, MethodSpec, ObjectSpec};
use crate::yaml;

/// One parsed spec file with what is needed to report errors in it.
#[derive(Debug, Clone)]
pub struct Source<T> {
    /// Path relative to the workspace root, `/` separators (`spec/log/log.blogpost.share.yaml`).
    pub file: String,
    /// The file's text.
    pub text: String,
    /// The parsed spec, shared with the model built from it (so that dropping the specs
    /// after the model frees only the texts).
    pub spec: Arc<T>,
}

impl<T> Source<T> {
    /// An error in this file at the key `path`, located by its line and column (of the deepest
    /// part of `path` present in the file; 1:1 if none is).
    pub fn error_at(&self, path: &KeyPath, message: impl Into<String>) -> SpecError {
        let (line, column) = yaml::locate(&self.text, path).unwrap_or((1, 1));
        SpecError {
            file: self.file.clone(),
            line,
            column,
            key_path: path.clone(),
            message: message.into(),
        }
    }
}

/// Every spec file, parsed; each list sorted by path.
#[derive(Debug, Clone, Default)]
pub struct SpecSet {
    /// `spec/<scope>/*.yaml`.
    pub methods: Vec<Source<MethodSpec>>,
    /// `spec/shared/grammars/*.yaml`.
    pub grammars: Vec<Source<GrammarSpec>>,
    /// `spec/shared/objects/*.yaml`.
    pub objects: Vec<Source<ObjectSpec>>,
    /// `spec/shared/enums/*.yaml`.
    pub enums: Vec<Source<EnumSpec>>,
    /// `spec/<scope>/events/*.yaml`.
    pub events: Vec<Source<EventSpec>>,
    /// Imported drafts a curated spec replaces, dropped from the lists above: (draft file,
    /// curated file), sorted by draft file.
    pub replaced: Vec<(String, String)>,
}

/// Reads and parses every spec under `<workspace_root>/spec`.
///
/// Reports the errors of all files, not just the first.
pub fn load_dir(workspace_root: &Path) -> Result<SpecSet, Vec<SpecError>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    read_tree(
        &workspace_root.join(SPEC_DIR),
        SPEC_DIR,
        &mut files,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    load_files(files)
}

/// Parses in-memory spec files: `(path relative to the workspace root, contents)`.
///
/// Pure; applies the same layout rules as [`load_dir`], whatever the order of `files`. The
/// files are parsed on as many threads as the machine has; the result and the errors come
/// in path order all the same.
pub fn load_files(mut files: Vec<(String, Vec<u8>)>) -> Result<SpecSet, Vec<SpecError>> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut errors = Vec::new();
    // What each file is (cheap, in order); `None` for the second copy of a path.
    let kinds: Vec<Option<Result<Kind, String>>> = files
        .iter()
        .enumerate()
        .map(|(index, (file, _))| {
            let repeated = index > 0 && files[index - 1].0 == *file;
            (!repeated).then(|| classify(file))
        })
        .collect();
    let (names, contents): (Vec<String>, Vec<Vec<u8>>) = files.into_iter().unzip();
    let mut parsed = parse_all(&names, contents, &kinds).into_iter();
    let mut set = SpecSet::default();
    for (file, kind) in names.iter().zip(&kinds) {
        let parsed = parsed.next().flatten();
        match kind {
            None => errors.push(file_error(file, "the same file is given twice")),
            Some(Err(message)) => errors.push(file_error(file, message.clone())),
            Some(Ok(_)) => match parsed {
                None => {}
                Some(Err(error)) => errors.push(error),
                Some(Ok(Parsed::Method(source))) => set.methods.push(source),
                Some(Ok(Parsed::Grammar(source))) => set.grammars.push(source),
                Some(Ok(Parsed::Object(source))) => set.objects.push(source),
                Some(Ok(Parsed::Enum(source))) => set.enums.push(source),
                Some(Ok(Parsed::Event(source))) => set.events.push(source),
            },
        }
    }
    if errors.is_empty() {
        drop_replaced_drafts(&mut set);
        Ok(set)
    } else {
        Err(errors)
    }
}

/// The folder `cargo xtask import` writes its drafts to.
pub const IMPORTED_DIR: &str = "spec/imported/";

/// Whether a spec file is an imported draft (under `spec/imported/`).
pub fn is_imported(file: &str) -> bool {
    file.starts_with(IMPORTED_DIR)
}

/// Drops each imported draft that a curated spec covers: a method of the same wire name and
/// `api`, an event of the same `event` name. Two curated specs (or two drafts) of one method
/// are left for the model to report.
fn drop_replaced_drafts(set: &mut SpecSet) {
    use std::collections::BTreeMap;
    let curated_methods: BTreeMap<_, &str> = set
        .methods
        .iter()
        .filter(|source| !is_imported(&source.file))
        .map(|source| {
            (
                (source.spec.method.clone(), source.spec.api),
                source.file.as_str(),
            )
        })
        .collect();
    let curated_events: BTreeMap<_, &str> = set
        .events
        .iter()
        .filter(|source| !is_imported(&source.file))
        .map(|source| (source.spec.event.clone(), source.file.as_str()))
        .collect();
    let mut replaced = Vec::new();
    let mut keep_method = Vec::new();
    for source in &set.methods {
        let key = (source.spec.method.clone(), source.spec.api);
        let by = curated_methods
            .get(&key)
            .filter(|_| is_imported(&source.file));
        if let Some(curated) = by {
            replaced.push((source.file.clone(), (*curated).to_owned()));
        }
        keep_method.push(by.is_none());
    }
    let mut keep_event = Vec::new();
    for source in &set.events {
        let by = curated_events
            .get(&source.spec.event)
            .filter(|_| is_imported(&source.file));
        if let Some(curated) = by {
            replaced.push((source.file.clone(), (*curated).to_owned()));
        }
        keep_event.push(by.is_none());
    }
    let mut keep = keep_method.into_iter();
    set.methods.retain(|_| keep.next().unwrap_or(true));
    let mut keep = keep_event.into_iter();
    set.events.retain(|_| keep.next().unwrap_or(true));
    replaced.sort();
    set.replaced = replaced;
}

/// One parsed spec file, of whichever kind.
enum Parsed {
    Method(Source<MethodSpec>),
    Grammar(Source<GrammarSpec>),
    Object(Source<ObjectSpec>),
    Enum(Source<EnumSpec>),
    Event(Source<EventSpec>),
}

/// Parses every file whose kind is known (`None` for the others), in file order, on every
/// core: the files are independent of each other. Each file's bytes become its [`Source`]'s
/// text, so no spec is held twice.
fn parse_all(
    names: &[String],
    contents: Vec<Vec<u8>>,
    kinds: &[Option<Result<Kind, String>>],
) -> Vec<Option<Result<Parsed, SpecError>>> {
    // Each slot is taken by exactly one thread; the lock only moves the bytes out.
    let slots: Vec<(usize, Mutex<Vec<u8>>)> =
        contents.into_iter().map(Mutex::new).enumerate().collect();
    parallel::map(&slots, parallel::threads(), |(index, slot)| {
        let bytes = std::mem::take(&mut *slot.lock().unwrap_or_else(PoisonError::into_inner));
        match &kinds[*index] {
            Some(Ok(kind)) => parse_one(*kind, &names[*index], bytes),
            _ => None,
        }
    })
}

/// Parses one file of a known kind; `None` for a file that is not a spec.
fn parse_one(kind: Kind, file: &str, bytes: Vec<u8>) -> Option<Result<Parsed, SpecError>> {
    Some(match kind {
        Kind::Ignored => return None,
        Kind::Method => source(file, bytes).map(Parsed::Method),
        Kind::Grammar => source(file, bytes).map(Parsed::Grammar),
        Kind::Object => source(file, bytes).map(Parsed::Object),
        Kind::Enum => source(file, bytes).map(Parsed::Enum),
        Kind::Event => source(file, bytes).map(Parsed::Event),
    })
}

const SPEC_DIR: &str = "spec";

/// What a file under `spec/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Method,
    Grammar,
    Object,
    Enum,
    Event,
    Ignored,
}

/// Sorts a path (relative to the workspace root) into its kind, or says why it is misplaced.
fn classify(file: &str) -> Result<Kind, String> {
    let Some(inside) = file.strip_prefix("spec/") else {
        return Err("not a spec file: spec files live under `spec/`".to_owned());
    };
    if inside == "README.md" || inside.starts_with("schema/") || inside == "imported/REPORT.md" {
        return Ok(Kind::Ignored);
    }
    let name = inside.rsplit('/').next().unwrap_or(inside);
    if let Some(stem) = name.strip_suffix(".yml") {
        return Err(format!(
            "spec files end in `.yaml`, not `.yml`: rename it to `{stem}.yaml`"
        ));
    }
    if !name.ends_with(".yaml") {
        return Ok(Kind::Ignored);
    }
    let parts: Vec<&str> = inside.split('/').collect();
    if let ["imported", rest @ ..] = parts.as_slice() {
        return classify_imported(rest);
    }
    match parts.as_slice() {
        // The system errors were a spec once; they are the contract crate's table now.
        ["shared", "system-errors.yaml"] => Err(
            "the system errors are not a spec: they are the table of `contract/src/system_errors.rs` \
             (crate `b24-rest-contract`); remove this file"
                .to_owned(),
        ),
        ["shared", "grammars", _] => Ok(Kind::Grammar),
        ["shared", "objects", _] => Ok(Kind::Object),
        ["shared", "enums", _] => Ok(Kind::Enum),
        ["shared", ..] => Err(
            "unexpected file under `spec/shared/`: expected `spec/shared/grammars/<Name>.yaml`, \
             `spec/shared/objects/<Name>.yaml` or `spec/shared/enums/<Name>.yaml`"
                .to_owned(),
        ),
        [scope, "events", _] if !scope.chars().any(char::is_uppercase) => Ok(Kind::Event),
        [scope, _] if scope.chars().any(char::is_uppercase) => Err(format!(
            "scope folders are lowercase: rename `spec/{scope}/` to `spec/{}/`",
            scope.to_lowercase()
        )),
        [_, _] => Ok(Kind::Method),
        _ => Err(
            "misplaced spec: methods go in `spec/<scope>/<method>.yaml`, shared definitions in \
             `spec/shared/`"
                .to_owned(),
        ),
    }
}

/// Sorts a path under `spec/imported/` (the parts after it): the importer's drafts, one folder
/// per scope, laid out as the curated specs are.
fn classify_imported(parts: &[&str]) -> Result<Kind, String> {
    match parts {
        [scope, ..] if scope.chars().any(char::is_uppercase) => Err(format!(
            "scope folders are lowercase: rename `spec/imported/{scope}/` to \
             `spec/imported/{}/`",
            scope.to_lowercase()
        )),
        [_, "events", _] => Ok(Kind::Event),
        [_, _] => Ok(Kind::Method),
        _ => Err(
            "misplaced draft: `spec/imported/` holds `<scope>/<method>.yaml`, \
             `<scope>/<method>.v3.yaml` and `<scope>/events/<Event>.yaml` (and `REPORT.md`)"
                .to_owned(),
        ),
    }
}

/// Parses one file into its [`Source`].
fn source<T: serde::de::DeserializeOwned>(
    file: &str,
    bytes: Vec<u8>,
) -> Result<Source<T>, SpecError> {
    let spec = yaml::parse::<T>(file, &bytes)?;
    Ok(Source {
        file: file.to_owned(),
        // `parse` succeeded, so the bytes are UTF-8 and become the text without a copy.
        text: String::from_utf8(bytes)
            .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned()),
        spec: Arc::new(spec),
    })
}

fn file_error(file: &str, message: impl Into<String>) -> SpecError {
    SpecError {
        file: file.to_owned(),
        line: 1,
        column: 1,
        key_path: KeyPath::root(),
        message: message.into(),
    }
}

/// Collects `(relative path, contents)` of the `.yaml` and `.yml` files under `dir`, whose path
/// relative to the workspace root is `relative`. Skips what [`classify`] would ignore anyway
/// without reading it.
fn read_tree(
    dir: &Path,
    relative: &str,
    files: &mut Vec<(String, Vec<u8>)>,
    errors: &mut Vec<SpecError>,
) {
    let entries =
        match fs::read_dir(dir).and_then(|entries| entries.collect::<io::Result<Vec<_>>>()) {
            Ok(entries) => entries,
            Err(err) => {
                errors.push(file_error(
                    &format!("{relative}/"),
                    format!("cannot read the folder: {err}"),
                ));
                return;
            }
        };
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            errors.push(file_error(
                &format!("{relative}/{}", name.to_string_lossy()),
                "file name is not UTF-8",
            ));
            continue;
        };
        let path = format!("{relative}/{name}");
        if path == "spec/schema" {
            continue;
        }
        // Follows symbolic links, as any reader of the folder would.
        match fs::metadata(entry.path()) {
            Ok(meta) if meta.is_dir() => read_tree(&entry.path(), &path, files, errors),
            Ok(meta) if name.ends_with(".yaml") || name.ends_with(".yml") => {
                if !meta.is_file() {
                    // A device (`/dev/zero`) or a pipe would be read without end, or block.
                    errors.push(file_error(
                        &path,
                        "not a regular file: a spec is a plain file (or a link to one)",
                    ));
                } else if meta.len() > yaml::MAX_SPEC_BYTES as u64 {
                    errors.push(yaml::too_large(&path, meta.len()));
                } else {
                    match read_capped(&entry.path()) {
                        Ok(bytes) => files.push((path, bytes)),
                        Err(err) => errors.push(file_error(&path, format!("cannot read: {err}"))),
                    }
                }
            }
            Ok(_) => {}
            Err(err) => errors.push(file_error(&path, format!("cannot read: {err}"))),
        }
    }
}

/// Reads a file, but never more than one byte past [`yaml::MAX_SPEC_BYTES`]: a file that grew
/// after its size was checked is then refused by the parser's own size check, and memory stays
/// bounded whatever the file is.
fn read_capped(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(yaml::MAX_SPEC_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const METHOD: &str = "method: log.blogpost.share\nscope: log\ntitle: T\nsummary: S\n\
        access: A\nsafe_to_repeat: false\nbatch: true\nresult:\n  type: boolean\n  description: D\n";
    const GRAMMAR: &str = "grammar: Destination\nsummary: S\nforms:\n  - prefix: UA\n    name: All\n    \
        value: none\n    description: D\n";
    const OBJECT: &str = "object: BlogPost\nsummary: S\nfields:\n  - name: start\n    type: string\n    \
        description: D\n";

    fn file(path: &str, text: &str) -> (String, Vec<u8>) {
        (path.to_owned(), text.as_bytes().to_vec())
    }

    #[test]
    fn sorts_files_into_kinds_in_path_order() {
        let set = load_files(vec![
            file("spec/log/log.blogpost.share.yaml", METHOD),
            file(
                "spec/common/batch.yaml",
                &METHOD.replace("log.blogpost.share", "batch"),
            ),
            file("spec/shared/grammars/Destination.yaml", GRAMMAR),
            file("spec/shared/objects/BlogPost.yaml", OBJECT),
            file("spec/README.md", "# not a spec"),
            file("spec/schema/method.schema.json", "{}"),
            file("spec/log/notes.txt", "ignored"),
        ])
        .unwrap();
        let methods: Vec<_> = set.methods.iter().map(|s| s.file.as_str()).collect();
        assert_eq!(
            methods,
            ["spec/common/batch.yaml", "spec/log/log.blogpost.share.yaml"]
        );
        assert_eq!(set.methods[1].spec.method, "log.blogpost.share");
        assert_eq!(set.methods[1].text, METHOD);
        assert_eq!(set.grammars[0].spec.grammar, "Destination");
        assert_eq!(set.objects[0].spec.object, "BlogPost");
    }

    #[test]
    fn collects_errors_of_every_file() {
        let errors = load_files(vec![
            file("spec/log/b.yaml", "method: [\n"),
            file("spec/log/a.yaml", "method: x\n"),
            file("spec/log/c.yml", METHOD),
            file("spec/Log/d.yaml", METHOD),
            file("spec/log/deeper/e.yaml", METHOD),
            file("spec/shared/f.yaml", METHOD),
            file("spec/shared/system-errors.yaml", METHOD),
            file("spec/g.yaml", METHOD),
            file("elsewhere/h.yaml", METHOD),
            file("spec/log/ok.yaml", METHOD),
        ])
        .unwrap_err();
        let files: Vec<_> = errors.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "elsewhere/h.yaml",
                "spec/Log/d.yaml",
                "spec/g.yaml",
                "spec/log/a.yaml",
                "spec/log/b.yaml",
                "spec/log/c.yml",
                "spec/log/deeper/e.yaml",
                "spec/shared/f.yaml",
                "spec/shared/system-errors.yaml",
            ]
        );
        assert!(
            errors[8].message.contains("contract/src/system_errors.rs"),
            "{}",
            errors[8]
        );
        assert!(errors[1].message.contains("`spec/log/`"), "{}", errors[1]);
        assert!(errors[3].message.contains("missing field"), "{}", errors[3]);
        assert_eq!(errors[4].line, 2, "{}", errors[4]);
        assert!(
            errors[5].message.contains("rename it to `c.yaml`"),
            "{}",
            errors[5]
        );
    }

    #[test]
    fn error_at_locates_the_key() {
        let set = load_files(vec![file("spec/log/a.yaml", METHOD)]).unwrap();
        let source = &set.methods[0];
        let err = source.error_at(&KeyPath::root().key("result").key("type"), "bad type");
        assert_eq!((err.line, err.column), (9, 3));
        assert_eq!(
            err.to_string(),
            "spec/log/a.yaml:9:3: result.type: bad type"
        );
        let err = source.error_at(&KeyPath::root().key("params").index(3), "no such");
        assert_eq!((err.line, err.column), (1, 1));
    }

    #[test]
    fn reads_a_folder() {
        let root = std::env::temp_dir().join(format!("b24-codegen-load-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (path, text) in [
            ("spec/log/log.blogpost.share.yaml", METHOD),
            ("spec/schema/method.schema.json", "not read"),
            ("spec/schema/stray.yaml", "not read either: []]"),
            ("spec/README.md", "# Specs"),
        ] {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let set = load_dir(&root);
        fs::remove_dir_all(&root).unwrap();
        let set = set.unwrap();
        assert_eq!(set.methods.len(), 1);
        assert_eq!(set.methods[0].file, "spec/log/log.blogpost.share.yaml");

        let missing = load_dir(&root).unwrap_err();
        assert_eq!(missing[0].file, "spec/");
    }

    const EVENT: &str = "event: OnThing\ncode: ONTHING\nscope: log\ntitle: T\nsummary: S\n\
        access: A\nfields: []\n";

    #[test]
    fn a_curated_spec_replaces_the_imported_draft() {
        let v3 = format!("{METHOD}api: v3\n");
        let set = load_files(vec![
            file("spec/imported/log/log.blogpost.share.yaml", METHOD),
            file("spec/imported/log/log.blogpost.share.v3.yaml", &v3),
            file(
                "spec/imported/log/log.blogpost.get.yaml",
                &METHOD.replace("share", "get"),
            ),
            file("spec/imported/log/events/OnThing.yaml", EVENT),
            file(
                "spec/imported/log/events/OnOther.yaml",
                &EVENT.replace("OnThing", "OnOther"),
            ),
            file("spec/imported/REPORT.md", "# Report"),
            file("spec/log/log.blogpost.share.yaml", METHOD),
            file("spec/log/events/OnThing.yaml", EVENT),
        ])
        .unwrap();
        let methods: Vec<_> = set.methods.iter().map(|s| s.file.as_str()).collect();
        // The v2 draft is replaced; the v3 draft of the same name is another method and stays.
        assert_eq!(
            methods,
            [
                "spec/imported/log/log.blogpost.get.yaml",
                "spec/imported/log/log.blogpost.share.v3.yaml",
                "spec/log/log.blogpost.share.yaml",
            ]
        );
        let events: Vec<_> = set.events.iter().map(|s| s.file.as_str()).collect();
        assert_eq!(
            events,
            [
                "spec/imported/log/events/OnOther.yaml",
                "spec/log/events/OnThing.yaml"
            ]
        );
        assert_eq!(
            set.replaced,
            [
                (
                    "spec/imported/log/events/OnThing.yaml".to_owned(),
                    "spec/log/events/OnThing.yaml".to_owned()
                ),
                (
                    "spec/imported/log/log.blogpost.share.yaml".to_owned(),
                    "spec/log/log.blogpost.share.yaml".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn imported_drafts_have_a_layout_of_their_own() {
        let errors = load_files(vec![
            file("spec/imported/log.blogpost.share.yaml", METHOD),
            file("spec/imported/Log/log.blogpost.share.yaml", METHOD),
            file("spec/imported/log/deeper/x.yaml", METHOD),
        ])
        .unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(messages[0].contains("`spec/imported/log/`"), "{messages:?}");
        assert!(messages[1].contains("misplaced draft"), "{messages:?}");
        assert!(messages[2].contains("misplaced draft"), "{messages:?}");
    }
}
