//! A list method's pager: how it pages (`paging:`), the parameter it moves, where a page's
//! records are (`page_records`), and what a page says of the next one (`page_more`,
//! `page_next`).

use super::fields::Field;
use super::method::Param;
use super::shared::Object;
use super::types::TypeRef;
use crate::diag::{KeyPath, SpecError, did_you_mean};
use crate::load::Source;
use crate::spec::{MethodSpec, PagingSpec};

/// What the generated `Paged` impl needs.
#[derive(Debug, Clone)]
pub struct Pager {
    /// The shape (`paging:`).
    pub shape: PagingSpec,
    /// Rust name of the parameter the pager moves (`start`, `offset`, `nav_params`).
    pub param: String,
    /// The type of one record.
    pub item: TypeRef,
    /// The result's field that holds the records; `None` when the result is the list (or an
    /// `any` result, whose records the runtime splits).
    pub records: Option<PageField>,
    /// A boolean field of the result, false on the last page (`page_more: hasMore`).
    pub more: Option<PageField>,
    /// A field of the result naming the following page (`page_next: nextCursor`).
    pub next: Option<PageField>,
}

/// A field of a list method's result the pager reads.
#[derive(Debug, Clone)]
pub struct PageField {
    /// The field's key on the wire.
    pub wire: String,
    /// Rust name of the field.
    pub rust: String,
    /// Whether the field is required (then a value, not an `Option`).
    pub required: bool,
    /// Whether the field is `any` (its records are JSON values), not `T[]`.
    pub untyped: bool,
}

impl PageField {
    fn of(field: &Field, untyped: bool) -> Self {
        PageField {
            wire: field.wire.clone(),
            rust: field.rust.clone(),
            required: field.spec.required,
            untyped,
        }
    }
}

/// The pager of a method with `paging:`, or `None` (with errors pushed for a spec that names
/// what its result does not have).
pub(super) fn resolve(
    source: &Source<MethodSpec>,
    params: &[Param],
    result: &TypeRef,
    objects: &[Object],
    errors: &mut Vec<SpecError>,
) -> Option<Pager> {
    let spec = &source.spec;
    let shape = spec.paging?;
    let mut fault = |key: &str, message: String| {
        errors.push(source.error_at(&KeyPath::root().key(key), message));
    };
    let named = [
        ("page_records", &spec.page_records),
        ("page_more", &spec.page_more),
        ("page_next", &spec.page_next),
    ];
    let object = match result {
        TypeRef::Local { name, .. } => objects.iter().find(|o| o.spec.object == *name),
        _ => None,
    };
    let Some(object) = object else {
        for (key, _) in named.iter().filter(|(_, wire)| wire.is_some()) {
            fault(
                key,
                format!("`{key}` names a field of the result, which is no object of this file"),
            );
        }
        return whole_result(shape, params, result, &mut fault);
    };
    let records = field_of(
        object,
        spec.page_records.as_deref(),
        "page_records",
        &mut fault,
    );
    let more = field_of(object, spec.page_more.as_deref(), "page_more", &mut fault);
    let next = field_of(object, spec.page_next.as_deref(), "page_next", &mut fault);
    let Some(records) = records? else {
        fault(
            "paging",
            format!(
                "a list method returns a list (`result.type: T[]`), a map keyed by id \
                 (`T{{}}`), or one of its own objects whose list field `page_records` names \
                 (`{}` is an object)",
                object.spec.object
            ),
        );
        return None;
    };
    let (item, untyped) = match &records.ty {
        TypeRef::List(item) => ((**item).clone(), false),
        TypeRef::Any => (TypeRef::Any, true),
        _ => {
            let message = format!("`{}` is typed `T[]` or `any`", records.wire);
            fault("page_records", message);
            return None;
        }
    };
    let more = match more? {
        Some(field) => Some(boolean(field, &mut fault)?),
        None => None,
    };
    let next = next?.map(|field| PageField::of(field, false));
    if next.is_some() && !matches!(shape, PagingSpec::Offset | PagingSpec::Pagination) {
        let message = format!(
            "`page_next` sends a position back in an offset or a cursor: `paging: {}` \
             numbers its pages itself",
            shape.key()
        );
        fault("page_next", message);
        return None;
    }
    Some(Pager {
        shape,
        param: param_of(shape, params)?,
        item,
        records: Some(PageField::of(records, untyped)),
        more,
        next,
    })
}

/// A result that is itself the page: a list of records, a map of them keyed by id (the
/// records are its values), or `any` (split by the runtime).
fn whole_result(
    shape: PagingSpec,
    params: &[Param],
    result: &TypeRef,
    fault: &mut impl FnMut(&str, String),
) -> Option<Pager> {
    let item = match result {
        TypeRef::List(item) | TypeRef::Map(item) => (**item).clone(),
        TypeRef::Any if shape != PagingSpec::Start => TypeRef::Any,
        _ => {
            fault(
                "paging",
                "a list method returns a list (`result.type: T[]`), a map keyed by id (`T{}`), \
                 or one of its own objects whose list field `page_records` names"
                    .to_owned(),
            );
            return None;
        }
    };
    Some(Pager {
        shape,
        param: param_of(shape, params)?,
        item,
        records: None,
        more: None,
        next: None,
    })
}

/// The field `wire` of the result object: `Some(None)` when the key is not given, `None`
/// (with a fault) when it names no field.
fn field_of<'o>(
    object: &'o Object,
    wire: Option<&str>,
    key: &str,
    fault: &mut impl FnMut(&str, String),
) -> Option<Option<&'o Field>> {
    let Some(wire) = wire else {
        return Some(None);
    };
    if let Some(field) = object.fields.iter().find(|field| field.wire == wire) {
        return Some(Some(field));
    }
    let fields = object.fields.iter().map(|f| f.wire.as_str());
    fault(
        key,
        format!(
            "`{wire}` is no field of `{}`{}",
            object.spec.object,
            did_you_mean(wire, fields)
        ),
    );
    None
}

/// `page_more` names a `boolean` field.
fn boolean(field: &Field, fault: &mut impl FnMut(&str, String)) -> Option<PageField> {
    if field.ty == TypeRef::Boolean {
        return Some(PageField::of(field, false));
    }
    fault(
        "page_more",
        format!(
            "`{}` is read as \"more pages follow\": it must be a `boolean`",
            field.wire
        ),
    );
    None
}

/// The parameter the shape moves; validation has made sure the method takes it.
fn param_of(shape: PagingSpec, params: &[Param]) -> Option<String> {
    let key = match shape {
        PagingSpec::Start => return exact(params, "start"),
        PagingSpec::Offset => "offset",
        PagingSpec::Page => "page",
        PagingSpec::NavParams => "navparams",
        PagingSpec::Pagination => "pagination",
    };
    params
        .iter()
        .find(|p| p.spec.name.replace('_', "").eq_ignore_ascii_case(key))
        .map(|p| p.rust.clone())
}

fn exact(params: &[Param], name: &str) -> Option<String> {
    params
        .iter()
        .find(|p| p.spec.name == name)
        .map(|p| p.rust.clone())
}
