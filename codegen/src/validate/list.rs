//! A list method's `list:` block: the parameters it names exist (as `any`, which the typed
//! query types replace), the id window has what it needs, and the fields a query may name are
//! well formed, unique (on the wire and as Rust names) and use only the parts the method has.

use std::collections::BTreeMap;

use super::report::Report;
use crate::diag::{KeyPath, did_you_mean};
use crate::names;
use crate::spec::{ListSpec, MethodSpec, PagingSpec};

/// Names a query type already has: a field's select method may not take them.
const QUERY_METHODS_TAKEN: &[&str] = &["all", "any_of", "asc", "desc", "into_inner", "new", "raw"];

/// Every check of the `list:` block, if the method has one.
pub(super) fn check_list(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    let Some(list) = &spec.list else {
        return;
    };
    let path = KeyPath::root().key("list");
    if spec.paging != Some(PagingSpec::Start) {
        report.fault(
            &path,
            "a `list:` block needs `paging: start`: the reader of whole lists pages with `start`",
        );
    }
    for (key, name) in [
        ("filter", &list.filter),
        ("order", &list.order),
        ("select", &list.select),
    ] {
        if let Some(name) = name {
            check_param(spec, report, name, &path.key(key));
        }
    }
    for (i, key) in list.items.iter().enumerate() {
        report.non_empty(key, &path.key("items").index(i));
    }
    if let Some(id) = &list.id {
        report.non_empty(id, &path.key("id"));
    }
    check_id_window(list, report, &path);
    if list.page_size == Some(0) {
        report.fault(&path.key("page_size"), "a page holds at least one record");
    }
    if list.logic.is_some() && list.filter.is_none() {
        report.fault(&path.key("logic"), "`logic` groups need `filter`");
    }
    check_fields(list, report, &path.key("fields"));
}

/// `name` is a parameter of the method, of type `any` (its Rust type is the query type).
fn check_param(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>, name: &str, path: &KeyPath) {
    match spec.params.iter().find(|p| p.name == name) {
        None => {
            let known = spec.params.iter().map(|p| p.name.as_str());
            let message = format!(
                "the method has no parameter `{name}`{}",
                did_you_mean(name, known)
            );
            report.fault(path, message);
        }
        Some(param) if param.ty.trim() != "any" => {
            let message = format!(
                "the parameter `{name}` must have type `any` (it has `{}`): the generated \
                 request takes the typed query for it",
                param.ty
            );
            report.fault(path, message);
        }
        Some(param) if param.required => {
            let message = format!("the parameter `{name}` must be optional: a query may be empty");
            report.fault(path, message);
        }
        Some(_) => {}
    }
}

/// Id windows filter and order by the id: both parameters and the id itself are needed, and a
/// field list must allow `>` and ordering on it.
fn check_id_window(list: &ListSpec, report: &mut Report<'_, MethodSpec>, path: &KeyPath) {
    let Some(field) = &list.id_window else {
        return;
    };
    let at = path.key("id_window");
    if list.filter.is_none() || list.order.is_none() || list.id.is_none() {
        report.fault(&at, "`id_window` needs `id`, `filter` and `order`");
    }
    if list.fields.is_empty() {
        return;
    }
    match list.fields.iter().find(|f| &f.name == field) {
        None => {
            let known = list.fields.iter().map(|f| f.name.as_str());
            let message = format!("no field is named `{field}`{}", did_you_mean(field, known));
            report.fault(&at, message);
        }
        Some(spec) if !spec.order || !spec.filter.contains(&crate::spec::FilterOp::Gt) => {
            let message = format!("the id field `{field}` must allow ordering and the filter `>`");
            report.fault(&at, message);
        }
        Some(_) => {}
    }
}

/// Field names unique on the wire and in Rust, operators unique, and each part a field uses
/// (filter, order, select) named by the block.
fn check_fields(list: &ListSpec, report: &mut Report<'_, MethodSpec>, path: &KeyPath) {
    let mut wire_seen = BTreeMap::new();
    let mut rust_seen = BTreeMap::new();
    for (i, field) in list.fields.iter().enumerate() {
        let at = path.index(i);
        if !names::is_wire_key(&field.name) {
            let message = format!(
                "`{}` is not a field key: letters, digits and `_`, starting with a letter",
                field.name
            );
            report.fault(&at.key("name"), message);
            continue;
        }
        if !report.unique(&mut wire_seen, &field.name, at.key("name"), "field") {
            continue;
        }
        let rust = names::snake(&field.name);
        let bare = rust.trim_start_matches("r#").to_owned();
        if let Some(first) = rust_seen.get(&bare) {
            let message = format!(
                "field `{}` becomes the Rust name `{bare}`, like the field at {first}",
                field.name
            );
            report.fault(&at.key("name"), message);
        } else if field.select && QUERY_METHODS_TAKEN.contains(&bare.as_str()) {
            let message = format!(
                "the field `{}` would get the select method `{bare}()`, which the select type \
                 already has ({})",
                field.name,
                QUERY_METHODS_TAKEN.join(", ")
            );
            report.fault(&at.key("name"), message);
        } else {
            rust_seen.insert(bare, at.key("name"));
        }
        let mut ops = BTreeMap::new();
        for (j, op) in field.filter.iter().enumerate() {
            report.unique(&mut ops, op.prefix(), at.key("filter").index(j), "operator");
        }
        let parts = [
            (!field.filter.is_empty(), list.filter.is_some(), "filter"),
            (field.order, list.order.is_some(), "order"),
            (field.select, list.select.is_some(), "select"),
        ];
        for (used, named, part) in parts {
            if used && !named {
                let message = format!("the field uses `{part}`, which `list.{part}` does not name");
                report.fault(&at.key(part), message);
            }
        }
    }
}
