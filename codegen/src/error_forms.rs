//! An error row's forms, read in one place: the row's alternatives (`also`) expanded with the
//! row's own code, text and match mode where they leave them out, and pattern texts parsed
//! into their literal pieces and `{placeholder}`s.
//!
//! Validation checks these forms, the model turns them into matchers, and the emitters read
//! the matchers: nothing else walks `also` or reads a placeholder, so the three cannot
//! disagree on what a row recognises.

use std::collections::BTreeSet;

use crate::names;
use crate::spec::{AlternativeSpec, ErrorSpec, MatchMode};

/// One (code, text) form of an error row, defaults filled in.
#[derive(Debug, Clone, Copy)]
pub struct Form<'a> {
    /// The `error` code.
    pub code: &'a str,
    /// The text, a pattern for [`MatchMode::Pattern`].
    pub text: &'a str,
    /// How the text is compared.
    pub mode: MatchMode,
    /// For an alternative, its index in `also` and the alternative as written; `None` for
    /// the row's own form.
    pub alternative: Option<(usize, &'a AlternativeSpec)>,
}

/// The row's own form, then each alternative in `also` order, taking the row's code, text and
/// mode where it leaves them out.
pub fn forms(row: &ErrorSpec) -> impl Iterator<Item = Form<'_>> {
    let own = Form {
        code: &row.code,
        text: &row.description,
        mode: row.mode,
        alternative: None,
    };
    let alternatives = row
        .also
        .iter()
        .enumerate()
        .map(move |(index, alternative)| Form {
            code: alternative.code.as_deref().unwrap_or(&row.code),
            text: alternative
                .description
                .as_deref()
                .unwrap_or(&row.description),
            mode: alternative.mode.unwrap_or(row.mode),
            alternative: Some((index, alternative)),
        });
    std::iter::once(own).chain(alternatives)
}

/// A pattern text read into its pieces: `Post {id} of {user}.` is the literals `Post `, ` of `
/// and `.` around the placeholders `id` and `user`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pattern {
    /// The literal text before each placeholder and after the last: one more than
    /// [`placeholders`](Self::placeholders), empty where two pieces meet.
    pub literals: Vec<String>,
    /// The placeholder names, in order.
    pub placeholders: Vec<String>,
}

impl Pattern {
    /// Reads a pattern, or says why it is malformed: unbalanced braces, a placeholder that is
    /// not a field name, two placeholders with no text between them, a placeholder used
    /// twice, or none at all.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let pattern = split(text)?;
        let mut seen = BTreeSet::new();
        for name in &pattern.placeholders {
            if !seen.insert(name) {
                return Err(format!("placeholder `{{{name}}}` appears twice"));
            }
        }
        if seen.is_empty() {
            return Err("a pattern needs at least one `{field}` placeholder".into());
        }
        Ok(pattern)
    }

    /// The placeholder names as a set, to compare with the fields a row declares.
    pub fn names(&self) -> BTreeSet<String> {
        self.placeholders.iter().cloned().collect()
    }
}

/// Splits a pattern at its placeholders, checking braces and names but not repeats. `{{` and
/// `}}` are a literal `{` and `}`.
fn split(text: &str) -> Result<Pattern, String> {
    let mut pattern = Pattern::default();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        literal.push_str(&rest[..at]);
        let brace = &rest[at..at + 1];
        let after = &rest[at + 1..];
        if let Some(escaped) = after.strip_prefix(brace) {
            literal.push_str(brace);
            rest = escaped;
            continue;
        }
        if brace == "}" {
            return Err("unmatched `}` in pattern (write `}}` for a literal `}`)".into());
        }
        let close = after
            .find('}')
            .ok_or("unclosed `{` in pattern (write `{{` for a literal `{`)")?;
        let name = &after[..close];
        if !names::is_wire_key(name) {
            return Err(format!(
                "`{{{name}}}` is not a placeholder: use `{{field_name}}` (`{{{{` for a literal `{{`)"
            ));
        }
        // A capture could end anywhere before the next one: the two could not be told apart.
        if literal.is_empty() && !pattern.placeholders.is_empty() {
            return Err("two placeholders must be separated by text".into());
        }
        pattern.literals.push(std::mem::take(&mut literal));
        pattern.placeholders.push(name.to_owned());
        rest = &after[close + 1..];
    }
    literal.push_str(rest);
    pattern.literals.push(literal);
    Ok(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_split_at_their_placeholders() {
        let pattern = Pattern::parse("Post {id} of {user}.").expect("valid");
        assert_eq!(pattern.literals, ["Post ", " of ", "."]);
        assert_eq!(pattern.placeholders, ["id", "user"]);
        let pattern = Pattern::parse("{id}").expect("valid");
        assert_eq!(pattern.literals, ["", ""]);
    }

    #[test]
    fn double_braces_are_literal_braces() {
        let pattern = Pattern::parse("Field {{{name}}} of {{x}}: {id}}}").expect("valid");
        assert_eq!(pattern.literals, ["Field {", "} of {x}: ", "}"]);
        assert_eq!(pattern.placeholders, ["name", "id"]);
        let pattern = Pattern::parse("{{}}{a}").expect("valid");
        assert_eq!(pattern.literals, ["{}", ""]);
        // `{{` between two placeholders is text that separates them.
        let pattern = Pattern::parse("{a}{{{b}").expect("valid");
        assert_eq!(pattern.literals, ["", "{", ""]);
        assert_eq!(
            Pattern::parse("{{a}}").expect_err("no placeholder"),
            "a pattern needs at least one `{field}` placeholder"
        );
    }

    #[test]
    fn malformed_patterns_say_why() {
        let error = |text: &str| Pattern::parse(text).expect_err(text);
        let unmatched = "unmatched `}` in pattern (write `}}` for a literal `}`)";
        assert_eq!(error("a } {b}"), unmatched);
        assert_eq!(error("{b} }"), unmatched);
        assert_eq!(error("{b} }}}"), unmatched);
        assert_eq!(
            error("a {b"),
            "unclosed `{` in pattern (write `{{` for a literal `{`)"
        );
        assert_eq!(
            error("a {1b}"),
            "`{1b}` is not a placeholder: use `{field_name}` (`{{` for a literal `{`)"
        );
        assert_eq!(
            error("{a}{b}"),
            "two placeholders must be separated by text"
        );
        assert_eq!(error("{a} {a}"), "placeholder `{a}` appears twice");
        assert_eq!(
            error("no placeholder"),
            "a pattern needs at least one `{field}` placeholder"
        );
    }
}
