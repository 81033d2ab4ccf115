//! Value types the specs' built-in types map to: ids that arrive as numbers or strings, dates,
//! files to upload, and secrets received in event payloads.

use std::fmt;

use base64::Engine as _;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An identifier or count. Bitrix24 sends most of them as strings (`"ID": "217"`) and some as
/// numbers (`"ENTITY_VALUE_ID": 217`); both decode to the same value, and it is sent as a number.
///
/// It compares with plain integers (`post.id == 217`), and `Debug` prints the bare number, so
/// that a result union's `Id(…)` reads `Id(312)`, not `Id(Id(312))`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Id(pub i64);

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq<i64> for Id {
    fn eq(&self, other: &i64) -> bool {
        self.0 == *other
    }
}

impl PartialEq<Id> for i64 {
    fn eq(&self, other: &Id) -> bool {
        *self == other.0
    }
}

impl Id {
    /// The number.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl From<i64> for Id {
    fn from(value: i64) -> Self {
        Id(value)
    }
}

impl From<Id> for i64 {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::str::FromStr for Id {
    type Err = std::num::ParseIntError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.trim().parse().map(Id)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = Id;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer id, as a number or a string of digits")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Id, E> {
                Ok(Id(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Id, E> {
                i64::try_from(value)
                    .map(Id)
                    .map_err(|_| E::custom("id out of range"))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Id, E> {
                // `1.0` is an id; `1.5` is not.
                if value.fract() == 0.0 && value.abs() < 9.0e15 {
                    Ok(Id(value as i64))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(value), &self))
                }
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Id, E> {
                value
                    .trim()
                    .parse()
                    .map(Id)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

/// A date as the documentation writes it, `YYYY-MM-DD`. The text is kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Date(String);

/// A date and time as the documentation writes it, ISO 8601 with offset:
/// `2026-03-18T09:21:18+02:00`. The text is kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct DateTime(String);

/// Why a text is not a [`Date`] or [`DateTime`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not {expected}")]
pub struct DateParseError {
    input: String,
    expected: &'static str,
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `text` is `len` ASCII digits whose value lies in `range`.
fn number_in(text: &str, len: usize, range: std::ops::RangeInclusive<u32>) -> bool {
    text.len() == len && digits(text) && text.parse().is_ok_and(|n: u32| range.contains(&n))
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if number_in(y, 4, 1..=9999) && number_in(m, 2, 1..=12) && number_in(d, 2, 1..=31))
}

fn is_time(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    let seconds = |s: &str| match s.split_once('.') {
        Some((whole, fraction)) => number_in(whole, 2, 0..=60) && digits(fraction),
        None => number_in(s, 2, 0..=60),
    };
    matches!(parts.as_slice(), [h, m, s] if number_in(h, 2, 0..=23) && number_in(m, 2, 0..=59) && seconds(s))
}

fn is_offset(text: &str) -> bool {
    text == "Z"
        || ((text.starts_with('+') || text.starts_with('-'))
            && matches!(text[1..].split_once(':'), Some((h, m)) if number_in(h, 2, 0..=14) && number_in(m, 2, 0..=59)))
}

impl Date {
    /// The date as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl DateTime {
    /// The date and time as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Date {
    type Err = DateParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if is_date(text) {
            Ok(Date(text.to_owned()))
        } else {
            Err(DateParseError {
                input: text.to_owned(),
                expected: "a date (YYYY-MM-DD)",
            })
        }
    }
}

impl std::str::FromStr for DateTime {
    type Err = DateParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let valid = text.split_once('T').is_some_and(|(date, rest)| {
            is_date(date) && {
                let split = rest.find(['+', '-', 'Z']).unwrap_or(rest.len());
                let (time, offset) = rest.split_at(split);
                is_time(time) && (offset.is_empty() || is_offset(offset))
            }
        });
        if valid {
            Ok(DateTime(text.to_owned()))
        } else {
            Err(DateParseError {
                input: text.to_owned(),
                expected: "an ISO 8601 date and time (YYYY-MM-DDThh:mm:ss±hh:mm)",
            })
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(de::Error::custom)
    }
}

/// A file to upload, sent as the documented pair `["name", "<base64 content>"]`.
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    name: String,
    content: Vec<u8>,
}

impl FileUpload {
    /// A file named `name` with the given bytes.
    pub fn new(name: impl Into<String>, content: impl Into<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            content: content.into(),
        }
    }

    /// The file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file's bytes.
    pub fn content(&self) -> &[u8] {
        &self.content
    }
}

impl fmt::Debug for FileUpload {
    // The content can be megabytes: show its size, not its bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileUpload")
            .field("name", &self.name)
            .field("bytes", &self.content.len())
            .finish()
    }
}

impl Serialize for FileUpload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&self.content);
        (&self.name, encoded).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FileUpload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (name, encoded) = <(String, String)>::deserialize(deserializer)?;
        let content = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|e| de::Error::custom(format!("file content is not base64: {e}")))?;
        Ok(Self { name, content })
    }
}

/// The `FILES` of an update: files to attach, or attachments to remove. The page documents
/// two wire forms, a list of `["name", "<base64>"]` pairs to attach and an object
/// `{"<attachment id>": "del"}` to remove; one call sends one of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileChanges {
    uploads: Vec<FileUpload>,
    deletions: Vec<Id>,
}

impl FileChanges {
    /// Attach these files.
    pub fn upload(files: impl IntoIterator<Item = FileUpload>) -> Self {
        Self {
            uploads: files.into_iter().collect(),
            deletions: Vec::new(),
        }
    }

    /// Remove the attachments with these ids (from `log.blogpost.get`).
    pub fn delete(ids: impl IntoIterator<Item = Id>) -> Self {
        Self {
            uploads: Vec::new(),
            deletions: ids.into_iter().collect(),
        }
    }

    /// The files to attach.
    pub fn uploads(&self) -> &[FileUpload] {
        &self.uploads
    }

    /// The attachments to remove.
    pub fn deletions(&self) -> &[Id] {
        &self.deletions
    }
}

impl Serialize for FileChanges {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap};
        match (self.uploads.is_empty(), self.deletions.is_empty()) {
            (_, true) => self.uploads.serialize(serializer),
            (true, false) => {
                let mut map = serializer.serialize_map(Some(self.deletions.len()))?;
                for id in &self.deletions {
                    map.serialize_entry(&id.0.to_string(), "del")?;
                }
                map.end()
            }
            (false, false) => Err(S::Error::custom(
                "FILES attaches or removes in one call, not both: send two updates",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for FileChanges {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Object(map) => {
                let mut deletions = Vec::with_capacity(map.len());
                for (key, action) in map {
                    if action != "del" {
                        return Err(de::Error::custom(format!(
                            "unknown file action {action} for `{key}`; expected \"del\""
                        )));
                    }
                    let id = key.parse().map_err(|_| {
                        de::Error::custom(format!("`{key}` is not an attachment id"))
                    })?;
                    deletions.push(id);
                }
                Ok(Self {
                    uploads: Vec::new(),
                    deletions,
                })
            }
            other => Vec::<FileUpload>::deserialize(other)
                .map(Self::upload)
                .map_err(de::Error::custom),
        }
    }
}

/// A credential received from the server (an event's `access_token`, say). `Debug` and
/// `Display` print `***`; [`SecretText::expose`] gives the value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretText(String);

impl SecretText {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The credential itself. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_decode_from_numbers_and_strings() {
        let ids: Vec<Id> = serde_json::from_str(r#"[217, "218", " 219 ", 220.0]"#).expect("ids");
        assert_eq!(ids, vec![Id(217), Id(218), Id(219), Id(220)]);
        assert!(serde_json::from_str::<Id>(r#""21a""#).is_err());
        assert!(serde_json::from_str::<Id>("1.5").is_err());
        assert!(serde_json::from_str::<Id>("true").is_err());
        assert_eq!(serde_json::to_string(&Id(5)).expect("encodes"), "5");
    }

    #[test]
    fn dates_are_checked_and_kept() {
        let at: DateTime = "2026-03-18T09:21:18+02:00".parse().expect("datetime");
        assert_eq!(at.as_str(), "2026-03-18T09:21:18+02:00");
        assert!("2026-03-18T09:21:18".parse::<DateTime>().is_ok());
        assert!("2026-03-18 09:21:18".parse::<DateTime>().is_err());
        assert!("".parse::<DateTime>().is_err());
        assert!("2025-12-28".parse::<Date>().is_ok());
        assert!("2026-13-45T99:99:99+99:99".parse::<DateTime>().is_err());
        assert!(
            "2026-02-30T10:00:00+03:00".parse::<DateTime>().is_ok(),
            "day-of-month is not checked per month"
        );
        assert!("2026-01-01T23:59:60.5Z".parse::<DateTime>().is_ok());
        assert!("2026-00-10".parse::<Date>().is_err());
        assert!("28.12.2025".parse::<Date>().is_err());
    }

    #[test]
    fn files_are_name_and_base64_pairs() {
        let file = FileUpload::new("a.txt", b"hello".to_vec());
        assert_eq!(
            serde_json::to_string(&file).expect("encodes"),
            r#"["a.txt","aGVsbG8="]"#
        );
        let back: FileUpload = serde_json::from_str(r#"["a.txt","aGVsbG8="]"#).expect("decodes");
        assert_eq!(back, file);
        let delete = FileChanges::delete([Id(505)]);
        assert_eq!(
            serde_json::to_string(&delete).expect("encodes"),
            r#"{"505":"del"}"#
        );
        let back: FileChanges = serde_json::from_str(r#"{"505":"del"}"#).expect("decodes");
        assert_eq!(back, delete);
        let uploads: FileChanges = serde_json::from_str(r#"[["b.png","AA=="]]"#).expect("decodes");
        assert_eq!(uploads.uploads().len(), 1);
        let mixed = FileChanges {
            uploads: vec![file.clone()],
            deletions: vec![Id(1)],
        };
        assert!(serde_json::to_string(&mixed).is_err());
        assert!(serde_json::from_str::<FileChanges>(r#"{"5":"keep"}"#).is_err());
        assert!(format!("{file:?}").contains("bytes: 5"));
    }

    #[test]
    fn secrets_are_not_printed() {
        let secret: SecretText = serde_json::from_str(r#""tok-123456""#).expect("decodes");
        assert_eq!(format!("{secret:?} {secret}"), "*** ***");
        assert_eq!(secret.expose(), "tok-123456");
    }

    #[test]
    fn ids_compare_with_integers_and_print_as_numbers() {
        let id: Id = serde_json::from_str("\"312\"").unwrap();
        assert_eq!(id, 312);
        assert_eq!(312, id);
        assert_ne!(id, 313);
        assert_eq!(format!("{:?}", Some(Ok::<Id, ()>(id))), "Some(Ok(312))");
    }
}
