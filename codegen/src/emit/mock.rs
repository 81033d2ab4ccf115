//! `api/mock_data.rs`: what the mock portal (`b24_rest::mock`, feature `mock`) can answer for
//! each method, taken from the specs: the response examples and the error rows.
//!
//! The runtime owns the data types (`runtime::mock::spec`); this file only lists values, so
//! adding a method to `spec/` is all it takes for the mock to answer it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::{API_DIR, render};
use crate::GeneratedFile;
use crate::model::{ErrorRow, Method, Model, TypeRef};
use crate::spec::{MatchMode, ResponseExample};

/// `api/mock_data.rs`.
pub fn file(model: &Model) -> GeneratedFile {
    let methods = model
        .scopes
        .iter()
        .flat_map(|scope| &scope.methods)
        .map(method_answers);
    let doc = docs::inner(
        "What the mock portal can answer for each specified method: the spec's response \
         examples and error rows.\n\nCompiled only with the `mock` feature.",
    );
    let tokens = quote! {
        #doc
        use crate::runtime::mock::spec::{MethodAnswers, SpecErrorRow, SpecExample};

        /// Every specified method, sorted by wire name.
        pub(crate) static METHODS: &[MethodAnswers] = &[ #( #methods ),* ];
    };
    render(format!("{API_DIR}/mock_data.rs"), "spec/", tokens)
}

fn method_answers(method: &Method) -> TokenStream {
    let name = &method.spec.method;
    let examples = method.spec.examples.responses.iter().map(example);
    let rows = method.errors.iter().map(error_row);
    let batch = method.spec.batch;
    quote! {
        MethodAnswers {
            method: #name,
            batch: #batch,
            examples: &[ #( #examples ),* ],
            error_rows: &[ #( #rows ),* ],
        }
    }
}

fn example(example: &ResponseExample) -> TokenStream {
    let name = example.name.trim();
    let status = Literal::u16_unsuffixed(example.status);
    let body = &example.body;
    let success = example.error.is_none() && example.system_error.is_none();
    quote! {
        SpecExample { name: #name, status: #status, body: #body, success: #success }
    }
}

/// The row as the server sends it: its status, its own code, and its text (a pattern's
/// placeholders filled with sample values, so that the client decodes it back to the row).
fn error_row(row: &ErrorRow) -> TokenStream {
    let name = &row.spec.name;
    let status = Literal::u16_unsuffixed(row.spec.status);
    let code = &row.spec.code;
    let description = sample_text(row);
    quote! {
        SpecErrorRow { name: #name, status: #status, code: #code, description: #description }
    }
}

fn sample_text(row: &ErrorRow) -> String {
    let Some(own) = row.matchers.first() else {
        return row.spec.description.clone();
    };
    if own.mode != MatchMode::Pattern {
        return own.text.clone();
    }
    let mut text = String::new();
    for (i, literal) in own.literals.iter().enumerate() {
        text.push_str(literal);
        if let Some(capture) = own.captures.get(i) {
            let integer = row
                .fields
                .iter()
                .any(|field| &field.wire == capture && field.ty == TypeRef::Integer);
            text.push_str(if integer { "42" } else { "sample" });
        }
    }
    text
}
