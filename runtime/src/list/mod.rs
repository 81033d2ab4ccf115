//! Reading every record of a list method, fast and exactly once: [`ListMethod`] (what the
//! reader needs of a method), [`ListShape`] (how its page spells filter, order, select and
//! the id), [`ReadStrategy`], and [`Client::read_all`](crate::Client::read_all) with the
//! stream it returns, [`ReadAll`].

mod fetch;
mod offset;
mod page;
mod plan;
mod reader;
mod window;

#[cfg(all(test, feature = "mock"))]
mod tests;

use std::fmt;

// The mock portal reads ids as the reader does.
#[cfg(feature = "mock")]
pub(crate) use page::id_of;
pub use reader::{ReadAll, ReadStats};

use crate::method::Paged;

/// A list method the reader of whole lists can read: implemented by the generated requests
/// of list methods, whose spec says how the page spells filter, order, select and the id.
pub trait ListMethod: Paged {
    /// How the method's parameters and records are spelt.
    const SHAPE: ListShape;
}

/// How a list method spells what [`Client::read_all`](crate::Client::read_all) needs: its
/// filter, order and select parameters, where the records are in `result`, their id, and
/// whether it sorts and filters by that id. Built in a `const`:
///
/// ```
/// use b24_rest_runtime::ListShape;
///
/// // `crm.item.list`: camelCase keys, records in `result.items`.
/// const ITEMS: ListShape = ListShape::new()
///     .filter("filter")
///     .order("order")
///     .select("select")
///     .items(&["items"])
///     .id("id")
///     .id_window("id")
///     .start_minus_one(true);
/// assert_eq!(ITEMS.page_size, 50);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListShape {
    /// The filter parameter as the page spells it (`filter`, `FILTER`), if the method has one.
    pub filter: Option<&'static str>,
    /// The order parameter (`order`, `ORDER`, `SORT`), if any.
    pub order: Option<&'static str>,
    /// The select parameter (`select`, `SELECT`), if any.
    pub select: Option<&'static str>,
    /// Where the records are in `result`: empty when `result` is the list, `["items"]` for
    /// `result.items`, `["tasks"]` for `result.tasks`.
    pub items: &'static [&'static str],
    /// A record's id key (`ID`, `id`): a number that identifies it and never changes.
    pub id: Option<&'static str>,
    /// The id as the filter and the order spell it (`ID`, `id`), when the method sorts and
    /// filters by it as standard paging does: what id windows need.
    pub id_field: Option<&'static str>,
    /// Whether the method reads `start = -1` as "one page, no `total`".
    pub start_minus_one: bool,
    /// Records per page.
    pub page_size: u32,
}

impl ListShape {
    /// A method with none of the parameters, its records as `result`, 50 to a page.
    pub const fn new() -> Self {
        ListShape {
            filter: None,
            order: None,
            select: None,
            items: &[],
            id: None,
            id_field: None,
            start_minus_one: false,
            page_size: 50,
        }
    }

    /// Sets the filter parameter's name.
    #[must_use]
    pub const fn filter(mut self, name: &'static str) -> Self {
        self.filter = Some(name);
        self
    }

    /// Sets the order parameter's name.
    #[must_use]
    pub const fn order(mut self, name: &'static str) -> Self {
        self.order = Some(name);
        self
    }

    /// Sets the select parameter's name.
    #[must_use]
    pub const fn select(mut self, name: &'static str) -> Self {
        self.select = Some(name);
        self
    }

    /// Sets where the records are in `result`.
    #[must_use]
    pub const fn items(mut self, path: &'static [&'static str]) -> Self {
        self.items = path;
        self
    }

    /// Sets a record's id key.
    #[must_use]
    pub const fn id(mut self, key: &'static str) -> Self {
        self.id = Some(key);
        self
    }

    /// Says that the method sorts and filters by the id, spelt `field` in filter and order
    /// (`>ID`, `order[ID]`).
    #[must_use]
    pub const fn id_window(mut self, field: &'static str) -> Self {
        self.id_field = Some(field);
        self
    }

    /// Says whether `start = -1` skips counting `total`.
    #[must_use]
    pub const fn start_minus_one(mut self, works: bool) -> Self {
        self.start_minus_one = works;
        self
    }

    /// Sets the number of records per page.
    #[must_use]
    pub const fn page_size(mut self, records: u32) -> Self {
        self.page_size = records;
        self
    }

    /// Whether id windows are possible: the id, how filter and order spell it, and both
    /// parameters are known.
    pub const fn has_id_window(&self) -> bool {
        self.id.is_some()
            && self.id_field.is_some()
            && self.filter.is_some()
            && self.order.is_some()
            && self.page_size > 0
    }
}

impl Default for ListShape {
    fn default() -> Self {
        ListShape::new()
    }
}

/// How [`ReadAll`] reads a list. It picks the fastest one the method and the request allow:
///
/// 1. **id windows in `batch`** ([`ReadStrategy::IdWindowBatch`]): when the method sorts and
///    filters by a stable numeric id ([`ListShape::id_window`]) and the caller's order is
///    the id's (or none), each page asks for the records past the last id read
///    (`filter[>ID]`, `order[ID]=ASC`, and `start=-1` so that the portal does not count
///    `total`, as `settings/performance/huge-data.md` advises), and 50 such pages go in one
///    `batch` request, each taking its bound from the page before it
///    (`$result[c0][49][ID]`): 2,500 records a request, 10,000 in 5 requests;
/// 2. **id windows** ([`ReadStrategy::IdWindow`]): the same, one page a request, for a method
///    that may not run in `batch`;
/// 3. **`start` pages in `batch`** ([`ReadStrategy::StartBatch`]): for any other order, 50
///    pages a request, the caller's order kept (with the id added as its last key when the
///    method sorts by it, so that ties keep their places from one page to the next);
/// 4. **`start` pages** ([`ReadStrategy::Start`]): one page a request.
///
/// # Exactly once
///
/// Each record that exists from the start of the read to its end is handed out once, in the
/// order asked for; a record added or deleted during the read may or may not be:
///
/// - id windows read past the last id seen, so a record deleted before its page shifts
///   nothing. A page with fewer records than a full one (the portal may drop rows the caller
///   may not see after cutting the page) does not end the read: one more page past its last
///   id must come back empty. In `batch`, the pages after a short one are thrown away: the
///   reference they took their bound from did not resolve. A portal that answers ids out of
///   the order asked for ends the read with [`Error::ListRead`](crate::Error::ListRead)
///   rather than risk a gap;
/// - `start` pages overlap the page before by one record (by five across requests): the
///   last record handed out is found again and the page is read on from it. When it is not
///   there (records before it were deleted), the reader steps back a page at a time until
///   it finds it; an id already handed out is never handed out again (the reader keeps the
///   ids it handed out: 8 bytes each). A page that is short or empty ends the read only when
///   there is no `next`; `next` wins over a `total` that disagrees (`next: 50, total: 5`);
///   a full page with neither is followed by one more. A record whose sort fields change
///   during the read may be missed. Without an id ([`ListShape::id`]) none of this can be
///   checked, and pages are read as the portal numbers them.
///
/// The reader holds at most one request's pages (2,500 records) at a time.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadStrategy {
    /// Id windows, 50 pages per `batch` request, chained with `$result[…]` references.
    IdWindowBatch,
    /// Id windows, one page per request.
    IdWindow,
    /// `start` pages, 50 per `batch` request.
    StartBatch,
    /// `start` pages, one per request.
    Start,
}

impl ReadStrategy {
    /// Every strategy, fastest first.
    pub const ALL: [ReadStrategy; 4] = [
        ReadStrategy::IdWindowBatch,
        ReadStrategy::IdWindow,
        ReadStrategy::StartBatch,
        ReadStrategy::Start,
    ];

    /// Whether it reads by id windows.
    pub fn is_id_window(self) -> bool {
        matches!(self, ReadStrategy::IdWindowBatch | ReadStrategy::IdWindow)
    }

    /// Whether it sends many pages per `batch` request.
    pub fn is_batch(self) -> bool {
        matches!(self, ReadStrategy::IdWindowBatch | ReadStrategy::StartBatch)
    }
}

impl fmt::Display for ReadStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReadStrategy::IdWindowBatch => "id windows in batch",
            ReadStrategy::IdWindow => "id windows",
            ReadStrategy::StartBatch => "start pages in batch",
            ReadStrategy::Start => "start pages",
        })
    }
}
