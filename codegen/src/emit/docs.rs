//! Doc comments: spec text (markdown) turned into `#[doc]` attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc attributes (`///`) for `text`, one per line.
pub fn outer(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`) for `text`, one per line.
pub fn inner(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

fn doc_lines(text: &str) -> Vec<String> {
    let trimmed = text.trim_end();
    trimmed
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// `text` as a markdown code span, safe for any backticks inside it.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else if text.is_empty() {
        "`\"\"`".to_owned()
    } else {
        format!("`{text}`")
    }
}

/// A markdown paragraph builder: paragraphs separated by blank lines.
#[derive(Default)]
pub struct Doc {
    paragraphs: Vec<String>,
}

impl Doc {
    /// Adds a paragraph (skipped when blank).
    pub fn para(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref().trim();
        if !text.is_empty() {
            self.paragraphs.push(text.to_owned());
        }
        self
    }

    /// The text so far.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// Outer doc attributes.
    pub fn outer(&self) -> TokenStream {
        outer(&self.text())
    }
}

/// "Obtain it from `a`, `b`." or nothing.
pub fn obtain_from(methods: &[String]) -> String {
    if methods.is_empty() {
        return String::new();
    }
    let list: Vec<String> = methods.iter().map(|m| code(m)).collect();
    format!("Valid values come from {}.", list.join(", "))
}
