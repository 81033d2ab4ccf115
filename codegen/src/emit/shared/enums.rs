//! An enum's file: its listed values, an `Other` for values this version does not know when
//! the enum is open, and the value as text (`as_str`, `Display`, `FromStr` and `TryFrom`,
//! serde); a yes/no flag (`Y`/`N`) also converts from `bool`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::GeneratedFile;
use crate::emit::docs::{self, Doc, code};
use crate::emit::paths::{self, Derive};
use crate::emit::{API_DIR, render, types};
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
    let flag_impls = flag_impls(item);
    let tokens = quote! {
        #module_doc
        #item_doc
        #declaration
        #text_impls
        #flag_impls
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
        .map(|v| docs::outer(&format!("{}: {}", code(v.value.as_str()), v.description)));
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

/// `Display` (the wire value), and `FromStr` and `TryFrom<&str>`/`TryFrom<String>` (a listed
/// value, exactly).
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
    let try_from = try_from_impls(&name);
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

        #try_from
    }
}

/// `TryFrom<&str>` and `TryFrom<String>`: the strict `FromStr`, with its error, so that
/// `Type::try_from(text)?` and `text.try_into()?` work where a value of the type is expected.
pub(super) fn try_from_impls(name: &Ident) -> TokenStream {
    let string = paths::string();
    let error = paths::runtime("GrammarError");
    // Not `Self::Error`: a variant named `Error` would make that path ambiguous.
    let result = paths::result(quote!(Self), error.clone());
    quote! {
        impl ::core::convert::TryFrom<&str> for #name {
            type Error = #error;

            /// The strict [`FromStr`](core::str::FromStr): only what parsing accepts.
            fn try_from(text: &str) -> #result {
                ::core::str::FromStr::from_str(text)
            }
        }

        impl ::core::convert::TryFrom<#string> for #name {
            type Error = #error;

            /// The strict [`FromStr`](core::str::FromStr): only what parsing accepts.
            fn try_from(text: #string) -> #result {
                ::core::str::FromStr::from_str(&text)
            }
        }
    }
}

/// A yes/no flag (values exactly `Y` and `N`): `From<bool>`, `is_yes` and `is_no`, so that
/// `.important(true)` reads as it should and an answer's flag tests without a `match`.
fn flag_impls(item: &Enum) -> Option<TokenStream> {
    if !types::is_yes_no(item) {
        return None;
    }
    let name = names::ident(&item.spec.name);
    let variant = |wire: &str| {
        item.spec
            .values
            .iter()
            .find(|v| v.value.as_str() == wire)
            .map(|v| names::ident(&v.name))
    };
    let (yes, no) = (variant("Y")?, variant("N")?);
    let neither = item
        .spec
        .open
        .then_some(" A value this version does not know is neither.");
    let yes_doc = docs::outer(&format!(
        "Whether the flag is {} ([`{}`](Self::{})).{}",
        code("Y"),
        yes,
        yes,
        neither.unwrap_or_default()
    ));
    let no_doc = docs::outer(&format!(
        "Whether the flag is {} ([`{}`](Self::{})).{}",
        code("N"),
        no,
        no,
        neither.unwrap_or_default()
    ));
    let from_doc = docs::outer(&format!(
        "`true` is [`{yes}`](Self::{yes}) ({}), `false` is [`{no}`](Self::{no}) ({}).",
        code("Y"),
        code("N")
    ));
    Some(quote! {
        impl #name {
            #yes_doc
            pub fn is_yes(&self) -> bool {
                ::core::matches!(self, Self::#yes)
            }

            #no_doc
            pub fn is_no(&self) -> bool {
                ::core::matches!(self, Self::#no)
            }
        }

        impl ::core::convert::From<bool> for #name {
            #from_doc
            fn from(flag: bool) -> Self {
                if flag { Self::#yes } else { Self::#no }
            }
        }
    })
}

/// Serialised as the wire value (a JSON number for a numeric enum, which also reads its
/// values from numbers or their text). Parsing a value given by a caller (a flag, a request)
/// is strict; decoding an answer of an open enum keeps values this version does not know.
fn serde_impls(item: &Enum) -> TokenStream {
    let name = names::ident(&item.spec.name);
    let string = paths::string();
    let (read_text, write) = if types::is_numeric_enum(item) {
        let (read, write) = (
            paths::private("enum_number_text"),
            paths::private("serialize_enum_number"),
        );
        (
            quote!(#read(deserializer)?),
            quote!(#write(self.as_str(), serializer)),
        )
    } else {
        (
            quote!(<#string as ::serde::Deserialize>::deserialize(deserializer)?),
            quote!(serializer.serialize_str(self.as_str())),
        )
    };
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
                #write
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #de_result {
                let text = #read_text;
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
            code(value.value.as_str()),
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
    if types::is_numeric_enum(item) {
        doc.para(
            "The values are numbers: sent as JSON numbers, read from numbers or from their text \
             (`\"1\"`), as servers send both.",
        );
    }
    let first = spec.values.first().map_or("", |v| v.value.as_str());
    doc.para(format!(
        "From text: `{name}::try_from({first:?})?`, `text.try_into()?` or `text.parse()?` \
         (`TryFrom<&str>`, `TryFrom<String>` and `FromStr` alike take only the listed values, \
         exactly); [`as_str`](Self::as_str) and `Display` give the wire value back.",
        name = spec.name
    ));
    if types::is_yes_no(item) {
        doc.para(
            "A yes/no flag: `From<bool>` makes one (`true` is `Y`), so a parameter of this type \
             takes `true` or `false` as well (`.important(true)`); \
             [`is_yes`](Self::is_yes) and [`is_no`](Self::is_no) test an answer's flag.",
        );
    }
    doc.outer()
}
