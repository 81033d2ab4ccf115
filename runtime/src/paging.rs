//! Walking the pages of a list method: `start`, `next` and `total`.

use crate::client::Client;
use crate::error::Error;
use crate::method::{Paged, Response};

/// Reads the pages of a list method one after the other.
///
/// With `b24_rest`'s generated list requests (`BlogpostGetRequest::new()`, or
/// `client.log().blogpost().get().pages()`), or any type implementing [`Paged`]:
///
/// ```no_run
/// # use b24_rest_runtime::{Method, Paged, UntypedError};
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
/// #     fn set_start(&mut self, start: i64) { self.start = start; }
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
#[derive(Debug)]
pub struct Pager<'a, M: Paged> {
    client: &'a Client,
    request: M,
    finished: bool,
    pages: usize,
    /// The `start` of the page just asked for: `next` must move past it.
    start: u64,
}

/// At most this many pages are read (500 000 records): a server that keeps answering `next`
/// cannot make a pager loop for ever.
pub const MAX_PAGES: usize = 10_000;

impl Client {
    /// A pager over every page of a list method, from the request's own `start` on.
    pub fn pages<M: Paged>(&self, request: M) -> Pager<'_, M> {
        Pager {
            client: self,
            request,
            finished: false,
            pages: 0,
            start: 0,
        }
    }
}

/// Where the next page starts, or `None` when this was the last one: no `next`, a `next` that
/// does not move forward (a server bug would otherwise loop), or one at or past `total`
/// (servers send `next: 50, total: 50` on the last page).
fn next_start(start: u64, next: Option<u64>, total: Option<u64>) -> Option<u64> {
    let next = next?;
    if next <= start || total.is_some_and(|total| next >= total) || next > i64::MAX as u64 {
        return None;
    }
    Some(next)
}

impl<M: Paged> Pager<'_, M> {
    /// The next page, or `None` after the last one (the one without `next`) or after an error.
    pub async fn next_page(&mut self) -> Option<Result<Response<M::Output>, Error<M::Error>>> {
        if self.finished || self.pages >= MAX_PAGES {
            return None;
        }
        self.pages += 1;
        let answer = self.client.send(&self.request).await;
        match &answer {
            Ok(response) => match next_start(self.start, response.next, response.total) {
                Some(next) => {
                    self.start = next;
                    // `next_start` only returns values that came from a `u64` below `total`.
                    self.request
                        .set_start(i64::try_from(next).unwrap_or(i64::MAX));
                }
                None => self.finished = true,
            },
            Err(_) => self.finished = true,
        }
        Some(answer)
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
    use super::next_start;

    #[test]
    fn the_last_page_is_recognised() {
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
}
