//! A method's error enum: one variant per row of its error table plus `Unhandled`, its docs,
//! and its impls (`ErrorRows`, `MethodError`, `Debug`, `PartialEq`, `Display`, `Error`) in one
//! call of the runtime's `method_error!`, which is told the variants and the table
//! (`error_rows`). The impls only repeat the variant names; written out they were most of a
//! simple method's file.

use proc_macro2::TokenStream;
use quote::quote;

use super::error_rows;
use crate::emit::docs::{self, Doc, code};
use crate::emit::{paths, types};
use crate::model::{ErrorRow, Matcher, Method};
use crate::names;
use crate::spec::MatchMode;

/// The enum, and its impls through `method_error!`.
pub(super) fn error_enum(method: &Method) -> TokenStream {
    let name = names::ident(&method.error_type);
    let meta = paths::runtime("ErrorMeta");
    let doc = enum_doc(method);
    let variants = method.errors.iter().map(variant);
    let impls = impls(method);
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

        #impls
    }
}

/// `method_error!(Name[Plain, …; Captured { field, … }, …], TABLE);`: the variants that hold
/// only the raw error, those with captured fields (in capture order), and the table.
fn impls(method: &Method) -> TokenStream {
    let name = names::ident(&method.error_type);
    let macro_path = paths::private("method_error");
    if method.errors.is_empty() {
        return quote!(#macro_path!(#name[]););
    }
    let plain = method
        .errors
        .iter()
        .filter(|row| row.fields.is_empty())
        .map(|row| names::ident(&row.spec.name));
    let captured: Vec<TokenStream> = method
        .errors
        .iter()
        .filter(|row| !row.fields.is_empty())
        .map(|row| {
            let variant = names::ident(&row.spec.name);
            let fields = row.fields.iter().map(|field| names::ident(&field.rust));
            quote!(#variant { #( #fields ),* })
        })
        .collect();
    let captured = (!captured.is_empty()).then(|| quote!(; #( #captured ),*));
    let table = error_rows::error_table(method);
    quote!(#macro_path!(#name[ #( #plain ),* #captured ], #table);)
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
        MatchMode::Code => "any text, such as",
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
