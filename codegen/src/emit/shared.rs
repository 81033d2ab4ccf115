//! Files of `api::shared`: grammars, objects and enums several methods share.
//!
//! The system errors, the `time` object and an event's `auth` are not here: every answer or
//! event shares them, so the runtime owns them (`SystemError`, `Time`, `EventAuth`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{self, Doc, code};
use super::paths::{self, Derive};
use super::{API_DIR, render, types};
use crate::GeneratedFile;
use crate::model::{Enum, Field, Grammar, Model, Object, OpenFields, TypeRef};
use crate::names;
use crate::spec::FormValue;

/// `api/shared/mod.rs` and one file per definition.
pub fn files(model: &Model) -> Vec<GeneratedFile> {
    let mut files = vec![module_root(model)];
    for grammar in &model.grammars {
        files.push(grammar_file(grammar));
    }
    for object in &model.objects {
        files.push(object_file(model, object));
    }
    for item in &model.enums {
        files.push(enum_file(item));
    }
    files
}

/// `api/shared/mod.rs`: a private module per definition, and its one type re-exported by
/// name (a glob would hide a collision instead of reporting it).
fn module_root(model: &Model) -> GeneratedFile {
    let definitions: Vec<(&str, &str)> = model
        .grammars
        .iter()
        .map(|g| (g.module.as_str(), g.spec.grammar.as_str()))
        .chain(
            model
                .objects
                .iter()
                .map(|o| (o.module.as_str(), o.spec.object.as_str())),
        )
        .chain(
            model
                .enums
                .iter()
                .map(|e| (e.module.as_str(), e.spec.name.as_str())),
        )
        .collect();
    let modules: Vec<_> = definitions.iter().map(|(m, _)| names::ident(m)).collect();
    let types = definitions.iter().map(|(_, t)| names::ident(t));
    let doc = docs::inner(
        "Types several methods share: grammars (structured strings), objects and enums.",
    );
    let tokens = quote! {
        #doc
        #( mod #modules; )*
        #( pub use self::#modules::#types; )*
    };
    render(format!("{API_DIR}/shared/mod.rs"), "spec/shared/", tokens)
}

fn grammar_file(grammar: &Grammar) -> GeneratedFile {
    let spec = &grammar.spec;
    let name = names::ident(&spec.grammar);
    let grammar_name = spec.grammar.as_str();
    let expected = spec
        .forms
        .iter()
        .map(|form| form_syntax(&form.prefix, form.value))
        .collect::<Vec<_>>()
        .join(", ");
    let variants = grammar_variants(grammar);
    let display = grammar_display(grammar);
    let from_str = grammar_from_str(grammar);
    let item_doc = grammar_doc(grammar);
    let module_doc = docs::inner(&format!(
        "The {} grammar: {}",
        code(grammar_name),
        spec.summary
    ));
    let derive = paths::derive(&[
        Derive::Debug,
        Derive::Clone,
        Derive::PartialEq,
        Derive::Eq,
        Derive::Hash,
        Derive::PartialOrd,
        Derive::Ord,
    ]);
    let string = paths::string();
    let result = paths::result(quote!(S::Ok), quote!(S::Error));
    let de_result = paths::result(quote!(Self), quote!(D::Error));
    let tokens = quote! {
        #module_doc
        #item_doc
        #derive
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
        }

        impl #name {
            /// The forms a value may take, as the error messages list them.
            pub const FORMS: &'static str = #expected;
        }

        #display
        #from_str

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
    };
    render(
        format!("{API_DIR}/shared/{}.rs", grammar.module),
        &grammar.file,
        tokens,
    )
}

/// The grammar's docs: its summary and a table of its forms.
fn grammar_doc(grammar: &Grammar) -> TokenStream {
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
    doc.outer()
}

fn grammar_variants(grammar: &Grammar) -> Vec<TokenStream> {
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

fn grammar_display(grammar: &Grammar) -> TokenStream {
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

fn grammar_from_str(grammar: &Grammar) -> TokenStream {
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
    let arms = by_length.iter().map(|form| {
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
        quote! {
            if let ::core::option::Option::Some(rest) = input.strip_prefix(#prefix) {
                return #parse;
            }
        }
    });
    let error = paths::runtime("GrammarError");
    let result = paths::result(quote!(Self), quote!(Self::Err));
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

/// How a form is written in docs and messages: `SG<id>`, `UA`, `UE<text>`.
fn form_syntax(prefix: &str, value: FormValue) -> String {
    match value {
        FormValue::None => prefix.to_owned(),
        FormValue::Id => format!("{prefix}<id>"),
        FormValue::Text => format!("{prefix}<text>"),
    }
}

fn object_file(model: &Model, object: &Object) -> GeneratedFile {
    let spec = &object.spec;
    let name = names::ident(&spec.object);
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    if let Some(description) = &spec.description {
        doc.para(description);
    }
    doc.para(match &object.other_fields {
        Some(open) => format!(
            "Keys the spec does not name are kept in [`{0}`]({1}::{0}), so nothing the server sends is lost.",
            open.rust.trim_start_matches("r#"),
            spec.object
        ),
        None => "Fields the server adds later are ignored, so new servers do not break decoding.".to_owned(),
    });
    let item_doc = doc.outer();
    let fields = struct_fields(&object.fields, object.other_fields.as_ref());
    let module_doc = docs::inner(&format!(
        "The {} object: {}",
        code(&spec.object),
        spec.summary
    ));
    let all_optional = object.fields.iter().all(|field| !field.spec.required);
    let derives = derives(
        model,
        &object.fields,
        object.other_fields.as_ref(),
        all_optional,
    );
    let tokens = quote! {
        #module_doc
        #item_doc
        #derives
        #[non_exhaustive]
        pub struct #name {
            #( #fields, )*
        }
    };
    render(
        format!("{API_DIR}/shared/{}.rs", object.module),
        &object.file,
        tokens,
    )
}

/// `#[derive(..)]` for a struct of answer fields.
pub(super) fn derives(
    model: &Model,
    fields: &[Field],
    other: Option<&OpenFields>,
    default: bool,
) -> TokenStream {
    let eq = fields.iter().all(|f| types::is_eq(model, &f.ty))
        && other.is_none_or(|open| types::is_eq(model, &open.ty));
    let mut traits = vec![Derive::Debug, Derive::Clone, Derive::PartialEq];
    if eq {
        traits.push(Derive::Eq);
    }
    if default {
        traits.push(Derive::Default);
    }
    traits.extend([Derive::Serialize, Derive::Deserialize]);
    paths::derive(&traits)
}

/// The fields of a struct that decodes answers: renamed to their wire keys, with aliases, and
/// lenient about how the server writes "no value".
pub(super) fn struct_fields(fields: &[Field], other: Option<&OpenFields>) -> Vec<TokenStream> {
    let mut out: Vec<TokenStream> = fields.iter().map(struct_field).collect();
    if let Some(open) = other {
        let ident = names::ident(&open.rust);
        let ty = paths::map(types::rust(&open.ty));
        let doc = Doc::default().para(&open.description).outer();
        out.push(quote! {
            #doc
            #[serde(flatten)]
            pub #ident: #ty
        });
    }
    out
}

fn struct_field(field: &Field) -> TokenStream {
    let ident = names::ident(&field.rust);
    let wire = &field.wire;
    let doc = Doc::default().para(&field.spec.description).outer();
    let mut serde = Vec::new();
    if field.rust.trim_start_matches("r#") != field.wire {
        serde.push(quote!(rename = #wire));
    }
    for alias in &field.spec.aliases {
        serde.push(quote!(alias = #alias));
    }
    let (ty, rules) = field_rules(field);
    serde.extend(rules);
    let attr = (!serde.is_empty()).then(|| quote!(#[serde( #( #serde ),* )]));
    quote! {
        #doc
        #attr
        pub #ident: #ty
    }
}

/// A field's type and the serde rules that read it: an absent or empty list is an empty
/// `Vec` and a missing map an empty map (not a `None` to unwrap); an optional value is an
/// `Option`, with the server's "no value" forms as `None` where they cannot be values.
fn field_rules(field: &Field) -> (TokenStream, Vec<TokenStream>) {
    let ty = types::rust(&field.ty);
    let (is_none, is_empty) = (paths::IS_NONE, paths::IS_EMPTY);
    match (&field.ty, field.spec.required) {
        (TypeRef::List(_), false) => {
            let with = paths::LIST_OR_EMPTY;
            let rules = vec![
                quote!(default),
                quote!(deserialize_with = #with),
                quote!(skip_serializing_if = #is_empty),
            ];
            (ty, rules)
        }
        (TypeRef::Map(_), _) => {
            let with = paths::MAP_OR_EMPTY;
            (ty, vec![quote!(default), quote!(deserialize_with = #with)])
        }
        (_, true) => (ty, Vec::new()),
        (field_type, false) if types::empty_means_none(field_type) => {
            let with = paths::EMPTY_AS_NONE;
            let rules = vec![
                quote!(default),
                quote!(deserialize_with = #with),
                quote!(skip_serializing_if = #is_none),
            ];
            (paths::option(ty), rules)
        }
        (_, false) => {
            let rules = vec![quote!(default), quote!(skip_serializing_if = #is_none)];
            (paths::option(ty), rules)
        }
    }
}

fn enum_file(item: &Enum) -> GeneratedFile {
    let spec = &item.spec;
    let name = names::ident(&spec.name);
    let variants: Vec<_> = spec.values.iter().map(|v| names::ident(&v.name)).collect();
    let wires: Vec<&str> = spec.values.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = spec
        .values
        .iter()
        .map(|v| docs::outer(&format!("{}: {}", code(&v.value), v.description)));
    let enum_name = spec.name.as_str();
    let string = paths::string();
    // Parsing a value given by a caller (a flag, a request) is strict; decoding an answer of
    // an open enum keeps values this version does not know.
    let (other_variant, other_display, decode) = if spec.open {
        (
            quote! {
                /// A value this version does not know, as the server sent it.
                Other(#string),
            },
            quote!(Self::Other(text) => text,),
            quote!(::core::result::Result::Ok(
                text.parse().unwrap_or(Self::Other(text))
            )),
        )
    } else {
        (
            TokenStream::new(),
            TokenStream::new(),
            quote!(
                text.parse()
                    .map_err(<D::Error as ::serde::de::Error>::custom)
            ),
        )
    };
    let values_list = wires.join(", ");
    let item_doc = enum_doc(item);
    let module_doc = docs::inner(&format!("The {} values: {}", code(enum_name), spec.summary));
    let derive = paths::derive(&[
        Derive::Debug,
        Derive::Clone,
        Derive::PartialEq,
        Derive::Eq,
        Derive::Hash,
    ]);
    let (error, reason) = (
        paths::runtime("GrammarError"),
        paths::runtime("GrammarErrorReason"),
    );
    let result = paths::result(quote!(Self), quote!(Self::Err));
    let ser_result = paths::result(quote!(S::Ok), quote!(S::Error));
    let de_result = paths::result(quote!(Self), quote!(D::Error));
    let tokens = quote! {
        #module_doc
        #item_doc
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
                    #other_display
                }
            }
        }

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
    };
    render(
        format!("{API_DIR}/shared/{}.rs", item.module),
        &item.file,
        tokens,
    )
}

/// The enum's docs: its summary and a table of its values.
fn enum_doc(item: &Enum) -> TokenStream {
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
