//! The method's result type: the plain type, or for a result written `A | B` an enum that
//! decodes whichever the server sent.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{self, Doc, code};
use crate::emit::paths::{self, Derive};
use crate::emit::types;
use crate::model::{Method, TypeRef};
use crate::names;

/// The Rust type of the method's result: the union enum for `A | B`, else the plain type.
pub(super) fn output_type(method: &Method) -> TokenStream {
    match &method.union_type {
        Some(union) => {
            let name = names::ident(union);
            quote!(#name)
        }
        None => types::rust(&method.result),
    }
}

/// For a result written `A | B`: an enum that decodes whichever the server sent.
pub(super) fn union_enum(method: &Method) -> TokenStream {
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
    let variants = choices.iter().map(variant);
    let id_helper = id_helper(&name, choices);
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

/// One choice of the union. An object is boxed: its size grows with its fields, and the
/// enum is as large as its largest variant (clippy's `large_enum_variant`); serde decodes a
/// `Box<T>` as it decodes `T`, so the answers the enum accepts are the same.
fn variant(choice: &TypeRef) -> TokenStream {
    let variant = names::ident(&choice.variant_name());
    let ty = match choice {
        TypeRef::Object(_) | TypeRef::Local { .. } => {
            let object = types::rust(choice);
            quote!(::std::boxed::Box<#object>)
        }
        _ => types::rust(choice),
    };
    let doc = docs::outer(&format!("The answer as {}.", types::describe(choice)));
    quote!(#doc #variant(#ty))
}

/// The usual case, an id now and `true` from older servers: make the id easy to get.
fn id_helper(name: &proc_macro2::Ident, choices: &[TypeRef]) -> Option<TokenStream> {
    if !choices.contains(&TypeRef::Id) {
        return None;
    }
    let id = paths::option(paths::runtime("Id"));
    Some(quote! {
        impl #name {
            /// The id, when the server answered one.
            pub fn id(&self) -> #id {
                match self {
                    Self::Id(id) => ::core::option::Option::Some(*id),
                    _ => ::core::option::Option::None,
                }
            }
        }
    })
}
