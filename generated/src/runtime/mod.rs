//! Hand-written runtime of `b24-rest`: transport, decoding, errors, and the helpers generated code calls.
//!
//! Everything public here is re-exported from the crate root; the generated code under
//! `src/api/` only refers to these items through `crate::…` paths.

pub(crate) mod client;
pub(crate) mod decode;
pub(crate) mod error;
pub(crate) mod grammar;
pub(crate) mod matching;
pub(crate) mod method;
pub(crate) mod secret;
pub(crate) mod text;
