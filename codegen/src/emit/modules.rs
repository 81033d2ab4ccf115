//! Module files: `api/mod.rs` (scope accessors on the client) and each scope's `mod.rs`
//! (its accessor structs and method modules).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{self, code};
use super::{API_DIR, render};
use crate::GeneratedFile;
use crate::model::{Accessor, Model, Scope};
use crate::names;

/// `api/mod.rs`: the scope modules and `client.<scope>()`.
pub fn api_root(model: &Model) -> GeneratedFile {
    let modules: Vec<_> = model
        .scopes
        .iter()
        .map(|scope| names::ident(&scope.module))
        .collect();
    // Each scope compiles only with its cargo feature (`log`, on by default), so a downstream
    // crate builds just the scopes it uses.
    let features: Vec<String> = model
        .scopes
        .iter()
        .map(|scope| scope.wire.clone())
        .collect();
    let accessors = model.scopes.iter().map(|scope| {
        let module = names::ident(&scope.module);
        let api = names::ident(&scope.accessor.type_name);
        let feature = &scope.wire;
        let doc = docs::outer(&format!(
            "Methods of the {} scope ({} specified). Needs the cargo feature {}.",
            code(&scope.wire),
            scope.methods.len(),
            code(&scope.wire)
        ));
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub fn #module(&self) -> #module::#api<'_> {
                #module::#api::new(self)
            }
        }
    });
    // Each scope's examples and error forms, as JSON beside its modules (`spec_data.json`),
    // for the tests and the mock portal; a scope whose feature is off brings none.
    let data = model.scopes.iter().map(|scope| {
        let feature = &scope.wire;
        let path = format!("{}/spec_data.json", scope.module.trim_start_matches("r#"));
        quote! {
            #[cfg(feature = #feature)]
            (#feature, include_str!(#path)),
        }
    });
    let data_doc = docs::outer(
        "The spec data of every compiled scope, as (scope, JSON): its methods' examples and\n\
         error forms and its events' examples, read by `runtime::spec_data` for the\n\
         conformance tests and the mock portal.",
    );
    let doc = docs::inner("The generated API: one module per scope, plus the types they share.");
    let tokens = quote! {
        #doc
        pub mod shared;
        #(
            #[cfg(feature = #features)]
            pub mod #modules;
        )*
        mod batch;

        #data_doc
        #[cfg(any(test, feature = "mock"))]
        pub(crate) const SPEC_DATA: &[(&str, &str)] = &[ #( #data )* ];

        impl crate::Client {
            #( #accessors )*
        }
    };
    render(format!("{API_DIR}/mod.rs"), "spec/", tokens)
}

/// `api/<scope>/mod.rs`: method modules and the accessor structs.
pub fn scope_root(scope: &Scope) -> GeneratedFile {
    let modules: Vec<_> = scope
        .methods
        .iter()
        .map(|m| names::ident(&m.module))
        .chain(scope.events.iter().map(|e| names::ident(&e.module)))
        .collect();
    let mut structs = Vec::new();
    accessor_structs(&scope.accessor, true, &mut structs);
    let list: Vec<String> = scope
        .methods
        .iter()
        .map(|m| {
            format!(
                "- {}: {} ([`{}`])",
                code(&m.spec.method),
                m.spec.summary.trim(),
                m.request_type
            )
        })
        .collect();
    let doc = docs::inner(&format!(
        "The {} scope.\n\nMethods, reached as `client.{}()…`:\n\n{}",
        code(&scope.wire),
        scope.module.trim_start_matches("r#"),
        list.join("\n")
    ));
    let tokens = quote! {
        #doc
        #( mod #modules; )*
        #( pub use #modules::*; )*

        #( #structs )*
    };
    render(
        format!("{API_DIR}/{}/mod.rs", scope.module.trim_start_matches("r#")),
        &format!("spec/{}/", scope.wire),
        tokens,
    )
}

fn accessor_structs(accessor: &Accessor, is_root: bool, out: &mut Vec<TokenStream>) {
    let name = names::ident(&accessor.type_name);
    let doc = docs::outer(&format!(
        "Methods under {}.",
        code(&format!("{}.", accessor.path.join(".")))
    ));
    let children = accessor.children.iter().map(|(fn_name, child)| {
        let fn_ident = names::ident(fn_name);
        let child_type = names::ident(&child.type_name);
        let doc = docs::outer(&format!(
            "Methods under {}.",
            code(&format!("{}.", child.path.join(".")))
        ));
        quote! {
            #doc
            pub fn #fn_ident(&self) -> #child_type<'a> {
                #child_type { client: self.client }
            }
        }
    });
    // Only the scope's own accessor is made from outside (by `client.<scope>()`).
    let constructor = is_root.then(|| {
        quote! {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }
        }
    });
    let children: Vec<TokenStream> = children.collect();
    // Methods add their own `impl` blocks in their files; an empty one here says nothing.
    let own_impl = (is_root || !children.is_empty()).then(|| {
        quote! {
            impl<'a> #name<'a> {
                #constructor
                #( #children )*
            }
        }
    });
    out.push(quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a crate::Client,
        }

        #own_impl
    });
    for (_, child) in &accessor.children {
        accessor_structs(child, false, out);
    }
}
