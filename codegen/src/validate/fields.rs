//! What objects, events and error rows declare alike: fields (wire names, Rust names,
//! aliases), an open map of the keys no field names, and `obtain_from` method names.

use std::collections::BTreeMap;

use super::is_method_name;
use super::report::Report;
use crate::diag::KeyPath;
use crate::names;
use crate::spec::{FieldSpec, OpenFieldsSpec};

/// Field names well formed and unique, on the wire (aliases included) and as Rust names.
pub(super) fn check_fields(
    report: &mut Report<'_, impl Sized>,
    fields: &[FieldSpec],
    path: &KeyPath,
) {
    let mut seen = BTreeMap::new();
    let mut rust_seen = BTreeMap::new();
    for (i, field) in fields.iter().enumerate() {
        let field_path = path.index(i);
        if !check_field_name(report, field, &field_path, &mut seen, &mut rust_seen) {
            continue;
        }
        report.non_empty(&field.description, &field_path.key("description"));
        check_aliases(report, field, &field_path, &mut seen);
    }
}

/// The field's wire name and its Rust name; returns whether the field is worth checking
/// further (a malformed or repeated name says enough).
fn check_field_name(
    report: &mut Report<'_, impl Sized>,
    field: &FieldSpec,
    field_path: &KeyPath,
    seen: &mut BTreeMap<String, KeyPath>,
    rust_seen: &mut BTreeMap<String, KeyPath>,
) -> bool {
    if !names::is_wire_key(&field.name) {
        report.fault(
            &field_path.key("name"),
            format!(
                "`{}` is not a field name: letters, digits and `_`, starting with a letter",
                field.name
            ),
        );
        return false;
    }
    if !report.unique(seen, &field.name, field_path.key("name"), "field") {
        return false;
    }
    let rust = names::snake(&field.name);
    if let Some(first) = rust_seen.get(&rust) {
        let message = format!(
            "field `{}` becomes the Rust name `{rust}`, like the field at {first}",
            field.name
        );
        report.fault(&field_path.key("name"), message);
    } else {
        rust_seen.insert(rust, field_path.key("name"));
    }
    true
}

/// Aliases are wire names too, unique among the fields and the other aliases.
fn check_aliases(
    report: &mut Report<'_, impl Sized>,
    field: &FieldSpec,
    field_path: &KeyPath,
    seen: &mut BTreeMap<String, KeyPath>,
) {
    for (j, alias) in field.aliases.iter().enumerate() {
        let path = field_path.key("aliases").index(j);
        if !names::is_wire_key(alias) {
            report.fault(&path, format!("`{alias}` is not a field name"));
        } else {
            report.unique(seen, alias, path, "field or alias");
        }
    }
}

/// The name of an open map must be a Rust field name that no named field already takes.
pub(super) fn open_fields(
    report: &mut Report<'_, impl Sized>,
    open: &OpenFieldsSpec,
    path: &KeyPath,
    taken: &BTreeMap<String, KeyPath>,
) {
    let rust = names::snake(&open.name);
    if !names::is_valid_ident(&rust) || rust != open.name {
        report.fault(
            &path.key("name"),
            format!("`{}` must be a snake_case Rust field name", open.name),
        );
    } else if let Some(first) = taken.get(&rust) {
        let message = format!("`{rust}` is already the Rust name of {first}");
        report.fault(&path.key("name"), message);
    }
    report.non_empty(&open.description, &path.key("description"));
}

/// Each entry of an `obtain_from` list is a method name.
pub(super) fn obtain_from(report: &mut Report<'_, impl Sized>, methods: &[String], path: &KeyPath) {
    for (i, method) in methods.iter().enumerate() {
        if !is_method_name(method) {
            report.fault(&path.index(i), format!("`{method}` is not a method name"));
        }
    }
}
