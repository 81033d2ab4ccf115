//! The result's record as a local object (`objects:`), when the page details the `result`
//! row in a sub-table: each listed field typed as the page says, all optional, and the rest
//! kept raw in `other_fields`, so that an answer the page describes wrongly still decodes.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;

use super::ojson::OValue;
use super::types::spec_type;
use super::{FieldDraft, MethodDraft, ObjectDraft, plain_keep};
use crate::model::{Page, Param};

/// The object a `result` row's sub-table describes, if it lists a usable field.
pub(super) fn result_object(page: &Page, row: &Param, draft: &MethodDraft) -> Option<ObjectDraft> {
    let table = page.returned.iter().find(|t| {
        t.parent
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(&row.name))
    })?;
    let mut taken = BTreeSet::new();
    let fields: Vec<FieldDraft> = table
        .rows
        .iter()
        .filter(|r| is_key(&r.name) && taken.insert(super::method::snake(&r.name)))
        .map(|r| FieldDraft {
            name: r.name.clone(),
            ty: field_type(&spec_type(&r.types)),
            description: described(&plain_keep(&r.description)),
        })
        .collect();
    if fields.is_empty() {
        return None;
    }
    let other_fields = other_fields_name(&taken)?;
    Some(ObjectDraft {
        name: format!("{}Record", type_prefix(draft)),
        summary: format!("A record of the `result` of `{}`.", draft.method),
        fields,
        other_fields,
    })
}

/// Answers send numbers as strings and ids as either: integers are `id`, which reads both;
/// the rest as the page says (a value that does not fit stays raw).
fn field_type(ty: &str) -> String {
    match ty {
        "integer" => "id".into(),
        "integer[]" => "id[]".into(),
        "file" => "any".into(),
        other => other.into(),
    }
}

fn described(text: &str) -> String {
    if text.is_empty() {
        "Not described on the page.".into()
    } else {
        text.to_string()
    }
}

fn is_key(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// The method's type-name base, as the generator makes it: the segments after the module,
/// the last one replaced by the chosen Rust name (`TaskGetV3`).
fn type_prefix(draft: &MethodDraft) -> String {
    let mut segments: Vec<&str> = draft.method.split('.').skip(1).collect();
    if let (Some(last), Some(rust)) = (segments.last_mut(), draft.rust_name.as_deref()) {
        *last = rust;
    }
    segments
        .iter()
        .map(|s| s.to_upper_camel_case())
        .collect::<String>()
}

/// How a result holds the records of an object: one, a list, or a map keyed by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Records {
    One,
    List,
    Keyed,
}

impl Records {
    /// The result's spec type for records of the object `name`.
    pub(super) fn type_of(self, name: &str) -> String {
        match self {
            Records::One => name.to_owned(),
            Records::List => format!("{name}[]"),
            Records::Keyed => format!("{name}{{}}"),
        }
    }
}

/// The object the first success example's `result` shows, when the page lists no fields:
/// its keys typed by their values (integers as `id`, objects and lists `any`), and how the
/// result holds such records (one, a list, a map keyed by id). `None` for scalars, empty
/// values and objects whose keys are no field names.
pub(super) fn example_object(
    draft: &MethodDraft,
    result: &OValue,
) -> Option<(ObjectDraft, Records)> {
    let (records, shape): (Vec<&OValue>, Records) = match result {
        OValue::Object(_) => match super::method::keyed_records(result) {
            Some(records) => (records, Records::Keyed),
            None => (vec![result], Records::One),
        },
        OValue::Array(items) if !items.is_empty() => (items.iter().collect(), Records::List),
        _ => return None,
    };
    let mut fields: Vec<FieldDraft> = Vec::new();
    let mut taken = BTreeSet::new();
    for record in records {
        let OValue::Object(entries) = record else {
            return None;
        };
        for (key, value) in entries {
            if !is_key(key) {
                return None;
            }
            if taken.insert(super::method::snake(key)) {
                fields.push(FieldDraft {
                    name: key.clone(),
                    ty: value_type(value).into(),
                    description: "As the page's example shows it.".into(),
                });
            }
        }
    }
    if fields.is_empty() {
        return None;
    }
    let other_fields = other_fields_name(&taken)?;
    let object = ObjectDraft {
        name: format!("{}Record", type_prefix(draft)),
        summary: format!(
            "A record of the `result` of `{}`, as the page's example shows it.",
            draft.method
        ),
        fields,
        other_fields,
    };
    Some((object, shape))
}

/// A field's type from an example value.
fn value_type(value: &OValue) -> &'static str {
    match value {
        OValue::Bool(_) => "boolean",
        OValue::Number(n) if super::ojson::is_integer(n) && !n.starts_with('-') => "id",
        OValue::Number(_) => "double",
        // Ids and counts arrive as text (`"ID": "217"`); `id` reads both forms.
        OValue::Str(s) if super::ojson::is_integer(s) && !s.starts_with('-') => "id",
        OValue::Str(_) => "string",
        OValue::Null | OValue::Array(_) | OValue::Object(_) => "any",
    }
}

/// The Rust name of the map that keeps the keys an object does not list: the first of a few
/// that no listed field takes.
fn other_fields_name(taken: &BTreeSet<String>) -> Option<String> {
    ["other_fields", "extra_fields", "unlisted_fields"]
        .into_iter()
        .find(|name| !taken.contains(*name))
        .map(str::to_owned)
}
