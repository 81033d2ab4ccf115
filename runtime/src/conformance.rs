//! The conformance checks every generated method's and event's tests run (feature
//! `conformance`). The spec's examples and error table are data (`api/<scope>/spec_data.json`,
//! which the generated `Method::spec_data` hands over); each generated test names its type,
//! these functions find its data by `Method::NAME` or `EventFields::CODE` and check every entry
//! through the real decoder and the real client against the mock portal. A failure names the
//! method or event and every example that fails, not only the first.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::decode::decode_response;
use crate::error::Error;
use crate::event::{Event, EventError, EventFields};
use crate::method::{ErrorRows, Method, MethodError};
use std::marker::PhantomData;

use crate::client::Client;
use crate::spec_data::{self, MethodData, SpecSource};
use b24_rest_contract::spec_data::{ErrorAnswer, ErrorRowData, Expect, ResponseExample};

/// `M`'s spec data; the test fails when there is none (a scope's data not generated or not
/// embedded would otherwise pass every check unseen) or when it is another method's.
fn method_data<M: Method>() -> &'static MethodData {
    match spec_data::method_of::<M>() {
        Ok(Some(data)) => {
            assert_eq!(
                data.batch,
                M::BATCH,
                "{}: the spec data and the request disagree on `batch`",
                M::NAME
            );
            data
        }
        Ok(None) => panic!(
            "`{}` has no spec data: `cargo xtask gen` writes it",
            M::NAME
        ),
        Err(error) => panic!("{error}"),
    }
}

/// Fails the test when any check failed, listing each failure under `subject`; a check with
/// nothing to check fails too (the generator emits a test only where the spec has data).
fn report(subject: &str, what: &str, results: Vec<(String, Result<(), String>)>) {
    assert!(!results.is_empty(), "{subject}: no {what} in its spec data");
    let total = results.len();
    let failures: Vec<String> = results
        .into_iter()
        .filter_map(|(label, result)| result.err().map(|why| format!("- {label}: {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{subject}: {} of {total} {what} fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `Err(message)` unless `condition`.
fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}

/// Every request example decodes into the request and encodes back to the same bytes.
pub fn request_examples_round_trip<M: Method + DeserializeOwned>() {
    let results = method_data::<M>()
        .requests
        .iter()
        .map(|example| {
            let label = format!("request example `{}`", example.name);
            let result = serde_json::from_str::<M>(&example.body)
                .map_err(|e| format!("{} does not decode into the request: {e}", example.body))
                .and_then(|request| {
                    let encoded = serde_json::to_string(&request).map_err(|e| e.to_string())?;
                    ensure(encoded == example.body, || {
                        format!("{} encodes back as {encoded}", example.body)
                    })
                });
            (label, result)
        })
        .collect();
    report(M::NAME, "request examples", results);
}

/// Every response example decodes to what the spec says, keeping the raw status, code and
/// text.
pub fn response_examples_decode<M: Method>()
where
    M::Output: PartialEq + Debug,
{
    let results = method_data::<M>()
        .responses
        .iter()
        .map(|example| {
            let label = format!("response example `{}` ({})", example.name, example.status);
            (label, response_decodes::<M>(example))
        })
        .collect();
    report(M::NAME, "response examples", results);
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
    let data = method_data::<M>();
    // The method's own table (what the client classifies with) must parse and name every
    // row's variant, in the spec's order: a table that did not parse would leave every
    // error unhandled.
    let table = b24_rest_contract::error_table::parse_table(<M::Error as ErrorRows>::error_table())
        .map_err(|error| format!("its error table does not parse: {error}"))
        .and_then(|rows| {
            let table: Vec<&str> = rows.iter().map(|row| row.variant.as_str()).collect();
            let spec: Vec<&str> = data
                .error_rows
                .iter()
                .map(|row| row.variant.as_str())
                .collect();
            ensure(table == spec, || {
                format!("its error table names {table:?}, the spec {spec:?}")
            })
        });
    let results = std::iter::once(("error table".to_owned(), table))
        .chain(data.error_rows.iter().flat_map(|row| {
            row.forms.iter().map(move |form| {
                let label = format!(
                    "error row {} with ({:?}, {:?})",
                    row.variant, form.code, form.text
                );
                (label, form_is_recognised::<M>(row, form))
            })
        }))
        .collect();
    report(M::NAME, "error forms", results);
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
    let body = br#"{"error":"B24_REST_UNLISTED","error_description":"A failure no table lists","argument":"POST_ID"}"#;
    match decode_response::<M>(418, body) {
        Err(Error::Method(error)) if error.variant_name() == "Unhandled" => {
            let meta = error.meta();
            assert_eq!(meta.status(), 418, "{}", M::NAME);
            assert_eq!(meta.code(), "B24_REST_UNLISTED", "{}", M::NAME);
            assert_eq!(
                meta.description(),
                "A failure no table lists",
                "{}",
                M::NAME
            );
            assert_eq!(
                meta.extra().get("argument"),
                Some(&Value::from("POST_ID")),
                "{}",
                M::NAME
            );
        }
        other => panic!("{}: an unlisted error gave {other:?}", M::NAME),
    }
}

/// The first request example, sent by the real client to the mock portal, arrives as sent
/// and gets the spec's success answer.
pub async fn a_call_succeeds_against_the_mock_portal<M: Method + DeserializeOwned>()
where
    M::Output: Debug,
{
    let Some(example) = method_data::<M>().requests.first() else {
        panic!("{}: no request example in its spec data", M::NAME)
    };
    let label = format!("{}: request example `{}`", M::NAME, example.name);
    let portal = crate::mock::MockPortal::<ScopeOf<M>>::start();
    let request: M = serde_json::from_str(&example.body)
        .unwrap_or_else(|e| panic!("{label} does not decode into the request: {e}"));
    let outcome = portal.client().send(&request).await;
    assert!(
        outcome.is_ok(),
        "{label} failed against the mock portal: {outcome:?}"
    );
    let calls = portal.calls();
    assert_eq!(calls.len(), 1, "{label}");
    assert_eq!(calls[0].method, M::NAME, "{label}");
    let sent: Value = serde_json::from_str(&example.body).expect("the example is JSON");
    assert_eq!(calls[0].body, sent, "{label} did not arrive as sent");
}

/// Every example payload of the event decodes, as JSON and as the form portals really send,
/// to the same event, and none of its credentials shows in `Debug`.
pub fn event_examples_decode<F: EventFields + PartialEq + Debug>() {
    let (scope, json) = F::spec_data();
    let sources: &'static [(&'static str, &'static str)] = Box::leak(Box::new([(scope, json)]));
    let data = match spec_data::get_sources(sources).map(|data| data.event(F::CODE)) {
        Ok(Some(data)) => data,
        Ok(None) => panic!("the event `{}` has no spec data", F::CODE),
        Err(error) => panic!("{error}"),
    };
    let results = data
        .examples
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
        .collect();
    report(&data.event, "payload examples", results);
}

/// A payload of another event is refused, not read as this one.
pub fn another_event_is_refused<F: EventFields + Debug>() {
    let body = br#"{"event":"B24_REST_OTHER_EVENT","event_handler_id":"1","data":{"FIELDS":{}},"ts":"1","auth":{}}"#;
    match Event::<F>::from_json(body) {
        Err(EventError::WrongEvent { .. }) => {}
        other => panic!("{}: a payload of another event gave {other:?}", F::CODE),
    }
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
