//! The errors any Bitrix24 REST method may return, whatever its own error table says.
//!
//! The rows of the official page (`_includes/system-errors.md` of the REST reference, all
//! 15), plus `OPERATION_TIME_LIMIT` from `settings/performance/limits.md` and
//! `ERROR_METHOD_NOT_FOUND`, which every server sends for a method it does not have but no
//! page lists. Codes are compared ignoring ASCII case: servers send both `expired_token` and
//! `EXPIRED_TOKEN`.
//!
//! One table, read by both sides: the runtime's `SystemError` has a variant per row (a test
//! there checks each row builds the variant it names) and recognises them with the same
//! matcher as a method's error table ([`error_table`]); the generator checks the specs'
//! `system_error:` examples against it and writes them into the spec data.

use crate::error_table::{ErrorForm, ErrorRow};

/// What a caller may safely do after an error.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Retry {
    /// Retrying cannot help.
    Never,
    /// The call never ran; retry with a growing delay.
    Backoff,
    /// Wait until the method's operating budget resets (`time.operating_reset_at`), then retry.
    AfterReset,
    /// Refresh the OAuth access token, then retry once.
    AfterTokenRefresh,
}

/// One system error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemErrorDef {
    /// Variant name of the runtime's `SystemError` (`QueryLimitExceeded`).
    pub name: &'static str,
    /// The `error` code as documented; matched ignoring ASCII case.
    pub code: &'static str,
    /// HTTP status as documented.
    pub status: u16,
    /// Other statuses real servers use for the same code.
    pub also_status: &'static [u16],
    /// The documented error message.
    pub message: &'static str,
    /// What it means and what to do.
    pub description: &'static str,
    /// Whether and how a retry is safe.
    pub retry: Retry,
}

/// One sentence on what a system error is.
pub const SUMMARY: &str =
    "An error any Bitrix24 REST method may return, whatever its own error table says.";

/// Every system error, in the order of the official page.
pub const SYSTEM_ERRORS: &[SystemErrorDef] = &[
    SystemErrorDef {
        name: "InternalServerError",
        code: "INTERNAL_SERVER_ERROR",
        status: 500,
        also_status: &[],
        message: "Internal server error",
        description: "An internal server error has occurred. Contact the server administrator or Bitrix24 technical support.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "UnexpectedAnswer",
        code: "ERROR_UNEXPECTED_ANSWER",
        status: 500,
        also_status: &[],
        message: "Server returned an unexpected response",
        description: "An internal server error has occurred. Contact the server administrator or Bitrix24 technical support.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "QueryLimitExceeded",
        code: "QUERY_LIMIT_EXCEEDED",
        status: 503,
        also_status: &[],
        message: "Too many requests",
        description: "The request intensity limit has been exceeded (leaky bucket: burst 50, drain 2 per second; Enterprise 250 and 5 per second). The call never ran, so it is safe to repeat after a growing delay.",
        retry: Retry::Backoff,
    },
    SystemErrorDef {
        name: "BatchMethodNotAllowed",
        code: "ERROR_BATCH_METHOD_NOT_ALLOWED",
        status: 405,
        also_status: &[],
        message: "Method is not allowed for batch usage",
        description: "The current method is not permitted inside `batch`.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "BatchLengthExceeded",
        code: "ERROR_BATCH_LENGTH_EXCEEDED",
        status: 400,
        also_status: &[],
        message: "Max batch length exceeded",
        description: "More than 50 commands were passed to `batch`.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "NoAuthFound",
        code: "NO_AUTH_FOUND",
        status: 401,
        also_status: &[],
        message: "Wrong authorization data",
        description: "Invalid access token or webhook code.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "InvalidRequest",
        code: "INVALID_REQUEST",
        status: 400,
        also_status: &[],
        message: "Https required",
        description: "The HTTPS protocol is required for method calls.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "OverloadLimit",
        code: "OVERLOAD_LIMIT",
        status: 503,
        also_status: &[],
        message: "REST API is blocked due to overload",
        description: "The REST API is blocked due to overload. This is a manual block for the portal; contact Bitrix24 technical support to lift it.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "AccessDenied",
        code: "ACCESS_DENIED",
        status: 403,
        also_status: &[],
        message: "REST API is available only on commercial plans",
        description: "The REST API is only available on commercial plans.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "InvalidCredentials",
        code: "INVALID_CREDENTIALS",
        status: 403,
        also_status: &[],
        message: "Invalid request credentials",
        description: "The user behind the access token or webhook lacks the permissions the method needs.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "ManifestNotAvailable",
        code: "ERROR_MANIFEST_IS_NOT_AVAILABLE",
        status: 404,
        also_status: &[],
        message: "Manifest is not available",
        description: "The manifest is not available.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "InsufficientScope",
        code: "insufficient_scope",
        status: 403,
        also_status: &[401],
        message: "The request requires higher privileges than provided by the webhook token",
        description: "The access token or webhook lacks the method's scope. On-premise servers answer with HTTP 401 instead of 403.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "ExpiredToken",
        code: "expired_token",
        status: 401,
        also_status: &[],
        message: "The access token provided has expired",
        description: "The OAuth access token has expired (they live one hour). Refresh it, then repeat the call once.",
        retry: Retry::AfterTokenRefresh,
    },
    SystemErrorDef {
        name: "UserAccessError",
        code: "user_access_error",
        status: 403,
        also_status: &[],
        message: "The user does not have access to the application",
        description: "The application is installed, but the portal administrator has restricted it to specific users only.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "PortalDeleted",
        code: "PORTAL_DELETED",
        status: 500,
        also_status: &[],
        message: "Portal was deleted",
        description: "The public part of the site is closed. On an on-premise installation, disable \"Temporary closure of the public part of the site\" in the main module settings.",
        retry: Retry::Never,
    },
    SystemErrorDef {
        name: "OperationTimeLimit",
        code: "OPERATION_TIME_LIMIT",
        status: 429,
        also_status: &[],
        message: "Accumulated method execution time has exceeded the limit for the application or webhook",
        description: "The method used more than its time budget (for example 480 s in ten one-minute windows). Other methods keep working. Wait until `operating_reset_at` of the last successful answer, then repeat the call.",
        retry: Retry::AfterReset,
    },
    SystemErrorDef {
        name: "MethodNotFound",
        code: "ERROR_METHOD_NOT_FOUND",
        status: 404,
        also_status: &[],
        message: "Method not found!",
        description: "The portal has no such method: a misspelt name, a module that is not installed, or a method of a newer server. Not on the system errors page; every server sends it.",
        retry: Retry::Never,
    },
];

/// The system error whose code is `code` (ignoring ASCII case and surrounding white space).
pub fn by_code(code: &str) -> Option<&'static SystemErrorDef> {
    let code = code.trim();
    SYSTEM_ERRORS
        .iter()
        .find(|row| row.code.eq_ignore_ascii_case(code))
}

/// The system errors as an error table: one code-only row per error, in order.
pub fn error_table() -> Vec<ErrorRow> {
    SYSTEM_ERRORS
        .iter()
        .map(|row| ErrorRow {
            variant: row.name.to_owned(),
            forms: vec![ErrorForm {
                codes: vec![row.code.to_owned()],
                ..ErrorForm::default()
            }],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error_table::{TextMatch, parse_table, write_table};

    #[test]
    fn names_and_codes_are_unique_and_the_table_is_code_only() {
        for (i, row) in SYSTEM_ERRORS.iter().enumerate() {
            for other in &SYSTEM_ERRORS[i + 1..] {
                assert_ne!(row.name, other.name);
                assert!(!row.code.eq_ignore_ascii_case(other.code), "{}", row.code);
            }
        }
        let table = parse_table(&write_table(&error_table())).unwrap();
        assert_eq!(table.len(), SYSTEM_ERRORS.len());
        assert!(
            table
                .iter()
                .all(|row| row.forms[0].text() == TextMatch::Any)
        );
        assert_eq!(
            by_code(" EXPIRED_TOKEN ").map(|row| row.name),
            Some("ExpiredToken")
        );
        assert_eq!(by_code("NOT_A_CODE"), None);
    }
}
