//! Property tests of the parts that read outside input: the `Destination` grammar (written
//! by users) and the response decoder (bytes from a server), with a fixed, small number of
//! cases so that they stay fast in CI.

use b24_rest::log::{BlogpostShareError, BlogpostShareRequest};
use b24_rest::shared::Destination;
use b24_rest::{Error, decode_response};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Any valid destination.
fn destination() -> impl Strategy<Value = Destination> {
    prop_oneof![
        any::<u64>().prop_map(Destination::Group),
        any::<u64>().prop_map(Destination::User),
        Just(Destination::AllUsers),
        any::<u64>().prop_map(Destination::Department),
        ".+".prop_map(Destination::EmailInvite),
    ]
}

/// Strings near the grammar: its prefixes followed by digits, letters, signs or anything.
fn destination_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "(SG|U|UA|DR|UE|sg|Sg|D|G|AU|)[0-9]{0,22}",
        "(SG|U|UA|DR|UE)[-+ 0a-zA-Z@.]{0,6}[0-9]{0,4}",
        any::<String>(),
    ]
}

/// JSON values up to a few levels deep, with the keys an answer has.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        "[ -~]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "",
            "Wrong post ID",
            "No read perms",
            "No permissions to share by this user (ID =12)",
            "No permissions to share by this user (ID =)",
            "No permissions to share by this user (ID =99999999999999999999999)",
            "QUERY_LIMIT_EXCEEDED",
            "expired_token",
            "ERROR_ARGUMENT",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..5)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "result", "time", "error", "error_description", "argument", "code", "message",
            "start", "finish", "duration", "operating", "operating_reset_at", "date_start",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z_]{0,8}",
    ]
}

/// An answer body: arbitrary bytes, or a JSON object with answer-like keys, whole or cut.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        prop::collection::vec((key(), json_value()), 0..5).prop_map(|pairs| {
            let object: Map<String, Value> = pairs.into_iter().collect();
            Value::Object(object).to_string().into_bytes()
        }),
        (
            prop::collection::vec((key(), json_value()), 1..5),
            any::<prop::sample::Index>()
        )
            .prop_map(|(pairs, cut)| {
                let object: Map<String, Value> = pairs.into_iter().collect();
                let mut bytes = Value::Object(object).to_string().into_bytes();
                bytes.truncate(cut.index(bytes.len() + 1));
                bytes
            }),
    ]
}

proptest! {
    #![proptest_config(config(512))]

    /// `Display` writes what `FromStr` reads back, and JSON carries it the same way.
    #[test]
    fn destinations_round_trip(destination in destination()) {
        let text = destination.to_string();
        let parsed = text.parse::<Destination>();
        prop_assert_eq!(parsed.as_ref(), Ok(&destination));
        let json = serde_json::to_string(&destination).expect("encodes");
        prop_assert_eq!(json, serde_json::to_string(&text).expect("a string encodes"));
        let back: Destination = serde_json::from_str(&serde_json::to_string(&text).expect("encodes"))
            .expect("decodes");
        prop_assert_eq!(back, destination);
    }

    /// Parsing is exact: whatever parses prints back as the same string, and whatever does
    /// not parse gives an error that names the grammar, without panicking.
    #[test]
    fn destination_parsing_is_exact(text in destination_like()) {
        match text.parse::<Destination>() {
            Ok(destination) => prop_assert_eq!(destination.to_string(), text),
            Err(err) => {
                prop_assert_eq!(err.grammar(), "Destination");
                prop_assert_eq!(err.input(), text.as_str());
                let shown = err.to_string();
                prop_assert!(shown.starts_with("invalid Destination"), "{}", shown);
                // The message shows at most a clipped, escaped excerpt of the input.
                prop_assert!(shown.chars().count() < 400, "{}", shown);
            }
        }
    }

    /// The decoder never panics, and every error keeps the answer's status and prints.
    #[test]
    fn decoding_never_panics(status in prop_oneof![100u16..600, any::<u16>()], body in body()) {
        let outcome = decode_response::<BlogpostShareRequest>(status, &body);
        match &outcome {
            Ok(response) => {
                prop_assert!((200..300).contains(&status), "success on HTTP {}", status);
                let _ = format!("{response:?}");
            }
            Err(err) => check_error(status, err)?,
        }
    }
}

fn check_error(status: u16, err: &Error<BlogpostShareError>) -> Result<(), TestCaseError> {
    let shown = format!("{err} {err:?}");
    prop_assert!(!shown.is_empty());
    prop_assert_eq!(err.status(), Some(status), "{}", shown);
    let _ = err.may_have_run();
    let _ = err.variant_name();
    if let Some(meta) = err.meta() {
        prop_assert_eq!(meta.status(), status);
    }
    Ok(())
}
