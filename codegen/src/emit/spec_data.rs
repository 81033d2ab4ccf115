//! `api/<scope>/spec_data.json`: the spec's examples and error forms of every method and
//! event of one scope, as data.
//!
//! The generated crate reads these files (`runtime/spec_data.rs`, compiled for its tests and
//! with the feature `mock`): the generic conformance checks (`runtime/conformance.rs`) run
//! each method's and event's entries through the real decoder and client, and the mock
//! portal (`runtime/mock/`) answers from them. Data, not code: nothing here goes through
//! `syn` and `prettyplease`, and no file grows with the whole API.
//!
//! The shape is written here (`Serialize`) and read by the runtime (`Deserialize`, unknown
//! keys refused); a test of the runtime parses every scope's file, so the two cannot drift
//! apart unnoticed.

use serde::Serialize;

use super::API_DIR;
use crate::GeneratedFile;
use crate::model::{ErrorRow, Event, Field, Matcher, Method, Model, Scope, TypeRef};
use crate::spec::{MatchMode, ResponseExample};

/// One scope's file.
#[derive(Serialize)]
struct ScopeData<'a> {
    /// Wire name of the scope (`log`).
    scope: &'a str,
    /// Its methods, sorted by wire name.
    methods: Vec<MethodData<'a>>,
    /// Its events, sorted by code.
    events: Vec<EventData<'a>>,
}

#[derive(Serialize)]
struct MethodData<'a> {
    /// Wire name (`log.blogpost.share`): what `Method::NAME` finds.
    method: &'a str,
    /// Whether the method may run inside `batch`.
    batch: bool,
    /// Request bodies that decode into the request and encode back byte for byte.
    requests: Vec<Example<'a>>,
    /// Response bodies, in the spec's order (the mock portal picks them by position).
    responses: Vec<Response<'a>>,
    /// The error table, in the spec's order.
    error_rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Example<'a> {
    name: &'a str,
    body: &'a str,
}

#[derive(Serialize)]
struct Response<'a> {
    name: &'a str,
    status: u16,
    body: &'a str,
    expect: Expect<'a>,
}

/// What a response example decodes to: `"success"`, `{"method_error": "WrongPostId"}` or
/// `{"system_error": "ExpiredToken"}` (the runtime also reads `"unhandled"`).
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Expect<'a> {
    Success,
    MethodError(&'a str),
    SystemError(&'a str),
}

#[derive(Serialize)]
struct Row<'a> {
    /// Variant name of the method's error enum.
    variant: &'a str,
    status: u16,
    /// What the mock portal sends for the row: its own code and text, a pattern's
    /// placeholders filled with the sample values of `captures`.
    answer: Form,
    /// Every (code, text) the decoder must recognise as the row: each form of the row, its
    /// code as written and in both cases, a `contains` text joined with another message.
    forms: Vec<Form>,
    /// The captured fields as `Debug` prints them with the sample values (`user_id: 42`).
    captures: Vec<String>,
}

#[derive(Serialize)]
struct Form {
    code: String,
    text: String,
}

#[derive(Serialize)]
struct EventData<'a> {
    /// The payload type (`OnLiveFeedPostAdd`).
    event: &'a str,
    /// The `event` code (`ONLIVEFEEDPOSTADD`): what `EventFields::CODE` finds.
    code: &'a str,
    examples: Vec<EventExample<'a>>,
}

#[derive(Serialize)]
struct EventExample<'a> {
    name: &'a str,
    /// The payload as the documentation shows it (JSON).
    json: &'a str,
    /// The same payload as the form portals really post (`data[FIELDS][POST_ID]=209`).
    form: String,
    /// Credentials in its `auth` that `Debug` must never print.
    secrets: Vec<String>,
}

/// `api/<scope>/spec_data.json`: pretty-printed, keys in a fixed order, one trailing newline.
pub fn file(model: &Model, scope: &Scope) -> GeneratedFile {
    let mut methods: Vec<MethodData<'_>> = scope
        .methods
        .iter()
        .map(|method| method_data(model, method))
        .collect();
    methods.sort_by(|a, b| a.method.cmp(b.method));
    let mut events: Vec<EventData<'_>> = scope
        .events
        .iter()
        .map(|event| event_data(model, event))
        .collect();
    events.sort_by(|a, b| a.code.cmp(b.code));
    let data = ScopeData {
        scope: &scope.wire,
        methods,
        events,
    };
    let mut contents =
        serde_json::to_string_pretty(&data).expect("the spec data has only string keys");
    contents.push('\n');
    GeneratedFile {
        path: format!(
            "{API_DIR}/{}/spec_data.json",
            scope.module.trim_start_matches("r#")
        ),
        contents,
    }
}

fn method_data<'a>(model: &'a Model, method: &'a Method) -> MethodData<'a> {
    let examples = &method.spec.examples;
    MethodData {
        method: &method.spec.method,
        batch: method.spec.batch,
        requests: examples
            .requests
            .iter()
            .map(|example| Example {
                name: example.name.trim(),
                body: &example.body,
            })
            .collect(),
        responses: examples
            .responses
            .iter()
            .map(|example| Response {
                name: example.name.trim(),
                status: example.status,
                body: &example.body,
                expect: expect(model, example),
            })
            .collect(),
        error_rows: method.errors.iter().map(row).collect(),
    }
}

fn expect<'a>(model: &'a Model, example: &'a ResponseExample) -> Expect<'a> {
    if let Some(row) = &example.error {
        return Expect::MethodError(row);
    }
    let Some(code) = &example.system_error else {
        return Expect::Success;
    };
    // The model has checked that the code is in the table; were it not, the raw code stands
    // in for the variant and the check fails naming it.
    let variant = model
        .system_errors
        .spec
        .errors
        .iter()
        .find(|row| row.code.eq_ignore_ascii_case(code))
        .map_or(code.as_str(), |row| row.name.as_str());
    Expect::SystemError(variant)
}

fn row(row: &ErrorRow) -> Row<'_> {
    // The row's own form comes first; a `contains` text is sent alone, as a server does when
    // nothing else failed.
    let answer = Form {
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
        forms.extend(codes.into_iter().map(|code| Form {
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
    Row {
        variant: &row.spec.name,
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
        MatchMode::Pattern => {
            let mut text = String::new();
            for (i, literal) in matcher.literals.iter().enumerate() {
                text.push_str(literal);
                let field = matcher.captures.get(i).and_then(|capture| {
                    row.fields
                        .iter()
                        .enumerate()
                        .find(|(_, field)| &field.wire == capture)
                });
                if let Some((index, field)) = field {
                    text.push_str(&sample_value(field, index));
                }
            }
            text
        }
    }
}

fn event_data<'a>(model: &'a Model, event: &'a Event) -> EventData<'a> {
    // Fields of the `auth` object typed `secret`: their values must never show in `Debug`.
    let secret_keys: Vec<&str> = model
        .objects
        .iter()
        .filter(|object| object.spec.object == "EventAuth")
        .flat_map(|object| object.fields.iter())
        .filter(|field| field.ty == TypeRef::Secret)
        .map(|field| field.wire.as_str())
        .collect();
    let examples = event
        .spec
        .examples
        .iter()
        .map(|example| {
            let parsed: serde_json::Value = serde_json::from_str(&example.body).unwrap_or_default();
            let auth = parsed.get("auth");
            let secrets = secret_keys
                .iter()
                .filter_map(|key| auth?.get(*key)?.as_str())
                .filter(|secret| !secret.is_empty())
                .map(str::to_owned)
                .collect();
            EventExample {
                name: example.name.trim(),
                json: &example.body,
                form: form_encode(&parsed),
                secrets,
            }
        })
        .collect();
    EventData {
        event: &event.spec.event,
        code: &event.spec.code,
        examples,
    }
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
