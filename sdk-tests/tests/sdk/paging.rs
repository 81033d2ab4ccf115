//! List methods: a pager walks every page, whichever way the method pages (`start` and
//! `next`, an offset, page numbers, `NAV_PARAMS`, REST 3.0 `pagination` by offset or cursor, a
//! next offset the answer names), stops on the last page, and stops at the first error.

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

/// Records `from..to` of a list of `total`, as `{"id": n}` objects numbered from 1.
fn records(from: u64, count: u64, total: u64) -> Vec<serde_json::Value> {
    let to = from.saturating_add(count).min(total);
    (from..to).map(|id| json!({"id": id + 1})).collect()
}

/// The integer a request sent under `key`, if any.
fn sent(call: &b24_rest::mock::MockCall, key: &str) -> Option<u64> {
    call.body.get(key).and_then(serde_json::Value::as_u64)
}

/// `im.dialog.users.list` pages by `OFFSET` and `LIMIT`, answers a bare list and says nothing
/// of what follows: the pager moves the offset by the records received and stops on the page
/// shorter than the ones before it.
#[tokio::test]
async fn an_offset_moves_by_the_records_received_until_a_short_page() {
    let portal = MockPortal::start();
    portal.respond_with("im.dialog.users.list", |call| {
        // The server caps the page at 20 whatever `LIMIT` asks for.
        let limit = sent(call, "LIMIT").unwrap_or(50).min(20);
        let page = records(sent(call, "OFFSET").unwrap_or(0), limit, 45);
        MockAnswer::json(200, json!({"result": page}))
    });
    let users = portal
        .client()
        .im()
        .dialog()
        .users()
        .list("chat17")
        .limit(100)
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    let ids: Vec<_> = users.iter().map(|user| user.id).collect();
    assert_eq!(ids, (1..=45).map(|id| Some(Id(id))).collect::<Vec<_>>());
    let offsets: Vec<_> = portal
        .calls()
        .iter()
        .map(|call| (sent(call, "OFFSET"), sent(call, "LIMIT")))
        .collect();
    assert_eq!(
        offsets,
        [
            (None, Some(100)),
            (Some(20), Some(100)),
            (Some(40), Some(100))
        ],
        "a first page capped below LIMIT is not taken for the last"
    );
}

/// A list that ends on a full page costs one more request, which comes back empty.
#[tokio::test]
async fn an_empty_page_ends_the_walk() {
    let portal = MockPortal::start();
    portal.respond_with("im.dialog.users.list", |call| {
        let page = records(sent(call, "OFFSET").unwrap_or(0), 20, 40);
        MockAnswer::json(200, json!({"result": page}))
    });
    let client = portal.client();
    let pages = client.im().dialog().users().list("chat17").pages();
    let users = pages.collect_all().await.expect("all pages");
    assert_eq!(users.len(), 40);
    assert_eq!(portal.call_count("im.dialog.users.list"), 3);
}

/// `biconnector.source.list` numbers its pages from 1 (`page`).
#[tokio::test]
async fn page_numbers_count_up_from_the_callers_page() {
    let portal = MockPortal::start();
    portal.respond_with("biconnector.source.list", |call| {
        let page = sent(call, "page").unwrap_or(1);
        let sources = records((page - 1) * 50, 50, 120);
        MockAnswer::json(200, json!({"result": sources}))
    });
    let sources = portal
        .client()
        .biconnector()
        .source()
        .list()
        .page(2)
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    assert_eq!(sources.len(), 70, "pages 2 and 3");
    assert_eq!(sources[0].id, Some(Id(51)));
    let pages: Vec<_> = portal.calls().iter().map(|c| sent(c, "page")).collect();
    assert_eq!(pages, [Some(2), Some(3)]);
}

/// `task.items.getlist` pages with `NAV_PARAMS.iNumPage`; the caller's page size stays.
#[tokio::test]
#[allow(deprecated)] // task.items.getlist is deprecated upstream, and still answers
async fn nav_params_keep_the_callers_page_size() {
    let portal = MockPortal::start();
    portal.respond_with("task.items.getlist", |call| {
        let nav = &call.body["NAV_PARAMS"];
        let size = nav["nPageSize"].as_u64().unwrap_or(50);
        let page = nav["iNumPage"].as_u64().unwrap_or(1);
        MockAnswer::json(200, json!({"result": records((page - 1) * size, size, 25)}))
    });
    let tasks = portal
        .client()
        .task()
        .items()
        .getlist()
        .nav_params(json!({"nPageSize": 10}))
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    let ids: Vec<_> = tasks.iter().map(|task| task["id"].as_u64()).collect();
    assert_eq!(ids, (1..=25).map(Some).collect::<Vec<_>>());
    let navs: Vec<_> = portal
        .calls()
        .into_iter()
        .map(|c| c.body["NAV_PARAMS"].clone())
        .collect();
    assert_eq!(
        navs,
        [
            json!({"nPageSize": 10}),
            json!({"nPageSize": 10, "iNumPage": 2}),
            json!({"nPageSize": 10, "iNumPage": 3}),
        ]
    );
}

/// REST 3.0's `tasks.task.list` answers `{"items": [...]}` with no total: the pager moves
/// `pagination.offset`, keeping the caller's `limit`.
#[tokio::test]
async fn rest_3_pagination_moves_its_offset() {
    let portal = MockPortal::start();
    portal.respond_with("tasks.task.list", |call| {
        let pagination = &call.body["pagination"];
        let limit = pagination["limit"].as_u64().unwrap_or(50);
        let offset = match pagination["offset"].as_u64() {
            Some(offset) => offset,
            None => (pagination["page"].as_u64().unwrap_or(1) - 1) * limit,
        };
        MockAnswer::json(
            200,
            json!({"result": {"items": records(offset, limit, 50)}}),
        )
    });
    let tasks = portal
        .client()
        .tasks()
        .task()
        .list_v3()
        .pagination(json!({"page": 2, "limit": 20}))
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    let ids: Vec<_> = tasks.iter().map(|task| task["id"].as_u64()).collect();
    assert_eq!(ids, (21..=50).map(Some).collect::<Vec<_>>());
    let sent: Vec<_> = portal
        .calls()
        .into_iter()
        .map(|c| c.body["pagination"].clone())
        .collect();
    assert_eq!(
        sent,
        [
            json!({"page": 2, "limit": 20}),
            json!({"limit": 20, "offset": 40})
        ]
    );
    assert!(
        portal
            .calls()
            .iter()
            .all(|call| call.path.contains("/rest/api/")),
        "REST 3.0 methods go to /rest/api/"
    );
}

/// `call.followup.list` hands out a cursor (`afterCursor`) and `hasMore`: the pager sends the
/// cursor back as it came and stops when `hasMore` is false.
#[tokio::test]
async fn a_cursor_goes_back_as_it_came_until_has_more_is_false() {
    let portal = MockPortal::start();
    portal.respond_with("call.followup.list", |call| {
        let after = call.body["pagination"]["afterCursor"]["id"]
            .as_u64()
            .unwrap_or(0);
        let more = after < 40;
        let body = json!({"result": {
            "items": records(after, 20, 60),
            "hasMore": more,
            "afterCursor": {"id": after + 20, "startDate": "2026-01-01T00:00:00Z"},
        }});
        MockAnswer::json(200, body)
    });
    let calls = portal
        .client()
        .voximplant()
        .call()
        .followup()
        .list(json!({}))
        .pagination(json!({"limit": 20}))
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    assert_eq!(calls.len(), 60);
    let cursors: Vec<_> = portal
        .calls()
        .into_iter()
        .map(|c| c.body["pagination"].clone())
        .collect();
    assert_eq!(
        cursors,
        [
            json!({"limit": 20}),
            json!({"limit": 20, "afterCursor": {"id": 20, "startDate": "2026-01-01T00:00:00Z"}}),
            json!({"limit": 20, "afterCursor": {"id": 40, "startDate": "2026-01-01T00:00:00Z"}}),
        ]
    );
}

/// `im.v2.Event.get` names the next offset itself (`nextOffset`), which is no count of
/// records: the pager sends it back, and stops on `hasMore: false`.
#[tokio::test]
async fn a_next_offset_the_answer_names_is_sent_back() {
    let portal = MockPortal::start();
    portal.respond_with("im.v2.Event.get", |call| {
        let offset = sent(call, "offset").unwrap_or(2000);
        let body = json!({"result": {
            "events": [{"eventId": offset + 1}, {"eventId": offset + 2}],
            "nextOffset": (offset + 2).to_string(),
            "hasMore": offset < 2004,
        }});
        MockAnswer::json(200, body)
    });
    let events = portal
        .client()
        .im()
        .v2()
        .event()
        .get()
        .offset(2000)
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    assert_eq!(events.len(), 6);
    let offsets: Vec<_> = portal.calls().iter().map(|c| sent(c, "offset")).collect();
    assert_eq!(offsets, [Some(2000), Some(2002), Some(2004)]);
}

/// A page that says more follow is read on even when it is shorter than the one before.
#[tokio::test]
async fn has_more_overrides_a_short_page() {
    let portal = MockPortal::start();
    let pages = [(0, 10, true), (10, 3, true), (13, 10, false)];
    for (from, count, more) in pages {
        let body = json!({"result": {"items": records(from, count, 100), "hasMore": more}});
        portal.push("im.recent.list", MockAnswer::json(200, body));
    }
    let chats = portal
        .client()
        .im()
        .recent()
        .list()
        .pages()
        .collect_all()
        .await
        .expect("all pages");
    assert_eq!(chats.len(), 23);
    let offsets: Vec<_> = portal.calls().iter().map(|c| sent(c, "OFFSET")).collect();
    assert_eq!(offsets, [None, Some(10), Some(13)]);
}

/// `im.search.user.list` answers users keyed by id (`{"103": {...}}`) and `[]` when nothing
/// is left: each page's records are the map's values, and the empty array ends the walk.
#[tokio::test]
async fn records_keyed_by_id_page_too() {
    let portal = MockPortal::start();
    portal.respond_with("im.search.user.list", |call| {
        let offset = sent(call, "OFFSET").unwrap_or(0);
        let page: serde_json::Map<_, _> = records(offset, 10, 20)
            .into_iter()
            .map(|user| (user["id"].to_string(), user))
            .collect();
        let result = if page.is_empty() {
            json!([])
        } else {
            json!(page)
        };
        MockAnswer::json(200, json!({"result": result}))
    });
    let users = portal
        .client()
        .im()
        .search()
        .user()
        .list("Smith")
        .pages()
        .collect_all()
        .await
        .expect("all pages, the last one `[]`");
    let mut ids: Vec<_> = users.iter().filter_map(|user| user.id).collect();
    ids.sort();
    assert_eq!(ids, (1..=20).map(Id).collect::<Vec<_>>());
    let offsets: Vec<_> = portal.calls().iter().map(|c| sent(c, "OFFSET")).collect();
    assert_eq!(
        offsets,
        [None, Some(10), Some(20)],
        "the third page is `[]`"
    );
}
