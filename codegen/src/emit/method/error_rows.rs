//! `ErrorRows` of a method's error enum: the error table as data (one row a line, each naming
//! its variant) and the variant each row builds from the fields its pattern captured.

use b24_rest_contract::error_table::{ErrorForm, ErrorRow as TableRow, write_table};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::{paths, types};
use crate::model::{ErrorRow, Matcher, Method};
use crate::names;
use crate::spec::MatchMode;

/// `ErrorRows`: the table as data, and the variant each row names built from its fields.
/// A method without rows keeps the trait's defaults (an empty table).
pub(super) fn error_rows_impl(method: &Method) -> TokenStream {
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
        // Read first, then unwrapped: a `let … else` whose value is the whole read runs past
        // 100 columns, and prettyplease cannot break it.
        let (ident, read) = (&idents[0], &reads[0]);
        quote! {
            let #ident = #read;
            let #some(#ident) = #ident else { return ::core::result::Result::Err(meta); };
        }
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
                .map(|(matcher, codes)| form(matcher, codes))
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

/// One form of the table: the matcher's text as its mode compares it, with its codes.
fn form(matcher: &Matcher, codes: Vec<String>) -> ErrorForm {
    let mut form = ErrorForm {
        codes,
        ..ErrorForm::default()
    };
    match matcher.mode {
        MatchMode::Exact => form.exact = Some(matcher.text.clone()),
        MatchMode::Contains => form.contains = Some(matcher.text.clone()),
        MatchMode::Pattern => {
            form.pattern = Some(matcher.literals.clone());
            form.fields = matcher.fields.clone();
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
