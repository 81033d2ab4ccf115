//! Event pages: the event code of the title, the payload example ("What the Handler
//! Receives") and the tables of the payload's fields.

use crate::blocks::{Block, Scan};
use crate::examples::json_example;
use crate::model::{EventInfo, Note, NoteReason, Page};
use crate::params::{Area, read_area};
use crate::source::Doc;

/// Reads what an event page says.
pub(crate) fn read(doc: &Doc, scan: &Scan, page: &mut Page) {
    let title = page.title.as_ref().map(|t| t.value.as_str()).unwrap_or("");
    let code = crate::kind::event_code(title);
    let payload = scan.items.iter().find_map(|item| match &item.block {
        Block::Fence { lang, body } if body.trim_start().starts_with('{') && lang != "php" => {
            Some(json_example(doc, scan, item, lang, body, &[]))
        }
        _ => None,
    });
    let (fields, notes) = read_area(doc, scan, Area::EventFields);
    page.notes.extend(notes);
    let at = page
        .title
        .as_ref()
        .map(|t| t.loc.clone())
        .unwrap_or(doc.loc(0));
    let mut note = |reason, detail: String| {
        page.notes.push(Note {
            loc: at.clone(),
            reason,
            detail,
        })
    };
    if code.is_none() {
        note(
            NoteReason::NoEventCode,
            format!("no event code in `{title}`"),
        );
    }
    let payload_code = payload
        .as_ref()
        .and_then(|p| p.json.as_ref())
        .and_then(|j| j.get("event"))
        .and_then(|e| e.as_str())
        .map(str::to_string);
    match &payload {
        None => note(NoteReason::NoEventPayload, "no JSON example".into()),
        Some(p) if p.json.is_none() => {
            let detail = p.error.clone().unwrap_or_default();
            page.notes.push(Note {
                loc: p.loc.clone(),
                reason: NoteReason::EventPayloadNotJson,
                detail,
            });
        }
        Some(_) => {}
    }
    if let (Some(c), Some(p)) = (&code, &payload_code)
        && squash(c) != squash(p)
    {
        let detail = format!("title says `{c}`, the payload's `event` is `{p}`");
        page.notes.push(Note {
            loc: at.clone(),
            reason: NoteReason::EventCodeMismatch,
            detail,
        });
    }
    page.event = Some(EventInfo {
        code,
        payload_code,
        payload,
        fields,
    });
}

/// A code without case or separators: `OnLiveFeedPostAdd` and `ONLIVEFEEDPOSTADD` agree.
fn squash(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::parse_text;

    #[test]
    fn an_event_page() {
        let page = parse_text(
            "api-reference/log/events/on-live-feed-post-add.md",
            "# Event for Adding a Message OnLiveFeedPostAdd\n\n> Scope: [`log`](x)\n>\n> Who can subscribe: any user\n\n## What the Handler Receives\n\n```json\n{\"event\": \"ONLIVEFEEDPOSTADD\", \"data\": {\"FIELDS\": {\"POST_ID\": \"209\"}}}\n```\n\n#|\n|| **parameter**\n`type` | **Description** ||\n|| **data.FIELDS**\n[`object`](x) | Fields, [below](#fields) ||\n|#\n\n### Parameter FIELDS {#fields}\n\n#|\n|| **parameter**\n`type` | **Description** ||\n|| **POST_ID**\n[`integer`](x) | Id ||\n|#\n",
        );
        assert_eq!(page.kind, crate::PageKind::Event);
        let e = page.event.as_ref().unwrap();
        assert_eq!(e.code.as_deref(), Some("OnLiveFeedPostAdd"));
        assert_eq!(e.payload_code.as_deref(), Some("ONLIVEFEEDPOSTADD"));
        assert_eq!(e.fields.len(), 2);
        assert_eq!(e.fields[1].parent.as_deref(), Some("data.FIELDS"));
        assert!(page.notes.is_empty(), "{:?}", page.notes);
    }

    #[test]
    fn a_payload_for_another_event_is_a_note() {
        let page = parse_text(
            "api-reference/x/events/e.md",
            "# Event OnThingAdd\n\n> Who can subscribe: any user\n\n```json\n{\"event\": \"ONTHINGDELETE\"}\n```\n",
        );
        assert_eq!(page.notes[0].reason, crate::NoteReason::EventCodeMismatch);
    }
}
