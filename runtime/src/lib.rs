//! The hand-written runtime of `b24-rest`, the typed Bitrix24 REST client: transport,
//! authentication, rate limiting and retries, decoding, errors, batch, paging, events, the
//! mock portal and the conformance checker.
//!
//! Users depend on `b24-rest`, which is generated from the method specs and re-exports
//! everything public here; this crate names no method, no scope and nothing generated. What
//! every answer shares (the `time` object, the [`SystemError`]s, an event's [`EventAuth`]) is
//! its own; each method is a type implementing [`Method`], whose errors implement
//! [`MethodError`] through an error table ([`ErrorRows`]), and the generated code reaches the
//! rest through the paths below (and [`__private`], which is not part of the API).
//!
//! A call is a [`Call`] from [`Client::call`], sent by awaiting it; [`Client::batch`] sends
//! many in one request; [`Pager`] walks a list method's pages.
//!
//! # Errors
//!
//! A failed call is an [`Error`]: [`Error::Method`] carries the method's own error enum (one
//! variant per row of its error table, recognised by code *and* description, plus `Unhandled`),
//! [`Error::System`] an error any method can return ([`SystemError`]: rate limits, expired
//! tokens, …), and the other variants answers that are not REST answers, undecodable results
//! and transport failures. Every server error keeps the raw status, code and description in
//! an [`ErrorMeta`].
//!
//! ```
//! use b24_rest_runtime::{Error, MethodError, SystemError};
//!
//! fn explain<E: MethodError>(error: &Error<E>) -> String {
//!     match error {
//!         Error::Method(own) => format!("{}: {}", own.variant_name(), own.meta().description()),
//!         Error::System(SystemError::QueryLimitExceeded(_)) => "slow down".to_owned(),
//!         // A method that is not safe to repeat is never resent when it may have run.
//!         other if other.may_have_run() => format!("unknown outcome: {other}"),
//!         other => other.to_string(),
//!     }
//! }
//! ```
//!
//! # Rate limits, retries and token refresh
//!
//! Portals throttle: a leaky bucket per portal and IP address (`QUERY_LIMIT_EXCEEDED`, HTTP
//! 503) and a time budget per method (`OPERATION_TIME_LIMIT`, HTTP 429). Every client follows
//! a [`Policy`], shared by all its clones; [`Policy::default`] is:
//!
//! - **pacing**: a client-side leaky bucket, burst 50 and 2 requests per second
//!   ([`RateLimit::STANDARD`]; [`RateLimit::ENTERPRISE`] is 250 and 5/s; [`RateLimit::new`]
//!   for other values; `None` turns it off);
//! - **`QUERY_LIMIT_EXCEEDED`**: retried up to 5 times, after 1 s, doubling to at most 30 s,
//!   with jitter, for every method (the call never ran);
//! - **`OPERATION_TIME_LIMIT`**: retried up to 2 times, each after the method's budget resets
//!   (`operating_reset_at` of its last successful answer, measured on the portal's clock), or
//!   after 60 s when that is unknown, never waiting more than 10 minutes. The budget itself
//!   is [`Client::operating`];
//! - **`expired_token`** (OAuth): the [token refresher](ClientBuilder::token_refresher) runs
//!   once for all the calls that met it, and each is repeated once with the new token; a
//!   refresher still running after 30 s ([`Policy::token_refresh_timeout`]) is given up, and
//!   the calls waiting on it get [`Error::TokenRefresh`];
//! - **no connection could be made**: retried up to 2 times for every method (the request
//!   never left);
//! - **a timeout, a connection lost after sending, or a 502, 503 or 504 that is not a REST
//!   answer** (a proxy's HTML page or empty body): a method the spec marks safe to repeat
//!   is retried up to 2 times; one that is not (`log.blogpost.share` posts a comment) is
//!   **never** sent again, and its error's [`Error::may_have_run`] is `true`;
//! - every other error is returned at once.
//!
//! ```no_run
//! use std::time::Duration;
//! use b24_rest_runtime::{Auth, Backoff, Client, Policy, RateLimit};
//!
//! # async fn refresh_with_oauth_server() -> Result<String, std::io::Error> { Ok(String::new()) }
//! # fn build() -> Result<Client, b24_rest_runtime::ConfigError> {
//! let policy = Policy::default()
//!     .rate_limit(Some(RateLimit::ENTERPRISE))
//!     .query_limit(Backoff::new(3, Duration::from_millis(500), Duration::from_secs(10)));
//! let client = Client::builder(Auth::oauth("https://portal.example", "access-token")?)
//!     .policy(policy)
//!     .token_refresher(|| async { Ok(refresh_with_oauth_server().await?) })
//!     .build()?;
//! # Ok(client)
//! # }
//! ```
//!
//! [`Policy::none`] turns all of it off. Each call is a `tracing` span `b24_rest.call`
//! (method, attempts, final status and outcome) with a `b24_rest.attempt` span per attempt
//! (attempt number, time waited for the rate limiter, status) and an event for each retry
//! (reason and wait). None of them carries the URL, the body or a token.
//!
//! # Batch
//!
//! [`Client::batch`] collects typed calls and sends them 50 to a request; each call's typed
//! result or typed error comes back under its [`BatchKey`] ([`BatchResults::get`]). Only
//! methods whose spec allows `batch` can be added ([`BatchMethod`]); `halt` stops at the first
//! failure. See [`Batch`].
//!
//! # Reading whole lists
//!
//! [`Client::read_all`] streams every record a list request matches ([`ReadAll`], a
//! `futures_core::Stream` with an inherent `next`, and [`ReadAll::limit`]), choosing the
//! fastest strategy the method allows ([`ReadStrategy`]): windows on the last id read
//! (`filter[>ID]`, `start = -1`) chained 50 pages to a `batch` request where the method sorts
//! and filters by its id ([`ListMethod`], [`ListShape`]), many `start` pages per `batch`
//! request, or one page a request. No record is missed or repeated while records are added or
//! deleted, pages come back short, or `next` and `total` disagree.
//!
//! # Testing without a portal
//!
//! With the cargo feature `mock`, [`mock::MockPortal`] is a local portal on loopback that
//! answers each method from its spec (examples, error rows, system errors), can be scripted
//! per method (answers, stalls, dropped connections), serves list methods from data sets
//! ([`mock::MockPortal::list_data`]) and records every call. The feature
//! `conformance` adds [`conformance`], the checks each generated method's tests run on its
//! spec's examples.
//!
//! The webhook code and the access token never appear in `Debug` or `Display` output of the
//! client or of any error, nor in tracing spans.

#![warn(missing_docs, unreachable_pub)]
// docs.rs builds with `--cfg docsrs` on nightly: items behind a feature say which.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod as_json;
mod batch;
mod client;
#[cfg(feature = "conformance")]
pub mod conformance;
mod de;
mod decode;
mod error;
mod event;
mod fields;
mod grammar;
mod limiter;
mod list;
mod matching;
mod method;
mod method_impls;
#[cfg(feature = "mock")]
pub mod mock;
mod oauth;
mod ordered;
mod paging;
mod policy;
mod query;
mod raw;
mod retry;
mod secret;
#[cfg(any(feature = "mock", feature = "conformance"))]
mod spec_data;
mod system_error;
#[cfg(test)]
mod test_method;
mod text;
mod time;
mod values;
mod wire;

pub use as_json::AsJson;
pub use batch::{Batch, BatchKey, BatchMethod, BatchResults, CallOutcome, MAX_BATCH_COMMANDS};
pub use client::{Auth, Call, Client, ClientBuilder, MAX_BODY_BYTES};
pub use decode::decode_response;
pub use error::{
    ConfigError, Error, ErrorMeta, ListReadError, Retry, TransportError, TransportErrorKind,
};
pub use event::{Event, EventAuth, EventData, EventError, EventFields};
pub use grammar::{GrammarError, GrammarErrorReason};
pub use list::{ListMethod, ListShape, ReadAll, ReadStats, ReadStrategy};
pub use method::{ApiVersion, ErrorRows, Method, MethodError, Paged, Response, UntypedError};
pub use oauth::{OAUTH_SERVER, OAuthApp, OAuthError, OAuthTokens};
pub use paging::{Following, MAX_PAGES, Pager, Paging, Position};
pub use policy::{Backoff, Policy, RateLimit, ResetWait};
pub use raw::RawRequest;
pub use retry::{OperatingBudget, RefreshResult, RetryNotice, RetryReason, TokenRefreshError};
#[cfg(any(feature = "mock", feature = "conformance"))]
pub use spec_data::SpecSource;
pub use system_error::SystemError;
pub use time::Time;
pub use values::{
    Date, DateParseError, DateTime, Decimal, DecimalParseError, FileChanges, FileUpload, Id,
    SecretText,
};

/// The JSON library of raw results, [`RawRequest`] parameters and open fields, re-exported
/// so that a caller needs no dependency of its own (and no second version of it).
pub use serde_json;

/// Helpers the generated code calls: deserializers for the "no value" forms servers send,
/// the grammar parsers, the error-row field reader. Not part of the API; they may change in
/// any release.
#[doc(hidden)]
pub mod __private {
    /// The inherent fns and `IntoFuture` of a generated method's call type.
    pub use crate::__call_impls as call_impls;
    /// The impls of a generated method's error enum (`ErrorRows`, `MethodError`, `Debug`,
    /// `PartialEq`, `Display`, `Error`); see the macro's own docs.
    pub use crate::__method_error as method_error;
    pub use crate::de::{empty_as_none, list_or_empty, map_or_empty, records, text_or_none};
    pub use crate::fields::{Fields, Lenient};
    pub use crate::grammar::{empty, expect_end, parse_id, parse_text, unknown_form};
    pub use crate::matching::{code_eq, field};
    pub use crate::method_impls::{field_label, next_field};
    pub use crate::paging::{
        count_records, index_at, key_index, pagination_cursor, pagination_offset, position_of,
        set_index, set_key_index, set_pagination_cursor, set_pagination_offset,
    };
    pub use crate::wire::{
        DoubleShape, double, enum_number_text, json_value, serialize_enum_number,
    };
}
