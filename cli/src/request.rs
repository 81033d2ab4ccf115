//! The request body of a call: built from the parameter flags (each value already parsed with
//! the SDK's type), or read from `--json` (the JSON itself, `@FILE`, or `-` for stdin).

use std::io::Read;

use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::catalog::MethodDef;

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

#[cfg(test)]
mod tests {
    use super::*;

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
