//! The generated SDK as its users see it, in one test binary: each integration test binary
//! links the whole API crate (every scope is on in a workspace build), so eleven of them cost
//! eleven links and over a gigabyte of disk for nothing. Two stay binaries of their own, for
//! process-wide state: `secrets.rs` installs a global logger and tracing subscriber, and
//! `tracing.rs` needs callsites no other test's thread has registered first (tracing caches
//! a callsite's interest process-wide, from the first thread that reaches it).

mod client;
mod conversions;
mod errors;
mod lenient;
mod list;
mod mock;
mod odd_answers;
mod paging;
mod policy;
mod properties;
mod values;
