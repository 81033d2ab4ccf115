//! Printing a file: its tokens parsed into a `syn::File`, laid out as a hand-written file
//! would be (doc comments with stray markup made literal and wrapped to [`docs::LINE_WIDTH`]
//! columns at their indentation, a blank line between items) and printed with `prettyplease`.
//!
//! The layout is decided on the syntax tree, not on the printed text: `prettyplease` prints
//! neither blank lines nor wrapped comments, but it prints an empty verbatim item as an empty
//! line, and each `#[doc]` attribute as one `///` line.

use std::mem::{Discriminant, discriminant};

use proc_macro2::{Span, TokenStream};
use syn::{AttrStyle, Attribute, Expr, ExprLit, Fields, ImplItem, Item, Lit, LitStr, TraitItem};

use super::docs::{self, LINE_WIDTH};
use crate::{GENERATED_MARKER, GeneratedFile};

/// Columns `prettyplease` indents each level by.
const INDENT: usize = 4;

/// Formats `tokens` as the file `path`, generated from `from`.
pub(super) fn render(path: String, from: &str, tokens: TokenStream) -> GeneratedFile {
    let body = match format(tokens) {
        Ok(body) => body,
        // The emitter builds every token stream itself from validated names: a parse
        // failure is a bug in this crate, never a fault of the spec.
        Err(error) => panic!("b24-codegen emitted invalid Rust for {path}: {error}"),
    };
    let mut contents = header(from);
    contents.push_str(&body);
    GeneratedFile { path, contents }
}

/// The format phase of emission alone, for `cargo xtask bench` as much as for `render`:
/// `tokens` parsed into a `syn::File`, laid out and printed, without the header.
pub fn format(tokens: TokenStream) -> syn::Result<String> {
    let mut file: syn::File = syn::parse2(tokens)?;
    wrap_docs(&mut file.attrs, 0, 0);
    lay_out_items(&mut file.items, 0, !file.attrs.is_empty());
    Ok(prettyplease::unparse(&file))
}

/// The marker line, then a blank one. "Do not edit." moves to a line of its own when the
/// spec's path would push it past the line width.
fn header(from: &str) -> String {
    let line = format!("// {GENERATED_MARKER} from {from}. Do not edit.");
    if line.chars().count() <= LINE_WIDTH {
        format!("{line}\n\n")
    } else {
        format!("// {GENERATED_MARKER} from {from}.\n// Do not edit.\n\n")
    }
}

/// Lays out the items of a file or module printed `depth` levels deep, with a blank line first
/// when inner attributes (the module's `//!` docs) come before them.
fn lay_out_items(items: &mut Vec<Item>, depth: usize, after_inner: bool) {
    for item in items.iter_mut() {
        lay_out_item(item, depth);
    }
    space(items, after_inner, item_group, || {
        Item::Verbatim(TokenStream::new())
    });
}

/// Wraps the docs of `item` and of everything printed inside it.
fn lay_out_item(item: &mut Item, depth: usize) {
    let inside = depth + 1;
    if let Some(attrs) = item_attrs(item) {
        wrap_docs(attrs, depth, inside);
    }
    match item {
        Item::Struct(item) => lay_out_fields(&mut item.fields, inside),
        Item::Union(item) => {
            for field in &mut item.fields.named {
                wrap_docs(&mut field.attrs, inside, inside);
            }
        }
        Item::Enum(item) => {
            for variant in &mut item.variants {
                wrap_docs(&mut variant.attrs, inside, inside);
                lay_out_fields(&mut variant.fields, inside + 1);
            }
        }
        Item::Impl(item) => lay_out_impl(&mut item.items, inside),
        Item::Trait(item) => lay_out_trait(&mut item.items, inside),
        Item::Mod(item) => {
            let after_inner = item.attrs.iter().any(is_inner);
            if let Some((_, items)) = &mut item.content {
                lay_out_items(items, inside, after_inner);
            }
        }
        _ => {}
    }
}

fn lay_out_fields(fields: &mut Fields, depth: usize) {
    for field in fields.iter_mut() {
        wrap_docs(&mut field.attrs, depth, depth);
    }
}

fn lay_out_impl(items: &mut Vec<ImplItem>, depth: usize) {
    for item in items.iter_mut() {
        if let Some(attrs) = impl_item_attrs(item) {
            wrap_docs(attrs, depth, depth + 1);
        }
    }
    space(items, false, impl_item_group, || {
        ImplItem::Verbatim(TokenStream::new())
    });
}

fn lay_out_trait(items: &mut Vec<TraitItem>, depth: usize) {
    for item in items.iter_mut() {
        if let Some(attrs) = trait_item_attrs(item) {
            wrap_docs(attrs, depth, depth + 1);
        }
    }
    space(items, false, trait_item_group, || {
        TraitItem::Verbatim(TokenStream::new())
    });
}

/// Puts a blank line (`blank`, an empty verbatim item) between two neighbours, unless both
/// are undocumented one-liners of one kind (a run of `use`s, of `mod x;`, of associated
/// `const`s), and before the first when `lead`.
fn space<T>(
    list: &mut Vec<T>,
    lead: bool,
    group: impl Fn(&T) -> Option<Discriminant<T>>,
    blank: impl Fn() -> T,
) {
    let mut previous: Option<Option<Discriminant<T>>> = None;
    for entry in std::mem::take(list) {
        let kind = group(&entry);
        let together = match previous {
            None => !lead,
            Some(previous) => previous.is_some() && previous == kind,
        };
        if !together {
            list.push(blank());
        }
        previous = Some(kind);
        list.push(entry);
    }
}

/// The kind of a one-line item, which may stand next to others of its kind without a blank
/// line; `None` for an item that stands apart.
fn item_group(item: &Item) -> Option<Discriminant<Item>> {
    let one_line = match item {
        Item::Mod(module) => module.content.is_none(),
        Item::Use(_) | Item::ExternCrate(_) | Item::Const(_) | Item::Static(_) | Item::Type(_) => {
            true
        }
        _ => false,
    };
    let documented = item_attrs_of(item)
        .iter()
        .any(|attr| doc_text(attr).is_some());
    (one_line && !documented).then(|| discriminant(item))
}

fn impl_item_group(item: &ImplItem) -> Option<Discriminant<ImplItem>> {
    let (one_line, attrs) = match item {
        ImplItem::Const(item) => (true, &item.attrs),
        ImplItem::Type(item) => (true, &item.attrs),
        _ => return None,
    };
    let documented = attrs.iter().any(|attr| doc_text(attr).is_some());
    (one_line && !documented).then(|| discriminant(item))
}

fn trait_item_group(item: &TraitItem) -> Option<Discriminant<TraitItem>> {
    let attrs = match item {
        TraitItem::Const(item) => &item.attrs,
        TraitItem::Type(item) => &item.attrs,
        _ => return None,
    };
    let documented = attrs.iter().any(|attr| doc_text(attr).is_some());
    (!documented).then(|| discriminant(item))
}

/// Rewraps each run of doc attributes in `attrs`: outer ones (`///`) printed `outer` levels
/// deep, inner ones (`//!`) `inner` levels deep. Runs that fit are left as they are.
fn wrap_docs(attrs: &mut Vec<Attribute>, outer: usize, inner: usize) {
    let depth = |attr: &Attribute| if is_inner(attr) { inner } else { outer };
    let mut run: Vec<Attribute> = Vec::new();
    for attr in std::mem::take(attrs) {
        let doc = doc_text(&attr).is_some();
        let other_style = run
            .first()
            .is_some_and(|first| is_inner(first) != is_inner(&attr));
        if !doc || other_style {
            let width = run
                .first()
                .map_or(LINE_WIDTH, |first| text_width(depth(first)));
            flush(&mut run, attrs, width);
        }
        if doc {
            run.push(attr);
        } else {
            attrs.push(attr);
        }
    }
    let width = run
        .first()
        .map_or(LINE_WIDTH, |first| text_width(depth(first)));
    flush(&mut run, attrs, width);
}

/// Columns left for doc text at `depth`, after the indentation and `/// `.
fn text_width(depth: usize) -> usize {
    // Never narrower than this, however deep: a column of two-word lines helps nobody.
    const NARROWEST: usize = 40;
    LINE_WIDTH
        .saturating_sub(INDENT * depth + "/// ".len())
        .max(NARROWEST)
}

/// Moves one run of doc attributes into `attrs`, wrapped to `width` columns of text.
fn flush(run: &mut Vec<Attribute>, attrs: &mut Vec<Attribute>, width: usize) {
    let Some(template) = run.first().cloned() else {
        return;
    };
    let text: Vec<String> = run.iter().filter_map(doc_text).collect();
    let lines: Vec<&str> = text
        .iter()
        .flat_map(|line| line.split('\n'))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect();
    let joined = lines.join("\n");
    let clean = docs::tidy_lists(&docs::escape_stray_markup(&joined));
    if clean == joined && lines.iter().all(|line| line.chars().count() <= width) {
        attrs.append(run);
        return;
    }
    run.clear();
    let wrapped = docs::wrap(&clean, width);
    attrs.extend(wrapped.iter().map(|line| with_text(&template, line)));
}

/// `template` (a doc attribute) holding the line `text` instead.
fn with_text(template: &Attribute, text: &str) -> Attribute {
    let value = if text.is_empty() {
        String::new()
    } else {
        format!(" {text}")
    };
    let mut attr = template.clone();
    if let syn::Meta::NameValue(meta) = &mut attr.meta {
        meta.value = Expr::Lit(ExprLit {
            attrs: Vec::new(),
            lit: Lit::Str(LitStr::new(&value, Span::call_site())),
        });
    }
    attr
}

fn is_inner(attr: &Attribute) -> bool {
    matches!(attr.style, AttrStyle::Inner(_))
}

/// The text of a `#[doc = "…"]` attribute.
fn doc_text(attr: &Attribute) -> Option<String> {
    let syn::Meta::NameValue(meta) = &attr.meta else {
        return None;
    };
    let Expr::Lit(ExprLit {
        lit: Lit::Str(text),
        ..
    }) = &meta.value
    else {
        return None;
    };
    meta.path.is_ident("doc").then(|| text.value())
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::ExternCrate(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::ForeignMod(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::TraitAlias(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Union(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        _ => return None,
    })
}

fn item_attrs_of(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(item) => &item.attrs,
        Item::ExternCrate(item) => &item.attrs,
        Item::Mod(item) => &item.attrs,
        Item::Static(item) => &item.attrs,
        Item::Type(item) => &item.attrs,
        Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

fn impl_item_attrs(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        ImplItem::Const(item) => &mut item.attrs,
        ImplItem::Fn(item) => &mut item.attrs,
        ImplItem::Type(item) => &mut item.attrs,
        ImplItem::Macro(item) => &mut item.attrs,
        _ => return None,
    })
}

fn trait_item_attrs(item: &mut TraitItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        TraitItem::Const(item) => &mut item.attrs,
        TraitItem::Fn(item) => &mut item.attrs,
        TraitItem::Type(item) => &mut item.attrs,
        TraitItem::Macro(item) => &mut item.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn items_are_separated_by_blank_lines_and_one_liners_of_a_kind_kept_together() {
        let printed = format(quote! {
            //! The module.
            mod a;
            mod b;
            pub use a::A;
            /// A thing.
            pub struct Thing;
            impl Thing {
                const ONE: u8 = 1;
                const TWO: u8 = 2;
                type Out = u8;
                fn one() -> u8 { 1 }
                fn two() -> u8 { 2 }
            }
        })
        .expect("valid Rust");
        let expected = "\
//! The module.

mod a;
mod b;

pub use a::A;

/// A thing.
pub struct Thing;

impl Thing {
    const ONE: u8 = 1;
    const TWO: u8 = 2;

    type Out = u8;

    fn one() -> u8 {
        1
    }

    fn two() -> u8 {
        2
    }
}
";
        assert_eq!(printed, expected);
    }

    #[test]
    fn a_long_spec_path_moves_the_last_words_of_the_header_down() {
        assert_eq!(
            header("spec/a.yaml"),
            "// @generated by cargo xtask gen from spec/a.yaml. Do not edit.\n\n"
        );
        let long = format!("spec/{}.yaml", "x".repeat(48));
        let text = header(&long);
        assert!(text.lines().all(|line| line.chars().count() <= LINE_WIDTH));
        assert!(text.starts_with(&format!("// {GENERATED_MARKER} from {long}.\n")));
    }

    #[test]
    fn docs_are_wrapped_at_their_indentation() {
        let long = "word ".repeat(40);
        let printed = format(quote! {
            #[doc = #long]
            pub struct Outer {
                #[doc = #long]
                pub field: u8,
            }
        })
        .expect("valid Rust");
        for line in printed.lines() {
            assert!(line.chars().count() <= LINE_WIDTH, "{line}");
        }
        assert!(printed.contains("\n/// word word"));
        assert!(printed.contains("\n    /// word word"));
        let words = printed.matches("word").count();
        assert_eq!(words, 80, "no word lost or added:\n{printed}");
    }
}
