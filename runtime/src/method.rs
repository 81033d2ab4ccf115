//! The traits every generated method implements, and the success [`Response`].

use crate::error::ErrorMeta;
use crate::matching::recognise;
use crate::paging::{Following, Paging, Position};
use crate::time::Time;

/// The version of the REST API a method belongs to, which decides where it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ApiVersion {
    /// The classic API: `https://<portal>/rest/<user_id>/<code>/<method>` (webhook) or
    /// `https://<portal>/rest/<method>` (OAuth, the token in the body's `auth`).
    #[default]
    V2,
    /// REST 3.0: `https://<portal>/rest/api/<user_id>/<code>/<method>` (webhook) or
    /// `https://<portal>/rest/api/<method>` (OAuth). Its errors, `{"error": {"code": …,
    /// "message": …}}`, decode like the classic ones (code and text kept). Not callable inside
    /// the classic `batch`.
    V3,
}

impl ApiVersion {
    /// The path from the portal's origin to the methods: `/rest/` or `/rest/api/`.
    pub fn base_path(self) -> &'static str {
        match self {
            ApiVersion::V2 => "/rest/",
            ApiVersion::V3 => "/rest/api/",
        }
    }
}

/// One REST method: its request parameters (serialized as the JSON body), its wire name, and
/// the types of its result and errors. Implemented by the generated `…Request` structs.
pub trait Method: serde::Serialize + Send + Sync + 'static {
    /// Wire name, e.g. `log.blogpost.share`.
    const NAME: &'static str;
    /// The REST version the method belongs to: where it is sent. [`ApiVersion::V2`] unless
    /// the method says otherwise.
    const API: ApiVersion = ApiVersion::V2;
    /// Whether sending the same call twice is harmless.
    const SAFE_TO_REPEAT: bool;
    /// Whether the method may run inside `batch`.
    const BATCH: bool;
    /// What `result` holds on success.
    type Output: serde::de::DeserializeOwned + Send + 'static;
    /// The method's own errors.
    type Error: MethodError;

    /// The wire name this request is sent to: [`NAME`](Self::NAME), except for a request
    /// whose method is chosen at run time ([`RawRequest`](crate::RawRequest)).
    fn name(&self) -> &str {
        Self::NAME
    }

    /// The REST version this request is sent to: [`API`](Self::API), except for a request
    /// that says so at run time ([`RawRequest::with_api`](crate::RawRequest::with_api)).
    fn api_version(&self) -> ApiVersion {
        Self::API
    }

    /// Whether this request may be sent twice: [`SAFE_TO_REPEAT`](Self::SAFE_TO_REPEAT),
    /// except for a request that says so at run time.
    fn safe_to_repeat(&self) -> bool {
        Self::SAFE_TO_REPEAT
    }

    /// The spec data of the method's scope, as (scope, JSON), for the mock portal's answers
    /// and the conformance checks. Only the generated crate's tests and its feature `mock`
    /// fill it in; empty otherwise.
    #[doc(hidden)]
    fn spec_data() -> (&'static str, &'static str) {
        ("", "")
    }
}

/// An error recognised through an error table: the one mechanism behind a method's error
/// enum and [`SystemError`](crate::SystemError). The table is data (JSON in the shape of
/// [`b24_rest_contract::error_table`]); each row names the variant it builds.
pub trait ErrorRows: Sized {
    /// The error table: JSON, for each row in table order the variant it builds and the forms
    /// that recognise it, e.g. `[{"variant": "WrongPostId", "forms": [{"codes": ["",
    /// "ERROR_ARGUMENT"], "exact": "Wrong post ID"}]}]`, parsed on first use. Empty for a
    /// method without rows.
    fn error_table() -> &'static str {
        "[]"
    }

    /// The variant a row names, with its fields as the server wrote them (in field order);
    /// the error back when a field does not parse as its type or no variant has that name.
    fn from_row(variant: &str, fields: &[String], meta: ErrorMeta) -> Result<Self, ErrorMeta> {
        let _ = (variant, fields);
        Err(meta)
    }

    /// The first row, in table order, one of whose forms recognises the server's (code,
    /// description) and whose fields parse; the error back when none does.
    fn match_row(meta: ErrorMeta) -> Result<Self, ErrorMeta> {
        let (mut meta, mut from) = (meta, 0);
        let table = Self::error_table();
        while let Some((form, variant, fields)) =
            recognise(table, from, meta.code(), meta.description())
        {
            match Self::from_row(variant, &fields, meta) {
                Ok(error) => return Ok(error),
                // A field did not parse: the error back, and on with the next form.
                Err(back) => (meta, from) = (back, form + 1),
            }
        }
        Err(meta)
    }
}

/// A method's error enum: one variant per row of its error table, plus `Unhandled`.
///
/// An error answer is classified in this order: the method's own rows (code *and* text, in
/// table order), then the system errors (code only), then `Unhandled`. Rows come first because
/// they are the more specific match: a method may give its own meaning to a code such as
/// `ACCESS_DENIED`.
pub trait MethodError: ErrorRows + std::error::Error + Send + Sync + 'static {
    /// The `Unhandled` variant: an error the table does not list.
    fn unhandled(meta: ErrorMeta) -> Self;
    /// Picks the row that matches the server's (code, description); `Unhandled` when none does.
    /// (System errors are not considered: see [`decode_response`](crate::decode_response) for
    /// the full order.)
    fn from_meta(meta: ErrorMeta) -> Self {
        Self::match_row(meta).unwrap_or_else(Self::unhandled)
    }
    /// The variant's name and the raw error: one `match` serves [`MethodError::meta`] and
    /// [`MethodError::variant_name`].
    fn parts(&self) -> (&'static str, &ErrorMeta);
    /// The raw error as the server sent it.
    fn meta(&self) -> &ErrorMeta {
        self.parts().1
    }
    /// Name of the variant, e.g. `"WrongPostId"` or `"Unhandled"`.
    fn variant_name(&self) -> &'static str {
        self.parts().0
    }
}

/// The error of a method without an error table of its own (a method written by hand, or
/// one called by name): whatever the portal answers that is not a system error, kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct UntypedError(pub ErrorMeta);

impl ErrorRows for UntypedError {}

impl MethodError for UntypedError {
    fn unhandled(meta: ErrorMeta) -> Self {
        UntypedError(meta)
    }

    fn parts(&self) -> (&'static str, &ErrorMeta) {
        ("Unhandled", &self.0)
    }
}

impl std::fmt::Display for UntypedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for UntypedError {}

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

/// A list method whose pages a [`Pager`](crate::Pager) walks: implemented by generated
/// requests whose spec says how they page (`paging:`). [`PAGING`](Paged::PAGING) says how the
/// following page is found; the request reads and writes its own paging parameter
/// (`start`, `OFFSET`, `page`, `NAV_PARAMS.iNumPage`, REST 3.0 `pagination`), and the result
/// says how many records it holds and, where the method's answer says so, whether more follow.
pub trait Paged: Method + Clone {
    /// The records of one page.
    type Item;
    /// How the following page is found.
    const PAGING: Paging = Paging::Start;
    /// The keys that lead from the result to a page's records (`["items"]` for
    /// `{"items": [...]}`); none when the result is the page itself.
    const RECORDS: &'static [&'static str] = &[];
    /// Where this request's page starts, as the caller built it (`start` 0, page 1 when unset).
    fn position(&self) -> Position;
    /// Points the request at the page at `position`; `false` when its parameter cannot hold it
    /// (a cursor where a number goes), which ends the walk.
    fn set_position(&mut self, position: &Position) -> bool;
    /// How many records a page's result holds.
    fn count(output: &Self::Output) -> usize;
    /// The records of a page's result.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
    /// What a page's result says of the following page (`hasMore`, `nextCursor`); nothing
    /// unless the method's result has such fields.
    fn following(_output: &Self::Output) -> Following {
        Following::default()
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use super::*;
    use crate::matching::field;

    /// A hand-written error table in the shape the generator emits: a two-field pattern
    /// written in two languages with the fields in either order, then a plain row.
    #[derive(Debug, PartialEq)]
    enum QuotaError {
        Quota {
            limit: i64,
            owner: String,
            meta: ErrorMeta,
        },
        Busy(ErrorMeta),
        Unhandled(ErrorMeta),
    }

    impl fmt::Display for QuotaError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.variant_name())
        }
    }

    impl std::error::Error for QuotaError {}

    impl ErrorRows for QuotaError {
        fn error_table() -> &'static str {
            r#"[
                {"variant": "Quota", "forms": [
                    {"codes": ["QUOTA"], "pattern": ["Quota of ", " exceeded for ", ""], "fields": [0, 1]},
                    {"codes": [""], "pattern": ["", " has used its quota of ", ""], "fields": [1, 0]}
                ]},
                {"variant": "Busy", "forms": [
                    {"codes": ["", "BUSY"], "exact": "Busy"},
                    {"codes": ["QUOTA"], "contains": "exceeded"}
                ]}
            ]"#
        }

        fn from_row(variant: &str, fields: &[String], meta: ErrorMeta) -> Result<Self, ErrorMeta> {
            Ok(match variant {
                "Quota" => {
                    let (Some(limit), Some(owner)) =
                        (field::<i64>(fields, 0), field::<String>(fields, 1))
                    else {
                        return Err(meta);
                    };
                    Self::Quota { limit, owner, meta }
                }
                "Busy" => Self::Busy(meta),
                _ => return Err(meta),
            })
        }
    }

    impl MethodError for QuotaError {
        fn unhandled(meta: ErrorMeta) -> Self {
            Self::Unhandled(meta)
        }

        fn parts(&self) -> (&'static str, &ErrorMeta) {
            match self {
                Self::Quota { meta, .. } => ("Quota", meta),
                Self::Busy(meta) => ("Busy", meta),
                Self::Unhandled(meta) => ("Unhandled", meta),
            }
        }
    }

    fn classify(code: &str, text: &str) -> QuotaError {
        QuotaError::from_meta(ErrorMeta::new(400, code, text))
    }

    #[test]
    fn pattern_fields_land_in_field_order_whatever_the_language() {
        let quota = |limit: i64, owner: &str, code: &str, text: &str| QuotaError::Quota {
            limit,
            owner: owner.to_owned(),
            meta: ErrorMeta::new(400, code, text),
        };
        let english = "Quota of 50 exceeded for team blue";
        assert_eq!(
            classify("quota", english),
            quota(50, "team blue", "quota", english)
        );
        let other = "team red has used its quota of 7";
        assert_eq!(classify("", other), quota(7, "team red", "", other));
    }

    #[test]
    fn a_field_that_does_not_parse_lets_later_rows_match() {
        // `many` is not an integer: the pattern row is skipped and the next row's
        // `contains` form takes it, the error kept whole.
        let text = "Quota of many exceeded for team blue";
        assert_eq!(
            classify("QUOTA", text),
            QuotaError::Busy(ErrorMeta::new(400, "QUOTA", text))
        );
        // A code no form lists: unhandled, nothing lost.
        assert_eq!(
            classify("OTHER", "Busy"),
            QuotaError::Unhandled(ErrorMeta::new(400, "OTHER", "Busy"))
        );
        assert_eq!(
            classify(" busy ", "Busy<br>"),
            QuotaError::Busy(ErrorMeta::new(400, " busy ", "Busy<br>"))
        );
    }
}
