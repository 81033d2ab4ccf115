//! Emission: the model in, formatted Rust files out. Pure; nothing here touches the disk.
//!
//! Every file is built as a token stream with `quote!`, parsed into a `syn::File` and
//! printed with `prettyplease`, then headed with [`crate::GENERATED_MARKER`].

mod docs;
mod method;
mod modules;
mod shared;
mod types;

use proc_macro2::TokenStream;

use crate::model::Model;
use crate::{GENERATED_MARKER, GeneratedFile};

/// Folder of the generated API modules, relative to the workspace root.
pub const API_DIR: &str = "generated/src/api";

/// Every generated Rust file of the model.
pub fn emit(model: &Model) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    files.push(modules::api_root(model));
    files.extend(shared::files(model));
    for scope in &model.scopes {
        files.push(modules::scope_root(scope));
        for method in &scope.methods {
            files.push(method::file(model, scope, method));
        }
    }
    files
}

/// Formats `tokens` as the file `path`, generated from `from`.
fn render(path: String, from: &str, tokens: TokenStream) -> GeneratedFile {
    let file: syn::File = match syn::parse2(tokens) {
        Ok(file) => file,
        // The emitter builds every token stream itself from validated names: a parse
        // failure is a bug in this crate, never a fault of the spec.
        Err(error) => panic!("b24-codegen emitted invalid Rust for {path}: {error}"),
    };
    let mut contents = format!("// {GENERATED_MARKER} from {from}. Do not edit.\n\n");
    contents.push_str(&prettyplease::unparse(&file));
    GeneratedFile { path, contents }
}
