//! A small YAML writer for the drafted specs: block maps and sequences, plain scalars where
//! they read back as the same string, double-quoted ones elsewhere, `|` blocks for multi-line
//! texts. Deterministic byte for byte: the output is a function of the tree alone.
//!
//! Not serde_yaml: the generator keeps that crate to one module, and the drafts need a fixed,
//! reviewable layout (key order as the spec format documents it), not a serializer's.

/// A YAML node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Yaml {
    /// A string scalar, quoted when it needs to be.
    Str(String),
    /// A scalar written as is (`true`, `400`).
    Raw(String),
    /// A short list of strings written in flow style (`[task, user]`).
    Flow(Vec<String>),
    /// A block sequence.
    Seq(Vec<Yaml>),
    /// A block map, keys in the order given.
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// A string scalar.
    pub(crate) fn str(text: impl Into<String>) -> Yaml {
        Yaml::Str(text.into())
    }

    /// `true` or `false`.
    pub(crate) fn bool(value: bool) -> Yaml {
        Yaml::Raw(value.to_string())
    }

    /// A number.
    pub(crate) fn int(value: impl std::fmt::Display) -> Yaml {
        Yaml::Raw(value.to_string())
    }
}

/// Builds a map node in order, skipping absent optional values.
#[derive(Debug, Default)]
pub(crate) struct MapBuilder(Vec<(String, Yaml)>);

impl MapBuilder {
    /// An empty map.
    pub(crate) fn new() -> MapBuilder {
        MapBuilder::default()
    }

    /// Adds `key: value`.
    pub(crate) fn put(mut self, key: &str, value: Yaml) -> MapBuilder {
        self.0.push((key.to_string(), value));
        self
    }

    /// Adds `key: value` when the value is there.
    pub(crate) fn opt(self, key: &str, value: Option<Yaml>) -> MapBuilder {
        match value {
            Some(value) => self.put(key, value),
            None => self,
        }
    }

    /// Adds a sequence when it is not empty.
    pub(crate) fn seq(self, key: &str, items: Vec<Yaml>) -> MapBuilder {
        if items.is_empty() {
            self
        } else {
            self.put(key, Yaml::Seq(items))
        }
    }

    /// The map.
    pub(crate) fn build(self) -> Yaml {
        Yaml::Map(self.0)
    }
}

/// Writes a document whose root is `node` (a map), after the given comment lines.
pub(crate) fn document(comments: &[String], node: &Yaml) -> String {
    let mut out = String::new();
    for line in comments {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    match node {
        Yaml::Map(entries) => write_map(&mut out, entries, 0),
        other => {
            write_inline(&mut out, other, 0);
            out.push('\n');
        }
    }
    out
}

/// Block map entries at `indent` spaces, each starting on a new line.
fn write_map(out: &mut String, entries: &[(String, Yaml)], indent: usize) {
    for (key, value) in entries {
        pad(out, indent);
        write_entry(out, key, value, indent);
    }
}

/// `key: value` with the cursor after the indentation; ends with a line break.
fn write_entry(out: &mut String, key: &str, value: &Yaml, indent: usize) {
    out.push_str(&scalar(key));
    out.push(':');
    match value {
        Yaml::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            write_map(out, entries, indent + 2);
        }
        Yaml::Seq(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, indent + 2);
        }
        other => {
            out.push(' ');
            write_inline(out, other, indent);
            out.push('\n');
        }
    }
}

/// Block sequence items at `indent` spaces.
fn write_seq(out: &mut String, items: &[Yaml], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push_str("- ");
        match item {
            Yaml::Map(entries) if !entries.is_empty() => {
                // The first entry shares the dash's line; the others align under it.
                write_entry(out, &entries[0].0, &entries[0].1, indent + 2);
                write_map(out, &entries[1..], indent + 2);
            }
            Yaml::Seq(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, indent + 2);
            }
            other => {
                write_inline(out, other, indent);
                out.push('\n');
            }
        }
    }
}

/// A scalar, a flow list or an empty collection on the current line; a multi-line string
/// becomes a `|` block indented under `indent`.
fn write_inline(out: &mut String, node: &Yaml, indent: usize) {
    match node {
        Yaml::Str(text) if block_fits(text) => {
            out.push_str(if text.ends_with('\n') { "|" } else { "|-" });
            for line in text.trim_end_matches('\n').split('\n') {
                out.push('\n');
                if !line.is_empty() {
                    pad(out, indent + 2);
                    out.push_str(line);
                }
            }
        }
        Yaml::Str(text) => out.push_str(&scalar(text)),
        Yaml::Raw(text) => out.push_str(text),
        Yaml::Flow(items) => {
            // Inside `[…]`, flow indicators end a plain scalar: such items are quoted.
            let items: Vec<String> = items
                .iter()
                .map(|i| match i.contains([',', '[', ']', '{', '}']) {
                    true => quoted(i),
                    false => scalar(i),
                })
                .collect();
            out.push('[');
            out.push_str(&items.join(", "));
            out.push(']');
        }
        Yaml::Seq(_) => out.push_str("[]"),
        Yaml::Map(_) => out.push_str("{}"),
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Whether a string is written as a `|` block: several lines that a block keeps exactly (no
/// trailing blanks or tabs a reader might strip, no control characters, a first line that
/// sets the indentation, at most one final line break).
fn block_fits(text: &str) -> bool {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.contains('\n')
        && !body.ends_with('\n')
        && !body.starts_with([' ', '\n'])
        && body
            .split('\n')
            .all(|line| !line.ends_with([' ', '\t']) && !line.starts_with('\t'))
        && !text.chars().any(|c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}')
        })
}

/// A string as a scalar on one line: plain where YAML reads it back as the same string,
/// double-quoted otherwise.
pub(crate) fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// Plain scalars are kept to a safe subset: a letter first, no `: ` or ` #`, no characters
/// that start YAML syntax, nothing that resolves to another type.
fn is_plain_safe(text: &str) -> bool {
    const WORDS: [&str; 16] = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "nan", "inf", "~", "true",
        "false", "none", "=",
    ];
    let Some(first) = text.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains('\t')
        && !WORDS.contains(&text.to_ascii_lowercase().as_str())
        && text.chars().all(|c| {
            !c.is_control()
                && !matches!(
                    c,
                    '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{a0}'
                )
        })
}

/// A double-quoted scalar with JSON-like escapes (YAML's double-quoted style is a superset).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_sequences_and_scalars() {
        let node = MapBuilder::new()
            .put("method", Yaml::str("log.blogpost.share"))
            .put(
                "permission",
                Yaml::Flow(vec!["log".into(), "user brief".into()]),
            )
            .put("batch", Yaml::bool(true))
            .seq(
                "params",
                vec![
                    MapBuilder::new()
                        .put("name", Yaml::str("POST_ID"))
                        .put("description", Yaml::str("Id: of `x` # y"))
                        .build(),
                ],
            )
            .seq("errors", vec![])
            .put("empty", Yaml::str(""))
            .put("body", Yaml::str("{\n  \"a\": 1\n}\n"))
            .build();
        let text = document(&["a comment".into()], &node);
        assert_eq!(
            text,
            "# a comment\nmethod: log.blogpost.share\npermission: [log, user brief]\nbatch: true\n\
             params:\n  - name: POST_ID\n    description: \"Id: of `x` # y\"\nempty: \"\"\n\
             body: |\n  {\n    \"a\": 1\n  }\n"
        );
    }

    #[test]
    fn quoting() {
        for (text, expected) in [
            ("plain text.", "plain text."),
            ("true", "\"true\""),
            ("No", "\"No\""),
            ("`code` first", "\"`code` first\""),
            ("400", "\"400\""),
            ("a\"b\\c", "a\"b\\c"),
            ("- dash", "\"- dash\""),
            ("tab\there", "\"tab\\there\""),
            ("Ünïcode ok", "Ünïcode ok"),
        ] {
            assert_eq!(scalar(text), expected, "{text}");
        }
    }

    #[test]
    fn blocks_only_when_they_keep_the_text() {
        let trailing = Yaml::str("a \nb");
        let mut out = String::new();
        write_inline(&mut out, &trailing, 0);
        assert_eq!(out, "\"a \\nb\"");
        let mut out = String::new();
        write_inline(&mut out, &Yaml::str("a\n\nb"), 2);
        assert_eq!(out, "|-\n    a\n\n    b");
    }
}
