//! The method's docs, on its request struct, and each parameter's, on its field.

use crate::emit::docs::{self, Doc, code};
use crate::emit::types;
use crate::model::{Method, PageField, Pager, Param};
use crate::names;
use crate::spec::{ApiVersion, PagingSpec};

/// The method's docs on the request struct.
pub(super) fn method_doc(method: &Method) -> Doc {
    let spec = &method.spec;
    let mut doc = Doc::default();
    doc.para(&spec.summary);
    if let Some(description) = &spec.description {
        doc.para(description);
    }
    doc.para(format!(
        "Wire method {} (scope {}).",
        code(&spec.method),
        code(&spec.scope)
    ));
    if spec.api == ApiVersion::V3 {
        doc.para(
            "**REST 3.0:** sent to `/rest/api/…`; errors come as `{\"error\": {\"code\", \
             \"message\"}}`.",
        );
    }
    if !spec.permission.is_empty() {
        let codes: Vec<String> = spec.permission.iter().map(|c| code(c.trim())).collect();
        doc.para(format!("Permission scope: {}", codes.join(", ")));
    }
    doc.para(format!("**Who may call it:** {}", spec.access.trim()));
    doc.para(format!(
        "**Result:** {} — {}",
        types::describe(&method.result),
        spec.result.description.trim()
    ));
    doc.para(repeat_words(method));
    doc.para(if spec.batch {
        "Allowed inside `batch`."
    } else {
        "Not allowed inside `batch`."
    });
    if let Some(words) = spec.paging.and_then(|paging| paging_words(method, paging)) {
        doc.para(words);
    }
    match &spec.docs {
        Some(url) => doc.para(format!(
            "Official documentation: [{}]({})",
            spec.title.trim(),
            url.trim()
        )),
        None => doc.para(format!("Official documentation: *{}*", spec.title.trim())),
    };
    doc.para(sent_with(method));
    doc
}

/// How the method pages, in words, with the parameters that do it; `None` for `start`, which
/// the call's `pages()` documents.
fn paging_words(method: &Method, paging: PagingSpec) -> Option<String> {
    // The parameter's wire key as the spec spells it (any case, `navParams`).
    let key = |folded: &str| {
        method
            .params
            .iter()
            .map(|p| p.spec.name.as_str())
            .find(|name| name.replace('_', "").eq_ignore_ascii_case(folded))
            .map(code)
    };
    let shape = match paging {
        PagingSpec::Start => return None,
        PagingSpec::Offset => {
            let limit = key("limit").map_or(String::new(), |limit| {
                format!(", {limit} sets how many records a page holds")
            });
            format!(
                "**Paging:** {} skips that many records{limit}.",
                key("offset").unwrap_or_default()
            )
        }
        PagingSpec::Page => format!(
            "**Paging:** {} is the number of the page to read, from 1.",
            key("page").unwrap_or_default()
        ),
        PagingSpec::NavParams => format!(
            "**Paging:** {} is an object, `{{\"nPageSize\": 50, \"iNumPage\": 2}}`: the page \
             size and the number of the page to read, from 1.",
            key("navparams").unwrap_or_default()
        ),
        PagingSpec::Pagination if method.spec.page_next.is_some() => format!(
            "**Paging:** {} is REST 3.0's object `{{\"limit\": 50, \"afterCursor\": …}}`: \
             the page size, and the cursor of the page to read (none for the first).",
            key("pagination").unwrap_or_default()
        ),
        PagingSpec::Pagination => format!(
            "**Paging:** {} is REST 3.0's object `{{\"page\": 1, \"limit\": 50, \"offset\": \
             0}}`: the page to read, its size, and records to skip.",
            key("pagination").unwrap_or_default()
        ),
    };
    Some(match &method.pager {
        Some(pager) => format!("{shape} {}", walk_words(method, pager)),
        None => shape,
    })
}

/// What `.pages()` does for a shape other than `start`: how it moves, and where it stops.
fn walk_words(method: &Method, pager: &Pager) -> String {
    // The fields' wire names, as the spec names them, where the model resolved them.
    let named = |field: &Option<PageField>, wire: &Option<String>| {
        field.as_ref().and(wire.as_deref()).map(code)
    };
    let more = named(&pager.more, &method.spec.page_more);
    let next = named(&pager.next, &method.spec.page_next);
    let (moves, ends) = match (next, pager.shape) {
        (Some(next), PagingSpec::Pagination) => (
            format!("sends each answer's {next} back as `pagination.afterCursor`"),
            format!("on an answer without {next}"),
        ),
        (Some(next), _) => (
            format!("sends each answer's {next} back as the offset"),
            format!("on an answer without {next}"),
        ),
        (None, PagingSpec::Page | PagingSpec::NavParams) => (
            "asks for the next page number".to_owned(),
            "on a page shorter than those before it".to_owned(),
        ),
        (None, _) => (
            "moves the offset by the records received".to_owned(),
            "on a page shorter than those before it".to_owned(),
        ),
    };
    let more = more.map_or(String::new(), |more| format!(", on {more} false"));
    format!(
        "The call's `.pages()` walks every page: it {moves}, and stops on an empty page{more} \
         or {ends}."
    )
}

/// Where the docs send a reader to call the method: the accessor, or the generic call.
fn sent_with(method: &Method) -> String {
    let mut path: Vec<String> = method
        .accessor_path
        .iter()
        .map(|segment| names::snake(segment).trim_start_matches("r#").to_owned())
        .collect();
    path.push(method.fn_name.trim_start_matches("r#").to_owned());
    format!(
        "Sent with [`client.{}(…)`](super::{}::{}), which has an example, or with \
         [`Client::call`](b24_rest_runtime::Client::call).",
        path.join("()."),
        method.accessor_type,
        method.fn_name.trim_start_matches("r#")
    )
}

fn repeat_words(method: &Method) -> String {
    match (method.spec.safe_to_repeat, &method.spec.repeat_note) {
        (true, note) => format!("**Safe to repeat:** yes. {}", note.as_deref().unwrap_or("")),
        (false, Some(note)) => format!("**Not safe to repeat.** {}", note.trim()),
        (false, None) => "**Not safe to repeat:** after an ambiguous failure (timeout, connection \
                          lost after sending) the call is never sent again automatically."
            .to_owned(),
    }
}

/// A parameter's docs: wire name, type, whether required, description, default, where to
/// get a value.
pub(super) fn param_doc(param: &Param) -> Doc {
    let mut doc = Doc::default();
    doc.para(format!(
        "{} ({}, {}).",
        code(&param.spec.name),
        types::describe(&param.ty),
        if param.spec.required {
            "required"
        } else {
            "optional"
        }
    ));
    doc.para(&param.spec.description);
    if !param.spec.aliases.is_empty() {
        let keys: Vec<String> = param.spec.aliases.iter().map(|a| code(a)).collect();
        doc.para(format!(
            "Also read as {} when a request is read from JSON; always sent as {}.",
            keys.join(", "),
            code(&param.spec.name)
        ));
    }
    if let Some(default) = &param.spec.default {
        doc.para(format!("Default: {}", default.trim()));
    }
    doc.para(docs::obtain_from(&param.spec.obtain_from));
    doc
}
