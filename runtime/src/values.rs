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

/// A date. The documentation writes `YYYY-MM-DD`; portals also answer with a date and time
/// (`2026-03-18T09:21:18+02:00`, `2026-03-18 09:21:18`) or in their locale's format
/// (`18.03.2026`, `18.03.2026 09:21:18`). Every one of these is accepted and the text is kept
/// as sent ([`as_str`](Self::as_str)), so nothing is lost; [`iso`](Self::iso) gives the date
/// as `YYYY-MM-DD` whatever the form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Date(String);

/// A date and time. The documentation writes ISO 8601 with offset
/// (`2026-03-18T09:21:18+02:00`); portals also answer with a space for the `T`
/// (`2026-03-18 09:21:18`), in their locale's format (`18.03.2026 09:21:18`), or with a date
/// alone (`2026-03-18`, `18.03.2026`). Every one of these is accepted and the text is kept as
/// sent ([`as_str`](Self::as_str)); [`iso`](Self::iso) gives it as ISO 8601.
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

/// The ISO form (`YYYY-MM-DD`) of an ISO date or a locale date (`DD.MM.YYYY`).
fn iso_date(text: &str) -> Option<String> {
    let ok = |y: &str, m: &str, d: &str| {
        number_in(y, 4, 1..=9999) && number_in(m, 2, 1..=12) && number_in(d, 2, 1..=31)
    };
    let parts: Vec<&str> = text.split('-').collect();
    if let [y, m, d] = parts.as_slice() {
        return ok(y, m, d).then(|| text.to_owned());
    }
    let parts: Vec<&str> = text.split('.').collect();
    match parts.as_slice() {
        [d, m, y] if ok(y, m, d) => Some(format!("{y}-{m}-{d}")),
        _ => None,
    }
}

/// `hh:mm:ss` with an optional fraction; `hh:mm` only where `seconds_optional` (locale forms).
fn is_time(text: &str, seconds_optional: bool) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    let seconds = |s: &str| match s.split_once('.') {
        Some((whole, fraction)) => number_in(whole, 2, 0..=60) && digits(fraction),
        None => number_in(s, 2, 0..=60),
    };
    match parts.as_slice() {
        [h, m, s] => number_in(h, 2, 0..=23) && number_in(m, 2, 0..=59) && seconds(s),
        [h, m] => seconds_optional && number_in(h, 2, 0..=23) && number_in(m, 2, 0..=59),
        _ => false,
    }
}

fn is_offset(text: &str) -> bool {
    text == "Z"
        || ((text.starts_with('+') || text.starts_with('-'))
            && matches!(text[1..].split_once(':'), Some((h, m)) if number_in(h, 2, 0..=14) && number_in(m, 2, 0..=59)))
}

/// A date or a date and time in any form portals send, read into its ISO parts: the date
/// (`YYYY-MM-DD`) and, if there is one, the time with its offset (`09:21:18+02:00`).
fn read_date_time(text: &str) -> Option<(String, Option<&str>)> {
    if let Some(date) = iso_date(text) {
        return Some((date, None));
    }
    let (date, rest) = text.split_once(['T', ' '])?;
    let iso = iso_date(date)?;
    let locale = !date.contains('-');
    // A locale date has a plain time after a space; an ISO date a time with an optional
    // offset after `T` or a space.
    let valid = if locale {
        text.as_bytes()[date.len()] == b' ' && is_time(rest, true)
    } else {
        let split = rest.find(['+', '-', 'Z']).unwrap_or(rest.len());
        let (time, offset) = rest.split_at(split);
        is_time(time, false) && (offset.is_empty() || is_offset(offset))
    };
    valid.then_some((iso, Some(rest)))
}

impl Date {
    /// The date as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date as ISO 8601, `YYYY-MM-DD`, whatever form it was sent in (a time is left
    /// out).
    pub fn iso(&self) -> String {
        read_date_time(&self.0).map_or_else(|| self.0.clone(), |(date, _)| date)
    }
}

impl DateTime {
    /// The date and time as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date and time as ISO 8601: `YYYY-MM-DDThh:mm:ss`, with the offset where one was
    /// sent (locale forms carry none: the portal's time zone) and `00:00:00` for a date
    /// alone.
    pub fn iso(&self) -> String {
        match read_date_time(&self.0) {
            Some((date, Some(time))) if time.len() == 5 => format!("{date}T{time}:00"),
            Some((date, Some(time))) => format!("{date}T{time}"),
            Some((date, None)) => format!("{date}T00:00:00"),
            None => self.0.clone(),
        }
    }

    /// The date part.
    pub fn date(&self) -> Date {
        Date(read_date_time(&self.0).map_or_else(|| self.0.clone(), |(date, _)| date))
    }
}

impl std::str::FromStr for Date {
    type Err = DateParseError;

    /// A date (`YYYY-MM-DD`, `DD.MM.YYYY`), or a date and time in a form [`DateTime`] reads.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if read_date_time(text).is_some() {
            Ok(Date(text.to_owned()))
        } else {
            Err(DateParseError {
                input: text.to_owned(),
                expected: "a date (YYYY-MM-DD or DD.MM.YYYY)",
            })
        }
    }
}

impl std::str::FromStr for DateTime {
    type Err = DateParseError;

    /// ISO 8601 (`YYYY-MM-DDThh:mm:ss` with an optional fraction and offset, `T` or a space),
    /// `DD.MM.YYYY hh:mm:ss` (or `hh:mm`), or a date alone.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if read_date_time(text).is_some() {
            Ok(DateTime(text.to_owned()))
        } else {
            Err(DateParseError {
                input: text.to_owned(),
                expected: "a date and time (YYYY-MM-DDThh:mm:ss±hh:mm or DD.MM.YYYY hh:mm:ss)",
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

/// A decimal number kept as its text: money and quantities that portals send as strings
/// (`"5000.00"`) or as numbers (`5000`, `5000.5`). Nothing is rounded: [`as_str`](Self::as_str)
/// is the text as sent, [`to_f64`](Self::to_f64) the value as a float, and it goes out as it
/// came, a string as a string and a number as a number.
///
/// Made from text (`Decimal::from("5000.00")`, sent as a string: as given, `parse()` checks
/// it) or from a number (`Decimal::from(5000)`, `Decimal::from(5000.5)`, sent as a number).
/// Two decimals are equal when their texts are (`"5000.00"` is not `"5000"`).
#[derive(Clone)]
pub struct Decimal {
    text: String,
    number: bool,
}

impl Decimal {
    /// The number as sent or given (`5000.00`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value as a float, if the text is a number (a decimal comma is read as a point).
    pub fn to_f64(&self) -> Option<f64> {
        let text = self.text.trim();
        text.parse()
            .ok()
            .or_else(|| text.replace(',', ".").parse().ok())
            .filter(|value: &f64| value.is_finite())
    }

    /// Whether it came (or goes) as a JSON number rather than a string.
    pub fn is_json_number(&self) -> bool {
        self.number
    }

    fn number(text: String) -> Self {
        Self { text, number: true }
    }
}

/// Whether `text` reads as a decimal number: a sign, digits, a fraction after a point (or a
/// comma, as some locales write it), an exponent.
fn is_decimal(text: &str) -> bool {
    let text = text.trim();
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once(['.', ',']) {
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

impl Default for Decimal {
    /// The number `0`.
    fn default() -> Self {
        Self::number("0".to_owned())
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Decimal {}

impl std::hash::Hash for Decimal {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialEq<str> for Decimal {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Decimal {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// Why a text is not a [`Decimal`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a decimal number")]
pub struct DecimalParseError(String);

impl std::str::FromStr for Decimal {
    type Err = DecimalParseError;

    /// A decimal number (`5000.00`, `-3`, `1e5`), kept as text and sent as a string.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if is_decimal(text) {
            Ok(Self::from(text))
        } else {
            Err(DecimalParseError(text.to_owned()))
        }
    }
}

impl From<&str> for Decimal {
    /// The text as given, sent as a string (`parse()` checks it is a number).
    fn from(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            number: false,
        }
    }
}

impl From<String> for Decimal {
    /// The text as given, sent as a string (`parse()` checks it is a number).
    fn from(text: String) -> Self {
        Self {
            text,
            number: false,
        }
    }
}

macro_rules! decimal_from_integer {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Decimal {
            /// The number, sent as a number.
            fn from(value: $ty) -> Self {
                Self::number(value.to_string())
            }
        }
    )*};
}

decimal_from_integer!(i32, i64, u32, u64);

impl From<f64> for Decimal {
    /// The number in its shortest form (`5000.5`, `100` for `100.0`), sent as a number.
    fn from(value: f64) -> Self {
        Self::number(value.to_string())
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !self.number {
            return serializer.serialize_str(&self.text);
        }
        if let Ok(integer) = self.text.parse::<i64>() {
            return serializer.serialize_i64(integer);
        }
        match self.to_f64() {
            Some(value) => crate::wire::serialize_f64(value, serializer),
            None => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;

        impl Visitor<'_> for DecimalVisitor {
            type Value = Decimal;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number, as a number or a string")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
                Ok(Decimal::from(value))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
                Ok(Decimal::from(value))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Decimal, E> {
                value
                    .parse()
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
            }
        }

        deserializer.deserialize_any(DecimalVisitor)
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
        assert!("2026-03-18 09:21:18".parse::<DateTime>().is_ok());
        assert!("2026-03-18 09:21".parse::<DateTime>().is_err());
        assert!("".parse::<DateTime>().is_err());
        assert!("2025-12-28".parse::<Date>().is_ok());
        assert!("2026-13-45T99:99:99+99:99".parse::<DateTime>().is_err());
        assert!(
            "2026-02-30T10:00:00+03:00".parse::<DateTime>().is_ok(),
            "day-of-month is not checked per month"
        );
        assert!("2026-01-01T23:59:60.5Z".parse::<DateTime>().is_ok());
        assert!("2026-00-10".parse::<Date>().is_err());
        assert!("28.13.2025".parse::<Date>().is_err());
        assert!("2026-03-18T".parse::<DateTime>().is_err());
        assert!("18.03.2026T09:21:18".parse::<DateTime>().is_err());
        assert!("18.03.2026 09:21:18+03:00".parse::<DateTime>().is_err());
        assert!("18.03.26".parse::<Date>().is_err());
    }

    #[test]
    fn dates_read_what_portals_send_and_keep_it() {
        for (text, date, date_time) in [
            ("2025-12-28", "2025-12-28", "2025-12-28T00:00:00"),
            ("28.12.2025", "2025-12-28", "2025-12-28T00:00:00"),
            (
                "2026-03-18T09:21:18+02:00",
                "2026-03-18",
                "2026-03-18T09:21:18+02:00",
            ),
            ("2026-03-18 09:21:18", "2026-03-18", "2026-03-18T09:21:18"),
            ("18.03.2026 09:21:18", "2026-03-18", "2026-03-18T09:21:18"),
            ("18.03.2026 09:21", "2026-03-18", "2026-03-18T09:21:00"),
        ] {
            let json = serde_json::to_string(text).unwrap();
            let as_date: Date = serde_json::from_str(&json).expect(text);
            let as_date_time: DateTime = serde_json::from_str(&json).expect(text);
            assert_eq!((as_date.as_str(), as_date.iso().as_str()), (text, date));
            assert_eq!(as_date_time.as_str(), text);
            assert_eq!(as_date_time.iso(), date_time, "{text}");
            assert_eq!(as_date_time.date().as_str(), date);
            assert_eq!(
                serde_json::to_string(&as_date).unwrap(),
                json,
                "sent as given"
            );
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct Deal {
        #[serde(default, deserialize_with = "crate::de::empty_as_none")]
        closed: Option<Date>,
        #[serde(default, deserialize_with = "crate::de::empty_as_none")]
        price: Option<Decimal>,
    }

    #[test]
    fn empty_dates_and_decimals_are_no_value() {
        let deal: Deal = serde_json::from_str(r#"{"closed": "", "price": ""}"#).expect("decodes");
        assert_eq!((deal.closed, deal.price), (None, None));
        let deal: Deal =
            serde_json::from_str(r#"{"closed": "01.02.2026", "price": "5000.00"}"#).expect("full");
        assert_eq!(deal.closed.map(|d| d.iso()).as_deref(), Some("2026-02-01"));
        assert_eq!(deal.price.expect("a price"), "5000.00");
    }

    #[test]
    fn decimals_keep_their_text_and_their_kind() {
        let read: Vec<Decimal> =
            serde_json::from_str(r#"["5000.00", 5000, 5000.5, "-3", "1e5", "12,50"]"#)
                .expect("decimals");
        let texts: Vec<&str> = read.iter().map(Decimal::as_str).collect();
        assert_eq!(texts, ["5000.00", "5000", "5000.5", "-3", "1e5", "12,50"]);
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"["5000.00",5000,5000.5,"-3","1e5","12,50"]"#
        );
        let values: Vec<Option<f64>> = read.iter().map(Decimal::to_f64).collect();
        assert_eq!(
            values,
            [
                Some(5000.0),
                Some(5000.0),
                Some(5000.5),
                Some(-3.0),
                Some(1e5),
                Some(12.5)
            ]
        );
        assert!(serde_json::from_str::<Decimal>(r#""abc""#).is_err());
        assert!(serde_json::from_str::<Decimal>("true").is_err());
        assert!("".parse::<Decimal>().is_err());
        assert!("5.".parse::<Decimal>().is_ok());
        assert!("1e".parse::<Decimal>().is_err());
        assert_eq!(serde_json::to_string(&Decimal::from(100.0)).unwrap(), "100");
        assert_eq!(serde_json::to_string(&Decimal::from(7)).unwrap(), "7");
        assert_eq!(
            serde_json::to_string(&Decimal::from("5000.00")).unwrap(),
            r#""5000.00""#
        );
        assert_eq!(format!("{:?}", Some(Decimal::from("1.50"))), "Some(1.50)");
        assert_eq!(Decimal::default().as_str(), "0");
        assert_eq!(Decimal::from("5"), Decimal::from(5), "equal texts");
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
