//! A list method's `list:` block: its `ListMethod` impl (how the reader of whole lists spells
//! filter, order, select and the id), and, where the spec lists the fields, typed builders of
//! its filter, order and select: a method per field and operator, each taking the field's
//! value type, converting into the crate's `list::Filter`, `list::Order` and `list::Select`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{self, code};
use crate::emit::{paths, types};
use crate::model::{ListQuery, Method, Param, QueryField, QueryPart, TypeRef};
use crate::names;
use crate::spec::FilterOp;

/// The Rust type a query parameter takes (`crate::api::list::Filter`), or `None` for any
/// other parameter.
pub(in crate::emit) fn query_type(param: &Param) -> Option<TokenStream> {
    Some(paths::list_query(match param.query? {
        QueryPart::Filter => "Filter",
        QueryPart::Order => "Order",
        QueryPart::Select => "Select",
    }))
}

/// `ListMethod` and the typed builders, for a method with a `list:` block.
pub(super) fn list_items(method: &Method) -> Option<TokenStream> {
    let list = method.list.as_ref()?;
    let shape = list_impl(method, list);
    let filter = filter_builder(method, list);
    let order = order_builder(method, list);
    let select = select_builder(method, list);
    let call = names::ident(&method.call_type);
    let request = names::ident(&method.request_type);
    let read_all_doc = docs::outer(
        "Every record the request matches, as a stream (`.next().await`, or \
         `futures::Stream`), read the fastest way the method allows and never a record missed \
         or repeated: see [`Client::read_all`](b24_rest_runtime::Client::read_all). \
         [`.limit(n)`](crate::ReadAll::limit) stops after `n` records.",
    );
    Some(quote! {
        impl<'a> #call<'a> {
            #read_all_doc
            pub fn read_all(self) -> ::b24_rest_runtime::ReadAll<'a, #request> {
                self.call.read_all()
            }
        }

        #shape
        #filter
        #order
        #select
    })
}

fn list_impl(method: &Method, list: &ListQuery) -> TokenStream {
    let name = names::ident(&method.request_type);
    let spec = &list.spec;
    let mut shape = quote!(::b24_rest_runtime::ListShape::new());
    for (setter, value) in [
        ("filter", &spec.filter),
        ("order", &spec.order),
        ("select", &spec.select),
        ("id", &spec.id),
        ("id_window", &spec.id_window),
    ] {
        if let Some(value) = value {
            let setter = names::ident(setter);
            shape = quote!(#shape.#setter(#value));
        }
    }
    // Where the records are: as the `list:` block says, else where `page_records` says.
    let page_records = method
        .pager
        .as_ref()
        .and_then(|pager| pager.records.as_ref());
    let items = match (spec.items.is_empty(), page_records) {
        (false, _) => spec.items.clone(),
        (true, Some(records)) => vec![records.wire.clone()],
        (true, None) => Vec::new(),
    };
    if !items.is_empty() {
        shape = quote!(#shape.items(&[ #( #items ),* ]));
    }
    if spec.start_minus_one {
        shape = quote!(#shape.start_minus_one(true));
    }
    if let Some(size) = spec.page_size {
        shape = quote!(#shape.page_size(#size));
    }
    quote! {
        impl ::b24_rest_runtime::ListMethod for #name {
            const SHAPE: ::b24_rest_runtime::ListShape = #shape;
        }
    }
}

/// The argument type of a field's value and the expression that converts it.
fn value_argument(ty: &TypeRef) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String => (paths::into(paths::string()), quote!(value.into())),
        TypeRef::Integer => (paths::into(quote!(i64)), quote!(value.into())),
        other => (types::rust(other), quote!(value)),
    }
}

/// What a filter operator's method is called after the field (`id_gt`) and what it means.
fn op_words(op: FilterOp) -> (&'static str, &'static str) {
    match op {
        FilterOp::Eq => ("eq", "equals `value`"),
        FilterOp::Ne => ("ne", "differs from `value`"),
        FilterOp::Gt => ("gt", "is greater than `value`"),
        FilterOp::Ge => ("ge", "is at least `value`"),
        FilterOp::Lt => ("lt", "is less than `value`"),
        FilterOp::Le => ("le", "is at most `value`"),
        FilterOp::Contains => ("contains", "contains the text `value`"),
        FilterOp::Like => (
            "eq_like",
            "matches the `LIKE` pattern `value` (`%` any text)",
        ),
        FilterOp::LikeEnd => (
            "like_eq",
            "matches the `LIKE` pattern `value` (`%` any text; the page's `%=`)",
        ),
        FilterOp::In => ("in", "is one of `values`"),
        FilterOp::NotIn => ("not_in", "is none of `values`"),
    }
}

fn field_note(field: &QueryField) -> String {
    field
        .description
        .as_deref()
        .map(|text| format!(" {}", text.trim()))
        .unwrap_or_default()
}

fn filter_builder(method: &Method, list: &ListQuery) -> Option<TokenStream> {
    let name = names::ident(list.filter_type.as_ref()?);
    let wire = &method.spec.method;
    let mut methods = Vec::new();
    for field in &list.fields {
        for &op in &field.filter {
            let (suffix, meaning) = op_words(op);
            let ident = names::ident(&format!("{}_{suffix}", field.rust));
            let key = format!("{}{}", op.prefix(), field.wire);
            let doc = docs::outer(&format!(
                "{}: records whose {} {meaning}.{}",
                code(&key),
                code(&field.wire),
                field_note(field)
            ));
            let (ty, value) = value_argument(&field.ty);
            let body = if op.takes_list() {
                let item = match &field.ty {
                    TypeRef::String => paths::string(),
                    TypeRef::Integer => quote!(i64),
                    other => types::rust(other),
                };
                let list = paths::vec(item.clone());
                quote! {
                    pub fn #ident<V: ::core::convert::Into<#item>>(self, values: impl ::core::iter::IntoIterator<Item = V>) -> Self {
                        let values: #list = values.into_iter().map(::core::convert::Into::into).collect();
                        Self(self.0.raw(#key, values))
                    }
                }
            } else {
                quote! {
                    pub fn #ident(self, value: #ty) -> Self {
                        Self(self.0.raw(#key, #value))
                    }
                }
            };
            methods.push(quote! {
                #doc
                #[must_use]
                #body
            });
        }
    }
    let filter = paths::list_query("Filter");
    let any_of = list.spec.logic.as_ref().map(|logic| {
        let doc = docs::outer(&format!(
            "Adds a group that matches when any of `groups` does: `{{\"{logic}\": \"OR\", \"0\": {{…}}, \"1\": {{…}}}}` under the next index key."
        ));
        quote! {
            #doc
            #[must_use]
            pub fn any_of(self, groups: impl ::core::iter::IntoIterator<Item = Self>) -> Self {
                Self(self.0.any_of_with(#logic, groups.into_iter().map(|group| group.0)))
            }
        }
    });
    let doc = docs::outer(&format!(
        "The filter of {}, by field: each method adds a condition, in the order called; \
         [`raw`](Self::raw) adds any other key, such as a custom `UF_*` field.",
        code(wire)
    ));
    Some(quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::default::Default)]
        pub struct #name(#filter);

        impl #name {
            /// An empty filter: every record.
            pub fn new() -> Self {
                Self::default()
            }

            #( #methods )*

            /// Adds `key` (its operator prefix included: `>=UF_CRM_1`) with `value`, as
            /// written: a field this type has no method for.
            #[must_use]
            pub fn raw(self, key: impl ::core::convert::Into<::std::string::String>, value: impl ::serde::Serialize) -> Self {
                Self(self.0.raw(key, value))
            }

            #any_of
        }

        impl ::core::convert::From<#name> for #filter {
            fn from(filter: #name) -> Self {
                filter.0
            }
        }
    })
}

fn order_builder(method: &Method, list: &ListQuery) -> Option<TokenStream> {
    let name = names::ident(list.order_type.as_ref()?);
    let wire = &method.spec.method;
    let methods = list.fields.iter().filter(|f| f.order).map(|field| {
        let key = &field.wire;
        let asc = names::ident(&format!("{}_asc", field.rust));
        let desc = names::ident(&format!("{}_desc", field.rust));
        let asc_doc = docs::outer(&format!(
            "Sorts by {} ascending, after the keys before it.",
            code(key)
        ));
        let desc_doc = docs::outer(&format!(
            "Sorts by {} descending, after the keys before it.",
            code(key)
        ));
        quote! {
            #asc_doc
            #[must_use]
            pub fn #asc(self) -> Self {
                Self(self.0.asc(#key))
            }

            #desc_doc
            #[must_use]
            pub fn #desc(self) -> Self {
                Self(self.0.desc(#key))
            }
        }
    });
    let order = paths::list_query("Order");
    let doc = docs::outer(&format!(
        "The order of {}, by field: the first key called sorts first; \
         [`asc`](Self::asc) and [`desc`](Self::desc) take any other key by name.",
        code(wire)
    ));
    Some(quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::default::Default)]
        pub struct #name(#order);

        impl #name {
            /// No order: the method's own.
            pub fn new() -> Self {
                Self::default()
            }

            #( #methods )*

            /// Sorts by `key` ascending: a field this type has no method for.
            #[must_use]
            pub fn asc(self, key: impl ::core::convert::Into<::std::string::String>) -> Self {
                Self(self.0.asc(key))
            }

            /// Sorts by `key` descending: a field this type has no method for.
            #[must_use]
            pub fn desc(self, key: impl ::core::convert::Into<::std::string::String>) -> Self {
                Self(self.0.desc(key))
            }
        }

        impl ::core::convert::From<#name> for #order {
            fn from(order: #name) -> Self {
                order.0
            }
        }
    })
}

fn select_builder(method: &Method, list: &ListQuery) -> Option<TokenStream> {
    let name = names::ident(list.select_type.as_ref()?);
    let wire = &method.spec.method;
    let methods = list.fields.iter().filter(|f| f.select).map(|field| {
        let key = &field.wire;
        let ident = names::ident(&names::snake(key));
        let doc = docs::outer(&format!("Selects {}.{}", code(key), field_note(field)));
        quote! {
            #doc
            #[must_use]
            pub fn #ident(self) -> Self {
                Self(self.0.raw(#key))
            }
        }
    });
    let select = paths::list_query("Select");
    let doc = docs::outer(&format!(
        "The select of {}, by field, in the order called; [`raw`](Self::raw) adds any other \
         field by name (`UF_*`, a custom field).",
        code(wire)
    ));
    Some(quote! {
        #doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::default::Default)]
        pub struct #name(#select);

        impl #name {
            /// No field named: the method's default set.
            pub fn new() -> Self {
                Self::default()
            }

            #( #methods )*

            /// Adds the field `name` as written: one this type has no method for.
            #[must_use]
            pub fn raw(self, name: impl ::core::convert::Into<::std::string::String>) -> Self {
                Self(self.0.raw(name))
            }

            /// Adds `*`: every standard field.
            #[must_use]
            pub fn all(self) -> Self {
                Self(self.0.all())
            }
        }

        impl ::core::convert::From<#name> for #select {
            fn from(select: #name) -> Self {
                select.0
            }
        }
    })
}
