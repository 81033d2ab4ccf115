//! Runtime overhead of the SDK against hand-written baselines, as JSON lines (run by
//! `cargo xtask bench runtime`, or alone with `cargo bench -p b24-rest --bench runtime`).
//!
//! - `encode`: the share request to JSON, [`BlogpostShareRequest`] against a hand-written
//!   `serde` struct of the same fields.
//! - `decode`: the share success answer, the SDK's decoder (envelope, result, `time`) against
//!   a hand-written `serde` struct of the same answer.
//! - `error`: an error answer classified into its row, the last of the share table (a
//!   pattern with a field), the SDK's decoder (envelope, the table read from its JSON, system
//!   errors) against a hand-written `serde` struct and an `if` per row, as a hand-written
//!   client would do it.
//! - `call`: a whole `client.log().blogpost().share(…)` against a raw `reqwest` POST of the
//!   same body decoded into the hand-written struct, both to the same loopback server that
//!   answers the same bytes over a kept-alive connection (a task on the same single thread).
//!
//! Each case runs `--runs` samples (default 7) of many iterations, alternating SDK and
//! baseline, and reports nanoseconds per operation: median, min and max, and the ratio of
//! the medians. Plain harness, no timing assertions.

use std::fmt;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use b24_rest::log::{BlogpostShareError, BlogpostShareRequest};
use b24_rest::shared::Destination;
use b24_rest::{Auth, Client, Policy, decode_response};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The success answer both decoders read (the share spec's first response example).
const ANSWER: &str = r#"{"result":true,"time":{"start":1773814878,"finish":1773814878.602921,"duration":0.6029210090637207,"processing":0,"date_start":"2026-03-18T09:21:18+02:00","date_finish":"2026-03-18T09:21:18+02:00","operating_reset_at":1773815478,"operating":0.284437894821167}}"#;

/// An error answer of the share table's last row.
const ERROR_ANSWER: &str =
    r#"{"error":"","error_description":"No permissions to share by this user (ID =15)"}"#;

/// Connections the loopback server has accepted.
static CONNECTIONS: AtomicUsize = AtomicUsize::new(0);

/// The webhook code in the loopback URL.
const WEBHOOK_CODE: &str = "benchcode12345";

fn main() {
    let runs = std::env::args()
        .skip_while(|arg| arg != "--runs")
        .nth(1)
        .and_then(|runs| runs.parse::<usize>().ok())
        .filter(|runs| *runs > 0)
        .unwrap_or(7);

    let request = || {
        BlogpostShareRequest::new(
            217,
            vec![Destination::Group(69), Destination::Department(4)],
        )
        .user_id(1)
    };
    let baseline_request = || ShareRequest {
        post_id: 217,
        dest: vec![Dest::Group(69), Dest::Department(4)],
        user_id: Some(1),
    };
    assert_eq!(
        serde_json::to_string(&request()).expect("encodes"),
        serde_json::to_string(&baseline_request()).expect("encodes"),
        "the baseline encodes the same bytes"
    );

    let sdk_request = request();
    let plain_request = baseline_request();
    compare(
        "encode",
        runs,
        20_000,
        || serde_json::to_vec(black_box(&sdk_request)).map(|body| body.len()),
        || serde_json::to_vec(black_box(&plain_request)).map(|body| body.len()),
    );
    compare(
        "decode",
        runs,
        20_000,
        || {
            decode_response::<BlogpostShareRequest>(200, black_box(ANSWER.as_bytes()))
                .map(|answer| (answer.result, answer.time.as_ref().map(sdk_time_sum)))
        },
        || {
            serde_json::from_slice::<ShareAnswer>(black_box(ANSWER.as_bytes()))
                .map(|answer| (answer.result, answer.time.as_ref().map(AnswerTime::sum)))
        },
    );

    compare(
        "error",
        runs,
        20_000,
        || match decode_response::<BlogpostShareRequest>(400, black_box(ERROR_ANSWER.as_bytes())) {
            Err(b24_rest::Error::Method(BlogpostShareError::NoPermissionToShareAsUser {
                user_id,
                meta,
            })) => Ok((user_id, meta.description().len())),
            other => Err(format!("{other:?}")),
        },
        || match classify_by_hand(black_box(ERROR_ANSWER.as_bytes())) {
            Some(HandError::NoPermissionToShareAsUser { user_id, raw }) => {
                Ok((user_id, raw.error_description.len()))
            }
            Some(HandError::Row(name, raw)) => Err(format!("{name}: {raw:?}")),
            None => Err("no row".to_owned()),
        },
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = runtime.block_on(start_server());
    let webhook = format!("http://{server}/rest/1/{WEBHOOK_CODE}/");
    let client = Client::builder(Auth::webhook(&webhook).expect("a loopback webhook"))
        .policy(Policy::none())
        .build()
        .expect("a client");
    // Configured as the SDK configures its own reqwest client.
    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .user_agent("b24-rest-bench")
        .timeout(Duration::from_secs(65))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("a reqwest client");
    let url = format!("{webhook}log.blogpost.share");
    let sdk_call = || {
        runtime.block_on(async {
            client
                .log()
                .blogpost()
                .share(
                    217,
                    vec![Destination::Group(69), Destination::Department(4)],
                )
                .user_id(1)
                .await
                .map(|answer| answer.result)
        })
    };
    let raw_call = || {
        runtime.block_on(async {
            let body = serde_json::to_vec(&baseline_request()).expect("encodes");
            let response = raw
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::ACCEPT, "application/json")
                .body(body)
                .send()
                .await?;
            let bytes = response.bytes().await?;
            Ok::<bool, Box<dyn std::error::Error>>(
                serde_json::from_slice::<ShareAnswer>(&bytes)?.result,
            )
        })
    };
    // Both sides keep their connection alive: 100 calls open at most one new connection.
    let connections_per_100 = |call: &dyn Fn() -> bool| {
        let before = CONNECTIONS.load(Ordering::Relaxed);
        for _ in 0..100 {
            assert!(call());
        }
        CONNECTIONS.load(Ordering::Relaxed) - before
    };
    let sdk_connections = connections_per_100(&|| sdk_call().expect("the SDK call succeeds"));
    let raw_connections = connections_per_100(&|| raw_call().expect("the raw call succeeds"));
    println!(
        "{{\"bench\":\"runtime-connections\",\"calls\":100,\"sdk_new_connections\":{sdk_connections},\"baseline_new_connections\":{raw_connections}}}"
    );
    compare("call", runs, 1_000, sdk_call, raw_call);
}

/// Times `sdk` and `baseline`, `iterations` calls per sample, alternating, and prints one
/// JSON line.
fn compare<A, B, E: fmt::Debug, F: fmt::Debug>(
    case: &str,
    runs: usize,
    iterations: u32,
    mut sdk: impl FnMut() -> Result<A, E>,
    mut baseline: impl FnMut() -> Result<B, F>,
) {
    let mut sdk_ns = Vec::new();
    let mut baseline_ns = Vec::new();
    // One warm-up sample of each, not counted.
    for run in 0..=runs {
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(sdk().expect("the SDK side succeeds"));
        }
        let sdk_sample = started.elapsed().as_nanos() as f64 / f64::from(iterations);
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(baseline().expect("the baseline succeeds"));
        }
        let baseline_sample = started.elapsed().as_nanos() as f64 / f64::from(iterations);
        if run > 0 {
            sdk_ns.push(sdk_sample);
            baseline_ns.push(baseline_sample);
        }
    }
    let (sdk, baseline) = (summary(&mut sdk_ns), summary(&mut baseline_ns));
    println!(
        "{{\"bench\":\"runtime\",\"case\":\"{case}\",\"iterations\":{iterations},\"sdk_ns\":{},\"baseline_ns\":{},\"ratio\":{:.3}}}",
        sdk.0,
        baseline.0,
        sdk.1 / baseline.1
    );
}

/// `{"median":…,"min":…,"max":…,"runs":…}` and the median.
fn summary(samples: &mut [f64]) -> (String, f64) {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let median = if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    };
    (
        format!(
            "{{\"median\":{median:.1},\"min\":{:.1},\"max\":{:.1},\"runs\":{n}}}",
            samples[0],
            samples[n - 1]
        ),
        median,
    )
}

/// The share request, written by hand.
#[derive(Serialize)]
struct ShareRequest {
    #[serde(rename = "POST_ID")]
    post_id: i64,
    #[serde(rename = "DEST")]
    dest: Vec<Dest>,
    #[serde(rename = "USER_ID", skip_serializing_if = "Option::is_none")]
    user_id: Option<i64>,
}

/// The destinations the request uses, written by hand.
enum Dest {
    Group(u64),
    Department(u64),
}

impl Serialize for Dest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Dest::Group(id) => serializer.collect_str(&format_args!("SG{id}")),
            Dest::Department(id) => serializer.collect_str(&format_args!("DR{id}")),
        }
    }
}

/// The share answer, written by hand.
#[derive(Deserialize)]
struct ShareAnswer {
    result: bool,
    #[serde(default)]
    time: Option<AnswerTime>,
}

/// The answer's `time`, written by hand.
#[derive(Deserialize)]
struct AnswerTime {
    start: Option<f64>,
    finish: Option<f64>,
    duration: Option<f64>,
    processing: Option<f64>,
    date_start: Option<String>,
    date_finish: Option<String>,
    operating_reset_at: Option<f64>,
    operating: Option<f64>,
}

impl AnswerTime {
    /// Reads every field, as a caller would (and so that none is dead).
    fn sum(&self) -> f64 {
        let numbers = [
            self.start,
            self.finish,
            self.duration,
            self.processing,
            self.operating_reset_at,
            self.operating,
        ];
        let texts = [&self.date_start, &self.date_finish];
        numbers.iter().flatten().sum::<f64>()
            + texts
                .iter()
                .filter_map(|t| t.as_ref())
                .map(|t| t.len() as f64)
                .sum::<f64>()
    }
}

/// [`AnswerTime::sum`] of the SDK's `Time`.
fn sdk_time_sum(time: &b24_rest::Time) -> f64 {
    let numbers = [
        time.start,
        time.finish,
        time.duration,
        time.processing,
        time.operating_reset_at,
        time.operating,
    ];
    let texts = [&time.date_start, &time.date_finish];
    numbers.iter().flatten().sum::<f64>()
        + texts
            .iter()
            .filter_map(|t| t.as_ref())
            .map(|t| t.len() as f64)
            .sum::<f64>()
}

/// A loopback HTTP/1.1 server that answers every POST with [`ANSWER`], keeping connections
/// alive. It runs as tasks of the benchmark's own single-threaded runtime, so that a call and
/// its answer never wait for another thread to be scheduled (which made loopback timings
/// bimodal, 22 or 80 µs, depending on where the server's threads landed).
async fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            CONNECTIONS.fetch_add(1, Ordering::Relaxed);
            tokio::spawn(serve(stream));
        }
    });
    addr
}

async fn serve(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        ANSWER.len()
    );
    let answer = [head.as_bytes(), ANSWER.as_bytes()].concat();
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        let mut content_length = 0usize;
        loop {
            line.clear();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
        body.resize(content_length, 0);
        if reader.read_exact(&mut body).await.is_err() || writer.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// A hand-written error answer.
#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    error_description: String,
}

/// What a hand-written client makes of the share table's rows (the same rows, in order).
enum HandError {
    Row(&'static str, ErrorAnswer),
    NoPermissionToShareAsUser { user_id: i64, raw: ErrorAnswer },
}

impl fmt::Debug for ErrorAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.error_description)
    }
}

/// The share table as a hand-written `if` per row, every form of it: codes compared ignoring
/// case, texts trimmed and exact ones without a trailing `<br>`, as the SDK does.
fn classify_by_hand(body: &[u8]) -> Option<HandError> {
    let raw: ErrorAnswer = serde_json::from_slice(body).ok()?;
    let code = |codes: &[&str]| {
        codes
            .iter()
            .any(|c| raw.error.trim().eq_ignore_ascii_case(c))
    };
    let text = raw.error_description.trim();
    let bare = ["<br />", "<br/>", "<br>"]
        .iter()
        .find_map(|tag| {
            let cut = text.len().checked_sub(tag.len())?;
            text.is_char_boundary(cut)
                .then(|| &text[cut..])
                .filter(|end| end.eq_ignore_ascii_case(tag))
                .map(|_| text[..cut].trim_end())
        })
        .unwrap_or(text);
    let exact_rows: [(&'static str, &[&str], &str); 5] = [
        ("WrongPostId", &["", "ERROR_ARGUMENT"], "Wrong post ID"),
        (
            "BlogModuleNotInstalled",
            &["", "160"],
            "Blog module not installed",
        ),
        (
            "WrongDestinations",
            &["", "ERROR_ARGUMENT"],
            "Wrong destinations",
        ),
        ("NoReadPermission", &["", "403"], "No read perms"),
        ("PostNotFound", &["ERROR_CORE"], "Empty post."),
    ];
    for (name, codes, expected) in exact_rows {
        if code(codes) && bare == expected {
            return Some(HandError::Row(name, raw));
        }
    }
    let contains_rows: [(&'static str, &[&str], &str); 7] = [
        (
            "NoAccessToRecipients",
            &[""],
            "No access to one or more message recipients",
        ),
        (
            "NoAccessToRecipients",
            &["", "ERROR_CORE"],
            "Access to one or more message recipients was denied",
        ),
        (
            "NoAccessToRecipients",
            &["", "ERROR_CORE"],
            "Нет доступа к одному или нескольким адресатам сообщения",
        ),
        (
            "NoRecipientSpecified",
            &["", "ERROR_CORE"],
            "Please specify at least one person.",
        ),
        (
            "NoRecipientSpecified",
            &[""],
            "Укажите хотя бы одного получателя",
        ),
        (
            "CannotAddressAll",
            &["", "ERROR_CORE"],
            "Conversation cannot be addressed to all, please specify at least one recipient.",
        ),
        (
            "PremoderatedGroups",
            &["", "ERROR_CORE"],
            "Cannot publish items because pre-moderation is enabled in these workgroups:",
        ),
    ];
    for (name, codes, expected) in contains_rows {
        if code(codes) && text.contains(expected) {
            return Some(HandError::Row(name, raw));
        }
    }
    if code(&["", "403"])
        && let Some(user_id) = text
            .strip_prefix("No permissions to share by this user (ID =")
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(|id| id.trim().parse().ok())
    {
        return Some(HandError::NoPermissionToShareAsUser { user_id, raw });
    }
    None
}
