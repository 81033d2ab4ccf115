//! An event page's draft: its name and code, the fields of `data.FIELDS` and the payload
//! example.

use super::ojson::OValue;
use super::types::spec_type;
use super::{Drafted, EventDraft, ExampleDraft, FieldDraft, Gap, PageInput, docs_url, sentence};
use crate::model::{Page, ParamTable};

/// Drafts one event page, filed under `module` (its folder's main module).
pub(super) fn draft(input: &PageInput, module: Option<String>) -> Drafted {
    let page = &input.page;
    let info = page.event.as_ref();
    let code = info.and_then(|e| e.code.clone());
    let skip = |reason: &str, detail: &str, module: String| Drafted::Skipped {
        page: page.path.clone(),
        name: code.clone(),
        module,
        deprecated: page.deprecated.is_some(),
        event: true,
        gap: Gap::new(reason, detail),
    };
    let Some(module) = module else {
        return skip(
            "no module",
            "no method page in the event's folder",
            String::new(),
        );
    };
    let Some(code) = code.clone() else {
        return skip("no event code", "the title names no event", module);
    };
    let event = type_name(&code);
    if !event.starts_with(|c: char| c.is_ascii_uppercase()) {
        return skip(
            "event name not usable",
            "no letters to make a type name of",
            module,
        );
    }
    let folder = format!("spec/imported/{module}/events");
    let payload = info
        .and_then(|e| e.payload.as_ref())
        .and_then(|p| OValue::parse_example(&p.raw));
    let payload_fields = payload
        .as_ref()
        .and_then(|(p, _)| p.get("data"))
        .and_then(|d| d.get("FIELDS"));
    let mut gaps = Vec::new();
    let fields = fields(page, payload_fields, &mut gaps);
    let payload_code = info.and_then(|e| e.payload_code.clone());
    let examples = example(page, &payload, &mut gaps);
    let title = super::plain(
        page.title
            .as_ref()
            .map(|t| t.value.as_str())
            .unwrap_or(&code),
    );
    Drafted::Event(Box::new(EventDraft {
        page: page.path.clone(),
        sha256: input.sha256.clone(),
        file: format!("{folder}/{event}.yaml"),
        code: payload_code.unwrap_or_else(|| code.to_ascii_uppercase()),
        event,
        scope: module,
        summary: summary(page, &title),
        title,
        access: match &page.access {
            Some(a) if !a.who.trim().is_empty() => sentence(&super::plain(&a.who)),
            _ => "Not stated on the page.".into(),
        },
        docs: docs_url(&page.path),
        fields,
        examples,
        gaps,
    }))
}

/// `OnLiveFeedPostAdd` as it is; `CATALOG.PRICE.ON.UPDATE` and `onCrmDealAdd` made
/// UpperCamelCase.
fn type_name(code: &str) -> String {
    code.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = if w.chars().any(|c| c.is_ascii_lowercase()) {
                w.to_string()
            } else {
                w.to_ascii_lowercase()
            };
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn summary(page: &Page, title: &str) -> String {
    let intro = page
        .intro
        .as_ref()
        .map(|i| super::plain(&i.value))
        .unwrap_or_default();
    let text = if intro.is_empty() { title } else { &intro };
    sentence(text)
}

/// The fields of the table that details `data.FIELDS` (or `FIELDS`): ids as `id` (payloads
/// send them as strings), other types as mapped, and `any` where the payload example shows
/// a value that does not fit.
fn fields(page: &Page, example: Option<&OValue>, gaps: &mut Vec<Gap>) -> Vec<FieldDraft> {
    let Some(table) = fields_table(page) else {
        return Vec::new();
    };
    let mut out: Vec<FieldDraft> = Vec::new();
    let mut rust = std::collections::BTreeSet::new();
    for row in &table.rows {
        let valid = row
            .name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && row
                .name
                .chars()
                .all(|c| c == '_' || c.is_ascii_alphanumeric());
        if !valid || !rust.insert(super::method::snake(&row.name)) {
            gaps.push(Gap::new("field left out", format!("`{}`", row.name)));
            continue;
        }
        let mut ty = match spec_type(&row.types).as_str() {
            "integer" => "id".to_string(),
            "string" => "string".to_string(),
            _ => "any".to_string(),
        };
        let value = example.and_then(|e| e.get(&row.name));
        if let Some(value) = value
            && !super::types::result_fits(value, &ty)
        {
            ty = "any".into();
        }
        let description = super::plain_keep(&row.description);
        out.push(FieldDraft {
            name: row.name.clone(),
            ty,
            description: if description.is_empty() {
                "Not described on the page.".into()
            } else {
                description
            },
        });
    }
    out
}

fn fields_table(page: &Page) -> Option<&ParamTable> {
    let tables = &page.event.as_ref()?.fields;
    tables.iter().find(|t| {
        t.parent.as_deref().is_some_and(|p| {
            p.eq_ignore_ascii_case("data.FIELDS") || p.eq_ignore_ascii_case("FIELDS")
        })
    })
}

/// The payload example, kept when it is JSON as written.
fn example(
    page: &Page,
    payload: &Option<(OValue, String)>,
    gaps: &mut Vec<Gap>,
) -> Vec<ExampleDraft> {
    let raw = page
        .event
        .as_ref()
        .and_then(|e| e.payload.as_ref())
        .map(|p| p.raw.as_str());
    let fields = payload
        .as_ref()
        .and_then(|(p, _)| p.get("data"))
        .and_then(|d| d.get("FIELDS"));
    match (raw, payload) {
        // The runtime reads an event's fields from `data.FIELDS`: a payload without them
        // (`data: {id: …}`) is not this SDK's shape of the event.
        (Some(_), Some(_)) if !matches!(fields, Some(OValue::Object(_))) => {
            gaps.push(Gap::new(
                "payload example dropped",
                "no `data.FIELDS` object in it",
            ));
            Vec::new()
        }
        (Some(_), Some((json, _))) if missing_envelope(json).is_some() => {
            let key = missing_envelope(json).unwrap_or_default();
            let detail = format!("no `{key}` in it (every payload has one)");
            gaps.push(Gap::new("payload example dropped", detail));
            Vec::new()
        }
        (Some(_), Some((_, text))) => vec![ExampleDraft {
            name: "Page example".into(),
            status: 0,
            body: super::examples::body_text(text),
            error: None,
            system_error: None,
        }],
        (Some(_), None) => {
            gaps.push(Gap::new(
                "payload example dropped",
                "not JSON, even repaired",
            ));
            Vec::new()
        }
        (None, _) => {
            gaps.push(Gap::new("no payload example", "the page shows none"));
            Vec::new()
        }
    }
}

/// The first key of the envelope every payload carries (the runtime's `Event`) that the
/// example lacks.
fn missing_envelope(json: &OValue) -> Option<&'static str> {
    ["event", "event_handler_id", "ts", "auth"]
        .into_iter()
        .find(|key| json.get(key).is_none())
}
