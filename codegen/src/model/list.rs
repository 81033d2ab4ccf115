//! A list method's query: the parameters that take the typed query types, the shape the
//! reader of whole lists needs, and the fields a query may name with their resolved types.

use std::collections::BTreeMap;

use super::types::{TypeRef, parse_type};
use crate::diag::{KeyPath, SpecError};
use crate::load::Source;
use crate::names;
use crate::spec::{FilterOp, ListSpec, MethodSpec};

/// Which part of a query a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryPart {
    /// The filter (`crate::list::Filter`).
    Filter,
    /// The order (`crate::list::Order`).
    Order,
    /// The select (`crate::list::Select`).
    Select,
}

/// A resolved `list:` block.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// The block as written.
    pub spec: ListSpec,
    /// The fields a query may name, in the spec's order, each with its value type.
    pub fields: Vec<QueryField>,
    /// The typed filter builder (`ItemListFilter`), when some field is filterable.
    pub filter_type: Option<String>,
    /// The typed order builder (`ItemListOrder`), when some field is orderable.
    pub order_type: Option<String>,
    /// The typed select builder (`ItemListSelect`), when some field is selectable.
    pub select_type: Option<String>,
}

impl ListQuery {
    /// The typed builders' names, in the order filter, order, select.
    pub fn types(&self) -> impl Iterator<Item = &String> {
        self.filter_type
            .iter()
            .chain(&self.order_type)
            .chain(&self.select_type)
    }
}

/// A field a query may name.
#[derive(Debug, Clone)]
pub struct QueryField {
    /// The key as the wire spells it (`DATE_CREATE`).
    pub wire: String,
    /// Its Rust name without `r#` (`date_create`), the stem of its builder methods.
    pub rust: String,
    /// The type of its values.
    pub ty: TypeRef,
    /// What it holds, if the spec says.
    pub description: Option<String>,
    /// Its filter operators, in the spec's order.
    pub filter: Vec<FilterOp>,
    /// Whether the list orders by it.
    pub order: bool,
    /// Whether it can be selected.
    pub select: bool,
}

/// The query of a method with a `list:` block, its field types resolved (each that does not,
/// or is not a plain value, is an error at its `type`).
pub(super) fn resolve_list(
    source: &Source<MethodSpec>,
    prefix: &str,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Option<ListQuery> {
    let spec = source.spec.list.as_ref()?;
    let mut fields = Vec::new();
    for (i, field) in spec.fields.iter().enumerate() {
        let path = KeyPath::root()
            .key("list")
            .key("fields")
            .index(i)
            .key("type");
        match parse_type(&field.ty, definitions) {
            Ok(
                ty @ (TypeRef::Integer
                | TypeRef::Double
                | TypeRef::Decimal
                | TypeRef::String
                | TypeRef::Boolean
                | TypeRef::Id
                | TypeRef::Date
                | TypeRef::DateTime
                | TypeRef::Enum(_)
                | TypeRef::Grammar(_)),
            ) => fields.push(QueryField {
                wire: field.name.clone(),
                rust: names::snake(&field.name)
                    .trim_start_matches("r#")
                    .to_owned(),
                ty,
                description: field.description.clone(),
                filter: field.filter.clone(),
                order: field.order,
                select: field.select,
            }),
            Ok(other) => {
                let message = format!(
                    "a query field takes one plain value (`integer`, `double`, `string`, \
                     `boolean`, `id`, `date`, `datetime`, an enum or a grammar), not `{other}`"
                );
                errors.push(source.error_at(&path, message));
            }
            Err(message) => errors.push(source.error_at(&path, message)),
        }
    }
    let named = |used: bool, suffix: &str| used.then(|| format!("{prefix}{suffix}"));
    Some(ListQuery {
        filter_type: named(fields.iter().any(|f| !f.filter.is_empty()), "Filter"),
        order_type: named(fields.iter().any(|f| f.order), "Order"),
        select_type: named(fields.iter().any(|f| f.select), "Select"),
        spec: spec.clone(),
        fields,
    })
}

/// The part of the query the parameter `wire` takes, if any.
pub(super) fn query_part(spec: &MethodSpec, wire: &str) -> Option<QueryPart> {
    let list = spec.list.as_ref()?;
    let is = |name: &Option<String>| name.as_deref() == Some(wire);
    if is(&list.filter) {
        Some(QueryPart::Filter)
    } else if is(&list.order) {
        Some(QueryPart::Order)
    } else if is(&list.select) {
        Some(QueryPart::Select)
    } else {
        None
    }
}
