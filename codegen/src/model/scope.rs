//! Scopes: the methods and events of each, sorted, with the scope's accessor tree, and the
//! names in a scope checked against each other.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::accessor::{Accessor, accessor_tree};
use super::collisions::{
    check_event_names, check_local_object_names, check_method_names, check_scope_name,
};
use super::fields::{Field, resolve_fields};
use super::method::Method;
use super::types::TypeRef;
use crate::diag::{KeyPath, SpecError};
use crate::load::{Source, SpecSet};
use crate::names;
use crate::spec::{EventSpec, MethodSpec};

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

/// Every event, in file order, its fields resolved (each fault an error).
pub(super) fn resolve_events(
    specs: &SpecSet,
    definitions: &BTreeMap<String, TypeRef>,
    errors: &mut Vec<SpecError>,
) -> Vec<Event> {
    let path = KeyPath::root().key("fields");
    specs
        .events
        .iter()
        .map(|source| Event {
            file: source.file.clone(),
            module: names::snake(&source.spec.event),
            fields_type: format!("{}Fields", source.spec.event),
            spec: source.spec.clone(),
            fields: resolve_fields(source, &source.spec.fields, &path, definitions, errors),
        })
        .collect()
}

/// The scopes by wire name, each with its methods and events sorted by name; names that
/// collide within a scope are errors.
pub(super) fn scopes(
    specs: &SpecSet,
    methods: Vec<Method>,
    events: Vec<Event>,
    errors: &mut Vec<SpecError>,
) -> Vec<Scope> {
    let mut by_scope: BTreeMap<String, (Vec<Method>, Vec<Event>)> = BTreeMap::new();
    for method in methods {
        let scope = method.spec.scope.clone();
        by_scope.entry(scope).or_default().0.push(method);
    }
    for event in events {
        let scope = event.spec.scope.clone();
        by_scope.entry(scope).or_default().1.push(event);
    }
    let sources: BTreeMap<&str, &Source<MethodSpec>> = specs
        .methods
        .iter()
        .map(|source| (source.file.as_str(), source))
        .collect();
    let mut scopes = Vec::new();
    for (wire, (mut methods, mut events)) in by_scope {
        methods.sort_by(|a, b| (&a.spec.method, a.spec.api).cmp(&(&b.spec.method, b.spec.api)));
        events.sort_by(|a, b| a.spec.event.cmp(&b.spec.event));
        check_method_names(&methods, &sources, errors);
        let accessor = accessor_tree(&wire, &methods, &sources, errors);
        check_event_names(&methods, &events, &accessor, specs, errors);
        check_local_object_names(&methods, &events, &accessor, &sources, errors);
        check_scope_name(&wire, &methods, &events, &sources, specs, errors);
        scopes.push(Scope {
            module: names::snake(&wire),
            wire,
            accessor,
            methods,
            events,
        });
    }
    scopes
}
