//! Files of `api::shared`: grammars, objects and the system error table.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{self, Doc, code};
use super::{API_DIR, render, types};
use crate::GeneratedFile;
use std::collections::BTreeSet;

use crate::model::{Enum, Field, Grammar, Model, Object, OpenFields, TypeRef};
use crate::names;
use crate::spec::{FormValue, RetrySpec};

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
    files.push(system_errors_file(model));
    files
}

fn module_root(model: &Model) -> GeneratedFile {
    let modules: Vec<_> = model
        .grammars
        .iter()
        .map(|g| names::ident(&g.module))
        .chain(model.objects.iter().map(|o| names::ident(&o.module)))
        .chain(model.enums.iter().map(|e| names::ident(&e.module)))
        .chain(std::iter::once(names::ident("system_error")))
        .collect();
    let doc = docs::inner(
        "Types several methods share: grammars, objects and the system errors any method may return.",
    );
    let tokens = quote! {
        #doc
        #( mod #modules; )*
        #( pub use #modules::*; )*
    };
    render(format!("{API_DIR}/shared/mod.rs"), "spec/shared/", tokens)
}

fn grammar_file(grammar: &Grammar) -> GeneratedFile {
    let spec = &grammar.spec;
    let name = names::ident(&spec.grammar);
    let grammar_name = spec.grammar.as_str();

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
    let item_doc = doc.outer();

    let variants = spec.forms.iter().map(|form| {
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
            FormValue::Text => quote! { #doc #variant(String) },
        }
    });

    let display_arms = spec.forms.iter().map(|form| {
        let variant = names::ident(&form.name);
        let prefix = &form.prefix;
        match form.value {
            FormValue::None => quote! { Self::#variant => f.write_str(#prefix), },
            FormValue::Id => quote! {
                Self::#variant(id) => {
                    f.write_str(#prefix)?;
                    fmt::Display::fmt(id, f)
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

    // Longest prefix first: validation guarantees that no shorter prefix could have read
    // the same text.
    let mut by_length: Vec<_> = spec.forms.iter().collect();
    by_length.sort_by(|a, b| {
        b.prefix
            .len()
            .cmp(&a.prefix.len())
            .then(a.prefix.cmp(&b.prefix))
    });
    let parse_arms = by_length.iter().map(|form| {
        let variant = names::ident(&form.name);
        let prefix = &form.prefix;
        let parse = match form.value {
            FormValue::None => quote! { grammar::expect_end(#grammar_name, input, #prefix, rest).map(|()| Self::#variant) },
            FormValue::Id => quote! { grammar::parse_id(#grammar_name, input, #prefix, rest).map(Self::#variant) },
            FormValue::Text => quote! { grammar::parse_text(#grammar_name, input, #prefix, rest).map(Self::#variant) },
        };
        quote! {
            if let Some(rest) = input.strip_prefix(#prefix) {
                return #parse;
            }
        }
    });
    let expected = spec
        .forms
        .iter()
        .map(|form| form_syntax(&form.prefix, form.value))
        .collect::<Vec<_>>()
        .join(", ");

    let module_doc = docs::inner(&format!(
        "The {} grammar: {}",
        code(grammar_name),
        spec.summary
    ));
    let tokens = quote! {
        #module_doc
        use std::fmt;
        use std::str::FromStr;

        use crate::GrammarError;
        use crate::runtime::grammar;

        #item_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
        }

        impl #name {
            /// The forms a value may take, as the error messages list them.
            pub const FORMS: &'static str = #expected;
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    #( #display_arms )*
                }
            }
        }

        impl FromStr for #name {
            type Err = GrammarError;

            fn from_str(input: &str) -> Result<Self, Self::Err> {
                if input.is_empty() {
                    return Err(grammar::empty(#grammar_name));
                }
                #( #parse_arms )*
                Err(grammar::unknown_form(#grammar_name, input, Self::FORMS))
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
    render(
        format!("{API_DIR}/shared/{}.rs", grammar.module),
        &grammar.file,
        tokens,
    )
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

    let mut imports = BTreeSet::new();
    let fields = struct_fields(&object.fields, object.other_fields.as_ref(), &mut imports);
    imports.remove(&spec.object);
    let imports = imports.iter().map(|name| names::ident(name));
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
        #( use super::#imports; )*

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
    let eq = eq.then(|| quote!(Eq,));
    let default = default.then(|| quote!(Default,));
    quote!(#[derive(Debug, Clone, PartialEq, #eq #default serde::Serialize, serde::Deserialize)])
}

/// The fields of a struct that decodes answers: renamed to their wire keys, with aliases, and
/// lenient about how the server writes "no value".
pub(super) fn struct_fields(
    fields: &[Field],
    other: Option<&OpenFields>,
    imports: &mut BTreeSet<String>,
) -> Vec<TokenStream> {
    let mut out: Vec<TokenStream> = fields
        .iter()
        .map(|field| {
            types::shared_names(&field.ty, imports);
            let ident = names::ident(&field.rust);
            let wire = &field.wire;
            let ty = types::rust(&field.ty);
            let doc = Doc::default().para(&field.spec.description).outer();
            let mut serde = Vec::new();
            if field.rust.trim_start_matches("r#") != field.wire {
                serde.push(quote!(rename = #wire));
            }
            for alias in &field.spec.aliases {
                serde.push(quote!(alias = #alias));
            }
            let (ty, rules) = match (&field.ty, field.spec.required) {
                // An absent or empty list is an empty `Vec`, not a `None` to unwrap.
                (TypeRef::List(_), false) => (
                    ty,
                    vec![
                        quote!(default),
                        quote!(deserialize_with = "crate::runtime::de::list_or_empty"),
                        quote!(skip_serializing_if = "Vec::is_empty"),
                    ],
                ),
                (TypeRef::Map(_), _) => (
                    ty,
                    vec![
                        quote!(default),
                        quote!(deserialize_with = "crate::runtime::de::map_or_empty"),
                    ],
                ),
                (_, true) => (ty, Vec::new()),
                (field_type, false) if types::empty_means_none(field_type) => (
                    quote!(Option<#ty>),
                    vec![
                        quote!(default),
                        quote!(deserialize_with = "crate::runtime::de::empty_as_none"),
                        quote!(skip_serializing_if = "Option::is_none"),
                    ],
                ),
                (_, false) => (
                    quote!(Option<#ty>),
                    vec![
                        quote!(default),
                        quote!(skip_serializing_if = "Option::is_none"),
                    ],
                ),
            };
            serde.extend(rules);
            let attr = (!serde.is_empty()).then(|| quote!(#[serde( #( #serde ),* )]));
            quote! {
                #doc
                #attr
                pub #ident: #ty
            }
        })
        .collect();
    if let Some(open) = other {
        types::shared_names(&open.ty, imports);
        let ident = names::ident(&open.rust);
        let ty = types::rust(&open.ty);
        let doc = Doc::default().para(&open.description).outer();
        out.push(quote! {
            #doc
            #[serde(flatten)]
            pub #ident: std::collections::BTreeMap<String, #ty>
        });
    }
    out
}

fn enum_file(item: &Enum) -> GeneratedFile {
    let spec = &item.spec;
    let name = names::ident(&spec.name);
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
    let item_doc = doc.outer();
    let variants: Vec<_> = spec.values.iter().map(|v| names::ident(&v.name)).collect();
    let wires: Vec<&str> = spec.values.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = spec
        .values
        .iter()
        .map(|v| docs::outer(&format!("{}: {}", code(&v.value), v.description)));
    let enum_name = spec.name.as_str();
    // Parsing a value given by a caller (a flag, a request) is strict; decoding an answer of
    // an open enum keeps values this version does not know.
    let (other_variant, other_display, decode) = if spec.open {
        (
            quote! {
                /// A value this version does not know, as the server sent it.
                Other(String),
            },
            quote!(Self::Other(text) => text,),
            quote!(Ok(text.parse().unwrap_or(Self::Other(text)))),
        )
    } else {
        (
            TokenStream::new(),
            TokenStream::new(),
            quote!(text.parse().map_err(serde::de::Error::custom)),
        )
    };
    let values_list = wires.join(", ");
    let module_doc = docs::inner(&format!("The {} values: {}", code(enum_name), spec.summary));
    let tokens = quote! {
        #module_doc
        use std::fmt;
        use std::str::FromStr;

        #item_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for #name {
            type Err = crate::GrammarError;

            /// One of the listed values, exactly; anything else is an error.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    #( #wires => Ok(Self::#variants), )*
                    other => Err(crate::GrammarError::new(#enum_name, other, crate::GrammarErrorReason::UnknownForm { expected: Self::VALUES })),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
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

fn system_errors_file(model: &Model) -> GeneratedFile {
    let source = &model.system_errors;
    let spec = &source.spec;
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    doc.para(
        "Recognised by the `error` code alone, compared case-insensitively (servers send both \
         `expired_token` and `EXPIRED_TOKEN`), whatever the HTTP status: the status is not a \
         reliable key. A method's own error table is consulted first, since it matches code and \
         text together.",
    );
    let mut table = String::from("| Variant | Code | HTTP | Retry |\n|---|---|---|---|");
    for row in &spec.errors {
        let statuses: Vec<String> = std::iter::once(row.status)
            .chain(row.also_status.iter().copied())
            .map(|s| s.to_string())
            .collect();
        table.push_str(&format!(
            "\n| [`{0}`](SystemError::{0}) | `{1}` | {2} | {3} |",
            row.name,
            row.code,
            statuses.join(", "),
            retry_words(row.retry)
        ));
    }
    doc.para(table);
    let item_doc = doc.outer();

    let variants = spec.errors.iter().map(|row| {
        let variant = names::ident(&row.name);
        let mut doc = Doc::default();
        doc.para(format!(
            "`{}`: {}.",
            row.code,
            row.message.trim_end_matches('.')
        ));
        doc.para(&row.description);
        let statuses: Vec<String> = std::iter::once(row.status)
            .chain(row.also_status.iter().copied())
            .map(|s| s.to_string())
            .collect();
        doc.para(format!(
            "HTTP {}. Retry: {}.",
            statuses.join(" or "),
            retry_words(row.retry)
        ));
        let doc = doc.outer();
        quote! { #doc #variant(ErrorMeta) }
    });
    let idents: Vec<_> = spec
        .errors
        .iter()
        .map(|row| names::ident(&row.name))
        .collect();
    let names_lit: Vec<&str> = spec.errors.iter().map(|row| row.name.as_str()).collect();
    let codes: Vec<&str> = spec.errors.iter().map(|row| row.code.as_str()).collect();
    let statuses: Vec<Literal> = spec
        .errors
        .iter()
        .map(|row| Literal::u16_unsuffixed(row.status))
        .collect();
    let messages: Vec<&str> = spec.errors.iter().map(|row| row.message.as_str()).collect();
    let retries: Vec<TokenStream> = spec
        .errors
        .iter()
        .map(|row| {
            let variant = format_ident!(
                "{}",
                match row.retry {
                    RetrySpec::Never => "Never",
                    RetrySpec::Backoff => "Backoff",
                    RetrySpec::AfterReset => "AfterReset",
                    RetrySpec::AfterTokenRefresh => "AfterTokenRefresh",
                }
            );
            quote!(Retry::#variant)
        })
        .collect();

    let module_doc = docs::inner("System errors: the errors any method may return.");
    let tokens = quote! {
        #module_doc
        use std::fmt;

        use crate::runtime::matching::code_eq;
        use crate::{ErrorMeta, Retry};

        #item_doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum SystemError {
            #( #variants, )*
        }

        impl SystemError {
            /// Recognises a system error by its code; gives the error back when the code is
            /// not one of the table's.
            pub fn from_meta(meta: ErrorMeta) -> Result<Self, ErrorMeta> {
                let code = meta.code();
                #(
                    if code_eq(code, #codes) {
                        return Ok(Self::#idents(meta));
                    }
                )*
                Err(meta)
            }

            /// The raw error as the server sent it.
            pub fn meta(&self) -> &ErrorMeta {
                match self {
                    #( Self::#idents(meta) )|* => meta,
                }
            }

            /// The raw error as the server sent it, by value.
            pub fn into_meta(self) -> ErrorMeta {
                match self {
                    #( Self::#idents(meta) )|* => meta,
                }
            }

            /// The variant's name, e.g. `"QueryLimitExceeded"`.
            pub fn variant_name(&self) -> &'static str {
                match self {
                    #( Self::#idents(_) => #names_lit, )*
                }
            }

            /// The code as documented (the server's may differ in case).
            pub fn documented_code(&self) -> &'static str {
                match self {
                    #( Self::#idents(_) => #codes, )*
                }
            }

            /// The HTTP status as documented (the server's may differ).
            pub fn documented_status(&self) -> u16 {
                match self {
                    #( Self::#idents(_) => #statuses, )*
                }
            }

            /// The documented error message.
            pub fn documented_message(&self) -> &'static str {
                match self {
                    #( Self::#idents(_) => #messages, )*
                }
            }

            /// Whether and how the call may be repeated.
            pub fn retry(&self) -> Retry {
                match self {
                    #( Self::#idents(_) => #retries, )*
                }
            }
        }

        impl fmt::Display for SystemError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}: {}", self.variant_name(), self.meta())
            }
        }

        impl std::error::Error for SystemError {}
    };
    render(
        format!("{API_DIR}/shared/system_error.rs"),
        &source.file,
        tokens,
    )
}

fn retry_words(retry: RetrySpec) -> &'static str {
    match retry {
        RetrySpec::Never => "no",
        RetrySpec::Backoff => "yes, with a growing delay",
        RetrySpec::AfterReset => "after the operating budget resets",
        RetrySpec::AfterTokenRefresh => "once, after refreshing the token",
    }
}
