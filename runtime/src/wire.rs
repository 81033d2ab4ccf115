//! How some values go on the wire and come back: doubles with an integral value without
//! `.0` (`100`, as the pages write them), and the values of numeric enums (`1`, read from a
//! number or its text `"1"`).

use std::collections::BTreeMap;

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// Largest integer an `f64` holds exactly (2^53): beyond it a float stays a float.
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// A double as the pages write it: an integral value as an integer (`100`, not `100.0`).
pub(crate) fn serialize_f64<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() <= EXACT_INTEGER {
        serializer.serialize_i64(value as i64)
    } else {
        serializer.serialize_f64(value)
    }
}

/// The shapes of a double field: `f64`, and options, lists and maps of one.
pub trait DoubleShape {
    /// Serializes the value with every integral double as an integer.
    fn serialize_double<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// A double shape as [`Serialize`].
struct Doubles<'a, T: ?Sized>(&'a T);

impl<T: DoubleShape + ?Sized> Serialize for Doubles<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_double(serializer)
    }
}

impl DoubleShape for f64 {
    fn serialize_double<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_f64(*self, serializer)
    }
}

impl<T: DoubleShape> DoubleShape for Option<T> {
    fn serialize_double<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Doubles(value)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: DoubleShape> DoubleShape for Vec<T> {
    fn serialize_double<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Doubles))
    }
}

impl<T: DoubleShape> DoubleShape for BTreeMap<String, T> {
    fn serialize_double<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(key, value)| (key, Doubles(value))))
    }
}

/// `serialize_with` for a field holding doubles: integral values go out without `.0`.
pub fn double<T: DoubleShape, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_double(serializer)
}

/// A numeric enum's value as text: a JSON integer (`1`), or a string (`"1"`, as servers send
/// numbers too); an integral float (`1.0`) counts as its integer.
pub fn enum_number_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct TextVisitor;

    impl Visitor<'_> for TextVisitor {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an enum value, as a number or a string")
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
            Ok(value.to_string())
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
            Ok(value.to_string())
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
            if value.fract() == 0.0 && value.abs() <= EXACT_INTEGER {
                Ok((value as i64).to_string())
            } else {
                Err(E::invalid_value(de::Unexpected::Float(value), &self))
            }
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
            Ok(value.to_owned())
        }

        fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
            Ok(value)
        }
    }

    deserializer.deserialize_any(TextVisitor)
}

/// A numeric enum's value (its text, `as_str`) as a JSON number; a value that is not an
/// integer (an open enum's unknown text) as a string.
pub fn serialize_enum_number<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    match text.parse::<i64>() {
        Ok(number) => serializer.serialize_i64(number),
        Err(_) => serializer.serialize_str(text),
    }
}

/// `value` as JSON, with every integral double as an integer (`100`, not `100.0`), as the
/// pages write them; `null` if it cannot be JSON (a map with keys that are not text).
pub fn json_value<T: Serialize>(value: T) -> serde_json::Value {
    let mut json = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    integral_doubles_as_integers(&mut json);
    json
}

fn integral_doubles_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) if number.is_f64() => {
            if let Some(float) = number.as_f64()
                && float.fract() == 0.0
                && float.abs() <= EXACT_INTEGER
            {
                *number = serde_json::Number::from(float as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_doubles_as_integers),
        serde_json::Value::Object(map) => map.values_mut().for_each(integral_doubles_as_integers),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Prices {
        #[serde(serialize_with = "double")]
        one: f64,
        #[serde(serialize_with = "double", skip_serializing_if = "Option::is_none")]
        maybe: Option<f64>,
        #[serde(serialize_with = "double")]
        list: Vec<f64>,
        #[serde(serialize_with = "double")]
        map: BTreeMap<String, Option<f64>>,
    }

    #[test]
    fn integral_doubles_go_out_as_integers() {
        let prices = Prices {
            one: 100.0,
            maybe: Some(-2.0),
            list: vec![1.5, 3.0, 1e300, 0.1],
            map: BTreeMap::from([("a".to_owned(), Some(7.0)), ("b".to_owned(), None)]),
        };
        assert_eq!(
            serde_json::to_string(&prices).unwrap(),
            r#"{"one":100,"maybe":-2,"list":[1.5,3,1e+300,0.1],"map":{"a":7,"b":null}}"#
        );
        let none = Prices {
            maybe: None,
            ..prices
        };
        assert!(!serde_json::to_string(&none).unwrap().contains("maybe"));
    }

    #[test]
    fn json_values_write_integral_doubles_as_integers() {
        assert_eq!(json_value(100.0).to_string(), "100");
        assert_eq!(
            json_value(serde_json::json!({"a": [1.5, 2.0], "b": "3.0"})).to_string(),
            r#"{"a":[1.5,2],"b":"3.0"}"#
        );
    }

    #[test]
    fn numeric_enum_values_read_from_numbers_and_text() {
        let read = |json: &str| enum_number_text(&mut serde_json::Deserializer::from_str(json));
        assert_eq!(read("1").unwrap(), "1");
        assert_eq!(read("\"1\"").unwrap(), "1");
        assert_eq!(read("2.0").unwrap(), "2");
        assert_eq!(read("-4").unwrap(), "-4");
        assert!(read("2.5").is_err());
        assert!(read("true").is_err());
        let write = |text: &str| serialize_enum_number(text, serde_json::value::Serializer);
        assert_eq!(write("3").unwrap(), serde_json::json!(3));
        assert_eq!(write("x").unwrap(), serde_json::json!("x"));
    }
}
