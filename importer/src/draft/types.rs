//! The pages' type words mapped to spec types, and whether an example's value fits one.

use super::ojson::{OValue, is_integer};
use crate::model::TypeRef;

/// The spec type of a parameter or field, from its type words: the one type all words map
/// to, or `any` when they disagree, say nothing or name something the SDK does not know.
pub(crate) fn spec_type(words: &[TypeRef]) -> String {
    let mapped: Vec<String> = words.iter().map(|w| map_word(&w.name)).collect();
    match mapped.split_first() {
        Some((first, rest)) if rest.iter().all(|t| t == first) => first.clone(),
        _ => "any".into(),
    }
}

/// One type word: the built-in it names, `T[]` for a list of one, `integer` for the
/// `entity.id` references, `any` for objects, bare arrays and the unknown.
pub(crate) fn map_word(word: &str) -> String {
    let word = word.trim();
    if let Some(inner) = word.strip_suffix("[]") {
        let inner = map_word(inner);
        return if inner == "any" {
            "any".into()
        } else {
            format!("{inner}[]")
        };
    }
    let lower = word.to_ascii_lowercase();
    // `catalog_product.id`, `sale_order.ID`, `user.id`: an entity's identifier.
    if lower.ends_with(".id") || lower == "user" {
        return "integer".into();
    }
    match lower.as_str() {
        "integer" | "int" => "integer",
        "double" | "float" | "number" => "double",
        "string" | "text" | "char" => "string",
        "boolean" | "bool" => "boolean",
        "date" => "date",
        "datetime" => "datetime",
        "file" => "file",
        _ => "any",
    }
    .into()
}

/// Whether `value` decodes into the spec type `ty` and encodes back as written. Conservative:
/// what this cannot tell (files, datetimes in other shapes) does not fit.
pub(crate) fn fits(value: &OValue, ty: &str) -> bool {
    if let Some(inner) = ty.strip_suffix("[]") {
        return matches!(value, OValue::Array(items) if items.iter().all(|i| fits(i, inner)));
    }
    match (ty, value) {
        ("any", v) => v.compact().is_some(),
        ("integer", OValue::Number(n)) => is_integer(n) && n.parse::<i64>().is_ok(),
        ("double", OValue::Number(n)) => double_fits(n),
        ("string", OValue::Str(_)) => true,
        ("boolean", OValue::Bool(_)) => true,
        ("date", OValue::Str(s)) => is_date(s),
        ("datetime", OValue::Str(s)) => is_datetime(s),
        _ => false,
    }
}

/// A double goes out in the shortest form, without `.0` when integral.
fn double_fits(n: &str) -> bool {
    if is_integer(n) {
        return n.parse::<i64>().is_ok_and(|i| i.unsigned_abs() < (1 << 53));
    }
    super::ojson::canonical_number(n) && !n.ends_with(".0")
}

/// `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// `YYYY-MM-DDTHH:MM:SS+HH:MM`, the one form the runtime writes back unchanged.
fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = "dddd-dd-ddTdd:dd:dd+dd:dd".as_bytes();
    b.len() == shape.len()
        && b.iter().zip(shape).all(|(c, s)| match s {
            b'd' => c.is_ascii_digit(),
            b'+' => matches!(c, b'+' | b'-'),
            other => c == other,
        })
}

/// Whether a success `result` fits the result type the draft chose (`id` takes numbers and
/// numeric strings; a local object, named in UpperCamelCase, anything an object reads
/// leniently: an object, or an empty value).
pub(crate) fn result_fits(value: &OValue, ty: &str) -> bool {
    if let Some(inner) = ty.strip_suffix("{}") {
        // A map keyed by id; empty, it comes as `[]` (PHP's empty array).
        return match value {
            OValue::Object(entries) => entries.iter().all(|(_, v)| result_fits(v, inner)),
            OValue::Array(items) => items.is_empty(),
            OValue::Null | OValue::Bool(false) => true,
            _ => false,
        };
    }
    if ty.starts_with(|c: char| c.is_ascii_uppercase()) {
        return match ty.strip_suffix("[]") {
            Some(inner) => {
                matches!(value, OValue::Array(items) if items.iter().all(|i| result_fits(i, inner)))
            }
            None => match value {
                OValue::Object(_) | OValue::Null | OValue::Bool(false) => true,
                OValue::Array(items) => items.is_empty(),
                OValue::Str(s) => s.is_empty(),
                _ => false,
            },
        };
    }
    match (ty, value) {
        ("id", OValue::Number(n)) => is_integer(n) && !n.starts_with('-'),
        ("id", OValue::Str(s)) => is_integer(s) && !s.starts_with('-'),
        ("double", OValue::Number(_)) => true,
        ("integer", OValue::Number(n)) => is_integer(n),
        (ty, value) => fits(value, ty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(names: &[&str]) -> Vec<TypeRef> {
        names
            .iter()
            .map(|n| TypeRef {
                name: n.to_string(),
                link: None,
            })
            .collect()
    }

    #[test]
    fn type_words() {
        assert_eq!(spec_type(&words(&["integer"])), "integer");
        assert_eq!(spec_type(&words(&["catalog_product.id"])), "integer");
        assert_eq!(spec_type(&words(&["string[]"])), "string[]");
        assert_eq!(spec_type(&words(&["object[]"])), "any");
        assert_eq!(spec_type(&words(&["object"])), "any");
        assert_eq!(spec_type(&words(&["array"])), "any");
        assert_eq!(spec_type(&words(&["crm_multifield"])), "any");
        assert_eq!(spec_type(&words(&["integer", "string"])), "any");
        assert_eq!(spec_type(&[]), "any");
    }

    #[test]
    fn values_that_fit() {
        let v = |t: &str| OValue::parse(t).unwrap();
        assert!(fits(&v("217"), "integer"));
        assert!(!fits(&v("\"217\""), "integer"));
        assert!(fits(&v("[\"a\",\"b\"]"), "string[]"));
        assert!(!fits(&v("[1,\"b\"]"), "integer[]"));
        assert!(fits(&v("100"), "double"));
        assert!(!fits(&v("100.0"), "double"));
        assert!(fits(&v("\"2024-01-31\""), "date"));
        assert!(fits(&v("\"2024-01-31T10:00:00+03:00\""), "datetime"));
        assert!(!fits(&v("\"31.01.2024\""), "datetime"));
        assert!(!fits(&v("[\"a.txt\",\"QQ==\"]"), "file"));
        assert!(result_fits(&v("\"15\""), "id"));
        assert!(!result_fits(&v("{}"), "id"));
        // Records keyed by id: an object of them, or `[]` when there are none.
        assert!(result_fits(&v("{\"103\": {\"id\": 103}}"), "User{}"));
        assert!(result_fits(&v("[]"), "User{}"));
        assert!(!result_fits(&v("[{\"id\": 103}]"), "User{}"));
        assert!(!result_fits(&v("{\"103\": 5}"), "User{}"));
    }
}
