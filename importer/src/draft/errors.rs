//! Error rows from the page's error tables, and the page's error examples that decode to a
//! named row or system error.

use std::collections::{BTreeMap, BTreeSet};

use b24_rest_contract::system_errors::SYSTEM_ERRORS;

use super::ojson::OValue;
use super::{ErrorDraft, ExampleDraft, Gap, Keys, MethodDraft, plain};
use crate::model::{ErrorTable, Page};

/// The rows of every error table, in page order: names from the code (or the text), made
/// unique; rows whose (code, text) another row already claims are left out.
pub(super) fn rows(page: &Page, keys: Keys, draft: &mut MethodDraft) {
    let mut names = BTreeSet::new();
    let mut forms = BTreeSet::new();
    for table in &page.errors {
        let unique = unique_codes(table);
        for row in &table.rows {
            let code = row
                .code
                .as_ref()
                .map(|c| c.value.clone())
                .or_else(|| table.shared_code.clone())
                .unwrap_or_default();
            let text = plain(&row.message);
            let meaning = row.meaning.as_deref().map(plain).unwrap_or_default();
            let (description, meaning) = match (text.is_empty(), meaning.is_empty()) {
                (false, false) => (text, meaning),
                (false, true) => (text.clone(), text),
                (true, false) => (code.clone(), meaning),
                (true, true) => (code.clone(), code.clone()),
            };
            if description.trim().is_empty() {
                draft.gaps.push(Gap::new(
                    "error row left out",
                    "a row with neither code nor text",
                ));
                continue;
            }
            let by_code =
                keys.match_code && !code.is_empty() && unique.contains(&code.to_ascii_lowercase());
            let form = if by_code {
                (code.to_ascii_lowercase(), String::new())
            } else {
                (code.to_ascii_lowercase(), description.trim().to_string())
            };
            if !forms.insert(form) {
                draft.gaps.push(Gap::new(
                    "error row left out",
                    format!("`{code}` / `{description}` is already a row"),
                ));
                continue;
            }
            let name = unique_name(&variant_name(&code, &description), &mut names);
            draft.errors.push(ErrorDraft {
                name,
                status: row.status.unwrap_or(400),
                code,
                description,
                meaning,
                by_code,
            });
        }
    }
}

/// Codes (lower case) that only one row of the table has.
fn unique_codes(table: &ErrorTable) -> BTreeSet<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for row in &table.rows {
        if let Some(code) = &row.code {
            *counts.entry(code.value.to_ascii_lowercase()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n == 1)
        .map(|(c, _)| c)
        .collect()
}

/// UpperCamelCase (the generator's rule) from an `UPPER_SNAKE` or word code, else from
/// the text's first words.
pub(super) fn variant_name(code: &str, text: &str) -> String {
    use heck::ToUpperCamelCase;
    let from_code = code.chars().any(|c| c.is_ascii_alphabetic()) && !code.contains(' ');
    let source = if from_code { code } else { text };
    let words: Vec<String> = source
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(if from_code { 12 } else { 6 })
        .map(|w| w.to_ascii_lowercase())
        .collect();
    // heck is not idempotent on one-letter words (`e g` → `EG` → `Eg`): applied until the
    // name is its own UpperCamelCase, as the generator checks.
    let mut name = words.join(" ").to_upper_camel_case();
    for _ in 0..4 {
        let again = name.to_upper_camel_case();
        if again == name {
            break;
        }
        name = again;
    }
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        Some(_) => format!("Error{name}"),
        None => "Error".into(),
    }
}

/// `name`, or `name2`, `name3`, … when taken; `Unhandled` and `Self` are the generator's.
fn unique_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    let base = if matches!(name, "Unhandled" | "Self") {
        format!("{name}Error")
    } else {
        name.to_string()
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// The error examples that decode to a row of the draft or to a system error; others are
/// gaps. The status is the page's, else the row's.
pub(super) fn examples(page: &Page, draft: &mut MethodDraft) {
    let mut bodies = BTreeSet::new();
    for (i, example) in page.error_examples.iter().enumerate() {
        let Some((json, raw)) = OValue::parse_example(&example.raw) else {
            draft
                .gaps
                .push(Gap::new("error example dropped", "not JSON, even repaired"));
            continue;
        };
        let Some((code, text)) = code_and_text(&json) else {
            draft
                .gaps
                .push(Gap::new("error example dropped", "no `error` code in it"));
            continue;
        };
        let named = |row: &ErrorDraft| (row.name.clone(), row.status);
        let outcome = match match_row(&draft.errors, &code, &text).map(named) {
            Some(found) => Some(found),
            None => adopt_text(&mut draft.errors, &code, &text).map(named),
        };
        let system = SYSTEM_ERRORS
            .iter()
            .find(|s| s.code.eq_ignore_ascii_case(&code));
        let (error, system_error, status) = match (outcome, system) {
            (Some((name, status)), _) => (Some(name), None, status),
            (None, Some(s)) => (None, Some(s.code.to_string()), s.status),
            (None, None) => {
                let detail = format!("`{code}` / `{text}` is no row's");
                draft.gaps.push(Gap::new("error example dropped", detail));
                continue;
            }
        };
        let status = example.statuses.first().copied().unwrap_or(status);
        if !bodies.insert(raw.clone()) {
            continue;
        }
        let name = error.clone().or(system_error.clone()).unwrap_or_default();
        draft.responses.push(ExampleDraft {
            name: format!("Error {} ({})", name, i + 1),
            status,
            body: super::examples::body_text(&raw),
            error,
            system_error,
        });
    }
}

/// `error` and `error_description` (a numeric code as its digits, as the runtime reads it),
/// or REST 3.0's `error: {code, message}`.
fn code_and_text(json: &OValue) -> Option<(String, String)> {
    let error = json.get("error")?;
    let text = || {
        let text = json.get("error_description").and_then(OValue::as_str);
        text.unwrap_or("").to_string()
    };
    match error {
        OValue::Str(code) => return Some((code.clone(), text())),
        OValue::Number(n) => return Some((n.clone(), text())),
        _ => {}
    }
    let code = error.get("code")?.as_str()?;
    let text = error.get("message").and_then(OValue::as_str).unwrap_or("");
    Some((code.to_string(), text.to_string()))
}

/// The row whose text is the example's once markdown is set aside (the table writes
/// `` `code` `` where the server sends `code`): the row takes the example's text, which is
/// what the server sends, unless another row already claims it.
fn adopt_text<'a>(rows: &'a mut [ErrorDraft], code: &str, text: &str) -> Option<&'a ErrorDraft> {
    let same_code = |row: &ErrorDraft| row.code.trim().eq_ignore_ascii_case(code.trim());
    let claimed = rows
        .iter()
        .any(|row| same_code(row) && row.description.trim() == text.trim());
    let wanted = plain(text);
    let row = rows
        .iter_mut()
        .find(|row| same_code(row) && !row.by_code && plain(&row.description) == wanted)?;
    if claimed || text.trim().is_empty() {
        return None;
    }
    row.description = text.trim().to_string();
    Some(row)
}

/// The first row that claims (code, text), as the runtime matches: codes ignoring case,
/// texts equal after trimming, or the code alone for `match: code`.
fn match_row<'a>(rows: &'a [ErrorDraft], code: &str, text: &str) -> Option<&'a ErrorDraft> {
    rows.iter().find(|row| {
        row.code.trim().eq_ignore_ascii_case(code.trim())
            && (row.by_code || row.description.trim() == text.trim())
    })
}
