//! Where a page starts (`Position`), what a page says of the next one (`Following`), and the
//! helpers generated `Paged` impls read and write their paging parameters with.

use serde::Serialize;
use serde_json::{Map, Value};

/// How a list method's following page is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paging {
    /// `start` records are skipped; the answer's `next` is the `start` of the following page.
    Start,
    /// An offset (`OFFSET`, REST 3.0 `pagination.offset`) skips records: the following page
    /// starts after the records received so far.
    Offset,
    /// Pages are numbered (`page`, `NAV_PARAMS.iNumPage`): the following page is the next
    /// number.
    Page,
    /// The answer names the following page itself (`nextOffset`, `nextCursor`), and the last
    /// page names none.
    Answer,
}

/// Where a page starts: a number (records to skip, or a page number with [`Paging::Page`]) or
/// a cursor the server handed out, sent back as it came.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Position {
    /// Records to skip, or a page number.
    Index(u64),
    /// An opaque cursor (`{"position": 100, "id": 42}`); `null` before the first page.
    Cursor(Value),
}

impl Position {
    /// The number, for an index or a cursor that is a non-negative integer (or its text).
    pub fn index(&self) -> Option<u64> {
        match self {
            Position::Index(n) => Some(*n),
            Position::Cursor(value) => whole_number(value),
        }
    }
}

/// What one page's result says of the following page, where the method's result says anything:
/// whether more follow (`hasMore`), and where the next one starts (`nextOffset`, `nextCursor`).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Following {
    /// `Some(false)` on the last page, `Some(true)` when more follow; `None` when not said.
    pub more: Option<bool>,
    /// The following page's position, when the answer names one.
    pub next: Option<Position>,
}

impl Following {
    /// What a page says: more to come or not, and the following page's position.
    pub fn new(more: Option<bool>, next: Option<Position>) -> Self {
        Following { more, next }
    }
}

/// A non-negative integer, sent as a number or as its decimal text (`"2002"`).
fn whole_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// The position an integer paging parameter holds, `first` when it is unset or negative.
pub fn index_at(value: Option<i64>, first: u64) -> Position {
    let index = value.and_then(|n| u64::try_from(n).ok()).unwrap_or(first);
    Position::Index(index)
}

/// Writes an index into an integer paging parameter; `false` for a position that is no number.
pub fn set_index(field: &mut Option<i64>, position: &Position) -> bool {
    match position.index().and_then(|n| i64::try_from(n).ok()) {
        Some(n) => {
            *field = Some(n);
            true
        }
        None => false,
    }
}

/// The number under `key` of an object parameter (`NAV_PARAMS.iNumPage`), `first` when unset.
pub fn key_index(param: &Option<Value>, key: &str, first: u64) -> Position {
    let found = param
        .as_ref()
        .and_then(|p| p.get(key))
        .and_then(whole_number);
    Position::Index(found.unwrap_or(first))
}

/// Writes an index under `key` of an object parameter, keeping the caller's other keys
/// (`nPageSize`); `false` for a position that is no number or a parameter that is no object.
pub fn set_key_index(param: &mut Option<Value>, key: &str, position: &Position) -> bool {
    let Some(n) = position.index() else {
        return false;
    };
    match object(param) {
        Some(object) => {
            object.insert(key.to_owned(), Value::from(n));
            true
        }
        None => false,
    }
}

/// The records REST 3.0's `pagination` skips: `(page - 1) * limit` (limit 50 unless given)
/// when it names a page, as the server computes it then, else its `offset`, else none.
pub fn pagination_offset(param: &Option<Value>) -> Position {
    let read = |key: &str| {
        param
            .as_ref()
            .and_then(|p| p.get(key))
            .and_then(whole_number)
    };
    let offset = match read("page") {
        Some(page) => page
            .saturating_sub(1)
            .saturating_mul(read("limit").unwrap_or(50)),
        None => read("offset").unwrap_or(0),
    };
    Position::Index(offset)
}

/// Moves REST 3.0's `pagination` to an offset: sets `offset` and drops `page` (which the
/// server would prefer), keeping `limit` and anything else the caller set.
pub fn set_pagination_offset(param: &mut Option<Value>, position: &Position) -> bool {
    let Some(n) = position.index() else {
        return false;
    };
    match object(param) {
        Some(object) => {
            object.remove("page");
            object.insert("offset".to_owned(), Value::from(n));
            true
        }
        None => false,
    }
}

/// The cursor REST 3.0's `pagination.afterCursor` holds (`null` before the first page).
pub fn pagination_cursor(param: &Option<Value>) -> Position {
    let cursor = param.as_ref().and_then(|p| p.get("afterCursor")).cloned();
    Position::Cursor(cursor.unwrap_or(Value::Null))
}

/// Sends a cursor back in `pagination.afterCursor`, keeping `limit` and the caller's other keys.
pub fn set_pagination_cursor(param: &mut Option<Value>, position: &Position) -> bool {
    let cursor = match position {
        Position::Cursor(cursor) => cursor.clone(),
        Position::Index(n) => Value::from(*n),
    };
    match object(param) {
        Some(object) => {
            object.insert("afterCursor".to_owned(), cursor);
            true
        }
        None => false,
    }
}

/// The parameter as an object to write into: a new one when unset (or `null`), `None` when
/// the caller set something that is no object (which the pager must not overwrite).
fn object(param: &mut Option<Value>) -> Option<&mut Map<String, Value>> {
    if matches!(param, None | Some(Value::Null)) {
        *param = Some(Value::Object(Map::new()));
    }
    param.as_mut().and_then(Value::as_object_mut)
}

/// The position a result's field names for the following page (`nextOffset: 2002`,
/// `nextCursor: {...}`): a JSON number is an index, anything else a cursor kept as it came (a
/// number sent as text still fills an integer offset: [`Position::index`]); no value (`null`,
/// `""`, `false`, `{}`, `[]`) is none, so the page was the last.
pub fn position_of<T: Serialize>(field: &T) -> Option<Position> {
    let value = serde_json::to_value(field).ok()?;
    match &value {
        Value::Null | Value::Bool(false) => None,
        Value::String(text) if text.is_empty() => None,
        Value::Array(items) if items.is_empty() => None,
        Value::Object(map) if map.is_empty() => None,
        Value::Number(n) => Some(match n.as_u64() {
            Some(n) => Position::Index(n),
            None => Position::Cursor(value),
        }),
        _ => Some(Position::Cursor(value)),
    }
}

/// How many records an untyped page holds, counted as [`records`](crate::de::records) splits
/// them.
pub fn count_records(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.len(),
        Value::Object(map) if crate::fields::integer_keyed(map) => map.len(),
        Value::Null | Value::Bool(false) => 0,
        Value::String(text) if text.is_empty() => 0,
        Value::Object(map) if map.is_empty() => 0,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn integer_parameters_start_where_the_caller_put_them() {
        assert_eq!(index_at(None, 1), Position::Index(1));
        assert_eq!(index_at(Some(40), 0), Position::Index(40));
        assert_eq!(index_at(Some(-5), 0), Position::Index(0));
        let mut field = None;
        assert!(set_index(&mut field, &Position::Index(50)));
        assert_eq!(field, Some(50));
        assert!(!set_index(&mut field, &Position::Cursor(json!({"id": 1}))));
        assert_eq!(field, Some(50), "a cursor is not written into a number");
    }

    #[test]
    fn nav_params_keep_the_page_size() {
        let mut param = Some(json!({"nPageSize": 20}));
        assert_eq!(key_index(&param, "iNumPage", 1), Position::Index(1));
        assert!(set_key_index(&mut param, "iNumPage", &Position::Index(3)));
        assert_eq!(param, Some(json!({"nPageSize": 20, "iNumPage": 3})));
        let mut unset = None;
        assert!(set_key_index(&mut unset, "iNumPage", &Position::Index(2)));
        assert_eq!(unset, Some(json!({"iNumPage": 2})));
        let mut odd = Some(json!("20"));
        assert!(!set_key_index(&mut odd, "iNumPage", &Position::Index(2)));
        assert_eq!(
            odd,
            Some(json!("20")),
            "a value the caller chose is not replaced"
        );
    }

    #[test]
    fn pagination_moves_by_offset_and_keeps_the_limit() {
        assert_eq!(pagination_offset(&None), Position::Index(0));
        let param = Some(json!({"page": 3, "limit": 20}));
        assert_eq!(pagination_offset(&param), Position::Index(40));
        assert_eq!(
            pagination_offset(&Some(json!({"page": 2}))),
            Position::Index(50)
        );
        assert_eq!(
            pagination_offset(&Some(json!({"offset": "7"}))),
            Position::Index(7)
        );
        // With a page the server computes the offset itself, whatever `offset` says.
        assert_eq!(
            pagination_offset(&Some(json!({"page": 3, "limit": 20, "offset": 0}))),
            Position::Index(40)
        );
        let mut param = param;
        assert!(set_pagination_offset(&mut param, &Position::Index(60)));
        assert_eq!(param, Some(json!({"limit": 20, "offset": 60})));
    }

    #[test]
    fn cursors_go_back_as_they_came() {
        let mut param = Some(json!({"limit": 50}));
        assert_eq!(pagination_cursor(&param), Position::Cursor(Value::Null));
        let cursor = Position::Cursor(json!({"position": 100, "id": 42}));
        assert!(set_pagination_cursor(&mut param, &cursor));
        assert_eq!(
            param,
            Some(json!({"limit": 50, "afterCursor": {"position": 100, "id": 42}}))
        );
        assert_eq!(pagination_cursor(&param), cursor);
    }

    #[test]
    fn a_next_field_without_a_value_names_no_page() {
        assert_eq!(position_of(&Some(2002)), Some(Position::Index(2002)));
        let text = position_of(&json!("2002")).expect("a position");
        assert_eq!(
            text,
            Position::Cursor(json!("2002")),
            "sent back as it came"
        );
        assert_eq!(text.index(), Some(2002), "and still an offset");
        assert_eq!(
            position_of(&json!({"id": 1})),
            Some(Position::Cursor(json!({"id": 1})))
        );
        for none in [json!(null), json!(""), json!(false), json!({}), json!([])] {
            assert_eq!(position_of(&none), None, "{none}");
        }
        assert_eq!(position_of(&Option::<i64>::None), None);
    }

    #[test]
    fn untyped_records_are_counted_as_they_are_split() {
        for (value, count) in [
            (json!([1, 2, 3]), 3),
            (json!(null), 0),
            (json!(false), 0),
            (json!(""), 0),
            (json!({}), 0),
            (json!({"1": {}}), 1),
            (json!({"1": {}, "7": {}}), 2),
            (json!({"id": 1, "name": "x"}), 1),
        ] {
            assert_eq!(count_records(&value), count, "{value}");
            assert_eq!(crate::de::records(value).len(), count);
        }
    }
}
