//! The `time` object of every answer: how long the request took and how much of the
//! method's time budget is used. Part of the envelope every answer shares, so the runtime
//! owns it: the single-call decoder and `batch` decode it with the same function.

use serde_json::{Map, Value};

/// How long the request took and how much of the method's time budget is used.
///
/// Present in the answer to every successful REST request. The set of fields varies with the method and the server: `operating` and `operating_reset_at` arrive only sometimes.
///
/// Fields the server adds later are ignored, so new servers do not break decoding.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Time {
    /// Unix time at which the server started the request.
    #[serde(
        default,
        serialize_with = "as_written",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<f64>,
    /// Unix time at which the server finished the request.
    #[serde(
        default,
        serialize_with = "as_written",
        skip_serializing_if = "Option::is_none"
    )]
    pub finish: Option<f64>,
    /// Seconds the request took, `finish` minus `start`.
    #[serde(
        default,
        serialize_with = "as_written",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<f64>,
    /// Seconds spent processing the request.
    #[serde(
        default,
        serialize_with = "as_written",
        skip_serializing_if = "Option::is_none"
    )]
    pub processing: Option<f64>,
    /// Start of the request as an ISO 8601 date and time with offset.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_start: Option<String>,
    /// End of the request as an ISO 8601 date and time with offset.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_finish: Option<String>,
    /// Unix time at which part of the method's time budget is released; usually an integer. After `OPERATION_TIME_LIMIT`, wait until this moment before the first retry.
    #[serde(
        default,
        serialize_with = "as_written",
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_reset_at: Option<f64>,
    /// Seconds of execution time this method has accumulated for the application or webhook; the budget it is measured against is described on the limits page.
    #[serde(
        default,
        serialize_with = "as_written",
        skip_serializing_if = "Option::is_none"
    )]
    pub operating: Option<f64>,
}

/// A time as the server writes it: a whole number as an integer (`"start": 1773814878`), a
/// fraction as a float, so that `Time` printed back as JSON reads as the answer did.
fn as_written<S: serde::Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(number) if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 => {
            serializer.serialize_i64(*number as i64)
        }
        Some(number) => serializer.serialize_f64(*number),
        None => serializer.serialize_none(),
    }
}

impl Time {
    /// `time`, leniently: anything but an object is `None` (derived struct decoding would
    /// also accept an array), and a field of an unexpected type is dropped alone, so that one
    /// odd field does not lose `operating_reset_at`, which the retry policy waits for. The one
    /// reading of `time` that single calls and `batch` share.
    pub(crate) fn decode_lenient(value: Value) -> Option<Time> {
        let Value::Object(fields) = value else {
            return None;
        };
        if let Ok(time) = serde_json::from_value::<Time>(Value::Object(fields.clone())) {
            return Some(time);
        }
        let readable: Map<String, Value> = fields
            .into_iter()
            .filter(|(key, field)| {
                let alone = Map::from_iter([(key.clone(), field.clone())]);
                serde_json::from_value::<Time>(Value::Object(alone)).is_ok()
            })
            .collect();
        if readable.is_empty() {
            return None;
        }
        serde_json::from_value::<Time>(Value::Object(readable)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_odd_field_does_not_lose_the_others() {
        let time = Time::decode_lenient(serde_json::json!({
            "start": 1, "operating": "0.3", "operating_reset_at": 1773815478, "extra": {"x": 1}
        }))
        .expect("a time");
        assert_eq!(time.operating, None);
        assert_eq!(time.operating_reset_at, Some(1773815478.0));
        assert_eq!(time.start, Some(1.0));
        assert_eq!(Time::decode_lenient(serde_json::json!([1, 2])), None);
    }

    #[test]
    fn whole_numbers_print_back_as_integers() {
        let answer =
            serde_json::json!({"start": 1773814878, "finish": 1773814878.602921, "processing": 0});
        let time = Time::decode_lenient(answer.clone()).unwrap();
        assert_eq!(serde_json::to_value(&time).unwrap(), answer);
    }
}
