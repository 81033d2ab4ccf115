//! The resolved model: specs with types resolved, references checked and Rust names chosen.
//!
//! Emission works from this model only. Everything that spans several files is checked
//! here: dangling type references, definitions that share a name, methods whose Rust names
//! collide, scopes named like the crate's own modules, shared definitions named like a type the
//! generator makes, examples that name a system error that does not exist.
//!
//! By concern: type expressions (`types`), fields (`fields`), the shared definitions
//! (`shared`), methods (`method`) and their error rows (`errors`), scopes and events
//! (`scope`) with their accessor trees (`accessor`), and the names that would collide in the
//! generated crate (`collisions`).

mod accessor;
mod collisions;
mod errors;
mod fields;
mod list;
mod method;
mod paging;
mod scope;
mod shared;
mod types;

pub use accessor::Accessor;
pub use collisions::is_reserved_scope;
pub use errors::{ErrorRow, Matcher};
pub use fields::{Field, OpenFields};
pub use list::{ListQuery, QueryField, QueryPart};
pub use method::{Method, Param};
pub use paging::{PageField, Pager};
pub use scope::{Event, Scope};
pub use shared::{Enum, Grammar, Object};
pub use types::{BUILT_IN_TYPES, TypeRef, parse_result_type, parse_type};

use crate::diag::SpecError;
use crate::load::SpecSet;

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

/// Resolves the specs into the model, reporting every cross-file fault.
///
/// Faults come in a fixed order: shared definitions, methods and events in file order, then
/// the names of each scope, then shared definitions against the names the generator makes.
pub fn build(specs: &SpecSet) -> Result<Model, Vec<SpecError>> {
    let mut errors = Vec::new();
    let definitions = shared::definitions(specs, &mut errors);
    let grammars = shared::grammars(specs);
    let objects = shared::objects(specs, &definitions, &mut errors);
    let enums = shared::enums(specs);
    let methods = method::resolve_methods(specs, &definitions, &mut errors);
    let events = scope::resolve_events(specs, &definitions, &mut errors);
    let scopes = scope::scopes(specs, methods, events, &mut errors);
    collisions::check_shared_against_generated(specs, &scopes, &mut errors);
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
