//! The request example and the success examples a draft keeps: only those the generated
//! conformance tests will pass (a request that decodes into the request type and encodes
//! back byte for byte, a success whose `result` decodes to the result type).

use std::collections::BTreeSet;

use super::ojson::OValue;
use super::types::{fits, result_fits};
use super::{ExampleDraft, Gap, MethodDraft};
use crate::model::{Auth, Page};

/// The first cURL body (webhook examples first: OAuth ones carry an `auth` key), kept when
/// every key is a parameter, every value fits its type and every required parameter is
/// there; written compactly, keys in parameter order.
pub(super) fn requests(page: &Page, draft: &mut MethodDraft) {
    let request = page
        .requests
        .iter()
        .find(|r| r.auth != Auth::OAuth && r.body.is_some())
        .or_else(|| page.requests.iter().find(|r| r.body.is_some()));
    let Some(body) = request.and_then(|r| r.body.as_ref()) else {
        return;
    };
    match request_body(&body.raw, draft) {
        Ok(text) => draft.requests.push(ExampleDraft {
            name: "Page example".into(),
            status: 0,
            body: text,
            error: None,
            system_error: None,
        }),
        Err(why) => draft.gaps.push(Gap::new("request example dropped", why)),
    }
}

/// The body as the generated request writes it, or why it cannot be kept.
fn request_body(raw: &str, draft: &MethodDraft) -> Result<String, String> {
    let Some((OValue::Object(mut entries), _)) = OValue::parse_example(raw) else {
        return Err("not a JSON object as written".into());
    };
    // OAuth examples carry the token in the body; the client adds it, it is no parameter.
    entries.retain(|(key, _)| key != "auth");
    for (key, value) in &entries {
        let Some(param) = draft.params.iter().find(|p| &p.name == key) else {
            return Err(format!("key `{key}` is not a parameter"));
        };
        if matches!(value, OValue::Null) {
            return Err(format!("`{key}` is null"));
        }
        if !fits(value, &param.ty) {
            return Err(format!("the value of `{key}` is not a `{}`", param.ty));
        }
    }
    if let Some(missing) = draft
        .params
        .iter()
        .find(|p| p.required && !entries.iter().any(|(k, _)| k == &p.name))
    {
        return Err(format!("the required `{}` is missing", missing.name));
    }
    let ordered: Vec<(String, OValue)> = draft
        .params
        .iter()
        .filter_map(|p| entries.iter().find(|(k, _)| k == &p.name).cloned())
        .collect();
    OValue::Object(ordered)
        .compact()
        .ok_or_else(|| "a number would not come back as written".into())
}

/// Success examples (status 200, or none stated) whose `result` fits the result type, each
/// body once.
pub(super) fn responses(page: &Page, draft: &mut MethodDraft) {
    let mut seen = BTreeSet::new();
    let successes = page
        .responses
        .iter()
        .filter(|r| r.statuses.is_empty() || r.statuses.contains(&200));
    for (i, response) in successes.enumerate() {
        let Some((json, text)) = OValue::parse_example(&response.raw) else {
            draft.gaps.push(Gap::new(
                "success example dropped",
                "not JSON, even repaired",
            ));
            continue;
        };
        let Some(result) = json.get("result") else {
            draft
                .gaps
                .push(Gap::new("success example dropped", "no `result` key"));
            continue;
        };
        if json.get("error").is_some() {
            continue;
        }
        if !result_fits(result, &draft.result_type) {
            let detail = format!("its `result` is not a `{}`", draft.result_type);
            draft.gaps.push(Gap::new("success example dropped", detail));
            continue;
        }
        if !seen.insert(text.trim().to_string()) {
            continue;
        }
        draft.responses.push(ExampleDraft {
            name: match i {
                0 => "Page example".into(),
                n => format!("Page example {}", n + 1),
            },
            status: 200,
            body: body_text(&text),
            error: None,
            system_error: None,
        });
    }
}

/// An example's text as the spec keeps it: trailing blanks off each line, one final line
/// break for a multi-line body.
pub(super) fn body_text(raw: &str) -> String {
    let lines: Vec<&str> = raw.trim().lines().map(str::trim_end).collect();
    let text = lines.join("\n");
    if lines.len() > 1 { text + "\n" } else { text }
}
