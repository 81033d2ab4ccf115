//! The resolved model: specs with types resolved, references checked and Rust names chosen.
//!
//! Emission works from this model only. Everything that spans several files is checked
//! here: dangling type references, definitions that share a name, methods whose Rust names
//! collide, examples that name a system error that does not exist.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diag::{KeyPath, SpecError};
use crate::load::{Source, SpecSet};
use crate::names;
use crate::parallel;
use crate::spec::{
    EnumSpec, ErrorSpec, EventSpec, FieldSpec, GrammarSpec, MatchMode, MethodSpec, ObjectSpec,
    OpenFieldsSpec, PagingSpec, ParamSpec, SystemErrorsSpec,
};
use crate::validate::{split_pattern, suggest};

/// Path of the shared system error table.
pub const SYSTEM_ERRORS_FILE: &str = "spec/shared/system-errors.yaml";

/// Names shared definitions may not take: what the `shared` module defines itself, Rust's
/// prelude names and the runtime items that generated files name unqualified. A definition
/// called `String` or `ErrorMeta` would shadow them and the generated crate would not compile.
const RESERVED_SHARED_NAMES: &[&str] = &[
    "SystemError",
    "Box",
    "Err",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "Vec",
    "Call",
    "ErrorMeta",
    "FromStr",
    "GrammarError",
    "Method",
    "MethodError",
    "Retry",
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
    /// The system error table.
    pub system_errors: Source<SystemErrorsSpec>,
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
    let system_errors = match &specs.system_errors {
        Some(source) => Some(source.clone()),
        None => {
            errors.push(SpecError {
                file: SYSTEM_ERRORS_FILE.into(),
                line: 1,
                column: 1,
                key_path: KeyPath::root(),
                message: "missing: every method shares this table of system errors".into(),
            });
            None
        }
    };

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
            None => resolve_method(source, &definitions, system_errors.as_ref(), &mut errors),
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
        check_event_names(&methods, &events, specs, &mut errors);
        let accessor = accessor_tree(&wire, &methods, &sources, &mut errors);
        scopes.push(Scope {
            module: names::snake(&wire),
            wire,
            accessor,
            methods,
            events,
        });
    }

    match system_errors {
        Some(system_errors) if errors.is_empty() => Ok(Model {
            grammars,
            objects,
            enums,
            system_errors,
            scopes,
        }),
        _ => Err(errors),
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

/// Event modules and types may not collide with the scope's methods or with each other.
fn check_event_names(
    methods: &[Method],
    events: &[Event],
    specs: &SpecSet,
    errors: &mut Vec<SpecError>,
) {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for method in methods {
        taken.insert(method.module.clone(), method.spec.method.clone());
        taken.insert(method.request_type.clone(), method.spec.method.clone());
        taken.insert(method.error_type.clone(), method.spec.method.clone());
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
    let entries = specs
        .grammars
        .iter()
        .map(|g| {
            (
                &g.spec.grammar,
                TypeRef::Grammar(g.spec.grammar.clone()),
                g.error_at(&KeyPath::root().key("grammar"), ""),
                g.file.clone(),
            )
        })
        .chain(specs.objects.iter().map(|o| {
            (
                &o.spec.object,
                TypeRef::Object(o.spec.object.clone()),
                o.error_at(&KeyPath::root().key("object"), ""),
                o.file.clone(),
            )
        }))
        .chain(specs.enums.iter().map(|e| {
            (
                &e.spec.name,
                TypeRef::Enum(e.spec.name.clone()),
                e.error_at(&KeyPath::root().key("enum"), ""),
                e.file.clone(),
            )
        }));
    for (name, kind, mut at, file) in entries {
        if let Some((_, first)) = defined.get(name) {
            at.message = format!("`{name}` is already defined in {first}");
            errors.push(at);
        } else if RESERVED_SHARED_NAMES.contains(&name.as_str()) {
            at.message = format!(
                "`{name}` is a name the generated code already uses (a generated type, Rust's \
                 prelude or the runtime); choose another name"
            );
            errors.push(at);
        } else {
            defined.insert(name.clone(), (kind, file));
        }
    }
    defined
        .into_iter()
        .map(|(name, (kind, _))| (name, kind))
        .collect()
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
    system_errors: Option<&Source<SystemErrorsSpec>>,
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
    let result = match parse_result_type(&spec.result.ty, definitions) {
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

    if let Some(system_errors) = system_errors {
        for (i, example) in spec.examples.responses.iter().enumerate() {
            if let Some(code) = &example.system_error {
                let codes: Vec<String> = system_errors
                    .spec
                    .errors
                    .iter()
                    .map(|row| row.code.clone())
                    .collect();
                if !codes.iter().any(|known| known.eq_ignore_ascii_case(code)) {
                    let message = format!(
                        "no system error has the code `{code}`{}",
                        suggest(code, &codes)
                    );
                    errors.push(
                        source.error_at(
                            &root
                                .key("examples")
                                .key("responses")
                                .index(i)
                                .key("system_error"),
                            message,
                        ),
                    );
                }
            }
        }
    }

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
        for ty in [&method.request_type, &method.error_type] {
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
