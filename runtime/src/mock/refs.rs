//! `$result[cmd][…]` references in the commands of a `batch`, resolved as the portal's
//! `CRestUtil::ParseBatchQuery` does: after the query is decoded, each string value that
//! holds `$result`, `$next`, `$total`, `$time` or `$error` followed by bracketed keys is
//! looked up in the answers of the commands before it.
//!
//! The lookup walks the keys while they lead somewhere and stops at the first that does not,
//! keeping what it reached (a whole page, when `[49]` is past a short one). A value that is
//! the reference alone becomes what was reached, whatever it is; a reference inside a longer
//! text is replaced only by a number or a string, and left as it is otherwise.

use serde_json::{Map, Value};

/// The answers of the commands run so far, by section as the references name them.
pub(crate) struct Sections<'s> {
    pub(crate) result: &'s Map<String, Value>,
    pub(crate) next: &'s Map<String, Value>,
    pub(crate) total: &'s Map<String, Value>,
    pub(crate) time: &'s Map<String, Value>,
    pub(crate) error: &'s Map<String, Value>,
}

impl<'s> Sections<'s> {
    /// The section a reference names at the start of `text` (after `$`), in the portal's
    /// order, without regard to case; and the length of the name.
    fn named(&self, text: &str) -> Option<(&'s Map<String, Value>, usize)> {
        let sections = [
            ("result", self.result),
            ("next", self.next),
            ("total", self.total),
            ("time", self.time),
            ("error", self.error),
        ];
        sections.into_iter().find_map(|(name, section)| {
            let head = text.get(..name.len())?;
            head.eq_ignore_ascii_case(name)
                .then_some((section, name.len()))
        })
    }
}

/// Resolves every reference in the string values of `value`.
pub(crate) fn resolve(value: &mut Value, sections: &Sections<'_>) {
    match value {
        Value::String(text) => {
            if let Some(resolved) = resolve_text(text, sections) {
                *value = resolved;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| resolve(item, sections)),
        Value::Object(map) => map.values_mut().for_each(|item| resolve(item, sections)),
        _ => {}
    }
}

/// The text with its references resolved; `None` when it has none that resolve.
fn resolve_text(text: &str, sections: &Sections<'_>) -> Option<Value> {
    let mut current = text.to_owned();
    let mut changed = false;
    for (reference, section, path) in references(text, sections) {
        let reached = walk(section, &path);
        if reference == current {
            return Some(reached);
        }
        let replacement = match &reached {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        current = current.replace(&reference, &replacement);
        changed = true;
    }
    changed.then_some(Value::String(current))
}

/// Each reference in `text`: its whole text, the section it names and its keys. A
/// reference runs to the next white space; one without a bracketed key is none.
fn references<'s>(
    text: &str,
    sections: &Sections<'s>,
) -> Vec<(String, &'s Map<String, Value>, Vec<String>)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        let after = &rest[at + 1..];
        let Some((section, name_len)) = sections.named(after) else {
            rest = after;
            continue;
        };
        let tail_len = after[name_len..]
            .find(char::is_whitespace)
            .unwrap_or(after.len() - name_len);
        let reference = &rest[at..at + 1 + name_len + tail_len];
        let path = keys(&after[name_len..name_len + tail_len]);
        if !path.is_empty() {
            found.push((reference.to_owned(), section, path));
        }
        rest = &after[name_len + tail_len..];
    }
    found
}

/// The non-empty bracketed keys of a reference's tail: `[c0][49][ID]` is `c0`, `49`, `ID`.
fn keys(tail: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = tail;
    while let Some(open) = rest.find('[') {
        let inner = &rest[open + 1..];
        let Some(close) = inner.find(']') else { break };
        if close > 0 {
            keys.push(inner[..close].to_owned());
        }
        rest = &inner[close + 1..];
    }
    keys
}

/// Follows `path` from `section` while each key leads to a value that is not null.
fn walk(section: &Map<String, Value>, path: &[String]) -> Value {
    let Some(mut reached) = path
        .first()
        .and_then(|first| section.get(first))
        .filter(|value| !value.is_null())
    else {
        return Value::Object(section.clone());
    };
    for key in &path[1..] {
        let next = match reached {
            Value::Object(map) => map.get(key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next.filter(|value| !value.is_null()) {
            Some(next) => reached = next,
            None => break,
        }
    }
    reached.clone()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn references_resolve_as_the_portal_resolves_them() {
        let result = json!({
            "c0": [{"ID": "10"}, {"ID": "11"}],
            "user": {"UF_DEPARTMENT": [7]}
        });
        let total = json!({"c0": 2});
        let empty = Map::new();
        let sections = Sections {
            result: result.as_object().unwrap(),
            next: &empty,
            total: total.as_object().unwrap(),
            time: &empty,
            error: &empty,
        };
        let mut params = json!({
            "filter": {">ID": "$result[c0][1][ID]", "=DEPT": "$result[user][UF_DEPARTMENT][0]"},
            "text": "id $result[c0][0][ID] of $total[c0]",
            // Past the end of a short page: the whole page is what was reached.
            "past": "$result[c0][49][ID]",
            "inside": "x $result[c0][49][ID]",
            "plain": "$5 and $resultless"
        });
        resolve(&mut params, &sections);
        assert_eq!(
            params,
            json!({
                "filter": {">ID": "11", "=DEPT": 7},
                "text": "id 10 of 2",
                "past": [{"ID": "10"}, {"ID": "11"}],
                "inside": "x $result[c0][49][ID]",
                "plain": "$5 and $resultless"
            })
        );
    }
}
