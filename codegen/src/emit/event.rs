//! One event's file: the struct of its `data.FIELDS`, the payload type, and tests from the
//! page's example payloads.

use std::collections::BTreeSet;

use proc_macro2::Literal;
use quote::quote;

use super::docs::{self, Doc, code};
use super::shared::{derives, struct_fields};
use super::{API_DIR, render};
use crate::GeneratedFile;
use crate::model::{Event, Model, Scope, TypeRef};
use crate::names;

/// `api/<scope>/<event module>.rs`.
pub fn file(model: &Model, scope: &Scope, event: &Event) -> GeneratedFile {
    let spec = &event.spec;
    let payload = names::ident(&spec.event);
    let fields_type = names::ident(&event.fields_type);
    let code_value = &spec.code;

    let mut imports = BTreeSet::new();
    let fields = struct_fields(&event.fields, None, &mut imports);
    let imports = imports.iter().map(|name| names::ident(name));
    let derives = derives(model, &event.fields, None, false);

    let mut doc = Doc::default();
    doc.para(&spec.summary);
    doc.para(format!(
        "Event code {} (scope {}).",
        code(&spec.code),
        code(&spec.scope)
    ));
    doc.para(format!("**Who may subscribe:** {}", spec.access.trim()));
    if let Some(url) = &spec.docs {
        doc.para(format!("Official documentation: <{}>", url.trim()));
    }
    doc.para(format!(
        "Read a payload with [`Event::from_json`](crate::Event::from_json); its fields are in `data.fields` ([`{}`]).",
        event.fields_type
    ));
    let payload_doc = doc.outer();
    let fields_doc = docs::outer(&format!(
        "The `data.FIELDS` of {} ([`{}`]).",
        code(&spec.code),
        spec.event
    ));
    let module_doc = docs::inner(&format!(
        "The {} event: {}",
        code(&spec.event),
        spec.summary.trim()
    ));

    // Fields of the `auth` object typed `secret`: their values must never show in `Debug`.
    let secret_keys: Vec<&str> = model
        .objects
        .iter()
        .filter(|object| object.spec.object == "EventAuth")
        .flat_map(|object| object.fields.iter())
        .filter(|field| field.ty == TypeRef::Secret)
        .map(|field| field.wire.as_str())
        .collect();
    let tests = spec.examples.iter().enumerate().map(|(i, example)| {
        let test = names::ident(&format!("payload_example_{}_decodes", i + 1));
        let doc = docs::outer(&format!(
            "Payload example: {}. Read as JSON and as the form portals really send.",
            example.name.trim()
        ));
        let body = Literal::byte_string(example.body.as_bytes());
        let parsed: serde_json::Value = serde_json::from_str(&example.body).unwrap_or_default();
        let form = Literal::byte_string(form_encode(&parsed).as_bytes());
        let secrets: Vec<&str> = secret_keys
            .iter()
            .filter_map(|key| {
                parsed
                    .get("auth")
                    .and_then(|auth| auth.get(*key))
                    .and_then(serde_json::Value::as_str)
            })
            .filter(|secret| !secret.is_empty())
            .collect();
        let secret_check = (!secrets.is_empty()).then(|| {
            quote! {
                let printed = format!("{event:?}");
                for secret in [ #( #secrets ),* ] {
                    assert!(!printed.contains(secret), "a credential shows in Debug: {printed}");
                }
            }
        });
        quote! {
            #doc
            #[test]
            fn #test() {
                let event = #payload::from_json(#body).expect("the JSON example decodes");
                assert_eq!(event.event, <#fields_type as crate::EventFields>::CODE);
                let from_form = #payload::from_form(#form).expect("the form example decodes");
                assert_eq!(from_form, event);
                #secret_check
            }
        }
    });
    let wrong_event = quote! {
        /// A payload of another event is refused, not read as this one.
        #[test]
        fn another_event_is_refused() {
            let body = br#"{"event":"B24_REST_OTHER_EVENT","event_handler_id":"1","data":{"FIELDS":{}},"ts":"1","auth":{}}"#;
            assert!(matches!(#payload::from_json(body), Err(crate::EventError::WrongEvent { .. })));
        }
    };

    let tokens = quote! {
        #module_doc
        #( use crate::api::shared::#imports; )*

        #fields_doc
        #derives
        #[non_exhaustive]
        pub struct #fields_type {
            #( #fields, )*
        }

        #payload_doc
        pub type #payload = crate::Event<#fields_type>;

        impl crate::EventFields for #fields_type {
            const CODE: &'static str = #code_value;
        }

        /// Conformance tests generated from the spec's example payloads.
        #[cfg(test)]
        mod conformance {
            use super::*;

            #( #tests )*
            #wrong_event
        }
    };
    render(
        format!(
            "{API_DIR}/{}/{}.rs",
            scope.module.trim_start_matches("r#"),
            event.module.trim_start_matches("r#")
        ),
        &event.file,
        tokens,
    )
}

/// A JSON payload as the PHP-style form a portal posts (`data[FIELDS][POST_ID]=209`), for
/// the generated tests.
fn form_encode(value: &serde_json::Value) -> String {
    let mut pairs = Vec::new();
    flatten(String::new(), value, &mut pairs);
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", percent(key), percent(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn flatten(prefix: String, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    let key = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}[{name}]")
        }
    };
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .for_each(|(name, child)| flatten(key(name), child, out)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, child)| flatten(key(&i.to_string()), child, out)),
        serde_json::Value::String(text) => out.push((prefix, text.clone())),
        serde_json::Value::Null => out.push((prefix, String::new())),
        other => out.push((prefix, other.to_string())),
    }
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
