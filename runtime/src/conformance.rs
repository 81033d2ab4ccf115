//! The conformance checks of the generated methods and events (feature `conformance`). The
//! spec's examples and error table are data (`api/<scope>/spec_data.json`, which the generated
//! `Method::spec_data` hands over); the checks find a method's data by `Method::NAME` (an
//! event's by `EventFields::CODE`) and run every entry through the real decoder, and through
//! the real client against the mock portal.
//!
//! Each generated scope module has one test per kind of check, run over every method of the
//! scope: it lists them once ([`Methods`] of [`method`], [`Events`] of [`event`]) and calls
//! the check on the list, e.g. `METHODS.request_examples_round_trip()`. A failing test names
//! every method and example that fails, not only the first. The same checks run for a single
//! method too (`request_examples_round_trip::<M>()`, …), for tests written by hand.

use std::fmt::Debug;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::decode::decode_response;
use crate::error::Error;
use crate::event::{Event, EventError, EventFields};
use crate::method::{ErrorRows, Method, MethodError};
use crate::mock::{MockCall, MockPortal};
use crate::spec_data::{self, MethodData, SpecSource};
use b24_rest_contract::spec_data::{ErrorAnswer, ErrorRowData, Expect, ResponseExample};

/// The outcome of one check on one method or event: each entry (an example, an error form)
/// with its label and what failed. Empty when the spec has nothing for the check.
type Checked = Vec<(String, Result<(), String>)>;

/// A future of a check, borrowing what it runs against.
type CheckFuture<'a> = Pin<Box<dyn Future<Output = Checked> + 'a>>;

/// One method's checks, made by [`method`] for its scope's list ([`Methods`]).
#[derive(Clone, Copy)]
pub struct MethodChecks {
    name: &'static str,
    spec_data: fn() -> (&'static str, &'static str),
    requests: fn() -> Checked,
    responses: fn() -> Checked,
    error_rows: fn() -> Checked,
    unlisted: fn() -> Checked,
    call: for<'a> fn(&'a dyn Portal) -> CheckFuture<'a>,
    portal: fn() -> Box<dyn Portal>,
}

impl Debug for MethodChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("MethodChecks").field(&self.name).finish()
    }
}

/// The checks of the method `M`, for its scope's list.
pub const fn method<M: Method + DeserializeOwned>() -> MethodChecks
where
    M::Output: PartialEq + Debug,
{
    MethodChecks {
        name: M::NAME,
        spec_data: M::spec_data,
        requests: request_results::<M>,
        responses: response_results::<M>,
        error_rows: error_row_results::<M>,
        unlisted: unlisted_results::<M>,
        call: call_results::<M>,
        portal: start_portal::<M>,
    }
}

/// Every method of a scope, each check run over all of them: one test per kind of check.
///
/// A method the spec gives nothing to check (no request example, say) adds nothing to that
/// check; a check with nothing to check in the whole scope fails, since the generator writes
/// a test only where the spec has data for it.
#[derive(Debug, Clone, Copy)]
pub struct Methods(pub &'static [MethodChecks]);

impl Methods {
    /// Every request example decodes into its request and encodes back to the same
    /// parameters: the same top-level keys (in any order), each value the same JSON text
    /// (nested order kept: an `order` map's order is the sort).
    pub fn request_examples_round_trip(&self) {
        self.report("request examples", |m| (m.requests)());
    }

    /// Every response example decodes to what the spec says, keeping the raw status, code
    /// and text.
    pub fn response_examples_decode(&self) {
        self.report("response examples", |m| (m.responses)());
    }

    /// Each method's error table parses and names the spec's rows in order, and every
    /// (code, text) form of every row reaches its variant.
    pub fn error_rows_are_recognised(&self) {
        self.report("error forms", |m| (m.error_rows)());
    }

    /// An error no row lists lands in `Unhandled`, kept whole with its extra keys.
    pub fn unlisted_errors_are_kept(&self) {
        self.report("unlisted errors", |m| (m.unlisted)());
    }

    /// Each method's first request example, sent by the real client to one mock portal,
    /// arrives as sent and gets the spec's success answer (methods with a request example
    /// and a success response).
    pub async fn calls_succeed_against_the_mock_portal(&self) {
        let Some(first) = self.0.first() else {
            panic!("no methods to call")
        };
        let portal = (first.portal)();
        let mut results = Vec::new();
        for checks in self.0 {
            results.push((checks.name, (checks.call)(portal.as_ref()).await));
        }
        report_all(&self.subject(), "calls to the mock portal", results);
    }

    fn report(&self, what: &str, check: impl Fn(&MethodChecks) -> Checked) {
        let results = self.0.iter().map(|m| (m.name, check(m))).collect();
        report_all(&self.subject(), what, results);
    }

    fn subject(&self) -> String {
        match self.0.first() {
            Some(first) => format!("scope `{}`", (first.spec_data)().0),
            None => "no methods".to_owned(),
        }
    }
}

/// One event's checks, made by [`event`] for its scope's list ([`Events`]).
#[derive(Clone, Copy)]
pub struct EventChecks {
    code: &'static str,
    spec_data: fn() -> (&'static str, &'static str),
    payloads: fn() -> Checked,
    other_event: fn() -> Checked,
}

impl Debug for EventChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("EventChecks").field(&self.code).finish()
    }
}

/// The checks of the event whose `data.FIELDS` are `F`, for its scope's list.
pub const fn event<F: EventFields + PartialEq + Debug>() -> EventChecks {
    EventChecks {
        code: F::CODE,
        spec_data: F::spec_data,
        payloads: payload_results::<F>,
        other_event: other_event_results::<F>,
    }
}

/// Every event of a scope, each check run over all of them.
#[derive(Debug, Clone, Copy)]
pub struct Events(pub &'static [EventChecks]);

impl Events {
    /// Every example payload of every event decodes, as JSON and as the form portals really
    /// send, to the same event, and none of its credentials shows in `Debug`.
    pub fn payload_examples_decode(&self) {
        self.report("payload examples", |e| (e.payloads)());
    }

    /// A payload of another event is refused, not read as this one.
    pub fn other_events_are_refused(&self) {
        self.report("payloads of other events", |e| (e.other_event)());
    }

    fn report(&self, what: &str, check: impl Fn(&EventChecks) -> Checked) {
        let results = self.0.iter().map(|e| (e.code, check(e))).collect();
        let subject = match self.0.first() {
            Some(first) => format!("scope `{}`", (first.spec_data)().0),
            None => "no events".to_owned(),
        };
        report_all(&subject, what, results);
    }
}

/// Fails the test when any check failed, listing each failure under its method or event;
/// a check with nothing to check at all fails too.
fn report_all(subject: &str, what: &str, results: Vec<(&str, Checked)>) {
    let total: usize = results.iter().map(|(_, checked)| checked.len()).sum();
    assert!(total > 0, "{subject}: no {what} in its spec data");
    let failures: Vec<String> = results
        .into_iter()
        .flat_map(|(name, checked)| {
            checked.into_iter().filter_map(move |(label, result)| {
                result
                    .err()
                    .map(|why| format!("- `{name}`, {label}: {why}"))
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{subject}: {} of {total} {what} fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// [`report_all`] of one method or event.
fn report(name: &str, what: &str, checked: Checked) {
    assert!(!checked.is_empty(), "`{name}`: no {what} in its spec data");
    let total = checked.len();
    let failures: Vec<String> = checked
        .into_iter()
        .filter_map(|(label, result)| result.err().map(|why| format!("- {label}: {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "`{name}`: {} of {total} {what} fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `Err(message)` unless `condition`.
fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}

/// `M`'s spec data; an error when there is none (a scope's data not generated or not
/// embedded would otherwise pass every check unseen) or when it is another method's.
fn method_data<M: Method>() -> Result<&'static MethodData, String> {
    match spec_data::method_of::<M>() {
        Ok(Some(data)) if data.batch != M::BATCH => {
            Err("the spec data and the request disagree on `batch`".to_owned())
        }
        Ok(Some(data)) => Ok(data),
        Ok(None) => Err("no spec data: `cargo xtask gen` writes it".to_owned()),
        Err(error) => Err(error.to_string()),
    }
}

/// `M`'s spec data, or the one failed entry that says why there is none.
fn with_data<M: Method>(check: impl FnOnce(&'static MethodData) -> Checked) -> Checked {
    match method_data::<M>() {
        Ok(data) => check(data),
        Err(why) => vec![("spec data".to_owned(), Err(why))],
    }
}

/// Every request example decodes into the request and encodes back to the same parameters
/// (see [`Methods::request_examples_round_trip`]).
pub fn request_examples_round_trip<M: Method + DeserializeOwned>() {
    report(M::NAME, "request examples", request_results::<M>());
}

fn request_results<M: Method + DeserializeOwned>() -> Checked {
    with_data::<M>(|data| {
        data.requests
            .iter()
            .map(|example| {
                let label = format!("request example `{}`", example.name);
                (label, round_trip::<M>(&example.body))
            })
            .collect()
    })
}

/// `body` decodes into the request, which encodes back to the same top-level keys, each with
/// the same JSON text.
fn round_trip<M: Method + DeserializeOwned>(body: &str) -> Result<(), String> {
    let request: M = serde_json::from_str(body)
        .map_err(|e| format!("{body} does not decode into the request: {e}"))?;
    let encoded = serde_json::to_string(&request).map_err(|e| e.to_string())?;
    let objects = (
        serde_json::from_str::<Map<String, Value>>(body),
        serde_json::from_str::<Map<String, Value>>(&encoded),
    );
    let (Ok(example), Ok(back)) = objects else {
        // Not an object: compared whole.
        return ensure(encoded == body, || {
            format!("{body} encodes back as {encoded}")
        });
    };
    let text = |value: &Value| serde_json::to_string(value).unwrap_or_default();
    let mut differences = Vec::new();
    for (key, value) in &example {
        match back.get(key) {
            None => differences.push(format!("`{key}` is lost")),
            Some(other) if text(other) != text(value) => differences.push(format!(
                "`{key}` encodes back as {}, not {}",
                text(other),
                text(value)
            )),
            Some(_) => {}
        }
    }
    for (key, value) in &back {
        if !example.contains_key(key) {
            differences.push(format!("`{key}` is added ({})", text(value)));
        }
    }
    ensure(differences.is_empty(), || differences.join("; "))
}

/// Every response example decodes to what the spec says, keeping the raw status, code and
/// text.
pub fn response_examples_decode<M: Method>()
where
    M::Output: PartialEq + Debug,
{
    report(M::NAME, "response examples", response_results::<M>());
}

fn response_results<M: Method>() -> Checked
where
    M::Output: PartialEq + Debug,
{
    with_data::<M>(|data| {
        data.responses
            .iter()
            .map(|example| {
                let label = format!("response example `{}` ({})", example.name, example.status);
                (label, response_decodes::<M>(example))
            })
            .collect()
    })
}

fn response_decodes<M: Method>(example: &ResponseExample) -> Result<(), String>
where
    M::Output: PartialEq + Debug,
{
    let body = &example.body;
    let outcome = decode_response::<M>(example.status, body.as_bytes());
    let parsed: Value = serde_json::from_str(body).unwrap_or_default();
    let (kind, name) = match &example.expect {
        Expect::Success => {
            let response = outcome.map_err(|e| format!("{body} gave {e:?}, expected a success"))?;
            let expected: M::Output = serde_json::from_value(parsed["result"].clone())
                .map_err(|e| format!("the `result` of {body} does not decode: {e}"))?;
            ensure(response.result == expected, || {
                format!("{body} decoded to {:?}", response.result)
            })?;
            let has_time = parsed.get("time").is_some_and(Value::is_object);
            return ensure(response.time.is_some() == has_time, || {
                format!("the time of {body} decoded to {:?}", response.time)
            });
        }
        Expect::MethodError(name) => ("row", name.as_str()),
        Expect::SystemError(name) => ("system error", name.as_str()),
        Expect::Unhandled => ("row", "Unhandled"),
    };
    let error = match outcome {
        Ok(response) => {
            return Err(format!(
                "{body} gave the success {:?}, expected the {kind} {name}",
                response.result
            ));
        }
        Err(error) => error,
    };
    let variant = match (&error, kind) {
        (Error::Method(error), "row") => error.variant_name(),
        (Error::System(error), "system error") => error.variant_name(),
        _ => "",
    };
    ensure(variant == name, || {
        format!("{body} gave {error:?}, expected the {kind} {name}")
    })?;
    let meta = error
        .meta()
        .ok_or_else(|| format!("{error:?} does not keep the raw error"))?;
    ensure(meta.status() == example.status, || {
        format!("the status became {}", meta.status())
    })?;
    if let Some(code) = parsed.get("error").and_then(Value::as_str) {
        ensure(meta.code() == code, || {
            format!("the code became {:?}", meta.code())
        })?;
    }
    if let Some(text) = parsed.get("error_description").and_then(Value::as_str) {
        ensure(meta.description() == text, || {
            format!("the text became {:?}", meta.description())
        })?;
    }
    Ok(())
}

/// Every (code, text) form of every error row reaches its variant, keeping status, code and
/// text, with the captured fields showing in `Debug` (`user_id: 42`).
pub fn error_rows_are_recognised<M: Method>()
where
    M::Output: Debug,
{
    report(M::NAME, "error forms", error_row_results::<M>());
}

fn error_row_results<M: Method>() -> Checked
where
    M::Output: Debug,
{
    with_data::<M>(|data| {
        // The method's own table (what the client classifies with) must parse and name every
        // row's variant, in the spec's order: a table that did not parse would leave every
        // error unhandled.
        let table =
            b24_rest_contract::error_table::parse_table(<M::Error as ErrorRows>::error_table())
                .map_err(|error| format!("it does not parse: {error}"))
                .and_then(|rows| {
                    let table: Vec<&str> = rows.iter().map(|row| row.variant.as_str()).collect();
                    let spec: Vec<&str> = data
                        .error_rows
                        .iter()
                        .map(|row| row.variant.as_str())
                        .collect();
                    ensure(table == spec, || {
                        format!("it names {table:?}, the spec {spec:?}")
                    })
                });
        std::iter::once(("error table".to_owned(), table))
            .chain(data.error_rows.iter().flat_map(|row| {
                row.forms.iter().map(move |form| {
                    let label = format!(
                        "error row {} with ({:?}, {:?})",
                        row.variant, form.code, form.text
                    );
                    (label, form_is_recognised::<M>(row, form))
                })
            }))
            .collect()
    })
}

fn form_is_recognised<M: Method>(row: &ErrorRowData, form: &ErrorAnswer) -> Result<(), String>
where
    M::Output: Debug,
{
    let body = serde_json::json!({ "error": form.code, "error_description": form.text });
    match decode_response::<M>(row.status, body.to_string().as_bytes()) {
        Err(Error::Method(error)) if error.variant_name() == row.variant => {
            let meta = error.meta();
            let kept = (meta.status(), meta.code(), meta.description());
            ensure(
                kept == (row.status, form.code.as_str(), form.text.as_str()),
                || format!("kept as {kept:?}"),
            )?;
            let printed = format!("{error:?}");
            for capture in &row.captures {
                ensure(printed.contains(capture.as_str()), || {
                    format!("{printed} lacks {capture}")
                })?;
            }
            Ok(())
        }
        other => Err(format!("gave {other:?}")),
    }
}

/// An error no row lists lands in `Unhandled`, kept whole with its extra keys.
pub fn unlisted_error_is_kept<M: Method>()
where
    M::Output: Debug,
{
    report(M::NAME, "unlisted errors", unlisted_results::<M>());
}

fn unlisted_results<M: Method>() -> Checked
where
    M::Output: Debug,
{
    let body = br#"{"error":"B24_REST_UNLISTED","error_description":"A failure no table lists","argument":"POST_ID"}"#;
    let result = match decode_response::<M>(418, body) {
        Err(Error::Method(error)) if error.variant_name() == "Unhandled" => {
            let meta = error.meta();
            let kept = (meta.status(), meta.code(), meta.description());
            ensure(
                kept == (418, "B24_REST_UNLISTED", "A failure no table lists")
                    && meta.extra().get("argument") == Some(&Value::from("POST_ID")),
                || format!("kept as {meta:?}"),
            )
        }
        other => Err(format!("gave {other:?}")),
    };
    vec![("an unlisted error".to_owned(), result)]
}

/// The first request example, sent by the real client to the mock portal, arrives as sent
/// and gets the spec's success answer.
pub async fn a_call_succeeds_against_the_mock_portal<M: Method + DeserializeOwned>()
where
    M::Output: Debug,
{
    let portal = start_portal::<M>();
    report(
        M::NAME,
        "calls to the mock portal",
        call_results::<M>(portal.as_ref()).await,
    );
}

/// A mock portal, as the calls of a scope's methods see it: all of them go to one portal
/// (it answers from the scope's data).
trait Portal {
    /// A webhook client to it.
    fn client(&self) -> &Client;
    /// The calls it received since the last time.
    fn take_calls(&self) -> Vec<MockCall>;
}

/// A portal answering from `M`'s scope, with its client.
struct ScopePortal<M> {
    portal: MockPortal<ScopeOf<M>>,
    client: Client,
}

impl<M: Method> Portal for ScopePortal<M> {
    fn client(&self) -> &Client {
        &self.client
    }

    fn take_calls(&self) -> Vec<MockCall> {
        let calls = self.portal.calls();
        self.portal.clear_calls();
        calls
    }
}

fn start_portal<M: Method>() -> Box<dyn Portal> {
    let portal = MockPortal::<ScopeOf<M>>::start();
    let client = portal.client();
    Box::new(ScopePortal { portal, client })
}

fn call_results<M: Method + DeserializeOwned>(portal: &dyn Portal) -> CheckFuture<'_>
where
    M::Output: Debug,
{
    Box::pin(async move {
        let data = match method_data::<M>() {
            Ok(data) => data,
            Err(why) => return vec![("spec data".to_owned(), Err(why))],
        };
        let success = data
            .responses
            .iter()
            .any(|r| r.is_success() && (200..300).contains(&r.status));
        let Some(example) = data.requests.first().filter(|_| success) else {
            // Nothing to send, or no success for the portal to answer with.
            return Vec::new();
        };
        let label = format!("request example `{}`", example.name);
        vec![(label, call_succeeds::<M>(portal, &example.body).await)]
    })
}

/// One call, and what the portal received.
async fn call_succeeds<M: Method + DeserializeOwned>(
    portal: &dyn Portal,
    body: &str,
) -> Result<(), String>
where
    M::Output: Debug,
{
    let request: M = serde_json::from_str(body)
        .map_err(|e| format!("{body} does not decode into the request: {e}"))?;
    portal.take_calls();
    let outcome = portal.client().send(&request).await;
    let calls = portal.take_calls();
    outcome.map_err(|e| format!("failed against the mock portal: {e:?}"))?;
    let [call] = calls.as_slice() else {
        return Err(format!("made {} calls", calls.len()));
    };
    ensure(call.method == M::NAME, || {
        format!("called `{}`", call.method)
    })?;
    let sent: Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    ensure(call.body == sent, || {
        format!("arrived as {}, not as sent", call.body)
    })
}

/// Every example payload of the event decodes, as JSON and as the form portals really send,
/// to the same event, and none of its credentials shows in `Debug`.
pub fn event_examples_decode<F: EventFields + PartialEq + Debug>() {
    report(F::CODE, "payload examples", payload_results::<F>());
}

fn payload_results<F: EventFields + PartialEq + Debug>() -> Checked {
    let (scope, json) = F::spec_data();
    let data = match spec_data::get_sources(&[(scope, json)]).map(|data| data.event(F::CODE)) {
        Ok(Some(data)) => data,
        Ok(None) => return vec![("spec data".to_owned(), Err("none".to_owned()))],
        Err(error) => return vec![("spec data".to_owned(), Err(error.to_string()))],
    };
    data.examples
        .iter()
        .map(|example| {
            let label = format!("payload example `{}`", example.name);
            let result = Event::<F>::from_json(example.json.as_bytes())
                .map_err(|e| format!("the JSON does not decode: {e}"))
                .and_then(|event| {
                    ensure(event.event == F::CODE, || {
                        format!("the event code became {:?}", event.event)
                    })?;
                    let from_form = Event::<F>::from_form(example.form.as_bytes())
                        .map_err(|e| format!("the form does not decode: {e}"))?;
                    ensure(from_form == event, || {
                        format!("the form decodes to {from_form:?}, the JSON to {event:?}")
                    })?;
                    let printed = format!("{event:?}");
                    ensure(
                        !example.secrets.iter().any(|s| printed.contains(s.as_str())),
                        || "a credential shows in Debug".to_owned(),
                    )
                });
            (label, result)
        })
        .collect()
}

/// A payload of another event is refused, not read as this one.
pub fn another_event_is_refused<F: EventFields + Debug>() {
    report(
        F::CODE,
        "payloads of other events",
        other_event_results::<F>(),
    );
}

fn other_event_results<F: EventFields + Debug>() -> Checked {
    let body = br#"{"event":"B24_REST_OTHER_EVENT","event_handler_id":"1","data":{"FIELDS":{}},"ts":"1","auth":{}}"#;
    let result = match Event::<F>::from_json(body) {
        Err(EventError::WrongEvent { .. }) => Ok(()),
        other => Err(format!("gave {other:?}")),
    };
    vec![("a payload of another event".to_owned(), result)]
}

/// The spec data of `M`'s scope as a source for the mock portal.
struct ScopeOf<M>(PhantomData<M>);

impl<M: Method> SpecSource for ScopeOf<M> {
    type Client = Client;

    fn spec_data() -> &'static [(&'static str, &'static str)] {
        // One small slice per portal a test starts; the data itself is parsed once.
        Box::leak(Box::new([M::spec_data()]))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::ErrorMeta;

    /// A scope of two methods: `demo.ping` keeps the order of its `ORDER` map, `demo.pong`
    /// sorts it (as a method whose map type forgot the order would).
    const DATA: &str = r#"{"scope": "demo", "methods": [
        {"method": "demo.ping", "batch": true,
         "requests": [{"name": "keys in another order", "body": "{\"ORDER\":{\"B\":\"ASC\",\"A\":\"DESC\"},\"ID\":1}"}],
         "responses": [{"name": "done", "status": 200, "body": "{\"result\":true}", "expect": "success"}],
         "error_rows": [{"variant": "Busy", "status": 503, "answer": {"code": "BUSY", "text": "Busy"},
                         "forms": [{"code": "BUSY", "text": "Busy"}, {"code": "busy", "text": "Busy"}], "captures": []}]},
        {"method": "demo.pong", "batch": true,
         "requests": [{"name": "sorted", "body": "{\"ID\":1,\"ORDER\":{\"A\":\"DESC\",\"B\":\"ASC\"}}"},
                      {"name": "unsorted", "body": "{\"ID\":1,\"ORDER\":{\"B\":\"ASC\",\"A\":\"DESC\"}}"},
                      {"name": "unknown key", "body": "{\"ID\":1,\"OTHER\":2}"}],
         "responses": [{"name": "not a row", "status": 400, "body": "{\"error\":\"BUSY\",\"error_description\":\"Busy\"}", "expect": "unhandled"}],
         "error_rows": []}
    ], "events": []}"#;

    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Ping {
        #[serde(rename = "ID")]
        id: i64,
        #[serde(rename = "ORDER")]
        order: Map<String, Value>,
    }

    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Pong {
        #[serde(rename = "ID")]
        id: i64,
        #[serde(rename = "ORDER", default, skip_serializing_if = "Option::is_none")]
        order: Option<BTreeMap<String, String>>,
    }

    #[derive(Clone)]
    enum PingError {
        Busy(ErrorMeta),
        Unhandled(ErrorMeta),
    }

    crate::__method_error!(
        PingError[Busy],
        r#"[{"variant":"Busy","forms":[{"codes":["BUSY"],"exact":"Busy"}]}]"#
    );

    #[derive(Clone)]
    enum PongError {
        Unhandled(ErrorMeta),
    }

    crate::__method_error!(PongError[]);

    impl Method for Ping {
        const NAME: &'static str = "demo.ping";
        const SAFE_TO_REPEAT: bool = true;
        const BATCH: bool = true;
        type Output = bool;
        type Error = PingError;

        fn spec_data() -> (&'static str, &'static str) {
            ("demo", DATA)
        }
    }

    impl Method for Pong {
        const NAME: &'static str = "demo.pong";
        const SAFE_TO_REPEAT: bool = true;
        const BATCH: bool = true;
        type Output = bool;
        type Error = PongError;

        fn spec_data() -> (&'static str, &'static str) {
            ("demo", DATA)
        }
    }

    const PING: &[MethodChecks] = &[method::<Ping>()];
    const BOTH: &[MethodChecks] = &[method::<Ping>(), method::<Pong>()];

    /// The message the check fails with.
    fn failure(check: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let payload = std::panic::catch_unwind(check).expect_err("the check fails");
        match payload.downcast::<String>() {
            Ok(message) => *message,
            Err(payload) => (*payload.downcast::<&str>().expect("a message")).to_owned(),
        }
    }

    #[test]
    fn top_level_keys_are_a_set_and_nested_order_counts() {
        Methods(PING).request_examples_round_trip();
        request_examples_round_trip::<Ping>();
        let message = failure(|| Methods(BOTH).request_examples_round_trip());
        assert!(
            message.starts_with("scope `demo`: 2 of 4 request examples fail:\n"),
            "{message}"
        );
        assert!(
            message.contains(
                "- `demo.pong`, request example `unsorted`: `ORDER` encodes back as \
                 {\"A\":\"DESC\",\"B\":\"ASC\"}, not {\"B\":\"ASC\",\"A\":\"DESC\"}"
            ),
            "{message}"
        );
        let unknown = "- `demo.pong`, request example `unknown key`: {\"ID\":1,\"OTHER\":2} does \
                       not decode into the request: unknown field `OTHER`";
        assert!(message.contains(unknown), "{message}");
        assert!(!message.contains("`sorted`"), "{message}");
    }

    #[test]
    fn each_check_runs_over_every_method() {
        let checks = Methods(BOTH);
        checks.response_examples_decode();
        checks.error_rows_are_recognised();
        checks.unlisted_errors_are_kept();
        response_examples_decode::<Pong>();
        error_rows_are_recognised::<Ping>();
        unlisted_error_is_kept::<Pong>();
    }

    #[tokio::test]
    async fn calls_go_to_one_portal_and_methods_without_a_success_are_skipped() {
        Methods(BOTH).calls_succeed_against_the_mock_portal().await;
        a_call_succeeds_against_the_mock_portal::<Ping>().await;
    }

    #[test]
    fn a_scope_without_anything_to_check_fails() {
        let nothing = || report_all("scope `demo`", "request examples", vec![("demo.x", vec![])]);
        let message = failure(nothing);
        assert_eq!(
            message,
            "scope `demo`: no request examples in its spec data"
        );
    }
}
