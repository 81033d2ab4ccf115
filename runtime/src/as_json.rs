//! A typed call whose result comes back as the JSON the portal sent: [`AsJson`].

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::batch::BatchMethod;
use crate::list::{ListMethod, ListShape};
use crate::method::{Method, Paged};
use crate::paging::{Following, Paging, Position, count_records};

/// `M`'s call, with `M`'s name, safety and typed errors, whose result is the `result` JSON
/// exactly as the portal sent it (`"AUTHOR_ID": "1"` stays a string) instead of `M::Output`:
/// for a program that passes the answer on (the `b24` command line prints it) or keeps keys
/// the spec does not list.
#[derive(Debug, Clone, PartialEq)]
pub struct AsJson<M>(pub M);

impl<M: Serialize> Serialize for AsJson<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<M: Method> Method for AsJson<M> {
    const NAME: &'static str = M::NAME;
    const SAFE_TO_REPEAT: bool = M::SAFE_TO_REPEAT;
    const BATCH: bool = M::BATCH;
    const API: crate::method::ApiVersion = M::API;
    type Output = Value;
    type Error = M::Error;

    fn name(&self) -> &str {
        self.0.name()
    }

    fn safe_to_repeat(&self) -> bool {
        self.0.safe_to_repeat()
    }

    fn api_version(&self) -> crate::method::ApiVersion {
        self.0.api_version()
    }

    fn spec_data() -> (&'static str, &'static str) {
        M::spec_data()
    }
}

impl<M: BatchMethod> BatchMethod for AsJson<M> {}

/// A list method's pages as the portal sent them: each record stays JSON (`"ID": "217"` stays
/// a string), read from where the method says they are (`result.items`). How many records a
/// page holds and what it says of the next one are `M`'s own answers, from the page decoded
/// as `M` decodes it.
impl<M: Paged> Paged for AsJson<M> {
    type Item = Value;
    const PAGING: Paging = M::PAGING;
    const RECORDS: &'static [&'static str] = M::RECORDS;

    fn position(&self) -> Position {
        self.0.position()
    }

    fn set_position(&mut self, position: &Position) -> bool {
        self.0.set_position(position)
    }

    fn count(output: &Value) -> usize {
        match crate::de::output::<M::Output>(output) {
            Ok(typed) => M::count(&typed),
            Err(_) => records_in::<M>(output).map_or(0, count_records),
        }
    }

    fn into_items(output: Value) -> Vec<Value> {
        let mut records = output;
        for key in M::RECORDS {
            records = match records {
                Value::Object(mut object) => object.shift_remove(*key).unwrap_or(Value::Null),
                _ => Value::Null,
            };
        }
        crate::de::records(records)
    }

    fn following(output: &Value) -> Following {
        crate::de::output::<M::Output>(output)
            .map(|typed| M::following(&typed))
            .unwrap_or_default()
    }
}

/// The records of a page's result, where `M::RECORDS` leads.
fn records_in<M: Paged>(output: &Value) -> Option<&Value> {
    M::RECORDS
        .iter()
        .try_fold(output, |value, key| value.get(*key))
}

impl<M: ListMethod> ListMethod for AsJson<M> {
    const SHAPE: ListShape = M::SHAPE;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::decode::decode_response;
    use crate::test_method::{Share, ShareError};

    #[test]
    fn the_result_is_the_portal_s_json_and_errors_stay_typed() {
        type Call = AsJson<Share>;
        assert_eq!(Call::NAME, "log.blogpost.share");
        assert!(!AsJson(Share::new(1, &["UA"])).safe_to_repeat());
        let ok =
            decode_response::<Call>(200, br#"{"result":{"ID":"7","N":1.50},"time":{"start":1}}"#)
                .unwrap();
        assert_eq!(ok.result, serde_json::json!({"ID": "7", "N": 1.50}));
        let err =
            decode_response::<Call>(400, br#"{"error":"","error_description":"No read perms"}"#)
                .unwrap_err();
        assert!(
            matches!(err, Error::Method(ShareError::NoReadPermission(_))),
            "{err:?}"
        );
    }
}
