//! `api/batch.rs`: the methods the specs allow inside `batch` (`batch: true`), each marked
//! with `BatchMethod`, so that adding any other method to a batch does not compile.

use quote::quote;

use super::docs;
use super::{API_DIR, render};
use crate::GeneratedFile;
use crate::model::Model;
use crate::names;

/// `api/batch.rs`.
pub(super) fn file(model: &Model) -> GeneratedFile {
    let impls = model.scopes.iter().flat_map(|scope| {
        let module = names::ident(&scope.module);
        // A scope's types exist only with the scope's cargo feature.
        let feature = &scope.wire;
        scope
            .methods
            .iter()
            .filter(|method| method.spec.batch)
            .map(move |method| {
                let request = names::ident(&method.request_type);
                let allow = method
                    .spec
                    .deprecated
                    .is_some()
                    .then(|| quote!(#[allow(deprecated)]));
                quote! {
                    #[cfg(feature = #feature)]
                    #allow
                    impl ::b24_rest_runtime::BatchMethod for crate::api::#module::#request {}
                }
            })
    });
    let doc =
        docs::inner("Which methods may run inside `batch`: those whose spec says `batch: true`.");
    let tokens = quote! {
        #doc
        #( #impls )*
    };
    render(format!("{API_DIR}/batch.rs"), "spec/", tokens)
}
