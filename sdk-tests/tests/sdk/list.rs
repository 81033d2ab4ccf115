//! Reading whole lists through the generated API (issue 15): `client.log().blogpost().get()
//! .read_all()` streams every record of the mock portal's data set once, in order, in as few
//! requests as the method allows; the generated query types send their keys in the order
//! written.

use b24_rest::list::{Filter, Order, Select};
use b24_rest::log::BlogpostGetRequest;
use b24_rest::mock::MockPortal;
use b24_rest::{Id, ListMethod, ReadStrategy};
use serde_json::json;

fn posts(count: u64) -> Vec<serde_json::Value> {
    (1..=count)
        .map(|id| json!({"ID": id.to_string(), "TITLE": format!("post {id}"), "BLOG_ID": "3"}))
        .collect()
}

#[tokio::test]
async fn read_all_streams_every_record_of_the_data_set_once() {
    let portal = MockPortal::start();
    portal.list_data_of::<BlogpostGetRequest>(posts(260));
    let client = portal.client();
    let mut reader = client.log().blogpost().get().read_all();
    // No filter or order parameter: `start` pages, many in each `batch` request.
    assert_eq!(reader.planned_strategy(), Ok(ReadStrategy::StartBatch));
    let mut ids = Vec::new();
    while let Some(post) = reader.next().await {
        ids.push(post.expect("a record").id);
    }
    let expected: Vec<Id> = (1..=260).map(Id::from).collect();
    assert_eq!(ids, expected);
    // 260 records, six pages: one `batch` request.
    assert_eq!(portal.requests(), 1);
}

#[tokio::test]
async fn read_all_stops_at_its_limit() {
    let portal = MockPortal::start();
    portal.list_data_of::<BlogpostGetRequest>(posts(120));
    let client = portal.client();
    let records = client
        .log()
        .blogpost()
        .get()
        .read_all()
        .limit(70)
        .collect_all()
        .await
        .expect("records");
    assert_eq!(records.len(), 70);
    assert_eq!(records[69].id, Id::from(70));
}

#[test]
fn the_shape_is_the_spec_s() {
    assert_eq!(BlogpostGetRequest::SHAPE.id, Some("ID"));
    assert_eq!(BlogpostGetRequest::SHAPE.filter, None);
    assert_eq!(BlogpostGetRequest::SHAPE.page_size, 50);
}

#[test]
fn query_types_keep_the_order_written_and_take_custom_fields() {
    let filter = Filter::new()
        .raw(">=DATE_CREATE", "2026-01-01T00:00:00+01:00")
        .raw("!STAGE_ID", "LOSE")
        .raw("UF_CRM_1", 5)
        .any_of_with(
            "LOGIC",
            [
                Filter::new().raw("=ID", 1),
                Filter::new().raw("@ID", [2, 3]),
            ],
        );
    assert_eq!(
        serde_json::to_string(&filter).unwrap(),
        r#"{">=DATE_CREATE":"2026-01-01T00:00:00+01:00","!STAGE_ID":"LOSE","UF_CRM_1":5,"0":{"LOGIC":"OR","0":{"=ID":1},"1":{"@ID":[2,3]}}}"#
    );
    let order = Order::new().desc("TITLE").asc("ID");
    assert_eq!(
        serde_json::to_string(&order).unwrap(),
        r#"{"TITLE":"DESC","ID":"ASC"}"#
    );
    let select = Select::new().raw("ID").raw("ufCrm5_1");
    assert_eq!(
        serde_json::to_string(&select).unwrap(),
        r#"["ID","ufCrm5_1"]"#
    );
}
