//! Lenient decoding for fields of answers: how Bitrix24 writes "no value" (`null`, `""`,
//! `false`, `[]`), and PHP's habit of sending an empty map as `[]`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

use crate::fields::{Lenient, integer_keyed, is_empty_form};

/// A method's result: as it decodes in the usual case; else, for an empty answer the type
/// does not take (`[]` for a map: PHP's empty array is `[]` whether a list or a map was meant;
/// `{}`, `false`, `null` or `""` for an empty list), the first empty form it does take; else
/// as [`Lenient`] reads it (numbers and flags sent as text, `"Y"` for `true`, a list sent as an
/// object keyed by integers), the way the fields of imported objects are read. Only an answer
/// that fits none of these is an error, its own.
pub(crate) fn output<T: DeserializeOwned>(result: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(result).or_else(|error| {
        let empty = [
            Value::Array(Vec::new()),
            Value::Object(Default::default()),
            Value::Null,
        ];
        let forms: &[Value] = if is_empty_form(result) { &empty } else { &[] };
        forms
            .iter()
            .find_map(|form| T::deserialize(form).ok())
            .or_else(|| T::deserialize(Lenient(result)).ok())
            .ok_or(error)
    })
}

/// A list whose keys lost their sequence ([`integer_keyed`]): its values, in the order sent.
/// `None` for anything else.
fn keyed_list(value: &Value) -> Option<Value> {
    match value {
        Value::Object(map) if integer_keyed(map) => {
            Some(Value::Array(map.values().cloned().collect()))
        }
        _ => None,
    }
}

/// [`output`] of a result's JSON text, decoded straight from the text in the usual case.
pub(crate) fn output_from_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text).or_else(|error| match serde_json::from_str::<Value>(text) {
        Ok(value) => output(&value).map_err(|_| error),
        Err(_) => Err(error),
    })
}

/// An optional field: `null`, `""`, `false` and `[]` mean "no value" (an empty custom field
/// arrives as `false`, an empty date as `""`); anything else must decode as `T`.
pub fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    optional(deserializer, true)
}

/// An optional text field: `null`, `false` and `[]` mean "no value", but `""` is the empty
/// text, kept apart from no value: a request that sends `""` clears a field, and reads back
/// (the command line's `--json`, the request examples) as `Some("")`, not as a field left out.
pub fn text_or_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    optional(deserializer, false)
}

/// `null`, `false`, `[]` (and `""` where `empty_text_is_none`) as no value, else a `T`.
fn optional<'de, D, T>(deserializer: D, empty_text_is_none: bool) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    match &value {
        Value::Null | Value::Bool(false) => Ok(None),
        Value::String(text) if empty_text_is_none && text.is_empty() => Ok(None),
        Value::Array(items) if items.is_empty() => Ok(None),
        _ => T::deserialize(value)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// A map field: an object, or `[]` / `null` for an empty one.
pub fn map_or_empty<'de, D, T>(deserializer: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    match value {
        Value::Null => Ok(BTreeMap::new()),
        Value::Array(items) if items.is_empty() => Ok(BTreeMap::new()),
        other => BTreeMap::<String, T>::deserialize(other).map_err(serde::de::Error::custom),
    }
}

/// An optional list field: a list, or `null` / `false` / `""` / `{}` for an empty one, or an
/// object keyed by integers for a list whose keys lost their sequence.
pub fn list_or_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    let value = keyed_list(&value).unwrap_or(value);
    match &value {
        Value::Null | Value::Bool(false) => Ok(Vec::new()),
        Value::String(text) if text.is_empty() => Ok(Vec::new()),
        Value::Object(map) if map.is_empty() => Ok(Vec::new()),
        _ => Vec::<T>::deserialize(value).map_err(serde::de::Error::custom),
    }
}

/// The records of a page whose records field the spec leaves untyped (`any`): the items of an
/// array, the values of an object keyed by integers (ids); none for the server's "no value" forms (`null`, `false`, `""`, `{}`); any other
/// value as the one record it is, so that nothing the server sent is dropped.
pub fn records(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        // Records keyed by id, or a list whose keys lost their sequence: its values, in order.
        Value::Object(map) if integer_keyed(&map) => map.into_iter().map(|(_, v)| v).collect(),
        Value::Null | Value::Bool(false) => Vec::new(),
        Value::String(ref text) if text.is_empty() => Vec::new(),
        Value::Object(ref map) if map.is_empty() => Vec::new(),
        other => vec![other],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct Fields {
        #[serde(
            default,
            deserialize_with = "text_or_none",
            skip_serializing_if = "Option::is_none"
        )]
        title: Option<String>,
    }

    #[test]
    fn an_empty_answer_decodes_as_the_empty_form_its_type_takes() {
        use serde_json::json;
        let map: BTreeMap<String, Fields> = output(&json!([])).expect("[] for an empty map");
        assert!(map.is_empty());
        for empty in ["{}", "false", "null", "\"\""] {
            let list: Vec<Fields> = output_from_str(empty).expect(empty);
            assert!(list.is_empty(), "{empty}");
        }
        let none: Option<i64> = output(&json!(false)).expect("false for none");
        assert_eq!(none, None);
        assert!(
            output::<bool>(&json!([])).is_err(),
            "no empty form is a boolean"
        );
        let error = output::<Vec<Fields>>(&json!({"a": 1})).expect_err("not empty");
        assert!(error.to_string().contains("sequence"), "{error}");
    }

    #[test]
    fn a_list_whose_keys_lost_their_sequence_is_still_a_list() {
        use serde_json::json;
        let gaps = json!({"0": {"title": "a"}, "2": {"title": "c"}});
        let list: Vec<Fields> = output(&gaps).expect("keyed by integers");
        let titles: Vec<_> = list.iter().map(|f| f.title.as_deref()).collect();
        assert_eq!(titles, [Some("a"), Some("c")], "in the order sent");
        let map: BTreeMap<String, Fields> = output(&gaps).expect("a map stays a map");
        assert_eq!(map.len(), 2);
        assert!(output::<Vec<Fields>>(&json!({"0": 1, "x": 2})).is_err());
    }

    #[test]
    fn a_result_is_read_as_the_fields_of_objects_are() {
        use serde_json::json;
        assert_eq!(output::<bool>(&json!("Y")).ok(), Some(true));
        assert_eq!(output::<bool>(&json!(1)).ok(), Some(true));
        assert_eq!(output::<i64>(&json!("58943")).ok(), Some(58943));
        assert_eq!(output::<Vec<i64>>(&json!(["1", 2])).ok(), Some(vec![1, 2]));
        assert_eq!(output::<String>(&json!(12)).ok().as_deref(), Some("12"));
        let error = output::<i64>(&json!("many")).expect_err("no number");
        assert!(
            error.to_string().contains("invalid type"),
            "its own error: {error}"
        );
    }

    #[test]
    fn untyped_records_keep_every_value_the_server_sent() {
        use serde_json::json;
        assert_eq!(records(json!([{"id": 1}, 2])), [json!({"id": 1}), json!(2)]);
        for none in [json!(null), json!(false), json!(""), json!({})] {
            assert!(records(none.clone()).is_empty(), "{none}");
        }
        assert_eq!(records(json!({"id": 1})), [json!({"id": 1})]);
    }

    #[test]
    fn empty_text_is_kept_apart_from_no_value() {
        let cleared: Fields = serde_json::from_str(r#"{"title":""}"#).expect("decodes");
        assert_eq!(cleared.title.as_deref(), Some(""));
        assert_eq!(
            serde_json::to_string(&cleared).unwrap(),
            r#"{"title":""}"#,
            "an empty text is sent"
        );
        for absent in [
            "{}",
            r#"{"title":null}"#,
            r#"{"title":false}"#,
            r#"{"title":[]}"#,
        ] {
            let fields: Fields = serde_json::from_str(absent).expect(absent);
            assert_eq!(fields.title, None, "{absent}");
            assert_eq!(serde_json::to_string(&fields).unwrap(), "{}");
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Sample {
        #[serde(default, deserialize_with = "empty_as_none")]
        date: Option<String>,
        #[serde(default, deserialize_with = "empty_as_none")]
        value: Option<Vec<i64>>,
        #[serde(default, deserialize_with = "map_or_empty")]
        files: BTreeMap<String, i64>,
        #[serde(default, deserialize_with = "list_or_empty")]
        attach: Vec<i64>,
    }

    #[test]
    fn empty_forms_read_as_none() {
        for body in [
            r#"{"date":"","value":false,"files":[]}"#,
            r#"{"date":null,"value":[],"files":null}"#,
            "{}",
        ] {
            let sample: Sample = serde_json::from_str(body).expect(body);
            assert_eq!(
                sample,
                Sample {
                    date: None,
                    value: None,
                    files: BTreeMap::new(),
                    attach: Vec::new(),
                },
                "{body}"
            );
        }
        let full: Sample = serde_json::from_str(
            r#"{"date":"2025-01-01","value":[505],"files":{"7":1},"attach":[3]}"#,
        )
        .expect("full");
        assert_eq!(full.attach, vec![3]);
        let empty_object: Sample =
            serde_json::from_str(r#"{"attach":{}}"#).expect("{} is an empty list");
        assert!(empty_object.attach.is_empty());
        assert_eq!(full.value, Some(vec![505]));
        assert_eq!(full.files.get("7"), Some(&1));
        assert!(serde_json::from_str::<Sample>(r#"{"value":"x"}"#).is_err());
    }
}
