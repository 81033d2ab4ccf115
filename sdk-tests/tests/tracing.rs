//! The `tracing` spans and events of calls: present (method, attempts, status, waits) and
//! free of secrets (webhook code, access tokens).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use b24_rest::mock::{MockAnswer, MockPortal};
use b24_rest::shared::Destination;
use b24_rest::{Auth, Backoff, Client, Error, Policy, TransportErrorKind};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span and event as text: its name and each field as `name=value`.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<Mutex<u64>>,
}

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Recorder {
    fn push(&self, line: String) {
        self.lines.lock().expect("lock").push(line);
    }

    fn text(&self) -> String {
        self.lines.lock().expect("lock").join("\n")
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Line(&mut line));
        self.push(line);
        let mut next = self.next_id.lock().expect("lock");
        *next += 1;
        Id::from_u64(*next)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut line = format!("record {}", span.into_u64());
        values.record(&mut Line(&mut line));
        self.push(line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = format!("event {}", event.metadata().target());
        event.record(&mut Line(&mut line));
        self.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn calls_are_traced_without_secrets() {
    let recorder = Recorder::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(recorder.clone()));
    let test = async {
        const NEW_TOKEN: &str = "refreshed-token-in-trace";
        let portal = MockPortal::start();
        let policy = Policy::default()
            .rate_limit(None)
            .query_limit(Backoff::new(
                2,
                Duration::from_millis(5),
                Duration::from_millis(10),
            ))
            .refresh_expired_token(true);
        let webhook = portal
            .client_builder()
            .policy(policy.clone())
            .build()
            .expect("client");
        portal.push(
            "log.blogpost.share",
            MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"),
        );
        let shared = webhook
            .log()
            .blogpost()
            .share(217, vec![Destination::Group(69)])
            .await;
        assert!(shared.expect("success after a retry").result);

        portal.expire_token(MockPortal::ACCESS_TOKEN);
        portal.accept_token(NEW_TOKEN);
        let oauth = portal
            .oauth_client_builder()
            .policy(policy)
            .token_refresher(|| async { Ok(NEW_TOKEN.to_owned()) })
            .build()
            .expect("client");
        let deleted = oauth.log().blogpost().delete(5).await;
        assert!(deleted.expect("success after a refresh").result);
        assert_eq!(portal.calls().len(), 4);
        NEW_TOKEN
    };
    let new_token = tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the test ran past its time limit");

    let text = recorder.text();
    for secret in [
        MockPortal::WEBHOOK_CODE,
        MockPortal::ACCESS_TOKEN,
        new_token,
    ] {
        assert!(!text.contains(secret), "a secret in the trace:\n{text}");
    }
    for expected in [
        "span b24_rest.call method=\"log.blogpost.share\"",
        "span b24_rest.call method=\"log.blogpost.delete\"",
        "span b24_rest.attempt attempt=2 limiter_wait_ms=0",
        "reason=\"QUERY_LIMIT_EXCEEDED\"",
        "reason=\"expired_token, token refreshed\"",
        "status=503",
        "outcome=\"ok\"",
        "attempts=2",
    ] {
        assert!(
            text.contains(expected),
            "no `{expected}` in the trace:\n{text}"
        );
    }
}

/// No connection could be made (nothing listens on the port): the request never left, so
/// even share, which is not safe to repeat, is sent again, as often as the policy allows;
/// the trace counts the attempts. Without the setting, one attempt.
#[tokio::test(flavor = "current_thread")]
async fn connect_failures_are_retried_for_every_method() {
    let recorder = Recorder::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(recorder.clone()));
    let test = async {
        // A loopback port that was free a moment ago and has no listener now.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let url = format!(
            "http://127.0.0.1:{port}/rest/1/{}/",
            MockPortal::WEBHOOK_CODE
        );
        let send = |policy: Policy| {
            let url = url.clone();
            async move {
                let client = Client::builder(Auth::webhook(&url).expect("valid"))
                    .no_proxy()
                    .timeout(Duration::from_secs(5))
                    .policy(policy)
                    .build()
                    .expect("client");
                client
                    .log()
                    .blogpost()
                    .share(217, vec![Destination::Group(69)])
                    .await
                    .unwrap_err()
            }
        };
        let retried = Policy::none().connect_failure(Backoff::new(
            2,
            Duration::from_millis(1),
            Duration::from_millis(2),
        ));
        let err = send(retried).await;
        let Error::Transport(transport) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(transport.kind(), TransportErrorKind::Connect);
        assert!(!err.may_have_run());
        let text = recorder.text();
        assert_eq!(
            text.matches("reason=\"no connection could be made\"")
                .count(),
            2,
            "{text}"
        );
        assert!(text.contains("attempts=3"), "{text}");
        assert!(!text.contains("attempts=4"), "{text}");

        recorder.lines.lock().expect("lock").clear();
        let err = send(Policy::none()).await;
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        let text = recorder.text();
        assert!(!text.contains("sending the call again"), "{text}");
        assert!(!text.contains("attempts=2"), "{text}");
    };
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the test ran past its time limit");
}
