//! The one door to YAML: parses spec files into spec structs with located, readable errors,
//! and finds where a key sits in a file so later checks can point at it.
//!
//! This is the only module that names `serde_yaml` (unmaintained): replacing it by a fork
//! must stay a change to this file alone.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

use crate::diag::{self, KeyPath, Segment, SpecError};

/// Largest spec file accepted. Real specs are a few KiB; the limit keeps a stray or generated
/// file from making the generator slow.
pub(crate) const MAX_SPEC_BYTES: usize = 1024 * 1024;

/// Most a document may expand to through aliases, counted as the bytes of its scalars plus
/// [`NODE_COST`] per node. A document without aliases stays far below it (a 1 MiB file has at
/// most about half a million nodes); a few hundred aliases of one long string would not, and
/// would otherwise make the parser allocate gigabytes from a file under [`MAX_SPEC_BYTES`].
const MAX_EXPANDED_BYTES: usize = 16 * MAX_SPEC_BYTES;

/// What one node (scalar, mapping or sequence) counts against [`MAX_EXPANDED_BYTES`], on top of
/// a scalar's own bytes: roughly what a parsed value costs beyond its text.
const NODE_COST: usize = 16;

/// Parses one spec file.
///
/// `file` is only used in the error (path relative to the workspace root). Every failure
/// (size, encoding, empty document, YAML syntax, wrong shape, unknown or duplicate key,
/// alias bomb, nesting too deep) comes back as one [`SpecError`] with a line and column.
pub(crate) fn parse<T: DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T, SpecError> {
    let error = |(line, column): (usize, usize), key_path: KeyPath, message: String| SpecError {
        file: file.to_owned(),
        line,
        column,
        key_path,
        message,
    };
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(too_large(file, bytes.len() as u64));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(utf8) => {
            let at = utf8.valid_up_to();
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            return Err(error(
                line_column(prefix),
                KeyPath::root(),
                format!(
                    "invalid UTF-8 (a bad sequence starts with byte 0x{:02X}); spec files must be UTF-8",
                    bytes[at]
                ),
            ));
        }
    };
    if is_empty_document(text) {
        return Err(error(
            (1, 1),
            KeyPath::root(),
            "empty spec: the file holds no YAML content, only blank lines or comments".to_owned(),
        ));
    }

    // A document can only grow beyond its text through aliases, which need an anchor (`&`)
    // and an alias (`*`). Without both characters the typed pass alone is safe, and a spec
    // that parses is read once; the whole-document checks run first only where aliases may
    // be, and otherwise only to explain a failure.
    let may_alias = text.contains('&') && text.contains('*');
    if may_alias {
        whole_document(file, text)?;
    }
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|failure| {
        if !may_alias && let Err(first) = whole_document(file, text) {
            return first;
        }
        let key_path = key_path_of(failure.path());
        convert(file, text, key_path, failure.inner())
    })
}

/// The checks of the whole document that build nothing: its syntax, then its nesting and size
/// with every alias expanded.
///
/// A broken line further down must win over a shape error found earlier in the partial event
/// stream (skipping never expands aliases). The walk counts what the typed pass would build,
/// so after it that pass's memory is bounded too.
fn whole_document(file: &str, text: &str) -> Result<(), SpecError> {
    if let Err(syntax) = serde_yaml::from_str::<IgnoredAny>(text) {
        return Err(convert(file, text, KeyPath::root(), &syntax));
    }
    let budget = Cell::new(MAX_EXPANDED_BYTES);
    if let Err(expansion) = Budget(&budget).deserialize(serde_yaml::Deserializer::from_str(text)) {
        return Err(convert(file, text, KeyPath::root(), &expansion));
    }
    Ok(())
}

/// The error for a file over [`MAX_SPEC_BYTES`]; `size` is its length in bytes. The loader
/// reports it from the file's metadata, before reading (let alone parsing) a byte of it.
pub(crate) fn too_large(file: &str, size: u64) -> SpecError {
    SpecError {
        file: file.to_owned(),
        line: 1,
        column: 1,
        key_path: KeyPath::root(),
        message: format!(
            "file is too large ({size} bytes); a spec file may have at most 1 MiB ({MAX_SPEC_BYTES} bytes)"
        ),
    }
}

/// The 1-based line and column of the node at `path` in `text`: for a mapping entry the
/// position of its key, for a sequence element or the document the position of the node.
///
/// Where `path` does not exist, the deepest ancestor that does is located. In broken YAML
/// only the part before the syntax error is searched; `None` when not even the document's
/// start can be read.
pub(crate) fn locate(text: &str, path: &KeyPath) -> Option<(usize, usize)> {
    (0..=path.0.len())
        .rev()
        .find_map(|len| find(text, &path.0[..len], 0))
}

/// Turns serde_path_to_error's path into ours. A step that cannot be named (a key that is not
/// a string) ends the path; enum variant steps have no YAML key of their own and are skipped.
fn key_path_of(path: &serde_path_to_error::Path) -> KeyPath {
    let mut segments = Vec::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => segments.push(Segment::Index(*index)),
            serde_path_to_error::Segment::Map { key } => segments.push(Segment::Key(key.clone())),
            serde_path_to_error::Segment::Enum { .. } => {}
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    KeyPath(segments)
}

/// Builds the error for a serde_yaml failure: location, key path and a cleaned-up message.
fn convert(file: &str, text: &str, mut key_path: KeyPath, err: &serde_yaml::Error) -> SpecError {
    let mark = err.location();
    let mut location = mark.as_ref().map(|mark| (mark.line(), mark.column()));
    let mut message = clean_message(&err.to_string(), location, &key_path);

    if message == "recursion limit exceeded" {
        message = "nesting is too deep (more than 128 levels of mappings and sequences)".to_owned();
    } else if message.contains(OVER_BUDGET) {
        message = format!(
            "aliases expand to too much data (more than {} MiB); spec files need no YAML \
             anchors or aliases",
            MAX_EXPANDED_BYTES / (1024 * 1024)
        );
    } else if message == "repetition limit exceeded" {
        message = "aliases expand to too much data (repetition limit exceeded); \
                   spec files need no YAML anchors or aliases"
            .to_owned();
    } else if message.starts_with("deserializing from YAML containing more than one document") {
        message =
            "more than one YAML document (a second `---` line); a spec file holds exactly one"
                .to_owned();
        location = Some(second_document(text).unwrap_or((1, 1)));
    } else if let Some(field) = quoted_after(&message, "duplicate field `") {
        // serde reports this at the mapping; point at the second occurrence of the key.
        if key_path.0.last() != Some(&Segment::Key(field.to_owned())) {
            key_path = key_path.key(field);
        }
        message = format!("duplicate key `{field}`: each key may appear once in a mapping");
        if let Some(found) = find(text, &key_path.0, 1) {
            location = Some(found);
        }
    } else if message.starts_with("unknown field `") || message.starts_with("unknown variant `") {
        message = with_suggestion(&message);
    } else if message == "unknown anchor" {
        message = "unknown anchor: an alias `*name` must come after its anchor `&name`".to_owned();
    } else if let Some(found) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.strip_suffix(", expected field identifier"))
    {
        // A complex key (`? [a, b]`) or a number where a key name belongs.
        message = format!("a key must be a plain name (found {found})");
    } else if message.contains("` as u128, expected") || message.contains("` as i128, expected") {
        // serde's wording for a number beyond 64 bits.
        message = message
            .replacen("invalid type: integer", "invalid value: integer", 1)
            .replacen("` as u128", "`", 1)
            .replacen("` as i128", "`", 1);
    }

    if let Some(mark) = &mark
        && text.as_bytes().get(mark.index()) == Some(&b'\t')
    {
        message.push_str("; YAML does not allow tabs for indentation: use spaces");
    }

    let (line, column) = location
        .or_else(|| {
            (!key_path.0.is_empty())
                .then(|| locate(text, &key_path))
                .flatten()
        })
        .unwrap_or((1, 1));
    SpecError {
        file: file.to_owned(),
        line,
        column,
        key_path,
        message,
    }
}

/// serde_yaml's message without the parts we print ourselves: the `at line L column C` of the
/// reported location and the `path: ` prefix.
fn clean_message(raw: &str, location: Option<(usize, usize)>, key_path: &KeyPath) -> String {
    let mut message = raw.to_owned();
    if let Some((line, column)) = location {
        message = message.replacen(&format!(" at line {line} column {column}"), "", 1);
    }
    // serde_yaml prefixes `path: ` for the node the error was raised at: the error's own path
    // or an ancestor of it (an unknown key is raised at its mapping).
    for len in (1..=key_path.0.len()).rev() {
        let prefix = format!("{}: ", serde_yaml_path(&key_path.0[..len]));
        if let Some(rest) = message.strip_prefix(&prefix) {
            message = rest.to_owned();
            break;
        }
    }
    message
}

/// A path as serde_yaml prints it (`params[0].name`, `.[1]` for the root sequence).
fn serde_yaml_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Index(index) => {
                if out.is_empty() {
                    out.push('.');
                }
                out.push_str(&format!("[{index}]"));
            }
        }
    }
    out
}

/// Adds "did you mean" to serde's "unknown field `x`, expected one of `a`, `b`" (and the same
/// for enum variants) when one of the expected names is close.
fn with_suggestion(message: &str) -> String {
    // `unknown field `x`, expected ...`: the name ends at the first "`, ".
    let Some((head, expected)) = message.split_once("`, ") else {
        return message.to_owned();
    };
    let Some((_, unknown)) = head.split_once('`') else {
        return message.to_owned();
    };
    let candidates = expected.split('`').skip(1).step_by(2);
    match diag::closest(unknown, candidates) {
        Some(close) => format!("{head}`: did you mean `{close}`? ({expected})"),
        None => message.to_owned(),
    }
}

/// The text between `prefix` and the next backquote, if `message` starts with `prefix`.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.split('`').next()
}

/// 1-based line and column of the end of `prefix` (columns count characters, as libyaml does).
fn line_column(prefix: &str) -> (usize, usize) {
    let line = prefix.matches('\n').count() + 1;
    let last_line = prefix.rsplit('\n').next().unwrap_or_default();
    (line, last_line.chars().count() + 1)
}

/// Whether `text` has nothing but blank lines, comments and document markers.
fn is_empty_document(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        line.is_empty()
            || line.starts_with('#')
            || line == "---"
            || line == "..."
            || line.starts_with("--- #")
    })
}

/// Where a second document starts: the first `---` line after some content.
fn second_document(text: &str) -> Option<(usize, usize)> {
    let mut content = false;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        let marker = trimmed == "---" || trimmed.starts_with("--- ");
        if marker && content {
            return Some((number + 1, 1));
        }
        let blank = trimmed.trim_start().is_empty() || trimmed.trim_start().starts_with('#');
        content |= !marker && !blank;
    }
    None
}

/// Marks the error raised when a document expands beyond [`MAX_EXPANDED_BYTES`]; replaced by a
/// readable message in [`convert`].
const OVER_BUDGET: &str = "\u{1}b24-codegen: expansion budget exceeded\u{1}";

/// Walks a whole document, aliases expanded, and fails with [`OVER_BUDGET`] as soon as it has
/// seen more than the budget left in the cell. Borrows every scalar: allocates nothing.
#[derive(Clone, Copy)]
struct Budget<'c>(&'c Cell<usize>);

impl Budget<'_> {
    fn spend<E: de::Error>(self, bytes: usize) -> Result<(), E> {
        let left = self.0.get();
        let cost = bytes.saturating_add(NODE_COST);
        if cost > left {
            return Err(E::custom(OVER_BUDGET));
        }
        self.0.set(left - cost);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Budget<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Budget<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        self.spend(value.len())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.spend(0)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend(0)?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend(0)?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }

    /// A tagged node (`!tag value`): the tag, then the value.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use de::VariantAccess;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

/// Marks the error raised when the walk reaches its target; never shown to anyone.
const FOUND: &str = "\u{1}b24-codegen: node found\u{1}";

/// Finds the node at `segments`; for a final mapping key, its `occurrence`-th (from 0)
/// appearance. Works by walking the document with serde and failing on purpose at the target:
/// serde_yaml gives that failure the position of the node (or key) being read.
fn find(text: &str, segments: &[Segment], occurrence: usize) -> Option<(usize, usize)> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let walk = Walk {
        path: segments,
        occurrence,
    };
    match walk.deserialize(deserializer) {
        Err(err) if err.to_string().contains(FOUND) => {
            err.location().map(|mark| (mark.line(), mark.column()))
        }
        _ => None,
    }
}

/// Descends along `path`; fails with [`FOUND`] at the target, succeeds when it is absent.
struct Walk<'p> {
    path: &'p [Segment],
    occurrence: usize,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.path.split_first() {
            None => deserializer.deserialize_any(Target),
            Some((Segment::Key(key), rest)) => deserializer.deserialize_any(InMapping {
                key,
                rest,
                occurrence: self.occurrence,
            }),
            Some((Segment::Index(index), rest)) => deserializer.deserialize_any(InSequence {
                index: *index,
                rest,
                occurrence: self.occurrence,
            }),
        }
    }
}

/// Rejects whatever node it is given; serde's "invalid type" message then carries [`FOUND`]
/// (from `expecting`) and serde_yaml adds the node's position.
struct Target;

impl Visitor<'_> for Target {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(FOUND)
    }
}

struct InMapping<'p> {
    key: &'p str,
    rest: &'p [Segment],
    occurrence: usize,
}

impl<'de> Visitor<'de> for InMapping<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let target = self.rest.is_empty();
        let mut seen = 0;
        loop {
            let key = Key {
                wanted: self.key,
                raise: target && seen == self.occurrence,
            };
            match map.next_key_seed(key)? {
                None => return Ok(()),
                Some(true) if !target => {
                    return map.next_value_seed(Walk {
                        path: self.rest,
                        occurrence: self.occurrence,
                    });
                }
                Some(matched) => {
                    seen += usize::from(matched);
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
    }
}

/// Reads a mapping key: `true` if it is the wanted one; fails with [`FOUND`] instead when
/// `raise` is set, so the error carries the key's own position.
struct Key<'p> {
    wanted: &'p str,
    raise: bool,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Key<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match key == self.wanted {
            true if self.raise => Err(E::custom(FOUND)),
            matched => Ok(matched),
        }
    }
}

struct InSequence<'p> {
    index: usize,
    rest: &'p [Segment],
    occurrence: usize,
}

impl<'de> Visitor<'de> for InSequence<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for _ in 0..self.index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Walk {
            path: self.rest,
            occurrence: self.occurrence,
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::MethodSpec;

    const METHOD: &str = "\
# yaml-language-server: $schema=../schema/method.schema.json
method: log.blogpost.share
scope: log
title: Share a post
summary: Adds recipients to a post.
access: Author
safe_to_repeat: true
batch: true
params:
  - name: POST_ID
    type: integer
    required: true
    description: Post id.
  - name: DEST
    type: Destination[]
    description: Recipients.
result:
  type: boolean
  description: Always true.
errors:
  - name: WrongPostId
    status: 400
    code: ''
    description: Wrong post ID
    meaning: The post does not exist.
    match: exact
";

    fn path(segments: &[&str]) -> KeyPath {
        KeyPath(
            segments
                .iter()
                .map(|s| match s.parse::<usize>() {
                    Ok(index) => Segment::Index(index),
                    Err(_) => Segment::Key((*s).to_owned()),
                })
                .collect(),
        )
    }

    fn fail<T: DeserializeOwned + fmt::Debug>(text: &str) -> SpecError {
        parse::<T>("spec/log/x.yaml", text.as_bytes()).expect_err("must fail")
    }

    #[test]
    fn parses_a_valid_method() {
        let spec: MethodSpec = parse("spec/log/x.yaml", METHOD.as_bytes()).unwrap();
        assert_eq!(spec.method, "log.blogpost.share");
        assert_eq!(spec.params.len(), 2);
        assert_eq!(spec.params[1].ty, "Destination[]");
        assert_eq!(spec.errors[0].code, "");
    }

    #[test]
    fn unknown_key_is_located_and_suggested() {
        let text = METHOD.replace("    required: true", "    requird: true");
        let err = fail::<MethodSpec>(&text);
        assert_eq!((err.line, err.column), (12, 5), "{err}");
        assert_eq!(err.key_path, path(&["params", "0", "requird"]), "{err}");
        assert!(
            err.message
                .starts_with("unknown field `requird`: did you mean `required`? (expected one of"),
            "{err}"
        );
        assert!(!err.message.contains("line"), "{err}");
        assert_eq!(err.file, "spec/log/x.yaml");
    }

    #[test]
    fn unknown_key_without_close_name_has_no_suggestion() {
        let text = format!("{METHOD}zebra: 1\n");
        let err = fail::<MethodSpec>(&text);
        assert_eq!((err.line, err.column), (27, 1), "{err}");
        assert!(
            err.message
                .starts_with("unknown field `zebra`, expected one of `method`"),
            "{err}"
        );
        assert!(!err.message.contains("did you mean"), "{err}");
    }

    #[test]
    fn unknown_variant_is_suggested() {
        let text = METHOD.replace("match: exact", "match: exactly");
        let err = fail::<MethodSpec>(&text);
        assert_eq!(err.key_path, path(&["errors", "0", "match"]), "{err}");
        assert_eq!(err.line, 26, "{err}");
        assert!(err.message.contains("did you mean `exact`?"), "{err}");
    }

    #[test]
    fn wrong_type_names_the_path() {
        let text = METHOD.replace("status: 400", "status: lots");
        let err = fail::<MethodSpec>(&text);
        assert_eq!(err.key_path, path(&["errors", "0", "status"]), "{err}");
        assert_eq!((err.line, err.column), (22, 13), "{err}");
        assert!(
            err.message
                .starts_with("invalid type: string \"lots\", expected u16"),
            "{err}"
        );
    }

    #[test]
    fn missing_field_names_the_mapping() {
        let text = METHOD.replace("safe_to_repeat: true\n", "");
        let err = fail::<MethodSpec>(&text);
        assert_eq!(err.message, "missing field `safe_to_repeat`", "{err}");
        assert_eq!(err.key_path, KeyPath::root());
        assert_eq!((err.line, err.column), (2, 1), "{err}");
    }

    #[test]
    fn duplicate_key_points_at_the_second_one() {
        let text = METHOD.replace(
            "    type: integer\n",
            "    type: integer\n    type: string\n",
        );
        let err = fail::<MethodSpec>(&text);
        assert_eq!(err.key_path, path(&["params", "0", "type"]), "{err}");
        assert_eq!((err.line, err.column), (12, 5), "{err}");
        assert!(err.message.starts_with("duplicate key `type`"), "{err}");
    }

    #[test]
    fn duplicate_top_level_key() {
        let text = format!("{METHOD}scope: log\n");
        let err = fail::<MethodSpec>(&text);
        assert_eq!(err.key_path, path(&["scope"]), "{err}");
        assert_eq!((err.line, err.column), (27, 1), "{err}");
    }

    #[test]
    fn syntax_error_is_located_without_duplicated_position() {
        let err = fail::<MethodSpec>("method: a\nscope: [log\ntitle: t\n");
        assert_eq!(err.key_path, KeyPath::root());
        assert!(err.line >= 2, "{err}");
        assert!(
            !err.message
                .contains(&format!("line {} column {}", err.line, err.column)),
            "{err}"
        );
    }

    #[test]
    fn syntax_error_wins_over_earlier_shape_error() {
        let err = fail::<MethodSpec>("bogus: 1\nmethod: a\n  scope: b\n");
        assert!(!err.message.contains("unknown field"), "{err}");
        assert_eq!(err.line, 3, "{err}");
    }

    #[test]
    fn tabs_are_explained() {
        let err = fail::<MethodSpec>("method: a\nresult:\n\ttype: x\n");
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.contains("tabs"), "{err}");
    }

    #[test]
    fn empty_documents_are_refused() {
        for text in [
            "",
            "   \n\n",
            "# only a comment\n  # another\n",
            "---\n# x\n",
        ] {
            let err = fail::<MethodSpec>(text);
            assert!(err.message.starts_with("empty spec"), "{text:?}: {err}");
            assert_eq!((err.line, err.column), (1, 1));
        }
    }

    #[test]
    fn oversized_files_are_refused() {
        let text = format!("summary: {}\n", "x".repeat(MAX_SPEC_BYTES));
        let err = fail::<serde_json::Value>(&text);
        assert_eq!((err.line, err.column), (1, 1));
        assert!(err.message.contains("1 MiB"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut bytes = b"method: a\nscope: l\xC3\xA9g ".to_vec();
        bytes.extend_from_slice(b"\xFF\n");
        let err = parse::<MethodSpec>("spec/log/x.yaml", &bytes).unwrap_err();
        assert_eq!((err.line, err.column), (2, 12), "{err}");
        assert!(
            err.message.contains("UTF-8") && err.message.contains("0xFF"),
            "{err}"
        );
    }

    #[test]
    fn several_documents_are_refused() {
        let text = format!("{METHOD}---\nmethod: b\n");
        let err = fail::<MethodSpec>(&text);
        assert!(
            err.message.starts_with("more than one YAML document"),
            "{err}"
        );
        assert_eq!((err.line, err.column), (27, 1), "{err}");
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let prev = level - 1;
            let refs = vec![format!("*a{prev}"); 9].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let err = fail::<serde_json::Value>(&text);
        assert!(started.elapsed().as_secs() < 10);
        assert!(err.message.contains("repetition limit"), "{err}");
        assert!(err.line >= 1 && err.column >= 1);
    }

    #[test]
    fn aliases_of_a_long_string_are_refused_before_they_are_built() {
        // Under 1 MiB of text, but 400 KB × 60,000 aliases = 24 GB once expanded.
        let long = "x".repeat(400_000);
        let aliases = vec!["*s"; 60_000].join(", ");
        let text = format!("summary: &s {long}\nerrors: [{aliases}]\n");
        assert!(text.len() < MAX_SPEC_BYTES);
        let err = fail::<serde_json::Value>(&text);
        assert!(
            err.message.starts_with("aliases expand to too much data"),
            "{err}"
        );
        assert!(err.line >= 1 && err.column >= 1);

        // A few aliases of a short value are fine.
        let text = "summary: &s Errors.\nerrors: []\n";
        let spec: serde_json::Value =
            parse("spec/shared/objects/Errors.yaml", text.as_bytes()).unwrap();
        assert_eq!(spec["summary"], "Errors.");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let depth = 10_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let err = fail::<serde_json::Value>(&text);
        assert!(err.message.contains("nesting is too deep"), "{err}");
        assert_eq!(err.line, 1, "{err}");
        assert!(err.column > 100, "{err}");

        let text = format!("key: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        let err = fail::<MethodSpec>(&text);
        assert!(err.line == 1, "{err}");
    }

    #[test]
    fn unknown_anchor_is_an_error() {
        let err = fail::<MethodSpec>("method: *nowhere\n");
        assert!(err.message.starts_with("unknown anchor: an alias"), "{err}");
        assert_eq!(err.line, 1, "{err}");
    }

    #[test]
    fn complex_keys_and_huge_numbers_are_explained() {
        let err = fail::<MethodSpec>("method: a\n? [a, b]\n: c\n");
        assert_eq!(
            err.message, "a key must be a plain name (found sequence)",
            "{err}"
        );
        assert_eq!((err.line, err.column), (2, 3), "{err}");

        let text = METHOD.replace("status: 400", "status: 99999999999999999999");
        let err = fail::<MethodSpec>(&text);
        assert_eq!(
            err.message, "invalid value: integer `99999999999999999999`, expected u16",
            "{err}"
        );
    }

    #[test]
    fn scalar_document_is_an_error() {
        let err = fail::<MethodSpec>("just text\n");
        assert!(err.message.contains("expected struct MethodSpec"), "{err}");
        assert_eq!((err.line, err.column), (1, 1), "{err}");
    }

    #[test]
    fn locate_finds_keys_elements_and_ancestors() {
        let at = |segments: &[&str]| locate(METHOD, &path(segments));
        assert_eq!(at(&[]), Some((2, 1)));
        assert_eq!(at(&["method"]), Some((2, 1)));
        assert_eq!(at(&["batch"]), Some((8, 1)));
        assert_eq!(at(&["params"]), Some((9, 1)));
        assert_eq!(at(&["params", "0"]), Some((10, 5)));
        assert_eq!(at(&["params", "1", "name"]), Some((14, 5)));
        assert_eq!(at(&["params", "1", "type"]), Some((15, 5)));
        assert_eq!(at(&["result", "description"]), Some((19, 3)));
        assert_eq!(at(&["errors", "0", "match"]), Some((26, 5)));
        // Absent: the deepest existing ancestor.
        assert_eq!(at(&["params", "1", "obtain_from"]), Some((14, 5)));
        assert_eq!(at(&["params", "7", "name"]), Some((9, 1)));
        assert_eq!(at(&["nothing", "here"]), Some((2, 1)));
        // A path through a scalar stops at the scalar.
        assert_eq!(at(&["method", "deeper"]), Some((2, 1)));
    }

    #[test]
    fn locate_handles_flow_style_quotes_and_aliases() {
        let text = "a: {b: [1, {c: x}], \"d e\": 2}\nf: &anchor\n  g: 1\nh: *anchor\n";
        assert_eq!(locate(text, &path(&["a", "b", "1", "c"])), Some((1, 13)));
        assert_eq!(locate(text, &path(&["a", "d e"])), Some((1, 21)));
        assert_eq!(locate(text, &path(&["h", "g"])), Some((3, 3)));
        assert_eq!(locate(text, &path(&["h"])), Some((4, 1)));
    }

    #[test]
    fn locate_nth_occurrence_of_a_key() {
        let text = "a: 1\nb: 2\na: 3\n";
        assert_eq!(find(text, &path(&["a"]).0, 0), Some((1, 1)));
        assert_eq!(find(text, &path(&["a"]).0, 1), Some((3, 1)));
        assert_eq!(find(text, &path(&["a"]).0, 2), None);
    }

    #[test]
    fn locate_in_broken_yaml_uses_the_readable_part() {
        assert_eq!(locate("a: [\n", &path(&["a"])), Some((1, 1)));
        assert_eq!(locate("a: 1\nb: [\n", &path(&["b", "0"])), Some((2, 1)));
        assert_eq!(locate("@x\n", &path(&["a"])), None);
    }
}
