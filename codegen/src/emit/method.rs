//! One method's file: request struct, result union, `Method` impl, error enum (`errors`), call
//! type and accessor fn (`call`), and a one-line test per conformance check.
//!
//! Generated files import nothing: every path is absolute (`::core::…`, `::b24_rest_runtime::…`,
//! `crate::api::…`; see `emit::paths`), and the file's own items are named as they are.

mod call;
mod errors;
mod example;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{self, Doc, code};
use super::paths::{self, Derive};
use super::{API_DIR, modules, render, types};
use crate::GeneratedFile;
use crate::model::{Method, Model, Param, Scope, TypeRef};
use crate::names;

/// `api/<scope>/<method module>.rs`.
pub fn file(model: &Model, scope: &Scope, method: &Method) -> GeneratedFile {
    let module_doc = docs::inner(&format!(
        "{}: {}",
        code(&method.spec.method),
        method.spec.summary.trim()
    ));
    let request = request_struct(model, method);
    let union = union_enum(method);
    let method_impl = method_impl(scope, method);
    let error = errors::error_enum(method);
    let call = call::call_type(method);
    let accessor = call::accessor_fn(model, scope, method);
    let tests = conformance_tests(scope, method);
    let tokens = quote! {
        #module_doc
        #request
        #union
        #method_impl
        #error
        #call
        #accessor
        #tests
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

/// The method's docs on the request struct.
fn method_doc(method: &Method) -> Doc {
    let spec = &method.spec;
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    if let Some(description) = &spec.description {
        doc.para(description);
    }
    doc.para(format!(
        "Wire method {} (scope {}).",
        code(&spec.method),
        code(&spec.scope)
    ));
    doc.para(format!("**Who may call it:** {}", spec.access.trim()));
    doc.para(format!(
        "**Result:** {} — {}",
        types::describe(&method.result),
        spec.result.description.trim()
    ));
    doc.para(repeat_words(method));
    doc.para(if spec.batch {
        "Allowed inside `batch`."
    } else {
        "Not allowed inside `batch`."
    });
    match &spec.docs {
        Some(url) => doc.para(format!(
            "Official documentation: [{}]({})",
            spec.title.trim(),
            url.trim()
        )),
        None => doc.para(format!("Official documentation: *{}*", spec.title.trim())),
    };
    let path: Vec<String> = method
        .spec
        .method
        .split('.')
        .map(|segment| names::snake(segment).trim_start_matches("r#").to_owned())
        .collect();
    doc.para(format!(
        "Sent with [`client.{}(…)`](super::{}::{}), which has an example, or with \
         [`Client::call`](b24_rest_runtime::Client::call).",
        path.join("()."),
        method.accessor_type,
        method.fn_name.trim_start_matches("r#")
    ));
    doc
}

fn repeat_words(method: &Method) -> String {
    match (method.spec.safe_to_repeat, &method.spec.repeat_note) {
        (true, note) => format!("**Safe to repeat:** yes. {}", note.as_deref().unwrap_or("")),
        (false, Some(note)) => format!("**Not safe to repeat.** {}", note.trim()),
        (false, None) => "**Not safe to repeat:** after an ambiguous failure (timeout, connection \
                          lost after sending) the call is never sent again automatically."
            .to_owned(),
    }
}

fn param_doc(param: &Param) -> Doc {
    let mut doc = Doc::default();
    doc.para(format!(
        "{} ({}, {}).",
        code(&param.spec.name),
        types::describe(&param.ty),
        if param.spec.required {
            "required"
        } else {
            "optional"
        }
    ));
    doc.para(&param.spec.description);
    if let Some(default) = &param.spec.default {
        doc.para(format!("Default: {}", default.trim()));
    }
    doc.para(docs::obtain_from(&param.spec.obtain_from));
    doc
}

/// Argument type and conversion for a parameter: text and integers take anything that
/// converts (`&str`, an `Id` from an earlier answer), the rest their own type.
fn argument(param: &Param) -> (TokenStream, TokenStream) {
    let ident = names::ident(&param.rust);
    match param.ty {
        TypeRef::String => (paths::into(paths::string()), quote!(#ident.into())),
        TypeRef::Integer => (paths::into(quote!(i64)), quote!(#ident.into())),
        _ => (types::rust(&param.ty), quote!(#ident)),
    }
}

fn first_sentence(text: &str) -> String {
    let text = text.trim().replace('\n', " ");
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text,
    }
}

fn request_struct(model: &Model, method: &Method) -> TokenStream {
    let name = names::ident(&method.request_type);
    let doc = method_doc(method).outer();
    let fields = method.params.iter().map(request_field);
    let custom = method.custom_params.as_ref().map(|open| {
        let ident = names::ident(&open.rust);
        let ty = paths::map(types::rust(&open.ty));
        let doc = Doc::default()
            .para(&open.description)
            .para("Sent after the named parameters, as given.")
            .outer();
        quote! {
            #doc
            #[serde(flatten)]
            pub #ident: #ty,
        }
    });
    // The open map takes every key the struct does not name, so unknown keys cannot be
    // refused; serde also does not allow `deny_unknown_fields` next to `flatten`.
    let strict = method.custom_params.is_none().then(|| {
        quote!(#[cfg_attr(any(test, feature = "deserialize-requests"), serde(deny_unknown_fields))])
    });
    let derive = request_derive(model, method);
    let constructor = request_impl(method);
    quote! {
        #doc
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

fn request_derive(model: &Model, method: &Method) -> TokenStream {
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

fn request_field(param: &Param) -> TokenStream {
    let ident = names::ident(&param.rust);
    let wire = &param.spec.name;
    let ty = types::rust(&param.ty);
    let doc = param_doc(param).outer();
    if param.spec.required {
        return quote! {
            #doc
            #[serde(rename = #wire)]
            pub #ident: #ty
        };
    }
    let (is_none, ty) = (paths::IS_NONE, paths::option(ty));
    quote! {
        #doc
        #[serde(rename = #wire, default, skip_serializing_if = #is_none)]
        pub #ident: #ty
    }
}

/// `new` with the required parameters, a setter per optional one, and `Default` when there
/// are no required ones.
fn request_impl(method: &Method) -> TokenStream {
    let name = names::ident(&method.request_type);
    let required: Vec<&Param> = method.params.iter().filter(|p| p.spec.required).collect();
    let args = required.iter().map(|param| {
        let ident = names::ident(&param.rust);
        let (ty, _) = argument(param);
        quote!(#ident: #ty)
    });
    let inits = method.params.iter().map(|param| {
        let ident = names::ident(&param.rust);
        match (param.spec.required, &param.ty) {
            (true, TypeRef::String | TypeRef::Integer) => quote!(#ident: #ident.into()),
            (true, _) => quote!(#ident),
            (false, _) => quote!(#ident: ::core::option::Option::None),
        }
    });
    let custom_init = method.custom_params.as_ref().map(|open| {
        let ident = names::ident(&open.rust);
        quote!(#ident: ::std::collections::BTreeMap::new(),)
    });
    let setters = method
        .params
        .iter()
        .filter(|p| !p.spec.required)
        .map(request_setter);
    let custom_setter = request_custom_setter(method);
    let listed: Vec<String> = required.iter().map(|p| code(&p.spec.name)).collect();
    let new_doc = docs::outer(&format!(
        "A request with its required parameters ({}); optional ones are set with the methods below.",
        if listed.is_empty() {
            "there are none".to_owned()
        } else {
            listed.join(", ")
        }
    ));
    let default_impl = required.is_empty().then(|| {
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
            #new_doc
            pub fn new( #( #args ),* ) -> Self {
                Self { #( #inits, )* #custom_init }
            }

            #( #setters )*
            #custom_setter
        }

        #default_impl
    }
}

fn request_setter(param: &Param) -> TokenStream {
    let ident = names::ident(&param.rust);
    let (ty, value) = argument(param);
    let doc = call::setter_doc(param);
    quote! {
        #doc
        #[must_use]
        pub fn #ident(mut self, #ident: #ty) -> Self {
            self.#ident = ::core::option::Option::Some(#value);
            self
        }
    }
}

fn request_custom_setter(method: &Method) -> Option<TokenStream> {
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

/// The Rust type of the method's result: the union enum for `A | B`, else the plain type.
fn output_type(method: &Method) -> TokenStream {
    match &method.union_type {
        Some(union) => {
            let name = names::ident(union);
            quote!(#name)
        }
        None => types::rust(&method.result),
    }
}

/// For a result written `A | B`: an enum that decodes whichever the server sent.
fn union_enum(method: &Method) -> TokenStream {
    let (TypeRef::Union(choices), Some(union)) = (&method.result, &method.union_type) else {
        return TokenStream::new();
    };
    let name = names::ident(union);
    let doc = Doc::default()
        .para(format!(
            "What {} answers: {}.",
            code(&method.spec.method),
            types::describe(&method.result)
        ))
        .para(method.spec.result.description.trim())
        .outer();
    let variants = choices.iter().map(|choice| {
        let variant = names::ident(&choice.variant_name());
        let ty = types::rust(choice);
        let doc = docs::outer(&format!("The answer as {}.", types::describe(choice)));
        quote!(#doc #variant(#ty))
    });
    // The usual case, an id now and `true` from older servers: make the id easy to get.
    let id_helper = choices.contains(&TypeRef::Id).then(|| {
        let id = paths::option(paths::runtime("Id"));
        quote! {
            impl #name {
                /// The id, when the server answered one.
                pub fn id(&self) -> #id {
                    match self {
                        Self::Id(id) => ::core::option::Option::Some(*id),
                        _ => ::core::option::Option::None,
                    }
                }
            }
        }
    });
    let derive = paths::derive(&[
        Derive::Debug,
        Derive::Clone,
        Derive::PartialEq,
        Derive::Serialize,
        Derive::Deserialize,
    ]);
    quote! {
        #doc
        #derive
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
        }

        #id_helper
    }
}

fn method_impl(scope: &Scope, method: &Method) -> TokenStream {
    let name = names::ident(&method.request_type);
    let error = names::ident(&method.error_type);
    let wire = &method.spec.method;
    let safe = method.spec.safe_to_repeat;
    let batch = method.spec.batch;
    let output = output_type(method);
    let spec_data = modules::spec_data_fn(scope);
    let paged = method.page_item.as_ref().map(|item| {
        let item = types::rust(item);
        let items = paths::vec(quote!(Self::Item));
        let start = method
            .params
            .iter()
            .find(|p| p.spec.name == "start")
            .map(|p| names::ident(&p.rust));
        quote! {
            impl ::b24_rest_runtime::Paged for #name {
                type Item = #item;

                fn set_start(&mut self, start: i64) {
                    self.#start = ::core::option::Option::Some(start);
                }

                fn into_items(output: Self::Output) -> #items {
                    output
                }
            }
        }
    });
    quote! {
        impl ::b24_rest_runtime::Method for #name {
            const NAME: &'static str = #wire;
            const SAFE_TO_REPEAT: bool = #safe;
            const BATCH: bool = #batch;
            type Output = #output;
            type Error = #error;

            #spec_data
        }

        #paged
    }
}

/// The method's conformance tests: its spec's examples and error table are data in the
/// scope's `spec_data.json`, found by `Method::NAME` and checked by the runtime's generic
/// `conformance` functions. One test per kind of check, emitted where the spec has data for
/// it; a failure names the method and the example.
fn conformance_tests(scope: &Scope, method: &Method) -> TokenStream {
    let module = names::ident(&scope.module);
    let request = names::ident(&method.request_type);
    let request = quote!(crate::api::#module::#request);
    let check = quote!(::b24_rest_runtime::conformance);
    let examples = &method.spec.examples;
    let mut tests = Vec::new();
    if !examples.requests.is_empty() {
        tests.push(quote! {
            /// The request examples decode into the request and encode back byte for byte.
            #[test]
            fn request_examples_round_trip() {
                #check::request_examples_round_trip::<#request>();
            }
        });
    }
    if !examples.responses.is_empty() {
        tests.push(quote! {
            /// The response examples decode to their result or error, raw status, code and
            /// text kept.
            #[test]
            fn response_examples_decode() {
                #check::response_examples_decode::<#request>();
            }
        });
    }
    if !method.errors.is_empty() {
        tests.push(quote! {
            /// Every form of every error row (codes in either case) reaches its variant.
            #[test]
            fn error_rows_are_recognised() {
                #check::error_rows_are_recognised::<#request>();
            }
        });
    }
    let success = examples
        .responses
        .iter()
        .any(|r| r.error.is_none() && r.system_error.is_none() && (200..300).contains(&r.status));
    if !examples.requests.is_empty() && success {
        tests.push(quote! {
            /// The first request example, sent by the real client to the mock portal, arrives
            /// as sent and gets the spec's success answer.
            #[::tokio::test]
            async fn a_call_succeeds_against_the_mock_portal() {
                #check::a_call_succeeds_against_the_mock_portal::<#request>().await;
            }
        });
    }
    quote! {
        /// Conformance tests: the spec's examples and error table (the scope's
        /// `spec_data.json`), checked through the real decoder and client.
        #[cfg(test)]
        mod conformance {
            #( #tests )*

            /// An error no row lists is kept whole, extra keys included.
            #[test]
            fn unlisted_error_is_kept() {
                #check::unlisted_error_is_kept::<#request>();
            }
        }
    }
}
