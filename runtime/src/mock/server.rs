//! The mock portal's HTTP/1.1 server: reads requests (keep-alive), checks credentials,
//! picks each call's answer from the scripts, runs `batch` command by command, and writes
//! the answer or the scripted fault.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::refs::{self, Sections};
use super::{MockAnswer, MockAuth, MockCall, State, TokenStatus, lock, now_time};
use crate::query;

/// The most commands one `batch` runs; the rest get `ERROR_BATCH_LENGTH_EXCEEDED`.
const MAX_BATCH_COMMANDS: usize = 50;
/// Requests larger than this are refused (the connection is closed).
const MAX_REQUEST_BYTES: usize = 64 * 1024 * 1024;

/// The running server: its thread and the signal that stops it.
pub(super) struct Handle {
    stop: oneshot::Sender<()>,
    thread: JoinHandle<()>,
}

impl Handle {
    /// Stops accepting, drops every connection (stalled ones too) and waits for the thread.
    pub(super) fn stop(self) {
        let _ = self.stop.send(());
        // A panic on the server thread has already been reported by the test harness.
        let _ = self.thread.join();
    }
}

pub(super) fn start(state: Arc<Mutex<State>>) -> (SocketAddr, Handle) {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").expect("mock portal: bind a loopback port");
    let addr = listener
        .local_addr()
        .expect("mock portal: read the bound address");
    listener
        .set_nonblocking(true)
        .expect("mock portal: make the listener non-blocking");
    let (stop, stopped) = oneshot::channel();
    let thread = std::thread::Builder::new()
        .name(format!("b24-mock-portal-{}", addr.port()))
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("mock portal: build its runtime");
            runtime.block_on(accept_loop(listener, state, stopped));
            // Dropping the runtime here cancels every connection task, stalls included.
        })
        .expect("mock portal: start its thread");
    (addr, Handle { stop, thread })
}

async fn accept_loop(
    listener: std::net::TcpListener,
    state: Arc<Mutex<State>>,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = TcpListener::from_std(listener).expect("mock portal: register the listener");
    loop {
        tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    tokio::spawn(serve(stream, Arc::clone(&state)));
                }
            }
        }
    }
}

/// One request as read from the socket.
struct HttpRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let started = std::time::Instant::now();
        let mut answer = handle(&state, request);
        while let MockAnswer::Delayed {
            delay,
            answer: next,
        } = answer
        {
            tokio::time::sleep(delay).await;
            answer = *next;
        }
        // Noted before the answer goes out, so that a client that has it sees it counted.
        lock(&state).note_request(started.elapsed());
        match write_answer(&mut stream, answer).await {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
    }
    let _ = stream.shutdown().await;
}

/// Reads one request (head and `Content-Length` body); `None` when the peer closed the
/// connection or sent something too large or not HTTP.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<HttpRequest> {
    let mut chunk = [0_u8; 16 * 1024];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_REQUEST_BYTES {
        return None;
    }
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(HttpRequest {
        method,
        target,
        headers,
        body,
    })
}

/// Decides the answer to one request and records the call(s).
fn handle(state: &Mutex<State>, request: HttpRequest) -> MockAnswer {
    let (path, query_string) = match request.target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (request.target.clone(), None),
    };
    if path == "/oauth/token/" || path == "/oauth/token" {
        let params = query::decode(query_string.as_deref().unwrap_or_default());
        return lock(state).renew_tokens(&params);
    }
    let Some((method, webhook)) = parse_path(&path) else {
        return MockAnswer::Raw {
            status: 404,
            content_type: Some("text/html".to_owned()),
            body: b"<html><body><h1>404 Not Found</h1></body></html>".to_vec(),
        };
    };
    let mut body = serde_json::from_slice::<Value>(&request.body).unwrap_or(Value::Null);
    let body_token = match &mut body {
        Value::Object(map) => match map.remove("auth") {
            Some(Value::String(token)) => Some(token),
            _ => None,
        },
        _ => None,
    };
    let query_token = query_string.as_deref().and_then(|q| {
        query::decode(q)
            .remove("auth")
            .and_then(|v| v.as_str().map(str::to_owned))
    });
    let auth = match (webhook, body_token.or(query_token)) {
        (Some((user_id, code_ok)), _) => MockAuth::Webhook { user_id, code_ok },
        (None, Some(token)) => MockAuth::OAuth { token },
        (None, None) => MockAuth::None,
    };

    let mut state = lock(state);
    let refusal = match &auth {
        MockAuth::Webhook { code_ok: true, .. } => None,
        MockAuth::OAuth { token } => match state.token_status(token) {
            TokenStatus::Valid => None,
            TokenStatus::Expired => Some(MockAnswer::system_error("expired_token")),
            TokenStatus::Unknown => Some(MockAnswer::system_error("NO_AUTH_FOUND")),
        },
        MockAuth::Webhook { .. } | MockAuth::None => {
            Some(MockAnswer::system_error("NO_AUTH_FOUND"))
        }
    };
    let call = MockCall {
        method,
        auth,
        authorized: refusal.is_none(),
        http_method: request.method,
        path,
        headers: request.headers,
        body,
        raw_body: request.body,
        batch_key: None,
    };
    if let Some(refusal) = refusal {
        state.record(call);
        return refusal;
    }
    let scripted_batch = state.has_script("batch");
    state.record(call.clone());
    if call.method == "batch" && !scripted_batch {
        run_batch(&mut state, &call)
    } else {
        state.answer_for(&call)
    }
}

impl State {
    /// Whether a test scripted `method` itself (queued or default).
    fn has_script(&self, method: &str) -> bool {
        self.queues.get(method).is_some_and(|q| !q.is_empty()) || self.defaults.contains_key(method)
    }
}

/// `/rest/<user>/<code>/<method>` (webhook: user id and whether the code is right) or
/// `/rest/<method>`, or the same under `/rest/api/` (REST 3.0); a `.json` suffix on the method
/// is dropped.
fn parse_path(path: &str) -> Option<(String, Option<(u64, bool)>)> {
    let rest = path.strip_prefix("/rest/")?;
    let rest = rest.strip_prefix("api/").unwrap_or(rest);
    let segments: Vec<&str> = rest.split('/').collect();
    let (method, webhook) = match segments.as_slice() {
        [method] => (*method, None),
        [user, code, method] => (
            *method,
            Some((user.parse().ok()?, *code == super::WEBHOOK_CODE)),
        ),
        _ => return None,
    };
    let method = method.strip_suffix(".json").unwrap_or(method);
    (!method.is_empty()).then(|| (method.to_owned(), webhook))
}

/// Runs each command of a `batch` call from the scripts of its method, as the portal does:
/// at most 50, no nested `batch`, no method the spec keeps out of `batch`, `halt` stops at the
/// first error, and every empty section is `[]`. A command whose script is not a JSON
/// answer (a stall, a disconnect, …) makes the whole `batch` request answer that way.
fn run_batch(state: &mut State, batch: &MockCall) -> MockAnswer {
    let halt = halts(&batch.body);
    // The recorded body is a `serde_json` map, which sorts keys; the portal runs commands
    // in the order they were sent, so `cmd` is read again from the bytes, in order.
    let commands = serde_json::from_slice::<BatchBody>(&batch.raw_body)
        .map(|body| body.cmd.0)
        .unwrap_or_default();
    let mut run = BatchRun::default();
    for (i, (key, command)) in commands.into_iter().enumerate() {
        if i >= MAX_BATCH_COMMANDS {
            run.errors
                .insert(key, sub_error("ERROR_BATCH_LENGTH_EXCEEDED"));
            continue;
        }
        match run.command(state, batch, key, &command) {
            Ok(failed) if failed && halt => break,
            Ok(_) => {}
            Err(whole) => return whole,
        }
    }
    run.answer()
}

/// Whether a `batch` body asks to stop at the first error, in the forms PHP reads as true.
fn halts(body: &Value) -> bool {
    match body.get("halt") {
        Some(Value::Bool(flag)) => *flag,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !matches!(s.as_str(), "" | "0" | "false" | "N"),
        _ => false,
    }
}

/// The sections of a `batch` answer as its commands fill them, and the time they took.
#[derive(Default)]
struct BatchRun {
    results: Map<String, Value>,
    errors: Map<String, Value>,
    totals: Map<String, Value>,
    nexts: Map<String, Value>,
    times: Map<String, Value>,
    delay: std::time::Duration,
}

impl BatchRun {
    /// Runs one command (`method?query`): whether it failed, or the answer of the whole
    /// `batch` when its script is not a JSON answer.
    fn command(
        &mut self,
        state: &mut State,
        batch: &MockCall,
        key: String,
        command: &str,
    ) -> Result<bool, MockAnswer> {
        let (method, query_string) = command.split_once('?').unwrap_or((command, ""));
        let method = method.strip_suffix(".json").unwrap_or(method);
        let allowed = method != "batch"
            // Commands of the classic `batch` are classic (v2) methods.
            && match state.spec_of(method, crate::ApiVersion::V2) {
                Ok(spec) => spec.is_none_or(|spec| spec.batch),
                // Let the command through, to be answered with the error of the data.
                Err(_) => true,
            };
        if !allowed {
            self.errors
                .insert(key, sub_error("ERROR_BATCH_METHOD_NOT_ALLOWED"));
            return Ok(true);
        }
        let call = self.call(batch, key.clone(), method, query_string);
        let mut answer = state.answer_for(&call);
        state.record(call);
        // The portal runs commands one after the other: their delays add up.
        while let MockAnswer::Delayed {
            delay: took,
            answer: inner,
        } = answer
        {
            self.delay += took;
            answer = *inner;
        }
        match answer {
            MockAnswer::Json { body, .. } => Ok(self.absorb(key, body)),
            whole => Err(whole),
        }
    }

    /// The call a command stands for, its `$result[…]` references resolved against the
    /// commands before it.
    fn call(&self, batch: &MockCall, key: String, method: &str, query_string: &str) -> MockCall {
        let mut body = Value::Object(query::decode(query_string));
        let sections = Sections {
            result: &self.results,
            next: &self.nexts,
            total: &self.totals,
            time: &self.times,
            error: &self.errors,
        };
        refs::resolve(&mut body, &sections);
        MockCall {
            method: method.to_owned(),
            auth: batch.auth.clone(),
            authorized: true,
            http_method: batch.http_method.clone(),
            path: batch.path.clone(),
            headers: batch.headers.clone(),
            body,
            raw_body: query_string.as_bytes().to_vec(),
            batch_key: Some(key),
        }
    }

    /// Files a command's answer under its key; whether it is an error.
    fn absorb(&mut self, key: String, body: Value) -> bool {
        match body {
            Value::Object(mut map) if !map.get("error").is_none_or(Value::is_null) => {
                let error = map.remove("error").unwrap_or_default();
                let description = map.remove("error_description").unwrap_or_default();
                self.errors.insert(
                    key,
                    json!({ "error": error, "error_description": description }),
                );
                true
            }
            Value::Object(mut map) if map.contains_key("result") => {
                self.results
                    .insert(key.clone(), map.remove("result").unwrap_or_default());
                for (field, section) in [
                    ("time", &mut self.times),
                    ("total", &mut self.totals),
                    ("next", &mut self.nexts),
                ] {
                    if let Some(value) = map.remove(field) {
                        section.insert(key.clone(), value);
                    }
                }
                false
            }
            _ => {
                self.errors
                    .insert(key, json!({ "error": "", "error_description": "" }));
                true
            }
        }
    }

    /// The `batch` answer: every section, empty ones as `[]`, after the commands' delays.
    fn answer(self) -> MockAnswer {
        let answer = MockAnswer::json(
            200,
            json!({
                "result": {
                    "result": section(self.results),
                    "result_error": section(self.errors),
                    "result_total": section(self.totals),
                    "result_next": section(self.nexts),
                    "result_time": section(self.times),
                },
                "time": now_time(),
            }),
        );
        if self.delay.is_zero() {
            answer
        } else {
            answer.delayed(self.delay)
        }
    }
}

/// The part of a `batch` body whose order matters.
#[derive(serde::Deserialize)]
struct BatchBody {
    #[serde(default)]
    cmd: OrderedCommands,
}

/// `cmd` as sent: an object (keys in their order) or a list (keys `0, 1, …`).
#[derive(Default)]
struct OrderedCommands(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for OrderedCommands {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OrderedCommands;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object or a list of commands")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut commands = Vec::new();
                while let Some((key, command)) = map.next_entry::<String, Value>()? {
                    commands.push((key, command.as_str().unwrap_or("").to_owned()));
                }
                Ok(OrderedCommands(commands))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut commands = Vec::new();
                while let Some(command) = seq.next_element::<Value>()? {
                    let key = commands.len().to_string();
                    commands.push((key, command.as_str().unwrap_or("").to_owned()));
                }
                Ok(OrderedCommands(commands))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A system error as it appears inside `result_error`.
fn sub_error(code: &str) -> Value {
    match MockAnswer::system_error(code) {
        MockAnswer::Json { body, .. } => body,
        _ => json!({ "error": code, "error_description": "" }),
    }
}

/// A section of a `batch` answer as PHP's JSON encoder writes it: `[]` when empty, a list
/// when the keys are `0, 1, …` in order, an object otherwise.
fn section(map: Map<String, Value>) -> Value {
    let sequential = map.keys().enumerate().all(|(i, key)| key == &i.to_string());
    if sequential {
        Value::Array(map.into_iter().map(|(_, value)| value).collect())
    } else {
        Value::Object(map)
    }
}

/// Writes `answer`; `Ok(false)` when the connection must close afterwards.
async fn write_answer(stream: &mut TcpStream, mut answer: MockAnswer) -> std::io::Result<bool> {
    while let MockAnswer::Delayed {
        delay,
        answer: next,
    } = answer
    {
        tokio::time::sleep(delay).await;
        answer = *next;
    }
    match answer {
        MockAnswer::Json { status, body } => {
            let bytes = serde_json::to_vec(&body).unwrap_or_default();
            let content_type = Some("application/json; charset=utf-8");
            write_http(stream, status, content_type, None, &bytes).await?;
            Ok(true)
        }
        MockAnswer::Raw {
            status,
            content_type,
            body,
        } => {
            write_http(stream, status, content_type.as_deref(), None, &body).await?;
            Ok(true)
        }
        MockAnswer::Redirect { status, location } => {
            let body = b"<a href=\"elsewhere\">moved</a>";
            write_http(stream, status, Some("text/html"), Some(&location), body).await?;
            Ok(true)
        }
        MockAnswer::Stall(duration) => {
            tokio::time::sleep(duration).await;
            Ok(false)
        }
        MockAnswer::Disconnect => Ok(false),
        MockAnswer::Wire(bytes) => {
            stream.write_all(&bytes).await?;
            Ok(false)
        }
        MockAnswer::Delayed { .. } => Ok(false),
    }
}

async fn write_http(
    stream: &mut TcpStream,
    status: u16,
    content_type: Option<&str>,
    location: Option<&str>,
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\n",
        reason(status),
        body.len()
    );
    if let Some(content_type) = content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
