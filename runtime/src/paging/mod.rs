//! Walking the pages of a list method, whichever way it pages: `start` and `next`, an offset,
//! page numbers, or a position the answer names.

mod position;

use crate::client::Client;
use crate::error::Error;
use crate::method::{Paged, Response};

pub use position::{Following, Paging, Position};
// For generated `Paged` impls, through `__private`.
pub use position::{
    count_records, index_at, key_index, pagination_cursor, pagination_offset, position_of,
    set_index, set_key_index, set_pagination_cursor, set_pagination_offset,
};

/// Reads the pages of a list method one after the other.
///
/// With `b24_rest`'s generated list requests (`BlogpostGetRequest::new()`, or
/// `client.log().blogpost().get().pages()`), or any type implementing [`Paged`]:
///
/// ```no_run
/// # use b24_rest_runtime::{Method, Paged, Position, UntypedError};
/// # #[derive(Clone, serde::Serialize)]
/// # struct Posts { start: i64 }
/// # impl Method for Posts {
/// #     const NAME: &'static str = "log.blogpost.get";
/// #     const SAFE_TO_REPEAT: bool = true;
/// #     const BATCH: bool = true;
/// #     type Output = Vec<serde_json::Value>;
/// #     type Error = UntypedError;
/// # }
/// # impl Paged for Posts {
/// #     type Item = serde_json::Value;
/// #     fn position(&self) -> Position { Position::Index(self.start as u64) }
/// #     fn set_position(&mut self, p: &Position) -> bool {
/// #         p.index().map(|n| self.start = n as i64).is_some()
/// #     }
/// #     fn count(output: &Self::Output) -> usize { output.len() }
/// #     fn into_items(output: Self::Output) -> Vec<Self::Item> { output }
/// # }
/// # async fn run(client: b24_rest_runtime::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let mut pages = client.pages(Posts { start: 0 });
/// while let Some(page) = pages.next_page().await {
///     for post in page?.result {
///         println!("{}", post["TITLE"]);
///     }
/// }
/// # Ok(())
/// # }
/// ```
///
/// How the following page is found is the method's [`Paging`]: the answer's `next` (`start`),
/// the records received so far (an offset), the next page number, or the position the answer
/// names (`nextCursor`). The walk ends on the first error; on a page that says it is the last
/// (no `next`, `hasMore: false`, no next cursor); on an empty page (but for `start`, which
/// follows `next`); when `total` records have come; on a named position that is the page just
/// read; and, where the method's answer says nothing of what follows, on a page shorter than
/// an earlier one (servers cap the page size silently, so the size asked for is no measure,
/// but pages are full until the last).
#[derive(Debug)]
pub struct Pager<'a, M: Paged> {
    client: &'a Client,
    request: M,
    finished: bool,
    pages: usize,
    /// Where the page just asked for starts: the following one must move past it.
    position: Position,
    /// Records received so far, and the largest page among them.
    seen: u64,
    largest: usize,
}

/// At most this many pages are read (500 000 records at 50 a page): a server that keeps
/// naming a next page cannot make a pager loop for ever.
pub const MAX_PAGES: usize = 10_000;

impl Client {
    /// A pager over every page of a list method, from the request's own position on.
    pub fn pages<M: Paged>(&self, request: M) -> Pager<'_, M> {
        Pager {
            client: self,
            position: request.position(),
            request,
            finished: false,
            pages: 0,
            seen: 0,
            largest: 0,
        }
    }
}

/// One page as the pager saw it: its records, what its answer said, and the walk so far.
#[derive(Debug)]
struct Seen<'p> {
    position: &'p Position,
    count: usize,
    /// The largest page before this one.
    largest: usize,
    /// Records received, this page's included.
    seen: u64,
    following: Following,
    /// The envelope's `next` and `total`.
    next: Option<u64>,
    total: Option<u64>,
}

/// Where the following page starts, or `None` when this page was the last.
fn following(paging: Paging, page: Seen<'_>) -> Option<Position> {
    if paging == Paging::Start {
        let start = page.position.index().unwrap_or(0);
        return next_start(start, page.next, page.total).map(Position::Index);
    }
    let said_last = page.following.more == Some(false);
    let all_came = page.total.is_some_and(|total| page.seen >= total);
    if page.count == 0 || said_last || all_came {
        return None;
    }
    if paging == Paging::Answer {
        return page
            .following
            .next
            .filter(|next| moves_on(page.position, next));
    }
    let short = page.count < page.largest && page.following.more != Some(true);
    let index = page.position.index()?;
    let step = if paging == Paging::Page {
        1
    } else {
        page.count as u64
    };
    (!short).then(|| Position::Index(index.saturating_add(step)))
}

/// A named position moves the walk on when it is not the one just read (an answer naming
/// its own page again would loop). Cursors need not grow: a descending sort's cursor falls.
fn moves_on(current: &Position, next: &Position) -> bool {
    current
        .index()
        .zip(next.index())
        .map_or(current != next, |(now, then)| now != then)
}

/// Where the next `start` page starts, or `None` when this was the last one: no `next`, a
/// `next` that does not move forward (a server bug would otherwise loop), or one at or past
/// `total` (servers send `next: 50, total: 50` on the last page).
fn next_start(start: u64, next: Option<u64>, total: Option<u64>) -> Option<u64> {
    let next = next?;
    if next <= start || total.is_some_and(|total| next >= total) || next > i64::MAX as u64 {
        return None;
    }
    Some(next)
}

impl<M: Paged> Pager<'_, M> {
    /// The next page, or `None` after the last one or after an error.
    pub async fn next_page(&mut self) -> Option<Result<Response<M::Output>, Error<M::Error>>> {
        if self.finished || self.pages >= MAX_PAGES {
            return None;
        }
        self.pages += 1;
        let answer = self.client.send(&self.request).await;
        match &answer {
            Ok(response) => self.advance(response),
            Err(_) => self.finished = true,
        }
        Some(answer)
    }

    /// Points the request at the following page, or marks the walk finished.
    fn advance(&mut self, response: &Response<M::Output>) {
        let count = M::count(&response.result);
        self.seen = self.seen.saturating_add(count as u64);
        let page = Seen {
            position: &self.position,
            count,
            largest: self.largest,
            seen: self.seen,
            following: M::following(&response.result),
            next: response.next,
            total: response.total,
        };
        self.largest = self.largest.max(count);
        match following(M::PAGING, page) {
            Some(next) if self.request.set_position(&next) => self.position = next,
            _ => self.finished = true,
        }
    }

    /// Every record of every page, in order; stops at the first error.
    pub async fn collect_all(mut self) -> Result<Vec<M::Item>, Error<M::Error>> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            items.extend(M::into_items(page?.result));
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The page at `position` holding `count` records, after pages of up to `largest`.
    fn page(position: &Position, count: usize, largest: usize, seen: u64) -> Seen<'_> {
        Seen {
            position,
            count,
            largest,
            seen,
            following: Following::default(),
            next: None,
            total: None,
        }
    }

    #[test]
    fn the_last_start_page_is_recognised() {
        assert_eq!(next_start(0, Some(50), Some(120)), Some(50));
        assert_eq!(next_start(50, Some(100), None), Some(100));
        assert_eq!(next_start(0, None, Some(10)), None);
        assert_eq!(
            next_start(0, Some(50), Some(50)),
            None,
            "next == total is the last page"
        );
        assert_eq!(
            next_start(50, Some(50), Some(500)),
            None,
            "next must move forward"
        );
        assert_eq!(next_start(100, Some(50), Some(500)), None);
    }

    #[test]
    fn an_offset_moves_by_the_records_received() {
        let at = Position::Index(40);
        let next = following(Paging::Offset, page(&at, 20, 0, 60));
        assert_eq!(next, Some(Position::Index(60)));
        let full = following(Paging::Offset, page(&at, 20, 20, 60));
        assert_eq!(full, Some(Position::Index(60)), "a full page again");
    }

    #[test]
    fn page_numbers_move_by_one() {
        let at = Position::Index(2);
        let next = following(Paging::Page, page(&at, 50, 50, 100));
        assert_eq!(next, Some(Position::Index(3)));
    }

    #[test]
    fn a_short_empty_or_last_page_ends_the_walk() {
        let at = Position::Index(100);
        for paging in [Paging::Offset, Paging::Page] {
            assert_eq!(following(paging, page(&at, 7, 50, 107)), None, "short");
            assert_eq!(following(paging, page(&at, 0, 0, 0)), None, "empty");
            let mut said_last = page(&at, 50, 50, 150);
            said_last.following.more = Some(false);
            assert_eq!(following(paging, said_last), None, "hasMore: false");
            let mut all_came = page(&at, 50, 50, 150);
            all_came.total = Some(150);
            assert_eq!(following(paging, all_came), None, "total reached");
        }
    }

    #[test]
    fn a_page_that_says_more_follow_is_not_taken_for_short() {
        let at = Position::Index(0);
        let mut more = page(&at, 7, 50, 57);
        more.following.more = Some(true);
        assert_eq!(following(Paging::Offset, more), Some(Position::Index(7)));
    }

    #[test]
    fn the_first_page_is_never_short() {
        // A capped page size (`limit: 1000` answered with 20) must not end the walk.
        let at = Position::Index(0);
        assert_eq!(
            following(Paging::Offset, page(&at, 20, 0, 20)),
            Some(Position::Index(20))
        );
    }

    #[test]
    fn a_named_position_must_move_on() {
        let at = Position::Index(2000);
        let mut named = page(&at, 2, 0, 2);
        named.following.next = Some(Position::Index(2002));
        assert_eq!(
            following(Paging::Answer, named),
            Some(Position::Index(2002))
        );
        let mut stuck = page(&at, 2, 0, 2);
        stuck.following.next = Some(Position::Cursor(json!("2000")));
        assert_eq!(following(Paging::Answer, stuck), None, "its own page again");
        let cursor = Position::Cursor(json!({"id": 42}));
        let mut same = page(&cursor, 2, 0, 2);
        same.following.next = Some(cursor.clone());
        assert_eq!(
            following(Paging::Answer, same),
            None,
            "the same cursor again"
        );
        let unnamed = page(&cursor, 2, 0, 2);
        assert_eq!(
            following(Paging::Answer, unnamed),
            None,
            "no cursor: the last page"
        );
    }
}
