//! Exit codes of `b24`, one per class of outcome, so that scripts can tell a refused call from
//! one that never reached the portal, and a call that is safe to send again from one that may
//! already have run. `b24 --help` lists them ([`HELP`]).

use b24_rest::{Error, MethodError};

/// How a run of `b24` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The call succeeded; its result is on stdout.
    Success,
    /// The command line or the request is wrong; nothing was sent.
    Usage,
    /// The method's own error: a row of its error table, or one the table does not list.
    Method,
    /// An error any method may return: authentication, scope, limits, method not found,
    /// internal server error.
    System,
    /// No usable answer, and the call did not run: no connection could be made, a redirect,
    /// a 4xx answer that is not the documented JSON. Safe to send again.
    Transport,
    /// No usable answer, and the call may have run: a timeout or a connection lost after
    /// sending, a 5xx or 2xx answer that is not the documented JSON. Sending it again may
    /// repeat it (a post shared twice).
    MayHaveRun,
    /// `--all`: reading the whole list stopped because going on could miss or repeat a
    /// record (the portal broke the order asked for, a record had no id, or the request
    /// cannot be read that way). The records printed before it are correct.
    ListRead,
    /// A fault of `b24` itself: its method catalogue does not match its generated code. Not
    /// in [`HELP`]: the unit tests keep such a build from being made.
    Internal,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Usage => 2,
            Exit::Method => 3,
            Exit::System => 4,
            Exit::Transport => 5,
            Exit::MayHaveRun => 6,
            Exit::ListRead => 7,
            Exit::Internal => 1,
        }
    }

    /// The class of a failed call.
    pub fn of<E: MethodError>(error: &Error<E>) -> Exit {
        match error {
            Error::Method(_) => Exit::Method,
            // An expired token that could not be refreshed is an authentication failure.
            Error::System(_) | Error::TokenRefresh(_) => Exit::System,
            // Only `--all` reads whole lists.
            Error::ListRead(_) => Exit::ListRead,
            // Transport and protocol failures, and kinds this version does not know yet: no
            // documented answer came, and the SDK knows whether the request got through.
            _ if error.may_have_run() => Exit::MayHaveRun,
            _ => Exit::Transport,
        }
    }
}

/// The exit codes, as `b24 --help` shows them.
pub const HELP: &str = "\
Exit codes:
  0  success: the result is on stdout
  2  usage error or invalid argument: nothing was sent
  3  the method's own error: a row of its error table, or a method error it does not list
  4  a system error: authentication, scope, limits, method not found, internal server error
  5  transport or protocol, and the call did not run: cannot connect, a redirect, a 4xx
     answer that is not the documented JSON (safe to send again)
  6  transport or protocol, and the call may have run: a timeout or a connection lost after
     sending, an answer that is not the documented JSON (check before sending it again)
  7  --all: reading the whole list stopped, as going on could miss or repeat a record (the
     portal broke the order asked for, or a record had no id); the records printed are correct";

#[cfg(test)]
mod tests {
    use b24_rest::log::BlogpostShareRequest;
    use b24_rest::{TransportError, TransportErrorKind, UntypedError, decode_response};

    use super::*;

    fn class(status: u16, body: &str) -> Exit {
        let error = decode_response::<BlogpostShareRequest>(status, body.as_bytes())
            .expect_err("an error answer");
        Exit::of(&error)
    }

    #[test]
    fn codes_are_the_documented_ones() {
        let all = [
            Exit::Success,
            Exit::Usage,
            Exit::Method,
            Exit::System,
            Exit::Transport,
            Exit::MayHaveRun,
            Exit::ListRead,
        ];
        let codes: Vec<u8> = all.iter().map(|exit| exit.code()).collect();
        assert_eq!(codes, [0, 2, 3, 4, 5, 6, 7]);
        for code in &codes[1..] {
            assert!(HELP.contains(&format!("\n  {code}  ")), "{code}");
        }
        assert!(!codes.contains(&Exit::Internal.code()));
    }

    #[test]
    fn errors_map_to_their_class() {
        let row = r#"{"error":"","error_description":"No read perms"}"#;
        assert_eq!(class(400, row), Exit::Method);
        let unlisted = r#"{"error":"SOMETHING_NEW","error_description":"New"}"#;
        assert_eq!(class(400, unlisted), Exit::Method);
        for (status, code) in [
            (401, "expired_token"),
            (403, "insufficient_scope"),
            (503, "QUERY_LIMIT_EXCEEDED"),
            (404, "ERROR_METHOD_NOT_FOUND"),
            (500, "INTERNAL_SERVER_ERROR"),
        ] {
            let body = format!(r#"{{"error":"{code}","error_description":"x"}}"#);
            assert_eq!(class(status, &body), Exit::System, "{code}");
        }
        // Answers that are not the documented JSON: a gateway's page, truncated JSON, a 200
        // that cannot be read. The request arrived: it may have run.
        assert_eq!(class(502, "<html>Bad gateway</html>"), Exit::MayHaveRun);
        assert_eq!(
            class(200, r#"{"result":"not a boolean"}"#),
            Exit::MayHaveRun
        );
        assert_eq!(class(200, r#"{"result":tr"#), Exit::MayHaveRun);
        assert_eq!(class(200, ""), Exit::MayHaveRun);
        // A page that is no gateway's: the portal refused the request before it ran.
        assert_eq!(class(404, "<html>Not found</html>"), Exit::Transport);
    }

    #[test]
    fn transport_failures_tell_whether_the_call_may_have_run() {
        let transport = |kind, may_have_run| {
            let error = TransportError::new(kind, "x", may_have_run);
            Exit::of::<UntypedError>(&Error::Transport(error))
        };
        assert_eq!(
            transport(TransportErrorKind::Connect, false),
            Exit::Transport
        );
        assert_eq!(
            transport(TransportErrorKind::Timeout, true),
            Exit::MayHaveRun
        );
        assert_eq!(transport(TransportErrorKind::Other, true), Exit::MayHaveRun);
    }
}
