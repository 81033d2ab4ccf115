//! `api/list.rs`: the query types of list methods, the same for every method: [`Filter`],
//! [`Order`] and [`Select`] keep their keys in the order they were added (`serde_json`'s map
//! would sort them, and the order of `order` keys is the sort's), serialise to exactly the JSON
//! a page shows, and take any key by name (custom `UF_*` fields). A method whose spec lists its
//! fields gets typed builders on top of them (`emit::method::list`).

use quote::quote;

use super::docs;
use super::{API_DIR, render};
use crate::GeneratedFile;

/// `api/list.rs`.
pub(super) fn file() -> GeneratedFile {
    let doc = docs::inner(
        "Query types of list methods: the filter, the order and the select, each keeping its \
         keys in the order they were added and sent as written. Methods whose spec lists their \
         fields have typed builders that convert into these (`…Filter`, `…Order`, `…Select`); \
         these take any key by name, such as a custom `UF_*` field.",
    );
    let filter = filter();
    let order = order();
    let select = select();
    let tokens = quote! {
        #doc
        #filter
        #order
        #select
    };
    render(format!("{API_DIR}/list.rs"), "spec/", tokens)
}

fn filter() -> proc_macro2::TokenStream {
    let de = quote!(#[cfg(any(test, feature = "deserialize-requests"))]);
    quote! {
        /// A list method's filter: keys with their operator prefix (`>=DATE_CREATE`, `!ID`,
        /// `@STAGE_ID`), each with its value, sent in the order they were added.
        ///
        /// ```rust
        /// let filter = b24_rest::list::Filter::new()
        ///     .raw(">=ID", 10)
        ///     .raw("UF_CRM_COLOR", "red");
        /// assert_eq!(
        ///     serde_json::to_string(&filter).unwrap(),
        ///     r#"{">=ID":10,"UF_CRM_COLOR":"red"}"#
        /// );
        /// ```
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::default::Default)]
        pub struct Filter {
            entries: ::std::vec::Vec<(::std::string::String, FilterValue)>,
        }

        /// A filter's value: JSON, or a nested group.
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        enum FilterValue {
            Value(::serde_json::Value),
            Group(Filter),
        }

        impl Filter {
            /// An empty filter: every record.
            pub fn new() -> Self {
                Self::default()
            }

            /// Adds `key` (its operator prefix included: `>=DATE_CREATE`, `UF_CRM_1`) with
            /// `value`, as written.
            #[must_use]
            pub fn raw(mut self, key: impl ::core::convert::Into<::std::string::String>, value: impl ::serde::Serialize) -> Self {
                // Serialising plain values (numbers, text, dates, lists of them) cannot fail.
                let value = ::b24_rest_runtime::__private::json_value(value);
                self.entries.push((key.into(), FilterValue::Value(value)));
                self
            }

            /// Adds a group matched when any of `groups` matches: under the next index key
            /// (`"0"`, `"1"`, …), `{logic: "OR", "0": {…}, "1": {…}}`, with the logic key as
            /// the method spells it (`LOGIC`, `logic`).
            #[must_use]
            pub fn any_of_with(mut self, logic: &str, groups: impl ::core::iter::IntoIterator<Item = Filter>) -> Self {
                let mut group = Filter::new().raw(logic, "OR");
                for (index, filter) in groups.into_iter().enumerate() {
                    group.entries.push((index.to_string(), FilterValue::Group(filter)));
                }
                let index = self
                    .entries
                    .iter()
                    .filter(|(key, _)| key.bytes().all(|b| b.is_ascii_digit()))
                    .count();
                self.entries.push((index.to_string(), FilterValue::Group(group)));
                self
            }

            /// Whether the filter has no condition.
            pub fn is_empty(&self) -> bool {
                self.entries.is_empty()
            }

            /// The keys, in order.
            pub fn keys(&self) -> impl ::core::iter::Iterator<Item = &str> {
                self.entries.iter().map(|(key, _)| key.as_str())
            }
        }

        /// A JSON object's keys and values, as they come (a `serde_json` map has sorted them).
        impl ::core::convert::From<::serde_json::Value> for Filter {
            fn from(value: ::serde_json::Value) -> Self {
                let mut filter = Filter::new();
                if let ::serde_json::Value::Object(map) = value {
                    for (key, value) in map {
                        let value = match value {
                            object @ ::serde_json::Value::Object(_) => FilterValue::Group(Filter::from(object)),
                            other => FilterValue::Value(other),
                        };
                        filter.entries.push((key, value));
                    }
                }
                filter
            }
        }

        impl ::serde::Serialize for Filter {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::core::option::Option::Some(self.entries.len()))?;
                for (key, value) in &self.entries {
                    match value {
                        FilterValue::Value(value) => map.serialize_entry(key, value)?,
                        FilterValue::Group(group) => map.serialize_entry(key, group)?,
                    }
                }
                map.end()
            }
        }

        #de
        impl<'de> ::serde::Deserialize<'de> for Filter {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                deserializer.deserialize_map(FilterVisitor)
            }
        }

        #de
        struct FilterVisitor;

        #de
        impl<'de> ::serde::de::Visitor<'de> for FilterVisitor {
            type Value = Filter;

            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str("a filter object")
            }

            fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut access: A) -> ::core::result::Result<Filter, A::Error> {
                let mut filter = Filter::new();
                while let ::core::option::Option::Some(key) = access.next_key::<::std::string::String>()? {
                    let value = access.next_value::<FilterEntry>()?;
                    filter.entries.push((key, value.0));
                }
                ::core::result::Result::Ok(filter)
            }
        }

        /// A filter's value as read: an object is a group (its keys kept in order), anything
        /// else JSON.
        #de
        struct FilterEntry(FilterValue);

        #de
        impl<'de> ::serde::Deserialize<'de> for FilterEntry {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                deserializer.deserialize_any(FilterEntryVisitor)
            }
        }

        #de
        struct FilterEntryVisitor;

        #de
        impl<'de> ::serde::de::Visitor<'de> for FilterEntryVisitor {
            type Value = FilterEntry;

            fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str("a filter value")
            }

            fn visit_map<A: ::serde::de::MapAccess<'de>>(self, access: A) -> ::core::result::Result<FilterEntry, A::Error> {
                FilterVisitor.visit_map(access).map(|group| FilterEntry(FilterValue::Group(group)))
            }

            fn visit_seq<A: ::serde::de::SeqAccess<'de>>(self, mut access: A) -> ::core::result::Result<FilterEntry, A::Error> {
                let mut items = ::std::vec::Vec::new();
                while let ::core::option::Option::Some(item) = access.next_element::<::serde_json::Value>()? {
                    items.push(item);
                }
                ::core::result::Result::Ok(FilterEntry(FilterValue::Value(::serde_json::Value::Array(items))))
            }

            fn visit_bool<E: ::serde::de::Error>(self, value: bool) -> ::core::result::Result<FilterEntry, E> {
                ::core::result::Result::Ok(FilterEntry(FilterValue::Value(value.into())))
            }

            fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::core::result::Result<FilterEntry, E> {
                ::core::result::Result::Ok(FilterEntry(FilterValue::Value(value.into())))
            }

            fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::core::result::Result<FilterEntry, E> {
                ::core::result::Result::Ok(FilterEntry(FilterValue::Value(value.into())))
            }

            fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::core::result::Result<FilterEntry, E> {
                ::core::result::Result::Ok(FilterEntry(FilterValue::Value(value.into())))
            }

            fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::core::result::Result<FilterEntry, E> {
                ::core::result::Result::Ok(FilterEntry(FilterValue::Value(value.into())))
            }

            fn visit_unit<E: ::serde::de::Error>(self) -> ::core::result::Result<FilterEntry, E> {
                ::core::result::Result::Ok(FilterEntry(FilterValue::Value(::serde_json::Value::Null)))
            }

            fn visit_none<E: ::serde::de::Error>(self) -> ::core::result::Result<FilterEntry, E> {
                self.visit_unit()
            }
        }
    }
}

fn order() -> proc_macro2::TokenStream {
    let de = quote!(#[cfg_attr(any(test, feature = "deserialize-requests"), derive(::serde::Deserialize), serde(from = "OrderEntries"))]);
    quote! {
        /// A list method's order: field keys with `ASC` or `DESC`, the first key sorting
        /// first, sent in the order they were added.
        ///
        /// ```rust
        /// let order = b24_rest::list::Order::new().desc("DATE_CREATE").asc("ID");
        /// assert_eq!(
        ///     serde_json::to_string(&order).unwrap(),
        ///     r#"{"DATE_CREATE":"DESC","ID":"ASC"}"#
        /// );
        /// ```
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::default::Default)]
        #de
        pub struct Order {
            entries: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
        }

        impl Order {
            /// No order: the method's own.
            pub fn new() -> Self {
                Self::default()
            }

            /// Sorts by `key` ascending, after the keys before it.
            #[must_use]
            pub fn asc(self, key: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.by(key, "ASC")
            }

            /// Sorts by `key` descending, after the keys before it.
            #[must_use]
            pub fn desc(self, key: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.by(key, "DESC")
            }

            /// Sorts by `key` in `direction` as written (`ASC`, `desc`).
            #[must_use]
            pub fn by(mut self, key: impl ::core::convert::Into<::std::string::String>, direction: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.entries.push((key.into(), direction.into()));
                self
            }

            /// Whether no key is given.
            pub fn is_empty(&self) -> bool {
                self.entries.is_empty()
            }
        }

        /// A JSON object's keys and directions (a `serde_json` map has sorted the keys).
        impl ::core::convert::From<::serde_json::Value> for Order {
            fn from(value: ::serde_json::Value) -> Self {
                let mut order = Order::new();
                if let ::serde_json::Value::Object(map) = value {
                    for (key, direction) in map {
                        let direction = direction.as_str().unwrap_or("ASC").to_owned();
                        order.entries.push((key, direction));
                    }
                }
                order
            }
        }

        impl ::serde::Serialize for Order {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.collect_map(self.entries.iter().map(|(key, direction)| (key, direction)))
            }
        }

        /// An order as read, its keys in order.
        #[cfg(any(test, feature = "deserialize-requests"))]
        struct OrderEntries(::std::vec::Vec<(::std::string::String, ::std::string::String)>);

        #[cfg(any(test, feature = "deserialize-requests"))]
        impl ::core::convert::From<OrderEntries> for Order {
            fn from(entries: OrderEntries) -> Self {
                Order { entries: entries.0 }
            }
        }

        #[cfg(any(test, feature = "deserialize-requests"))]
        impl<'de> ::serde::Deserialize<'de> for OrderEntries {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct Entries;
                impl<'de> ::serde::de::Visitor<'de> for Entries {
                    type Value = OrderEntries;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str("an order object")
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut access: A) -> ::core::result::Result<OrderEntries, A::Error> {
                        let mut entries = ::std::vec::Vec::new();
                        while let ::core::option::Option::Some(entry) = access.next_entry()? {
                            entries.push(entry);
                        }
                        ::core::result::Result::Ok(OrderEntries(entries))
                    }
                }
                deserializer.deserialize_map(Entries)
            }
        }
    }
}

fn select() -> proc_macro2::TokenStream {
    let de = quote!(#[cfg_attr(any(test, feature = "deserialize-requests"), derive(::serde::Deserialize))]);
    quote! {
        /// A list method's select: the fields each record should carry, in the order added.
        ///
        /// ```rust
        /// let select = b24_rest::list::Select::new().raw("ID").raw("UF_*");
        /// assert_eq!(serde_json::to_string(&select).unwrap(), r#"["ID","UF_*"]"#);
        /// ```
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::default::Default, ::serde::Serialize)]
        #de
        #[serde(transparent)]
        pub struct Select {
            fields: ::std::vec::Vec<::std::string::String>,
        }

        impl Select {
            /// No field named: the method's default set.
            pub fn new() -> Self {
                Self::default()
            }

            /// Adds the field `name` as written (`UF_CRM_1`, `ufCrm5_1`, `UF_*`).
            #[must_use]
            pub fn raw(mut self, name: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.fields.push(name.into());
                self
            }

            /// Adds `*`: every standard field.
            #[must_use]
            pub fn all(self) -> Self {
                self.raw("*")
            }

            /// The fields, in order.
            pub fn fields(&self) -> &[::std::string::String] {
                &self.fields
            }
        }

        /// A JSON list of field names (anything else: none).
        impl ::core::convert::From<::serde_json::Value> for Select {
            fn from(value: ::serde_json::Value) -> Self {
                let fields = value
                    .as_array()
                    .map(|items| items.iter().filter_map(|item| item.as_str().map(::std::borrow::ToOwned::to_owned)).collect())
                    .unwrap_or_default();
                Select { fields }
            }
        }
    }
}
