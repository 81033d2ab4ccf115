//! Files of `api::shared`: grammars (`grammar`), objects (`object`) and enums (`enums`) several
//! methods share, and the module that re-exports them.
//!
//! The system errors, the `time` object and an event's `auth` are not here: every answer or
//! event shares them, so the runtime owns them (`SystemError`, `Time`, `EventAuth`).

mod enums;
mod grammar;
mod object;

use quote::quote;

use super::{API_DIR, docs, render};
use crate::GeneratedFile;
use crate::model::Model;
use crate::names;

pub(super) use object::{derives, item as object_item, struct_fields};

/// `api/shared/mod.rs` and one file per definition.
pub(super) fn files(model: &Model) -> Vec<GeneratedFile> {
    let mut files = vec![module_root(model)];
    for grammar in &model.grammars {
        files.push(grammar::file(grammar));
    }
    for object in &model.objects {
        files.push(object::file(model, object));
    }
    for item in &model.enums {
        files.push(enums::file(item));
    }
    files
}

/// `api/shared/mod.rs`: a private module per definition, and its one type re-exported by
/// name (a glob would hide a collision instead of reporting it).
fn module_root(model: &Model) -> GeneratedFile {
    let definitions: Vec<(&str, &str)> = model
        .grammars
        .iter()
        .map(|g| (g.module.as_str(), g.spec.grammar.as_str()))
        .chain(
            model
                .objects
                .iter()
                .map(|o| (o.module.as_str(), o.spec.object.as_str())),
        )
        .chain(
            model
                .enums
                .iter()
                .map(|e| (e.module.as_str(), e.spec.name.as_str())),
        )
        .collect();
    let modules: Vec<_> = definitions.iter().map(|(m, _)| names::ident(m)).collect();
    // A definition named `Shared` lives in `shared::shared`, which clippy's
    // `module_inception` takes for a mistake; its name is the spec's.
    let allows = definitions.iter().map(|(module, _)| {
        (*module == "shared").then(|| quote!(#[allow(clippy::module_inception)]))
    });
    let types = definitions.iter().map(|(_, t)| names::ident(t));
    let doc = docs::inner(
        "Types several methods share: grammars (structured strings), objects and enums.",
    );
    let tokens = quote! {
        #doc
        #( #allows mod #modules; )*
        #( pub use self::#modules::#types; )*
    };
    render(format!("{API_DIR}/shared/mod.rs"), "spec/shared/", tokens)
}
