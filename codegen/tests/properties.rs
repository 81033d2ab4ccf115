//! Property tests of the loader and the generator: whatever bytes or values a spec holds,
//! `load_files` + `generate` give files or located errors, never a panic.
//!
//! The inputs start from the workspace's real specs (`spec/`), so that mutations reach every
//! stage: arbitrary bytes for one file (the YAML door), and one scalar of a valid spec
//! replaced by an arbitrary or name-like value (validation, the model and the emitter).
//! Case counts are fixed and small so the suite stays fast in CI.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use b24_codegen::{SpecError, generate, load_files};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// `(path relative to the workspace root, contents)` of every spec file in the workspace,
/// read once.
fn workspace_specs() -> Vec<(String, Vec<u8>)> {
    static SPECS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    SPECS.get_or_init(read_workspace_specs).clone()
}

fn read_workspace_specs() -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .expect("spec folder")
            .map(|entry| entry.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|ext| ext == "yaml") {
                let relative = path.strip_prefix(root).expect("inside the root");
                let relative = relative.to_string_lossy().replace('\\', "/");
                out.push((relative, fs::read(&path).expect("readable")));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let mut files = Vec::new();
    walk(&root, &root.join("spec"), &mut files);
    files.retain(|(path, _)| !path.starts_with("spec/schema/"));
    assert!(files.len() >= 4, "the workspace's specs were not found");
    files
}

/// A small valid input: the method (or event) spec at `pick` and the shared definitions it
/// names, directly or through other definitions. Generating the whole
/// workspace for every case would make the suite slower as specs are added, for no more depth.
fn some_specs(pick: prop::sample::Index) -> Vec<(String, Vec<u8>)> {
    nth_method_specs(pick.index(method_count()))
}

/// [`some_specs`] for the `n`-th method or event spec.
fn nth_method_specs(n: usize) -> Vec<(String, Vec<u8>)> {
    let (shared, methods): (Vec<_>, Vec<_>) = workspace_specs()
        .into_iter()
        .partition(|(path, _)| path.starts_with("spec/shared/"));
    let method = methods[n].clone();
    with_dependencies(method, &shared)
}

/// `file` plus every shared definition whose name (its file stem) occurs in `file` or in a
/// definition already taken.
fn with_dependencies(
    file: (String, Vec<u8>),
    shared: &[(String, Vec<u8>)],
) -> Vec<(String, Vec<u8>)> {
    let mut taken = vec![file];
    let mut grown = true;
    while grown {
        grown = false;
        for (path, bytes) in shared {
            if taken.iter().any(|(taken_path, _)| taken_path == path) {
                continue;
            }
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".yaml");
            let named = taken
                .iter()
                .any(|(_, text)| String::from_utf8_lossy(text).contains(stem));
            if named {
                taken.push((path.clone(), bytes.clone()));
                grown = true;
            }
        }
    }
    taken
}

/// The method and event specs of the workspace.
fn method_count() -> usize {
    workspace_specs()
        .iter()
        .filter(|(path, _)| !path.starts_with("spec/shared/"))
        .count()
}

/// Runs the whole generator; every error must be located inside a file that was given.
fn run(files: Vec<(String, Vec<u8>)>) -> Result<usize, Vec<SpecError>> {
    let names: Vec<String> = files.iter().map(|(path, _)| path.clone()).collect();
    let result = load_files(files).and_then(|specs| generate(&specs).map(|out| out.len()));
    if let Err(errors) = &result {
        assert!(!errors.is_empty(), "an error result without errors");
        for error in errors {
            assert!(error.line >= 1 && error.column >= 1, "{error}");
            assert!(
                names.contains(&error.file),
                "error in a file that was not given: {error}"
            );
            assert!(!error.message.trim().is_empty(), "{error}");
        }
    }
    result
}

/// Every `key: value` line of a spec, as (line index, byte offset of the value).
fn scalar_lines(text: &str) -> Vec<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            if trimmed.starts_with('#') {
                return None;
            }
            let (key, value) = trimmed.split_once(": ")?;
            let plain_key = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let scalar = !value.trim().is_empty() && !matches!(value.trim(), ">-" | "|" | ">");
            (plain_key && scalar).then(|| (i, line.len() - value.len()))
        })
        .collect()
}

/// Values that probe names and identifiers as well as arbitrary text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[A-Za-z_][A-Za-z0-9_]{0,10}",
        2 => "[a-z][a-z0-9_]{0,5}(\\.[A-Za-z_0-9]{0,6}){1,3}",
        3 => prop::sample::select(TRICKY).prop_map(str::to_owned),
    ]
}

/// Names that are valid in one place and not in another, keywords, prelude names, and
/// values with YAML or pattern meaning.
const TRICKY: &[&str] = &[
    "Self",
    "self",
    "super",
    "crate",
    "type",
    "r#type",
    "_",
    "__",
    "Unhandled",
    "SystemError",
    "Time",
    "Destination",
    "Result",
    "Option",
    "String",
    "Vec",
    "Ok",
    "Err",
    "None",
    "Some",
    "Box",
    "fmt",
    "serde",
    "std",
    "ErrorMeta",
    "FromStr",
    "Call",
    "u64",
    "i64",
    "1abc",
    "",
    " ",
    "\t",
    "{x}",
    "{",
    "}",
    "{a}{b}",
    "日本",
    "ß",
    "İ",
    "Ǆ",
    "\u{202e}",
    "999999",
    "-1",
    "0",
    "65536",
    "true",
    "null",
    "~",
    "[]",
    "{}",
    "U",
    "UA",
    "SG",
    "a.b",
    "log.self",
    "log.type.get",
    "log.blogpost",
    "log.blogpost.share.x",
    "a..b",
    "log.Self.x",
];

/// Names a spec might use that are not usable as Rust names, or collide with what the
/// generated code already names.
const BAD_NAMES: &[&str] = &[
    "Self",
    "self",
    "super",
    "crate",
    "type",
    "r#type",
    "_",
    "Unhandled",
    "SystemError",
    "String",
    "Result",
    "Option",
    "Vec",
    "Ok",
    "ErrorMeta",
    "FromStr",
    "Call",
    "1abc",
    "",
    "a b",
    "log.Self.x",
    "log.type.get",
];

/// Values for name keys: mostly names that are valid somewhere but maybe not here.
fn name_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(BAD_NAMES).prop_map(str::to_owned),
        3 => "[A-Za-z_][A-Za-z0-9_]{0,10}",
        1 => any::<String>(),
    ]
}

/// Keys whose values become names in Rust or on the wire.
const NAME_KEYS: &[&str] = &[
    "method",
    "scope",
    "name",
    "grammar",
    "object",
    "enum",
    "event",
    "prefix",
    "type",
    "error",
    "system_error",
];

/// `text` with the value of its `line`-th scalar replaced by `value`, quoted as a YAML string
/// or written as is. With `names_only`, only lines whose key is in [`NAME_KEYS`] are chosen.
fn replace_value(
    text: &str,
    line: prop::sample::Index,
    value: &str,
    quoted: bool,
    names_only: bool,
) -> Option<String> {
    let lines: Vec<(usize, usize)> = scalar_lines(text)
        .into_iter()
        .filter(|&(i, offset)| {
            let key = text.lines().nth(i).unwrap_or_default()[..offset]
                .trim()
                .trim_start_matches("- ")
                .trim_end_matches(':');
            !names_only || NAME_KEYS.contains(&key)
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    let (target, offset) = lines[line.index(lines.len())];
    let replacement = if quoted {
        serde_json::to_string(value).expect("a string encodes")
    } else {
        value.to_owned()
    };
    let changed: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, original)| {
            if i == target {
                format!("{}{replacement}", &original[..offset])
            } else {
                original.to_owned()
            }
        })
        .collect();
    Some(changed.join("\n") + "\n")
}

/// Where an arbitrary file is put: one path of each kind the loader knows.
const SLOTS: [&str; 5] = [
    "spec/zz/zz.fuzz.yaml",
    "spec/shared/enums/Fuzz.yaml",
    "spec/shared/grammars/Fuzz.yaml",
    "spec/shared/objects/Fuzz.yaml",
    "spec/zz/events/Fuzz.yaml",
];

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary bytes as a method spec, a shared definition or an event. A
    /// file that is not valid YAML stops at the loader, so one file is enough here.
    #[test]
    fn arbitrary_bytes_never_panic(
        kind in 0usize..5,
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let _ = run(vec![(SLOTS[kind].to_owned(), bytes)]);
    }

    /// Arbitrary YAML-like text as one spec file.
    #[test]
    fn arbitrary_text_never_panics(
        kind in 0usize..5,
        text in "([ -~]|\n|\t|: |- |&a|\\*a|\\[|\\]|\\{|\\}){0,200}",
    ) {
        let _ = run(vec![(SLOTS[kind].to_owned(), text.into_bytes())]);
    }
}

// Each case of these generates code from a valid input, so they have fewer cases.
proptest! {
    #![proptest_config(config(160))]

    /// One scalar of a valid spec replaced by any value: quoted (a string) or as written.
    #[test]
    fn one_changed_value_never_panics(
        pick in any::<prop::sample::Index>(),
        which in any::<prop::sample::Index>(),
        line in any::<prop::sample::Index>(),
        value in value(),
        quoted in any::<bool>(),
    ) {
        let mut files = some_specs(pick);
        let slot = which.index(files.len());
        let text = String::from_utf8(files[slot].1.clone()).expect("specs are UTF-8");
        let changed = replace_value(&text, line, &value, quoted, false);
        prop_assume!(changed.is_some());
        files[slot].1 = changed.unwrap_or_default().into_bytes();
        let _ = run(files);
    }

    /// One name of a valid spec replaced by a tricky or name-like value: this is what reaches
    /// the model and the emitter, where a name that is not valid Rust could break the output.
    #[test]
    fn one_changed_name_never_panics(
        pick in any::<prop::sample::Index>(),
        which in any::<prop::sample::Index>(),
        line in any::<prop::sample::Index>(),
        value in name_value(),
    ) {
        let mut files = some_specs(pick);
        let slot = which.index(files.len());
        let text = String::from_utf8(files[slot].1.clone()).expect("specs are UTF-8");
        let changed = replace_value(&text, line, &value, true, true);
        prop_assume!(changed.is_some());
        files[slot].1 = changed.unwrap_or_default().into_bytes();
        let _ = run(files);
    }
}

#[test]
fn every_method_with_its_dependencies_generates() {
    // The properties above start from these inputs: each must be valid, so that a changed
    // value is the only fault and the mutation reaches the model and the emitter.
    for i in 0..method_count() {
        let files = nth_method_specs(i);
        let names: Vec<String> = files.iter().map(|(path, _)| path.clone()).collect();
        if let Err(errors) = run(files) {
            panic!("{names:?}: {errors:#?}");
        }
    }
}

#[test]
fn the_workspace_specs_generate() {
    let count = run(workspace_specs()).expect("the checked-in specs are valid");
    assert!(count > 4);
}
