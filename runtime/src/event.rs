//! The envelope of an event payload, as a portal sends it to an application's handler.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::query;
use crate::values::{Id, SecretText};

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

    /// The spec data of the event's scope, as (scope, JSON), for the conformance checks. Only
    /// the generated crate's tests and its feature `mock` fill it in; empty otherwise.
    #[doc(hidden)]
    fn spec_data() -> (&'static str, &'static str) {
        ("", "")
    }
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
    /// The payload's `auth.application_token` is missing or not the application's: it does
    /// not come from a portal this application is installed on.
    #[error("the event's application_token is missing or not this application's")]
    WrongApplicationToken,
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

impl<F> Event<F> {
    /// Checks that the event comes from a portal this application is installed on: its
    /// `auth.application_token` must be `expected`, the token the application received when
    /// it was installed (`ONAPPINSTALL`). Handlers must check it before trusting a payload:
    /// anyone can post one to their address. Compared in constant time.
    pub fn verify_application_token(&self, expected: &str) -> Result<(), EventError> {
        let sent = self
            .auth
            .application_token
            .as_ref()
            .map(SecretText::expose)
            .unwrap_or_default();
        if !expected.is_empty() && constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
            Ok(())
        } else {
            Err(EventError::WrongApplicationToken)
        }
    }
}

/// Whether `a` and `b` are equal, in a time that depends on their lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

fn malformed<F: EventFields>(reason: String) -> EventError {
    EventError::Malformed {
        expected: F::CODE,
        reason,
    }
}

/// Credentials and facts about the portal an event comes from.
///
/// Sent with every event so that the handler can call the portal back. The tokens are credentials: they are never printed by `Debug` or `Display`.
///
/// Fields the server adds later are ignored, so new servers do not break decoding.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct EventAuth {
    /// Access token for calling the portal back.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub access_token: Option<crate::values::SecretText>,
    /// Seconds the access token stays valid.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_in: Option<crate::values::Id>,
    /// Scopes the token grants, comma-separated.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub scope: Option<String>,
    /// The portal's domain.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub domain: Option<String>,
    /// Address of the OAuth server.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub server_endpoint: Option<String>,
    /// Status of the application (`L` local, `F` free, `P` paid, ...).
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// Address of the portal's REST API.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_endpoint: Option<String>,
    /// Unique identifier of the portal.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub member_id: Option<String>,
    /// Refresh token for getting a new access token.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub refresh_token: Option<crate::values::SecretText>,
    /// Token that proves the event comes from this portal for this application.
    #[serde(
        default,
        deserialize_with = "crate::de::empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub application_token: Option<crate::values::SecretText>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator lists these keys' values as secrets of each example payload: they must be
    /// exactly the fields `EventAuth` keeps as `SecretText`.
    #[test]
    fn the_credentials_of_event_auth_are_the_contract_s() {
        let mut auth = serde_json::Map::new();
        for key in b24_rest_contract::spec_data::EVENT_AUTH_SECRETS {
            auth.insert((*key).to_owned(), format!("secret-{key}").into());
        }
        for key in ["domain", "member_id", "scope", "status"] {
            auth.insert(key.to_owned(), format!("plain-{key}").into());
        }
        let auth: EventAuth = serde_json::from_value(auth.into()).expect("an auth object");
        let printed = format!("{auth:?}");
        assert!(!printed.contains("secret-"), "{printed}");
        assert_eq!(printed.matches("plain-").count(), 4, "{printed}");
        assert_eq!(
            printed.matches("***").count(),
            b24_rest_contract::spec_data::EVENT_AUTH_SECRETS.len(),
            "{printed}"
        );
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct NoFields {}

    impl EventFields for NoFields {
        const CODE: &'static str = "ONSOMETHING";
    }

    #[test]
    fn only_the_application_s_own_token_passes() {
        let with = |token: &str| {
            let body = serde_json::json!({
                "event": "ONSOMETHING", "event_handler_id": "1", "data": {"FIELDS": {}}, "ts": "1",
                "auth": {"application_token": token, "domain": "portal.example"}
            });
            Event::<NoFields>::from_json(body.to_string().as_bytes()).expect("a payload")
        };
        assert_eq!(
            with("app-token-1").verify_application_token("app-token-1"),
            Ok(())
        );
        for (sent, expected) in [
            ("app-token-2", "app-token-1"),
            ("", "app-token-1"),
            ("", ""),
            ("app-token-1", "app-token-10"),
        ] {
            assert_eq!(
                with(sent).verify_application_token(expected),
                Err(EventError::WrongApplicationToken),
                "{sent:?} {expected:?}"
            );
        }
        let shown = EventError::WrongApplicationToken.to_string();
        assert!(!shown.contains("app-token"), "{shown}");
    }
}
