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
    let module_doc = docs::inner(&format!(
        "The {} object: {}",
        code(&spec.object),
        spec.summary
    ));
    let item = item(model, object);
    render(
        format!(
            "{API_DIR}/shared/{}.rs",
            object.module.trim_start_matches("r#")
        ),
        &object.file,
        quote! {
            #module_doc
            #item
        },
    )
}

/// The object's struct with its docs, derives and, for an object that keeps other keys, its
/// lenient `Deserialize` ([`lenient_deserialize`]): a shared object's file holds it, and a
/// method's file its own objects.
pub(in crate::emit) fn item(model: &Model, object: &Object) -> TokenStream {
    let spec = &object.spec;
    let name = names::ident(&spec.object);
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    if let Some(description) = &spec.description {
        doc.para(description);
    }
    doc.para(match &object.other_fields {
        Some(open) => format!(
            "Keys the spec does not name are kept in [`{0}`]({1}::{0}), so nothing the server sends is lost: \
             so is the value of an optional field that does not fit its type or says \"no value\" \
             (`\"\"` but for a text, `false` but for a flag, `[]`, `{{}}`), which is then `None`. Numbers and ids are also \
             read from strings, flags from `Y`/`N` and `1`/`0`; `[]`, `null`, `false` or `\"\"` \
             where the object is expected read as an empty one.",
            open.rust.trim_start_matches("r#"),
            spec.object
        ),
        None => "Fields the server adds later are ignored, so new servers do not break decoding.".to_owned(),
    });
    let default = types::fields_have_default(model, &object.fields);
    doc.para(build_doc(model, object, default));
    let item_doc = doc.outer();
    let fields = struct_fields(&object.fields, object.other_fields.as_ref());
    let mut traits = derive_traits(model, &object.fields, object.other_fields.as_ref(), default);
    let lenient = object.other_fields.as_ref().map(|open| {
        traits.retain(|derive| *derive != Derive::Deserialize);
        lenient_deserialize(&name, &object.fields, open)
    });
    let derives = paths::derive(&traits);
    quote! {
        #item_doc
        #derives
        #[non_exhaustive]
        pub struct #name {
            #( #fields, )*
        }

        #lenient
    }
}

/// `Deserialize` of an object that keeps other keys: one line per field through the runtime's
/// `Fields`, which reads each value leniently and keeps what does not fit among the other
/// keys (see `b24_rest_runtime::__private::Fields`). A required field that is missing or does
/// not fit fails the decoding.
fn lenient_deserialize(
    name: &proc_macro2::Ident,
    fields: &[Field],
    open: &OpenFields,
) -> TokenStream {
    let reader = paths::private("Fields");
    let lines = fields.iter().map(|field| {
        let ident = names::ident(&field.rust);
        let wire = &field.wire;
        let aliases = &field.spec.aliases;
        let keys = quote!(#wire, &[ #( #aliases ),* ]);
        match (&field.ty, field.spec.required) {
            (TypeRef::Map(_), _) => quote!(#ident: fields.map(#keys)),
            (_, true) => quote!(#ident: fields.required(#keys)?),
            (TypeRef::List(_), false) => quote!(#ident: fields.list(#keys)),
            (TypeRef::Any, false) => quote!(#ident: fields.any(#keys)),
            (TypeRef::String, false) => quote!(#ident: fields.text(#keys)),
            (_, false) => quote!(#ident: fields.optional(#keys)),
        }
    });
    let rest = names::ident(&open.rust);
    let result = paths::result(quote!(Self), quote!(D::Error));
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result {
                let mut fields = #reader::new(deserializer)?;
                ::core::result::Result::Ok(Self {
                    #( #lines, )*
                    #rest: fields.into_rest(),
                })
            }
        }
    }
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
    paths::derive(&derive_traits(model, fields, other, default))
}

/// The traits [`derives`] names.
fn derive_traits(
    model: &Model,
    fields: &[Field],
    other: Option<&OpenFields>,
    default: bool,
) -> Vec<Derive> {
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
    traits
}

/// The fields of a struct that decodes answers: renamed to their wire keys, with aliases, and
/// lenient about how the server writes "no value".
pub(in crate::emit) fn struct_fields(
    fields: &[Field],
    other: Option<&OpenFields>,
) -> Vec<TokenStream> {
    // An object that keeps other keys reads itself (`lenient_deserialize`): its fields carry
    // only what writing them needs.
    let lenient = other.is_some();
    let mut out: Vec<TokenStream> = fields
        .iter()
        .map(|field| struct_field(field, lenient))
        .collect();
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

fn struct_field(field: &Field, lenient: bool) -> TokenStream {
    let ident = names::ident(&field.rust);
    let wire = &field.wire;
    let doc = Doc::default().para(&field.spec.description).outer();
    let mut serde = Vec::new();
    if field.rust.trim_start_matches("r#") != field.wire {
        serde.push(quote!(rename = #wire));
    }
    if !lenient {
        for alias in &field.spec.aliases {
            serde.push(quote!(alias = #alias));
        }
    }
    let (ty, rules) = field_rules(field);
    let writes = |rule: &TokenStream| rule.to_string().starts_with("skip_serializing_if");
    serde.extend(rules.into_iter().filter(|rule| !lenient || writes(rule)));
    serde.extend(types::double_rule(&field.ty));
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
        // `""` is a text, sent to clear a field: kept apart from no value.
        (TypeRef::String, false) => {
            let with = paths::TEXT_OR_NONE;
            let rules = vec![
                quote!(default),
                quote!(deserialize_with = #with),
                quote!(skip_serializing_if = #is_none),
            ];
            (paths::option(ty), rules)
        }
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
