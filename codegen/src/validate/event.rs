//! An event's file: its name, code and scope (the folder it lives in), texts, fields and
//! example payloads.

use super::fields;
use super::report::Report;
use crate::diag::KeyPath;
use crate::load::Source;
use crate::spec::EventSpec;

/// Every check of one event file.
pub(super) fn check_event(source: &Source<EventSpec>, report: &mut Report<'_, EventSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    report.upper_camel(&spec.event, &root.key("event"), "event name");
    if spec.code.trim().is_empty() {
        report.fault(&root.key("code"), "must not be empty");
    }
    // `spec/<scope>/events/…` or, for a draft, `spec/imported/<scope>/events/…`.
    let parts: Vec<&str> = source.file.split('/').collect();
    let folder = parts.len().checked_sub(3).map_or("", |i| parts[i]);
    let base = parts[..parts.len().saturating_sub(3)].join("/");
    if spec.scope != folder {
        report.fault(
            &root.key("scope"),
            format!("the event lives in `{base}/{folder}/events/`, so its scope is `{folder}`"),
        );
    }
    if let Some(page) = &spec.source {
        super::method::check_source(report, page, &root.key("source"));
    }
    report.non_empty(&spec.summary, &root.key("summary"));
    report.non_empty(&spec.access, &root.key("access"));
    fields::check_fields(report, &spec.fields, &root.key("fields"));
    for (i, example) in spec.examples.iter().enumerate() {
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&example.body) {
            report.fault(
                &root.key("examples").index(i).key("body"),
                format!("not valid JSON: {error}"),
            );
        }
    }
}
