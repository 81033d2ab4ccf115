//! End-to-end tests of the client against the mock portal (`b24_rest::mock`), which answers
//! like a portal and records every request.

use std::time::Duration;

use b24_rest::log::{BlogpostShareError, BlogpostShareRequest};
use b24_rest::mock::{MockAnswer, MockAuth, MockCall, MockPortal};
use b24_rest::shared::Destination;
use b24_rest::{Auth, Client, ConfigError, Error, Retry, SystemError, TransportErrorKind};
use tokio::net::TcpListener;

const CODE: &str = MockPortal::WEBHOOK_CODE;
const TOKEN: &str = MockPortal::ACCESS_TOKEN;
const NEW_TOKEN: &str = "tok3n-NEWER-xyz";

type Outcome = Result<b24_rest::Response<bool>, Error<BlogpostShareError>>;

/// Runs a test body with a time limit.
async fn bounded<F: std::future::Future<Output = ()>>(test: F) {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("test took longer than 30 s");
}

fn post_id(call: &MockCall) -> i64 {
    call.body["POST_ID"].as_i64().expect("POST_ID")
}

fn json(status: u16, body: &str) -> MockAnswer {
    match serde_json::from_str(body) {
        Ok(body) => MockAnswer::json(status, body),
        // Broken JSON travels as it is.
        Err(_) => raw(status, Some("application/json"), body.as_bytes()),
    }
}

fn raw(status: u16, content_type: Option<&str>, body: &[u8]) -> MockAnswer {
    MockAnswer::Raw {
        status,
        content_type: content_type.map(str::to_owned),
        body: body.to_vec(),
    }
}

/// A portal whose `log.blogpost.share` answers what `reply` makes of each call.
fn portal_answering(reply: impl Fn(&MockCall) -> MockAnswer + Send + Sync + 'static) -> MockPortal {
    let portal = MockPortal::start();
    portal.respond_with("log.blogpost.share", reply);
    portal
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
        // The spec's first success example is the portal's default answer.
        let portal = MockPortal::start();
        let client = portal.client();
        let response = share(&client, 217).await.expect("success");
        assert!(response.result);
        let time = response.time.expect("time");
        assert_eq!(time.start, Some(1773814878.0));
        assert_eq!(time.operating, Some(0.284437894821167));
        assert_eq!(time.operating_reset_at, Some(1773815478.0));

        let requests = portal.calls();
        assert_eq!(requests.len(), 1);
        let req = &requests[0];
        assert_eq!(req.http_method, "POST");
        assert_eq!(req.path, format!("/rest/1/{CODE}/log.blogpost.share"));
        assert_eq!(
            req.auth,
            MockAuth::Webhook {
                user_id: 1,
                code_ok: true
            }
        );
        assert_eq!(req.header("content-type"), Some("application/json"));
        assert_eq!(req.header("accept"), Some("application/json"));
        let agent = req.header("user-agent").expect("User-Agent");
        assert_eq!(agent, concat!("b24-rest/", env!("CARGO_PKG_VERSION")));
        assert_eq!(
            String::from_utf8_lossy(&req.raw_body),
            r#"{"POST_ID":217,"DEST":["SG69","DR4"]}"#
        );
        assert_no_secret(&format!("{client:?}"));
    })
    .await;
}

#[tokio::test]
async fn oauth_puts_the_token_last_in_the_body() {
    bounded(async {
        let portal = MockPortal::start();
        portal.accept_token(NEW_TOKEN);
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

        let requests = portal.calls();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].path, "/rest/log.blogpost.share");
        assert_eq!(
            requests[1].auth,
            MockAuth::OAuth {
                token: NEW_TOKEN.to_owned()
            }
        );
        assert_eq!(
            String::from_utf8_lossy(&requests[0].raw_body),
            format!(r#"{{"POST_ID":217,"DEST":["SG69","DR4"],"auth":"{TOKEN}"}}"#)
        );
        assert_eq!(
            String::from_utf8_lossy(&requests[1].raw_body),
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
        let portal = MockPortal::start();
        let client = portal.client();
        let call = client
            .log()
            .blogpost()
            .share(1, vec![Destination::AllUsers]);
        assert_eq!(call.request().post_id, 1);
        let call = call
            .into_call()
            .map_request(|r| BlogpostShareRequest::new(217, r.dest).user_id(3));
        assert_eq!(call.request().user_id, Some(3));
        assert_no_secret(&format!("{call:?}"));
        assert!(call.send().await.expect("success").result);

        let request = BlogpostShareRequest::new(217, vec![Destination::User(1)]);
        assert!(client.send(&request).await.expect("success").result);

        let bodies: Vec<String> = portal
            .calls()
            .iter()
            .map(|r| String::from_utf8_lossy(&r.raw_body).into_owned())
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
        let portal = MockPortal::start();
        let auth = Auth::webhook(&format!("{}/rest/1/wrongcode1/", portal.base_url())).unwrap();
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
        assert_eq!(portal.call_count("log.blogpost.share"), 0);
        assert!(!portal.calls()[0].authorized);
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
        let portal = portal_answering(|req| {
            let id = post_id(req);
            let (_, description, _) = SHARE_ERRORS
                .iter()
                .find(|(n, _, _)| *n == id)
                .expect("known POST_ID");
            MockAnswer::error(400, "", description)
        });
        let client = portal.client();
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
        let portal = portal_answering(|req| match post_id(req) {
            1 => json(
                400,
                r#"{"error":"ERROR_ARGUMENT","error_description":"Wrong post ID","argument":""}"#,
            ),
            2 => MockAnswer::error(400, "160", "Blog module not installed"),
            3 => json(
                400,
                r#"{"error":"ERROR_ARGUMENT","error_description":"Wrong destinations","argument":""}"#,
            ),
            4 => MockAnswer::error(400, "403", "No read perms"),
            5 => MockAnswer::error(400, "ERROR_CORE", "Empty post."),
            6 => MockAnswer::error(400, "ERROR_ARGUMENT", "Something else"),
            _ => MockAnswer::error(400, "", "?"),
        });
        let client = portal.client();
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
        let portal = portal_answering(|req| match post_id(req) {
            1 => MockAnswer::error(
                401,
                "expired_token",
                "The access token provided has expired",
            ),
            2 => MockAnswer::error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"),
            3 => MockAnswer::error(
                401,
                "insufficient_scope",
                "The request requires higher privileges than provided by the webhook token",
            ),
            4 => MockAnswer::error(429, "operation_time_limit", "Method is blocked"),
            _ => MockAnswer::error(500, "INTERNAL_SERVER_ERROR", "Internal server error"),
        });
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
        let portal = portal_answering(move |req| match post_id(req) {
            1 => raw(502, Some("text/html"), html.as_bytes()),
            2 => raw(503, None, b""),
            3 => json(200, r#"{"result": true, "time": {"start": 17738"#),
            4 => json(200, r#"{"result":"yes"}"#),
            _ => json(404, "{}"),
        });
        let client = portal.client();

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
            status,
            excerpt,
            result,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!((*status, excerpt.as_str()), (200, "\"yes\""));
        assert_eq!(result, "\"yes\"", "the whole raw result");
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
        let portal = portal_answering(|req| {
            let page = format!("<p>The requested URL {} was not found.</p>", req.path);
            raw(404, Some("text/html"), page.as_bytes())
        });
        let err = share(&portal.client(), 1).await.unwrap_err();
        let Error::UnexpectedAnswer { excerpt, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(
            excerpt.contains("/rest/1/***/log.blogpost.share"),
            "{excerpt}"
        );
        assert_error_hides_secrets(&err);

        let portal = portal_answering(|req| {
            let MockAuth::OAuth { token } = &req.auth else {
                panic!("an OAuth call")
            };
            MockAnswer::error(400, "", &format!("bad path {:?}", token))
        });
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
        let portal = portal_answering(|req| MockAnswer::Redirect {
            status: 302,
            location: format!("https://evil.example{}", req.path),
        });
        let client = portal.client();
        let err = share(&client, 217).await.unwrap_err();
        let Error::UnexpectedAnswer { status, reason, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*status, 302);
        assert!(reason.contains("evil.example"), "{reason}");
        assert!(!err.may_have_run());
        assert_eq!(portal.calls().len(), 1);
        assert_error_hides_secrets(&err);
    })
    .await;
}

#[tokio::test]
async fn a_stalled_portal_times_out() {
    bounded(async {
        let portal = MockPortal::start();
        portal.push(
            "log.blogpost.share",
            MockAnswer::Stall(Duration::from_secs(60)),
        );
        let client = portal
            .client_builder()
            .timeout(Duration::from_millis(300))
            .build()
            .expect("client");
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
        let portal = MockPortal::start();
        portal.push(
            "log.blogpost.share",
            MockAnswer::Wire(
                b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"result\":".to_vec(),
            ),
        );
        let err = share(&portal.client(), 217).await.unwrap_err();
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
        let portal = portal_answering(move |req| match post_id(req) {
            // Announced by Content-Length: refused before reading.
            1 => MockAnswer::Wire(
                format!("HTTP/1.1 200 OK\r\nContent-Length: {too_big}\r\n\r\n{{\"result\":")
                    .into_bytes(),
            ),
            // Streamed until the connection closes.
            _ => {
                let mut raw =
                    b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"result\":\"".to_vec();
                raw.resize(raw.len() + too_big, b'x');
                MockAnswer::Wire(raw)
            }
        });
        let client = portal.client();
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

/// An `any` parameter goes out with its keys in the order they were written, in a single
/// call's JSON body and in a `batch` command's query string: an `order` map's keys are its
/// sort priority (`{"TITLE": "ASC", "OPPORTUNITY": "DESC"}` sorts by the title first).
#[tokio::test]
async fn an_any_parameter_keeps_its_key_order_on_the_wire() {
    use b24_rest::log::BlogpostAddRequest;

    bounded(async {
        let portal = MockPortal::start();
        let client = portal.client();
        let order = serde_json::json!({"TITLE": "ASC", "OPPORTUNITY": "DESC", "ID": "ASC"});
        let parsed: serde_json::Value =
            serde_json::from_str(r#"{"Z": 1, "B": {"Y": 2, "A": 3}}"#).expect("json");
        client
            .log()
            .blogpost()
            .add("text")
            .uf_gratitude(order.clone())
            .uf_blog_post_vote(parsed)
            .await
            .expect("success");
        let calls = portal.calls();
        let body = String::from_utf8_lossy(&calls[0].raw_body).into_owned();
        assert!(
            body.contains(r#""UF_GRATITUDE":{"TITLE":"ASC","OPPORTUNITY":"DESC","ID":"ASC"}"#),
            "{body}"
        );
        assert!(
            body.contains(r#""UF_BLOG_POST_VOTE":{"Z":1,"B":{"Y":2,"A":3}}"#),
            "{body}"
        );

        let mut batch = client.batch();
        batch.add(BlogpostAddRequest::new("text").uf_gratitude(order));
        batch.send().await;
        let command = portal
            .calls()
            .into_iter()
            .find(|call| call.batch_key.is_some())
            .expect("the command");
        let keys: Vec<&str> = command.body["UF_GRATITUDE"]
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["TITLE", "OPPORTUNITY", "ID"]);
    })
    .await;
}
