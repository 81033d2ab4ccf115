//! The shared definitions (grammars, objects, enums): one name each, none that the generated
//! crate already uses, and objects' fields resolved.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::fields::{Field, OpenFields, resolve_fields, resolve_open};
use super::types::TypeRef;
use crate::diag::{KeyPath, SpecError};
use crate::load::{Source, SpecSet};
use crate::names;
use crate::spec::{EnumSpec, GrammarSpec, MethodSpec, ObjectSpec};

/// Names shared definitions may not take: Rust's prelude names and the items at the root of
/// the generated crate (its own and the runtime's, which it re-exports). Generated code names
/// everything by absolute path, so such a definition would compile; but `b24_rest::shared::Error`
/// beside `b24_rest::Error` would mislead every reader of the docs.
pub(super) const RESERVED_SHARED_NAMES: &[&str] = &[
    // Rust's prelude.
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "Vec",
    // The generated crate's root.
    "Client",
    "ClientBuilder",
    "Specs",
    // The runtime's types, re-exported at the root.
    "ApiVersion",
    "Auth",
    "Backoff",
    "Batch",
    "BatchKey",
    "BatchMethod",
    "BatchResults",
    "Call",
    "CallOutcome",
    "ConfigError",
    "Date",
    "DateParseError",
    "DateTime",
    "Error",
    "ErrorMeta",
    "ErrorRows",
    "Event",
    "EventAuth",
    "EventData",
    "EventError",
    "EventFields",
    "FileChanges",
    "FileUpload",
    "GrammarError",
    "GrammarErrorReason",
    "Id",
    "Method",
    "MethodError",
    "OperatingBudget",
    "Paged",
    "Pager",
    "Policy",
    "RateLimit",
    "RefreshResult",
    "ResetWait",
    "Response",
    "Retry",
    "SecretText",
    "SpecSource",
    "SystemError",
    "Time",
    "TokenRefreshError",
    "TransportError",
    "TransportErrorKind",
];

/// A shared grammar.
#[derive(Debug, Clone)]
pub struct Grammar {
    /// Spec file.
    pub file: String,
    /// The spec as written.
    pub spec: Arc<GrammarSpec>,
    /// Module inside `api::shared`.
    pub module: String,
}

/// A shared enum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Spec file.
    pub file: String,
    /// The spec as written.
    pub spec: Arc<EnumSpec>,
    /// Module inside `api::shared`.
    pub module: String,
}

/// A shared object.
#[derive(Debug, Clone)]
pub struct Object {
    /// Spec file.
    pub file: String,
    /// The spec as written.
    pub spec: Arc<ObjectSpec>,
    /// Module inside `api::shared`.
    pub module: String,
    /// Resolved fields in wire order.
    pub fields: Vec<Field>,
    /// Where keys the spec does not name are kept.
    pub other_fields: Option<OpenFields>,
}

/// The grammars, in file order.
pub(super) fn grammars(specs: &SpecSet) -> Vec<Grammar> {
    specs
        .grammars
        .iter()
        .map(|source| Grammar {
            file: source.file.clone(),
            spec: source.spec.clone(),
            module: names::snake(&source.spec.grammar),
        })
        .collect()
}

/// The objects, in file order, their fields resolved (each fault an error).
pub(super) fn objects(
    specs: &SpecSet,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Vec<Object> {
    let root = KeyPath::root();
    specs
        .objects
        .iter()
        .map(|source| Object {
            file: source.file.clone(),
            spec: source.spec.clone(),
            module: names::snake(&source.spec.object),
            fields: resolve_fields(
                source,
                &source.spec.fields,
                &root.key("fields"),
                definitions,
                errors,
            ),
            other_fields: source.spec.other_fields.as_ref().and_then(|open| {
                resolve_open(source, open, &root.key("other_fields"), definitions, errors)
            }),
        })
        .collect()
}

/// The type names a method's spec may use: its own objects (`objects:`), then the shared
/// definitions. Borrowed as they are when the method has no objects of its own.
pub(super) fn local_definitions<'a>(
    spec: &MethodSpec,
    definitions: &'a BTreeMap<String, TypeRef>,
) -> Cow<'a, BTreeMap<String, TypeRef>> {
    if spec.objects.is_empty() {
        return Cow::Borrowed(definitions);
    }
    let scope = local_scope_module(spec);
    let mut local = definitions.clone();
    for object in &spec.objects {
        let ty = TypeRef::Local {
            scope: scope.clone(),
            name: object.object.clone(),
        };
        local.insert(object.object.clone(), ty);
    }
    Cow::Owned(local)
}

/// The Rust module a method's own objects are exported from: its scope's, as
/// `scope::scopes` groups methods.
fn local_scope_module(spec: &MethodSpec) -> String {
    names::snake(&spec.scope)
}

/// A method's own objects, their fields resolved against `definitions` (the method's own,
/// [`local_definitions`]); each fault an error at `objects[i]…`.
pub(super) fn local_objects(
    source: &Source<MethodSpec>,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Vec<Object> {
    let root = KeyPath::root().key("objects");
    source
        .spec
        .objects
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let at = root.index(i);
            Object {
                file: source.file.clone(),
                spec: Arc::new(spec.clone()),
                module: names::snake(&spec.object),
                fields: resolve_fields(
                    source,
                    &spec.fields,
                    &at.key("fields"),
                    definitions,
                    errors,
                ),
                other_fields: spec.other_fields.as_ref().and_then(|open| {
                    resolve_open(source, open, &at.key("other_fields"), definitions, errors)
                }),
            }
        })
        .collect()
}

/// The enums, in file order.
pub(super) fn enums(specs: &SpecSet) -> Vec<Enum> {
    specs
        .enums
        .iter()
        .map(|source| Enum {
            file: source.file.clone(),
            spec: source.spec.clone(),
            module: names::snake(&source.spec.name),
        })
        .collect()
}

/// Kind of each shared definition, by name; reports duplicate names.
pub(super) fn definitions(
    specs: &SpecSet,
    errors: &mut Vec<SpecError>,
) -> BTreeMap<String, TypeRef> {
    let mut defined: BTreeMap<String, (TypeRef, String)> = BTreeMap::new();
    for (name, kind, mut at) in shared_entries(specs) {
        if let Some((_, first)) = defined.get(&name) {
            at.message = format!("`{name}` is already defined in {first}");
            errors.push(at);
        } else if RESERVED_SHARED_NAMES.contains(&name.as_str()) {
            at.message = format!(
                "`{name}` is a name the generated crate already uses (Rust's prelude, or an \
                 item at the root of `b24_rest`); choose another name"
            );
            // Still defined, so that each use of it does not report an unknown type as well.
            let file = at.file.clone();
            errors.push(at);
            defined.insert(name, (kind, file));
        } else {
            let file = at.file.clone();
            defined.insert(name, (kind, file));
        }
    }
    defined
        .into_iter()
        .map(|(name, (kind, _))| (name, kind))
        .collect()
}

/// Every shared definition's name, with the error template located at its name key.
pub(super) fn shared_names(specs: &SpecSet) -> Vec<(String, SpecError)> {
    shared_entries(specs)
        .into_iter()
        .map(|(name, _, at)| (name, at))
        .collect()
}

/// Every shared definition in file-kind order (grammars, objects, enums): its name, its kind
/// and an error located at its name key, whose message the caller fills in.
fn shared_entries(specs: &SpecSet) -> Vec<(String, TypeRef, SpecError)> {
    let grammars = specs.grammars.iter().map(|g| {
        let name = g.spec.grammar.clone();
        let at = g.error_at(&KeyPath::root().key("grammar"), "");
        (name.clone(), TypeRef::Grammar(name), at)
    });
    let objects = specs.objects.iter().map(|o| {
        let name = o.spec.object.clone();
        let at = o.error_at(&KeyPath::root().key("object"), "");
        (name.clone(), TypeRef::Object(name), at)
    });
    let enums = specs.enums.iter().map(|e| {
        let name = e.spec.name.clone();
        let at = e.error_at(&KeyPath::root().key("enum"), "");
        (name.clone(), TypeRef::Enum(name), at)
    });
    grammars.chain(objects).chain(enums).collect()
}
