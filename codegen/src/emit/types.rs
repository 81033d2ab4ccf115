//! Rust types for resolved spec types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Model, TypeRef};
use crate::names;

/// The Rust type of a value of `ty`, naming shared definitions by their bare name (files
/// import what they use, see [`shared_names`]). A union is named by its method (see
/// `emit::method`), so here it only stands for "any JSON".
pub fn rust(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Integer => quote!(i64),
        TypeRef::Double => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Id => quote!(crate::Id),
        TypeRef::Date => quote!(crate::Date),
        TypeRef::DateTime => quote!(crate::DateTime),
        TypeRef::File => quote!(crate::FileUpload),
        TypeRef::FileChange => quote!(crate::FileChanges),
        TypeRef::Secret => quote!(crate::SecretText),
        TypeRef::Any | TypeRef::Union(_) => quote!(serde_json::Value),
        TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => {
            let ident = names::ident(name);
            quote!(#ident)
        }
        TypeRef::List(inner) => {
            let inner = rust(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// Shared definitions `ty` mentions.
pub fn shared_names(ty: &TypeRef, into: &mut std::collections::BTreeSet<String>) {
    match ty {
        TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => {
            into.insert(name.clone());
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => shared_names(inner, into),
        TypeRef::Union(choices) => choices.iter().for_each(|choice| shared_names(choice, into)),
        _ => {}
    }
}

/// How the type reads in docs (`integer`, `list of Destination`).
pub fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Integer => "integer".into(),
        TypeRef::Double => "double".into(),
        TypeRef::String => "string".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Id => "[`Id`](crate::Id)".into(),
        TypeRef::Date => "[`Date`](crate::Date)".into(),
        TypeRef::DateTime => "[`DateTime`](crate::DateTime)".into(),
        TypeRef::File => "[`FileUpload`](crate::FileUpload)".into(),
        TypeRef::FileChange => "[`FileChanges`](crate::FileChanges)".into(),
        TypeRef::Secret => "[`SecretText`](crate::SecretText)".into(),
        TypeRef::Any => "any JSON".into(),
        TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => {
            format!("[`{name}`]")
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

/// Short name of a type, for union variants (`Id`, `Boolean`, `BlogPostList`).
pub fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Integer => "Integer".into(),
        TypeRef::Double => "Double".into(),
        TypeRef::String => "Text".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::Id => "Id".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::File => "File".into(),
        TypeRef::FileChange => "FileChanges".into(),
        TypeRef::Secret => "Secret".into(),
        TypeRef::Any => "Json".into(),
        TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => name.clone(),
        TypeRef::List(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
        TypeRef::Union(_) => "Choice".into(),
    }
}

/// Whether an empty form (`""`, `false`, `[]`, `null`) of an optional field of this type means
/// "no value". Not for booleans (`false` is a value) and numbers (decoded directly, fast).
pub fn empty_means_none(ty: &TypeRef) -> bool {
    !matches!(
        ty,
        TypeRef::Boolean | TypeRef::Double | TypeRef::Integer | TypeRef::Any | TypeRef::Map(_)
    )
}

/// Whether values of `ty` can derive `Eq` (no floats, no JSON values inside).
pub fn is_eq(model: &Model, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Double | TypeRef::Any | TypeRef::Union(_) => false,
        TypeRef::Object(name) => model
            .objects
            .iter()
            .find(|o| &o.spec.object == name)
            .is_some_and(|object| {
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
