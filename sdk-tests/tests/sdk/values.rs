//! The spec's value types as a user meets them: flags, ids, files and event payloads.

use b24_rest::log::{OnLiveFeedPostAdd, OnLiveFeedPostDelete};
use b24_rest::shared::YesNo;
use b24_rest::{EventError, Id};

#[test]
fn flags_parse_strictly_but_decode_leniently() {
    assert_eq!("Y".parse::<YesNo>().expect("listed"), YesNo::Yes);
    assert!(
        "y".parse::<YesNo>().is_err(),
        "a caller's typo is refused, not sent"
    );
    assert!("yes".parse::<YesNo>().is_err());
    let decoded: YesNo = serde_json::from_str(r#""D""#).expect("an unknown value in an answer");
    assert_eq!(decoded, YesNo::Other("D".to_owned()));
    assert_eq!(serde_json::to_string(&decoded).expect("encodes"), r#""D""#);
}

#[test]
fn events_arrive_as_forms_or_json_and_are_checked() {
    let form = b"event=ONLIVEFEEDPOSTADD&event_handler_id=727&data%5BFIELDS%5D%5BPOST_ID%5D=209&ts=1742999507&auth%5Baccess_token%5D=tok-abc-123&auth%5Bdomain%5D=example.bitrix24.com";
    let event = OnLiveFeedPostAdd::from_request(Some("application/x-www-form-urlencoded"), form)
        .expect("a form payload");
    assert_eq!(event.data.fields.post_id, Id(209));
    assert_eq!(event.auth.domain.as_deref(), Some("example.bitrix24.com"));
    assert!(
        !format!("{event:?}").contains("tok-abc-123"),
        "the token is not printed"
    );
    assert_eq!(
        event.auth.access_token.as_ref().map(|t| t.expose()),
        Some("tok-abc-123")
    );

    let wrong = OnLiveFeedPostDelete::from_form(form);
    assert!(
        matches!(wrong, Err(EventError::WrongEvent { .. })),
        "{wrong:?}"
    );
    let broken = OnLiveFeedPostAdd::from_json(b"{\"event\":\"ONLIVEFEEDPOSTADD\"");
    assert!(
        matches!(broken, Err(EventError::Malformed { .. })),
        "{broken:?}"
    );
}
