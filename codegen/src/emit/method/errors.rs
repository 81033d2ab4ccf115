//! A method's error enum: one variant per row of its error table plus `Unhandled`, its docs,
//! and the impls the runtime needs (`MethodError`, `Display`, `Error`). The table itself is
//! `error_rows`, the written-out `Debug` and `PartialEq` `error_eq`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{error_eq, error_rows};
use crate::emit::docs::{self, Doc, code};
use crate::emit::{paths, types};
use crate::model::{ErrorRow, Matcher, Method};
use crate::names;
use crate::spec::MatchMode;

/// The enum, its `ErrorRows` and `MethodError` impls, and `Debug`, `PartialEq`, `Display`
/// and `Error`.
pub(super) fn error_enum(method: &Method) -> TokenStream {
    let name = names::ident(&method.error_type);
    let meta = paths::runtime("ErrorMeta");
    let doc = enum_doc(method);
    let variants = method.errors.iter().map(variant);
    let rows = error_rows::error_rows_impl(method);
    let method_error = method_error_impl(method);
    let debug_and_eq = error_eq::debug_and_eq(method);
    let trait_path = paths::runtime("MethodError");
    let allow = large_variant(method);
    quote! {
        #doc
        #[derive(::core::clone::Clone)]
        #allow
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
            /// An error the table does not list; keeps status, code, text and extra keys.
            Unhandled(#meta),
        }

        #rows
        #method_error
        #debug_and_eq

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let (variant, meta) = #trait_path::parts(self);
                ::core::write!(f, "{}: {}", variant, meta)
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// `#[allow(clippy::large_enum_variant)]` for a table with a row that captures many fields.
///
/// Every variant holds the raw error; a row's captures (integers and strings, 8 and 24 bytes)
/// come on top, and clippy warns from 200 bytes between the two largest variants: nine strings.
/// From five captures on, the allowance is given with room to spare. Boxing the captures
/// instead would make every such variant awkward to match, for an error built once per
/// failed call.
fn large_variant(method: &Method) -> Option<TokenStream> {
    let many = method.errors.iter().any(|row| row.fields.len() > 4);
    many.then(|| quote!(#[allow(clippy::large_enum_variant)]))
}

fn enum_doc(method: &Method) -> TokenStream {
    let mut doc = Doc::default();
    doc.para(format!(
        "The errors of {} ([`{}`]): the rows of its error table.",
        code(&method.spec.method),
        method.request_type
    ));
    doc.para(
        "A row is recognised by code and text together, in table order, because servers send \
         several failures with the same (often empty) code. Whatever matches no row is kept \
         whole in [`Unhandled`](Self::Unhandled).",
    );
    doc.outer()
}

fn variant(row: &ErrorRow) -> TokenStream {
    let variant = names::ident(&row.spec.name);
    let doc = row_doc(row).outer();
    let meta = paths::runtime("ErrorMeta");
    if row.fields.is_empty() {
        return quote! { #doc #variant(#meta) };
    }
    let fields = row.fields.iter().map(|field| {
        let ident = names::ident(&field.rust);
        let ty = types::rust(&field.ty);
        let doc = docs::outer(&field.spec.description);
        quote! { #doc #ident: #ty }
    });
    quote! {
        #doc
        #variant {
            #( #fields, )*
            /// The raw error as the server sent it.
            meta: #meta,
        }
    }
}

fn matcher_words(matcher: &Matcher) -> String {
    let how = match matcher.mode {
        MatchMode::Exact => "text",
        MatchMode::Contains => "text containing",
        MatchMode::Pattern => "text matching",
    };
    let note = matcher
        .note
        .as_deref()
        .map(|note| format!(" — {}", note.trim()))
        .unwrap_or_default();
    format!(
        "code {}, {how} {}{note}",
        code(&matcher.code),
        code(&matcher.text)
    )
}

fn row_doc(row: &ErrorRow) -> Doc {
    let spec = &row.spec;
    let mut doc = Doc::default();
    doc.para(format!(
        "{}: {}",
        code(&spec.description),
        spec.meaning.trim()
    ));
    if !spec.documented {
        doc.para("Not on the official page; sent by real servers.");
    }
    let forms: Vec<String> = row
        .matchers
        .iter()
        .map(|m| format!("- {}", matcher_words(m)))
        .collect();
    doc.para(format!(
        "HTTP {}. Recognised by:\n{}",
        spec.status,
        forms.join("\n")
    ));
    doc
}

/// `MethodError`: `Unhandled`, and each variant's name and raw error in one `match`.
fn method_error_impl(method: &Method) -> TokenStream {
    let name = names::ident(&method.error_type);
    let trait_path = paths::runtime("MethodError");
    let meta = paths::runtime("ErrorMeta");
    let arms = method.errors.iter().map(|row| {
        let variant = names::ident(&row.spec.name);
        let text = &row.spec.name;
        if row.fields.is_empty() {
            quote!(Self::#variant(meta) => (#text, meta),)
        } else {
            quote!(Self::#variant { meta, .. } => (#text, meta),)
        }
    });
    quote! {
        impl #trait_path for #name {
            fn unhandled(meta: #meta) -> Self {
                Self::Unhandled(meta)
            }

            fn parts(&self) -> (&'static str, &#meta) {
                match self {
                    #( #arms )*
                    Self::Unhandled(meta) => ("Unhandled", meta),
                }
            }
        }
    }
}
