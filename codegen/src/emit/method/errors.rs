//! A method's error enum: one variant per row of its error table plus `Unhandled`, the table
//! itself as data (`ErrorRows::error_table`), and the impls the runtime needs.

use b24_rest_contract::error_table::{ErrorForm, ErrorRow as TableRow, write_table};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

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
    let rows = error_rows_impl(method);
    let method_error = method_error_impl(method);
    let debug_and_eq = debug_and_eq(method);
    let trait_path = paths::runtime("MethodError");
    quote! {
        #doc
        #[derive(::core::clone::Clone)]
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

/// `ErrorRows`: the table as data, and the variant each row names built from its fields.
/// A method without rows keeps the trait's defaults (an empty table).
fn error_rows_impl(method: &Method) -> TokenStream {
    let name = names::ident(&method.error_type);
    let trait_path = paths::runtime("ErrorRows");
    if method.errors.is_empty() {
        return quote!(impl #trait_path for #name {});
    }
    let table = error_table(method);
    let meta = paths::runtime("ErrorMeta");
    let result = paths::result(quote!(Self), meta.clone());
    let string = paths::string();
    let arms = method.errors.iter().map(|row| {
        let variant = row.spec.name.as_str();
        let build = row_variant(row);
        quote!(#variant => #build,)
    });
    // Named only where a row reads it, so that the parameter is never unused.
    let fields = if method.errors.iter().any(|row| !row.fields.is_empty()) {
        quote!(fields)
    } else {
        quote!(_fields)
    };
    quote! {
        impl #trait_path for #name {
            fn error_table() -> &'static str {
                #table
            }

            fn from_row(variant: &str, #fields: &[#string], meta: #meta) -> #result {
                ::core::result::Result::Ok(match variant {
                    #( #arms )*
                    _ => return ::core::result::Result::Err(meta),
                })
            }
        }
    }
}

/// The row's variant built from the fields the matcher read (each parsed as its type; a
/// field that does not parse makes the row not match).
fn row_variant(row: &ErrorRow) -> TokenStream {
    let variant = names::ident(&row.spec.name);
    if row.fields.is_empty() {
        return quote!(Self::#variant(meta));
    }
    let field = paths::private("field");
    let idents: Vec<_> = row.fields.iter().map(|f| names::ident(&f.rust)).collect();
    let reads: Vec<_> = row
        .fields
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let index = Literal::usize_unsuffixed(index);
            let ty = types::rust(&f.ty);
            quote!(#field::<#ty>(fields, #index))
        })
        .collect();
    let some = quote!(::core::option::Option::Some);
    let read = if idents.len() == 1 {
        let (ident, read) = (&idents[0], &reads[0]);
        quote!(let #some(#ident) = #read else { return ::core::result::Result::Err(meta); };)
    } else {
        quote! {
            let ( #( #some(#idents) ),* ) = ( #( #reads ),* ) else {
                return ::core::result::Result::Err(meta);
            };
        }
    };
    quote! {{
        #read
        Self::#variant { #( #idents, )* meta }
    }}
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

/// `Debug` and `PartialEq` of an error enum, written out rather than derived: they give what
/// the derives give (the same text, the same equality) with the variants that hold only the
/// raw error served by one arm through `parts()`. A derived `PartialEq` over a dozen
/// variants cost about 1 ms of `cargo check` per method, this one almost nothing.
fn debug_and_eq(method: &Method) -> TokenStream {
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

/// The method's error table as a raw string literal of JSON, one row a line, each row naming
/// its variant: matchers that share a text are merged into one form whose codes are
/// alternatives.
///
/// Data rather than Rust values: rustc checks a string literal in no time, and a table of
/// Rust values (or an `if` per form) in about 1 ms per method.
fn error_table(method: &Method) -> Literal {
    let rows: Vec<TableRow> = method
        .errors
        .iter()
        .map(|row| TableRow {
            variant: row.spec.name.clone(),
            forms: text_groups(row)
                .into_iter()
                .map(|(matcher, codes)| form(row, matcher, codes))
                .collect(),
        })
        .collect();
    raw_string(&write_table(&rows))
}

/// The row's matchers grouped by (mode, text), in order, each with its codes.
fn text_groups(row: &ErrorRow) -> Vec<(&Matcher, Vec<String>)> {
    let mut groups: Vec<(&Matcher, Vec<String>)> = Vec::new();
    for matcher in &row.matchers {
        match groups
            .iter_mut()
            .find(|(first, _)| first.mode == matcher.mode && first.text == matcher.text)
        {
            Some((_, codes)) => codes.push(matcher.code.clone()),
            None => groups.push((matcher, vec![matcher.code.clone()])),
        }
    }
    groups
}

fn form(row: &ErrorRow, matcher: &Matcher, codes: Vec<String>) -> ErrorForm {
    let mut form = ErrorForm {
        codes,
        ..ErrorForm::default()
    };
    match matcher.mode {
        MatchMode::Exact => form.exact = Some(matcher.text.clone()),
        MatchMode::Contains => form.contains = Some(matcher.text.clone()),
        MatchMode::Pattern => {
            form.pattern = Some(matcher.literals.clone());
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
