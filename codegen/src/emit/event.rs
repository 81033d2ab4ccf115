//! One event's file: the struct of its `data.FIELDS` and the payload type. The tests of the
//! page's example payloads (data in the scope's `spec_data.json`) are the scope's
//! (`method/conformance.rs`).

use quote::quote;

use super::docs::{self, Doc, code};
use super::shared::{derives, struct_fields};
use super::{API_DIR, paths, render};
use crate::GeneratedFile;
use crate::model::{Event, Model, Scope};
use crate::names;

/// `api/<scope>/<event module>.rs`.
pub(super) fn file(model: &Model, scope: &Scope, event: &Event) -> GeneratedFile {
    let spec = &event.spec;
    let payload = names::ident(&spec.event);
    let fields_type = names::ident(&event.fields_type);
    let code_value = &spec.code;

    let fields = struct_fields(&event.fields, None);
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

    let event_type = paths::runtime("Event");
    let spec_data = super::modules::spec_data_fn(scope);
    let tokens = quote! {
        #module_doc
        #fields_doc
        #derives
        #[non_exhaustive]
        pub struct #fields_type {
            #( #fields, )*
        }

        #payload_doc
        pub type #payload = #event_type<#fields_type>;

        impl ::b24_rest_runtime::EventFields for #fields_type {
            const CODE: &'static str = #code_value;

            #spec_data
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
