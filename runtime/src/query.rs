//! PHP-style query strings (`POST_ID=217&DEST[0]=SG69`): how a command's parameters travel
//! inside `batch`, where each command is one string `method?query`.
//!
//! The server reads them with PHP's `parse_str`, so they are written as PHP's
//! `http_build_query` writes them: nested keys in brackets, `true`/`false` as `1`/`0`, and
//! `null` and empty lists or objects left out (PHP has no way to send them in a query).

use reqwest::Url;
use serde_json::{Map, Value};

use crate::ordered::Ordered;

/// `params` (a JSON object) as a query string, keys sorted.
#[cfg(test)]
pub(crate) fn encode(params: &Map<String, Value>) -> String {
    let entries: Vec<(String, Ordered)> = params
        .iter()
        .map(|(key, value)| (key.clone(), Ordered::from_value(value.clone())))
        .collect();
    encode_ordered(&entries)
}

/// An object's entries as a query string, in their order: nested keys keep theirs too, which
/// `order[DATE]=DESC&order[ID]=ASC` depends on.
pub(crate) fn encode_ordered(params: &[(String, Ordered)]) -> String {
    let mut pairs = Vec::new();
    for (key, value) in params {
        flatten(key.clone(), value, &mut pairs);
    }
    // `Url` is the form encoder reqwest already carries: no extra dependency.
    let mut url = Url::parse("http://query.invalid/").expect("a constant, valid URL");
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_owned()
}

fn flatten(prefix: String, value: &Ordered, out: &mut Vec<(String, String)>) {
    match value {
        Ordered::Null => {}
        Ordered::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(format!("{prefix}[{i}]"), item, out);
            }
        }
        Ordered::Object(entries) => {
            for (key, item) in entries {
                flatten(format!("{prefix}[{key}]"), item, out);
            }
        }
        scalar => out.push((prefix, scalar.as_scalar_text().unwrap_or_default())),
    }
}

/// A query string's pairs in their order, `+` and `%XX` decoded (what `parse_str` sees
/// before it nests them).
#[cfg(feature = "mock")]
pub(crate) fn pairs(query: &str) -> Vec<(String, String)> {
    let mut url = Url::parse("http://query.invalid/").expect("a constant, valid URL");
    url.set_query(Some(query));
    url.query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// Reads a query string back as `parse_str` would: every value a string, bracketed keys
/// nested, and keys `0, 1, …` in order read as a list.
pub(crate) fn decode(query: &str) -> Map<String, Value> {
    let mut url = Url::parse("http://query.invalid/").expect("a constant, valid URL");
    url.set_query(Some(query));
    let mut root = Value::Object(Map::new());
    for (key, value) in url.query_pairs() {
        let (head, rest) = match key.find('[') {
            Some(at) => (&key[..at], &key[at..]),
            None => (&key[..], ""),
        };
        let mut path = vec![head.to_owned()];
        let mut rest = rest;
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(end) = inner.find(']') else { break };
            path.push(inner[..end].to_owned());
            rest = &inner[end + 1..];
        }
        insert(&mut root, &path, Value::String(value.into_owned()));
    }
    match lists(root) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn insert(node: &mut Value, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    let Value::Object(map) = node else { return };
    // `DEST[]=a&DEST[]=b` appends, as in PHP.
    let key = if first.is_empty() {
        map.len().to_string()
    } else {
        first.clone()
    };
    if rest.is_empty() {
        map.insert(key, value);
    } else {
        let child = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
        insert(child, rest, value);
    }
}

fn lists(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let sequential =
                !map.is_empty() && map.keys().enumerate().all(|(i, key)| key == &i.to_string());
            if sequential {
                Value::Array(map.into_iter().map(|(_, v)| lists(v)).collect())
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, lists(v))).collect())
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn encodes_like_http_build_query() {
        let params = object(json!({
            "POST_ID": 217,
            "DEST": ["SG69", "DR4"],
            "FIELDS": {"TITLE": "a b&c=d", "OK": true, "NO": false, "NONE": null},
            "EMPTY": [],
            "RATE": 1.5
        }));
        // Keys in the order they were written (serde_json's `preserve_order`), as PHP's
        // `http_build_query` keeps them: an `order` map's keys are its sort priority.
        assert_eq!(
            encode(&params),
            "POST_ID=217&DEST%5B0%5D=SG69&DEST%5B1%5D=DR4&FIELDS%5BTITLE%5D=a+b%26c%3Dd\
             &FIELDS%5BOK%5D=1&FIELDS%5BNO%5D=0&RATE=1.5"
        );
        assert_eq!(encode(&Map::new()), "");
    }

    #[cfg(feature = "mock")]
    #[test]
    fn decodes_like_parse_str() {
        let params = object(json!({
            "POST_ID": 217,
            "DEST": ["SG69", "DR4"],
            "FIELDS": {"TITLE": "a b&c=d", "OK": true}
        }));
        assert_eq!(
            Value::Object(decode(&encode(&params))),
            json!({
                "POST_ID": "217",
                "DEST": ["SG69", "DR4"],
                "FIELDS": {"TITLE": "a b&c=d", "OK": "1"}
            })
        );
        assert_eq!(
            Value::Object(decode("A[]=x&A[]=y&B[k][0]=1&C")),
            json!({"A": ["x", "y"], "B": {"k": ["1"]}, "C": ""})
        );
        assert!(decode("").is_empty());
    }
}
