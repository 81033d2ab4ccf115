//! Typed `batch`: many calls of generated methods in few requests (at most 50 commands
//! each), with each call's typed result or typed error handed back under the key it was
//! added with.
//!
//! With `b24_rest`'s generated requests (`BlogpostShareRequest::new(217, …)`), or any type
//! implementing [`Method`] and [`BatchMethod`]:
//!
//! ```no_run
//! # use b24_rest_runtime::{BatchMethod, Method, UntypedError};
//! # #[derive(serde::Serialize)]
//! # struct Share { #[serde(rename = "POST_ID")] post_id: i64, #[serde(rename = "DEST")] dest: Vec<String> }
//! # impl Method for Share {
//! #     const NAME: &'static str = "log.blogpost.share";
//! #     const SAFE_TO_REPEAT: bool = false;
//! #     const BATCH: bool = true;
//! #     type Output = bool;
//! #     type Error = UntypedError;
//! # }
//! # impl BatchMethod for Share {}
//! use b24_rest_runtime::Client;
//!
//! # async fn run(client: Client) {
//! let mut batch = client.batch().halt(false);
//! let first = batch.add(Share { post_id: 217, dest: vec!["SG69".into()] });
//! let second = batch.add(Share { post_id: 218, dest: vec!["UA".into()] });
//! let results = batch.send().await;
//! match results.get(&first) {
//!     Some(Ok(response)) => println!("shared: {}", response.result),
//!     Some(Err(err)) => println!("failed: {err}"),
//!     None => println!("not run (an earlier command failed and `halt` was set)"),
//! }
//! # let _ = results.get(&second);
//! # }
//! ```
//!
//! Only methods whose spec allows `batch` implement [`BatchMethod`]; adding any other is a
//! compile-time error.
//!
//! Each command's time budget (`result_time[key].operating`, `operating_reset_at`) is
//! recorded under its own method, as a single call's would be ([`Client::operating`]): a
//! command's budget can exceed the batch's own, and a later `OPERATION_TIME_LIMIT` of that
//! method waits for its reset. Errors the portal reports without a command's key (some
//! portals send `result_error` as a list) are not guessed onto commands: a call with neither
//! a result nor an error of its own then ends with [`Error::BatchUnattributed`], which keeps
//! them all.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::decode::classify;
use crate::error::{Error, ErrorMeta, TransportError, TransportErrorKind};
use crate::method::{ErrorRows, Method, MethodError, Response};
use crate::ordered::Ordered;
use crate::secret::Secret;
use crate::time::Time;
use crate::{query, retry, text};

/// The most commands the portal runs in one `batch` request.
pub const MAX_BATCH_COMMANDS: usize = 50;

/// A method that may run inside `batch`: generated for every method whose spec says
/// `batch: true`, so that [`Batch::add`] refuses the others at compile time.
///
/// A method with the marker can be added:
///
/// ```
/// # use b24_rest_runtime::{BatchMethod, Client, Method, UntypedError};
/// #[derive(serde::Serialize)]
/// struct Ping;
/// impl Method for Ping {
///     const NAME: &'static str = "demo.ping";
///     const SAFE_TO_REPEAT: bool = true;
///     const BATCH: bool = true;
///     type Output = bool;
///     type Error = UntypedError;
/// }
/// impl BatchMethod for Ping {}
///
/// fn add(client: &Client) {
///     let mut batch = client.batch();
///     batch.add(Ping);
/// }
/// ```
///
/// The same method without it (a file upload, say, which the portal refuses inside `batch`)
/// does not compile:
///
/// ```compile_fail,E0277
/// # use b24_rest_runtime::{Client, Method, UntypedError};
/// #[derive(serde::Serialize)]
/// struct Ping;
/// impl Method for Ping {
///     const NAME: &'static str = "demo.ping";
///     const SAFE_TO_REPEAT: bool = true;
///     const BATCH: bool = false;
///     type Output = bool;
///     type Error = UntypedError;
/// }
///
/// fn add(client: &Client) {
///     let mut batch = client.batch();
///     batch.add(Ping);
/// }
/// ```
pub trait BatchMethod: Method {}

/// What one call ends with: the method's typed result or its typed error.
pub type CallOutcome<M> = Result<Response<<M as Method>::Output>, Error<<M as Method>::Error>>;

/// Numbers batches, so that a key is only ever looked up in its own batch's results.
static NEXT_BATCH: AtomicU64 = AtomicU64::new(1);

/// Calls collected for `batch`; sent by [`Batch::send`]. Made by [`Client::batch`].
pub struct Batch<'a> {
    client: &'a Client,
    id: u64,
    halt: bool,
    commands: Vec<Command>,
}

struct Command {
    key: String,
    /// Wire name, to record the command's time budget under.
    method: String,
    /// `method?query`, or why the request could not be encoded.
    encoded: Result<String, String>,
    safe_to_repeat: bool,
}

/// The handle of one call in a batch: look its outcome up with [`BatchResults::get`].
pub struct BatchKey<M> {
    batch: u64,
    key: String,
    method: PhantomData<fn() -> M>,
}

impl<M> BatchKey<M> {
    /// The command's key in `cmd` on the wire.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl<M> Clone for BatchKey<M> {
    fn clone(&self) -> Self {
        BatchKey {
            batch: self.batch,
            key: self.key.clone(),
            method: PhantomData,
        }
    }
}

impl<M: Method> fmt::Debug for BatchKey<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchKey")
            .field("method", &M::NAME)
            .field("key", &self.key)
            .finish()
    }
}

impl Client {
    /// An empty batch. Add calls with [`Batch::add`], then [`Batch::send`] it.
    pub fn batch(&self) -> Batch<'_> {
        Batch {
            client: self,
            id: NEXT_BATCH.fetch_add(1, Ordering::Relaxed),
            halt: false,
            commands: Vec::new(),
        }
    }
}

impl<'a> Batch<'a> {
    /// `halt`: stop at the first command that fails; the commands after it do not run (and
    /// later requests of a batch of more than 50 are not sent). Default `false`.
    #[must_use]
    pub fn halt(mut self, halt: bool) -> Self {
        self.halt = halt;
        self
    }

    /// Adds a call; its parameters travel as a PHP query string (see the crate docs on
    /// `batch`: `null` and empty lists are left out, `true`/`false` become `1`/`0`).
    pub fn add<M: BatchMethod>(&mut self, request: M) -> BatchKey<M> {
        let key = format!("c{}", self.commands.len());
        // Read back in order: nested keys such as `order`'s are sent as the request wrote them.
        let encoded = match Ordered::of(&request) {
            Ok(Ordered::Object(params)) => Ok(command(request.name(), &params)),
            Ok(Ordered::Null) => Ok(command(request.name(), &[])),
            Ok(_) => Err("the request does not encode as a JSON object".to_owned()),
            Err(e) => Err(format!("cannot encode the request: {e}")),
        };
        self.commands.push(Command {
            key: key.clone(),
            method: request.name().to_owned(),
            encoded,
            safe_to_repeat: request.safe_to_repeat(),
        });
        BatchKey {
            batch: self.id,
            key,
            method: PhantomData,
        }
    }

    /// How many calls were added.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether no call was added.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Sends the calls, at most [`MAX_BATCH_COMMANDS`] per request, one request after the
    /// other, each under the client's policy (a request is sent again after an ambiguous
    /// failure only when every command in it is safe to repeat).
    ///
    /// Never fails as a whole: each call's outcome, including the failure of the request
    /// that carried it, is in the results under its key.
    pub async fn send(self) -> BatchResults {
        let mut outcomes = HashMap::new();
        let mut requests = 0;
        let mut halted = false;
        let mut sendable = Vec::new();
        // Every credential a request went out with (a refresh can replace the token between
        // requests), to redact from the commands' errors when they are read.
        let mut secrets = vec![self.client.current_secret()];
        for command in self.commands {
            match command.encoded {
                Ok(text) => sendable.push(Sendable {
                    key: command.key,
                    method: command.method,
                    text,
                    safe_to_repeat: command.safe_to_repeat,
                }),
                Err(message) => {
                    let error = TransportError::new(TransportErrorKind::Other, message, false);
                    outcomes.insert(command.key, Outcome::Failed(Error::Transport(error)));
                }
            }
        }
        for chunk in sendable.chunks(MAX_BATCH_COMMANDS) {
            if halted {
                break;
            }
            let request = BatchRequest {
                halt: u8::from(self.halt),
                cmd: Commands(
                    chunk
                        .iter()
                        .map(|command| (command.key.clone(), command.text.clone()))
                        .collect(),
                ),
            };
            let safe = chunk.iter().all(|command| command.safe_to_repeat);
            requests += 1;
            let keys = chunk.iter().map(|command| command.key.as_str());
            let sent = retry::send(self.client, &request, safe).await;
            let secret = self.client.current_secret();
            if secrets
                .iter()
                .all(|known| known.expose() != secret.expose())
            {
                secrets.push(secret);
            }
            match sent {
                Ok(response) => {
                    let failed = spread(response.result, keys, &mut outcomes);
                    halted = self.halt && failed;
                    note_budgets(self.client, chunk, &outcomes);
                }
                Err(error) => {
                    for key in keys {
                        outcomes.insert(key.to_owned(), Outcome::Failed(error.clone()));
                    }
                    halted = self.halt;
                }
            }
        }
        BatchResults {
            batch: self.id,
            outcomes,
            requests,
            secrets,
        }
    }
}

/// Records each command's time budget under its method, as a single call's answer would be:
/// a later `OPERATION_TIME_LIMIT` of that method then waits for its own reset, which the
/// batch's budget (recorded under `batch`) does not tell.
fn note_budgets(client: &Client, chunk: &[Sendable], outcomes: &HashMap<String, Outcome>) {
    let controls = client.controls();
    for command in chunk {
        if let Some(Outcome::Result {
            time: Some(time), ..
        }) = outcomes.get(&command.key)
        {
            controls.note_operating(&command.method, Time::decode_lenient(time.clone()).as_ref());
        }
    }
}

/// A command ready to go out.
struct Sendable {
    key: String,
    method: String,
    /// `method?query`.
    text: String,
    safe_to_repeat: bool,
}

fn command(method: &str, params: &[(String, Ordered)]) -> String {
    let query = query::encode_ordered(params);
    if query.is_empty() {
        method.to_owned()
    } else {
        format!("{method}?{query}")
    }
}

/// Files one request's answer under its commands' keys; `true` when any command failed.
///
/// Errors the portal reports without a usable key (a list, or keys that are no command's)
/// cannot be matched to commands: the order of a list is not the order of the commands that
/// failed (the successes are left out of it). So they are not handed out by guess: each
/// command with neither a result nor an error of its own gets them all, as
/// [`Outcome::Unattributed`]. Without such errors, that command did not run (`halt`).
fn spread<'k>(
    payload: BatchPayload,
    keys: impl Iterator<Item = &'k str>,
    outcomes: &mut HashMap<String, Outcome>,
) -> bool {
    let BatchPayload {
        result,
        result_error,
        result_total,
        result_next,
        result_time,
    } = payload;
    let mut results: HashMap<String, Value> = result.0.into_iter().collect();
    let mut errors: HashMap<String, Value> = HashMap::new();
    let mut unkeyed_errors = Vec::new();
    let keys: Vec<&str> = keys.collect();
    for (key, error) in result_error.0 {
        if keys.contains(&key.as_str()) {
            errors.insert(key, error);
        } else {
            unkeyed_errors.push(error);
        }
    }
    let unattributed = (!unkeyed_errors.is_empty()).then(|| {
        std::sync::Arc::new(
            unkeyed_errors
                .into_iter()
                .map(error_meta)
                .collect::<Vec<_>>(),
        )
    });
    let mut totals: HashMap<String, Value> = result_total.0.into_iter().collect();
    let mut nexts: HashMap<String, Value> = result_next.0.into_iter().collect();
    let mut times: HashMap<String, Value> = result_time.0.into_iter().collect();
    let mut failed = false;
    for key in keys {
        let outcome = if let Some(error) = errors.remove(key) {
            failed = true;
            Outcome::Error(error_meta(error))
        } else if let Some(result) = results.remove(key) {
            Outcome::Result {
                result,
                time: times.remove(key),
                next: nexts.remove(key).as_ref().and_then(number),
                total: totals.remove(key).as_ref().and_then(number),
            }
        } else if let Some(errors) = &unattributed {
            failed = true;
            Outcome::Unattributed(std::sync::Arc::clone(errors))
        } else {
            Outcome::NotRun
        };
        outcomes.insert(key.to_owned(), outcome);
    }
    failed
}

/// A command's error object, kept whole, read as a single call's error body is (a v2 code
/// and text, or a REST v3 error object). The batch request itself answered HTTP 200, which
/// is the status the error carries.
fn error_meta(error: Value) -> ErrorMeta {
    let map = match error {
        Value::Object(map) => map,
        other => Map::from_iter([("error_description".to_owned(), other)]),
    };
    crate::decode::error_body_meta(200, map)
}

fn number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// What happened to each call of a sent [`Batch`].
pub struct BatchResults {
    batch: u64,
    outcomes: HashMap<String, Outcome>,
    requests: usize,
    /// The webhook code or every access token the requests went out with: the commands'
    /// errors are kept as the portal sent them and redacted when read, as a single call's.
    secrets: Vec<Secret>,
}

#[derive(Clone)]
enum Outcome {
    Result {
        result: Value,
        time: Option<Value>,
        next: Option<u64>,
        total: Option<u64>,
    },
    Error(ErrorMeta),
    /// The request carrying the command failed as a whole.
    Failed(Error<BatchRequestError>),
    /// No result and no error of its own, while the request reported errors that name no
    /// command: all of them, shared by every such command.
    Unattributed(std::sync::Arc<Vec<ErrorMeta>>),
    NotRun,
}

impl BatchResults {
    /// The outcome of the call `key` stands for: its typed result, or its typed error (the
    /// method's own row, a system error, or the failure of the request that carried it).
    /// [`Error::BatchUnattributed`] when it has no result and the portal reported errors
    /// that cannot be matched to commands (it failed with one of them, or did not run).
    /// `None` when it did not run: an earlier command failed with `halt` set, or the key
    /// belongs to another batch.
    pub fn get<M: Method>(&self, key: &BatchKey<M>) -> Option<CallOutcome<M>> {
        if key.batch != self.batch {
            return None;
        }
        let outcome = self.outcomes.get(&key.key)?.clone();
        self.convert::<M>(outcome)
    }

    /// [`BatchResults::get`] as JSON, moving the result out instead of copying it: the
    /// reader of whole lists takes each page of 50 records once and decodes it itself.
    pub(crate) fn take_raw<M: Method>(
        &mut self,
        key: &BatchKey<M>,
    ) -> Option<Result<Response<Value>, Error<M::Error>>> {
        if key.batch != self.batch {
            return None;
        }
        match self.outcomes.remove(&key.key)? {
            Outcome::Result {
                result,
                time,
                next,
                total,
            } => {
                let time = time.and_then(Time::decode_lenient);
                Some(Ok(Response::new(result, time).with_paging(next, total)))
            }
            failure => self.failure::<M::Error>(failure).map(Err),
        }
    }

    fn convert<M: Method>(&self, outcome: Outcome) -> Option<CallOutcome<M>> {
        match outcome {
            Outcome::Result {
                result,
                time,
                next,
                total,
            } => Some(match crate::de::output::<M::Output>(&result) {
                Ok(output) => {
                    let time = time.and_then(Time::decode_lenient);
                    Ok(Response::new(output, time).with_paging(next, total))
                }
                Err(e) => {
                    let result = self.redacted(result.to_string());
                    Err(Error::Decode {
                        status: 200,
                        message: text::clip_escaped(&self.redacted(e.to_string()), 300, false),
                        excerpt: text::excerpt(result.as_bytes(), None),
                        result,
                    })
                }
            }),
            failure => self.failure::<M::Error>(failure).map(Err),
        }
    }

    /// The error of a command that has no result; `None` when it did not run.
    fn failure<E: MethodError>(&self, outcome: Outcome) -> Option<Error<E>> {
        match outcome {
            Outcome::NotRun | Outcome::Result { .. } => None,
            Outcome::Error(mut meta) => {
                let (older, current) = self.split_secrets();
                for secret in older {
                    meta.redact(Some(secret.expose()));
                }
                Some(classify::<E>(meta, current))
            }
            Outcome::Unattributed(errors) => Some(Error::BatchUnattributed {
                errors: errors
                    .iter()
                    .map(|meta| {
                        let mut meta = meta.clone();
                        for secret in &self.secrets {
                            meta.redact(Some(secret.expose()));
                        }
                        meta
                    })
                    .collect(),
            }),
            Outcome::Failed(error) => Some(retype(error)),
        }
    }

    /// The credentials the requests went out with: the earlier ones and the last.
    fn split_secrets(&self) -> (&[Secret], Option<&str>) {
        match self.secrets.split_last() {
            Some((current, older)) => (older, Some(current.expose())),
            None => (&[], None),
        }
    }

    /// `text` with every credential the requests went out with replaced by `***`.
    fn redacted(&self, mut text: String) -> String {
        for secret in &self.secrets {
            text::redact_in_place(&mut text, Some(secret.expose()));
        }
        text
    }

    /// How many `batch` requests were sent.
    pub fn requests(&self) -> usize {
        self.requests
    }
}

impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResults")
            .field("calls", &self.outcomes.len())
            .field("requests", &self.requests)
            .finish()
    }
}

/// The failure of a whole `batch` request as the error of one of its calls.
fn retype<E: MethodError>(error: Error<BatchRequestError>) -> Error<E> {
    match error {
        Error::Method(BatchRequestError(meta)) => Error::Method(E::unhandled(meta)),
        Error::System(system) => Error::System(system),
        Error::UnexpectedAnswer {
            status,
            content_type,
            excerpt,
            reason,
        } => Error::UnexpectedAnswer {
            status,
            content_type,
            excerpt,
            reason,
        },
        Error::Decode {
            status,
            message,
            excerpt,
            result,
        } => Error::Decode {
            status,
            message,
            excerpt,
            result,
        },
        Error::Transport(transport) => Error::Transport(transport),
        Error::TokenRefresh(refresh) => Error::TokenRefresh(refresh),
        Error::BatchUnattributed { errors } => Error::BatchUnattributed { errors },
        Error::ListRead(error) => Error::ListRead(error),
    }
}

/// The `batch` request itself.
#[derive(serde::Serialize)]
struct BatchRequest {
    halt: u8,
    cmd: Commands,
}

/// `cmd`, written in the order the calls were added: the portal runs the commands in the
/// order it reads them, which `halt` depends on. (A list: the order holds whatever features
/// `serde_json` is built with.)
struct Commands(Vec<(String, String)>);

impl serde::Serialize for Commands {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, command) in &self.0 {
            map.serialize_entry(key, command)?;
        }
        map.end()
    }
}

impl Method for BatchRequest {
    const NAME: &'static str = "batch";
    // Decided per request from its commands; see `Batch::send`.
    const SAFE_TO_REPEAT: bool = false;
    const BATCH: bool = false;
    type Output = BatchPayload;
    type Error = BatchRequestError;
}

/// An error of the `batch` request no system error describes.
#[derive(Debug, Clone, PartialEq)]
struct BatchRequestError(ErrorMeta);

impl fmt::Display for BatchRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for BatchRequestError {}

/// No rows: the batch request's own failures are system errors or unhandled.
impl ErrorRows for BatchRequestError {}

impl MethodError for BatchRequestError {
    fn unhandled(meta: ErrorMeta) -> Self {
        BatchRequestError(meta)
    }

    fn parts(&self) -> (&'static str, &ErrorMeta) {
        ("Unhandled", &self.0)
    }
}

/// `result` of a `batch` answer. Every section may be `[]` when empty, or a list when the
/// keys are `0, 1, …`.
#[derive(Deserialize)]
struct BatchPayload {
    #[serde(default)]
    result: Section,
    #[serde(default)]
    result_error: Section,
    #[serde(default)]
    result_total: Section,
    #[serde(default)]
    result_next: Section,
    #[serde(default)]
    result_time: Section,
}

/// A keyed section: an object, or a list read as keys `0, 1, …`; `null` is empty.
#[derive(Default)]
struct Section(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Section {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Section(match Value::deserialize(deserializer)? {
            Value::Object(map) => map.into_iter().collect(),
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| (i.to_string(), item))
                .collect(),
            _ => Vec::new(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(value: Value) -> BatchPayload {
        serde_json::from_value(value).expect("a batch payload")
    }

    #[test]
    fn empty_sections_are_lists_and_lists_are_keyed_by_position() {
        let mut outcomes = HashMap::new();
        let failed = spread(
            payload(json!({
                "result": [true, false],
                "result_error": [],
                "result_total": [],
                "result_next": [],
                "result_time": [{"start": 1}, {"start": 2}]
            })),
            ["0", "1"].into_iter(),
            &mut outcomes,
        );
        assert!(!failed);
        assert!(
            matches!(&outcomes["0"], Outcome::Result { result, time: Some(_), .. } if result == &json!(true))
        );
        assert!(
            matches!(&outcomes["1"], Outcome::Result { result, .. } if result == &json!(false))
        );
    }

    /// A `result_error` list cannot be matched to commands: no command is handed one of its
    /// errors by position; each command without a result gets all of them, unattributed.
    #[test]
    fn unkeyed_errors_are_not_guessed_onto_commands() {
        let mut outcomes = HashMap::new();
        let failed = spread(
            payload(json!({
                "result": {"c0": true, "c2": true},
                "result_error": [
                    {"error": "", "error_description": "Wrong post ID"},
                    {"error": "ERROR_CORE", "error_description": "Empty post."}
                ],
                "result_total": {"c0": "7"},
                "result_next": [],
                "result_time": []
            })),
            ["c0", "c1", "c2", "c3"].into_iter(),
            &mut outcomes,
        );
        assert!(failed);
        assert!(matches!(
            &outcomes["c0"],
            Outcome::Result {
                total: Some(7),
                next: None,
                ..
            }
        ));
        assert!(matches!(&outcomes["c2"], Outcome::Result { .. }));
        for key in ["c1", "c3"] {
            let Outcome::Unattributed(errors) = &outcomes[key] else {
                panic!("{key} was given a guessed outcome");
            };
            let descriptions: Vec<&str> = errors.iter().map(ErrorMeta::description).collect();
            assert_eq!(descriptions, ["Wrong post ID", "Empty post."]);
            assert_eq!(errors[1].code(), "ERROR_CORE");
            assert!(errors.iter().all(|meta| meta.status() == 200));
        }

        // Keyed errors still go to their commands; without unkeyed ones, no result means
        // the command did not run.
        let mut outcomes = HashMap::new();
        spread(
            payload(json!({
                "result": {"c0": true},
                "result_error": {"c1": {"error": "", "error_description": "No read perms"}}
            })),
            ["c0", "c1", "c2"].into_iter(),
            &mut outcomes,
        );
        assert!(
            matches!(&outcomes["c1"], Outcome::Error(meta) if meta.description() == "No read perms")
        );
        assert!(matches!(&outcomes["c2"], Outcome::NotRun));
    }

    /// A command whose result does not fit keeps the whole result, in the server's key
    /// order, with every credential the requests went out with redacted.
    #[test]
    fn a_decode_error_keeps_the_whole_result() {
        use crate::test_method::Share;

        let long = "y".repeat(3000);
        let mut outcomes = HashMap::new();
        spread(
            payload(json!({
                "result": {"c0": {"Z": 1, "A": "/rest/1/oldsecret1/", "M": long, "B": "newsecret2"}}
            })),
            ["c0"].into_iter(),
            &mut outcomes,
        );
        let results = BatchResults {
            batch: 3,
            outcomes,
            requests: 2,
            secrets: vec![Secret::new("oldsecret1"), Secret::new("newsecret2")],
        };
        let key = BatchKey::<Share> {
            batch: 3,
            key: "c0".to_owned(),
            method: PhantomData,
        };
        let Some(Err(Error::Decode {
            excerpt, result, ..
        })) = results.get(&key)
        else {
            panic!("a Decode error")
        };
        assert_eq!(
            result,
            format!(r#"{{"Z":1,"A":"/rest/1/***/","M":"{long}","B":"***"}}"#)
        );
        assert!(excerpt.chars().count() <= 201);
    }

    #[test]
    fn missing_or_odd_sections_are_empty() {
        let p = payload(json!({"result": null}));
        assert!(p.result.0.is_empty() && p.result_error.0.is_empty());
        let p = payload(json!({}));
        assert!(p.result_time.0.is_empty());
    }

    /// A command's `time` and error object read as a single call's are: one odd field of
    /// `time` does not lose the reset time the retry policy waits for, and a REST v3 error
    /// object keeps its code and message.
    #[test]
    fn a_command_decodes_time_and_errors_as_a_single_call_does() {
        use crate::decode::decode_response;
        use crate::test_method::Share;

        let time =
            json!({"start": 1, "finish": 2, "operating": "0.3", "operating_reset_at": 1773815478});
        let error = json!({"error": {"code": "ACCESS_DENIED", "message": "Access denied"}});
        let mut outcomes = HashMap::new();
        spread(
            payload(json!({
                "result": {"ok": true},
                "result_error": {"bad": error},
                "result_time": {"ok": time}
            })),
            ["ok", "bad"].into_iter(),
            &mut outcomes,
        );
        let results = BatchResults {
            batch: 7,
            outcomes,
            requests: 1,
            secrets: Vec::new(),
        };
        let key = |name: &str| BatchKey::<Share> {
            batch: 7,
            key: name.to_owned(),
            method: PhantomData,
        };
        let single = decode_response::<Share>(
            200,
            json!({"result": true, "time": time}).to_string().as_bytes(),
        )
        .expect("a success");
        let batched = results.get(&key("ok")).expect("ran").expect("a success");
        assert_eq!(batched.time, single.time);
        assert_eq!(
            batched.time.and_then(|time| time.operating_reset_at),
            Some(1773815478.0)
        );

        let single =
            decode_response::<Share>(200, error.to_string().as_bytes()).expect_err("an error");
        let batched = results
            .get(&key("bad"))
            .expect("ran")
            .expect_err("an error");
        assert_eq!(
            batched.variant_name(),
            single.variant_name(),
            "{batched:?} {single:?}"
        );
        assert_eq!(batched.variant_name(), "AccessDenied");
        let meta = batched.meta().expect("a server error");
        assert_eq!(
            (meta.code(), meta.description()),
            ("ACCESS_DENIED", "Access denied")
        );
    }
}
