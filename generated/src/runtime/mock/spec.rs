//! The shape of the spec data the mock portal answers from; the values are generated into
//! `api/mock_data.rs` from each method's examples and error table.

/// What the spec says one method answers.
#[derive(Debug)]
pub(crate) struct MethodAnswers {
    /// Wire name.
    pub(crate) method: &'static str,
    /// Whether the method may run inside `batch`.
    pub(crate) batch: bool,
    /// The spec's response examples, in order.
    pub(crate) examples: &'static [SpecExample],
    /// The error table, in order.
    pub(crate) error_rows: &'static [SpecErrorRow],
}

/// One response example, exactly as the spec gives it.
#[derive(Debug)]
pub(crate) struct SpecExample {
    pub(crate) name: &'static str,
    pub(crate) status: u16,
    pub(crate) body: &'static str,
    /// Whether the example is a success (not one of the method's or the system errors).
    pub(crate) success: bool,
}

/// An error row as the server sends it: status, the row's own code, and its text (a
/// pattern's placeholders filled with sample values).
#[derive(Debug)]
pub(crate) struct SpecErrorRow {
    pub(crate) name: &'static str,
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) description: &'static str,
}

/// The spec data of `method`, if it is specified.
pub(crate) fn answers(method: &str) -> Option<&'static MethodAnswers> {
    crate::api::mock_data::METHODS
        .iter()
        .find(|answers| answers.method == method)
}
