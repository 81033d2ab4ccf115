//! Small text helpers shared by errors and decoding: excerpts, escaping, clipping, secret redaction.

use std::borrow::Cow;

/// How many characters of a body an error keeps.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// Secrets shorter than this are not searched for (they would match ordinary text).
const MIN_REDACTED_LEN: usize = 4;

/// What replaces a secret found in server text.
pub(crate) const REDACTED: &str = "***";

/// The first [`EXCERPT_CHARS`] characters of a body: invalid UTF-8 replaced, the secret
/// redacted, control characters escaped, and `…` appended when something was cut.
pub(crate) fn excerpt(bytes: &[u8], secret: Option<&str>) -> String {
    // 200 characters take at most 800 bytes; the extra room lets a secret that straddles
    // the cut be redacted before cutting, so no half-secret can survive.
    let window = EXCERPT_CHARS * 4 + secret.map_or(0, |s| 2 * s.len()) + 16;
    let head = &bytes[..bytes.len().min(window)];
    let text = String::from_utf8_lossy(head);
    let text = redact(&text, secret);
    clip_escaped(&text, EXCERPT_CHARS, head.len() < bytes.len())
}

/// At most `max_chars` characters of `text`, with control and bidi characters escaped;
/// `…` is appended when `text` was longer or `more` is set.
pub(crate) fn clip_escaped(text: &str, max_chars: usize, more: bool) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 2));
    let mut chars = text.chars();
    for c in chars.by_ref().take(max_chars) {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if more || chars.next().is_some() {
        out.push('…');
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every occurrence of `secret` replaced by `***`.
pub(crate) fn redact<'t>(text: &'t str, secret: Option<&str>) -> Cow<'t, str> {
    match secret {
        Some(secret) if secret.len() >= MIN_REDACTED_LEN && text.contains(secret) => {
            Cow::Owned(text.replace(secret, REDACTED))
        }
        _ => Cow::Borrowed(text),
    }
}

/// Redacts `secret` in place.
pub(crate) fn redact_in_place(text: &mut String, secret: Option<&str>) {
    if let Cow::Owned(clean) = redact(text, secret) {
        *text = clean;
    }
}

/// Redacts `secret` from every string (keys included) inside a JSON value.
pub(crate) fn redact_json(value: &mut serde_json::Value, secret: Option<&str>) {
    match value {
        serde_json::Value::String(s) => redact_in_place(s, secret),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| redact_json(v, secret)),
        serde_json::Value::Object(map) => redact_map(map, secret),
        _ => {}
    }
}

/// Redacts `secret` from every key and string value of a JSON object.
pub(crate) fn redact_map(
    map: &mut serde_json::Map<String, serde_json::Value>,
    secret: Option<&str>,
) {
    let Some(secret) = secret.filter(|s| s.len() >= MIN_REDACTED_LEN) else {
        return;
    };
    let old = std::mem::take(map);
    for (key, mut value) in old {
        redact_json(&mut value, Some(secret));
        map.insert(redact(&key, Some(secret)).into_owned(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_on_char_boundary_and_marks_cut() {
        let body = "я".repeat(300);
        let out = excerpt(body.as_bytes(), None);
        assert_eq!(out.chars().count(), EXCERPT_CHARS + 1);
        assert!(out.ends_with('…'));
        assert!(out.starts_with("яя"));
    }

    #[test]
    fn excerpt_escapes_control_characters() {
        let out = excerpt(b"<h1>Bad\r\nGateway</h1>\x1b[31m\0", None);
        assert_eq!(out, "<h1>Bad\\r\\nGateway</h1>\\u{1b}[31m\\u{0}");
    }

    #[test]
    fn excerpt_survives_invalid_utf8() {
        let out = excerpt(&[0xff, 0xfe, b'a', 0xc3], None);
        assert_eq!(out, "\u{fffd}\u{fffd}a\u{fffd}");
    }

    #[test]
    fn excerpt_redacts_secret_across_the_cut() {
        let mut body = "x".repeat(EXCERPT_CHARS - 3);
        body.push_str("/rest/1/abcdefghsecret/");
        let out = excerpt(body.as_bytes(), Some("abcdefghsecret"));
        assert!(!out.contains("abc"), "{out}");
    }

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(excerpt(b"", None), "");
        assert_eq!(clip_escaped("abc", 3, false), "abc");
        assert_eq!(clip_escaped("abcd", 3, false), "abc…");
        assert_eq!(clip_escaped("a\u{202e}b", 3, false), "a\\u{202e}b");
    }

    #[test]
    fn redaction() {
        assert_eq!(
            redact("a secret-1 b secret-1", Some("secret-1")),
            "a *** b ***"
        );
        assert_eq!(redact("abc", Some("b")), "abc");
        assert_eq!(redact("abc", None), "abc");
        let mut v = serde_json::json!({"k": ["secret-1", {"secret-1": 1}]});
        redact_json(&mut v, Some("secret-1"));
        assert_eq!(v, serde_json::json!({"k": ["***", {"***": 1}]}));
    }
}
