//! The request's `Method` impl (name, output, error, whether it may be repeated or batched,
//! where its spec data is) and, for a list method, its `Paged` impl.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::result;
use crate::emit::{modules, paths, types};
use crate::model::{Method, Pager, Scope, TypeRef};
use crate::names;
use crate::spec::PagingSpec;

/// `Method` and, for a list method, `Paged`.
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

/// For a list method: how it pages, the parameter the pager moves, and the page's records
/// and what it says of the next one.
fn paged_impl(method: &Method) -> Option<TokenStream> {
    let pager = method.pager.as_ref()?;
    let item = types::rust(&pager.item);
    let name = names::ident(&method.request_type);
    let items = paths::vec(quote!(Self::Item));
    let paging = paging_const(pager);
    let records_path = pager.records.as_ref().map(|records| {
        let wire = &records.wire;
        quote!(const RECORDS: &'static [&'static str] = &[#wire];)
    });
    let (position, set_position) = position_fns(pager);
    let (count, records) = (count(pager, &method.result), records(pager, &method.result));
    let following = following_fn(pager);
    let position_ty = paths::runtime("Position");
    Some(quote! {
        impl ::b24_rest_runtime::Paged for #name {
            type Item = #item;
            #paging
            #records_path

            fn position(&self) -> #position_ty {
                #position
            }

            fn set_position(&mut self, position: &#position_ty) -> bool {
                #set_position
            }

            fn count(output: &Self::Output) -> usize {
                #count
            }

            fn into_items(output: Self::Output) -> #items {
                #records
            }

            #following
        }
    })
}

/// How the following page is found, unless it is the trait's default (`start`).
fn paging_const(pager: &Pager) -> Option<TokenStream> {
    let variant = match (pager.shape, &pager.next) {
        (_, Some(_)) => quote!(Answer),
        (PagingSpec::Start, None) => return None,
        (PagingSpec::Offset | PagingSpec::Pagination, None) => quote!(Offset),
        (PagingSpec::Page | PagingSpec::NavParams, None) => quote!(Page),
    };
    let paging = paths::runtime("Paging");
    Some(quote!(const PAGING: #paging = #paging::#variant;))
}

/// Reading and writing the paging parameter: an integer (`start`, `OFFSET`, `page`), a key
/// of `NAV_PARAMS`, or REST 3.0's `pagination` (its offset, or its cursor).
fn position_fns(pager: &Pager) -> (TokenStream, TokenStream) {
    let param = names::ident(&pager.param);
    let call = |name: &str| paths::private(name);
    match pager.shape {
        PagingSpec::Start | PagingSpec::Offset | PagingSpec::Page => {
            let first = Literal::u64_unsuffixed(u64::from(pager.shape == PagingSpec::Page));
            let (read, write) = (call("index_at"), call("set_index"));
            (
                quote!(#read(self.#param, #first)),
                quote!(#write(&mut self.#param, position)),
            )
        }
        PagingSpec::NavParams => {
            let (read, write) = (call("key_index"), call("set_key_index"));
            (
                quote!(#read(&self.#param, "iNumPage", 1)),
                quote!(#write(&mut self.#param, "iNumPage", position)),
            )
        }
        PagingSpec::Pagination => {
            let (read, write) = match pager.next {
                Some(_) => (call("pagination_cursor"), call("set_pagination_cursor")),
                None => (call("pagination_offset"), call("set_pagination_offset")),
            };
            (
                quote!(#read(&self.#param)),
                quote!(#write(&mut self.#param, position)),
            )
        }
    }
}

/// How many records a page holds, read without taking the result apart.
fn count(pager: &Pager, result: &TypeRef) -> TokenStream {
    let counted = paths::private("count_records");
    let Some(records) = &pager.records else {
        // A list or a map: both have `len`.
        return match result {
            TypeRef::Any => quote!(#counted(output)),
            _ => quote!(output.len()),
        };
    };
    let field = names::ident(&records.rust);
    match (records.untyped, records.required) {
        // A list field is a `Vec` even when optional (absent is empty).
        (false, _) => quote!(output.#field.len()),
        (true, true) => quote!(#counted(&output.#field)),
        (true, false) => quote!(output.#field.as_ref().map_or(0, #counted)),
    }
}

/// A page's records out of the result: the result itself, or its `page_records` field (an
/// `any` one through the runtime, which keeps every value the server sent).
fn records(pager: &Pager, result: &TypeRef) -> TokenStream {
    let read = paths::private("records");
    let Some(records) = &pager.records else {
        return match result {
            TypeRef::Any => quote!(#read(output)),
            TypeRef::Map(_) => quote!(output.into_values().collect()),
            _ => quote!(output),
        };
    };
    let field = names::ident(&records.rust);
    match (records.untyped, records.required) {
        (false, _) => quote!(output.#field),
        (true, true) => quote!(#read(output.#field)),
        (true, false) => quote!(#read(output.#field.unwrap_or_default())),
    }
}

/// What a page says of the following one, for a result with `page_more` or `page_next`.
fn following_fn(pager: &Pager) -> Option<TokenStream> {
    if pager.more.is_none() && pager.next.is_none() {
        return None;
    }
    let more = match &pager.more {
        Some(field) if field.required => {
            let field = names::ident(&field.rust);
            quote!(::core::option::Option::Some(output.#field))
        }
        Some(field) => {
            let field = names::ident(&field.rust);
            quote!(output.#field)
        }
        None => quote!(::core::option::Option::None),
    };
    let next = match &pager.next {
        Some(field) => {
            let (field, named) = (names::ident(&field.rust), paths::private("position_of"));
            quote!(#named(&output.#field))
        }
        None => quote!(::core::option::Option::None),
    };
    let following = paths::runtime("Following");
    Some(quote! {
        fn following(output: &Self::Output) -> #following {
            #following::new(#more, #next)
        }
    })
}
