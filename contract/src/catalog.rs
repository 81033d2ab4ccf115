//! The `b24` command line's method catalogue: one file per scope
//! (`cli/src/generated/<scope>.json`), each method's spec text, its parameters with the flag
//! and parser of each, and its error rows.
//!
//! The generator writes it with [`write()`] and the command line reads it with [`parse()`]; both
//! use these types, so the shape is defined once. Optional fields without a value and empty
//! lists are left out of the file; unknown keys are refused, so a catalogue from another
//! version of the generator is an error rather than silently half-read.

use serde::{Deserialize, Serialize};

/// One scope's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeCatalog {
    /// The grammars and enums some parameter of the scope uses, by name.
    pub value_types: Vec<ValueTypeDef>,
    /// The scope's methods, by wire name.
    pub methods: Vec<MethodDef>,
}

/// A grammar or an enum: the forms its values take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueTypeDef {
    /// Type name (`Destination`).
    pub name: String,
    /// What a value names.
    pub summary: String,
    /// Every form (`SG<id>`) or value (`Y`).
    pub forms: Vec<FormDef>,
}

/// One form of a grammar, or one value of an enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    /// How it is written (`SG<id>`).
    pub syntax: String,
    /// What it means.
    pub description: String,
}

/// One specified method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodDef {
    /// Wire name, also the subcommand (`log.blogpost.share`); a REST 3.0 method that shares its
    /// wire name with a classic one is `<wire name>.v3` (`tasks.task.get.v3`).
    pub name: String,
    /// Permission scope (`log`).
    pub scope: String,
    /// One sentence: what the method does.
    pub summary: String,
    /// Longer explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who may call the method.
    pub access: String,
    /// Type of `result`, as the spec writes it.
    pub result_type: String,
    /// What `result` holds.
    pub result: String,
    /// Whether sending the same call twice is harmless.
    pub safe_to_repeat: bool,
    /// Why the method is (not) safe to repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_note: Option<String>,
    /// Address of the official documentation page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The spec's first request example, a JSON body as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Parameters in wire order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamDef>,
    /// Keys the spec leaves open (custom `UF_*` fields), if the method takes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomDef>,
    /// Names of the grammars and enums the parameters use (in [`ScopeCatalog::value_types`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_types: Vec<String>,
    /// The method's own error rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorDef>,
}

/// One parameter and its flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamDef {
    /// Key on the wire (`POST_ID`).
    pub wire: String,
    /// Long flag without dashes (`post-id`).
    pub flag: String,
    /// What the help text shows as the value (`INTEGER`).
    pub value_name: String,
    /// Type as the spec writes it (`Destination[]`).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the caller must pass it.
    pub required: bool,
    /// Whether the flag repeats, one value each time (lists and `file_changes`).
    pub list: bool,
    /// For a repeated flag whose values are not simply a JSON array: how they are joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge: Option<Merge>,
    /// How one flag value is read.
    pub parser: Parser,
    /// The spec's description.
    pub description: String,
    /// What the server assumes when it is left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Methods that return valid values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obtain_from: Vec<String>,
    /// How the value is written, when that is not plain from the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The flag of a method's open parameters: `--<flag> KEY=VALUE`, repeated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDef {
    /// Long flag without dashes (`custom-fields`).
    pub flag: String,
    /// What the help text shows as the value (`KEY=JSON`).
    pub value_name: String,
    /// The spec's description.
    pub description: String,
    /// How one value is read.
    pub parser: Parser,
}

/// One row of a method's error table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// The typed error's variant (`NoReadPermission`).
    pub name: String,
    /// HTTP status the server answers with.
    pub status: u16,
    /// The server's text (a pattern with `{field}` placeholders for some rows).
    pub text: String,
    /// What the error means.
    pub meaning: String,
}

/// How a flag value is read (`"integer"`, or `{"typed": "Destination"}`): numbers and
/// booleans by their own syntax, dates as text the SDK's date types accept, files from a
/// path (or `del:<id>` to remove an attachment), any JSON as JSON; a value of a shared type
/// (grammar, enum, object, or a list or map of them) by the parser the generated code has for
/// that type, named by the type as specs write it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parser {
    /// `integer` and `id`: a whole number that fits in 64 bits.
    Integer,
    /// `double`: a finite number.
    Double,
    /// `boolean`: `true` or `false`.
    Boolean,
    /// `string` and `secret`: any text.
    String,
    /// `file`: the path of a file to upload.
    File,
    /// One value of `file_changes`: a path to attach, or `del:<id>`.
    FileChange,
    /// `date`: text the SDK's `Date` accepts.
    Date,
    /// `datetime`: text the SDK's `DateTime` accepts.
    DateTime,
    /// `any`, and a choice of types: any JSON value.
    Json,
    /// The typed parser of this type in the generated code (`Destination`, `Item[]`).
    Typed(String),
}

/// How the values of a repeated flag are joined into the one value the request holds, when
/// they are not simply a JSON array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Merge {
    /// `file_changes`: files to attach, or attachments to remove.
    FileChanges,
}

/// Parses one scope's catalogue.
pub fn parse(json: &str) -> Result<ScopeCatalog, serde_json::Error> {
    serde_json::from_str(json)
}

/// The catalogue as the generator writes it: pretty-printed, one trailing newline.
pub fn write(catalog: &ScopeCatalog) -> String {
    let mut json =
        serde_json::to_string_pretty(catalog).expect("the catalogue has only string keys");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share() -> ScopeCatalog {
        ScopeCatalog {
            value_types: vec![ValueTypeDef {
                name: "Destination".into(),
                summary: "A recipient.".into(),
                forms: vec![FormDef {
                    syntax: "SG<id>".into(),
                    description: "A group.".into(),
                }],
            }],
            methods: vec![MethodDef {
                name: "log.blogpost.share".into(),
                scope: "log".into(),
                summary: "Shares.".into(),
                description: None,
                access: "Any.".into(),
                result_type: "boolean".into(),
                result: "true.".into(),
                safe_to_repeat: false,
                repeat_note: None,
                docs: None,
                example: None,
                params: vec![ParamDef {
                    wire: "DEST".into(),
                    flag: "dest".into(),
                    value_name: "DESTINATION".into(),
                    ty: "Destination[]".into(),
                    required: true,
                    list: true,
                    merge: None,
                    parser: Parser::Typed("Destination".into()),
                    description: "To whom.".into(),
                    default: None,
                    obtain_from: Vec::new(),
                    note: None,
                }],
                custom: None,
                value_types: vec!["Destination".into()],
                errors: Vec::new(),
            }],
        }
    }

    #[test]
    fn a_written_catalogue_parses_back_without_empty_fields() {
        let catalog = share();
        let json = write(&catalog);
        assert!(json.ends_with("}\n"));
        assert!(!json.contains("null"), "{json}");
        assert!(!json.contains("\"errors\""), "{json}");
        assert!(json.contains(r#""parser": {"#), "{json}");
        assert_eq!(parse(&json).unwrap(), catalog);
    }

    #[test]
    fn parsers_are_tags_and_unknown_keys_are_refused() {
        let read = |json: &str| serde_json::from_str::<Parser>(json).expect(json);
        assert_eq!(read(r#""integer""#), Parser::Integer);
        assert_eq!(read(r#""file_change""#), Parser::FileChange);
        assert_eq!(read(r#""date_time""#), Parser::DateTime);
        assert_eq!(
            read(r#"{"typed": "Destination"}"#),
            Parser::Typed("Destination".into())
        );
        assert!(serde_json::from_str::<Parser>(r#""roman""#).is_err());
        assert_eq!(
            serde_json::from_str::<Merge>(r#""file_changes""#).ok(),
            Some(Merge::FileChanges)
        );
        let json = write(&share()).replacen("\"flag\"", "\"flavour\": 1, \"flag\"", 1);
        assert!(
            parse(&json)
                .unwrap_err()
                .to_string()
                .contains("unknown field `flavour`")
        );
    }
}
