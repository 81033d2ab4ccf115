//! Nothing the server sends is lost (issue 13): an object that keeps other keys (`BlogPost`)
//! reads what real portals send, typed where it fits and raw where it does not, and a
//! `Decode` error that remains carries the whole raw `result`.

use std::time::Duration;

use b24_rest::log::{BlogpostGetError, BlogpostGetRequest};
use b24_rest::mock::{MockAnswer, MockPortal};
use b24_rest::shared::{BlogPost, YesNo};
use b24_rest::{Error, Id};
use serde_json::{Value, json};

fn run<T>(test: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            tokio::time::timeout(Duration::from_secs(20), test)
                .await
                .expect("in time")
        })
}

/// A record as portals send it: ids and counts as strings or numbers, "no value" four ways,
/// a flag as `false` where the page says `Y`/`N`, a text as a number, custom keys.
fn odd_record() -> Value {
    json!({
        "ID": "217",
        "BLOG_ID": 5,
        "TITLE": 123,
        "CODE": "",
        "NUM_COMMENTS": "",
        "ENABLE_COMMENTS": false,
        "MICRO": "N",
        "HAS_TAGS": [],
        "DATE_PUBLISH": {},
        "FILES": false,
        "UF_BLOG_POST_DOC": "not a field descriptor",
        "UF_CRM_NEW": {"VALUE": [1, 2]},
        "ufCrm11_1712074666": "x"
    })
}

#[test]
fn a_lenient_object_keeps_every_key_and_value() {
    let sent = odd_record();
    let post: BlogPost = serde_json::from_value(sent.clone()).expect("never fails on odd values");
    assert_eq!(post.id, Id(217));
    assert_eq!(post.blog_id, Some(Id(5)));
    assert_eq!(
        post.title.as_deref(),
        Some("123"),
        "a number where a text is expected"
    );
    assert_eq!(post.code.as_deref(), Some(""), "the empty text is a text");
    assert_eq!(post.micro, Some(YesNo::No));
    assert_eq!(
        (post.num_comments, &post.enable_comments, &post.has_tags),
        (None, &None, &None)
    );
    assert!(post.date_publish.is_none() && post.files.is_empty());
    assert!(post.uf_blog_post_doc.is_none());
    // What did not fit, or said "no value", is there as sent; so is every unknown key.
    for key in [
        "NUM_COMMENTS",
        "ENABLE_COMMENTS",
        "HAS_TAGS",
        "DATE_PUBLISH",
        "FILES",
        "UF_BLOG_POST_DOC",
        "UF_CRM_NEW",
        "ufCrm11_1712074666",
    ] {
        assert_eq!(post.custom_fields.get(key), Some(&sent[key]), "{key}");
    }
    assert_eq!(post.custom_fields.len(), 8);
    // And it writes back what it read.
    let written = serde_json::to_value(&post).expect("serializes");
    for key in ["NUM_COMMENTS", "UF_CRM_NEW", "FILES"] {
        assert_eq!(written[key], sent[key], "{key}");
    }
}

#[test]
fn a_list_of_lenient_objects_decodes_through_the_client() {
    let portal = MockPortal::start();
    let client = portal.client();
    // `[]` where a record is expected is an empty record only if it has no required field:
    // `ID` is required, so the second answer fails, with the whole result in the error.
    portal.push(
        "log.blogpost.get",
        MockAnswer::json(200, json!({"result": [odd_record()], "total": 1})),
    );
    let long = "y".repeat(2000);
    let bad = json!({"result": [{"ID": "", "DETAIL_TEXT": long}], "total": 1});
    portal.push("log.blogpost.get", MockAnswer::json(200, bad.clone()));
    run(async {
        let answer = client.log().blogpost().get().await.expect("decodes");
        assert_eq!(answer.result[0].id, Id(217));
        assert_eq!(answer.result[0].custom_fields["ufCrm11_1712074666"], "x");

        let err: Error<BlogpostGetError> = client.log().blogpost().get().await.unwrap_err();
        let Error::Decode {
            message, result, ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert!(message.contains("ID"), "{message}");
        let result: Value = serde_json::from_str(result).expect("the raw result is JSON");
        assert_eq!(result, bad["result"]);
        assert!(err.to_string().len() < 1000, "Display shows an excerpt");
    });
    let _ = BlogpostGetRequest::new();
}
