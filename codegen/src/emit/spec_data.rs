//! `api/<scope>/spec_data.json`: the spec's examples and error forms of every method and
//! event of one scope, as data.
//!
//! The generated crate embeds these files (`api/<scope>/mod.rs`'s `SPEC_DATA`, compiled for
//! its tests and with the feature `mock`): the runtime's generic conformance checks run each
//! method's and event's entries through the real decoder and client, and its mock portal
//! answers from them. Data, not code: nothing here goes through `syn` and `prettyplease`,
//! and no file grows with the whole API.
//!
//! The shape is `b24_rest_contract::spec_data`, which the runtime reads too: one definition
//! for both sides.

use b24_rest_contract::spec_data::{
    self as contract, ErrorAnswer, ErrorRowData, EventData, EventExample, Expect, MethodData,
    RequestExample, ResponseExample as ResponseData, ScopeData,
};

use super::API_DIR;
use crate::GeneratedFile;
use crate::model::{ErrorRow, Event, Field, Matcher, Method, Scope, TypeRef};
use crate::spec::{MatchMode, ResponseExample};

/// `api/<scope>/spec_data.json`: pretty-printed, keys in a fixed order, one trailing newline.
pub(super) fn file(scope: &Scope) -> GeneratedFile {
    let mut methods: Vec<MethodData> = scope.methods.iter().map(method_data).collect();
    methods.sort_by(|a, b| a.method.cmp(&b.method));
    let mut events: Vec<EventData> = scope.events.iter().map(event_data).collect();
    events.sort_by(|a, b| a.code.cmp(&b.code));
    let data = ScopeData {
        scope: scope.wire.clone(),
        methods,
        events,
    };
    GeneratedFile {
        path: format!(
            "{API_DIR}/{}/spec_data.json",
            scope.module.trim_start_matches("r#")
        ),
        contents: contract::write(&data),
    }
}

fn method_data(method: &Method) -> MethodData {
    let examples = &method.spec.examples;
    MethodData {
        method: method.spec.method.clone(),
        rest_v3: method.spec.api == crate::spec::ApiVersion::V3,
        batch: method.spec.batch,
        requests: examples
            .requests
            .iter()
            .map(|example| RequestExample {
                name: example.name.trim().to_owned(),
                body: example.body.clone(),
            })
            .collect(),
        responses: examples
            .responses
            .iter()
            .map(|example| ResponseData {
                name: example.name.trim().to_owned(),
                status: example.status,
                body: example.body.clone(),
                expect: expect(example),
            })
            .collect(),
        error_rows: method.errors.iter().map(row).collect(),
    }
}

fn expect(example: &ResponseExample) -> Expect {
    if let Some(row) = &example.error {
        return Expect::MethodError(row.clone());
    }
    let Some(code) = &example.system_error else {
        return Expect::Success;
    };
    // The model has checked that the code is in the table; were it not, the raw code stands
    // in for the variant and the check fails naming it.
    let variant =
        b24_rest_contract::system_errors::by_code(code).map_or(code.as_str(), |row| row.name);
    Expect::SystemError(variant.to_owned())
}

fn row(row: &ErrorRow) -> ErrorRowData {
    // The row's own form comes first; a `contains` text is sent alone, as a server does when
    // nothing else failed.
    let answer = ErrorAnswer {
        code: row.spec.code.clone(),
        text: match row.matchers.first() {
            Some(own) if own.mode == MatchMode::Pattern => sample_text(row, own),
            _ => row.spec.description.clone(),
        },
    };
    let mut forms = Vec::new();
    for matcher in &row.matchers {
        let text = sample_text(row, matcher);
        let mut codes = vec![matcher.code.clone()];
        for other in [
            matcher.code.to_ascii_lowercase(),
            matcher.code.to_ascii_uppercase(),
        ] {
            if !codes.contains(&other) {
                codes.push(other);
            }
        }
        forms.extend(codes.into_iter().map(|code| ErrorAnswer {
            code,
            text: text.clone(),
        }));
    }
    let captures = row
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let name = field.rust.trim_start_matches("r#");
            format!("{name}: {}", sample_debug(field, index))
        })
        .collect();
    ErrorRowData {
        variant: row.spec.name.clone(),
        status: row.spec.status,
        answer,
        forms,
        captures,
    }
}

/// The sample value of the row's `index`-th field as a server writes it: each field its
/// own (`42`, `43`, … for integers, `sample1`, `sample2`, … otherwise), so that a form that
/// fills the fields in the wrong order fails its test.
fn sample_value(field: &Field, index: usize) -> String {
    match field.ty {
        TypeRef::Integer => (42 + index).to_string(),
        _ => format!("sample{}", index + 1),
    }
}

/// The sample value of the row's `index`-th field as `Debug` prints it.
fn sample_debug(field: &Field, index: usize) -> String {
    match field.ty {
        TypeRef::Integer => sample_value(field, index),
        _ => format!("{:?}", sample_value(field, index)),
    }
}

/// A server text for `matcher`: the text itself, joined with another message for `contains`,
/// or with each field's sample value in a pattern's placeholders ([`sample_value`]).
fn sample_text(row: &ErrorRow, matcher: &Matcher) -> String {
    match matcher.mode {
        MatchMode::Exact => matcher.text.clone(),
        MatchMode::Contains => format!("{}<br>Another message.", matcher.text),
        // Any text: one in the portal's language, which only the code can tell (and which no
        // earlier row's English text is part of).
        MatchMode::Code => "Текст ошибки на языке портала".to_owned(),
        MatchMode::Pattern => {
            let mut text = String::new();
            for (i, literal) in matcher.literals.iter().enumerate() {
                text.push_str(literal);
                let field = matcher
                    .fields
                    .get(i)
                    .and_then(|&index| row.fields.get(index).map(|field| (index, field)));
                if let Some((index, field)) = field {
                    text.push_str(&sample_value(field, index));
                }
            }
            text
        }
    }
}

fn event_data(event: &Event) -> EventData {
    let examples = event
        .spec
        .examples
        .iter()
        .map(|example| {
            let parsed: serde_json::Value = serde_json::from_str(&example.body).unwrap_or_default();
            EventExample {
                name: example.name.trim().to_owned(),
                json: example.body.clone(),
                form: form_encode(&parsed),
                secrets: secrets(&parsed),
            }
        })
        .collect();
    EventData {
        event: event.spec.event.clone(),
        code: event.spec.code.clone(),
        examples,
    }
}

/// The credentials in a payload's `auth` (the runtime's `EventAuth` keeps them as
/// `SecretText`): their values must never show in `Debug`.
fn secrets(payload: &serde_json::Value) -> Vec<String> {
    let auth = payload.get("auth");
    contract::EVENT_AUTH_SECRETS
        .iter()
        .filter_map(|key| auth?.get(*key)?.as_str())
        .filter(|secret| !secret.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A JSON payload as the PHP-style form a portal posts (`data[FIELDS][POST_ID]=209`).
fn form_encode(value: &serde_json::Value) -> String {
    let mut pairs = Vec::new();
    flatten(String::new(), value, &mut pairs);
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", percent(key), percent(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn flatten(prefix: String, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    let key = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}[{name}]")
        }
    };
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .for_each(|(name, child)| flatten(key(name), child, out)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, child)| flatten(key(&i.to_string()), child, out)),
        serde_json::Value::String(text) => out.push((prefix, text.clone())),
        serde_json::Value::Null => out.push((prefix, String::new())),
        other => out.push((prefix, other.to_string())),
    }
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
