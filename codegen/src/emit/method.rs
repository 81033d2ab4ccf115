//! One method's file: request struct (`request`, its docs `doc`), result union (`result`),
//! `Method` impl (`method_impl`), error enum (`errors`: the enum, its impls through the
//! runtime's `method_error!` and its table `error_rows`), call type and accessor fn (`call`,
//! its doc example `example`). The conformance tests of a scope's methods are in its
//! `mod.rs` (`conformance`).
//!
//! Generated files import nothing: every path is absolute (`::core::…`, `::b24_rest_runtime::…`,
//! `crate::api::…`; see `emit::paths`), and the file's own items are named as they are.

mod call;
pub(super) mod conformance;
mod doc;
mod error_rows;
mod errors;
mod example;
pub(super) mod list;
mod method_impl;
mod request;
mod result;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{self, code};
use super::{API_DIR, paths, render, types};
use crate::GeneratedFile;
use crate::model::{Method, Model, Param, Scope, TypeRef};
use crate::names;

/// `api/<scope>/<method module>.rs`.
pub(super) fn file(model: &Model, scope: &Scope, method: &Method) -> GeneratedFile {
    let module_doc = docs::inner(&format!(
        "{}: {}",
        code(&method.spec.method),
        method.spec.summary.trim()
    ));
    let request = request::request_struct(model, method);
    let union = result::union_enum(method);
    let method_impl = method_impl::method_impl(scope, method);
    let error = errors::error_enum(method);
    let call = call::call_type(model, method);
    let accessor = call::accessor_fn(model, scope, method);
    let list = list::list_items(method);
    // The method's own objects (`objects:`), exported by the scope module.
    let objects = method
        .objects
        .iter()
        .map(|object| super::shared::object_item(model, object));
    // A deprecated method's own file uses its request type freely.
    let allow = method
        .spec
        .deprecated
        .is_some()
        .then(|| quote!(#![allow(deprecated)]));
    let tokens = quote! {
        #module_doc
        #allow
        #request
        #union
        #( #objects )*
        #method_impl
        #list
        #error
        #call
        #accessor
    };
    render(
        format!(
            "{API_DIR}/{}/{}.rs",
            scope.module.trim_start_matches("r#"),
            method.module.trim_start_matches("r#")
        ),
        &method.file,
        tokens,
    )
}

/// Argument type and conversion for a parameter: text and integers take anything that
/// converts (`&str`, an `Id` from an earlier answer), the rest their own type.
fn argument(param: &Param) -> (TokenStream, TokenStream) {
    let ident = names::ident(&param.rust);
    if let Some(query) = list::query_type(param) {
        return (paths::into(query), quote!(#ident.into()));
    }
    match param.ty {
        TypeRef::String => (paths::into(paths::string()), quote!(#ident.into())),
        TypeRef::Integer => (paths::into(quote!(i64)), quote!(#ident.into())),
        // Text (`"5000.00"`) or a number (`5000`, `5000.5`).
        TypeRef::Decimal => (paths::into(types::rust(&param.ty)), quote!(#ident.into())),
        _ => (types::rust(&param.ty), quote!(#ident)),
    }
}

/// `#[allow(clippy::too_many_arguments)]` for a fn of `count` arguments (`self` included)
/// beyond clippy's default limit of 7: `new` and the accessor fn take every required
/// parameter, as many as the method has, and a struct to pass them in would only move the
/// list.
fn many_arguments(count: usize) -> Option<TokenStream> {
    (count > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// Names of the operator methods clippy's `should_implement_trait` takes a setter for
/// (`fn add(self, x) -> Self` reads like `Add::add`).
const OPERATOR_METHODS: &[&str] = &[
    "add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub",
];

/// `#[allow(clippy::should_implement_trait)]` for the setter of a parameter named like an
/// operator method (`ADD`): the setter is named after the parameter, as every setter is.
fn operator_named(param: &Param) -> Option<TokenStream> {
    let name = param.rust.trim_start_matches("r#");
    OPERATOR_METHODS
        .contains(&name)
        .then(|| quote!(#[allow(clippy::should_implement_trait)]))
}
