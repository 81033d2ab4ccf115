//! The mock portal itself: spec-derived answers, scripts, credentials and the record of calls,
//! driven from a plain `#[test]` (the portal brings its own runtime).

use std::time::Duration;

use b24_rest::log::{BlogpostShareError, BlogpostShareRequest};
use b24_rest::mock::{MockAnswer, MockAuth, MockPortal};
use b24_rest::shared::Destination;
use b24_rest::{Error, Method, SystemError};
use serde_json::json;

const SHARE: &str = "log.blogpost.share";

/// A runtime of the test's own, bounded in time, for the client side.
fn run<T>(test: impl std::future::Future<Output = T>) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(20), test)
            .await
            .expect("the test ran past its time limit")
    })
}

#[test]
fn answers_come_from_the_spec() {
    assert_eq!(
        MockAnswer::example::<BlogpostShareRequest>("Wrong destinations"),
        MockAnswer::json(
            400,
            json!({"error": "", "error_description": "Wrong destinations"})
        )
    );
    assert_eq!(
        MockAnswer::example::<BlogpostShareRequest>(0),
        MockAnswer::example::<BlogpostShareRequest>("Recipients added")
    );
    assert_eq!(
        MockAnswer::error_row::<BlogpostShareRequest>("NoPermissionToShareAsUser"),
        MockAnswer::error(400, "", "No permissions to share by this user (ID =42)")
    );
    assert_eq!(
        MockAnswer::system_error("query_limit_exceeded"),
        MockAnswer::error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
    );
    let unknown =
        std::panic::catch_unwind(|| MockAnswer::error_row::<BlogpostShareRequest>("Nope"));
    let message = *unknown
        .expect_err("no such row")
        .downcast::<String>()
        .expect("text");
    assert!(message.contains("WrongPostId"), "{message}");
}

/// A typo in a row name panics with every valid name of the method's table, and a method
/// without a spec says so instead of listing nothing.
#[test]
fn a_mistyped_error_row_names_the_valid_ones() {
    let panic_text = |f: fn() -> MockAnswer| -> String {
        let payload = std::panic::catch_unwind(f).expect_err("no such row");
        *payload.downcast::<String>().expect("a formatted message")
    };
    let message = panic_text(|| MockAnswer::error_row::<BlogpostShareRequest>("WrongPostID"));
    assert!(message.contains("`WrongPostID`"), "{message}");
    for row in [
        "WrongPostId",
        "NoReadPermission",
        "NoPermissionToShareAsUser",
    ] {
        assert!(message.contains(row), "{row} missing from: {message}");
    }

    #[derive(serde::Serialize)]
    struct Unspecified;
    impl Method for Unspecified {
        const NAME: &'static str = "test.unspecified";
        const SAFE_TO_REPEAT: bool = true;
        const BATCH: bool = true;
        type Output = bool;
        type Error = BlogpostShareError;
    }
    let message = panic_text(|| MockAnswer::error_row::<Unspecified>("Anything"));
    assert!(
        message.contains("`test.unspecified` has no spec") && message.contains("MockAnswer::error"),
        "{message}"
    );
}

#[test]
fn scripts_defaults_and_credentials() {
    let portal = MockPortal::start();
    let client = portal.client();
    let share = |id| {
        client
            .log()
            .blogpost()
            .share(id, vec![Destination::AllUsers])
    };
    run(async {
        // Queue first, then the default, then the spec's first success example.
        portal.push(
            SHARE,
            MockAnswer::error_row::<BlogpostShareRequest>("NoReadPermission"),
        );
        portal.set_default(SHARE, MockAnswer::success::<BlogpostShareRequest>(&false));
        let err = share(1).await.unwrap_err();
        assert!(
            matches!(err, Error::Method(BlogpostShareError::NoReadPermission(_))),
            "{err:?}"
        );
        assert!(!share(2).await.expect("the default").result);

        // Every decoded example, answered by the portal, decodes as the spec says.
        let examples = [
            ("Recipients added", Ok(true)),
            ("Wrong post ID from an older server", Err("WrongPostId")),
            ("Expired OAuth token", Err("ExpiredToken")),
        ];
        for (name, expected) in examples {
            portal.push(SHARE, MockAnswer::example::<BlogpostShareRequest>(name));
            let outcome = share(3).await.map(|r| r.result);
            match (outcome, expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{name}"),
                (Err(err), Err(variant)) => assert_eq!(err.variant_name(), variant, "{name}"),
                (got, want) => panic!("{name}: {got:?}, expected {want:?}"),
            }
        }

        // A method no spec describes.
        #[derive(serde::Serialize)]
        struct Unknown;
        impl Method for Unknown {
            const NAME: &'static str = "no.such.method";
            const SAFE_TO_REPEAT: bool = true;
            const BATCH: bool = true;
            type Output = bool;
            type Error = BlogpostShareError;
        }
        let err = client.send(&Unknown).await.unwrap_err();
        assert_eq!(err.meta().expect("meta").code(), "ERROR_METHOD_NOT_FOUND");
        assert_eq!(err.status(), Some(404));

        // An unknown token is refused and does not use up the script.
        portal.push(SHARE, MockAnswer::success::<BlogpostShareRequest>(&true));
        let stranger = portal.oauth_client_builder().build().expect("client");
        stranger.set_access_token("unknown-token").expect("oauth");
        let err = stranger
            .log()
            .blogpost()
            .share(4, vec![Destination::AllUsers])
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::System(SystemError::NoAuthFound(_))),
            "{err:?}"
        );
        assert!(
            portal
                .oauth_client()
                .log()
                .blogpost()
                .share(5, Vec::<Destination>::new())
                .await
                .expect("ok")
                .result
        );
    });
    let calls = portal.calls();
    assert_eq!(calls.len(), 8);
    assert_eq!(portal.call_count(SHARE), 6);
    assert_eq!(portal.call_count("no.such.method"), 1);
    assert_eq!(
        calls[6].auth,
        MockAuth::OAuth {
            token: "unknown-token".to_owned()
        }
    );
    assert!(!calls[6].authorized);
    assert_eq!(
        calls[7].body,
        json!({"POST_ID": 5, "DEST": []}),
        "`auth` is not a parameter"
    );
    assert_eq!(calls[0].header("content-type"), Some("application/json"));
}

#[test]
fn a_webhook_url_is_all_another_process_needs() {
    let portal = MockPortal::start();
    let url = portal.webhook_url();
    assert!(url.starts_with(&portal.base_url()));
    assert!(url.ends_with(&format!("/rest/1/{}/", MockPortal::WEBHOOK_CODE)));
    // A plain HTTP client, as a CLI or another language would use: `.json` suffix, no
    // `Content-Type`, the token in the query.
    let answer = run(async {
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        let by_webhook = http
            .post(format!("{url}log.blogpost.share.json"))
            .body(r#"{"POST_ID":1,"DEST":["UA"]}"#)
            .send()
            .await
            .expect("answer");
        let status = by_webhook.status().as_u16();
        let by_query = http
            .post(format!(
                "{}/rest/log.blogpost.share?auth={}",
                portal.base_url(),
                MockPortal::ACCESS_TOKEN
            ))
            .send()
            .await
            .expect("answer");
        (status, by_query.status().as_u16())
    });
    assert_eq!(answer, (200, 200));
    assert_eq!(portal.call_count(SHARE), 2);
    drop(portal);
}
