//! A method's error table: row names and texts, the fields a pattern captures, each row's
//! forms (its own and its alternatives, as [`crate::error_forms`] expands them), and no form
//! claimed by two rows.

use std::collections::{BTreeMap, BTreeSet};

use super::UNHANDLED;
use super::fields;
use super::report::{Report, list};
use crate::diag::KeyPath;
use crate::error_forms::{self, Form, Pattern};
use crate::names;
use crate::spec::{AlternativeSpec, ErrorSpec, MatchMode, MethodSpec};

/// What the rows checked so far have taken: a name, and a (code, text, mode) form, belong to
/// one row of the table; a code that a `match: code` form recognises alone is taken whole.
#[derive(Default)]
struct Taken {
    names: BTreeMap<String, KeyPath>,
    forms: BTreeMap<(String, String, MatchMode), KeyPath>,
    codes: BTreeMap<String, KeyPath>,
}

/// Every row of the method's table, in order.
pub(super) fn check_errors(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    let mut taken = Taken::default();
    for (i, row) in spec.errors.iter().enumerate() {
        let path = KeyPath::root().key("errors").index(i);
        check_row(report, row, &path, &mut taken);
    }
}

/// One row, its faults in the order of its keys; its forms are compared with the table's
/// after the row's own checks.
fn check_row(
    report: &mut Report<'_, MethodSpec>,
    row: &ErrorSpec,
    path: &KeyPath,
    taken: &mut Taken,
) {
    check_name_and_texts(report, row, path, &mut taken.names);
    check_fields(report, row, path);
    let declared: BTreeSet<String> = row.fields.iter().map(|field| field.name.clone()).collect();
    let mut forms = Vec::new();
    for form in error_forms::forms(row) {
        let form_path = match form.alternative {
            None => {
                check_own_form(report, row, &form, path, &declared);
                path.clone()
            }
            Some((j, alternative)) => {
                let alt_path = path.key("also").index(j);
                if !check_alternative(report, row, &form, alternative, &alt_path, &declared) {
                    continue;
                }
                alt_path
            }
        };
        forms.push((form_path, form));
    }
    check_forms_distinct(report, &forms, taken);
}

/// The variant name (UpperCamelCase, unique, not `Unhandled`), the HTTP status and the texts
/// the docs show.
fn check_name_and_texts(
    report: &mut Report<'_, MethodSpec>,
    row: &ErrorSpec,
    path: &KeyPath,
    names_taken: &mut BTreeMap<String, KeyPath>,
) {
    report.upper_camel(&row.name, &path.key("name"), "error name");
    if row.name == UNHANDLED {
        report.fault(
            &path.key("name"),
            "`Unhandled` is reserved for errors the table does not list",
        );
    }
    report.unique(names_taken, &row.name, path.key("name"), "error name");
    if !(100..=599).contains(&row.status) {
        report.fault(
            &path.key("status"),
            format!("{} is not an HTTP status", row.status),
        );
    }
    report.non_empty(&row.description, &path.key("description"));
    report.non_empty(&row.meaning, &path.key("meaning"));
}

/// The captured fields, as any declared fields, and none called `meta`: the variant keeps
/// the raw error in a field of that name beside the captured ones.
fn check_fields(report: &mut Report<'_, MethodSpec>, row: &ErrorSpec, path: &KeyPath) {
    fields::check_fields(report, &row.fields, &path.key("fields"));
    for (j, field) in row.fields.iter().enumerate() {
        if names::snake(&field.name) == "meta" {
            report.fault(
                &path.key("fields").index(j).key("name"),
                "`meta` is reserved for the raw error each variant keeps",
            );
        }
    }
}

/// The row's own form: a pattern is well formed and captures exactly the declared fields;
/// only a pattern captures fields.
fn check_own_form(
    report: &mut Report<'_, MethodSpec>,
    row: &ErrorSpec,
    form: &Form<'_>,
    path: &KeyPath,
    declared: &BTreeSet<String>,
) {
    let placeholders = if form.mode == MatchMode::Pattern {
        match Pattern::parse(form.text) {
            Ok(pattern) => Some(pattern.names()),
            // A field whose name is not a key has an error of its own, which its
            // placeholder would only repeat.
            Err(_)
                if row
                    .fields
                    .iter()
                    .any(|field| !names::is_wire_key(&field.name)) =>
            {
                None
            }
            Err(message) => {
                report.fault(&path.key("description"), message);
                None
            }
        }
    } else {
        None
    };
    if form.mode == MatchMode::Code {
        check_code_only(report, form.code, &path.key("code"));
    }
    match &placeholders {
        Some(found) if found != declared => report.fault(
            &path.key("fields"),
            format!(
                "the pattern's placeholders {} must be exactly the declared fields {}",
                list(found),
                list(declared)
            ),
        ),
        None if form.mode != MatchMode::Pattern && !row.fields.is_empty() => report.fault(
            &path.key("fields"),
            "only rows with `match: pattern` capture fields",
        ),
        _ => {}
    }
}

/// An alternative changes the code or the text, says where it comes from, and captures the
/// row's fields as the row does. Returns whether it is a form to compare with the others.
fn check_alternative(
    report: &mut Report<'_, MethodSpec>,
    row: &ErrorSpec,
    form: &Form<'_>,
    alternative: &AlternativeSpec,
    alt_path: &KeyPath,
    declared: &BTreeSet<String>,
) -> bool {
    if alternative.code.is_none() && alternative.description.is_none() && alternative.mode.is_none()
    {
        report.fault(
            alt_path,
            "an alternative must change `code`, `description` or `match`",
        );
        return false;
    }
    report.non_empty(&alternative.note, &alt_path.key("note"));
    // An empty code the alternative inherits along with `match: code` is the row's fault.
    if form.mode == MatchMode::Code {
        if alternative.code.is_some() {
            check_code_only(report, form.code, &alt_path.key("code"));
        } else if alternative.mode.is_some() {
            check_code_only(report, form.code, &alt_path.key("match"));
        }
    }
    if form.mode == MatchMode::Pattern {
        match Pattern::parse(form.text) {
            Ok(pattern) if pattern.names() == *declared => {}
            Ok(pattern) => report.fault(
                &alt_path.key("description"),
                format!(
                    "the pattern's placeholders {} must be exactly the row's fields {}",
                    list(&pattern.names()),
                    list(declared)
                ),
            ),
            Err(message) => report.fault(&alt_path.key("description"), message),
        }
    } else if !row.fields.is_empty() {
        report.fault(
            &alt_path.key("match"),
            "a row with fields can only be recognised by patterns",
        );
    }
    report.non_empty(form.text, &alt_path.key("description"));
    true
}

/// A form recognised by its code alone needs a code: the empty code is every failure's on
/// servers that tell their errors apart by text only.
fn check_code_only(report: &mut Report<'_, MethodSpec>, code: &str, path: &KeyPath) {
    if code.trim().is_empty() {
        report.fault(
            path,
            "`match: code` needs a non-empty code: the empty code is shared by every failure",
        );
    }
}

/// No two forms of the table, this row's or an earlier row's, are the same code (in any
/// case) and text, and no form comes after a `match: code` form of its code: the second could
/// never be reached.
fn check_forms_distinct(
    report: &mut Report<'_, MethodSpec>,
    forms: &[(KeyPath, Form<'_>)],
    taken: &mut Taken,
) {
    for (form_path, form) in forms {
        let code = form.code.trim().to_ascii_lowercase();
        if let Some(first) = taken.codes.get(&code) {
            let message = format!(
                "the code `{}` alone already identifies the error at {first} (`match: code`)",
                form.code.trim()
            );
            report.fault(form_path, message);
            continue;
        }
        // A code-only form's text is only its documentation.
        let text = match form.mode {
            MatchMode::Code => String::new(),
            _ => form.text.trim().to_owned(),
        };
        let key = (code.clone(), text, form.mode);
        if let Some(first) = taken.forms.get(&key) {
            let message =
                format!("the same code and description already identify the error at {first}");
            report.fault(form_path, message);
        } else {
            taken.forms.insert(key, form_path.clone());
            if form.mode == MatchMode::Code && !code.is_empty() {
                taken.codes.insert(code, form_path.clone());
            }
        }
    }
}
