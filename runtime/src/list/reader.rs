//! [`ReadAll`]: the stream of every record of a list, one request at a time, holding at most
//! one request's pages.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::fetch::{self, Fetch, Target};
use super::offset::{OffsetCursor, Step};
use super::page::{self, RawPage};
use super::plan::Plan;
use super::window::{Verdict, WindowCursor};
use super::{ListMethod, ReadStrategy};
use crate::batch::MAX_BATCH_COMMANDS;
use crate::client::Client;
use crate::error::{Error, ListReadError};
use crate::ordered::Ordered;

/// What [`ReadAll::next`] gives: a record, an error, or `None` at the end.
type Next<M> =
    Option<Result<<M as crate::method::Paged>::Item, Error<<M as crate::method::Method>::Error>>>;

/// At most this many pages are read (10 million records): a portal that keeps changing
/// under a `start` read, or answers without end, cannot keep it going for ever.
const MAX_READ_PAGES: u64 = 200_000;

/// Every record a list request matches, as a stream: made by [`Client::read_all`].
///
/// Read it with [`ReadAll::next`] (no other crate needed), or as a
/// [`futures_core::Stream`]; [`ReadAll::limit`] stops after so many records. Each record
/// comes once, in the order asked for (see [`ReadStrategy`] for the strategies and what
/// "once" means while the list changes); the first error ends the stream, after the records
/// before it.
///
/// ```no_run
/// # use b24_rest_runtime::{ListMethod, ListShape, Method, Paged, Position, UntypedError};
/// # #[derive(Clone, serde::Serialize)]
/// # struct Deals { filter: serde_json::Value }
/// # impl Method for Deals {
/// #     const NAME: &'static str = "crm.deal.list";
/// #     const SAFE_TO_REPEAT: bool = true;
/// #     const BATCH: bool = true;
/// #     type Output = Vec<serde_json::Value>;
/// #     type Error = UntypedError;
/// # }
/// # impl Paged for Deals {
/// #     type Item = serde_json::Value;
/// #     fn position(&self) -> Position { Position::Index(0) }
/// #     fn set_position(&mut self, _: &Position) -> bool { true }
/// #     fn count(output: &Self::Output) -> usize { output.len() }
/// #     fn into_items(output: Self::Output) -> Vec<Self::Item> { output }
/// # }
/// # impl ListMethod for Deals {
/// #     const SHAPE: ListShape = ListShape::new().filter("filter").order("order").id("ID")
/// #         .id_window("ID").start_minus_one(true);
/// # }
/// # async fn run(client: b24_rest_runtime::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let request = Deals { filter: serde_json::json!({"=STAGE_ID": "WON"}) };
/// let mut deals = client.read_all(request).limit(10_000);
/// while let Some(deal) = deals.next().await {
///     println!("{}", deal?["TITLE"]);
/// }
/// println!("{} requests", deals.stats().requests);
/// # Ok(())
/// # }
/// ```
pub struct ReadAll<'a, M: ListMethod> {
    client: &'a Client,
    target: Target,
    /// The request as it serialises; why it cannot be read, when it cannot.
    params: Result<Ordered, String>,
    forced: Option<ReadStrategy>,
    plan: Option<Arc<Plan>>,
    cursor: Cursor,
    limit: Option<u64>,
    buffer: VecDeque<M::Item>,
    pending: VecDeque<Result<RawPage, Error<M::Error>>>,
    in_flight: Option<Fetch<'a, M::Error>>,
    error: Option<Error<M::Error>>,
    finished: bool,
    stats: ReadStats,
}

/// What a read has done so far.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadStats {
    /// The strategy in use; `None` before the first request.
    pub strategy: Option<ReadStrategy>,
    /// Requests sent (a `batch` of 50 pages is one; retries are not counted).
    pub requests: u64,
    /// Pages read.
    pub pages: u64,
    /// Records handed out.
    pub records: u64,
    /// The most records held at once (pages received and not yet handed out): at most one
    /// request's worth, however long the list.
    pub max_held: u64,
}

/// The read's position: by id window or by `start`.
enum Cursor {
    NotStarted,
    Window(WindowCursor),
    Offset(OffsetCursor),
}

impl Client {
    /// Every record `request` matches, as a stream, read with the fastest strategy the
    /// method and the request allow (see [`ReadAll`]). The request's own `start` is ignored:
    /// the read starts at the first record.
    pub fn read_all<M: ListMethod>(&self, request: M) -> ReadAll<'_, M> {
        ReadAll {
            client: self,
            target: Target {
                name: Arc::from(request.name()),
                safe_to_repeat: request.safe_to_repeat(),
            },
            params: Ordered::of(&request).map_err(|e| format!("cannot encode the request: {e}")),
            forced: None,
            plan: None,
            cursor: Cursor::NotStarted,
            limit: None,
            buffer: VecDeque::new(),
            pending: VecDeque::new(),
            in_flight: None,
            error: None,
            finished: false,
            stats: ReadStats::default(),
        }
    }
}

impl<'a, M: ListMethod> ReadAll<'a, M> {
    /// Stops after `records` records; pages past them are not asked for.
    #[must_use]
    pub fn limit(mut self, records: u64) -> Self {
        self.limit = Some(records);
        self
    }

    /// Reads with `strategy` instead of the fastest one (to compare them); when the method or
    /// the request does not allow it, the stream's first item is [`Error::ListRead`].
    #[must_use]
    pub fn strategy(mut self, strategy: ReadStrategy) -> Self {
        self.forced = Some(strategy);
        self
    }

    /// The strategy the read uses (or would use); why it cannot read, when it cannot.
    pub fn planned_strategy(&self) -> Result<ReadStrategy, ListReadError> {
        match &self.plan {
            Some(plan) => Ok(plan.strategy),
            None => self.make_plan().map(|plan| plan.strategy),
        }
    }

    /// What the read has done so far.
    pub fn stats(&self) -> ReadStats {
        self.stats
    }

    /// Records received and not yet handed out.
    pub fn held(&self) -> usize {
        self.buffer.len() + self.pending_records()
    }

    /// The next record; `None` after the last one, after an error, or at the limit.
    pub async fn next(&mut self) -> Next<M> {
        std::future::poll_fn(|cx| self.poll_read(cx)).await
    }

    /// Every record, in order; the first error instead, when there is one.
    pub async fn collect_all(mut self) -> Result<Vec<M::Item>, Error<M::Error>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_read(&mut self, cx: &mut Context<'_>) -> Poll<Next<M>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                self.stats.records += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = self.error.take() {
                self.finished = true;
                return Poll::Ready(Some(Err(error)));
            }
            if self.finished {
                return Poll::Ready(None);
            }
            if let Some(page) = self.pending.pop_front() {
                self.take_page(page);
                continue;
            }
            if self.in_flight.is_none() {
                match self.request() {
                    Ok(Some(fetch)) => self.in_flight = Some(fetch),
                    Ok(None) => self.finished = true,
                    Err(error) => self.error = Some(error),
                }
                continue;
            }
            let Some(fetch) = self.in_flight.as_mut() else {
                continue;
            };
            let fetched = match fetch.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(fetched) => fetched,
            };
            self.in_flight = None;
            self.stats.requests += fetched.requests as u64;
            self.pending.extend(fetched.pages);
            self.note_held();
        }
    }

    fn make_plan(&self) -> Result<Plan, ListReadError> {
        let params = self.params.clone().map_err(|e| self.read_error(e))?;
        Plan::new(params, M::SHAPE, M::BATCH, self.forced).map_err(|e| self.read_error(e))
    }

    fn read_error(&self, message: impl Into<String>) -> ListReadError {
        ListReadError::new(&self.target.name, message)
    }

    /// The next request, or `None` at the end.
    fn request(&mut self) -> Result<Option<Fetch<'a, M::Error>>, Error<M::Error>> {
        let plan = match &self.plan {
            Some(plan) => Arc::clone(plan),
            None => self.start()?,
        };
        if self.remaining() == Some(0) {
            return Ok(None);
        }
        if self.stats.pages >= MAX_READ_PAGES {
            let message = format!("{MAX_READ_PAGES} pages read without reaching the end");
            return Err(Error::ListRead(self.read_error(message)));
        }
        let pages = self.pages_per_request(&plan);
        let target = self.target.clone();
        Ok(match &self.cursor {
            Cursor::Window(cursor) if cursor.done() => None,
            Cursor::Offset(cursor) if cursor.done() => None,
            Cursor::Window(cursor) => {
                let pages = if cursor.may_chain() { pages } else { 1 };
                Some(fetch::window::<M>(
                    self.client,
                    target,
                    plan,
                    cursor.bound(),
                    pages,
                ))
            }
            Cursor::Offset(cursor) => {
                let first = cursor.start_for(plan.strategy.is_batch());
                let starts = (0..pages as u64)
                    .map(|i| first + i * cursor.stride())
                    .collect();
                Some(fetch::starts::<M>(self.client, target, plan, starts))
            }
            Cursor::NotStarted => None,
        })
    }

    /// Plans the read on its first request.
    fn start(&mut self) -> Result<Arc<Plan>, Error<M::Error>> {
        let plan = Arc::new(self.make_plan().map_err(Error::ListRead)?);
        let shape = &plan.shape;
        self.cursor = match plan.window {
            Some(window) => Cursor::Window(WindowCursor::new(
                window.descending,
                window.from,
                shape.page_size,
            )),
            None => Cursor::Offset(OffsetCursor::new(shape.page_size, shape.id.is_some())),
        };
        self.stats.strategy = Some(plan.strategy);
        self.plan = Some(Arc::clone(&plan));
        Ok(plan)
    }

    /// Pages in the next request: one, or in `batch` enough for the records left to the
    /// limit, at most 50.
    fn pages_per_request(&self, plan: &Plan) -> usize {
        if !plan.strategy.is_batch() {
            return 1;
        }
        let per_page = u64::from(plan.shape.page_size.max(2) - 1);
        let wanted = self
            .remaining()
            .map_or(u64::MAX, |left| left.div_ceil(per_page) + 1);
        wanted.min(MAX_BATCH_COMMANDS as u64) as usize
    }

    /// Records still to decide on before the limit: those handed out and those in the
    /// buffer count, pages not read yet do not.
    fn remaining(&self) -> Option<u64> {
        let decided = self.stats.records + self.buffer.len() as u64;
        self.limit.map(|limit| limit.saturating_sub(decided))
    }

    fn pending_records(&self) -> usize {
        self.pending
            .iter()
            .map(|page| page.as_ref().map_or(0, |page| page.len))
            .sum()
    }

    fn note_held(&mut self) {
        self.stats.max_held = self.stats.max_held.max(self.held() as u64);
    }

    /// Reads one page: which of its records to hand out, decoded into the buffer.
    fn take_page(&mut self, page: Result<RawPage, Error<M::Error>>) {
        let page = match page {
            Ok(page) => page,
            Err(error) => return self.fail(error),
        };
        self.stats.pages += 1;
        match self.select(&page) {
            Ok(Some(keep)) => self.hand_out(page.result, &keep),
            Ok(None) => {}
            Err(error) => self.fail(error),
        }
        self.note_held();
    }

    /// Which records of `page` to hand out; `None` to drop it and the pages after it.
    fn select(&mut self, page: &RawPage) -> Result<Option<Vec<bool>>, Error<M::Error>> {
        let shape = M::SHAPE;
        let records = page::records(&page.result, shape.items).map_err(|reason| {
            let result = page.result.to_string();
            Error::Decode {
                status: 200,
                message: reason,
                excerpt: crate::text::excerpt(result.as_bytes(), None),
                result,
            }
        })?;
        let ids = shape
            .id
            .map_or_else(|| vec![None; records.len()], |key| page::ids(records, key));
        let name = Arc::clone(&self.target.name);
        let read_error = |message: String| Error::ListRead(ListReadError::new(&name, message));
        match &mut self.cursor {
            Cursor::Window(cursor) => {
                let verdict = cursor.accept(&ids).map_err(read_error)?;
                if verdict != Verdict::Full {
                    // The pages chained after it took a bound that did not resolve.
                    self.pending.clear();
                }
                Ok(Some(vec![true; ids.len()]))
            }
            Cursor::Offset(cursor) => {
                let start = page.start.unwrap_or_default();
                if !page.first && start != cursor.start_for(false) {
                    // The page before it ended short or stepped back: this one is not where
                    // the read goes on. Ask again from there.
                    self.pending.clear();
                    return Ok(None);
                }
                let step = cursor
                    .accept(start, &ids, page.next, page.total)
                    .map_err(read_error)?;
                if cursor.done() {
                    self.pending.clear();
                }
                match step {
                    Step::Take(keep) => Ok(Some(keep)),
                    Step::StepBack => {
                        self.pending.clear();
                        Ok(None)
                    }
                }
            }
            Cursor::NotStarted => Ok(None),
        }
    }

    /// Decodes the kept records into the buffer, up to the limit.
    fn hand_out(&mut self, result: serde_json::Value, keep: &[bool]) {
        let mut keep = keep.to_vec();
        if let Some(left) = self.remaining() {
            let mut allowed = usize::try_from(left).unwrap_or(usize::MAX);
            for flag in keep.iter_mut().filter(|flag| **flag) {
                *flag = allowed > 0;
                allowed = allowed.saturating_sub(1);
            }
        }
        match page::decode::<M>(result, &keep) {
            Ok(items) => self.buffer.extend(items),
            Err(error) => return self.fail(error),
        }
        if self.remaining() == Some(0) {
            self.pending.clear();
            self.finished = true;
        }
    }

    fn fail(&mut self, error: Error<M::Error>) {
        self.pending.clear();
        self.error = Some(error);
    }
}

impl<M: ListMethod> futures_core::Stream for ReadAll<'_, M> {
    type Item = Result<M::Item, Error<M::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_read(cx)
    }
}

/// Nothing in a read is pinned in place: the request in flight is boxed.
impl<M: ListMethod> Unpin for ReadAll<'_, M> {}

impl<M: ListMethod> fmt::Debug for ReadAll<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadAll")
            .field("method", &self.target.name)
            .field("limit", &self.limit)
            .field("stats", &self.stats)
            .field("held", &self.held())
            .finish_non_exhaustive()
    }
}
