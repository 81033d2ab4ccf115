//! The method's conformance tests: its spec's examples and error table are data in the
//! scope's `spec_data.json`, found by `Method::NAME` and checked by the runtime's generic
//! `conformance` functions. One test per kind of check, emitted where the spec has data for
//! it; a failure names the method and the example.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Method, Scope};
use crate::names;

/// `#[cfg(test)] mod conformance`: a test per check the spec has data for, and the one every
/// method has (an unlisted error is kept whole).
pub(super) fn conformance_tests(scope: &Scope, method: &Method) -> TokenStream {
    let module = names::ident(&scope.module);
    let request = names::ident(&method.request_type);
    let request = quote!(crate::api::#module::#request);
    let check = quote!(::b24_rest_runtime::conformance);
    let tests = [
        request_examples_test,
        response_examples_test,
        error_rows_test,
        mock_portal_test,
    ]
    .into_iter()
    .filter_map(|test| test(method, &check, &request));
    quote! {
        /// Conformance tests: the spec's examples and error table (the scope's
        /// `spec_data.json`), checked through the real decoder and client.
        #[cfg(test)]
        mod conformance {
            #( #tests )*

            /// An error no row lists is kept whole, extra keys included.
            #[test]
            fn unlisted_error_is_kept() {
                #check::unlisted_error_is_kept::<#request>();
            }
        }
    }
}

fn request_examples_test(
    method: &Method,
    check: &TokenStream,
    request: &TokenStream,
) -> Option<TokenStream> {
    (!method.spec.examples.requests.is_empty()).then(|| {
        quote! {
            /// The request examples decode into the request and encode back byte for byte.
            #[test]
            fn request_examples_round_trip() {
                #check::request_examples_round_trip::<#request>();
            }
        }
    })
}

fn response_examples_test(
    method: &Method,
    check: &TokenStream,
    request: &TokenStream,
) -> Option<TokenStream> {
    (!method.spec.examples.responses.is_empty()).then(|| {
        quote! {
            /// The response examples decode to their result or error, raw status, code and
            /// text kept.
            #[test]
            fn response_examples_decode() {
                #check::response_examples_decode::<#request>();
            }
        }
    })
}

fn error_rows_test(
    method: &Method,
    check: &TokenStream,
    request: &TokenStream,
) -> Option<TokenStream> {
    (!method.errors.is_empty()).then(|| {
        quote! {
            /// Every form of every error row (codes in either case) reaches its variant.
            #[test]
            fn error_rows_are_recognised() {
                #check::error_rows_are_recognised::<#request>();
            }
        }
    })
}

/// Needs a request to send and a success answer for the mock portal to give.
fn mock_portal_test(
    method: &Method,
    check: &TokenStream,
    request: &TokenStream,
) -> Option<TokenStream> {
    let examples = &method.spec.examples;
    let success = examples
        .responses
        .iter()
        .any(|r| r.error.is_none() && r.system_error.is_none() && (200..300).contains(&r.status));
    (!examples.requests.is_empty() && success).then(|| {
        quote! {
            /// The first request example, sent by the real client to the mock portal, arrives
            /// as sent and gets the spec's success answer.
            #[::tokio::test]
            async fn a_call_succeeds_against_the_mock_portal() {
                #check::a_call_succeeds_against_the_mock_portal::<#request>().await;
            }
        }
    })
}
