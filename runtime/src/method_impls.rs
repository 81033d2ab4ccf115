//! What every generated method repeats, written once as macros (reached through
//! `__private`): `method_error!` implements [`ErrorRows`](crate::ErrorRows),
//! [`MethodError`](crate::MethodError), `Debug`, `PartialEq`, `Display` and `Error` for a
//! method's error enum, told its variants; `call_impls!` gives a method's call type its
//! `request`, `into_call` and `send` and `IntoFuture`.
//!
//! What differs from one method to the next is written out in the generated file: the enum
//! (its variants and their docs), the error table (data), the call type and its setters. The
//! impls only repeat names; written out for each of some 1,660 methods they were most of a
//! simple method's file. As macros they are a few lines of it, and rustc expands them to the
//! same code.

use std::str::FromStr;

/// Implements [`ErrorRows`](crate::ErrorRows), [`MethodError`](crate::MethodError), `Debug`,
/// `PartialEq`, `Display` and `Error` for a method's error enum.
///
/// ```text
/// method_error!(ShareError[WrongPostId, NoPermission; UserNotFound { user_id }], TABLE);
/// method_error!(GetError[]);
/// ```
///
/// The enum's variants that hold only the raw error (`WrongPostId(ErrorMeta)`), then, after a
/// `;`, those with fields captured from the error text (`UserNotFound { user_id, meta }`,
/// fields in the order the table's patterns capture them, parsed with `FromStr`), then the
/// error table (JSON, each row naming its variant). Every enum also has
/// `Unhandled(ErrorMeta)`. A method without rows keeps the trait's empty table.
///
/// `Debug` and `PartialEq` are what the derives give: `WrongPostId(ErrorMeta { .. })`,
/// `UserNotFound { user_id: 42, meta: ErrorMeta { .. } }`, equal when the variant, its fields
/// and its raw error are.
#[doc(hidden)]
#[macro_export]
macro_rules! __method_error {
    // `(a, (b, meta))`: the fields and the raw error of a variant as one value to compare,
    // whatever their number (tuples compare up to 12 elements, pairs nest without limit).
    (@nest $last:expr) => { $last };
    (@nest $head:expr, $($rest:expr),+) => {
        ($head, $crate::__method_error!(@nest $($rest),+))
    };
    (@impls $name:ident [$($plain:ident),*] [$($captured:ident { $($field:ident),+ }),*]) => {
        impl $crate::MethodError for $name {
            fn unhandled(meta: $crate::ErrorMeta) -> Self {
                Self::Unhandled(meta)
            }

            fn parts(&self) -> (&'static ::core::primitive::str, &$crate::ErrorMeta) {
                match self {
                    $(Self::$plain(meta) => (::core::stringify!($plain), meta),)*
                    $(Self::$captured { meta, .. } => (::core::stringify!($captured), meta),)*
                    Self::Unhandled(meta) => ("Unhandled", meta),
                }
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    $(Self::$captured { $($field,)+ meta } => f
                        .debug_struct(::core::stringify!($captured))
                        $(.field($crate::__private::field_label(::core::stringify!($field)), $field))+
                        .field("meta", meta)
                        .finish(),)*
                    _ => {
                        let (variant, meta) = $crate::MethodError::parts(self);
                        f.debug_tuple(variant).field(meta).finish()
                    }
                }
            }
        }

        impl ::core::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> ::core::primitive::bool {
                match self {
                    $(Self::$captured { $($field,)+ meta } => {
                        let left = $crate::__method_error!(@nest $($field,)+ meta);
                        match other {
                            Self::$captured { $($field,)+ meta } => {
                                left == $crate::__method_error!(@nest $($field,)+ meta)
                            }
                            _ => false,
                        }
                    })*
                    // Variants that hold only the raw error: the same name and the same error.
                    _ => $crate::MethodError::parts(self) == $crate::MethodError::parts(other),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let (variant, meta) = $crate::MethodError::parts(self);
                ::core::write!(f, "{}: {}", variant, meta)
            }
        }

        impl ::std::error::Error for $name {}
    };
    ($name:ident []) => {
        impl $crate::ErrorRows for $name {}

        $crate::__method_error!(@impls $name [] []);
    };
    (
        $name:ident [
            $($plain:ident),* $(,)?
            $(; $($captured:ident { $($field:ident),+ $(,)? }),+ $(,)?)?
        ],
        $table:expr $(,)?
    ) => {
        impl $crate::ErrorRows for $name {
            fn error_table() -> &'static ::core::primitive::str {
                $table
            }

            fn from_row(
                variant: &::core::primitive::str,
                fields: &[::std::string::String],
                meta: $crate::ErrorMeta,
            ) -> ::core::result::Result<Self, $crate::ErrorMeta> {
                let _ = fields;
                ::core::result::Result::Ok(match variant {
                    $(::core::stringify!($plain) => Self::$plain(meta),)*
                    $($(::core::stringify!($captured) => {
                        let mut fields = fields.iter();
                        $(
                            let ::core::option::Option::Some($field) =
                                $crate::__private::next_field(&mut fields)
                            else {
                                return ::core::result::Result::Err(meta);
                            };
                        )+
                        Self::$captured { $($field,)+ meta }
                    })+)?
                    _ => return ::core::result::Result::Err(meta),
                })
            }
        }

        $crate::__method_error!(@impls $name [$($plain),*] [$($($captured { $($field),+ }),+)?]);
    };
}

/// The inherent fns every method's call type has (`request`, `into_call`, `send`) and its
/// `IntoFuture`, for a call type `struct Call<'a> { call: Call<'a, Request> }`:
///
/// ```text
/// call_impls!(ShareCall, ShareRequest, ShareError);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __call_impls {
    ($call:ident, $request:ident, $error:ident) => {
        impl<'a> $call<'a> {
            /// The request as it will be sent.
            pub fn request(&self) -> &$request {
                self.call.request()
            }

            /// The runtime's call of the same request, e.g. to change the request with
            /// [`map_request`](b24_rest_runtime::Call::map_request).
            pub fn into_call(self) -> $crate::Call<'a, $request> {
                self.call
            }

            /// Sends the request and decodes the answer (what awaiting the call does).
            pub async fn send(
                self,
            ) -> ::core::result::Result<
                $crate::Response<<$request as $crate::Method>::Output>,
                $crate::Error<$error>,
            > {
                self.call.send().await
            }
        }

        impl<'a> ::core::future::IntoFuture for $call<'a> {
            type Output = <$crate::Call<'a, $request> as ::core::future::IntoFuture>::Output;
            type IntoFuture =
                <$crate::Call<'a, $request> as ::core::future::IntoFuture>::IntoFuture;

            fn into_future(self) -> Self::IntoFuture {
                ::core::future::IntoFuture::into_future(self.call)
            }
        }
    };
}

/// The next field a row's pattern captured, trimmed and parsed as its type; `None` when there
/// is none or it does not parse (then the row does not match, and the next one is tried).
pub fn next_field<T: FromStr>(fields: &mut std::slice::Iter<'_, String>) -> Option<T> {
    fields.next()?.trim().parse().ok()
}

/// A field's name as `Debug` prints it: without the `r#` of a raw identifier.
pub fn field_label(name: &'static str) -> &'static str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use crate::test_method::{Share, ShareError};
    use crate::{ErrorMeta, MethodError};

    /// An enum as the generator writes one: rows without fields, a row with a field named
    /// like the macro's own variables, a row with more fields than a tuple compares.
    #[derive(Clone)]
    #[non_exhaustive]
    enum DemoError {
        Busy(ErrorMeta),
        Quota {
            limit: i64,
            f: String,
            meta: ErrorMeta,
        },
        Many {
            a: u8,
            b: u8,
            c: u8,
            d: u8,
            e: u8,
            g: u8,
            h: u8,
            i: u8,
            j: u8,
            k: u8,
            fields: u8,
            r#type: u8,
            meta: ErrorMeta,
        },
        Unhandled(ErrorMeta),
    }

    crate::__method_error!(
        DemoError[Busy; Quota { limit, f }, Many { a, b, c, d, e, g, h, i, j, k, fields, r#type }],
        r#"[
{"variant":"Quota","forms":[{"codes":["QUOTA"],"pattern":["Quota of "," exceeded for ",""],"fields":[0,1]}]},
{"variant":"Busy","forms":[{"codes":["","BUSY"],"exact":"Busy"},{"codes":["QUOTA"],"contains":"exceeded"}]},
{"variant":"Many","forms":[{"codes":["MANY"],"pattern":["",",",",",",",",",",",",",",",",",",",",",",",""],"fields":[0,1,2,3,4,5,6,7,8,9,10,11]}]}
]"#
    );

    /// Without rows.
    #[derive(Debug, Clone, PartialEq)]
    enum Plain {
        Unhandled(ErrorMeta),
    }

    mod plain {
        crate::__method_error!(Shadowed[]);

        #[derive(Clone)]
        pub(super) enum Shadowed {
            Unhandled(crate::ErrorMeta),
        }
    }

    /// A call type as the generator writes one (in a crate of its own, where its fns are
    /// the crate's API).
    mod call {
        #![allow(unreachable_pub, dead_code)]

        use crate::test_method::{Share, ShareError};

        #[derive(Debug)]
        pub(super) struct ShareCall<'a> {
            pub(super) call: crate::Call<'a, Share>,
        }

        crate::__call_impls!(ShareCall, Share, ShareError);
    }

    use call::ShareCall;

    #[test]
    fn a_call_type_has_its_request_and_awaits_as_the_runtime_call() {
        let client = crate::Client::webhook("https://portal.example/rest/1/code0123/")
            .expect("a webhook client");
        let call = ShareCall {
            call: client.call(Share::new(7, &["UA"])),
        };
        assert_eq!(call.request().post_id, 7);
        let _: crate::Call<'_, Share> = call.into_call();
        fn awaits<
            F: std::future::IntoFuture<
                    Output = Result<crate::Response<bool>, crate::Error<ShareError>>,
                >,
        >(
            _: &F,
        ) {
        }
        awaits(&ShareCall {
            call: client.call(Share::new(8, &[])),
        });
    }

    fn classify(code: &str, text: &str) -> DemoError {
        DemoError::from_meta(ErrorMeta::new(400, code, text))
    }

    #[test]
    fn rows_build_their_variants_with_their_fields() {
        let text = "Quota of 50 exceeded for team blue";
        let quota = classify("QUOTA", text);
        assert_eq!(quota.variant_name(), "Quota");
        assert_eq!(
            format!("{quota:?}"),
            format!(
                "Quota {{ limit: 50, f: \"team blue\", meta: {:?} }}",
                ErrorMeta::new(400, "QUOTA", text)
            )
        );
        assert_eq!(quota.to_string(), format!("Quota: {}", quota.meta()));
        // A field that does not parse: the next row takes it.
        let busy = classify("QUOTA", "Quota of many exceeded for team blue");
        assert_eq!(busy.variant_name(), "Busy");
        assert_eq!(format!("{busy:?}"), format!("Busy({:?})", busy.meta()));
        let many = classify("MANY", "1,2,3,4,5,6,7,8,9,10,11,12");
        assert!(
            format!("{many:?}").contains("fields: 11, type: 12, meta:"),
            "{many:?}"
        );
        assert_eq!(classify("OTHER", "Busy").variant_name(), "Unhandled");
        assert!(std::error::Error::source(&busy).is_none());
    }

    #[test]
    fn equality_is_the_derived_one() {
        let quota = |limit: i64| DemoError::Quota {
            limit,
            f: "x".into(),
            meta: ErrorMeta::new(400, "QUOTA", "t"),
        };
        assert_eq!(quota(1), quota(1));
        assert_ne!(quota(1), quota(2));
        let busy = DemoError::Busy(ErrorMeta::new(400, "QUOTA", "t"));
        assert_ne!(quota(1), busy);
        assert_ne!(busy, quota(1));
        assert_eq!(busy, busy.clone());
        assert_ne!(busy, DemoError::Unhandled(busy.meta().clone()));
        let many = classify("MANY", "1,2,3,4,5,6,7,8,9,10,11,12");
        assert_eq!(many, many.clone());
        assert_ne!(many, classify("MANY", "1,2,3,4,5,6,7,8,9,10,11,13"));
    }

    #[test]
    fn an_enum_without_rows_is_unhandled_only() {
        let meta = ErrorMeta::new(400, "X", "y");
        let error = plain::Shadowed::from_meta(meta.clone());
        assert_eq!(error.parts(), ("Unhandled", &meta));
        assert_eq!(error, plain::Shadowed::Unhandled(meta.clone()));
        assert_eq!(
            format!("{error:?}"),
            format!("{:?}", Plain::Unhandled(meta))
        );
    }
}
