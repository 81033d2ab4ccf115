//! Diagnostics for bad specs: which file, where in it, which key, and what is wrong.

use std::fmt;

/// One step into a YAML document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A sequence index, from 0.
    Index(usize),
}

/// Where a value sits in a spec document, e.g. `errors[2].name`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    /// The document root.
    pub fn root() -> Self {
        KeyPath(Vec::new())
    }

    /// This path extended by a mapping key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_owned()));
        KeyPath(segments)
    }

    /// This path extended by a sequence index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        KeyPath(segments)
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A fault in one spec file, located to the line and column of the key at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file, relative to the workspace root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The key at fault.
    pub key_path: KeyPath,
    /// What is wrong, and where useful how to fix it.
    pub message: String,
}

impl fmt::Display for SpecError {
    /// `file:line:column: key.path: message`, with values quoted in the message cut to
    /// [`MAX_QUOTED_CHARS`] characters: a spec value can be a megabyte long.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file,
            self.line,
            self.column,
            self.key_path,
            clip_quoted(&self.message)
        )
    }
}

/// How many characters of a quoted value a printed message keeps.
pub const MAX_QUOTED_CHARS: usize = 80;

/// `message` with every span between two backquotes or two double quotes (or from a lone one
/// to the end) longer than [`MAX_QUOTED_CHARS`] characters cut, marked by `…`.
fn clip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        out.push_str(&rest[..=open]);
        let inside = &rest[open + 1..];
        let (value, after) = match inside.find(quote) {
            Some(close) => (&inside[..close], &inside[close..]),
            None => (inside, ""),
        };
        match value.char_indices().nth(MAX_QUOTED_CHARS) {
            Some((cut, _)) => {
                out.push_str(&value[..cut]);
                out.push('…');
            }
            None => out.push_str(value),
        }
        // The closing quote, if any, is printed as it is.
        match after.strip_prefix(quote) {
            Some(tail) => {
                out.push(quote);
                rest = tail;
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

impl std::error::Error for SpecError {}

/// The known name closest to `name`, if one is close enough to be what the author meant: the
/// same name but for case and `-`/`_` (`Id` for `id`, `obtain-from` for `obtain_from`), else
/// the first of the most similar as written (Jaro-Winkler at least 0.8; as written, because
/// case carries meaning in `WrongPostId` and lowercasing makes every `Wrong…` look alike).
///
/// The one "did you mean" rule of the generator: unknown keys and variants (`yaml`), error
/// rows (`validate`), types and system error codes (`model`) all use it.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let normal = |name: &str| name.to_lowercase().replace('-', "_");
    let wanted = normal(name);
    let known: Vec<&'a str> = known.into_iter().collect();
    if let Some(same) = known.iter().find(|candidate| normal(candidate) == wanted) {
        return Some(same);
    }
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in known {
        let score = strsim::jaro_winkler(name, candidate);
        if score >= 0.8 && best.is_none_or(|(top, _)| score > top) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// ` (did you mean `x`?)` when a known name is [`closest`] to `name`, else nothing: the tail
/// of a message that names something unknown.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(name, known)
        .map(|close| format!(" (did you mean `{close}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_values_are_cut_when_printed() {
        let long = "x".repeat(1000);
        let error = SpecError {
            file: "spec/a/a.b.yaml".into(),
            line: 2,
            column: 1,
            key_path: KeyPath::root().key("method"),
            message: format!("`{long}` is not a method name; see \"{long}\" and `{long}"),
        };
        let shown = error.to_string();
        let cut = format!("{}…", "x".repeat(MAX_QUOTED_CHARS));
        assert_eq!(
            shown,
            format!(
                "spec/a/a.b.yaml:2:1: method: `{cut}` is not a method name; see \"{cut}\" and `{cut}"
            )
        );
        assert!(
            error.message.len() > 3000,
            "the error keeps the whole value"
        );

        let short = "unknown field `requird`: did you mean `required`? (expected \"x\")";
        assert_eq!(clip_quoted(short), short);
        assert_eq!(clip_quoted("ünïcödé `é` \"\""), "ünïcödé `é` \"\"");
    }

    #[test]
    fn suggestions() {
        let fields = ["name", "type", "required", "description", "obtain_from"];
        assert_eq!(closest("nme", fields), Some("name"));
        assert_eq!(closest("Type", fields), Some("type"));
        assert_eq!(closest("obtain-from", fields), Some("obtain_from"));
        assert_eq!(closest("desc", fields), Some("description"));
        assert_eq!(closest("zebra", fields), None);
        assert_eq!(closest("Requird", fields), Some("required"));
        // Compared as written: lowercased, every `Wrong…` would look like every other.
        assert_eq!(closest("WrongDestinations", ["WrongPostId"]), None);
        assert_eq!(
            did_you_mean("WrongPostID", ["WrongPostId", "Other"]),
            " (did you mean `WrongPostId`?)"
        );
        assert_eq!(did_you_mean("zebra", ["name"]), "");
    }
}
