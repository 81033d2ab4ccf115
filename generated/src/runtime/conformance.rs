//! The conformance checks every generated method's tests run: its spec's examples and error
//! table are data in the generated file, and these functions check them through the real
//! decoder (and, with `mock`, the real client).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::runtime::decode::decode_response;
use crate::runtime::error::Error;
use crate::runtime::method::{Method, MethodError};

/// What a response example must decode to.
pub(crate) enum Expect {
    /// A success whose result equals the example's `result`.
    Success,
    /// The method error row with this variant name.
    Row(&'static str),
    /// The system error with this variant name.
    System(&'static str),
}

/// A request example decodes into the request and encodes back to the same bytes.
pub(crate) fn request_round_trips<M: Method + DeserializeOwned>(body: &str) {
    let request: M = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("{body} does not decode into {}: {e}", M::NAME));
    let encoded = serde_json::to_string(&request).expect("the request encodes");
    assert_eq!(
        encoded,
        body,
        "{} does not encode back byte for byte",
        M::NAME
    );
}

/// A response example decodes to what the spec says, keeping the raw status, code and text.
pub(crate) fn response_decodes<M: Method>(status: u16, body: &str, expect: Expect)
where
    M::Output: PartialEq + std::fmt::Debug,
{
    let outcome = decode_response::<M>(status, body.as_bytes());
    let parsed: Value = serde_json::from_str(body).unwrap_or_default();
    let (kind, name) = match expect {
        Expect::Success => {
            let response = outcome.unwrap_or_else(|e| panic!("{body} gave {e:?}"));
            let expected: M::Output = serde_json::from_value(parsed["result"].clone())
                .expect("the example's result decodes");
            assert_eq!(response.result, expected, "{body}");
            let has_time = parsed.get("time").is_some_and(Value::is_object);
            assert_eq!(response.time.is_some(), has_time, "the time of {body}");
            return;
        }
        Expect::Row(name) => ("row", name),
        Expect::System(name) => ("system error", name),
    };
    let error = outcome.expect_err("the example is an error");
    let variant = match (&error, kind) {
        (Error::Method(error), "row") => error.variant_name(),
        (Error::System(error), "system error") => error.variant_name(),
        _ => "",
    };
    assert_eq!(
        variant, name,
        "{body} gave {error:?}, expected the {kind} {name}"
    );
    let meta = error.meta().expect("the raw error is kept");
    assert_eq!(meta.status(), status);
    if let Some(code) = parsed.get("error").and_then(Value::as_str) {
        assert_eq!(meta.code(), code);
    }
    if let Some(text) = parsed.get("error_description").and_then(Value::as_str) {
        assert_eq!(meta.description(), text);
    }
}

/// Every (code, text) form of an error row reaches its variant, keeping status, code and text;
/// `captures` are the captured fields as `Debug` shows them (`user_id: 42`).
pub(crate) fn row_is_recognised<M: Method>(
    row: &str,
    status: u16,
    forms: &[(&str, &str)],
    captures: &[&str],
) where
    M::Output: std::fmt::Debug,
{
    for &(code, text) in forms {
        let body = serde_json::json!({ "error": code, "error_description": text }).to_string();
        match decode_response::<M>(status, body.as_bytes()) {
            Err(Error::Method(error)) if error.variant_name() == row => {
                let meta = error.meta();
                assert_eq!(
                    (meta.status(), meta.code(), meta.description()),
                    (status, code, text)
                );
                let printed = format!("{error:?}");
                for capture in captures {
                    assert!(printed.contains(capture), "{printed} lacks {capture}");
                }
            }
            other => panic!("{code:?} {text:?} gave {other:?}, expected the row {row}"),
        }
    }
}

/// An error no row lists lands in `Unhandled`, kept whole with its extra keys.
pub(crate) fn unlisted_error_is_kept<M: Method>()
where
    M::Output: std::fmt::Debug,
{
    let body = br#"{"error":"B24_REST_UNLISTED","error_description":"A failure no table lists","argument":"POST_ID"}"#;
    match decode_response::<M>(418, body) {
        Err(Error::Method(error)) if error.variant_name() == "Unhandled" => {
            let meta = error.meta();
            assert_eq!(meta.status(), 418);
            assert_eq!(meta.code(), "B24_REST_UNLISTED");
            assert_eq!(meta.description(), "A failure no table lists");
            assert_eq!(meta.extra().get("argument"), Some(&Value::from("POST_ID")));
        }
        other => panic!("gave {other:?}"),
    }
}

/// The request example, sent by the real client to the mock portal, arrives as sent and gets
/// the spec's success answer.
#[cfg(feature = "mock")]
pub(crate) async fn call_succeeds<M: Method + DeserializeOwned>(body: &str)
where
    M::Output: std::fmt::Debug,
{
    let portal = crate::mock::MockPortal::start();
    let request: M = serde_json::from_str(body).expect("the example decodes into the request");
    let outcome = portal.client().send(&request).await;
    assert!(outcome.is_ok(), "the call failed: {outcome:?}");
    let calls = portal.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].method, M::NAME);
    let sent: Value = serde_json::from_str(body).expect("the example is JSON");
    assert_eq!(calls[0].body, sent);
}
