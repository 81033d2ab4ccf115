//! Tests of the generated SDK `b24-rest` as its users see it, kept apart from the generated
//! crate (whose folder holds only what `cargo xtask gen` writes) and from the runtime (which
//! names no generated item): `tests/` runs the client against the mock portal and a loopback
//! portal that answers like a real one, `benches/runtime.rs` measures its overhead.

/// The workspace README's examples, compiled as doctests so that they cannot drift from the
/// API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
