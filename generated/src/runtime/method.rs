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
    /// List methods: the `start` of the next page; `None` on the last page.
    pub next: Option<u64>,
    /// List methods: how many records match in all.
    pub total: Option<u64>,
}

impl<T> Response<T> {
    /// A response (for tests and mock transports).
    pub fn new(result: T, time: Option<Time>) -> Self {
        Self {
            result,
            time,
            next: None,
            total: None,
        }
    }

    /// The same response with paging information.
    #[must_use]
    pub fn with_paging(mut self, next: Option<u64>, total: Option<u64>) -> Self {
        self.next = next;
        self.total = total;
        self
    }
}

/// A list method that pages with `start` (pages of 50 records; the answer's `next` is the
/// `start` of the following page). Implemented by generated requests whose spec says
/// `paging: start`; [`Client::pages`](crate::Client::pages) walks every page.
pub trait Paged: Method + Clone {
    /// The records of one page.
    type Item;
    /// Sets `start`.
    fn set_start(&mut self, start: i64);
    /// The records of a page's result.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}
