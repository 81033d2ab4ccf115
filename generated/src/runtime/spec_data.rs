//! The spec data of every compiled scope: each method's request and response examples and
//! error forms, each event's example payloads. Generated as JSON beside the scope's modules
//! (`api/<scope>/spec_data.json`, embedded by `api::SPEC_DATA`), read once on first use.
//!
//! Two readers: the conformance tests (`runtime::conformance`, which every generated method
//! and event file calls) and the mock portal (`runtime::mock`, feature `mock`). Unreadable
//! data (a hand-edited file, a generator out of step with this runtime) is an error here,
//! never a panic: the mock portal answers with it and the tests fail with it.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

/// One scope's file (`api/<scope>/spec_data.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeData {
    scope: String,
    methods: Vec<MethodData>,
    events: Vec<EventData>,
}

/// What the spec says about one method.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MethodData {
    /// Wire name (`log.blogpost.share`).
    pub(crate) method: String,
    /// Whether the method may run inside `batch`.
    pub(crate) batch: bool,
    /// Request bodies, exactly as sent.
    #[cfg_attr(not(test), allow(dead_code, reason = "read by the conformance tests"))]
    pub(crate) requests: Vec<RequestExample>,
    /// Response bodies with their status and expected outcome, in the spec's order.
    pub(crate) responses: Vec<ResponseExample>,
    /// The error table, in the spec's order.
    pub(crate) error_rows: Vec<ErrorRow>,
}

/// A request body example.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(test), allow(dead_code, reason = "read by the conformance tests"))]
pub(crate) struct RequestExample {
    pub(crate) name: String,
    pub(crate) body: String,
}

/// A response example.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResponseExample {
    pub(crate) name: String,
    pub(crate) status: u16,
    /// The body exactly as the server sends it.
    pub(crate) body: String,
    pub(crate) expect: Expect,
}

impl ResponseExample {
    /// Whether the example is a success (not one of the method's or the system errors).
    pub(crate) fn is_success(&self) -> bool {
        self.expect == Expect::Success
    }
}

/// What a response example must decode to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Expect {
    /// A success whose result equals the example's `result`.
    Success,
    /// The method's error row with this variant name.
    MethodError(String),
    /// The system error with this variant name.
    SystemError(String),
    /// The method error's `Unhandled` variant: an error no row lists.
    Unhandled,
}

/// One row of a method's error table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorRow {
    /// Variant name (`WrongPostId`).
    pub(crate) variant: String,
    /// HTTP status the server answers with.
    pub(crate) status: u16,
    /// What the mock portal sends for the row: its own code and text, with sample values in
    /// a pattern's placeholders.
    pub(crate) answer: ErrorForm,
    /// Every (code, text) that must decode to the row.
    #[cfg_attr(not(test), allow(dead_code, reason = "read by the conformance tests"))]
    pub(crate) forms: Vec<ErrorForm>,
    /// The captured fields as `Debug` prints them with the sample values (`user_id: 42`).
    #[cfg_attr(not(test), allow(dead_code, reason = "read by the conformance tests"))]
    pub(crate) captures: Vec<String>,
}

/// An error's `error` code and `error_description` text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorForm {
    pub(crate) code: String,
    pub(crate) text: String,
}

/// What the spec says about one event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(test), allow(dead_code, reason = "read by the conformance tests"))]
pub(crate) struct EventData {
    /// The payload type (`OnLiveFeedPostAdd`).
    pub(crate) event: String,
    /// The `event` code (`ONLIVEFEEDPOSTADD`).
    pub(crate) code: String,
    pub(crate) examples: Vec<EventExample>,
}

/// An example payload of an event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(test), allow(dead_code, reason = "read by the conformance tests"))]
pub(crate) struct EventExample {
    pub(crate) name: String,
    /// As the documentation shows it.
    pub(crate) json: String,
    /// The same payload as the form portals post.
    pub(crate) form: String,
    /// Credentials in its `auth` that `Debug` must never print.
    pub(crate) secrets: Vec<String>,
}

/// The data of every compiled scope, by method wire name and by event code.
#[derive(Debug, Default)]
pub(crate) struct SpecData {
    methods: HashMap<String, MethodData>,
    events: HashMap<String, EventData>,
}

impl SpecData {
    /// The method with this wire name, if its scope is compiled.
    pub(crate) fn method(&self, name: &str) -> Option<&MethodData> {
        self.methods.get(name)
    }

    /// The event with this code (any case), if its scope is compiled.
    #[cfg(test)]
    pub(crate) fn event(&self, code: &str) -> Option<&EventData> {
        self.events.get(&code.to_ascii_uppercase())
    }
}

/// Why the spec data cannot be read: a generated file that does not parse, or two scopes
/// that define the same method or event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpecDataError(String);

impl fmt::Display for SpecDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the spec data of b24-rest is unreadable ({}); regenerate it with `cargo xtask gen`",
            self.0
        )
    }
}

impl std::error::Error for SpecDataError {}

/// The data of every compiled scope, parsed on first use.
pub(crate) fn get() -> Result<&'static SpecData, &'static SpecDataError> {
    static DATA: OnceLock<Result<SpecData, SpecDataError>> = OnceLock::new();
    DATA.get_or_init(|| parse(crate::api::SPEC_DATA)).as_ref()
}

/// The spec data of `method`: `Ok(None)` when no compiled scope specifies it.
pub(crate) fn method(name: &str) -> Result<Option<&'static MethodData>, &'static SpecDataError> {
    get().map(|data| data.method(name))
}

/// Reads the files, given as (scope, JSON).
pub(crate) fn parse(sources: &[(&str, &str)]) -> Result<SpecData, SpecDataError> {
    let mut data = SpecData::default();
    for &(scope, json) in sources {
        let file = format!("src/api/{scope}/spec_data.json");
        let parsed: ScopeData = serde_json::from_str(json)
            .map_err(|e| SpecDataError(format!("`{file}` does not parse: {e}")))?;
        if parsed.scope != scope {
            return Err(SpecDataError(format!(
                "`{file}` holds the scope `{}`",
                parsed.scope
            )));
        }
        for method in parsed.methods {
            let name = method.method.clone();
            if data.methods.insert(name.clone(), method).is_some() {
                return Err(SpecDataError(format!("`{name}` is in two scopes")));
            }
        }
        for event in parsed.events {
            let code = event.code.to_ascii_uppercase();
            if data.events.insert(code.clone(), event).is_some() {
                return Err(SpecDataError(format!(
                    "the event `{code}` is in two scopes"
                )));
            }
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compiled_scope_parses() {
        let data = get().unwrap_or_else(|e| panic!("{e}"));
        for &(scope, json) in crate::api::SPEC_DATA {
            let file: ScopeData = serde_json::from_str(json).expect("checked by get()");
            assert_eq!(file.scope, scope);
            assert!(
                !file.methods.is_empty() || !file.events.is_empty(),
                "the scope `{scope}` has no data"
            );
            for method in &file.methods {
                assert!(data.method(&method.method).is_some(), "{}", method.method);
            }
            for event in &file.events {
                assert!(data.event(&event.code).is_some(), "{}", event.code);
            }
        }
        #[cfg(feature = "log")]
        assert!(data.method("log.blogpost.share").is_some());
    }

    #[test]
    fn unreadable_data_is_an_error_not_a_panic() {
        let error = parse(&[("demo", "{\"scope\": \"demo\", \"methods\": [")]).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("src/api/demo/spec_data.json"), "{message}");
        assert!(message.contains("cargo xtask gen"), "{message}");

        let unknown_key = r#"{"scope":"demo","methods":[],"events":[],"extra":1}"#;
        assert!(parse(&[("demo", unknown_key)]).is_err());
        let wrong_scope = r#"{"scope":"other","methods":[],"events":[]}"#;
        assert!(parse(&[("demo", wrong_scope)]).is_err());

        let method = r#"{"scope":"SCOPE","methods":[{"method":"demo.ping","batch":true,
            "requests":[],"responses":[],"error_rows":[]}],"events":[]}"#;
        let twice = parse(&[
            ("a", &method.replace("SCOPE", "a")),
            ("b", &method.replace("SCOPE", "b")),
        ]);
        assert!(
            twice
                .unwrap_err()
                .to_string()
                .contains("`demo.ping` is in two scopes")
        );
    }

    #[test]
    fn expected_outcomes_read_as_documented() {
        let read = |json: &str| serde_json::from_str::<Expect>(json).unwrap();
        assert_eq!(read(r#""success""#), Expect::Success);
        assert_eq!(read(r#""unhandled""#), Expect::Unhandled);
        assert_eq!(
            read(r#"{"method_error":"WrongPostId"}"#),
            Expect::MethodError("WrongPostId".into())
        );
        assert_eq!(
            read(r#"{"system_error":"ExpiredToken"}"#),
            Expect::SystemError("ExpiredToken".into())
        );
    }
}
