//! A method's error table as data: rows in table order, each naming the variant of the error
//! enum it builds and listing the forms (codes and text) that recognise it.
//!
//! The generator writes a table with [`write_table`] into the generated error enum as one
//! JSON string (one row a line); the runtime reads it with [`parse_table`] the first time an
//! error answer needs it. A string costs rustc nothing to check, where a table of Rust values
//! (or an `if` per form) cost about 1 ms per method. A row names its variant, so the link
//! between table and enum never rests on position; the conformance tests check that every
//! row builds the variant it names.

use serde::{Deserialize, Serialize};

/// One row of an error table: the variant it builds and the forms that recognise it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRow {
    /// Name of the error enum's variant (`WrongPostId`).
    pub variant: String,
    /// Each way servers write the error, tried in order.
    pub forms: Vec<ErrorForm>,
}

/// One way servers write an error: the codes it comes with and, at most one of, the text it
/// is, contains or matches. A form with no text condition is recognised by its code alone
/// (a code-only row: localised portals translate the text, never the code).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorForm {
    /// The `error` codes this form comes with, compared ignoring ASCII case; `""` is the empty
    /// code most modern servers send.
    pub codes: Vec<String>,
    /// The text, trimmed and without trailing `<br>`s, is this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// The text contains this text (localised messages, joined with others).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    /// The text is `pattern[0] {field} pattern[1] … pattern[n]`: the row's fields are read
    /// from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Vec<String>>,
    /// For a pattern: the index of the row's field each capture fills, in capture order
    /// (another language may name the fields in another order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<usize>,
}

/// How a form recognises the text of an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMatch<'a> {
    /// Any text: the code alone decides.
    Any,
    /// The text is this text.
    Exact(&'a str),
    /// The text contains this text.
    Contains(&'a str),
    /// The text matches these literals with a field between each two.
    Pattern(&'a [String]),
}

impl ErrorForm {
    /// How the text is recognised. A form [`parse_table`] accepted has at most one condition;
    /// were there more, the first of exact, contains, pattern wins.
    pub fn text(&self) -> TextMatch<'_> {
        match (&self.exact, &self.contains, &self.pattern) {
            (Some(exact), _, _) => TextMatch::Exact(exact),
            (None, Some(contains), _) => TextMatch::Contains(contains),
            (None, None, Some(literals)) => TextMatch::Pattern(literals),
            (None, None, None) => TextMatch::Any,
        }
    }

    /// How many fields a pattern captures (none for other forms).
    pub fn captures(&self) -> usize {
        self.pattern
            .as_ref()
            .map_or(0, |literals| literals.len().saturating_sub(1))
    }

    /// Whether `fields` names each capture's field exactly once.
    pub fn fields_are_a_permutation(&self) -> bool {
        let count = self.captures();
        let mut seen = vec![false; count];
        self.fields.len() == count
            && self
                .fields
                .iter()
                .all(|&field| field < count && !std::mem::replace(&mut seen[field], true))
    }

    /// Why the form cannot be used, if it cannot.
    fn check(&self) -> Result<(), String> {
        let conditions = [
            self.exact.is_some(),
            self.contains.is_some(),
            self.pattern.is_some(),
        ];
        if conditions.iter().filter(|set| **set).count() > 1 {
            return Err(format!(
                "a form has more than one of exact, contains and pattern: {self:?}"
            ));
        }
        if self.codes.is_empty() {
            return Err(format!("a form lists no code: {self:?}"));
        }
        if !self.fields_are_a_permutation() {
            return Err(format!(
                "the pattern {:?} does not name one field per capture: {:?}",
                self.pattern.as_deref().unwrap_or_default(),
                self.fields
            ));
        }
        Ok(())
    }
}

/// Parses an error table, refusing a form with two text conditions, no code, or a pattern
/// whose `fields` do not name one field per capture.
pub fn parse_table(json: &str) -> Result<Vec<ErrorRow>, String> {
    let rows: Vec<ErrorRow> = serde_json::from_str(json).map_err(|error| error.to_string())?;
    for row in &rows {
        for form in &row.forms {
            form.check()
                .map_err(|why| format!("row `{}`: {why}", row.variant))?;
        }
    }
    Ok(rows)
}

/// The table as the generator writes it: a JSON list, one row a line, so that a diff of the
/// generated code shows the row that changed. `"[]"` for a table without rows.
pub fn write_table(rows: &[ErrorRow]) -> String {
    if rows.is_empty() {
        return "[]".to_owned();
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|row| serde_json::to_string(row).expect("an error row has only string keys"))
        .collect();
    format!("[\n{}\n]", lines.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(codes: &[&str]) -> ErrorForm {
        ErrorForm {
            codes: codes.iter().map(|code| (*code).to_owned()).collect(),
            ..ErrorForm::default()
        }
    }

    #[test]
    fn a_written_table_parses_back_one_row_a_line() {
        let rows = vec![
            ErrorRow {
                variant: "WrongPostId".into(),
                forms: vec![ErrorForm {
                    exact: Some("Wrong post ID".into()),
                    ..form(&["", "ERROR_ARGUMENT"])
                }],
            },
            ErrorRow {
                variant: "NoPermission".into(),
                forms: vec![ErrorForm {
                    pattern: Some(vec!["user ".into(), " may not".into()]),
                    fields: vec![0],
                    ..form(&[""])
                }],
            },
            ErrorRow {
                variant: "AccessDenied".into(),
                forms: vec![form(&["ACCESS_DENIED"])],
            },
        ];
        let json = write_table(&rows);
        assert_eq!(json.lines().count(), 5, "{json}");
        assert_eq!(parse_table(&json), Ok(rows.clone()));
        assert_eq!(rows[2].forms[0].text(), TextMatch::Any);
        assert_eq!(write_table(&[]), "[]");
        assert_eq!(parse_table("[]"), Ok(Vec::new()));
    }

    #[test]
    fn a_form_that_cannot_be_used_is_refused_with_its_row() {
        let refused = |json: &str| parse_table(json).unwrap_err();
        assert!(
            refused(r#"[{"variant":"A","forms":[{"codes":[""],"exact":"x","contains":"y"}]}]"#)
                .contains("row `A`: a form has more than one")
        );
        assert!(
            refused(r#"[{"variant":"A","forms":[{"codes":[],"exact":"x"}]}]"#)
                .contains("lists no code")
        );
        for fields in [
            "",
            r#","fields":[0]"#,
            r#","fields":[0,0]"#,
            r#","fields":[0,2]"#,
        ] {
            let json = format!(
                r#"[{{"variant":"A","forms":[{{"codes":[""],"pattern":["a=",";b=",";"]{fields}}}]}}]"#
            );
            assert!(refused(&json).contains("one field per capture"), "{fields}");
        }
        assert!(refused(r#"[{"variant":"A","forms":[],"extra":1}]"#).contains("unknown field"));
        assert!(refused(r#"[[{"codes":[""]}]]"#).contains("invalid type"));
    }
}
