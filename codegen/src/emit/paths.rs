//! Absolute paths of what generated code names outside itself: `std`, `core`, `serde` and the
//! runtime (`::b24_rest_runtime`). Generated files import nothing, so whatever a spec names a
//! shared definition (`Option`, `Default`, `Client`) cannot change what these paths mean.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `Option::is_none` for serde's `skip_serializing_if`, which takes a path as a string.
pub(super) const IS_NONE: &str = "::core::option::Option::is_none";
/// `Vec::is_empty` for serde's `skip_serializing_if`.
pub(super) const IS_EMPTY: &str = "::std::vec::Vec::is_empty";
/// The runtime's lenient decoders, for serde's `deserialize_with`: "no value" forms (`""`,
/// `false`, `[]`) as `None`, and `[]` or absent as an empty list or map.
pub(super) const EMPTY_AS_NONE: &str = "::b24_rest_runtime::__private::empty_as_none";
/// An optional text: `null`, `false`, `[]` are no value, `""` the empty text.
pub(super) const TEXT_OR_NONE: &str = "::b24_rest_runtime::__private::text_or_none";
/// The runtime's `serialize_with` for a field holding doubles: `100`, not `100.0`.
pub(super) const DOUBLE: &str = "::b24_rest_runtime::__private::double";
/// See [`EMPTY_AS_NONE`].
pub(super) const LIST_OR_EMPTY: &str = "::b24_rest_runtime::__private::list_or_empty";
/// See [`EMPTY_AS_NONE`].
pub(super) const MAP_OR_EMPTY: &str = "::b24_rest_runtime::__private::map_or_empty";

/// `String`.
pub(super) fn string() -> TokenStream {
    quote!(::std::string::String)
}

/// `Vec<inner>`.
pub(super) fn vec(inner: TokenStream) -> TokenStream {
    quote!(::std::vec::Vec<#inner>)
}

/// `BTreeMap<String, value>`.
pub(super) fn map(value: TokenStream) -> TokenStream {
    quote!(::std::collections::BTreeMap<::std::string::String, #value>)
}

/// `Option<inner>`.
pub(super) fn option(inner: TokenStream) -> TokenStream {
    quote!(::core::option::Option<#inner>)
}

/// `Result<ok, err>`.
pub(super) fn result(ok: TokenStream, err: TokenStream) -> TokenStream {
    quote!(::core::result::Result<#ok, #err>)
}

/// `impl Into<target>`, for arguments that take anything converting to the field's type.
pub(super) fn into(target: TokenStream) -> TokenStream {
    quote!(impl ::core::convert::Into<#target>)
}

/// An item of the runtime's public API (`::b24_rest_runtime::ErrorMeta`).
pub(super) fn runtime(name: &str) -> TokenStream {
    let ident = format_ident!("{name}");
    quote!(::b24_rest_runtime::#ident)
}

/// A helper of the runtime's `__private` module, which exists for generated code only.
pub(super) fn private(name: &str) -> TokenStream {
    let ident = format_ident!("{name}");
    quote!(::b24_rest_runtime::__private::#ident)
}

/// A trait generated types derive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Derive {
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
}

impl Derive {
    fn path(self) -> TokenStream {
        match self {
            Derive::Debug => quote!(::core::fmt::Debug),
            Derive::Clone => quote!(::core::clone::Clone),
            Derive::Copy => quote!(::core::marker::Copy),
            Derive::PartialEq => quote!(::core::cmp::PartialEq),
            Derive::Eq => quote!(::core::cmp::Eq),
            Derive::Hash => quote!(::core::hash::Hash),
            Derive::PartialOrd => quote!(::core::cmp::PartialOrd),
            Derive::Ord => quote!(::core::cmp::Ord),
            Derive::Default => quote!(::core::default::Default),
            Derive::Serialize => quote!(::serde::Serialize),
            Derive::Deserialize => quote!(::serde::Deserialize),
        }
    }
}

/// `#[derive(…)]` of these traits, each by its absolute path.
pub(super) fn derive(traits: &[Derive]) -> TokenStream {
    let paths = traits.iter().map(|derive| derive.path());
    quote!(#[derive( #( #paths ),* )])
}

/// A query type of list methods in the generated crate (`crate::api::list::Filter`).
pub(super) fn list_query(name: &str) -> TokenStream {
    let ident = format_ident!("{name}");
    quote!(crate::api::list::#ident)
}
