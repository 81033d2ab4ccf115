//! A method's call type (`BlogpostShareCall`) and the accessor fn that makes it
//! (`client.log().blogpost().share(…)`).
//!
//! The call type is the method's own, not the runtime's `Call<'a, Request>`: the setters of
//! its optional parameters then live on one page of the docs with the method, and the crate
//! may add inherent methods to it (a foreign `Call` would take none).

use proc_macro2::TokenStream;
use quote::quote;

use super::example::usage_example;
use super::request::{argument, conversion_note, sentence};
use super::{many_arguments, operator_named};
use crate::emit::docs::{self, Doc, code};
use crate::emit::{paths, types};
use crate::model::{Method, Model, Param, Scope};
use crate::names;
use crate::spec::PagingSpec;

/// The call struct, its setters and `pages`; `request`, `into_call`, `send` and `IntoFuture`,
/// the same for every method, come from the runtime's `call_impls!`.
pub(super) fn call_type(model: &Model, method: &Method) -> TokenStream {
    let name = names::ident(&method.call_type);
    let request = names::ident(&method.request_type);
    let runtime_call = paths::runtime("Call");
    let call_ty = quote!(#runtime_call<'a, #request>);
    let doc = docs::outer(&format!(
        "A call of {}, ready to send: set its optional parameters, then `.await` it (or \
         [`send`](Self::send) it).",
        code(&method.spec.method)
    ));
    let setters = method
        .params
        .iter()
        .filter(|p| !p.spec.required)
        .map(|param| setter(model, param));
    let custom = custom_setter(method);
    let pages = pages_fn(method);
    let error = names::ident(&method.error_type);
    let impls = paths::private("call_impls");
    let own: Vec<TokenStream> = setters.chain(custom).chain(pages).collect();
    // No setters and no pager: nothing of the call's own to add.
    let own = (!own.is_empty()).then(|| {
        quote! {
            impl<'a> #name<'a> {
                #( #own )*
            }
        }
    });
    quote! {
        #doc
        #[derive(::core::fmt::Debug)]
        #[must_use = "a call does nothing until it is awaited"]
        pub struct #name<'a> {
            call: #call_ty,
        }

        #own

        #impls!(#name, #request, #error);
    }
}

/// A setter's doc (on the request and on the call alike): the description's first sentence
/// (the request's field holds the whole description), and what the argument converts from.
pub(super) fn setter_doc(model: &Model, param: &Param) -> TokenStream {
    let mut doc = Doc::default();
    doc.para(format!(
        "Sets {}: {}",
        code(&param.spec.name),
        first_sentence(&param.spec.description)
    ));
    if let Some(note) = conversion_note(model, param) {
        doc.para(format!("{}.", sentence(&[note])));
    }
    doc.outer()
}

/// The first sentence of a description, on one line.
fn first_sentence(text: &str) -> String {
    let text = text.trim().replace('\n', " ");
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text,
    }
}

/// A setter on the call: it changes the request in place (no closure per setter to compile).
fn setter(model: &Model, param: &Param) -> TokenStream {
    let ident = names::ident(&param.rust);
    let (ty, value) = argument(model, param);
    let value = value.unwrap_or_else(|| quote!(#ident));
    let doc = setter_doc(model, param);
    let allow = operator_named(param);
    quote! {
        #doc
        #allow
        pub fn #ident(mut self, #ident: #ty) -> Self {
            self.call.request_mut().#ident = ::core::option::Option::Some(#value);
            self
        }
    }
}

fn custom_setter(method: &Method) -> Option<TokenStream> {
    let open = method.custom_params.as_ref()?;
    let field = names::ident(&open.rust);
    let ty = types::rust(&open.ty);
    let (key_ty, value_ty) = (paths::into(paths::string()), paths::into(ty));
    let doc = docs::outer(&format!(
        "Adds one entry to [`{0}`]({1}::{0}), e.g. a custom `UF_*` field by its code.",
        open.rust.trim_start_matches("r#"),
        method.request_type
    ));
    Some(quote! {
        #doc
        pub fn custom_field(mut self, key: #key_ty, value: #value_ty) -> Self {
            self.call.request_mut().#field.insert(key.into(), value.into());
            self
        }
    })
}

fn pages_fn(method: &Method) -> Option<TokenStream> {
    method.pager.as_ref()?;
    let request = names::ident(&method.request_type);
    let pager = paths::runtime("Pager");
    Some(quote! {
        /// A pager over every page of the list, from this call's own page on.
        pub fn pages(self) -> #pager<'a, #request> {
            self.call.pages()
        }
    })
}

/// The accessor fn: `impl LogBlogpostApi { fn share(…) -> BlogpostShareCall }`.
pub(super) fn accessor_fn(model: &Model, scope: &Scope, method: &Method) -> TokenStream {
    let module = names::ident(&scope.module);
    let accessor = names::ident(&method.accessor_type);
    let fn_name = names::ident(&method.fn_name);
    let request = names::ident(&method.request_type);
    let call = names::ident(&method.call_type);
    let doc = accessor_doc(model, method);
    let required: Vec<&Param> = method.params.iter().filter(|p| p.spec.required).collect();
    let args = required.iter().map(|param| {
        let ident = names::ident(&param.rust);
        let (ty, _) = argument(model, param);
        quote!(#ident: #ty)
    });
    let idents = required.iter().map(|param| names::ident(&param.rust));
    let allow = many_arguments(required.len() + 1);
    let deprecated = super::request::deprecated(method);
    quote! {
        impl<'a> crate::api::#module::#accessor<'a> {
            #doc
            #deprecated
            #allow
            pub fn #fn_name(&self, #( #args ),* ) -> #call<'a> {
                #call { call: self.client.call(#request::new( #( #idents ),* )) }
            }
        }
    }
}

fn accessor_doc(model: &Model, method: &Method) -> TokenStream {
    let spec = &method.spec;
    let call = &method.call_type;
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    doc.para(format!(
        "Calls {}. **Who may call it:** {} Parameters, result and errors: [`{}`], [`{}`].",
        code(&spec.method),
        spec.access.trim(),
        method.request_type,
        method.error_type
    ));
    let optional: Vec<String> = method
        .params
        .iter()
        .filter(|p| !p.spec.required)
        // Rustdoc links a keyword setter (`r#type`) by its bare name (`Call::type`).
        .map(|p| {
            let name = p.rust.trim_start_matches("r#");
            format!("[`.{name}(…)`]({call}::{name})")
        })
        .collect();
    let notes: Vec<String> = method
        .params
        .iter()
        .filter(|p| p.spec.required)
        .filter_map(|param| conversion_note(model, param))
        .collect();
    if !notes.is_empty() {
        doc.para(format!("{}.", sentence(&notes)));
    }
    if !optional.is_empty() {
        doc.para(format!(
            "Optional parameters are set on the returned call: {}.",
            optional.join(", ")
        ));
    }
    if let Some(pager) = &method.pager {
        let page = match pager.shape {
            PagingSpec::Start => "one page of 50 records",
            _ => "one page of records",
        };
        doc.para(format!(
            "A list method: the answer holds {page}. \
             [`.pages()`]({call}::pages) walks every page, \
             `.pages().collect_all().await` gathers every record."
        ));
    }
    if let Some(example) = usage_example(model, method) {
        doc.para(format!("# Example\n\n```no_run\n{example}\n```"));
    }
    doc.outer()
}
