//! A method's error table as data (one row a line, each naming its variant), handed to the
//! runtime's `method_error!` with the enum's variants, which builds each row's variant.

use b24_rest_contract::error_table::{ErrorForm, ErrorRow as TableRow, write_table};
use proc_macro2::Literal;

use crate::model::{ErrorRow, Matcher, Method};
use crate::spec::MatchMode;

/// The method's error table as a raw string literal of JSON, one row a line, each row naming
/// its variant: matchers that share a text are merged into one form whose codes are
/// alternatives.
///
/// Data rather than Rust values: rustc checks a string literal in no time, and a table of
/// Rust values (or an `if` per form) in about 1 ms per method.
pub(super) fn error_table(method: &Method) -> Literal {
    let rows: Vec<TableRow> = method
        .errors
        .iter()
        .map(|row| TableRow {
            variant: row.spec.name.clone(),
            forms: text_groups(row)
                .into_iter()
                .map(|(matcher, codes)| form(matcher, codes))
                .collect(),
        })
        .collect();
    raw_string(&write_table(&rows))
}

/// The row's matchers grouped by (mode, text), in order, each with its codes.
fn text_groups(row: &ErrorRow) -> Vec<(&Matcher, Vec<String>)> {
    let mut groups: Vec<(&Matcher, Vec<String>)> = Vec::new();
    for matcher in &row.matchers {
        match groups
            .iter_mut()
            // Code-only forms take any text: their texts are documentation.
            .find(|(first, _)| {
                first.mode == matcher.mode
                    && (matcher.mode == MatchMode::Code || first.text == matcher.text)
            }) {
            Some((_, codes)) => codes.push(matcher.code.clone()),
            None => groups.push((matcher, vec![matcher.code.clone()])),
        }
    }
    groups
}

/// One form of the table: the matcher's text as its mode compares it, with its codes.
fn form(matcher: &Matcher, codes: Vec<String>) -> ErrorForm {
    let mut form = ErrorForm {
        codes,
        ..ErrorForm::default()
    };
    match matcher.mode {
        MatchMode::Exact => form.exact = Some(matcher.text.clone()),
        MatchMode::Contains => form.contains = Some(matcher.text.clone()),
        MatchMode::Pattern => {
            form.pattern = Some(matcher.literals.clone());
            form.fields = matcher.fields.clone();
        }
        // No text condition: the codes alone recognise the form.
        MatchMode::Code => {}
    }
    form
}

/// `text` as a raw string literal (`r#"…"#`), with as many `#` as it takes: JSON is full of
/// quotes, which a plain literal would escape one by one.
fn raw_string(text: &str) -> Literal {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .expect("a raw string literal always parses")
}
