//! A scope's conformance tests, in its `mod.rs`: its methods' and events' examples and error
//! tables are data in the scope's `spec_data.json`, checked by the runtime's `conformance`
//! module. The scope lists its methods and events once; each test runs one kind of check over
//! all of them and names every method and example that fails. A test is emitted where the
//! spec has data for it in at least one method or event.
//!
//! One test per kind rather than per method: tests are code, compiled for every method of
//! the API, and a scope's methods share everything but their type.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Method, Scope};
use crate::names;

/// `#[cfg(test)] mod conformance` of a scope.
pub(in crate::emit) fn scope_tests(scope: &Scope) -> TokenStream {
    let check = quote!(::b24_rest_runtime::conformance);
    let methods = method_tests(scope, &check);
    let events = event_tests(scope, &check);
    // Deprecated methods are tested like the others.
    let allow = scope
        .methods
        .iter()
        .any(|m| m.spec.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = " Conformance tests: the spec's examples and error tables (`spec_data.json`), \
            checked through the real decoder and client, one test per check over every \
            method and event of the scope. Items are named by `super::…`: the module \
            holds nothing else a name could mean."]
        #[cfg(test)]
        #allow
        mod conformance {
            #methods
            #events
        }
    }
}

fn method_tests(scope: &Scope, check: &TokenStream) -> TokenStream {
    if scope.methods.is_empty() {
        return TokenStream::new();
    }
    let entries = scope.methods.iter().map(|method| {
        let request = names::ident(&method.request_type);
        quote!(#check::method::<super::#request>())
    });
    let any = |has: fn(&Method) -> bool| scope.methods.iter().any(has);
    let requests = any(|m| !m.spec.examples.requests.is_empty()).then(|| {
        quote! {
            #[doc = " The request examples decode into their requests and encode back to the \
                same parameters."]
            #[test]
            fn request_examples_round_trip() {
                #check::Methods(METHODS).request_examples_round_trip();
            }
        }
    });
    let responses = any(|m| !m.spec.examples.responses.is_empty()).then(|| {
        quote! {
            #[doc = " The response examples decode to their results or errors, raw status, code \
                and text kept."]
            #[test]
            fn response_examples_decode() {
                #check::Methods(METHODS).response_examples_decode();
            }
        }
    });
    let rows = any(|m| !m.errors.is_empty()).then(|| {
        quote! {
            /// Every form of every error row (codes in either case) reaches its variant.
            #[test]
            fn error_rows_are_recognised() {
                #check::Methods(METHODS).error_rows_are_recognised();
            }
        }
    });
    let calls = any(can_call).then(|| {
        quote! {
            #[doc = " Each method's first request example, sent by the real client to the mock \
                portal, arrives as sent and gets the spec's success answer."]
            #[::tokio::test]
            async fn calls_succeed_against_the_mock_portal() {
                #check::Methods(METHODS).calls_succeed_against_the_mock_portal().await;
            }
        }
    });
    quote! {
        /// The scope's methods.
        const METHODS: &[#check::MethodChecks] = &[ #( #entries, )* ];

        #requests
        #responses
        #rows
        #calls

        /// An error no row lists is kept whole, extra keys included.
        #[test]
        fn unlisted_errors_are_kept() {
            #check::Methods(METHODS).unlisted_errors_are_kept();
        }
    }
}

/// Whether the mock portal test calls the method: it needs a request to send and a success
/// answer for the portal to give.
fn can_call(method: &Method) -> bool {
    let examples = &method.spec.examples;
    let success = examples
        .responses
        .iter()
        .any(|r| r.error.is_none() && r.system_error.is_none() && (200..300).contains(&r.status));
    !examples.requests.is_empty() && success
}

fn event_tests(scope: &Scope, check: &TokenStream) -> TokenStream {
    if scope.events.is_empty() {
        return TokenStream::new();
    }
    let entries = scope.events.iter().map(|event| {
        let fields = names::ident(&event.fields_type);
        quote!(#check::event::<super::#fields>())
    });
    let payloads = scope
        .events
        .iter()
        .any(|event| !event.spec.examples.is_empty())
        .then(|| {
            quote! {
                #[doc = " The payload examples decode, as JSON and as the form portals really \
                    send, and no credential shows in `Debug`."]
                #[test]
                fn payload_examples_decode() {
                    #check::Events(EVENTS).payload_examples_decode();
                }
            }
        });
    quote! {
        /// The scope's events.
        const EVENTS: &[#check::EventChecks] = &[ #( #entries, )* ];

        #payloads

        /// A payload of another event is refused, not read as one of these.
        #[test]
        fn other_events_are_refused() {
            #check::Events(EVENTS).other_events_are_refused();
        }
    }
}
