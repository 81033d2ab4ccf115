//! Fuzz target: the response decoder turns any status and body into a result or a typed error
//! that keeps the status, without panicking.
#![no_main]

use b24_rest::decode_response;
use b24_rest::log::BlogpostShareRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    // The first two bytes pick the status: mostly real ones, sometimes any `u16`.
    let (status, body) = match input {
        [high, low, body @ ..] => {
            let raw = u16::from_be_bytes([*high, *low]);
            let status = if raw & 0x8000 == 0 { raw % 600 } else { raw };
            (status, body)
        }
        _ => (200, input),
    };
    match decode_response::<BlogpostShareRequest>(status, body) {
        Ok(_) => assert!((200..300).contains(&status)),
        Err(err) => {
            let _ = format!("{err} {err:?} {}", err.may_have_run());
            assert_eq!(err.status(), Some(status));
        }
    }
});
