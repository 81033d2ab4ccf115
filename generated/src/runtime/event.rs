//! The envelope of an event payload, as a portal sends it to an application's handler.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::api::shared::EventAuth;
use crate::runtime::query;
use crate::runtime::values::Id;

/// An event payload: which event, its fields, and the credentials of the portal it came from.
/// Generated event types are this envelope with their own fields, e.g.
/// `b24_rest::log::OnLiveFeedPostAdd = Event<OnLiveFeedPostAddFields>`.
///
/// Portals POST events as a form (`application/x-www-form-urlencoded`, PHP-style keys such as
/// `data[FIELDS][POST_ID]=209`); the documentation shows the same payload as JSON. Both are
/// read: [`Event::from_form`], [`Event::from_json`], or [`Event::from_request`] choosing by the
/// `Content-Type`.
///
/// The credentials in [`auth`](Event::auth) are [`SecretText`](crate::SecretText): `Debug`
/// prints them as `***`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event<F> {
    /// The event code, upper case (`ONLIVEFEEDPOSTADD`).
    pub event: String,
    /// Identifier of the handler subscription.
    pub event_handler_id: Id,
    /// The event's data.
    pub data: EventData<F>,
    /// Unix time at which the event left the portal's queue.
    pub ts: Id,
    /// Credentials and facts about the portal where the event happened.
    pub auth: EventAuth,
}

/// The `data` member of an event payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventData<F> {
    /// The event's fields (`data.FIELDS`).
    #[serde(rename = "FIELDS")]
    pub fields: F,
}

/// The fields of one kind of event; implemented by the generated `…Fields` structs.
pub trait EventFields: DeserializeOwned {
    /// The `event` code payloads of this kind carry (`ONLIVEFEEDPOSTADD`).
    const CODE: &'static str;
}

/// Why a payload is not an event of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The body is not a payload of this event's shape.
    #[error("not a {expected} payload: {reason}")]
    Malformed {
        /// The expected event code.
        expected: &'static str,
        /// What is wrong (never the credentials).
        reason: String,
    },
    /// A well-formed payload of another event.
    #[error("expected the event {expected}, got {actual}")]
    WrongEvent {
        /// The expected event code.
        expected: &'static str,
        /// The code the payload carries.
        actual: String,
    },
}

impl<F: EventFields> Event<F> {
    /// Reads a payload sent as JSON.
    pub fn from_json(body: &[u8]) -> Result<Self, EventError> {
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| malformed::<F>(e.to_string()))?;
        Self::from_value(value)
    }

    /// Reads a payload sent as a form, as portals send events (`data[FIELDS][POST_ID]=209`).
    pub fn from_form(body: &[u8]) -> Result<Self, EventError> {
        let text = std::str::from_utf8(body)
            .map_err(|_| malformed::<F>("the form is not UTF-8".into()))?;
        Self::from_value(serde_json::Value::Object(query::decode(text)))
    }

    /// Reads a payload, as a form or as JSON depending on the request's `Content-Type`
    /// (JSON when it says so, a form otherwise).
    pub fn from_request(content_type: Option<&str>, body: &[u8]) -> Result<Self, EventError> {
        if content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("json")) {
            Self::from_json(body)
        } else {
            Self::from_form(body)
        }
    }

    fn from_value(value: serde_json::Value) -> Result<Self, EventError> {
        let actual = value
            .get("event")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if !actual.eq_ignore_ascii_case(F::CODE) {
            return Err(EventError::WrongEvent {
                expected: F::CODE,
                actual: actual.chars().take(100).collect(),
            });
        }
        // serde's messages name keys and types, not the values of the credentials.
        serde_json::from_value(value).map_err(|e| malformed::<F>(e.to_string()))
    }
}

fn malformed<F: EventFields>(reason: String) -> EventError {
    EventError::Malformed {
        expected: F::CODE,
        reason,
    }
}
