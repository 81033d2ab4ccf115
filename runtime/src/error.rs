//! What a call can end with: the raw server error ([`ErrorMeta`]), the typed outcome
//! ([`Error`]), transport failures ([`TransportError`]) and configuration mistakes ([`ConfigError`]).

use std::fmt;

use serde_json::{Map, Value};

use crate::matching::code_eq;
use crate::method::MethodError;
use crate::retry::TokenRefreshError;
use crate::system_error::SystemError;
use crate::text;

/// An error exactly as the portal sent it: HTTP status, `error` code, `error_description`, and
/// every other top-level key of the error body.
///
/// The code is `""` when the server sent an empty or no code (current servers answer every
/// `log.blogpost.share` failure that way); a JSON integer code becomes its decimal text. A REST v3
/// error object (`{"error": {"code": …, "message": …}}`) gives its `code` and `message`.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorMeta {
    status: u16,
    code: String,
    description: String,
    /// Boxed: a map that keeps its keys' order is large, and every `Result` of a call
    /// carries an `ErrorMeta` in its error.
    extra: Box<Map<String, Value>>,
}

impl ErrorMeta {
    /// An error with no extra keys.
    pub fn new(status: u16, code: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            description: description.into(),
            extra: Box::default(),
        }
    }

    /// Sets the extra top-level keys of the error body (e.g. old servers' `"argument": ""`).
    #[must_use]
    pub fn with_extra(mut self, extra: Map<String, Value>) -> Self {
        *self.extra = extra;
        self
    }

    /// HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `error` code as sent (not case-folded); `""` when empty or absent.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `error_description` as sent; `""` when absent.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Every other top-level key of the error body.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }

    pub(crate) fn redact(&mut self, secret: Option<&str>) {
        text::redact_in_place(&mut self.code, secret);
        text::redact_in_place(&mut self.description, secret);
        text::redact_map(&mut self.extra, secret);
    }
}

impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code.trim();
        let description = self.description.trim();
        match (code.is_empty(), description.is_empty()) {
            (true, true) => write!(f, "error without code or description")?,
            (true, false) => write!(f, "{description}")?,
            (false, true) => write!(f, "{code}")?,
            (false, false) => write!(f, "{code}: {description}")?,
        }
        write!(f, " (HTTP {})", self.status)
    }
}

impl std::error::Error for ErrorMeta {}

pub use b24_rest_contract::system_errors::Retry;

/// Why a call failed.
///
/// `E` is the method's own error enum (one variant per row of its error table, plus
/// `Unhandled`), e.g. `b24_rest::log::BlogpostShareError`.
#[non_exhaustive]
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error<E> {
    /// The portal answered with an error of the method's table (or one it does not list: the
    /// method error's `Unhandled` variant).
    #[error(transparent)]
    Method(E),
    /// The portal answered with an error any method can return (rate limit, expired token, …).
    #[error(transparent)]
    System(SystemError),
    /// The answer is not a REST answer: not JSON (an HTML page from a proxy, an empty body,
    /// truncated JSON), a redirect, or a non-2xx status without an error object.
    #[error(
        "unexpected answer (HTTP {status}{ct}): {reason}{body}",
        ct = describe_content_type(.content_type.as_deref()),
        body = describe_excerpt("body", .excerpt)
    )]
    UnexpectedAnswer {
        /// HTTP status.
        status: u16,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// The first ~200 characters of the body, control characters escaped.
        excerpt: String,
        /// What is wrong with the answer.
        reason: String,
    },
    /// The answer is valid JSON but its `result` is not of the method's declared type. The call
    /// did run on the server.
    #[error(
        "cannot decode `result` (HTTP {status}): {message}{body}",
        body = describe_excerpt("result", .excerpt)
    )]
    Decode {
        /// HTTP status.
        status: u16,
        /// What did not fit.
        message: String,
        /// The first ~200 characters of `result`, control characters escaped (what `Display`
        /// shows).
        excerpt: String,
        /// The whole `result` as the server sent it (JSON text, credentials replaced by
        /// `***`), so that nothing the server sent is lost.
        result: String,
    },
    /// No complete answer arrived.
    #[error(transparent)]
    Transport(TransportError),
    /// The OAuth access token had expired and the client's token refresher failed, so the
    /// call was not repeated (it did not run).
    #[error(transparent)]
    TokenRefresh(TokenRefreshError),
    /// A call inside `batch` got no result, and the portal reported errors that cannot be
    /// matched to commands (`result_error` as a list, or keyed by names that are no
    /// command's). One of them may be this call's, or the call did not run (`halt`): which,
    /// the answer does not tell, so none is picked. The errors are kept as the portal sent
    /// them (secrets redacted), in its order.
    #[error(
        "no result for this call: the batch reported {} error(s) that cannot be matched to its commands{}",
        .errors.len(),
        describe_first(.errors)
    )]
    BatchUnattributed {
        /// Every error of the request that names no command.
        errors: Vec<ErrorMeta>,
    },
    /// Reading a whole list ([`Client::read_all`](crate::Client::read_all)) stopped because
    /// going on could miss or repeat a record: the portal broke the order it was asked for,
    /// a record had no id, or the request cannot be read that way. The records handed out
    /// before it are correct.
    #[error(transparent)]
    ListRead(ListReadError),
}

/// Why [`Client::read_all`](crate::Client::read_all) could not go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the whole list of `{method}`: {message}")]
pub struct ListReadError {
    method: String,
    message: String,
}

impl ListReadError {
    pub(crate) fn new(method: &str, message: impl Into<String>) -> Self {
        ListReadError {
            method: method.to_owned(),
            message: message.into(),
        }
    }

    /// The list method's wire name.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

fn describe_first(errors: &[ErrorMeta]) -> String {
    errors
        .first()
        .map_or_else(String::new, |first| format!(" (the first: {first})"))
}

/// Server errors that report a failure inside the server: the call may have run.
fn reports_internal_failure(meta: &ErrorMeta) -> bool {
    code_eq(meta.code(), "INTERNAL_SERVER_ERROR") || code_eq(meta.code(), "ERROR_UNEXPECTED_ANSWER")
}

fn describe_content_type(content_type: Option<&str>) -> String {
    content_type.map_or_else(String::new, |ct| format!(", {ct}"))
}

fn describe_excerpt(what: &str, excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!("; {what} starts `{excerpt}`")
    }
}

impl<E: MethodError> Error<E> {
    /// HTTP status of the answer; `None` when no answer arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Method(e) => Some(e.meta().status()),
            Error::System(e) => Some(e.meta().status()),
            Error::UnexpectedAnswer { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            Error::TokenRefresh(_) => Some(401),
            // The status of the `batch` request that reported them.
            Error::BatchUnattributed { .. } => Some(200),
            Error::ListRead(_) => None,
        }
    }

    /// The raw server error, for [`Error::Method`] and [`Error::System`].
    pub fn meta(&self) -> Option<&ErrorMeta> {
        match self {
            Error::Method(e) => Some(e.meta()),
            Error::System(e) => Some(e.meta()),
            _ => None,
        }
    }

    /// Name of the variant that describes the failure best: the method error's variant
    /// (`"WrongPostId"`, `"Unhandled"`), the system error's (`"QueryLimitExceeded"`), or
    /// `"UnexpectedAnswer"`, `"Decode"`, `"Transport"`, `"TokenRefresh"`, `"BatchUnattributed"`,
    /// `"ListRead"`.
    pub fn variant_name(&self) -> &'static str {
        match self {
            Error::Method(e) => e.variant_name(),
            Error::System(e) => e.variant_name(),
            Error::UnexpectedAnswer { .. } => "UnexpectedAnswer",
            Error::Decode { .. } => "Decode",
            Error::Transport(_) => "Transport",
            Error::TokenRefresh(_) => "TokenRefresh",
            Error::BatchUnattributed { .. } => "BatchUnattributed",
            Error::ListRead(_) => "ListRead",
        }
    }

    /// Whether the call may have taken effect on the portal despite the error, so that sending
    /// it again could repeat it (share posts a comment and notifies people).
    ///
    /// `true` for a timeout or a connection lost after sending, for a 2xx or 5xx answer that
    /// could not be read, for a `Decode` error (the call ran), and for 5xx errors that report a
    /// failure inside the server (`INTERNAL_SERVER_ERROR`, `ERROR_UNEXPECTED_ANSWER`, a method's
    /// `Unhandled` 5xx), and for a `BatchUnattributed` call when any of the errors is one of
    /// those. `false` when the portal refused the call.
    pub fn may_have_run(&self) -> bool {
        match self {
            Error::Method(e) => e.meta().status() >= 500,
            Error::System(e) => reports_internal_failure(e.meta()),
            Error::UnexpectedAnswer { status, .. } => (200..300).contains(status) || *status >= 500,
            Error::Decode { .. } => true,
            Error::Transport(e) => e.may_have_run(),
            Error::TokenRefresh(_) => false,
            // As if the call had met the worst of them: a refusal did not run, an internal
            // failure may have.
            Error::BatchUnattributed { errors } => errors
                .iter()
                .any(|meta| meta.status() >= 500 || reports_internal_failure(meta)),
            // Only reads were sent.
            Error::ListRead(_) => false,
        }
    }
}

/// What kind of transport failure happened.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, TLS handshake, connect timeout).
    Connect,
    /// The request or the answer took longer than the client's timeout.
    Timeout,
    /// A redirect was met (the client never follows them).
    Redirect,
    /// The answer body was larger than the client accepts (16 MiB).
    BodyTooLarge,
    /// Anything else: connection lost, malformed HTTP, request that could not be encoded.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Redirect => "redirect",
            TransportErrorKind::BodyTooLarge => "body too large",
            TransportErrorKind::Other => "other",
        })
    }
}

/// The request did not get a complete answer. The message never contains the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("transport error ({kind}): {message}{}", if *.may_have_run { "; the request may have reached the server" } else { "" })]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    may_have_run: bool,
    status: Option<u16>,
}

impl TransportError {
    /// A transport error (for tests and mock transports).
    pub fn new(kind: TransportErrorKind, message: impl Into<String>, may_have_run: bool) -> Self {
        Self {
            kind,
            message: message.into(),
            may_have_run,
            status: None,
        }
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// What went wrong, with the causes joined by `: `; never the URL.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the request may have reached the server (timeout, connection lost after
    /// sending, oversized answer); `false` when no connection was made.
    pub fn may_have_run(&self) -> bool {
        self.may_have_run
    }

    /// HTTP status, when an answer started to arrive (e.g. [`TransportErrorKind::BodyTooLarge`]).
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Classifies a reqwest error, dropping its URL and redacting `secret` from its causes.
    pub(crate) fn from_reqwest(error: reqwest::Error, secret: Option<&str>) -> Self {
        let error = error.without_url();
        let (kind, may_have_run) = if error.is_connect() {
            (TransportErrorKind::Connect, false)
        } else if error.is_timeout() {
            (TransportErrorKind::Timeout, true)
        } else if error.is_redirect() {
            (TransportErrorKind::Redirect, false)
        } else if error.is_builder() {
            (TransportErrorKind::Other, false)
        } else {
            (TransportErrorKind::Other, true)
        };
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        let message = text::clip_escaped(&text::redact(&message, secret), 500, false);
        let status = error.status().map(|s| s.as_u16());
        Self {
            kind,
            message,
            may_have_run,
            status,
        }
    }
}

/// The client could not be configured. Never shows the webhook code or the token.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The URL cannot be parsed or has parts a portal URL cannot have.
    #[error("invalid portal URL: {reason}")]
    InvalidUrl {
        /// What is wrong.
        reason: String,
    },
    /// Plain `http://` to a host that is not loopback: portals require HTTPS.
    #[error(
        "refusing plain http:// to `{host}`: Bitrix24 requires https:// (plain http is allowed only for loopback hosts)"
    )]
    InsecureScheme {
        /// The host that was given.
        host: String,
    },
    /// The URL is not of the form `https://<portal>/rest/<user_id>/<code>/`.
    #[error("not a webhook URL ({reason}); expected https://<portal>/rest/<user_id>/<code>/")]
    NotAWebhookUrl {
        /// What is wrong.
        reason: &'static str,
    },
    /// The access token is empty.
    #[error("the access token is empty")]
    EmptyToken,
    /// The operation needs an OAuth client, and this one uses a webhook.
    #[error("this client uses a webhook, not an OAuth access token")]
    NotOAuth,
    /// A token refresher was given for a webhook client, which has no access token to
    /// refresh: an `expired_token` answer could never be fixed by it.
    #[error(
        "a token refresher was given for a webhook client: webhooks have no access token to refresh (use `Auth::oauth`, or leave out `token_refresher`)"
    )]
    TokenRefresherWithoutOAuth,
    /// A [`Policy`](crate::Policy) setting is out of range.
    #[error("invalid policy: {reason}")]
    InvalidPolicy {
        /// What is wrong.
        reason: &'static str,
    },
    /// The HTTP client could not be built (e.g. an invalid `User-Agent`).
    #[error("cannot build the HTTP client: {message}")]
    HttpClient {
        /// What failed.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_display() {
        assert_eq!(
            ErrorMeta::new(400, "", "Wrong post ID").to_string(),
            "Wrong post ID (HTTP 400)"
        );
        assert_eq!(
            ErrorMeta::new(401, "NO_AUTH_FOUND", "Wrong authorization data").to_string(),
            "NO_AUTH_FOUND: Wrong authorization data (HTTP 401)"
        );
        assert_eq!(
            ErrorMeta::new(401, "wrong_client", "").to_string(),
            "wrong_client (HTTP 401)"
        );
        assert_eq!(
            ErrorMeta::new(400, "", " ").to_string(),
            "error without code or description (HTTP 400)"
        );
    }

    #[test]
    fn meta_accessors() {
        let mut extra = Map::new();
        extra.insert("argument".into(), Value::String(String::new()));
        let meta = ErrorMeta::new(400, "ERROR_ARGUMENT", "Wrong post ID").with_extra(extra.clone());
        assert_eq!(meta.status(), 400);
        assert_eq!(meta.code(), "ERROR_ARGUMENT");
        assert_eq!(meta.description(), "Wrong post ID");
        assert_eq!(meta.extra(), &extra);
    }

    #[test]
    fn transport_display() {
        let e = TransportError::new(TransportErrorKind::Timeout, "operation timed out", true);
        assert_eq!(
            e.to_string(),
            "transport error (timeout): operation timed out; the request may have reached the server"
        );
        let e = TransportError::new(TransportErrorKind::Connect, "refused", false);
        assert_eq!(e.to_string(), "transport error (connect): refused");
    }
}
