//! Reading 10,000 records (three selected fields) from the mock portal under the default
//! rate limit (burst 50, 2 requests a second), with each strategy of `Client::read_all` and
//! with plain `start` paging (`Client::pages`), then 100,000 records with the fastest one:
//! HTTP requests, wall time, the rate limiter's waits, the portal's own answer time, and the
//! heap's peak while streaming.
//!
//! ```text
//! cargo run -p b24-rest-runtime --release --features mock --example read_all_bench -- \
//!     [--quick] [--records N] [--big N] [--query-ms MS] [--count-us US]
//! ```
//!
//! `--quick` leaves out the three strategies that send one page a request (about 80 s each
//! at 2 requests a second). The portal answers each page after `--query-ms` (default 5 ms),
//! plus `--count-us` (default 2 µs) per row it counts for `total` (pages with `start = -1`
//! count none), as a portal's database would.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use b24_rest_runtime::mock::MockPortal;
use b24_rest_runtime::{
    Client, ListMethod, ListShape, Method, Paged, Policy, Position, ReadStrategy, SpecSource,
    UntypedError,
};
use serde_json::{Value, json};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A portal without specs: the list is the benchmark's data set.
struct NoSpecs;

impl SpecSource for NoSpecs {
    type Client = Client;

    fn spec_data() -> &'static [(&'static str, &'static str)] {
        &[]
    }
}

/// `crm.deal.list`, selecting three fields.
#[derive(Clone, serde::Serialize)]
struct Deals {
    select: [&'static str; 3],
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<i64>,
}

impl Method for Deals {
    const NAME: &'static str = "crm.deal.list";
    const SAFE_TO_REPEAT: bool = true;
    const BATCH: bool = true;
    type Output = Vec<Value>;
    type Error = UntypedError;
}

impl Paged for Deals {
    type Item = Value;

    fn position(&self) -> Position {
        Position::Index(self.start.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
    }

    fn set_position(&mut self, position: &Position) -> bool {
        let index = position.index().and_then(|n| i64::try_from(n).ok());
        self.start = index.or(self.start);
        index.is_some()
    }

    fn count(output: &Self::Output) -> usize {
        output.len()
    }

    fn into_items(output: Self::Output) -> Vec<Value> {
        output
    }
}

impl ListMethod for Deals {
    const SHAPE: ListShape = ListShape::new()
        .filter("filter")
        .order("order")
        .select("select")
        .id("ID")
        .id_window("ID")
        .start_minus_one(true);
}

fn request() -> Deals {
    Deals {
        select: ["ID", "TITLE", "STAGE_ID"],
        start: None,
    }
}

struct Settings {
    records: u64,
    big: u64,
    quick: bool,
    per_query: Duration,
    per_counted: Duration,
}

fn settings() -> Settings {
    let mut settings = Settings {
        records: 10_000,
        big: 100_000,
        quick: false,
        per_query: Duration::from_millis(5),
        per_counted: Duration::from_micros(2),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match args[i].as_str() {
            "--quick" => settings.quick = true,
            "--records" => settings.records = value().unwrap_or(settings.records),
            "--big" => settings.big = value().unwrap_or(settings.big),
            "--query-ms" => settings.per_query = Duration::from_millis(value().unwrap_or(5)),
            "--count-us" => settings.per_counted = Duration::from_micros(value().unwrap_or(2)),
            other => eprintln!("ignored: {other}"),
        }
        i += if args[i] == "--quick" { 1 } else { 2 };
    }
    settings
}

fn portal(records: u64, settings: &Settings) -> MockPortal<NoSpecs> {
    let portal = MockPortal::<NoSpecs>::start();
    portal.keep_calls(false);
    let deals = (1..=records)
        .map(|id| {
            json!({"ID": id.to_string(), "TITLE": format!("Deal {id}"), "STAGE_ID": "NEW",
                   "OPPORTUNITY": "100.00", "COMMENTS": "not selected"})
        })
        .collect();
    portal.list_data_of::<Deals>(deals);
    portal.with_list(Deals::NAME, |list| {
        list.cost(settings.per_query, settings.per_counted);
    });
    portal
}

/// One run's figures.
struct Run {
    name: String,
    records: u64,
    requests: u64,
    wall: Duration,
    waits: Duration,
    answering: Duration,
    peak: usize,
}

impl Run {
    fn print(&self) {
        let floor = self.answering + self.waits;
        println!(
            "| {:<28} | {:>7} | {:>8} | {:>9.2} s | {:>9.2} s | {:>9.2} s | {:>5.2}× | {:>8.1} MiB |",
            self.name,
            self.records,
            self.requests,
            self.wall.as_secs_f64(),
            self.waits.as_secs_f64(),
            self.answering.as_secs_f64(),
            self.wall.as_secs_f64() / floor.as_secs_f64().max(1e-9),
            self.peak as f64 / (1024.0 * 1024.0),
        );
    }
}

fn client(portal: &MockPortal<NoSpecs>) -> Client {
    portal
        .client_builder()
        .policy(Policy::default())
        .build()
        .expect("a loopback client")
}

/// Reads everything with `strategy` (`None`: the pager), on a fresh client (a full bucket).
async fn run(portal: &MockPortal<NoSpecs>, strategy: Option<ReadStrategy>) -> Run {
    let client = client(portal);
    let (requests, answering) = (portal.requests(), portal.answer_time());
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let started = Instant::now();
    let mut records = 0;
    match strategy {
        Some(strategy) => {
            let mut reader = client.read_all(request()).strategy(strategy);
            while let Some(record) = reader.next().await {
                record.expect("a record");
                records += 1;
            }
        }
        None => {
            let mut pages = client.pages(request());
            while let Some(page) = pages.next_page().await {
                records += page.expect("a page").result.len() as u64;
            }
        }
    }
    Run {
        name: strategy.map_or_else(
            || "Client::pages (no read_all)".to_owned(),
            |s| s.to_string(),
        ),
        records,
        requests: portal.requests() - requests,
        wall: started.elapsed(),
        waits: client.rate_limit_waited(),
        answering: portal.answer_time() - answering,
        peak: PEAK.load(Ordering::Relaxed).saturating_sub(base),
    }
}

#[tokio::main]
async fn main() {
    let settings = settings();
    println!(
        "read_all: {} records, 3 fields selected, default rate limit (burst 50, 2/s); the \
         portal takes {:?} a page plus {:?} a counted row",
        settings.records, settings.per_query, settings.per_counted
    );
    println!(
        "(ratio = wall / (portal answer time + limiter waits); target: at most 6 requests and \
         1.5× for id windows in batch)\n"
    );
    println!(
        "| strategy                     | records | requests |      wall |    waits  |  portal   | ratio |  peak heap |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let small = portal(settings.records, &settings);
    let mut strategies = vec![
        Some(ReadStrategy::IdWindowBatch),
        Some(ReadStrategy::StartBatch),
    ];
    if !settings.quick {
        strategies.extend([
            Some(ReadStrategy::IdWindow),
            Some(ReadStrategy::Start),
            None,
        ]);
    }
    for strategy in strategies {
        run(&small, strategy).await.print();
    }
    drop(small);
    let big = portal(settings.big, &settings);
    run(&big, Some(ReadStrategy::IdWindowBatch)).await.print();
    println!(
        "\npeak heap: above what was in use when the read started (the portal's data set is \
         not counted; its answers and the client's buffers are)"
    );
}
