//! One page of a list as it came back: its records found in `result`, their ids, and the
//! typed items of the ones handed out.

use serde_json::Value;

use super::ListMethod;
use crate::error::Error;
use crate::ordered::Ordered;
use crate::text;

/// A page as the portal answered it, not decoded yet.
#[derive(Debug)]
pub(crate) struct RawPage {
    /// The `result` of the page's call.
    pub(crate) result: Value,
    /// `start` pages: where the page starts.
    pub(crate) start: Option<u64>,
    /// Whether it is the first page of its request (the others follow it in one `batch`).
    pub(crate) first: bool,
    pub(crate) next: Option<u64>,
    pub(crate) total: Option<u64>,
    /// How many records it holds.
    pub(crate) len: usize,
}

impl RawPage {
    pub(crate) fn new(result: Value, items: &[&str]) -> RawPage {
        let len = records(&result, items).map_or(0, <[Value]>::len);
        RawPage {
            result,
            start: None,
            first: true,
            next: None,
            total: None,
            len,
        }
    }
}

/// The records of a page: the list at `items` in `result`. An empty answer in any of PHP's
/// forms (`[]`, `{}`, `null`, a missing key) is no records; anything else is not a list.
pub(crate) fn records<'v>(result: &'v Value, items: &[&str]) -> Result<&'v [Value], String> {
    let mut at = result;
    for segment in items {
        at = match at {
            Value::Object(map) => match map.get(*segment) {
                Some(next) => next,
                None => return Ok(&[]),
            },
            Value::Array(list) if list.is_empty() => return Ok(&[]),
            Value::Null => return Ok(&[]),
            _ => return Err(format!("`result` has no `{}`", items.join("."))),
        };
    }
    match at {
        Value::Array(list) => Ok(list),
        Value::Null => Ok(&[]),
        Value::Object(map) if map.is_empty() => Ok(&[]),
        _ => Err("the records are not a list".to_owned()),
    }
}

/// The ids of `records` at `key`; `None` where a record has none that reads as a number.
pub(crate) fn ids(records: &[Value], key: &str) -> Vec<Option<u64>> {
    records
        .iter()
        .map(|record| record.get(key).and_then(id_of))
        .collect()
}

/// An id as portals send it: a number or a string of digits (`"217"`).
pub(crate) fn id_of(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// [`id_of`] for a request's parameter.
pub(crate) fn id_of_ordered(value: &Ordered) -> Option<u64> {
    match value {
        Ordered::Number(number) => number.as_u64(),
        Ordered::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// The typed items of the records marked in `keep`: the whole page is decoded as the
/// method's output, then its items are picked. A page without records decodes to none
/// (its `result` may be `[]` where the output is an object).
pub(crate) fn decode<M: ListMethod>(
    result: Value,
    keep: &[bool],
) -> Result<Vec<M::Item>, Error<M::Error>> {
    if !keep.contains(&true) {
        return Ok(Vec::new());
    }
    let output = match crate::de::output::<M::Output>(&result) {
        Ok(output) => output,
        Err(e) => {
            let result = result.to_string();
            return Err(Error::Decode {
                status: 200,
                message: text::clip_escaped(&e.to_string(), 300, false),
                excerpt: text::excerpt(result.as_bytes(), None),
                result,
            });
        }
    };
    let items = M::into_items(output);
    if items.len() != keep.len() {
        return Err(Error::Decode {
            status: 200,
            message: format!(
                "the page holds {} records but decodes to {} items",
                keep.len(),
                items.len()
            ),
            excerpt: String::new(),
            result: result.to_string(),
        });
    }
    Ok(items
        .into_iter()
        .zip(keep)
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn records_are_found_in_every_shape_a_portal_answers() {
        let list = json!([{"ID": "1"}, {"ID": 2}, {"ID": "x"}, {}]);
        assert_eq!(records(&list, &[]).unwrap().len(), 4);
        assert_eq!(
            ids(records(&list, &[]).unwrap(), "ID"),
            [Some(1), Some(2), None, None]
        );
        let wrapped = json!({"items": [{"id": 7}]});
        assert_eq!(ids(records(&wrapped, &["items"]).unwrap(), "id"), [Some(7)]);
        for empty in [json!([]), json!({}), json!(null), json!({"other": 1})] {
            assert_eq!(records(&empty, &["items"]).unwrap().len(), 0, "{empty}");
        }
        assert!(records(&json!("text"), &[]).is_err());
        assert!(records(&json!({"items": 5}), &["items"]).is_err());
    }
}
