//! The spec data of every compiled scope: each method's request and response examples and
//! error forms, each event's example payloads. Generated as JSON beside the scope's modules
//! (`api/<scope>/spec_data.json`, in the shape of [`b24_rest_contract::spec_data`]), handed
//! over by the generated crate's [`SpecSource`], read once on first use.
//!
//! Two readers: the conformance checks ([`crate::conformance`], which every generated method
//! and event file calls) and the mock portal ([`crate::mock`]). Unreadable
//! data (a hand-edited file, a generator out of step with this runtime) is an error here,
//! never a panic: the mock portal answers with it and the tests fail with it.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};

use b24_rest_contract::spec_data::ScopeData;
pub(crate) use b24_rest_contract::spec_data::{EventData, MethodData};

/// A generated API as the mock portal and the conformance checks see it: its client type
/// and the spec data of its compiled scopes. Implemented by the generated crate (`b24_rest::Specs`).
pub trait SpecSource: 'static {
    /// The generated client: the runtime's [`Client`](crate::Client) with the API's accessors.
    type Client: From<crate::Client>;

    /// The spec data of every compiled scope, as (scope, JSON of
    /// [`b24_rest_contract::spec_data::ScopeData`]). Empty unless the generated crate is
    /// compiled for its tests or with its feature `mock`.
    fn spec_data() -> &'static [(&'static str, &'static str)];
}

/// The data of every compiled scope, by method wire name and REST version (a v2 and a v3
/// method may share a name) and by event code.
#[derive(Debug, Default)]
pub(crate) struct SpecData {
    methods: HashMap<(String, bool), MethodData>,
    events: HashMap<String, EventData>,
}

impl SpecData {
    /// The method with this wire name and REST version, if its scope is compiled.
    pub(crate) fn method(&self, name: &str, api: crate::ApiVersion) -> Option<&MethodData> {
        let v3 = api == crate::ApiVersion::V3;
        self.methods.get(&(name.to_owned(), v3))
    }

    /// The event with this code (any case), if its scope is compiled.
    #[cfg(feature = "conformance")]
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

/// The data of every compiled scope of `S`, parsed on first use and kept for the life of the
/// process (one entry per spec source; a process has one or two).
pub(crate) fn get<S: SpecSource>() -> Result<&'static SpecData, &'static SpecDataError> {
    get_sources(S::spec_data())
}

/// The data of these (scope, JSON) sources, parsed on first use and kept.
pub(crate) fn get_sources(
    sources: &[(&'static str, &'static str)],
) -> Result<&'static SpecData, &'static SpecDataError> {
    type Parsed = HashMap<Vec<(usize, usize)>, &'static Result<SpecData, SpecDataError>>;
    static DATA: OnceLock<Mutex<Parsed>> = OnceLock::new();
    // Where the texts are tells one source from another: two literals at one address with
    // one length are the same text.
    let key = sources
        .iter()
        .map(|(_, json)| (json.as_ptr() as usize, json.len()))
        .collect();
    let mut parsed = DATA
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let data = *parsed
        .entry(key)
        .or_insert_with(|| Box::leak(Box::new(parse(sources))));
    data.as_ref()
}

/// The spec data of `M`, from its scope's data ([`Method::spec_data`](crate::Method)):
/// `Ok(None)` when it has none (a method defined by hand, or a crate compiled without its
/// tests and feature `mock`).
pub(crate) fn method_of<M: crate::Method>()
-> Result<Option<&'static MethodData>, &'static SpecDataError> {
    let (scope, json) = M::spec_data();
    if json.is_empty() {
        return Ok(None);
    }
    get_sources(&[(scope, json)]).map(|data| data.method(M::NAME, M::API))
}

/// Reads the files, given as (scope, JSON).
pub(crate) fn parse(sources: &[(&str, &str)]) -> Result<SpecData, SpecDataError> {
    let mut data = SpecData::default();
    for &(scope, json) in sources {
        let file = format!("src/api/{scope}/spec_data.json");
        let parsed: ScopeData = b24_rest_contract::spec_data::parse(json)
            .map_err(|e| SpecDataError(format!("`{file}` does not parse: {e}")))?;
        if parsed.scope != scope {
            return Err(SpecDataError(format!(
                "`{file}` holds the scope `{}`",
                parsed.scope
            )));
        }
        for method in parsed.methods {
            let name = method.method.clone();
            let key = (name.clone(), method.rest_v3);
            if data.methods.insert(key, method).is_some() {
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
}
