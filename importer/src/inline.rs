//! Inline markdown inside one cell or line: bold names with their star, backticked words
//! and the links around them, bullets of values, "Default …" sentences.

use crate::model::{EnumValue, TypeRef};

/// The bold name at the start of a cell, whether it is starred, and the rest of the cell.
///
/// The star comes in every form the pages use: `**NAME***`, `**NAME**\*`, `**NAME**^*^`,
/// `**NAME^*^**`, `**NAME*`… (inside or after the bold).
pub(crate) fn bold_name(cell: &str) -> Option<(String, bool, &str)> {
    let inner = cell.trim_start().strip_prefix("**")?;
    let end = find_unescaped(inner, "**")?;
    let (mut name, mut rest) = (inner[..end].trim(), &inner[end + 2..]);
    let mut required = false;
    // Inside the bold, `\*` is a literal star (`UF_\*`, all custom fields).
    for star in ["^*^", "*"] {
        if let Some(n) = name.strip_suffix(star).filter(|n| !n.ends_with('\\')) {
            name = n.trim_end();
            required = true;
            break;
        }
    }
    for star in ["^*^", "\\*", "*"] {
        if let Some(r) = rest.strip_prefix(star) {
            rest = r;
            required = true;
            break;
        }
    }
    if name.is_empty() {
        return None;
    }
    Some((unescape(name), required, rest))
}

/// The byte offset of the first `pattern` not escaped by a backslash.
fn find_unescaped(text: &str, pattern: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if text[i..].starts_with(pattern) {
            return Some(i);
        }
    }
    None
}

/// Removes markdown escapes (`UF\_CRM` → `UF_CRM`).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(n)) if n.is_ascii_punctuation() => {}
            _ => out.push(c),
        }
    }
    out
}

/// A backticked span: its text and where it sits in the input.
#[derive(Debug)]
pub(crate) struct Span<'a> {
    /// The text between the backticks.
    pub text: &'a str,
    /// Byte offset of the opening backtick.
    pub start: usize,
    /// Byte offset just past the closing backtick.
    pub end: usize,
}

/// All single-backtick spans of a text, in order.
pub(crate) fn code_spans(text: &str) -> Vec<Span<'_>> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('`').map(|i| i + from) {
        let run = text[open..].chars().take_while(|&c| c == '`').count();
        let body = open + run;
        let fence = &text[open..body];
        let Some(close) = text[body..].find(fence).map(|i| i + body) else {
            break;
        };
        if run == 1 {
            spans.push(Span {
                text: &text[body..close],
                start: open,
                end: close + run,
            });
        }
        from = close + run;
    }
    spans
}

/// The type words of a name cell's rest or a type column: each backticked word, with the
/// link it is wrapped in (`[`integer`](../data-types.md)`).
pub(crate) fn type_refs(text: &str) -> Vec<TypeRef> {
    let spans = code_spans(text);
    let mut types = Vec::new();
    for span in &spans {
        let name = span.text.trim();
        if !is_type_word(name) {
            continue;
        }
        types.push(TypeRef {
            name: name.to_string(),
            link: link_after(text, span),
        });
    }
    if spans.is_empty() {
        let plain = strip_markup(text);
        if is_type_word(&plain) {
            types.push(TypeRef {
                name: plain,
                link: None,
            });
        }
    }
    types
}

/// `true` for what can be a type word: no spaces, not empty, no markup.
fn is_type_word(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 60
        && !word.contains(char::is_whitespace)
        && word.chars().any(|c| c.is_ascii_alphabetic())
}

/// The target of `[`span`](target)` around a span, if the span is a link's whole label.
fn link_after(text: &str, span: &Span<'_>) -> Option<String> {
    let before = text[..span.start].trim_end();
    let after = &text[span.end..];
    if !before.ends_with('[') || !after.starts_with("](") {
        return None;
    }
    let close = after.find(')')?;
    Some(after[2..close].trim().to_string())
}

/// Every `[label](target)` link of a text: the targets, in order.
pub(crate) fn link_targets(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("](").map(|i| i + from) {
        let start = i + 2;
        match text[start..].find(')') {
            Some(close) => {
                out.push(text[start..start + close].trim());
                from = start + close;
            }
            None => break,
        }
    }
    out
}

/// Plain text: bold, backticks, link targets and YFM attributes removed.
pub(crate) fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..i]);
        rest = match rest[i..].find(')') {
            Some(close) => &rest[i + close + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    let out = out.replace(['*', '`', '['], "").replace("{.b24-info}", "");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Values listed as bullets: `` - `VALUE` — meaning `` (also with `–`, `-` or `:`).
pub(crate) fn enum_values(text: &str) -> Vec<EnumValue> {
    text.lines().filter_map(enum_bullet).collect()
}

/// One `` - `VALUE` — meaning `` bullet.
fn enum_bullet(line: &str) -> Option<EnumValue> {
    let t = line.trim_start();
    let item = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))?
        .trim_start();
    let span = code_spans(item)
        .into_iter()
        .next()
        .filter(|s| s.start == 0)?;
    let after = item[span.end..].trim_start();
    let meaning = ["—", "–", "-", ":", "="]
        .iter()
        .find_map(|dash| after.strip_prefix(dash))?;
    Some(EnumValue {
        value: span.text.to_string(),
        meaning: meaning.trim().to_string(),
    })
}

/// What a description says the default is, from its "Default …" sentence.
pub(crate) fn default_of(text: &str) -> Option<String> {
    const LEADS: [&str; 10] = [
        "the default value is ",
        "default value is ",
        "default value: ",
        "default value — ",
        "default is ",
        "defaults to ",
        "default: ",
        "default — ",
        "default - ",
        "by default, ",
    ];
    // ASCII lower-casing keeps byte offsets, so positions in `lower` are positions in `text`.
    let lower = text.to_ascii_lowercase();
    LEADS.iter().find_map(|lead| {
        let at = lower.find(lead)?;
        let start = at + lead.len();
        let rest = text.get(start..)?;
        let value = first_sentence(rest);
        (!value.is_empty()).then_some(value)
    })
}

/// The text up to the end of its sentence or line.
fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut end = line.len();
    let mut code = false;
    for (i, c) in line.char_indices() {
        match c {
            '`' => code = !code,
            '.' if !code && line[i + 1..].starts_with(' ') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let s = line[..end].trim().trim_end_matches("||").trim_end();
    s.trim_end_matches('.').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_in_every_form() {
        for cell in [
            "**POST_ID***\n[`integer`](x)",
            "**POST_ID**\\*",
            "**POST_ID**^*^",
            "**POST_ID^*^**",
        ] {
            let (name, req, _) = bold_name(cell).unwrap();
            assert_eq!((name.as_str(), req), ("POST_ID", true), "{cell}");
        }
        let (name, req, rest) = bold_name("**USER_ID**\n[`integer`](../data-types.md)").unwrap();
        assert_eq!((name.as_str(), req), ("USER_ID", false));
        assert_eq!(type_refs(rest)[0].link.as_deref(), Some("../data-types.md"));
        assert_eq!(bold_name("**UF\\_CRM\\_1**").unwrap().0, "UF_CRM_1");
        let (name, req, _) = bold_name("**UF_\\***\n[`any`](x)").unwrap();
        assert_eq!((name.as_str(), req), ("UF_*", false));
        assert!(bold_name("plain").is_none());
    }

    #[test]
    fn type_words_with_and_without_links() {
        let t = type_refs("[`integer`](../data-types.md) or [`string`](../data-types.md#str)");
        let names: Vec<_> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["integer", "string"]);
        assert_eq!(t[1].link.as_deref(), Some("../data-types.md#str"));
        assert_eq!(type_refs("`crm_multifield[]`")[0].link, None);
        assert_eq!(type_refs("string")[0].name, "string");
        assert!(type_refs("").is_empty());
    }

    #[test]
    fn enum_bullets_and_defaults() {
        let d = "Possible values:\n\n- `Y` — original names\n- `N` – camelCase\n- not a value\n\nDefault is `N`";
        let v = enum_values(d);
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[1].value.as_str(), v[1].meaning.as_str()),
            ("N", "camelCase")
        );
        assert_eq!(default_of(d).as_deref(), Some("`N`"));
        assert_eq!(
            default_of("By default, it is the current user. More.").as_deref(),
            Some("it is the current user")
        );
        assert_eq!(default_of("Default — `null` ||").as_deref(), Some("`null`"));
        assert_eq!(default_of("No such sentence"), None);
    }

    #[test]
    fn markup_is_stripped() {
        assert_eq!(strip_markup("**Name**\n`type`"), "Name type");
        assert_eq!(strip_markup("[`log`](../scopes/permissions.md)"), "log");
        assert_eq!(link_targets("a [b](c.md) d [e](#f)"), ["c.md", "#f"]);
    }
}
