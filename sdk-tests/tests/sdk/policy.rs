//! The client's production behaviour against the mock portal with scripted faults: the rate
//! limiter, retries of `QUERY_LIMIT_EXCEEDED` and `OPERATION_TIME_LIMIT`, token refresh,
//! ambiguous failures, a load run, and typed `batch`.
//!
//! Every test is bounded in calls and in time. Waits are checked on tokio's paused clock or
//! as lower bounds ("not less than"), never as wall-clock speed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use b24_rest::log::{BlogpostDeleteRequest, BlogpostShareError, BlogpostShareRequest};
use b24_rest::mock::{MockAnswer, MockAuth, MockCall, MockPortal};
use b24_rest::shared::Destination;
use b24_rest::{Backoff, Client, Error, Method, Policy, RateLimit, ResetWait, SystemError};
use serde_json::json;
use tokio::time::Instant;

const SHARE: &str = "log.blogpost.share";
const DELETE: &str = "log.blogpost.delete";

async fn bounded<F: std::future::Future<Output = ()>>(limit: Duration, test: F) {
    tokio::time::timeout(limit, test)
        .await
        .expect("the test ran past its time limit");
}

fn share(client: &Client, post_id: i64) -> b24_rest::log::BlogpostShareCall<'_> {
    client
        .log()
        .blogpost()
        .share(post_id, vec![Destination::Group(69)])
}

/// Short delays, so that retries take milliseconds.
fn quick_retries() -> Policy {
    Policy::default()
        .rate_limit(None)
        .query_limit(Backoff::new(
            3,
            Duration::from_millis(5),
            Duration::from_millis(20),
        ))
        .ambiguous(Backoff::new(
            2,
            Duration::from_millis(5),
            Duration::from_millis(20),
        ))
}

fn post_id_of(call: &MockCall) -> i64 {
    match &call.body["POST_ID"] {
        serde_json::Value::Number(n) => n.as_i64().expect("an integer POST_ID"),
        // Inside `batch` parameters arrive as PHP reads a query: strings.
        serde_json::Value::String(s) => s.parse().expect("a numeric POST_ID"),
        other => panic!("POST_ID is {other}"),
    }
}

/// With a paused clock, 60 calls from clones of one client take the 5 s the standard bucket
/// allows (50 at once, then 2 per second), not less.
#[tokio::test(start_paused = true)]
async fn the_limiter_paces_calls_as_the_bucket_allows() {
    let portal = MockPortal::start();
    // No timeouts: on a paused clock a pending timeout would fire while a request is on
    // the wire. The portal runs on its own clock, so it answers at once.
    let client = portal
        .client_builder()
        .no_timeouts()
        .policy(Policy::default().rate_limit(Some(RateLimit::STANDARD)))
        .build()
        .expect("client");
    let calls = 60;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for id in 0..calls {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            share(&client, id).await.map(|r| r.result)
        }));
    }
    for task in tasks {
        assert!(task.await.expect("task").expect("success"));
    }
    let elapsed = start.elapsed();
    let allowed = Duration::from_secs_f64((calls - 50) as f64 / 2.0);
    assert!(
        elapsed >= allowed,
        "{calls} calls took {elapsed:?}; the bucket allows no less than {allowed:?}"
    );
    assert_eq!(portal.call_count(SHARE), calls as usize);
}

/// `QUERY_LIMIT_EXCEEDED` is retried, for a method that is not safe to repeat too (the call
/// never ran), a bounded number of times.
#[tokio::test]
async fn query_limit_exceeded_is_retried_then_succeeds_or_gives_up() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        let client = portal
            .client_builder()
            .policy(quick_retries())
            .build()
            .expect("client");
        for _ in 0..2 {
            portal.push(SHARE, MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
        }
        assert!(
            share(&client, 1)
                .await
                .expect("success after two 503s")
                .result
        );
        assert_eq!(portal.call_count(SHARE), 3);

        // Four 503s against three retries: the fourth is the caller's.
        portal.clear_calls();
        for _ in 0..4 {
            portal.push(SHARE, MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
        }
        let err = share(&client, 1).await.unwrap_err();
        assert!(
            matches!(err, Error::System(SystemError::QueryLimitExceeded(_))),
            "{err:?}"
        );
        assert_eq!(portal.call_count(SHARE), 4);
    })
    .await;
}

fn success_with_budget(finish: f64, reset_in: f64, operating: f64) -> MockAnswer {
    MockAnswer::json(
        200,
        json!({
            "result": true,
            "time": {
                "start": finish - 0.5,
                "finish": finish,
                "duration": 0.5,
                "processing": 0.4,
                "operating": operating,
                "operating_reset_at": finish + reset_in,
            }
        }),
    )
}

/// `OPERATION_TIME_LIMIT` waits until `operating_reset_at` of the last success (measured on
/// the portal's clock), and the budget is visible to the caller. Paused clock: exact waits.
#[tokio::test(start_paused = true)]
async fn operation_time_limit_waits_for_the_reset() {
    let portal = MockPortal::start();
    let fallback = Duration::from_secs(500);
    let client = portal
        .client_builder()
        .no_timeouts()
        .policy(Policy::none().operation_time_limit(ResetWait::new(
            1,
            fallback,
            Duration::from_secs(600),
        )))
        .build()
        .expect("client");
    let delete = |id| client.log().blogpost().delete(id);

    // The portal's clock is a year off ours: only `operating_reset_at - finish` counts.
    portal.push(DELETE, success_with_budget(1_000_000_000.0, 30.0, 412.5));
    assert!(delete(1).await.expect("success").result);
    let budget = client
        .operating(DELETE)
        .expect("the answer reported a budget");
    assert_eq!(budget.operating(), Some(412.5));
    assert_eq!(budget.reset_at(), Some(1_000_000_030.0));
    assert_eq!(budget.resets_in(), Some(Duration::from_secs(30)));
    assert!(client.operating(SHARE).is_none());

    portal.push(DELETE, MockAnswer::system_error("OPERATION_TIME_LIMIT"));
    let start = Instant::now();
    assert!(delete(2).await.expect("success after the reset").result);
    let waited = start.elapsed();
    // A lower bound only: while a request is on the wire the paused clock may jump to the
    // HTTP pool's own timers. That the reset, not the fallback, was waited for is shown by
    // the unit test of the wait itself.
    assert!(waited >= Duration::from_secs(30), "waited {waited:?}");
    assert_eq!(portal.call_count(DELETE), 3);

    // No reset known for share: the fallback wait, then one retry only.
    portal.push(SHARE, MockAnswer::system_error("OPERATION_TIME_LIMIT"));
    portal.push(SHARE, MockAnswer::system_error("OPERATION_TIME_LIMIT"));
    let start = Instant::now();
    let err = share(&client, 3).await.unwrap_err();
    assert!(start.elapsed() >= fallback);
    assert_eq!(err.variant_name(), "OperationTimeLimit");
    assert_eq!(portal.call_count(SHARE), 2);
}

/// Twenty calls meet `expired_token` together: the refresher runs once, every call is
/// repeated once with the new token, and later calls use it too.
#[tokio::test]
async fn an_expired_token_is_refreshed_once_for_concurrent_calls() {
    bounded(Duration::from_secs(30), async {
        const NEW_TOKEN: &str = "mock-access-token-refreshed";
        const CALLS: usize = 20;
        let portal = Arc::new(MockPortal::start());
        portal.expire_token(MockPortal::ACCESS_TOKEN);
        portal.accept_token(NEW_TOKEN);
        let refreshes = Arc::new(AtomicUsize::new(0));
        let client = {
            let portal = Arc::clone(&portal);
            let refreshes = Arc::clone(&refreshes);
            portal
                .oauth_client_builder()
                .policy(Policy::none().refresh_expired_token(true))
                .token_refresher(move || {
                    let portal = Arc::clone(&portal);
                    let refreshes = Arc::clone(&refreshes);
                    async move {
                        refreshes.fetch_add(1, Ordering::SeqCst);
                        // Hold the refresh until every call has met the expired token, so
                        // that all twenty are waiting on this one refresh.
                        for _ in 0..500 {
                            let refused = portal.calls().iter().filter(|c| !c.authorized).count();
                            if refused >= CALLS {
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                        Ok(NEW_TOKEN.to_owned())
                    }
                })
                .build()
                .expect("client")
        };
        let mut tasks = Vec::new();
        for id in 0..CALLS as i64 {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                share(&client, id).await.map(|r| r.result)
            }));
        }
        for task in tasks {
            assert!(task.await.expect("task").expect("success"));
        }
        assert_eq!(refreshes.load(Ordering::SeqCst), 1);
        let calls = portal.calls();
        let with = |token: &str| {
            calls
                .iter()
                .filter(|c| {
                    c.auth
                        == MockAuth::OAuth {
                            token: token.to_owned(),
                        }
                })
                .count()
        };
        assert_eq!(with(MockPortal::ACCESS_TOKEN), CALLS);
        assert_eq!(with(NEW_TOKEN), CALLS);
        assert_eq!(portal.call_count(SHARE), CALLS);

        // The next call goes out with the new token straight away.
        assert!(share(&client, 99).await.expect("success").result);
        assert_eq!(refreshes.load(Ordering::SeqCst), 1);
        assert_eq!(portal.calls().len(), 2 * CALLS + 1);
        assert!(!format!("{client:?}").contains(NEW_TOKEN));
    })
    .await;
}

/// A token that is still expired after the refresh, a failing refresher, and a webhook: each
/// gives the caller an error, with no loop and no second refresh.
#[tokio::test]
async fn token_refresh_is_bounded() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        portal.expire_token(MockPortal::ACCESS_TOKEN);
        let refreshes = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&refreshes);
        let client = portal
            .oauth_client_builder()
            .policy(Policy::none().refresh_expired_token(true))
            .token_refresher(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                // The portal does not know this token either: it stays `expired_token`.
                async { Ok("another-expired-token".to_owned()) }
            })
            .build()
            .expect("client");
        portal.expire_token("another-expired-token");
        let err = share(&client, 1).await.unwrap_err();
        assert!(
            matches!(err, Error::System(SystemError::ExpiredToken(_))),
            "{err:?}"
        );
        assert_eq!(refreshes.load(Ordering::SeqCst), 1);
        assert_eq!(portal.calls().len(), 2);

        let failing = portal
            .oauth_client_builder()
            .policy(Policy::default().rate_limit(None))
            .token_refresher(|| async {
                Err(format!("refresh refused for {}", MockPortal::ACCESS_TOKEN).into())
            })
            .build()
            .expect("client");
        let err = share(&failing, 1).await.unwrap_err();
        let Error::TokenRefresh(refresh) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(refresh.message(), "refresh refused for ***");
        assert!(!err.may_have_run());
        assert!(!format!("{err} {err:?}").contains(MockPortal::ACCESS_TOKEN));

        portal.push(SHARE, MockAnswer::system_error("expired_token"));
        let webhook = portal
            .client_builder()
            .policy(Policy::default().rate_limit(None))
            .build()
            .expect("client");
        let err = share(&webhook, 1).await.unwrap_err();
        assert!(
            matches!(err, Error::System(SystemError::ExpiredToken(_))),
            "{err:?}"
        );
    })
    .await;
}

/// After a connection lost or a timeout once the request was sent, share (not safe to
/// repeat) is never sent again and the error says it may have run; delete (safe) is
/// retried; any other error is returned at once.
#[tokio::test]
async fn ambiguous_failures_resend_only_safe_methods() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        let client = portal
            .client_builder()
            .timeout(Duration::from_millis(300))
            .policy(quick_retries())
            .build()
            .expect("client");

        portal.push(SHARE, MockAnswer::Disconnect);
        let err = share(&client, 1).await.unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        assert!(err.may_have_run());
        assert!(
            err.to_string().contains("may have reached the server"),
            "{err}"
        );
        assert_eq!(portal.call_count(SHARE), 1, "share was sent again");

        portal.push(SHARE, MockAnswer::Stall(Duration::from_secs(5)));
        let err = share(&client, 2).await.unwrap_err();
        assert!(err.may_have_run(), "{err:?}");
        assert_eq!(portal.call_count(SHARE), 2, "share was sent again");

        portal.push(DELETE, MockAnswer::Disconnect);
        portal.push(DELETE, MockAnswer::Stall(Duration::from_secs(5)));
        let deleted = client.log().blogpost().delete(3).await;
        assert!(deleted.expect("delete is retried").result);
        assert_eq!(portal.call_count(DELETE), 3);

        portal.clear_calls();
        portal.push(DELETE, MockAnswer::system_error("INTERNAL_SERVER_ERROR"));
        let err = client.log().blogpost().delete(4).await.unwrap_err();
        assert_eq!(err.variant_name(), "InternalServerError");
        assert_eq!(portal.call_count(DELETE), 1);
    })
    .await;
}

/// A test method whose result is its own `ID`, to tell the calls' answers apart.
#[derive(serde::Serialize)]
struct Echo {
    #[serde(rename = "ID")]
    id: u64,
}

impl Method for Echo {
    const NAME: &'static str = "test.echo";
    const SAFE_TO_REPEAT: bool = true;
    const BATCH: bool = true;
    type Output = u64;
    type Error = BlogpostShareError;
}

/// 2,000 calls at concurrency 32 with 10% answered `QUERY_LIMIT_EXCEEDED` first: every call
/// completes with its own answer; none is lost, duplicated or given another's result.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_run_with_injected_503s() {
    const CALLS: u64 = 2_000;
    const CONCURRENCY: usize = 32;
    bounded(Duration::from_secs(120), async {
        let portal = MockPortal::start();
        let seen: Arc<Mutex<HashMap<u64, u32>>> = Arc::default();
        let record = Arc::clone(&seen);
        portal.respond_with(Echo::NAME, move |call| {
            let id = call.body["ID"].as_u64().expect("ID");
            let mut seen = record.lock().expect("lock");
            let attempt = seen.entry(id).or_default();
            *attempt += 1;
            if id % 10 == 0 && *attempt == 1 {
                MockAnswer::system_error("QUERY_LIMIT_EXCEEDED")
            } else {
                MockAnswer::json(200, json!({ "result": id }))
            }
        });
        let client = portal
            .client_builder()
            .policy(quick_retries())
            .build()
            .expect("client");
        let next = Arc::new(AtomicUsize::new(0));
        let mut workers = Vec::new();
        for _ in 0..CONCURRENCY {
            let client = client.clone();
            let next = Arc::clone(&next);
            workers.push(tokio::spawn(async move {
                let mut answers = Vec::new();
                loop {
                    let id = next.fetch_add(1, Ordering::SeqCst) as u64;
                    if id >= CALLS {
                        return answers;
                    }
                    let result = client.send(&Echo { id }).await.map(|r| r.result);
                    answers.push((id, result));
                }
            }));
        }
        let mut answered = HashMap::new();
        for worker in workers {
            for (id, result) in worker.await.expect("worker") {
                let got = result.unwrap_or_else(|e| panic!("call {id} failed: {e}"));
                assert_eq!(got, id, "call {id} was given another call's result");
                assert!(answered.insert(id, got).is_none(), "call {id} answered twice");
            }
        }
        assert_eq!(answered.len() as u64, CALLS);
        let seen = seen.lock().expect("lock");
        let injected = (0..CALLS).filter(|id| id % 10 == 0).count();
        for id in 0..CALLS {
            let expected = if id % 10 == 0 { 2 } else { 1 };
            assert_eq!(seen.get(&id), Some(&expected), "call {id} reached the portal");
        }
        assert_eq!(portal.call_count(Echo::NAME), CALLS as usize + injected);
        println!(
            "load run: {CALLS} calls, concurrency {CONCURRENCY}, {injected} injected 503s, {} requests",
            portal.call_count(Echo::NAME)
        );
    })
    .await;
}

/// 120 typed calls go out as 3 `batch` requests (50, 50, 20); each call gets its own typed
/// result or typed error under the key it was added with.
#[tokio::test]
async fn batch_of_120_calls_is_three_requests_with_results_in_their_keys() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        // Odd posts may not be shared; even ones are.
        portal.respond_with(SHARE, |call| {
            if post_id_of(call) % 2 == 1 {
                MockAnswer::error_row::<BlogpostShareRequest>("NoReadPermission")
            } else {
                MockAnswer::success::<BlogpostShareRequest>(&true)
            }
        });
        let client = portal.client();
        let mut batch = client.batch();
        let mut keys = Vec::new();
        for id in 0..120 {
            if id % 3 == 2 {
                keys.push((id, None, Some(batch.add(BlogpostDeleteRequest::new(id)))));
            } else {
                let request = BlogpostShareRequest::new(id, vec![Destination::Department(4)]);
                keys.push((id, Some(batch.add(request)), None));
            }
        }
        assert_eq!(batch.len(), 120);
        let results = batch.send().await;
        assert_eq!(results.requests(), 3);
        assert_eq!(portal.call_count("batch"), 3);
        assert_eq!(portal.call_count(SHARE), 80);
        assert_eq!(portal.call_count(DELETE), 40);
        for (id, share_key, delete_key) in &keys {
            if let Some(key) = share_key {
                let outcome = results.get(key).expect("the command ran");
                if id % 2 == 1 {
                    let err = outcome.unwrap_err();
                    assert!(
                        matches!(err, Error::Method(BlogpostShareError::NoReadPermission(_))),
                        "{id}: {err:?}"
                    );
                } else {
                    assert!(outcome.expect("success").result, "{id}");
                }
            }
            if let Some(key) = delete_key {
                assert!(results.get(key).expect("ran").expect("success").result);
            }
        }
        // The commands carried the typed parameters.
        let shared: Vec<i64> = portal
            .calls()
            .iter()
            .filter(|c| c.method == SHARE)
            .map(post_id_of)
            .collect();
        let expected: Vec<i64> = (0..120).filter(|id| id % 3 != 2).collect();
        assert_eq!(shared, expected);
        let first = portal
            .calls()
            .into_iter()
            .find(|c| c.method == SHARE)
            .expect("a share command");
        assert_eq!(first.body["DEST"], json!(["DR4"]));
        assert_eq!(first.batch_key.as_deref(), Some("c0"));
    })
    .await;
}

/// With `halt`, the commands after the first failure do not run, and the requests after the
/// failing one are not sent.
#[tokio::test]
async fn batch_halt_stops_at_the_first_failure() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        portal.respond_with(SHARE, |call| {
            if post_id_of(call) == 7 {
                MockAnswer::error_row::<BlogpostShareRequest>("WrongPostId")
            } else {
                MockAnswer::success::<BlogpostShareRequest>(&true)
            }
        });
        let client = portal.client();
        let mut batch = client.batch().halt(true);
        let keys: Vec<_> = (0..60)
            .map(|id| batch.add(BlogpostShareRequest::new(id, vec![Destination::AllUsers])))
            .collect();
        let results = batch.send().await;
        assert_eq!(results.requests(), 1, "the second request was sent");
        for (id, key) in keys.iter().enumerate() {
            match id {
                0..7 => assert!(results.get(key).expect("ran").expect("success").result),
                7 => assert_eq!(
                    results.get(key).expect("ran").unwrap_err().variant_name(),
                    "WrongPostId"
                ),
                _ => assert!(results.get(key).is_none(), "command {id} ran"),
            }
        }
        assert_eq!(portal.call_count(SHARE), 8);

        // Without halt every command runs.
        portal.clear_calls();
        let mut batch = client.batch();
        let keys: Vec<_> = (0..10)
            .map(|id| batch.add(BlogpostShareRequest::new(id, vec![Destination::AllUsers])))
            .collect();
        let results = batch.send().await;
        assert_eq!(portal.call_count(SHARE), 10);
        assert!(results.get(&keys[9]).expect("ran").is_ok());
        assert!(results.get(&keys[7]).expect("ran").is_err());
    })
    .await;
}

/// A `batch` request that fails as a whole hands its error to each of its calls; a key is
/// only found in its own batch's results.
#[tokio::test]
async fn a_failed_batch_request_is_each_calls_error() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        portal.push("batch", MockAnswer::system_error("OVERLOAD_LIMIT"));
        let client = portal.client();
        let mut batch = client.batch();
        let first = batch.add(BlogpostDeleteRequest::new(1));
        let second = batch.add(BlogpostShareRequest::new(2, vec![Destination::AllUsers]));
        let results = batch.send().await;
        for variant in [
            results
                .get(&first)
                .expect("answered")
                .unwrap_err()
                .variant_name(),
            results
                .get(&second)
                .expect("answered")
                .unwrap_err()
                .variant_name(),
        ] {
            assert_eq!(variant, "OverloadLimit");
        }
        assert_eq!(portal.call_count(SHARE), 0);

        let other = client.batch().send().await;
        assert_eq!(other.requests(), 0);
        assert!(other.get(&first).is_none());
    })
    .await;
}

/// A command's time budget inside `batch` is recorded under its own method, not only the
/// batch's under `batch`: a later `OPERATION_TIME_LIMIT` of that method waits for the reset
/// the command reported. Paused clock; the fallback (1 s) is far shorter than the reset
/// (30 s), so a wait of 30 s or more can only come from the command's budget.
#[tokio::test(start_paused = true)]
async fn batch_commands_record_their_own_time_budget() {
    let portal = MockPortal::start();
    let client = portal
        .client_builder()
        .no_timeouts()
        .policy(Policy::none().operation_time_limit(ResetWait::new(
            1,
            Duration::from_secs(1),
            Duration::from_secs(600),
        )))
        .build()
        .expect("client");
    // The command used more than the whole batch: 700 s of its budget.
    portal.push(DELETE, success_with_budget(1_000_000_000.0, 30.0, 700.0));
    let mut batch = client.batch();
    let key = batch.add(BlogpostDeleteRequest::new(1));
    let results = batch.send().await;
    assert!(results.get(&key).expect("ran").expect("success").result);
    let budget = client.operating(DELETE).expect("the command's budget");
    assert_eq!(budget.operating(), Some(700.0));
    assert_eq!(budget.reset_at(), Some(1_000_000_030.0));
    assert_eq!(budget.resets_in(), Some(Duration::from_secs(30)));

    portal.push(DELETE, MockAnswer::system_error("OPERATION_TIME_LIMIT"));
    let start = Instant::now();
    let deleted = client.log().blogpost().delete(2).await;
    assert!(deleted.expect("success after the reset").result);
    let waited = start.elapsed();
    assert!(waited >= Duration::from_secs(30), "waited {waited:?}");
    assert_eq!(portal.call_count(DELETE), 3);
}

/// The access token in a command's error (its description, a result that does not decode,
/// errors that name no command) never reaches the caller: redacted as in a single call.
#[tokio::test]
async fn batch_command_errors_are_redacted() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        let token = MockPortal::ACCESS_TOKEN;
        let client = portal.oauth_client();
        portal.push(
            SHARE,
            MockAnswer::error(400, "", &format!("No read perms for token {token}")),
        );
        portal.push(
            DELETE,
            MockAnswer::json(200, json!({ "result": format!("not a flag: {token}") })),
        );
        let mut batch = client.batch();
        let shared = batch.add(BlogpostShareRequest::new(1, vec![Destination::AllUsers]));
        let deleted = batch.add(BlogpostDeleteRequest::new(2));
        let results = batch.send().await;

        let err = results.get(&shared).expect("ran").unwrap_err();
        assert_eq!(
            err.meta().expect("a server error").description(),
            "No read perms for token ***"
        );
        let err2 = results.get(&deleted).expect("ran").unwrap_err();
        assert_eq!(err2.variant_name(), "Decode");
        for shown in [format!("{err} {err:?}"), format!("{err2} {err2:?}")] {
            assert!(!shown.contains(token), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }

        // Errors that name no command are redacted too.
        portal.push(
            "batch",
            MockAnswer::json(
                200,
                json!({ "result": {
                    "result": [],
                    "result_error": [{"error": "", "error_description": format!("bad {token}")}]
                }}),
            ),
        );
        let mut batch = client.batch();
        let key = batch.add(BlogpostDeleteRequest::new(3));
        let err = batch.send().await.get(&key).expect("answered").unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(token) && shown.contains("bad ***"),
            "{shown}"
        );
    })
    .await;
}

/// `result_error` as a list cannot be matched to commands: the calls with a result get it;
/// those without get `BatchUnattributed` with every reported error, not a guessed one.
#[tokio::test]
async fn batch_errors_that_name_no_command_are_not_guessed() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        portal.push(
            "batch",
            MockAnswer::json(
                200,
                json!({ "result": {
                    "result": {"c1": true},
                    "result_error": [
                        {"error": "", "error_description": "No read perms"},
                        {"error": "ERROR_CORE", "error_description": "Empty post."}
                    ],
                    "result_total": [],
                    "result_next": [],
                    "result_time": []
                }}),
            ),
        );
        let client = portal.client();
        let mut batch = client.batch();
        let first = batch.add(BlogpostShareRequest::new(1, vec![Destination::AllUsers]));
        let second = batch.add(BlogpostDeleteRequest::new(2));
        let third = batch.add(BlogpostShareRequest::new(3, vec![Destination::AllUsers]));
        let results = batch.send().await;
        assert!(results.get(&second).expect("ran").expect("success").result);
        for key in [&first, &third] {
            let err = results.get(key).expect("answered").unwrap_err();
            let Error::BatchUnattributed { errors } = &err else {
                panic!("a guessed outcome: {err:?}");
            };
            let raw: Vec<(&str, &str)> = errors
                .iter()
                .map(|meta| (meta.code(), meta.description()))
                .collect();
            assert_eq!(raw, [("", "No read perms"), ("ERROR_CORE", "Empty post.")]);
            assert_eq!(err.variant_name(), "BatchUnattributed");
            // Refusals: the call did not take effect.
            assert!(!err.may_have_run());
            let shown = err.to_string();
            assert!(
                shown.contains("2 error(s) that cannot be matched")
                    && shown.contains("No read perms"),
                "{shown}"
            );
        }
    })
    .await;
}

/// A refresher that never finishes is dropped after `token_refresh_timeout`: every call
/// waiting on it gets `TokenRefresh`, from one refresh, not one after the other.
#[tokio::test]
async fn a_hung_token_refresher_times_out_for_every_waiting_call() {
    bounded(Duration::from_secs(20), async {
        const CALLS: usize = 3;
        let portal = Arc::new(MockPortal::start());
        portal.expire_token(MockPortal::ACCESS_TOKEN);
        let refreshes = Arc::new(AtomicUsize::new(0));
        let client = {
            let portal = Arc::clone(&portal);
            let refreshes = Arc::clone(&refreshes);
            portal
                .oauth_client_builder()
                .policy(
                    Policy::none()
                        .refresh_expired_token(true)
                        .token_refresh_timeout(Duration::from_secs(2)),
                )
                .token_refresher(move || {
                    let portal = Arc::clone(&portal);
                    let refreshes = Arc::clone(&refreshes);
                    async move {
                        refreshes.fetch_add(1, Ordering::SeqCst);
                        // Hang once every call has met the expired token, so all of them
                        // wait on this refresh.
                        for _ in 0..500 {
                            if portal.calls().len() >= CALLS {
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                        std::future::pending::<b24_rest::RefreshResult>().await
                    }
                })
                .build()
                .expect("client")
        };
        let mut tasks = Vec::new();
        for id in 0..CALLS as i64 {
            let client = client.clone();
            tasks.push(tokio::spawn(async move { share(&client, id).await }));
        }
        for task in tasks {
            let err = task.await.expect("task").unwrap_err();
            let Error::TokenRefresh(refresh) = &err else {
                panic!("{err:?}")
            };
            assert!(
                refresh.message().contains("did not finish within 2s"),
                "{}",
                refresh.message()
            );
            assert!(!err.may_have_run());
        }
        assert_eq!(refreshes.load(Ordering::SeqCst), 1);
        assert_eq!(portal.calls().len(), CALLS, "a call was repeated");
    })
    .await;
}

/// A 502, 503 or 504 that is not a REST answer (a proxy's HTML page or an empty body) may
/// or may not have run: a method safe to repeat is sent again, share never. Other statuses
/// are not retried.
#[tokio::test]
async fn gateway_errors_resend_only_safe_methods() {
    bounded(Duration::from_secs(20), async {
        let portal = MockPortal::start();
        let client = portal
            .client_builder()
            .policy(quick_retries())
            .build()
            .expect("client");
        let html = |status| MockAnswer::Raw {
            status,
            content_type: Some("text/html".to_owned()),
            body: b"<html><body>Bad Gateway</body></html>".to_vec(),
        };
        let empty = |status| MockAnswer::Raw {
            status,
            content_type: None,
            body: Vec::new(),
        };

        portal.push(DELETE, html(502));
        portal.push(DELETE, empty(504));
        let deleted = client.log().blogpost().delete(1).await;
        assert!(deleted.expect("delete is retried").result);
        assert_eq!(portal.call_count(DELETE), 3);

        portal.push(SHARE, empty(503));
        let err = share(&client, 2).await.unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedAnswer { status: 503, .. }),
            "{err:?}"
        );
        assert!(err.may_have_run());
        assert_eq!(portal.call_count(SHARE), 1, "share was sent again");

        // The budget is bounded: three 503s against two retries.
        portal.clear_calls();
        for _ in 0..3 {
            portal.push(DELETE, empty(503));
        }
        let err = client.log().blogpost().delete(3).await.unwrap_err();
        assert!(matches!(err, Error::UnexpectedAnswer { status: 503, .. }));
        assert_eq!(portal.call_count(DELETE), 3);

        // A 500 page is the portal's own failure, not a gateway's: returned at once.
        portal.clear_calls();
        portal.push(DELETE, html(500));
        let err = client.log().blogpost().delete(4).await.unwrap_err();
        assert!(matches!(err, Error::UnexpectedAnswer { status: 500, .. }));
        assert_eq!(portal.call_count(DELETE), 1);
    })
    .await;
}
