//! Hand-written runtime of `b24-rest`: transport, decoding, errors, and the helpers generated code calls.
//!
//! Everything public here is re-exported from the crate root; the generated code under
//! `src/api/` only refers to these items through `crate::…` paths.

pub(crate) mod batch;
pub(crate) mod client;
#[cfg(test)]
pub(crate) mod conformance;
pub(crate) mod de;
pub(crate) mod decode;
pub(crate) mod error;
pub(crate) mod event;
pub(crate) mod grammar;
pub(crate) mod limiter;
pub(crate) mod matching;
pub(crate) mod method;
#[cfg(feature = "mock")]
pub mod mock;
pub(crate) mod paging;
pub(crate) mod policy;
pub(crate) mod query;
pub(crate) mod retry;
pub(crate) mod secret;
#[cfg(any(test, feature = "mock"))]
pub(crate) mod spec_data;
pub(crate) mod text;
pub(crate) mod values;
