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
    let folder = source.file.split('/').nth(1).unwrap_or_default();
    if spec.scope != folder {
        report.fault(
            &root.key("scope"),
            format!("the event lives in `spec/{folder}/events/`, so its scope is `{folder}`"),
        );
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
