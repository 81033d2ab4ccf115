//! End-to-end tests of the client against a local HTTP/1.1 server that answers like a portal.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use b24_rest::log::{BlogpostShareError, BlogpostShareRequest};
use b24_rest::{
    Auth, Client, ConfigError, Destination, Error, Retry, SystemError, TransportErrorKind,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const CODE: &str = "s3cr3tc0de1234xy";
const TOKEN: &str = "tok3n-SECRET-abc";
const NEW_TOKEN: &str = "tok3n-NEWER-xyz";

/// The success body from the official page.
const SHARE_OK: &str = r#"{
    "result": true,
    "time": {
        "start": 1773814878,
        "finish": 1773814878.602921,
        "duration": 0.6029210090637207,
        "processing": 0,
        "date_start": "2026-03-18T09:21:18+02:00",
        "date_finish": "2026-03-18T09:21:18+02:00",
        "operating_reset_at": 1773815478,
        "operating": 0.284437894821167
    }
}"#;

type Outcome = Result<b24_rest::Response<bool>, Error<BlogpostShareError>>;

/// Runs a test body with a time limit.
async fn bounded<F: std::future::Future<Output = ()>>(test: F) {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("test took longer than 30 s");
}

/// One request as the server received it.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }

    fn post_id(&self) -> i64 {
        self.json()["POST_ID"].as_i64().expect("POST_ID")
    }
}

/// What the server does with a request.
enum Reply {
    /// A complete answer with `Content-Length`.
    Answer {
        status: u16,
        content_type: Option<&'static str>,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// These exact bytes, then the connection is closed.
    Raw(Vec<u8>),
    /// No answer at all.
    Stall,
}

fn json(status: u16, body: &str) -> Reply {
    Reply::Answer {
        status,
        content_type: Some("application/json; charset=utf-8"),
        headers: Vec::new(),
        body: body.as_bytes().to_vec(),
    }
}

fn error_body(code: &str, description: &str) -> String {
    serde_json::json!({ "error": code, "error_description": description }).to_string()
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A loopback server on a random port that records every request.
struct Portal {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl Portal {
    async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Portal {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handler = Arc::clone(&handler);
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let _ = serve(stream, handler, recorded).await;
                });
            }
        });
        Portal {
            addr,
            requests,
            task,
        }
    }

    /// A portal that checks credentials like a real one and then answers `reply`.
    async fn checking(reply: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Portal {
        Portal::start(move |req| {
            let webhook = req.path == format!("/rest/1/{CODE}/log.blogpost.share");
            let oauth = req.path == "/rest/log.blogpost.share"
                && matches!(req.json()["auth"].as_str(), Some(TOKEN | NEW_TOKEN));
            if webhook || oauth {
                reply(req)
            } else {
                json(
                    401,
                    &error_body("NO_AUTH_FOUND", "Wrong authorization data"),
                )
            }
        })
        .await
    }

    fn webhook_url(&self) -> String {
        format!("http://{}/rest/1/{CODE}/", self.addr)
    }

    fn portal_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn webhook_client(&self) -> Client {
        self.webhook_client_with(Duration::from_secs(10))
    }

    fn webhook_client_with(&self, timeout: Duration) -> Client {
        let auth = Auth::webhook(&self.webhook_url()).expect("webhook URL");
        Client::builder(auth)
            .timeout(timeout)
            .no_proxy()
            .build()
            .expect("client")
    }

    fn oauth_client(&self) -> Client {
        let auth = Auth::oauth(&self.portal_url(), TOKEN).expect("portal URL");
        Client::builder(auth)
            .timeout(Duration::from_secs(10))
            .no_proxy()
            .build()
            .expect("client")
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: Arc<Handler>,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let reply = handler(&request);
    recorded.lock().expect("lock").push(request);
    match reply {
        Reply::Answer {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            if let Some(ct) = content_type {
                head.push_str(&format!("Content-Type: {ct}\r\n"));
            }
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
        }
        Reply::Raw(bytes) => stream.write_all(&bytes).await?,
        Reply::Stall => tokio::time::sleep(Duration::from_secs(60)).await,
    }
    stream.shutdown().await
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Recorded>> {
    let mut buf = Vec::new();
    let mut chunk = [0_u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let path = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Recorded {
        method,
        path,
        headers,
        body: buf[head_end..head_end + length].to_vec(),
    }))
}

/// Neither the webhook code nor a token may appear in anything printed.
fn assert_no_secret(text: &str) {
    for secret in [CODE, TOKEN, NEW_TOKEN] {
        assert!(!text.contains(secret), "secret leaked: {text}");
    }
}

fn assert_error_hides_secrets(err: &Error<BlogpostShareError>) {
    assert_no_secret(&format!("{err}"));
    assert_no_secret(&format!("{err:?}"));
    assert_no_secret(&format!("{err:#?}"));
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        assert_no_secret(&format!("{cause} {cause:?}"));
        source = cause.source();
    }
}

fn dest() -> Vec<Destination> {
    vec!["SG69".parse().expect("SG69"), "DR4".parse().expect("DR4")]
}

async fn share(client: &Client, post_id: i64) -> Outcome {
    client.log().blogpost().share(post_id, dest()).await
}

#[tokio::test]
async fn webhook_success_sends_the_documented_request() {
    bounded(async {
        let portal = Portal::checking(|_| json(200, SHARE_OK)).await;
        let client = portal.webhook_client();
        let response = share(&client, 217).await.expect("success");
        assert!(response.result);
        let time = response.time.expect("time");
        assert_eq!(time.start, Some(1773814878.0));
        assert_eq!(time.operating, Some(0.284437894821167));
        assert_eq!(time.operating_reset_at, Some(1773815478.0));

        let requests = portal.requests();
        assert_eq!(requests.len(), 1);
        let req = &requests[0];
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, format!("/rest/1/{CODE}/log.blogpost.share"));
        assert_eq!(req.header("content-type"), Some("application/json"));
        assert_eq!(req.header("accept"), Some("application/json"));
        let agent = req.header("user-agent").expect("User-Agent");
        assert_eq!(agent, concat!("b24-rest/", env!("CARGO_PKG_VERSION")));
        assert_eq!(
            String::from_utf8_lossy(&req.body),
            r#"{"POST_ID":217,"DEST":["SG69","DR4"]}"#
        );
        assert_no_secret(&format!("{client:?}"));
    })
    .await;
}

#[tokio::test]
async fn oauth_puts_the_token_last_in_the_body() {
    bounded(async {
        let portal = Portal::checking(|_| json(200, SHARE_OK)).await;
        let client = portal.oauth_client();
        assert!(share(&client, 217).await.expect("success").result);

        // A replaced token is used by every clone from the next call on.
        let clone = client.clone();
        client.set_access_token(NEW_TOKEN).expect("oauth client");
        let response = clone
            .log()
            .blogpost()
            .share(217, vec![Destination::Group(69)])
            .user_id(5)
            .await
            .expect("success");
        assert!(response.result);

        let requests = portal.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].path, "/rest/log.blogpost.share");
        assert_eq!(
            String::from_utf8_lossy(&requests[0].body),
            format!(r#"{{"POST_ID":217,"DEST":["SG69","DR4"],"auth":"{TOKEN}"}}"#)
        );
        assert_eq!(
            String::from_utf8_lossy(&requests[1].body),
            format!(r#"{{"POST_ID":217,"DEST":["SG69"],"USER_ID":5,"auth":"{NEW_TOKEN}"}}"#)
        );
        assert_eq!(requests[1].header("accept"), Some("application/json"));
        assert_no_secret(&format!("{client:?} {clone:?}"));
    })
    .await;
}

#[tokio::test]
async fn call_send_and_map_request() {
    bounded(async {
        let portal = Portal::checking(|_| json(200, SHARE_OK)).await;
        let client = portal.webhook_client();
        let call = client
            .log()
            .blogpost()
            .share(1, vec![Destination::AllUsers]);
        assert_eq!(call.request().post_id, 1);
        let call = call.map_request(|r| BlogpostShareRequest::new(217, r.dest).user_id(3));
        assert_eq!(call.request().user_id, Some(3));
        assert_no_secret(&format!("{call:?}"));
        assert!(call.send().await.expect("success").result);

        let request = BlogpostShareRequest::new(217, vec![Destination::User(1)]);
        assert!(client.send(&request).await.expect("success").result);

        let bodies: Vec<String> = portal
            .requests()
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect();
        assert_eq!(
            bodies,
            [
                r#"{"POST_ID":217,"DEST":["UA"],"USER_ID":3}"#,
                r#"{"POST_ID":217,"DEST":["U1"]}"#
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn wrong_credentials_are_no_auth_found() {
    bounded(async {
        let portal = Portal::checking(|_| json(200, SHARE_OK)).await;
        let auth = Auth::webhook(&format!("http://{}/rest/1/wrongcode1/", portal.addr)).unwrap();
        let client = Client::builder(auth).no_proxy().build().unwrap();
        let err = share(&client, 217).await.unwrap_err();
        let Error::System(SystemError::NoAuthFound(meta)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(meta.status(), 401);
        assert_eq!(meta.code(), "NO_AUTH_FOUND");
        assert_eq!(meta.description(), "Wrong authorization data");
        assert!(!err.may_have_run());
        assert_error_hides_secrets(&err);
    })
    .await;
}

/// (POST_ID, description) → expected variant; every answer is HTTP 400 with `"error": ""`.
const SHARE_ERRORS: &[(i64, &str, &str)] = &[
    (1, "Wrong post ID", "WrongPostId"),
    (2, "Blog module not installed", "BlogModuleNotInstalled"),
    (3, "Wrong destinations", "WrongDestinations"),
    (4, "No read perms", "NoReadPermission"),
    (
        5,
        "Access to one or more message recipients was denied",
        "NoAccessToRecipients",
    ),
    (
        6,
        "Укажите хотя бы одного получателя<br>Нет доступа к одному или нескольким адресатам сообщения",
        "NoAccessToRecipients",
    ),
    (
        7,
        "No permissions to share by this user (ID =12)",
        "NoPermissionToShareAsUser",
    ),
    (8, "Something nobody documented", "Unhandled"),
];

#[tokio::test]
async fn share_errors_are_typed_by_description() {
    bounded(async {
        let portal = Portal::checking(|req| {
            let id = req.post_id();
            let (_, description, _) = SHARE_ERRORS
                .iter()
                .find(|(n, _, _)| *n == id)
                .expect("known POST_ID");
            json(400, &error_body("", description))
        })
        .await;
        let client = portal.webhook_client();
        for (post_id, description, variant) in SHARE_ERRORS {
            let err = share(&client, *post_id).await.unwrap_err();
            assert_eq!(err.variant_name(), *variant, "{description}");
            assert!(matches!(err, Error::Method(_)), "{err:?}");
            assert_eq!(err.status(), Some(400));
            let meta = err.meta().expect("meta");
            assert_eq!(meta.status(), 400);
            assert_eq!(meta.code(), "");
            assert_eq!(meta.description(), *description);
            assert!(!err.may_have_run());
            assert_error_hides_secrets(&err);
        }
        let err = share(&client, 4).await.unwrap_err();
        assert!(
            matches!(&err, Error::Method(BlogpostShareError::NoReadPermission(meta)) if meta.description() == "No read perms"),
            "{err:?}"
        );
        assert!(err.to_string().contains("No read perms"), "{err}");
        let err = share(&client, 7).await.unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Method(BlogpostShareError::NoPermissionToShareAsUser { user_id: 12, .. })
            ),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn old_server_codes_are_recognised_with_extra_keys() {
    bounded(async {
        let portal = Portal::checking(|req| match req.post_id() {
            1 => json(
                400,
                r#"{"error":"ERROR_ARGUMENT","error_description":"Wrong post ID","argument":""}"#,
            ),
            2 => json(400, &error_body("160", "Blog module not installed")),
            3 => json(
                400,
                r#"{"error":"ERROR_ARGUMENT","error_description":"Wrong destinations","argument":""}"#,
            ),
            4 => json(400, &error_body("403", "No read perms")),
            5 => json(400, &error_body("ERROR_CORE", "Empty post.")),
            6 => json(400, &error_body("ERROR_ARGUMENT", "Something else")),
            _ => json(400, &error_body("", "?")),
        })
        .await;
        let client = portal.webhook_client();
        let expected = [
            (1, "WrongPostId", "ERROR_ARGUMENT"),
            (2, "BlogModuleNotInstalled", "160"),
            (3, "WrongDestinations", "ERROR_ARGUMENT"),
            (4, "NoReadPermission", "403"),
            (5, "PostNotFound", "ERROR_CORE"),
            (6, "Unhandled", "ERROR_ARGUMENT"),
        ];
        for (post_id, variant, code) in expected {
            let err = share(&client, post_id).await.unwrap_err();
            assert_eq!(err.variant_name(), variant);
            let meta = err.meta().expect("meta");
            assert_eq!(meta.code(), code);
            assert_eq!(meta.status(), 400);
            assert_error_hides_secrets(&err);
        }
        let err = share(&client, 1).await.unwrap_err();
        assert_eq!(
            err.meta().unwrap().extra().get("argument"),
            Some(&serde_json::Value::String(String::new()))
        );
    })
    .await;
}

#[tokio::test]
async fn system_errors_in_either_case() {
    bounded(async {
        let portal = Portal::checking(|req| match req.post_id() {
            1 => json(
                401,
                &error_body("expired_token", "The access token provided has expired"),
            ),
            2 => json(
                503,
                &error_body("QUERY_LIMIT_EXCEEDED", "Too many requests"),
            ),
            3 => json(
                401,
                &error_body(
                    "insufficient_scope",
                    "The request requires higher privileges than provided by the webhook token",
                ),
            ),
            4 => json(
                429,
                &error_body("operation_time_limit", "Method is blocked"),
            ),
            _ => json(
                500,
                &error_body("INTERNAL_SERVER_ERROR", "Internal server error"),
            ),
        })
        .await;
        let client = portal.oauth_client();

        let err = share(&client, 1).await.unwrap_err();
        let Error::System(system @ SystemError::ExpiredToken(meta)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!((meta.status(), meta.code()), (401, "expired_token"));
        assert_eq!(system.retry(), Retry::AfterTokenRefresh);
        assert_error_hides_secrets(&err);

        let err = share(&client, 2).await.unwrap_err();
        let Error::System(system @ SystemError::QueryLimitExceeded(meta)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!((meta.status(), meta.code()), (503, "QUERY_LIMIT_EXCEEDED"));
        assert_eq!(meta.description(), "Too many requests");
        assert_eq!(system.retry(), Retry::Backoff);
        assert!(!err.may_have_run());

        let err = share(&client, 3).await.unwrap_err();
        let Error::System(system @ SystemError::InsufficientScope(meta)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(meta.status(), 401);
        assert_eq!(system.documented_status(), 403);
        assert_eq!(system.retry(), Retry::Never);

        let err = share(&client, 4).await.unwrap_err();
        assert_eq!(err.variant_name(), "OperationTimeLimit");
        assert_eq!(err.meta().unwrap().code(), "operation_time_limit");

        let err = share(&client, 5).await.unwrap_err();
        assert_eq!(err.variant_name(), "InternalServerError");
        assert!(err.may_have_run());
        assert_error_hides_secrets(&err);
    })
    .await;
}

#[tokio::test]
async fn answers_that_are_not_rest_answers() {
    bounded(async {
        let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>\r\n</html>\r\n";
        let portal = Portal::checking(move |req| match req.post_id() {
            1 => Reply::Answer {
                status: 502,
                content_type: Some("text/html"),
                headers: Vec::new(),
                body: html.as_bytes().to_vec(),
            },
            2 => Reply::Answer {
                status: 503,
                content_type: None,
                headers: Vec::new(),
                body: Vec::new(),
            },
            3 => json(200, r#"{"result": true, "time": {"start": 17738"#),
            4 => json(200, r#"{"result":"yes"}"#),
            _ => json(404, "{}"),
        })
        .await;
        let client = portal.webhook_client();

        let err = share(&client, 1).await.unwrap_err();
        let Error::UnexpectedAnswer {
            status,
            content_type,
            excerpt,
            reason,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(*status, 502);
        assert_eq!(content_type.as_deref(), Some("text/html"));
        assert!(excerpt.starts_with("<html>\\r\\n<head><title>502 Bad Gateway"), "{excerpt}");
        assert!(reason.contains("HTML"), "{reason}");
        assert!(err.may_have_run());
        assert_eq!(err.status(), Some(502));
        assert_error_hides_secrets(&err);

        let err = share(&client, 2).await.unwrap_err();
        let Error::UnexpectedAnswer {
            status,
            excerpt,
            reason,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!((*status, excerpt.as_str(), reason.as_str()), (503, "", "empty body"));
        assert!(err.may_have_run());

        let err = share(&client, 3).await.unwrap_err();
        let Error::UnexpectedAnswer { status, reason, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*status, 200);
        assert!(reason.contains("truncated"), "{reason}");

        let err = share(&client, 4).await.unwrap_err();
        let Error::Decode {
            status, excerpt, ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!((*status, excerpt.as_str()), (200, "\"yes\""));
        assert!(err.may_have_run());

        let err = share(&client, 5).await.unwrap_err();
        assert_eq!(err.variant_name(), "UnexpectedAnswer");
        assert_eq!(err.status(), Some(404));
        assert!(!err.may_have_run());
    })
    .await;
}

#[tokio::test]
async fn a_page_echoing_the_url_does_not_leak_the_code() {
    bounded(async {
        let portal = Portal::start(|req| Reply::Answer {
            status: 404,
            content_type: Some("text/html"),
            headers: Vec::new(),
            body: format!("<p>The requested URL {} was not found.</p>", req.path).into_bytes(),
        })
        .await;
        let err = share(&portal.webhook_client(), 1).await.unwrap_err();
        let Error::UnexpectedAnswer { excerpt, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(
            excerpt.contains("/rest/1/***/log.blogpost.share"),
            "{excerpt}"
        );
        assert_error_hides_secrets(&err);

        let portal = Portal::start(|req| {
            json(
                400,
                &error_body("", &format!("bad path {}", req.json()["auth"])),
            )
        })
        .await;
        let err = share(&portal.oauth_client(), 1).await.unwrap_err();
        assert_eq!(err.variant_name(), "Unhandled");
        assert_eq!(err.meta().unwrap().description(), "bad path \"***\"");
        assert_error_hides_secrets(&err);
    })
    .await;
}

#[tokio::test]
async fn redirects_are_not_followed() {
    bounded(async {
        let portal = Portal::start(|req| Reply::Answer {
            status: 302,
            content_type: Some("text/html"),
            headers: vec![("Location", format!("https://evil.example{}", req.path))],
            body: b"<a href=\"elsewhere\">moved</a>".to_vec(),
        })
        .await;
        let client = portal.webhook_client();
        let err = share(&client, 217).await.unwrap_err();
        let Error::UnexpectedAnswer { status, reason, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*status, 302);
        assert!(reason.contains("evil.example"), "{reason}");
        assert!(!err.may_have_run());
        assert_eq!(portal.requests().len(), 1);
        assert_error_hides_secrets(&err);
    })
    .await;
}

#[tokio::test]
async fn a_stalled_portal_times_out() {
    bounded(async {
        let portal = Portal::start(|_| Reply::Stall).await;
        let client = portal.webhook_client_with(Duration::from_millis(300));
        let err = share(&client, 217).await.unwrap_err();
        let Error::Transport(transport) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(transport.kind(), TransportErrorKind::Timeout);
        assert!(transport.may_have_run());
        assert!(err.may_have_run());
        assert_eq!(err.status(), None);
        assert_error_hides_secrets(&err);
    })
    .await;
}

#[tokio::test]
async fn a_connection_cut_mid_body_may_have_run() {
    bounded(async {
        let portal = Portal::start(|_| {
            Reply::Raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\":".to_vec())
        })
        .await;
        let err = share(&portal.webhook_client(), 217).await.unwrap_err();
        let Error::Transport(transport) = &err else {
            panic!("{err:?}")
        };
        assert!(transport.may_have_run(), "{transport:?}");
        assert_eq!(transport.status(), Some(200));
        assert_error_hides_secrets(&err);
    })
    .await;
}

#[tokio::test]
async fn refused_connections_never_ran() {
    bounded(async {
        let addr = {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            listener.local_addr().expect("address")
        };
        let auth = Auth::webhook(&format!("http://{addr}/rest/1/{CODE}/")).unwrap();
        let client = Client::builder(auth)
            .connect_timeout(Duration::from_secs(5))
            .no_proxy()
            .build()
            .unwrap();
        let err = share(&client, 217).await.unwrap_err();
        let Error::Transport(transport) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(transport.kind(), TransportErrorKind::Connect);
        assert!(!transport.may_have_run());
        assert!(!err.may_have_run());
        assert_error_hides_secrets(&err);
    })
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    bounded(async {
        let too_big = b24_rest::MAX_BODY_BYTES + 1;
        let portal = Portal::start(move |req| match req.post_id() {
            // Announced by Content-Length: refused before reading.
            1 => Reply::Raw(
                format!("HTTP/1.1 200 OK\r\nContent-Length: {too_big}\r\n\r\n{{\"result\":")
                    .into_bytes(),
            ),
            // Streamed until the connection closes.
            _ => {
                let mut raw =
                    b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"result\":\"".to_vec();
                raw.resize(raw.len() + too_big, b'x');
                Reply::Raw(raw)
            }
        })
        .await;
        let client = portal.webhook_client();
        for post_id in [1, 2] {
            let err = share(&client, post_id).await.unwrap_err();
            let Error::Transport(transport) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(transport.kind(), TransportErrorKind::BodyTooLarge);
            assert_eq!(transport.status(), Some(200));
            assert!(err.may_have_run());
            assert_error_hides_secrets(&err);
        }
    })
    .await;
}

#[test]
fn config_errors_and_debug_output_hide_secrets() {
    let client = Client::webhook(&format!("https://portal.example/rest/1/{CODE}/")).unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.contains("https://portal.example/rest/1/***/"),
        "{shown}"
    );
    assert_no_secret(&shown);
    assert_no_secret(&format!("{client:#?}"));
    let client = Client::oauth("https://portal.example", TOKEN).unwrap();
    assert_no_secret(&format!("{client:?} {client:#?}"));
    let auth = Auth::oauth("https://portal.example/rest/", TOKEN).unwrap();
    let builder = Client::builder(auth.clone()).timeout(Duration::from_secs(1));
    assert_no_secret(&format!("{auth:?} {builder:?}"));

    for url in [
        format!("http://portal.example/rest/1/{CODE}/"),
        format!("https://portal.example/rest/1/{CODE}/?x"),
        format!("https://portal.example/rest/x/{CODE}/"),
        format!("https://portal.example/rest/1/{CODE}/log.blogpost.share"),
        format!("https://{CODE}@portal.example/rest/1/{CODE}/"),
        format!("https:://portal.example/rest/1/{CODE}/"),
        format!("https://portal .example/rest/1/{CODE}/"),
    ] {
        let err: ConfigError = Client::webhook(&url).unwrap_err();
        assert_no_secret(&format!("{err} {err:?}"));
    }
    let err = Client::webhook(&format!("http://portal.example/rest/1/{CODE}/")).unwrap_err();
    assert!(err.to_string().contains("https"), "{err}");
}

#[test]
fn destinations_parse_strictly() {
    let ok: Vec<Destination> = ["SG69", "U1", "UA", "DR4", "UEfriend@example.com"]
        .iter()
        .map(|s| s.parse().expect(s))
        .collect();
    let shown: Vec<String> = ok.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["SG69", "U1", "UA", "DR4", "UEfriend@example.com"]);
    let err = "sg69".parse::<Destination>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid Destination `sg69`: no form matches; expected one of SG<id>, U<id>, UA, DR<id>, UE<text>"
    );
    for bad in [
        "", "D5", "G2", "AU", "SG", "SG069", "SG-1", "UA1", "UE", "U",
    ] {
        assert!(bad.parse::<Destination>().is_err(), "{bad}");
    }
}
