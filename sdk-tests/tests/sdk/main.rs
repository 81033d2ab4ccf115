//! The generated SDK as its users see it, in one test binary: each integration test binary
//! links the whole API crate (every scope is on in a workspace build), so twelve of them cost
//! twelve links and over a gigabyte of disk for nothing. `secrets.rs` stays a binary of its
//! own: it installs a process-wide logger and tracing subscriber.

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
mod tracing;
mod values;
