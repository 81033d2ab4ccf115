//! `Debug` and `PartialEq` of a method's error enum, written out rather than derived.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::paths;
use crate::model::{ErrorRow, Method};
use crate::names;

/// `Debug` and `PartialEq` of an error enum, written out rather than derived: they give what
/// the derives give (the same text, the same equality) with the variants that hold only the
/// raw error served by one arm through `parts()`. A derived `PartialEq` over a dozen
/// variants cost about 1 ms of `cargo check` per method, this one almost nothing.
pub(super) fn debug_and_eq(method: &Method) -> TokenStream {
    let name = names::ident(&method.error_type);
    let with_fields: Vec<&ErrorRow> = method
        .errors
        .iter()
        .filter(|row| !row.fields.is_empty())
        .collect();
    let parts = paths::runtime("MethodError");
    let debug_rest = quote! {
        let (variant, meta) = #parts::parts(self);
        f.debug_tuple(variant).field(meta).finish()
    };
    let eq_rest = quote!(#parts::parts(self) == #parts::parts(other));
    let (debug_body, eq_body) = if with_fields.is_empty() {
        (debug_rest, eq_rest)
    } else {
        let debug_arms = with_fields.iter().map(|row| debug_arm(row));
        let eq_arms = with_fields.iter().map(|row| eq_arm(row));
        (
            quote! {
                match self {
                    #( #debug_arms )*
                    _ => { #debug_rest }
                }
            },
            quote! {
                match (self, other) {
                    #( #eq_arms )*
                    // Variants that hold only the raw error: the same name and the same error.
                    _ => #eq_rest,
                }
            },
        )
    };
    quote! {
        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #debug_body
            }
        }

        impl ::core::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                #eq_body
            }
        }
    }
}

/// Bound under other names, so that no field can shadow the formatter `f`.
fn renamed(row: &ErrorRow, prefix: &str) -> Vec<proc_macro2::Ident> {
    row.fields
        .iter()
        .map(|f| names::ident(&format!("{prefix}_{}", f.rust.trim_start_matches("r#"))))
        .collect()
}

fn debug_arm(row: &ErrorRow) -> TokenStream {
    let variant = names::ident(&row.spec.name);
    let text = &row.spec.name;
    let fields: Vec<_> = row.fields.iter().map(|f| names::ident(&f.rust)).collect();
    let values = renamed(row, "value");
    let labels = row.fields.iter().map(|f| f.rust.trim_start_matches("r#"));
    quote! {
        Self::#variant { #( #fields: #values, )* meta } => f
            .debug_struct(#text)
            #( .field(#labels, #values) )*
            .field("meta", meta)
            .finish(),
    }
}

fn eq_arm(row: &ErrorRow) -> TokenStream {
    let variant = names::ident(&row.spec.name);
    let (left, right) = (renamed(row, "left"), renamed(row, "right"));
    let fields: Vec<_> = row.fields.iter().map(|f| names::ident(&f.rust)).collect();
    quote! {
        (
            Self::#variant { #( #fields: #left, )* meta: left_meta },
            Self::#variant { #( #fields: #right, )* meta: right_meta },
        ) => #( #left == #right && )* left_meta == right_meta,
    }
}
