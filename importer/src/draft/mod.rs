//! Drafting specs from pages: a method or event page becomes a draft (plain data, what the
//! spec will say and why parts were left out), and a draft becomes YAML text in the spec
//! format (`spec/README.md`), deterministic byte for byte.
//!
//! The draft decides what the reader only reports: types mapped to the spec's, names chosen,
//! examples kept only when the generated code will pass them. What it could not keep is a
//! [`Gap`] with a reason, which `cargo xtask import` turns into the coverage report. Facts
//! that need several pages (a v2 and a v3 page of one method, the module of an events
//! folder) are settled by [`draft_all`].
//!
//! By part: `method` (the head, params, result), `errors` (rows and error examples),
//! `examples` (request and success examples), `objects` (the result's record), `event`,
//! `types` (type words, values that fit),
//! `ojson` (JSON with its key order), `emit` (draft to YAML).

mod emit;
mod errors;
mod event;
mod examples;
mod method;
mod objects;
mod ojson;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{ApiVersion, Page, PageKind};

pub use emit::{event_yaml, method_yaml};

/// Which optional keys of the spec format the generator knows. A draft writes a key only
/// when the generator accepts it, so that drafts validate while the format grows; `cargo
/// xtask import` finds out which keys exist by asking the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keys {
    /// `api: v3`.
    pub api: bool,
    /// `rust_name:` on methods and parameters.
    pub rust_name: bool,
    /// `permission: [..]`.
    pub permission: bool,
    /// `source: {page, sha256}`.
    pub source: bool,
    /// `match: code` on error rows.
    pub match_code: bool,
    /// `deprecated: "<note>"`.
    pub deprecated: bool,
}

impl Keys {
    /// Every key: the format the drafts are written for.
    pub const ALL: Keys = Keys {
        api: true,
        rust_name: true,
        permission: true,
        source: true,
        match_code: true,
        deprecated: true,
    };
}

/// Why part of a page did not make it into its draft (or the page into no draft).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gap {
    /// A fixed reason, for grouping (`request example dropped`).
    pub reason: String,
    /// The particulars (`key \`auth\` is not a parameter`).
    pub detail: String,
}

impl Gap {
    pub(crate) fn new(reason: &str, detail: impl Into<String>) -> Gap {
        Gap {
            reason: reason.to_string(),
            detail: detail.into(),
        }
    }
}

/// A page and the facts about its file the draft records.
#[derive(Debug, Clone)]
pub struct PageInput {
    /// The page, read.
    pub page: Page,
    /// SHA-256 of the page file's bytes, 64 hex digits.
    pub sha256: String,
}

impl MethodDraft {
    /// The steps that make a draft the generator refuses simpler, in order; each returns
    /// `false` when it changes nothing.
    pub const DEGRADE_STEPS: [fn(&mut MethodDraft) -> bool; 5] = [
        MethodDraft::drop_paging,
        MethodDraft::drop_examples,
        MethodDraft::untype_params,
        MethodDraft::untype_result,
        MethodDraft::drop_errors,
    ];

    /// Drops the paging shape.
    pub fn drop_paging(&mut self) -> bool {
        self.page_records = None;
        self.page_more = None;
        self.page_next = None;
        self.paging.take().is_some()
    }

    /// Drops every example.
    pub fn drop_examples(&mut self) -> bool {
        let had = !self.requests.is_empty() || !self.responses.is_empty();
        self.requests.clear();
        self.responses.clear();
        had
    }

    /// Makes every parameter `any`.
    pub fn untype_params(&mut self) -> bool {
        let mut changed = false;
        for p in self.params.iter_mut().filter(|p| p.ty != "any") {
            p.ty = "any".into();
            changed = true;
        }
        changed
    }

    /// Makes the result `any` (its objects go).
    pub fn untype_result(&mut self) -> bool {
        let changed = self.result_type != "any";
        self.result_type = "any".into();
        self.objects.clear();
        changed
    }

    /// Drops the error rows (and the examples that named one).
    pub fn drop_errors(&mut self) -> bool {
        let had = !self.errors.is_empty();
        self.errors.clear();
        self.responses.retain(|r| r.error.is_none());
        had
    }

    /// `true` when nothing of the page was left out or left untyped.
    pub fn is_full(&self) -> bool {
        self.gaps.is_empty()
    }
}

/// One parameter of a drafted method.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDraft {
    /// Key on the wire.
    pub name: String,
    /// Spec type.
    pub ty: String,
    /// Whether the page stars it.
    pub required: bool,
    /// The page's description.
    pub description: String,
    /// What the server assumes without it.
    pub default: Option<String>,
    /// A chosen Rust name, when the wire name would clash.
    pub rust_name: Option<String>,
}

/// One error row of a drafted method.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorDraft {
    /// Variant name.
    pub name: String,
    /// HTTP status.
    pub status: u16,
    /// The code.
    pub code: String,
    /// The text.
    pub description: String,
    /// What it means.
    pub meaning: String,
    /// `true` for `match: code`.
    pub by_code: bool,
}

/// An example: a request body, or a response with its status and expected outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleDraft {
    /// What it shows.
    pub name: String,
    /// HTTP status (responses).
    pub status: u16,
    /// The body.
    pub body: String,
    /// The error row it decodes to.
    pub error: Option<String>,
    /// The system error code it decodes to.
    pub system_error: Option<String>,
}

/// A drafted method spec.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodDraft {
    /// Page path relative to the snapshot root.
    pub page: String,
    /// SHA-256 of the page.
    pub sha256: String,
    /// The spec file, relative to the workspace root.
    pub file: String,
    /// Wire name.
    pub method: String,
    /// REST version.
    pub api: ApiVersion,
    /// The module (the name's first segment, lower case).
    pub scope: String,
    /// The page's permission scope codes.
    pub permission: Vec<String>,
    /// Chosen Rust name of the accessor leaf (v3 pages of a method with a v2 page).
    pub rust_name: Option<String>,
    /// The page's title.
    pub title: String,
    /// One sentence.
    pub summary: String,
    /// Who may call it.
    pub access: String,
    /// The docs address.
    pub docs: String,
    /// Whether a repeat is harmless.
    pub safe_to_repeat: bool,
    /// Why.
    pub repeat_note: String,
    /// The deprecation note, for deprecated pages.
    pub deprecated: Option<String>,
    /// Parameters.
    pub params: Vec<ParamDraft>,
    /// The paging shape its parameters show (`start`, `offset`, `page`, `nav_params`,
    /// `pagination`).
    pub paging: Option<String>,
    /// With `paging:` and a result wrapped in an object: the field holding the records.
    pub page_records: Option<String>,
    /// With `page_records`: the boolean field that says more pages follow (`hasMore`).
    pub page_more: Option<String>,
    /// With `page_records`: the field naming the following page (`nextCursor`).
    pub page_next: Option<String>,
    /// The method's own objects (`objects:`): the result's record, when the page lists its
    /// fields.
    pub objects: Vec<ObjectDraft>,
    /// Result type.
    pub result_type: String,
    /// Result description.
    pub result_description: String,
    /// Error rows.
    pub errors: Vec<ErrorDraft>,
    /// Request examples.
    pub requests: Vec<ExampleDraft>,
    /// Response examples.
    pub responses: Vec<ExampleDraft>,
    /// What was left out, and why.
    pub gaps: Vec<Gap>,
}

/// A local object: a record the page describes field by field, decoded leniently (a value
/// that does not fit its field, and any key the page does not list, is kept raw).
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDraft {
    /// Type name, unique in the module.
    pub name: String,
    /// One sentence.
    pub summary: String,
    /// Fields, all optional.
    pub fields: Vec<FieldDraft>,
    /// Rust name of the map of the other keys.
    pub other_fields: String,
}

/// One payload field of a drafted event.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDraft {
    /// Key in `data.FIELDS`.
    pub name: String,
    /// Spec type.
    pub ty: String,
    /// What it holds.
    pub description: String,
}

/// A drafted event spec.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    /// Page path relative to the snapshot root.
    pub page: String,
    /// SHA-256 of the page.
    pub sha256: String,
    /// The spec file, relative to the workspace root.
    pub file: String,
    /// Type name.
    pub event: String,
    /// The payload's `event` code.
    pub code: String,
    /// The module.
    pub scope: String,
    /// The page's title.
    pub title: String,
    /// One sentence.
    pub summary: String,
    /// Who may subscribe.
    pub access: String,
    /// The docs address.
    pub docs: String,
    /// `data.FIELDS`.
    pub fields: Vec<FieldDraft>,
    /// Payload examples.
    pub examples: Vec<ExampleDraft>,
    /// What was left out, and why.
    pub gaps: Vec<Gap>,
}

/// What became of one page.
#[derive(Debug, Clone, PartialEq)]
pub enum Drafted {
    /// A method spec.
    Method(Box<MethodDraft>),
    /// An event spec.
    Event(Box<EventDraft>),
    /// A method or event page that yields no spec, with why.
    Skipped {
        /// The page.
        page: String,
        /// The method or event it documents, if known.
        name: Option<String>,
        /// The module it belongs to, if known.
        module: String,
        /// Whether the page is deprecated.
        deprecated: bool,
        /// Whether it is an event page.
        event: bool,
        /// Why.
        gap: Gap,
    },
}

/// Modules the generated crate cannot have (its own modules, features and `Client`
/// methods): a method whose name starts with one goes in its folder's module. The
/// generator's own list, whose check `cargo xtask import` still runs on every draft.
pub use b24_rest_contract::names::RESERVED_SCOPES as RESERVED_MODULES;
/// Drafts every method and event page of `pages` (others are ignored), settling what needs
/// several pages: one draft per method name and version (the current page first), `_v3`
/// Rust names where a v2 page exists, events filed under their folder's main module.
pub fn draft_all(pages: &[PageInput], keys: Keys) -> Vec<Drafted> {
    let v2_names: BTreeSet<&str> = pages
        .iter()
        .filter(|p| p.page.kind == PageKind::Method && p.page.api != Some(ApiVersion::V3))
        .filter_map(|p| p.page.method.as_ref().map(|m| m.name.as_str()))
        .collect();
    let folder_modules = folder_modules(pages);
    let chosen = chosen_pages(pages);
    let mut out = Vec::new();
    for (i, input) in pages.iter().enumerate() {
        match input.page.kind {
            PageKind::Method => out.push(match chosen.get(&i) {
                Some(Err(first)) => duplicate(input, first),
                _ => {
                    let folder = folder_modules.get(&input.page.folder).map(String::as_str);
                    method::draft(input, &v2_names, folder, keys)
                }
            }),
            PageKind::Event => {
                let module = folder_modules.get(&input.page.folder).cloned();
                out.push(event::draft(input, module));
            }
            _ => {}
        }
    }
    dedupe_events(&mut out);
    if keys.rust_name {
        name_group_clashes(&mut out);
    }
    out
}

/// A method whose name is also the group of other methods (`lists.get` beside
/// `lists.get.iblock.type.id`) would share its accessor with the group: it is named
/// `<leaf>_method` in Rust.
fn name_group_clashes(out: &mut [Drafted]) {
    let key = |name: &str| -> String {
        name.split('.')
            .map(method::snake)
            .collect::<Vec<_>>()
            .join(".")
    };
    let groups: BTreeSet<String> = out
        .iter()
        .filter_map(|d| match d {
            Drafted::Method(m) => {
                let name = key(&m.method);
                Some(
                    name.rsplit_once('.')
                        .map(|(g, _)| g.to_string())
                        .unwrap_or_default(),
                )
            }
            _ => None,
        })
        .flat_map(|group| {
            // Every ancestor of a method is a group too.
            let parts: Vec<String> = group.split('.').map(str::to_string).collect();
            (1..=parts.len()).map(move |n| parts[..n].join("."))
        })
        .collect();
    for d in out.iter_mut() {
        if let Drafted::Method(m) = d
            && m.rust_name.is_none()
            && groups.contains(&key(&m.method))
        {
            let leaf = m.method.rsplit('.').next().unwrap_or(&m.method);
            m.rust_name = Some(format!("{}_method", method::snake(leaf)));
        }
    }
}

/// For each method page, `Ok` when it is the page drafted for its name and version, or
/// `Err(first page)` when another page of the same name wins (a current page over a
/// deprecated one, then the first by path).
fn chosen_pages(pages: &[PageInput]) -> BTreeMap<usize, Result<(), String>> {
    let mut by_name: BTreeMap<(String, bool), Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let (PageKind::Method, Some(m)) = (p.page.kind, &p.page.method) {
            let v3 = p.page.api == Some(ApiVersion::V3);
            by_name.entry((m.name.clone(), v3)).or_default().push(i);
        }
    }
    let mut out = BTreeMap::new();
    for indexes in by_name.values() {
        let winner = *indexes
            .iter()
            .min_by_key(|&&i| (pages[i].page.deprecated.is_some(), &pages[i].page.path))
            .unwrap_or(&indexes[0]);
        for &i in indexes {
            let verdict = if i == winner {
                Ok(())
            } else {
                Err(pages[winner].page.path.clone())
            };
            out.insert(i, verdict);
        }
    }
    out
}

fn duplicate(input: &PageInput, first: &str) -> Drafted {
    let name = input.page.method.as_ref().map(|m| m.name.clone());
    Drafted::Skipped {
        page: input.page.path.clone(),
        module: name.as_deref().map(module_of).unwrap_or_default(),
        name,
        deprecated: input.page.deprecated.is_some(),
        event: false,
        gap: Gap::new(
            "another page documents the same method",
            format!("drafted from `{first}`"),
        ),
    }
}

/// The module of a method name: its first segment, lower case.
pub fn module_of(method: &str) -> String {
    method.split('.').next().unwrap_or("").to_ascii_lowercase()
}

/// For each top-level folder, the module most of its method pages belong to (ties: the
/// first in name order).
fn folder_modules(pages: &[PageInput]) -> BTreeMap<String, String> {
    let mut counts: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for p in pages.iter().filter(|p| p.page.kind == PageKind::Method) {
        if let Some(m) = &p.page.method {
            *counts
                .entry(p.page.folder.as_str())
                .or_default()
                .entry(module_of(&m.name))
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(folder, modules)| {
            let best = modules
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
            Some((folder.to_string(), best.0.clone()))
        })
        .collect()
}

/// Two event pages that draft the same file: the second is skipped.
fn dedupe_events(out: &mut [Drafted]) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for drafted in out.iter_mut() {
        let Drafted::Event(event) = drafted else {
            continue;
        };
        if let Some(first) = seen.get(&event.file.to_ascii_lowercase()) {
            *drafted = Drafted::Skipped {
                page: event.page.clone(),
                name: Some(event.event.clone()),
                module: event.scope.clone(),
                deprecated: false,
                event: true,
                gap: Gap::new(
                    "another page documents the same event",
                    format!("drafted from `{first}`"),
                ),
            };
        } else {
            seen.insert(event.file.to_ascii_lowercase(), event.page.clone());
        }
    }
}

/// The docs address of a page.
pub(crate) fn docs_url(page: &str) -> String {
    let html = page.strip_suffix(".md").unwrap_or(page);
    format!("https://apidocs.bitrix24.com/{html}.html")
}

/// Markdown reduced to the plain text a server would send: links to their text, emphasis
/// and backticks removed, white space collapsed.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '`' => {}
            '*' if chars.get(i + 1) == Some(&'*') => i += 1,
            ']' if chars.get(i + 1) == Some(&'(') => {
                // `[text](link)`: the link goes.
                while i < chars.len() && chars[i] != ')' {
                    i += 1;
                }
            }
            // `[text](link)`: the bracket goes when a `](` closes it on the same line.
            '[' if link_follows(&chars[i + 1..]) => {}
            c => out.push(c),
        }
        i += 1;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `](` comes before the end of the line (or another `[`).
fn link_follows(rest: &[char]) -> bool {
    rest.windows(2)
        .take_while(|w| w[0] != '\n' && w[0] != '[')
        .any(|w| w == [']', '('])
}

/// Markdown kept as markdown, tidied: trailing blanks off each line, runs of blank lines
/// made one, the ends trimmed.
pub(crate) fn plain_keep(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.trim().lines().map(str::trim_end) {
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}

/// Links of a page's markdown made absolute (`[x](./x-get.md#a)` →
/// `[x](https://apidocs.bitrix24.com/api-reference/…/x-get.html#a)`), so that they work in
/// the generated docs.
pub(crate) fn absolute_links(text: &str, page: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else {
            break;
        };
        out.push_str(&absolute(&rest[..end], page));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One link target, absolute.
fn absolute(target: &str, page: &str) -> String {
    if target.contains("://") || target.starts_with("mailto:") || target.contains(' ') {
        return target.to_string();
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, format!("#{anchor}")),
        None => (target, String::new()),
    };
    let resolved = if path.is_empty() {
        page.to_string()
    } else {
        crate::source::resolve(page, path)
    };
    match resolved.strip_suffix(".md") {
        Some(stem) => format!("https://apidocs.bitrix24.com/{stem}.html{anchor}"),
        None => target.to_string(),
    }
}

/// A text that ends a sentence: trimmed, first letter upper case, a final period.
pub(crate) fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?', ':']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests;
