//! One scope's spec data (`spec_data.json` beside the scope's generated modules): each
//! method's request and response examples and error forms, each event's example payloads.
//!
//! The generator writes it (pretty-printed, keys in this order); the runtime's conformance
//! checker runs every entry through the real decoder and client, and the mock portal answers
//! from it. Unknown keys are refused, so a file from another version of the generator is an
//! error rather than silently half-read.

use serde::{Deserialize, Serialize};

/// One scope's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeData {
    /// Wire name of the scope (`log`).
    pub scope: String,
    /// Its methods, sorted by wire name.
    pub methods: Vec<MethodData>,
    /// Its events, sorted by code.
    pub events: Vec<EventData>,
}

/// What the spec says about one method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodData {
    /// Wire name (`log.blogpost.share`): what `Method::NAME` finds.
    pub method: String,
    /// Whether the method is REST 3.0's (`api: v3`): a v2 and a v3 method may share a wire
    /// name, and `Method::API` tells them apart. Left out when `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rest_v3: bool,
    /// Whether the method may run inside `batch`.
    pub batch: bool,
    /// Request bodies that decode into the request and encode back byte for byte.
    pub requests: Vec<RequestExample>,
    /// Response bodies, in the spec's order (the mock portal picks them by position).
    pub responses: Vec<ResponseExample>,
    /// The error table, in the spec's order.
    pub error_rows: Vec<ErrorRowData>,
}

/// A request body example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestExample {
    /// What the example shows.
    pub name: String,
    /// The body, exactly as sent.
    pub body: String,
}

/// A response example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseExample {
    /// What the example shows.
    pub name: String,
    /// The HTTP status the server answers with.
    pub status: u16,
    /// The body exactly as the server sends it.
    pub body: String,
    /// What it must decode to.
    pub expect: Expect,
}

impl ResponseExample {
    /// Whether the example is a success (not one of the method's or the system errors).
    pub fn is_success(&self) -> bool {
        self.expect == Expect::Success
    }
}

/// What a response example must decode to: `"success"`, `{"method_error": "WrongPostId"}`,
/// `{"system_error": "ExpiredToken"}` or `"unhandled"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// A success whose result equals the example's `result`.
    Success,
    /// The method's error row with this variant name.
    MethodError(String),
    /// The system error with this variant name.
    SystemError(String),
    /// The method error's `Unhandled` variant: an error no row lists.
    Unhandled,
}

/// One row of a method's error table, with the answers that must reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRowData {
    /// Variant name of the method's error enum (`WrongPostId`).
    pub variant: String,
    /// HTTP status the server answers with.
    pub status: u16,
    /// What the mock portal sends for the row: its own code and text, a pattern's
    /// placeholders filled with the sample values of `captures`.
    pub answer: ErrorAnswer,
    /// Every (code, text) the decoder must recognise as the row: each form of the row, its
    /// code as written and in both cases, a `contains` text joined with another message.
    pub forms: Vec<ErrorAnswer>,
    /// The captured fields as `Debug` prints them with the sample values (`user_id: 42`).
    pub captures: Vec<String>,
}

/// An error's `error` code and `error_description` text, as a server sends them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorAnswer {
    /// The `error` code.
    pub code: String,
    /// The `error_description` text.
    pub text: String,
}

/// What the spec says about one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventData {
    /// The payload type (`OnLiveFeedPostAdd`).
    pub event: String,
    /// The `event` code (`ONLIVEFEEDPOSTADD`): what `EventFields::CODE` finds.
    pub code: String,
    /// Example payloads.
    pub examples: Vec<EventExample>,
}

/// An example payload of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventExample {
    /// What the example shows.
    pub name: String,
    /// The payload as the documentation shows it (JSON).
    pub json: String,
    /// The same payload as the form portals really post (`data[FIELDS][POST_ID]=209`).
    pub form: String,
    /// Credentials in its `auth` that `Debug` must never print.
    pub secrets: Vec<String>,
}

/// The keys of an event's `auth` object that are credentials: the runtime's `EventAuth` keeps
/// them as `SecretText`, and the spec data lists their values in each example's `secrets`, so
/// that the conformance checks can tell they never show in `Debug`.
pub const EVENT_AUTH_SECRETS: &[&str] = &["access_token", "refresh_token", "application_token"];

/// Parses one scope's file.
pub fn parse(json: &str) -> Result<ScopeData, serde_json::Error> {
    serde_json::from_str(json)
}

/// The file as the generator writes it: pretty-printed, one trailing newline.
pub fn write(data: &ScopeData) -> String {
    let mut json = serde_json::to_string_pretty(data).expect("the spec data has only string keys");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_data_parses_back_and_unknown_keys_are_refused() {
        let data = ScopeData {
            scope: "demo".into(),
            methods: vec![MethodData {
                method: "demo.ping".into(),
                rest_v3: false,
                batch: true,
                requests: vec![RequestExample {
                    name: "ping".into(),
                    body: "{}".into(),
                }],
                responses: vec![ResponseExample {
                    name: "denied".into(),
                    status: 403,
                    body: r#"{"error":"ACCESS_DENIED"}"#.into(),
                    expect: Expect::SystemError("AccessDenied".into()),
                }],
                error_rows: Vec::new(),
            }],
            events: Vec::new(),
        };
        let json = write(&data);
        assert!(json.ends_with("}\n"));
        assert_eq!(parse(&json).unwrap(), data);
        assert!(!data.methods[0].responses[0].is_success());
        let extra = json.replacen("\"scope\"", "\"extra\": 1, \"scope\"", 1);
        assert!(
            parse(&extra)
                .unwrap_err()
                .to_string()
                .contains("unknown field")
        );
    }
}
