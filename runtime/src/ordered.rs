//! JSON that keeps the order of object keys: what a request serialises to, read back without
//! the sorting of `serde_json`'s map (the crate is built without `preserve_order`).
//!
//! The order matters on the wire in one place: `order` (`{"DATE_CREATE": "DESC", "ID": "ASC"}`
//! sorts by the date first). A request is serialised to JSON text, read into [`Ordered`],
//! changed and written out again, in JSON or as a PHP query string, with its keys in the order
//! the request wrote them.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;
#[cfg(test)]
use serde_json::Value;

/// A JSON value whose objects are lists of entries, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ordered {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    /// `value` as it serialises to JSON, keys in the order it writes them.
    pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> Result<Ordered, serde_json::Error> {
        let text = serde_json::to_string(value)?;
        serde_json::from_str(&text)
    }

    /// A string value.
    pub(crate) fn text(text: impl Into<String>) -> Ordered {
        Ordered::String(text.into())
    }

    /// The entries of an object; `None` for anything else.
    pub(crate) fn entries(&self) -> Option<&[(String, Ordered)]> {
        match self {
            Ordered::Object(entries) => Some(entries),
            _ => None,
        }
    }

    #[cfg(test)]
    /// Plain JSON as an ordered value (its objects in `serde_json`'s key order).
    pub(crate) fn from_value(value: Value) -> Ordered {
        match value {
            Value::Null => Ordered::Null,
            Value::Bool(flag) => Ordered::Bool(flag),
            Value::Number(number) => Ordered::Number(number),
            Value::String(text) => Ordered::String(text),
            Value::Array(items) => {
                Ordered::Array(items.into_iter().map(Ordered::from_value).collect())
            }
            Value::Object(map) => Ordered::Object(
                map.into_iter()
                    .map(|(key, value)| (key, Ordered::from_value(value)))
                    .collect(),
            ),
        }
    }

    #[cfg(test)]
    /// The value as plain JSON (objects sorted by key).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Ordered::Null => Value::Null,
            Ordered::Bool(flag) => Value::Bool(*flag),
            Ordered::Number(number) => Value::Number(number.clone()),
            Ordered::String(text) => Value::String(text.clone()),
            Ordered::Array(items) => Value::Array(items.iter().map(Ordered::to_value).collect()),
            Ordered::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), value.to_value()))
                    .collect(),
            ),
        }
    }

    /// The value as text, the way PHP reads a scalar from a query string.
    pub(crate) fn as_scalar_text(&self) -> Option<String> {
        match self {
            Ordered::Bool(flag) => Some(if *flag { "1" } else { "0" }.to_owned()),
            Ordered::Number(number) => Some(number.to_string()),
            Ordered::String(text) => Some(text.clone()),
            _ => None,
        }
    }
}

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Ordered::Null => serializer.serialize_unit(),
            Ordered::Bool(flag) => serializer.serialize_bool(*flag),
            Ordered::Number(number) => number.serialize(serializer),
            Ordered::String(text) => serializer.serialize_str(text),
            Ordered::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Ordered::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Ordered, D::Error> {
        Ordered::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Ordered, E> {
        Ok(Ordered::Bool(flag))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Ordered, E> {
        Ok(Ordered::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Ordered, E> {
        Ok(Ordered::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Ordered, E> {
        // JSON has no NaN or infinity, so every number read from it has a `Number`.
        Ok(Number::from_f64(n).map_or(Ordered::Null, Ordered::Number))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Ordered, E> {
        Ok(Ordered::String(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Ordered, E> {
        Ok(Ordered::String(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut entries: Vec<(String, Ordered)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Ordered>()? {
            // A repeated key keeps its first place and its last value, as JSON readers do.
            match entries.iter_mut().find(|(known, _)| *known == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(Ordered::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_keep_the_order_they_were_written_in() {
        let text = r#"{"order":{"DATE":"DESC","ID":"ASC"},"filter":{">ID":5},"start":-1,"x":[1.5,null,true]}"#;
        let value: Ordered = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
        assert_eq!(
            value.to_value(),
            json!({"order": {"DATE": "DESC", "ID": "ASC"}, "filter": {">ID": 5}, "start": -1,
                   "x": [1.5, null, true]})
        );
        let keys: Vec<&str> = value.entries().unwrap()[0]
            .1
            .entries()
            .unwrap()
            .iter()
            .map(|(key, _)| key.as_str())
            .collect();
        assert_eq!(keys, ["DATE", "ID"]);
    }
}
