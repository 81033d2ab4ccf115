//! No secret leaks: every public error path the client has, and `Debug`/`Display` of the client,
//! its builder, its credentials and every error, run with recognisable credentials, and none
//! of them may appear in any text the crate produces, nor in `tracing` or `log` output.
//!
//! The credentials travel where a leak would come from: in the URL path (webhook code), in the
//! body (access token), echoed back by the portal in error texts, HTML pages, `result` values,
//! extra keys and redirect targets.

use std::fmt::Debug;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use b24_rest::log::{BlogpostShareError, BlogpostShareRequest};
use b24_rest::mock::{MockAnswer, MockCall, MockPortal};
use b24_rest::shared::Destination;
use b24_rest::{Auth, Client, ConfigError, Error, Policy, RateLimit};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A webhook code nobody could mistake for other text.
const CODE: &str = "SEKRETwebhook0123456789";
/// An access token, likewise.
const TOKEN: &str = "SEKRETtoken9876543210";
/// A token a refresher hands out.
const NEW_TOKEN: &str = "SEKRETrefreshed55555";

/// Every secret this test uses; the mock portal's own webhook code is one too (calls that must
/// be answered by a script go to the portal with it).
fn secrets() -> [&'static str; 4] {
    [CODE, TOKEN, NEW_TOKEN, MockPortal::WEBHOOK_CODE]
}

/// Everything the crate printed, traced or logged during the test.
#[derive(Default)]
struct Seen {
    texts: Vec<String>,
}

impl Seen {
    /// Records `Display`, `Debug` and pretty `Debug` of a value, and of each error source.
    fn error(&mut self, value: &(dyn std::error::Error + 'static)) {
        self.texts.push(format!("{value} | {value:?} | {value:#?}"));
        let mut source = value.source();
        while let Some(cause) = source {
            self.texts.push(format!("{cause} | {cause:?}"));
            source = cause.source();
        }
    }

    fn debug(&mut self, value: &dyn Debug) {
        self.texts.push(format!("{value:?} | {value:#?}"));
    }

    /// A call's error, with what the typed error exposes beyond `Display`.
    fn call_error(&mut self, err: &Error<BlogpostShareError>) {
        self.error(err);
        if let Some(meta) = err.meta() {
            self.texts.push(format!(
                "{} {} {:?} {meta}",
                meta.code(),
                meta.description(),
                meta.extra()
            ));
        }
        self.texts.push(err.variant_name().to_owned());
    }
}

/// Records every span, span field and event as text, from every thread.
#[derive(Clone, Default)]
struct Trace {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<Mutex<u64>>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl Trace {
    fn push(&self, line: String) {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(line);
    }

    fn text(&self) -> String {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .join("\n")
    }
}

impl Subscriber for Trace {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!(
            "span {} {}",
            span.metadata().target(),
            span.metadata().name()
        );
        span.record(&mut Fields(&mut line));
        self.push(line);
        let mut next = self.next_id.lock().unwrap_or_else(|p| p.into_inner());
        *next += 1;
        Id::from_u64(*next)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut line = format!("record {}", span.into_u64());
        values.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = format!("event {}", event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Records every `log` record (reqwest and its stack log through `log`), at every level.
struct Log {
    lines: Mutex<Vec<String>>,
}

impl log::Log for Log {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(line);
    }

    fn flush(&self) {}
}

/// The process-wide recorders: installed once, before any client exists.
fn recorders() -> (&'static Trace, &'static Log) {
    static RECORDERS: OnceLock<(Trace, &'static Log)> = OnceLock::new();
    let (trace, log) = RECORDERS.get_or_init(|| {
        let trace = Trace::default();
        tracing::subscriber::set_global_default(trace.clone())
            .expect("no other subscriber in this test binary");
        let log: &'static Log = Box::leak(Box::new(Log {
            lines: Mutex::new(Vec::new()),
        }));
        log::set_logger(log).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
        (trace, log)
    });
    (trace, log)
}

fn share(client: &Client) -> b24_rest::log::BlogpostShareCall<'_> {
    client
        .log()
        .blogpost()
        .share(217, vec![Destination::Group(69)])
}

/// An answer that quotes the call back, secrets included, the way a careless proxy or a
/// verbose server error does.
fn echo(call: &MockCall) -> String {
    format!(
        "{} {} {}",
        call.path,
        String::from_utf8_lossy(&call.raw_body),
        call.body
    )
}

type Responder = Box<dyn Fn(&MockCall) -> MockAnswer + Send + Sync>;

/// Every scripted failure, as (name, answer). Each is answered to a webhook client and to an
/// OAuth client.
fn failures(portal_url: &str) -> Vec<(&'static str, Responder)> {
    let elsewhere = format!("https://elsewhere.example/rest/1/{CODE}/{TOKEN}?auth={TOKEN}");
    let same_host = format!("{portal_url}/rest/1/{CODE}/log.blogpost.share?auth={TOKEN}");
    vec![
        (
            "method error row",
            Box::new(|_| MockAnswer::error_row::<BlogpostShareRequest>("NoReadPermission")),
        ),
        (
            "error texts and extra keys quoting the request",
            Box::new(|call| {
                MockAnswer::json(
                    400,
                    json!({
                        "error": echo(call),
                        "error_description": echo(call),
                        "argument": echo(call),
                        echo(call): [echo(call)],
                    }),
                )
            }),
        ),
        (
            "REST v3 error object quoting the request",
            Box::new(|call| {
                MockAnswer::json(
                    400,
                    json!({"error": {"code": echo(call), "message": echo(call), "where": echo(call)}}),
                )
            }),
        ),
        (
            "system error",
            Box::new(|_| MockAnswer::system_error("QUERY_LIMIT_EXCEEDED")),
        ),
        (
            "system error quoting the request",
            Box::new(|call| MockAnswer::error(401, "NO_AUTH_FOUND", &echo(call))),
        ),
        (
            "HTML page quoting the request",
            Box::new(|call| MockAnswer::Raw {
                status: 404,
                content_type: Some("text/html".to_owned()),
                body: format!("<p>The requested URL {} was not found.</p>", echo(call))
                    .into_bytes(),
            }),
        ),
        (
            "result of the wrong type quoting the request",
            Box::new(|call| MockAnswer::json(200, json!({"result": echo(call)}))),
        ),
        (
            "truncated JSON quoting the request",
            Box::new(|call| MockAnswer::Raw {
                status: 200,
                content_type: Some("application/json".to_owned()),
                body: format!("{{\"result\": \"{}", echo(call)).into_bytes(),
            }),
        ),
        (
            "redirect to another host",
            Box::new(move |_| MockAnswer::Redirect {
                status: 302,
                location: elsewhere.clone(),
            }),
        ),
        (
            "redirect to the same host",
            Box::new(move |_| MockAnswer::Redirect {
                status: 301,
                location: same_host.clone(),
            }),
        ),
        (
            "stall past the timeout",
            Box::new(|_| MockAnswer::Stall(Duration::from_secs(5))),
        ),
        ("connection dropped", Box::new(|_| MockAnswer::Disconnect)),
        (
            "broken HTTP",
            Box::new(|call| {
                MockAnswer::Wire(format!("HTTP/1.1 200 {}\r\n\r\n", echo(call)).into_bytes())
            }),
        ),
        (
            "body cut short",
            Box::new(|_| {
                MockAnswer::Wire(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\":".to_vec(),
                )
            }),
        ),
    ]
}

/// Runs every failure through `client`, recording what comes out.
async fn run_failures(portal: &MockPortal, client: &Client, seen: &mut Seen) -> usize {
    let mut count = 0;
    for (name, answer) in failures(&portal.base_url()) {
        portal.respond_with("log.blogpost.share", answer);
        let call = share(client);
        seen.debug(&call);
        let err = call.await.expect_err(name);
        seen.call_error(&err);
        count += 1;
    }
    count
}

fn config_errors(seen: &mut Seen) -> usize {
    let urls = [
        format!("http://portal.example/rest/1/{CODE}/"),
        format!("https://portal.example/rest/1/{CODE}/?auth={TOKEN}"),
        format!("https://portal.example/rest/1/{CODE}/#{TOKEN}"),
        format!("https://portal.example/rest/x/{CODE}/"),
        format!("https://portal.example/rest/1/{CODE}/log.blogpost.share"),
        format!("https://{CODE}:{TOKEN}@portal.example/rest/1/{CODE}/"),
        format!("https:://portal.example/rest/1/{CODE}/"),
        format!("https://portal .example/rest/1/{CODE}/"),
        format!("https://{CODE}/rest/1/{CODE}/ x"),
        format!("ftp{CODE}://portal.example/rest/1/{CODE}/"),
        format!("https://portal.example/rest/1/{CODE}%20/"),
        format!("https://portal.example/rest/99999999999999999999999/{CODE}/"),
        format!("https://portal.example/rest/1/{CODE}/{TOKEN}/"),
        CODE.to_owned(),
    ];
    let mut count = 0;
    for url in &urls {
        let err: ConfigError = Client::webhook(url).expect_err(url);
        seen.error(&err);
        count += 1;
    }
    for (url, token) in [
        (format!("http://portal.example/rest/{TOKEN}"), TOKEN),
        (format!("https://portal.example/{TOKEN}/"), TOKEN),
        ("https://portal.example".to_owned(), " "),
        (format!("https://portal.example/?auth={TOKEN}"), TOKEN),
    ] {
        let err = Client::oauth(&url, token).expect_err(&url);
        seen.error(&err);
        count += 1;
    }
    let auth = Auth::webhook(&format!("https://portal.example/rest/1/{CODE}/")).expect("valid");
    seen.debug(&auth);
    seen.debug(&Auth::oauth("https://portal.example", TOKEN).expect("valid"));
    let err = Client::builder(auth)
        .user_agent(format!("bad\nagent {CODE}"))
        .build()
        .expect_err("a header cannot hold a line break");
    seen.error(&err);
    let webhook =
        Client::webhook(&format!("https://portal.example/rest/1/{CODE}/")).expect("valid");
    let err = webhook.set_access_token(TOKEN).expect_err("not OAuth");
    seen.error(&err);
    let oauth = Client::oauth("https://portal.example", TOKEN).expect("valid");
    let err = oauth.set_access_token(" ").expect_err("empty");
    seen.error(&err);
    let err = RateLimit::new(0, 0.0).expect_err("no rate");
    seen.error(&err);
    count + 5
}

#[test]
fn no_secret_appears_anywhere() {
    let (trace, log) = recorders();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut seen = Seen::default();
    let received = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(60), scenarios(&mut seen))
            .await
            .expect("the scenarios ran past their time limit")
    });

    // The secrets were really sent: the test can only pass by hiding them.
    for secret in secrets() {
        assert!(
            received.iter().any(|request| request.contains(secret)),
            "`{secret}` was never sent"
        );
    }

    let trace = trace.text();
    assert!(
        trace.contains("b24_rest"),
        "the trace recorder saw nothing:\n{trace}"
    );
    let logged = log
        .lines
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .join("\n");
    assert!(
        logged.contains("reqwest"),
        "the log recorder saw nothing:\n{logged}"
    );
    let everything = [seen.texts.join("\n"), trace, logged];
    for text in &everything {
        for secret in secrets() {
            if let Some(at) = text.find(secret) {
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(200)
                    .map_or(0, |(i, _)| i);
                let to = (at + secret.len() + 200).min(text.len());
                let to = (to..=text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len());
                panic!("`{secret}` leaked:\n…{}…", &text[from..to]);
            }
        }
    }
}

/// Runs every path; returns what the portal received (paths and bodies), to show the secrets
/// were sent.
async fn scenarios(seen: &mut Seen) -> Vec<String> {
    let mut received = Vec::new();
    let mut count = config_errors(seen);

    let portal = MockPortal::start();
    portal.accept_token(TOKEN);
    let webhook = portal
        .client_builder()
        .timeout(Duration::from_millis(500))
        .build()
        .expect("client");
    let oauth = Client::builder(Auth::oauth(&portal.base_url(), TOKEN).expect("valid"))
        .timeout(Duration::from_millis(500))
        .no_proxy()
        .policy(Policy::none())
        .build()
        .expect("client");
    for client in [&webhook, &oauth] {
        seen.debug(client);
        count += run_failures(&portal, client, seen).await;
    }

    // A webhook code the portal does not know: `NO_AUTH_FOUND`, answered before any script.
    let stranger = Client::builder(
        Auth::webhook(&format!("{}/rest/1/{CODE}/", portal.base_url())).expect("valid"),
    )
    .no_proxy()
    .policy(Policy::none());
    seen.debug(&stranger);
    let stranger = stranger.build().expect("client");
    seen.debug(&stranger);
    let err = share(&stranger).await.expect_err("unknown code");
    assert_eq!(err.variant_name(), "NoAuthFound");
    seen.call_error(&err);

    // An expired token whose refresher fails, quoting both tokens.
    portal.expire_token(TOKEN);
    let refreshing = Client::builder(Auth::oauth(&portal.base_url(), TOKEN).expect("valid"))
        .no_proxy()
        .policy(Policy::none().refresh_expired_token(true))
        .token_refresher(|| async {
            Err(format!("the refresh endpoint said no to {TOKEN}").into())
        })
        .build()
        .expect("client");
    seen.debug(&refreshing);
    let err = share(&refreshing).await.expect_err("refresh fails");
    assert_eq!(err.variant_name(), "TokenRefresh");
    seen.call_error(&err);

    // An expired token whose refresher succeeds: the new token is a secret too.
    portal.accept_token(NEW_TOKEN);
    let refreshed = Client::builder(Auth::oauth(&portal.base_url(), TOKEN).expect("valid"))
        .no_proxy()
        .policy(Policy::none().refresh_expired_token(true))
        .token_refresher(|| async { Ok(NEW_TOKEN.to_owned()) })
        .build()
        .expect("client");
    portal.respond_with("log.blogpost.share", |call| {
        MockAnswer::error(400, "", &echo(call))
    });
    let err = share(&refreshed).await.expect_err("the echo is an error");
    seen.call_error(&err);
    seen.debug(&refreshed);

    // A batch whose command fails with an echo.
    let mut batch = oauth.batch();
    let key = batch.add(BlogpostShareRequest::new(217, vec![Destination::AllUsers]));
    portal.accept_token(TOKEN);
    let results = batch.send().await;
    seen.debug(&results);
    match results.get(&key) {
        Some(Err(err)) => seen.call_error(&err),
        other => panic!("the batch command must fail with the echo: {other:?}"),
    }

    for call in portal.calls() {
        received.push(call.path.clone());
        received.push(String::from_utf8_lossy(&call.raw_body).into_owned());
    }
    drop(portal);

    // No portal at all: the connection is refused.
    let refused = Client::builder(
        Auth::webhook(&format!("{}/rest/1/{CODE}/", unused_address())).expect("valid"),
    )
    .no_proxy()
    .policy(Policy::none())
    .connect_timeout(Duration::from_secs(5))
    .build()
    .expect("client");
    let err = share(&refused).await.expect_err("refused");
    assert_eq!(err.variant_name(), "Transport");
    seen.call_error(&err);

    assert!(count >= 40, "only {count} error paths ran");
    received
}

/// `http://127.0.0.1:PORT` of a port nothing listens on.
fn unused_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{address}")
}
