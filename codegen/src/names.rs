//! The naming rule: how wire names (`log.blogpost.share`, `POST_ID`) become Rust names.
//!
//! The rule is mechanical so a maintainer can predict every generated name:
//!
//! | wire | Rust | example |
//! |---|---|---|
//! | scope (`log`) | module, accessor fn: snake_case | `b24_rest::log`, `client.log()` |
//! | method segments after the scope | type prefix: UpperCamelCase, joined | `BlogpostShare` |
//! | request / error types | prefix + `Request` / `Error` | `BlogpostShareRequest` |
//! | group and leaf segments | accessor fns: snake_case | `.blogpost().share(..)` |
//! | accessor structs | scope + groups, UpperCamelCase, + `Api` | `LogBlogpostApi` |
//! | module of a method | segments after the scope, snake_case, joined by `_` | `blogpost_share` |
//! | parameter and field keys | snake_case | `POST_ID` → `post_id` |
//! | `rust_name:` of a method | replaces the last segment in all of the above | `get_v3` → `TaskGetV3Request`, `.get_v3()` |
//! | `rust_name:` of a parameter | the field and setter, as written | `sort_upper` |
//!
//! A result that is a Rust keyword is written as a raw identifier (`type` → `r#type`); the
//! few keywords that cannot be raw (`self`, `super`, `crate`, `Self`) get a trailing `_`.
//! A name that is still not a valid identifier (it starts with a digit, say) is an error,
//! and so are two wire names that end up with the same Rust name.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const STRICT_AND_RESERVED: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that `r#` cannot escape.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// snake_case form of a wire name, keyword-escaped (as text: `r#type`).
pub fn snake(wire: &str) -> String {
    escape(wire.to_snake_case())
}

/// The Rust name a spec chose (`rust_name:`, already snake_case and checked), or else the
/// wire name in snake_case.
pub fn chosen_or_snake(chosen: Option<&str>, wire: &str) -> String {
    match chosen {
        Some(name) => name.to_owned(),
        None => snake(wire),
    }
}

/// UpperCamelCase form of a wire name, keyword-escaped.
pub fn camel(wire: &str) -> String {
    escape(wire.to_upper_camel_case())
}

fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if STRICT_AND_RESERVED.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Whether `name` (possibly `r#`-prefixed) is a valid Rust identifier.
pub fn is_valid_ident(name: &str) -> bool {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = bare.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    bare != "_" && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Whether `name` can be a wire key such as `POST_ID` or `operating_reset_at` (and a
/// placeholder of an error pattern): a letter, then letters, digits and `_`.
pub fn is_wire_key(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Whether `name` is a Rust keyword (strict or reserved), such as `Self` or `type`.
pub fn is_keyword(name: &str) -> bool {
    STRICT_AND_RESERVED.contains(&name)
}

/// Whether `name` is already in UpperCamelCase (as variant and type names must be written).
pub fn is_upper_camel(name: &str) -> bool {
    is_valid_ident(name) && !name.starts_with("r#") && name.to_upper_camel_case() == name
}

/// An identifier token for a name produced by [`snake`] or [`camel`].
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Type-name prefix of a method: the segments after the scope, UpperCamelCase, joined.
pub fn method_prefix(segments_after_scope: &[&str]) -> String {
    segments_after_scope
        .iter()
        .map(|segment| segment.to_upper_camel_case())
        .collect()
}

/// Module name of a method: the segments after the scope, snake_case, joined by `_`.
pub fn method_module(segments_after_scope: &[&str]) -> String {
    let joined: Vec<String> = segments_after_scope
        .iter()
        .map(|segment| segment.to_snake_case())
        .collect();
    escape(joined.join("_"))
}

/// Name of the accessor struct for a scope and a path of groups (`LogBlogpostApi`).
pub fn accessor_type(scope: &str, groups: &[&str]) -> String {
    let mut name = scope.to_upper_camel_case();
    for group in groups {
        name.push_str(&group.to_upper_camel_case());
    }
    name.push_str("Api");
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_rust_names() {
        assert_eq!(snake("POST_ID"), "post_id");
        assert_eq!(snake("DEST"), "dest");
        assert_eq!(snake("TYPE"), "r#type");
        assert_eq!(snake("SELF"), "self_");
        assert_eq!(snake("getAvailableForPayment"), "get_available_for_payment");
        assert_eq!(method_prefix(&["blogpost", "share"]), "BlogpostShare");
        assert_eq!(
            method_prefix(&["blogpost", "getusers", "important"]),
            "BlogpostGetusersImportant"
        );
        assert_eq!(
            method_module(&["blogcomment", "user", "get"]),
            "blogcomment_user_get"
        );
        assert_eq!(accessor_type("log", &["blogpost"]), "LogBlogpostApi");
        assert_eq!(accessor_type("sonet_group", &[]), "SonetGroupApi");
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(is_valid_ident("r#type"));
        assert!(!is_valid_ident("1abc"));
        assert!(!is_valid_ident("_"));
        assert!(!is_valid_ident("a-b"));
        assert!(is_upper_camel("WrongPostId"));
        assert!(!is_upper_camel("wrongPostId"));
        assert!(!is_upper_camel("Wrong_post"));
        assert_eq!(ident("r#type").to_string(), "r#type");
    }
}
