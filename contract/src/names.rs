//! The names a scope of the generated crate may not take, because the crate and its runtime
//! use them already: the generator refuses a spec whose scope is one, and the importer files
//! a method whose name starts with one under another module.

/// Names a scope may not take: its module would sit beside the crate's own modules
/// (`b24_rest::shared`, `b24_rest::mock`, the runtime's), its cargo feature beside the crate's
/// own, and its accessor `client.<scope>()` among the client's methods, which it would shadow.
pub const RESERVED_SCOPES: &[&str] = &[
    // `spec/imported/` holds the drafts: a scope of that name would share its folder.
    "imported",
    // Modules of the crate and of the runtime it re-exports.
    "api",
    "batch",
    "client",
    "conformance",
    "list",
    "mock",
    "shared",
    // Tool attributes the crate root uses (`#[rustfmt::skip]`).
    "clippy",
    "rustfmt",
    // Cargo features of the crate.
    "default",
    "full",
    // Methods of the client and of the traits it implements.
    "as_ref",
    "borrow",
    "builder",
    "call",
    "clone",
    "clone_from",
    "deref",
    "fmt",
    "from",
    "into",
    "oauth",
    "operating",
    "pages",
    "policy",
    "portal",
    "send",
    "set_access_token",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
    "webhook",
];
