//! Reading the caller's request once: its filter, order and select, which strategy they
//! allow, and the parameters of each page the strategy sends.

use super::{ListShape, ReadStrategy};
use crate::ordered::Ordered;

/// What a read sends: the caller's parameters (without `start`), adjusted once, and how each
/// page changes them.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) strategy: ReadStrategy,
    pub(crate) shape: ListShape,
    /// The caller's parameters, `start` removed, `select` and `order` adjusted.
    base: Vec<(String, Ordered)>,
    /// Id windows: the direction, and the caller's own bound (`>ID` ascending).
    pub(crate) window: Option<Window>,
}

/// The id window a read walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) descending: bool,
    /// The caller's own `>ID` (`<ID` descending): where the read starts.
    pub(crate) from: Option<u64>,
}

/// What the request allows, before a strategy is chosen.
struct Request {
    params: Vec<(String, Ordered)>,
    /// The caller's order, keys in order, directions upper case.
    order: Vec<(String, String)>,
    window: Option<Window>,
}

impl Plan {
    /// The plan for a request's parameters (`params`, as it serialises), for a method of
    /// `shape` that may (`batch`) run inside `batch`; `forced` picks the strategy instead of
    /// the fastest one. Why it cannot be read when it cannot.
    pub(crate) fn new(
        params: Ordered,
        shape: ListShape,
        batch: bool,
        forced: Option<ReadStrategy>,
    ) -> Result<Plan, String> {
        let request = Request::read(params, &shape)?;
        let strategy = choose(&request, batch, forced)?;
        let mut plan = Plan {
            strategy,
            shape,
            base: request.params,
            window: request.window.filter(|_| strategy.is_id_window()),
        };
        plan.fix_select();
        if !strategy.is_id_window() {
            plan.fix_order(request.order);
        }
        Ok(plan)
    }

    /// A page of an id window past `bound` (a number, or a `$result[…]` reference).
    pub(crate) fn window_params(&self, bound: Option<Ordered>) -> Vec<(String, Ordered)> {
        let shape = &self.shape;
        let (Some(filter), Some(order), Some(field)) = (shape.filter, shape.order, shape.id_field)
        else {
            return self.base.clone();
        };
        let descending = self.window.is_some_and(|w| w.descending);
        let mut params = self.base.clone();
        if let Some(bound) = bound {
            let key = format!("{}{field}", if descending { "<" } else { ">" });
            let filter = entry(&mut params, filter, || Ordered::Object(Vec::new()));
            if let Ordered::Object(entries) = filter {
                set(entries, &key, bound);
            }
        }
        let direction = Ordered::text(if descending { "DESC" } else { "ASC" });
        set(
            &mut params,
            order,
            Ordered::Object(vec![(field.to_owned(), direction)]),
        );
        let start = if shape.start_minus_one { -1 } else { 0 };
        set(&mut params, "start", Ordered::Number(start.into()));
        params
    }

    /// The `start` page at `start`.
    pub(crate) fn start_params(&self, start: u64) -> Vec<(String, Ordered)> {
        let mut params = self.base.clone();
        set(&mut params, "start", Ordered::Number(start.into()));
        params
    }

    /// `$result[key][…][49][ID]`: the id of the last record of a full page of command `key`,
    /// which the portal puts in the next command before running it.
    pub(crate) fn reference(&self, key: &str) -> String {
        let mut text = format!("$result[{key}]");
        for segment in self.shape.items {
            text.push_str(&format!("[{segment}]"));
        }
        let last = self.shape.page_size.saturating_sub(1);
        text.push_str(&format!("[{last}][{}]", self.shape.id.unwrap_or("ID")));
        text
    }

    /// The id must come back in every record: it is added to a `select` that lists fields
    /// without it (a `*` selects it already).
    fn fix_select(&mut self) {
        let (Some(select), Some(id)) = (self.shape.select, self.shape.id) else {
            return;
        };
        let field = self.shape.id_field.unwrap_or(id);
        let Some((_, Ordered::Array(fields))) = self.base.iter_mut().find(|(k, _)| k == select)
        else {
            return;
        };
        let named = |value: &Ordered| match value {
            Ordered::String(name) => {
                name == "*" || name.eq_ignore_ascii_case(field) || name.eq_ignore_ascii_case(id)
            }
            _ => false,
        };
        if !fields.is_empty() && !fields.iter().any(named) {
            fields.push(Ordered::text(field));
        }
    }

    /// `start` pages keep the caller's order; the id is added as its last key when the method
    /// sorts by it, so that records that tie keep their places from one page to the next.
    fn fix_order(&mut self, order: Vec<(String, String)>) {
        let (Some(name), Some(field)) = (self.shape.order, self.shape.id_field) else {
            return;
        };
        if order.is_empty() || order.iter().any(|(key, _)| key.eq_ignore_ascii_case(field)) {
            return;
        }
        let mut entries: Vec<(String, Ordered)> = order
            .into_iter()
            .map(|(key, direction)| (key, Ordered::String(direction)))
            .collect();
        entries.push((field.to_owned(), Ordered::text("ASC")));
        set(&mut self.base, name, Ordered::Object(entries));
    }
}

impl Request {
    fn read(params: Ordered, shape: &ListShape) -> Result<Request, String> {
        let mut params = match params {
            Ordered::Object(entries) => entries,
            Ordered::Null => Vec::new(),
            _ => return Err("the request does not encode as a JSON object".to_owned()),
        };
        // Every strategy sets its own `start`.
        params.retain(|(key, _)| key != "start");
        let order = shape
            .order
            .and_then(|name| params.iter().find(|(key, _)| key == name))
            .map_or_else(Vec::new, |(_, value)| order_keys(value));
        let mut request = Request {
            params,
            order,
            window: None,
        };
        request.window = request.window_allowed(shape);
        Ok(request)
    }

    /// The id window this request can be read by: the method has one, the caller's order is
    /// the id's (or none), and a bound of the caller's own on the id is a number (it becomes
    /// the window's start).
    fn window_allowed(&mut self, shape: &ListShape) -> Option<Window> {
        if !shape.has_id_window() {
            return None;
        }
        let field = shape.id_field?;
        let descending = match self.order.as_slice() {
            [] => false,
            [(key, direction)] if key.eq_ignore_ascii_case(field) => direction == "DESC",
            _ => return None,
        };
        let filter_name = shape.filter?;
        let bound_key = format!("{}{field}", if descending { "<" } else { ">" });
        let filter = match self.params.iter_mut().find(|(key, _)| key == filter_name) {
            None => {
                return Some(Window {
                    descending,
                    from: None,
                });
            }
            Some((_, Ordered::Object(entries))) => entries,
            // An empty list is PHP's empty array; anything else (REST 3 triples) cannot take
            // a bound of ours.
            Some((_, Ordered::Array(items))) if items.is_empty() => {
                return Some(Window {
                    descending,
                    from: None,
                });
            }
            Some(_) => return None,
        };
        let Some(at) = filter
            .iter()
            .position(|(key, _)| key.eq_ignore_ascii_case(&bound_key))
        else {
            return Some(Window {
                descending,
                from: None,
            });
        };
        let from = super::page::id_of_ordered(&filter[at].1)?;
        filter.remove(at);
        Some(Window {
            descending,
            from: Some(from),
        })
    }
}

/// The fastest strategy the request allows, or the forced one if it allows it.
fn choose(
    request: &Request,
    batch: bool,
    forced: Option<ReadStrategy>,
) -> Result<ReadStrategy, String> {
    let window = request.window.is_some();
    let best = match (window, batch) {
        (true, true) => ReadStrategy::IdWindowBatch,
        (true, false) => ReadStrategy::IdWindow,
        (false, true) => ReadStrategy::StartBatch,
        (false, false) => ReadStrategy::Start,
    };
    let Some(forced) = forced else {
        return Ok(best);
    };
    if forced.is_id_window() && !window {
        return Err(format!(
            "{forced} need a method that sorts and filters by its id and an order by the id \
             alone (or none)"
        ));
    }
    if forced.is_batch() && !batch {
        return Err(format!(
            "{forced} need a method that may run inside `batch`"
        ));
    }
    Ok(forced)
}

/// The caller's order as (key, direction upper case) pairs, in order; `[]` (PHP's empty
/// array) and anything not an object is no order.
fn order_keys(value: &Ordered) -> Vec<(String, String)> {
    value.entries().map_or_else(Vec::new, |entries| {
        entries
            .iter()
            .map(|(key, direction)| {
                let direction = direction.as_scalar_text().unwrap_or_default();
                (key.clone(), direction.trim().to_ascii_uppercase())
            })
            .collect()
    })
}

/// Sets `key` in place, or adds it at the end.
fn set(entries: &mut Vec<(String, Ordered)>, key: &str, value: Ordered) {
    match entries.iter_mut().find(|(known, _)| known == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key.to_owned(), value)),
    }
}

/// The value at `key`, added with `make` when absent or `null`.
fn entry<'e>(
    entries: &'e mut Vec<(String, Ordered)>,
    key: &str,
    make: impl FnOnce() -> Ordered,
) -> &'e mut Ordered {
    let at = match entries.iter().position(|(known, _)| known == key) {
        Some(at) => at,
        None => {
            entries.push((key.to_owned(), Ordered::Null));
            entries.len() - 1
        }
    };
    let value = &mut entries[at].1;
    let empty = match value {
        Ordered::Null => true,
        Ordered::Array(items) => items.is_empty(),
        _ => false,
    };
    if empty {
        *value = make();
    }
    value
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const DEALS: ListShape = ListShape::new()
        .filter("filter")
        .order("order")
        .select("select")
        .id("ID")
        .id_window("ID")
        .start_minus_one(true);

    fn plan(params: serde_json::Value, batch: bool) -> Result<Plan, String> {
        Plan::new(Ordered::from_value(params), DEALS, batch, None)
    }

    fn text(params: &[(String, Ordered)]) -> String {
        serde_json::to_string(&Ordered::Object(params.to_vec())).unwrap()
    }

    #[test]
    fn the_fastest_strategy_the_request_allows_is_chosen() {
        let chosen = |params, batch| plan(params, batch).unwrap().strategy;
        assert_eq!(chosen(json!({}), true), ReadStrategy::IdWindowBatch);
        assert_eq!(chosen(json!({}), false), ReadStrategy::IdWindow);
        assert_eq!(
            chosen(json!({"order": {"id": "desc"}}), true),
            ReadStrategy::IdWindowBatch
        );
        // Any other order is kept: start pages.
        assert_eq!(
            chosen(json!({"order": {"TITLE": "ASC"}}), true),
            ReadStrategy::StartBatch
        );
        assert_eq!(
            chosen(json!({"order": {"TITLE": "ASC"}}), false),
            ReadStrategy::Start
        );
        // A bound on the id that is not a number cannot become the window's start.
        assert_eq!(
            chosen(json!({"filter": {">ID": "abc"}}), true),
            ReadStrategy::StartBatch
        );
        let no_window = ListShape::new().filter("filter").id("ID");
        let plan = Plan::new(Ordered::Null, no_window, true, None).unwrap();
        assert_eq!(plan.strategy, ReadStrategy::StartBatch);
    }

    #[test]
    fn a_forced_strategy_the_request_cannot_use_is_refused() {
        let params = Ordered::from_value(json!({"order": {"TITLE": "ASC"}}));
        let err = Plan::new(params, DEALS, true, Some(ReadStrategy::IdWindow)).unwrap_err();
        assert!(err.contains("sorts and filters by its id"), "{err}");
        let err =
            Plan::new(Ordered::Null, DEALS, false, Some(ReadStrategy::StartBatch)).unwrap_err();
        assert!(err.contains("inside `batch`"), "{err}");
        let forced = Plan::new(Ordered::Null, DEALS, true, Some(ReadStrategy::Start)).unwrap();
        assert_eq!(forced.strategy, ReadStrategy::Start);
    }

    #[test]
    fn window_pages_keep_the_callers_filter_and_take_its_bound() {
        let plan = plan(
            json!({"filter": {">ID": "100", "=STAGE": "WON", ">=ID": 5}, "select": ["TITLE"],
                   "start": 50}),
            true,
        )
        .unwrap();
        assert_eq!(
            plan.window,
            Some(Window {
                descending: false,
                from: Some(100)
            })
        );
        assert_eq!(
            text(&plan.window_params(Some(Ordered::Number(100.into())))),
            r#"{"filter":{"=STAGE":"WON",">=ID":5,">ID":100},"select":["TITLE","ID"],"order":{"ID":"ASC"},"start":-1}"#
        );
        assert_eq!(
            text(&plan.window_params(None)),
            r#"{"filter":{"=STAGE":"WON",">=ID":5},"select":["TITLE","ID"],"order":{"ID":"ASC"},"start":-1}"#
        );
        assert_eq!(plan.reference("c3"), "$result[c3][49][ID]");
        let items = Plan::new(Ordered::Null, DEALS.items(&["items"]).id("id"), true, None).unwrap();
        assert_eq!(items.reference("c0"), "$result[c0][items][49][id]");
    }

    #[test]
    fn start_pages_keep_the_callers_order_and_break_ties_by_id() {
        // Written as text: `json!` would sort the keys of `order`.
        let params: Ordered =
            serde_json::from_str(r#"{"order":{"TITLE":"desc","DATE":"ASC"},"select":["*"]}"#)
                .unwrap();
        let plan = Plan::new(params, DEALS, true, None).unwrap();
        assert_eq!(plan.strategy, ReadStrategy::StartBatch);
        // The caller's keys first, in the caller's order; `*` already selects the id.
        assert_eq!(
            text(&plan.start_params(100)),
            r#"{"order":{"TITLE":"DESC","DATE":"ASC","ID":"ASC"},"select":["*"],"start":100}"#
        );
    }
}
