//! Odd server answers, through the real client against the mock portal: each case is one
//! answer a portal, a proxy or an old server really sends, and the typed outcome it must give
//! (a result, or the error that keeps the raw status, code and text). None may panic.

use std::time::Duration;

use b24_rest::log::BlogpostShareError;
use b24_rest::mock::{MockAnswer, MockPortal};
use b24_rest::shared::Destination;
use b24_rest::{Error, MAX_BODY_BYTES, TransportErrorKind};
use serde_json::{Value, json};

type Outcome = Result<b24_rest::Response<bool>, Error<BlogpostShareError>>;

/// What a case's outcome must be.
type Check = fn(&Outcome) -> Result<(), String>;

/// The client's time limit per call: far more than a 16 MiB body takes on loopback, even in a
/// debug build on a busy machine.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// The time limit of the client that meets the stalling portal, so that the case ends soon.
const SHORT_TIMEOUT: Duration = Duration::from_millis(500);

/// The corpus has at least this many cases; fewer means some were lost.
const MIN_CASES: usize = 25;

fn raw(status: u16, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> MockAnswer {
    MockAnswer::Raw {
        status,
        content_type: content_type.map(str::to_owned),
        body: body.into(),
    }
}

fn json_text(status: u16, body: &str) -> MockAnswer {
    raw(status, Some("application/json; charset=utf-8"), body)
}

/// A success whose `result` is a string of `size` bytes (for a `bool` method: a decode error
/// once read) or whose padding key makes the body that large.
fn large_success(size: usize) -> MockAnswer {
    let padding = "x".repeat(size);
    json_text(200, &format!(r#"{{"result":true,"padding":"{padding}"}}"#))
}

/// The error, or a message saying what came instead.
fn error(outcome: &Outcome) -> Result<&Error<BlogpostShareError>, String> {
    match outcome {
        Ok(response) => Err(format!("a success: {response:?}")),
        Err(err) => Ok(err),
    }
}

/// The raw server error the typed error keeps: (status, code, description).
fn raw_error(outcome: &Outcome) -> Result<(u16, String, String), String> {
    let err = error(outcome)?;
    let meta = err
        .meta()
        .ok_or_else(|| format!("no raw error kept: {err:?}"))?;
    Ok((
        meta.status(),
        meta.code().to_owned(),
        meta.description().to_owned(),
    ))
}

fn expect(condition: bool, what: &str, outcome: &Outcome) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(format!("expected {what}, got {outcome:?}"))
    }
}

/// An `UnexpectedAnswer` with this status whose reason contains `reason`.
fn unexpected(outcome: &Outcome, status: u16, reason: &str) -> Result<(), String> {
    match error(outcome)? {
        Error::UnexpectedAnswer {
            status: got,
            reason: why,
            ..
        } if *got == status && why.contains(reason) => Ok(()),
        other => Err(format!(
            "expected UnexpectedAnswer (HTTP {status}, `{reason}`), got {other:?}"
        )),
    }
}

/// A method error row (or `Unhandled`) `variant`, keeping (status, code, description).
fn row(outcome: &Outcome, variant: &str, raw: (u16, &str, &str)) -> Result<(), String> {
    let err = error(outcome)?;
    expect(
        matches!(err, Error::Method(_)) && err.variant_name() == variant,
        &format!("the method error {variant}"),
        outcome,
    )?;
    let (status, code, description) = raw_error(outcome)?;
    expect(
        (status, code.as_str(), description.as_str()) == raw,
        &format!("the raw error {raw:?}"),
        outcome,
    )
}

/// A system error `variant`, keeping (status, code).
fn system(outcome: &Outcome, variant: &str, status: u16, code: &str) -> Result<(), String> {
    let err = error(outcome)?;
    expect(
        matches!(err, Error::System(_)) && err.variant_name() == variant,
        &format!("the system error {variant}"),
        outcome,
    )?;
    let (got_status, got_code, _) = raw_error(outcome)?;
    expect(
        got_status == status && got_code == code,
        &format!("HTTP {status} with code `{code}`"),
        outcome,
    )
}

/// A transport error of this kind.
fn transport(
    outcome: &Outcome,
    kind: TransportErrorKind,
    may_have_run: bool,
) -> Result<(), String> {
    match error(outcome)? {
        Error::Transport(t) if t.kind() == kind && t.may_have_run() == may_have_run => Ok(()),
        other => Err(format!(
            "expected a {kind} transport error (may have run: {may_have_run}), got {other:?}"
        )),
    }
}

/// Every case: (what the portal does, its answer, the outcome it must give).
fn cases() -> Vec<(&'static str, MockAnswer, Check)> {
    let time = json!({
        "start": 1773814878, "finish": 1773814878.602921, "duration": 0.6029210090637207,
        "processing": 0, "date_start": "2026-03-18T09:21:18+02:00",
        "date_finish": "2026-03-18T09:21:18+02:00", "operating_reset_at": 1773815478,
        "operating": 0.284437894821167
    });
    vec![
        // Not REST answers at all.
        (
            "an HTML error page from a proxy",
            raw(
                502,
                Some("text/html"),
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>",
            ),
            |o| {
                unexpected(o, 502, "HTML")?;
                match error(o)? {
                    Error::UnexpectedAnswer {
                        content_type,
                        excerpt,
                        ..
                    } => expect(
                        content_type.as_deref() == Some("text/html")
                            && excerpt.starts_with("<html>\\r\\n<head><title>502 Bad Gateway"),
                        "the content type and an escaped excerpt",
                        o,
                    ),
                    _ => unreachable!("checked above"),
                }
            },
        ),
        (
            "an HTML page sent as 200 without a content type",
            raw(200, None, "<!DOCTYPE html><p>Maintenance</p>"),
            |o| {
                unexpected(o, 200, "HTML")?;
                expect(error(o)?.may_have_run(), "a 2xx that may have run", o)
            },
        ),
        ("an empty body with 503", raw(503, None, ""), |o| {
            unexpected(o, 503, "empty body")?;
            expect(error(o)?.may_have_run(), "a 5xx that may have run", o)
        }),
        (
            "an empty body with 200",
            raw(200, Some("application/json"), ""),
            |o| unexpected(o, 200, "empty body"),
        ),
        (
            "truncated JSON",
            json_text(200, r#"{"result": true, "time": {"start": 17738"#),
            |o| unexpected(o, 200, "truncated"),
        ),
        (
            "a truncated error body",
            json_text(400, r#"{"error": "", "error_descrip"#),
            |o| unexpected(o, 400, "truncated"),
        ),
        (
            "JSON that is not an object",
            json_text(200, "[true]"),
            |o| unexpected(o, 200, "not an object"),
        ),
        (
            "an error status without an error object",
            json_text(404, "{}"),
            |o| {
                unexpected(o, 404, "without an error object")?;
                expect(!error(o)?.may_have_run(), "a 4xx that did not run", o)
            },
        ),
        (
            "invalid UTF-8 inside the JSON",
            raw(
                400,
                Some("application/json"),
                b"{\"error\":\"\",\"error_description\":\"No read \xFF perms\"}".to_vec(),
            ),
            |o| unexpected(o, 400, "not valid JSON"),
        ),
        // Successes in the shapes real portals send.
        (
            "the documented success",
            MockAnswer::json(200, json!({"result": true, "time": time})),
            |o| match o {
                Ok(r) if r.result => {
                    let t = r.time.as_ref().ok_or("no time")?;
                    expect(
                        t.operating == Some(0.284437894821167) && t.start == Some(1773814878.0),
                        "the time fields",
                        o,
                    )
                }
                _ => Err(format!("expected the documented success, got {o:?}")),
            },
        ),
        (
            "extra unknown keys everywhere",
            MockAnswer::json(
                200,
                json!({"result": true, "time": {"start": 1, "future": {"x": [1]}}, "total": 5, "next": null, "whatever": {"a": 1}}),
            ),
            |o| match o {
                Ok(r) => expect(
                    r.result && r.time.as_ref().and_then(|t| t.start) == Some(1.0),
                    "true with time.start",
                    o,
                ),
                Err(_) => Err(format!("expected a success, got {o:?}")),
            },
        ),
        (
            "`time` missing",
            MockAnswer::json(200, json!({"result": true})),
            |o| match o {
                Ok(r) => expect(r.result && r.time.is_none(), "true without time", o),
                Err(_) => Err(format!("expected a success, got {o:?}")),
            },
        ),
        (
            "`time` partial: only `operating`, as the integer 0",
            MockAnswer::json(200, json!({"result": true, "time": {"operating": 0}})),
            |o| match o {
                Ok(r) => {
                    let t = r.time.as_ref().ok_or("no time")?;
                    expect(
                        t.operating == Some(0.0)
                            && t.start.is_none()
                            && t.operating_reset_at.is_none(),
                        "only operating",
                        o,
                    )
                }
                Err(_) => Err(format!("expected a success, got {o:?}")),
            },
        ),
        (
            "`time` of the wrong type",
            MockAnswer::json(200, json!({"result": true, "time": "2026-03-18"})),
            |o| match o {
                Ok(r) => expect(r.result && r.time.is_none(), "true, time dropped", o),
                Err(_) => Err(format!("expected a success, got {o:?}")),
            },
        ),
        (
            "a byte order mark before the JSON",
            raw(
                200,
                Some("application/json"),
                b"\xEF\xBB\xBF{\"result\":true}".to_vec(),
            ),
            |o| expect(matches!(o, Ok(r) if r.result), "true", o),
        ),
        (
            "`error: null` beside a result",
            MockAnswer::json(200, json!({"result": true, "error": null})),
            |o| expect(matches!(o, Ok(r) if r.result), "true", o),
        ),
        (
            "`result` of the wrong type",
            MockAnswer::json(200, json!({"result": "yes"})),
            |o| match error(o)? {
                Error::Decode {
                    status: 200,
                    excerpt,
                    ..
                } if excerpt == "\"yes\"" => expect(error(o)?.may_have_run(), "a call that ran", o),
                other => Err(format!("expected a Decode error, got {other:?}")),
            },
        ),
        (
            "`result` null",
            MockAnswer::json(200, json!({"result": null})),
            |o| {
                expect(
                    matches!(error(o)?, Error::Decode { status: 200, .. }),
                    "a Decode error",
                    o,
                )
            },
        ),
        // Errors with parts missing, or in other spellings.
        (
            "an error with no description",
            MockAnswer::json(401, json!({"error": "wrong_client"})),
            |o| row(o, "Unhandled", (401, "wrong_client", "")),
        ),
        (
            "a description with no code",
            MockAnswer::json(400, json!({"error_description": "Wrong post ID"})),
            |o| row(o, "WrongPostId", (400, "", "Wrong post ID")),
        ),
        (
            "a system code in lower case",
            MockAnswer::error(503, "query_limit_exceeded", "Too many requests"),
            |o| system(o, "QueryLimitExceeded", 503, "query_limit_exceeded"),
        ),
        (
            "a system code in upper case",
            MockAnswer::error(
                401,
                "EXPIRED_TOKEN",
                "The access token provided has expired.",
            ),
            |o| system(o, "ExpiredToken", 401, "EXPIRED_TOKEN"),
        ),
        (
            "a system error on HTTP 200",
            MockAnswer::error(
                200,
                "ACCESS_DENIED",
                "REST is available only on commercial plans",
            ),
            |o| system(o, "AccessDenied", 200, "ACCESS_DENIED"),
        ),
        (
            "an old server's code with an extra key",
            MockAnswer::json(
                400,
                json!({"error": "ERROR_ARGUMENT", "error_description": "Wrong post ID", "argument": ""}),
            ),
            |o| {
                row(o, "WrongPostId", (400, "ERROR_ARGUMENT", "Wrong post ID"))?;
                let extra = error(o)?
                    .meta()
                    .map(|m| m.extra().clone())
                    .unwrap_or_default();
                expect(
                    extra.get("argument") == Some(&Value::String(String::new())),
                    "the extra key kept",
                    o,
                )
            },
        ),
        (
            "an old server's numeric code",
            MockAnswer::error(400, "403", "No read perms"),
            |o| row(o, "NoReadPermission", (400, "403", "No read perms")),
        ),
        (
            "a code sent as a JSON integer",
            MockAnswer::json(
                400,
                json!({"error": 403, "error_description": "No read perms"}),
            ),
            |o| row(o, "NoReadPermission", (400, "403", "No read perms")),
        ),
        (
            "a localised (Russian) recipient text",
            MockAnswer::error(
                400,
                "",
                "Нет доступа к одному или нескольким адресатам сообщения",
            ),
            |o| {
                row(
                    o,
                    "NoAccessToRecipients",
                    (
                        400,
                        "",
                        "Нет доступа к одному или нескольким адресатам сообщения",
                    ),
                )
            },
        ),
        (
            "recipient texts joined with <br>",
            MockAnswer::error(
                400,
                "",
                "Please specify at least one person.<br>Access to one or more message recipients was denied",
            ),
            |o| {
                row(
                    o,
                    "NoAccessToRecipients",
                    (
                        400,
                        "",
                        "Please specify at least one person.<br>Access to one or more message recipients was denied",
                    ),
                )
            },
        ),
        (
            "a text that carries a value",
            MockAnswer::error(400, "", "No permissions to share by this user (ID =12)"),
            |o| match error(o)? {
                Error::Method(BlogpostShareError::NoPermissionToShareAsUser {
                    user_id: 12,
                    meta,
                }) => expect(
                    meta.description() == "No permissions to share by this user (ID =12)",
                    "the text kept",
                    o,
                ),
                other => Err(format!(
                    "expected NoPermissionToShareAsUser {{ user_id: 12 }}, got {other:?}"
                )),
            },
        ),
        (
            "a REST v3 error object",
            MockAnswer::json(
                400,
                json!({"error": {"code": "BITRIX_REST_V3_EXCEPTION", "message": "Entity not found"}}),
            ),
            |o| {
                row(
                    o,
                    "Unhandled",
                    (400, "BITRIX_REST_V3_EXCEPTION", "Entity not found"),
                )
            },
        ),
        // The connection itself misbehaves.
        (
            "a 302 redirect to another domain",
            MockAnswer::Redirect {
                status: 302,
                location: "https://evil.example/rest/1/x/log.blogpost.share".to_owned(),
            },
            |o| {
                unexpected(o, 302, "evil.example")?;
                expect(!error(o)?.may_have_run(), "a redirect that did not run", o)
            },
        ),
        (
            "a body over 10 MB, under the client's limit",
            large_success(11 * 1024 * 1024),
            |o| expect(matches!(o, Ok(r) if r.result), "true", o),
        ),
        (
            "a body over the client's limit",
            large_success(MAX_BODY_BYTES + 1),
            |o| {
                transport(o, TransportErrorKind::BodyTooLarge, true)?;
                expect(error(o)?.status() == Some(200), "the status kept", o)
            },
        ),
        (
            "a server that stalls past the timeout",
            MockAnswer::Stall(SHORT_TIMEOUT + Duration::from_secs(10)),
            |o| transport(o, TransportErrorKind::Timeout, true),
        ),
        (
            "a connection closed after the request",
            MockAnswer::Disconnect,
            |o| transport(o, TransportErrorKind::Other, true),
        ),
        (
            "a body cut short",
            MockAnswer::Wire(
                b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\":".to_vec(),
            ),
            |o| {
                transport(o, TransportErrorKind::Other, true)?;
                expect(error(o)?.status() == Some(200), "the status kept", o)
            },
        ),
        (
            "a broken status line",
            MockAnswer::Wire(b"HTP/1.1 two hundred\r\n\r\n".to_vec()),
            |o| transport(o, TransportErrorKind::Other, true),
        ),
        (
            "a slow answer within the timeout",
            MockAnswer::json(200, json!({"result": true})).delayed(Duration::from_millis(200)),
            |o| expect(matches!(o, Ok(r) if r.result), "true", o),
        ),
    ]
}

#[test]
fn odd_answers_become_results_or_typed_errors() {
    let cases = cases();
    assert!(cases.len() >= MIN_CASES, "only {} cases", cases.len());
    let portal = MockPortal::start();
    let client = portal
        .client_builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .expect("client");
    let impatient = portal
        .client_builder()
        .timeout(SHORT_TIMEOUT)
        .build()
        .expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut failures = Vec::new();
    for (name, answer, check) in &cases {
        portal.push("log.blogpost.share", answer.clone());
        let client = match answer {
            MockAnswer::Stall(_) => &impatient,
            _ => &client,
        };
        let call = client
            .log()
            .blogpost()
            .share(217, vec![Destination::Group(69)]);
        let limit = CALL_TIMEOUT + Duration::from_secs(10);
        let outcome = runtime.block_on(async { tokio::time::timeout(limit, call).await });
        let Ok(outcome) = outcome else {
            failures.push(format!("{name}: no outcome within {limit:?}"));
            continue;
        };
        // Every error prints, whatever the answer was.
        if let Err(err) = &outcome {
            let _ = format!("{err} {err:?} {}", err.may_have_run());
        }
        if let Err(problem) = check(&outcome) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    // Each answer was asked for exactly once: the client followed no redirect and repeated
    // nothing.
    assert_eq!(portal.call_count("log.blogpost.share"), cases.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
