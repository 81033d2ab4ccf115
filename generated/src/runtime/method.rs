//! The traits every generated method implements, and the success [`Response`].

use crate::api::shared::Time;
use crate::runtime::error::ErrorMeta;

/// One REST method: its request parameters (serialized as the JSON body), its wire name, and
/// the types of its result and errors. Implemented by the generated `…Request` structs.
pub trait Method: serde::Serialize + Send + Sync + 'static {
    /// Wire name, e.g. `log.blogpost.share`.
    const NAME: &'static str;
    /// Whether sending the same call twice is harmless.
    const SAFE_TO_REPEAT: bool;
    /// Whether the method may run inside `batch`.
    const BATCH: bool;
    /// What `result` holds on success.
    type Output: serde::de::DeserializeOwned + Send + 'static;
    /// The method's own errors.
    type Error: MethodError;
}

/// A method's error enum: one variant per row of its error table, plus `Unhandled`.
///
/// An error answer is classified in this order: the method's own rows (code *and* text, in
/// table order), then the system errors (code only), then `Unhandled`. Rows come first because
/// they are the more specific match: a method may give its own meaning to a code such as
/// `ACCESS_DENIED`.
pub trait MethodError: std::error::Error + Send + Sync + 'static {
    /// The row that matches the server's (code, description), or the error back when none does.
    fn match_row(meta: ErrorMeta) -> Result<Self, ErrorMeta>
    where
        Self: Sized;
    /// The `Unhandled` variant: an error the table does not list.
    fn unhandled(meta: ErrorMeta) -> Self
    where
        Self: Sized;
    /// Picks the row that matches the server's (code, description); `Unhandled` when none does.
    /// (System errors are not considered: see [`crate::decode_response`] for the full order.)
    fn from_meta(meta: ErrorMeta) -> Self
    where
        Self: Sized,
    {
        Self::match_row(meta).unwrap_or_else(Self::unhandled)
    }
    /// The raw error as the server sent it.
    fn meta(&self) -> &ErrorMeta;
    /// Name of the variant, e.g. `"WrongPostId"` or `"Unhandled"`.
    fn variant_name(&self) -> &'static str;
}

/// A successful answer: the decoded `result` and the server's timing information.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    /// The method's result.
    pub result: T,
    /// Timing information; `None` when absent or malformed.
    pub time: Option<Time>,
}

impl<T> Response<T> {
    /// A response (for tests and mock transports).
    pub fn new(result: T, time: Option<Time>) -> Self {
        Self { result, time }
    }
}
