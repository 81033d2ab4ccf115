//! The line-based reader: a page as headings, tables, code fences, includes and text lines,
//! each with the section, tab and note it sits in.
//!
//! The pages are YFM (Yandex Flavoured Markdown): besides headings and fences they use
//! `#| … |#` tables, `{% note %}`, `{% list tabs %}` and `{% include %}` directives. None of
//! these nest in ways that need a tree for what the importer reads, so a single pass that
//! tracks the current H2, the nearest lower heading, the tab and the note is enough.

use crate::model::NoteReason;
use crate::source::{Doc, include_target};
use crate::table::{self, Problem, Table, dedent, indent_of, is_heading};

/// A heading.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    /// 1 for `#`, 2 for `##`, ….
    pub level: usize,
    /// The text, without `{#anchor}`.
    pub text: String,
    /// The `{#anchor}`, if any.
    pub anchor: Option<String>,
    /// Line index.
    pub at: usize,
}

/// What a block is.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    /// A `#| … |#` table.
    Table(Table),
    /// A code fence.
    Fence {
        /// The info string's first word, lower case (`json`, `bash`, or empty).
        lang: String,
        /// The code, without the fence's indentation.
        body: String,
    },
    /// A non-blank line of anything else, trimmed.
    Text(String),
    /// An `{% include %}`, by its target as written.
    Include(String),
}

/// Where a block sits.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ctx {
    /// Index (into [`Scan::headings`]) of the H2 above.
    pub h2: Option<usize>,
    /// Index of the H3 above, below that H2.
    pub h3: Option<usize>,
    /// Index of the nearest H3–H6 below that H2 (the H3 itself, or an H4 under it).
    pub sub: Option<usize>,
    /// The label of the `{% list tabs %}` tab the block is in.
    pub tab: Option<String>,
    /// The `{% note kind "title" %}` the block is in.
    pub note: Option<NoteCtx>,
}

/// A `{% note kind "title" %}` around a block.
#[derive(Debug, Clone)]
pub(crate) struct NoteCtx {
    /// Line index of the `{% note %}` (tells two notes apart).
    pub at: usize,
    /// The quoted title, possibly empty.
    pub title: String,
}

/// A block in place.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// The block.
    pub block: Block,
    /// Index of its first line.
    pub at: usize,
    /// Where it sits.
    pub ctx: Ctx,
}

/// A page, read into blocks.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scan {
    /// All headings, in order.
    pub headings: Vec<Heading>,
    /// All blocks, in order.
    pub items: Vec<Item>,
    /// Problems met, by line index.
    pub problems: Vec<Problem>,
}

impl Scan {
    /// The text of the H2 a block sits in, lower case, or "" above the first H2.
    pub(crate) fn section(&self, ctx: &Ctx) -> String {
        ctx.h2
            .map(|h| self.headings[h].text.to_lowercase())
            .unwrap_or_default()
    }

    /// The nearest H3–H6 a block sits under.
    pub(crate) fn sub(&self, ctx: &Ctx) -> Option<&Heading> {
        ctx.sub.map(|h| &self.headings[h])
    }

    /// The page's `# ` title.
    pub(crate) fn title(&self) -> Option<&Heading> {
        self.headings.iter().find(|h| h.level == 1)
    }
}

/// One open `{% list tabs %}`.
struct Tabs {
    item_indent: Option<usize>,
    label: Option<String>,
}

/// Scanner state.
struct Scanner<'a> {
    doc: &'a Doc,
    scan: Scan,
    ctx: Ctx,
    tabs: Vec<Tabs>,
}

/// Reads a document into blocks.
pub(crate) fn scan(doc: &Doc) -> Scan {
    let mut s = Scanner {
        doc,
        scan: Scan::default(),
        ctx: Ctx::default(),
        tabs: Vec::new(),
    };
    let mut i = 0;
    while i < doc.lines.len() {
        i = s.line(i);
    }
    s.scan
}

impl Scanner<'_> {
    /// Reads the block starting at line `i`; returns the index of the next one.
    fn line(&mut self, i: usize) -> usize {
        let text = &self.doc.lines[i].text;
        let t = text.trim();
        if is_heading(text) {
            self.heading(i, t);
        } else if t.starts_with("#|") {
            let (table, next, problems) = table::read(&self.doc.lines, i);
            self.scan.problems.extend(problems);
            self.push(i, Block::Table(table));
            return next;
        } else if t.starts_with("```") && !t[3..].contains('`') {
            return self.fence(i);
        } else if t.starts_with("{%") {
            self.directive(i, t);
        } else if !t.is_empty() && !self.tab_label(text) {
            self.push(i, Block::Text(t.to_string()));
        }
        i + 1
    }

    fn push(&mut self, at: usize, block: Block) {
        let ctx = self.ctx.clone();
        self.scan.items.push(Item { block, at, ctx });
    }

    fn heading(&mut self, i: usize, t: &str) {
        let level = t.chars().take_while(|&c| c == '#').count();
        let (text, anchor) = split_anchor(t[level..].trim());
        self.scan.headings.push(Heading {
            level,
            text,
            anchor,
            at: i,
        });
        let idx = self.scan.headings.len() - 1;
        match level {
            1 | 2 => {
                self.ctx.h2 = (level == 2).then_some(idx);
                self.ctx.h3 = None;
                self.ctx.sub = None;
            }
            3 => {
                self.ctx.h3 = Some(idx);
                self.ctx.sub = Some(idx);
            }
            _ => self.ctx.sub = Some(idx),
        }
    }

    /// A code fence: everything up to the closing fence, without the opening's indentation.
    fn fence(&mut self, i: usize) -> usize {
        let open = &self.doc.lines[i].text;
        let indent = indent_of(open);
        let info = open.trim()[3..].trim();
        let lang = info.split_whitespace().next().unwrap_or("").to_lowercase();
        let mut body = Vec::new();
        let mut j = i + 1;
        while j < self.doc.lines.len() {
            let line = &self.doc.lines[j].text;
            let t = line.trim();
            if t.starts_with("```") && t.trim_start_matches('`').trim().is_empty() {
                break;
            }
            body.push(dedent(line, indent));
            j += 1;
        }
        if j >= self.doc.lines.len() {
            let detail = format!("```{lang} is never closed");
            self.scan
                .problems
                .push((i, NoteReason::UnclosedFence, detail));
        }
        let body = body.join("\n");
        self.push(i, Block::Fence { lang, body });
        j + 1
    }

    /// `{% … %}`: notes, tabs and includes change the context; others are skipped.
    fn directive(&mut self, i: usize, t: &str) {
        let inner = t.trim_start_matches("{%").trim_end_matches("%}").trim();
        let word = inner.split_whitespace().next().unwrap_or("");
        match word {
            "note" => {
                let title = note_title(inner);
                self.ctx.note = Some(NoteCtx { at: i, title });
            }
            "endnote" => self.ctx.note = None,
            "list" => self.tabs.push(Tabs {
                item_indent: None,
                label: None,
            }),
            "endlist" => {
                self.tabs.pop();
                self.ctx.tab = self.tabs.last().and_then(|t| t.label.clone());
            }
            "include" => {
                if let Some(target) = include_target(t) {
                    self.push(i, Block::Include(target));
                }
            }
            _ => {}
        }
    }

    /// A `- Label` line that names a tab of the innermost open `{% list tabs %}`.
    fn tab_label(&mut self, text: &str) -> bool {
        let Some(tabs) = self.tabs.last_mut() else {
            return false;
        };
        let indent = indent_of(text);
        let Some(label) = text.trim().strip_prefix("- ") else {
            return false;
        };
        if tabs.item_indent.is_some_and(|n| n != indent) {
            return false;
        }
        tabs.item_indent = Some(indent);
        tabs.label = Some(label.trim().to_string());
        self.ctx.tab = tabs.label.clone();
        true
    }
}

/// Splits `Title {#anchor}` into the title and the anchor.
pub(crate) fn split_anchor(text: &str) -> (String, Option<String>) {
    let t = text.trim().trim_end_matches('#').trim_end();
    if let Some(open) = t.rfind("{#")
        && t.ends_with('}')
    {
        let anchor = t[open + 2..t.len() - 1].trim().to_string();
        return (t[..open].trim().to_string(), Some(anchor));
    }
    (t.to_string(), None)
}

/// The title of `note warning "DEPRECATED"` (empty when there is none).
fn note_title(inner: &str) -> String {
    match (inner.find('"'), inner.rfind('"')) {
        (Some(a), Some(b)) if b > a => inner[a + 1..b].to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_text(text: &str) -> Scan {
        scan(&Doc::from_text("p.md", text))
    }

    #[test]
    fn blocks_know_their_section_tab_and_note() {
        let s = scan_text(
            "# T m.x\n\n{% note warning \"DEPRECATED\" %}\n\nOld.\n\n{% endnote %}\n\n## Code Examples\n\n{% list tabs %}\n\n- cURL (OAuth)\n\n    ```bash\n    curl -d '{}'\n    ```\n\n{% endlist %}\n\n### Sub {#sub}\n\ntext\n",
        );
        assert_eq!(s.title().unwrap().text, "T m.x");
        let old = &s.items[0];
        assert!(matches!(&old.block, Block::Text(t) if t == "Old."));
        assert_eq!(old.ctx.note.as_ref().unwrap().title, "DEPRECATED");
        let fence = &s.items[1];
        assert!(
            matches!(&fence.block, Block::Fence { lang, body } if lang == "bash" && body == "curl -d '{}'")
        );
        assert_eq!(fence.ctx.tab.as_deref(), Some("cURL (OAuth)"));
        assert_eq!(s.section(&fence.ctx), "code examples");
        let last = &s.items[2];
        assert_eq!(s.sub(&last.ctx).unwrap().anchor.as_deref(), Some("sub"));
        assert_eq!(last.ctx.tab, None);
    }

    #[test]
    fn an_unclosed_fence_is_a_problem() {
        let s = scan_text("## A\n```json\n{\n");
        assert_eq!(s.problems[0].1, NoteReason::UnclosedFence);
        assert!(matches!(&s.items[0].block, Block::Fence { body, .. } if body == "{"));
    }

    #[test]
    fn anchors_split_from_titles() {
        assert_eq!(
            split_anchor("Parameter FIELDS {#fields}"),
            ("Parameter FIELDS".to_string(), Some("fields".to_string()))
        );
        assert_eq!(split_anchor("Plain"), ("Plain".to_string(), None));
    }
}
