//! Type expressions: what specs write (`integer`, `Destination[]`, `Item{}`, `id | boolean`)
//! read into [`TypeRef`]s, and written back the same way.

use std::collections::BTreeMap;

use crate::diag::did_you_mean;

/// A resolved type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `integer`: `i64`.
    Integer,
    /// `double`: `f64`.
    Double,
    /// `decimal`: a number kept as its text (money, `"5000.00"`), `crate::Decimal`.
    Decimal,
    /// `string`: `String`.
    String,
    /// `boolean`: `bool`.
    Boolean,
    /// `id`: an identifier that arrives as a number or a string, `crate::Id`.
    Id,
    /// `date`: `crate::Date`.
    Date,
    /// `datetime`: `crate::DateTime`.
    DateTime,
    /// `file`: a file to upload, `crate::FileUpload`.
    File,
    /// `file_changes`: files to attach or attachments to remove, `crate::FileChanges`.
    FileChange,
    /// `secret`: a credential that must not be printed, `crate::SecretText`.
    Secret,
    /// `any`: whatever JSON the server sends, `serde_json::Value`.
    Any,
    /// A shared grammar, by name.
    Grammar(String),
    /// A shared object, by name.
    Object(String),
    /// An object of a method's own `objects:` list, by name, with the Rust module of the
    /// method's scope (where its type is exported: `crate::api::<scope>::<Name>`).
    Local {
        /// Rust module of the method's scope.
        scope: String,
        /// The object's name.
        name: String,
    },
    /// A shared enum, by name.
    Enum(String),
    /// `T[]`: `Vec<T>`.
    List(Box<TypeRef>),
    /// `T{}`: a map from string keys, `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `A | B`: the first that decodes (results only; servers that answer differently).
    Union(Vec<TypeRef>),
}

/// The type as specs write it (`integer`, `Destination[]`, `Item{}`, `id | boolean`), which
/// [`parse_result_type`] reads back.
impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Integer => f.write_str("integer"),
            TypeRef::Double => f.write_str("double"),
            TypeRef::Decimal => f.write_str("decimal"),
            TypeRef::String => f.write_str("string"),
            TypeRef::Boolean => f.write_str("boolean"),
            TypeRef::Id => f.write_str("id"),
            TypeRef::Date => f.write_str("date"),
            TypeRef::DateTime => f.write_str("datetime"),
            TypeRef::File => f.write_str("file"),
            TypeRef::FileChange => f.write_str("file_changes"),
            TypeRef::Secret => f.write_str("secret"),
            TypeRef::Any => f.write_str("any"),
            TypeRef::Grammar(name)
            | TypeRef::Object(name)
            | TypeRef::Enum(name)
            | TypeRef::Local { name, .. } => f.write_str(name),
            TypeRef::List(inner) => write!(f, "{inner}[]"),
            TypeRef::Map(inner) => write!(f, "{inner}{{}}"),
            TypeRef::Union(choices) => {
                let choices: Vec<String> = choices.iter().map(ToString::to_string).collect();
                f.write_str(&choices.join(" | "))
            }
        }
    }
}

impl TypeRef {
    /// Short name of a type, for the variants of a result union (`Id`, `Boolean`,
    /// `BlogPostList`).
    pub fn variant_name(&self) -> String {
        match self {
            TypeRef::Integer => "Integer".into(),
            TypeRef::Double => "Double".into(),
            TypeRef::Decimal => "Decimal".into(),
            TypeRef::String => "Text".into(),
            TypeRef::Boolean => "Boolean".into(),
            TypeRef::Id => "Id".into(),
            TypeRef::Date => "Date".into(),
            TypeRef::DateTime => "DateTime".into(),
            TypeRef::File => "File".into(),
            TypeRef::FileChange => "FileChanges".into(),
            TypeRef::Secret => "Secret".into(),
            TypeRef::Any => "Json".into(),
            TypeRef::Grammar(name)
            | TypeRef::Object(name)
            | TypeRef::Enum(name)
            | TypeRef::Local { name, .. } => name.clone(),
            TypeRef::List(inner) => format!("{}List", inner.variant_name()),
            TypeRef::Map(inner) => format!("{}Map", inner.variant_name()),
            TypeRef::Union(_) => "Choice".into(),
        }
    }
}

impl TypeRef {
    /// Whether a method's own object is part of the type: its name means something only in
    /// that method (the command line reads such a value as plain JSON).
    pub fn mentions_local(&self) -> bool {
        match self {
            TypeRef::Local { .. } => true,
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.mentions_local(),
            TypeRef::Union(choices) => choices.iter().any(TypeRef::mentions_local),
            _ => false,
        }
    }
}

/// The built-in type names, as written in specs.
pub const BUILT_IN_TYPES: &[&str] = &[
    "integer",
    "double",
    "decimal",
    "string",
    "boolean",
    "id",
    "date",
    "datetime",
    "file",
    "file_changes",
    "secret",
    "any",
];

/// Parses a result type: a type expression, or several joined by `|` (the server answers
/// with one or the other, such as an id on current servers and `true` on old ones).
pub fn parse_result_type(
    expr: &str,
    definitions: &BTreeMap<String, TypeRef>,
) -> Result<TypeRef, String> {
    if !expr.contains('|') {
        return parse_type(expr, definitions);
    }
    let mut choices = Vec::new();
    for part in expr.split('|') {
        let ty = parse_type(part, definitions)?;
        if choices.contains(&ty) {
            return Err(format!("`{}` is listed twice", part.trim()));
        }
        choices.push(ty);
    }
    Ok(TypeRef::Union(choices))
}

/// Parses a type expression: a built-in, a definition's name, or either followed by `[]`
/// (list) or `{}` (map).
pub fn parse_type(expr: &str, definitions: &BTreeMap<String, TypeRef>) -> Result<TypeRef, String> {
    let expr = expr.trim();
    if let Some(inner) = expr.strip_suffix("[]") {
        return parse_type(inner, definitions).map(|ty| TypeRef::List(Box::new(ty)));
    }
    if let Some(inner) = expr.strip_suffix("{}") {
        return parse_type(inner, definitions).map(|ty| TypeRef::Map(Box::new(ty)));
    }
    if let Some(ty) = built_in(expr) {
        return Ok(ty);
    }
    match expr {
        "" => Err("empty type".into()),
        name if name.contains('|') => Err(format!(
            "`{name}`: a choice of types (`A | B`) is only allowed as a method's result type"
        )),
        name => definitions
            .get(name)
            .cloned()
            .ok_or_else(|| unknown_type(name, definitions)),
    }
}

/// The built-in type a name stands for, if it is one of [`BUILT_IN_TYPES`].
fn built_in(name: &str) -> Option<TypeRef> {
    Some(match name {
        "integer" => TypeRef::Integer,
        "double" => TypeRef::Double,
        "decimal" => TypeRef::Decimal,
        "string" => TypeRef::String,
        "boolean" => TypeRef::Boolean,
        "id" => TypeRef::Id,
        "date" => TypeRef::Date,
        "datetime" => TypeRef::DateTime,
        "file" => TypeRef::File,
        "file_changes" => TypeRef::FileChange,
        "secret" => TypeRef::Secret,
        "any" => TypeRef::Any,
        _ => return None,
    })
}

/// Why `name` is no type: the closest known one, and every known one.
fn unknown_type(name: &str, definitions: &BTreeMap<String, TypeRef>) -> String {
    let known: Vec<&str> = BUILT_IN_TYPES
        .iter()
        .copied()
        .chain(definitions.keys().map(String::as_str))
        .collect();
    format!(
        "unknown type `{name}`{}; known types: {} (append `[]` for a list, `{{}}` for a map)",
        did_you_mean(name, known.iter().copied()),
        known.join(", ")
    )
}

/// A result union's choices become the variants of one enum: their names must differ (a
/// shared object `Text` would meet `string`'s variant `Text`).
pub(super) fn union_variants(ty: TypeRef) -> Result<TypeRef, String> {
    if let TypeRef::Union(choices) = &ty {
        for (i, choice) in choices.iter().enumerate() {
            let name = choice.variant_name();
            if let Some(other) = choices[..i].iter().find(|c| c.variant_name() == name) {
                return Err(format!(
                    "`{other}` and `{choice}` would both be the variant `{name}` of the result's enum"
                ));
            }
        }
    }
    Ok(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_written_back_as_specs_write_them() {
        let definitions = BTreeMap::from([
            (
                "Destination".to_owned(),
                TypeRef::Grammar("Destination".into()),
            ),
            ("Item".to_owned(), TypeRef::Object("Item".into())),
        ]);
        for written in BUILT_IN_TYPES.iter().map(|name| name.to_string()).chain(
            [
                "Destination",
                "Item{}",
                "Destination[][]",
                "integer{}[]",
                "id | boolean",
            ]
            .map(str::to_owned),
        ) {
            let ty = parse_result_type(&written, &definitions).expect(&written);
            assert_eq!(ty.to_string(), written);
        }
    }
}
