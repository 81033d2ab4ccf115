//! The measured report: how much of the reference the reader reads, overall and per
//! top-level folder, its notes by reason, and the survey's headline figures beside ours.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::model::{CodeStyle, ErrorLayout, IncludeKind, Nested, Page, PageKind};
use crate::params::is_structured;

/// Counts over a set of pages. "Pages" figures count method pages unless named otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Content pages (every kind).
    pub pages: usize,
    /// Method pages.
    pub method_pages: usize,
    /// Event pages.
    pub event_pages: usize,
    /// Method pages with at least one parameter row that has a type word.
    pub typed_params: usize,
    /// Parameter rows marked required with a star (method pages, all tables).
    pub required_rows: usize,
    /// Parameter rows that list enum values as bullets.
    pub enum_rows: usize,
    /// Object/array parameters whose fields a sub-table of the page describes.
    pub nested_objects: usize,
    /// Method pages whose first cURL body parses as JSON (repairs allowed, no substitution).
    pub parseable_request: usize,
    /// Method pages whose first response example parses as JSON (repairs allowed).
    pub parseable_response: usize,
    /// … of which needed a repair.
    pub repaired_response: usize,
    /// Rows of method-specific error tables.
    pub error_rows: usize,
    /// REST 3.0 method pages.
    pub v3: usize,
    /// Deprecated method pages.
    pub deprecated: usize,
    /// Notes on the pages (all kinds).
    pub notes: usize,
}

impl Counts {
    /// Adds one page.
    fn add(&mut self, page: &Page) {
        self.pages += 1;
        self.notes += page.notes.len();
        match page.kind {
            PageKind::Method => self.add_method(page),
            PageKind::Event => self.event_pages += 1,
            PageKind::Index | PageKind::Other => {}
        }
    }

    fn add_method(&mut self, page: &Page) {
        self.method_pages += 1;
        let rows: Vec<_> = page.params.iter().flat_map(|t| &t.rows).collect();
        self.typed_params += usize::from(rows.iter().any(|p| !p.types.is_empty()));
        self.required_rows += rows.iter().filter(|p| p.required).count();
        self.enum_rows += rows.iter().filter(|p| !p.enum_values.is_empty()).count();
        let nested = |p: &&&crate::Param| {
            is_structured(&p.types) && matches!(p.nested, Nested::Table { .. })
        };
        self.nested_objects += rows.iter().filter(nested).count();
        let body = page.first_body();
        self.parseable_request +=
            usize::from(body.is_some_and(|b| b.json.is_some() && !b.substituted));
        let response = page.responses.first();
        self.parseable_response += usize::from(response.is_some_and(|r| r.json.is_some()));
        self.repaired_response +=
            usize::from(response.is_some_and(|r| r.json.is_some() && !r.repairs.is_empty()));
        self.error_rows += page.errors.iter().map(|t| t.rows.len()).sum::<usize>();
        self.v3 += usize::from(page.api == Some(crate::ApiVersion::V3));
        self.deprecated += usize::from(page.deprecated.is_some());
    }
}

/// One headline figure: ours beside the survey's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// What is counted.
    pub what: String,
    /// The reader's figure.
    pub ours: String,
    /// The survey's (`DOCS-SURVEY.md`).
    pub survey: String,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Counts over every page.
    pub overall: Counts,
    /// Counts per top-level folder of `api-reference/` (`""` for pages directly in it).
    pub folders: BTreeMap<String, Counts>,
    /// Notes by reason, over every page.
    pub notes: BTreeMap<String, usize>,
    /// The survey's headline figures beside ours.
    pub figures: Vec<Figure>,
}

/// Reads the snapshot at `root` and measures it.
pub fn report(root: &Path) -> Report {
    Report::of(&crate::read_snapshot(root))
}

impl Report {
    /// Measures pages already read.
    pub fn of(pages: &[Page]) -> Report {
        let mut overall = Counts::default();
        let mut folders: BTreeMap<String, Counts> = BTreeMap::new();
        let mut notes: BTreeMap<String, usize> = BTreeMap::new();
        for page in pages {
            overall.add(page);
            folders.entry(page.folder.clone()).or_default().add(page);
            for n in &page.notes {
                *notes.entry(n.reason.as_str().to_string()).or_default() += 1;
            }
        }
        Report {
            overall,
            folders,
            notes,
            figures: figures(pages),
        }
    }

    /// The report as markdown: the headline figures, the counts per folder, the notes.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# How well b24-import reads the reference\n\n");
        out.push_str("## Headline figures\n\n| figure | ours | survey |\n|---|---:|---:|\n");
        for f in &self.figures {
            let _ = writeln!(out, "| {} | {} | {} |", f.what, f.ours, f.survey);
        }
        out.push_str("\n## Per top-level folder\n\n");
        out.push_str(COUNTS_HEADER);
        for (folder, c) in &self.folders {
            let name = if folder.is_empty() { "(root)" } else { folder };
            out.push_str(&counts_row(name, c));
        }
        out.push_str(&counts_row("**all**", &self.overall));
        out.push_str("\n## Notes by reason\n\n| reason | notes |\n|---|---:|\n");
        for (reason, n) in &self.notes {
            let _ = writeln!(out, "| `{reason}` | {n} |");
        }
        out
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_markdown())
    }
}

const COUNTS_HEADER: &str = "| folder | pages | methods | events | typed params | required ★ rows | enum rows | nested objects | request parses | response parses (repaired) | error rows | v3 | deprecated | notes |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

fn counts_row(name: &str, c: &Counts) -> String {
    format!(
        "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} |\n",
        c.pages,
        c.method_pages,
        c.event_pages,
        c.typed_params,
        c.required_rows,
        c.enum_rows,
        c.nested_objects,
        c.parseable_request,
        c.parseable_response,
        c.repaired_response,
        c.error_rows,
        c.v3,
        c.deprecated,
        c.notes
    )
}

/// The survey's headline figures and ours.
fn figures(pages: &[Page]) -> Vec<Figure> {
    let methods: Vec<&Page> = pages
        .iter()
        .filter(|p| p.kind == PageKind::Method)
        .collect();
    let mut f = Figures::default();
    f.pages(pages, &methods);
    f.params(&methods);
    f.responses(&methods);
    f.errors(&methods);
    f.requests(&methods);
    f.0
}

/// The figures being assembled.
#[derive(Default)]
struct Figures(Vec<Figure>);

impl Figures {
    fn push(&mut self, what: &str, ours: String, survey: &str) {
        self.0.push(Figure {
            what: what.to_string(),
            ours,
            survey: survey.to_string(),
        });
    }

    fn pages(&mut self, pages: &[Page], methods: &[&Page]) {
        let kind = |k| pages.iter().filter(|p| p.kind == k).count();
        self.push("content pages", pages.len().to_string(), "2,435");
        self.push("method pages", methods.len().to_string(), "1,666");
        self.push("event pages", kind(PageKind::Event).to_string(), "209");
        self.push("index pages", kind(PageKind::Index).to_string(), "392");
        let v3 = methods
            .iter()
            .filter(|p| p.api == Some(crate::ApiVersion::V3))
            .count();
        self.push("REST 3.0 method pages", v3.to_string(), "106");
        let old = methods.iter().filter(|p| p.deprecated.is_some()).count();
        self.push("deprecated method pages", old.to_string(), "245");
        let title_end = methods
            .iter()
            .filter(|p| {
                p.method
                    .as_ref()
                    .is_some_and(|m| m.source == crate::NameSource::TitleEnd)
            })
            .count();
        self.push(
            "title ends with the method name",
            pct(title_end, methods.len()),
            "97.7%",
        );
        let scope = methods.iter().filter(|p| p.scope.is_some()).count();
        self.push("`> Scope:` line", pct(scope, methods.len()), "99.5%");
    }

    fn params(&mut self, methods: &[&Page]) {
        let name_type = |sig: &str| sig == "name/type | description";
        let first = methods
            .iter()
            .filter(|p| {
                p.first_param_table()
                    .is_some_and(|t| name_type(&t.layout.signature))
            })
            .count();
        self.push(
            "first parameter table `name/type | description`",
            pct(first, methods.len()),
            "84.8%",
        );
        let tables: Vec<_> = methods.iter().flat_map(|p| &p.params).collect();
        let nt = tables
            .iter()
            .filter(|t| name_type(&t.layout.signature))
            .count();
        self.push(
            "parameter tables `name/type | description`",
            of(nt, tables.len()),
            "2,112 of 2,200",
        );
        let rows: Vec<_> = tables.iter().flat_map(|t| &t.rows).collect();
        let starred = rows.iter().filter(|p| p.required).count();
        let starred_pages = count(methods, |p| {
            p.params.iter().flat_map(|t| &t.rows).any(|r| r.required)
        });
        self.push(
            "starred rows (pages)",
            format!("{starred} of {} ({starred_pages})", rows.len()),
            "2,479 of 8,822 (1,176)",
        );
        let note_only = count(methods, |p| {
            p.required_note && !p.params.iter().flat_map(|t| &t.rows).any(|r| r.required)
        });
        self.push(
            "\"marked with *\" pages that star nothing",
            note_only.to_string(),
            "157",
        );
        let untyped = rows.iter().filter(|p| p.types.is_empty()).count();
        self.push(
            "parameter rows without a type word",
            untyped.to_string(),
            "317",
        );
        let enums = rows.iter().filter(|p| !p.enum_values.is_empty()).count();
        let enum_pages = count(methods, |p| {
            p.params
                .iter()
                .flat_map(|t| &t.rows)
                .any(|r| !r.enum_values.is_empty())
        });
        self.push(
            "rows with enum bullets (pages)",
            format!("{enums} ({enum_pages})"),
            "1,522 (604)",
        );
        let sub_pages = count(methods, |p| p.params.iter().any(|t| t.parent.is_some()));
        self.push(
            "pages with sub-tables named after a parameter",
            sub_pages.to_string(),
            "418",
        );
        self.nested(&rows);
    }

    fn nested(&mut self, rows: &[&crate::Param]) {
        let structured: Vec<_> = rows.iter().filter(|p| is_structured(&p.types)).collect();
        let by = |f: fn(&Nested) -> bool| structured.iter().filter(|p| f(&p.nested)).count();
        let table = by(|n| matches!(n, Nested::Table { .. }));
        let link = by(|n| matches!(n, Nested::Page { .. } | Nested::Anchor { .. }));
        let none = by(|n| matches!(n, Nested::None));
        let ours = format!("{table} / {link} / {none} of {}", structured.len());
        self.push(
            "object/array params: sub-table / link / nothing",
            ours,
            "668 / 432 / 362 of 1,532",
        );
    }

    fn responses(&mut self, methods: &[&Page]) {
        let section = count(methods, |p| !p.responses.is_empty());
        self.push(
            "pages with a response example",
            section.to_string(),
            "1,558 with a section",
        );
        let parses = count(methods, |p| {
            p.responses.first().is_some_and(|r| r.json.is_some())
        });
        self.push(
            "first response example parses",
            pct(parses, methods.len()),
            "1,529 (91.8%)",
        );
        let repaired = count(methods, |p| {
            p.responses
                .first()
                .is_some_and(|r| r.json.is_some() && !r.repairs.is_empty())
        });
        self.push("… only after repairs", repaired.to_string(), "33");
        let never = count(methods, |p| {
            p.responses.first().is_some_and(|r| r.json.is_none())
        });
        self.push("… never", never.to_string(), "10");
        let returned = count(methods, |p| !p.returned.is_empty());
        self.push(
            "pages with a Returned Data table",
            returned.to_string(),
            "1,534 with the heading",
        );
    }

    fn errors(&mut self, methods: &[&Page]) {
        let tables = count(methods, |p| !p.errors.is_empty());
        self.push("pages with an error table", tables.to_string(), "1,405");
        let examples = count(methods, |p| !p.error_examples.is_empty());
        self.push(
            "pages with an error JSON example",
            examples.to_string(),
            "1,417",
        );
        let named = count(methods, |p| {
            let shared = p.errors.iter().any(|t| t.shared_code.is_some());
            shared || rows(p).any(|r| r.code.as_ref().is_some_and(|c| !c.value.is_empty()))
        });
        self.push("pages naming a non-empty code", named.to_string(), "1,286");
        let system = count(methods, |p| {
            p.includes
                .iter()
                .any(|i| i.kind == IncludeKind::SystemErrors)
        });
        self.push(
            "pages including the system errors",
            system.to_string(),
            "1,536",
        );
        let styles = |s: CodeStyle| {
            let n: usize = methods
                .iter()
                .map(|p| {
                    rows(p)
                        .filter(|r| r.code.as_ref().is_some_and(|c| c.style == s))
                        .count()
                })
                .sum();
            n.to_string()
        };
        let ours = [
            CodeStyle::UpperSnake,
            CodeStyle::Numeric,
            CodeStyle::Empty,
            CodeStyle::Sentence,
        ]
        .map(styles)
        .join(" / ");
        self.push(
            "codes UPPER_SNAKE / numeric / empty / sentence",
            ours,
            "2,732 / 1,958 / 556 / 131",
        );
        let layouts = |l: ErrorLayout| {
            methods
                .iter()
                .flat_map(|p| &p.errors)
                .filter(|t| t.layout == l)
                .count()
                .to_string()
        };
        let ours = [
            ErrorLayout::CodeDescriptionValue,
            ErrorLayout::CodeDescription,
            ErrorLayout::FieldDescriptionFix,
            ErrorLayout::DescriptionValue,
            ErrorLayout::Other,
        ]
        .map(layouts)
        .join(" / ");
        let what = "layouts code·desc·value / code·desc / field·desc·fix / desc·value / other";
        self.push(what, ours, "547 / 426 / 354 / — / —");
        let status = methods
            .iter()
            .flat_map(|p| &p.errors)
            .filter(|t| t.has_status)
            .count();
        self.push(
            "error tables with a status column",
            status.to_string(),
            "161",
        );
    }

    fn requests(&mut self, methods: &[&Page]) {
        let parses = count(methods, |p| {
            p.first_body()
                .is_some_and(|b| b.json.is_some() && !b.substituted)
        });
        self.push(
            "first cURL body parses as JSON",
            pct(parses, methods.len()),
            "1,573 (94.4%)",
        );
        let bad = count(methods, |p| {
            p.first_body()
                .is_some_and(|b| b.json.is_none() || b.substituted)
        });
        self.push(
            "first cURL body does not parse (or is substituted)",
            bad.to_string(),
            "21",
        );
        let none = count(methods, |p| p.requests.is_empty());
        self.push("no cURL example", none.to_string(), "49");
        let bodiless = count(methods, |p| {
            !p.requests.is_empty() && p.first_body().is_none()
        });
        self.push("cURL example without a body", bodiless.to_string(), "—");
        let documented = count(methods, every_body_key_documented);
        self.push(
            "every body key is a documented parameter",
            documented.to_string(),
            "1,370",
        );
    }
}

/// `true` when the first cURL body is a JSON object whose keys (but `auth`) all name a
/// top-level parameter (a row of a table that details no other parameter).
fn every_body_key_documented(page: &Page) -> bool {
    let Some(body) = page.first_body().and_then(|b| b.json.as_ref()?.as_object()) else {
        return false;
    };
    let top = page.params.iter().filter(|t| t.parent.is_none());
    let names: Vec<&str> = top.flat_map(|t| &t.rows).map(|r| r.name.as_str()).collect();
    body.keys()
        .filter(|k| *k != "auth")
        .all(|k| names.contains(&k.as_str()))
}

/// The method pages of which `f` holds.
fn count(methods: &[&Page], f: impl Fn(&Page) -> bool) -> usize {
    methods.iter().filter(|p| f(p)).count()
}

/// The rows of a page's error tables.
fn rows(page: &Page) -> impl Iterator<Item = &crate::ErrorRow> {
    page.errors.iter().flat_map(|t| &t.rows)
}

/// `n of total (p%)`.
fn pct(n: usize, total: usize) -> String {
    let p = if total == 0 {
        0.0
    } else {
        n as f64 * 100.0 / total as f64
    };
    format!("{n} of {total} ({p:.1}%)")
}

fn of(n: usize, total: usize) -> String {
    format!("{n} of {total}")
}
