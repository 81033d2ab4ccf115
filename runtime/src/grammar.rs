//! Helpers for the generated `FromStr` impls of string grammars (`SG69`, `UA`, …) and their error.

use std::fmt;

use crate::text;

/// How many characters of the input an error message shows.
const SHOWN_INPUT_CHARS: usize = 64;

/// A string that is not a valid value of a grammar (e.g. `sg69` as a `Destination`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrammarError {
    grammar: &'static str,
    input: String,
    reason: GrammarErrorReason,
}

impl GrammarError {
    /// A grammar error (for hand-written grammars and tests).
    pub fn new(
        grammar: &'static str,
        input: impl Into<String>,
        reason: GrammarErrorReason,
    ) -> Self {
        Self {
            grammar,
            input: input.into(),
            reason,
        }
    }

    /// The grammar's type name, e.g. `Destination`.
    pub fn grammar(&self) -> &'static str {
        self.grammar
    }

    /// The rejected input, whole.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Why it was rejected.
    pub fn reason(&self) -> &GrammarErrorReason {
        &self.reason
    }
}

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.input.is_empty() {
            write!(f, "invalid {}: {}", self.grammar, self.reason)
        } else {
            let shown = text::clip_escaped(&self.input, SHOWN_INPUT_CHARS, false);
            write!(f, "invalid {} `{}`: {}", self.grammar, shown, self.reason)
        }
    }
}

impl std::error::Error for GrammarError {}

/// Why a string is not a valid grammar value.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrammarErrorReason {
    /// The string is empty.
    Empty,
    /// No form's prefix matches.
    UnknownForm {
        /// The forms, e.g. `SG<id>, U<id>, UA, DR<id>, UE<text>`.
        expected: &'static str,
    },
    /// The prefix is not followed by an id.
    MissingId {
        /// The form's prefix.
        prefix: &'static str,
    },
    /// The id contains something other than ASCII digits (a sign, a space, a letter).
    NotAnId {
        /// The form's prefix.
        prefix: &'static str,
    },
    /// The id has a leading zero (`SG069`).
    LeadingZero {
        /// The form's prefix.
        prefix: &'static str,
    },
    /// The id does not fit in 64 bits.
    IdTooLarge {
        /// The form's prefix.
        prefix: &'static str,
    },
    /// The prefix is not followed by text.
    MissingText {
        /// The form's prefix.
        prefix: &'static str,
    },
    /// Something follows a form that takes no value (`UA1`).
    TrailingInput {
        /// The form's prefix.
        prefix: &'static str,
    },
}

impl fmt::Display for GrammarErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A bare id (a form without a prefix).
            Self::NotAnId { prefix: "" } => f.write_str("an id must be ASCII digits only"),
            Self::LeadingZero { prefix: "" } => f.write_str("an id must not start with 0"),
            Self::IdTooLarge { prefix: "" } => f.write_str("the id is too large"),
            Self::Empty => f.write_str("the value is empty"),
            Self::UnknownForm { expected } => {
                write!(f, "no form matches; expected one of {expected}")
            }
            Self::MissingId { prefix } => write!(f, "`{prefix}` must be followed by a decimal id"),
            Self::NotAnId { prefix } => {
                write!(f, "the id after `{prefix}` must be ASCII digits only")
            }
            Self::LeadingZero { prefix } => {
                write!(f, "the id after `{prefix}` must not start with 0")
            }
            Self::IdTooLarge { prefix } => write!(f, "the id after `{prefix}` is too large"),
            Self::MissingText { prefix } => write!(f, "`{prefix}` must be followed by text"),
            Self::TrailingInput { prefix } => write!(f, "nothing may follow `{prefix}`"),
        }
    }
}

/// Parses the id after `prefix`: ASCII digits only, no sign, no leading zero except `0`,
/// fitting in `u64`. `input` is the whole string (for the error), `rest` what follows the prefix.
pub fn parse_id(
    grammar: &'static str,
    input: &str,
    prefix: &'static str,
    rest: &str,
) -> Result<u64, GrammarError> {
    let fail = |reason| GrammarError::new(grammar, input, reason);
    if rest.is_empty() {
        return Err(fail(GrammarErrorReason::MissingId { prefix }));
    }
    if !rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail(GrammarErrorReason::NotAnId { prefix }));
    }
    if rest.len() > 1 && rest.starts_with('0') {
        return Err(fail(GrammarErrorReason::LeadingZero { prefix }));
    }
    rest.parse::<u64>()
        .map_err(|_| fail(GrammarErrorReason::IdTooLarge { prefix }))
}

/// Takes the non-empty text after `prefix`.
pub fn parse_text(
    grammar: &'static str,
    input: &str,
    prefix: &'static str,
    rest: &str,
) -> Result<String, GrammarError> {
    if rest.is_empty() {
        return Err(GrammarError::new(
            grammar,
            input,
            GrammarErrorReason::MissingText { prefix },
        ));
    }
    Ok(rest.to_owned())
}

/// Checks that nothing follows a form without a value.
pub fn expect_end(
    grammar: &'static str,
    input: &str,
    prefix: &'static str,
    rest: &str,
) -> Result<(), GrammarError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(GrammarError::new(
            grammar,
            input,
            GrammarErrorReason::TrailingInput { prefix },
        ))
    }
}

/// The error for an empty string.
pub fn empty(grammar: &'static str) -> GrammarError {
    GrammarError::new(grammar, "", GrammarErrorReason::Empty)
}

/// The error for a string no form's prefix matches.
pub fn unknown_form(grammar: &'static str, input: &str, expected: &'static str) -> GrammarError {
    GrammarError::new(grammar, input, GrammarErrorReason::UnknownForm { expected })
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = "Destination";

    fn id(rest: &str) -> Result<u64, GrammarErrorReason> {
        parse_id(G, &format!("SG{rest}"), "SG", rest).map_err(|e| *e.reason())
    }

    #[test]
    fn ids() {
        assert_eq!(id("69"), Ok(69));
        assert_eq!(id("0"), Ok(0));
        assert_eq!(id("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(id(""), Err(GrammarErrorReason::MissingId { prefix: "SG" }));
        assert_eq!(id("+1"), Err(GrammarErrorReason::NotAnId { prefix: "SG" }));
        assert_eq!(id("-1"), Err(GrammarErrorReason::NotAnId { prefix: "SG" }));
        assert_eq!(id(" 1"), Err(GrammarErrorReason::NotAnId { prefix: "SG" }));
        assert_eq!(id("1a"), Err(GrammarErrorReason::NotAnId { prefix: "SG" }));
        assert_eq!(id("١"), Err(GrammarErrorReason::NotAnId { prefix: "SG" }));
        assert_eq!(
            id("069"),
            Err(GrammarErrorReason::LeadingZero { prefix: "SG" })
        );
        assert_eq!(
            id("00"),
            Err(GrammarErrorReason::LeadingZero { prefix: "SG" })
        );
        assert_eq!(
            id("18446744073709551616"),
            Err(GrammarErrorReason::IdTooLarge { prefix: "SG" })
        );
    }

    #[test]
    fn bare_ids_and_other_prefixes() {
        let bare = |rest: &str| parse_id("Chat", rest, "", rest);
        assert_eq!(bare("42").unwrap(), 42);
        let err = bare("4x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Chat `4x`: an id must be ASCII digits only"
        );
        assert_eq!(
            bare("042").unwrap_err().to_string(),
            "invalid Chat `042`: an id must not start with 0"
        );
        assert_eq!(
            bare("99999999999999999999").unwrap_err().to_string(),
            "invalid Chat `99999999999999999999`: the id is too large"
        );
        assert_eq!(
            parse_id("Chat", "chat12", "chat", "12").unwrap(),
            12,
            "a lower-case prefix"
        );
    }

    #[test]
    fn text_and_end() {
        assert_eq!(parse_text(G, "UEa@b.c", "UE", "a@b.c").unwrap(), "a@b.c");
        assert_eq!(
            *parse_text(G, "UE", "UE", "").unwrap_err().reason(),
            GrammarErrorReason::MissingText { prefix: "UE" }
        );
        assert!(expect_end(G, "UA", "UA", "").is_ok());
        let err = expect_end(G, "UA1", "UA", "1").unwrap_err();
        assert_eq!(
            *err.reason(),
            GrammarErrorReason::TrailingInput { prefix: "UA" }
        );
        assert_eq!(
            err.to_string(),
            "invalid Destination `UA1`: nothing may follow `UA`"
        );
    }

    #[test]
    fn display() {
        let err = unknown_form(G, "sg69", "SG<id>, U<id>, UA, DR<id>, UE<text>");
        assert_eq!(err.grammar(), "Destination");
        assert_eq!(err.input(), "sg69");
        assert_eq!(
            err.to_string(),
            "invalid Destination `sg69`: no form matches; expected one of SG<id>, U<id>, UA, DR<id>, UE<text>"
        );
        assert_eq!(
            empty(G).to_string(),
            "invalid Destination: the value is empty"
        );
        let long = format!("SG{}", "1".repeat(100));
        let shown = id_error_display(&long);
        assert!(shown.contains('…'), "{shown}");
        assert!(shown.len() < 140, "{shown}");
        let err = unknown_form(G, "x\ny", "SG<id>");
        assert_eq!(
            err.to_string(),
            "invalid Destination `x\\ny`: no form matches; expected one of SG<id>"
        );
    }

    fn id_error_display(input: &str) -> String {
        parse_id(G, input, "SG", &input[2..])
            .unwrap_err()
            .to_string()
    }
}
