//! Names that would collide in the generated crate: two methods with one module or type, an
//! event named like a method's type or an accessor, a scope named like the crate's own
//! modules, and a shared definition named like a type the generator makes.

use std::collections::BTreeMap;

use super::accessor::Accessor;
use super::method::Method;
use super::scope::{Event, Scope};
use super::shared::shared_names;
use crate::diag::{KeyPath, SpecError};
use crate::load::{Source, SpecSet};
use crate::names;
use crate::spec::MethodSpec;
use b24_rest_contract::names::RESERVED_SCOPES;

/// Rust names that must be unique within a scope: modules and type names.
pub(super) fn check_method_names(
    methods: &[Method],
    sources: &BTreeMap<&str, &Source<MethodSpec>>,
    errors: &mut Vec<SpecError>,
) {
    let mut modules: BTreeMap<&str, String> = BTreeMap::new();
    // The scope's `mod.rs` holds its conformance tests in a module of this name.
    modules.insert(TESTS_MODULE, TESTS_MODULE_OWNER.to_owned());
    let mut types: BTreeMap<&str, String> = BTreeMap::new();
    for method in methods {
        let wire = method.spec.method.as_str();
        let label = method_label(method);
        let at = |message: String| {
            sources[method.file.as_str()].error_at(&KeyPath::root().key("method"), message)
        };
        // One error per pair of methods, naming everything they share.
        let mut clashes: BTreeMap<String, (Option<&str>, Vec<&str>)> = BTreeMap::new();
        if let Some(other) = modules.insert(&method.module, label.clone()) {
            clashes.entry(other).or_default().0 = Some(&method.module);
        }
        let made = [&method.request_type, &method.error_type, &method.call_type];
        let query = method.list.iter().flat_map(|list| list.types());
        for ty in made.into_iter().chain(&method.union_type).chain(query) {
            if let Some(other) = types.insert(ty, label.clone()) {
                clashes.entry(other).or_default().1.push(ty);
            }
        }
        for (other, (module, types)) in clashes {
            let shared = shared_words(module, &types);
            // A v2 and a v3 spec of one wire name: only a chosen name tells them apart.
            let same_wire =
                other == format!("`{wire}`") || other.starts_with(&format!("`{wire}` "));
            let hint = if same_wire {
                ": give one of them a `rust_name:`"
            } else {
                ""
            };
            errors.push(at(format!(
                "{label} and {other} both become {shared}{hint}"
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

/// The module of a scope's conformance tests, beside its method and event modules.
const TESTS_MODULE: &str = "conformance";
const TESTS_MODULE_OWNER: &str = "the scope's conformance tests";

/// A method as messages name it: `` `tasks.task.get` ``, and for REST 3.0
/// `` `tasks.task.get` (`api: v3`) ``.
fn method_label(method: &Method) -> String {
    match method.spec.api {
        crate::spec::ApiVersion::V2 => format!("`{}`", method.spec.method),
        crate::spec::ApiVersion::V3 => format!("`{}` (`api: v3`)", method.spec.method),
    }
}

/// What two methods share, in words: `the module `m` and the types `A`, `B``.
fn shared_words(module: Option<&str>, types: &[&str]) -> String {
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
    shared.join(" and ")
}

/// Event modules and types may not collide with the scope's methods, its accessors or with
/// each other.
pub(super) fn check_event_names(
    methods: &[Method],
    events: &[Event],
    accessor: &Accessor,
    specs: &SpecSet,
    errors: &mut Vec<SpecError>,
) {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    taken.insert(TESTS_MODULE.to_owned(), TESTS_MODULE_OWNER.to_owned());
    for method in methods {
        let wire = &method.spec.method;
        let made = [
            &method.module,
            &method.request_type,
            &method.error_type,
            &method.call_type,
        ];
        let query = method.list.iter().flat_map(|list| list.types());
        for name in made.into_iter().chain(&method.union_type).chain(query) {
            taken.insert(name.clone(), wire.clone());
        }
    }
    for accessor in accessor.all() {
        taken.insert(accessor.type_name.clone(), accessor.path.join("."));
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

/// Whether a scope may not take the name `wire` ([`RESERVED_SCOPES`]).
pub fn is_reserved_scope(wire: &str) -> bool {
    RESERVED_SCOPES.contains(&names::snake(wire).trim_start_matches("r#"))
}

/// A scope may not be named like one of the crate's own modules, features or client methods
/// ([`RESERVED_SCOPES`]): one error per scope, at the `scope` key of its first method (or
/// event, for a scope of events only).
pub(super) fn check_scope_name(
    wire: &str,
    methods: &[Method],
    events: &[Event],
    sources: &BTreeMap<&str, &Source<MethodSpec>>,
    specs: &SpecSet,
    errors: &mut Vec<SpecError>,
) {
    if !is_reserved_scope(wire) {
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
        .map(|method| sources[method.file.as_str()].error_at(&at, message.clone()));
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
        for query in method.list.iter().flat_map(|list| list.types()) {
            types.push((query.as_str(), wire));
        }
    }
    for event in &scope.events {
        types.push((event.spec.event.as_str(), event.spec.event.as_str()));
        types.push((event.fields_type.as_str(), event.spec.event.as_str()));
    }
    for accessor in scope.accessor.all() {
        types.push((accessor.type_name.as_str(), scope.wire.as_str()));
    }
    types
}

/// A shared definition may not take a name the generator makes for a method, event or
/// accessor (`TaskGetResult`): the docs would show two types of one name. One error per
/// definition, at its name.
pub(super) fn check_shared_against_generated(
    specs: &SpecSet,
    scopes: &[Scope],
    errors: &mut Vec<SpecError>,
) {
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

/// A method's own objects are types of its scope's module (`b24_rest::<scope>::<Name>`):
/// each name must be free there, of the types the generator makes for the scope's methods,
/// events and accessors, of another method's own object, and of the names no shared
/// definition may take either (Rust's prelude, the crate's root). One error per object, at
/// its `objects[i].object`, naming what already has the name.
pub(super) fn check_local_object_names(
    methods: &[Method],
    events: &[Event],
    accessor: &Accessor,
    sources: &BTreeMap<&str, &Source<MethodSpec>>,
    errors: &mut Vec<SpecError>,
) {
    let mut taken: BTreeMap<&str, String> = BTreeMap::new();
    for method in methods {
        let made = [&method.request_type, &method.error_type, &method.call_type];
        let query = method.list.iter().flat_map(|list| list.types());
        for ty in made.into_iter().chain(&method.union_type).chain(query) {
            taken.entry(ty).or_insert_with(|| {
                format!("a type the generator makes for `{}`", method.spec.method)
            });
        }
    }
    for event in events {
        for ty in [&event.spec.event, &event.fields_type] {
            taken
                .entry(ty)
                .or_insert_with(|| format!("a type of the event `{}`", event.spec.event));
        }
    }
    for accessor in accessor.all() {
        taken
            .entry(&accessor.type_name)
            .or_insert_with(|| format!("the accessor type of `{}`", accessor.path.join(".")));
    }
    for method in methods {
        let source = sources[method.file.as_str()];
        for (i, object) in method.objects.iter().enumerate() {
            let name = object.spec.object.as_str();
            let path = KeyPath::root().key("objects").index(i).key("object");
            let message = if super::shared::RESERVED_SHARED_NAMES.contains(&name) {
                format!(
                    "`{name}` is a name the generated crate already uses (Rust's prelude, or an \
                     item at the root of `b24_rest`); choose another name"
                )
            } else if let Some(first) = taken.get(name) {
                format!(
                    "the method's own object `{name}` would be `b24_rest::{}::{name}`, which is \
                     already {first}; choose another name",
                    names::snake(&method.spec.scope).trim_start_matches("r#")
                )
            } else {
                let place = format!(
                    "the own object of `{}` ({}: objects[{i}].object)",
                    method.spec.method, method.file
                );
                taken.insert(name, place);
                continue;
            };
            errors.push(source.error_at(&path, message));
        }
    }
}
