//! The `b24` command line's generated part, `cli/src/generated/`: the method catalogue as data
//! (one `<scope>.json` per scope) and the little that must be code (`mod.rs`).
//!
//! A scope's catalogue holds, for each method, the spec's help text, its parameters with their
//! flags, and its error rows; each flag names its parser, one of a closed set the hand-written
//! crate matches (`cli/src/params.rs`), or a typed parser by the SDK type it checks values
//! with. `mod.rs` holds only the function pointers into typed code: each method's typed
//! request, each typed parser, and the list of catalogues. The hand-written crate (`cli/src/catalog.rs`) loads the
//! JSON, joins it with those tables by name and turns them into `clap` commands, so adding a
//! spec adds its subcommand and nothing here is written per method.
//!
//! Flags are the wire names in kebab-case (`POST_ID` → `--post-id`). A parameter whose flag
//! would be one of `b24`'s own options ([`OWN_FLAGS`]) gets `param-` in front
//! (`TIMEOUT` → `--param-timeout`), as many times as it takes to be unique.

use std::collections::{BTreeMap, BTreeSet};

use b24_rest_contract::catalog::{
    self, CustomDef, ErrorDef, FormDef, Merge, MethodDef, ParamDef, Parser, ScopeCatalog,
    ValueTypeDef,
};
use heck::{ToKebabCase, ToShoutySnakeCase};
use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::render;
use crate::GeneratedFile;
use crate::model::{Method, Model, Param, Scope, TypeRef};
use crate::names;
use crate::spec::FormValue;

/// Folder of the command line's generated code, relative to the workspace root.
pub(super) const CLI_DIR: &str = "cli/src/generated";

/// The long options of `b24` itself, which parameter flags must not take. Mirrors the
/// options `cli/src/command.rs` defines (its tests check every method's flags against them).
pub(super) const OWN_FLAGS: &[&str] = &[
    "webhook", "portal", "token", "json", "full", "verbose", "timeout", "no-retry", "help",
    "version",
];

/// The command line's code file (`mod.rs`): each method's typed request, the typed parsers,
/// and the list of the scopes' catalogues.
pub(super) fn code_file(model: &Model) -> GeneratedFile {
    let methods: Vec<(&Scope, &Method)> = model
        .scopes
        .iter()
        .flat_map(|scope| scope.methods.iter().map(move |method| (scope, method)))
        .collect();
    code(model, &methods)
}

/// A scope's catalogue, `cli/src/generated/<scope>.json`: one file per scope, so that no
/// file (and no emission job) grows with every method of the API.
pub(super) fn scope_file(model: &Model, scope: &Scope) -> GeneratedFile {
    let methods: Vec<(&Scope, &Method)> =
        scope.methods.iter().map(|method| (scope, method)).collect();
    data(model, scope, &methods)
}

/// `cli/src/generated/<scope>.json`, in the shape of `b24_rest_contract::catalog` (which the
/// command line reads too): pretty, with a final newline. Deterministic: fields in declaration
/// order, methods in the model's order.
fn data(model: &Model, scope: &Scope, methods: &[(&Scope, &Method)]) -> GeneratedFile {
    let mut names = BTreeSet::new();
    for (_, method) in methods {
        names.extend(value_types_of(method));
    }
    let catalog = ScopeCatalog {
        value_types: names
            .iter()
            .filter_map(|name| value_type_def(model, name))
            .collect(),
        methods: methods
            .iter()
            .map(|(scope, method)| method_def(scope, method))
            .collect(),
    };
    GeneratedFile {
        path: format!("{CLI_DIR}/{}.json", scope.wire),
        contents: catalog::write(&catalog),
    }
}

/// `cli/src/generated/mod.rs`: the scopes' catalogues, each method's typed request and each
/// typed parser, by the names the catalogues give them.
fn code(model: &Model, methods: &[(&Scope, &Method)]) -> GeneratedFile {
    let mut typed = BTreeMap::new();
    for (_, method) in methods {
        let values = method
            .params
            .iter()
            .map(|param| flag_value_type(&param.ty))
            .chain(method.custom_params.iter().map(|custom| &custom.ty));
        for ty in values {
            if let Parser::Typed(name) = parser(ty) {
                typed.entry(name).or_insert_with(|| typed_parser(ty));
            }
        }
    }
    // Every path absolute, as in the SDK's generated code: the file imports nothing.
    let prepare = methods.iter().map(|(scope, method)| {
        let name = command_name(scope, method);
        let module = names::ident(&scope.module);
        let request = names::ident(&method.request_type);
        quote! { (#name, crate::run::prepare::<::b24_rest::#module::#request>) }
    });
    let read_all = methods
        .iter()
        .filter(|(_, method)| method.list.is_some())
        .map(|(scope, method)| {
            let name = command_name(scope, method);
            let module = names::ident(&scope.module);
            let request = names::ident(&method.request_type);
            quote! { (#name, crate::list::prepare_all::<::b24_rest::#module::#request>) }
        });
    // The other list methods: `--all` walks their pages one request at a time.
    let pages = methods
        .iter()
        .filter(|(_, method)| method.list.is_none() && method.pager.is_some())
        .map(|(scope, method)| {
            let name = command_name(scope, method);
            let module = names::ident(&scope.module);
            let request = names::ident(&method.request_type);
            quote! { (#name, crate::list::prepare_pages::<::b24_rest::#module::#request>) }
        });
    let typed = typed.iter().map(|(name, parse)| quote! { (#name, #parse) });
    let catalogues = model.scopes.iter().map(|scope| {
        let file = format!("{}.json", scope.wire);
        quote! { ::core::include_str!(#file) }
    });
    let doc = docs::inner(
        "The code behind the method catalogues (`<scope>.json`), generated from `spec/`: \
         each method's typed request, and the parsers that check flag values with a shared \
         type of the SDK. Everything else `b24` knows of the methods is data, in the \
         catalogues.",
    );
    let tokens = quote! {
        #doc
        /// Each scope's method catalogue (JSON), in scope order.
        pub static CATALOGUES: &[&str] = &[ #( #catalogues ),* ];

        /// Each method's typed request, by wire name, in the order of the catalogues.
        /// Deprecated methods are commands too.
        #[allow(deprecated)]
        pub static PREPARE: &[(&str, crate::catalog::Prepare)] = &[ #( #prepare ),* ];

        /// The list methods' readers of every record (`--all`), by wire name.
        #[allow(deprecated)]
        pub static READ_ALL: &[(&str, crate::list::PrepareAll)] = &[ #( #read_all ),* ];

        /// The other list methods' walks over every page (`--all`), by wire name.
        #[allow(deprecated)]
        pub static PAGES: &[(&str, crate::list::PrepareAll)] = &[ #( #pages ),* ];

        /// The parsers of flag values of a shared type, by the type as the catalogues name
        /// it (`{"typed": "Destination"}`).
        pub static TYPED_PARSERS: &[(&str, crate::catalog::Parse)] = &[ #( #typed ),* ];
    };
    render(format!("{CLI_DIR}/mod.rs"), "spec/", tokens)
}

/// The grammars and enums a method's flags take: the value types its help text lists.
fn value_types_of(method: &Method) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for param in &method.params {
        named_value_types(&param.ty, &mut names);
    }
    if let Some(custom) = &method.custom_params {
        named_value_types(&custom.ty, &mut names);
    }
    names
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
        | TypeRef::Decimal
        | TypeRef::String
        | TypeRef::Boolean
        | TypeRef::Id
        | TypeRef::Date
        | TypeRef::DateTime
        | TypeRef::File
        | TypeRef::FileChange
        | TypeRef::Secret
        | TypeRef::Any
        | TypeRef::Object(_)
        | TypeRef::Local { .. } => {}
    }
}

/// The help text of a grammar or enum: its summary and every form or value.
fn value_type_def(model: &Model, name: &str) -> Option<ValueTypeDef> {
    let (summary, forms): (&str, Vec<FormDef>) =
        if let Some(grammar) = model.grammars.iter().find(|g| g.spec.grammar == name) {
            let forms = grammar
                .spec
                .forms
                .iter()
                .map(|form| FormDef {
                    syntax: match form.value {
                        FormValue::None => form.prefix.clone(),
                        FormValue::Id => format!("{}<id>", form.prefix),
                        FormValue::Text => format!("{}<text>", form.prefix),
                    },
                    description: one_line(&form.description),
                })
                .collect();
            (&grammar.spec.summary, forms)
        } else if let Some(enumeration) = model.enums.iter().find(|e| e.spec.name == name) {
            let forms = enumeration
                .spec
                .values
                .iter()
                .map(|value| FormDef {
                    syntax: value.value.text.clone(),
                    description: one_line(&value.description),
                })
                .collect();
            (&enumeration.spec.summary, forms)
        } else {
            return None;
        };
    Some(ValueTypeDef {
        name: name.to_owned(),
        summary: one_line(summary),
        forms,
    })
}

/// The method's subcommand: its wire name, except for a REST 3.0 method that shares its name
/// with a classic one, which is `<wire name>.v3` (as its spec file is named).
fn command_name(scope: &Scope, method: &Method) -> String {
    let v3 = crate::spec::ApiVersion::V3;
    let twin = scope
        .methods
        .iter()
        .any(|other| other.spec.method == method.spec.method && other.spec.api != v3);
    if method.spec.api == v3 && twin {
        format!("{}.v3", method.spec.method)
    } else {
        method.spec.method.clone()
    }
}

fn method_def(scope: &Scope, method: &Method) -> MethodDef {
    let spec = &method.spec;
    let mut names: Vec<&str> = method.params.iter().map(|p| p.spec.name.as_str()).collect();
    if let Some(custom) = &method.custom_params {
        names.push(custom.rust.trim_start_matches("r#"));
    }
    let flags = flags(&names);
    let custom = match (&method.custom_params, flags.last()) {
        (Some(custom), Some(flag)) => Some(CustomDef {
            flag: flag.clone(),
            value_name: format!("KEY={}", value_name(&custom.ty)),
            description: one_line(&custom.description),
            parser: parser(&custom.ty),
        }),
        _ => None,
    };
    MethodDef {
        name: command_name(scope, method),
        scope: scope.wire.clone(),
        summary: one_line(&spec.summary),
        description: spec.description.as_deref().map(one_line),
        access: one_line(&spec.access),
        result_type: spec.result.ty.trim().to_owned(),
        result: one_line(&spec.result.description),
        safe_to_repeat: spec.safe_to_repeat,
        repeat_note: spec.repeat_note.as_deref().map(one_line),
        docs: spec.docs.as_deref().map(|url| url.trim().to_owned()),
        example: spec
            .examples
            .requests
            .first()
            .map(|example| example.body.trim().to_owned()),
        params: method
            .params
            .iter()
            .zip(&flags)
            .map(|(param, flag)| param_def(param, flag))
            .collect(),
        custom,
        value_types: value_types_of(method).into_iter().collect(),
        errors: method
            .errors
            .iter()
            .map(|row| ErrorDef {
                name: row.spec.name.clone(),
                status: row.spec.status,
                text: one_line(&row.spec.description),
                meaning: one_line(&row.spec.meaning),
            })
            .collect(),
    }
}
/// The flag of each name (parameter wire names, then the open map's name), in order:
/// kebab-case, kept clear of `b24`'s own options and of each other.
pub(super) fn flags(names: &[&str]) -> Vec<String> {
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

fn param_def(param: &Param, flag: &str) -> ParamDef {
    let spec = &param.spec;
    let element = flag_value_type(&param.ty);
    ParamDef {
        wire: spec.name.clone(),
        flag: flag.to_owned(),
        value_name: value_name(element),
        ty: spec.ty.trim().to_owned(),
        required: spec.required,
        // A list repeats its flag; so does `file_changes`, whose values are merged into one.
        list: matches!(param.ty, TypeRef::List(_) | TypeRef::FileChange),
        merge: matches!(param.ty, TypeRef::FileChange).then_some(Merge::FileChanges),
        parser: parser(element),
        description: one_line(&spec.description),
        default: spec.default.as_deref().map(one_line),
        obtain_from: spec
            .obtain_from
            .iter()
            .map(|method| method.trim().to_owned())
            .collect(),
        note: input_note(element).map(str::to_owned),
    }
}

/// The type of one value of a parameter's flag: a list's element (the flag repeats, one
/// element each time), else the parameter's own type.
fn flag_value_type(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::List(inner) => inner,
        other => other,
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
        TypeRef::Decimal => Some("Give a decimal number, e.g. 5000.00: it is sent as written."),
        TypeRef::DateTime => {
            Some("Give a date and time as ISO 8601, e.g. 2026-03-18T09:21:18+02:00.")
        }
        TypeRef::Any
        | TypeRef::Object(_)
        | TypeRef::Local { .. }
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
        TypeRef::Double | TypeRef::Decimal => "NUMBER".into(),
        TypeRef::String | TypeRef::Secret => "TEXT".into(),
        TypeRef::Boolean => "true|false".into(),
        TypeRef::Date => "YYYY-MM-DD".into(),
        TypeRef::DateTime => "DATETIME".into(),
        TypeRef::File => "PATH".into(),
        TypeRef::FileChange => "PATH|del:ID".into(),
        TypeRef::Grammar(name) | TypeRef::Enum(name) => name.to_shouty_snake_case(),
        TypeRef::Any
        | TypeRef::Object(_)
        | TypeRef::Local { .. }
        | TypeRef::List(_)
        | TypeRef::Map(_)
        | TypeRef::Union(_) => "JSON".into(),
    }
}

/// The parser of one flag value, by the parameter's (element) type: the closed set
/// `cli/src/params.rs` matches, or for a shared type (and lists and maps of one) its typed
/// parser in `mod.rs`, named by the type as specs write it.
fn parser(ty: &TypeRef) -> Parser {
    // A method's own object is named only in its method: read as JSON, checked when the
    // request is decoded.
    if ty.mentions_local() {
        return Parser::Json;
    }
    match ty {
        TypeRef::Integer | TypeRef::Id => Parser::Integer,
        TypeRef::Double => Parser::Double,
        TypeRef::Boolean => Parser::Boolean,
        TypeRef::String | TypeRef::Secret => Parser::String,
        TypeRef::File => Parser::File,
        TypeRef::FileChange => Parser::FileChange,
        TypeRef::Date => Parser::Date,
        TypeRef::DateTime => Parser::DateTime,
        TypeRef::Any | TypeRef::Union(_) | TypeRef::Local { .. } => Parser::Json,
        TypeRef::Grammar(_)
        | TypeRef::Enum(_)
        | TypeRef::Object(_)
        | TypeRef::List(_)
        | TypeRef::Map(_)
        | TypeRef::Decimal => Parser::Typed(ty.to_string()),
    }
}

/// The typed parser of [`Parser::Typed`]: grammars and enums as text the SDK's type must
/// accept, objects, lists and maps as JSON it must accept.
fn typed_parser(ty: &TypeRef) -> TokenStream {
    let rust = rust_type(ty);
    match ty {
        TypeRef::Grammar(_) | TypeRef::Enum(_) | TypeRef::Decimal => {
            quote!(crate::params::text_as::<#rust>)
        }
        _ => quote!(crate::params::json::<#rust>),
    }
}

/// The SDK's type for a value of `ty`, by its path from the command line crate.
fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Integer => quote!(i64),
        TypeRef::Double => quote!(f64),
        TypeRef::Decimal => quote!(::b24_rest::Decimal),
        TypeRef::String | TypeRef::Secret => quote!(::std::string::String),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Id => quote!(::b24_rest::Id),
        TypeRef::Date => quote!(::b24_rest::Date),
        TypeRef::DateTime => quote!(::b24_rest::DateTime),
        TypeRef::File => quote!(::b24_rest::FileUpload),
        TypeRef::FileChange => quote!(::b24_rest::FileChanges),
        TypeRef::Any | TypeRef::Union(_) => quote!(::serde_json::Value),
        TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => {
            let ident = names::ident(name);
            quote!(::b24_rest::shared::#ident)
        }
        TypeRef::Local { scope, name } => {
            let (scope, ident) = (names::ident(scope), names::ident(name));
            quote!(::b24_rest::#scope::#ident)
        }
        TypeRef::List(inner) => {
            let inner = rust_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
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
