//! Sending the pages a read asks for: one call, or many pages in one `batch`, all through
//! [`Client::send`] and [`Batch`](crate::Batch), so that pacing, retries and errors are those
//! of any call.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::ListMethod;
use super::page::RawPage;
use super::plan::Plan;
use crate::batch::BatchMethod;
use crate::client::Client;
use crate::error::Error;
use crate::method::{Method, Response};
use crate::ordered::Ordered;

/// One page of a list method `M`, its parameters as the read set them; its result is kept
/// as JSON, to find the records' ids before they are decoded.
pub(crate) struct ListPage<M> {
    name: Arc<str>,
    safe_to_repeat: bool,
    params: Vec<(String, Ordered)>,
    method: PhantomData<fn() -> M>,
}

impl<M: ListMethod> ListPage<M> {
    fn new(target: &Target, params: Vec<(String, Ordered)>) -> Self {
        ListPage {
            name: Arc::clone(&target.name),
            safe_to_repeat: target.safe_to_repeat,
            params,
            method: PhantomData,
        }
    }
}

/// The keys in the order the read set them (`order`'s among them).
impl<M> Serialize for ListPage<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.params.len()))?;
        for (key, value) in &self.params {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<M: ListMethod> Method for ListPage<M> {
    const NAME: &'static str = M::NAME;
    const SAFE_TO_REPEAT: bool = M::SAFE_TO_REPEAT;
    const BATCH: bool = M::BATCH;
    const API: crate::method::ApiVersion = M::API;
    type Output = Value;
    type Error = M::Error;

    fn name(&self) -> &str {
        &self.name
    }

    fn safe_to_repeat(&self) -> bool {
        self.safe_to_repeat
    }

    fn spec_data() -> (&'static str, &'static str) {
        M::spec_data()
    }
}

/// Sent in `batch` only when `M::BATCH` says the method may be.
impl<M: ListMethod> BatchMethod for ListPage<M> {}

/// The method a read calls: its wire name and whether a page may be sent twice.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) name: Arc<str>,
    pub(crate) safe_to_repeat: bool,
}

/// The pages of one request, in order, up to the first that failed; and how many HTTP
/// requests they took (retries aside).
pub(crate) struct Fetched<E> {
    pub(crate) pages: Vec<Result<RawPage, Error<E>>>,
    pub(crate) requests: usize,
}

/// A request on its way.
pub(crate) type Fetch<'a, E> = Pin<Box<dyn Future<Output = Fetched<E>> + Send + 'a>>;

/// `pages` id-window pages from `bound` on: the first past `bound`, each next one past the
/// last record of the one before it, which the portal reads from a `$result` reference. One
/// page goes as a call of its own.
pub(crate) fn window<'a, M: ListMethod>(
    client: &'a Client,
    target: Target,
    plan: Arc<Plan>,
    bound: Option<u64>,
    pages: usize,
) -> Fetch<'a, M::Error> {
    let first = bound.map(|id| Ordered::Number(id.into()));
    if pages <= 1 {
        let page = ListPage::<M>::new(&target, plan.window_params(first));
        return Box::pin(single(client, page, None, plan));
    }
    Box::pin(async move {
        let mut batch = client.batch().halt(true);
        let mut keys = Vec::with_capacity(pages);
        for i in 0..pages {
            let bound = match i {
                0 => first.clone(),
                _ => Some(Ordered::text(plan.reference(keys_last(&keys)))),
            };
            keys.push(batch.add(ListPage::<M>::new(&target, plan.window_params(bound))));
        }
        let starts = vec![None; pages];
        collect::<M>(batch.send().await, keys, starts, &plan)
    })
}

/// `start` pages at `starts`, in one `batch` request when there are several.
pub(crate) fn starts<'a, M: ListMethod>(
    client: &'a Client,
    target: Target,
    plan: Arc<Plan>,
    starts: Vec<u64>,
) -> Fetch<'a, M::Error> {
    if let [start] = starts.as_slice() {
        let page = ListPage::<M>::new(&target, plan.start_params(*start));
        return Box::pin(single(client, page, Some(*start), plan));
    }
    Box::pin(async move {
        let mut batch = client.batch().halt(true);
        let keys: Vec<_> = starts
            .iter()
            .map(|start| batch.add(ListPage::<M>::new(&target, plan.start_params(*start))))
            .collect();
        let starts = starts.into_iter().map(Some).collect();
        collect::<M>(batch.send().await, keys, starts, &plan)
    })
}

fn keys_last<M>(keys: &[crate::batch::BatchKey<M>]) -> &str {
    keys.last().map_or("", |key| key.key())
}

async fn single<M: ListMethod>(
    client: &Client,
    page: ListPage<M>,
    start: Option<u64>,
    plan: Arc<Plan>,
) -> Fetched<M::Error> {
    let answer = client.send(&page).await;
    Fetched {
        pages: vec![answer.map(|response| raw(response, start, true, &plan))],
        requests: 1,
    }
}

/// The pages of a `batch` answer in the order they were asked for, up to the first that
/// failed (`halt` stops the portal there).
fn collect<M: ListMethod>(
    mut results: crate::batch::BatchResults,
    keys: Vec<crate::batch::BatchKey<ListPage<M>>>,
    starts: Vec<Option<u64>>,
    plan: &Plan,
) -> Fetched<M::Error> {
    let mut pages = Vec::with_capacity(keys.len());
    for (i, (key, start)) in keys.iter().zip(starts).enumerate() {
        match results.take_raw(key) {
            Some(Ok(response)) => pages.push(Ok(raw(response, start, i == 0, plan))),
            Some(Err(error)) => {
                pages.push(Err(error));
                break;
            }
            None => break,
        }
    }
    Fetched {
        pages,
        requests: results.requests(),
    }
}

fn raw(response: Response<Value>, start: Option<u64>, first: bool, plan: &Plan) -> RawPage {
    let mut page = RawPage::new(response.result, plan.shape.items);
    page.start = start;
    page.first = first;
    page.next = response.next;
    page.total = response.total;
    page
}
