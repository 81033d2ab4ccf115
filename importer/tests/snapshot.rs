//! The reader over the real snapshot (`docs-snapshot/b24restdocs/`): no page makes it fail,
//! and what it reads agrees with the survey's headline figures
//! (`DOCS-SURVEY.md`, made by another parser) within the tolerances stated at each test.
//!
//! The 2,435 pages are read once per test binary (a few seconds in a debug build).

use std::path::PathBuf;
use std::sync::OnceLock;

use b24_import::{
    ApiVersion, CodeStyle, ErrorLayout, IncludeKind, NameSource, Nested, NoteReason, Page,
    PageKind, Report,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs-snapshot/b24restdocs")
}

fn pages() -> &'static [Page] {
    static PAGES: OnceLock<Vec<Page>> = OnceLock::new();
    PAGES.get_or_init(|| b24_import::read_snapshot(&root()))
}

fn methods() -> Vec<&'static Page> {
    pages()
        .iter()
        .filter(|p| p.kind == PageKind::Method)
        .collect()
}

fn page(path: &str) -> &'static Page {
    let path = format!("api-reference/{path}");
    pages()
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("{path} not read"))
}

/// `ours` is within `tolerance` (a fraction) of the survey's figure.
fn near(what: &str, ours: usize, survey: usize, tolerance: f64) {
    let off = (ours as f64 - survey as f64).abs() / survey as f64;
    assert!(
        off <= tolerance,
        "{what}: ours {ours}, survey {survey} (off by {:.1}%)",
        off * 100.0
    );
}

fn share(n: usize, total: usize) -> f64 {
    n as f64 / total as f64
}

#[test]
fn every_page_is_read_and_none_fails_the_reader() {
    assert_eq!(pages().len(), b24_import::page_paths(&root()).len());
    assert_eq!(pages().len(), 2435, "the survey's content pages");
    let failed: Vec<_> = pages()
        .iter()
        .flat_map(|p| &p.notes)
        .filter(|n| {
            matches!(
                n.reason,
                NoteReason::ReaderPanic | NoteReason::UnreadableFile
            )
        })
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn every_note_points_at_a_line_of_the_snapshot() {
    for note in pages().iter().flat_map(|p| &p.notes) {
        assert!(note.loc.line >= 1, "{note:?}");
        assert!(root().join(&note.loc.file).is_file(), "{note:?}");
        assert!(!note.detail.is_empty(), "{note:?}");
    }
}

/// Page kinds: the counts the survey gives, within 0.5% (one or two pages are read
/// differently: the survey gives no exact rule).
#[test]
fn page_kinds_match_the_survey() {
    let count = |k| pages().iter().filter(|p| p.kind == k).count();
    near("method pages", count(PageKind::Method), 1666, 0.005);
    near("event pages", count(PageKind::Event), 209, 0.01);
    assert_eq!(count(PageKind::Index), 392);
    let m = methods();
    let v3 = m.iter().filter(|p| p.api == Some(ApiVersion::V3)).count();
    near("REST 3.0 pages", v3, 106, 0.02);
    // The survey does not say how it flags deprecation; ours: a DEPRECATED note above the
    // first section, or an outdated/ or deprecated/ folder.
    let old = m.iter().filter(|p| p.deprecated.is_some()).count();
    near("deprecated pages", old, 245, 0.05);
}

/// Method names and head lines: 97.7% of titles end with the name, 99.5% have a scope.
#[test]
fn titles_scopes_and_access() {
    let m = methods();
    let title_end = m
        .iter()
        .filter(|p| {
            p.method
                .as_ref()
                .is_some_and(|n| n.source == NameSource::TitleEnd)
        })
        .count();
    assert!(
        (0.972..=0.982).contains(&share(title_end, m.len())),
        "{title_end}"
    );
    let scoped = m
        .iter()
        .filter(|p| p.scope.as_ref().is_some_and(|s| !s.scopes.is_empty()))
        .count();
    assert!(share(scoped, m.len()) >= 0.99, "{scoped}");
    let access = m.iter().filter(|p| p.access.is_some()).count();
    assert!(share(access, m.len()) >= 0.995, "{access}");
    assert!(m.iter().all(|p| p.method.is_some()));
}

/// The first parameter table is `name/type | description` on at least 84% of method
/// pages (survey: 84.8%).
#[test]
fn first_parameter_tables_are_name_type_description() {
    let m = methods();
    let nt = m
        .iter()
        .filter(|p| {
            p.first_param_table()
                .is_some_and(|t| t.layout.signature == "name/type | description")
        })
        .count();
    assert!(share(nt, m.len()) >= 0.84, "{nt} of {}", m.len());
}

/// Stars: 2,479 starred rows on 1,176 pages (within 2%); 157 pages say "marked with *"
/// and star nothing (within 5%); enum bullets on 1,522 rows (within 10%: the survey's rule
/// for a bullet is not given).
#[test]
fn required_stars_and_enums() {
    let m = methods();
    let rows = || m.iter().flat_map(|p| &p.params).flat_map(|t| &t.rows);
    near(
        "starred rows",
        rows().filter(|r| r.required).count(),
        2479,
        0.02,
    );
    let starred = |p: &&&Page| p.params.iter().flat_map(|t| &t.rows).any(|r| r.required);
    near(
        "pages with stars",
        m.iter().filter(starred).count(),
        1176,
        0.02,
    );
    let note_only = m.iter().filter(|p| p.required_note && !starred(p)).count();
    near("marked-with-* pages without stars", note_only, 157, 0.05);
    near(
        "enum rows",
        rows().filter(|r| !r.enum_values.is_empty()).count(),
        1522,
        0.10,
    );
}

/// Sub-tables: 418 pages have one named after a parameter (within 5%); of the object and
/// array parameters (1,532, within 2%) at least a third are detailed by one.
#[test]
fn nested_objects() {
    let m = methods();
    let with_sub = m
        .iter()
        .filter(|p| p.params.iter().any(|t| t.parent.is_some()))
        .count();
    near("pages with sub-tables", with_sub, 418, 0.05);
    let structured: Vec<_> = m
        .iter()
        .flat_map(|p| &p.params)
        .flat_map(|t| &t.rows)
        .filter(|r| {
            r.types
                .iter()
                .any(|t| t.name.starts_with("object") || t.name.starts_with("array"))
        })
        .collect();
    let tabled = structured
        .iter()
        .filter(|r| matches!(r.nested, Nested::Table { .. }))
        .count();
    assert!(
        share(tabled, structured.len()) >= 0.33,
        "{tabled} of {}",
        structured.len()
    );
}

/// Responses: at least 90% of method pages have a first response example that parses
/// (survey: 1,529 = 91.8%); 33 of them only after repairs (ours within 20 to 50).
#[test]
fn response_examples_parse() {
    let m = methods();
    let first = |p: &&&Page| p.responses.first().is_some_and(|r| r.json.is_some());
    let parses = m.iter().filter(first).count();
    assert!(share(parses, m.len()) >= 0.90, "{parses} of {}", m.len());
    let repaired = m
        .iter()
        .filter(|p| {
            p.responses
                .first()
                .is_some_and(|r| r.json.is_some() && !r.repairs.is_empty())
        })
        .count();
    assert!((20..=50).contains(&repaired), "{repaired}");
    near(
        "Returned Data pages",
        m.iter().filter(|p| !p.returned.is_empty()).count(),
        1534,
        0.02,
    );
}

/// Requests: at least 93% of method pages have a first cURL body that parses (survey:
/// 1,573 = 94.4%); 49 pages have no cURL example (within 10%).
#[test]
fn request_bodies_parse() {
    let m = methods();
    let parses = m
        .iter()
        .filter(|p| {
            p.first_body()
                .is_some_and(|b| b.json.is_some() && !b.substituted)
        })
        .count();
    assert!(share(parses, m.len()) >= 0.93, "{parses} of {}", m.len());
    near(
        "pages without cURL",
        m.iter().filter(|p| p.requests.is_empty()).count(),
        49,
        0.10,
    );
}

/// Errors: pages with an error table (1,405), an error example (1,417), a non-empty code
/// (1,286) and the system-errors include (1,536), within 2%; code styles within 3%.
#[test]
fn error_tables_and_codes() {
    let m = methods();
    let count = |f: &dyn Fn(&Page) -> bool| m.iter().filter(|p| f(p)).count();
    near("error tables", count(&|p| !p.errors.is_empty()), 1405, 0.02);
    near(
        "error examples",
        count(&|p| !p.error_examples.is_empty()),
        1417,
        0.02,
    );
    let named = |p: &Page| {
        p.errors.iter().any(|t| {
            t.shared_code.is_some()
                || t.rows
                    .iter()
                    .any(|r| r.code.as_ref().is_some_and(|c| !c.value.is_empty()))
        })
    };
    near("pages naming a code", count(&named), 1286, 0.02);
    let system = |p: &Page| {
        p.includes
            .iter()
            .any(|i| i.kind == IncludeKind::SystemErrors)
    };
    near("system errors included", count(&system), 1536, 0.02);
    let codes: Vec<_> = m
        .iter()
        .flat_map(|p| &p.errors)
        .flat_map(|t| &t.rows)
        .filter_map(|r| r.code.as_ref())
        .collect();
    let style = |s| codes.iter().filter(|c| c.style == s).count();
    near(
        "UPPER_SNAKE codes",
        style(CodeStyle::UpperSnake),
        2732,
        0.03,
    );
    near("numeric codes", style(CodeStyle::Numeric), 1958, 0.03);
    near("empty codes", style(CodeStyle::Empty), 556, 0.03);
    let v3 = m
        .iter()
        .flat_map(|p| &p.errors)
        .filter(|t| t.layout == ErrorLayout::FieldDescriptionFix)
        .count();
    near("REST 3.0 error tables", v3, 354, 0.02);
}

/// The worked example of the spec format, read end to end.
#[test]
fn log_blogpost_share_reads_fully() {
    let p = page("log/log-blogpost-share.md");
    assert_eq!(p.method.as_ref().unwrap().name, "log.blogpost.share");
    assert_eq!(p.scope.as_ref().unwrap().scopes, ["log"]);
    assert_eq!(
        p.access.as_ref().unwrap().who,
        "administrator or message author"
    );
    assert_eq!(p.api, Some(ApiVersion::V2));
    let params = &p.first_param_table().unwrap().rows;
    let names: Vec<_> = params
        .iter()
        .map(|r| (r.name.as_str(), r.required))
        .collect();
    assert_eq!(
        names,
        [("POST_ID", true), ("DEST", true), ("USER_ID", false)]
    );
    assert_eq!(params[1].enum_values.len(), 4);
    assert!(
        params[2]
            .default
            .as_deref()
            .unwrap()
            .contains("current user")
    );
    let body = p.first_body().unwrap().json.as_ref().unwrap();
    assert_eq!(body["DEST"], serde_json::json!(["SG69", "DR4"]));
    assert_eq!(p.responses[0].json.as_ref().unwrap()["result"], true);
    assert_eq!(p.returned[0].rows[0].name, "result");
    let errors = &p.errors[0];
    assert_eq!(errors.layout, ErrorLayout::CodeDescriptionValue);
    assert_eq!(errors.rows.len(), 5);
    assert!(
        errors
            .rows
            .iter()
            .all(|r| r.code.as_ref().unwrap().style == CodeStyle::Empty)
    );
    assert_eq!(p.error_examples[0].statuses, [400]);
    // The page's last parameter row is not closed by `||`: read, and noted.
    let reasons: Vec<_> = p.notes.iter().map(|n| n.reason).collect();
    assert_eq!(reasons, [NoteReason::BrokenTableRow]);
}

#[test]
fn a_rest_v3_page_and_an_event_page() {
    let p = page("tasks/tasks-task-access-get.md");
    assert_eq!(p.api, Some(ApiVersion::V3));
    assert_eq!(p.requests[0].api, Some(ApiVersion::V3));
    let t = &p.errors[0];
    assert_eq!(t.layout, ErrorLayout::FieldDescriptionFix);
    let code = "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION";
    assert_eq!(t.shared_code.as_deref(), Some(code));

    let e = page("log/events/on-live-feed-post-add.md");
    assert_eq!(e.kind, PageKind::Event);
    let info = e.event.as_ref().unwrap();
    assert_eq!(info.payload_code.as_deref(), Some("ONLIVEFEEDPOSTADD"));
    let fields = info
        .fields
        .iter()
        .find(|t| t.parent.as_deref() == Some("data.FIELDS"))
        .unwrap();
    assert_eq!(fields.rows[0].name, "POST_ID");
}

#[test]
fn the_report_prints_per_folder_and_by_reason() {
    let report = Report::of(pages());
    assert_eq!(report.overall.pages, 2435);
    assert_eq!(report.folders["log"].method_pages, 9);
    let sum: usize = report.folders.values().map(|c| c.method_pages).sum();
    assert_eq!(sum, report.overall.method_pages);
    let notes: usize = report.notes.values().sum();
    assert_eq!(notes, report.overall.notes);
    let md = report.to_markdown();
    assert!(md.contains("| **all** | 2435 |"), "{md}");
    assert!(md.contains("| crm |") && md.contains("## Notes by reason"));
}
