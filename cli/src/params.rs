//! Parsers of flag values, one per kind of parameter type: each checks the text with the
//! SDK's own type and gives the JSON value the request holds, so that `--post-id abc` or
//! `--dest sg69` is refused before anything is sent. The catalogue names them (its
//! [`Parser`], whose tags the generator writes; [`function`] finds each one's function).

use std::fmt::Display;
use std::path::Path;
use std::str::FromStr;

pub use b24_rest_contract::catalog::{Merge, Parser};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::catalog::Parse;

/// The function of a flag's parser (`"integer"`, `{"typed": "Destination"}` in the
/// catalogue): one of this module's, or for [`Parser::Typed`] the typed parser of the
/// generated code (`typed`, by the shared type it checks values with); `None` if it lacks
/// that one.
pub fn function(parser: &Parser, typed: &[(&str, Parse)]) -> Option<Parse> {
    let parse: Parse = match parser {
        Parser::Integer => integer,
        Parser::Double => double,
        Parser::Boolean => boolean,
        Parser::String => string,
        Parser::File => file,
        Parser::FileChange => file_change,
        Parser::Date => text_as::<b24_rest::Date>,
        Parser::DateTime => text_as::<b24_rest::DateTime>,
        Parser::Json => json::<Value>,
        Parser::Typed(name) => {
            return typed
                .iter()
                .find(|(ty, _)| ty == name)
                .map(|(_, parse)| *parse);
        }
    };
    Some(parse)
}

/// The one value the request holds for the values of a repeated flag, when they are not
/// simply a JSON array.
pub fn merge(merge: Merge, values: Vec<Value>) -> Result<Value, String> {
    match merge {
        Merge::FileChanges => file_changes(values),
    }
}

/// `integer` and `id`: a whole number that fits in 64 bits.
pub fn integer(text: &str) -> Result<Value, String> {
    text.parse::<i64>()
        .map(Value::from)
        .map_err(|_| "expected a whole number (e.g. 217)".to_owned())
}

/// `double`: a finite number.
pub fn double(text: &str) -> Result<Value, String> {
    match text.parse::<f64>() {
        Ok(number) if number.is_finite() => Ok(Value::from(number)),
        _ => Err("expected a finite number (e.g. 2.5)".to_owned()),
    }
}

/// `boolean`: `true` or `false`.
pub fn boolean(text: &str) -> Result<Value, String> {
    match text {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        _ => Err("expected `true` or `false`".to_owned()),
    }
}

/// `string`: any text.
pub fn string(text: &str) -> Result<Value, String> {
    Ok(Value::String(text.to_owned()))
}

/// Text the SDK's type `T` must accept as a JSON string: grammars (`SG69`), enums, dates.
///
/// Checked with `T`'s strict [`FromStr`], not by deserialising: an enum decodes answers
/// leniently (`YesNo` keeps an unknown value as `Other`), which would let any text through. A
/// value that parses once upper-cased gets a hint (`sg69`: did you mean `SG69`?).
pub fn text_as<T>(text: &str) -> Result<Value, String>
where
    T: FromStr,
    T::Err: Display,
{
    match text.parse::<T>() {
        Ok(_) => Ok(Value::String(text.to_owned())),
        Err(error) => {
            let upper = text.to_uppercase();
            if upper != text && upper.parse::<T>().is_ok() {
                Err(format!("{error}; did you mean `{upper}`?"))
            } else {
                Err(error.to_string())
            }
        }
    }
}

/// JSON the SDK's type `T` must accept: objects, maps, nested lists, anything structured.
pub fn json<T: DeserializeOwned>(text: &str) -> Result<Value, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| format!("expected JSON: {error}"))?;
    match serde_json::from_value::<T>(value.clone()) {
        Ok(_) => Ok(value),
        Err(error) => Err(error.to_string()),
    }
}

/// `file`: the path of a file to upload; sent as the SDK's `FileUpload` (name and content).
pub fn file(text: &str) -> Result<Value, String> {
    let path = Path::new(text);
    let content = std::fs::read(path).map_err(|error| format!("cannot read the file: {error}"))?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| "the path does not name a file".to_owned())?;
    serde_json::to_value(b24_rest::FileUpload::new(name, content))
        .map_err(|error| format!("cannot encode the file: {error}"))
}

/// One value of a `file_changes` flag: `del:<id>` removes the attachment `<id>`; anything
/// else is the path of a file to attach. Joined by [`file_changes`].
pub fn file_change(text: &str) -> Result<Value, String> {
    match text.strip_prefix("del:") {
        Some(id) => {
            let id = id
                .parse::<u64>()
                .map_err(|_| "expected `del:<attachment id>`, e.g. `del:12`".to_owned())?;
            let mut deletion = Map::new();
            deletion.insert(id.to_string(), Value::from("del"));
            Ok(Value::Object(deletion))
        }
        None => file(text),
    }
}

/// The values of a repeated `file_changes` flag as the SDK's `FileChanges`: files to attach
/// (a list of pairs) or attachments to remove (`{"<id>": "del", …}`), not both in one call.
pub fn file_changes(values: Vec<Value>) -> Result<Value, String> {
    let value = if values.iter().all(Value::is_array) {
        Value::Array(values)
    } else if values.iter().all(Value::is_object) {
        let mut deletions = Map::new();
        for value in values {
            if let Value::Object(map) = value {
                deletions.extend(map);
            }
        }
        Value::Object(deletions)
    } else {
        return Err(
            "one call either attaches files or removes attachments (`del:<id>`), \
                    not both: send two calls"
                .to_owned(),
        );
    };
    serde_json::from_value::<b24_rest::FileChanges>(value.clone())
        .map(|_| value)
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parser_the_catalogue_names_has_a_function() {
        let typed: &[(&str, Parse)] = &[("Destination", text_as::<b24_rest::shared::Destination>)];
        let destination = Parser::Typed("Destination".into());
        let parse = function(&destination, typed).expect("in the table");
        assert_eq!(parse("SG69"), Ok(Value::String("SG69".into())));
        assert!(function(&Parser::Typed("Nowhere".into()), typed).is_none());
        let date = function(&Parser::Date, &[]).expect("built in");
        assert!(date("2026-03-18").is_ok());
        // The portal's locale form is a date too (the server reads it); other forms are not.
        assert!(date("18.03.2026").is_ok());
        assert!(date("18/03/2026").is_err());
    }

    #[test]
    fn numbers_and_booleans() {
        assert_eq!(integer("217"), Ok(Value::from(217)));
        assert_eq!(integer("-3"), Ok(Value::from(-3)));
        for bad in ["abc", "", "1.5", "99999999999999999999", " 1"] {
            assert!(integer(bad).is_err(), "{bad:?}");
        }
        assert_eq!(double("2.5"), Ok(Value::from(2.5)));
        assert!(double("NaN").is_err());
        assert!(double("inf").is_err());
        assert_eq!(boolean("true"), Ok(Value::Bool(true)));
        assert_eq!(boolean("false"), Ok(Value::Bool(false)));
        assert!(boolean("yes").is_err());
        assert_eq!(string(""), Ok(Value::String(String::new())));
    }

    #[test]
    fn grammar_values_are_checked_by_the_sdk_type() {
        type Destination = b24_rest::shared::Destination;
        assert_eq!(
            text_as::<Destination>("SG69"),
            Ok(Value::String("SG69".into()))
        );
        let error = text_as::<Destination>("sg69").unwrap_err();
        assert!(error.contains("invalid Destination `sg69`"), "{error}");
        assert!(error.ends_with("; did you mean `SG69`?"), "{error}");
        let error = text_as::<Destination>("SG069").unwrap_err();
        assert!(!error.contains("did you mean"), "{error}");
        assert!(text_as::<Destination>("").is_err());
    }

    #[test]
    fn enum_values_are_checked_strictly() {
        // `YesNo` decodes any answer (`Other`); a caller's value must be one it lists.
        type YesNo = b24_rest::shared::YesNo;
        assert_eq!(text_as::<YesNo>("Y"), Ok(Value::String("Y".into())));
        assert_eq!(text_as::<YesNo>("N"), Ok(Value::String("N".into())));
        for bad in ["maybe", "", "yes", "Y "] {
            assert!(text_as::<YesNo>(bad).is_err(), "{bad:?}");
        }
        let error = text_as::<YesNo>("y").unwrap_err();
        assert!(error.ends_with("did you mean `Y`?"), "{error}");
    }

    #[test]
    fn json_values_are_checked_by_the_sdk_type() {
        assert_eq!(json::<Vec<i64>>("[1, 2]"), Ok(serde_json::json!([1, 2])));
        assert!(json::<Vec<i64>>("[1, \"x\"]").is_err());
        let error = json::<Vec<i64>>("[1,").unwrap_err();
        assert!(error.starts_with("expected JSON"), "{error}");
    }

    #[test]
    fn files_are_read_and_sent_with_their_name() {
        let path = std::env::temp_dir().join(format!("b24-cli-params-{}.txt", std::process::id()));
        std::fs::write(&path, b"hello").unwrap();
        let value = file(path.to_str().unwrap());
        std::fs::remove_file(&path).unwrap();
        let value = value.unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(value, serde_json::json!([name, "aGVsbG8="]));
        assert!(file("/nonexistent/b24-cli/none.txt").is_err());
    }

    #[test]
    fn file_changes_remove_or_attach() {
        let path = std::env::temp_dir().join(format!("b24-cli-changes-{}.txt", std::process::id()));
        std::fs::write(&path, b"hi").unwrap();
        let upload = file_change(path.to_str().unwrap());
        std::fs::remove_file(&path).unwrap();
        let upload = upload.unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(upload, serde_json::json!([name, "aGk="]));

        let del = |id| file_change(&format!("del:{id}")).unwrap();
        assert_eq!(del(12), serde_json::json!({"12": "del"}));
        assert!(file_change("del:x").is_err());
        assert!(file_change("/nonexistent/b24-cli/none.txt").is_err());

        assert_eq!(
            file_changes(vec![del(12), del(13)]),
            Ok(serde_json::json!({"12": "del", "13": "del"}))
        );
        assert_eq!(
            file_changes(vec![upload.clone()]),
            Ok(serde_json::json!([[name, "aGk="]]))
        );
        let mixed = file_changes(vec![upload, del(12)]).unwrap_err();
        assert!(mixed.contains("not both"), "{mixed}");
    }
}
