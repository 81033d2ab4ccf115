//! A method's file: its name, scope and place, its texts, parameters, paging and examples.
//! Its error table has a module of its own (`errors`).

use std::collections::BTreeMap;

use super::report::Report;
use super::{errors, fields, is_method_name, list};
use crate::diag::{KeyPath, did_you_mean};
use crate::load::Source;
use crate::names;
use crate::spec::{MethodSpec, PagingSpec, ParamSpec};

/// Methods a request or its call type has besides the setters of optional parameters: an
/// optional parameter of one of these names would define it twice.
const SETTER_NAMES_TAKEN: &[&str] = &[
    "custom_field",
    "into_call",
    "new",
    "pages",
    "read_all",
    "request",
    "send",
];

/// Every check of one method file, in the order of its keys' concerns (so that its faults
/// come in a stable order).
pub(super) fn check_method(source: &Source<MethodSpec>, report: &mut Report<'_, MethodSpec>) {
    let spec = &source.spec;
    check_name_and_place(source, report);
    check_texts(spec, report);
    let taken = check_params(spec, report);
    check_paging(spec, report);
    list::check_list(spec, report);
    if let Some(open) = &spec.custom_params {
        let path = KeyPath::root().key("custom_params");
        fields::open_fields(report, open, &path, &taken);
    }
    errors::check_errors(spec, report);
    check_request_examples(spec, report);
    check_response_examples(spec, report);
}

/// The method name, its scope (the name's first segment) and the file it lives in
/// (`spec/<scope>/<method>.yaml`). Each fault is reported once: a bad name says nothing of
/// the scope's place in it, and the file's place is checked only when both are sound.
fn check_name_and_place(source: &Source<MethodSpec>, report: &mut Report<'_, MethodSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    let is_name = is_method_name(&spec.method);
    let scope_is_first = spec.method.split('.').next() == Some(spec.scope.as_str());
    if !is_name {
        report.fault(
            &root.key("method"),
            format!(
                "`{}` is not a method name: expected dot-separated segments of letters, digits and `_`, scope first (e.g. `log.blogpost.share`)",
                spec.method
            ),
        );
    } else if !scope_is_first {
        report.fault(
            &root.key("scope"),
            format!(
                "scope `{}` must be the first segment of the method name `{}`",
                spec.scope, spec.method
            ),
        );
    }
    let valid_scope =
        names::is_wire_key(&spec.scope) && spec.scope == spec.scope.to_ascii_lowercase();
    // A scope that is not the method's first segment is reported above, once.
    if !valid_scope && (scope_is_first || !is_name) {
        report.fault(
            &root.key("scope"),
            format!(
                "scope `{}` must be lowercase letters, digits and `_`",
                spec.scope
            ),
        );
    }
    let expected_file = format!("spec/{}/{}.yaml", spec.scope, spec.method);
    if valid_scope && scope_is_first && is_name && source.file != expected_file {
        report.fault(
            &root.key("method"),
            format!(
                "the spec of `{}` must live in `{expected_file}`",
                spec.method
            ),
        );
    }
}

/// The texts the docs show: none may be empty.
fn check_texts(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    let root = KeyPath::root();
    report.non_empty(&spec.title, &root.key("title"));
    report.non_empty(&spec.summary, &root.key("summary"));
    report.non_empty(&spec.access, &root.key("access"));
    report.non_empty(
        &spec.result.description,
        &root.key("result").key("description"),
    );
}

/// Parameter keys well formed and unique, on the wire and as Rust names; returns the Rust
/// names taken, with where, for the open map of custom parameters.
fn check_params(
    spec: &MethodSpec,
    report: &mut Report<'_, MethodSpec>,
) -> BTreeMap<String, KeyPath> {
    let mut wire_seen = BTreeMap::new();
    let mut rust_seen = BTreeMap::new();
    for (i, param) in spec.params.iter().enumerate() {
        let path = KeyPath::root().key("params").index(i);
        if !names::is_wire_key(&param.name) {
            report.fault(
                &path.key("name"),
                format!(
                    "`{}` is not a parameter key: letters, digits and `_`, starting with a letter",
                    param.name
                ),
            );
            continue;
        }
        if !report.unique(&mut wire_seen, &param.name, path.key("name"), "parameter") {
            continue;
        }
        check_param_rust_name(report, param, &path, &mut rust_seen);
        report.non_empty(&param.description, &path.key("description"));
        fields::obtain_from(report, &param.obtain_from, &path.key("obtain_from"));
    }
    rust_seen
}

/// The parameter's Rust name: not another parameter's, and for an optional one not a method
/// the request or its call already has (its setter would take that name).
fn check_param_rust_name(
    report: &mut Report<'_, MethodSpec>,
    param: &ParamSpec,
    path: &KeyPath,
    rust_seen: &mut BTreeMap<String, KeyPath>,
) {
    let rust = names::snake(&param.name);
    if let Some(first) = rust_seen.get(&rust) {
        let message = format!(
            "parameter `{}` becomes the Rust name `{rust}`, like the parameter at {first}",
            param.name
        );
        report.fault(&path.key("name"), message);
    } else if !param.required && SETTER_NAMES_TAKEN.contains(&rust.as_str()) {
        let message = format!(
            "the optional parameter `{}` would get the setter `{rust}()`, which the request \
             or its call already has ({})",
            param.name,
            SETTER_NAMES_TAKEN.join(", ")
        );
        report.fault(&path.key("name"), message);
    } else {
        rust_seen.insert(rust, path.key("name"));
    }
}

/// `paging: start` sets the parameter `start` page after page: the method must take it.
fn check_paging(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    let takes_start = spec
        .params
        .iter()
        .any(|p| p.name == "start" && p.ty.trim() == "integer" && !p.required);
    if spec.paging == Some(PagingSpec::Start) && !takes_start {
        report.fault(
            &KeyPath::root().key("paging"),
            "`paging: start` needs an optional `integer` parameter named `start`",
        );
    }
}

/// A request body is a JSON object.
fn check_request_examples(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    for (i, example) in spec.examples.requests.iter().enumerate() {
        let path = KeyPath::root().key("examples").key("requests").index(i);
        match serde_json::from_str::<serde_json::Value>(&example.body) {
            Ok(serde_json::Value::Object(_)) => {}
            Ok(_) => report.fault(&path.key("body"), "a request body must be a JSON object"),
            Err(error) => report.fault(&path.key("body"), format!("not valid JSON: {error}")),
        }
    }
}

/// A response has an HTTP status and expects at most one error, a row of the table or a
/// system error (whose codes the model checks: they are not in this file).
fn check_response_examples(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    for (i, example) in spec.examples.responses.iter().enumerate() {
        let path = KeyPath::root().key("examples").key("responses").index(i);
        if !(100..=599).contains(&example.status) {
            report.fault(
                &path.key("status"),
                format!("{} is not an HTTP status", example.status),
            );
        }
        let Some(name) = &example.error else {
            continue;
        };
        if !spec.errors.iter().any(|row| &row.name == name) {
            let known = spec.errors.iter().map(|row| row.name.as_str());
            report.fault(
                &path.key("error"),
                format!(
                    "no error row is named `{name}`{}",
                    did_you_mean(name, known)
                ),
            );
        }
        if example.system_error.is_some() {
            report.fault(
                &path.key("system_error"),
                "an example expects either `error` or `system_error`, not both",
            );
        }
    }
}
