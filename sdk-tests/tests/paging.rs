//! List methods: a pager walks every page by `start`, stops on the page without `next`, and
//! stops at the first error.

use b24_rest::log::{BlogpostGetError, BlogpostGetRequest};
use b24_rest::mock::{MockAnswer, MockPortal};
use b24_rest::{Error, Id};
use serde_json::json;

/// A portal holding `total` posts, answering pages of 50 by `start` like a real one.
fn portal_with_posts(total: u64) -> MockPortal {
    let portal = MockPortal::start();
    portal.respond_with("log.blogpost.get", move |call| {
        let start = call.body.get("start").and_then(|v| v.as_u64()).unwrap_or(0);
        let end = (start + 50).min(total);
        let posts: Vec<_> = (start..end)
            .map(|id| json!({"ID": (id + 1).to_string(), "TITLE": format!("post {}", id + 1)}))
            .collect();
        let mut body =
            json!({"result": posts, "total": total, "time": {"start": 1, "finish": 1.5}});
        if end < total {
            body["next"] = json!(end);
        }
        MockAnswer::json(200, body)
    });
    portal
}

#[tokio::test]
async fn every_page_is_read_in_order() {
    let portal = portal_with_posts(120);
    let posts = portal
        .client()
        .log()
        .blogpost()
        .get()
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    let ids: Vec<Id> = posts.iter().map(|post| post.id).collect();
    assert_eq!(ids, (1..=120).map(Id).collect::<Vec<_>>());
    let starts: Vec<_> = portal
        .calls()
        .iter()
        .map(|call| call.body.get("start").cloned())
        .collect();
    assert_eq!(starts, vec![None, Some(json!(50)), Some(json!(100))]);
}

#[tokio::test]
async fn one_page_when_there_is_no_next() {
    let portal = portal_with_posts(3);
    let client = portal.client();
    let mut pages = client.pages(BlogpostGetRequest::new());
    let first = pages.next_page().await.expect("a page").expect("a success");
    assert_eq!(first.result.len(), 3);
    assert_eq!((first.next, first.total), (None, Some(3)));
    assert!(pages.next_page().await.is_none());
    assert_eq!(portal.call_count("log.blogpost.get"), 1);
}

#[tokio::test]
async fn the_pager_stops_at_an_error() {
    let portal = portal_with_posts(500);
    portal.push(
        "log.blogpost.get",
        MockAnswer::json(
            200,
            json!({"result": [{"ID": "1"}], "next": 50, "total": 500}),
        ),
    );
    portal.push(
        "log.blogpost.get",
        MockAnswer::error(400, "SOMETHING", "went wrong"),
    );
    let outcome = portal
        .client()
        .log()
        .blogpost()
        .get()
        .pages()
        .collect_all()
        .await;
    assert!(
        matches!(outcome, Err(Error::Method(BlogpostGetError::Unhandled(_)))),
        "{outcome:?}"
    );
    assert_eq!(portal.call_count("log.blogpost.get"), 2);
}

/// `crm.item.list` answers `{"result": {"items": [...]}, "next": 50}`: its spec's
/// `page_records: items` makes the pager read the records out of the wrapper, page by page.
#[tokio::test]
async fn a_list_wrapped_in_an_object_is_walked_too() {
    let portal = MockPortal::start();
    portal.respond_with("crm.item.list", |call| {
        let start = call.body.get("start").and_then(|v| v.as_u64()).unwrap_or(0);
        let end = (start + 50).min(70);
        let items: Vec<_> = (start..end).map(|id| json!({"id": id + 1})).collect();
        let mut body = json!({"result": {"items": items}, "total": 70});
        if end < 70 {
            body["next"] = json!(end);
        }
        MockAnswer::json(200, body)
    });
    let items = portal
        .client()
        .crm()
        .item()
        .list(2)
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    let ids: Vec<_> = items.iter().map(|item| item["id"].as_u64()).collect();
    assert_eq!(ids, (1..=70).map(Some).collect::<Vec<_>>());
    let bodies: Vec<_> = portal.calls().into_iter().map(|call| call.body).collect();
    assert_eq!(
        bodies,
        [
            json!({"entityTypeId": 2}),
            json!({"entityTypeId": 2, "start": 50})
        ]
    );
}
