//! The generated crate's own files: `Cargo.toml`, `README.md`, the licences and `src/lib.rs`.
//! Every file under `generated/` is the generator's, so these are written like the rest.
//!
//! `Cargo.toml` and the README are text built from the model (a feature per scope, a table of
//! what each scope covers); `lib.rs` is Rust, built with `quote!` like every other source.

use quote::quote;

use super::{docs, render};
use crate::model::Model;
use crate::{GENERATED_MARKER, GeneratedFile};

/// Folder of the generated crate, relative to the workspace root.
pub(super) const CRATE_DIR: &str = "generated";

/// The README, with `{{scopes}}` for the table of scopes.
const README: &str = include_str!("../../templates/README.md");
/// The crate docs of `lib.rs`, with `{{scopes}}` for the list of scopes and
/// `{{share_example}}` for the kind of the code blocks that call `log.blogpost.share`.
const CRATE_DOCS: &str = include_str!("../../templates/lib.md");
/// The workspace's licences, which the crate ships (codegen itself is not published, so
/// reading them from outside its folder is fine).
const LICENSE_MIT: &str = include_str!("../../../LICENSE-MIT");
const LICENSE_APACHE: &str = include_str!("../../../LICENSE-APACHE");

/// Every file of the crate outside `src/api/`.
pub(super) fn files(model: &Model) -> Vec<GeneratedFile> {
    vec![
        cargo_toml(model),
        readme(model),
        text("LICENSE-MIT", LICENSE_MIT),
        text("LICENSE-APACHE", LICENSE_APACHE),
        lib_rs(model),
    ]
}

fn text(name: &str, contents: &str) -> GeneratedFile {
    GeneratedFile {
        path: format!("{CRATE_DIR}/{name}"),
        contents: contents.to_owned(),
    }
}

/// `generated/Cargo.toml`: a feature per scope, all of them in `full`; none on by default, so
/// that a crate compiles only the scopes it asks for.
fn cargo_toml(model: &Model) -> GeneratedFile {
    // Scope names are lowercase letters, digits and `_` (validated): safe as TOML keys and
    // inside quotes.
    let scopes: Vec<String> = model
        .scopes
        .iter()
        .map(|s| format!("\"{}\"", s.wire))
        .collect();
    let list = scopes.join(", ");
    let features: String = model
        .scopes
        .iter()
        .map(|scope| format!("{} = []\n", scope.wire))
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    let contents = format!(
        r#"# {GENERATED_MARKER} from spec/. Do not edit.
[package]
name = "b24-rest"
description = "Typed Bitrix24 REST client, generated from method specifications"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
authors.workspace = true
readme = "README.md"
keywords = ["bitrix24", "rest", "api", "client", "sdk"]
categories = ["api-bindings", "web-programming::http-client"]

[features]
# Lean by default: turn on the scopes you use, or `full`.
default = []
# Every scope of the API.
full = [{list}]
# One feature per scope of the API: a downstream crate compiles only the scopes it enables.
{features}# `Deserialize` for the request structs (reading a request from JSON, as the `b24` CLI's
# `--json` does). Off by default: it is the largest part of each method's compile cost.
deserialize-requests = []
# The mock portal `b24_rest::mock`, for tests of code that uses this crate.
mock = ["b24-rest-runtime/mock"]

[dependencies]
b24-rest-runtime = {{ path = "../runtime", version = "{version}" }}
serde.workspace = true
serde_json.workspace = true

[dev-dependencies]
# The checks each method's and event's conformance tests run, and the mock portal they call.
b24-rest-runtime = {{ path = "../runtime", features = ["conformance"] }}
tokio = {{ workspace = true, features = ["rt-multi-thread", "macros"] }}

[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

# The workspace's lints: every public item documented, nothing `pub` that is unreachable.
[lints]
workspace = true
"#
    );
    text("Cargo.toml", &contents)
}

/// `generated/README.md`: the template with a table of the scopes.
fn readme(model: &Model) -> GeneratedFile {
    let mut table = String::from("| Scope (feature) | Methods | Events |\n|---|---|---|");
    for scope in &model.scopes {
        table.push_str(&format!(
            "\n| `{}` | {} | {} |",
            scope.wire,
            scope.methods.len(),
            scope.events.len()
        ));
    }
    text("README.md", &README.replace("{{scopes}}", &table))
}

/// Whether the model has what the crate docs' examples call: `log.blogpost.share` with its
/// error row `NoReadPermission`, and the grammar `Destination`. Another spec set (the
/// generator's fixtures) gets those examples as `ignore`d code, so its doc tests pass.
fn shares_blog_posts(model: &Model) -> bool {
    let share = model
        .scopes
        .iter()
        .flat_map(|scope| &scope.methods)
        .find(|method| method.spec.method == "log.blogpost.share");
    let denied = share.is_some_and(|method| {
        method
            .errors
            .iter()
            .any(|row| row.spec.name == "NoReadPermission")
    });
    let destination = model
        .grammars
        .iter()
        .any(|grammar| grammar.spec.grammar == "Destination");
    denied && destination
}

/// `generated/src/lib.rs`: the crate docs and the `api` module, re-exported whole. Kept tiny:
/// `cargo fmt` checks it (the `api` files are `#[rustfmt::skip]`), so it must be what both
/// `prettyplease` and `rustfmt` print.
fn lib_rs(model: &Model) -> GeneratedFile {
    let scopes: Vec<String> = model
        .scopes
        .iter()
        .map(|scope| {
            // A raw module (`r#type`) needs its path spelt out; a plain one links by its name.
            let link = match scope.module.strip_prefix("r#") {
                Some(bare) => format!("[`{bare}`](crate::{})", scope.module),
                None => format!("[`{}`]", scope.module),
            };
            format!(
                "- {link}: {} methods, {} events",
                scope.methods.len(),
                scope.events.len()
            )
        })
        .collect();
    let share_example = if shares_blog_posts(model) {
        "no_run"
    } else {
        "ignore"
    };
    let doc = docs::inner(
        &CRATE_DOCS
            .replace("{{scopes}}", &scopes.join("\n"))
            .replace("{{share_example}}", share_example),
    );
    let tokens = quote! {
        #doc
        #[rustfmt::skip]
        mod api;
        pub use api::*;
    };
    render(format!("{CRATE_DIR}/src/lib.rs"), "spec/", tokens)
}
