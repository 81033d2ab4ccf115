//! JSON examples, read strictly first and repaired only in the ways the pages need.
//!
//! Response examples shorten themselves with `...` and explain themselves with `//`
//! comments; some carry raw line breaks inside strings or Windows paths with lone
//! backslashes. Each repair is recorded, so a consumer can tell a verbatim example from one
//! that was mended. What still does not parse (unquoted keys, prose inside the JSON) is
//! left unparsed with serde_json's error, never guessed at.

use serde_json::Value;

use crate::model::Repair;

/// The outcome of reading a JSON example.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    /// The value, if it parses.
    pub json: Option<Value>,
    /// The repairs that were needed.
    pub repairs: Vec<Repair>,
    /// Why it does not parse (the strict parser's error).
    pub error: Option<String>,
}

/// Parses `text`, repairing comments, ellipses, trailing commas, control characters and
/// invalid escapes when the strict parse fails.
pub(crate) fn parse(text: &str) -> Parsed {
    let strict_error = match serde_json::from_str::<Value>(text) {
        Ok(json) => {
            return Parsed {
                json: Some(json),
                repairs: Vec::new(),
                error: None,
            };
        }
        Err(err) => err.to_string(),
    };
    let (fixed, mut repairs) = repair(text);
    match serde_json::from_str::<Value>(&fixed) {
        Ok(json) if !repairs.is_empty() => {
            repairs.sort();
            repairs.dedup();
            Parsed {
                json: Some(json),
                repairs,
                error: None,
            }
        }
        _ => Parsed {
            json: None,
            repairs: Vec::new(),
            error: Some(strict_error),
        },
    }
}

/// Rewrites `text` with the repairs applied, and lists them.
pub(crate) fn repair(text: &str) -> (String, Vec<Repair>) {
    let mut r = Repairer {
        out: String::with_capacity(text.len()),
        repairs: Vec::new(),
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        i = r.step(&chars, i);
    }
    let out = drop_stray_commas(&r.out, &mut r.repairs);
    (out, r.repairs)
}

/// Repair state.
struct Repairer {
    out: String,
    repairs: Vec<Repair>,
}

impl Repairer {
    /// Handles the token at `i` outside strings; returns the next index.
    fn step(&mut self, chars: &[char], i: usize) -> usize {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('"', _) => self.string(chars, i),
            ('/', Some('/')) => self.skip_line_comment(chars, i),
            ('/', Some('*')) => self.skip_block_comment(chars, i),
            ('.', Some('.')) if chars.get(i + 2) == Some(&'.') => self.ellipsis(chars, i, 3),
            ('…', _) => self.ellipsis(chars, i, 1),
            _ => {
                self.out.push(c);
                i + 1
            }
        }
    }

    /// Copies a string, escaping raw control characters and lone backslashes.
    fn string(&mut self, chars: &[char], start: usize) -> usize {
        self.out.push('"');
        let mut i = start + 1;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '"' => {
                    self.out.push('"');
                    return i + 1;
                }
                '\\' => {
                    let n = chars.get(i + 1).copied();
                    if n.is_some_and(|n| "\"\\/bfnrtu".contains(n)) {
                        self.out.push('\\');
                        self.out.push(n.unwrap_or_default());
                        i += 2;
                        continue;
                    }
                    self.out.push_str("\\\\");
                    self.repairs.push(Repair::InvalidEscapes);
                }
                '\n' | '\r' | '\t' => {
                    self.out.push_str(match c {
                        '\n' => "\\n",
                        '\r' => "\\r",
                        _ => "\\t",
                    });
                    self.repairs.push(Repair::ControlCharacters);
                }
                _ => self.out.push(c),
            }
            i += 1;
        }
        i
    }

    fn skip_line_comment(&mut self, chars: &[char], i: usize) -> usize {
        self.repairs.push(Repair::Comments);
        let end = chars[i..].iter().position(|&c| c == '\n').map(|p| p + i);
        end.unwrap_or(chars.len())
    }

    fn skip_block_comment(&mut self, chars: &[char], i: usize) -> usize {
        self.repairs.push(Repair::Comments);
        let mut j = i + 2;
        while j + 1 < chars.len() && !(chars[j] == '*' && chars[j + 1] == '/') {
            j += 1;
        }
        (j + 2).min(chars.len())
    }

    /// `...` where a value is due becomes `null`; elsewhere it goes.
    fn ellipsis(&mut self, chars: &[char], i: usize, len: usize) -> usize {
        self.repairs.push(Repair::Ellipsis);
        let mut j = i + len;
        while chars.get(j) == Some(&'.') {
            j += 1;
        }
        if self.out.trim_end().ends_with(':') {
            self.out.push_str("null");
        }
        j
    }
}

/// Removes commas left before `}` or `]`, doubled, or right after `{` or `[`.
fn drop_stray_commas(text: &str, repairs: &mut Vec<Repair>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c == '"' {
            in_string = true;
            escaped = false;
        }
        if c == ',' && stray_comma(&out, &chars[i + 1..]) {
            repairs.push(Repair::TrailingCommas);
            continue;
        }
        out.push(c);
    }
    out
}

/// `true` when a comma has no value before or after it.
fn stray_comma(before: &str, after: &[char]) -> bool {
    let prev = before.trim_end().chars().last();
    let next = after.iter().find(|c| !c.is_whitespace());
    matches!(prev, Some('{' | '[' | ',') | None) || matches!(next, Some('}' | ']') | None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_json_needs_no_repair() {
        let p = parse(r#"{"result": true}"#);
        assert_eq!(p.json, Some(serde_json::json!({"result": true})));
        assert!(p.repairs.is_empty() && p.error.is_none());
    }

    #[test]
    fn comments_and_ellipses_are_repaired_and_recorded() {
        let p = parse(
            "{\n  \"result\": [1, 2, ...], // the list\n  \"next\": ...,\n  /* c */ \"url\": \"https://x//y\",\n}",
        );
        let json = p.json.expect("repaired");
        assert_eq!(json["result"], serde_json::json!([1, 2]));
        assert_eq!(json["next"], Value::Null);
        assert_eq!(json["url"], "https://x//y");
        assert_eq!(
            p.repairs,
            [Repair::Comments, Repair::Ellipsis, Repair::TrailingCommas]
        );
    }

    #[test]
    fn strings_with_raw_breaks_and_lone_backslashes() {
        let p = parse("{\"a\": \"line\nbreak\", \"p\": \"C:\\dir\"}");
        let json = p.json.expect("repaired");
        assert_eq!(json["a"], "line\nbreak");
        assert_eq!(json["p"], "C:\\dir");
        assert_eq!(
            p.repairs,
            [Repair::ControlCharacters, Repair::InvalidEscapes]
        );
    }

    #[test]
    fn prose_stays_unparsed_with_the_strict_error() {
        let p = parse("{ result: true }");
        assert!(p.json.is_none() && p.repairs.is_empty());
        assert!(p.error.unwrap().contains("key must be a string"));
        assert!(parse("").json.is_none());
    }
}
