//! An enum's file: its listed values, an `Other` for values this version does not know when
//! the enum is open, and the value as text (`as_str`, `Display`, `FromStr`, serde).

use proc_macro2::TokenStream;
use quote::quote;

use crate::GeneratedFile;
use crate::emit::docs::{self, Doc, code};
use crate::emit::paths::{self, Derive};
use crate::emit::{API_DIR, render};
use crate::model::Enum;
use crate::names;

/// `api/shared/<enum>.rs`.
pub(super) fn file(item: &Enum) -> GeneratedFile {
    let spec = &item.spec;
    let module_doc = docs::inner(&format!(
        "The {} values: {}",
        code(&spec.name),
        spec.summary
    ));
    let item_doc = doc(item);
    let declaration = declaration(item);
    let text_impls = text_impls(item);
    let serde_impls = serde_impls(item);
    let tokens = quote! {
        #module_doc
        #item_doc
        #declaration
        #text_impls
        #serde_impls
    };
    render(
        format!(
            "{API_DIR}/shared/{}.rs",
            item.module.trim_start_matches("r#")
        ),
        &item.file,
        tokens,
    )
}

/// The enum, `VALUES` and `as_str`.
fn declaration(item: &Enum) -> TokenStream {
    let spec = &item.spec;
    let name = names::ident(&spec.name);
    let variants: Vec<_> = spec.values.iter().map(|v| names::ident(&v.name)).collect();
    let wires: Vec<&str> = spec.values.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = spec
        .values
        .iter()
        .map(|v| docs::outer(&format!("{}: {}", code(&v.value), v.description)));
    let values_list = wires.join(", ");
    let string = paths::string();
    let (other_variant, other_text) = if spec.open {
        (
            quote! {
                /// A value this version does not know, as the server sent it.
                Other(#string),
            },
            quote!(Self::Other(text) => text,),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let derive = paths::derive(&[
        Derive::Debug,
        Derive::Clone,
        Derive::PartialEq,
        Derive::Eq,
        Derive::Hash,
    ]);
    quote! {
        #derive
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            #other_variant
        }

        impl #name {
            /// The values the spec lists, as sent on the wire.
            pub const VALUES: &'static str = #values_list;

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    #other_text
                }
            }
        }
    }
}

/// `Display` (the wire value) and `FromStr` (a listed value, exactly).
fn text_impls(item: &Enum) -> TokenStream {
    let spec = &item.spec;
    let name = names::ident(&spec.name);
    let enum_name = spec.name.as_str();
    let variants = spec.values.iter().map(|v| names::ident(&v.name));
    let wires = spec.values.iter().map(|v| v.value.as_str());
    let (error, reason) = (
        paths::runtime("GrammarError"),
        paths::runtime("GrammarErrorReason"),
    );
    let result = paths::result(quote!(Self), quote!(<Self as ::core::str::FromStr>::Err));
    quote! {
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = #error;

            /// One of the listed values, exactly; anything else is an error.
            fn from_str(text: &str) -> #result {
                match text {
                    #( #wires => ::core::result::Result::Ok(Self::#variants), )*
                    other => ::core::result::Result::Err(#error::new(#enum_name, other, #reason::UnknownForm { expected: Self::VALUES })),
                }
            }
        }
    }
}

/// Serialised as the wire value. Parsing a value given by a caller (a flag, a request) is
/// strict; decoding an answer of an open enum keeps values this version does not know.
fn serde_impls(item: &Enum) -> TokenStream {
    let name = names::ident(&item.spec.name);
    let string = paths::string();
    let decode = if item.spec.open {
        quote!(::core::result::Result::Ok(
            text.parse().unwrap_or(Self::Other(text))
        ))
    } else {
        quote!(
            text.parse()
                .map_err(<D::Error as ::serde::de::Error>::custom)
        )
    };
    let ser_result = paths::result(quote!(S::Ok), quote!(S::Error));
    let de_result = paths::result(quote!(Self), quote!(D::Error));
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #ser_result {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #de_result {
                let text = <#string as ::serde::Deserialize>::deserialize(deserializer)?;
                #decode
            }
        }
    }
}

/// The enum's docs: its summary and a table of its values.
fn doc(item: &Enum) -> TokenStream {
    let spec = &item.spec;
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    if let Some(description) = &spec.description {
        doc.para(description);
    }
    let mut table = String::from("| Value | Variant | Meaning |\n|---|---|---|");
    for value in &spec.values {
        table.push_str(&format!(
            "\n| {} | [`{}`]({}::{}) | {} |",
            code(&value.value),
            value.name,
            spec.name,
            value.name,
            value.description.replace('\n', " ")
        ));
    }
    doc.para(table);
    if spec.open {
        doc.para(
            "Answers with a value the server adds later decode to [`Other`](Self::Other) instead of \
             failing; parsing a caller's text (`\"y\".parse()`) accepts only the listed values.",
        );
    }
    doc.outer()
}
