//! The request struct: a field per parameter (and the open map of custom ones), `new` with
//! the required parameters, a setter per optional one, and `Default` when none is required.

use proc_macro2::TokenStream;
use quote::quote;

use super::{call, doc, many_arguments, operator_named};
use crate::emit::docs::{self, Doc, code};
use crate::emit::paths::{self, Derive};
use crate::emit::types;
use crate::model::{Method, Model, Param, TypeRef};
use crate::names;

/// The request struct, its constructor and setters.
pub(super) fn request_struct(model: &Model, method: &Method) -> TokenStream {
    let name = names::ident(&method.request_type);
    let doc = doc::method_doc(method).outer();
    let fields = method.params.iter().map(field);
    let custom = custom_map_field(method);
    // The open map takes every key the struct does not name, so unknown keys cannot be
    // refused; serde also does not allow `deny_unknown_fields` next to `flatten`.
    let strict = method.custom_params.is_none().then(|| {
        quote!(#[cfg_attr(any(test, feature = "deserialize-requests"), serde(deny_unknown_fields))])
    });
    let derive = derive(model, method);
    let constructor = constructor(model, method);
    let deprecated = deprecated(method);
    quote! {
        #doc
        #deprecated
        #derive
        // Decoding requests (the CLI's `--json`, the conformance tests) is opt-in: the derive
        // is the largest part of a method's compile cost.
        #[cfg_attr(any(test, feature = "deserialize-requests"), derive(::serde::Deserialize))]
        #strict
        #[non_exhaustive]
        pub struct #name {
            #( #fields, )*
            #custom
        }

        #constructor
    }
}

/// `#[deprecated(note = …)]` for a method whose spec says `deprecated:`.
pub(super) fn deprecated(method: &Method) -> Option<TokenStream> {
    let note = method.spec.deprecated.as_deref()?.trim();
    Some(quote!(#[deprecated(note = #note)]))
}

/// The open map of custom parameters, sent after the named ones.
fn custom_map_field(method: &Method) -> Option<TokenStream> {
    let open = method.custom_params.as_ref()?;
    let ident = names::ident(&open.rust);
    let ty = paths::map(types::rust(&open.ty));
    let doc = Doc::default()
        .para(&open.description)
        .para("Sent after the named parameters, as given.")
        .outer();
    Some(quote! {
        #doc
        #[serde(flatten)]
        pub #ident: #ty,
    })
}

/// `Eq` only where every parameter's type has it (no floats, no JSON values inside).
fn derive(model: &Model, method: &Method) -> TokenStream {
    let eq = method.params.iter().all(|p| types::is_eq(model, &p.ty))
        && method
            .custom_params
            .as_ref()
            .is_none_or(|open| types::is_eq(model, &open.ty));
    let mut traits = vec![Derive::Debug, Derive::Clone, Derive::PartialEq];
    if eq {
        traits.push(Derive::Eq);
    }
    traits.push(Derive::Serialize);
    paths::derive(&traits)
}

/// A parameter's field: renamed to its wire key (its `aliases` also read), left out of the
/// body when unset.
fn field(param: &Param) -> TokenStream {
    let ident = names::ident(&param.rust);
    let wire = &param.spec.name;
    let ty = super::list::query_type(param).unwrap_or_else(|| types::rust(&param.ty));
    let doc = doc::param_doc(param).outer();
    let aliases = param.spec.aliases.iter();
    let aliases = quote!(#( #[serde(alias = #aliases)] )*);
    // Doubles go out as the pages write them (`100`, not `100.0`).
    let doubles = types::double_rule(&param.ty).map(|rule| quote!(#[serde(#rule)]));
    if param.spec.required {
        return quote! {
            #doc
            #[serde(rename = #wire)]
            #aliases
            #doubles
            pub #ident: #ty
        };
    }
    let (is_none, ty) = (paths::IS_NONE, paths::option(ty));
    quote! {
        #doc
        #[serde(rename = #wire, default, skip_serializing_if = #is_none)]
        #aliases
        #doubles
        pub #ident: #ty
    }
}

/// How `new`, the accessor fn and the setters take a parameter: its argument type, and the
/// conversion into the field's type (`None`: the argument is the value).
///
/// Text and integers take anything that converts (`&str`, an `Id` from an earlier answer); a
/// list any iterable of values that convert into its items (`[dest]`, a `Vec`, an iterator);
/// a yes/no flag a `bool` too; the rest their own type.
pub(super) fn argument(model: &Model, param: &Param) -> (TokenStream, Option<TokenStream>) {
    let ident = names::ident(&param.rust);
    match &param.ty {
        TypeRef::List(inner) => {
            let item = types::rust(inner);
            let into = paths::into(item.clone());
            (
                quote!(impl ::core::iter::IntoIterator<Item = #into>),
                Some(quote! {
                    ::core::iter::Iterator::collect(::core::iter::Iterator::map(
                        ::core::iter::IntoIterator::into_iter(#ident),
                        ::core::convert::Into::<#item>::into,
                    ))
                }),
            )
        }
        TypeRef::Enum(name) if types::is_yes_no_enum(model, name) => (
            paths::into(types::rust(&param.ty)),
            Some(quote!(#ident.into())),
        ),
        _ => {
            // Whatever `super::argument` converts (text, integers, a list's typed query) keeps
            // its conversion; a value taken as is is initialised by its name alone.
            let (ty, value) = super::argument(param);
            let as_is = ident == value.to_string();
            (ty, (!as_is).then_some(value))
        }
    }
}

/// What a parameter's argument takes besides its own type, for the docs of `new`, the
/// accessor fn and the setters; `None` when it takes just its type.
pub(super) fn conversion_note(model: &Model, param: &Param) -> Option<String> {
    match &param.ty {
        TypeRef::List(inner) => Some(format!(
            "{} takes any iterable of values that convert into {} (`[a, b]`, a `Vec`, an \
             iterator)",
            code(&param.spec.name),
            types::describe(inner)
        )),
        TypeRef::Enum(name) if types::is_yes_no_enum(model, name) => Some(format!(
            "{} takes `true` or `false` too (`From<bool>`: `true` is `Y`)",
            code(&param.spec.name)
        )),
        _ => None,
    }
}

/// `new` with the required parameters, a setter per optional one, and `Default` when there
/// are no required ones.
fn constructor(model: &Model, method: &Method) -> TokenStream {
    let name = names::ident(&method.request_type);
    let new_fn = new_fn(model, method);
    let setters = method
        .params
        .iter()
        .filter(|p| !p.spec.required)
        .map(|param| setter(model, param));
    let custom_setter = custom_setter(method);
    let default_impl = method.params.iter().all(|p| !p.spec.required).then(|| {
        quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        impl #name {
            #new_fn

            #( #setters )*
            #custom_setter
        }

        #default_impl
    }
}

/// `new`: the required parameters as arguments, the optional ones unset.
fn new_fn(model: &Model, method: &Method) -> TokenStream {
    let required: Vec<&Param> = method.params.iter().filter(|p| p.spec.required).collect();
    let args = required.iter().map(|param| {
        let ident = names::ident(&param.rust);
        let (ty, _) = argument(model, param);
        quote!(#ident: #ty)
    });
    let inits = method.params.iter().map(|param| {
        let ident = names::ident(&param.rust);
        if !param.spec.required {
            return quote!(#ident: ::core::option::Option::None);
        }
        match argument(model, param).1 {
            Some(value) => quote!(#ident: #value),
            None => quote!(#ident),
        }
    });
    let custom_init = method.custom_params.as_ref().map(|open| {
        let ident = names::ident(&open.rust);
        quote!(#ident: ::std::collections::BTreeMap::new(),)
    });
    let listed: Vec<String> = required.iter().map(|p| code(&p.spec.name)).collect();
    let mut text = format!(
        "A request with its required parameters ({}); optional ones are set with the methods below.",
        if listed.is_empty() {
            "there are none".to_owned()
        } else {
            listed.join(", ")
        }
    );
    let notes: Vec<String> = required
        .iter()
        .filter_map(|param| conversion_note(model, param))
        .collect();
    if !notes.is_empty() {
        text.push_str(&format!(" {}.", sentence(&notes)));
    }
    let doc = docs::outer(&text);
    let allow = many_arguments(required.len());
    quote! {
        #doc
        #allow
        pub fn new( #( #args ),* ) -> Self {
            Self { #( #inits, )* #custom_init }
        }
    }
}

/// Notes joined into one sentence, its first letter upper case.
pub(super) fn sentence(notes: &[String]) -> String {
    let joined = notes.join("; ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

fn setter(model: &Model, param: &Param) -> TokenStream {
    let ident = names::ident(&param.rust);
    let (ty, value) = argument(model, param);
    let value = value.unwrap_or_else(|| quote!(#ident));
    let doc = call::setter_doc(model, param);
    let allow = operator_named(param);
    quote! {
        #doc
        #allow
        #[must_use]
        pub fn #ident(mut self, #ident: #ty) -> Self {
            self.#ident = ::core::option::Option::Some(#value);
            self
        }
    }
}

fn custom_setter(method: &Method) -> Option<TokenStream> {
    let open = method.custom_params.as_ref()?;
    let ident = names::ident(&open.rust);
    let ty = types::rust(&open.ty);
    let (key_ty, value_ty) = (paths::into(paths::string()), paths::into(ty));
    let doc = docs::outer(&format!(
        "Adds one entry to [`{0}`](Self::{0}), e.g. a custom `UF_*` field by its code. A key that is also a named parameter would be sent twice: set that one with its own method.",
        open.rust.trim_start_matches("r#")
    ));
    Some(quote! {
        #doc
        #[must_use]
        pub fn custom_field(mut self, key: #key_ty, value: #value_ty) -> Self {
            self.#ident.insert(key.into(), value.into());
            self
        }
    })
}
