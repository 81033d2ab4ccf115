//! The `b24` command line's generated part, `cli/src/generated/mod.rs`: one entry per method
//! with the spec's help text, a typed parser per parameter flag, and the typed request a call
//! is decoded into.
//!
//! The file is data only: the hand-written crate (`cli/src/catalog.rs`) defines the types it
//! is made of and turns them into `clap` commands, so adding a spec adds its subcommand and
//! nothing here is written per method.
//!
//! Flags are the wire names in kebab-case (`POST_ID` → `--post-id`). A parameter whose flag
//! would be one of `b24`'s own options ([`OWN_FLAGS`]) gets `param-` in front
//! (`TIMEOUT` → `--param-timeout`), as many times as it takes to be unique.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToShoutySnakeCase};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::render;
use crate::GeneratedFile;
use crate::model::{Method, Model, Param, Scope, TypeRef};
use crate::names;
use crate::spec::FormValue;

/// Folder of the command line's generated code, relative to the workspace root.
pub const CLI_DIR: &str = "cli/src/generated";

/// The long options of `b24` itself, which parameter flags must not take. Mirrors the
/// options `cli/src/command.rs` defines (its tests check every method's flags against them).
pub const OWN_FLAGS: &[&str] = &[
    "webhook", "portal", "token", "json", "full", "verbose", "timeout", "no-retry", "help",
    "version",
];

/// Every file of the command line's generated part.
pub fn files(model: &Model) -> Vec<GeneratedFile> {
    vec![catalog(model)]
}

/// `cli/src/generated/mod.rs`.
fn catalog(model: &Model) -> GeneratedFile {
    let methods: Vec<(&Scope, &Method)> = model
        .scopes
        .iter()
        .flat_map(|scope| scope.methods.iter().map(move |method| (scope, method)))
        .collect();
    let mut value_types = BTreeSet::new();
    for (_, method) in &methods {
        for param in &method.params {
            named_value_types(&param.ty, &mut value_types);
        }
        if let Some(custom) = &method.custom_params {
            named_value_types(&custom.ty, &mut value_types);
        }
    }
    // Import only what the table uses: the file must compile without warnings for any specs.
    let mut types = vec!["MethodDef"];
    let mut modules = Vec::new();
    let any = |has: fn(&Method) -> bool| methods.iter().any(|(_, method)| has(method));
    if any(|method| !method.params.is_empty()) {
        types.push("ParamDef");
    }
    if any(|method| method.custom_params.is_some()) {
        types.push("CustomDef");
    }
    if any(|method| !method.errors.is_empty()) {
        types.push("ErrorDef");
    }
    if !value_types.is_empty() {
        types.extend(["FormDef", "ValueTypeDef"]);
    }
    if any(|method| !method.params.is_empty() || method.custom_params.is_some()) {
        modules.push("params");
    }
    if !methods.is_empty() {
        modules.push("run");
    }
    types.sort_unstable();
    let types = types.iter().map(|name| names::ident(name));
    let modules = modules.iter().map(|name| names::ident(name));

    let type_defs = value_types
        .iter()
        .filter_map(|name| value_type_def(model, name));
    let method_defs = methods
        .iter()
        .map(|(scope, method)| method_def(scope, method));
    let doc = docs::inner(
        "The methods `b24` knows, generated from `spec/`: the spec's help text, a typed parser \
         for each parameter flag, and the typed request each call is decoded into.",
    );
    let tokens = quote! {
        #doc
        use crate::catalog::{ #( #types ),* };
        #( use crate::#modules; )*

        #( #type_defs )*

        /// Every specified method, by scope, then by wire name.
        pub static METHODS: &[MethodDef] = &[ #( #method_defs ),* ];
    };
    render(format!("{CLI_DIR}/mod.rs"), "spec/", tokens)
}

/// Grammars and enums a type mentions: the value types whose forms the help text lists.
fn named_value_types(ty: &TypeRef, into: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Grammar(name) | TypeRef::Enum(name) => {
            into.insert(name.clone());
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => named_value_types(inner, into),
        TypeRef::Union(options) => {
            for option in options {
                named_value_types(option, into);
            }
        }
        TypeRef::Integer
        | TypeRef::Double
        | TypeRef::String
        | TypeRef::Boolean
        | TypeRef::Id
        | TypeRef::Date
        | TypeRef::DateTime
        | TypeRef::File
        | TypeRef::FileChange
        | TypeRef::Secret
        | TypeRef::Any
        | TypeRef::Object(_) => {}
    }
}

/// Name of the static that describes a grammar or enum (`DESTINATION_VALUES`); the suffix
/// keeps it clear of `METHODS`.
fn value_type_static(name: &str) -> proc_macro2::Ident {
    names::ident(&format!("{}_VALUES", name.to_shouty_snake_case()))
}

/// The help text of a grammar or enum: its summary and every form or value.
fn value_type_def(model: &Model, name: &str) -> Option<TokenStream> {
    let (summary, forms): (&str, Vec<(String, String)>) =
        if let Some(grammar) = model.grammars.iter().find(|g| g.spec.grammar == name) {
            let forms = grammar
                .spec
                .forms
                .iter()
                .map(|form| {
                    let syntax = match form.value {
                        FormValue::None => form.prefix.clone(),
                        FormValue::Id => format!("{}<id>", form.prefix),
                        FormValue::Text => format!("{}<text>", form.prefix),
                    };
                    (syntax, one_line(&form.description))
                })
                .collect();
            (&grammar.spec.summary, forms)
        } else if let Some(enumeration) = model.enums.iter().find(|e| e.spec.name == name) {
            let forms = enumeration
                .spec
                .values
                .iter()
                .map(|value| (value.value.clone(), one_line(&value.description)))
                .collect();
            (&enumeration.spec.summary, forms)
        } else {
            return None;
        };
    let ident = value_type_static(name);
    let summary = one_line(summary);
    let forms = forms.iter().map(|(syntax, description)| {
        quote! { FormDef { syntax: #syntax, description: #description } }
    });
    let doc = docs::outer(&format!(
        "The {} values, for the help text.",
        docs::code(name)
    ));
    Some(quote! {
        #doc
        static #ident: ValueTypeDef = ValueTypeDef {
            name: #name,
            summary: #summary,
            forms: &[ #( #forms ),* ],
        };
    })
}

fn method_def(scope: &Scope, method: &Method) -> TokenStream {
    let spec = &method.spec;
    let name = &spec.method;
    let scope_wire = &scope.wire;
    let summary = one_line(&spec.summary);
    let description = optional(spec.description.as_deref().map(one_line));
    let access = one_line(&spec.access);
    let result_type = spec.result.ty.trim();
    let result = one_line(&spec.result.description);
    let safe_to_repeat = spec.safe_to_repeat;
    let repeat_note = optional(spec.repeat_note.as_deref().map(one_line));
    let docs_url = optional(spec.docs.as_deref().map(|url| url.trim().to_owned()));
    let example = optional(
        spec.examples
            .requests
            .first()
            .map(|example| example.body.trim().to_owned()),
    );

    let mut names: Vec<&str> = method.params.iter().map(|p| p.spec.name.as_str()).collect();
    if let Some(custom) = &method.custom_params {
        names.push(custom.rust.trim_start_matches("r#"));
    }
    let flags = flags(&names);
    let params = method
        .params
        .iter()
        .zip(&flags)
        .map(|(param, flag)| param_def(param, flag));
    let custom = match (&method.custom_params, flags.last()) {
        (Some(custom), Some(flag)) => {
            let value_name = format!("KEY={}", value_name(&custom.ty));
            let parse = parser(&custom.ty);
            let description = one_line(&custom.description);
            quote! {
                Some(CustomDef {
                    flag: #flag,
                    value_name: #value_name,
                    description: #description,
                    parse: #parse,
                })
            }
        }
        _ => quote!(None),
    };
    let mut value_types = BTreeSet::new();
    for param in &method.params {
        named_value_types(&param.ty, &mut value_types);
    }
    if let Some(custom) = &method.custom_params {
        named_value_types(&custom.ty, &mut value_types);
    }
    let value_types = value_types.iter().map(|name| {
        let ident = value_type_static(name);
        quote!(&#ident)
    });
    let errors = method.errors.iter().map(|row| {
        let name = &row.spec.name;
        let status = Literal::u16_unsuffixed(row.spec.status);
        let text = one_line(&row.spec.description);
        let meaning = one_line(&row.spec.meaning);
        quote! { ErrorDef { name: #name, status: #status, text: #text, meaning: #meaning } }
    });
    let module = names::ident(&scope.module);
    let request = names::ident(&method.request_type);
    quote! {
        MethodDef {
            name: #name,
            scope: #scope_wire,
            summary: #summary,
            description: #description,
            access: #access,
            result_type: #result_type,
            result: #result,
            safe_to_repeat: #safe_to_repeat,
            repeat_note: #repeat_note,
            docs: #docs_url,
            example: #example,
            params: &[ #( #params ),* ],
            custom: #custom,
            value_types: &[ #( #value_types ),* ],
            errors: &[ #( #errors ),* ],
            prepare: run::prepare::<b24_rest::#module::#request>,
        }
    }
}

/// The flag of each name (parameter wire names, then the open map's name), in order:
/// kebab-case, kept clear of `b24`'s own options and of each other.
pub fn flags(names: &[&str]) -> Vec<String> {
    let mut taken: BTreeSet<String> = OWN_FLAGS.iter().map(|flag| (*flag).to_owned()).collect();
    let natural: Vec<String> = names.iter().map(|name| name.to_kebab_case()).collect();
    // Flags that need no prefix keep their name whatever the order.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for flag in &natural {
        *counts.entry(flag.as_str()).or_default() += 1;
    }
    let mut chosen: Vec<Option<String>> = natural
        .iter()
        .map(|flag| (counts[flag.as_str()] == 1 && !taken.contains(flag)).then(|| flag.clone()))
        .collect();
    taken.extend(chosen.iter().flatten().cloned());
    for (flag, choice) in natural.iter().zip(&mut chosen) {
        if choice.is_none() {
            let mut candidate = flag.clone();
            while taken.contains(&candidate) {
                candidate = format!("param-{candidate}");
            }
            taken.insert(candidate.clone());
            *choice = Some(candidate);
        }
    }
    chosen.into_iter().flatten().collect()
}

fn param_def(param: &Param, flag: &str) -> TokenStream {
    let spec = &param.spec;
    let wire = &spec.name;
    let ty = spec.ty.trim();
    let required = spec.required;
    // A list repeats its flag; so does `file_changes`, whose values are merged into one.
    let (element, list, merge) = match &param.ty {
        TypeRef::List(inner) => (inner.as_ref(), true, quote!(None)),
        TypeRef::FileChange => (&param.ty, true, quote!(Some(params::file_changes))),
        other => (other, false, quote!(None)),
    };
    let value_name = value_name(element);
    let parse = parser(element);
    let note = optional(input_note(element).map(str::to_owned));
    let description = one_line(&spec.description);
    let default = optional(spec.default.as_deref().map(one_line));
    let obtain_from = spec.obtain_from.iter().map(|method| method.trim());
    quote! {
        ParamDef {
            wire: #wire,
            flag: #flag,
            value_name: #value_name,
            ty: #ty,
            required: #required,
            list: #list,
            merge: #merge,
            description: #description,
            default: #default,
            obtain_from: &[ #( #obtain_from ),* ],
            note: #note,
            parse: #parse,
        }
    }
}

/// How a flag's value is written when that is not plain from its type.
fn input_note(ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::File => Some("Give the path of a file: its name and content are sent."),
        TypeRef::FileChange => Some(
            "Give the path of a file to attach, or del:<id> to remove attachment <id>; repeat \
             the flag for each (one call attaches or removes, not both).",
        ),
        TypeRef::Date => Some("Give a date as YYYY-MM-DD."),
        TypeRef::DateTime => {
            Some("Give a date and time as ISO 8601, e.g. 2026-03-18T09:21:18+02:00.")
        }
        TypeRef::Any
        | TypeRef::Object(_)
        | TypeRef::List(_)
        | TypeRef::Map(_)
        | TypeRef::Union(_) => Some("Give the value as JSON."),
        TypeRef::Integer
        | TypeRef::Id
        | TypeRef::Double
        | TypeRef::String
        | TypeRef::Secret
        | TypeRef::Boolean
        | TypeRef::Grammar(_)
        | TypeRef::Enum(_) => None,
    }
}

/// What the help text shows as a flag's value (`--post-id <INTEGER>`).
fn value_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Integer | TypeRef::Id => "INTEGER".into(),
        TypeRef::Double => "NUMBER".into(),
        TypeRef::String | TypeRef::Secret => "TEXT".into(),
        TypeRef::Boolean => "true|false".into(),
        TypeRef::Date => "YYYY-MM-DD".into(),
        TypeRef::DateTime => "DATETIME".into(),
        TypeRef::File => "PATH".into(),
        TypeRef::FileChange => "PATH|del:ID".into(),
        TypeRef::Grammar(name) | TypeRef::Enum(name) => name.to_shouty_snake_case(),
        TypeRef::Any
        | TypeRef::Object(_)
        | TypeRef::List(_)
        | TypeRef::Map(_)
        | TypeRef::Union(_) => "JSON".into(),
    }
}

/// The parser of one flag value, by the parameter's (element) type: numbers and booleans by
/// their own syntax, grammars, enums and dates as text checked by the SDK's type, files read
/// from a path (or `del:<id>` to remove an attachment), anything structured as JSON checked by
/// the SDK's type.
fn parser(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Integer | TypeRef::Id => quote!(params::integer),
        TypeRef::Double => quote!(params::double),
        TypeRef::Boolean => quote!(params::boolean),
        TypeRef::String | TypeRef::Secret => quote!(params::string),
        TypeRef::File => quote!(params::file),
        TypeRef::FileChange => quote!(params::file_change),
        TypeRef::Grammar(_) | TypeRef::Enum(_) | TypeRef::Date | TypeRef::DateTime => {
            let ty = rust_type(ty);
            quote!(params::text_as::<#ty>)
        }
        TypeRef::Any
        | TypeRef::Object(_)
        | TypeRef::List(_)
        | TypeRef::Map(_)
        | TypeRef::Union(_) => {
            let ty = rust_type(ty);
            quote!(params::json::<#ty>)
        }
    }
}

/// The SDK's type for a value of `ty`, by its path from the command line crate.
fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Integer => quote!(i64),
        TypeRef::Double => quote!(f64),
        TypeRef::String | TypeRef::Secret => quote!(String),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Id => quote!(b24_rest::Id),
        TypeRef::Date => quote!(b24_rest::Date),
        TypeRef::DateTime => quote!(b24_rest::DateTime),
        TypeRef::File => quote!(b24_rest::FileUpload),
        TypeRef::FileChange => quote!(b24_rest::FileChange),
        TypeRef::Any | TypeRef::Union(_) => quote!(serde_json::Value),
        TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => {
            let ident = names::ident(name);
            quote!(b24_rest::shared::#ident)
        }
        TypeRef::List(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

fn optional(text: Option<String>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// Spec text on one line: the help text wraps it as the terminal needs.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_kebab_case_wire_names() {
        assert_eq!(
            flags(&["POST_ID", "DEST", "getAvailableForPayment", "custom_fields"]),
            [
                "post-id",
                "dest",
                "get-available-for-payment",
                "custom-fields"
            ]
        );
    }

    #[test]
    fn flags_keep_clear_of_own_options_and_each_other() {
        assert_eq!(
            flags(&["TIMEOUT", "PARAM_TIMEOUT", "JSON", "id"]),
            ["param-param-timeout", "param-timeout", "param-json", "id"]
        );
        assert_eq!(
            flags(&["HELP", "ID", "id"]),
            ["param-help", "id", "param-id"]
        );
    }
}
