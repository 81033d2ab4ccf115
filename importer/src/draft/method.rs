//! A method page's draft: the head (names, texts, repeat safety), parameters and result;
//! errors and examples come from their own modules.

use std::collections::{BTreeMap, BTreeSet};

use super::ojson::OValue;
use super::types::{result_fits, spec_type};
use super::{
    Drafted, Gap, Keys, MethodDraft, PageInput, ParamDraft, RESERVED_MODULES, docs_url, module_of,
    sentence,
};
use crate::model::{ApiVersion, NameSource, Page, Param};

/// Methods of the generated request and call types an optional parameter's setter would
/// shadow (the generator refuses them).
const SETTER_NAMES_TAKEN: &[&str] = &[
    "custom_field",
    "into_call",
    "new",
    "pages",
    "read_all",
    "request",
    "send",
];

/// Drafts one method page (or says why it cannot be).
pub(super) fn draft(
    input: &PageInput,
    v2_names: &BTreeSet<&str>,
    folder_module: Option<&str>,
    keys: Keys,
) -> Drafted {
    let page = &input.page;
    let name = page.method.as_ref().map(|m| m.name.clone());
    let skip = |reason: &str, detail: String| Drafted::Skipped {
        page: page.path.clone(),
        module: name.as_deref().map(module_of).unwrap_or_default(),
        name: name.clone(),
        deprecated: page.deprecated.is_some(),
        event: false,
        gap: Gap::new(reason, detail),
    };
    let Some(method) = name.clone() else {
        return skip("no method name", "the page names no method".into());
    };
    if let Err(why) = check_name(&method) {
        return skip("method name not usable", why);
    }
    let module = match module_for(&method, folder_module) {
        Ok(module) => module,
        Err(detail) => return skip("module name reserved", detail),
    };
    let v3 = page.api == Some(ApiVersion::V3);
    if v3 && !keys.api {
        let detail = "the spec format has no `api: v3` yet".into();
        return skip("REST 3.0 not supported", detail);
    }
    let mut draft = head(input, &method, &module, v3, v2_names);
    draft.params = params(page, keys, &mut draft.gaps);
    result(page, &mut draft);
    draft.paging = paging(&draft);
    if draft.paging.is_some() {
        page_fields(&mut draft);
    }
    super::errors::rows(page, keys, &mut draft);
    super::examples::requests(page, &mut draft);
    super::examples::responses(page, &mut draft);
    super::errors::examples(page, &mut draft);
    Drafted::Method(Box::new(draft))
}

/// The module one-segment methods go in (`profile`, `scope`, `methods`, `events`: the ones
/// the docs file under "common").
const COMMON_MODULE: &str = "common";

/// The module a method goes in: its name's first segment; [`COMMON_MODULE`] for a name of
/// one segment; the module of its page's folder when the first segment is a name the crate
/// reserves (`call.followup.get`, filed under telephony: `client.call()` is the generic call).
fn module_for(method: &str, folder_module: Option<&str>) -> Result<String, String> {
    if !method.contains('.') {
        return Ok(COMMON_MODULE.to_owned());
    }
    let first = module_of(method);
    if !RESERVED_MODULES.contains(&first.as_str()) {
        return Ok(first);
    }
    folder_module
        .filter(|folder| !RESERVED_MODULES.contains(folder) && *folder != first)
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "`{first}` is a name the generated crate uses for itself, and the page's folder \
                 has no other module"
            )
        })
}

/// A name the generator takes: dot-separated keys whose first one is lower case (it names
/// the module and the folder).
fn check_name(method: &str) -> Result<(), String> {
    let segments: Vec<&str> = method.split('.').collect();
    let key = |s: &&str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
    };
    if !segments.iter().all(key) {
        return Err(format!(
            "`{method}` is not dot-separated segments of letters, digits and `_`"
        ));
    }
    if segments[0] != segments[0].to_ascii_lowercase() {
        return Err(format!("`{method}`: the first segment is not lower case"));
    }
    Ok(())
}

/// Everything above the parameters.
fn head(
    input: &PageInput,
    method: &str,
    module: &str,
    v3: bool,
    v2_names: &BTreeSet<&str>,
) -> MethodDraft {
    let page = &input.page;
    let file = format!(
        "spec/imported/{module}/{method}{}.yaml",
        if v3 { ".v3" } else { "" }
    );
    let leaf = method.rsplit('.').next().unwrap_or(method);
    let rust_name = (v3 && v2_names.contains(method)).then(|| format!("{}_v3", snake(leaf)));
    let (safe, note) = repeat_safety(leaf);
    let title = title(page, method);
    MethodDraft {
        page: page.path.clone(),
        sha256: input.sha256.clone(),
        file,
        method: method.to_string(),
        api: if v3 { ApiVersion::V3 } else { ApiVersion::V2 },
        scope: module.to_string(),
        permission: page
            .scope
            .as_ref()
            .map(|s| s.scopes.clone())
            .unwrap_or_default(),
        rust_name,
        summary: summary(page, method).unwrap_or_else(|| sentence(&title)),
        title,
        access: access(page),
        docs: docs_url(&page.path),
        safe_to_repeat: safe,
        repeat_note: note,
        deprecated: page.deprecated.as_ref().map(|d| deprecation(&d.text)),
        params: Vec::new(),
        paging: None,
        page_records: None,
        page_more: None,
        page_next: None,
        objects: Vec::new(),
        result_type: "any".into(),
        result_description: String::new(),
        errors: Vec::new(),
        requests: Vec::new(),
        responses: Vec::new(),
        gaps: Vec::new(),
    }
}

/// The title without the method name it ends with.
fn title(page: &Page, method: &str) -> String {
    let title = page.title.as_ref().map(|t| t.value.trim()).unwrap_or("");
    let by_title = page.method.as_ref().map(|m| m.source) == Some(NameSource::TitleEnd);
    let short = match title.strip_suffix(method) {
        Some(rest) if by_title => rest.trim_end_matches([' ', ':', '-', '—']).trim(),
        _ => title,
    };
    let short = super::plain(short);
    if short.is_empty() {
        method.to_string()
    } else {
        short
    }
}

/// The intro's first sentence, "The method `x.y` adds …" turned into "Adds …".
fn summary(page: &Page, method: &str) -> Option<String> {
    let intro = super::plain(&page.intro.as_ref()?.value);
    let first = first_sentence(&intro);
    let lower = first.to_lowercase();
    let prefixes = [
        format!("the method {} ", method.to_lowercase()),
        format!("the {} method ", method.to_lowercase()),
        format!("method {} ", method.to_lowercase()),
        "this method ".to_string(),
        "the method ".to_string(),
    ];
    let rest = prefixes
        .iter()
        .find_map(|p| lower.starts_with(p.as_str()).then(|| &first[p.len()..]))
        .unwrap_or(first);
    let out = sentence(rest);
    (out.len() > 1).then_some(out)
}

/// Up to the first `. ` (or the whole text).
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
    }
}

fn access(page: &Page) -> String {
    match &page.access {
        Some(a) if !super::plain(&a.who).is_empty() => sentence(&super::plain(&a.who)),
        _ => "Not stated on the page.".into(),
    }
}

fn deprecation(text: &str) -> String {
    let text = super::plain(text);
    if text.is_empty() {
        "The page is in the reference's outdated section.".into()
    } else {
        text
    }
}

/// Read-only leaves (`get`, `list`, `getFields`, …) are safe to repeat; anything else may
/// create, post or notify, so a call that may have run is not sent again.
fn repeat_safety(leaf: &str) -> (bool, String) {
    const READ: &[&str] = &[
        "get", "list", "fields", "search", "count", "info", "status", "version", "find",
        "describe", "check", "types", "settings",
        // The one-segment methods of the common module name what they return.
        "profile", "scope", "methods", "events",
    ];
    const READ_PREFIXES: &[&str] = &["get", "list", "search", "count", "find", "is", "has"];
    let lower = leaf.to_ascii_lowercase();
    let read = READ.contains(&lower.as_str())
        || READ_PREFIXES.iter().any(|p| {
            lower.starts_with(p)
                && (leaf.len() == p.len()
                    || leaf[p.len()..].starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
                    || matches!(*p, "get" | "list"))
        });
    if read {
        (
            true,
            format!("`{leaf}` only reads: sending it twice changes nothing."),
        )
    } else {
        (
            false,
            format!(
                "`{leaf}` may change data (drafted from the name), so a call that may have run is not sent again automatically."
            ),
        )
    }
}

/// `snake_case` of a name, by the generator's rule.
pub(super) fn snake(name: &str) -> String {
    heck::ToSnakeCase::to_snake_case(name)
}

/// The paging shape the parameters show: `start` (for a list result, the one shape the
/// pager walks), `offset`, `page`, `nav_params`, or REST 3.0's `pagination`; each needs its
/// parameters optional (and integers where they are numbers).
pub(super) fn paging(draft: &MethodDraft) -> Option<String> {
    let find = |key: &str| {
        draft
            .params
            .iter()
            .find(|p| p.name.replace('_', "").eq_ignore_ascii_case(key))
    };
    let optional_integer = |p: &ParamDraft| p.ty == "integer" && !p.required;
    let v3 = draft.api == ApiVersion::V3;
    let start = draft
        .params
        .iter()
        .any(|p| p.name == "start" && optional_integer(p));
    let shape = if v3 {
        find("pagination")
            .filter(|p| !p.required)
            .map(|_| "pagination")
    } else if start && (draft.result_type.ends_with("[]") || wrapped_records(draft).is_some()) {
        Some("start")
    } else if find("offset").is_some_and(optional_integer)
        && find("limit").is_none_or(optional_integer)
    {
        Some("offset")
    } else if find("page").is_some_and(optional_integer) {
        Some("page")
    } else {
        find("navparams")
            .filter(|p| !p.required)
            .map(|_| "nav_params")
    };
    shape.map(str::to_string)
}

/// Fields of a result's record that name the following page (`nextOffset: 2002`,
/// `nextCursor: {...}`, REST 3.0's `afterCursor`), compared ignoring case and `_`.
const NEXT_FIELDS: [&str; 3] = ["nextoffset", "nextcursor", "aftercursor"];

/// Boolean fields of a result's record that say whether more pages follow, in preference order.
const MORE_FIELDS: [&str; 3] = ["hasmore", "hasnextpage", "hasmorepages"];

/// A field name folded for comparison: lower case, no `_`.
fn folded(name: &str) -> String {
    name.replace('_', "").to_ascii_lowercase()
}

/// For a list wrapped in an object: the fields of the result's record a pager reads (the
/// records, whether more follow, where the next page starts), where the page lists them.
pub(super) fn page_fields(draft: &mut MethodDraft) {
    let Some(object) = draft.objects.iter().find(|o| o.name == draft.result_type) else {
        return;
    };
    let named = |names: &[&str], ty: Option<&str>| {
        names.iter().find_map(|name| {
            object
                .fields
                .iter()
                .find(|f| folded(&f.name) == *name && ty.is_none_or(|ty| f.ty == ty))
                .map(|f| f.name.clone())
        })
    };
    let moves_itself = matches!(draft.paging.as_deref(), Some("offset" | "pagination"));
    let next = moves_itself.then(|| named(&NEXT_FIELDS, None)).flatten();
    let more = named(&MORE_FIELDS, Some("boolean"));
    draft.page_records = wrapped_records(draft);
    let wrapped = draft.page_records.is_some();
    draft.page_next = next.filter(|_| wrapped);
    draft.page_more = more.filter(|_| wrapped);
}

/// For a list wrapped in an object (`{"items": [...]}`, `{"bots": [...]}`): the field of the
/// result's record that holds the records (typed `T[]`, or `any` where the page's example
/// shows no record to type it by): one named `items`, else the only such field but a cursor,
/// else the one named after the listed thing (`bots` for `imbot.v2.Bot.list`).
fn wrapped_records(draft: &MethodDraft) -> Option<String> {
    let object = draft.objects.iter().find(|o| o.name == draft.result_type)?;
    let lists: Vec<&str> = object
        .fields
        .iter()
        .filter(|field| field.ty.ends_with("[]") || field.ty == "any")
        .map(|field| field.name.as_str())
        .filter(|name| !NEXT_FIELDS.contains(&folded(name).as_str()))
        .collect();
    if let Some(items) = lists.iter().find(|name| **name == "items") {
        return Some((*items).to_owned());
    }
    if let [only] = lists.as_slice() {
        return Some((*only).to_owned());
    }
    let segments: Vec<&str> = draft.method.split('.').collect();
    let listed = segments
        .len()
        .checked_sub(2)
        .map(|i| folded(segments[i]) + "s")?;
    lists
        .iter()
        .find(|name| folded(name) == listed)
        .map(|name| (*name).to_owned())
}

/// The first parameter table's rows as parameters; rows whose names are not wire keys,
/// repeated names and Rust-name clashes without `rust_name` are gaps.
fn params(page: &Page, keys: Keys, gaps: &mut Vec<Gap>) -> Vec<ParamDraft> {
    let Some(table) = page.first_param_table() else {
        return Vec::new();
    };
    let mut out: Vec<ParamDraft> = Vec::new();
    let mut wire = BTreeSet::new();
    let mut rust: BTreeMap<String, String> = BTreeMap::new();
    let mut untyped_names = Vec::new();
    for row in &table.rows {
        if !is_key(&row.name) {
            gaps.push(Gap::new(
                "parameter left out",
                format!("`{}` is not a parameter key", row.name),
            ));
            continue;
        }
        if !wire.insert(row.name.clone()) {
            gaps.push(Gap::new(
                "parameter left out",
                format!("`{}` is listed twice", row.name),
            ));
            continue;
        }
        if let Some(why) = untyped(row) {
            untyped_names.push(format!("{} ({why})", row.name));
        }
        let mut param = param(row);
        if let Some(taken) = rust_clash(&param, &rust) {
            if !keys.rust_name {
                gaps.push(Gap::new("parameter left out", taken));
                continue;
            }
            param.rust_name = Some(free_name(&param, &rust));
        }
        let name = param
            .rust_name
            .clone()
            .unwrap_or_else(|| snake(&param.name));
        rust.insert(name, param.name.clone());
        out.push(param);
    }
    if !untyped_names.is_empty() {
        gaps.push(Gap::new(
            "untyped parameters (any)",
            untyped_names.join(", "),
        ));
    }
    out
}

/// Why a parameter drafted as `any` is less than the page says, if it is: no type word,
/// words that disagree or that the SDK does not know, or an object whose fields the page
/// details. An `object` or `array` the page leaves open (filters, field maps) is `any` on
/// the page too.
fn untyped(row: &Param) -> Option<&'static str> {
    if spec_type(&row.types) != "any" {
        return None;
    }
    let open = |t: &crate::model::TypeRef| {
        matches!(
            t.name.to_ascii_lowercase().as_str(),
            "object" | "array" | "any" | "object[]"
        )
    };
    match row.types.as_slice() {
        [] => Some("no type on the page"),
        words if !words.iter().all(open) => Some("type not mapped"),
        _ if row.nested != crate::model::Nested::None => Some("fields not drafted"),
        _ => None,
    }
}

fn is_key(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn param(row: &Param) -> ParamDraft {
    let description = super::plain_keep(&row.description);
    ParamDraft {
        name: row.name.clone(),
        ty: spec_type(&row.types),
        required: row.required,
        description: if description.is_empty() {
            "Not described on the page.".into()
        } else {
            description
        },
        default: row
            .default
            .as_ref()
            .map(|d| sentence(d))
            .filter(|d| !d.is_empty()),
        rust_name: None,
    }
}

/// Why the parameter's Rust name is not free: another parameter's, or a setter the request
/// already has.
fn rust_clash(param: &ParamDraft, taken: &BTreeMap<String, String>) -> Option<String> {
    let name = snake(&param.name);
    if let Some(first) = taken.get(&name) {
        return Some(format!(
            "`{}` and `{first}` are both `{name}` in Rust",
            param.name
        ));
    }
    (!param.required && SETTER_NAMES_TAKEN.contains(&name.as_str())).then(|| {
        format!(
            "`{}` would be the setter `{name}()` the request already has",
            param.name
        )
    })
}

/// A Rust name no other parameter takes: `sort_upper` for `SORT` beside `sort`, else a
/// numbered one.
fn free_name(param: &ParamDraft, taken: &BTreeMap<String, String>) -> String {
    let base = snake(&param.name);
    let upper = param.name.chars().any(|c| c.is_ascii_uppercase())
        && !param.name.chars().any(|c| c.is_ascii_lowercase());
    let first = if upper {
        format!("{base}_upper")
    } else {
        format!("{base}_param")
    };
    if !taken.contains_key(&first) {
        return first;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|n| !taken.contains_key(n))
        .unwrap_or(first)
}

/// The records of a result keyed by id (`{"103": {...}, "104": {...}}`, as `im.search.user.list`
/// answers): an object whose keys are all integers and whose values are all objects.
pub(super) fn keyed_records(result: &OValue) -> Option<Vec<&OValue>> {
    let OValue::Object(entries) = result else {
        return None;
    };
    let keyed = !entries.is_empty()
        && entries.iter().all(|(key, value)| {
            super::ojson::is_integer(key) && matches!(value, OValue::Object(_))
        });
    keyed.then(|| entries.iter().map(|(_, value)| value).collect())
}

/// The result: a scalar type from the Returned Data table's `result` row (integers as `id`:
/// servers send them as numbers or strings), `any` for anything structured; success
/// examples that contradict the type make it `any`.
fn result(page: &Page, draft: &mut MethodDraft) {
    let row = page
        .returned
        .iter()
        .flat_map(|t| &t.rows)
        .find(|r| r.name.eq_ignore_ascii_case("result"));
    let mut ty = row
        .map(|r| spec_type(&r.types))
        .unwrap_or_else(|| "any".into());
    ty = match ty.as_str() {
        "integer" => "id".into(),
        "boolean" | "string" | "double" | "date" | "datetime" => ty,
        _ => "any".into(),
    };
    if row.is_none() {
        ty = from_example(page).unwrap_or(ty);
    }
    if ty == "any"
        && let Some(row) = row
        && let Some(object) = super::objects::result_object(page, row, draft)
    {
        let list = row
            .types
            .iter()
            .any(|t| t.name == "array" || t.name.ends_with("[]"));
        let keyed = success_results(page)
            .next()
            .is_some_and(|r| keyed_records(&r).is_some());
        ty = match (list, keyed) {
            (true, _) => format!("{}[]", object.name),
            (false, true) => format!("{}{{}}", object.name),
            (false, false) => object.name.clone(),
        };
        draft.objects.push(object);
    }
    if ty == "any"
        && let Some(first) = success_results(page).next()
        && let Some((object, shape)) = super::objects::example_object(draft, &first)
    {
        ty = shape.type_of(&object.name);
        draft.objects.push(object);
    }
    let contradicted = success_results(page).any(|r| !result_fits(&r, &ty));
    if contradicted {
        draft.objects.clear();
    }
    if contradicted && ty != "any" {
        draft.gaps.push(Gap::new(
            "result type contradicted by an example",
            format!("the page says `{ty}`"),
        ));
        ty = "any".into();
    }
    if ty == "any" {
        draft
            .gaps
            .push(Gap::new("untyped result (any)", "structured or unstated"));
    }
    let description = row
        .map(|r| super::plain_keep(&r.description))
        .unwrap_or_default();
    draft.result_description = if description.is_empty() {
        "The `result` of the answer, as the page shows it.".into()
    } else {
        description
    };
    draft.result_type = ty;
}

/// A scalar type read from the first success example's `result`.
fn from_example(page: &Page) -> Option<String> {
    let first = success_results(page).next()?;
    Some(
        match first {
            OValue::Bool(_) => "boolean",
            OValue::Number(n) if super::ojson::is_integer(&n) && !n.starts_with('-') => "id",
            _ => "any",
        }
        .into(),
    )
}

/// The `result` of each success example that parses as it is written.
pub(super) fn success_results(page: &Page) -> impl Iterator<Item = OValue> + '_ {
    page.responses
        .iter()
        .filter(|r| r.statuses.is_empty() || r.statuses.contains(&200))
        .filter_map(|r| OValue::parse_example(&r.raw))
        .filter_map(|(v, _)| v.get("result").cloned())
}
