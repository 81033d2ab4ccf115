//! How an error answer is recognised as a row of a method's error table: the table's forms
//! (codes and text) as data, and the text comparisons they use.

use std::collections::{HashMap, HashSet};
use std::sync::{OnceLock, PoisonError, RwLock};

use b24_rest_contract::error_table::{ErrorForm, ErrorRow, TextMatch, parse_table};

/// The fields of a row as read from `text` (in field order; none for a form without a
/// pattern) when `form` recognises the error `code` / `text`.
fn recognise_form<'t>(form: &ErrorForm, code: &str, text: &'t str) -> Option<Vec<&'t str>> {
    if !form.codes.iter().any(|expected| code_eq(code, expected)) {
        return None;
    }
    match form.text() {
        TextMatch::Any => Some(Vec::new()),
        TextMatch::Exact(expected) => text_exact(text, expected).then(Vec::new),
        TextMatch::Contains(expected) => text_contains(text, expected).then(Vec::new),
        TextMatch::Pattern(literals) => {
            let captures = text_pattern(text, literals)?;
            // Every capture must fill a field of its own: a table that does not say so is
            // not trusted to fill the right ones.
            if !form.fields_are_a_permutation() || captures.len() != form.fields.len() {
                return None;
            }
            let mut by_field = vec![""; captures.len()];
            for (capture, &field) in captures.into_iter().zip(&form.fields) {
                by_field[field] = capture;
            }
            Some(by_field)
        }
    }
}

/// The forms of the error table `json` (the format of [`b24_rest_contract::error_table`]),
/// each with its row's variant, in table order: parsed the first time an error answer needs
/// it, then kept for the life of the process.
///
/// The tables live in one map keyed by where their text is, rather than in a `static` per
/// method: a string literal costs rustc nothing to check, a `static` of a parsed-once type
/// about 1 ms per method. Each table is parsed once and kept (leaked): there is one per
/// method, a few hundred bytes each. A table that does not parse has no rows, so every
/// error stays whole as `Unhandled` (the conformance tests parse every method's table and
/// check it, so this is never the case for a generated one).
fn forms_of(json: &'static str) -> &'static [(&'static str, ErrorForm)] {
    type Tables = HashMap<(usize, usize), &'static [(&'static str, ErrorForm)]>;
    static TABLES: OnceLock<RwLock<Tables>> = OnceLock::new();
    let tables = TABLES.get_or_init(RwLock::default);
    // Two literals at one address with one length are the same text: the same table.
    let key = (json.as_ptr() as usize, json.len());
    if let Some(forms) = tables
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return forms;
    }
    let rows: Vec<ErrorRow> = parse_table(json).unwrap_or_default();
    let forms: Vec<(&'static str, ErrorForm)> = rows
        .into_iter()
        .flat_map(|row| {
            let variant: &'static str = Box::leak(row.variant.into_boxed_str());
            row.forms.into_iter().map(move |form| (variant, form))
        })
        .collect();
    let mut tables = tables.write().unwrap_or_else(PoisonError::into_inner);
    tables
        .entry(key)
        .or_insert_with(|| Box::leak(forms.into_boxed_slice()))
}

/// The first form of the error table `json`, from the `from`-th on, that recognises the error
/// `code` / `text`: its index (to go on from the next one), its row's variant, and the row's
/// fields as read from the text (copied: the caller then hands the error over). Not generic,
/// so that one copy serves every method.
pub(crate) fn recognise(
    json: &'static str,
    from: usize,
    code: &str,
    text: &str,
) -> Option<(usize, &'static str, Vec<String>)> {
    forms_of(json)
        .get(from..)?
        .iter()
        .enumerate()
        .find_map(|(offset, (variant, form))| {
            let fields = recognise_form(form, code, text)?;
            let fields = fields.into_iter().map(str::to_owned).collect();
            Some((from + offset, *variant, fields))
        })
}

/// The field `index` of a recognised row, trimmed and parsed as its type; `None` when it is
/// missing or does not parse (then the row does not match, and the next one is tried).
pub fn field<T: std::str::FromStr>(fields: &[String], index: usize) -> Option<T> {
    fields.get(index)?.trim().parse().ok()
}

/// Descriptions longer than this never match a pattern (keeps matching linear-ish on hostile input).
const MAX_PATTERN_TEXT: usize = 4096;

/// Error codes are equal ignoring ASCII case and surrounding white space
/// (`expired_token` = `EXPIRED_TOKEN`).
pub fn code_eq(actual: &str, expected: &str) -> bool {
    actual.trim().eq_ignore_ascii_case(expected.trim())
}

/// Texts are equal after trimming white space and trailing HTML line breaks (`<br>`,
/// `<br/>`, `<br />`) on both: servers end some descriptions with one.
pub(crate) fn text_exact(actual: &str, expected: &str) -> bool {
    without_trailing_breaks(actual) == without_trailing_breaks(expected)
}

fn without_trailing_breaks(text: &str) -> &str {
    let mut text = text.trim();
    loop {
        // Compared as bytes, ignoring ASCII case: no allocation on the error path.
        let bytes = text.as_bytes();
        let cut = ["<br />", "<br/>", "<br>"].iter().find(|tag| {
            bytes.len() >= tag.len()
                && bytes[bytes.len() - tag.len()..].eq_ignore_ascii_case(tag.as_bytes())
        });
        match cut {
            // The tag is ASCII, so the cut falls on a character boundary.
            Some(tag) => text = text[..text.len() - tag.len()].trim_end(),
            None => return text,
        }
    }
}

/// The server's text contains the expected (trimmed) text; for localised messages that may be
/// joined with others. An empty expected text never matches.
pub(crate) fn text_contains(actual: &str, expected: &str) -> bool {
    let expected = expected.trim();
    !expected.is_empty() && actual.contains(expected)
}

/// Matches `literals[0] cap0 literals[1] cap1 … literals[n]` against the trimmed text and
/// returns the `n` captures (`literals.len() == n + 1`). Each capture is non-empty and as short
/// as possible while still letting the rest match. `None` when the text does not match.
pub(crate) fn text_pattern<'t, S: AsRef<str>>(
    actual: &'t str,
    literals: &[S],
) -> Option<Vec<&'t str>> {
    let (first, rest) = literals.split_first()?;
    let (first, text) = (first.as_ref(), actual.trim());
    let Some((last, middle)) = rest.split_last() else {
        return (text == first.trim()).then(Vec::new);
    };
    let last = last.as_ref();
    if text.len() > MAX_PATTERN_TEXT {
        return None;
    }
    let inner = text
        .strip_prefix(first.trim_start())?
        .strip_suffix(last.trim_end())?;
    let mut captures = Vec::with_capacity(rest.len());
    let mut failed = HashSet::new();
    fill(inner, 0, middle, &mut captures, &mut failed).then_some(captures)
}

/// Fills the captures of `inner[pos..]`, separated by `middle`; the last capture takes the rest.
fn fill<'t, S: AsRef<str>>(
    inner: &'t str,
    pos: usize,
    middle: &[S],
    captures: &mut Vec<&'t str>,
    failed: &mut HashSet<(usize, usize)>,
) -> bool {
    let rest = &inner[pos..];
    let Some((literal, more)) = middle.split_first() else {
        if rest.is_empty() {
            return false;
        }
        captures.push(rest);
        return true;
    };
    let key = (middle.len(), pos);
    if failed.contains(&key) {
        return false;
    }
    let literal = literal.as_ref();
    // The capture must be non-empty: look for the literal from the second character on.
    let mut from = rest.chars().next().map_or(rest.len() + 1, char::len_utf8);
    while from <= rest.len() {
        let Some(found) = rest[from..].find(literal) else {
            break;
        };
        let at = from + found;
        captures.push(&rest[..at]);
        if fill(inner, pos + at + literal.len(), more, captures, failed) {
            return true;
        }
        captures.pop();
        match rest[at..].chars().next() {
            Some(c) => from = at + c.len_utf8(),
            None => break,
        }
    }
    failed.insert(key);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_fills_the_fields_it_names_and_a_code_only_form_takes_any_text() {
        let read = |json: &str, code: &str, text: &str| {
            let json: &'static str = Box::leak(json.to_owned().into_boxed_str());
            recognise(json, 0, code, text).map(|(_, variant, fields)| (variant, fields))
        };
        let table = r#"[{"variant": "Two", "forms": [{"codes": [""], "pattern": ["a=", ";b=", ";"], "fields": [1, 0]}]}]"#;
        assert_eq!(
            read(table, "", "a=5;b=7;"),
            Some(("Two", vec!["7".into(), "5".into()]))
        );
        let code_only = r#"[{"variant": "Denied", "forms": [{"codes": ["ACCESS_DENIED"]}]}]"#;
        assert_eq!(
            read(code_only, "access_denied", "Доступ запрещён"),
            Some(("Denied", vec![]))
        );
        assert_eq!(read(code_only, "", "Access denied"), None);
        // A table that does not parse recognises nothing.
        assert_eq!(
            read(
                r#"[{"variant": "A", "forms": [{"codes": [""], "pattern": ["a", "b"]}]}]"#,
                "",
                "axb"
            ),
            None
        );
    }

    #[test]
    fn codes() {
        assert!(code_eq("expired_token", "EXPIRED_TOKEN"));
        assert!(code_eq(" QUERY_LIMIT_EXCEEDED\n", "query_limit_exceeded"));
        assert!(code_eq("", ""));
        assert!(!code_eq("", "ERROR_CORE"));
        assert!(!code_eq("ERROR_CORE2", "ERROR_CORE"));
        // Non-ASCII letters are not folded.
        assert!(!code_eq("ОШИБКА", "ошибка"));
    }

    #[test]
    fn exact() {
        assert!(text_exact(" Wrong post ID\n", "Wrong post ID"));
        assert!(!text_exact("Wrong post id", "Wrong post ID"));
        assert!(!text_exact("Wrong post ID.", "Wrong post ID"));
    }

    #[test]
    fn contains() {
        let joined = "Please specify at least one person.<br>Access to one or more message recipients was denied";
        assert!(text_contains(
            joined,
            "Access to one or more message recipients was denied"
        ));
        assert!(text_contains(
            joined,
            " Please specify at least one person. "
        ));
        assert!(!text_contains(joined, "access to one"));
        assert!(!text_contains(joined, ""));
        assert!(!text_contains(joined, "  "));
    }

    #[test]
    fn pattern_single_capture() {
        let lits = ["No permissions to share by this user (ID =", ")"];
        assert_eq!(
            text_pattern("No permissions to share by this user (ID =5)", &lits),
            Some(vec!["5"])
        );
        assert_eq!(
            text_pattern("  No permissions to share by this user (ID =123) \n", &lits),
            Some(vec!["123"])
        );
        // An empty capture does not match.
        assert_eq!(
            text_pattern("No permissions to share by this user (ID =)", &lits),
            None
        );
        assert_eq!(
            text_pattern("No permissions to share by this user", &lits),
            None
        );
        assert_eq!(
            text_pattern("No permissions to share by this user (ID =5", &lits),
            None
        );
        // Captures keep inner text as is.
        assert_eq!(
            text_pattern("No permissions to share by this user (ID = 7 )", &lits),
            Some(vec![" 7 "])
        );
    }

    #[test]
    fn pattern_no_capture_is_exact() {
        assert_eq!(
            text_pattern(" Empty post. ", &["Empty post."]),
            Some(vec![])
        );
        assert_eq!(text_pattern("Empty post", &["Empty post."]), None);
        assert_eq!(text_pattern::<&str>("x", &[]), None);
    }

    #[test]
    fn pattern_several_captures_shortest_first() {
        let lits = ["a=", ",", "."];
        assert_eq!(text_pattern("a=1,2.", &lits), Some(vec!["1", "2"]));
        // The first capture is as short as possible while the rest still matches.
        assert_eq!(text_pattern("a=1,2,3.", &lits), Some(vec!["1", "2,3"]));
        // Backtracking: the first `,` would leave the second capture empty.
        assert_eq!(text_pattern("a=1,,.", &lits), Some(vec!["1", ","]));
        assert_eq!(text_pattern("a=,,,.", &lits), Some(vec![",", ","]));
        assert_eq!(text_pattern("a=,,.", &lits), None);
        assert_eq!(text_pattern("a=1.", &lits), None);
    }

    #[test]
    fn pattern_adjacent_and_edge_literals() {
        // Empty first/last literals and adjacent captures.
        assert_eq!(text_pattern("ab", &["", "", ""]), Some(vec!["a", "b"]));
        assert_eq!(text_pattern("abc", &["", "", ""]), Some(vec!["a", "bc"]));
        assert_eq!(text_pattern("a", &["", "", ""]), None);
        assert_eq!(text_pattern("hello", &["", ""]), Some(vec!["hello"]));
        assert_eq!(text_pattern("", &["", ""]), None);
    }

    #[test]
    fn pattern_unicode_boundaries() {
        let lits = ["Пользователь ", " не найден"];
        assert_eq!(
            text_pattern("Пользователь Иван не найден", &lits),
            Some(vec!["Иван"])
        );
        assert_eq!(text_pattern("ééé", &["", "é", ""]), Some(vec!["é", "é"]));
    }

    #[test]
    fn pattern_prefix_and_suffix_do_not_overlap() {
        // "ab" cannot be both the prefix and the suffix.
        assert_eq!(text_pattern("ab", &["ab", "ab"]), None);
        assert_eq!(text_pattern("abxab", &["ab", "ab"]), Some(vec!["x"]));
    }

    #[test]
    fn pattern_hostile_input_is_bounded() {
        let text = "a".repeat(MAX_PATTERN_TEXT);
        assert_eq!(text_pattern(&text, &["", "a", "b", ""]), None);
        let long = "a".repeat(MAX_PATTERN_TEXT + 1);
        assert_eq!(text_pattern(&long, &["", ""]), None);
    }
}

#[cfg(test)]
mod html_break_tests {
    use super::*;

    #[test]
    fn trailing_line_breaks_do_not_hide_a_row() {
        assert!(text_exact("Wrong post ID<br>", "Wrong post ID"));
        assert!(text_exact("Wrong post ID <BR/> ", "Wrong post ID"));
        assert!(text_exact("Wrong post ID<br /><br>", "Wrong post ID"));
        assert!(!text_exact("Wrong post ID<br>Other", "Wrong post ID"));
        assert!(!text_exact("<br>", "Wrong post ID"));
        assert!(text_exact("Нет доступа<br>", "Нет доступа"));
    }
}
