//! One method's file: request struct, error enum, accessor fn and conformance tests.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde::Serialize;
use serde_json::Value;

use super::docs::{self, Doc, code};
use super::{API_DIR, render, types};
use crate::GeneratedFile;
use crate::model::{ErrorRow, Matcher, Method, Model, Param, Scope, TypeRef};
use crate::names;
use crate::spec::{FormValue, MatchMode};

/// `api/<scope>/<method module>.rs`.
pub fn file(model: &Model, scope: &Scope, method: &Method) -> GeneratedFile {
    let mut shared = BTreeSet::new();
    for param in &method.params {
        types::shared_names(&param.ty, &mut shared);
    }
    types::shared_names(&method.result, &mut shared);
    for row in &method.errors {
        for field in &row.fields {
            types::shared_names(&field.ty, &mut shared);
        }
    }
    let shared_imports = (!shared.is_empty()).then(|| {
        let names = shared.iter().map(|name| names::ident(name));
        quote! { use crate::api::shared::{ #( #names ),* }; }
    });
    let matching = matching_imports(method);

    let module_doc = docs::inner(&format!(
        "{}: {}",
        code(&method.spec.method),
        method.spec.summary.trim()
    ));
    let request = request_struct(model, method);
    let method_impl = method_impl(method);
    let union = union_enum(method);
    let error = error_enum(method);
    let accessor = accessor_fn(model, method);
    let call_setters = call_setters(method);
    let tests = conformance_tests(method);
    let tokens = quote! {
        #module_doc
        use std::fmt;

        #matching
        #shared_imports
        use crate::{Call, ErrorMeta, Method, MethodError};

        #request
        #union
        #method_impl
        #error
        #accessor
        #call_setters
        #tests
    };
    render(
        format!(
            "{API_DIR}/{}/{}.rs",
            scope.module.trim_start_matches("r#"),
            method.module.trim_start_matches("r#")
        ),
        &method.file,
        tokens,
    )
}

fn matching_imports(method: &Method) -> TokenStream {
    if method.errors.iter().any(|row| !row.fields.is_empty()) {
        quote! { use crate::runtime::matching::field; }
    } else {
        TokenStream::new()
    }
}

/// The method's docs shared by the request struct and the accessor fn.
fn method_doc(method: &Method) -> Doc {
    let spec = &method.spec;
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    if let Some(description) = &spec.description {
        doc.para(description);
    }
    doc.para(format!(
        "Wire method {} (scope {}).",
        code(&spec.method),
        code(&spec.scope)
    ));
    doc.para(format!("**Who may call it:** {}", spec.access.trim()));
    doc.para(format!(
        "**Result:** {} — {}",
        types::describe(&method.result),
        spec.result.description.trim()
    ));
    let repeat = match (spec.safe_to_repeat, &spec.repeat_note) {
        (true, note) => format!("**Safe to repeat:** yes. {}", note.as_deref().unwrap_or("")),
        (false, Some(note)) => format!("**Not safe to repeat.** {}", note.trim()),
        (false, None) => "**Not safe to repeat:** after an ambiguous failure (timeout, connection \
                          lost after sending) the call is never sent again automatically."
            .to_owned(),
    };
    doc.para(repeat);
    doc.para(if spec.batch {
        "Allowed inside `batch`."
    } else {
        "Not allowed inside `batch`."
    });
    match &spec.docs {
        Some(url) => doc.para(format!(
            "Official documentation: [{}]({})",
            spec.title.trim(),
            url.trim()
        )),
        None => doc.para(format!("Official documentation: *{}*", spec.title.trim())),
    };
    let path: Vec<String> = method
        .spec
        .method
        .split('.')
        .map(|segment| names::snake(segment).trim_start_matches("r#").to_owned())
        .collect();
    doc.para(format!(
        "Sent with [`client.{}(…)`](super::{}::{}), which has an example, or with [`Client::call`](crate::Client::call).",
        path.join("()."),
        method.accessor_type,
        method.fn_name.trim_start_matches("r#")
    ));
    doc
}

fn param_doc(param: &Param) -> Doc {
    let mut doc = Doc::default();
    doc.para(format!(
        "{} ({}, {}).",
        code(&param.spec.name),
        types::describe(&param.ty),
        if param.spec.required {
            "required"
        } else {
            "optional"
        }
    ));
    doc.para(&param.spec.description);
    if let Some(default) = &param.spec.default {
        doc.para(format!("Default: {}", default.trim()));
    }
    doc.para(docs::obtain_from(&param.spec.obtain_from));
    doc
}

/// Argument type and conversion for a parameter: text and integers take anything that
/// converts (`&str`, an `Id` from an earlier answer), the rest their own type.
fn argument(param: &Param) -> (TokenStream, TokenStream) {
    let ident = names::ident(&param.rust);
    match param.ty {
        TypeRef::String => (quote!(impl Into<String>), quote!(#ident.into())),
        TypeRef::Integer => (quote!(impl Into<i64>), quote!(#ident.into())),
        _ => (types::rust(&param.ty), quote!(#ident)),
    }
}

fn request_struct(model: &Model, method: &Method) -> TokenStream {
    let name = names::ident(&method.request_type);
    let doc = method_doc(method).outer();
    let fields = method.params.iter().map(|param| {
        let ident = names::ident(&param.rust);
        let wire = &param.spec.name;
        let ty = types::rust(&param.ty);
        let doc = param_doc(param).outer();
        if param.spec.required {
            quote! {
                #doc
                #[serde(rename = #wire)]
                pub #ident: #ty
            }
        } else {
            quote! {
                #doc
                #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
                pub #ident: Option<#ty>
            }
        }
    });
    let required: Vec<&Param> = method.params.iter().filter(|p| p.spec.required).collect();
    let args = required.iter().map(|param| {
        let ident = names::ident(&param.rust);
        let (ty, _) = argument(param);
        quote!(#ident: #ty)
    });
    let inits = method.params.iter().map(|param| {
        let ident = names::ident(&param.rust);
        match (param.spec.required, &param.ty) {
            (true, TypeRef::String | TypeRef::Integer) => quote!(#ident: #ident.into()),
            (true, _) => quote!(#ident),
            (false, _) => quote!(#ident: None),
        }
    });
    let setters = method
        .params
        .iter()
        .filter(|p| !p.spec.required)
        .map(|param| {
            let ident = names::ident(&param.rust);
            let (ty, value) = argument(param);
            let doc = setter_doc(param);
            quote! {
                #doc
                #[must_use]
                pub fn #ident(mut self, #ident: #ty) -> Self {
                    self.#ident = Some(#value);
                    self
                }
            }
        });
    let new_doc = docs::outer(&format!(
        "A request with its required parameters{}; optional ones are set with the methods below.",
        if required.is_empty() {
            " (there are none)".to_owned()
        } else {
            format!(
                " ({})",
                required
                    .iter()
                    .map(|p| code(&p.spec.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    ));
    let eq = if method.params.iter().all(|p| types::is_eq(model, &p.ty))
        && method
            .custom_params
            .as_ref()
            .is_none_or(|open| types::is_eq(model, &open.ty))
    {
        quote!(Eq,)
    } else {
        TokenStream::new()
    };
    // The open map takes every key the struct does not name, so unknown keys cannot be
    // refused; serde also does not allow `deny_unknown_fields` next to `flatten`.
    let (custom_field, custom_init, custom_setter, strict) = match &method.custom_params {
        Some(open) => {
            let ident = names::ident(&open.rust);
            let ty = types::rust(&open.ty);
            let doc = Doc::default()
                .para(&open.description)
                .para("Sent after the named parameters, as given.")
                .outer();
            let setter = names::ident("custom_field");
            let setter_doc = docs::outer(&format!(
                "Adds one entry to [`{0}`](Self::{0}), e.g. a custom `UF_*` field by its code. A key that is also a named parameter would be sent twice: set that one with its own method.",
                open.rust.trim_start_matches("r#")
            ));
            (
                quote! {
                    #doc
                    #[serde(flatten)]
                    pub #ident: std::collections::BTreeMap<String, #ty>,
                },
                quote!(#ident: std::collections::BTreeMap::new(),),
                quote! {
                    #setter_doc
                    #[must_use]
                    pub fn #setter(mut self, key: impl Into<String>, value: impl Into<#ty>) -> Self {
                        self.#ident.insert(key.into(), value.into());
                        self
                    }
                },
                TokenStream::new(),
            )
        }
        None => (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            quote!(#[cfg_attr(feature = "deserialize-requests", serde(deny_unknown_fields))]),
        ),
    };
    let default_impl = required.is_empty().then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #eq serde::Serialize)]
        // Decoding requests (the CLI's `--json`, the conformance tests) is opt-in: the derive
        // is the largest part of a method's compile cost.
        #[cfg_attr(feature = "deserialize-requests", derive(serde::Deserialize))]
        #strict
        #[non_exhaustive]
        pub struct #name {
            #( #fields, )*
            #custom_field
        }

        impl #name {
            #new_doc
            pub fn new( #( #args ),* ) -> Self {
                Self { #( #inits, )* #custom_init }
            }

            #( #setters )*
            #custom_setter
        }

        #default_impl
    }
}

fn first_sentence(text: &str) -> String {
    let text = text.trim().replace('\n', " ");
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text,
    }
}

/// The Rust type of the method's result: the union enum for `A | B`, else the plain type.
fn output_type(method: &Method) -> TokenStream {
    match &method.result {
        TypeRef::Union(_) => {
            let name = names::ident(&union_name(method));
            quote!(#name)
        }
        other => types::rust(other),
    }
}

fn union_name(method: &Method) -> String {
    method.request_type.trim_end_matches("Request").to_owned() + "Result"
}

/// For a result written `A | B`: an enum that decodes whichever the server sent.
fn union_enum(method: &Method) -> TokenStream {
    let TypeRef::Union(choices) = &method.result else {
        return TokenStream::new();
    };
    let name = names::ident(&union_name(method));
    let doc = Doc::default()
        .para(format!(
            "What {} answers: {}.",
            code(&method.spec.method),
            types::describe(&method.result)
        ))
        .para(method.spec.result.description.trim())
        .outer();
    let variants = choices.iter().map(|choice| {
        let variant = names::ident(&types::variant_name(choice));
        let ty = types::rust(choice);
        let doc = docs::outer(&format!("The answer as {}.", types::describe(choice)));
        quote!(#doc #variant(#ty))
    });
    // The usual case, an id now and `true` from older servers: make the id easy to get.
    let id_helper = choices.contains(&TypeRef::Id).then(|| {
        quote! {
            impl #name {
                /// The id, when the server answered one.
                pub fn id(&self) -> Option<crate::Id> {
                    match self {
                        Self::Id(id) => Some(*id),
                        _ => None,
                    }
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
        }

        #id_helper
    }
}

fn method_impl(method: &Method) -> TokenStream {
    let name = names::ident(&method.request_type);
    let error = names::ident(&method.error_type);
    let wire = &method.spec.method;
    let safe = method.spec.safe_to_repeat;
    let batch = method.spec.batch;
    let output = output_type(method);
    let paged = method.page_item.as_ref().map(|item| {
        let item = types::rust(item);
        let start = method
            .params
            .iter()
            .find(|p| p.spec.name == "start")
            .map(|p| names::ident(&p.rust));
        quote! {
            impl crate::Paged for #name {
                type Item = #item;

                fn set_start(&mut self, start: i64) {
                    self.#start = Some(start);
                }

                fn into_items(output: Self::Output) -> Vec<Self::Item> {
                    output
                }
            }
        }
    });
    quote! {
        impl Method for #name {
            const NAME: &'static str = #wire;
            const SAFE_TO_REPEAT: bool = #safe;
            const BATCH: bool = #batch;
            type Output = #output;
            type Error = #error;
        }

        #paged
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

fn error_enum(method: &Method) -> TokenStream {
    let name = names::ident(&method.error_type);
    let request = &method.request_type;
    let mut doc = Doc::default();
    doc.para(format!(
        "The errors of {} ([`{request}`]): the rows of its error table.",
        code(&method.spec.method)
    ));
    doc.para(
        "A row is recognised by code and text together, in table order, because servers send \
         several failures with the same (often empty) code. Whatever matches no row is kept \
         whole in [`Unhandled`](Self::Unhandled).",
    );
    let doc = doc.outer();

    let variants = method.errors.iter().map(|row| {
        let variant = names::ident(&row.spec.name);
        let doc = row_doc(row).outer();
        if row.fields.is_empty() {
            quote! { #doc #variant(ErrorMeta) }
        } else {
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
                    meta: ErrorMeta,
                }
            }
        }
    });

    let debug_and_eq = error_debug_and_eq(method);
    let table = if method.errors.is_empty() {
        // The page lists no errors: the trait's empty table, whatever comes is unhandled.
        TokenStream::new()
    } else {
        let table = error_table(method);
        let arms = method.errors.iter().enumerate().map(|(index, row)| {
            let index = Literal::usize_unsuffixed(index);
            let build = row_variant(row);
            quote!(#index => #build,)
        });
        // Named only where a row reads it, so that the parameter is never unused.
        let fields = if method.errors.iter().any(|row| !row.fields.is_empty()) {
            quote!(fields)
        } else {
            quote!(_fields)
        };
        quote! {
            fn error_table() -> &'static str {
                #table
            }

            fn from_row(row: usize, #fields: &[String], meta: ErrorMeta) -> Result<Self, ErrorMeta> {
                Ok(match row {
                    #( #arms )*
                    _ => return Err(meta),
                })
            }
        }
    };
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
        #doc
        #[derive(Clone)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
            /// An error the table does not list; keeps status, code, text and extra keys.
            Unhandled(ErrorMeta),
        }

        impl MethodError for #name {
            #table

            fn unhandled(meta: ErrorMeta) -> Self {
                Self::Unhandled(meta)
            }

            fn parts(&self) -> (&'static str, &ErrorMeta) {
                match self {
                    #( #arms )*
                    Self::Unhandled(meta) => ("Unhandled", meta),
                }
            }
        }

        #debug_and_eq

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}: {}", self.variant_name(), self.meta())
            }
        }

        impl std::error::Error for #name {}
    }
}

/// `Debug` and `PartialEq` of an error enum, written out rather than derived: they give what
/// the derives give (the same text, the same equality) with the variants that hold only the
/// raw error served by one arm through `parts()`. A derived `PartialEq` over a dozen
/// variants cost about 1 ms of `cargo check` per method, this one almost nothing.
fn error_debug_and_eq(method: &Method) -> TokenStream {
    let name = names::ident(&method.error_type);
    let with_fields: Vec<&ErrorRow> = method
        .errors
        .iter()
        .filter(|row| !row.fields.is_empty())
        .collect();
    let debug_arms = with_fields.iter().map(|row| {
        let variant = names::ident(&row.spec.name);
        let text = &row.spec.name;
        let fields: Vec<_> = row.fields.iter().map(|f| names::ident(&f.rust)).collect();
        // Bound under other names, so that no field can shadow the formatter `f`.
        let values: Vec<_> = row
            .fields
            .iter()
            .map(|f| names::ident(&format!("value_{}", f.rust.trim_start_matches("r#"))))
            .collect();
        let labels = row.fields.iter().map(|f| f.rust.trim_start_matches("r#"));
        quote! {
            Self::#variant { #( #fields: #values, )* meta } => f
                .debug_struct(#text)
                #( .field(#labels, #values) )*
                .field("meta", meta)
                .finish(),
        }
    });
    let eq_arms = with_fields.iter().map(|row| {
        let variant = names::ident(&row.spec.name);
        let left: Vec<_> = row
            .fields
            .iter()
            .map(|f| names::ident(&format!("left_{}", f.rust.trim_start_matches("r#"))))
            .collect();
        let right: Vec<_> = row
            .fields
            .iter()
            .map(|f| names::ident(&format!("right_{}", f.rust.trim_start_matches("r#"))))
            .collect();
        let fields: Vec<_> = row.fields.iter().map(|f| names::ident(&f.rust)).collect();
        quote! {
            (
                Self::#variant { #( #fields: #left, )* meta: left_meta },
                Self::#variant { #( #fields: #right, )* meta: right_meta },
            ) => #( #left == #right && )* left_meta == right_meta,
        }
    });
    let (debug_body, eq_body) = if with_fields.is_empty() {
        (
            quote! {
                let (variant, meta) = self.parts();
                f.debug_tuple(variant).field(meta).finish()
            },
            quote!(self.parts() == other.parts()),
        )
    } else {
        (
            quote! {
                match self {
                    #( #debug_arms )*
                    _ => {
                        let (variant, meta) = self.parts();
                        f.debug_tuple(variant).field(meta).finish()
                    }
                }
            },
            quote! {
                match (self, other) {
                    #( #eq_arms )*
                    // Variants that hold only the raw error: the same name and the same error.
                    _ => self.parts() == other.parts(),
                }
            },
        )
    };
    quote! {
        impl fmt::Debug for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                #debug_body
            }
        }

        impl PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                #eq_body
            }
        }
    }
}

/// One form of an error table, as `runtime/matching.rs` reads it.
#[derive(Serialize)]
struct FormData<'m> {
    codes: Vec<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exact: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contains: Option<&'m str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'m [String]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<usize>,
}

/// The method's error table as a raw string literal of JSON, one row a line: matchers that
/// share a text are merged into one form whose codes are alternatives.
///
/// Data rather than Rust values: rustc checks a string literal in no time, and a table of
/// Rust values (or an `if` per form) in about 1 ms per method.
fn error_table(method: &Method) -> Literal {
    let rows: Vec<String> = method
        .errors
        .iter()
        .map(|row| {
            let forms: Vec<FormData> = text_groups(row)
                .into_iter()
                .map(|(matcher, codes)| form_data(row, matcher, codes))
                .collect();
            // Strings, lists and numbers only: serialising cannot fail.
            serde_json::to_string(&forms).expect("an error row always serialises")
        })
        .collect();
    let json = format!("[\n{}\n]", rows.join(",\n"));
    raw_string(&json)
}

/// The row's matchers grouped by (mode, text), in order, each with its codes.
fn text_groups(row: &ErrorRow) -> Vec<(&Matcher, Vec<&str>)> {
    let mut groups: Vec<(&Matcher, Vec<&str>)> = Vec::new();
    for matcher in &row.matchers {
        match groups
            .iter_mut()
            .find(|(first, _)| first.mode == matcher.mode && first.text == matcher.text)
        {
            Some((_, codes)) => codes.push(&matcher.code),
            None => groups.push((matcher, vec![&matcher.code])),
        }
    }
    groups
}

fn form_data<'m>(row: &'m ErrorRow, matcher: &'m Matcher, codes: Vec<&'m str>) -> FormData<'m> {
    let mut form = FormData {
        codes,
        exact: None,
        contains: None,
        pattern: None,
        fields: Vec::new(),
    };
    match matcher.mode {
        MatchMode::Exact => form.exact = Some(&matcher.text),
        MatchMode::Contains => form.contains = Some(&matcher.text),
        MatchMode::Pattern => {
            form.pattern = Some(&matcher.literals);
            // Which of the row's fields each capture fills: validation made the
            // placeholders exactly the fields.
            form.fields = matcher
                .captures
                .iter()
                .map(|capture| {
                    row.fields
                        .iter()
                        .position(|field| &field.wire == capture)
                        .unwrap_or_default()
                })
                .collect();
        }
    }
    form
}

/// `text` as a raw string literal (`r#"…"#`), with as many `#` as it takes: JSON is full of
/// quotes, which a plain literal would escape one by one.
fn raw_string(text: &str) -> Literal {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .expect("a raw string literal always parses")
}

/// The row's variant built from the fields the matcher read (each parsed as its type; a
/// field that does not parse makes the row not match).
fn row_variant(row: &ErrorRow) -> TokenStream {
    let variant = names::ident(&row.spec.name);
    if row.fields.is_empty() {
        return quote!(Self::#variant(meta));
    }
    let idents: Vec<_> = row.fields.iter().map(|f| names::ident(&f.rust)).collect();
    let reads = row.fields.iter().enumerate().map(|(index, field)| {
        let index = Literal::usize_unsuffixed(index);
        let ty = types::rust(&field.ty);
        quote!(field::<#ty>(fields, #index))
    });
    let reads: Vec<_> = reads.collect();
    let read = if idents.len() == 1 {
        let (ident, read) = (&idents[0], &reads[0]);
        quote!(let Some(#ident) = #read else { return Err(meta); };)
    } else {
        quote!(let ( #( Some(#idents) ),* ) = ( #( #reads ),* ) else { return Err(meta); };)
    };
    quote! {{
        #read
        Self::#variant { #( #idents, )* meta }
    }}
}

fn accessor_fn(model: &Model, method: &Method) -> TokenStream {
    let accessor = names::ident(&method.accessor_type);
    let fn_name = names::ident(&method.fn_name);
    let request = names::ident(&method.request_type);
    let spec = &method.spec;
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    doc.para(format!(
        "Calls {}. **Who may call it:** {} Parameters, result and errors: [`{}`], [`{}`].",
        code(&spec.method),
        spec.access.trim(),
        method.request_type,
        method.error_type
    ));
    let optional: Vec<String> = method
        .params
        .iter()
        .filter(|p| !p.spec.required)
        .map(|p| format!("[`.{0}(…)`](Call::{0})", p.rust.trim_start_matches("r#")))
        .collect();
    if !optional.is_empty() {
        doc.para(format!(
            "Optional parameters are set on the returned call: {}.",
            optional.join(", ")
        ));
    }
    if method.page_item.is_some() {
        doc.para(
            "A list method: the answer holds one page of 50 records. \
             [`.pages()`](Call::pages) walks every page, \
             `.pages().collect_all().await` gathers every record.",
        );
    }
    if let Some(example) = usage_example(model, method) {
        doc.para(format!("# Example\n\n```no_run\n{example}\n```"));
    }
    let doc_text = doc.text();
    let doc = docs::outer(&doc_text);
    let required: Vec<&Param> = method.params.iter().filter(|p| p.spec.required).collect();
    let args = required.iter().map(|param| {
        let ident = names::ident(&param.rust);
        let (ty, _) = argument(param);
        quote!(#ident: #ty)
    });
    let idents = required.iter().map(|param| names::ident(&param.rust));
    quote! {
        impl<'a> super::#accessor<'a> {
            #doc
            pub fn #fn_name(&self, #( #args ),* ) -> Call<'a, #request> {
                self.client.call(#request::new( #( #idents ),* ))
            }
        }
    }
}

/// A setter's one-line doc (on the request and on the call alike): the request's field holds
/// the whole description.
fn setter_doc(param: &Param) -> TokenStream {
    docs::outer(&format!(
        "Sets {}: {}",
        code(&param.spec.name),
        first_sentence(&param.spec.description)
    ))
}

fn call_setters(method: &Method) -> TokenStream {
    let request = names::ident(&method.request_type);
    let setters: Vec<TokenStream> = method
        .params
        .iter()
        .filter(|p| !p.spec.required)
        .map(|param| {
            let ident = names::ident(&param.rust);
            let (ty, _) = argument(param);
            let doc = setter_doc(param);
            quote! {
                #doc
                #[must_use]
                pub fn #ident(mut self, #ident: #ty) -> Self {
                    self.request = self.request.#ident(#ident);
                    self
                }
            }
        })
        .collect();
    let custom = method.custom_params.as_ref().map(|open| {
        let ty = types::rust(&open.ty);
        let doc = docs::outer(&format!(
            "Adds one entry to [`{0}`]({1}::{0}), e.g. a custom `UF_*` field by its code.",
            open.rust.trim_start_matches("r#"),
            method.request_type
        ));
        quote! {
            #doc
            #[must_use]
            pub fn custom_field(mut self, key: impl Into<String>, value: impl Into<#ty>) -> Self {
                self.request = self.request.custom_field(key, value);
                self
            }
        }
    });
    if setters.is_empty() && custom.is_none() {
        return TokenStream::new();
    }
    quote! {
        impl Call<'_, #request> {
            #( #setters )*
            #custom
        }
    }
}

/// A `no_run` doctest calling the method with the page's first request example.
fn usage_example(model: &Model, method: &Method) -> Option<String> {
    let example: Value = method
        .spec
        .examples
        .requests
        .first()
        .and_then(|example| serde_json::from_str(&example.body).ok())
        .unwrap_or(Value::Object(Default::default()));
    let mut shared = BTreeSet::new();
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for param in &method.params {
        let value = example.get(&param.spec.name);
        if param.spec.required {
            let value = match value {
                Some(value) => value.clone(),
                None => placeholder(model, &param.ty)?,
            };
            args.push(example_expr(model, &param.ty, &value, &mut shared)?);
        } else if let Some(expr) =
            value.and_then(|value| example_expr(model, &param.ty, value, &mut shared))
        {
            // Optional values that have no literal form (files, say) are left out of the example.
            let ident = names::ident(&param.rust);
            setters.push(quote!(.#ident(#expr)));
        }
    }
    let segments: Vec<&str> = method.spec.method.split('.').collect();
    let accessors = segments[..segments.len() - 1]
        .iter()
        .map(|segment| names::ident(&names::snake(segment)));
    let fn_name = names::ident(&method.fn_name);
    let imports = shared.iter().map(|name| names::ident(name));
    let body = quote! {
        async fn example(client: &b24_rest::Client) -> Result<(), Box<dyn std::error::Error>> {
            #( use b24_rest::shared::#imports; )*
            let answer = client #( .#accessors() )* .#fn_name( #( #args ),* ) #( #setters )* .await?;
            println!("result: {:?}", answer.result);
            Ok(())
        }
    };
    let file: syn::File = syn::parse2(body).ok()?;
    let printed = prettyplease::unparse(&file);
    let lines: Vec<&str> = printed.trim_end().lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 || i + 1 == lines.len() || line.trim() == "Ok(())" {
            out.push(format!("# {}", line.trim()));
        } else {
            out.push(line.strip_prefix("    ").unwrap_or(line).to_owned());
        }
    }
    Some(out.join("\n"))
}

/// A value to show for a required parameter the examples leave out.
fn placeholder(model: &Model, ty: &TypeRef) -> Option<Value> {
    Some(match ty {
        TypeRef::Integer => Value::from(1),
        TypeRef::Double => Value::from(1.5),
        TypeRef::String => Value::from("text"),
        TypeRef::Boolean => Value::from(true),
        TypeRef::Grammar(name) => {
            let grammar = model.grammars.iter().find(|g| &g.spec.grammar == name)?;
            let form = grammar.spec.forms.first()?;
            Value::from(match form.value {
                FormValue::None => form.prefix.clone(),
                FormValue::Id => format!("{}1", form.prefix),
                FormValue::Text => format!("{}text", form.prefix),
            })
        }
        TypeRef::Id => Value::from(1),
        TypeRef::Enum(name) => {
            let spec = &model.enums.iter().find(|e| &e.spec.name == name)?.spec;
            Value::from(spec.values.first()?.value.clone())
        }
        TypeRef::List(inner) => Value::Array(vec![placeholder(model, inner)?]),
        _ => return None,
    })
}

/// A Rust expression for the JSON `value` of type `ty`.
fn example_expr(
    model: &Model,
    ty: &TypeRef,
    value: &Value,
    shared: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    Some(match ty {
        TypeRef::Integer => {
            let literal = Literal::i64_unsuffixed(value.as_i64()?);
            quote!(#literal)
        }
        TypeRef::Double => {
            let literal = Literal::f64_unsuffixed(value.as_f64()?);
            quote!(#literal)
        }
        TypeRef::String => {
            let text = value.as_str()?;
            quote!(#text)
        }
        TypeRef::Boolean => {
            let flag = value.as_bool()?;
            quote!(#flag)
        }
        TypeRef::Grammar(name) => {
            let text = value.as_str()?;
            let grammar = model.grammars.iter().find(|g| &g.spec.grammar == name)?;
            let mut forms: Vec<_> = grammar.spec.forms.iter().collect();
            forms.sort_by_key(|form| std::cmp::Reverse(form.prefix.len()));
            let form = forms
                .into_iter()
                .find(|form| text.starts_with(&form.prefix))?;
            let rest = &text[form.prefix.len()..];
            shared.insert(name.clone());
            let ty = names::ident(name);
            let variant = names::ident(&form.name);
            match form.value {
                FormValue::None if rest.is_empty() => quote!(#ty::#variant),
                FormValue::Id => {
                    let id = Literal::u64_unsuffixed(rest.parse().ok()?);
                    quote!(#ty::#variant(#id))
                }
                FormValue::Text if !rest.is_empty() => quote!(#ty::#variant(#rest.to_owned())),
                _ => return None,
            }
        }
        TypeRef::Id => {
            let literal = Literal::i64_unsuffixed(value.as_i64()?);
            quote!(b24_rest::Id(#literal))
        }
        // The example's content is a placeholder: show reading a real file of that name.
        TypeRef::File => {
            let name = value.as_array()?.first()?.as_str()?;
            quote!(b24_rest::FileUpload::new(#name, std::fs::read(#name)?))
        }
        TypeRef::FileChange => match value {
            serde_json::Value::Object(map) => {
                let ids = map
                    .keys()
                    .map(|key| key.parse::<i64>().ok().map(Literal::i64_unsuffixed))
                    .collect::<Option<Vec<_>>>()?;
                quote!(b24_rest::FileChanges::delete([ #( b24_rest::Id(#ids) ),* ]))
            }
            serde_json::Value::Array(items) => {
                let files = items
                    .iter()
                    .map(|item| example_expr(model, &TypeRef::File, item, shared))
                    .collect::<Option<Vec<_>>>()?;
                quote!(b24_rest::FileChanges::upload([ #( #files ),* ]))
            }
            _ => return None,
        },
        TypeRef::Enum(name) => {
            let text = value.as_str()?;
            let spec = &model.enums.iter().find(|e| &e.spec.name == name)?.spec;
            let variant = names::ident(&spec.values.iter().find(|v| v.value == text)?.name);
            shared.insert(name.clone());
            let ty = names::ident(name);
            quote!(#ty::#variant)
        }
        TypeRef::List(inner) => {
            let items = value
                .as_array()?
                .iter()
                .map(|item| example_expr(model, inner, item, shared))
                .collect::<Option<Vec<_>>>()?;
            if **inner == TypeRef::File {
                // `vec!` bodies are not formatted by prettyplease; an array expression is.
                quote!(Vec::from([ #( #items ),* ]))
            } else {
                quote!(vec![ #( #items ),* ])
            }
        }
        _ => return None,
    })
}

/// The method's conformance tests: its spec's examples and error table are data in the
/// scope's `spec_data.json`, found by `Method::NAME` and checked by the runtime's generic
/// `conformance` functions. One test per kind of check, emitted where the spec has data for
/// it; a failure names the method and the example.
fn conformance_tests(method: &Method) -> TokenStream {
    let request = names::ident(&method.request_type);
    let examples = &method.spec.examples;
    let mut tests = Vec::new();
    if !examples.requests.is_empty() {
        tests.push(quote! {
            /// The request examples decode into the request and encode back byte for byte.
            #[test]
            fn request_examples_round_trip() {
                check::request_examples_round_trip::<Request>();
            }
        });
    }
    if !examples.responses.is_empty() {
        tests.push(quote! {
            /// The response examples decode to their result or error, raw status, code and
            /// text kept.
            #[test]
            fn response_examples_decode() {
                check::response_examples_decode::<Request>();
            }
        });
    }
    if !method.errors.is_empty() {
        tests.push(quote! {
            /// Every form of every error row (codes in either case) reaches its variant.
            #[test]
            fn error_rows_are_recognised() {
                check::error_rows_are_recognised::<Request>();
            }
        });
    }
    let success = examples
        .responses
        .iter()
        .any(|r| r.error.is_none() && r.system_error.is_none() && (200..300).contains(&r.status));
    if !examples.requests.is_empty() && success {
        tests.push(quote! {
            /// The first request example, sent by the real client to the mock portal, arrives
            /// as sent and gets the spec's success answer.
            #[cfg(feature = "mock")]
            #[tokio::test]
            async fn a_call_succeeds_against_the_mock_portal() {
                check::a_call_succeeds_against_the_mock_portal::<Request>().await;
            }
        });
    }
    quote! {
        /// Conformance tests: the spec's examples and error table (the scope's
        /// `spec_data.json`), checked through the real decoder and client.
        #[cfg(test)]
        mod conformance {
            use crate::runtime::conformance as check;

            type Request = super::#request;

            #( #tests )*

            /// An error no row lists is kept whole, extra keys included.
            #[test]
            fn unlisted_error_is_kept() {
                check::unlisted_error_is_kept::<Request>();
            }
        }
    }
}
