//! What the generated method table (`generated/mod.rs`) is made of: for each method its
//! spec text, its parameters with their typed flag parsers, and the typed call to run.

use serde_json::Value;

use crate::run::Prepared;

/// One specified method.
#[derive(Debug)]
pub struct MethodDef {
    /// Wire name, also the subcommand (`log.blogpost.share`).
    pub name: &'static str,
    /// Permission scope (`log`).
    pub scope: &'static str,
    /// One sentence: what the method does.
    pub summary: &'static str,
    /// Longer explanation.
    pub description: Option<&'static str>,
    /// Who may call the method.
    pub access: &'static str,
    /// Type of `result`, as the spec writes it.
    pub result_type: &'static str,
    /// What `result` holds.
    pub result: &'static str,
    /// Whether sending the same call twice is harmless.
    pub safe_to_repeat: bool,
    /// Why the method is (not) safe to repeat.
    pub repeat_note: Option<&'static str>,
    /// Address of the official documentation page.
    pub docs: Option<&'static str>,
    /// The spec's first request example, a JSON body.
    pub example: Option<&'static str>,
    /// Parameters in wire order.
    pub params: &'static [ParamDef],
    /// Keys the spec leaves open (custom `UF_*` fields), if the method takes them.
    pub custom: Option<CustomDef>,
    /// Grammars and enums the parameters use, for the help text.
    pub value_types: &'static [&'static ValueTypeDef],
    /// The method's own error rows.
    pub errors: &'static [ErrorDef],
    /// Decodes a request body into the method's typed request (unknown keys refused), ready
    /// to be sent.
    pub prepare: fn(Value) -> Result<Prepared, String>,
}

/// Joins the values of a repeated flag into the one value the request holds.
pub type Merge = fn(Vec<Value>) -> Result<Value, String>;

/// One parameter and its flag.
#[derive(Debug)]
pub struct ParamDef {
    /// Key on the wire (`POST_ID`).
    pub wire: &'static str,
    /// Long flag without dashes (`post-id`).
    pub flag: &'static str,
    /// What the help text shows as the value (`INTEGER`).
    pub value_name: &'static str,
    /// Type as the spec writes it (`Destination[]`).
    pub ty: &'static str,
    /// Whether the caller must pass it.
    pub required: bool,
    /// Whether the flag repeats, one value each time (lists and `file_changes`).
    pub list: bool,
    /// For a repeated flag whose values are not simply a JSON array: joins them.
    pub merge: Option<Merge>,
    /// The spec's description.
    pub description: &'static str,
    /// What the server assumes when it is left out.
    pub default: Option<&'static str>,
    /// Methods that return valid values.
    pub obtain_from: &'static [&'static str],
    /// How the value is written, when that is not plain from the type.
    pub note: Option<&'static str>,
    /// Parses one flag value with the SDK's own type into the JSON the request holds.
    pub parse: fn(&str) -> Result<Value, String>,
}

/// The flag of a method's open parameters: `--<flag> KEY=VALUE`, repeated.
#[derive(Debug)]
pub struct CustomDef {
    /// Long flag without dashes (`custom-fields`).
    pub flag: &'static str,
    /// What the help text shows as the value (`KEY=JSON`).
    pub value_name: &'static str,
    /// The spec's description.
    pub description: &'static str,
    /// Parses one value with the SDK's type.
    pub parse: fn(&str) -> Result<Value, String>,
}

/// A grammar or an enum: the forms its values take.
#[derive(Debug)]
pub struct ValueTypeDef {
    /// Type name (`Destination`).
    pub name: &'static str,
    /// What a value names.
    pub summary: &'static str,
    /// Every form (`SG<id>`) or value (`Y`).
    pub forms: &'static [FormDef],
}

/// One form of a grammar, or one value of an enum.
#[derive(Debug)]
pub struct FormDef {
    /// How it is written (`SG<id>`).
    pub syntax: &'static str,
    /// What it means.
    pub description: &'static str,
}

/// One row of a method's error table.
#[derive(Debug)]
pub struct ErrorDef {
    /// The typed error's variant (`NoReadPermission`).
    pub name: &'static str,
    /// HTTP status the server answers with.
    pub status: u16,
    /// The server's text (a pattern with `{field}` placeholders for some rows).
    pub text: &'static str,
    /// What the error means.
    pub meaning: &'static str,
}

/// The method called `name`, if any.
pub fn find(methods: &'static [MethodDef], name: &str) -> Option<&'static MethodDef> {
    methods.iter().find(|method| method.name == name)
}
