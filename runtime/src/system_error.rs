//! The errors any method may return, recognised by code alone with the same table matcher
//! as a method's own errors.
//!
//! The table is [`b24_rest_contract::system_errors`], which the generator reads too: the
//! variants here and its rows are checked against each other by a test below.

use std::fmt;
use std::sync::OnceLock;

use b24_rest_contract::error_table::write_table;
use b24_rest_contract::system_errors::{self, SystemErrorDef};

use crate::error::{ErrorMeta, Retry};
use crate::method::ErrorRows;

/// An error any Bitrix24 REST method may return, whatever its own error table says.
///
/// Recognised by the `error` code alone, compared ignoring ASCII case (servers send both
/// `expired_token` and `EXPIRED_TOKEN`), whatever the HTTP status: the status is not a
/// reliable key. A method's own error table is consulted first, since it matches code and
/// text together.
///
/// | Variant | Code | HTTP | Retry |
/// |---|---|---|---|
/// | [`InternalServerError`](SystemError::InternalServerError) | `INTERNAL_SERVER_ERROR` | 500 | no |
/// | [`UnexpectedAnswer`](SystemError::UnexpectedAnswer) | `ERROR_UNEXPECTED_ANSWER` | 500 | no |
/// | [`QueryLimitExceeded`](SystemError::QueryLimitExceeded) | `QUERY_LIMIT_EXCEEDED` | 503 | yes |
/// | [`BatchMethodNotAllowed`](SystemError::BatchMethodNotAllowed) | `ERROR_BATCH_METHOD_NOT_ALLOWED` | 405 | no |
/// | [`BatchLengthExceeded`](SystemError::BatchLengthExceeded) | `ERROR_BATCH_LENGTH_EXCEEDED` | 400 | no |
/// | [`NoAuthFound`](SystemError::NoAuthFound) | `NO_AUTH_FOUND` | 401 | no |
/// | [`InvalidRequest`](SystemError::InvalidRequest) | `INVALID_REQUEST` | 400 | no |
/// | [`OverloadLimit`](SystemError::OverloadLimit) | `OVERLOAD_LIMIT` | 503 | no |
/// | [`AccessDenied`](SystemError::AccessDenied) | `ACCESS_DENIED` | 403 | no |
/// | [`InvalidCredentials`](SystemError::InvalidCredentials) | `INVALID_CREDENTIALS` | 403 | no |
/// | [`ManifestNotAvailable`](SystemError::ManifestNotAvailable) | `ERROR_MANIFEST_IS_NOT_AVAILABLE` | 404 | no |
/// | [`InsufficientScope`](SystemError::InsufficientScope) | `insufficient_scope` | 403, 401 | no |
/// | [`ExpiredToken`](SystemError::ExpiredToken) | `expired_token` | 401 | once |
/// | [`UserAccessError`](SystemError::UserAccessError) | `user_access_error` | 403 | no |
/// | [`PortalDeleted`](SystemError::PortalDeleted) | `PORTAL_DELETED` | 500 | no |
/// | [`OperationTimeLimit`](SystemError::OperationTimeLimit) | `OPERATION_TIME_LIMIT` | 429 | after the operating budget resets |
/// | [`MethodNotFound`](SystemError::MethodNotFound) | `ERROR_METHOD_NOT_FOUND` | 404 | no |
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SystemError {
    /// `INTERNAL_SERVER_ERROR`: Internal server error.
    ///
    /// An internal server error has occurred. Contact the server administrator or Bitrix24
    /// technical support.
    ///
    /// HTTP 500. Retry: no.
    InternalServerError(ErrorMeta),
    /// `ERROR_UNEXPECTED_ANSWER`: Server returned an unexpected response.
    ///
    /// An internal server error has occurred. Contact the server administrator or Bitrix24
    /// technical support.
    ///
    /// HTTP 500. Retry: no.
    UnexpectedAnswer(ErrorMeta),
    /// `QUERY_LIMIT_EXCEEDED`: Too many requests.
    ///
    /// The request intensity limit has been exceeded (leaky bucket: burst 50, drain 2 per
    /// second; Enterprise 250 and 5 per second). The call never ran, so it is safe to
    /// repeat after a growing delay.
    ///
    /// HTTP 503. Retry: yes, with a growing delay.
    QueryLimitExceeded(ErrorMeta),
    /// `ERROR_BATCH_METHOD_NOT_ALLOWED`: Method is not allowed for batch usage.
    ///
    /// The current method is not permitted inside `batch`.
    ///
    /// HTTP 405. Retry: no.
    BatchMethodNotAllowed(ErrorMeta),
    /// `ERROR_BATCH_LENGTH_EXCEEDED`: Max batch length exceeded.
    ///
    /// More than 50 commands were passed to `batch`.
    ///
    /// HTTP 400. Retry: no.
    BatchLengthExceeded(ErrorMeta),
    /// `NO_AUTH_FOUND`: Wrong authorization data.
    ///
    /// Invalid access token or webhook code.
    ///
    /// HTTP 401. Retry: no.
    NoAuthFound(ErrorMeta),
    /// `INVALID_REQUEST`: Https required.
    ///
    /// The HTTPS protocol is required for method calls.
    ///
    /// HTTP 400. Retry: no.
    InvalidRequest(ErrorMeta),
    /// `OVERLOAD_LIMIT`: REST API is blocked due to overload.
    ///
    /// The REST API is blocked due to overload. This is a manual block for the portal;
    /// contact Bitrix24 technical support to lift it.
    ///
    /// HTTP 503. Retry: no.
    OverloadLimit(ErrorMeta),
    /// `ACCESS_DENIED`: REST API is available only on commercial plans.
    ///
    /// The REST API is only available on commercial plans.
    ///
    /// HTTP 403. Retry: no.
    AccessDenied(ErrorMeta),
    /// `INVALID_CREDENTIALS`: Invalid request credentials.
    ///
    /// The user behind the access token or webhook lacks the permissions the method needs.
    ///
    /// HTTP 403. Retry: no.
    InvalidCredentials(ErrorMeta),
    /// `ERROR_MANIFEST_IS_NOT_AVAILABLE`: Manifest is not available.
    ///
    /// The manifest is not available.
    ///
    /// HTTP 404. Retry: no.
    ManifestNotAvailable(ErrorMeta),
    /// `insufficient_scope`: The request requires higher privileges than provided by the
    /// webhook token.
    ///
    /// The access token or webhook lacks the method's scope. On-premise servers answer with
    /// HTTP 401 instead of 403.
    ///
    /// HTTP 403 or 401. Retry: no.
    InsufficientScope(ErrorMeta),
    /// `expired_token`: The access token provided has expired.
    ///
    /// The OAuth access token has expired (they live one hour). Refresh it, then repeat the
    /// call once.
    ///
    /// HTTP 401. Retry: once, after refreshing the token.
    ExpiredToken(ErrorMeta),
    /// `user_access_error`: The user does not have access to the application.
    ///
    /// The application is installed, but the portal administrator has restricted it to
    /// specific users only.
    ///
    /// HTTP 403. Retry: no.
    UserAccessError(ErrorMeta),
    /// `PORTAL_DELETED`: Portal was deleted.
    ///
    /// The public part of the site is closed. On an on-premise installation, disable
    /// "Temporary closure of the public part of the site" in the main module settings.
    ///
    /// HTTP 500. Retry: no.
    PortalDeleted(ErrorMeta),
    /// `OPERATION_TIME_LIMIT`: Accumulated method execution time has exceeded the limit for
    /// the application or webhook.
    ///
    /// The method used more than its time budget (for example 480 s in ten one-minute
    /// windows). Other methods keep working. Wait until `operating_reset_at` of the last
    /// successful answer, then repeat the call.
    ///
    /// HTTP 429. Retry: after the operating budget resets.
    OperationTimeLimit(ErrorMeta),
    /// `ERROR_METHOD_NOT_FOUND`: Method not found!.
    ///
    /// The portal has no such method: a misspelt name, a module that is not installed, or a
    /// method of a newer server. Not on the system errors page; every server sends it.
    ///
    /// HTTP 404. Retry: no.
    MethodNotFound(ErrorMeta),
}

impl ErrorRows for SystemError {
    fn error_table() -> &'static str {
        static TABLE: OnceLock<String> = OnceLock::new();
        TABLE.get_or_init(|| write_table(&system_errors::error_table()))
    }

    fn from_row(variant: &str, _fields: &[String], meta: ErrorMeta) -> Result<Self, ErrorMeta> {
        Ok(match variant {
            "InternalServerError" => Self::InternalServerError(meta),
            "UnexpectedAnswer" => Self::UnexpectedAnswer(meta),
            "QueryLimitExceeded" => Self::QueryLimitExceeded(meta),
            "BatchMethodNotAllowed" => Self::BatchMethodNotAllowed(meta),
            "BatchLengthExceeded" => Self::BatchLengthExceeded(meta),
            "NoAuthFound" => Self::NoAuthFound(meta),
            "InvalidRequest" => Self::InvalidRequest(meta),
            "OverloadLimit" => Self::OverloadLimit(meta),
            "AccessDenied" => Self::AccessDenied(meta),
            "InvalidCredentials" => Self::InvalidCredentials(meta),
            "ManifestNotAvailable" => Self::ManifestNotAvailable(meta),
            "InsufficientScope" => Self::InsufficientScope(meta),
            "ExpiredToken" => Self::ExpiredToken(meta),
            "UserAccessError" => Self::UserAccessError(meta),
            "PortalDeleted" => Self::PortalDeleted(meta),
            "OperationTimeLimit" => Self::OperationTimeLimit(meta),
            "MethodNotFound" => Self::MethodNotFound(meta),
            _ => return Err(meta),
        })
    }
}

impl SystemError {
    /// Recognises a system error by its code; gives the error back when the code is not one
    /// of the table's.
    pub fn from_meta(meta: ErrorMeta) -> Result<Self, ErrorMeta> {
        Self::match_row(meta)
    }

    /// The variant's name and the raw error.
    fn parts(&self) -> (&'static str, &ErrorMeta) {
        match self {
            Self::InternalServerError(meta) => ("InternalServerError", meta),
            Self::UnexpectedAnswer(meta) => ("UnexpectedAnswer", meta),
            Self::QueryLimitExceeded(meta) => ("QueryLimitExceeded", meta),
            Self::BatchMethodNotAllowed(meta) => ("BatchMethodNotAllowed", meta),
            Self::BatchLengthExceeded(meta) => ("BatchLengthExceeded", meta),
            Self::NoAuthFound(meta) => ("NoAuthFound", meta),
            Self::InvalidRequest(meta) => ("InvalidRequest", meta),
            Self::OverloadLimit(meta) => ("OverloadLimit", meta),
            Self::AccessDenied(meta) => ("AccessDenied", meta),
            Self::InvalidCredentials(meta) => ("InvalidCredentials", meta),
            Self::ManifestNotAvailable(meta) => ("ManifestNotAvailable", meta),
            Self::InsufficientScope(meta) => ("InsufficientScope", meta),
            Self::ExpiredToken(meta) => ("ExpiredToken", meta),
            Self::UserAccessError(meta) => ("UserAccessError", meta),
            Self::PortalDeleted(meta) => ("PortalDeleted", meta),
            Self::OperationTimeLimit(meta) => ("OperationTimeLimit", meta),
            Self::MethodNotFound(meta) => ("MethodNotFound", meta),
        }
    }

    /// The raw error as the server sent it.
    pub fn meta(&self) -> &ErrorMeta {
        self.parts().1
    }

    /// The raw error as the server sent it, by value.
    pub fn into_meta(self) -> ErrorMeta {
        match self {
            Self::InternalServerError(meta)
            | Self::UnexpectedAnswer(meta)
            | Self::QueryLimitExceeded(meta)
            | Self::BatchMethodNotAllowed(meta)
            | Self::BatchLengthExceeded(meta)
            | Self::NoAuthFound(meta)
            | Self::InvalidRequest(meta)
            | Self::OverloadLimit(meta)
            | Self::AccessDenied(meta)
            | Self::InvalidCredentials(meta)
            | Self::ManifestNotAvailable(meta)
            | Self::InsufficientScope(meta)
            | Self::ExpiredToken(meta)
            | Self::UserAccessError(meta)
            | Self::PortalDeleted(meta)
            | Self::OperationTimeLimit(meta)
            | Self::MethodNotFound(meta) => meta,
        }
    }

    /// The variant's name, e.g. `"QueryLimitExceeded"`.
    pub fn variant_name(&self) -> &'static str {
        self.parts().0
    }

    /// The row of the system errors table this variant is.
    fn definition(&self) -> &'static SystemErrorDef {
        let name = self.variant_name();
        system_errors::SYSTEM_ERRORS
            .iter()
            .find(|row| row.name == name)
            .expect("every variant is a row of the table (checked by a test)")
    }

    /// The code as documented (the server's may differ in case).
    pub fn documented_code(&self) -> &'static str {
        self.definition().code
    }

    /// The HTTP status as documented (the server's may differ).
    pub fn documented_status(&self) -> u16 {
        self.definition().status
    }

    /// The documented error message.
    pub fn documented_message(&self) -> &'static str {
        self.definition().message
    }

    /// Whether and how the call may be repeated.
    pub fn retry(&self) -> Retry {
        self.definition().retry
    }
}

impl fmt::Display for SystemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variant_name(), self.meta())
    }
}

impl std::error::Error for SystemError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_builds_the_variant_it_names_and_every_variant_is_a_row() {
        for row in system_errors::SYSTEM_ERRORS {
            let code = row.code.to_ascii_lowercase();
            let meta = ErrorMeta::new(row.status, code, "localised text");
            let error = SystemError::from_meta(meta.clone())
                .unwrap_or_else(|_| panic!("{} is not recognised", row.code));
            assert_eq!(error.variant_name(), row.name);
            assert_eq!(error.documented_code(), row.code);
            assert_eq!(error.retry(), row.retry);
            assert_eq!(error.into_meta(), meta);
        }
        assert_eq!(
            SystemError::error_table().lines().count(),
            system_errors::SYSTEM_ERRORS.len() + 2
        );
        let unknown = ErrorMeta::new(400, "NOT_A_SYSTEM_ERROR", "");
        assert_eq!(SystemError::from_meta(unknown.clone()), Err(unknown));
    }
}
