//! The request body of a call: built from the parameter flags (each value already parsed with
//! the SDK's type), or read from `--json` (the JSON itself, `@FILE`, or `-` for stdin) and
//! checked as the flags would be ([`check_json`]).

use std::io::Read;

use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::catalog::{Catalog, MethodDef, ParamDef, Parser};
use crate::params;

/// The body the parameter flags give: wire names to their parsed values, lists as arrays.
pub fn from_flags(method: &MethodDef, matches: &ArgMatches) -> Result<Value, String> {
    let mut body = Map::new();
    for param in &method.params {
        let value = if param.list {
            let Some(values) = matches.get_many::<Value>(&param.flag) else {
                continue;
            };
            let values: Vec<Value> = values.cloned().collect();
            match param.merge {
                Some(merge) => crate::params::merge(merge, values)
                    .map_err(|problem| format!("--{}: {problem}", param.flag))?,
                None => Value::Array(values),
            }
        } else {
            let Some(value) = matches.get_one::<Value>(&param.flag) else {
                continue;
            };
            value.clone()
        };
        body.insert(param.wire.clone(), value);
    }
    if let Some(custom) = &method.custom {
        for (key, value) in matches
            .get_many::<(String, Value)>(&custom.flag)
            .into_iter()
            .flatten()
        {
            if let Some(param) = method.params.iter().find(|param| &param.wire == key) {
                return Err(format!(
                    "--{}: `{key}` is a named parameter: give it with --{}",
                    custom.flag, param.flag
                ));
            }
            body.insert(key.clone(), value.clone());
        }
    }
    Ok(Value::Object(body))
}

/// The body `--json` gives: `source` itself, the file after `@`, or stdin for `-`.
pub fn from_json(source: &str, stdin: &mut dyn Read) -> Result<Value, String> {
    let text = if source == "-" {
        let mut text = String::new();
        stdin
            .read_to_string(&mut text)
            .map_err(|error| format!("--json -: cannot read stdin: {error}"))?;
        text
    } else if let Some(path) = source.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|error| format!("--json @{path}: cannot read the file: {error}"))?
    } else {
        source.to_owned()
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err("--json: the request must be a JSON object".to_owned()),
        Err(error) => Err(format!("--json: not JSON: {error}")),
    }
}

/// Makes a `--json` body ready for the typed request, as the flags' parsers would: numbers
/// sent as text (`"POST_ID": "217"`, which the portal's PHP reads as a number) become numbers
/// for integer and double parameters, and every value of a grammar or an enum, lists included,
/// is checked with its strict parser (decoding alone would accept any value of an enum that
/// keeps unknown answers, such as `YesNo`).
pub fn check_json(catalog: &Catalog, method: &MethodDef, body: &mut Value) -> Result<(), String> {
    let Value::Object(body) = body else {
        return Ok(());
    };
    for param in &method.params {
        let Some(value) = body.get_mut(&param.wire) else {
            continue;
        };
        let values = match value {
            Value::Array(items) if param.list => items.iter_mut().collect(),
            value => vec![value],
        };
        for value in values {
            coerce_number(&param.parser, value);
            check_text(catalog, param, value)?;
        }
    }
    Ok(())
}

/// A number written as text, for a parameter that takes one, read with the flag's syntax.
fn coerce_number(parser: &Parser, value: &mut Value) {
    let Value::String(text) = value else {
        return;
    };
    let number = match parser {
        Parser::Integer => params::integer(text),
        Parser::Double => params::double(text),
        _ => return,
    };
    if let Ok(number) = number {
        *value = number;
    }
}

/// A value of a grammar or an enum, checked as its flag would be. Values that are not text
/// are left to the request's decoding, which refuses them.
fn check_text(catalog: &Catalog, param: &ParamDef, value: &Value) -> Result<(), String> {
    let (Parser::Typed(ty), Value::String(text)) = (&param.parser, value) else {
        return Ok(());
    };
    if catalog.value_type(ty).is_none() {
        return Ok(());
    }
    catalog
        .parse(&param.parser, text)
        .map(drop)
        .map_err(|problem| format!("--json: {}: {problem}", param.wire))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn checked(method: &str, mut body: Value) -> Result<Value, String> {
        let catalog = crate::catalog::get().unwrap_or_else(|problem| panic!("{problem}"));
        let method = catalog.find(method).expect("a specified method");
        check_json(catalog, method, &mut body).map(|()| body)
    }

    #[test]
    fn json_numbers_may_come_as_text_as_the_server_reads_them() {
        assert_eq!(
            checked(
                "log.blogpost.share",
                json!({"POST_ID": "217", "DEST": ["SG69"]})
            ),
            Ok(json!({"POST_ID": 217, "DEST": ["SG69"]}))
        );
        // Text that is no number is left for decoding to refuse; strings stay strings.
        assert_eq!(
            checked(
                "log.blogpost.update",
                json!({"POST_ID": "abc", "POST_MESSAGE": "12"})
            ),
            Ok(json!({"POST_ID": "abc", "POST_MESSAGE": "12"}))
        );
    }

    #[test]
    fn json_values_of_grammars_and_enums_are_checked_strictly() {
        let error = checked(
            "log.blogpost.add",
            json!({"POST_MESSAGE": "hi", "IMPORTANT": "maybe"}),
        )
        .unwrap_err();
        assert!(
            error.starts_with("--json: IMPORTANT: invalid YesNo `maybe`"),
            "{error}"
        );
        let error = checked(
            "log.blogpost.share",
            json!({"POST_ID": 1, "DEST": ["UA", "sg69"]}),
        )
        .unwrap_err();
        assert!(
            error.starts_with("--json: DEST: invalid Destination `sg69`"),
            "{error}"
        );
        assert!(error.ends_with("did you mean `SG69`?"), "{error}");
        let fine = json!({"POST_MESSAGE": "hi", "IMPORTANT": "Y", "DEST": ["UA"]});
        assert_eq!(checked("log.blogpost.add", fine.clone()), Ok(fine));
    }

    #[test]
    fn json_comes_inline_from_a_file_or_from_stdin() {
        let mut no_stdin = std::io::empty();
        assert_eq!(
            from_json(r#"{"POST_ID": 1}"#, &mut no_stdin),
            Ok(serde_json::json!({"POST_ID": 1}))
        );
        let mut stdin = r#"{"POST_ID": 2}"#.as_bytes();
        assert_eq!(
            from_json("-", &mut stdin),
            Ok(serde_json::json!({"POST_ID": 2}))
        );
        let path =
            std::env::temp_dir().join(format!("b24-cli-request-{}.json", std::process::id()));
        std::fs::write(&path, r#"{"POST_ID": 3}"#).unwrap();
        let from_file = from_json(&format!("@{}", path.display()), &mut no_stdin);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(from_file, Ok(serde_json::json!({"POST_ID": 3})));
    }

    #[test]
    fn bad_json_is_explained() {
        let mut no_stdin = std::io::empty();
        let error = from_json("{", &mut no_stdin).unwrap_err();
        assert!(error.starts_with("--json: not JSON"), "{error}");
        let error = from_json("[1]", &mut no_stdin).unwrap_err();
        assert!(error.contains("JSON object"), "{error}");
        let error = from_json("@/nonexistent/b24.json", &mut no_stdin).unwrap_err();
        assert!(error.contains("cannot read the file"), "{error}");
    }
}
