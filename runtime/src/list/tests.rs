//! The reader against the mock portal: every strategy, and every hazard a portal puts in its
//! way (records added and deleted during the read, short pages, `next` and `total` that
//! disagree, ids out of order, errors), with list methods written by hand.

use std::collections::HashSet;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use super::{ListMethod, ListShape, ReadStrategy};
use crate::client::Client;
use crate::error::Error;
use crate::method::{Method, Paged, UntypedError};
use crate::mock::{MockAnswer, MockPortal};
use crate::paging::Position;
use crate::test_method::NoSpecs;

/// `order` in the order the caller wrote it.
#[derive(Debug, Clone, Default)]
struct Order(Vec<(String, String)>);

impl Serialize for Order {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (field, direction) in &self.0 {
            map.serialize_entry(field, direction)?;
        }
        map.end()
    }
}

/// The parameters every test list method takes.
#[derive(Debug, Clone, Default, Serialize)]
struct Query {
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<Value>,
    #[serde(skip_serializing_if = "order_is_empty")]
    order: Order,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    select: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<i64>,
}

fn order_is_empty(order: &Order) -> bool {
    order.0.is_empty()
}

impl Query {
    fn filter(mut self, filter: Value) -> Self {
        self.filter = Some(filter);
        self
    }

    fn order(mut self, keys: &[(&str, &str)]) -> Self {
        self.order = Order(
            keys.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        self
    }

    fn select(mut self, fields: &[&str]) -> Self {
        self.select = fields.iter().map(|f| (*f).to_owned()).collect();
        self
    }
}

/// A list method in the shape the generator emits: its request, `Paged` and `ListMethod`.
macro_rules! list_method {
    ($name:ident, $wire:literal, batch: $batch:literal, output: $output:ty,
     items: $items:expr, shape: $shape:expr) => {
        #[derive(Debug, Clone, Serialize)]
        struct $name(Query);

        impl Method for $name {
            const NAME: &'static str = $wire;
            const SAFE_TO_REPEAT: bool = true;
            const BATCH: bool = $batch;
            type Output = $output;
            type Error = UntypedError;
        }

        impl Paged for $name {
            type Item = Value;
            fn position(&self) -> Position {
                crate::paging::index_at(self.0.start, 0)
            }
            fn set_position(&mut self, position: &Position) -> bool {
                crate::paging::set_index(&mut self.0.start, position)
            }
            fn count(output: &Self::Output) -> usize {
                $items(output.clone()).len()
            }
            fn into_items(output: Self::Output) -> Vec<Value> {
                $items(output)
            }
        }

        impl ListMethod for $name {
            const SHAPE: ListShape = $shape;
        }
    };
}

const DEAL_SHAPE: ListShape = ListShape::new()
    .filter("filter")
    .order("order")
    .select("select")
    .id("ID")
    .id_window("ID")
    .start_minus_one(true);

list_method!(Deals, "crm.deal.list", batch: true, output: Vec<Value>,
    items: |output| output, shape: DEAL_SHAPE);

/// `crm.item.list`: camelCase, records in `result.items`.
#[derive(Debug, Clone, serde::Deserialize)]
struct ItemPage {
    items: Vec<Value>,
}

list_method!(Items, "crm.item.list", batch: true, output: ItemPage,
    items: |page: ItemPage| page.items,
    shape: ListShape::new().filter("filter").order("order").select("select")
        .items(&["items"]).id("id").id_window("id").start_minus_one(true));

// A method kept out of `batch` (as uploads are): one page a request.
list_method!(Posts, "demo.post.list", batch: false, output: Vec<Value>,
    items: |output| output, shape: DEAL_SHAPE);

// A method without an id: pages as the portal numbers them.
list_method!(Logs, "demo.log.list", batch: true, output: Vec<Value>,
    items: |output| output, shape: ListShape::new().filter("filter").order("order"));

fn deal(id: u64) -> Value {
    let stage = if id.is_multiple_of(3) { "WON" } else { "NEW" };
    json!({
        "ID": id.to_string(),
        "TITLE": format!("Deal {}", id % 17),
        "STAGE_ID": stage,
        "OPPORTUNITY": format!("{}.00", id * 10),
        "COMMENTS": "a comment the read does not select",
    })
}

fn deals(ids: impl IntoIterator<Item = u64>) -> Vec<Value> {
    ids.into_iter().map(deal).collect()
}

fn item(id: u64) -> Value {
    json!({"id": id, "title": format!("Item {id}"), "createdTime": "2026-01-01T00:00:00+00:00"})
}

fn portal() -> MockPortal<NoSpecs> {
    MockPortal::<NoSpecs>::start()
}

fn id(record: &Value) -> u64 {
    record
        .get("ID")
        .or_else(|| record.get("id"))
        .and_then(super::id_of)
        .expect("a record with an id")
}

/// Reads everything, failing on an error; the ids in the order read.
async fn read_ids<M: ListMethod<Item = Value, Error = UntypedError>>(
    client: &Client,
    request: M,
    strategy: Option<ReadStrategy>,
) -> (Vec<u64>, super::ReadStats) {
    let mut reader = client.read_all(request);
    if let Some(strategy) = strategy {
        reader = reader.strategy(strategy);
    }
    let mut ids = Vec::new();
    while let Some(record) = reader.next().await {
        ids.push(id(&record.expect("no error")));
    }
    (ids, reader.stats())
}

fn assert_once_in_order(ids: &[u64], expected: &[u64]) {
    let unique: HashSet<u64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "a record was repeated");
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn ten_thousand_records_take_five_batch_requests_chained_by_id() {
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=10_000));
    let client = portal.client();
    let request = Deals(Query::default().select(&["ID", "TITLE", "STAGE_ID"]));
    let mut reader = client.read_all(request);
    assert_eq!(reader.planned_strategy(), Ok(ReadStrategy::IdWindowBatch));
    let mut ids = Vec::new();
    while let Some(record) = reader.next().await {
        let record = record.unwrap();
        assert_eq!(record.as_object().unwrap().len(), 3, "{record}");
        ids.push(id(&record));
    }
    assert_once_in_order(&ids, &(1..=10_000).collect::<Vec<_>>());
    // Four requests of 2,500 records, and one whose first page comes back empty.
    assert_eq!(portal.requests(), 5);
    assert_eq!(reader.stats().requests, 5);
    assert!(reader.stats().max_held <= 2_500, "{:?}", reader.stats());
    // Each command after the first takes its bound from the one before it; none counts.
    let calls = portal.calls();
    let second = calls
        .iter()
        .find(|call| call.batch_key.as_deref() == Some("c1"))
        .unwrap();
    let query = String::from_utf8_lossy(&second.raw_body);
    assert!(
        query.contains("filter%5B%3EID%5D=%24result%5Bc0%5D%5B49%5D%5BID%5D"),
        "{query}"
    );
    assert!(
        query.contains("start=-1") && query.contains("order%5BID%5D=ASC"),
        "{query}"
    );
    assert_eq!(second.body["filter"][">ID"], "50");
}

#[tokio::test]
async fn every_strategy_reads_every_record_once_in_order() {
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=1_234));
    portal.list_data_of::<Items>((1..=1_234).map(item).collect());
    let client = portal.client();
    let expected: Vec<u64> = (1..=1_234).collect();
    for strategy in ReadStrategy::ALL {
        portal.clear_calls();
        let before = portal.requests();
        let (ids, stats) = read_ids(&client, Deals(Query::default()), Some(strategy)).await;
        assert_once_in_order(&ids, &expected);
        assert_eq!(stats.strategy, Some(strategy));
        let requests = portal.requests() - before;
        assert_eq!(requests, stats.requests, "{strategy}");
        let expected_requests = match strategy {
            // 24 full pages and a short one; one more page confirms the end.
            ReadStrategy::IdWindowBatch => 2,
            // 24 full pages and a short one, confirmed by an empty one.
            ReadStrategy::IdWindow => 26,
            ReadStrategy::StartBatch => 1,
            // 49 new records a page after the first (each overlaps by one).
            ReadStrategy::Start => 26,
        };
        assert_eq!(requests, expected_requests, "{strategy}");
        let (ids, _) = read_ids(&client, Items(Query::default()), Some(strategy)).await;
        assert_once_in_order(&ids, &expected);
    }
}

#[tokio::test]
async fn a_method_outside_batch_and_one_without_ids_are_read_too() {
    let portal = portal();
    portal.list_data_of::<Posts>(deals(1..=130));
    portal.list_data_of::<Logs>((1..=130).map(|i| json!({"TEXT": i})).collect());
    let client = portal.client();
    let (ids, stats) = read_ids(&client, Posts(Query::default()), None).await;
    assert_once_in_order(&ids, &(1..=130).collect::<Vec<_>>());
    assert_eq!(stats.strategy, Some(ReadStrategy::IdWindow));
    let reader = client.read_all(Logs(Query::default()));
    assert_eq!(reader.planned_strategy(), Ok(ReadStrategy::StartBatch));
    let texts: Vec<Value> = reader
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r["TEXT"].clone())
        .collect();
    assert_eq!(texts, (1..=130).map(|i| json!(i)).collect::<Vec<_>>());
}

#[tokio::test]
async fn the_callers_filter_is_kept_and_its_own_bound_starts_the_window() {
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=3_000));
    let client = portal.client();
    let request = Deals(Query::default().filter(json!({">ID": 100, "=STAGE_ID": "WON"})));
    let (ids, stats) = read_ids(&client, request, None).await;
    let expected: Vec<u64> = (101..=3_000_u64)
        .filter(|id| id.is_multiple_of(3))
        .collect();
    assert_once_in_order(&ids, &expected);
    assert_eq!(stats.strategy, Some(ReadStrategy::IdWindowBatch));
    // Descending by id: windows downwards.
    let request = Deals(Query::default().order(&[("ID", "DESC")]));
    let (ids, stats) = read_ids(&client, request, None).await;
    assert_once_in_order(&ids, &(1..=3_000).rev().collect::<Vec<_>>());
    assert_eq!(stats.strategy, Some(ReadStrategy::IdWindowBatch));
}

#[tokio::test]
async fn an_order_other_than_the_id_is_kept_with_start_pages() {
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=700));
    let client = portal.client();
    let request = Deals(Query::default().order(&[("TITLE", "DESC"), ("STAGE_ID", "ASC")]));
    let (ids, stats) = read_ids(&client, request, None).await;
    assert_eq!(stats.strategy, Some(ReadStrategy::StartBatch));
    let mut expected: Vec<u64> = (1..=700).collect();
    let key = |id: &u64| {
        (
            deal(*id)["TITLE"].as_str().unwrap().to_owned(),
            deal(*id)["STAGE_ID"].clone().to_string(),
        )
    };
    expected.sort_by(|a, b| {
        key(b)
            .0
            .cmp(&key(a).0)
            .then(key(a).1.cmp(&key(b).1))
            .then(a.cmp(b))
    });
    assert_once_in_order(&ids, &expected);
    // The id was added as the last key, after the caller's in the caller's order.
    let call = portal
        .calls()
        .into_iter()
        .find(|c| c.batch_key.is_some())
        .unwrap();
    let query = String::from_utf8_lossy(&call.raw_body).into_owned();
    let at = |text: &str| {
        query
            .find(text)
            .unwrap_or_else(|| panic!("{text} in {query}"))
    };
    assert!(at("order%5BTITLE%5D=DESC") < at("order%5BSTAGE_ID%5D=ASC"));
    assert!(at("order%5BSTAGE_ID%5D=ASC") < at("order%5BID%5D=ASC"));
}

const RECORDS: u64 = 1_500;

/// Records deleted before and after the read position, and added, while the read goes on:
/// the ones that exist throughout come once each, in order, and none comes twice.
async fn churn(strategy: ReadStrategy, order: &[(&str, &str)]) {
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=RECORDS));
    let served = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&served);
    let deleted = Arc::new(std::sync::Mutex::new(Vec::new()));
    let gone = Arc::clone(&deleted);
    portal.on_list_call("crm.deal.list", move |_, list| {
        let n = counter.fetch_add(1, AtomicOrdering::Relaxed);
        // Every 7th page: delete two records from the front, two from the back, add two.
        if n % 7 == 3 {
            let ids = list.ids();
            let doomed = [
                ids[n as usize % 40],
                ids[n as usize % 40 + 1],
                ids[ids.len() - 2],
                ids[ids.len() - 1],
            ];
            for id in doomed {
                list.remove(id);
                gone.lock().unwrap().push(id);
            }
            let next = ids[ids.len() - 1] + 1_000;
            list.insert(deal(next));
            list.insert(deal(next + 1));
        }
    });
    let client = portal.client();
    let request = Deals(Query::default().order(order));
    let (ids, stats) = read_ids(&client, request, Some(strategy)).await;
    assert!(served.load(AtomicOrdering::Relaxed) > 7, "{stats:?}");
    let deleted: HashSet<u64> = deleted.lock().unwrap().iter().copied().collect();
    let unique: HashSet<u64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{strategy}: a record was repeated");
    for survivor in (1..=RECORDS).filter(|id| !deleted.contains(id)) {
        assert!(
            unique.contains(&survivor),
            "{strategy}: {survivor} was missed"
        );
    }
    let originals: Vec<u64> = ids.iter().copied().filter(|id| *id <= RECORDS).collect();
    let mut sorted = originals.clone();
    sorted.sort_unstable();
    if order.is_empty() {
        assert_eq!(originals, sorted, "{strategy}: out of order");
    }
}

#[tokio::test]
async fn records_added_and_deleted_during_the_read_are_neither_missed_nor_repeated() {
    for strategy in ReadStrategy::ALL {
        churn(strategy, &[]).await;
    }
    churn(ReadStrategy::StartBatch, &[("TITLE", "ASC")]).await;
    churn(ReadStrategy::Start, &[("TITLE", "ASC")]).await;
}

#[tokio::test]
async fn short_pages_do_not_end_the_read() {
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=1_000));
    // Rows the caller may not see: they take their places in pages, which come back short.
    // (An id window cannot see past a page whose rows are all hidden: none is here.)
    let hidden: Vec<u64> = (1..=1_000)
        .filter(|id| id % 50 < 7 || (400..440).contains(id))
        .collect();
    portal.with_list("crm.deal.list", |list| {
        hidden.iter().for_each(|id| list.hide(*id))
    });
    let expected: Vec<u64> = (1..=1_000).filter(|id| !hidden.contains(id)).collect();
    let client = portal.client();
    for strategy in ReadStrategy::ALL {
        let (ids, _) = read_ids(&client, Deals(Query::default()), Some(strategy)).await;
        assert_once_in_order(&ids, &expected);
    }
}

#[tokio::test]
async fn next_wins_when_total_disagrees() {
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=120));
    // `next: 50, total: 5`, and a first page of 2 records (48 rows hidden).
    portal.with_list("crm.deal.list", |list| {
        list.report_total(Some(5));
        (3..=50).for_each(|id| list.hide(id));
    });
    let client = portal.client();
    let expected: Vec<u64> = [1, 2].into_iter().chain(51..=120).collect();
    for strategy in [ReadStrategy::StartBatch, ReadStrategy::Start] {
        let (ids, _) = read_ids(&client, Deals(Query::default()), Some(strategy)).await;
        assert_once_in_order(&ids, &expected);
    }
    // The pager stops at `total`: the bug the reader does not have.
    let mut pager = client.pages(Deals(Query::default()));
    let first = pager.next_page().await.unwrap().unwrap();
    assert_eq!(
        (first.result.len(), first.next, first.total),
        (2, Some(50), Some(5))
    );
    assert!(pager.next_page().await.is_none());
}

#[tokio::test]
async fn a_limit_stops_the_read_and_asks_for_no_more_pages_than_needed() {
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=10_000));
    let client = portal.client();
    for strategy in ReadStrategy::ALL {
        portal.clear_calls();
        let reader = client
            .read_all(Deals(Query::default()))
            .strategy(strategy)
            .limit(120);
        let records = reader.collect_all().await.unwrap();
        let ids: Vec<u64> = records.iter().map(id).collect();
        assert_eq!(ids, (1..=120).collect::<Vec<_>>(), "{strategy}");
        let pages = portal.call_count("crm.deal.list");
        assert!((3..=4).contains(&pages), "{strategy}: {pages} pages");
    }
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_records_before_it() {
    let portal = portal();
    portal.list_data_of::<Posts>(deals(1..=200));
    let client = portal.client();
    let mut reader = client.read_all(Posts(Query::default()));
    for expected in 1..=50 {
        assert_eq!(id(&reader.next().await.unwrap().unwrap()), expected);
    }
    portal.push(
        "demo.post.list",
        MockAnswer::error(400, "ACCESS_DENIED_X", "No access"),
    );
    let err = reader.next().await.unwrap().unwrap_err();
    assert_eq!(err.meta().map(|m| m.code()), Some("ACCESS_DENIED_X"));
    assert!(reader.next().await.is_none());

    // Inside `batch`: the pages before the failed command are handed out first.
    portal.list_data_of::<Deals>(deals(1..=200));
    portal.push(
        "crm.deal.list",
        MockAnswer::json(
            200,
            json!({"result": (1..=50).map(deal).collect::<Vec<_>>()}),
        ),
    );
    portal.push(
        "crm.deal.list",
        MockAnswer::error(500, "INTERNAL_SERVER_ERROR", "boom"),
    );
    let mut reader = client.read_all(Deals(Query::default()));
    let mut read = 0;
    let err = loop {
        match reader.next().await.unwrap() {
            Ok(_) => read += 1,
            Err(err) => break err,
        }
    };
    assert_eq!(read, 50);
    assert_eq!(err.variant_name(), "InternalServerError");
    assert!(reader.next().await.is_none());
}

#[tokio::test]
async fn calls_go_through_the_policy_retried_and_paced() {
    use crate::policy::{Backoff, Policy, RateLimit};
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=3_000));
    portal.push("batch", MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
    let step = std::time::Duration::from_millis(10);
    let client = portal
        .client_builder()
        .policy(
            Policy::none()
                .query_limit(Backoff::new(2, step, step))
                .rate_limit(Some(RateLimit::new(1, 20.0).unwrap())),
        )
        .build()
        .unwrap();
    let (ids, stats) = read_ids(&client, Deals(Query::default()), None).await;
    assert_once_in_order(&ids, &(1..=3_000).collect::<Vec<_>>());
    // Two reads of 2,500 and an end, one refused and sent again.
    assert_eq!(stats.requests, 2);
    assert_eq!(portal.requests(), 3);
    assert!(!client.rate_limit_waited().is_zero());
}

#[tokio::test]
async fn a_portal_that_breaks_the_id_order_stops_the_read() {
    let portal = portal();
    let page: Vec<Value> = [5, 3, 9].into_iter().map(deal).collect();
    portal.set_default(
        "demo.post.list",
        MockAnswer::json(200, json!({"result": page})),
    );
    let client = portal.client();
    let mut reader = client.read_all(Posts(Query::default()));
    // The page is checked before any of its records is handed out.
    let err = reader.next().await.unwrap().unwrap_err();
    let Error::ListRead(read) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(read.method(), "demo.post.list");
    assert!(read.message().contains("id 3 for ids > 5"), "{err}");
    assert!(!err.may_have_run());
    assert!(reader.next().await.is_none());
}

#[tokio::test]
async fn a_strategy_the_request_does_not_allow_is_an_error_before_any_request() {
    let portal = portal();
    let client = portal.client();
    let request = Deals(Query::default().order(&[("TITLE", "ASC")]));
    let mut reader = client
        .read_all(request)
        .strategy(ReadStrategy::IdWindowBatch);
    assert!(reader.planned_strategy().is_err());
    let err = reader.next().await.unwrap().unwrap_err();
    assert_eq!(err.variant_name(), "ListRead");
    assert!(reader.next().await.is_none());
    assert_eq!(portal.requests(), 0);
}

#[tokio::test]
async fn the_reader_is_a_stream() {
    use futures_core::Stream;
    let portal = portal();
    portal.list_data_of::<Deals>(deals(1..=60));
    let client = portal.client();
    let mut reader = client.read_all(Deals(Query::default()));
    let mut ids = Vec::new();
    while let Some(record) = std::future::poll_fn(|cx| Pin::new(&mut reader).poll_next(cx)).await {
        ids.push(id(&record.unwrap()));
    }
    assert_once_in_order(&ids, &(1..=60).collect::<Vec<_>>());
    fn is_send<T: Send>(_: &T) {}
    is_send(&reader);
}

/// 100,000 records stream through a reader that never holds more than one request's pages.
#[tokio::test]
async fn a_hundred_thousand_records_stream_in_flat_memory() {
    let portal = portal();
    portal.keep_calls(false);
    portal.list_data_of::<Items>((1..=100_000).map(item).collect());
    let client = portal.client();
    let mut reader = client.read_all(Items(Query::default().select(&["id", "title"])));
    let (mut count, mut last, mut most_held) = (0_u64, 0, 0);
    while let Some(record) = reader.next().await {
        let next = id(&record.unwrap());
        assert!(next > last, "{next} after {last}");
        (count, last) = (count + 1, next);
        most_held = most_held.max(reader.held());
    }
    assert_eq!((count, last), (100_000, 100_000));
    let bound = crate::batch::MAX_BATCH_COMMANDS * 50;
    assert!(most_held <= bound, "held {most_held}");
    assert!(
        reader.stats().max_held <= bound as u64,
        "{:?}",
        reader.stats()
    );
    assert_eq!(reader.stats().requests, 41);
}
