//! Reading a page into located lines, with page-local fragments read in place.
//!
//! Some pages keep part of their content in a fragment beside them
//! (`crm/_include/scope-crm-admin.md`, `calendar/_includes/calendar_event_fields.md`) and
//! pull it in with `{% include %}`. Those lines are the page's own content (its scope line,
//! its field tables), so they are read where the include stands, each keeping its own file
//! and line for notes. The shared snippets in the top-level `_includes/` mean the same on
//! every page; they stay include lines, which the page model records by kind.

use std::path::Path;

use crate::model::{Loc, Note, NoteReason};

/// One line of a page, with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// The text, without its line break.
    pub text: String,
    /// Index into [`Doc::files`].
    pub file: usize,
    /// 1-based line number in that file.
    pub no: u32,
}

/// A page as located lines.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// The page's path first, then the fragments read into it.
    pub files: Vec<String>,
    /// The lines, fragments inlined.
    pub lines: Vec<Line>,
    /// What could not be read while loading.
    pub notes: Vec<Note>,
}

/// How deep fragments may include fragments: a cycle stops here instead of looping.
const MAX_DEPTH: usize = 4;

impl Doc {
    /// The location of line `idx` of the document.
    pub(crate) fn loc(&self, idx: usize) -> Loc {
        match self.lines.get(idx) {
            Some(line) => Loc {
                file: self.files[line.file].clone(),
                line: line.no,
            },
            None => self.end_loc(),
        }
    }

    /// The location just past the last line (for things missing at the end).
    fn end_loc(&self) -> Loc {
        let line = self.lines.iter().filter(|l| l.file == 0).count() as u32;
        Loc {
            file: self.files[0].clone(),
            line: line.max(1),
        }
    }

    /// A document from text, without include resolution (for snippets and tests).
    pub(crate) fn from_text(path: &str, text: &str) -> Doc {
        let mut doc = Doc {
            files: vec![path.to_string()],
            lines: Vec::new(),
            notes: Vec::new(),
        };
        push_lines(&mut doc, 0, text);
        doc
    }
}

/// Reads `rel` (relative to `root`) and the page-local fragments it includes.
pub(crate) fn load(root: &Path, rel: &str) -> Doc {
    let mut doc = Doc {
        files: vec![rel.to_string()],
        lines: Vec::new(),
        notes: Vec::new(),
    };
    let text = read_text(root, rel, &mut doc.notes, None);
    let mut raw = Doc::from_text(rel, &text.unwrap_or_default());
    doc.lines = std::mem::take(&mut raw.lines);
    inline_fragments(root, &mut doc, 0);
    doc
}

/// Reads a file as UTF-8, noting (not failing on) unreadable or non-UTF-8 files.
fn read_text(root: &Path, rel: &str, notes: &mut Vec<Note>, at: Option<Loc>) -> Option<String> {
    let loc = at.unwrap_or(Loc {
        file: rel.to_string(),
        line: 1,
    });
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(err) => {
                notes.push(note(
                    loc,
                    NoteReason::UnreadableFile,
                    "not UTF-8; read lossily",
                ));
                Some(String::from_utf8_lossy(err.as_bytes()).into_owned())
            }
        },
        Err(err) => {
            notes.push(note(loc, NoteReason::UnreadableFile, &err.to_string()));
            None
        }
    }
}

fn note(loc: Loc, reason: NoteReason, detail: &str) -> Note {
    Note {
        loc,
        reason,
        detail: detail.to_string(),
    }
}

/// Appends the lines of `text` as lines of file `file`.
fn push_lines(doc: &mut Doc, file: usize, text: &str) {
    for (i, line) in text.lines().enumerate() {
        doc.lines.push(Line {
            text: line.to_string(),
            file,
            no: i as u32 + 1,
        });
    }
}

/// Replaces each include of a page-local fragment by the fragment's lines.
fn inline_fragments(root: &Path, doc: &mut Doc, depth: usize) {
    let mut out = Vec::with_capacity(doc.lines.len());
    let lines = std::mem::take(&mut doc.lines);
    let mut changed = false;
    for line in lines {
        let Some(target) = include_target(&line.text) else {
            out.push(line);
            continue;
        };
        let resolved = resolve(&doc.files[line.file], &target);
        if !is_local_fragment(&resolved) || depth >= MAX_DEPTH {
            out.push(line);
            continue;
        }
        let at = Loc {
            file: doc.files[line.file].clone(),
            line: line.no,
        };
        let Some(text) = read_text(root, &resolved, &mut doc.notes, Some(at)) else {
            out.push(line);
            continue;
        };
        doc.files.push(resolved);
        let file = doc.files.len() - 1;
        let indent: String = line
            .text
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        for (i, text) in text.lines().enumerate() {
            out.push(Line {
                text: format!("{indent}{text}"),
                file,
                no: i as u32 + 1,
            });
        }
        changed = true;
    }
    doc.lines = out;
    if changed {
        inline_fragments(root, doc, depth + 1);
    }
}

/// The target of an `{% include [title](target) %}` line, if the line is one.
pub(crate) fn include_target(line: &str) -> Option<String> {
    let t = line.trim();
    let rest = t.strip_prefix("{%")?.trim_start().strip_prefix("include")?;
    if !t.ends_with("%}") {
        return None;
    }
    let open = rest.find("](")? + 2;
    let close = rest[open..].find(')')? + open;
    Some(rest[open..close].trim().to_string())
}

/// A path relative to the snapshot root for `target`, written relative to file `from`.
pub(crate) fn resolve(from: &str, target: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(seg),
        }
    }
    parts.join("/")
}

/// `true` for fragments that belong to a part of the reference (an `_include…` folder below
/// `api-reference/`), as opposed to the snapshot's shared `_includes/`.
fn is_local_fragment(path: &str) -> bool {
    let mut parts = path.split('/');
    parts.next() == Some("api-reference") && parts.any(|p| p.starts_with("_include"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_targets_are_read_with_or_without_notitle() {
        let line = "{% include notitle [Error](../../_includes/error-info.md) %}";
        assert_eq!(
            include_target(line).as_deref(),
            Some("../../_includes/error-info.md")
        );
        let line = "  {% include [Note](./_includes/x.md) %}";
        assert_eq!(include_target(line).as_deref(), Some("./_includes/x.md"));
        assert_eq!(include_target("{% note info %}"), None);
    }

    #[test]
    fn targets_resolve_against_the_including_file() {
        let from = "api-reference/log/log-blogpost-share.md";
        assert_eq!(
            resolve(from, "../../_includes/required.md"),
            "_includes/required.md"
        );
        assert_eq!(
            resolve("api-reference/calendar/x/a.md", ".././_includes/f.md"),
            "api-reference/calendar/_includes/f.md"
        );
        assert!(is_local_fragment(
            "api-reference/crm/_include/scope-crm-admin.md"
        ));
        assert!(!is_local_fragment("_includes/required.md"));
    }

    #[test]
    fn a_missing_file_is_a_note_not_a_panic() {
        let doc = load(Path::new("/nonexistent-root"), "api-reference/x.md");
        assert!(doc.lines.is_empty());
        assert_eq!(doc.notes[0].reason, NoteReason::UnreadableFile);
    }
}
