//! A method's file: its name, scope and place, its texts, parameters, paging and examples.
//! Its error table has a module of its own (`errors`).

use std::collections::BTreeMap;

use super::report::Report;
use super::{errors, fields, is_method_name, list};
use crate::diag::{KeyPath, did_you_mean};
use crate::load::Source;
use crate::names;
use crate::spec::{ApiVersion, MethodSpec, PagingSpec, ParamSpec, SourceSpec};

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
    check_method_keys(spec, report);
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
    check_objects(spec, report);
}

/// The method's own objects: each checked as a shared object file is, at `objects[i]`, and
/// their names unique among them.
fn check_objects(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    let mut seen = BTreeMap::new();
    for (i, object) in spec.objects.iter().enumerate() {
        let path = KeyPath::root().key("objects").index(i);
        super::shared::check_object_at(object, &path, report);
        report.unique(&mut seen, &object.object, path.key("object"), "object");
    }
}

/// The method name, its scope (the name's first segment) and the file it lives in
/// (`spec/<scope>/<method>.yaml`, `spec/<scope>/<method>.v3.yaml` for `api: v3`; the same
/// under `spec/imported/` for a draft). Each fault is reported once: a bad name says nothing of
/// the scope's place in it, and the file's place is checked only when both are sound.
fn check_name_and_place(source: &Source<MethodSpec>, report: &mut Report<'_, MethodSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    let is_name = is_method_name(&spec.method);
    let scope_is_first = scope_place_is_sound(spec);
    if !is_name {
        report.fault(
            &root.key("method"),
            format!(
                "`{}` is not a method name: expected dot-separated segments of letters, digits and `_`, scope first (e.g. `log.blogpost.share`)",
                spec.method
            ),
        );
    } else if !scope_is_first && !spec.method.contains('.') {
        report.fault(
            &root.key("scope"),
            format!(
                "`{}` has one segment, so it cannot be its own module: name the module it \
                 lives in (the importer uses `scope: common`)",
                spec.method
            ),
        );
    } else if !scope_is_first {
        report.fault(
            &root.key("scope"),
            format!(
                "scope `{}` must be the first segment of the method name `{}` (a method lives \
                 in a module of another name only when its name has one segment, `profile`, \
                 or its first segment is a name the crate reserves, `call.followup.get`)",
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
    let folder = if crate::load::is_imported(&source.file) {
        crate::load::IMPORTED_DIR
    } else {
        "spec/"
    };
    let suffix = match spec.api {
        ApiVersion::V2 => ".yaml",
        ApiVersion::V3 => ".v3.yaml",
    };
    let expected_file = format!("{folder}{}/{}{suffix}", spec.scope, spec.method);
    if valid_scope && scope_is_first && is_name && source.file != expected_file {
        let why = match spec.api {
            ApiVersion::V3 => " (a REST 3.0 spec, `api: v3`, ends in `.v3.yaml`)",
            ApiVersion::V2 if source.file.ends_with(".v3.yaml") => {
                " (only a REST 3.0 spec, `api: v3`, ends in `.v3.yaml`)"
            }
            ApiVersion::V2 => "",
        };
        report.fault(
            &root.key("method"),
            format!(
                "the spec of `{}` must live in `{expected_file}`{why}",
                spec.method
            ),
        );
    }
}

/// Whether the scope (the method's module) may be what it is: the name's first segment; or,
/// for a one-segment name (`profile`) or one whose first segment the crate reserves for itself
/// (`call.followup.get`: `client.call()` is the generic call), a module of another name.
fn scope_place_is_sound(spec: &MethodSpec) -> bool {
    let first = spec.method.split('.').next().unwrap_or_default();
    if first == spec.scope {
        return spec.method.contains('.');
    }
    !spec.method.contains('.') || crate::model::is_reserved_scope(first)
}

/// The method-level keys beside the name: `api` against `batch`, `rust_name`, `permission`
/// and `source`.
fn check_method_keys(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    let root = KeyPath::root();
    if spec.api == ApiVersion::V3 && spec.batch {
        report.fault(
            &root.key("batch"),
            "a REST 3.0 method (`api: v3`) cannot run inside the classic `batch`: write \
             `batch: false`",
        );
    }
    if let Some(rust_name) = &spec.rust_name {
        check_snake_name(report, rust_name, &root.key("rust_name"));
    }
    for (i, code) in spec.permission.iter().enumerate() {
        let path = root.key("permission").index(i);
        if code.trim().is_empty() || code.chars().any(char::is_whitespace) {
            report.fault(&path, "a permission scope code is one word (`task`, `crm`)");
        }
    }
    if let Some(source) = &spec.source {
        check_source(report, source, &root.key("source"));
    }
}

/// A `rust_name:` is a snake_case identifier that is not a keyword: it is used as written.
fn check_snake_name<T>(report: &mut Report<'_, T>, name: &str, path: &KeyPath) {
    if !names::is_wire_key(name) || names::snake(name) != name {
        let message = format!(
            "`{name}` is not a snake_case Rust name: lowercase letters, digits and `_`, starting \
             with a letter, not a keyword (e.g. `{}`)",
            names::snake(name).trim_start_matches("r#")
        );
        report.fault(path, message);
    }
}

/// `source:`: the page is named and its hash is SHA-256 as 64 lowercase hex digits.
pub(super) fn check_source<T>(report: &mut Report<'_, T>, source: &SourceSpec, path: &KeyPath) {
    report.non_empty(&source.page, &path.key("page"));
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    if source.sha256.len() != 64 || !source.sha256.chars().all(hex) {
        report.fault(
            &path.key("sha256"),
            format!(
                "`{}` is not a SHA-256: 64 lowercase hex digits",
                source.sha256
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
        for (j, alias) in param.aliases.iter().enumerate() {
            let at = path.key("aliases").index(j);
            if !names::is_wire_key(alias) {
                let message = format!(
                    "`{alias}` is not a parameter key: letters, digits and `_`, starting with a \
                     letter"
                );
                report.fault(&at, message);
            } else {
                // A key read as two parameters would make reading a request ambiguous.
                report.unique(&mut wire_seen, alias, at, "parameter key");
            }
        }
        if let Some(rust_name) = &param.rust_name {
            check_snake_name(report, rust_name, &path.key("rust_name"));
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
    let rust = names::chosen_or_snake(param.rust_name.as_deref(), &param.name);
    // A chosen name is reported at `rust_name`, a derived one at `name`.
    let at = match param.rust_name {
        Some(_) => path.key("rust_name"),
        None => path.key("name"),
    };
    if let Some(first) = rust_seen.get(&rust) {
        let message = format!(
            "parameter `{}` becomes the Rust name `{rust}`, like the parameter at {first}{}",
            param.name,
            if param.rust_name.is_none() {
                ": give one of them a `rust_name:`"
            } else {
                ""
            }
        );
        report.fault(&at, message);
    } else if !param.required && SETTER_NAMES_TAKEN.contains(&rust.as_str()) {
        let message = format!(
            "the optional parameter `{}` would get the setter `{rust}()`, which the request \
             or its call already has ({})",
            param.name,
            SETTER_NAMES_TAKEN.join(", ")
        );
        report.fault(&at, message);
    } else {
        rust_seen.insert(rust, at);
    }
}

/// Each paging shape names the parameters it pages with: the method must take them, optional
/// (`paging: start` sets `start` page after page, so that one is an `integer` spelt exactly
/// so; `NAV_PARAMS` and `pagination` objects are `any`). `pagination` is REST 3.0's.
fn check_paging(spec: &MethodSpec, report: &mut Report<'_, MethodSpec>) {
    let Some(paging) = spec.paging else {
        let named = [
            ("page_records", &spec.page_records),
            ("page_more", &spec.page_more),
            ("page_next", &spec.page_next),
        ];
        for (key, _) in named.iter().filter(|(_, wire)| wire.is_some()) {
            let message = format!("`{key}` names a field of a page: it needs `paging:`");
            report.fault(&KeyPath::root().key(key), message);
        }
        return;
    };
    let path = KeyPath::root().key("paging");
    // A parameter whose key is one of `keys`, ignoring case (and `_`, for `navParams`).
    let find = |keys: &[&str]| {
        spec.params.iter().find(|p| {
            let folded = p.name.replace('_', "").to_ascii_lowercase();
            keys.contains(&folded.as_str())
        })
    };
    let optional_integer = |p: &ParamSpec| p.ty.trim() == "integer" && !p.required;
    let optional_any = |p: &ParamSpec| p.ty.trim() == "any" && !p.required;
    let (needed, found) = match paging {
        PagingSpec::Start => (
            "an optional `integer` parameter named `start`",
            spec.params
                .iter()
                .any(|p| p.name == "start" && optional_integer(p)),
        ),
        PagingSpec::Offset => {
            let limit_ok = find(&["limit"]).is_none_or(optional_integer);
            (
                "an optional `integer` parameter `offset` (any case), and `limit`, if the method \
                 takes one, an optional `integer` too",
                find(&["offset"]).is_some_and(optional_integer) && limit_ok,
            )
        }
        PagingSpec::Page => (
            "an optional `integer` parameter `page` (any case)",
            find(&["page"]).is_some_and(optional_integer),
        ),
        // The pager writes one key of these objects and keeps the caller's others, which a
        // typed object could not hold: they are `any`.
        PagingSpec::NavParams => (
            "an optional parameter `NAV_PARAMS` (or `navParams`) of type `any`",
            find(&["navparams"]).is_some_and(optional_any),
        ),
        PagingSpec::Pagination => (
            "an optional parameter `pagination` of type `any`",
            find(&["pagination"]).is_some_and(optional_any),
        ),
    };
    if !found {
        let message = format!("`paging: {}` needs {needed}", paging.key());
        report.fault(&path, message);
    } else if paging == PagingSpec::Pagination && spec.api != ApiVersion::V3 {
        report.fault(
            &path,
            "`paging: pagination` is REST 3.0's: it needs `api: v3`",
        );
    } else if paging == PagingSpec::Start && spec.api == ApiVersion::V3 {
        report.fault(
            &path,
            "REST 3.0 methods do not page with `start`: use `paging: pagination`",
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
