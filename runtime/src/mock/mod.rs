//! A local portal for tests (feature `mock`): it listens on loopback, answers REST calls
//! the way a Bitrix24 portal does, lets a test script each method's answers, and records
//! every call it receives.
//!
//! What it can answer for each method comes from the specs: the response examples and the
//! error table ([`MockAnswer::example`], [`MockAnswer::error_row`]), which the generator
//! writes as data beside each scope (`src/api/<scope>/spec_data.json`, read once), and the
//! system error table ([`MockAnswer::system_error`]). It checks credentials like a portal (the webhook
//! code [`MockPortal::WEBHOOK_CODE`], the access token [`MockPortal::ACCESS_TOKEN`]) and runs
//! `batch` itself, command by command, from the same scripts, resolving `$result[cmd][…]`
//! references against the commands before. A list method can be served from a data set of
//! records ([`MockPortal::list_data`], [`MockList`]) with `filter`, `order`, `select` and
//! `start` as a portal answers them, changed between requests by the test.
//!
//! `b24_rest::mock::MockPortal` is this portal for the generated crate's compiled scopes
//! (its examples and error rows answer by name there); here with a method written by hand:
//!
//! ```
//! # use b24_rest_runtime::{Client, Method, SpecSource, UntypedError};
//! # #[derive(serde::Serialize)]
//! # struct Share { #[serde(rename = "POST_ID")] post_id: i64 }
//! # impl Method for Share {
//! #     const NAME: &'static str = "log.blogpost.share";
//! #     const SAFE_TO_REPEAT: bool = false;
//! #     const BATCH: bool = true;
//! #     type Output = bool;
//! #     type Error = UntypedError;
//! # }
//! # struct NoSpecs;
//! # impl SpecSource for NoSpecs {
//! #     type Client = Client;
//! #     fn spec_data() -> &'static [(&'static str, &'static str)] { &[] }
//! # }
//! use b24_rest_runtime::mock::{MockAnswer, MockPortal};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let portal = MockPortal::<NoSpecs>::start();
//! portal.push("log.blogpost.share", MockAnswer::error(400, "", "No read perms"));
//! let client = portal.client();
//!
//! let err = client.call(Share { post_id: 217 }).await.unwrap_err();
//! assert_eq!(err.meta().map(|meta| meta.description()), Some("No read perms"));
//! // The queue is empty again, and without a spec the method is unknown to the portal.
//! let err = client.call(Share { post_id: 217 }).await.unwrap_err();
//! assert_eq!(err.variant_name(), "MethodNotFound");
//!
//! let calls = portal.calls();
//! assert_eq!(calls.len(), 2);
//! assert_eq!(calls[0].body["POST_ID"], 217);
//! # }
//! ```

mod list;
mod refs;
mod server;

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};

use std::marker::PhantomData;

pub use list::MockList;

use crate::client::{Auth, ClientBuilder};
use crate::error::ErrorMeta;
use crate::list::{ListMethod, ListShape};
use crate::method::Method;
use crate::policy::Policy;
use crate::spec_data::{self, MethodData, SpecData, SpecDataError, SpecSource};
use crate::system_error::SystemError;

/// A portal on `127.0.0.1` (a random free port), on a thread of its own with its own
/// runtime: it works from plain `#[test]` functions, from `#[tokio::test]` (also with a
/// paused clock, since its clock is its own), and for a separate process (a CLI binary
/// given [`MockPortal::webhook_url`]). Dropping it stops it and closes every connection.
///
/// Answers, per method: the next scripted one ([`MockPortal::push`], first in first out);
/// when none is queued, the method's default ([`MockPortal::set_default`],
/// [`MockPortal::respond_with`]); initially the spec's first success example for specified
/// methods, and `ERROR_METHOD_NOT_FOUND` (HTTP 404) for any other.
///
/// `S` is the generated API whose specs it answers from and whose client it hands out:
/// `b24_rest::mock::MockPortal` is this portal for `b24_rest`'s compiled scopes.
pub struct MockPortal<S> {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    server: Option<server::Handle>,
    api: PhantomData<fn() -> S>,
}

/// The scripts and the record, shared with the server thread.
pub(crate) struct State {
    /// The spec data of the API the portal answers for.
    specs: Result<&'static SpecData, &'static SpecDataError>,
    queues: HashMap<String, VecDeque<MockAnswer>>,
    defaults: HashMap<String, Fallback>,
    calls: Vec<MockCall>,
    /// OAuth tokens the portal accepts besides [`MockPortal::ACCESS_TOKEN`].
    accepted_tokens: HashSet<String>,
    /// OAuth applications its authorization server (`/oauth/token/`) knows, by client id.
    oauth_apps: HashMap<String, OAuthAppState>,
    /// Tokens answered with `expired_token`.
    expired_tokens: HashSet<String>,
    /// The data sets of list methods, by wire name.
    lists: HashMap<String, MockList>,
    /// What runs before each call of a list method is answered.
    list_hooks: HashMap<String, Arc<ListHook>>,
    /// Whether calls are kept for [`MockPortal::calls`].
    keep_calls: bool,
    /// HTTP requests received (a `batch` is one).
    requests: u64,
    /// Time spent answering them, from the request read to the answer written.
    answering: Duration,
}

type ListHook = dyn Fn(&MockCall, &mut MockList) + Send + Sync;

/// What answers when a method's queue is empty.
#[derive(Clone)]
enum Fallback {
    Answer(MockAnswer),
    Responder(Arc<Responder>),
}

type Responder = dyn Fn(&MockCall) -> MockAnswer + Send + Sync;

/// The code in [`MockPortal::webhook_url`]; any other code gets `NO_AUTH_FOUND`.
pub const WEBHOOK_CODE: &str = "mockwebhookcode0";
/// The access token [`MockPortal::oauth_client`] uses; any other token (unless added with
/// [`MockPortal::accept_token`]) gets `NO_AUTH_FOUND`.
pub const ACCESS_TOKEN: &str = "mock-access-token-0";

impl<S: SpecSource> MockPortal<S> {
    /// Starts a portal on `127.0.0.1` with a random port.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound or no thread started (the test cannot run).
    pub fn start() -> Self {
        let state = Arc::new(Mutex::new(State::new(spec_data::get::<S>())));
        let (addr, server) = server::start(Arc::clone(&state));
        MockPortal {
            addr,
            state,
            server: Some(server),
            api: PhantomData,
        }
    }

    /// A webhook client to this portal: [`MockPortal::client_builder`], built.
    pub fn client(&self) -> S::Client {
        self.client_builder()
            .build()
            .expect("a loopback webhook client always builds")
    }

    /// An OAuth client to this portal with [`MockPortal::ACCESS_TOKEN`]:
    /// [`MockPortal::oauth_client_builder`], built.
    pub fn oauth_client(&self) -> S::Client {
        self.oauth_client_builder()
            .build()
            .expect("a loopback OAuth client always builds")
    }

    /// Settings of a webhook client to this portal: a 10 s timeout, no proxy, and
    /// [`Policy::none`], so that each scripted answer reaches the caller as it is (no rate
    /// limiter, no retries). Set another policy to test retries.
    pub fn client_builder(&self) -> ClientBuilder<S::Client> {
        let auth = Auth::webhook(&self.webhook_url()).expect("the mock's webhook URL is valid");
        Self::test_settings(ClientBuilder::new(auth))
    }

    /// Settings of an OAuth client to this portal, as [`MockPortal::client_builder`].
    pub fn oauth_client_builder(&self) -> ClientBuilder<S::Client> {
        let auth = Auth::oauth(&self.base_url(), Self::ACCESS_TOKEN)
            .expect("the mock's portal URL is valid");
        Self::test_settings(ClientBuilder::new(auth))
    }

    fn test_settings(builder: ClientBuilder<S::Client>) -> ClientBuilder<S::Client> {
        builder
            .timeout(Duration::from_secs(10))
            .no_proxy()
            .policy(Policy::none())
    }
}

impl<S> MockPortal<S> {
    /// The code in [`MockPortal::webhook_url`]; any other code gets `NO_AUTH_FOUND`.
    pub const WEBHOOK_CODE: &'static str = WEBHOOK_CODE;
    /// The access token [`MockPortal::oauth_client`] uses; any other token (unless added with
    /// [`MockPortal::accept_token`]) gets `NO_AUTH_FOUND`.
    pub const ACCESS_TOKEN: &'static str = ACCESS_TOKEN;

    /// `http://127.0.0.1:PORT`, the portal's address (what OAuth clients are given).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/rest/1/<WEBHOOK_CODE>/`, an inbound webhook of user 1.
    pub fn webhook_url(&self) -> String {
        format!("http://{}/rest/1/{}/", self.addr, Self::WEBHOOK_CODE)
    }

    /// Queues `answer` for the next call of `method` (first in, first out). Calls inside a
    /// `batch` take their answers from the same queue.
    pub fn push(&self, method: &str, answer: MockAnswer) {
        self.lock()
            .queues
            .entry(method.to_owned())
            .or_default()
            .push_back(answer);
    }

    /// Sets what `method` answers when its queue is empty.
    pub fn set_default(&self, method: &str, answer: MockAnswer) {
        self.lock()
            .defaults
            .insert(method.to_owned(), Fallback::Answer(answer));
    }

    /// Sets what `method` answers when its queue is empty to what `responder` makes of each
    /// call (for answers that depend on the request, such as an echo).
    pub fn respond_with(
        &self,
        method: &str,
        responder: impl Fn(&MockCall) -> MockAnswer + Send + Sync + 'static,
    ) {
        self.lock()
            .defaults
            .insert(method.to_owned(), Fallback::Responder(Arc::new(responder)));
    }

    /// Makes the portal accept `token` as an OAuth access token too (e.g. the one a token
    /// refresher hands out).
    /// The address of the portal's own authorization server (`/oauth/token/`, as
    /// `oauth.bitrix.info` answers it), for [`OAuthApp::server`](crate::OAuthApp::server).
    pub fn oauth_server_url(&self) -> String {
        self.base_url()
    }

    /// Registers an OAuth application with the authorization server: it renews tokens for
    /// `client_id` and `client_secret` with `refresh_token`, answers each renewal with a new
    /// access token (which the portal then accepts) and a new refresh token, and refuses the
    /// used one afterwards with `invalid_grant`, as the real server does.
    pub fn register_oauth_app(&self, client_id: &str, client_secret: &str, refresh_token: &str) {
        self.lock().oauth_apps.insert(
            client_id.to_owned(),
            OAuthAppState {
                secret: client_secret.to_owned(),
                refresh_token: refresh_token.to_owned(),
                renewals: 0,
            },
        );
    }

    /// How many times the authorization server renewed tokens for `client_id`.
    pub fn oauth_renewals(&self, client_id: &str) -> u32 {
        self.lock()
            .oauth_apps
            .get(client_id)
            .map_or(0, |app| app.renewals)
    }

    /// Makes the portal accept `token` (besides [`MockPortal::ACCESS_TOKEN`]).
    pub fn accept_token(&self, token: &str) {
        let mut state = self.lock();
        state.expired_tokens.remove(token);
        state.accepted_tokens.insert(token.to_owned());
    }

    /// Makes the portal answer every call with `token` with `expired_token` (HTTP 401), before
    /// any script, as a portal does an hour after issuing it.
    pub fn expire_token(&self, token: &str) {
        self.lock().expired_tokens.insert(token.to_owned());
    }

    /// Every call received, in order. A `batch` request is one call of `batch`, followed by
    /// one call per command it ran (with [`MockCall::batch_key`] set).
    pub fn calls(&self) -> Vec<MockCall> {
        self.lock().calls.clone()
    }

    /// How many calls of `method` the portal received and accepted (credentials valid),
    /// counting commands run inside `batch`: how many times the method ran.
    pub fn call_count(&self, method: &str) -> usize {
        self.lock()
            .calls
            .iter()
            .filter(|call| call.method == method && call.authorized)
            .count()
    }

    /// Forgets the calls received so far.
    pub fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    /// Whether calls are kept for [`MockPortal::calls`] and [`MockPortal::call_count`]
    /// (default `true`). A long benchmark turns it off, so that the record does not grow;
    /// [`MockPortal::requests`] and [`MockList::served`] count all the same.
    pub fn keep_calls(&self, keep: bool) {
        self.lock().keep_calls = keep;
    }

    /// How many HTTP requests the portal received (a `batch` counts once).
    pub fn requests(&self) -> u64 {
        self.lock().requests
    }

    /// The portal's own time answering them, in all: from each request read to its answer
    /// ready to go out, delays of [`MockList::cost`] and [`MockAnswer::delayed`] included.
    pub fn answer_time(&self) -> Duration {
        self.lock().answering
    }

    /// Serves `method` from `records` (JSON objects) as a portal serves a list: `filter`
    /// with the prefixes the docs list (`=`, `!`, `!=`, `>`, `>=`, `<`, `<=`, `%`, `!%`,
    /// `=%`, `%=`, `@`, `!@`, `><`, groups with `LOGIC: OR`), `order`, `select` (`*` and
    /// `UF_*` too), `start` (`-1`: one page, no count, `total: 0`), pages of
    /// [`ListShape::page_size`], `total` and `next`, inside `batch` too (where
    /// `$result[cmd][…]` references in a command are read from the commands before it).
    /// `shape` says how the method spells its parameters and where its records go. Queued
    /// answers ([`MockPortal::push`]) still come first.
    pub fn list_data(&self, method: &str, shape: ListShape, records: Vec<Value>) {
        self.lock()
            .lists
            .insert(method.to_owned(), MockList::new(shape, records));
    }

    /// [`MockPortal::list_data`] for the list method `M`, with its shape.
    pub fn list_data_of<M: ListMethod>(&self, records: Vec<Value>) {
        self.list_data(M::NAME, M::SHAPE, records);
    }

    /// Changes the data set of `method` between requests (adds, deletes, hides records);
    /// `None` when it has none.
    pub fn with_list<R>(&self, method: &str, change: impl FnOnce(&mut MockList) -> R) -> Option<R> {
        self.lock().lists.get_mut(method).map(change)
    }

    /// Runs `hook` before each call of the list method `method` is answered (commands inside
    /// `batch` too), with the call and its data set: to add or delete records while a read
    /// goes on. It runs on the portal's thread with the portal locked: it must not call the
    /// portal.
    pub fn on_list_call(
        &self,
        method: &str,
        hook: impl Fn(&MockCall, &mut MockList) + Send + Sync + 'static,
    ) {
        self.lock()
            .list_hooks
            .insert(method.to_owned(), Arc::new(hook));
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

/// Locks the state; a test that panicked while holding it leaves it usable.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl State {
    fn new(specs: Result<&'static SpecData, &'static SpecDataError>) -> State {
        State {
            specs,
            queues: HashMap::new(),
            defaults: HashMap::new(),
            calls: Vec::new(),
            accepted_tokens: HashSet::new(),
            oauth_apps: HashMap::new(),
            expired_tokens: HashSet::new(),
            lists: HashMap::new(),
            list_hooks: HashMap::new(),
            keep_calls: true,
            requests: 0,
            answering: Duration::ZERO,
        }
    }

    /// Counts one HTTP request that took `took` to answer.
    pub(crate) fn note_request(&mut self, took: Duration) {
        self.requests += 1;
        self.answering += took;
    }

    /// The spec data of `method` of REST version `api`: `Ok(None)` when the API does not
    /// specify it.
    pub(crate) fn spec_of(
        &self,
        method: &str,
        api: crate::ApiVersion,
    ) -> Result<Option<&'static MethodData>, &'static SpecDataError> {
        self.specs.map(|data| data.method(method, api))
    }

    /// The answer for one call of `method`: queued, else default, else from the spec.
    pub(crate) fn answer_for(&mut self, call: &MockCall) -> MockAnswer {
        if let Some(answer) = self
            .queues
            .get_mut(&call.method)
            .and_then(VecDeque::pop_front)
        {
            return answer;
        }
        if let Some(list) = self.lists.get_mut(&call.method) {
            if let Some(hook) = self.list_hooks.get(&call.method) {
                hook(call, list);
            }
            return list.answer(call);
        }
        match self.defaults.get(&call.method) {
            Some(Fallback::Answer(answer)) => answer.clone(),
            Some(Fallback::Responder(responder)) => responder(call),
            None => {
                // REST 3.0 calls come to `/rest/api/…`.
                let api = if call.path.starts_with("/rest/api/") {
                    crate::ApiVersion::V3
                } else {
                    crate::ApiVersion::V2
                };
                default_answer(self.spec_of(&call.method, api))
            }
        }
    }

    pub(crate) fn token_status(&self, token: &str) -> TokenStatus {
        if self.expired_tokens.contains(token) {
            TokenStatus::Expired
        } else if token == ACCESS_TOKEN || self.accepted_tokens.contains(token) {
            TokenStatus::Valid
        } else {
            TokenStatus::Unknown
        }
    }

    pub(crate) fn record(&mut self, call: MockCall) {
        if self.keep_calls {
            self.calls.push(call);
        }
    }
}

/// What the authorization server knows of one OAuth application.
pub(crate) struct OAuthAppState {
    secret: String,
    refresh_token: String,
    renewals: u32,
}

impl State {
    /// The authorization server's answer to a renewal (`grant_type=refresh_token`).
    pub(crate) fn renew_tokens(&mut self, params: &serde_json::Map<String, Value>) -> MockAnswer {
        let text = |key: &str| params.get(key).and_then(Value::as_str).unwrap_or_default();
        let refuse = |code: &str, description: &str| {
            MockAnswer::json(
                401,
                json!({ "error": code, "error_description": description }),
            )
        };
        if text("grant_type") != "refresh_token" {
            return refuse("invalid_request", "Unsupported grant type");
        }
        let Some(app) = self.oauth_apps.get_mut(text("client_id")) else {
            return refuse("invalid_client", "Invalid client");
        };
        if app.secret != text("client_secret") {
            return refuse("invalid_client", "Invalid client");
        }
        if app.refresh_token != text("refresh_token") {
            return refuse("invalid_grant", "Invalid grant");
        }
        app.renewals += 1;
        let access = format!("mock-access-token-{}-{}", text("client_id"), app.renewals);
        app.refresh_token = format!("mock-refresh-token-{}-{}", text("client_id"), app.renewals);
        let refresh = app.refresh_token.clone();
        self.accepted_tokens.insert(access.clone());
        MockAnswer::json(
            200,
            json!({
                "access_token": access, "refresh_token": refresh, "expires_in": 3600,
                "domain": "oauth.bitrix.info", "member_id": "mock", "scope": "log",
                "status": "L", "user_id": 1
            }),
        )
    }
}

/// How the portal sees an OAuth token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenStatus {
    Valid,
    Expired,
    Unknown,
}

/// The spec's first success example for what the spec data says of a method, or
/// `ERROR_METHOD_NOT_FOUND` for unknown methods; unreadable data is answered with an error
/// that says so (HTTP 500), never a panic on the portal's thread.
fn default_answer(spec: Result<Option<&MethodData>, &SpecDataError>) -> MockAnswer {
    match spec {
        Ok(spec) => spec
            .and_then(|spec| spec.responses.iter().find(|example| example.is_success()))
            .map(|example| MockAnswer::from_example_body(example.status, &example.body))
            .unwrap_or_else(|| {
                MockAnswer::error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
            }),
        Err(error) => MockAnswer::error(500, "B24_REST_MOCK_SPEC_DATA", &error.to_string()),
    }
}

/// The spec data of `M`, for the answers a test asks for by name.
///
/// # Panics
///
/// When the spec data is unreadable: the test cannot get the answer it asked for.
fn spec_of<M: Method>() -> Option<&'static MethodData> {
    spec_data::method_of::<M>().unwrap_or_else(|error| panic!("{error}"))
}

impl<S> Drop for MockPortal<S> {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
    }
}

impl<S> fmt::Debug for MockPortal<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockPortal")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// How the portal answers one call.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum MockAnswer {
    /// A JSON body with this status (`Content-Type: application/json; charset=utf-8`).
    Json {
        /// HTTP status.
        status: u16,
        /// The body.
        body: Value,
    },
    /// Any body: an HTML page from a proxy, an empty 503, truncated JSON.
    Raw {
        /// HTTP status.
        status: u16,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// The body.
        body: Vec<u8>,
    },
    /// Nothing for this long, then the connection is closed without an answer.
    Stall(Duration),
    /// The connection is closed right after the request was read: the call may have run.
    Disconnect,
    /// A redirect to `location`.
    Redirect {
        /// HTTP status (301, 302, 307, …).
        status: u16,
        /// The `Location` header.
        location: String,
    },
    /// `answer`, after waiting this long.
    Delayed {
        /// How long to wait before answering.
        delay: Duration,
        /// The answer.
        answer: Box<MockAnswer>,
    },
    /// These bytes as the whole answer, status line and headers included (a broken HTTP
    /// answer, a body cut short), then the connection is closed.
    Wire(Vec<u8>),
}

impl MockAnswer {
    /// A JSON answer.
    pub fn json(status: u16, body: Value) -> Self {
        MockAnswer::Json { status, body }
    }

    /// An error answer `{"error": code, "error_description": description}`.
    pub fn error(status: u16, code: &str, description: &str) -> Self {
        MockAnswer::json(
            status,
            json!({ "error": code, "error_description": description }),
        )
    }

    /// A success of `M`: HTTP 200, `{"result": …, "time": {…}}`, with the current time.
    ///
    /// # Panics
    ///
    /// When `result` cannot be written as JSON (a map with non-string keys).
    pub fn success<M: Method>(result: &M::Output) -> Self
    where
        M::Output: serde::Serialize,
    {
        let result = serde_json::to_value(result).expect("the result is representable as JSON");
        MockAnswer::json(200, json!({ "result": result, "time": now_time() }))
    }

    /// A response example of `M`'s spec, by its name or its position (0-based) among the
    /// examples, with the example's status and exact body.
    ///
    /// # Panics
    ///
    /// When `M` has no such example; the message lists the ones it has. (Also when the
    /// crate's spec data is unreadable, which `cargo xtask gen` repairs.)
    pub fn example<M: Method>(which: impl Into<ExampleRef>) -> Self {
        let which = which.into();
        let examples = spec_of::<M>().map_or(&[][..], |spec| &spec.responses[..]);
        let found = match &which {
            ExampleRef::Index(i) => examples.get(*i),
            ExampleRef::Name(name) => examples.iter().find(|e| e.name == *name),
        };
        match found {
            Some(example) => MockAnswer::from_example_body(example.status, &example.body),
            None => {
                let names: Vec<&str> = examples.iter().map(|e| e.name.as_str()).collect();
                panic!(
                    "`{}` has no response example {which:?}; it has {names:?}",
                    M::NAME
                )
            }
        }
    }

    /// The error row `row` (its variant name, e.g. `"WrongPostId"`) of `M`'s error table, as
    /// the server sends it: the row's status, code and text, with sample values (`42`,
    /// `sample`) in a pattern's placeholders. `"Unhandled"` is an error no row lists (HTTP
    /// 400, code `B24_REST_MOCK_UNHANDLED`), which decodes to `M`'s `Unhandled` variant.
    ///
    /// # Panics
    ///
    /// When `M`'s table has no such row (a typo, say): the message lists the rows it has.
    /// [`MockAnswer::try_error_row`] returns the error instead.
    pub fn error_row<M: Method>(row: &str) -> Self {
        Self::try_error_row::<M>(row).unwrap_or_else(|error| panic!("{error}"))
    }

    /// [`MockAnswer::error_row`], with an error instead of a panic when `M` has no such row
    /// (or no spec at all, as a method defined in a test).
    pub fn try_error_row<M: Method>(row: &str) -> Result<Self, MockError> {
        if row == "Unhandled" {
            return Ok(MockAnswer::error(
                400,
                "B24_REST_MOCK_UNHANDLED",
                &format!("An error no row of {} lists", M::NAME),
            ));
        }
        let spec = spec_data::method_of::<M>()
            .map_err(|error| MockError(error.to_string()))?
            .ok_or_else(|| {
                MockError(format!(
                    "`{}` has no spec, so no error rows (asked for `{row}`); use \
                     `MockAnswer::error` for an error of a method without a spec",
                    M::NAME
                ))
            })?;
        let rows = &spec.error_rows;
        match rows.iter().find(|r| r.variant == row) {
            Some(r) => Ok(MockAnswer::error(r.status, &r.answer.code, &r.answer.text)),
            None => {
                let mut names: Vec<&str> = rows.iter().map(|r| r.variant.as_str()).collect();
                names.push("Unhandled");
                Err(MockError(format!(
                    "`{}` has no error row `{row}`; its rows are {}",
                    M::NAME,
                    names.join(", ")
                )))
            }
        }
    }

    /// The system error with this code (case-insensitive, e.g. `"QUERY_LIMIT_EXCEEDED"`,
    /// `"expired_token"`) as the system errors table documents it: its status, code and
    /// message.
    ///
    /// # Panics
    ///
    /// When no system error has this code.
    pub fn system_error(code: &str) -> Self {
        match SystemError::from_meta(ErrorMeta::new(0, code, "")) {
            Ok(system) => MockAnswer::error(
                system.documented_status(),
                system.documented_code(),
                system.documented_message(),
            ),
            Err(_) => panic!("no system error has the code `{code}`"),
        }
    }

    /// An answer that comes after `delay`.
    #[must_use]
    pub fn delayed(self, delay: Duration) -> Self {
        MockAnswer::Delayed {
            delay,
            answer: Box::new(self),
        }
    }

    fn from_example_body(status: u16, body: &str) -> Self {
        match serde_json::from_str::<Value>(body) {
            Ok(body) => MockAnswer::json(status, body),
            Err(_) => MockAnswer::Raw {
                status,
                content_type: None,
                body: body.as_bytes().to_vec(),
            },
        }
    }
}

/// A `time` object for the current moment.
fn now_time() -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    json!({ "start": now, "finish": now, "duration": 0.0, "processing": 0.0 })
}

/// Which response example: by name or by position (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleRef {
    /// The example's `name` in the spec.
    Name(String),
    /// Its position among the spec's response examples.
    Index(usize),
}

impl From<&str> for ExampleRef {
    fn from(name: &str) -> Self {
        ExampleRef::Name(name.to_owned())
    }
}

impl From<usize> for ExampleRef {
    fn from(index: usize) -> Self {
        ExampleRef::Index(index)
    }
}

/// One call the portal received.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct MockCall {
    /// Wire name of the method (`log.blogpost.share`), without a `.json` suffix.
    pub method: String,
    /// How the call authenticated.
    pub auth: MockAuth,
    /// Whether the portal accepted the credentials (and so ran or answered the call).
    pub authorized: bool,
    /// HTTP method and path as received (`POST`, `/rest/1/<code>/log.blogpost.share`); for
    /// a command inside `batch`, those of the `batch` request.
    pub http_method: String,
    /// See [`MockCall::http_method`].
    pub path: String,
    /// Request headers, names in lower case; for a command inside `batch`, those of the
    /// `batch` request.
    pub headers: Vec<(String, String)>,
    /// The parameters: the JSON body without `auth` (`Null` when the body is not JSON); for a
    /// command inside `batch`, its query read as PHP does (every value a string).
    pub body: Value,
    /// The body bytes exactly as received (for a command inside `batch`, its query string).
    pub raw_body: Vec<u8>,
    /// For a command run inside `batch`: its key in `cmd`.
    pub batch_key: Option<String>,
}

impl MockCall {
    /// A webhook call of `method` with this JSON body, for the portal's own tests.
    #[cfg(test)]
    pub(crate) fn for_test(method: &str, body: &str) -> MockCall {
        MockCall {
            method: method.to_owned(),
            auth: MockAuth::None,
            authorized: true,
            http_method: "POST".to_owned(),
            path: String::new(),
            headers: Vec::new(),
            body: serde_json::from_str(body).unwrap_or(Value::Null),
            raw_body: body.as_bytes().to_vec(),
            batch_key: None,
        }
    }

    /// The value of header `name` (lower case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A scripted answer that cannot be made: the method has no such example or row, or no spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MockError(String);

/// How a call authenticated.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MockAuth {
    /// A webhook path `/rest/<user_id>/<code>/<method>`.
    Webhook {
        /// The user id in the path.
        user_id: u64,
        /// Whether the code was [`MockPortal::WEBHOOK_CODE`].
        code_ok: bool,
    },
    /// An OAuth call `/rest/<method>` with this token in `auth` (body or query).
    OAuth {
        /// The token.
        token: String,
    },
    /// Neither.
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_spec_data_is_an_error_answer_not_a_panic() {
        let error = spec_data::parse(&[("demo", "{\"scope\":")]).unwrap_err();
        let answer = default_answer(Err(&error));
        let MockAnswer::Json { status, body } = answer else {
            panic!("{answer:?}")
        };
        assert_eq!(status, 500);
        assert_eq!(body["error"], "B24_REST_MOCK_SPEC_DATA");
        let text = body["error_description"].as_str().unwrap_or_default();
        assert!(text.contains("src/api/demo/spec_data.json"), "{text}");
    }

    #[test]
    fn a_method_without_spec_data_is_not_found() {
        let answer = default_answer(Ok(None));
        assert_eq!(
            answer,
            MockAnswer::error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
        );
    }

    #[test]
    fn asking_for_a_row_that_is_not_there_is_an_error_and_unhandled_is_an_unlisted_error() {
        use crate::decode::decode_response;
        use crate::test_method::{Share, ShareError};

        let err = MockAnswer::try_error_row::<Share>("NoSuchRow").unwrap_err();
        assert!(
            err.to_string().contains("`log.blogpost.share` has no spec"),
            "{err}"
        );
        let MockAnswer::Json { status, body } = MockAnswer::error_row::<Share>("Unhandled") else {
            panic!("a JSON answer")
        };
        let decoded = decode_response::<Share>(status, body.to_string().as_bytes()).unwrap_err();
        assert!(
            matches!(decoded, crate::Error::Method(ShareError::Unhandled(_))),
            "{decoded:?}"
        );
    }
}
