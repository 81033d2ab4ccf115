//! Checks each spec file on its own: names well formed and unique, error rows unambiguous,
//! grammars free of ambiguous prefixes, examples well formed.
//!
//! Checks that need several files at once (dangling type references, names that collide
//! across methods) belong to [`crate::model`], which resolves those references anyway.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{KeyPath, SpecError};
use crate::load::{Source, SpecSet};
use crate::names;
use crate::parallel;
use crate::spec::{
    EnumSpec, EventSpec, FormValue, GrammarSpec, MatchMode, MethodSpec, ObjectSpec, OpenFieldsSpec,
    PagingSpec,
};

/// Variant name every method error enum reserves for errors its table does not list.
pub const UNHANDLED: &str = "Unhandled";

/// Methods a request or its call type has besides the setters of optional parameters: an
/// optional parameter of one of these names would define it twice.
const SETTER_NAMES_TAKEN: &[&str] = &[
    "custom_field",
    "into_call",
    "new",
    "pages",
    "request",
    "send",
];

/// Runs every per-file check and returns all faults found, in file order.
pub fn validate(specs: &SpecSet) -> Result<(), Vec<SpecError>> {
    let mut errors = Vec::new();
    for grammar in &specs.grammars {
        check_grammar(grammar, &mut Report::new(grammar, &mut errors));
    }
    for object in &specs.objects {
        check_object(object, &mut Report::new(object, &mut errors));
    }
    for item in &specs.enums {
        check_enum(item, &mut Report::new(item, &mut errors));
    }
    // Methods are most of the specs and independent of each other: checked on every core,
    // their errors kept in file order.
    let method_errors = parallel::map(&specs.methods, parallel::threads(), |method| {
        let mut errors = Vec::new();
        check_method(method, &mut Report::new(method, &mut errors));
        errors
    });
    errors.extend(method_errors.into_iter().flatten());
    for event in &specs.events {
        check_event(event, &mut Report::new(event, &mut errors));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Collects faults of one file, locating each by its key path.
struct Report<'a, T> {
    source: &'a Source<T>,
    errors: &'a mut Vec<SpecError>,
}

impl<'a, T> Report<'a, T> {
    fn new(source: &'a Source<T>, errors: &'a mut Vec<SpecError>) -> Self {
        Report { source, errors }
    }

    fn fault(&mut self, path: &KeyPath, message: impl Into<String>) {
        self.errors.push(self.source.error_at(path, message));
    }

    /// Reports `name` at `path` when it was already seen (and returns `false`); remembers
    /// it otherwise.
    fn unique(
        &mut self,
        seen: &mut BTreeMap<String, KeyPath>,
        name: &str,
        path: KeyPath,
        what: &str,
    ) -> bool {
        if let Some(first) = seen.get(name) {
            let message = format!("duplicate {what} `{name}` (first at {first})");
            self.fault(&path, message);
            false
        } else {
            seen.insert(name.to_owned(), path);
            true
        }
    }

    fn upper_camel(&mut self, name: &str, path: &KeyPath, what: &str) {
        if names::is_keyword(name) {
            // `Self` is UpperCamelCase, but no type or variant can be called that.
            let message = format!("{what} `{name}` is a Rust keyword: choose another name");
            self.fault(path, message);
        } else if !names::is_upper_camel(name) {
            let message = format!(
                "{what} `{name}` must be an UpperCamelCase Rust identifier (e.g. `{}`)",
                names::camel(name).trim_start_matches("r#")
            );
            self.fault(path, message);
        }
    }

    fn non_empty(&mut self, text: &str, path: &KeyPath) {
        if text.trim().is_empty() {
            self.fault(path, "must not be empty");
        }
    }
}

/// A wire key such as `POST_ID` or `operating_reset_at`.
fn is_wire_key(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// A method name such as `log.blogpost.share` or `crm.item.productrow.getAvailableForPayment`.
pub fn is_method_name(name: &str) -> bool {
    let segments: Vec<&str> = name.split('.').collect();
    segments.len() >= 2 && segments.iter().all(|segment| is_wire_key(segment))
}

fn check_method(source: &Source<MethodSpec>, report: &mut Report<'_, MethodSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    let scope_is_first = spec.method.split('.').next() == Some(spec.scope.as_str());
    if !is_method_name(&spec.method) {
        report.fault(
            &root.key("method"),
            format!(
                "`{}` is not a method name: expected dot-separated segments of letters, digits and `_`, scope first (e.g. `log.blogpost.share`)",
                spec.method
            ),
        );
    } else if !scope_is_first {
        report.fault(
            &root.key("scope"),
            format!(
                "scope `{}` must be the first segment of the method name `{}`",
                spec.scope, spec.method
            ),
        );
    }
    let valid_scope = is_wire_key(&spec.scope) && spec.scope == spec.scope.to_ascii_lowercase();
    // A scope that is not the method's first segment is reported above, once.
    if !valid_scope && (scope_is_first || !is_method_name(&spec.method)) {
        report.fault(
            &root.key("scope"),
            format!(
                "scope `{}` must be lowercase letters, digits and `_`",
                spec.scope
            ),
        );
    }
    let expected_file = format!("spec/{}/{}.yaml", spec.scope, spec.method);
    if valid_scope && scope_is_first && is_method_name(&spec.method) && source.file != expected_file
    {
        report.fault(
            &root.key("method"),
            format!(
                "the spec of `{}` must live in `{expected_file}`",
                spec.method
            ),
        );
    }
    report.non_empty(&spec.title, &root.key("title"));
    report.non_empty(&spec.summary, &root.key("summary"));
    report.non_empty(&spec.access, &root.key("access"));
    report.non_empty(
        &spec.result.description,
        &root.key("result").key("description"),
    );

    let mut wire_seen = BTreeMap::new();
    let mut rust_seen = BTreeMap::new();
    for (i, param) in spec.params.iter().enumerate() {
        let path = root.key("params").index(i);
        if !is_wire_key(&param.name) {
            report.fault(
                &path.key("name"),
                format!(
                    "`{}` is not a parameter key: letters, digits and `_`, starting with a letter",
                    param.name
                ),
            );
            continue;
        }
        if !report.unique(&mut wire_seen, &param.name, path.key("name"), "parameter") {
            continue;
        }
        let rust = names::snake(&param.name);
        if let Some(first) = rust_seen.get(&rust) {
            let message = format!(
                "parameter `{}` becomes the Rust name `{rust}`, like the parameter at {first}",
                param.name
            );
            report.fault(&path.key("name"), message);
        } else if !param.required && SETTER_NAMES_TAKEN.contains(&rust.as_str()) {
            let message = format!(
                "the optional parameter `{}` would get the setter `{rust}()`, which the request \
                 or its call already has ({})",
                param.name,
                SETTER_NAMES_TAKEN.join(", ")
            );
            report.fault(&path.key("name"), message);
        } else {
            rust_seen.insert(rust, path.key("name"));
        }
        report.non_empty(&param.description, &path.key("description"));
        obtain_from(report, &param.obtain_from, &path.key("obtain_from"));
    }

    if spec.paging == Some(PagingSpec::Start)
        && !spec
            .params
            .iter()
            .any(|p| p.name == "start" && p.ty.trim() == "integer" && !p.required)
    {
        report.fault(
            &root.key("paging"),
            "`paging: start` needs an optional `integer` parameter named `start`",
        );
    }
    if let Some(open) = &spec.custom_params {
        open_fields(report, open, &root.key("custom_params"), &rust_seen);
    }

    let mut row_names = BTreeMap::new();
    let mut matchers: BTreeMap<(String, String, MatchMode), KeyPath> = BTreeMap::new();
    for (i, row) in spec.errors.iter().enumerate() {
        let path = root.key("errors").index(i);
        report.upper_camel(&row.name, &path.key("name"), "error name");
        if row.name == UNHANDLED {
            report.fault(
                &path.key("name"),
                "`Unhandled` is reserved for errors the table does not list",
            );
        }
        report.unique(&mut row_names, &row.name, path.key("name"), "error name");
        if !(100..=599).contains(&row.status) {
            report.fault(
                &path.key("status"),
                format!("{} is not an HTTP status", row.status),
            );
        }
        report.non_empty(&row.description, &path.key("description"));
        report.non_empty(&row.meaning, &path.key("meaning"));
        check_fields(report, &row.fields, &path.key("fields"));
        // The variant keeps the raw error in a field of this name beside the captured ones.
        for (j, field) in row.fields.iter().enumerate() {
            if names::snake(&field.name) == "meta" {
                report.fault(
                    &path.key("fields").index(j).key("name"),
                    "`meta` is reserved for the raw error each variant keeps",
                );
            }
        }
        let placeholders = if row.mode == MatchMode::Pattern {
            match pattern_placeholders(&row.description) {
                Ok(found) => Some(found),
                Err(message) => {
                    report.fault(&path.key("description"), message);
                    None
                }
            }
        } else {
            None
        };
        let declared: BTreeSet<String> =
            row.fields.iter().map(|field| field.name.clone()).collect();
        match &placeholders {
            Some(found) if *found != declared => report.fault(
                &path.key("fields"),
                format!(
                    "the pattern's placeholders {} must be exactly the declared fields {}",
                    list(found),
                    list(&declared)
                ),
            ),
            None if row.mode != MatchMode::Pattern && !row.fields.is_empty() => report.fault(
                &path.key("fields"),
                "only rows with `match: pattern` capture fields",
            ),
            _ => {}
        }
        let mut forms = vec![(
            path.clone(),
            row.code.clone(),
            row.description.clone(),
            row.mode,
        )];
        for (j, alternative) in row.also.iter().enumerate() {
            let alt_path = path.key("also").index(j);
            if alternative.code.is_none() && alternative.description.is_none() {
                report.fault(
                    &alt_path,
                    "an alternative must change `code` or `description`",
                );
                continue;
            }
            report.non_empty(&alternative.note, &alt_path.key("note"));
            let mode = alternative.mode.unwrap_or(row.mode);
            let description = alternative
                .description
                .clone()
                .unwrap_or_else(|| row.description.clone());
            if mode == MatchMode::Pattern {
                match pattern_placeholders(&description) {
                    Ok(found) if found == declared => {}
                    Ok(found) => report.fault(
                        &alt_path.key("description"),
                        format!(
                            "the pattern's placeholders {} must be exactly the row's fields {}",
                            list(&found),
                            list(&declared)
                        ),
                    ),
                    Err(message) => report.fault(&alt_path.key("description"), message),
                }
            } else if !row.fields.is_empty() {
                report.fault(
                    &alt_path.key("match"),
                    "a row with fields can only be recognised by patterns",
                );
            }
            report.non_empty(&description, &alt_path.key("description"));
            let code = alternative.code.clone().unwrap_or_else(|| row.code.clone());
            forms.push((alt_path, code, description, mode));
        }
        for (form_path, code, description, mode) in forms {
            let key = (
                code.to_ascii_lowercase(),
                description.trim().to_owned(),
                mode,
            );
            if let Some(first) = matchers.get(&key) {
                let message =
                    format!("the same code and description already identify the error at {first}");
                report.fault(&form_path, message);
            } else {
                matchers.insert(key, form_path);
            }
        }
    }

    for (i, example) in spec.examples.requests.iter().enumerate() {
        let path = root.key("examples").key("requests").index(i);
        match serde_json::from_str::<serde_json::Value>(&example.body) {
            Ok(serde_json::Value::Object(_)) => {}
            Ok(_) => report.fault(&path.key("body"), "a request body must be a JSON object"),
            Err(error) => report.fault(&path.key("body"), format!("not valid JSON: {error}")),
        }
    }
    for (i, example) in spec.examples.responses.iter().enumerate() {
        let path = root.key("examples").key("responses").index(i);
        if !(100..=599).contains(&example.status) {
            report.fault(
                &path.key("status"),
                format!("{} is not an HTTP status", example.status),
            );
        }
        if let Some(name) = &example.error {
            if !spec.errors.iter().any(|row| &row.name == name) {
                let known: BTreeSet<String> =
                    spec.errors.iter().map(|row| row.name.clone()).collect();
                report.fault(
                    &path.key("error"),
                    format!("no error row is named `{name}`{}", suggest(name, &known)),
                );
            }
            if example.system_error.is_some() {
                report.fault(
                    &path.key("system_error"),
                    "an example expects either `error` or `system_error`, not both",
                );
            }
        }
    }
}

fn check_fields(
    report: &mut Report<'_, impl Sized>,
    fields: &[crate::spec::FieldSpec],
    path: &KeyPath,
) {
    let mut seen = BTreeMap::new();
    let mut rust_seen = BTreeMap::new();
    for (i, field) in fields.iter().enumerate() {
        let field_path = path.index(i);
        if !is_wire_key(&field.name) {
            report.fault(
                &field_path.key("name"),
                format!(
                    "`{}` is not a field name: letters, digits and `_`, starting with a letter",
                    field.name
                ),
            );
            continue;
        }
        if !report.unique(&mut seen, &field.name, field_path.key("name"), "field") {
            continue;
        }
        let rust = names::snake(&field.name);
        if let Some(first) = rust_seen.get(&rust) {
            let message = format!(
                "field `{}` becomes the Rust name `{rust}`, like the field at {first}",
                field.name
            );
            report.fault(&field_path.key("name"), message);
        } else {
            rust_seen.insert(rust, field_path.key("name"));
        }
        report.non_empty(&field.description, &field_path.key("description"));
        for (j, alias) in field.aliases.iter().enumerate() {
            if !is_wire_key(alias) {
                report.fault(
                    &field_path.key("aliases").index(j),
                    format!("`{alias}` is not a field name"),
                );
            } else {
                report.unique(
                    &mut seen,
                    alias,
                    field_path.key("aliases").index(j),
                    "field or alias",
                );
            }
        }
    }
}

/// The name of an open map must be a Rust field name that no named field already takes.
fn open_fields(
    report: &mut Report<'_, impl Sized>,
    open: &OpenFieldsSpec,
    path: &KeyPath,
    taken: &BTreeMap<String, KeyPath>,
) {
    let rust = names::snake(&open.name);
    if !names::is_valid_ident(&rust) || rust != open.name {
        report.fault(
            &path.key("name"),
            format!("`{}` must be a snake_case Rust field name", open.name),
        );
    } else if let Some(first) = taken.get(&rust) {
        let message = format!("`{rust}` is already the Rust name of {first}");
        report.fault(&path.key("name"), message);
    }
    report.non_empty(&open.description, &path.key("description"));
}

fn check_enum(source: &Source<EnumSpec>, report: &mut Report<'_, EnumSpec>) {
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

fn check_event(source: &Source<EventSpec>, report: &mut Report<'_, EventSpec>) {
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
    check_fields(report, &spec.fields, &root.key("fields"));
    for (i, example) in spec.examples.iter().enumerate() {
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&example.body) {
            report.fault(
                &root.key("examples").index(i).key("body"),
                format!("not valid JSON: {error}"),
            );
        }
    }
}

fn obtain_from(report: &mut Report<'_, impl Sized>, methods: &[String], path: &KeyPath) {
    for (i, method) in methods.iter().enumerate() {
        if !is_method_name(method) {
            report.fault(&path.index(i), format!("`{method}` is not a method name"));
        }
    }
}

/// The `{name}` placeholders of a pattern, or why it is malformed.
pub fn pattern_placeholders(pattern: &str) -> Result<BTreeSet<String>, String> {
    let mut found = BTreeSet::new();
    for (_, placeholder) in split_pattern(pattern)? {
        if let Some(name) = placeholder
            && !found.insert(name.clone())
        {
            return Err(format!("placeholder `{{{name}}}` appears twice"));
        }
    }
    if found.is_empty() {
        return Err("a pattern needs at least one `{field}` placeholder".into());
    }
    Ok(found)
}

/// Splits a pattern into (literal, following placeholder) pairs.
pub fn split_pattern(pattern: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut parts = Vec::new();
    let mut rest = pattern;
    loop {
        match rest.find('{') {
            None => {
                if rest.contains('}') {
                    return Err("unmatched `}` in pattern".into());
                }
                parts.push((rest.to_owned(), None));
                return Ok(parts);
            }
            Some(open) => {
                let literal = &rest[..open];
                if literal.contains('}') {
                    return Err("unmatched `}` in pattern".into());
                }
                let after = &rest[open + 1..];
                let close = after.find('}').ok_or("unclosed `{` in pattern")?;
                let name = &after[..close];
                if !is_wire_key(name) {
                    return Err(format!(
                        "`{{{name}}}` is not a placeholder: use `{{field_name}}`"
                    ));
                }
                if open == 0
                    && parts
                        .last()
                        .is_some_and(|(_, p): &(String, Option<String>)| p.is_some())
                {
                    return Err("two placeholders must be separated by text".into());
                }
                parts.push((literal.to_owned(), Some(name.to_owned())));
                rest = &after[close + 1..];
            }
        }
    }
}

fn check_grammar(source: &Source<GrammarSpec>, report: &mut Report<'_, GrammarSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    report.upper_camel(&spec.grammar, &root.key("grammar"), "grammar name");
    report.non_empty(&spec.summary, &root.key("summary"));
    if spec.forms.is_empty() {
        report.fault(&root.key("forms"), "a grammar needs at least one form");
    }
    let mut prefixes = BTreeMap::new();
    let mut variants = BTreeMap::new();
    for (i, form) in spec.forms.iter().enumerate() {
        let path = root.key("forms").index(i);
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
        obtain_from(report, &form.obtain_from, &path.key("obtain_from"));
    }
    // With prefixes tried longest first, a string is read two ways only when a shorter
    // prefix's value could begin with the rest of a longer prefix.
    for (i, short) in spec.forms.iter().enumerate() {
        for (j, long) in spec.forms.iter().enumerate() {
            if i == j || long.prefix.len() <= short.prefix.len() || short.prefix.is_empty() {
                continue;
            }
            let Some(rest) = long.prefix.strip_prefix(short.prefix.as_str()) else {
                continue;
            };
            let overlaps = match short.value {
                FormValue::None => false,
                FormValue::Id => rest.starts_with(|c: char| c.is_ascii_digit()),
                FormValue::Text => true,
            };
            if overlaps {
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
                report.fault(&root.key("forms").index(j).key("prefix"), message);
            }
        }
    }
}

fn check_object(source: &Source<ObjectSpec>, report: &mut Report<'_, ObjectSpec>) {
    let spec = &source.spec;
    let root = KeyPath::root();
    report.upper_camel(&spec.object, &root.key("object"), "object name");
    report.non_empty(&spec.summary, &root.key("summary"));
    check_fields(report, &spec.fields, &root.key("fields"));
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
        open_fields(report, open, &root.key("other_fields"), &taken);
    }
}

fn list(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        return "(none)".into();
    }
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// ` (did you mean `x`?)` when a known name is close to `name`.
pub fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a String>) -> String {
    known
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| format!(" (did you mean `{candidate}`?)"))
        .unwrap_or_default()
}
