//! Fields with their types resolved: an object's or an event's, the values an error row
//! captures, and the open maps that keep keys no field names.

use std::collections::BTreeMap;

use super::types::{TypeRef, parse_type};
use crate::diag::{KeyPath, SpecError};
use crate::load::Source;
use crate::names;
use crate::spec::{FieldSpec, OpenFieldsSpec};

/// A resolved object field or error capture.
#[derive(Debug, Clone)]
pub struct Field {
    /// Key on the wire or placeholder name.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Resolved type.
    pub ty: TypeRef,
    /// The spec as written.
    pub spec: FieldSpec,
}

/// A map of keys the spec does not name (custom `UF_*` fields).
#[derive(Debug, Clone)]
pub struct OpenFields {
    /// Rust field name.
    pub rust: String,
    /// Type of each value.
    pub ty: TypeRef,
    /// What the map holds.
    pub description: String,
}

/// The fields whose types resolve; each one that does not is an error at its `type`.
pub(super) fn resolve_fields<T>(
    source: &Source<T>,
    fields: &[FieldSpec],
    path: &KeyPath,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Vec<Field> {
    let mut resolved = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        match parse_type(&field.ty, definitions) {
            Ok(ty) => resolved.push(Field {
                wire: field.name.clone(),
                rust: names::snake(&field.name),
                ty,
                spec: field.clone(),
            }),
            Err(message) => errors.push(source.error_at(&path.index(i).key("type"), message)),
        }
    }
    resolved
}

/// The open map, if its type resolves (an error at its `type` otherwise).
pub(super) fn resolve_open<T>(
    source: &Source<T>,
    open: &OpenFieldsSpec,
    path: &KeyPath,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Option<OpenFields> {
    match parse_type(&open.ty, definitions) {
        Ok(ty) => Some(OpenFields {
            rust: names::snake(&open.name),
            ty,
            description: open.description.clone(),
        }),
        Err(message) => {
            errors.push(source.error_at(&path.key("type"), message));
            None
        }
    }
}
