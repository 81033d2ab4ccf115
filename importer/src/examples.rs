//! Examples: the cURL requests (endpoint, API version, `-d` body), the JSON answers of the
//! response and error sections, with the `HTTP Status: **200**` line above them.

use crate::blocks::{Block, Item, Scan};
use crate::json;
use crate::model::{ApiVersion, Auth, Body, JsonExample, Loc, Note, NoteReason, Request};
use crate::shell;
use crate::source::Doc;

/// Every cURL command in the page's code blocks, in page order.
pub(crate) fn requests(doc: &Doc, scan: &Scan, notes: &mut Vec<Note>) -> Vec<Request> {
    let mut out = Vec::new();
    for item in &scan.items {
        // Any language: the examples are tagged `bash`, `http` or `curl`, and only lines
        // that start with `curl` are read.
        let Block::Fence { body, lang } = &item.block else {
            continue;
        };
        let mut commands = shell::commands(body);
        // Some `curl` blocks leave out the word itself and start at `-X POST`.
        let tab = item.ctx.tab.as_deref().unwrap_or("").to_lowercase();
        if commands.is_empty() && (lang == "curl" || tab.starts_with("curl")) {
            commands.push(body);
        }
        for command in commands {
            let loc = doc.loc(item.at);
            out.push(request(command, item, loc, notes));
        }
    }
    out
}

/// One cURL command.
fn request(command: &str, item: &Item, loc: Loc, notes: &mut Vec<Note>) -> Request {
    let mut r = Request {
        tab: item.ctx.tab.clone(),
        auth: Auth::Unknown,
        url: None,
        endpoint: None,
        api: None,
        body: None,
        loc,
    };
    let curl = match shell::curl(command) {
        Ok(c) => c,
        Err(err) => {
            notes.push(note(&r.loc, NoteReason::RequestUnquotable, err));
            return r;
        }
    };
    if let Some(url) = &curl.url {
        r.endpoint = endpoint(url);
        r.api = Some(if url.contains("/rest/api/") {
            ApiVersion::V3
        } else {
            ApiVersion::V2
        });
    } else {
        notes.push(note(&r.loc, NoteReason::RequestWithoutUrl, "no URL".into()));
    }
    r.body = curl.data.map(|w| body(&w, &r.loc, notes));
    r.auth = auth(&r, curl.url.as_deref());
    r.url = curl.url;
    r
}

/// The method a REST URL calls: its last path segment, without `.json` or a query.
pub(crate) fn endpoint(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let name = last.strip_suffix(".json").unwrap_or(last);
    crate::kind::is_method_name(name)
        .then(|| name.to_string())
        .or_else(|| single_word_method(path, name))
}

/// One-word methods (`methods`, `scope`, `profile`, `events`) right after `/rest/` or
/// after the webhook's user and code.
fn single_word_method(path: &str, name: &str) -> Option<String> {
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    let rest_path = path.contains("/rest/");
    (plain && rest_path && !name.contains("put_your")).then(|| name.to_string())
}

/// How the example authenticates: an `auth` key in the body, or a webhook URL.
fn auth(r: &Request, url: Option<&str>) -> Auth {
    let has_auth = r
        .body
        .as_ref()
        .and_then(|b| b.json.as_ref())
        .is_some_and(|j| j.get("auth").is_some());
    let tab = r.tab.as_deref().unwrap_or("").to_lowercase();
    match url {
        _ if has_auth || tab.contains("oauth") => Auth::OAuth,
        Some(u) if u.contains("webhook") || tab.contains("webhook") => Auth::Webhook,
        _ => Auth::Unknown,
    }
}

/// A request body, parsed.
fn body(word: &shell::Word, loc: &Loc, notes: &mut Vec<Note>) -> Body {
    let parsed = json::parse(&word.text);
    if word.substituted {
        let detail = format!(
            "the shell substitutes part of `{}`",
            crate::table::clip(&word.text)
        );
        notes.push(note(loc, NoteReason::RequestSubstituted, detail));
    }
    if let Some(err) = &parsed.error {
        notes.push(note(loc, NoteReason::RequestNotJson, err.clone()));
    }
    Body {
        raw: word.text.clone(),
        json: parsed.json,
        repairs: parsed.repairs,
        substituted: word.substituted,
        error: parsed.error,
    }
}

/// The JSON examples of the sections whose H2 the predicate accepts, each with the
/// statuses of the last `HTTP Status:` line above it in its section.
pub(crate) fn json_examples(
    doc: &Doc,
    scan: &Scan,
    in_section: impl Fn(&str) -> bool,
    reason: NoteReason,
    notes: &mut Vec<Note>,
) -> Vec<JsonExample> {
    let mut out = Vec::new();
    let mut statuses: (Option<usize>, Vec<u16>) = (None, Vec::new());
    for item in &scan.items {
        if !in_section(&scan.section(&item.ctx)) {
            continue;
        }
        if statuses.0 != item.ctx.h2 {
            statuses = (item.ctx.h2, Vec::new());
        }
        match &item.block {
            Block::Text(t) if t.to_lowercase().contains("http status") => {
                statuses.1 = status_codes(t);
            }
            Block::Fence { lang, body } if is_json_fence(lang, body) => {
                let example = json_example(doc, scan, item, lang, body, &statuses.1);
                if let Some(err) = &example.error {
                    notes.push(note(&example.loc, reason, err.clone()));
                }
                out.push(example);
            }
            _ => {}
        }
    }
    out
}

/// A fence that holds a JSON example: `json`-ish language, or none, and a body that
/// starts like JSON.
fn is_json_fence(lang: &str, body: &str) -> bool {
    let starts = body.trim_start().starts_with(['{', '[']);
    [
        "json",
        "jsonc",
        "json5",
        "",
        "js",
        "javascript",
        "text",
        "plaintext",
    ]
    .contains(&lang)
        && starts
}

/// One JSON example in place.
pub(crate) fn json_example(
    doc: &Doc,
    scan: &Scan,
    item: &Item,
    lang: &str,
    body: &str,
    statuses: &[u16],
) -> JsonExample {
    let parsed = json::parse(body);
    JsonExample {
        heading: scan.sub(&item.ctx).map(|h| h.text.clone()),
        tab: item.ctx.tab.clone(),
        statuses: statuses.to_vec(),
        lang: lang.to_string(),
        raw: body.to_string(),
        json: parsed.json,
        repairs: parsed.repairs,
        error: parsed.error,
        loc: doc.loc(item.at),
    }
}

/// The statuses of `HTTP Status: **200**, **400**` (`40x` is not a status and is skipped).
pub(crate) fn status_codes(line: &str) -> Vec<u16> {
    line.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() == 3)
        .filter_map(|w| w.parse::<u16>().ok())
        .filter(|s| (100..600).contains(s))
        .collect()
}

/// `true` for the H2s of successful answers.
pub(crate) fn is_response_section(h2: &str) -> bool {
    (h2.contains("response") || h2.contains("result")) && !h2.contains("error")
}

/// `true` for the H2s of errors.
pub(crate) fn is_error_section(h2: &str) -> bool {
    h2.contains("error")
}

fn note(loc: &Loc, reason: NoteReason, detail: String) -> Note {
    Note {
        loc: loc.clone(),
        reason,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::scan;
    use crate::model::Repair;

    const PAGE: &str = "## Code Examples

{% list tabs %}

- cURL (Webhook)

    ```bash
    curl -X POST \\
    -d '{\"POST_ID\":217}' \\
    https://**put_your_bitrix24_address**/rest/**put_your_user_id_here**/**put_your_webhook_here**/log.blogpost.share
    ```

- cURL (OAuth)

    ```bash
    curl -X POST \\
    -d '{\"id\":1,\"auth\":\"**put_access_token_here**\"}' \\
    https://**put_your_bitrix24_address**/rest/api/tasks.task.get
    ```

{% endlist %}

## Response Handling

HTTP Status: **200**

```json
{\"result\": [1, ...], // more
}
```

## Error Handling

HTTP Status: **400**, **403**

```json
{\"error\": \"\", \"error_description\": \"Wrong post ID\"}
```
";

    #[test]
    fn requests_with_endpoint_version_and_auth() {
        let doc = Doc::from_text("p.md", PAGE);
        let mut notes = Vec::new();
        let r = requests(&doc, &scan(&doc), &mut notes);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].endpoint.as_deref(), Some("log.blogpost.share"));
        assert_eq!((r[0].api, r[0].auth), (Some(ApiVersion::V2), Auth::Webhook));
        assert_eq!(
            r[0].body.as_ref().unwrap().json,
            Some(serde_json::json!({"POST_ID": 217}))
        );
        assert_eq!((r[1].api, r[1].auth), (Some(ApiVersion::V3), Auth::OAuth));
        assert_eq!(r[1].tab.as_deref(), Some("cURL (OAuth)"));
    }

    #[test]
    fn responses_and_errors_with_statuses() {
        let doc = Doc::from_text("p.md", PAGE);
        let s = scan(&doc);
        let mut notes = Vec::new();
        let ok = json_examples(
            &doc,
            &s,
            is_response_section,
            NoteReason::ResponseNotJson,
            &mut notes,
        );
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].statuses, [200]);
        assert_eq!(
            ok[0].repairs,
            [Repair::Comments, Repair::Ellipsis, Repair::TrailingCommas]
        );
        let err = json_examples(
            &doc,
            &s,
            is_error_section,
            NoteReason::ErrorExampleNotJson,
            &mut notes,
        );
        assert_eq!(err[0].statuses, [400, 403]);
        assert!(notes.is_empty());
    }

    #[test]
    fn endpoints() {
        assert_eq!(
            endpoint("https://x/rest/1/k/im.session.mode.pinAll.json").as_deref(),
            Some("im.session.mode.pinAll")
        );
        assert_eq!(
            endpoint("https://x/rest/**u**/**w**/methods").as_deref(),
            Some("methods")
        );
        assert_eq!(endpoint("https://x/rest/**put_your_webhook_here**/"), None);
        assert_eq!(status_codes("HTTP status: **40x**, **500**"), [500]);
    }
}
