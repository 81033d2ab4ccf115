//! A method's error rows: the captured fields resolved, and every form that identifies a row
//! as a [`Matcher`], pattern read ([`crate::error_forms`] expands and parses them).

use std::collections::BTreeMap;

use super::fields::{Field, resolve_fields};
use super::types::TypeRef;
use crate::diag::{KeyPath, SpecError};
use crate::error_forms::{self, Form, Pattern};
use crate::load::Source;
use crate::spec::{ErrorSpec, MatchMode, MethodSpec};

/// A resolved error row.
#[derive(Debug, Clone)]
pub struct ErrorRow {
    /// The spec as written.
    pub spec: ErrorSpec,
    /// Captured fields.
    pub fields: Vec<Field>,
    /// Every (code, text) form that identifies the row, the row's own first.
    pub matchers: Vec<Matcher>,
}

/// One (code, text) form of an error row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    /// The `error` code (compared case-insensitively).
    pub code: String,
    /// How the text is compared.
    pub mode: MatchMode,
    /// The text (a pattern with `{field}` placeholders for [`MatchMode::Pattern`]; only the
    /// documented text for [`MatchMode::Code`], which takes any text).
    pub text: String,
    /// For patterns: the literal pieces around the captures.
    pub literals: Vec<String>,
    /// For patterns: which of the row's [`fields`](ErrorRow::fields) each capture fills, in
    /// order.
    pub fields: Vec<usize>,
    /// Where this form comes from, for alternatives.
    pub note: Option<String>,
}

/// The method's rows in table order; a captured field whose type does not resolve, or is
/// neither an `integer` nor a `string`, is an error.
pub(super) fn resolve_rows(
    source: &Source<MethodSpec>,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Vec<ErrorRow> {
    let mut rows = Vec::new();
    for (i, row) in source.spec.errors.iter().enumerate() {
        let path = KeyPath::root().key("errors").index(i).key("fields");
        let fields = resolve_fields(source, &row.fields, &path, definitions, errors);
        for (j, field) in fields.iter().enumerate() {
            if !matches!(field.ty, TypeRef::Integer | TypeRef::String) {
                let message = "a captured field is an `integer` or a `string`";
                errors.push(source.error_at(&path.index(j).key("type"), message));
            }
        }
        rows.push(ErrorRow {
            spec: row.clone(),
            fields,
            // Validation has refused a form that repeats another: each is a matcher.
            matchers: error_forms::forms(row)
                .map(|form| matcher(row, form))
                .collect(),
        });
    }
    rows
}

/// The matcher of one form: its pattern read, each capture tied to the row's field.
fn matcher(row: &ErrorSpec, form: Form<'_>) -> Matcher {
    // Validation has already refused malformed patterns and placeholders that are not the
    // row's fields.
    let pattern = match form.mode {
        MatchMode::Pattern => Pattern::parse(form.text).unwrap_or_default(),
        MatchMode::Exact | MatchMode::Contains | MatchMode::Code => Pattern::default(),
    };
    let fields = pattern
        .placeholders
        .iter()
        .map(|name| {
            row.fields
                .iter()
                .position(|field| &field.name == name)
                .unwrap_or_default()
        })
        .collect();
    Matcher {
        code: form.code.to_owned(),
        mode: form.mode,
        text: form.text.to_owned(),
        literals: pattern.literals,
        fields,
        note: form
            .alternative
            .map(|(_, alternative)| alternative.note.clone()),
    }
}
