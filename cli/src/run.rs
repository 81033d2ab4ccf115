//! One call, generic over the method: the request body decoded into the method's typed
//! request (or any method by name, [`RawRequest`]), sent through the SDK's client (and so its
//! policies), and the outcome turned into output and an exit code. The result is printed as
//! the portal sent it ([`AsJson`]); errors are typed.

use std::future::Future;
use std::pin::pin;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use b24_rest::{
    AsJson, Client, Error, Method, MethodError, RawRequest, Response, TransportError,
    TransportErrorKind,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::exit::Exit;

/// What every call of one run shares.
pub struct Session<'a> {
    /// The configured client.
    pub client: Client,
    /// `--full`: print the whole answer, not only `result`.
    pub full: bool,
    /// `--verbose`: say what is sent where, each retry, and how long it took.
    pub verbose: bool,
    /// Where `--verbose` lines go, as they happen (stderr, with secrets hidden).
    pub note: &'a dyn Fn(&str),
    /// The client's retry notices (`ClientBuilder::on_retry`), one line each, to show as they
    /// come while the call runs.
    pub retries: Receiver<String>,
}

/// What a run prints and how it exits. Printed by `main`, which keeps secrets out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The exit class.
    pub exit: Exit,
    /// For stdout.
    pub stdout: String,
    /// For stderr, one entry per line.
    pub stderr: Vec<String>,
}

impl Outcome {
    /// A success that prints `stdout` (help, completions, a result).
    pub fn success(stdout: String) -> Outcome {
        Outcome {
            exit: Exit::Success,
            stdout,
            stderr: Vec::new(),
        }
    }

    /// A failure before anything was sent.
    pub fn usage(line: String) -> Outcome {
        Outcome::failure(Exit::Usage, line)
    }

    /// A fault of `b24` itself (its method catalogue and generated code disagree): nothing
    /// was sent.
    pub fn internal(problem: &str) -> Outcome {
        Outcome::failure(Exit::Internal, format!("error: internal error: {problem}"))
    }

    fn failure(exit: Exit, line: String) -> Outcome {
        Outcome {
            exit,
            stdout: String::new(),
            stderr: vec![line],
        }
    }
}

/// A typed request, ready to be sent.
pub struct Prepared(Box<dyn FnOnce(&Session<'_>) -> Outcome>);

impl Prepared {
    /// A request that `send` runs with the session.
    pub fn new(run: impl FnOnce(&Session<'_>) -> Outcome + 'static) -> Prepared {
        Prepared(Box::new(run))
    }

    /// Sends the request and waits for the outcome.
    pub fn send(self, session: &Session<'_>) -> Outcome {
        (self.0)(session)
    }
}

/// Decodes `body` into the typed request `M` (unknown keys and values of the wrong type are
/// refused), ready to be sent; its result comes back as the portal sent it.
pub fn prepare<M>(body: Value) -> Result<Prepared, String>
where
    M: Method + DeserializeOwned + 'static,
{
    let request: M = serde_json::from_value(body).map_err(|error| error.to_string())?;
    Ok(Prepared(Box::new(move |session| {
        send(session, &AsJson(request))
    })))
}

/// A call of any method by its wire name (`b24 call`), with `params` as they are.
pub fn prepare_raw(method: &str, params: Value) -> Prepared {
    let request = RawRequest::new(method, params);
    Prepared(Box::new(move |session| send(session, &request)))
}

/// Sends `request` and turns its outcome into output: the result (or with `--full` the whole
/// answer) as pretty JSON, or one line naming the error.
pub fn send<M: Method<Output = Value>>(session: &Session<'_>, request: &M) -> Outcome {
    let name = request.name();
    if session.verbose {
        (session.note)(&format!(
            "b24: calling {name} on {}",
            session.client.portal()
        ));
        // The body as the SDK encodes it; the access token is added later and never shown.
        let body = serde_json::to_string(request).unwrap_or_default();
        (session.note)(&format!("b24: request body {body}"));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let line = format!("error: {name}: cannot start the async runtime: {error}");
            return Outcome::failure(Exit::Transport, line);
        }
    };
    let started = Instant::now();
    let answer = runtime.block_on(noting_retries(session, session.client.send(request)));
    if session.verbose {
        let took = duration(started.elapsed());
        (session.note)(&format!("b24: {name} answered in {took}"));
    }
    match answer {
        Ok(response) => Outcome::success(printed(response, session.full)),
        Err(error) => {
            let line = failure_line(name, session.client.portal(), &error);
            Outcome::failure(Exit::of(&error), line)
        }
    }
}

/// `call`, with each retry notice shown as soon as the client reports it: the client calls its
/// observer while polling the call, just before it waits, so the notices are read after each
/// poll.
pub(crate) async fn noting_retries<F: Future>(session: &Session<'_>, call: F) -> F::Output {
    let mut call = pin!(call);
    std::future::poll_fn(|context| {
        let poll = call.as_mut().poll(context);
        for notice in session.retries.try_iter() {
            (session.note)(&one_line(&format!("b24: {notice}")));
        }
        poll
    })
    .await
}

/// The result (with `full`, the whole answer) as pretty JSON and a newline. The result is the
/// portal's JSON as it came, `time` the SDK's reading of it (whole numbers stay integers).
fn printed(response: Response<Value>, full: bool) -> String {
    let shown = if full {
        let mut shown = Map::new();
        shown.insert("result".into(), response.result);
        if let Some(time) = response
            .time
            .and_then(|time| serde_json::to_value(time).ok())
        {
            shown.insert("time".into(), time);
        }
        if let Some(next) = response.next {
            shown.insert("next".into(), Value::from(next));
        }
        if let Some(total) = response.total {
            shown.insert("total".into(), Value::from(total));
        }
        Value::Object(shown)
    } else {
        response.result
    };
    let mut stdout = serde_json::to_string_pretty(&shown).unwrap_or_default();
    stdout.push('\n');
    stdout
}

/// The one line that tells why a call to `portal` failed: `error: <method>: <variant>:
/// <description> (HTTP <status>)`, or for a transport failure what happened with which host
/// (`error: <method>: cannot connect to portal.example (connection refused)`). When the call
/// may have run, the line says so.
pub fn failure_line<E: MethodError>(method: &str, portal: &str, error: &Error<E>) -> String {
    let detail = match (error, error.meta()) {
        (Error::Transport(transport), _) => transport_failure(host(portal), transport),
        (_, Some(meta)) => format!("{}: {meta}", error.variant_name()),
        (_, None) => {
            let text = error.to_string();
            let text = match error.status() {
                Some(status) if !text.contains(&format!("HTTP {status}")) => {
                    format!("{text} (HTTP {status})")
                }
                _ => text,
            };
            format!("{}: {text}", error.variant_name())
        }
    };
    let mut line = format!("error: {method}: {detail}");
    if Exit::of(error) == Exit::MayHaveRun && !line.contains("may have") {
        line.push_str("; the call may have run");
    }
    one_line(&line)
}

/// A transport failure in words, naming the host that was tried (never the path, which holds
/// the webhook code).
fn transport_failure(host: &str, error: &TransportError) -> String {
    let cause = transport_cause(error.message());
    let what = match error.kind() {
        TransportErrorKind::Connect => format!("cannot connect to {host} ({cause})"),
        TransportErrorKind::Timeout => format!("timed out waiting for {host} ({cause})"),
        TransportErrorKind::Redirect => {
            format!("{host} answered with a redirect, which b24 does not follow ({cause})")
        }
        TransportErrorKind::BodyTooLarge => format!("the answer of {host} is too large ({cause})"),
        _ => format!("the exchange with {host} failed ({cause})"),
    };
    if error.may_have_run() {
        format!("{what}; the call may have run")
    } else {
        what
    }
}

/// The HTTP client's message without its generic wrappers and OS error numbers:
/// `error sending request: client error (Connect): tcp connect error: Connection refused (os
/// error 111)` is `connection refused`.
fn transport_cause(message: &str) -> String {
    const WRAPPERS: [&str; 5] = [
        "error sending request",
        "error trying to connect",
        "tcp connect error",
        "client error (Connect)",
        "client error (SendRequest)",
    ];
    let parts: Vec<&str> = message
        .split(": ")
        .map(|part| strip_os_error(part.trim()))
        .filter(|part| !part.is_empty() && !WRAPPERS.contains(part))
        .collect();
    let cause = parts.join(": ");
    let mut chars = cause.chars();
    match (chars.next(), chars.next()) {
        // `Connection refused`, not `TLS`.
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(cause.chars().skip(1)).collect()
        }
        (None, _) => "no detail".to_owned(),
        _ => cause,
    }
}

fn strip_os_error(part: &str) -> &str {
    match part.rfind(" (os error ") {
        Some(at) if part.ends_with(')') => &part[..at],
        _ => part,
    }
}

/// `portal.example` (with its port, if any) of `https://portal.example`.
fn host(portal: &str) -> &str {
    portal
        .split_once("://")
        .map_or(portal, |(_, rest)| rest)
        .trim_end_matches('/')
}

/// `text` with every run of white space and control characters made one space.
pub fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            gap = true;
        } else {
            if gap && !line.is_empty() {
                line.push(' ');
            }
            gap = false;
            line.push(c);
        }
    }
    line
}

fn duration(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.2} s", elapsed.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use b24_rest::decode_response;
    use b24_rest::log::BlogpostShareRequest;

    use super::*;

    fn line(status: u16, body: &str) -> String {
        let error = decode_response::<BlogpostShareRequest>(status, body.as_bytes())
            .expect_err("an error answer");
        failure_line("log.blogpost.share", "https://portal.example", &error)
    }

    #[test]
    fn failure_lines_name_method_variant_text_and_status() {
        assert_eq!(
            line(400, r#"{"error":"","error_description":"No read perms"}"#),
            "error: log.blogpost.share: NoReadPermission: No read perms (HTTP 400)"
        );
        assert_eq!(
            line(
                401,
                r#"{"error":"expired_token","error_description":"The access token provided has expired."}"#
            ),
            "error: log.blogpost.share: ExpiredToken: expired_token: The access token provided has expired. (HTTP 401)"
        );
        let html = line(502, "<html>\n<body>Bad gateway</body>\n</html>");
        assert!(
            html.starts_with("error: log.blogpost.share: UnexpectedAnswer: "),
            "{html}"
        );
        assert!(html.contains("HTTP 502"), "{html}");
        assert!(html.ends_with("; the call may have run"), "{html}");
        // A refusal did not run, and says nothing of the kind.
        let refused = line(
            503,
            r#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"x"}"#,
        );
        assert!(!refused.contains("may have"), "{refused}");
        let joined = line(
            400,
            r#"{"error":"","error_description":"Wrong\npost\r\nID"}"#,
        );
        assert!(!joined.contains('\n') && !joined.contains('\r'), "{joined}");
    }

    #[test]
    fn requests_are_decoded_strictly() {
        let ok = serde_json::json!({"POST_ID": 217, "DEST": ["SG69", "DR4"]});
        assert!(prepare::<BlogpostShareRequest>(ok).is_ok());
        let cases = [
            (
                serde_json::json!({"POST_ID": 217, "DEST": ["SG69"], "EXTRA": 1}),
                "unknown field `EXTRA`",
            ),
            (serde_json::json!({"POST_ID": 217}), "missing field `DEST`"),
            (
                serde_json::json!({"POST_ID": 217, "DEST": ["sg69"]}),
                "invalid Destination `sg69`",
            ),
            (
                serde_json::json!({"POST_ID": "abc", "DEST": ["SG69"]}),
                "invalid type",
            ),
        ];
        for (body, expected) in cases {
            match prepare::<BlogpostShareRequest>(body.clone()) {
                Ok(_) => panic!("{body} was accepted"),
                Err(error) => assert!(error.contains(expected), "{body}: {error}"),
            }
        }
    }

    fn transport(kind: TransportErrorKind, message: &str, may_have_run: bool) -> String {
        let error = TransportError::new(kind, message, may_have_run);
        let error = Error::<b24_rest::UntypedError>::Transport(error);
        failure_line("log.blogpost.share", "https://portal.example:8443", &error)
    }

    #[test]
    fn transport_failures_name_the_host_and_what_happened() {
        assert_eq!(
            transport(
                TransportErrorKind::Connect,
                "error sending request: client error (Connect): tcp connect error: Connection \
                 refused (os error 111)",
                false
            ),
            "error: log.blogpost.share: cannot connect to portal.example:8443 (connection refused)"
        );
        assert_eq!(
            transport(
                TransportErrorKind::Connect,
                "error sending request: client error (Connect): dns error: failed to lookup \
                 address information: Name or service not known",
                false
            ),
            "error: log.blogpost.share: cannot connect to portal.example:8443 (dns error: failed \
             to lookup address information: Name or service not known)"
        );
        assert_eq!(
            transport(
                TransportErrorKind::Timeout,
                "no answer within the call's deadline of 1.0 s (retries included)",
                true
            ),
            "error: log.blogpost.share: timed out waiting for portal.example:8443 (no answer \
             within the call's deadline of 1.0 s (retries included)); the call may have run"
        );
        assert_eq!(
            transport_cause("TLS handshake failed"),
            "TLS handshake failed"
        );
        assert_eq!(transport_cause(""), "no detail");
        assert_eq!(host("https://portal.example"), "portal.example");
    }

    #[test]
    fn one_line_joins_lines() {
        assert_eq!(one_line("a\n b\r\n\tc "), "a b c");
        assert_eq!(one_line(""), "");
    }
}
