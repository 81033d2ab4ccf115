//! One call, generic over the method: the request body decoded into the method's typed
//! request, sent through the SDK's client (and so its policies), and the typed outcome turned
//! into output and an exit code.

use std::time::{Duration, Instant};

use b24_rest::{Client, Error, Method, MethodError, TransportError, TransportErrorKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::exit::Exit;

/// What every call of one run shares.
pub struct Session<'a> {
    /// The configured client.
    pub client: Client,
    /// `--full`: print the whole answer, not only `result`.
    pub full: bool,
    /// `--verbose`: say what is sent where, and how long it took.
    pub verbose: bool,
    /// Where `--verbose` lines go, as they happen (stderr, with secrets hidden).
    pub note: &'a dyn Fn(&str),
    /// `--timeout`: the time allowed for the whole call, retries included.
    pub deadline: Option<Duration>,
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
    /// A failure before anything was sent.
    pub fn usage(line: String) -> Outcome {
        Outcome {
            exit: Exit::Usage,
            stdout: String::new(),
            stderr: vec![line],
        }
    }

    /// A fault of `b24` itself (its method catalogue and generated code disagree): nothing
    /// was sent.
    pub fn internal(problem: &str) -> Outcome {
        Outcome {
            exit: Exit::Internal,
            stdout: String::new(),
            stderr: vec![format!("error: internal error: {problem}")],
        }
    }
}

/// A typed request, ready to be sent.
pub struct Prepared(Box<dyn FnOnce(&Session<'_>) -> Outcome>);

impl Prepared {
    /// Sends the request and waits for the outcome.
    pub fn send(self, session: &Session<'_>) -> Outcome {
        (self.0)(session)
    }
}

/// Decodes `body` into the typed request `M` (unknown keys and values of the wrong type are
/// refused), ready to be sent.
pub fn prepare<M>(body: Value) -> Result<Prepared, String>
where
    M: Method + DeserializeOwned,
    M::Output: Serialize,
{
    let request: M = serde_json::from_value(body).map_err(|error| error.to_string())?;
    Ok(Prepared(Box::new(move |session| send(session, &request))))
}

fn send<M>(session: &Session<'_>, request: &M) -> Outcome
where
    M: Method,
    M::Output: Serialize,
{
    let mut stderr = Vec::new();
    if session.verbose {
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
            stderr.push(format!(
                "error: {}: cannot start the async runtime: {error}",
                M::NAME
            ));
            return Outcome {
                exit: Exit::Transport,
                stdout: String::new(),
                stderr,
            };
        }
    };
    let started = Instant::now();
    let call = session.client.send(request);
    let answer = match session.deadline {
        None => runtime.block_on(call),
        Some(deadline) => runtime
            .block_on(async { tokio::time::timeout(deadline, call).await })
            .unwrap_or_else(|_| {
                Err(Error::Transport(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no answer within {} (retries included)", duration(deadline)),
                    true,
                )))
            }),
    };
    if session.verbose {
        (session.note)(&format!(
            "b24: {} answered in {}",
            M::NAME,
            duration(started.elapsed())
        ));
    }
    match answer {
        Ok(response) => {
            let mut shown = Map::new();
            let result = serde_json::to_value(&response.result);
            let time = response.time.as_ref().map(serde_json::to_value).transpose();
            let (result, time) = match (result, time) {
                (Ok(result), Ok(time)) => (result, time),
                (Err(error), _) | (_, Err(error)) => {
                    stderr.push(format!(
                        "error: {}: cannot print the result: {error}",
                        M::NAME
                    ));
                    return Outcome {
                        exit: Exit::Transport,
                        stdout: String::new(),
                        stderr,
                    };
                }
            };
            let printed = if session.full {
                shown.insert("result".into(), result);
                if let Some(time) = time {
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
                result
            };
            let mut stdout = serde_json::to_string_pretty(&printed).unwrap_or_default();
            stdout.push('\n');
            Outcome {
                exit: Exit::Success,
                stdout,
                stderr,
            }
        }
        Err(error) => {
            stderr.push(failure_line(M::NAME, &error));
            Outcome {
                exit: Exit::of(&error),
                stdout: String::new(),
                stderr,
            }
        }
    }
}

/// `error: <method>: <variant>: <description> (HTTP <status>)`, on one line.
pub fn failure_line<E: MethodError>(method: &str, error: &Error<E>) -> String {
    let detail = match error.meta() {
        Some(meta) => meta.to_string(),
        None => {
            let text = error.to_string();
            match error.status() {
                Some(status) if !text.contains(&format!("HTTP {status}")) => {
                    format!("{text} (HTTP {status})")
                }
                _ => text,
            }
        }
    };
    one_line(&format!(
        "error: {method}: {}: {detail}",
        error.variant_name()
    ))
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
        failure_line("log.blogpost.share", &error)
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

    #[test]
    fn one_line_joins_lines() {
        assert_eq!(one_line("a\n b\r\n\tc "), "a b c");
        assert_eq!(one_line(""), "");
    }
}
