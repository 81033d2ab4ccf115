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
//! The webhook code and the access token never appear in `Debug` or `Display` output of the
//! client or of any error.

#[rustfmt::skip]
mod api;
mod runtime;

pub use api::shared::{Destination, SystemError, Time};
pub use api::{log, shared};
pub use runtime::client::{Auth, Call, Client, ClientBuilder, MAX_BODY_BYTES};
pub use runtime::decode::decode_response;
pub use runtime::error::{
    ConfigError, Error, ErrorMeta, Retry, TransportError, TransportErrorKind,
};
pub use runtime::grammar::{GrammarError, GrammarErrorReason};
pub use runtime::method::{Method, MethodError, Response};
