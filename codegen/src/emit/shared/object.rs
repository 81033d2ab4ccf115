//! An object's file: a struct whose fields decode answers leniently; its derives and fields
//! serve events' payloads too.

use proc_macro2::TokenStream;
use quote::quote;

use crate::GeneratedFile;
use crate::emit::docs::{self, Doc, code};
use crate::emit::paths::{self, Derive};
use crate::emit::{API_DIR, render, types};
use crate::model::{Field, Model, Object, OpenFields, TypeRef};
use crate::names;

/// `api/shared/<object>.rs`.
pub(super) fn file(model: &Model, object: &Object) -> GeneratedFile {
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
    let default = types::fields_have_default(model, &object.fields);
    doc.para(build_doc(model, object, default));
    let item_doc = doc.outer();
    let fields = struct_fields(&object.fields, object.other_fields.as_ref());
    let module_doc = docs::inner(&format!(
        "The {} object: {}",
        code(&spec.object),
        spec.summary
    ));
    let derives = derives(model, &object.fields, object.other_fields.as_ref(), default);
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
        format!(
            "{API_DIR}/shared/{}.rs",
            object.module.trim_start_matches("r#")
        ),
        &object.file,
        tokens,
    )
}

/// How to build a value in code (a test's answer, say): from `Default` when every field has
/// one, else by decoding JSON, with the field that stands in the way.
fn build_doc(model: &Model, object: &Object, default: bool) -> String {
    let name = &object.spec.object;
    if default {
        let set = object.fields.first().map_or_else(String::new, |field| {
            format!(" value.{} = …;", field.rust.trim_start_matches("r#"))
        });
        return format!(
            "Built in code (a test's answer, say) from `Default`: \
             `let mut value = {name}::default();{set}` sets what the test needs, every other \
             field empty, zero or `None` (`#[non_exhaustive]` rules out a struct literal \
             outside this crate, not setting fields). `MockAnswer::success::<M>(&value)` turns \
             a method's result into the mock portal's answer."
        );
    }
    let blocking = object
        .fields
        .iter()
        .find(|field| field.spec.required && !types::has_default(model, &field.ty))
        .map_or_else(String::new, |field| {
            format!(" (its required field {} has none)", code(&field.wire))
        });
    format!(
        "No `Default`{blocking}: build one in code by decoding JSON \
         (`serde_json::from_value`)."
    )
}

/// `#[derive(..)]` for a struct of answer fields.
pub(in crate::emit) fn derives(
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
pub(in crate::emit) fn struct_fields(
    fields: &[Field],
    other: Option<&OpenFields>,
) -> Vec<TokenStream> {
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
