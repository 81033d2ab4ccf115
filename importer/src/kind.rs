//! What a page is and the facts of its head: title, method name, scope, who may call it,
//! deprecation, API version, first sentence.
//!
//! A method page is recognised by what the survey found them all to share: "Who can execute
//! the method" (or at least one of the standard sections) and a method name: the one the
//! title ends with, else the one the cURL example calls (on a page with at least two of the
//! standard sections), else one inside the title. Guides and widget pages have the first
//! but not the second.

use crate::blocks::{Block, Scan};
use crate::model::{
    Access, ApiVersion, Deprecation, Located, MethodName, NameSource, Note, NoteReason, Page,
    PageKind, Scope,
};
use crate::source::Doc;

/// The H2s every method page is built from; two of them make a page a method page even
/// when its title names no method.
const STANDARD_SECTIONS: [&str; 8] = [
    "method parameters",
    "parameters",
    "code examples",
    "code example",
    "response handling",
    "error handling",
    "returned data",
    "errors",
];

/// Fills in the page's kind and head facts. Requests must have been read already: the
/// endpoint is a witness for the method name.
pub(crate) fn read(doc: &Doc, scan: &Scan, page: &mut Page) {
    page.title = scan.title().map(|h| Located {
        value: h.text.clone(),
        loc: doc.loc(h.at),
    });
    page.scope = scope(doc, scan);
    page.access = access(doc, scan);
    page.intro = intro(doc, scan);
    page.kind = kind(scan, page);
    page.deprecated = deprecation(doc, scan, page);
    if page.kind == PageKind::Method {
        page.api = Some(api(scan, page));
        head_notes(doc, page);
    }
}

/// Decides the kind, and the method name of method pages.
fn kind(scan: &Scan, page: &mut Page) -> PageKind {
    if page.path.ends_with("/index.md") || page.path == "index.md" {
        return PageKind::Index;
    }
    let texts = head_text(scan);
    let executes = texts.contains("who can execute") || texts.contains("execution rights");
    let subscribes = texts.contains("who can subscribe");
    if subscribes && !executes {
        return PageKind::Event;
    }
    let standard = standard_sections(scan);
    if (executes || standard >= 1)
        && let Some(name) = method_name(page, standard >= 2)
    {
        page.method = Some(name);
        return PageKind::Method;
    }
    let title = page.title.as_ref().map(|t| t.value.as_str()).unwrap_or("");
    if title.starts_with("Event") && event_code(title).is_some() {
        return PageKind::Event;
    }
    PageKind::Other
}

/// All text lines above the first H2, lower case, joined: where the head facts are.
fn head_text(scan: &Scan) -> String {
    let mut out = String::new();
    for item in scan.items.iter().filter(|i| i.ctx.h2.is_none()) {
        if let Block::Text(t) = &item.block {
            out.push_str(&t.to_lowercase());
            out.push('\n');
        }
    }
    out
}

/// How many distinct standard H2s the page has.
fn standard_sections(scan: &Scan) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for h in scan.headings.iter().filter(|h| h.level == 2) {
        let t = h.text.to_lowercase();
        if let Some(s) = STANDARD_SECTIONS.iter().find(|s| t.trim() == **s)
            && !seen.contains(s)
        {
            seen.push(s);
        }
    }
    seen.len()
}

/// The method name: the title's last word, else the cURL endpoint (trusted only on pages
/// built like method pages), else a title word.
fn method_name(page: &Page, structured: bool) -> Option<MethodName> {
    let title = page.title.as_ref()?;
    let words: Vec<String> = title.value.split_whitespace().map(clean_word).collect();
    if let Some(last) = words.last().filter(|w| is_method_name(w)) {
        return Some(named(last, NameSource::TitleEnd, &title.loc));
    }
    let request = page.requests.iter().find(|r| r.endpoint.is_some());
    if let Some(r) = request.filter(|_| structured) {
        let name = r.endpoint.as_deref().unwrap_or_default();
        return Some(named(name, NameSource::Endpoint, &r.loc));
    }
    let word = words.iter().find(|w| is_method_name(w))?;
    Some(named(word, NameSource::Title, &title.loc))
}

fn named(name: &str, source: NameSource, loc: &crate::model::Loc) -> MethodName {
    MethodName {
        name: name.to_string(),
        source,
        loc: loc.clone(),
    }
}

/// A title word without the punctuation around it.
fn clean_word(word: &str) -> String {
    let t = word.trim_matches(|c: char| "`()\"'«»,:;!?".contains(c));
    t.trim_end_matches('.').to_string()
}

/// `true` for a REST method name: dotted segments, starting with a lower-case letter
/// (`log.blogpost.share`, `imbot.v2.Bot.list`); not `BX24.placement.call`, not `index.md`.
pub(crate) fn is_method_name(word: &str) -> bool {
    let mut segments = word.split('.');
    let first = segments.next().unwrap_or("");
    let starts_lower = first.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let valid = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let rest: Vec<&str> = segments.collect();
    let file_like = ["md", "html", "php", "js", "json"].contains(rest.last().unwrap_or(&""));
    starts_lower && valid(first) && !rest.is_empty() && rest.iter().all(|s| valid(s)) && !file_like
}

/// An event code in a title: `OnLiveFeedPostAdd`, `ONVOXIMPLANTCALLINIT`,
/// `CATALOG.PRICE.ON.UPDATE`, `onCrmInvoiceAdd`, `CallCard::BeforeClose`.
pub(crate) fn event_code(title: &str) -> Option<String> {
    let words: Vec<String> = title.split_whitespace().map(clean_word).collect();
    let code = |w: &&String| is_event_code(w);
    words.iter().rev().find(code).cloned()
}

fn is_event_code(word: &str) -> bool {
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let lower_on = word.len() > 3
        && (word.starts_with("On") || word.starts_with("on"))
        && word[2..].starts_with(|c: char| c.is_ascii_uppercase())
        && ident(word);
    let upper = |s: &str| ident(s) && !s.chars().any(|c| c.is_ascii_lowercase());
    let dotted_upper = word.contains('.') && word.split('.').all(upper) && word.len() > 3;
    let shouting = word.starts_with("ON") && upper(word) && word.len() > 4;
    let js = word
        .split_once("::")
        .is_some_and(|(a, b)| ident(a) && ident(b));
    lower_on || dotted_upper || shouting || js
}

/// The `> Scope:` line (or `**Scope**:` of the crm fragments).
fn scope(doc: &Doc, scan: &Scan) -> Option<Scope> {
    let (at, line) = head_line(scan, |l| {
        l.starts_with("scope") || l.starts_with("**scope**")
    })?;
    let end = access_label_at(&line).unwrap_or(line.len());
    let part = &line[..end];
    let scopes = crate::inline::code_spans(part)
        .iter()
        .flat_map(|s| s.text.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect();
    Some(Scope {
        scopes,
        raw: line.clone(),
        loc: doc.loc(at),
    })
}

/// Who may call the method: "Who can execute …:", "Execution Rights:", "Who can subscribe:".
fn access(doc: &Doc, scan: &Scan) -> Option<Access> {
    let (at, line) = head_line(scan, |l| access_label_at(l).is_some())?;
    let start = access_label_at(&line)?;
    let after = &line[start..];
    let who = after.split_once(':').map(|(_, w)| w).unwrap_or("");
    Some(Access {
        who: crate::inline::strip_markup(who),
        raw: line.clone(),
        loc: doc.loc(at),
    })
}

/// Where an access label starts in a line (byte offset), if it has one.
fn access_label_at(line: &str) -> Option<usize> {
    let lower = line.to_ascii_lowercase();
    [
        "who can execute",
        "who can subscribe",
        "execution rights",
        "**who can",
        "**execution",
    ]
    .iter()
    .filter_map(|l| lower.find(l))
    .min()
}

/// The first text line (without `>` markers) that matches, anywhere on the page.
fn head_line(scan: &Scan, matches: impl Fn(&str) -> bool) -> Option<(usize, String)> {
    scan.items.iter().find_map(|item| {
        let Block::Text(t) = &item.block else {
            return None;
        };
        let line = t.trim_start_matches('>').trim();
        matches(&line.to_ascii_lowercase()).then(|| (item.at, line.to_string()))
    })
}

/// The first line of prose above the first H2: not a note, quote, directive or table.
fn intro(doc: &Doc, scan: &Scan) -> Option<Located<String>> {
    scan.items.iter().find_map(|item| {
        let Block::Text(t) = &item.block else {
            return None;
        };
        let prose = item.ctx.h2.is_none()
            && item.ctx.note.is_none()
            && item.ctx.tab.is_none()
            && !t.starts_with(['>', '{', '|', '-', '*', '!', '<']);
        prose.then(|| Located {
            value: t.clone(),
            loc: doc.loc(item.at),
        })
    })
}

/// A `DEPRECATED` note above the first H2, or an `outdated/`/`deprecated/` folder.
fn deprecation(doc: &Doc, scan: &Scan, page: &Page) -> Option<Deprecation> {
    let by_folder = page.path.contains("/outdated/") || page.path.contains("/deprecated/");
    // Each note above the first H2: its first line, whether it is marked, its text.
    let mut notes: Vec<(usize, usize, bool, Vec<String>)> = Vec::new();
    for item in scan.items.iter().filter(|i| i.ctx.h2.is_none()) {
        let (Block::Text(t), Some(n)) = (&item.block, &item.ctx.note) else {
            continue;
        };
        if notes.last().map(|x| x.0) != Some(n.at) {
            let marked = n.title.to_lowercase().contains("deprecated");
            notes.push((n.at, item.at, marked, Vec::new()));
        }
        if let Some(last) = notes.last_mut() {
            if t == "**DEPRECATED**" {
                last.2 = true;
            } else {
                last.3.push(t.clone());
            }
        }
    }
    let found = notes.into_iter().find(|n| n.2).map(|n| (n.1, n.3));
    deprecation_of(doc, page, found, by_folder)
}

fn deprecation_of(
    doc: &Doc,
    page: &Page,
    found: Option<(usize, Vec<String>)>,
    by_folder: bool,
) -> Option<Deprecation> {
    match found {
        Some((at, texts)) => Some(Deprecation {
            text: texts.join("\n"),
            by_folder,
            loc: doc.loc(at),
        }),
        None if by_folder && matches!(page.kind, PageKind::Method | PageKind::Event) => {
            let loc = page
                .title
                .as_ref()
                .map(|t| t.loc.clone())
                .unwrap_or(doc.loc(0));
            Some(Deprecation {
                text: String::new(),
                by_folder,
                loc,
            })
        }
        None => None,
    }
}

/// REST 3.0 when the page says so (note, title) or its example calls `/rest/api/`.
fn api(scan: &Scan, page: &Page) -> ApiVersion {
    let said = scan.items.iter().any(|i| match &i.block {
        Block::Text(t) => t.contains("belongs to REST 3.0"),
        _ => false,
    });
    let called = page.requests.iter().any(|r| r.api == Some(ApiVersion::V3));
    let titled = page
        .title
        .as_ref()
        .is_some_and(|t| t.value.contains("v 3.0") || t.value.contains("REST 3.0"));
    if said || called || titled {
        ApiVersion::V3
    } else {
        ApiVersion::V2
    }
}

/// Notes on a method page's head: missing scope or access, a title that names another
/// method than the example calls.
fn head_notes(doc: &Doc, page: &mut Page) {
    let at = page
        .title
        .as_ref()
        .map(|t| t.loc.clone())
        .unwrap_or(doc.loc(0));
    if page.scope.is_none() {
        page.notes
            .push(note(&at, NoteReason::NoScope, "no `> Scope:` line"));
    }
    if page.access.is_none() {
        page.notes.push(note(
            &at,
            NoteReason::NoAccess,
            "no \"Who can execute\" line",
        ));
    }
    let Some(name) = page
        .method
        .as_ref()
        .filter(|m| m.source == NameSource::TitleEnd)
    else {
        return;
    };
    let endpoint = page.requests.iter().find_map(|r| r.endpoint.as_deref());
    if let Some(e) = endpoint.filter(|e| !e.eq_ignore_ascii_case(&name.name)) {
        let detail = format!("title names `{}`, the cURL example calls `{e}`", name.name);
        page.notes
            .push(note(&name.loc, NoteReason::NameMismatch, &detail));
    }
}

fn note(loc: &crate::model::Loc, reason: NoteReason, detail: &str) -> Note {
    Note {
        loc: loc.clone(),
        reason,
        detail: detail.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names() {
        for ok in [
            "log.blogpost.share",
            "imbot.v2.Bot.list",
            "sonet_group.user.invite",
        ] {
            assert!(is_method_name(ok), "{ok}");
        }
        for no in [
            "BX24.placement.call",
            "index.md",
            "user.option.*",
            "share",
            "a..b",
            "3.0",
        ] {
            assert!(!is_method_name(no), "{no}");
        }
    }

    #[test]
    fn event_codes() {
        assert_eq!(
            event_code("Event OnLiveFeedPostAdd").as_deref(),
            Some("OnLiveFeedPostAdd")
        );
        assert_eq!(
            event_code("Event on Price Change CATALOG.PRICE.ON.UPDATE").as_deref(),
            Some("CATALOG.PRICE.ON.UPDATE")
        );
        assert_eq!(
            event_code("OnOrderDeleted Event When Deleting").as_deref(),
            Some("OnOrderDeleted")
        );
        assert_eq!(event_code("Event Formats im.v2"), None);
        assert_eq!(event_code("Event on Booking Update"), None);
    }
}
