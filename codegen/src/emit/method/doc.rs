//! The method's docs, on its request struct, and each parameter's, on its field.

use crate::emit::docs::{self, Doc, code};
use crate::emit::types;
use crate::model::{Method, Param};
use crate::names;

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

/// Where the docs send a reader to call the method: the accessor, or the generic call.
fn sent_with(method: &Method) -> String {
    let path: Vec<String> = method
        .spec
        .method
        .split('.')
        .map(|segment| names::snake(segment).trim_start_matches("r#").to_owned())
        .collect();
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
    if let Some(default) = &param.spec.default {
        doc.para(format!("Default: {}", default.trim()));
    }
    doc.para(docs::obtain_from(&param.spec.obtain_from));
    doc
}
