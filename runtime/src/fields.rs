//! Lenient objects: how the generated `Deserialize` of an object that keeps other keys
//! (`other_fields` in its spec) reads an answer without losing anything the server sent.
//!
//! Pages are often wrong about types, and portals write the same value many ways (ids and
//! numbers as strings, `"Y"`/`"N"` and `"1"`/`"0"` for booleans, `""`, `null`, `false`, `[]` or
//! `{}` for "no value"). [`Fields`] takes the object's keys one field at a time:
//!
//! - a value is read leniently ([`Lenient`]): a number from a string of digits, a boolean from
//!   `"Y"`/`"N"`/`"1"`/`"0"`/`1`/`0`, a text from a number, all the way down;
//! - an optional field whose value is a "no value" form, or does not fit its type, is `None`
//!   (an empty list or map), and its raw value stays in the other fields under its key;
//! - a required field that is missing or does not fit fails the decoding, naming the key;
//! - every key no field takes is kept in the other fields;
//! - `[]`, `null`, `false` and `""` where the object is expected read as an empty object.
//!
//! The generated impl is one line per field:
//!
//! ```
//! # use std::collections::BTreeMap;
//! # use b24_rest_runtime::__private::Fields;
//! # use serde_json::Value;
//! struct Post { id: b24_rest_runtime::Id, title: Option<String>, rest: BTreeMap<String, Value> }
//!
//! impl<'de> serde::Deserialize<'de> for Post {
//!     fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         let mut fields = Fields::new(deserializer)?;
//!         Ok(Post {
//!             id: fields.required("ID", &[])?,
//!             title: fields.optional("TITLE", &["title"]),
//!             rest: fields.into_rest(),
//!         })
//!     }
//! }
//!
//! let post: Post = serde_json::from_str(r#"{"ID": "217", "TITLE": false, "UF_X": 1}"#).unwrap();
//! assert_eq!((post.id.get(), post.title), (217, None));
//! assert_eq!(post.rest["TITLE"], Value::Bool(false));
//! assert_eq!(post.rest["UF_X"], 1);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Value};

/// The keys of one object of an answer, taken field by field; what no field takes is the
/// rest (`into_rest`). `E` is the error type of the deserializer the object is read from.
pub struct Fields<E> {
    map: Map<String, Value>,
    error: PhantomData<E>,
}

impl<E: de::Error> Fields<E> {
    /// Reads the object: any JSON object, or an empty one for `[]`, `{}`, `null`, `false` and
    /// `""`. Any other value is an error (it is not this object).
    pub fn new<'de, D: Deserializer<'de, Error = E>>(deserializer: D) -> Result<Self, E> {
        let map = match Value::deserialize(deserializer)? {
            Value::Object(map) => map,
            value if is_empty_form(&value) => Map::new(),
            other => {
                return Err(E::custom(format_args!(
                    "expected an object, found {}",
                    kind(&other)
                )));
            }
        };
        Ok(Fields {
            map,
            error: PhantomData,
        })
    }

    /// The raw value of `key`, or of the first alias present; taken out of the rest.
    fn take_raw(&mut self, key: &str, aliases: &[&str]) -> Option<(String, Value)> {
        std::iter::once(&key)
            .chain(aliases)
            .find_map(|name| self.map.remove_entry(*name))
    }

    /// Puts a value no field could hold back among the rest, under the key it came with.
    fn keep(&mut self, key: String, value: Value) {
        self.map.insert(key, value);
    }

    /// A field that must be present and fit its type (read leniently); an error naming the
    /// key otherwise.
    pub fn required<T: DeserializeOwned>(&mut self, key: &str, aliases: &[&str]) -> Result<T, E> {
        let Some((_, value)) = self.take_raw(key, aliases) else {
            return Err(E::custom(format_args!("missing field `{key}`")));
        };
        T::deserialize(Lenient(&value))
            .map_err(|error| E::custom(format_args!("field `{key}`: {error}")))
    }

    /// An optional field: `None` when absent, when its value is a "no value" form (`null`,
    /// `""`, `[]`, `{}`, and `false` unless the field is a boolean) or when it does not fit its
    /// type; in the last two cases the raw value stays in the rest under its key.
    pub fn optional<T: DeserializeOwned>(&mut self, key: &str, aliases: &[&str]) -> Option<T> {
        let (wire, value) = self.take_raw(key, aliases)?;
        let read = match &value {
            Value::Null => return None,
            value if is_empty_form(value) && !matches!(value, Value::Bool(false)) => None,
            value => T::deserialize(Lenient(value)).ok(),
        };
        if read.is_none() {
            self.keep(wire, value);
        }
        read
    }

    /// An optional text field: `""` is the empty text and a number its decimal text; `null`
    /// is `None`, and any other value `None` with its raw value kept in the rest.
    pub fn text(&mut self, key: &str, aliases: &[&str]) -> Option<String> {
        match self.take_raw(key, aliases)? {
            (_, Value::Null) => None,
            (_, Value::String(text)) => Some(text),
            (_, Value::Number(number)) => Some(number.to_string()),
            (wire, other) => {
                self.keep(wire, other);
                None
            }
        }
    }

    /// An optional field of any JSON (`any`): every value but `null` is one, as sent.
    pub fn any(&mut self, key: &str, aliases: &[&str]) -> Option<Value> {
        match self.take_raw(key, aliases)? {
            (_, Value::Null) => None,
            (_, value) => Some(value),
        }
    }

    /// A list field: empty when absent; a "no value" form or a list that does not fit is an
    /// empty list, its raw value kept in the rest (`[]` itself is simply empty).
    pub fn list<T: DeserializeOwned>(&mut self, key: &str, aliases: &[&str]) -> Vec<T> {
        self.collection(key, aliases)
    }

    /// A map field: empty when absent; a "no value" form or a map that does not fit is an
    /// empty map, its raw value kept in the rest (`{}` itself is simply empty).
    pub fn map<T: DeserializeOwned>(&mut self, key: &str, aliases: &[&str]) -> BTreeMap<String, T> {
        self.collection(key, aliases)
    }

    fn collection<C: DeserializeOwned + Default>(&mut self, key: &str, aliases: &[&str]) -> C {
        let Some((wire, value)) = self.take_raw(key, aliases) else {
            return C::default();
        };
        match C::deserialize(Lenient(&value)) {
            Ok(read) => read,
            Err(_) => {
                if !value.is_null() {
                    self.keep(wire, value);
                }
                C::default()
            }
        }
    }

    /// Every key no field took, with the raw values of fields that did not fit, as sent (the
    /// spec's `other_fields` of such an object are of type `any`).
    pub fn into_rest(self) -> BTreeMap<String, Value> {
        self.map.into_iter().collect()
    }
}

/// A PHP list whose keys lost their sequence (filtered on the server, it is encoded as an
/// object: `{"0": {...}, "2": {...}}`): an object whose keys are all integers.
pub(crate) fn integer_keyed(map: &serde_json::Map<String, Value>) -> bool {
    let integer = |key: &String| !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit());
    !map.is_empty() && map.keys().all(integer)
}

/// `[]`, `{}`, `null`, `false`, `""`: how portals write "no value".
pub(crate) fn is_empty_form(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A JSON value read the way portals write it: numbers from strings of digits (`"217"`,
/// `" 5 "`, `"3607999.00"` for a double), booleans from `"Y"`/`"N"`/`"1"`/`"0"`/`1`/`0`
/// (any case), text from numbers; the same for every value inside lists and objects.
pub struct Lenient<'a>(pub &'a Value);

impl<'a> Lenient<'a> {
    fn flag(&self) -> Option<bool> {
        match self.0 {
            Value::Bool(flag) => Some(*flag),
            Value::Number(number) => match number.as_f64() {
                Some(1.0) => Some(true),
                Some(0.0) => Some(false),
                _ => None,
            },
            Value::String(text) => match text.trim().to_ascii_uppercase().as_str() {
                "Y" | "1" | "TRUE" => Some(true),
                "N" | "0" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    fn text(&self) -> Option<&'a str> {
        match self.0 {
            Value::String(text) => Some(text.trim()),
            _ => None,
        }
    }
}

macro_rules! integer {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            if let Some(text) = self.text() {
                if let Ok(number) = text.parse::<i64>() {
                    return visitor.visit_i64(number);
                }
                if let Ok(number) = text.parse::<u64>() {
                    return visitor.visit_u64(number);
                }
            }
            if let Value::Number(number) = self.0 {
                // `5.0` is the integer 5.
                if let Some(whole) = number.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                    if !number.is_i64() && !number.is_u64() {
                        return visitor.visit_i64(whole as i64);
                    }
                }
            }
            self.0.$method(visitor)
        }
    )*};
}

macro_rules! delegate {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.0.$method(visitor)
        }
    )*};
}

impl<'a> Deserializer<'a> for Lenient<'a> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Object(map) => visitor.visit_map(Entries(map.iter(), None)),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.flag() {
            Some(flag) => visitor.visit_bool(flag),
            None => self.0.deserialize_bool(visitor),
        }
    }

    integer!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128);

    fn deserialize_f32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.text().map(str::parse::<f64>) {
            Some(Ok(number)) if number.is_finite() => visitor.visit_f64(number),
            _ => self.0.deserialize_f64(visitor),
        }
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Number(number) => visitor.visit_string(number.to_string()),
            other => other.deserialize_str(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            // A list whose keys lost their sequence: its values, in the order sent.
            Value::Object(map) if integer_keyed(map) => visitor.visit_seq(Seq(map.values())),
            other => other.deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries(map.iter(), None)),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries(map.iter(), None)),
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    delegate!(deserialize_char deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier deserialize_ignored_any);
}

/// The items of a list, each read leniently.
struct Seq<I>(I);

impl<'a, I: ExactSizeIterator<Item = &'a Value>> SeqAccess<'a> for Seq<I> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|value| seed.deserialize(Lenient(value)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of an object, in the server's order, each value read leniently.
struct Entries<'a>(serde_json::map::Iter<'a>, Option<&'a Value>);

impl<'a> MapAccess<'a> for Entries<'a> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.0.next() else {
            return Ok(None);
        };
        self.1 = Some(value);
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.1.take() {
            Some(value) => seed.deserialize(Lenient(value)),
            None => Err(de::Error::custom("a value without a key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

impl fmt::Debug for Lenient<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Lenient").field(self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Date, Id};
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        n: i64,
        #[serde(default)]
        flag: Option<bool>,
    }

    #[derive(Debug, PartialEq)]
    struct Record {
        id: Id,
        sort: Option<i64>,
        probability: Option<f64>,
        active: Option<bool>,
        title: Option<String>,
        note: Option<String>,
        opened: Option<Date>,
        ids: Vec<i64>,
        inner: Option<Inner>,
        names: BTreeMap<String, String>,
        raw: Option<Value>,
        rest: BTreeMap<String, Value>,
    }

    impl<'de> Deserialize<'de> for Record {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::new(deserializer)?;
            Ok(Record {
                id: fields.required("ID", &["id"])?,
                sort: fields.optional("SORT", &[]),
                probability: fields.optional("PROBABILITY", &[]),
                active: fields.optional("ACTIVE", &[]),
                title: fields.optional("TITLE", &["title"]),
                note: fields.text("NOTE", &[]),
                opened: fields.optional("OPENED", &[]),
                ids: fields.list("IDS", &[]),
                inner: fields.optional("INNER", &[]),
                names: fields.map("NAMES", &[]),
                raw: fields.any("RAW", &[]),
                rest: fields.into_rest(),
            })
        }
    }

    fn record(value: Value) -> Record {
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
    }

    #[test]
    fn scalars_are_read_as_portals_write_them() {
        let r = record(json!({
            "ID": "217", "SORT": "500", "PROBABILITY": "30.5", "ACTIVE": "Y", "TITLE": 12,
            "OPENED": "2025-01-02", "IDS": ["1", 2, " 3 "], "INNER": {"n": "7", "flag": "N"},
            "NAMES": {"a": 1, "b": "x"}, "RAW": "", "NOTE": ""
        }));
        // `""` is a text (a field cleared), not "no value".
        assert_eq!(r.note.as_deref(), Some(""));
        assert_eq!(r.id, Id(217));
        assert_eq!(r.sort, Some(500));
        assert_eq!(r.probability, Some(30.5));
        assert_eq!(r.active, Some(true));
        assert_eq!(r.title.as_deref(), Some("12"));
        assert!(r.opened.is_some());
        assert_eq!(r.ids, [1, 2, 3]);
        assert_eq!(
            r.inner,
            Some(Inner {
                n: 7,
                flag: Some(false)
            })
        );
        assert_eq!(r.names["a"], "1");
        assert_eq!(r.raw, Some(json!("")));
        assert!(r.rest.is_empty(), "{:?}", r.rest);
        for (flag, want) in [
            (json!("N"), false),
            (json!("1"), true),
            (json!(0), false),
            (json!(false), false),
        ] {
            let r = record(json!({"ID": 1, "ACTIVE": flag}));
            assert_eq!(r.active, Some(want), "{flag}");
            assert!(r.rest.is_empty());
        }
    }

    #[test]
    fn a_list_sent_keyed_by_integers_is_read_as_the_list() {
        let r = record(json!({"ID": 1, "IDS": {"0": "4", "3": 9}}));
        assert_eq!(r.ids, [4, 9], "the values, in the order sent");
        assert!(r.rest.is_empty(), "{:?}", r.rest);
        let named = record(json!({"ID": 1, "IDS": {"0": 4, "next": 9}}));
        assert!(
            named.ids.is_empty(),
            "an object with a named key is no list"
        );
        assert_eq!(named.rest["IDS"], json!({"0": 4, "next": 9}), "and is kept");
    }

    #[test]
    fn empty_forms_and_misfits_are_none_and_kept() {
        let sent = json!({
            "ID": 5, "SORT": "", "PROBABILITY": "high", "ACTIVE": "maybe", "TITLE": false,
            "OPENED": {}, "IDS": "", "INNER": [], "NAMES": false, "RAW": null, "UF_CRM_1": [1],
            "ufCrm11_1712074666": {"a": null}, "NOTE": false
        });
        let r = record(sent.clone());
        assert_eq!(
            (
                r.sort,
                r.probability,
                r.active,
                r.title,
                r.opened,
                r.inner,
                r.raw
            ),
            (None, None, None, None, None, None, None)
        );
        assert!(r.ids.is_empty() && r.names.is_empty() && r.note.is_none());
        // Every key the server sent but `ID` and the nulls stays reachable, as sent.
        for key in [
            "SORT",
            "PROBABILITY",
            "ACTIVE",
            "TITLE",
            "OPENED",
            "IDS",
            "INNER",
            "NAMES",
            "UF_CRM_1",
            "ufCrm11_1712074666",
            "NOTE",
        ] {
            assert_eq!(r.rest.get(key), Some(&sent[key]), "{key}");
        }
        assert_eq!(r.rest.len(), 11);
        // A list that does not fit is kept whole; `[]` is simply empty.
        let r = record(json!({"ID": 5, "IDS": [1, "x"], "NAMES": []}));
        assert!(r.ids.is_empty());
        assert_eq!(r.rest["IDS"], json!([1, "x"]));
        assert_eq!(r.rest["NAMES"], json!([]));
        let r = record(json!({"ID": 5, "IDS": []}));
        assert!(r.rest.is_empty());
    }

    #[test]
    fn aliases_and_required_fields() {
        let r = record(json!({"id": "9", "title": "t", "TITLE": "T"}));
        assert_eq!(r.id, Id(9));
        // The key wins over an alias; the alias's value stays reachable.
        assert_eq!(r.title.as_deref(), Some("T"));
        assert_eq!(r.rest["title"], "t");
        for bad in [
            json!({}),
            json!({"ID": ""}),
            json!({"ID": "x"}),
            json!({"ID": null}),
        ] {
            let error = serde_json::from_value::<Record>(bad.clone()).unwrap_err();
            assert!(error.to_string().contains("ID"), "{bad}: {error}");
        }
    }

    #[test]
    fn an_empty_form_is_an_empty_object_and_other_values_are_not_objects() {
        #[derive(Debug)]
        struct Open(BTreeMap<String, Value>, Option<i64>);
        impl<'de> Deserialize<'de> for Open {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut fields = Fields::new(deserializer)?;
                let n = fields.optional("N", &[]);
                Ok(Open(fields.into_rest(), n))
            }
        }
        for empty in ["[]", "{}", "null", "false", "\"\""] {
            let open: Open = serde_json::from_str(empty).expect(empty);
            assert!(open.0.is_empty() && open.1.is_none(), "{empty}");
        }
        for other in ["[1]", "true", "\"x\"", "5"] {
            assert!(serde_json::from_str::<Open>(other).is_err(), "{other}");
        }
        // Inside a list, each element is read on its own.
        let list: Vec<Open> =
            serde_json::from_str(r#"[{"N": "3"}, [], {"N": "x"}]"#).expect("list");
        assert_eq!(list[0].1, Some(3));
        assert_eq!(list[2].0["N"], "x");
    }
}
