//! Typed client for the Bitrix24 REST API.
//!
//! Every method is a typed request with a typed result and a typed error enum, generated from
//! the method specifications in `spec/`; the runtime (HTTP, decoding, errors) is hand-written.
//! Calls are reached through scope accessors on a [`Client`] and sent by awaiting them.
//!
//! ```no_run
//! use b24_rest::Client;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::webhook("https://portal.example/rest/1/your_webhook_code/")?;
//! let response = client
//!     .log()
//!     .blogpost()
//!     .share(217, vec!["SG69".parse()?, "DR4".parse()?])
//!     .await?;
//! println!("recipients added: {}", response.result);
//! # Ok(())
//! # }
//! ```
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
//! ```no_run
//! use b24_rest::log::BlogpostShareError;
//! use b24_rest::{Client, Destination, Error, SystemError};
//!
//! # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
//! let dest = vec![Destination::Group(69)];
//! match client.log().blogpost().share(217, dest).await {
//!     Ok(response) => println!("shared: {}", response.result),
//!     Err(Error::Method(BlogpostShareError::NoReadPermission(meta))) => {
//!         eprintln!("not allowed to share: {}", meta.description());
//!     }
//!     Err(Error::System(SystemError::QueryLimitExceeded(_))) => eprintln!("slow down"),
//!     // Sharing posts a comment: never resend blindly when it may have run.
//!     Err(err) if err.may_have_run() => eprintln!("unknown outcome: {err}"),
//!     Err(err) => return Err(err.into()),
//! }
//! # Ok(())
//! # }
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
//! use b24_rest::{Auth, Backoff, Client, Policy, RateLimit};
//!
//! # async fn refresh_with_oauth_server() -> Result<String, std::io::Error> { Ok(String::new()) }
//! # fn build() -> Result<Client, b24_rest::ConfigError> {
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
//! # Testing without a portal
//!
//! With the cargo feature `mock`, `b24_rest::mock::MockPortal` is a local portal on loopback
//! that answers each method from its spec (examples, error rows, system errors), can be
//! scripted per method (answers, stalls, dropped connections) and records every call.
//!
//! The webhook code and the access token never appear in `Debug` or `Display` output of the
//! client or of any error, nor in tracing spans.

#[rustfmt::skip]
mod api;
mod runtime;

pub use api::shared::{Destination, SystemError, Time};
pub use api::*;
pub use runtime::batch::{
    Batch, BatchKey, BatchMethod, BatchResults, CallOutcome, MAX_BATCH_COMMANDS,
};
pub use runtime::client::{Auth, Call, Client, ClientBuilder, MAX_BODY_BYTES};
pub use runtime::decode::decode_response;
pub use runtime::error::{
    ConfigError, Error, ErrorMeta, Retry, TransportError, TransportErrorKind,
};
pub use runtime::event::{Event, EventData, EventError, EventFields};
pub use runtime::grammar::{GrammarError, GrammarErrorReason};
pub use runtime::method::{Method, MethodError, Paged, Response};
#[cfg(feature = "mock")]
pub use runtime::mock;
pub use runtime::paging::{MAX_PAGES, Pager};
pub use runtime::policy::{Backoff, Policy, RateLimit, ResetWait};
pub use runtime::retry::{OperatingBudget, RefreshResult, TokenRefreshError};
pub use runtime::values::{
    Date, DateParseError, DateTime, FileChanges, FileUpload, Id, SecretText,
};

/// Helpers the generated scope modules call. Not part of the API: public only so that a build
/// with every scope feature turned off does not report them as unused.
#[doc(hidden)]
pub mod __generated_support {
    pub use crate::runtime::matching::field;
}

/// The crate README's example, compiled as a doctest so that it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
