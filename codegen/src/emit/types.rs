//! Rust types for resolved spec types.

use proc_macro2::TokenStream;
use quote::quote;

use super::paths;
use crate::model::{Enum, Field, Model, Object, TypeRef};
use crate::names;

/// The Rust type of a value of `ty`, by absolute path: generated files import nothing, so
/// no name a spec gives a shared definition can shadow what they mean. A union is named by
/// its method (see `emit::method`), so here it only stands for "any JSON".
pub(super) fn rust(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Integer => quote!(i64),
        TypeRef::Double => quote!(f64),
        TypeRef::Decimal => quote!(::b24_rest_runtime::Decimal),
        TypeRef::String => paths::string(),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Id => quote!(::b24_rest_runtime::Id),
        TypeRef::Date => quote!(::b24_rest_runtime::Date),
        TypeRef::DateTime => quote!(::b24_rest_runtime::DateTime),
        TypeRef::File => quote!(::b24_rest_runtime::FileUpload),
        TypeRef::FileChange => quote!(::b24_rest_runtime::FileChanges),
        TypeRef::Secret => quote!(::b24_rest_runtime::SecretText),
        TypeRef::Any | TypeRef::Union(_) => quote!(::serde_json::Value),
        TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => shared(name),
        TypeRef::Local { scope, name } => local(scope, name),
        TypeRef::List(inner) => paths::vec(rust(inner)),
        TypeRef::Map(inner) => paths::map(rust(inner)),
    }
}

/// A method's own object by its path in the generated crate: its scope module exports it.
pub(super) fn local(scope: &str, name: &str) -> TokenStream {
    let scope = names::ident(scope);
    let ident = names::ident(name);
    quote!(crate::api::#scope::#ident)
}

/// The object a type names, shared or a method's own.
pub(super) fn object<'m>(model: &'m Model, ty: &TypeRef) -> Option<&'m Object> {
    match ty {
        TypeRef::Object(name) => model.objects.iter().find(|o| &o.spec.object == name),
        TypeRef::Local { scope, name } => model
            .scopes
            .iter()
            .filter(|s| &s.module == scope)
            .flat_map(|s| &s.methods)
            .flat_map(|m| &m.objects)
            .find(|o| &o.spec.object == name),
        _ => None,
    }
}

/// A shared definition by its path in the generated crate.
pub(super) fn shared(name: &str) -> TokenStream {
    let ident = names::ident(name);
    quote!(crate::api::shared::#ident)
}

/// How the type reads in docs (`integer`, `list of Destination`).
pub(super) fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Integer => "integer".into(),
        TypeRef::Double => "double".into(),
        TypeRef::Decimal => "[`Decimal`](crate::Decimal)".into(),
        TypeRef::String => "string".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Id => "[`Id`](crate::Id)".into(),
        TypeRef::Date => "[`Date`](crate::Date)".into(),
        TypeRef::DateTime => "[`DateTime`](crate::DateTime)".into(),
        TypeRef::File => "[`FileUpload`](crate::FileUpload)".into(),
        TypeRef::FileChange => "[`FileChanges`](crate::FileChanges)".into(),
        TypeRef::Secret => "[`SecretText`](crate::SecretText)".into(),
        TypeRef::Any => "any JSON".into(),
        // By path: a method's own types never take a shared definition's name, but the link
        // should not depend on it.
        TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => {
            format!("[`{name}`](crate::shared::{name})")
        }
        TypeRef::Local { scope, name } => {
            format!(
                "[`{name}`](crate::{}::{name})",
                scope.trim_start_matches("r#")
            )
        }
        TypeRef::List(inner) => format!("list of {}", describe(inner)),
        TypeRef::Map(inner) => format!("map of {}", describe(inner)),
        TypeRef::Union(choices) => choices
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// Whether an empty form (`""`, `false`, `[]`, `null`) of an optional field of this type means
/// "no value". Not for booleans (`false` is a value) and numbers (decoded directly, fast).
pub(super) fn empty_means_none(ty: &TypeRef) -> bool {
    !matches!(
        ty,
        TypeRef::Boolean | TypeRef::Double | TypeRef::Integer | TypeRef::Any | TypeRef::Map(_)
    )
}

/// Whether a field of `ty` holds doubles (a double, or a list or map of them), which go out
/// through the runtime's `double` (an integral value without `.0`).
pub(super) fn holds_doubles(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Double => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => holds_doubles(inner),
        _ => false,
    }
}

/// The serde attribute that sends a field's doubles as the pages write them (`100`, not
/// `100.0`), for a field that holds them.
pub(super) fn double_rule(ty: &TypeRef) -> Option<TokenStream> {
    holds_doubles(ty).then(|| {
        let with = paths::DOUBLE;
        quote!(serialize_with = #with)
    })
}

/// Whether `name` is an enum whose values are numbers (`value: 1`): sent as JSON numbers.
pub(super) fn is_numeric_enum(item: &Enum) -> bool {
    item.spec
        .values
        .first()
        .is_some_and(|value| value.value.number)
}

/// Whether values of `ty` can derive `Eq` (no floats, no JSON values inside).
pub(super) fn is_eq(model: &Model, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Double | TypeRef::Any | TypeRef::Union(_) => false,
        TypeRef::Object(_) | TypeRef::Local { .. } => object(model, ty).is_some_and(|object| {
            object.fields.iter().all(|f| is_eq(model, &f.ty))
                && object
                    .other_fields
                    .as_ref()
                    .is_none_or(|open| is_eq(model, &open.ty))
        }),
        TypeRef::List(inner) | TypeRef::Map(inner) => is_eq(model, inner),
        _ => true,
    }
}

/// Whether values of `ty` have a `Default` (so a struct of them can derive it): numbers, text,
/// flags, ids, lists, maps and JSON do; dates, files, secrets, grammars and enums do not (no
/// value of theirs is a neutral one), and an object does when each of its fields does.
pub(super) fn has_default(model: &Model, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Integer
        | TypeRef::Double
        | TypeRef::Decimal
        | TypeRef::String
        | TypeRef::Boolean
        | TypeRef::Id
        | TypeRef::FileChange
        | TypeRef::Any
        | TypeRef::Union(_)
        | TypeRef::List(_)
        | TypeRef::Map(_) => true,
        TypeRef::Date
        | TypeRef::DateTime
        | TypeRef::File
        | TypeRef::Secret
        | TypeRef::Grammar(_)
        | TypeRef::Enum(_) => false,
        TypeRef::Object(_) | TypeRef::Local { .. } => {
            object(model, ty).is_some_and(|object| fields_have_default(model, &object.fields))
        }
    }
}

/// Whether a struct of these answer fields can derive `Default`: each field is optional (an
/// `Option`, an empty list or map) or of a type that has one. An open map of other keys is
/// empty by default.
pub(super) fn fields_have_default(model: &Model, fields: &[Field]) -> bool {
    fields
        .iter()
        .all(|field| !field.spec.required || has_default(model, &field.ty))
}

/// Whether `name` is an enum whose values are exactly `Y` and `N`: a flag, which converts from
/// `bool` and which parameters take a `bool` for.
pub(super) fn is_yes_no_enum(model: &Model, name: &str) -> bool {
    model
        .enums
        .iter()
        .find(|e| e.spec.name == name)
        .is_some_and(is_yes_no)
}

/// Whether this enum's values are exactly `Y` and `N`, in either order.
pub(super) fn is_yes_no(item: &Enum) -> bool {
    if is_numeric_enum(item) {
        return false;
    }
    let mut values: Vec<&str> = item.spec.values.iter().map(|v| v.value.as_str()).collect();
    values.sort_unstable();
    values == ["N", "Y"]
}
