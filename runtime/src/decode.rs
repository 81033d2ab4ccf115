//! The single decoding path: a portal's answer (status and body bytes) in, a typed outcome out.
//!
//! The success path reads the body once: it borrows `result` as a raw JSON slice (decoded next,
//! into the method's type) and decodes `time` in place; the error paths, which are rare, build a
//! `serde_json` map to keep every key of the error body.

use std::fmt;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorMeta};
use crate::method::{Method, MethodError, Response};
use crate::system_error::SystemError;
use crate::text;
use crate::time::Time;

/// The longest decode message kept (serde messages can quote whole values).
const MAX_MESSAGE_CHARS: usize = 300;

/// Decodes a portal's answer to method `M`.
///
/// - A body with an `error` key (any status; a string, integer or REST v3 object code) is an
///   error: a [`SystemError`] when the code is one, otherwise the method's own error row (or
///   its `Unhandled` variant). So is a non-empty `error_description` without `error` on a
///   non-2xx status (code `""`).
/// - A 2xx body with `result` decodes `result` into `M::Output` ([`Error::Decode`] when it does
///   not fit) and `time` leniently (a malformed `time` becomes `None`).
/// - Anything else (empty, non-JSON, truncated JSON, JSON that is not an object, a non-2xx
///   status without an error) is [`Error::UnexpectedAnswer`] with a short excerpt.
///
/// Never panics, whatever the bytes.
pub fn decode_response<M: Method>(
    status: u16,
    body: &[u8],
) -> Result<Response<M::Output>, Error<M::Error>> {
    decode_answer::<M>(status, None, body, None)
}

/// [`decode_response`] with the `Content-Type` (for `UnexpectedAnswer`) and a secret to redact
/// from every text the error keeps.
pub(crate) fn decode_answer<M: Method>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    secret: Option<&str>,
) -> Result<Response<M::Output>, Error<M::Error>> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let unexpected = |reason: String| Error::UnexpectedAnswer {
        status,
        content_type: content_type.map(|ct| text::clip_escaped(ct, 100, false)),
        excerpt: text::excerpt(body, secret),
        reason,
    };
    let is_success = (200..300).contains(&status);

    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err(unexpected("empty body".into())),
        Some(b'{') => {}
        Some(b'<') => return Err(unexpected("an HTML page instead of JSON".into())),
        Some(_) => {
            let looks_html =
                content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html"));
            let reason = match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Ok(_) => "JSON that is not an object".to_owned(),
                Err(_) if looks_html => "an HTML page instead of JSON".to_owned(),
                Err(e) => json_failure(&e),
            };
            return Err(unexpected(reason));
        }
    }

    // Fast path: a success envelope, decoded without building a tree. Only a success status
    // can take it, so an error status goes straight to the tree (one parse, not two).
    if is_success {
        match serde_json::from_slice::<Envelope<'_>>(body) {
            Ok(envelope) => {
                let has_error = envelope.error.is_some_and(|e| e.get() != "null");
                let result = envelope.result.filter(|_| !has_error);
                if let Some(result) = result {
                    let paging = Paging {
                        next: envelope.next.and_then(|raw| page_number(raw.get())),
                        total: envelope.total.and_then(|raw| page_number(raw.get())),
                    };
                    return decode_success::<M>(
                        status,
                        result.get(),
                        envelope.time,
                        paging,
                        secret,
                    );
                }
            }
            // A data error here is e.g. a duplicated key: the tree below still reads it.
            Err(e) if e.is_data() => {}
            Err(e) => return Err(unexpected(json_failure(&e))),
        }
    }

    // Slow path: errors and odd envelopes.
    let mut map = match serde_json::from_slice::<Map<String, Value>>(body) {
        Ok(map) => map,
        Err(e) => return Err(unexpected(json_failure(&e))),
    };
    if map.get("error").is_some_and(|error| !error.is_null()) {
        return Err(classify(error_body_meta(status, map), secret));
    }
    let description = map
        .shift_remove("error_description")
        .map(value_text)
        .unwrap_or_default();
    let has_result = map.contains_key("result");
    if !description.trim().is_empty() && (!is_success || !has_result) {
        let meta = ErrorMeta::new(status, "", description).with_extra(map);
        return Err(classify(meta, secret));
    }
    if !is_success {
        return Err(unexpected(format!("HTTP {status} without an error object")));
    }
    match map.remove("result") {
        Some(result) => {
            let paging = Paging {
                next: map.get("next").and_then(|v| page_number(&v.to_string())),
                total: map.get("total").and_then(|v| page_number(&v.to_string())),
            };
            let time = map.remove("time").and_then(Time::decode_lenient);
            let result = result.to_string();
            decode_success::<M>(status, &result, time, paging, secret)
        }
        None => Err(unexpected(
            "a JSON object without `result` or `error`".into(),
        )),
    }
}

/// The keys the success path needs, borrowed from the body. `null` values are kept as
/// `Some("null")` so that a `null` result is told apart from a missing one.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    /// Decoded in place, leniently: a `time` that is not an object is `None`; an object that
    /// does not decode as [`Time`] fails the fast path, and the slow path makes it `None`.
    #[serde(default, deserialize_with = "time_if_object")]
    time: Option<Time>,
    #[serde(borrow, default, deserialize_with = "present")]
    error: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    next: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    total: Option<&'a RawValue>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(deserializer).map(Some)
}

/// `time` when it is an object; `None` (its value skipped) when it is anything else.
fn time_if_object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Time>, D::Error> {
    struct TimeIfObject;

    impl<'de> Visitor<'de> for TimeIfObject {
        type Value = Option<Time>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Time>, A::Error> {
            Time::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Time>, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }

        fn visit_unit<E>(self) -> Result<Option<Time>, E> {
            Ok(None)
        }

        fn visit_bool<E>(self, _: bool) -> Result<Option<Time>, E> {
            Ok(None)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Option<Time>, E> {
            Ok(None)
        }

        fn visit_u64<E>(self, _: u64) -> Result<Option<Time>, E> {
            Ok(None)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Option<Time>, E> {
            Ok(None)
        }

        fn visit_str<E>(self, _: &str) -> Result<Option<Time>, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(TimeIfObject)
}

/// `next` and `total` of a list method's answer.
struct Paging {
    next: Option<u64>,
    total: Option<u64>,
}

/// A paging number: a JSON number or a string of digits; anything else is ignored.
fn page_number(raw: &str) -> Option<u64> {
    raw.trim().trim_matches('"').parse().ok()
}

fn decode_success<M: Method>(
    status: u16,
    result: &str,
    time: Option<Time>,
    paging: Paging,
    secret: Option<&str>,
) -> Result<Response<M::Output>, Error<M::Error>> {
    match crate::de::output_from_str::<M::Output>(result) {
        Ok(result) => Ok(Response {
            result,
            time,
            next: paging.next,
            total: paging.total,
        }),
        Err(e) => Err(Error::Decode {
            status,
            message: text::clip_escaped(
                &text::redact(&e.to_string(), secret),
                MAX_MESSAGE_CHARS,
                false,
            ),
            excerpt: text::excerpt(result.as_bytes(), secret),
            result: text::redact(result, secret).into_owned(),
        }),
    }
}

/// Why bytes that start like JSON are not a usable JSON object.
fn json_failure(error: &serde_json::Error) -> String {
    match error.classify() {
        serde_json::error::Category::Eof => "truncated JSON (the body ends early)".to_owned(),
        serde_json::error::Category::Syntax => format!("not valid JSON ({error})"),
        serde_json::error::Category::Data => format!("not a JSON object ({error})"),
        serde_json::error::Category::Io => format!("unreadable body ({error})"),
    }
}

/// The raw error of an error body (a single call's answer, or one command's entry in a
/// `batch` answer): the `error` value (a string or integer code, or a REST v3 object
/// `{"code", "message", …}`), the `error_description` and every other key, kept. The one
/// reading of an error object that single calls and `batch` share.
pub(crate) fn error_body_meta(status: u16, mut body: Map<String, Value>) -> ErrorMeta {
    // `shift_remove`: the other keys stay in the server's order.
    let error = body.shift_remove("error").unwrap_or(Value::Null);
    let description = body
        .shift_remove("error_description")
        .map(value_text)
        .unwrap_or_default();
    let mut extra = body;
    match error {
        Value::Object(mut object) => {
            // REST v3: {"error": {"code": …, "message": …, …}}
            let code = object
                .shift_remove("code")
                .map(value_text)
                .unwrap_or_default();
            let message = object
                .shift_remove("message")
                .map(value_text)
                .unwrap_or_default();
            let description = if description.trim().is_empty() {
                message
            } else {
                description
            };
            for (key, value) in object {
                extra.entry(key).or_insert(value);
            }
            ErrorMeta::new(status, code, description).with_extra(extra)
        }
        other => ErrorMeta::new(status, value_text(other), description).with_extra(extra),
    }
}

/// A JSON value as text: strings as they are, `null` as `""`, anything else as compact JSON
/// (an integer code `200040300010` becomes `"200040300010"`).
fn value_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(crate) fn classify<E: MethodError>(mut meta: ErrorMeta, secret: Option<&str>) -> Error<E> {
    meta.redact(secret);
    // The method's rows first: they match code and text together, so they are the more
    // specific. Then the system table, by code alone. Then `Unhandled`.
    match E::match_row(meta) {
        Ok(row) => Error::Method(row),
        Err(meta) => match SystemError::from_meta(meta) {
            Ok(system) => Error::System(system),
            Err(meta) => Error::Method(E::unhandled(meta)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Retry;
    use crate::test_method::{Share, ShareError};

    fn decode(status: u16, body: &str) -> Result<Response<bool>, Error<ShareError>> {
        decode_response::<Share>(status, body.as_bytes())
    }

    fn meta_of(status: u16, body: &str) -> ErrorMeta {
        decode(status, body)
            .unwrap_err()
            .meta()
            .cloned()
            .expect("an error with meta")
    }

    /// A method whose result is a list of strings, to test decode failures.
    #[derive(serde::Serialize)]
    struct Ids;
    impl Method for Ids {
        const NAME: &'static str = "log.blogpost.getusers.important";
        const SAFE_TO_REPEAT: bool = true;
        const BATCH: bool = true;
        type Output = Vec<String>;
        type Error = ShareError;
    }

    /// A method whose result may be null.
    #[derive(serde::Serialize)]
    struct Nullable;
    impl Method for Nullable {
        const NAME: &'static str = "x.nullable";
        const SAFE_TO_REPEAT: bool = true;
        const BATCH: bool = true;
        type Output = Option<i64>;
        type Error = ShareError;
    }

    #[test]
    fn success_from_the_page() {
        let body = r#"{
            "result": true,
            "time": {
                "start": 1773814878,
                "finish": 1773814878.602921,
                "duration": 0.6029210090637207,
                "processing": 0,
                "date_start": "2026-03-18T09:21:18+02:00",
                "date_finish": "2026-03-18T09:21:18+02:00",
                "operating_reset_at": 1773815478,
                "operating": 0.284437894821167
            }
        }"#;
        let response = decode(200, body).unwrap();
        assert!(response.result);
        let time = response.time.unwrap();
        assert_eq!(time.start, Some(1773814878.0));
        assert_eq!(time.finish, Some(1773814878.602921));
        assert_eq!(time.processing, Some(0.0));
        assert_eq!(
            time.date_start.as_deref(),
            Some("2026-03-18T09:21:18+02:00")
        );
        assert_eq!(time.operating_reset_at, Some(1773815478.0));
        assert_eq!(time.operating, Some(0.284437894821167));
    }

    #[test]
    fn time_variants() {
        // Without operating fields (2022 answers).
        let r = decode(200, r#"{"result":true,"time":{"start":1.5,"finish":2.5,"duration":1,"processing":0.5,"date_start":"a","date_finish":"b"}}"#).unwrap();
        let t = r.time.unwrap();
        assert_eq!((t.operating, t.operating_reset_at), (None, None));
        assert_eq!(t.duration, Some(1.0));
        // Operating only, as integer 0.
        let t = decode(200, r#"{"result":true,"time":{"operating":0}}"#)
            .unwrap()
            .time
            .unwrap();
        assert_eq!(t.operating, Some(0.0));
        assert_eq!(t.operating_reset_at, None);
        // Unknown extra fields are tolerated.
        let t = decode(
            200,
            r#"{"time":{"start":1,"future_field":{"x":[1]},"operating":0.1},"result":true}"#,
        )
        .unwrap()
        .time
        .unwrap();
        assert_eq!(t.start, Some(1.0));
        assert_eq!(t.operating, Some(0.1));
        // Null fields.
        let t = decode(200, r#"{"result":true,"time":{"start":null}}"#)
            .unwrap()
            .time
            .unwrap();
        assert_eq!(t.start, None);
        // Missing, null or malformed time: None, and the call still succeeds.
        for body in [
            r#"{"result":true}"#,
            r#"{"result":true,"time":null}"#,
            r#"{"result":true,"time":"2026-03-18"}"#,
            r#"{"result":true,"time":{"start":"soon"}}"#,
            r#"{"result":true,"time":[1,2]}"#,
        ] {
            let r = decode(200, body).unwrap();
            assert!(r.result, "{body}");
            assert_eq!(r.time, None, "{body}");
        }
    }

    #[test]
    fn share_errors_have_empty_codes() {
        let err = decode(
            400,
            r#"{"error":"","error_description":"Wrong destinations"}"#,
        )
        .unwrap_err();
        assert_eq!(err.variant_name(), "WrongDestinations");
        assert_eq!(err.status(), Some(400));
        let meta = err.meta().unwrap();
        assert_eq!(meta.code(), "");
        assert_eq!(meta.description(), "Wrong destinations");
        assert!(meta.extra().is_empty());
        assert!(!err.may_have_run());
    }

    #[test]
    fn old_server_codes_keep_extra_keys() {
        let err = decode(
            400,
            r#"{"error":"ERROR_ARGUMENT","error_description":"Wrong post ID","argument":""}"#,
        )
        .unwrap_err();
        assert_eq!(err.variant_name(), "WrongPostId");
        let meta = err.meta().unwrap();
        assert_eq!(meta.code(), "ERROR_ARGUMENT");
        assert_eq!(
            meta.extra().get("argument"),
            Some(&Value::String(String::new()))
        );
    }

    #[test]
    fn integer_code() {
        let meta = meta_of(
            400,
            r#"{"error":200040300010,"error_description":"Access denied"}"#,
        );
        assert_eq!(meta.code(), "200040300010");
        assert_eq!(meta.description(), "Access denied");
        let err = decode(403, r#"{"error":403,"error_description":"No read perms"}"#).unwrap_err();
        assert_eq!(err.variant_name(), "NoReadPermission");
        assert_eq!(err.meta().unwrap().code(), "403");
    }

    #[test]
    fn rest_v3_error_object() {
        let err = decode(
            400,
            r#"{"error":{"code":"BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION","message":"Entity not found","validation":[{"field":"id"}]}}"#,
        )
        .unwrap_err();
        let meta = err.meta().unwrap();
        assert_eq!(
            meta.code(),
            "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION"
        );
        assert_eq!(meta.description(), "Entity not found");
        assert!(meta.extra().contains_key("validation"));
        assert_eq!(err.variant_name(), "Unhandled");
        // A v3 object with a system code.
        let err = decode(401, r#"{"error":{"code":"expired_token","message":"The access token provided has expired"}}"#)
            .unwrap_err();
        assert!(matches!(err, Error::System(SystemError::ExpiredToken(_))));
        // An integer code inside the object; no message.
        let meta = meta_of(500, r#"{"error":{"code":42}}"#);
        assert_eq!((meta.code(), meta.description()), ("42", ""));
    }

    #[test]
    fn missing_description() {
        let meta = meta_of(401, r#"{"error":"wrong_client","domain":"portal.example"}"#);
        assert_eq!(meta.code(), "wrong_client");
        assert_eq!(meta.description(), "");
        assert_eq!(
            meta.extra().get("domain").and_then(Value::as_str),
            Some("portal.example")
        );
        let meta = meta_of(400, r#"{"error":"X","error_description":null}"#);
        assert_eq!(meta.description(), "");
        let meta = meta_of(400, r#"{"error":"X","error_description":12}"#);
        assert_eq!(meta.description(), "12");
    }

    #[test]
    fn system_errors_any_case_and_status() {
        let err = decode(401, r#"{"error":"expired_token","error_description":"The access token provided has expired"}"#).unwrap_err();
        let Error::System(system) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(system.retry(), Retry::AfterTokenRefresh);
        assert_eq!(err.variant_name(), "ExpiredToken");
        let err = decode(
            503,
            r#"{"error":"query_limit_exceeded","error_description":"Too many requests"}"#,
        )
        .unwrap_err();
        assert!(
            matches!(&err, Error::System(SystemError::QueryLimitExceeded(m)) if m.code() == "query_limit_exceeded")
        );
        let err = decode(401, r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the webhook token"}"#).unwrap_err();
        assert_eq!(err.variant_name(), "InsufficientScope");
        assert_eq!(err.status(), Some(401));
        // Even on a 200.
        let err = decode(
            200,
            r#"{"error":"NO_AUTH_FOUND","error_description":"Wrong authorization data"}"#,
        )
        .unwrap_err();
        assert_eq!(err.variant_name(), "NoAuthFound");
        let err = decode(
            500,
            r#"{"error":"INTERNAL_SERVER_ERROR","error_description":"Internal server error"}"#,
        )
        .unwrap_err();
        assert!(err.may_have_run());
        let err = decode(
            503,
            r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#,
        )
        .unwrap_err();
        assert!(!err.may_have_run());
    }

    #[test]
    fn description_without_error_code() {
        let err = decode(400, r#"{"error_description":"Wrong post ID"}"#).unwrap_err();
        assert_eq!(err.variant_name(), "WrongPostId");
        assert_eq!(err.meta().unwrap().code(), "");
        // A null error is no error code.
        let err = decode(400, r#"{"error":null,"error_description":"Wrong post ID"}"#).unwrap_err();
        assert_eq!(err.variant_name(), "WrongPostId");
        // On a 200 with a result, a stray description is ignored.
        assert!(
            decode(200, r#"{"result":true,"error_description":"x"}"#)
                .unwrap()
                .result
        );
        // An empty description on a non-2xx: not an error object.
        let err = decode(500, r#"{"error_description":""}"#).unwrap_err();
        assert_eq!(err.variant_name(), "UnexpectedAnswer");
    }

    #[test]
    fn unexpected_answers() {
        let cases: &[(u16, &[u8], &str)] = &[
            (503, b"", "empty body"),
            (503, b"  \r\n ", "empty body"),
            (
                502,
                b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                "HTML",
            ),
            (200, br#"{"result": tr"#, "truncated"),
            (200, br#"{"result": true"#, "truncated"),
            (200, br#"{"result": true} trailing"#, "not valid JSON"),
            (200, b"true", "not an object"),
            (200, b"[1,2]", "not an object"),
            (200, b"\"ok\"", "not an object"),
            (200, b"Service unavailable", "not valid JSON"),
            (200, br#"{"time":{}}"#, "without `result` or `error`"),
            (
                500,
                br#"{"result":true}"#,
                "HTTP 500 without an error object",
            ),
            (404, br#"{}"#, "HTTP 404 without an error object"),
            (200, b"\xff\xfe{}", "not valid JSON"),
            (200, b"{\"result\":\"\xff\"}", "not valid JSON"),
        ];
        for (status, body, reason) in cases {
            let err = decode_response::<Share>(*status, body).unwrap_err();
            let Error::UnexpectedAnswer {
                status: s,
                reason: r,
                excerpt,
                ..
            } = &err
            else {
                panic!("{status} {body:?}: {err:?}")
            };
            assert_eq!(s, status);
            assert!(r.contains(reason), "{status} {body:?}: {r}");
            assert!(excerpt.chars().count() <= 201);
            assert_eq!(err.variant_name(), "UnexpectedAnswer");
        }
    }

    #[test]
    fn excerpt_is_short_and_escaped() {
        let mut page = String::from("<html>\n<head><title>502</title></head>");
        page.push_str(&"x".repeat(1000));
        let err = decode(502, &page).unwrap_err();
        let Error::UnexpectedAnswer { excerpt, .. } = &err else {
            panic!()
        };
        assert!(excerpt.starts_with("<html>\\n<head>"));
        assert!(excerpt.ends_with('…'));
        assert!(err.may_have_run());
        let text = err.to_string();
        assert!(
            text.starts_with(
                "unexpected answer (HTTP 502): an HTML page instead of JSON; body starts `<html>"
            ),
            "{text}"
        );
    }

    #[test]
    fn html_content_type_is_reported() {
        let err =
            decode_answer::<Share>(502, Some("text/html; charset=utf-8"), b"Bad gateway", None)
                .unwrap_err();
        let Error::UnexpectedAnswer {
            reason,
            content_type,
            ..
        } = &err
        else {
            panic!()
        };
        assert_eq!(reason, "an HTML page instead of JSON");
        assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
        assert!(
            err.to_string()
                .contains("(HTTP 502, text/html; charset=utf-8)")
        );
    }

    #[test]
    fn decode_errors() {
        let err = decode(200, r#"{"result":"yes"}"#).unwrap_err();
        let Error::Decode {
            status,
            message,
            excerpt,
            result,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(status, &200);
        assert!(message.contains("expected a boolean"), "{message}");
        assert_eq!(excerpt, "\"yes\"");
        assert_eq!(result, "\"yes\"");
        assert!(err.may_have_run());
        let err = decode_response::<Ids>(200, br#"{"result":[{"a":1}]}"#).unwrap_err();
        assert_eq!(err.variant_name(), "Decode");
        // Ids sent as numbers where text is expected are read as portals mean them.
        let lenient = decode_response::<Ids>(200, br#"{"result":[1,2]}"#).unwrap();
        assert_eq!(lenient.result, ["1", "2"]);
        let ok = decode_response::<Ids>(200, br#"{"result":["1"]}"#).unwrap();
        assert_eq!(ok.result, vec!["1".to_owned()]);
        let err = decode(200, r#"{"result":null}"#).unwrap_err();
        assert_eq!(err.variant_name(), "Decode");
        // A null result is a result, not a missing one.
        assert_eq!(
            decode_response::<Nullable>(200, br#"{"result":null}"#)
                .unwrap()
                .result,
            None
        );
        assert_eq!(
            decode_response::<Nullable>(201, br#"{"result":5}"#)
                .unwrap()
                .result,
            Some(5)
        );
    }

    #[test]
    fn decode_error_keeps_the_whole_result_redacted() {
        // A result far longer than the excerpt, with the webhook code inside: the error keeps
        // every byte of it but the code, and Display shows only the excerpt.
        let long = format!(
            r#"{{"ID":"217","TEXT":"{}","URL":"/rest/1/abcd1234secret/","LAST":"kept"}}"#,
            "x".repeat(5000)
        );
        let body = format!(r#"{{"result":{long},"time":{{"start":1}}}}"#);
        for (status, body) in [(200, body.clone()), (200, format!("{body} "))] {
            let err = decode_answer::<Share>(status, None, body.as_bytes(), Some("abcd1234secret"))
                .unwrap_err();
            let Error::Decode {
                excerpt, result, ..
            } = &err
            else {
                panic!("{err:?}")
            };
            assert_eq!(*result, long.replace("abcd1234secret", "***"));
            assert!(result.ends_with(r#""LAST":"kept"}"#), "{result}");
            assert!(excerpt.chars().count() <= 201);
            assert!(!err.to_string().contains("LAST"));
            assert!(!format!("{err:?}").contains("abcd1234secret"));
        }
        // The slow path (a duplicated key sends the envelope through the tree) keeps it too.
        let body = r#"{"result":{"a":[1,2,{"b":null}]},"result":{"a":[1,2,{"b":null}]}}"#;
        let Error::Decode { result, .. } = decode(200, body).unwrap_err() else {
            panic!()
        };
        assert_eq!(result, r#"{"a":[1,2,{"b":null}]}"#);
    }

    #[test]
    fn decode_message_is_clipped_and_redacted() {
        let huge = format!(r#"{{"result":"{}"}}"#, "secret-code-1".repeat(1000));
        let err =
            decode_answer::<Share>(200, None, huge.as_bytes(), Some("secret-code-1")).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("secret-code-1"));
        // Display is short; the whole result (redacted) is in the error, so Debug shows it.
        assert!(err.to_string().len() < 2000);
        let Error::Decode { result, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(result.len(), "\"\"".len() + 3 * 1000);
    }

    #[test]
    fn secrets_are_redacted_from_error_bodies() {
        let body = r#"{"error":"","error_description":"bad /rest/1/abcd1234secret/","abcd1234secret":"abcd1234secret"}"#;
        let err =
            decode_answer::<Share>(400, None, body.as_bytes(), Some("abcd1234secret")).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("abcd1234secret"), "{text}");
        let err = decode_answer::<Share>(
            502,
            None,
            b"<p>/rest/1/abcd1234secret/</p>",
            Some("abcd1234secret"),
        )
        .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("abcd1234secret"));
    }

    #[test]
    fn odd_envelopes() {
        // Byte order mark.
        assert!(decode(200, "\u{feff}{\"result\":true}").unwrap().result);
        // Duplicated keys: the last one wins.
        assert!(
            decode(200, r#"{"result":false,"result":true}"#)
                .unwrap()
                .result
        );
        // Error and result together: the error wins.
        let err = decode(
            200,
            r#"{"result":true,"error":"","error_description":"No read perms"}"#,
        )
        .unwrap_err();
        assert_eq!(err.variant_name(), "NoReadPermission");
        // Other keys are ignored on success.
        assert!(
            decode(200, r#"{"total":1,"next":50,"result":true}"#)
                .unwrap()
                .result
        );
        // Odd code types.
        assert_eq!(meta_of(400, r#"{"error":true}"#).code(), "true");
        assert_eq!(meta_of(400, r#"{"error":["a"]}"#).code(), "[\"a\"]");
        assert_eq!(meta_of(400, r#"{"error":1.5}"#).code(), "1.5");
    }

    #[test]
    fn never_panics_on_mutated_answers() {
        let seeds: [&[u8]; 4] = [
            br#"{"result":true,"time":{"start":1,"finish":1.5,"operating":0}}"#,
            br#"{"error":{"code":7,"message":"m"},"error_description":"No read perms"}"#,
            br#"{"error":"","error_description":"No permissions to share by this user (ID =5)"}"#,
            b"<html>\xd0\x9f</html>",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"{}[]\":,0123456789.-eE tnrufalsx\\\xff\xc3";
        for _ in 0..3000 {
            let seed = seeds[(next() % 4) as usize];
            let mut body = seed.to_vec();
            for _ in 0..=(next() % 4) {
                let at = (next() as usize) % (body.len() + 1);
                let byte = alphabet[(next() as usize) % alphabet.len()];
                match next() % 3 {
                    0 => body.insert(at, byte),
                    1 if at < body.len() => body[at] = byte,
                    _ if at < body.len() => {
                        body.remove(at);
                    }
                    _ => {}
                }
            }
            let status = [200, 400, 401, 503][(next() % 4) as usize];
            let _ = decode_response::<Share>(status, &body);
            let _ = decode_response::<Ids>(status, &body);
        }
    }

    #[test]
    fn never_panics_on_prefixes_of_valid_answers() {
        let bodies = [
            r#"{"result":true,"time":{"start":1773814878,"finish":1773814878.602921,"operating":0}}"#,
            r#"{"error":{"code":"X","message":"Привет"},"error_description":"é"}"#,
            r#"{"error":"ERROR_ARGUMENT","error_description":"Wrong post ID","argument":""}"#,
        ];
        for body in bodies {
            for cut in 0..=body.len() {
                for status in [200, 400, 503] {
                    let _ = decode_response::<Share>(status, &body.as_bytes()[..cut]);
                    let _ = decode_response::<Ids>(status, &body.as_bytes()[..cut]);
                }
            }
        }
    }
}
