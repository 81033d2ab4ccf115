//! A grammar's file: an enum of its forms, written and read as the server writes them
//! (`Display`, `FromStr` and `TryFrom` from text, and serde through both).

use proc_macro2::TokenStream;
use quote::quote;

use crate::GeneratedFile;
use crate::emit::docs::{self, Doc, code};
use crate::emit::paths::{self, Derive};
use crate::emit::{API_DIR, render};
use crate::model::Grammar;
use crate::names;
use crate::spec::{FormValue, GrammarFormSpec};

/// `api/shared/<grammar>.rs`.
pub(super) fn file(grammar: &Grammar) -> GeneratedFile {
    let spec = &grammar.spec;
    let module_doc = docs::inner(&format!(
        "The {} grammar: {}",
        code(&spec.grammar),
        spec.summary
    ));
    let item_doc = doc(grammar);
    let declaration = declaration(grammar);
    let display = display_impl(grammar);
    let from_str = from_str_impl(grammar);
    let try_from = super::enums::try_from_impls(&names::ident(&spec.grammar));
    let serde_impls = serde_impls(grammar);
    let tokens = quote! {
        #module_doc
        #item_doc
        #declaration
        #display
        #from_str
        #try_from
        #serde_impls
    };
    render(
        format!(
            "{API_DIR}/shared/{}.rs",
            grammar.module.trim_start_matches("r#")
        ),
        &grammar.file,
        tokens,
    )
}

/// The enum, a variant per form, and `FORMS`.
fn declaration(grammar: &Grammar) -> TokenStream {
    let name = names::ident(&grammar.spec.grammar);
    let expected = grammar
        .spec
        .forms
        .iter()
        .map(|form| form_syntax(&form.prefix, form.value))
        .collect::<Vec<_>>()
        .join(", ");
    let variants = variants(grammar);
    let derive = paths::derive(&[
        Derive::Debug,
        Derive::Clone,
        Derive::PartialEq,
        Derive::Eq,
        Derive::Hash,
        Derive::PartialOrd,
        Derive::Ord,
    ]);
    quote! {
        #derive
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
        }

        impl #name {
            /// The forms a value may take, as the error messages list them.
            pub const FORMS: &'static str = #expected;
        }
    }
}

/// Serialised as its text, decoded by parsing it: one definition of the syntax, `FromStr`'s.
fn serde_impls(grammar: &Grammar) -> TokenStream {
    let name = names::ident(&grammar.spec.grammar);
    let string = paths::string();
    let result = paths::result(quote!(S::Ok), quote!(S::Error));
    let de_result = paths::result(quote!(Self), quote!(D::Error));
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result {
                serializer.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #de_result {
                let text = <#string as ::serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    }
}

/// The grammar's docs: its summary and a table of its forms.
fn doc(grammar: &Grammar) -> TokenStream {
    let spec = &grammar.spec;
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    if let Some(description) = &spec.description {
        doc.para(description);
    }
    let mut table = String::from("| Form | Variant | Meaning |\n|---|---|---|");
    for form in &spec.forms {
        let note = if form.documented {
            ""
        } else {
            " Not on the official page."
        };
        table.push_str(&format!(
            "\n| {} | [`{}`]({}::{}) | {}{} |",
            code(&form_syntax(&form.prefix, form.value)),
            form.name,
            spec.grammar,
            form.name,
            form.description.replace('\n', " "),
            note
        ));
    }
    doc.para(table);
    doc.para(
        "Parsing is exact and case-sensitive, as on the server: anything else is an error \
         here rather than a value the server would silently drop.",
    );
    let example = spec.forms.first().map(|form| match form.value {
        FormValue::None => form.prefix.clone(),
        FormValue::Id => format!("{}1", form.prefix),
        FormValue::Text => format!("{}text", form.prefix),
    });
    doc.para(format!(
        "From text: `{name}::try_from({example:?})?`, `text.try_into()?` or `text.parse()?` \
         (`TryFrom<&str>`, `TryFrom<String>` and `FromStr` are the same strict parser, with \
         the same error); `Display` (`to_string()`) writes the text back. A list parameter of \
         this type takes any iterable of values (`[value]`, a `Vec`, an iterator), so text is \
         one conversion away: `[{name}::try_from(text)?]`.",
        name = spec.grammar,
        example = example.unwrap_or_default()
    ));
    doc.outer()
}

fn variants(grammar: &Grammar) -> Vec<TokenStream> {
    let string = paths::string();
    grammar
        .spec
        .forms
        .iter()
        .map(|form| {
            let variant = names::ident(&form.name);
            let mut doc = Doc::default();
            doc.para(format!(
                "{}: {}",
                code(&form_syntax(&form.prefix, form.value)),
                form.description
            ));
            doc.para(docs::obtain_from(&form.obtain_from));
            if !form.documented {
                doc.para("Not listed on the official page; accepted by the server.");
            }
            let doc = doc.outer();
            match form.value {
                FormValue::None => quote! { #doc #variant },
                FormValue::Id => quote! { #doc #variant(u64) },
                FormValue::Text => quote! { #doc #variant(#string) },
            }
        })
        .collect()
}

fn display_impl(grammar: &Grammar) -> TokenStream {
    let name = names::ident(&grammar.spec.grammar);
    let arms = grammar.spec.forms.iter().map(|form| {
        let variant = names::ident(&form.name);
        let prefix = &form.prefix;
        match form.value {
            FormValue::None => quote! { Self::#variant => f.write_str(#prefix), },
            FormValue::Id => quote! {
                Self::#variant(id) => {
                    f.write_str(#prefix)?;
                    ::core::fmt::Display::fmt(id, f)
                }
            },
            FormValue::Text => quote! {
                Self::#variant(text) => {
                    f.write_str(#prefix)?;
                    f.write_str(text)
                }
            },
        }
    });
    quote! {
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #( #arms )*
                }
            }
        }
    }
}

/// `FromStr`: the form whose prefix the text starts with, its value read by the runtime.
fn from_str_impl(grammar: &Grammar) -> TokenStream {
    let name = names::ident(&grammar.spec.grammar);
    let grammar_name = grammar.spec.grammar.as_str();
    // Longest prefix first: validation guarantees that no shorter prefix could have read
    // the same text.
    let mut by_length: Vec<_> = grammar.spec.forms.iter().collect();
    by_length.sort_by(|a, b| {
        b.prefix
            .len()
            .cmp(&a.prefix.len())
            .then(a.prefix.cmp(&b.prefix))
    });
    let arms = by_length
        .iter()
        .map(|form| from_str_arm(grammar_name, form));
    let error = paths::runtime("GrammarError");
    let result = paths::result(quote!(Self), quote!(<Self as ::core::str::FromStr>::Err));
    let (empty, unknown_form) = (paths::private("empty"), paths::private("unknown_form"));
    quote! {
        impl ::core::str::FromStr for #name {
            type Err = #error;

            fn from_str(input: &str) -> #result {
                if input.is_empty() {
                    return ::core::result::Result::Err(#empty(#grammar_name));
                }
                #( #arms )*
                ::core::result::Result::Err(#unknown_form(#grammar_name, input, Self::FORMS))
            }
        }
    }
}

/// A form read from text that starts with its prefix, by the runtime's helper for its kind
/// of value.
fn from_str_arm(grammar_name: &str, form: &GrammarFormSpec) -> TokenStream {
    let variant = names::ident(&form.name);
    let prefix = &form.prefix;
    let parse = match form.value {
        FormValue::None => {
            let expect_end = paths::private("expect_end");
            quote! { #expect_end(#grammar_name, input, #prefix, rest).map(|()| Self::#variant) }
        }
        FormValue::Id => {
            let parse_id = paths::private("parse_id");
            quote! { #parse_id(#grammar_name, input, #prefix, rest).map(Self::#variant) }
        }
        FormValue::Text => {
            let parse_text = paths::private("parse_text");
            quote! { #parse_text(#grammar_name, input, #prefix, rest).map(Self::#variant) }
        }
    };
    if prefix.is_empty() {
        // A bare id (validation allows an empty prefix only before an id): tried last, and
        // only on text that starts like one, so that other text is an unknown form.
        return quote! {
            if input.starts_with(|c: char| c.is_ascii_digit()) {
                let rest = input;
                return #parse;
            }
        };
    }
    quote! {
        if let ::core::option::Option::Some(rest) = input.strip_prefix(#prefix) {
            return #parse;
        }
    }
}

/// How a form is written in docs and messages: `SG<id>`, `UA`, `UE<text>`.
fn form_syntax(prefix: &str, value: FormValue) -> String {
    match value {
        FormValue::None => prefix.to_owned(),
        FormValue::Id => format!("{prefix}<id>"),
        FormValue::Text => format!("{prefix}<text>"),
    }
}
