//! Methods: each specified once, its parameters, result, error rows and paging resolved, and
//! the Rust names it gets (module, request, error, call and result types, accessor fn).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::errors::{ErrorRow, resolve_rows};
use super::fields::{OpenFields, resolve_open};
use super::list::{ListQuery, QueryPart, query_part, resolve_list};
use super::paging::Pager;
use super::shared::Object;
use super::types::{TypeRef, parse_result_type, parse_type, union_variants};
use crate::diag::{KeyPath, SpecError, did_you_mean};
use crate::load::{Source, SpecSet};
use crate::names;
use crate::parallel;
use crate::spec::{ApiVersion, MethodSpec, ParamSpec};

/// A resolved method.
#[derive(Debug, Clone)]
pub struct Method {
    /// Spec file.
    pub file: String,
    /// The spec as written.
    pub spec: Arc<MethodSpec>,
    /// Module inside the scope module.
    pub module: String,
    /// Request struct name.
    pub request_type: String,
    /// Error enum name.
    pub error_type: String,
    /// The call type the accessor fn returns (`BlogpostShareCall`).
    pub call_type: String,
    /// For a result written `A | B`: the enum that decodes either (`BlogpostAddResult`).
    pub union_type: Option<String>,
    /// Name of the fn on the accessor.
    pub fn_name: String,
    /// The accessor struct the fn is defined on.
    pub accessor_type: String,
    /// The wire segments of the accessors from the client down to the fn's:
    /// `["log", "blogpost"]` for `log.blogpost.share`, `["common"]` for `profile`.
    pub accessor_path: Vec<String>,
    /// Parameters in wire order.
    pub params: Vec<Param>,
    /// Type of `result`.
    pub result: TypeRef,
    /// Error rows in table order.
    pub errors: Vec<ErrorRow>,
    /// The open map of custom parameters, if the method takes one.
    pub custom_params: Option<OpenFields>,
    /// For a list method (`paging:`): what its pager reads and moves.
    pub pager: Option<Pager>,
    /// For a `list:` block: the query's shape and fields.
    pub list: Option<ListQuery>,
    /// The method's own objects (`objects:`), in spec order: types of its module.
    pub objects: Vec<Object>,
}

/// A resolved parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust field name.
    pub rust: String,
    /// Resolved type.
    pub ty: TypeRef,
    /// The spec as written.
    pub spec: ParamSpec,
    /// The part of a list query it takes (`list.filter`, …): its Rust type is the query type.
    pub query: Option<QueryPart>,
}

/// Every method that resolves, in file order; a method specified twice (same wire name and
/// `api`) is an error at the second file. A v2 and a v3 spec of one name are two methods.
pub(super) fn resolve_methods(
    specs: &SpecSet,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Vec<Method> {
    // Which file first specified each method; later ones are errors.
    let mut method_files: BTreeMap<(&str, ApiVersion), &str> = BTreeMap::new();
    let first_files: Vec<(&Source<MethodSpec>, Option<&str>)> = specs
        .methods
        .iter()
        .map(|source| {
            let first = *method_files
                .entry((source.spec.method.as_str(), source.spec.api))
                .or_insert(source.file.as_str());
            (source, (first != source.file).then_some(first))
        })
        .collect();
    // Methods resolve independently of each other: on every core, kept in file order.
    let resolved = parallel::map(&first_files, parallel::threads(), |(source, first)| {
        let mut errors = Vec::new();
        let method = match first {
            Some(first) => {
                let message = format!(
                    "method `{}` ({}) is already specified in {first}",
                    source.spec.method,
                    api_words(source.spec.api)
                );
                errors.push(source.error_at(&KeyPath::root().key("method"), message));
                None
            }
            None => resolve_method(source, definitions, &mut errors),
        };
        (method, errors)
    });
    let mut methods = Vec::new();
    for (method, method_errors) in resolved {
        errors.extend(method_errors);
        methods.extend(method);
    }
    methods
}

/// One method, or `None` when anything in it does not resolve (each fault an error).
fn resolve_method(
    source: &Source<MethodSpec>,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Option<Method> {
    let spec = &source.spec;
    let root = KeyPath::root();
    let before = errors.len();
    // A type name means one of the method's own objects first, then a shared definition.
    let local = super::shared::local_definitions(spec, definitions);
    let definitions = &*local;
    let objects = super::shared::local_objects(source, definitions, errors);
    let params = resolve_params(source, definitions, errors);
    let result = resolve_result(source, definitions, errors);
    let rows = resolve_rows(source, definitions, errors);
    check_system_error_examples(source, errors);
    let custom_params = spec.custom_params.as_ref().and_then(|open| {
        resolve_open(
            source,
            open,
            &root.key("custom_params"),
            definitions,
            errors,
        )
    });
    let result = result?;
    let pager = super::paging::resolve(source, &params, &result, &objects, errors);
    let prefix = names::method_prefix(&below_module(spec));
    let list = resolve_list(source, &prefix, definitions, errors);
    if errors.len() != before {
        return None;
    }
    let mut method = named(source, params, result, rows, custom_params, pager);
    method.list = list;
    method.objects = objects;
    Some(method)
}

/// The method with the Rust names its wire name gives (see [`crate::names`]).
fn named(
    source: &Source<MethodSpec>,
    params: Vec<Param>,
    result: TypeRef,
    errors: Vec<ErrorRow>,
    custom_params: Option<OpenFields>,
    pager: Option<Pager>,
) -> Method {
    let spec = &source.spec;
    let below = below_module(spec);
    let after_scope = below.as_slice();
    let groups = &after_scope[..after_scope.len() - 1];
    let prefix = names::method_prefix(after_scope);
    Method {
        file: source.file.clone(),
        module: names::method_module(after_scope),
        request_type: format!("{prefix}Request"),
        error_type: format!("{prefix}Error"),
        call_type: format!("{prefix}Call"),
        union_type: matches!(result, TypeRef::Union(_)).then(|| format!("{prefix}Result")),
        fn_name: names::snake(after_scope[after_scope.len() - 1]),
        accessor_type: names::accessor_type(&spec.scope, groups),
        accessor_path: std::iter::once(spec.scope.as_str())
            .chain(wire_groups(spec))
            .map(str::to_owned)
            .collect(),
        spec: Arc::clone(spec),
        params,
        result,
        errors,
        custom_params,
        pager,
        list: None,
        objects: Vec::new(),
    }
}

/// The segments of the method's Rust names below its module, the last one replaced by the
/// spec's `rust_name` if it has one (`tasks.task.get` with `rust_name: get_v3` gives
/// `TaskGetV3Request`, the module `task_get_v3`, `client.tasks().task().get_v3()`). The
/// module is the scope: the name's first segment is dropped when it is the scope, and kept
/// when the method lives in a module of another name (`profile` in `common`,
/// `call.followup.get` in `telephony`, see [`lives_elsewhere`]).
pub(super) fn below_module(spec: &MethodSpec) -> Vec<&str> {
    let mut segments: Vec<&str> = spec.method.split('.').collect();
    if let (Some(name), Some(last)) = (&spec.rust_name, segments.last_mut()) {
        *last = name.as_str();
    }
    if !lives_elsewhere(spec) {
        segments.remove(0);
    }
    segments
}

/// The wire segments of the groups between the module and the method (`["blogpost"]` for
/// `log.blogpost.share`, `["call", "followup"]` for `call.followup.get` in `telephony`).
pub(super) fn wire_groups(spec: &MethodSpec) -> impl Iterator<Item = &str> {
    let segments: Vec<&str> = spec.method.split('.').collect();
    let skip = usize::from(!lives_elsewhere(spec));
    let end = segments.len() - 1;
    segments.into_iter().take(end).skip(skip)
}

/// Whether the method's module is not its name's first segment: the validator allows that
/// only for a one-segment name and for a first segment the crate reserves.
fn lives_elsewhere(spec: &MethodSpec) -> bool {
    spec.method.split('.').next() != Some(spec.scope.as_str())
}

/// The REST version in words, for messages: `REST v2`, `REST 3.0`.
pub(super) fn api_words(api: ApiVersion) -> &'static str {
    match api {
        ApiVersion::V2 => "`api: v2`",
        ApiVersion::V3 => "`api: v3`",
    }
}

/// The parameters whose types resolve; each one that does not is an error at its `type`.
fn resolve_params(
    source: &Source<MethodSpec>,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Vec<Param> {
    let mut params = Vec::new();
    for (i, param) in source.spec.params.iter().enumerate() {
        match parse_type(&param.ty, definitions) {
            Ok(ty) => params.push(Param {
                rust: names::chosen_or_snake(param.rust_name.as_deref(), &param.name),
                ty,
                query: query_part(&source.spec, &param.name),
                spec: param.clone(),
            }),
            Err(message) => {
                let path = KeyPath::root().key("params").index(i).key("type");
                errors.push(source.error_at(&path, message));
            }
        }
    }
    params
}

/// The result type; a union's choices must give distinct variant names.
fn resolve_result(
    source: &Source<MethodSpec>,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Option<TypeRef> {
    let expr = &source.spec.result.ty;
    match parse_result_type(expr, definitions).and_then(union_variants) {
        Ok(ty) => Some(ty),
        Err(message) => {
            let path = KeyPath::root().key("result").key("type");
            errors.push(source.error_at(&path, message));
            None
        }
    }
}

/// Every `system_error:` of a response example names a code of the runtime's table
/// (`b24_rest_contract::system_errors`), compared ignoring ASCII case.
fn check_system_error_examples(source: &Source<MethodSpec>, errors: &mut Vec<SpecError>) {
    let examples = &source.spec.examples.responses;
    for (i, example) in examples.iter().enumerate() {
        let Some(code) = &example.system_error else {
            continue;
        };
        if b24_rest_contract::system_errors::by_code(code).is_some() {
            continue;
        }
        let codes = b24_rest_contract::system_errors::SYSTEM_ERRORS
            .iter()
            .map(|row| row.code);
        let message = format!(
            "no system error has the code `{code}`{}",
            did_you_mean(code, codes)
        );
        let path = KeyPath::root()
            .key("examples")
            .key("responses")
            .index(i)
            .key("system_error");
        errors.push(source.error_at(&path, message));
    }
}
