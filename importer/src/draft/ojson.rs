//! JSON read with its key order kept, and written back the way the generated code writes it
//! (serde_json's compact form): the request examples a draft keeps must encode back byte for
//! byte, and the pages' order of keys is the order of the request's fields.
//!
//! The reader's `serde_json::Value` sorts keys (no `preserve_order` in this crate), so the
//! drafting step parses the example's text again here.

/// A JSON value with object keys in document order; numbers as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OValue {
    Null,
    Bool(bool),
    /// The number's text as written.
    Number(String),
    Str(String),
    Array(Vec<OValue>),
    Object(Vec<(String, OValue)>),
}

impl OValue {
    /// Parses a whole document; `None` if it is not JSON.
    pub(crate) fn parse(text: &str) -> Option<OValue> {
        // serde_json validates (escapes, numbers); this reader only has to keep the order.
        serde_json::from_str::<serde_json::Value>(text).ok()?;
        let mut p = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        let value = p.value()?;
        p.ws();
        (p.at == p.chars.len()).then_some(value)
    }

    /// Parses an example as written, or else with the reader's repairs (comments, `...`,
    /// trailing commas): the value and the text to keep (the repaired one, if repaired).
    pub(crate) fn parse_example(raw: &str) -> Option<(OValue, String)> {
        if let Some(value) = OValue::parse(raw) {
            return Some((value, raw.to_string()));
        }
        let (fixed, _) = crate::json::repair(raw);
        OValue::parse(&fixed).map(|value| (value, fixed))
    }

    /// The value under `key`, for an object.
    pub(crate) fn get(&self, key: &str) -> Option<&OValue> {
        match self {
            OValue::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, for a string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            OValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Compact text as serde_json writes it, or `None` when a number would not come back as
    /// written (`1.50`, `1e3`: the encoder would write `1.5`, `1000.0`).
    pub(crate) fn compact(&self) -> Option<String> {
        let mut out = String::new();
        self.write(&mut out).then_some(out)
    }

    fn write(&self, out: &mut String) -> bool {
        match self {
            OValue::Null => out.push_str("null"),
            OValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            OValue::Number(n) if canonical_number(n) => out.push_str(n),
            OValue::Number(_) => return false,
            OValue::Str(s) => write_str(out, s),
            OValue::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !item.write(out) {
                        return false;
                    }
                }
                out.push(']');
            }
            OValue::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, key);
                    out.push(':');
                    if !value.write(out) {
                        return false;
                    }
                }
                out.push('}');
            }
        }
        true
    }
}

/// Whether serde_json writes the number back as written: an integer that fits 64 bits, or
/// a fraction in the shortest form that round-trips, within the range printed without an
/// exponent.
pub(crate) fn canonical_number(n: &str) -> bool {
    if is_integer(n) {
        return n.parse::<i64>().is_ok() || n.parse::<u64>().is_ok();
    }
    let Ok(f) = n.parse::<f64>() else {
        return false;
    };
    let magnitude = f.abs();
    !n.contains(['e', 'E'])
        && (magnitude == 0.0 || (1e-5..1e16).contains(&magnitude))
        && format!("{f:?}") == n
}

/// `-?(0|[1-9][0-9]*)`.
pub(crate) fn is_integer(n: &str) -> bool {
    let digits = n.strip_prefix('-').unwrap_or(n);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

/// A string as serde_json escapes it.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A recursive-descent reader over text serde_json has already accepted.
struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn ws(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn value(&mut self) -> Option<OValue> {
        self.ws();
        match self.peek()? {
            '{' => self.object(),
            '[' => self.array(),
            '"' => self.string().map(OValue::Str),
            't' => self.word("true", OValue::Bool(true)),
            'f' => self.word("false", OValue::Bool(false)),
            'n' => self.word("null", OValue::Null),
            _ => self.number(),
        }
    }

    fn word(&mut self, word: &str, value: OValue) -> Option<OValue> {
        self.at += word.len();
        Some(value)
    }

    fn number(&mut self) -> Option<OValue> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.at += 1;
        }
        (self.at > start).then(|| OValue::Number(self.chars[start..self.at].iter().collect()))
    }

    fn object(&mut self) -> Option<OValue> {
        self.at += 1;
        let mut entries = Vec::new();
        loop {
            self.ws();
            match self.peek()? {
                '}' => {
                    self.at += 1;
                    return Some(OValue::Object(entries));
                }
                ',' => self.at += 1,
                _ => {
                    let key = self.string()?;
                    self.ws();
                    self.at += 1; // ':'
                    let value = self.value()?;
                    entries.push((key, value));
                }
            }
        }
    }

    fn array(&mut self) -> Option<OValue> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.ws();
            match self.peek()? {
                ']' => {
                    self.at += 1;
                    return Some(OValue::Array(items));
                }
                ',' => self.at += 1,
                _ => items.push(self.value()?),
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let c = self.peek()?;
            self.at += 1;
            match c {
                '"' => return Some(out),
                '\\' => out.push(self.escape()?),
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(match c {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' => return self.unicode(),
            other => other,
        })
    }

    /// `\uXXXX`, with a following low surrogate when the first is a high one.
    fn unicode(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.chars.get(self.at) == Some(&'\\') {
            self.at += 2;
            let low = self.hex4()?;
            let code = 0x10000 + ((first - 0xD800) << 10) + (low.checked_sub(0xDC00)?);
            return char::from_u32(code);
        }
        Some(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    fn hex4(&mut self) -> Option<u32> {
        let text: String = self.chars.get(self.at..self.at + 4)?.iter().collect();
        self.at += 4;
        u32::from_str_radix(&text, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_writes_compactly() {
        let v =
            OValue::parse("{ \"b\": [1, 2.5, \"x\\/y\"],\n \"a\": {\"z\": null, \"y\": true} }")
                .unwrap();
        assert_eq!(
            v.compact().unwrap(),
            "{\"b\":[1,2.5,\"x/y\"],\"a\":{\"z\":null,\"y\":true}}"
        );
        assert_eq!(
            v.get("a").and_then(|a| a.get("y")),
            Some(&OValue::Bool(true))
        );
        assert!(OValue::parse("{\"a\": 1,}").is_none());
        assert!(OValue::parse("\"\\ud83d\\ude00\"").unwrap() == OValue::Str("😀".into()));
    }

    #[test]
    fn numbers_that_do_not_come_back_as_written() {
        for n in ["1.50", "1e3", "1E3", "00", "100000000000000000000"] {
            assert!(!canonical_number(n), "{n}");
        }
        for n in ["0", "-5", "1.5", "100.0", "0.25", "18446744073709551615"] {
            assert!(canonical_number(n), "{n}");
        }
    }
}
