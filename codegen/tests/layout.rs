//! The generated Rust files read like hand-written ones: no line is longer than 100 columns,
//! and items are separated by a blank line.
//!
//! Runs over the checked-in output (`generated/`, `cli/src/generated/`) and the snapshot
//! fixtures (`tests/fixtures/*/expected/`), which `cargo xtask gen --check` and the snapshot
//! test keep equal to what the generator makes. A line may run longer only where it cannot be
//! broken: a markdown table row, a doc line that is one link, path or code span, and a row of
//! an error table (one JSON value a line, as the runtime reads it). Items stand apart, except
//! undocumented one-liners of one kind (a run of `use`s, of `mod x;`s, of associated `const`s).

use std::fs;
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::{Attribute, ImplItem, Item};

/// Columns a line may take.
const WIDTH: usize = 100;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// Every generated Rust file: the checked-in crate and command line code, and the fixtures.
fn generated_files() -> Vec<PathBuf> {
    let root = workspace();
    let mut dirs = vec![root.join("generated"), root.join("cli/src/generated")];
    let fixtures = root.join("codegen/tests/fixtures");
    for entry in fs::read_dir(&fixtures).expect("the fixtures folder") {
        dirs.push(entry.expect("an entry").path().join("expected"));
    }
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 10, "the generated files were not found");
    files
}

#[test]
fn no_generated_line_is_longer_than_100_columns_unless_it_cannot_break() {
    let mut long = Vec::new();
    for path in generated_files() {
        let text = fs::read_to_string(&path).expect("readable");
        let mut in_error_table = false;
        // Files drafted from the official pages carry the pages' markdown (indented lists, long
        // code spans) that the wrapper must not re-flow: their comments keep the page's lines,
        // and their first line names the long draft path. Code lines are held to the rule.
        let imported = text
            .lines()
            .next()
            .is_some_and(|first| first.contains("from spec/imported/"));
        for (number, line) in text.lines().enumerate() {
            // The page's deprecation note is one string literal.
            let page_text = ["//", "note = \""]
                .iter()
                .any(|start| line.trim_start().starts_with(start));
            if imported && page_text {
                continue;
            }
            // The error table (`r#"[` … `]"#`, as many `#` as its text needs) holds one row
            // a line.
            let table_row = in_error_table && line.starts_with('{');
            let opening = line.trim_end().trim_end_matches("\"[");
            if opening.len() + 2 == line.trim_end().len()
                && opening.trim_end_matches('#').ends_with('r')
            {
                in_error_table = true;
            } else if line.starts_with(']') {
                in_error_table = false;
            }
            let columns = line.chars().count();
            if columns > WIDTH && !table_row && !unbreakable_comment(line) {
                long.push(format!(
                    "{}:{}: {columns} columns: {line}",
                    path.display(),
                    number + 1
                ));
            }
        }
    }
    assert!(long.is_empty(), "lines too long:\n{}", long.join("\n"));
}

/// A comment line whose text is a markdown table row, or one word that no break can split: a
/// link, an autolink, a path or a code span, maybe after a list marker.
fn unbreakable_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    let Some(text) = ["///", "//!", "//"]
        .iter()
        .find_map(|prefix| trimmed.strip_prefix(prefix))
    else {
        return false;
    };
    let text = text.trim_start();
    let text = ["- ", "* ", "+ "]
        .iter()
        .find_map(|marker| text.strip_prefix(marker))
        .unwrap_or(text);
    text.starts_with('|') || !has_break(text)
}

/// Whether `text` has a space outside its code spans, links and autolinks.
fn has_break(text: &str) -> bool {
    let mut ticks = 0;
    let (mut brackets, mut parens, mut angles) = (0i32, 0i32, 0i32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                let mut run = 1;
                while chars.next_if_eq(&'`').is_some() {
                    run += 1;
                }
                ticks = if ticks == 0 {
                    run
                } else if ticks == run {
                    0
                } else {
                    ticks
                };
            }
            _ if ticks > 0 => {}
            '[' => brackets += 1,
            ']' => brackets -= 1,
            '(' if brackets == 0 => parens += 1,
            ')' if parens > 0 => parens -= 1,
            '<' => angles += 1,
            '>' => angles -= 1,
            ' ' if brackets <= 0 && parens <= 0 && angles <= 0 => return true,
            _ => {}
        }
    }
    false
}

#[test]
fn items_are_separated_by_blank_lines() {
    let mut crowded = Vec::new();
    for path in generated_files() {
        let text = fs::read_to_string(&path).expect("readable");
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut check = |what: &str, line: usize| {
            crowded.push(format!("{}:{line}: {what}", path.display()));
        };
        if let (Some(last), Some(first)) = (file.attrs.last(), file.items.first())
            && first.span().start().line != last.span().end().line + 2
        {
            check(
                "no blank line after the module docs",
                first.span().start().line,
            );
        }
        check_items(&file.items, &mut check);
    }
    assert!(crowded.is_empty(), "{}", crowded.join("\n"));
}

/// Checks the items of a file or module, and those of the modules and impls among them.
fn check_items(items: &[Item], check: &mut impl FnMut(&str, usize)) {
    check_gaps(items, item_kind, check);
    for item in items {
        match item {
            Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    check_items(items, check);
                }
            }
            Item::Impl(block) => check_gaps(&block.items, impl_item_kind, check),
            _ => {}
        }
    }
}

/// Exactly one blank line between neighbours, and none between one-liners of one kind.
fn check_gaps<T: Spanned>(
    list: &[T],
    kind: impl Fn(&T) -> Option<&'static str>,
    check: &mut impl FnMut(&str, usize),
) {
    for pair in list.windows(2) {
        let (end, start) = (pair[0].span().end().line, pair[1].span().start().line);
        assert!(
            end >= 1,
            "spans carry no lines: proc-macro2's `span-locations` is off"
        );
        let together = kind(&pair[0]).is_some() && kind(&pair[0]) == kind(&pair[1]);
        let gap = start - end - 1;
        if gap != usize::from(!together) {
            check(&format!("{gap} blank lines before this item"), start);
        }
    }
}

/// The kind of an undocumented one-line item, which may stand with others of its kind.
fn item_kind(item: &Item) -> Option<&'static str> {
    let (kind, attrs) = match item {
        Item::Use(item) => ("use", &item.attrs),
        Item::ExternCrate(item) => ("extern crate", &item.attrs),
        Item::Mod(item) if item.content.is_none() => ("mod", &item.attrs),
        Item::Const(item) => ("const", &item.attrs),
        Item::Static(item) => ("static", &item.attrs),
        Item::Type(item) => ("type", &item.attrs),
        _ => return None,
    };
    (!documented(attrs)).then_some(kind)
}

fn impl_item_kind(item: &ImplItem) -> Option<&'static str> {
    let (kind, attrs) = match item {
        ImplItem::Const(item) => ("const", &item.attrs),
        ImplItem::Type(item) => ("type", &item.attrs),
        _ => return None,
    };
    (!documented(attrs)).then_some(kind)
}

fn documented(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}
