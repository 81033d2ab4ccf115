//! Module files: `api/mod.rs` (the runtime re-exported, the generated `Client` with a scope
//! accessor per scope, `Specs` and `mock`) and each scope's `mod.rs` (its method and event
//! modules, its accessor structs, its spec data).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{self, code};
use super::paths::{self, Derive};
use super::{API_DIR, render};
use crate::GeneratedFile;
use crate::model::{Accessor, Model, Scope};
use crate::names;

/// `api/mod.rs`: the runtime's API, the scope modules and the crate's `Client`. Its code
/// writes even `str` by path (`::core::primitive::str`): a scope module of that name would
/// shadow the primitive here.
pub(super) fn api_root(model: &Model) -> GeneratedFile {
    let modules = model.scopes.iter().map(|scope| {
        let module = names::ident(&scope.module);
        let feature = &scope.wire;
        // Each scope compiles only with its cargo feature, so a downstream crate builds just
        // the scopes it uses.
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let doc = docs::inner(
        "The generated API: the runtime's public API, one module per scope, the types they \
         share, and the client that reaches them.",
    );
    let client = client(model);
    let specs = specs(model);
    let tokens = quote! {
        #doc
        // The runtime's whole public API; the crate's own `Client` and `ClientBuilder` below
        // shadow the runtime's.
        pub use ::b24_rest_runtime::*;
        pub mod shared;
        pub mod list;
        #( #modules )*
        mod batch;

        #client
        #specs
    };
    render(format!("{API_DIR}/mod.rs"), "spec/", tokens)
}

/// The crate's `Client`: the runtime's client with a scope accessor per scope.
fn client(model: &Model) -> TokenStream {
    let runtime = paths::runtime("Client");
    let (config_error, auth) = (paths::runtime("ConfigError"), paths::runtime("Auth"));
    let result = paths::result(quote!(Self), config_error);
    let token = paths::into(paths::string());
    let accessors = model.scopes.iter().map(scope_accessor);
    quote! {
        /// A Bitrix24 REST client: the runtime's [`Client`](b24_rest_runtime::Client) (which
        /// it dereferences to, for [`call`](b24_rest_runtime::Client::call),
        /// [`batch`](b24_rest_runtime::Client::batch) and the rest) with an accessor per scope
        /// of the API, e.g. `client.log().blogpost().share(217, dest).await`. Cheap to clone;
        /// `Debug` never shows the webhook code or the access token.
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        pub struct Client {
            inner: #runtime,
        }

        impl Client {
            /// A client for a webhook URL `https://<portal>/rest/<user_id>/<code>/`, default
            /// settings.
            pub fn webhook(url: &::core::primitive::str) -> #result {
                Self::builder(#auth::webhook(url)?).build()
            }

            /// A client for an OAuth access token on a portal (`https://portal.example`),
            /// default settings.
            pub fn oauth(portal_url: &::core::primitive::str, access_token: #token) -> #result {
                Self::builder(#auth::oauth(portal_url, access_token)?).build()
            }

            /// Starts configuring a client.
            pub fn builder(auth: #auth) -> crate::api::ClientBuilder {
                ::b24_rest_runtime::ClientBuilder::new(auth)
            }

            #( #accessors )*
        }

        impl ::core::convert::From<#runtime> for Client {
            fn from(inner: #runtime) -> Self {
                Self { inner }
            }
        }

        impl ::core::ops::Deref for Client {
            type Target = #runtime;

            fn deref(&self) -> &#runtime {
                &self.inner
            }
        }

        impl ::core::convert::AsRef<#runtime> for Client {
            fn as_ref(&self) -> &#runtime {
                &self.inner
            }
        }

        /// Settings of a [`Client`]; [`build`](b24_rest_runtime::ClientBuilder::build) makes one.
        pub type ClientBuilder = ::b24_rest_runtime::ClientBuilder<Client>;
    }
}

/// `client.<scope>()`.
fn scope_accessor(scope: &Scope) -> TokenStream {
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
        pub fn #module(&self) -> crate::api::#module::#api<'_> {
            crate::api::#module::#api { client: &self.inner }
        }
    }
}

/// `Specs`, the spec data of the compiled scopes for the mock portal, and the `mock` module
/// whose `MockPortal` answers from it.
fn specs(model: &Model) -> TokenStream {
    let data = model.scopes.iter().map(|scope| {
        let module = names::ident(&scope.module);
        let feature = &scope.wire;
        quote! {
            #[cfg(feature = #feature)]
            (#feature, crate::api::#module::SPEC_DATA),
        }
    });
    let source = paths::runtime("SpecSource");
    let derive = paths::derive(&[Derive::Debug, Derive::Clone, Derive::Copy]);
    quote! {
        /// The spec data of the compiled scopes (each method's examples and error forms, each
        /// event's payloads), from which the mock portal answers.
        #[cfg(any(test, feature = "mock"))]
        #derive
        pub struct Specs;

        #[cfg(any(test, feature = "mock"))]
        impl #source for Specs {
            type Client = crate::api::Client;

            fn spec_data() -> &'static [(&'static ::core::primitive::str, &'static ::core::primitive::str)] {
                &[ #( #data )* ]
            }
        }

        /// A local portal on loopback that answers each method from its spec, for tests of
        /// code that uses this crate (cargo feature `mock`).
        #[cfg(feature = "mock")]
        pub mod mock {
            pub use ::b24_rest_runtime::mock::*;

            /// The mock portal of this crate's compiled scopes.
            pub type MockPortal = ::b24_rest_runtime::mock::MockPortal<crate::api::Specs>;
        }
    }
}

/// `Method::spec_data` (and `EventFields::spec_data`) of an item of `scope`: its scope's
/// data, compiled in for the tests and the feature `mock` only.
pub(super) fn spec_data_fn(scope: &Scope) -> TokenStream {
    let wire = &scope.wire;
    let module = names::ident(&scope.module);
    quote! {
        #[cfg(any(test, feature = "mock"))]
        fn spec_data() -> (&'static str, &'static str) {
            (#wire, crate::api::#module::SPEC_DATA)
        }
    }
}

/// `api/<scope>/mod.rs`: method and event modules, their types re-exported by name, the
/// accessor structs, the scope's spec data and its conformance tests.
pub(super) fn scope_root(scope: &Scope) -> GeneratedFile {
    let modules: Vec<_> = scope
        .methods
        .iter()
        .map(|m| names::ident(&m.module))
        .chain(scope.events.iter().map(|e| names::ident(&e.module)))
        .collect();
    let exports = exports(scope);
    let mut structs = Vec::new();
    accessor_structs(&scope.accessor, &mut structs);
    let tests = super::method::conformance::scope_tests(scope);
    let tokens = quote! {
        #( mod #modules; )*
        #( #exports )*

        /// The scope's spec data (`spec_data.json`): its methods' examples and error forms and
        /// its events' payloads, for the conformance tests and the mock portal.
        #[cfg(any(test, feature = "mock"))]
        pub(crate) const SPEC_DATA: &str = ::core::include_str!("spec_data.json");

        #( #structs )*
        #tests
    };
    let doc = scope_doc(scope);
    render(
        format!("{API_DIR}/{}/mod.rs", scope.module.trim_start_matches("r#")),
        &format!("spec/{}/", scope.wire),
        quote!(#doc #tokens),
    )
}

fn scope_doc(scope: &Scope) -> TokenStream {
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
    docs::inner(&format!(
        "The {} scope.\n\nMethods, reached as `client.{}()…`:\n\n{}",
        code(&scope.wire),
        scope.module.trim_start_matches("r#"),
        list.join("\n")
    ))
}

/// `pub use self::<module>::{…};` for each method and event module: its types by name (a
/// glob would hide a collision instead of reporting it).
fn exports(scope: &Scope) -> Vec<TokenStream> {
    let methods = scope.methods.iter().map(|method| {
        let module = names::ident(&method.module);
        let made = [&method.request_type, &method.error_type, &method.call_type];
        let types = made
            .into_iter()
            .chain(&method.union_type)
            .chain(method.list.iter().flat_map(|list| list.types()))
            .chain(method.objects.iter().map(|object| &object.spec.object))
            .map(|name| names::ident(name));
        // A deprecated method's types are re-exported without a warning of their own.
        let allow = method
            .spec
            .deprecated
            .is_some()
            .then(|| quote!(#[allow(deprecated)]));
        quote!(#allow pub use self::#module::{ #( #types ),* };)
    });
    let events = scope.events.iter().map(|event| {
        let module = names::ident(&event.module);
        let payload = names::ident(&event.spec.event);
        let fields = names::ident(&event.fields_type);
        quote!(pub use self::#module::{ #payload, #fields };)
    });
    methods.chain(events).collect()
}

fn accessor_structs(accessor: &Accessor, out: &mut Vec<TokenStream>) {
    let name = names::ident(&accessor.type_name);
    let client = paths::runtime("Client");
    let doc = docs::outer(&format!(
        "Methods under {}.",
        code(&format!("{}.", accessor.path.join(".")))
    ));
    let children: Vec<TokenStream> = accessor
        .children
        .iter()
        .map(|(fn_name, child)| {
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
        })
        .collect();
    // Methods add their own `impl` blocks in their files; an empty one here says nothing.
    let own_impl = (!children.is_empty()).then(|| {
        quote! {
            impl<'a> #name<'a> {
                #( #children )*
            }
        }
    });
    let derive = paths::derive(&[Derive::Debug, Derive::Clone, Derive::Copy]);
    out.push(quote! {
        #doc
        #derive
        pub struct #name<'a> {
            // Visible to the crate so that `client.<scope>()` makes the scope's accessor
            // without a constructor, whose name a method or group could take.
            pub(crate) client: &'a #client,
        }

        #own_impl
    });
    for (_, child) in &accessor.children {
        accessor_structs(child, out);
    }
}
