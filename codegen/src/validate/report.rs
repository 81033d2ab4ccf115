//! The faults of one file, each located by its key path, and the checks every kind of file
//! makes: unique names, UpperCamelCase names, texts that must not be empty.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{KeyPath, SpecError};
use crate::load::Source;
use crate::names;

/// Collects faults of one file, locating each by its key path.
pub(super) struct Report<'a, T> {
    source: &'a Source<T>,
    errors: &'a mut Vec<SpecError>,
}

impl<'a, T> Report<'a, T> {
    pub(super) fn new(source: &'a Source<T>, errors: &'a mut Vec<SpecError>) -> Self {
        Report { source, errors }
    }

    pub(super) fn fault(&mut self, path: &KeyPath, message: impl Into<String>) {
        self.errors.push(self.source.error_at(path, message));
    }

    /// Reports `name` at `path` when it was already seen (and returns `false`); remembers
    /// it otherwise.
    pub(super) fn unique(
        &mut self,
        seen: &mut BTreeMap<String, KeyPath>,
        name: &str,
        path: KeyPath,
        what: &str,
    ) -> bool {
        if let Some(first) = seen.get(name) {
            let message = format!("duplicate {what} `{name}` (first at {first})");
            self.fault(&path, message);
            false
        } else {
            seen.insert(name.to_owned(), path);
            true
        }
    }

    pub(super) fn upper_camel(&mut self, name: &str, path: &KeyPath, what: &str) {
        if names::is_keyword(name) {
            // `Self` is UpperCamelCase, but no type or variant can be called that.
            let message = format!("{what} `{name}` is a Rust keyword: choose another name");
            self.fault(path, message);
        } else if !names::is_upper_camel(name) {
            let message = format!(
                "{what} `{name}` must be an UpperCamelCase Rust identifier (e.g. `{}`)",
                names::camel(name).trim_start_matches("r#")
            );
            self.fault(path, message);
        }
    }

    pub(super) fn non_empty(&mut self, text: &str, path: &KeyPath) {
        if text.trim().is_empty() {
            self.fault(path, "must not be empty");
        }
    }
}

/// Names as a message lists them: `` `a`, `b` ``, or `(none)`.
pub(super) fn list(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        return "(none)".into();
    }
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
