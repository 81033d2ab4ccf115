//! Reads the official Bitrix24 REST reference (the markdown pages of
//! `docs-snapshot/b24restdocs/`) into a structured, faithful model of what each page says,
//! and measures how well it reads them.
//!
//! This is the base of `cargo xtask import`. Reading does not decide: a [`Page`] keeps
//! names, types and texts as the page writes them, each with its file and line, and every
//! part it could not read is a located [`Note`], never silently dropped. Drafting
//! ([`draft`]) then decides: a method or event page becomes a spec in the generator's
//! format, with what it had to leave out and why.
//!
//! ```no_run
//! let root = std::path::Path::new("docs-snapshot/b24restdocs");
//! let page = b24_import::parse_page(root, "api-reference/log/log-blogpost-share.md");
//! assert_eq!(page.method.unwrap().name, "log.blogpost.share");
//! println!("{}", b24_import::report(root).to_markdown());
//! ```
//!
//! Modules, in reading order: `source` (files to located lines, page-local fragments
//! inlined) → `table` and `blocks` (the line-based YFM reader) → `inline`, `json`, `shell`
//! (cells, JSON examples, cURL quoting) → `kind`, `params`, `examples`, `errors`, `events`
//! (the page's facts) → `report`; then `draft` (pages to specs, written by `yaml_out`).

#![warn(missing_docs, unreachable_pub)]

mod blocks;
pub mod draft;
mod errors;
mod events;
mod examples;
mod inline;
mod json;
mod kind;
mod model;
mod params;
mod report;
mod sha256;
mod shell;
mod source;
mod table;
mod yaml_out;

use std::path::Path;

pub use model::*;
pub use report::{Counts, Figure, Report, report};
pub use sha256::sha256_hex;

use blocks::{Block, Scan};
use source::Doc;

/// Reads one page, `rel` being its path relative to the snapshot root
/// (`api-reference/log/log-blogpost-share.md`). Never fails: an unreadable file is a page
/// with a note, and so is a page the reader itself fails on (a [`NoteReason::ReaderPanic`],
/// which the tests over the snapshot require to be absent).
pub fn parse_page(root: &Path, rel: &str) -> Page {
    let read = std::panic::catch_unwind(|| parse(&source::load(root, rel), Some(root)));
    read.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut page = Page::new(rel);
        page.notes.push(Note {
            loc: Loc {
                file: rel.to_string(),
                line: 1,
            },
            reason: NoteReason::ReaderPanic,
            detail: message,
        });
        page
    })
}

/// Reads a page from its text, as if it were at `path`; fragments are not inlined and
/// include targets are not checked (for snippets and tests).
pub fn parse_text(path: &str, text: &str) -> Page {
    parse(&Doc::from_text(path, text), None)
}

/// Reads every content page under `api-reference/` (fragments in `_include…` folders are
/// read only where pages include them), in path order, on all cores.
pub fn read_snapshot(root: &Path) -> Vec<Page> {
    let paths = page_paths(root);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = paths.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || part.iter().map(|p| parse_page(root, p)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The content pages under `api-reference/`, relative to the root, sorted.
pub fn page_paths(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    walk(root, "api-reference", &mut out);
    out.sort();
    out
}

/// Collects `*.md` files below `rel`, skipping `_include…` fragment folders.
fn walk(root: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{rel}/{name}");
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && !name.starts_with("_include") {
            walk(root, &path, out);
        } else if !is_dir && name.ends_with(".md") {
            out.push(path);
        }
    }
}

/// Reads a loaded page.
fn parse(doc: &Doc, root: Option<&Path>) -> Page {
    let scan = blocks::scan(doc);
    let mut page = Page::new(&doc.files[0]);
    page.notes.extend(doc.notes.iter().cloned());
    page.notes
        .extend(scan.problems.iter().map(|(at, reason, detail)| Note {
            loc: doc.loc(*at),
            reason: *reason,
            detail: detail.clone(),
        }));
    page.includes = includes(doc, &scan, root, &mut page.notes);
    page.requests = examples::requests(doc, &scan, &mut page.notes);
    kind::read(doc, &scan, &mut page);
    match page.kind {
        PageKind::Method => read_method(doc, &scan, &mut page),
        PageKind::Event => events::read(doc, &scan, &mut page),
        PageKind::Index | PageKind::Other => {}
    }
    if page.title.is_none() && !doc.lines.is_empty() {
        page.notes.push(Note {
            loc: doc.loc(0),
            reason: NoteReason::NoTitle,
            detail: "no `# ` title".into(),
        });
    }
    page.notes
        .sort_by(|a, b| (&a.loc.file, a.loc.line).cmp(&(&b.loc.file, b.loc.line)));
    page
}

/// The body of a method page: parameters, examples, returned data, errors.
fn read_method(doc: &Doc, scan: &Scan, page: &mut Page) {
    let (params, notes) = params::read_area(doc, scan, params::Area::Params);
    page.params = params;
    page.notes.extend(notes);
    page.required_note = required_note(scan, page);
    let (returned, notes) = params::read_area(doc, scan, params::Area::Returned);
    page.returned = returned;
    page.notes.extend(notes);
    let notes = &mut page.notes;
    let responses = examples::is_response_section;
    page.responses =
        examples::json_examples(doc, scan, responses, NoteReason::ResponseNotJson, notes);
    let errors = examples::is_error_section;
    page.error_examples =
        examples::json_examples(doc, scan, errors, NoteReason::ErrorExampleNotJson, notes);
    page.errors = errors::read(doc, scan, notes);
    missing_parts(doc, scan, page);
}

/// `true` when the page says required parameters are starred (the shared note, or its
/// text written out).
fn required_note(scan: &Scan, page: &Page) -> bool {
    let included = page
        .includes
        .iter()
        .any(|i| i.kind == IncludeKind::RequiredNote);
    included
        || scan.items.iter().any(|i| match &i.block {
            Block::Text(t) => t.contains("marked with") && t.contains('*'),
            _ => false,
        })
}

/// Notes for sections that are there but hold nothing readable.
fn missing_parts(doc: &Doc, scan: &Scan, page: &mut Page) {
    for h in scan.headings.iter().filter(|h| h.level == 2) {
        let t = h.text.to_lowercase();
        let params = t.contains("parameter") && !t.contains("returned");
        if params && !page.params.iter().any(|p| p.section == h.text) && !says_none(scan, h.at) {
            page.notes.push(Note {
                loc: doc.loc(h.at),
                reason: NoteReason::NoParamTable,
                detail: format!("`{}` holds no parameter table", h.text),
            });
        }
        if examples::is_response_section(&t) && page.responses.is_empty() {
            page.notes.push(Note {
                loc: doc.loc(h.at),
                reason: NoteReason::NoResponseExample,
                detail: format!("`{}` holds no JSON example", h.text),
            });
        }
    }
}

/// `true` when the section starting at line `at` says the method takes no parameters.
fn says_none(scan: &Scan, at: usize) -> bool {
    let Some(h2) = scan.headings.iter().position(|h| h.at == at) else {
        return false;
    };
    scan.items
        .iter()
        .filter(|i| i.ctx.h2 == Some(h2))
        .any(|i| match &i.block {
            Block::Text(t) => {
                let t = t.to_lowercase();
                [
                    "no parameters",
                    "without parameters",
                    "does not take",
                    "no input",
                    "not require any",
                    "has no param",
                ]
                .iter()
                .any(|w| t.contains(w))
            }
            _ => false,
        })
}

/// The shared snippets the page includes; a target missing from the snapshot is a note.
fn includes(doc: &Doc, scan: &Scan, root: Option<&Path>, notes: &mut Vec<Note>) -> Vec<Include> {
    let mut out = Vec::new();
    for item in &scan.items {
        let Block::Include(target) = &item.block else {
            continue;
        };
        let from = &doc.files[doc.lines[item.at].file];
        let resolved = source::resolve(from, target);
        if root.is_some_and(|r| !r.join(&resolved).is_file()) {
            notes.push(Note {
                loc: doc.loc(item.at),
                reason: NoteReason::IncludeMissing,
                detail: format!("`{target}` is not in the snapshot"),
            });
        }
        out.push(Include {
            kind: include_kind(&resolved),
            target: resolved,
            loc: doc.loc(item.at),
        });
    }
    out
}

/// What a shared snippet is, by its file name.
fn include_kind(path: &str) -> IncludeKind {
    match path.rsplit('/').next().unwrap_or("") {
        "required.md" => IncludeKind::RequiredNote,
        "examples.md" => IncludeKind::ExamplesNote,
        "system-errors.md" => IncludeKind::SystemErrors,
        "error-info.md" => IncludeKind::ErrorInfo,
        "error-info-v3.md" => IncludeKind::ErrorInfoV3,
        "auth-params-in-events.md" => IncludeKind::EventAuth,
        _ => IncludeKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const METHOD: &str = "# Do Something crm.thing.do

> Scope: [`crm`](../scopes/permissions.md), [`user_brief`](x)
>
> Who can execute the method: any user

{% note warning \"DEPRECATED\" %}

Use [crm.thing.run](./run.md).

{% endnote %}

The method `crm.thing.do` does something.

## Method Parameters

{% include [Note on required parameters](../../_includes/required.md) %}

#|
|| **Parameter** / **Type** | **Description** ||
|| **id** | Identifier ||
|#

## Code Examples

```http
curl -X POST -d '{\"id\":1}' https://**put_your_bitrix24_address**/rest/**put_your_user_id_here**/**put_your_webhook_here**/crm.thing.run
```

## Response Handling

```json
{\"result\": true}
```
";

    #[test]
    fn a_method_page_head() {
        let p = parse_text("api-reference/crm/thing-do.md", METHOD);
        assert_eq!(p.kind, PageKind::Method);
        assert_eq!(p.folder, "crm");
        let m = p.method.as_ref().unwrap();
        assert_eq!(
            (m.name.as_str(), m.source),
            ("crm.thing.do", NameSource::TitleEnd)
        );
        assert_eq!(p.scope.as_ref().unwrap().scopes, ["crm", "user_brief"]);
        assert_eq!(p.access.as_ref().unwrap().who, "any user");
        let d = p.deprecated.as_ref().unwrap();
        assert_eq!(
            (d.text.as_str(), d.loc.line, d.by_folder),
            ("Use [crm.thing.run](./run.md).", 9, false)
        );
        assert_eq!(
            p.intro.as_ref().unwrap().value,
            "The method `crm.thing.do` does something."
        );
        assert_eq!(p.api, Some(ApiVersion::V2));
        assert!(p.required_note);
        assert_eq!(p.includes[0].kind, IncludeKind::RequiredNote);
        assert_eq!(p.includes[0].target, "_includes/required.md");
        // `parameter/type | description`, with a row that has no type word.
        let t = p.first_param_table().unwrap();
        assert_eq!(t.layout.signature, "parameter/type | description");
        assert_eq!(t.layout.columns, [Column::NameType, Column::Description]);
        // The example calls another method than the title names: noted, title kept. Notes
        // come in line order.
        let reasons: Vec<_> = p.notes.iter().map(|n| (n.reason, n.loc.line)).collect();
        let expected = [
            (NoteReason::NameMismatch, 1),
            (NoteReason::ParamWithoutType, 21),
        ];
        assert_eq!(reasons, expected);
    }

    #[test]
    fn a_page_without_a_name_in_its_title_is_named_by_its_endpoint() {
        let text = "# Get Available Methods\n\n> Who can execute the method: any user\n\n## Method Parameters\n\nNo parameters.\n\n## Code Examples\n\n```bash\ncurl https://**put_your_bitrix24_address**/rest/api/methods\n```\n";
        let p = parse_text("api-reference/common/system/methods.md", text);
        assert_eq!(p.kind, PageKind::Method);
        let m = p.method.as_ref().unwrap();
        assert_eq!(
            (m.name.as_str(), m.source),
            ("methods", NameSource::Endpoint)
        );
        assert_eq!(p.api, Some(ApiVersion::V3));
        assert!(p.params.is_empty());
        assert!(!p.notes.iter().any(|n| n.reason == NoteReason::NoParamTable));
        assert_eq!(p.notes[0].reason, NoteReason::NoScope);
    }

    #[test]
    fn guides_indexes_and_folders() {
        let guide = "# How to Generate a Document\n\n> Who can execute the method: any user\n\n## Example\n\n```bash\ncurl https://x/rest/1/k/documentgenerator.document.add\n```\n";
        assert_eq!(
            parse_text("api-reference/document-generator/examples/g.md", guide).kind,
            PageKind::Other
        );
        assert_eq!(
            parse_text("api-reference/crm/index.md", METHOD).kind,
            PageKind::Index
        );
        let old = parse_text(
            "api-reference/crm/outdated/thing.md",
            "# Get crm.thing.get\n\n> Who can execute the method: any user\n",
        );
        assert!(old.deprecated.as_ref().unwrap().by_folder);
        assert_eq!(parse_text("data-types.md", "").folder, "");
    }

    #[test]
    fn name_description_tables_without_types_and_stars_without_notes() {
        let text = "# Add x.y.add\n\n> Scope: [`x`](s)\n>\n> Who can execute the method: any user\n\n## Method Parameters\n\n#|\n|| **Name** | **Description** ||\n|| **ID*** | Id ||\n|| **MODE** | One of:\n- `A` — first\n- `B` — second ||\n|#\n";
        let p = parse_text("api-reference/x/x-y-add.md", text);
        let t = p.first_param_table().unwrap();
        assert_eq!(t.layout.signature, "name | description");
        assert!(t.rows[0].required && t.rows[0].types.is_empty());
        assert_eq!(t.rows[1].enum_values[1].value, "B");
        assert!(!p.required_note);
        assert!(p.notes.is_empty(), "{:?}", p.notes);
    }

    #[test]
    fn page_local_fragments_are_read_in_place() {
        let root = std::env::temp_dir().join(format!("b24-import-test-{}", std::process::id()));
        let dir = root.join("api-reference/crm/_include");
        std::fs::create_dir_all(&dir).unwrap();
        let fragment =
            "**Scope**: [`crm`](../../scopes/permissions.md) **Execution Rights**: `administrator`";
        std::fs::write(dir.join("scope-crm-admin.md"), fragment).unwrap();
        let page = "# Get crm.thing.get\n\n{% include [scope](../_include/scope-crm-admin.md) %}\n\n{% include [x](../../../_includes/missing.md) %}\n";
        std::fs::create_dir_all(root.join("api-reference/crm/things")).unwrap();
        std::fs::write(root.join("api-reference/crm/things/get.md"), page).unwrap();
        let p = parse_page(&root, "api-reference/crm/things/get.md");
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(p.kind, PageKind::Method);
        let scope = p.scope.as_ref().unwrap();
        assert_eq!(scope.scopes, ["crm"]);
        assert_eq!(
            scope.loc.file,
            "api-reference/crm/_include/scope-crm-admin.md"
        );
        assert_eq!(p.access.as_ref().unwrap().who, "administrator");
        let missing = p
            .notes
            .iter()
            .find(|n| n.reason == NoteReason::IncludeMissing)
            .unwrap();
        assert_eq!(missing.loc.line, 5);
    }

    /// Pages that do not fit never make the reader fail: truncated, unbalanced, nested and
    /// binary inputs built from the pages' own tokens.
    #[test]
    fn odd_input_never_panics() {
        const TOKENS: [&str; 24] = [
            "#|",
            "|#",
            "||",
            "|",
            "**",
            "***",
            "`",
            "```",
            "```json",
            "\n",
            "\n\n",
            "## Parameters",
            "### X {#x}",
            "# T a.b",
            "{% note warning \"DEPRECATED\" %}",
            "{% endnote %}",
            "{% list tabs %}",
            "- cURL",
            "curl -d '",
            "{\"a\": [1, ...",
            "// c",
            "é…",
            "\\",
            "{% include [x](../_include/y.md) %}",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 60) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(TOKENS[(seed % TOKENS.len() as u64) as usize]);
            }
            // `parse_text` does not catch panics: one would fail this test.
            let page = parse_text("api-reference/x/y.md", &text);
            assert!(page.notes.iter().all(|n| n.loc.line >= 1));
        }
        let deep = "#|\n||\n".repeat(10_000);
        let page = parse_text("api-reference/x/deep.md", &deep);
        assert!(
            page.notes
                .iter()
                .any(|n| n.reason == NoteReason::UnclosedTable)
        );
    }
}
