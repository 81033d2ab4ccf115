//! The request's `Method` impl (name, output, error, whether it may be repeated or batched,
//! where its spec data is) and, for a list method, its `Paged` impl.

use proc_macro2::TokenStream;
use quote::quote;

use super::result;
use crate::emit::{modules, paths, types};
use crate::model::{Method, Scope};
use crate::names;

/// `Method` and, for `paging: start`, `Paged`.
pub(super) fn method_impl(scope: &Scope, method: &Method) -> TokenStream {
    let name = names::ident(&method.request_type);
    let error = names::ident(&method.error_type);
    let wire = &method.spec.method;
    let safe = method.spec.safe_to_repeat;
    let batch = method.spec.batch;
    let output = result::output_type(method);
    let spec_data = modules::spec_data_fn(scope);
    let paged = paged_impl(method);
    // The trait's default is v2: only REST 3.0 methods say where they go.
    let api = (method.spec.api == crate::spec::ApiVersion::V3).then(|| {
        quote!(
            const API: ::b24_rest_runtime::ApiVersion = ::b24_rest_runtime::ApiVersion::V3;
        )
    });
    quote! {
        impl ::b24_rest_runtime::Method for #name {
            const NAME: &'static str = #wire;
            #api
            const SAFE_TO_REPEAT: bool = #safe;
            const BATCH: bool = #batch;
            type Output = #output;
            type Error = #error;

            #spec_data
        }

        #paged
    }
}

/// For `paging: start`: the type of one record, and the `start` parameter the pager sets.
fn paged_impl(method: &Method) -> Option<TokenStream> {
    let item = types::rust(method.page_item.as_ref()?);
    let name = names::ident(&method.request_type);
    let items = paths::vec(quote!(Self::Item));
    let start = method
        .params
        .iter()
        .find(|p| p.spec.name == "start")
        .map(|p| names::ident(&p.rust));
    let records = records(method);
    Some(quote! {
        impl ::b24_rest_runtime::Paged for #name {
            type Item = #item;

            fn set_start(&mut self, start: i64) {
                self.#start = ::core::option::Option::Some(start);
            }

            fn into_items(output: Self::Output) -> #items {
                #records
            }
        }
    })
}

/// A page's records out of the result: the result itself, or its `page_records` field (an
/// `any` one through the runtime, which keeps every value the server sent).
fn records(method: &Method) -> TokenStream {
    let Some(records) = &method.page_records else {
        return quote!(output);
    };
    let field = names::ident(&records.rust);
    let read = paths::private("records");
    match (records.untyped, records.required) {
        (false, _) => quote!(output.#field),
        (true, true) => quote!(#read(output.#field)),
        (true, false) => quote!(#read(output.#field.unwrap_or_default())),
    }
}
