//! Each method's docs link its optional setters on a page of its own: the method's call type,
//! defined in the method's file. All setters of all methods used to sit on one generic `Call`
//! page, where a link to `.user_id(…)` landed on another method's setter.

use std::path::Path;

/// `(Type::setter)` link targets in a doc line.
fn link_targets(line: &str) -> Vec<(&str, &str)> {
    line.split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')'))
        .filter_map(|(target, _)| target.split_once("::"))
        .collect()
}

/// The doc paragraphs that list a method's optional setters, each joined into one line (the
/// generator wraps docs at 100 columns).
fn setter_paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut open: Option<String> = None;
    for line in text.lines() {
        let doc = line.trim_start().strip_prefix("///").map(str::trim);
        match (&mut open, doc) {
            (Some(paragraph), Some(doc)) if !doc.is_empty() => {
                paragraph.push(' ');
                paragraph.push_str(doc);
            }
            (Some(_), _) => paragraphs.extend(open.take()),
            (None, Some(doc)) if doc.starts_with("Optional parameters are set") => {
                open = Some(doc.to_owned());
            }
            (None, _) => {}
        }
    }
    paragraphs.extend(open);
    paragraphs
}

#[test]
fn every_setter_link_points_at_the_method_s_own_call_type() {
    let scopes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/api");
    let mut checked = 0;
    for scope in std::fs::read_dir(&scopes).expect("the generated API") {
        let scope = scope.expect("a folder entry").path();
        if !scope.is_dir() || scope.ends_with("shared") {
            continue;
        }
        for file in std::fs::read_dir(&scope).expect("a scope folder") {
            let path = file.expect("a file").path();
            let text = std::fs::read_to_string(&path).expect("a generated file");
            let Some(call) = text
                .lines()
                .find_map(|line| line.strip_prefix("pub struct ")?.split_once("Call<'a>"))
                .map(|(name, _)| format!("{name}Call"))
            else {
                continue;
            };
            for paragraph in setter_paragraphs(&text) {
                for (ty, setter) in link_targets(&paragraph) {
                    assert_eq!(ty, call, "{}: `.{setter}` links to {ty}", path.display());
                    // A keyword setter is `r#type`; rustdoc links it as `type`.
                    assert!(
                        text.contains(&format!("pub fn {setter}("))
                            || text.contains(&format!("pub fn r#{setter}(")),
                        "{}: no setter `{setter}` on {call}",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} setter links found");
}
