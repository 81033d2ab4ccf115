//! The contract between the `b24-rest` generator and its runtime: every data shape that one
//! side writes and the other reads, defined once.
//!
//! - [`error_table`]: a method's error table (rows that name their variant, each with the
//!   forms that recognise it), written into each generated error enum as a JSON string and
//!   read by the runtime's one matcher. The system errors use the same shape.
//! - [`spec_data`]: each scope's examples and error forms (`spec_data.json`), written by the
//!   generator and read by the runtime's conformance checker and mock portal.
//! - [`catalog`]: the `b24` command line's method catalogue (`cli/src/generated/<scope>.json`),
//!   written by the generator and read by the command line.
//! - [`names`]: the names a scope may not take, since the crate and its runtime use them:
//!   the generator refuses them and the importer files methods under another module.
//! - [`system_errors`]: the errors any method may return, with their codes, statuses and
//!   retry rules: the runtime's `SystemError` enum and the generator's checks of the specs
//!   both read this one table.
//!
//! It depends on `serde` and `serde_json` only, so that the generator does not compile the
//! runtime and the runtime does not compile the generator.

#![warn(missing_docs, unreachable_pub)]

pub mod catalog;
pub mod error_table;
pub mod names;
pub mod spec_data;
pub mod system_errors;
