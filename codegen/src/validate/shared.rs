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

/// Each form: a prefix of visible ASCII characters (empty only before a bare id) and a
/// variant name, both unique.
fn check_forms(spec: &GrammarSpec, report: &mut Report<'_, GrammarSpec>) {
    let mut prefixes = BTreeMap::new();
    let mut variants = BTreeMap::new();
    for (i, form) in spec.forms.iter().enumerate() {
        let path = KeyPath::root().key("forms").index(i);
        if form.prefix.is_empty() && form.value != FormValue::Id {
            report.fault(
                &path.key("prefix"),
                "an empty prefix needs `value: id` (a bare id); other forms need a prefix",
            );
        } else if !form.prefix.bytes().all(|b| b.is_ascii_graphic()) {
            report.fault(
                &path.key("prefix"),
                format!(
                    "prefix `{}` must be ASCII letters, digits or signs, without white space",
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
                "ambiguous prefixes: `{}{}` could be form `{}` (`{}` + {}) or form `{}`",
                long.prefix,
                if long.value == FormValue::None {
                    ""
                } else {
                    "…"
                },
                short.name,
                short.prefix,
                if short.value == FormValue::Id {
                    "id"
                } else {
                    "text"
                },
                long.name
            );
            report.fault(
                &KeyPath::root().key("forms").index(j).key("prefix"),
                message,
            );
        }
    }
}

/// Whether `short`'s value could begin with what `long`'s prefix has beyond `short`'s (an
/// empty `short` prefix, a bare id, meets every prefix that starts with a digit).
fn overlaps(short: &GrammarFormSpec, long: &GrammarFormSpec) -> bool {
    // An empty prefix before anything but an id has a fault of its own.
    if long.prefix.len() <= short.prefix.len()
        || (short.prefix.is_empty() && short.value != FormValue::Id)
    {
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
    check_object_at(&source.spec, &KeyPath::root(), report);
}

/// Every check of one object, a shared file's (at the root) or a method's own (at
/// `objects[i]`). An object that keeps other keys decodes leniently: a field's value that does
/// not fit is kept among them, so they must be of type `any`.
pub(super) fn check_object_at<T>(spec: &ObjectSpec, root: &KeyPath, report: &mut Report<'_, T>) {
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
        if open.ty.trim() != "any" {
            report.fault(
                &root.key("other_fields").key("type"),
                format!(
                    "`other_fields` keep the raw value of every field that does not fit, so \
                     their type must be `any`, not `{}`",
                    open.ty.trim()
                ),
            );
        }
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
    let numbers = spec.values.first().is_some_and(|first| first.value.number);
    for (i, value) in spec.values.iter().enumerate() {
        let path = root.key("values").index(i);
        if value.value.number != numbers {
            let (kind, first) = if numbers {
                ("text", "a number")
            } else {
                ("a number", "text")
            };
            report.fault(
                &path.key("value"),
                format!(
                    "`{}` is {kind} but the first value is {first}: an enum's values are all \
                     numbers or all text (quote a number to make it text)",
                    value.value.text
                ),
            );
        }
        report.unique(&mut wires, &value.value.text, path.key("value"), "value");
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
