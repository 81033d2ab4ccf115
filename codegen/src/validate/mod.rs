//! Checks each spec file on its own: names well formed and unique, error rows unambiguous,
//! grammars free of ambiguous prefixes, examples well formed.
//!
//! Checks that need several files at once (dangling type references, names that collide
//! across methods) belong to [`crate::model`], which resolves those references anyway.
//!
//! One module per kind of file (`method`, `shared` for grammars, objects and enums, `event`),
//! a method's error table (`errors`) and the fields objects, events and error rows declare
//! (`fields`) on their own; `report` collects the faults of one file.

mod errors;
mod event;
mod fields;
mod list;
mod method;
mod report;
mod shared;

use crate::diag::SpecError;
use crate::load::SpecSet;
use crate::names;
use crate::parallel;
use report::Report;

/// Variant name every method error enum reserves for errors its table does not list.
pub const UNHANDLED: &str = "Unhandled";

/// Runs every per-file check and returns all faults found, in file order.
pub fn validate(specs: &SpecSet) -> Result<(), Vec<SpecError>> {
    let mut errors = Vec::new();
    for grammar in &specs.grammars {
        shared::check_grammar(grammar, &mut Report::new(grammar, &mut errors));
    }
    for object in &specs.objects {
        shared::check_object(object, &mut Report::new(object, &mut errors));
    }
    for item in &specs.enums {
        shared::check_enum(item, &mut Report::new(item, &mut errors));
    }
    // Methods are most of the specs and independent of each other: checked on every core,
    // their errors kept in file order.
    let method_errors = parallel::map(&specs.methods, parallel::threads(), |method| {
        let mut errors = Vec::new();
        method::check_method(method, &mut Report::new(method, &mut errors));
        errors
    });
    errors.extend(method_errors.into_iter().flatten());
    for event in &specs.events {
        event::check_event(event, &mut Report::new(event, &mut errors));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A method name such as `log.blogpost.share`, `crm.item.productrow.getAvailableForPayment`
/// or `profile`.
pub fn is_method_name(name: &str) -> bool {
    name.split('.').all(names::is_wire_key)
}
