//! Rust types for resolved spec types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::TypeRef;
use crate::names;

/// The Rust type of a value of `ty`, naming shared definitions by their bare name (files
/// import what they use, see [`shared_names`]).
pub fn rust(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Integer => quote!(i64),
        TypeRef::Double => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Grammar(name) | TypeRef::Object(name) => {
            let ident = names::ident(name);
            quote!(#ident)
        }
        TypeRef::List(inner) => {
            let inner = rust(inner);
            quote!(Vec<#inner>)
        }
    }
}

/// Shared definitions `ty` mentions.
pub fn shared_names(ty: &TypeRef, into: &mut std::collections::BTreeSet<String>) {
    match ty {
        TypeRef::Grammar(name) | TypeRef::Object(name) => {
            into.insert(name.clone());
        }
        TypeRef::List(inner) => shared_names(inner, into),
        TypeRef::Integer | TypeRef::Double | TypeRef::String | TypeRef::Boolean => {}
    }
}

/// How the type reads in docs (`integer`, `Destination[]`).
pub fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Integer => "integer".into(),
        TypeRef::Double => "double".into(),
        TypeRef::String => "string".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Grammar(name) | TypeRef::Object(name) => format!("[`{name}`]"),
        TypeRef::List(inner) => format!("list of {}", describe(inner)),
    }
}
