//! The shared definitions' files: grammars (forms, prefixes no two forms could both read),
//! objects and enums.

use std::collections::BTreeMap;

use super::fields;
use super::report::Report;
use crate::diag::KeyPath;
use crate::load::Source;
use crate::names;
use crate::spec::{EnumSpec, FormValue, GrammarFormSpec, GrammarSpec, ObjectSpec};

/// Every check of one grammar file.
pub(super) fn check_grammar(source: &Source<GrammarSpec>, report: &mut Report<'_, GrammarSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    report.upper_camel(&spec.grammar, &root.key("grammar"), "grammar name");
    report.non_empty(&spec.summary, &root.key("summary"));
    if spec.forms.is_empty() {
        report.fault(&root.key("forms"), "a grammar needs at least one form");
    }
    check_forms(spec, report);
    check_prefixes_unambiguous(spec, report);
}

/// Each form: an upper-case prefix and a variant name, both unique.
fn check_forms(spec: &GrammarSpec, report: &mut Report<'_, GrammarSpec>) {
    let mut prefixes = BTreeMap::new();
    let mut variants = BTreeMap::new();
    for (i, form) in spec.forms.iter().enumerate() {
        let path = KeyPath::root().key("forms").index(i);
        if form.prefix.is_empty() || !form.prefix.chars().all(|c| c.is_ascii_uppercase()) {
            report.fault(
                &path.key("prefix"),
                format!(
                    "prefix `{}` must be one or more upper-case ASCII letters",
                    form.prefix
                ),
            );
        }
        report.unique(&mut prefixes, &form.prefix, path.key("prefix"), "prefix");
        report.upper_camel(&form.name, &path.key("name"), "form name");
        report.unique(&mut variants, &form.name, path.key("name"), "form name");
        report.non_empty(&form.description, &path.key("description"));
        fields::obtain_from(report, &form.obtain_from, &path.key("obtain_from"));
    }
}

/// With prefixes tried longest first, a string is read two ways only when a shorter
/// prefix's value could begin with the rest of a longer prefix.
fn check_prefixes_unambiguous(spec: &GrammarSpec, report: &mut Report<'_, GrammarSpec>) {
    for (i, short) in spec.forms.iter().enumerate() {
        for (j, long) in spec.forms.iter().enumerate() {
            if i == j || !overlaps(short, long) {
                continue;
            }
            let message = format!(
                "ambiguous prefixes: `{}{}` could be form `{}` (`{}` + text) or form `{}`",
                long.prefix,
                if long.value == FormValue::None {
                    ""
                } else {
                    "…"
                },
                short.name,
                short.prefix,
                long.name
            );
            report.fault(
                &KeyPath::root().key("forms").index(j).key("prefix"),
                message,
            );
        }
    }
}

/// Whether `short`'s value could begin with what `long`'s prefix has beyond `short`'s.
fn overlaps(short: &GrammarFormSpec, long: &GrammarFormSpec) -> bool {
    if long.prefix.len() <= short.prefix.len() || short.prefix.is_empty() {
        return false;
    }
    let Some(rest) = long.prefix.strip_prefix(short.prefix.as_str()) else {
        return false;
    };
    match short.value {
        FormValue::None => false,
        FormValue::Id => rest.starts_with(|c: char| c.is_ascii_digit()),
        FormValue::Text => true,
    }
}

/// Every check of one object file; an open map's name must differ from every field's.
pub(super) fn check_object(source: &Source<ObjectSpec>, report: &mut Report<'_, ObjectSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    report.upper_camel(&spec.object, &root.key("object"), "object name");
    report.non_empty(&spec.summary, &root.key("summary"));
    fields::check_fields(report, &spec.fields, &root.key("fields"));
    if let Some(open) = &spec.other_fields {
        let taken: BTreeMap<String, KeyPath> = spec
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    names::snake(&f.name),
                    root.key("fields").index(i).key("name"),
                )
            })
            .collect();
        fields::open_fields(report, open, &root.key("other_fields"), &taken);
    }
}

/// Every check of one enum file: values and variant names unique, `Other` kept for an
/// open enum's unknown values.
pub(super) fn check_enum(source: &Source<EnumSpec>, report: &mut Report<'_, EnumSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    report.upper_camel(&spec.name, &root.key("enum"), "enum name");
    report.non_empty(&spec.summary, &root.key("summary"));
    if spec.values.is_empty() {
        report.fault(&root.key("values"), "an enum needs at least one value");
    }
    let mut wires = BTreeMap::new();
    let mut variants = BTreeMap::new();
    for (i, value) in spec.values.iter().enumerate() {
        let path = root.key("values").index(i);
        report.unique(&mut wires, &value.value, path.key("value"), "value");
        report.upper_camel(&value.name, &path.key("name"), "value name");
        report.unique(&mut variants, &value.name, path.key("name"), "value name");
        if spec.open && value.name == "Other" {
            report.fault(
                &path.key("name"),
                "`Other` is reserved for unknown values of an open enum",
            );
        }
        report.non_empty(&value.description, &path.key("description"));
    }
}
