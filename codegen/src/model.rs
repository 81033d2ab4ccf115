//! The resolved model: specs with types resolved, references checked and Rust names chosen.
//!
//! Emission works from this model only. Everything that spans several files is checked
//! here: dangling type references, definitions that share a name, methods whose Rust names
//! collide, scopes named like the crate's own modules, shared definitions named like a type the
//! generator makes, examples that name a system error that does not exist.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diag::{KeyPath, SpecError};
use crate::load::{Source, SpecSet};
use crate::names;
use crate::parallel;
use crate::spec::{
    EnumSpec, ErrorSpec, EventSpec, FieldSpec, GrammarSpec, MatchMode, MethodSpec, ObjectSpec,
    OpenFieldsSpec, PagingSpec, ParamSpec,
};
use crate::validate::{split_pattern, suggest};

/// Names shared definitions may not take: Rust's prelude names and the items at the root of
/// the generated crate (its own and the runtime's, which it re-exports). Generated code names
/// everything by absolute path, so such a definition would compile; but `b24_rest::shared::Error`
/// beside `b24_rest::Error` would mislead every reader of the docs.
const RESERVED_SHARED_NAMES: &[&str] = &[
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

/// Names a scope may not take: its module would sit beside the crate's own modules
/// (`b24_rest::shared`, `b24_rest::mock`, the runtime's), its cargo feature beside the crate's
/// own, and its accessor `client.<scope>()` among the client's methods, which it would shadow.
const RESERVED_SCOPES: &[&str] = &[
    // Modules of the crate and of the runtime it re-exports.
    "api",
    "batch",
    "client",
    "conformance",
    "mock",
    "shared",
    // Tool attributes the crate root uses (`#[rustfmt::skip]`).
    "clippy",
    "rustfmt",
    // Cargo features of the crate.
    "default",
    "full",
    // Methods of the client and of the traits it implements.
    "as_ref",
    "borrow",
    "builder",
    "call",
    "clone",
    "clone_from",
    "deref",
    "fmt",
    "from",
    "into",
    "oauth",
    "operating",
    "pages",
    "policy",
    "portal",
    "send",
    "set_access_token",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
    "webhook",
];

/// Everything the emitter needs.
#[derive(Debug, Clone)]
pub struct Model {
    /// Grammars, by name.
    pub grammars: Vec<Grammar>,
    /// Shared objects, by name.
    pub objects: Vec<Object>,
    /// Shared enums, by name.
    pub enums: Vec<Enum>,
    /// Scopes, by wire name, each with its methods.
    pub scopes: Vec<Scope>,
}

/// A resolved type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `integer`: `i64`.
    Integer,
    /// `double`: `f64`.
    Double,
    /// `string`: `String`.
    String,
    /// `boolean`: `bool`.
    Boolean,
    /// `id`: an identifier that arrives as a number or a string, `crate::Id`.
    Id,
    /// `date`: `crate::Date`.
    Date,
    /// `datetime`: `crate::DateTime`.
    DateTime,
    /// `file`: a file to upload, `crate::FileUpload`.
    File,
    /// `file_changes`: files to attach or attachments to remove, `crate::FileChanges`.
    FileChange,
    /// `secret`: a credential that must not be printed, `crate::SecretText`.
    Secret,
    /// `any`: whatever JSON the server sends, `serde_json::Value`.
    Any,
    /// A shared grammar, by name.
    Grammar(String),
    /// A shared object, by name.
    Object(String),
    /// A shared enum, by name.
    Enum(String),
    /// `T[]`: `Vec<T>`.
    List(Box<TypeRef>),
    /// `T{}`: a map from string keys, `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `A | B`: the first that decodes (results only; servers that answer differently).
    Union(Vec<TypeRef>),
}

/// The type as specs write it (`integer`, `Destination[]`, `Item{}`, `id | boolean`), which
/// [`parse_result_type`] reads back.
impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Integer => f.write_str("integer"),
            TypeRef::Double => f.write_str("double"),
            TypeRef::String => f.write_str("string"),
            TypeRef::Boolean => f.write_str("boolean"),
            TypeRef::Id => f.write_str("id"),
            TypeRef::Date => f.write_str("date"),
            TypeRef::DateTime => f.write_str("datetime"),
            TypeRef::File => f.write_str("file"),
            TypeRef::FileChange => f.write_str("file_changes"),
            TypeRef::Secret => f.write_str("secret"),
            TypeRef::Any => f.write_str("any"),
            TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => {
                f.write_str(name)
            }
            TypeRef::List(inner) => write!(f, "{inner}[]"),
            TypeRef::Map(inner) => write!(f, "{inner}{{}}"),
            TypeRef::Union(choices) => {
                let choices: Vec<String> = choices.iter().map(ToString::to_string).collect();
                f.write_str(&choices.join(" | "))
            }
        }
    }
}

impl TypeRef {
    /// Short name of a type, for the variants of a result union (`Id`, `Boolean`,
    /// `BlogPostList`).
    pub fn variant_name(&self) -> String {
        match self {
            TypeRef::Integer => "Integer".into(),
            TypeRef::Double => "Double".into(),
            TypeRef::String => "Text".into(),
            TypeRef::Boolean => "Boolean".into(),
            TypeRef::Id => "Id".into(),
            TypeRef::Date => "Date".into(),
            TypeRef::DateTime => "DateTime".into(),
            TypeRef::File => "File".into(),
            TypeRef::FileChange => "FileChanges".into(),
            TypeRef::Secret => "Secret".into(),
            TypeRef::Any => "Json".into(),
            TypeRef::Grammar(name) | TypeRef::Object(name) | TypeRef::Enum(name) => name.clone(),
            TypeRef::List(inner) => format!("{}List", inner.variant_name()),
            TypeRef::Map(inner) => format!("{}Map", inner.variant_name()),
            TypeRef::Union(_) => "Choice".into(),
        }
    }
}

/// The built-in type names, as written in specs.
pub const BUILT_IN_TYPES: &[&str] = &[
    "integer",
    "double",
    "string",
    "boolean",
    "id",
    "date",
    "datetime",
    "file",
    "file_changes",
    "secret",
    "any",
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

/// An event payload of a scope.
#[derive(Debug, Clone)]
pub struct Event {
    /// Spec file.
    pub file: String,
    /// The spec as written.
    pub spec: Arc<EventSpec>,
    /// Module inside the scope module.
    pub module: String,
    /// Name of the fields struct (`OnLiveFeedPostAddFields`).
    pub fields_type: String,
    /// Resolved fields of `data.FIELDS`.
    pub fields: Vec<Field>,
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

/// A scope and the accessor tree under `client.<scope>()`.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Wire name (`log`).
    pub wire: String,
    /// Rust module and accessor fn name.
    pub module: String,
    /// The accessor struct returned by `client.<scope>()`.
    pub accessor: Accessor,
    /// Methods, by wire name.
    pub methods: Vec<Method>,
    /// Event payloads, by name.
    pub events: Vec<Event>,
}

/// An accessor struct: one per scope and per group of methods (`LogBlogpostApi`).
#[derive(Debug, Clone)]
pub struct Accessor {
    /// Struct name.
    pub type_name: String,
    /// Wire segments from the scope down to this group (`["log", "blogpost"]`).
    pub path: Vec<String>,
    /// Nested groups: (fn name, accessor).
    pub children: Vec<(String, Accessor)>,
}

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
    /// Parameters in wire order.
    pub params: Vec<Param>,
    /// Type of `result`.
    pub result: TypeRef,
    /// Error rows in table order.
    pub errors: Vec<ErrorRow>,
    /// The open map of custom parameters, if the method takes one.
    pub custom_params: Option<OpenFields>,
    /// For `paging: start`: the type of one record of a page.
    pub page_item: Option<TypeRef>,
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
}

/// A resolved error row.
#[derive(Debug, Clone)]
pub struct ErrorRow {
    /// The spec as written.
    pub spec: ErrorSpec,
    /// Captured fields.
    pub fields: Vec<Field>,
    /// Every (code, text) form that identifies the row, the row's own first.
    pub matchers: Vec<Matcher>,
}

/// One (code, text) form of an error row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    /// The `error` code (compared case-insensitively).
    pub code: String,
    /// How the text is compared.
    pub mode: MatchMode,
    /// The text (a pattern with `{field}` placeholders for [`MatchMode::Pattern`]).
    pub text: String,
    /// For patterns: the literal pieces around the captures.
    pub literals: Vec<String>,
    /// For patterns: the captured field names, in order.
    pub captures: Vec<String>,
    /// Where this form comes from, for alternatives.
    pub note: Option<String>,
}

/// Resolves the specs into the model, reporting every cross-file fault.
pub fn build(specs: &SpecSet) -> Result<Model, Vec<SpecError>> {
    let mut errors = Vec::new();
    let definitions = definitions(specs, &mut errors);

    let grammars = specs
        .grammars
        .iter()
        .map(|source| Grammar {
            file: source.file.clone(),
            spec: source.spec.clone(),
            module: names::snake(&source.spec.grammar),
        })
        .collect();
    let objects = specs
        .objects
        .iter()
        .map(|source| Object {
            file: source.file.clone(),
            spec: source.spec.clone(),
            module: names::snake(&source.spec.object),
            fields: resolve_fields(
                source,
                &source.spec.fields,
                &KeyPath::root().key("fields"),
                &definitions,
                &mut errors,
            ),
            other_fields: source.spec.other_fields.as_ref().and_then(|open| {
                resolve_open(
                    source,
                    open,
                    &KeyPath::root().key("other_fields"),
                    &definitions,
                    &mut errors,
                )
            }),
        })
        .collect();
    let enums = specs
        .enums
        .iter()
        .map(|source| Enum {
            file: source.file.clone(),
            spec: source.spec.clone(),
            module: names::snake(&source.spec.name),
        })
        .collect();

    let mut by_scope: BTreeMap<String, (Vec<Method>, Vec<Event>)> = BTreeMap::new();
    // Which file first specified each method; later ones are errors.
    let mut method_files: BTreeMap<&str, &str> = BTreeMap::new();
    let first_files: Vec<(&Source<MethodSpec>, Option<&str>)> = specs
        .methods
        .iter()
        .map(|source| {
            let first = *method_files
                .entry(source.spec.method.as_str())
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
                    "method `{}` is already specified in {first}",
                    source.spec.method
                );
                errors.push(source.error_at(&KeyPath::root().key("method"), message));
                None
            }
            None => resolve_method(source, &definitions, &mut errors),
        };
        (method, errors)
    });
    for (method, method_errors) in resolved {
        errors.extend(method_errors);
        if let Some(method) = method {
            by_scope
                .entry(method.spec.scope.clone())
                .or_default()
                .0
                .push(method);
        }
    }
    for source in &specs.events {
        let fields = resolve_fields(
            source,
            &source.spec.fields,
            &KeyPath::root().key("fields"),
            &definitions,
            &mut errors,
        );
        by_scope
            .entry(source.spec.scope.clone())
            .or_default()
            .1
            .push(Event {
                file: source.file.clone(),
                module: names::snake(&source.spec.event),
                fields_type: format!("{}Fields", source.spec.event),
                spec: source.spec.clone(),
                fields,
            });
    }

    let sources: BTreeMap<&str, &Source<MethodSpec>> = specs
        .methods
        .iter()
        .map(|source| (source.spec.method.as_str(), source))
        .collect();
    let mut scopes = Vec::new();
    for (wire, (mut methods, mut events)) in by_scope {
        methods.sort_by(|a, b| a.spec.method.cmp(&b.spec.method));
        events.sort_by(|a, b| a.spec.event.cmp(&b.spec.event));
        check_method_names(&methods, &sources, &mut errors);
        let accessor = accessor_tree(&wire, &methods, &sources, &mut errors);
        check_event_names(&methods, &events, &accessor, specs, &mut errors);
        check_scope_name(&wire, &methods, &events, &sources, specs, &mut errors);
        scopes.push(Scope {
            module: names::snake(&wire),
            wire,
            accessor,
            methods,
            events,
        });
    }

    check_shared_against_generated(specs, &scopes, &mut errors);
    if errors.is_empty() {
        Ok(Model {
            grammars,
            objects,
            enums,
            scopes,
        })
    } else {
        Err(errors)
    }
}

/// A scope may not be named like one of the crate's own modules, features or client methods
/// ([`RESERVED_SCOPES`]): one error per scope, at the `scope` key of its first method (or
/// event, for a scope of events only).
fn check_scope_name(
    wire: &str,
    methods: &[Method],
    events: &[Event],
    sources: &BTreeMap<&str, &Source<MethodSpec>>,
    specs: &SpecSet,
    errors: &mut Vec<SpecError>,
) {
    let module = names::snake(wire);
    if !RESERVED_SCOPES.contains(&module.trim_start_matches("r#")) {
        return;
    }
    let message = format!(
        "`{wire}` cannot be a scope: the generated crate already uses the name for a module, \
         a cargo feature or a method of `Client` (reserved: {})",
        RESERVED_SCOPES.join(", ")
    );
    let at = KeyPath::root().key("scope");
    let first_method = methods
        .first()
        .map(|method| sources[method.spec.method.as_str()].error_at(&at, message.clone()));
    let first_event = || {
        let event = events.first()?;
        let source = specs.events.iter().find(|s| s.file == event.file)?;
        Some(source.error_at(&at, message.clone()))
    };
    errors.extend(first_method.or_else(first_event));
}

/// The type names the generator makes in a scope's module, each with the wire name of what
/// makes it: requests, errors, calls, result unions, accessors, event payloads.
fn generated_types(scope: &Scope) -> Vec<(&str, &str)> {
    let mut types = Vec::new();
    for method in &scope.methods {
        let wire = method.spec.method.as_str();
        types.push((method.request_type.as_str(), wire));
        types.push((method.error_type.as_str(), wire));
        types.push((method.call_type.as_str(), wire));
        if let Some(union) = &method.union_type {
            types.push((union.as_str(), wire));
        }
    }
    for event in &scope.events {
        types.push((event.spec.event.as_str(), event.spec.event.as_str()));
        types.push((event.fields_type.as_str(), event.spec.event.as_str()));
    }
    let mut pending = vec![&scope.accessor];
    while let Some(accessor) = pending.pop() {
        types.push((accessor.type_name.as_str(), scope.wire.as_str()));
        pending.extend(accessor.children.iter().map(|(_, child)| child));
    }
    types
}

/// A shared definition may not take a name the generator makes for a method, event or
/// accessor (`TaskGetResult`): the docs would show two types of one name. One error per
/// definition, at its name.
fn check_shared_against_generated(specs: &SpecSet, scopes: &[Scope], errors: &mut Vec<SpecError>) {
    let mut made: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for scope in scopes {
        for (name, wire) in generated_types(scope) {
            made.entry(name).or_insert((wire, scope.module.as_str()));
        }
    }
    for (name, mut at) in shared_names(specs) {
        if let Some((wire, module)) = made.get(name.as_str()) {
            at.message = format!(
                "`{name}` is also the name the generator gives to a type of `{wire}` \
                 (`b24_rest::{}::{name}`); choose another name",
                module.trim_start_matches("r#")
            );
            errors.push(at);
        }
    }
}

fn resolve_open<T>(
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

/// Event modules and types may not collide with the scope's methods, its accessors or with
/// each other.
fn check_event_names(
    methods: &[Method],
    events: &[Event],
    accessor: &Accessor,
    specs: &SpecSet,
    errors: &mut Vec<SpecError>,
) {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for method in methods {
        let wire = &method.spec.method;
        let made = [
            &method.module,
            &method.request_type,
            &method.error_type,
            &method.call_type,
        ];
        for name in made.into_iter().chain(&method.union_type) {
            taken.insert(name.clone(), wire.clone());
        }
    }
    let mut pending = vec![accessor];
    while let Some(accessor) = pending.pop() {
        taken.insert(accessor.type_name.clone(), accessor.path.join("."));
        pending.extend(accessor.children.iter().map(|(_, child)| child));
    }
    for event in events {
        let Some(source) = specs.events.iter().find(|s| s.file == event.file) else {
            continue;
        };
        for name in [&event.module, &event.spec.event, &event.fields_type] {
            if let Some(other) = taken.insert(name.clone(), event.spec.event.clone()) {
                let message = format!(
                    "event `{}` and `{other}` both become the Rust name `{name}`",
                    event.spec.event
                );
                errors.push(source.error_at(&KeyPath::root().key("event"), message));
            }
        }
    }
}

/// Kind of each shared definition, by name; reports duplicate names.
fn definitions(specs: &SpecSet, errors: &mut Vec<SpecError>) -> BTreeMap<String, TypeRef> {
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
            errors.push(at);
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
fn shared_names(specs: &SpecSet) -> Vec<(String, SpecError)> {
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

/// Parses a result type: a type expression, or several joined by `|` (the server answers
/// with one or the other, such as an id on current servers and `true` on old ones).
pub fn parse_result_type(
    expr: &str,
    definitions: &BTreeMap<String, TypeRef>,
) -> Result<TypeRef, String> {
    if !expr.contains('|') {
        return parse_type(expr, definitions);
    }
    let mut choices = Vec::new();
    for part in expr.split('|') {
        let ty = parse_type(part, definitions)?;
        if choices.contains(&ty) {
            return Err(format!("`{}` is listed twice", part.trim()));
        }
        choices.push(ty);
    }
    Ok(TypeRef::Union(choices))
}

/// Parses a type expression: a built-in, a definition's name, or either followed by `[]`
/// (list) or `{}` (map).
pub fn parse_type(expr: &str, definitions: &BTreeMap<String, TypeRef>) -> Result<TypeRef, String> {
    let expr = expr.trim();
    if let Some(inner) = expr.strip_suffix("[]") {
        return parse_type(inner, definitions).map(|ty| TypeRef::List(Box::new(ty)));
    }
    if let Some(inner) = expr.strip_suffix("{}") {
        return parse_type(inner, definitions).map(|ty| TypeRef::Map(Box::new(ty)));
    }
    match expr {
        "integer" => Ok(TypeRef::Integer),
        "double" => Ok(TypeRef::Double),
        "string" => Ok(TypeRef::String),
        "boolean" => Ok(TypeRef::Boolean),
        "id" => Ok(TypeRef::Id),
        "date" => Ok(TypeRef::Date),
        "datetime" => Ok(TypeRef::DateTime),
        "file" => Ok(TypeRef::File),
        "file_changes" => Ok(TypeRef::FileChange),
        "secret" => Ok(TypeRef::Secret),
        "any" => Ok(TypeRef::Any),
        "" => Err("empty type".into()),
        name if name.contains('|') => Err(format!(
            "`{name}`: a choice of types (`A | B`) is only allowed as a method's result type"
        )),
        name => definitions.get(name).cloned().ok_or_else(|| {
            let known: Vec<String> = BUILT_IN_TYPES
                .iter()
                .map(|s| s.to_string())
                .chain(definitions.keys().cloned())
                .collect();
            format!(
                "unknown type `{name}`{}; known types: {} (append `[]` for a list, `{{}}` for a map)",
                suggest(name, &known),
                known.join(", ")
            )
        }),
    }
}

fn resolve_fields<T>(
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

fn resolve_method(
    source: &Source<MethodSpec>,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Option<Method> {
    let spec = &source.spec;
    let root = KeyPath::root();
    let before = errors.len();
    let segments: Vec<&str> = spec.method.split('.').collect();
    let after_scope = &segments[1..];
    let prefix = names::method_prefix(after_scope);

    let mut params = Vec::new();
    for (i, param) in spec.params.iter().enumerate() {
        match parse_type(&param.ty, definitions) {
            Ok(ty) => params.push(Param {
                rust: names::snake(&param.name),
                ty,
                spec: param.clone(),
            }),
            Err(message) => {
                errors.push(source.error_at(&root.key("params").index(i).key("type"), message))
            }
        }
    }
    let result = match parse_result_type(&spec.result.ty, definitions).and_then(union_variants) {
        Ok(ty) => Some(ty),
        Err(message) => {
            errors.push(source.error_at(&root.key("result").key("type"), message));
            None
        }
    };

    let mut rows = Vec::new();
    for (i, row) in spec.errors.iter().enumerate() {
        let path = root.key("errors").index(i);
        let fields = resolve_fields(
            source,
            &row.fields,
            &path.key("fields"),
            definitions,
            errors,
        );
        for (j, field) in fields.iter().enumerate() {
            if !matches!(field.ty, TypeRef::Integer | TypeRef::String) {
                let message = "a captured field is an `integer` or a `string`";
                errors.push(source.error_at(&path.key("fields").index(j).key("type"), message));
            }
        }
        let mut matchers = vec![matcher(&row.code, row.mode, &row.description, None)];
        for alternative in &row.also {
            let code = alternative.code.as_deref().unwrap_or(&row.code);
            let mode = alternative.mode.unwrap_or(row.mode);
            let text = alternative
                .description
                .as_deref()
                .unwrap_or(&row.description);
            let candidate = matcher(code, mode, text, Some(alternative.note.clone()));
            if !matchers.iter().any(|m| {
                m.code == candidate.code && m.mode == candidate.mode && m.text == candidate.text
            }) {
                matchers.push(candidate);
            }
        }
        rows.push(ErrorRow {
            spec: row.clone(),
            fields,
            matchers,
        });
    }

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
    let page_item = match (spec.paging, &result) {
        (None, _) => None,
        (Some(PagingSpec::Start), TypeRef::List(item)) => Some((**item).clone()),
        (Some(PagingSpec::Start), _) => {
            let message = "a method with `paging: start` returns a list (`result.type: T[]`)";
            errors.push(source.error_at(&root.key("paging"), message));
            None
        }
    };
    if errors.len() != before {
        return None;
    }
    Some(Method {
        file: source.file.clone(),
        module: names::method_module(after_scope),
        request_type: format!("{prefix}Request"),
        error_type: format!("{prefix}Error"),
        call_type: format!("{prefix}Call"),
        union_type: matches!(result, TypeRef::Union(_)).then(|| format!("{prefix}Result")),
        fn_name: names::snake(after_scope[after_scope.len() - 1]),
        accessor_type: names::accessor_type(segments[0], &after_scope[..after_scope.len() - 1]),
        spec: Arc::clone(spec),
        params,
        result,
        errors: rows,
        custom_params,
        page_item,
    })
}

/// A result union's choices become the variants of one enum: their names must differ (a
/// shared object `Text` would meet `string`'s variant `Text`).
fn union_variants(ty: TypeRef) -> Result<TypeRef, String> {
    if let TypeRef::Union(choices) = &ty {
        for (i, choice) in choices.iter().enumerate() {
            let name = choice.variant_name();
            if let Some(other) = choices[..i].iter().find(|c| c.variant_name() == name) {
                return Err(format!(
                    "`{other}` and `{choice}` would both be the variant `{name}` of the result's enum"
                ));
            }
        }
    }
    Ok(ty)
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
        let codes: Vec<String> = b24_rest_contract::system_errors::SYSTEM_ERRORS
            .iter()
            .map(|row| row.code.to_owned())
            .collect();
        let message = format!(
            "no system error has the code `{code}`{}",
            suggest(code, &codes)
        );
        let path = KeyPath::root()
            .key("examples")
            .key("responses")
            .index(i)
            .key("system_error");
        errors.push(source.error_at(&path, message));
    }
}

fn matcher(code: &str, mode: MatchMode, text: &str, note: Option<String>) -> Matcher {
    let (literals, captures) = if mode == MatchMode::Pattern {
        // Validation has already rejected malformed patterns.
        let parts = split_pattern(text).unwrap_or_default();
        let literals = parts.iter().map(|(literal, _)| literal.clone()).collect();
        let captures = parts
            .iter()
            .filter_map(|(_, capture)| capture.clone())
            .collect();
        (literals, captures)
    } else {
        (Vec::new(), Vec::new())
    };
    Matcher {
        code: code.to_owned(),
        mode,
        text: text.to_owned(),
        literals,
        captures,
        note,
    }
}

/// Rust names that must be unique within a scope: modules and type names.
fn check_method_names(
    methods: &[Method],
    sources: &BTreeMap<&str, &Source<MethodSpec>>,
    errors: &mut Vec<SpecError>,
) {
    let mut modules: BTreeMap<&str, &str> = BTreeMap::new();
    let mut types: BTreeMap<&str, &str> = BTreeMap::new();
    for method in methods {
        let wire = method.spec.method.as_str();
        let at = |message: String| sources[wire].error_at(&KeyPath::root().key("method"), message);
        // One error per pair of methods, naming everything they share.
        let mut clashes: BTreeMap<&str, (Option<&str>, Vec<&str>)> = BTreeMap::new();
        if let Some(other) = modules.insert(&method.module, wire) {
            clashes.entry(other).or_default().0 = Some(&method.module);
        }
        let made = [&method.request_type, &method.error_type, &method.call_type];
        for ty in made.into_iter().chain(&method.union_type) {
            if let Some(other) = types.insert(ty, wire) {
                clashes.entry(other).or_default().1.push(ty);
            }
        }
        for (other, (module, types)) in clashes {
            let mut shared = Vec::new();
            if let Some(module) = module {
                shared.push(format!("the module `{module}`"));
            }
            let quoted: Vec<String> = types.iter().map(|ty| format!("`{ty}`")).collect();
            match quoted.len() {
                0 => {}
                1 => shared.push(format!("the type {}", quoted[0])),
                _ => shared.push(format!("the types {}", quoted.join(", "))),
            }
            errors.push(at(format!(
                "`{wire}` and `{other}` both become {}",
                shared.join(" and ")
            )));
        }
        if !names::is_valid_ident(&method.module) || !names::is_valid_ident(&method.fn_name) {
            errors.push(at(format!(
                "`{wire}` does not give valid Rust names (`{}`, `{}`)",
                method.module, method.fn_name
            )));
        }
    }
}

/// Builds the accessor tree of a scope; reports a group and a method that share a fn name.
fn accessor_tree(
    scope: &str,
    methods: &[Method],
    sources: &BTreeMap<&str, &Source<MethodSpec>>,
    errors: &mut Vec<SpecError>,
) -> Accessor {
    let mut root = Accessor {
        type_name: names::accessor_type(scope, &[]),
        path: vec![scope.to_owned()],
        children: Vec::new(),
    };
    for method in methods {
        let segments: Vec<&str> = method.spec.method.split('.').collect();
        let groups = &segments[1..segments.len() - 1];
        let mut node = &mut root;
        for (depth, group) in groups.iter().enumerate() {
            let fn_name = names::snake(group);
            let position = match node.children.iter().position(|(name, _)| *name == fn_name) {
                Some(position) => position,
                None => {
                    let type_name = names::accessor_type(scope, &groups[..=depth]);
                    let mut path = node.path.clone();
                    path.push((*group).to_owned());
                    node.children.push((
                        fn_name,
                        Accessor {
                            type_name,
                            path,
                            children: Vec::new(),
                        },
                    ));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[position].1;
        }
    }
    // A method fn may not share its name with a group fn on the same accessor.
    for method in methods {
        let segments: Vec<&str> = method.spec.method.split('.').collect();
        let groups = &segments[1..segments.len() - 1];
        let mut node = &root;
        for group in groups {
            let fn_name = names::snake(group);
            match node.children.iter().find(|(name, _)| *name == fn_name) {
                Some((_, child)) => node = child,
                None => break,
            }
        }
        if node
            .children
            .iter()
            .any(|(name, _)| *name == method.fn_name)
        {
            let message = format!(
                "`{}` ends in `{}`, which is also a group of methods under `{}`: the accessor `{}()` would mean both",
                method.spec.method,
                method.fn_name,
                node.path.join("."),
                method.fn_name
            );
            errors.push(
                sources[method.spec.method.as_str()]
                    .error_at(&KeyPath::root().key("method"), message),
            );
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_written_back_as_specs_write_them() {
        let definitions = BTreeMap::from([
            (
                "Destination".to_owned(),
                TypeRef::Grammar("Destination".into()),
            ),
            ("Item".to_owned(), TypeRef::Object("Item".into())),
        ]);
        for written in BUILT_IN_TYPES.iter().map(|name| name.to_string()).chain(
            [
                "Destination",
                "Item{}",
                "Destination[][]",
                "integer{}[]",
                "id | boolean",
            ]
            .map(str::to_owned),
        ) {
            let ty = parse_result_type(&written, &definitions).expect(&written);
            assert_eq!(ty.to_string(), written);
        }
    }
}
