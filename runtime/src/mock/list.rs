//! A data set per list method, answered as a portal does: `filter` with its prefixes,
//! `order`, `select`, `start` (`-1`: no count), 50 records a page, `total` and `next`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::{MockAnswer, MockCall, now_time};
use crate::list::ListShape;
use crate::ordered::Ordered;
use crate::query;

/// The records of one list method on the mock portal
/// ([`MockPortal::list_data`](super::MockPortal::list_data)), and how it answers them.
///
/// Records are JSON objects, kept in id order ([`ListShape::id`]; in the order added when
/// there is none). A page is cut as the portal's SQL cuts it: `start` skips matching rows,
/// then 50 rows are taken; rows [hidden](MockList::hide) from the caller take their place in
/// the page but are left out of the answer, so the page comes back short, as pages of
/// methods that check permissions after the query do.
#[derive(Debug, Clone)]
pub struct MockList {
    shape: ListShape,
    /// By id, or by the order added when records have none.
    records: BTreeMap<u64, Value>,
    next_key: u64,
    hidden: HashSet<u64>,
    reported_total: Option<u64>,
    cost: Cost,
    served: u64,
}

/// What a page costs the portal's database, to answer after that long.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    per_query: Duration,
    per_counted: Duration,
}

/// A comparison in a filter key (`>=ID`), longest prefixes first.
const OPERATORS: [&str; 15] = [
    "!><", "!@", "!=", "!%", ">=", "<=", "=%", "%=", "><", "=", "!", ">", "<", "%", "@",
];

impl MockList {
    pub(crate) fn new(shape: ListShape, records: Vec<Value>) -> MockList {
        let mut list = MockList {
            shape,
            records: BTreeMap::new(),
            next_key: 1,
            hidden: HashSet::new(),
            reported_total: None,
            cost: Cost::default(),
            served: 0,
        };
        for record in records {
            list.insert(record);
        }
        list
    }

    /// Adds a record (a JSON object); one with the id of a record already there replaces it.
    pub fn insert(&mut self, record: Value) {
        let key = self
            .shape
            .id
            .and_then(|id| record.get(id))
            .and_then(crate::list::id_of)
            .unwrap_or(self.next_key);
        self.next_key = self.next_key.max(key + 1);
        self.records.insert(key, record);
    }

    /// Deletes the record with this id (without ids: the `id`-th added, from 1).
    pub fn remove(&mut self, id: u64) -> Option<Value> {
        self.records.remove(&id)
    }

    /// The ids of the records, in order (without ids: their numbers, from 1).
    pub fn ids(&self) -> Vec<u64> {
        self.records.keys().copied().collect()
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Hides the record with this id from the caller: it still takes a row of its page (and
    /// counts in `total`), but is not in the answer.
    pub fn hide(&mut self, id: u64) {
        self.hidden.insert(id);
    }

    /// Makes every counted answer report `total` as this (a portal whose count disagrees
    /// with its pages: `next: 50, total: 5`); `None` reports the real count.
    pub fn report_total(&mut self, total: Option<u64>) {
        self.reported_total = total;
    }

    /// Makes each page take `per_query`, plus `per_counted` for each row counted for
    /// `total` (pages with `start = -1` count none), as a portal's database does.
    pub fn cost(&mut self, per_query: Duration, per_counted: Duration) {
        self.cost = Cost {
            per_query,
            per_counted,
        };
    }

    /// How many pages it has answered (inside `batch` too).
    pub fn served(&self) -> u64 {
        self.served
    }

    /// The answer to one call of the method.
    pub(crate) fn answer(&mut self, call: &MockCall) -> MockAnswer {
        self.served += 1;
        let params = call.body.as_object().cloned().unwrap_or_default();
        let order = self.order_of(call);
        let start = self.param(&params, "start").map_or(0, start_of);
        let counting = !(start < 0 && self.shape.start_minus_one);
        let start = u64::try_from(start).unwrap_or(0);
        let filter = self.shape.filter.and_then(|name| params.get(name));
        let rows = self.rows(filter, &order, start, counting);
        let select = self.shape.select.and_then(|name| params.get(name));
        let page: Vec<Value> = rows
            .page
            .iter()
            .filter(|(key, _)| !self.hidden.contains(key))
            .map(|(_, record)| project(record, select))
            .collect();
        let mut body = json!({ "result": self.wrap(page), "time": now_time() });
        if counting {
            let total = rows.matched;
            body["total"] = json!(self.reported_total.unwrap_or(total));
            if start + u64::from(self.shape.page_size) < total {
                body["next"] = json!(start + u64::from(self.shape.page_size));
            }
        } else {
            // As the docs' example shows: `start = -1` answers `total: 0` and no `next`.
            body["total"] = json!(0);
        }
        let cost = self.cost.per_query + self.cost.per_counted * rows.counted as u32;
        let answer = MockAnswer::json(200, body);
        if cost.is_zero() {
            answer
        } else {
            answer.delayed(cost)
        }
    }

    fn param<'p>(&self, params: &'p Map<String, Value>, name: &str) -> Option<&'p Value> {
        params.get(name)
    }

    /// The caller's order, keys in the order sent: from the JSON body, or from the query
    /// string of a command inside `batch` (the decoded body's map sorts them).
    fn order_of(&self, call: &MockCall) -> Vec<(String, bool)> {
        let Some(name) = self.shape.order else {
            return Vec::new();
        };
        let pairs: Vec<(String, String)> = if call.batch_key.is_some() {
            let text = String::from_utf8_lossy(&call.raw_body);
            let prefix = format!("{name}[");
            query::pairs(&text)
                .into_iter()
                .filter_map(|(key, value)| {
                    let field = key.strip_prefix(&prefix)?.strip_suffix(']')?.to_owned();
                    Some((field, value))
                })
                .collect()
        } else {
            serde_json::from_slice::<Ordered>(&call.raw_body)
                .ok()
                .and_then(|body| {
                    let entries = body.entries()?.iter().find(|(k, _)| k == name)?;
                    Some(
                        entries
                            .1
                            .entries()?
                            .iter()
                            .map(|(k, v)| (k.clone(), v.as_scalar_text().unwrap_or_default()))
                            .collect(),
                    )
                })
                .unwrap_or_default()
        };
        pairs
            .into_iter()
            .map(|(field, direction)| (field, direction.trim().eq_ignore_ascii_case("desc")))
            .collect()
    }

    /// The rows of the page at `start` and how many rows match.
    fn rows(
        &self,
        filter: Option<&Value>,
        order: &[(String, bool)],
        start: u64,
        counting: bool,
    ) -> Rows<'_> {
        let matching = |record: &&Value| filter.is_none_or(|filter| matches(record, filter));
        let size = self.shape.page_size as usize;
        let skip = usize::try_from(start).unwrap_or(usize::MAX);
        if let Some(descending) = self.by_id_only(order) {
            // Rows come in id order already: no sort, and no scan past the page unless
            // `total` is counted.
            let iter: Box<dyn Iterator<Item = (&u64, &Value)>> = if descending {
                Box::new(self.records.iter().rev())
            } else {
                Box::new(self.records.range(self.lower_bound(filter)..))
            };
            let mut rows = iter.filter(|(_, record)| matching(record));
            if !counting {
                let page = rows
                    .by_ref()
                    .skip(skip)
                    .take(size)
                    .map(|(k, r)| (*k, r))
                    .collect();
                return Rows {
                    page,
                    matched: 0,
                    counted: 0,
                };
            }
            let all: Vec<(u64, &Value)> = rows.map(|(k, r)| (*k, r)).collect();
            return Rows::cut(all, skip, size);
        }
        // Each record's sort keys are read once, not at every comparison.
        let mut keyed: Vec<(Vec<SortKey>, u64, &Value)> = self
            .records
            .iter()
            .filter(|(_, record)| matching(record))
            .map(|(k, r)| (sort_keys(r, order), *k, r))
            .collect();
        keyed.sort_by(|a, b| compare_keys(&a.0, &b.0, order));
        let all: Vec<(u64, &Value)> = keyed.into_iter().map(|(_, k, r)| (k, r)).collect();
        if counting {
            Rows::cut(all, skip, size)
        } else {
            let page = all.into_iter().skip(skip).take(size).collect();
            Rows {
                page,
                matched: 0,
                counted: 0,
            }
        }
    }

    /// `Some(descending)` when the order is by the id alone (or none): the storage order.
    fn by_id_only(&self, order: &[(String, bool)]) -> Option<bool> {
        let id = self.shape.id?;
        let field = self.shape.id_field.unwrap_or(id);
        match order {
            [] => Some(false),
            [(key, descending)]
                if key.eq_ignore_ascii_case(field) || key.eq_ignore_ascii_case(id) =>
            {
                Some(*descending)
            }
            _ => None,
        }
    }

    /// Where an ascending scan may start: past a `>ID` (or at a `>=ID`) of the filter. Only
    /// saves work; every row is still checked against the whole filter.
    fn lower_bound(&self, filter: Option<&Value>) -> u64 {
        let (Some(id), Some(Value::Object(filter))) = (self.shape.id, filter) else {
            return 0;
        };
        let field = self.shape.id_field.unwrap_or(id);
        let mut bound = 0;
        for (key, value) in filter {
            let Some(number) = value_number(value) else {
                continue;
            };
            if number < 0.0 {
                continue;
            }
            let number = number as u64;
            if key
                .strip_prefix(">=")
                .is_some_and(|f| f.eq_ignore_ascii_case(field))
            {
                bound = bound.max(number);
            } else if key
                .strip_prefix('>')
                .is_some_and(|f| f.eq_ignore_ascii_case(field))
            {
                bound = bound.max(number + 1);
            }
        }
        bound
    }

    /// The page as `result`: the list, or inside the objects of [`ListShape::items`].
    fn wrap(&self, page: Vec<Value>) -> Value {
        self.shape
            .items
            .iter()
            .rev()
            .fold(Value::Array(page), |inner, key| json!({ *key: inner }))
    }
}

/// The rows of a page, how many rows match and how many were counted for `total`.
struct Rows<'r> {
    page: Vec<(u64, &'r Value)>,
    matched: u64,
    counted: u64,
}

impl<'r> Rows<'r> {
    fn cut(all: Vec<(u64, &'r Value)>, skip: usize, size: usize) -> Rows<'r> {
        let matched = all.len() as u64;
        let page = all.into_iter().skip(skip).take(size).collect();
        Rows {
            page,
            matched,
            counted: matched,
        }
    }
}

/// `start` as sent: a number or a string of one; anything else is 0.
fn start_of(value: &Value) -> i64 {
    match value {
        Value::Number(n) => n.as_i64().unwrap_or(0),
        Value::String(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// Whether `record` passes `filter`: every condition (`LOGIC: OR` in a group: any), each key a
/// prefix (`>=`, `!@`, …) and a field. A group is an object under a numeric key. A value that
/// is not a scalar or a list of scalars (a `$result` reference that did not resolve leaves
/// the part of the answer it reached, often a whole page) is ignored, as older filters ignore
/// values they cannot read.
pub(crate) fn matches(record: &Value, filter: &Value) -> bool {
    let Value::Object(conditions) = filter else {
        return true;
    };
    let any = conditions
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("logic"))
        .and_then(|(_, v)| v.as_str())
        .is_some_and(|logic| logic.eq_ignore_ascii_case("or"));
    let mut results = conditions
        .iter()
        .filter(|(key, _)| !key.eq_ignore_ascii_case("logic"))
        .map(|(key, value)| {
            if value.is_object() && key.bytes().all(|b| b.is_ascii_digit()) {
                matches(record, value)
            } else {
                condition(record, key, value)
            }
        });
    if any {
        results.any(|passed| passed)
    } else {
        results.all(|passed| passed)
    }
}

fn condition(record: &Value, key: &str, value: &Value) -> bool {
    let (operator, field) = OPERATORS
        .iter()
        .find_map(|op| key.strip_prefix(op).map(|field| (*op, field)))
        .unwrap_or(("", key));
    let Some(values) = scalars(value, operator) else {
        return true;
    };
    let negated = operator.starts_with('!');
    let Some(actual) = field_of(record, field) else {
        return negated;
    };
    let any = |test: &dyn Fn(&Value) -> bool| values.iter().any(test);
    let order = |v: &Value| compare(actual, v);
    match operator {
        "" | "=" | "@" => any(&|v| order(v) == Some(Ordering::Equal)),
        "!" | "!=" | "!@" => !any(&|v| order(v) == Some(Ordering::Equal)),
        ">" => any(&|v| order(v) == Some(Ordering::Greater)),
        ">=" => any(&|v| matches!(order(v), Some(Ordering::Greater | Ordering::Equal))),
        "<" => any(&|v| order(v) == Some(Ordering::Less)),
        "<=" => any(&|v| matches!(order(v), Some(Ordering::Less | Ordering::Equal))),
        "%" => any(&|v| contains(actual, v)),
        "!%" => !any(&|v| contains(actual, v)),
        "=%" | "%=" => any(&|v| like(actual, v)),
        "><" | "!><" => between(actual, &values) != negated,
        _ => true,
    }
}

/// The values a condition compares with; `None` when it cannot be read (and is ignored).
/// `@` also takes a comma-separated string.
fn scalars<'v>(value: &'v Value, operator: &str) -> Option<Vec<Value>> {
    let scalar = |v: &'v Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    match value {
        Value::String(text) if operator.ends_with('@') => Some(
            text.split(',')
                .map(|part| Value::String(part.trim().to_owned()))
                .collect(),
        ),
        Value::Array(items) if !items.is_empty() && items.iter().all(scalar) => Some(items.clone()),
        Value::Object(map) if !map.is_empty() && map.values().all(scalar) => {
            Some(map.values().cloned().collect())
        }
        v if scalar(v) => Some(vec![v.clone()]),
        _ => None,
    }
}

/// A record's field: its key as written, else in any case.
fn field_of<'r>(record: &'r Value, field: &str) -> Option<&'r Value> {
    let map = record.as_object()?;
    map.get(field)
        .or_else(|| {
            map.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(field))
                .map(|(_, v)| v)
        })
        .filter(|v| !v.is_null())
}

fn value_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "Y".to_owned(),
        Value::Bool(false) => "N".to_owned(),
        other => other.to_string(),
    }
}

/// Numbers (or strings of them) by value, anything else as text; `None` for null.
pub(crate) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    if a.is_null() || b.is_null() {
        return None;
    }
    match (value_number(a), value_number(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y),
        _ => Some(value_text(a).cmp(&value_text(b))),
    }
}

fn contains(actual: &Value, needle: &Value) -> bool {
    value_text(actual)
        .to_lowercase()
        .contains(&value_text(needle).to_lowercase())
}

/// SQL `LIKE`: `%` any run, `_` one character, without regard to case.
fn like(actual: &Value, pattern: &Value) -> bool {
    fn go(text: &[char], pattern: &[char]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some(('%', rest)) => (0..=text.len()).any(|i| go(&text[i..], rest)),
            Some(('_', rest)) => !text.is_empty() && go(&text[1..], rest),
            Some((c, rest)) => text.first() == Some(c) && go(&text[1..], rest),
        }
    }
    let text: Vec<char> = value_text(actual).to_lowercase().chars().collect();
    let pattern: Vec<char> = value_text(pattern).to_lowercase().chars().collect();
    go(&text, &pattern)
}

fn between(actual: &Value, bounds: &[Value]) -> bool {
    let [low, high] = bounds else { return false };
    matches!(
        compare(actual, low),
        Some(Ordering::Greater | Ordering::Equal)
    ) && matches!(
        compare(actual, high),
        Some(Ordering::Less | Ordering::Equal)
    )
}

/// A field's value as `order` compares it: missing first, numbers by value, text as text.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum SortKey {
    Missing,
    Number(f64),
    Text(String),
}

fn sort_keys(record: &Value, order: &[(String, bool)]) -> Vec<SortKey> {
    order
        .iter()
        .map(|(field, _)| match field_of(record, field) {
            None => SortKey::Missing,
            Some(value) => value_number(value)
                .map_or_else(|| SortKey::Text(value_text(value)), SortKey::Number),
        })
        .collect()
}

/// Orders two records' keys by `order` (field, descending).
fn compare_keys(a: &[SortKey], b: &[SortKey], order: &[(String, bool)]) -> Ordering {
    for ((x, y), (_, descending)) in a.iter().zip(b).zip(order) {
        let ordering = match (x, y) {
            // A number and a text compare as texts, as `compare` does.
            (SortKey::Number(n), SortKey::Text(t)) => n.to_string().cmp(t),
            (SortKey::Text(t), SortKey::Number(n)) => t.cmp(&n.to_string()),
            _ => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        };
        let ordering = if *descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// The selected fields of a record: all without a `select`; `*` all but custom (`UF_…`)
/// fields, `UF_*` the custom ones, any other name that field in any case.
fn project(record: &Value, select: Option<&Value>) -> Value {
    let names: Vec<String> = match select {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::Object(map)) => map
            .values()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let Some(map) = record.as_object() else {
        return record.clone();
    };
    if names.is_empty() {
        return record.clone();
    }
    let chosen = |key: &str| {
        let custom = key.to_ascii_uppercase().starts_with("UF_");
        names.iter().any(|name| match name.as_str() {
            "*" => !custom,
            "UF_*" => custom,
            name => name.eq_ignore_ascii_case(key),
        })
    };
    Value::Object(
        map.iter()
            .filter(|(key, _)| chosen(key))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deal(id: u64, title: &str, stage: &str, sum: f64) -> Value {
        json!({"ID": id.to_string(), "TITLE": title, "STAGE_ID": stage, "SUM": sum, "UF_X": 1})
    }

    fn passes(filter: Value) -> Vec<u64> {
        let records = [
            deal(1, "Alpha deal", "NEW", 10.0),
            deal(2, "Beta", "WON", 250.5),
            deal(3, "gamma DEAL", "WON", 99.0),
            json!({"ID": "4", "TITLE": "No stage"}),
        ];
        records
            .iter()
            .filter(|r| matches(r, &filter))
            .map(|r| crate::list::id_of(&r["ID"]).unwrap())
            .collect()
    }

    #[test]
    fn every_filter_prefix_the_docs_list_is_answered() {
        assert_eq!(passes(json!({"STAGE_ID": "WON"})), [2, 3]);
        assert_eq!(passes(json!({"=STAGE_ID": "WON"})), [2, 3]);
        assert_eq!(passes(json!({"!STAGE_ID": "WON"})), [1, 4]);
        assert_eq!(passes(json!({"!=STAGE_ID": "WON"})), [1, 4]);
        assert_eq!(passes(json!({">ID": "2"})), [3, 4]);
        assert_eq!(passes(json!({">=ID": 2, "<ID": "4"})), [2, 3]);
        assert_eq!(passes(json!({"<=SUM": "99"})), [1, 3]);
        assert_eq!(passes(json!({"%TITLE": "deal"})), [1, 3]);
        assert_eq!(passes(json!({"!%TITLE": "deal"})), [2, 4]);
        assert_eq!(passes(json!({"=%TITLE": "b%"})), [2]);
        assert_eq!(passes(json!({"%=TITLE": "%deal"})), [1, 3]);
        assert_eq!(passes(json!({"@ID": ["1", "3"]})), [1, 3]);
        assert_eq!(passes(json!({"@ID": "2, 4"})), [2, 4]);
        assert_eq!(passes(json!({"!@ID": [1, 3]})), [2, 4]);
        assert_eq!(passes(json!({"><SUM": [50, 100]})), [3]);
        assert_eq!(passes(json!({"ID": ["2", "4"]})), [2, 4]);
        assert_eq!(
            passes(json!({"LOGIC": "OR", "0": {"=ID": 1}, "1": {"=STAGE_ID": "WON", ">SUM": 100}})),
            [1, 2]
        );
        // A value no filter can read is ignored, as a reference that did not resolve is.
        assert_eq!(passes(json!({">ID": [{"ID": "3"}]})), [1, 2, 3, 4]);
    }

    #[test]
    fn pages_select_order_and_count_as_a_portal_does() {
        let shape = ListShape::new()
            .filter("filter")
            .order("order")
            .select("select")
            .items(&["items"])
            .id("ID")
            .id_window("ID")
            .start_minus_one(true)
            .page_size(2);
        let records = (1..=5)
            .map(|i| deal(i, &format!("T{}", 6 - i), "NEW", i as f64))
            .collect();
        let mut list = MockList::new(shape, records);
        let call = |body: &str| MockCall::for_test("x.list", body);
        let body = |answer: MockAnswer| match answer {
            MockAnswer::Json { body, .. } => body,
            other => panic!("{other:?}"),
        };
        let page = body(list.answer(&call(
            r#"{"order":{"TITLE":"ASC"},"select":["TITLE"],"start":2}"#,
        )));
        assert_eq!(
            page["result"],
            json!({"items": [{"TITLE": "T3"}, {"TITLE": "T4"}]})
        );
        assert_eq!(
            (page["total"].clone(), page["next"].clone()),
            (json!(5), json!(4))
        );
        let page = body(list.answer(&call(r#"{"filter":{">ID":3},"start":-1,"select":["ID"]}"#)));
        assert_eq!(page["result"], json!({"items": [{"ID": "4"}, {"ID": "5"}]}));
        assert_eq!(page["total"], json!(0));
        assert!(page.get("next").is_none());
        list.hide(4);
        list.report_total(Some(1));
        let page = body(list.answer(&call(r#"{"start":2,"select":["ID"]}"#)));
        assert_eq!(page["result"], json!({"items": [{"ID": "3"}]}));
        assert_eq!(
            (page["total"].clone(), page["next"].clone()),
            (json!(1), json!(4))
        );
        assert_eq!(list.served(), 3);
    }
}
