//! Error tables: `code | description | value`, `code | description`, REST 3.0
//! `field | error description | how to fix`, with or without an HTTP status column, and the
//! shapes codes come in (`ACCESS_DENIED`, `0`, `—`, "Empty string", sentences).

use crate::blocks::{Block, Scan};
use crate::inline::{code_spans, strip_markup};
use crate::model::{CodeStyle, ErrorCode, ErrorLayout, ErrorRow, ErrorTable, Note, NoteReason};
use crate::source::Doc;
use crate::table::{Row, Table, clip};

/// What an error table's column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Status,
    Code,
    Field,
    /// The error's text: the first description-like column.
    Message,
    /// What it means or how to fix it: the next one.
    Meaning,
    Ignored,
}

/// Reads the tables of the page's error sections.
pub(crate) fn read(doc: &Doc, scan: &Scan, notes: &mut Vec<Note>) -> Vec<ErrorTable> {
    let mut out = Vec::new();
    let mut shared_code: (Option<usize>, Option<String>) = (None, None);
    for item in &scan.items {
        if !crate::examples::is_error_section(&scan.section(&item.ctx)) {
            continue;
        }
        if shared_code.0 != item.ctx.sub {
            shared_code = (item.ctx.sub, None);
        }
        match &item.block {
            Block::Text(t) if t.to_lowercase().starts_with("error code") => {
                shared_code.1 = code_spans(t).first().map(|s| s.text.to_string());
            }
            Block::Table(table) => {
                let heading = scan.sub(&item.ctx).map(|h| h.text.clone());
                let tab = item.ctx.tab.clone();
                let code = shared_code.1.clone();
                if let Some(t) = error_table(doc, table, heading, tab, code, notes) {
                    out.push(t);
                }
            }
            _ => {}
        }
    }
    out
}

/// One table; a table without a code, field or error-text column is a note.
fn error_table(
    doc: &Doc,
    table: &Table,
    heading: Option<String>,
    tab: Option<String>,
    shared_code: Option<String>,
    notes: &mut Vec<Note>,
) -> Option<ErrorTable> {
    let header = table.rows.first()?;
    let names: Vec<String> = header
        .cells
        .iter()
        .map(|c| strip_markup(&c.text).to_lowercase())
        .collect();
    let roles = roles(&names);
    if !roles
        .iter()
        .any(|r| matches!(r, Role::Code | Role::Field | Role::Message))
    {
        let detail = format!("not an error table: {}", clip(&names.join(" | ")));
        notes.push(note(
            doc,
            table.start,
            NoteReason::UnknownTableLayout,
            detail,
        ));
        return None;
    }
    let rows = table.rows[1..]
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.text.is_empty()))
        .map(|r| error_row(doc, r, &roles, notes))
        .collect();
    Some(ErrorTable {
        heading,
        tab,
        layout: layout(&roles),
        signature: names.join(" | "),
        has_status: roles.contains(&Role::Status),
        shared_code,
        rows,
        loc: doc.loc(table.start),
    })
}

/// The role of each header cell.
fn roles(names: &[String]) -> Vec<Role> {
    let mut message_seen = false;
    names
        .iter()
        .map(|n| {
            let has = |w: &str| n.split_whitespace().any(|x| x == w);
            match () {
                _ if has("status") || n.contains("http") => Role::Status,
                _ if n == "field" || n == "parameter" => Role::Field,
                _ if has("code") || n == "error" => Role::Code,
                _ if !message_seen && is_text_column(n) => {
                    message_seen = true;
                    Role::Message
                }
                _ if message_seen => Role::Meaning,
                _ => Role::Ignored,
            }
        })
        .collect()
}

/// Header words of the error-text column.
fn is_text_column(name: &str) -> bool {
    ["description", "message", "text", "reason"]
        .iter()
        .any(|w| name.contains(w))
}

/// The layout, by roles: status columns aside.
fn layout(roles: &[Role]) -> ErrorLayout {
    let core: Vec<Role> = roles
        .iter()
        .copied()
        .filter(|r| *r != Role::Status)
        .collect();
    match core.as_slice() {
        [Role::Code, Role::Message, Role::Meaning] => ErrorLayout::CodeDescriptionValue,
        [Role::Code, Role::Message] => ErrorLayout::CodeDescription,
        [Role::Field, Role::Message, Role::Meaning] => ErrorLayout::FieldDescriptionFix,
        [Role::Message, Role::Meaning] => ErrorLayout::DescriptionValue,
        _ => ErrorLayout::Other,
    }
}

/// One row.
fn error_row(doc: &Doc, row: &Row, roles: &[Role], notes: &mut Vec<Note>) -> ErrorRow {
    let mut r = ErrorRow {
        status: None,
        code: None,
        field: None,
        message: String::new(),
        meaning: None,
        loc: doc.loc(row.start),
    };
    if row.cells.len() < roles.len() {
        let detail = format!(
            "{} of {} cells: {}",
            row.cells.len(),
            roles.len(),
            clip(&cells(row))
        );
        notes.push(note(doc, row.start, NoteReason::ShortRow, detail));
    }
    for (role, cell) in roles.iter().zip(&row.cells) {
        let text = cell.text.trim();
        match role {
            Role::Status => r.status = crate::examples::status_codes(text).first().copied(),
            Role::Code => r.code = Some(code(text)),
            Role::Field => r.field = Some(unquote(text)),
            Role::Message => r.message = text.to_string(),
            Role::Meaning => r.meaning = Some(text.to_string()),
            Role::Ignored => {}
        }
    }
    r
}

fn cells(row: &Row) -> String {
    let c: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
    c.join(" | ")
}

/// A code cell: the code the server sends, and its shape.
pub(crate) fn code(raw: &str) -> ErrorCode {
    let value = unquote(raw);
    let lower = value.to_lowercase();
    let empty_words = [
        "—",
        "–",
        "-",
        "\"\"",
        "''",
        "empty string",
        "empty value",
        "empty",
        "(empty)",
    ];
    let (value, style) = if value.is_empty() || empty_words.contains(&lower.as_str()) {
        (String::new(), CodeStyle::Empty)
    } else {
        let style = style(&value);
        (value, style)
    };
    ErrorCode {
        raw: raw.to_string(),
        value,
        style,
    }
}

/// Backticks, bold and quotes around a cell's value removed.
fn unquote(text: &str) -> String {
    let t = strip_markup(text);
    let t = t.trim();
    let quoted = t.len() >= 2 && t.starts_with('"') && t.ends_with('"') && t != "\"\"";
    if quoted {
        t[1..t.len() - 1].to_string()
    } else {
        t.to_string()
    }
}

/// The shape of a non-empty code.
fn style(code: &str) -> CodeStyle {
    let upper = code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.');
    let numeric = code
        .strip_prefix('-')
        .unwrap_or(code)
        .chars()
        .all(|c| c.is_ascii_digit());
    if upper {
        CodeStyle::UpperSnake
    } else if numeric {
        CodeStyle::Numeric
    } else if code.contains(' ') {
        CodeStyle::Sentence
    } else {
        CodeStyle::Other
    }
}

fn note(doc: &Doc, at: usize, reason: NoteReason, detail: String) -> Note {
    Note {
        loc: doc.loc(at),
        reason,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::scan;

    fn tables(text: &str) -> (Vec<ErrorTable>, Vec<Note>) {
        let doc = Doc::from_text("p.md", text);
        let mut notes = Vec::new();
        let t = read(&doc, &scan(&doc), &mut notes);
        (t, notes)
    }

    #[test]
    fn code_description_value_with_empty_codes() {
        let (t, notes) = tables(
            "## Error Handling\n### Possible Error Codes\n#|\n|| **Code** | **Description** | **Value** ||\n|| — | `Wrong post ID` | Invalid `POST_ID` ||\n|| `ACCESS_DENIED` | Denied | No rights ||\n|#\n",
        );
        assert!(notes.is_empty());
        let t = &t[0];
        assert_eq!(t.layout, ErrorLayout::CodeDescriptionValue);
        assert_eq!(t.heading.as_deref(), Some("Possible Error Codes"));
        let c = t.rows[0].code.as_ref().unwrap();
        assert_eq!((c.value.as_str(), c.style), ("", CodeStyle::Empty));
        assert_eq!(t.rows[0].message, "`Wrong post ID`");
        assert_eq!(
            t.rows[1].code.as_ref().unwrap().style,
            CodeStyle::UpperSnake
        );
    }

    #[test]
    fn status_columns_and_numeric_codes() {
        let (t, _) = tables(
            "## Error Handling\n#|\n|| **Status** | **Code** | **Description** | **Value** ||\n|| `400` | `0` | Required fields | Missing ||\n|| `400` | Empty value | Not found | x ||\n|#\n#|\n|| **Code** | **Description** ||\n|| `expired_token` | x ||\n|| Invalid parameters. | y ||\n|#\n",
        );
        assert!(t[0].has_status);
        assert_eq!(t[0].layout, ErrorLayout::CodeDescriptionValue);
        assert_eq!(t[0].rows[0].status, Some(400));
        assert_eq!(
            t[0].rows[0].code.as_ref().unwrap().style,
            CodeStyle::Numeric
        );
        assert_eq!(t[0].rows[1].code.as_ref().unwrap().style, CodeStyle::Empty);
        assert_eq!(t[1].layout, ErrorLayout::CodeDescription);
        assert_eq!(t[1].rows[0].code.as_ref().unwrap().style, CodeStyle::Other);
        assert_eq!(
            t[1].rows[1].code.as_ref().unwrap().style,
            CodeStyle::Sentence
        );
    }

    #[test]
    fn rest_v3_field_tables_share_the_code_above() {
        let (t, _) = tables(
            "## Error Handling\n#### Request Validation Errors\nError Code: `BITRIX_REST_V3_X`\n#|\n|| **Field** | **Error Description** | **How to Fix** ||\n|| `id` | Required field `id` is missing | Add `id` ||\n|#\n",
        );
        assert_eq!(t[0].layout, ErrorLayout::FieldDescriptionFix);
        assert_eq!(t[0].shared_code.as_deref(), Some("BITRIX_REST_V3_X"));
        assert_eq!(t[0].rows[0].field.as_deref(), Some("id"));
        assert_eq!(t[0].rows[0].meaning.as_deref(), Some("Add `id`"));
    }

    #[test]
    fn tables_without_codes_keep_the_text() {
        let (t, _) = tables(
            "## Error Handling\n#|\n|| **Error Message** | **Description** ||\n|| `Not found` | No lead ||\n|#\n",
        );
        assert_eq!(t[0].layout, ErrorLayout::DescriptionValue);
        assert_eq!(
            (t[0].rows[0].code.as_ref(), t[0].rows[0].message.as_str()),
            (None, "`Not found`")
        );
    }

    #[test]
    fn other_tables_in_error_sections_are_notes() {
        let (t, notes) =
            tables("## Errors\n#|\n|| **Mistake** | **Solution** ||\n|| a | b ||\n|#\n");
        assert!(t.is_empty());
        assert_eq!(notes[0].reason, NoteReason::UnknownTableLayout);
    }
}
