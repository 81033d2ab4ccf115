//! Synthetic spec sets for the generation benchmarks: `n` methods made from the share spec
//! (`spec/log/log.blogpost.share.yaml`) with varied scopes, groups, names, parameters and
//! error rows, plus the real `spec/shared/` definitions. Written in memory, never checked in.

use std::fs;
use std::path::Path;

/// The spec every synthetic method is made from.
pub(super) const TEMPLATE: &str = "spec/log/log.blogpost.share.yaml";

/// Scopes the methods are spread over (one cargo feature each in the generated crate).
const SCOPES: &[&str] = &[
    "crm", "task", "disk", "im", "calendar", "sonet", "lists", "catalog", "sale", "entity",
];
/// Method groups inside a scope (`crm.item.…`).
const GROUPS: &[&str] = &[
    "item", "stage", "file", "comment", "field", "link", "status", "note", "activity", "deal",
];
/// Verbs the method names start with (`crm.item.add17`).
const VERBS: &[&str] = &["share", "add", "update", "get", "delete", "attach"];
/// Types of the extra optional parameters, in turn.
const EXTRA_PARAM_TYPES: &[&str] = &["string", "boolean", "id", "double", "string[]", "YesNo"];

/// How many scopes a set of `methods` methods spreads over: one per 100 methods, 1 to 10.
pub(super) fn scope_count(methods: usize) -> usize {
    methods.div_ceil(100).clamp(1, SCOPES.len())
}

/// The spec files of a set of `methods` methods: `(path relative to the root, contents)`,
/// ready for `b24_codegen::load_files`.
pub(super) fn spec_files(root: &Path, methods: usize) -> Result<Vec<(String, Vec<u8>)>, String> {
    let template = fs::read_to_string(root.join(TEMPLATE))
        .map_err(|err| format!("cannot read `{TEMPLATE}`: {err}"))?;
    let mut files = shared_files(root)?;
    let scope_count = scope_count(methods);
    for index in 0..methods {
        let scope = SCOPES[index % scope_count];
        let group = GROUPS[(index / scope_count) % GROUPS.len()];
        let verb = VERBS[index % VERBS.len()];
        let method = format!("{scope}.{group}.{verb}{index}");
        let text = method_spec(&template, scope, &method, index)?;
        files.push((format!("spec/{scope}/{method}.yaml"), text.into_bytes()));
    }
    Ok(files)
}

/// Every file under `spec/shared/` (the grammars, objects and enums the share
/// spec names).
fn shared_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    let mut pending = vec!["spec/shared".to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(root.join(&dir))
            .map_err(|err| format!("cannot read the folder `{dir}`: {err}"))?;
        for entry in entries {
            let entry = entry.map_err(|err| format!("cannot read the folder `{dir}`: {err}"))?;
            let path = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                pending.push(path);
            } else {
                let bytes =
                    fs::read(entry.path()).map_err(|err| format!("cannot read `{path}`: {err}"))?;
                files.push((path, bytes));
            }
        }
    }
    Ok(files)
}

/// The share spec renamed to `method`, with `index % 4` extra optional parameters and
/// `index % 3` extra error rows.
fn method_spec(template: &str, scope: &str, method: &str, index: usize) -> Result<String, String> {
    let mut text = replace_line(template, "method: ", &format!("method: {method}"))?;
    text = replace_line(&text, "scope: ", &format!("scope: {scope}"))?;
    text = replace_line(
        &text,
        "summary: ",
        &format!("summary: Adds new recipients to record {index} of the synthetic set."),
    )?;

    let mut params = String::new();
    for extra in 0..index % 4 {
        let ty = EXTRA_PARAM_TYPES[(index + extra) % EXTRA_PARAM_TYPES.len()];
        params.push_str(&format!(
            "  - name: FIELD_{extra}_{index}\n    type: {ty}\n    description: Synthetic parameter {extra} of method {index}.\n"
        ));
    }
    text = insert_before(&text, "result:\n", &params)?;

    let mut errors = String::new();
    for extra in 0..index % 3 {
        errors.push_str(&format!(
            "  - name: ExtraFailure{extra}\n    status: 400\n    code: EXTRA_{extra}\n    description: Extra failure {extra} of method {index}\n    meaning: A synthetic error row.\n    also:\n      - code: ERROR_CORE\n        note: synthetic older servers\n"
        ));
    }
    insert_before(&text, "examples:\n", &errors)
}

/// `text` with the one line that starts with `prefix` replaced by `line`.
fn replace_line(text: &str, prefix: &str, line: &str) -> Result<String, String> {
    let mut found = false;
    let mut out = String::with_capacity(text.len() + line.len());
    for original in text.split_inclusive('\n') {
        if !found && original.starts_with(prefix) {
            found = true;
            out.push_str(line);
            out.push('\n');
        } else {
            out.push_str(original);
        }
    }
    if found {
        Ok(out)
    } else {
        Err(format!("`{TEMPLATE}` has no line starting with `{prefix}`"))
    }
}

/// `text` with `insert` placed before the line that is exactly `line`.
fn insert_before(text: &str, line: &str, insert: &str) -> Result<String, String> {
    let at = if text.starts_with(line) {
        0
    } else {
        text.find(&format!("\n{line}"))
            .map(|at| at + 1)
            .ok_or_else(|| format!("`{TEMPLATE}` has no top-level `{}`", line.trim_end()))?
    };
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..at]);
    out.push_str(insert);
    out.push_str(&text[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_synthetic_set_generates() {
        let root = crate::default_root();
        for methods in [1, 7, 12] {
            let files = spec_files(&root, methods).expect("synthetic specs");
            let specs = b24_codegen::load_files(files).expect("synthetic specs load");
            assert_eq!(specs.methods.len(), methods);
            let generated = b24_codegen::generate(&specs).expect("synthetic specs generate");
            assert!(
                generated
                    .iter()
                    .any(|file| file.path.ends_with("share0.rs"))
            );
        }
    }

    #[test]
    fn scopes_grow_with_the_set() {
        assert_eq!(SCOPES[..scope_count(1)], ["crm"]);
        assert_eq!(scope_count(100), 1);
        assert_eq!(scope_count(101), 2);
        assert_eq!(scope_count(10_000), 10);
    }
}
